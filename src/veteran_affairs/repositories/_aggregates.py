"""What every store shares (private engine): the aggregates, their keys, criteria and codec.

A store implements :class:`Engine` (seven operations on any aggregate); the typed
repositories of :mod:`veteran_affairs.repositories.protocols` are thin facades over it,
the same for every store.

Record kinds (:mod:`veteran_affairs.repositories.records`) are aggregates too: each
registered kind is an :class:`Aggregate` with ``record=True``, kept in
:data:`RECORD_AGGREGATES` and :data:`RECORD_BY_TYPE`. A store keeps such a record as one
JSON document (:func:`record_document`), and :class:`Records` is its repository.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import attrs
import cattrs

from veteran_affairs.errors import InvalidValue
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
from veteran_affairs.repositories._store_errors import OutOfScope, UnknownRecordKind
from veteran_affairs.repositories.protocols import (
    DateRange,
    Entity,
    PersonRecord,
    PersonSummary,
    ReportKey,
    Versioned,
)
from veteran_affairs.serialization import make_converter

T = TypeVar("T")
K = TypeVar("K")


# --- criteria --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Criteria:
    """What a ``find`` or ``count`` asked for (each aggregate uses some of the fields)."""

    within: DivisionCode | None = None
    category: EntitlementCategory | None = None
    on: dt.date | None = None
    person_kind: type | None = None
    kind: enum.Enum | None = None
    status: enum.Enum | None = None
    between: DateRange | None = None
    for_period: str | None = None
    plaque_on: dt.date | None = None
    report_kind: str | None = None
    period: str | None = None
    where: Callable[[Any], bool] | None = None
    """A record kind's filter, run on each record in Python."""

    def __attrs_post_init__(self) -> None:
        if self.where is not None and not callable(self.where):
            raise InvalidValue(
                "where", type(self.where).__name__, "must be a function of the record", "应为函数"
            )
        if self.within is not None and not isinstance(self.within, DivisionCode):
            raise InvalidValue(
                "within", type(self.within).__name__, "must be DivisionCode", "应为 DivisionCode"
            )
        if self.category is not None and self.on is None:
            raise InvalidValue(
                "on", "None", "a category is held on a day: give on=", "按类别查询须指定日期"
            )
        if self.between is not None:
            days: tuple[object, ...] = self.between
            if len(days) != 2 or not all(isinstance(day, dt.date) for day in days):
                raise InvalidValue(
                    "between", repr(self.between), "must be two dates", "应为两个日期"
                )


def bounds(division: DivisionCode) -> tuple[str, str]:
    """The code range of a subtree: the prefix padded with 0s, and with 9s."""
    prefix = division.short
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def inside(code: DivisionCode, within: DivisionCode | None) -> bool:
    """Whether ``code`` lies in the subtree of ``within`` (everything when ``None``)."""
    return within is None or code.value.startswith(within.short)


def narrowed_scope(within: DivisionCode | None, division: object) -> DivisionCode:
    """The scope of a store's ``scoped(division)`` view: ``division``, checked to be a code
    inside ``within`` (the store's own scope), the check every store makes."""
    if not isinstance(division, DivisionCode):
        raise TypeError(f"scoped() takes a DivisionCode, not {type(division).__name__}")
    if not inside(division, within):
        assert within is not None
        raise OutOfScope(within.value, division.value, "scope")
    return division


def _between(day: dt.date, between: DateRange | None) -> bool:
    return between is None or between[0] <= day <= between[1]


# --- aggregates ------------------------------------------------------------------------------


def _person_matches(value: PersonRecord, c: Criteria) -> bool:
    if c.person_kind is not None and type(value) is not c.person_kind:
        return False
    if c.category is not None:
        assert c.on is not None  # Criteria checks it
        on = c.on
        return any(s.category is c.category and s.active_on(on) for s in value.statuses)
    return True


def _household_matches(value: PlaqueHousehold, c: Criteria) -> bool:
    plaque = value.household.plaque
    return c.plaque_on is None or (plaque is not None and plaque.hung_at(c.plaque_on))


def _station_matches(value: ServiceStation, c: Criteria) -> bool:
    return (c.kind is None or value.kind is c.kind) and (
        c.status is None or value.status is c.status
    )


def _case_matches(value: AssistanceCase, c: Criteria) -> bool:
    return (c.status is None or value.status is c.status) and _between(value.incident_on, c.between)


