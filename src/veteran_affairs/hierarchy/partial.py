"""Reports from partitions (分区汇总): partial sums per partition that merge into the report.

A national report does not have to be built in one process. Every standard report rolls up
*own* figures — additive counts and amounts per unit (:attr:`Report.own
<veteran_affairs.hierarchy.report.Report.own>`) — so a partition of the records can build
its report on the same tree and hand on only those own figures: a :class:`PartialReport`.
Partials :meth:`~PartialReport.merge` by adding the figures unit by unit, and :func:`finish`
rolls the sum up the tree with :func:`~veteran_affairs.hierarchy.report.build_report`,
rates recomputed from the summed numerators and denominators. The merge is associative and
commutative (amounts are ``Decimal`` and add exactly), and a partial of no records is its
identity, so partials can be merged in any order and grouping — on one machine, or as the
reduction of a Dask graph (:func:`veteran_affairs.partitions.report_partials`).

What a partition must hold, so that the merged report equals the single-process one (same
rows, figures, rates, notes and ``unplaced``):

* **population, plaques, assistance, compliance**: partitions split the *records* (persons,
  household statuses, cases, compliance rows); every partition uses the same tree and the
  same arguments. Two figures count distinct persons across records and need a person's
  records together: :func:`~veteran_affairs.hierarchy.population_report` with its default
  ``merge_records=True`` (all records of one identity number in one partition) and the
  ``persons`` columns of :func:`~veteran_affairs.hierarchy.assistance_report` (all cases of one
  applicant in one partition). :func:`partition_of` places records that way: by a stable
  hash of the identity number, the applicant's, the household's or the unit's code. Any other
  split is fine for every other figure. A case id or station id given in two partitions is
  not detected (one process would refuse it).
* **coverage and offices**: their figures come from the tree's *units* (which must have a
  station) and the sites bound to them, so partitions split the units: each unit in exactly
  one partition, every site with its unit. :func:`coverage_partial` and
  :func:`offices_partial` build one partition's partial. Each builds the network's report
  for the whole tree and keeps the given units' own figures: correct, but each partition
  pays for a pass over the whole tree (about 0.1 s for Guangxi's 17,624 units).

Notes are merged too: a note that differs between partitions only in its counts (``"3
record(s) read"``) becomes one note with the counts added; the routines note of the
compliance report lists the routines of all partitions. Notes keep their places.

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree, ServiceNetwork
>>> from veteran_affairs.models import ServiceStation, StationKind, StationStatus
>>> tree = DivisionTree.bundled("45").restrict("450312")
>>> sites = [ServiceStation(station_id=f"S{d.code.short}", division=d.code,
...                         kind=StationKind.STATION, status=StationStatus.OPERATING,
...                         established_on=dt.date(2019, 6, 1))
...          for d in tree.children("450312")[:9]]
>>> units = [d.code for d in tree]
>>> parts = [coverage_partial(tree, sites, units[i::3]) for i in range(3)]
>>> report = finish(merge(parts), tree)
>>> report == ServiceNetwork(tree, sites).coverage()
True
>>> row = report["450312"]
>>> row["required"], row["built"], f"{row['rate']:.2%}"
(12, 9, '75.00%')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TypeAlias

import attrs

from veteran_affairs._validate import instance_of, tuple_of
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.hierarchy.network_report import ServiceNetwork, StationPolicy
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.network import Division, ServiceStation

__all__ = [
    "PartialNote",
    "PartialReport",
    "coverage_partial",
    "finish",
    "merge",
    "offices_partial",
    "partial_of",
    "partition_key",
    "partition_of",
]


def __dir__() -> list[str]:
    return __all__


Number: TypeAlias = int | Decimal
OwnFigures: TypeAlias = tuple[Number | None, ...]
"""One unit's own figures: additive numbers, ``None`` in the rate columns."""

# A count in a note: digits standing alone (not part of a date, a code, a period key or a word).
_COUNT = re.compile(r"(?<![\w.:/-])\d+(?![\w.:/-])")

_LISTINGS = ("routines (工作制度): ",)
"""Notes that list names (the compliance report's routines): merged as the union of names."""
_NO_NAMES = "none"


