"""The synthetic Guangxi (合成数据): the seed's figures, determinism, and valid values throughout.

The full network is built once per session (``full``, 2,000 persons, a few seconds); the
other examples use subtrees, which build in well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import attrs
import pytest

from veteran_affairs import divisions
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.cycles.routines import GUANGXI_PRESET, ComplianceStatus, compliance
from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidDivisionCode,
    InvalidValue,
    UnknownDivision,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel, TownshipKind, VillageKind
from veteran_affairs.models import (
    ActivityKind,
    CaseStatus,
    EntitlementCategory,
    PlaqueBasis,
    ServingMember,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.glory_plaque import census
from veteran_affairs.serialization import make_converter
from veteran_affairs.synthetic import LABEL, SyntheticRegion, generate_guangxi

ON = dt.date(2021, 1, 6)
PERSONS = 2_000
LINGUI, GANGBEI = "450312", "450802"
# Key entitled persons come in 11 key profiles, each apportioned to within one person of its
# exact share, so the key count is within 11 of 18% of the total for any seed and size.
KEY_PROFILES = 11
MEETINGS = frozenset(
    {
        ActivityKind.DISPATCH_MEETING,
        ActivityKind.SYMPOSIUM,
        ActivityKind.TRAINING,
        ActivityKind.RECEPTION_DAY,
    }
)


@pytest.fixture(scope="session")
def full() -> SyntheticRegion:
    return generate_guangxi(persons=PERSONS, seed=2021, on=ON)


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return RuleBook.load("guangxi")


@pytest.fixture(scope="session")
def lingui() -> SyntheticRegion:
    return generate_guangxi(persons=300, seed=2021, on=ON, within=LINGUI)


def required(region: SyntheticRegion) -> list[DivisionCode]:
    return [s.division for s in region.stations if s.kind is not StationKind.EXTENSION]


def key_entitled(region: SyntheticRegion) -> int:
    return sum(1 for p in region.people if any(c.key_entitled for c in p.categories_on(region.on)))


# --- the network -------------------------------------------------------------------------------


def test_the_full_network_has_the_seeds_17624_centres_and_stations(full: SyntheticRegion) -> None:
    levels = Counter(code.level for code in required(full))

    assert 17_624 == len(required(full))
    assert {1: 1, 2: 14, 3: 111, 4: 1_253, 5: 16_245} == {int(k): v for k, v in levels.items()}


def test_bundled_data_have_1253_regular_townships_and_31_township_like_units() -> None:
    kinds = Counter(
        d.code.township_kind
        for d in divisions.bundled(province="45")
        if d.level is DivisionLevel.TOWNSHIP
    )

    assert 1_253 == sum(n for k, n in kinds.items() if k is not TownshipKind.TOWNSHIP_LIKE)
    assert 31 == kinds[TownshipKind.TOWNSHIP_LIKE]


def test_divisions_are_the_bundled_units_and_the_villages_in_code_order(
    full: SyntheticRegion,
) -> None:
    bundled = list(divisions.bundled(province="45"))
    codes = [d.code.value for d in full.divisions]

    assert sorted(codes) == codes
    assert len(set(codes)) == len(codes)
    assert bundled == [d for d in full.divisions if d.level < DivisionLevel.VILLAGE]
    assert 1_284 + 126 + 16_245 == len(full.divisions)


@pytest.mark.parametrize(
    ("county", "townships", "villages"), [(LINGUI, 11, 172), (GANGBEI, 8, 124)]
)
def test_the_seeds_example_counties_get_their_village_stations(
    full: SyntheticRegion, county: str, townships: int, villages: int
) -> None:
    levels = Counter(c.level for c in required(full) if c.value.startswith(county))

    assert townships == len(divisions.children(county))
    assert {3: 1, 4: townships, 5: villages} == {int(k): v for k, v in levels.items()}


def test_lingui_has_184_and_gangbei_133_centres_and_stations(full: SyntheticRegion) -> None:
    codes = required(full)

    assert 184 == sum(1 for c in codes if c.value.startswith(LINGUI))
    assert 133 == sum(1 for c in codes if c.value.startswith(GANGBEI))


def test_township_like_units_have_no_villages_and_no_station(full: SyntheticRegion) -> None:
    like = {
        d.code.short
        for d in full.divisions
        if d.level is DivisionLevel.TOWNSHIP and d.code.township_kind is TownshipKind.TOWNSHIP_LIKE
    }
    under_like = [d for d in full.divisions if d.code.value[:9] in like]

    assert 31 == len(like)
    assert [DivisionLevel.TOWNSHIP] * 31 == [d.level for d in under_like]
    assert [] == [s for s in full.stations if s.division.value[:9] in like]


def test_villages_follow_their_bands_and_are_named_synthetic(full: SyntheticRegion) -> None:
    by_parent_kind: Counter[tuple[TownshipKind | None, VillageKind | None]] = Counter()
    villages = [d for d in full.divisions if d.level is DivisionLevel.VILLAGE]
    for village in villages:
        township = village.code.truncate(DivisionLevel.TOWNSHIP)
        by_parent_kind[(township.township_kind, village.code.village_kind)] += 1

    assert all(d.name.endswith("（合成）") for d in villages)
    street = {k: n for (t, k), n in by_parent_kind.items() if t is TownshipKind.SUBDISTRICT}
    rural = {k: n for (t, k), n in by_parent_kind.items() if t is not TownshipKind.SUBDISTRICT}
    assert street[VillageKind.RESIDENTS_COMMITTEE] > 5 * street.get(
        VillageKind.VILLAGERS_COMMITTEE, 0
    )
    assert rural[VillageKind.VILLAGERS_COMMITTEE] > 5 * rural.get(
        VillageKind.RESIDENTS_COMMITTEE, 0
    )


def test_every_required_unit_has_one_built_centre_or_station_set_up_before_on(
    full: SyntheticRegion,
) -> None:
    built = [s for s in full.stations if s.kind is not StationKind.EXTENSION]
    kinds = {(s.kind, s.division.level <= DivisionLevel.COUNTY) for s in built}

    assert len(built) == len({s.division for s in built})
    assert {(StationKind.CENTRE, True), (StationKind.STATION, False)} == kinds
    assert all(s.status is StationStatus.OPERATING and s.built for s in built)
    assert all(s.established_on is not None and s.established_on < ON for s in built)
    assert all(s.staff >= 1 and s.name is not None and "合成" in s.name for s in built)


def test_a_handful_of_extension_stations_one_per_city_at_a_county(full: SyntheticRegion) -> None:
    extensions = [s for s in full.stations if s.kind is StationKind.EXTENSION]

    assert 14 == len(extensions)
    assert 14 == len({s.division.value[:4] for s in extensions})
    assert {DivisionLevel.COUNTY} == {s.division.level for s in extensions}


def test_office_area_is_about_the_seeds_196000_square_metres(full: SyntheticRegion) -> None:
    # Per-unit areas are uniform around level means chosen to total 196,052 m²; the standard
    # deviation of the sum is about 870 m² (0.45%), so 2% is more than 4 standard deviations.
    total = sum((s.office_area_m2 or Decimal(0) for s in full.stations), Decimal(0))

    assert abs(total - 196_000) <= Decimal("0.02") * 196_000


def test_most_sites_meet_the_five_haves_and_centres_nearly_all(full: SyntheticRegion) -> None:
    centres = [s for s in full.stations if s.kind is StationKind.CENTRE]
    complete = sum(s.five_haves.complete for s in full.stations) / len(full.stations)

    assert sum(s.five_haves.complete for s in centres) >= 0.9 * len(centres)
    assert 0.1 < complete < 0.5


# --- determinism and subtrees ------------------------------------------------------------------


def test_the_same_arguments_give_an_equal_region() -> None:
    first = generate_guangxi(persons=400, seed=5, within="4508")
    again = generate_guangxi(persons=400, seed=5, within="4508")

    assert first == again
    assert [p.person.resident_id for p in first.people] == [
        p.person.resident_id for p in again.people
    ]


def test_another_seed_gives_other_people_on_the_same_village_layer() -> None:
    one = generate_guangxi(persons=200, seed=1, within=GANGBEI)
    two = generate_guangxi(persons=200, seed=2, within=GANGBEI)

    assert one.divisions == two.divisions
    assert one.people != two.people


def test_a_subtree_has_the_full_networks_units_stations_and_meetings(
    full: SyntheticRegion, lingui: SyntheticRegion
) -> None:
    root = DivisionCode(LINGUI)

    def inside(region: SyntheticRegion) -> tuple[object, ...]:
        return (
            tuple(d for d in region.divisions if root.contains(d.code)),
            tuple(s for s in region.stations if root.contains(s.division)),
            tuple(a for a in region.activities if a.kind in MEETINGS and root.contains(a.unit)),
        )

    assert inside(full) == inside(lingui)
    assert root == lingui.within == lingui.divisions[0].code


def test_a_subtree_is_rooted_at_within_and_places_people_only_there(
    lingui: SyntheticRegion,
) -> None:
    root = DivisionCode(LINGUI)

    assert all(root.contains(d.code) for d in lingui.divisions)
    assert all(root.contains(p.person.hukou_division) for p in lingui.people)
    assert all(root.contains(h.household.hukou_division) for h in lingui.households)


def test_a_village_can_be_generated_on_its_own(full: SyntheticRegion) -> None:
    village = next(
        d
        for d in full.divisions
        if d.level is DivisionLevel.VILLAGE and d.code.value.startswith("450312101")
    )

    region = generate_guangxi(persons=5, within=village.code.value)

    assert (village,) == region.divisions
    assert [village.code] == [s.division for s in region.stations]
    assert {village.code} == {p.person.hukou_division for p in region.people}


def test_a_township_like_unit_has_no_station_and_cannot_hold_persons() -> None:
    like = next(
        d.code
        for d in divisions.bundled(province="45")
        if d.code.township_kind is TownshipKind.TOWNSHIP_LIKE
    )

    empty = generate_guangxi(persons=0, within=like)

    assert (like,) == tuple(d.code for d in empty.divisions)
    assert () == empty.stations
    with pytest.raises(InvalidValue, match="within"):
        generate_guangxi(persons=1, within=like)


# --- people ------------------------------------------------------------------------------------


def test_people_live_in_generated_villages_with_ids_of_their_county(full: SyntheticRegion) -> None:
    villages = {d.code for d in full.divisions if d.level is DivisionLevel.VILLAGE}
    ids = [p.person.resident_id for p in full.people]

    assert PERSONS == len(full.people) == full.persons
    assert all(p.person.hukou_division in villages for p in full.people)
    assert all(
        p.person.resident_id.address_code == p.person.hukou_division.truncate(DivisionLevel.COUNTY)
        for p in full.people
    )
    assert len(ids) == len(set(ids))


def test_person_reprs_mask_the_identity_number_and_the_name(full: SyntheticRegion) -> None:
    person = full.people[0].person
    text = repr(full.people[0])

    assert person.resident_id.unmasked not in text
    assert person.name not in text
    assert person.name.startswith("合成")


def test_the_mix_has_veterans_survivors_and_serving_members(full: SyntheticRegion) -> None:
    kinds = Counter(type(p).__name__ for p in full.people)
    disabled = sum(1 for p in full.people if isinstance(p, Veteran) and p.disability)
    several = sum(1 for p in full.people if len(p.categories_on(ON)) >= 2)

    assert {"Veteran", "Survivor", "ServingMember"} == set(kinds)
    assert 0.05 < kinds["ServingMember"] / PERSONS < 0.07
    assert 0.02 < kinds["Survivor"] / PERSONS < 0.03
    assert disabled >= 40
    assert several >= 0.15 * PERSONS


def test_about_18_percent_are_key_entitled_as_in_lingui(full: SyntheticRegion) -> None:
    share = key_entitled(full) / PERSONS

    assert abs(share - 0.18) < KEY_PROFILES / PERSONS


def test_the_key_entitled_rule_agrees_with_the_statuses(
    full: SyntheticRegion, book: RuleBook
) -> None:
    subjects = [p for p in full.people if not isinstance(p, ServingMember)]

    decisions = [book.evaluate("key_entitled", p, on=ON) for p in subjects]

    assert key_entitled(full) == sum(d.eligible is True for d in decisions)
    assert 0 == sum(d.eligible is None for d in decisions)


def test_every_disabled_veteran_draws_a_disability_pension(
    full: SyntheticRegion, book: RuleBook
) -> None:
    disabled = [p for p in full.people if isinstance(p, Veteran) and p.disability is not None]

    decisions = [book.evaluate("disability_pension", p, on=ON) for p in disabled]

    assert [True] * len(disabled) == [d.eligible for d in decisions]
    assert all(d.amount is not None and d.amount > 0 for d in decisions)


def test_rural_veterans_over_60_meet_the_facts_the_allowance_reads(full: SyntheticRegion) -> None:
    rural = [
        p
        for p in full.people
        if isinstance(p, Veteran)
        and EntitlementCategory.RURAL_VETERAN_OVER_60 in p.categories_on(ON)
    ]

    assert len(rural) > 150
    assert all(p.person.age_on(ON) >= 60 for p in rural)
    assert all(
        dt.date(1954, 11, 1) <= p.service.enlisted_on <= dt.date(2011, 10, 31) for p in rural
    )
    assert all(p.circumstances.other_periodic_state_payment is False for p in rural)


def test_survivors_hold_the_status_of_their_members_death(full: SyntheticRegion) -> None:
    survivors = [p for p in full.people if isinstance(p, Survivor)]

    assert all(
        p.categories_on(ON)
        <= {p.death_category.survivor_category, EntitlementCategory.ELDERLY_MARTYR_CHILD}
        for p in survivors
    )
    assert all(p.deceased_id is not None for p in survivors)


# --- households and plaques --------------------------------------------------------------------


def test_hung_plaques_are_the_seeds_1_0069_per_person(full: SyntheticRegion) -> None:
    hung = sum(
        1
        for h in full.households
        if h.household.plaque is not None and h.household.plaque.hung_at(ON)
    )

    assert round(PERSONS * 1.0069) == hung == 2_014


def test_plaque_census_shows_mostly_hung_some_to_hang_a_few_to_recover(
    full: SyntheticRegion, book: RuleBook
) -> None:
    result = census(book, full.households, on=ON, county=DivisionCode("45"))

    assert len(full.households) == result.households
    assert 0 == result.undetermined
    assert 30 == len(result.to_hang)  # 1.5% of the persons' households
    assert 2 == len(result.to_recover)  # 0.1%, each for a criminal punishment
    assert result.hung_eligible == result.hung - 2
    assert result.coverage is not None
    assert Decimal("0.98") < result.coverage < 1


def test_households_have_unique_ids_in_the_village_of_their_head(full: SyntheticRegion) -> None:
    ids = [h.household.household_id for h in full.households]

    assert len(ids) == len(set(ids))
    assert all(
        h.household.household_id.startswith(h.household.hukou_division.value)
        for h in full.households
    )
    assert all(len(h.members) == 1 for h in full.households)


def test_some_plaque_members_are_not_among_the_people(full: SyntheticRegion) -> None:
    people = {p.person.resident_id for p in full.people}
    outside = [m for h in full.households for m in h.members if m.resident_id not in people]
    bases = Counter(m.basis for m in outside)

    assert {
        PlaqueBasis.MARTYR,
        PlaqueBasis.DUTY_DEATH,
        PlaqueBasis.ILLNESS_DEATH,
        PlaqueBasis.VETERAN,
    } <= set(bases)
    assert all(m.died_on is not None for m in outside)


def test_a_plaque_to_recover_goes_with_a_sanction_of_the_veteran(full: SyntheticRegion) -> None:
    disqualified = {d.resident_id for h in full.households for d in h.disqualifications}
    sanctioned = {
        p.person.resident_id for p in full.people if isinstance(p, Veteran) and p.sanctions
    }

    assert 2 == len(disqualified)
    assert disqualified == sanctioned


# --- assistance ----------------------------------------------------------------------------------


def test_assistance_helps_0_51_percent_with_17_49_yuan_per_person(full: SyntheticRegion) -> None:
    done = [c for c in full.cases if c.status is CaseStatus.PAID]

    assert 10 == len({c.applicant for c in done})
    assert Decimal("34980.00") == sum(c.approved_amount or 0 for c in done)
    assert all(sum(f.amount for f in c.funding) == c.approved_amount for c in done)


def test_assistance_totals_scale_linearly_with_persons() -> None:
    small = generate_guangxi(persons=1_000, seed=3, within="4508")
    large = generate_guangxi(persons=3_000, seed=3, within="4508")

    def totals(region: SyntheticRegion) -> tuple[Decimal, int]:
        done = [c for c in region.cases if c.status is CaseStatus.PAID]
        amount = sum((c.approved_amount or Decimal(0) for c in done), Decimal(0))
        return amount, len({c.applicant for c in done})

    assert (Decimal("17490.00"), 5) == totals(small)
    assert (Decimal("52470.00"), 15) == totals(large)


def test_cases_mix_causes_funding_and_outcomes_within_the_year() -> None:
    region = generate_guangxi(persons=10_000, seed=11, within="4508")
    statuses = Counter(c.status for c in region.cases)
    causes = {c.cause for c in region.cases}
    sources = {f.source for c in region.cases for f in c.funding}
    people = {p.person.resident_id: p for p in region.people}

    assert statuses[CaseStatus.PAID] > 0.8 * len(region.cases)
    assert {CaseStatus.REJECTED, CaseStatus.WITHDRAWN} <= set(statuses)
    assert len(causes) >= 4
    assert len(sources) >= 3
    assert all(c.incident_on.year == 2020 and c.history[-1].on <= region.on for c in region.cases)
    assert all(not isinstance(people[c.applicant], ServingMember) for c in region.cases)
    assert all(c.division == people[c.applicant].person.hukou_division for c in region.cases)


# --- activities ------------------------------------------------------------------------------------


def test_units_hold_their_routines_with_a_few_missed_or_late(lingui: SyntheticRegion) -> None:
    units = [s.division for s in lingui.stations if s.kind is not StationKind.EXTENSION]
    span = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    guangxi = calendar_for("45")  # 2020: 三月三 cancelled, so the national working days

    def statuses(name: str) -> Counter[ComplianceStatus]:
        rows = compliance(GUANGXI_PRESET[name], lingui.activities, units, span, ON, guangxi)
        return Counter(r.status for r in rows)

    dispatch = statuses("dispatch-meeting")
    reception = statuses("reception-day")

    assert 184 * 12 == sum(dispatch.values())
    assert 0 < dispatch[ComplianceStatus.MISSED] < 0.05 * 184 * 12
    assert 12 == sum(reception.values())  # the county centre only
    assert {ComplianceStatus.ON_TIME} <= set(reception)


def test_reception_days_are_sometimes_late_across_the_centres(full: SyntheticRegion) -> None:
    centres = [s.division for s in full.stations if s.kind is StationKind.CENTRE]
    rows = compliance(
        GUANGXI_PRESET["reception-day"],
        full.activities,
        centres,
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        ON,
        calendar_for("45"),
    )
    counts = Counter(r.status for r in rows)

    assert 126 * 12 == len(rows)
    assert counts[ComplianceStatus.LATE] > 0
    assert counts[ComplianceStatus.MISSED] > 0
    assert counts[ComplianceStatus.ON_TIME] > 0.85 * len(rows)


def test_key_persons_are_visited_and_called_with_contacts_listed(full: SyntheticRegion) -> None:
    key = {
        p.person.resident_id
        for p in full.people
        if any(c.key_entitled for c in p.categories_on(ON))
    }
    visits = [a for a in full.activities if a.kind is ActivityKind.HOME_VISIT]
    contacted = {rid for a in visits for rid in a.contacts}

    assert contacted <= key
    assert len(contacted) > 0.9 * len(key)
    assert all(a.participants > len(a.contacts) for a in visits)


def test_activity_ids_are_unique_and_dates_in_the_activity_year(full: SyntheticRegion) -> None:
    ids = [a.activity_id for a in full.activities]

    assert len(ids) == len(set(ids))
    assert {2020} == {a.held_on.year for a in full.activities}


def test_generated_values_survive_the_converter_unchanged(lingui: SyntheticRegion) -> None:
    converter = make_converter()
    sample: list[object] = [
        *lingui.people[:50],
        *lingui.households[:50],
        *lingui.cases,
        *lingui.activities[:50],
        *lingui.stations[:20],
        *lingui.divisions[:20],
    ]

    again = [converter.structure(converter.unstructure(v), type(v)) for v in sample]

    assert sample == again


# --- arguments, label and repr -----------------------------------------------------------------


def test_the_label_and_repr_say_synthetic_and_show_counts_not_contents(
    full: SyntheticRegion,
) -> None:
    text = repr(full)

    assert LABEL == full.label
    assert "SYNTHETIC" in full.label
    assert "合成数据" in full.label
    assert text.startswith("SyntheticRegion(SYNTHETIC 合成数据, seed=2021, on=2021-01-06")
    assert "people=2,000" in text
    assert len(text) < 300


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"persons": -1}, "persons"),
        ({"persons": True}, "persons"),
        ({"seed": "1"}, "seed"),
        ({"on": dt.date(2999, 1, 1)}, "on"),
        ({"activity_year": 2021}, "activity_year"),
        ({"activity_year": 2018, "on": dt.date(2019, 6, 1)}, "activity_year"),
        ({"within": "440000"}, "within"),
    ],
)
def test_arguments_out_of_range_are_refused_naming_the_field(
    kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        generate_guangxi(**kwargs)  # type: ignore[arg-type]

    assert field == raised.value.field


def test_a_within_not_in_the_data_is_unknown() -> None:
    with pytest.raises(UnknownDivision):
        generate_guangxi(persons=0, within="450399")
    with pytest.raises(UnknownDivision):
        generate_guangxi(persons=0, within="450312101399")
    with pytest.raises(InvalidDivisionCode):
        generate_guangxi(persons=0, within="4503x")


def test_a_region_whose_people_do_not_match_persons_cannot_exist(
    lingui: SyntheticRegion,
) -> None:
    with pytest.raises(InconsistentRecord):
        attrs.evolve(lingui, persons=lingui.persons + 1)