def _activity_matches(value: Activity, c: Criteria) -> bool:
    return (
        (c.kind is None or value.kind is c.kind)
        and _between(value.held_on, c.between)
        and (c.for_period is None or value.for_period == c.for_period)
    )


def _report_matches(value: ReportSubmission, c: Criteria) -> bool:
    return (
        (c.report_kind is None or value.kind == c.report_kind)
        and (c.period is None or value.period == c.period)
        and _between(value.submitted_on, c.between)
    )


def record_matches(value: Any, c: Criteria) -> bool:
    """A record kind's criteria: its ``where`` filter, if any (``within`` is the store's)."""
    return c.where is None or bool(c.where(value))


def report_key(unit: DivisionCode, kind: str, period: str) -> str:
    """The stored key of a submission: ``["<12 digits>","<kind>","<period>"]`` (JSON, exact)."""
    return json.dumps([unit.value, kind, period], ensure_ascii=False, separators=(",", ":"))


@attrs.frozen(kw_only=True)
class Aggregate:
    """How a store handles one aggregate: its types, key, division and query semantics."""

    entity: str
    types: tuple[type, ...]
    key: Callable[[Any], str]
    division: Callable[[Any], DivisionCode]
    matches: Callable[[Any, Criteria], bool]
    order: Callable[[str], Any] = str
    """The sort key of a stored key: ``find`` streams in this order."""
    record: bool = False
    """A registered record kind, kept as one JSON document (``records``)."""
    personal_key: bool = False
    """Whether the key is personal data (an identity number): messages mask it."""


PERSONS = Aggregate(
    entity="person",
    types=(Veteran, Survivor, ServingMember),
    key=lambda v: v.person.resident_id.unmasked,
    division=lambda v: v.person.hukou_division,
    matches=_person_matches,
)
HOUSEHOLDS = Aggregate(
    entity="household",
    types=(PlaqueHousehold,),
    key=lambda v: v.household.household_id,
    division=lambda v: v.household.hukou_division,
    matches=_household_matches,
)
STATIONS = Aggregate(
    entity="station",
    types=(ServiceStation,),
    key=lambda v: v.station_id,
    division=lambda v: v.division,
    matches=_station_matches,
)
CASES = Aggregate(
    entity="case",
    types=(AssistanceCase,),
    key=lambda v: v.case_id,
    division=lambda v: v.division,
    matches=_case_matches,
)
ACTIVITIES = Aggregate(
    entity="activity",
    types=(Activity,),
    key=lambda v: v.activity_id,
    division=lambda v: v.unit,
    matches=_activity_matches,
)
REPORTS = Aggregate(
    entity="report",
    types=(ReportSubmission,),
    key=lambda v: report_key(v.unit, v.kind, v.period),
    division=lambda v: v.unit,
    matches=_report_matches,
    order=json.loads,  # (unit, kind, period), in that order
)
AGGREGATES: tuple[Aggregate, ...] = (PERSONS, HOUSEHOLDS, STATIONS, CASES, ACTIVITIES, REPORTS)
BY_TYPE: dict[type, Aggregate] = {t: a for a in AGGREGATES for t in a.types}
BY_ENTITY: dict[str, Aggregate] = {a.entity: a for a in AGGREGATES}


# The registered record kinds (filled by ``records.register_record_kind``): by name, by class.
RECORD_AGGREGATES: dict[str, Aggregate] = {}
RECORD_BY_TYPE: dict[type, Aggregate] = {}


def aggregate_of(value: object) -> Aggregate:
    """The aggregate ``value`` belongs to.

    Raises:
        UnknownRecordKind: ``value`` is an attrs record of a class no kind is registered for.
        InvalidValue: ``value`` is anything else a store does not hold.
    """
    found = BY_TYPE.get(type(value)) or RECORD_BY_TYPE.get(type(value))
    if found is None:
        if attrs.has(type(value)):
            raise UnknownRecordKind(type(value).__name__)
        raise InvalidValue(
            "entity",
            type(value).__name__,
            "a store holds persons, plaque households, stations, cases, activities, "
            "report submissions and records of registered kinds (register_record_kind)",
            "存储不支持该类型",
        )
    return found


def aggregate_named(entity: str) -> Aggregate:
    """The aggregate of an entity name or record kind name (raises UnknownRecordKind)."""
    found = BY_ENTITY.get(entity) or RECORD_AGGREGATES.get(entity)
    if found is None:
        raise UnknownRecordKind(entity)
    return found


