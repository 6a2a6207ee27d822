"""The casework registers as rosters: petitions, legacy cases, insurance transfers, 包联
assignments and talks, village cadres, discharge records, training, employment, reception days
and requests.

Every column is read into its field and every accepted header names it; a record's history
is rebuilt from the dates of its steps, and a step its state machine refuses is an error of
that step's column; every bad cell is an error naming its row and column, personal values
masked; a masked export and a masked rejects file show no identity number; the registers go
into a store's record repositories, and a corrected register updates them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    EmploymentStatus,
    InsuranceScheme,
    InsuranceStatus,
    InsuranceStep,
    InsuranceTransfer,
    TrainingEnrolment,
    TrainingKind,
)
from veteran_affairs.casework.leaders import (
    AssignmentKind,
    BaolianTalk,
    ContactAssignment,
    ReceptionSession,
)
from veteran_affairs.casework.legacy import (
    LegacyCase,
    LegacyCategory,
    LegacyStatus,
    Milestone,
    OriginRegime,
)
from veteran_affairs.casework.petitions import (
    ClosureKind,
    NotAcceptedReason,
    Petition,
    PetitionCategory,
    PetitionChannel,
    PetitionStatus,
    ReceiverKind,
    StatutoryRoute,
)
from veteran_affairs.casework.requests import (
    Contact,
    ContactChannel,
    FollowUp,
    Request,
    RequestStatus,
)
from veteran_affairs.casework.villages import CadreRole, VillageCadre
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import DischargeMode, PersonnelType
from veteran_affairs.repositories import MemoryStore
from veteran_affairs.rosters import (
    ROSTER_ACTOR,
    RosterKind,
    RosterRecord,
    RosterResult,
    detect_kind,
    import_rosters,
    read_roster,
    read_workbook,
    roster_cells,
    roster_row,
    write_rejects,
    write_table,
    write_workbook,
)


def number(body: str) -> str:
    """A made-up identity number: 17 digits and their check character."""
    return body + check_character(body)


PETITIONER_ID = number("45030519620714001")
VETERAN_ID = number("45031219980101001")
OTHER_ID = number("45031219970505002")
CADRE_ID = number("45031219750320003")

P, L, T = RosterKind.PETITIONS, RosterKind.LEGACY_CASES, RosterKind.INSURANCE_TRANSFERS
A, K, V = RosterKind.BAOLIAN_ASSIGNMENTS, RosterKind.BAOLIAN_TALKS, RosterKind.VILLAGE_CADRES
D, E, J = (
    RosterKind.DISCHARGE_RECORDS,
    RosterKind.TRAINING_ENROLMENTS,
    RosterKind.EMPLOYMENT_RECORDS,
)
S, Q = RosterKind.RECEPTION_SESSIONS, RosterKind.REQUESTS
CASEWORK = (P, L, T, A, K, V, D, E, J, S, Q)


def read(
    folder: Path,
    kind: RosterKind,
    rows: Sequence[Mapping[str, str]],
    *,
    header: Sequence[str] | None = None,
    suffix: str = ".csv",
) -> RosterResult:
    """Rows (header → cell) written under the kind's header (or ``header``) and read back,
    the kind told from the header."""
    columns = list(kind.header if header is None else header)
    unknown = {h for row in rows for h in row} - set(columns)
    assert not unknown, unknown
    path = folder / f"{kind.value}{suffix}"
    write_table(path, columns, [[row.get(h, "") for h in columns] for row in rows])
    return read_roster(path)


def only(result: RosterResult) -> RosterRecord:
    assert [] == [str(e) for e in result.errors]
    assert 1 == len(result.records)
    return result.records[0]


def errors(result: RosterResult) -> list[tuple[int, str | None]]:
    return [(e.row, e.column) for e in result.errors]


# --- one full row of each register ----------------------------------------------------------------

PETITION = {
    "信访件编号": "XF-2024-0007",
    "信访人公民身份号码": PETITIONER_ID,
    "信访事项类别": "申诉求决类",
    "信访形式": "走访",
    "登记单位": "450300",
    "登记单位类别": "信访部门",
    "登记时间": "2024-03-01",
    "来访人数": "8",
    "代表人数": "3",
    "转送交办时间": "2024-03-05、2024-03-12",
    "转送交办单位": "450312、450311",
    "异议时间": "2024-03-08",
    "异议理由": "不属于本机关职责范围",
    "受理时间": "2024-03-14",
    "简易办理": "否",
    "延期时间": "2024-05-10",
    "延期天数": "30",
    "延期理由": "需调取原部队档案",
    "答复时间": "2024-06-05",
    "答复送达时间": "2024-06-07",
    "复查请求时间": "2024-06-20",
    "复查机关": "450300",
    "复查意见时间": "2024-07-15",
    "复查意见送达时间": "2024-07-16",
    "复核请求时间": "2024-07-30",
    "复核机关": "450000",
    "听证开始时间": "2024-08-10",
    "听证结束时间": "2024-08-12",
    "复核意见时间": "2024-09-01",
    "复核意见送达时间": "2024-09-02",
    "办结时间": "2024-09-20",
    "办结方式": "复核终结",
    "办理状态": "办结",
    "当前承办单位": "45",
}
# The fewest columns a petition needs: registered, and nothing more yet.
PETITION_REGISTERED = {
    "信访件编号": "XF-2024-0008",
    "信访人公民身份号码": PETITIONER_ID,
    "信访事项类别": "建议意见类",
    "信访形式": "书信",
    "登记单位": "450312",
    "登记单位类别": "其他机关、单位",
    "登记时间": "2024-04-02",
}
LEGACY = {
    "遗留问题编号": "LC-2025-001",
    "问题类别": "社会保险接续",
    "政策时段": "《退役士兵安置条例》(2011)",
    "问题发生时间": "2015-12-01",
    "问题概述": "2015年退役后两保接续未完成",
    "责任单位": "450312",
    "责任人": "county-bureau-deputy",
    "涉及人员公民身份号码": f"{VETERAN_ID}、{OTHER_ID}",
    "来源诉求编号": "RQ-2025-0003",
    "登记时间": "2025-03-03",
    "核实时间": "2025-03-20",
    "方案确定时间": "2025-04-01",
    "化解时间": "2025-06-30",
    "节点编号": "m1、m2",
    "化解节点": "核对档案\n补缴养老保险",
    "节点期限": "2025-04-30、2025-06-15",
    "节点完成时间": "2025-04-28、",
    "检视时间": "2025-05-06、2025-06-03",
    "办理状态": "已化解",
}
TRANSFER = {
    "公民身份号码": VETERAN_ID,
    "险种": "养老保险",
    "接续地": "450312",
    "补助金额": "86,400.00",
    "转移接续申请时间": "2024-10-15",
    "退役命令时间": "2024-09-10",
    "补助计算时间": "2024-09-12",
    "资金划转时间": "2024-09-20",
    "凭证交付时间": "2024-10-08",
    "经办机构接收时间": "2024-11-05",
    "建立账户时间": "2024-11-20",
    "接续完成时间": "2024-11-25",
    "受阻环节": "资金划转、经办机构接收",
    "受阻时间": "2024-09-25、2024-11-06",
    "恢复办理时间": "2024-10-05、2024-11-15",
    "受阻原因": "转移凭证遗失\n缴费基数待核",
    "办理状态": "接续完成",
}
ASSIGNMENT = {
    "包联编号": "BL-2025-01",
    "包联领导": "county-bureau-director",
    "包联地区": "450312101",
    "包联开始时间": "2025-01-01",
    "包联结束时间": "2025-12-31",
    "包联类别": "领导包联",
}
TALK = {
    "座谈编号": "BL-2025-01/T1",
    "包联编号": "BL-2025-01",
    "包联地区": "450312101",
    "座谈时间": "2025-03-18",
    "参加人数": "12",
    "座谈主题": "两保接续",
    "形成诉求编号": "RQ-2025-0003、RQ-2025-0004",
    "纳入遗留问题编号": "LC-2025-001",
}
CADRE = {
    "公民身份号码": CADRE_ID,
    "所在村（社区）": "450312101203",
    "两委职务": "书记主任一肩挑",
    "是否退役军人": "是",
    "任职时间": "2021-01-10",
    "离任时间": "2024-01-09",
}
DISCHARGE = {
    "公民身份号码": VETERAN_ID,
    "办理单位": "450312",
    "人员类别": "义务兵",
    "退役方式": "安排工作",
    "退役时间": "2024-09-10",
    "批准退役时间": "2024-09-05",
    "规定报到时间": "2024-10-10",
    "报到时间": "2024-09-20",
    "兵役登记变更时间": "2024-09-25",
    "接收时间": "2024-09-21",
    "完成安排工作时间": "2025-02-10",
    "介绍信开具时间": "2025-02-12",
    "上岗时间": "2025-03-01",
    "保留入学资格或学籍": "否",
    "适应性培训完成时间": "2024-10-15",
}
TRAINING = {
    "培训编号": "PX-2024-001",
    "公民身份号码": VETERAN_ID,
    "办理单位": "450312",
    "培训类别": "职业技能培训",
    "参训时间": "2024-11-01",
    "免费培训": "是",
    "培训机构": "县职业技术学校",
    "结业时间": "2025-01-20",
    "取得证书": "是",
}
EMPLOYMENT = {
    "就业记录编号": "JY-2025-001",
    "公民身份号码": VETERAN_ID,
    "办理单位": "450312",
    "就业状态": "安排工作上岗",
    "开始时间": "2025-03-01",
    "用人单位": "县供电公司",
    "合同期限（年）": "3",
    "无固定期限合同": "否",
    "就业困难": "否",
}
RECEPTION = {
    "接待编号": "JD-2025-03",
    "接待单位": "450312",
    "接待领导": "局长",
    "接待日期": "2025-03-17",
    "接待人数": "6",
    "形成诉求编号": "RQ-2025-0003",
}
REQUEST = {
    "诉求编号": "RQ-2025-0003",
    "诉求内容": "优待证办理进度",
    "诉求人公民身份号码": VETERAN_ID,
    "接触方式": "领导接待日",
    "接触时间": "2025-03-17",
    "接触单位": "450312",
    "活动编号": "JD-2025-03",
    "登记时间": "2025-03-17",
    "交办时间": "2025-03-18、2025-04-02",
    "承办单位": "450312",
    "答复时间": "2025-03-28、2025-04-10",
    "回访时间": "2025-03-31、2025-04-15",
    "回访方式": "电话沟通、上门走访",
    "回访结果": "不满意、满意",
    "办结时间": "2025-04-15",
    "办理状态": "回访办结",
}
GOOD: dict[RosterKind, dict[str, str]] = {
    P: PETITION,
    L: LEGACY,
    T: TRANSFER,
    A: ASSIGNMENT,
    K: TALK,
    V: CADRE,
    D: DISCHARGE,
    E: TRAINING,
    J: EMPLOYMENT,
    S: RECEPTION,
    Q: REQUEST,
}


# --- kinds ----------------------------------------------------------------------------------------


def test_each_register_names_its_record_key_label_and_sheets() -> None:
    table = [
        (k.value, k.label_zh, k.record_type.__name__, k.key_field, k.sheet_names[0], k.casework)
        for k in CASEWORK
    ]

    assert [
        ("petitions", "信访件", "Petition", "petition_id", "信访件", True),
        ("legacy-cases", "历史遗留问题", "LegacyCase", "case_id", "历史遗留问题", True),
        ("insurance-transfers", "保险接续", "InsuranceTransfer", "veteran", "保险接续", True),
        ("baolian-assignments", "领导包联", "ContactAssignment", "assignment_id", "领导包联", True),
        ("baolian-talks", "包联座谈", "BaolianTalk", "talk_id", "包联座谈", True),
        ("village-cadres", "村两委成员", "VillageCadre", "person", "村两委成员", True),
        ("discharge-records", "退役安置", "DischargeRecord", "veteran", "退役安置", True),
        ("training-enrolments", "教育培训", "TrainingEnrolment", "enrolment_id", "教育培训", True),
        ("employment-records", "就业情况", "EmploymentRecord", "record_id", "就业情况", True),
        ("reception-sessions", "领导接待日", "ReceptionSession", "session_id", "领导接待日", True),
        ("requests", "诉求", "Request", "request_id", "诉求", True),
    ] == table
    assert [False] * 4 == [k.casework for k in RosterKind if k not in CASEWORK]


@pytest.mark.parametrize("kind", CASEWORK)
def test_a_register_has_one_canonical_header_per_field(kind: RosterKind) -> None:
    columns = kind.columns

    assert kind.header == tuple(columns.header_of(f) for f in kind.fields)
    assert kind.required_fields <= set(kind.fields)
    assert kind.personal_fields <= set(kind.fields)
    assert kind.key_field in kind.fields
    assert len(set(kind.header)) == len(kind.header)


def test_the_personal_fields_of_the_registers_are_their_identity_numbers() -> None:
    personal = {k.value: sorted(k.personal_fields) for k in CASEWORK}

    assert {
        "petitions": ["petitioner"],
        "legacy-cases": ["subjects"],
        "insurance-transfers": ["veteran"],
        "baolian-assignments": [],
        "baolian-talks": [],
        "village-cadres": ["person"],
        "discharge-records": ["veteran"],
        "training-enrolments": ["veteran"],
        "employment-records": ["veteran"],
        "reception-sessions": [],
        "requests": ["person"],
    } == personal


@pytest.mark.parametrize("kind", list(RosterKind))
def test_every_kind_is_told_from_its_own_header_and_no_other(kind: RosterKind) -> None:
    required = [kind.columns.header_of(f) for f in kind.fields if f in kind.required_fields]
    # A discharge register's required columns are all in a veterans' roster: it is told by
    # its 报到时间, which it need not have (then its sheet name or kind= says what it is).
    told = None if kind is RosterKind.DISCHARGE_RECORDS else kind

    assert (kind, told) == (detect_kind(kind.header), detect_kind(required))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["信访件编号", "信访人身份证号", "信访形式", "登记时间"], P),
        (["问题编号", "问题描述", "责任单位"], L),
        (["身份证号", "保险险种", "退役命令下达时间"], T),
        (["包联安排编号", "包联领导", "包联起始时间"], A),
        (["座谈记录编号", "包联编号", "座谈日期"], K),
        (["身份证号", "村(社区)", "职务"], V),
        (["身份证号", "人员类别", "安置方式", "退役时间", "报到日期"], D),
        (["培训记录编号", "身份证号", "培训类型"], E),
        (["记录编号", "就业情况", "开始时间"], J),
        (["接待记录编号", "接待单位", "接待时间"], S),
        (["诉求编号", "诉求事项", "接访方式"], Q),
        # A veterans' roster has 退役方式 and 退役时间, but no 报到时间.
        (["姓名", "公民身份号码", "入伍时间", "退役时间", "退役方式"], RosterKind.VETERANS),
        # 包联编号 alone is in both 包联 kinds: neither is recognised from it.
        (["包联编号", "包联地区"], None),
        (["公民身份号码", "姓名"], None),
    ],
)
def test_detect_kind_reads_the_distinctive_columns_under_any_accepted_header(
    header: list[str], expected: RosterKind | None
) -> None:
    assert expected is detect_kind(header)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("信访件登记表", P),
        ("Petitions", P),
        ("历史遗留问题台账", L),
        ("保险关系转移接续", T),
        ("包联安排", A),
        ("座谈记录", K),
        (" 兵支书 ", V),
        ("village-cadres", V),
        ("退役报到", D),
        ("培训台账", E),
        ("就业跟踪", J),
        ("接待记录", S),
        ("诉求登记", Q),
        ("信访", None),
    ],
)
def test_a_sheet_name_selects_its_register(name: str, expected: RosterKind | None) -> None:
    assert expected is RosterKind.from_sheet_name(name)


# --- every column ---------------------------------------------------------------------------------


def test_every_column_of_a_petition_is_read(tmp_path: Path) -> None:
    petition = only(read(tmp_path, P, [PETITION]))
    assert isinstance(petition, Petition)
    S = PetitionStatus
    steps = [
        (s.to_status, s.on.isoformat(), s.unit and s.unit.short, s.note, s.actor)
        for s in petition.history
    ]

    assert (
        "XF-2024-0007",
        ResidentId(PETITIONER_ID),
        PetitionCategory.APPEAL,
        PetitionChannel.VISIT,
        DivisionCode("4503"),
        ReceiverKind.PETITION_OFFICE,
        8,
        3,
    ) == (
        petition.petition_id,
        petition.petitioner,
        petition.category,
        petition.channel,
        petition.received_by,
        petition.receiver,
        petition.group_size,
        petition.representatives,
    )
    assert [
        (S.RECEIVED, "2024-03-01", None, None, ROSTER_ACTOR),
        (S.ROUTED, "2024-03-05", "450312", None, ROSTER_ACTOR),
        (S.OBJECTED, "2024-03-08", None, "不属于本机关职责范围", ROSTER_ACTOR),
        (S.ROUTED, "2024-03-12", "450311", None, ROSTER_ACTOR),
        (S.ACCEPTED, "2024-03-14", None, None, ROSTER_ACTOR),
        (S.EXTENDED, "2024-05-10", None, "需调取原部队档案", ROSTER_ACTOR),
        (S.ANSWERED, "2024-06-05", None, None, ROSTER_ACTOR),
        (S.REVIEW_REQUESTED, "2024-06-20", "4503", None, ROSTER_ACTOR),
        (S.REVIEWED, "2024-07-15", None, None, ROSTER_ACTOR),
        (S.RE_REVIEW_REQUESTED, "2024-07-30", "45", None, ROSTER_ACTOR),
        (S.HEARING_HELD, "2024-08-12", None, None, ROSTER_ACTOR),
        (S.RE_REVIEWED, "2024-09-01", None, None, ROSTER_ACTOR),
        (S.CLOSED, "2024-09-20", None, None, ROSTER_ACTOR),
    ] == steps
    history = petition.history
    assert (30, dt.date(2024, 8, 10), ClosureKind.FINAL) == (
        history[5].days,
        history[10].hearing_from,
        history[12].closure,
    )
    assert [dt.date(2024, 6, 7), dt.date(2024, 7, 16), dt.date(2024, 9, 2)] == [
        history[i].delivered_on for i in (6, 8, 11)
    ]
    assert (False, True) == (history[4].simplified, petition.concluded)


def test_a_petition_not_accepted_names_the_reason_and_the_statutory_route(tmp_path: Path) -> None:
    row = PETITION_REGISTERED | {
        "不予受理时间": "2024-04-10",
        "不予受理理由": "应通过法定途径解决",
        "法定途径": "行政复议",
        "办理状态": "不予受理",
    }

    petition = only(read(tmp_path, P, [row]))

    assert isinstance(petition, Petition)
    last = petition.history[-1]
    assert (
        PetitionStatus.NOT_ACCEPTED,
        NotAcceptedReason.STATUTORY_ROUTE,
        StatutoryRoute.ADMINISTRATIVE_REVIEW,
        PetitionStatus.RECEIVED,
    ) == (last.to_status, last.reason, last.route, last.from_status)


def test_every_column_of_a_legacy_case_is_read(tmp_path: Path) -> None:
    case = only(read(tmp_path, L, [LEGACY]))

    assert isinstance(case, LegacyCase)
    assert (
        "LC-2025-001",
        LegacyCategory.SOCIAL_INSURANCE,
        OriginRegime.SOLDIER_PLACEMENT_2011,
        dt.date(2015, 12, 1),
        "2015年退役后两保接续未完成",
        DivisionCode("450312"),
        "county-bureau-deputy",
        (ResidentId(VETERAN_ID), ResidentId(OTHER_ID)),
        "RQ-2025-0003",
        None,
    ) == (
        case.case_id,
        case.category,
        case.regime,
        case.origin_on,
        case.topic,
        case.responsible_unit,
        case.owner,
        case.subjects,
        case.source_request,
        case.referred_to,
    )
    assert [
        (LegacyStatus.IDENTIFIED, dt.date(2025, 3, 3)),
        (LegacyStatus.VERIFIED, dt.date(2025, 3, 20)),
        (LegacyStatus.PLAN_AGREED, dt.date(2025, 4, 1)),
        (LegacyStatus.RESOLVED, dt.date(2025, 6, 30)),
    ] == [(s.to_status, s.on) for s in case.history]
    assert (
        Milestone(
            key="m1", title="核对档案", target_on=dt.date(2025, 4, 30), done_on=dt.date(2025, 4, 28)
        ),
        Milestone(key="m2", title="补缴养老保险", target_on=dt.date(2025, 6, 15)),
    ) == case.milestones
    assert (dt.date(2025, 5, 6), dt.date(2025, 6, 3)) == case.reviews


def test_milestones_without_keys_are_numbered_and_one_deadline_serves_all(tmp_path: Path) -> None:
    row = LEGACY | {"节点编号": "", "节点期限": "2025-06-15", "节点完成时间": ""}

    case = only(read(tmp_path, L, [row]))

    assert isinstance(case, LegacyCase)
    assert [("1", dt.date(2025, 6, 15), None), ("2", dt.date(2025, 6, 15), None)] == [
        (m.key, m.target_on, m.done_on) for m in case.milestones
    ]


def test_a_referred_legacy_case_names_the_body_it_went_to(tmp_path: Path) -> None:
    row = LEGACY | {
        "化解时间": "",
        "移交时间": "2025-05-01",
        "移交单位": "县人力资源和社会保障局",
        "检视时间": "",
        "办理状态": "已移交",
    }

    case = only(read(tmp_path, L, [row]))

    assert isinstance(case, LegacyCase)
    assert (LegacyStatus.REFERRED, "县人力资源和社会保障局") == (case.status, case.referred_to)


def test_every_column_of_an_insurance_transfer_is_read(tmp_path: Path) -> None:
    transfer = only(read(tmp_path, T, [TRANSFER]))
    S = InsuranceStatus

    assert isinstance(transfer, InsuranceTransfer)
    assert (
        ResidentId(VETERAN_ID),
        InsuranceScheme.PENSION,
        DivisionCode("450312"),
        Decimal("86400.00"),
        dt.date(2024, 10, 15),
    ) == (
        transfer.veteran,
        transfer.scheme,
        transfer.destination,
        transfer.amount,
        transfer.application_on,
    )
    assert [
        InsuranceStep(to_status=S.ORDER_ISSUED, on=dt.date(2024, 9, 10)),
        InsuranceStep(
            to_status=S.SUBSIDY_COMPUTED, on=dt.date(2024, 9, 12), from_status=S.ORDER_ISSUED
        ),
        InsuranceStep(
            to_status=S.FUNDS_REMITTED, on=dt.date(2024, 9, 20), from_status=S.SUBSIDY_COMPUTED
        ),
        InsuranceStep(
            to_status=S.STALLED,
            on=dt.date(2024, 9, 25),
            from_status=S.FUNDS_REMITTED,
            note="转移凭证遗失",
        ),
        InsuranceStep(to_status=S.FUNDS_REMITTED, on=dt.date(2024, 10, 5), from_status=S.STALLED),
        InsuranceStep(
            to_status=S.VOUCHERS_ISSUED, on=dt.date(2024, 10, 8), from_status=S.FUNDS_REMITTED
        ),
        InsuranceStep(
            to_status=S.RECEIVED_BY_AGENCY, on=dt.date(2024, 11, 5), from_status=S.VOUCHERS_ISSUED
        ),
        InsuranceStep(
            to_status=S.STALLED,
            on=dt.date(2024, 11, 6),
            from_status=S.RECEIVED_BY_AGENCY,
            note="缴费基数待核",
        ),
        InsuranceStep(
            to_status=S.RECEIVED_BY_AGENCY, on=dt.date(2024, 11, 15), from_status=S.STALLED
        ),
        InsuranceStep(
            to_status=S.ACCOUNT_OPENED, on=dt.date(2024, 11, 20), from_status=S.RECEIVED_BY_AGENCY
        ),
        InsuranceStep(
            to_status=S.CONTINUED, on=dt.date(2024, 11, 25), from_status=S.ACCOUNT_OPENED
        ),
    ] == list(transfer.history)


def test_an_unemployment_credit_has_only_its_three_steps(tmp_path: Path) -> None:
    row = {
        "公民身份号码": VETERAN_ID,
        "险种": "失业",
        "退役命令时间": "2024-09-10",
        "经办机构接收时间": "2024-10-01",
        "受阻环节": "经办机构接收",
        "受阻时间": "2024-10-02",
    }

    transfer = only(read(tmp_path, T, [row]))

    assert isinstance(transfer, InsuranceTransfer)
    assert (InsuranceStatus.STALLED, InsuranceStatus.RECEIVED_BY_AGENCY) == (
        transfer.status,
        transfer.stalled_at,
    )


def test_every_column_of_an_assignment_and_a_talk_is_read(tmp_path: Path) -> None:
    assignment = only(read(tmp_path, A, [ASSIGNMENT]))
    talk = only(read(tmp_path, K, [TALK]))

    assert (
        ContactAssignment(
            assignment_id="BL-2025-01",
            leader="county-bureau-director",
            area=DivisionCode("450312101"),
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            kind=AssignmentKind.BAOLIAN,
        ),
        BaolianTalk(
            talk_id="BL-2025-01/T1",
            assignment_id="BL-2025-01",
            area=DivisionCode("450312101"),
            held_on=dt.date(2025, 3, 18),
            participants=12,
            topic="两保接续",
            requests=("RQ-2025-0003", "RQ-2025-0004"),
            legacy_cases=("LC-2025-001",),
        ),
    ) == (assignment, talk)


def test_every_column_of_a_village_cadre_is_read(tmp_path: Path) -> None:
    cadre = only(read(tmp_path, V, [CADRE]))

    assert (
        VillageCadre(
            person=ResidentId(CADRE_ID),
            village=DivisionCode("450312101203"),
            role=CadreRole.SECRETARY_AND_DIRECTOR,
            term_from=dt.date(2021, 1, 10),
            term_to=dt.date(2024, 1, 9),
            is_veteran=True,
        )
        == cadre
    )


def test_every_column_of_a_discharge_record_is_read(tmp_path: Path) -> None:
    record = only(read(tmp_path, D, [DISCHARGE]))

    assert (
        DischargeRecord(
            veteran=ResidentId(VETERAN_ID),
            unit=DivisionCode("450312"),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.ARRANGED_EMPLOYMENT,
            discharged_on=dt.date(2024, 9, 10),
            approved_on=dt.date(2024, 9, 5),
            report_by=dt.date(2024, 10, 10),
            reported_on=dt.date(2024, 9, 20),
            registered_on=dt.date(2024, 9, 25),
            received_on=dt.date(2024, 9, 21),
            placed_on=dt.date(2025, 2, 10),
            letter_on=dt.date(2025, 2, 12),
            on_post_on=dt.date(2025, 3, 1),
            adaptive_trained_on=dt.date(2024, 10, 15),
        )
        == record
    )


def test_every_column_of_a_course_and_an_employment_spell_is_read(tmp_path: Path) -> None:
    course = only(read(tmp_path, E, [TRAINING]))
    spell = only(read(tmp_path, J, [EMPLOYMENT]))

    assert (
        TrainingEnrolment(
            enrolment_id="PX-2024-001",
            veteran=ResidentId(VETERAN_ID),
            unit=DivisionCode("450312"),
            kind=TrainingKind.SKILLS,
            enrolled_on=dt.date(2024, 11, 1),
            free=True,
            provider="县职业技术学校",
            completed_on=dt.date(2025, 1, 20),
            certified=True,
        ),
        EmploymentRecord(
            record_id="JY-2025-001",
            veteran=ResidentId(VETERAN_ID),
            unit=DivisionCode("450312"),
            status=EmploymentStatus.PLACED,
            started_on=dt.date(2025, 3, 1),
            employer="县供电公司",
            contract_years=3,
        ),
    ) == (course, spell)


def test_blank_facts_of_a_course_are_the_models_defaults(tmp_path: Path) -> None:
    row = TRAINING | {"免费培训": "", "取得证书": "", "结业时间": ""}

    course = only(read(tmp_path, E, [row]))

    assert isinstance(course, TrainingEnrolment)
    assert (True, False, None) == (course.free, course.certified, course.completed_on)


def test_every_column_of_a_reception_day_and_a_request_is_read(tmp_path: Path) -> None:
    session = only(read(tmp_path, S, [RECEPTION]))
    request = only(read(tmp_path, Q, [REQUEST]))
    R = RequestStatus

    assert (
        ReceptionSession(
            session_id="JD-2025-03",
            unit=DivisionCode("450312"),
            leader="局长",
            held_on=dt.date(2025, 3, 17),
            visitors=6,
            requests=("RQ-2025-0003",),
        )
        == session
    )
    assert isinstance(request, Request)
    assert (
        "RQ-2025-0003",
        "优待证办理进度",
        Contact(
            channel=ContactChannel.RECEPTION_DAY,
            on=dt.date(2025, 3, 17),
            unit=DivisionCode("450312"),
            activity_id="JD-2025-03",
            person=ResidentId(VETERAN_ID),
        ),
        DivisionCode("450312"),
        None,
    ) == (request.request_id, request.topic, request.contact, request.handler, request.escalation)
    assert [
        (R.REGISTERED, "2025-03-17"),
        (R.ASSIGNED, "2025-03-18"),
        (R.ANSWERED, "2025-03-28"),
        (R.ASSIGNED, "2025-04-02"),
        (R.ANSWERED, "2025-04-10"),
        (R.CLOSED, "2025-04-15"),
    ] == [(step.to_status, step.on.isoformat()) for step in request.history]
    assert (
        FollowUp(
            on=dt.date(2025, 3, 31),
            channel=ContactChannel.PHONE,
            actor=ROSTER_ACTOR,
            satisfied=False,
        ),
        FollowUp(
            on=dt.date(2025, 4, 15),
            channel=ContactChannel.HOME_VISIT,
            actor=ROSTER_ACTOR,
            satisfied=True,
        ),
    ) == request.follow_ups


def _aliases(kind: RosterKind) -> list[tuple[str, str]]:
    """(canonical header, another accepted header) of every field the good row fills."""
    columns = kind.columns
    return [
        (columns.header_of(field), header)
        for header, field in columns.headers.items()
        if header != columns.header_of(field) and columns.header_of(field) in GOOD[kind]
    ]


@pytest.mark.parametrize(
    ("kind", "canonical", "alias"),
    [(kind, canonical, alias) for kind in CASEWORK for canonical, alias in _aliases(kind)],
)
def test_every_accepted_header_reads_as_the_canonical_one(
    tmp_path: Path, kind: RosterKind, canonical: str, alias: str
) -> None:
    row = GOOD[kind]
    header = [alias if h == canonical else h for h in kind.header]
    renamed = {alias if h == canonical else h: cell for h, cell in row.items()}

    result = read(tmp_path, kind, [renamed], header=header)

    assert (kind, only(read(tmp_path, kind, [row]))) == (result.kind, only(result))


@pytest.mark.parametrize(
    ("kind", "header", "written", "expected"),
    [
        (P, "信访事项类别", "检举控告", PetitionCategory.ACCUSATION),
        (P, "信访形式", "网上信访", PetitionChannel.ONLINE),
        (P, "信访形式", "来电", PetitionChannel.PHONE),
        (P, "登记单位类别", "其他机关", ReceiverKind.OTHER_BODY),
        (L, "问题类别", "placement", LegacyCategory.PLACEMENT),
        (L, "政策时段", "退役士兵安置条例", OriginRegime.SOLDIER_PLACEMENT_2011),
        (T, "险种", "医疗", InsuranceScheme.MEDICAL),
        (V, "两委职务", "支书", CadreRole.SECRETARY),
        (V, "两委职务", "村委会主任", CadreRole.DIRECTOR),
        (V, "两委职务", "委员", CadreRole.MEMBER),
        (E, "培训类别", "技能培训", TrainingKind.SKILLS),
        (J, "就业状态", "安排工作", EmploymentStatus.PLACED),
        (D, "人员类别", "初级士官", PersonnelType.NCO),
    ],
)
def test_short_forms_of_a_choice_are_accepted(
    tmp_path: Path, kind: RosterKind, header: str, written: str, expected: object
) -> None:
    field = kind.columns.field_of(header)
    assert field is not None

    # A group comes only on a visit, a transfer-in application only for a pension.
    base = {P: PETITION_REGISTERED, T: TRANSFER | {"转移接续申请时间": ""}}.get(kind, GOOD[kind])

    record = only(read(tmp_path, kind, [base | {header: written}]))

    value = getattr(record, field)
    assert expected is value


# --- histories from the date columns --------------------------------------------------------------

# (name, changes to the registered petition, status reached or (column, words of the reason))
PETITION_COURSES: list[tuple[str, dict[str, str], PetitionStatus | tuple[str, str]]] = [
    ("registered only", {}, PetitionStatus.RECEIVED),
    ("accepted directly", {"受理时间": "2024-04-03"}, PetitionStatus.ACCEPTED),
    (
        "accepted for 简易办理 and answered the same day",
        {"受理时间": "2024-04-03", "简易办理": "是", "答复时间": "2024-04-03"},
        PetitionStatus.ANSWERED,
    ),
    (
        "routed, objected, routed again, objected again",
        {
            "转送交办时间": "2024-04-03、2024-04-12",
            "转送交办单位": "450311、450321",
            "异议时间": "2024-04-08、2024-04-15",
            "异议理由": "不属于本单位职责\n应由原部队处理",
        },
        PetitionStatus.OBJECTED,
    ),
    (
        "one unit for every routing",
        {
            "转送交办时间": "2024-04-03、2024-04-12",
            "转送交办单位": "450311",
            "异议时间": "2024-04-08",
            "异议理由": "不属于本单位职责",
        },
        PetitionStatus.ROUTED,
    ),
    (
        "answered without acceptance",
        {"答复时间": "2024-04-20"},
        ("答复时间", "“登记”之后不能直接“书面答复”"),
    ),
    (
        "复核 without 复查",
        {
            "受理时间": "2024-04-03",
            "答复时间": "2024-04-20",
            "复核请求时间": "2024-04-25",
            "复核机关": "45",
        },
        ("复核请求时间", "“书面答复”之后不能直接“请求复核”"),
    ),
    (
        "accepted before it was registered",
        {"受理时间": "2024-04-01"},
        ("受理时间", "早于登记时间"),
    ),
    (
        "an objection without a routing",
        {"异议时间": "2024-04-08", "异议理由": "不属于本单位职责"},
        ("异议时间", "异议须在转送、交办之后"),
    ),
    (
        "two objections to one routing",
        {
            "转送交办时间": "2024-04-03",
            "转送交办单位": "450311",
            "异议时间": "2024-04-08、2024-04-09",
            "异议理由": "一\n二",
        },
        ("异议时间", "异议次数（2）与转送、交办次数（1）不符"),
    ),
    (
        "an objection without reasons",
        {"转送交办时间": "2024-04-03", "转送交办单位": "450311", "异议时间": "2024-04-08"},
        ("异议理由", "填写了异议时间时必填"),
    ),
    (
        "a 复查 body below the one handling it",
        {
            "受理时间": "2024-04-03",
            "答复时间": "2024-04-20",
            "复查请求时间": "2024-04-25",
            "复查机关": "450311",
        },
        ("复查机关", "复查、复核机关应为上一级机关、单位"),
    ),
    (
        "a 复查 request before the answer reached the petitioner",
        {
            "受理时间": "2024-04-03",
            "答复时间": "2024-04-20",
            "答复送达时间": "2024-04-28",
            "复查请求时间": "2024-04-25",
            "复查机关": "4503",
        },
        ("复查请求时间", "请求日期早于收到书面答复之日"),
    ),
    (
        "an extension without its reason",
        {"受理时间": "2024-04-03", "延期时间": "2024-05-20", "延期天数": "30"},
        ("延期理由", "填写了延期时间时必填"),
    ),
    (
        "an extension of 简易办理",
        {
            "受理时间": "2024-04-03",
            "简易办理": "是",
            "延期时间": "2024-04-10",
            "延期天数": "5",
            "延期理由": "情况复杂",
        },
        ("延期时间", "简易办理不延期"),
    ),
    (
        "a statutory route with another reason",
        {"不予受理时间": "2024-04-10", "不予受理理由": "不属于信访事项", "法定途径": "诉讼"},
        ("法定途径", "仅因应通过法定途径解决而不予受理时指明途径"),
    ),
    (
        "closed as final before 复核",
        {
            "受理时间": "2024-04-03",
            "答复时间": "2024-04-20",
            "办结时间": "2024-05-30",
            "办结方式": "复核终结",
        },
        ("办结方式", "复核后方为终结"),
    ),
    (
        "a hearing without its first day",
        {"听证结束时间": "2024-05-01"},
        ("听证开始时间", "填写了听证结束时间时必填"),
    ),
    (
        "a hearing without its last day",
        {"听证开始时间": "2024-05-01"},
        ("听证开始时间", "未填写听证结束时间，不应填写此项"),
    ),
    (
        "a group on a letter",
        {"来访人数": "6"},
        ("来访人数", "多人推选代表仅适用于走访"),
    ),
    (
        "the status the dates do not give",
        {"受理时间": "2024-04-03", "办理状态": "办结"},
        ("办理状态", "当前状态应为“受理”"),
    ),
    (
        "a unit in charge the dates do not give",
        {"转送交办时间": "2024-04-03", "转送交办单位": "450311", "当前承办单位": "450312"},
        ("当前承办单位", "当前承办单位应为450311"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [pytest.param(changes, expected, id=name) for name, changes, expected in PETITION_COURSES],
)
def test_a_petitions_course_is_read_from_its_dates(
    tmp_path: Path, changes: dict[str, str], expected: PetitionStatus | tuple[str, str]
) -> None:
    result = read(tmp_path, P, [PETITION_REGISTERED | changes])

    if isinstance(expected, PetitionStatus):
        petition = only(result)
        assert isinstance(petition, Petition)
        assert expected is petition.status
        return
    column, words = expected
    assert [(2, column)] == errors(result)
    assert words in result.errors[0].reason_zh


LEGACY_REGISTERED = {
    k: v
    for k, v in LEGACY.items()
    if k not in {"核实时间", "方案确定时间", "化解时间", "检视时间", "办理状态"}
}
LEGACY_COURSES: list[tuple[str, dict[str, str], LegacyStatus | tuple[str, str]]] = [
    ("identified only", {}, LegacyStatus.IDENTIFIED),
    ("found unfounded", {"核实不属实时间": "2025-03-10"}, LegacyStatus.UNFOUNDED),
    (
        "declared unresolvable once verified",
        {"核实时间": "2025-03-10", "暂无法化解时间": "2025-04-10"},
        LegacyStatus.UNRESOLVABLE,
    ),
    (
        "resolved without a plan",
        {"核实时间": "2025-03-10", "化解时间": "2025-04-10"},
        ("化解时间", "“已核实”之后不能直接“已化解”"),
    ),
    (
        "verified and found unfounded",
        {"核实时间": "2025-03-10", "核实不属实时间": "2025-03-12"},
        ("核实不属实时间", "“已核实”之后不能直接“经核实不属实”"),
    ),
    (
        "referred without the body",
        {"核实时间": "2025-03-10", "移交时间": "2025-03-12"},
        ("移交单位", "填写了移交时间时必填"),
    ),
    (
        "a body without a referral",
        {"移交单位": "县人社局"},
        ("移交单位", "未填写移交时间，不应填写此项"),
    ),
    (
        "a regime the origin date is outside of",
        {"问题发生时间": "2010-05-01"},
        ("问题发生时间", "发生日期不在所列政策时段内"),
    ),
    (
        "a review before identification",
        {"检视时间": "2025-03-01"},
        ("检视时间", "检视日期早于登记日期"),
    ),
    ("milestones without deadlines", {"节点期限": ""}, ("节点期限", "填写了化解节点时必填")),
    (
        "a milestone done before identification",
        {"节点完成时间": "2025-02-01、"},
        ("节点完成时间", "节点完成日期早于登记日期"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [pytest.param(changes, expected, id=name) for name, changes, expected in LEGACY_COURSES],
)
def test_a_legacy_cases_course_is_read_from_its_dates(
    tmp_path: Path, changes: dict[str, str], expected: LegacyStatus | tuple[str, str]
) -> None:
    result = read(tmp_path, L, [LEGACY_REGISTERED | changes])

    if isinstance(expected, LegacyStatus):
        case = only(result)
        assert isinstance(case, LegacyCase)
        assert expected is case.status
        return
    column, words = expected
    assert [(2, column)] == errors(result)
    assert words in result.errors[0].reason_zh


REQUEST_REGISTERED = {
    k: v
    for k, v in REQUEST.items()
    if k in {"诉求编号", "诉求内容", "接触方式", "接触时间", "接触单位"}
}
REQUEST_COURSES: list[tuple[str, dict[str, str], RequestStatus | tuple[str, str]]] = [
    ("registered on the contact's day", {}, RequestStatus.REGISTERED),
    (
        "escalated into a petition",
        {"转办时间": "2025-03-20", "转办去向": "转为信访事项", "转办编号": "XF-2025-0001"},
        RequestStatus.ESCALATED,
    ),
    (
        "withdrawn once in hand",
        {"交办时间": "2025-03-18", "承办单位": "450312", "撤回时间": "2025-03-19"},
        RequestStatus.WITHDRAWN,
    ),
    (
        "answered and followed up, not yet closed",
        {
            "交办时间": "2025-03-18",
            "承办单位": "450312",
            "答复时间": "2025-03-28",
            "回访时间": "2025-03-31",
            "回访方式": "电话",
        },
        RequestStatus.ANSWERED,
    ),
    (
        "closed without a follow-up",
        {
            "交办时间": "2025-03-18",
            "承办单位": "450312",
            "答复时间": "2025-03-28",
            "办结时间": "2025-04-01",
        },
        ("回访时间", "办结前须在答复后回访"),
    ),
    (
        "answered before it was in hand",
        {"答复时间": "2025-03-28"},
        ("答复时间", "答复须在交办之后"),
    ),
    (
        "in hand without a unit",
        {"交办时间": "2025-03-18"},
        ("承办单位", "填写了交办时间时必填"),
    ),
    (
        "withdrawn after the answer",
        {
            "交办时间": "2025-03-18",
            "承办单位": "450312",
            "答复时间": "2025-03-28",
            "撤回时间": "2025-03-30",
        },
        ("撤回时间", "“已答复”之后不能直接“已撤回”"),
    ),
    (
        "registered before the contact",
        {"登记时间": "2025-03-16"},
        ("登记时间", "登记日期早于接触日期"),
    ),
    (
        "a follow-up without its channel",
        {"回访时间": "2025-03-20"},
        ("回访方式", "填写了回访时间时必填"),
    ),
    (
        "the status the dates do not give",
        {"办理状态": "办理中"},
        ("办理状态", "当前状态应为“已登记”"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [pytest.param(changes, expected, id=name) for name, changes, expected in REQUEST_COURSES],
)
def test_a_requests_course_is_read_from_its_dates(
    tmp_path: Path, changes: dict[str, str], expected: RequestStatus | tuple[str, str]
) -> None:
    result = read(tmp_path, Q, [REQUEST_REGISTERED | changes])

    if isinstance(expected, RequestStatus):
        request = only(result)
        assert isinstance(request, Request)
        assert expected is request.status
        return
    column, words = expected
    assert [(2, column)] == errors(result)
    assert words in result.errors[0].reason_zh


TRANSFER_ORDERED = {"公民身份号码": VETERAN_ID, "险种": "医疗保险", "退役命令时间": "2024-09-10"}
TRANSFER_COURSES: list[tuple[str, dict[str, str], InsuranceStatus | tuple[str, str]]] = [
    ("ordered only", {}, InsuranceStatus.ORDER_ISSUED),
    (
        "stalled at the order, not resumed",
        {"受阻环节": "退役命令下达", "受阻时间": "2024-09-11", "受阻原因": "未收到退役命令"},
        InsuranceStatus.STALLED,
    ),
    (
        "stalled twice at one step, resumed twice",
        {
            "补助计算时间": "2024-09-12",
            "受阻环节": "保险补助计算",
            "受阻时间": "2024-09-13、2024-09-20",
            "恢复办理时间": "2024-09-15、2024-09-25",
        },
        InsuranceStatus.SUBSIDY_COMPUTED,
    ),
    (
        "a step skipped",
        {"资金划转时间": "2024-09-20"},
        ("资金划转时间", "“退役命令下达”之后不能直接“资金划转”"),
    ),
    (
        "a step of another scheme",
        {"险种": "失业保险", "补助计算时间": "2024-09-12"},
        ("补助计算时间", "无此环节，请留空"),
    ),
    (
        "a later step while stalled",
        {"补助计算时间": "2024-09-12", "受阻环节": "退役命令下达", "受阻时间": "2024-09-11"},
        ("恢复办理时间", "接续受阻（2024-09-11）后未恢复办理"),
    ),
    (
        "stalled after a step not taken",
        {"受阻环节": "资金划转", "受阻时间": "2024-09-11"},
        ("受阻环节", "受阻环节“资金划转”的时间未填写"),
    ),
    (
        "stalled after the last step",
        {"经办机构接收时间": "", "受阻环节": "接续完成", "受阻时间": "2024-09-11"},
        ("受阻环节", "受阻环节应为接续完成前的已办环节"),
    ),
    (
        "resumed before it stalled",
        {"受阻环节": "退役命令下达", "受阻时间": "2024-09-11", "恢复办理时间": "2024-09-10"},
        ("恢复办理时间", "早于受阻时间"),
    ),
    (
        "an amount before the subsidy is computed",
        {"补助金额": "1000"},
        ("补助金额", "仅在计算保险补助后记录金额"),
    ),
    (
        "an application for the medical scheme",
        {"转移接续申请时间": "2024-10-01"},
        ("转移接续申请时间", "转移接续申请仅适用于养老保险"),
    ),
    (
        "the status the dates do not give",
        {"办理状态": "接续完成"},
        ("办理状态", "当前状态应为“退役命令下达”"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [pytest.param(changes, expected, id=name) for name, changes, expected in TRANSFER_COURSES],
)
def test_an_insurance_transfers_course_is_read_from_its_dates(
    tmp_path: Path, changes: dict[str, str], expected: InsuranceStatus | tuple[str, str]
) -> None:
    result = read(tmp_path, T, [TRANSFER_ORDERED | changes])

    if isinstance(expected, InsuranceStatus):
        transfer = only(result)
        assert isinstance(transfer, InsuranceTransfer)
        assert expected is transfer.status
        return
    column, words = expected
    assert [(2, column)] == errors(result)
    assert words in result.errors[0].reason_zh


# --- bad cells ------------------------------------------------------------------------------------

BAD_CELLS: list[tuple[RosterKind, str, str, str]] = [
    (P, "信访件编号", "", "必填项为空"),
    (P, "信访人公民身份号码", PETITIONER_ID[:-1] + "0", "校验码不符"),
    (P, "信访事项类别", "投诉", "无法识别的信访事项类别"),
    (P, "信访形式", "微信", "无法识别的信访形式"),
    (P, "登记单位", "459999", "未知区划"),
    (P, "登记单位", "太平镇", "同名单位"),
    (P, "登记单位类别", "法院", "无法识别的登记单位类别"),
    (P, "登记时间", "2024年3月", "需要完整日期"),
    (P, "登记时间", "2099-01-01", "晚于今天"),
    (P, "来访人数", "八人", "不是整数"),
    (P, "来访人数", "1", "2"),
    (P, "代表人数", "9", "代表人数超过来访人数"),
    (P, "转送交办时间", "2024-03-05、2024-02-30", "第2项：日期不存在"),
    (P, "转送交办单位", "450312、", "第2项为空"),
    (P, "简易办理", "也许", "无法识别的是否"),
    (P, "延期天数", "0", "1"),
    (P, "办结方式", "撤销", "无法识别的办结方式"),
    (L, "问题类别", "其它问题", "无法识别的问题类别"),
    (L, "政策时段", "2030年", "无法识别的政策时段"),
    (L, "责任单位", "责任科", "不是区划代码"),
    (L, "涉及人员公民身份号码", f"{VETERAN_ID}、{VETERAN_ID}", "人员重复"),
    (L, "节点编号", "m1、m1", "节点编号重复"),
    (L, "节点期限", "2025-04-30、2025-06-15、2025-07-01", "项数（3）与化解节点（2项）不一致"),
    (T, "险种", "工伤保险", "无法识别的险种"),
    (T, "补助金额", "0.125", "金额最多精确到分"),
    (T, "受阻环节", "资金划转、审批", "第2项：无法识别的接续环节"),
    (A, "包联领导", "", "必填项为空"),
    (A, "包联结束时间", "2024-12-31", "应不早于"),
    (A, "包联类别", "挂点", "无法识别的包联类别"),
    (K, "参加人数", "-3", "不是整数"),
    (K, "座谈时间", "2099-03-18", "晚于今天"),
    (V, "所在村（社区）", "450312101", "应为村级单位"),
    (V, "两委职务", "会计", "无法识别的两委职务"),
    (V, "是否退役军人", "", "必填项为空"),
    (V, "离任时间", "2020-01-01", "应不早于"),
    (D, "退役方式", "转业", "义务兵不适用转业安置方式"),
    (D, "确定安置地时间", "2024-09-01", "确定安置地之日仅适用于军官"),
    (D, "上岗时间", "2025-02-01", "应不早于"),
    (D, "批准退役时间", "2024-09-12", "应不早于"),
    (D, "报到时间", "2024-09-01", "日期早于批准退出现役"),
    (D, "保留入学资格或学籍", "不详", "无法识别的是否"),
    (E, "培训类别", "驾驶培训", "无法识别的培训类别"),
    (E, "结业时间", "2024-10-01", "应不早于"),
    (J, "就业状态", "务农", "无法识别的就业状态"),
    (J, "合同期限（年）", "60", "50"),
    (J, "无固定期限合同", "是", "合同不能既有固定期限又无固定期限"),
    (S, "接待人数", "六", "不是整数"),
    (S, "接待单位", "某街道", "不是区划代码"),
    (Q, "接触方式", "微信", "无法识别的接触方式"),
    (Q, "回访结果", "不满意、一般", "第2项：无法识别的回访结果"),
    (Q, "回访方式", "电话、电话、电话", "项数（3）与回访时间（2项）不一致"),
]


# Another record of each kind: the good row with another key.
OTHER_KEY: dict[RosterKind, dict[str, str]] = {
    P: {"信访件编号": "XF-2024-0099"},
    L: {"遗留问题编号": "LC-2025-099"},
    T: {"公民身份号码": OTHER_ID},
    A: {"包联编号": "BL-2025-99"},
    K: {"座谈编号": "BL-2025-01/T9"},
    V: {"公民身份号码": OTHER_ID},
    D: {"公民身份号码": OTHER_ID},
    E: {"培训编号": "PX-2024-099"},
    J: {"就业记录编号": "JY-2025-099"},
    S: {"接待编号": "JD-2025-99"},
    Q: {"诉求编号": "RQ-2025-0099"},
}


@pytest.mark.parametrize(("kind", "column", "value", "words"), BAD_CELLS)
def test_a_bad_cell_is_an_error_of_its_row_and_column(
    tmp_path: Path, kind: RosterKind, column: str, value: str, words: str
) -> None:
    bad = GOOD[kind] | OTHER_KEY[kind] | {column: value}

    result = read(tmp_path, kind, [GOOD[kind], bad])

    assert ([2], [(3, column)]) == ([r.row for r in result.rows], errors(result))
    assert words in result.errors[0].reason_zh
    assert result.errors[0].reason


@pytest.mark.parametrize(
    ("kind", "changes", "column", "words"),
    [
        (P, {}, "信访件编号", "与第2行信访件编号重复"),
        (L, {}, "遗留问题编号", "与第2行遗留问题编号重复"),
        (T, {"险种": "养老"}, "公民身份号码", "与第2行为同一人同一险种"),
        (A, {"包联领导": "county-deputy"}, "包联编号", "与第2行包联编号重复"),
        (K, {}, "座谈编号", "与第2行座谈编号重复"),
        (V, {"是否退役军人": "否"}, "公民身份号码", "与第2行为同一人同一村同一职务同一任职时间"),
        (D, {"退役方式": "自主就业"}, "公民身份号码", "与第2行为同一退役军人"),
        (E, {}, "培训编号", "与第2行培训编号重复"),
        (J, {}, "就业记录编号", "与第2行就业记录编号重复"),
        (S, {}, "接待编号", "与第2行接待编号重复"),
        (Q, {}, "诉求编号", "与第2行诉求编号重复"),
    ],
)
def test_a_key_repeating_an_earlier_rows_is_an_error_of_the_later_row(
    tmp_path: Path, kind: RosterKind, changes: dict[str, str], column: str, words: str
) -> None:
    result = read(tmp_path, kind, [GOOD[kind], GOOD[kind] | changes])

    assert [(3, column)] == errors(result)
    assert words in result.errors[0].reason_zh


def test_a_certificate_goes_with_completion(tmp_path: Path) -> None:
    result = read(tmp_path, E, [TRAINING | {"结业时间": ""}])

    assert [(2, "取得证书")] == errors(result)
    assert "未结业不能取得证书" in result.errors[0].reason_zh


def test_a_status_without_an_employer_takes_none(tmp_path: Path) -> None:
    row = EMPLOYMENT | {"就业状态": "求职登记（失业）", "合同期限（年）": ""}

    result = read(tmp_path, J, [row])

    assert [(2, "用人单位")] == errors(result)
    assert "求职登记（失业）不登记用人单位或合同" in result.errors[0].reason_zh


def test_a_second_post_of_the_same_person_is_no_repeat(tmp_path: Path) -> None:
    again = CADRE | {"两委职务": "两委委员", "任职时间": "2024-01-10", "离任时间": ""}

    result = read(tmp_path, V, [CADRE, again])

    assert (True, 2) == (result.ok, len(result.records))


def test_a_register_without_a_required_column_is_refused_at_its_header(tmp_path: Path) -> None:
    header = [h for h in P.header if h != "登记时间"]
    path = tmp_path / "no-date.csv"
    write_table(path, header, [[PETITION_REGISTERED.get(h, "") for h in header]])

    result = read_roster(path)

    assert (P, [(1, "登记时间")], 0) == (result.kind, errors(result), result.rows_read)


# --- masking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column", "value", "shown"),
    [
        (P, "信访人公民身份号码", PETITIONER_ID[:-1] + "0", "450305********0010"),
        (L, "涉及人员公民身份号码", f"{VETERAN_ID}、{PETITIONER_ID[:-1]}0", None),
        (T, "公民身份号码", VETERAN_ID[:-1] + "5", "450312********0015"),
        (V, "公民身份号码", CADRE_ID[:-1] + "9", "450312********0039"),
        (Q, "诉求人公民身份号码", VETERAN_ID[:-1] + "5", "450312********0015"),
        # An identity number or a name in the wrong column is masked too.
        (P, "登记单位", PETITIONER_ID, "450305********" + PETITIONER_ID[-4:]),
        (P, "信访形式", "韦建国", "韦**"),
    ],
)
def test_an_error_quotes_an_identity_number_or_a_name_masked(
    tmp_path: Path, kind: RosterKind, column: str, value: str, shown: str | None
) -> None:
    result = read(tmp_path, kind, [GOOD[kind] | {column: value}])
    texts = " ".join(str(e) for e in result.errors) + repr(result.errors)

    assert column in {e.column for e in result.errors}
    for full in (PETITIONER_ID, VETERAN_ID, OTHER_ID, CADRE_ID, value, "韦建国"):
        assert full not in texts
    if shown is not None:
        assert shown in texts


@pytest.mark.parametrize("kind", [P, L, T, V, D, E, J, Q])
def test_a_masked_export_row_shows_no_identity_number(tmp_path: Path, kind: RosterKind) -> None:
    record = only(read(tmp_path, kind, [GOOD[kind]]))

    masked = roster_cells(record, personal=False)
    full = roster_cells(record, personal=True)

    ids = (PETITIONER_ID, VETERAN_ID, OTHER_ID, CADRE_ID)
    assert [] == [cell for cell in masked if any(i in cell for i in ids)]
    assert any(any(i in cell for i in ids) for cell in full)
    personal = [kind.fields.index(f) for f in kind.personal_fields]
    assert all("********" in masked[i] for i in personal)
    # Only the personal cells differ: a register's dates are the office's, none a birthday's.
    assert [i for i, (a, b) in enumerate(zip(masked, full, strict=True)) if a != b] == sorted(
        personal
    )


def test_a_masked_rejects_file_masks_identity_numbers_and_an_unread_name_column(
    tmp_path: Path,
) -> None:
    header = ["姓名", *P.header, "备注"]
    bad = PETITION | {"姓名": "韦建国", "信访形式": "微信", "备注": "复印件"}
    result = read(tmp_path, P, [bad], header=header)

    write_rejects(tmp_path / "masked.csv", result, mask_personal=True)
    write_rejects(tmp_path / "plain.csv", result)

    with (tmp_path / "masked.csv").open(encoding="utf-8-sig", newline="") as file:
        masked = list(csv.reader(file))
    with (tmp_path / "plain.csv").open(encoding="utf-8-sig", newline="") as file:
        plain = list(csv.reader(file))
    at = {h: i for i, h in enumerate(masked[0])}
    assert ("韦**", "450305********" + PETITIONER_ID[-4:], "复印件", "微信") == (
        masked[1][at["姓名"]],
        masked[1][at["信访人公民身份号码"]],
        masked[1][at["备注"]],
        masked[1][at["信访形式"]],
    )
    assert ("韦建国", PETITIONER_ID) == (plain[1][at["姓名"]], plain[1][at["信访人公民身份号码"]])


# --- writing back ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CASEWORK)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_record_written_with_roster_row_reads_back_equal(
    tmp_path: Path, kind: RosterKind, suffix: str
) -> None:
    record = only(read(tmp_path, kind, [GOOD[kind]]))
    path = tmp_path / f"again{suffix}"

    write_table(path, kind.header, [roster_row(record, personal=True)])

    assert (kind, (record,)) == (read_roster(path).kind, read_roster(path).records)


def test_a_petitions_export_row_holds_its_course_in_the_offices_columns(tmp_path: Path) -> None:
    petition = only(read(tmp_path, P, [PETITION]))

    row = dict(zip(P.header, roster_cells(petition, personal=True), strict=True))

    assert {h: c for h, c in row.items() if c} == PETITION | {
        "登记单位": "4503",
        "复查机关": "4503",
        "复核机关": "45",
    }


def test_a_workbook_of_every_register_reads_back_sheet_by_sheet(tmp_path: Path) -> None:
    records = {kind: only(read(tmp_path, kind, [GOOD[kind]])) for kind in CASEWORK}
    path = tmp_path / "registers.xlsx"
    write_workbook(
        path,
        {
            kind.sheet_names[0]: (kind.header, [roster_row(r, personal=True)])
            for kind, r in records.items()
        },
    )

    results = read_workbook(path)

    assert [(k, (r,)) for k, r in records.items()] == [(r.kind, r.records) for r in results]


# --- into a store ---------------------------------------------------------------------------------


def _write(folder: Path, name: str, kind: RosterKind, rows: Sequence[Mapping[str, str]]) -> Path:
    path = folder / name
    write_table(path, kind.header, [[row.get(h, "") for h in kind.header] for row in rows])
    return path


def test_import_rosters_stores_each_register_in_its_record_repository(tmp_path: Path) -> None:
    store = MemoryStore()
    paths = [_write(tmp_path, f"{k.value}.csv", k, [GOOD[k]]) for k in CASEWORK]

    result = import_rosters(store, paths, actor="county-clerk-07")

    assert (True, len(CASEWORK), 0) == (result.written, result.added, result.rejected)
    with store.unit_of_work(actor="check") as work:
        stored = [tuple(work.records(k.record_type).find()) for k in CASEWORK]
    assert [(only(read(tmp_path, k, [GOOD[k]])),) for k in CASEWORK] == stored


def test_a_stored_transfer_needs_its_destination(tmp_path: Path) -> None:
    store = MemoryStore()
    path = _write(tmp_path, "t.csv", T, [TRANSFER | {"接续地": ""}])

    result = import_rosters(store, [path], actor="clerk")

    assert (False, 1) == (result.written, result.rejected)
    assert [(2, None)] == [(e.row, e.column) for e in result.errors]


def test_an_update_keeps_who_took_the_steps_the_register_leaves_as_they_were(
    tmp_path: Path,
) -> None:
    store = MemoryStore()
    petition = Petition.receive(
        petition_id="XF-2024-0008",
        petitioner=ResidentId(PETITIONER_ID),
        category=PetitionCategory.SUGGESTION,
        channel=PetitionChannel.LETTER,
        received_by=DivisionCode("450312"),
        receiver=ReceiverKind.OTHER_BODY,
        on=dt.date(2024, 4, 2),
        actor="xfj-01",
        note="来信一封",
    ).accept(on=dt.date(2024, 4, 3), actor="tyjr-450312")
    with store.unit_of_work(actor="clerk") as work:
        work.records(Petition).add(petition)
        work.commit()
    exported = roster_cells(petition, personal=True)
    same = _write(tmp_path, "same.csv", P, [dict(zip(P.header, exported, strict=True))])
    answered = dict(zip(P.header, exported, strict=True)) | {
        "答复时间": "2024-04-20",
        "办理状态": "",
    }
    changed = _write(tmp_path, "changed.csv", P, [answered])

    unchanged = import_rosters(store, [same], actor="clerk", update=True)
    updated = import_rosters(store, [changed], actor="clerk", update=True)

    assert ((0, 0, 1), (0, 1, 0)) == (
        (unchanged.added, unchanged.updated, unchanged.unchanged),
        (updated.added, updated.updated, updated.unchanged),
    )
    with store.unit_of_work(actor="check") as work:
        found = work.records(Petition).read("XF-2024-0008")
    steps = [(s.to_status, s.actor, s.note) for s in found.value.history]
    assert (
        2,
        [
            (PetitionStatus.RECEIVED, "xfj-01", "来信一封"),
            (PetitionStatus.ACCEPTED, "tyjr-450312", None),
            (PetitionStatus.ANSWERED, ROSTER_ACTOR, None),
        ],
    ) == (found.version, steps)


def test_the_projection_of_a_record_is_what_the_roster_holds(tmp_path: Path) -> None:
    """A petition's steps read back without actors and (but for objections and extensions)
    notes: the documented limits of the flat row."""
    petition = only(read(tmp_path, P, [PETITION]))
    assert isinstance(petition, Petition)
    noted = attrs.evolve(
        petition,
        history=tuple(
            attrs.evolve(s, actor="someone", note=s.note or "附记") for s in petition.history
        ),
    )

    again = _write(
        tmp_path,
        "noted.csv",
        P,
        [dict(zip(P.header, roster_cells(noted, personal=True), strict=True))],
    )

    assert (petition,) == read_roster(again).records
