"""Work routines of the service network (工作制度): when each is due, and whether it was held.

月调度 (monthly dispatch meeting), 季座谈 (quarterly symposium), 半年培训 (half-yearly training),
领导接待日 (leaders' reception day), regular contact and care (常态化联系), visits before 八一 and
春节, the yearly confirmation of periodic payments and the statistical reports.

**These are configuration, not law.** No national text sets their days (DOMAIN.md §1); a
province or county decides them. :data:`GUANGXI_PRESET` holds one plausible set of defaults
for Guangxi; change any field with :func:`attrs.evolve` rather than trusting it.

A :class:`Cycle` repeats with a :class:`Frequency` (the due occasions are generated with
:mod:`dateutil.rrule`) and has a due rule: :class:`WithinPeriod`, :class:`ByDayOfPeriod`,
:class:`OnDayMovedToWorkday`, :class:`InMonthOfPeriod`, :class:`WorkdaysAfterEnd` or
:class:`BeforeFestival`. The rule turns each period into an :class:`Occasion` with a window
(``opens``–``closes``, both included) and a ``due`` date inside it.

Compliance (:func:`compliance`) reads, for every unit and occasion, the activities whose kind
is one of the cycle's, whose unit is the row's unit and whose date lies in the window:

* **on time** (按时) — one was held on or before ``due`` (early in the window counts);
* **late** (逾期完成) — none by ``due``, but one after it, still inside the window;
* **missed** (未完成) — ``due`` has passed by ``as_of`` and nothing was held by ``as_of``
  (while the window is still open this is "overdue": it may yet become late);
* **not yet due** (未到期) — ``as_of`` is on or before ``due`` and nothing was held yet.

Activities after ``as_of`` are ignored: a row says what was known on ``as_of``. Nothing
carries over between periods. An activity that names its period
(:attr:`Activity.for_period <veteran_affairs.models.Activity.for_period>`, e.g. a report
``for_period="2025-03"``) counts only for the occasion of the period with that key, and
still only inside that occasion's window: a March report submitted in May counts neither
for April (its key is March's) nor for March (May is past March's window, which closes at
the end of April); a monthly report (``"2025-03"``) never counts for a quarterly cycle
(``"2025Q1"``). An activity without ``for_period`` counts for any occasion whose window
holds its date.

:func:`compliance` counts per unit. :func:`contact_compliance` counts per person, for the
contact routines (重点对象联系): a person is reached by an activity that lists them in its
``contacts``, whichever unit made the contact; the statuses are the same.

>>> import datetime as dt
>>> from veteran_affairs.cycles.calendar import calendar_for
>>> from veteran_affairs.identity import DivisionCode
>>> reception = GUANGXI_PRESET["reception-day"]
>>> [o.due for o in schedule(reception, DivisionCode("450312"),
...                          (dt.date(2025, 6, 1), dt.date(2025, 6, 30)), calendar_for("45"))]
[datetime.date(2025, 6, 16)]
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, TypeAlias

import attrs
from dateutil import rrule

from veteran_affairs.cycles import calendar as _calendar
from veteran_affairs.cycles.calendar import CalendarDataMissing, WorkCalendar
from veteran_affairs.cycles.periods import HalfYear, Month, Period, Quarter, Year
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.models.activity import Activity, ActivityKind

__all__ = [
    "GUANGXI_PRESET",
    "BeforeFestival",
    "ByDayOfPeriod",
    "ComplianceRow",
    "ComplianceStatus",
    "ContactRow",
    "Cycle",
    "DueRule",
    "Festival",
    "Frequency",
    "InMonthOfPeriod",
    "InvalidRoutineFile",
    "Occasion",
    "OnDayMovedToWorkday",
    "WithinPeriod",
    "WorkdaysAfterEnd",
    "compliance",
    "contact_compliance",
    "load_routines",
    "schedule",
    "spring_festival_holiday_start",
]


def __dir__() -> list[str]:
    return __all__


_ONE_DAY = dt.timedelta(days=1)
_ALL_LEVELS = frozenset(DivisionLevel)


class Frequency(enum.Enum):
    """How often a routine falls due (频次)."""

    MONTHLY = "monthly"  # 每月
    QUARTERLY = "quarterly"  # 每季度
    HALF_YEARLY = "half-yearly"  # 每半年
    YEARLY = "yearly"  # 每年

    @property
    def months(self) -> int:
        """Months in one period."""
        return _MONTHS[self]

    @property
    def period_kind(self) -> type[Period]:
        """The period class of this frequency."""
        return _KINDS[self]

    def periods(self, first: dt.date, last: dt.date) -> tuple[Period, ...]:
        """The periods that overlap ``first``–``last`` (both included), in order.

        The period starts are an :func:`dateutil.rrule.rrule` with ``MONTHLY`` steps of
        :attr:`months`, anchored on the first day of the period containing ``first``.
        """
        if last < first:
            return ()
        kind = self.period_kind
        start = kind.containing(first).start
        starts = rrule.rrule(
            rrule.MONTHLY,
            interval=self.months,
            dtstart=dt.datetime(start.year, start.month, 1),
            until=dt.datetime(last.year, last.month, last.day),
        )
        return tuple(kind.containing(s.date()) for s in starts)


_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}
_KINDS: dict[Frequency, type[Period]] = {
    Frequency.MONTHLY: Month,
    Frequency.QUARTERLY: Quarter,
    Frequency.HALF_YEARLY: HalfYear,
    Frequency.YEARLY: Year,
}


class Festival(enum.Enum):
    """Festivals before which veterans are visited (节前走访慰问)."""

    ARMY_DAY = "army-day"  # 八一建军节, 1 August
    SPRING_FESTIVAL = "spring-festival"  # 春节

    @property
    def label_zh(self) -> str:
        return {Festival.ARMY_DAY: "八一", Festival.SPRING_FESTIVAL: "春节"}[self]


@functools.cache
def _spring_festival_starts() -> Mapping[int, dt.date]:
    data = _calendar._load(_calendar._NATIONAL_FILE)
    starts: dict[int, dt.date] = {}
    for year, table in data["years"].items():
        for span in table["off"]:
            if span["holiday"] == "春节":
                starts[int(year)] = span["first"]
    return MappingProxyType(starts)


def spring_festival_holiday_start(year: int) -> dt.date:
    """The first day off of the 春节 holiday in ``year``, from the bundled national table.

    This is the holiday's start (often 除夕 or the day before), not the lunar new year itself.

    >>> spring_festival_holiday_start(2025)
    datetime.date(2025, 1, 28)

    Raises:
        CalendarDataMissing: the table has no 春节 span for ``year``.
    """
    try:
        return _spring_festival_starts()[year]
    except KeyError:
        raise CalendarDataMissing(year, "national 春节") from None


# --- due rules -------------------------------------------------------------------------------


def _positive(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or value < 1:
        raise ValueError(f"{attribute.name}={value!r}: must be a positive int")


def _non_negative(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"{attribute.name}={value!r}: must be a non-negative int")


@attrs.frozen(kw_only=True)
class Occasion:
    """One time a routine falls due for a unit (应办事项).

    Attributes:
        period: the period the occasion belongs to.
        opens: the first day an activity counts for it.
        due: the last day it counts as on time.
        closes: the last day it counts at all (as late if after ``due``).
    """

    period: Period
    opens: dt.date
    due: dt.date
    closes: dt.date

    def __attrs_post_init__(self) -> None:
        if not self.opens <= self.due <= self.closes:
            raise ValueError(
                f"need opens <= due <= closes, got {self.opens}, {self.due}, {self.closes}"
            )


@attrs.frozen(kw_only=True)
class WithinPeriod:
    """Due by the last day of the period (期内完成)."""

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        return Occasion(period=period, opens=period.start, due=period.end, closes=period.end)


@attrs.frozen(kw_only=True)
class ByDayOfPeriod:
    """Due by day ``day`` of the period (counted from its first day; clamped to its last)."""

    day: int = attrs.field(validator=_positive)

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        due = min(period.start + dt.timedelta(days=self.day - 1), period.end)
        return Occasion(period=period, opens=period.start, due=due, closes=period.end)


@attrs.frozen(kw_only=True)
class OnDayMovedToWorkday:
    """Due on day ``day`` of the period's first month, moved to the next working day.

    A day past the month's end means its last day. Holding it earlier in the period counts
    as on time; later in the period, as late.
    """

    day: int = attrs.field(validator=_positive)

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        first_month = Month.containing(period.start)
        nominal = first_month.start + dt.timedelta(days=min(self.day, first_month.days) - 1)
        due = calendar.next_workday(nominal)
        return Occasion(period=period, opens=period.start, due=due, closes=max(due, period.end))


@attrs.frozen(kw_only=True)
class InMonthOfPeriod:
    """Held within the ``month``-th month of the period (e.g. December of a year)."""

    month: int = attrs.field(validator=_positive)

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        months = period.months()
        if self.month > len(months):
            raise ValueError(f"month={self.month}: {period} has only {len(months)} months")
        chosen = months[self.month - 1]
        return Occasion(period=period, opens=chosen.start, due=chosen.end, closes=period.end)


@attrs.frozen(kw_only=True)
class WorkdaysAfterEnd:
    """Due ``workdays`` working days after the period ends (its last day not counted).

    The window opens the day after the period and closes at the end of the next period.
    """

    workdays: int = attrs.field(validator=_non_negative)

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        due = calendar.add_workdays(period.end, self.workdays)
        return Occasion(
            period=period,
            opens=period.end + _ONE_DAY,
            due=max(due, period.end + _ONE_DAY),
            closes=max(due, period.next().end),
        )


def _year_dates(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(p, tuple) and len(p) == 2 and type(p[0]) is int and type(p[1]) is dt.date
        for p in value
    ):
        raise TypeError(f"{attribute.name}: expected a tuple of (year, date) pairs")


@attrs.frozen(kw_only=True)
class BeforeFestival:
    """A visit in the ``lead_days`` days before a festival (节前走访), for a yearly cycle.

    The festival's date: 八一 is 1 August; 春节 is taken from ``dates`` if given for the year,
    else the start of the 春节 holiday in the bundled calendar table
    (:func:`spring_festival_holiday_start`). Due the day before; a visit later in the year
    is late.
    """

    festival: Festival
    lead_days: int = attrs.field(default=30, validator=_positive)
    dates: tuple[tuple[int, dt.date], ...] = attrs.field(default=(), validator=_year_dates)

    def festival_date(self, year: int) -> dt.date:
        """The festival's date in ``year``."""
        for given_year, day in self.dates:
            if given_year == year:
                return day
        if self.festival is Festival.ARMY_DAY:
            return dt.date(year, 8, 1)
        return spring_festival_holiday_start(year)

    def occasion(self, period: Period, calendar: WorkCalendar) -> Occasion:
        anchor = self.festival_date(period.start.year)
        due = anchor - _ONE_DAY
        return Occasion(
            period=period,
            opens=anchor - dt.timedelta(days=self.lead_days),
            due=due,
            closes=max(due, period.end),
        )