def record_aggregate(cls: object) -> Aggregate:
    """The aggregate of the record kind registered for the class ``cls``.

    Raises:
        UnknownRecordKind: no kind is registered for ``cls`` (named by its class name).
    """
    found = RECORD_BY_TYPE.get(cls) if isinstance(cls, type) else None
    if found is None:
        name = cls.__name__ if isinstance(cls, type) else type(cls).__name__
        raise UnknownRecordKind(name)
    return found


def personal_key(entity: str) -> bool:
    """Whether ``entity`` is a record kind whose key is personal data."""
    found = RECORD_AGGREGATES.get(entity)
    return found is not None and found.personal_key


def check_type(aggregate: Aggregate, value: object) -> None:
    if type(value) not in aggregate.types:
        names = " or ".join(t.__name__ for t in aggregate.types)
        raise InvalidValue(
            aggregate.entity, type(value).__name__, f"must be {names}", f"类型应为 {names}"
        )


def _report_key_text(key: tuple[object, ...]) -> str:
    if (
        len(key) != 3
        or not isinstance(key[0], DivisionCode)
        or not isinstance(key[1], str)
        or not isinstance(key[2], str)
    ):
        raise InvalidValue(
            "key",
            repr(key),
            "a submission's key is (unit: DivisionCode, kind, period)",
            "报送数据的键应为(单位, 报表类型, 期间)",
        )
    return report_key(key[0], key[1], key[2])


def key_text(key: object) -> str:
    """A key as stored: a ResidentId's full 18 characters, any other key as given."""
    if isinstance(key, ResidentId):
        return key.unmasked
    if isinstance(key, tuple):
        return _report_key_text(key)
    if not isinstance(key, str):
        raise InvalidValue(
            "key",
            type(key).__name__,
            "must be text, a ResidentId or a (unit, kind, period) tuple",
            "键类型错误",
        )
    return key


# --- documents (the audit log's before and after) ---------------------------------------------


@functools.cache
def converter() -> cattrs.Converter:
    """The converter documents are written and read with (one per process, never shared out)."""
    return make_converter(detailed_validation=False)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def record_document(aggregate: Aggregate, value: Any) -> str:
    """The stored document of a record: the JSON of ``make_converter().unstructure(value)``.

    Raises:
        InvalidValue: the record holds a lone surrogate, which no UTF-8 store can keep.
    """
    text = _dumps(converter().unstructure(value))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(
            aggregate.entity,
            type(value).__name__,
            "contains a lone surrogate (U+D800–U+DFFF), which is not text",
            "含有无效字符",
        ) from None
    return text


def record_value(aggregate: Aggregate, document: str) -> Any:
    """The record a stored document holds, structured back by the converter."""
    return converter().structure(json.loads(document), aggregate.types[0])


def audit_document(kind: str, document: str) -> str:
    """The audit document of a record: ``{"kind": "<kind>", "value": <its document>}``."""
    return f'{{"kind":{_dumps(kind)},"value":{document}}}'


def encode(value: Entity | Any) -> str:
    """``value`` as a JSON document ``{"type": "Veteran", "value": {...}}``.

    A record of a registered kind is ``{"kind": "<kind name>", "value": {...}}``.
    """
    record = RECORD_BY_TYPE.get(type(value))
    if record is not None:
        return audit_document(record.entity, record_document(record, value))
    document = {"type": type(value).__name__, "value": converter().unstructure(value)}
    return _dumps(document)


_TYPES_BY_NAME: dict[str, type] = {t.__name__: t for t in BY_TYPE}


def decode(text: str) -> Any:
    """The value of a document written by :func:`encode` (UnknownRecordKind for a kind not
    registered in this process)."""
    document = json.loads(text)
    if "kind" in document:
        aggregate = aggregate_named(document["kind"])
        return converter().structure(document["value"], aggregate.types[0])
    value: Entity = converter().structure(document["value"], _TYPES_BY_NAME[document["type"]])
    return value


# --- the engine and the typed repositories over it -------------------------------------------


class Engine(Protocol):
    """The operations a store implements once, for every aggregate (keys are text)."""

    def add(self, aggregate: Aggregate, value: Any) -> int: ...

    def read(self, aggregate: Aggregate, key: str) -> Versioned[Any]: ...

    def exists(self, aggregate: Aggregate, key: str) -> bool: ...

    def update(self, aggregate: Aggregate, value: Any, version: int) -> int: ...

    def remove(self, aggregate: Aggregate, key: str, version: int) -> None: ...

    def find(self, aggregate: Aggregate, criteria: Criteria) -> Iterator[Any]: ...

    def count(self, aggregate: Aggregate, criteria: Criteria) -> int: ...

    def person_summaries(self, criteria: Criteria) -> Iterator[PersonSummary]: ...


