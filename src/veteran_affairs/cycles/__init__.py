"""Cycles: reporting periods and the working-day calendar (周期与工作日).

Periods — :class:`Month` (月), :class:`Quarter` (季度), :class:`HalfYear` (半年) and
:class:`Year` (年) — live in :mod:`veteran_affairs.cycles.periods`; the working-day calendar
(China's statutory holidays and adjusted working days, with Guangxi's 壮族三月三 overlay and
the user's own holiday files for years not bundled) and legal period arithmetic in
:mod:`veteran_affairs.cycles.calendar`; work routines, due occasions and compliance (per
unit, and per person for key contacts) in :mod:`veteran_affairs.cycles.routines`; monthly
payment schedules, back pay (补发) and discharge deadlines in
:mod:`veteran_affairs.cycles.payments`.
The main names are re-exported here.

>>> [str(q) for q in Year.parse("2021").months()[4:6]]
['2021-05', '2021-06']
>>> import datetime as dt
>>> calendar_for("45").add_workdays(dt.date(2025, 9, 30), 5)
datetime.date(2025, 10, 14)
"""

from veteran_affairs.cycles.calendar import (
    CalendarDataMissing,
    ChinaCalendar,
    HolidayFile,
    HolidayYear,
    InvalidHolidayFile,
    WorkCalendar,
    calendar_for,
    due_after_workdays,
    load_holidays,
    period_end,
    source,
)
from veteran_affairs.cycles.payments import (
    BackPay,
    BackPayMonth,
    MonthlyPayment,
    PaymentKind,
    PaymentUndetermined,
    back_pay,
    discharge_deadlines,
    monthly_schedule,
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
from veteran_affairs.cycles.routines import (
    GUANGXI_PRESET,
    ComplianceRow,
    ComplianceStatus,
    ContactRow,
    Cycle,
    Frequency,
    Occasion,
    compliance,
    contact_compliance,
    schedule,
)

__all__ = [
    "GUANGXI_PRESET",
    "BackPay",
    "BackPayMonth",
    "CalendarDataMissing",
    "ChinaCalendar",
    "ComplianceRow",
    "ComplianceStatus",
    "ContactRow",
    "Cycle",
    "Frequency",
    "HalfYear",
    "HolidayFile",
    "HolidayYear",
    "InvalidHolidayFile",
    "InvalidPeriod",
    "Month",
    "MonthlyPayment",
    "Occasion",
    "PaymentKind",
    "PaymentUndetermined",
    "Period",
    "Quarter",
    "WorkCalendar",
    "Year",
    "back_pay",
    "calendar_for",
    "compliance",
    "contact_compliance",
    "discharge_deadlines",
    "due_after_workdays",
    "load_holidays",
    "monthly_schedule",
    "parse_period",
    "period_end",
    "period_range",
    "schedule",
    "source",
]


def __dir__() -> list[str]:
    return __all__
