"""The bundled division tables (行政区划数据) and the lookups over them."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from importlib import resources

import pytest

from veteran_affairs import divisions
from veteran_affairs.errors import InvalidDivisionCode, UnknownDivision, VeteranAffairsError
from veteran_affairs.identity import DivisionCode, DivisionLevel, TownshipKind
from veteran_affairs.models.network import Division

PROFILES = resources.files("veteran_affairs") / "data" / "jurisdictions"
# Each bundled table lives in the folder of the jurisdiction profile it belongs to.
DATA = {"guangxi.csv": PROFILES / "guangxi", "china-county.csv": PROFILES / "national"}
FILES = ("guangxi.csv", "china-county.csv")
NONE: tuple[Division, ...] = ()


def _rows(name: str) -> list[dict[str, str]]:
    text = (DATA[name] / name).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _guangxi() -> list[Division]:
    return list(divisions.bundled(province="45"))


def _file_entry(name: str) -> dict[str, object]:
    files = divisions.source()["files"]
    assert isinstance(files, dict)
    entry = files[name]
    assert isinstance(entry, dict)
    return entry


# --- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (DivisionLevel.PROVINCE, 1),
        (DivisionLevel.CITY, 14),
        (DivisionLevel.COUNTY, 111),
        (DivisionLevel.TOWNSHIP, 1_284),
        (DivisionLevel.VILLAGE, 0),
    ],
)
def test_guangxi_has_the_published_number_of_units_per_level(
    level: DivisionLevel, expected: int
) -> None:
    assert expected == sum(1 for d in _guangxi() if d.level is level)


def test_guangxi_township_level_units_split_by_code_band() -> None:
    expected = {
        TownshipKind.SUBDISTRICT: 135,  # 街道 001–099
        TownshipKind.TOWN: 806,  # 镇 100–199
        TownshipKind.TOWNSHIP: 312,  # 乡 and 民族乡 200–399
        TownshipKind.TOWNSHIP_LIKE: 31,  # 类似乡级 400–599
    }
    kinds = Counter(d.code.township_kind for d in _guangxi() if d.level is DivisionLevel.TOWNSHIP)
    assert expected == dict(kinds)


def test_guangxi_has_1253_townships_outside_the_township_like_band() -> None:
    expected = 1_253
    regular = [
        d
        for d in _guangxi()
        if d.level is DivisionLevel.TOWNSHIP
        and d.code.township_kind is not TownshipKind.TOWNSHIP_LIKE
    ]
    assert expected == len(regular)


def test_the_china_table_covers_31_provinces_at_three_levels() -> None:
    expected_provinces = 31
    expected_levels = {DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY}
    provinces = sum(1 for d in divisions.bundled() if d.level is DivisionLevel.PROVINCE)
    outside_guangxi = {d.level for d in divisions.bundled() if not d.code.value.startswith("45")}
    assert expected_provinces == provinces
    assert expected_levels == outside_guangxi


def test_the_merged_table_has_one_unit_per_code_in_code_order() -> None:
    # 1,410 Guangxi rows + 3,351 China rows − 126 Guangxi units in both − 3 repeated rows.
    expected_size = 4_632
    codes = [d.code.value for d in divisions.bundled()]
    assert sorted(set(codes)) == codes
    assert expected_size == len(codes)


def test_guangxi_and_china_tables_agree_on_shared_codes() -> None:
    expected_shared = 126  # the region, its 14 cities and 111 county-level units
    guangxi = {row["code"]: row["name"] for row in _rows("guangxi.csv")}
    china = {row["code"]: row["name"] for row in _rows("china-county.csv")}
    shared = guangxi.keys() & china.keys()
    assert expected_shared == len(shared)
    assert {code: china[code] for code in shared} == {code: guangxi[code] for code in shared}


# --- integrity ---------------------------------------------------------------------------------


def test_every_bundled_parent_is_bundled() -> None:
    expected: list[DivisionCode] = []
    missing = [
        d.code
        for d in divisions.bundled()
        if d.parent_code is not None and not divisions.contains_code(d.parent_code)
    ]
    assert expected == missing


@pytest.mark.parametrize("name", FILES)
def test_declared_parent_codes_exist_in_their_own_file(name: str) -> None:
    expected: list[dict[str, str]] = []
    rows = _rows(name)
    codes = {row["code"] for row in rows}
    orphans = [row for row in rows if row["parent_code"] and row["parent_code"] not in codes]
    assert expected == orphans


@pytest.mark.parametrize("name", FILES)
def test_source_toml_checksum_matches_the_bundled_file(name: str) -> None:
    expected = hashlib.sha256((DATA[name] / name).read_bytes()).hexdigest()
    assert expected == _file_entry(name)["sha256"]


@pytest.mark.parametrize("name", FILES)
def test_source_toml_row_counts_match_the_bundled_file(name: str) -> None:
    rows = _rows(name)
    by_level = Counter(row["level"] for row in rows)
    expected = (len(rows), dict(by_level), sorted(int(level) for level in by_level))
    entry = _file_entry(name)
    assert expected == (entry["rows"], entry["rows_by_level"], entry["levels"])


def test_source_names_the_edition_and_upstream_commit() -> None:
    expected = ("2022", "2022-10-31", "57a0aa9", "WTFPL")
    origin = divisions.source()["source"]
    assert isinstance(origin, dict)
    actual = (
        origin["edition"],
        str(origin["cutoff"]),
        origin["packaged_commit"],
        origin["packaged_license"],
    )
    assert expected == actual


# --- lookups -----------------------------------------------------------------------------------


def test_lookup_accepts_short_text_and_division_codes_alike() -> None:
    expected = Division(code=DivisionCode("450312"), name="临桂区")
    assert expected == divisions.lookup("450312")
    assert expected == divisions.lookup("450312000000")
    assert expected == divisions.lookup(DivisionCode("450312"))


def test_name_of_gives_the_bundled_names() -> None:
    expected = {
        "45": "广西壮族自治区",
        "4503": "桂林市",
        "450312": "临桂区",
        "450312205": "黄沙瑶族乡",
        "441900": "东莞市",
    }
    assert expected == {code: divisions.name_of(code) for code in expected}


def test_an_unknown_code_is_a_lookup_error_naming_the_code() -> None:
    expected = "450312205001"
    with pytest.raises(LookupError) as caught:
        divisions.lookup(expected)
    assert isinstance(caught.value, UnknownDivision)
    assert isinstance(caught.value, VeteranAffairsError)
    assert expected == caught.value.code
    assert expected in str(caught.value)


def test_name_of_an_unknown_code_raises_unknown_division() -> None:
    with pytest.raises(UnknownDivision, match="710000000000"):
        divisions.name_of("71")


def test_an_unknown_but_valid_code_still_constructs() -> None:
    expected = "450312205001"  # a village: a valid code, never bundled
    code = DivisionCode(expected)
    assert expected == code.value
    assert not divisions.contains_code(code)
    assert code.parent is not None
    assert divisions.contains_code(code.parent)


def test_malformed_text_is_a_value_error_not_a_lookup_error() -> None:
    with pytest.raises(InvalidDivisionCode):
        divisions.lookup("4503x")


def test_contains_code_answers_for_bundled_and_absent_units() -> None:
    assert divisions.contains_code("450312204")
    assert divisions.contains_code("110105")  # a county outside Guangxi
    assert not divisions.contains_code("110105001")  # townships are bundled for 45 only


def test_children_are_the_direct_subordinates_in_code_order() -> None:
    expected = [
        "临桂镇",
        "六塘镇",
        "会仙镇",
        "两江镇",
        "五通镇",
        "四塘镇",
        "南边山镇",
        "中庸镇",
        "茶洞镇",
        "宛田瑶族乡",
        "黄沙瑶族乡",
    ]
    actual = divisions.children("450312")
    assert expected == [d.name for d in actual]
    assert sorted(d.code.value for d in actual) == [d.code.value for d in actual]


def test_guangxi_has_its_14_cities_as_children() -> None:
    expected = 14
    actual = divisions.children("45")
    assert expected == len(actual)
    assert {DivisionLevel.CITY} == {d.level for d in actual}


def test_a_unit_at_the_deepest_bundled_level_has_no_children() -> None:
    assert NONE == divisions.children("450312204")  # a Guangxi township
    assert NONE == divisions.children("110105")  # a county elsewhere


def test_children_of_an_unknown_unit_raise() -> None:
    with pytest.raises(UnknownDivision):
        divisions.children("450312999")


def test_placeholder_units_hold_their_county_level_cities() -> None:
    # 省直辖县级行政区划 (4290): Hubei's county-level cities directly under the province.
    expected = ["仙桃市", "潜江市", "天门市", "神农架林区"]
    assert expected == [d.name for d in divisions.children("4290")]


def test_a_city_without_counties_has_no_bundled_children() -> None:
    # 东莞市 has townships directly under it; townships are bundled for Guangxi only.
    assert NONE == divisions.children("441900")


def test_subtree_starts_with_the_unit_and_keeps_code_order() -> None:
    expected_first = divisions.lookup("450312")
    expected_size = 12  # 临桂区, 9 镇 and 2 瑶族乡
    units = list(divisions.subtree("450312"))
    assert expected_first == units[0]
    assert expected_size == len(units)
    assert sorted(d.code.value for d in units) == [d.code.value for d in units]


def test_subtree_of_a_city_covers_its_counties_and_townships() -> None:
    expected = {DivisionLevel.CITY: 1, DivisionLevel.COUNTY: 17, DivisionLevel.TOWNSHIP: 148}
    assert expected == Counter(d.level for d in divisions.subtree("4503"))


def test_subtree_of_a_leaf_is_the_leaf() -> None:
    expected = [divisions.lookup("450312204")]
    assert expected == list(divisions.subtree("450312204"))


def test_subtree_of_an_unknown_unit_raises_on_the_call() -> None:
    with pytest.raises(UnknownDivision):
        divisions.subtree("459900")


def test_find_returns_every_unit_with_the_name() -> None:
    expected = ["320106000000", "320302000000", "350102000000", "410204000000"]
    assert expected == [d.code.value for d in divisions.find("鼓楼区")]


def test_find_within_narrows_repeated_names() -> None:
    expected_in_guangxi = 5
    expected_in_liuzhou = ["450222102000"]
    in_guangxi = divisions.find("太平镇", within=DivisionCode("45"))
    in_liuzhou = divisions.find("太平镇", within=DivisionCode("4502"))
    assert expected_in_guangxi == len(in_guangxi)
    assert expected_in_liuzhou == [d.code.value for d in in_liuzhou]


def test_find_matches_exact_names_only() -> None:
    expected = ["450312000000"]
    assert expected == [d.code.value for d in divisions.find("临桂区")]
    assert NONE == divisions.find("临桂")


def test_find_within_an_unknown_unit_raises() -> None:
    with pytest.raises(UnknownDivision):
        divisions.find("太平镇", within=DivisionCode("459900"))


def test_bundled_filters_by_province() -> None:
    expected = "北京市"
    beijing = list(divisions.bundled(province="11"))
    assert expected == beijing[0].name
    assert all(d.code.value.startswith("11") for d in beijing)


def test_bundled_refuses_a_code_below_province_level() -> None:
    with pytest.raises(InvalidDivisionCode):
        divisions.bundled(province="4503")


def test_bundled_refuses_a_province_it_does_not_hold() -> None:
    with pytest.raises(UnknownDivision):
        divisions.bundled(province="71")


def test_the_public_surface_is_the_documented_one() -> None:
    expected = [
        "bundled",
        "children",
        "contains_code",
        "find",
        "load_table",
        "lookup",
        "name_of",
        "source",
        "subtree",
    ]
    assert expected == divisions.__all__
    assert expected == dir(divisions)