DueRule: TypeAlias = (
    WithinPeriod
    | ByDayOfPeriod
    | OnDayMovedToWorkday
    | InMonthOfPeriod
    | WorkdaysAfterEnd
    | BeforeFestival
)
"""Any of the due rules."""

_RULES = (
    WithinPeriod,
    ByDayOfPeriod,
    OnDayMovedToWorkday,
    InMonthOfPeriod,
    WorkdaysAfterEnd,
    BeforeFestival,
)


def _is_rule(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, _RULES):
        raise TypeError(f"{attribute.name}: expected a due rule, got {type(value).__name__}")


def _kinds(value: Iterable[ActivityKind]) -> frozenset[ActivityKind]:
    kinds = frozenset(value)
    if not all(isinstance(k, ActivityKind) for k in kinds):
        raise TypeError("kinds: expected ActivityKind members")
    return kinds


def _levels(value: Iterable[DivisionLevel]) -> frozenset[DivisionLevel]:
    levels = frozenset(value)
    if not levels or not all(isinstance(k, DivisionLevel) for k in levels):
        raise ValueError("levels: expected at least one DivisionLevel")
    return levels


@attrs.frozen(kw_only=True)
class Cycle:
    """A configured work routine (工作制度): what counts, how often, when due, for whom.

    Attributes:
        name: a short key, e.g. ``"dispatch-meeting"``.
        label_zh: the Chinese name, e.g. ``"月调度"``.
        kinds: the activity kinds that count. Empty means that no activity records the
            routine: it can be scheduled but not checked.
        frequency: how often it falls due.
        due: the due rule.
        levels: the unit levels it applies to (all five by default).

    >>> c = Cycle(name="x", label_zh="示例", kinds={ActivityKind.TRAINING},
    ...           frequency=Frequency.HALF_YEARLY, due=WithinPeriod())
    >>> attrs.evolve(c, due=ByDayOfPeriod(day=90)).due
    ByDayOfPeriod(day=90)
    """

    name: str
    label_zh: str
    kinds: frozenset[ActivityKind] = attrs.field(converter=_kinds)
    frequency: Frequency = attrs.field(validator=attrs.validators.instance_of(Frequency))
    due: DueRule = attrs.field(validator=_is_rule)
    levels: frozenset[DivisionLevel] = attrs.field(default=_ALL_LEVELS, converter=_levels)

    def applies_to(self, unit: DivisionCode) -> bool:
        """Whether the routine applies to ``unit``'s level."""
        return unit.level in self.levels


