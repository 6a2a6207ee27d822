"""SqliteStore.bulk_add: audit entries in input order, and deferred secondary indexes."""

from __future__ import annotations

import math
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import (
    AlreadyExists,
    Entity,
    HeldOutsideScope,
    MemoryStore,
    SqliteStore,
)
from veteran_affairs.repositories import sqlite as sqlite_module
from veteran_affairs.repositories._aggregates import aggregate_of
from veteran_affairs.testing.store_contract import (
    TickingClock,
    activity,
    assistance_case,
    plaque_household,
    report_submission,
    serving_member,
    station,
    survivor,
    veteran,
)

_POOL: list[Entity] = [
    *(veteran(n, division=f"45031210{n % 2 + 1}201") for n in range(1, 7)),
    survivor(7),
    serving_member(8),
    *(station(f"S-{n}", f"45032310{n}") for n in range(1, 5)),
    *(activity(f"A-{n}") for n in range(1, 4)),
    plaque_household("H-1"),
    assistance_case("C-1", paid=True),
    report_submission(),
    report_submission(period="2024Q4"),
]


def _indexes(path: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name"
        ).fetchall()
    finally:
        connection.close()
    return [(str(name), str(sql)) for name, sql in rows]


def _broken_keys(path: Path) -> list[tuple[object, ...]]:
    """``PRAGMA foreign_key_check``: child rows whose parent is missing (the import skips it)."""
    connection = sqlite3.connect(path)
    try:
        return [tuple(row) for row in connection.execute("PRAGMA foreign_key_check")]
    finally:
        connection.close()


