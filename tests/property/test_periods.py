"""Laws of reporting periods (月/季度/半年/年): partitions, round trips, order and ranges."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cycles import (
    HalfYear,
    Month,
    Period,
    Quarter,
    Year,
    parse_period,
    period_range,
)

KINDS: tuple[type[Period], ...] = (Month, Quarter, HalfYear, Year)

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)

days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
kinds = st.sampled_from(KINDS)


def periods_of(kind: type[Period], *, inner: bool = False) -> st.SearchStrategy[Period]:
    """Periods of one kind; ``inner`` keeps off the first and last year, so both neighbours exist."""
    low, high = (FIRST_DAY, LAST_DAY) if not inner else (dt.date(1901, 1, 1), dt.date(2199, 12, 31))
    return st.dates(min_value=low, max_value=high).map(kind.containing)


periods = kinds.flatmap(periods_of)
inner_periods = kinds.flatmap(lambda kind: periods_of(kind, inner=True))
years = periods_of(Year).map(lambda p: Year(year=p.year))


def _all_days(period: Period) -> set[dt.date]:
    return {period.start + dt.timedelta(days=k) for k in range(period.days)}


# --- partitions ------------------------------------------------------------------------------


@given(years)
def test_the_twelve_months_of_a_year_partition_it(year: Year) -> None:
    months = year.months()

    assert 12 == len(months)
    assert year.start == months[0].start
    assert year.end == months[-1].end
    for before, after in itertools.pairwise(months):
        assert before.end + dt.timedelta(days=1) == after.start
        assert after == before.next()
    assert year.days == sum(m.days for m in months)
    assert _all_days(year) == set().union(*map(_all_days, months))


@given(periods)
def test_a_period_is_the_union_of_its_months(period: Period) -> None:
    months = period.months()

    assert period.start == months[0].start
    assert period.end == months[-1].end
    assert period.days == sum(m.days for m in months)
    assert _all_days(period) == set().union(*map(_all_days, months))
    assert all(period.contains(m.start) and period.contains(m.end) for m in months)


@given(periods)
def test_every_month_of_a_period_lies_in_its_year(period: Period) -> None:
    assert set(period.months()) <= set(Year(year=period.year).months())


@given(kinds, days)
def test_the_period_containing_a_day_contains_it(kind: type[Period], day: dt.date) -> None:
    period = kind.containing(day)

    assert period.contains(day)
    assert period.start <= day <= period.end


@given(kinds, days, days)
def test_two_days_share_a_period_exactly_when_it_contains_both(
    kind: type[Period], day: dt.date, other: dt.date
) -> None:
    assert (kind.containing(day) == kind.containing(other)) == kind.containing(day).contains(other)


# --- round trips and neighbours --------------------------------------------------------------


@given(periods)
def test_a_period_round_trips_through_its_key(period: Period) -> None:
    assert period == type(period).parse(str(period))
    assert period == parse_period(str(period))


@given(inner_periods)
def test_next_and_previous_undo_each_other(period: Period) -> None:
    assert period == period.next().previous()
    assert period == period.previous().next()
    assert period.end + dt.timedelta(days=1) == period.next().start
    assert period.start - dt.timedelta(days=1) == period.previous().end


@given(inner_periods, st.integers(min_value=-1, max_value=1))
def test_adding_n_is_stepping_n_times(period: Period, n: int) -> None:
    stepped = period.next() if n == 1 else period.previous() if n == -1 else period

    assert stepped == period + n
    assert period == (period + n) - n


# --- order -----------------------------------------------------------------------------------


@given(kinds.flatmap(lambda kind: st.tuples(periods_of(kind), periods_of(kind))))
def test_order_agrees_with_start_dates(pair: tuple[Period, Period]) -> None:
    a, b = pair

    assert (a < b) == (a.start < b.start)  # type: ignore[operator]
    assert (a == b) == (a.start == b.start)
    assert (a <= b) == (a.end <= b.end)  # type: ignore[operator]


# --- ranges ----------------------------------------------------------------------------------


@given(kinds.flatmap(lambda kind: st.tuples(periods_of(kind), periods_of(kind))))
def test_a_range_is_consecutive_and_as_long_as_the_span(pair: tuple[Period, Period]) -> None:
    first, last = sorted(pair)
    run = period_range(first, last)

    assert first == run[0]
    assert last == run[-1]
    assert all(after == before.next() for before, after in itertools.pairwise(run))
    assert len(run) == len(set(run))
    assert sum(p.days for p in run) == (last.end - first.start).days + 1
    if first != last:
        assert () == period_range(last, first)


@given(periods_of(Month), periods_of(Month))
def test_a_month_range_is_as_long_as_the_months_between(first: Month, last: Month) -> None:
    expected = max(0, (last.year - first.year) * 12 + last.month - first.month + 1)

    assert expected == len(period_range(first, last))
