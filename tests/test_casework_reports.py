"""The casework reports over the five levels: figures on small hand-built examples, with the
boundary days, and every parent's row the sum of its children's and its own.

The tree is 桂林市 (4503) from the bundled divisions. Petitions are dated in 2020 (the 2005
limits: 15 日 routing, 60 日 handling, 30 日 复查), counted on the Guangxi calendar; the one
of 2023 shows a limit the 2022 text leaves without a value. The registers (legacy cases,
requests, reception days, training, employment) are counted on 2020-06-01 for the year 2020.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from veteran_affairs.casework.deadlines import LimitBook
from veteran_affairs.casework.discharge import (
    EmploymentRecord,
    EmploymentStatus,
    InsuranceScheme,
    InsuranceTransfer,
    TrainingEnrolment,
    TrainingKind,
)
from veteran_affairs.casework.leaders import (
    BaolianTalk,
    ContactAssignment,
    PartialQuarters,
    ReceptionSession,
    baolian_compliance,
)
from veteran_affairs.casework.legacy import LegacyCase, LegacyCategory, Milestone, OriginRegime
from veteran_affairs.casework.petitions import (
    ClosureKind,
    NotAcceptedReason,
    Petition,
    PetitionCategory,
    PetitionChannel,
    ReceiverKind,
    StatutoryRoute,
)
from veteran_affairs.casework.requests import (
    Contact,
    ContactChannel,
    EscalationKind,
    FollowUp,
    Request,
)
from veteran_affairs.cycles import Quarter, Year
from veteran_affairs.errors import InvalidValue
from veteran_affairs.hierarchy import (
    BAOLIAN_COLUMNS,
    PETITION_COLUMNS,
    TRANSFER_COLUMNS,
    DivisionTree,
    FigureKind,
    Report,
    baolian_report,
    compliance_summary,
    petitions_report,
    transfers_report,
)
from veteran_affairs.hierarchy.casework_report import REGISTER_COLUMNS, registers_report
from veteran_affairs.identity import DivisionCode, ResidentId

TREE = DivisionTree.bundled("45").restrict("4503")
ON = dt.date(2020, 6, 1)
PETITIONER = ResidentId("11010519491231002X")
LINGUI, YANSHAN, CITY = "450312", "450311", "4503"
D = dt.date


def _received(pid: str, on: dt.date, *, at: str = LINGUI, office: bool = False) -> Petition:
    return Petition.receive(
        petition_id=pid,
        petitioner=PETITIONER,
        category=PetitionCategory.APPEAL,
        channel=PetitionChannel.LETTER,
        received_by=DivisionCode(at),
        receiver=ReceiverKind.PETITION_OFFICE if office else ReceiverKind.OTHER_BODY,
        on=on,
        actor="clerk",
    )


def _accepted(pid: str, accepted: dt.date) -> Petition:
    return _received(pid, accepted - dt.timedelta(days=7)).accept(on=accepted, actor="bureau")


ACCEPTED = D(2020, 3, 9)  # the handling limit (60 日) is due on 2020-05-08


def _answered(pid: str, answered: dt.date) -> Petition:
    return _accepted(pid, ACCEPTED).answer(on=answered, actor="bureau")


def open_within_limit() -> Petition:
    return _accepted("P1", D(2020, 5, 1))  # due 2020-06-30


def open_past_limit() -> Petition:
    return _accepted("P2", D(2020, 3, 9))  # due 2020-05-08


def answered_on_due_date() -> Petition:
    return _answered("P3", D(2020, 5, 8))


def answered_day_after() -> Petition:
    return _answered("P4", D(2020, 5, 9))


def closed_after_answer_in_time() -> Petition:
    return _answered("P5", D(2020, 4, 20)).close(
        on=D(2020, 5, 25), actor="bureau", closure=ClosureKind.SATISFIED
    )


def not_accepted() -> Petition:
    return _received("P6", D(2020, 3, 2)).refuse(
        on=D(2020, 3, 5),
        actor="bureau",
        reason=NotAcceptedReason.STATUTORY_ROUTE,
        route=StatutoryRoute.ADMINISTRATIVE_REVIEW,
    )


def routed_to_yanshan() -> Petition:
    routed = _received("P7", D(2020, 3, 2), at=CITY, office=True).route(
        on=D(2020, 3, 6), actor="office", to_unit=DivisionCode(YANSHAN)
    )
    return routed.accept(on=D(2020, 3, 10), actor="bureau").answer(on=D(2020, 4, 1), actor="b")


def review_at_the_city() -> Petition:
    answered = _answered("P8", D(2020, 4, 1))
    return answered.request_review(on=D(2020, 4, 20), actor="petitioner", unit=DivisionCode(CITY))


def not_yet_routed_in_time() -> Petition:
    return _received("P9", D(2020, 5, 25), at=CITY, office=True)  # routing due 2020-06-09


FIGURES: tuple[str, ...] = (
    "received",
    "open",
    "answered",
    "answered_on_time",
    "answered_late",
    "overdue",
    "not_accepted",
    "closed",
    "limit_unknown",
)

# name, petition, the unit it counts at, its figures in FIGURES order.
PETITION_CASES: list[tuple[str, Callable[[], Petition], str, tuple[int, ...]]] = [
    ("open within its limit", open_within_limit, LINGUI, (1, 1, 0, 0, 0, 0, 0, 0, 0)),
    ("open past its limit: overdue", open_past_limit, LINGUI, (1, 1, 0, 0, 0, 1, 0, 0, 0)),
    ("answered on the due date", answered_on_due_date, LINGUI, (1, 1, 1, 1, 0, 0, 0, 0, 0)),
    ("answered the day after", answered_day_after, LINGUI, (1, 1, 1, 0, 1, 0, 0, 0, 0)),
    ("closed", closed_after_answer_in_time, LINGUI, (1, 0, 1, 1, 0, 0, 0, 1, 0)),
    ("not accepted", not_accepted, LINGUI, (1, 0, 0, 0, 0, 0, 1, 0, 0)),
    ("routed: at the body it went to", routed_to_yanshan, YANSHAN, (1, 1, 1, 1, 0, 0, 0, 0, 0)),
    ("复查 overdue at the city", review_at_the_city, CITY, (1, 1, 1, 1, 0, 1, 0, 0, 0)),
    ("routing still in time", not_yet_routed_in_time, CITY, (1, 1, 0, 0, 0, 0, 0, 0, 0)),
]


def _own(report: Report, code: str, keys: tuple[str, ...]) -> tuple[int, ...]:
    values = report.own.get(DivisionCode(code).value)
    if values is None:
        return (0,) * len(keys)
    return tuple(int(values[report.keys.index(key)] or 0) for key in keys)


def _additive_sums_hold(report: Report, tree: DivisionTree) -> None:
    """Every row = its own figures + its children's rows (counts only; rates recomputed)."""
    keys = [c.key for c in report.columns if c.kind is not FigureKind.RATE]
    for row in report:
        children = [report[child.code] for child in tree.children(row.code)]
        own = report.own.get(row.code.value)
        for key in keys:
            mine = 0 if own is None else own[report.keys.index(key)]
            below = sum(int(child[key] or 0) for child in children)
            assert row[key] == int(mine or 0) + below, (row.code, key)


