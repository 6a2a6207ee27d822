"""Working days (工作日) and legal periods (期间) on the Chinese official calendar.

A day is a working day unless it is a Saturday or Sunday that no notice makes a working day
(调休上班日), or a day inside a holiday span (放假调休) of the State Council's yearly notice
(国务院办公厅关于XXXX年部分节假日安排的通知, under 全国年节及纪念日放假办法: 11 days a year
until 2024, 13 from 2025). The bundled table covers 2015–2026; :func:`source` gives its
provenance. Nothing is guessed: a date in a year without a notice raises
:class:`CalendarDataMissing`.

Guangxi (广西壮族自治区, division code 45) adds 壮族三月三 (2 days off for everyone since 2014,
自治区人民政府令第98号), set each year by a notice of the 自治区人民政府办公厅 that may also
move national adjusted working days.

>>> national = calendar_for()
>>> national.add_workdays(datetime.date(2025, 9, 30), 5)
datetime.date(2025, 10, 14)
>>> calendar_for("450312").is_workday(datetime.date(2024, 4, 11))
False
>>> period_end(datetime.date(2025, 1, 31), months=1, calendar=national)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import calendar as _gregorian
import datetime
import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, Protocol, runtime_checkable

import attrs

from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import DivisionCode

__all__ = [
    "CalendarDataMissing",
    "ChinaCalendar",
    "WorkCalendar",
    "calendar_for",
    "due_after_workdays",
    "period_end",
    "source",
]


def __dir__() -> list[str]:
    return __all__


_NATIONAL_FILE = "holidays-cn.toml"
_GUANGXI_FILE = "guangxi-sanyuesan.toml"
_SOURCE_FILE = "SOURCE.toml"
_GUANGXI_PREFIX = "45"
_ONE_DAY = datetime.timedelta(days=1)


class CalendarDataMissing(VeteranAffairsError, LookupError):
    """No holiday notice is bundled for the year of a date (缺少节假日安排数据).

    Attributes:
        year: the year asked for.
        calendar: which calendar lacks it (``"national"``, ``"Guangxi 壮族三月三"``).
    """

    def __init__(self, year: int, calendar: str = "national") -> None:
        self.year = year
        self.calendar = calendar
        super().__init__(
            f"no {calendar} holiday data for {year} (缺少{year}年节假日安排); "
            "working days are not guessed"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.year, self.calendar))


@runtime_checkable
class WorkCalendar(Protocol):
    """What legal-period and deadline code needs from a calendar of working days."""

    def is_workday(self, d: datetime.date, /) -> bool:
        """Whether ``d`` is a working day (工作日)."""
        ...

    def add_workdays(self, d: datetime.date, n: int, /) -> datetime.date:
        """The ``n``-th working day after ``d``, not counting ``d``; backwards if ``n < 0``."""
        ...

    def workdays_between(self, a: datetime.date, b: datetime.date, /) -> int:
        """The number of working days in ``(a, b]``; negative (of ``(b, a]``) if ``b < a``."""
        ...

    def next_workday(self, d: datetime.date, /) -> datetime.date:
        """``d`` if it is a working day, else the first working day after it."""
        ...

    def covers(self, year: int, /) -> bool:
        """Whether every date of ``year`` can be answered without raising."""
        ...


def _resource(name: str) -> bytes:
    files = resources.files("veteran_affairs") / "cycles" / "data"
    return (files / name).read_bytes()


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(_resource(name).decode("utf-8"))


def _days(first: datetime.date, last: datetime.date) -> frozenset[datetime.date]:
    return frozenset(first + datetime.timedelta(days=i) for i in range((last - first).days + 1))


@attrs.frozen(kw_only=True, repr=False)
class ChinaCalendar:
    """Working days from dated overrides over the Monday–Friday week.

    Build one with :func:`calendar_for`; the constructor is for tests and for users who
    supply a newer notice.

    Attributes:
        years: the years answered; a date in any other year raises
            :class:`CalendarDataMissing`.
        off: days off that would otherwise be working days, or rest days recorded as holidays.
        work: weekend days worked (调休上班日); ``off`` wins if a day is in both.
        name: what the calendar is, for messages.
        base: a calendar consulted first; ``off``/``work`` here override it (an overlay).
    """

    years: frozenset[int]
    off: frozenset[datetime.date]
    work: frozenset[datetime.date]
    name: str = "national"
    base: ChinaCalendar | None = None

    def __repr__(self) -> str:
        span = f"{min(self.years)}–{max(self.years)}" if self.years else "no years"
        return f"<ChinaCalendar {self.name} ({span})>"

    def covers(self, year: int) -> bool:
        """Whether dates in ``year`` are answered (here and in the base calendar)."""
        return year in self.years and (self.base is None or self.base.covers(year))

    def _check(self, d: datetime.date) -> None:
        if self.base is not None:
            self.base._check(d)
        if d.year not in self.years:
            raise CalendarDataMissing(d.year, self.name)

    def is_workday(self, d: datetime.date) -> bool:
        """Whether ``d`` is a working day.

        Raises:
            CalendarDataMissing: no data for ``d.year``.
        """
        self._check(d)
        if d in self.off:
            return False
        if d in self.work:
            return True
        if self.base is not None:
            return self.base.is_workday(d)
        return d.weekday() < 5

    def next_workday(self, d: datetime.date) -> datetime.date:
        """``d`` if it is a working day, else the first working day after it."""
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_workdays(self, d: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted); ``n = 0`` gives ``d``.

        A negative ``n`` counts backwards: the ``|n|``-th working day before ``d``.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def workdays_between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days in ``(a, b]``; ``-workdays_between(b, a)`` when ``b < a``."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        d = a
        while d < b:
            d += _ONE_DAY
            count += self.is_workday(d)
        return count


@functools.cache
def _national() -> ChinaCalendar:
    data = _load(_NATIONAL_FILE)
    off: set[datetime.date] = set()
    work: set[datetime.date] = set()
    for year in data["years"].values():
        for span in year["off"]:
            off |= _days(span["first"], span["last"])
        work.update(year["work"])
    return ChinaCalendar(
        years=frozenset(int(y) for y in data["years"]),
        off=frozenset(off),
        work=frozenset(work),
    )


@functools.cache
def _guangxi() -> ChinaCalendar:
    data = _load(_GUANGXI_FILE)
    off: set[datetime.date] = set()
    work: set[datetime.date] = set()
    for year in data["years"].values():
        off.update(year["off"])
        work.update(year["work"])
    return ChinaCalendar(
        years=frozenset(int(y) for y in data["years"]),
        off=frozenset(off),
        work=frozenset(work),
        name="Guangxi 壮族三月三",
        base=_national(),
    )


def calendar_for(division: str | DivisionCode = "") -> WorkCalendar:
    """The working-day calendar of a division (行政区划), national by default.

    Guangxi (codes starting ``45``) gets the national calendar with 壮族三月三 laid over it
    (自治区人民政府令第98号 and the yearly 自治区人民政府办公厅 notice). Only the years whose
    Guangxi notice is bundled (2017, 2023, 2024, and 2025 from a secondary source) are
    answered there: any Guangxi date in another year raises :class:`CalendarDataMissing`,
    even where the national calendar has data, because the 三月三 days are not guessed.

    Args:
        division: a division code or its text; ``""`` for the national calendar.

    Returns:
        A :class:`WorkCalendar`.

    Raises:
        InvalidDivisionCode: ``division`` is text that is not a division code.

    >>> calendar_for("45").covers(2024), calendar_for("45").covers(2026)
    (True, False)
    """
    if division == "":
        return _national()
    code = division if isinstance(division, DivisionCode) else DivisionCode(division)
    if code.value.startswith(_GUANGXI_PREFIX):
        return _guangxi()
    return _national()


def source() -> Mapping[str, Any]:
    """The provenance of the bundled holiday tables (``cycles/data/SOURCE.toml``)."""
    return _load(_SOURCE_FILE)


def _shift_months(start: datetime.date, months: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(start.day, last))


def period_end(
    start: datetime.date,
    *,
    days: int | None = None,
    months: int | None = None,
    years: int | None = None,
    calendar: WorkCalendar,
) -> datetime.date:
    """The last day of a legal period (期间的最后一日) counted from ``start``.

    民法典 第二百零一条: a period in days (or months, years) starts counting the day after
    ``start`` (开始的当日不计入). 第二百零二条: a period in months or years ends on the
    corresponding day (对应日) of the last month, or on that month's last day if it has no
    such day. 第二百零三条: if the last day is a statutory rest day (法定休假日), the period ends
    on the first working day after it.

    Exactly one of ``days``, ``months``, ``years`` is given (non-negative); they may not be mixed.

    Args:
        start: the day of the event that starts the period (not counted).
        days: a period in days: ends ``days`` days after ``start``.
        months: a period in months.
        years: a period in years (12 months each).
        calendar: decides which days are rest days.

    Returns:
        The last day of the period, moved to a working day if needed.

    Raises:
        ValueError: not exactly one length given, or a negative one.
        CalendarDataMissing: the calendar has no data for the year of the end day.

    >>> cal = calendar_for()
    >>> period_end(datetime.date(2026, 9, 21), days=10, calendar=cal)
    datetime.date(2026, 10, 8)
    """
    given = [v for v in (days, months, years) if v is not None]
    if len(given) != 1 or given[0] < 0:
        raise ValueError("give exactly one non-negative length: days, months or years")
    if days is not None:
        end = start + datetime.timedelta(days=days)
    elif months is not None:
        end = _shift_months(start, months)
    else:
        assert years is not None
        end = _shift_months(start, 12 * years)
    return calendar.next_workday(end)


def due_after_workdays(d: datetime.date, n: int, calendar: WorkCalendar) -> datetime.date:
    """The deadline ``n`` working days (工作日) after ``d``, ``d`` itself not counted.

    For time limits written in working days (“……之日起N个工作日内”): the ``n``-th working
    day after ``d``.

    Raises:
        ValueError: ``n`` is negative.
        CalendarDataMissing: a day on the way has no calendar data.

    >>> due_after_workdays(datetime.date(2026, 1, 31), 5, calendar_for())
    datetime.date(2026, 2, 6)
    """
    if n < 0:
        raise ValueError(f"n={n}: a deadline counts a non-negative number of working days")
    return calendar.add_workdays(d, n)
