"""Working days (工作日) and legal periods (期间) on the Chinese official calendar.

A day is a working day unless it is a Saturday or Sunday that no notice makes a working day
(调休上班日), or a day inside a holiday span (放假调休) of the State Council's yearly notice
(国务院办公厅关于XXXX年部分节假日安排的通知, under 全国年节及纪念日放假办法: 11 days a year
until 2024, 13 from 2025). The bundled table covers 2015–2026 (the ``national`` profile's
``holidays-cn.toml``, :mod:`veteran_affairs.jurisdictions`); :func:`source` gives its
provenance. Nothing is guessed: a date in a year without a notice raises
:class:`CalendarDataMissing`.

Guangxi (广西壮族自治区, division code 45) adds 壮族三月三 (2 days off for everyone since 2014,
自治区人民政府令第98号), set each year by a notice of the 自治区人民政府办公厅 that may also
move national adjusted working days. Its bundled notices cover 2017–2025 (2020: cancelled, no
day off; 2025 from a secondary source), in the ``guangxi`` profile's
``guangxi-sanyuesan.toml``. The overlays of every bundled profile apply here; a profile of
your own gives its calendar through
:meth:`Jurisdiction.calendar <veteran_affairs.jurisdictions.Jurisdiction.calendar>`.

For a year the library lacks, read the published notice into a holiday file of the bundled
format and pass it as ``calendar_for(division, holidays=path)`` (:func:`load_holidays`
checks one): its years add to the bundled ones and replace them where both have a year.

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
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeAlias, runtime_checkable

import attrs

from veteran_affairs import jurisdictions
from veteran_affairs.cycles._holiday_files import (
    HolidayFile,
    HolidayYear,
    InvalidHolidayFile,
    read_document,
)
from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import DivisionCode

__all__ = [
    "CalendarDataMissing",
    "ChinaCalendar",
    "HolidayFile",
    "HolidayYear",
    "InvalidHolidayFile",
    "WorkCalendar",
    "calendar_for",
    "due_after_workdays",
    "load_holidays",
    "period_end",
    "source",
]


def __dir__() -> list[str]:
    return __all__


_NATIONAL_FILE = "holidays-cn.toml"
_ONE_DAY = datetime.timedelta(days=1)

HolidaySource: TypeAlias = HolidayFile | str | os.PathLike[str]
"""A holiday file, checked already (:func:`load_holidays`) or named by its path."""


class CalendarDataMissing(VeteranAffairsError, LookupError):
    """No holiday notice is known for the year of a date (缺少节假日安排数据).

    Neither the bundled tables nor a holiday file given to :func:`calendar_for` have the year.

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


def _bundled_paths() -> tuple[Path, ...]:
    """The bundled profiles' holiday files, the national profile's first."""
    return tuple(path for j in jurisdictions.bundled() for path in j.holidays)


def _resource(name: str) -> Path:
    """The bundled holiday file of this name."""
    for path in _bundled_paths():
        if path.name == name:
            return path
    raise FileNotFoundError(f"no bundled holiday file {name!r}")


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(_resource(name).read_text("utf-8"))


