"""Military service: personnel types, discharge modes, awards, disability (服役与伤残).

Discharge modes allowed by personnel type follow 《退役军人保障法》(2020) 第二十一至二十三条 and
《退役军人安置条例》(2024) 第五条: officers (军官) retire, transfer to civilian posts, draw a
monthly retirement payment or are demobilised; NCOs (军士, called 士官 before 2024) retire, draw a
monthly payment, find their own employment, are given a job or are supported; conscripts
(义务兵) find their own employment, are given a job or are supported.

Disability (残疾) follows 《军人抚恤优待条例》(2024) 第二十五至二十七条: grades 1 (most severe)
to 10; nature 因战 (in combat), 因公 (on duty) or 因病 (illness); 因病 is assessed only for
conscripts and junior NCOs (第二十五条 last paragraph), and only grades 1–6 of it carry a pension
(第二十七条) — the pension is the rules' business, the model only refuses 因病 for others.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import (
    check_order,
    in_range,
    instance_of,
    optional,
    past_date,
    tuple_of,
)
from veteran_affairs.errors import InconsistentRecord

__all__ = [
    "ALLOWED_DISCHARGE_MODES",
    "Award",
    "AwardKind",
    "Disability",
    "DisabilityNature",
    "DischargeMode",
    "NcoRank",
    "PersonnelType",
    "ServiceRecord",
]


class PersonnelType(enum.Enum):
    """Personnel type at discharge (人员类别)."""

    OFFICER = "officer"  # 军官
    NCO = "nco"  # 军士（2024年前称士官）
    CONSCRIPT = "conscript"  # 义务兵

    @property
    def label_zh(self) -> str:
        return {"officer": "军官", "nco": "军士（士官）", "conscript": "义务兵"}[self.value]


class NcoRank(enum.Enum):
    """NCO rank band, which decides retirement versus support (军士等级)."""

    JUNIOR = "junior"  # 初级军士
    INTERMEDIATE_OR_SENIOR = "intermediate-or-senior"  # 中级以上军士

    @property
    def label_zh(self) -> str:
        return {"junior": "初级军士", "intermediate-or-senior": "中级以上军士"}[self.value]


class DischargeMode(enum.Enum):
    """How a discharged service member is settled (安置方式)."""

    RETIREMENT = "retirement"  # 退休
    CIVILIAN_TRANSFER = "civilian-transfer"  # 转业
    MONTHLY_PAYMENT = "monthly-payment"  # 逐月领取退役金
    DEMOBILISATION = "demobilisation"  # 复员
    SELF_EMPLOYMENT = "self-employment"  # 自主就业
    ARRANGED_EMPLOYMENT = "arranged-employment"  # 安排工作
    SUPPORT = "support"  # 供养

    @property
    def label_zh(self) -> str:
        return _DISCHARGE_ZH[self]


_DISCHARGE_ZH = {
    DischargeMode.RETIREMENT: "退休",
    DischargeMode.CIVILIAN_TRANSFER: "转业",
    DischargeMode.MONTHLY_PAYMENT: "逐月领取退役金",
    DischargeMode.DEMOBILISATION: "复员",
    DischargeMode.SELF_EMPLOYMENT: "自主就业",
    DischargeMode.ARRANGED_EMPLOYMENT: "安排工作",
    DischargeMode.SUPPORT: "供养",
}

ALLOWED_DISCHARGE_MODES: dict[PersonnelType, frozenset[DischargeMode]] = {
    PersonnelType.OFFICER: frozenset(
        {
            DischargeMode.RETIREMENT,
            DischargeMode.CIVILIAN_TRANSFER,
            DischargeMode.MONTHLY_PAYMENT,
            DischargeMode.DEMOBILISATION,
        }
    ),
    PersonnelType.NCO: frozenset(
        {
            DischargeMode.RETIREMENT,
            DischargeMode.MONTHLY_PAYMENT,
            DischargeMode.SELF_EMPLOYMENT,
            DischargeMode.ARRANGED_EMPLOYMENT,
            DischargeMode.SUPPORT,
        }
    ),
    PersonnelType.CONSCRIPT: frozenset(
        {
            DischargeMode.SELF_EMPLOYMENT,
            DischargeMode.ARRANGED_EMPLOYMENT,
            DischargeMode.SUPPORT,
        }
    ),
}
"""Discharge modes by personnel type: 保障法 (2020) 第21–23条; 安置条例 (2024) 第5条."""


class AwardKind(enum.Enum):
    """Individual honours and awards (个人奖励), covering the 2011 and the 2024 regimes.

    Before 2024 the grades were 荣誉称号, 一等功, 二等功, 三等功 (with wartime awards told apart);
    《退役军人安置条例》(2024) 第二十二、二十五条 add 勋章, 战功 of four grades and 表彰 of two.
    """

    MEDAL = "medal"  # 勋章
    HONORARY_TITLE = "honorary-title"  # 荣誉称号
    FIRST_CLASS_COMBAT_MERIT = "first-class-combat-merit"  # 一等战功
    SECOND_CLASS_COMBAT_MERIT = "second-class-combat-merit"  # 二等战功
    THIRD_CLASS_COMBAT_MERIT = "third-class-combat-merit"  # 三等战功
    FOURTH_CLASS_COMBAT_MERIT = "fourth-class-combat-merit"  # 四等战功
    FIRST_CLASS_MERIT = "first-class-merit"  # 一等功
    SECOND_CLASS_MERIT = "second-class-merit"  # 二等功
    THIRD_CLASS_MERIT = "third-class-merit"  # 三等功
    FIRST_GRADE_COMMENDATION = "first-grade-commendation"  # 一级表彰
    SECOND_GRADE_COMMENDATION = "second-grade-commendation"  # 二级表彰

    @property
    def label_zh(self) -> str:
        return _AWARD_ZH[self]


_AWARD_ZH = {
    AwardKind.MEDAL: "勋章",
    AwardKind.HONORARY_TITLE: "荣誉称号",
    AwardKind.FIRST_CLASS_COMBAT_MERIT: "一等战功",
    AwardKind.SECOND_CLASS_COMBAT_MERIT: "二等战功",
    AwardKind.THIRD_CLASS_COMBAT_MERIT: "三等战功",
    AwardKind.FOURTH_CLASS_COMBAT_MERIT: "四等战功",
    AwardKind.FIRST_CLASS_MERIT: "一等功",
    AwardKind.SECOND_CLASS_MERIT: "二等功",
    AwardKind.THIRD_CLASS_MERIT: "三等功",
    AwardKind.FIRST_GRADE_COMMENDATION: "一级表彰",
    AwardKind.SECOND_GRADE_COMMENDATION: "二级表彰",
}


@attrs.frozen(kw_only=True)
class Award:
    """One individual award, with the date it was conferred (立功受奖).

    ``wartime`` marks an award earned in wartime (战时), which the 2011 placement rules
    treat differently from peacetime (平时) ones.
    """

    kind: AwardKind = attrs.field(validator=instance_of(AwardKind))
    awarded_on: dt.date = attrs.field(validator=past_date)
    wartime: bool = attrs.field(default=False, validator=instance_of(bool))


class DisabilityNature(enum.Enum):
    """Nature of a disability (致残性质), 《军人抚恤优待条例》(2024) 第二十五条."""

    IN_COMBAT = "in-combat"  # 因战
    ON_DUTY = "on-duty"  # 因公
    ILLNESS = "illness"  # 因病

    @property
    def label_zh(self) -> str:
        return _NATURE_ZH[self]


_NATURE_ZH = {
    DisabilityNature.IN_COMBAT: "因战",
    DisabilityNature.ON_DUTY: "因公",
    DisabilityNature.ILLNESS: "因病",
}


@attrs.frozen(kw_only=True)
class Disability:
    """An assessed disability: grade 1 (most severe) to 10, its nature and date (残疾等级).

    ``mental_disorder`` marks a disability assessed for a mental disorder (精神障碍), which the
    2024 regulation treats specially for grades 5–6 (第三十四条).
    """

    grade: int = attrs.field(validator=in_range(1, 10))
    nature: DisabilityNature = attrs.field(validator=instance_of(DisabilityNature))
    assessed_on: dt.date = attrs.field(validator=past_date)
    mental_disorder: bool = attrs.field(default=False, validator=instance_of(bool))


@attrs.frozen(kw_only=True)
class ServiceRecord:
    """One period of active service and how it ended (服役经历).

    Invariants (each raises :class:`~veteran_affairs.errors.InconsistentRecord` naming the
    fields): discharge after enlistment; an NCO has a rank band and nobody else does; the
    discharge mode is one the personnel type allows; awards fall within the service.
    ``discharged_on`` and ``discharge_mode`` are ``None`` while still serving.
    """

    enlisted_on: dt.date = attrs.field(validator=past_date)
    personnel_type: PersonnelType = attrs.field(validator=instance_of(PersonnelType))
    discharged_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    nco_rank: NcoRank | None = attrs.field(default=None, validator=optional(instance_of(NcoRank)))
    discharge_mode: DischargeMode | None = attrs.field(
        default=None, validator=optional(instance_of(DischargeMode))
    )
    awards: tuple[Award, ...] = attrs.field(default=(), validator=tuple_of(Award))
    combat_participant: bool = attrs.field(default=False, validator=instance_of(bool))  # 参战
    test_participant: bool = attrs.field(default=False, validator=instance_of(bool))  # 参试

    def __attrs_post_init__(self) -> None:
        if self.discharged_on is not None and self.discharged_on <= self.enlisted_on:
            check_order(self, "enlisted_on", "discharged_on", strict=True)  # raises
        if (self.personnel_type is PersonnelType.NCO) != (self.nco_rank is not None):
            raise InconsistentRecord(
                "personnel_type/nco_rank",
                f"{self.personnel_type.value}/{self.nco_rank and self.nco_rank.value}",
                "an NCO needs a rank band (junior or intermediate-or-senior); others have none",
                "军士须注明初级或中级以上，其他人员不填",
            )
        mode = self.discharge_mode
        if mode is not None:
            if self.discharged_on is None:
                raise InconsistentRecord(
                    "discharge_mode/discharged_on",
                    f"{mode.value}/None",
                    "a discharge mode needs a discharge date",
                    "有安置方式须有退役时间",
                )
            if mode not in ALLOWED_DISCHARGE_MODES[self.personnel_type]:
                raise InconsistentRecord(
                    "personnel_type/discharge_mode",
                    f"{self.personnel_type.value}/{mode.value}",
                    f"{self.personnel_type.label_zh} cannot be settled by {mode.label_zh}",
                    f"{self.personnel_type.label_zh}不适用{mode.label_zh}安置方式",
                )
        end = self.discharged_on
        for index, award in enumerate(self.awards):
            if award.awarded_on < self.enlisted_on or (end is not None and award.awarded_on > end):
                raise InconsistentRecord(
                    f"awards[{index}].awarded_on",
                    award.awarded_on.isoformat(),
                    "an award must fall within the period of service",
                    "立功受奖时间应在服役期间",
                )

    @property
    def discharged(self) -> bool:
        return self.discharged_on is not None

    @property
    def illness_disability_allowed(self) -> bool:
        """Whether 因病致残 may be assessed: conscripts and junior NCOs only."""
        return self.personnel_type is PersonnelType.CONSCRIPT or (self.nco_rank is NcoRank.JUNIOR)
