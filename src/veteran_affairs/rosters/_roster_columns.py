"""Which roster column holds which field (列名映射), per kind of roster: the engine of ``ColumnMap``.

A roster's header row names its columns in Chinese, as county offices write them; several
spellings are in use for the same field (``公民身份号码``, ``身份证号``, ``身份证号码``). A
:class:`ColumnMap` maps each accepted header text to one field of one :class:`RosterKind`.
An office keeps rosters of people and cases — veterans (退役军人), survivors (遗属),
glory-plaque households (光荣牌家庭), hardship-assistance cases (帮扶援助申请) — and the
registers of its casework (业务台账): petitions (信访件), historical legacy cases (历史遗留问题),
insurance transfers (保险接续), leaders' 包联 assignments and talks (领导包联, 包联座谈),
village cadres (村两委成员), the discharge transition (退役安置, 教育培训, 就业情况), reception
days (领导接待日) and the requests contacts open (诉求). Each kind has its own fields, default headers, required and personal
fields, and the worksheet names that select it in a workbook.

>>> DEFAULT_COLUMNS.field_of("身份证号")
'resident_id'
>>> DEFAULT_COLUMNS.header_of("resident_id")
'公民身份号码'
>>> DEFAULT_COLUMNS.extended({"证件号": "resident_id"}).field_of("证件号")
'resident_id'
>>> RosterKind.SURVIVORS.columns.field_of("与军人关系"), RosterKind.CASES.label_zh
('relation', '帮扶援助申请')
>>> RosterKind.PETITIONS.columns.field_of("信访人身份证号"), RosterKind.PETITIONS.record_type.__name__
('petitioner', 'Petition')
"""

from __future__ import annotations

import enum
import os
import tomllib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition
from veteran_affairs.casework.requests import Request
from veteran_affairs.casework.villages import VillageCadre
from veteran_affairs.errors import InvalidValue
from veteran_affairs.models.assistance import AssistanceCase
from veteran_affairs.models.household import PlaqueHousehold
from veteran_affairs.models.people import Survivor, Veteran

RecordType = (
    Veteran
    | Survivor
    | PlaqueHousehold
    | AssistanceCase
    | Petition
    | LegacyCase
    | InsuranceTransfer
    | ContactAssignment
    | BaolianTalk
    | VillageCadre
    | DischargeRecord
    | TrainingEnrolment
    | EmploymentRecord
    | ReceptionSession
    | Request
)
"""What a valid row of some kind of roster becomes."""


class RosterKind(enum.Enum):
    """A kind of roster (花名册类别): what one row is, and so which columns it has.

    Each kind has its default :attr:`columns`, canonical :attr:`header`, :attr:`fields`,
    :attr:`required_fields`, :attr:`personal_fields` (masked in every error), the
    :attr:`sheet_names` that select it in a workbook, and the :attr:`record_type` a valid row
    becomes.

    The first four kinds are the rosters of people and cases; the others are the casework
    registers (业务台账) of :mod:`veteran_affairs.casework`, whose records a store keeps as
    record kinds (``uow.records(cls)``, :mod:`veteran_affairs.repositories.records`).

    >>> [kind.value for kind in RosterKind][:4]
    ['veterans', 'survivors', 'households', 'cases']
    >>> [kind.label_zh for kind in RosterKind if kind.casework][:6]
    ['信访件', '历史遗留问题', '保险接续', '领导包联', '包联座谈', '村两委成员']
    >>> RosterKind.HOUSEHOLDS.record_type.__name__, RosterKind.HOUSEHOLDS.key_field
    ('PlaqueHousehold', 'household_id')
    >>> RosterKind.from_sheet_name(" 光荣牌家庭 "), RosterKind.from_sheet_name("Sheet1")
    (<RosterKind.HOUSEHOLDS: 'households'>, None)
    """

    VETERANS = "veterans"  # 退役军人 → Veteran
    SURVIVORS = "survivors"  # 遗属 → Survivor
    HOUSEHOLDS = "households"  # 光荣牌家庭 → PlaqueHousehold
    CASES = "cases"  # 帮扶援助申请 → AssistanceCase
    PETITIONS = "petitions"  # 信访件登记表 → Petition
    LEGACY_CASES = "legacy-cases"  # 历史遗留问题台账 → LegacyCase
    INSURANCE_TRANSFERS = "insurance-transfers"  # 保险接续台账 → InsuranceTransfer
    BAOLIAN_ASSIGNMENTS = "baolian-assignments"  # 领导包联安排 → ContactAssignment
    BAOLIAN_TALKS = "baolian-talks"  # 包联座谈记录 → BaolianTalk
    VILLAGE_CADRES = "village-cadres"  # 村"两委"成员名册 → VillageCadre
    DISCHARGE_RECORDS = "discharge-records"  # 退役报到安置台账 → DischargeRecord
    TRAINING_ENROLMENTS = "training-enrolments"  # 教育培训台账 → TrainingEnrolment
    EMPLOYMENT_RECORDS = "employment-records"  # 就业情况台账 → EmploymentRecord
    RECEPTION_SESSIONS = "reception-sessions"  # 领导接待日登记 → ReceptionSession
    REQUESTS = "requests"  # 诉求登记台账 → Request

    @property
    def label_zh(self) -> str:
        """The kind in Chinese: 退役军人, 遗属, 光荣牌家庭, 帮扶援助申请, 信访件 …"""
        return _LABELS[self]

    @property
    def casework(self) -> bool:
        """Whether the kind is a casework register, kept by a store as a record kind."""
        return self in _CASEWORK

    @property
    def columns(self) -> ColumnMap:
        """The default column map of this kind (every header in ``howto-import-roster``)."""
        return _DEFAULTS[self]

    @property
    def header(self) -> tuple[str, ...]:
        """The canonical header row: one column per field of :attr:`fields`, in that order."""
        return _CANONICAL[self]

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields a row of this kind can fill, in the order of :attr:`header`."""
        return tuple(column.field for column in _COLUMNS[self])

    @property
    def required_fields(self) -> frozenset[str]:
        """Fields whose column must be in the header and whose cell must not be blank."""
        return _REQUIRED[self]

    @property
    def personal_fields(self) -> frozenset[str]:
        """Fields whose values are masked in every error message (names, identity numbers)."""
        return _PERSONAL[self]

    @property
    def key_field(self) -> str:
        """The field that identifies a row's record: a second row with the same one is an error."""
        return _KEYS[self]

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """Worksheet names that select this kind in a workbook (compared without blanks or case)."""
        return _SHEETS[self]

    @property
    def record_type(self) -> type[RecordType]:
        """The model a valid row becomes."""
        return _RECORD_TYPES[self]

    @classmethod
    def from_sheet_name(cls, name: str) -> RosterKind | None:
        """The kind a worksheet's name selects (``遗属``, ``cases`` …), or ``None``."""
        return _BY_SHEET.get(normalise_header(name).casefold())


