"""Serialization: models become plain JSON-compatible data and come back equal."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest

import veteran_affairs.serialization as serialization
from veteran_affairs.errors import InconsistentRecord, InvalidResidentId, InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    Award,
    AwardKind,
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    HukouType,
    Person,
    PersonnelType,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.serialization import (
    configure_converter,
    describe_errors,
    from_json,
    make_converter,
    to_json,
)

D = dt.date
FULL_ID = "11010519491231002X"
MASKED_ID = "110105********002X"
BAD_CHECK_ID = "110105194912310021"  # the right check character is X


@pytest.fixture
def converter() -> cattrs.Converter:
    return make_converter()


def veteran() -> Veteran:
    return Veteran(
        person=Person(
            resident_id=ResidentId(FULL_ID),
            name="李秀英",
            hukou_division=DivisionCode("110105"),
            hukou_type=HukouType.URBAN,
            ethnicity="汉族",
            phone="13812345678",
        ),
        service=ServiceRecord(
            enlisted_on=D(1968, 3, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=D(1972, 12, 31),
            discharge_mode=DischargeMode.ARRANGED_EMPLOYMENT,
            awards=(Award(kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=D(1970, 8, 1)),),
            combat_participant=True,
        ),
        disability=Disability(grade=6, nature=DisabilityNature.ON_DUTY, assessed_on=D(1971, 5, 20)),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.DISABLED_SERVICEMEMBER, since=D(1971, 6, 1)
            ),
            EntitlementStatus(
                category=EntitlementCategory.COMBAT_OR_TEST_VETERAN,
                since=D(2007, 8, 1),
                until=D(2010, 12, 31),
            ),
        ),
    )


def veteran_data() -> dict[str, Any]:
    """What :func:`veteran` becomes: a fresh copy each time, free to be spoiled by a test."""
    return {
        "person": {
            "resident_id": FULL_ID,
            "name": "李秀英",
            "hukou_division": "110105000000",
            "hukou_type": "urban",
            "sex": "female",
            "birth_date": "1949-12-31",
            "ethnicity": "汉族",
            "phone": "13812345678",
            "died_on": None,
        },
        "service": {
            "enlisted_on": "1968-03-01",
            "personnel_type": "conscript",
            "discharged_on": "1972-12-31",
            "nco_rank": None,
            "discharge_mode": "arranged-employment",
            "awards": [
                {"kind": "third-class-merit", "awarded_on": "1970-08-01", "wartime": False},
            ],
            "combat_participant": True,
            "test_participant": False,
        },
        "disability": {
            "grade": 6,
            "nature": "on-duty",
            "assessed_on": "1971-05-20",
            "mental_disorder": False,
        },
        "statuses": [
            {"category": "disabled-servicemember", "since": "1971-06-01", "until": None},
            {"category": "combat-or-test-veteran", "since": "2007-08-01", "until": "2010-12-31"},
        ],
        "circumstances": {
            "able_to_work": None,
            "has_means_of_support": None,
            "income_below_local_average": None,
            "in_education": None,
            "disabled": None,
            "supported_by_deceased": None,
            "other_periodic_state_payment": None,
            "centrally_supported": None,
            "has_work_unit": None,
            "martyr_child": None,
            "expelled_from_party": None,
            "criminally_punished": None,
            "unfit_for_arranged_work": None,
            "certified_work_incapacity": None,
        },
        "sanctions": [],
    }


def assistance_case() -> AssistanceCase:
    return (
        AssistanceCase.apply(
            case_id="GX-2020-0001",
            applicant=ResidentId(FULL_ID),
            division=DivisionCode("450312"),
            cause=HardshipCause.SUDDEN_EVENT,
            incident_on=D(2020, 6, 1),
            on=D(2020, 6, 3),
            actor="applicant",
            requested_amount=Decimal("5000"),
        )
        .review(on=D(2020, 6, 5), actor="township-01")
        .approve(
            on=D(2020, 6, 10),
            actor="county-01",
            amount=Decimal("4800.50"),
            funding=(
                FundingAllocation(source=FundingSource.BUDGET, amount=Decimal("3000.00")),
                FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=Decimal("1800.5")),
            ),
        )
    )


def assistance_case_data() -> dict[str, Any]:
    return {
        "case_id": "GX-2020-0001",
        "applicant": FULL_ID,
        "division": "450312000000",
        "cause": "sudden-event",
        "incident_on": "2020-06-01",
        "history": [
            {
                "to_status": "applied",
                "on": "2020-06-03",
                "actor": "applicant",
                "from_status": None,
                "note": None,
            },
            {
                "to_status": "township-reviewed",
                "on": "2020-06-05",
                "actor": "township-01",
                "from_status": "applied",
                "note": None,
            },
            {
                "to_status": "county-approved",
                "on": "2020-06-10",
                "actor": "county-01",
                "from_status": "township-reviewed",
                "note": None,
            },
        ],
        "requested_amount": "5000",
        "approved_amount": "4800.50",
        "funding": [
            {"source": "budget", "amount": "3000.00"},
            {"source": "care-foundation", "amount": "1800.5"},
        ],
    }


def errors_of(
    converter: cattrs.Converter, data: object, cls: type = Veteran
) -> tuple[cattrs.ClassValidationError, list[str]]:
    with pytest.raises(cattrs.ClassValidationError) as caught:
        converter.structure(data, cls)
    return caught.value, describe_errors(caught.value)


# --- the plain form ------------------------------------------------------------------------


def test_a_veteran_becomes_plain_data_with_every_field(converter: cattrs.Converter) -> None:
    assert veteran_data() == converter.unstructure(veteran())


def test_plain_data_becomes_the_same_veteran_again(converter: cattrs.Converter) -> None:
    assert veteran() == converter.structure(veteran_data(), Veteran)


def test_amounts_are_written_as_their_exact_decimal_text(converter: cattrs.Converter) -> None:
    assert assistance_case_data() == converter.unstructure(assistance_case())


def test_amounts_read_back_keep_their_exponent(converter: cattrs.Converter) -> None:
    case = converter.structure(assistance_case_data(), AssistanceCase)

    assert assistance_case() == case
    assert ["3000.00", "1800.5"] == [str(f.amount) for f in case.funding]


def test_the_plain_form_holds_only_json_types(converter: cattrs.Converter) -> None:
    data = converter.unstructure(veteran())

    assert data == json.loads(json.dumps(data))


def test_the_full_identity_number_is_written_and_the_masked_form_never_is(
    converter: cattrs.Converter,
) -> None:
    text = json.dumps(converter.unstructure(veteran()), ensure_ascii=False)

    assert FULL_ID in text
    assert MASKED_ID not in text
    assert "*" not in text


def test_dates_are_iso_text_and_enums_their_values(converter: cattrs.Converter) -> None:
    data = converter.unstructure(veteran())

    assert ("1949-12-31", "female", "urban") == (
        data["person"]["birth_date"],
        data["person"]["sex"],
        data["person"]["hukou_type"],
    )


def test_fields_defaulted_from_others_may_be_left_out_when_reading(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    del data["person"]["sex"], data["person"]["birth_date"]

    assert veteran() == converter.structure(data, Veteran)


def test_death_circumstances_and_sanctions_are_written_and_read_back(
    converter: cattrs.Converter,
) -> None:
    original = veteran()
    changed = attrs.evolve(
        original,
        person=attrs.evolve(original.person, died_on=D(2021, 3, 5)),
        circumstances=Circumstances(able_to_work=False, centrally_supported=True),
        sanctions=(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(1990, 1, 1), until=D(1992, 6, 30)
            ),
        ),
    )
    data = converter.unstructure(changed)

    assert "2021-03-05" == data["person"]["died_on"]
    assert (False, None, True) == (
        data["circumstances"]["able_to_work"],
        data["circumstances"]["has_means_of_support"],
        data["circumstances"]["centrally_supported"],
    )
    assert [
        {"kind": "fixed-term-imprisonment", "since": "1990-01-01", "until": "1992-06-30"}
    ] == data["sanctions"]
    assert changed == converter.structure(data, Veteran)


def test_a_bad_sanction_is_reported_at_its_place_in_the_list(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    data["sanctions"] = [
        {"kind": "exile", "since": "1990-01-01", "until": None},
        {"kind": "wanted", "since": "1990-01-01", "until": "1989-12-31"},
    ]

    _, messages = errors_of(converter, data)

    assert 2 == len(messages)
    assert messages[0].startswith("SanctionKind='exile': must be one of")
    assert messages[0].endswith(" @ $.sanctions[0].kind")
    assert (
        "since/until='1990-01-01/1989-12-31': until must be on or after since"
        " (until 应不早于 since) @ $.sanctions[1]"
    ) == messages[1]


def test_an_unknown_fact_stays_unknown_and_is_not_read_as_false(
    converter: cattrs.Converter,
) -> None:
    read = converter.structure(veteran_data(), Veteran)

    assert read.circumstances.able_to_work is None
    assert Circumstances() == read.circumstances


def test_participants_round_trip_when_they_differ_from_the_contacts(
    converter: cattrs.Converter,
) -> None:
    activity = Activity(
        activity_id="A-1",
        kind=ActivityKind.HOME_VISIT,
        unit=DivisionCode("450312101"),
        held_on=D(2021, 1, 6),
        contacts=(ResidentId(FULL_ID),),
        participants=4,
    )
    data = converter.unstructure(activity)

    assert (4, [FULL_ID]) == (data["participants"], data["contacts"])
    assert activity == converter.structure(data, Activity)


# --- refusing bad input --------------------------------------------------------------------


def test_a_wrong_check_character_names_the_path_inside_the_person(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    data["person"]["resident_id"] = BAD_CHECK_ID

    _, messages = errors_of(converter, data)

    assert [
        (
            "resident_id='110105********0021': check character does not match (校验码不符)"
            " @ $.person.resident_id"
        )
    ] == messages


def test_a_masked_identity_number_is_refused(converter: cattrs.Converter) -> None:
    data = veteran_data()
    data["person"]["resident_id"] = MASKED_ID

    _, messages = errors_of(converter, data)

    assert 1 == len(messages)
    assert messages[0].endswith(" @ $.person.resident_id")


def test_error_notes_name_the_attribute_and_keep_our_own_error(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    data["person"]["resident_id"] = BAD_CHECK_ID

    group, _ = errors_of(converter, data)
    person_error = group.exceptions[0]
    id_error = person_error.exceptions[0] if isinstance(person_error, ExceptionGroup) else None

    assert "Structuring class Veteran @ attribute person" in person_error.__notes__
    assert isinstance(id_error, InvalidResidentId)
    assert "Structuring class Person @ attribute resident_id" in id_error.__notes__
    assert BAD_CHECK_ID not in str(id_error)


def test_a_float_amount_is_refused(converter: cattrs.Converter) -> None:
    data = assistance_case_data()
    data["funding"][1]["amount"] = 1800.5

    _, messages = errors_of(converter, data, AssistanceCase)

    assert [
        (
            "type='float': must be text or an integer (floats are not accepted)"
            " (应为字符串或整数（不接受浮点数）) @ $.funding[1].amount"
        )
    ] == messages


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1800.5", Decimal("1800.5")),
        ("0", Decimal("0")),
        ("1E+2", Decimal("1E+2")),
        (1800, Decimal(1800)),
    ],
)
def test_amounts_are_read_from_text_or_integers(
    converter: cattrs.Converter, given: object, expected: Decimal
) -> None:
    allocation = converter.structure({"source": "budget", "amount": given}, FundingAllocation)

    assert (str(expected), expected) == (str(allocation.amount), allocation.amount)


@pytest.mark.parametrize(
    "given",
    [
        0.5,
        True,
        "1,000",
        " 1",
        "1_000",
        "+1",
        "1.",
        ".5",
        "NaN",
        "Infinity",
        "一百",
        Decimal("1"),
        None,
    ],
)
def test_other_amounts_are_refused(converter: cattrs.Converter, given: object) -> None:
    _, messages = errors_of(converter, {"source": "budget", "amount": given}, FundingAllocation)

    assert 1 == len(messages)
    assert messages[0].endswith(" @ $.amount")


def test_an_unknown_key_is_an_error_naming_where_it_is(converter: cattrs.Converter) -> None:
    data = veteran_data()
    data["person"]["nickname"] = "阿英"

    _, messages = errors_of(converter, data)

    assert ["extra fields found (nickname) @ $.person"] == messages


@pytest.mark.parametrize(
    "given",
    ["1968/03/01", "1968-3-1", "19680301", "1968-W10-5", "1968-03-01T00:00:00", "1968-02-30"],
)
def test_a_date_must_be_iso_text(converter: cattrs.Converter, given: str) -> None:
    data = veteran_data()
    data["service"]["enlisted_on"] = given

    _, messages = errors_of(converter, data)

    assert 1 == len(messages)
    assert messages[0].startswith("date=")
    assert messages[0].endswith(" @ $.service.enlisted_on")


@pytest.mark.parametrize("given", [dt.datetime(1968, 3, 1), D(1968, 3, 1), 19680301])
def test_a_date_is_not_read_from_other_types(converter: cattrs.Converter, given: object) -> None:
    data = veteran_data()
    data["service"]["enlisted_on"] = given

    _, messages = errors_of(converter, data)

    assert [
        (
            f"type={type(given).__name__!r}: must be ISO date text 'YYYY-MM-DD'"
            " (应为'YYYY-MM-DD'格式的日期字符串) @ $.service.enlisted_on"
        )
    ] == messages


def test_every_error_is_collected_at_once(converter: cattrs.Converter) -> None:
    data = veteran_data()
    data["person"]["resident_id"] = BAD_CHECK_ID
    data["statuses"][1]["until"] = "2010/12/31"

    _, messages = errors_of(converter, data)

    assert [
        (
            "resident_id='110105********0021': check character does not match (校验码不符)"
            " @ $.person.resident_id"
        ),
        (
            "date='2010/12/31': must be an ISO date 'YYYY-MM-DD' (日期格式应为YYYY-MM-DD)"
            " @ $.statuses[1].until"
        ),
    ] == messages


@pytest.mark.parametrize(
    ("path", "given", "expected"),
    [
        (("service", "awards", 0, "wartime"), "no", "type='str': must be true or false"),
        (("disability", "grade"), "6", "type='str': must be an integer"),
        (("disability", "grade"), 6.0, "type='float': must be an integer"),
        (("disability", "grade"), True, "type='bool': must be an integer"),
        (("person", "name"), 7, "type='int': must be text (str)"),
        (("person", "hukou_division"), 110105, "type='int': must be text (str)"),
        (("person", "hukou_type"), "martian", "HukouType='martian': must be one of"),
        (("person", "died_on"), 20210305, "type='int': must be ISO date text"),
        (("circumstances", "able_to_work"), "no", "type='str': must be true or false"),
        (("circumstances", "disabled"), 0, "type='int': must be true or false"),
        (("circumstances",), [], "type='list': must be a mapping (JSON object)"),
        (("sanctions",), {}, "type='dict': must be a list"),
        (("statuses",), "abc", "type='str': must be a list"),
        (("service",), [], "type='list': must be a mapping (JSON object)"),
    ],
)
def test_values_of_the_wrong_type_are_not_coerced(
    converter: cattrs.Converter, path: tuple[str | int, ...], given: object, expected: str
) -> None:
    data = veteran_data()
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = given
    where = "$" + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)

    _, messages = errors_of(converter, data)

    assert 1 == len(messages)
    assert messages[0].startswith(expected)
    assert messages[0].endswith(f" @ {where}")


def test_a_missing_field_is_named(converter: cattrs.Converter) -> None:
    data = veteran_data()
    del data["person"]["name"]

    _, messages = errors_of(converter, data)

    assert ["required field missing @ $.person.name"] == messages


def test_fields_that_contradict_each_other_are_reported_on_their_record(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    data["person"]["sex"] = "male"

    group, messages = errors_of(converter, data)

    assert [
        (
            "sex/resident_id='male/110105********002X': sex does not match the identity number"
            " (性别与身份证号码不符) @ $.person"
        )
    ] == messages
    assert group.subgroup(lambda e: isinstance(e, InconsistentRecord)) is not None


def test_text_that_may_be_personal_data_is_not_repeated_in_messages(
    converter: cattrs.Converter,
) -> None:
    data = veteran_data()
    data["person"]["hukou_type"] = FULL_ID
    data["service"]["enlisted_on"] = "李秀英"

    _, messages = errors_of(converter, data)

    assert [] == [m for m in messages if FULL_ID in m or "李秀英" in m]
    assert 2 == len(messages)


def test_a_value_that_is_not_a_mapping_is_refused_at_the_top(
    converter: cattrs.Converter,
) -> None:
    _, messages = errors_of(converter, [veteran_data()])

    assert ["type='list': must be a mapping (JSON object) (应为映射（JSON对象）) @ $"] == messages


def test_describe_errors_keeps_the_message_of_a_plain_library_error() -> None:
    error = InvalidValue("grade", "11", "must be between 1 and 10", "应在 1 至 10 之间")

    assert ["grade='11': must be between 1 and 10 (应在 1 至 10 之间) @ $"] == describe_errors(
        error
    )


# --- converters ----------------------------------------------------------------------------


def test_each_call_makes_a_new_converter() -> None:
    assert make_converter() is not make_converter()


def test_an_existing_converter_can_be_configured() -> None:
    converter = cattrs.Converter(forbid_extra_keys=False)
    configure_converter(converter)
    data = veteran_data()

    assert veteran() == converter.structure(data, Veteran)
    data["extra"] = 1
    assert ["extra fields found (extra) @ $"] == errors_of(converter, data)[1]


def test_without_detailed_validation_the_first_error_is_raised_as_is() -> None:
    converter = make_converter(detailed_validation=False)
    data = veteran_data()
    data["person"]["resident_id"] = BAD_CHECK_ID

    with pytest.raises(InvalidResidentId):
        converter.structure(data, Veteran)
    assert veteran() == converter.structure(veteran_data(), Veteran)


# --- JSON text -----------------------------------------------------------------------------


def test_json_text_keeps_chinese_characters_and_field_order(converter: cattrs.Converter) -> None:
    text = to_json(veteran(), converter)

    assert json.dumps(veteran_data(), ensure_ascii=False) == text


def test_json_text_reads_back_to_the_same_value(converter: cattrs.Converter) -> None:
    case = assistance_case()

    assert case == from_json(to_json(case, converter), AssistanceCase, converter)


def test_json_helpers_make_their_own_converter_when_given_none() -> None:
    assert veteran() == from_json(to_json(veteran()), Veteran)


def test_a_tuple_of_models_becomes_a_json_array(converter: cattrs.Converter) -> None:
    awards = veteran().service.awards

    assert [veteran_data()["service"]["awards"][0]] == json.loads(to_json(awards, converter))


# --- module surface ------------------------------------------------------------------------


def test_the_module_shows_only_its_sorted_public_names() -> None:
    assert sorted(serialization.__all__) == serialization.__all__
    assert serialization.__all__ == dir(serialization)


def test_unknown_keys_are_named_masked_by_describe_errors() -> None:
    converter = make_converter()
    document = {
        "activity_id": "a",
        "kind": "symposium",
        "unit": "450312",
        "held_on": "2024-01-01",
        "45031219800101123X": 1,
        "韦建国": 2,
        "extra": 3,
    }

    with pytest.raises(cattrs.ClassValidationError) as raised:
        converter.structure(document, Activity)

    assert ["extra fields found (***, ***, extra) @ $"] == describe_errors(raised.value)
