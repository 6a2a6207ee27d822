"""The division tree, the service network, station coverage and the report value."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from veteran_affairs.errors import (
    InconsistentRecord,
    OrphanDivisions,
    UnknownDivision,
)
from veteran_affairs.hierarchy import (
    DivisionTree,
    FigureKind,
    ServiceNetwork,
    StationPolicy,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel, TownshipKind
from veteran_affairs.models import Division, FiveHaves, ServiceStation, StationKind, StationStatus

LINGUI = "450312"
OPENED = dt.date(2019, 6, 1)


def village(code: str, name: str = "（合成）村") -> Division:
    return Division(code=DivisionCode(code), name=name)


def station(code: str, *, kind: StationKind | None = None, **fields: object) -> ServiceStation:
    division = DivisionCode(code)
    if kind is None:
        kind = StationKind.CENTRE if division.level <= DivisionLevel.COUNTY else StationKind.STATION
    fields.setdefault("status", StationStatus.OPERATING)
    fields.setdefault("established_on", OPENED)
    return ServiceStation(
        station_id=fields.pop("station_id", f"S{division.value}{kind.value[:1]}"),  # type: ignore[arg-type]
        division=division,
        kind=kind,
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def guangxi() -> DivisionTree:
    return DivisionTree.bundled("45")


@pytest.fixture(scope="module")
def lingui(guangxi: DivisionTree) -> DivisionTree:
    # 临桂区 with two synthetic villages under 临桂镇 (450312100000).
    return DivisionTree(
        [*guangxi.subtree(LINGUI), village("450312100001"), village("450312100201")],
        root=LINGUI,
    )


# --- the tree --------------------------------------------------------------------------------


def test_bundled_guangxi_has_the_region_14_cities_111_counties_and_its_townships(
    guangxi: DivisionTree,
) -> None:
    expected = {
        DivisionLevel.PROVINCE: 1,
        DivisionLevel.CITY: 14,
        DivisionLevel.COUNTY: 111,
        DivisionLevel.TOWNSHIP: 1284,
    }

    assert expected == guangxi.count_by_level()
    assert ["广西壮族自治区"] == [d.name for d in guangxi.roots]


def test_units_are_found_by_code_and_by_name(guangxi: DivisionTree) -> None:
    assert "临桂区" == guangxi["450312000000"].name
    assert "临桂区" == guangxi[DivisionCode(LINGUI)].name
    assert ("450312000000",) == tuple(d.code.value for d in guangxi.find("临桂区"))
    assert () == guangxi.find("临桂区", within="4501")
    assert LINGUI in guangxi
    assert "459999" not in guangxi
    assert "not a code" not in guangxi
    assert None is guangxi.get("459999")


def test_an_unknown_code_raises_a_lookup_error_naming_it(guangxi: DivisionTree) -> None:
    with pytest.raises(UnknownDivision, match="459999000000"):
        guangxi["459999"]


def test_walks_give_parents_children_ancestors_and_depth(lingui: DivisionTree) -> None:
    assert "临桂镇" == lingui.parent("450312100001").name  # type: ignore[union-attr]
    assert None is lingui.parent(LINGUI)
    assert ["450312100001", "450312100201"] == [
        d.code.value for d in lingui.children("450312100000")
    ]
    assert ["临桂镇", "临桂区"] == [d.name for d in lingui.ancestors("450312100201")]
    assert 2 == lingui.depth("450312100201")
    assert 0 == lingui.depth(LINGUI)


def test_a_subtree_is_the_unit_then_everything_inside_it_in_code_order(
    lingui: DivisionTree,
) -> None:
    codes = [d.code.value for d in lingui.subtree("450312100000")]

    assert ["450312100000", "450312100001", "450312100201"] == codes
    assert 14 == len(list(lingui.subtree(LINGUI)))


def test_iteration_is_pre_order(guangxi: DivisionTree) -> None:
    seen: set[str] = set()
    for division in guangxi:
        parent = guangxi.parent(division.code)
        assert parent is None or parent.code.value in seen
        seen.add(division.code.value)


def test_locate_places_a_code_on_itself_or_its_nearest_ancestor(lingui: DivisionTree) -> None:
    assert "450312100001" == lingui.locate("450312100001").code.value  # type: ignore[union-attr]
    assert "临桂镇" == lingui.locate("450312100399").name  # type: ignore[union-attr]
    assert None is lingui.locate("450100")


def test_every_orphan_is_listed_in_one_error(guangxi: DivisionTree) -> None:
    units = [*guangxi.subtree(LINGUI), village("450312999001"), village("450312998002")]

    with pytest.raises(OrphanDivisions) as caught:
        DivisionTree(units)  # no root given: 临桂区's own parent is missing too

    assert ("450312000000", "450312998002", "450312999001") == caught.value.codes[:1] + tuple(
        c for c in caught.value.codes if c.startswith("4503129")
    )
    assert isinstance(caught.value, ValueError)


def test_a_root_must_contain_every_unit(guangxi: DivisionTree) -> None:
    units = [*guangxi.subtree(LINGUI), guangxi["450100"]]

    with pytest.raises(InconsistentRecord, match="outside the root"):
        DivisionTree(units, root=LINGUI)
    with pytest.raises(UnknownDivision):
        DivisionTree(list(guangxi.subtree(LINGUI)), root="450100")


def test_one_code_with_two_names_is_an_error_but_a_repeat_is_kept_once(
    guangxi: DivisionTree,
) -> None:
    units = list(guangxi.subtree(LINGUI))

    assert len(units) == len(DivisionTree([*units, units[3]], root=LINGUI))
    with pytest.raises(InconsistentRecord, match="listed twice"):
        DivisionTree([*units, Division(code=units[3].code, name="别名")], root=LINGUI)


def test_restrict_gives_the_subtree_rooted_at_the_unit(guangxi: DivisionTree) -> None:
    county = guangxi.restrict(LINGUI)

    assert ["临桂区"] == [d.name for d in county.roots]
    assert 12 == len(county)


# --- network and coverage --------------------------------------------------------------------


def full_network(tree: DivisionTree, policy: StationPolicy | None = None) -> ServiceNetwork:
    policy = policy or StationPolicy()
    return ServiceNetwork(
        tree, [station(d.code.value) for d in tree if policy.requires(d.code)], policy=policy
    )


def test_a_full_network_covers_every_required_unit(lingui: DivisionTree) -> None:
    report = full_network(lingui).coverage()
    top = report[LINGUI]

    assert (14, 14, 0, 1.0) == (top["required"], top["built"], top["missing"], top["rate"])


def test_the_bundled_region_needs_1379_centres_and_stations_without_villages(
    guangxi: DivisionTree,
) -> None:
    # 1 + 14 + 111 + 1,253 regular township units; the 31 类似乡级 units are not required.
    report = ServiceNetwork(guangxi, []).coverage()

    assert 1 + 14 + 111 + 1253 == report.top[0]["required"]
    assert 0.0 == report.top[0]["rate"]


def test_missing_stations_are_counted_and_listed(lingui: DivisionTree) -> None:
    network = full_network(lingui)
    gone = {"450312100201", "450312101000"}
    fewer = ServiceNetwork(lingui, [s for s in network.stations if s.division.value not in gone])
    top = fewer.coverage()[LINGUI]

    assert (14, 12, 2) == (top["required"], top["built"], top["missing"])
    assert 12 / 14 == top["rate"]
    assert gone == {d.code.value for d in fewer.missing_units()}


def test_planned_and_closed_stations_are_not_built(lingui: DivisionTree) -> None:
    network = ServiceNetwork(
        lingui,
        [
            station("450312100001", status=StationStatus.PLANNED, established_on=None),
            station("450312100201", status=StationStatus.CLOSED, closed_on=dt.date(2020, 1, 1)),
            station("450312100000", status=StationStatus.SUSPENDED),
        ],
    )
    row = network.coverage()["450312100000"]

    assert (3, 1) == (row["required"], row["built"])


def test_township_like_units_count_only_when_the_policy_says_so(
    guangxi: DivisionTree,
) -> None:
    township_like = [d for d in guangxi if d.code.township_kind is TownshipKind.TOWNSHIP_LIKE]
    default = ServiceNetwork(guangxi, []).coverage().top[0]["required"]
    included = (
        ServiceNetwork(guangxi, [], policy=StationPolicy(include_township_like=True))
        .coverage()
        .top[0]["required"]
    )

    assert 31 == len(township_like)
    assert 31 == included - default  # type: ignore[operator]
    zone = township_like[0].code
    inside = DivisionCode(zone.value[:9] + "201")
    assert (False, False) == (StationPolicy().requires(zone), StationPolicy().requires(inside))


def test_extension_stations_count_only_when_the_policy_says_so(lingui: DivisionTree) -> None:
    stations = [
        *full_network(lingui).stations,
        station(LINGUI, kind=StationKind.EXTENSION, station_id="EXT-1"),
        station(
            LINGUI,
            kind=StationKind.EXTENSION,
            station_id="EXT-2",
            status=StationStatus.PLANNED,
            established_on=None,
        ),
    ]
    plain = ServiceNetwork(lingui, stations).coverage()[LINGUI]
    counted = ServiceNetwork(
        lingui, stations, policy=StationPolicy(include_extensions=True)
    ).coverage()[LINGUI]

    assert (14, 14) == (plain["required"], plain["built"])
    assert (16, 15, 1) == (counted["required"], counted["built"], counted["missing"])


def test_exempt_units_and_levels_leave_the_denominator(lingui: DivisionTree) -> None:
    villages_only = StationPolicy(levels={DivisionLevel.VILLAGE})
    exempt = StationPolicy(exempt={"450312100201"})

    assert 2 == full_network(lingui, villages_only).coverage()[LINGUI]["required"]
    assert 13 == full_network(lingui, exempt).coverage()[LINGUI]["required"]


def test_two_stations_at_one_unit_are_an_error_naming_both(lingui: DivisionTree) -> None:
    with pytest.raises(InconsistentRecord, match=r"S1.*S2"):
        ServiceNetwork(
            lingui,
            [station("450312100001", station_id="S1"), station("450312100001", station_id="S2")],
        )
    with pytest.raises(InconsistentRecord, match="used by two stations"):
        ServiceNetwork(
            lingui,
            [station("450312100001", station_id="S1"), station("450312100201", station_id="S1")],
        )


def test_stations_outside_the_tree_are_listed(lingui: DivisionTree) -> None:
    with pytest.raises(UnknownDivision, match="450100000000"):
        ServiceNetwork(lingui, [station("450100")])


def test_offices_sum_area_staff_and_the_five_haves(lingui: DivisionTree) -> None:
    five = FiveHaves(
        institution=True, establishment=True, personnel=True, funding=True, support=True
    )
    network = ServiceNetwork(
        lingui,
        [
            station(LINGUI, office_area_m2=Decimal("120.5"), staff=6, five_haves=five),
            station("450312100000", office_area_m2=Decimal("40"), staff=2),
            station("450312100001", staff=1, five_haves=five),
        ],
    )
    report = network.offices()
    top = report[LINGUI]

    assert (3, Decimal("160.5"), 9, 2) == (
        top["sites"],
        top["office_area_m2"],
        top["staff"],
        top["five_haves"],
    )
    assert 2 / 3 == top["five_haves_rate"]
    assert ("1 built site(s) have no recorded office area",) == report.notes


# --- the report value ------------------------------------------------------------------------


def test_drill_down_gives_the_unit_and_its_children(lingui: DivisionTree) -> None:
    report = full_network(lingui).coverage()

    assert [LINGUI + "000000", *(d.code.value for d in lingui.children(LINGUI))] == [
        r.code.value for r in report.drill_down(LINGUI)
    ]


def test_by_level_adds_each_units_own_figures(lingui: DivisionTree) -> None:
    summaries = {s.level: s for s in full_network(lingui).coverage().by_level()}

    assert (1, 11, 2) == tuple(
        summaries[level]["required"]
        for level in (DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE)
    )
    assert 11 == summaries[DivisionLevel.TOWNSHIP].units
    assert 1.0 == summaries[DivisionLevel.VILLAGE]["rate"]


def test_rows_render_as_plain_rows_csv_text_and_html(lingui: DivisionTree) -> None:
    report = full_network(lingui).coverage(as_of=dt.date(2021, 1, 6))
    rows = report.to_rows()
    out = io.StringIO()
    report.to_csv(out)

    assert {
        "code": "450312000000",
        "name": "临桂区",
        "level": 3,
        "depth": 0,
        "required": 14,
        "built": 14,
        "missing": 0,
        "rate": 1.0,
    } == rows[0]
    assert "代码,名称,层级,深度,应建数,已建数,未建数,应建尽建率" == (
        ",".join(report.to_rows(chinese_headers=True)[0])
    )
    assert out.getvalue().startswith("code,name,level,depth,required,built,missing,rate\n")
    assert 1 + len(report) == len(out.getvalue().splitlines())
    assert "100.00%" in report.to_text().splitlines()[2]
    assert "2021-01-06" in report.to_text()
    assert report._repr_html_().count("<tr>") == 1 + len(report)


def test_html_escapes_names(lingui: DivisionTree) -> None:
    tree = DivisionTree([*lingui, village("450312100202", "<b>村</b>")], root=LINGUI)
    html = ServiceNetwork(tree, []).coverage()._repr_html_()

    assert "&lt;b&gt;村&lt;/b&gt;" in html
    assert "<b>村" not in html


def test_a_report_reads_as_a_dataframe(lingui: DivisionTree) -> None:
    frame = full_network(lingui).coverage().to_dataframe()

    assert 14 == frame.loc["450312000000", "required"]
    assert ["name", "level", "depth", "required", "built", "missing", "rate"] == list(frame.columns)


def test_a_missing_row_or_column_is_a_lookup_error(lingui: DivisionTree) -> None:
    report = full_network(lingui).coverage()

    with pytest.raises(UnknownDivision):
        report["450100"]
    with pytest.raises(KeyError):
        report[LINGUI]["no-such-figure"]
    assert FigureKind.RATE is report.columns[-1].kind


def test_text_headings_can_be_chinese_or_english_only(lingui: DivisionTree) -> None:
    report = full_network(lingui).coverage()

    assert "代码" in report.to_text(labels="zh").splitlines()[1]
    assert "code" not in report.to_text(labels="zh").splitlines()[1]
    assert "must have one" in report.to_text(labels="en").splitlines()[1]
    assert "应建数" not in report.to_text(labels="en").splitlines()[1]
    with pytest.raises(ValueError, match="labels"):
        report.to_text(labels="fr")
