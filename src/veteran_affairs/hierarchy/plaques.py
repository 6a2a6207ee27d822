"""Glory plaque coverage per unit (光荣牌应挂尽挂): a stock report at one date.

Each household (户) is classified by the ``glory_plaque`` rule
(:func:`veteran_affairs.rules.glory_plaque.statuses`, the same classification the county census
uses) and counted at its hukou unit: the unit itself if the tree has it, else its nearest
ancestor; a hukou outside the tree is counted only in ``Report.unplaced``.

Columns (:data:`PLAQUE_COLUMNS`), each a count of households:

* ``households`` — decided; ``eligible`` — entitled on the date (应挂);
* ``hung`` — a plaque on the door on the date, entitled or not (已挂);
* ``hung_eligible`` — entitled and hung (应挂已挂); ``to_hang`` — entitled, not hung (应挂未挂);
* ``to_recover`` — a hanging plaque to take back (应收回);
* ``undetermined`` — the decision lacks an input (待核实);
* ``rate`` — 应挂尽挂率 = ``hung_eligible`` ÷ ``eligible``, recomputed from the summed counts.

:func:`plaques` decides every household with a rule book; :func:`plaques_from_statuses` is the
fast path for statuses already decided (or kept in storage): the households' units and
statuses are read in batches with ``map`` and counted per (unit, status) pair — with numpy's
``bincount`` when numpy is importable (the ``batch`` extra), else ``collections.Counter`` —
then each distinct pair is expanded into columns once.

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode
>>> from veteran_affairs.rules.glory_plaque import PlaqueStatus
>>> village = DivisionCode("450312100000")
>>> statuses = [
...     PlaqueStatus(household_id="A", division=village, eligible=True, hung=True, to_recover=False),
...     PlaqueStatus(household_id="B", division=village, eligible=True, hung=False, to_recover=False),
... ]
>>> report = plaques_from_statuses(DivisionTree.bundled("45").restrict("450312"), statuses,
...                                on=dt.date(2022, 3, 1))
>>> row = report["450312"]
>>> row["eligible"], row["hung_eligible"], row["to_hang"], row["rate"]
(2, 1, 1, 0.5)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice
from operator import attrgetter, itemgetter

from veteran_affairs.hierarchy._rollup import Placer, Vector, count_pairs, roll_up
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, _assemble
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.models.household import PlaqueHousehold
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.glory_plaque import PlaqueStatus, statuses

__all__ = ["PLAQUE_COLUMNS", "plaques", "plaques_from_statuses"]


def __dir__() -> list[str]:
    return __all__


PLAQUE_COLUMNS = (
    Column(key="households", label="households", label_zh="户数"),
    Column(key="eligible", label="eligible", label_zh="应挂户数"),
    Column(key="hung", label="hung", label_zh="已挂户数"),
    Column(key="hung_eligible", label="eligible and hung", label_zh="应挂已挂户数"),
    Column(key="to_hang", label="to hang", label_zh="应挂未挂户数"),
    Column(key="to_recover", label="to recover", label_zh="应收回户数"),
    Column(key="undetermined", label="undetermined", label_zh="待核实户数"),
    Column(
        key="rate",
        label="coverage",
        label_zh="应挂尽挂率",
        kind=FigureKind.RATE,
        numerator="hung_eligible",
        denominator="eligible",
    ),
)
"""The columns of the plaque report."""

_OUTCOME = {True: 0, False: 1, None: 2}  # eligible, as a number


def _columns(eligible: bool | None, hung: bool, to_recover: bool) -> tuple[int, ...]:
    """The columns one household adds one to, among :data:`PLAQUE_COLUMNS`."""
    yes = eligible is True
    adds = (True, yes, hung, yes and hung, yes and not hung, to_recover, eligible is None)
    return tuple(i for i, add in enumerate(adds) if add)


_KEY_OF_FLAGS = {
    (eligible, hung, to_recover): _OUTCOME[eligible] * 4 + hung * 2 + to_recover
    for eligible in (True, False, None)
    for hung in (True, False)
    for to_recover in (True, False)
}
"""A status key (0–11) by (eligible, hung, to_recover), as :data:`_FLAGS` reads them."""
_KEYS = 12
_FLAGS = itemgetter(2, 3, 4)  # PlaqueStatus.eligible, .hung, .to_recover (a NamedTuple)
_CODE = attrgetter("division.value")
_BATCH = 1 << 17

_COLUMNS_OF = {
    _OUTCOME[eligible] * 4 + hung * 2 + to_recover: _columns(eligible, hung, to_recover)
    for eligible in (True, False, None)
    for hung in (True, False)
    for to_recover in (True, False)
}


def _counted(statuses: Iterable[PlaqueStatus]) -> dict[tuple[str, int], int]:
    """Households per (hukou unit code, status key), read in batches at C speed.

    Each batch's codes and status keys are read with ``map`` and counted by
    :func:`~veteran_affairs.hierarchy._rollup.count_pairs` (numpy when importable), so an
    iterator of statuses is never held in full.
    """
    counts: dict[tuple[str, int], int] = {}
    # A list or tuple is held already: one batch. An iterator is read a batch at a time.
    listed = isinstance(statuses, list | tuple)
    iterator = iter(statuses)
    while batch := statuses if listed else list(islice(iterator, _BATCH)):
        codes = list(map(_CODE, batch))
        keys = list(map(_KEY_OF_FLAGS.__getitem__, map(_FLAGS, batch)))
        for pair, count in count_pairs(codes, keys, _KEYS).items():
            counts[pair] = counts.get(pair, 0) + count
        if listed:
            break
    return counts


def _counted_one_by_one(statuses: Iterable[PlaqueStatus]) -> dict[tuple[str, int], int]:
    """As :func:`_counted`, one household at a time: the plain path the fast one must match."""
    counts: dict[tuple[str, int], int] = {}
    for status in statuses:
        key = _OUTCOME[status.eligible] * 4 + status.hung * 2 + status.to_recover
        pair = (status.division.value, key)
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def plaques_from_statuses(
    tree: DivisionTree, statuses: Iterable[PlaqueStatus], *, on: dt.date | str
) -> Report:
    """Plaque coverage per unit from household statuses already decided (fast path).

    Args:
        tree: the units to report on.
        statuses: one per household (as :func:`~veteran_affairs.rules.glory_plaque.statuses`
            yields them), in any order; read once, in batches.
        on: the date the statuses are for (the report's ``as_of``).

    Returns:
        A report of kind ``"plaques"`` with :data:`PLAQUE_COLUMNS`.
    """
    return _report(tree, _counted(statuses), on=on)


def _report(tree: DivisionTree, counts: dict[tuple[str, int], int], *, on: dt.date | str) -> Report:
    """The report of households counted per (unit code, status key): each pair expanded once."""
    place = Placer(tree)
    width = len(PLAQUE_COLUMNS)
    own: dict[str, Vector] = {}
    unplaced = 0
    for (code, key), count in counts.items():
        unit = place(code)
        if unit is None:
            unplaced += count
            continue
        vector = own.get(unit)
        if vector is None:
            vector = own[unit] = [0] * width
        for i in _COLUMNS_OF[key]:
            vector[i] += count
    return _build(tree, own, on=on, unplaced=unplaced)


def _build(
    tree: DivisionTree,
    own: dict[str, Vector],
    *,
    on: dt.date | str,
    unplaced: int,
    totals: Sequence[Sequence[int]] | None = None,
) -> Report:
    """The report of households counted per unit (``own``, aligned with the columns).

    ``totals``: the subtree totals when already summed (the columnar path), else summed here.
    """
    notes = [
        "rate = eligible and hung ÷ eligible, from summed counts (应挂尽挂率按合计重算)",
        "hung counts every plaque on a door on the date, entitled or not (已挂含不再符合条件者)",
    ]
    return _assemble(
        tree,
        own,
        roll_up(tree, own, len(PLAQUE_COLUMNS)) if totals is None else totals,
        kind="plaques",
        title="Glory plaques",
        title_zh="光荣牌应挂尽挂",
        columns=PLAQUE_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=unplaced,
    )


def plaques(
    tree: DivisionTree,
    households: Iterable[PlaqueHousehold],
    *,
    book: RuleBook,
    on: dt.date,
) -> Report:
    """Plaque coverage per unit on ``on``, each household decided by ``book`` (应挂尽挂).

    The households are classified by
    :func:`~veteran_affairs.rules.glory_plaque.statuses` (streamed) and counted by
    :func:`plaques_from_statuses`.

    Args:
        tree: the units to report on.
        households: the plaque households, in any order.
        book: the rule book that decides (e.g. ``RuleBook.load("guangxi")``).
        on: the reporting date.
    """
    return plaques_from_statuses(tree, statuses(book, households, on=on), on=on)