_LABELS = {
    RosterKind.VETERANS: "退役军人",
    RosterKind.SURVIVORS: "遗属",
    RosterKind.HOUSEHOLDS: "光荣牌家庭",
    RosterKind.CASES: "帮扶援助申请",
    RosterKind.PETITIONS: "信访件",
    RosterKind.LEGACY_CASES: "历史遗留问题",
    RosterKind.INSURANCE_TRANSFERS: "保险接续",
    RosterKind.BAOLIAN_ASSIGNMENTS: "领导包联",
    RosterKind.BAOLIAN_TALKS: "包联座谈",
    RosterKind.VILLAGE_CADRES: "村两委成员",
    RosterKind.DISCHARGE_RECORDS: "退役安置",
    RosterKind.TRAINING_ENROLMENTS: "教育培训",
    RosterKind.EMPLOYMENT_RECORDS: "就业情况",
    RosterKind.RECEPTION_SESSIONS: "领导接待日",
    RosterKind.REQUESTS: "诉求",
}
_CASEWORK = frozenset(
    {
        RosterKind.PETITIONS,
        RosterKind.LEGACY_CASES,
        RosterKind.INSURANCE_TRANSFERS,
        RosterKind.BAOLIAN_ASSIGNMENTS,
        RosterKind.BAOLIAN_TALKS,
        RosterKind.VILLAGE_CADRES,
        RosterKind.DISCHARGE_RECORDS,
        RosterKind.TRAINING_ENROLMENTS,
        RosterKind.EMPLOYMENT_RECORDS,
        RosterKind.RECEPTION_SESSIONS,
        RosterKind.REQUESTS,
    }
)
_RECORD_TYPES: dict[RosterKind, type[RecordType]] = {
    RosterKind.VETERANS: Veteran,
    RosterKind.SURVIVORS: Survivor,
    RosterKind.HOUSEHOLDS: PlaqueHousehold,
    RosterKind.CASES: AssistanceCase,
    RosterKind.PETITIONS: Petition,
    RosterKind.LEGACY_CASES: LegacyCase,
    RosterKind.INSURANCE_TRANSFERS: InsuranceTransfer,
    RosterKind.BAOLIAN_ASSIGNMENTS: ContactAssignment,
    RosterKind.BAOLIAN_TALKS: BaolianTalk,
    RosterKind.VILLAGE_CADRES: VillageCadre,
    RosterKind.DISCHARGE_RECORDS: DischargeRecord,
    RosterKind.TRAINING_ENROLMENTS: TrainingEnrolment,
    RosterKind.EMPLOYMENT_RECORDS: EmploymentRecord,
    RosterKind.RECEPTION_SESSIONS: ReceptionSession,
    RosterKind.REQUESTS: Request,
}
_SHEETS: dict[RosterKind, tuple[str, ...]] = {
    RosterKind.VETERANS: ("退役军人", "退役军人花名册", "退役军人信息", "veterans"),
    RosterKind.SURVIVORS: ("遗属", "遗属花名册", "烈属", "三属", "survivors"),
    RosterKind.HOUSEHOLDS: ("光荣牌", "光荣牌家庭", "光荣牌花名册", "悬挂光荣牌", "households"),
    RosterKind.CASES: ("帮扶援助", "帮扶援助申请", "困难帮扶", "困难帮扶援助", "cases"),
    RosterKind.PETITIONS: ("信访件", "信访件登记表", "信访登记", "信访事项", "petitions"),
    RosterKind.LEGACY_CASES: (
        "历史遗留问题",
        "历史遗留问题台账",
        "遗留问题台账",
        "legacy-cases",
    ),
    RosterKind.INSURANCE_TRANSFERS: (
        "保险接续",
        "保险接续台账",
        "保险关系转移接续",
        "insurance-transfers",
    ),
    RosterKind.BAOLIAN_ASSIGNMENTS: ("领导包联", "包联安排", "领导包联安排", "baolian-assignments"),
    RosterKind.BAOLIAN_TALKS: ("包联座谈", "包联座谈记录", "座谈记录", "baolian-talks"),
    RosterKind.VILLAGE_CADRES: (
        "村两委成员",
        "村两委",
        "两委成员",
        "兵支书",
        "村两委成员名册",
        "village-cadres",
    ),
    RosterKind.DISCHARGE_RECORDS: ("退役安置", "退役报到", "退役安置台账", "discharge-records"),
    RosterKind.TRAINING_ENROLMENTS: ("教育培训", "培训台账", "参训台账", "training-enrolments"),
    RosterKind.EMPLOYMENT_RECORDS: ("就业情况", "就业台账", "就业跟踪", "employment-records"),
    RosterKind.RECEPTION_SESSIONS: ("领导接待日", "接待日登记", "接待记录", "reception-sessions"),
    RosterKind.REQUESTS: ("诉求", "诉求登记", "诉求台账", "诉求办理", "requests"),
}


class _Column(NamedTuple):
    field: str
    header: str  # canonical: what errors name when the column is missing, what exports write
    others: tuple[str, ...] = ()


# --- the columns of each kind ------------------------------------------------------------------

