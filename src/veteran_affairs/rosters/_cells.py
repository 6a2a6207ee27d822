"""Reading one roster cell into a field value (private engine of ``rosters``).

Each parser takes the cell as read and returns the value a model takes, or raises
:class:`BadCell` with the reason in English and Chinese.

>>> parse_date("2021年1月6日"), parse_date("2021/1/6"), parse_date("20210106")
(datetime.date(2021, 1, 6), datetime.date(2021, 1, 6), datetime.date(2021, 1, 6))
>>> PERSONNEL_TYPES.parse("义务兵")
(<PersonnelType.CONSCRIPT: 'conscript'>, None)
>>> masked("resident_id", "45031219800101123X"), masked("name", "韦明")
('450312********123X', '韦*')
>>> masked("members", "45031219800101123X、110105194912310021")
'450312********123X、110105********0021'
>>> split_list("残疾军人、烈属/军属"), parse_amount("12,000.5")
(['残疾军人', '烈属', '军属'], Decimal('12000.50'))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Generic, TypeVar

from veteran_affairs import divisions
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import (
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    mask_id,
    mask_name,
    mask_phone,
    shown_value,
)
from veteran_affairs.models.assistance import FundingSource, HardshipCause
from veteran_affairs.models.circumstances import SanctionKind
from veteran_affairs.models.entitlement import EntitlementCategory
from veteran_affairs.models.household import PlaqueBasis, PlaqueRecoveryReason
from veteran_affairs.models.people import DeathCategory, HukouType, Relation
from veteran_affairs.models.service import (
    AwardKind,
    DisabilityNature,
    DischargeMode,
    NcoRank,
    PersonnelType,
)
from veteran_affairs.rosters._result import Cell

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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""

_QUOTED = (*FORMULA_STARTS, "'")


def quote_formula(text: str) -> str:
    """A text cell as CSV files hold it: a ``'`` before one that starts like a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
    as a formula by Excel, WPS or LibreOffice when the CSV file is opened (CSV injection,
    CSV注入); the leading apostrophe makes it text. Text already starting with ``'`` gets
    one more, so that :func:`unquote_formula` gives every text back exactly.

    >>> quote_formula("=1+1"), quote_formula("+8613812345678"), quote_formula("'x"), quote_formula("韦明")
    ("'=1+1", "'+8613812345678", "''x", '韦明')
    """
    return "'" + text if text.startswith(_QUOTED) else text


def unquote_formula(text: str) -> str:
    """A CSV cell's text with the ``'`` of :func:`quote_formula` taken off.

    Only an apostrophe followed by one of the formula characters or by another apostrophe is
    taken off: ``'abc`` stays as it is.

    >>> unquote_formula("'=1+1"), unquote_formula("''x"), unquote_formula("'abc"), unquote_formula("-")
    ('=1+1', "'x", "'abc", '-')
    """
    if text.startswith("'") and text[1:].startswith(_QUOTED):
        return text[1:]
    return text


_ENTRY = re.compile(r"[^、，,；;/\s]+")


def _mask_ids(text: str) -> str:
    """A list of identity numbers, each entry masked on its own (separators stay)."""
    return _ENTRY.sub(lambda found: mask_id(found.group()), text)


def _birth_year(text: str) -> str:
    """A birth date with only its year (``1980-**-**``): it is the masked digits of the ID."""
    return text[:4] + "".join("*" if c.isdigit() else c for c in text[4:])


# Every personal field of every kind of roster, and how its text is masked.
_MASKS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "resident_id": mask_id,
    "phone": mask_phone,
    "birth_date": _birth_year,
    "deceased_id": mask_id,
    "head": mask_id,
    "applicant": mask_id,
    "members": _mask_ids,
    "plaque_member_ids": _mask_ids,
    "disqualified_ids": _mask_ids,
    "petitioner": mask_id,
    "veteran": mask_id,
    "person": mask_id,
    "subjects": _mask_ids,
}


def mask(field: str | None, text: str) -> str:
    """A cell's text masked if ``field`` is personal (names, identity numbers, phones).

    A birth date keeps only its year: its day and month are the masked digits of the ID.
    """
    masking = _MASKS.get(field) if field is not None else None
    return masking(text) if masking is not None else text


def masked(field: str | None, text: str) -> str:
    """A cell's text as errors show it: masked for its field, then as every error value is.

    :func:`mask` for the field, then :func:`~veteran_affairs.identity.shown_value` whatever
    the field (long numbers and names masked, cut when long): a value in the wrong column
    may be anyone's identity number or name.

    >>> masked("hukou_type", "韦明"), masked("hukou_division", "45031219800101123X")
    ('韦*', '450312********123X')
    >>> masked("birth_date", "1980-01-02"), masked("hukou_division", "450312101")
    ('1980-**-**', '450312101')
    """
    return shown_value(mask(field, text))


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
    if isinstance(cell, str):
        return date_of_text(cell.strip())
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time():
            raise BadCell("a date with a time of day: give the day only", "应为日期，不含时刻")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, dt.time | dt.timedelta | bool):
        raise BadCell(f"not a date; write {_DATE_HELP}", f"不是日期，应写作 {_DATE_HELP}")
    return date_of_text(as_text(cell))


def date_of_text(text: str) -> dt.date:
    """A calendar day from stripped text in one of the common forms.

    ``2021-01-06`` and ``20210106``, the forms exports and most offices write, take a fast
    path; the others go through the patterns.
    """
    if (len(text) == 10 and text[4] == "-" and text[7] == "-") or (
        len(text) == 8 and text.isascii() and text.isdigit()
    ):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # the patterns say what is wrong
    plain = text.translate(_FULLWIDTH).replace(" ", "")
    for form in _DAY_FORMS:
        found = form.fullmatch(plain)
        if found is not None:
            year, month, day = (int(part) for part in found.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise BadCell("not a real calendar day", "日期不存在") from None
    if any(form.fullmatch(plain) for form in _MONTH_FORMS):
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
        self._seen: dict[str, tuple[T, object]] = {}  # text as written → what it means

    @property
    def labels(self) -> tuple[str, ...]:
        """The accepted Chinese spellings, in the order given."""
        return tuple(self._listed.split("、")) if self._listed else ()

    def parse(self, text: str) -> tuple[T, object]:
        """The value (and extra) for ``text``; :class:`BadCell` if it is not accepted."""
        found = self._seen.get(text)
        if found is not None:
            return found
        found = self._table.get(text.translate(_FULLWIDTH).strip().casefold())
        if found is None:
            raise BadCell(
                f"unknown {self._what}; accepted: {self._listed}",
                f"无法识别的{self._what_zh}，可填：{self._listed}",
            )
        if len(self._seen) < 4096:  # a pure lookup: every roster spells a few ways only
            self._seen[text] = found
        return found

    def value(self, text: str) -> T:
        """The value alone for ``text``; :class:`BadCell` if it is not accepted."""
        return self.parse(text)[0]


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


def parse_resident_id(text: str, cell: Cell = None) -> ResidentId:
    """An identity number; 15-digit first-generation numbers are upgraded to 18 characters.

    ``cell`` is the cell as read, when there is one: an Excel number has lost digits.
    """
    if isinstance(cell, float):
        raise BadCell(
            "the number was stored as a number and lost digits: format the column as text",
            "身份证号被存为数值，末几位已丢失，请将该列设为文本格式",
        )
    try:
        return ResidentId.parse(text, upgrade_15=True)
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


_DIVISIONS: dict[tuple[str, str | None], DivisionCode] = {}


def division_parser(within: DivisionCode | None) -> Callable[[str], DivisionCode]:
    """:func:`parse_division` within ``within``, memoised (a roster repeats its places)."""
    scope = None if within is None else within.value

    def parse(text: str) -> DivisionCode:
        key = (text, scope)
        found = _DIVISIONS.get(key)
        if found is None:
            found = parse_division(text, within)
            if len(_DIVISIONS) >= 1 << 16:
                _DIVISIONS.clear()
            _DIVISIONS[key] = found
        return found

    return parse


# --- yes or no, and the choices of the other kinds of roster ---------------------------------------

YES_NO: Choices[bool] = Choices(
    "yes/no answer",
    "是否",
    {
        "是": (True, None),
        "否": (False, None),
        "有": (True, None),
        "无": (False, None),
        "√": (True, None),
        "×": (False, None),
        "y": (True, None),
        "n": (False, None),
        "yes": (True, None),
        "no": (False, None),
        "true": (True, None),
        "false": (False, None),
        "1": (True, None),
        "0": (False, None),
    },
)
ENTITLEMENT_CATEGORIES: Choices[EntitlementCategory] = Choices(
    "entitlement category",
    "优抚对象类别",
    _labels(
        EntitlementCategory,
        {
            **{c.label_zh: c for c in EntitlementCategory},
            "伤残军人": EntitlementCategory.DISABLED_SERVICEMEMBER,
            "烈属": EntitlementCategory.MARTYR_SURVIVOR,
            "因公牺牲遗属": EntitlementCategory.DUTY_DEATH_SURVIVOR,
            "病故遗属": EntitlementCategory.ILLNESS_DEATH_SURVIVOR,
            "军属": EntitlementCategory.MILITARY_FAMILY,
            "参战参试人员": EntitlementCategory.COMBAT_OR_TEST_VETERAN,
            "参战退役人员": EntitlementCategory.COMBAT_OR_TEST_VETERAN,
            "参试退役人员": EntitlementCategory.COMBAT_OR_TEST_VETERAN,
            "农村籍退役士兵": EntitlementCategory.RURAL_VETERAN_OVER_60,
        },
    ),
)
SANCTION_KINDS: Choices[SanctionKind] = Choices(
    "sanction",
    "惩处情形",
    _labels(
        SanctionKind,
        {
            **{k.label_zh: k for k in SanctionKind},
            "有期徒刑": SanctionKind.FIXED_TERM_IMPRISONMENT,
            "剥夺政治权利": SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
            "通缉": SanctionKind.WANTED,
            "死刑": SanctionKind.DEATH_PENALTY,
            "无期徒刑": SanctionKind.LIFE_IMPRISONMENT,
            "开除军籍": SanctionKind.EXPULSION_FROM_ARMY,
        },
    ),
)
AWARD_KINDS: Choices[AwardKind] = Choices(
    "award", "立功受奖", _labels(AwardKind, {k.label_zh: k for k in AwardKind})
)
WARTIME = "战时"
"""The prefix of an award conferred in wartime in a 立功受奖 cell (``战时三等功``)."""

RELATIONS: Choices[Relation] = Choices(
    "relation to the deceased",
    "与军人关系",
    _labels(
        Relation,
        {
            **{r.label_zh: r for r in Relation},
            "父母(抚养人)": Relation.PARENT,
            "父母": Relation.PARENT,
            "父亲": Relation.PARENT,
            "母亲": Relation.PARENT,
            "抚养人": Relation.PARENT,
            "妻子": Relation.SPOUSE,
            "丈夫": Relation.SPOUSE,
            "儿子": Relation.CHILD,
            "女儿": Relation.CHILD,
            "兄弟": Relation.SIBLING,
            "姐妹": Relation.SIBLING,
        },
    ),
)
DEATH_CATEGORIES: Choices[DeathCategory] = Choices(
    "death category",
    "牺牲/病故类别",
    _labels(
        DeathCategory,
        {
            **{d.label_zh: d for d in DeathCategory},
            "因公牺牲": DeathCategory.DUTY_DEATH,
            "病故": DeathCategory.ILLNESS_DEATH,
        },
    ),
)
PLAQUE_BASES: Choices[PlaqueBasis] = Choices(
    "plaque basis",
    "光荣牌对象类别",
    _labels(
        PlaqueBasis,
        {
            **{b.label_zh: b for b in PlaqueBasis},
            "因公牺牲": PlaqueBasis.DUTY_DEATH,
            "病故": PlaqueBasis.ILLNESS_DEATH,
        },
    ),
)
RECOVERY_REASONS: Choices[PlaqueRecoveryReason] = Choices(
    "reason for taking a plaque back",
    "收回原因",
    _labels(
        PlaqueRecoveryReason,
        {
            **{r.label_zh: r for r in PlaqueRecoveryReason},
            "刑事处罚": PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
            "治安管理处罚": PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY,
            "开除军籍": PlaqueRecoveryReason.EXPULSION,
            "除名": PlaqueRecoveryReason.EXPULSION,
            "除名或开除军籍": PlaqueRecoveryReason.EXPULSION,
            "不再符合条件": PlaqueRecoveryReason.NO_LONGER_ELIGIBLE,
        },
    ),
)
HARDSHIP_CAUSES: Choices[HardshipCause] = Choices(
    "hardship cause",
    "困难类型",
    _labels(
        HardshipCause,
        {
            **{c.label_zh: c for c in HardshipCause},
            "因公致残或重大疾病": HardshipCause.DISABILITY_OR_ILLNESS,
            "其他": HardshipCause.OTHER,
        },
    ),
)
FUNDING_SOURCES: Choices[FundingSource] = Choices(
    "funding source",
    "资金来源",
    _labels(
        FundingSource,
        {
            **{f.label_zh: f for f in FundingSource},
            "退役军人关爱基金会": FundingSource.CARE_FOUNDATION,
        },
    ),
)


# --- lists and amounts -----------------------------------------------------------------------

LABEL_SEPARATORS = "、，,；;/"
"""What separates the entries of a list cell of labels or identity numbers."""
DATE_SEPARATORS = "、，,；;"
"""What separates the dates of a list cell (``/`` is part of ``2021/1/6``)."""
AMOUNT_SEPARATORS = "、；;"
"""What separates the amounts of a list cell (``,`` is part of ``12,000.00``)."""
LIST_SEPARATOR = "、"
"""The separator exports write."""

_SPLITTERS = {
    seps: re.compile("[" + re.escape(seps) + "]")
    for seps in (LABEL_SEPARATORS, DATE_SEPARATORS, AMOUNT_SEPARATORS)
}
_NONE_ENTRIES = frozenset({"", "无", "-", "—", "－"})


def split_list(text: str, separators: str = LABEL_SEPARATORS) -> list[str]:
    """The entries of a list cell, each stripped; blank entries are kept (they may align)."""
    return [entry.strip() for entry in _SPLITTERS[separators].split(text)]


def is_none_entry(entry: str) -> bool:
    """Whether a list entry says "none" (blank, 无 or a dash)."""
    return entry in _NONE_ENTRIES


_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+")


def parse_amount(text: str) -> Decimal:
    """A yuan amount to the fen: ``8080.83``, ``12,000``, ``1200元``, ``￥50``; never sub-fen.

    Raises:
        BadCell: not a number, negative, or with a part of a fen (``0.125``).
    """
    plain = text.translate(_FULLWIDTH).strip().removesuffix("元").lstrip("¥￥").strip()
    if _AMOUNT.fullmatch(plain) is None:
        raise BadCell(
            "not an amount of yuan; write digits, such as 8080.83",
            "不是金额，应填写数字（元），如 8080.83",
        )
    amount = Decimal(plain.replace(",", ""))  # the pattern admits only plain numbers
    if amount.adjusted() >= _MOST_DIGITS:
        raise BadCell(
            f"too large for an amount (at most {_MOST_DIGITS} digits of yuan)",
            f"金额过大（元以上最多{_MOST_DIGITS}位）",
        )
    fen = amount.quantize(_FEN)
    if fen != amount:
        raise BadCell(
            "an amount is given to the fen (two decimal places) at most",
            "金额最多精确到分（两位小数）",
        )
    return fen


_FEN = Decimal("0.01")
_MOST_DIGITS = 13  # below 10¹³ yuan: what an Excel number holds to the fen (write_table)
