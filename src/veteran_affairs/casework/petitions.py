"""Petitions (信访) and rights protection (权益维护): the case, its steps and its time limits.

Governing text: 《信访工作条例》 (中共中央、国务院, in force 2022-05-01; its full text was not found,
its limits come from government pages quoting single articles), and before it the 2005
《信访条例》 (国务院令第431号, in force 2005-05-01, quoted from a reprint). No national procedure
specific to veterans was found (``CASEWORK.md`` §1.7): the general one applies.

A :class:`Petition` is a value. Each step returns a new petition with one more dated
:class:`PetitionStep` in its history; a step the current state does not allow raises
:class:`~veteran_affairs.errors.IllegalTransition`. The states (:class:`PetitionStatus`)::

    received ─▶ routed ⇄ objected
    received, routed, objected ─▶ accepted ─▶ [extended, once] ─▶ answered ─▶ closed
    received, routed ─▶ not accepted (also: a statutory route, 行政复议, 诉讼, 仲裁 …)
    answered ─▶ review requested ─▶ reviewed ─▶ closed
    reviewed ─▶ re-review requested ─▶ [hearing held] ─▶ re-reviewed ─▶ closed (final, 终结)
    review requested, re-review requested ─▶ not accepted (e.g. a late request)

Time limits (``casework/data/petitions.toml``, counted by
:func:`~veteran_affairs.casework.deadlines.due`) attach to the steps: :meth:`Petition.deadlines`
gives the running ones, :meth:`Petition.timeline` every one with how it went,
:meth:`Petition.overdue` the missed duties as :class:`OverdueFlag` (督办). A flag is a report:
it never moves the petition, and no missed limit counts as approval (no "deemed approval" rule
was found, ``CASEWORK.md`` §1.4).

>>> from veteran_affairs.casework.deadlines import LimitBook
>>> from veteran_affairs.cycles.calendar import calendar_for
>>> p = Petition.receive(
...     petition_id="XF-2024-0007", petitioner=ResidentId("11010519491231002X"),
...     category=PetitionCategory.APPEAL, channel=PetitionChannel.LETTER,
...     received_by=DivisionCode("450300"), receiver=ReceiverKind.PETITION_OFFICE,
...     on=dt.date(2024, 3, 1), actor="xfj-01")
>>> p = p.route(on=dt.date(2024, 3, 5), actor="xfj-01", to_unit=DivisionCode("450312"))
>>> p = p.accept(on=dt.date(2024, 3, 8), actor="tyjr-450312")
>>> [(d.key, d.due) for d in p.deadlines(LimitBook.bundled(), calendar_for("450312"))]
[('petition.handling', datetime.date(2024, 5, 7))]
>>> p.answer(on=dt.date(2024, 3, 20), actor="tyjr-450312").request_re_review(
...     on=dt.date(2024, 3, 25), actor="petitioner", unit=DivisionCode("450000"))
Traceback (most recent call last):
...
veteran_affairs.errors.IllegalTransition: petition XF-2024-0007: cannot go from 'answered' to 're-review-requested' (不允许的状态变更): 复核 only follows a 复查 opinion (复核须在复查之后)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any, NoReturn

import attrs

from veteran_affairs._validate import (
    in_range,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.casework.deadlines import (
    DeadlineStatus,
    DueDate,
    LimitBook,
    due,
)
from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterNotInForce,
)
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.parameters import (
    Citation,
    Parameter,
    SourceGrade,
    is_plain_value,
    parse_parameters,
    versions_from_user,
)

__all__ = [
    "BODY_DUTIES",
    "OVERDUE_BASIS",
    "PETITIONER_WINDOWS",
    "TRANSITIONS",
    "ClosureKind",
    "LimitKind",
    "NotAcceptedReason",
    "OverdueFlag",
    "Party",
    "Petition",
    "PetitionCategory",
    "PetitionChannel",
    "PetitionLimit",
    "PetitionStatus",
    "PetitionStep",
    "ReceiverKind",
    "StatutoryRoute",
    "representative_limit",
]


def __dir__() -> list[str]:
    return __all__


# --- vocabularies ---------------------------------------------------------------------------


class PetitionChannel(enum.Enum):
    """How a petition comes in (信访形式).

    2022: 信息网络、书信、电话、传真、走访 (GOV paraphrase of the 2022 条例; article not
    confirmed); a visit is made at the reception room. 2005 第二条 also names 电子邮件.
    """

    ONLINE = "online"
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    FAX = "fax"
    VISIT = "visit"

    @property
    def label_zh(self) -> str:
        return {
            "online": "信息网络",
            "letter": "书信",
            "email": "电子邮件",
            "phone": "电话",
            "fax": "传真",
            "visit": "走访",
        }[self.value]


class PetitionCategory(enum.Enum):
    """The three tracks of the 2022 条例 (信访事项分类), each handled on its own path.

    The names come from classification tables in public code (SECONDARY); the articles
    behind them are not confirmed.
    """

    SUGGESTION = "suggestion"
    ACCUSATION = "accusation"
    APPEAL = "appeal"

    @property
    def label_zh(self) -> str:
        return {"suggestion": "建议意见类", "accusation": "检举控告类", "appeal": "申诉求决类"}[
            self.value
        ]


class ReceiverKind(enum.Enum):
    """Who first received the petition (受理主体).

    ``PETITION_OFFICE``: a 党委和政府信访部门, which registers and routes within 15 日
    (2022 第二十二条第一款). ``OTHER_BODY``: another body, such as a 退役军人事务局 or a
    service centre, which registers it and tells the petitioner how it will be handled
    (2022 第二十三条第一款; its day limit was not found).
    """

    PETITION_OFFICE = "petition-office"
    OTHER_BODY = "other-body"

    @property
    def label_zh(self) -> str:
        return {"petition-office": "信访部门", "other-body": "其他机关、单位"}[self.value]


class PetitionStatus(enum.Enum):
    """States of a petition (信访事项办理状态)."""

    RECEIVED = "received"
    ROUTED = "routed"
    OBJECTED = "objected"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not-accepted"
    EXTENDED = "extended"
    ANSWERED = "answered"
    REVIEW_REQUESTED = "review-requested"
    REVIEWED = "reviewed"
    RE_REVIEW_REQUESTED = "re-review-requested"
    HEARING_HELD = "hearing-held"
    RE_REVIEWED = "re-reviewed"
    CLOSED = "closed"

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def final(self) -> bool:
        """No step leads out of a final state."""
        return not TRANSITIONS[self]


_STATUS_ZH = {
    PetitionStatus.RECEIVED: "登记",
    PetitionStatus.ROUTED: "转送、交办",
    PetitionStatus.OBJECTED: "提出异议",
    PetitionStatus.ACCEPTED: "受理",
    PetitionStatus.NOT_ACCEPTED: "不予受理",
    PetitionStatus.EXTENDED: "延期办理",
    PetitionStatus.ANSWERED: "书面答复",
    PetitionStatus.REVIEW_REQUESTED: "请求复查",
    PetitionStatus.REVIEWED: "复查意见",
    PetitionStatus.RE_REVIEW_REQUESTED: "请求复核",
    PetitionStatus.HEARING_HELD: "听证",
    PetitionStatus.RE_REVIEWED: "复核意见",
    PetitionStatus.CLOSED: "办结",
}

_S = PetitionStatus
TRANSITIONS: dict[PetitionStatus, frozenset[PetitionStatus]] = {
    _S.RECEIVED: frozenset({_S.ROUTED, _S.ACCEPTED, _S.NOT_ACCEPTED}),
    _S.ROUTED: frozenset({_S.ACCEPTED, _S.OBJECTED, _S.NOT_ACCEPTED}),
    # The petition office re-routes it, or keeps it with the body after all.
    _S.OBJECTED: frozenset({_S.ROUTED, _S.ACCEPTED}),
    _S.ACCEPTED: frozenset({_S.EXTENDED, _S.ANSWERED}),
    _S.EXTENDED: frozenset({_S.ANSWERED}),
    _S.ANSWERED: frozenset({_S.REVIEW_REQUESTED, _S.CLOSED}),
    _S.REVIEW_REQUESTED: frozenset({_S.REVIEWED, _S.NOT_ACCEPTED}),
    _S.REVIEWED: frozenset({_S.RE_REVIEW_REQUESTED, _S.CLOSED}),
    _S.RE_REVIEW_REQUESTED: frozenset({_S.HEARING_HELD, _S.RE_REVIEWED, _S.NOT_ACCEPTED}),
    _S.HEARING_HELD: frozenset({_S.RE_REVIEWED}),
    _S.RE_REVIEWED: frozenset({_S.CLOSED}),
    _S.NOT_ACCEPTED: frozenset(),
    _S.CLOSED: frozenset(),
}
"""The allowed steps: state → the states it may move to. An extension can only follow
acceptance and only lead to the answer, so it happens at most once; 复查 follows only a
written answer and 复核 only a 复查 opinion."""

_WHY_NOT = {
    _S.REVIEW_REQUESTED: "复查 only follows a written answer (复查须在书面答复之后)",
    _S.RE_REVIEW_REQUESTED: "复核 only follows a 复查 opinion (复核须在复查之后)",
    _S.EXTENDED: "the handling period is extended once at most, before the answer (延期仅限一次)",
    _S.HEARING_HELD: "a hearing belongs to 复核 (听证仅用于复核)",
}

_NO_SIMPLE_EXTENSION = (
    "简易办理 is not extended; handle it as an ordinary petition (简易办理不延期)"
)


class StatutoryRoute(enum.Enum):
    """A statutory procedure a complaint must take instead of 信访 (法定途径).

    2005 第十四条第二款 (REPOST): complaints to be resolved by litigation, arbitration or
    administrative review go through those procedures. 2022 第二十二条第二款 (REPOST) sends
    涉法涉诉 matters to the 政法部门 and 检举控告 to 纪检监察. A veteran whose benefits were
    suspended, lowered or cancelled may apply for administrative review or sue
    (《退役军人保障法》 第七十九条第二款).
    """

    ADMINISTRATIVE_REVIEW = "administrative-review"
    LITIGATION = "litigation"
    ARBITRATION = "arbitration"
    LEGAL_AFFAIRS = "legal-affairs"
    DISCIPLINE = "discipline"
    OTHER_PROCEDURE = "other-procedure"

    @property
    def label_zh(self) -> str:
        return {
            "administrative-review": "行政复议",
            "litigation": "诉讼",
            "arbitration": "仲裁",
            "legal-affairs": "政法部门（涉法涉诉）",
            "discipline": "纪检监察",
            "other-procedure": "其他法定程序",
        }[self.value]


class NotAcceptedReason(enum.Enum):
    """Why a petition or a request is not accepted (不予受理理由).

    * ``STATUTORY_ROUTE``: it belongs to a statutory procedure (:class:`StatutoryRoute`);
    * ``IN_HAND``: the same matter is accepted or in hand below, within its limits (2005
      第十六条, REPOST);
    * ``CONCLUDED``: the same facts and reasons after 复核 (三级终结; GOV, 广东省信访局);
    * ``LATE_REQUEST``: a 复查 or 复核 request after its window. The 2022 rule was NOT FOUND;
      local rules refuse it, so it is the handling body's choice here, never automatic;
    * ``OUTSIDE_SCOPE``: not a matter for 信访; ``OTHER``: give the reason in the note.
    """

    STATUTORY_ROUTE = "statutory-route"
    IN_HAND = "in-hand"
    CONCLUDED = "concluded"
    LATE_REQUEST = "late-request"
    OUTSIDE_SCOPE = "outside-scope"
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return {
            "statutory-route": "应通过法定途径解决",
            "in-hand": "同一事项正在办理",
            "concluded": "已复核终结",
            "late-request": "逾期请求复查（复核）",
            "outside-scope": "不属于信访事项",
            "other": "其他",
        }[self.value]


class ClosureKind(enum.Enum):
    """How a petition ends after an answer (办结方式).

    ``SATISFIED``: the petitioner accepts the answer or opinion (息诉). ``NO_REQUEST``: no
    复查 or 复核 was asked for. ``FINAL``: closed after 复核 (终结): the same facts and
    reasons are not accepted again.
    """

    SATISFIED = "satisfied"
    NO_REQUEST = "no-request"
    FINAL = "final"

    @property
    def label_zh(self) -> str:
        return {"satisfied": "息诉办结", "no-request": "未请求复查复核", "final": "复核终结"}[
            self.value
        ]


class LimitKind(enum.Enum):
    """``DUTY``: a body must act by the due date (办理时限; missing it is flagged, 督办).
    ``WINDOW``: a party may act until the due date (申请期限; letting it pass is not a fault)."""

    DUTY = "duty"
    WINDOW = "window"

    @property
    def label_zh(self) -> str:
        return {"duty": "办理时限", "window": "申请期限"}[self.value]


class Party(enum.Enum):
    """Whose limit it is: the body handling the petition, or the petitioner."""

    BODY = "body"
    PETITIONER = "petitioner"

    @property
    def label_zh(self) -> str:
        return {"body": "机关、单位", "petitioner": "信访人"}[self.value]


BODY_DUTIES = frozenset(
    {
        "petition.routing",
        "petition.direct_notice",
        "petition.transfer_notice",
        "petition.handling",
        "petition.simple_handling",
        "petition.review_decision",
        "petition.re_review_decision",
    }
)
"""The limits a body must meet; :meth:`Petition.overdue` flags them."""

PETITIONER_WINDOWS = frozenset({"petition.review_request", "petition.re_review_request"})
"""The petitioner's windows to ask for 复查 and 复核; the body's objection window
(``petition.objection``) is a window too, but a body's."""