# --- schedule and compliance -----------------------------------------------------------------


def _occasions(
    cycle: Cycle, span: tuple[dt.date, dt.date], calendar: WorkCalendar
) -> list[Occasion]:
    first, last = span
    return [cycle.due.occasion(p, calendar) for p in cycle.frequency.periods(first, last)]


def schedule(
    cycle: Cycle,
    unit: DivisionCode,
    span: tuple[dt.date, dt.date],
    calendar: WorkCalendar,
) -> list[Occasion]:
    """The occasions of ``cycle`` for ``unit`` in every period overlapping ``span`` (排期).

    Returns an empty list if the cycle does not apply to the unit's level.

    Raises:
        CalendarDataMissing: a due date needs a year the calendar does not cover.
    """
    if not cycle.applies_to(unit):
        return []
    return _occasions(cycle, span, calendar)


class ComplianceStatus(enum.Enum):
    """How an occasion went, as known on a date (完成情况)."""

    ON_TIME = "on-time"  # 按时完成
    LATE = "late"  # 逾期完成
    MISSED = "missed"  # 未完成
    NOT_YET_DUE = "not-yet-due"  # 未到期

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]


_STATUS_ZH = {
    ComplianceStatus.ON_TIME: "按时完成",
    ComplianceStatus.LATE: "逾期完成",
    ComplianceStatus.MISSED: "未完成",
    ComplianceStatus.NOT_YET_DUE: "未到期",
}


