"""Reading one roster cell into a field value (private engine of ``rosters``).

Each parser takes the cell as read and returns the value a model takes, or raises
:class:`BadCell` with the reason in English and Chinese.

>>> parse_date("2021年1月6日"), parse_date("2021/1/6"), parse_date("20210106")
(datetime.date(2021, 1, 6), datetime.date(2021, 1, 6), datetime.date(2021, 1, 6))
>>> PERSONNEL_TYPES.parse("义务兵")
(<PersonnelType.CONSCRIPT: 'conscript'>, None)
>>> masked("resident_id", "45031219800101123X"), masked("name", "韦明")
('450312********123X', '韦*')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Generic, TypeVar

from veteran_affairs import divisions
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import (
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    mask_name,
    mask_phone,
)
from veteran_affairs.models.person import HukouType
from veteran_affairs.models.service import (
    DisabilityNature,
    DischargeMode,
    NcoRank,
    PersonnelType,
)
from veteran_affairs.rosters._result import Cell, shown

T = TypeVar("T")


class BadCell(Exception):
    """A cell that cannot be read as its field (internal: always turned into a RowError)."""

    def __init__(self, reason: str, reason_zh: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_zh = reason_zh


_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：ｘＸ\u3000", "0123456789/-.:xX ")


def as_text(cell: Cell) -> str:
    """The cell as text, without surrounding blanks ("" for an empty cell).

    Numbers stored by Excel come back without a decimal point when whole (``13812345678.0``
    → ``"13812345678"``); dates and times in ISO form.
    """
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def _mask_id(text: str) -> str:
    """As ``ResidentId.masked``: the first 6 and last 4 characters stay."""
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


_MASKS = {"name": mask_name, "resident_id": _mask_id, "phone": mask_phone}


def mask(field: str | None, text: str) -> str:
    """A cell's text masked if ``field`` is personal (姓名, 公民身份号码, 联系电话)."""
    masking = _MASKS.get(field) if field is not None else None
    return masking(text) if masking is not None else text


def masked(field: str | None, text: str) -> str:
    """A cell's text as errors show it: masked for personal fields, cut when long."""
    return shown(mask(field, text))


# --- dates -----------------------------------------------------------------------------------

_DAY_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:0{1,2}(?::0{1,2})?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月?"),
    re.compile(r"(\d{4})(\d{2})"),
)
_DATE_HELP = "2021-01-06, 2021/1/6, 2021.1.6, 2021年1月6日 or 20210106"


