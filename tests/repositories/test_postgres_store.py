"""PostgresStore against a real PostgreSQL server: the store contracts, then real concurrency.

The server is ``VA_POSTGRES_DSN`` if set, else a throw-away cluster started for this
module (see ``postgres_server``). Every store lives in a schema of its own. When no server
can be started the tests fail with the reason; they are never skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
from psycopg import sql

from tests.repositories.casework_contract import CaseworkContract
from tests.repositories.postgres_server import DSN_VARIABLE, ServerUnavailable, postgres_dsn
from tests.repositories.record_contract import Contact, Petition, RecordContract, contact, petition
from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import (
    ConcurrencyError,
    IncompatibleSchema,
    NotFound,
    OutOfScope,
    StoreBusy,
)
from veteran_affairs.repositories.postgres import (
    _SQL,
    SCHEMA_VERSION,
    PostgresStore,
    _connect,
    _migrate,
)
from veteran_affairs.serialization import make_converter
from veteran_affairs.testing.store_contract import (
    StoreContract,
    TickingClock,
    activity,
    assistance_case,
    report_submission,
    station,
    veteran,
)

_SCHEMAS: list[str] = []


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    try:
        with postgres_dsn() as found:
            yield found
            if os.environ.get(DSN_VARIABLE):  # a shared server: leave it as it was
                with psycopg.connect(found, autocommit=True) as connection:
                    for schema in _SCHEMAS:
                        connection.execute(
                            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                                sql.Identifier(schema)
                            )
                        )
    except ServerUnavailable as error:
        pytest.fail(f"no PostgreSQL server for the PostgresStore tests: {error}", pytrace=False)


def _new_schema() -> str:
    schema = f"va_test_{uuid.uuid4().hex[:16]}"
    _SCHEMAS.append(schema)
    return schema


def _store(dsn: str, **options: Any) -> PostgresStore:
    return PostgresStore(dsn, schema=_new_schema(), clock=TickingClock(), **options)


def _sql(dsn: str, store: PostgresStore, query: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of ``query`` run in the store's schema, straight through psycopg."""
    with psycopg.connect(dsn) as connection:
        connection.execute(
            "SELECT set_config('search_path', %s, false)",
            (sql.Identifier(store.schema).as_string(connection),),
        )
        return connection.execute(query.encode(), params).fetchall()


class TestPostgresStore(StoreContract):
    server = ""

    @pytest.fixture(autouse=True)
    def _server(self, dsn: str) -> None:
        type(self).server = dsn

    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> PostgresStore:
        return PostgresStore(self.server, schema=_new_schema(), clock=clock)


class TestPostgresRecords(RecordContract):
    server = ""

    @pytest.fixture(autouse=True)
    def _server(self, dsn: str) -> None:
        type(self).server = dsn

    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> PostgresStore:
        return PostgresStore(self.server, schema=_new_schema(), clock=clock)


class TestPostgresCasework(CaseworkContract):
    server = ""

    @pytest.fixture(autouse=True)
    def _server(self, dsn: str) -> None:
        type(self).server = dsn

    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> PostgresStore:
        return PostgresStore(self.server, schema=_new_schema(), clock=clock)


def test_a_record_is_one_row_of_the_json_the_converter_unstructures(dsn: str) -> None:
    store = _store(dsn)
    store.bulk_add([petition("XF-1")], actor="import")
    with store.unit_of_work(actor="clerk") as uow:
        uow.records(Contact).add(contact(3, "450323100201"))
        uow.commit()

    rows = _sql(dsn, store, "SELECT kind, key, division, version, document FROM casework_records")

    converter = make_converter()
    assert [
        ("test-contact", contact(3).person.unmasked, "450323100201", 1),
        ("test-petition", "XF-1", "450312101201", 1),
    ] == [row[:4] for row in sorted(rows)]
    assert [
        converter.unstructure(contact(3, "450323100201")),
        converter.unstructure(petition("XF-1")),
    ] == [json.loads(row[4]) for row in sorted(rows)]