class ComplianceRow(NamedTuple):
    """One unit's result for one occasion of a cycle.

    ``held_on`` is the first counting activity's date, or ``None`` if none was held by
    ``as_of``. Rows are immutable outputs of :func:`compliance`, hundreds of thousands at a
    time, so they are named tuples (cheap to build), not validated attrs classes.
    """

    cycle: str
    unit: DivisionCode
    period: Period
    due: dt.date
    status: ComplianceStatus
    held_on: dt.date | None


class ContactRow(NamedTuple):
    """One person's result for one occasion of a contact cycle (重点对象联系情况).

    ``unit`` is the unit responsible for the person, as given; the contact itself may have
    been made by any unit. ``held_on`` is the first counting contact's date, or ``None``.
    ``person`` is a :class:`~veteran_affairs.identity.ResidentId`, masked when shown.
    """

    cycle: str
    person: ResidentId
    unit: DivisionCode
    period: Period
    due: dt.date
    status: ComplianceStatus
    held_on: dt.date | None


_Dates: TypeAlias = list[dt.date]
_Firsts: TypeAlias = list[dt.date | None]
# Per occasion, in order: its period, opens, due, the last day an activity counts (never
# after as_of), and the status when nothing was held.
_Plan: TypeAlias = list[tuple[Period, dt.date, dt.date, dt.date, ComplianceStatus]]
# Per period key of the plan: the occasion's position, opens and last day.
_Slots: TypeAlias = dict[str, tuple[int, dt.date, dt.date]]


