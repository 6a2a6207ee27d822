"""Synthetic hardship assistance cases of one year (困难帮扶援助, private engine).

The seed's 2020 figures — 5,100+ persons helped with 1,749万元 for about a million persons —
are scaled to the population: ``round(persons × 5,100 / 1,000,000)`` persons get a paid case
(at least one when there are any applicants), a few of them two (一事一批: one approval per
incident), and the paid amounts add up to exactly 17.49 yuan per person. Rejected, withdrawn
and still open cases come on top. Every case goes through the model's own workflow
(:meth:`AssistanceCase.apply`, ``review`` …), so each is a valid state-machine history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from veteran_affairs._draw import apportion, between, pick
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.models.assistance import (
    AssistanceCase,
    FundingAllocation,
    FundingSource,
    HardshipCause,
)
from veteran_affairs.synthetic import _figures

# Synthetic mix of causes, and the relative size of an award for each.
_CAUSES = (
    (0.4, HardshipCause.DISABILITY_OR_ILLNESS),
    (0.7, HardshipCause.SUDDEN_EVENT),
    (0.8, HardshipCause.OLD_INJURY_RELAPSE),
    (0.9, HardshipCause.LONG_UNEMPLOYMENT),
    (1.0, HardshipCause.OTHER),
)
_SIZE = {
    HardshipCause.DISABILITY_OR_ILLNESS: (1.5, 6.0),
    HardshipCause.SUDDEN_EVENT: (0.8, 4.0),
    HardshipCause.OLD_INJURY_RELAPSE: (1.0, 3.0),
    HardshipCause.LONG_UNEMPLOYMENT: (0.5, 1.5),
    HardshipCause.OTHER: (0.5, 2.0),
}
_SINGLE_SOURCE = (
    (0.5, FundingSource.BUDGET),
    (0.85, FundingSource.CARE_FOUNDATION),
    (1.0, FundingSource.DONATION),
)
_SECOND_CASE_SHARE = 0.06
_REJECTED_SHARE = 0.05
_WITHDRAWN_SHARE = 0.02
_OPEN_SHARE = 0.04
_APPLICANT = "applicant"


def assisted_persons(persons: int, applicants: int) -> int:
    """Persons helped: the seed's 5,100 per million, at least one if anyone may apply."""
    if persons == 0 or applicants == 0:
        return 0
    scaled = (persons * _figures.ASSISTED_PER_MILLION + 500_000) // 1_000_000
    return min(applicants, max(1, scaled))


def assistance_total(persons: int) -> Decimal:
    """The amount paid in the year: 17.49 yuan per person (1,749万元 per million)."""
    return Decimal(persons * _figures.ASSISTANCE_FEN_PER_PERSON).scaleb(-2)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def _funding(rng: random.Random, amount: Decimal) -> tuple[FundingAllocation, ...]:
    if rng.random() < 0.3 and amount >= Decimal(2):
        budget = (amount * Decimal(rng.randint(3, 7)) / Decimal(10)).quantize(Decimal("0.01"))
        return (
            FundingAllocation(source=FundingSource.BUDGET, amount=budget),
            FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=amount - budget),
        )
    return (FundingAllocation(source=pick(rng, _SINGLE_SOURCE), amount=amount),)


