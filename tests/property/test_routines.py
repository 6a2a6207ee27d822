"""Laws of routine compliance: one row per unit and period, statuses partition, monotone.

Per unit (:func:`compliance`) and per person (:func:`contact_compliance`), with activities
that sometimes name the period they are for (``for_period``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.cycles.routines import (
    GUANGXI_PRESET,
    ComplianceStatus,
    ContactRow,
    Cycle,
    Frequency,
    compliance,
    contact_compliance,
)
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models.activity import Activity

CALENDAR = calendar_for()
# The national table covers 2015–2026; keep spans, due dates and windows inside it.
LOW, HIGH = dt.date(2016, 1, 1), dt.date(2025, 6, 30)
UNITS = [DivisionCode(c) for c in ("450312", "450312101", "450312101001", "450312102", "4503")]
AFTER_EVERY_DUE_DATE = dt.date(2026, 12, 31)
CHECKABLE = [c for c in GUANGXI_PRESET.values() if c.kinds]
RANK = {
    ComplianceStatus.ON_TIME: 3,
    ComplianceStatus.LATE: 2,
    ComplianceStatus.NOT_YET_DUE: 1,
    ComplianceStatus.MISSED: 0,
}


def _person(n: int) -> ResidentId:
    body = f"45031219500101{n:03d}"
    return ResidentId(body + check_character(body))


PERSONS = [_person(n) for n in range(1, 7)]
# One key person per unit, for the law that per-person and per-unit counts then agree.
PERSON_OF_UNIT = dict(zip(UNITS, PERSONS, strict=False))

cycles = st.sampled_from(CHECKABLE)
dates = st.dates(min_value=LOW, max_value=HIGH)
frequencies = st.sampled_from(tuple(Frequency))
# Made once, not inside every draw: hypothesis validates each new strategy object it draws from.
KINDS_OF = {c: st.sampled_from(sorted(c.kinds, key=lambda k: k.value)) for c in CHECKABLE}
units = st.sampled_from(UNITS)
contacts = st.lists(st.sampled_from(PERSONS), max_size=3, unique=True)


def period_key(day: dt.date, frequency: Frequency) -> str:
    return str(frequency.period_kind.containing(day))


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    first = draw(dates)
    last = draw(st.dates(min_value=first, max_value=min(HIGH, first + dt.timedelta(days=800))))
    return first, last


@st.composite
def period_keys(draw: st.DrawFn, held_on: dt.date) -> str | None:
    """None, or the key of a period (of any length) at or up to a year before ``held_on``."""
    if not draw(st.booleans()):
        return None
    reference = max(LOW, held_on - dt.timedelta(days=draw(st.integers(0, 366))))
    return period_key(reference, draw(frequencies))


@st.composite
def one_activity(draw: st.DrawFn, cycle: Cycle, n: int) -> Activity:
    held_on = draw(dates)
    return Activity(
        activity_id=f"a{n}",
        kind=draw(KINDS_OF[cycle]),
        unit=draw(units),
        held_on=held_on,
        contacts=tuple(draw(contacts)),
        for_period=draw(period_keys(held_on)),
    )


@st.composite
def activities_for(draw: st.DrawFn, cycle: Cycle, *, first: int = 0) -> list[Activity]:
    return [draw(one_activity(cycle, n)) for n in range(first, first + draw(st.integers(0, 30)))]


Case = tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    cycle = draw(cycles)
    return cycle, draw(activities_for(cycle)), draw(spans()), draw(dates)


persons = st.lists(st.tuples(st.sampled_from(PERSONS), st.sampled_from(UNITS)), max_size=8)


def _statuses_partition(
    status: ComplianceStatus, held: dt.date | None, due: dt.date, as_of: dt.date
) -> None:
    assert (status is ComplianceStatus.ON_TIME) == (held is not None and held <= due)
    assert (status is ComplianceStatus.LATE) == (held is not None and held > due)
    assert (status is ComplianceStatus.NOT_YET_DUE) == (held is None and as_of <= due)
    assert (status is ComplianceStatus.MISSED) == (held is None and as_of > due)


# --- per unit --------------------------------------------------------------------------------


@given(cases())
def test_every_period_of_the_span_gets_exactly_one_row_per_applicable_unit(case: Case) -> None:
    cycle, activities, span, as_of = case
    applicable = [u for u in UNITS if cycle.applies_to(u)]
    periods = cycle.frequency.periods(*span)

    rows = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)

    assert Counter((u, p) for u in applicable for p in periods) == Counter(
        (r.unit, r.period) for r in rows
    )


@given(cases())
def test_the_four_statuses_partition_the_rows(case: Case) -> None:
    cycle, activities, span, as_of = case

    rows = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)

    for row in rows:
        _statuses_partition(row.status, row.held_on, row.due, as_of)


@given(cases())
def test_the_activity_held_on_a_rows_date_is_one_that_may_count_for_it(case: Case) -> None:
    cycle, activities, span, as_of = case

    rows = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)

    for row in rows:
        if row.held_on is not None:
            assert row.held_on <= as_of
            assert any(
                a.unit == row.unit
                and a.held_on == row.held_on
                and a.for_period in (None, str(row.period))
                for a in activities
            )


@given(cases(), st.data())
def test_an_activity_on_the_due_date_is_on_time(case: Case, data: st.DataObject) -> None:
    cycle, activities, span, _ = case
    unit = data.draw(st.sampled_from([u for u in UNITS if cycle.applies_to(u)]))
    rows = compliance(cycle, activities, [unit], span, AFTER_EVERY_DUE_DATE, CALENDAR)
    row = data.draw(st.sampled_from(rows))
    kind = data.draw(st.sampled_from(sorted(cycle.kinds, key=lambda k: k.value)))
    named = data.draw(st.sampled_from((None, str(row.period))))
    on_due = Activity(activity_id="due", kind=kind, unit=unit, held_on=row.due, for_period=named)

    after = compliance(cycle, [*activities, on_due], [unit], span, AFTER_EVERY_DUE_DATE, CALENDAR)

    assert ComplianceStatus.ON_TIME == next(r for r in after if r.period == row.period).status


@given(cases(), st.data())
def test_adding_an_activity_never_turns_on_time_into_missed_or_worse(
    case: Case, data: st.DataObject
) -> None:
    cycle, activities, span, as_of = case
    extra = data.draw(activities_for(cycle, first=100))

    before = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)
    after = compliance(cycle, [*activities, *extra], UNITS, span, as_of, CALENDAR)

    assert [] == [
        (b, a) for b, a in zip(before, after, strict=True) if RANK[a.status] < RANK[b.status]
    ]


@given(cases(), st.data())
def test_an_activity_for_a_named_period_counts_there_as_if_unnamed_and_nowhere_else(
    case: Case, data: st.DataObject
) -> None:
    cycle, activities, span, as_of = case
    periods = cycle.frequency.periods(*span)
    target = data.draw(st.sampled_from(periods))
    extra = data.draw(one_activity(cycle, 100))
    named = attrs.evolve(extra, for_period=str(target))
    unnamed = attrs.evolve(extra, for_period=None)

    without = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)
    with_named = compliance(cycle, [*activities, named], UNITS, span, as_of, CALENDAR)
    with_unnamed = compliance(cycle, [*activities, unnamed], UNITS, span, as_of, CALENDAR)

    for plain, by_name, by_date in zip(without, with_named, with_unnamed, strict=True):
        assert (by_date if plain.period == target else plain) == by_name


@given(cases(), st.data())
def test_a_monthly_key_never_counts_for_a_longer_period(case: Case, data: st.DataObject) -> None:
    cycle, activities, span, as_of = case
    assume(cycle.frequency is not Frequency.MONTHLY)
    extra = data.draw(activities_for(cycle, first=100))
    month_keys = data.draw(st.lists(dates, min_size=len(extra), max_size=len(extra)))
    monthly = [
        attrs.evolve(a, for_period=f"{key:%Y-%m}") for a, key in zip(extra, month_keys, strict=True)
    ]

    before = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)
    after = compliance(cycle, [*activities, *monthly], UNITS, span, as_of, CALENDAR)

    assert before == after


# --- per person ------------------------------------------------------------------------------


@given(cases(), persons)
def test_each_person_gets_one_row_per_period_and_the_statuses_partition(
    case: Case, pairs: list[tuple[ResidentId, DivisionCode]]
) -> None:
    cycle, activities, span, as_of = case
    periods = cycle.frequency.periods(*span)

    rows = contact_compliance(cycle, activities, pairs, span, as_of, CALENDAR)

    assert Counter(
        (p, u, period) for p, u in pairs if cycle.applies_to(u) for period in periods
    ) == Counter((r.person, r.unit, r.period) for r in rows)
    for row in rows:
        _statuses_partition(row.status, row.held_on, row.due, as_of)
        if row.held_on is not None:
            assert any(
                row.person in a.contacts
                and a.held_on == row.held_on
                and a.for_period in (None, str(row.period))
                for a in activities
            )


@given(cases(), persons)
def test_the_rows_of_many_persons_are_the_rows_of_each_person_in_turn(
    case: Case, pairs: list[tuple[ResidentId, DivisionCode]]
) -> None:
    cycle, activities, span, as_of = case

    together = contact_compliance(cycle, activities, pairs, span, as_of, CALENDAR)
    one_by_one = [
        row
        for pair in pairs
        for row in contact_compliance(cycle, activities, [pair], span, as_of, CALENDAR)
    ]

    assert one_by_one == together


@given(cases(), persons, st.randoms(use_true_random=False))
def test_the_order_of_activities_and_persons_does_not_change_the_result(
    case: Case, pairs: list[tuple[ResidentId, DivisionCode]], rng: random.Random
) -> None:
    cycle, activities, span, as_of = case
    shuffled_activities, shuffled_pairs = list(activities), list(pairs)
    rng.shuffle(shuffled_activities)
    rng.shuffle(shuffled_pairs)

    rows = contact_compliance(cycle, activities, pairs, span, as_of, CALENDAR)
    shuffled = contact_compliance(cycle, shuffled_activities, shuffled_pairs, span, as_of, CALENDAR)

    assert Counter(rows) == Counter(shuffled)
    assert rows == contact_compliance(cycle, shuffled_activities, pairs, span, as_of, CALENDAR)


@given(cases(), persons, st.data())
def test_adding_a_contact_never_worsens_a_persons_status(
    case: Case, pairs: list[tuple[ResidentId, DivisionCode]], data: st.DataObject
) -> None:
    cycle, activities, span, as_of = case
    extra = data.draw(activities_for(cycle, first=100))

    before = contact_compliance(cycle, activities, pairs, span, as_of, CALENDAR)
    after = contact_compliance(cycle, [*activities, *extra], pairs, span, as_of, CALENDAR)

    assert [] == [
        (b, a) for b, a in zip(before, after, strict=True) if RANK[a.status] < RANK[b.status]
    ]


@given(cases())
def test_with_one_person_per_unit_contacted_only_by_it_both_counts_agree(case: Case) -> None:
    cycle, activities, span, as_of = case
    own = [attrs.evolve(a, contacts=(PERSON_OF_UNIT[a.unit],), participants=1) for a in activities]
    pairs = [(PERSON_OF_UNIT[u], u) for u in UNITS]

    per_unit = compliance(cycle, own, UNITS, span, as_of, CALENDAR)
    per_person = contact_compliance(cycle, own, pairs, span, as_of, CALENDAR)

    assert [
        ContactRow(
            cycle=r.cycle,
            person=PERSON_OF_UNIT[r.unit],
            unit=r.unit,
            period=r.period,
            due=r.due,
            status=r.status,
            held_on=r.held_on,
        )
        for r in per_unit
    ] == per_person
