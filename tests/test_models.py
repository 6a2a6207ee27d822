"""Domain models: construction, invariants and masking, as worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidResidentId,
    InvalidValue,
)
from veteran_affairs.identity import DivisionCode, ResidentId, Sex, check_character
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    Award,
    AwardKind,
    CaseStatus,
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    DischargeMode,
    Division,
    EntitlementCategory,
    EntitlementStatus,
    FiveHaves,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    PlaqueRecord,
    PlaqueRecoveryReason,
    Relation,
    Sanction,
    SanctionKind,
    ServiceRecord,
    ServiceStation,
    ServingMember,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.models.circumstances import CANCELLING_SANCTIONS
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES

D = dt.date
LINGGUI = DivisionCode("450312")


def rid(birth: str, sequence: str = "001", address: str = "450312") -> ResidentId:
    body = address + birth + sequence
    return ResidentId(body + check_character(body))


def person(**changes: Any) -> Person:
    values: dict[str, Any] = {
        "resident_id": rid("19800101"),
        "name": "韦国强",
        "hukou_division": DivisionCode("450312101201"),
        "hukou_type": HukouType.RURAL,
        "ethnicity": "壮族",
        "phone": "13812345678",
    }
    values.update(changes)
    return Person(**values)


def service(**changes: Any) -> ServiceRecord:
    values: dict[str, Any] = {
        "enlisted_on": D(1998, 12, 1),
        "discharged_on": D(2000, 12, 1),
        "personnel_type": PersonnelType.CONSCRIPT,
        "discharge_mode": DischargeMode.SELF_EMPLOYMENT,
    }
    values.update(changes)
    return ServiceRecord(**values)


# --- Person --------------------------------------------------------------------------------


def test_sex_and_birth_date_default_to_what_the_id_says() -> None:
    p = person()

    assert Sex.MALE == p.sex
    assert D(1980, 1, 1) == p.birth_date


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"sex": Sex.FEMALE}, "sex/resident_id"),
        ({"birth_date": D(1980, 1, 2)}, "birth_date/resident_id"),
    ],
)
def test_sex_or_birth_date_contradicting_the_id_is_refused(
    changes: dict[str, Any], fields: str
) -> None:
    with pytest.raises(InconsistentRecord) as info:
        person(**changes)

    assert fields == info.value.field


def test_repr_masks_id_name_and_leaves_out_the_phone() -> None:
    text = repr(person())

    assert "韦国强" not in text
    assert "韦**" in text
    assert "13812345678" not in text
    assert rid("19800101").unmasked not in text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": " 韦国强"}, "name"),
        ({"name": "韦\n国强"}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"hukou_division": "450312"}, "hukou_division"),
        ({"resident_id": "11010519491231002X"}, "resident_id"),
        ({"birth_date": dt.datetime(1980, 1, 1, 0, 0)}, "birth_date"),
    ],
)
def test_bad_fields_are_named_in_the_error(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as info:
        person(**changes)

    assert field == info.value.field


def test_a_bad_name_is_not_echoed_in_the_error() -> None:
    with pytest.raises(InvalidValue) as info:
        person(name=" 韦国强")

    assert "韦国强" not in str(info.value)


@pytest.mark.parametrize(
    ("on", "age"),
    [(D(2020, 12, 31), 40), (D(2021, 1, 1), 41), (D(1980, 1, 1), 0)],
)
def test_age_is_counted_in_whole_years(on: dt.date, age: int) -> None:
    assert age == person().age_on(on)


def test_someone_born_on_29_february_turns_a_year_older_on_1_march() -> None:
    leap = person(resident_id=rid("19800229"))

    assert 41 == leap.age_on(D(2021, 3, 1))
    assert 40 == leap.age_on(D(2021, 2, 28))


def test_a_person_is_alive_from_birth_unless_a_death_is_recorded() -> None:
    p = person()

    assert p.died_on is None
    assert not p.alive_on(D(1979, 12, 31))
    assert p.alive_on(D(1980, 1, 1))
    assert p.alive_on(D(2100, 1, 1))


def test_the_day_of_death_still_counts_as_alive() -> None:
    p = person(died_on=D(2020, 5, 1))

    assert p.alive_on(D(2020, 5, 1))
    assert not p.alive_on(D(2020, 5, 2))
    assert not p.alive_on(D(1979, 12, 31))


def test_a_person_may_die_on_the_day_of_birth() -> None:
    p = person(died_on=D(1980, 1, 1))

    assert p.alive_on(D(1980, 1, 1))
    assert not p.alive_on(D(1980, 1, 2))


def test_a_death_before_birth_is_inconsistent() -> None:
    with pytest.raises(InconsistentRecord) as info:
        person(died_on=D(1979, 12, 31))

    assert "birth_date/died_on" == info.value.field
    assert "1980-01-01/1979-12-31" == info.value.value


@pytest.mark.parametrize("died_on", ["2020-05-01", dt.datetime(2020, 5, 1, 0, 0), 20200501])
def test_a_date_of_death_must_be_a_date(died_on: object) -> None:
    with pytest.raises(InvalidValue) as info:
        person(died_on=died_on)

    assert "died_on" == info.value.field


# --- ServiceRecord -------------------------------------------------------------------------


@pytest.mark.parametrize("personnel_type", list(PersonnelType))
@pytest.mark.parametrize("mode", list(DischargeMode))
def test_discharge_modes_follow_the_personnel_type(
    personnel_type: PersonnelType, mode: DischargeMode
) -> None:
    rank = NcoRank.JUNIOR if personnel_type is PersonnelType.NCO else None
    allowed = mode in ALLOWED_DISCHARGE_MODES[personnel_type]

    if allowed:
        record = service(personnel_type=personnel_type, nco_rank=rank, discharge_mode=mode)
        assert mode == record.discharge_mode
    else:
        with pytest.raises(InconsistentRecord) as info:
            service(personnel_type=personnel_type, nco_rank=rank, discharge_mode=mode)
        assert "personnel_type/discharge_mode" == info.value.field


def test_officers_cannot_choose_self_employment_and_conscripts_cannot_retire() -> None:
    # 《退役军人保障法》(2020) 第二十一、二十三条; 《退役军人安置条例》(2024) 第五条.
    assert DischargeMode.SELF_EMPLOYMENT not in ALLOWED_DISCHARGE_MODES[PersonnelType.OFFICER]
    assert DischargeMode.RETIREMENT not in ALLOWED_DISCHARGE_MODES[PersonnelType.CONSCRIPT]
    assert DischargeMode.SUPPORT in ALLOWED_DISCHARGE_MODES[PersonnelType.CONSCRIPT]
    assert DischargeMode.CIVILIAN_TRANSFER in ALLOWED_DISCHARGE_MODES[PersonnelType.OFFICER]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"discharged_on": D(1998, 12, 1)}, "enlisted_on/discharged_on"),
        ({"discharged_on": D(1998, 11, 30)}, "enlisted_on/discharged_on"),
        ({"nco_rank": NcoRank.JUNIOR}, "personnel_type/nco_rank"),
        ({"personnel_type": PersonnelType.NCO}, "personnel_type/nco_rank"),
        ({"discharged_on": None}, "discharge_mode/discharged_on"),
        (
            {"awards": (Award(kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=D(2001, 1, 1)),)},
            "awards[0].awarded_on",
        ),
    ],
)
def test_service_record_invariants(changes: dict[str, Any], fields: str) -> None:
    with pytest.raises(InconsistentRecord) as info:
        service(**changes)

    assert fields == info.value.field


def test_still_serving_means_no_discharge_date_and_no_mode() -> None:
    record = service(discharged_on=None, discharge_mode=None)

    assert not record.discharged


# --- Veteran -------------------------------------------------------------------------------


def veteran(**changes: Any) -> Veteran:
    values: dict[str, Any] = {"person": person(), "service": service()}
    values.update(changes)
    return Veteran(**values)


def test_a_conscript_may_have_an_illness_disability() -> None:
    v = veteran(
        disability=Disability(grade=6, nature=DisabilityNature.ILLNESS, assessed_on=D(2000, 6, 1))
    )

    assert v.disability is not None
    assert 6 == v.disability.grade


@pytest.mark.parametrize(
    ("personnel_type", "rank", "mode"),
    [
        (PersonnelType.OFFICER, None, DischargeMode.CIVILIAN_TRANSFER),
        (PersonnelType.NCO, NcoRank.INTERMEDIATE_OR_SENIOR, DischargeMode.RETIREMENT),
    ],
)
def test_illness_disability_is_only_for_conscripts_and_junior_ncos(
    personnel_type: PersonnelType, rank: NcoRank | None, mode: DischargeMode
) -> None:
    # 《军人抚恤优待条例》(2024) 第二十五条.
    with pytest.raises(InconsistentRecord) as info:
        veteran(
            service=service(personnel_type=personnel_type, nco_rank=rank, discharge_mode=mode),
            disability=Disability(
                grade=5, nature=DisabilityNature.ILLNESS, assessed_on=D(2000, 6, 1)
            ),
        )

    assert "disability.nature/service.personnel_type" == info.value.field


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"service": service(discharged_on=None, discharge_mode=None)},
            "service.discharged_on",
        ),
        (
            {"service": service(enlisted_on=D(1979, 1, 1))},
            "service.enlisted_on/person.birth_date",
        ),
        (
            {
                "disability": Disability(
                    grade=3, nature=DisabilityNature.IN_COMBAT, assessed_on=D(1998, 1, 1)
                )
            },
            "disability.assessed_on/service.enlisted_on",
        ),
        (
            {
                "statuses": (
                    EntitlementStatus(category=EntitlementCategory.VETERAN, since=D(1979, 1, 1)),
                )
            },
            "statuses[0].since/person.birth_date",
        ),
    ],
)
def test_veteran_invariants(changes: dict[str, Any], fields: str) -> None:
    with pytest.raises(InconsistentRecord) as info:
        veteran(**changes)

    assert fields == info.value.field


@pytest.mark.parametrize("grade", [0, 11, -1])
def test_disability_grades_run_from_one_to_ten(grade: int) -> None:
    with pytest.raises(InvalidValue) as info:
        Disability(grade=grade, nature=DisabilityNature.ON_DUTY, assessed_on=D(2000, 1, 1))

    assert "grade" == info.value.field


def test_a_bool_is_not_a_grade() -> None:
    with pytest.raises(InvalidValue):
        Disability(grade=True, nature=DisabilityNature.ON_DUTY, assessed_on=D(2000, 1, 1))


def test_categories_held_on_a_date() -> None:
    v = veteran(
        statuses=(
            EntitlementStatus(category=EntitlementCategory.VETERAN, since=D(2000, 12, 1)),
            EntitlementStatus(
                category=EntitlementCategory.DISCHARGED_WITH_ILLNESS,
                since=D(2001, 1, 1),
                until=D(2010, 12, 31),
            ),
        )
    )

    assert {
        EntitlementCategory.VETERAN,
        EntitlementCategory.DISCHARGED_WITH_ILLNESS,
    } == v.categories_on(D(2010, 12, 31))
    assert {EntitlementCategory.VETERAN} == v.categories_on(D(2011, 1, 1))


def test_key_entitled_categories_are_the_ones_with_periodic_payments() -> None:
    key = {c for c in EntitlementCategory if c.key_entitled}

    assert {
        EntitlementCategory.DISABLED_SERVICEMEMBER,
        EntitlementCategory.MARTYR_SURVIVOR,
        EntitlementCategory.DUTY_DEATH_SURVIVOR,
        EntitlementCategory.ILLNESS_DEATH_SURVIVOR,
        EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
        EntitlementCategory.DISCHARGED_WITH_ILLNESS,
        EntitlementCategory.COMBAT_OR_TEST_VETERAN,
        EntitlementCategory.RURAL_VETERAN_OVER_60,
        EntitlementCategory.ELDERLY_MARTYR_CHILD,
    } == key


def test_a_status_cannot_end_before_it_begins() -> None:
    with pytest.raises(InconsistentRecord) as info:
        EntitlementStatus(
            category=EntitlementCategory.VETERAN, since=D(2001, 1, 1), until=D(2000, 1, 1)
        )

    assert "since/until" == info.value.field


# --- Survivor ------------------------------------------------------------------------------


def test_a_martyrs_survivor_holds_the_martyr_survivor_status() -> None:
    s = Survivor(
        person=person(resident_id=rid("19550301", "002")),
        relation=Relation.PARENT,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(1979, 2, 20),
        statuses=(
            EntitlementStatus(category=EntitlementCategory.MARTYR_SURVIVOR, since=D(1979, 2, 20)),
        ),
    )

    assert {EntitlementCategory.MARTYR_SURVIVOR} == s.categories_on(D(2021, 1, 6))
    assert EntitlementCategory.MARTYR_SURVIVOR == DeathCategory.MARTYR.survivor_category


def test_a_survivor_status_must_match_how_the_member_died() -> None:
    with pytest.raises(InconsistentRecord) as info:
        Survivor(
            person=person(resident_id=rid("19550301", "002")),
            relation=Relation.SPOUSE,
            death_category=DeathCategory.MARTYR,
            deceased_on=D(1979, 2, 20),
            statuses=(
                EntitlementStatus(
                    category=EntitlementCategory.ILLNESS_DEATH_SURVIVOR, since=D(1979, 2, 20)
                ),
            ),
        )

    assert "statuses[0].category/death_category" == info.value.field


def test_the_survivor_is_not_the_deceased() -> None:
    p = person()
    with pytest.raises(InconsistentRecord):
        Survivor(
            person=p,
            relation=Relation.CHILD,
            death_category=DeathCategory.DUTY_DEATH,
            deceased_on=D(2000, 1, 1),
            deceased_id=p.resident_id,
        )


# --- Circumstances and sanctions -----------------------------------------------------------

FACTS = [field.name for field in attrs.fields(Circumstances)]


def test_every_fact_is_unknown_until_assessed() -> None:
    assert 14 == len(FACTS)
    assert [None] * 14 == [getattr(Circumstances(), fact) for fact in FACTS]
    assert Circumstances() == veteran().circumstances
    assert () == veteran().sanctions


def test_facts_keep_true_false_and_unknown_apart() -> None:
    c = Circumstances(able_to_work=False, has_means_of_support=True)

    assert (False, True, None) == (c.able_to_work, c.has_means_of_support, c.disabled)


@pytest.mark.parametrize("fact", FACTS)
@pytest.mark.parametrize("value", [1, 0, "yes", "false"])
def test_a_fact_that_is_not_a_bool_is_refused_and_named(fact: str, value: Any) -> None:
    with pytest.raises(InvalidValue) as info:
        Circumstances(**{fact: value})

    assert fact == info.value.field


@pytest.mark.parametrize(
    "kind",
    [
        SanctionKind.FIXED_TERM_IMPRISONMENT,
        SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
        SanctionKind.WANTED,
    ],
)
def test_a_suspending_sanction_is_in_effect_only_from_since_to_until(kind: SanctionKind) -> None:
    sanction = Sanction(kind=kind, since=D(2010, 3, 1), until=D(2013, 2, 28))

    assert not kind.cancels
    assert [False, True, True, True, False] == [
        sanction.in_effect_on(day)
        for day in (D(2010, 2, 28), D(2010, 3, 1), D(2011, 7, 1), D(2013, 2, 28), D(2013, 3, 1))
    ]


def test_a_suspending_sanction_without_an_end_lasts_until_it_is_ended() -> None:
    wanted = Sanction(kind=SanctionKind.WANTED, since=D(2015, 6, 1))

    assert not wanted.in_effect_on(D(2015, 5, 31))
    assert wanted.in_effect_on(D(2015, 6, 1))
    assert wanted.in_effect_on(D(2100, 1, 1))


@pytest.mark.parametrize("kind", [kind for kind in SanctionKind if kind in CANCELLING_SANCTIONS])
@pytest.mark.parametrize("until", [None, D(2013, 2, 28)])
def test_a_cancelling_sanction_is_in_effect_for_good_from_since(
    kind: SanctionKind, until: dt.date | None
) -> None:
    sanction = Sanction(kind=kind, since=D(2010, 3, 1), until=until)

    assert kind.cancels
    assert not sanction.in_effect_on(D(2010, 2, 28))
    assert sanction.in_effect_on(D(2010, 3, 1))
    assert sanction.in_effect_on(D(2013, 3, 1))
    assert sanction.in_effect_on(D(2100, 1, 1))


def test_death_life_imprisonment_and_expulsion_cancel_the_rest_suspend() -> None:
    # 《军人抚恤优待条例》(2024) 第五十九条.
    assert {
        SanctionKind.DEATH_PENALTY,
        SanctionKind.LIFE_IMPRISONMENT,
        SanctionKind.EXPULSION_FROM_ARMY,
    } == {kind for kind in SanctionKind if kind.cancels}
    assert "被军队开除军籍" == SanctionKind.EXPULSION_FROM_ARMY.label_zh
    assert all(kind.label_zh for kind in SanctionKind)


def test_a_sanction_cannot_end_before_it_begins() -> None:
    with pytest.raises(InconsistentRecord) as info:
        Sanction(kind=SanctionKind.WANTED, since=D(2015, 6, 1), until=D(2015, 5, 31))

    assert "since/until" == info.value.field


def test_a_sanction_may_end_the_day_it_begins_or_after_today() -> None:
    one_day = Sanction(kind=SanctionKind.WANTED, since=D(2015, 6, 1), until=D(2015, 6, 1))
    sentence = Sanction(
        kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 1, 1), until=FUTURE
    )

    assert one_day.in_effect_on(D(2015, 6, 1))
    assert not one_day.in_effect_on(D(2015, 6, 2))
    assert sentence.in_effect_on(dt.date.today())


def test_veterans_and_survivors_carry_circumstances_and_sanctions() -> None:
    facts = Circumstances(able_to_work=False, centrally_supported=True)
    jailed = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2005, 1, 1))
    v = veteran(circumstances=facts, sanctions=(jailed,))
    s = Survivor(
        person=person(resident_id=rid("19550301", "002")),
        relation=Relation.PARENT,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(1979, 2, 20),
        circumstances=facts,
        sanctions=(jailed,),
    )

    assert (facts, (jailed,)) == (v.circumstances, v.sanctions)
    assert (facts, (jailed,)) == (s.circumstances, s.sanctions)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"circumstances": None}, "circumstances"),
        ({"sanctions": [Sanction(kind=SanctionKind.WANTED, since=D(2015, 6, 1))]}, "sanctions"),
        ({"sanctions": (SanctionKind.WANTED,)}, "sanctions[0]"),
    ],
)
def test_circumstances_and_sanctions_of_the_wrong_type_are_named(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValue) as info:
        veteran(**changes)

    assert field == info.value.field


# --- Household and plaque ------------------------------------------------------------------


def test_a_household_has_one_plaque_record() -> None:
    head, child = rid("19550301"), rid("19800101", "003")
    h = Household(
        household_id="450312-0001",
        hukou_division=LINGGUI,
        head=head,
        members=(head, child),
        plaque=PlaqueRecord(hung_on=D(2019, 7, 30)),
    )

    assert h.plaque is not None
    assert h.plaque.hung_at(D(2021, 1, 6))
    assert not h.plaque.hung_at(D(2019, 7, 29))
    assert head.unmasked not in repr(h)


@pytest.mark.parametrize(
    ("members", "fields"),
    [((), "members"), ("dup", "members"), ("other", "head/members")],
)
def test_household_membership_invariants(members: object, fields: str) -> None:
    head, other = rid("19550301"), rid("19800101", "003")
    chosen = {"dup": (head, head), "other": (other,)}.get(members, ())  # type: ignore[call-overload]
    with pytest.raises(InconsistentRecord) as info:
        Household(household_id="h1", hukou_division=LINGGUI, head=head, members=chosen)

    assert fields == info.value.field


def test_a_recovered_plaque_has_a_date_and_a_reason() -> None:
    record = PlaqueRecord(
        hung_on=D(2019, 7, 30),
        recovered_on=D(2020, 5, 1),
        recovery_reason=PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
    )

    assert not record.hung_at(D(2020, 5, 1))
    with pytest.raises(InconsistentRecord):
        PlaqueRecord(hung_on=D(2019, 7, 30), recovered_on=D(2020, 5, 1))
    with pytest.raises(InconsistentRecord):
        PlaqueRecord(hung_on=D(2019, 7, 30), recovery_reason=PlaqueRecoveryReason.EXPULSION)
    with pytest.raises(InconsistentRecord):
        attrs.evolve(record, recovered_on=D(2019, 7, 29))


# --- Network -------------------------------------------------------------------------------


def test_a_county_centre_and_a_village_station() -> None:
    centre = ServiceStation(
        station_id="GX-450312",
        division=LINGGUI,
        kind=StationKind.CENTRE,
        established_on=D(2019, 3, 1),
        office_area_m2=Decimal("320.5"),
        staff=6,
        five_haves=FiveHaves(
            institution=True, establishment=True, personnel=True, funding=True, support=True
        ),
    )
    station = ServiceStation(
        station_id="GX-450312101201",
        division=DivisionCode("450312101201"),
        kind=StationKind.STATION,
        established_on=D(2019, 6, 1),
    )

    assert centre.built
    assert centre.five_haves.complete
    assert not station.five_haves.complete


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kind": StationKind.CENTRE, "division": DivisionCode("450312101")}, "kind/division"),
        ({"kind": StationKind.STATION, "division": LINGGUI}, "kind/division"),
        ({"established_on": None}, "status/established_on"),
        ({"status": StationStatus.CLOSED}, "status/closed_on"),
        ({"closed_on": D(2020, 1, 1)}, "status/closed_on"),
        (
            {"status": StationStatus.CLOSED, "closed_on": D(2018, 1, 1)},
            "established_on/closed_on",
        ),
    ],
)
def test_station_invariants(changes: dict[str, Any], fields: str) -> None:
    values: dict[str, Any] = {
        "station_id": "s1",
        "division": LINGGUI,
        "kind": StationKind.CENTRE,
        "established_on": D(2019, 3, 1),
    }
    values.update(changes)
    with pytest.raises(InconsistentRecord) as info:
        ServiceStation(**values)

    assert fields == info.value.field


def test_an_extension_station_may_sit_at_any_level_and_a_planned_one_has_no_date() -> None:
    site = ServiceStation(
        station_id="ext-1",
        division=LINGGUI,
        kind=StationKind.EXTENSION,
        status=StationStatus.PLANNED,
    )

    assert not site.built


def test_office_area_must_be_a_decimal_not_a_float() -> None:
    with pytest.raises(InvalidValue) as info:
        ServiceStation(
            station_id="s1",
            division=LINGGUI,
            kind=StationKind.CENTRE,
            established_on=D(2019, 3, 1),
            office_area_m2=320.5,  # type: ignore[arg-type]
        )

    assert "office_area_m2" == info.value.field


def test_division_knows_its_level_and_parent() -> None:
    d = Division(code=LINGGUI, name="临桂区")

    assert DivisionCode("4503") == d.parent_code


# --- Assistance case state machine ---------------------------------------------------------


def new_case() -> AssistanceCase:
    return AssistanceCase.apply(
        case_id="GX-2020-0001",
        applicant=rid("19800101"),
        division=LINGGUI,
        cause=HardshipCause.SUDDEN_EVENT,
        incident_on=D(2020, 6, 1),
        on=D(2020, 6, 3),
        actor="applicant",
        requested_amount=Decimal("20000"),
    )


def test_a_case_goes_from_application_to_payment() -> None:
    case = (
        new_case()
        .review(on=D(2020, 6, 5), actor="township-01")
        .approve(
            on=D(2020, 6, 10),
            actor="county-01",
            amount=Decimal("15000"),
            funding=(
                FundingAllocation(source=FundingSource.BUDGET, amount=Decimal("10000")),
                FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=Decimal("5000")),
            ),
        )
        .publicise(on=D(2020, 6, 11), actor="county-01")
        .pay(on=D(2020, 6, 20), actor="county-01")
    )

    assert CaseStatus.PAID == case.status
    assert [step.to_status for step in case.history] == [
        CaseStatus.APPLIED,
        CaseStatus.TOWNSHIP_REVIEWED,
        CaseStatus.COUNTY_APPROVED,
        CaseStatus.PUBLICISED,
        CaseStatus.PAID,
    ]
    assert D(2020, 6, 20) == case.paid_on
    assert Decimal("15000") == case.approved_amount
    assert CaseStatus.COUNTY_APPROVED == case.status_on(D(2020, 6, 10))
    assert case.status_on(D(2020, 6, 2)) is None
    assert case.status.final


def test_each_step_returns_a_new_case_and_leaves_the_old_one() -> None:
    case = new_case()
    reviewed = case.review(on=D(2020, 6, 5), actor="township-01")

    assert CaseStatus.APPLIED == case.status
    assert CaseStatus.TOWNSHIP_REVIEWED == reviewed.status


@pytest.mark.parametrize(
    "step",
    [
        lambda c: c.pay(on=D(2020, 6, 4), actor="x"),
        lambda c: c.publicise(on=D(2020, 6, 4), actor="x"),
        lambda c: c.approve(on=D(2020, 6, 4), actor="x", amount=Decimal(1)),
        lambda c: c.withdraw(on=D(2020, 6, 4), actor="x").review(on=D(2020, 6, 5), actor="x"),
        lambda c: c.reject(on=D(2020, 6, 4), actor="x").withdraw(on=D(2020, 6, 5), actor="x"),
    ],
)
def test_steps_out_of_order_raise_illegal_transition(step: Any) -> None:
    with pytest.raises(IllegalTransition) as info:
        step(new_case())

    assert isinstance(info.value, ValueError)


def test_a_step_dated_before_the_previous_one_is_refused() -> None:
    with pytest.raises(InconsistentRecord) as info:
        new_case().review(on=D(2020, 6, 2), actor="township-01")

    assert "history[1].on" == info.value.field


def test_an_application_cannot_precede_the_incident() -> None:
    with pytest.raises(InconsistentRecord):
        attrs.evolve(new_case(), incident_on=D(2020, 7, 1))


def test_funding_above_the_approved_amount_is_refused() -> None:
    reviewed = new_case().review(on=D(2020, 6, 5), actor="township-01")

    with pytest.raises(InconsistentRecord) as info:
        reviewed.approve(
            on=D(2020, 6, 10),
            actor="county-01",
            amount=Decimal("1000"),
            funding=(FundingAllocation(source=FundingSource.DONATION, amount=Decimal("1000.01")),),
        )

    assert "funding/approved_amount" == info.value.field


# --- Activity ------------------------------------------------------------------------------


def test_participants_default_to_the_persons_contacted() -> None:
    visit = Activity(
        activity_id="a1",
        kind=ActivityKind.HOME_VISIT,
        unit=DivisionCode("450312101201"),
        held_on=D(2021, 1, 6),
        contacts=(rid("19800101"), rid("19550301")),
    )

    assert 2 == visit.participants
    with pytest.raises(InconsistentRecord):
        attrs.evolve(visit, participants=1)
    with pytest.raises(InconsistentRecord):
        attrs.evolve(visit, contacts=(rid("19800101"), rid("19800101")), participants=2)


def test_contacts_that_are_not_a_tuple_raise_the_typed_error() -> None:
    with pytest.raises(InvalidValue) as info:
        Activity(
            activity_id="a1",
            kind=ActivityKind.PHONE_CONTACT,
            unit=LINGGUI,
            held_on=D(2021, 1, 6),
            contacts=None,  # type: ignore[arg-type]
        )

    assert "contacts" == info.value.field


def test_reports_and_payment_confirmations_are_activity_kinds_with_chinese_labels() -> None:
    assert ("statistical-report", "统计报表报送") == (
        ActivityKind.STATISTICAL_REPORT.value,
        ActivityKind.STATISTICAL_REPORT.label_zh,
    )
    assert ("payment-confirmation", "定期待遇年度确认") == (
        ActivityKind.PAYMENT_CONFIRMATION.value,
        ActivityKind.PAYMENT_CONFIRMATION.label_zh,
    )
    assert all(kind.label_zh for kind in ActivityKind)


@pytest.mark.parametrize(
    "key", ["2025-03", "2025-12", "2025Q1", "2025Q4", "2025H2", "2025", "1900"]
)
def test_an_activity_may_name_the_period_it_is_for(key: str) -> None:
    report = Activity(
        activity_id="r1",
        kind=ActivityKind.STATISTICAL_REPORT,
        unit=LINGGUI,
        held_on=D(2025, 4, 3),
        for_period=key,
    )

    assert key == report.for_period


def test_an_activity_names_no_period_by_default() -> None:
    meeting = Activity(
        activity_id="m1", kind=ActivityKind.DISPATCH_MEETING, unit=LINGGUI, held_on=D(2025, 4, 3)
    )

    assert meeting.for_period is None


@pytest.mark.parametrize(
    "key",
    [
        "2025-13",
        "2025-00",
        "2025-3",
        "2025Q5",
        "2025Q0",
        "2025H3",
        "2025q1",
        " 2025",
        "1899",
        "2201",
        "25Q1",
        "２０２５",
        "2025-03-01",
        "",
    ],
)
def test_a_malformed_period_key_raises_the_typed_error(key: str) -> None:
    with pytest.raises(InvalidValue) as info:
        Activity(
            activity_id="r1",
            kind=ActivityKind.STATISTICAL_REPORT,
            unit=LINGGUI,
            held_on=D(2025, 4, 3),
            for_period=key,
        )

    assert ("for_period", key) == (info.value.field, info.value.value)


def test_a_period_key_that_is_not_text_raises_the_typed_error() -> None:
    with pytest.raises(InvalidValue) as info:
        Activity(
            activity_id="r1",
            kind=ActivityKind.STATISTICAL_REPORT,
            unit=LINGGUI,
            held_on=D(2025, 4, 3),
            for_period=2025,  # type: ignore[arg-type]
        )

    assert "for_period" == info.value.field


FUTURE = dt.date.today() + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (
            lambda: service(enlisted_on=FUTURE, discharged_on=None, discharge_mode=None),
            "enlisted_on",
        ),
        (lambda: service(discharged_on=FUTURE), "discharged_on"),
        (lambda: Award(kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=FUTURE), "awarded_on"),
        (
            lambda: Disability(grade=1, nature=DisabilityNature.IN_COMBAT, assessed_on=FUTURE),
            "assessed_on",
        ),
        (lambda: PlaqueRecord(hung_on=FUTURE), "hung_on"),
        (lambda: person(died_on=FUTURE), "died_on"),
        (lambda: Sanction(kind=SanctionKind.WANTED, since=FUTURE), "since"),
        (lambda: attrs.evolve(new_case(), incident_on=FUTURE), "incident_on"),
        (lambda: new_case().review(on=FUTURE, actor="township-01"), "on"),
        (
            lambda: Activity(
                activity_id="a1", kind=ActivityKind.TRAINING, unit=LINGGUI, held_on=FUTURE
            ),
            "held_on",
        ),
    ],
)
def test_things_that_have_happened_cannot_be_dated_in_the_future(build: Any, field: str) -> None:
    with pytest.raises(InvalidValue, match="future") as info:
        build()

    assert field == info.value.field


def test_a_status_may_take_effect_in_the_future() -> None:
    status = EntitlementStatus(category=EntitlementCategory.VETERAN, since=FUTURE)

    assert not status.active_on(dt.date.today())


def test_a_survivor_status_cannot_begin_before_the_death() -> None:
    with pytest.raises(InconsistentRecord) as info:
        Survivor(
            person=person(resident_id=rid("19550301", "002")),
            relation=Relation.PARENT,
            death_category=DeathCategory.MARTYR,
            deceased_on=D(1979, 2, 20),
            statuses=(
                EntitlementStatus(
                    category=EntitlementCategory.MARTYR_SURVIVOR, since=D(1979, 2, 19)
                ),
            ),
        )

    assert "statuses[0].since/deceased_on" == info.value.field


def test_money_fields_refuse_floats_with_invalid_amount() -> None:
    from veteran_affairs.errors import InvalidAmount

    with pytest.raises(InvalidAmount) as info:
        FundingAllocation(source=FundingSource.BUDGET, amount=0.1)  # type: ignore[arg-type]

    assert "amount" == info.value.field


def test_models_are_frozen() -> None:
    p = person()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


def test_resident_id_errors_inside_models_keep_their_type() -> None:
    with pytest.raises(InvalidResidentId):
        person(resident_id=ResidentId("110105194912310021"))


# --- serving members and plaque households ---------------------------------------------------


def serving(**changes: Any) -> ServingMember:
    values: dict[str, Any] = {
        "person": person(resident_id=rid("20030101")),
        "service": ServiceRecord(enlisted_on=D(2021, 9, 1), personnel_type=PersonnelType.CONSCRIPT),
        "enlisted_from": DivisionCode("450312101"),
    }
    values.update(changes)
    return ServingMember(**values)


def test_a_serving_member_has_no_discharge_date_and_enlisted_from_a_county_or_below() -> None:
    member = serving()

    assert DivisionCode("450312101") == member.enlisted_from
    with pytest.raises(InconsistentRecord) as discharged:
        serving(service=service())
    with pytest.raises(InconsistentRecord) as too_high:
        serving(enlisted_from=DivisionCode("4503"))

    assert "service.discharged_on" == discharged.value.field
    assert "enlisted_from" == too_high.value.field


def test_plaque_members_who_died_for_the_basis_have_a_date_of_death() -> None:
    from veteran_affairs.models import PlaqueBasis, PlaqueMember

    martyr = PlaqueMember(
        resident_id=rid("19600101"),
        basis=PlaqueBasis.MARTYR,
        since=D(1979, 2, 20),
        died_on=D(1979, 2, 20),
    )

    assert PlaqueBasis.MARTYR == martyr.basis
    with pytest.raises(InconsistentRecord):
        PlaqueMember(resident_id=rid("19600101"), basis=PlaqueBasis.MARTYR, since=D(1979, 2, 20))


def test_only_a_public_security_penalty_can_be_lifted() -> None:
    from veteran_affairs.models import PlaqueDisqualification

    lifted = PlaqueDisqualification(
        resident_id=rid("19800101"),
        kind=PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY,
        on=D(2020, 1, 1),
        lifted_on=D(2021, 1, 1),
    )

    assert lifted.in_effect_on(D(2020, 12, 31))
    assert not lifted.in_effect_on(D(2021, 1, 1))
    with pytest.raises(InconsistentRecord):
        PlaqueDisqualification(
            resident_id=rid("19800101"),
            kind=PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
            on=D(2020, 1, 1),
            lifted_on=D(2021, 1, 1),
        )


def test_a_plaque_household_lists_each_member_once() -> None:
    from veteran_affairs.models import PlaqueBasis, PlaqueHousehold, PlaqueMember

    head = rid("19550301")
    household = Household(household_id="h1", hukou_division=LINGGUI, head=head, members=(head,))
    veteran_member = PlaqueMember(resident_id=head, basis=PlaqueBasis.VETERAN, since=D(1976, 3, 1))

    record = PlaqueHousehold(household=household, members=(veteran_member,))

    assert head.unmasked not in repr(record)
    with pytest.raises(InconsistentRecord):
        PlaqueHousehold(household=household, members=(veteran_member, veteran_member))


def test_a_member_who_died_before_discharge_is_not_a_veteran() -> None:
    record = service()
    assert record.discharged_on is not None
    day = record.discharged_on - dt.timedelta(days=1)

    with pytest.raises(InconsistentRecord) as info:
        veteran(person=person(died_on=day), service=record)

    assert "person.died_on/service.discharged_on" == info.value.field
    assert (
        record.discharged_on == veteran(person=person(died_on=record.discharged_on)).person.died_on
    )


def test_a_person_who_died_before_the_member_is_not_a_survivor() -> None:
    with pytest.raises(InconsistentRecord) as info:
        Survivor(
            person=person(resident_id=rid("19550301", "002"), died_on=D(1979, 2, 19)),
            relation=Relation.SPOUSE,
            death_category=DeathCategory.MARTYR,
            deceased_on=D(1979, 2, 20),
        )

    assert "person.died_on/deceased_on" == info.value.field