@attrs.frozen(kw_only=True)
class PartialNote:
    """One note of a partial report, its counts kept apart so that partials add up.

    A note is its text split around its counts (``parts``, one more than ``counts``) — or,
    for a note that lists names, its leading text and the ``names``. ``position`` is its
    place among its report's notes.

    >>> note = PartialNote.parse(1, "12 record(s) of 10 person(s) read")
    >>> note.counts, note.render()
    ((12, 10), '12 record(s) of 10 person(s) read')
    >>> note.add(PartialNote.parse(1, "3 record(s) of 3 person(s) read")).render()
    '15 record(s) of 13 person(s) read'
    """

    position: int
    parts: tuple[str, ...] = attrs.field(validator=tuple_of(str))
    counts: tuple[int, ...] = attrs.field(default=(), validator=tuple_of(int))
    names: frozenset[str] | None = None

    def __attrs_post_init__(self) -> None:
        wanted = 1 if self.names is not None else len(self.counts) + 1
        if len(self.parts) != wanted:
            raise InconsistentRecord(
                "parts/counts",
                f"{len(self.parts)}/{len(self.counts)}",
                "a note has one more part than counts (a listing: one part, no counts)",
                "备注的文本段数应比计数多一",
            )

    @classmethod
    def parse(cls, position: int, text: str) -> PartialNote:
        """The note ``text`` at ``position``, its counts (digits standing alone) taken out."""
        for lead in _LISTINGS:
            if text.startswith(lead):
                rest = text[len(lead) :]
                names = frozenset() if rest == _NO_NAMES else frozenset(rest.split(", "))
                return cls(position=position, parts=(lead,), names=names)
        counts = tuple(int(found) for found in _COUNT.findall(text))
        return cls(position=position, parts=tuple(_COUNT.split(text)), counts=counts)

    @property
    def key(self) -> tuple[int, tuple[str, ...], bool]:
        """What two notes must share to be added: place, text around the counts, kind."""
        return (self.position, self.parts, self.names is not None)

    def add(self, other: PartialNote) -> PartialNote:
        """The note with both notes' counts added (and names together).

        Raises:
            InconsistentRecord: the notes differ in more than their counts.
        """
        if other.key != self.key:
            raise InconsistentRecord(
                "notes", f"{self.render()!r}/{other.render()!r}", "different notes", "备注不同"
            )
        return PartialNote(
            position=self.position,
            parts=self.parts,
            counts=tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
            names=None if self.names is None or other.names is None else self.names | other.names,
        )

    def render(self) -> str:
        """The note as text."""
        if self.names is not None:
            return self.parts[0] + (", ".join(sorted(self.names)) or _NO_NAMES)
        pieces = [self.parts[0]]
        for count, part in zip(self.counts, self.parts[1:], strict=True):
            pieces.extend((str(count), part))
        return "".join(pieces)


def _own(value: Mapping[str, Iterable[Number | None]]) -> dict[str, OwnFigures]:
    return {code: tuple(figures) for code, figures in value.items()}


def _merged_notes(notes: Iterable[PartialNote]) -> tuple[PartialNote, ...]:
    by_key: dict[tuple[int, tuple[str, ...], bool], PartialNote] = {}
    for note in notes:
        known = by_key.get(note.key)
        by_key[note.key] = note if known is None else known.add(note)
    return tuple(by_key[key] for key in sorted(by_key))


@attrs.frozen(kw_only=True)
class PartialReport:
    """One partition's share of a report: its own figures per unit, before the roll-up.

    Attributes:
        kind, title, title_zh, columns, as_of: as the report's; partials merge only when
            these are equal.
        notes: the report's notes, counts kept apart (:class:`PartialNote`), in place order.
        own: additive figures per 12-digit unit code, aligned with ``columns``; ``None`` in
            the rate columns (a rate is recomputed by :func:`finish`). Units with nothing of
            their own are left out.
        unplaced: records of the partition outside the tree.
    """

    kind: str
    title: str
    title_zh: str
    columns: tuple[Column, ...] = attrs.field(validator=tuple_of(Column))
    as_of: str
    notes: tuple[PartialNote, ...] = attrs.field(
        default=(), converter=_merged_notes, validator=tuple_of(PartialNote)
    )
    own: Mapping[str, OwnFigures] = attrs.field(
        factory=dict, converter=_own, repr=False, hash=False
    )
    unplaced: int = attrs.field(default=0, validator=instance_of(int))

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for code, figures in self.own.items():
            if len(figures) != width:
                raise InconsistentRecord(
                    "own/columns",
                    f"{code}: {len(figures)}/{width}",
                    "a unit's figures do not match the columns",
                    "单位数据项数与列数不符",
                )

    def __repr__(self) -> str:
        return f"<PartialReport {self.kind} {self.as_of}: {len(self.own)} units>"

    def empty(self) -> PartialReport:
        """The partial of no records with this one's shape: the identity of :meth:`merge`."""
        return attrs.evolve(self, notes=(), own={}, unplaced=0)

    def merge(self, other: PartialReport) -> PartialReport:
        """Both partials' figures added unit by unit (and their notes and ``unplaced``).

        Raises:
            InconsistentRecord: the partials are of different reports: ``field`` names what
                differs (``kind``, ``title``, ``title_zh``, ``columns`` or ``as_of``).
        """
        return merge((self, other))


