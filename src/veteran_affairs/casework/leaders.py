"""Leaders' contact duties: 领导包联 (areas assigned to leaders, a talk each quarter) and
领导接待日 (reception days).

**包联.** A :class:`ContactAssignment` puts a leader in charge of contact with an area (a
division) from one day to another; a :class:`BaolianTalk` is a symposium (座谈) the leader held
with the veteran representatives of that area. The one cadence found is Guangxi's: a talk with
the veterans' representatives of each leader's area once a quarter (刘德安, 《建好一个"家"
温暖百万"兵"》, 2021-02-03; REPOST, and the sentence is **not re-verified**: CASEWORK.md §5.2).
:data:`TALKS_PER_QUARTER` ships that value with this uncertainty in its citation; pass
``talks_per_quarter=`` to use your own. Who counts as a leader, how areas are assigned and
deadlines for minutes are NOT FOUND: they are the user's data. The indirect national basis is
the responsibility and assessment system of 《退役军人保障法》第七十二条.

:func:`baolian_compliance` gives one row per assignment and calendar quarter (a quarter is
taken to be a calendar quarter: whether the source means that is NOT FOUND). A quarter counts
only while the assignment is in force: quarters it does not touch give no row, and a talk
counts for the quarter it was held in, on a day the assignment was in force. **Partial
quarters** (an assignment that starts or ends inside a quarter) are decided by
:class:`PartialQuarters`, since no rule was found:

* ``EXEMPT`` (the default): only quarters the assignment covers whole are checked; a partial
  quarter's row is ``NOT_DUE`` (its talks are still listed);
* ``DUE``: every quarter with at least one day in force is checked, its window being the days
  in force;
* ``IN_FORCE_AT_END``: a partial quarter is checked when the assignment is still in force on
  the quarter's last day (whoever holds the area at the quarter's end answers for it).

A checked quarter is ``MET`` once enough talks were held by ``as_of``, ``MISSED`` when its last
day in force has passed without them, ``PENDING`` until then. :meth:`BaolianRow.as_compliance_row`
turns a row into a :class:`~veteran_affairs.cycles.ComplianceRow` of the routine ``"baolian-talk"``
so that :func:`veteran_affairs.hierarchy.compliance_summary` reports it per area.

**Reception days.** 《信访条例》(2005) 第十条 required county and city governments, their
departments and townships to hold leaders' reception days (行政机关负责人信访接待日制度; REPOST),
so a county 退役军人事务局 had the duty, but **no frequency was set**, and no national or MVA rule
on the frequency was found (CASEWORK.md §5.1, §7). :data:`RECEPTION_DAY` ships without a value:
a :class:`ReceptionDayRule` (a day of the month or a weekday, and what happens on a rest day)
is yours to give, e.g. from your county's notice. :func:`reception_schedule` lists the days,
:func:`reception_compliance` checks :class:`ReceptionSession` records against them.

>>> import datetime as dt
>>> from veteran_affairs.cycles import Year
>>> from veteran_affairs.identity import DivisionCode
>>> duty = ContactAssignment(assignment_id="BL-1", leader="bureau-director",
...                          area=DivisionCode("450312"), starts_on=dt.date(2025, 2, 10))
>>> talk = duty.talk(talk_id="T-1", held_on=dt.date(2025, 5, 20), participants=12)
>>> rows = baolian_compliance([duty], [talk], Year(year=2025), as_of=dt.date(2026, 1, 5))
>>> [(str(r.quarter), r.status.label_zh) for r in rows]
[('2025Q1', '不计入考核'), ('2025Q2', '已完成'), ('2025Q3', '未完成'), ('2025Q4', '未完成')]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

import attrs

from veteran_affairs._validate import (
    check_order,
    in_range,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.cycles.periods import Month, Period, Quarter
from veteran_affairs.cycles.routines import (
    ComplianceRow,
    ComplianceStatus,
    Cycle,
    Frequency,
    OnDayMovedToWorkday,
)
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.activity import Activity, ActivityKind
from veteran_affairs.parameters import Citation, Parameter, ParameterVersion, SourceGrade

__all__ = [
    "BAOLIAN_CYCLE",
    "RECEPTION_DAY",
    "TALKS_PER_QUARTER",
    "AssignmentKind",
    "BaolianRow",
    "BaolianStatus",
    "BaolianTalk",
    "ContactAssignment",
    "PartialQuarters",
    "ReceptionDayRule",
    "ReceptionRow",
    "ReceptionSession",
    "ReceptionStatus",
    "RestDayPolicy",
    "baolian_compliance",
    "reception_compliance",
    "reception_schedule",
]


def __dir__() -> list[str]:
    return __all__


_ONE_DAY = dt.timedelta(days=1)

BAOLIAN_CYCLE = "baolian-talk"
"""The routine name the 包联 rows carry as :class:`~veteran_affairs.cycles.ComplianceRow`."""

# --- parameters ----------------------------------------------------------------------------

_SEED = Citation(
    document='刘德安, 《建好一个"家" 温暖百万"兵"》 (Guangxi), 2021-02-03',
    url="http://162.14.114.237/20210203/22659.html",
    grade=SourceGrade.REPOST,
    quote="每季度与包联地区退役军人代表座谈交流一次",
    note="Guangxi practice, not a national rule; a mirror of a newspaper piece (outlet not "
    "confirmed) that ends before this sentence: NOT RE-VERIFIED (CASEWORK.md §5.2). In force "
    "from the article's date: when the routine began is not known",
)

TALKS_PER_QUARTER = Parameter(
    key="leaders.baolian_talks_per_quarter",
    label_zh="包联领导每季度与包联地区退役军人代表座谈次数",
    label_en="talks a leader holds with the veterans' representatives of the area each quarter",
    unit="talks/quarter",
    versions=(
        ParameterVersion(
            effective_from=dt.date(2021, 2, 3),
            value=Decimal(1),
            citation=_SEED,
        ),
    ),
    basis=Citation(
        document="《退役军人保障法》",
        article="第七十二条",
        effective=dt.date(2021, 1, 1),
        note="responsibility and assessment system; it does not name 包联",
    ),
)
"""Talks per quarter (季座谈): **1**, from the Guangxi seed article (REPOST, not re-verified).