OVERDUE_BASIS = (
    Citation(
        document="《信访条例》",
        number="国务院令第431号",
        article="第三十六条第一款第(一)项",
        effective=dt.date(2005, 5, 1),
        grade=SourceGrade.REPOST,
        note="督办 where a matter is not handled within the limits; the 2022 text on "
        "督办 and 追责 (Chapter 5) was NOT FOUND",
    ),
    Citation(
        document="《信访条例》",
        number="国务院令第431号",
        article="第四十二条第(三)项、第四十三条第(一)项",
        effective=dt.date(2005, 5, 1),
        grade=SourceGrade.REPOST,
        note="the superior orders correction; sanctions only where the consequences are "
        "serious; cited for information, the library applies none",
    ),
)
"""What an :class:`OverdueFlag` rests on (the 2005 texts; the 2022 ones were not found)."""


# --- steps ------------------------------------------------------------------------------------

_UNIT_STEPS = frozenset({_S.ROUTED, _S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED})
_DELIVERED_STEPS = frozenset({_S.ANSWERED, _S.REVIEWED, _S.RE_REVIEWED})
_NOTE_STEPS = frozenset({_S.OBJECTED, _S.EXTENDED})


def _field_error(step: PetitionStep, name: str, value: object, must: str, zh: str) -> NoReturn:
    raise InconsistentRecord(name, repr(value), f"{must} (step to {step.to_status.value!r})", zh)


