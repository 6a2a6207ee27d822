"""Rows of a hardship-assistance roster into ``AssistanceCase`` (private engine of ``rosters``).

A case's history is built from its milestone dates alone, never inventing one: 申请时间
(required), then whichever of 乡镇审核时间, 县级审批时间, 公示时间, 发放时间 are filled, in the
order of the procedure (退役军人部发〔2019〕62号), and last 不予批准时间 or 撤回时间. Each step
must be one the state machine (``TRANSITIONS``) allows after the one before, and dated no
earlier; otherwise the error names the later step's column. Every step is recorded as taken
by :data:`ROSTER_ACTOR`, without a note: a roster does not say who took it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.assistance import (
    TRANSITIONS,
    AssistanceCase,
    CaseStatus,
    CaseTransition,
    FundingAllocation,
)
from veteran_affairs.rosters import _cells
from veteran_affairs.rosters._cells import (
    AMOUNT_SEPARATORS,
    LABEL_SEPARATORS,
    BadCell,
    division_parser,
    parse_amount,
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
    record,
    resident_id,
    text,
)
from veteran_affairs.rosters._result import Cell
from veteran_affairs.rosters._roster_columns import RosterKind

ROSTER_ACTOR = "roster import"
"""Who took the steps of a case read from a roster (a roster does not say): ``roster import``."""

MILESTONES: tuple[tuple[str, CaseStatus], ...] = (
    ("applied_on", CaseStatus.APPLIED),
    ("reviewed_on", CaseStatus.TOWNSHIP_REVIEWED),
    ("approved_on", CaseStatus.COUNTY_APPROVED),
    ("publicised_on", CaseStatus.PUBLICISED),
    ("paid_on", CaseStatus.PAID),
    ("rejected_on", CaseStatus.REJECTED),
    ("withdrawn_on", CaseStatus.WITHDRAWN),
)
"""The milestone date fields, in the order their steps are taken, with the state each reaches."""


def _amount(value: str, cell: Cell) -> Decimal:
    if isinstance(cell, float) and cell == cell and abs(cell) != float("inf"):
        value = format(cell, ".15g")  # what Excel shows of a number: 15 significant digits
        if "e" in value:
            raise BadCell("not an amount of yuan", "不是金额")
    return parse_amount(value)


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    division = division_parser(within)
    return {
        "case_id": text,
        "applicant": resident_id,
        "division": lambda value, _cell: division(value),
        "cause": choice(_cells.HARDSHIP_CAUSES),
        "incident_on": date,
        "requested_amount": _amount,
        "approved_amount": _amount,
        **{field: date for field, _ in MILESTONES},
        "funding_sources": listed(_cells.FUNDING_SOURCES.value, LABEL_SEPARATORS),
        "funding_amounts": listed(parse_amount, AMOUNT_SEPARATORS),
    }


_STEP = attribute_check(attrs.fields_dict(CaseTransition)["on"])
_CHECKS: dict[str, Check] = {
    "case_id": attribute_check(attrs.fields_dict(AssistanceCase)["case_id"]),
    "incident_on": attribute_check(attrs.fields_dict(AssistanceCase)["incident_on"]),
    **{field: _STEP for field, _ in MILESTONES},
}


def _history(row: Row) -> tuple[CaseTransition, ...] | None:
    """The steps of the filled milestones, each one the state machine allows after the last."""
    values = row.values
    if "applied_on" not in values:
        return None  # blank or bad: already reported
    steps: list[CaseTransition] = []
    before: tuple[str, CaseStatus] | None = None
    for field, status in MILESTONES:
        if field not in values:
            if row.given(field):
                return None  # a bad date, already reported
            continue
        on = values[field]
        if before is not None:
            earlier, current = before
            if status not in TRANSITIONS[current]:
                row.error(
                    field,
                    f"{status.label_zh} cannot follow {current.label_zh} "
                    f"({row.header(earlier)}): fill the steps in between, or clear this date",
                    f"“{current.label_zh}”之后不能直接“{status.label_zh}”，"
                    "请补填中间环节的时间或删除此时间",
                )
                return None
            if on < values[earlier]:
                row.error(
                    field,
                    f"dated before {row.header(earlier)}",
                    f"早于{row.header(earlier)}",
                )
                return None
        step = build(
            row,
            {"on": field},
            CaseTransition,
            to_status=status,
            on=on,
            actor=ROSTER_ACTOR,
            from_status=None if before is None else before[1],
        )
        if step is None:
            return None
        steps.append(step)
        before = (field, status)
    return tuple(steps)


def _funding(row: Row) -> tuple[FundingAllocation, ...]:
    row.without("funding_sources", ("funding_amounts",))
    sources = row.values.get("funding_sources")
    if not sources:
        return ()
    if len(sources) > 1 and len(row.values.get("funding_amounts", sources)) == 1:
        row.error(
            "funding_amounts",
            f"give each of the {len(sources)} sources its own amount, in the same order",
            f"应按资金来源逐项填写金额（共{len(sources)}项）",
        )
        return ()
    amounts = row.aligned("funding_sources", "funding_amounts", len(sources), required=True)
    if amounts is None:
        return ()
    if not row.given("approved_on"):
        row.error(
            "funding_sources",
            f"funding goes with county approval: fill {row.header('approved_on')}",
            f"资金来源须在县级审批后填写（{row.header('approved_on')}）",
        )
        return ()
    return tuple(
        FundingAllocation(source=source, amount=amount)
        for source, amount in zip(sources, amounts, strict=True)
    )


def _assemble(row: Row) -> AssistanceCase | None:
    values = row.values
    history = _history(row)
    approved = "approved_on" in values
    if approved and not row.given("approved_amount"):
        row.missing(
            "approved_amount",
            f"required when {row.header('approved_on')} is filled",
            f"填写了{row.header('approved_on')}时必填",
        )
    elif "approved_amount" in values and not row.given("approved_on"):
        row.error(
            "approved_amount",
            f"an approved amount goes with county approval: fill {row.header('approved_on')}",
            f"审批金额须与{row.header('approved_on')}同时填写",
        )
    funding = _funding(row)
    if funding and "approved_amount" in values:
        total = sum((f.amount for f in funding), Decimal(0))
        if total > values["approved_amount"]:
            row.error(
                "funding_amounts",
                f"the funding ({total}) exceeds the approved amount ({values['approved_amount']})",
                f"资金来源合计（{total}）超过审批金额（{values['approved_amount']}）",
            )
    incident, applied = values.get("incident_on"), values.get("applied_on")
    if incident is not None and applied is not None and applied < incident:
        row.error(
            "applied_on",
            f"the application cannot precede the incident ({row.header('incident_on')})",
            f"申请时间早于{row.header('incident_on')}",
        )
    if row.errors or history is None:
        return None
    return record(
        row,
        {
            "case_id": "case_id",
            "incident_on": "incident_on",
            "incident_on/history.on": "applied_on",
            "requested_amount": "requested_amount",
            "approved_amount": "approved_amount",
            "approved_amount/history": "approved_amount",
            "funding/approved_amount": "funding_amounts",
        },
        AssistanceCase,
        case_id=values["case_id"],
        applicant=values["applicant"],
        division=values["division"],
        cause=values["cause"],
        incident_on=values["incident_on"],
        history=history,
        requested_amount=values.get("requested_amount"),
        approved_amount=values.get("approved_amount"),
        funding=funding,
    )


def _key(values: Mapping[str, Any]) -> str | None:
    found = values.get("case_id")
    return found if isinstance(found, str) else None


CASES = Spec(
    kind=RosterKind.CASES,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=("the same case number is already in row {row}", "与第{row}行案件编号重复"),
)
