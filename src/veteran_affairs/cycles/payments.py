"""Payment cycles: the monthly schedule (按月发放), back pay (补发) and discharge deadlines.

Three things a county office does with periodic benefits, built on the rules
(:mod:`veteran_affairs.rules`) and the calendar (:mod:`veteran_affairs.cycles.calendar`):

* :func:`monthly_schedule` — what a periodic rule pays a subject month by month, and the
  months paid on after death as funeral aid (丧葬补助).
* :func:`back_pay` — when a new standard, effective 1 August, is published weeks later, the
  difference owed for every month already paid at the old rate (DOMAIN.md §6).
* :func:`discharge_deadlines` — the time limits that start on discharge, counted as legal
  periods (民法典 第二百零一至二百零三条, :func:`~veteran_affairs.cycles.calendar.period_end`).

**The day a month is decided on.** Each month is decided on its first day. Standards take
effect on the first of a month (1 August since 2018, 1 October before), the pension rules
pay "from the month of approval", and a survivor status beginning on any day of the month
counts for that month, so the first day picks the standard and the eligibility of the whole
month. Consequences: the month of death is paid in full (alive on its first day), and a
sanction starting after the first is felt from the next month.

>>> import datetime as dt
>>> from veteran_affairs.models import (
...     Disability, DisabilityNature, DischargeMode, HukouType, Person, PersonnelType,
...     ServiceRecord, Veteran)
>>> from veteran_affairs.identity import DivisionCode, ResidentId, check_character
>>> from veteran_affairs.rules import RuleBook
>>> body = "45031219780101001"
>>> veteran = Veteran(
...     person=Person(resident_id=ResidentId(body + check_character(body)), name="韦国强",
...                   hukou_division=DivisionCode("450312101201"), hukou_type=HukouType.RURAL),
...     service=ServiceRecord(enlisted_on=dt.date(1998, 12, 1), discharged_on=dt.date(2000, 12, 1),
...                           personnel_type=PersonnelType.CONSCRIPT,
...                           discharge_mode=DischargeMode.SELF_EMPLOYMENT),
...     disability=Disability(grade=1, nature=DisabilityNature.IN_COMBAT,
...                           assessed_on=dt.date(2000, 6, 1)))
>>> [str(p.amount) for p in monthly_schedule(
...     RuleBook.load("national"), "disability_pension", veteran, Month.parse("2021-01"))]
['8080.83']
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from decimal import Decimal

import attrs

from veteran_affairs import jurisdictions
from veteran_affairs.cycles.calendar import WorkCalendar, period_end
from veteran_affairs.cycles.periods import HalfYear, Month, Quarter, Year
from veteran_affairs.errors import InvalidValue, VeteranAffairsError
from veteran_affairs.models import DischargeMode, Veteran
from veteran_affairs.rules import (
    Citation,
    Deadline,
    Decision,
    ParameterSet,
    ParameterUse,
    RuleBook,
    arranged_employment,
    disability_pension,
    living_allowance,
    survivor_pension,
)
from veteran_affairs.statutes import (
    PENSIONS_2024,
    SOLDIER_PLACEMENT_2011,
    VETERAN_PLACEMENT_2024,
    FuneralAid,
    pair,
)

__all__ = [
    "BackPay",
    "BackPayMonth",
    "MonthlyPayment",
    "PaymentKind",
    "PaymentUndetermined",
    "back_pay",
    "discharge_deadlines",
    "monthly_schedule",
]


def __dir__() -> list[str]:
    return __all__


_ZERO = Decimal(0)

# --- values ----------------------------------------------------------------------------------


class PaymentKind(enum.Enum):
    """What a schedule entry pays."""

    MONTHLY = "monthly"  # 按月发放
    FUNERAL_AID = "funeral-aid"  # 丧葬补助（去世后继续发放若干个月）

    @property
    def label_zh(self) -> str:
        return {"monthly": "按月发放", "funeral-aid": "丧葬补助"}[self.value]


class PaymentUndetermined(VeteranAffairsError, ValueError):
    """A month's payment is undetermined: an input the rule needs is missing (无法确定).

    Back pay is an exact sum, so it is not computed over a month whose amount is unknown.
    """

    def __init__(self, rule: str, month: Month, missing: tuple[str, ...]) -> None:
        self.rule = rule
        self.month = month
        self.missing = missing
        super().__init__(
            f"{rule} for {month} is undetermined (无法确定): missing {', '.join(missing) or '?'}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.rule, self.month, self.missing))


@attrs.frozen(kw_only=True)
class MonthlyPayment:
    """One entry of a payment schedule (发放计划).

    Attributes:
        month: the month paid for; for funeral aid, the month of death.
        kind: a month's payment, or the funeral aid paid on after death.
        eligible: the rule's outcome (``None``: undetermined, an input is missing).
        amount: what is due — ``Decimal(0)`` when not eligible, ``None`` when undetermined
            (missing is never zero). Funeral aid: ``months`` × the monthly payment.
        months: how many months of payment the entry stands for (1; 6 or 12 for funeral aid).
        evaluated_on: the day the rule was decided on (the month's first day; the day of death).
        parameters: every parameter value the decision used, with its version.
        citation: for funeral aid, the article that grants it.
    """

    month: Month
    kind: PaymentKind
    eligible: bool | None
    amount: Decimal | None
    evaluated_on: dt.date
    months: int = 1
    parameters: tuple[ParameterUse, ...] = ()
    citation: Citation | None = None

    @property
    def versions(self) -> tuple[dt.date, ...]:
        """The effective dates of the parameter versions used, in order, each once."""
        return tuple(dict.fromkeys(use.effective_from for use in self.parameters))


@attrs.frozen(kw_only=True)
class BackPayMonth:
    """One month of back pay: paid at the old standard, due at the new (补发明细)."""

    month: Month
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        """New minus old; negative if the new book pays less (an overpayment)."""
        return self.new - self.old


@attrs.frozen(kw_only=True)
class BackPay:
    """The back pay of one rule for one subject over some months (补发).

    >>> m = Month.parse("2021-08")
    >>> BackPay(rule="r", subject="s", months=(
    ...     BackPayMonth(month=m, old=Decimal("10.00"), new=Decimal("11.50")),)).total
    Decimal('1.50')
    """

    rule: str
    subject: str
    months: tuple[BackPayMonth, ...]

    @property
    def total(self) -> Decimal:
        """The exact sum of the monthly differences (no rounding: each is in fen)."""
        return sum((m.difference for m in self.months), _ZERO)


# --- the schedule ----------------------------------------------------------------------------

MonthSpan = Iterable[Month] | Month | Quarter | HalfYear | Year
"""Months to schedule: any iterable of months, or one period (its months)."""


def _months(months: MonthSpan) -> list[Month]:
    if isinstance(months, Month | Quarter | HalfYear | Year):
        return list(months.months())
    chosen = list(months)
    for month in chosen:
        if not isinstance(month, Month):
            raise TypeError(f"expected months, got {type(month).__name__}")
    return sorted(set(chosen))


def _amount(rule: str, decision: Decision) -> Decimal | None:
    if decision.eligible is False:
        return _ZERO
    if decision.eligible is None:
        return None
    if decision.monthly is None:
        raise InvalidValue(
            "rule", rule, "not a periodic rule: its decision has no monthly payment", "非按月发放"
        )
    return decision.monthly


def _month_payment(book: RuleBook, rule: str, subject: object, month: Month) -> MonthlyPayment:
    decision = book.evaluate(rule, subject, on=month.start)
    return MonthlyPayment(
        month=month,
        kind=PaymentKind.MONTHLY,
        eligible=decision.eligible,
        amount=_amount(rule, decision),
        evaluated_on=month.start,
        parameters=decision.parameters,
    )


def _died_on(subject: object) -> dt.date | None:
    died = getattr(getattr(subject, "person", None), "died_on", None)
    return died if isinstance(died, dt.date) else None


_FUNERAL_AID: dict[str, FuneralAid] = {
    aid.benefit: aid
    for aid in (
        survivor_pension.FUNERAL_AID,
        disability_pension.FUNERAL_AID,
        living_allowance.FUNERAL_AID,
    )
}
"""The funeral aid of each periodic rule, as the rule module states it (one home per rule)."""
_ILLNESS_ONLY = "due if the death was from illness (因病死亡); the cause of death is not recorded"


def _funeral_aid(
    book: RuleBook, rule: str, subject: object, died: dt.date
) -> MonthlyPayment | None:
    """The months paid on after death, decided on the day of death (still alive that day)."""
    aid = _FUNERAL_AID.get(rule)
    citation = None if aid is None else aid.citation(died)
    if aid is None or citation is None:
        return None  # no funeral aid for this rule, or none for a death on that day
    if aid is disability_pension.FUNERAL_AID:
        citation = attrs.evolve(citation, note=_ILLNESS_ONLY)
    months = aid.months
    decision = book.evaluate(rule, subject, on=died)
    if decision.eligible is False:
        return None  # nothing was being paid at the death
    monthly: Decimal | None = None
    if decision.eligible is True:
        if aid.component is not None:
            paid = [c.amount for c in decision.components if c.name == aid.component]
            if not paid:
                return None  # only that component (参战参试) has funeral aid
            monthly = paid[0]
        else:
            monthly = decision.monthly
    return MonthlyPayment(
        month=Month.containing(died),
        kind=PaymentKind.FUNERAL_AID,
        eligible=decision.eligible,
        amount=None if monthly is None else monthly * months,
        evaluated_on=died,
        months=months,
        parameters=decision.parameters,
        citation=citation,
    )


def monthly_schedule(
    book: RuleBook, rule: str, subject: object, months: MonthSpan
) -> list[MonthlyPayment]:
    """The payment due each month under a periodic rule, and the funeral aid on death.

    Each month is decided on its first day (see the module docstring); its entry pays the
    decision's ``monthly`` when eligible, 0 when not, and ``None`` when undetermined. Components
    paid beside the main amount (the nursing allowance, 护理费) are not included.

    When the subject died in one of the months, one more entry (``PaymentKind.FUNERAL_AID``,
    dated the month of death) gives the months paid on after death, at the monthly payment
    in force on the day of death, when the payment was being drawn that day:

    * ``survivor_pension`` (三属定期抚恤金): 6 months (《军人抚恤优待条例》(2024) 第二十二条;
      (2019) 第十九条).
    * ``disability_pension`` (残疾抚恤金): 12 months when the disabled veteran died of illness
      (2024 第三十二条; 2019 第二十八条). The cause of death is not recorded: the entry is given
      and its citation says so.
    * ``living_allowance`` (定期生活补助): 6 months of the 参战参试 allowance only, for deaths from
      2024-10-01 (2024 第六十二条第二款; the 2019 text has no such provision).

    Args:
        book: the rule book.
        rule: a periodic rule's name.
        subject: whom it is decided for.
        months: the months, or a period (quarter, half-year, year); each month once, in order.

    Raises:
        InvalidValue: ``rule`` is not periodic (an eligible decision without ``monthly``).
        ParameterError: a standard is not known for a month (never guessed).
    """
    chosen = _months(months)
    schedule = [_month_payment(book, rule, subject, month) for month in chosen]
    died = _died_on(subject)
    if died is not None and Month.containing(died) in set(chosen):
        aid = _funeral_aid(book, rule, subject, died)
        if aid is not None:
            schedule.append(aid)
    return schedule


def back_pay(
    old_book: RuleBook, new_book: RuleBook, rule: str, subject: object, months: MonthSpan
) -> BackPay:
    """The back pay owed when a new standard replaces the one months were paid at (补发).

    For each month (decided on its first day in both books), the monthly payment under
    ``old_book`` (what was paid), under ``new_book`` (what is due) and their difference; the
    total is their exact sum. Funeral aid is not included.

    Raises:
        PaymentUndetermined: a month is undetermined in either book.
        InvalidValue: ``rule`` is not periodic.
        ParameterError: a standard is not known for a month in either book.
    """
    rows: list[BackPayMonth] = []
    subject_ref = ""
    for month in _months(months):
        old = old_book.evaluate(rule, subject, on=month.start)
        new = new_book.evaluate(rule, subject, on=month.start)
        subject_ref = new.subject
        old_amount, new_amount = _amount(rule, old), _amount(rule, new)
        if old_amount is None:
            raise PaymentUndetermined(rule, month, old.missing)
        if new_amount is None:
            raise PaymentUndetermined(rule, month, new.missing)
        rows.append(BackPayMonth(month=month, old=old_amount, new=new_amount))
    return BackPay(rule=rule, subject=subject_ref, months=tuple(rows))


# --- deadlines on discharge ------------------------------------------------------------------

REPORT_DAYS = 30
TRANSFER_DAYS = 60
ON_POST_DAYS = 30
_PLACEMENT_2011 = SOLDIER_PLACEMENT_2011.in_force
_PLACEMENT_2024 = VETERAN_PLACEMENT_2024.in_force


@functools.cache
def _national_parameters() -> ParameterSet:
    """The bundled national parameters (a profile on the search path does not replace them)."""
    return RuleBook.load(jurisdictions.Jurisdiction.load("national", search=())).parameters


def _placement_months(discharged: dt.date) -> int:
    """The months to place an arranged-employment soldier, as the rule reads them.

    The national ``arranged_employment.placement_months`` (2011 第三十五条, 2024 第三十一条第二款)
    on the discharge date: the one home of the figure, shared with the ``arranged_employment``
    rule.
    """
    key = arranged_employment.PLACEMENT_MONTHS
    return int(_national_parameters()[key].value_on(discharged)[0])


def discharge_deadlines(
    veteran: Veteran, calendar: WorkCalendar, *, letter_on: dt.date | None = None
) -> list[Deadline]:
    """The time limits that start on discharge, with their articles, by due date (退役时限).

    Each is a legal period counted from the discharge date (``service.discharged_on``, read
    as the day discharge was approved): the first day is not counted and a period ending on a
    rest day ends on the next working day (民法典 第二百零一至二百零三条,
    :func:`~veteran_affairs.cycles.calendar.period_end`). Only those that apply are given:

    * 自主就业 (self-employment), discharged from 2011-11-01: report to the placement county
      within 30 days (《退役军人安置条例》(2024) 第五十一条 for discharges from 2024-09-01;
      《退役士兵安置条例》(2011) 第十三条 before).
    * A pensioned disability assessed by the discharge date, discharged from 2024-10-01: apply
      to transfer the pension to the new county within 60 days (《军人抚恤优待条例》(2024)
      第三十条). Earlier discharges get none, because no text in force before set one: the
      2019 text says only that the county pays the pension of a discharged disabled veteran
      (2019 第二十六条), and neither 《退役士兵安置条例》(2011) nor 《退役军人保障法》(2020)
      sets a time limit for the transfer. The ministerial 《伤残抚恤管理办法》 regulates the
      transfer procedure; its text is not bundled and was not verified, so no deadline is
      taken from it (supply your own if your office applies one).
    * 安排工作 (arranged employment), discharged from 2011-11-01: the county places the veteran
      within 6 months (2024 第三十一条第二款; 2011 第三十五条), the national parameter
      ``arranged_employment.placement_months`` the rule reads. The law counts from the
      reception, which is not recorded: counted from the discharge date, as the
      ``arranged_employment`` rule does.
    * 安排工作, when ``letter_on`` (the date the placement letter of introduction, 安排工作介绍信,
      was issued) is given: the employer puts the veteran on post within 30 days of it for
      discharges from 2024-09-01 (《退役军人安置条例》(2024) 第七十五条第二款), within one month
      before (《退役士兵安置条例》(2011) 第三十六条). The letter's date is not part of the
      models, so it is an argument.

    Raises:
        CalendarDataMissing: the calendar has no data for the year of a due day.
    """
    service = veteran.service
    discharged = service.discharged_on
    if discharged is None:
        return []
    mode = service.discharge_mode
    deadlines: list[Deadline] = []
    if mode is DischargeMode.SELF_EMPLOYMENT and discharged >= _PLACEMENT_2011:
        deadlines.append(
            Deadline(
                due=period_end(discharged, days=REPORT_DAYS, calendar=calendar),
                message_en=f"report to the placement county's veterans affairs department within "
                f"{REPORT_DAYS} days of discharge",
                message_zh=f"自被批准退出现役之日起{REPORT_DAYS}日内到安置地退役军人工作主管部门报到",
                citation=pair("placement.report").cite(discharged),
            )
        )
    disability = veteran.disability
    if (
        disability is not None
        and disability_pension.pensioned(disability)
        and disability.assessed_on <= discharged
        and discharged >= PENSIONS_2024.in_force
    ):
        deadlines.append(
            Deadline(
                due=period_end(discharged, days=TRANSFER_DAYS, calendar=calendar),
                message_en=f"apply within {TRANSFER_DAYS} days of discharge to transfer the "
                "disability pension to the county of the new hukou",
                message_zh=f"退出现役后{TRANSFER_DAYS}日内申请办理残疾抚恤关系转移",
                citation=PENSIONS_2024.article("第三十条"),
            )
        )
    if mode is DischargeMode.ARRANGED_EMPLOYMENT and discharged >= _PLACEMENT_2011:
        placement_months = _placement_months(discharged)
        deadlines.append(
            Deadline(
                due=period_end(discharged, months=placement_months, calendar=calendar),
                message_en=f"the placement county places the veteran in a job within "
                f"{placement_months} months (counted from the discharge date: the reception "
                "date is not recorded)",
                message_zh=f"安置地人民政府应在{placement_months}个月内完成安排工作（接收日期未登记，"
                "自退役日期起算）",
                citation=pair("placement.arranged_deadline").cite(discharged),
            )
        )
    if (
        mode is DischargeMode.ARRANGED_EMPLOYMENT
        and letter_on is not None
        and discharged >= _PLACEMENT_2011
    ):
        modern = discharged >= _PLACEMENT_2024
        due = (
            period_end(letter_on, days=ON_POST_DAYS, calendar=calendar)
            if modern
            else period_end(letter_on, months=1, calendar=calendar)
        )
        limit_en = f"{ON_POST_DAYS} days" if modern else "one month"
        limit_zh = f"{ON_POST_DAYS}日" if modern else "1个月"
        deadlines.append(
            Deadline(
                due=due,
                message_en=f"the employer puts the veteran on post within {limit_en} of the "
                f"placement letter issued {letter_on.isoformat()}",
                message_zh=f"接收单位应在安排工作介绍信（{letter_on.isoformat()}开具）开具后"
                f"{limit_zh}内安排上岗",
                citation=pair("placement.arranged_on_post").cite(discharged),
            )
        )
    return sorted(deadlines, key=lambda d: d.due)