@attrs.frozen(kw_only=True)
class PetitionStep:
    """One dated step of a petition, with who took it (the first step has no ``from_status``).

    The fields beyond the dates belong to particular steps:

    * ``unit``: the body a step sends the petition to: routing (转送、交办), 复查 and 复核
      requests (the body one level up);
    * ``reason`` and ``route``: not accepting (a ``route`` exactly when the reason is
      ``STATUTORY_ROUTE``);
    * ``days``: the extension granted (延期天数);
    * ``delivered_on``: the day the petitioner received a written answer or opinion, from
      which the 复查 and 复核 windows run (defaults to the step's date);
    * ``hearing_from``: a hearing's first day (the step's date is its last day);
    * ``simplified``: accepted for 简易办理;
    * ``closure``: how it was closed;
    * ``note``: required for an objection (the reasons, 详细说明理由) and an extension (the
      reason told to the petitioner, 延期理由).
    """

    to_status: PetitionStatus = attrs.field(validator=instance_of(PetitionStatus))
    on: dt.date = attrs.field(validator=past_date)
    actor: str = attrs.field(validator=text(max_length=100))
    from_status: PetitionStatus | None = attrs.field(
        default=None, validator=optional(instance_of(PetitionStatus))
    )
    unit: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )
    reason: NotAcceptedReason | None = attrs.field(
        default=None, validator=optional(instance_of(NotAcceptedReason))
    )
    route: StatutoryRoute | None = attrs.field(
        default=None, validator=optional(instance_of(StatutoryRoute))
    )
    days: int | None = attrs.field(default=None, validator=optional(in_range(1, 366)))
    delivered_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    hearing_from: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    simplified: bool = attrs.field(default=False, validator=instance_of(bool))
    closure: ClosureKind | None = attrs.field(
        default=None, validator=optional(instance_of(ClosureKind))
    )
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))

    def __attrs_post_init__(self) -> None:
        to = self.to_status
        if (self.unit is not None) != (to in _UNIT_STEPS):
            _field_error(
                self,
                "unit",
                self.unit,
                "a unit goes with routing and 复查/复核 requests only, and they need one",
                "仅转送、请求复查复核时指定单位",
            )
        if (self.reason is not None) != (to is _S.NOT_ACCEPTED):
            _field_error(
                self,
                "reason",
                self.reason,
                "a reason goes with not accepting only, and it needs one",
                "仅不予受理时说明理由",
            )
        if (self.route is not None) != (self.reason is NotAcceptedReason.STATUTORY_ROUTE):
            _field_error(
                self,
                "route",
                self.route,
                "a statutory route goes with that reason only, and it needs one",
                "仅因应通过法定途径解决而不予受理时指明途径",
            )
        if (self.days is not None) != (to is _S.EXTENDED):
            _field_error(
                self,
                "days",
                self.days,
                "days go with an extension only, and it needs them",
                "仅延期时给出天数",
            )
        if self.delivered_on is not None:
            if to not in _DELIVERED_STEPS:
                _field_error(
                    self,
                    "delivered_on",
                    self.delivered_on,
                    "a delivery date goes with a written answer or opinion only",
                    "仅书面答复、复查、复核意见有送达日期",
                )
            if self.delivered_on < self.on:
                raise InconsistentRecord(
                    "on/delivered_on",
                    f"{self.on.isoformat()}/{self.delivered_on.isoformat()}",
                    "delivery cannot precede the answer",
                    "送达日期早于答复日期",
                )
        if (self.hearing_from is not None) != (to is _S.HEARING_HELD):
            _field_error(
                self,
                "hearing_from",
                self.hearing_from,
                "a first day goes with a hearing only, and it needs one",
                "仅听证时给出起始日",
            )
        if self.hearing_from is not None and self.hearing_from > self.on:
            raise InconsistentRecord(
                "hearing_from/on",
                f"{self.hearing_from.isoformat()}/{self.on.isoformat()}",
                "a hearing cannot end before it starts",
                "听证结束日早于开始日",
            )
        if self.simplified and to is not _S.ACCEPTED:
            _field_error(
                self,
                "simplified",
                True,
                "简易办理 is chosen on acceptance only",
                "仅受理时可选择简易办理",
            )
        if (self.closure is not None) != (to is _S.CLOSED):
            _field_error(
                self,
                "closure",
                self.closure,
                "a closure kind goes with closing only, and it needs one",
                "仅办结时说明办结方式",
            )
        if to in _NOTE_STEPS and self.note is None:
            _field_error(self, "note", None, "the reasons are required", "须说明理由")

    @property
    def hearing_days(self) -> int:
        """Calendar days of a hearing, both ends counted (0 for other steps)."""
        if self.hearing_from is None:
            return 0
        return (self.on - self.hearing_from).days + 1

    @property
    def window_start(self) -> dt.date:
        """The day the next window runs from: delivery of the answer, or the step's date."""
        return self.on if self.delivered_on is None else self.delivered_on


