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
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories._aggregates import (
    RECORD_BY_TYPE,
    Aggregate,
    Criteria,
    Repositories,
    aggregate_of,
    audit_document,
    bounds,
    check_actor,
    encode,
    inside,
    record_document,
    record_value,
    system_clock,
    utc,
)
from veteran_affairs.repositories._mappers import (
    PERSON_SUMMARY_SELECT,
    RECORD_DELETE,
    RECORD_HOLDER,
    RECORD_INSERT,
    RECORD_INSERT_NEW,
    RECORD_LIVE,
    RECORD_SELECT,
    RECORD_TABLE,
    RECORD_UPDATE,
    TABLES,
    Table,
    audit_where,
    record_where,
)
from veteran_affairs.repositories._schema import LATEST, migrate, version_of
from veteran_affairs.repositories._store_errors import (
    AlreadyExists,
    ConcurrencyError,
    NotFound,
    OutOfScope,
    StoreBusy,
    key_taken,
)
from veteran_affairs.repositories.protocols import (
    AuditAction,
    AuditEntry,
    PersonSummary,
    Storable,
    Versioned,
)

__all__ = ["SqliteStore"]


def __dir__() -> list[str]:
    return __all__


_AUDIT_INSERT = (
    "INSERT INTO audit_log (at, actor, entity, key, action, version, division, before, after) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ACTIONS = {a.value: a for a in AuditAction}
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


def _taken(entity: str, key: str, division: str, scope: DivisionCode | None) -> AlreadyExists:
    """The error of an ``add`` of ``key``, held by a record in ``division`` (12 digits)."""
    visible = scope is None or division.startswith(scope.short)
    return key_taken(entity, key, visible=visible)


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


_LIVE_DOCUMENT = {
    entity: f"{table.select} WHERE t.{table.key} = ? AND t.version = 1"
    for entity, table in TABLES.items()
}


class _SqliteUnitOfWork(Repositories):
    def __init__(
        self,
        connection: sqlite3.Connection,
        scope: DivisionCode | None,
        actor: str,
        clock: Callable[[], dt.datetime],
        path: Path,
        timeout: float,
    ) -> None:
        super().__init__(self)
        self._db = connection
        self._path = path
        self._timeout = timeout
        self._scope = scope
        self._actor = actor
        self._clock = clock

    @property
    def actor(self) -> str:
        return self._actor

    # --- reading -----------------------------------------------------------------------------

    def _scoped(self, table: Table) -> tuple[str, list[Any]]:
        if self._scope is None:
            return "", []
        return f" AND t.{table.division} BETWEEN ? AND ?", list(bounds(self._scope))

    def _fetch(self, aggregate: Aggregate, key: str) -> tuple[Any, int] | None:
        table = TABLES[aggregate.entity]
        scoped, params = self._scoped(table)
        row = self._db.execute(
            f"{table.select} WHERE t.{table.key} = ?{scoped}", [key, *params]
        ).fetchone()
        if row is None:
            return None
        return table.record(row), row[len(table.columns)]

    def _fetch_record(self, aggregate: Aggregate, key: str) -> tuple[str, int, str] | None:
        """A record's ``(document, version, division)`` in the scope, or None."""
        where, params = record_where(aggregate.entity, self._scope)
        row = self._db.execute(f"{RECORD_SELECT}{where} AND t.key = ?", [*params, key]).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def read(self, aggregate: Aggregate, key: str) -> Versioned[Any]:
        if aggregate.record:
            stored = self._fetch_record(aggregate, key)
            if stored is None:
                raise NotFound(aggregate.entity, key)
            return Versioned(value=record_value(aggregate, stored[0]), version=stored[1])
        found = self._fetch(aggregate, key)
        if found is None:
            raise NotFound(aggregate.entity, key)
        return Versioned(value=found[0], version=found[1])

    def exists(self, aggregate: Aggregate, key: str) -> bool:
        if aggregate.record:
            where, params = record_where(aggregate.entity, self._scope)
            sql = f"SELECT 1 FROM {RECORD_TABLE} AS t{where} AND t.key = ?"
            return self._db.execute(sql, [*params, key]).fetchone() is not None
        table = TABLES[aggregate.entity]
        scoped, params = self._scoped(table)
        sql = f"SELECT 1 FROM {table.name} AS t WHERE t.{table.key} = ?{scoped}"
        return self._db.execute(sql, [key, *params]).fetchone() is not None

    def find(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        if aggregate.record:
            return self._find_records(aggregate, criteria)
        table = TABLES[aggregate.entity]
        where, params = table.clauses(self._scope, criteria)
        cursor = self._db.execute(f"{table.select}{where} ORDER BY {table.order_by}", params)
        record = table.record
        return (record(row) for row in cursor)

    def _find_records(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        where, params = record_where(aggregate.entity, self._scope, criteria.within)
        cursor = self._db.execute(f"{RECORD_SELECT}{where} ORDER BY t.key", params)
        values = (record_value(aggregate, row[0]) for row in cursor)
        test = criteria.where
        return values if test is None else (value for value in values if test(value))

    def person_summaries(self, criteria: Criteria) -> Iterator[PersonSummary]:
        where, params = TABLES["person"].clauses(self._scope, criteria)
        cursor = self._db.execute(f"{PERSON_SUMMARY_SELECT}{where} ORDER BY t.resident_id", params)
        day = dt.date.fromisoformat
        return (
            PersonSummary(key, kind, name, hukou, day(born), None if died is None else day(died), v)
            for key, kind, name, hukou, born, died, v in cursor
        )

    def count(self, aggregate: Aggregate, criteria: Criteria) -> int:
        if aggregate.record:
            if criteria.where is not None:
                return sum(1 for _ in self._find_records(aggregate, criteria))
            where, params = record_where(aggregate.entity, self._scope, criteria.within)
            sql = f"SELECT COUNT(*) FROM {RECORD_TABLE} AS t{where}"
            return int(self._db.execute(sql, params).fetchone()[0])
        table = TABLES[aggregate.entity]
        where, params = table.clauses(self._scope, criteria)
        row = self._db.execute(f"SELECT COUNT(*) FROM {table.name} AS t{where}", params).fetchone()
        return int(row[0])

    # --- writing -----------------------------------------------------------------------------

    def _begin(self) -> None:
        if not self._db.in_transaction:
            begin_writing(self._db, self._path, self._timeout)

    def _audit(
        self,
        aggregate: Aggregate,
        key: str,
        action: AuditAction,
        version: int,
        division: DivisionCode,
        before: Any,
        after: Any,
    ) -> None:
        self._audit_documents(
            aggregate,
            key,
            action,
            version,
            division.value,
            None if before is None else encode(before),
            None if after is None else encode(after),
        )

    def _audit_documents(
        self,
        aggregate: Aggregate,
        key: str,
        action: AuditAction,
        version: int,
        division: str,
        before: str | None,
        after: str | None,
    ) -> None:
        self._db.execute(
            _AUDIT_INSERT,
            (
                utc(self._clock()).isoformat(),
                self._actor,
                aggregate.entity,
                key,
                action.value,
                version,
                division,
                before,
                after,
            ),
        )

    def _write_children(self, table: Table, value: Any) -> None:
        for sql, rows in table.child_rows(value):
            self._db.executemany(sql, rows)

    def add(self, aggregate: Aggregate, value: Any) -> int:
        if aggregate.record:
            return self._add_record(aggregate, value)
        division = self._check_scope(aggregate, value)
        table = TABLES[aggregate.entity]
        key = aggregate.key(value)
        row = table.row(value)  # may refuse the value (a fraction of a fen) before any write
        self._begin()
        holder = self._db.execute(
            f"SELECT {table.division} FROM {table.name} WHERE {table.key} = ?", (key,)
        ).fetchone()
        if holder is not None:
            raise _taken(aggregate.entity, key, holder[0], self._scope)
        self._db.execute(table.insert, (*row, 1))
        self._write_children(table, value)
        # The "after" of an addition is kept by reference (see SqliteStore.audit).
        self._audit(aggregate, key, AuditAction.ADDED, 1, division, None, None)
        return 1

    def update(self, aggregate: Aggregate, value: Any, version: int) -> int:
        if aggregate.record:
            return self._update_record(aggregate, value, version)
        division = self._check_scope(aggregate, value)
        table = TABLES[aggregate.entity]
        key = aggregate.key(value)
        row = table.row(value)
        self._begin()
        current = self._fetch(aggregate, key)
        if current is None:
            raise NotFound(aggregate.entity, key)
        before, stored = current
        if stored != version:
            raise ConcurrencyError(aggregate.entity, key, version, stored)
        changed = self._db.execute(table.update, (*row, version + 1, key, version)).rowcount
        if changed != 1:  # cannot happen under the write lock; never write over a change
            raise ConcurrencyError(aggregate.entity, key, version, None)
        for child in table.children:
            self._db.execute(f"DELETE FROM {child} WHERE {table.key} = ?", (key,))
        self._write_children(table, value)
        self._audit(aggregate, key, AuditAction.UPDATED, version + 1, division, before, value)
        return version + 1

    def remove(self, aggregate: Aggregate, key: str, version: int) -> None:
        if aggregate.record:
            self._remove_record(aggregate, key, version)
            return
        table = TABLES[aggregate.entity]
        self._begin()
        current = self._fetch(aggregate, key)
        if current is None:
            raise NotFound(aggregate.entity, key)
        before, stored = current
        if stored != version:
            raise ConcurrencyError(aggregate.entity, key, version, stored)
        self._db.execute(
            f"DELETE FROM {table.name} WHERE {table.key} = ? AND version = ?", (key, version)
        )
        division = aggregate.division(before)
        self._audit(aggregate, key, AuditAction.REMOVED, version, division, before, None)

    # --- records of registered kinds ---------------------------------------------------------

    def _add_record(self, aggregate: Aggregate, value: Any) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        document = record_document(aggregate, value)
        self._begin()
        holder = self._db.execute(RECORD_HOLDER, (aggregate.entity, key)).fetchone()
        if holder is not None:
            raise _taken(aggregate.entity, key, holder[0], self._scope)
        self._db.execute(RECORD_INSERT, (aggregate.entity, key, division.value, 1, document))
        # The "after" of an addition is kept by reference (see SqliteStore.audit).
        self._audit_documents(aggregate, key, AuditAction.ADDED, 1, division.value, None, None)
        return 1

    def _current_record(self, aggregate: Aggregate, key: str, version: int) -> tuple[str, str]:
        """The record's stored ``(document, division)``; raises unless it is at ``version``."""
        self._begin()
        stored = self._fetch_record(aggregate, key)
        if stored is None:
            raise NotFound(aggregate.entity, key)
        if stored[1] != version:
            raise ConcurrencyError(aggregate.entity, key, version, stored[1])
        return stored[0], stored[2]

    def _update_record(self, aggregate: Aggregate, value: Any, version: int) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        document = record_document(aggregate, value)
        before, _ = self._current_record(aggregate, key, version)
        changed = self._db.execute(
            RECORD_UPDATE, (division.value, version + 1, document, aggregate.entity, key, version)
        ).rowcount
        if changed != 1:  # cannot happen under the write lock; never write over a change
            raise ConcurrencyError(aggregate.entity, key, version, None)
        kind = aggregate.entity
        self._audit_documents(
            aggregate,
            key,
            AuditAction.UPDATED,
            version + 1,
            division.value,
            audit_document(kind, before),
            audit_document(kind, document),
        )
        return version + 1

    def _remove_record(self, aggregate: Aggregate, key: str, version: int) -> None:
        before, division = self._current_record(aggregate, key, version)
        self._db.execute(RECORD_DELETE, (aggregate.entity, key, version))
        document = audit_document(aggregate.entity, before)
        self._audit_documents(
            aggregate, key, AuditAction.REMOVED, version, division, document, None
        )

    # --- ending ------------------------------------------------------------------------------

    def commit(self) -> None:
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def __repr__(self) -> str:
        return f"<sqlite unit of work actor={self._actor!r}>"


# An addition's "after" is stored by reference (NULL): version 1 of the record is the
# "before" of the next entry for the same key, if there is one, else the live row (still at
# version 1, since any later change would have written an entry).
_AUDIT_SELECT = (
    "SELECT a.sequence, a.at, a.actor, a.entity, a.key, a.action, a.version, a.division, "
    "a.before, CASE WHEN a.after IS NULL AND a.action = 'added' THEN ("
    "SELECT b.before FROM audit_log AS b WHERE b.entity = a.entity AND b.key = a.key "
    "AND b.sequence > a.sequence ORDER BY b.sequence LIMIT 1) ELSE a.after END "
    "FROM audit_log AS a"
)


def _live_document(connection: sqlite3.Connection, entity: str, key: str) -> str | None:
    """The audit document of the live record ``key`` at version 1 (``None``: none such)."""
    if entity not in TABLES:  # a record kind's: its stored document, as it is
        found = connection.execute(RECORD_LIVE, (entity, key)).fetchone()
        return None if found is None else audit_document(entity, found[0])
    row = connection.execute(_LIVE_DOCUMENT[entity], (key,)).fetchone()
    return None if row is None else encode(TABLES[entity].record(row))


class _SqliteAuditLog:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def entries(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[AuditEntry]:
        where, params = audit_where(self._store.scope, entity, key, actor, since, until)
        return self._stream(f"{_AUDIT_SELECT}{where} ORDER BY a.sequence", params)

    def _stream(self, sql: str, params: list[Any]) -> Iterator[AuditEntry]:
        connection = self._store._connect()
        try:
            # One read transaction: the entries and the live rows an addition's "after"
            # refers to are read from the same snapshot.
            connection.execute("BEGIN")
            for row in connection.execute(sql, params):
                after = row[9]
                if after is None and row[5] == "added":
                    after = _live_document(connection, row[3], row[4])
                yield AuditEntry(
                    sequence=row[0],
                    at=dt.datetime.fromisoformat(row[1]),
                    actor=row[2],
                    entity=row[3],
                    key=row[4],
                    action=_ACTIONS[row[5]],
                    version=row[6],
                    division=DivisionCode(row[7]),
                    before=row[8],
                    after=after,
                )
        finally:
            connection.close()

    def count(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> int:
        where, params = audit_where(self._store.scope, entity, key, actor, since, until)
        connection = self._store._connect()
        try:
            sql = f"SELECT COUNT(*) FROM audit_log AS a{where}"
            row = connection.execute(sql, params).fetchone()
        finally:
            connection.close()
        return int(row[0])


class SqliteStore:
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

    @property
    def scope(self) -> DivisionCode | None:
        return self._scope

    @property
    def schema_version(self) -> int:
        """The version of the database's schema (:data:`LATEST` once opened)."""
        connection = self._connect()
        try:
            return version_of(connection)
        finally:
            connection.close()

    @property
    def audit(self) -> _SqliteAuditLog:
        return _SqliteAuditLog(self)

    def _connect(self) -> sqlite3.Connection:
        return _connect(self._path, self._timeout)

    @contextmanager
    def unit_of_work(self, *, actor: str) -> Iterator[_SqliteUnitOfWork]:
        uow_actor = check_actor(actor)
        connection = self._connect()
        uow = _SqliteUnitOfWork(
            connection, self._scope, uow_actor, self._clock, self._path, self._timeout
        )
        try:
            yield uow
        finally:
            try:
                uow.rollback()
            finally:
                connection.close()

    def scoped(self, division: DivisionCode) -> SqliteStore:
        if not isinstance(division, DivisionCode):
            raise TypeError(f"scoped() takes a DivisionCode, not {type(division).__name__}")
        if not inside(division, self._scope):
            assert self._scope is not None
            raise OutOfScope(self._scope.value, division.value, "scope")
        view = object.__new__(SqliteStore)
        view.__dict__.update(self.__dict__)
        view._scope = division
        return view

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
        seen: set[tuple[str, str]] = set()
        for entity, key, _ in audit:
            if (entity, key) in seen:
                return AlreadyExists(entity, key)
            seen.add((entity, key))
        for entity, key, _ in audit:
            table = TABLES.get(entity)
            if table is None:  # a record of a registered kind
                holder = connection.execute(RECORD_HOLDER, (entity, key)).fetchone()
            else:
                sql = f"SELECT {table.division} FROM {table.name} WHERE {table.key} = ?"
                holder = connection.execute(sql, (key,)).fetchone()
            if holder is not None:
                return _taken(entity, key, holder[0], self._scope)
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