@attrs.frozen(kw_only=True, repr=False)
class ChinaCalendar:
    """Working days from dated overrides over the Monday–Friday week.

    Build one with :func:`calendar_for` (with ``holidays=`` for a notice the library lacks);
    the constructor is for tests.

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


def load_holidays(path: str | os.PathLike[str]) -> HolidayFile:
    """Read and check a holiday file of the bundled format (节假日安排文件).

    A file without ``division`` holds national notice years, in the format of the bundled
    ``holidays-cn.toml``: per year the edition of 全国年节及纪念日放假办法 in force (``law``),
    ``extra_days_off``, the ``notices`` the days come from, the holiday spans ``off`` and the
    weekend days worked ``work``; the days must add up to the law's days off. A file with
    ``division = "45"`` (any division code) holds that division's own days over the national
    calendar, in the format of ``guangxi-sanyuesan.toml``. ``docs/periods-and-calendars.md``
    shows both, and ``docs/examples/`` has one of each.

    Args:
        path: the TOML file.

    Returns:
        The checked file, to pass to :func:`calendar_for` as ``holidays=``.

    Raises:
        InvalidHolidayFile: the file is not valid TOML, or a field breaks the format; the
            message names the file, the year and the field.
        OSError: the file cannot be read (``FileNotFoundError`` if it does not exist).
    """
    shown = os.fspath(path)
    with open(path, "rb") as handle:
        try:
            document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise InvalidHolidayFile(
                shown, None, "(file)", str(error), "is not valid TOML", "不是有效的 TOML 文件"
            ) from None
    return read_document(document, shown)


@functools.cache
def _bundled(name: str) -> HolidayFile:
    path = _resource(name)
    return read_document(_load(name), f"data/jurisdictions/{path.parent.name}/{name}")


def _merged(years: Iterable[HolidayYear], later: Iterable[HolidayYear]) -> dict[int, HolidayYear]:
    """Notice years by year; a year of ``later`` replaces the same year of ``years``."""
    merged = {y.year: y for y in years}
    merged.update((y.year, y) for y in later)
    return merged


def _calendar(
    years: Mapping[int, HolidayYear], *, name: str, base: ChinaCalendar | None = None
) -> ChinaCalendar:
    off: set[datetime.date] = set()
    work: set[datetime.date] = set()
    for year in years.values():
        off |= year.off
        work |= year.work
    return ChinaCalendar(
        years=frozenset(years), off=frozenset(off), work=frozenset(work), name=name, base=base
    )


def _assemble(files: Sequence[HolidayFile], code: DivisionCode | None) -> ChinaCalendar:
    """The national calendar from ``files``' national years, with the overlays of every
    division containing ``code`` laid on it, outermost first. Later files win a year."""
    national = _merged((), (y for f in files if f.division is None for y in f.years))
    calendar = _calendar(national, name="national")
    if code is None:
        return calendar
    overlays: dict[DivisionCode, tuple[str, dict[int, HolidayYear]]] = {}
    for f in files:
        if f.division is None or not f.division.contains(code):
            continue
        name, years = overlays.get(f.division, (f.name, {}))
        overlays[f.division] = (name, _merged(years.values(), f.years))
    for division in sorted(overlays, key=lambda d: d.level):
        name, years = overlays[division]
        calendar = _calendar(years, name=name, base=calendar)
    return calendar


def _bundled_files() -> tuple[HolidayFile, ...]:
    return tuple(_bundled(path.name) for path in _bundled_paths())


@functools.cache
def _default(divisions: tuple[DivisionCode, ...]) -> ChinaCalendar:
    """The bundled calendar under the overlays of ``divisions`` (nested, so the innermost
    one picks them all): every Guangxi code shares one calendar object."""
    innermost = max(divisions, key=lambda d: d.level, default=None)
    return _assemble(_bundled_files(), innermost)


def _user_files(holidays: HolidaySource | Sequence[HolidaySource]) -> list[HolidayFile]:
    given = [holidays] if isinstance(holidays, HolidayFile | str | os.PathLike) else holidays
    return [h if isinstance(h, HolidayFile) else load_holidays(h) for h in given]


def calendar_for(
    division: str | DivisionCode = "",
    *,
    holidays: HolidaySource | Sequence[HolidaySource] = (),
) -> WorkCalendar:
    """The working-day calendar of a division (行政区划), national by default.

    Guangxi (codes starting ``45``) gets the national calendar with 壮族三月三 laid over it
    (自治区人民政府令第98号 and the yearly 自治区人民政府办公厅 notice). Only the years whose
    Guangxi notice is bundled (2017–2025: 2020 with no day off, as that year's holiday was
    cancelled; 2025 from a secondary source) are answered there: any Guangxi date in another
    year raises :class:`CalendarDataMissing`, even where the national calendar has data,
    because the 三月三 days are not guessed.

    Args:
        division: a division code or its text; ``""`` for the national calendar.
        holidays: the user's holiday files (paths, or files read by :func:`load_holidays`),
            for years the library lacks or to correct a bundled year. Each file's years add
            to the bundled ones; for a year both have, the later file's days replace the
            earlier ones (the bundled tables come first). National files apply everywhere; a
            division's file applies to the units inside that division.

    Returns:
        A :class:`WorkCalendar`.

    Raises:
        InvalidDivisionCode: ``division`` is text that is not a division code.
        InvalidHolidayFile: a holiday file breaks the format.
        OSError: a holiday file cannot be read.

    >>> calendar_for("45").covers(2024), calendar_for("45").covers(2026)
    (True, False)
    >>> calendar_for("45").covers(2020)      # known: the 2020 holiday was cancelled
    True
    """
    code: DivisionCode | None = None
    if division != "":
        code = division if isinstance(division, DivisionCode) else DivisionCode(division)
    files = _user_files(holidays)
    if files:
        return _assemble([*_bundled_files(), *files], code)
    applying = tuple(
        f.division
        for f in _bundled_files()
        if f.division is not None and code is not None and f.division.contains(code)
    )
    return _default(applying)


def source() -> Mapping[str, Any]:
    """The provenance of the bundled holiday tables, by file name.

    From the ``[files."NAME"]`` tables of the bundled profiles' manifests
    (``data/jurisdictions/*/jurisdiction.toml``), national first; built on each call.
    """
    files = {
        path.name: {
            key: list(value) if isinstance(value, list) else value
            for key, value in j.provenance[path.name].items()
        }
        for j in jurisdictions.bundled()
        for path in j.holidays
    }
    return {"schema": 1, "files": files}


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
