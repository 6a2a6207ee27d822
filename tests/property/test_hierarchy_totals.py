"""Laws of the total row (合计): a level view opens with its root's row, the whole tree's sums."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from tests.property.test_hierarchy_tree import networks
from veteran_affairs.hierarchy import ServiceNetwork
from veteran_affairs.identity import DivisionLevel


def _levels_below(network: ServiceNetwork) -> list[DivisionLevel]:
    (root,) = network.tree.roots
    return [level for level in DivisionLevel if level > root.code.level]


@given(networks(), st.data())
def test_the_total_row_of_a_level_view_is_the_whole_trees_sums(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    report = network.coverage()
    level = data.draw(st.sampled_from(_levels_below(network)))
    required = [d.code for d in network.required_units()]
    built = [code for code in required if network.has_station(code)]

    view = report.at_level(level)
    (total,) = view.totals

    assert report.top == view.totals
    assert (len(required), len(built)) == (total["required"], total["built"])
    # The rate is recomputed from the summed counts, never averaged over the rows.
    assert (len(built) / len(required) if required else None) == total["rate"]
    assert [d.code for d in network.tree if d.code.level is level] == [r.code for r in view]


@given(networks(), st.data())
def test_the_total_is_the_levels_rows_plus_the_units_above_them(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    report = network.coverage()
    level = data.draw(st.sampled_from(_levels_below(network)))
    view = report.at_level(level)
    (total,) = view.totals
    above = [own for code, own in report.own.items() if report[code].level < level]

    for i, key in enumerate(("required", "built", "missing")):
        rows = sum(row[key] for row in view)  # type: ignore[misc]
        assert total[key] == rows + sum(own[i] for own in above)


@given(networks(), st.data())
def test_every_rendering_lists_the_total_first(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    report = network.coverage()
    level = data.draw(st.sampled_from(_levels_below(network)))
    view = report.at_level(level)
    (top,) = report.top
    buffer = io.StringIO()
    view.to_csv(buffer)

    first_csv = next(csv.DictReader(buffer.getvalue().splitlines()))
    first_text = view.to_text(labels="zh").splitlines()[2]
    first_html = view._repr_html_().split("<tbody>", 1)[1]

    assert report.to_rows()[0] == view.to_rows()[0]
    assert (top, *view) == view.rows_with_totals
    assert len(view) + 1 == len(view.to_rows())
    assert (top.code.value, top.name) == (first_csv["code"], first_csv["name"])
    assert first_text.startswith(f"{top.code.short} ")
    assert f"{top.name} 合计" in first_text
    assert f"{top.name} 合计 total" in first_html.split("</tr>", 1)[0]


@given(networks(), st.data())
def test_a_level_view_of_a_subtree_opens_with_that_units_row(
    network: ServiceNetwork, data: st.DataObject
) -> None:
    report = network.coverage()
    units = [d.code for d in network.tree if d.code.level < DivisionLevel.VILLAGE]
    unit = data.draw(st.sampled_from(units))
    level = data.draw(st.sampled_from([v for v in DivisionLevel if v > unit.level]))

    view = report.subtree(unit).at_level(level)
    (total,) = view.totals

    assert (unit, report[unit].values) == (total.code, total.values)
    assert view.at_level(level).totals == view.totals  # a view of a view keeps its total


@given(networks())
def test_views_that_start_at_a_unit_need_no_total(network: ServiceNetwork) -> None:
    report = network.coverage()
    (root,) = network.tree.roots

    assert () == report.totals
    assert () == report.subtree(root.code).totals
    assert () == report.drill_down(root.code).totals
    assert () == report.at_level(root.code.level).totals
    assert report.top == tuple(report.at_level(root.code.level))
