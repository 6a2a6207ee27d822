"""The service network (服务保障体系): which units must have a centre or station, and which do.

A :class:`ServiceNetwork` binds :class:`~veteran_affairs.models.network.ServiceStation`
values to the units of a :class:`~veteran_affairs.hierarchy.tree.DivisionTree` and answers
the coverage question of DOMAIN.md §1: 应建尽建率 = units with a built centre or station ÷
units that must have one. Which units must have one is a :class:`StationPolicy`:

* by default every unit of levels 1–5 in the tree — region, city and county centres, township
  and village stations;
* except 类似乡级 units (township codes 400–599: development zones, farms) and the units
  inside them, unless ``include_township_like``;
* except units listed in ``exempt`` (e.g. a village merged away but still in the data);
* extension stations (拓展型服务站: universities, enterprises) are outside both figures,
  unless ``include_extensions``: then each counts as one place that must be built, and is
  built when it is.

A unit has at most one centre or station; a second one at the same unit is an error unless
it is an extension station. Stations of units missing from the tree are an error too: both
are reported together when the network is built.

>>> from veteran_affairs.hierarchy.tree import DivisionTree
>>> tree = DivisionTree.bundled("45")
>>> network = ServiceNetwork(tree, [])
>>> network.coverage()["450000"]["required"]
1379
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from veteran_affairs.errors import InconsistentRecord, UnknownDivision
from veteran_affairs.hierarchy._rollup import Vector
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode, DivisionLevel, TownshipKind
from veteran_affairs.models.network import Division, ServiceStation, StationKind

__all__ = ["COVERAGE_COLUMNS", "OFFICE_COLUMNS", "ServiceNetwork", "StationPolicy"]


def __dir__() -> list[str]:
    return __all__


def _levels(value: Iterable[DivisionLevel]) -> frozenset[DivisionLevel]:
    levels = frozenset(value)
    if not all(isinstance(level, DivisionLevel) for level in levels):
        raise TypeError("levels: expected DivisionLevel members")
    return levels


def _codes(value: Iterable[DivisionCode | str]) -> frozenset[str]:
    return frozenset((c if isinstance(c, DivisionCode) else DivisionCode(c)).value for c in value)


@attrs.frozen(kw_only=True)
class StationPolicy:
    """Which units must have a centre or station (应建单位).

    >>> StationPolicy().requires(DivisionCode("450312401000"))  # 类似乡级
    False
    >>> StationPolicy(include_township_like=True).requires(DivisionCode("450312401000"))
    True
    """

    levels: frozenset[DivisionLevel] = attrs.field(
        default=frozenset(DivisionLevel), converter=_levels
    )
    include_township_like: bool = False
    include_extensions: bool = False
    exempt: frozenset[str] = attrs.field(default=frozenset(), converter=_codes)

    def requires(self, code: DivisionCode) -> bool:
        """Whether the unit ``code`` must have a centre or station."""
        if code.level not in self.levels or code.value in self.exempt:
            return False
        # A village's township_kind is its township's: 类似乡级 excludes the units inside too.
        return self.include_township_like or code.township_kind is not TownshipKind.TOWNSHIP_LIKE


COVERAGE_COLUMNS = (
    Column(key="required", label="must have one", label_zh="应建数"),
    Column(key="built", label="built", label_zh="已建数"),
    Column(key="missing", label="missing", label_zh="未建数"),
    Column(
        key="rate",
        label="coverage",
        label_zh="应建尽建率",
        kind=FigureKind.RATE,
        numerator="built",
        denominator="required",
    ),
)
"""The columns of the station-coverage report."""

OFFICE_COLUMNS = (
    Column(key="sites", label="sites", label_zh="站点数"),
    Column(
        key="office_area_m2", label="office area (m²)", label_zh="办公面积", kind=FigureKind.AREA
    ),
    Column(key="staff", label="staff", label_zh="工作人员"),
    Column(key="five_haves", label="meet 五有", label_zh="五有达标"),
    Column(
        key="five_haves_rate",
        label="五有 rate",
        label_zh="五有达标率",
        kind=FigureKind.RATE,
        numerator="five_haves",
        denominator="sites",
    ),
)
"""The columns of the office space and staff report."""


class ServiceNetwork:
    """Centres and stations bound to the units of a tree, under a :class:`StationPolicy`.

    Raises:
        UnknownDivision: a station's unit is not in the tree (every such unit listed).
        InconsistentRecord: two centres/stations at one unit, or one station id used twice.
    """

    __slots__ = ("_at", "_built", "_policy", "_stations", "_tree")

    def __init__(
        self,
        tree: DivisionTree,
        stations: Iterable[ServiceStation],
        *,
        policy: StationPolicy | None = None,
    ) -> None:
        self._tree = tree
        self._policy = policy if policy is not None else StationPolicy()
        self._stations = tuple(stations)
        at: defaultdict[str, list[ServiceStation]] = defaultdict(list)
        ids: set[str] = set()
        unknown: list[str] = []
        for station in self._stations:
            if station.station_id in ids:
                raise InconsistentRecord(
                    "station_id", station.station_id, "used by two stations", "站点编号重复"
                )
            ids.add(station.station_id)
            if station.division not in tree:
                unknown.append(station.division.value)
            at[station.division.value].append(station)
        if unknown:
            listed = sorted(set(unknown))
            raise UnknownDivision(
                ", ".join(listed[:20]) + (f" … ({len(listed)} units)" if len(listed) > 20 else ""),
                "division tree (stations bound to units outside it)",
            )
        for code, here in at.items():
            main = [s for s in here if s.kind is not StationKind.EXTENSION]
            if len(main) > 1:
                raise InconsistentRecord(
                    "division",
                    code,
                    "has two centres/stations: " + ", ".join(s.station_id for s in main),
                    "同一单位有两个服务中心(站)",
                )
        self._at = dict(at)
        self._built = frozenset(
            code
            for code, here in at.items()
            if any(s.built and s.kind is not StationKind.EXTENSION for s in here)
        )

    @property
    def tree(self) -> DivisionTree:
        return self._tree

    @property
    def policy(self) -> StationPolicy:
        return self._policy

    @property
    def stations(self) -> tuple[ServiceStation, ...]:
        return self._stations

    def __repr__(self) -> str:
        return f"<ServiceNetwork {len(self._stations)} sites over {len(self._tree)} units>"

    def stations_at(self, code: DivisionCode | str) -> tuple[ServiceStation, ...]:
        """The sites bound to the unit ``code`` (its centre or station and any extensions)."""
        return tuple(self._at.get(self._tree[code].code.value, ()))

    def has_station(self, code: DivisionCode | str) -> bool:
        """Whether the unit has a built centre or station (extensions do not count)."""
        return any(s.built and s.kind is not StationKind.EXTENSION for s in self.stations_at(code))

    def required_units(self) -> Iterator[Division]:
        """The units that must have a centre or station, in pre-order."""
        requires = self._policy.requires
        return (d for d in self._tree if requires(d.code))

    def missing_units(self) -> tuple[Division, ...]:
        """The units that must have one and have no built centre or station, in pre-order."""
        built = self._built
        return tuple(d for d in self.required_units() if d.code.value not in built)

    def coverage(self, *, as_of: str | dt.date = "current") -> Report:
        """Station coverage per unit (应建尽建率): required, built, missing, rate.

        The missing units themselves are :meth:`missing_units` (or :meth:`missing_units`
        filtered to a subtree); a report row counts them.
        """
        own: dict[str, Vector] = {}
        has = self._built
        for division in self.required_units():
            code = division.code.value
            built = code in has
            own[code] = [1, int(built), int(not built), 0]
        extensions = 0
        if self._policy.include_extensions:
            for station in self._stations:
                if station.kind is StationKind.EXTENSION:
                    extensions += 1
                    vector = own.setdefault(station.division.value, [0, 0, 0, 0])
                    vector[0] += 1
                    vector[1] += int(station.built)
                    vector[2] += int(not station.built)
        notes = [
            "rate = built ÷ required from summed counts (应建尽建率按合计重算)",
            "类似乡级 units and the units inside them are not required"
            if not self._policy.include_township_like
            else "类似乡级 units are required",
            f"{extensions} extension station(s) counted as required places"
            if self._policy.include_extensions
            else "extension stations (拓展型服务站) are not counted",
        ]
        return build_report(
            self._tree,
            own,
            kind="station-coverage",
            title="Station coverage",
            title_zh="服务中心(站)应建尽建",
            columns=COVERAGE_COLUMNS,
            as_of=as_of,
            notes=notes,
        )

    def offices(self, *, as_of: str | dt.date = "current") -> Report:
        """Office space, staff and the 五有 standard of the built sites, summed up the tree.

        Every built site counts, extension stations included; a site without a recorded
        office area adds nothing to the area (the note says how many).
        """
        own: dict[str, Vector] = {}
        no_area = 0
        for station in self._stations:
            if not station.built:
                continue
            vector = own.setdefault(station.division.value, [0, Decimal(0), 0, 0, 0])
            vector[0] += 1
            if station.office_area_m2 is None:
                no_area += 1
            else:
                vector[1] += station.office_area_m2
            vector[2] += station.staff
            vector[3] += int(station.five_haves.complete)
        return build_report(
            self._tree,
            own,
            kind="offices",
            title="Office space and staff",
            title_zh="办公场所与人员",
            columns=OFFICE_COLUMNS,
            as_of=as_of,
            notes=[f"{no_area} built site(s) have no recorded office area"] if no_area else [],
        )
