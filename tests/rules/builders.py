"""Pieces the rule tests share: scenario tables, personnel kinds, identity numbers, flag books."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from veteran_affairs.identity import ResidentId, check_character
from veteran_affairs.models import NcoRank, PersonnelType
from veteran_affairs.rules import RuleBook

SCENARIO_DIR = Path(__file__).parent / "scenarios"

PERSONNEL: dict[str, tuple[PersonnelType, NcoRank | None]] = {
    "conscript": (PersonnelType.CONSCRIPT, None),
    "junior-nco": (PersonnelType.NCO, NcoRank.JUNIOR),
    "senior-nco": (PersonnelType.NCO, NcoRank.INTERMEDIATE_OR_SENIOR),
    "officer": (PersonnelType.OFFICER, None),
}
"""Scenario tables name the personnel type (and NCO rank) with these words."""

ELIGIBLE: dict[Any, bool | None] = {True: True, False: False, "unknown": None, "undetermined": None}
"""A scenario's expected ``eligible``: true, false, or undecided for lack of an input."""


def scenarios(rule: str) -> list[dict[str, Any]]:
    """The scenario table of ``rule`` (``tests/rules/scenarios/<rule>.toml``)."""
    text = (SCENARIO_DIR / f"{rule}.toml").read_text("utf-8")
    table: list[dict[str, Any]] = tomllib.loads(text)["scenario"]
    return table


def resident_id(body: str) -> ResidentId:
    """The identity number with the 17 digits ``body`` and its check character."""
    return ResidentId(body + check_character(body))


def flag_book(book: RuleBook, flags: dict[str, int], folder: Path) -> RuleBook:
    """``book`` with policy flags defined in a test parameter file (test inputs, not law)."""
    if not flags:
        return book
    text = "".join(
        f'[[parameter]]\nkey = "{key}"\nlabel_zh = "测试"\nlabel_en = "test flag"\n'
        f'unit = "flag"\n  [[parameter.version]]\n  citation = "test override"\n'
        f'  value = "{value}"\n'
        for key, value in flags.items()
    )
    path = folder / "flags.toml"
    path.write_text(text, "utf-8")
    return book.with_parameters(path)
