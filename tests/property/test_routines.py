"""Laws of routine compliance: one row per unit and period, statuses partition, monotone."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.cycles.routines import (
    GUANGXI_PRESET,
    ComplianceStatus,
    Cycle,
    compliance,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.activity import Activity

CALENDAR = calendar_for()
# The national table covers 2015–2026; keep spans, due dates and windows inside it.
LOW, HIGH = dt.date(2016, 1, 1), dt.date(2025, 6, 30)
UNITS = [DivisionCode(c) for c in ("450312", "450312101", "450312101001", "450312102", "4503")]
AFTER_EVERY_DUE_DATE = dt.date(2026, 12, 31)
CHECKABLE = [c for c in GUANGXI_PRESET.values() if c.kinds]

cycles = st.sampled_from(CHECKABLE)
dates = st.dates(min_value=LOW, max_value=HIGH)


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    first = draw(dates)
    last = draw(st.dates(min_value=first, max_value=min(HIGH, first + dt.timedelta(days=800))))
    return first, last


@st.composite
def activities_for(draw: st.DrawFn, cycle: Cycle) -> list[Activity]:
    kinds = sorted(cycle.kinds, key=lambda k: k.value)
    return [
        Activity(
            activity_id=f"a{n}",
            kind=draw(st.sampled_from(kinds)),
            unit=draw(st.sampled_from(UNITS)),
            held_on=draw(dates),
        )
        for n in range(draw(st.integers(0, 30)))
    ]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date]:
    cycle = draw(cycles)
    return cycle, draw(activities_for(cycle)), draw(spans()), draw(dates)


@given(cases())
def test_every_period_of_the_span_gets_exactly_one_row_per_applicable_unit(
    case: tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date],
) -> None:
    cycle, activities, span, as_of = case
    applicable = [u for u in UNITS if cycle.applies_to(u)]
    periods = cycle.frequency.periods(*span)

    rows = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)

    assert Counter((u, p) for u in applicable for p in periods) == Counter(
        (r.unit, r.period) for r in rows
    )


@given(cases())
def test_the_four_statuses_partition_the_rows(
    case: tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date],
) -> None:
    cycle, activities, span, as_of = case

    rows = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)

    for row in rows:
        held = row.held_on
        assert (row.status is ComplianceStatus.ON_TIME) == (held is not None and held <= row.due)
        assert (row.status is ComplianceStatus.LATE) == (held is not None and held > row.due)
        assert (row.status is ComplianceStatus.NOT_YET_DUE) == (held is None and as_of <= row.due)
        assert (row.status is ComplianceStatus.MISSED) == (held is None and as_of > row.due)


@given(cases(), st.data())
def test_an_activity_on_the_due_date_is_on_time(
    case: tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date], data: st.DataObject
) -> None:
    cycle, activities, span, _ = case
    unit = data.draw(st.sampled_from([u for u in UNITS if cycle.applies_to(u)]))
    rows = compliance(cycle, activities, [unit], span, AFTER_EVERY_DUE_DATE, CALENDAR)
    row = data.draw(st.sampled_from(rows))
    kind = data.draw(st.sampled_from(sorted(cycle.kinds, key=lambda k: k.value)))
    on_due = Activity(activity_id="due", kind=kind, unit=unit, held_on=row.due)

    after = compliance(cycle, [*activities, on_due], [unit], span, AFTER_EVERY_DUE_DATE, CALENDAR)

    assert ComplianceStatus.ON_TIME == next(r for r in after if r.period == row.period).status


@given(cases(), st.data())
def test_adding_an_activity_never_turns_on_time_into_missed_or_worse(
    case: tuple[Cycle, list[Activity], tuple[dt.date, dt.date], dt.date], data: st.DataObject
) -> None:
    cycle, activities, span, as_of = case
    extra = data.draw(activities_for(cycle))
    rank = {
        ComplianceStatus.ON_TIME: 3,
        ComplianceStatus.LATE: 2,
        ComplianceStatus.NOT_YET_DUE: 1,
        ComplianceStatus.MISSED: 0,
    }

    before = compliance(cycle, activities, UNITS, span, as_of, CALENDAR)
    after = compliance(cycle, [*activities, *extra], UNITS, span, as_of, CALENDAR)

    assert [] == [
        (b, a) for b, a in zip(before, after, strict=True) if rank[a.status] < rank[b.status]
    ]
