"""Work routine compliance per unit (工作制度落实情况): the occasions held on time, late, missed.

:func:`compliance_summary` adds up :class:`~veteran_affairs.cycles.ComplianceRow` rows — the
output of :func:`veteran_affairs.cycles.compliance`, one per unit and occasion of a routine,
for one or several routines — over a :class:`~veteran_affairs.hierarchy.tree.DivisionTree`.
A row counts at its unit (itself, else its nearest ancestor in the tree; outside the tree:
``Report.unplaced``).

Columns (:data:`COMPLIANCE_COLUMNS`), each a count of occasions:

* ``on_time`` (按时完成), ``late`` (逾期完成), ``missed`` (未完成), ``not_yet_due`` (未到期), as
  the rows say (the statuses are defined in :mod:`veteran_affairs.cycles.routines`);
* ``due`` (应完成) = ``on_time`` + ``late`` + ``missed``; ``done`` (已完成) = ``on_time`` + ``late``;
* ``on_time_rate`` (按时完成率) = ``on_time`` ÷ ``due`` and ``done_rate`` (完成率) = ``done`` ÷
  ``due``, recomputed from the summed counts, never averaged.

The rows say what was known on the date they were computed for; pass that date as ``as_of``.
A row held after ``as_of`` shows they were computed for a later date and is refused.

>>> import datetime as dt
>>> from veteran_affairs.cycles import ComplianceRow, ComplianceStatus, Month
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode
>>> def row(unit, status, held_on=None):
...     return ComplianceRow(cycle="dispatch-meeting", unit=DivisionCode(unit),
...                          period=Month.parse("2025-06"), due=dt.date(2025, 6, 30),
...                          status=status, held_on=held_on)
>>> rows = [row("450312100", ComplianceStatus.ON_TIME, dt.date(2025, 6, 5)),
...         row("450312101", ComplianceStatus.MISSED)]
>>> report = compliance_summary(DivisionTree.bundled("45").restrict("450312"), rows,
...                             as_of=dt.date(2025, 7, 1))
>>> top = report["450312"]
>>> top["due"], top["on_time"], top["missed"], top["on_time_rate"]
(2, 1, 1, 0.5)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

from veteran_affairs.cycles.routines import ComplianceRow, ComplianceStatus, Cycle
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy._rollup import Placer, Vector
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree

__all__ = ["COMPLIANCE_COLUMNS", "compliance_summary"]


def __dir__() -> list[str]:
    return __all__


COMPLIANCE_COLUMNS = (
    Column(key="on_time", label="on time", label_zh="按时完成"),
    Column(key="late", label="late", label_zh="逾期完成"),
    Column(key="missed", label="missed", label_zh="未完成"),
    Column(key="not_yet_due", label="not yet due", label_zh="未到期"),
    Column(key="due", label="due", label_zh="应完成"),
    Column(key="done", label="done", label_zh="已完成"),
    Column(
        key="on_time_rate",
        label="on-time rate",
        label_zh="按时完成率",
        kind=FigureKind.RATE,
        numerator="on_time",
        denominator="due",
    ),
    Column(
        key="done_rate",
        label="done rate",
        label_zh="完成率",
        kind=FigureKind.RATE,
        numerator="done",
        denominator="due",
    ),
)
"""The columns of the activity compliance report."""

_ADDS: dict[ComplianceStatus, tuple[int, ...]] = {
    # on_time, late, missed, not_yet_due, due, done
    ComplianceStatus.ON_TIME: (0, 4, 5),
    ComplianceStatus.LATE: (1, 4, 5),
    ComplianceStatus.MISSED: (2, 4),
    ComplianceStatus.NOT_YET_DUE: (3,),
}
_CHUNK = 1 << 16
_CYCLE = attrgetter("cycle")
_UNIT = attrgetter("unit.value")
_STATUS = attrgetter("status")
_ADDS_BY_ID = {id(status): adds for status, adds in _ADDS.items()}
_HELD = attrgetter("held_on")


def compliance_summary(
    tree: DivisionTree,
    rows: Iterable[ComplianceRow],
    *,
    as_of: dt.date,
    cycle: str | Cycle | None = None,
) -> Report:
    """Occasions held on time, late, missed and not yet due per unit, rates recomputed.

    Args:
        tree: the units to report on.
        rows: compliance rows of one or several routines, in any order (counted in batches,
            so an iterator is never held in full).
        as_of: the date the rows were computed for (the report's ``as_of``).
        cycle: only the rows of this routine (a :class:`~veteran_affairs.cycles.Cycle` or its
            name); all rows without it.

    Returns:
        A report of kind ``"activity-compliance"`` with :data:`COMPLIANCE_COLUMNS`.

    Raises:
        InconsistentRecord: a row held after ``as_of`` (rows computed for a later date).
    """
    wanted = cycle.name if isinstance(cycle, Cycle) else cycle
    # Counted at C speed over (routine, unit, id of the status): Enum.__hash__ runs in Python.
    counts: Counter[tuple[str, str, int]] = Counter()
    latest: dt.date | None = None
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, _CHUNK)):
        counts.update(
            zip(map(_CYCLE, batch), map(_UNIT, batch), map(id, map(_STATUS, batch)), strict=True)
        )
        held = max(filter(None, map(_HELD, batch)), default=None)
        if held is not None and (latest is None or held > latest):
            latest = held
    if latest is not None and latest > as_of:
        raise InconsistentRecord(
            "rows.held_on/as_of",
            f"{latest.isoformat()}/{as_of.isoformat()}",
            "a row was held after as_of: the rows were computed for a later date",
            "完成日期晚于统计日期",
        )
    place = Placer(tree)
    width = len(COMPLIANCE_COLUMNS)
    own: dict[str, Vector] = {}
    cycles: set[str] = set()
    unplaced = 0
    for (name, code, status_id), count in counts.items():
        if wanted is not None and name != wanted:
            continue
        cycles.add(name)
        unit = place(code)
        if unit is None:
            unplaced += count
            continue
        vector = own.get(unit)
        if vector is None:
            vector = own[unit] = [0] * width
        for i in _ADDS_BY_ID[status_id]:
            vector[i] += count
    shown = ", ".join(sorted(cycles)) if cycles else "none"
    notes = [
        f"routines (工作制度): {shown}",
        "due = on time + late + missed; rates from summed counts (比率按合计重算)",
    ]
    return build_report(
        tree,
        own,
        kind="activity-compliance",
        title="Work routine compliance",
        title_zh="工作制度落实情况",
        columns=COMPLIANCE_COLUMNS,
        as_of=as_of,
        notes=notes,
        unplaced=unplaced,
    )
