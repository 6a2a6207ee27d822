"""Rosters of every kind: veterans, survivors, plaque households and assistance cases.

Each kind is read from its own columns, every choice label is accepted, every bad cell is
an error naming its row and column (personal values masked), a workbook is read sheet by
sheet, and the stream behind it all reads one row at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import tracemalloc
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    AssistanceCase,
    Award,
    AwardKind,
    CaseStatus,
    CaseTransition,
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    HukouType,
    Person,
    PersonnelType,
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    PlaqueRecoveryReason,
    Relation,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rosters import (
    DEFAULT_COLUMNS,
    FIELDS,
    PERSONAL_FIELDS,
    REQUIRED_FIELDS,
    ROSTER_ACTOR,
    ROSTER_HEADER,
    ColumnMap,
    RejectedRow,
    RosterKind,
    RosterResult,
    RosterRow,
    detect_kind,
    header_of_kind,
    iter_roster,
    load_column_map,
    load_column_maps,
    read_roster,
    read_workbook,
    roster_cells,
    roster_row,
    synthetic_roster,
    write_rejects,
    write_table,
    write_workbook,
)
from veteran_affairs.rules import RuleBook

VETERANS, SURVIVORS = RosterKind.VETERANS, RosterKind.SURVIVORS
HOUSEHOLDS, CASES = RosterKind.HOUSEHOLDS, RosterKind.CASES


def rid(body: str) -> str:
    """An identity number: 17 digits and their check character."""
    return body + check_character(body)


VETERAN_ID = rid("45031219700101001")
SURVIVOR_ID = rid("45031219500101002")
MARTYR_ID = rid("45031219590101001")
SPOUSE_ID = rid("45031219720101002")
CHILD_ID = rid("45031219950101003")


def cells_of(kind: RosterKind, changes: Mapping[str, str]) -> list[str]:
    """A row under the kind's header: the given cells by header, the others blank."""
    unknown = set(changes) - set(kind.header)
    assert not unknown, unknown
    return [changes.get(header, "") for header in kind.header]


def read(
    folder: Path,
    kind: RosterKind,
    rows: Sequence[Mapping[str, str]],
    *,
    header: Sequence[str] | None = None,
    suffix: str = ".csv",
) -> RosterResult:
    """Rows (header → cell) written under the kind's header (or ``header``) and read back."""
    columns = list(kind.header if header is None else header)
    path = folder / f"{kind.value}{suffix}"
    write_table(path, columns, [[row.get(h, "") for h in columns] for row in rows])
    return read_roster(path)


def columns_of(result: RosterResult) -> list[str | None]:
    return [e.column for e in result.errors]


def only(result: RosterResult) -> object:
    assert result.ok, [str(e) for e in result.errors]
    assert 1 == len(result.records)
    return result.records[0]


# --- one good row of each kind ---------------------------------------------------------------

VETERAN = {
    "姓名": "韦明",
    "公民身份号码": VETERAN_ID,
    "户籍地": "450312",
    "户口性质": "农村",
    "入伍时间": "1988-03-01",
    "退役时间": "1992-12-01",
    "人员类别": "义务兵",
    "退役方式": "自主就业",
    "伤残等级": "一级",
    "伤残性质": "因战",
    "评残时间": "1990-05-01",
    "优抚对象类别": "残疾军人",
    "优抚认定时间": "1990-06-01",
}
SURVIVOR = {
    "姓名": "李秀英",
    "公民身份号码": SURVIVOR_ID,
    "户籍地": "临桂区",
    "户口性质": "农村",
    "与军人关系": "父母",
    "牺牲/病故类别": "烈士",
    "牺牲(病故)时间": "1979-02-20",
}
HOUSEHOLD = {
    "户编号": "450312101-000001",
    "户籍地": "450312101",
    "户主公民身份号码": VETERAN_ID,
}
CASE = {
    "案件编号": "GX-2020-0001",
    "申请人公民身份号码": VETERAN_ID,
    "所在地": "450312",
    "困难类型": "突发事件",
    "事发时间": "2020-06-01",
    "申请时间": "2020-06-03",
}
GOOD = {VETERANS: VETERAN, SURVIVORS: SURVIVOR, HOUSEHOLDS: HOUSEHOLD, CASES: CASE}


# --- kinds, columns and headers ---------------------------------------------------------------


def test_each_kind_names_its_record_key_and_label() -> None:
    table = [
        (kind.value, kind.label_zh, kind.record_type.__name__, kind.key_field)
        for kind in RosterKind
        if not kind.casework  # the registers: tests/test_roster_casework.py
    ]

    assert [
        ("veterans", "退役军人", "Veteran", "resident_id"),
        ("survivors", "遗属", "Survivor", "resident_id"),
        ("households", "光荣牌家庭", "PlaqueHousehold", "household_id"),
        ("cases", "帮扶援助申请", "AssistanceCase", "case_id"),
    ] == table


@pytest.mark.parametrize("kind", list(RosterKind))
def test_each_kind_has_one_canonical_header_per_field(kind: RosterKind) -> None:
    columns = kind.columns

    assert kind.header == tuple(columns.header_of(f) for f in kind.fields)
    assert kind.header == header_of_kind(kind)
    assert kind is columns.kind
    assert kind.required_fields <= set(kind.fields)
    assert kind.personal_fields <= set(kind.fields)
    assert len(set(kind.header)) == len(kind.header)


def test_the_veterans_names_stay_those_of_the_veterans_roster() -> None:
    person = ("姓名", "公民身份号码", "性别", "出生日期", "民族", "联系电话", "户籍地", "户口性质")
    service = ("入伍时间", "退役时间", "人员类别", "退役方式", "士官级别", "伤残等级", "伤残性质")

    assert (*person, *service, "评残时间") == ROSTER_HEADER[:16]
    assert VETERANS.header == ROSTER_HEADER
    assert VETERANS.fields == FIELDS
    assert VETERANS.required_fields == REQUIRED_FIELDS
    assert VETERANS.personal_fields == PERSONAL_FIELDS
    assert VETERANS.columns is DEFAULT_COLUMNS