# --- petitions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "unit", "expected"),
    PETITION_CASES,
    ids=[case[0] for case in PETITION_CASES],
)
def test_a_petition_counts_once_at_the_body_that_has_it(
    name: str, build: Callable[[], Petition], unit: str, expected: tuple[int, ...]
) -> None:
    report = petitions_report(TREE, [build()], on=ON)

    assert expected == _own(report, unit, FIGURES), name
    assert expected == tuple(report[CITY][key] for key in FIGURES)


def test_the_units_add_up_to_the_city_and_rates_come_from_the_sums() -> None:
    petitions = [build() for _, build, _, _ in PETITION_CASES]

    report = petitions_report(TREE, petitions, on=ON, period=Year(year=2020))

    _additive_sums_hold(report, TREE)
    top = report[CITY]
    assert (9, 7, 5, 4, 1, 2) == tuple(top[key] for key in FIGURES[:6])
    assert 4 / 5 == top["on_time_rate"]
    assert 2 / 7 == top["overdue_rate"]
    assert [c.key for c in PETITION_COLUMNS] == list(report.keys)


@pytest.mark.parametrize(
    ("name", "on", "period", "received"),
    [
        ("a petition registered after the date is left out", D(2020, 5, 31), None, 0),
        ("on its registration day it counts", D(2020, 6, 1), None, 1),
        ("outside the period it is left out", D(2020, 6, 2), Quarter.parse("2020Q1"), 0),
        ("inside the period it counts", D(2020, 6, 2), Quarter.parse("2020Q2"), 1),
    ],
)
def test_the_date_and_the_period_choose_the_petitions(
    name: str, on: dt.date, period: Quarter | None, received: int
) -> None:
    petition = _received("P10", D(2020, 6, 1))

    report = petitions_report(TREE, [petition], on=on, period=period)

    assert received == report[CITY]["received"], name


