"""Households (户) and their glory plaques (光荣牌).

A plaque goes to a household — the members of one hukou booklet (户口簿) — not to a person:
one plaque however many members qualify (国办发〔2018〕72号, in force 2018-07-29;
《退役军人保障法》(2020) 第五十九条).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models._validate import (
    check_order,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)

__all__ = ["Household", "PlaqueRecord", "PlaqueRecoveryReason"]


class PlaqueRecoveryReason(enum.Enum):
    """Why a plaque was taken back (收回光荣牌的情形)."""

    CRIMINAL_PUNISHMENT = "criminal-punishment"  # 受到刑事处罚
    PUBLIC_SECURITY_PENALTY = "public-security-penalty"  # 治安管理处罚且造成恶劣社会影响
    EXPULSION = "expulsion"  # 被除名、开除军籍
    NO_LONGER_ELIGIBLE = "no-longer-eligible"  # 不再符合条件（如户籍迁出）

    @property
    def label_zh(self) -> str:
        return {
            "criminal-punishment": "受到刑事处罚",
            "public-security-penalty": "受到治安管理处罚且造成恶劣社会影响",
            "expulsion": "被除名、开除军籍",
            "no-longer-eligible": "不再符合悬挂条件",
        }[self.value]


@attrs.frozen(kw_only=True)
class PlaqueRecord:
    """A plaque hung on a household, and its recovery if it was taken back.

    A recovered plaque carries both the date and the reason; neither without the other.
    """

    hung_on: dt.date = attrs.field(validator=past_date)
    recovered_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    recovery_reason: PlaqueRecoveryReason | None = attrs.field(
        default=None, validator=optional(instance_of(PlaqueRecoveryReason))
    )

    def __attrs_post_init__(self) -> None:
        if (self.recovered_on is None) != (self.recovery_reason is None):
            raise InconsistentRecord(
                "recovered_on/recovery_reason",
                f"{self.recovered_on}/{self.recovery_reason}",
                "a recovery needs both its date and its reason",
                "收回光荣牌须同时记录日期和原因",
            )
        check_order(self, "hung_on", "recovered_on")

    def hung_at(self, on: dt.date) -> bool:
        """Whether the plaque is on the door on ``on``."""
        return self.hung_on <= on and (self.recovered_on is None or on < self.recovered_on)


@attrs.frozen(kw_only=True, repr=False)
class Household:
    """The members of one hukou booklet and the plaque record of the household (户).

    Invariants: at least one member, no member twice, the head is a member.
    """

    household_id: str = attrs.field(validator=text(max_length=64))
    hukou_division: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    head: ResidentId = attrs.field(validator=instance_of(ResidentId))
    members: tuple[ResidentId, ...] = attrs.field(validator=tuple_of(ResidentId))
    plaque: PlaqueRecord | None = attrs.field(
        default=None, validator=optional(instance_of(PlaqueRecord))
    )

    def __attrs_post_init__(self) -> None:
        if not self.members:
            raise InconsistentRecord(
                "members", "()", "a household has at least one member", "户内至少一人"
            )
        if len(set(self.members)) != len(self.members):
            raise InconsistentRecord(
                "members", f"{len(self.members)} members", "a member is listed twice", "成员重复"
            )
        if self.head not in self.members:
            raise InconsistentRecord(
                "head/members",
                self.head.masked,
                "the head of household must be one of its members",
                "户主须为户内成员",
            )

    def __repr__(self) -> str:
        return (
            f"Household(household_id={self.household_id!r}, "
            f"hukou_division={self.hukou_division}, members={len(self.members)}, "
            f"plaque={self.plaque!r})"
        )