def test_the_personal_fields_of_every_kind_are_its_names_identity_numbers_and_birth_dates() -> None:
    assert {
        "name",
        "resident_id",
        "phone",
        "birth_date",
        "deceased_id",
    } == SURVIVORS.personal_fields
    assert {"name", "resident_id", "phone", "birth_date"} == VETERANS.personal_fields
    assert {"head", "members", "plaque_member_ids", "disqualified_ids"} == (
        HOUSEHOLDS.personal_fields
    )
    assert {"applicant"} == CASES.personal_fields


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (ROSTER_HEADER, VETERANS),
        (SURVIVORS.header, SURVIVORS),
        (HOUSEHOLDS.header, HOUSEHOLDS),
        (CASES.header, CASES),
        (["序号", "与烈士关系", "牺牲病故类别", "姓名"], SURVIVORS),
        ([" 户号 ", "户主身份证号"], HOUSEHOLDS),
        (["案件号", "困难情形"], CASES),
        (["姓名", "公民身份号码", "备注"], None),
        ([], None),
        (["案件编号", "困难类型", "与军人关系", "牺牲/病故类别"], None),  # two kinds at once
    ],
)
def test_the_kind_of_a_header_is_told_by_its_distinctive_columns(
    header: Sequence[str], expected: RosterKind | None
) -> None:
    assert expected is detect_kind(header)


def test_detection_uses_the_given_column_maps() -> None:
    mapping = CASES.columns.extended({"案号": "case_id", "情形": "cause"})

    assert CASES is detect_kind(["案号", "情形"], {CASES: mapping})
    assert detect_kind(["案号", "情形"]) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("退役军人", VETERANS),
        ("退役军人花名册", VETERANS),
        ("Veterans", VETERANS),
        ("遗属", SURVIVORS),
        ("烈属", SURVIVORS),
        (" 光荣牌家庭 ", HOUSEHOLDS),
        ("光荣牌", HOUSEHOLDS),
        ("帮扶援助", CASES),
        ("困难帮扶", CASES),
        ("cases", CASES),
        ("Sheet1", None),
        ("2021年退役军人", None),
    ],
)
def test_a_sheet_name_selects_a_kind(name: str, expected: RosterKind | None) -> None:
    assert expected is RosterKind.from_sheet_name(name)


def test_a_column_map_knows_only_the_fields_of_its_kind() -> None:
    with pytest.raises(InvalidValue, match="unknown field of a cases roster"):
        ColumnMap(headers={"姓名": "name"}, kind=CASES)
    with pytest.raises(InvalidValue, match="RosterKind"):
        ColumnMap(headers={}, kind="cases")  # type: ignore[arg-type]

    assert CASES is CASES.columns.extended({"案号": "case_id"}).kind


# --- veterans ---------------------------------------------------------------------------------


def test_a_grade_1_combat_disabled_veteran_is_read_with_the_disabled_status_and_is_key(
    tmp_path: Path,
) -> None:
    veteran = only(read(tmp_path, VETERANS, [VETERAN]))
    assert isinstance(veteran, Veteran)
    on = dt.date(2021, 1, 6)

    decision = RuleBook.load("guangxi").evaluate("key_entitled", veteran, on=on)

    expected = EntitlementStatus(
        category=EntitlementCategory.DISABLED_SERVICEMEMBER, since=dt.date(1990, 6, 1)
    )
    assert (expected,) == veteran.statuses
    assert Disability(
        grade=1, nature=DisabilityNature.IN_COMBAT, assessed_on=dt.date(1990, 5, 1)
    ) == (veteran.disability)
    assert decision.eligible


def test_every_column_of_a_veterans_roster_is_read(tmp_path: Path) -> None:
    row = VETERAN | {
        "性别": "男",
        "出生日期": "1970-01-01",
        "民族": "壮族",
        "联系电话": "0773-5551234",
        "精神障碍致残": "否",
        "死亡时间": "2020-03-01",
        "优抚对象类别": "残疾军人、参战参试退役人员/退役军人",
        "优抚认定时间": "1990-06-01、1992-12-01；1992-12-01",
        "优抚终止时间": "、、2020-03-01",
        "立功受奖": "战时三等功、二等功",
        "立功受奖时间": "1989-01-01、1991-08-01",
        "参战": "是",
        "参试": "否",
        "惩处情形": "有期徒刑",
        "惩处起始时间": "2000-01-01",
        "惩处终止时间": "2001-01-01",
        "有劳动能力": "否",
        "集中供养": "否",
        "被开除中国共产党党籍": "否",
        "经鉴定丧失劳动能力": "是",
    }

    veteran = only(read(tmp_path, VETERANS, [row]))

    expected = Veteran(
        person=Person(
            resident_id=ResidentId(VETERAN_ID),
            name="韦明",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
            ethnicity="壮族",
            phone="0773-5551234",
            died_on=dt.date(2020, 3, 1),
        ),
        service=ServiceRecord(
            enlisted_on=dt.date(1988, 3, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=dt.date(1992, 12, 1),
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
            awards=(
                Award(
                    kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=dt.date(1989, 1, 1), wartime=True
                ),
                Award(kind=AwardKind.SECOND_CLASS_MERIT, awarded_on=dt.date(1991, 8, 1)),
            ),
            combat_participant=True,
        ),
        disability=Disability(
            grade=1, nature=DisabilityNature.IN_COMBAT, assessed_on=dt.date(1990, 5, 1)
        ),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.DISABLED_SERVICEMEMBER, since=dt.date(1990, 6, 1)
            ),
            EntitlementStatus(
                category=EntitlementCategory.COMBAT_OR_TEST_VETERAN, since=dt.date(1992, 12, 1)
            ),
            EntitlementStatus(
                category=EntitlementCategory.VETERAN,
                since=dt.date(1992, 12, 1),
                until=dt.date(2020, 3, 1),
            ),
        ),
        circumstances=Circumstances(
            able_to_work=False,
            centrally_supported=False,
            expelled_from_party=False,
            certified_work_incapacity=True,
        ),
        sanctions=(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT,
                since=dt.date(2000, 1, 1),
                until=dt.date(2001, 1, 1),
            ),
        ),
    )
    assert expected == veteran


def test_one_date_applies_to_every_category(tmp_path: Path) -> None:
    row = VETERAN | {"优抚对象类别": "残疾军人，退役军人", "优抚认定时间": "1992年12月1日"}

    veteran = only(read(tmp_path, VETERANS, [row]))

    assert isinstance(veteran, Veteran)
    assert [dt.date(1992, 12, 1)] * 2 == [s.since for s in veteran.statuses]


@pytest.mark.parametrize(
    ("label", "category"),
    [(c.label_zh, c) for c in EntitlementCategory]
    + [
        ("烈属", EntitlementCategory.MARTYR_SURVIVOR),
        ("军属", EntitlementCategory.MILITARY_FAMILY),
        ("伤残军人", EntitlementCategory.DISABLED_SERVICEMEMBER),
        ("农村籍退役士兵", EntitlementCategory.RURAL_VETERAN_OVER_60),
        ("veteran", EntitlementCategory.VETERAN),
    ],
)
def test_every_entitlement_category_label_is_read(
    tmp_path: Path, label: str, category: EntitlementCategory
) -> None:
    veteran = only(read(tmp_path, VETERANS, [VETERAN | {"优抚对象类别": label}]))

    assert isinstance(veteran, Veteran)
    assert [category] == [s.category for s in veteran.statuses]


