"""The roll-up engine behind every report: own figures per unit, summed up the tree.

A report starts from *own* figures: for each unit of the tree, a vector of additive numbers
(counts, money, areas) that belong to that unit itself — the persons registered there, the
station built there. :func:`roll_up` adds every unit's vector into its parent's, children
before parents (reverse pre-order), so each unit ends with the figures of its whole subtree.
Cost: one pass over the records to place them, then one pass over the units — records plus
units × figures, however deep the tree.

Rates are never summed: :func:`rate` divides the summed numerator by the summed denominator.

Placing a million records is a count of (unit code, key) pairs, where the key says which
columns a record adds one to (its categories, its plaque status): :func:`count_pairs` counts
them with numpy when it is importable (the ``batch`` extra) — each code numbered once by a
dict, the pairs counted by ``numpy.bincount`` — and with ``collections.Counter`` otherwise.
Both give the same counts; a property test holds them to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeAlias

from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode

_np: Any  # numpy, or None without the optional ``batch`` extra
try:
    import numpy

    _np = numpy
except ImportError:  # pragma: no cover
    _np = None

Number: TypeAlias = int | Decimal
Vector: TypeAlias = list[Number]


class Placer:
    """Places 12-digit codes on the units of a tree (the unit itself or its nearest ancestor).

    Results are cached per code, so a million records registered in 17,624 units cost 17,624
    lookups. Codes no unit contains are placed on ``None``.
    """

    __slots__ = ("_cache", "_tree")

    def __init__(self, tree: DivisionTree) -> None:
        self._tree = tree
        self._cache: dict[str, str | None] = {}

    def __call__(self, code: DivisionCode | str) -> str | None:
        key = code.value if isinstance(code, DivisionCode) else code
        try:
            return self._cache[key]
        except KeyError:
            found = self._tree.locate(code)
            placed = None if found is None else found.code.value
            self._cache[key] = placed
            return placed


def zeros(width: int) -> Vector:
    return [0] * width


def add_into(target: Vector, values: Iterable[Number]) -> None:
    for i, value in enumerate(values):
        target[i] += value


def roll_up(tree: DivisionTree, own: dict[str, Vector], width: int) -> list[Vector]:
    """Subtree totals per unit, in the tree's pre-order: own vector plus children's totals."""
    codes = tree.codes()
    parents, _ = tree.layout()
    totals: list[Vector] = [list(own[code]) if code in own else zeros(width) for code in codes]
    for i in range(len(codes) - 1, -1, -1):
        up = parents[i]
        if up >= 0:
            source = totals[i]
            if any(source):
                target = totals[up]
                for k, value in enumerate(source):
                    target[k] += value
    return totals


def roll_up_counts(tree: DivisionTree, own: Any) -> list[list[int]]:
    """:func:`roll_up` of integer counts held in a numpy array, one row per unit in pre-order.

    The units of each depth, deepest first, are added into their parents with
    ``numpy.add.at``: a handful of array operations however many units. Needs numpy.
    """
    np = _np
    totals = np.array(own, dtype=np.int64, copy=True)
    parents, depths = tree.layout()
    up = np.asarray(parents, dtype=np.intp)
    depth = np.asarray(depths, dtype=np.intp)
    for level in range(int(depth.max(initial=0)), 0, -1):
        at = np.flatnonzero(depth == level)
        np.add.at(totals, up[at], totals[at])
    rows: list[list[int]] = totals.tolist()
    return rows


def rate(numerator: Number, denominator: Number) -> float | None:
    """``numerator / denominator`` as a float in [0, 1] usage, ``None`` when nothing is due."""
    if not denominator:
        return None
    return float(numerator) / float(denominator)


def count_pairs(codes: Sequence[str], keys: Sequence[int], size: int) -> dict[tuple[str, int], int]:
    """How many times each (code, key) pair occurs, ``codes[i]`` with ``keys[i]``.

    ``keys`` are ints in ``range(size)``, one per code.
    Pairs that do not occur are left out. Uses numpy when importable, else
    :func:`count_pairs_in_python`; the two agree.
    """
    if _np is None or len(codes) < _NUMPY_FROM:
        return count_pairs_in_python(codes, list(keys))
    np = _np
    # Distinct codes numbered in order of appearance (dict.fromkeys: one pass in C, no sort).
    number = {code: i for i, code in enumerate(dict.fromkeys(codes))}
    positions = np.fromiter(map(number.__getitem__, codes), np.intp, len(codes))
    counts = np.bincount(
        positions * size + np.asarray(keys, dtype=np.intp), minlength=len(number) * size
    )
    distinct = list(number)
    return {
        (distinct[int(i) // size], int(i) % size): int(counts[i]) for i in np.flatnonzero(counts)
    }


def count_pairs_in_python(codes: Sequence[str], keys: Sequence[int]) -> dict[tuple[str, int], int]:
    """:func:`count_pairs` without numpy: ``collections.Counter`` over the pairs."""
    return dict(Counter(zip(codes, keys, strict=True)))


_NUMPY_FROM = 4096
"""Below this many records the Counter is as quick as numpy's set-up; the results are equal."""