def _plan(
    cycle: Cycle, span: tuple[dt.date, dt.date], as_of: dt.date, calendar: WorkCalendar
) -> tuple[_Plan, _Slots]:
    if not cycle.kinds:
        raise ValueError(f"cycle {cycle.name!r} has no activity kinds: it cannot be checked")
    plan: _Plan = []
    slots: _Slots = {}
    for occ in _occasions(cycle, span, calendar):
        last = min(occ.closes, as_of)
        unheld = ComplianceStatus.NOT_YET_DUE if as_of <= occ.due else ComplianceStatus.MISSED
        slots[str(occ.period)] = (len(plan), occ.opens, last)
        plan.append((occ.period, occ.opens, occ.due, last, unheld))
    return plan, slots


class _Index:
    """The activities that may count, per unit or person: built in one pass.

    ``dates`` holds the sorted dates of the activities that name no period, per key (a unit
    code or an identity number); they may count for any occasion whose window holds them. An
    activity that names a period counts for that period's occasion only, so it is settled
    while indexing (:meth:`add_keyed`): ``firsts`` holds, per key, the earliest such date
    inside each occasion's window (``None`` where there is none), in the order of the plan.
    Keys of periods outside the span, and dates outside their occasion's window, are dropped.
    """

    __slots__ = ("dates", "firsts", "none", "slots")

    def __init__(self, plan: _Plan, slots: _Slots) -> None:
        self.dates: defaultdict[str, _Dates] = defaultdict(list)
        self.firsts: dict[str, _Firsts] = {}
        self.none: _Firsts = [None] * len(plan)
        self.slots = slots

    def add_keyed(self, owners: Iterable[str], key: str, held: dt.date) -> None:
        """Record an activity of ``owners`` held on ``held`` for the period keyed ``key``."""
        slot = self.slots.get(key)
        if slot is None:
            return
        position, opens, last = slot
        if not opens <= held <= last:
            return
        for owner in owners:
            firsts = self.firsts.get(owner)
            if firsts is None:
                firsts = self.firsts[owner] = list(self.none)
            earlier = firsts[position]
            if earlier is None or held < earlier:
                firsts[position] = held

    def sorted(self) -> _Index:
        for dates in self.dates.values():
            dates.sort()
        return self

    def outcomes(
        self, owner: str, plan: _Plan
    ) -> Iterator[tuple[Period, dt.date, ComplianceStatus, dt.date | None]]:
        """Per occasion of ``plan``: its period, due day, status and first counting date.

        The first counting date is the earlier of the first dated activity inside the window
        and the first activity naming the period; the status follows from it (module docs).
        """
        dates = self.dates.get(owner)
        firsts = self.firsts.get(owner, self.none)
        on_time, late = ComplianceStatus.ON_TIME, ComplianceStatus.LATE
        bisect_left = bisect.bisect_left
        for (period, opens, due, last, unheld), held in zip(plan, firsts, strict=True):
            if dates is not None:
                i = bisect_left(dates, opens)
                if i < len(dates) and dates[i] <= last and (held is None or dates[i] < held):
                    held = dates[i]
            yield period, due, unheld if held is None else on_time if held <= due else late, held


