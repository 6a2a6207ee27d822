"""Laws of the synthetic generator for any small size, seed, date and subtree.

Each example builds a region, so the subtrees drawn are small (townships, and one county
and one city district) and the examples are fewer than the profile's: the laws are the same
at every size, and the full network is covered by ``tests/test_synthetic.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import CaseStatus, ServingMember, StationKind, Survivor, Veteran
from veteran_affairs.synthetic import SyntheticRegion, generate_guangxi

# Townships of each kind (街道, 镇, 乡), a city district and a county with few townships.
SUBTREES = (
    "450802001",  # 贵城街道, 港北区
    "450312101",  # 六塘镇, 临桂区
    "450312204",  # 宛田瑶族乡, 临桂区
    "450103",  # 青秀区, 南宁市
    "451026",  # 那坡县, 百色市 (9 townships)
)
KEY_PROFILES = 11


@st.composite
def regions(draw: st.DrawFn) -> SyntheticRegion:
    on = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31)))
    year = draw(st.integers(min_value=2019, max_value=on.year - 1))
    return generate_guangxi(
        persons=draw(st.integers(min_value=0, max_value=400)),
        seed=draw(st.integers(min_value=0, max_value=2**64)),
        on=on,
        within=draw(st.sampled_from(SUBTREES)),
        activity_year=year,
    )


def may_ask_for_assistance(subject: Veteran | Survivor | ServingMember) -> bool:
    """Discharged veterans and 三属 (退役军人部发〔2019〕62号), not serving members."""
    if isinstance(subject, Survivor):
        return any(s.category.survivor for s in subject.statuses)
    return isinstance(subject, Veteran)


def hung(region: SyntheticRegion) -> int:
    return sum(
        1
        for h in region.households
        if h.household.plaque is not None and h.household.plaque.hung_at(region.on)
    )


@settings(max_examples=30)
@given(regions())
def test_every_person_lives_in_a_generated_village(region: SyntheticRegion) -> None:
    villages = {d.code for d in region.divisions if d.level is DivisionLevel.VILLAGE}

    assert all(p.person.hukou_division in villages for p in region.people)
    assert all(h.household.hukou_division in villages for h in region.households)
    assert all(
        p.person.resident_id.address_code == p.person.hukou_division.truncate(DivisionLevel.COUNTY)
        for p in region.people
    )


@settings(max_examples=30)
@given(regions())
def test_every_station_and_activity_belongs_to_a_unit_of_the_region(
    region: SyntheticRegion,
) -> None:
    units = {d.code for d in region.divisions}
    built = [s.division for s in region.stations if s.kind is not StationKind.EXTENSION]
    root = region.within
    assert root is not None

    assert all(s.division in units for s in region.stations)
    assert all(a.unit in built for a in region.activities)
    assert len(built) == len(set(built))
    assert all(root.contains(d.code) for d in region.divisions)


@settings(max_examples=30)
@given(regions())
def test_identifiers_are_unique(region: SyntheticRegion) -> None:
    people = [p.person.resident_id for p in region.people]
    households = [h.household.household_id for h in region.households]
    cases = [c.case_id for c in region.cases]
    activities = [a.activity_id for a in region.activities]

    for ids in (people, households, cases, activities):
        assert len(ids) == len(set(ids))


@settings(max_examples=30)
@given(regions())
def test_totals_scale_with_persons(region: SyntheticRegion) -> None:
    n = region.persons
    paid = [c for c in region.cases if c.status is CaseStatus.PAID]
    key = sum(1 for p in region.people if any(c.key_entitled for c in p.categories_on(region.on)))
    may_apply = sum(1 for p in region.people if may_ask_for_assistance(p))
    helped = min(max(1, (n * 5_100 + 500_000) // 1_000_000), may_apply)

    assert (n * 1_006_900 + 500_000) // 1_000_000 == hung(region)
    assert helped == len({c.applicant for c in paid})
    if helped:
        assert Decimal(n * 1_749).scaleb(-2) == sum(c.approved_amount or 0 for c in paid)
    assert abs(key - 0.18 * n) < KEY_PROFILES


@settings(max_examples=30)
@given(regions())
def test_events_lie_before_on_and_activities_in_their_year(region: SyntheticRegion) -> None:
    on, year = region.on, region.activity_year

    assert {year} >= {a.held_on.year for a in region.activities}
    assert all(c.incident_on.year == year and c.history[-1].on <= on for c in region.cases)
    assert all(
        s.established_on is not None and s.established_on.year < year for s in region.stations
    )
    assert all(s.since <= on for p in region.people for s in p.statuses)
    assert all(
        h.household.plaque is None or h.household.plaque.hung_on <= on for h in region.households
    )
    assert all(m.since <= on for h in region.households for m in h.members)


@settings(max_examples=10)
@given(
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=2**32),
    st.sampled_from(SUBTREES),
)
def test_the_same_arguments_give_an_equal_region(persons: int, seed: int, within: str) -> None:
    first = generate_guangxi(persons=persons, seed=seed, within=within)

    assert first == generate_guangxi(persons=persons, seed=seed, within=DivisionCode(within))