Looked up on each quarter's last day; before 2021-02-03 it is not in force
(:class:`~veteran_affairs.errors.ParameterNotInForce`). Pass ``talks_per_quarter=`` to
:func:`baolian_compliance` to use your own figure.
"""

RECEPTION_DAY = Parameter(
    key="leaders.reception_day",
    label_zh="领导接待日安排",
    label_en="the day of the leaders' reception day",
    unit="rule",
    supply="give a ReceptionDayRule (a day of the month or a weekday, and what a rest day does) "
    "from your own notice; no national or MVA frequency was found (CASEWORK.md §5.1, §7)",
    basis=Citation(
        document="《信访条例》",
        number="国务院令第431号",
        article="第十条",
        effective=dt.date(2005, 5, 1),
        grade=SourceGrade.REPOST,
        note="requires a leaders' reception-day system without a frequency; the 2022 provision "
        "is NOT FOUND",
    ),
)
"""The reception day (领导接待日): **shipped without a value** — no frequency exists nationally.

:func:`reception_schedule` and :func:`reception_compliance` without a rule raise
:class:`~veteran_affairs.errors.ParameterMissing` naming ``leaders.reception_day``.
"""


# --- 包联 ------------------------------------------------------------------------------------


class AssignmentKind(enum.Enum):
    """Kinds of leaders' contact assignment (联系方式)."""

    BAOLIAN = "baolian"  # 领导包联

    @property
    def label_zh(self) -> str:
        return {"baolian": "领导包联"}[self.value]


def _days_overlap(first: dt.date, last: dt.date, start: dt.date, end: dt.date | None) -> int:
    lo = max(first, start)
    hi = last if end is None else min(last, end)
    return max(0, (hi - lo).days + 1)