@pytest.mark.parametrize(
    ("label", "kind"),
    [(k.label_zh, k) for k in SanctionKind]
    + [
        ("有期徒刑", SanctionKind.FIXED_TERM_IMPRISONMENT),
        ("开除军籍", SanctionKind.EXPULSION_FROM_ARMY),
    ],
)
def test_every_sanction_label_is_read(tmp_path: Path, label: str, kind: SanctionKind) -> None:
    row = VETERAN | {"惩处情形": label, "惩处起始时间": "2000-01-01"}

    veteran = only(read(tmp_path, VETERANS, [row]))

    assert isinstance(veteran, Veteran)
    assert (Sanction(kind=kind, since=dt.date(2000, 1, 1)),) == veteran.sanctions


@pytest.mark.parametrize("kind", list(AwardKind))
@pytest.mark.parametrize("prefix", ["", "战时", "平时"])
def test_every_award_label_is_read_with_its_wartime_mark(
    tmp_path: Path, kind: AwardKind, prefix: str
) -> None:
    row = VETERAN | {"立功受奖": prefix + kind.label_zh, "立功受奖时间": "1989-01-01"}

    veteran = only(read(tmp_path, VETERANS, [row]))

    assert isinstance(veteran, Veteran)
    expected = Award(kind=kind, awarded_on=dt.date(1989, 1, 1), wartime=prefix == "战时")
    assert (expected,) == veteran.service.awards


@pytest.mark.parametrize(
    ("answer", "fact"),
    [("是", True), ("否", False), ("", None), ("Y", True), ("无", False), ("√", True)],
)
def test_every_circumstance_is_yes_no_or_unknown(tmp_path: Path, answer: str, fact: bool) -> None:
    facts = Circumstances.__attrs_attrs__
    row = VETERAN | {VETERANS.columns.header_of(a.name): answer for a in facts}

    veteran = only(read(tmp_path, VETERANS, [row]))

    assert isinstance(veteran, Veteran)
    assert [fact] * len(facts) == [getattr(veteran.circumstances, a.name) for a in facts]


def test_a_mental_disorder_goes_with_the_disability(tmp_path: Path) -> None:
    veteran = only(read(tmp_path, VETERANS, [VETERAN | {"精神障碍致残": "是"}]))
    assert isinstance(veteran, Veteran)
    assert veteran.disability is not None
    assert veteran.disability.mental_disorder

    alone = VETERAN | {"伤残等级": "", "伤残性质": "", "评残时间": "", "精神障碍致残": "是"}
    alone |= {"优抚对象类别": "", "优抚认定时间": ""}
    assert ["精神障碍致残"] == columns_of(read(tmp_path, VETERANS, [alone]))


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"优抚认定时间": ""}, "优抚认定时间", "required when 优抚对象类别 is filled"),
        ({"优抚对象类别": "", "优抚认定时间": "2000-01-01"}, "优抚认定时间", "given without"),
        (
            {"优抚对象类别": "残疾军人、退役军人、烈属", "优抚认定时间": "2000-01-01、2001-01-01"},
            "优抚认定时间",
            "2 entries, but 优抚对象类别 has 3",
        ),
        ({"优抚对象类别": "伤兵"}, "优抚对象类别", "entry 1: unknown entitlement category"),
        ({"优抚对象类别": "残疾军人、"}, "优抚对象类别", "entry 2 is blank"),
        ({"优抚终止时间": "1989-01-01"}, "优抚终止时间", "entry 1: until must be on or after"),
        ({"优抚认定时间": "1960-01-01"}, "优抚认定时间", "a status cannot begin before"),
        ({"死亡时间": "1991-01-01"}, "死亡时间", "died before discharge"),
        ({"惩处情形": "罚款", "惩处起始时间": "2000-01-01"}, "惩处情形", "unknown sanction"),
        ({"惩处情形": "通缉", "惩处起始时间": "2099-01-01"}, "惩处起始时间", "in the future"),
        ({"惩处情形": "通缉"}, "惩处起始时间", "required when 惩处情形"),
        ({"立功受奖": "一等功", "立功受奖时间": "1995-01-01"}, "立功受奖时间", "within the period"),
        ({"参战": "也许"}, "参战", "unknown yes/no answer"),
        ({"集中供养": "2"}, "集中供养", "unknown yes/no answer"),
        ({"优抚认定时间": "1990/6"}, "优抚认定时间", "entry 1: a full date is needed"),
    ],
)
def test_a_bad_new_veterans_cell_names_its_column(
    tmp_path: Path, changes: dict[str, str], column: str, reason: str
) -> None:
    result = read(tmp_path, VETERANS, [VETERAN | changes])

    assert [column] == columns_of(result)
    assert reason in result.errors[0].reason
    assert result.errors[0].reason_zh


def test_a_companion_list_column_the_file_lacks_is_named_on_the_row(tmp_path: Path) -> None:
    header = [h for h in ROSTER_HEADER if h != "优抚认定时间"]

    result = read(tmp_path, VETERANS, [VETERAN], header=header)

    assert [(2, None)] == [(e.row, e.column) for e in result.errors]
    assert "no column 优抚认定时间" in result.errors[0].reason


def test_an_old_veterans_roster_without_the_new_columns_reads_as_before(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(20, seed=5)
    old = list(header[:16])
    path = tmp_path / "old.csv"
    write_table(path, old, [row[:16] for row in rows])

    result = read_roster(path)

    assert (True, 20) == (result.ok, len(result.rows))
    assert all(v.statuses == () and v.circumstances == Circumstances() for v in result.veterans)


# --- survivors --------------------------------------------------------------------------------


def test_every_column_of_a_survivors_roster_is_read(tmp_path: Path) -> None:
    row = SURVIVOR | {
        "性别": "女",
        "出生日期": "1950-01-01",
        "民族": "瑶族",
        "联系电话": "13812345678",
        "死亡时间": "2020-01-01",
        "军人公民身份号码": MARTYR_ID,
        "优抚对象类别": "烈士遗属",
        "优抚认定时间": "1979-06-01",
        "优抚终止时间": "2020-01-01",
        "惩处情形": "被剥夺政治权利",
        "惩处起始时间": "2005-01-01",
        "有劳动能力": "否",
        "有生活费来源": "否",
        "由该军人生前供养": "是",
    }

    survivor = only(read(tmp_path, SURVIVORS, [row]))

    expected = Survivor(
        person=Person(
            resident_id=ResidentId(SURVIVOR_ID),
            name="李秀英",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
            ethnicity="瑶族",
            phone="13812345678",
            died_on=dt.date(2020, 1, 1),
        ),
        relation=Relation.PARENT,
        death_category=DeathCategory.MARTYR,
        deceased_on=dt.date(1979, 2, 20),
        deceased_id=ResidentId(MARTYR_ID),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.MARTYR_SURVIVOR,
                since=dt.date(1979, 6, 1),
                until=dt.date(2020, 1, 1),
            ),
        ),
        circumstances=Circumstances(
            able_to_work=False, has_means_of_support=False, supported_by_deceased=True
        ),
        sanctions=(
            Sanction(kind=SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS, since=dt.date(2005, 1, 1)),
        ),
    )
    assert expected == survivor


