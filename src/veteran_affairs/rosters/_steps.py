"""A record's history from the date columns of its steps (private engine of ``rosters``).

The casework registers hold a record's course the way offices keep it: one date column per
step (受理时间, 答复时间 …), and a list cell for a step that may repeat (a second routing, a
stall). A kind's reader lists the filled steps in the order of its procedure as
:class:`Step` values; :func:`walk` checks that each may follow the ones before it (by the
record's own state machine) and is dated no earlier, naming the later step's column; then
:func:`steps_of` builds the model's steps and :func:`with_history` the record, any refusal
of the models being reported against the column (and list entry) of the step at fault. The
steps are taken by :data:`~veteran_affairs.rosters._cases.ROSTER_ACTOR`: a register does not
say who took them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from veteran_affairs.errors import IllegalTransition, InvalidValue
from veteran_affairs.rosters._parsing import Row, build, model_path

T = TypeVar("T")


class Step(NamedTuple):
    """One filled step of a row's history.

    Attributes:
        field: the roster field of the step's date (its errors name that column).
        status: the state the step reaches.
        on: its date.
        entry: the step's entry in a list cell (1-based), or ``None``.
        extra: the step's other fields, as the step model takes them.
        at_fault: the step model's fields (and field pairs) → the roster fields to blame.
    """

    field: str
    status: Any
    on: dt.date
    entry: int | None = None
    extra: Mapping[str, Any] = {}
    at_fault: Mapping[str, str] = {}


def _entry(step: Step) -> tuple[str, str]:
    if step.entry is None:
        return "", ""
    return f"entry {step.entry}: ", f"第{step.entry}项："


def walk(
    row: Row,
    steps: Sequence[Step],
    may_follow: Callable[[Sequence[Step], Step], bool],
) -> bool:
    """Whether every step may follow the ones before it and is dated no earlier than the last.

    ``may_follow(before, step)`` says whether ``step`` may come after the steps ``before``
    (the state machine's rule). The first step that may not, or is dated before the last,
    is an error of its column; ``False`` then.
    """
    for index in range(1, len(steps)):
        before, step = steps[index - 1], steps[index]
        entry, entry_zh = _entry(step)
        earlier = row.header(before.field)
        if not may_follow(steps[:index], step):
            now, then = step.status.label_zh, before.status.label_zh
            row.error(
                step.field,
                f"{entry}{now} cannot follow {then} ({earlier}): fill the steps in between, "
                "or clear this date",
                f"{entry_zh}“{then}”之后不能直接“{now}”，请补填中间环节的时间或删除此时间",
            )
            return False
        if step.on < before.on:
            row.error(step.field, f"{entry}dated before {earlier}", f"{entry_zh}早于{earlier}")
            return False
    return True


def steps_of(
    row: Row, steps: Sequence[Step], make: Callable[..., T], **common: Any
) -> list[T] | None:
    """The model's steps (``make(to_status=…, from_status=…, on=…, **common, **extra)``), or
    ``None`` with an error of the column at fault when a model refuses one."""
    made: list[T] = []
    for index, step in enumerate(steps):
        built = build(
            row,
            {"on": step.field, **step.at_fault},
            make,
            entry=step.entry,
            to_status=step.status,
            from_status=steps[index - 1].status if index else None,
            on=step.on,
            **common,
            **step.extra,
        )
        if built is None:
            return None
        made.append(built)
    return made


_HISTORY = re.compile(r"history\[(\d+)\]")


def with_history(
    row: Row,
    steps: Sequence[Step],
    at_fault: Mapping[str, str],
    make: Callable[..., T],
    **fields: Any,
) -> T | None:
    """``make(**fields)``: the record whose ``history`` came from ``steps``, or ``None``.

    A refusal is an error of the column ``at_fault`` names for the model's field; failing
    that, of the step a ``history[i]`` field points to — the column the step's own
    ``at_fault`` names for the rest of the field (``history[7].unit``: the step's unit), else
    the step's date — or of the step an illegal transition reaches; of the whole row
    otherwise. The row is then marked refused.
    """
    try:
        return make(**fields)
    except InvalidValue as error:
        field: str | None = at_fault.get(model_path(error.field))
        entry = None
        found = _HISTORY.match(error.field)
        if field is None and found is not None and int(found.group(1)) < len(steps):
            step = steps[int(found.group(1))]
            rest = error.field[found.end() :].lstrip(".")
            field, entry = step.at_fault.get(rest, step.field), step.entry
        row.invalid(field, error, entry)
    except IllegalTransition as error:
        reached = [s for s in steps if getattr(s.status, "value", None) == error.requested]
        where = reached[-1] if reached else None
        reason = error.reason or f"cannot go from {error.current} to {error.requested}"
        row.error(
            None if where is None else where.field,
            reason,
            f"不允许从“{error.current}”变更为“{error.requested}”",
        )
    row.refused = True
    return None
