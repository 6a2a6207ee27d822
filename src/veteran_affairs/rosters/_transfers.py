"""The insurance-continuation register (保险接续台账) ⇄ ``InsuranceTransfer`` (private engine).

One row per veteran and scheme (险种). The steps of the scheme's path
(:attr:`~veteran_affairs.casework.discharge.InsuranceScheme.path`) each have a date column —
退役命令时间 (required), 补助计算时间, 资金划转时间, 凭证交付时间, 经办机构接收时间, 建立账户时间,
接续完成时间 (失业保险 has only the first, 经办机构接收时间 and the last) — filled in order, no step
skipped. A transfer may stall (接续受阻) and resume where it stalled, more than once: the
stalls are aligned list cells, 受阻环节 (the last step done when it stalled), 受阻时间,
恢复办理时间 (blank: still stalled, then no later step may be filled) and 受阻原因 (one line
per stall). The other steps' notes are not held. 办理状态 is what the steps give: written on
export, checked when filled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from veteran_affairs.casework.discharge import (
    FUNDED_PATH,
    InsuranceStatus,
    InsuranceStep,
    InsuranceTransfer,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
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
    choice,
    date,
    listed,
    resident_id,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._steps import Step, steps_of, walk, with_history
from veteran_affairs.rosters._writing import RowCell, dates_cell, id_cell, text_list_cell

_I = InsuranceStatus

PATH_FIELDS: dict[InsuranceStatus, str] = {
    _I.ORDER_ISSUED: "order_issued_on",
    _I.SUBSIDY_COMPUTED: "subsidy_computed_on",
    _I.FUNDS_REMITTED: "funds_remitted_on",
    _I.VOUCHERS_ISSUED: "vouchers_issued_on",
    _I.RECEIVED_BY_AGENCY: "received_by_agency_on",
    _I.ACCOUNT_OPENED: "account_opened_on",
    _I.CONTINUED: "continued_on",
}
"""The date column of each step of a transfer's path."""

_STALL_LISTS = ("stalled_at", "resumed_on", "stall_notes")


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "veteran": resident_id,
        "scheme": choice(vocab.INSURANCE_SCHEMES),
        "destination": vocab.unit_parser(within),
        "amount": vocab.amount,
        "application_on": date,
        **dict.fromkeys(PATH_FIELDS.values(), date),
        "stalled_at": listed(vocab.INSURANCE_STATUSES.value, LABEL_SEPARATORS),
        "stalled_on": listed(date_of_text, DATE_SEPARATORS),
        "resumed_on": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
        "stall_notes": vocab.text_entries,
        "status": choice(vocab.INSURANCE_STATUSES),
    }


_TRANSFER = attrs.fields_dict(InsuranceTransfer)
_CHECKS: dict[str, Check] = {
    "amount": attribute_check(_TRANSFER["amount"]),
    "application_on": attribute_check(_TRANSFER["application_on"]),
    **dict.fromkeys(PATH_FIELDS.values(), attribute_check(attrs.fields_dict(InsuranceStep)["on"])),
}


def _stalls(row: Row) -> list[tuple[InsuranceStatus, Any, Any, Any]] | None:
    """Each stall as (the state it stalled in, its date, the resumption or None, the note)."""
    row.without("stalled_on", _STALL_LISTS)
    days: tuple[Any, ...] = row.values.get("stalled_on", ())
    if not days:
        return []
    count = len(days)
    at = row.aligned("stalled_on", "stalled_at", count, required=True)
    resumed = row.aligned("stalled_on", "resumed_on", count, required=False)
    notes = row.aligned("stalled_on", "stall_notes", count, required=False)
    if at is None or resumed is None or notes is None:
        return None
    scheme = row.values["scheme"]
    for number, state in enumerate(at, start=1):
        entry = f"entry {number}: " if count > 1 else ""
        entry_zh = f"第{number}项：" if count > 1 else ""
        if state not in scheme.path[:-1]:
            row.error(
                "stalled_at",
                f"{entry}a transfer stalls after a step of its path before the last "
                f"({', '.join(s.label_zh for s in scheme.path[:-1])})",
                f"{entry_zh}受阻环节应为接续完成前的已办环节",
            )
            return None
        if PATH_FIELDS[state] not in row.values:
            row.error(
                "stalled_at",
                f"{entry}stalled after {state.label_zh}, but "
                f"{row.header(PATH_FIELDS[state])} is blank",
                f"{entry_zh}受阻环节“{state.label_zh}”的时间未填写",
            )
            return None
    return list(zip(at, days, resumed, notes, strict=True))


