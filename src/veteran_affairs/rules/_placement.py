"""Shared by the placement rules (安置): the two regulations and three-valued conditions.

Placement is governed by the regulation in force on the DISCHARGE date: 《退役士兵安置条例》
(2011) for discharges from 2011-11-01 to 2024-08-31, 《退役军人安置条例》(2024) from 2024-09-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from veteran_affairs.rules._parameters import Citation

REGULATION_2011 = dt.date(2011, 11, 1)
REGULATION_2024 = dt.date(2024, 9, 1)
OLD_DOCUMENT = "《退役士兵安置条例》(2011)"
NEW_DOCUMENT = "《退役军人安置条例》(2024)"


def old_article(article: str) -> Citation:
    """An article of 《退役士兵安置条例》(2011)."""
    return Citation(document=OLD_DOCUMENT, article=article, effective=REGULATION_2011)


def new_article(article: str) -> Citation:
    """An article of 《退役军人安置条例》(2024)."""
    return Citation(document=NEW_DOCUMENT, article=article, effective=REGULATION_2024)


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
