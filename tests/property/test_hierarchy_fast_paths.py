"""The fast paths of the reports give what the plain, one-record-at-a-time paths give.

Plaques are counted per (unit, status) pair in batches, with numpy's ``bincount`` when numpy
is importable and ``collections.Counter`` otherwise; the population report merges records
by identity number only where a number repeats. Each is held to the plain path here, with
numpy forced on for small inputs and forced off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import re
from collections import Counter
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.test_hierarchy_reports import (
    People,
    at,
    places,
    plaque_statuses,
    records,
    trees,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy import DivisionTree, _rollup, plaques_from_statuses, population

_plaques = importlib.import_module("veteran_affairs.hierarchy.plaques")
_population = importlib.import_module("veteran_affairs.hierarchy.population_report")
HAS_NUMPY = _rollup._np is not None
report_dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))


@contextlib.contextmanager
def counting(*, numpy: bool) -> Iterator[None]:
    """Count with numpy even for a handful of records, or without numpy at all."""
    saved = _rollup._np, _rollup._NUMPY_FROM
    if numpy:
        _rollup._NUMPY_FROM = 0
    else:
        _rollup._np = None
    try:
        yield
    finally:
        _rollup._np, _rollup._NUMPY_FROM = saved


pair_lists = st.integers(1, 6).flatmap(
    lambda size: st.tuples(
        st.just(size),
        st.lists(
            st.tuples(st.sampled_from(["450312", "450312100", "45"]), st.integers(0, size - 1))
        ),
    )
)


@pytest.mark.skipif(not HAS_NUMPY, reason="numpy (the batch extra) is not installed")
@given(pair_lists)
def test_numpy_counts_the_pairs_counter_counts(case: tuple[int, list[tuple[str, int]]]) -> None:
    size, pairs = case
    codes = [code for code, _ in pairs]
    keys = [key for _, key in pairs]

    with counting(numpy=True):
        counted = _rollup.count_pairs(codes, keys, size)

    assert dict(Counter(pairs)) == counted


@pytest.mark.parametrize("numpy", [True, False] if HAS_NUMPY else [False])
@given(st.data())
def test_the_plaque_report_equals_the_one_counted_household_by_household(
    numpy: bool, data: st.DataObject
) -> None:
    tree = data.draw(trees())
    statuses = data.draw(plaque_statuses(tree))
    on = data.draw(report_dates)
    plain = _plaques._report(tree, _plaques._counted_one_by_one(statuses), on=on)

    with counting(numpy=numpy):
        fast = plaques_from_statuses(tree, statuses, on=on)
        streamed = plaques_from_statuses(tree, iter(statuses), on=on)

    assert plain == fast
    assert plain.own == fast.own
    assert plain == streamed


def read(found: tuple[dict[int, list[str]], int, int]) -> tuple[dict[int, Counter[str]], int, int]:
    """A read of the records, the order of the codes under each mask left out."""
    by_mask, records_read, dead = found
    return {mask: Counter(codes) for mask, codes in by_mask.items()}, records_read, dead


@st.composite
def with_repeats(draw: st.DrawFn, tree: DivisionTree) -> list[People]:
    """Records where some persons appear again: with part of their statuses, or elsewhere."""
    found = draw(st.lists(records(tree), max_size=6))
    again: list[People] = []
    for record in draw(st.lists(st.sampled_from(found), max_size=3)) if found else []:
        kept = draw(st.integers(0, len(record.statuses)))
        again.append(attrs.evolve(record, statuses=record.statuses[:kept]))
        if draw(st.booleans()):
            again.append(at(record, draw(places(tree))))
    return draw(st.permutations([*found, *again]))


@given(st.data())
def test_merging_only_repeated_numbers_reads_what_merging_every_record_reads(
    data: st.DataObject,
) -> None:
    tree = data.draw(trees())
    people = data.draw(with_repeats(tree))
    on = data.draw(report_dates)

    try:
        plain = read(_population._each_person(people, on))
    except InconsistentRecord as error:
        with pytest.raises(InconsistentRecord, match=re.escape(str(error))):
            _population._merged(people, on)
        return
    assert plain == read(_population._merged(people, on))
    assert plain == read(_population._merged(iter(people), on))
    assert population(tree, people, on=on) == population(tree, iter(people), on=on)
