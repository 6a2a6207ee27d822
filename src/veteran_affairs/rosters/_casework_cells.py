"""Cells of the casework registers (private engine of ``rosters``).

The vocabularies of :mod:`veteran_affairs.casework` as a roster spells them (each enum's
Chinese label, a few short forms, and the English value), and the cells those registers
have beyond the person rosters': a unit at any level (a petition office may be a city's or
the region's), a whole number (来访人数, 延期天数), free text one entry per line (异议理由,
化解节点), and lists of record numbers.

>>> PETITION_CHANNELS.value("来访"), CADRE_ROLES.value("一肩挑")
(<PetitionChannel.VISIT: 'visit'>, <CadreRole.SECRETARY_AND_DIRECTOR: 'secretary-and-director'>)
>>> parse_count("12人"), parse_unit("4503", None).value
(12, '450300000000')
>>> text_entries("不属于本机关职责\\n已转市住建局", None)
('不属于本机关职责', '已转市住建局')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from veteran_affairs import divisions
from veteran_affairs.casework.discharge import (
    EmploymentStatus,
    InsuranceScheme,
    InsuranceStatus,
    TrainingKind,
)
from veteran_affairs.casework.leaders import AssignmentKind
from veteran_affairs.casework.legacy import LegacyCategory, LegacyStatus, OriginRegime
from veteran_affairs.casework.petitions import (
    ClosureKind,
    NotAcceptedReason,
    PetitionCategory,
    PetitionChannel,
    PetitionStatus,
    ReceiverKind,
    StatutoryRoute,
)
from veteran_affairs.casework.requests import ContactChannel, EscalationKind, RequestStatus
from veteran_affairs.casework.villages import CadreRole
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.rosters._cells import (
    _FULLWIDTH,
    DATE_SEPARATORS,
    BadCell,
    Choices,
    is_none_entry,
    parse_amount,
    split_list,
)
from veteran_affairs.rosters._result import Cell

E = TypeVar("E", bound=enum.Enum)

TEXT_SEPARATOR = "\n"
"""What separates the entries of a list of free text (异议理由, 化解节点, 受阻原因): a line
break, which no text of a record may hold (an Excel cell takes one with Alt+Enter)."""

NUMBER_SEPARATORS = DATE_SEPARATORS
"""What separates the record numbers of a list cell (形成诉求编号): ``、，,；;``."""


def _vocabulary(
    enum_type: type[E], what: str, what_zh: str, more: Mapping[str, E] | None = None
) -> Choices[E]:
    """Each member's ``label_zh``, the short forms in ``more``, and each member's value."""
    table: dict[str, tuple[E, object]] = {m.label_zh: (m, None) for m in enum_type}  # type: ignore[attr-defined]
    for text, member in (more or {}).items():
        table.setdefault(text, (member, None))
    for member in enum_type:
        table.setdefault(str(member.value), (member, None))
    return Choices(what, what_zh, table)


# --- petitions ---------------------------------------------------------------------------------

PETITION_CATEGORIES = _vocabulary(
    PetitionCategory,
    "petition category",
    "信访事项类别",
    {
        "建议意见": PetitionCategory.SUGGESTION,
        "检举控告": PetitionCategory.ACCUSATION,
        "申诉求决": PetitionCategory.APPEAL,
    },
)
PETITION_CHANNELS = _vocabulary(
    PetitionChannel,
    "petition channel",
    "信访形式",
    {
        "网上信访": PetitionChannel.ONLINE,
        "网络": PetitionChannel.ONLINE,
        "来信": PetitionChannel.LETTER,
        "邮件": PetitionChannel.EMAIL,
        "来电": PetitionChannel.PHONE,
        "来访": PetitionChannel.VISIT,
    },
)
RECEIVER_KINDS = _vocabulary(
    ReceiverKind,
    "kind of registering body",
    "登记单位类别",
    {
        "信访局": ReceiverKind.PETITION_OFFICE,
        "信访部门（党委和政府）": ReceiverKind.PETITION_OFFICE,
        "其他机关": ReceiverKind.OTHER_BODY,
        "其他单位": ReceiverKind.OTHER_BODY,
        "其他机关单位": ReceiverKind.OTHER_BODY,
    },
)
NOT_ACCEPTED_REASONS = _vocabulary(
    NotAcceptedReason,
    "reason for not accepting",
    "不予受理理由",
    {
        "逾期请求复查(复核)": NotAcceptedReason.LATE_REQUEST,
        "逾期请求复查": NotAcceptedReason.LATE_REQUEST,
        "逾期请求复核": NotAcceptedReason.LATE_REQUEST,
        "法定途径": NotAcceptedReason.STATUTORY_ROUTE,
        "正在办理": NotAcceptedReason.IN_HAND,
        "复核终结": NotAcceptedReason.CONCLUDED,
        "不属于信访": NotAcceptedReason.OUTSIDE_SCOPE,
    },
)
STATUTORY_ROUTES = _vocabulary(
    StatutoryRoute,
    "statutory route",
    "法定途径",
    {
        "政法部门": StatutoryRoute.LEGAL_AFFAIRS,
        "政法部门(涉法涉诉)": StatutoryRoute.LEGAL_AFFAIRS,
        "涉法涉诉": StatutoryRoute.LEGAL_AFFAIRS,
        "行政诉讼": StatutoryRoute.LITIGATION,
    },
)
CLOSURE_KINDS = _vocabulary(
    ClosureKind,
    "kind of closure",
    "办结方式",
    {"息诉": ClosureKind.SATISFIED, "终结": ClosureKind.FINAL},
)
PETITION_STATUSES = _vocabulary(
    PetitionStatus, "petition status", "办理状态", {"转送交办": PetitionStatus.ROUTED}
)

# --- legacy cases ------------------------------------------------------------------------------

LEGACY_CATEGORIES = _vocabulary(LegacyCategory, "legacy-case category", "问题类别")
ORIGIN_REGIMES = _vocabulary(
    OriginRegime,
    "regime",
    "政策时段",
    {
        "《退役士兵安置条例》（2011）": OriginRegime.SOLDIER_PLACEMENT_2011,
        "退役士兵安置条例": OriginRegime.SOLDIER_PLACEMENT_2011,
        "《退役军人安置条例》（2024）": OriginRegime.VETERAN_PLACEMENT_2024,
        "退役军人安置条例": OriginRegime.VETERAN_PLACEMENT_2024,
        "2011年前": OriginRegime.BEFORE_2011,
    },
)
LEGACY_STATUSES = _vocabulary(LegacyStatus, "legacy-case status", "办理状态")

# --- insurance transfers -----------------------------------------------------------------------

INSURANCE_SCHEMES = _vocabulary(
    InsuranceScheme,
    "insurance scheme",
    "险种",
    {
        "养老": InsuranceScheme.PENSION,
        "基本养老保险": InsuranceScheme.PENSION,
        "医疗": InsuranceScheme.MEDICAL,
        "基本医疗保险": InsuranceScheme.MEDICAL,
        "失业保险": InsuranceScheme.UNEMPLOYMENT,
        "失业": InsuranceScheme.UNEMPLOYMENT,
        "配偶养老保险": InsuranceScheme.SPOUSE_PENSION,
        "配偶医疗保险": InsuranceScheme.SPOUSE_MEDICAL,
    },
)
INSURANCE_STATUSES = _vocabulary(
    InsuranceStatus,
    "step of an insurance transfer",
    "接续环节",
    {
        "建立(续接)个人账户": InsuranceStatus.ACCOUNT_OPENED,
        "建立个人账户": InsuranceStatus.ACCOUNT_OPENED,
        "凭证交付": InsuranceStatus.VOUCHERS_ISSUED,
        "受阻": InsuranceStatus.STALLED,
    },
)

TRAINING_KINDS = _vocabulary(
    TrainingKind,
    "kind of training",
    "培训类别",
    {
        "技能培训": TrainingKind.SKILLS,
        "职业技能": TrainingKind.SKILLS,
        "学历提升": TrainingKind.ACADEMIC,
        "专项学习培训": TrainingKind.SPECIALIST,
    },
)
EMPLOYMENT_STATUSES = _vocabulary(
    EmploymentStatus,
    "employment status",
    "就业状态",
    {
        "已就业": EmploymentStatus.EMPLOYED,
        "安排工作": EmploymentStatus.PLACED,
        "公务员": EmploymentStatus.PUBLIC_SERVICE,
        "事业单位": EmploymentStatus.PUBLIC_SERVICE,
        "个体经营": EmploymentStatus.SELF_EMPLOYED,
        "创业": EmploymentStatus.SELF_EMPLOYED,
        "求职登记": EmploymentStatus.JOB_SEEKING,
        "求职登记(失业)": EmploymentStatus.JOB_SEEKING,
        "失业": EmploymentStatus.JOB_SEEKING,
        "入学": EmploymentStatus.IN_EDUCATION,
        "复学": EmploymentStatus.IN_EDUCATION,
    },
)

# --- requests ----------------------------------------------------------------------------------

CONTACT_CHANNELS = _vocabulary(
    ContactChannel,
    "contact channel",
    "接触方式",
    {
        "走访": ContactChannel.HOME_VISIT,
        "入户走访": ContactChannel.HOME_VISIT,
        "电话": ContactChannel.PHONE,
        "窗口": ContactChannel.COUNTER,
        "来访": ContactChannel.COUNTER,
        "接待日": ContactChannel.RECEPTION_DAY,
        "座谈": ContactChannel.SYMPOSIUM,
        "包联座谈": ContactChannel.SYMPOSIUM,
    },
)
ESCALATION_KINDS = _vocabulary(
    EscalationKind,
    "where the request went",
    "转办去向",
    {
        "信访": EscalationKind.PETITION,
        "信访事项": EscalationKind.PETITION,
        "历史遗留问题": EscalationKind.LEGACY_CASE,
        "遗留问题": EscalationKind.LEGACY_CASE,
    },
)
REQUEST_STATUSES = _vocabulary(
    RequestStatus, "request status", "办理状态", {"办结": RequestStatus.CLOSED}
)
SATISFACTION: Choices[bool] = Choices(
    "follow-up outcome",
    "回访结果",
    {
        "满意": (True, None),
        "基本满意": (True, None),
        "不满意": (False, None),
        "是": (True, None),
        "否": (False, None),
        "yes": (True, None),
        "no": (False, None),
    },
)

# --- 包联 and village cadres -----------------------------------------------------------------

ASSIGNMENT_KINDS = _vocabulary(
    AssignmentKind, "kind of contact assignment", "包联类别", {"包联": AssignmentKind.BAOLIAN}
)
CADRE_ROLES = _vocabulary(
    CadreRole,
    "village post",
    "两委职务",
    {
        "书记": CadreRole.SECRETARY,
        "支书": CadreRole.SECRETARY,
        "村党支部书记": CadreRole.SECRETARY,
        "党支部书记": CadreRole.SECRETARY,
        "村党总支书记": CadreRole.SECRETARY,
        "主任": CadreRole.DIRECTOR,
        "村委会主任": CadreRole.DIRECTOR,
        "居委会主任": CadreRole.DIRECTOR,
        "村（居）委会主任": CadreRole.DIRECTOR,
        "一肩挑": CadreRole.SECRETARY_AND_DIRECTOR,
        "书记、主任一肩挑": CadreRole.SECRETARY_AND_DIRECTOR,
        "书记主任": CadreRole.SECRETARY_AND_DIRECTOR,
        "委员": CadreRole.MEMBER,
        "村两委委员": CadreRole.MEMBER,
    },
)


# --- cells -------------------------------------------------------------------------------------

_COUNT = re.compile(r"(\d+)\s*[人名天日次]?")


def parse_count(text: str) -> int:
    """A whole number of persons or days: ``12``, ``12人``, ``30天`` (full-width digits too)."""
    found = _COUNT.fullmatch(text.translate(_FULLWIDTH).strip())
    if found is None or len(found.group(1)) > 9:
        raise BadCell("not a whole number", "不是整数")
    return int(found.group(1))


def count(value: str, _cell: Cell) -> int:
    """A count's cell (see :func:`parse_count`)."""
    return parse_count(value)