class _Cases:
    def __init__(self, rng: random.Random, year: int, on: dt.date) -> None:
        self.rng = rng
        self.year = year
        self.on = on
        self.out: list[AssistanceCase] = []

    def open(
        self, who: tuple[ResidentId, DivisionCode], cause: HardshipCause, incident: dt.date
    ) -> AssistanceCase:
        rid, village = who
        applied = min(incident + _days(self.rng, 1, 30), self.on)
        return AssistanceCase.apply(
            case_id=f"GX-{self.year}-{len(self.out) + 1:06d}",
            applicant=rid,
            division=village,
            cause=cause,
            incident_on=incident,
            on=applied,
            actor=_APPLICANT,
        )

    def actors(self, case: AssistanceCase) -> tuple[str, str]:
        township = case.division.truncate(DivisionLevel.TOWNSHIP).short
        return f"township:{township}", f"county:{case.division.value[:6]}"

    def paid(
        self, who: tuple[ResidentId, DivisionCode], cause: HardshipCause, amount: Decimal
    ) -> None:
        rng = self.rng
        incident = between(rng, dt.date(self.year, 1, 1), dt.date(self.year, 10, 20))
        case = self.open(who, cause, incident)
        township, county = self.actors(case)
        day = case.applied_on + _days(rng, 2, 10)
        case = case.review(on=day, actor=township)
        day += _days(rng, 3, 15)
        case = case.approve(on=day, actor=county, amount=amount, funding=_funding(rng, amount))
        day += _days(rng, 1, 3)
        case = case.publicise(on=day, actor=county)
        day += _days(rng, 5, 12)
        self.out.append(case.pay(on=day, actor=county))

    def unpaid(self, who: tuple[ResidentId, DivisionCode], outcome: str) -> None:
        rng = self.rng
        cause = pick(rng, _CAUSES)
        if outcome == "open":  # an incident of December, still in progress on ``on``
            incident = between(rng, dt.date(self.year, 12, 1), dt.date(self.year, 12, 31))
        else:
            incident = between(rng, dt.date(self.year, 1, 1), dt.date(self.year, 10, 20))
        case = self.open(who, cause, incident)
        township, county = self.actors(case)
        day = case.applied_on
        if outcome == "withdrawn":
            self.out.append(case.withdraw(on=day + _days(rng, 3, 20), actor=_APPLICANT))
            return
        if outcome == "rejected":
            day += _days(rng, 2, 10)
            if rng.random() < 0.6:
                self.out.append(case.reject(on=day, actor=township))
            else:
                case = case.review(on=day, actor=township)
                self.out.append(case.reject(on=day + _days(rng, 3, 15), actor=county))
            return
        # open: take the steps that fall on or before ``on``, never as far as payment
        day += _days(rng, 2, 10)
        if day <= self.on:
            case = case.review(on=day, actor=township)
            day += _days(rng, 3, 15)
            if day <= self.on:
                amount = Decimal(rng.randint(10, 100) * 100)
                case = case.approve(
                    on=day, actor=county, amount=amount, funding=_funding(rng, amount)
                )
                day += _days(rng, 1, 3)
                if day <= self.on:
                    case = case.publicise(on=day, actor=county)
        self.out.append(case)


def build_cases(
    rng: random.Random,
    applicants: Sequence[tuple[ResidentId, DivisionCode]],
    persons: int,
    year: int,
    on: dt.date,
) -> list[AssistanceCase]:
    """The cases of ``year`` for a population of ``persons`` (see the module docstring)."""
    helped = assisted_persons(persons, len(applicants))
    if helped == 0:
        return []
    chosen = [applicants[i] for i in rng.sample(range(len(applicants)), helped)]
    twice = chosen[: round(helped * _SECOND_CASE_SHARE)]
    paid = chosen + twice
    causes = [pick(rng, _CAUSES) for _ in paid]
    weights = [rng.uniform(*_SIZE[cause]) for cause in causes]
    total_fen = persons * _figures.ASSISTANCE_FEN_PER_PERSON
    fen = [yuan * 100 for yuan in apportion(total_fen // 100, weights)]
    fen[0] += total_fen % 100
    cases = _Cases(rng, year, on)
    for who, cause, amount in zip(paid, causes, fen, strict=True):
        cases.paid(who, cause, Decimal(amount).scaleb(-2))
    for outcome, share in (
        ("rejected", _REJECTED_SHARE),
        ("withdrawn", _WITHDRAWN_SHARE),
        ("open", _OPEN_SHARE),
    ):
        for _ in range(round(helped * share)):
            cases.unpaid(applicants[rng.randrange(len(applicants))], outcome)
    return cases.out
