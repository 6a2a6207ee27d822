"""Storage (存储): the interfaces any store satisfies, and two stores that satisfy them.

* :mod:`~veteran_affairs.repositories.protocols` — the ``typing.Protocol`` interfaces: a
  repository per aggregate, the unit of work, the store and its audit log;
* :class:`MemoryStore` — everything in memory, thread-safe;
* :class:`SqliteStore` — an embedded SQLite database file (the default for a service);
* :mod:`~veteran_affairs.repositories.records` — record kinds: the casework records, or attrs
  classes of your own, kept by every store once registered (:func:`register_record_kind`)
  and reached through ``uow.records(cls)``.

Both pass one contract suite, :mod:`veteran_affairs.testing.store_contract`, which your own
store can run too (see the how-to "Write your own store"). Storage is the imperative shell:
models, rules, hierarchy and cycles never import this package.

Errors, all :class:`~veteran_affairs.errors.VeteranAffairsError`:

* :class:`NotFound` (``LookupError``) — no such record visible to this store;
* :class:`AlreadyExists` (``ValueError``) — ``add`` of a key already stored;
  :class:`HeldOutsideScope`, an ``AlreadyExists``, when a scoped store's ``add`` meets a key
  held outside its subtree: it says that much and nothing of the record holding the key;
* :class:`ConcurrencyError` (``RuntimeError``) — an update or removal carried a stale version;
* :class:`OutOfScope` (``PermissionError``) — a scoped store was asked to write outside its
  subtree: the value is valid, the caller lacks the authority (分级管理);
* :class:`IncompatibleSchema` (``RuntimeError``) — a database from a newer library;
* :class:`StoreBusy` (``TimeoutError``) — another connection kept the database's write lock
  longer than the store's ``timeout``;
* :class:`UnknownRecordKind` (``LookupError``) — no record kind is registered for that class.

>>> from veteran_affairs.repositories import ConcurrencyError, MemoryStore
>>> issubclass(ConcurrencyError, RuntimeError)
True
"""

from veteran_affairs.repositories._store_errors import (
    AlreadyExists,
    ConcurrencyError,
    HeldOutsideScope,
    IncompatibleSchema,
    NotFound,
    OutOfScope,
    StoreBusy,
    StoreError,
    UnknownRecordKind,
)
from veteran_affairs.repositories.memory import MemoryStore
from veteran_affairs.repositories.protocols import (
    ActivityRepository,
    AuditAction,
    AuditEntry,
    AuditLog,
    CaseRepository,
    Entity,
    HouseholdRepository,
    PersonRecord,
    PersonRepository,
    PersonSummary,
    RecordRepository,
    ReportKey,
    ReportRepository,
    Repository,
    StationRepository,
    Storable,
    Store,
    UnitOfWork,
    Versioned,
)
from veteran_affairs.repositories.records import RecordKind, register_record_kind
from veteran_affairs.repositories.sqlite import SqliteStore

__all__ = [
    "ActivityRepository",
    "AlreadyExists",
    "AuditAction",
    "AuditEntry",
    "AuditLog",
    "CaseRepository",
    "ConcurrencyError",
    "Entity",
    "HeldOutsideScope",
    "HouseholdRepository",
    "IncompatibleSchema",
    "MemoryStore",
    "NotFound",
    "OutOfScope",
    "PersonRecord",
    "PersonRepository",
    "PersonSummary",
    "RecordKind",
    "RecordRepository",
    "ReportKey",
    "ReportRepository",
    "Repository",
    "SqliteStore",
    "StationRepository",
    "Storable",
    "Store",
    "StoreBusy",
    "StoreError",
    "UnitOfWork",
    "UnknownRecordKind",
    "Versioned",
    "register_record_kind",
]


def __dir__() -> list[str]:
    return __all__