def _steps(row: Row) -> list[Step] | None:
    values = row.values
    scheme = values["scheme"]
    for state in FUNDED_PATH:
        field = PATH_FIELDS[state]
        if state not in scheme.path and row.given(field):
            row.error(
                field,
                f"{scheme.label_zh} has no such step: leave it blank",
                f"{scheme.label_zh}无此环节，请留空",
            )
    stalls = _stalls(row)
    if row.errors or stalls is None:
        return None
    several = len(stalls) > 1
    steps: list[Step] = []
    open_stall: Step | None = None
    for state in scheme.path:
        field = PATH_FIELDS[state]
        if field not in values:
            continue
        steps.append(Step(field, state, values[field]))
        for number, (at, day, resumed, note) in enumerate(stalls, start=1):
            if at is not state:
                continue
            entry = number if several else None
            stall = Step(
                "stalled_on",
                _I.STALLED,
                day,
                entry=entry,
                extra={"note": note},
                at_fault={"note": "stall_notes"},
            )
            steps.append(stall)
            if resumed is None:
                open_stall = open_stall or stall
            else:
                steps.append(Step("resumed_on", state, resumed, entry=entry))
    if open_stall is not None and steps[-1] is not open_stall:
        row.error(
            "resumed_on",
            f"the transfer stalled on {open_stall.on.isoformat()} and was not resumed: fill "
            f"{row.header('resumed_on')}, or clear the steps after it",
            f"接续受阻（{open_stall.on.isoformat()}）后未恢复办理：请填写{row.header('resumed_on')}，"
            "或删除其后的环节",
        )
        return None
    return steps


def _along(path: tuple[InsuranceStatus, ...]) -> Callable[[Sequence[Step], Step], bool]:
    """Whether a step may follow: the next step of ``path`` or a stall; after a stall, the
    resumption of the step it stalled after."""

    def may_follow(before: Sequence[Step], step: Step) -> bool:
        current = before[-1].status
        if current is _I.STALLED:
            return step.status is before[-2].status
        index = path.index(current)
        return index + 1 < len(path) and step.status in (path[index + 1], _I.STALLED)

    return may_follow


_AT_FAULT = {
    "amount": "amount",
    "amount/history": "amount",
    "application_on": "application_on",
    "application_on/scheme": "application_on",
    "application_on/history.on": "application_on",
}


def _assemble(row: Row) -> InsuranceTransfer | None:
    if "scheme" not in row.values:
        return None  # blank or bad: already reported
    steps = _steps(row)
    if steps is None:
        return None
    values = row.values
    scheme = values["scheme"]
    if not walk(row, steps, _along(scheme.path)):
        return None
    history = steps_of(row, steps, InsuranceStep)
    if history is None:
        return None
    transfer = with_history(
        row,
        steps,
        _AT_FAULT,
        InsuranceTransfer,
        veteran=values["veteran"],
        scheme=scheme,
        history=tuple(history),
        destination=values.get("destination"),
        amount=values.get("amount"),
        application_on=values.get("application_on"),
    )
    if transfer is None:
        return None
    status = values.get("status")
    if status is not None and status is not transfer.status:
        row.error(
            "status",
            f"the steps filled give {transfer.status.label_zh}, not {status.label_zh}",
            f"按所填环节，当前状态应为“{transfer.status.label_zh}”",
        )
        return None
    return transfer


def _key(values: Mapping[str, Any]) -> str | None:
    veteran, scheme = values.get("veteran"), values.get("scheme")
    if veteran is None or scheme is None:
        return None
    return f"{veteran.unmasked}/{scheme.value}"


INSURANCE_TRANSFERS = Spec(
    kind=RosterKind.INSURANCE_TRANSFERS,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=(
        "the same veteran's transfer of this scheme is already in row {row}",
        "与第{row}行为同一人同一险种",
    ),
)


def cells(transfer: InsuranceTransfer, personal: bool) -> dict[str, RowCell]:
    """A transfer's cells by field (read back to an equal transfer, only the stalls' notes
    kept)."""
    cells: dict[str, RowCell] = {
        "veteran": id_cell(transfer.veteran, personal),
        "scheme": transfer.scheme.label_zh,
        "destination": "" if transfer.destination is None else transfer.destination.short,
        "amount": "" if transfer.amount is None else transfer.amount,
        "application_on": "" if transfer.application_on is None else transfer.application_on,
        "status": transfer.status.label_zh,
    }
    for state in transfer.scheme.path:
        reached = transfer.reached_on(state)
        cells[PATH_FIELDS[state]] = "" if reached is None else reached
    history = transfer.history
    stalls = [i for i, step in enumerate(history) if step.to_status is _I.STALLED]
    if stalls:
        cells["stalled_at"] = LIST_SEPARATOR.join(history[i - 1].to_status.label_zh for i in stalls)
        cells["stalled_on"] = dates_cell(history[i].on for i in stalls)
        cells["resumed_on"] = dates_cell(
            history[i + 1].on if i + 1 < len(history) else None for i in stalls
        )
        cells["stall_notes"] = text_list_cell(history[i].note for i in stalls)
    return cells
