# mypy: disable-error-code="no-untyped-call"
# (dask and distributed are partly untyped: their calls are not checked here)
"""Reports from partitions: worked examples, the partition keys and the Dask reduction.

The tree is 临桂区 (450312) with three synthetic villages, as in test_hierarchy_reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal

import dask
import pytest
from distributed import Client, LocalCluster

from tests.property.test_hierarchy_tree import site
from tests.test_hierarchy_reports import C, paid, status, survivor, tree, veteran
from veteran_affairs.cycles import Quarter
from veteran_affairs.errors import InconsistentRecord, InvalidValue, UnknownDivision
from veteran_affairs.hierarchy import (
    DivisionTree,
    ServiceNetwork,
    assistance,
    population,
)
from veteran_affairs.hierarchy.partial import (
    PartialNote,
    PartialReport,
    coverage_partial,
    finish,
    merge,
    partial_of,
    partition_key,
    partition_of,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import EntitlementStatus, ServingMember, Survivor, Veteran
from veteran_affairs.partitions import report_partials

__all__ = ["tree"]  # the fixture, imported

ON = dt.date(2021, 1, 6)
Record = Veteran | Survivor | ServingMember


def people() -> list[Record]:
    return [
        veteran(1, "450312100201", status(C.VETERAN)),
        veteran(2, "450312101201", status(C.VETERAN), status(C.DISABLED_SERVICEMEMBER)),
        veteran(3, "450312100001"),  # no category: left out
        survivor(4, "450312100000"),
        veteran(1, "450312100201", status(C.DISABLED_SERVICEMEMBER)),  # person 1 again
        veteran(5, "440106000000", status(C.VETERAN)),  # outside the tree
    ]


def people_report(tree: DivisionTree, records: Sequence[Record]) -> PartialReport:
    return partial_of(population(tree, records, on=ON))


def test_two_parts_split_by_person_give_the_population(tree: DivisionTree) -> None:
    records = people()
    parts: list[list[Record]] = [[], []]
    for record in records:
        parts[partition_of(record, 2)].append(record)

    merged = finish(merge(people_report(tree, part) for part in parts), tree)

    single = population(tree, records, on=ON)
    assert single == merged
    top = merged["450312"]
    assert (3, 1) == (top["persons"], merged.unplaced)
    assert (2, 2) == (top[C.VETERAN.value], top[C.DISABLED_SERVICEMEMBER.value])
    assert "6 record(s) of 5 person(s) read (按身份证号合并)" in merged.notes


def test_a_person_split_across_parts_is_counted_in_each(tree: DivisionTree) -> None:
    records = people()
    apart = [records[:1], records[1:]]  # person 1's records in two parts

    merged = finish(merge(people_report(tree, part) for part in apart), tree)

    assert 4 == merged["450312"]["persons"]
    assert 3 == population(tree, records, on=ON)["450312"]["persons"]


def test_rates_are_recomputed_from_merged_counts(tree: DivisionTree) -> None:
    units = [d.code for d in tree]
    sites = [site(code) for code in units[1:4]]
    parts = [coverage_partial(tree, sites, units[i::2]) for i in range(2)]

    merged = finish(parts[0].merge(parts[1]), tree)

    assert ServiceNetwork(tree, sites).coverage() == merged
    assert 3 / 15 == merged["450312"]["rate"]
    assert all(v[3] is None for p in parts for v in p.own.values())


def test_money_is_added_exactly(tree: DivisionTree) -> None:
    cases = [
        paid("C1", 11, "450312100201", dt.date(2020, 7, 2), "0.10"),
        paid("C2", 12, "450312101201", dt.date(2020, 8, 2), "0.20"),
        paid("C3", 13, "450312100000", dt.date(2020, 9, 2), "1234567890.05"),
    ]
    period = Quarter.parse("2020Q3")

    parts = [partial_of(assistance(tree, [c], period=period)) for c in cases]

    top = finish(merge(parts), tree)["450312"]
    assert Decimal("1234567890.35") == top["amount"]
    assert assistance(tree, cases, period=period) == finish(merge(reversed(parts)), tree)


def test_notes_add_their_counts_and_keep_their_place() -> None:
    first = PartialNote.parse(2, "3 person(s) dead on 2021-01-06 left out (已去世，不计)")
    second = PartialNote.parse(2, "4 person(s) dead on 2021-01-06 left out (已去世，不计)")
    routines = PartialNote.parse(0, "routines (工作制度): symposium")

    assert (3,) == first.counts
    assert "7 person(s) dead on 2021-01-06 left out (已去世，不计)" == first.add(second).render()
    assert "routines (工作制度): dispatch-meeting, symposium" == (
        routines.add(PartialNote.parse(0, "routines (工作制度): dispatch-meeting")).render()
    )
    assert "routines (工作制度): symposium" == (
        routines.add(PartialNote.parse(0, "routines (工作制度): none")).render()
    )
    with pytest.raises(InconsistentRecord):
        first.add(PartialNote.parse(3, "3 person(s) dead on 2021-01-06 left out (已去世，不计)"))


def test_different_columns_are_named_when_refused(tree: DivisionTree) -> None:
    period = Quarter.parse("2020Q3")
    with_ytd = partial_of(assistance(tree, [], period=period))
    without = partial_of(assistance(tree, [], period=period, year_to_date=False))

    with pytest.raises(InconsistentRecord) as refused:
        with_ytd.merge(without)

    assert ("columns", "38 columns/19 columns") == (refused.value.field, refused.value.value)


def test_nothing_to_merge_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        merge([])

    assert "partials" == refused.value.field


def test_a_partition_of_units_outside_the_tree_is_refused(tree: DivisionTree) -> None:
    with pytest.raises(UnknownDivision):
        coverage_partial(tree, [], [DivisionCode("450802")])


def test_partition_keys_are_stable_and_keep_a_person_together() -> None:
    one, again = people()[0], people()[4]

    assert partition_key(one) == partition_key(again)
    assert partition_of(one, 7) == partition_of(again, 7)
    # The same number in every process (a digest, not the salted hash()).
    assert 14144681818862386248 == partition_key(DivisionCode("450312"))
    with pytest.raises(InvalidValue):
        partition_of(one, 0)
    with pytest.raises(InvalidValue):
        partition_key(EntitlementStatus(category=C.VETERAN, since=ON))


# --- Dask -----------------------------------------------------------------------------------


def population_part(records: list[Record], tree: DivisionTree, *, on: dt.date) -> PartialReport:
    return partial_of(population(tree, records, on=on))


def by_person(records: Sequence[Record], parts: int) -> list[list[Record]]:
    out: list[list[Record]] = [[] for _ in range(parts)]
    for record in records:
        out[partition_of(record, parts)].append(record)
    return out


def test_dask_reduces_the_partials_to_the_report(tree: DivisionTree) -> None:
    records = people()
    lazy = report_partials(by_person(records, 5), population_part, tree, split_every=2, on=ON)

    with dask.config.set(scheduler="synchronous"):
        merged = lazy.compute()

    assert population(tree, records, on=ON) == finish(merged, tree)


def test_report_partials_refuses_no_partitions_and_a_split_below_two(tree: DivisionTree) -> None:
    with pytest.raises(InvalidValue):
        report_partials([], population_part, tree, on=ON)
    with pytest.raises(InvalidValue):
        report_partials([[]], population_part, tree, split_every=1, on=ON)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def test_a_local_cluster_reduces_the_partials_to_the_report(
    tree: DivisionTree, client: Client
) -> None:
    records = people()
    lazy = report_partials(by_person(records, 4), population_part, tree, on=ON)

    merged = client.compute(lazy).result()

    assert population(tree, records, on=ON) == finish(merged, tree)