def _index_by_unit(
    activities: Iterable[Activity], kinds: frozenset[ActivityKind], plan: _Plan, slots: _Slots
) -> _Index:
    """The activities of ``kinds``, per unit code.

    :meth:`_Index.add_keyed` is written out here: a call per keyed activity costs about a
    third of indexing a province's reports.
    """
    wanted = tuple(kinds)  # a short tuple: ``in`` compares enum members by identity
    index = _Index(plan, slots)
    dates, firsts_of, none, slot_of = index.dates, index.firsts, index.none, slots.get
    for a in activities:
        if a.kind in wanted:
            key = a.for_period
            if key is None:
                dates[a.unit.value].append(a.held_on)
                continue
            slot = slot_of(key)
            if slot is None:
                continue
            position, opens, last = slot
            held = a.held_on
            if opens <= held <= last:
                firsts = firsts_of.get(a.unit.value)
                if firsts is None:
                    firsts = firsts_of[a.unit.value] = list(none)
                earlier = firsts[position]
                if earlier is None or held < earlier:
                    firsts[position] = held
    return index.sorted()


def _index_by_contact(
    activities: Iterable[Activity], kinds: frozenset[ActivityKind], plan: _Plan, slots: _Slots
) -> _Index:
    """The activities of ``kinds``, per identity number of each person contacted."""
    wanted = tuple(kinds)
    index = _Index(plan, slots)
    dates = index.dates
    in_span = slots.__contains__
    for a in activities:
        if a.contacts and a.kind in wanted:
            key = a.for_period
            if key is None:
                held = a.held_on
                for person in a.contacts:
                    dates[person.unmasked].append(held)
            elif in_span(key):
                index.add_keyed((p.unmasked for p in a.contacts), key, a.held_on)
    return index.sorted()


# compliance() and contact_compliance() share the row loop below, written out in each: it
# runs once per row (hundreds of thousands of times), and a call or an intermediate tuple per
# row costs about a fifth of the benchmark. Per occasion: the first date without a period key
# inside the window (a binary search), and the first keyed to the occasion (settled by the
# index); the earlier one counts.


def compliance(
    cycle: Cycle,
    activities: Iterable[Activity],
    units: Sequence[DivisionCode],
    span: tuple[dt.date, dt.date],
    as_of: dt.date,
    calendar: WorkCalendar,
) -> list[ComplianceRow]:
    """Whether each unit held ``cycle`` in each period overlapping ``span`` (完成情况).

    One row per applicable unit and period, units in the order given, periods in order.
    Units whose level the cycle does not apply to get no rows. The statuses, and how an
    activity with ``for_period`` counts, are defined in the module docstring. Activities are
    indexed once; each row is a binary search, so the cost is linear in activities plus rows.

    Raises:
        ValueError: the cycle has no activity kinds, so nothing can show it was held.
        CalendarDataMissing: a due date needs a year the calendar does not cover.
    """
    plan, slots = _plan(cycle, span, as_of, calendar)
    outcomes = _index_by_unit(activities, cycle.kinds, plan, slots).outcomes
    new = tuple.__new__  # builds the named tuple without its keyword-argument __new__
    rows: list[ComplianceRow] = []
    append = rows.append
    name = cycle.name
    levels = cycle.levels
    for unit in units:
        if unit.level not in levels:
            continue
        for period, due, status, held in outcomes(unit.value, plan):
            append(new(ComplianceRow, (name, unit, period, due, status, held)))
    return rows


