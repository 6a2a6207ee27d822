"""The legacy-case register (历史遗留问题台账) ⇄ ``LegacyCase`` (private engine of ``rosters``).

One row per case. Its history is read from the dates of its steps
(:data:`~veteran_affairs.casework.legacy.TRANSITIONS`): 登记时间 (required), 核实时间 or
核实不属实时间, 方案确定时间, and one ending — 化解时间, 移交时间 (with 移交单位) or 暂无法化解时间.
The plan's milestones are aligned list cells: 化解节点 (the titles, one per line), 节点编号
(blank: numbered 1, 2 …), 节点期限 and 节点完成时间 (an entry may be blank: not done);
检视时间 lists the reviews. The steps' notes and who took them are not held (steps are read
back as taken by ``roster import``). 办理状态 is what the steps give: written on export,
checked when filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from veteran_affairs.casework.legacy import (
    TRANSITIONS,
    LegacyCase,
    LegacyStatus,
    LegacyStep,
    Milestone,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cases import ROSTER_ACTOR
from veteran_affairs.rosters._cells import DATE_SEPARATORS, LIST_SEPARATOR, date_of_text
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    build,
    choice,
    date,
    id_list,
    listed,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._steps import Step, steps_of, walk, with_history
from veteran_affairs.rosters._writing import RowCell, dates_cell, ids_cell, text_list_cell

_L = LegacyStatus

STEP_FIELDS: tuple[tuple[str, LegacyStatus], ...] = (
    ("identified_on", _L.IDENTIFIED),
    ("verified_on", _L.VERIFIED),
    ("unfounded_on", _L.UNFOUNDED),
    ("plan_agreed_on", _L.PLAN_AGREED),
    ("resolved_on", _L.RESOLVED),
    ("referred_on", _L.REFERRED),
    ("unresolvable_on", _L.UNRESOLVABLE),
)
"""The date column of each step, in the order of the procedure."""

_FIELD_OF = {status: field for field, status in STEP_FIELDS}
_MILESTONE_LISTS = ("milestone_keys", "milestone_targets", "milestone_done")


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "case_id": text,
        "category": choice(vocab.LEGACY_CATEGORIES),
        "regime": choice(vocab.ORIGIN_REGIMES),
        "origin_on": date,
        "topic": text,
        "responsible_unit": vocab.unit_parser(within),
        "owner": text,
        "subjects": id_list,
        "source_request": text,
        **{field: date for field, _ in STEP_FIELDS},
        "referred_to": text,
        "milestone_keys": vocab.number_list,
        "milestone_titles": vocab.text_entries,
        "milestone_targets": listed(date_of_text, DATE_SEPARATORS),
        "milestone_done": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
        "reviews": listed(date_of_text, DATE_SEPARATORS),
        "status": choice(vocab.LEGACY_STATUSES),
    }


_CASE = attrs.fields_dict(LegacyCase)
_CHECKS: dict[str, Check] = {
    "case_id": attribute_check(_CASE["case_id"]),
    "topic": attribute_check(_CASE["topic"]),
    "owner": attribute_check(_CASE["owner"]),
    "origin_on": attribute_check(_CASE["origin_on"]),
    "source_request": attribute_check(_CASE["source_request"]),
    "referred_to": attribute_check(_CASE["referred_to"]),
    **dict.fromkeys(
        (field for field, _ in STEP_FIELDS), attribute_check(attrs.fields_dict(LegacyStep)["on"])
    ),
}


def _milestones(row: Row) -> tuple[Milestone, ...] | None:
    row.without("milestone_titles", _MILESTONE_LISTS)
    titles: tuple[str | None, ...] = row.values.get("milestone_titles", ())
    if not titles:
        return ()
    count = len(titles)
    if any(title is None for title in titles):
        row.error(
            "milestone_titles",
            "a milestone has a title (one line per milestone)",
            "每个化解节点须填写内容（每行一个）",
        )
        return None
    keys = row.aligned("milestone_titles", "milestone_keys", count, required=False)
    targets = row.aligned("milestone_titles", "milestone_targets", count, required=True)
    done = row.aligned("milestone_titles", "milestone_done", count, required=False)
    if keys is None or targets is None or done is None:
        return None
    at_fault = {
        "key": "milestone_keys",
        "title": "milestone_titles",
        "target_on": "milestone_targets",
        "done_on": "milestone_done",
    }
    found: list[Milestone] = []
    for number, (key, title, target, finished) in enumerate(
        zip(keys, titles, targets, done, strict=True), start=1
    ):
        made = build(
            row,
            at_fault,
            Milestone,
            entry=number,
            key=str(number) if key is None else key,
            title=title,
            target_on=target,
            done_on=finished,
        )
        if made is None:
            return None
        found.append(made)
    return tuple(found)


def _may_follow(before: Sequence[Step], step: Step) -> bool:
    return step.status in TRANSITIONS[before[-1].status]


_AT_FAULT = {
    "case_id": "case_id",
    "topic": "topic",
    "owner": "owner",
    "source_request": "source_request",
    "referred_to": "referred_to",
    "regime/origin_on": "origin_on",
    "origin_on/history.on": "origin_on",
    "subjects": "subjects",
    "milestones": "milestone_keys",
    "milestones.target_on": "milestone_targets",
    "milestones.done_on": "milestone_done",
    "reviews": "reviews",
    "referred_to/status": "referred_to",
}


def _assemble(row: Row) -> LegacyCase | None:
    values = row.values
    row.without("referred_on", ("referred_to",))
    if row.given("referred_on") and not row.given("referred_to"):
        row.missing(
            "referred_to",
            f"required when {row.header('referred_on')} is filled",
            f"填写了{row.header('referred_on')}时必填",
        )
    milestones = _milestones(row)
    if row.errors or milestones is None:
        return None
    steps = [Step(field, status, values[field]) for field, status in STEP_FIELDS if field in values]
    if not walk(row, steps, _may_follow):
        return None
    history = steps_of(row, steps, LegacyStep, actor=ROSTER_ACTOR)
    if history is None:
        return None
    case = with_history(
        row,
        steps,
        _AT_FAULT,
        LegacyCase,
        case_id=values["case_id"],
        category=values["category"],
        regime=values["regime"],
        topic=values["topic"],
        responsible_unit=values["responsible_unit"],
        owner=values["owner"],
        history=tuple(history),
        origin_on=values.get("origin_on"),
        subjects=values.get("subjects", ()),
        milestones=milestones,
        reviews=tuple(sorted(values.get("reviews", ()))),
        source_request=values.get("source_request"),
        referred_to=values.get("referred_to"),
    )
    if case is None:
        return None
    status = values.get("status")
    if status is not None and status is not case.status:
        row.error(
            "status",
            f"the steps filled give {case.status.label_zh}, not {status.label_zh}",
            f"按所填环节，当前状态应为“{case.status.label_zh}”",
        )
        return None
    return case


def _key(values: Mapping[str, Any]) -> str | None:
    found = values.get("case_id")
    return found if isinstance(found, str) else None


LEGACY_CASES = Spec(
    kind=RosterKind.LEGACY_CASES,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=("the same case number is already in row {row}", "与第{row}行遗留问题编号重复"),
)


def cells(case: LegacyCase, personal: bool) -> dict[str, RowCell]:
    """A legacy case's cells by field (read back to an equal case, its steps taken by
    ``roster import`` without notes)."""
    milestones = case.milestones
    cells: dict[str, RowCell] = {
        "case_id": case.case_id,
        "category": case.category.label_zh,
        "regime": case.regime.label_zh,
        "origin_on": "" if case.origin_on is None else case.origin_on,
        "topic": case.topic,
        "responsible_unit": case.responsible_unit.short,
        "owner": case.owner,
        "subjects": ids_cell(case.subjects, personal),
        "source_request": case.source_request or "",
        "referred_to": case.referred_to or "",
        "milestone_keys": LIST_SEPARATOR.join(m.key for m in milestones),
        "milestone_titles": text_list_cell(m.title for m in milestones),
        "milestone_targets": dates_cell(m.target_on for m in milestones),
        "milestone_done": dates_cell(m.done_on for m in milestones),
        "reviews": dates_cell(case.reviews),
        "status": case.status.label_zh,
    }
    for step in case.history:
        cells[_FIELD_OF[step.to_status]] = step.on
    return cells
