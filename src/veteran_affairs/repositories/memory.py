"""An in-memory store (内存存储): first-class, thread-safe, not a test fake.

:class:`MemoryStore` keeps every record in dictionaries behind one lock and passes the same
contract suite as :class:`~veteran_affairs.repositories.SqliteStore`
(:mod:`veteran_affairs.testing.store_contract`). Records of registered kinds
(:mod:`~veteran_affairs.repositories.records`) are kept as the values themselves, in a
dictionary per kind. Use it for a service that loads its data at
start-up, for notebooks, and as the store of tests of code that embeds the library.

A unit of work keeps its changes to itself (reads inside it see them) until
:meth:`~veteran_affairs.repositories.protocols.UnitOfWork.commit`. Each change remembers the
version the unit checked when it made it: the ``version`` given to ``update`` or ``remove``
(the version read), or "absent" for an ``add``. The commit takes the store's lock, checks
that every record the unit changes is still at that version (and every key it adds still
free), and only then applies every change and its audit entries, before letting go of the
lock: all of them, or — if another unit committed a change meanwhile — none, raising
:class:`~veteran_affairs.repositories.ConcurrencyError` (or
:class:`~veteran_affairs.repositories.AlreadyExists` for a key taken meanwhile). A stale
``version`` passed to ``update`` is refused at once; two units that both changed a record
from the same version find out at the second commit. So, with any number of threads, a
record's version is one more than the number of committed updates of it: none is lost.

>>> import datetime as dt
>>> from veteran_affairs.identity import DivisionCode
>>> from veteran_affairs.models import ServiceStation, StationKind
>>> store = MemoryStore(clock=lambda: dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC))
>>> station = ServiceStation(station_id="S-450312101", division=DivisionCode("450312101"),
...                          kind=StationKind.STATION, established_on=dt.date(2019, 3, 1))
>>> with store.unit_of_work(actor="county-clerk") as uow:
...     uow.stations.add(station)
...     uow.commit()
1
>>> with store.scoped(DivisionCode("450312")).unit_of_work(actor="clerk") as uow:
...     uow.stations.count()
1
>>> print(next(store.audit.entries()))
#1 2025-01-06T09:00:00+00:00 county-clerk added station S-450312101 v1 in 450312101000
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import ServingMember, Survivor, Veteran
from veteran_affairs.repositories._aggregates import (
    PERSONS,
    Aggregate,
    Criteria,
    Repositories,
    aggregate_named,
    aggregate_of,
    check_actor,
    encode,
    inside,
    narrowed_scope,
    system_clock,
    utc,
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
    Storable,
    Versioned,
)

__all__ = ["MemoryStore"]


def __dir__() -> list[str]:
    return __all__


Row = tuple[int, Any]  # (version, value)
_PERSON_KIND = {Veteran: "veteran", Survivor: "survivor", ServingMember: "serving-member"}


class _State:
    """What every view of one memory store shares."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[str, Row]] = {}
        self.audit: list[AuditEntry] = []
        self.clock = clock

    def table(self, entity: str) -> dict[str, Row]:
        return self.tables.setdefault(entity, {})


@attrs.define
class _Change:
    base: int | None  # the version the unit checked when it first changed it (None: absent)
    row: Row | None  # None: removed


@attrs.frozen
class _Pending:
    at: dt.datetime
    entity: str
    key: str
    action: AuditAction
    version: int
    division: DivisionCode
    before: str | None
    after: str | None