_PERSON = (
    _Column("name", "姓名"),
    _Column("resident_id", "公民身份号码", ("身份证号", "身份证号码", "身份证")),
    _Column("sex", "性别"),
    _Column("birth_date", "出生日期", ("出生年月日",)),
    _Column("ethnicity", "民族"),
    _Column("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式")),
    _Column("hukou_division", "户籍地", ("户籍所在地", "户籍地代码", "户籍地区划代码")),
    _Column("hukou_type", "户口性质", ("户籍性质",)),
)
_SERVICE = (
    _Column("enlisted_on", "入伍时间", ("入伍日期",)),
    _Column("discharged_on", "退役时间", ("退役日期", "退伍时间")),
    _Column("personnel_type", "人员类别", ("退役类别",)),
    _Column("discharge_mode", "退役方式", ("安置方式",)),
    _Column("nco_rank", "士官级别", ("军士级别", "士官等级")),
    _Column("disability_grade", "伤残等级", ("残疾等级",)),
    _Column("disability_nature", "伤残性质", ("残疾性质", "致残性质")),
    _Column("disability_assessed_on", "评残时间", ("评残日期",)),
)
_DIED = _Column("died_on", "死亡时间", ("死亡日期", "去世时间"))
_STATUSES = (
    _Column("categories", "优抚对象类别", ("优抚类别", "优抚对象类型")),
    _Column("categories_since", "优抚认定时间", ("优抚起始时间", "认定时间")),
    _Column("categories_until", "优抚终止时间", ("优抚截止时间",)),
)
_SANCTIONS = (
    _Column("sanctions", "惩处情形", ("处罚情形",)),
    _Column("sanctions_since", "惩处起始时间", ("处罚起始时间",)),
    _Column("sanctions_until", "惩处终止时间", ("处罚终止时间",)),
)
# The facts of Circumstances, headed as the model's comments name them.
_CIRCUMSTANCES = (
    _Column("able_to_work", "有劳动能力", ("是否有劳动能力",)),
    _Column("has_means_of_support", "有生活费来源", ("是否有生活费来源",)),
    _Column(
        "income_below_local_average",
        "收入水平低于当地居民平均生活水平",
        ("收入低于当地平均生活水平",),
    ),
    _Column("in_education", "在校上学", ("是否在校上学",)),
    _Column("disabled", "残疾", ("是否残疾",)),
    _Column("supported_by_deceased", "由该军人生前供养", ("由军人生前供养", "生前供养")),
    _Column("other_periodic_state_payment", "领取国家其他定期待遇", ("享受国家其他定期待遇",)),
    _Column("centrally_supported", "集中供养", ("是否集中供养",)),
    _Column("has_work_unit", "有工作单位", ("是否有工作单位",)),
    _Column("martyr_child", "烈士子女", ("是否烈士子女",)),
    _Column("expelled_from_party", "被开除中国共产党党籍", ("被开除党籍",)),
    _Column("criminally_punished", "受过刑事处罚", ("是否受过刑事处罚",)),
    _Column("unfit_for_arranged_work", "因被强制退役等原因不宜安排工作", ("不宜安排工作",)),
    _Column("certified_work_incapacity", "经鉴定丧失劳动能力", ("丧失劳动能力",)),
)
CIRCUMSTANCE_FIELDS: tuple[str, ...] = tuple(column.field for column in _CIRCUMSTANCES)
"""The circumstance facts (是/否/blank) a veterans' or survivors' row can carry."""

_VETERANS = (
    *_PERSON,
    *_SERVICE,
    _Column("mental_disorder", "精神障碍致残", ("精神障碍", "是否精神障碍")),
    _DIED,
    *_STATUSES,
    _Column("awards", "立功受奖", ("奖励情况",)),
    _Column("awards_on", "立功受奖时间", ("奖励时间",)),
    _Column("combat_participant", "参战", ("是否参战",)),
    _Column("test_participant", "参试", ("是否参试",)),
    *_SANCTIONS,
    *_CIRCUMSTANCES,
)
_SURVIVORS = (
    *_PERSON,
    _DIED,
    _Column("relation", "与军人关系", ("与烈士关系", "与牺牲病故军人关系", "亲属关系")),
    _Column(
        "death_category",
        "牺牲/病故类别",
        ("牺牲病故类别", "牺牲(病故)类别", "牺牲（病故）类别"),
    ),
    _Column(
        "deceased_on",
        "牺牲(病故)时间",
        ("牺牲（病故）时间", "牺牲/病故时间", "牺牲病故时间", "牺牲时间", "病故时间"),
    ),
    _Column("deceased_id", "军人公民身份号码", ("军人身份证号", "军人身份证号码")),
    *_STATUSES,
    *_SANCTIONS,
    *_CIRCUMSTANCES,
)
_HOUSEHOLDS = (
    _Column("household_id", "户编号", ("户号", "户口簿编号")),
    _PERSON[6],  # 户籍地
    _Column("head", "户主公民身份号码", ("户主身份证号", "户主身份证号码")),
    _Column("members", "户内成员公民身份号码", ("户内成员身份证号", "家庭成员公民身份号码")),
    _Column("applied_on", "申请时间", ("申请日期",)),
    _Column("hung_on", "挂牌时间", ("悬挂时间", "挂牌日期", "悬挂日期")),
    _Column("recovered_on", "收回时间", ("收回日期",)),
    _Column("recovery_reason", "收回原因"),
    _Column("plaque_member_ids", "光荣牌对象公民身份号码", ("光荣牌对象身份证号",)),
    _Column("plaque_bases", "光荣牌对象类别", ("悬挂依据",)),
    _Column("plaque_since", "光荣牌对象起始时间", ("资格起始时间",)),
    _Column("plaque_died_on", "光荣牌对象死亡时间", ("光荣牌对象牺牲(病故)时间",)),
    _Column("plaque_certificates", "持有证明书", ("是否持证", "持证情况")),
    _Column("disqualified_ids", "收回情形人员公民身份号码", ("收回情形人员身份证号",)),
    _Column("disqualifications", "收回情形"),
    _Column("disqualified_on", "收回情形发生时间", ("收回情形时间",)),
    _Column("disqualification_lifted_on", "恢复悬挂时间", ("恢复时间",)),
)
_CASES = (
    _Column("case_id", "案件编号", ("案件号", "申请编号")),
    _Column("applicant", "申请人公民身份号码", ("申请人身份证号", "申请人身份证号码")),
    _Column("division", "所在地", ("所在地区划代码", "所属区划", "办理地")),
    _Column("cause", "困难类型", ("困难情形", "帮扶援助情形")),
    _Column("incident_on", "事发时间", ("事发日期", "发生时间")),
    _Column("requested_amount", "申请金额", ("申请金额（元）", "申请金额(元)")),
    _Column("approved_amount", "审批金额", ("审批金额（元）", "审批金额(元)", "批准金额")),
    _Column("applied_on", "申请时间", ("申请日期",)),
    _Column(
        "reviewed_on", "乡镇审核时间", ("乡镇（街道）审核时间", "乡镇(街道)审核时间", "审核时间")
    ),
    _Column("approved_on", "县级审批时间", ("审批时间",)),
    _Column("publicised_on", "公示时间", ("公示日期",)),
    _Column("paid_on", "发放时间", ("发放日期",)),
    _Column("rejected_on", "不予批准时间", ("不予批准日期",)),
    _Column("withdrawn_on", "撤回时间", ("撤回日期",)),
    _Column("funding_sources", "资金来源"),
    _Column("funding_amounts", "资金金额", ("资金来源金额",)),
)
# --- the casework registers (业务台账) ------------------------------------------------------------
# A step of a history is a date column (the state machines of ``casework`` decide which may
# follow which); a step that may repeat (a routing, a stall) is a list cell. See the private
# modules ``_petition_roster``, ``_legacy_roster``, ``_transfers``, ``_contacts`` and ``_cadres``.

