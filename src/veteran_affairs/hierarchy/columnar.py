"""The columnar path of the population and plaque reports (列式统计): arrays in, reports out.

A province's population report reads a million person objects, and each pass over them costs
more than the counting itself. Data read once — or kept as columns in the first place — is
reported faster from numpy arrays:

* :func:`population_columns` reads entitled persons **once** into a :class:`PopulationColumns`
  (per person: the index of their hukou unit code, the categories they hold on the date, the
  key-entitled flag), with the semantics of :func:`~veteran_affairs.hierarchy.population_report`
  (records of one identity number merged, the dead left out, counted once);
  :func:`population_from_columns` then gives the report ``population()`` gives — the same
  rows, figures, notes, date and ``unplaced`` — counting with ``numpy.bincount``.
* :func:`plaque_columns` and :func:`plaques_from_columns` do the same for decided plaque
  statuses and :func:`~veteran_affairs.hierarchy.plaques_from_statuses`.

Columns are tied to a date, not to a tree: they hold the hukou unit codes as read, and each
report places those codes on the tree it is given (the unit itself or its nearest ancestor;
codes outside the tree are counted in ``Report.unplaced``). Placing is done once per distinct
code, not per person, and remembered for the tree the columns were read for, so a report on
that tree, or on any subtree of it, costs a few ``bincount`` calls plus the roll-up.

This module needs numpy (the ``batch`` extra: ``pip install 'veteran_affairs[batch]'``),
imported when a function is first called.

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree, plaques_from_statuses
>>> from veteran_affairs.identity import DivisionCode
>>> from veteran_affairs.rules.glory_plaque import PlaqueStatus
>>> tree = DivisionTree.bundled("45").restrict("450312")
>>> village = DivisionCode("450312100000")
>>> decided = [
...     PlaqueStatus(household_id="A", division=village, eligible=True, hung=True, to_recover=False),
...     PlaqueStatus(household_id="B", division=village, eligible=True, hung=False, to_recover=False),
... ]
>>> columns = plaque_columns(tree, decided, on=dt.date(2022, 3, 1))
>>> columns.households, columns.codes
(2, ('450312100000',))
>>> report = plaques_from_columns(tree, columns)
>>> report["450312"]["eligible"], report["450312"]["rate"]
(2, 0.5)
>>> report == plaques_from_statuses(tree, decided, on=dt.date(2022, 3, 1))
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

import attrs

from veteran_affairs._optional import numpy_for
from veteran_affairs.errors import InvalidValue
from veteran_affairs.hierarchy._rollup import Placer, Vector, roll_up_counts
from veteran_affairs.hierarchy.plaques import _COLUMNS_OF, _KEYS, PLAQUE_COLUMNS, _build
from veteran_affairs.hierarchy.population_report import (
    _BIT,
    _KEY_MASK,
    POPULATION_COLUMNS,
    EntitledPerson,
    _each_record,
    _merged,
    _report,
)
from veteran_affairs.hierarchy.report import Report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.models.entitlement import KEY_ENTITLED_CATEGORIES, EntitlementCategory
from veteran_affairs.rules.glory_plaque import PlaqueStatus

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]
    ArrayLike = npt.ArrayLike

__all__ = [
    "CATEGORY_ORDER",
    "PlaqueColumns",
    "PopulationColumns",
    "plaque_columns",
    "plaques_from_columns",
    "population_columns",
    "population_from_columns",
]


def __dir__() -> list[str]:
    return __all__


CATEGORY_ORDER: tuple[EntitlementCategory, ...] = tuple(EntitlementCategory)
"""The categories in the order of the columns of :attr:`PopulationColumns.categories`."""


def _numpy() -> Any:
    """numpy, or an ImportError that says which extra to install."""
    return numpy_for("the columnar reports (veteran_affairs.hierarchy.columnar) need numpy")


class _Placements:
    """Where each distinct code of a set of columns lies in a tree: an index or -1.

    Worked out once per tree (by its codes) and kept for the last few trees, so that
    reports on the same tree, or its subtrees, place 17,000 codes once rather than each time.
    """

    __slots__ = ("_codes", "_known")

    _KEEP = 4

    def __init__(self, codes: tuple[str, ...]) -> None:
        self._codes = codes
        self._known: dict[tuple[str, ...], Array] = {}

    def on(self, tree: DivisionTree) -> Array:
        np = _numpy()
        units = tree.codes()
        found = self._known.get(units)
        if found is None:
            place = Placer(tree)
            index = {code: i for i, code in enumerate(units)}
            placed = (place(code) for code in self._codes)
            found = np.fromiter(
                (-1 if unit is None else index[unit] for unit in placed),
                dtype=np.intp,
                count=len(self._codes),
            )
            if len(self._known) >= self._KEEP:
                self._known.pop(next(iter(self._known)))
            self._known[units] = found
        return found


def _as_codes(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(codes)


def _indices(values: ArrayLike) -> Array:
    array: Array = _numpy().asarray(values, dtype=_numpy().intp)
    return array


def _flags(values: ArrayLike) -> Array:
    array: Array = _numpy().asarray(values, dtype=bool)
    return array


def _outcomes(values: ArrayLike) -> Array:
    array: Array = _numpy().asarray(values, dtype=_numpy().int8)
    return array


def _matrix(values: ArrayLike) -> Array:
    array: Array = _numpy().asarray(values, dtype=bool).reshape(-1, len(CATEGORY_ORDER))
    return array


def _check_length(field: str, array: Array, length: int) -> None:
    if len(array) != length:
        raise InvalidValue(
            field,
            f"{len(array)} rows",
            f"expected {length} rows, one per record",
            "列长度与记录数不一致",
        )


def _check_indices(field: str, array: Array, size: int) -> None:
    if len(array) and (int(array.min()) < 0 or int(array.max()) >= size):
        raise InvalidValue(
            field,
            f"{int(array.min())}..{int(array.max())}",
            f"indices must lie in 0..{size - 1}, one of the codes",
            "代码序号越界",
        )


@attrs.frozen(kw_only=True, eq=False)
class PopulationColumns:
    """Entitled persons on one date as numpy arrays, one row per living person (列式人员).

    Read once by :func:`population_columns`; or build it from data kept as columns. Two
    values are equal only if they are the same object (arrays are not compared).

    Attributes:
        on: the reporting date the categories are held on.
        codes: the distinct 12-digit hukou unit codes the rows refer to.
        code_index: per person, the index of their hukou unit in ``codes`` (an int array).
        categories: per person, the categories held on ``on``: a bool array of shape
            (persons, ``len(CATEGORY_ORDER)``), column ``j`` for ``CATEGORY_ORDER[j]``. A row
            of no category is a person left out (counted in the notes only).
        key_entitled: per person, holding a key-entitled category (重点优抚对象); worked out
            from ``categories`` when not given.
        records: records read (more than the rows plus ``dead`` when records were merged;
            that sum when not given).
        dead: persons dead on ``on``, left out (no rows).
        merged: whether the records of one identity number were merged (the notes say so).
    """

    on: dt.date
    codes: tuple[str, ...] = attrs.field(converter=_as_codes, repr=False)
    code_index: Array = attrs.field(converter=_indices, repr=False)
    categories: Array = attrs.field(converter=_matrix, repr=False)
    key_entitled: Array = attrs.field(converter=_flags, repr=False)
    records: int = -1
    dead: int = 0
    merged: bool = True
    _placements: _Placements = attrs.field(init=False, repr=False)
    _held: Array = attrs.field(init=False, repr=False)  # per person: holding any category

    @key_entitled.default
    def _key_entitled_from_categories(self) -> Array:
        key = [CATEGORY_ORDER.index(c) for c in CATEGORY_ORDER if c in KEY_ENTITLED_CATEGORIES]
        return _flags(self.categories[:, key].any(axis=1))

    @_placements.default
    def _no_placements(self) -> _Placements:
        return _Placements(self.codes)

    def __attrs_post_init__(self) -> None:
        persons = len(self.code_index)
        categories = self.categories
        _check_length("categories", categories, persons)
        _check_length("key_entitled", self.key_entitled, persons)
        _check_indices("code_index", self.code_index, len(self.codes))
        if self.records < 0:
            object.__setattr__(self, "records", persons + self.dead)
        object.__setattr__(self, "_held", categories.any(axis=1))

    @property
    def persons(self) -> int:
        """Rows: living persons, with or without a category on :attr:`on`."""
        return len(self.code_index)


@attrs.frozen(kw_only=True, eq=False)
class PlaqueColumns:
    """Decided plaque statuses as numpy arrays, one row per household (列式光荣牌).

    Read once by :func:`plaque_columns`, or built from data kept as columns. Two values are
    equal only if they are the same object.

    Attributes:
        on: the date the statuses are for (the report's ``as_of``).
        codes: the distinct 12-digit hukou unit codes the rows refer to.
        code_index: per household, the index of its hukou unit in ``codes``.
        eligible: per household, 1 entitled (应挂), 0 not, -1 undetermined (待核实), int8.
        hung: per household, a plaque on the door on the date (bool).
        to_recover: per household, a hanging plaque to take back (bool).
    """

    on: dt.date | str
    codes: tuple[str, ...] = attrs.field(converter=_as_codes, repr=False)
    code_index: Array = attrs.field(converter=_indices, repr=False)
    eligible: Array = attrs.field(converter=_outcomes, repr=False)
    hung: Array = attrs.field(converter=_flags, repr=False)
    to_recover: Array = attrs.field(converter=_flags, repr=False)
    _placements: _Placements = attrs.field(init=False, repr=False)

    @_placements.default
    def _no_placements(self) -> _Placements:
        return _Placements(self.codes)

    def __attrs_post_init__(self) -> None:
        households = len(self.code_index)
        for name in ("eligible", "hung", "to_recover"):
            _check_length(name, getattr(self, name), households)
        _check_indices("code_index", self.code_index, len(self.codes))
        if len(self.eligible) and (self.eligible.min() < -1 or self.eligible.max() > 1):
            raise InvalidValue(
                "eligible",
                "out of -1..1",
                "1 entitled, 0 not, -1 undetermined",
                "取值应为 1、0、-1",
            )

    @property
    def households(self) -> int:
        """Rows: households."""
        return len(self.code_index)


def _numbered(codes: Sequence[str]) -> tuple[tuple[str, ...], Array]:
    """The distinct codes, sorted, and each code's index among them."""
    np = _numpy()
    distinct = tuple(sorted(set(codes)))
    number = {code: i for i, code in enumerate(distinct)}
    return distinct, np.fromiter(map(number.__getitem__, codes), np.intp, len(codes))


def population_columns(
    tree: DivisionTree,
    people: Iterable[EntitledPerson],
    *,
    on: dt.date,
    merge_records: bool = True,
) -> PopulationColumns:
    """Read entitled persons once into columns for :func:`population_from_columns`.

    The same reading as :func:`~veteran_affairs.hierarchy.population_report` (one pass over the
    records; with ``merge_records``, the records of one identity number merged and a person
    dead in any of them left out). ``tree`` is the tree the reports will mostly be on: the
    codes are placed on it now, so that those reports need not.

    Raises:
        InconsistentRecord: with ``merge_records``, two records of one person registered at
            different hukou units.
    """
    np = _numpy()
    read = _merged if merge_records else _each_record
    by_mask, records, dead = read(people, on)
    codes: list[str] = []
    for listed in by_mask.values():
        codes.extend(listed)
    distinct, index = _numbered(codes)
    masks = np.repeat(
        np.fromiter(by_mask, dtype=np.int64, count=len(by_mask)),
        np.fromiter(map(len, by_mask.values()), dtype=np.intp, count=len(by_mask)),
    )
    bits = np.array([_BIT[c] for c in CATEGORY_ORDER], dtype=np.int64)
    columns = PopulationColumns(
        on=on,
        codes=distinct,
        code_index=index,
        categories=(masks[:, None] & bits) != 0,
        key_entitled=(masks & _KEY_MASK) != 0,
        records=records,
        dead=dead,
        merged=merge_records,
    )
    columns._placements.on(tree)
    return columns


def _own(
    tree: DivisionTree, placed: Array, per_code: Array
) -> tuple[dict[str, Vector], list[list[int]], int]:
    """Own vectors per unit from figures per distinct code, their subtree totals (rolled up
    in numpy), and the records of codes outside the tree.

    ``per_code`` has one row per distinct code; its first column counts the records.
    """
    np = _numpy()
    inside = placed >= 0
    units = np.zeros((len(tree), per_code.shape[1]), dtype=np.int64)
    np.add.at(units, placed[inside], per_code[inside])
    unplaced = int(per_code[~inside, 0].sum())
    held = np.flatnonzero(units[:, 0])
    codes = tree.codes()
    own: dict[str, Vector] = dict(
        zip(map(codes.__getitem__, held.tolist()), units[held].tolist(), strict=True)
    )
    return own, roll_up_counts(tree, units), unplaced


def population_from_columns(tree: DivisionTree, columns: PopulationColumns) -> Report:
    """The population report of ``columns`` over ``tree``: what ``population()`` gives.

    Equal to ``population(tree, people, on=on, merge_records=m)`` for the columns
    ``population_columns(…, people, on=on, merge_records=m)`` — the same rows, figures,
    notes, date and ``unplaced``. Each column is counted per distinct code with
    ``numpy.bincount``, then the codes are placed on ``tree`` and rolled up.
    """
    np = _numpy()
    size = len(columns.codes)
    index = columns.code_index
    categories = columns.categories
    held = columns._held
    counted = [held, columns.key_entitled & held, *categories.T]
    per_code = np.empty((size, len(POPULATION_COLUMNS)), dtype=np.int64)
    for k, flags in enumerate(counted):
        per_code[:, k] = np.bincount(index[flags], minlength=size)
    own, totals, unplaced = _own(tree, columns._placements.on(tree), per_code)
    without = columns.persons - int(np.count_nonzero(held))
    return _report(
        tree,
        own,
        on=columns.on,
        records=columns.records,
        persons=columns.persons + columns.dead,
        dead=columns.dead,
        without=without,
        merged=columns.merged,
        unplaced=unplaced,
        totals=totals,
    )


_ELIGIBLE = {True: 1, False: 0, None: -1}


def plaque_columns(
    tree: DivisionTree, statuses: Iterable[PlaqueStatus], *, on: dt.date | str
) -> PlaqueColumns:
    """Read decided plaque statuses once into columns for :func:`plaques_from_columns`.

    ``statuses`` as :func:`~veteran_affairs.hierarchy.plaques_from_statuses` takes them (one
    per household, any order); ``tree`` is the tree the reports will mostly be on (the codes
    are placed on it now).
    """
    np = _numpy()
    listed = statuses if isinstance(statuses, list | tuple) else list(statuses)
    count = len(listed)
    distinct, index = _numbered(list(map(attrgetter("division.value"), listed)))

    def flags(position: int, dtype: Any, convert: Any = None) -> Array:
        values = map(itemgetter(position), listed)  # PlaqueStatus is a NamedTuple
        array: Array = np.fromiter(
            values if convert is None else map(convert, values), dtype, count
        )
        return array

    columns = PlaqueColumns(
        on=on,
        codes=distinct,
        code_index=index,
        eligible=flags(2, np.int8, _ELIGIBLE.__getitem__),
        hung=flags(3, bool),
        to_recover=flags(4, bool),
    )
    columns._placements.on(tree)
    return columns


def _plaque_matrix() -> Array:
    """Which columns of :data:`PLAQUE_COLUMNS` each status key (0–11) adds one to."""
    np = _numpy()
    matrix = np.zeros((_KEYS, len(PLAQUE_COLUMNS)), dtype=np.int64)
    for key, adds in _COLUMNS_OF.items():
        matrix[key, list(adds)] = 1
    found: Array = matrix
    return found


def plaques_from_columns(tree: DivisionTree, columns: PlaqueColumns) -> Report:
    """The plaque report of ``columns`` over ``tree``: what ``plaques_from_statuses()`` gives.

    Equal to ``plaques_from_statuses(tree, statuses, on=on)`` for the columns
    ``plaque_columns(…, statuses, on=on)``. Households are counted per (distinct code, status)
    with one ``numpy.bincount``, expanded into columns by a matrix product, then placed on
    ``tree`` and rolled up.
    """
    np = _numpy()
    size = len(columns.codes)
    keys = _KEYS
    # The status key of plaques.py: outcome (0 eligible, 1 not, 2 undetermined) × 4 + hung × 2
    # + to_recover; outcome is 1 - eligible for eligible in (1, 0, -1).
    key = (1 - columns.eligible.astype(np.intp)) * 4 + columns.hung * 2 + columns.to_recover
    pairs = np.bincount(columns.code_index * keys + key, minlength=size * keys)
    per_code = pairs.reshape(size, keys) @ _plaque_matrix()
    own, totals, unplaced = _own(tree, columns._placements.on(tree), per_code)
    return _build(tree, own, on=columns.on, unplaced=unplaced, totals=totals)
