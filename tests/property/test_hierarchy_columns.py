"""The columnar reports give what the object reports give (``hierarchy.columns``).

Persons and plaque statuses read once into numpy columns, then reported from them: the
report equals the one built from the objects — the same rows, figures, notes, date and
``unplaced`` — for random populations, with and without repeated records, in any order, on
the tree the columns were read for, on a subtree of it and on a larger tree.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.test_hierarchy_fast_paths import with_repeats
from tests.property.test_hierarchy_reports import (
    _BUNDLED,
    inside,
    people,
    plaque_statuses,
    report_dates,
    trees,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy import (
    DivisionTree,
    Report,
    plaque_columns,
    plaques_from_columns,
    plaques_from_statuses,
    population,
    population_columns,
    population_from_columns,
)

pytest.importorskip("numpy", reason="the columnar reports need numpy (the batch extra)")


def assert_same_report(expected: Report, actual: Report) -> None:
    assert expected == actual
    assert expected.own == actual.own


# --- population ------------------------------------------------------------------------------


@given(st.data(), st.booleans())
def test_population_from_columns_is_the_population_report(
    data: st.DataObject, merge_records: bool
) -> None:
    tree = data.draw(trees())
    records = data.draw(people(tree))
    on = data.draw(report_dates)

    columns = population_columns(tree, records, on=on, merge_records=merge_records)
    shuffled = population_columns(
        tree, data.draw(st.permutations(records)), on=on, merge_records=merge_records
    )

    expected = population(tree, records, on=on, merge_records=merge_records)
    assert_same_report(expected, population_from_columns(tree, columns))
    assert_same_report(expected, population_from_columns(tree, shuffled))


@given(st.data())
def test_population_from_columns_merges_repeated_records_as_population_does(
    data: st.DataObject,
) -> None:
    tree = data.draw(trees())
    records = data.draw(with_repeats(tree))
    on = data.draw(report_dates)

    try:
        expected = population(tree, records, on=on)
    except InconsistentRecord as error:
        with pytest.raises(InconsistentRecord, match=re.escape(str(error))):
            population_columns(tree, records, on=on)
        return
    columns = population_columns(tree, records, on=on)
    assert_same_report(expected, population_from_columns(tree, columns))
    assert columns.records == len(records)


@given(st.data())
def test_a_subtree_report_from_columns_is_the_restriction_of_the_full_one(
    data: st.DataObject,
) -> None:
    tree = data.draw(trees())
    records = data.draw(people(tree))
    on = data.draw(report_dates)
    code = data.draw(st.sampled_from([d.code for d in tree]))
    columns = population_columns(tree, records, on=on)

    part = population_from_columns(tree.restrict(code), columns)

    full = population(tree, records, on=on).subtree(code)
    assert full.rows == part.rows
    assert full.own == part.own
    alone = population(
        tree.restrict(code), [r for r in records if inside(code, r.person.hukou_division)], on=on
    )
    assert alone.rows == part.rows


@given(st.data())
def test_columns_read_for_a_subtree_place_their_codes_on_any_tree(data: st.DataObject) -> None:
    tree = data.draw(trees())
    records = data.draw(people(tree))
    on = data.draw(report_dates)
    code = data.draw(st.sampled_from([d.code for d in tree]))
    columns = population_columns(tree.restrict(code), records, on=on)
    province = DivisionTree([*_BUNDLED, *tree])

    assert_same_report(population(tree, records, on=on), population_from_columns(tree, columns))
    assert_same_report(
        population(province, records, on=on), population_from_columns(province, columns)
    )


# --- plaques ---------------------------------------------------------------------------------


@given(st.data())
def test_plaques_from_columns_is_the_plaque_report(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found = data.draw(plaque_statuses(tree))
    on = data.draw(report_dates)

    columns = plaque_columns(tree, found, on=on)
    shuffled = plaque_columns(tree, iter(data.draw(st.permutations(found))), on=on)

    expected = plaques_from_statuses(tree, found, on=on)
    assert_same_report(expected, plaques_from_columns(tree, columns))
    assert_same_report(expected, plaques_from_columns(tree, shuffled))


@given(st.data())
def test_a_subtree_plaque_report_from_columns_is_the_restriction(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found = data.draw(plaque_statuses(tree))
    on = data.draw(report_dates)
    code = data.draw(st.sampled_from([d.code for d in tree]))

    part = plaques_from_columns(tree.restrict(code), plaque_columns(tree, found, on=on))

    full = plaques_from_statuses(tree, found, on=on).subtree(code)
    assert full.rows == part.rows
    assert full.own == part.own
