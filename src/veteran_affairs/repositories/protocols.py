"""The interfaces of storage (存储接口): what any store must offer, as ``typing.Protocol``\\ s.

A store holds six aggregates, each behind a repository: persons (:class:`Veteran`,
:class:`Survivor` and :class:`ServingMember`, keyed by identity number), plaque households,
service stations, assistance cases, work activities and submitted report figures. All work
goes through a unit of work, which writes nothing unless committed::

    with store.unit_of_work(actor="county-clerk-07") as uow:
        found = uow.persons.read(resident_id)            # the value and its version
        uow.persons.update(changed, version=found.version)
        uow.commit()

Every repository offers the same operations:

* ``add(value)`` → version 1 (:class:`AlreadyExists` if the key is taken);
* ``get(key)`` → the value, ``read(key)`` → :class:`Versioned` (both raise :class:`NotFound`);
* ``update(value, version=...)`` → the new version; ``remove(key, version=...)``. A version
  that is no longer current raises :class:`ConcurrencyError` and writes nothing, so nobody's
  change is lost;
* ``find(...)`` streams the matching values in key order, ``count(...)`` counts them without
  loading them. ``within=`` selects a division subtree (the unit and everything below it);
  the other criteria depend on the aggregate.

Records of registered kinds (the casework records, or attrs classes of your own: see
:mod:`veteran_affairs.repositories.records`) have a repository of the same shape,
``uow.records(cls)`` (:class:`RecordRepository`), keyed by text.

``store.scoped(DivisionCode("450312"))`` is the same store seen from one unit (分级管理): it
reads only that subtree (anything else is :class:`NotFound` or absent from results) and
raises :class:`OutOfScope` on any write outside it. Of a record outside it, the scope learns
one thing only: that its key is taken, when ``add`` of that key raises
:class:`HeldOutsideScope` (keys are unique nationally) — never where, at what version, or
anything of its data. Each committed change appends an
:class:`AuditEntry` to ``store.audit``: who, when, what, before and after.

The values the interfaces speak in are plain attrs classes:

>>> v = Versioned(value="station S-1", version=3)
>>> v.version
3
>>> AuditAction.UPDATED.label_zh
'修改'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Generic, NamedTuple, Protocol, Self, TypeAlias, TypeVar

import attrs
from attrs import AttrsInstance

from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    CaseStatus,
    EntitlementCategory,
    PlaqueHousehold,
    ReportSubmission,
    ServiceStation,
    ServingMember,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)

__all__ = [
    "ActivityRepository",
    "AuditAction",
    "AuditEntry",
    "AuditLog",
    "CaseRepository",
    "DateRange",
    "Entity",
    "HouseholdRepository",
    "PersonRecord",
    "PersonRepository",
    "PersonSummary",
    "RecordRepository",
    "ReportKey",
    "ReportRepository",
    "Repository",
    "StationRepository",
    "Storable",
    "Store",
    "UnitOfWork",
    "Versioned",
]


def __dir__() -> list[str]:
    return __all__


PersonRecord: TypeAlias = Veteran | Survivor | ServingMember
"""A person the persons repository holds, keyed by ``resident_id`` (人员)."""

Entity: TypeAlias = (
    Veteran
    | Survivor
    | ServingMember
    | PlaqueHousehold
    | ServiceStation
    | AssistanceCase
    | Activity
    | ReportSubmission
)
"""A record of one of the six aggregates."""

Storable: TypeAlias = Entity | AttrsInstance
"""Anything a store holds (what :meth:`Store.bulk_add` takes): an :data:`Entity`, or a record
of a registered kind (:mod:`veteran_affairs.repositories.records`)."""

DateRange: TypeAlias = tuple[dt.date, dt.date]
"""``(first, last)``, both days included."""

ReportKey: TypeAlias = tuple[DivisionCode, str, str]
"""The key of a :class:`~veteran_affairs.models.ReportSubmission`: ``(unit, kind, period)``."""


class PersonSummary(NamedTuple):
    """A person as a lightweight row (人员摘要): stored columns, no model built or checked.

    What :meth:`PersonRepository.summaries` streams when the caller needs keys, names and
    places rather than whole records. ``repr()`` masks the identity number and the name and
    leaves the dates out: the masked digits are the birth date (``docs/privacy.md``).

    Attributes:
        resident_id: the full 18-character identity number (text, not a ResidentId).
        kind: ``"veteran"``, ``"survivor"`` or ``"serving-member"``.
        name: the name as stored.
        hukou_division: the 12-digit code of the hukou.
        birth_date: the birth date.
        died_on: the day of death, or ``None``.
        version: the record's version.
    """

    resident_id: str
    kind: str
    name: str
    hukou_division: str
    birth_date: dt.date
    died_on: dt.date | None
    version: int

    def __repr__(self) -> str:
        from veteran_affairs.identity import mask_name
        from veteran_affairs.repositories._store_errors import shown_key

        return (
            f"PersonSummary(resident_id={shown_key('person', self.resident_id)}, "
            f"kind={self.kind!r}, name={mask_name(self.name)!r}, "
            f"hukou_division={self.hukou_division!r}, version={self.version})"
        )


T = TypeVar("T")
K_contra = TypeVar("K_contra", contravariant=True)


@attrs.frozen(kw_only=True)
class Versioned(Generic[T]):
    """A stored value with the version it was read at (版本号): pass it back to ``update``.

    ``repr()`` is the value's own, which masks what is personal.
    """

    value: T
    version: int


class AuditAction(enum.Enum):
    """What a committed change did (操作类型)."""

    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"

    @property
    def label_zh(self) -> str:
        return {"added": "新增", "updated": "修改", "removed": "删除"}[self.value]


@attrs.frozen(kw_only=True, repr=False)
class AuditEntry:
    """One committed change (审计记录): who, when, what, and the record before and after.

    ``before`` and ``after`` are the JSON documents of the record (``None`` where there was
    none): personal data in full, which is the store's business. A store may keep the
    ``after`` of an addition by reference rather than as a copy (the SQLite store does); the
    entry it returns carries the document all the same. ``repr()`` and ``str()``
    mask them, and the key of a person, so an entry can be logged as it is.

    Attributes:
        sequence: position in the log, from 1, gap-free in commit order per store.
        at: when the change was made (timezone-aware, UTC).
        actor: who made it (the unit of work's ``actor``).
        entity: ``"person"``, ``"household"``, ``"station"``, ``"case"``, ``"activity"``,
            ``"report"``, or the name of a record kind (``"petition"``).
        key: the record's key (a person's full identity number; a submission's
            ``["<unit, 12 digits>","<kind>","<period>"]``, JSON).
        action: added, updated or removed.
        version: the record's version after the change (before it, for a removal).
        division: the unit the record belonged to (after the change, or before a removal).
    """

    sequence: int
    at: dt.datetime
    actor: str
    entity: str
    key: str
    action: AuditAction
    version: int
    division: DivisionCode
    before: str | None = None
    after: str | None = None

    @property
    def shown_key(self) -> str:
        """The key as it may be shown: a person's identity number is masked."""
        from veteran_affairs.repositories._store_errors import shown_key

        return shown_key(self.entity, self.key).strip("'")

    def before_value(self) -> Storable | None:
        """The record before the change, read back from :attr:`before`.

        A record kind's document needs its kind registered in this process
        (:class:`~veteran_affairs.repositories.UnknownRecordKind` otherwise).
        """
        from veteran_affairs.repositories._aggregates import decode

        return None if self.before is None else decode(self.before)

    def after_value(self) -> Storable | None:
        """The record after the change, read back from :attr:`after`."""
        from veteran_affairs.repositories._aggregates import decode

        return None if self.after is None else decode(self.after)

    def __str__(self) -> str:
        return (
            f"#{self.sequence} {self.at.isoformat()} {self.actor} {self.action.value} "
            f"{self.entity} {self.shown_key} v{self.version} in {self.division}"
        )

    def __repr__(self) -> str:
        def size(document: str | None) -> str:
            return "None" if document is None else f"<{len(document)} characters>"

        return (
            f"AuditEntry(sequence={self.sequence}, at={self.at.isoformat()}, "
            f"actor={self.actor!r}, entity={self.entity!r}, key={self.shown_key!r}, "
            f"action={self.action.name}, version={self.version}, division={self.division}, "
            f"before={size(self.before)}, after={size(self.after)})"
        )


