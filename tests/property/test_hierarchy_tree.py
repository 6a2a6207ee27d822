"""Laws of the division tree and the coverage report over random village layers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.hierarchy import DivisionTree, ServiceNetwork, StationPolicy
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import Division, ServiceStation, StationKind, StationStatus

COUNTIES = ("450312", "450802", "450102")  # 临桂区, 港北区, 兴宁区
_BUNDLED = DivisionTree.bundled("45")


@st.composite
def trees(draw: st.DrawFn) -> DivisionTree:
    """A county of the bundled data with a random synthetic village layer."""
    county = draw(st.sampled_from(COUNTIES))
    units = list(_BUNDLED.subtree(county))
    townships = [d for d in units if d.code.level is DivisionLevel.TOWNSHIP]
    for township in townships:
        numbers = draw(st.sets(st.integers(1, 399), max_size=4))
        units.extend(
            Division(code=DivisionCode(township.code.value[:9] + f"{n:03d}"), name=f"合成村{n}")
            for n in numbers
        )
    return DivisionTree(draw(st.permutations(units)), root=county)


def site(code: DivisionCode) -> ServiceStation:
    kind = StationKind.CENTRE if code.level <= DivisionLevel.COUNTY else StationKind.STATION
    return ServiceStation(
        station_id=f"S{code.value}",
        division=code,
        kind=kind,
        status=StationStatus.OPERATING,
        established_on=dt.date(2019, 1, 1),
    )


@st.composite
def networks(draw: st.DrawFn) -> ServiceNetwork:
    tree = draw(trees())
    chosen = [d.code for d in tree if draw(st.booleans())]
    return ServiceNetwork(tree, draw(st.permutations([site(c) for c in chosen])))


@given(trees())
def test_iteration_is_pre_order_and_each_subtree_is_contiguous(tree: DivisionTree) -> None:
    codes = [d.code.value for d in tree]

    assert sorted(codes) == codes
    for division in tree:
        inside = [d.code.value for d in tree.subtree(division.code)]
        start = codes.index(division.code.value)
        assert codes[start : start + len(inside)] == inside
        assert all(division.code.contains(DivisionCode(c)) for c in inside)


@given(trees())
def test_every_unit_but_the_root_has_its_parent_in_the_tree(tree: DivisionTree) -> None:
    (root,) = tree.roots
    for division in tree:
        parent = tree.parent(division.code)
        if division is root:
            assert parent is None
        else:
            assert parent is not None
            assert tree.depth(division.code) == tree.depth(parent.code) + 1


@given(networks())
def test_parent_figures_are_their_own_plus_the_sum_of_their_childrens(
    network: ServiceNetwork,
) -> None:
    report = network.coverage()
    tree = network.tree
    for row in report:
        own = report.own.get(row.code.value, (0, 0, 0, 0))
        children = [report[c.code] for c in tree.children(row.code)]
        for i, key in enumerate(("required", "built", "missing")):
            assert own[i] + sum(c[key] for c in children) == row[key]  # type: ignore[misc]


@given(networks())
def test_rates_are_summed_built_over_summed_required(network: ServiceNetwork) -> None:
    for row in network.coverage():
        required, built = row["required"], row["built"]
        assert isinstance(required, int)
        assert isinstance(built, int)
        assert (None if required == 0 else built / required) == row["rate"]
        assert required == built + row["missing"]  # type: ignore[operator]
        assert 0 <= built <= required


@given(networks(), st.data())
def test_removing_k_stations_leaves_exactly_those_k_units_missing(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    tree = network.tree
    full = ServiceNetwork(tree, [site(d.code) for d in network.required_units()])
    required = [d.code for d in full.required_units()]
    gone = data.draw(st.sets(st.sampled_from(required), max_size=len(required)))
    fewer = ServiceNetwork(tree, [s for s in full.stations if s.division not in gone])
    (top,) = fewer.coverage().top

    assert 1.0 == full.coverage().top[0]["rate"]
    assert (len(required) - len(gone)) / len(required) == top["rate"]
    assert gone == {d.code for d in fewer.missing_units()}


@given(networks(), st.data())
def test_a_subtree_of_the_report_is_the_report_of_the_subtree(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    tree = network.tree
    unit = data.draw(st.sampled_from([d.code for d in tree]))
    restricted = tree.restrict(unit)
    inside = [s for s in network.stations if unit.contains(s.division)]

    expected = ServiceNetwork(restricted, inside).coverage()
    actual = network.coverage().subtree(unit)

    assert expected.rows == actual.rows
    assert expected.by_level() == actual.by_level()


@given(networks(), st.data())
def test_order_of_the_stations_does_not_change_the_report(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(network.stations))

    assert network.coverage() == ServiceNetwork(network.tree, shuffled).coverage()


@given(networks())
def test_level_summaries_add_up_to_the_top(network: ServiceNetwork) -> None:
    report = network.coverage()
    (top,) = report.top
    for key in ("required", "built", "missing"):
        assert top[key] == sum(s[key] for s in report.by_level())  # type: ignore[misc]
    assert StationPolicy() == network.policy
