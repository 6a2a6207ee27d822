"""The synthetic network: the bundled units, a village layer, and their centres and stations.

The village layer does not depend on the seed: it is the same for every dataset, so that
reports of different seeds line up unit by unit. A village's numbering follows the band of
its kind (001–199 社区/居委会, 200–399 村委会); townships coded 400–599 (类似乡级) get none.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

from veteran_affairs import divisions as _bundled
from veteran_affairs._draw import apportion, between, unit_rng
from veteran_affairs.errors import InvalidValue, UnknownDivision
from veteran_affairs.identity import DivisionCode, DivisionLevel, TownshipKind
from veteran_affairs.models.network import (
    Division,
    FiveHaves,
    ServiceStation,
    StationKind,
    StationStatus,
)
from veteran_affairs.synthetic import _figures

# Synthetic weights: how many villages a township has, relative to one another, by kind;
# and the share of the smaller band (村委会 under a 街道, 社区 under a 镇 or 乡).
_KIND_WEIGHT = {TownshipKind.SUBDISTRICT: 8.0, TownshipKind.TOWN: 14.0, TownshipKind.TOWNSHIP: 11.0}
_MINOR_SHARE = {TownshipKind.SUBDISTRICT: 0.1, TownshipKind.TOWN: 0.12, TownshipKind.TOWNSHIP: 0.05}
_VILLAGE_PLAN_KEY = "village-layer"  # fixed: the layer is the same for every seed


def regular_townships() -> tuple[Division, ...]:
    """The bundled township units of Guangxi that must have a station (codes 001–399)."""
    return tuple(
        d
        for d in _bundled.bundled(province=_figures.PROVINCE)
        if d.level is DivisionLevel.TOWNSHIP
        and d.code.township_kind is not TownshipKind.TOWNSHIP_LIKE
    )


def village_total() -> int:
    """Villages needed so that the units with a station total 17,624 (16,245 with 2022 data)."""
    upper = sum(
        1 for d in _bundled.bundled(province=_figures.PROVINCE) if d.level < DivisionLevel.TOWNSHIP
    )
    return _figures.REQUIRED_UNITS - upper - len(regular_townships())


def _kind(township: Division) -> TownshipKind:
    kind = township.code.township_kind
    if kind is None or kind is TownshipKind.TOWNSHIP_LIKE:
        raise ValueError(f"{township.code}: not a regular township")
    return kind


def _weight(township: Division) -> float:
    return _KIND_WEIGHT[_kind(township)]


def _split(count: int, kind: TownshipKind) -> tuple[int, int]:
    """(communities, villagers' committees) of a township with ``count`` villages."""
    minor = round(count * _MINOR_SHARE[kind]) if count >= 3 else 0
    if kind is TownshipKind.SUBDISTRICT:
        communities, committees = count - minor, minor
    else:
        communities, committees = minor, count - minor
    if communities > 199 or committees > 200:
        raise ValueError(f"village band overflow: {communities} + {committees}")
    return communities, committees


@functools.cache
def village_plan() -> Mapping[str, tuple[int, int]]:
    """Per regular township (9-digit code): its number of communities and of committees.

    Every township gets at least one village; the fixed county totals of the seed
    (:data:`_figures.FIXED_VILLAGES`) are met exactly and the rest of the 16,245 are spread
    over the other townships by a weight of their kind times a fixed jitter.
    """
    townships = regular_townships()
    jitter = unit_rng(0, _VILLAGE_PLAN_KEY)
    weights = {t.code.value: _weight(t) * jitter.uniform(0.6, 1.4) for t in townships}
    groups: dict[str, list[Division]] = {county: [] for county in _figures.FIXED_VILLAGES}
    groups[""] = []
    for t in townships:
        county = t.code.value[:6]
        groups[county if county in _figures.FIXED_VILLAGES else ""].append(t)
    totals = dict(_figures.FIXED_VILLAGES)
    totals[""] = village_total() - sum(_figures.FIXED_VILLAGES.values())
    plan: dict[str, tuple[int, int]] = {}
    for key, members in groups.items():
        extra = apportion(totals[key] - len(members), [weights[t.code.value] for t in members])
        for t, more in zip(members, extra, strict=True):
            plan[t.code.short] = _split(1 + more, _kind(t))
    return MappingProxyType(plan)


def villages_of(township: Division) -> Iterator[Division]:
    """The synthetic villages of one township, in code order, named as synthetic."""
    communities, committees = village_plan().get(township.code.short, (0, 0))
    prefix = township.code.short
    for k in range(1, communities + 1):
        yield Division(
            code=DivisionCode(f"{prefix}{k:03d}"), name=f"{township.name}第{k}社区（合成）"
        )
    for k in range(1, committees + 1):
        yield Division(
            code=DivisionCode(f"{prefix}{199 + k:03d}"), name=f"{township.name}第{k}村（合成）"
        )


def resolve_within(within: DivisionCode | str | None) -> DivisionCode | None:
    """The root of the requested subtree, checked to be a unit of the synthetic Guangxi."""
    if within is None:
        return None
    code = within if isinstance(within, DivisionCode) else DivisionCode(within)
    if not code.value.startswith(_figures.PROVINCE):
        raise InvalidValue(
            "within", str(code), "must be a unit of Guangxi (45)", "须为广西境内的区划"
        )
    if code.level is DivisionLevel.VILLAGE:
        township = code.truncate(DivisionLevel.TOWNSHIP)
        if _bundled.contains_code(township) and any(
            v.code == code for v in villages_of(_bundled.lookup(township))
        ):
            return code
        raise UnknownDivision(code.value, "the synthetic village layer")
    _bundled.lookup(code)  # raises UnknownDivision for a unit the bundled data lacks
    return code


def network_divisions(root: DivisionCode | None) -> tuple[Division, ...]:
    """The bundled units of Guangxi (or of ``root``'s subtree) with the villages, by code."""
    if root is not None and root.level is DivisionLevel.VILLAGE:
        township = _bundled.lookup(root.truncate(DivisionLevel.TOWNSHIP))
        return tuple(v for v in villages_of(township) if v.code == root)
    units = _bundled.bundled(province=_figures.PROVINCE) if root is None else _bundled.subtree(root)
    out: list[Division] = []
    for unit in units:
        out.append(unit)
        if unit.level is DivisionLevel.TOWNSHIP:
            out.extend(villages_of(unit))
    return tuple(out)


def requires_station(code: DivisionCode) -> bool:
    """Whether a unit must have a centre or station: every unit but 类似乡级 ones."""
    return int(code.value[6:9]) < 400  # level 1-3 have 000 here; 400-599 are 类似乡级


def established_span(activity_year: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """When stations were set up: before the activity year and before ``on``."""
    last = min(
        _figures.ESTABLISHED_BY,
        dt.date(activity_year - 1, 12, 31),
        on - dt.timedelta(days=1),
    )
    return _figures.ESTABLISHED_FROM, last


@functools.cache
def _five_haves(flags: tuple[bool, bool, bool, bool, bool]) -> FiveHaves:
    institution, establishment, personnel, funding, support = flags
    return FiveHaves(
        institution=institution,
        establishment=establishment,
        personnel=personnel,
        funding=funding,
        support=support,
    )


def _area(rng: random.Random, tenths: tuple[int, int]) -> Decimal:
    return Decimal(rng.randint(*tenths)).scaleb(-1)


def station_for(
    unit: Division, rng: random.Random, span: tuple[dt.date, dt.date]
) -> ServiceStation:
    """The built centre (levels 1–3) or station (4–5) of a unit that must have one."""
    level = int(unit.level)
    centre = level <= DivisionLevel.COUNTY
    if level <= DivisionLevel.TOWNSHIP:
        complete = rng.random() < (0.97 if centre else 0.9)
        flags = (True, True, True, True, True) if complete else (True, True, True, False, True)
    else:
        flags = (
            True,
            rng.random() < 0.3,  # 有编制: few village stations have posts of their own
            True,
            rng.random() < 0.85,
            rng.random() < 0.8,
        )
    return ServiceStation(
        station_id=f"GX-{unit.code.short}",
        division=unit.code,
        kind=StationKind.CENTRE if centre else StationKind.STATION,
        name=f"{unit.name}退役军人服务{'中心' if centre else '站'}（合成）",
        status=StationStatus.OPERATING,
        established_on=between(rng, *span),
        office_area_m2=_area(rng, _figures.AREA_TENTHS[level]),
        staff=rng.randint(*_figures.STAFF[level]),
        five_haves=_five_haves(flags),
    )


_EXTENSION_HOSTS = ("高校", "企业", "产业园区")


def extension_stations(
    seed: int, root: DivisionCode | None, span: tuple[dt.date, dt.date]
) -> list[ServiceStation]:
    """One extension station (拓展型服务站) per city, at one of its counties (synthetic).

    Drawn per city from the seed alone, so a subtree keeps exactly the full network's
    extension stations that lie inside it.
    """
    out: list[ServiceStation] = []
    for city in _bundled.children(_figures.PROVINCE):
        counties = _bundled.children(city.code)
        rng = unit_rng(seed, f"extension:{city.code.short}")
        host = counties[rng.randrange(len(counties))]
        kind = _EXTENSION_HOSTS[rng.randrange(len(_EXTENSION_HOSTS))]
        station = ServiceStation(
            station_id=f"GX-EXT-{host.code.short}-1",
            division=host.code,
            kind=StationKind.EXTENSION,
            name=f"{host.name}{kind}拓展型退役军人服务站（合成）",
            status=StationStatus.OPERATING,
            established_on=between(rng, *span),
            office_area_m2=_area(rng, _figures.EXTENSION_AREA_TENTHS),
            staff=rng.randint(*_figures.EXTENSION_STAFF),
            five_haves=_five_haves((True, False, True, True, True)),
        )
        if root is None or root.contains(host.code):
            out.append(station)
    return out
