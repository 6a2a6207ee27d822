"""Laws of back pay (补发) and the schedule, over generated disabled veterans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from hypothesis import given, reject
from hypothesis import strategies as st

from veteran_affairs.cycles import Month, period_range
from veteran_affairs.cycles.payments import (
    BackPay,
    PaymentKind,
    PaymentUndetermined,
    back_pay,
    monthly_schedule,
)
from veteran_affairs.models import Veteran
from veteran_affairs.rules import ParameterValue, RuleBook
from veteran_affairs.testing import strategies as vst

NATIONAL = RuleBook.load("national")
STANDARD = "disability_pension.annual_standard"
# Every cell of the disability table is known in these months (the 2020-08-01 table).
KNOWN = period_range(Month.parse("2020-08"), Month.parse("2021-07"))
month_sets = st.sets(st.sampled_from(KNOWN))
disabled_veterans = vst.veterans(disabled=True)


def _raised(value: ParameterValue, factor: Decimal) -> object:
    if isinstance(value, Mapping):
        return {key: _raised(cell, factor) for key, cell in value.items()}
    return (value * factor).quantize(Decimal(1))


def _back_pay(old: RuleBook, new: RuleBook, veteran: Veteran, months: set[Month]) -> BackPay:
    try:
        return back_pay(old, new, "disability_pension", veteran, months)
    except PaymentUndetermined:
        reject()


@given(disabled_veterans, month_sets)
def test_no_back_pay_when_the_books_agree(veteran: Veteran, months: set[Month]) -> None:
    result = _back_pay(NATIONAL, NATIONAL, veteran, months)

    assert Decimal(0) == result.total
    assert all(Decimal(0) == m.difference for m in result.months)


@given(disabled_veterans, month_sets, month_sets, st.decimals("0.5", "1.5", places=2))
def test_back_pay_adds_up_over_disjoint_months(
    veteran: Veteran, a: set[Month], b: set[Month], factor: Decimal
) -> None:
    b -= a
    # TEST INPUT, NOT LAW: every 2020-08-01 cell scaled by ``factor``, in force from that date.
    table = _raised(NATIONAL.parameters[STANDARD].version_on(dt.date(2020, 8, 1)).value, factor)
    new = NATIONAL.with_parameters(
        {STANDARD: {"effective_from": "2020-08-01", "value": table, "citation": "TEST INPUT"}}
    )

    whole = _back_pay(NATIONAL, new, veteran, a | b)
    parts = _back_pay(NATIONAL, new, veteran, a).total + _back_pay(NATIONAL, new, veteran, b).total

    assert parts == whole.total


@given(disabled_veterans, month_sets, st.decimals("1", "1.5", places=2))
def test_back_pay_is_never_negative_when_standards_only_rise(
    veteran: Veteran, months: set[Month], factor: Decimal
) -> None:
    # TEST INPUT, NOT LAW: every 2020-08-01 cell raised by ``factor`` ≥ 1.
    table = _raised(NATIONAL.parameters[STANDARD].version_on(dt.date(2020, 8, 1)).value, factor)
    new = NATIONAL.with_parameters(
        {STANDARD: {"effective_from": "2020-08-01", "value": table, "citation": "TEST INPUT"}}
    )

    result = _back_pay(NATIONAL, new, veteran, months)

    assert all(m.difference >= 0 for m in result.months)
    assert result.total >= 0


@given(disabled_veterans, month_sets)
def test_the_schedule_pays_what_the_rule_decides_on_each_first_day(
    veteran: Veteran, months: set[Month]
) -> None:
    schedule = monthly_schedule(NATIONAL, "disability_pension", veteran, months)

    paid = [p for p in schedule if p.kind is PaymentKind.MONTHLY]
    assert sorted(months) == [p.month for p in paid]
    for payment in paid:
        decision = NATIONAL.evaluate("disability_pension", veteran, on=payment.month.start)
        expected = decision.monthly if decision.eligible else Decimal(0)
        assert (expected if decision.eligible is not None else None) == payment.amount
    aid = [p for p in schedule if p.kind is PaymentKind.FUNERAL_AID]
    assert len(aid) <= 1
    assert all(12 == p.months for p in aid)