def test_a_version_1_schema_is_migrated_in_place_keeping_its_records(dsn: str) -> None:
    schema = _new_schema()
    connection = _connect(dsn, schema, 10.0)
    try:
        _migrate(connection, schema, to=1)
        with connection.transaction():
            insert = _SQL["station"].insert.replace(" ON CONFLICT DO NOTHING", "")
            connection.execute(insert, (*_SQL["station"].table.row(station("S-1")), 1))
    finally:
        connection.close()

    store = PostgresStore(dsn, schema=schema, clock=TickingClock())

    assert 2 == SCHEMA_VERSION == store.schema_version
    indexes = _sql(
        dsn,
        store,
        "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = "
        "'casework_records' ORDER BY 1",
        schema,
    )
    assert [("casework_records_division",), ("casework_records_pkey",)] == indexes
    with store.unit_of_work(actor="clerk") as uow:
        assert station("S-1") == uow.stations.get("S-1")
        uow.records(Petition).add(petition("XF-1"))
        uow.commit()
    again = PostgresStore(dsn, schema=schema)  # opened again: nothing to do
    with again.unit_of_work(actor="reader") as uow:
        assert [petition("XF-1")] == list(uow.records(Petition).find())
    store.close()
    again.close()


# --- concurrency with real connections --------------------------------------------------------


def test_of_two_connections_updating_one_record_the_second_raises_and_the_first_is_kept(
    dsn: str,
) -> None:
    store = _store(dsn)
    store.bulk_add([station("S-1")], actor="import")
    second_failed: list[BaseException] = []
    second_updating = threading.Event()

    def second_clerk(read_version: int) -> None:
        with store.unit_of_work(actor="second") as uow:
            second_updating.set()
            try:  # waits for the first clerk's row lock, then finds version 2
                uow.stations.update(attrs.evolve(station("S-1"), staff=9), version=read_version)
            except ConcurrencyError as error:
                second_failed.append(error)
            uow.commit()

    with store.unit_of_work(actor="first") as first:
        read = first.stations.read("S-1")
        first.stations.update(attrs.evolve(station("S-1"), staff=5), version=read.version)
        other = threading.Thread(target=second_clerk, args=(read.version,))
        other.start()
        assert second_updating.wait(10)
        first.commit()
    other.join(30)

    with store.unit_of_work(actor="reader") as uow:
        found = uow.stations.read("S-1")
    assert [(1, 2)] == [
        (e.expected, e.actual) for e in second_failed if isinstance(e, ConcurrencyError)
    ]
    assert (5, 2) == (found.value.staff, found.version)
    assert ["first"] == [e.actor for e in store.audit.entries(entity="station") if e.version == 2]


def test_concurrent_writers_that_retry_lose_no_update(dsn: str) -> None:
    store = _store(dsn)
    store.bulk_add([station("S-1")], actor="import")
    rounds = 15
    conflicts: list[int] = []

    def clerk(name: str) -> None:
        done = 0
        while done < rounds:
            with store.unit_of_work(actor=name) as uow:
                read = uow.stations.read("S-1")
                changed = attrs.evolve(read.value, staff=read.value.staff + 1)
                try:
                    uow.stations.update(changed, version=read.version)
                except ConcurrencyError:
                    conflicts.append(1)
                    continue
                uow.commit()
                done += 1

    clerks = [threading.Thread(target=clerk, args=(f"clerk-{n}",)) for n in range(3)]
    for thread in clerks:
        thread.start()
    for thread in clerks:
        thread.join(60)

    with store.unit_of_work(actor="reader") as uow:
        found = uow.stations.read("S-1")
    assert (2 + 3 * rounds, 1 + 3 * rounds) == (found.value.staff, found.version)
    sequences = [e.sequence for e in store.audit.entries()]
    assert list(range(1, 2 + 3 * rounds)) == sequences  # gap-free, in commit order