def _floats(path: Path) -> list[tuple[str, str]]:
    """Every (table, column) holding a float: none should (a bound NaN must become NULL)."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            str(name)
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = []
        for table in tables:
            for column in connection.execute(f'PRAGMA table_info("{table}")'):
                name = str(column[1])
                sql = f'SELECT 1 FROM "{table}" WHERE typeof("{name}") = \'real\' LIMIT 1'
                if connection.execute(sql).fetchone() is not None:
                    found.append((table, name))
        return found
    finally:
        connection.close()


def _entries(store: SqliteStore | MemoryStore) -> list[tuple[object, ...]]:
    return [
        (e.sequence, e.entity, e.key, e.action, e.version, e.division, e.after_value())
        for e in store.audit.entries()
    ]


@settings(max_examples=40, deadline=None)
@given(
    order=st.lists(st.integers(0, len(_POOL) - 1), unique=True, max_size=len(_POOL)),
    batch=st.integers(1, 6),
    flush=st.integers(1, 8),
    parameters=st.sampled_from([5, 12, 24, 40, 999]),
    defer=st.booleans(),
    null=st.sampled_from([math.nan, None]),
)
def test_bulk_audit_entries_follow_the_input_whatever_the_batches_flushes_and_mixes(
    order: list[int], batch: int, flush: int, parameters: int, defer: bool, null: float | None
) -> None:
    records = [_POOL[i] for i in order]
    expected = MemoryStore(clock=TickingClock())
    expected.bulk_add(records, actor="import", batch_size=batch)
    saved = sqlite_module._FLUSH, sqlite_module._PARAMETERS, sqlite_module._NULL
    sqlite_module._FLUSH = flush  # flushes of one table and of several, at any boundary
    sqlite_module._PARAMETERS = parameters  # one row a statement, or several, or a rest
    sqlite_module._NULL = null  # None bound as NaN (stored as NULL), or as None
    sqlite_module._MULTI_ROW.clear()
    try:
        with tempfile.TemporaryDirectory() as folder:
            store = SqliteStore(Path(folder) / "bulk.db", clock=TickingClock())
            added = store.bulk_add(records, actor="import", batch_size=batch, defer_indexes=defer)
            assert len(records) == added
            assert _entries(expected) == _entries(store)
            assert [] == store.deferred_indexes
            assert [] == _broken_keys(store.path)
            assert [] == _floats(store.path)
            with store.unit_of_work(actor="reader") as uow:
                for record in records:
                    key = aggregate_of(record).key(record)
                    assert record == uow.read(aggregate_of(record), key).value
    finally:
        sqlite_module._FLUSH, sqlite_module._PARAMETERS, sqlite_module._NULL = saved
        sqlite_module._MULTI_ROW.clear()


def test_a_deferred_import_drops_secondary_indexes_while_it_runs_and_rebuilds_them(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "deferred.db")
    before = _indexes(store.path)
    seen: list[list[str]] = []

    store.bulk_add(
        [veteran(n) for n in range(1, 6)],
        actor="import",
        batch_size=2,
        defer_indexes=True,
        on_batch=lambda _: seen.append(store.deferred_indexes),
    )

    deferred = ["audit_log_actor", "audit_log_at", "audit_log_key"]
    deferred += ["person_statuses_category", "persons_place"]
    assert [deferred] * 3 == seen
    assert before == _indexes(store.path)
    assert [] == store.deferred_indexes
    with store.unit_of_work(actor="reader") as uow:
        assert 5 == len(list(uow.persons.summaries()))


def test_an_import_keeps_its_indexes_unless_told_or_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_module, "_DEFER_AT", 3)
    store = SqliteStore(tmp_path / "auto.db")

    def deferred_during(entities: object, **options: object) -> bool:
        seen: list[list[str]] = []
        store.bulk_add(
            entities,  # type: ignore[arg-type]
            actor="import",
            on_batch=lambda _: seen.append(store.deferred_indexes),
            **options,  # type: ignore[arg-type]
        )
        return bool(seen[0])

    assert not deferred_during([station("S-1"), station("S-2")])  # fewer than _DEFER_AT
    assert not deferred_during(station(f"S-{n}") for n in range(3, 9))  # no length
    assert deferred_during([station(f"S-{n}") for n in range(9, 17)])  # 8 ≥ 3 and ≥ 8 stored
    assert not deferred_during([station(f"S-{n}") for n in range(17, 25)])  # 8 < 16 stored
    assert deferred_during([station("S-25")], defer_indexes=True)
    assert not deferred_during([station(f"S-{n}") for n in range(26, 70)], defer_indexes=False)


def test_a_failing_deferred_import_keeps_its_batches_and_its_indexes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "failing.db")
    before = _indexes(store.path)
    records = [veteran(n) for n in range(1, 6)] + [veteran(2)]  # batch 3: a duplicate

    with pytest.raises(AlreadyExists):
        store.bulk_add(records, actor="import", batch_size=2, defer_indexes=True)

    assert before == _indexes(store.path)
    assert [] == store.deferred_indexes
    with store.unit_of_work(actor="reader") as uow:
        assert 4 == uow.persons.count()


def _leave_deferred(path: Path) -> None:
    """What a killed import leaves: the persons' place index dropped and listed."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        sqlite_module._defer(connection, ["persons"])
        connection.execute("COMMIT")
    finally:
        connection.close()


def test_opening_a_store_rebuilds_what_a_killed_import_left_unless_an_import_runs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "left.db"
    SqliteStore(path).bulk_add([veteran(1), veteran(2)], actor="import")
    before = _indexes(path)
    _leave_deferred(path)
    assert "persons_place" not in dict(_indexes(path))

    lock = sqlite_module._take_import_lock(path)  # as if an import were running
    assert lock is not None
    try:
        assert ["persons_place"] == SqliteStore(path).deferred_indexes
        assert [] == SqliteStore(path).restore_indexes()
    finally:
        sqlite_module._release(lock)

    store = SqliteStore(path)

    assert [] == store.deferred_indexes
    assert before == _indexes(path)
    with store.unit_of_work(actor="reader") as uow:
        assert 2 == uow.persons.count()


def test_an_import_while_another_defers_keeps_the_indexes(tmp_path: Path) -> None:
    path = tmp_path / "two.db"
    store = SqliteStore(path)
    lock = sqlite_module._take_import_lock(path)  # another process's deferring import
    assert lock is not None
    seen: list[list[str]] = []
    try:
        store.bulk_add(
            [veteran(1), veteran(2)],
            actor="import",
            batch_size=1,
            defer_indexes=True,
            on_batch=lambda _: seen.append(store.deferred_indexes),
        )
    finally:
        sqlite_module._release(lock)

    assert [[], []] == seen