_STATUS = _Column("status", "办理状态", ("当前状态",))
_PETITIONS = (
    _Column("petition_id", "信访件编号", ("信访编号", "信访事项编号", "信访件号")),
    _Column("petitioner", "信访人公民身份号码", ("信访人身份证号", "信访人身份证号码")),
    _Column("category", "信访事项类别", ("信访类别", "信访件类别")),
    _Column("channel", "信访形式", ("信访方式", "来信来访形式")),
    _Column("received_by", "登记单位", ("登记机关", "收件单位")),
    _Column("receiver", "登记单位类别", ("登记机关类别", "受理主体")),
    _Column("received_on", "登记时间", ("登记日期", "收件时间")),
    _Column("group_size", "来访人数", ("走访人数",)),
    _Column("representatives", "代表人数", ("推选代表人数",)),
    _Column("routed_on", "转送交办时间", ("转送时间", "交办时间", "转送、交办时间")),
    _Column("routed_to", "转送交办单位", ("转送单位", "交办单位")),
    _Column("objected_on", "异议时间", ("提出异议时间",)),
    _Column("objection_reasons", "异议理由", ("异议原因",)),
    _Column("accepted_on", "受理时间", ("受理日期",)),
    _Column("simplified", "简易办理", ("是否简易办理",)),
    _Column("not_accepted_on", "不予受理时间", ("不予受理日期",)),
    _Column("not_accepted_reason", "不予受理理由", ("不予受理原因",)),
    _Column("statutory_route", "法定途径", ("导入法定途径",)),
    _Column("extended_on", "延期时间", ("延期日期",)),
    _Column("extension_days", "延期天数"),
    _Column("extension_reason", "延期理由", ("延期原因",)),
    _Column("answered_on", "答复时间", ("书面答复时间", "处理意见时间")),
    _Column("answer_delivered_on", "答复送达时间", ("处理意见送达时间",)),
    _Column("review_requested_on", "复查请求时间", ("请求复查时间",)),
    _Column("review_unit", "复查机关", ("复查单位",)),
    _Column("reviewed_on", "复查意见时间", ("复查答复时间",)),
    _Column("review_delivered_on", "复查意见送达时间"),
    _Column("re_review_requested_on", "复核请求时间", ("请求复核时间",)),
    _Column("re_review_unit", "复核机关", ("复核单位",)),
    _Column("hearing_from", "听证开始时间", ("听证起始时间",)),
    _Column("hearing_to", "听证结束时间"),
    _Column("re_reviewed_on", "复核意见时间", ("复核答复时间",)),
    _Column("re_review_delivered_on", "复核意见送达时间"),
    _Column("closed_on", "办结时间", ("办结日期",)),
    _Column("closure", "办结方式"),
    _STATUS,
    _Column("unit", "当前承办单位"),
)
_LEGACY_CASES = (
    _Column("case_id", "遗留问题编号", ("问题编号", "台账编号")),
    _Column("category", "问题类别", ("遗留问题类别",)),
    _Column("regime", "政策时段", ("适用政策", "产生时段")),
    _Column("origin_on", "问题发生时间", ("问题产生时间",)),
    _Column("topic", "问题概述", ("问题描述", "主要问题")),
    _Column("responsible_unit", "责任单位"),
    _Column("owner", "责任人"),
    _Column("subjects", "涉及人员公民身份号码", ("涉及人员身份证号", "涉及人员身份证号码")),
    _Column("source_request", "来源诉求编号", ("诉求编号",)),
    _Column("identified_on", "登记时间", ("发现登记时间", "发现时间")),
    _Column("verified_on", "核实时间"),
    _Column("unfounded_on", "核实不属实时间", ("不属实认定时间",)),
    _Column("plan_agreed_on", "方案确定时间", ("化解方案确定时间",)),
    _Column("resolved_on", "化解时间", ("化解办结时间",)),
    _Column("referred_on", "移交时间"),
    _Column("referred_to", "移交单位", ("移交机关",)),
    _Column("unresolvable_on", "暂无法化解时间"),
    _Column("milestone_keys", "节点编号"),
    _Column("milestone_titles", "化解节点", ("节点内容",)),
    _Column("milestone_targets", "节点期限", ("节点完成期限",)),
    _Column("milestone_done", "节点完成时间"),
    _Column("reviews", "检视时间", ("定期检视时间",)),
    _STATUS,
)
_INSURANCE_TRANSFERS = (
    _Column("veteran", "公民身份号码", ("身份证号", "身份证号码", "退役军人公民身份号码")),
    _Column("scheme", "险种", ("保险险种", "险种类别")),
    _Column("destination", "接续地", ("转入地", "安置地")),
    _Column(
        "amount",
        "补助金额",
        ("保险补助金额", "转移金额", "补助金额（元）", "补助金额(元)"),
    ),
    _Column("application_on", "转移接续申请时间", ("接续申请时间",)),
    _Column("order_issued_on", "退役命令时间", ("退役命令下达时间",)),
    _Column("subsidy_computed_on", "补助计算时间", ("保险补助计算时间",)),
    _Column("funds_remitted_on", "资金划转时间"),
    _Column("vouchers_issued_on", "凭证交付时间", ("转移凭证交付时间",)),
    _Column("received_by_agency_on", "经办机构接收时间"),
    _Column("account_opened_on", "建立账户时间", ("建立（续接）个人账户时间", "续接账户时间")),
    _Column("continued_on", "接续完成时间"),
    _Column("stalled_at", "受阻环节"),
    _Column("stalled_on", "受阻时间", ("接续受阻时间",)),
    _Column("resumed_on", "恢复办理时间", ("受阻解除时间",)),
    _Column("stall_notes", "受阻原因"),
    _Column("status", "办理状态", ("当前环节", "当前状态")),
)
_BAOLIAN_ASSIGNMENTS = (
    _Column("assignment_id", "包联编号", ("包联安排编号",)),
    _Column("leader", "包联领导", ("包联责任人",)),
    _Column("area", "包联地区", ("包联单位", "包联区域")),
    _Column("starts_on", "包联开始时间", ("包联起始时间",)),
    _Column("ends_on", "包联结束时间", ("包联终止时间",)),
    _Column("kind", "包联类别"),
)
_BAOLIAN_TALKS = (
    _Column("talk_id", "座谈编号", ("座谈记录编号",)),
    _Column("assignment_id", "包联编号", ("包联安排编号",)),
    _Column("area", "包联地区", ("座谈地区",)),
    _Column("held_on", "座谈时间", ("座谈日期",)),
    _Column("participants", "参加人数", ("参会人数", "参加代表人数")),
    _Column("topic", "座谈主题", ("座谈内容",)),
    _Column("requests", "形成诉求编号", ("诉求编号",)),
    _Column("legacy_cases", "纳入遗留问题编号"),
)
_VILLAGE_CADRES = (
    _Column("person", "公民身份号码", ("身份证号", "身份证号码", "身份证")),
    _Column(
        "village",
        "所在村（社区）",
        ("所在村(社区)", "村（社区）", "村(社区)", "所在村", "村居代码"),
    ),
    _Column("role", "两委职务", ("职务", "担任职务")),
    _Column("is_veteran", "是否退役军人", ("退役军人身份",)),
    _Column("term_from", "任职时间", ("任职开始时间", "任期开始时间")),
    _Column("term_to", "离任时间", ("任职结束时间", "任期结束时间")),
)
_ID = _Column("veteran", "公民身份号码", ("身份证号", "身份证号码", "退役军人公民身份号码"))
_UNIT = _Column("unit", "办理单位", ("管理单位", "安置地退役军人事务部门"))
_DISCHARGE_RECORDS = (
    _ID,
    _UNIT,
    _Column("personnel_type", "人员类别", ("退役类别",)),
    _Column("discharge_mode", "退役方式", ("安置方式",)),
    _Column("discharged_on", "退役时间", ("退出现役时间", "退役日期")),
    _Column("approved_on", "批准退役时间", ("批准退出现役时间",)),
    _Column("report_by", "规定报到时间", ("报到期限",)),
    _Column("reported_on", "报到时间", ("报到日期",)),
    _Column("settlement_fixed_on", "确定安置地时间"),
    _Column("registered_on", "兵役登记变更时间", ("兵役登记信息变更时间",)),
    _Column("received_on", "接收时间", ("接收安置时间",)),
    _Column("placed_on", "完成安排工作时间", ("安排工作时间",)),
    _Column("letter_on", "介绍信开具时间", ("开具介绍信时间",)),
    _Column("on_post_on", "上岗时间", ("报到上岗时间",)),
    _Column("school_place_reserved", "保留入学资格或学籍", ("保留学籍",)),
    _Column("school_entered_on", "入学复学时间", ("入学时间", "复学时间")),
    _Column("adaptive_trained_on", "适应性培训完成时间", ("适应性培训时间",)),
)
_TRAINING_ENROLMENTS = (
    _Column("enrolment_id", "培训编号", ("培训记录编号",)),
    _ID,
    _UNIT,
    _Column("kind", "培训类别", ("培训类型",)),
    _Column("enrolled_on", "参训时间", ("开班时间", "入学时间")),
    _Column("free", "免费培训", ("是否免费",)),
    _Column("provider", "培训机构", ("承训机构",)),
    _Column("completed_on", "结业时间", ("毕业时间",)),
    _Column("certified", "取得证书", ("是否取得证书",)),
)
_EMPLOYMENT_RECORDS = (
    _Column("record_id", "就业记录编号", ("记录编号",)),
    _ID,
    _UNIT,
    _Column("status", "就业状态", ("就业情况",)),
    _Column("started_on", "开始时间", ("起始时间",)),
    _Column("ended_on", "结束时间", ("终止时间",)),
    _Column("employer", "用人单位", ("工作单位", "就业单位")),
    _Column("contract_years", "合同期限（年）", ("合同期限(年)", "合同年限")),
    _Column("open_ended", "无固定期限合同", ("是否无固定期限合同",)),
    _Column("difficulty", "就业困难", ("是否就业困难", "就业困难人员")),
)
_RECEPTION_SESSIONS = (
    _Column("session_id", "接待编号", ("接待记录编号",)),
    _Column("unit", "接待单位"),
    _Column("leader", "接待领导", ("值班领导",)),
    _Column("held_on", "接待日期", ("接待时间",)),
    _Column("visitors", "接待人数", ("来访人数",)),
    _Column("requests", "形成诉求编号", ("诉求编号",)),
)
_REQUESTS = (
    _Column("request_id", "诉求编号", ("诉求登记编号",)),
    _Column("topic", "诉求内容", ("诉求事项",)),
    _Column("person", "诉求人公民身份号码", ("诉求人身份证号", "诉求人身份证号码")),
    _Column("contact_channel", "接触方式", ("接访方式", "发现方式")),
    _Column("contact_on", "接触时间", ("接访时间", "发现时间")),
    _Column("contact_unit", "接触单位", ("接访单位",)),
    _Column("activity_id", "活动编号", ("走访活动编号",)),
    _Column("registered_on", "登记时间", ("诉求登记时间",)),
    _Column("assigned_on", "交办时间", ("交办日期",)),
    _Column("handler", "承办单位", ("办理单位",)),
    _Column("answered_on", "答复时间", ("答复日期",)),
    _Column("follow_up_on", "回访时间", ("跟进时间",)),
    _Column("follow_up_channel", "回访方式", ("跟进方式",)),
    _Column("follow_up_satisfied", "回访结果", ("是否满意",)),
    _Column("closed_on", "办结时间", ("回访办结时间",)),
    _Column("escalated_on", "转办时间"),
    _Column("escalation", "转办去向"),
    _Column("escalation_id", "转办编号", ("转入编号",)),
    _Column("withdrawn_on", "撤回时间"),
    _STATUS,
)