@attrs.frozen(kw_only=True)
class ContactAssignment:
    """A leader in charge of contact with an area (包联), from ``starts_on`` to ``ends_on``.

    ``leader`` is a post or staff code (``"county-bureau-director"``), not a name. Both days
    are included; ``ends_on`` is ``None`` while the assignment runs. Either may lie in the
    future (an assignment decided ahead).

    >>> a = ContactAssignment(assignment_id="BL-1", leader="director",
    ...                       area=DivisionCode("450312"), starts_on=dt.date(2025, 2, 10))
    >>> a.days_in(Quarter.parse("2025Q1")), a.in_force(dt.date(2025, 2, 9))
    (50, False)
    """

    assignment_id: str = attrs.field(validator=text(max_length=64))
    leader: str = attrs.field(validator=text(max_length=100))
    area: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    starts_on: dt.date = attrs.field(validator=instance_of(dt.date))
    ends_on: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))
    kind: AssignmentKind = attrs.field(
        default=AssignmentKind.BAOLIAN, validator=instance_of(AssignmentKind)
    )

    def __attrs_post_init__(self) -> None:
        check_order(self, "starts_on", "ends_on")

    def in_force(self, on: dt.date) -> bool:
        """Whether the assignment runs on ``on``."""
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)

    def days_in(self, period: Period) -> int:
        """How many days of ``period`` the assignment is in force."""
        return _days_overlap(period.start, period.end, self.starts_on, self.ends_on)

    def talk(
        self,
        *,
        talk_id: str,
        held_on: dt.date,
        participants: int,
        topic: str | None = None,
        requests: tuple[str, ...] = (),
        legacy_cases: tuple[str, ...] = (),
    ) -> BaolianTalk:
        """A talk held under this assignment (its id and area filled in).

        Raises:
            InconsistentRecord: the assignment was not in force on ``held_on``.
        """
        made = BaolianTalk(
            talk_id=talk_id,
            assignment_id=self.assignment_id,
            area=self.area,
            held_on=held_on,
            participants=participants,
            topic=topic,
            requests=requests,
            legacy_cases=legacy_cases,
        )
        _check_talk(made, self)
        return made


@attrs.frozen(kw_only=True)
class BaolianTalk:
    """A talk (座谈) a leader held with the veteran representatives of the assigned area.

    ``area`` is the assignment's area, repeated so that a stored talk knows its unit; it must
    match the assignment's. :meth:`ContactAssignment.talk` fills both in.
    ``participants`` counts the representatives who took part; ``requests`` and
    ``legacy_cases`` name the requests (:class:`~veteran_affairs.casework.requests.Request`) and
    legacy cases the issues raised were registered as.
    """

    talk_id: str = attrs.field(validator=text(max_length=64))
    assignment_id: str = attrs.field(validator=text(max_length=64))
    area: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    held_on: dt.date = attrs.field(validator=past_date)
    participants: int = attrs.field(validator=in_range(0, 100_000))
    topic: str | None = attrs.field(default=None, validator=optional(text(max_length=500)))
    requests: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    legacy_cases: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))

    def to_activity(self, assignment: ContactAssignment) -> Activity:
        """The talk as an :class:`~veteran_affairs.models.Activity` (a 座谈会 in the area), for
        the per-unit routines of :mod:`veteran_affairs.cycles.routines`.

        Raises:
            InconsistentRecord: ``assignment`` is not the talk's, covers another area, or was
                not in force that day.
        """
        _check_talk(self, assignment)
        return Activity(
            activity_id=self.talk_id,
            kind=ActivityKind.SYMPOSIUM,
            unit=self.area,
            held_on=self.held_on,
            participants=self.participants,
            topic=self.topic,
        )


