"""Laws of the casework deadline mechanism: clocks, rolls, monotonicity, status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.casework.deadlines import (
    DayCount,
    DeadlineStatus,
    DueDate,
    LimitBook,
    RestDayRoll,
    TimeLimit,
    due,
)
from veteran_affairs.cycles.calendar import WorkCalendar, calendar_for
from veteran_affairs.parameters import Citation, Parameter, ParameterVersion
from veteran_affairs.testing._petition_strategies import due_dates

KEY = "test.limit"
CALENDARS = st.sampled_from((calendar_for(), calendar_for("450312")))
# Starts whose counts stay inside the bundled calendar years (national 2015–2026, Guangxi
# 2017–2025): at most 11 months, 90 days or 40 working days after 2024.
STARTS = st.dates(min_value=dt.date(2017, 1, 1), max_value=dt.date(2024, 12, 31))
ROLLS = st.sampled_from(tuple(RestDayRoll))


def book_of(count: DayCount, amount: int, roll: RestDayRoll = RestDayRoll.CIVIL_CODE) -> LimitBook:
    parameter = Parameter(
        key=KEY,
        label_zh="测试时限",
        label_en="test limit",
        unit=count.value,
        versions=(
            ParameterVersion(
                effective_from=dt.date(2000, 1, 1),
                value=Decimal(amount),
                citation=Citation(document="test"),
            ),
        ),
    )
    limit = TimeLimit(key=KEY, count=count, parameter=parameter, roll=roll)
    return LimitBook(limits={KEY: limit})


def amounts(count: DayCount) -> st.SearchStrategy[int]:
    return st.integers(
        0, {DayCount.CALENDAR_DAY: 90, DayCount.WORKING_DAY: 40, DayCount.MONTH: 11}[count]
    )


@given(STARTS, st.integers(0, 40), CALENDARS)
def test_a_working_day_deadline_never_falls_on_a_rest_day(
    start: dt.date, amount: int, calendar: WorkCalendar
) -> None:
    got = due(book_of(DayCount.WORKING_DAY, amount), KEY, start, calendar=calendar)
    assert calendar.is_workday(got.due)


@given(STARTS, st.integers(1, 40), CALENDARS)
def test_a_working_day_deadline_counts_exactly_its_working_days(
    start: dt.date, amount: int, calendar: WorkCalendar
) -> None:
    got = due(book_of(DayCount.WORKING_DAY, amount), KEY, start, calendar=calendar)
    assert amount == calendar.workdays_between(start, got.due)


@given(STARTS, st.integers(0, 90), st.one_of(st.none(), CALENDARS), ROLLS)
def test_a_calendar_day_deadline_is_never_before_its_start(
    start: dt.date, amount: int, calendar: WorkCalendar | None, roll: RestDayRoll
) -> None:
    got = due(book_of(DayCount.CALENDAR_DAY, amount, roll), KEY, start, calendar=calendar)
    assert start + dt.timedelta(days=amount) == got.nominal
    assert got.start <= got.nominal <= got.due


@given(STARTS, st.sampled_from((DayCount.CALENDAR_DAY, DayCount.MONTH)), st.data(), CALENDARS)
def test_the_roll_moves_to_the_first_working_day_and_no_further(
    start: dt.date, count: DayCount, data: st.DataObject, calendar: WorkCalendar
) -> None:
    amount = data.draw(amounts(count))
    got = due(book_of(count, amount), KEY, start, calendar=calendar)
    assert calendar.is_workday(got.due)
    between = [got.nominal + dt.timedelta(days=i) for i in range((got.due - got.nominal).days)]
    assert [] == [d for d in between if calendar.is_workday(d)]


@given(STARTS, st.sampled_from((DayCount.CALENDAR_DAY, DayCount.MONTH)), st.data(), CALENDARS)
def test_without_the_roll_the_last_day_stays_put(
    start: dt.date, count: DayCount, data: st.DataObject, calendar: WorkCalendar
) -> None:
    amount = data.draw(amounts(count))
    kept = due(book_of(count, amount, RestDayRoll.NONE), KEY, start, calendar=calendar)
    bare = due(book_of(count, amount), KEY, start)
    assert (kept.nominal, False) == (kept.due, kept.rolled)
    assert bare.due == kept.due


@given(STARTS, STARTS, st.sampled_from(tuple(DayCount)), st.data(), CALENDARS)
def test_a_later_start_never_gives_an_earlier_deadline(
    a: dt.date, b: dt.date, count: DayCount, data: st.DataObject, calendar: WorkCalendar
) -> None:
    early, late = sorted((a, b))
    book = book_of(count, data.draw(amounts(count)))
    assert (
        due(book, KEY, early, calendar=calendar).due <= due(book, KEY, late, calendar=calendar).due
    )


@given(STARTS, st.sampled_from(tuple(DayCount)), st.data(), CALENDARS)
def test_a_longer_limit_never_gives_an_earlier_deadline(
    start: dt.date, count: DayCount, data: st.DataObject, calendar: WorkCalendar
) -> None:
    small, large = sorted((data.draw(amounts(count)), data.draw(amounts(count))))
    first = due(book_of(count, small), KEY, start, calendar=calendar)
    second = due(book_of(count, large), KEY, start, calendar=calendar)
    assert first.due <= second.due


@given(STARTS, st.sampled_from(tuple(DayCount)), st.data(), st.integers(0, 30))
def test_extra_units_count_like_a_longer_limit(
    start: dt.date, count: DayCount, data: st.DataObject, extra: int
) -> None:
    calendar = calendar_for()
    amount = data.draw(amounts(count))
    if count is DayCount.MONTH:
        extra %= 12
    with_extra = due(book_of(count, amount), KEY, start, calendar=calendar, extra=extra)
    longer = due(book_of(count, amount + extra), KEY, start, calendar=calendar)
    assert (longer.due, amount + extra) == (with_extra.due, with_extra.amount)


@given(STARTS, st.integers(0, 28))
def test_a_month_deadline_keeps_the_day_of_month_or_ends_the_month(
    start: dt.date, months: int
) -> None:
    months %= 12
    got = due(book_of(DayCount.MONTH, months), KEY, start)
    assert (got.due.year * 12 + got.due.month) - (start.year * 12 + start.month) == months
    next_day = got.due + dt.timedelta(days=1)
    assert got.due.day == start.day or (got.due.day < start.day and next_day.day == 1)


@given(due_dates(), st.integers(-30, 300), st.one_of(st.none(), st.integers(-30, 300)))
def test_status_follows_the_due_date_and_the_day_done(
    deadline: DueDate, offset: int, done_offset: int | None
) -> None:
    on = deadline.start + dt.timedelta(days=offset)
    done_on = None if done_offset is None else deadline.start + dt.timedelta(days=done_offset)
    got = deadline.status(on=on, done_on=done_on)
    if done_on is not None and done_on <= on:
        expected = DeadlineStatus.MET if done_on <= deadline.due else DeadlineStatus.LATE
    else:
        expected = DeadlineStatus.OVERDUE if on > deadline.due else DeadlineStatus.PENDING
    assert expected == got
    assert got.missed == (got in (DeadlineStatus.OVERDUE, DeadlineStatus.LATE))


@given(due_dates(), st.integers(0, 300))
def test_not_done_is_pending_or_overdue_never_met(deadline: DueDate, offset: int) -> None:
    on = deadline.start + dt.timedelta(days=offset)
    assert deadline.status(on=on) in (DeadlineStatus.PENDING, DeadlineStatus.OVERDUE)
    assert (deadline.days_overdue(on) > 0) == (deadline.status(on=on) is DeadlineStatus.OVERDUE)


@given(STARTS, st.integers(0, 90))
def test_a_supplied_value_replaces_the_history_and_is_cited_as_supplied(
    start: dt.date, amount: int
) -> None:
    book = LimitBook.bundled().with_values({"petition.review_decision": amount})
    got = due(book, "petition.review_decision", start)
    assert (start + dt.timedelta(days=amount), "user-supplied (使用者提供)") == (
        got.due,
        got.citation.document,
    )
