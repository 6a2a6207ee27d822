"""Shared by the placement rules (安置): the regulation in force and three-valued conditions.

Placement is governed by the regulation in force on the DISCHARGE date: 《退役士兵安置条例》
(2011) for discharges from 2011-11-01 to 2024-08-31, 《退役军人安置条例》(2024) from 2024-09-01.
The texts, their dates and the pairs of matching articles live in :mod:`veteran_affairs.statutes`;
the names below are that module's, under the names the rules use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from veteran_affairs.models import SanctionKind, Veteran
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._engine import Evaluation
from veteran_affairs.statutes import SOLDIER_PLACEMENT_2011, VETERAN_PLACEMENT_2024

REGULATION_2011 = SOLDIER_PLACEMENT_2011.in_force
REGULATION_2024 = VETERAN_PLACEMENT_2024.in_force
old_article = SOLDIER_PLACEMENT_2011.article
"""An article of 《退役士兵安置条例》(2011)."""
new_article = VETERAN_PLACEMENT_2024.article
"""An article of 《退役军人安置条例》(2024)."""


class Term(NamedTuple):
    """One condition before it is recorded: its value and the input it waits for."""

    code: str
    held: bool | None
    message_en: str
    message_zh: str
    citation: Citation
    missing: str | None = None


def any_of(values: Iterable[bool | None]) -> bool | None:
    """Kleene disjunction: true if any is true, unknown if any is unknown, else false."""
    seen = list(values)
    if True in seen:
        return True
    return None if None in seen else False


def check_discharge(
    evaluation: Evaluation, veteran: Veteran, conditions: Citation, definition: Citation
) -> None:
    """Record the checks every placement rule makes of the discharge itself.

    Decided on or after the discharge; alive when discharged; and a lawful discharge — an
    expulsion from the army (开除军籍) on or before the discharge date means there was none.
    """
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    when = discharged_on.isoformat()
    evaluation.check(
        "service.discharged",
        evaluation.on >= discharged_on,
        f"decided on or after the discharge ({when})",
        f"于退出现役（{when}）后确定",
        conditions,
    )
    died = veteran.person.died_on
    alive = died is None or died >= discharged_on
    evaluation.check(
        "person.alive_at_discharge",
        alive,
        "alive when discharged" if alive else f"died on {died} before the discharge date",
        "退出现役时在世" if alive else f"于{died}退役前死亡",
        definition,
    )
    expelled = [
        s
        for s in veteran.sanctions
        if s.kind is SanctionKind.EXPULSION_FROM_ARMY and s.since <= discharged_on
    ]
    if expelled:
        since = expelled[0].since.isoformat()
        evaluation.check(
            "service.lawful_discharge",
            False,
            f"expelled from the army on {since}: not a lawful discharge",
            f"于{since}被开除军籍，不属依法退出现役",
            definition,
        )