@pytest.mark.parametrize(
    ("label", "relation"),
    [(r.label_zh, r) for r in Relation]
    + [
        ("父母(抚养人)", Relation.PARENT),
        ("母亲", Relation.PARENT),
        ("妻子", Relation.SPOUSE),
        ("儿子", Relation.CHILD),
        ("姐妹", Relation.SIBLING),
        ("spouse", Relation.SPOUSE),
    ],
)
def test_every_relation_label_is_read(tmp_path: Path, label: str, relation: Relation) -> None:
    survivor = only(read(tmp_path, SURVIVORS, [SURVIVOR | {"与军人关系": label}]))

    assert isinstance(survivor, Survivor)
    assert relation is survivor.relation


@pytest.mark.parametrize(
    ("label", "category"),
    [(d.label_zh, d) for d in DeathCategory]
    + [("因公牺牲", DeathCategory.DUTY_DEATH), ("病故", DeathCategory.ILLNESS_DEATH)],
)
def test_every_death_category_label_is_read(
    tmp_path: Path, label: str, category: DeathCategory
) -> None:
    survivor = only(read(tmp_path, SURVIVORS, [SURVIVOR | {"牺牲/病故类别": label}]))

    assert isinstance(survivor, Survivor)
    assert category is survivor.death_category


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"优抚对象类别": "病故军人遗属", "优抚认定时间": "1980-01-01"},
            "优抚对象类别",
            "holds martyr",
        ),
        (
            {"优抚对象类别": "烈属", "优抚认定时间": "1979-01-01"},
            "优抚认定时间",
            "before the death",
        ),
        ({"军人公民身份号码": SURVIVOR_ID}, "军人公民身份号码", "cannot be the deceased"),
        ({"死亡时间": "1975-01-01"}, "死亡时间", "died before the member"),
        ({"与军人关系": "邻居"}, "与军人关系", "unknown relation"),
        ({"牺牲/病故类别": "失踪"}, "牺牲/病故类别", "unknown death category"),
        ({"牺牲(病故)时间": "2099-01-01"}, "牺牲(病故)时间", "in the future"),
        ({"牺牲(病故)时间": ""}, "牺牲(病故)时间", "required, but blank"),
    ],
)
def test_a_bad_survivors_cell_names_its_column(
    tmp_path: Path, changes: dict[str, str], column: str, reason: str
) -> None:
    result = read(tmp_path, SURVIVORS, [SURVIVOR | changes])

    assert [column] == columns_of(result)
    assert reason in result.errors[0].reason


def test_the_deceased_members_identity_number_is_masked_in_errors(tmp_path: Path) -> None:
    bad = MARTYR_ID[:-1] + ("0" if MARTYR_ID[-1] != "0" else "1")

    result = read(tmp_path, SURVIVORS, [SURVIVOR | {"军人公民身份号码": bad}])

    assert [("军人公民身份号码", bad[:6] + "********" + bad[-4:])] == [
        (e.column, e.value) for e in result.errors
    ]


def test_a_survivors_roster_lacking_its_required_columns_says_which(tmp_path: Path) -> None:
    header = [h for h in SURVIVORS.header if h not in ("与军人关系", "牺牲(病故)时间")]

    result = read_roster(_written(tmp_path / "s.csv", header, []), kind=SURVIVORS)

    assert [(1, "与军人关系"), (1, "牺牲(病故)时间")] == [(e.row, e.column) for e in result.errors]


# --- households -------------------------------------------------------------------------------


def test_every_column_of_a_households_roster_is_read(tmp_path: Path) -> None:
    row = HOUSEHOLD | {
        "户内成员公民身份号码": f"{VETERAN_ID}、{SPOUSE_ID}、{CHILD_ID}",
        "申请时间": "2019-06-01",
        "挂牌时间": "2019-07-20",
        "收回时间": "2021-03-01",
        "收回原因": "受到刑事处罚",
        "光荣牌对象公民身份号码": f"{VETERAN_ID}、{MARTYR_ID}",
        "光荣牌对象类别": "退役军人、烈士",
        "光荣牌对象起始时间": "1992-12-01、1979-02-20",
        "光荣牌对象死亡时间": "、1979-02-20",
        "持有证明书": "是、",
        "收回情形人员公民身份号码": CHILD_ID,
        "收回情形": "受到刑事处罚",
        "收回情形发生时间": "2021-02-01",
    }

    household = only(read(tmp_path, HOUSEHOLDS, [row]))

    expected = PlaqueHousehold(
        household=Household(
            household_id="450312101-000001",
            hukou_division=DivisionCode("450312101"),
            head=ResidentId(VETERAN_ID),
            members=(ResidentId(VETERAN_ID), ResidentId(SPOUSE_ID), ResidentId(CHILD_ID)),
            plaque=PlaqueRecord(
                hung_on=dt.date(2019, 7, 20),
                recovered_on=dt.date(2021, 3, 1),
                recovery_reason=PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
            ),
        ),
        members=(
            PlaqueMember(
                resident_id=ResidentId(VETERAN_ID),
                basis=PlaqueBasis.VETERAN,
                since=dt.date(1992, 12, 1),
                certificate_holder=True,
            ),
            PlaqueMember(
                resident_id=ResidentId(MARTYR_ID),
                basis=PlaqueBasis.MARTYR,
                since=dt.date(1979, 2, 20),
                died_on=dt.date(1979, 2, 20),
            ),
        ),
        disqualifications=(
            PlaqueDisqualification(
                resident_id=ResidentId(CHILD_ID),
                kind=PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
                on=dt.date(2021, 2, 1),
            ),
        ),
        applied_on=dt.date(2019, 6, 1),
    )
    assert expected == household


def test_a_household_without_a_members_cell_is_its_head_alone(tmp_path: Path) -> None:
    household = only(read(tmp_path, HOUSEHOLDS, [HOUSEHOLD]))

    assert isinstance(household, PlaqueHousehold)
    assert (ResidentId(VETERAN_ID),) == household.household.members
    assert household.household.plaque is None