def test_restore_indexes_rebuilds_them_for_a_long_running_service(tmp_path: Path) -> None:
    path = tmp_path / "service.db"
    store = SqliteStore(path)
    store.bulk_add([veteran(1)], actor="import")
    _leave_deferred(path)  # an importer in another process was killed

    assert ["persons_place"] == store.deferred_indexes
    assert ["persons_place"] == store.restore_indexes()
    assert [] == store.deferred_indexes
    assert [] == store.restore_indexes()


def test_rows_inserted_several_a_statement_keep_the_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_module, "_PARAMETERS", 24)  # two persons a statement, and a rest
    monkeypatch.setattr(sqlite_module, "_MULTI_ROW", {})
    records = [veteran(n) for n in (5, 9, 1, 7, 3, 8, 2)]
    store = SqliteStore(tmp_path / "order.db")

    store.bulk_add(records, actor="import")

    connection = sqlite3.connect(store.path)
    try:
        stored = [
            r[0] for r in connection.execute("SELECT resident_id FROM persons ORDER BY rowid")
        ]
    finally:
        connection.close()
    keys = [v.resident_id.unmasked for v in records]
    assert keys == stored
    assert keys == [e.key for e in store.audit.entries()]
    assert [1, 1, 1, 1, 1, 1, 1] == [e.version for e in store.audit.entries()]


def test_the_sqlite_in_use_stores_a_bound_nan_as_null() -> None:
    # The bulk import binds NaN for None only where this holds (checked at import).
    assert sqlite_module._NULL is not None
    assert math.isnan(sqlite_module._NULL)
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE TABLE t (a TEXT, b TEXT NOT NULL)")
        connection.execute("INSERT INTO t VALUES (?, ?)", (math.nan, "x"))
        assert ("null",) == connection.execute("SELECT typeof(a) FROM t").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
            connection.execute("INSERT INTO t VALUES (?, ?)", ("x", math.nan))
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("repeat_at", "stored_before"),
    [(5, False), (2_500, False), (2_500, True), (999, True)],
    ids=["same-chunk", "later-chunk", "stored-and-later-chunk", "last-of-first-chunk"],
)
def test_a_key_taken_anywhere_in_one_batch_is_named_and_nothing_of_the_batch_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repeat_at: int, stored_before: bool
) -> None:
    """A batch of several chunks names the repeated key, whether stored or written earlier.

    The batch keeps only its current chunk's keys, and a failed chunk is undone to a
    savepoint before the key is looked for: the error names the repeated record's key, never
    one that the failed chunk itself had just inserted.
    """
    monkeypatch.setattr(sqlite_module, "_FLUSH", 100)
    store = SqliteStore(tmp_path / "s.sqlite")
    first = veteran(1, division="450312101201")
    if stored_before:
        store.bulk_add([first], actor="before")
    others = [veteran(n, division="450312101201") for n in range(2, 3_000)]
    batch: list[Entity] = [*([] if stored_before else [first]), *others]
    batch.insert(repeat_at, first)
    with pytest.raises(AlreadyExists) as raised:
        store.bulk_add(batch, actor="import", batch_size=10_000)
    assert raised.value.key == first.person.resident_id.unmasked
    with store.unit_of_work(actor="check") as work:
        assert work.persons.count() == (1 if stored_before else 0)


def test_a_scoped_import_meeting_a_key_held_in_another_county_says_only_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key held outside the scope, late in a batch of several chunks: the batch is refused
    with HeldOutsideScope, which names the key (masked) and not the county holding it.
    """
    monkeypatch.setattr(sqlite_module, "_FLUSH", 100)
    store = SqliteStore(tmp_path / "s.sqlite")
    store.bulk_add([veteran(1, division="450323100201")], actor="lingchuan")  # 灵川县
    county = store.scoped(DivisionCode("450312"))  # 临桂区
    batch: list[Entity] = [veteran(n, division="450312101201") for n in range(2, 500)]
    batch.insert(350, veteran(1, division="450312101201"))

    with pytest.raises(HeldOutsideScope) as raised:
        county.bulk_add(batch, actor="import", batch_size=10_000)

    assert veteran(1).person.resident_id.unmasked == raised.value.key
    assert "450323" not in str(raised.value)
    assert veteran(1).person.resident_id.masked in str(raised.value)
    with store.unit_of_work(actor="check") as work:
        assert 1 == work.persons.count()
