"""The unit of work and audit log of the SQL stores, written once (SQL 存储的共同内核).

:class:`~veteran_affairs.repositories.SqliteStore` and
:class:`~veteran_affairs.repositories.postgres.PostgresStore` read, write and audit records
with the same SQL (the statements of ``_mappers``) and the same rules. What they share is
here: reads in the store's scope, the optimistic version check of an update or removal, the
duplicate-key rule, the audit entry of every write (an addition's ``after`` by reference)
and, when the log is read, the resolution of those references. What differs between the two
databases is left to each store as *hooks*:

* a :class:`Dialect` — the text and the values: the placeholder (``?`` or ``%s``), the
  ``SELECT`` of an aggregate's row with its child rows as JSON (``json_group_array`` in
  SQLite, ``json_agg`` in PostgreSQL), the suffix of a read that locks the row it finds
  (nothing in SQLite, whose first write locks the whole database; ``FOR UPDATE OF t`` in
  PostgreSQL) and how a time is stored (ISO text, or ``TIMESTAMPTZ``);
* the abstract methods of :class:`SqlUnitOfWork` — how a statement runs on the unit's
  connection, how rows are streamed (a cursor, or a server-side cursor), how a write begins
  (SQLite's ``BEGIN IMMEDIATE``; a savepoint in PostgreSQL's transaction), where an audit
  entry goes (into the table at once, or kept to be numbered at commit), commit, rollback;
* the abstract methods of :class:`SqlAuditLog` — the connection a query of the log runs
  on, and the snapshot its entries are read in;
* the abstract methods of :class:`SqlStore` — a new connection, the schema version stored,
  and a new unit of work (the store's ``scope``, ``scoped`` views and the
  ``unit_of_work`` block are the base's).

A duplicate key is found the same way in both: a new record is inserted
``ON CONFLICT DO NOTHING`` (SQLite ≥ 3.24 and PostgreSQL alike), so inserting nothing means
a stored record holds the key; :func:`taken` then asks only whether that record lies in the
scope, to choose between :class:`~veteran_affairs.repositories.AlreadyExists` and
:class:`~veteran_affairs.repositories.HeldOutsideScope`.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

import attrs

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories._aggregates import (
    Aggregate,
    Criteria,
    Repositories,
    audit_document,
    bounds,
    check_actor,
    encode,
    narrowed_scope,
    record_document,
    record_value,
    utc,
)
from veteran_affairs.repositories._mappers import (
    PERSON_SUMMARY_SELECT,
    RECORD_DELETE,
    RECORD_INSERT_NEW,
    RECORD_LIVE,
    RECORD_SELECT,
    RECORD_TABLE,
    RECORD_UPDATE,
    TABLES,
    Rows,
    Table,
    audit_where,
    record_where,
)
from veteran_affairs.repositories._store_errors import (
    AlreadyExists,
    ConcurrencyError,
    NotFound,
    key_taken,
)
from veteran_affairs.repositories.protocols import (
    AuditAction,
    AuditEntry,
    PersonSummary,
    Versioned,
)

__all__ = [
    "ACTIONS",
    "AuditRow",
    "Dialect",
    "SqlAuditLog",
    "SqlStore",
    "SqlUnitOfWork",
    "Statements",
    "held",
    "repeated",
    "taken",
]


def __dir__() -> list[str]:
    return __all__


C = TypeVar("C")

ACTIONS = {a.value: a for a in AuditAction}
AuditRow = tuple[Any, str, str, str, str, int, str, str | None, str | None]
"""An audit entry before its sequence number: at (as the dialect stores a time), actor,
entity, key, action, version, division, before, after."""

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
_RECORD_INSERT = f"{RECORD_INSERT_NEW} ON CONFLICT DO NOTHING"


@attrs.frozen(kw_only=True)
class Statements:
    """The statements of one aggregate's tables, in one dialect's placeholders."""

    table: Table
    select: str
    """Its main row, the version and the child rows as JSON arrays (``FROM … AS t``)."""
    by_key: str
    exists: str
    insert: str
    """A new row at the version bound last; inserts nothing if the key is taken."""
    update: str
    delete: str
    clear_children: tuple[str, ...]
    live: str
    """The row of ``key`` if it is still at version 1 (an addition's ``after``)."""
    count: str

    @classmethod
    def of(cls, table: Table, select: str, mark: Callable[[str], str]) -> Statements:
        key = f"t.{table.key}"
        sets = ", ".join(f"{column} = ?" for column in table.columns)
        return cls(
            table=table,
            select=select,
            by_key=mark(f"{select} WHERE {key} = ?"),
            exists=mark(f"SELECT 1 FROM {table.name} AS t WHERE {key} = ?"),
            insert=mark(f"{table.insert} ON CONFLICT DO NOTHING"),
            update=mark(
                f"UPDATE {table.name} AS t SET {sets}, version = ? "
                f"WHERE {key} = ? AND t.version = ?"
            ),
            delete=mark(f"DELETE FROM {table.name} AS t WHERE {key} = ? AND t.version = ?"),
            clear_children=tuple(
                mark(f"DELETE FROM {child} WHERE {table.key} = ?") for child in table.children
            ),
            live=mark(f"{select} WHERE {key} = ? AND t.version = 1"),
            count=f"SELECT COUNT(*) FROM {table.name} AS t",
        )


@attrs.frozen(kw_only=True)
class Dialect:
    """What the SQL of one database spells differently (方言): text and values, no I/O."""

    name: str
    """For reprs: ``sqlite``, ``postgres``."""
    mark: Callable[[str], str]
    """A statement written with ``?`` placeholders, in the driver's."""
    lock: str
    """Appended to a read of the row a write is about to change (``""``: no row locks)."""
    moment: Callable[[dt.datetime], Any]
    """A UTC time as the audit log's ``at`` column stores it."""
    at: Callable[[Any], dt.datetime]
    """The ``at`` column back as a time."""
    statements: Mapping[str, Statements]

    @classmethod
    def of(
        cls,
        *,
        name: str,
        mark: Callable[[str], str],
        select: Callable[[Table], str],
        lock: str,
        moment: Callable[[dt.datetime], Any],
        at: Callable[[Any], dt.datetime],
    ) -> Dialect:
        """A dialect, with the statements of every aggregate (``select``: a table's ``SELECT``)."""
        statements = {
            entity: Statements.of(table, select(table), mark) for entity, table in TABLES.items()
        }
        return cls(name=name, mark=mark, lock=lock, moment=moment, at=at, statements=statements)


def held(entity: str, key: str) -> tuple[str, str, list[Any]]:
    """Where the stored record ``key`` of ``entity`` is: ``… AS t WHERE …``, the division
    column, and the parameters (``?`` placeholders)."""
    table = TABLES.get(entity)
    if table is None:  # a record of a registered kind
        return f"{RECORD_TABLE} AS t WHERE t.kind = ? AND t.key = ?", "t.division", [entity, key]
    return f"{table.name} AS t WHERE t.{table.key} = ?", f"t.{table.division}", [key]


def taken(
    one: Callable[[str, list[Any]], object | None],
    entity: str,
    key: str,
    scope: DivisionCode | None,
) -> AlreadyExists:
    """The error of an ``add`` of ``key``, which a stored record holds.

    :class:`~veteran_affairs.repositories.HeldOutsideScope` when the holder lies outside
    ``scope``: only that is asked of it (``one`` runs a ``?`` query and returns its first row
    or ``None``), nothing else of the holder is read.
    """
    if scope is None:
        return AlreadyExists(entity, key)
    where, division, params = held(entity, key)
    found = one(f"SELECT 1 FROM {where} AND {division} BETWEEN ? AND ?", [*params, *bounds(scope)])
    return key_taken(entity, key, visible=found is not None)


def repeated(keys: Iterable[tuple[str, str]]) -> AlreadyExists | None:
    """The error of a batch that brings one ``(entity, key)`` twice (the first repeated), or
    ``None``."""
    seen: set[tuple[str, str]] = set()
    for entity, key in keys:
        if (entity, key) in seen:
            return AlreadyExists(entity, key)
        seen.add((entity, key))
    return None


class SqlUnitOfWork(Repositories, abc.ABC):
    """One unit of work of an SQL store: reads, writes and their audit entries.

    A store subclasses it with its :class:`Dialect` and the hooks below; everything else —
    the contract of :class:`~veteran_affairs.repositories.protocols.UnitOfWork` — is here.
    """

    _dialect: ClassVar[Dialect]

    def __init__(
        self, scope: DivisionCode | None, actor: str, clock: Callable[[], dt.datetime]
    ) -> None:
        super().__init__(self)
        self._scope = scope
        self._actor = actor
        self._clock = clock

    @property
    def actor(self) -> str:
        return self._actor

    # --- hooks -------------------------------------------------------------------------------

    @abc.abstractmethod
    def _one(self, query: str, params: Sequence[Any]) -> Any:
        """The first row of ``query`` (in the dialect's placeholders), or ``None``."""

    @abc.abstractmethod
    def _run(self, query: str, params: Sequence[Any]) -> int:
        """Run a write; how many rows it changed."""

    @abc.abstractmethod
    def _rows(self, query: str, params: Sequence[Any]) -> Iterable[Sequence[Any]]:
        """The rows of ``query``, streamed."""

    @abc.abstractmethod
    def _run_many(self, statements: Iterable[tuple[str, Rows]]) -> None:
        """Insert child rows: each ``?`` statement of ``_mappers`` with its rows."""

    @abc.abstractmethod
    def _writing(self) -> AbstractContextManager[None]:
        """Around one write: opens the unit's transaction if needed; a failed write must not
        leave half of itself behind where the dialect can undo it."""

    @abc.abstractmethod
    def _log(self, entry: AuditRow) -> None:
        """Keep an audit entry of this unit (written by the time :meth:`commit` returns)."""

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    @abc.abstractmethod
    def _end(self) -> None:
        """Leaving the unit's block: roll back what was not committed, let go of the
        connection (even if the rollback fails)."""

    # --- reading -----------------------------------------------------------------------------

    def _q(self, text: str) -> str:
        return self._dialect.mark(text)

    def _scoped(self, column: str) -> tuple[str, list[Any]]:
        """`` AND column BETWEEN ? AND ?`` for the scope (or nothing), with the parameters."""
        if self._scope is None:
            return "", []
        return f" AND {column} BETWEEN ? AND ?", list(bounds(self._scope))

    def _row(self, aggregate: Aggregate, key: str, *, lock: bool = False) -> Any:
        """The row of ``key`` in the scope (locked if ``lock``, where rows lock), or None."""
        statements = self._dialect.statements[aggregate.entity]
        scoped, params = self._scoped(f"t.{statements.table.division}")
        locking = self._dialect.lock if lock else ""
        return self._one(self._q(f"{statements.by_key}{scoped}{locking}"), [key, *params])

    def _record_row(self, aggregate: Aggregate, key: str, *, lock: bool = False) -> Any:
        """A record's ``(document, version, division)`` row in the scope, or None."""
        where, params = record_where(aggregate.entity, self._scope)
        locking = self._dialect.lock if lock else ""
        query = self._q(f"{RECORD_SELECT}{where} AND t.key = ?{locking}")
        return self._one(query, [*params, key])

    def read(self, aggregate: Aggregate, key: str) -> Versioned[Any]:
        if aggregate.record:
            stored = self._record_row(aggregate, key)
            if stored is None:
                raise NotFound(aggregate.entity, key)
            return Versioned(value=record_value(aggregate, stored[0]), version=stored[1])
        row = self._row(aggregate, key)
        if row is None:
            raise NotFound(aggregate.entity, key)
        table = TABLES[aggregate.entity]
        return Versioned(value=table.record(row), version=row[len(table.columns)])

    def exists(self, aggregate: Aggregate, key: str) -> bool:
        if aggregate.record:
            where, params = record_where(aggregate.entity, self._scope)
            query = self._q(f"SELECT 1 FROM {RECORD_TABLE} AS t{where} AND t.key = ?")
            return self._one(query, [*params, key]) is not None
        statements = self._dialect.statements[aggregate.entity]
        scoped, params = self._scoped(f"t.{statements.table.division}")
        return self._one(self._q(f"{statements.exists}{scoped}"), [key, *params]) is not None

    def find(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        if aggregate.record:
            return self._find_records(aggregate, criteria)
        statements = self._dialect.statements[aggregate.entity]
        table = statements.table
        where, params = table.clauses(self._scope, criteria)
        rows = self._rows(self._q(f"{statements.select}{where} ORDER BY {table.order_by}"), params)
        record = table.record
        return (record(row) for row in rows)

    def _find_records(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        where, params = record_where(aggregate.entity, self._scope, criteria.within)
        rows = self._rows(self._q(f"{RECORD_SELECT}{where} ORDER BY t.key"), params)
        values = (record_value(aggregate, row[0]) for row in rows)
        test = criteria.where
        return values if test is None else (value for value in values if test(value))

    def person_summaries(self, criteria: Criteria) -> Iterator[PersonSummary]:
        where, params = TABLES["person"].clauses(self._scope, criteria)
        rows = self._rows(self._q(f"{PERSON_SUMMARY_SELECT}{where} ORDER BY t.resident_id"), params)
        day = dt.date.fromisoformat
        return (
            PersonSummary(key, kind, name, hukou, day(born), None if died is None else day(died), v)
            for key, kind, name, hukou, born, died, v in rows
        )

    def count(self, aggregate: Aggregate, criteria: Criteria) -> int:
        if aggregate.record:
            if criteria.where is not None:
                return sum(1 for _ in self._find_records(aggregate, criteria))
            where, params = record_where(aggregate.entity, self._scope, criteria.within)
            query = f"SELECT COUNT(*) FROM {RECORD_TABLE} AS t{where}"
        else:
            statements = self._dialect.statements[aggregate.entity]
            where, params = statements.table.clauses(self._scope, criteria)
            query = f"{statements.count}{where}"
        row = self._one(self._q(query), params)
        return int(row[0])

    # --- writing -----------------------------------------------------------------------------

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
        at = self._dialect.moment(utc(self._clock()))
        self._log(
            (at, self._actor, aggregate.entity, key, action.value, version, division, before, after)
        )

    def _taken(self, entity: str, key: str) -> AlreadyExists:
        """The error of an ``add`` of ``key``, which a stored record holds."""
        return taken(
            lambda query, params: self._one(self._q(query), params), entity, key, self._scope
        )

    def _current(self, aggregate: Aggregate, key: str, version: int) -> Any:
        """The record ``key``, locked for this unit; raises unless it is at ``version``."""
        row = self._row(aggregate, key, lock=True)
        if row is None:
            raise NotFound(aggregate.entity, key)
        table = TABLES[aggregate.entity]
        stored = row[len(table.columns)]
        if stored != version:
            raise ConcurrencyError(aggregate.entity, key, version, stored)
        return table.record(row)

    def add(self, aggregate: Aggregate, value: Any) -> int:
        if aggregate.record:
            return self._add_record(aggregate, value)
        division = self._check_scope(aggregate, value)
        statements = self._dialect.statements[aggregate.entity]
        table = statements.table
        key = aggregate.key(value)
        row = table.row(value)  # may refuse the value (a fraction of a fen) before any write
        with self._writing():
            # A concurrent addition of the same key waits here for the other to end.
            if self._run(statements.insert, (*row, 1)) != 1:
                raise self._taken(aggregate.entity, key)
            self._run_many(table.child_rows(value))
        # The "after" of an addition is kept by reference (see SqlAuditLog).
        self._audit(aggregate, key, AuditAction.ADDED, 1, division, None, None)
        return 1

    def update(self, aggregate: Aggregate, value: Any, version: int) -> int:
        if aggregate.record:
            return self._update_record(aggregate, value, version)
        division = self._check_scope(aggregate, value)
        statements = self._dialect.statements[aggregate.entity]
        table = statements.table
        key = aggregate.key(value)
        row = table.row(value)
        scoped, params = self._scoped(f"t.{table.division}")
        query = self._q(f"{statements.update}{scoped}")
        with self._writing():
            before = self._current(aggregate, key, version)
            if self._run(query, (*row, version + 1, key, version, *params)) != 1:
                # Cannot happen under the lock; never write over a change.
                raise ConcurrencyError(aggregate.entity, key, version, None)
            for clear in statements.clear_children:
                self._run(clear, (key,))
            self._run_many(table.child_rows(value))
        self._audit(aggregate, key, AuditAction.UPDATED, version + 1, division, before, value)
        return version + 1

    def remove(self, aggregate: Aggregate, key: str, version: int) -> None:
        if aggregate.record:
            self._remove_record(aggregate, key, version)
            return
        statements = self._dialect.statements[aggregate.entity]
        scoped, params = self._scoped(f"t.{statements.table.division}")
        query = self._q(f"{statements.delete}{scoped}")
        with self._writing():
            before = self._current(aggregate, key, version)
            if self._run(query, (key, version, *params)) != 1:  # cannot happen under the lock
                raise ConcurrencyError(aggregate.entity, key, version, None)
        division = aggregate.division(before)
        self._audit(aggregate, key, AuditAction.REMOVED, version, division, before, None)

    # --- records of registered kinds ---------------------------------------------------------

    def _add_record(self, aggregate: Aggregate, value: Any) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        document = record_document(aggregate, value)
        kind = aggregate.entity
        with self._writing():
            # A concurrent addition of the same key waits here for the other to end.
            if self._run(self._q(_RECORD_INSERT), (kind, key, division.value, document)) != 1:
                raise self._taken(kind, key)
        # The "after" of an addition is kept by reference (see SqlAuditLog).
        self._audit_documents(aggregate, key, AuditAction.ADDED, 1, division.value, None, None)
        return 1

    def _current_record(self, aggregate: Aggregate, key: str, version: int) -> tuple[str, str]:
        """The record's ``(document, division)``, locked; raises unless it is at ``version``."""
        row = self._record_row(aggregate, key, lock=True)
        if row is None:
            raise NotFound(aggregate.entity, key)
        if row[1] != version:
            raise ConcurrencyError(aggregate.entity, key, version, row[1])
        return row[0], row[2]

    def _update_record(self, aggregate: Aggregate, value: Any, version: int) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        document = record_document(aggregate, value)
        kind = aggregate.entity
        scoped, params = self._scoped("t.division")
        query = self._q(f"{RECORD_UPDATE}{scoped}")
        with self._writing():
            before, _ = self._current_record(aggregate, key, version)
            changed = self._run(
                query, (division.value, version + 1, document, kind, key, version, *params)
            )
            if changed != 1:  # cannot happen under the lock; never write over a change
                raise ConcurrencyError(kind, key, version, None)
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
        kind = aggregate.entity
        scoped, params = self._scoped("t.division")
        query = self._q(f"{RECORD_DELETE}{scoped}")
        with self._writing():
            before, division = self._current_record(aggregate, key, version)
            if self._run(query, (kind, key, version, *params)) != 1:  # cannot happen, locked
                raise ConcurrencyError(kind, key, version, None)
        document = audit_document(kind, before)
        self._audit_documents(
            aggregate, key, AuditAction.REMOVED, version, division, document, None
        )

    def __repr__(self) -> str:
        return f"<{self._dialect.name} unit of work actor={self._actor!r}>"


class _Closing(Protocol):
    def close(self) -> None: ...


class _Cursor(_Closing, Protocol):
    def __iter__(self) -> Iterator[Any]: ...


class SqlAuditLog(Generic[C], abc.ABC):
    """The audit log of an SQL store (审计日志), read in the store's scope.

    An addition's ``after`` is stored by reference (``NULL``): version 1 of the record is the
    ``before`` of the next entry for the same key or, if there is none, the live row, still
    at version 1. Entries are read in one snapshot with those rows, so every entry returned
    carries its documents.
    """

    _dialect: ClassVar[Dialect]

    def __init__(self, scope: DivisionCode | None) -> None:
        self._scope = scope

    # --- hooks -------------------------------------------------------------------------------

    @abc.abstractmethod
    def _connection(self, *, snapshot: bool) -> AbstractContextManager[C]:
        """A connection for one query of the log (``snapshot``: and the reads of its
        entries' live rows, in one snapshot), let go of at the end."""

    @abc.abstractmethod
    def _cursor(self, connection: C, query: str, params: Sequence[Any]) -> _Cursor:
        """The rows of ``query``, streamed, on a cursor that is closed after them."""

    @abc.abstractmethod
    def _one(self, connection: C, query: str, params: Sequence[Any]) -> Any:
        """The first row of ``query``, or ``None``."""

    # --- queries -----------------------------------------------------------------------------

    def _where(
        self,
        entity: str | None,
        key: str | None,
        actor: str | None,
        since: dt.datetime | None,
        until: dt.datetime | None,
    ) -> tuple[str, list[Any]]:
        moment = self._dialect.moment
        return audit_where(self._scope, entity, key, actor, since, until, moment=moment)

    def entries(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[AuditEntry]:
        where, params = self._where(entity, key, actor, since, until)
        return self._stream(
            self._dialect.mark(f"{_AUDIT_SELECT}{where} ORDER BY a.sequence"), params
        )

    def _stream(self, query: str, params: list[Any]) -> Iterator[AuditEntry]:
        at = self._dialect.at
        with (
            self._connection(snapshot=True) as connection,
            closing(self._cursor(connection, query, params)) as rows,
        ):
            for row in rows:
                after = row[9]
                if after is None and row[5] == "added":
                    after = self._live_document(connection, row[3], row[4])
                yield AuditEntry(
                    sequence=row[0],
                    at=at(row[1]),
                    actor=row[2],
                    entity=row[3],
                    key=row[4],
                    action=ACTIONS[row[5]],
                    version=row[6],
                    division=DivisionCode(row[7]),
                    before=row[8],
                    after=after,
                )

    def _live_document(self, connection: C, entity: str, key: str) -> str | None:
        """The audit document of the live record ``key`` at version 1 (``None``: none such)."""
        if entity not in TABLES:  # a record kind's: its stored document, as it is
            found = self._one(connection, self._dialect.mark(RECORD_LIVE), (entity, key))
            return None if found is None else audit_document(entity, found[0])
        row = self._one(connection, self._dialect.statements[entity].live, (key,))
        return None if row is None else encode(TABLES[entity].record(row))

    def count(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> int:
        where, params = self._where(entity, key, actor, since, until)
        query = self._dialect.mark(f"SELECT COUNT(*) FROM audit_log AS a{where}")
        with self._connection(snapshot=False) as connection:
            found = self._one(connection, query, params)
        return int(found[0])


U = TypeVar("U", bound=SqlUnitOfWork)


class SqlStore(Generic[U], abc.ABC):
    """What an SQL store does alike around its units of work: the scope and its views."""

    _scope: DivisionCode | None

    @property
    def scope(self) -> DivisionCode | None:
        return self._scope

    @property
    def schema_version(self) -> int:
        """The version of the store's schema (the latest this library writes, once opened)."""
        connection = self._connect()
        try:
            return self._version_of(connection)
        finally:
            connection.close()

    @abc.abstractmethod
    def _connect(self) -> _Closing:
        """A new connection to the database (the caller closes it)."""

    @abc.abstractmethod
    def _version_of(self, connection: Any) -> int:
        """The schema version stored in the database (0: none yet)."""

    @abc.abstractmethod
    def _unit(self, actor: str) -> U:
        """A new unit of work of ``actor`` (checked), on a connection of its own."""

    @contextmanager
    def unit_of_work(self, *, actor: str) -> Iterator[U]:
        uow = self._unit(check_actor(actor))
        try:
            yield uow
        finally:
            uow._end()

    def scoped(self, division: DivisionCode) -> Self:
        """A view of the same database that reads and writes only the subtree ``division``."""
        scope = narrowed_scope(self._scope, division)
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view._scope = scope
        return view
