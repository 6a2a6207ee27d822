"""Requests opened by a contact (诉求办理): a visit, a call or a counter reception that leads
somewhere, followed up and closed.

A :class:`Contact` is the meeting itself: its channel (:class:`ContactChannel`), day, unit and,
where it was recorded as one, the :class:`~veteran_affairs.models.Activity` it belongs to
(:meth:`Contact.from_activity`). When the person asks for something, the contact opens a
:class:`Request`, which moves through a working order of steps (:data:`TRANSITIONS`):

registered (登记) → assigned (交办, in hand) → answered (答复) → closed (回访办结),

with a withdrawal (撤回) before the answer, an escalation (转办) into a petition (信访事项) or a
legacy case (:mod:`~veteran_affairs.casework.legacy`) at any open step, and a reopening
(answered → assigned) when the follow-up finds the matter not settled. No step skips a state:
a request is answered only once it is in hand, and closed only once answered. Closure needs a
follow-up (:class:`FollowUp`, 回访) on or after the last answer: the loop 发现 → 登记 → 化解 →
回访 that local practice reports (广德, 2025; CASEWORK.md §2, REPOST). This order is the
library's working model, **not law**: no national rule for such requests was found.

**Time limits are yours to supply.** No limit for answering a request or for the follow-up
call was found (CASEWORK.md §4.4, §7: tracking cadences NOT FOUND); a request is not a petition,
so the 信访 limits do not apply to it. :data:`ANSWER_LIMIT` (``request.answer``) and
:data:`FOLLOW_UP_LIMIT` (``request.follow_up``) ship without values and are counted by
:func:`~veteran_affairs.casework.deadlines.due` once supplied.

>>> import datetime as dt
>>> from veteran_affairs.identity import DivisionCode
>>> contact = Contact(channel=ContactChannel.PHONE, on=dt.date(2025, 3, 3),
...                   unit=DivisionCode("450312101"))
>>> request = Request.open(request_id="RQ-1", contact=contact, topic="优待证办理进度",
...                        actor="station-01")
>>> request = request.assign(on=dt.date(2025, 3, 3), actor="station-01",
...                          handler=DivisionCode("450312"))
>>> request.status.label_zh
'办理中'
>>> request.close(on=dt.date(2025, 3, 10), actor="station-01")
Traceback (most recent call last):
...
veteran_affairs.errors.IllegalTransition: request RQ-1: cannot go from 'assigned' to 'closed' (不允许的状态变更): a request is closed only once answered
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import (
    check_history,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.casework.deadlines import (
    DayCount,
    DeadlineStatus,
    DueDate,
    LimitBook,
    TimeLimit,
    due,
)
from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.errors import IllegalTransition, InconsistentRecord, InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models.activity import Activity, ActivityKind
from veteran_affairs.parameters import Citation, Parameter

__all__ = [
    "ANSWER_LIMIT",
    "FOLLOW_UP_LIMIT",
    "LIMITS",
    "STATUS_RANK",
    "TRANSITIONS",
    "Contact",
    "ContactChannel",
    "Escalation",
    "EscalationKind",
    "FollowUp",
    "Request",
    "RequestFlag",
    "RequestStatus",
    "RequestStep",
]


def __dir__() -> list[str]:
    return __all__


# --- contacts ------------------------------------------------------------------------------


class ContactChannel(enum.Enum):
    """How the person was met (接触方式)."""

    HOME_VISIT = "home-visit"  # 上门走访
    PHONE = "phone"  # 电话沟通
    COUNTER = "counter"  # 窗口接待
    RECEPTION_DAY = "reception-day"  # 领导接待日
    SYMPOSIUM = "symposium"  # 座谈会（包联座谈）

    @property
    def label_zh(self) -> str:
        return _CHANNEL_ZH[self]

    @property
    def activity_kind(self) -> ActivityKind:
        """The kind of :class:`~veteran_affairs.models.Activity` that records such a contact."""
        return _CHANNEL_KIND[self]

    @classmethod
    def of_activity(cls, kind: ActivityKind) -> ContactChannel:
        """The channel of an activity kind.

        Raises:
            InvalidValue: the kind is not a contact (a dispatch meeting, a report…).
        """
        for channel, known in _CHANNEL_KIND.items():
            if known is kind:
                return channel
        raise InvalidValue(
            "activity.kind",
            getattr(kind, "value", type(kind).__name__),
            "is not a contact with a person (visit, call, counter, reception day, symposium)",
            "该活动类型不是与人员的接触",
        )


_CHANNEL_ZH = {
    ContactChannel.HOME_VISIT: "上门走访",
    ContactChannel.PHONE: "电话沟通",
    ContactChannel.COUNTER: "窗口接待",
    ContactChannel.RECEPTION_DAY: "领导接待日",
    ContactChannel.SYMPOSIUM: "座谈会",
}
_CHANNEL_KIND = {
    ContactChannel.HOME_VISIT: ActivityKind.HOME_VISIT,
    ContactChannel.PHONE: ActivityKind.PHONE_CONTACT,
    ContactChannel.COUNTER: ActivityKind.COUNTER_RECEPTION,
    ContactChannel.RECEPTION_DAY: ActivityKind.RECEPTION_DAY,
    ContactChannel.SYMPOSIUM: ActivityKind.SYMPOSIUM,
}


@attrs.frozen(kw_only=True, repr=False)
class Contact:
    """One contact with a person (一次接触): channel, day, the unit that made it.

    ``activity_id`` names the :class:`~veteran_affairs.models.Activity` that records it, when
    there is one; ``person`` is who was met, when known. ``repr`` shows no date (it may stand
    beside the masked identity number).
    """

    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    on: dt.date = attrs.field(validator=past_date)
    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    activity_id: str | None = attrs.field(default=None, validator=optional(text(max_length=64)))
    person: ResidentId | None = attrs.field(
        default=None, validator=optional(instance_of(ResidentId))
    )

    def __repr__(self) -> str:
        return (
            f"Contact(channel={self.channel.name}, unit={self.unit}, "
            f"activity_id={self.activity_id!r}, person={self.person!r})"
        )

    @classmethod
    def from_activity(cls, activity: Activity, *, person: ResidentId | None = None) -> Contact:
        """The contact an activity records, with ``person`` if given.

        Raises:
            InvalidValue: the activity is not a contact.
            InconsistentRecord: the activity lists its contacts and ``person`` is not among
                them.
        """
        channel = ContactChannel.of_activity(activity.kind)
        if person is not None and activity.contacts and person not in activity.contacts:
            raise InconsistentRecord(
                "person/activity.contacts",
                person.masked,
                f"not among the persons activity {activity.activity_id} lists",
                "该人员不在活动所列联系人中",
            )
        return cls(
            channel=channel,
            on=activity.held_on,
            unit=activity.unit,
            activity_id=activity.activity_id,
            person=person,
        )


@attrs.frozen(kw_only=True)
class FollowUp:
    """A follow-up contact on a request (跟进、回访): how, when, by whom, and whether the person
    said the matter was settled (``satisfied``, unknown if ``None``)."""

    on: dt.date = attrs.field(validator=past_date)
    channel: ContactChannel = attrs.field(validator=instance_of(ContactChannel))
    actor: str = attrs.field(validator=text(max_length=100))
    satisfied: bool | None = attrs.field(default=None, validator=optional(instance_of(bool)))
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))


class EscalationKind(enum.Enum):
    """What a request was escalated into (转办去向)."""

    PETITION = "petition"  # 转为信访事项
    LEGACY_CASE = "legacy-case"  # 纳入历史遗留问题台账

    @property
    def label_zh(self) -> str:
        return {"petition": "转为信访事项", "legacy-case": "纳入历史遗留问题台账"}[self.value]


@attrs.frozen(kw_only=True)
class Escalation:
    """Where a request went: the id of the petition or legacy case it became."""

    kind: EscalationKind = attrs.field(validator=instance_of(EscalationKind))
    target_id: str = attrs.field(validator=text(max_length=64))


# --- limits --------------------------------------------------------------------------------

_NOT_FOUND = Citation(
    document="CASEWORK.md §4.4, §7",
    note="no national or Guangxi limit for answering a request or for the follow-up was "
    "found; the 信访 limits apply to petitions, not to these requests",
)


def _user_limit(key: str, label_zh: str, label_en: str, supply: str) -> TimeLimit:
    return TimeLimit(
        key=key,
        count=DayCount.CALENDAR_DAY,
        parameter=Parameter(
            key=key,
            label_zh=label_zh,
            label_en=label_en,
            unit=DayCount.CALENDAR_DAY.value,
            supply=supply,
            basis=_NOT_FOUND,
        ),
    )


ANSWER_LIMIT = _user_limit(
    "request.answer",
    "诉求答复时限",
    "days from a request's registration to its answer",
    'supply the days to answer from your own work rules (LimitBook.with_values({"request.answer": '
    "15})); none was found (CASEWORK.md §7)",
)
"""Days from registration to the first answer (诉求答复时限): **shipped without a value**."""

FOLLOW_UP_LIMIT = _user_limit(
    "request.follow_up",
    "答复后回访时限",
    "days from a request's latest answer to the follow-up",
    "supply the days to the follow-up call from your own work rules "
    '(LimitBook.with_values({"request.follow_up": 7})); none was found (CASEWORK.md §7)',
)
"""Days from the latest answer to the follow-up (回访时限): **shipped without a value**."""

LIMITS = LimitBook(limits={ANSWER_LIMIT.key: ANSWER_LIMIT, FOLLOW_UP_LIMIT.key: FOLLOW_UP_LIMIT})
"""This module's time limits, both without values: supply them with
``LIMITS.with_values({"request.answer": 15, "request.follow_up": 7})`` (or layer ``LIMITS`` on
:meth:`LimitBook.bundled <veteran_affairs.casework.deadlines.LimitBook.bundled>`)."""


# --- states ---------------------------------------------------------------------------------


class RequestStatus(enum.Enum):
    """States of a request (诉求办理状态)."""

    REGISTERED = "registered"  # 已登记
    ASSIGNED = "assigned"  # 办理中（已交办）
    ANSWERED = "answered"  # 已答复
    CLOSED = "closed"  # 回访办结
    ESCALATED = "escalated"  # 已转办
    WITHDRAWN = "withdrawn"  # 已撤回

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def final(self) -> bool:
        """No step leads out of a final state."""
        return not TRANSITIONS[self]


_STATUS_ZH = {
    RequestStatus.REGISTERED: "已登记",
    RequestStatus.ASSIGNED: "办理中",
    RequestStatus.ANSWERED: "已答复",
    RequestStatus.CLOSED: "回访办结",
    RequestStatus.ESCALATED: "已转办",
    RequestStatus.WITHDRAWN: "已撤回",
}

TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.REGISTERED: frozenset(
        {RequestStatus.ASSIGNED, RequestStatus.ESCALATED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.ASSIGNED: frozenset(
        {RequestStatus.ANSWERED, RequestStatus.ESCALATED, RequestStatus.WITHDRAWN}
    ),
    # A follow-up that finds the matter unsettled reopens it (back in hand) or escalates it.
    RequestStatus.ANSWERED: frozenset(
        {RequestStatus.CLOSED, RequestStatus.ASSIGNED, RequestStatus.ESCALATED}
    ),
    RequestStatus.CLOSED: frozenset(),
    RequestStatus.ESCALATED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}
"""The allowed steps: state → the states it may move to."""

STATUS_RANK: dict[RequestStatus, int] = {
    RequestStatus.REGISTERED: 0,
    RequestStatus.ASSIGNED: 1,
    RequestStatus.ESCALATED: 1,
    RequestStatus.WITHDRAWN: 1,
    RequestStatus.ANSWERED: 2,
    RequestStatus.CLOSED: 3,
}
"""How far along the main line (registered, assigned, answered, closed) a state lies; every
allowed step raises it by at most one (a reopening lowers it): no step skips a state."""

_WHY = {
    RequestStatus.REGISTERED: "a request is registered once, when it is opened",
    RequestStatus.ASSIGNED: "a request is put in hand after it is registered, or reopened "
    "after an answer",
    RequestStatus.ANSWERED: "a request is answered only once it is in hand",
    RequestStatus.CLOSED: "a request is closed only once answered",
    RequestStatus.ESCALATED: "only an open request is escalated",
    RequestStatus.WITHDRAWN: "a request is withdrawn only before it is answered",
}


@attrs.frozen(kw_only=True)
class RequestStep:
    """One dated step of a request, with who took it (the first has no ``from_status``)."""

    to_status: RequestStatus = attrs.field(validator=instance_of(RequestStatus))
    on: dt.date = attrs.field(validator=past_date)
    actor: str = attrs.field(validator=text(max_length=100))
    from_status: RequestStatus | None = attrs.field(
        default=None, validator=optional(instance_of(RequestStatus))
    )
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))


class RequestFlag(enum.Enum):
    """What is overdue on an open request (逾期提示)."""

    ANSWER_OVERDUE = "answer-overdue"  # 答复逾期
    FOLLOW_UP_OVERDUE = "follow-up-overdue"  # 回访逾期

    @property
    def label_zh(self) -> str:
        return {"answer-overdue": "答复逾期", "follow-up-overdue": "回访逾期"}[self.value]


# --- the request ---------------------------------------------------------------------------


def _check_history(request: Request) -> None:
    check_history(
        f"request {request.request_id}",
        request.history,
        first=RequestStatus.REGISTERED,
        transitions=TRANSITIONS,
        missing=("a request starts with its registration", "缺少登记记录"),
        begins="a request begins with its registration",
        why=_WHY,
    )


@attrs.frozen(kw_only=True, repr=False)
class Request:
    """A request a contact opened (诉求), with its steps, follow-ups and closure.

    Attributes:
        request_id: the register's number.
        contact: the contact that opened it; registration is on or after its day.
        topic: what was asked, in a line.
        history: the dated steps, starting with the registration.
        handler: the unit that has it in hand (承办单位): set when it is assigned.
        follow_ups: the follow-up contacts, in date order, none before the registration nor
            after the request was closed, escalated or withdrawn.
        escalation: where it went: given with the escalation, and only then.

    Invariants: the history starts with the registration and every step is an allowed
    transition dated no earlier than the one before; a closed request has a follow-up on or
    after its last answer and no later than its closure. ``repr`` shows no date and no person
    beyond the contact's masked number.
    """

    request_id: str = attrs.field(validator=text(max_length=64))
    contact: Contact = attrs.field(validator=instance_of(Contact))
    topic: str = attrs.field(validator=text(max_length=500))
    history: tuple[RequestStep, ...] = attrs.field(validator=tuple_of(RequestStep))
    handler: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )
    follow_ups: tuple[FollowUp, ...] = attrs.field(default=(), validator=tuple_of(FollowUp))
    escalation: Escalation | None = attrs.field(
        default=None, validator=optional(instance_of(Escalation))
    )

    def __attrs_post_init__(self) -> None:
        _check_history(self)
        if self.registered_on < self.contact.on:
            raise InconsistentRecord(
                "contact.on/history[0].on",
                f"{self.contact.on.isoformat()}/{self.registered_on.isoformat()}",
                "a request cannot be registered before the contact that opened it",
                "登记日期早于接触日期",
            )
        days = [f.on for f in self.follow_ups]
        if days != sorted(days):
            raise InconsistentRecord(
                "follow_ups", f"{len(days)} follow-ups", "must be in date order", "回访须按日期排列"
            )
        if days and days[0] < self.registered_on:
            raise InconsistentRecord(
                "follow_ups[0].on",
                days[0].isoformat(),
                "a follow-up before the registration",
                "回访日期早于登记日期",
            )
        closed = self.closed_on
        if days and closed is not None and days[-1] > closed:
            raise InconsistentRecord(
                "follow_ups[-1].on",
                days[-1].isoformat(),
                f"a follow-up after the request ended ({closed.isoformat()})",
                "回访日期晚于办结日期",
            )
        assigned = any(s.to_status is RequestStatus.ASSIGNED for s in self.history)
        if assigned != (self.handler is not None):
            raise InconsistentRecord(
                "handler/history",
                str(self.handler),
                "the handling unit is set when the request is assigned, and only then",
                "承办单位在交办时确定",
            )
        if (self.status is RequestStatus.ESCALATED) != (self.escalation is not None):
            raise InconsistentRecord(
                "escalation/status",
                f"{self.escalation and self.escalation.kind.value}/{self.status.value}",
                "the escalation is given when the request is escalated, and only then",
                "转办去向仅在转办时填写",
            )
        if self.status is RequestStatus.CLOSED:
            answered = self.last_answered_on
            assert answered is not None
            assert closed is not None
            if not any(answered <= day <= closed for day in days):
                raise InconsistentRecord(
                    "follow_ups/status",
                    f"{len(days)} follow-ups",
                    "a request is closed after a follow-up on or after its last answer",
                    "办结前须在答复后回访",
                )

    def __repr__(self) -> str:
        escalation = self.escalation
        went = "" if escalation is None else f", escalated_to={escalation.kind.name}"
        return (
            f"Request(request_id={self.request_id!r}, contact={self.contact!r}, "
            f"status={self.status.name}, handler={self.handler}, "
            f"follow_ups={len(self.follow_ups)}{went})"
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def status(self) -> RequestStatus:
        return self.history[-1].to_status

    @property
    def registered_on(self) -> dt.date:
        return self.history[0].on

    @property
    def first_answered_on(self) -> dt.date | None:
        """The day of its first answer, if any."""
        return next((s.on for s in self.history if s.to_status is RequestStatus.ANSWERED), None)

    @property
    def last_answered_on(self) -> dt.date | None:
        """The day of its latest answer, if any."""
        answers = [s.on for s in self.history if s.to_status is RequestStatus.ANSWERED]
        return answers[-1] if answers else None

    @property
    def closed_on(self) -> dt.date | None:
        """The day it was closed, escalated or withdrawn, if it was."""
        last = self.history[-1]
        return last.on if last.to_status.final else None

    def status_on(self, on: dt.date) -> RequestStatus | None:
        """The state on ``on`` (``None`` before the registration)."""
        current = None
        for step in self.history:
            if step.on > on:
                break
            current = step.to_status
        return current

    def answer_due(self, book: LimitBook, *, calendar: WorkCalendar | None = None) -> DueDate:
        """When the first answer is due: ``request.answer`` from the registration.

        ``.status(on=..., done_on=request.first_answered_on)`` says whether it was met.

        Raises:
            ParameterMissing: ``book`` has no value for ``request.answer``.
        """
        return due(book, ANSWER_LIMIT.key, self.registered_on, calendar=calendar)

    def follow_up_due(
        self, book: LimitBook, *, on: dt.date, calendar: WorkCalendar | None = None
    ) -> tuple[DueDate, dt.date | None] | None:
        """When the follow-up on the latest answer known on ``on`` is due, and the day of the
        first follow-up on or after that answer (``None`` if none yet by ``on``).

        ``None`` when no answer was given by ``on``.

        Raises:
            ParameterMissing: ``book`` has no value for ``request.follow_up``.
        """
        answers = [
            s.on for s in self.history if s.to_status is RequestStatus.ANSWERED and s.on <= on
        ]
        if not answers:
            return None
        answered = answers[-1]
        limit = due(book, FOLLOW_UP_LIMIT.key, answered, calendar=calendar, on=answered)
        done = next((f.on for f in self.follow_ups if answered <= f.on <= on), None)
        return limit, done

    def flags(
        self, book: LimitBook, *, on: dt.date, calendar: WorkCalendar | None = None
    ) -> frozenset[RequestFlag]:
        """What is overdue on ``on``: the answer (not answered by its due date) or the
        follow-up on the latest answer. Nothing for a request escalated or withdrawn by then,
        or not yet registered.

        Raises:
            ParameterMissing: ``book`` lacks a value this request needs.
        """
        return frozenset(flag for flag, _ in self.overdue_limits(book, on=on, calendar=calendar))

    def overdue_limits(
        self, book: LimitBook, *, on: dt.date, calendar: WorkCalendar | None = None
    ) -> tuple[tuple[RequestFlag, DueDate], ...]:
        """Each limit overdue on ``on`` with its due date: what :meth:`flags` names (督办).

        Raises:
            ParameterMissing: ``book`` lacks a value this request needs.
        """
        status = self.status_on(on)
        if status is None or status in (RequestStatus.ESCALATED, RequestStatus.WITHDRAWN):
            return ()
        found: list[tuple[RequestFlag, DueDate]] = []
        answered = self.first_answered_on
        if status in (RequestStatus.REGISTERED, RequestStatus.ASSIGNED) and (
            answered is None or answered > on
        ):
            answer = self.answer_due(book, calendar=calendar)
            if answer.status(on=on) is DeadlineStatus.OVERDUE:
                found.append((RequestFlag.ANSWER_OVERDUE, answer))
        if status is RequestStatus.ANSWERED:
            pending = self.follow_up_due(book, on=on, calendar=calendar)
            assert pending is not None
            limit, done = pending
            if limit.status(on=on, done_on=done) is DeadlineStatus.OVERDUE:
                found.append((RequestFlag.FOLLOW_UP_OVERDUE, limit))
        return tuple(found)

    # --- steps -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        request_id: str,
        contact: Contact,
        topic: str,
        actor: str,
        on: dt.date | None = None,
        note: str | None = None,
    ) -> Request:
        """Register a request opened by ``contact`` (登记), on ``on`` or the contact's day."""
        day = contact.on if on is None else on
        return cls(
            request_id=request_id,
            contact=contact,
            topic=topic,
            history=(
                RequestStep(to_status=RequestStatus.REGISTERED, on=day, actor=actor, note=note),
            ),
        )

    def advance(
        self,
        to: RequestStatus,
        *,
        on: dt.date,
        actor: str,
        note: str | None = None,
        handler: DivisionCode | None = None,
        escalation: Escalation | None = None,
        follow_up: FollowUp | None = None,
    ) -> Request:
        """Take one step to ``to``; raises :class:`IllegalTransition` if it is not allowed."""
        current = self.status
        if to not in TRANSITIONS[current]:
            raise IllegalTransition(f"request {self.request_id}", current.value, to.value, _WHY[to])
        step = RequestStep(from_status=current, to_status=to, on=on, actor=actor, note=note)
        return attrs.evolve(
            self,
            history=(*self.history, step),
            handler=self.handler if handler is None else handler,
            escalation=escalation,
            follow_ups=self.follow_ups if follow_up is None else (*self.follow_ups, follow_up),
        )

    def assign(
        self, *, on: dt.date, actor: str, handler: DivisionCode, note: str | None = None
    ) -> Request:
        """Put it in the hands of ``handler`` (交办), or back in hand after an answer the
        follow-up found wanting (reopened)."""
        return self.advance(RequestStatus.ASSIGNED, on=on, actor=actor, note=note, handler=handler)

    def answer(self, *, on: dt.date, actor: str, note: str | None = None) -> Request:
        """Answered (答复)."""
        return self.advance(RequestStatus.ANSWERED, on=on, actor=actor, note=note)

    def close(
        self,
        *,
        on: dt.date,
        actor: str,
        follow_up: FollowUp | None = None,
        note: str | None = None,
    ) -> Request:
        """Closed after the follow-up (回访办结); give the follow-up here if it is not yet
        recorded."""
        return self.advance(
            RequestStatus.CLOSED, on=on, actor=actor, note=note, follow_up=follow_up
        )

    def escalate(
        self,
        *,
        into: EscalationKind,
        target_id: str,
        on: dt.date,
        actor: str,
        note: str | None = None,
    ) -> Request:
        """Escalated into petition ``target_id`` or legacy case ``target_id`` (转办)."""
        return self.advance(
            RequestStatus.ESCALATED,
            on=on,
            actor=actor,
            note=note,
            escalation=Escalation(kind=into, target_id=target_id),
        )

    def withdraw(self, *, on: dt.date, actor: str, note: str | None = None) -> Request:
        """Withdrawn by the person before an answer (撤回)."""
        return self.advance(RequestStatus.WITHDRAWN, on=on, actor=actor, note=note)

    def record_follow_up(self, follow_up: FollowUp) -> Request:
        """Add a follow-up contact while the request is open."""
        if not isinstance(follow_up, FollowUp):
            raise InvalidValue("follow_up", type(follow_up).__name__, "must be a FollowUp")
        status = self.status_on(follow_up.on)
        if status is None or self.status.final:
            raise IllegalTransition(
                f"request {self.request_id}",
                "not registered" if status is None else self.status.value,
                "follow-up",
                "a follow-up is recorded on an open request",
            )
        return attrs.evolve(self, follow_ups=(*self.follow_ups, follow_up))
