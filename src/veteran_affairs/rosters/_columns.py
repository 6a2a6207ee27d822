"""Which roster column holds which field (列名映射), per kind of roster: the engine of ``ColumnMap``.

A roster's header row names its columns in Chinese, as county offices write them; several
spellings are in use for the same field (``公民身份号码``, ``身份证号``, ``身份证号码``). A
:class:`ColumnMap` maps each accepted header text to one field of one :class:`RosterKind`.
An office keeps four kinds of roster: veterans (退役军人), survivors (遗属), glory-plaque
households (光荣牌家庭) and hardship-assistance cases (帮扶援助申请); each kind has its own
fields, default headers, required and personal fields, and the worksheet names that select
it in a workbook.

>>> DEFAULT_COLUMNS.field_of("身份证号")
'resident_id'
>>> DEFAULT_COLUMNS.header_of("resident_id")
'公民身份号码'
>>> DEFAULT_COLUMNS.extended({"证件号": "resident_id"}).field_of("证件号")
'resident_id'
>>> RosterKind.SURVIVORS.columns.field_of("与军人关系"), RosterKind.CASES.label_zh
('relation', '帮扶援助申请')
"""

from __future__ import annotations

import enum
import os
import tomllib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from veteran_affairs.errors import InvalidValue
from veteran_affairs.models.assistance import AssistanceCase
from veteran_affairs.models.household import PlaqueHousehold
from veteran_affairs.models.people import Survivor, Veteran


class RosterKind(enum.Enum):
    """A kind of roster (花名册类别): what one row is, and so which columns it has.

    Each kind has its default :attr:`columns`, canonical :attr:`header`, :attr:`fields`,
    :attr:`required_fields`, :attr:`personal_fields` (masked in every error), the
    :attr:`sheet_names` that select it in a workbook, and the :attr:`record_type` a valid row
    becomes.

    >>> [kind.value for kind in RosterKind]
    ['veterans', 'survivors', 'households', 'cases']
    >>> RosterKind.HOUSEHOLDS.record_type.__name__, RosterKind.HOUSEHOLDS.key_field
    ('PlaqueHousehold', 'household_id')
    >>> RosterKind.from_sheet_name(" 光荣牌家庭 "), RosterKind.from_sheet_name("Sheet1")
    (<RosterKind.HOUSEHOLDS: 'households'>, None)
    """

    VETERANS = "veterans"  # 退役军人 → Veteran
    SURVIVORS = "survivors"  # 遗属 → Survivor
    HOUSEHOLDS = "households"  # 光荣牌家庭 → PlaqueHousehold
    CASES = "cases"  # 帮扶援助申请 → AssistanceCase

    @property
    def label_zh(self) -> str:
        """The kind in Chinese: 退役军人, 遗属, 光荣牌家庭, 帮扶援助申请."""
        return _LABELS[self]

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
    def record_type(self) -> type[Veteran | Survivor | PlaqueHousehold | AssistanceCase]:
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
}
_RECORD_TYPES: dict[RosterKind, type[Veteran | Survivor | PlaqueHousehold | AssistanceCase]] = {
    RosterKind.VETERANS: Veteran,
    RosterKind.SURVIVORS: Survivor,
    RosterKind.HOUSEHOLDS: PlaqueHousehold,
    RosterKind.CASES: AssistanceCase,
}
_SHEETS: dict[RosterKind, tuple[str, ...]] = {
    RosterKind.VETERANS: ("退役军人", "退役军人花名册", "退役军人信息", "veterans"),
    RosterKind.SURVIVORS: ("遗属", "遗属花名册", "烈属", "三属", "survivors"),
    RosterKind.HOUSEHOLDS: ("光荣牌", "光荣牌家庭", "光荣牌花名册", "悬挂光荣牌", "households"),
    RosterKind.CASES: ("帮扶援助", "帮扶援助申请", "困难帮扶", "困难帮扶援助", "cases"),
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
_COLUMNS: dict[RosterKind, tuple[_Column, ...]] = {
    RosterKind.VETERANS: _VETERANS,
    RosterKind.SURVIVORS: _SURVIVORS,
    RosterKind.HOUSEHOLDS: _HOUSEHOLDS,
    RosterKind.CASES: _CASES,
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
}
_PERSONAL: dict[RosterKind, frozenset[str]] = {
    RosterKind.VETERANS: frozenset({"name", "resident_id", "phone", "birth_date"}),
    RosterKind.SURVIVORS: frozenset({"name", "resident_id", "phone", "birth_date", "deceased_id"}),
    RosterKind.HOUSEHOLDS: frozenset({"head", "members", "plaque_member_ids", "disqualified_ids"}),
    RosterKind.CASES: frozenset({"applicant"}),
}
_KEYS = {
    RosterKind.VETERANS: "resident_id",
    RosterKind.SURVIVORS: "resident_id",
    RosterKind.HOUSEHOLDS: "household_id",
    RosterKind.CASES: "case_id",
}
_DISTINCTIVE: dict[RosterKind, frozenset[str]] = {
    RosterKind.VETERANS: frozenset({"enlisted_on", "discharged_on"}),
    RosterKind.SURVIVORS: frozenset({"relation", "death_category"}),
    RosterKind.HOUSEHOLDS: frozenset({"household_id", "head"}),
    RosterKind.CASES: frozenset({"case_id", "cause"}),
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
    困难类型 for cases. ``None`` when no kind, or more than one, is recognised.

    >>> detect_kind(["案件编号", "申请人公民身份号码", "困难类型"])
    <RosterKind.CASES: 'cases'>
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
    another kind's in its own sub-table, ``[columns.survivors]``, ``[columns.households]`` or
    ``[columns.cases]``. The map returned is for ``base.kind``; :func:`load_column_maps`
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