def test_a_writer_kept_waiting_for_a_row_lock_longer_than_the_timeout_is_told(dsn: str) -> None:
    store = _store(dsn, timeout=0.2)
    store.bulk_add([station("S-1")], actor="import")

    with store.unit_of_work(actor="first") as first, store.unit_of_work(actor="second") as second:
        first.stations.update(attrs.evolve(station("S-1"), staff=5), version=1)
        with pytest.raises(StoreBusy):
            second.stations.update(attrs.evolve(station("S-1"), staff=9), version=1)
        second.stations.add(station("S-2"))  # the unit goes on after the refused write
        second.commit()
        first.commit()

    with store.unit_of_work(actor="reader") as uow:
        assert [(5, 2), (2, 1)] == [
            (uow.stations.read(key).value.staff, uow.stations.read(key).version)
            for key in ("S-1", "S-2")
        ]


def test_a_rolled_back_unit_leaves_no_gap_in_the_audit_sequence(dsn: str) -> None:
    store = _store(dsn)
    with store.unit_of_work(actor="clerk") as uow:
        uow.stations.add(station("S-1"))
        uow.rollback()
        uow.stations.add(station("S-2"))
        uow.commit()
    with store.unit_of_work(actor="clerk") as uow:
        uow.stations.add(station("S-3"))
        uow.commit()

    assert [(1, "S-2"), (2, "S-3")] == [(e.sequence, e.key) for e in store.audit.entries()]


# --- scoping in SQL ----------------------------------------------------------------------------


def test_a_scoped_subtree_query_reads_no_row_outside_the_scope(dsn: str) -> None:
    store = _store(dsn)
    inside = [veteran(n, f"4503121{n % 3:02d}201") for n in range(30)]
    outside = [veteran(100 + n, f"4503231{n % 3:02d}201") for n in range(300)]
    edges = [veteran(500, "450311999999"), veteran(501, "450313000000")]  # the range's neighbours
    store.bulk_add([*outside, *inside, *edges], actor="import")
    county = store.scoped(DivisionCode("450312"))

    with county.unit_of_work(actor="county") as uow:
        found = list(uow.persons.find())
        summaries = list(uow.persons.summaries())
        counted = uow.persons.count()
        wider = list(uow.persons.find(within=DivisionCode("45")))
        other = uow.persons.count(within=DivisionCode("450323"))
        for record in outside[:5]:
            assert not uow.persons.exists(record.resident_id)
            with pytest.raises(NotFound):
                uow.persons.get(record.resident_id)

    in_sql = _sql(
        dsn,
        store,
        "SELECT COUNT(*) FROM persons WHERE hukou_division BETWEEN %s AND %s",
        "450312000000",
        "450312999999",
    )
    assert all(DivisionCode("450312").contains(p.person.hukou_division) for p in found)
    assert all(s.hukou_division.startswith("450312") for s in summaries)
    assert sorted(inside, key=lambda p: p.resident_id.unmasked) == found == wider
    assert (30, 30, 30, 0) == (counted, len(summaries), in_sql[0][0], other)


def test_a_scoped_store_cannot_write_outside_even_with_the_right_version(dsn: str) -> None:
    store = _store(dsn)
    outside = veteran(1, "450323100201")
    store.bulk_add([outside, activity("A-1", "450323100")], actor="import")
    county = store.scoped(DivisionCode("450312"))

    with county.unit_of_work(actor="county") as uow:
        with pytest.raises(OutOfScope):
            uow.persons.update(outside, version=1)
        with pytest.raises(NotFound):
            uow.activities.remove("A-1", version=1)
        with pytest.raises(OutOfScope):
            uow.activities.add(activity("A-2", "450323100"))
        uow.commit()

    assert [(1, 1)] == _sql(dsn, store, "SELECT version, COUNT(*) FROM activities GROUP BY 1")
    assert [("A-1",)] == _sql(dsn, store, "SELECT activity_id FROM activities")