class Repository(Protocol[T, K_contra]):
    """The operations every repository offers (the aggregate-specific ones add ``find``)."""

    def add(self, value: T) -> int:
        """Store a new record; its version is 1. Raises AlreadyExists, OutOfScope.

        A scoped store raises HeldOutsideScope (an AlreadyExists) for a key a record outside
        its scope holds, and tells nothing else of that record.
        """
        ...

    def get(self, key: K_contra) -> T:
        """The record with ``key``. Raises NotFound."""
        ...

    def read(self, key: K_contra) -> Versioned[T]:
        """The record with ``key`` and its version. Raises NotFound."""
        ...

    def update(self, value: T, *, version: int) -> int:
        """Replace the record with ``value``'s key; returns the new version.

        Raises NotFound, ConcurrencyError (``version`` is not current), OutOfScope.
        """
        ...

    def remove(self, key: K_contra, *, version: int) -> None:
        """Remove the record. Raises NotFound, ConcurrencyError, OutOfScope."""
        ...

    def exists(self, key: K_contra) -> bool:
        """Whether a record with ``key`` is visible (in a scoped store: inside the scope)."""
        ...


class PersonRepository(Repository[PersonRecord, ResidentId], Protocol):
    """Veterans, survivors and serving members, keyed by identity number (人员)."""

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> Iterator[PersonRecord]:
        """Persons whose hukou lies ``within`` the unit, holding ``category`` ``on`` a day.

        ``category`` needs ``on``. ``kind`` is ``Veteran``, ``Survivor`` or ``ServingMember``.
        """
        ...

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> int:
        """How many :meth:`find` would stream, counted without loading them."""
        ...

    def summaries(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> Iterator[PersonSummary]:
        """What :meth:`find` would stream, as :class:`PersonSummary` rows in key order.

        For a caller that needs keys, names and places, not records: no model is built.
        """
        ...


class HouseholdRepository(Repository[PlaqueHousehold, str], Protocol):
    """Plaque households, keyed by ``household.household_id`` (光荣牌户)."""

    def find(
        self, *, within: DivisionCode | None = None, plaque_on: dt.date | None = None
    ) -> Iterator[PlaqueHousehold]:
        """Households registered ``within`` the unit; with ``plaque_on``, those with a plaque
        on the door that day."""
        ...

    def count(self, *, within: DivisionCode | None = None, plaque_on: dt.date | None = None) -> int:
        """How many :meth:`find` would stream."""
        ...


class StationRepository(Repository[ServiceStation, str], Protocol):
    """Service centres and stations, keyed by ``station_id`` (服务中心(站))."""

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: StationKind | None = None,
        status: StationStatus | None = None,
    ) -> Iterator[ServiceStation]:
        """Sites bound to a unit ``within`` the given one, of a kind and status."""
        ...

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: StationKind | None = None,
        status: StationStatus | None = None,
    ) -> int:
        """How many :meth:`find` would stream."""
        ...


