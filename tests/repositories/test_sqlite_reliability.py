"""SqliteStore under real failures: a killed importer, two connections, old and new schemas."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from veteran_affairs.errors import InvalidAmount
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Circumstances,
    Disability,
    DisabilityNature,
    EntitlementCategory,
    Sanction,
    SanctionKind,
    Survivor,
    Veteran,
)
from veteran_affairs.repositories import (
    ConcurrencyError,
    IncompatibleSchema,
    SqliteStore,
    StoreBusy,
)
from veteran_affairs.repositories._aggregates import converter
from veteran_affairs.repositories._mappers import person_detail
from veteran_affairs.repositories._schema import LATEST, migrate
from veteran_affairs.repositories.sqlite import _write_added
from veteran_affairs.testing.store_contract import (
    TickingClock,
    activity,
    assistance_case,
    report_submission,
    station,
    survivor,
    veteran,
)

BATCH = 2_000

_CHILD = textwrap.dedent(
    """
    import datetime as dt
    import sys
    import time

    from veteran_affairs.repositories import SqliteStore
    from veteran_affairs.testing.store_contract import veteran

    path, batch, stop_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    defer = sys.argv[4] == "defer"

    def records():
        for number in range(10 * batch):
            if number == stop_at:
                # Half-way through a batch: its transaction is open and rows are written.
                print("mid-batch", flush=True)
                time.sleep(60)
            born = dt.date(1960, 1, 1) + dt.timedelta(days=number // 1000)
            yield veteran(
                number % 1000,
                division=f"45031210{number // 1000:04d}",
                born=born.strftime("%Y%m%d"),
            )

    SqliteStore(path).bulk_add(
        records(), actor="import", batch_size=batch, defer_indexes=defer
    )
    """
)


def _indexes(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        )
        return [str(name) for (name,) in rows]
    finally:
        connection.close()


@pytest.mark.parametrize("defer", ["keep", "defer"])
def test_a_killed_bulk_import_keeps_every_committed_batch_and_nothing_of_the_open_one(
    tmp_path: Path, defer: str
) -> None:
    path = tmp_path / "import.db"
    indexes = _indexes(SqliteStore(path).path)
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    stop_at = 2 * BATCH + BATCH // 2 + 500  # batch 3, after two flushes of 1,000
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(BATCH), str(stop_at), defer],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        assert "mid-batch" == child.stdout.readline().strip()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()

    assert -signal.SIGKILL == child.returncode
    connection = sqlite3.connect(path)
    try:
        assert [("ok",)] == connection.execute("PRAGMA integrity_check").fetchall()
        assert [] == connection.execute("PRAGMA foreign_key_check").fetchall()
        stored = connection.execute("SELECT COUNT(*) FROM persons").fetchone()[0]
        audited = connection.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        divisions = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT hukou_division FROM persons ORDER BY hukou_division"
            )
        ]
    finally:
        connection.close()
    assert (2 * BATCH, 2 * BATCH) == (stored, audited)
    assert [f"45031210{n:04d}" for n in range(2 * BATCH // 1000)] == divisions
    if defer == "defer":  # the killed import left its indexes dropped, and listed
        left = ["audit_log_actor", "audit_log_at", "audit_log_key"]
        left += ["person_statuses_category", "persons_place"]
        assert sorted(set(indexes) - set(left)) == _indexes(path)
    else:
        assert indexes == _indexes(path)
    store = SqliteStore(path)  # opening rebuilds them: no import holds the lock any more
    assert ([], indexes) == (store.deferred_indexes, _indexes(path))
    with store.unit_of_work(actor="reader") as uow:
        assert 2 * BATCH == uow.persons.count(within=DivisionCode("450312"))
        last = veteran(999, division="450312100003", born="19600104")
        assert last == uow.persons.get(last.resident_id)


def test_two_connections_updating_one_record_the_second_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    first, second = SqliteStore(path), SqliteStore(path)
    record = station("S-1")
    first.bulk_add([record], actor="import")

    with (
        first.unit_of_work(actor="clerk-1") as one,
        second.unit_of_work(actor="clerk-2") as two,
    ):
        read_one = one.stations.read("S-1")
        read_two = two.stations.read("S-1")
        one.stations.update(attrs.evolve(record, staff=5), version=read_one.version)
        one.commit()
        with pytest.raises(ConcurrencyError) as raised:
            two.stations.update(attrs.evolve(record, staff=9), version=read_two.version)
        two.commit()

    with SqliteStore(path).unit_of_work(actor="reader") as uow:
        assert 5 == uow.stations.get("S-1").staff
    assert (1, 2) == (raised.value.expected, raised.value.actual)


def test_threads_on_two_stores_of_one_file_lose_no_committed_update(tmp_path: Path) -> None:
    """8 threads × 300 read-update-commit cycles, half through each of two stores of a file."""
    path = tmp_path / "shared.db"
    stores = [SqliteStore(path, timeout=60), SqliteStore(path, timeout=60)]
    stores[0].bulk_add([station("S-1")], actor="import")
    committed = [0] * 8
    start = threading.Barrier(8)

    def clerk(n: int) -> None:
        store = stores[n % 2]
        start.wait()
        for _ in range(300):
            with store.unit_of_work(actor=f"clerk-{n}") as uow:
                found = uow.stations.read("S-1")
                changed = attrs.evolve(found.value, staff=found.value.staff + 1)
                try:
                    uow.stations.update(changed, version=found.version)
                    uow.commit()
                except ConcurrencyError:
                    continue
            committed[n] += 1

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with SqliteStore(path).unit_of_work(actor="reader") as uow:
        found = uow.stations.read("S-1")
    assert (1 + sum(committed), 2 + sum(committed)) == (found.version, found.value.staff)
    assert 1 + sum(committed) == stores[1].audit.count()


def test_a_version_1_database_is_migrated_forward_keeping_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, to=1)
    connection.execute(
        "INSERT INTO activities (activity_id, kind, unit, held_on, participants, topic, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("A-1", "home-visit", "450312101000", "2020-05-01", 0, None, 1),
    )
    connection.close()

    store = SqliteStore(path)

    assert LATEST == store.schema_version
    with store.unit_of_work(actor="reader") as uow:
        old = uow.activities.get("A-1")
        uow.activities.add(activity("A-2", for_period="2025-03"))
        uow.commit()
        assert (None, ["A-2"]) == (
            old.for_period,
            [a.activity_id for a in uow.activities.find(for_period="2025-03")],
        )


def test_a_database_from_a_newer_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SqliteStore(path)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    connection.close()

    with pytest.raises(IncompatibleSchema, match=f"version {LATEST + 1}"):
        SqliteStore(path)


def test_the_audit_log_table_refuses_changes_even_in_sql(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "audit.db", clock=TickingClock())
    store.bulk_add([station("S-1")], actor="import")
    connection = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM audit_log")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE audit_log SET actor = 'someone else'")
    finally:
        connection.close()
    assert ["import"] == [e.actor for e in store.audit.entries()]


def test_money_is_kept_as_whole_fen_and_a_fraction_of_a_fen_is_refused(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "money.db")
    paid = assistance_case("C-1", paid=True)
    # The model refuses a fraction of a fen too; the store must not rely on it.
    with attrs.validators.disabled():
        sub_fen = attrs.evolve(assistance_case("C-2"), requested_amount=Decimal("10.005"))

    store.bulk_add([paid], actor="import")
    with store.unit_of_work(actor="clerk") as uow:
        with pytest.raises(InvalidAmount, match="fen"):
            uow.cases.add(sub_fen)
        uow.commit()
    connection = sqlite3.connect(store.path)
    try:
        fen = connection.execute("SELECT approved_fen FROM cases").fetchall()
    finally:
        connection.close()

    assert [(300050,)] == fen
    with store.unit_of_work(actor="reader") as uow:
        assert paid == uow.cases.get("C-1")
        assert 1 == uow.cases.count()


def test_a_file_store_uses_write_ahead_logging_and_foreign_keys(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "wal.db")
    connection = sqlite3.connect(store.path)
    try:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()
    with store.unit_of_work(actor="reader") as uow:
        keys = uow._db.execute("PRAGMA foreign_keys").fetchone()[0]

    assert ("wal", 1) == (mode, keys)


def test_audit_times_are_stored_in_utc_whatever_the_clock_zone(tmp_path: Path) -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    store = SqliteStore(
        tmp_path / "tz.db", clock=lambda: dt.datetime(2025, 1, 6, 17, 0, tzinfo=beijing)
    )
    store.bulk_add([station("S-1")], actor="import")

    assert [dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)] == [e.at for e in store.audit.entries()]


def _legacy_detail(value: Veteran | Survivor) -> str:
    """``detail`` as schema version 2 wrote it: cattrs dictionaries of the nested parts."""
    document = converter().unstructure(value)
    parts = {k: v for k, v in document.items() if k not in ("person", "statuses")}
    return json.dumps(parts, ensure_ascii=False)


def test_a_version_2_database_is_migrated_to_the_array_codec_keeping_its_persons(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.db"
    disabled = EntitlementCategory.DISABLED_SERVICEMEMBER
    old_veteran = attrs.evolve(
        veteran(1, categories=((disabled, dt.date(2000, 1, 1), None),)),
        disability=Disability(
            grade=6, nature=DisabilityNature.ON_DUTY, assessed_on=dt.date(1991, 5, 1)
        ),
        circumstances=Circumstances(able_to_work=False, has_work_unit=True),
        sanctions=(Sanction(kind=SanctionKind.WANTED, since=dt.date(2001, 1, 1)),),
    )
    old_survivor = survivor(2)
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, to=2)
    for value, kind in ((old_veteran, "veteran"), (old_survivor, "survivor")):
        p = value.person
        connection.execute(
            "INSERT INTO persons VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 1)",
            (
                p.resident_id.unmasked,
                kind,
                p.name,
                p.sex.value,
                p.birth_date.isoformat(),
                p.hukou_division.value,
                p.hukou_type.value,
                _legacy_detail(value),
            ),
        )
        for position, s in enumerate(value.statuses):
            connection.execute(
                "INSERT INTO person_statuses VALUES (?, ?, ?, ?, NULL)",
                (p.resident_id.unmasked, position, s.category.value, s.since.isoformat()),
            )
    connection.close()

    store = SqliteStore(path)

    assert 6 == LATEST == store.schema_version
    with store.unit_of_work(actor="reader") as uow:
        assert old_veteran == uow.persons.get(old_veteran.resident_id)
        assert old_survivor == uow.persons.get(old_survivor.resident_id)
    connection = sqlite3.connect(path)
    try:
        details = [row[0] for row in connection.execute("SELECT detail FROM persons")]
    finally:
        connection.close()
    assert all(detail.startswith("[1,") for detail in details)


def test_a_version_3_database_is_migrated_through_the_clustered_table_to_the_place_index(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    disabled = EntitlementCategory.DISABLED_SERVICEMEMBER
    first = veteran(1, division="450323100201", categories=((disabled, dt.date(2000, 1, 1), None),))
    second, third = veteran(2, division="450312101201"), survivor(3, division="450323100201")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    migrate(connection, to=3)
    for value in (first, second, third):
        p = value.person
        connection.execute(
            "INSERT INTO persons VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 1)",
            (
                p.resident_id.unmasked,
                "veteran" if isinstance(value, Veteran) else "survivor",
                p.name,
                p.sex.value,
                p.birth_date.isoformat(),
                p.hukou_division.value,
                p.hukou_type.value,
                person_detail(value),
            ),
        )
        for position, s in enumerate(value.statuses):
            connection.execute(
                "INSERT INTO person_statuses VALUES (?, ?, ?, ?, NULL)",
                (p.resident_id.unmasked, position, s.category.value, s.since.isoformat()),
            )
    statuses = connection.execute("SELECT COUNT(*) FROM person_statuses").fetchone()[0]
    connection.close()

    store = SqliteStore(path)

    assert 6 == LATEST == store.schema_version
    connection = sqlite3.connect(path)
    try:
        table = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'persons'"
        ).fetchone()[0]
        place = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'persons_place'"
        ).fetchone()[0]
        order = [r[0] for r in connection.execute("SELECT resident_id FROM persons ORDER BY rowid")]
        kept = connection.execute("SELECT COUNT(*) FROM person_statuses").fetchone()[0]
        assert [] == connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    assert "WITHOUT ROWID" not in table
    assert "(hukou_division, resident_id, kind, name, birth_date, died_on, version)" in place
    # Version 4 copied the rows clustered by place; version 5 copies them in place order.
    placed = sorted(
        (v.person.hukou_division.value, v.resident_id.unmasked) for v in (first, second, third)
    )
    assert [key for _, key in placed] == order
    assert (2, 2) == (statuses, kept)  # dropping the old table did not cascade to the statuses
    with store.unit_of_work(actor="reader") as uow:
        assert [first, second, third] == [
            uow.persons.get(v.resident_id) for v in (first, second, third)
        ]
        assert [second] == list(uow.persons.find(within=DivisionCode("450312101")))
        assert 1 == uow.persons.count(category=disabled, on=dt.date(2025, 1, 1))
        uow.persons.remove(first.resident_id, version=1)  # foreign keys are on again: cascade
        uow.commit()
    connection = sqlite3.connect(path)
    try:
        orphans = connection.execute(
            "SELECT COUNT(*) FROM person_statuses WHERE resident_id = ?",
            (first.resident_id.unmasked,),
        ).fetchone()[0]
    finally:
        connection.close()
    assert 0 == orphans


def test_an_addition_is_audited_by_reference_and_an_update_by_copy(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "audit.db", clock=TickingClock())
    record = veteran(1)
    store.bulk_add([record, veteran(2)], actor="import")
    with store.unit_of_work(actor="clerk") as uow:
        uow.persons.update(attrs.evolve(record, sanctions=()), version=1)
        uow.commit()
    connection = sqlite3.connect(store.path)
    try:
        stored = connection.execute(
            "SELECT action, before IS NULL, after IS NULL FROM audit_log ORDER BY sequence"
        ).fetchall()
    finally:
        connection.close()

    assert [("added", 1, 1), ("added", 1, 1), ("updated", 0, 0)] == stored
    assert [record, veteran(2)] == [e.after_value() for e in store.audit.entries(actor="import")]


def test_figures_are_stored_as_exact_text_with_their_type(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "reports.db")
    store.bulk_add([report_submission()], actor="import")
    connection = sqlite3.connect(store.path)
    try:
        rows = connection.execute(
            "SELECT figure_key, type, figure FROM report_figures ORDER BY position"
        ).fetchall()
    finally:
        connection.close()

    assert [
        ("amount", "decimal", "48000.00"),
        ("cases", "int", "12"),
        ("rate", "decimal", "0.125"),
    ] == rows


def test_a_writer_kept_waiting_past_the_timeout_gets_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder, waiter = SqliteStore(path), SqliteStore(path, timeout=0.2)
    holder.bulk_add([station("S-1")], actor="import")

    with holder.unit_of_work(actor="clerk-1") as one:
        one.stations.update(attrs.evolve(station("S-1"), staff=5), version=1)  # holds the lock
        with waiter.unit_of_work(actor="clerk-2") as two:
            assert 1 == two.stations.read("S-1").version  # reading never waits (WAL)
            started = time.perf_counter()
            with pytest.raises(StoreBusy) as raised:
                two.stations.add(station("S-2"))
            waited = time.perf_counter() - started
        with pytest.raises(StoreBusy):
            waiter.bulk_add([station("S-3")], actor="import")
        one.commit()

    assert isinstance(raised.value, TimeoutError)
    assert str(raised.value) == str(pickle.loads(pickle.dumps(raised.value)))
    assert (str(path), 0.2) == (raised.value.path, raised.value.timeout)
    assert waited >= 0.2
    with waiter.unit_of_work(actor="clerk-2") as two:
        two.stations.add(station("S-2"))  # the lock is free again
        two.commit()
        assert ["S-1", "S-2"] == [s.station_id for s in two.stations.find()]


@pytest.mark.parametrize(
    "keys",
    [
        ["S-1", "韦'\"😀 \\u0000 ; DROP TABLE audit_log; --", "S-0"],  # through json_each
        ["S-1", "S\x00-2", "S-0"],  # a NUL: SQLite's JSON functions would cut it, so bound
    ],
)
def test_bulk_audit_entries_keep_their_order_and_keys_verbatim(
    tmp_path: Path, keys: list[str]
) -> None:
    store = SqliteStore(tmp_path / "audit.db")
    entries = [("station", key, f"45031210{n:04d}") for n, key in enumerate(keys)]
    connection = sqlite3.connect(store.path, isolation_level=None)
    try:
        _write_added(connection, entries, "2025-01-06T09:00:00+00:00", "import")
        stored = connection.execute(
            "SELECT entity, key, division, action, version, actor, before, after "
            "FROM audit_log ORDER BY sequence"
        ).fetchall()
    finally:
        connection.close()

    assert [(e, k, d, "added", 1, "import", None, None) for e, k, d in entries] == stored
