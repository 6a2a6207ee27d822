"""import_rosters: streamed rosters into a store, all or nothing, re-import with versions."""

from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionLevel
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import AuditAction, MemoryStore, SqliteStore, Store
from veteran_affairs.rosters import (
    ImportProgress,
    ImportResult,
    RosterRow,
    import_rosters,
    iter_roster,
    read_roster,
    roster_cells,
    synthetic_roster,
    write_table,
)

ACTOR = "test import"


def roster(folder: Path, n: int, *, errors: int = 0, seed: int = 7, name: str = "r.csv") -> Path:
    header, rows, _ = synthetic_roster(n, seed=seed, errors=errors)
    path = folder / name
    write_table(path, header, rows)
    return path


def planted(n: int, *, errors: int, seed: int = 7) -> set[int]:
    return set(synthetic_roster(n, seed=seed, errors=errors)[2])


def run(store: Store, *paths: Path, **options: object) -> ImportResult:
    streams = [iter_roster(path) for path in paths]
    try:
        return import_rosters(store, streams, actor=ACTOR, **options)  # type: ignore[arg-type]
    finally:
        for stream in streams:
            stream.close()


def persons(store: Store) -> list[Veteran]:
    with store.unit_of_work(actor="check") as work:
        return [p for p in work.persons.find() if isinstance(p, Veteran)]


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return MemoryStore()
    return SqliteStore(tmp_path / "store.sqlite")


def test_a_clean_roster_is_added_whole_with_an_audit_entry_per_person(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 40)

    result = run(store, path)

    assert result.ok
    assert (40, 40, 0) == (result.rows_read, result.added, result.rejected)
    assert 40 == len(persons(store))
    entries = list(store.audit.entries())
    assert 40 == len(entries)
    assert {AuditAction.ADDED} == {e.action for e in entries}


def test_a_bad_row_writes_nothing_and_every_bad_row_is_reported(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 60, errors=6)

    result = run(store, path)

    assert not result.written
    assert not result.ok
    assert 0 == result.added
    assert planted(60, errors=6) == {r.row for r in result.sources[0].rejects}
    assert [] == persons(store)
    assert [] == list(store.audit.entries())


def test_skip_invalid_adds_the_valid_rows_and_keeps_the_rejects(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 60, errors=6)

    result = run(store, path, skip_invalid=True)

    assert result.written
    assert (54, 6) == (result.added, result.rejected)
    assert 54 == len(persons(store))
    assert planted(60, errors=6) == {r.row for r in result.sources[0].rejects}


def test_a_person_already_stored_is_a_rejected_row_without_update(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 10)
    run(store, path)

    again = run(store, path)

    assert not again.written
    assert 10 == again.rejected
    reasons = {e.reason for e in again.errors}
    assert {"already in the store (use --update to correct it)"} == reasons
    assert 10 == len(list(store.audit.entries()))