_COLUMNS: dict[RosterKind, tuple[_Column, ...]] = {
    RosterKind.VETERANS: _VETERANS,
    RosterKind.SURVIVORS: _SURVIVORS,
    RosterKind.HOUSEHOLDS: _HOUSEHOLDS,
    RosterKind.CASES: _CASES,
    RosterKind.PETITIONS: _PETITIONS,
    RosterKind.LEGACY_CASES: _LEGACY_CASES,
    RosterKind.INSURANCE_TRANSFERS: _INSURANCE_TRANSFERS,
    RosterKind.BAOLIAN_ASSIGNMENTS: _BAOLIAN_ASSIGNMENTS,
    RosterKind.BAOLIAN_TALKS: _BAOLIAN_TALKS,
    RosterKind.VILLAGE_CADRES: _VILLAGE_CADRES,
    RosterKind.DISCHARGE_RECORDS: _DISCHARGE_RECORDS,
    RosterKind.TRAINING_ENROLMENTS: _TRAINING_ENROLMENTS,
    RosterKind.EMPLOYMENT_RECORDS: _EMPLOYMENT_RECORDS,
    RosterKind.RECEPTION_SESSIONS: _RECEPTION_SESSIONS,
    RosterKind.REQUESTS: _REQUESTS,
}
_PERSON_REQUIRED = {"name", "resident_id", "hukou_division", "hukou_type"}
_REQUIRED: dict[RosterKind, frozenset[str]] = {
    RosterKind.VETERANS: frozenset(
        {*_PERSON_REQUIRED, "enlisted_on", "discharged_on", "personnel_type", "discharge_mode"}
    ),
    RosterKind.SURVIVORS: frozenset(
        {*_PERSON_REQUIRED, "relation", "death_category", "deceased_on"}
    ),
    RosterKind.HOUSEHOLDS: frozenset({"household_id", "hukou_division", "head"}),
    RosterKind.CASES: frozenset(
        {"case_id", "applicant", "division", "cause", "incident_on", "applied_on"}
    ),
    RosterKind.PETITIONS: frozenset(
        {
            "petition_id",
            "petitioner",
            "category",
            "channel",
            "received_by",
            "receiver",
            "received_on",
        }
    ),
    RosterKind.LEGACY_CASES: frozenset(
        {"case_id", "category", "regime", "topic", "responsible_unit", "owner", "identified_on"}
    ),
    RosterKind.INSURANCE_TRANSFERS: frozenset({"veteran", "scheme", "order_issued_on"}),
    RosterKind.BAOLIAN_ASSIGNMENTS: frozenset({"assignment_id", "leader", "area", "starts_on"}),
    RosterKind.BAOLIAN_TALKS: frozenset(
        {"talk_id", "assignment_id", "area", "held_on", "participants"}
    ),
    RosterKind.VILLAGE_CADRES: frozenset({"person", "village", "role", "is_veteran", "term_from"}),
    RosterKind.DISCHARGE_RECORDS: frozenset(
        {"veteran", "personnel_type", "discharge_mode", "discharged_on"}
    ),
    RosterKind.TRAINING_ENROLMENTS: frozenset({"enrolment_id", "veteran", "kind", "enrolled_on"}),
    RosterKind.EMPLOYMENT_RECORDS: frozenset({"record_id", "veteran", "status", "started_on"}),
    RosterKind.RECEPTION_SESSIONS: frozenset(
        {"session_id", "unit", "leader", "held_on", "visitors"}
    ),
    RosterKind.REQUESTS: frozenset(
        {"request_id", "topic", "contact_channel", "contact_on", "contact_unit"}
    ),
}
_PERSONAL: dict[RosterKind, frozenset[str]] = {
    RosterKind.VETERANS: frozenset({"name", "resident_id", "phone", "birth_date"}),
    RosterKind.SURVIVORS: frozenset({"name", "resident_id", "phone", "birth_date", "deceased_id"}),
    RosterKind.HOUSEHOLDS: frozenset({"head", "members", "plaque_member_ids", "disqualified_ids"}),
    RosterKind.CASES: frozenset({"applicant"}),
    RosterKind.PETITIONS: frozenset({"petitioner"}),
    RosterKind.LEGACY_CASES: frozenset({"subjects"}),
    RosterKind.INSURANCE_TRANSFERS: frozenset({"veteran"}),
    RosterKind.BAOLIAN_ASSIGNMENTS: frozenset(),
    RosterKind.BAOLIAN_TALKS: frozenset(),
    RosterKind.VILLAGE_CADRES: frozenset({"person"}),
    RosterKind.DISCHARGE_RECORDS: frozenset({"veteran"}),
    RosterKind.TRAINING_ENROLMENTS: frozenset({"veteran"}),
    RosterKind.EMPLOYMENT_RECORDS: frozenset({"veteran"}),
    RosterKind.RECEPTION_SESSIONS: frozenset(),
    RosterKind.REQUESTS: frozenset({"person"}),
}
# The key field is the column a repeated key is reported in. An insurance transfer is one per
# veteran and scheme, a cadre's post one per person, village, post and first day: their keys
# join those fields (see the kinds' ``Spec.key``).
_KEYS = {
    RosterKind.VETERANS: "resident_id",
    RosterKind.SURVIVORS: "resident_id",
    RosterKind.HOUSEHOLDS: "household_id",
    RosterKind.CASES: "case_id",
    RosterKind.PETITIONS: "petition_id",
    RosterKind.LEGACY_CASES: "case_id",
    RosterKind.INSURANCE_TRANSFERS: "veteran",
    RosterKind.BAOLIAN_ASSIGNMENTS: "assignment_id",
    RosterKind.BAOLIAN_TALKS: "talk_id",
    RosterKind.VILLAGE_CADRES: "person",
    RosterKind.DISCHARGE_RECORDS: "veteran",
    RosterKind.TRAINING_ENROLMENTS: "enrolment_id",
    RosterKind.EMPLOYMENT_RECORDS: "record_id",
    RosterKind.RECEPTION_SESSIONS: "session_id",
    RosterKind.REQUESTS: "request_id",
}
_DISTINCTIVE: dict[RosterKind, frozenset[str]] = {
    RosterKind.VETERANS: frozenset({"enlisted_on", "discharged_on"}),
    RosterKind.SURVIVORS: frozenset({"relation", "death_category"}),
    RosterKind.HOUSEHOLDS: frozenset({"household_id", "head"}),
    RosterKind.CASES: frozenset({"case_id", "cause"}),
    RosterKind.PETITIONS: frozenset({"petition_id", "channel"}),
    RosterKind.LEGACY_CASES: frozenset({"case_id", "topic"}),
    RosterKind.INSURANCE_TRANSFERS: frozenset({"scheme", "order_issued_on"}),
    RosterKind.BAOLIAN_ASSIGNMENTS: frozenset({"assignment_id", "starts_on"}),
    RosterKind.BAOLIAN_TALKS: frozenset({"talk_id", "held_on"}),
    RosterKind.VILLAGE_CADRES: frozenset({"village", "role"}),
    RosterKind.DISCHARGE_RECORDS: frozenset({"discharge_mode", "reported_on"}),
    RosterKind.TRAINING_ENROLMENTS: frozenset({"enrolment_id", "kind"}),
    RosterKind.EMPLOYMENT_RECORDS: frozenset({"record_id", "status"}),
    RosterKind.RECEPTION_SESSIONS: frozenset({"session_id", "held_on"}),
    RosterKind.REQUESTS: frozenset({"request_id", "topic"}),
}
_BY_SHEET = {name.casefold(): kind for kind, names in _SHEETS.items() for name in names}
_CANONICAL = {kind: tuple(c.header for c in columns) for kind, columns in _COLUMNS.items()}

