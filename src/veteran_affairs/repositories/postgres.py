"""The PostgreSQL store (PostgreSQL 存储): many writers, one server, through psycopg 3.

:class:`PostgresStore` keeps every aggregate in tables of one PostgreSQL schema, with the
same interfaces and behaviour as :class:`~veteran_affairs.repositories.SqliteStore` (it
passes the same contract suite), for when many county offices write at once or one file
is no longer enough. Needs the ``postgres`` extra: ``pip install 'veteran_affairs[postgres]'``.

* **values** — dates are ``DATE``, division codes their 12 digits (``text`` with the ``"C"``
  collation, so a subtree is an index range), money ``BIGINT`` fen (a fraction of a fen is
  refused with :class:`~veteran_affairs.errors.InvalidAmount`), enums by value, keys and
  names verbatim (``"C"`` collation: ``find`` streams in code-point order, like the other
  stores). Rows are turned into records by the same mappers as the SQLite store.
* **scoping in SQL** — every read of a scoped store carries the code-range predicate
  (``division BETWEEN '450312000000' AND '450312999999'``), and so do the ``UPDATE`` and
  ``DELETE`` of a write; a write of a value outside the scope raises
  :class:`~veteran_affairs.repositories.OutOfScope` before any SQL. An ``add`` of a key a
  record outside the scope holds raises
  :class:`~veteran_affairs.repositories.HeldOutsideScope`, after asking only whether the
  holder lies in the scope.
* **units of work** — one connection each (reused from a few kept idle), in a ``READ COMMITTED`` transaction that
  :meth:`commit` ends with ``COMMIT`` (leaving the block without it rolls back). Each write
  runs under a savepoint, so a failed write leaves the unit's earlier changes intact.
  ``find`` streams through a server-side cursor.
* **optimistic versions** — an update locks the row (``SELECT … FOR UPDATE``), compares the
  version read, and writes ``UPDATE … WHERE key = %s AND version = %s``, checking the row
  count: a stale version raises :class:`~veteran_affairs.repositories.ConcurrencyError` and
  writes nothing, so nobody's change is lost. A writer kept waiting for a row lock longer
  than ``timeout`` gets :class:`~veteran_affairs.repositories.StoreBusy`.
* **audit** — the entries of a unit are written at its commit, numbered from a one-row
  counter that the committing transaction holds locked until ``COMMIT``: sequence numbers
  are gap-free and in commit order, as the protocol promises. Triggers refuse ``UPDATE``,
  ``DELETE`` and ``TRUNCATE`` of the log. An addition's ``after`` is kept by reference, as
  in the SQLite store.
* **bulk import** — :meth:`PostgresStore.bulk_add` writes each batch with ``COPY``, in one
  transaction: a batch is stored whole or not at all.
* **records of registered kinds** (:mod:`~veteran_affairs.repositories.records`, schema
  2) — one table, ``casework_records (kind, key, division, version, document)``, as in the
  SQLite store: the primary key ``(kind, key)``, an index on ``(kind, division)``, and the
  record's JSON (the converter's ``unstructure``) as ``document``, structured back on reading.
* **schema** — a ``schema_version`` table and forward migrations, applied (under an
  advisory lock) when a store opens; a schema written by a newer library is refused with
  :class:`~veteran_affairs.repositories.IncompatibleSchema`. ``schema=`` names the
  PostgreSQL schema (namespace) the tables live in, so several stores (or test runs) can
  share one database.

Only parameterised SQL is sent; identifiers (the schema's name) are quoted by psycopg.

The unit of work, the audit log and the store's scoping are those of every SQL store
(``_sql_core``); this module holds PostgreSQL's dialect and hooks, the schema and its
migrations, the connection pool and the bulk import.

Using it needs a server, so the example is not run here (``docs/howto-store.md`` shows one
that is)::

    store = PostgresStore("host=/run/postgresql dbname=veterans", schema="guangxi")
    with store.unit_of_work(actor="county-clerk") as uow:
        uow.stations.add(station)
        uow.commit()

The schema version this library writes:

>>> SCHEMA_VERSION
2
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

try:
    import psycopg
    from psycopg import sql
    from psycopg.types.string import TextLoader
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "PostgresStore needs psycopg 3: pip install 'veteran_affairs[postgres]'"
    ) from error

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories._aggregates import (
    aggregate_of,
    check_actor,
    inside,
    record_document,
    system_clock,
    utc,
)
from veteran_affairs.repositories._mappers import RECORD_TABLE, TABLES, Rows, Table
from veteran_affairs.repositories._sql_core import (
    AuditRow,
    Dialect,
    SqlAuditLog,
    SqlStore,
    SqlUnitOfWork,
    repeated,
    taken,
)
from veteran_affairs.repositories._store_errors import (
    IncompatibleSchema,
    OutOfScope,
    StoreBusy,
)
from veteran_affairs.repositories.protocols import AuditAction, Storable

__all__ = ["SCHEMA_VERSION", "PostgresStore"]


def __dir__() -> list[str]:
    return __all__


Connection = psycopg.Connection[tuple[Any, ...]]

# --- the schema ------------------------------------------------------------------------------

_TEXT = 'TEXT COLLATE "C"'
_V1: tuple[str, ...] = (
    f"""CREATE TABLE persons (
        resident_id {_TEXT} PRIMARY KEY,
        kind {_TEXT} NOT NULL CHECK (kind IN ('veteran', 'survivor', 'serving-member')),
        name {_TEXT} NOT NULL,
        sex {_TEXT} NOT NULL,
        birth_date DATE NOT NULL,
        hukou_division {_TEXT} NOT NULL,
        hukou_type {_TEXT} NOT NULL,
        ethnicity {_TEXT},
        phone {_TEXT},
        died_on DATE,
        detail TEXT NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX persons_division ON persons (hukou_division)",
    f"""CREATE TABLE person_statuses (
        resident_id {_TEXT} NOT NULL REFERENCES persons (resident_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category {_TEXT} NOT NULL,
        since DATE NOT NULL,
        until DATE,
        PRIMARY KEY (resident_id, position)
    )""",
    "CREATE INDEX person_statuses_category ON person_statuses (category, since)",
    f"""CREATE TABLE households (
        household_id {_TEXT} PRIMARY KEY,
        hukou_division {_TEXT} NOT NULL,
        head {_TEXT} NOT NULL,
        plaque_hung_on DATE,
        plaque_recovered_on DATE,
        plaque_recovery_reason {_TEXT},
        applied_on DATE,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX households_division ON households (hukou_division)",
    f"""CREATE TABLE household_members (
        household_id {_TEXT} NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id {_TEXT} NOT NULL,
        PRIMARY KEY (household_id, position)
    )""",
    f"""CREATE TABLE plaque_members (
        household_id {_TEXT} NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id {_TEXT} NOT NULL,
        basis {_TEXT} NOT NULL,
        since DATE NOT NULL,
        died_on DATE,
        certificate_holder BOOLEAN,
        PRIMARY KEY (household_id, position)
    )""",
    f"""CREATE TABLE plaque_disqualifications (
        household_id {_TEXT} NOT NULL REFERENCES households (household_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id {_TEXT} NOT NULL,
        kind {_TEXT} NOT NULL,
        on_date DATE NOT NULL,
        lifted_on DATE,
        PRIMARY KEY (household_id, position)
    )""",
    f"""CREATE TABLE stations (
        station_id {_TEXT} PRIMARY KEY,
        division {_TEXT} NOT NULL,
        kind {_TEXT} NOT NULL,
        name {_TEXT},
        status {_TEXT} NOT NULL,
        established_on DATE,
        closed_on DATE,
        office_area_m2 {_TEXT},
        staff INTEGER NOT NULL,
        has_institution BOOLEAN NOT NULL,
        has_establishment BOOLEAN NOT NULL,
        has_personnel BOOLEAN NOT NULL,
        has_funding BOOLEAN NOT NULL,
        has_support BOOLEAN NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX stations_division ON stations (division)",
    f"""CREATE TABLE cases (
        case_id {_TEXT} PRIMARY KEY,
        applicant {_TEXT} NOT NULL,
        division {_TEXT} NOT NULL,
        cause {_TEXT} NOT NULL,
        incident_on DATE NOT NULL,
        status {_TEXT} NOT NULL,
        applied_on DATE NOT NULL,
        requested_fen BIGINT,
        approved_fen BIGINT,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX cases_division ON cases (division)",
    "CREATE INDEX cases_status ON cases (status, division)",
    "CREATE INDEX cases_incident ON cases (incident_on)",
    f"""CREATE TABLE case_history (
        case_id {_TEXT} NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        from_status {_TEXT},
        to_status {_TEXT} NOT NULL,
        on_date DATE NOT NULL,
        actor {_TEXT} NOT NULL,
        note {_TEXT},
        PRIMARY KEY (case_id, position)
    )""",
    f"""CREATE TABLE case_funding (
        case_id {_TEXT} NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source {_TEXT} NOT NULL,
        amount_fen BIGINT NOT NULL,
        PRIMARY KEY (case_id, position)
    )""",
    f"""CREATE TABLE activities (
        activity_id {_TEXT} PRIMARY KEY,
        kind {_TEXT} NOT NULL,
        unit {_TEXT} NOT NULL,
        held_on DATE NOT NULL,
        participants INTEGER NOT NULL,
        topic {_TEXT},
        for_period {_TEXT},
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX activities_unit ON activities (unit)",
    "CREATE INDEX activities_held ON activities (held_on)",
    "CREATE INDEX activities_period ON activities (for_period)",
    f"""CREATE TABLE activity_contacts (
        activity_id {_TEXT} NOT NULL REFERENCES activities (activity_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        resident_id {_TEXT} NOT NULL,
        PRIMARY KEY (activity_id, position)
    )""",
    f"""CREATE TABLE report_submissions (
        submission_key {_TEXT} PRIMARY KEY,
        unit {_TEXT} NOT NULL,
        kind {_TEXT} NOT NULL,
        period {_TEXT} NOT NULL,
        submitted_on DATE NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (unit, kind, period)
    )""",
    "CREATE INDEX report_submissions_kind ON report_submissions (kind, period)",
    "CREATE INDEX report_submissions_period ON report_submissions (period)",
    f"""CREATE TABLE report_figures (
        submission_key {_TEXT} NOT NULL
            REFERENCES report_submissions (submission_key) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        figure_key {_TEXT} NOT NULL,
        type {_TEXT} NOT NULL CHECK (type IN ('int', 'decimal')),
        figure {_TEXT} NOT NULL,
        PRIMARY KEY (submission_key, position)
    )""",
    f"""CREATE TABLE audit_log (
        sequence BIGINT PRIMARY KEY,
        at TIMESTAMPTZ NOT NULL,
        actor {_TEXT} NOT NULL,
        entity {_TEXT} NOT NULL,
        key {_TEXT} NOT NULL,
        action {_TEXT} NOT NULL CHECK (action IN ('added', 'updated', 'removed')),
        version INTEGER NOT NULL,
        division {_TEXT} NOT NULL,
        before TEXT,
        after TEXT
    )""",
    "CREATE INDEX audit_log_key ON audit_log (entity, key, sequence)",
    "CREATE INDEX audit_log_actor ON audit_log (actor)",
    "CREATE INDEX audit_log_at ON audit_log (at)",
    "CREATE INDEX audit_log_division ON audit_log (division)",
    "CREATE TABLE audit_sequence (last BIGINT NOT NULL)",
    "INSERT INTO audit_sequence (last) VALUES (0)",
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only (审计日志只能追加)';
    END
    $$""",
    (
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    ),
    (
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    ),
)

# Version 2: records of registered kinds (``veteran_affairs.repositories.records``) share one
# table, as in the SQLite store's version 6: the kind, the key (unique within the kind), the
# 12-digit division, the version, and the record's JSON document.
_V2: tuple[str, ...] = (
    f"""CREATE TABLE casework_records (
        kind {_TEXT} NOT NULL,
        key {_TEXT} NOT NULL,
        division {_TEXT} NOT NULL,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    )""",
    "CREATE INDEX casework_records_division ON casework_records (kind, division)",
)

_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
"""``_MIGRATIONS[n - 1]`` takes a schema from version ``n - 1`` to ``n``. Never edit a
released migration: add the next one."""

SCHEMA_VERSION = len(_MIGRATIONS)
"""The version of the PostgreSQL schema this library writes (its own numbering: the SQLite
store's versions 1–3 are PostgreSQL's version 1, its version 6 PostgreSQL's version 2)."""


def _version_of(connection: Connection) -> int:
    found = connection.execute("SELECT to_regclass('schema_version')").fetchone()
    if found is None or found[0] is None:
        return 0
    row = connection.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(row[0])


def _migrate(connection: Connection, schema: str, *, to: int = SCHEMA_VERSION) -> int:
    """Create ``schema`` if needed and apply the missing migrations up to ``to``, in one
    transaction."""
    with connection.transaction():
        # Two stores opening one new schema at once: the second waits, then finds it done.
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (schema,))
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        current = _version_of(connection)
        if current > SCHEMA_VERSION:
            raise IncompatibleSchema(current, SCHEMA_VERSION)
        if current == 0:
            connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            connection.execute("INSERT INTO schema_version (version) VALUES (0)")
        for version in range(current + 1, to + 1):
            # One round trip: the statements of a migration as one simple query.
            connection.execute(";\n".join(_MIGRATIONS[version - 1]).encode())
            connection.execute("UPDATE schema_version SET version = %s", (version,))
    return max(current, to)


# --- SQL of the aggregates --------------------------------------------------------------------

# The child tables of each aggregate, with the columns its record reads (after ``position``),
# in the order of the record's trailing values (see ``_mappers``).
_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (("person_statuses", "category, since, until"),),
    "household": (
        ("household_members", "resident_id"),
        ("plaque_members", "resident_id, basis, since, died_on, certificate_holder"),
        ("plaque_disqualifications", "resident_id, kind, on_date, lifted_on"),
    ),
    "station": (),
    "case": (
        ("case_history", "from_status, to_status, on_date, actor, note"),
        ("case_funding", "source, amount_fen"),
    ),
    "activity": (("activity_contacts", "resident_id"),),
    "report": (("report_figures", "figure_key, type, figure"),),
}


@functools.lru_cache(maxsize=1024)
def _pg(text: str) -> str:
    """A statement of ``_mappers`` (``?`` placeholders) with psycopg's ``%s`` placeholders.

    Kept for the next time: the statements a store runs come in a few shapes.
    """
    return text.replace("?", "%s")


@contextmanager
def _busy(what: str, timeout: float) -> Iterator[None]:
    try:
        yield
    except psycopg.errors.LockNotAvailable as error:
        raise StoreBusy(what, timeout) from error


def _select(table: Table) -> str:
    """The ``SELECT`` of an aggregate's row, its version and its child rows (``json_agg``)."""
    columns = ", ".join(f"t.{c}" for c in table.columns)
    children = "".join(
        f", (SELECT json_agg(json_build_array(c.position, "
        f"{', '.join('c.' + n.strip() for n in names.split(','))}) ORDER BY c.position)::text "
        f"FROM {child} AS c WHERE c.{table.key} = t.{table.key})"
        for child, names in _CHILDREN[table.aggregate.entity]
    )
    return f"SELECT {columns}, t.version{children} FROM {table.name} AS t"


POSTGRES = Dialect.of(
    name="postgres",
    mark=_pg,
    select=_select,
    lock=" FOR UPDATE OF t",
    moment=lambda moment: moment,  # TIMESTAMPTZ
    at=lambda moment: moment,
)
_SQL = POSTGRES.statements
_INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)")


def _copy_of(insert: str) -> str:
    """``COPY table (columns) FROM STDIN`` for the ``INSERT`` of a child table in ``_mappers``."""
    found = _INSERT.match(insert)
    assert found is not None, insert
    return f"COPY {found[1]} ({found[2]}) FROM STDIN"


_COPY = {entity: _copy_of(table.insert) for entity, table in TABLES.items()}
_RECORD_COPY = f"COPY {RECORD_TABLE} (kind, key, division, version, document) FROM STDIN"
_AUDIT_COLUMNS = "sequence, at, actor, entity, key, action, version, division, before, after"
_AUDIT_INSERT = f"INSERT INTO audit_log ({_AUDIT_COLUMNS}) VALUES ({', '.join(['%s'] * 10)})"
_AUDIT_COPY = f"COPY audit_log ({_AUDIT_COLUMNS}) FROM STDIN"
_NEXT_SEQUENCES = "UPDATE audit_sequence SET last = last + %s RETURNING last"
_CURSORS = itertools.count()  # names of server-side cursors, unique in the process


def _number(connection: Connection, pending: list[AuditRow]) -> list[tuple[Any, ...]]:
    """The entries with their sequence numbers; the counter stays locked until COMMIT."""
    row = connection.execute(_NEXT_SEQUENCES, (len(pending),)).fetchone()
    assert row is not None
    first = int(row[0]) - len(pending) + 1
    return [(first + n, *entry) for n, entry in enumerate(pending)]


def _connect(conninfo: str, schema: str, timeout: float) -> Connection:
    connection: Connection = psycopg.connect(conninfo, autocommit=True)
    try:
        path = sql.Identifier(schema).as_string(connection)
        connection.execute(
            "SELECT set_config('search_path', %s, false), set_config('TimeZone', 'UTC', false), "
            "set_config('lock_timeout', %s, false)",
            (path, f"{max(1, round(timeout * 1000))}ms"),
        )
        # Dates are read as ISO text, which the shared row mappers expect.
        connection.adapters.register_loader("date", TextLoader)
        connection.autocommit = False
    except BaseException:
        connection.close()
        raise
    return connection


class _Pool:
    """Idle connections of one store (and its scoped views), reused by the next unit of work.

    A connection goes back only when it is idle (its transaction ended); at most ``size``
    wait. :meth:`close` (also run when the store is garbage-collected) closes them.
    """

    def __init__(self, conninfo: str, schema: str, timeout: float, size: int = 4) -> None:
        self._args = (conninfo, schema, timeout)
        self._size = size
        self._idle: list[Connection] = []
        self._lock = threading.Lock()

    def take(self) -> Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _connect(*self._args)

    def give_back(self, connection: Connection) -> None:
        if connection.closed:
            return
        if connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            with self._lock:
                if len(self._idle) < self._size:
                    self._idle.append(connection)
                    return
        connection.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class _PostgresUnitOfWork(SqlUnitOfWork):
    """A unit of work in one ``READ COMMITTED`` transaction: each write under a savepoint,
    rows locked before they change, audit entries numbered and written at commit."""

    _dialect = POSTGRES

    def __init__(
        self,
        connection: Connection,
        scope: DivisionCode | None,
        actor: str,
        clock: Callable[[], dt.datetime],
        what: str,
        timeout: float,
        release: Callable[[Connection], None],
    ) -> None:
        super().__init__(scope, actor, clock)
        self._db = connection
        self._release = release
        self._what = what
        self._timeout = timeout
        self._pending: list[AuditRow] = []
        self.open = True

    def _one(self, query: str, params: Sequence[Any]) -> Any:
        with _busy(self._what, self._timeout):
            return self._db.execute(query, params).fetchone()

    def _run(self, query: str, params: Sequence[Any]) -> int:
        return self._db.execute(query, params).rowcount

    def _rows(self, query: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        # A server-side cursor: rows arrive 2,000 at a time, never all at once.
        cursor = self._db.cursor(name=f"va_find_{next(_CURSORS)}")
        cursor.itersize = 2_000
        try:
            yield from cursor.execute(query, params)
        finally:
            # After the unit ended, its transaction (and the cursor with it) is gone, and the
            # connection may serve another unit: leave it alone.
            if self.open and not cursor.closed:
                cursor.close()

    def _run_many(self, statements: Iterable[tuple[str, Rows]]) -> None:
        with self._db.cursor() as cursor:
            for insert, rows in statements:
                cursor.executemany(_pg(insert), rows)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write, all or nothing, inside the unit's transaction (which it opens if needed).

        Not ``Connection.transaction()``: outside a transaction that would commit on its own.
        """
        with _busy(self._what, self._timeout):
            self._db.execute("SAVEPOINT va_write")
            try:
                yield
            except BaseException:
                if not self._db.closed:
                    self._db.execute("ROLLBACK TO SAVEPOINT va_write")
                    self._db.execute("RELEASE SAVEPOINT va_write")
                raise
            self._db.execute("RELEASE SAVEPOINT va_write")

    def _log(self, entry: AuditRow) -> None:
        self._pending.append(entry)  # numbered at commit, in commit order

    def commit(self) -> None:
        if self._pending:
            with _busy(self._what, self._timeout), self._db.cursor() as cursor:
                cursor.executemany(_AUDIT_INSERT, _number(self._db, self._pending))
        self._db.commit()
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()
        if not self._db.closed:
            self._db.rollback()

    def _end(self) -> None:
        self.open = False
        try:
            self.rollback()
        finally:
            self._release(self._db)


class _PostgresAuditLog(SqlAuditLog[Connection]):
    _dialect = POSTGRES

    def __init__(self, store: PostgresStore) -> None:
        super().__init__(store.scope)
        self._pool = store._pool

    @contextmanager
    def _connection(self, *, snapshot: bool) -> Iterator[Connection]:
        connection = self._pool.take()
        try:
            if snapshot:  # the entries and the live rows they refer to
                connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            yield connection
            connection.rollback()
            if snapshot:
                connection.isolation_level = None
        finally:
            self._pool.give_back(connection)

    def _cursor(
        self, connection: Connection, query: str, params: Sequence[Any]
    ) -> psycopg.ServerCursor[tuple[Any, ...]]:
        cursor = connection.cursor(name="va_audit")
        cursor.itersize = 2_000
        return cursor.execute(query, params)

    def _one(self, connection: Connection, query: str, params: Sequence[Any]) -> Any:
        return connection.execute(query, params).fetchone()


# --- the store -------------------------------------------------------------------------------


class PostgresStore(SqlStore[_PostgresUnitOfWork]):
    """Every aggregate in tables of one PostgreSQL schema (PostgreSQL 存储).

    Opening a store connects once to create the schema if needed and bring it up to date
    (:data:`SCHEMA_VERSION`). Each unit of work and audit query then has a connection of its
    own, taken from a few idle ones the store keeps (and :meth:`close` closes); a bulk import
    opens its own. A store may be shared between threads; a unit of work may not.

    Args:
        conninfo: a libpq connection string or URI (``"host=/run/postgresql dbname=va"``,
            ``"postgresql://clerk@db.example/va"``); passwords are best left to
            ``~/.pgpass`` or ``PGPASSWORD``.
        schema: the PostgreSQL schema (namespace) holding the tables; created if missing.
        clock: the time of each change for the audit log (timezone-aware); the default is
            the system clock in UTC.
        timeout: seconds a write waits for a row another transaction has locked, after
            which it raises :class:`~veteran_affairs.repositories.StoreBusy`.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "veteran_affairs",
        clock: Callable[[], dt.datetime] = system_clock,
        timeout: float = 10.0,
    ) -> None:
        if not schema or len(schema) > 63:
            raise ValueError(f"schema must be a name of 1 to 63 characters, not {schema!r}")
        self._conninfo = conninfo
        self._schema = schema
        self._clock = clock
        self._timeout = timeout
        self._scope: DivisionCode | None = None
        self._pool = _Pool(conninfo, schema, timeout)
        weakref.finalize(self, self._pool.close)
        connection = self._connect()
        try:
            _migrate(connection, schema)
        finally:
            connection.close()

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding the tables."""
        return self._schema

    def _version_of(self, connection: Any) -> int:
        return _version_of(connection)

    @property
    def audit(self) -> _PostgresAuditLog:
        return _PostgresAuditLog(self)

    @property
    def _what(self) -> str:
        return f"PostgreSQL schema {self._schema!r}"

    def _connect(self) -> Connection:
        return _connect(self._conninfo, self._schema, self._timeout)

    def _unit(self, actor: str) -> _PostgresUnitOfWork:
        connection = self._pool.take()
        return _PostgresUnitOfWork(
            connection,
            self._scope,
            actor,
            self._clock,
            self._what,
            self._timeout,
            self._pool.give_back,
        )

    def scoped(self, division: DivisionCode) -> PostgresStore:
        view = super().scoped(division)
        weakref.finalize(view, view._pool.close)
        return view

    def bulk_add(
        self,
        entities: Iterable[Storable],
        *,
        actor: str,
        batch_size: int = 10_000,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Add many records, ``batch_size`` per transaction; returns how many were added.

        Records are read from ``entities`` lazily, a batch at a time, and written with
        ``COPY``; each gets its audit entry, with the batch's one time (the clock is read
        once per batch) and its ``after`` by reference. A batch that fails (a key already
        stored, a value outside the scope) is rolled back whole and its error raised; the
        batches before it stay committed. ``on_batch`` is called with the running total
        after each commit.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        who = check_actor(actor)
        connection = self._connect()
        added = 0
        iterator = iter(entities)
        try:
            while True:
                try:
                    taken = self._bulk_batch(connection, iterator, batch_size, who)
                    connection.commit()
                except BaseException:
                    connection.rollback()
                    raise
                if taken == 0:
                    break
                added += taken
                if on_batch is not None:
                    on_batch(added)
        finally:
            connection.close()
        return added

    def _bulk_batch(
        self, connection: Connection, iterator: Iterator[Storable], size: int, actor: str
    ) -> int:
        rows: dict[str, list[Sequence[Any]]] = {}
        pending: list[AuditRow] = []
        keys: list[tuple[str, str]] = []
        at = utc(self._clock())  # one batch, one transaction, one time
        added = AuditAction.ADDED.value
        scope = self._scope
        for value in itertools.islice(iterator, size):
            aggregate = aggregate_of(value)
            if aggregate.record:
                division = aggregate.division(value)
                if not inside(division, scope):
                    assert scope is not None
                    raise OutOfScope(scope.value, division.value, aggregate.entity)
                key = aggregate.key(value)
                document = record_document(aggregate, value)
                stored = (aggregate.entity, key, division.value, 1, document)
                rows.setdefault(_RECORD_COPY, []).append(stored)
                pending.append(
                    (at, actor, aggregate.entity, key, added, 1, division.value, None, None)
                )
                keys.append((aggregate.entity, key))
                continue
            table = TABLES[aggregate.entity]
            division = aggregate.division(value)
            if not inside(division, scope):
                assert scope is not None
                raise OutOfScope(scope.value, division.value, aggregate.entity)
            key = aggregate.key(value)
            rows.setdefault(_COPY[aggregate.entity], []).append((*table.row(value), 1))
            for insert, child in table.child_rows(value):
                rows.setdefault(_copy_of(insert), []).extend(child)
            # "after" by reference: version 1 is the live row, or the next entry's "before".
            pending.append((at, actor, aggregate.entity, key, added, 1, division.value, None, None))
            keys.append((aggregate.entity, key))
        if not pending:
            return 0
        try:
            with _busy(self._what, self._timeout), connection.cursor() as cursor:
                # Parents before children: a main table's rows always come first.
                for statement, batch in rows.items():
                    with cursor.copy(statement.encode()) as copy:
                        for row in batch:
                            copy.write_row(row)
                numbered = _number(connection, pending)
                with cursor.copy(_AUDIT_COPY.encode()) as copy:
                    for row in numbered:
                        copy.write_row(row)
        except psycopg.errors.UniqueViolation:
            raise self._duplicate(connection, keys) from None
        return len(pending)

    def _duplicate(self, connection: Connection, keys: list[tuple[str, str]]) -> Exception:
        """The AlreadyExists behind a failed ``COPY``: a key stored before, or twice in the batch.

        A key held outside the store's scope is :class:`HeldOutsideScope`, which names no
        more than the key (see the scope policy in ``docs/howto-store.md``).
        """
        twice = repeated(keys)
        if twice is not None:
            return twice
        connection.rollback()

        def one(query: str, params: list[Any]) -> Any:
            return connection.execute(_pg(query), params).fetchone()

        by_entity: dict[str, list[str]] = {}
        for entity, key in keys:
            by_entity.setdefault(entity, []).append(key)
        for entity, wanted in by_entity.items():
            table = TABLES.get(entity)
            if table is None:  # a record kind's keys
                found = connection.execute(
                    f"SELECT key FROM {RECORD_TABLE} WHERE kind = %s AND key = ANY(%s) LIMIT 1",
                    (entity, wanted),
                ).fetchone()
                if found is not None:
                    return taken(one, entity, found[0], self._scope)
                continue
            found = connection.execute(
                f"SELECT {table.key} FROM {table.name} WHERE {table.key} = ANY(%s) LIMIT 1",
                (wanted,),
            ).fetchone()
            if found is not None:
                return taken(one, entity, found[0], self._scope)
        return psycopg.errors.UniqueViolation("a key was refused in a bulk import")

    def close(self) -> None:
        """Close the idle connections kept for the next units of work (the store stays usable)."""
        self._pool.close()

    def __repr__(self) -> str:
        scope = "" if self._scope is None else f" scope={self._scope}"
        return f"<PostgresStore schema={self._schema!r}{scope} version={SCHEMA_VERSION}>"
