"""Reporting periods (月/季度/半年/年): worked examples and edge cases."""

from __future__ import annotations

import datetime as dt
import importlib
import pickle

import pytest

import veteran_affairs.cycles
from veteran_affairs.cycles import (
    HalfYear,
    InvalidPeriod,
    Month,
    Period,
    Quarter,
    Year,
    parse_period,
    period_range,
)
from veteran_affairs.errors import InvalidValue, VeteranAffairsError

# --- keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2021-01", Month(year=2021, month=1)),
        ("2021-12", Month(year=2021, month=12)),
        ("2021Q1", Quarter(year=2021, quarter=1)),
        ("2021Q4", Quarter(year=2021, quarter=4)),
        ("2021H1", HalfYear(year=2021, half=1)),
        ("2021H2", HalfYear(year=2021, half=2)),
        ("2021", Year(year=2021)),
        ("1900", Year(year=1900)),
        ("2200-12", Month(year=2200, month=12)),
    ],
)
def test_a_key_parses_to_its_period_and_prints_back(key: str, expected: Period) -> None:
    assert expected == parse_period(key)
    assert expected == type(expected).parse(key)
    assert key == str(expected)


@pytest.mark.parametrize(
    ("kind", "key", "field"),
    [
        (Month, "2021-13", "month"),
        (Month, "2021-00", "month"),
        (Month, "2021-1", "month"),
        (Month, "2021/01", "month"),
        (Month, " 2021-01", "month"),
        (Quarter, "2021Q5", "quarter"),
        (Quarter, "2021Q0", "quarter"),
        (Quarter, "2021q1", "quarter"),
        (HalfYear, "2021H3", "half"),
        (HalfYear, "2021H0", "half"),
        (Year, "21", "year"),
        (Year, "1899", "year"),
        (Year, "2201", "year"),
        (Month, "0221-01", "year"),
        (Quarter, "2021Ｑ1", "quarter"),
        (Year, "２０２１", "year"),
    ],
)
def test_a_bad_key_is_refused_with_an_error_naming_the_field_and_text(
    kind: type[Period], key: str, field: str
) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        kind.parse(key)

    assert field == caught.value.field
    assert key == caught.value.value
    assert repr(key) in str(caught.value)


