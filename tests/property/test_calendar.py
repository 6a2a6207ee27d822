"""Laws of the working-day calendar, and agreement with two independent packages."""

from __future__ import annotations

import datetime
import tomllib
from importlib import resources
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cycles.calendar import calendar_for

NATIONAL = calendar_for()
FIRST, LAST = datetime.date(2015, 1, 1), datetime.date(2026, 12, 31)
ALL_DAYS = [FIRST + datetime.timedelta(i) for i in range((LAST - FIRST).days + 1)]

# Far enough from the edges that any step below stays inside 2015–2026.
dates = st.dates(min_value=datetime.date(2015, 3, 1), max_value=datetime.date(2026, 10, 31))
steps = st.integers(min_value=0, max_value=40)


@pytest.mark.parametrize("year", range(2015, 2027))
def test_agrees_with_chinesecalendar_on_every_day(year: int) -> None:
    days = [d for d in ALL_DAYS if d.year == year]

    assert [chinese_calendar.is_workday(d) for d in days] == [NATIONAL.is_workday(d) for d in days]


@pytest.mark.parametrize("year", range(2015, 2027))
def test_agrees_with_python_holidays_on_every_day(year: int) -> None:
    china = holidays.country_holidays("CN", years=year)
    days = [d for d in ALL_DAYS if d.year == year]

    assert [china.is_working_day(d) for d in days] == [NATIONAL.is_workday(d) for d in days]


@given(dates, steps)
def test_counting_the_working_days_reached_gives_the_step(d: datetime.date, n: int) -> None:
    assert n == NATIONAL.workdays_between(d, NATIONAL.add_workdays(d, n))


@given(dates, steps)
def test_stepping_back_undoes_stepping_forward_from_a_working_day(d: datetime.date, n: int) -> None:
    start = NATIONAL.next_workday(d)

    assert start == NATIONAL.add_workdays(NATIONAL.add_workdays(start, n), -n)


@given(dates, dates)
def test_workdays_between_is_antisymmetric(a: datetime.date, b: datetime.date) -> None:
    assert NATIONAL.workdays_between(a, b) == -NATIONAL.workdays_between(b, a)


@given(dates)
def test_next_workday_is_idempotent_and_a_working_day(d: datetime.date) -> None:
    once = NATIONAL.next_workday(d)

    assert once == NATIONAL.next_workday(once)
    assert NATIONAL.is_workday(once)
    assert d <= once


@given(dates, steps, steps)
def test_add_workdays_is_monotone_and_lands_on_working_days(
    d: datetime.date, m: int, n: int
) -> None:
    lo, hi = sorted((m, n))

    assert NATIONAL.add_workdays(d, lo) <= NATIONAL.add_workdays(d, hi)
    if hi > 0:
        assert NATIONAL.is_workday(NATIONAL.add_workdays(d, hi))
        assert NATIONAL.add_workdays(d, hi) > d


# --- Guangxi (壮族三月三 2017–2025) and the example holiday file of docs/examples ----------------

GUANGXI = calendar_for("45")
SANYUESAN = tomllib.loads(
    (
        resources.files("veteran_affairs")
        / "data"
        / "jurisdictions"
        / "guangxi"
        / "guangxi-sanyuesan.toml"
    ).read_text("utf-8")
)["years"]
LISTED = {d for year in SANYUESAN.values() for d in (*year["off"], *year["work"])}
guangxi_dates = st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2025, 10, 31))
EXAMPLE_2014 = Path(__file__).resolve().parents[2] / "docs" / "examples" / "holidays-cn-2014.toml"


@given(guangxi_dates)
def test_guangxi_differs_from_the_national_calendar_only_on_listed_days(d: datetime.date) -> None:
    if d not in LISTED:
        assert NATIONAL.is_workday(d) == GUANGXI.is_workday(d)


@given(guangxi_dates, steps)
def test_guangxi_counts_the_working_days_it_steps_over(d: datetime.date, n: int) -> None:
    assert n == GUANGXI.workdays_between(d, GUANGXI.add_workdays(d, n))


def test_the_2014_example_file_agrees_with_both_packages_on_every_day() -> None:
    calendar = calendar_for(holidays=EXAMPLE_2014)
    china = holidays.country_holidays("CN", years=2014)
    days = [datetime.date(2014, 1, 1) + datetime.timedelta(i) for i in range(365)]
    ours = [calendar.is_workday(d) for d in days]

    assert [chinese_calendar.is_workday(d) for d in days] == ours
    assert [china.is_working_day(d) for d in days] == ours
