"""Reporting periods: month (月), quarter (季度), half-year (半年) and year (年).

Work plans, statistics and payments in veterans' affairs are reckoned by calendar period.
Each period is an immutable value keyed by short text — ``2021-01``, ``2021Q1``, ``2021H1``,
``2021`` — that :func:`str` produces and ``parse`` reads back. A period knows its first and
last day (inclusive), the months inside it, its neighbours, and how many days it has.

Years are limited to 1900–2200. Every date this library handles — births of living
veterans and their survivors, service, awards, payments and work plans — lies well inside
that span, so a year outside it is a typing error (``20221``, ``0221``) rather than data,
and is refused instead of silently producing a period nobody meant.

>>> q = Quarter.parse("2024Q1")
>>> q.start, q.end, q.days
(datetime.date(2024, 1, 1), datetime.date(2024, 3, 31), 91)
>>> [str(m) for m in q.months()]
['2024-01', '2024-02', '2024-03']
>>> str(q + 4), str(q.previous())
('2025Q1', '2023Q4')
>>> parse_period("2021H2")
HalfYear(year=2021, half=2)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar, Self, TypeAlias, TypeVar

import attrs

from veteran_affairs.errors import InvalidValue

__all__ = [
    "HalfYear",
    "InvalidPeriod",
    "Month",
    "Period",
    "Quarter",
    "Year",
    "parse_period",
    "period_range",
]


def __dir__() -> list[str]:
    return __all__


_MIN_YEAR = 1900
_MAX_YEAR = 2200


class InvalidPeriod(InvalidValue):
    """A period's key or parts are malformed or out of range (期间无效).

    ``field`` is the part at fault (``"month"``, ``"quarter"``, ``"half"``, ``"year"``) or
    ``"period"`` when text has no recognised shape; ``value`` is the text or number given.

    >>> Month.parse("2021-13")
    Traceback (most recent call last):
    ...
    veteran_affairs.cycles.periods.InvalidPeriod: month='2021-13': month must be 1–12 (月份应为1至12)
    """


# --- validation ------------------------------------------------------------------------------


def _year_problem(year: object) -> tuple[str, str] | None:
    if type(year) is not int:
        return ("year must be an int", "年份应为整数")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return (
            f"year must be {_MIN_YEAR}–{_MAX_YEAR} (plausible administrative dates)",
            f"年份应在{_MIN_YEAR}至{_MAX_YEAR}之间",
        )
    return None


def _number_problem(field: str, number: object, count: int, name_zh: str) -> tuple[str, str] | None:
    if type(number) is not int:
        return (f"{field} must be an int", f"{name_zh}应为整数")
    if not 1 <= number <= count:
        return (f"{field} must be 1–{count}", f"{name_zh}应为1至{count}")
    return None


def _check_year(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    problem = _year_problem(value)
    if problem is not None:
        raise InvalidPeriod(attribute.name, value, *problem)


def _check_number(count: int, name_zh: str) -> Any:
    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        problem = _number_problem(attribute.name, value, count, name_zh)
        if problem is not None:
            raise InvalidPeriod(attribute.name, value, *problem)

    return check


def _last_day_of_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


def _month_index(day: dt.date) -> int:
    """Months since January of year 0: a date's month as one ordinal number."""
    return day.year * 12 + day.month - 1


# --- the shared engine -----------------------------------------------------------------------


