"""Working days and legal periods on the bundled Chinese holiday calendar."""

from __future__ import annotations

import datetime
import hashlib
import tomllib
from importlib import resources

import pytest

from veteran_affairs.cycles.calendar import (
    CalendarDataMissing,
    ChinaCalendar,
    WorkCalendar,
    calendar_for,
    due_after_workdays,
    period_end,
    source,
)
from veteran_affairs.errors import VeteranAffairsError

D = datetime.date
NATIONAL = calendar_for()
GUANGXI = calendar_for("450312")
DATA = resources.files("veteran_affairs") / "cycles" / "data"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2025, 9, 30), D(2025, 10, 14)),
        (D(2026, 1, 31), D(2026, 2, 6)),
        (D(2026, 9, 30), D(2026, 10, 13)),
    ],
)
def test_fifth_working_day_after_skips_holidays_and_counts_adjusted_days(
    start: datetime.date, expected: datetime.date
) -> None:
    assert expected == due_after_workdays(start, 5, NATIONAL)


@pytest.mark.parametrize(
    "day",
    [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)],
)
def test_2026_adjusted_weekend_days_are_working_days(day: datetime.date) -> None:
    assert day.weekday() >= 5
    assert NATIONAL.is_workday(day)


@pytest.mark.parametrize("year", range(2015, 2027))
def test_yearly_days_off_match_the_holiday_law_in_force(year: int) -> None:
    data = tomllib.loads((DATA / "holidays-cn.toml").read_text("utf-8"))["years"][str(year)]
    law_days = {"2013": 11, "2024": 13}[data["law"]]
    days = [D(year, 1, 1) + datetime.timedelta(i) for i in range(366)]
    days = [d for d in days if d.year == year]
    weekdays_off = sum(1 for d in days if d.weekday() < 5 and not NATIONAL.is_workday(d))
    weekends_worked = sum(1 for d in days if d.weekday() >= 5 and NATIONAL.is_workday(d))

    assert ("2013" if year <= 2024 else "2024") == data["law"]
    assert law_days + data["extra_days_off"] == weekdays_off - weekends_worked


@pytest.mark.parametrize("day", [D(2014, 12, 31), D(2027, 1, 4)])
def test_a_year_without_a_notice_raises_naming_the_year(day: datetime.date) -> None:
    with pytest.raises(CalendarDataMissing, match=str(day.year)) as caught:
        NATIONAL.is_workday(day)

    assert day.year == caught.value.year
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, VeteranAffairsError)


def test_coverage_is_2015_to_2026() -> None:
    assert [y for y in range(2000, 2040) if NATIONAL.covers(y)] == list(range(2015, 2027))


@pytest.mark.parametrize(
    ("day", "national", "guangxi"),
    [
        (D(2017, 3, 30), True, False),
        (D(2017, 3, 31), True, False),
        (D(2017, 4, 1), True, False),  # national adjusted Saturday, off in Guangxi
        (D(2017, 4, 8), False, True),  # Saturday worked in Guangxi
        (D(2023, 4, 21), True, False),
        (D(2023, 4, 23), True, False),  # national adjusted Sunday, off in Guangxi
        (D(2024, 4, 11), True, False),
        (D(2024, 4, 12), True, False),
        (D(2025, 3, 31), True, False),
        (D(2025, 4, 1), True, False),
        (D(2024, 10, 1), False, False),  # national holidays still apply
        (D(2024, 4, 7), True, True),  # national adjusted Sunday kept
    ],
)
def test_guangxi_overlays_zhuang_sanyuesan_on_the_national_calendar(
    day: datetime.date, national: bool, guangxi: bool
) -> None:
    assert (national, guangxi) == (NATIONAL.is_workday(day), GUANGXI.is_workday(day))


@pytest.mark.parametrize("day", [D(2016, 4, 9), D(2026, 4, 20), D(2022, 1, 4)])
def test_guangxi_year_without_a_sanyuesan_notice_raises(day: datetime.date) -> None:
    with pytest.raises(CalendarDataMissing, match=str(day.year)):
        GUANGXI.is_workday(day)


@pytest.mark.parametrize("code", ["", "11", "440300", "460400000000"])
def test_other_divisions_use_the_national_calendar(code: str) -> None:
    assert NATIONAL is calendar_for(code)


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (D(2025, 1, 31), {"months": 1}, D(2025, 2, 28)),
        (D(2024, 1, 31), {"months": 1}, D(2024, 2, 29)),
        (D(2024, 2, 29), {"years": 1}, D(2025, 2, 28)),
        (D(2025, 3, 15), {"months": 2}, D(2025, 5, 15)),
        (D(2025, 6, 10), {"days": 30}, D(2025, 7, 10)),
        # rest-day shift: Sat 2025-05-31 → Tue 2025-06-03 after 端午节 (5/31–6/2)
        (D(2025, 5, 21), {"days": 10}, D(2025, 6, 3)),
        # month end on 国庆节: 2026-09-01 + 1 month = 10/1 → Thu 10/8
        (D(2026, 9, 1), {"months": 1}, D(2026, 10, 8)),
        # plain Sunday moves to Monday
        (D(2025, 6, 1), {"days": 14}, D(2025, 6, 16)),
    ],
)
def test_period_end_follows_civil_code_articles_201_to_203(
    start: datetime.date, length: dict[str, int], expected: datetime.date
) -> None:
    assert expected == period_end(start, calendar=NATIONAL, **length)


@pytest.mark.parametrize("length", [{}, {"days": 1, "months": 1}, {"days": -1}])
def test_period_end_needs_exactly_one_non_negative_length(length: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        period_end(D(2025, 1, 1), calendar=NATIONAL, **length)


def test_negative_workdays_deadline_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        due_after_workdays(D(2025, 1, 1), -1, NATIONAL)


def test_bundled_calendars_satisfy_the_protocol() -> None:
    assert isinstance(NATIONAL, WorkCalendar)
    assert isinstance(GUANGXI, WorkCalendar)
    assert isinstance(NATIONAL, ChinaCalendar)


def test_missing_data_error_pickles() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(CalendarDataMissing(2027)))

    assert (2027, "national") == (error.year, error.calendar)


@pytest.mark.parametrize("name", ["holidays-cn.toml", "guangxi-sanyuesan.toml"])
def test_bundled_table_matches_its_recorded_checksum(name: str) -> None:
    digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()

    assert source()["files"][name]["sha256"] == digest


def test_every_national_year_cites_a_state_council_notice() -> None:
    years = tomllib.loads((DATA / "holidays-cn.toml").read_text("utf-8"))["years"]
    for year, data in years.items():
        assert f"关于{year}年部分节假日安排的通知" in data["notices"][0]["title"]
