"""Reports from partitions: any partitioning, merged in any order and grouping, gives the report.

Records (persons, household statuses, cases, compliance rows) or units (coverage, offices) are
assigned to ``k`` parts at random — empty parts allowed, a person's records in one part where
the report counts distinct persons — each part's partial is built on the same tree, and the
partials are merged in a random order and a random grouping. The finished report must equal
the single-process report: rows, figures, rates, notes, ``unplaced`` and own figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.test_hierarchy_reports import (
    AS_OF,
    People,
    case_lists,
    compliance_rows,
    people,
    plaque_statuses,
    report_dates,
    trees,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy import (
    DivisionTree,
    Report,
    ServiceNetwork,
    StationPolicy,
    assistance,
    compliance_summary,
    plaques_from_statuses,
    population,
)
from veteran_affairs.hierarchy.partial import (
    PartialReport,
    coverage_partial,
    finish,
    merge,
    offices_partial,
    partial_of,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import ServiceStation, StationKind
from veteran_affairs.testing import strategies as vas

T = TypeVar("T")


# --- partitionings and merge orders ---------------------------------------------------------


@st.composite
def split(draw: st.DrawFn, items: Sequence[T], key: Callable[[T], Hashable] = id) -> list[list[T]]:
    """``items`` in ``k`` parts (1–5, empty parts allowed), items of one ``key`` together."""
    parts = draw(st.integers(1, 5))
    keys = list(dict.fromkeys(key(item) for item in items))
    drawn = draw(st.lists(st.integers(0, parts - 1), min_size=len(keys), max_size=len(keys)))
    where = dict(zip(keys, drawn, strict=True))
    out: list[list[T]] = [[] for _ in range(parts)]
    for item in items:
        out[where[key(item)]].append(item)
    return out


def merged_anyhow(data: st.DataObject, partials: list[PartialReport]) -> PartialReport:
    """The partials merged in a random order and a random grouping, with either API."""
    shuffled = data.draw(st.permutations(partials))

    def grouped(chunk: Sequence[PartialReport]) -> PartialReport:
        if len(chunk) == 1:
            return chunk[0]
        cut = data.draw(st.integers(1, len(chunk) - 1))
        left, right = grouped(chunk[:cut]), grouped(chunk[cut:])
        return left.merge(right) if data.draw(st.booleans()) else merge([left, right])

    return grouped(shuffled)


def assert_same_report(single: Report, merged: PartialReport, tree: DivisionTree) -> None:
    finished = finish(merged, tree)

    assert single == finished  # kind, titles, columns, rows (figures, rates), notes, unplaced
    assert single.own == finished.own
    assert partial_of(single) == merged


def rid_of(record: People) -> str:
    return record.person.resident_id.unmasked


# --- records split: population, plaques, assistance, compliance -----------------------------


@st.composite
def people_with_repeats(draw: st.DrawFn, tree: DivisionTree) -> list[People]:
    """Distinct persons, some of them given twice (a second record with some of the statuses)."""
    found = draw(people(tree))
    twice = draw(st.lists(st.sampled_from(found), max_size=3)) if found else []
    again = [
        attrs.evolve(record, statuses=record.statuses[: draw(st.integers(0, 2))])
        for record in twice
    ]
    return draw(st.permutations([*found, *again]))


@given(st.data())
def test_population_of_parts_is_the_population(data: st.DataObject) -> None:
    tree = data.draw(trees())
    merge_records = data.draw(st.booleans())
    if merge_records:  # a person's records, some given twice, in one part
        records_ = data.draw(people_with_repeats(tree))
        parts = data.draw(split(records_, rid_of))
    else:  # one record a person: any split
        records_ = data.draw(people(tree))
        parts = data.draw(split(records_))
    on = data.draw(report_dates)

    partials = [
        partial_of(population(tree, part, on=on, merge_records=merge_records)) for part in parts
    ]

    single = population(tree, records_, on=on, merge_records=merge_records)
    assert_same_report(single, merged_anyhow(data, partials), tree)


@given(st.data())
def test_plaques_of_parts_are_the_plaques(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found = data.draw(plaque_statuses(tree))
    on = dt.date(2022, 3, 1)
    parts = data.draw(split(found))

    partials = [partial_of(plaques_from_statuses(tree, part, on=on)) for part in parts]

    assert_same_report(
        plaques_from_statuses(tree, found, on=on), merged_anyhow(data, partials), tree
    )


@given(st.data())
def test_assistance_of_parts_is_the_assistance(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found, period = data.draw(case_lists(tree))
    ytd = data.draw(st.booleans())
    parts = data.draw(split(found, lambda c: c.applicant.unmasked))  # an applicant in one part

    partials = [
        partial_of(assistance(tree, part, period=period, year_to_date=ytd)) for part in parts
    ]

    single = assistance(tree, found, period=period, year_to_date=ytd)
    assert_same_report(single, merged_anyhow(data, partials), tree)


@given(st.data())
def test_assistance_split_by_case_differs_at_most_in_persons(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found, period = data.draw(case_lists(tree))
    parts = data.draw(split(found))  # an applicant's cases may be apart

    merged = finish(
        merge(partial_of(assistance(tree, part, period=period)) for part in parts), tree
    )

    single = assistance(tree, found, period=period)
    persons = {i for i, c in enumerate(single.columns) if c.key.startswith("persons")}
    for mine, theirs in zip(single.rows, merged.rows, strict=True):
        for i, (a, b) in enumerate(zip(mine.values, theirs.values, strict=True)):
            if i in persons:
                assert a <= b  # type: ignore[operator]  # counted again in each part
            else:
                assert a == b


@given(st.data())
def test_compliance_of_parts_is_the_compliance(data: st.DataObject) -> None:
    tree = data.draw(trees())
    rows = data.draw(compliance_rows(tree))
    cycle = data.draw(st.none() | st.just("symposium"))
    parts = data.draw(split(rows))

    partials = [
        partial_of(compliance_summary(tree, part, as_of=AS_OF, cycle=cycle)) for part in parts
    ]

    single = compliance_summary(tree, rows, as_of=AS_OF, cycle=cycle)
    assert_same_report(single, merged_anyhow(data, partials), tree)


# --- units split: coverage and offices ------------------------------------------------------


@st.composite
def sites(draw: st.DrawFn, tree: DivisionTree) -> list[ServiceStation]:
    """Sites at some units: up to one centre or station per unit, and extension stations."""
    codes = [d.code for d in tree]
    drawn = [
        draw(vas.service_stations(divisions=st.just(code)))
        for code in draw(st.lists(st.sampled_from(codes), max_size=10))
    ]
    main: dict[str, ServiceStation] = {}
    for site in drawn:
        if site.kind is not StationKind.EXTENSION:
            main.setdefault(site.division.value, site)
    found = [*main.values(), *(s for s in drawn if s.kind is StationKind.EXTENSION)]
    return [attrs.evolve(s, station_id=f"S{i}") for i, s in enumerate(found)]


policies = st.builds(
    StationPolicy, include_township_like=st.booleans(), include_extensions=st.booleans()
)


@given(st.data())
def test_coverage_of_unit_parts_is_the_coverage(data: st.DataObject) -> None:
    tree = data.draw(trees())
    stations = data.draw(sites(tree))
    policy = data.draw(policies)
    parts = data.draw(split([d.code for d in tree]))

    partials = [
        coverage_partial(tree, stations, part, as_of=AS_OF, policy=policy) for part in parts
    ]

    single = ServiceNetwork(tree, stations, policy=policy).coverage(as_of=AS_OF)
    assert_same_report(single, merged_anyhow(data, partials), tree)


@given(st.data())
def test_offices_of_unit_parts_are_the_offices(data: st.DataObject) -> None:
    tree = data.draw(trees())
    stations = data.draw(sites(tree))
    parts = data.draw(split([d.code for d in tree]))
    # Each part is given only its own sites, as a worker would be.
    partials = [
        offices_partial(tree, [s for s in stations if s.division in part], part) for part in parts
    ]

    single = ServiceNetwork(tree, stations).offices()
    assert_same_report(single, merged_anyhow(data, partials), tree)


# --- the laws of merge ----------------------------------------------------------------------


@st.composite
def assistance_partials(draw: st.DrawFn) -> tuple[PartialReport, PartialReport, PartialReport]:
    """Three partials of one assistance report (counts and ``Decimal`` amounts)."""
    tree = draw(trees())
    found, period = draw(case_lists(tree))
    made = [partial_of(assistance(tree, part, period=period)) for part in draw(split(found))]
    made += [partial_of(assistance(tree, [], period=period))] * 2
    return made[0], made[1], made[2]


@given(assistance_partials())
def test_merge_is_associative_and_commutative(
    partials: tuple[PartialReport, PartialReport, PartialReport],
) -> None:
    a, b, c = partials

    assert a.merge(b).merge(c) == a.merge(b.merge(c))
    assert a.merge(b) == b.merge(a)
    assert merge([a, b, c]) == merge([c, a, b])


@given(assistance_partials())
def test_the_empty_partial_is_the_identity(
    partials: tuple[PartialReport, PartialReport, PartialReport],
) -> None:
    a = partials[0]

    assert a == a.merge(a.empty())
    assert a == a.empty().merge(a)
    assert a.empty() == merge([a.empty(), a.empty()])


@given(st.data())
def test_partials_of_different_reports_do_not_merge(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found = data.draw(plaque_statuses(tree))
    rows = data.draw(compliance_rows(tree))
    routines = partial_of(compliance_summary(tree, rows, as_of=dt.date(2025, 7, 1)))
    plaques_ = partial_of(plaques_from_statuses(tree, found, on=dt.date(2025, 7, 1)))
    later = partial_of(plaques_from_statuses(tree, found, on=dt.date(2025, 7, 2)))

    with pytest.raises(InconsistentRecord) as kinds:
        routines.merge(plaques_)
    with pytest.raises(InconsistentRecord) as dates:
        merge([plaques_, plaques_, later])

    assert ("kind", "activity-compliance/plaques") == (kinds.value.field, kinds.value.value)
    assert ("as_of", "2025-07-01/2025-07-02") == (dates.value.field, dates.value.value)


def test_a_partition_of_units_outside_the_tree_is_refused() -> None:
    tree = DivisionTree.bundled("45").restrict("450312")

    with pytest.raises(LookupError):
        coverage_partial(tree, [], [DivisionCode("450802")])
