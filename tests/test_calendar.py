"""Working days and legal periods on the bundled Chinese holiday calendar."""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from veteran_affairs.cycles.calendar import (
    CalendarDataMissing,
    ChinaCalendar,
    InvalidHolidayFile,
    WorkCalendar,
    calendar_for,
    due_after_workdays,
    load_holidays,
    period_end,
    source,
)
from veteran_affairs.errors import VeteranAffairsError

D = datetime.date
NATIONAL = calendar_for()
GUANGXI = calendar_for("450312")
PROFILES = resources.files("veteran_affairs") / "data" / "jurisdictions"
# Each bundled holiday table lives in the folder of the jurisdiction profile it belongs to.
NATIONAL_TABLE = PROFILES / "national" / "holidays-cn.toml"
GUANGXI_TABLE = PROFILES / "guangxi" / "guangxi-sanyuesan.toml"
TABLES = {"holidays-cn.toml": NATIONAL_TABLE, "guangxi-sanyuesan.toml": GUANGXI_TABLE}


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
    data = tomllib.loads(NATIONAL_TABLE.read_text("utf-8"))["years"][str(year)]
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
        (D(2018, 4, 15), False, True),  # Sunday worked in Guangxi
        (D(2018, 4, 18), True, False),
        (D(2018, 4, 19), True, False),
        (D(2018, 4, 20), True, False),  # Friday off, in exchange for Sunday 4/15
        (D(2019, 4, 4), True, False),  # the day before the national 清明 days 4/5–4/7
        (D(2019, 4, 5), False, False),
        (D(2019, 4, 8), True, False),  # the day after them
        (D(2019, 4, 9), True, True),
        (D(2020, 3, 26), True, True),  # 2020: the holiday was cancelled, both days worked
        (D(2020, 3, 27), True, True),
        (D(2021, 4, 14), True, False),
        (D(2021, 4, 15), True, False),
        (D(2021, 4, 16), True, False),  # Friday off, in exchange for Sunday 4/18
        (D(2021, 4, 18), False, True),  # Sunday worked in Guangxi
        (D(2022, 4, 2), True, False),  # national adjusted Saturday, off in Guangxi
        (D(2022, 4, 4), False, False),  # national 清明 days 4/3–4/5
        (D(2022, 4, 6), True, False),
        (D(2022, 4, 7), True, True),
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


@pytest.mark.parametrize(
    ("year", "days_off", "sundays_worked"),
    [
        (2018, [D(2018, 4, 18), D(2018, 4, 19), D(2018, 4, 20)], [D(2018, 4, 15)]),
        (2019, [D(2019, 4, 4), D(2019, 4, 8)], []),
        (2020, [], []),
        (2021, [D(2021, 4, 14), D(2021, 4, 15), D(2021, 4, 16)], [D(2021, 4, 18)]),
        (2022, [D(2022, 4, 2), D(2022, 4, 6)], []),
    ],
)
def test_guangxi_differs_from_the_national_calendar_only_on_its_notice_days(
    year: int, days_off: list[datetime.date], sundays_worked: list[datetime.date]
) -> None:
    days = [D(year, 1, 1) + datetime.timedelta(i) for i in range(366)]
    differing = [
        d for d in days if d.year == year and NATIONAL.is_workday(d) != GUANGXI.is_workday(d)
    ]

    assert sorted(days_off + sundays_worked) == differing
    assert all(d.weekday() == 6 for d in sundays_worked)


def test_guangxi_2020_is_known_and_an_ordinary_national_year() -> None:
    days = [D(2020, 1, 1) + datetime.timedelta(i) for i in range(366)]

    assert GUANGXI.covers(2020)
    assert [NATIONAL.is_workday(d) for d in days] == [GUANGXI.is_workday(d) for d in days]


def test_guangxi_2022_04_02_is_a_national_working_saturday_but_off_in_guangxi() -> None:
    day = D(2022, 4, 2)

    assert (5, True, False) == (day.weekday(), NATIONAL.is_workday(day), GUANGXI.is_workday(day))
    # The five days 4/2–4/6 are off in a row; Friday 4/1 and Thursday 4/7 are worked.
    assert D(2022, 4, 7) == GUANGXI.next_workday(day)
    assert D(2022, 4, 7) == GUANGXI.add_workdays(D(2022, 4, 1), 1)