@pytest.mark.parametrize(
    ("label", "basis"),
    [(b.label_zh, b) for b in PlaqueBasis]
    + [("因公牺牲", PlaqueBasis.DUTY_DEATH), ("病故", PlaqueBasis.ILLNESS_DEATH)],
)
def test_every_plaque_basis_label_is_read(tmp_path: Path, label: str, basis: PlaqueBasis) -> None:
    row = HOUSEHOLD | {
        "光荣牌对象公民身份号码": MARTYR_ID,
        "光荣牌对象类别": label,
        "光荣牌对象起始时间": "1979-02-20",
        "光荣牌对象死亡时间": "1979-02-20",
    }

    household = only(read(tmp_path, HOUSEHOLDS, [row]))

    assert isinstance(household, PlaqueHousehold)
    assert [basis] == [m.basis for m in household.members]


@pytest.mark.parametrize(
    ("label", "reason"),
    [(r.label_zh, r) for r in PlaqueRecoveryReason if "、" not in r.label_zh]
    + [
        ("除名或开除军籍", PlaqueRecoveryReason.EXPULSION),
        ("开除军籍", PlaqueRecoveryReason.EXPULSION),
        ("刑事处罚", PlaqueRecoveryReason.CRIMINAL_PUNISHMENT),
        ("治安管理处罚", PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY),
        ("不再符合条件", PlaqueRecoveryReason.NO_LONGER_ELIGIBLE),
    ],
)
def test_every_recovery_reason_label_is_read(
    tmp_path: Path, label: str, reason: PlaqueRecoveryReason
) -> None:
    row = HOUSEHOLD | {"挂牌时间": "2019-07-20", "收回时间": "2021-03-01", "收回原因": label}

    household = only(read(tmp_path, HOUSEHOLDS, [row]))

    assert isinstance(household, PlaqueHousehold)
    assert household.household.plaque is not None
    assert reason is household.household.plaque.recovery_reason


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"户内成员公民身份号码": SPOUSE_ID}, "户内成员公民身份号码", "must be one of its members"),
        (
            {"户内成员公民身份号码": f"{VETERAN_ID}、{VETERAN_ID}"},
            "户内成员公民身份号码",
            "listed twice",
        ),
        ({"户内成员公民身份号码": f"{VETERAN_ID}、12345"}, "户内成员公民身份号码", "entry 2:"),
        ({"收回时间": "2021-03-01"}, "收回时间", "only after it was hung"),
        ({"收回原因": "刑事处罚"}, "收回原因", "only after it was hung"),
        ({"挂牌时间": "2019-07-20", "收回时间": "2021-03-01"}, "收回原因", "both its date and"),
        (
            {"挂牌时间": "2019-07-20", "收回时间": "2018-03-01", "收回原因": "刑事处罚"},
            "收回时间",
            "on or after hung_on",
        ),
        (
            {
                "光荣牌对象公民身份号码": MARTYR_ID,
                "光荣牌对象类别": "烈士",
                "光荣牌对象起始时间": "1979-02-20",
            },
            "光荣牌对象死亡时间",
            "entry 1: a martyr",
        ),
        (
            {
                "光荣牌对象公民身份号码": f"{VETERAN_ID}、{SPOUSE_ID}",
                "光荣牌对象类别": "退役军人",
                "光荣牌对象起始时间": "1992-12-01",
            },
            None,
            None,
        ),
        (
            {
                "光荣牌对象公民身份号码": f"{VETERAN_ID}、{SPOUSE_ID}、{CHILD_ID}",
                "光荣牌对象类别": "退役军人、现役军人",
                "光荣牌对象起始时间": "1992-12-01",
            },
            "光荣牌对象类别",
            "2 entries, but 光荣牌对象公民身份号码 has 3",
        ),
        ({"光荣牌对象类别": "退役军人"}, "光荣牌对象类别", "given without"),
        (
            {
                "收回情形人员公民身份号码": CHILD_ID,
                "收回情形": "不再符合条件",
                "收回情形发生时间": "2021-02-01",
            },
            "收回情形",
            "not a conduct",
        ),
        (
            {
                "收回情形人员公民身份号码": CHILD_ID,
                "收回情形": "刑事处罚",
                "收回情形发生时间": "2021-02-01",
                "恢复悬挂时间": "2022-01-01",
            },
            "恢复悬挂时间",
            "only a public-security penalty",
        ),
        ({"户编号": "x" * 65}, "户编号", "longer than 64"),
    ],
)
def test_a_bad_households_cell_names_its_column(
    tmp_path: Path, changes: dict[str, str], column: str | None, reason: str | None
) -> None:
    result = read(tmp_path, HOUSEHOLDS, [HOUSEHOLD | changes])

    if column is None:  # one basis for every member: fine
        assert result.ok, [str(e) for e in result.errors]
        return
    assert [column] == columns_of(result)
    assert reason is not None
    assert reason in result.errors[0].reason


def test_identity_numbers_in_a_households_list_are_masked_one_by_one(tmp_path: Path) -> None:
    bad = SPOUSE_ID[:-1] + ("0" if SPOUSE_ID[-1] != "0" else "1")

    result = read(
        tmp_path, HOUSEHOLDS, [HOUSEHOLD | {"户内成员公民身份号码": f"{VETERAN_ID}、{bad}"}]
    )

    shown = result.errors[0].value
    assert f"{VETERAN_ID[:6]}********{VETERAN_ID[-4:]}、{bad[:6]}********{bad[-4:]}" == shown
    assert "entry 2: check character does not match" == result.errors[0].reason


def test_a_household_number_repeated_in_the_file_is_an_error_of_the_later_row(
    tmp_path: Path,
) -> None:
    other = HOUSEHOLD | {"户主公民身份号码": SPOUSE_ID}

    result = read(tmp_path, HOUSEHOLDS, [HOUSEHOLD, other])

    assert [(3, "户编号")] == [(e.row, e.column) for e in result.errors]
    assert "already in row 2" in result.errors[0].reason


# --- assistance cases -------------------------------------------------------------------------

FULL_CASE = CASE | {
    "申请金额": "8,000.00",
    "审批金额": "5000.50",
    "乡镇审核时间": "2020-06-05",
    "县级审批时间": "2020-06-10",
    "公示时间": "2020-06-12",
    "发放时间": "2020-06-20",
    "资金来源": "财政预算、关爱基金",
    "资金金额": "3000；2000.50",
}