class CaseRepository(Repository[AssistanceCase, str], Protocol):
    """Assistance cases, keyed by ``case_id`` (帮扶援助案件)."""

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        status: CaseStatus | None = None,
        incident_between: DateRange | None = None,
    ) -> Iterator[AssistanceCase]:
        """Cases of units ``within`` the given one, in a current status, by incident date."""
        ...

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        status: CaseStatus | None = None,
        incident_between: DateRange | None = None,
    ) -> int:
        """How many :meth:`find` would stream."""
        ...


class ActivityRepository(Repository[Activity, str], Protocol):
    """Work activities, keyed by ``activity_id`` (工作活动)."""

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: ActivityKind | None = None,
        held_between: DateRange | None = None,
        for_period: str | None = None,
    ) -> Iterator[Activity]:
        """Activities of units ``within`` the given one, of a kind, held between two days,
        or for a reporting period."""
        ...

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: ActivityKind | None = None,
        held_between: DateRange | None = None,
        for_period: str | None = None,
    ) -> int:
        """How many :meth:`find` would stream."""
        ...


class ReportRepository(Repository[ReportSubmission, ReportKey], Protocol):
    """Submitted report figures, keyed by ``(unit, kind, period)`` (报送数据)."""

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: str | None = None,
        period: str | None = None,
        submitted_between: DateRange | None = None,
    ) -> Iterator[ReportSubmission]:
        """Submissions of units ``within`` the given one, for a report kind and a period
        (exact, as the report names it: ``"2020Q3"``, ``"2021-01-06"``), by day submitted."""
        ...

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: str | None = None,
        period: str | None = None,
        submitted_between: DateRange | None = None,
    ) -> int:
        """How many :meth:`find` would stream."""
        ...


