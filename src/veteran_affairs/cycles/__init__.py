"""Cycles: reporting periods and, in time, the working-day calendar (周期).

Periods — :class:`Month` (月), :class:`Quarter` (季度), :class:`HalfYear` (半年) and
:class:`Year` (年) — live in :mod:`veteran_affairs.cycles.periods` and are re-exported here.

>>> [str(q) for q in Year.parse("2021").months()[4:6]]
['2021-05', '2021-06']
"""

from veteran_affairs.cycles.periods import (
    HalfYear,
    InvalidPeriod,
    Month,
    Period,
    Quarter,
    Year,
    parse_period,
    period_range,
)

# The working-day calendar's names (calendar_for, ...) are added here by the author of
# veteran_affairs.cycles.calendar; this module does not import it.

__all__ = [
    "HalfYear",
    "InvalidPeriod",
    "Month",
    "Period",
    "Quarter",
    "Year",
    "parse_period",
    "period_range",
]


def __dir__() -> list[str]:
    return __all__
