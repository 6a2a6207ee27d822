"""conscript_family_allowance (义务兵家庭优待金) on both paths: the batch twin agrees row by row.

Generated serving members (some dead, some not yet enlisted on the date) and books with the
standard supplied as one amount or by county (some counties missing), dated or stale, with
and without proration by months: eligibility, the amount, the paying county, staleness and
the errors raised agree with :meth:`RuleBook.evaluate` row by row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from tests.property.batch_agreement import agree, near_edges
from veteran_affairs.models import ServingMember
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.conscript_family_allowance import paying_county
from veteran_affairs.testing import strategies as vst

RULE = "conscript_family_allowance"
AMOUNT = "conscript_family_allowance.annual_amount"
PRORATE = "conscript_family_allowance.prorate_by_months"
NATIONAL = RuleBook.load("national")
DATES = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
STANDARDS = vst.amounts(min_value="1000", max_value="30000", places=2)


@st.composite
def members(draw: st.DrawFn) -> ServingMember:
    """Serving members; a few died (a serving member who died is no longer serving)."""
    member = draw(vst.serving_members())
    if draw(st.integers(0, 4)) == 0:
        died = draw(st.dates(member.service.enlisted_on, dt.date.today()))
        member = attrs.evolve(member, person=attrs.evolve(member.person, died_on=died))
    return member


POPULATIONS = st.lists(members(), max_size=8)


@st.composite
def recipes(draw: st.DrawFn, population: list[ServingMember]) -> tuple[dict[str, Any], bool]:
    """The standard as one amount or by county (some of the population's counties, perhaps
    not all), from a day or known only until one; proration on, off or dated; and whether
    stale figures are allowed (test inputs, not law)."""
    supplied: dict[str, Any] = {}
    shape = draw(st.sampled_from(("none", "plain", "plain", "every county", "some counties")))
    event(f"standard {shape}")
    if shape != "none":
        counties = sorted({paying_county(member).value for member in population})
        kept = set(counties)
        if shape == "some counties" and counties:
            kept = draw(st.sets(st.sampled_from(counties)))
        value: Any = (
            str(draw(STANDARDS))
            if shape == "plain"
            else {county: str(draw(STANDARDS)) for county in sorted(kept)}
        )
        version: dict[str, Any] = {
            "effective_from": draw(st.dates(dt.date(1990, 1, 1), dt.date(2026, 1, 1))).isoformat(),
            "value": value,
        }
        if draw(st.booleans()):
            version["known_until"] = draw(
                st.dates(dt.date(2026, 1, 2), dt.date(2031, 1, 1))
            ).isoformat()
        supplied[AMOUNT] = version
    choice = draw(st.sampled_from(("bundled", "0", "1", "1", "known until")))
    if choice == "known until":
        until = draw(st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)))
        supplied[PRORATE] = {
            "effective_from": "2014-01-01",
            "value": "1",
            "known_until": until.isoformat(),
        }
    elif choice != "bundled":
        supplied[PRORATE] = choice
    return supplied, draw(st.booleans())


def book_of(recipe: tuple[dict[str, Any], bool]) -> RuleBook:
    supplied, stale = recipe
    book = NATIONAL.with_parameters(supplied) if supplied else NATIONAL
    return book.allowing_stale(stale)


@given(st.data(), POPULATIONS, DATES)
def test_conscript_family_allowances_errors_and_stale_figures_agree(
    data: st.DataObject, subjects: list[ServingMember], on: dt.date
) -> None:
    recipe = data.draw(recipes(subjects), label="recipe")

    agree(book_of(recipe), RULE, subjects, on)


@given(st.data(), POPULATIONS.filter(bool))
def test_conscript_family_allowances_agree_on_the_days_things_change(
    data: st.DataObject, subjects: list[ServingMember]
) -> None:
    on = data.draw(near_edges(subjects), label="on")
    recipe = data.draw(recipes(subjects), label="recipe")

    agree(book_of(recipe), RULE, subjects, on)
