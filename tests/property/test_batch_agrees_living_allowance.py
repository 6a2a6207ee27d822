"""living_allowance (定期生活补助) on both paths: the batch twin agrees row by row.

Veterans and survivors, in one table, holding the statuses of the five groups (or not), on
dates across the bundled standards and their gaps, with books whose flags are flipped or
dated and whose figures are supplied, stale or missing: eligibility, each group's monthly
amount, the total, staleness (the funeral aid's figure included) and the errors raised agree
with :meth:`RuleBook.evaluate` row by row.
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
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    NcoRank,
    PersonnelType,
    Relation,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RuleBook, living_allowance
from veteran_affairs.rules.living_allowance import service_years
from veteran_affairs.testing import strategies as vst

RULE = "living_allowance"
NATIONAL = RuleBook.load("national")
TODAY = dt.date.today()
GROUPS = (
    EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
    EntitlementCategory.DISCHARGED_WITH_ILLNESS,
    EntitlementCategory.COMBAT_OR_TEST_VETERAN,
    EntitlementCategory.RURAL_VETERAN_OVER_60,
)
GROUP_OUTPUTS = (
    "demobilised_in_countryside",
    "discharged_with_illness",
    "combat_or_test_veteran",
    "rural_veteran_over_60",
)
FLAGS = ("living_allowance.groups_add_up", "living_allowance.rural_over_60_nco_service_counts")
DEMOBILISED = "living_allowance.demobilised_monthly_standard"
# Across the bundled standards: before the rural allowance (2011-08-01), its unknown years
# (2012-10-01 … 2018-07-31, 2021-08-01 … 2022-07-31), the switch to a yearly rate
# (2023-08-01), the 2024 text (2024-10-01) and past the confirmed limits (2025-07-31).
DATES = st.one_of(
    st.dates(dt.date(2010, 1, 1), dt.date(2027, 12, 31)),
    st.dates(dt.date(2018, 8, 1), dt.date(2021, 7, 31)),
    st.dates(dt.date(2022, 8, 1), dt.date(2025, 8, 5)),
)


def _statuses(draw: st.DrawFn, earliest: dt.date, categories: tuple[Any, ...]) -> list[Any]:
    """Statuses of some of ``categories``: most held from early on and still held."""
    chosen = draw(st.sets(st.sampled_from(categories), max_size=3))
    found = []
    early = max(earliest, min(dt.date(2018, 1, 1), TODAY))
    for category in sorted(chosen, key=lambda c: c.value):
        since = draw(st.one_of(st.dates(earliest, early), st.dates(earliest, max(earliest, TODAY))))
        until = None
        if draw(st.integers(0, 3)) == 0:
            until = draw(st.dates(since, max(since, dt.date(2030, 1, 1))))
        found.append(EntitlementStatus(category=category, since=since, until=until))
    return found


@st.composite
def veterans(draw: st.DrawFn) -> Veteran:
    """Veterans holding some of the groups' statuses; some took part in combat or tests."""
    veteran = draw(vst.veterans())
    service = attrs.evolve(
        veteran.service,
        combat_participant=draw(st.booleans()),
        test_participant=draw(st.booleans()),
    )
    circumstances = attrs.evolve(
        veteran.circumstances, other_periodic_state_payment=draw(st.sampled_from((None, False)))
    )
    born = veteran.person.birth_date
    extra = _statuses(draw, born + dt.timedelta(days=1), GROUPS)
    return attrs.evolve(
        veteran,
        service=service,
        circumstances=circumstances,
        statuses=veteran.statuses + tuple(extra),
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@st.composite
def old_soldiers(draw: st.DrawFn) -> Veteran:
    """Conscripts and NCOs enlisted from 1944 to 2011 (在乡复员军人, 60+ rural soldiers)."""
    births = st.dates(dt.date(1926, 1, 1), dt.date(1962, 12, 31))
    person = draw(
        vst.persons(
            resident_ids=vst.resident_ids(birth_dates=births),
            hukou_types=st.sampled_from((HukouType.RURAL, HukouType.RURAL, HukouType.URBAN)),
            alive=draw(st.sampled_from((True, True, None))),
        )
    )
    enlisted = draw(st.dates(_add_years(person.birth_date, 17), _add_years(person.birth_date, 25)))
    length = draw(st.integers(1, 6 * 366))
    # A member who died before the discharge died in service (not a veteran): the models refuse it.
    if person.died_on is not None and person.died_on < enlisted + dt.timedelta(days=length):
        person = attrs.evolve(person, died_on=None)
    kind = draw(st.sampled_from((PersonnelType.CONSCRIPT, PersonnelType.NCO)))
    categories = (
        EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
        EntitlementCategory.RURAL_VETERAN_OVER_60,
        EntitlementCategory.COMBAT_OR_TEST_VETERAN,
    )
    return Veteran(
        person=person,
        service=ServiceRecord(
            enlisted_on=enlisted,
            discharged_on=enlisted + dt.timedelta(days=length),
            personnel_type=kind,
            nco_rank=NcoRank.JUNIOR if kind is PersonnelType.NCO else None,
            combat_participant=draw(st.booleans()),
        ),
        statuses=tuple(_statuses(draw, person.birth_date, categories)),
        circumstances=Circumstances(
            other_periodic_state_payment=draw(st.sampled_from((None, True, False, False)))
        ),
    )


@st.composite
def martyr_children(draw: st.DrawFn) -> Survivor:
    """Survivors, most of them martyrs' children born before 1965, some holding 烈士老年子女."""
    births = st.dates(dt.date(1925, 1, 1), dt.date(1966, 12, 31))
    people = vst.persons(
        resident_ids=vst.resident_ids(birth_dates=births),
        hukou_types=st.sampled_from((HukouType.RURAL, HukouType.URBAN, HukouType.URBAN)),
        alive=draw(st.sampled_from((True, True, None))),
    )
    survivor = draw(
        vst.survivors(
            persons=people,
            relations=st.sampled_from((Relation.CHILD, Relation.CHILD, Relation.SPOUSE)),
            death_categories=st.sampled_from((DeathCategory.MARTYR, DeathCategory.DUTY_DEATH)),
        )
    )
    extra = _statuses(draw, survivor.person.birth_date, (EntitlementCategory.ELDERLY_MARTYR_CHILD,))
    circumstances = attrs.evolve(
        survivor.circumstances, has_work_unit=draw(st.sampled_from((None, True, False)))
    )
    return attrs.evolve(
        survivor, statuses=survivor.statuses + tuple(extra), circumstances=circumstances
    )


@st.composite
def two_groups(draw: st.DrawFn) -> Veteran:
    """Veterans ill on discharge (no grade) who also took part in combat: two groups."""
    veteran = draw(vst.veterans(disabled=False))
    since = veteran.service.discharged_on
    assert since is not None
    statuses = tuple(
        EntitlementStatus(category=category, since=since)
        for category in (
            EntitlementCategory.DISCHARGED_WITH_ILLNESS,
            EntitlementCategory.COMBAT_OR_TEST_VETERAN,
        )
    )
    service = attrs.evolve(veteran.service, combat_participant=True)
    return attrs.evolve(veteran, service=service, statuses=statuses, sanctions=())


SUBJECTS = st.one_of(
    veterans(), old_soldiers(), old_soldiers(), two_groups(), martyr_children(), vst.survivors()
)
POPULATIONS = st.lists(SUBJECTS, max_size=8)
MONTHLY = vst.amounts(min_value="100", max_value="3000", places=2)


@st.composite
def recipes(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    """What to layer on the national book (test inputs, not law): the 在乡复员军人 standard,
    flags flipped or dated, a standard or rate supplied from a day; and whether stale
    figures are allowed."""
    supplied: dict[str, Any] = {}
    if draw(st.integers(0, 3)):
        periods = ("anti-japanese-war", "liberation-war", "post-1949")
        kept = draw(st.sets(st.sampled_from(periods), min_size=1))
        supplied[DEMOBILISED] = {period: str(draw(MONTHLY)) for period in kept}
    for flag in FLAGS:
        choice = draw(st.sampled_from(("bundled", "bundled", "0", "1", "known until")))
        if choice == "known until":
            supplied[flag] = {
                "effective_from": "2010-01-01",
                "value": draw(st.sampled_from(("0", "1"))),
                "known_until": draw(st.dates(dt.date(2011, 1, 1), dt.date(2026, 1, 1))).isoformat(),
            }
        elif choice != "bundled":
            supplied[flag] = choice
    if draw(st.booleans()):
        groups = ("discharged-with-illness", "combat-or-test-veteran", "elderly-martyr-child")
        kept = draw(st.sets(st.sampled_from(groups)))
        supplied["living_allowance.monthly_standard"] = {
            "effective_from": draw(st.dates(dt.date(2018, 1, 1), dt.date(2026, 1, 1))).isoformat(),
            "value": {group: str(draw(MONTHLY)) for group in kept},
        }
    stale = draw(st.booleans())
    event(f"stale allowed {stale}")
    return supplied, stale


def book_of(recipe: tuple[dict[str, Any], bool]) -> RuleBook:
    supplied, stale = recipe
    book = NATIONAL.with_parameters(supplied) if supplied else NATIONAL
    return book.allowing_stale(stale)


@given(POPULATIONS, DATES, recipes())
def test_living_allowance_decisions_errors_and_stale_figures_agree(
    subjects: list[Veteran | Survivor], on: dt.date, recipe: tuple[dict[str, Any], bool]
) -> None:
    outcome = agree(book_of(recipe), RULE, subjects, on)

    if outcome and not isinstance(outcome, tuple):
        parts = [outcome[f"{name}_fen"] for name in GROUP_OUTPUTS]
        if any(sum(1 for values in parts if values[row]) > 1 for row in range(len(subjects))):
            event("several groups paid")


@given(st.data(), POPULATIONS.filter(bool), recipes())
def test_living_allowance_decisions_agree_on_the_days_things_change(
    data: st.DataObject, subjects: list[Veteran | Survivor], recipe: tuple[dict[str, Any], bool]
) -> None:
    on = data.draw(near_edges(subjects), label="on")

    agree(book_of(recipe), RULE, subjects, on)


# Every figure supplied (test inputs, not law) and stale ones allowed: few rows raise, so the
# amounts, the combinations of groups and the stale marks are compared on most rows.
COMPLETE = NATIONAL.with_parameters(
    {
        DEMOBILISED: {"anti-japanese-war": "1100", "liberation-war": "1050", "post-1949": "1000"},
        "living_allowance.monthly_standard": {
            "effective_from": "2024-08-01",
            "value": {
                "discharged-with-illness": "819",
                "combat-or-test-veteran": "880",
                "elderly-martyr-child": "720",
            },
            "known_until": "2025-07-31",
        },
    }
).allowing_stale()


@given(
    st.lists(SUBJECTS, max_size=6),
    st.dates(dt.date(2018, 8, 1), dt.date(2027, 12, 31)),
    st.sampled_from(("1", "0")),
)
def test_living_allowance_amounts_and_combinations_agree_with_every_figure_known(
    subjects: list[Veteran | Survivor], on: dt.date, add_up: str
) -> None:
    book = COMPLETE.with_parameters({FLAGS[0]: add_up})

    outcome = agree(book, RULE, subjects, on)

    if outcome and not isinstance(outcome, tuple):
        parts = [outcome[f"{name}_fen"] for name in GROUP_OUTPUTS]
        if any(sum(1 for values in parts if values[row]) > 1 for row in range(len(subjects))):
            event(f"several groups paid (add up: {add_up})")


@st.composite
def dead_combat_veterans(draw: st.DrawFn) -> Veteran:
    """参战 veterans drawing the allowance who died from 2024-10-01 (funeral aid is named)."""
    veteran = draw(two_groups())
    discharged = veteran.service.discharged_on
    assert discharged is not None
    first = max(discharged, dt.date(2024, 10, 1))
    died = draw(st.dates(first, max(first, TODAY)))
    return attrs.evolve(veteran, person=attrs.evolve(veteran.person, died_on=died))


@given(
    st.lists(st.one_of(dead_combat_veterans(), SUBJECTS), max_size=6),
    st.dates(dt.date(2024, 10, 2), dt.date(2027, 12, 31)),
)
def test_the_funeral_aid_figure_of_a_combat_veteran_is_stale_on_both_paths_or_neither(
    subjects: list[Veteran | Survivor], on: dt.date
) -> None:
    agree(COMPLETE, RULE, subjects, on)


@st.composite
def rural_soldiers(draw: st.DrawFn) -> Veteran:
    """Rural conscripts and NCOs enlisted 1954-11-01 … 2011-10-31, holding the 60+ status."""
    births = st.dates(dt.date(1937, 1, 1), dt.date(1962, 12, 31))
    person = draw(
        vst.persons(
            resident_ids=vst.resident_ids(birth_dates=births),
            hukou_types=st.just(HukouType.RURAL),
            alive=True,
        )
    )
    first = max(_add_years(person.birth_date, 17), dt.date(1954, 11, 1))
    last = min(_add_years(person.birth_date, 30), dt.date(2011, 10, 31))
    enlisted = draw(st.dates(first, max(first, last)))
    kind = draw(st.sampled_from((PersonnelType.CONSCRIPT, PersonnelType.NCO)))
    return Veteran(
        person=person,
        service=ServiceRecord(
            enlisted_on=enlisted,
            discharged_on=enlisted + dt.timedelta(days=draw(st.integers(1, 8 * 366))),
            personnel_type=kind,
            nco_rank=NcoRank.JUNIOR if kind is PersonnelType.NCO else None,
        ),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.RURAL_VETERAN_OVER_60, since=dt.date(2011, 8, 1)
            ),
        ),
        circumstances=Circumstances(
            other_periodic_state_payment=draw(st.sampled_from((False, False, None)))
        ),
    )