def check_version(version: object) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidValue("version", repr(version), "must be an integer ≥ 1", "版本号应为正整数")
    return version


class BaseRepository(Generic[T, K]):
    """add / get / read / update / remove / exists for one aggregate, over an engine."""

    aggregate: ClassVar[Aggregate]

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, value: T) -> int:
        check_type(self.aggregate, value)
        return self._engine.add(self.aggregate, value)

    def get(self, key: K) -> T:
        return self.read(key).value

    def read(self, key: K) -> Versioned[T]:
        found: Versioned[T] = self._engine.read(self.aggregate, key_text(key))
        return found

    def exists(self, key: K) -> bool:
        return self._engine.exists(self.aggregate, key_text(key))

    def update(self, value: T, *, version: int) -> int:
        check_type(self.aggregate, value)
        return self._engine.update(self.aggregate, value, check_version(version))

    def remove(self, key: K, *, version: int) -> None:
        self._engine.remove(self.aggregate, key_text(key), check_version(version))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class Persons(BaseRepository[PersonRecord, ResidentId]):
    aggregate = PERSONS

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> Iterator[PersonRecord]:
        criteria = Criteria(within=within, category=category, on=on, person_kind=kind)
        return self._engine.find(self.aggregate, criteria)

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> int:
        criteria = Criteria(within=within, category=category, on=on, person_kind=kind)
        return self._engine.count(self.aggregate, criteria)

    def summaries(
        self,
        *,
        within: DivisionCode | None = None,
        category: EntitlementCategory | None = None,
        on: dt.date | None = None,
        kind: type[PersonRecord] | None = None,
    ) -> Iterator[PersonSummary]:
        criteria = Criteria(within=within, category=category, on=on, person_kind=kind)
        return self._engine.person_summaries(criteria)


class Households(BaseRepository[PlaqueHousehold, str]):
    aggregate = HOUSEHOLDS

    def find(
        self, *, within: DivisionCode | None = None, plaque_on: dt.date | None = None
    ) -> Iterator[PlaqueHousehold]:
        return self._engine.find(self.aggregate, Criteria(within=within, plaque_on=plaque_on))

    def count(self, *, within: DivisionCode | None = None, plaque_on: dt.date | None = None) -> int:
        return self._engine.count(self.aggregate, Criteria(within=within, plaque_on=plaque_on))


class Stations(BaseRepository[ServiceStation, str]):
    aggregate = STATIONS

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: StationKind | None = None,
        status: StationStatus | None = None,
    ) -> Iterator[ServiceStation]:
        return self._engine.find(self.aggregate, Criteria(within=within, kind=kind, status=status))

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: StationKind | None = None,
        status: StationStatus | None = None,
    ) -> int:
        return self._engine.count(self.aggregate, Criteria(within=within, kind=kind, status=status))


class Cases(BaseRepository[AssistanceCase, str]):
    aggregate = CASES

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        status: CaseStatus | None = None,
        incident_between: DateRange | None = None,
    ) -> Iterator[AssistanceCase]:
        criteria = Criteria(within=within, status=status, between=incident_between)
        return self._engine.find(self.aggregate, criteria)

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        status: CaseStatus | None = None,
        incident_between: DateRange | None = None,
    ) -> int:
        criteria = Criteria(within=within, status=status, between=incident_between)
        return self._engine.count(self.aggregate, criteria)


class Activities(BaseRepository[Activity, str]):
    aggregate = ACTIVITIES

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: ActivityKind | None = None,
        held_between: DateRange | None = None,
        for_period: str | None = None,
    ) -> Iterator[Activity]:
        criteria = Criteria(within=within, kind=kind, between=held_between, for_period=for_period)
        return self._engine.find(self.aggregate, criteria)

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: ActivityKind | None = None,
        held_between: DateRange | None = None,
        for_period: str | None = None,
    ) -> int:
        criteria = Criteria(within=within, kind=kind, between=held_between, for_period=for_period)
        return self._engine.count(self.aggregate, criteria)