def contact_compliance(
    cycle: Cycle,
    activities: Iterable[Activity],
    persons: Iterable[tuple[ResidentId, DivisionCode]],
    span: tuple[dt.date, dt.date],
    as_of: dt.date,
    calendar: WorkCalendar,
) -> list[ContactRow]:
    """Whether each person was contacted under ``cycle`` in each period of ``span`` (按人统计).

    :func:`compliance` counts a contact routine per unit: one phone call anywhere in a
    village satisfies it. This counts per person: an activity counts for a person when its
    kind is one of the cycle's and the person is in its ``contacts``, whichever unit made it
    (a county centre may call a village's key person). Windows, ``as_of``, ``for_period`` and
    the statuses are as for :func:`compliance`.

    Args:
        cycle: a contact routine, e.g. ``GUANGXI_PRESET["key-contact"]``.
        activities: the activity records; those without contacts are skipped.
        persons: (identity number, responsible unit) pairs, e.g. the key entitled persons
            (重点优抚对象) with the station that looks after each. A person whose unit's level
            the cycle does not apply to gets no rows; a pair given twice gets its rows twice.
        span: the first and last day; every period overlapping it is checked.
        as_of: the day the result is known on.
        calendar: the working-day calendar for the due dates.

    Returns:
        One :class:`ContactRow` per person and period, persons in the order given, periods
        in order.

    Raises:
        ValueError: the cycle has no activity kinds.
        CalendarDataMissing: a due date needs a year the calendar does not cover.

    >>> import datetime as dt
    >>> from veteran_affairs.cycles.calendar import calendar_for
    >>> from veteran_affairs.identity import ResidentId
    >>> who, village = ResidentId("45031219600101001X"), DivisionCode("450312101201")
    >>> call = Activity(activity_id="c1", kind=ActivityKind.PHONE_CONTACT,
    ...                 unit=DivisionCode("450312"), held_on=dt.date(2025, 5, 6), contacts=(who,))
    >>> [(str(r.period), r.status.label_zh) for r in contact_compliance(
    ...     GUANGXI_PRESET["key-contact"], [call], [(who, village)],
    ...     (dt.date(2025, 1, 1), dt.date(2025, 6, 30)), dt.date(2025, 7, 1), calendar_for())]
    [('2025Q1', '未完成'), ('2025Q2', '按时完成')]
    """
    plan, slots = _plan(cycle, span, as_of, calendar)
    outcomes = _index_by_contact(activities, cycle.kinds, plan, slots).outcomes
    new = tuple.__new__
    rows: list[ContactRow] = []
    append = rows.append
    name = cycle.name
    levels = cycle.levels
    applies: dict[str, bool] = {}  # many persons share a unit: read its level once
    for person, unit in persons:
        applicable = applies.get(unit.value)
        if applicable is None:
            applicable = applies[unit.value] = unit.level in levels
        if not applicable:
            continue
        for period, due, status, held in outcomes(person.unmasked, plan):
            append(new(ContactRow, (name, person, unit, period, due, status, held)))
    return rows


# --- routine files and the Guangxi defaults ---------------------------------------------------


class InvalidRoutineFile(InvalidValue):
    """A routine file does not follow the format of the bundled preset (工作制度文件无效).

    Attributes:
        path: the file, as given.
        routine: which routine is wrong (``"routine[3] 'reception-day'"``), or ``""`` for the
            file as a whole.
        field: the field within it (``"due.day"``).
        value: the offending value as text.
        reason: what is wrong, in English.
        reason_zh: what is wrong, in Chinese.
    """

    def __init__(
        self,
        path: str,
        routine: str,
        field: str,
        value: object,
        reason: str,
        reason_zh: str = "",
    ) -> None:
        self.path = path
        self.routine = routine
        super().__init__(field, value, reason, reason_zh)

    def _message(self) -> str:
        where = f"[{self.routine}] " if self.routine else ""
        zh = f" ({self.reason_zh})" if self.reason_zh else ""
        return f"{self.path}: {where}{self.field} = {self.value}: {self.reason}{zh}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (self.path, self.routine, self.field, self.value, self.reason, self.reason_zh),
        )