def test_every_column_of_a_cases_roster_is_read(tmp_path: Path) -> None:
    case = only(read(tmp_path, CASES, [FULL_CASE]))

    steps = [
        (CaseStatus.APPLIED, dt.date(2020, 6, 3)),
        (CaseStatus.TOWNSHIP_REVIEWED, dt.date(2020, 6, 5)),
        (CaseStatus.COUNTY_APPROVED, dt.date(2020, 6, 10)),
        (CaseStatus.PUBLICISED, dt.date(2020, 6, 12)),
        (CaseStatus.PAID, dt.date(2020, 6, 20)),
    ]
    history: list[CaseTransition] = []
    for status, on in steps:
        before = history[-1].to_status if history else None
        history.append(
            CaseTransition(to_status=status, on=on, actor=ROSTER_ACTOR, from_status=before)
        )
    expected = AssistanceCase(
        case_id="GX-2020-0001",
        applicant=ResidentId(VETERAN_ID),
        division=DivisionCode("450312"),
        cause=HardshipCause.SUDDEN_EVENT,
        incident_on=dt.date(2020, 6, 1),
        history=tuple(history),
        requested_amount=Decimal("8000"),
        approved_amount=Decimal("5000.50"),
        funding=(
            FundingAllocation(source=FundingSource.BUDGET, amount=Decimal("3000")),
            FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=Decimal("2000.50")),
        ),
    )
    assert expected == case
    assert "roster import" == ROSTER_ACTOR


@pytest.mark.parametrize(
    ("milestones", "status"),
    [
        ({}, CaseStatus.APPLIED),
        ({"不予批准时间": "2020-06-04"}, CaseStatus.REJECTED),
        ({"撤回时间": "2020-06-04"}, CaseStatus.WITHDRAWN),
        ({"乡镇审核时间": "2020-06-05", "不予批准时间": "2020-06-08"}, CaseStatus.REJECTED),
        (
            {
                "乡镇审核时间": "2020-06-05",
                "县级审批时间": "2020-06-05",
                "公示时间": "2020-06-06",
                "不予批准时间": "2020-06-09",
                "审批金额": "100",
            },
            CaseStatus.REJECTED,
        ),
    ],
)
def test_a_cases_history_is_built_from_the_filled_milestones_only(
    tmp_path: Path, milestones: dict[str, str], status: CaseStatus
) -> None:
    case = only(read(tmp_path, CASES, [CASE | milestones]))

    assert isinstance(case, AssistanceCase)
    assert status is case.status
    assert len(case.history) == 1 + len([k for k in milestones if k.endswith("时间")])
    assert {ROSTER_ACTOR} == {step.actor for step in case.history}


@pytest.mark.parametrize(
    ("label", "cause"),
    [(c.label_zh, c) for c in HardshipCause]
    + [("因公致残或重大疾病", HardshipCause.DISABILITY_OR_ILLNESS), ("其他", HardshipCause.OTHER)],
)
def test_every_hardship_cause_label_is_read(
    tmp_path: Path, label: str, cause: HardshipCause
) -> None:
    case = only(read(tmp_path, CASES, [CASE | {"困难类型": label}]))

    assert isinstance(case, AssistanceCase)
    assert cause is case.cause


@pytest.mark.parametrize(
    ("label", "source"),
    [(f.label_zh, f) for f in FundingSource]
    + [("退役军人关爱基金会", FundingSource.CARE_FOUNDATION)],
)
def test_every_funding_source_label_is_read(
    tmp_path: Path, label: str, source: FundingSource
) -> None:
    row = CASE | {"乡镇审核时间": "2020-06-05", "县级审批时间": "2020-06-10", "审批金额": "100"}

    case = only(read(tmp_path, CASES, [row | {"资金来源": label, "资金金额": "100"}]))

    assert isinstance(case, AssistanceCase)
    assert (FundingAllocation(source=source, amount=Decimal("100")),) == case.funding


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("8080.83", "8080.83"),
        ("12,000", "12000"),
        ("1,234,567.5", "1234567.50"),
        ("1200元", "1200"),
        ("￥50", "50"),
        ("０.５", "0.50"),
        (".5", "0.50"),
    ],
)
def test_amounts_are_read_to_the_fen(tmp_path: Path, text: str, amount: str) -> None:
    case = only(read(tmp_path, CASES, [CASE | {"申请金额": text}]))

    assert isinstance(case, AssistanceCase)
    assert Decimal(amount) == case.requested_amount
    assert -2 == case.requested_amount.as_tuple().exponent


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0.125", "to the fen"),
        ("12.001", "to the fen"),
        ("-5", "not an amount"),
        ("五百", "not an amount"),
        ("1E+3", "not an amount"),
        ("12,00", "not an amount"),
        ("NaN", "not an amount"),
    ],
)
def test_a_bad_amount_is_refused(tmp_path: Path, text: str, reason: str) -> None:
    result = read(tmp_path, CASES, [CASE | {"申请金额": text}])

    assert ["申请金额"] == columns_of(result)
    assert reason in result.errors[0].reason


def test_an_excel_number_amount_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(CASES.header))
    row: list[object] = list(cells_of(CASES, CASE))
    row[CASES.header.index("申请金额")] = 0.1 + 2183.23  # 2183.3300000000004 in binary
    sheet.append(row)
    path = tmp_path / "amount.xlsx"
    book.save(path)

    case = only(read_roster(path))

    assert isinstance(case, AssistanceCase)
    assert Decimal("2183.33") == case.requested_amount


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"县级审批时间": "2020-06-10", "审批金额": "1"},
            "县级审批时间",
            "县级审批 cannot follow 申请",
        ),
        ({"乡镇审核时间": "2020-06-02"}, "乡镇审核时间", "dated before 申请时间"),
        (
            {"不予批准时间": "2020-06-04", "撤回时间": "2020-06-05"},
            "撤回时间",
            "撤回 cannot follow 不予批准",
        ),
        ({"发放时间": "2020-06-20"}, "发放时间", "发放 cannot follow 申请"),
        (
            {"乡镇审核时间": "2020-06-05", "县级审批时间": "2020-06-10"},
            "审批金额",
            "required when 县级审批时间",
        ),
        ({"审批金额": "100"}, "审批金额", "goes with county approval"),
        ({"资金来源": "财政预算", "资金金额": "10"}, "资金来源", "goes with county approval"),
        (
            {
                "乡镇审核时间": "2020-06-05",
                "县级审批时间": "2020-06-10",
                "审批金额": "100",
                "资金来源": "财政预算、社会捐赠",
                "资金金额": "60；50",
            },
            "资金金额",
            "exceeds",
        ),
        (
            {
                "乡镇审核时间": "2020-06-05",
                "县级审批时间": "2020-06-10",
                "审批金额": "100",
                "资金来源": "财政预算、社会捐赠",
                "资金金额": "60",
            },
            "资金金额",
            "its own amount",
        ),
        ({"资金金额": "60"}, "资金金额", "given without 资金来源"),
        ({"申请时间": "2020-05-01"}, "申请时间", "cannot precede the incident"),
        ({"申请时间": "2099-01-01"}, "申请时间", "in the future"),
        ({"困难类型": "没钱"}, "困难类型", "unknown hardship cause"),
        ({"所在地": "450399"}, "所在地", "unknown division"),
        ({"申请时间": ""}, "申请时间", "required, but blank"),
    ],
)
def test_a_bad_cases_cell_names_its_column(
    tmp_path: Path, changes: dict[str, str], column: str, reason: str
) -> None:
    result = read(tmp_path, CASES, [CASE | changes])

    assert [column] == columns_of(result)
    assert reason in result.errors[0].reason