def _check_same(first: PartialReport, other: PartialReport) -> None:
    for name in ("kind", "title", "title_zh", "as_of"):
        mine, theirs = getattr(first, name), getattr(other, name)
        if mine != theirs:
            raise InconsistentRecord(
                name,
                f"{mine}/{theirs}",
                "partials of different reports cannot be merged",
                "不同报表的部分结果不能合并",
            )
    if first.columns != other.columns:
        mine_keys = [c.key for c in first.columns]
        their_keys = [c.key for c in other.columns]
        differ = next(
            (f"{a}/{b}" for a, b in zip(mine_keys, their_keys, strict=False) if a != b),
            f"{len(mine_keys)} columns/{len(their_keys)} columns",
        )
        raise InconsistentRecord(
            "columns",
            differ,
            "partials of different reports cannot be merged",
            "不同报表的部分结果不能合并",
        )


def merge(partials: Iterable[PartialReport]) -> PartialReport:
    """The partials' figures added unit by unit: one partial, in any order and grouping.

    Raises:
        InvalidValue: no partial to merge (an empty partition still gives one: use
            :meth:`PartialReport.empty`).
        InconsistentRecord: partials of different reports (as :meth:`PartialReport.merge`).
    """
    iterator = iter(partials)
    first = next(iterator, None)
    if first is None:
        raise InvalidValue("partials", "()", "nothing to merge", "没有可合并的部分结果")
    sums: dict[str, list[Number | None]] = {code: list(v) for code, v in first.own.items()}
    notes = list(first.notes)
    unplaced = first.unplaced
    for other in iterator:
        _check_same(first, other)
        for code, figures in other.own.items():
            vector = sums.get(code)
            if vector is None:
                sums[code] = list(figures)
                continue
            for i, value in enumerate(figures):
                if value is not None:
                    known = vector[i]
                    vector[i] = value if known is None else known + value
        notes.extend(other.notes)
        unplaced += other.unplaced
    return attrs.evolve(first, notes=notes, own=sums, unplaced=unplaced)


def partial_of(report: Report) -> PartialReport:
    """The partial of ``report``: its own figures, notes and ``unplaced``.

    ``report`` is as a report function returns it (or a :meth:`~veteran_affairs.hierarchy.Report.subtree`
    of one): the views :meth:`~veteran_affairs.hierarchy.Report.drill_down` and
    :meth:`~veteran_affairs.hierarchy.Report.at_level` keep no own figures.
    """
    rates = frozenset(i for i, c in enumerate(report.columns) if c.kind is FigureKind.RATE)
    own = {
        code: tuple(None if i in rates else v for i, v in enumerate(figures))
        for code, figures in report.own.items()
    }
    return PartialReport(
        kind=report.kind,
        title=report.title,
        title_zh=report.title_zh,
        columns=report.columns,
        as_of=report.as_of,
        notes=tuple(PartialNote.parse(i, text) for i, text in enumerate(report.notes)),
        own=own,
        unplaced=report.unplaced,
    )


def finish(partial: PartialReport, tree: DivisionTree) -> Report:
    """The report of ``partial`` over ``tree`` (the tree every partition used).

    The own figures are rolled up by :func:`~veteran_affairs.hierarchy.build_report`: each
    row holds its subtree's sums, rates recomputed from them.
    """
    own: dict[str, list[Number]] = {
        code: [0 if value is None else value for value in figures]
        for code, figures in partial.own.items()
    }
    return build_report(
        tree,
        own,
        kind=partial.kind,
        title=partial.title,
        title_zh=partial.title_zh,
        columns=partial.columns,
        as_of=partial.as_of,
        notes=[note.render() for note in partial.notes],
        unplaced=partial.unplaced,
    )


# --- partitions of units: coverage and offices -----------------------------------------------


def _unit_codes(tree: DivisionTree, units: Iterable[Division | DivisionCode | str]) -> set[str]:
    codes: set[str] = set()
    for unit in units:
        code = unit.code if isinstance(unit, Division) else unit
        codes.add(tree[code].code.value)  # UnknownDivision for a unit outside the tree
    return codes


def _network(
    tree: DivisionTree,
    stations: Iterable[ServiceStation],
    codes: set[str],
    policy: StationPolicy | None,
) -> ServiceNetwork:
    # The sites of the partition's units, and any site outside the tree, which the network
    # refuses (as it does in one process).
    mine = [s for s in stations if s.division.value in codes or s.division not in tree]
    return ServiceNetwork(tree, mine, policy=policy)