class Reports(BaseRepository[ReportSubmission, ReportKey]):
    aggregate = REPORTS

    def find(
        self,
        *,
        within: DivisionCode | None = None,
        kind: str | None = None,
        period: str | None = None,
        submitted_between: DateRange | None = None,
    ) -> Iterator[ReportSubmission]:
        criteria = Criteria(
            within=within, report_kind=kind, period=period, between=submitted_between
        )
        return self._engine.find(self.aggregate, criteria)

    def count(
        self,
        *,
        within: DivisionCode | None = None,
        kind: str | None = None,
        period: str | None = None,
        submitted_between: DateRange | None = None,
    ) -> int:
        criteria = Criteria(
            within=within, report_kind=kind, period=period, between=submitted_between
        )
        return self._engine.count(self.aggregate, criteria)


def record_key_text(key: object) -> str:
    """A record's key as given to ``get``, ``read``, ``exists`` or ``remove``: text."""
    if not isinstance(key, str):
        raise InvalidValue("key", type(key).__name__, "a record's key is text", "记录键应为文本")
    return key


class Records(Generic[T]):
    """add / get / read / update / remove / exists / find / count for one record kind."""

    def __init__(self, engine: Engine, aggregate: Aggregate) -> None:
        self._engine = engine
        self._aggregate = aggregate

    @property
    def kind(self) -> str:
        """The kind's registered name (what the audit log calls the entity)."""
        return self._aggregate.entity

    def add(self, value: T) -> int:
        check_type(self._aggregate, value)
        return self._engine.add(self._aggregate, value)

    def get(self, key: str) -> T:
        return self.read(key).value

    def read(self, key: str) -> Versioned[T]:
        found: Versioned[T] = self._engine.read(self._aggregate, record_key_text(key))
        return found

    def exists(self, key: str) -> bool:
        return self._engine.exists(self._aggregate, record_key_text(key))

    def update(self, value: T, *, version: int) -> int:
        check_type(self._aggregate, value)
        return self._engine.update(self._aggregate, value, check_version(version))

    def remove(self, key: str, *, version: int) -> None:
        self._engine.remove(self._aggregate, record_key_text(key), check_version(version))

    def find(
        self, *, within: DivisionCode | None = None, where: Callable[[T], bool] | None = None
    ) -> Iterator[T]:
        found: Iterator[T] = self._engine.find(
            self._aggregate, Criteria(within=within, where=where)
        )
        return found

    def count(
        self, *, within: DivisionCode | None = None, where: Callable[[T], bool] | None = None
    ) -> int:
        return self._engine.count(self._aggregate, Criteria(within=within, where=where))

    def __repr__(self) -> str:
        return f"<Records {self._aggregate.entity!r}>"


class Repositories:
    """The six typed repositories of one unit of work (mixed into each store's unit), and
    those of the record kinds (:meth:`records`).

    A store's unit sets ``_scope``, the subtree it may write in (``None``: everywhere).
    """

    _scope: DivisionCode | None

    def __init__(self, engine: Engine) -> None:
        self._records_engine = engine
        self.persons = Persons(engine)
        self.households = Households(engine)
        self.stations = Stations(engine)
        self.cases = Cases(engine)
        self.activities = Activities(engine)
        self.reports = Reports(engine)

    def records(self, cls: type[T]) -> Records[T]:
        """The repository of the record kind registered for ``cls`` (UnknownRecordKind)."""
        return Records(self._records_engine, record_aggregate(cls))

    def _check_scope(self, aggregate: Aggregate, value: Any) -> DivisionCode:
        """The unit ``value`` belongs to; :class:`OutOfScope` if it lies outside the scope."""
        division: DivisionCode = aggregate.division(value)
        if not inside(division, self._scope):
            assert self._scope is not None
            raise OutOfScope(self._scope.value, division.value, aggregate.entity)
        return division


def utc(moment: dt.datetime) -> dt.datetime:
    """A clock reading as an aware UTC datetime (a naive one is refused: whose time is it?)."""
    reading: object = moment
    if not isinstance(reading, dt.datetime) or reading.utcoffset() is None:
        raise InvalidValue(
            "clock",
            repr(moment),
            "the clock must return a timezone-aware datetime",
            "时钟须返回带时区的时间",
        )
    return moment.astimezone(dt.UTC)


def system_clock() -> dt.datetime:
    """Now, in UTC (the default clock of the stores)."""
    return dt.datetime.now(dt.UTC)


def check_actor(actor: object) -> str:
    if not isinstance(actor, str) or not actor.strip() or len(actor) > 200:
        raise InvalidValue(
            "actor", repr(actor), "must be non-blank text of at most 200 characters", "操作人无效"
        )
    return actor