class _Period:
    """What every period kind shares; each kind is a run of ``_SPAN`` whole months."""

    __slots__ = ()

    _SPAN: ClassVar[int]  # months in one period
    _FIELD: ClassVar[str]  # the name of the number field, also used in errors
    _NAME_ZH: ClassVar[str]
    _SHAPE: ClassVar[str]  # the key's shape, for error messages
    _PATTERN: ClassVar[re.Pattern[str]]

    year: int

    # Each kind supplies these two.
    @property
    def _number(self) -> int:
        raise NotImplementedError

    @classmethod
    def _make(cls, year: int, number: int) -> Self:
        raise NotImplementedError

    # --- construction ---

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a period from its key, the text :func:`str` gives (解析期间)."""
        if not isinstance(text, str):
            raise InvalidPeriod(
                cls._FIELD, type(text).__name__, "must be text (str)", "必须为字符串"
            )
        found = cls._PATTERN.fullmatch(text)
        if found is None:
            raise InvalidPeriod(
                cls._FIELD,
                text,
                f"expected {cls._SHAPE}",
                f"格式应为 {cls._SHAPE}",
            )
        year = int(found["year"])
        number = int(found["number"] or "1")  # a year has no number part: it is its own first
        problem = _year_problem(year)
        if problem is not None:
            raise InvalidPeriod("year", text, *problem)
        problem = _number_problem(cls._FIELD, number, 12 // cls._SPAN, cls._NAME_ZH)
        if problem is not None:
            raise InvalidPeriod(cls._FIELD, text, *problem)
        return cls._make(year, number)

    @classmethod
    def containing(cls, day: dt.date) -> Self:
        """The period of this kind that contains ``day`` (所在期间)."""
        if not isinstance(day, dt.date):
            raise TypeError(f"expected a date, got {type(day).__name__}")
        return cls._from_index(_month_index(day) // cls._SPAN)

    @classmethod
    def _from_index(cls, index: int) -> Self:
        year, offset = divmod(index, 12 // cls._SPAN)
        return cls._make(year, offset + 1)

    @property
    def _index(self) -> int:
        """Periods of this kind since the start of year 0."""
        return self.year * (12 // self._SPAN) + self._number - 1

    # --- days ---

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        year, month0 = divmod(self._index * self._SPAN, 12)
        return dt.date(year, month0 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        year, month0 = divmod(self._index * self._SPAN + self._SPAN - 1, 12)
        return dt.date(year, month0 + 1, _last_day_of_month(year, month0 + 1))

    @property
    def days(self) -> int:
        """How many days the period has, both ends counted."""
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the period."""
        if not isinstance(day, dt.date):
            raise TypeError(f"expected a date, got {type(day).__name__}")
        return _month_index(day) // self._SPAN == self._index

    def months(self) -> tuple[Month, ...]:
        """The months inside the period, in order."""
        first = self._index * self._SPAN
        return tuple(Month._from_index(first + k) for k in range(self._SPAN))

    # --- neighbours ---

    def next(self) -> Self:
        """The period right after this one."""
        return self + 1

    def previous(self) -> Self:
        """The period right before this one."""
        return self - 1

    def __add__(self, periods: int) -> Self:
        if type(periods) is not int:
            return NotImplemented
        return self._from_index(self._index + periods)

    def __radd__(self, periods: int) -> Self:
        return self.__add__(periods)

    def __sub__(self, periods: int) -> Self:
        if type(periods) is not int:
            return NotImplemented
        return self._from_index(self._index - periods)


# --- the four kinds --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, order=True)
class Month(_Period):
    """A calendar month (月), keyed ``YYYY-MM``.

    >>> m = Month.parse("2024-02")
    >>> m.end, m.days
    (datetime.date(2024, 2, 29), 29)
    >>> str(m.next()), str(Month(year=2021, month=12) + 1)
    ('2024-03', '2022-01')
    >>> Month.containing(dt.date(2021, 7, 15))
    Month(year=2021, month=7)
    """

    _SPAN: ClassVar[int] = 1
    _FIELD: ClassVar[str] = "month"
    _NAME_ZH: ClassVar[str] = "月份"
    _SHAPE: ClassVar[str] = "YYYY-MM, e.g. 2021-01"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?P<year>\d{4})-(?P<number>\d{2})", re.ASCII)

    year: int = attrs.field(validator=_check_year)
    month: int = attrs.field(validator=_check_number(12, "月份"))

    @property
    def _number(self) -> int:
        return self.month

    @classmethod
    def _make(cls, year: int, number: int) -> Self:
        return cls(year=year, month=number)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@attrs.frozen(kw_only=True, order=True)
class Quarter(_Period):
    """A calendar quarter (季度) of three months, keyed ``YYYYQn``.

    >>> q = Quarter(year=2021, quarter=4)
    >>> str(q), q.start, q.end
    ('2021Q4', datetime.date(2021, 10, 1), datetime.date(2021, 12, 31))
    >>> str(q.next())
    '2022Q1'
    """

    _SPAN: ClassVar[int] = 3
    _FIELD: ClassVar[str] = "quarter"
    _NAME_ZH: ClassVar[str] = "季度"
    _SHAPE: ClassVar[str] = "YYYYQn, e.g. 2021Q1"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?P<year>\d{4})Q(?P<number>\d)", re.ASCII)

    year: int = attrs.field(validator=_check_year)
    quarter: int = attrs.field(validator=_check_number(4, "季度"))

    @property
    def _number(self) -> int:
        return self.quarter

    @classmethod
    def _make(cls, year: int, number: int) -> Self:
        return cls(year=year, quarter=number)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.quarter}"