def load_routines(path: str | os.PathLike[str]) -> Mapping[str, Cycle]:
    """Read and check a routine file (工作制度文件): a preset of routines, by name.

    The format is that of the bundled Guangxi preset
    (``data/jurisdictions/guangxi/routines.toml``; ``docs/jurisdictions.md``): one
    ``[[routine]]`` table per :class:`Cycle` with ``name``, ``label_zh``, ``kinds``,
    ``frequency``, ``due`` (``{ rule = "on-day-moved-to-workday", day = 15 }``, …) and
    optional ``levels``. A jurisdiction profile names its file
    (:meth:`Jurisdiction.routine_preset <veteran_affairs.jurisdictions.Jurisdiction.routine_preset>`).

    Raises:
        InvalidRoutineFile: the file is not valid TOML, or a field breaks the format; the
            message names the file, the routine and the field.
        OSError: the file cannot be read.
    """
    from veteran_affairs.cycles._routine_files import load_routine_file

    return load_routine_file(path)


class _BundledPreset(Mapping[str, Cycle]):
    """The routines of a bundled profile, read from its routine file on first use."""

    def __init__(self, jurisdiction: str) -> None:
        self._jurisdiction = jurisdiction

    @functools.cached_property
    def _cycles(self) -> Mapping[str, Cycle]:
        from veteran_affairs import jurisdictions

        for profile in jurisdictions.bundled():
            if profile.name == self._jurisdiction:
                return profile.routine_preset()
        raise LookupError(f"no bundled jurisdiction {self._jurisdiction!r}")

    def __getitem__(self, name: str) -> Cycle:
        return self._cycles[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cycles)

    def __len__(self) -> int:
        return len(self._cycles)

    def __repr__(self) -> str:
        return f"<routine preset of {self._jurisdiction}: {', '.join(self._cycles)}>"


GUANGXI_PRESET: Mapping[str, Cycle] = _BundledPreset("guangxi")
"""Guangxi's default routines, by name — **configuration, not law** (DOMAIN.md §1).

No national or regional text fixes these days; they are plausible defaults to be replaced
by a unit's own work plan. Override a field with ``attrs.evolve(GUANGXI_PRESET[name], ...)``.
The routines live in the bundled Guangxi profile's routine file
(``data/jurisdictions/guangxi/routines.toml``), read on first use: this is
``Jurisdiction.load("guangxi").routine_preset()`` of the bundled profile.

* ``dispatch-meeting`` 月调度: monthly, within the month.
* ``symposium`` 季座谈: quarterly, within the quarter.
* ``training`` 半年培训: half-yearly, within the half-year.
* ``reception-day`` 领导接待日: the 15th, moved to the next working day; centres only
  (region, city, county).
* ``key-contact`` 重点对象联系: any contact (home visit, phone, counter) once a quarter.
* ``key-home-visit`` 重点对象上门走访: a home visit once a year.
  Check these two per person with :func:`contact_compliance`, per unit with
  :func:`compliance`.
* ``army-day-visit`` / ``spring-festival-visit``: a home visit in the 30 days before 八一 / the
  春节 holiday.
* ``payment-confirmation`` 定期待遇年度确认 (``ActivityKind.PAYMENT_CONFIRMATION``): in
  December. The yearly confirmation itself is law (《军人抚恤优待条例》(2024) 第八条第二款:
  国家建立享受定期抚恤补助对象年度确认制度); the month is configuration.
* ``monthly-report`` and ``quarterly-report`` 统计报表 (``ActivityKind.STATISTICAL_REPORT``):
  5 working days after the period ends. Both share one kind, so record each report with
  ``for_period`` (``"2025-03"``, ``"2025Q1"``): a report without it counts for whichever
  occasion's window holds its date, in both cycles.
"""
