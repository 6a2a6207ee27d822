"""Leaders' contact duties: 包联 talks per quarter and reception days (领导包联、领导接待日)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from veteran_affairs.casework.leaders import (
    BAOLIAN_CYCLE,
    RECEPTION_DAY,
    TALKS_PER_QUARTER,
    BaolianStatus,
    BaolianTalk,
    ContactAssignment,
    PartialQuarters,
    ReceptionDayRule,
    ReceptionSession,
    ReceptionStatus,
    RestDayPolicy,
    baolian_compliance,
    reception_compliance,
    reception_schedule,
)
from veteran_affairs.cycles import ComplianceStatus, Quarter, Year, calendar_for, schedule
from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
    ParameterNotInForce,
)
from veteran_affairs.hierarchy import DivisionTree, compliance_summary
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rules import SourceGrade

D = dt.date
AREA = DivisionCode("450312")
MET, MISSED, PENDING, NOT_DUE = (
    BaolianStatus.MET,
    BaolianStatus.MISSED,
    BaolianStatus.PENDING,
    BaolianStatus.NOT_DUE,
)
AFTER_2025 = D(2026, 1, 5)


def _assignment(
    starts: dt.date, ends: dt.date | None = None, key: str = "BL-1"
) -> ContactAssignment:
    return ContactAssignment(
        assignment_id=key, leader="bureau-director", area=AREA, starts_on=starts, ends_on=ends
    )


def _talks(*days: dt.date, key: str = "BL-1") -> list[BaolianTalk]:
    return [
        BaolianTalk(talk_id=f"T-{n}", assignment_id=key, area=AREA, held_on=day, participants=10)
        for n, day in enumerate(days)
    ]


BAOLIAN_CASES = [
    # name, starts, ends, talks, as_of, partial, per quarter, expected statuses for 2025Q1..
    (
        "a talk every quarter",
        D(2024, 1, 1),
        None,
        (D(2025, 2, 1), D(2025, 5, 1), D(2025, 8, 1), D(2025, 11, 1)),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MET, MET, MET, MET),
    ),
    (
        "a talk on 31 March counts for Q1 only",
        D(2024, 1, 1),
        None,
        (D(2025, 3, 31),),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MET, MISSED, MISSED, MISSED),
    ),
    (
        "a talk on 1 April counts for Q2 only",
        D(2024, 1, 1),
        None,
        (D(2025, 4, 1),),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MISSED, MET, MISSED, MISSED),
    ),
    (
        "two talks in one quarter do not cover the next",
        D(2024, 1, 1),
        None,
        (D(2025, 1, 5), D(2025, 3, 5)),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MET, MISSED, MISSED, MISSED),
    ),
    (
        "started mid-quarter, partial quarter exempt",
        D(2025, 2, 10),
        None,
        (),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (NOT_DUE, MISSED, MISSED, MISSED),
    ),
    (
        "started mid-quarter, partial quarter due, no talk",
        D(2025, 2, 10),
        None,
        (),
        AFTER_2025,
        PartialQuarters.DUE,
        None,
        (MISSED, MISSED, MISSED, MISSED),
    ),
    (
        "started mid-quarter, talked on its first day",
        D(2025, 2, 10),
        None,
        (D(2025, 2, 10),),
        AFTER_2025,
        PartialQuarters.DUE,
        None,
        (MET, MISSED, MISSED, MISSED),
    ),
    (
        "started mid-quarter, in force at the quarter's end",
        D(2025, 2, 10),
        None,
        (),
        AFTER_2025,
        PartialQuarters.IN_FORCE_AT_END,
        None,
        (MISSED, MISSED, MISSED, MISSED),
    ),
    (
        "started on the quarter's last day",
        D(2025, 3, 31),
        None,
        (),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (NOT_DUE, MISSED, MISSED, MISSED),
    ),
    (
        "started on the quarter's first day: a whole quarter",
        D(2025, 4, 1),
        None,
        (D(2025, 6, 30),),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MET, MISSED, MISSED),
    ),
    (
        "ended mid-quarter, partial quarter exempt",
        D(2024, 1, 1),
        D(2025, 5, 15),
        (D(2025, 3, 1),),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MET, NOT_DUE),
    ),
    (
        "ended mid-quarter, partial quarter due",
        D(2024, 1, 1),
        D(2025, 5, 15),
        (D(2025, 3, 1),),
        AFTER_2025,
        PartialQuarters.DUE,
        None,
        (MET, MISSED),
    ),
    (
        "ended mid-quarter, not in force at its end",
        D(2024, 1, 1),
        D(2025, 5, 15),
        (D(2025, 3, 1),),
        AFTER_2025,
        PartialQuarters.IN_FORCE_AT_END,
        None,
        (MET, NOT_DUE),
    ),
    (
        "ended on the quarter's last day: a whole quarter",
        D(2024, 1, 1),
        D(2025, 6, 30),
        (),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        None,
        (MISSED, MISSED),
    ),
    (
        "on the quarter's last day, no talk yet: pending",
        D(2024, 1, 1),
        None,
        (D(2025, 2, 1),),
        D(2025, 6, 30),
        PartialQuarters.EXEMPT,
        None,
        (MET, PENDING, PENDING, PENDING),
    ),
    (
        "the day after, no talk: overdue",
        D(2024, 1, 1),
        None,
        (D(2025, 2, 1),),
        D(2025, 7, 1),
        PartialQuarters.EXEMPT,
        None,
        (MET, MISSED, PENDING, PENDING),
    ),
    (
        "a talk after the day asked is not yet known",
        D(2024, 1, 1),
        None,
        (D(2025, 3, 20),),
        D(2025, 3, 19),
        PartialQuarters.EXEMPT,
        None,
        (PENDING, PENDING, PENDING, PENDING),
    ),
    (
        "a cadence of two supplied by the user",
        D(2024, 1, 1),
        None,
        (D(2025, 1, 5), D(2025, 3, 5), D(2025, 4, 5)),
        AFTER_2025,
        PartialQuarters.EXEMPT,
        2,
        (MET, MISSED, MISSED, MISSED),
    ),
]


@pytest.mark.parametrize(
    ("name", "starts", "ends", "talks", "as_of", "partial", "per_quarter", "expected"),
    BAOLIAN_CASES,
    ids=[c[0] for c in BAOLIAN_CASES],
)
def test_each_quarter_in_force_is_checked_for_its_talk(
    name: str,
    starts: dt.date,
    ends: dt.date | None,
    talks: tuple[dt.date, ...],
    as_of: dt.date,
    partial: PartialQuarters,
    per_quarter: int | None,
    expected: tuple[BaolianStatus, ...],
) -> None:
    rows = baolian_compliance(
        [_assignment(starts, ends)],
        _talks(*talks),
        Year(year=2025),
        as_of=as_of,
        partial=partial,
        talks_per_quarter=per_quarter,
    )

    assert expected == tuple(r.status for r in rows)


def test_a_row_tells_the_window_and_the_talks_of_a_partial_quarter() -> None:
    rows = baolian_compliance(
        [_assignment(D(2025, 2, 10))],
        _talks(D(2025, 2, 20), D(2025, 3, 3)),
        Quarter(year=2025, quarter=1),
        as_of=AFTER_2025,
    )

    (row,) = rows
    assert (
        (D(2025, 2, 10), D(2025, 3, 31)),
        False,
        0,
        2,
        D(2025, 2, 20),
        NOT_DUE,
    ) == (row.window, row.whole, row.required, row.talks, row.first_talk_on, row.status)


def test_a_quarter_the_assignment_does_not_touch_gives_no_row() -> None:
    rows = baolian_compliance(
        [_assignment(D(2025, 4, 1), D(2025, 9, 30))], [], Year(year=2025), as_of=AFTER_2025
    )

    assert ["2025Q2", "2025Q3"] == [str(r.quarter) for r in rows]


def test_talks_of_assignments_not_given_are_ignored() -> None:
    rows = baolian_compliance(
        [_assignment(D(2024, 1, 1))],
        _talks(D(2025, 2, 1), key="BL-2"),
        Quarter(year=2025, quarter=1),
        as_of=AFTER_2025,
    )

    assert [MISSED] == [r.status for r in rows]


INVALID_INPUTS = [
    ("a talk before the assignment began", [_assignment(D(2025, 2, 10))], _talks(D(2025, 2, 9))),
    ("a talk after it ended", [_assignment(D(2024, 1, 1), D(2025, 3, 1))], _talks(D(2025, 3, 2))),
    ("an assignment given twice", [_assignment(D(2024, 1, 1)), _assignment(D(2024, 1, 1))], []),
    ("a talk given twice", [_assignment(D(2024, 1, 1))], _talks(D(2025, 2, 1)) * 2),
    (
        "a talk in another area",
        [_assignment(D(2024, 1, 1))],
        [
            BaolianTalk(
                talk_id="T-9",
                assignment_id="BL-1",
                area=DivisionCode("450305"),
                held_on=D(2025, 2, 1),
                participants=5,
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "assignments", "talks"), INVALID_INPUTS, ids=[c[0] for c in INVALID_INPUTS]
)
def test_inconsistent_records_are_refused(
    name: str, assignments: list[ContactAssignment], talks: list[BaolianTalk]
) -> None:
    with pytest.raises(InconsistentRecord):
        baolian_compliance(assignments, talks, Year(year=2025), as_of=AFTER_2025)


def test_an_assignment_makes_its_talks_in_force_only() -> None:
    assignment = _assignment(D(2025, 2, 10), D(2025, 12, 31))

    talk = assignment.talk(
        talk_id="T-1", held_on=D(2025, 2, 10), participants=8, requests=("RQ-1",)
    )

    assert ("BL-1", AREA, ("RQ-1",)) == (talk.assignment_id, talk.area, talk.requests)
    with pytest.raises(InconsistentRecord):
        assignment.talk(talk_id="T-2", held_on=D(2025, 2, 9), participants=8)


def test_an_assignment_cannot_end_before_it_starts() -> None:
    with pytest.raises(InconsistentRecord):
        _assignment(D(2025, 3, 1), D(2025, 2, 28))


def test_the_bundled_cadence_is_one_talk_a_quarter_from_a_repost_not_re_verified() -> None:
    value, version = TALKS_PER_QUARTER.value_on(D(2025, 3, 31))

    assert (1, SourceGrade.REPOST, D(2021, 2, 3)) == (
        int(value),
        version.citation.grade,
        version.effective_from,
    )
    assert "NOT RE-VERIFIED" in (version.citation.note or "")


def test_before_the_source_the_cadence_is_not_in_force() -> None:
    with pytest.raises(ParameterNotInForce):
        baolian_compliance(
            [_assignment(D(2020, 1, 1))], [], Quarter(year=2020, quarter=4), as_of=AFTER_2025
        )


def test_a_cadence_supplied_by_the_user_applies_before_the_source() -> None:
    rows = baolian_compliance(
        [_assignment(D(2020, 1, 1))],
        [],
        Quarter(year=2020, quarter=4),
        as_of=AFTER_2025,
        talks_per_quarter=1,
    )

    assert [MISSED] == [r.status for r in rows]


def test_rows_feed_the_routine_compliance_report_per_area() -> None:
    rows = baolian_compliance(
        [_assignment(D(2025, 2, 10))], _talks(D(2025, 5, 6)), Year(year=2025), as_of=AFTER_2025
    )
    routine_rows = [r for r in (row.as_compliance_row() for row in rows) if r is not None]

    report = compliance_summary(
        DivisionTree.bundled("45").restrict("450312"), routine_rows, as_of=AFTER_2025
    )

    assert {BAOLIAN_CYCLE} == {r.cycle for r in routine_rows}
    assert [ComplianceStatus.ON_TIME, ComplianceStatus.MISSED, ComplianceStatus.MISSED] == [
        r.status for r in routine_rows
    ]
    assert (3, 1, 2) == (
        report["450312"]["due"],
        report["450312"]["on_time"],
        report["450312"]["missed"],
    )


def test_a_talk_becomes_a_symposium_activity_in_the_area() -> None:
    assignment = _assignment(D(2025, 2, 10))
    (talk,) = _talks(D(2025, 5, 6))

    activity = talk.to_activity(assignment)

    assert ("symposium", AREA, D(2025, 5, 6), 10) == (
        activity.kind.value,
        activity.unit,
        activity.held_on,
        activity.participants,
    )
    with pytest.raises(InconsistentRecord):
        _talks(D(2025, 2, 9))[0].to_activity(assignment)


# --- reception days ------------------------------------------------------------------------

GUANGXI = calendar_for("45")
MONTHLY_15 = ReceptionDayRule(day_of_month=15, on_rest_day=RestDayPolicy.NEXT_WORKDAY)

SCHEDULE_CASES = [
    # name, rule, span, expected days
    (
        "the 15th, a Sunday moved to Monday",
        MONTHLY_15,
        (D(2025, 6, 1), D(2025, 6, 30)),
        [D(2025, 6, 16)],
    ),
    (
        "the 15th on a working day stays",
        MONTHLY_15,
        (D(2025, 7, 1), D(2025, 7, 31)),
        [D(2025, 7, 15)],
    ),
    (
        "the 31st is February's last day",
        ReceptionDayRule(day_of_month=31, on_rest_day=RestDayPolicy.NEXT_WORKDAY),
        (D(2025, 2, 1), D(2025, 2, 28)),
        [D(2025, 2, 28)],
    ),
    (
        "the 1st of October moves past National Day",
        ReceptionDayRule(day_of_month=1, on_rest_day=RestDayPolicy.NEXT_WORKDAY),
        (D(2025, 10, 1), D(2025, 10, 31)),
        [D(2025, 10, 9)],
    ),
    (
        "the 1st of October skipped",
        ReceptionDayRule(day_of_month=1, on_rest_day=RestDayPolicy.SKIP),
        (D(2025, 10, 1), D(2025, 10, 31)),
        [],
    ),
    (
        "every Tuesday, the holiday one skipped",
        ReceptionDayRule(weekday=1, on_rest_day=RestDayPolicy.SKIP),
        (D(2025, 9, 29), D(2025, 10, 19)),
        [D(2025, 9, 30), D(2025, 10, 14)],
    ),
    (
        "every Tuesday, the holiday one moved",
        ReceptionDayRule(weekday=1, on_rest_day=RestDayPolicy.NEXT_WORKDAY),
        (D(2025, 9, 29), D(2025, 10, 19)),
        [D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 14)],
    ),
    (
        "span boundaries are included",
        MONTHLY_15,
        (D(2025, 7, 15), D(2025, 8, 15)),
        [D(2025, 7, 15), D(2025, 8, 15)],
    ),
]


@pytest.mark.parametrize(
    ("name", "rule", "span", "expected"), SCHEDULE_CASES, ids=[c[0] for c in SCHEDULE_CASES]
)
def test_the_reception_days_follow_the_users_rule(
    name: str, rule: ReceptionDayRule, span: tuple[dt.date, dt.date], expected: list[dt.date]
) -> None:
    assert expected == reception_schedule(rule, span, GUANGXI)


def test_without_a_rule_the_missing_parameter_is_named() -> None:
    with pytest.raises(ParameterMissing) as raised:
        reception_schedule(None, (D(2025, 6, 1), D(2025, 6, 30)), GUANGXI)

    assert "leaders.reception_day" == raised.value.key
    assert () == RECEPTION_DAY.versions


def _session(day: dt.date, unit: str = "450312", key: str = "S-1") -> ReceptionSession:
    return ReceptionSession(
        session_id=key, unit=DivisionCode(unit), leader="deputy-director", held_on=day, visitors=3
    )


RECEPTION_CASES = [
    # name, sessions, as_of, expected status of the June day (2025-06-16)
    ("held on the day", [_session(D(2025, 6, 16))], D(2025, 6, 30), ReceptionStatus.HELD),
    ("not held, on the day itself", [], D(2025, 6, 16), ReceptionStatus.PENDING),
    ("not held, the day after", [], D(2025, 6, 17), ReceptionStatus.MISSED),
    (
        "held on another day: it does not count",
        [_session(D(2025, 6, 15))],
        D(2025, 6, 30),
        ReceptionStatus.MISSED,
    ),
    (
        "held by another unit",
        [_session(D(2025, 6, 16), unit="450305")],
        D(2025, 6, 30),
        ReceptionStatus.MISSED,
    ),
]


@pytest.mark.parametrize(
    ("name", "sessions", "as_of", "expected"), RECEPTION_CASES, ids=[c[0] for c in RECEPTION_CASES]
)
def test_a_reception_day_is_held_on_its_day(
    name: str, sessions: list[ReceptionSession], as_of: dt.date, expected: ReceptionStatus
) -> None:
    rows = reception_compliance(
        MONTHLY_15, sessions, [AREA], (D(2025, 6, 1), D(2025, 6, 30)), as_of=as_of, calendar=GUANGXI
    )

    assert [(D(2025, 6, 16), expected)] == [(r.day, r.status) for r in rows]


RULE_ERRORS = [
    ("neither a day nor a weekday", {}, InconsistentRecord),
    ("both a day and a weekday", {"day_of_month": 15, "weekday": 1}, InconsistentRecord),
    ("day 32", {"day_of_month": 32}, InvalidValue),
    ("weekday 7", {"weekday": 7}, InvalidValue),
]


@pytest.mark.parametrize(("name", "fields", "error"), RULE_ERRORS, ids=[c[0] for c in RULE_ERRORS])
def test_an_incomplete_rule_is_refused(
    name: str, fields: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        ReceptionDayRule(on_rest_day=RestDayPolicy.NEXT_WORKDAY, **fields)


def test_a_monthly_rule_is_the_same_routine_as_the_cycles_use() -> None:
    cycle = MONTHLY_15.to_cycle()
    span = (D(2025, 1, 1), D(2025, 12, 31))

    assert [o.due for o in schedule(cycle, AREA, span, GUANGXI)] == reception_schedule(
        MONTHLY_15, span, GUANGXI
    )
    with pytest.raises(InvalidValue):
        ReceptionDayRule(weekday=1, on_rest_day=RestDayPolicy.NEXT_WORKDAY).to_cycle()