def test_guangxi_coverage_is_2017_to_2025() -> None:
    assert list(range(2017, 2026)) == [y for y in range(2000, 2040) if GUANGXI.covers(y)]


@pytest.mark.parametrize("day", [D(2016, 4, 9), D(2026, 4, 20), D(2026, 1, 5)])
def test_guangxi_year_without_a_sanyuesan_notice_raises(day: datetime.date) -> None:
    with pytest.raises(CalendarDataMissing, match=str(day.year)) as caught:
        GUANGXI.is_workday(day)

    assert "三月三" in caught.value.calendar


def test_every_guangxi_year_from_2018_records_its_source_and_grade() -> None:
    years = tomllib.loads(GUANGXI_TABLE.read_text("utf-8"))["years"]
    grades = {int(y): data["source"]["grade"] for y, data in years.items() if "source" in data}

    assert {2018: "REPOST", 2019: "REPOST", 2020: "REPOST", 2021: "REPOST", 2022: "REPOST"} == {
        y: g for y, g in grades.items() if 2018 <= y <= 2022
    }
    assert ("REPOST", "SECONDARY") == (grades[2024], grades[2025])
    for year in range(2018, 2023):
        source_of = years[str(year)]["source"]
        assert source_of["url"].startswith("http"), year
        assert source_of["quote"], year
        assert years[str(year)]["secondary"] is False
    assert years["2025"]["secondary"] is True
    assert source()["files"]["guangxi-sanyuesan.toml"]["years"] == list(range(2017, 2026))


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
    digest = hashlib.sha256(TABLES[name].read_bytes()).hexdigest()

    assert source()["files"][name]["sha256"] == digest


def test_every_national_year_cites_a_state_council_notice() -> None:
    years = tomllib.loads(NATIONAL_TABLE.read_text("utf-8"))["years"]
    for year, data in years.items():
        assert f"关于{year}年部分节假日安排的通知" in data["notices"][0]["title"]


# --- the user's holiday files ---------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
NATIONAL_2014 = EXAMPLES / "holidays-cn-2014.toml"
GUANGXI_TEMPLATE = EXAMPLES / "guangxi-sanyuesan-2026.toml"

# TEST INPUT, NOT LAW: no 2026 三月三 notice is known; these days only exercise the layering.
GUANGXI_2026 = """\
schema = 1
division = "45"

[years.2026]
off = [2026-04-20, 2026-04-21]
work = []
notice = { title = "test input, not a notice", published = "" }
secondary = false
"""


def _file(tmp_path: Path, text: str, name: str = "holidays.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_national_file_adds_its_year_and_leaves_the_bundled_ones() -> None:
    calendar = calendar_for(holidays=NATIONAL_2014)

    assert calendar.covers(2014)
    assert not NATIONAL.covers(2014)
    assert [y for y in range(2000, 2040) if calendar.covers(y)] == list(range(2014, 2027))
    assert (True, False) == (
        calendar.is_workday(D(2014, 1, 26)),
        calendar.is_workday(D(2014, 10, 7)),
    )
    # Across the years of two notices: 2015-01-01 to 01-03 off, Sunday 01-04 worked.
    assert D(2015, 1, 4) == calendar.add_workdays(D(2014, 12, 31), 1)


def test_a_national_file_applies_in_guangxi_but_does_not_stand_for_sanyuesan() -> None:
    calendar = calendar_for("450312", holidays=[NATIONAL_2014])

    assert not calendar.covers(2014)
    with pytest.raises(CalendarDataMissing, match="三月三"):
        calendar.is_workday(D(2014, 6, 3))
    assert calendar.is_workday(D(2024, 4, 7))


def test_a_guangxi_file_adds_2026_inside_guangxi_only(tmp_path: Path) -> None:
    path = _file(tmp_path, GUANGXI_2026)
    guangxi = calendar_for("450312101", holidays=path)
    beijing = calendar_for("110105", holidays=path)

    assert guangxi.covers(2026)
    assert (False, False, True) == tuple(
        guangxi.is_workday(d) for d in (D(2026, 4, 20), D(2026, 4, 21), D(2026, 4, 22))
    )
    assert beijing.is_workday(D(2026, 4, 20))
    assert calendar_for("110105") == beijing  # no division file applies there
    assert guangxi.covers(2024)  # the bundled years stay


def test_a_year_in_a_users_file_replaces_the_bundled_year(tmp_path: Path) -> None:
    # TEST INPUT, NOT LAW: a different 2025 to see that it replaces the bundled one.
    path = _file(tmp_path, GUANGXI_2026.replace("2026", "2025"))
    calendar = calendar_for("45", holidays=path)

    assert [True, True, False] == [
        calendar.is_workday(d) for d in (D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 21))
    ]
    assert calendar.is_workday(D(2024, 4, 11)) is False  # other years untouched