def _check_talk(talk: BaolianTalk, assignment: ContactAssignment) -> None:
    if talk.assignment_id != assignment.assignment_id:
        raise InconsistentRecord(
            "talk.assignment_id",
            talk.assignment_id,
            f"the talk is not for assignment {assignment.assignment_id}",
            "座谈不属于该包联安排",
        )
    if talk.area != assignment.area:
        raise InconsistentRecord(
            "talk.area",
            talk.area.value,
            f"assignment {assignment.assignment_id} covers {assignment.area}",
            "座谈地区与包联地区不一致",
        )
    if not assignment.in_force(talk.held_on):
        raise InconsistentRecord(
            "talk.held_on",
            f"{talk.talk_id}: {talk.held_on.isoformat()}",
            f"assignment {assignment.assignment_id} was not in force that day",
            "座谈日期不在包联期间内",
        )


class PartialQuarters(enum.Enum):
    """How a quarter the assignment covers only in part is checked (不完整季度的处理).

    No rule was found (CASEWORK.md §5.2: 包联 details NOT FOUND); this is your choice.
    """

    EXEMPT = "exempt"  # 不完整季度不考核
    DUE = "due"  # 不完整季度照常考核
    IN_FORCE_AT_END = "in-force-at-end"  # 季末仍在包联的考核

    @property
    def label_zh(self) -> str:
        return {
            "exempt": "不完整季度不考核",
            "due": "不完整季度照常考核",
            "in-force-at-end": "季末在岗者考核",
        }[self.value]


class BaolianStatus(enum.Enum):
    """How one assignment's quarter went, as known on a date (包联座谈完成情况)."""

    MET = "met"  # 已完成
    MISSED = "missed"  # 未完成
    PENDING = "pending"  # 未到期
    NOT_DUE = "not-due"  # 不计入考核

    @property
    def label_zh(self) -> str:
        return {
            "met": "已完成",
            "missed": "未完成",
            "pending": "未到期",
            "not-due": "不计入考核",
        }[self.value]


_AS_COMPLIANCE = {
    BaolianStatus.MET: ComplianceStatus.ON_TIME,
    BaolianStatus.MISSED: ComplianceStatus.MISSED,
    BaolianStatus.PENDING: ComplianceStatus.NOT_YET_DUE,
}


class BaolianRow(NamedTuple):
    """One assignment's result for one calendar quarter.

    ``window`` is the first and last day of the quarter the assignment was in force;
    ``required`` the talks due (0 when the quarter is not checked); ``talks`` the talks held
    in the window by ``as_of``; ``first_talk_on`` the first of them.
    """

    assignment_id: str
    leader: str
    area: DivisionCode
    quarter: Quarter
    window: tuple[dt.date, dt.date]
    whole: bool
    required: int
    talks: int
    first_talk_on: dt.date | None
    status: BaolianStatus

    def as_compliance_row(self) -> ComplianceRow | None:
        """The row as a routine's :class:`~veteran_affairs.cycles.ComplianceRow` (routine
        :data:`BAOLIAN_CYCLE`, unit = the area, due = the window's last day); ``None`` for a
        quarter not checked. A met quarter is on time: a talk counts only inside its window."""
        status = _AS_COMPLIANCE.get(self.status)
        if status is None:
            return None
        held = self.first_talk_on if self.status is BaolianStatus.MET else None
        return ComplianceRow(
            cycle=BAOLIAN_CYCLE,
            unit=self.area,
            period=self.quarter,
            due=self.window[1],
            status=status,
            held_on=held,
        )


def _quarters(period: Period) -> list[Quarter]:
    quarter = Quarter.containing(period.start)
    found = []
    while quarter.start <= period.end:
        found.append(quarter)
        quarter = quarter.next()
    return found


def _required(per_quarter: int | None, quarter: Quarter) -> int:
    if per_quarter is not None:
        return per_quarter
    value, _version = TALKS_PER_QUARTER.value_on(quarter.end)
    return int(value)


def _checked(assignment: ContactAssignment, quarter: Quarter, partial: PartialQuarters) -> bool:
    if assignment.days_in(quarter) == quarter.days:
        return True
    if partial is PartialQuarters.DUE:
        return True
    if partial is PartialQuarters.IN_FORCE_AT_END:
        return assignment.in_force(quarter.end)
    return False


