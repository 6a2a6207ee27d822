"""Routine files (工作制度文件): a preset of work routines as data (private engine of
``cycles.routines``).

A routine file lists ``[[routine]]`` tables, each a :class:`~veteran_affairs.cycles.routines.Cycle`
written out: ``name``, ``label_zh``, ``kinds`` (activity kinds), ``frequency``, ``due`` (a
table naming its ``rule`` and that rule's fields) and optional ``levels``. The bundled Guangxi
preset (``data/jurisdictions/guangxi/routines.toml``) is one; its header comment describes
the fields. Routines are configuration, not law, so the file carries no citations; the
profile's manifest says where the choices come from.

Every check names the file, the routine and the field it failed on, and stops at the first.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from veteran_affairs.cycles.routines import (
    BeforeFestival,
    ByDayOfPeriod,
    Cycle,
    DueRule,
    Festival,
    Frequency,
    InMonthOfPeriod,
    InvalidRoutineFile,
    OnDayMovedToWorkday,
    WithinPeriod,
    WorkdaysAfterEnd,
)
from veteran_affairs.identity import DivisionLevel
from veteran_affairs.models.activity import ActivityKind

SCHEMA = 1

# The due rules by the name a file gives them, with the whole-number fields each takes.
_RULES: Mapping[str, tuple[type[DueRule], tuple[str, ...]]] = {
    "within-period": (WithinPeriod, ()),
    "by-day-of-period": (ByDayOfPeriod, ("day",)),
    "on-day-moved-to-workday": (OnDayMovedToWorkday, ("day",)),
    "in-month-of-period": (InMonthOfPeriod, ("month",)),
    "workdays-after-end": (WorkdaysAfterEnd, ("workdays",)),
    "before-festival": (BeforeFestival, ()),
}
_LEVELS = {level.name.lower(): level for level in DivisionLevel}


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.routine = ""

    def fail(self, field: str, value: object, reason: str, reason_zh: str) -> NoReturn:
        shown = value if value == "(missing)" else repr(value)
        raise InvalidRoutineFile(self.path, self.routine, field, shown, reason, reason_zh)

    def table(
        self, field: str, value: object, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(field or "(file)", value, "must be a table", "应为表")
        known = (*required, *optional)
        prefix = f"{field}." if field else ""
        for key in value:
            if key not in known:
                self.fail(
                    f"{prefix}{key}",
                    value[key],
                    f"unknown field; expected {', '.join(known)}",
                    "未知字段",
                )
        for key in required:
            if key not in value:
                self.fail(
                    f"{prefix}{key}", "(missing)", "required field is missing", "缺少必填字段"
                )
        return value

    def text(self, field: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(field, value, "must be non-empty text", "应为非空文本")
        return value

    def whole(self, field: str, value: object) -> int:
        if type(value) is not int or value < 0:
            self.fail(field, value, "must be a whole number ≥ 0", "应为非负整数")
        return value

    def choice(self, field: str, value: object, choices: Mapping[str, Any]) -> Any:
        if not isinstance(value, str) or value not in choices:
            self.fail(field, value, f"must be one of {', '.join(choices)}", "取值无效")
        return choices[value]

    def choices(self, field: str, value: object, choices: Mapping[str, Any]) -> list[Any]:
        if not isinstance(value, list):
            self.fail(field, value, "must be a list", "应为列表")
        chosen = [self.choice(f"{field}[{i}]", item, choices) for i, item in enumerate(value)]
        if len(set(chosen)) != len(chosen):
            self.fail(field, value, "lists a value twice", "重复")
        return chosen


def _due(reader: _Reader, raw: object) -> DueRule:
    optional = ("day", "month", "workdays", "festival", "lead_days", "dates")
    rule = reader.table("due", raw, ("rule",), optional)
    kind, fields = reader.choice("due.rule", rule["rule"], _RULES)
    allowed = ("festival", "lead_days", "dates") if kind is BeforeFestival else fields
    for key in rule:
        if key != "rule" and key not in allowed:
            reader.fail(
                f"due.{key}",
                rule[key],
                f"is not a field of the {rule['rule']} rule",
                "该规则无此字段",
            )
    required = ("festival",) if kind is BeforeFestival else fields
    for key in required:
        if key not in rule:
            reader.fail(f"due.{key}", "(missing)", "required field is missing", "缺少必填字段")
    if kind is BeforeFestival:
        festival = reader.choice("due.festival", rule["festival"], {f.value: f for f in Festival})
        dates: list[tuple[int, dt.date]] = []
        listed = rule.get("dates", [])
        if not isinstance(listed, list):
            reader.fail("due.dates", listed, "must be a list of {year, date} tables", "应为列表")
        for i, item in enumerate(listed):
            entry = reader.table(f"due.dates[{i}]", item, ("year", "date"), ())
            if type(entry["date"]) is not dt.date:
                reader.fail(f"due.dates[{i}].date", entry["date"], "must be a date", "应为日期")
            dates.append((reader.whole(f"due.dates[{i}].year", entry["year"]), entry["date"]))
        lead = reader.whole("due.lead_days", rule.get("lead_days", 30))
        values: dict[str, Any] = {"festival": festival, "lead_days": lead, "dates": tuple(dates)}
    else:
        values = {key: reader.whole(f"due.{key}", rule[key]) for key in fields}
    try:
        rule_made: DueRule = kind(**values)
    except ValueError as error:  # a validator of the rule: a day of 0, …
        reader.fail("due", raw, str(error), "取值无效")
    return rule_made


def _routine(reader: _Reader, index: int, raw: object) -> Cycle:
    reader.routine = f"routine[{index}]"
    table = reader.table("", raw, ("name", "label_zh", "kinds", "frequency", "due"), ("levels",))
    name = reader.text("name", table["name"])
    reader.routine = f"routine[{index}] {name!r}"
    kinds = reader.choices("kinds", table["kinds"], {k.value: k for k in ActivityKind})
    levels = (
        reader.choices("levels", table["levels"], _LEVELS)
        if "levels" in table
        else list(_LEVELS.values())
    )
    if not levels:
        reader.fail("levels", table["levels"], "must name at least one level", "至少一个层级")
    return Cycle(
        name=name,
        label_zh=reader.text("label_zh", table["label_zh"]),
        kinds=kinds,
        frequency=reader.choice("frequency", table["frequency"], {f.value: f for f in Frequency}),
        due=_due(reader, table["due"]),
        levels=levels,
    )


def read_routines(document: Mapping[str, Any], path: str) -> Mapping[str, Cycle]:
    """Check a parsed routine file and return its routines by name, in file order.

    Raises:
        InvalidRoutineFile: the first field that breaks the format.
    """
    reader = _Reader(path)
    data = reader.table("", dict(document), ("schema", "routine"), ())
    if data["schema"] != SCHEMA:
        reader.fail("schema", data["schema"], f"must be {SCHEMA}", "格式版本不符")
    listed = data["routine"]
    if not isinstance(listed, list) or not listed:
        reader.fail("routine", listed, "must hold at least one [[routine]] table", "至少一项")
    cycles: dict[str, Cycle] = {}
    for index, raw in enumerate(listed):
        cycle = _routine(reader, index, raw)
        if cycle.name in cycles:
            reader.fail("name", cycle.name, "is the name of an earlier routine", "名称重复")
        cycles[cycle.name] = cycle
    return MappingProxyType(cycles)


def load_routine_file(path: str | os.PathLike[str]) -> Mapping[str, Cycle]:
    """Read and check a routine file (the engine of ``routines.load_routines``)."""
    shown = os.fspath(path)
    with open(path, "rb") as handle:
        try:
            document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise InvalidRoutineFile(
                shown, "", "(file)", str(error), "is not valid TOML", "不是有效的 TOML 文件"
            ) from None
    return read_routines(document, shown)
