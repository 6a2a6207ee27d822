"""The contract every store must pass (存储契约测试), importable by other implementations.

Subclass :class:`StoreContract` in a test module, name the subclass ``Test…`` and say how to
make a new, empty store; pytest then runs every check of the contract against it, including a
hypothesis ``RuleBasedStateMachine`` that drives the store and a plain dictionary side by
side (add, get, update, remove, queries, scoping, commit and rollback) and compares them
after every step, and threads that change one record at once (no committed update may be
lost)::

    from veteran_affairs.testing.store_contract import StoreContract

    class TestMyStore(StoreContract):
        def make_store(self, clock, directory):
            return MyStore(clock=clock, path=directory / "my.db")

``clock`` is a deterministic clock the store must use for its audit entries; ``directory``
is a fresh temporary directory, for stores that keep files. Needs the ``testing`` extra
(hypothesis and pytest).

The machinery is shared with suites for other kinds of records (the library's own record
contract for ``uow.records(cls)`` is one): :class:`ContractBase` holds the fixtures, the
thread checks and the state machine; a suite says what it stores in a :class:`StoredKinds`
and what its threads contend for in a :class:`ContendedKind`, and may add rules to the
:class:`DictionaryMachine` by subclassing it (``docs/howto-store.md``, section 6).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
import pickle
import sys
import tempfile
import threading
import types
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from veteran_affairs.identity import DivisionCode, ResidentId, check_character, mask_id
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    CaseStatus,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    HukouType,
    Person,
    PersonnelType,
    PlaqueBasis,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    ReportSubmission,
    ServiceRecord,
    ServiceStation,
    ServingMember,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.models.people import DeathCategory, Relation
from veteran_affairs.repositories import (
    AlreadyExists,
    AuditAction,
    ConcurrencyError,
    Entity,
    HeldOutsideScope,
    NotFound,
    OutOfScope,
    PersonSummary,
    Store,
    StoreBusy,
    UnitOfWork,
)
from veteran_affairs.testing import strategies as vas

__all__ = [
    "SCOPES",
    "UNITS",
    "ContendedKind",
    "ContractBase",
    "DictionaryMachine",
    "Slot",
    "StoreContract",
    "StoredKinds",
    "TickingClock",
    "activity",
    "assistance_case",
    "fresh_store",
    "in_threads",
    "odd_text",
    "plaque_household",
    "report_submission",
    "resident_id",
    "station",
    "survivor",
    "tells_only_the_key",
    "veteran",
]


def __dir__() -> list[str]:
    return __all__


R = TypeVar("R", bound=Entity)
T = TypeVar("T")
StoreFactory = Callable[[Callable[[], dt.datetime], Path], Store]
D = dt.date


class TickingClock:
    """A clock for tests: ``start``, then one second later at each call (thread-safe)."""

    def __init__(self, start: dt.datetime = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            current = self.now
            self.now = current + dt.timedelta(seconds=1)
        return current


# --- sample records, small and valid ----------------------------------------------------------


def resident_id(number: int, born: str = "19700101") -> ResidentId:
    """A valid identity number issued in 450312, with sequence ``number`` (0–999)."""
    body = f"450312{born}{number % 1000:03d}"
    return ResidentId(body + check_character(body))


def veteran(
    number: int,
    division: str = "450312101201",
    *,
    name: str = "韦建国",
    born: str = "19700101",
    categories: tuple[tuple[EntitlementCategory, D, D | None], ...] = (),
) -> Veteran:
    """A conscript discharged in 1992 who found his own employment."""
    return Veteran(
        person=Person(
            resident_id=resident_id(number, born),
            name=name,
            hukou_division=DivisionCode(division),
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=D(1988, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharged_on=D(1992, 12, 1),
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
        statuses=tuple(
            EntitlementStatus(category=c, since=since, until=until)
            for c, since, until in categories
        ),
    )


def survivor(number: int, division: str = "450312101201") -> Survivor:
    """The parent of a martyr who died in 1979, a martyr's survivor since."""
    return Survivor(
        person=Person(
            resident_id=resident_id(number, born="19400101"),
            name="黄秀兰",
            hukou_division=DivisionCode(division),
            hukou_type=HukouType.RURAL,
        ),
        relation=Relation.PARENT,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(1979, 2, 20),
        statuses=(
            EntitlementStatus(category=EntitlementCategory.MARTYR_SURVIVOR, since=D(1979, 3, 1)),
        ),
    )


def serving_member(number: int, division: str = "450312101201") -> ServingMember:
    """A conscript serving since 2024, enlisted from 临桂区."""
    return ServingMember(
        person=Person(
            resident_id=resident_id(number, born="20040101"),
            name="蒙卫东",
            hukou_division=DivisionCode(division),
            hukou_type=HukouType.URBAN,
        ),
        service=ServiceRecord(enlisted_on=D(2024, 9, 1), personnel_type=PersonnelType.CONSCRIPT),
        enlisted_from=DivisionCode("450312"),
    )


def station(
    station_id: str,
    division: str = "450312101",
    *,
    name: str | None = None,
    status: StationStatus = StationStatus.OPERATING,
) -> ServiceStation:
    """A township or village station (a centre for county-level and higher units)."""
    code = DivisionCode(division)
    kind = StationKind.CENTRE if code.level <= 3 else StationKind.STATION
    return ServiceStation(
        station_id=station_id,
        division=code,
        kind=kind,
        name=name,
        status=status,
        established_on=None if status is StationStatus.PLANNED else D(2019, 3, 1),
        closed_on=D(2023, 1, 1) if status is StationStatus.CLOSED else None,
        office_area_m2=Decimal("60.5"),
        staff=2,
    )


def assistance_case(
    case_id: str,
    division: str = "450312",
    *,
    incident_on: D = D(2024, 5, 1),  # noqa: B008 - a date is immutable
    paid: bool = False,
) -> AssistanceCase:
    """A case applied for 2 days after the incident; approved and paid when ``paid``."""
    case = AssistanceCase.apply(
        case_id=case_id,
        applicant=resident_id(1),
        division=DivisionCode(division),
        cause=HardshipCause.SUDDEN_EVENT,
        incident_on=incident_on,
        on=incident_on + dt.timedelta(days=2),
        actor="applicant",
        requested_amount=Decimal("5000.00"),
        note="房屋因洪水受损 'flood'",
    )
    if paid:
        day = incident_on + dt.timedelta(days=10)
        case = case.review(on=day, actor="township-01")
        case = case.approve(
            on=day,
            actor="county-01",
            amount=Decimal("3000.50"),
            funding=(FundingAllocation(source=FundingSource.BUDGET, amount=Decimal("3000.50")),),
        )
        case = case.publicise(on=day, actor="county-01").pay(on=day, actor="county-01")
    return case


def activity(
    activity_id: str,
    unit: str = "450312101",
    *,
    kind: ActivityKind = ActivityKind.HOME_VISIT,
    held_on: D = D(2025, 3, 5),  # noqa: B008 - a date is immutable
    for_period: str | None = None,
) -> Activity:
    """An activity with two persons contacted."""
    return Activity(
        activity_id=activity_id,
        kind=kind,
        unit=DivisionCode(unit),
        held_on=held_on,
        contacts=(resident_id(1), resident_id(2)),
        topic="走访慰问",
        for_period=for_period,
    )


def plaque_household(
    household_id: str,
    division: str = "450312101201",
    *,
    hung_on: D | None = D(2019, 8, 1),  # noqa: B008 - a date is immutable
) -> PlaqueHousehold:
    """A household of two with a veteran member; a plaque hung on ``hung_on``."""
    head, other = resident_id(11), resident_id(12, born="19720101")
    return PlaqueHousehold(
        household=Household(
            household_id=household_id,
            hukou_division=DivisionCode(division),
            head=head,
            members=(head, other),
            plaque=None if hung_on is None else PlaqueRecord(hung_on=hung_on),
        ),
        members=(
            PlaqueMember(
                resident_id=head,
                basis=PlaqueBasis.VETERAN,
                since=D(1992, 12, 1),
                certificate_holder=True,
            ),
        ),
    )


