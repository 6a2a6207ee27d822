"""Identifiers: citizen identity numbers and administrative division codes.

* :class:`ResidentId` — the 18-character citizen identity number (公民身份号码) of
  GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men)
  and an ISO 7064 MOD 11-2 check character.
* :class:`DivisionCode` — an administrative division code: the 6-digit GB/T 2260 code or
  the 12-digit statistical code (统计用区划代码) of the National Bureau of Statistics,
  laid out ``PP CC DD TTT VVV`` (province, prefecture, county, township, village).

Both are immutable values, validated when created: an invalid one cannot exist. The masks
(:func:`mask_id`, :func:`mask_name`, :func:`mask_phone`) and :func:`shown_value`, through
which every error quotes a value, are here too (``docs/privacy.md``).

>>> rid = ResidentId("11010519491231002X")
>>> rid
ResidentId('110105********002X')
>>> rid.birth_date, rid.sex.value
(datetime.date(1949, 12, 31), 'female')
>>> code = DivisionCode("450312")
>>> code.level.name, str(code.parent)
('COUNTY', '450300000000')
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterator

import attrs

from veteran_affairs._clock import not_in_future
from veteran_affairs.errors import InvalidDivisionCode, InvalidResidentId

__all__ = [
    "SHOWN_LENGTH",
    "CountyKind",
    "DivisionCode",
    "DivisionLevel",
    "ResidentId",
    "Sex",
    "TownshipKind",
    "VillageKind",
    "check_character",
    "mask_id",
    "mask_name",
    "mask_phone",
    "shown_value",
]


def __dir__() -> list[str]:
    return __all__


class Sex(enum.Enum):
    """Sex as recorded in the identity number (性别)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label_zh(self) -> str:
        return {Sex.MALE: "男", Sex.FEMALE: "女"}[self]


# --- masking -------------------------------------------------------------------------------
#
# docs/privacy.md gives the scheme and why it leaves many candidate numbers for every mask.


def mask_name(name: str) -> str:
    """Mask a personal name, keeping its first character (姓名脱敏).

    >>> mask_name("张三丰")
    '张**'
    >>> mask_name("")
    ''
    """
    return name[:1] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """Mask a phone number, keeping the first 3 and last 4 characters (电话脱敏).

    >>> mask_phone("13812345678")
    '138****5678'
    """
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id(text: str) -> str:
    """Mask what may be an identity number: the first 6 and last 4 characters stay (身份证号脱敏).

    The 8 hidden characters of an 18-character number are its birth date, so a masked number
    is never shown beside that date (see :func:`shown_value`). Text of 10 characters or
    fewer is hidden whole.

    >>> mask_id("11010519491231002X"), mask_id("1101051949")
    ('110105********002X', '**********')
    """
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


SHOWN_LENGTH = 48
"""At most this many characters of a value are quoted in an error (a longer one is cut)."""

# A number as typed: digits (full-width too) and the stars of an earlier mask, in groups of
# three or more joined by a space or a hyphen (``138-1234-5678``, ``450312 19800101 123X``;
# ``2021-01-06`` is three numbers), with an identity number's check character.
_NUMBER = re.compile(r"(?:[\d*]{3,}(?:[ \-][\d*]{3,})+|[\d*]+)(?:[XxＸｘ](?![A-Za-z]))?")
_SEPARATORS = str.maketrans("", "", " -")
# A day: 2021-01-06, 2021/1/6, 2021.1.6, 2021年1月6日, 20210106 (not inside a longer number).
_DAY = re.compile(
    r"(?<![\d*])(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}"
    r"|(?:1[89]|2[01])\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?![\d*])"
)
# Letters of any script but the Latin alphabet (names are written in them), with the middle
# dot of a transliterated name (买买提·艾力) joining the parts.
_LETTERS = re.compile(r"[^\W\d_a-zA-Z]+(?:[·•・][^\W\d_a-zA-Z]+)*")