# --- time limits of a petition ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PetitionLimit:
    """One time limit of a petition and how it went.

    Attributes:
        due: the due date, counted by :func:`~veteran_affairs.casework.deadlines.due`.
        kind: a body's duty or a party's window.
        party: whose limit it is.
        unit: the body concerned (the one that must act, or whose answer the window is about).
        done_on: the day of the step that met (or used) it.
        lapsed_on: the day it stopped applying without being used (an unused window, or a
            duty made moot by another step).
    """

    due: DueDate
    kind: LimitKind
    party: Party
    unit: DivisionCode
    done_on: dt.date | None = None
    lapsed_on: dt.date | None = None

    @property
    def key(self) -> str:
        return self.due.key

    @property
    def running(self) -> bool:
        """Whether the limit is still open at the end of the history."""
        return self.done_on is None and self.lapsed_on is None

    def applies_on(self, on: dt.date) -> bool:
        """Whether the limit had started and not lapsed unused by ``on``."""
        return self.due.start <= on and (self.lapsed_on is None or self.lapsed_on > on)

    def status(self, *, on: dt.date) -> DeadlineStatus | None:
        """Where the limit stands on ``on``; ``None`` when it does not apply that day."""
        if not self.applies_on(on):
            return None
        return self.due.status(on=on, done_on=self.done_on)


@attrs.frozen(kw_only=True)
class OverdueFlag:
    """A body's duty past its due date: a supervision notice (督办).

    It reports, and nothing more: the petition keeps its state, and the petitioner's claim is
    neither granted nor refused by the delay. :data:`OVERDUE_BASIS` gives the 2005 basis.
    """

    petition_id: str
    key: str
    unit: DivisionCode
    due: DueDate
    on: dt.date
    days_overdue: int
    basis: tuple[Citation, ...] = OVERDUE_BASIS

    @property
    def label_zh(self) -> str:
        return "督办"

    def __str__(self) -> str:
        return (
            f"督办 {self.petition_id}: {self.key} due {self.due.due.isoformat()}, "
            f"{self.days_overdue} day(s) overdue on {self.on.isoformat()} (unit {self.unit})"
        )


