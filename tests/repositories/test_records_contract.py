"""The record contract, run against MemoryStore and SqliteStore; the SQLite table and migration.

(PostgresStore runs the same contract in ``test_postgres_store.py``, on its server.)
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.repositories.record_contract import (
    CONTACT,
    PETITION,
    Contact,
    Petition,
    RecordContract,
    contact,
    petition,
)
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import ServiceStation
from veteran_affairs.repositories import (
    MemoryStore,
    RecordKind,
    SqliteStore,
    UnknownRecordKind,
    register_record_kind,
)
from veteran_affairs.repositories._mappers import STATION_TABLE
from veteran_affairs.repositories._schema import LATEST, migrate
from veteran_affairs.repositories.records import (
    BUILT_IN_RECORD_KINDS,
    record_kind,
    record_kinds,
)
from veteran_affairs.serialization import make_converter
from veteran_affairs.testing.store_contract import TickingClock, station


class TestMemoryRecords(RecordContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> MemoryStore:
        return MemoryStore(clock=clock)


class TestSqliteRecords(RecordContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> SqliteStore:
        return SqliteStore(directory / "store.db", clock=clock)


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_a_record_is_one_row_of_the_json_the_converter_unstructures(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    store = SqliteStore(path, clock=TickingClock())
    store.bulk_add([petition("XF-1")], actor="import")
    with store.unit_of_work(actor="clerk") as uow:
        uow.records(Contact).add(contact(3, "450323100201"))
        uow.commit()

    rows = _rows(path, "SELECT kind, key, division, version, document FROM casework_records")

    converter = make_converter()
    assert [
        ("test-contact", contact(3).person.unmasked, "450323100201", 1),
        ("test-petition", "XF-1", "450312101201", 1),
    ] == [row[:4] for row in sorted(rows)]
    assert [
        converter.unstructure(contact(3, "450323100201")),
        converter.unstructure(petition("XF-1")),
    ] == [json.loads(str(row[4])) for row in sorted(rows)]


def test_a_version_5_database_is_migrated_in_place_keeping_its_records(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, to=5)
    connection.execute(STATION_TABLE.insert, (*STATION_TABLE.row(station("S-1")), 1))
    connection.close()
    assert [] == _rows(path, "SELECT name FROM sqlite_master WHERE name LIKE 'casework%'")

    store = SqliteStore(path)

    assert 6 == LATEST == store.schema_version
    assert [("casework_records",), ("casework_records_division",)] == _rows(
        path, "SELECT name FROM sqlite_master WHERE name LIKE 'casework%' ORDER BY name"
    )
    with store.unit_of_work(actor="clerk") as uow:
        assert station("S-1") == uow.stations.get("S-1")
        uow.records(Petition).add(petition("XF-1"))
        uow.commit()
    with SqliteStore(path).unit_of_work(actor="reader") as uow:  # opened again: nothing to do
        assert [petition("XF-1")] == list(uow.records(Petition).find())
    assert [("ok",)] == _rows(path, "PRAGMA integrity_check")


def test_a_large_import_of_records_defers_and_rebuilds_the_records_index(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bulk.db", clock=TickingClock())

    store.bulk_add(
        [petition(f"XF-{n:03d}", f"45031210{n % 3:04d}") for n in range(300)],
        actor="import",
        batch_size=120,
        defer_indexes=True,
    )

    with store.scoped(DivisionCode("450312100001")).unit_of_work(actor="reader") as uow:
        assert 100 == uow.records(Petition).count()
    assert [] == store.deferred_indexes
    assert 300 == store.audit.count()
    assert [("casework_records_division",)] == _rows(
        store.path, "SELECT name FROM sqlite_master WHERE name = 'casework_records_division'"
    )


# --- the registry -----------------------------------------------------------------------------


def test_the_registry_finds_a_kind_by_class_and_by_name() -> None:
    assert (PETITION, CONTACT) == (record_kind(Petition), record_kind("test-contact"))
    assert {PETITION, CONTACT} <= set(record_kinds())
    assert set(BUILT_IN_RECORD_KINDS) <= set(record_kinds())
    assert PETITION is register_record_kind(
        RecordKind("test-petition", Petition, key="petition_id", division="division")
    )  # an equal kind again: nothing to do


@pytest.mark.parametrize(
    ("name", "arguments", "field"),
    [
        ("taken name", ("test-petition", Contact, "unit", "unit"), "name"),
        (
            "class under another name",
            ("other-petition", Petition, "petition_id", "division"),
            "cls",
        ),
    ],
)
def test_a_conflicting_registration_is_refused(
    name: str, arguments: tuple[str, type, str, str], field: str
) -> None:
    kind_name, cls, key, division = arguments
    with pytest.raises(InvalidValue) as raised:
        register_record_kind(RecordKind(kind_name, cls, key=key, division=division))

    assert field == raised.value.field


@pytest.mark.parametrize(
    ("name", "arguments", "field"),
    [
        ("upper case", ("Petition", Petition, "petition_id", "division"), "name"),
        ("blank", ("", Petition, "petition_id", "division"), "name"),
        ("a built-in aggregate", ("case", Petition, "petition_id", "division"), "name"),
        ("spaces", ("legacy case", Petition, "petition_id", "division"), "name"),
        ("too long", ("x" * 41, Petition, "petition_id", "division"), "name"),
        ("not an attrs class", ("thing", dict, "petition_id", "division"), "cls"),
        (
            "a built-in aggregate's class",
            ("thing", ServiceStation, "station_id", "division"),
            "cls",
        ),
        ("no such attribute", ("thing", Petition, "case_id", "division"), "key"),
        ("no such division", ("thing", Petition, "petition_id", "unit"), "division"),
    ],
)
def test_an_invalid_kind_cannot_be_made(
    name: str, arguments: tuple[str, type, str, str], field: str
) -> None:
    kind_name, cls, key, division = arguments
    with pytest.raises(InvalidValue) as raised:
        RecordKind(kind_name, cls, key=key, division=division)

    assert field == raised.value.field


@pytest.mark.parametrize(
    ("name", "key", "division", "field"),
    [
        ("key not text", lambda p: 7, "division", "key"),
        ("blank key", lambda p: "  ", "division", "key"),
        ("key with a control character", lambda p: "XF\n1", "division", "key"),
        ("key too long", lambda p: "X" * 201, "division", "key"),
        ("division not a code", "petition_id", lambda p: "450312", "division"),
    ],
)
def test_a_key_or_division_of_the_wrong_shape_is_refused(
    name: str, key: object, division: object, field: str
) -> None:
    kind = RecordKind("thing", Petition, key=key, division=division)  # type: ignore[arg-type]

    with pytest.raises(InvalidValue) as raised:
        kind.key_of(petition("XF-1")) if field == "key" else kind.division_of(petition("XF-1"))

    assert field == raised.value.field


def test_an_unknown_name_is_an_unknown_kind() -> None:
    with pytest.raises(UnknownRecordKind) as raised:
        record_kind("no-such-kind")

    assert ("no-such-kind", True) == (raised.value.kind, "no-such-kind" in str(raised.value))