@pytest.mark.parametrize(
    ("name", "on", "overdue"),
    [("on the due date", D(2020, 5, 8), 0), ("the day after", D(2020, 5, 9), 1)],
)
def test_an_unanswered_petition_is_overdue_from_the_day_after_its_due_date(
    name: str, on: dt.date, overdue: int
) -> None:
    report = petitions_report(TREE, [open_past_limit()], on=on)

    assert overdue == report[LINGUI]["overdue"], name


def test_a_limit_without_a_value_is_not_counted_but_said() -> None:
    # Received directly in 2023: the 2022 day limit for telling the petitioner was NOT FOUND.
    petition = _received("P11", D(2023, 3, 1))

    report = petitions_report(TREE, [petition], on=D(2023, 4, 1))
    supplied = petitions_report(
        TREE,
        [petition],
        on=D(2023, 4, 1),
        book=LimitBook.bundled().with_values({"petition.direct_notice": 15}),
    )

    assert (1, 1, 0, 1) == tuple(
        report[LINGUI][k] for k in ("received", "open", "overdue", "limit_unknown")
    )
    assert any("could not be counted" in note for note in report.notes)
    assert (1, 0) == (supplied[LINGUI]["overdue"], supplied[LINGUI]["limit_unknown"])


def test_a_petition_outside_the_tree_is_unplaced() -> None:
    petition = _received("P12", D(2020, 3, 2), at="450102")  # 南宁 兴宁区

    report = petitions_report(TREE, [petition], on=ON)

    assert (0, 1) == (report[CITY]["received"], report.unplaced)


# --- insurance transfers --------------------------------------------------------------------------

VETERAN = ResidentId("450312199801010011")


def _transfer(
    scheme: InsuranceScheme, steps: int, *, stall: bool = False, where: str | None = LINGUI
) -> InsuranceTransfer:
    transfer = InsuranceTransfer.start(
        veteran=VETERAN,
        scheme=scheme,
        on=D(2020, 8, 1),
        destination=None if where is None else DivisionCode(where),
    )
    day = D(2020, 8, 1)
    for _ in range(steps):
        day += dt.timedelta(days=5)
        transfer = transfer.advance(on=day)
    if stall:
        transfer = transfer.stall(on=day + dt.timedelta(days=1), note="凭证遗失")
    return transfer


def _medical_received(on: dt.date, opened: dt.date | None = None) -> InsuranceTransfer:
    transfer = InsuranceTransfer.start(
        veteran=VETERAN,
        scheme=InsuranceScheme.MEDICAL,
        on=D(2020, 8, 1),
        destination=DivisionCode(YANSHAN),
    )
    for day in (D(2020, 8, 5), D(2020, 8, 10), D(2020, 8, 20), on):
        transfer = transfer.advance(on=day)
    if opened is not None:
        transfer = transfer.advance(on=opened)
    return transfer


TRANSFER_KEYS = ("transfers", "continued", "stalled", "pending", "account_overdue")