@attrs.define
class _Open:
    key: str
    start: dt.date
    kind: LimitKind
    party: Party
    unit: DivisionCode
    extra: int = 0
    done_on: dt.date | None = None
    lapsed_on: dt.date | None = None


# Which running limits a step into a state meets; the others it leaves lapse. Routing a petition
# on, or not accepting it, is taken to answer the duty to tell the petitioner where it stands
# (the library's reading: the texts found set no separate limit for it).
_MEETS: dict[PetitionStatus, frozenset[str]] = {
    _S.ROUTED: frozenset({"petition.routing", "petition.direct_notice"}),
    _S.ACCEPTED: frozenset(
        {"petition.routing", "petition.direct_notice", "petition.transfer_notice"}
    ),
    _S.NOT_ACCEPTED: frozenset(
        {
            "petition.routing",
            "petition.direct_notice",
            "petition.transfer_notice",
            "petition.review_decision",
            "petition.re_review_decision",
        }
    ),
    _S.OBJECTED: frozenset({"petition.objection"}),
    _S.ANSWERED: frozenset({"petition.handling", "petition.simple_handling"}),
    _S.REVIEW_REQUESTED: frozenset({"petition.review_request"}),
    _S.REVIEWED: frozenset({"petition.review_decision"}),
    _S.RE_REVIEW_REQUESTED: frozenset({"petition.re_review_request"}),
    _S.RE_REVIEWED: frozenset({"petition.re_review_decision"}),
    _S.CLOSED: frozenset(),
    _S.RECEIVED: frozenset(),
}


# --- the petition -----------------------------------------------------------------------------


def _entity(petition_id: str) -> str:
    return f"petition {petition_id}"


def _check_step(
    petition_id: str,
    before: PetitionStep,
    step: PetitionStep,
    *,
    unit: DivisionCode,
    simplified: bool,
    index: int,
) -> None:
    current, to = before.to_status, step.to_status
    if step.from_status is not current:
        raise InconsistentRecord(
            f"history[{index}].from_status",
            str(step.from_status and step.from_status.value),
            f"must continue from {current.value}",
            "状态记录不连续",
        )
    if to not in TRANSITIONS[current]:
        raise IllegalTransition(_entity(petition_id), current.value, to.value, _WHY_NOT.get(to, ""))
    if step.on < before.on:
        raise InconsistentRecord(
            f"history[{index}].on",
            step.on.isoformat(),
            f"a step cannot be dated before the previous one ({before.on.isoformat()})",
            "办理日期早于上一步",
        )
    if to in (_S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED) and step.on < before.window_start:
        raise InconsistentRecord(
            f"history[{index}].on",
            step.on.isoformat(),
            f"a request cannot precede receipt of the written reply ({before.window_start})",
            "请求日期早于收到书面答复之日",
        )
    if to is _S.EXTENDED and simplified:
        raise IllegalTransition(_entity(petition_id), current.value, to.value, _NO_SIMPLE_EXTENSION)
    if step.reason is NotAcceptedReason.LATE_REQUEST and current not in (
        _S.REVIEW_REQUESTED,
        _S.RE_REVIEW_REQUESTED,
    ):
        raise InconsistentRecord(
            f"history[{index}].reason",
            step.reason.value,
            "only a 复查 or 复核 request can be late",
            "仅复查、复核请求存在逾期",
        )
    if (to is _S.CLOSED) and ((step.closure is ClosureKind.FINAL) != (current is _S.RE_REVIEWED)):
        raise InconsistentRecord(
            f"history[{index}].closure",
            str(step.closure and step.closure.value),
            "a petition is closed as final exactly after 复核",
            "复核后方为终结",
        )
    if to in (_S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED):
        assert step.unit is not None
        if not step.unit.contains(unit):
            raise InconsistentRecord(
                f"history[{index}].unit",
                step.unit.value,
                f"the 复查/复核 body must be at or above {unit} (上一级机关、单位)",
                "复查、复核机关应为上一级机关、单位",
            )
    if to is _S.HEARING_HELD:
        assert step.hearing_from is not None
        if step.hearing_from < before.on:
            raise InconsistentRecord(
                f"history[{index}].hearing_from",
                step.hearing_from.isoformat(),
                "a hearing starts after the 复核 request",
                "听证早于复核请求",
            )


def _check_history(petition: Petition) -> None:
    history = petition.history
    if not history:
        raise InconsistentRecord(
            "history", "()", "a petition starts with its registration", "缺少登记记录"
        )
    first = history[0]
    if first.from_status is not None or first.to_status is not _S.RECEIVED:
        raise IllegalTransition(
            _entity(petition.petition_id),
            str(first.from_status and first.from_status.value),
            first.to_status.value,
            "a petition begins with its registration (信访事项始于登记)",
        )
    unit = petition.received_by
    simplified = False
    for index, (before, step) in enumerate(itertools.pairwise(history), start=1):
        _check_step(
            petition.petition_id, before, step, unit=unit, simplified=simplified, index=index
        )
        if step.unit is not None:
            unit = step.unit
        simplified = simplified or step.simplified