def test_the_later_file_wins_a_year_both_have(tmp_path: Path) -> None:
    first = _file(tmp_path, GUANGXI_2026, "first.toml")
    second = _file(tmp_path, GUANGXI_2026.replace("2026-04-21", "2026-04-22"), "second.toml")

    calendar = calendar_for("45", holidays=[first, load_holidays(second)])

    assert (True, False) == (
        calendar.is_workday(D(2026, 4, 21)),
        calendar.is_workday(D(2026, 4, 22)),
    )


def test_a_national_year_can_be_replaced(tmp_path: Path) -> None:
    # TEST INPUT, NOT LAW: the bundled 2026 notice with one more day off (a Monday).
    bundled = NATIONAL_TABLE.read_text("utf-8")
    table = bundled[bundled.index("[years.2026]") :]
    text = "schema = 1\n\n" + table.replace("extra_days_off = 0", "extra_days_off = 1").replace(
        "off = [\n", 'off = [\n    { holiday = "test", first = 2026-03-16, last = 2026-03-16 },\n'
    )
    calendar = calendar_for(holidays=_file(tmp_path, text))

    assert (True, False) == (
        NATIONAL.is_workday(D(2026, 3, 16)),
        calendar.is_workday(D(2026, 3, 16)),
    )
    days = [D(2026, 1, 1) + datetime.timedelta(i) for i in range(365)]
    assert 1 == sum(NATIONAL.is_workday(d) != calendar.is_workday(d) for d in days)


def test_a_file_describes_what_it_holds() -> None:
    loaded = load_holidays(NATIONAL_2014)

    assert (None, "national", (2014,)) == (loaded.division, loaded.name, loaded.year_numbers)
    assert "国务院办公厅关于2014年部分节假日安排的通知" == loaded.years[0].notice
    assert repr(loaded).endswith("national 2014>")


def test_the_bundled_tables_pass_the_checks_of_users_files() -> None:
    national = load_holidays(Path(str(NATIONAL_TABLE)))
    guangxi = load_holidays(Path(str(GUANGXI_TABLE)))

    assert tuple(range(2015, 2027)) == national.year_numbers
    assert tuple(range(2017, 2026)) == guangxi.year_numbers
    assert ("45", "Guangxi 壮族三月三") == (
        guangxi.division and guangxi.division.short,
        guangxi.name,
    )


def test_the_guangxi_template_is_refused_until_filled_in() -> None:
    with pytest.raises(InvalidHolidayFile) as caught:
        load_holidays(GUANGXI_TEMPLATE)

    assert (2026, "notice.title") == (caught.value.year, caught.value.field)
    assert str(GUANGXI_TEMPLATE) in str(caught.value)