@given(
    st.lists(rural_soldiers(), max_size=6),
    st.dates(dt.date(2018, 8, 1), dt.date(2027, 12, 31)),
    st.sampled_from(("0", "1")),
)
def test_rural_soldiers_years_and_rates_agree_whichever_service_counts(
    subjects: list[Veteran], on: dt.date, nco_service_counts: str
) -> None:
    book = COMPLETE.with_parameters({FLAGS[1]: nco_service_counts})

    agree(book, RULE, subjects, on)


LEAP_DAYS = st.sampled_from([dt.date(year, 2, 29) for year in range(1956, 2012, 4)])


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """An enlistment and a discharge; often a 29 February, and 28 February or 1 March after."""
    start = draw(st.one_of(LEAP_DAYS, st.dates(dt.date(1954, 11, 1), dt.date(2011, 10, 31))))
    if draw(st.booleans()):
        year = start.year + draw(st.integers(1, 12))
        return start, dt.date(year, draw(st.sampled_from((2, 3))), draw(st.sampled_from((1, 28))))
    return start, start + dt.timedelta(days=draw(st.integers(1, 12 * 366)))


@given(st.lists(spans(), min_size=1, max_size=20))
def test_years_of_service_counted_over_columns_are_those_of_the_rule(
    found: list[tuple[dt.date, dt.date]],
) -> None:
    enlisted = np.array([start for start, _ in found], dtype="datetime64[D]")
    discharged = np.array([end for _, end in found], dtype="datetime64[D]")

    counted = living_allowance._service_years_columns(enlisted, discharged)

    assert [service_years(start, end) for start, end in found] == counted.tolist()