@attrs.frozen(kw_only=True, repr=False)
class Petition:
    """One petition (信访事项) and everything that happened to it.

    Attributes:
        petition_id: the register number.
        petitioner: the petitioner (信访人); shown masked.
        category: its track (:class:`PetitionCategory`).
        channel: how it came in (:class:`PetitionChannel`).
        received_by: the unit that registered it (a division code: the body of that
            division).
        receiver: whether that was a petition office or another body.
        history: the steps, starting with registration.
        group_size: for a visit by several people with a common matter, how many came.
        representatives: how many representatives they chose (see :func:`representative_limit`).

    Invariants: the history starts with registration; each step is an allowed transition from
    the one before, dated no earlier; at most one extension, never for 简易办理; 复查 only after a
    written answer and 复核 only after a 复查 opinion, each before a body at or above the one
    before; a group and its representatives only for visits, no more representatives than people.
    """

    petition_id: str = attrs.field(validator=text(max_length=64))
    petitioner: ResidentId = attrs.field(validator=instance_of(ResidentId))
    category: PetitionCategory = attrs.field(validator=instance_of(PetitionCategory))
    channel: PetitionChannel = attrs.field(validator=instance_of(PetitionChannel))
    received_by: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    receiver: ReceiverKind = attrs.field(validator=instance_of(ReceiverKind))
    history: tuple[PetitionStep, ...] = attrs.field(validator=tuple_of(PetitionStep))
    group_size: int | None = attrs.field(default=None, validator=optional(in_range(2, 100_000)))
    representatives: int | None = attrs.field(
        default=None, validator=optional(in_range(1, 100_000))
    )

    def __attrs_post_init__(self) -> None:
        _check_history(self)
        if (self.group_size is not None or self.representatives is not None) and (
            self.channel is not PetitionChannel.VISIT
        ):
            raise InconsistentRecord(
                "channel/group_size",
                self.channel.value,
                "a group and its representatives belong to a visit",
                "多人推选代表仅适用于走访",
            )
        if (
            self.representatives is not None
            and self.group_size is not None
            and self.representatives > self.group_size
        ):
            raise InconsistentRecord(
                "group_size/representatives",
                f"{self.group_size}/{self.representatives}",
                "more representatives than people",
                "代表人数超过来访人数",
            )

    def __repr__(self) -> str:
        return (
            f"Petition(petition_id={self.petition_id!r}, petitioner={self.petitioner!r}, "
            f"category={self.category.name}, channel={self.channel.name}, "
            f"status={self.status.name}, unit={self.unit}, steps={len(self.history)})"
        )

    # --- reading -------------------------------------------------------------------------------

    @property
    def status(self) -> PetitionStatus:
        return self.history[-1].to_status

    @property
    def received_on(self) -> dt.date:
        return self.history[0].on

    @property
    def unit(self) -> DivisionCode:
        """The body that has the petition now (the last one it was sent to)."""
        for step in reversed(self.history):
            if step.unit is not None:
                return step.unit
        return self.received_by

    @property
    def allowed(self) -> frozenset[PetitionStatus]:
        """The states the next step may lead to (no extension for 简易办理)."""
        allowed = TRANSITIONS[self.status]
        if self.simplified:
            return allowed - {_S.EXTENDED}
        return allowed

    @property
    def simplified(self) -> bool:
        """Whether it was accepted for 简易办理."""
        return any(step.simplified for step in self.history)

    @property
    def extended(self) -> bool:
        return any(step.to_status is _S.EXTENDED for step in self.history)

    @property
    def concluded(self) -> bool:
        """Closed after 复核 (终结): the same facts and reasons are not accepted again.

        GOV (广东省信访局 问答知识库; the 2022 article is not confirmed).
        """
        last = self.history[-1]
        return last.to_status is _S.CLOSED and last.closure is ClosureKind.FINAL

    def status_on(self, on: dt.date) -> PetitionStatus | None:
        """The state on ``on`` (``None`` before registration)."""
        current = None
        for step in self.history:
            if step.on > on:
                break
            current = step.to_status
        return current

    # --- steps ---------------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        petition_id: str,
        petitioner: ResidentId,
        category: PetitionCategory,
        channel: PetitionChannel,
        received_by: DivisionCode,
        receiver: ReceiverKind,
        on: dt.date,
        actor: str,
        group_size: int | None = None,
        representatives: int | None = None,
        note: str | None = None,
    ) -> Petition:
        """Register a petition (登记)."""
        return cls(
            petition_id=petition_id,
            petitioner=petitioner,
            category=category,
            channel=channel,
            received_by=received_by,
            receiver=receiver,
            group_size=group_size,
            representatives=representatives,
            history=(PetitionStep(to_status=_S.RECEIVED, on=on, actor=actor, note=note),),
        )

    def advance(self, to: PetitionStatus, *, on: dt.date, actor: str, **fields: Any) -> Petition:
        """Take one step to ``to`` with the step's own fields (see :class:`PetitionStep`).

        Raises:
            IllegalTransition: the current state does not lead to ``to``.
            InconsistentRecord: the step's fields do not fit it or the history.
        """
        current = self.status
        if to not in self.allowed:
            why = _NO_SIMPLE_EXTENSION if to in TRANSITIONS[current] else _WHY_NOT.get(to, "")
            raise IllegalTransition(_entity(self.petition_id), current.value, to.value, why)
        step = PetitionStep(to_status=to, from_status=current, on=on, actor=actor, **fields)
        return attrs.evolve(self, history=(*self.history, step))

    def route(
        self, *, on: dt.date, actor: str, to_unit: DivisionCode, note: str | None = None
    ) -> Petition:
        """Route it to the competent body (转送、交办); date it on the day that body receives it."""
        return self.advance(_S.ROUTED, on=on, actor=actor, unit=to_unit, note=note)

    def object(self, *, on: dt.date, actor: str, reasons: str) -> Petition:
        """The body it was routed to objects: outside its remit (提出异议), with reasons."""
        return self.advance(_S.OBJECTED, on=on, actor=actor, note=reasons)

    def accept(
        self, *, on: dt.date, actor: str, simplified: bool = False, note: str | None = None
    ) -> Petition:
        """Accept it and tell the petitioner in writing how it will be handled (受理、告知).

        ``simplified`` chooses 简易办理 (first-time, clear, undisputed matters; 10 工作日).
        """
        return self.advance(_S.ACCEPTED, on=on, actor=actor, simplified=simplified, note=note)

    def refuse(
        self,
        *,
        on: dt.date,
        actor: str,
        reason: NotAcceptedReason,
        route: StatutoryRoute | None = None,
        note: str | None = None,
    ) -> Petition:
        """Do not accept it, or a 复查/复核 request (不予受理); a statutory route is named when
        that is the reason (导入法定途径: 行政复议、诉讼、仲裁 …)."""
        return self.advance(
            _S.NOT_ACCEPTED, on=on, actor=actor, reason=reason, route=route, note=note
        )

    def extend(
        self, *, on: dt.date, actor: str, days: int, reason: str, book: LimitBook
    ) -> Petition:
        """Extend the handling period once (延期), by at most the limit in force on ``on``.

        The reason is recorded: the petitioner must be told it.

        Raises:
            InvalidValue: ``days`` exceeds ``petition.extension``.
            ParameterMissing: the extension limit has no value on ``on``.
        """
        longest, _version = book.limit("petition.extension").amount_on(on)
        if days > longest:
            raise InvalidValue(
                "days",
                repr(days),
                f"an extension is at most {longest} days",
                f"延期不得超过{longest}日",
            )
        return self.advance(_S.EXTENDED, on=on, actor=actor, days=days, note=reason)

    def answer(
        self,
        *,
        on: dt.date,
        actor: str,
        delivered_on: dt.date | None = None,
        note: str | None = None,
    ) -> Petition:
        """The written answer (书面答复, 处理意见); ``delivered_on`` starts the 复查 window."""
        return self.advance(_S.ANSWERED, on=on, actor=actor, delivered_on=delivered_on, note=note)

    def request_review(
        self, *, on: dt.date, actor: str, unit: DivisionCode, note: str | None = None
    ) -> Petition:
        """The petitioner asks the next-higher body for 复查 (请求复查); ``on`` is its receipt."""
        return self.advance(_S.REVIEW_REQUESTED, on=on, actor=actor, unit=unit, note=note)

    def decide_review(
        self,
        *,
        on: dt.date,
        actor: str,
        delivered_on: dt.date | None = None,
        note: str | None = None,
    ) -> Petition:
        """The written 复查 opinion (复查意见); ``delivered_on`` starts the 复核 window."""
        return self.advance(_S.REVIEWED, on=on, actor=actor, delivered_on=delivered_on, note=note)

    def request_re_review(
        self, *, on: dt.date, actor: str, unit: DivisionCode, note: str | None = None
    ) -> Petition:
        """The petitioner asks the body above the 复查 body for 复核 (请求复核)."""
        return self.advance(_S.RE_REVIEW_REQUESTED, on=on, actor=actor, unit=unit, note=note)

    def hold_hearing(
        self, *, started_on: dt.date, ended_on: dt.date, actor: str, note: str | None = None
    ) -> Petition:
        """A hearing during 复核 (听证); its days are not counted in the 复核 limit."""
        return self.advance(
            _S.HEARING_HELD, on=ended_on, actor=actor, hearing_from=started_on, note=note
        )

    def decide_re_review(
        self,
        *,
        on: dt.date,
        actor: str,
        delivered_on: dt.date | None = None,
        note: str | None = None,
    ) -> Petition:
        """The 复核 opinion (复核意见)."""
        return self.advance(
            _S.RE_REVIEWED, on=on, actor=actor, delivered_on=delivered_on, note=note
        )

    def close(
        self, *, on: dt.date, actor: str, closure: ClosureKind, note: str | None = None
    ) -> Petition:
        """Close it (办结; after 复核, 终结 with ``ClosureKind.FINAL``)."""
        return self.advance(_S.CLOSED, on=on, actor=actor, closure=closure, note=note)

    # --- time limits ---------------------------------------------------------------------------

    def _limits(self) -> list[_Open]:
        """Every limit the history opened, with when it was met or lapsed (no amounts yet)."""
        opened: list[_Open] = []
        running: dict[str, _Open] = {}
        unit = self.received_by
        for step in self.history:
            to = step.to_status
            if to is _S.EXTENDED:
                assert step.days is not None
                running["petition.handling"].extra += step.days
                continue
            if to is _S.HEARING_HELD:
                running["petition.re_review_decision"].extra += step.hearing_days
                continue
            for key, limit in running.items():
                if key in _MEETS[to]:
                    limit.done_on = step.on
                else:
                    limit.lapsed_on = step.on
            running.clear()
            if step.unit is not None:
                unit = step.unit
            new: list[_Open] = []
            if to is _S.RECEIVED:
                key = (
                    "petition.routing"
                    if self.receiver is ReceiverKind.PETITION_OFFICE
                    else "petition.direct_notice"
                )
                new.append(_Open(key, step.on, LimitKind.DUTY, Party.BODY, unit))
            elif to is _S.ROUTED:
                new.append(
                    _Open("petition.transfer_notice", step.on, LimitKind.DUTY, Party.BODY, unit)
                )
                new.append(_Open("petition.objection", step.on, LimitKind.WINDOW, Party.BODY, unit))
            elif to is _S.ACCEPTED:
                key = "petition.simple_handling" if step.simplified else "petition.handling"
                new.append(_Open(key, step.on, LimitKind.DUTY, Party.BODY, unit))
            elif to is _S.ANSWERED:
                new.append(
                    _Open(
                        "petition.review_request",
                        step.window_start,
                        LimitKind.WINDOW,
                        Party.PETITIONER,
                        unit,
                    )
                )
            elif to is _S.REVIEW_REQUESTED:
                new.append(
                    _Open("petition.review_decision", step.on, LimitKind.DUTY, Party.BODY, unit)
                )
            elif to is _S.REVIEWED:
                new.append(
                    _Open(
                        "petition.re_review_request",
                        step.window_start,
                        LimitKind.WINDOW,
                        Party.PETITIONER,
                        unit,
                    )
                )
            elif to is _S.RE_REVIEW_REQUESTED:
                new.append(
                    _Open("petition.re_review_decision", step.on, LimitKind.DUTY, Party.BODY, unit)
                )
            for limit in new:
                running[limit.key] = limit
                opened.append(limit)
        return opened

    @staticmethod
    def _counted(
        limit: _Open, book: LimitBook, calendar: WorkCalendar | None
    ) -> PetitionLimit | None:
        try:
            when = due(book, limit.key, limit.start, calendar=calendar, extra=limit.extra)
        except ParameterNotInForce:
            return None  # the limit was not law yet on the day its event happened
        return PetitionLimit(
            due=when,
            kind=limit.kind,
            party=limit.party,
            unit=limit.unit,
            done_on=limit.done_on,
            lapsed_on=limit.lapsed_on,
        )

    def timeline(
        self, book: LimitBook, calendar: WorkCalendar | None = None
    ) -> tuple[PetitionLimit, ...]:
        """Every time limit the history opened, in order, with how it went.

        A limit not yet in force on the day of its event (the objection window before
        2022-05-01) does not apply and is left out.

        Raises:
            ParameterMissing: a limit the history needs has no value (supply it with
                :meth:`LimitBook.with_values`).
            CalendarRequired: a working-day limit and no calendar.
        """
        counted = (self._counted(limit, book, calendar) for limit in self._limits())
        return tuple(limit for limit in counted if limit is not None)

    def deadlines(
        self, book: LimitBook, calendar: WorkCalendar | None = None
    ) -> tuple[DueDate, ...]:
        """The due dates of the limits still running (待办时限), duties and windows.

        Raises:
            ParameterMissing: a running limit has no value (supply it).
            CalendarRequired: a running working-day limit and no calendar.
        """
        running = (
            self._counted(limit, book, calendar)
            for limit in self._limits()
            if limit.done_on is None and limit.lapsed_on is None
        )
        return tuple(limit.due for limit in running if limit is not None)

    def overdue(
        self, on: dt.date, book: LimitBook, calendar: WorkCalendar | None = None
    ) -> tuple[OverdueFlag, ...]:
        """The bodies' duties not done and past due on ``on`` (督办).

        Only limits that were running on ``on`` are counted, so a limit met or made moot
        earlier needs no value. Windows are never flagged: a petitioner who lets one pass is
        not at fault, and the petition does not change.

        Raises:
            ParameterMissing: a duty running on ``on`` has no value (supply it).
        """
        flags: list[OverdueFlag] = []
        for limit in self._limits():
            if limit.kind is not LimitKind.DUTY or limit.start > on:
                continue
            if (limit.done_on is not None and limit.done_on <= on) or (
                limit.lapsed_on is not None and limit.lapsed_on <= on
            ):
                continue
            counted = self._counted(limit, book, calendar)
            if counted is None or counted.status(on=on) is not DeadlineStatus.OVERDUE:
                continue
            flags.append(
                OverdueFlag(
                    petition_id=self.petition_id,
                    key=counted.key,
                    unit=counted.unit,
                    due=counted.due,
                    on=on,
                    days_overdue=counted.due.days_overdue(on),
                )
            )
        return tuple(flags)