# --- values stored verbatim ---------------------------------------------------------------------

_ODD = (
    "O'Brien",
    "'; DROP TABLE persons; --",
    "Robert'); DELETE FROM audit_log;--",
    "100% _like_ %s %(name)s $1 ?",
    "back\\slash \\N",
    "e\u0301 é ﬁ ǅ",
    "\u202etxet\u202c",
    "𠀋𡈽𤭢 🎖️👩🏽‍✈️",
    "\ufeffBOM 零宽\u200b空格",
)


@pytest.mark.parametrize("text", _ODD)
def test_quotes_sql_and_odd_unicode_are_stored_and_found_verbatim(dsn: str, text: str) -> None:
    store = _store(dsn)
    person = veteran(1, name=text)
    case = assistance_case(text)
    period = text[:32].strip()
    report = report_submission(kind=text, period=period)
    held = attrs.evolve(activity(text), topic=text)
    store.bulk_add([station(text, name=text)], actor="import")
    with store.unit_of_work(actor=text) as uow:
        uow.persons.add(person)
        uow.cases.add(case)
        uow.reports.add(report)
        uow.activities.add(held)
        uow.commit()

    with store.unit_of_work(actor="reader") as uow:
        assert person == uow.persons.get(person.resident_id)
        assert [text] == [s.name for s in uow.persons.summaries()]
        assert case == uow.cases.get(text)
        assert report == uow.reports.get((report.unit, text, period))
        assert [report] == list(uow.reports.find(kind=text, period=period))
        assert held == uow.activities.get(text)
        assert text == uow.stations.get(text).name
    assert [(text, text)] == _sql(dsn, store, "SELECT station_id, name FROM stations")
    assert [(text,)] == _sql(dsn, store, "SELECT name FROM persons")
    assert 4 == store.audit.count(actor=text)


# --- the audit log and the schema ---------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_audit_log_refuses_changes_even_in_sql(dsn: str, statement: str) -> None:
    store = _store(dsn)
    store.bulk_add([station("S-1")], actor="import")

    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        _sql(dsn, store, statement)

    assert 1 == store.audit.count(actor="import")


def test_reopening_a_schema_keeps_its_data_and_a_newer_schema_is_refused(dsn: str) -> None:
    store = _store(dsn)
    store.bulk_add([station("S-1")], actor="import")

    again = PostgresStore(dsn, schema=store.schema)
    with again.unit_of_work(actor="reader") as uow:
        assert station("S-1") == uow.stations.get("S-1")
    assert SCHEMA_VERSION == again.schema_version

    with psycopg.connect(dsn) as connection:
        connection.execute(
            sql.SQL("UPDATE {}.schema_version SET version = 99").format(
                sql.Identifier(store.schema)
            )
        )
    with pytest.raises(IncompatibleSchema):
        PostgresStore(dsn, schema=store.schema)


def test_stores_in_two_schemas_of_one_database_do_not_see_each_other(dsn: str) -> None:
    first, second = _store(dsn), _store(dsn)
    first.bulk_add([station("S-1")], actor="import")

    with second.unit_of_work(actor="reader") as uow:
        assert 0 == uow.stations.count()
    assert 0 == second.audit.count()


def test_money_is_bigint_fen_and_dates_are_dates_in_the_tables(dsn: str) -> None:
    store = _store(dsn)
    store.bulk_add([assistance_case("C-1", paid=True)], actor="import")

    rows = _sql(dsn, store, "SELECT requested_fen, approved_fen, incident_on FROM cases")
    types = _sql(
        dsn,
        store,
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = 'cases' "
        "AND column_name IN ('approved_fen', 'incident_on') ORDER BY 1",
        store.schema,
    )

    assert [(500_000, 300_050, dt.date(2024, 5, 1))] == rows
    assert [("approved_fen", "bigint"), ("incident_on", "date")] == types