def test_the_applicants_identity_number_is_masked_and_a_case_number_may_not_repeat(
    tmp_path: Path,
) -> None:
    bad = VETERAN_ID[:-1] + ("0" if VETERAN_ID[-1] != "0" else "1")

    other = CASE | {"案件编号": "GX-2020-0002", "申请人公民身份号码": bad}

    result = read(tmp_path, CASES, [CASE, other, CASE])

    assert [(3, "申请人公民身份号码"), (4, "案件编号")] == [
        (e.row, e.column) for e in result.errors
    ]
    assert bad not in str(result.errors[0])
    assert "already in row 2" in result.errors[1].reason


# --- writing every kind back ------------------------------------------------------------------


@pytest.mark.parametrize("kind", [kind for kind in RosterKind if not kind.casework])
def test_a_record_of_every_kind_written_and_read_back_is_equal(
    tmp_path: Path, kind: RosterKind
) -> None:
    rows = {VETERANS: VETERAN, SURVIVORS: SURVIVOR, HOUSEHOLDS: HOUSEHOLD, CASES: FULL_CASE}
    record = only(read(tmp_path, kind, [rows[kind]]))
    assert isinstance(record, Veteran | Survivor | PlaqueHousehold | AssistanceCase)
    typed, text = tmp_path / "typed.xlsx", tmp_path / "text.csv"

    write_table(typed, kind.header, [roster_row(record, personal=True)])
    write_table(text, kind.header, [roster_cells(record, personal=True)])

    assert (record,) == read_roster(typed).records == read_roster(text).records


def test_an_export_row_masks_the_identity_numbers_of_every_kind(tmp_path: Path) -> None:
    row = HOUSEHOLD | {"户内成员公民身份号码": f"{VETERAN_ID}、{SPOUSE_ID}"}
    household = only(read(tmp_path, HOUSEHOLDS, [row]))
    case = only(read(tmp_path, CASES, [CASE]))
    assert isinstance(household, PlaqueHousehold)
    assert isinstance(case, AssistanceCase)

    shown = " ".join([*roster_cells(household), *roster_cells(case)])

    assert [] == [n for n in (VETERAN_ID, SPOUSE_ID) if n in shown]
    assert f"{VETERAN_ID[:6]}********{VETERAN_ID[-4:]}" in shown


def test_an_export_row_is_only_for_records_of_a_roster() -> None:
    with pytest.raises(TypeError, match="no roster holds a str"):
        roster_row("韦明")  # type: ignore[arg-type]


# --- results of other kinds -------------------------------------------------------------------


def test_a_non_veterans_result_gives_records_not_veterans(tmp_path: Path) -> None:
    result = read(tmp_path, SURVIVORS, [SURVIVOR])

    assert SURVIVORS is result.kind
    assert isinstance(result.records[0], Survivor)
    assert "kind='survivors'" in repr(result)
    with pytest.raises(TypeError, match=r"use \.records"):
        _ = result.veterans
    with pytest.raises(TypeError, match=r"use \.record"):
        _ = result.rows[0].veteran


def test_a_kind_or_map_forces_how_a_file_is_read(tmp_path: Path) -> None:
    path = _written(tmp_path / "s.csv", SURVIVORS.header, [cells_of(SURVIVORS, SURVIVOR)])

    assert SURVIVORS is read_roster(path).kind
    assert [(1, "入伍时间")] == [
        (e.row, e.column) for e in read_roster(path, DEFAULT_COLUMNS).errors
    ][:1]
    assert VETERANS is read_roster(path, kind=VETERANS).kind
    with pytest.raises(InvalidValue, match="a column map of a veterans roster"):
        read_roster(path, DEFAULT_COLUMNS, kind=SURVIVORS)


def test_the_rejects_file_of_a_households_roster_masks_its_lists(tmp_path: Path) -> None:
    row = HOUSEHOLD | {"户内成员公民身份号码": SPOUSE_ID}  # the head is not a member
    result = read(tmp_path, HOUSEHOLDS, [row])
    rejects = tmp_path / "rejects.csv"

    write_rejects(rejects, result, mask_personal=True)

    text = rejects.read_text(encoding="utf-8-sig")
    assert [] == [n for n in (VETERAN_ID, SPOUSE_ID) if n in text]
    with open(rejects, encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert ["行号", *HOUSEHOLDS.header, "错误原因"] == table[0]


# --- column maps for every kind ---------------------------------------------------------------


def test_a_toml_file_gives_headers_for_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "columns.toml"
    path.write_text(
        '[columns]\n"证件号码" = "resident_id"\n\n'
        '[columns.survivors]\n"烈士关系" = "relation"\n\n'
        '[columns.cases]\n"案号" = "case_id"\n',
        encoding="utf-8",
    )

    maps = load_column_maps(path)

    assert "resident_id" == load_column_map(path).field_of("证件号码")
    assert "relation" == load_column_map(path, base=SURVIVORS.columns).field_of("烈士关系")
    assert load_column_map(path, base=SURVIVORS.columns).field_of("证件号码") is None
    assert list(RosterKind) == list(maps)
    assert ("案号", CASES) == (maps[CASES].header_of("case_id"), maps[CASES].kind)
    assert HOUSEHOLDS.columns == maps[HOUSEHOLDS]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[columns.soldiers]\n"x" = "name"\n', "unknown kind of roster"),
        ('[columns.cases]\n"姓名" = "name"\n', "unknown field of a cases roster"),
        ("[columns.cases]\nx = 1\n", "[columns]"),
    ],
)
def test_a_bad_table_of_another_kind_is_refused(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidValue) as raised:
        load_column_maps(path)

    assert reason in raised.value.reason


# --- a workbook of four sheets ------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A workbook with one sheet per kind, an empty sheet, an unknown one, one told by header."""
    path = tmp_path / "county.xlsx"
    other_case = CASE | {"案件编号": "GX-2020-0002"}
    write_workbook(
        path,
        {
            "退役军人": (ROSTER_HEADER, [cells_of(VETERANS, VETERAN)]),
            "遗属": (SURVIVORS.header, [cells_of(SURVIVORS, SURVIVOR)]),
            "空白": ([""], []),
            "光荣牌家庭": (HOUSEHOLDS.header, [cells_of(HOUSEHOLDS, HOUSEHOLD)]),
            "帮扶援助": (CASES.header, [cells_of(CASES, CASE), cells_of(CASES, FULL_CASE)]),
            "名单": (CASES.header, [cells_of(CASES, other_case)]),
            "备忘": (["事项", "备注"], [["八一走访", "已完成"]]),
        },
    )
    return path


