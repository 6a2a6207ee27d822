"""The petitions register (信访件登记表) ⇄ ``Petition`` (private engine of ``rosters``).

One row per petition (信访件). Its history is read from the dates of its steps, in the order of
the procedure (:data:`~veteran_affairs.casework.petitions.TRANSITIONS`): 登记时间 (required),
the routings and objections, 受理时间, 延期时间, 答复时间, 复查请求时间, 复查意见时间, 复核请求时间,
听证 (its first and last day), 复核意见时间, and last 不予受理时间 or 办结时间. A petition routed
again after an objection has several routings: 转送交办时间 and 转送交办单位 are list cells (one
entry per routing), and so are 异议时间 and 异议理由 (one per objection, the reasons one per
line); the n-th objection follows the n-th routing. Each step takes its own columns
(转送交办单位, 延期天数 and 延期理由, 复查机关, 送达 dates, 不予受理理由 and 法定途径, 办结方式);
notes of the other steps and who took each step are not held (steps are read back as taken
by ``roster import``). 办理状态 and 当前承办单位 are what the steps give: written on export,
checked when filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from veteran_affairs.casework.petitions import (
    TRANSITIONS,
    NotAcceptedReason,
    Petition,
    PetitionStatus,
    PetitionStep,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cases import ROSTER_ACTOR
from veteran_affairs.rosters._cells import DATE_SEPARATORS, LIST_SEPARATOR, YES_NO, date_of_text
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    choice,
    date,
    listed,
    resident_id,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._steps import Step, steps_of, walk, with_history
from veteran_affairs.rosters._writing import RowCell, dates_cell, id_cell, text_list_cell

_S = PetitionStatus


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    unit = vocab.unit_parser(within)
    return {
        "petition_id": text,
        "petitioner": resident_id,
        "category": choice(vocab.PETITION_CATEGORIES),
        "channel": choice(vocab.PETITION_CHANNELS),
        "received_by": unit,
        "receiver": choice(vocab.RECEIVER_KINDS),
        "received_on": date,
        "group_size": vocab.count,
        "representatives": vocab.count,
        "routed_on": listed(date_of_text, DATE_SEPARATORS),
        "routed_to": vocab.unit_list(within),
        "objected_on": listed(date_of_text, DATE_SEPARATORS),
        "objection_reasons": vocab.text_entries,
        "accepted_on": date,
        "simplified": choice(YES_NO),
        "not_accepted_on": date,
        "not_accepted_reason": choice(vocab.NOT_ACCEPTED_REASONS),
        "statutory_route": choice(vocab.STATUTORY_ROUTES),
        "extended_on": date,
        "extension_days": vocab.count,
        "extension_reason": text,
        "answered_on": date,
        "answer_delivered_on": date,
        "review_requested_on": date,
        "review_unit": unit,
        "reviewed_on": date,
        "review_delivered_on": date,
        "re_review_requested_on": date,
        "re_review_unit": unit,
        "hearing_from": date,
        "hearing_to": date,
        "re_reviewed_on": date,
        "re_review_delivered_on": date,
        "closed_on": date,
        "closure": choice(vocab.CLOSURE_KINDS),
        "status": choice(vocab.PETITION_STATUSES),
        "unit": unit,
    }


_PETITION = attrs.fields_dict(Petition)
_STEP = attrs.fields_dict(PetitionStep)
_DAY = attribute_check(_STEP["on"])
_CHECKS: dict[str, Check] = {
    "petition_id": attribute_check(_PETITION["petition_id"]),
    "group_size": attribute_check(_PETITION["group_size"]),
    "representatives": attribute_check(_PETITION["representatives"]),
    "extension_days": attribute_check(_STEP["days"]),
    "extension_reason": attribute_check(_STEP["note"]),
    **dict.fromkeys(
        (
            "received_on",
            "accepted_on",
            "not_accepted_on",
            "extended_on",
            "answered_on",
            "answer_delivered_on",
            "review_requested_on",
            "reviewed_on",
            "review_delivered_on",
            "re_review_requested_on",
            "hearing_from",
            "hearing_to",
            "re_reviewed_on",
            "re_review_delivered_on",
            "closed_on",
        ),
        _DAY,
    ),
}

# (step date, its companions): a companion is filled only with its step.
_COMPANIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("routed_on", ("routed_to",)),
    ("objected_on", ("objection_reasons",)),
    ("not_accepted_on", ("not_accepted_reason", "statutory_route")),
    ("extended_on", ("extension_days", "extension_reason")),
    ("answered_on", ("answer_delivered_on",)),
    ("review_requested_on", ("review_unit",)),
    ("reviewed_on", ("review_delivered_on",)),
    ("re_review_requested_on", ("re_review_unit",)),
    ("hearing_to", ("hearing_from",)),
    ("re_reviewed_on", ("re_review_delivered_on",)),
    ("closed_on", ("closure",)),
)
# Companions a step cannot go without.
_NEEDED = (
    ("not_accepted_on", "not_accepted_reason"),
    ("extended_on", "extension_days"),
    ("extended_on", "extension_reason"),
    ("review_requested_on", "review_unit"),
    ("re_review_requested_on", "re_review_unit"),
    ("hearing_to", "hearing_from"),
    ("closed_on", "closure"),
)


def _delivered(column: str) -> dict[str, str]:
    """Where a step's delivery date errors go: the step's own 送达 column."""
    return {"delivered_on": column, "on/delivered_on": column}


def _companions(row: Row) -> None:
    for main, dependents in _COMPANIONS:
        row.without(main, dependents)
    for main, dependent in _NEEDED:
        if row.given(main) and not row.given(dependent):
            row.missing(
                dependent,
                f"required when {row.header(main)} is filled",
                f"填写了{row.header(main)}时必填",
            )
    values = row.values
    if values.get("simplified") and not row.given("accepted_on"):
        row.error(
            "simplified",
            f"简易办理 is chosen on acceptance: fill {row.header('accepted_on')}",
            f"简易办理须在受理时选择，请填写{row.header('accepted_on')}",
        )
    if values.get("simplified") and row.given("extended_on"):
        row.error(
            "extended_on",
            "简易办理 is not extended; handle it as an ordinary petition",
            "简易办理不延期，请按一般程序办理",
        )


def _routings(row: Row) -> list[Step] | None:
    """The routings and objections, interleaved: the n-th objection follows the n-th routing."""
    values = row.values
    routed: tuple[Any, ...] = values.get("routed_on", ())
    objected: tuple[Any, ...] = values.get("objected_on", ())
    if row.given("objected_on") and not row.given("routed_on"):
        row.error(
            "objected_on",
            f"an objection follows a routing: fill {row.header('routed_on')}",
            f"异议须在转送、交办之后，请填写{row.header('routed_on')}",
        )
        return None
    units = row.aligned("routed_on", "routed_to", len(routed), required=True) if routed else ()
    reasons = (
        row.aligned("objected_on", "objection_reasons", len(objected), required=True)
        if objected
        else ()
    )
    if units is None or reasons is None:
        return None
    if objected and not len(routed) - 1 <= len(objected) <= len(routed):
        row.error(
            "objected_on",
            f"{len(objected)} objections to {len(routed)} routings: each objection follows a "
            "routing of its own, in order",
            f"异议次数（{len(objected)}）与转送、交办次数（{len(routed)}）不符：每次异议应在一次转送、交办之后",
        )
        return None
    if any(reason is None for reason in reasons):
        row.error(
            "objection_reasons",
            "an objection states its reasons (one line per objection)",
            "提出异议须说明理由（每次异议一行）",
        )
        return None
    steps: list[Step] = []
    for index, day in enumerate(routed):
        number = index + 1 if len(routed) > 1 else None
        steps.append(
            Step(
                "routed_on",
                _S.ROUTED,
                day,
                entry=number,
                extra={"unit": units[index]},
                at_fault={"unit": "routed_to"},
            )
        )
        if index < len(objected):
            steps.append(
                Step(
                    "objected_on",
                    _S.OBJECTED,
                    objected[index],
                    entry=index + 1 if len(objected) > 1 else None,
                    extra={"note": reasons[index]},
                    at_fault={"note": "objection_reasons"},
                )
            )
    return steps


def _steps(row: Row) -> list[Step] | None:
    values = row.values
    routings = _routings(row)
    if routings is None or row.errors:
        return None
    steps = [Step("received_on", _S.RECEIVED, values["received_on"]), *routings]

    def add(field: str, status: PetitionStatus, **extra: Any) -> None:
        if field in values:
            at_fault = extra.pop("at_fault", {})
            steps.append(Step(field, status, values[field], extra=extra, at_fault=at_fault))

    add(
        "accepted_on",
        _S.ACCEPTED,
        simplified=values.get("simplified", False),
        at_fault={"simplified": "simplified"},
    )
    add(
        "extended_on",
        _S.EXTENDED,
        days=values.get("extension_days"),
        note=values.get("extension_reason"),
        at_fault={"days": "extension_days", "note": "extension_reason"},
    )
    add(
        "answered_on",
        _S.ANSWERED,
        delivered_on=values.get("answer_delivered_on"),
        at_fault=_delivered("answer_delivered_on"),
    )
    add(
        "review_requested_on",
        _S.REVIEW_REQUESTED,
        unit=values.get("review_unit"),
        at_fault={"unit": "review_unit"},
    )
    add(
        "reviewed_on",
        _S.REVIEWED,
        delivered_on=values.get("review_delivered_on"),
        at_fault=_delivered("review_delivered_on"),
    )
    add(
        "re_review_requested_on",
        _S.RE_REVIEW_REQUESTED,
        unit=values.get("re_review_unit"),
        at_fault={"unit": "re_review_unit"},
    )
    add(
        "hearing_to",
        _S.HEARING_HELD,
        hearing_from=values.get("hearing_from"),
        at_fault={"hearing_from": "hearing_from", "hearing_from/on": "hearing_from"},
    )
    add(
        "re_reviewed_on",
        _S.RE_REVIEWED,
        delivered_on=values.get("re_review_delivered_on"),
        at_fault=_delivered("re_review_delivered_on"),
    )
    add(
        "not_accepted_on",
        _S.NOT_ACCEPTED,
        reason=values.get("not_accepted_reason"),
        route=values.get("statutory_route"),
        at_fault={"reason": "not_accepted_reason", "route": "statutory_route"},
    )
    add("closed_on", _S.CLOSED, closure=values.get("closure"), at_fault={"closure": "closure"})
    return steps


def _may_follow(before: Sequence[Step], step: Step) -> bool:
    return step.status in TRANSITIONS[before[-1].status]


_AT_FAULT = {
    "petition_id": "petition_id",
    "group_size": "group_size",
    "representatives": "representatives",
    "channel/group_size": "group_size",
    "group_size/representatives": "representatives",
}


def _assemble(row: Row) -> Petition | None:
    _companions(row)
    if row.errors:
        return None
    steps = _steps(row)
    if steps is None or not walk(row, steps, _may_follow):
        return None
    history = steps_of(row, steps, PetitionStep, actor=ROSTER_ACTOR)
    if history is None:
        return None
    values = row.values
    petition = with_history(
        row,
        steps,
        _AT_FAULT,
        Petition,
        petition_id=values["petition_id"],
        petitioner=values["petitioner"],
        category=values["category"],
        channel=values["channel"],
        received_by=values["received_by"],
        receiver=values["receiver"],
        history=tuple(history),
        group_size=values.get("group_size"),
        representatives=values.get("representatives"),
    )
    if petition is None:
        return None
    status = values.get("status")
    if status is not None and status is not petition.status:
        row.error(
            "status",
            f"the steps filled give {petition.status.label_zh}, not {status.label_zh}",
            f"按所填环节，当前状态应为“{petition.status.label_zh}”",
        )
        return None
    unit = values.get("unit")
    if unit is not None and unit != petition.unit:
        row.error(
            "unit",
            f"the steps filled give {petition.unit.short} as the unit in charge",
            f"按所填环节，当前承办单位应为{petition.unit.short}",
        )
        return None
    return petition


def _key(values: Mapping[str, Any]) -> str | None:
    found = values.get("petition_id")
    return found if isinstance(found, str) else None


PETITIONS = Spec(
    kind=RosterKind.PETITIONS,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=("the same petition number is already in row {row}", "与第{row}行信访件编号重复"),
)


# --- writing -----------------------------------------------------------------------------------


def _optional(value: Any) -> RowCell:
    return "" if value is None else value


def cells(petition: Petition, personal: bool) -> dict[str, RowCell]:
    """A petition's cells by field (the reader reads them back to an equal petition, its
    steps taken by ``roster import`` and only the objections' and extension's notes kept)."""
    cells: dict[str, RowCell] = {
        "petition_id": petition.petition_id,
        "petitioner": id_cell(petition.petitioner, personal),
        "category": petition.category.label_zh,
        "channel": petition.channel.label_zh,
        "received_by": petition.received_by.short,
        "receiver": petition.receiver.label_zh,
        "received_on": petition.received_on,
        "group_size": "" if petition.group_size is None else str(petition.group_size),
        "representatives": ""
        if petition.representatives is None
        else str(petition.representatives),
        "status": petition.status.label_zh,
        "unit": petition.unit.short,
    }
    routed = [s for s in petition.history if s.to_status is _S.ROUTED]
    objected = [s for s in petition.history if s.to_status is _S.OBJECTED]
    if routed:
        cells["routed_on"] = dates_cell(s.on for s in routed)
        cells["routed_to"] = LIST_SEPARATOR.join(s.unit.short for s in routed if s.unit)
    if objected:
        cells["objected_on"] = dates_cell(s.on for s in objected)
        cells["objection_reasons"] = text_list_cell(s.note for s in objected)
    for step in petition.history:
        to = step.to_status
        if to is _S.ACCEPTED:
            cells["accepted_on"] = step.on
            cells["simplified"] = "是" if step.simplified else "否"
        elif to is _S.EXTENDED:
            cells["extended_on"] = step.on
            cells["extension_days"] = str(step.days)
            cells["extension_reason"] = step.note or ""
        elif to is _S.ANSWERED:
            cells["answered_on"] = step.on
            cells["answer_delivered_on"] = _optional(step.delivered_on)
        elif to is _S.REVIEW_REQUESTED:
            cells["review_requested_on"] = step.on
            cells["review_unit"] = "" if step.unit is None else step.unit.short
        elif to is _S.REVIEWED:
            cells["reviewed_on"] = step.on
            cells["review_delivered_on"] = _optional(step.delivered_on)
        elif to is _S.RE_REVIEW_REQUESTED:
            cells["re_review_requested_on"] = step.on
            cells["re_review_unit"] = "" if step.unit is None else step.unit.short
        elif to is _S.HEARING_HELD:
            cells["hearing_from"] = _optional(step.hearing_from)
            cells["hearing_to"] = step.on
        elif to is _S.RE_REVIEWED:
            cells["re_reviewed_on"] = step.on
            cells["re_review_delivered_on"] = _optional(step.delivered_on)
        elif to is _S.NOT_ACCEPTED:
            cells["not_accepted_on"] = step.on
            reason = step.reason or NotAcceptedReason.OTHER
            cells["not_accepted_reason"] = reason.label_zh
            cells["statutory_route"] = "" if step.route is None else step.route.label_zh
        elif to is _S.CLOSED:
            cells["closed_on"] = step.on
            cells["closure"] = "" if step.closure is None else step.closure.label_zh
    return cells
