"""Time limits of casework (办理时限) and the one way their due dates are counted.

Every time limit the bureau's casework knows (a petition's 15 日 routing, its 60 日 handling,
the 30 日 报到 after discharge, the 6 个月 placement …) is a :class:`TimeLimit`: a key, the clock
it runs on (:class:`DayCount`: 日, 工作日 or 个月) and a cited, dated amount held as a
:class:`~veteran_affairs.parameters.Parameter`. A :class:`LimitBook` holds a set of them;
:meth:`LimitBook.bundled` reads every file in ``casework/data/``. :func:`due` turns a limit and
the day of the event that starts it into a :class:`DueDate`, whose
:meth:`~DueDate.status` says whether it is pending, met, overdue or met late.

How days are counted (期间的计算), 《中华人民共和国民法典》 (in force 2021-01-01):

* 第二百零一条: the day of the starting event is not counted; a period of ``n`` 日 ends ``n``
  days after it.
* 第二百零二条: a period in months ends on the corresponding day of the last month, or on that
  month's last day when it has no such day.
* 第二百零三条: a period whose last day is a statutory rest day (法定休假日) ends on the first
  working day after it. This is :attr:`RestDayRoll.CIVIL_CODE`, the default, applied when a
  :class:`~veteran_affairs.cycles.calendar.WorkCalendar` is given.
* A limit written in 工作日 counts working days on the calendar, the start day not counted; it
  cannot be counted without a calendar (:class:`CalendarRequired`).

Whether rest days inside a period written in 日 are counted is not settled for every text (for
petitions it is NOT FOUND: ``CASEWORK.md`` §1.6). The library counts them, as calendar days,
and rolls only the last day. Both choices can be overridden per limit with
:meth:`LimitBook.with_clock` (count the limit in working days, or switch the roll off) or per call
with ``due(..., roll=...)``.

A limit whose value is not known ships without one: :func:`due` raises
:class:`~veteran_affairs.errors.ParameterMissing` naming it until the user supplies it with
:meth:`LimitBook.with_values`. A missed limit is only ever reported (:attr:`DeadlineStatus.OVERDUE`):
it never decides the matter for anyone.

>>> book = LimitBook.bundled()
>>> d = due(book, "petition.handling", dt.date(2024, 3, 1))
>>> d.due, d.amount, d.count.label_zh
(datetime.date(2024, 4, 30), 60, '日')
>>> d.status(on=dt.date(2024, 5, 6)).label_zh
'逾期未办'
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import enum
import functools
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
    VeteranAffairsError,
)
from veteran_affairs.parameters import (
    Citation,
    Parameter,
    ParameterVersion,
    is_plain_value,
    parse_parameters,
    versions_from_user,
)

__all__ = [
    "CIVIL_CODE_PERIODS",
    "CalendarRequired",
    "DayCount",
    "DeadlineStatus",
    "DueDate",
    "LimitBook",
    "RestDayRoll",
    "TimeLimit",
    "due",
]


def __dir__() -> list[str]:
    return __all__


CIVIL_CODE_PERIODS = Citation(
    document="《中华人民共和国民法典》",
    article="第二百零一条至第二百零三条",
    effective=dt.date(2021, 1, 1),
    note=(
        "the start day is not counted; a period in months ends on the corresponding day "
        "(or the month's last day); a last day on a rest day moves to the next working day"
    ),
)
"""The basis of the counting rules (期间的计算) that :func:`due` applies."""

_ONE_DAY = dt.timedelta(days=1)


class DayCount(enum.Enum):
    """The clock a time limit runs on (时限计算单位).

    ``CALENDAR_DAY`` is 日 (every day counts), ``WORKING_DAY`` is 工作日 (only working days of a
    calendar count), ``MONTH`` is 个月 (to the corresponding day of the month).
    """

    CALENDAR_DAY = "calendar-day"
    WORKING_DAY = "working-day"
    MONTH = "month"

    @property
    def label_zh(self) -> str:
        return {"calendar-day": "日", "working-day": "工作日", "month": "个月"}[self.value]


class RestDayRoll(enum.Enum):
    """What happens when the last day of a 日 or 个月 period is a rest day (期满日顺延).

    ``CIVIL_CODE`` moves it to the next working day (民法典 第二百零三条); ``NONE`` keeps it.
    Limits in working days end on a working day anyway.
    """

    CIVIL_CODE = "civil-code"
    NONE = "none"

    @property
    def label_zh(self) -> str:
        return {"civil-code": "顺延至节假日后第一个工作日", "none": "不顺延"}[self.value]


class DeadlineStatus(enum.Enum):
    """Where a due date stands on a given day (时限状态).

    ``OVERDUE`` and ``LATE`` report a missed limit; neither means the matter was decided, and
    no status here means approval (逾期不视为同意).
    """

    PENDING = "pending"
    MET = "met"
    OVERDUE = "overdue"
    LATE = "late"

    @property
    def label_zh(self) -> str:
        return {
            "pending": "未到期",
            "met": "按期办结",
            "overdue": "逾期未办",
            "late": "逾期办结",
        }[self.value]

    @property
    def missed(self) -> bool:
        """Whether the limit was missed (overdue, or done late)."""
        return self in (DeadlineStatus.OVERDUE, DeadlineStatus.LATE)


class CalendarRequired(VeteranAffairsError, ValueError):
    """A limit in working days (工作日) was counted without a working-day calendar (缺少工作日历).

    Pass ``calendar=calendar_for(division)`` (:mod:`veteran_affairs.cycles.calendar`).
    """

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"time limit {key!r} counts working days and needs a calendar "
            "(按工作日计算的时限须提供工作日历); pass calendar=calendar_for(division)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.key,))


def _whole_days(key: str, version: ParameterVersion) -> None:
    value = version.value
    where = f"{key}@{version.effective_from.isoformat()}"
    if not isinstance(value, Decimal):
        raise InvalidValue(where, "a table", "a time limit is one number", "时限应为单个数值")
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        raise InvalidValue(
            where, str(value), "a time limit is a whole number ≥ 0", "时限应为非负整数"
        )


@attrs.frozen(kw_only=True)
class TimeLimit:
    """A time limit (时限): its clock and its cited amount over time.

    Attributes:
        key: dotted name, ``"<area>.<step>"`` (``"petition.handling"``).
        count: the clock (:class:`DayCount`).
        parameter: the amount's history: versions with effective dates and citations; no
            version (or a version's ``known_until`` passed) means no value is known.
        roll: what a 日 or 个月 period ending on a rest day does (:class:`RestDayRoll`).

    Raises:
        InvalidValue: a version's amount is not a whole number ≥ 0, or the key differs from
            the parameter's.
    """

    key: str
    count: DayCount
    parameter: Parameter
    roll: RestDayRoll = RestDayRoll.CIVIL_CODE

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.count, DayCount):
            raise InvalidValue(
                f"{self.key}.count", repr(self.count), "must be a DayCount", "应为 DayCount"
            )
        if not isinstance(self.roll, RestDayRoll):
            raise InvalidValue(
                f"{self.key}.roll", repr(self.roll), "must be a RestDayRoll", "应为 RestDayRoll"
            )
        if self.parameter.key != self.key:
            raise InvalidValue(
                f"{self.key}.parameter",
                self.parameter.key,
                "the parameter's key must be the limit's key",
                "参数名与时限名不一致",
            )
        for version in self.parameter.versions:
            _whole_days(self.key, version)

    @property
    def label_zh(self) -> str:
        return self.parameter.label_zh

    @property
    def label_en(self) -> str:
        return self.parameter.label_en

    @property
    def basis(self) -> Citation | None:
        """The legal basis of the limit as a whole (the versions cite their own sources)."""
        return self.parameter.basis

    def amount_on(self, on: dt.date) -> tuple[int, ParameterVersion]:
        """The amount in force on ``on`` and the version it comes from.

        Raises:
            ParameterMissing: no value is known on ``on`` (supply it).
            ParameterNotInForce: ``on`` is before the first version.
        """
        try:
            value, version = self.parameter.value_on(on)
        except ParameterMissing as missing:
            if not self.parameter.supply or self.parameter.supply in missing.detail:
                raise
            raise ParameterMissing(
                self.key, missing.on, f"{missing.detail}; {self.parameter.supply}"
            ) from None
        return int(value), version


def _limit_from(parameter: Parameter, raw: Mapping[str, Any], where: str) -> TimeLimit:
    try:
        count = DayCount(parameter.unit)
    except ValueError:
        raise InvalidValue(
            f"{where}.unit",
            parameter.unit,
            f"a time limit's unit is one of {', '.join(c.value for c in DayCount)}",
            "时限单位应为 calendar-day、working-day 或 month",
        ) from None
    roll_text = raw.get("roll", RestDayRoll.CIVIL_CODE.value)
    try:
        roll = RestDayRoll(roll_text)
    except ValueError:
        raise InvalidValue(
            f"{where}.roll",
            repr(roll_text),
            "must be 'civil-code' or 'none'",
            "应为 civil-code 或 none",
        ) from None
    return TimeLimit(key=parameter.key, count=count, parameter=parameter, roll=roll)


def _read(document: Mapping[str, Any], source: str) -> dict[str, TimeLimit]:
    parameters = parse_parameters(document, source=source)
    limits: dict[str, TimeLimit] = {}
    raws = document.get("parameter", ())
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        key = raw["key"]
        if key in seen:
            raise InvalidValue(
                f"{source}: parameter[{index}].key", key, "declared twice", "时限重复定义"
            )
        seen.add(key)
        limits[key] = _limit_from(parameters[key], raw, f"{source}: parameter[{index}]")
    return limits


def _read_file(path: Path) -> dict[str, TimeLimit]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidValue(
            str(path), str(error), "not a valid TOML time-limit file", "时限文件格式错误"
        ) from None
    return _read(document, path.name)


def _merge_files(named: Iterable[tuple[str, dict[str, TimeLimit]]]) -> dict[str, TimeLimit]:
    merged: dict[str, TimeLimit] = {}
    origin: dict[str, str] = {}
    for name, limits in named:
        for key, limit in limits.items():
            if key in merged:
                raise InvalidValue(
                    f"{name}: {key}",
                    key,
                    f"already defined in {origin[key]}; give each limit one file",
                    "时限在多个文件中重复定义",
                )
            merged[key] = limit
            origin[key] = name
    return merged


@functools.cache
def _bundled_limits() -> Mapping[str, TimeLimit]:
    folder = resources.files("veteran_affairs") / "casework" / "data"
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    named = [
        (
            f"casework/data/{entry.name}",
            _read(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name),
        )
        for entry in entries
    ]
    return MappingProxyType(_merge_files(named))


def _versions(key: str, raw: Any, limit: TimeLimit) -> TimeLimit:
    versions = versions_from_user(key, raw)
    for version in versions:
        _whole_days(key, version)
    if is_plain_value(raw):
        parameter = attrs.evolve(limit.parameter, versions=tuple(versions), confirmed_through=None)
    else:
        parameter = limit.parameter.with_versions(versions, confirmed_through=None)
    return attrs.evolve(limit, parameter=parameter)


def _frozen_limits(limits: Mapping[str, TimeLimit]) -> Mapping[str, TimeLimit]:
    return MappingProxyType(dict(limits))


@attrs.frozen(kw_only=True, repr=False)
class LimitBook:
    """A set of time limits by key (时限表).

    Build one with :meth:`bundled` (the library's files) or :meth:`load` (your files);
    :meth:`layered`, :meth:`with_values` and :meth:`with_clock` return changed copies.

    >>> book = LimitBook.bundled().with_values({"petition.review_decision": 30})
    >>> book.limit("petition.review_decision").amount_on(dt.date(2024, 1, 2))[0]
    30
    """

    limits: Mapping[str, TimeLimit] = attrs.field(converter=_frozen_limits, eq=False)

    def __attrs_post_init__(self) -> None:
        for key, limit in self.limits.items():
            given: object = limit
            if not isinstance(given, TimeLimit) or given.key != key:
                raise InvalidValue(
                    f"limits[{key!r}]", type(limit).__name__, "must be the TimeLimit of that key"
                )

    def __repr__(self) -> str:
        return f"<LimitBook: {len(self.limits)} time limits>"

    def __contains__(self, key: object) -> bool:
        return key in self.limits

    def __iter__(self) -> Iterator[TimeLimit]:
        return iter(self.limits[key] for key in sorted(self.limits))

    def __len__(self) -> int:
        return len(self.limits)

    def keys(self) -> tuple[str, ...]:
        """The keys of the limits, sorted."""
        return tuple(sorted(self.limits))

    @classmethod
    def bundled(cls) -> LimitBook:
        """Every time limit in the library's ``casework/data/*.toml`` files.

        Raises:
            InvalidValue: two files define the same key, or a file breaks the format.
        """
        return cls(limits=_bundled_limits())

    @classmethod
    def load(cls, paths: str | Path | Iterable[str | Path]) -> LimitBook:
        """The limits of one or more TOML files of the bundled format (your own limits).

        The format is that of ``data/jurisdictions/national/national.toml`` (``[[parameter]]`` tables with
        ``key``, ``label_zh``, ``label_en``, ``unit`` and ``[[parameter.version]]``), where
        ``unit`` is ``calendar-day``, ``working-day`` or ``month`` and an optional ``roll``
        is ``civil-code`` (the default) or ``none``. Stack the result on the bundled limits
        with ``LimitBook.bundled().layered(LimitBook.load(path))``.

        Raises:
            InvalidValue: a file is not valid TOML, breaks the format, or two files define the
                same key.
            OSError: a file cannot be read.
        """
        given = [paths] if isinstance(paths, str | Path) else list(paths)
        named = [(str(p), _read_file(Path(p))) for p in given]
        return cls(limits=_merge_files(named))

    def layered(self, other: LimitBook) -> LimitBook:
        """A copy where ``other``'s limits replace those of the same key and add new ones."""
        merged = dict(self.limits)
        merged.update(other.limits)
        return LimitBook(limits=merged)

    def limit(self, key: str) -> TimeLimit:
        """The limit called ``key``.

        Raises:
            ParameterMissing: no limit of that name in this book.
        """
        try:
            return self.limits[key]
        except KeyError:
            raise ParameterMissing(
                key, "any date", "no such time limit in this book (无此时限)"
            ) from None

    def with_values(self, values: Mapping[str, Any]) -> LimitBook:
        """A copy with amounts supplied or overridden by the user (使用者提供时限).

        This is how a limit that ships without a value (NOT FOUND) is supplied, and how a
        local rule overrides a national one.

        Args:
            values: by key, one of

                * a plain amount (``30``, ``"30"``, ``Decimal(30)``): replaces the whole
                  history with that amount, in force from the beginning of time;
                * a version ``{"effective_from": "2022-05-01", "value": 30, "citation": …}``
                  or a list of them: merged into the history (a version with the same
                  effective date replaces the bundled one);
                * a :class:`TimeLimit`: replaces the limit, or adds a new one.

            User versions cite "user-supplied (使用者提供)" unless they give a citation.

        Raises:
            ParameterMissing: a key that is not in the book (add a new limit as a
                :class:`TimeLimit`).
            InvalidValue: an amount that is not a whole number ≥ 0.
        """
        changed = dict(self.limits)
        for key, raw in values.items():
            if isinstance(raw, TimeLimit):
                if raw.key != key:
                    raise InvalidValue(
                        f"values[{key!r}]", raw.key, "the limit's key differs", "时限名不一致"
                    )
                changed[key] = raw
                continue
            changed[key] = _versions(key, raw, self.limit(key))
        return LimitBook(limits=changed)

    def with_clock(
        self,
        key: str,
        *,
        count: DayCount | None = None,
        roll: RestDayRoll | None = None,
    ) -> LimitBook:
        """A copy where limit ``key`` runs on another clock or rolls differently.

        For a 日 limit whose rest days a local rule does not count, pass
        ``count=DayCount.WORKING_DAY``; to keep a last day that falls on a rest day, pass
        ``roll=RestDayRoll.NONE``.
        """
        limit = self.limit(key)
        changed = attrs.evolve(
            limit,
            count=limit.count if count is None else count,
            roll=limit.roll if roll is None else roll,
        )
        return attrs.evolve(self, limits={**self.limits, key: changed})


@attrs.frozen(kw_only=True)
class DueDate:
    """The due date of one time limit for one event (到期日).

    Attributes:
        key: the limit's key.
        start: the day of the event that starts the limit (not counted).
        due: the last day on which the step is in time.
        count: the clock the limit runs on.
        amount: the amount in force (in ``count`` units), extensions included.
        citation: the source of the amount (the version in force).
        nominal: the last day before any move to a working day (equal to ``due`` when
            nothing moved).
        extra: units added to the limit's amount (an extension, time not counted).

    >>> d = DueDate(key="x", start=dt.date(2024, 1, 1), due=dt.date(2024, 1, 16),
    ...             count=DayCount.CALENDAR_DAY, amount=15, citation=Citation(document="d"))
    >>> d.status(on=dt.date(2024, 1, 20), done_on=dt.date(2024, 1, 16)).value
    'met'
    """

    key: str
    start: dt.date
    due: dt.date
    count: DayCount
    amount: int
    citation: Citation
    nominal: dt.date = attrs.field(default=attrs.Factory(lambda self: self.due, takes_self=True))
    extra: int = 0

    def __attrs_post_init__(self) -> None:
        if self.due < self.start or self.nominal < self.start:
            raise InconsistentRecord(
                "start/due",
                f"{self.start.isoformat()}/{self.due.isoformat()}",
                "a due date cannot precede its start",
                "到期日早于起算日",
            )

    @property
    def rolled(self) -> bool:
        """Whether the last day moved off a rest day (民法典 第二百零三条)."""
        return self.nominal != self.due

    def status(self, *, on: dt.date, done_on: dt.date | None = None) -> DeadlineStatus:
        """Where the limit stands on ``on``.

        Args:
            on: the day of the question.
            done_on: the day the step was done, if it was; a day after ``on`` counts as not
                yet done on ``on``.

        Returns:
            ``MET`` (done by the due date), ``LATE`` (done after it), ``OVERDUE`` (not done,
            due date passed) or ``PENDING`` (not done, still in time).
        """
        if done_on is not None and done_on <= on:
            return DeadlineStatus.MET if done_on <= self.due else DeadlineStatus.LATE
        return DeadlineStatus.OVERDUE if on > self.due else DeadlineStatus.PENDING

    def days_overdue(self, on: dt.date) -> int:
        """Calendar days past the due date on ``on`` (0 while still in time)."""
        return max(0, (on - self.due).days)


def _add_months(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def due(
    book: LimitBook,
    key: str,
    start: dt.date,
    *,
    calendar: WorkCalendar | None = None,
    on: dt.date | None = None,
    extra: int = 0,
    roll: RestDayRoll | None = None,
) -> DueDate:
    """The due date of limit ``key`` for an event on ``start`` (计算到期日).

    The amount is the version in force on ``on`` (default: ``start``), plus ``extra`` units of
    the same clock (an extension granted, time not counted such as a hearing). Then, as
    :data:`CIVIL_CODE_PERIODS` says:

    * 日: ``start`` is not counted; the last day is ``amount`` days later, moved to the next
      working day when it is a rest day of ``calendar`` (no calendar: not moved);
    * 工作日: the ``amount``-th working day of ``calendar`` after ``start`` (an amount of 0: the
      first working day from ``start``);
    * 个月: the same day of the month ``amount`` months later, or that month's last day,
      moved like 日.

    ``roll`` overrides the limit's own :class:`RestDayRoll`.

    Raises:
        ParameterMissing: the limit is not in the book, or has no known value on ``on``.
        ParameterNotInForce: ``on`` is before the limit's first version.
        CalendarRequired: a working-day limit without a calendar.
        CalendarDataMissing: the calendar lacks a year the count passes through.
        InvalidValue: ``extra`` is negative.
    """
    limit = book.limit(key)
    if type(extra) is not int or extra < 0:
        raise InvalidValue("extra", repr(extra), "must be a whole number ≥ 0", "应为非负整数")
    amount, version = limit.amount_on(start if on is None else on)
    total = amount + extra
    rolling = limit.roll if roll is None else roll
    if limit.count is DayCount.WORKING_DAY:
        if calendar is None:
            raise CalendarRequired(key)
        end = calendar.add_workdays(start, total) if total else calendar.next_workday(start)
        nominal = end
    else:
        if limit.count is DayCount.CALENDAR_DAY:
            nominal = start + total * _ONE_DAY
        else:
            nominal = _add_months(start, total)
        end = nominal
        if calendar is not None and rolling is RestDayRoll.CIVIL_CODE:
            end = calendar.next_workday(nominal)
    return DueDate(
        key=key,
        start=start,
        due=end,
        count=limit.count,
        amount=total,
        citation=version.citation,
        nominal=nominal,
        extra=extra,
    )