def shown_value(text: str) -> str:
    """A bad value as an error may quote it: nothing in it identifies a person (错误信息脱敏).

    A value in the wrong place may be anything, an identity number, a phone number or a name
    among them, so every error of this library quotes its value through this one function:

    * a number with 6 digits or more is masked: one of 15 characters or more as an identity
      number (:func:`mask_id`: first 6 and last 4 stay), one of 11 to 14 as a phone
      number (first 3 and last 4 stay), a shorter one keeps its first 2 digits. Left as they
      are: a division code (6, 9 or 12 digits beginning with a province code), a date
      (``20210106``) and a decimal amount (``1234567.89``);
    * beside an identity number (masked or not), a date keeps only its year: the masked
      digits are the birth date, and the year still leaves at least 32 candidates;
    * a run of letters of any script but the Latin alphabet (a name in Chinese characters,
      or in Uyghur, Tibetan or Mongolian script) keeps its first character, as
      :func:`mask_name` does; Latin letters stay, as this library's own values (type names,
      enum values) are written in them;
    * the result is cut to :data:`SHOWN_LENGTH` characters.

    Masking twice changes nothing, so an already masked value can be passed again.

    >>> shown_value("45031219800101123X"), shown_value("韦明"), shown_value("13812345678")
    ('450312********123X', '韦*', '138****5678')
    >>> shown_value("1980-01-02/450312********123X")
    '1980-**-**/450312********123X'
    >>> shown_value("450312101"), shown_value("2021-13-01"), shown_value("martyr/officer")
    ('450312101', '2021-13-01', 'martyr/officer')
    """
    numbers = [found for found in _NUMBER.finditer(text) if _digits(found.group()) >= 6]
    if any(len(found.group().translate(_SEPARATORS)) >= 15 for found in numbers):
        text = _DAY.sub(_year_only, text)
    text = _NUMBER.sub(_masked_number, text)
    text = _LETTERS.sub(lambda found: mask_name(found.group()), text)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _year_only(found: re.Match[str]) -> str:
    day = found.group()
    return day[:4] + "".join("*" if c.isdigit() else c for c in day[4:])


def _masked_number(found: re.Match[str]) -> str:
    number = found.group()
    if _digits(number) < 6 or _is_plain(found):
        return number
    plain = number.translate(_SEPARATORS)
    size = len(plain)
    head, tail = (6, 4) if size >= 15 else (3, 4) if size >= 11 else (2, 0)
    kept = 0
    shown: list[str] = []
    for c in number:
        if c in " -":
            shown.append(c)
            continue
        shown.append(c if kept < head or kept >= size - tail else "*")
        kept += 1
    return "".join(shown)


def _is_plain(found: re.Match[str]) -> bool:
    """A division code, a date or a decimal amount: a number that is no one's."""
    number, text, start, end = found.group(), found.string, found.start(), found.end()
    if text[end : end + 1] == "." and text[end + 1 : end + 2].isdigit():
        return True
    if text[start - 1 : start] == "." and text[start - 2 : start - 1].isdigit():
        return True
    if not (number.isascii() and number.isdigit()):
        return False
    if len(number) in (6, 9, 12) and number[:2] in _PROVINCES:
        return True
    return len(number) == 8 and _DAY.fullmatch(number) is not None and _is_day(number)


def _is_day(digits8: str) -> bool:
    try:
        dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        return False
    return True


# --- resident identity numbers (GB 11643) ----------------------------------------------------

_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘxＩ", "0123456789XXXI")


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID (校验码).

    >>> check_character("11010519491231002")
    'X'
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidResidentId(
            "resident_id", mask_id(first17), "need exactly 17 digits", "需要17位数字"
        )
    return _CHECK[_weighted_sum(first17) % 11]


# The weights are 2**(17 - i) mod 11, so the weighted sum is congruent to sum(d_i * 2**(17 - i)).
# As 13 ≡ 2 (mod 11), the 17 digits read as one base-13 number, sum(d_i * 13**(16 - i)), are
# congruent to sum(d_i * 2**(16 - i)): twice that is the weighted sum, and int(..., 13) reads
# it at C speed, many times faster than a loop over the digits.


def _weighted_sum(digits17: str) -> int:
    """A number congruent (mod 11) to the ISO 7064 MOD 11-2 weighted sum of 17 ASCII digits."""
    return int(digits17, 13) * 2


def _normalise_id(text: object) -> str:
    if type(text) is str and len(text) == 18 and text.isascii() and text.isalnum():
        return text.upper() if text[17] == "x" else text
    if not isinstance(text, str):
        raise InvalidResidentId(
            "resident_id",
            type(text).__name__,
            "must be text (str)",
            "必须为字符串",
        )
    return text.strip().translate(_FULLWIDTH)


# Birth dates already checked (real, not in the future), by their 8 digits: a population
# shares a few tens of thousands of them, and a date in the past stays in the past.
_BIRTH_DATES: dict[str, dt.date] = {}
_MAX_BIRTH_DATES = 1 << 16