def report_submission(
    unit: str = "450312",
    kind: str = "assistance",
    period: str = "2024Q3",
    *,
    submitted_on: D = D(2024, 10, 9),  # noqa: B008 - a date is immutable
) -> ReportSubmission:
    """A unit's assistance figures: a count (``int``) and amounts (``Decimal``)."""
    return ReportSubmission(
        unit=DivisionCode(unit),
        kind=kind,
        period=period,
        figures={"cases": 12, "amount": Decimal("48000.00"), "rate": Decimal("0.125")},
        submitted_on=submitted_on,
    )


def _samples() -> list[Entity]:
    return [
        veteran(1),
        survivor(2),
        serving_member(3),
        plaque_household("H-1"),
        station("S-1"),
        assistance_case("C-1", paid=True),
        activity("A-1", for_period="2025-03"),
        report_submission(),
    ]


_SAMPLE_IDS = [
    "veteran",
    "survivor",
    "serving-member",
    "household",
    "station",
    "case",
    "activity",
    "report",
]


def _name(value: Entity) -> str:
    """The name of the repository that holds ``value``."""
    if isinstance(value, Veteran | Survivor | ServingMember):
        return "persons"
    return {
        PlaqueHousehold: "households",
        ServiceStation: "stations",
        AssistanceCase: "cases",
        Activity: "activities",
        ReportSubmission: "reports",
    }[type(value)]


def _repository(uow: Any, value: Entity) -> Any:
    return getattr(uow, _name(value))


def _key(value: Entity) -> Any:
    if isinstance(value, Veteran | Survivor | ServingMember):
        return value.person.resident_id
    if isinstance(value, PlaqueHousehold):
        return value.household.household_id
    if isinstance(value, ServiceStation):
        return value.station_id
    if isinstance(value, AssistanceCase):
        return value.case_id
    if isinstance(value, ReportSubmission):
        return (value.unit, value.kind, value.period)
    return value.activity_id


def _division(value: Entity) -> DivisionCode:
    if isinstance(value, Veteran | Survivor | ServingMember):
        return value.person.hukou_division
    if isinstance(value, PlaqueHousehold):
        return value.household.hukou_division
    if isinstance(value, ServiceStation | AssistanceCase):
        return value.division
    return value.unit


def _moved(value: R, division: DivisionCode) -> R:
    """``value`` moved to ``division`` (a station keeps its level, so it needs a like unit).

    A submission cannot move (its unit is part of its key): it is revised instead, with a
    figure taken from ``division``.
    """
    moved: Entity
    if isinstance(value, ReportSubmission):
        revision = int(division.value[-4:]) + len(value.figures)
        moved = attrs.evolve(value, figures={**value.figures, "revision": revision})
    elif isinstance(value, Veteran | Survivor | ServingMember):
        moved = attrs.evolve(value, person=attrs.evolve(value.person, hukou_division=division))
    elif isinstance(value, PlaqueHousehold):
        household = attrs.evolve(value.household, hukou_division=division)
        moved = attrs.evolve(value, household=household)
    elif isinstance(value, ServiceStation | AssistanceCase):
        moved = attrs.evolve(value, division=division)
    else:
        moved = attrs.evolve(value, unit=division)
    return cast(R, moved)


def _add(store: Store, *values: Entity, actor: str = "tester") -> None:
    with store.unit_of_work(actor=actor) as uow:
        for value in values:
            _repository(uow, value).add(value)
        uow.commit()


# --- what every contract shares: units, text, threads, a throw-away store --------------------

UNITS: tuple[DivisionCode, ...] = tuple(
    DivisionCode(code)
    for code in ("450312101201", "450312101202", "450312102201", "450323100201", "450323100202")
)
"""Units generated records lie in: villages of two townships of 临桂区 and one of 灵川县."""

SCOPES: tuple[DivisionCode, ...] = tuple(
    DivisionCode(code)
    for code in ("45", "4503", "450312", "450312101", "450312101201", "450323", "450323100", "4401")
)
"""Scopes the checks open over :data:`UNITS`: wider, narrower, beside them and elsewhere."""

# Text that has broken stores before: quotes, SQL, placeholders, wildcards, escapes, JSON,
# odd Unicode.
_NASTY = (
    "O'Brien",
    'say "hi"',
    "'; DROP TABLE persons; --",
    "'; DROP TABLE casework_records; --",
    "Robert'); DELETE FROM audit_log;--",
    "100% _like_ %",
    "100% _like_ %s %(name)s $1 ?",
    "back\\slash",
    "back\\slash \\N",
    '{"kind":"x","value":{}}',
    "ﬁ ﬀ ǅ",  # compatibility ligatures, title-case digraph
    "e\u0301 é",  # combining accent next to the precomposed letter
    "\u202etxet\u202c",  # right-to-left override
    "𠀋𡈽𤭢 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎖️👩🏽‍✈️",  # astral CJK, maths letters, emoji ZWJ sequence
    "\ufeffBOM",
    "零宽\u200b空格",
)


def odd_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text a model's text field accepts (no control characters or surrounding blanks), often
    text that has broken stores before: quotes, SQL, placeholders, escapes, odd Unicode."""
    generated = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        min_size=1,
        max_size=max_size,
    ).map(str.strip)
    return (st.sampled_from(_NASTY) | generated).filter(bool)


def in_threads(count: int, work: Callable[[int], T]) -> list[T]:
    """``work(0)`` … ``work(count - 1)``, each in a thread of its own, released together.

    Meanwhile the interpreter switches between threads as often as it can, so that their
    steps interleave finely (with the default 5 ms, one thread may run many whole cycles
    alone). An exception in a thread is raised here. Nothing is timed.
    """
    start = threading.Barrier(count)

    def run(n: int) -> T:
        start.wait()
        return work(n)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(run, n) for n in range(count)]
            return [future.result() for future in futures]
    finally:
        sys.setswitchinterval(interval)


@contextlib.contextmanager
def fresh_store(factory: StoreFactory) -> Iterator[Store]:
    """A new store from ``factory``, with a :class:`TickingClock` and a temporary directory.

    On leaving, the store is closed (when it has a ``close``) and the directory removed.
    """
    with tempfile.TemporaryDirectory() as directory:
        store = factory(TickingClock(), Path(directory))
        try:
            yield store
        finally:
            close = getattr(store, "close", None)
            if close is not None:
                close()


def tells_only_the_key(error: AlreadyExists, held_in: DivisionCode) -> bool:
    """Whether ``error`` says no more than that its key is taken, by a record in ``held_in``.

    It is a :class:`~veteran_affairs.repositories.HeldOutsideScope` carrying the entity and
    the key alone (its arguments and attributes are those of the error made from them and
    nothing else), and no form of it names the holder's unit, outside the key itself, plain
    or masked (a key may name a unit: ``450312101201-20180416-01``).
    """
    bare = HeldOutsideScope(error.entity, error.key)
    shown = [str(error), repr(error), *(str(a) for a in error.args)]
    for key in (error.key, mask_id(error.key)):
        shown = [text.replace(key, "") for text in shown]
    return (type(error), error.args, vars(error)) == (
        HeldOutsideScope,
        bare.args,
        vars(bare),
    ) and not any(code in text for code in (held_in.value, held_in.short) for text in shown)


# --- the state machine ------------------------------------------------------------------------

Slot = tuple[str, str]
"""Where the dictionary machine keeps a record: (the name of its repository, its key as text)."""


def _no_filters() -> dict[str, Callable[[Any], bool]]:
    return {}


@attrs.frozen(kw_only=True)
class StoredKinds:
    """What a :class:`DictionaryMachine` stores, and how it finds its way among the records.

    Records of several kinds may share a machine; each kind lives in one repository of a unit
    of work, named in ``repositories``. The store contract's kinds are the six aggregates; the
    library's record contract stores two record kinds of its own (``uow.records(cls)``).
    """

    records: st.SearchStrategy[Any]
    """The records the machine adds, of every kind it stores, lying in :attr:`units`."""

    repositories: Mapping[str, Callable[[UnitOfWork], Any]]
    """Each repository by the name :attr:`slot` gives: ``{"persons": lambda uow: uow.persons}``.

    Every one is counted after each step and queried with ``within`` by the scoped rules.
    """

    slot: Callable[[Any], Slot]
    """A record's repository name and its key as text: the key of the machine's dictionary.
    A repository's ``find`` streams records in the order of this text."""

    key: Callable[[Any], Any]
    """A record's key, as its repository takes it (``ResidentId``, ``(unit, kind, period)``)."""

    division: Callable[[Any], DivisionCode]
    """The unit that scopes a record."""

    moved: Callable[[Any, DivisionCode], Any]
    """A record, its key kept, changed and moved to a unit of :attr:`units`: what an update
    writes, and what a scope tries to add when the key is held outside it. A kind whose key
    names its unit (a report submission) may change without moving."""

    units: tuple[DivisionCode, ...] = UNITS
    """The units records move to (those :attr:`records` lie in)."""

    scopes: tuple[DivisionCode, ...] = SCOPES
    """The scopes the scoped rules open, and the subtrees they query."""

    filters: Mapping[str, Callable[[Any], bool]] = attrs.field(factory=_no_filters)
    """A ``where`` filter by repository name, for repositories whose ``find`` and ``count``
    take one (records of registered kinds): queries try with and without it."""


