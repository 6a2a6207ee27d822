"""The embedded SQLite store (SQLite 存储): one database file, standard library only.

:class:`SqliteStore` keeps every aggregate in an SQLite file through :mod:`sqlite3`, with
explicit tables and SQL (no ORM) and only parameterised statements:

* **files** — write-ahead logging (``journal_mode=WAL``), so readers never wait for the
  writer, with ``synchronous=NORMAL`` (a committed transaction survives the process being
  killed; only a power cut can lose the last ones). Foreign keys are on.
* **values** — dates as ISO text, division codes as their 12 digits, money as integer fen
  (an amount with a fraction of a fen is refused with
  :class:`~veteran_affairs.errors.InvalidAmount`), enums by value.
* **queries** — a division subtree is a range of codes (``450312000000`` to
  ``450312999999`` for 临桂区), served by an index on each aggregate's division column;
  persons (schema 5) have a *covering* index ``persons_place`` on ``(hukou_division,
  resident_id, kind, name, birth_date, died_on, version)``, so a county's summaries are read
  from the index alone. Statuses, kinds and dates have their own indexes. ``find`` streams
  rows from a cursor, ``count`` is ``SELECT COUNT(*)``.
* **rows → records** — built from column values, without dictionaries; the nested parts of
  a person (service record, disability, circumstances, sanctions, a survivor's relation and
  death) are one compact column of JSON arrays written and read by a hand-written codec, and
  persons read back skip re-validation (the store validated them on the way in).
  Entitlement statuses are a child table, because queries look at them. Submitted report
  figures are a child table: key, type (``int`` or ``decimal``) and exact text.
* **audit** — an update or removal stores its ``before`` and ``after`` documents; an
  addition stores its ``after`` *by reference* (``NULL`` in the table): version 1 of the
  record is the ``before`` of the next entry for the same key or, if there is none, the live
  row, still at version 1. :attr:`SqliteStore.audit` resolves it, so every entry it returns
  carries its documents; a bulk import of a million records writes no copy of them.
* **bulk import** — :meth:`SqliteStore.bulk_add` commits batch by batch, each batch one
  transaction; rows go in ninety persons (999 parameters) a statement, and the audit entries
  of a run of one table's records are copied from its new rows by one ``INSERT … SELECT``.
  A large import *defers* the secondary indexes: drops them, records them in
  ``deferred_indexes`` and rebuilds them, one sort each, at its end (or, if it was killed,
  when the file is next opened).
* **records of registered kinds** (:mod:`~veteran_affairs.repositories.records`, schema 6) —
  one table, ``casework_records (kind, key, division, version, document)`` with the primary
  key ``(kind, key)`` and an index on ``(kind, division)``; ``document`` is the record's JSON
  (the converter's ``unstructure``), structured back on reading.
* **schema** — a ``schema_version`` table and forward migrations, applied when a store opens
  a database; a database written by a newer library is refused (:class:`IncompatibleSchema`).

Each unit of work has its own connection. Reads run outside any transaction; the first
write opens ``BEGIN IMMEDIATE`` (waiting up to ``timeout`` seconds for another writer), and
:meth:`commit` ends it with ``COMMIT``; a writer kept waiting longer than ``timeout`` gets
:class:`~veteran_affairs.repositories.StoreBusy`. An update is ``UPDATE … WHERE version = ?``, so a
stale version changes nothing and raises :class:`ConcurrencyError`. The audit log is a table
that triggers keep append-only.

The unit of work, the audit log and the store's scoping are those of every SQL store
(``_sql_core``); this module holds SQLite's dialect and hooks, the connection settings, the
migrations' entry point and the bulk import.

>>> import datetime as dt, pathlib, tempfile
>>> from veteran_affairs.identity import DivisionCode
>>> from veteran_affairs.models import ServiceStation, StationKind
>>> folder = tempfile.TemporaryDirectory()
>>> store = SqliteStore(pathlib.Path(folder.name) / "county.db")
>>> station = ServiceStation(station_id="S-450312101", division=DivisionCode("450312101"),
...                          kind=StationKind.STATION, established_on=dt.date(2019, 3, 1))
>>> with store.unit_of_work(actor="county-clerk") as uow:
...     uow.stations.add(station)
...     uow.commit()
1
>>> with store.unit_of_work(actor="clerk") as uow:
...     uow.stations.get("S-450312101") == station
True
>>> store.schema_version
6
>>> store.close(); folder.cleanup()
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories._aggregates import (
    RECORD_BY_TYPE,
    aggregate_of,
    check_actor,
    record_document,
    system_clock,
    utc,
)
from veteran_affairs.repositories._mappers import (
    RECORD_INSERT_NEW,
    RECORD_TABLE,
    TABLES,
    Rows,
    Table,
)
from veteran_affairs.repositories._schema import LATEST, migrate, version_of
from veteran_affairs.repositories._sql_core import (
    AuditRow,
    Dialect,
    SqlAuditLog,
    SqlStore,
    SqlUnitOfWork,
    held,
    repeated,
    taken,
)
from veteran_affairs.repositories._store_errors import (
    OutOfScope,
    StoreBusy,
)
from veteran_affairs.repositories.protocols import Storable

__all__ = ["SqliteStore"]


def __dir__() -> list[str]:
    return __all__


_AUDIT_INSERT = (
    "INSERT INTO audit_log (at, actor, entity, key, action, version, division, before, after) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# The audit entries of a bulk import's additions when a flush mixes tables (else see
# _AUDIT_FROM_ROWS), a thousand at a time from one JSON array of [entity, key, division]
# (binding nine values per entry costs three times as much); sequence numbers follow the
# array's order. "after" by reference (NULL): see ``audit``.
_AUDIT_ADDED = (
    "INSERT INTO audit_log (at, actor, entity, key, action, version, division) "
    "SELECT ?, ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), 'added', 1, "
    "json_extract(j.value, '$[2]') FROM json_each(?) AS j ORDER BY j.key"
)
# The audit entries of a flush of one table's new records, straight from its new rows (rowid
# above the largest before the flush: the rows of one executemany get increasing rowids, in
# input order) — nothing bound per entry.
_AUDIT_FROM_ROWS = (
    "INSERT INTO audit_log (at, actor, entity, key, action, version, division) "
    "SELECT ?, ?, ?, {key}, 'added', 1, {division} FROM {table} WHERE rowid > ? ORDER BY rowid"
)
_ENCODE_ROWS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# What bulk_add needs of each stored type, looked up once per record: the entity, the table,
# its INSERT of a new record, and where the key and the division are in the row.
_BULK_PLANS: dict[type, tuple[str, Table, str, int, int]] = {
    cls: (entity, table, table.insert_new, table.key_at, table.division_at)
    for entity, table in TABLES.items()
    for cls in table.aggregate.types
}
# Inside a bulk batch, rows go to SQLite this many records at a time.
_FLUSH = 1_000
# A bulk INSERT lists as many rows as fit in this many parameters (999: the smallest limit an
# SQLite build may have), so SQLite runs one statement per ninety persons instead of one per
# person; at a million persons that halved the time of the persons' and statuses' inserts.
_PARAMETERS = 999
_MULTI_ROW: dict[str, tuple[str, int]] = {}


def _nan_is_null() -> bool:
    connection = sqlite3.connect(":memory:")
    try:
        return bool(connection.execute("SELECT ? IS NULL", (math.nan,)).fetchone()[0])
    finally:
        connection.close()


# Binding None costs the sqlite3 module about 0.4 µs a value (it looks for an adapter, and
# formats and drops an AttributeError, for every None), four times a float: at a million
# persons, with three empty columns a person and one a status, that was 1.4 s. SQLite
# stores a bound NaN as NULL, so bulk inserts bind NaN where a row has None (no column of
# the schema holds a float). The library in use is asked once, at import; where it would
# keep a NaN, None is bound as before.
_NULL: float | None = math.nan if _nan_is_null() else None


def _insert_rows(connection: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` with the one-row ``INSERT … VALUES (…)`` ``sql``, many rows a statement.

    Rows keep their order (and so get increasing rowids in it): full statements first, in
    order, then the rest one by one. None is bound as ``_NULL`` (see above).
    """
    found = _MULTI_ROW.get(sql)
    if found is None:
        head, values = sql.split(" VALUES ")
        per = max(1, _PARAMETERS // max(1, values.count("?")))
        found = _MULTI_ROW[sql] = (f"{head} VALUES {', '.join([values] * per)}", per)
    multi, per = found
    null = _NULL
    full = len(rows) - len(rows) % per
    if full and per > 1:
        chain = itertools.chain.from_iterable
        connection.executemany(
            multi,
            [
                [null if value is None else value for value in chain(rows[i : i + per])]
                for i in range(0, full, per)
            ],
        )
    else:
        full = 0
    if full < len(rows):
        connection.executemany(
            sql, [[null if value is None else value for value in row] for row in rows[full:]]
        )


# The page cache of a bulk import's connection, in KiB (an upper bound, filled as pages are
# touched and freed when the import ends; also used to rebuild deferred indexes). On schema 4
# (persons clustered by place, written all over the file) 256 MiB saved about a fifth of the
# CPU time of a million persons against 64 MiB. On schema 5 it does not (2026-12-06,
# bench_store.py, a million: 10.6 s with 64 MiB, 10.9 s with 256 MiB; a streamed roster import
# of a million: 55.7 s both), while it is most of a roster import's peak memory (488 MiB with
# 256, 258 MiB with 64): 64 MiB it is.
_BULK_CACHE_KIB = 65_536


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _write_added(
    connection: sqlite3.Connection, audit: list[tuple[str, str, str]], at: str, actor: str
) -> None:
    """Append the audit entries of additions ``audit`` ([entity, key, division] each)."""
    document = _ENCODE_ROWS(audit)
    if "\\u0000" in document:  # SQLite's JSON functions cut text at a NUL: bind instead
        connection.executemany(
            _AUDIT_INSERT,
            [
                (at, actor, entity, key, "added", 1, division, None, None)
                for entity, key, division in audit
            ],
        )
    else:
        connection.execute(_AUDIT_ADDED, (at, actor, document))


def _busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


# --- deferred indexes ---------------------------------------------------------------------
# A large bulk import drops the secondary (non-unique) indexes of the tables it writes —
# persons by place, statuses by category, the audit log by key, actor and time, and the like
# — and rebuilds each at its end with one sort, instead of inserting a million entries into
# B-trees scattered over the file. Primary keys and unique constraints stay, so a duplicate
# is still refused in the batch that brings it. Each drop is recorded in ``deferred_indexes``
# (with the index's SQL) in the same transaction, so an import killed half-way leaves the list
# of what to rebuild. While it runs, the import holds an exclusive lock on a small side file,
# ``<database>-import``: the operating system releases it when the process ends, however it
# ends, so a store that can take the lock knows no import is running and rebuilds what a
# killed one left (when it opens, and before each bulk import).
_DEFER_AT = 100_000
"""With ``defer_indexes=None``, an import of at least this many records (and at least as
many as the audit log already holds) defers the indexes."""


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-import")


def _take_import_lock(path: Path) -> sqlite3.Connection | None:
    """The side file's exclusive lock, or None if another process's import holds it."""
    lock = sqlite3.connect(_lock_path(path), timeout=0, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        lock.close()
        if _busy(error):
            return None
        raise
    return lock


def _release(lock: sqlite3.Connection) -> None:
    try:
        lock.execute("ROLLBACK")
    finally:
        lock.close()


def _defer(connection: sqlite3.Connection, tables: Iterable[str]) -> None:
    """Drop the secondary indexes of ``tables``, recording them (inside the caller's transaction)."""
    for table in tables:
        found = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (table,),
        ).fetchall()
        for name, sql in found:
            if str(sql).upper().startswith("CREATE UNIQUE"):
                continue
            connection.execute("INSERT OR IGNORE INTO deferred_indexes VALUES (?, ?)", (name, sql))
            connection.execute(f'DROP INDEX "{name}"')


def _rebuild(connection: sqlite3.Connection, path: Path, timeout: float) -> list[str]:
    """Create every index listed in ``deferred_indexes`` and empty the list, in one transaction."""
    if connection.execute("SELECT 1 FROM deferred_indexes LIMIT 1").fetchone() is None:
        return []
    begin_writing(connection, path, timeout)
    try:
        listed = connection.execute("SELECT name, sql FROM deferred_indexes ORDER BY name")
        rebuilt = []
        for name, sql in listed.fetchall():
            present = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).fetchone()
            if present is None:
                connection.execute(sql)
            rebuilt.append(str(name))
        connection.execute("DELETE FROM deferred_indexes")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return rebuilt


