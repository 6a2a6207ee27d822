"""Every rule for every subject of a store: tallies for the demo, rows for ``evaluate``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

import attrs

from veteran_affairs.errors import ParameterError
from veteran_affairs.rules import Decision, RuleBook


@attrs.define
class Tally:
    """How one rule decided over a population (判定汇总)."""

    rule: str
    eligible: int = 0
    not_eligible: int = 0
    undetermined: int = 0
    no_parameter: int = 0  # a figure the rule needs is not known for the date
    stale: int = 0  # decided with a figure past its confirmed date (allow_stale books only)
    amount: Decimal = Decimal(0)  # annual amounts of the eligible, added up
    first_problem: str = ""

    @property
    def decided(self) -> int:
        return self.eligible + self.not_eligible + self.undetermined + self.no_parameter


@attrs.frozen(kw_only=True)
class Outcome:
    """One rule for one subject: the decision, or why none could be made."""

    rule: str
    subject: object
    decision: Decision | None
    problem: str = ""


def outcomes(
    book: RuleBook, subjects: Iterable[object], rules: Sequence[str], *, on: dt.date
) -> Iterator[Outcome]:
    """Each rule of ``rules`` for each subject it decides on, in order.

    A rule whose parameters are not known for ``on`` gives an outcome without a decision
    and the error's message instead of stopping the run.
    """
    chosen = [book.rule(name) for name in rules]
    for subject in subjects:
        for rule in chosen:
            if not rule.applies_to(subject):
                continue
            try:
                decision = book.evaluate(rule.name, subject, on=on)
            except ParameterError as error:
                yield Outcome(rule=rule.name, subject=subject, decision=None, problem=str(error))
            else:
                yield Outcome(rule=rule.name, subject=subject, decision=decision)


def tally(found: Iterable[Outcome], rules: Sequence[str]) -> list[Tally]:
    """Outcomes counted per rule, in the order of ``rules``."""
    tallies = {name: Tally(rule=name) for name in rules}
    for outcome in found:
        t = tallies[outcome.rule]
        decision = outcome.decision
        if decision is None:
            t.no_parameter += 1
            t.first_problem = t.first_problem or outcome.problem
            continue
        t.stale += decision.stale
        if decision.eligible is None:
            t.undetermined += 1
        elif decision.eligible:
            t.eligible += 1
            if decision.amount is not None:
                t.amount += decision.amount
        else:
            t.not_eligible += 1
    return list(tallies.values())