def baolian_compliance(
    assignments: Iterable[ContactAssignment],
    talks: Iterable[BaolianTalk],
    period: Period,
    *,
    as_of: dt.date,
    partial: PartialQuarters = PartialQuarters.EXEMPT,
    talks_per_quarter: int | None = None,
) -> list[BaolianRow]:
    """Whether each assignment's quarterly talk was held, per calendar quarter (包联座谈落实).

    Args:
        assignments: the assignments; each id once.
        talks: the talks held; each id once. Talks for assignments not given are ignored;
            a talk's area must be its assignment's.
        period: the span to check (a year, half-year or quarter; a month means its quarter):
            every calendar quarter overlapping it.
        as_of: the day the result is known on; talks after it are ignored.
        partial: how a quarter the assignment covers only in part counts
            (:class:`PartialQuarters`; the module docstring explains the choices).
        talks_per_quarter: talks due in a checked quarter; default :data:`TALKS_PER_QUARTER`
            on the quarter's last day.

    Returns:
        One :class:`BaolianRow` per assignment and quarter it was in force on at least one
        day, assignments in the order given, quarters in order.

    Raises:
        InconsistentRecord: an assignment or talk id given twice, or a talk held on a day its
            assignment was not in force or in another area.
        ParameterNotInForce: the default cadence asked for a quarter ending before 2021-02-03.
    """
    if not isinstance(partial, PartialQuarters):
        raise InvalidValue("partial", type(partial).__name__, "must be a PartialQuarters")
    if talks_per_quarter is not None and (
        type(talks_per_quarter) is not int or talks_per_quarter < 1
    ):
        raise InvalidValue(
            "talks_per_quarter", repr(talks_per_quarter), "must be an integer ≥ 1", "应为正整数"
        )
    chosen: dict[str, ContactAssignment] = {}
    for assignment in assignments:
        if assignment.assignment_id in chosen:
            raise InconsistentRecord(
                "assignment_id", assignment.assignment_id, "given twice", "包联安排重复"
            )
        chosen[assignment.assignment_id] = assignment
    held: dict[str, list[dt.date]] = {key: [] for key in chosen}
    seen: set[str] = set()
    for talk in talks:
        if talk.talk_id in seen:
            raise InconsistentRecord("talk_id", talk.talk_id, "given twice", "座谈记录重复")
        seen.add(talk.talk_id)
        owner = chosen.get(talk.assignment_id)
        if owner is None:
            continue
        _check_talk(talk, owner)
        if talk.held_on <= as_of:
            held[talk.assignment_id].append(talk.held_on)
    quarters = _quarters(period)
    rows: list[BaolianRow] = []
    for key, assignment in chosen.items():
        days = sorted(held[key])
        for quarter in quarters:
            if not assignment.days_in(quarter):
                continue
            first = max(quarter.start, assignment.starts_on)
            last = (
                quarter.end if assignment.ends_on is None else min(quarter.end, assignment.ends_on)
            )
            inside = [d for d in days if first <= d <= last]
            whole = assignment.days_in(quarter) == quarter.days
            if not _checked(assignment, quarter, partial):
                required, status = 0, BaolianStatus.NOT_DUE
            else:
                required = _required(talks_per_quarter, quarter)
                if len(inside) >= required:
                    status = BaolianStatus.MET
                elif as_of > last:
                    status = BaolianStatus.MISSED
                else:
                    status = BaolianStatus.PENDING
            rows.append(
                BaolianRow(
                    assignment_id=key,
                    leader=assignment.leader,
                    area=assignment.area,
                    quarter=quarter,
                    window=(first, last),
                    whole=whole,
                    required=required,
                    talks=len(inside),
                    first_talk_on=inside[0] if inside else None,
                    status=status,
                )
            )
    return rows


# --- reception days ------------------------------------------------------------------------


class RestDayPolicy(enum.Enum):
    """What a reception day that falls on a rest day does (遇节假日的处理)."""

    NEXT_WORKDAY = "next-workday"  # 顺延至下一个工作日
    SKIP = "skip"  # 当期不安排

    @property
    def label_zh(self) -> str:
        return {"next-workday": "顺延至下一个工作日", "skip": "当期不安排"}[self.value]


