"""Rules as law: dated parameters, explained decisions, and the benefit amounts (规则).

>>> import datetime as dt
>>> book = RuleBook.load("guangxi")
>>> "disability_pension" in book.rule_names, book.jurisdiction
(True, 'guangxi')

Every rule is a module named for what it decides (``rules/disability_pension.py`` …) with a
docstring that states it in plain words and cites its articles; each returns a
:class:`Decision` that lists every condition checked, every parameter used and its version.
Parameters live in bundled TOML files (``data/jurisdictions/national/national.toml``, ``guangxi.toml`` layered
on it) and users layer their own with :meth:`RuleBook.with_parameters`.
"""

from __future__ import annotations

from types import MappingProxyType

from veteran_affairs.parameters import (
    Citation,
    Parameter,
    ParameterSet,
    ParameterValue,
    ParameterVersion,
    SourceGrade,
)
from veteran_affairs.rules import (
    arranged_employment,
    conscript_family_allowance,
    disability_pension,
    glory_plaque,
    hardship_assistance,
    key_entitled,
    living_allowance,
    one_off_retirement_payment,
    retirement_or_support,
    survivor_pension,
)
from veteran_affairs.rules._decision import (
    Component,
    Deadline,
    Decision,
    ParameterUse,
    Period,
    Reason,
)
from veteran_affairs.rules._engine import Change, Evaluation, Rule, RuleBook, bundled_jurisdictions

__all__ = [
    "RULES",
    "Change",
    "Citation",
    "Component",
    "Deadline",
    "Decision",
    "Evaluation",
    "Parameter",
    "ParameterSet",
    "ParameterUse",
    "ParameterValue",
    "ParameterVersion",
    "Period",
    "Reason",
    "Rule",
    "RuleBook",
    "SourceGrade",
    "bundled_jurisdictions",
]

RULES = MappingProxyType(
    {
        module.RULE.name: module.RULE
        for module in (
            disability_pension,
            survivor_pension,
            living_allowance,
            one_off_retirement_payment,
            key_entitled,
            glory_plaque,
            arranged_employment,
            retirement_or_support,
            hardship_assistance,
            conscript_family_allowance,
        )
    }
)
"""Every rule the library ships, by name."""


def __dir__() -> list[str]:
    return __all__