class RecordRepository(Repository[T, str], Protocol):
    """The records of one registered kind, keyed by text (``uow.records(Petition)``).

    The kind says where a record's key and division are
    (:class:`~veteran_affairs.repositories.records.RecordKind`); ``within`` and the scope
    look at that division.
    """

    @property
    def kind(self) -> str:
        """The kind's registered name (the audit log's ``entity``)."""
        ...

    def find(
        self, *, within: DivisionCode | None = None, where: Callable[[T], bool] | None = None
    ) -> Iterator[T]:
        """Records of units ``within`` the given one, in key order; with ``where``, those
        for which it returns true (run in Python on each record of the subtree)."""
        ...

    def count(
        self, *, within: DivisionCode | None = None, where: Callable[[T], bool] | None = None
    ) -> int:
        """How many :meth:`find` would stream (without ``where``: counted without loading)."""
        ...


class UnitOfWork(Protocol):
    """One transaction (工作单元): nothing is written unless :meth:`commit` is called.

    Leaving the ``with`` block without committing, or with an exception, rolls back.
    Reads inside see the unit's own uncommitted changes. Results streamed by ``find`` are
    valid while the unit is open. A store may be shared between threads; a unit of work
    belongs to the thread that opened it.
    """

    @property
    def actor(self) -> str:
        """Who is working: written to the audit log with every change."""
        ...

    @property
    def persons(self) -> PersonRepository: ...

    @property
    def households(self) -> HouseholdRepository: ...

    @property
    def stations(self) -> StationRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    def records(self, cls: type[T]) -> RecordRepository[T]:
        """The repository of the record kind registered for ``cls``.

        Raises UnknownRecordKind when no kind is registered for it.
        """
        ...

    def commit(self) -> None:
        """Write every change since the last commit, all or nothing, with its audit entries.

        Raises ConcurrencyError if a record the unit updates or removes is no longer at the
        version it read, AlreadyExists if a key it adds was taken meanwhile: then nothing of
        the unit is written. The check and the writes are one atomic step, so no committed
        change is ever overwritten. The unit stays usable afterwards.
        """
        ...

    def rollback(self) -> None:
        """Drop every change since the last commit."""
        ...


class AuditLog(Protocol):
    """The audit log (审计日志): append-only through this API, read by entity, actor and time."""

    def entries(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[AuditEntry]:
        """Entries in sequence order; ``since`` and ``until`` are both included."""
        ...

    def count(
        self,
        *,
        entity: str | None = None,
        key: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> int:
        """How many :meth:`entries` would stream."""
        ...


class Store(Protocol):
    """A store of every aggregate (存储): units of work, scoping, bulk import, the audit log."""

    @property
    def scope(self) -> DivisionCode | None:
        """The subtree this store sees, or ``None`` for all of it."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit log (a scoped store shows the entries of its subtree)."""
        ...

    def unit_of_work(self, *, actor: str) -> AbstractContextManager[UnitOfWork]:
        """A new unit of work for ``actor``."""
        ...

    def scoped(self, division: DivisionCode) -> Self:
        """The same store seen from ``division``: raises OutOfScope outside the current scope."""
        ...

    def bulk_add(
        self, entities: Iterable[Storable], *, actor: str, batch_size: int = 10_000
    ) -> int:
        """Add many records in batches, each committed all or nothing; returns how many.

        Records of registered kinds may come among the others.

        A failing batch raises (nothing of it is written); earlier batches stay committed.
        """
        ...