def _rebuild_if_idle(connection: sqlite3.Connection, path: Path, timeout: float) -> list[str]:
    """Rebuild what a killed import left, unless an import is running (it rebuilds them)."""
    if connection.execute("SELECT 1 FROM deferred_indexes LIMIT 1").fetchone() is None:
        return []
    lock = _take_import_lock(path)
    if lock is None:
        return []
    try:
        connection.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
        return _rebuild(connection, path, timeout)
    finally:
        _release(lock)


def begin_writing(connection: sqlite3.Connection, path: Path, timeout: float) -> None:
    """``BEGIN IMMEDIATE``: take the write lock, waiting up to ``timeout`` seconds.

    Raises:
        StoreBusy: another connection kept the lock for longer than the timeout.
    """
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if _busy(error):
            raise StoreBusy(str(path), timeout) from error
        raise


SQLITE = Dialect.of(
    name="sqlite",
    mark=str,  # sqlite3 takes "?" as it is
    select=lambda table: table.select,
    lock="",  # the first write of a unit takes the write lock of the whole database
    moment=dt.datetime.isoformat,
    at=dt.datetime.fromisoformat,
)


class _SqliteUnitOfWork(SqlUnitOfWork):
    """A unit of work on its own connection: reads outside any transaction, the first write
    opens ``BEGIN IMMEDIATE``, audit entries go into the table as the writes are made."""

    _dialect = SQLITE

    def __init__(
        self,
        connection: sqlite3.Connection,
        scope: DivisionCode | None,
        actor: str,
        clock: Callable[[], dt.datetime],
        path: Path,
        timeout: float,
    ) -> None:
        super().__init__(scope, actor, clock)
        self._db = connection
        self._path = path
        self._timeout = timeout

    def _one(self, query: str, params: Sequence[Any]) -> Any:
        return self._db.execute(query, params).fetchone()

    def _run(self, query: str, params: Sequence[Any]) -> int:
        return self._db.execute(query, params).rowcount

    def _rows(self, query: str, params: Sequence[Any]) -> sqlite3.Cursor:
        return self._db.execute(query, params)

    def _run_many(self, statements: Iterable[tuple[str, Rows]]) -> None:
        for sql, rows in statements:
            self._db.executemany(sql, rows)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # No savepoint: under the write lock a write fails only before it changes a row.
        if not self._db.in_transaction:
            begin_writing(self._db, self._path, self._timeout)
        yield

    def _log(self, entry: AuditRow) -> None:
        self._db.execute(_AUDIT_INSERT, entry)

    def commit(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def _end(self) -> None:
        try:
            self.rollback()
        finally:
            self._db.close()


class _SqliteAuditLog(SqlAuditLog[sqlite3.Connection]):
    _dialect = SQLITE

    def __init__(self, store: SqliteStore) -> None:
        super().__init__(store.scope)
        self._store = store

    @contextmanager
    def _connection(self, *, snapshot: bool) -> Iterator[sqlite3.Connection]:
        connection = self._store._connect()
        try:
            if snapshot:  # one read transaction
                connection.execute("BEGIN")
            yield connection
        finally:
            connection.close()

    def _cursor(
        self, connection: sqlite3.Connection, query: str, params: Sequence[Any]
    ) -> sqlite3.Cursor:
        return connection.execute(query, params)

    def _one(self, connection: sqlite3.Connection, query: str, params: Sequence[Any]) -> Any:
        return connection.execute(query, params).fetchone()


class SqliteStore(SqlStore[_SqliteUnitOfWork]):
    """Every aggregate in one SQLite database file (SQLite 存储).

    Opening a store creates the file if needed, switches it to WAL and brings its schema up
    to date. Several stores (in one process or several) may open the same file; SQLite
    serialises their writes.

    Args:
        path: the database file.
        clock: returns the time of each change for the audit log (timezone-aware); the
            default is the system clock in UTC.
        timeout: seconds a write waits for another connection's write to finish, after
            which it raises :class:`~veteran_affairs.repositories.StoreBusy`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], dt.datetime] = system_clock,
        timeout: float = 10.0,
    ) -> None:
        self._path = Path(path)
        self._clock = clock
        self._timeout = timeout
        self._scope: DivisionCode | None = None
        connection = _connect(self._path, timeout)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            migrate(connection)
            _rebuild_if_idle(connection, self._path, timeout)
        except sqlite3.OperationalError as error:
            if _busy(error):
                raise StoreBusy(str(self._path), timeout) from error
            raise
        finally:
            connection.close()

    @property
    def path(self) -> Path:
        return self._path

    def _version_of(self, connection: Any) -> int:
        return version_of(connection)

    @property
    def audit(self) -> _SqliteAuditLog:
        return _SqliteAuditLog(self)

    def _connect(self) -> sqlite3.Connection:
        return _connect(self._path, self._timeout)

    def _unit(self, actor: str) -> _SqliteUnitOfWork:
        connection = self._connect()
        return _SqliteUnitOfWork(
            connection, self._scope, actor, self._clock, self._path, self._timeout
        )

    def bulk_add(
        self,
        entities: Iterable[Storable],
        *,
        actor: str,
        batch_size: int = 10_000,
        on_batch: Callable[[int], None] | None = None,
        defer_indexes: bool | None = None,
    ) -> int:
        """Add many records, ``batch_size`` per transaction; returns how many were added.

        Records are read from ``entities`` lazily, inside each batch's transaction, and
        written with ``executemany``; each gets its audit entry, with the batch's one time
        (the clock is read once per batch) and its ``after`` by reference. A batch that
        fails (a key already stored, a value outside the scope) is rolled back whole and its
        error raised; the batches before it stay committed. ``on_batch`` is called with the
        running total after each commit.

        ``defer_indexes``: drop the secondary indexes of the tables written (never a primary
        key or a unique constraint, so duplicates are still refused batch by batch) and
        rebuild them, one sort each, when the import ends — normally, with an error or
        interrupted. ``None`` (the default) defers them when ``entities`` has a length of at
        least 100,000 and at least the number of entries already in the audit log (an import
        that dwarfs what is stored); ``True`` always, ``False`` never. Queries stay correct
        while indexes are deferred, only slower. If the process is killed, the next
        ``SqliteStore`` opened on the file, or the next bulk import, rebuilds them (also
        :meth:`restore_indexes`). Only one import at a time defers: it holds a lock on a side
        file ``<database>-import``, and another import running meanwhile keeps the indexes.

        Durability: the import runs with ``synchronous=NORMAL`` under WAL, like every
        connection of the store. A committed batch is in the write-ahead log before
        ``COMMIT`` returns, so it survives the process being killed (SIGKILL) at any point;
        only a power cut or an OS crash may lose the last committed batches (never corrupt
        the file). ``synchronous=OFF`` would save little here and is not used.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        who = check_actor(actor)
        connection = self._connect()
        lock: sqlite3.Connection | None = None
        try:
            # A bigger page cache for the import: the tables outgrow the default 2 MiB early.
            connection.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
            # Every foreign key of the schema points from a child row to its parent in the
            # same aggregate, and an import writes each child row from the record whose
            # parent row it has just inserted in the same transaction: the check cannot fail
            # here, and skipping it saved 1.5–2.8 s per million persons (one parent lookup per
            # status row). Tests run PRAGMA foreign_key_check after bulk imports.
            connection.execute("PRAGMA foreign_keys = OFF")
            _rebuild_if_idle(connection, self._path, self._timeout)
            if self._defers(connection, entities, defer_indexes):
                lock = _take_import_lock(self._path)
            added = self._bulk_batches(connection, iter(entities), batch_size, who, on_batch, lock)
        except BaseException:
            # The import's own error is the one to see: if the indexes cannot be rebuilt now,
            # they stay listed and the next store opened on the file rebuilds them.
            with suppress(sqlite3.Error, StoreBusy):
                self._end_import(connection, lock)
            connection.close()
            raise
        try:
            self._end_import(connection, lock)
        finally:
            connection.close()
        return added

    def _end_import(self, connection: sqlite3.Connection, lock: sqlite3.Connection | None) -> None:
        """Rebuild the indexes a deferring import dropped, then let go of its lock."""
        if lock is not None:
            try:
                _rebuild(connection, self._path, self._timeout)
            finally:
                _release(lock)

    @staticmethod
    def _defers(
        connection: sqlite3.Connection, entities: Iterable[Storable], choice: bool | None
    ) -> bool:
        if choice is not None:
            return choice
        if not isinstance(entities, Sized) or len(entities) < _DEFER_AT:
            return False
        stored = connection.execute("SELECT COALESCE(MAX(sequence), 0) FROM audit_log").fetchone()
        return len(entities) >= int(stored[0])

    def _bulk_batches(
        self,
        connection: sqlite3.Connection,
        iterator: Iterator[Storable],
        batch_size: int,
        actor: str,
        on_batch: Callable[[int], None] | None,
        lock: sqlite3.Connection | None,
    ) -> int:
        added = 0
        # The tables whose indexes are deferred (None: none are); a batch's own drops count
        # once it commits (a rolled-back batch put its indexes back).
        deferred: set[str] | None = None if lock is None else set()
        while True:
            begin_writing(connection, self._path, self._timeout)
            dropped: set[str] = set()
            try:
                taken = self._bulk_batch(connection, iterator, batch_size, actor, deferred, dropped)
                if taken == 0:
                    connection.execute("ROLLBACK")
                    return added
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            if deferred is not None:
                deferred |= dropped
            added += taken
            if on_batch is not None:
                on_batch(added)

    def _bulk_batch(
        self,
        connection: sqlite3.Connection,
        iterator: Iterator[Storable],
        size: int,
        actor: str,
        deferred: set[str] | None,
        dropped: set[str],
    ) -> int:
        pending: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        # [entity, key, division] of the records since the last flush, in input order: their
        # audit entries, and the keys that name a duplicate. Only a chunk's worth is kept, so
        # that a batch of a million records does not hold a million of them.
        audit: list[tuple[str, str, str]] = []
        at = utc(self._clock()).isoformat()  # one batch, one transaction, one time
        scope = self._scope
        short = None if scope is None else scope.short
        plans = _BULK_PLANS
        seen: set[type] = set()  # record types whose tables this batch has deferred
        # The tables of the records since the last flush (None: the records' table).
        tables: dict[str, Table | None] = {}
        taken = 0
        for value in itertools.islice(iterator, size):
            plan = plans.get(type(value))
            if plan is None:  # a record of a registered kind, or not a stored type
                record = RECORD_BY_TYPE.get(type(value)) or aggregate_of(value)
                if deferred is not None and type(value) not in seen:
                    seen.add(type(value))
                    names = {RECORD_TABLE, "audit_log"} - deferred - dropped
                    _defer(connection, sorted(names))
                    dropped |= names
                key = record.key(value)
                division = record.division(value).value
                if short is not None and not division.startswith(short):
                    assert scope is not None
                    raise OutOfScope(scope.value, division, record.entity)
                document = record_document(record, value)
                pending[RECORD_INSERT_NEW].append((record.entity, key, division, document))
                audit.append((record.entity, key, division))
                tables[RECORD_TABLE] = None  # never the one table of a flush: see _flush
                if len(audit) == _FLUSH:
                    taken += self._flush(connection, pending, tables, audit, at, actor)
                continue
            entity, table, insert, key_at, division_at = plan
            if deferred is not None and type(value) not in seen:
                seen.add(type(value))
                names = {table.name, *table.children, "audit_log"} - deferred - dropped
                _defer(connection, sorted(names))
                dropped |= names
            row = table.row(value)
            division = row[division_at]
            if short is not None and not division.startswith(short):
                assert scope is not None
                raise OutOfScope(scope.value, division, entity)
            pending[insert].append(row)
            for sql, rows in table.child_rows(value):
                pending[sql].extend(rows)
            audit.append((entity, row[key_at], division))
            tables[table.name] = table
            if len(audit) == _FLUSH:
                taken += self._flush(connection, pending, tables, audit, at, actor)
        if audit:
            taken += self._flush(connection, pending, tables, audit, at, actor)
        return taken

    def _flush(
        self,
        connection: sqlite3.Connection,
        pending: dict[str, list[tuple[Any, ...]]],
        tables: dict[str, Table | None],
        audit: list[tuple[str, str, str]],
        at: str,
        actor: str,
    ) -> int:
        """Write the pending rows and their audit entries; how many records; clears all three.

        The chunk runs under a savepoint: a key already taken — stored before, written by an
        earlier chunk of this batch, or twice in this chunk — undoes only the chunk before
        :meth:`_duplicate` looks for the key, so that it names the right one.
        """
        # Parents before children (dicts keep insertion order: a main table's insert is
        # always added before its children's), then the audit entries, in input order.
        only = next(iter(tables.values())) if len(tables) == 1 else None
        if only is not None:
            last = connection.execute(f"SELECT MAX(rowid) FROM {only.name}").fetchone()[0]
        connection.execute("SAVEPOINT bulk_chunk")
        try:
            for sql, rows in pending.items():
                _insert_rows(connection, sql, rows)
        except sqlite3.IntegrityError:
            connection.execute("ROLLBACK TO bulk_chunk")
            raise self._duplicate(connection, audit) from None
        connection.execute("RELEASE bulk_chunk")
        if only is not None:
            # One table: its new rows, in rowid order, are the records in input order.
            connection.execute(
                _AUDIT_FROM_ROWS.format(table=only.name, key=only.key, division=only.division),
                (at, actor, only.aggregate.entity, last or 0),
            )
        else:
            _write_added(connection, audit, at, actor)
        written = len(audit)
        pending.clear()
        tables.clear()
        audit.clear()
        return written

    def _duplicate(
        self, connection: sqlite3.Connection, audit: list[tuple[str, str, str]]
    ) -> Exception:
        """The AlreadyExists behind a failed chunk (already undone): a key taken, or twice in it.

        A key held outside the store's scope is :class:`HeldOutsideScope`, which names no
        more than the key (see the scope policy in ``docs/howto-store.md``).
        """
        twice = repeated((entity, key) for entity, key, _ in audit)
        if twice is not None:
            return twice

        def one(query: str, params: list[Any]) -> Any:
            return connection.execute(query, params).fetchone()

        for entity, key, _ in audit:
            where, _, params = held(entity, key)
            if one(f"SELECT 1 FROM {where}", params) is not None:
                return taken(one, entity, key, self._scope)
        return sqlite3.IntegrityError("a constraint failed in a bulk import")

    def restore_indexes(self) -> list[str]:
        """Rebuild the indexes a killed bulk import left deferred; returns their names.

        Nothing to do (``[]``) when none are deferred, or while another process's import is
        running (it rebuilds them when it ends). Opening a store and starting a bulk import
        do this already; a long-running service can call it after an importer was killed.
        """
        connection = self._connect()
        try:
            return _rebuild_if_idle(connection, self._path, self._timeout)
        finally:
            connection.close()

    @property
    def deferred_indexes(self) -> list[str]:
        """The indexes a bulk import has dropped and not yet rebuilt (normally ``[]``)."""
        connection = self._connect()
        try:
            rows = connection.execute("SELECT name FROM deferred_indexes ORDER BY name")
            return [str(name) for (name,) in rows]
        finally:
            connection.close()

    def close(self) -> None:
        """Nothing to release: each unit of work closes its own connection (kept for symmetry)."""

    def __repr__(self) -> str:
        scope = "" if self._scope is None else f" scope={self._scope}"
        return f"<SqliteStore {str(self._path)!r}{scope} schema={LATEST}>"
