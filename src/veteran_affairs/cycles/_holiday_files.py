"""Holiday files (节假日安排文件): read and check them (private engine of ``cycles.calendar``).

One format serves the bundled tables and the files users supply for years the library lacks.
A file without ``division`` holds national notice years (the format of ``holidays-cn.toml``);
a file with ``division = "45"`` holds a division's own days laid over the national calendar
(the format of ``guangxi-sanyuesan.toml``). Both files' header comments describe the fields.

Every check names the file, the year and the field it failed on, and stops at the first
problem: a holiday file is short, and a date read wrongly must never become a working day.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

import attrs

from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode

SCHEMA = 1
# Editions of 全国年节及纪念日放假办法: the first year each is in force, and its days off a year.
LAW_EDITIONS = {"2013": (2014, 11), "2024": (2025, 13)}
GRADES = ("GOV", "REPOST", "SECONDARY")

_YEAR_KEY = re.compile(r"[12]\d{3}")
_ONE_DAY = datetime.timedelta(days=1)


class InvalidHolidayFile(InvalidValue):
    """A holiday file does not follow the format of the bundled ones (节假日文件无效).

    Attributes:
        path: the file, as given (or ``data/jurisdictions/<profile>/…`` for a bundled table).
        year: the notice year whose table is wrong; ``None`` for the file as a whole.
        field: the field within that year's table (``"off[2].last"``), or at the top.
        value: the offending value as text.
        reason: what is wrong, in English.
        reason_zh: what is wrong, in Chinese.
    """

    def __init__(
        self,
        path: str,
        year: int | None,
        field: str,
        value: object,
        reason: str,
        reason_zh: str = "",
    ) -> None:
        self.path = path
        self.year = year
        super().__init__(field, value, reason, reason_zh)

    def _message(self) -> str:
        where = "" if self.year is None else f"[years.{self.year}] "
        zh = f" ({self.reason_zh})" if self.reason_zh else ""
        return f"{self.path}: {where}{self.field} = {self.value}: {self.reason}{zh}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (self.path, self.year, self.field, self.value, self.reason, self.reason_zh),
        )


@attrs.frozen(kw_only=True)
class HolidayYear:
    """The days one notice year sets (一年的放假安排).

    Attributes:
        year: the notice year. A national notice may also set days in the December before
            (a 元旦 holiday that starts then); a division's days lie in the year itself.
        off: days off (放假), whether or not they are weekdays.
        work: Saturdays and Sundays made working days (调休上班日).
        notice: the title of the (first) notice the days come from.
    """

    year: int
    off: frozenset[datetime.date]
    work: frozenset[datetime.date]
    notice: str


@attrs.frozen(kw_only=True, repr=False)
class HolidayFile:
    """A checked holiday file: national notice years, or one division's own days.

    Read one with :func:`~veteran_affairs.cycles.calendar.load_holidays` and pass it (or its
    path) to :func:`~veteran_affairs.cycles.calendar.calendar_for` as ``holidays=``.

    Attributes:
        path: where it was read from.
        division: the division whose own days these are (``45`` for Guangxi); ``None`` for
            national notice years.
        name: what the days are, for messages (``"Guangxi 壮族三月三"``).
        years: one entry per notice year, by year.
    """

    path: str
    division: DivisionCode | None
    name: str
    years: tuple[HolidayYear, ...]

    @property
    def year_numbers(self) -> tuple[int, ...]:
        """The notice years the file answers, in order."""
        return tuple(y.year for y in self.years)

    def __repr__(self) -> str:
        listed = ", ".join(str(y) for y in self.year_numbers)
        return f"<HolidayFile {self.path}: {self.name} {listed}>"


class _Reader:
    """Checks one parsed document, failing with the file, the year and the field."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.year: int | None = None

    def fail(self, field: str, value: object, reason: str, reason_zh: str) -> NoReturn:
        raise InvalidHolidayFile(self.path, self.year, field, _shown(value), reason, reason_zh)

    def fields(
        self,
        where: str,
        table: object,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any]:
        if not isinstance(table, dict):
            self.fail(where or "(file)", table, "must be a table", "应为表")
        required = tuple(required)
        known = (*required, *optional)
        prefix = f"{where}." if where else ""
        for key in table:
            if key not in known:
                self.fail(
                    f"{prefix}{key}",
                    table[key],
                    f"unknown field; expected {', '.join(known)}",
                    "未知字段",
                )
        for key in required:
            if key not in table:
                self.fail(
                    f"{prefix}{key}", "(missing)", "required field is missing", "缺少必填字段"
                )
        return table

    def text(self, field: str, value: object, *, empty: bool = False) -> str:
        if not isinstance(value, str):
            self.fail(field, value, "must be text", "应为文本")
        if not empty and not value.strip():
            self.fail(field, value, "must not be empty", "不能为空")
        return value

    def date(self, field: str, value: object) -> datetime.date:
        if type(value) is not datetime.date:
            hint = " (write it unquoted: 2027-01-01)" if isinstance(value, str) else ""
            self.fail(field, value, f"must be a date{hint}", "应为日期")
        return value

    def published(self, field: str, value: object) -> None:
        if type(value) is not datetime.date and not isinstance(value, str):
            self.fail(field, value, "must be a date or text", "应为日期或文本")

    def flag(self, field: str, value: object) -> bool:
        if not isinstance(value, bool):
            self.fail(field, value, "must be true or false", "应为 true 或 false")
        return value

    def dates(self, field: str, value: object) -> list[datetime.date]:
        if not isinstance(value, list):
            self.fail(field, value, "must be a list of dates", "应为日期列表")
        days = [self.date(f"{field}[{i}]", item) for i, item in enumerate(value)]
        seen: set[datetime.date] = set()
        for i, day in enumerate(days):
            if day in seen:
                self.fail(f"{field}[{i}]", day, "listed twice", "重复")
            seen.add(day)
        return days

    def weekend(self, field: str, days: Sequence[datetime.date]) -> None:
        for i, day in enumerate(days):
            if day.weekday() < 5:
                self.fail(
                    f"{field}[{i}]",
                    day,
                    f"is a {day:%A}: only a Saturday or Sunday can be made a working day",
                    "调休上班日应为周六或周日",
                )