# --- figures ------------------------------------------------------------------------------------


@functools.cache
def _figures() -> Mapping[str, Parameter]:
    raw = (resources.files("veteran_affairs") / "casework" / "data" / "petitions.toml").read_text(
        encoding="utf-8"
    )
    document = tomllib.loads(raw)
    return parse_parameters({"parameter": document.get("figure", [])}, source="petitions.toml")


def representative_limit(on: dt.date, *, supplied: Any = None) -> tuple[int, Citation]:
    """The most representatives a group visit may send on ``on`` (走访代表人数上限).

    2005 第十八条 (REPOST): at most 5. The 2022 limit is not confirmed, so from 2022-05-01 no
    value is bundled: pass ``supplied`` (an amount, or versions as for
    :meth:`LimitBook.with_values`).

    Raises:
        ParameterMissing: no value on ``on`` (from 2022-05-01 unless supplied).
    """
    parameter = _figures()["petition.group_representatives"]
    if supplied is not None:
        versions = versions_from_user(parameter.key, supplied)
        if is_plain_value(supplied):
            parameter = attrs.evolve(parameter, versions=tuple(versions))
        else:
            parameter = parameter.with_versions(versions, confirmed_through=None)
    value, version = parameter.value_on(on)
    if value != value.to_integral_value() or value < 1:
        raise InvalidValue(
            parameter.key, str(value), "a number of persons is a whole number ≥ 1", "人数应为正整数"
        )
    return int(value), version.citation
