"""Households (户) and their glory plaques (光荣牌).

A plaque goes to a household — the members of one hukou booklet (户口簿) — not to a person:
one plaque however many members qualify (国办发〔2018〕72号, in force 2018-07-29;
《退役军人保障法》(2020) 第五十九条).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import (
    check_order,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.identity import DivisionCode, ResidentId

__all__ = [
    "Household",
    "PlaqueBasis",
    "PlaqueDisqualification",
    "PlaqueHousehold",
    "PlaqueMember",
    "PlaqueRecord",
    "PlaqueRecoveryReason",
]


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


class PlaqueBasis(enum.Enum):
    """Why a person makes a household eligible for a glory plaque (悬挂光荣牌的对象)."""

    SERVING_MEMBER = "serving-member"  # 现役军人
    MARTYR = "martyr"  # 烈士
    DUTY_DEATH = "duty-death"  # 因公牺牲军人
    ILLNESS_DEATH = "illness-death"  # 病故军人
    VETERAN = "veteran"  # 退役军人

    @property
    def label_zh(self) -> str:
        return {
            "serving-member": "现役军人",
            "martyr": "烈士",
            "duty-death": "因公牺牲军人",
            "illness-death": "病故军人",
            "veteran": "退役军人",
        }[self.value]


@attrs.frozen(kw_only=True)
class PlaqueMember:
    """A person who makes a household eligible, and on what basis.

    ``since`` is when the basis arose (enlistment, discharge, or death); ``died_on`` the death
    of the member (for 烈士, 因公牺牲 and 病故 the death that gave rise to the basis);
    ``certificate_holder`` whether the family holds the certificate for it (烈士证明书, 退役证 …),
    which makes the plaque proactive rather than on application (``None``: unknown). A serving
    member is usually registered with the army, not on the household's booklet, so
    ``resident_id`` need not be among the household's members.
    """

    resident_id: ResidentId = attrs.field(validator=instance_of(ResidentId))
    basis: PlaqueBasis = attrs.field(validator=instance_of(PlaqueBasis))
    since: dt.date = attrs.field(validator=past_date)
    died_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    certificate_holder: bool | None = attrs.field(
        default=None, validator=optional(instance_of(bool))
    )

    def __attrs_post_init__(self) -> None:
        check_order(self, "since", "died_on")
        deaths = (PlaqueBasis.MARTYR, PlaqueBasis.DUTY_DEATH, PlaqueBasis.ILLNESS_DEATH)
        if self.basis in deaths and self.died_on is None:
            raise InconsistentRecord(
                "basis/died_on",
                f"{self.basis.value}/None",
                "a martyr or a member who died on duty or of illness has a date of death",
                "烈士、因公牺牲、病故军人须有牺牲（病故）日期",
            )


@attrs.frozen(kw_only=True)
class PlaqueDisqualification:
    """A member's conduct that takes the plaque away, from ``on`` (收回光荣牌的情形).

    ``lifted_on`` records a restoration (恢复悬挂), which only a public-security penalty allows.
    """

    resident_id: ResidentId = attrs.field(validator=instance_of(ResidentId))
    kind: PlaqueRecoveryReason = attrs.field(validator=instance_of(PlaqueRecoveryReason))
    on: dt.date = attrs.field(validator=past_date)
    lifted_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))

    def __attrs_post_init__(self) -> None:
        if self.kind is PlaqueRecoveryReason.NO_LONGER_ELIGIBLE:
            raise InconsistentRecord(
                "kind",
                self.kind.value,
                "no longer eligible is an outcome, not a conduct",
                "不再符合条件不属于收回情形",
            )
        if (
            self.lifted_on is not None
            and self.kind is not PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY
        ):
            raise InconsistentRecord(
                "kind/lifted_on",
                f"{self.kind.value}/{self.lifted_on.isoformat()}",
                "only a public-security penalty can be lifted to restore the plaque",
                "仅治安管理处罚情形可恢复悬挂",
            )
        check_order(self, "on", "lifted_on")

    def in_effect_on(self, day: dt.date) -> bool:
        return self.on <= day and (self.lifted_on is None or day < self.lifted_on)


@attrs.frozen(kw_only=True, repr=False)
class PlaqueHousehold:
    """A household with what a plaque decision needs: who qualifies, and any disqualification.

    ``applied_on`` is the date the household applied, where it did (a plaque is hung
    proactively for certificate holders, on application otherwise).
    """

    household: Household = attrs.field(validator=instance_of(Household))
    members: tuple[PlaqueMember, ...] = attrs.field(default=(), validator=tuple_of(PlaqueMember))
    disqualifications: tuple[PlaqueDisqualification, ...] = attrs.field(
        default=(), validator=tuple_of(PlaqueDisqualification)
    )
    applied_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))

    def __attrs_post_init__(self) -> None:
        ids = [m.resident_id for m in self.members]
        if len(set(ids)) != len(ids):
            raise InconsistentRecord(
                "members", f"{len(ids)} members", "a person is listed twice", "人员重复"
            )

    def __repr__(self) -> str:
        return (
            f"PlaqueHousehold(household={self.household!r}, members={len(self.members)}, "
            f"disqualifications={len(self.disqualifications)}, applied_on={self.applied_on})"
        )