def _kept(partial: PartialReport, codes: set[str]) -> PartialReport:
    return attrs.evolve(partial, own={k: v for k, v in partial.own.items() if k in codes})


def coverage_partial(
    tree: DivisionTree,
    stations: Iterable[ServiceStation],
    units: Iterable[Division | DivisionCode | str],
    *,
    as_of: str | dt.date = "current",
    policy: StationPolicy | None = None,
) -> PartialReport:
    """The station-coverage partial of ``units``: their own required/built/missing counts.

    Partitions of the tree's units (each unit in exactly one) merge into
    ``ServiceNetwork(tree, stations, policy=policy).coverage(as_of=as_of)``.

    Args:
        tree: the whole tree (every partition the same).
        stations: the sites of ``units`` (others are ignored, so all sites may be given).
        units: the partition's units (:class:`~veteran_affairs.models.Division` values or
            codes).
        as_of, policy: as :meth:`~veteran_affairs.hierarchy.ServiceNetwork.coverage` and
            :class:`~veteran_affairs.hierarchy.ServiceNetwork`.

    Raises:
        UnknownDivision: a unit, or a site's unit, is not in the tree.
        InconsistentRecord: as :class:`~veteran_affairs.hierarchy.ServiceNetwork`, for the
            partition's sites.
    """
    codes = _unit_codes(tree, units)
    report = _network(tree, stations, codes, policy).coverage(as_of=as_of)
    return _kept(partial_of(report), codes)


def offices_partial(
    tree: DivisionTree,
    stations: Iterable[ServiceStation],
    units: Iterable[Division | DivisionCode | str],
    *,
    as_of: str | dt.date = "current",
) -> PartialReport:
    """The offices partial of ``units``: the sites, area, staff and 五有 of their sites.

    Partitions of the tree's units merge into ``ServiceNetwork(tree, stations).offices()``.
    Arguments and errors as :func:`coverage_partial`.
    """
    codes = _unit_codes(tree, units)
    report = _network(tree, stations, codes, None).offices(as_of=as_of)
    return _kept(partial_of(report), codes)


# --- placing records in partitions -----------------------------------------------------------


def _key_text(record: object) -> str:
    from veteran_affairs.cycles.routines import ComplianceRow
    from veteran_affairs.models.assistance import AssistanceCase
    from veteran_affairs.models.household import PlaqueHousehold
    from veteran_affairs.models.people import ServingMember, Survivor, Veteran
    from veteran_affairs.rules.glory_plaque import PlaqueStatus

    if isinstance(record, Veteran | Survivor | ServingMember):
        return "person:" + record.person.resident_id.unmasked
    if isinstance(record, AssistanceCase):
        return "person:" + record.applicant.unmasked
    if isinstance(record, PlaqueHousehold):
        return "household:" + record.household.household_id
    if isinstance(record, PlaqueStatus):
        return "household:" + record.household_id
    if isinstance(record, ComplianceRow):
        return "unit:" + record.unit.value
    if isinstance(record, ServiceStation):
        return "unit:" + record.division.value
    if isinstance(record, Division):
        return "unit:" + record.code.value
    if isinstance(record, DivisionCode):
        return "unit:" + record.value
    raise InvalidValue(
        "record", type(record).__name__, "no partition key for this kind of record", "无分区键"
    )


def partition_key(record: object) -> int:
    """A stable 64-bit number that keeps together what a report needs together.

    The same in every process and on every machine (a BLAKE2b digest, not :func:`hash`):
    a person record (veteran, survivor, serving member) and an assistance case by the
    identity number of the person or applicant, a plaque household or status by the
    household id, a compliance row, station, unit or code by the unit's code. The number
    reveals nothing of the identity number it comes from.

    Raises:
        InvalidValue: a kind of record without a key.
    """
    digest = hashlib.blake2b(_key_text(record).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def partition_of(record: object, parts: int) -> int:
    """The partition (``0 … parts - 1``) of ``record``: :func:`partition_key` modulo ``parts``.

    >>> from veteran_affairs.identity import DivisionCode
    >>> partition_of(DivisionCode("450312100"), 4) == partition_of(DivisionCode("450312100000"), 4)
    True

    Raises:
        InvalidValue: ``parts`` is below 1, or a kind of record without a key.
    """
    if parts < 1:
        raise InvalidValue("parts", str(parts), "must be 1 or more", "分区数至少为1")
    return partition_key(record) % parts
