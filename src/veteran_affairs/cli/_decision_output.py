"""Every rule for every subject of a store: tallies for the demo, rows for ``evaluate``.

The subjects of a store are its persons, its plaque households and its assistance cases, each
case as a :class:`~veteran_affairs.rules.hardship_assistance.HardshipApplication` — or, when
none can be built (its applicant is not in the store, or is a serving member), as an
:class:`~veteran_affairs.rules.hardship_assistance.UndecidableCase`, whose outcome says why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

import attrs

from veteran_affairs.errors import ParameterError
from veteran_affairs.models import AssistanceCase, PlaqueHousehold, ServingMember, Survivor, Veteran
from veteran_affairs.rules import Decision, RuleBook, hardship_assistance
from veteran_affairs.rules.hardship_assistance import UndecidableCase, hardship_applications

HARDSHIP = hardship_assistance.RULE.name


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
    first_problem: str = ""  # the first "no parameter" error
    not_decidable: int = 0  # a stored record the rule cannot be asked about (无法判定)
    not_decidable_problems: Counter[str] = attrs.Factory(Counter)  # how many for each reason

    @property
    def decided(self) -> int:
        """The subjects the rule was asked about: eligible, not, undetermined, no parameter."""
        return self.eligible + self.not_eligible + self.undetermined + self.no_parameter

    @property
    def records(self) -> int:
        """Every stored record the rule met: decided, or not decidable."""
        return self.decided + self.not_decidable


@attrs.frozen(kw_only=True)
class Outcome:
    """One rule for one subject: the decision, or why none could be made.

    Without a decision, ``problem`` says why: a figure not known for the date (``decidable``),
    or a stored record the rule cannot be asked about (not ``decidable``: an assistance case
    whose applicant is not in the store).
    """

    rule: str
    subject: object
    decision: Decision | None
    problem: str = ""
    decidable: bool = True


def stored_subjects(
    people: Sequence[Veteran | Survivor | ServingMember],
    households: Sequence[PlaqueHousehold],
    cases: Iterable[AssistanceCase],
) -> list[object]:
    """The subjects of a store's records: persons, households, then one per assistance case.

    Each case is an application with its applicant's record and the applicant's other cases,
    or an :class:`UndecidableCase`; ordinary assistance considered first is not stored, so it
    is unknown. Only the applicants are indexed, so the lookup stays as small as the cases.
    """
    stored = list(cases)
    wanted = {case.applicant for case in stored}
    applicants = {p.resident_id: p for p in people if p.resident_id in wanted}
    return [*people, *households, *hardship_applications(stored, applicants)]


def outcomes(
    book: RuleBook, subjects: Iterable[object], rules: Sequence[str], *, on: dt.date
) -> Iterator[Outcome]:
    """Each rule of ``rules`` for each subject it decides on, in order.

    A rule whose parameters are not known for ``on`` gives an outcome without a decision
    and the error's message instead of stopping the run. An :class:`UndecidableCase` gives
    one ``hardship_assistance`` outcome (if that rule is chosen), not decidable, saying why.
    """
    chosen = [book.rule(name) for name in rules]
    for subject in subjects:
        if isinstance(subject, UndecidableCase):
            if HARDSHIP in rules:
                yield Outcome(
                    rule=HARDSHIP,
                    subject=subject,
                    decision=None,
                    problem=subject.message,
                    decidable=False,
                )
            continue
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
        if not outcome.decidable:
            t.not_decidable += 1
            t.not_decidable_problems[outcome.problem] += 1
            continue
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
