"""Cycles: reporting periods and the working-day calendar (周期与工作日).

Periods — :class:`Month` (月), :class:`Quarter` (季度), :class:`HalfYear` (半年) and
:class:`Year` (年) — live in :mod:`veteran_affairs.cycles.periods`; the working-day calendar
(China's statutory holidays and adjusted working days, with Guangxi's 壮族三月三 overlay) and
legal period arithmetic in :mod:`veteran_affairs.cycles.calendar`. Both are re-exported here.

>>> [str(q) for q in Year.parse("2021").months()[4:6]]
['2021-05', '2021-06']
>>> import datetime as dt
>>> calendar_for("45").add_workdays(dt.date(2025, 9, 30), 5)
datetime.date(2025, 10, 14)
"""

from veteran_affairs.cycles.calendar import (
    CalendarDataMissing,
    ChinaCalendar,
    WorkCalendar,
    calendar_for,
    due_after_workdays,
    period_end,
    source,
)
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

__all__ = [
    "CalendarDataMissing",
    "ChinaCalendar",
    "HalfYear",
    "InvalidPeriod",
    "Month",
    "Period",
    "Quarter",
    "WorkCalendar",
    "Year",
    "calendar_for",
    "due_after_workdays",
    "parse_period",
    "period_end",
    "period_range",
    "source",
]


def __dir__() -> list[str]:
    return __all__