def _corrected(path: Path, folder: Path, *, rows: set[int], phone: str) -> Path:
    """``path`` with the 联系电话 of the given data rows (2 = first) changed."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    at = table[0].index("联系电话")
    for number in rows:
        table[number - 1][at] = phone
    out = folder / "corrected.csv"
    write_table(out, table[0], table[1:])
    return out


def test_update_changes_the_corrected_rows_only_and_audits_them_as_updates(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 12)
    run(store, path)
    corrected = _corrected(path, tmp_path, rows={3, 7}, phone="0771-5550000")

    result = run(store, corrected, update=True)

    assert result.ok
    assert (0, 2, 10) == (result.added, result.updated, result.unchanged)
    updates = [e for e in store.audit.entries() if e.action is AuditAction.UPDATED]
    assert 2 == len(updates)
    changed = [v for v in persons(store) if v.person.phone == "0771-5550000"]
    assert 2 == len(changed)
    with store.unit_of_work(actor="check") as work:
        versions = {work.persons.read(v.person.resident_id).version for v in changed}
    assert {2} == versions


def test_update_adds_the_rows_the_store_lacks(store: Store, tmp_path: Path) -> None:
    first = roster(tmp_path, 5, seed=1, name="a.csv")
    both = roster(tmp_path, 9, seed=1, name="b.csv")  # the same five, and four more
    run(store, first)

    result = run(store, both, update=True)

    assert (4, 0, 5) == (result.added, result.updated, result.unchanged)
    assert 9 == len(persons(store))


def _with_versions(path: Path, folder: Path, versions: dict[int, str]) -> Path:
    with path.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    table[0].append("版本")
    for number, row in enumerate(table[1:], start=2):
        row.append(versions.get(number, ""))
    out = folder / "versioned.csv"
    write_table(out, table[0], table[1:])
    return out


def test_a_version_column_refuses_a_row_changed_in_the_store_since(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 4)
    run(store, path)
    run(store, _corrected(path, tmp_path, rows={2}, phone="0771-5551111"), update=True)
    # The office's copy was exported at version 1; row 2 has since become version 2.
    stale = _with_versions(
        _corrected(path, tmp_path, rows={2, 3}, phone="0771-5552222"),
        tmp_path,
        {2: "1", 3: "1", 4: "x"},
    )

    result = run(store, stale, update=True, skip_invalid=True)

    rejects = {r.row: r.errors[0] for r in result.sources[0].rejects}
    assert {2, 4} == set(rejects)
    assert "now version 2" in rejects[2].reason
    assert "版本" == rejects[2].column
    assert "1" == rejects[2].value
    assert "x" == rejects[4].value
    assert (1, 1) == (result.updated, result.unchanged)


def test_a_scoped_store_rejects_rows_of_other_units(tmp_path: Path) -> None:
    path = roster(tmp_path, 30)
    rows = [r for r in iter_roster(path) if isinstance(r, RosterRow)]
    first = rows[0].record
    assert isinstance(first, Veteran)
    inside = first.person.hukou_division.truncate(DivisionLevel.COUNTY)
    scoped = MemoryStore().scoped(inside)
    expected = len(
        [
            r
            for r in rows
            if isinstance(r.record, Veteran) and inside.contains(r.record.person.hukou_division)
        ]
    )

    result = run(scoped, path, skip_invalid=True)

    assert expected == result.added
    assert 30 - expected == result.rejected
    assert all("outside the store's unit" in e.reason for e in result.errors)


def test_progress_is_reported_as_rows_are_read_and_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veteran_affairs.rosters import _load

    monkeypatch.setattr(_load, "PROGRESS_EVERY", 10)
    path = roster(tmp_path, 35, errors=3)
    seen: list[ImportProgress] = []

    run(MemoryStore(), path, skip_invalid=True, on_progress=seen.append)

    assert [10, 20, 30, 35] == [p.rows_read for p in seen]
    assert [False, False, False, True] == [p.done for p in seen]
    assert (32, 3) == (seen[-1].accepted, seen[-1].rejected)


def test_several_rosters_go_in_one_transaction(tmp_path: Path) -> None:
    good = roster(tmp_path, 10, seed=1, name="good.csv")
    bad = roster(tmp_path, 10, seed=2, errors=2, name="bad.csv")
    store = SqliteStore(tmp_path / "s.sqlite")

    result = run(store, good, bad)

    assert not result.written
    assert [10, 10] == [s.rows_read for s in result.sources]
    assert [0, 2] == [len(s.rejects) for s in result.sources]
    assert [] == persons(store)  # the good file's rows were not kept either


def test_an_unusable_header_writes_nothing_and_reads_no_row(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    write_table(path, ["姓名", "备注"], [["合成甲", ""]])
    store = MemoryStore()

    result = run(store, path, skip_invalid=True)

    assert not result.written
    assert result.sources[0].header_unusable
    assert 0 == result.rows_read
    assert [] == persons(store)


def test_an_import_streams_so_its_peak_memory_does_not_grow_with_the_roster(
    tmp_path: Path,
) -> None:
    small = roster(tmp_path, 1_000, seed=3, name="small.csv")
    large = roster(tmp_path, 10_000, seed=3, name="large.csv")

    def peak(path: Path, name: str) -> int:
        store = SqliteStore(tmp_path / name)
        tracemalloc.start()
        try:
            run(store, path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def whole_file(path: Path) -> int:
        tracemalloc.start()
        try:
            result = read_roster(path)
            assert result.ok
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    per_row = (peak(large, "large.sqlite") - peak(small, "small.sqlite")) / 9_000
    held = (whole_file(large) - whole_file(small)) / 9_000
    # What grows while streaming is the set of keys seen (the in-file duplicate check) and
    # the store's cache of date texts; a reader holding the whole file's records grows by
    # their size (about 2 KB a row here, against about 0.4 KB).
    assert per_row < held / 2, (per_row, held)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n=st.integers(min_value=1, max_value=25),
    errors=st.integers(min_value=0, max_value=24),
    skip=st.booleans(),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_rows_read_are_added_or_rejected_and_the_store_holds_exactly_the_added(
    tmp_path_factory: pytest.TempPathFactory, n: int, errors: int, skip: bool, seed: int
) -> None:
    errors = min(errors, n - 1)
    folder = tmp_path_factory.mktemp("p")
    path = roster(folder, n, errors=errors, seed=seed)
    store = MemoryStore()

    result = run(store, path, skip_invalid=skip)

    assert result.rows_read == n
    assert sum(s.accepted for s in result.sources) + result.rejected == n
    stored = persons(store)
    assert len(stored) == result.added
    if errors and not skip:
        assert (0, False) == (result.added, result.written)
    else:
        assert result.added == n - errors
    again = {tuple(roster_cells(v, personal=True)) for v in stored}
    assert len(again) == len(stored)


def test_an_update_that_changes_nothing_goes_through_without_an_audit_entry(
    store: Store, tmp_path: Path
) -> None:
    path = roster(tmp_path, 6)
    run(store, path)

    result = run(store, path, update=True)

    assert result.ok
    assert result.written
    assert (0, 0, 6) == (result.added, result.updated, result.unchanged)
    assert 6 == len(list(store.audit.entries()))  # the additions only
