"""The division tree (行政区划树): units by code, their parents, children and subtrees.

A :class:`DivisionTree` holds :class:`~veteran_affairs.models.network.Division` values — the
bundled units (region, cities, counties, townships) plus the units a user supplies (the
village level is always user data or synthetic). Every unit's parent must be in the tree,
except the roots: units at province level, or the one ``root`` given when the tree is a
subtree (a county office's tree). Orphans are reported together in one
:class:`~veteran_affairs.errors.OrphanDivisions` error.

The units are kept sorted by their 12-digit code. For these codes the sorted order is a
pre-order walk (a unit comes before everything inside it, and a subtree is one contiguous
run), so a subtree is found by two binary searches and iterated without touching the rest.

>>> tree = DivisionTree.bundled("45")
>>> tree["450312"].name, tree.depth("450312"), len(tree.children("450312"))
('临桂区', 2, 11)
>>> [d.name for d in tree.ancestors("450312100000")]
['临桂区', '桂林市', '广西壮族自治区']
>>> len(tree.restrict("450312"))
12
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from veteran_affairs import divisions as _bundled
from veteran_affairs.errors import InconsistentRecord, OrphanDivisions, UnknownDivision
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models.network import Division

__all__ = ["DivisionTree"]


def __dir__() -> list[str]:
    return __all__


def _code(code: DivisionCode | str) -> DivisionCode:
    return code if isinstance(code, DivisionCode) else DivisionCode(code)


class DivisionTree:
    """Administrative units linked by their codes, with lookups and subtree walks.

    Args:
        divisions: the units; each code once (the same unit listed twice with the same name
            is kept once).
        root: for a tree of one subtree, its top unit; every unit must lie inside it. Without
            it, the roots are the province-level units.

    Raises:
        OrphanDivisions: units whose parent is not in the tree (all of them, listed).
        InconsistentRecord: one code listed with two names, or a unit outside ``root``.
        UnknownDivision: ``root`` is not among the units.
    """

    __slots__ = ("_by_code", "_children", "_codes", "_layout", "_names", "_parent", "_roots")

    def __init__(
        self, divisions: Iterable[Division], *, root: DivisionCode | str | None = None
    ) -> None:
        by_code: dict[str, Division] = {}
        for division in divisions:
            key = division.code.value
            known = by_code.get(key)
            if known is not None and known.name != division.name:
                raise InconsistentRecord(
                    "code",
                    key,
                    f"listed twice, as {known.name!r} and {division.name!r}",
                    "同一代码对应两个名称",
                )
            by_code[key] = division
        top = _code(root) if root is not None else None
        if top is not None:
            if top.value not in by_code:
                raise UnknownDivision(top.value, "tree's units")
            outside = sorted(k for k in by_code if not k.startswith(top.short))
            if outside:
                raise InconsistentRecord(
                    "root",
                    top.value,
                    f"{len(outside)} unit(s) lie outside the root, e.g. {outside[0]}",
                    "存在不属于根单位的下级单位",
                )
        codes = sorted(by_code)
        parent: dict[str, str | None] = {}
        children: defaultdict[str, list[str]] = defaultdict(list)
        roots: list[str] = []
        orphans: list[str] = []
        for key in codes:
            code = by_code[key].code
            up = code.parent
            if (top is not None and key == top.value) or (top is None and up is None):
                parent[key] = None
                roots.append(key)
            elif up is not None and up.value in by_code:
                parent[key] = up.value
                children[up.value].append(key)
            else:
                orphans.append(key)
        if orphans:
            raise OrphanDivisions(tuple(orphans))
        self._by_code = by_code
        self._codes = tuple(codes)
        self._parent = parent
        self._children = dict(children)
        self._roots = tuple(roots)
        names: defaultdict[str, list[str]] = defaultdict(list)
        for key in codes:
            names[by_code[key].name].append(key)
        self._names = dict(names)
        self._layout: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    @classmethod
    def bundled(cls, province: str = "45", *, extra: Iterable[Division] = ()) -> DivisionTree:
        """The bundled units of ``province`` (levels 1–4 for Guangxi) plus ``extra`` units.

        >>> DivisionTree.bundled("45").count_by_level()[DivisionLevel.CITY]
        14
        """
        return cls([*_bundled.bundled(province=province), *extra])

    # --- lookups ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[Division]:
        """Every unit, in pre-order (a unit before the units inside it)."""
        by_code = self._by_code
        return (by_code[k] for k in self._codes)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, DivisionCode):
            return code.value in self._by_code
        if isinstance(code, str):
            try:
                return DivisionCode(code).value in self._by_code
            except ValueError:
                return False
        return False

    def __getitem__(self, code: DivisionCode | str) -> Division:
        try:
            return self._by_code[_code(code).value]
        except KeyError:
            raise UnknownDivision(_code(code).value, "division tree") from None

    def get(self, code: DivisionCode | str) -> Division | None:
        """The unit with ``code``, or ``None``."""
        return self._by_code.get(_code(code).value)

    def __repr__(self) -> str:
        counts = ", ".join(f"{lvl.name.lower()}={n}" for lvl, n in self.count_by_level().items())
        return f"<DivisionTree {len(self)} units: {counts}>"

    @property
    def roots(self) -> tuple[Division, ...]:
        """The top units (no parent in the tree)."""
        return tuple(self._by_code[k] for k in self._roots)

    def find(self, name: str, *, within: DivisionCode | str | None = None) -> tuple[Division, ...]:
        """Units named exactly ``name`` (optionally inside ``within``), in code order.

        >>> [str(d.code) for d in DivisionTree.bundled("45").find("临桂区")]
        ['450312000000']
        """
        found = (self._by_code[k] for k in self._names.get(name, ()))
        if within is None:
            return tuple(found)
        prefix = _code(within).short
        return tuple(d for d in found if d.code.value.startswith(prefix))

    def parent(self, code: DivisionCode | str) -> Division | None:
        """The unit directly above in the tree, or ``None`` for a root."""
        up = self._parent[self[code].code.value]
        return None if up is None else self._by_code[up]

    def children(self, code: DivisionCode | str) -> tuple[Division, ...]:
        """The units directly below, in code order."""
        return tuple(self._by_code[k] for k in self._children.get(self[code].code.value, ()))

    def ancestors(self, code: DivisionCode | str) -> tuple[Division, ...]:
        """The units above ``code`` in the tree, nearest first."""
        out: list[Division] = []
        up = self._parent[self[code].code.value]
        while up is not None:
            out.append(self._by_code[up])
            up = self._parent[up]
        return tuple(out)

    def depth(self, code: DivisionCode | str) -> int:
        """How many units lie above ``code`` in the tree (a root has depth 0)."""
        return len(self.ancestors(code))

    def _span(self, prefix: str) -> tuple[int, int]:
        codes = self._codes
        first = bisect.bisect_left(codes, prefix)
        last = bisect.bisect_left(codes, prefix + "\x7f", lo=first)
        return first, last

    def subtree(self, code: DivisionCode | str) -> Iterator[Division]:
        """``code`` and every unit inside it, in pre-order."""
        top = self[code].code
        first, last = self._span(top.short)
        by_code = self._by_code
        return (by_code[k] for k in self._codes[first:last])

    def restrict(self, code: DivisionCode | str) -> DivisionTree:
        """The tree of ``code``'s subtree, rooted at ``code``."""
        return DivisionTree(self.subtree(code), root=code)

    def level(self, level: DivisionLevel) -> Iterator[Division]:
        """The units at ``level``, in code order."""
        return (d for d in self if d.code.level is level)

    def count_by_level(self) -> dict[DivisionLevel, int]:
        """How many units the tree has at each level present, from the top down."""
        counts = Counter(d.code.level for d in self._by_code.values())
        return {level: counts[level] for level in DivisionLevel if counts[level]}

    def locate(self, code: DivisionCode | str) -> Division | None:
        """The unit of the tree that ``code`` falls in: itself, else its nearest ancestor.

        ``None`` when no unit of the tree contains ``code`` (a record from elsewhere).

        >>> DivisionTree.bundled("45").locate("450312100203").name
        '临桂镇'
        """
        target: DivisionCode | None = _code(code)
        while target is not None:
            found = self._by_code.get(target.value)
            if found is not None:
                return found
            target = target.parent
        return None

    # --- for the roll-up engine ------------------------------------------------------------

    def codes(self) -> tuple[str, ...]:
        """Every unit's 12-digit code, in pre-order."""
        return self._codes

    def parent_code(self, code: str) -> str | None:
        """The 12-digit code of the parent of the unit with 12-digit ``code`` (fast path)."""
        return self._parent[code]

    def layout(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Per unit in pre-order: the index of its parent (-1 for a root) and its depth.

        Worked out once per tree; reports roll figures up along it.
        """
        if self._layout is None:
            index = {code: i for i, code in enumerate(self._codes)}
            parents: list[int] = []
            depths: list[int] = []
            for code in self._codes:
                up = self._parent[code]
                if up is None:
                    parents.append(-1)
                    depths.append(0)
                else:
                    parents.append(index[up])
                    depths.append(depths[index[up]] + 1)
            self._layout = (tuple(parents), tuple(depths))
        return self._layout