def amount(value: str, cell: Cell) -> Decimal:
    """An amount's cell: text as :func:`~veteran_affairs.rosters._cells.parse_amount` reads
    it; an Excel number as Excel shows it (15 significant digits)."""
    if isinstance(cell, float) and cell == cell and abs(cell) != float("inf"):
        value = format(cell, ".15g")
        if "e" in value:
            raise BadCell("not an amount of yuan", "不是金额")
    return parse_amount(value)


def _check_unit(code: DivisionCode) -> None:
    """A unit the bundled data has: a province, city or county it lists; a township under a
    county it lists (and among the county's townships where it lists them); a village under
    such a township (villages are never bundled)."""
    if code.level <= DivisionLevel.COUNTY:
        if not divisions.contains_code(code):
            raise BadCell(
                "unknown division: no such unit in the bundled division data",
                "未知区划：区划数据中无此单位",
            )
        return
    county = code.truncate(DivisionLevel.COUNTY)
    if not divisions.contains_code(county):
        raise BadCell(
            "unknown division: no such county in the bundled division data",
            "未知区划：区划数据中无此县级单位",
        )
    township = code.truncate(DivisionLevel.TOWNSHIP)
    if divisions.children(county) and not divisions.contains_code(township):
        raise BadCell(
            "unknown division: no such township in the bundled division data",
            "未知区划：区划数据中无此乡级单位",
        )


