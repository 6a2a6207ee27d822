"""Entitlement categories (优抚对象类别) and dated statuses.

Who is entitled: 《军人抚恤优待条例》(2024) 第二条. The groups with periodic payments
(重点优抚对象) are the disabled service members (残疾抚恤金, 第二十七条), the three survivor groups
(定期抚恤金, 第十九条) and the groups with periodic living allowances (定期生活补助, 第六十二条:
veterans who took part in combat, those who came home ill, rural former soldiers aged 60 and
over, those who enlisted on or before 1954-10-31, and elderly children of martyrs). Nuclear-test
participants (参试) are paid under national notices together with combat participants, hence one
category 参战参试退役人员. A person may hold several statuses at once, each with the date it began
and, if it ended, the date it ended.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import check_order, instance_of, optional

__all__ = ["EntitlementCategory", "EntitlementStatus"]


class EntitlementCategory(enum.Enum):
    """A category of entitled person (优抚对象类别)."""

    SERVING_MEMBER = "serving-member"  # 现役军人
    DISABLED_SERVICEMEMBER = "disabled-servicemember"  # 残疾军人（含退出现役的）
    MARTYR_SURVIVOR = "martyr-survivor"  # 烈士遗属
    DUTY_DEATH_SURVIVOR = "duty-death-survivor"  # 因公牺牲军人遗属
    ILLNESS_DEATH_SURVIVOR = "illness-death-survivor"  # 病故军人遗属
    MILITARY_FAMILY = "military-family"  # 军人家属
    VETERAN = "veteran"  # 退役军人
    DEMOBILISED_IN_COUNTRYSIDE = "demobilised-in-countryside"  # 在乡复员军人
    DISCHARGED_WITH_ILLNESS = "discharged-with-illness"  # 带病回乡退伍军人
    COMBAT_OR_TEST_VETERAN = "combat-or-test-veteran"  # 参战参试退役人员
    RURAL_VETERAN_OVER_60 = "rural-veteran-over-60"  # 60周岁以上农村籍退役士兵
    ELDERLY_MARTYR_CHILD = "elderly-martyr-child"  # 烈士老年子女

    @property
    def label_zh(self) -> str:
        return _CATEGORY_ZH[self]

    @property
    def key_entitled(self) -> bool:
        """Whether the category receives periodic payments (重点优抚对象)."""
        return self in KEY_ENTITLED_CATEGORIES

    @property
    def survivor(self) -> bool:
        """Whether the category is one of the three survivor groups (三属)."""
        return self in _SURVIVORS


_CATEGORY_ZH = {
    EntitlementCategory.SERVING_MEMBER: "现役军人",
    EntitlementCategory.DISABLED_SERVICEMEMBER: "残疾军人",
    EntitlementCategory.MARTYR_SURVIVOR: "烈士遗属",
    EntitlementCategory.DUTY_DEATH_SURVIVOR: "因公牺牲军人遗属",
    EntitlementCategory.ILLNESS_DEATH_SURVIVOR: "病故军人遗属",
    EntitlementCategory.MILITARY_FAMILY: "军人家属",
    EntitlementCategory.VETERAN: "退役军人",
    EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE: "在乡复员军人",
    EntitlementCategory.DISCHARGED_WITH_ILLNESS: "带病回乡退伍军人",
    EntitlementCategory.COMBAT_OR_TEST_VETERAN: "参战参试退役人员",
    EntitlementCategory.RURAL_VETERAN_OVER_60: "60周岁以上农村籍退役士兵",
    EntitlementCategory.ELDERLY_MARTYR_CHILD: "烈士老年子女",
}
_SURVIVORS = frozenset(
    {
        EntitlementCategory.MARTYR_SURVIVOR,
        EntitlementCategory.DUTY_DEATH_SURVIVOR,
        EntitlementCategory.ILLNESS_DEATH_SURVIVOR,
    }
)
KEY_ENTITLED_CATEGORIES = frozenset(
    {
        EntitlementCategory.DISABLED_SERVICEMEMBER,
        *_SURVIVORS,
        EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
        EntitlementCategory.DISCHARGED_WITH_ILLNESS,
        EntitlementCategory.COMBAT_OR_TEST_VETERAN,
        EntitlementCategory.RURAL_VETERAN_OVER_60,
        EntitlementCategory.ELDERLY_MARTYR_CHILD,
    }
)


@attrs.frozen(kw_only=True)
class EntitlementStatus:
    """A status held from ``since`` until ``until`` (inclusive; ``None``: still held).

    >>> s = EntitlementStatus(category=EntitlementCategory.MARTYR_SURVIVOR,
    ...                       since=dt.date(2019, 5, 1))
    >>> s.active_on(dt.date(2021, 1, 6)), s.category.key_entitled
    (True, True)
    """

    category: EntitlementCategory = attrs.field(validator=instance_of(EntitlementCategory))
    since: dt.date = attrs.field(validator=instance_of(dt.date))
    until: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))

    def __attrs_post_init__(self) -> None:
        if self.until is not None:
            check_order(self, "since", "until")

    def active_on(self, on: dt.date) -> bool:
        """Whether the status is held on ``on``."""
        return self.since <= on and (self.until is None or on <= self.until)
