"""survivor_pension (三属定期抚恤金) on both paths: the batch twin agrees row by row.

Generated survivors, dates from before the first bundled standard to past its confirmed
limit, and books with the policy flags flipped, dated or stale and with standards split by
hukou type: eligibility (undetermined included), amount and monthly amount to the fen,
staleness and the errors raised agree with :meth:`RuleBook.evaluate` row by row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
from hypothesis import event, given
from hypothesis import strategies as st

from tests.property.batch_agreement import agree, near_edges
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    EntitlementStatus,
    HukouType,
    Survivor,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules._batch_engine import cutoff_birth
from veteran_affairs.testing import strategies as vst

RULE = "survivor_pension"
STANDARD = "survivor_pension.annual_standard"
FLAGS = (
    "survivor_pension.require_approval",
    "survivor_pension.low_income_alone_qualifies",
    "survivor_pension.sibling_under_18_needs_support",
)
NATIONAL = RuleBook.load("national")
TODAY = dt.date.today()
# Before the first bundled standard (2016-10-01), in the gap of the 2020 amounts, and past
# the confirmed limit (2023-07-31): the errors agree too.
DATES = st.one_of(
    st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    st.dates(dt.date(2020, 7, 25), dt.date(2021, 8, 5)),
    st.dates(dt.date(2023, 7, 25), dt.date(2023, 8, 5)),
)
NEEDY = Circumstances(able_to_work=False, has_means_of_support=False)


@st.composite
def survivors(draw: st.DrawFn) -> Survivor:
    """Survivors; some in need, some with one or two sanctions around the dates."""
    survivor = draw(vst.survivors())
    if draw(st.booleans()):
        survivor = attrs.evolve(survivor, circumstances=NEEDY)
    if draw(st.integers(0, 4)) == 0:
        extra = draw(
            st.lists(vst.sanctions(since=st.dates(dt.date(2015, 1, 1), TODAY)), max_size=2)
        )
        survivor = attrs.evolve(survivor, sanctions=survivor.sanctions + tuple(extra))
    return survivor


@st.composite
def approved(draw: st.DrawFn) -> Survivor:
    """Survivors approved from the member's death on, most of them in need; some died since."""
    survivor = draw(vst.survivors())
    died = None
    if draw(st.integers(0, 2)) == 0:
        died = draw(st.dates(survivor.deceased_on, max(survivor.deceased_on, TODAY)))
    status = EntitlementStatus(
        category=survivor.death_category.survivor_category, since=survivor.deceased_on
    )
    circumstances = NEEDY if draw(st.integers(0, 3)) else survivor.circumstances
    return attrs.evolve(
        survivor,
        person=attrs.evolve(survivor.person, died_on=died),
        statuses=(status,),
        circumstances=circumstances,
    )


POPULATIONS = st.lists(st.one_of(survivors(), approved()), max_size=8)
AMOUNTS = vst.amounts(min_value="10000", max_value="60000")


@st.composite
def split_standard(draw: st.DrawFn) -> dict[str, Any]:
    """A user version of the standard, some categories split by hukou type (test inputs)."""
    value: dict[str, Any] = {}
    for category in DeathCategory:
        shape = draw(st.sampled_from(("plain", "split", "split", "rural only", "absent")))
        if shape == "plain":
            value[category.value] = str(draw(AMOUNTS))
        elif shape != "absent":
            kinds = (HukouType.RURAL,) if shape == "rural only" else tuple(HukouType)
            value[category.value] = {kind.value: str(draw(AMOUNTS)) for kind in kinds}
    when = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 1, 1)))
    return {"effective_from": when.isoformat(), "value": value}


@st.composite
def recipes(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    """What to layer on the national book — flags flipped, dated (known only until a day),
    a standard split by hukou type — and whether stale figures are allowed (test inputs)."""
    supplied: dict[str, Any] = {}
    for flag in FLAGS:
        choice = draw(st.sampled_from(("bundled", "bundled", "0", "1", "known until")))
        if choice == "known until":
            until = draw(st.dates(dt.date(2016, 1, 1), dt.date(2026, 1, 1)))
            supplied[flag] = {
                "effective_from": "2015-01-01",
                "value": draw(st.sampled_from(("0", "1"))),
                "known_until": until.isoformat(),
            }
        elif choice != "bundled":
            supplied[flag] = choice
    if draw(st.booleans()):
        supplied[STANDARD] = draw(split_standard())
    stale = draw(st.booleans())
    event(f"stale allowed {stale}")
    return supplied, stale


def book_of(recipe: tuple[dict[str, Any], bool]) -> RuleBook:
    supplied, stale = recipe
    book = NATIONAL.with_parameters(supplied) if supplied else NATIONAL
    return book.allowing_stale(stale)


@given(POPULATIONS, DATES, recipes())
def test_survivor_decisions_errors_and_stale_figures_agree(
    subjects: list[Survivor], on: dt.date, recipe: tuple[dict[str, Any], bool]
) -> None:
    agree(book_of(recipe), RULE, subjects, on)


@given(POPULATIONS, st.dates(dt.date(2016, 10, 1), dt.date(2020, 7, 31)))
def test_survivor_decisions_agree_where_every_standard_is_known(
    subjects: list[Survivor], on: dt.date
) -> None:
    outcome = agree(NATIONAL, RULE, subjects, on)

    assert not isinstance(outcome, tuple)  # nothing is missing in this window


@given(st.data(), POPULATIONS.filter(bool), recipes())
def test_survivor_decisions_agree_on_the_days_things_change(
    data: st.DataObject, subjects: list[Survivor], recipe: tuple[dict[str, Any], bool]
) -> None:
    on = data.draw(near_edges(subjects), label="on")

    agree(book_of(recipe), RULE, subjects, on)


LEAP_DAYS = st.sampled_from([dt.date(year, 2, 29) for year in range(1952, 2028, 4)])


@given(
    st.one_of(LEAP_DAYS, st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
    st.one_of(LEAP_DAYS, st.dates(dt.date(1920, 1, 1), dt.date(2030, 12, 31))),
    st.sampled_from((18, 60)),
)
def test_an_age_over_columns_is_a_comparison_of_birth_dates_as_person_age_on_counts_it(
    on: dt.date, born: dt.date, age: int
) -> None:
    reached = on.year - born.year - ((on.month, on.day) < (born.month, born.day))  # age_on

    assert (reached >= age) == bool(np.datetime64(born, "D") <= cutoff_birth(on, age))
