"""The public strategies make only valid values, and exactly the ones asked for."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from veteran_affairs.divisions import contains_code, name_of
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, Sex, check_character
from veteran_affairs.models import (
    MODEL_CLASSES,
    AssistanceCase,
    CaseStatus,
    DisabilityNature,
    Division,
    Person,
    PersonnelType,
    Sanction,
    SanctionKind,
    ServiceStation,
    StationKind,
    Survivor,
    Veteran,
)
from veteran_affairs.models.assistance import TRANSITIONS
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.testing import strategies as vas

CENTRE_LEVELS = {DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY}
FIND_ONLY = settings(max_examples=1000, phases=[Phase.generate], database=None, deadline=None)


def dates_inside(value: object) -> Iterator[dt.date]:
    """Every date held by a model value, through nested models and tuples."""
    if isinstance(value, dt.date):
        yield value
        return
    if isinstance(value, tuple):
        for item in value:
            yield from dates_inside(item)
        return
    cls = type(value)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            yield from dates_inside(getattr(value, field.name))


def models_named(cls: type) -> str:
    return cls.__name__


# --- every model ---------------------------------------------------------------------------


def test_every_model_class_has_a_strategy() -> None:
    assert [] == [cls.__name__ for cls in MODEL_CLASSES if cls not in vas.STRATEGIES]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=models_named)
@given(data=st.data())
def test_every_generated_value_validates_again(cls: type, data: st.DataObject) -> None:
    value = data.draw(vas.STRATEGIES[cls])

    attrs.validate(value)
    assert value == attrs.evolve(value)
    assert cls is type(value)


@given(cls=st.sampled_from(MODEL_CLASSES), data=st.data())
def test_from_type_builds_instances_of_the_class(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))

    assert isinstance(value, cls)


@given(vas.models())
def test_no_generated_date_lies_in_the_future(value: Any) -> None:
    today = dt.date.today()

    assert [] == [day for day in dates_inside(value) if day > today]


def test_from_type_works_in_a_fresh_interpreter_without_importing_the_strategies() -> None:
    code = (
        "import warnings; warnings.simplefilter('ignore');"
        "from hypothesis import strategies as st;"
        "from veteran_affairs.models import Veteran;"
        "print(type(st.from_type(Veteran).example()).__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert "Veteran" == done.stdout.strip()


def test_importing_the_strategies_before_hypothesis_still_registers_them() -> None:
    code = (
        "import warnings; warnings.simplefilter('ignore');"
        "import veteran_affairs.testing.strategies;"
        "from hypothesis import strategies as st;"
        "from veteran_affairs.models import Household;"
        "print(type(st.from_type(Household).example()).__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert "Household" == done.stdout.strip()


def test_the_public_names_are_sorted_and_are_what_dir_shows() -> None:
    exported = list(vas.__all__)

    assert sorted(exported) == exported
    assert exported == dir(vas)
    assert [] == [name for name in exported if not hasattr(vas, name)]


# --- identity numbers ----------------------------------------------------------------------


@given(vas.resident_ids())
def test_a_generated_id_parses_back_from_its_full_text(rid: ResidentId) -> None:
    assert rid == ResidentId(rid.unmasked)


@given(vas.resident_ids())
def test_a_generated_id_ends_in_the_check_character_of_its_first_17_digits(
    rid: ResidentId,
) -> None:
    text = rid.unmasked

    assert check_character(text[:17]) == text[17]


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
    sex=st.sampled_from(tuple(Sex)),
    address=vas.division_codes(),
    data=st.data(),
)
def test_an_id_carries_the_birth_date_sex_and_address_asked_for(
    born: dt.date, sex: Sex, address: DivisionCode, data: st.DataObject
) -> None:
    rid = data.draw(
        vas.resident_ids(address=st.just(address), birth_dates=st.just(born), sexes=st.just(sex))
    )

    assert born == rid.birth_date
    assert sex is rid.sex
    assert address.value[:6] == rid.address_code.value[:6]


# --- division codes ------------------------------------------------------------------------

level_pairs = st.tuples(
    st.sampled_from(tuple(DivisionLevel)), st.sampled_from(tuple(DivisionLevel))
).map(sorted)


@given(levels=level_pairs, data=st.data())
def test_division_codes_have_the_level_asked_for_inside_the_unit_asked_for(
    levels: list[DivisionLevel], data: st.DataObject
) -> None:
    outer, inner = levels
    within = data.draw(vas.division_codes(level=outer))

    code = data.draw(vas.division_codes(level=inner, within=within))

    assert inner is code.level
    assert within.contains(code)


@given(data=st.data())
def test_division_codes_without_a_level_stay_inside_the_unit(data: st.DataObject) -> None:
    within = data.draw(vas.division_codes())

    code = data.draw(vas.division_codes(within=within))

    assert within.contains(code)
    assert code.level >= within.level


@given(vas.division_codes(level=DivisionLevel.VILLAGE))
def test_village_codes_are_synthetic_and_in_a_village_band(code: DivisionCode) -> None:
    assert code.village_kind is not None
    assert code.township_kind is not None


def test_a_level_above_the_unit_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        vas.division_codes(level=DivisionLevel.CITY, within=DivisionCode("450312"))


@given(vas.divisions())
def test_a_bundled_unit_carries_its_bundled_name(division: Division) -> None:
    if contains_code(division.code):
        assert name_of(division.code) == division.name


# --- amounts -------------------------------------------------------------------------------


@given(data=st.data(), places=st.integers(0, 4))
def test_amounts_stay_within_bounds_and_places(data: st.DataObject, places: int) -> None:
    amount = data.draw(vas.amounts(min_value="10", max_value=1000, places=places))

    assert Decimal(10) <= amount <= Decimal(1000)
    assert amount == round(amount, places)


# --- people and service --------------------------------------------------------------------


@given(
    personnel_type=st.sampled_from(tuple(PersonnelType)), discharged=st.booleans(), data=st.data()
)
def test_service_records_have_the_type_and_state_asked_for(
    personnel_type: PersonnelType, discharged: bool, data: st.DataObject
) -> None:
    record = data.draw(
        vas.service_records(personnel_types=st.just(personnel_type), discharged=discharged)
    )

    assert personnel_type is record.personnel_type
    assert discharged == record.discharged
    assert record.discharge_mode in {None, *ALLOWED_DISCHARGE_MODES[personnel_type]}


@given(vas.veterans())
def test_veterans_enlisted_aged_17_to_30(veteran: Veteran) -> None:
    age = veteran.person.age_on(veteran.service.enlisted_on)

    assert 17 <= age <= 30


@given(vas.veterans(disabled=True))
def test_only_conscripts_and_junior_ncos_get_an_illness_disability(veteran: Veteran) -> None:
    assert veteran.disability is not None
    if veteran.disability.nature is DisabilityNature.ILLNESS:
        assert veteran.service.illness_disability_allowed


@given(st.booleans(), st.data())
def test_persons_are_alive_or_dead_as_asked_and_never_die_before_birth(
    alive: bool, data: st.DataObject
) -> None:
    person = data.draw(vas.persons(alive=alive))

    assert alive == (person.died_on is None)
    if person.died_on is not None:
        assert person.birth_date <= person.died_on <= dt.date.today()
        assert person.alive_on(person.died_on)


@given(vas.persons())
def test_a_person_is_alive_on_their_birth_day(person: Person) -> None:
    assert person.alive_on(person.birth_date)


# Each of these comes up often enough to be found by chance (no shrinking: finding is enough).
SOMETIMES_SEEN: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], bool]]] = [
    ("dead person", vas.persons(), lambda person: person.died_on is not None),
    ("dead veteran", vas.veterans(), lambda veteran: veteran.person.died_on is not None),
    ("dead survivor", vas.survivors(), lambda survivor: survivor.person.died_on is not None),
    ("two sanctions", vas.veterans(), lambda veteran: len(veteran.sanctions) == 2),
    ("sanctioned survivor", vas.survivors(), lambda survivor: bool(survivor.sanctions)),
    ("all facts known", vas.circumstances(), lambda facts: None not in attrs.astuple(facts)),
    (
        "ended cancelling sanction",
        vas.sanctions(),
        lambda sanction: sanction.kind.cancels and sanction.until is not None,
    ),
]


@pytest.mark.parametrize(
    ("strategy", "condition"),
    [(strategy, condition) for _, strategy, condition in SOMETIMES_SEEN],
    ids=[name for name, _, _ in SOMETIMES_SEEN],
)
def test_the_default_strategies_sometimes_make(
    strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]
) -> None:
    find(strategy, condition, settings=FIND_ONLY)


@given(
    st.sampled_from(tuple(SanctionKind)),
    st.dates(min_value=dt.date(1937, 1, 1), max_value=dt.date.today()),
    st.booleans(),
    st.data(),
)
def test_sanctions_have_the_kind_start_and_end_asked_for(
    kind: SanctionKind, since: dt.date, ended: bool, data: st.DataObject
) -> None:
    sanction = data.draw(vas.sanctions(kinds=st.just(kind), since=st.just(since), ended=ended))

    assert (kind, since) == (sanction.kind, sanction.since)
    assert ended == (sanction.until is not None)
    assert sanction.in_effect_on(since)


@given(vas.sanctions())
def test_a_sanction_ends_no_earlier_than_it_began_and_no_later_than_today(
    sanction: Sanction,
) -> None:
    if sanction.until is not None:
        assert sanction.since <= sanction.until <= dt.date.today()


def lifetime_events(holder: Veteran | Survivor) -> list[dt.date]:
    """Days on which something happened to the person (not register statuses)."""
    days = [sanction.since for sanction in holder.sanctions]
    days += [s.until for s in holder.sanctions if s.until is not None]
    if isinstance(holder, Veteran) and holder.disability is not None:
        days.append(holder.disability.assessed_on)
    return days


@given(st.one_of(vas.veterans(), vas.survivors()))
def test_sanctions_and_assessments_fall_within_the_persons_life(
    holder: Veteran | Survivor,
) -> None:
    person = holder.person
    last = person.died_on or dt.date.today()
    starts = [sanction.since for sanction in holder.sanctions]

    assert starts == sorted(starts)
    assert all(person.birth_date < sanction.since for sanction in holder.sanctions)
    assert [] == [day for day in lifetime_events(holder) if day > last]


@given(vas.veterans())
def test_a_default_veteran_dies_no_earlier_than_the_discharge(veteran: Veteran) -> None:
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None

    if veteran.person.died_on is not None:
        assert discharged_on <= veteran.person.died_on


@given(vas.survivors())
def test_a_default_survivor_outlives_the_member(survivor: Survivor) -> None:
    if survivor.person.died_on is not None:
        assert survivor.deceased_on <= survivor.person.died_on


@given(vas.survivors(persons=vas.persons(alive=False)))
def test_a_survivor_given_as_dead_stays_dead(survivor: Survivor) -> None:
    assert survivor.person.died_on is not None


# --- network and cases ---------------------------------------------------------------------


@given(vas.service_stations())
def test_centres_sit_at_levels_1_to_3_and_stations_at_4_and_5(station: ServiceStation) -> None:
    if station.kind is StationKind.CENTRE:
        assert station.division.level in CENTRE_LEVELS
    if station.kind is StationKind.STATION:
        assert station.division.level not in CENTRE_LEVELS


@given(vas.assistance_cases())
def test_a_case_follows_allowed_steps_in_date_order_within_its_approval(
    case: AssistanceCase,
) -> None:
    steps = list(itertools.pairwise(case.history))
    funded = sum((allocation.amount for allocation in case.funding), Decimal(0))

    assert CaseStatus.APPLIED is case.history[0].to_status
    assert all(after.to_status in TRANSITIONS[before.to_status] for before, after in steps)
    assert all(before.on <= after.on for before, after in steps)
    assert case.approved_amount is None or funded <= case.approved_amount