def _of_kinds(part: Callable[[StoredKinds], st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """Values of ``part`` of the running machine's kinds (rules are declared before them)."""

    def of_machine(machine: Any) -> st.SearchStrategy[T]:
        kinds: StoredKinds = machine.kinds
        return part(kinds)

    return st.runner().flatmap(of_machine)


class DictionaryMachine(RuleBasedStateMachine):
    """A store and a dictionary ``slot → (version, record)`` fed the same random operations
    and compared after every step (the store contracts' state machine).

    :meth:`over` makes the machine for some kinds and a store factory, ready for
    ``run_state_machine_as_test``. Rules: add, update (sometimes stale), remove, clerks in
    threads updating one record at once, one unit committing several changes, uncommitted
    and failed units, writes outside a scope, adds of keys held outside a scope, scoped
    queries; the invariant reads every record back at its version and counts the records
    and the audit entries.

    To add rules, subclass it and call :meth:`over` on the subclass; a rule may use
    :attr:`store` (the store under test), :attr:`model` (the dictionary), :attr:`kinds`,
    :meth:`pick` and :meth:`repository`, and must count every audit entry it commits in
    :attr:`audited`.
    """

    kinds: StoredKinds
    """What the machine stores (set by :meth:`over`)."""

    _make_store: StoreFactory  # makes the store under test (set by :meth:`over`)

    @classmethod
    def over(cls, kinds: StoredKinds, make_store: StoreFactory) -> type[Self]:
        """This machine, storing ``kinds`` in stores that ``make_store`` makes."""
        namespace = {"kinds": kinds, "_make_store": staticmethod(make_store)}
        made = types.new_class(cls.__name__, (cls,), exec_body=lambda body: body.update(namespace))
        return cast(type[Self], made)

    def __init__(self) -> None:
        super().__init__()
        self._closing = contextlib.ExitStack()
        self.store = self._closing.enter_context(fresh_store(self._make_store))
        self.model: dict[Slot, tuple[int, Any]] = {}
        self.audited = 0

    def teardown(self) -> None:
        self._closing.close()

    def pick(self, data: st.DataObject) -> tuple[int, Any]:
        """A stored record, drawn, with its version."""
        return self.model[data.draw(st.sampled_from(sorted(self.model)))]

    def repository(self, uow: UnitOfWork, record: Any) -> Any:
        """The repository of ``uow`` that holds records like ``record``."""
        return self.kinds.repositories[self.kinds.slot(record)[0]](uow)

    @rule(record=_of_kinds(lambda kinds: kinds.records))
    def add(self, record: Any) -> None:
        slot = self.kinds.slot(record)
        with self.store.unit_of_work(actor="clerk") as uow:
            if slot in self.model:
                with pytest.raises(AlreadyExists):
                    self.repository(uow, record).add(record)
                return
            assert 1 == self.repository(uow, record).add(record)
            uow.commit()
        self.model[slot] = (1, record)
        self.audited += 1

    @precondition(lambda self: bool(self.model))
    @rule(
        data=st.data(),
        division=_of_kinds(lambda kinds: st.sampled_from(kinds.units)),
        stale=st.booleans(),
    )
    def update(self, data: st.DataObject, division: DivisionCode, stale: bool) -> None:
        version, record = self.pick(data)
        changed = self.kinds.moved(record, division)
        with self.store.unit_of_work(actor="clerk") as uow:
            repository = self.repository(uow, record)
            if stale:
                with pytest.raises(ConcurrencyError):
                    repository.update(changed, version=version + 1)
                return
            assert version + 1 == repository.update(changed, version=version)
            uow.commit()
        self.model[self.kinds.slot(record)] = (version + 1, changed)
        self.audited += 1

    @precondition(lambda self: bool(self.model))
    @rule(
        data=st.data(),
        division=_of_kinds(lambda kinds: st.sampled_from(kinds.units)),
        clerks=st.integers(2, 4),
    )
    def clerks_update_one_record_at_once(
        self, data: st.DataObject, division: DivisionCode, clerks: int
    ) -> None:
        """Threads read, update and commit one record together: no commit is lost."""
        version, record = self.pick(data)
        changed = self.kinds.moved(record, division)
        key = self.kinds.key(record)

        def clerk(n: int) -> bool:
            with self.store.unit_of_work(actor=f"clerk-{n}") as uow:
                repository = self.repository(uow, record)
                try:
                    read = repository.read(key)
                    repository.update(changed, version=read.version)
                    uow.commit()
                except (ConcurrencyError, StoreBusy):
                    return False
            return True

        committed = sum(in_threads(clerks, clerk))
        assert committed >= 1  # the first to commit cannot have been overtaken
        self.model[self.kinds.slot(record)] = (version + committed, changed)
        self.audited += committed

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        version, record = self.pick(data)
        with self.store.unit_of_work(actor="clerk") as uow:
            self.repository(uow, record).remove(self.kinds.key(record), version=version)
            uow.commit()
        del self.model[self.kinds.slot(record)]
        self.audited += 1

    @rule(
        records=_of_kinds(lambda kinds: st.lists(kinds.records, min_size=1, max_size=3)),
        data=st.data(),
    )
    def one_unit_commits_several_changes(self, records: list[Any], data: st.DataObject) -> None:
        changes: dict[Slot, tuple[int, Any] | None] = {}
        with self.store.unit_of_work(actor="clerk") as uow:
            for record in records:
                slot = self.kinds.slot(record)
                if slot in self.model or slot in changes:
                    continue
                self.repository(uow, record).add(record)
                changes[slot] = (1, record)
            remove_one = data.draw(st.booleans(), label="remove one")
            if self.model and remove_one:
                version, other = self.pick(data)
                if self.kinds.slot(other) not in changes:
                    self.repository(uow, other).remove(self.kinds.key(other), version=version)
                    changes[self.kinds.slot(other)] = None
            uow.commit()
        for slot, change in changes.items():
            if change is None:
                del self.model[slot]
            else:
                self.model[slot] = change
        self.audited += len(changes)

    @rule(record=_of_kinds(lambda kinds: kinds.records), data=st.data(), fail=st.booleans())
    def uncommitted_changes_vanish(self, record: Any, data: st.DataObject, fail: bool) -> None:
        try:
            with self.store.unit_of_work(actor="clerk") as uow:
                if self.kinds.slot(record) not in self.model:
                    self.repository(uow, record).add(record)
                if self.model:
                    version, other = self.pick(data)
                    self.repository(uow, other).remove(self.kinds.key(other), version=version)
                if fail:
                    raise KeyboardInterrupt
                uow.rollback()
        except KeyboardInterrupt:
            pass

    @rule(
        scope=_of_kinds(lambda kinds: st.sampled_from(kinds.scopes)),
        record=_of_kinds(lambda kinds: kinds.records),
    )
    def scoped_writes_outside_are_refused(self, scope: DivisionCode, record: Any) -> None:
        if scope.contains(self.kinds.division(record)) or self.kinds.slot(record) in self.model:
            return
        with self.store.scoped(scope).unit_of_work(actor="township") as uow:
            with pytest.raises(OutOfScope):
                self.repository(uow, record).add(record)
            uow.commit()

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), scope=_of_kinds(lambda kinds: st.sampled_from(kinds.scopes)))
    def a_scope_learns_only_that_a_key_outside_it_is_taken(
        self, data: st.DataObject, scope: DivisionCode
    ) -> None:
        _, record = self.pick(data)
        ours = [unit for unit in self.kinds.units if scope.contains(unit)]
        if not ours or scope.contains(self.kinds.division(record)):
            return
        brought = self.kinds.moved(record, data.draw(st.sampled_from(ours)))
        if not scope.contains(self.kinds.division(brought)):
            return  # its key names its unit (a submission's): never held in another
        with self.store.scoped(scope).unit_of_work(actor="township") as uow:
            repository = self.repository(uow, record)
            assert not repository.exists(self.kinds.key(record))
            with pytest.raises(HeldOutsideScope) as raised:
                repository.add(brought)
            uow.commit()
        assert tells_only_the_key(raised.value, self.kinds.division(record))

    @rule(
        scope=_of_kinds(lambda kinds: st.sampled_from(kinds.scopes)),
        within=_of_kinds(lambda kinds: st.sampled_from(kinds.scopes)),
        filtered=st.booleans(),
    )
    def scoped_queries_agree(
        self, scope: DivisionCode, within: DivisionCode, filtered: bool
    ) -> None:
        with self.store.scoped(scope).unit_of_work(actor="township") as uow:
            for name, repository_of in self.kinds.repositories.items():
                repository = repository_of(uow)
                where = self.kinds.filters.get(name) if filtered else None
                expected = sorted(
                    key
                    for (kind, key), (_, record) in self.model.items()
                    if kind == name
                    and scope.contains(self.kinds.division(record))
                    and within.contains(self.kinds.division(record))
                    and (where is None or where(record))
                )
                criteria: dict[str, Any] = {"within": within}
                if where is not None:
                    criteria["where"] = where
                found = [self.kinds.slot(r)[1] for r in repository.find(**criteria)]
                assert expected == found
                assert len(expected) == repository.count(**criteria)

    @invariant()
    def every_record_reads_back_at_its_version(self) -> None:
        with self.store.unit_of_work(actor="reader") as uow:
            for version, record in self.model.values():
                found = self.repository(uow, record).read(self.kinds.key(record))
                assert (version, record) == (found.version, found.value)
            total = sum(of(uow).count() for of in self.kinds.repositories.values())
        assert len(self.model) == total
        assert self.audited == self.store.audit.count()