def parse_unit(text: str, within: DivisionCode | None) -> DivisionCode:
    """A unit at any level: a code of 2, 4, 6, 9 or 12 digits the bundled data knows (see
    :func:`_check_unit`), or the exact name of one unit (inside ``within`` when given)."""
    digits = text.translate(_FULLWIDTH)
    if digits.isascii() and digits.isdigit():
        try:
            code = DivisionCode(digits)
        except InvalidValue as error:
            raise BadCell(error.reason, error.reason_zh) from None
        _check_unit(code)
        return code
    scope = None if within is None else within.value
    found = divisions.find(text, within=scope) if text else ()
    if len(found) == 1:
        return found[0].code
    if not found:
        raise BadCell(
            "not a division code, nor the name of a unit in the bundled data",
            "不是区划代码，也不是已知的单位名称",
        )
    raise BadCell(
        f"the name is shared by {len(found)} units; give the division code",
        f"有{len(found)}个同名单位，请填写区划代码",
    )


_UNITS: dict[tuple[str, str | None], DivisionCode] = {}


def unit_parser(within: DivisionCode | None) -> Callable[[str, Cell], DivisionCode]:
    """:func:`parse_unit` within ``within`` as a cell parser, memoised (a register repeats
    its units)."""
    scope = None if within is None else within.value

    def parse(value: str, _cell: Cell) -> DivisionCode:
        key = (value, scope)
        found = _UNITS.get(key)
        if found is None:
            found = parse_unit(value, within)
            if len(_UNITS) >= 1 << 14:
                _UNITS.clear()
            _UNITS[key] = found
        return found

    return parse