FIELDS: tuple[str, ...] = tuple(column.field for column in _VETERANS)
"""The fields a veterans' roster row can fill, in the order of the canonical header."""

REQUIRED_FIELDS: frozenset[str] = _REQUIRED[RosterKind.VETERANS]
"""Veterans' fields whose column must be in the header and whose cell must not be blank."""

PERSONAL_FIELDS: frozenset[str] = _PERSONAL[RosterKind.VETERANS]
"""Veterans' personal fields (姓名, 公民身份号码, 联系电话, 出生日期: its year only shown)."""


def normalise_header(text: str) -> str:
    """A header cell as it is matched: surrounding blanks (full-width ones too) removed."""
    return text.strip().strip("\u3000").strip()


def _check_headers(instance: Any, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidValue("columns", type(value).__name__, "must be a mapping", "应为映射")
    kind = instance.kind
    known = set(kind.fields) if isinstance(kind, RosterKind) else set()
    for header, field in value.items():
        if not isinstance(header, str) or not normalise_header(header):
            raise InvalidValue(
                "columns", repr(header), "a header must be non-blank text", "列名须为非空文本"
            )
        if field not in known:
            raise InvalidValue(
                f"columns[{header!r}]",
                repr(field),
                f"unknown field of a {kind.value} roster; known fields: {', '.join(kind.fields)}",
                f"{kind.label_zh}花名册无此字段",
            )


def _check_kind(_instance: Any, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, RosterKind):
        raise InvalidValue("kind", repr(value), "must be a RosterKind", "应为 RosterKind")


def _frozen(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value  # the validator says what is wrong
    return MappingProxyType(
        {normalise_header(h) if isinstance(h, str) else h: f for h, f in value.items()}
    )


@attrs.frozen(kw_only=True)
class ColumnMap:
    """Header text → field name (列名 → 字段) of one kind of roster, for reading and writing.

    Several headers may name the same field (accepted spellings); a roster may use any one
    of them, but not two at once. The first header given for a field is its canonical one:
    the header errors name when the column is missing and the one the kind's header uses.
    Headers are matched after removing surrounding blanks. ``kind`` is the kind of roster
    whose fields the map names: veterans unless given.

    Raises:
        InvalidValue: a blank header, or a field name not among the kind's fields.

    >>> sorted(ColumnMap(headers={"姓名": "name", "身份证": "resident_id"}).fields)
    ['name', 'resident_id']
    >>> ColumnMap(headers={"案号": "case_id"}, kind=RosterKind.CASES).field_of("案号")
    'case_id'
    """

    headers: Mapping[str, str] = attrs.field(converter=_frozen, validator=_check_headers)
    kind: RosterKind = attrs.field(default=RosterKind.VETERANS, validator=_check_kind)

    @property
    def fields(self) -> frozenset[str]:
        """The fields some header maps to."""
        return frozenset(self.headers.values())

    def field_of(self, header: str) -> str | None:
        """The field a header names, or ``None`` for a column the roster reader ignores."""
        return self.headers.get(normalise_header(header))

    def header_of(self, field: str) -> str:
        """The canonical header of ``field``: the first one mapped to it.

        Raises:
            InvalidValue: no header maps to ``field``.
        """
        for header, mapped in self.headers.items():
            if mapped == field:
                return header
        raise InvalidValue("field", field, "no column maps to this field", "没有列对应该字段")

    def extended(self, more: Mapping[str, str]) -> ColumnMap:
        """This map with ``more`` added; a header already present is re-pointed.

        A field named in ``more`` gets the first of its headers there as its new canonical
        header, so ``extended({"身份证号": "resident_id"})`` also makes errors say 身份证号.
        """
        checked = ColumnMap(headers=more, kind=self.kind).headers
        merged = dict(checked)
        for header, field in self.headers.items():
            merged.setdefault(header, field)
        return ColumnMap(headers=merged, kind=self.kind)


_DEFAULTS = {
    kind: ColumnMap(
        headers={
            header: column.field for column in columns for header in (column.header, *column.others)
        },
        kind=kind,
    )
    for kind, columns in _COLUMNS.items()
}

DEFAULT_COLUMNS = _DEFAULTS[RosterKind.VETERANS]
"""The headers county offices use in a veterans' roster (``docs/howto-import-roster.md``)."""

ROSTER_HEADER: tuple[str, ...] = _CANONICAL[RosterKind.VETERANS]
"""The canonical header of a veterans' roster, one column per field of :data:`FIELDS`."""


def detect_kind(
    header: Sequence[str], columns: Mapping[RosterKind, ColumnMap] | None = None
) -> RosterKind | None:
    """The kind of roster a header row belongs to, by each kind's distinctive columns.

    A kind is recognised when the header has every one of its distinctive columns (under
    any accepted header of the kind's map): 入伍时间 and 退役时间 for veterans, 与军人关系
    and 牺牲/病故类别 for survivors, 户编号 and 户主公民身份号码 for households, 案件编号 and
    困难类型 for cases, 信访件编号 and 信访形式 for petitions, 遗留问题编号 and 问题概述 for
    legacy cases, 险种 and 退役命令时间 for insurance transfers, 包联编号 and 包联开始时间 for
    包联 assignments, 座谈编号 and 座谈时间 for 包联 talks, 所在村（社区） and 两委职务 for
    village cadres, 退役方式 and 报到时间 for discharge records, 培训编号 and 培训类别 for
    training, 就业记录编号 and 就业状态 for employment, 接待编号 and 接待日期 for reception
    days, 诉求编号 and 诉求内容 for requests. ``None`` when no kind, or more than one, is
    recognised.

    >>> detect_kind(["案件编号", "申请人公民身份号码", "困难类型"])
    <RosterKind.CASES: 'cases'>
    >>> detect_kind(["信访件编号", "信访人身份证号", "信访形式", "登记时间"])
    <RosterKind.PETITIONS: 'petitions'>
    >>> detect_kind(["姓名", "备注"]) is None
    True
    """
    maps = {} if columns is None else columns
    texts = [normalise_header(h) for h in header]
    found = []
    for kind, distinctive in _DISTINCTIVE.items():
        mapping = maps.get(kind, kind.columns)
        present = {mapping.field_of(text) for text in texts}
        if distinctive <= present:
            found.append(kind)
    return found[0] if len(found) == 1 else None


def load_column_map(
    path: str | os.PathLike[str], *, base: ColumnMap = DEFAULT_COLUMNS
) -> ColumnMap:
    """A column map from a TOML file, over ``base`` (the veterans' defaults unless given).

    The veterans' headers sit directly in a ``[columns]`` table (or in ``[columns.veterans]``);
    another kind's in its own sub-table named by the kind's value: ``[columns.survivors]``,
    ``[columns.households]``, ``[columns.cases]``, ``[columns.petitions]``,
    ``[columns.legacy-cases]`` … The map returned is for ``base.kind``; :func:`load_column_maps`
    reads every kind at once::

        [columns]
        "证件号码" = "resident_id"

        [columns.cases]
        "案号" = "case_id"

    Args:
        path: the TOML file.
        base: the map the file's headers are added to; its kind selects the table.

    Returns:
        ``base.extended(...)`` with the file's pairs for that kind.

    Raises:
        InvalidValue: the file is not TOML, lacks a ``[columns]`` table, names an unknown
            kind of roster, or an unknown field (its ``field`` is ``"columns"`` or
            ``"columns[<header>]"``).
        OSError: the file cannot be opened.
    """
    return base.extended(_tables(path)[base.kind])


def load_column_maps(path: str | os.PathLike[str]) -> dict[RosterKind, ColumnMap]:
    """Every kind's column map from one TOML file (see :func:`load_column_map`), over the defaults.

    Raises:
        InvalidValue: as :func:`load_column_map`.
        OSError: the file cannot be opened.
    """
    tables = _tables(path)
    return {kind: kind.columns.extended(tables[kind]) for kind in RosterKind}


def _tables(path: str | os.PathLike[str]) -> dict[RosterKind, dict[str, str]]:
    with open(path, "rb") as file:
        raw = file.read()
    where = os.fspath(path)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidValue(
            "columns", where, f"not a UTF-8 TOML file ({error})", "不是UTF-8编码的TOML文件"
        ) from None
    table = data.get("columns")
    if not isinstance(table, dict):
        raise _needs_table(where)
    found: dict[RosterKind, dict[str, str]] = {kind: {} for kind in RosterKind}
    for key, value in table.items():
        if isinstance(value, str):
            found[RosterKind.VETERANS][key] = value
            continue
        kind = next((k for k in RosterKind if k.value == key), None)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise _needs_table(where)
        if kind is None:
            raise InvalidValue(
                "columns",
                key,
                f"unknown kind of roster; known: {', '.join(k.value for k in RosterKind)}",
                "未知的花名册类别",
            )
        found[kind].update(value)
    return found


def _needs_table(where: str) -> InvalidValue:
    return InvalidValue(
        "columns",
        where,
        'needs a [columns] table of "header" = "field" pairs',
        '需要 [columns] 表，每行 "列名" = "字段"',
    )