def test_a_workbook_is_read_sheet_by_sheet_each_as_its_kind(workbook: Path) -> None:
    results = read_workbook(workbook)

    summary = [(r.sheet, r.kind, len(r.rows), r.rejected_rows) for r in results]
    assert [
        ("退役军人", VETERANS, 1, ()),
        ("遗属", SURVIVORS, 1, ()),
        ("光荣牌家庭", HOUSEHOLDS, 1, ()),
        ("帮扶援助", CASES, 1, (3,)),  # the same case number twice
        ("名单", CASES, 1, ()),  # told by its header
        ("备忘", VETERANS, 0, (1,)),  # neither name nor header: an error, not left out
    ] == summary
    assert isinstance(results[0].records[0], Veteran)
    assert isinstance(results[2].records[0], PlaqueHousehold)
    assert "neither the sheet's name nor its header" in results[-1].errors[0].reason
    assert {str(workbook)} == {r.source for r in results}


def test_a_workbook_can_be_read_with_maps_of_other_headers(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    header = ["案号" if h == "案件编号" else h for h in CASES.header]
    write_workbook(path, {"Sheet1": (header, [cells_of(CASES, CASE)])})
    mapping = CASES.columns.extended({"案号": "case_id"})

    (plain,) = read_workbook(path)
    (mapped,) = read_workbook(path, columns={CASES: mapping})

    assert plain.kind is VETERANS
    assert not plain.ok
    assert (CASES, True) == (mapped.kind, mapped.ok)
    with pytest.raises(InvalidValue):
        read_workbook(path, columns={SURVIVORS: mapping})


def test_a_csv_file_is_a_workbook_of_one_roster(tmp_path: Path) -> None:
    path = _written(tmp_path / "cases.csv", CASES.header, [cells_of(CASES, CASE)])

    results = read_workbook(path)

    assert [(None, CASES, 1)] == [(r.sheet, r.kind, len(r.rows)) for r in results]


def test_a_sheet_with_rows_under_a_blank_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "blank-header.xlsx"
    write_workbook(path, {"遗属": ([""], [cells_of(SURVIVORS, SURVIVOR)])})

    (result,) = read_workbook(path)

    assert [(1, None)] == [(e.row, e.column) for e in result.errors]
    assert "no header row" in result.errors[0].reason


def test_write_workbook_refuses_what_excel_would(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"\.xlsx"):
        write_workbook(tmp_path / "a.csv", {"a": (["x"], [])})
    with pytest.raises(InvalidValue, match="needs a sheet"):
        write_workbook(tmp_path / "a.xlsx", {})
    with pytest.raises(InvalidValue, match="31 characters"):
        write_workbook(tmp_path / "a.xlsx", {"a/b": (["x"], [])})


# --- the stream ---------------------------------------------------------------------------------


def test_a_stream_reads_no_further_than_the_row_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, rows, _ = synthetic_roster(50, seed=3)
    pulled: list[int] = []

    def counted(_path: object, _sheet: object = None) -> Iterator[tuple[str, ...]]:
        for number, row in enumerate([header, *rows], start=1):
            pulled.append(number)
            yield tuple(row)

    monkeypatch.setattr("veteran_affairs.rosters._reader.iter_rows", counted)
    stream = iter_roster(tmp_path / "any.csv")
    assert [1] == pulled  # the header only

    first, second = next(stream), next(stream)

    assert [1, 2, 3] == pulled
    assert (2, 3) == (first.row, second.row)
    assert 2 == stream.rows_read
    stream.close()
    assert [] == list(stream)


def test_a_stream_holds_one_row_at_a_time(tmp_path: Path) -> None:
    paths = []
    for n in (2_000, 6_000):
        header, rows, _ = synthetic_roster(n, seed=7)
        paths.append(_written(tmp_path / f"roster-{n}.csv", header, rows))
    read_roster(paths[0])  # the bundled division data, loaded once

    def peak(path: Path, *, keep: bool) -> int:
        """The peak memory of reading the rows (after the stream is open: the encoding is
        chosen then, in blocks of a fixed size)."""
        gc.collect()
        tracemalloc.start()
        try:
            with iter_roster(path) as stream:
                tracemalloc.reset_peak()
                kept = [row for row in stream if keep]
            assert kept or not keep
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # 4,000 more rows: a stream holds only their keys more; keeping the rows holds them all.
    stream_growth = peak(paths[1], keep=False) - peak(paths[0], keep=False)
    kept_growth = peak(paths[1], keep=True) - peak(paths[0], keep=True)

    assert stream_growth * 5 < kept_growth, (stream_growth, kept_growth)


def test_a_stream_gives_the_rows_read_roster_collects(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(40, seed=8, errors=6)
    path = _written(tmp_path / "r.csv", header, rows)

    with iter_roster(path) as stream:
        outcomes = list(stream)
    result = read_roster(path)

    assert result.rows == tuple(o for o in outcomes if isinstance(o, RosterRow))
    assert result.rejects == tuple(o for o in outcomes if isinstance(o, RejectedRow))
    assert 40 == stream.rows_read == result.rows_read


def test_a_stream_with_an_unusable_header_gives_no_rows(tmp_path: Path) -> None:
    header = [h for h in CASES.header if h != "申请时间"]
    path = _written(tmp_path / "c.csv", header, [[CASE.get(h, "") for h in header]])

    with iter_roster(path) as stream:
        assert (CASES, ["申请时间"]) == (stream.kind, [e.column for e in stream.header_errors])
        assert stream.header_reject is not None
        assert 1 == stream.header_reject.row
        assert [] == list(stream)
    assert "header_errors=1" in repr(stream)


def test_every_bad_field_of_a_bad_row_is_reported_and_the_good_rows_are_not_slowed_down(
    tmp_path: Path,
) -> None:
    bad = VETERAN | {"公民身份号码": SPOUSE_ID, "性别": "", "联系电话": "电话"}
    bad |= {"姓名": "韦\x01", "入伍时间": "昨天", "参战": "也许"}

    result = read(tmp_path, VETERANS, [VETERAN, bad])

    assert [(3, "姓名"), (3, "联系电话"), (3, "入伍时间"), (3, "参战")] == [
        (e.row, e.column) for e in result.errors
    ]
    assert [2] == [r.row for r in result.rows]


# --- helpers ------------------------------------------------------------------------------------


def _written(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    write_table(path, header, rows)
    return path