@attrs.frozen(kw_only=True, order=True)
class HalfYear(_Period):
    """A half-year (半年) of six months, keyed ``YYYYH1`` (January–June) or ``YYYYH2``.

    >>> h = HalfYear.parse("2021H2")
    >>> h.start, h.end, h.days
    (datetime.date(2021, 7, 1), datetime.date(2021, 12, 31), 184)
    """

    _SPAN: ClassVar[int] = 6
    _FIELD: ClassVar[str] = "half"
    _NAME_ZH: ClassVar[str] = "半年"
    _SHAPE: ClassVar[str] = "YYYYHn, e.g. 2021H1"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?P<year>\d{4})H(?P<number>\d)", re.ASCII)

    year: int = attrs.field(validator=_check_year)
    half: int = attrs.field(validator=_check_number(2, "半年"))

    @property
    def _number(self) -> int:
        return self.half

    @classmethod
    def _make(cls, year: int, number: int) -> Self:
        return cls(year=year, half=number)

    def __str__(self) -> str:
        return f"{self.year:04d}H{self.half}"


@attrs.frozen(kw_only=True, order=True)
class Year(_Period):
    """A calendar year (年), keyed ``YYYY``.

    >>> y = Year.parse("2024")
    >>> y.days, len(y.months()), str(y - 1)
    (366, 12, '2023')
    """

    _SPAN: ClassVar[int] = 12
    _FIELD: ClassVar[str] = "year"
    _NAME_ZH: ClassVar[str] = "年份"
    _SHAPE: ClassVar[str] = "YYYY, e.g. 2021"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"(?P<year>\d{4})(?P<number>)", re.ASCII)

    year: int = attrs.field(validator=_check_year)

    @property
    def _number(self) -> int:
        return 1

    @classmethod
    def _make(cls, year: int, number: int) -> Self:
        return cls(year=year)

    def __str__(self) -> str:
        return f"{self.year:04d}"


Period: TypeAlias = Month | Quarter | HalfYear | Year
"""Any of the four period kinds."""

_P = TypeVar("_P", bound=_Period)


def parse_period(text: str) -> Period:
    """Read any period from its key, choosing the kind by the key's shape (解析期间).

    >>> [parse_period(key) for key in ("2021-01", "2021Q1", "2021H1", "2021")]
    [Month(year=2021, month=1), Quarter(year=2021, quarter=1), HalfYear(year=2021, half=1), Year(year=2021)]

    Raises:
        InvalidPeriod: the text has none of the four shapes, or a part is out of range.
    """
    if not isinstance(text, str):
        raise InvalidPeriod("period", type(text).__name__, "must be text (str)", "必须为字符串")
    kinds: tuple[type[Period], ...] = (Month, Quarter, HalfYear, Year)
    for kind in kinds:
        if kind._PATTERN.fullmatch(text):
            return kind.parse(text)
    raise InvalidPeriod(
        "period",
        text,
        "expected YYYY-MM, YYYYQn, YYYYHn or YYYY",
        "格式应为 YYYY-MM、YYYYQn、YYYYHn 或 YYYY",
    )


def period_range(first: _P, last: _P) -> tuple[_P, ...]:
    """Every period from ``first`` to ``last``, both included (期间序列).

    Both ends must be of the same kind; if ``last`` comes before ``first`` the range is empty.

    >>> [str(q) for q in period_range(Quarter.parse("2021Q3"), Quarter.parse("2022Q2"))]
    ['2021Q3', '2021Q4', '2022Q1', '2022Q2']

    Raises:
        TypeError: the ends are of different kinds.
    """
    if type(first) is not type(last):
        raise TypeError(
            f"period_range needs two periods of one kind, got "
            f"{type(first).__name__} and {type(last).__name__}"
        )
    return tuple(first + k for k in range(last._index - first._index + 1))
