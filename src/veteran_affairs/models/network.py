"""Divisions and the service network: centres and stations (退役军人服务中心(站)).

A service centre (服务中心) sits at province, city and county level; a service station (服务站)
at township and village level. Extension stations (拓展型服务站: universities, enterprises,
industrial parks) may be bound to a unit of any level and are outside the 应建尽建 denominator
unless a policy says otherwise.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from veteran_affairs._validate import (
    check_order,
    in_range,
    instance_of,
    non_negative_decimal,
    optional,
    past_date,
    text,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.identity import DivisionCode, DivisionLevel

__all__ = ["Division", "FiveHaves", "ServiceStation", "StationKind", "StationStatus"]


@attrs.frozen(kw_only=True)
class Division:
    """An administrative unit: its code and its name (行政区划).

    >>> d = Division(code=DivisionCode("450312"), name="临桂区")
    >>> d.level.name, d.parent_code
    ('COUNTY', DivisionCode('450300000000'))
    """

    code: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    name: str = attrs.field(validator=text(max_length=100))

    @property
    def level(self) -> DivisionLevel:
        return self.code.level

    @property
    def parent_code(self) -> DivisionCode | None:
        return self.code.parent


class StationKind(enum.Enum):
    """Kind of a service site."""

    CENTRE = "centre"  # 退役军人服务中心 (province, city, county)
    STATION = "station"  # 退役军人服务站 (township, village)
    EXTENSION = "extension"  # 拓展型服务站 (universities, enterprises, parks)

    @property
    def label_zh(self) -> str:
        return {"centre": "服务中心", "station": "服务站", "extension": "拓展型服务站"}[self.value]


class StationStatus(enum.Enum):
    """Life-cycle status of a service site."""

    PLANNED = "planned"  # 筹建中
    OPERATING = "operating"  # 运行
    SUSPENDED = "suspended"  # 暂停
    CLOSED = "closed"  # 撤销

    @property
    def label_zh(self) -> str:
        return {"planned": "筹建中", "operating": "运行", "suspended": "暂停", "closed": "撤销"}[
            self.value
        ]


@attrs.frozen(kw_only=True)
class FiveHaves:
    """The national "五有" standard for a site: 有机构、有编制、有人员、有经费、有保障."""

    institution: bool = attrs.field(default=False, validator=instance_of(bool))  # 有机构
    establishment: bool = attrs.field(default=False, validator=instance_of(bool))  # 有编制
    personnel: bool = attrs.field(default=False, validator=instance_of(bool))  # 有人员
    funding: bool = attrs.field(default=False, validator=instance_of(bool))  # 有经费
    support: bool = attrs.field(default=False, validator=instance_of(bool))  # 有保障

    @property
    def complete(self) -> bool:
        """All five in place (五有齐全)."""
        return all(attrs.astuple(self))


_CENTRE_LEVELS = frozenset({DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY})


@attrs.frozen(kw_only=True)
class ServiceStation:
    """A service centre or station bound to one administrative unit.

    Invariants: a centre belongs to a unit of level 1–3 and a station to level 4–5 (an
    extension station to any level); an operating, suspended or closed site has an
    establishment date; a closed site has a closing date not before it.
    """

    station_id: str = attrs.field(validator=text(max_length=64))
    division: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    kind: StationKind = attrs.field(validator=instance_of(StationKind))
    name: str | None = attrs.field(default=None, validator=optional(text(max_length=200)))
    status: StationStatus = attrs.field(
        default=StationStatus.OPERATING, validator=instance_of(StationStatus)
    )
    established_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    closed_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    office_area_m2: Decimal | None = attrs.field(
        default=None, validator=optional(non_negative_decimal)
    )
    staff: int = attrs.field(default=0, validator=in_range(0, 100_000))
    five_haves: FiveHaves = attrs.field(factory=FiveHaves, validator=instance_of(FiveHaves))

    def __attrs_post_init__(self) -> None:
        level = self.division.level
        if self.kind is StationKind.CENTRE and level not in _CENTRE_LEVELS:
            raise InconsistentRecord(
                "kind/division",
                f"{self.kind.value}/{self.division}",
                "a service centre belongs to a province, city or county",
                "服务中心应设在省、市、县级",
            )
        if self.kind is StationKind.STATION and level in _CENTRE_LEVELS:
            raise InconsistentRecord(
                "kind/division",
                f"{self.kind.value}/{self.division}",
                "a service station belongs to a township or village",
                "服务站应设在乡、村级",
            )
        if self.status is not StationStatus.PLANNED and self.established_on is None:
            raise InconsistentRecord(
                "status/established_on",
                f"{self.status.value}/None",
                "a site that has opened needs its establishment date",
                "已建成的站点须有建成日期",
            )
        if (self.status is StationStatus.CLOSED) != (self.closed_on is not None):
            raise InconsistentRecord(
                "status/closed_on",
                f"{self.status.value}/{self.closed_on}",
                "a closing date goes with status closed, and only with it",
                "撤销状态须且仅须有撤销日期",
            )
        check_order(self, "established_on", "closed_on")

    @property
    def built(self) -> bool:
        """Counts as built (已建) for coverage: operating or suspended, not planned or closed."""
        return self.status in (StationStatus.OPERATING, StationStatus.SUSPENDED)