_WEEKDAY_ZH = "一二三四五六日"


@attrs.frozen(kw_only=True)
class ReceptionDayRule:
    """When a unit's leaders hold their reception day (领导接待日安排): **your values**.

    Exactly one of ``day_of_month`` (1–31; past a month's end, its last day) and ``weekday``
    (0 = Monday … 6 = Sunday, every week). ``on_rest_day`` says what a day that is not a
    working day does. ``source`` cites your own notice. Examples found (none for veterans'
    affairs, CASEWORK.md §5.1): county leaders on the 15th and unit leaders on the 10th,
    postponed on a holiday; a 民政局 every Tuesday.

    >>> ReceptionDayRule(day_of_month=15, on_rest_day=RestDayPolicy.NEXT_WORKDAY).label_zh
    '每月15日（顺延至下一个工作日）'
    """

    on_rest_day: RestDayPolicy = attrs.field(validator=instance_of(RestDayPolicy))
    day_of_month: int | None = attrs.field(default=None, validator=optional(in_range(1, 31)))
    weekday: int | None = attrs.field(default=None, validator=optional(in_range(0, 6)))
    source: Citation | None = attrs.field(default=None, validator=optional(instance_of(Citation)))

    def __attrs_post_init__(self) -> None:
        if (self.day_of_month is None) == (self.weekday is None):
            raise InconsistentRecord(
                "day_of_month/weekday",
                f"{self.day_of_month}/{self.weekday}",
                "give exactly one of a day of the month and a weekday",
                "每月日期与星期须且只能填一项",
            )

    @property
    def label_zh(self) -> str:
        when = (
            f"每月{self.day_of_month}日"
            if self.day_of_month is not None
            else f"每周{_WEEKDAY_ZH[self.weekday or 0]}"
        )
        return f"{when}（{self.on_rest_day.label_zh}）"

    def nominal_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The rule's days from ``first`` to ``last`` before any rest-day move."""
        days: list[dt.date] = []
        if self.weekday is not None:
            day = first + dt.timedelta(days=(self.weekday - first.weekday()) % 7)
            while day <= last:
                days.append(day)
                day += dt.timedelta(days=7)
            return days
        assert self.day_of_month is not None
        month = Month.containing(first)
        while month.start <= last:
            day = month.start + dt.timedelta(days=min(self.day_of_month, month.days) - 1)
            if first <= day <= last:
                days.append(day)
            month = month.next()
        return days

    def to_cycle(self, *, name: str = "reception-day", label_zh: str = "领导接待日") -> Cycle:
        """The rule as a monthly routine of :mod:`veteran_affairs.cycles.routines` (a day of
        the month moved to the next working day).

        Raises:
            InvalidValue: a weekly rule (the routines have no weekly frequency) or one that
                skips rest days (the routines always move them).
        """
        if self.day_of_month is None or self.on_rest_day is not RestDayPolicy.NEXT_WORKDAY:
            raise InvalidValue(
                "rule",
                self.label_zh,
                "only a monthly day moved to the next working day is a routine",
                "仅每月固定日期且顺延的安排可转为工作制度",
            )
        return Cycle(
            name=name,
            label_zh=label_zh,
            kinds={ActivityKind.RECEPTION_DAY},
            frequency=Frequency.MONTHLY,
            due=OnDayMovedToWorkday(day=self.day_of_month),
        )


def _rule(rule: ReceptionDayRule | None, on: dt.date) -> ReceptionDayRule:
    if rule is None:
        RECEPTION_DAY.version_on(on)  # raises ParameterMissing naming the parameter
    if not isinstance(rule, ReceptionDayRule):
        raise InvalidValue("rule", type(rule).__name__, "must be a ReceptionDayRule")
    return rule


