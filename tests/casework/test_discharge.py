"""Scenario tables for the discharge transition (退役安置过渡): limits, regimes, transitions."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from veteran_affairs.casework.deadlines import DeadlineStatus, LimitBook
from veteran_affairs.casework.discharge import (
    FUNDED_PATH,
    DeadlineKind,
    DischargeDeadline,
    DischargeFigures,
    DischargeRecord,
    EmploymentHistory,
    EmploymentRecord,
    EmploymentStatus,
    InsuranceScheme,
    InsuranceStatus,
    InsuranceTransfer,
    Regime,
    TrainingBasis,
    TrainingEnrolment,
    TrainingKind,
    discharge_deadlines,
    insurance_deadlines,
    insurance_schemes_for,
    next_follow_up,
    regime_for,
    training_entitlement,
)
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
)
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    DischargeMode,
    HukouType,
    Person,
    PersonnelType,
    ServiceRecord,
    Veteran,
)

D = dt.date
BOOK = LimitBook.bundled()
FIGURES = DischargeFigures.bundled()
NATIONAL = calendar_for()
S = InsuranceStatus
K = DeadlineKind
M = DischargeMode
P = PersonnelType
ST = DeadlineStatus


def rid(body: str = "45031219980101001") -> ResidentId:
    return ResidentId(body + check_character(body))


VETERAN = rid()
OTHER = rid("45031219990202002")


def record(
    personnel_type: PersonnelType = P.CONSCRIPT,
    mode: DischargeMode = M.SELF_EMPLOYMENT,
    discharged: str = "2024-09-10",
    **events: Any,
) -> DischargeRecord:
    dates: dict[str, Any] = {
        k: D.fromisoformat(v) if isinstance(v, str) else v for k, v in events.items()
    }
    return DischargeRecord(
        veteran=VETERAN,
        personnel_type=personnel_type,
        discharge_mode=mode,
        discharged_on=D.fromisoformat(discharged),
        **dates,
    )


def one(deadlines: tuple[DischargeDeadline, ...], kind: DeadlineKind) -> DischargeDeadline:
    (found,) = [d for d in deadlines if d.kind is kind]
    return found


# --- the regime ----------------------------------------------------------------------------------

REGIMES = [
    ("day before the 2011 regulation", "2011-10-31", Regime.BEFORE_2011),
    ("first day of the 2011 regulation", "2011-11-01", Regime.SOLDIERS_2011),
    ("last day of the 2011 regulation", "2024-08-31", Regime.SOLDIERS_2011),
    ("first day of the 2024 regulation", "2024-09-01", Regime.VETERANS_2024),
    ("long before", "1990-06-01", Regime.BEFORE_2011),
    ("today's regime", "2026-01-05", Regime.VETERANS_2024),
]


@pytest.mark.parametrize(("name", "day", "expected"), REGIMES, ids=[r[0] for r in REGIMES])
def test_the_regime_is_chosen_by_the_discharge_date(name: str, day: str, expected: Regime) -> None:
    assert expected == regime_for(D.fromisoformat(day))
    assert [expected] == [r for r in Regime if r.covers(D.fromisoformat(day))]


def test_every_regulated_regime_cites_its_regulation() -> None:
    assert None is Regime.BEFORE_2011.citation
    assert "第五十三条" == Regime.SOLDIERS_2011.citation.article  # type: ignore[union-attr]
    assert "第九十三条" == Regime.VETERANS_2024.citation.article  # type: ignore[union-attr]


# --- every time limit: boundary days and overdue -------------------------------------------------

# (name, record, kind, due date with the national calendar, status checks [(on, done_on, status)])
LIMITS: list[tuple[str, DischargeRecord, DeadlineKind, str, list[tuple[str, str | None, ST]]]] = [
    (
        "报到 30 日, 2024 regulation: due on the 30th day",
        record(),
        K.REPORT,
        "2024-10-10",
        [
            ("2024-10-10", None, ST.PENDING),
            ("2024-10-10", "2024-10-10", ST.MET),
            ("2024-10-11", "2024-10-11", ST.LATE),
            ("2024-10-11", None, ST.OVERDUE),
        ],
    ),
    (
        "报到 30 日, 2011 regulation: the last day falls in the National Day holiday and rolls",
        record(discharged="2020-09-05"),
        K.REPORT,
        "2020-10-09",
        [
            ("2020-10-09", "2020-10-09", ST.MET),
            ("2020-10-10", "2020-10-10", ST.LATE),
            ("2020-10-12", None, ST.OVERDUE),
        ],
    ),
    (
        "报到 30 日 run from an approval before the discharge",
        record(discharged="2024-09-10", approved_on="2024-09-01"),
        K.REPORT,
        "2024-10-08",
        [("2024-10-08", None, ST.PENDING), ("2024-10-09", None, ST.OVERDUE)],
    ),
    (
        "逾期报到超过30日: 30 days after the report due date, a Saturday rolled to Monday",
        record(),
        K.REPORT_FORFEITURE,
        "2024-11-11",
        [
            ("2024-11-11", "2024-11-11", ST.MET),
            ("2024-11-12", "2024-11-12", ST.LATE),
            ("2024-11-12", None, ST.OVERDUE),
        ],
    ),
    (
        "逾期报到超过30日 from the set time of an arranged-employment soldier",
        record(P.NCO, M.ARRANGED_EMPLOYMENT, "2025-03-01", report_by="2025-03-20"),
        K.REPORT_FORFEITURE,
        "2025-04-21",
        [("2025-04-21", None, ST.PENDING), ("2025-04-22", "2025-04-22", ST.LATE)],
    ),
    (
        "兵役登记 40 日 for a soldier: a Sunday rolled to Monday",
        record(),
        K.MILITARY_REGISTRATION,
        "2024-10-21",
        [("2024-10-21", "2024-10-21", ST.MET), ("2024-10-22", None, ST.OVERDUE)],
    ),
    (
        "兵役登记 40 日 on the first day of the 2021 兵役法",
        record(discharged="2021-10-01"),
        K.MILITARY_REGISTRATION,
        "2021-11-10",
        [("2021-11-10", None, ST.PENDING), ("2021-11-11", "2021-11-11", ST.LATE)],
    ),
    (
        "兵役登记 30 日 for an officer from the settlement of the placement location",
        record(P.OFFICER, M.CIVILIAN_TRANSFER, "2025-02-20", settlement_fixed_on="2025-03-03"),
        K.MILITARY_REGISTRATION,
        "2025-04-02",
        [("2025-04-02", "2025-04-01", ST.MET), ("2025-04-03", None, ST.OVERDUE)],
    ),
    (
        "安排工作 6 个月 from reception: a Sunday rolled to Monday",
        record(P.CONSCRIPT, M.ARRANGED_EMPLOYMENT, received_on="2024-09-30"),
        K.PLACEMENT,
        "2025-03-31",
        [("2025-03-31", "2025-03-31", ST.MET), ("2025-04-01", None, ST.OVERDUE)],
    ),
    (
        "安排工作 6 个月 under the 2011 regulation from 31 August: the month's last day",
        record(P.CONSCRIPT, M.ARRANGED_EMPLOYMENT, "2024-08-20", received_on="2024-08-31"),
        K.PLACEMENT,
        "2025-02-28",
        [("2025-02-28", None, ST.PENDING), ("2025-03-01", None, ST.OVERDUE)],
    ),
    (
        "上岗 1 个月 after the letter under the 2011 regulation",
        record(
            P.NCO,
            M.ARRANGED_EMPLOYMENT,
            "2022-05-01",
            received_on="2022-06-01",
            letter_on="2023-01-31",
        ),
        K.ON_POST,
        "2023-02-28",
        [("2023-02-28", "2023-02-28", ST.MET), ("2023-03-01", "2023-03-01", ST.LATE)],
    ),
    (
        "上岗 30 日 after the letter under the 2024 regulation: Spring Festival rolls it",
        record(P.NCO, M.ARRANGED_EMPLOYMENT, "2024-10-01", letter_on="2025-01-02"),
        K.ON_POST,
        "2025-02-05",
        [("2025-02-05", None, ST.PENDING), ("2025-02-06", None, ST.OVERDUE)],
    ),
    (
        "入学复学 2 年 under the 2011 regulation",
        record(discharged="2019-09-01", school_place_reserved=True),
        K.SCHOOL_ENTRY,
        "2021-09-01",
        [("2021-09-01", "2021-09-01", ST.MET), ("2021-09-02", None, ST.OVERDUE)],
    ),
    (
        "入学复学 两年 under the 保障法: Mid-Autumn rolls it",
        record(discharged="2022-09-15", school_place_reserved=True),
        K.SCHOOL_ENTRY,
        "2024-09-18",
        [("2024-09-18", None, ST.PENDING), ("2024-09-19", "2024-09-19", ST.LATE)],
    ),
]


@pytest.mark.parametrize(
    ("name", "subject", "kind", "expected_due", "checks"), LIMITS, ids=[row[0] for row in LIMITS]
)
def test_each_discharge_limit_falls_due_and_reports_its_status(
    name: str,
    subject: DischargeRecord,
    kind: DeadlineKind,
    expected_due: str,
    checks: list[tuple[str, str | None, ST]],
) -> None:
    deadline = one(discharge_deadlines(BOOK, subject, calendar=NATIONAL, kinds=[kind]), kind)

    assert D.fromisoformat(expected_due) == deadline.due
    for on, done, expected in checks:
        done_on = None if done is None else D.fromisoformat(done)
        done_record = attrs.evolve(deadline, done_on=done_on)
        assert expected == done_record.status(on=D.fromisoformat(on)), (on, done)


# (name, discharged, kind, events, key, due, article)
CUT_OVER = [
    (
        "报到 on the last day of the 2011 regulation",
        "2024-08-31",
        K.REPORT,
        {},
        "discharge.report_self_employment",
        "2024-09-30",
        "第十三条第一款",
    ),
    (
        "报到 on the first day of the 2024 regulation",
        "2024-09-01",
        K.REPORT,
        {},
        "discharge.report_self_employment",
        "2024-10-08",
        "第五十一条第二款",
    ),
    (
        "上岗 under 2011: one month from the letter",
        "2024-08-31",
        K.ON_POST,
        {"letter_on": "2025-01-31"},
        "discharge.on_post_2011",
        "2025-02-28",
        "第三十六条",
    ),
    (
        "上岗 under 2024: 30 日 from the same letter, a Sunday rolled",
        "2024-09-01",
        K.ON_POST,
        {"letter_on": "2025-01-31"},
        "discharge.on_post_2024",
        "2025-03-03",
        "第七十五条第二款",
    ),
]


@pytest.mark.parametrize(
    ("name", "discharged", "kind", "events", "key", "expected_due", "article"),
    CUT_OVER,
    ids=[row[0] for row in CUT_OVER],
)
def test_the_discharge_date_picks_the_text_at_the_cut_over(
    name: str,
    discharged: str,
    kind: DeadlineKind,
    events: dict[str, str],
    key: str,
    expected_due: str,
    article: str,
) -> None:
    mode = M.ARRANGED_EMPLOYMENT if kind is K.ON_POST else M.SELF_EMPLOYMENT
    subject = record(P.CONSCRIPT, mode, discharged, **events)

    deadline = one(discharge_deadlines(BOOK, subject, calendar=NATIONAL, kinds=[kind]), kind)

    assert (key, D.fromisoformat(expected_due), article) == (
        deadline.key,
        deadline.due,
        deadline.due_date.citation.article,
    )


def test_without_a_calendar_a_last_day_on_a_rest_day_stays() -> None:
    forfeiture = one(discharge_deadlines(BOOK, record()), K.REPORT_FORFEITURE)

    assert D(2024, 11, 9) == forfeiture.due


def test_the_done_event_of_the_record_decides_the_status() -> None:
    subject = record(reported_on="2024-10-12", registered_on="2024-10-15")
    deadlines = discharge_deadlines(BOOK, subject, calendar=NATIONAL)

    assert [
        (K.REPORT, ST.LATE),
        (K.REPORT_FORFEITURE, ST.MET),
        (K.MILITARY_REGISTRATION, ST.MET),
    ] == [(d.kind, d.status(on=D(2024, 12, 1))) for d in deadlines]


def test_every_limit_cites_its_article() -> None:
    subject = record(P.NCO, M.ARRANGED_EMPLOYMENT, received_on="2024-09-30", letter_on="2025-01-02")
    subject = attrs.evolve(subject, report_by=D(2024, 9, 20), school_place_reserved=True)
    cited = {
        d.kind: (d.due_date.citation.document, d.due_date.citation.article)
        for d in discharge_deadlines(BOOK, subject, calendar=NATIONAL)
    }

    assert {
        K.REPORT_FORFEITURE: ("《退役军人安置条例》(2024)", "第五十一条第二款"),
        K.MILITARY_REGISTRATION: ("《中华人民共和国兵役法》(2021)", "第十七条"),
        K.PLACEMENT: ("《退役军人安置条例》(2024)", "第三十一条第二款"),
        K.ON_POST: ("《退役军人安置条例》(2024)", "第七十五条第二款"),
        K.SCHOOL_ENTRY: ("《中华人民共和国退役军人保障法》", "第三十五条"),
    } == cited


# --- which limits apply to whom ------------------------------------------------------------------

APPLICABLE = [
    ("self-employed conscript", record(), {K.REPORT, K.REPORT_FORFEITURE, K.MILITARY_REGISTRATION}),
    (
        "retired NCO under 2024: no forfeiture rule (2024 第五十一条第二款 omits retirement)",
        record(P.NCO, M.RETIREMENT, report_by="2024-10-01"),
        {K.MILITARY_REGISTRATION},
    ),
    (
        "retired NCO under 2011: every soldier can forfeit (2011 第十七条)",
        record(P.NCO, M.RETIREMENT, "2023-03-01", report_by="2023-04-01"),
        {K.REPORT_FORFEITURE, K.MILITARY_REGISTRATION},
    ),
    (
        "supported NCO under 2024 with a set time",
        record(P.NCO, M.SUPPORT, report_by="2024-10-01"),
        {K.REPORT_FORFEITURE, K.MILITARY_REGISTRATION},
    ),
    (
        "officer without a settlement date: nothing counted yet",
        record(P.OFFICER, M.DEMOBILISATION),
        set(),
    ),
    (
        "arranged employment without reception or letter yet",
        record(P.CONSCRIPT, M.ARRANGED_EMPLOYMENT),
        {K.MILITARY_REGISTRATION},
    ),
]


@pytest.mark.parametrize(
    ("name", "subject", "expected"), APPLICABLE, ids=[row[0] for row in APPLICABLE]
)
def test_the_limits_counted_follow_the_personnel_type_mode_and_events(
    name: str, subject: DischargeRecord, expected: set[DeadlineKind]
) -> None:
    assert expected == {d.kind for d in discharge_deadlines(BOOK, subject)}


def test_kinds_narrow_what_is_counted_and_the_forfeiture_needs_no_report_row() -> None:
    deadlines = discharge_deadlines(BOOK, record(), kinds=[K.REPORT_FORFEITURE])

    assert [(K.REPORT_FORFEITURE, D(2024, 11, 9))] == [(d.kind, d.due) for d in deadlines]


# --- limits without a value ----------------------------------------------------------------------

MISSING = [
    (
        "兵役登记 before the 2021 兵役法",
        record(discharged="2021-09-30"),
        None,
        "discharge.military_registration_soldier",
    ),
    (
        "报到 before the 2011 regulation",
        record(discharged="2011-10-31"),
        None,
        "discharge.report_self_employment",
    ),
    (
        "adaptive training: no national timing",
        record(reported_on="2024-09-20"),
        [K.ADAPTIVE_TRAINING],
        "discharge.adaptive_training",
    ),
]


@pytest.mark.parametrize(
    ("name", "subject", "kinds", "key"), MISSING, ids=[row[0] for row in MISSING]
)
def test_a_limit_without_a_value_raises_parameter_missing_naming_it(
    name: str, subject: DischargeRecord, kinds: list[DeadlineKind] | None, key: str
) -> None:
    with pytest.raises(ParameterMissing) as raised:
        discharge_deadlines(BOOK, subject, kinds=kinds)

    assert key == raised.value.key


def test_skip_unknown_leaves_out_only_the_limits_without_a_value() -> None:
    deadlines = discharge_deadlines(BOOK, record(discharged="2021-09-30"), skip_unknown=True)

    assert [K.REPORT, K.REPORT_FORFEITURE] == [d.kind for d in deadlines]


def test_a_supplied_value_counts_the_adaptive_training() -> None:
    book = BOOK.with_values({"discharge.adaptive_training": 1})
    subject = record(discharged="2025-02-10", reported_on="2025-03-03")

    (deadline,) = discharge_deadlines(book, subject, kinds=[K.ADAPTIVE_TRAINING], calendar=NATIONAL)

    assert (D(2025, 4, 3), ST.OVERDUE) == (deadline.due, deadline.status(on=D(2025, 4, 4)))


def test_a_supplied_earlier_version_counts_the_registration_before_2021() -> None:
    book = BOOK.with_values(
        {"discharge.military_registration_soldier": [{"effective_from": "2011-11-01", "value": 30}]}
    )
    (deadline,) = discharge_deadlines(
        book, record(discharged="2019-03-01"), kinds=[K.MILITARY_REGISTRATION]
    )

    assert (D(2019, 3, 31), "user-supplied (使用者提供)") == (
        deadline.due,
        deadline.due_date.citation.document,
    )


def test_follow_up_cadence_must_be_supplied() -> None:
    with pytest.raises(ParameterMissing) as raised:
        next_follow_up(BOOK, D(2025, 3, 3))
    supplied = next_follow_up(
        BOOK.with_values({"discharge.employment_follow_up": 3}), D(2025, 3, 3), calendar=NATIONAL
    )

    assert "discharge.employment_follow_up" == raised.value.key
    assert D(2025, 6, 3) == supplied.due


# --- insurance: every transition -----------------------------------------------------------------


def walk(scheme: InsuranceScheme, *statuses: InsuranceStatus) -> InsuranceTransfer:
    transfer = InsuranceTransfer.start(veteran=VETERAN, scheme=scheme, on=D(2024, 9, 10))
    for n, status in enumerate(statuses, start=1):
        transfer = transfer.to(status, on=D(2024, 9, 10) + dt.timedelta(days=n))
    return transfer


FUNDED = InsuranceScheme.PENSION
CREDIT = InsuranceScheme.UNEMPLOYMENT
# (name, scheme, steps taken first, requested step, allowed)
TRANSITIONS: list[tuple[str, InsuranceScheme, tuple[S, ...], S, bool]] = [
    *[
        (f"{a.value} → {b.value}", FUNDED, FUNDED_PATH[1 : i + 1], b, True)
        for i, (a, b) in enumerate(itertools.pairwise(FUNDED_PATH))
    ],
    *[
        (f"skip {a.value} → {c.value}", FUNDED, FUNDED_PATH[1 : i + 1], c, False)
        for i, (a, c) in enumerate(zip(FUNDED_PATH, FUNDED_PATH[2:], strict=False))
    ],
    *[
        (f"stall at {a.value}", FUNDED, FUNDED_PATH[1 : i + 1], S.STALLED, True)
        for i, a in enumerate(FUNDED_PATH[:-1])
    ],
    ("nothing after continued", FUNDED, FUNDED_PATH[1:], S.STALLED, False),
    ("back a step", FUNDED, FUNDED_PATH[1:3], S.SUBSIDY_COMPUTED, False),
    ("stay in place", FUNDED, FUNDED_PATH[1:3], S.FUNDS_REMITTED, False),
    ("order to received, unemployment", CREDIT, (), S.RECEIVED_BY_AGENCY, True),
    ("received to continued, unemployment", CREDIT, (S.RECEIVED_BY_AGENCY,), S.CONTINUED, True),
    ("no subsidy for unemployment", CREDIT, (), S.SUBSIDY_COMPUTED, False),
    ("order straight to continued, unemployment", CREDIT, (), S.CONTINUED, False),
    ("resume where it stalled", FUNDED, (S.SUBSIDY_COMPUTED, S.STALLED), S.SUBSIDY_COMPUTED, True),
    ("no skipping after a stall", FUNDED, (S.SUBSIDY_COMPUTED, S.STALLED), S.FUNDS_REMITTED, False),
    ("no stall twice", FUNDED, (S.STALLED,), S.STALLED, False),
    ("stall and resume, unemployment", CREDIT, (S.STALLED,), S.ORDER_ISSUED, True),
]


@pytest.mark.parametrize(
    ("name", "scheme", "before", "requested", "allowed"),
    TRANSITIONS,
    ids=[row[0] for row in TRANSITIONS],
)
def test_a_transfer_takes_each_step_in_order_and_refuses_a_skip(
    name: str,
    scheme: InsuranceScheme,
    before: tuple[S, ...],
    requested: S,
    allowed: bool,
) -> None:
    transfer = walk(scheme, *before)

    assert allowed == (requested in transfer.allowed)
    if allowed:
        assert requested == transfer.to(requested, on=D(2024, 12, 1)).status
    else:
        with pytest.raises(IllegalTransition) as raised:
            transfer.to(requested, on=D(2024, 12, 1))
        assert (transfer.status.value, requested.value) == (
            raised.value.current,
            raised.value.requested,
        )


def test_advance_stall_and_resume_name_their_steps() -> None:
    transfer = walk(FUNDED).advance(on=D(2024, 9, 11)).stall(on=D(2024, 9, 12))

    assert S.SUBSIDY_COMPUTED == transfer.stalled_at
    with pytest.raises(IllegalTransition):
        transfer.advance(on=D(2024, 9, 13))
    resumed = transfer.resume(on=D(2024, 9, 13))
    assert (S.SUBSIDY_COMPUTED, None) == (resumed.status, resumed.stalled_at)
    with pytest.raises(IllegalTransition):
        resumed.resume(on=D(2024, 9, 14))
    with pytest.raises(IllegalTransition):
        walk(FUNDED, *FUNDED_PATH[1:]).advance(on=D(2024, 12, 1))


def test_a_history_that_skips_a_state_cannot_be_built() -> None:
    transfer = walk(FUNDED, S.SUBSIDY_COMPUTED)
    forged = (
        *transfer.history,
        attrs.evolve(
            transfer.history[-1], from_status=S.SUBSIDY_COMPUTED, to_status=S.VOUCHERS_ISSUED
        ),
    )

    with pytest.raises(IllegalTransition):
        attrs.evolve(transfer, history=forged)


TRANSFER_INVALID = [
    (
        "an amount before the subsidy is computed",
        lambda: attrs.evolve(walk(FUNDED), amount=Decimal("100.00")),
        "amount/history",
    ),
    (
        "an amount for the unemployment credit",
        lambda: attrs.evolve(walk(CREDIT, S.RECEIVED_BY_AGENCY), amount=Decimal("1.00")),
        "amount/history",
    ),
    (
        "an application for a medical transfer",
        lambda: walk(InsuranceScheme.MEDICAL).applied(on=D(2024, 10, 1)),
        "application_on/scheme",
    ),
    (
        "an application before the order",
        lambda: walk(FUNDED).applied(on=D(2024, 9, 1)),
        "application_on/history[0].on",
    ),
    (
        "a step dated before the previous one",
        lambda: walk(FUNDED).to(S.SUBSIDY_COMPUTED, on=D(2024, 9, 1)),
        "history[1].on",
    ),
    ("an empty history", lambda: attrs.evolve(walk(FUNDED), history=()), "history"),
]


@pytest.mark.parametrize(
    ("name", "build", "field"), TRANSFER_INVALID, ids=[row[0] for row in TRANSFER_INVALID]
)
def test_an_inconsistent_transfer_is_refused_naming_the_fields(
    name: str, build: Any, field: str
) -> None:
    with pytest.raises(InconsistentRecord) as raised:
        build()

    assert field == raised.value.field


def test_status_on_and_reached_on_read_the_history() -> None:
    transfer = walk(FUNDED, S.SUBSIDY_COMPUTED, S.FUNDS_REMITTED)

    assert [None, S.ORDER_ISSUED, S.SUBSIDY_COMPUTED, S.FUNDS_REMITTED] == [
        transfer.status_on(D(2024, 9, d)) for d in (9, 10, 11, 12)
    ]
    assert (D(2024, 9, 12), None) == (
        transfer.reached_on(S.FUNDS_REMITTED),
        transfer.reached_on(S.CONTINUED),
    )


def test_a_transfer_repr_shows_the_masked_number_and_no_dates() -> None:
    shown = repr(walk(FUNDED, S.SUBSIDY_COMPUTED))

    assert (
        "InsuranceTransfer(veteran=ResidentId('450312********0011'), scheme=PENSION, "
        "status=SUBSIDY_COMPUTED, steps=2)"
    ) == shown


SCHEMES = [
    (M.RETIREMENT, set()),
    (M.SUPPORT, {InsuranceScheme.PENSION, InsuranceScheme.MEDICAL}),
    (
        M.SELF_EMPLOYMENT,
        {InsuranceScheme.PENSION, InsuranceScheme.MEDICAL, InsuranceScheme.UNEMPLOYMENT},
    ),
    (
        M.CIVILIAN_TRANSFER,
        {InsuranceScheme.PENSION, InsuranceScheme.MEDICAL, InsuranceScheme.UNEMPLOYMENT},
    ),
]


@pytest.mark.parametrize(("mode", "expected"), SCHEMES, ids=[m.value for m, _ in SCHEMES])
def test_the_schemes_continued_depend_on_the_mode(
    mode: DischargeMode, expected: set[InsuranceScheme]
) -> None:
    assert expected == insurance_schemes_for(mode)


# --- insurance deadlines -------------------------------------------------------------------------

MEDICAL_ACCOUNT = [
    (
        "20 天 from the voucher, met on the last day",
        "2024-12-20",
        "2025-01-09",
        "2025-01-09",
        ST.MET,
    ),
    ("20 天, opened a day late", "2024-12-20", "2025-01-09", "2025-01-10", ST.LATE),
    ("20 天 ending in Spring Festival rolls", "2025-01-12", "2025-02-05", None, ST.OVERDUE),
]


@pytest.mark.parametrize(
    ("name", "received", "expected_due", "opened", "expected"),
    MEDICAL_ACCOUNT,
    ids=[row[0] for row in MEDICAL_ACCOUNT],
)
def test_the_medical_account_is_due_20_days_after_the_voucher(
    name: str, received: str, expected_due: str, opened: str | None, expected: ST
) -> None:
    transfer = InsuranceTransfer.start(
        veteran=VETERAN, scheme=InsuranceScheme.MEDICAL, on=D(2024, 11, 1)
    )
    for status in FUNDED_PATH[1:4]:
        transfer = transfer.to(status, on=D(2024, 11, 15))
    transfer = transfer.to(S.RECEIVED_BY_AGENCY, on=D.fromisoformat(received))
    if opened is not None:
        transfer = transfer.to(S.ACCOUNT_OPENED, on=D.fromisoformat(opened))

    (deadline,) = insurance_deadlines(BOOK, transfer, calendar=NATIONAL)

    assert (K.MEDICAL_ACCOUNT, D.fromisoformat(expected_due)) == (deadline.kind, deadline.due)
    assert expected == deadline.status(on=D(2025, 3, 1))
    assert ("SECONDARY", "国办发〔1999〕100号") == (
        deadline.due_date.citation.grade.value,  # type: ignore[union-attr]
        deadline.due_date.citation.number,
    )


def test_no_account_deadline_before_the_agency_has_the_voucher() -> None:
    transfer = walk(InsuranceScheme.MEDICAL, S.SUBSIDY_COMPUTED)

    assert () == insurance_deadlines(BOOK, transfer)


def test_the_transfer_in_application_counts_supplied_working_days() -> None:
    transfer = walk(FUNDED).applied(on=D(2025, 9, 26))
    with pytest.raises(ParameterMissing) as raised:
        insurance_deadlines(BOOK, transfer, calendar=NATIONAL)
    book = BOOK.with_values({"discharge.pension_transfer_in_application": 15})

    (deadline,) = insurance_deadlines(book, transfer, calendar=NATIONAL)

    assert "discharge.pension_transfer_in_application" == raised.value.key
    assert (K.PENSION_TRANSFER_IN, D(2025, 10, 23)) == (deadline.kind, deadline.due)


# --- training ------------------------------------------------------------------------------------

# (name, discharged, course starts, basis, opens, closes, free uses) with the bundled figures
TRAINING = [
    (
        "2011 window: the first day after discharge",
        "2019-09-05",
        "2019-09-06",
        TrainingBasis.WINDOW_2011,
        "2019-09-05",
        "2020-09-07",
        1,
    ),
    (
        "2011 window: its last day, a Saturday rolled to Monday",
        "2019-09-05",
        "2020-09-07",
        TrainingBasis.WINDOW_2011,
        "2019-09-05",
        "2020-09-07",
        1,
    ),
    (
        "2011 window still open in 2021",
        "2020-06-10",
        "2021-03-01",
        TrainingBasis.WINDOW_2011,
        "2020-06-10",
        "2021-06-10",
        1,
    ),
]


@pytest.mark.parametrize(
    ("name", "discharged", "starts", "basis", "opens", "closes", "uses"),
    TRAINING,
    ids=[row[0] for row in TRAINING],
)
def test_the_free_training_rule_follows_the_regime_and_the_window(
    name: str,
    discharged: str,
    starts: str,
    basis: TrainingBasis,
    opens: str,
    closes: str | None,
    uses: int,
) -> None:
    entitlement = training_entitlement(
        BOOK,
        FIGURES,
        veteran=VETERAN,
        discharged_on=D.fromisoformat(discharged),
        on=D.fromisoformat(starts),
        calendar=NATIONAL,
    )

    assert (basis, D.fromisoformat(opens), closes and D.fromisoformat(closes), uses) == (
        entitlement.basis,
        entitlement.opens_on,
        entitlement.closes_on,
        entitlement.max_free_uses,
    )


# (name, discharged, course starts, figure missing, basis once supplied, opens, closes)
TRAINING_SUPPLIED = [
    (
        "the day after the 2011 window: national policy, number NOT FOUND",
        "2019-09-05",
        "2020-09-08",
        "discharge.training_free_uses_after_window",
        TrainingBasis.POLICY_2011,
        "2020-09-08",
        "2020-12-31",
    ),
    (
        "after the 2011 window from 2021: the 保障法, number NOT CONFIRMED",
        "2019-09-05",
        "2021-01-01",
        "discharge.training_free_uses_statute",
        TrainingBasis.STATUTE,
        "2021-01-01",
        None,
    ),
    (
        "the first day of the 2024 regulation: no window",
        "2024-09-01",
        "2024-09-02",
        "discharge.training_free_uses_statute",
        TrainingBasis.STATUTE,
        "2024-09-01",
        None,
    ),
    (
        "a 2010 discharge trained in 2021: the 保障法 reaches it",
        "2010-05-01",
        "2021-06-01",
        "discharge.training_free_uses_statute",
        TrainingBasis.STATUTE,
        "2021-01-01",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "discharged", "starts", "key", "basis", "opens", "closes"),
    TRAINING_SUPPLIED,
    ids=[row[0] for row in TRAINING_SUPPLIED],
)
def test_an_unconfirmed_number_of_free_trainings_must_be_supplied(
    name: str,
    discharged: str,
    starts: str,
    key: str,
    basis: TrainingBasis,
    opens: str,
    closes: str | None,
) -> None:
    arguments: dict[str, Any] = {
        "veteran": VETERAN,
        "discharged_on": D.fromisoformat(discharged),
        "on": D.fromisoformat(starts),
        "calendar": NATIONAL,
    }
    with pytest.raises(ParameterMissing) as raised:
        training_entitlement(BOOK, FIGURES, **arguments)

    entitlement = training_entitlement(BOOK, FIGURES.with_values({key: 2}), **arguments)

    assert key == raised.value.key
    assert (basis, D.fromisoformat(opens), closes and D.fromisoformat(closes), 2) == (
        entitlement.basis,
        entitlement.opens_on,
        entitlement.closes_on,
        entitlement.max_free_uses,
    )


def test_a_discharge_before_2011_trained_before_2021_has_no_bundled_rule() -> None:
    with pytest.raises(ParameterMissing) as raised:
        training_entitlement(
            BOOK, FIGURES, veteran=VETERAN, discharged_on=D(2010, 5, 1), on=D(2010, 9, 1)
        )

    assert "discharge.training_free_window_2011" == raised.value.key


def test_a_course_before_the_discharge_is_refused() -> None:
    with pytest.raises(InvalidValue):
        training_entitlement(
            BOOK, FIGURES, veteran=VETERAN, discharged_on=D(2020, 5, 1), on=D(2020, 4, 30)
        )


def course(n: int, on: str, **overrides: Any) -> TrainingEnrolment:
    fields: dict[str, Any] = {
        "enrolment_id": f"PX-{n}",
        "veteran": VETERAN,
        "kind": TrainingKind.SKILLS,
        "enrolled_on": D.fromisoformat(on),
    }
    return TrainingEnrolment(**(fields | overrides))


def test_the_one_free_training_of_the_2011_window_is_used_once() -> None:
    entitlement = training_entitlement(
        BOOK, FIGURES, veteran=VETERAN, discharged_on=D(2019, 9, 5), on=D(2019, 10, 1)
    )
    used = entitlement.use(course(1, "2019-10-01"))

    assert (1, 0) == (len(used.used), used.remaining)
    with pytest.raises(InconsistentRecord) as raised:
        used.use(course(2, "2019-11-01"))
    assert "used/max_free_uses" == raised.value.field


USE_REFUSED = [
    ("another veteran's course", course(1, "2019-10-01", veteran=OTHER), "course.veteran"),
    ("a paid course", course(1, "2019-10-01", free=False), "course.kind/free"),
    (
        "adaptive training is not counted",
        course(1, "2019-10-01", kind=TrainingKind.ADAPTIVE),
        "course.kind/free",
    ),
    ("a course after the window", course(1, "2020-09-06"), "course.enrolled_on"),
    ("a course before the discharge", course(1, "2019-09-04"), "course.enrolled_on"),
]


@pytest.mark.parametrize(("name", "given", "field"), USE_REFUSED, ids=[r[0] for r in USE_REFUSED])
def test_only_a_free_counted_course_in_the_window_is_charged(
    name: str, given: TrainingEnrolment, field: str
) -> None:
    entitlement = training_entitlement(
        BOOK, FIGURES, veteran=VETERAN, discharged_on=D(2019, 9, 5), on=D(2019, 10, 1)
    )

    with pytest.raises(InconsistentRecord) as raised:
        entitlement.use(given)

    assert field == raised.value.field


ENROLMENT_INVALID = [
    ("completed before enrolled", {"completed_on": D(2020, 1, 1)}, "enrolled_on/completed_on"),
    ("certified without completing", {"certified": True}, "certified/completed_on"),
]


@pytest.mark.parametrize(
    ("name", "overrides", "field"), ENROLMENT_INVALID, ids=[r[0] for r in ENROLMENT_INVALID]
)
def test_an_inconsistent_enrolment_is_refused(
    name: str, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InconsistentRecord) as raised:
        course(1, "2020-03-01", **overrides)

    assert field == raised.value.field


def test_the_bundled_figures_cite_their_sources_and_the_unknown_ones_say_what_to_supply() -> None:
    count, citation = FIGURES.count_on("discharge.training_free_uses_2011_window", D(2015, 1, 1))

    assert (1, "GOV") == (count, citation.grade.value)  # type: ignore[union-attr]
    assert "一次" in citation.quote  # type: ignore[operator]
    assert (
        "discharge.training_free_uses_2011_window",
        "discharge.training_free_uses_after_window",
        "discharge.training_free_uses_statute",
    ) == FIGURES.keys()
    with pytest.raises(ParameterMissing, match="合肥市 2020 draft"):
        FIGURES.count_on("discharge.training_free_uses_statute", D(2025, 1, 1))


def test_figures_refuse_a_number_that_is_not_whole_and_an_unknown_key() -> None:
    with pytest.raises(InvalidValue):
        FIGURES.with_values({"discharge.training_free_uses_statute": "1.5"})
    with pytest.raises(ParameterMissing):
        FIGURES.with_values({"discharge.no_such_figure": 1})


def test_figures_load_from_a_file_of_the_bundled_format(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        '[[figure]]\nkey = "discharge.training_free_uses_statute"\nlabel_zh = "次数"\n'
        'label_en = "count"\nunit = "trainings"\n\n  [[figure.version]]\n'
        'effective_from = "2021-01-01"\nvalue = 1\ncitation = { document = "local notice" }\n',
        encoding="utf-8",
    )

    count, citation = DischargeFigures.load(path).count_on(
        "discharge.training_free_uses_statute", D(2022, 1, 1)
    )

    assert (1, "local notice") == (count, citation.document)


# --- employment ----------------------------------------------------------------------------------


def job(
    n: int, status: EmploymentStatus, start: str, end: str | None = None, **more: Any
) -> EmploymentRecord:
    return EmploymentRecord(
        record_id=f"JY-{n}",
        veteran=VETERAN,
        status=status,
        started_on=D.fromisoformat(start),
        ended_on=None if end is None else D.fromisoformat(end),
        **more,
    )


def test_a_history_reads_the_status_on_a_day() -> None:
    history = EmploymentHistory(
        veteran=VETERAN,
        records=(
            job(1, EmploymentStatus.AWAITING_PLACEMENT, "2024-10-01", "2025-01-31"),
            job(2, EmploymentStatus.PLACED, "2025-02-05", employer="县供电公司", contract_years=3),
        ),
    )

    assert [
        None,
        EmploymentStatus.AWAITING_PLACEMENT,
        None,
        EmploymentStatus.PLACED,
    ] == [
        None if (r := history.on(D.fromisoformat(day))) is None else r.status
        for day in ("2024-09-30", "2025-01-31", "2025-02-03", "2025-02-05")
    ]
    assert EmploymentStatus.PLACED == history.current.status  # type: ignore[union-attr]


EMPLOYMENT_INVALID = [
    (
        "an employer for a job seeker",
        lambda: job(1, EmploymentStatus.JOB_SEEKING, "2025-01-01", employer="某公司"),
        "status/employer",
    ),
    (
        "a fixed term and open-ended",
        lambda: job(1, EmploymentStatus.PLACED, "2025-01-01", contract_years=3, open_ended=True),
        "contract_years/open_ended",
    ),
    (
        "ended before it started",
        lambda: job(1, EmploymentStatus.EMPLOYED, "2025-01-01", "2024-12-31"),
        "started_on/ended_on",
    ),
    (
        "overlapping records",
        lambda: EmploymentHistory(
            veteran=VETERAN,
            records=(
                job(1, EmploymentStatus.PUBLIC_WELFARE_POST, "2025-01-01", "2025-03-01"),
                job(2, EmploymentStatus.EMPLOYED, "2025-03-01"),
            ),
        ),
        "records[1].started_on",
    ),
    (
        "a record after an open one",
        lambda: EmploymentHistory(
            veteran=VETERAN,
            records=(
                job(1, EmploymentStatus.REINSTATED, "2025-01-01"),
                job(2, EmploymentStatus.EMPLOYED, "2025-03-01"),
            ),
        ),
        "records[1].started_on",
    ),
    (
        "another veteran's record",
        lambda: EmploymentHistory(
            veteran=OTHER, records=(job(1, EmploymentStatus.SELF_EMPLOYED, "2025-01-01"),)
        ),
        "records[0].veteran",
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "field"), EMPLOYMENT_INVALID, ids=[r[0] for r in EMPLOYMENT_INVALID]
)
def test_an_inconsistent_employment_record_is_refused(name: str, build: Any, field: str) -> None:
    with pytest.raises(InconsistentRecord) as raised:
        build()

    assert field == raised.value.field


def test_every_status_but_plain_employment_cites_its_article() -> None:
    uncited = [s for s in EmploymentStatus if s.basis is None]

    assert [EmploymentStatus.EMPLOYED] == uncited
    assert ("公益性岗位", "第六十七条第二款") == (
        EmploymentStatus.PUBLIC_WELFARE_POST.label_zh,
        EmploymentStatus.PUBLIC_WELFARE_POST.basis.article,  # type: ignore[union-attr]
    )


# --- the discharge record ------------------------------------------------------------------------

RECORD_INVALID = [
    (
        "an officer cannot be self-employed",
        {"personnel_type": P.OFFICER},
        "personnel_type/discharge_mode",
    ),
    ("approved after the discharge", {"approved_on": D(2024, 9, 11)}, "approved_on/discharged_on"),
    ("reported before the approval", {"reported_on": D(2024, 9, 9)}, "reported_on/approved_on"),
    (
        "a reception for a self-employed soldier",
        {"received_on": D(2024, 9, 20)},
        "received_on/discharge_mode",
    ),
    (
        "a set time for a self-employed soldier",
        {"report_by": D(2024, 9, 20)},
        "report_by/discharge_mode",
    ),
    (
        "a settlement date for a soldier",
        {"settlement_fixed_on": D(2024, 9, 20)},
        "settlement_fixed_on/personnel_type",
    ),
    (
        "a school entry without a place",
        {"school_entered_on": D(2024, 9, 20)},
        "school_entered_on/school_place_reserved",
    ),
]


@pytest.mark.parametrize(
    ("name", "changes", "field"), RECORD_INVALID, ids=[r[0] for r in RECORD_INVALID]
)
def test_an_inconsistent_discharge_record_is_refused(
    name: str, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InconsistentRecord) as raised:
        attrs.evolve(record(), **changes)

    assert field == raised.value.field


def test_arranged_events_keep_their_order() -> None:
    with pytest.raises(InconsistentRecord) as raised:
        record(P.NCO, M.ARRANGED_EMPLOYMENT, received_on="2024-10-01", placed_on="2024-09-30")

    assert "received_on/placed_on" == raised.value.field


def test_a_record_comes_from_a_veteran_and_hides_the_number_and_dates() -> None:
    veteran = Veteran(
        person=Person(
            resident_id=VETERAN,
            name="韦建国",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=D(2022, 9, 1),
            personnel_type=P.CONSCRIPT,
            discharged_on=D(2024, 9, 10),
            discharge_mode=M.SELF_EMPLOYMENT,
        ),
    )

    made = DischargeRecord.from_veteran(veteran, reported_on=D(2024, 9, 20))

    assert (VETERAN, M.SELF_EMPLOYMENT, D(2024, 9, 10), D(2024, 9, 20)) == (
        made.veteran,
        made.discharge_mode,
        made.discharged_on,
        made.reported_on,
    )
    assert (
        "DischargeRecord(veteran=ResidentId('450312********0011'), personnel_type=CONSCRIPT, "
        "discharge_mode=SELF_EMPLOYMENT, regime=VETERANS_2024)"
    ) == repr(made)


def test_a_veteran_without_a_mode_needs_one_given() -> None:
    veteran = Veteran(
        person=Person(
            resident_id=VETERAN,
            name="韦建国",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=D(2022, 9, 1), personnel_type=P.CONSCRIPT, discharged_on=D(2024, 9, 10)
        ),
    )

    with pytest.raises(InconsistentRecord):
        DischargeRecord.from_veteran(veteran)
    assert (
        M.SUPPORT == DischargeRecord.from_veteran(veteran, discharge_mode=M.SUPPORT).discharge_mode
    )