# --- the checks every contract shares ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContendedKind:
    """A record that the thread checks of :class:`ContractBase` have threads contend for.

    Each cycle of a thread reads the record, adds 1 to its whole-number field :attr:`count`
    and writes it back with the version read.
    """

    make: Callable[[str], Any]
    """A valid record with this key (the checks use keys such as ``K-1`` and ``K-007``)."""

    count: str
    """The name of the record's ``int`` field that every update adds 1 to (it must take any
    number up to its start plus :attr:`ContractBase.writers` × :attr:`ContractBase.cycles`)."""

    repository: Callable[[UnitOfWork], Any]
    """The repository of a unit of work that holds the records."""


def _bump(store: Store, actor: str, contended: ContendedKind, keys: tuple[str, ...]) -> bool:
    """One read-update-commit cycle adding 1 to the count of the records ``keys``; whether it
    committed (False: the store refused, a stale version or a writer kept waiting too long,
    and wrote nothing of the unit)."""
    with store.unit_of_work(actor=actor) as uow:
        repository = contended.repository(uow)
        try:
            for key in keys:
                found = repository.read(key)
                count = getattr(found.value, contended.count)
                changed = attrs.evolve(found.value, **{contended.count: count + 1})
                repository.update(changed, version=found.version)
            uow.commit()
        except (ConcurrencyError, StoreBusy):  # refused: nothing of the unit is written
            return False
    return True


