"""Which roster column holds which field (列名映射): the private engine behind ``ColumnMap``.

A roster's header row names its columns in Chinese, as county offices write them; several
spellings are in use for the same field (``公民身份号码``, ``身份证号``, ``身份证号码``). A
:class:`ColumnMap` maps each accepted header text to one field name of :data:`FIELDS`.

>>> DEFAULT_COLUMNS.field_of("身份证号")
'resident_id'
>>> DEFAULT_COLUMNS.header_of("resident_id")
'公民身份号码'
>>> DEFAULT_COLUMNS.extended({"证件号": "resident_id"}).field_of("证件号")
'resident_id'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from veteran_affairs.errors import InvalidValue

FIELDS: tuple[str, ...] = (
    "name",
    "resident_id",
    "sex",
    "birth_date",
    "ethnicity",
    "phone",
    "hukou_division",
    "hukou_type",
    "enlisted_on",
    "discharged_on",
    "personnel_type",
    "discharge_mode",
    "nco_rank",
    "disability_grade",
    "disability_nature",
    "disability_assessed_on",
)
"""The fields a roster row can fill, in the order of the canonical header."""

REQUIRED_FIELDS: frozenset[str] = frozenset(
    {
        "name",
        "resident_id",
        "hukou_division",
        "hukou_type",
        "enlisted_on",
        "discharged_on",
        "personnel_type",
        "discharge_mode",
    }
)
"""Fields whose column must be in the header and whose cell must not be blank."""

PERSONAL_FIELDS: frozenset[str] = frozenset({"name", "resident_id", "phone"})
"""Fields whose values are masked in every error message (姓名, 公民身份号码, 联系电话)."""

# (field, canonical header, other accepted headers). The canonical header comes first: it is
# what errors name when a column is missing and what exports write.
_DEFAULT_HEADERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ()),
    ("resident_id", "公民身份号码", ("身份证号", "身份证号码", "身份证")),
    ("sex", "性别", ()),
    ("birth_date", "出生日期", ("出生年月日",)),
    ("ethnicity", "民族", ()),
    ("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式")),
    ("hukou_division", "户籍地", ("户籍所在地", "户籍地代码", "户籍地区划代码")),
    ("hukou_type", "户口性质", ("户籍性质",)),
    ("enlisted_on", "入伍时间", ("入伍日期",)),
    ("discharged_on", "退役时间", ("退役日期", "退伍时间")),
    ("personnel_type", "人员类别", ("退役类别",)),
    ("discharge_mode", "退役方式", ("安置方式",)),
    ("nco_rank", "士官级别", ("军士级别", "士官等级")),
    ("disability_grade", "伤残等级", ("残疾等级",)),
    ("disability_nature", "伤残性质", ("残疾性质", "致残性质")),
    ("disability_assessed_on", "评残时间", ("评残日期",)),
)


def normalise_header(text: str) -> str:
    """A header cell as it is matched: surrounding blanks (full-width ones too) removed."""
    return text.strip().strip("\u3000").strip()


def _check_headers(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidValue("columns", type(value).__name__, "must be a mapping", "应为映射")
    for header, field in value.items():
        if not isinstance(header, str) or not normalise_header(header):
            raise InvalidValue(
                "columns", repr(header), "a header must be non-blank text", "列名须为非空文本"
            )
        if field not in FIELDS:
            raise InvalidValue(
                f"columns[{header!r}]",
                repr(field),
                f"unknown field; known fields: {', '.join(FIELDS)}",
                "未知字段",
            )


def _frozen(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value  # the validator says what is wrong
    return MappingProxyType(
        {normalise_header(h) if isinstance(h, str) else h: f for h, f in value.items()}
    )


@attrs.frozen(kw_only=True)
class ColumnMap:
    """Header text → field name (列名 → 字段), for reading and writing rosters.

    Several headers may name the same field (accepted spellings); a roster may use any one
    of them, but not two at once. The first header given for a field is its canonical one:
    the header errors name when the column is missing and the one :data:`ROSTER_HEADER`
    uses. Headers are matched after removing surrounding blanks.

    Raises:
        InvalidValue: a blank header or a field name not in :data:`FIELDS`.

    >>> sorted(ColumnMap(headers={"姓名": "name", "身份证": "resident_id"}).fields)
    ['name', 'resident_id']
    """

    headers: Mapping[str, str] = attrs.field(converter=_frozen, validator=_check_headers)

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
        checked = ColumnMap(headers=more).headers
        merged = dict(checked)
        for header, field in self.headers.items():
            merged.setdefault(header, field)
        return ColumnMap(headers=merged)


DEFAULT_COLUMNS = ColumnMap(
    headers={
        header: field
        for field, canonical, others in _DEFAULT_HEADERS
        for header in (canonical, *others)
    }
)
"""The headers county offices use (see ``docs/howto-import-roster.md`` for the table)."""

ROSTER_HEADER: tuple[str, ...] = tuple(canonical for _, canonical, _ in _DEFAULT_HEADERS)
"""The canonical header row, one column per field of :data:`FIELDS`, in that order."""


def load_column_map(
    path: str | os.PathLike[str], *, base: ColumnMap = DEFAULT_COLUMNS
) -> ColumnMap:
    """A column map from a TOML file, over ``base`` (the defaults unless given).

    The file has one table, ``[columns]``, of header = field pairs::

        [columns]
        "证件号码" = "resident_id"
        "户籍地址代码" = "hukou_division"

    Args:
        path: the TOML file.
        base: the map the file's headers are added to.

    Returns:
        ``base.extended(...)`` with the file's pairs.

    Raises:
        InvalidValue: the file is not TOML, lacks a ``[columns]`` table, or names an unknown
            field (its ``field`` is ``"columns"`` or ``"columns[<header>]"``).
        OSError: the file cannot be opened.
    """
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
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise InvalidValue(
            "columns",
            where,
            'needs a [columns] table of "header" = "field" pairs',
            '需要 [columns] 表，每行 "列名" = "字段"',
        )
    return base.extended(table)