def parse_date(cell: Cell) -> dt.date:
    """A calendar day from an Excel date cell or text in one of the common forms."""
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time():
            raise BadCell("a date with a time of day: give the day only", "应为日期，不含时刻")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, dt.time | dt.timedelta | bool):
        raise BadCell(f"not a date; write {_DATE_HELP}", f"不是日期，应写作 {_DATE_HELP}")
    text = as_text(cell).translate(_FULLWIDTH).replace(" ", "")
    for form in _DAY_FORMS:
        found = form.fullmatch(text)
        if found is not None:
            year, month, day = (int(part) for part in found.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise BadCell("not a real calendar day", "日期不存在") from None
    if any(form.fullmatch(text) for form in _MONTH_FORMS):
        raise BadCell("a full date is needed (year, month and day)", "需要完整日期（年月日）")
    raise BadCell(f"not a date; write {_DATE_HELP}", f"不是日期，应写作 {_DATE_HELP}")


# --- choices ---------------------------------------------------------------------------------


class Choices(Generic[T]):
    """Accepted spellings of an enumerated field, mapped to a value and an optional extra."""

    def __init__(self, what: str, what_zh: str, table: Mapping[str, tuple[T, object]]) -> None:
        self._what = what
        self._what_zh = what_zh
        self._table = {key.casefold(): value for key, value in table.items()}
        self._listed = "、".join(dict.fromkeys(k for k in table if not k.isascii()))

    def parse(self, text: str) -> tuple[T, object]:
        """The value (and extra) for ``text``; :class:`BadCell` if it is not accepted."""
        found = self._table.get(text.translate(_FULLWIDTH).strip().casefold())
        if found is None:
            raise BadCell(
                f"unknown {self._what}; accepted: {self._listed}",
                f"无法识别的{self._what_zh}，可填：{self._listed}",
            )
        return found


def _labels(enum_type: type[T], labels: Mapping[str, T]) -> dict[str, tuple[T, object]]:
    table: dict[str, tuple[T, object]] = {k: (v, None) for k, v in labels.items()}
    for member in enum_type:  # type: ignore[attr-defined]
        table.setdefault(member.value, (member, None))
    return table


SEXES: Choices[Sex] = Choices(
    "sex",
    "性别",
    _labels(Sex, {"男": Sex.MALE, "女": Sex.FEMALE, "男性": Sex.MALE, "女性": Sex.FEMALE}),
)
HUKOU_TYPES: Choices[HukouType] = Choices(
    "household registration type",
    "户口性质",
    _labels(
        HukouType,
        {
            "农村": HukouType.RURAL,
            "农村户口": HukouType.RURAL,
            "农业": HukouType.RURAL,
            "农业户口": HukouType.RURAL,
            "城镇": HukouType.URBAN,
            "城镇户口": HukouType.URBAN,
            "非农业": HukouType.URBAN,
            "非农业户口": HukouType.URBAN,
        },
    ),
)
_NCO = PersonnelType.NCO
_JUNIOR, _SENIOR = NcoRank.JUNIOR, NcoRank.INTERMEDIATE_OR_SENIOR
# 人员类别 may carry the NCO band itself (初级士官): the extra is the band it implies.
PERSONNEL_TYPES: Choices[PersonnelType] = Choices(
    "personnel type",
    "人员类别",
    {
        "军官": (PersonnelType.OFFICER, None),
        "士官": (_NCO, None),
        "军士": (_NCO, None),
        "军士（士官）": (_NCO, None),
        "军士(士官)": (_NCO, None),
        "义务兵": (PersonnelType.CONSCRIPT, None),
        "初级士官": (_NCO, _JUNIOR),
        "初级军士": (_NCO, _JUNIOR),
        "中级士官": (_NCO, _SENIOR),
        "中级军士": (_NCO, _SENIOR),
        "高级士官": (_NCO, _SENIOR),
        "高级军士": (_NCO, _SENIOR),
        "中级以上士官": (_NCO, _SENIOR),
        "中级以上军士": (_NCO, _SENIOR),
        "officer": (PersonnelType.OFFICER, None),
        "nco": (_NCO, None),
        "conscript": (PersonnelType.CONSCRIPT, None),
    },
)
NCO_RANKS: Choices[NcoRank] = Choices(
    "NCO rank band",
    "士官级别",
    _labels(
        NcoRank,
        {
            "初级": _JUNIOR,
            "初级士官": _JUNIOR,
            "初级军士": _JUNIOR,
            "中级": _SENIOR,
            "高级": _SENIOR,
            "中级以上": _SENIOR,
            "中级士官": _SENIOR,
            "高级士官": _SENIOR,
            "中级军士": _SENIOR,
            "高级军士": _SENIOR,
            "中级以上军士": _SENIOR,
        },
    ),
)
DISCHARGE_MODES: Choices[DischargeMode] = Choices(
    "discharge mode", "退役方式", _labels(DischargeMode, {m.label_zh: m for m in DischargeMode})
)
DISABILITY_NATURES: Choices[DisabilityNature] = Choices(
    "disability nature",
    "伤残性质",
    _labels(
        DisabilityNature,
        {
            **{n.label_zh: n for n in DisabilityNature},
            **{n.label_zh + "致残": n for n in DisabilityNature},
        },
    ),
)
_GRADES_ZH = "一二三四五六七八九十"


def parse_grade(text: str) -> int:
    """A disability grade, 1 to 10: ``5``, ``5级``, ``五级``, ``五``."""
    core = text.translate(_FULLWIDTH).strip().removesuffix("级").strip()
    if core.isascii() and core.isdigit() and 1 <= int(core) <= 10:
        return int(core)
    if len(core) == 1 and core in _GRADES_ZH:
        return _GRADES_ZH.index(core) + 1
    raise BadCell("a disability grade is 1 to 10 (一级 … 十级)", "伤残等级应为一级至十级")


# --- identity numbers and divisions ----------------------------------------------------------


def parse_resident_id(cell: Cell) -> ResidentId:
    """An identity number; 15-digit first-generation numbers are upgraded to 18 characters."""
    if isinstance(cell, float):
        raise BadCell(
            "the number was stored as a number and lost digits: format the column as text",
            "身份证号被存为数值，末几位已丢失，请将该列设为文本格式",
        )
    try:
        return ResidentId.parse(as_text(cell), upgrade_15=True)
    except InvalidValue as error:
        raise BadCell(error.reason, error.reason_zh) from None


def parse_division(text: str, within: DivisionCode | None) -> DivisionCode:
    """The hukou unit: a code (6, 9 or 12 digits) or a name the bundled data knows.

    A code must lie in a county the bundled data has and, where the data lists that
    county's townships (Guangxi), in one of them; a village (12 digits) is accepted under a
    known township, as villages are never bundled. A name must match exactly one bundled
    unit of county level or below (inside ``within`` when given).
    """
    digits = text.translate(_FULLWIDTH)
    if digits.isascii() and digits.isdigit():
        try:
            code = DivisionCode(digits)
        except InvalidValue as error:
            raise BadCell(error.reason, error.reason_zh) from None
        _check_known(code)
        return code
    scope = within.value if within is not None else None
    found = (
        [d for d in divisions.find(text, within=scope) if d.code.level >= DivisionLevel.COUNTY]
        if text
        else []
    )
    if len(found) == 1:
        return found[0].code
    if not found:
        raise BadCell(
            "not a division code, nor the name of a county or township in the bundled data",
            "不是区划代码，也不是已知的县级或乡级单位名称",
        )
    raise BadCell(
        f"the name is shared by {len(found)} units; give the division code",
        f"有{len(found)}个同名单位，请填写区划代码",
    )


def _check_known(code: DivisionCode) -> None:
    if code.level < DivisionLevel.COUNTY:
        raise BadCell(
            "a hukou is a county or a unit within one: give 6, 9 or 12 digits",
            "户籍地应为县级或以下单位（6、9或12位代码）",
        )
    county = code.truncate(DivisionLevel.COUNTY)
    if not divisions.contains_code(county):
        raise BadCell(
            "unknown division: no such county in the bundled division data",
            "未知区划：区划数据中无此县级单位",
        )
    if code.level < DivisionLevel.TOWNSHIP:
        return
    township = code.truncate(DivisionLevel.TOWNSHIP)
    if divisions.children(county) and not divisions.contains_code(township):
        raise BadCell(
            "unknown division: no such township in the bundled division data",
            "未知区划：区划数据中无此乡级单位",
        )