TRANSFER_CASES = [
    ("continued", _transfer(InsuranceScheme.PENSION, 6), LINGUI, (1, 1, 0, 0, 0)),
    ("unemployment credit continued", _transfer(InsuranceScheme.UNEMPLOYMENT, 2), LINGUI,
     (1, 1, 0, 0, 0)),
    ("half way", _transfer(InsuranceScheme.PENSION, 3), LINGUI, (1, 0, 0, 1, 0)),
    ("stalled", _transfer(InsuranceScheme.PENSION, 2, stall=True), LINGUI, (1, 0, 1, 1, 0)),
    ("medical account opened in time", _medical_received(D(2020, 9, 1), D(2020, 9, 21)),
     YANSHAN, (1, 0, 0, 1, 0)),
    ("medical account opened late", _medical_received(D(2020, 9, 1), D(2020, 9, 22)), YANSHAN,
     (1, 0, 0, 1, 0)),
    ("medical account not opened, past due", _medical_received(D(2020, 9, 1)), YANSHAN,
     (1, 0, 0, 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "transfer", "unit", "expected"),
    TRANSFER_CASES,
    ids=[case[0] for case in TRANSFER_CASES],
)
def test_a_transfer_counts_by_its_state_at_its_destination(
    name: str, transfer: InsuranceTransfer, unit: str, expected: tuple[int, ...]
) -> None:
    report = transfers_report(TREE, [transfer], on=D(2020, 12, 1))

    assert expected == _own(report, unit, TRANSFER_KEYS), name


@pytest.mark.parametrize(
    ("name", "on", "overdue"),
    [("on the 20th day", D(2020, 9, 21), 0), ("on the 21st day", D(2020, 9, 22), 1)],
)
def test_a_medical_account_is_overdue_from_the_day_after_its_20_days(
    name: str, on: dt.date, overdue: int
) -> None:
    report = transfers_report(TREE, [_medical_received(D(2020, 9, 1))], on=on)

    assert overdue == report[YANSHAN]["account_overdue"], name


def test_transfers_by_state_on_an_earlier_date_and_the_ones_left_out() -> None:
    transfers = [case[1] for case in TRANSFER_CASES]
    later = InsuranceTransfer.start(
        veteran=VETERAN,
        scheme=InsuranceScheme.MEDICAL,
        on=D(2021, 1, 5),
        destination=DivisionCode(LINGUI),
    )
    nowhere = _transfer(InsuranceScheme.MEDICAL, 1, where=None)

    report = transfers_report(TREE, [*transfers, later, nowhere], on=D(2020, 8, 3))

    _additive_sums_hold(report, TREE)
    top = report[CITY]
    assert (7, 7, 0) == (top["transfers"], top["order_issued"], top["continued"])
    assert 1 == report.unplaced
    assert 0.0 == top["continued_rate"]
    assert [c.key for c in TRANSFER_COLUMNS] == list(report.keys)


def test_the_states_add_up_to_the_transfers_and_the_city_to_its_counties() -> None:
    report = transfers_report(TREE, [case[1] for case in TRANSFER_CASES], on=D(2020, 12, 1))
    states = [c.key for c in TRANSFER_COLUMNS[1:9]]

    _additive_sums_hold(report, TREE)
    top = report[CITY]
    assert top["transfers"] == sum(int(top[key] or 0) for key in states)
    assert (7, 2, 5, 1) == (top["transfers"], top["continued"], top["pending"], top["stalled"])
    assert 2 / 7 == top["continued_rate"]


# --- 包联 ---------------------------------------------------------------------------------------


def _assignment(
    aid: str, area: str, starts: dt.date, ends: dt.date | None = None
) -> ContactAssignment:
    return ContactAssignment(
        assignment_id=aid,
        leader="4503-leader-1",
        area=DivisionCode(area),
        starts_on=starts,
        ends_on=ends,
    )


WHOLE = _assignment("BL-1", LINGUI, D(2021, 6, 1))
PARTIAL = _assignment("BL-2", YANSHAN, D(2022, 2, 15))
EARLY = _assignment("BL-3", CITY, D(2020, 1, 1))
TALKS = [
    WHOLE.talk(talk_id="T1", held_on=D(2022, 2, 10), participants=8),  # 2022Q1 met
    # 2022Q2 missed
    WHOLE.talk(talk_id="T3", held_on=D(2022, 8, 1), participants=8),  # 2022Q3 met
    WHOLE.talk(talk_id="T4", held_on=D(2022, 8, 30), participants=8),  # a second one
    PARTIAL.talk(talk_id="T5", held_on=D(2022, 3, 1), participants=5),  # partial quarter
    PARTIAL.talk(talk_id="T6", held_on=D(2022, 5, 1), participants=5),  # 2022Q2 met
    EARLY.talk(talk_id="T7", held_on=D(2020, 11, 3), participants=9),  # before the cadence
]
BAOLIAN_KEYS: tuple[str, ...] = (
    "assignments",
    "quarters",
    "with_talk",
    "talks",
    "due",
    "met",
    "missed",
    "pending",
    "not_checked",
    "no_cadence",
)


@pytest.mark.parametrize(
    ("name", "period", "talks_per_quarter", "unit", "expected"),
    [
        ("a whole assignment: met, missed, met, pending", Year(year=2022), None, LINGUI,
         (1, 4, 2, 3, 3, 2, 1, 1, 0, 0)),
        ("a partial first quarter is not checked", Year(year=2022), None, YANSHAN,
         (1, 4, 2, 2, 2, 1, 1, 1, 1, 0)),
        ("quarters before the cadence are not checked", Year(year=2020), None, CITY,
         (1, 4, 1, 1, 0, 0, 0, 0, 0, 4)),
        ("a cadence of one's own checks them", Year(year=2020), 1, CITY,
         (1, 4, 1, 1, 4, 1, 3, 0, 0, 0)),
        ("two talks a quarter", Year(year=2022), 2, LINGUI, (1, 4, 2, 3, 3, 1, 2, 1, 0, 0)),
    ],
)  # fmt: skip
def test_baolian_quarters_per_area(
    name: str,
    period: Year,
    talks_per_quarter: int | None,
    unit: str,
    expected: tuple[int, ...],
) -> None:
    report = baolian_report(
        TREE,
        [WHOLE, PARTIAL, EARLY],
        TALKS,
        period=period,
        as_of=D(2022, 11, 15),
        talks_per_quarter=talks_per_quarter,
    )

    assert expected == _own(report, unit, BAOLIAN_KEYS), name


def test_baolian_met_and_missed_agree_with_the_compliance_summary() -> None:
    assignments, period, as_of = [WHOLE, PARTIAL], Year(year=2022), D(2023, 1, 10)

    report = baolian_report(TREE, assignments, TALKS, period=period, as_of=as_of)
    rows = baolian_compliance(assignments, TALKS, period, as_of=as_of)
    summary = compliance_summary(
        TREE, [r for row in rows if (r := row.as_compliance_row()) is not None], as_of=as_of
    )

    _additive_sums_hold(report, TREE)
    top = report[CITY]
    assert (summary[CITY]["on_time"], summary[CITY]["missed"]) == (top["met"], top["missed"])
    assert summary[CITY]["on_time_rate"] == top["met_rate"]
    assert 4 / 8 == top["talk_rate"]
    assert [c.key for c in BAOLIAN_COLUMNS] == list(report.keys)


def test_partial_quarters_are_checked_when_the_choice_says_so() -> None:
    report = baolian_report(
        TREE,
        [PARTIAL],
        TALKS,
        period=Quarter.parse("2022Q1"),
        as_of=D(2022, 11, 15),
        partial=PartialQuarters.DUE,
    )

    assert (1, 1, 0) == tuple(report[YANSHAN][k] for k in ("due", "met", "not_checked"))


def test_a_talk_of_an_assignment_not_given_is_ignored() -> None:
    report = baolian_report(
        TREE, [WHOLE], [*TALKS, BaolianTalk(
            talk_id="T9", assignment_id="BL-9", area=DivisionCode(LINGUI),
            held_on=D(2022, 5, 5), participants=3,
        )], period=Year(year=2022), as_of=D(2022, 11, 15),
    )  # fmt: skip

    assert 3 == report[CITY]["talks"]


# --- the other registers ------------------------------------------------------------------------

YEAR_2020 = Year(year=2020)
REGISTER_DAY = D(2020, 6, 1)


def _case(cid: str, *, at: str = LINGUI, identified: dt.date | None = None) -> LegacyCase:
    return LegacyCase.identify(
        case_id=cid, category=LegacyCategory.PLACEMENT, regime=OriginRegime.BEFORE_2011,
        topic="安置待遇落实", responsible_unit=DivisionCode(at), owner="科长",
        on=D(2020, 1, 10) if identified is None else identified,
        actor="clerk",
    )  # fmt: skip


def _planned(cid: str, target: dt.date, *, at: str = LINGUI) -> LegacyCase:
    milestone = Milestone(key="m1", title="核对档案", target_on=target)
    verified = _case(cid, at=at).verify(on=D(2020, 2, 1), actor="clerk")
    return verified.agree_plan(on=D(2020, 3, 1), actor="bureau", milestones=(milestone,))


def _contact(on: dt.date) -> Contact:
    return Contact(channel=ContactChannel.PHONE, on=on, unit=DivisionCode(LINGUI))


def _request(rid: str, registered: dt.date) -> Request:
    return Request.open(request_id=rid, contact=_contact(registered), topic="咨询", actor="st")


def _assigned(rid: str, on: dt.date) -> Request:
    return _request(rid, D(2020, 3, 1)).assign(on=on, actor="st", handler=DivisionCode(YANSHAN))


def _closed() -> Request:
    answered = _assigned("R4", D(2020, 3, 2)).answer(on=D(2020, 3, 20), actor="bureau")
    follow = FollowUp(on=D(2020, 4, 1), channel=ContactChannel.PHONE, actor="st", satisfied=True)
    return answered.close(on=D(2020, 4, 1), actor="st", follow_up=follow)


def _session(sid: str, held: dt.date, visitors: int = 12) -> ReceptionSession:
    return ReceptionSession(
        session_id=sid, unit=DivisionCode(LINGUI), leader="局长", held_on=held, visitors=visitors
    )


def _enrolment(
    eid: str,
    enrolled: dt.date,
    completed: dt.date | None = None,
    *,
    certified: bool = False,
    at: str | None = LINGUI,
) -> TrainingEnrolment:
    return TrainingEnrolment(
        enrolment_id=eid, veteran=VETERAN, unit=None if at is None else DivisionCode(at),
        kind=TrainingKind.SKILLS, enrolled_on=enrolled, completed_on=completed,
        certified=certified,
    )  # fmt: skip


def _spell(
    mid: str,
    status: EmploymentStatus,
    started: dt.date,
    ended: dt.date | None = None,
    *,
    at: str | None = LINGUI,
) -> EmploymentRecord:
    return EmploymentRecord(
        record_id=mid, veteran=VETERAN, unit=None if at is None else DivisionCode(at),
        status=status, started_on=started, ended_on=ended,
    )  # fmt: skip


WELFARE, EMPLOYED = EmploymentStatus.PUBLIC_WELFARE_POST, EmploymentStatus.EMPLOYED

# (name, records given to registers_report, unit counted at, its own non-zero figures)
REGISTER_CASES: list[tuple[str, Callable[[], dict[str, list[object]]], str, dict[str, int]]] = [
    (
        "a planned case with a milestone past its target day is open and overdue",
        lambda: {"legacy_cases": [_planned("L1", D(2020, 5, 31))]},
        LINGUI,
        {"legacy_cases": 1, "legacy_open": 1, "legacy_milestone_overdue": 1},
    ),
    (
        "a milestone due on the report day is not yet overdue",
        lambda: {"legacy_cases": [_planned("L2", REGISTER_DAY)]},
        LINGUI,
        {"legacy_cases": 1, "legacy_open": 1},
    ),
    (
        "a case resolved on the report day is resolved, its late milestone not counted",
        lambda: {
            "legacy_cases": [_planned("L3", D(2020, 5, 1)).resolve(on=REGISTER_DAY, actor="bureau")]
        },
        LINGUI,
        {"legacy_cases": 1, "legacy_resolved": 1},
    ),
    (
        "a case resolved the day after is still open, its milestone overdue",
        lambda: {
            "legacy_cases": [
                _planned("L3", D(2020, 5, 1)).resolve(on=D(2020, 6, 2), actor="bureau")
            ]
        },
        LINGUI,
        {"legacy_cases": 1, "legacy_open": 1, "legacy_milestone_overdue": 1},
    ),
    (
        "a referred case counts at its responsible unit",
        lambda: {
            "legacy_cases": [
                _case("L4", at=YANSHAN)
                .verify(on=D(2020, 2, 1), actor="c")
                .refer(to="市人社局", on=D(2020, 4, 1), actor="c")
            ]
        },
        YANSHAN,
        {"legacy_cases": 1, "legacy_referred_unresolvable": 1},
    ),
    (
        "an unresolvable case at the city",
        lambda: {
            "legacy_cases": [
                _case("L5", at=CITY)
                .verify(on=D(2020, 2, 1), actor="c")
                .declare_unresolvable(on=D(2020, 4, 1), actor="c")
            ]
        },
        CITY,
        {"legacy_cases": 1, "legacy_referred_unresolvable": 1},
    ),
    (
        "an unfounded case is counted in the total only",
        lambda: {"legacy_cases": [_case("L6").find_unfounded(on=D(2020, 2, 1), actor="c")]},
        LINGUI,
        {"legacy_cases": 1},
    ),
    (
        "a case identified after the report day is left out",
        lambda: {"legacy_cases": [_case("L7", identified=D(2020, 6, 2))]},
        LINGUI,
        {},
    ),
    (
        "a case identified years before counts (a stock, not a flow)",
        lambda: {"legacy_cases": [_case("L8", identified=D(2015, 6, 2))]},
        LINGUI,
        {"legacy_cases": 1, "legacy_open": 1},
    ),
    (
        "a request registered on the year's first day, not assigned, at the contact's unit",
        lambda: {"requests": [_request("R1", D(2020, 1, 1))]},
        LINGUI,
        {"requests": 1, "requests_open": 1},
    ),
    (
        "a request registered the day before the year is left out",
        lambda: {"requests": [_request("R2", D(2019, 12, 31))]},
        LINGUI,
        {},
    ),
    (
        "a request assigned by the report day counts at its handler",
        lambda: {"requests": [_assigned("R3", REGISTER_DAY)]},
        YANSHAN,
        {"requests": 1, "requests_open": 1},
    ),
    (
        "a request assigned the day after still counts at the contact's unit",
        lambda: {"requests": [_assigned("R3", D(2020, 6, 2))]},
        LINGUI,
        {"requests": 1, "requests_open": 1},
    ),
    (
        "a request closed after its follow-up",
        lambda: {"requests": [_closed()]},
        YANSHAN,
        {"requests": 1, "requests_closed": 1},
    ),
    (
        "a request escalated into a petition",
        lambda: {
            "requests": [
                _request("R5", D(2020, 2, 1)).escalate(
                    into=EscalationKind.PETITION, target_id="XF-1", on=D(2020, 2, 3), actor="st"
                )
            ]
        },
        LINGUI,
        {"requests": 1, "requests_escalated": 1},
    ),
    (
        "a withdrawn request is counted in the total only",
        lambda: {"requests": [_request("R6", D(2020, 2, 1)).withdraw(on=D(2020, 2, 2), actor="p")]},
        LINGUI,
        {"requests": 1},
    ),
    (
        "a request registered after the report day is left out",
        lambda: {"requests": [_request("R7", D(2020, 6, 2))]},
        LINGUI,
        {},
    ),
    (
        "a reception day held on the report day, with its visitors",
        lambda: {"sessions": [_session("S1", REGISTER_DAY)]},
        LINGUI,
        {"sessions": 1, "visitors": 12},
    ),
    (
        "a reception day the day after, or the year before, is left out",
        lambda: {"sessions": [_session("S2", D(2020, 6, 2)), _session("S3", D(2019, 12, 31))]},
        LINGUI,
        {},
    ),
    (
        "a reception day nobody came to is still held",
        lambda: {"sessions": [_session("S4", D(2020, 1, 1), visitors=0)]},
        LINGUI,
        {"sessions": 1},
    ),
    (
        "an enrolment completed and certified the day before the report day",
        lambda: {"enrolments": [_enrolment("E1", D(2020, 1, 1), D(2020, 5, 31), certified=True)]},
        LINGUI,
        {"enrolments": 1, "enrolments_completed": 1, "enrolments_certified": 1},
    ),
    (
        "a completion after the report day is not yet known",
        lambda: {"enrolments": [_enrolment("E2", D(2020, 3, 1), D(2020, 6, 2), certified=True)]},
        LINGUI,
        {"enrolments": 1},
    ),
    (
        "completed without a certificate",
        lambda: {"enrolments": [_enrolment("E3", D(2020, 3, 1), REGISTER_DAY)]},
        LINGUI,
        {"enrolments": 1, "enrolments_completed": 1},
    ),
    (
        "an enrolment of the year before is left out",
        lambda: {"enrolments": [_enrolment("E4", D(2019, 12, 31), D(2020, 3, 1))]},
        LINGUI,
        {},
    ),
    (
        "a public-welfare post started the year before and still open",
        lambda: {"employment": [_spell("M1", WELFARE, D(2019, 5, 1))]},
        LINGUI,
        {"employment": 1, "public_welfare_posts": 1},
    ),
    (
        "a spell ending on the report day is in force",
        lambda: {"employment": [_spell("M2", EMPLOYED, D(2019, 5, 1), REGISTER_DAY)]},
        LINGUI,
        {"employment": 1},
    ),
    (
        "a spell ended the day before, or starting the day after, is left out",
        lambda: {
            "employment": [
                _spell("M3", WELFARE, D(2019, 5, 1), D(2020, 5, 31)),
                _spell("M4", WELFARE, D(2020, 6, 2)),
            ]
        },
        LINGUI,
        {},
    ),
]


def _register_figures(report: Report, code: str) -> dict[str, int]:
    keys = tuple(column.key for column in REGISTER_COLUMNS)
    return {key: value for key, value in zip(keys, _own(report, code, keys), strict=True) if value}


@pytest.mark.parametrize(
    ("name", "records", "unit", "expected"),
    REGISTER_CASES,
    ids=[case[0] for case in REGISTER_CASES],
)
def test_a_register_record_counts_once_at_its_unit_on_the_report_day(
    name: str, records: Callable[[], dict[str, list[object]]], unit: str, expected: dict[str, int]
) -> None:
    report = registers_report(TREE, on=REGISTER_DAY, period=YEAR_2020, **records())  # type: ignore[arg-type]

    assert expected == _register_figures(report, unit), name
    assert expected == {key: report[CITY][key] for key in expected}, name
    assert 0 == report.unplaced, name


def test_the_registers_add_up_to_the_city_and_records_without_a_unit_are_unplaced() -> None:
    records = [case[1]() for case in REGISTER_CASES]
    given: dict[str, list[object]] = {}
    for found in records:
        for kind, listed in found.items():
            given.setdefault(kind, []).extend(listed)
    given["enrolments"].append(_enrolment("E9", D(2020, 2, 1), at=None))
    given["employment"].append(_spell("M9", EMPLOYED, D(2020, 2, 1), at=None))
    given["sessions"].append(
        ReceptionSession(
            session_id="S9",
            unit=DivisionCode("450102"),
            leader="局长",
            held_on=D(2020, 2, 1),
            visitors=5,
        )
    )

    report = registers_report(TREE, on=REGISTER_DAY, period=YEAR_2020, **given)  # type: ignore[arg-type]

    _additive_sums_hold(report, TREE)
    expected: dict[str, int] = {}
    for _, _, _, figures in REGISTER_CASES:
        for key, value in figures.items():
            expected[key] = expected.get(key, 0) + value
    top = report[CITY]
    assert expected == {key: top[key] for key in expected}
    assert 3 == report.unplaced
    assert [c.key for c in REGISTER_COLUMNS] == list(report.keys)
    assert ("registers", "业务台账统计") == (report.kind, report.title_zh)
    assert any("left out: 8 record(s)" in note for note in report.notes)
    assert any(
        "1 reception days, 1 enrolments, 1 employment records" in note for note in report.notes
    )


def test_the_registers_report_wants_a_date() -> None:
    with pytest.raises(InvalidValue, match="on"):
        registers_report(TREE, on="2020-06-01", period=YEAR_2020)  # type: ignore[arg-type]
