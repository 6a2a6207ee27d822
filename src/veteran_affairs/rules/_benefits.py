"""Citations of 《军人抚恤优待条例》: the 2019 text (before 2024-10-01) and the 2024 text."""

from __future__ import annotations

import datetime as dt

from veteran_affairs.parameters import Citation

REGULATION_2019 = dt.date(2019, 3, 2)
REGULATION_2024 = dt.date(2024, 10, 1)


def article_2019(article: str) -> Citation:
    """An article of 《军人抚恤优待条例》(2019)."""
    return Citation(
        document="《军人抚恤优待条例》(2019)", article=article, effective=REGULATION_2019
    )


def article_2024(article: str) -> Citation:
    """An article of 《军人抚恤优待条例》(2024)."""
    return Citation(
        document="《军人抚恤优待条例》(2024)", article=article, effective=REGULATION_2024
    )
