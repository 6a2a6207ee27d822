"""Facts about a person's situation that rules need, and sanctions that stop payments.

Every fact is optional: ``None`` means *not known*, and a rule that needs an unknown fact
reports it as missing instead of guessing (never treated as false).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import check_order, instance_of, optional, past_date

__all__ = ["CANCELLING_SANCTIONS", "Circumstances", "Sanction", "SanctionKind"]

_known_bool = optional(instance_of(bool))


def _fact() -> bool | None:
    """A fact that may be unknown (``None``); a new attrs field each call."""
    return attrs.field(default=None, validator=_known_bool)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class Circumstances:
    """Living circumstances (生活状况) as assessed; ``None`` is unknown.

    Survivors' periodic pensions (《军人抚恤优待条例》(2024) 第十九条) turn on work capacity,
    means of support, income, schooling, disability and support by the deceased; the rural
    60+ allowance on other periodic state payments; the nursing allowance on central support;
    the allowance of elderly martyrs' children in towns on having no work unit; placement by
    arranged employment on being a martyr's child and on the exclusions of 《退役军人安置条例》
    (2024) 第三十五条; retirement on a certified loss of work capacity (第三十六条).
    """

    able_to_work: bool | None = _fact()  # 有劳动能力
    has_means_of_support: bool | None = _fact()  # 有生活费来源
    income_below_local_average: bool | None = _fact()  # 收入水平低于当地居民平均生活水平
    in_education: bool | None = _fact()  # 在校上学
    disabled: bool | None = _fact()  # 残疾
    supported_by_deceased: bool | None = _fact()  # 由该军人生前供养
    other_periodic_state_payment: bool | None = _fact()  # 领取国家其他定期待遇
    centrally_supported: bool | None = _fact()  # 集中供养
    has_work_unit: bool | None = _fact()  # 有工作单位
    martyr_child: bool | None = _fact()  # 烈士子女
    expelled_from_party: bool | None = _fact()  # 被开除中国共产党党籍
    criminally_punished: bool | None = _fact()  # 受过刑事处罚
    unfit_for_arranged_work: bool | None = _fact()  # 因被强制退役等原因不宜安排工作
    certified_work_incapacity: bool | None = _fact()  # 经鉴定丧失劳动能力


class SanctionKind(enum.Enum):
    """Sanctions that suspend or cancel entitlements (《军人抚恤优待条例》(2024) 第五十九条)."""

    FIXED_TERM_IMPRISONMENT = "fixed-term-imprisonment"  # 被判处有期徒刑
    DEPRIVATION_OF_POLITICAL_RIGHTS = "deprivation-of-political-rights"  # 剥夺政治权利
    WANTED = "wanted"  # 被通缉
    DEATH_PENALTY = "death-penalty"  # 被判处死刑
    LIFE_IMPRISONMENT = "life-imprisonment"  # 被判处无期徒刑
    EXPULSION_FROM_ARMY = "expulsion-from-army"  # 被军队开除军籍

    @property
    def label_zh(self) -> str:
        return _SANCTION_ZH[self]

    @property
    def cancels(self) -> bool:
        """Cancels the entitlement for good (取消资格), rather than suspending it (中止)."""
        return self in CANCELLING_SANCTIONS


_SANCTION_ZH = {
    SanctionKind.FIXED_TERM_IMPRISONMENT: "被判处有期徒刑",
    SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS: "被剥夺政治权利",
    SanctionKind.WANTED: "被通缉",
    SanctionKind.DEATH_PENALTY: "被判处死刑",
    SanctionKind.LIFE_IMPRISONMENT: "被判处无期徒刑",
    SanctionKind.EXPULSION_FROM_ARMY: "被军队开除军籍",
}
CANCELLING_SANCTIONS = frozenset(
    {
        SanctionKind.DEATH_PENALTY,
        SanctionKind.LIFE_IMPRISONMENT,
        SanctionKind.EXPULSION_FROM_ARMY,
    }
)


@attrs.frozen(kw_only=True)
class Sanction:
    """A sanction from ``since`` until ``until`` (inclusive; ``None``: not ended or for good).

    A suspending sanction (prison term, deprivation of political rights, being wanted) stops
    payments while it lasts; a cancelling one ends the entitlement from ``since`` on.
    """

    kind: SanctionKind = attrs.field(validator=instance_of(SanctionKind))
    since: dt.date = attrs.field(validator=past_date)
    until: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))

    def __attrs_post_init__(self) -> None:
        check_order(self, "since", "until")

    def in_effect_on(self, on: dt.date) -> bool:
        """Whether the sanction stops payments on ``on``."""
        if on < self.since:
            return False
        return self.kind.cancels or self.until is None or on <= self.until
