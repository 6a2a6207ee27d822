"""Laws of the casework reports: every record counts once, the parts add up to the whole, and
every unit's row is its own figures plus its children's rows.

The records come from :mod:`veteran_affairs.testing.casework_strategies` (valid by construction, at any
point of their course); the tree is built from the units they name and those above them, so
every record is placed, and then restricted to one of those units to see the rest unplaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from veteran_affairs.casework.discharge import (
    EmploymentRecord,
    EmploymentStatus,
    InsuranceStatus,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.casework.leaders import (
    BaolianTalk,
    ContactAssignment,
    ReceptionSession,
    baolian_compliance,
)
from veteran_affairs.casework.legacy import LegacyCase, LegacyStatus
from veteran_affairs.casework.petitions import Petition, PetitionStatus
from veteran_affairs.casework.requests import Request, RequestStatus
from veteran_affairs.cycles import Year
from veteran_affairs.hierarchy import (
    DivisionTree,
    FigureKind,
    Report,
    baolian_report,
    compliance_summary,
    petitions_report,
    transfers_report,
)
from veteran_affairs.hierarchy.casework_report import registers_report
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import Division
from veteran_affairs.testing import casework_strategies as vcs

TODAY = dt.date.today()


def _tree(codes: Iterable[DivisionCode]) -> DivisionTree:
    units: dict[str, DivisionCode] = {}
    for code in codes:
        for unit in (code, *code.ancestors()):
            units[unit.value] = unit
    return DivisionTree(Division(code=unit, name=value) for value, unit in units.items())


def _rows_add_up(report: Report, tree: DivisionTree) -> None:
    keys = [c.key for c in report.columns if c.kind is not FigureKind.RATE]
    for row in report:
        own = report.own.get(row.code.value)
        for key in keys:
            mine = 0 if own is None else int(own[report.keys.index(key)] or 0)
            below = sum(int(report[child.code][key] or 0) for child in tree.children(row.code))
            assert row[key] == mine + below, (row.code, key)


def _total(report: Report, key: str) -> int:
    return sum(int(top[key] or 0) for top in report.top)


def _unique(records: list[Petition]) -> list[Petition]:
    return list({p.petition_id: p for p in records}.values())


def _units(petitions: list[Petition]) -> list[DivisionCode]:
    """Every unit a petition was registered at or sent to."""
    return [
        unit
        for p in petitions
        for unit in (p.received_by, *(s.unit for s in p.history if s.unit is not None))
    ]


@settings(max_examples=60)
@given(st.lists(vcs.petitions(max_steps=8), max_size=5).map(_unique), st.data())
def test_petitions_count_once_and_add_up(petitions: list[Petition], data: st.DataObject) -> None:
    on = data.draw(st.dates(dt.date(2022, 5, 1), TODAY))
    known = [p for p in petitions if p.received_on <= on]
    tree = _tree(_units(petitions))

    report = petitions_report(tree, petitions, on=on)

    _rows_add_up(report, tree)
    assert len(known) == _total(report, "received")
    assert 0 == report.unplaced
    for row in report:
        finished = int(row["not_accepted"] or 0) + int(row["closed"] or 0)
        assert row["received"] == int(row["open"] or 0) + finished
        timed = int(row["answered_on_time"] or 0) + int(row["answered_late"] or 0)
        assert timed <= int(row["answered"] or 0)
        assert int(row["overdue"] or 0) <= int(row["open"] or 0)
    closed = sum(1 for p in known if p.status_on(on) is PetitionStatus.CLOSED)
    assert closed == _total(report, "closed")


@settings(max_examples=60)
@given(st.lists(vcs.petitions(max_steps=6), min_size=1, max_size=5).map(_unique), st.data())
def test_petitions_outside_a_subtree_are_unplaced(
    petitions: list[Petition], data: st.DataObject
) -> None:
    tree = _tree(_units(petitions))
    root = data.draw(st.sampled_from(sorted(d.code.value for d in tree)))
    on = TODAY

    whole = petitions_report(tree, petitions, on=on)
    part = petitions_report(tree.restrict(root), petitions, on=on)

    assert len(petitions) == _total(part, "received") + part.unplaced
    assert whole.subtree(root).rows == part.rows


@settings(max_examples=60)
@given(st.lists(vcs.insurance_transfers(max_steps=10), max_size=6), st.data())
def test_transfers_count_once_by_state_and_add_up(
    transfers: list[InsuranceTransfer], data: st.DataObject
) -> None:
    on = data.draw(st.dates(dt.date(2015, 1, 1), TODAY))
    placed = [t for t in transfers if t.destination is not None]
    tree = _tree(t.destination for t in placed if t.destination is not None)
    states = [state.value.replace("-", "_") for state in InsuranceStatus]

    report = transfers_report(tree, transfers, on=on)

    _rows_add_up(report, tree)
    known = [t for t in transfers if t.status_on(on) is not None]
    assert len(known) == _total(report, "transfers") + report.unplaced
    assert sum(1 for t in known if t.destination is None) == report.unplaced
    for row in report:
        assert row["transfers"] == sum(int(row[key] or 0) for key in states)
        assert row["pending"] == int(row["transfers"] or 0) - int(row["continued"] or 0)
        assert int(row["account_overdue"] or 0) <= int(row["pending"] or 0)


@st.composite
def baolian_records(draw: st.DrawFn) -> tuple[list[ContactAssignment], list[BaolianTalk]]:
    count = draw(st.integers(1, 4))
    assignments = [draw(vcs.contact_assignments(assignment_id=f"BL-{n}")) for n in range(count)]
    talks = [talk for a in assignments for talk in draw(vcs.talks_for(a, max_size=5))]
    return assignments, talks


@settings(max_examples=60)
@given(baolian_records(), st.integers(2021, 2025), st.none() | st.integers(1, 3), st.data())
def test_baolian_quarters_are_checked_or_said_why_not(
    records: tuple[list[ContactAssignment], list[BaolianTalk]],
    year: int,
    per_quarter: int | None,
    data: st.DataObject,
) -> None:
    assignments, talks = records
    as_of = data.draw(st.dates(dt.date(year, 1, 1), TODAY))
    tree = _tree(a.area for a in assignments)
    period = Year(year=year)

    report = baolian_report(
        tree, assignments, talks, period=period, as_of=as_of, talks_per_quarter=per_quarter
    )

    _rows_add_up(report, tree)
    for row in report:
        parts = ("met", "missed", "pending", "not_checked", "no_cadence")
        assert row["quarters"] == sum(int(row[key] or 0) for key in parts)
        assert row["due"] == int(row["met"] or 0) + int(row["missed"] or 0)
        assert int(row["with_talk"] or 0) <= int(row["quarters"] or 0)
        if per_quarter is not None:
            assert 0 == row["no_cadence"]
    rows = baolian_compliance(
        assignments, talks, period, as_of=as_of, talks_per_quarter=per_quarter or 1
    )
    assert len(rows) == _total(report, "quarters")
    assert sum(row.talks for row in rows) == _total(report, "talks")
    if per_quarter is not None:
        checked = [r for row in rows if (r := row.as_compliance_row()) is not None]
        summary = compliance_summary(tree, checked, as_of=as_of)
        assert _total(summary, "on_time") == _total(report, "met")
        assert _total(summary, "missed") == _total(report, "missed")


@st.composite
def register_records(draw: st.DrawFn) -> dict[str, list[object]]:
    """A few records of each register (ids made unique per kind)."""
    return {
        "legacy_cases": draw(st.lists(vcs.legacy_cases(), max_size=4)),
        "requests": draw(st.lists(vcs.contact_requests(), max_size=4)),
        "sessions": draw(st.lists(vcs.reception_sessions(), max_size=3)),
        "enrolments": draw(st.lists(vcs.training_enrolments(), max_size=3)),
        "employment": draw(st.lists(vcs.employment_records(), max_size=3)),
    }


def _register_units(records: dict[str, list[object]]) -> list[DivisionCode]:
    units: list[DivisionCode] = []
    for case in records["legacy_cases"]:
        assert isinstance(case, LegacyCase)
        units.append(case.responsible_unit)
    for request in records["requests"]:
        assert isinstance(request, Request)
        units.append(request.contact.unit)
        if request.handler is not None:
            units.append(request.handler)
    for record in (*records["sessions"], *records["enrolments"], *records["employment"]):
        assert isinstance(record, ReceptionSession | TrainingEnrolment | EmploymentRecord)
        if record.unit is not None:
            units.append(record.unit)
    return units


@settings(max_examples=40)
@given(register_records(), st.data())
def test_registers_count_once_and_add_up(
    records: dict[str, list[object]], data: st.DataObject
) -> None:
    on = data.draw(st.dates(dt.date(2015, 1, 1), TODAY))
    period = Year(year=data.draw(st.integers(2015, on.year)))
    tree = _tree(_register_units(records))
    cases = [c for c in records["legacy_cases"] if isinstance(c, LegacyCase)]
    requests = [r for r in records["requests"] if isinstance(r, Request)]
    sessions = [s for s in records["sessions"] if isinstance(s, ReceptionSession)]
    enrolments = [e for e in records["enrolments"] if isinstance(e, TrainingEnrolment)]
    spells = [m for m in records["employment"] if isinstance(m, EmploymentRecord)]

    report = registers_report(tree, on=on, period=period, **records)  # type: ignore[arg-type]

    def counted(day: dt.date) -> bool:
        return period.start <= day <= period.end and day <= on

    _rows_add_up(report, tree)
    known = [c for c in cases if c.status_on(on) is not None]
    asked = [r for r in requests if counted(r.registered_on)]
    held = [s for s in sessions if counted(s.held_on)]
    enrolled = [e for e in enrolments if counted(e.enrolled_on)]
    working = [m for m in spells if m.covers(on)]
    assert len(known) == _total(report, "legacy_cases")
    resolved = sum(1 for c in known if c.status_on(on) is LegacyStatus.RESOLVED)
    assert resolved == _total(report, "legacy_resolved")
    assert len(asked) == _total(report, "requests")
    closed = sum(1 for r in asked if r.status_on(on) is RequestStatus.CLOSED)
    assert closed == _total(report, "requests_closed")
    assert len(held) == _total(report, "sessions")
    assert sum(s.visitors for s in held) == _total(report, "visitors")
    placed_enrolled = [e for e in enrolled if e.unit is not None]
    placed_working = [m for m in working if m.unit is not None]
    assert len(placed_enrolled) == _total(report, "enrolments")
    assert len(placed_working) == _total(report, "employment")
    welfare = sum(1 for m in placed_working if m.status is EmploymentStatus.PUBLIC_WELFARE_POST)
    assert welfare == _total(report, "public_welfare_posts")
    missing = len(enrolled) - len(placed_enrolled) + len(working) - len(placed_working)
    assert missing == report.unplaced
    for row in report:
        ended = sum(
            int(row[key] or 0) for key in ("legacy_resolved", "legacy_referred_unresolvable")
        )
        assert int(row["legacy_open"] or 0) + ended <= int(row["legacy_cases"] or 0)
        assert int(row["legacy_milestone_overdue"] or 0) <= int(row["legacy_open"] or 0)
        parts = ("requests_open", "requests_closed", "requests_escalated")
        assert sum(int(row[key] or 0) for key in parts) <= int(row["requests"] or 0)
        assert int(row["enrolments_certified"] or 0) <= int(row["enrolments_completed"] or 0)
        assert int(row["enrolments_completed"] or 0) <= int(row["enrolments"] or 0)
        assert int(row["public_welfare_posts"] or 0) <= int(row["employment"] or 0)


@settings(max_examples=40)
@given(register_records(), st.data())
def test_registers_outside_a_subtree_are_unplaced(
    records: dict[str, list[object]], data: st.DataObject
) -> None:
    units = _register_units(records)
    tree = _tree(units) if units else DivisionTree.bundled("45").restrict("4503")
    root = data.draw(st.sampled_from(sorted(d.code.value for d in tree)))
    on, period = TODAY, Year(year=TODAY.year)
    totals = ("legacy_cases", "requests", "sessions", "enrolments", "employment")

    whole = registers_report(tree, on=on, period=period, **records)  # type: ignore[arg-type]
    part = registers_report(tree.restrict(root), on=on, period=period, **records)  # type: ignore[arg-type]

    assert (
        sum(_total(whole, k) for k in totals) + whole.unplaced
        == sum(_total(part, k) for k in totals) + part.unplaced
    )
    assert whole.subtree(root).rows == part.rows