class _MemoryUnitOfWork(Repositories):
    def __init__(self, state: _State, scope: DivisionCode | None, actor: str) -> None:
        super().__init__(self)
        self._state = state
        self._scope = scope
        self._actor = actor
        self._changes: dict[tuple[str, str], _Change] = {}
        self._pending: list[_Pending] = []

    @property
    def actor(self) -> str:
        return self._actor

    # --- reading -----------------------------------------------------------------------------

    def _row(self, aggregate: Aggregate, key: str) -> Row | None:
        """The row as this unit sees it, whatever the scope."""
        change = self._changes.get((aggregate.entity, key))
        if change is not None:
            return change.row
        with self._state.lock:
            return self._state.table(aggregate.entity).get(key)

    def _visible(self, aggregate: Aggregate, key: str) -> Row | None:
        row = self._row(aggregate, key)
        if row is None or not inside(aggregate.division(row[1]), self._scope):
            return None
        return row

    def read(self, aggregate: Aggregate, key: str) -> Versioned[Any]:
        row = self._visible(aggregate, key)
        if row is None:
            raise NotFound(aggregate.entity, key)
        return Versioned(value=row[1], version=row[0])

    def exists(self, aggregate: Aggregate, key: str) -> bool:
        return self._visible(aggregate, key) is not None

    def _rows(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        with self._state.lock:
            merged = dict(self._state.table(aggregate.entity))
        for (entity, key), change in self._changes.items():
            if entity != aggregate.entity:
                continue
            if change.row is None:
                merged.pop(key, None)
            else:
                merged[key] = change.row
        for key in sorted(merged, key=aggregate.order):
            value = merged[key][1]
            division = aggregate.division(value)
            if (
                inside(division, self._scope)
                and inside(division, criteria.within)
                and aggregate.matches(value, criteria)
            ):
                yield value

    def find(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]:
        return self._rows(aggregate, criteria)

    def count(self, aggregate: Aggregate, criteria: Criteria) -> int:
        return sum(1 for _ in self._rows(aggregate, criteria))

    def person_summaries(self, criteria: Criteria) -> Iterator[PersonSummary]:
        for value in self._rows(PERSONS, criteria):
            p = value.person
            version = self._visible(PERSONS, p.resident_id.unmasked)
            assert version is not None
            yield PersonSummary(
                p.resident_id.unmasked,
                _PERSON_KIND[type(value)],
                p.name,
                p.hukou_division.value,
                p.birth_date,
                p.died_on,
                version[0],
            )

    # --- writing -----------------------------------------------------------------------------

    def _change(self, aggregate: Aggregate, key: str, row: Row | None, checked: int | None) -> None:
        """Record ``row`` as the unit's value of ``key``.

        ``checked`` is the committed version the caller has just checked (``None``: the key
        was free); the commit writes only if the key is still at it. A key the unit changed
        before keeps the version it was first checked at.
        """
        slot = (aggregate.entity, key)
        change = self._changes.get(slot)
        if change is None:
            change = self._changes[slot] = _Change(base=checked, row=None)
        change.row = row

    def _log(
        self,
        aggregate: Aggregate,
        key: str,
        action: AuditAction,
        version: int,
        division: DivisionCode,
        before: Any,
        after: Any,
    ) -> None:
        self._pending.append(
            _Pending(
                at=utc(self._state.clock()),
                entity=aggregate.entity,
                key=key,
                action=action,
                version=version,
                division=division,
                before=None if before is None else encode(before),
                after=None if after is None else encode(after),
            )
        )

    def _taken(self, entity: str, key: str, row: Row) -> AlreadyExists:
        """The error of an ``add`` of ``key``, held by ``row`` (which the scope may not see)."""
        visible = inside(aggregate_named(entity).division(row[1]), self._scope)
        return key_taken(entity, key, visible=visible)

    def add(self, aggregate: Aggregate, value: Any) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        row = self._row(aggregate, key)
        if row is not None:
            raise self._taken(aggregate.entity, key, row)
        self._change(aggregate, key, (1, value), None)
        self._log(aggregate, key, AuditAction.ADDED, 1, division, None, value)
        return 1

    def update(self, aggregate: Aggregate, value: Any, version: int) -> int:
        division = self._check_scope(aggregate, value)
        key = aggregate.key(value)
        row = self._visible(aggregate, key)
        if row is None:
            raise NotFound(aggregate.entity, key)
        if row[0] != version:
            raise ConcurrencyError(aggregate.entity, key, version, row[0])
        self._change(aggregate, key, (version + 1, value), version)
        self._log(aggregate, key, AuditAction.UPDATED, version + 1, division, row[1], value)
        return version + 1

    def remove(self, aggregate: Aggregate, key: str, version: int) -> None:
        row = self._visible(aggregate, key)
        if row is None:
            raise NotFound(aggregate.entity, key)
        if row[0] != version:
            raise ConcurrencyError(aggregate.entity, key, version, row[0])
        self._change(aggregate, key, None, version)
        division = aggregate.division(row[1])
        self._log(aggregate, key, AuditAction.REMOVED, version, division, row[1], None)

    # --- ending ------------------------------------------------------------------------------

    def _conflict(self, entity: str, key: str, base: int | None, now: Row | None) -> Exception:
        """Why a change made from version ``base`` cannot be committed over ``now``.

        A record now outside the scope is reported as gone (``actual=None``): its version
        is not this scope's to know.
        """
        if now is None:
            assert base is not None
            return ConcurrencyError(entity, key, base, None)
        if base is None:
            return self._taken(entity, key, now)
        visible = inside(aggregate_named(entity).division(now[1]), self._scope)
        return ConcurrencyError(entity, key, base, now[0] if visible else None)

    def commit(self) -> None:
        state = self._state
        with state.lock:
            # Check every change before writing any: the unit commits whole or not at all.
            for (entity, key), change in self._changes.items():
                committed = state.table(entity).get(key)
                now = None if committed is None else committed[0]
                if now != change.base:
                    self.rollback()
                    raise self._conflict(entity, key, change.base, committed)
            for (entity, key), change in self._changes.items():
                if change.row is None:
                    state.table(entity).pop(key, None)
                else:
                    state.table(entity)[key] = change.row
            start = len(state.audit) + 1
            state.audit.extend(
                AuditEntry(sequence=sequence, actor=self._actor, **attrs.asdict(p, recurse=False))
                for sequence, p in zip(itertools.count(start), self._pending, strict=False)
            )
        self._changes.clear()
        self._pending.clear()

    def rollback(self) -> None:
        self._changes.clear()
        self._pending.clear()

    def __repr__(self) -> str:
        return f"<memory unit of work actor={self._actor!r} changes={len(self._changes)}>"


class _MemoryAuditLog:
    def __init__(self, state: _State, scope: DivisionCode | None) -> None:
        self._state = state
        self._scope = scope

    def entries(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[AuditEntry]:
        low = None if since is None else utc(since)
        high = None if until is None else utc(until)
        with self._state.lock:
            entries = list(self._state.audit)
        for entry in entries:
            if (
                inside(entry.division, self._scope)
                and (entity is None or entry.entity == entity)
                and (key is None or entry.key == str(getattr(key, "unmasked", key)))
                and (actor is None or entry.actor == actor)
                and (low is None or low <= entry.at)
                and (high is None or entry.at <= high)
            ):
                yield entry

    def count(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> int:
        found = self.entries(entity=entity, key=key, actor=actor, since=since, until=until)
        return sum(1 for _ in found)


class MemoryStore:
    """Every aggregate in memory, behind one lock (内存存储).

    Args:
        clock: returns the time of each change for the audit log (timezone-aware); the
            default is the system clock in UTC. Tests pass a fixed clock.
    """

    def __init__(self, *, clock: Callable[[], dt.datetime] = system_clock) -> None:
        self._state = _State(clock)
        self._scope: DivisionCode | None = None

    @property
    def scope(self) -> DivisionCode | None:
        return self._scope

    @property
    def audit(self) -> _MemoryAuditLog:
        return _MemoryAuditLog(self._state, self._scope)

    @contextmanager
    def unit_of_work(self, *, actor: str) -> Iterator[_MemoryUnitOfWork]:
        uow = _MemoryUnitOfWork(self._state, self._scope, check_actor(actor))
        try:
            yield uow
        finally:
            uow.rollback()

    def scoped(self, division: DivisionCode) -> MemoryStore:
        scope = narrowed_scope(self._scope, division)
        view = object.__new__(MemoryStore)
        view._state = self._state
        view._scope = scope
        return view

    def bulk_add(
        self, entities: Iterable[Storable], *, actor: str, batch_size: int = 10_000
    ) -> int:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        added = 0
        iterator = iter(entities)
        while batch := list(itertools.islice(iterator, batch_size)):
            with self.unit_of_work(actor=actor) as uow:
                for value in batch:
                    uow.add(aggregate_of(value), value)
                uow.commit()
            added += len(batch)
        return added

    def __repr__(self) -> str:
        scope = "" if self._scope is None else f" scope={self._scope}"
        return f"<MemoryStore{scope}>"