def unit_list(within: DivisionCode | None) -> Callable[[str, Cell], tuple[DivisionCode, ...]]:
    """A list cell of units, separated by ``、，,；;`` (none blank)."""
    parse = unit_parser(within)

    def units(value: str, _cell: Cell) -> tuple[DivisionCode, ...]:
        return _entries(split_list(value, DATE_SEPARATORS), lambda entry: parse(entry, None))

    return units


def _entries(raw: list[str], parse: Callable[[str], Any]) -> tuple[Any, ...]:
    found = []
    for number, entry in enumerate(raw, start=1):
        if is_none_entry(entry):
            raise BadCell(f"entry {number} is blank", f"第{number}项为空")
        try:
            found.append(parse(entry))
        except BadCell as bad:
            raise BadCell(
                f"entry {number}: {bad.reason}", f"第{number}项：{bad.reason_zh}"
            ) from None
    return tuple(found)


_LINES = re.compile(r"\r\n|\r|\n")


def text_entries(value: str, _cell: Cell) -> tuple[str | None, ...]:
    """A list of free text, one entry per line; a blank line (or ``无``, ``-``) is ``None``."""
    return tuple(
        None if is_none_entry(entry.strip()) else entry.strip() for entry in _LINES.split(value)
    )


def number_list(value: str, _cell: Cell) -> tuple[str, ...]:
    """A list cell of record numbers (诉求编号 …), separated by ``、，,；;`` (none blank)."""
    return _entries(split_list(value, NUMBER_SEPARATORS), lambda entry: entry)
