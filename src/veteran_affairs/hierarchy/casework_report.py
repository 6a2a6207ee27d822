"""Casework per unit over the five levels (业务工作统计): petitions, insurance transfers, 包联,
and the other registers.

Four reports, each a :class:`~veteran_affairs.hierarchy.report.Report` whose rows hold the
figures of a unit's whole subtree, rates recomputed from the summed counts (the fourth casework
report, 兵支书 and 兵主任 per unit, is
:func:`~veteran_affairs.casework.villages.veteran_cadre_rows`):

* :func:`petitions_report` (信访事项办理情况): the petitions registered in a period, as they
  stand on a date: received, open, answered, answered within the handling limit or after it,
  overdue (a body's duty past its due date: 督办), not accepted, closed;
* :func:`transfers_report` (保险关系转移接续情况): insurance transfers by state on a date, the
  ones not yet continued, the stalled ones and the medical accounts opened late;
* :func:`baolian_report` (领导包联座谈落实情况): the 包联 assignments' quarters, the talks held,
  and, where a cadence is in force, the quarters met, missed and pending;
* :func:`registers_report` (台账统计): counts from the other registers — legacy cases, contact
  requests, reception days, training enrolments and employment records.

Each record counts once, at one unit, placed on the tree (itself, else its nearest ancestor;
outside the tree: ``Report.unplaced``). The figures judge nothing the sources do not: a missed
limit is reported, never taken as a decision (CASEWORK.md §1.4), and a limit or cadence
without a value is reported as not counted rather than guessed.

>>> import datetime as dt
>>> from veteran_affairs.casework.petitions import (
...     Petition, PetitionCategory, PetitionChannel, ReceiverKind)
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode, ResidentId
>>> p = Petition.receive(
...     petition_id="XF-2020-1", petitioner=ResidentId("11010519491231002X"),
...     category=PetitionCategory.APPEAL, channel=PetitionChannel.LETTER,
...     received_by=DivisionCode("450312"), receiver=ReceiverKind.OTHER_BODY,
...     on=dt.date(2020, 3, 2), actor="tyjr-450312")
>>> p = p.accept(on=dt.date(2020, 3, 9), actor="tyjr-450312")
>>> report = petitions_report(DivisionTree.bundled("45").restrict("4503"), [p],
...                           on=dt.date(2020, 6, 1))
>>> row = report["450312"]
>>> row["received"], row["open"], row["overdue"], report["4503"]["overdue"]
(1, 1, 1, 1)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TypeAlias

import attrs

from veteran_affairs.casework.deadlines import CalendarRequired, DeadlineStatus, LimitBook
from veteran_affairs.casework.discharge import (
    DeadlineKind,
    EmploymentRecord,
    EmploymentStatus,
    InsuranceStatus,
    InsuranceTransfer,
    TrainingEnrolment,
    insurance_deadlines,
)
from veteran_affairs.casework.leaders import (
    TALKS_PER_QUARTER,
    BaolianRow,
    BaolianStatus,
    BaolianTalk,
    ContactAssignment,
    PartialQuarters,
    ReceptionSession,
    baolian_compliance,
)
from veteran_affairs.casework.legacy import LegacyCase, LegacyFlag, LegacyStatus
from veteran_affairs.casework.petitions import (
    Petition,
    PetitionStatus,
)
from veteran_affairs.casework.requests import Request, RequestStatus
from veteran_affairs.cycles.calendar import CalendarDataMissing, WorkCalendar, calendar_for
from veteran_affairs.cycles.periods import Period, Quarter
from veteran_affairs.errors import InvalidValue, ParameterError, ParameterNotInForce
from veteran_affairs.hierarchy._rollup import Placer, Vector
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode

__all__ = [
    "BAOLIAN_COLUMNS",
    "PETITION_COLUMNS",
    "REGISTER_COLUMNS",
    "TRANSFER_COLUMNS",
    "baolian_report",
    "petitions_report",
    "registers_report",
    "transfers_report",
]


def __dir__() -> list[str]:
    return __all__


def _rate(key: str, label: str, label_zh: str, numerator: str, denominator: str) -> Column:
    return Column(
        key=key,
        label=label,
        label_zh=label_zh,
        kind=FigureKind.RATE,
        numerator=numerator,
        denominator=denominator,
    )


def _count(key: str, label: str, label_zh: str) -> Column:
    return Column(key=key, label=label, label_zh=label_zh)


def _own(own: dict[str, Vector], unit: str, width: int) -> Vector:
    vector = own.get(unit)
    if vector is None:
        vector = own[unit] = [0] * width
    return vector


def _check_date(name: str, value: object) -> dt.date:
    if type(value) is not dt.date:
        raise InvalidValue(name, type(value).__name__, "must be a date", "应为日期")
    return value


# --- calendars ---------------------------------------------------------------------------------


@functools.cache
def _default_calendars(province: str) -> tuple[WorkCalendar, ...]:
    """The province's calendar, then the national one for the years the province's data lack."""
    return (calendar_for(province), calendar_for())


Calendars: TypeAlias = WorkCalendar | Sequence[WorkCalendar] | None
"""A calendar to count limits on, several to try in order, or ``None`` for the default."""


def _calendars(calendar: Calendars, unit: DivisionCode) -> tuple[WorkCalendar, ...]:
    if calendar is None:
        return _default_calendars(unit.value[:2])
    if isinstance(calendar, Sequence):
        return tuple(calendar)
    return (calendar,)


# --- petitions ----------------------------------------------------------------------------------

PETITION_COLUMNS = (
    _count("received", "registered", "登记件数"),
    _count("open", "open", "在办件数"),
    _count("answered", "answered in writing", "已书面答复"),
    _count("answered_on_time", "answered within the limit", "按期答复"),
    _count("answered_late", "answered late", "逾期答复"),
    _count("overdue", "overdue (督办)", "逾期未办"),
    _count("not_accepted", "not accepted", "不予受理"),
    _count("closed", "closed", "已办结"),
    _count("limit_unknown", "limits not counted", "时限无法计算"),
    _rate(
        "on_time_rate",
        "answered within the limit",
        "按期答复率",
        "answered_on_time",
        "answered",
    ),
    _rate("overdue_rate", "overdue among open", "逾期未办占在办比例", "overdue", "open"),
)
"""The columns of :func:`petitions_report`: counts of petitions, then two rates."""

_P = {column.key: i for i, column in enumerate(PETITION_COLUMNS)}
_FINAL = frozenset({PetitionStatus.CLOSED, PetitionStatus.NOT_ACCEPTED})
_HANDLING = frozenset({"petition.handling", "petition.simple_handling"})


def _unit_on(petition: Petition, on: dt.date) -> DivisionCode:
    """The body that had the petition on ``on`` (the last unit it was sent to by then)."""
    unit = petition.received_by
    for step in petition.history:
        if step.on > on:
            break
        if step.unit is not None:
            unit = step.unit
    return unit


def _petition_limits(
    petition: Petition, on: dt.date, book: LimitBook, calendars: Sequence[WorkCalendar]
) -> tuple[DeadlineStatus | None, bool] | None:
    """How the handling limit went by ``on`` (``None`` if not answered by then) and whether a
    duty was overdue on ``on``; ``None`` when the limits cannot be counted."""
    for calendar in calendars:
        try:
            answered: DeadlineStatus | None = None
            for limit in petition.timeline(book, calendar):
                if limit.key in _HANDLING and limit.done_on is not None and limit.done_on <= on:
                    answered = limit.status(on=on)
            return answered, bool(petition.overdue(on, book, calendar))
        except CalendarDataMissing:
            continue
        except (ParameterError, CalendarRequired):
            return None
    return None


def petitions_report(
    tree: DivisionTree,
    petitions: Iterable[Petition],
    *,
    on: dt.date,
    period: Period | None = None,
    book: LimitBook | None = None,
    calendar: Calendars = None,
) -> Report:
    """Petitions registered in ``period`` (default: any day up to ``on``) as they stand on ``on``.

    A petition counts at the body that had it on ``on`` (承办单位: the unit of its last routing,
    复查 or 复核 request by then; else the unit that registered it). Per petition:

    * ``received`` (登记件数): 1; ``open`` (在办): not closed nor refused on ``on``;
      ``not_accepted`` (不予受理) and ``closed`` (已办结): its state on ``on``;
    * ``answered`` (已书面答复): a written answer by ``on``; ``answered_on_time`` /
      ``answered_late``: that answer within the handling limit (60 日, 简易办理 10 工作日, plus
      an extension) or after it;
    * ``overdue`` (逾期未办, 督办): a body's duty past its due date and not done on ``on``
      (:meth:`Petition.overdue <veteran_affairs.casework.petitions.Petition.overdue>`). It
      reports; it decides nothing for the petitioner;
    * ``limit_unknown`` (时限无法计算): its limits could not be counted — a limit without a
      value (e.g. a 2022 limit that was NOT FOUND: supply it with ``book``) or no calendar for
      the years it runs through. Such a petition is counted in neither the answered-in-time
      columns nor ``overdue``.

    Limits are counted with ``book`` (default: the bundled limits) on ``calendar`` (or on the
    first of several calendars that covers every year a petition's limits run through);
    without one, on the calendar of the unit's province (Guangxi's: national days plus 三月三),
    and on the national calendar for a petition whose limits run into years the province's
    data lack.

    Raises:
        InvalidValue: ``on`` is not a date.
    """
    on = _check_date("on", on)
    limits = LimitBook.bundled() if book is None else book
    place = Placer(tree)
    width = len(PETITION_COLUMNS)
    own: dict[str, Vector] = {}
    unplaced = later = outside = unknown = 0
    for petition in petitions:
        received = petition.received_on
        if received > on:
            later += 1
            continue
        if period is not None and not period.start <= received <= period.end:
            outside += 1
            continue
        unit = _unit_on(petition, on)
        placed = place(unit)
        if placed is None:
            unplaced += 1
            continue
        vector = _own(own, placed, width)
        status = petition.status_on(on)
        vector[_P["received"]] += 1
        if status not in _FINAL:
            vector[_P["open"]] += 1
        if status is PetitionStatus.NOT_ACCEPTED:
            vector[_P["not_accepted"]] += 1
        if status is PetitionStatus.CLOSED:
            vector[_P["closed"]] += 1
        if any(s.to_status is PetitionStatus.ANSWERED and s.on <= on for s in petition.history):
            vector[_P["answered"]] += 1
        counted = _petition_limits(petition, on, limits, _calendars(calendar, unit))
        if counted is None:
            vector[_P["limit_unknown"]] += 1
            unknown += 1
            continue
        answered, overdue = counted
        if answered is DeadlineStatus.MET:
            vector[_P["answered_on_time"]] += 1
        elif answered is DeadlineStatus.LATE:
            vector[_P["answered_late"]] += 1
        if overdue:
            vector[_P["overdue"]] += 1
    span = "any day" if period is None else f"{period.start.isoformat()} … {period.end.isoformat()}"
    notes = [
        (
            f"petitions registered {span}, as they stood on {on.isoformat()}; each at the body that "
            "had it then (承办单位)"
        ),
        (
            "answered on time = a written answer within the handling limit (60 日; 简易办理 10 "
            "工作日; plus an extension); overdue = a body's duty past its due date (督办): it "
            "decides nothing for the petitioner (逾期不视为同意)"
        ),
    ]
    if later or outside:
        notes.append(
            f"left out: {later} registered after {on.isoformat()}, {outside} outside the period"
        )
    if unknown:
        notes.append(
            f"{unknown} petition(s) whose limits could not be counted (时限无法计算): a limit "
            "without a value (supply it) or no calendar for its years"
        )
    return build_report(
        tree,
        own,
        kind="petitions",
        title="Petitions",
        title_zh="信访事项办理情况",
        columns=PETITION_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=unplaced,
    )


# --- insurance transfers --------------------------------------------------------------------------

_STATES = tuple(InsuranceStatus)
TRANSFER_COLUMNS = (
    _count("transfers", "transfers", "转移接续件数"),
    *(
        _count(state.value.replace("-", "_"), state.value.replace("-", " "), state.label_zh)
        for state in _STATES
    ),
    _count("pending", "not yet continued", "未完成接续"),
    _count("account_overdue", "medical account overdue", "医疗账户逾期未建"),
    _count("limit_unknown", "limit not counted", "时限无法计算"),
    _rate("continued_rate", "continued", "接续完成率", "continued", "transfers"),
)
"""The columns of :func:`transfers_report`: transfers, one column per state on the date
(``order_issued`` … ``continued``, ``stalled``), those not continued, medical accounts opened
late or not yet and overdue, and the share continued."""

_T = {column.key: i for i, column in enumerate(TRANSFER_COLUMNS)}
_STATE_AT = {state: _T[state.value.replace("-", "_")] for state in _STATES}


def _account_overdue(
    transfer: InsuranceTransfer,
    on: dt.date,
    book: LimitBook,
    calendars: Sequence[WorkCalendar],
) -> bool | None:
    """Whether the medical account was due and not opened on ``on``; ``None`` if not counted."""
    received = transfer.reached_on(InsuranceStatus.RECEIVED_BY_AGENCY)
    if received is None or received > on:
        return False
    # Only the medical account's limit: a transfer-in application's limit is a local one.
    plain = attrs.evolve(transfer, application_on=None) if transfer.application_on else transfer
    for calendar in calendars:
        try:
            found = insurance_deadlines(book, plain, calendar=calendar)
        except CalendarDataMissing:
            continue
        except (ParameterError, CalendarRequired):
            return None
        return any(
            d.kind is DeadlineKind.MEDICAL_ACCOUNT
            and d.due_date.status(
                on=on, done_on=d.done_on if d.done_on is not None and d.done_on <= on else None
            )
            is DeadlineStatus.OVERDUE
            for d in found
        )
    return None


def transfers_report(
    tree: DivisionTree,
    transfers: Iterable[InsuranceTransfer],
    *,
    on: dt.date,
    book: LimitBook | None = None,
    calendar: Calendars = None,
) -> Report:
    """Insurance transfers (保险关系转移接续) by their state on ``on``, per destination unit.

    A transfer counts at its ``destination`` (the placement area, 安置地); one without a
    destination, or outside the tree, is ``unplaced``; one whose discharge order comes after
    ``on`` is left out. ``pending`` (未完成接续) = transfers not continued on ``on``, stalled
    ones included. ``account_overdue`` (医疗账户逾期未建): a medical transfer received by the
    agency whose account was not opened by the due date
    (``discharge.medical_account_opening``, 20 天 after receipt: 国办发〔1999〕100号, quoted
    from a procedure page, its article NOT CONFIRMED). The law sets no other count: the army
    and the agency act "及时" (《退役军人保障法》第十八条; 《军人保险法》第三十八条第三款;
    《退役军人安置条例》第八十一条), so nothing else is flagged. ``book`` and ``calendar`` work
    as for :func:`petitions_report`.

    Raises:
        InvalidValue: ``on`` is not a date.
    """
    on = _check_date("on", on)
    limits = LimitBook.bundled() if book is None else book
    place = Placer(tree)
    width = len(TRANSFER_COLUMNS)
    own: dict[str, Vector] = {}
    unplaced = later = unknown = 0
    for transfer in transfers:
        state = transfer.status_on(on)
        if state is None:
            later += 1
            continue
        destination = transfer.destination
        placed = None if destination is None else place(destination)
        if placed is None or destination is None:
            unplaced += 1
            continue
        vector = _own(own, placed, width)
        vector[_T["transfers"]] += 1
        vector[_STATE_AT[state]] += 1
        if state is not InsuranceStatus.CONTINUED:
            vector[_T["pending"]] += 1
        overdue = _account_overdue(transfer, on, limits, _calendars(calendar, destination))
        if overdue is None:
            vector[_T["limit_unknown"]] += 1
            unknown += 1
        elif overdue:
            vector[_T["account_overdue"]] += 1
    notes = [
        f"transfers by their state on {on.isoformat()}, at the destination (安置地)",
        (
            "pending = not continued (stalled included); the law says 及时 and sets no day count, "
            "except 20 天 for the medical account (国办发〔1999〕100号, article NOT CONFIRMED)"
        ),
    ]
    if later:
        notes.append(f"left out: {later} with a discharge order after {on.isoformat()}")
    if unknown:
        notes.append(f"{unknown} transfer(s) whose medical-account limit could not be counted")
    return build_report(
        tree,
        own,
        kind="insurance-transfers",
        title="Insurance transfers",
        title_zh="保险关系转移接续情况",
        columns=TRANSFER_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=unplaced,
    )


# --- 包联 -------------------------------------------------------------------------------------------

BAOLIAN_COLUMNS = (
    _count("assignments", "assignments", "包联安排数"),
    _count("quarters", "assignment-quarters", "包联季度数"),
    _count("with_talk", "quarters with a talk", "有座谈的季度"),
    _count("talks", "talks held", "座谈次数"),
    _count("due", "quarters checked", "应考核季度"),
    _count("met", "met", "已完成"),
    _count("missed", "missed", "未完成"),
    _count("pending", "pending", "未到期"),
    _count("not_checked", "partial quarters not checked", "不完整季度不考核"),
    _count("no_cadence", "no cadence in force", "无考核标准"),
    _rate("met_rate", "met among checked", "完成率", "met", "due"),
    _rate("talk_rate", "quarters with a talk", "有座谈季度占比", "with_talk", "quarters"),
)
"""The columns of :func:`baolian_report`: assignments, assignment-quarters and talks, how the
checked quarters went, the quarters not checked and why, and two rates."""

_B = {column.key: i for i, column in enumerate(BAOLIAN_COLUMNS)}
_STATUS_AT = {
    BaolianStatus.MET: _B["met"],
    BaolianStatus.MISSED: _B["missed"],
    BaolianStatus.PENDING: _B["pending"],
}


def _quarters(period: Period) -> list[Quarter]:
    quarter = Quarter.containing(period.start)
    found = []
    while quarter.start <= period.end:
        found.append(quarter)
        quarter = quarter.next()
    return found


def baolian_report(
    tree: DivisionTree,
    assignments: Iterable[ContactAssignment],
    talks: Iterable[BaolianTalk],
    *,
    period: Period,
    as_of: dt.date,
    partial: PartialQuarters = PartialQuarters.EXEMPT,
    talks_per_quarter: int | None = None,
) -> Report:
    """包联 talks per area: every assignment's calendar quarters in ``period``, as of ``as_of``.

    The rows are those of :func:`~veteran_affairs.casework.leaders.baolian_compliance` (one per
    assignment and quarter it was in force), counted at the assignment's area:

    * ``assignments``: assignments with a quarter in the period; ``quarters`` their
      assignment-quarters; ``with_talk`` those with a talk held in the window; ``talks`` the
      talks held (by ``as_of``);
    * a checked quarter is ``met``, ``missed`` or ``pending`` (``due`` = met + missed);
    * ``not_checked``: a quarter the assignment covers only in part, under ``partial``;
    * ``no_cadence``: a quarter for which no cadence is in force: the bundled one
      (:data:`~veteran_affairs.casework.leaders.TALKS_PER_QUARTER`, 1 talk a quarter, from the
      Guangxi seed article of 2021-02-03: REPOST, not re-verified) is in force from that day
      only, so quarters ending before it are not checked unless you give
      ``talks_per_quarter``. Their talks are still counted.

    ``met_rate`` = met ÷ due; ``talk_rate`` = with_talk ÷ quarters (a fact, whatever the cadence).

    Raises:
        InconsistentRecord: an assignment or talk id given twice, or a talk outside its
            assignment (as ``baolian_compliance`` does).
        InvalidValue: ``as_of`` is not a date.
    """
    as_of = _check_date("as_of", as_of)
    chosen = list(assignments)
    held = list(talks)
    rows: list[tuple[BaolianRow, bool]] = []
    for quarter in _quarters(period):
        try:
            found = baolian_compliance(
                chosen,
                held,
                quarter,
                as_of=as_of,
                partial=partial,
                talks_per_quarter=talks_per_quarter,
            )
            rows.extend((row, True) for row in found)
        except ParameterNotInForce:
            # No cadence in force for this quarter: count its rows and talks, check nothing.
            found = baolian_compliance(
                chosen, held, quarter, as_of=as_of, partial=partial, talks_per_quarter=1
            )
            rows.extend((row, False) for row in found)
    place = Placer(tree)
    width = len(BAOLIAN_COLUMNS)
    own: dict[str, Vector] = {}
    seen: set[str] = set()
    unplaced = no_cadence = 0
    for row, checked in rows:
        placed = place(row.area)
        if placed is None:
            unplaced += 1
            continue
        vector = _own(own, placed, width)
        if row.assignment_id not in seen:
            seen.add(row.assignment_id)
            vector[_B["assignments"]] += 1
        vector[_B["quarters"]] += 1
        vector[_B["talks"]] += row.talks
        if row.talks:
            vector[_B["with_talk"]] += 1
        if row.status is BaolianStatus.NOT_DUE:
            vector[_B["not_checked"]] += 1
        elif not checked:
            vector[_B["no_cadence"]] += 1
            no_cadence += 1
        else:
            vector[_STATUS_AT[row.status]] += 1
            if row.status is not BaolianStatus.PENDING:
                vector[_B["due"]] += 1
    first = TALKS_PER_QUARTER.versions[0].effective_from.isoformat()
    cadence = (
        f"{talks_per_quarter} talk(s) a quarter (given)"
        if talks_per_quarter is not None
        else f"{TALKS_PER_QUARTER.key}: 1 talk a quarter from {first} (Guangxi seed article, "
        "REPOST, not re-verified)"
    )
    notes = [
        (
            f"calendar quarters {period.start.isoformat()} … {period.end.isoformat()}, talks held "
            f"by {as_of.isoformat()}; cadence: {cadence}"
        ),
        f"partial quarters: {partial.value} ({partial.label_zh}); due = met + missed",
    ]
    if no_cadence:
        notes.append(
            f"{no_cadence} assignment-quarter(s) with no cadence in force not checked (无考核标准): "
            "give a cadence of your own to check them (talks_per_quarter; the command line's "
            "--talks-per-quarter N)"
        )
    return build_report(
        tree,
        own,
        kind="baolian",
        title="Leaders' contact talks",
        title_zh="领导包联座谈落实情况",
        columns=BAOLIAN_COLUMNS,
        as_of=as_of,
        notes=notes,
        unplaced=unplaced,
    )


# --- the other registers ----------------------------------------------------------------------------

REGISTER_COLUMNS = (
    _count("legacy_cases", "legacy cases", "历史遗留问题件数"),
    _count("legacy_open", "open", "在办"),
    _count("legacy_resolved", "resolved", "已化解"),
    _count("legacy_referred_unresolvable", "referred or unresolvable", "已移交或暂无法化解"),
    _count("legacy_milestone_overdue", "milestone overdue", "化解节点逾期"),
    _count("requests", "requests registered", "诉求登记件数"),
    _count("requests_open", "open", "在办诉求"),
    _count("requests_closed", "closed after follow-up", "回访办结"),
    _count("requests_escalated", "escalated", "已转办"),
    _count("sessions", "reception days held", "领导接待日场次"),
    _count("visitors", "visitors", "接待人次"),
    _count("enrolments", "training enrolments", "参加培训人次"),
    _count("enrolments_completed", "completed", "已结业"),
    _count("enrolments_certified", "certified", "取得证书"),
    _count("employment", "employment records in force", "就业情况记录"),
    _count("public_welfare_posts", "on a public-welfare post", "公益性岗位安置"),
)
"""The columns of :func:`registers_report`: counts only, five groups — legacy cases, contact
requests, reception days, training enrolments, employment records."""

_R = {column.key: i for i, column in enumerate(REGISTER_COLUMNS)}
_HANDED_ON = frozenset({LegacyStatus.REFERRED, LegacyStatus.UNRESOLVABLE})


def _request_unit(request: Request, on: dt.date) -> DivisionCode:
    """The unit handling the request on ``on``: its handler once assigned by then, else the
    unit of the contact that opened it."""
    assigned = any(s.to_status is RequestStatus.ASSIGNED and s.on <= on for s in request.history)
    if assigned and request.handler is not None:
        return request.handler
    return request.contact.unit


def registers_report(
    tree: DivisionTree,
    *,
    on: dt.date,
    period: Period,
    legacy_cases: Iterable[LegacyCase] = (),
    requests: Iterable[Request] = (),
    sessions: Iterable[ReceptionSession] = (),
    enrolments: Iterable[TrainingEnrolment] = (),
    employment: Iterable[EmploymentRecord] = (),
) -> Report:
    """Counts from the other casework registers (台账统计), per unit, as they stand on ``on``.

    Each record counts once, at its unit, placed on the tree; a record with no unit or
    outside the tree is ``unplaced``. Nothing is known after ``on``: a record dated later is
    left out, a step or completion dated later is not yet counted.

    * legacy cases (历史遗留问题, at ``responsible_unit``): every case identified by ``on``
      (``legacy_cases``), by its state on ``on``: ``legacy_open`` (not in a final state),
      ``legacy_resolved`` (已化解), ``legacy_referred_unresolvable`` (已移交 or 暂无法化解);
      the rest were found unfounded (经核实不属实). ``legacy_milestone_overdue``: open cases
      with a plan milestone past its target day and not done on ``on``
      (:attr:`LegacyFlag.MILESTONE_OVERDUE <veteran_affairs.casework.legacy.LegacyFlag>`);
      the milestones are the plan's own dates, not a legal limit;
    * contact requests (诉求, at their handler once assigned by ``on``, else the contact's
      unit): those registered in ``period`` (``requests``), by their state on ``on``:
      ``requests_open``, ``requests_closed`` (回访办结), ``requests_escalated`` (转办); the rest
      were withdrawn;
    * reception days (领导接待日, at ``unit``): sessions held in ``period`` (``sessions``) and
      their ``visitors``;
    * training (教育培训, at ``unit``): enrolments in ``period`` (``enrolments``), those
      completed by ``on`` and those certified (结业取得证书) by ``on``;
    * employment (就业情况, at ``unit``): records in force on ``on`` (``employment``), those on a
      public-welfare post (公益性岗位, 《退役军人安置条例》(2024) 第六十七条第二款).

    The report counts and judges nothing: no time limit is applied (the review interval of a
    legacy case and the answer limit of a request have no value in the bundled limits, and
    none is guessed; :func:`~veteran_affairs.casework.legacy.LegacyCase.flags` with your own
    ``LimitBook`` applies them).

    Raises:
        InvalidValue: ``on`` is not a date.
    """
    on = _check_date("on", on)
    place = Placer(tree)
    width = len(REGISTER_COLUMNS)
    own: dict[str, Vector] = {}
    unplaced: dict[str, int] = {}
    left_out = 0

    def vector_at(unit: DivisionCode | None, what: str) -> Vector | None:
        placed = None if unit is None else place(unit)
        if placed is None:
            unplaced[what] = unplaced.get(what, 0) + 1
            return None
        return _own(own, placed, width)

    def in_period(day: dt.date) -> bool:
        return period.start <= day <= period.end and day <= on

    for case in legacy_cases:
        status = case.status_on(on)
        if status is None:
            left_out += 1
            continue
        vector = vector_at(case.responsible_unit, "legacy cases")
        if vector is None:
            continue
        vector[_R["legacy_cases"]] += 1
        if not status.final:
            vector[_R["legacy_open"]] += 1
        elif status is LegacyStatus.RESOLVED:
            vector[_R["legacy_resolved"]] += 1
        elif status in _HANDED_ON:
            vector[_R["legacy_referred_unresolvable"]] += 1
        if LegacyFlag.MILESTONE_OVERDUE in case.flags(on):
            vector[_R["legacy_milestone_overdue"]] += 1
    for request in requests:
        if not in_period(request.registered_on):
            left_out += 1
            continue
        vector = vector_at(_request_unit(request, on), "requests")
        if vector is None:
            continue
        state = request.status_on(on)
        assert state is not None
        vector[_R["requests"]] += 1
        if not state.final:
            vector[_R["requests_open"]] += 1
        elif state is RequestStatus.CLOSED:
            vector[_R["requests_closed"]] += 1
        elif state is RequestStatus.ESCALATED:
            vector[_R["requests_escalated"]] += 1
    for session in sessions:
        if not in_period(session.held_on):
            left_out += 1
            continue
        vector = vector_at(session.unit, "reception days")
        if vector is None:
            continue
        vector[_R["sessions"]] += 1
        vector[_R["visitors"]] += session.visitors
    for enrolment in enrolments:
        if not in_period(enrolment.enrolled_on):
            left_out += 1
            continue
        vector = vector_at(enrolment.unit, "enrolments")
        if vector is None:
            continue
        completed = enrolment.completed_on is not None and enrolment.completed_on <= on
        vector[_R["enrolments"]] += 1
        vector[_R["enrolments_completed"]] += completed
        vector[_R["enrolments_certified"]] += completed and enrolment.certified
    for record in employment:
        if not record.covers(on):
            left_out += 1
            continue
        vector = vector_at(record.unit, "employment records")
        if vector is None:
            continue
        vector[_R["employment"]] += 1
        if record.status is EmploymentStatus.PUBLIC_WELFARE_POST:
            vector[_R["public_welfare_posts"]] += 1
    span = f"{period.start.isoformat()} … {period.end.isoformat()}"
    notes = [
        (
            f"as of {on.isoformat()}: legacy cases identified by then and employment records in "
            f"force then; requests registered, reception days held and enrolments made {span} "
            "(by that day)"
        ),
        (
            "counts only: no time limit applied (a legacy milestone is the plan's own date); "
            "requests at their handler once assigned, else at the contact's unit"
        ),
    ]
    if left_out:
        notes.append(f"left out: {left_out} record(s) dated outside those days")
    if unplaced:
        where = ", ".join(f"{count} {what}" for what, count in unplaced.items())
        notes.append(f"counted nowhere (no unit, or outside the tree): {where}")
    return build_report(
        tree,
        own,
        kind="registers",
        title="Casework registers",
        title_zh="业务台账统计",
        columns=REGISTER_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=sum(unplaced.values()),
    )
