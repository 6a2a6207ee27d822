"""The requests register (诉求登记台账) ⇄ ``Request`` (private engine of ``rosters``).

One row per request: its number and what was asked (诉求内容), the contact that opened it —
how (接触方式), when, by which unit, the activity that records it and the person, if known —
and its course (:data:`~veteran_affairs.casework.requests.TRANSITIONS`): 登记时间 (blank: the
contact's day), then 交办时间 and 答复时间 as aligned lists (a request the follow-up found
unsettled is put in hand again: the n-th answer follows the n-th assignment), 承办单位 (the unit
that has it in hand now), and last 办结时间, 转办时间 (with 转办去向 and 转办编号) or 撤回时间.
The follow-ups are aligned lists too: 回访时间, 回访方式 and 回访结果 (满意, 不满意; blank:
not said). Who took each step and made each follow-up, and their notes, are not held (read
back as ``roster import``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from veteran_affairs.casework.requests import (
    TRANSITIONS,
    Contact,
    Escalation,
    FollowUp,
    Request,
    RequestStatus,
    RequestStep,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cases import ROSTER_ACTOR
from veteran_affairs.rosters._cells import (
    DATE_SEPARATORS,
    LABEL_SEPARATORS,
    LIST_SEPARATOR,
    date_of_text,
)
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    build,
    choice,
    date,
    listed,
    resident_id,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._steps import Step, steps_of, walk, with_history
from veteran_affairs.rosters._writing import RowCell, dates_cell, id_cell

_R = RequestStatus
_FINALS = (
    ("closed_on", _R.CLOSED),
    ("escalated_on", _R.ESCALATED),
    ("withdrawn_on", _R.WITHDRAWN),
)


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    unit = vocab.unit_parser(within)
    return {
        "request_id": text,
        "topic": text,
        "person": resident_id,
        "contact_channel": choice(vocab.CONTACT_CHANNELS),
        "contact_on": date,
        "contact_unit": unit,
        "activity_id": text,
        "registered_on": date,
        "assigned_on": listed(date_of_text, DATE_SEPARATORS),
        "handler": unit,
        "answered_on": listed(date_of_text, DATE_SEPARATORS),
        "follow_up_on": listed(date_of_text, DATE_SEPARATORS),
        "follow_up_channel": listed(vocab.CONTACT_CHANNELS.value, LABEL_SEPARATORS),
        "follow_up_satisfied": listed(
            vocab.SATISFACTION.value, LABEL_SEPARATORS, blank_entries=True
        ),
        **{field: date for field, _ in _FINALS},
        "escalation": choice(vocab.ESCALATION_KINDS),
        "escalation_id": text,
        "status": choice(vocab.REQUEST_STATUSES),
    }


_REQUEST = attrs.fields_dict(Request)
_DAY = attribute_check(attrs.fields_dict(RequestStep)["on"])
_CHECKS: dict[str, Check] = {
    "request_id": attribute_check(_REQUEST["request_id"]),
    "topic": attribute_check(_REQUEST["topic"]),
    "contact_on": attribute_check(attrs.fields_dict(Contact)["on"]),
    "activity_id": attribute_check(attrs.fields_dict(Contact)["activity_id"]),
    "escalation_id": attribute_check(attrs.fields_dict(Escalation)["target_id"]),
    **dict.fromkeys(("registered_on", *(field for field, _ in _FINALS)), _DAY),
}
_NEEDED = (
    ("assigned_on", "handler"),
    ("escalated_on", "escalation"),
    ("escalated_on", "escalation_id"),
)


def _companions(row: Row) -> None:
    row.without("assigned_on", ("handler",))
    row.without("escalated_on", ("escalation", "escalation_id"))
    row.without("follow_up_on", ("follow_up_channel", "follow_up_satisfied"))
    for main, dependent in _NEEDED:
        if row.given(main) and not row.given(dependent):
            row.missing(
                dependent,
                f"required when {row.header(main)} is filled",
                f"填写了{row.header(main)}时必填",
            )


def _contact(row: Row) -> Contact | None:
    values = row.values
    return build(
        row,
        {"on": "contact_on", "activity_id": "activity_id", "unit": "contact_unit"},
        Contact,
        channel=values["contact_channel"],
        on=values["contact_on"],
        unit=values["contact_unit"],
        activity_id=values.get("activity_id"),
        person=values.get("person"),
    )


def _steps(row: Row) -> list[Step] | None:
    values = row.values
    assigned: tuple[Any, ...] = values.get("assigned_on", ())
    answered: tuple[Any, ...] = values.get("answered_on", ())
    if answered and not assigned:
        row.error(
            "answered_on",
            f"an answer follows an assignment: fill {row.header('assigned_on')}",
            f"答复须在交办之后，请填写{row.header('assigned_on')}",
        )
        return None
    if answered and not len(assigned) - 1 <= len(answered) <= len(assigned):
        row.error(
            "answered_on",
            f"{len(answered)} answers to {len(assigned)} assignments: each answer follows an "
            "assignment of its own, in order",
            f"答复次数（{len(answered)}）与交办次数（{len(assigned)}）不符：每次答复应在一次交办之后",
        )
        return None
    first = "registered_on" if "registered_on" in values else "contact_on"
    steps = [Step(first, _R.REGISTERED, values[first])]
    several = len(assigned) > 1
    for index, day in enumerate(assigned):
        entry = index + 1 if several else None
        steps.append(Step("assigned_on", _R.ASSIGNED, day, entry=entry))
        if index < len(answered):
            steps.append(Step("answered_on", _R.ANSWERED, answered[index], entry=entry))
    steps.extend(Step(field, status, values[field]) for field, status in _FINALS if field in values)
    return steps


def _follow_ups(row: Row) -> tuple[FollowUp, ...] | None:
    days: tuple[Any, ...] = row.values.get("follow_up_on", ())
    if not days:
        return ()
    count = len(days)
    channels = row.aligned("follow_up_on", "follow_up_channel", count, required=True)
    satisfied = row.aligned("follow_up_on", "follow_up_satisfied", count, required=False)
    if channels is None or satisfied is None:
        return None
    found: list[FollowUp] = []
    for number, (day, channel, said) in enumerate(zip(days, channels, satisfied, strict=True), 1):
        made = build(
            row,
            {"on": "follow_up_on"},
            FollowUp,
            entry=number,
            on=day,
            channel=channel,
            actor=ROSTER_ACTOR,
            satisfied=said,
        )
        if made is None:
            return None
        found.append(made)
    return tuple(found)


def _may_follow(before: Sequence[Step], step: Step) -> bool:
    return step.status in TRANSITIONS[before[-1].status]


def _assemble(row: Row) -> Request | None:
    _companions(row)
    if row.errors:
        return None
    contact = _contact(row)
    steps = _steps(row)
    follow_ups = _follow_ups(row)
    if contact is None or steps is None or follow_ups is None or row.errors:
        return None
    if not walk(row, steps, _may_follow):
        return None
    history = steps_of(row, steps, RequestStep, actor=ROSTER_ACTOR)
    if history is None:
        return None
    values = row.values
    escalation = None
    if "escalation" in values and "escalation_id" in values:
        escalation = Escalation(kind=values["escalation"], target_id=values["escalation_id"])
    request = with_history(
        row,
        steps,
        {
            "request_id": "request_id",
            "topic": "topic",
            "contact.on/history.on": steps[0].field,
            "follow_ups": "follow_up_on",
            "follow_ups.on": "follow_up_on",
            "follow_ups[-1].on": "follow_up_on",
            "follow_ups/status": "follow_up_on",
            "handler/history": "handler",
            "escalation/status": "escalation",
        },
        Request,
        request_id=values["request_id"],
        contact=contact,
        topic=values["topic"],
        history=tuple(history),
        handler=values.get("handler"),
        follow_ups=follow_ups,
        escalation=escalation,
    )
    if request is None:
        return None
    status = values.get("status")
    if status is not None and status is not request.status:
        row.error(
            "status",
            f"the steps filled give {request.status.label_zh}, not {status.label_zh}",
            f"按所填环节，当前状态应为“{request.status.label_zh}”",
        )
        return None
    return request


def _key(values: Mapping[str, Any]) -> str | None:
    found = values.get("request_id")
    return found if isinstance(found, str) else None


REQUESTS = Spec(
    kind=RosterKind.REQUESTS,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=("the same request number is already in row {row}", "与第{row}行诉求编号重复"),
)


def _said(satisfied: bool | None) -> str:
    return "" if satisfied is None else "满意" if satisfied else "不满意"


def cells(request: Request, personal: bool) -> dict[str, RowCell]:
    """A request's cells by field (read back to an equal request, its steps and follow-ups
    taken by ``roster import`` without notes)."""
    contact, follow_ups = request.contact, request.follow_ups
    cells: dict[str, RowCell] = {
        "request_id": request.request_id,
        "topic": request.topic,
        "person": "" if contact.person is None else id_cell(contact.person, personal),
        "contact_channel": contact.channel.label_zh,
        "contact_on": contact.on,
        "contact_unit": contact.unit.short,
        "activity_id": contact.activity_id or "",
        "registered_on": request.registered_on,
        "assigned_on": dates_cell(s.on for s in request.history if s.to_status is _R.ASSIGNED),
        "handler": "" if request.handler is None else request.handler.short,
        "answered_on": dates_cell(s.on for s in request.history if s.to_status is _R.ANSWERED),
        "follow_up_on": dates_cell(f.on for f in follow_ups),
        "follow_up_channel": LIST_SEPARATOR.join(f.channel.label_zh for f in follow_ups),
        "follow_up_satisfied": ""
        if all(f.satisfied is None for f in follow_ups)
        else LIST_SEPARATOR.join(_said(f.satisfied) for f in follow_ups),
        "status": request.status.label_zh,
    }
    last = request.history[-1]
    for field, status in _FINALS:
        if last.to_status is status:
            cells[field] = last.on
    if request.escalation is not None:
        cells["escalation"] = request.escalation.kind.label_zh
        cells["escalation_id"] = request.escalation.target_id
    return cells