def _shown(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if value == "(missing)" else repr(value)


def _span(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


def _wrong_kind(reader: _Reader, table: object, fields: tuple[str, ...], hint: str) -> None:
    """Fail early, with ``hint``, on a year table written for the other kind of file."""
    if isinstance(table, dict):
        for field in fields:
            if field in table:
                reader.fail(field, table[field], hint, "文件类型不符")


def _national_year(reader: _Reader, year: int, table: object) -> HolidayYear:
    _wrong_kind(
        reader,
        table,
        ("notice", "secondary"),
        "belongs to a division's own days: name the division at the top of the file "
        '(division = "45"), or write a national year (law, extra_days_off, notices, off, work)',
    )
    data = reader.fields("", table, ("law", "extra_days_off", "notices", "off", "work"))
    law = data["law"]
    in_force = max((e for e, (first, _) in LAW_EDITIONS.items() if first <= year), default=None)
    if in_force is None:
        reader.fail(
            "law",
            law,
            "national years before 2014 are not supported (the 2013 edition of "
            "全国年节及纪念日放假办法 took effect in 2014)",
            "不支持2014年以前的年度",
        )
    if law != in_force:
        reader.fail(
            "law",
            law,
            f"the {in_force} edition of 全国年节及纪念日放假办法 is in force in {year}",
            "放假办法版本与年度不符",
        )
    extra = data["extra_days_off"]
    if type(extra) is not int or extra < 0:
        reader.fail("extra_days_off", extra, "must be a whole number ≥ 0", "应为非负整数")
    notices = data["notices"]
    if not isinstance(notices, list) or not notices:
        reader.fail("notices", notices, "must list at least one notice", "至少列出一份通知")
    titles = []
    for i, item in enumerate(notices):
        notice = reader.fields(
            f"notices[{i}]", item, ("title",), ("number", "published", "verified")
        )
        titles.append(reader.text(f"notices[{i}].title", notice["title"]))
        if "number" in notice:
            reader.text(f"notices[{i}].number", notice["number"], empty=True)
        if "published" in notice:
            reader.published(f"notices[{i}].published", notice["published"])
        if "verified" in notice:
            reader.flag(f"notices[{i}].verified", notice["verified"])
    earliest = datetime.date(year - 1, 12, 1)
    off: set[datetime.date] = set()
    spans = data["off"]
    if not isinstance(spans, list):
        reader.fail(
            "off", spans, "must be a list of {holiday, first, last} tables", "应为放假区间列表"
        )
    for i, item in enumerate(spans):
        where = f"off[{i}]"
        if not isinstance(item, dict):
            reader.fail(
                where,
                item,
                "must be a table {holiday, first, last}; a division's own days go in a file "
                'that names its division (division = "45")',
                "应为放假区间",
            )
        span = reader.fields(where, item, ("holiday", "first", "last"))
        reader.text(f"{where}.holiday", span["holiday"])
        first = reader.date(f"{where}.first", span["first"])
        last = reader.date(f"{where}.last", span["last"])
        if last < first:
            reader.fail(f"{where}.last", last, f"is before first ({first})", "结束日早于开始日")
        if last.year != year or first < earliest:
            reader.fail(
                where,
                f"{first}–{last}",
                f"must end in {year} (and start no earlier than {earliest})",
                "放假区间应属于本年度",
            )
        off.update(_span(first, last))
    work = reader.dates("work", data["work"])
    reader.weekend("work", work)
    for i, day in enumerate(work):
        if not earliest <= day <= datetime.date(year, 12, 31):
            reader.fail(
                f"work[{i}]", day, f"must lie in {year} or the December before", "不在本年度"
            )
        if day in off:
            reader.fail(f"work[{i}]", day, "is also inside a span of days off", "与放假日重复")
    days = LAW_EDITIONS[in_force][1] + extra
    net = sum(1 for d in off if d.weekday() < 5) - len(work)
    if net != days:
        reader.fail(
            "off",
            f"{net} (weekdays off less weekend days worked)",
            f"does not add up to the {days} days off a year of the {in_force} edition"
            + (f" plus extra_days_off {extra}" if extra else ""),
            "放假天数与放假办法不符",
        )
    return HolidayYear(year=year, off=frozenset(off), work=frozenset(work), notice=titles[0])


def _division_year(reader: _Reader, year: int, table: object) -> HolidayYear:
    _wrong_kind(
        reader,
        table,
        ("law", "extra_days_off", "notices"),
        "belongs to a national notice year: a file of national years names no division",
    )
    data = reader.fields("", table, ("off", "work", "notice", "secondary"), ("source", "note"))
    notice = reader.fields("notice", data["notice"], ("title",), ("published",))
    title = reader.text("notice.title", notice["title"])
    if "published" in notice:
        reader.published("notice.published", notice["published"])
    off = reader.dates("off", data["off"])
    work = reader.dates("work", data["work"])
    reader.weekend("work", work)
    for field, days in (("off", off), ("work", work)):
        for i, day in enumerate(days):
            if day.year != year:
                reader.fail(f"{field}[{i}]", day, f"must lie in {year}", "不在本年度")
    for i, day in enumerate(work):
        if day in off:
            reader.fail(f"work[{i}]", day, "is also listed in off", "与放假日重复")
    note = reader.text("note", data["note"]) if "note" in data else ""
    if not off and not note:
        reader.fail(
            "off",
            off,
            "no day off: if the notice gave none (a cancelled year), say so in a note",
            "无放假日时须在 note 中说明",
        )
    secondary = reader.flag("secondary", data["secondary"])
    if "source" in data:
        source = reader.fields("source", data["source"], ("url", "grade"), ("by", "quote"))
        url = reader.text("source.url", source["url"])
        if not url.startswith(("http://", "https://")):
            reader.fail("source.url", url, "must be an http(s) address", "应为网址")
        grade = source["grade"]
        if grade not in GRADES:
            reader.fail(
                "source.grade", grade, f"must be one of {', '.join(GRADES)}", "来源等级无效"
            )
        for key in ("by", "quote"):
            if key in source:
                reader.text(f"source.{key}", source[key])
        if secondary != (grade == "SECONDARY"):
            reader.fail(
                "secondary",
                secondary,
                f"must be {'true' if grade == 'SECONDARY' else 'false'} for a {grade} source",
                "与来源等级不符",
            )
    return HolidayYear(year=year, off=frozenset(off), work=frozenset(work), notice=title)


def read_document(document: Mapping[str, Any], path: str) -> HolidayFile:
    """Check a parsed holiday file and return its days.

    Raises:
        InvalidHolidayFile: the first field that breaks the format.
    """
    reader = _Reader(path)
    data = reader.fields("", dict(document), ("schema", "years"), ("division", "name"))
    if data["schema"] != SCHEMA:
        reader.fail("schema", data["schema"], f"must be {SCHEMA}", "格式版本不符")
    division: DivisionCode | None = None
    if "division" in data:
        text = reader.text("division", data["division"])
        try:
            division = DivisionCode(text)
        except ValueError:
            reader.fail("division", text, "is not a division code", "不是行政区划代码")
    default = "national" if division is None else f"division {division.short} holidays"
    name = reader.text("name", data["name"]) if "name" in data else default
    years = data["years"]
    if not isinstance(years, dict) or not years:
        reader.fail("years", years, "must hold at least one [years.YYYY] table", "至少一个年度")
    read = []
    for key, table in years.items():
        if not isinstance(key, str) or not _YEAR_KEY.fullmatch(key):
            reader.fail(f"years.{key}", table, "the key must be a year (four digits)", "应为年份")
        reader.year = int(key)
        if division is None:
            read.append(_national_year(reader, int(key), table))
        else:
            read.append(_division_year(reader, int(key), table))
    read.sort(key=lambda y: y.year)
    return HolidayFile(path=path, division=division, name=name, years=tuple(read))