class ContractBase:
    """What the store contracts share: the fixtures, the thread checks and the state machine.

    :class:`StoreContract` is one; a suite of checks for other kinds of records (the
    library's own record contract is one) subclasses it and says what it stores in
    :attr:`stored` and :attr:`contended`, and may run a :class:`DictionaryMachine` with more
    rules by setting :attr:`machine`.
    """

    writers: int = 8
    """How many threads the concurrency checks run (a subclass may change it)."""

    cycles: int = 100
    """How many read-update-commit cycles each of those threads runs."""

    stored: ClassVar[StoredKinds]
    """What the state machine stores."""

    contended: ClassVar[ContendedKind]
    """What the thread checks contend for."""

    machine: ClassVar[type[DictionaryMachine]] = DictionaryMachine
    """The state machine run against the store: a subclass may add rules."""

    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> Store:
        """A new, empty store using ``clock``; ``directory`` is a fresh temporary directory."""
        raise NotImplementedError

    # --- fixtures ----------------------------------------------------------------------------

    @pytest.fixture
    def clock(self) -> TickingClock:
        return TickingClock()

    @pytest.fixture
    def store(self, clock: TickingClock, tmp_path: Path) -> Store:
        return self.make_store(clock, tmp_path)

    def _fresh(self) -> Iterator[Store]:
        with fresh_store(self.make_store) as store:
            yield store

    # --- threads -----------------------------------------------------------------------------

    def _add_contended(self, store: Store, *keys: str) -> None:
        with store.unit_of_work(actor="import") as uow:
            for key in keys:
                self.contended.repository(uow).add(self.contended.make(key))
            uow.commit()

    def test_threads_updating_one_record_lose_no_committed_update(self, store: Store) -> None:
        contended = self.contended
        self._add_contended(store, "K-1")
        start = getattr(contended.make("K-1"), contended.count)

        def clerk(n: int) -> int:
            cycles = range(self.cycles)
            return sum(_bump(store, f"clerk-{n}", contended, ("K-1",)) for _ in cycles)

        committed = sum(in_threads(self.writers, clerk))

        with store.unit_of_work(actor="reader") as uow:
            found = contended.repository(uow).read("K-1")
        updates = [e for e in store.audit.entries() if e.action is AuditAction.UPDATED]
        assert 0 < committed
        assert (1 + committed, start + committed) == (
            found.version,
            getattr(found.value, contended.count),
        )
        assert list(range(2, 2 + committed)) == [e.version for e in updates]
        # Each committed update started from the one before it: none was written over.
        assert [start + e.version - 1 for e in updates] == [
            getattr(e.after_value(), contended.count) for e in updates
        ]

    def test_a_unit_changing_two_records_commits_both_or_neither_under_contention(
        self, store: Store
    ) -> None:
        contended = self.contended
        self._add_contended(store, "K-1", "K-2")
        start = [getattr(contended.make(key), contended.count) for key in ("K-1", "K-2")]

        def clerk(n: int) -> int:
            cycles = range(self.cycles)
            return sum(_bump(store, f"clerk-{n}", contended, ("K-1", "K-2")) for _ in cycles)

        committed = sum(in_threads(self.writers, clerk))

        with store.unit_of_work(actor="reader") as uow:
            found = [contended.repository(uow).read(key) for key in ("K-1", "K-2")]
        assert 0 < committed
        assert [(1 + committed, s + committed) for s in start] == [
            (f.version, getattr(f.value, contended.count)) for f in found
        ]
        assert 2 + 2 * committed == store.audit.count()

    def test_of_threads_adding_one_key_exactly_one_commits(self, store: Store) -> None:
        contended = self.contended
        keys = [f"K-{n:03d}" for n in range(max(1, self.cycles // 4))]

        def clerk(n: int) -> list[str]:
            added = []
            for key in keys:
                with store.unit_of_work(actor=f"clerk-{n}") as uow:
                    try:
                        record = attrs.evolve(contended.make(key), **{contended.count: n})
                        contended.repository(uow).add(record)
                        uow.commit()
                    except (AlreadyExists, StoreBusy):
                        continue
                added.append(key)
            return added

        added = in_threads(self.writers, clerk)

        assert keys == sorted(key for by_one in added for key in by_one)
        winner = {key: n for n, by_one in enumerate(added) for key in by_one}
        with store.unit_of_work(actor="reader") as uow:
            repository = contended.repository(uow)
            found = {key: getattr(repository.get(key), contended.count) for key in keys}
            assert len(keys) == repository.count()
        assert winner == found
        assert len(keys) == store.audit.count()

    # --- the state machine -------------------------------------------------------------------

    def test_the_store_behaves_like_a_dictionary(self) -> None:
        run_state_machine_as_test(
            self.machine.over(self.stored, self.make_store),
            settings=settings(
                max_examples=max(5, settings().max_examples // 8),
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )


def _per_example_settings() -> settings:
    """The loaded profile's settings with fewer examples: each example opens a new store."""
    return settings(
        max_examples=max(10, settings().max_examples // 4),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# --- the store contract -----------------------------------------------------------------------


def _key_text(value: Entity) -> str:
    key = _key(value)
    if isinstance(key, tuple):  # a submission: (unit, kind, period), compared as text
        return "\x1f".join((key[0].value, key[1], key[2]))
    return key.unmasked if isinstance(key, ResidentId) else str(key)


def _slot(value: Entity) -> Slot:
    return (_name(value), _key_text(value))


_unit_codes = st.sampled_from(UNITS)
_AGGREGATES = StoredKinds(
    records=st.one_of(
        vas.veterans(persons=vas.persons(hukou_divisions=_unit_codes, alive=True)),
        vas.survivors(persons=vas.persons(hukou_divisions=_unit_codes, alive=True)),
        vas.activities(units=_unit_codes),
        vas.assistance_cases(divisions=_unit_codes),
        vas.plaque_households(households=vas.households(hukou_divisions=_unit_codes)),
        vas.report_submissions(units=_unit_codes),
    ),
    repositories={
        name: operator.attrgetter(name)
        for name in ("persons", "activities", "cases", "households", "stations", "reports")
    },
    slot=_slot,
    key=_key,
    division=_division,
    moved=_moved,
)


class StoreContract(ContractBase):
    """Every check a store must pass. Subclass, name it ``Test…`` and define :meth:`make_store`.

    Besides the checks below, it runs those of :class:`ContractBase` on the six aggregates:
    threads contending for a station, and the :class:`DictionaryMachine` over persons,
    activities, cases, households and report submissions.
    """

    stored = _AGGREGATES
    contended = ContendedKind(
        make=station, count="staff", repository=operator.attrgetter("stations")
    )

    @pytest.fixture(params=range(len(_SAMPLE_IDS)), ids=_SAMPLE_IDS)
    def sample(self, request: pytest.FixtureRequest) -> Entity:
        index: int = request.param
        return _samples()[index]

    # --- add, get, update, remove ------------------------------------------------------------

    def test_an_added_record_reads_back_equal_at_version_1(
        self, store: Store, sample: Entity
    ) -> None:
        _add(store, sample)

        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(_key(sample))
            assert sample == found.value
            assert 1 == found.version
            assert sample == _repository(uow, sample).get(_key(sample))
            assert _repository(uow, sample).exists(_key(sample))

    def test_a_missing_record_is_not_found(self, store: Store, sample: Entity) -> None:
        with store.unit_of_work(actor="reader") as uow:
            repository = _repository(uow, sample)
            with pytest.raises(NotFound):
                repository.get(_key(sample))
            assert not repository.exists(_key(sample))

    def test_adding_a_key_twice_is_refused(self, store: Store, sample: Entity) -> None:
        _add(store, sample)

        with store.unit_of_work(actor="clerk") as uow, pytest.raises(AlreadyExists) as raised:
            _repository(uow, sample).add(sample)

        assert AlreadyExists is type(raised.value)  # an unscoped store sees the holder

    def test_an_update_with_the_version_read_bumps_the_version(
        self, store: Store, sample: Entity
    ) -> None:
        _add(store, sample)
        changed = _moved(sample, DivisionCode("450312101202"))
        if isinstance(sample, ServiceStation):
            changed = attrs.evolve(sample, staff=7)

        with store.unit_of_work(actor="clerk") as uow:
            version = _repository(uow, sample).update(changed, version=1)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(_key(sample))

        assert 2 == version
        assert (changed, 2) == (found.value, found.version)

    def test_a_stale_update_raises_and_changes_nothing(self, store: Store, sample: Entity) -> None:
        _add(store, sample)
        with store.unit_of_work(actor="first") as uow:
            _repository(uow, sample).update(sample, version=1)
            uow.commit()

        with store.unit_of_work(actor="second") as uow:
            with pytest.raises(ConcurrencyError) as raised:
                _repository(uow, sample).update(sample, version=1)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(_key(sample))

        assert (1, 2) == (raised.value.expected, raised.value.actual)
        assert 2 == found.version

    def test_updating_a_missing_record_is_not_found(self, store: Store, sample: Entity) -> None:
        with store.unit_of_work(actor="clerk") as uow, pytest.raises(NotFound):
            _repository(uow, sample).update(sample, version=1)

    def test_a_removed_record_is_gone(self, store: Store, sample: Entity) -> None:
        _add(store, sample)

        with store.unit_of_work(actor="clerk") as uow:
            _repository(uow, sample).remove(_key(sample), version=1)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            assert not _repository(uow, sample).exists(_key(sample))
            with pytest.raises(NotFound):
                _repository(uow, sample).remove(_key(sample), version=1)

    def test_a_stale_removal_raises(self, store: Store, sample: Entity) -> None:
        _add(store, sample)
        with store.unit_of_work(actor="first") as uow:
            _repository(uow, sample).update(sample, version=1)
            uow.commit()

        with store.unit_of_work(actor="second") as uow, pytest.raises(ConcurrencyError):
            _repository(uow, sample).remove(_key(sample), version=1)

    def test_the_second_of_two_units_that_read_the_same_version_is_refused(
        self, store: Store
    ) -> None:
        record = veteran(1)
        _add(store, record)
        first_change = _moved(record, DivisionCode("450312101202"))
        second_change = _moved(record, DivisionCode("450312102201"))

        with (
            store.unit_of_work(actor="first") as first,
            store.unit_of_work(actor="second") as second,
        ):
            read_first = first.persons.read(record.resident_id)
            read_second = second.persons.read(record.resident_id)
            first.persons.update(first_change, version=read_first.version)
            first.commit()
            with pytest.raises(ConcurrencyError):
                second.persons.update(second_change, version=read_second.version)
        with store.unit_of_work(actor="reader") as uow:
            assert first_change == uow.persons.get(record.resident_id)

    # --- units of work -----------------------------------------------------------------------

    def test_nothing_is_written_without_commit(self, store: Store, sample: Entity) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            _repository(uow, sample).add(sample)
            assert _repository(uow, sample).exists(_key(sample))  # the unit sees its change

        with store.unit_of_work(actor="reader") as uow:
            assert not _repository(uow, sample).exists(_key(sample))
        assert 0 == store.audit.count()

    def test_an_exception_rolls_the_unit_back(self, store: Store, sample: Entity) -> None:
        def fail_half_way() -> None:
            with store.unit_of_work(actor="clerk") as uow:
                _repository(uow, sample).add(sample)
                _ = 1 / 0
                uow.commit()

        with pytest.raises(ZeroDivisionError):
            fail_half_way()

        with store.unit_of_work(actor="reader") as uow:
            assert not _repository(uow, sample).exists(_key(sample))

    def test_rollback_drops_the_changes_since_the_last_commit(self, store: Store) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            uow.stations.add(station("S-1"))
            uow.commit()
            uow.stations.add(station("S-2"))
            uow.rollback()
            uow.stations.add(station("S-3"))
            uow.commit()

        with store.unit_of_work(actor="reader") as uow:
            assert ["S-1", "S-3"] == [s.station_id for s in uow.stations.find()]

    # --- queries -----------------------------------------------------------------------------

    def test_a_subtree_query_streams_in_key_order_and_counts_alike(self, store: Store) -> None:
        _add(
            store,
            veteran(3, "450312101201"),
            veteran(1, "450312102201"),
            veteran(2, "450323100201"),
            veteran(4, "450312000000"),
            veteran(5, "450300000000"),
        )
        county = DivisionCode("450312")

        with store.unit_of_work(actor="reader") as uow:
            found = uow.persons.find(within=county)
            assert not isinstance(found, list | tuple)  # streamed
            numbers = [p.resident_id.unmasked[14:17] for p in found]
            assert ["001", "003", "004"] == numbers
            assert 3 == uow.persons.count(within=county)
            assert 5 == uow.persons.count()
            assert 1 == uow.persons.count(within=DivisionCode("450312101201"))

    def test_persons_are_found_by_the_category_they_hold_on_a_day(self, store: Store) -> None:
        disabled = EntitlementCategory.DISABLED_SERVICEMEMBER
        _add(
            store,
            veteran(1, categories=((disabled, D(2000, 1, 1), None),)),
            veteran(2, categories=((disabled, D(2000, 1, 1), D(2010, 12, 31)),)),
            veteran(3, categories=((disabled, D(2020, 1, 1), None),)),
            survivor(4),
            serving_member(5),
        )

        with store.unit_of_work(actor="reader") as uow:
            on_2010 = [
                p.resident_id for p in uow.persons.find(category=disabled, on=D(2010, 12, 31))
            ]
            on_2021 = uow.persons.count(category=disabled, on=D(2021, 1, 1))
            martyrs = uow.persons.count(
                category=EntitlementCategory.MARTYR_SURVIVOR, on=D(2021, 1, 1)
            )
            survivors = [type(p) for p in uow.persons.find(kind=Survivor)]
            serving = uow.persons.count(kind=ServingMember, within=DivisionCode("450312"))

        assert [resident_id(1), resident_id(2)] == on_2010
        assert (2, 1, [Survivor], 1) == (on_2021, martyrs, survivors, serving)

    def test_a_category_without_a_day_is_refused(self, store: Store) -> None:
        with store.unit_of_work(actor="reader") as uow, pytest.raises(ValueError, match="on"):
            uow.persons.count(category=EntitlementCategory.VETERAN)

    def test_cases_are_found_by_status_and_incident_dates(self, store: Store) -> None:
        _add(
            store,
            assistance_case("C-1", incident_on=D(2024, 1, 31)),
            assistance_case("C-2", incident_on=D(2024, 2, 1), paid=True),
            assistance_case("C-3", "450323", incident_on=D(2024, 2, 29)),
            assistance_case("C-4", incident_on=D(2024, 3, 1)),
        )
        february = (D(2024, 2, 1), D(2024, 2, 29))

        with store.unit_of_work(actor="reader") as uow:
            in_february = [c.case_id for c in uow.cases.find(incident_between=february)]
            applied = uow.cases.count(status=CaseStatus.APPLIED)
            paid = [c.case_id for c in uow.cases.find(status=CaseStatus.PAID)]
            county = uow.cases.count(within=DivisionCode("450312"), incident_between=february)

        assert (["C-2", "C-3"], 3, ["C-2"], 1) == (in_february, applied, paid, county)

    def test_activities_are_found_by_kind_dates_and_period(self, store: Store) -> None:
        report = ActivityKind.STATISTICAL_REPORT
        _add(
            store,
            activity("A-1", held_on=D(2025, 3, 1)),
            activity("A-2", held_on=D(2025, 3, 31), kind=report, for_period="2025-02"),
            activity("A-3", "450323100", held_on=D(2025, 4, 1), kind=report, for_period="2025-03"),
        )

        with store.unit_of_work(actor="reader") as uow:
            march = [
                a.activity_id
                for a in uow.activities.find(held_between=(D(2025, 3, 1), D(2025, 3, 31)))
            ]
            reports = uow.activities.count(kind=report)
            for_march = [a.activity_id for a in uow.activities.find(for_period="2025-03")]
            county = uow.activities.count(within=DivisionCode("450312"), kind=report)

        assert (["A-1", "A-2"], 2, ["A-3"], 1) == (march, reports, for_march, county)

    def test_stations_are_found_by_kind_and_status(self, store: Store) -> None:
        _add(
            store,
            station("S-1", "450312101"),
            station("S-2", "450312101201", status=StationStatus.PLANNED),
            station("S-3", "450312"),
            station("S-4", "450323100", status=StationStatus.CLOSED),
        )

        with store.unit_of_work(actor="reader") as uow:
            stations = uow.stations.count(kind=StationKind.STATION)
            operating = [s.station_id for s in uow.stations.find(status=StationStatus.OPERATING)]
            centres = uow.stations.count(within=DivisionCode("4503"), kind=StationKind.CENTRE)

        assert (3, ["S-1", "S-3"], 1) == (stations, operating, centres)

    def test_households_are_found_by_plaque_on_a_day(self, store: Store) -> None:
        _add(
            store,
            plaque_household("H-1", hung_on=D(2019, 8, 1)),
            plaque_household("H-2", hung_on=None),
            plaque_household("H-3", "450323100201", hung_on=D(2021, 1, 1)),
        )

        with store.unit_of_work(actor="reader") as uow:
            in_2020 = [
                h.household.household_id for h in uow.households.find(plaque_on=D(2020, 1, 1))
            ]
            in_2022 = uow.households.count(plaque_on=D(2022, 1, 1))
            county = uow.households.count(within=DivisionCode("450312"))

        assert (["H-1"], 2, 2) == (in_2020, in_2022, county)

    def test_report_submissions_are_found_by_kind_period_and_day(self, store: Store) -> None:
        _add(
            store,
            report_submission("450312", "assistance", "2024Q3", submitted_on=D(2024, 10, 9)),
            report_submission("450312101", "assistance", "2024Q3", submitted_on=D(2024, 10, 8)),
            report_submission("450312", "plaques", "2024-09-30", submitted_on=D(2024, 10, 2)),
            report_submission("450323", "assistance", "2024Q3", submitted_on=D(2024, 10, 12)),
            report_submission("450312", "assistance", "2024Q2", submitted_on=D(2024, 7, 9)),
        )
        october = (D(2024, 10, 1), D(2024, 10, 10))

        with store.unit_of_work(actor="reader") as uow:
            q3 = [(s.unit.short, s.period) for s in uow.reports.find(period="2024Q3")]
            assistance = uow.reports.count(kind="assistance")
            county = uow.reports.count(within=DivisionCode("450312"), kind="assistance")
            early = [s.kind for s in uow.reports.find(submitted_between=october)]
            found = uow.reports.get((DivisionCode("450312"), "plaques", "2024-09-30"))
            with pytest.raises(NotFound):
                uow.reports.get((DivisionCode("450312"), "plaques", "2024Q3"))

        assert [("450312", "2024Q3"), ("450312101", "2024Q3"), ("450323", "2024Q3")] == q3
        assert (4, 3) == (assistance, county)
        assert ["assistance", "plaques", "assistance"] == early
        assert D(2024, 10, 2) == found.submitted_on

    def test_submitted_figures_keep_their_type_and_exact_decimals(self, store: Store) -> None:
        figures = {
            "cases": 12,
            "persons": 10**30,  # larger than any SQL integer
            "amount": Decimal("48000.00"),
            "area": Decimal("1E+3"),
            "rate": Decimal("0.1250"),
        }
        submitted = attrs.evolve(report_submission(), figures=figures)
        _add(store, submitted)

        with store.unit_of_work(actor="reader") as uow:
            found = uow.reports.get((submitted.unit, submitted.kind, submitted.period))

        shown = {key: (type(figure).__name__, str(figure)) for key, figure in found.figures.items()}
        assert {
            "amount": ("Decimal", "48000.00"),
            "area": ("Decimal", "1E+3"),
            "cases": ("int", "12"),
            "persons": ("int", str(10**30)),
            "rate": ("Decimal", "0.1250"),
        } == shown

    def test_person_summaries_are_the_rows_find_would_stream(self, store: Store) -> None:
        _add(
            store,
            veteran(3, "450312101201", name="O'Brien"),
            veteran(1, "450312102201"),
            survivor(2, "450323100201"),
        )
        with store.unit_of_work(actor="clerk") as uow:
            uow.persons.update(
                _moved(veteran(1, "450312102201"), DivisionCode("450312101202")), version=1
            )
            uow.commit()

        with store.unit_of_work(actor="reader") as uow:
            summaries = uow.persons.summaries(within=DivisionCode("450312"))
            assert not isinstance(summaries, list | tuple)  # streamed
            found = list(summaries)
            survivors = list(uow.persons.summaries(kind=Survivor))

        assert [
            PersonSummary(
                resident_id(1).unmasked, "veteran", "韦建国", "450312101202", D(1970, 1, 1), None, 2
            ),
            PersonSummary(
                resident_id(3).unmasked,
                "veteran",
                "O'Brien",
                "450312101201",
                D(1970, 1, 1),
                None,
                1,
            ),
        ] == found
        assert [resident_id(2, born="19400101").unmasked] == [s.resident_id for s in survivors]
        assert resident_id(1).unmasked not in repr(found[0])

    # --- scoping -----------------------------------------------------------------------------

    def test_a_scoped_store_reads_only_its_subtree(self, store: Store) -> None:
        inside, outside = veteran(1, "450312101201"), veteran(2, "450323100201")
        _add(store, inside, outside)
        county = store.scoped(DivisionCode("450312"))

        with county.unit_of_work(actor="township") as uow:
            assert [inside] == list(uow.persons.find())
            assert 1 == uow.persons.count()
            assert 0 == uow.persons.count(within=DivisionCode("450323"))
            assert inside == uow.persons.get(inside.resident_id)
            with pytest.raises(NotFound):
                uow.persons.get(outside.resident_id)
            with pytest.raises(OutOfScope):
                uow.persons.update(outside, version=1)
            with pytest.raises(NotFound):  # moving it in needs to see it first
                uow.persons.update(_moved(outside, DivisionCode("450312101201")), version=1)
            with pytest.raises(NotFound):
                uow.persons.remove(outside.resident_id, version=1)
        assert DivisionCode("450312") == county.scope

    def test_a_scoped_store_refuses_writes_outside_its_subtree(self, store: Store) -> None:
        inside = veteran(1, "450312101201")
        _add(store, inside)
        county = store.scoped(DivisionCode("450312"))

        with county.unit_of_work(actor="township") as uow:
            with pytest.raises(OutOfScope):
                uow.persons.add(veteran(2, "450323100201"))
            with pytest.raises(OutOfScope):
                uow.persons.update(_moved(inside, DivisionCode("450323100201")), version=1)
            uow.commit()
        with pytest.raises(OutOfScope):
            county.scoped(DivisionCode("450323"))
        with store.unit_of_work(actor="reader") as uow:
            assert 1 == uow.persons.count()
            assert inside == uow.persons.get(inside.resident_id)
        with pytest.raises(PermissionError):
            county.bulk_add([station("S-9", "450323100")], actor="import")

    def test_a_scope_learns_of_a_key_held_outside_it_only_that_it_is_taken(
        self, store: Store, sample: Entity
    ) -> None:
        _add(store, sample)  # in 临桂区 (450312)
        lingchuan = store.scoped(DivisionCode("450323"))  # 灵川县, a neighbour
        ours = _moved(sample, DivisionCode("450323100201"))  # the same key, in 灵川县
        key = _key(sample)

        with lingchuan.unit_of_work(actor="lingchuan") as uow:
            repository = _repository(uow, sample)
            if isinstance(sample, ReportSubmission):
                # A submission's key names its unit: its holder is never in another county.
                with pytest.raises(OutOfScope):
                    repository.add(ours)
                return
            assert not repository.exists(key)
            with pytest.raises(NotFound):
                repository.read(key)
            with pytest.raises(NotFound):
                repository.update(ours, version=1)
            with pytest.raises(NotFound):
                repository.remove(key, version=1)
            with pytest.raises(HeldOutsideScope) as raised:
                repository.add(ours)
            uow.commit()
        with pytest.raises(HeldOutsideScope) as bulk:
            lingchuan.bulk_add([station("S-9", "450323100"), ours], actor="import")

        for error in (raised.value, bulk.value):
            again = pickle.loads(pickle.dumps(error))
            assert isinstance(error, AlreadyExists)  # code handling a taken key still works
            assert _key_text(sample) == error.key  # the caller's own key, nothing more
            assert tells_only_the_key(error, _division(sample))
            assert (HeldOutsideScope, str(error)) == (type(again), str(again))
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(key)
            assert (sample, 1) == (found.value, found.version)
            assert not uow.stations.exists("S-9")  # the refused batch wrote nothing
        assert 1 == store.audit.count()

    def test_a_key_held_inside_the_scope_is_plainly_already_stored(
        self, store: Store, sample: Entity
    ) -> None:
        _add(store, sample)

        county = store.scoped(DivisionCode("450312"))
        with county.unit_of_work(actor="county") as uow, pytest.raises(AlreadyExists) as raised:
            _repository(uow, sample).add(sample)
        with pytest.raises(AlreadyExists) as bulk:
            county.bulk_add([sample], actor="import")

        assert [AlreadyExists] * 2 == [type(raised.value), type(bulk.value)]

    def test_a_narrower_scope_within_a_scope_is_allowed(self, store: Store) -> None:
        _add(store, station("S-1", "450312101"), station("S-2", "450312102"))

        township = store.scoped(DivisionCode("450312")).scoped(DivisionCode("450312101"))

        with township.unit_of_work(actor="township") as uow:
            assert ["S-1"] == [s.station_id for s in uow.stations.find()]

    # --- audit log ---------------------------------------------------------------------------

    def test_every_committed_change_is_audited_with_before_and_after(
        self, store: Store, clock: TickingClock
    ) -> None:
        record = station("S-1", name="临桂区四塘镇退役军人服务站")
        changed = attrs.evolve(record, staff=4)
        with store.unit_of_work(actor="clerk-1") as uow:
            uow.stations.add(record)
            uow.commit()
        with store.unit_of_work(actor="clerk-2") as uow:
            uow.stations.update(changed, version=1)
            uow.stations.remove("S-1", version=2)
            uow.commit()
        with store.unit_of_work(actor="clerk-3") as uow:
            uow.stations.add(station("S-2"))  # rolled back: not audited

        entries = list(store.audit.entries())

        assert [1, 2, 3] == [e.sequence for e in entries]
        assert [AuditAction.ADDED, AuditAction.UPDATED, AuditAction.REMOVED] == [
            e.action for e in entries
        ]
        assert ["clerk-1", "clerk-2", "clerk-2"] == [e.actor for e in entries]
        assert [1, 2, 2] == [e.version for e in entries]
        assert [dt.datetime(2025, 1, 6, 9, 0, s, tzinfo=dt.UTC) for s in (0, 1, 2)] == [
            e.at for e in entries
        ]
        assert (None, record) == (entries[0].before_value(), entries[0].after_value())
        assert (record, changed) == (entries[1].before_value(), entries[1].after_value())
        assert (changed, None) == (entries[2].before_value(), entries[2].after_value())
        assert {"station"} == {e.entity for e in entries}
        assert {"S-1"} == {e.key for e in entries}

    def test_an_addition_keeps_its_after_state_whatever_happens_later(self, store: Store) -> None:
        first, second, third = veteran(1), veteran(2), report_submission()
        store.bulk_add([first, second], actor="import")
        _add(store, third, actor="clerk")
        with store.unit_of_work(actor="clerk") as uow:
            uow.persons.update(_moved(first, DivisionCode("450312101202")), version=1)
            uow.persons.remove(second.resident_id, version=1)
            uow.reports.update(_moved(third, DivisionCode("450312101202")), version=1)
            uow.commit()
        with store.unit_of_work(actor="clerk") as uow:
            uow.persons.add(second)  # the same key again
            uow.commit()

        added = list(store.audit.entries(since=None))
        additions = [e for e in added if e.action is AuditAction.ADDED]

        assert [first, second, third, second] == [e.after_value() for e in additions]
        assert [None] * 4 == [e.before_value() for e in additions]
        assert [first] == [
            e.after_value()
            for e in store.scoped(DivisionCode("450312101201")).audit.entries(entity="person")
            if e.action is AuditAction.ADDED and e.key == first.resident_id.unmasked
        ]

    def test_the_audit_log_is_queried_by_entity_actor_key_and_time(self, store: Store) -> None:
        _add(store, station("S-1"), actor="clerk-1")
        _add(store, veteran(1), actor="clerk-2")
        _add(store, station("S-2"), activity("A-1"), actor="clerk-2")
        t = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
        second = dt.timedelta(seconds=1)

        audit = store.audit
        assert 2 == audit.count(entity="station")
        assert 3 == audit.count(actor="clerk-2")
        assert ["S-2"] == [e.key for e in audit.entries(entity="station", actor="clerk-2")]
        assert [resident_id(1).unmasked] == [
            e.key for e in audit.entries(key=resident_id(1).unmasked)
        ]
        assert [2, 3] == [e.sequence for e in audit.entries(since=t + second, until=t + 2 * second)]
        assert 0 == audit.count(since=t + 10 * second)

    def test_a_scoped_audit_log_shows_its_subtree(self, store: Store) -> None:
        _add(store, station("S-1", "450312101"), station("S-2", "450323100"))

        assert ["S-1"] == [e.key for e in store.scoped(DivisionCode("450312")).audit.entries()]

    def test_an_audit_entry_masks_personal_data_when_shown(self, store: Store) -> None:
        _add(store, veteran(1, name="韦建国"))

        entry = next(store.audit.entries(entity="person"))

        assert resident_id(1).unmasked == entry.key
        assert resident_id(1).unmasked in (entry.after or "")
        for shown in (repr(entry), str(entry)):
            assert resident_id(1).unmasked not in shown
            assert "韦建国" not in shown
            assert resident_id(1).masked in shown

    def test_the_audit_log_offers_no_way_to_change_it(self, store: Store) -> None:
        public = {name for name in dir(store.audit) if not name.startswith("_")}

        assert {"count", "entries"} == public

    # --- bulk import -------------------------------------------------------------------------

    def test_bulk_add_commits_batch_by_batch_and_a_failing_batch_not_at_all(
        self, store: Store
    ) -> None:
        records: list[Entity] = [station(f"S-{n:02d}") for n in range(7)]
        records.append(station("S-03"))  # the 8th, in the third batch: a duplicate key

        with pytest.raises(AlreadyExists):
            store.bulk_add(records, actor="import", batch_size=3)

        with store.unit_of_work(actor="reader") as uow:
            assert [f"S-{n:02d}" for n in range(6)] == [s.station_id for s in uow.stations.find()]
        assert 6 == store.audit.count(actor="import")

    def test_bulk_add_takes_mixed_records_and_returns_how_many(self, store: Store) -> None:
        records = _samples()

        added = store.bulk_add(iter(records), actor="import", batch_size=2)

        with store.unit_of_work(actor="reader") as uow:
            assert records == [_repository(uow, r).get(_key(r)) for r in records]
        assert len(records) == added

    # --- properties --------------------------------------------------------------------------

    def test_odd_text_is_stored_and_found_verbatim(self) -> None:
        @given(
            station_id=odd_text(),
            name=odd_text(),
            topic=odd_text(),
        )
        @_per_example_settings()
        def check(station_id: str, name: str, topic: str) -> None:
            stored = station(station_id, name=name)
            held = attrs.evolve(activity(station_id), topic=topic)
            for store in self._fresh():
                _add(store, stored, held)
                with store.unit_of_work(actor=name) as uow:
                    assert stored == uow.stations.get(stored.station_id)
                    assert [stored] == list(uow.stations.find(within=DivisionCode("450312101")))
                    assert held == uow.activities.get(held.activity_id)
                    uow.stations.update(attrs.evolve(stored, staff=3), version=1)
                    uow.commit()
                assert 1 == store.audit.count(actor=name)

        check()

    def test_a_scoped_store_never_returns_or_writes_outside_its_subtree(self) -> None:
        @given(
            records=st.lists(
                st.one_of(
                    vas.veterans(
                        persons=vas.persons(hukou_divisions=st.sampled_from(UNITS), alive=True)
                    ),
                    vas.activities(units=st.sampled_from(UNITS)),
                ),
                max_size=8,
                unique_by=lambda r: str(_key(r)),
            ),
            scope=st.sampled_from(SCOPES),
            within=st.sampled_from(SCOPES),
            intruder=vas.activities(units=st.sampled_from(UNITS)),
        )
        @_per_example_settings()
        def check(
            records: list[Entity],
            scope: DivisionCode,
            within: DivisionCode,
            intruder: Activity,
        ) -> None:
            intruder = attrs.evolve(intruder, activity_id="intruder")
            ours = [unit for unit in UNITS if scope.contains(unit)]
            for store in self._fresh():
                store.bulk_add(records, actor="import")
                view = store.scoped(scope)
                with view.unit_of_work(actor="township") as uow:
                    seen = [*uow.persons.find(within=within), *uow.activities.find(within=within)]
                    for record in records:
                        visible = _repository(uow, record).exists(_key(record))
                        assert scope.contains(_division(record)) == visible
                        if not visible and ours:  # its key, brought into the scope
                            with pytest.raises(HeldOutsideScope) as raised:
                                _repository(uow, record).add(_moved(record, ours[0]))
                            assert tells_only_the_key(raised.value, _division(record))
                    if scope.contains(intruder.unit):
                        uow.activities.add(intruder)
                    else:
                        with pytest.raises(OutOfScope):
                            uow.activities.add(intruder)
                    uow.commit()
                assert all(
                    scope.contains(_division(r)) and within.contains(_division(r)) for r in seen
                )
                expected = [
                    r
                    for r in records
                    if scope.contains(_division(r)) and within.contains(_division(r))
                ]
                assert len(expected) == len(seen)
                with store.unit_of_work(actor="reader") as uow:
                    stored = uow.activities.exists("intruder")
                assert scope.contains(intruder.unit) == stored
                assert all(scope.contains(e.division) for e in view.audit.entries())

        with warnings.catch_warnings():
            # A failing example of up to eight records with long generated text can take
            # more than 30 kB to show; hypothesis then warns that the repr is large, and
            # under ``-W error`` that warning would replace the report of the failure.
            # (A local example database can replay such an example; CI starts empty.)
            warnings.filterwarnings(
                "ignore", message="Generating overly large repr", category=HypothesisWarning
            )
            check()
