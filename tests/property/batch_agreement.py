"""The check that one rule's two paths agree, row by row (used by the ``test_batch_*`` laws).

:func:`expected` decides each subject with :meth:`RuleBook.evaluate` and writes the
decisions as the batch path's columns (amounts in fen, 0 where none); :func:`actual` builds
the columns with :func:`~veteran_affairs.rules.batch.columns_from` and decides them with
:func:`~veteran_affairs.rules.batch.evaluate_batch`. Either gives the error raised instead —
for the per-subject path, the error of the first subject that raises — as (class, message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import event
from hypothesis import strategies as st

from veteran_affairs.money import to_fen
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.rules.batch import BATCH_RULES, columns_from, evaluate_batch
from veteran_affairs.rules.conscript_family_allowance import paying_county

Outcome = dict[str, list[int]] | tuple[str, str]

COMPONENTS: dict[str, tuple[str, ...]] = {
    "disability_pension": ("nursing_allowance",),
    "one_off_retirement_payment": ("base", "award_bonus", "local_supplement"),
    "survivor_pension": (),
    "living_allowance": (
        "demobilised_in_countryside",
        "discharged_with_illness",
        "combat_or_test_veteran",
        "rural_veteran_over_60",
        "elderly_martyr_child",
    ),
    "conscript_family_allowance": ("allowance",),
}
"""The components of each rule's decisions: each is the batch output ``<name>_fen``."""


def _birthday(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February: the birthday falls on 1 March
        return dt.date(born.year + years, 3, 1)


def edges(subject: object) -> list[dt.date]:
    """The days on which something changes for ``subject``: births, deaths, statuses,
    sanctions, enlistment, discharge, the 18th and 60th birthdays."""
    days: list[dt.date | None] = []
    person = getattr(subject, "person", None)
    if person is not None:
        days += [person.birth_date, person.died_on]
        days += [_birthday(person.birth_date, years) for years in (18, 60)]
    for status in getattr(subject, "statuses", ()):
        days += [status.since, status.until]
    for sanction in getattr(subject, "sanctions", ()):
        days += [sanction.since, sanction.until]
    service = getattr(subject, "service", None)
    if service is not None:
        days += [service.enlisted_on, service.discharged_on]
    days.append(getattr(subject, "deceased_on", None))
    return [day for day in days if day is not None]


@st.composite
def near_edges(draw: st.DrawFn, subjects: Sequence[object]) -> dt.date:
    """A day on, or a day either side of, a day on which something changes for a subject."""
    days = [day for subject in subjects for day in edges(subject)]
    if not days:
        return draw(st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)))
    day = draw(st.sampled_from(days))
    return day + dt.timedelta(days=draw(st.integers(-1, 1)))


def fen(amount: Decimal | None) -> int:
    return 0 if amount is None else to_fen(amount)


def names(rule: str) -> tuple[str, ...]:
    """The outputs compared: every output of the rule's twin but ``counted_months``."""
    return tuple(name for name in BATCH_RULES[rule].outputs if name != "counted_months")


def _columns(rule: str, subject: object, decision: Decision) -> dict[str, int]:
    """One decision as the batch path's columns."""
    row = {
        "eligible": {True: 1, False: 0, None: -1}[decision.eligible],
        "amount_fen": fen(decision.amount),
        "monthly_fen": fen(decision.monthly),
        "stale": decision.stale,
    }
    parts = {c.name: fen(c.amount) for c in decision.components}
    row.update({f"{name}_fen": parts.get(name, 0) for name in COMPONENTS[rule]})
    if rule == "disability_pension":
        undetermined = decision.eligible is True and bool(decision.missing)
        paid = "nursing_allowance" in parts
        row["nursing_allowance_status"] = 1 if paid else -1 if undetermined else 0
    if rule == "conscript_family_allowance":
        county = paying_county(subject)  # type: ignore[arg-type]
        row["paying_county"] = int(county.value) if decision.eligible else 0
    return row


def expected(book: RuleBook, rule: str, subjects: Sequence[object], on: dt.date) -> Outcome:
    """The per-subject decisions as batch columns, or the error the first failing one raises."""
    rows: dict[str, list[int]] = {}
    for subject in subjects:
        try:
            decision = book.evaluate(rule, subject, on=on)
        except Exception as error:
            return (type(error).__name__, str(error))
        for name, value in _columns(rule, subject, decision).items():
            rows.setdefault(name, []).append(value)
        if decision.eligible and any(m.startswith("parameter ") for m in decision.missing):
            event("paid without an unknown figure")
    return {name: rows[name] for name in names(rule)} if subjects else {}


def actual(book: RuleBook, rule: str, subjects: Sequence[object], on: dt.date) -> Outcome:
    """The batch path's arrays as lists, or its error."""
    try:
        columns = columns_from(subjects, types=BATCH_RULES[rule].subjects)  # type: ignore[arg-type]
        result = evaluate_batch(book, rule, columns, on=on)
    except Exception as error:
        return (type(error).__name__, str(error))
    return {name: result[name].tolist() for name in names(rule)} if subjects else {}


def agree(book: RuleBook, rule: str, subjects: Sequence[object], on: dt.date) -> Outcome:
    """Assert both paths agree, record what kind of case it was (for the statistics)."""
    want = expected(book, rule, subjects, on)
    got = actual(book, rule, subjects, on)

    assert want == got
    if isinstance(want, tuple):
        event(f"raises {want[0]}")
        return want
    for name, values in want.items():
        for value in sorted(set(values)):
            if name in ("eligible", "nursing_allowance_status"):
                event(f"{name} {value}")
            elif name == "stale" and value:
                event("stale")
            elif value and name.endswith("_fen") and name not in ("amount_fen", "monthly_fen"):
                event(f"some {name}")
    return want