NATIONAL_TEXT = NATIONAL_2014.read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "year", "field", "says"),
    [
        (NATIONAL_TEXT.replace("2014-01-26, ", "2014-01-27, "), 2014, "work[0]", "Monday"),
        (NATIONAL_TEXT.replace("last = 2014-10-07", "last = 2014-10-08"), 2014, "off", "11"),
        (NATIONAL_TEXT.replace("2014", "2027"), 2027, "law", "2024 edition"),
        (NATIONAL_TEXT.replace("2013", "2012"), 2014, "law", "2013 edition"),
        (
            NATIONAL_TEXT.replace("first = 2014-01-01", 'first = "2014-01-01"'),
            2014,
            "off[0].first",
            "unquoted",
        ),
        (
            NATIONAL_TEXT.replace("first = 2014-09-06", "first = 2014-09-09"),
            2014,
            "off[5].last",
            "before first",
        ),
        (NATIONAL_TEXT.replace("work = [", "wrok = ["), 2014, "wrok", "unknown field"),
        (
            re.sub(r"notices = \[.*?\n\]", "notices = []", NATIONAL_TEXT, flags=re.S),
            2014,
            "notices",
            "at least one",
        ),
        (
            NATIONAL_TEXT.replace('"国务院办公厅关于2014年部分节假日安排的通知"', '" "'),
            2014,
            "notices[0].title",
            "empty",
        ),
        (
            NATIONAL_TEXT.replace("2014-01-26, ", "2014-01-26, 2014-01-26, "),
            2014,
            "work[1]",
            "twice",
        ),
        (
            NATIONAL_TEXT.replace("2014-02-08, ", "2014-02-08, 2014-02-01, "),
            2014,
            "work[2]",
            "span",
        ),
        (NATIONAL_TEXT.replace("schema = 1", "schema = 2"), None, "schema", "must be 1"),
        (NATIONAL_TEXT.replace("[years.2014]", "[years.14]"), None, "years.14", "four digits"),
        (NATIONAL_TEXT + "\n[years.2015\n", None, "(file)", "not valid TOML"),
        (GUANGXI_2026.replace("2026-04-21", "2027-04-21"), 2026, "off[1]", "must lie in 2026"),
        (GUANGXI_2026.replace("[2026-04-20, 2026-04-21]", "[]"), 2026, "off", "note"),
        (GUANGXI_2026.replace("work = []", "work = [2026-04-22]"), 2026, "work[0]", "Wednesday"),
        (GUANGXI_2026.replace('"45"', '"99"'), None, "division", "division code"),
        (GUANGXI_2026.replace('division = "45"\n', ""), 2026, "notice", 'division = "45"'),
        (
            NATIONAL_TEXT.replace("schema = 1", 'schema = 1\ndivision = "45"'),
            2014,
            "law",
            "national",
        ),
        (
            GUANGXI_2026 + 'source = { url = "https://example.org/n", grade = "SECONDARY" }\n',
            2026,
            "secondary",
            "must be true",
        ),
        (
            GUANGXI_2026 + 'source = { url = "https://example.org/n", grade = "OFFICIAL" }\n',
            2026,
            "source.grade",
            "GOV, REPOST, SECONDARY",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_the_year_and_the_field(
    tmp_path: Path, text: str, year: int | None, field: str, says: str
) -> None:
    path = _file(tmp_path, text)

    with pytest.raises(InvalidHolidayFile) as caught:
        calendar_for("45", holidays=path)

    assert (year, field) == (caught.value.year, caught.value.field)
    message = str(caught.value)
    assert str(path) in message
    assert says in message
    assert ("" if year is None else f"[years.{year}] ") + field in message


def test_a_holiday_file_error_is_a_value_error_of_the_library_and_pickles() -> None:
    import pickle

    error = InvalidHolidayFile("h.toml", 2027, "work[0]", "2027-01-04", "is a Monday", "周一")

    assert isinstance(error, ValueError)
    assert isinstance(error, VeteranAffairsError)
    assert str(error) == str(pickle.loads(pickle.dumps(error)))
    assert "h.toml: [years.2027] work[0] = 2027-01-04: is a Monday (周一)" == str(error)


def test_a_missing_holiday_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        calendar_for(holidays=tmp_path / "none.toml")


def test_a_file_for_another_division_applies_only_inside_it(tmp_path: Path) -> None:
    # TEST INPUT, NOT LAW: a day off for a Xinjiang county, to see where an overlay applies.
    text = GUANGXI_2026.replace('"45"', '"650102"').replace(
        "[2026-04-20, 2026-04-21]", "[2026-03-20]"
    )
    path = _file(tmp_path, text)

    inside = calendar_for("650102", holidays=path)
    beside = calendar_for("650103", holidays=path)
    guangxi = calendar_for("450312", holidays=path)

    assert (False, True) == (inside.is_workday(D(2026, 3, 20)), beside.is_workday(D(2026, 3, 20)))
    assert not inside.covers(2025)  # its own days are known for 2026 only
    assert not guangxi.covers(2026)