def _birth_date(value: str) -> dt.date:
    """The birth date of a number, which must be a real date and not in the future."""
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidResidentId(
            "resident_id", mask_id(value), "birth date is not a real date", "出生日期不存在"
        ) from None
    if not not_in_future(born):
        raise InvalidResidentId(
            "resident_id", mask_id(value), "birth date is in the future", "出生日期晚于今天"
        )
    return born


def _validate_id(value: str) -> dt.date:
    """Check an already normalised number; return its birth date."""
    if len(value) != 18:
        raise InvalidResidentId(
            "resident_id",
            mask_id(value),
            f"must be 18 characters, got {len(value)}",
            "必须为18位",
        )
    body, check = value[:17], value[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise InvalidResidentId(
            "resident_id",
            mask_id(value),
            "must be 17 digits followed by a digit or X",
            "前17位须为数字，末位为数字或X",
        )
    if value[:2] not in _PROVINCES:
        raise InvalidResidentId(
            "resident_id",
            mask_id(value),
            f"address code: unknown province code {value[:2]}",
            "地址码无效",
        )
    digits = value[6:14]
    born = _BIRTH_DATES.get(digits)
    if born is None:
        born = _birth_date(value)
        if len(_BIRTH_DATES) >= _MAX_BIRTH_DATES:
            _BIRTH_DATES.clear()
        _BIRTH_DATES[digits] = born
    if _CHECK[_weighted_sum(body) % 11] != check:
        raise InvalidResidentId(
            "resident_id", mask_id(value), "check character does not match", "校验码不符"
        )
    return born


@attrs.frozen(kw_only=True, init=False, repr=False, order=False)
class ResidentId:
    """A citizen identity number (公民身份号码, GB 11643-1999), validated on creation.

    Full-width digits (``１``) and a lower-case or full-width ``x`` are normalised; surrounding
    blanks are removed. ``repr()`` and ``str()`` show only the first 6 and last 4 characters;
    the full number is available through the explicit :attr:`unmasked` property.

    Raises:
        InvalidResidentId: wrong length or characters, an address code that is not a division
            code, a birth date that does not exist or lies in the future, or a wrong check
            character.

    >>> ResidentId("１１０１０５１９４９１２３１００２ｘ").unmasked
    '11010519491231002X'
    >>> str(ResidentId("11010519491231002X"))
    '110105********002X'
    """

    _value: str
    _birth_date: dt.date = attrs.field(eq=False, hash=False)

    def __init__(self, value: str) -> None:
        normalised = _normalise_id(value)
        born = _validate_id(normalised)
        _set_value(self, normalised)  # the slots directly: attrs' frozen __init__ costs more
        _set_birth_date(self, born)

    @classmethod
    def upgrade(cls, old: str, century: int = 19) -> ResidentId:
        """Upgrade a 15-digit first-generation number to 18 characters (15位升18位).

        The 15-digit number (address 6, birth ``YYMMDD``, sequence 3) predates the check
        character; all known ones were issued to people born in the 1900s, hence the
        default century.

        >>> ResidentId.upgrade("110105491231002").unmasked
        '11010519491231002X'
        """
        text = _normalise_id(old)
        if len(text) != 15 or not (text.isascii() and text.isdigit()):
            raise InvalidResidentId(
                "resident_id", mask_id(text), "a 15-digit number is needed", "需要15位数字"
            )
        body = text[:6] + f"{century:02d}" + text[6:]
        return cls(body + check_character(body))

    @classmethod
    def parse(cls, text: str, *, upgrade_15: bool = False) -> ResidentId:
        """Parse an 18-character number, or with ``upgrade_15`` also a 15-digit one."""
        normalised = _normalise_id(text)
        if upgrade_15 and len(normalised) == 15:
            return cls.upgrade(normalised)
        return cls(normalised)

    @property
    def unmasked(self) -> str:
        """The full identity number. Use only where personal data may be shown."""
        return self._value

    @property
    def masked(self) -> str:
        """The number with its birth date hidden: the first 6 and last 4 characters stay.

        Never show it beside the birth date, which is what it hides (``docs/privacy.md``).
        """
        return mask_id(self._value)

    @property
    def address_code(self) -> DivisionCode:
        """Where the number was issued (may be a code that no longer exists)."""
        return DivisionCode(self._value[:6])

    @property
    def birth_date(self) -> dt.date:
        """Birth date encoded in the number (出生日期)."""
        return self._birth_date

    @property
    def sex(self) -> Sex:
        """Odd sequence number: male; even: female (性别)."""
        return _SEX_OF_DIGIT[self._value[16]]

    def __repr__(self) -> str:
        return f"ResidentId({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


_set_value = ResidentId.__dict__["_value"].__set__
_set_birth_date = ResidentId.__dict__["_birth_date"].__set__
_SEX_OF_DIGIT = {digit: Sex.MALE if int(digit) % 2 else Sex.FEMALE for digit in "0123456789"}


# --- administrative division codes ----------------------------------------------------------


class DivisionLevel(enum.IntEnum):
    """The five levels of the administrative hierarchy (行政层级)."""

    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5

    @property
    def label_zh(self) -> str:
        return _LEVEL_ZH[self]

    @property
    def digits(self) -> int:
        """How many leading digits of the 12-digit code identify a unit of this level."""
        return _LEVEL_DIGITS[self]


_LEVEL_DIGITS = {
    DivisionLevel.PROVINCE: 2,
    DivisionLevel.CITY: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
    DivisionLevel.VILLAGE: 12,
}
_LEVEL_ZH = {
    DivisionLevel.PROVINCE: "省级",
    DivisionLevel.CITY: "地级",
    DivisionLevel.COUNTY: "县级",
    DivisionLevel.TOWNSHIP: "乡级",
    DivisionLevel.VILLAGE: "村级",
}
_SEGMENTS = ((0, 2), (2, 4), (4, 6), (6, 9), (9, 12))


class CountyKind(enum.Enum):
    """Kind of a county-level unit by its two county digits (GB/T 2260)."""

    DISTRICT = "district"  # 01–20 市辖区
    COUNTY = "county"  # 21–80 县、自治县、旗
    COUNTY_LEVEL_CITY = "county-level city"  # 81–99 县级市

    @property
    def label_zh(self) -> str:
        return {"district": "市辖区", "county": "县", "county-level city": "县级市"}[self.value]


class TownshipKind(enum.Enum):
    """Kind of a township-level unit by its three township digits (统计用区划代码)."""

    SUBDISTRICT = "subdistrict"  # 001–099 街道
    TOWN = "town"  # 100–199 镇
    TOWNSHIP = "township"  # 200–399 乡, 民族乡, 苏木
    TOWNSHIP_LIKE = "township-like"  # 400–599 类似乡级单位 (development zones, farms …)

    @property
    def label_zh(self) -> str:
        return {
            "subdistrict": "街道",
            "town": "镇",
            "township": "乡",
            "township-like": "类似乡级单位",
        }[self.value]


class VillageKind(enum.Enum):
    """Kind of a village-level unit by its three village digits (统计用区划代码)."""

    RESIDENTS_COMMITTEE = "residents' committee"  # 001–199 居委会 / 社区
    VILLAGERS_COMMITTEE = "villagers' committee"  # 200–399 村委会

    @property
    def label_zh(self) -> str:
        return {
            "residents' committee": "居民委员会",
            "villagers' committee": "村民委员会",
        }[self.value]


# GB/T 2260 province-level codes, with 83 (Taiwan residents' residence permits, 台湾居民居住证)
# because such numbers are issued in the same format.
_PROVINCE_CODES = (
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83"
)
_PROVINCES = frozenset(_PROVINCE_CODES.split())
_ACCEPTED_LENGTHS = (2, 4, 6, 9, 12)


def _normalise_code(raw: object) -> str:
    if (
        type(raw) is str
        and len(raw) == 12
        and raw.isascii()
        and raw.isdigit()
        and raw[:2] in _PROVINCES
    ):
        return raw  # already a valid 12-digit code: the common case, kept fast
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidDivisionCode(
            "division_code", repr(raw), "must be text or an integer", "必须为字符串或整数"
        )
    text = str(raw).strip().translate(_FULLWIDTH)
    if not (text.isascii() and text.isdigit()) or len(text) not in _ACCEPTED_LENGTHS:
        raise InvalidDivisionCode(
            "division_code",
            text,
            "must be 2, 4, 6, 9 or 12 digits",
            "须为2、4、6、9或12位数字",
        )
    if text[:2] not in _PROVINCES:
        raise InvalidDivisionCode(
            "division_code", text, f"unknown province code {text[:2]}", "省级代码不存在"
        )
    return text.ljust(12, "0")


@functools.lru_cache(maxsize=1 << 20)
def _level_of(value: str) -> DivisionLevel:
    """The level of a 12-digit code; cached, as reports ask it of every unit many times."""
    for level in (DivisionLevel.VILLAGE, DivisionLevel.TOWNSHIP, DivisionLevel.COUNTY):
        start, end = _SEGMENTS[level - 1]
        if value[start:end].strip("0"):
            return level
    return DivisionLevel.CITY if value[2:4] != "00" else DivisionLevel.PROVINCE


@attrs.frozen(kw_only=True, init=False, repr=False, order=True)
class DivisionCode:
    """An administrative division code, stored as the 12-digit statistical code.

    Accepts 2, 4, 6, 9 or 12 digits (shorter codes are padded with zeros). The level is
    the last non-zero segment, so a code like ``441900003000`` (a township directly under
    a prefecture-level city with no county) is a township whose parent is the city. Codes
    not in any bundled table are still valid codes: identity numbers carry historical ones.

    >>> c = DivisionCode("450312101")
    >>> c.level.name, c.township_kind.name, str(c.parent)
    ('TOWNSHIP', 'TOWN', '450312000000')
    >>> DivisionCode("45").contains(c)
    True
    """

    value: str

    def __init__(self, value: str | int) -> None:
        self.__attrs_init__(value=_normalise_code(value))

    @property
    def level(self) -> DivisionLevel:
        """The level of the unit: the deepest non-zero segment (行政层级)."""
        return _level_of(self.value)

    @property
    def short(self) -> str:
        """The code at its natural length: 2, 4, 6, 9 or 12 digits."""
        return self.value[: self.level.digits]

    @property
    def parent(self) -> DivisionCode | None:
        """The unit directly above (上级), or ``None`` for a province."""
        level = self.level
        for upper in range(level - 1, 0, -1):
            candidate = self.value[: _LEVEL_DIGITS[DivisionLevel(upper)]].ljust(12, "0")
            if candidate != self.value:
                return _from_normalised(candidate)
        return None

    def ancestors(self) -> Iterator[DivisionCode]:
        """The units above, nearest first, ending with the province."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def contains(self, other: DivisionCode) -> bool:
        """Whether ``other`` is this unit or lies inside it (包含)."""
        return other.value.startswith(self.short)

    def truncate(self, level: DivisionLevel) -> DivisionCode:
        """The unit at ``level`` that contains this one (itself if already at or above it)."""
        if level >= self.level:
            return self
        return _from_normalised(self.value[: level.digits].ljust(12, "0"))

    @property
    def county_kind(self) -> CountyKind | None:
        """市辖区 (01–20) / 县 (21–80) / 县级市 (81–99) by the county digits, else ``None``.

        Districts run to 20, as GB/T 2260 numbers them: the bundled data has 延庆区 (110119),
        奉贤区 (310120) and 璧山区 (500120).
        """
        digits = int(self.value[4:6])
        if self.level < DivisionLevel.COUNTY or digits == 0:
            return None
        if digits <= 20:
            return CountyKind.DISTRICT
        if digits <= 80:
            return CountyKind.COUNTY
        return CountyKind.COUNTY_LEVEL_CITY

    @property
    def township_kind(self) -> TownshipKind | None:
        """街道 / 镇 / 乡 / 类似乡级 by the township band; ``None`` if not in one."""
        band = int(self.value[6:9])
        if self.level < DivisionLevel.TOWNSHIP or band == 0 or band >= 600:
            return None
        return _TOWNSHIP_BANDS[band // 100]

    @property
    def village_kind(self) -> VillageKind | None:
        """居委会 / 村委会 by the village band; ``None`` if not in one."""
        band = int(self.value[9:12])
        if band == 0 or band >= 400:
            return None
        return VillageKind.RESIDENTS_COMMITTEE if band < 200 else VillageKind.VILLAGERS_COMMITTEE

    def __repr__(self) -> str:
        return f"DivisionCode({self.value!r})"

    def __str__(self) -> str:
        return self.value


_TOWNSHIP_BANDS = {
    0: TownshipKind.SUBDISTRICT,
    1: TownshipKind.TOWN,
    2: TownshipKind.TOWNSHIP,
    3: TownshipKind.TOWNSHIP,
    4: TownshipKind.TOWNSHIP_LIKE,
    5: TownshipKind.TOWNSHIP_LIKE,
}


def _from_normalised(value: str) -> DivisionCode:
    """Build a code from an already valid 12-digit string without validating again."""
    code = object.__new__(DivisionCode)
    object.__setattr__(code, "value", value)
    return code