def reception_schedule(
    rule: ReceptionDayRule | None,
    span: tuple[dt.date, dt.date],
    calendar: WorkCalendar,
) -> list[dt.date]:
    """The reception days from ``span[0]`` to ``span[1]`` (both included), in order (接待日排期).

    A day on a rest day moves to the next working day or is dropped, as the rule says; a
    day moved past ``span[1]`` is kept (it belongs to the span's last occasion); two days
    moved onto one are one.

    Raises:
        ParameterMissing: no rule (``leaders.reception_day`` has no value).
        CalendarDataMissing: the calendar lacks a year of the span.
    """
    first, last = span
    chosen = _rule(rule, first)
    days: list[dt.date] = []
    for day in chosen.nominal_days(first, last):
        if not calendar.is_workday(day):
            if chosen.on_rest_day is RestDayPolicy.SKIP:
                continue
            day = calendar.next_workday(day)
        if not days or days[-1] != day:
            days.append(day)
    return days


@attrs.frozen(kw_only=True)
class ReceptionSession:
    """A reception day held (领导接待日): the unit, the leader on duty, the day, how many people
    came and the requests it opened (:class:`~veteran_affairs.casework.requests.Request` ids)."""

    session_id: str = attrs.field(validator=text(max_length=64))
    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    leader: str = attrs.field(validator=text(max_length=100))
    held_on: dt.date = attrs.field(validator=past_date)
    visitors: int = attrs.field(validator=in_range(0, 100_000))
    requests: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))

    def to_activity(self) -> Activity:
        """The session as an :class:`~veteran_affairs.models.Activity` of kind
        ``RECEPTION_DAY``, for the routines of :mod:`veteran_affairs.cycles.routines`."""
        return Activity(
            activity_id=self.session_id,
            kind=ActivityKind.RECEPTION_DAY,
            unit=self.unit,
            held_on=self.held_on,
            participants=self.visitors,
        )


class ReceptionStatus(enum.Enum):
    """How a scheduled reception day went (接待日落实情况)."""

    HELD = "held"  # 已接待
    MISSED = "missed"  # 未接待
    PENDING = "pending"  # 未到期

    @property
    def label_zh(self) -> str:
        return {"held": "已接待", "missed": "未接待", "pending": "未到期"}[self.value]


class ReceptionRow(NamedTuple):
    """One unit's scheduled reception day and whether a session was held on it."""

    unit: DivisionCode
    day: dt.date
    status: ReceptionStatus
    visitors: int


def reception_compliance(
    rule: ReceptionDayRule | None,
    sessions: Iterable[ReceptionSession],
    units: Sequence[DivisionCode],
    span: tuple[dt.date, dt.date],
    *,
    as_of: dt.date,
    calendar: WorkCalendar,
) -> list[ReceptionRow]:
    """Whether each unit held its reception on each scheduled day (接待日落实).

    A day is ``HELD`` when the unit has a session on that very day (held by ``as_of``),
    ``MISSED`` once the day has passed without one, ``PENDING`` on the day itself and before.
    A session on another day counts for no scheduled day. ``visitors`` sums the sessions of
    the day.

    Raises:
        ParameterMissing: no rule (``leaders.reception_day`` has no value).
        CalendarDataMissing: the calendar lacks a year of the span.
        InconsistentRecord: a session id given twice.
    """
    days = reception_schedule(rule, span, calendar)
    held: dict[tuple[str, dt.date], int] = {}
    seen: set[str] = set()
    for session in sessions:
        if session.session_id in seen:
            raise InconsistentRecord(
                "session_id", session.session_id, "given twice", "接待记录重复"
            )
        seen.add(session.session_id)
        if session.held_on <= as_of:
            key = (session.unit.value, session.held_on)
            held[key] = held.get(key, 0) + session.visitors
    rows: list[ReceptionRow] = []
    for unit in units:
        for day in days:
            visitors = held.get((unit.value, day))
            if visitors is not None:
                status = ReceptionStatus.HELD
            elif as_of > day:
                status = ReceptionStatus.MISSED
            else:
                status = ReceptionStatus.PENDING
            rows.append(ReceptionRow(unit=unit, day=day, status=status, visitors=visitors or 0))
    return rows
