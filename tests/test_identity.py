"""Resident identity numbers (GB 11643) and division codes: worked examples."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from veteran_affairs.errors import InvalidDivisionCode, InvalidResidentId, VeteranAffairsError
from veteran_affairs.identity import (
    CountyKind,
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    TownshipKind,
    VillageKind,
    check_character,
    mask_name,
    mask_phone,
)

# --- ResidentId --------------------------------------------------------------------------


def test_the_documented_example_is_a_woman_born_on_the_last_day_of_1949() -> None:
    rid = ResidentId("11010519491231002X")

    assert dt.date(1949, 12, 31) == rid.birth_date
    assert Sex.FEMALE == rid.sex
    assert DivisionCode("110105") == rid.address_code
    assert "11010519491231002X" == rid.unmasked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("  11010519491231002X\n", "11010519491231002X"),
    ],
)
def test_full_width_digits_lower_case_x_and_blanks_are_normalised(text: str, expected: str) -> None:
    assert expected == ResidentId(text).unmasked


def test_repr_and_str_show_only_the_first_six_and_last_four_characters() -> None:
    rid = ResidentId("11010519491231002X")

    assert "ResidentId('110105********002X')" == repr(rid)
    assert "110105********002X" == str(rid)
    assert "19491231" not in repr(rid) + str(rid) + f"{rid}"


def test_an_odd_sequence_digit_means_male() -> None:
    body = "45031219800101001"
    rid = ResidentId(body + check_character(body))

    assert Sex.MALE == rid.sex


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("11010519491231002", "must be 18 characters"),
        ("110105194912310021", "check character does not match"),
        ("11010519491231002Y", "17 digits followed by a digit or X"),
        ("1101051949123100AX", "17 digits followed by a digit or X"),
        ("110105" + "19490230" + "002" + "X", "not a real date"),
        ("990105" + "19491231" + "002" + "X", "address code"),
    ],
)
def test_malformed_numbers_raise_invalid_resident_id_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidResidentId, match=reason) as info:
        ResidentId(text)

    assert "resident_id" == info.value.field
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, VeteranAffairsError)


def test_a_birth_date_in_the_future_is_refused() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = f"110105{tomorrow:%Y%m%d}002"

    with pytest.raises(InvalidResidentId, match="future"):
        ResidentId(body + check_character(body))


def test_error_messages_mask_the_number() -> None:
    with pytest.raises(InvalidResidentId) as info:
        ResidentId("110105194912310021")

    assert "19491231" not in str(info.value)
    assert "110105********0021" == info.value.value


def test_non_text_is_refused_with_a_typed_error() -> None:
    with pytest.raises(InvalidResidentId, match="must be text"):
        ResidentId(11010519491231002)  # type: ignore[arg-type]


def test_a_fifteen_digit_number_upgrades_to_eighteen() -> None:
    assert "11010519491231002X" == ResidentId.upgrade("110105491231002").unmasked
    assert "11010519491231002X" == ResidentId.parse("110105491231002", upgrade_15=True).unmasked
    with pytest.raises(InvalidResidentId):
        ResidentId.parse("110105491231002")


def test_ids_are_equal_by_value_hashable_and_pickle() -> None:
    a = ResidentId("11010519491231002X")
    b = ResidentId("11010519491231002x")

    assert a == b
    assert 1 == len({a, b})
    assert a == pickle.loads(pickle.dumps(a))


def test_ids_are_immutable() -> None:
    rid = ResidentId("11010519491231002X")

    with pytest.raises(AttributeError):
        rid._value = "x"  # type: ignore[misc]


# --- masking helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳修文", "欧***"), ("李", "李"), ("", "")]
)
def test_names_keep_only_their_first_character(name: str, masked: str) -> None:
    assert masked == mask_name(name)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("0771-5551234", "077*****1234"), ("12345", "*****")],
)
def test_phones_keep_the_first_three_and_last_four(phone: str, masked: str) -> None:
    assert masked == mask_phone(phone)


# --- DivisionCode --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "stored"),
    [
        ("45", DivisionLevel.PROVINCE, "450000000000"),
        ("4503", DivisionLevel.CITY, "450300000000"),
        ("450312", DivisionLevel.COUNTY, "450312000000"),
        ("450312101", DivisionLevel.TOWNSHIP, "450312101000"),
        ("450312101201", DivisionLevel.VILLAGE, "450312101201"),
        (450312, DivisionLevel.COUNTY, "450312000000"),
        ("450000", DivisionLevel.PROVINCE, "450000000000"),
    ],
)
def test_codes_of_every_accepted_length_store_twelve_digits_and_know_their_level(
    text: str | int, level: DivisionLevel, stored: str
) -> None:
    code = DivisionCode(text)

    assert stored == code.value
    assert level == code.level


def test_parent_is_the_code_truncated_to_the_level_above() -> None:
    village = DivisionCode("450312101201")

    assert DivisionCode("450312101") == village.parent
    assert [DivisionCode(c) for c in ("450312101", "450312", "4503", "45")] == list(
        village.ancestors()
    )
    assert DivisionCode("45").parent is None


def test_a_township_directly_under_a_prefecture_skips_the_missing_county() -> None:
    # 东莞市 (441900) has no counties: its townships hang directly from the city.
    township = DivisionCode("441900003")

    assert DivisionLevel.TOWNSHIP == township.level
    assert DivisionCode("4419") == township.parent


def test_contains_follows_the_code_prefix() -> None:
    county = DivisionCode("450312")

    assert county.contains(DivisionCode("450312101201"))
    assert county.contains(county)
    assert not county.contains(DivisionCode("450311"))
    assert not county.contains(DivisionCode("4503"))


def test_truncate_gives_the_containing_unit_at_a_level() -> None:
    village = DivisionCode("450312101201")

    assert DivisionCode("4503") == village.truncate(DivisionLevel.CITY)
    assert DivisionCode("4503") == DivisionCode("4503").truncate(DivisionLevel.COUNTY)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("450312001", TownshipKind.SUBDISTRICT),
        ("450312101", TownshipKind.TOWN),
        ("450312201", TownshipKind.TOWNSHIP),
        ("450312301", TownshipKind.TOWNSHIP),
        ("450312400", TownshipKind.TOWNSHIP_LIKE),
        ("450312599", TownshipKind.TOWNSHIP_LIKE),
        ("450312600", None),
        ("450312", None),
    ],
)
def test_township_bands_give_the_kind_of_unit(text: str, kind: TownshipKind | None) -> None:
    assert kind == DivisionCode(text).township_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("450312101001", VillageKind.RESIDENTS_COMMITTEE),
        ("450312101199", VillageKind.RESIDENTS_COMMITTEE),
        ("450312101200", VillageKind.VILLAGERS_COMMITTEE),
        ("450312101399", VillageKind.VILLAGERS_COMMITTEE),
        ("450312101400", None),
        ("450312101", None),
    ],
)
def test_village_bands_give_the_kind_of_unit(text: str, kind: VillageKind | None) -> None:
    assert kind == DivisionCode(text).village_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("450312", CountyKind.DISTRICT),
        ("110119", CountyKind.DISTRICT),  # 延庆区
        ("500120", CountyKind.DISTRICT),  # 璧山区
        ("450323", CountyKind.COUNTY),
        ("450381", CountyKind.COUNTY_LEVEL_CITY),
        ("4503", None),
    ],
)
def test_county_digits_give_the_kind_of_county(text: str, kind: CountyKind | None) -> None:
    assert kind == DivisionCode(text).county_kind


@pytest.mark.parametrize(
    "text", ["", "4", "450", "45031", "4503121011", "45031210120a", "990000", "00", "４５x"]
)
def test_malformed_codes_raise_invalid_division_code(text: str) -> None:
    with pytest.raises(InvalidDivisionCode) as info:
        DivisionCode(text)

    assert "division_code" == info.value.field


def test_codes_order_by_value_and_pickle() -> None:
    codes = [DivisionCode("4503"), DivisionCode("45"), DivisionCode("450312")]

    assert [DivisionCode("45"), DivisionCode("4503"), DivisionCode("450312")] == sorted(codes)
    assert codes[0] == pickle.loads(pickle.dumps(codes[0]))


def test_a_code_that_no_longer_exists_is_still_a_valid_code() -> None:
    # Identity numbers carry codes of units since merged or renamed: any well-formed code is
    # accepted, and only name lookups need the code to be in a table.
    assert DivisionLevel.COUNTY == DivisionCode("459999").level