@pytest.mark.parametrize("key", ["", "2021-1", "2021Q", "2021H1x", "20211", "2021-01-01", "Q1"])
def test_parse_period_refuses_text_of_no_known_shape(key: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(key)

    assert "period" == caught.value.field
    assert key == caught.value.value


@pytest.mark.parametrize(("key", "field"), [("2021-13", "month"), ("2021Q9", "quarter")])
def test_parse_period_reports_the_bad_part_of_a_well_shaped_key(key: str, field: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(key)

    assert field == caught.value.field


def test_a_period_error_is_a_library_error_and_a_value_error() -> None:
    with pytest.raises(InvalidPeriod) as caught:
        Month.parse("2021-13")

    assert isinstance(caught.value, InvalidValue)
    assert isinstance(caught.value, VeteranAffairsError)
    assert isinstance(caught.value, ValueError)
    assert "month must be 1–12" == caught.value.reason
    restored = pickle.loads(pickle.dumps(caught.value))
    assert str(caught.value) == str(restored)


def test_parse_refuses_what_is_not_text() -> None:
    with pytest.raises(InvalidPeriod, match="must be text"):
        Month.parse(202101)  # type: ignore[arg-type]
    with pytest.raises(InvalidPeriod, match="must be text"):
        parse_period(None)  # type: ignore[arg-type]


# --- construction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        (lambda: Month(year=2021, month=13), "month", "13"),
        (lambda: Month(year=2021, month=0), "month", "0"),
        (lambda: Quarter(year=2021, quarter=5), "quarter", "5"),
        (lambda: HalfYear(year=2021, half=3), "half", "3"),
        (lambda: Year(year=1899), "year", "1899"),
        (lambda: Year(year=2201), "year", "2201"),
        (lambda: Month(year=True, month=1), "year", "True"),
        (lambda: Month(year=2021, month=1.0), "month", "1.0"),  # type: ignore[arg-type]
        (lambda: Year(year="2021"), "year", "2021"),  # type: ignore[arg-type]
    ],
)
def test_an_invalid_period_cannot_be_built(build: object, field: str, value: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        build()  # type: ignore[operator]

    assert field == caught.value.field
    assert value == caught.value.value


def test_the_year_range_explains_itself() -> None:
    with pytest.raises(InvalidPeriod, match="plausible administrative dates"):
        Year(year=2201)


def test_periods_are_frozen_hashable_and_pickle() -> None:
    month = Month(year=2021, month=1)

    with pytest.raises(AttributeError):
        month.month = 2  # type: ignore[misc]
    assert {month, Month.parse("2021-01")} == {month}
    assert month == pickle.loads(pickle.dumps(month))


# --- days ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "end", "days"),
    [
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), 29),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28), 28),
        ("1900-02", dt.date(1900, 2, 1), dt.date(1900, 2, 28), 28),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29), 29),
        ("2021-12", dt.date(2021, 12, 1), dt.date(2021, 12, 31), 31),
        ("2021-04", dt.date(2021, 4, 1), dt.date(2021, 4, 30), 30),
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), 91),
        ("2023Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31), 90),
        ("2021Q2", dt.date(2021, 4, 1), dt.date(2021, 6, 30), 91),
        ("2021Q3", dt.date(2021, 7, 1), dt.date(2021, 9, 30), 92),
        ("2021Q4", dt.date(2021, 10, 1), dt.date(2021, 12, 31), 92),
        ("2024H1", dt.date(2024, 1, 1), dt.date(2024, 6, 30), 182),
        ("2023H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30), 181),
        ("2023H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31), 184),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), 366),
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), 365),
        ("2100", dt.date(2100, 1, 1), dt.date(2100, 12, 31), 365),
        ("2200-12", dt.date(2200, 12, 1), dt.date(2200, 12, 31), 31),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(
    key: str, start: dt.date, end: dt.date, days: int
) -> None:
    period = parse_period(key)

    assert start == period.start
    assert end == period.end
    assert days == period.days


def test_the_leap_day_belongs_to_february_the_first_quarter_and_half() -> None:
    leap_day = dt.date(2024, 2, 29)

    assert Month(year=2024, month=2) == Month.containing(leap_day)
    assert Quarter(year=2024, quarter=1) == Quarter.containing(leap_day)
    assert HalfYear(year=2024, half=1) == HalfYear.containing(leap_day)
    assert Year(year=2024) == Year.containing(leap_day)
    assert Month.parse("2024-02").contains(leap_day)
    assert not Month.parse("2024-03").contains(leap_day)


@pytest.mark.parametrize(
    ("day", "inside", "outside"),
    [
        (dt.date(2021, 12, 31), "2021Q4", "2022Q1"),
        (dt.date(2022, 1, 1), "2022Q1", "2021Q4"),
        (dt.date(2021, 6, 30), "2021H1", "2021H2"),
        (dt.date(2021, 7, 1), "2021H2", "2021H1"),
        (dt.date(2021, 12, 31), "2021", "2022"),
        (dt.date(2022, 1, 1), "2022-01", "2021-12"),
    ],
)
def test_a_boundary_day_lies_in_exactly_one_side(day: dt.date, inside: str, outside: str) -> None:
    assert parse_period(inside).contains(day)
    assert not parse_period(outside).contains(day)
    assert parse_period(inside) == type(parse_period(inside)).containing(day)


def test_a_datetime_is_placed_by_its_date() -> None:
    moment = dt.datetime(2021, 3, 31, 23, 59)

    assert Quarter(year=2021, quarter=1) == Quarter.containing(moment)
    assert Quarter(year=2021, quarter=1).contains(moment)


def test_containing_and_contains_refuse_what_is_not_a_date() -> None:
    with pytest.raises(TypeError):
        Month.containing("2021-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Month(year=2021, month=1).contains("2021-01-01")  # type: ignore[arg-type]


def test_a_date_outside_the_supported_years_has_no_period() -> None:
    with pytest.raises(InvalidPeriod):
        Year.containing(dt.date(1899, 12, 31))


def test_the_months_of_each_kind() -> None:
    assert (Month(year=2021, month=5),) == Month(year=2021, month=5).months()
    assert ("2021-04", "2021-05", "2021-06") == tuple(map(str, Quarter.parse("2021Q2").months()))
    assert ("2021-07", "2021-12") == (
        str(HalfYear.parse("2021H2").months()[0]),
        str(HalfYear.parse("2021H2").months()[-1]),
    )
    assert 12 == len(Year.parse("2021").months())


# --- neighbours and arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "following", "preceding"),
    [
        ("2021-12", "2022-01", "2021-11"),
        ("2021-01", "2021-02", "2020-12"),
        ("2021Q4", "2022Q1", "2021Q3"),
        ("2021Q1", "2021Q2", "2020Q4"),
        ("2021H2", "2022H1", "2021H1"),
        ("2021H1", "2021H2", "2020H2"),
        ("2021", "2022", "2020"),
    ],
)
def test_next_and_previous_cross_year_boundaries(key: str, following: str, preceding: str) -> None:
    period = parse_period(key)

    assert following == str(period.next())
    assert preceding == str(period.previous())


def test_adding_and_subtracting_whole_periods() -> None:
    month = Month.parse("2021-11")

    assert "2022-02" == str(month + 3)
    assert "2022-02" == str(3 + month)
    assert "2020-11" == str(month - 12)
    assert "2021-11" == str(month + 0)
    assert "2022Q3" == str(Quarter.parse("2021Q1") + 6)
    assert "2019H2" == str(HalfYear.parse("2021H1") - 3)
    assert "2011" == str(Year.parse("2021") - 10)


@pytest.mark.parametrize("other", [1.0, True, "1", None])
def test_only_an_int_shifts_a_period(other: object) -> None:
    month = Month.parse("2021-01")

    with pytest.raises(TypeError):
        month + other  # type: ignore[operator]
    with pytest.raises(TypeError):
        month - other  # type: ignore[operator]


def test_stepping_past_the_supported_years_is_refused() -> None:
    with pytest.raises(InvalidPeriod):
        Month.parse("2200-12").next()
    with pytest.raises(InvalidPeriod):
        Year.parse("1900").previous()


# --- order -----------------------------------------------------------------------------------


def test_periods_of_one_kind_order_by_time() -> None:
    keys = ["2022-01", "2021-12", "2021-02", "2021-10"]

    assert ["2021-02", "2021-10", "2021-12", "2022-01"] == [
        str(m) for m in sorted(map(Month.parse, keys))
    ]
    assert Quarter.parse("2021Q4") < Quarter.parse("2022Q1")
    assert HalfYear.parse("2021H2") >= HalfYear.parse("2021H1")
    assert max(Year(year=1999), Year(year=2001)) == Year(year=2001)


@pytest.mark.parametrize(
    ("left", "right"),
    [("2021-01", "2021Q1"), ("2021Q1", "2021H1"), ("2021H1", "2021"), ("2021", "2021-01")],
)
def test_periods_of_different_kinds_do_not_order(left: str, right: str) -> None:
    a, b = parse_period(left), parse_period(right)

    with pytest.raises(TypeError):
        a < b  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        a >= b  # type: ignore[operator]  # noqa: B015
    assert a != b


# --- ranges ----------------------------------------------------------------------------------


def test_a_range_includes_both_ends() -> None:
    months = period_range(Month.parse("2021-11"), Month.parse("2022-02"))

    assert ["2021-11", "2021-12", "2022-01", "2022-02"] == [str(m) for m in months]


def test_a_range_of_one_period_and_a_reversed_range() -> None:
    year = Year.parse("2021")

    assert (year,) == period_range(year, year)
    assert () == period_range(year, year.previous())


def test_a_range_needs_ends_of_one_kind() -> None:
    with pytest.raises(TypeError, match="Month and Quarter"):
        period_range(Month.parse("2021-01"), Quarter.parse("2021Q4"))


# --- public surface --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["veteran_affairs.cycles", "veteran_affairs.cycles.periods"])
def test_the_public_names_are_sorted_listed_and_all_that_dir_shows(name: str) -> None:
    module = importlib.import_module(name)

    assert len(set(module.__all__)) == len(module.__all__)
    assert sorted(module.__all__) == sorted(dir(module))
    assert [] == [n for n in module.__all__ if not hasattr(module, n)]


def test_the_package_re_exports_every_period_name() -> None:
    periods = importlib.import_module("veteran_affairs.cycles.periods")

    assert set(periods.__all__) <= set(veteran_affairs.cycles.__all__)
