"""The store contract for records of registered kinds (记录类型), run against every store.

Subclass :class:`RecordContract` in a test module, name the subclass ``Test…`` and say how
to make a new, empty store, exactly as for
:class:`~veteran_affairs.testing.store_contract.StoreContract`; pytest then runs every check
below against it: add, get, read, update and remove with versions, units of work, queries,
the scope policy, the audit log, bulk import, two hypothesis properties, and the checks
shared with the store contract
(:class:`~veteran_affairs.testing.store_contract.ContractBase`): threads, and the hypothesis
state machine that drives the store and a plain dictionary side by side.

Two small kinds, defined here for the tests only:

* :class:`Petition` (``"test-petition"``) — keyed by its attribute ``petition_id``, in the
  unit ``division``; it names the petitioner by identity number, which ``repr`` masks;
* :class:`Contact` (``"test-contact"``) — keyed by a function, the person's identity number
  (a *personal* key: messages and the audit log's ``repr`` mask it), in the unit ``unit``.
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any, overload

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs._validate import in_range, instance_of, optional, text, tuple_of
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.repositories import (
    AlreadyExists,
    AuditAction,
    ConcurrencyError,
    HeldOutsideScope,
    NotFound,
    OutOfScope,
    RecordKind,
    Storable,
    Store,
    UnknownRecordKind,
    register_record_kind,
)
from veteran_affairs.serialization import make_converter
from veteran_affairs.testing.store_contract import (
    SCOPES,
    UNITS,
    ContendedKind,
    ContractBase,
    StoredKinds,
    odd_text,
    resident_id,
    station,
    tells_only_the_key,
)

__all__ = [
    "CONTACT",
    "PETITION",
    "Contact",
    "Petition",
    "RecordContract",
    "contact",
    "petition",
]

D = dt.date


# --- the test kinds ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Petition:
    """A petition (信访件), for tests: keyed by ``petition_id``, in the unit ``division``."""

    petition_id: str = attrs.field(validator=text())
    division: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    petitioner: ResidentId = attrs.field(validator=instance_of(ResidentId))
    received_on: dt.date = attrs.field(validator=instance_of(dt.date))
    subject: str = attrs.field(validator=text(max_length=500))
    replies: int = attrs.field(default=0, validator=in_range(0))
    notes: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    amount: Decimal | None = attrs.field(default=None, validator=optional(instance_of(Decimal)))

    def __repr__(self) -> str:  # the petitioner masked, and no date beside the masked number
        return (
            f"Petition(petition_id={self.petition_id!r}, division={self.division}, "
            f"petitioner={self.petitioner.masked!r}, replies={self.replies})"
        )


@attrs.frozen(kw_only=True, repr=False)
class Contact:
    """A person's contact record (包联), for tests: keyed by the person's identity number."""

    person: ResidentId = attrs.field(validator=instance_of(ResidentId))
    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    phone: str | None = attrs.field(default=None, validator=optional(text(personal=True)))
    talks: int = attrs.field(default=0, validator=in_range(0))

    def __repr__(self) -> str:
        return f"Contact(person={self.person.masked!r}, unit={self.unit}, talks={self.talks})"


def _contact_key(value: Contact) -> str:
    return value.person.unmasked


PETITION = register_record_kind(
    RecordKind("test-petition", Petition, key="petition_id", division="division")
)
CONTACT = register_record_kind(
    RecordKind("test-contact", Contact, key=_contact_key, division="unit", personal_key=True)
)


@attrs.frozen(kw_only=True)
class Unregistered:
    """An attrs class no kind is registered for."""

    thing_id: str
    unit: DivisionCode


def petition(
    petition_id: str,
    division: str = "450312101201",
    *,
    replies: int = 0,
    subject: str = "要求落实优待政策",
) -> Petition:
    """A petition received on 2025-03-05 from the veteran numbered 1."""
    return Petition(
        petition_id=petition_id,
        division=DivisionCode(division),
        petitioner=resident_id(1),
        received_on=D(2025, 3, 5),
        subject=subject,
        replies=replies,
        notes=("来访", "已转办"),
        amount=Decimal("1200.50"),
    )


def contact(number: int, unit: str = "450312101201", *, talks: int = 0) -> Contact:
    """The contact record of the person with identity number ``resident_id(number)``."""
    return Contact(
        person=resident_id(number), unit=DivisionCode(unit), phone="13812345678", talks=talks
    )


def _key(value: Petition | Contact) -> str:
    return value.petition_id if isinstance(value, Petition) else value.person.unmasked


def _division(value: Petition | Contact) -> DivisionCode:
    return value.division if isinstance(value, Petition) else value.unit


@overload
def _moved(value: Petition, division: DivisionCode) -> Petition: ...
@overload
def _moved(value: Contact, division: DivisionCode) -> Contact: ...
@overload
def _moved(value: Petition | Contact, division: DivisionCode) -> Petition | Contact: ...
def _moved(value: Petition | Contact, division: DivisionCode) -> Petition | Contact:
    """``value`` moved to ``division``, one more reply or talk (so a move always changes it)."""
    if isinstance(value, Petition):
        return attrs.evolve(value, division=division, replies=value.replies + 1)
    return attrs.evolve(value, unit=division, talks=value.talks + 1)


def _repository(uow: Any, value: Petition | Contact) -> Any:
    return uow.records(type(value))


def _add(store: Store, *values: Petition | Contact | Any, actor: str = "tester") -> None:
    with store.unit_of_work(actor=actor) as uow:
        for value in values:
            if isinstance(value, Petition | Contact):
                uow.records(type(value)).add(value)
            else:
                uow.stations.add(value)
        uow.commit()


# --- strategies -------------------------------------------------------------------------------

_unit_codes = st.sampled_from(UNITS)


def _petitions(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Petition]:
    return st.builds(
        Petition,
        petition_id=keys,
        division=_unit_codes,
        petitioner=st.integers(0, 999).map(resident_id),
        received_on=st.dates(D(2019, 1, 1), D(2025, 12, 31)),
        subject=odd_text(),
        replies=st.integers(0, 9),
        notes=st.lists(odd_text(), max_size=2).map(tuple),
        amount=st.none()
        | st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2, allow_nan=False),
    )


def _contacts() -> st.SearchStrategy[Contact]:
    return st.builds(
        Contact,
        person=st.integers(0, 5).map(resident_id),
        unit=_unit_codes,
        phone=st.none() | st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        talks=st.integers(0, 9),
    )


_records: st.SearchStrategy[Petition | Contact] = st.one_of(
    _petitions(st.sampled_from([f"XF-{n}" for n in range(6)])), _contacts()
)


def _per_example_settings() -> settings:
    """The loaded profile's settings with fewer examples: each example opens a new store."""
    return settings(
        max_examples=max(10, settings().max_examples // 8),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def _repository_kind(value: Petition | Contact) -> str:
    return PETITION.name if isinstance(value, Petition) else CONTACT.name


_TEST_KINDS = StoredKinds(
    records=_records,
    repositories={
        PETITION.name: lambda uow: uow.records(Petition),
        CONTACT.name: lambda uow: uow.records(Contact),
    },
    slot=lambda value: (_repository_kind(value), _key(value)),
    key=_key,
    division=_division,
    moved=_moved,
    filters={
        PETITION.name: lambda p: p.replies % 2 == 0,
        CONTACT.name: lambda c: c.talks > 3,
    },
)


# --- the contract -----------------------------------------------------------------------------


class RecordContract(ContractBase):
    """Every check a store must pass for records. Subclass, name it ``Test…``, define
    :meth:`make_store`.

    Besides the checks below, it runs those of
    :class:`~veteran_affairs.testing.store_contract.ContractBase` on the two test kinds:
    threads contending for a petition, and the dictionary machine over petitions and contacts.
    """

    cycles = 50
    stored = _TEST_KINDS
    contended = ContendedKind(
        make=petition, count="replies", repository=lambda uow: uow.records(Petition)
    )

    @pytest.fixture(params=["petition", "contact"])
    def sample(self, request: pytest.FixtureRequest) -> Petition | Contact:
        return petition("XF-2025-001") if request.param == "petition" else contact(7)

    # --- add, get, update, remove --------------------------------------------------------------

    def test_an_added_record_reads_back_equal_at_version_1(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)

        with store.unit_of_work(actor="reader") as uow:
            repository = _repository(uow, sample)
            found = repository.read(_key(sample))
            got = repository.get(_key(sample))
            there = repository.exists(_key(sample))

        assert (sample, 1, sample, True) == (found.value, found.version, got, there)

    def test_a_missing_record_is_not_found(self, store: Store, sample: Petition | Contact) -> None:
        with store.unit_of_work(actor="reader") as uow:
            repository = _repository(uow, sample)
            with pytest.raises(NotFound) as raised:
                repository.get(_key(sample))
            assert not repository.exists(_key(sample))

        assert (_repository_kind(sample), _key(sample)) == (raised.value.entity, raised.value.key)

    def test_adding_a_key_twice_is_refused(self, store: Store, sample: Petition | Contact) -> None:
        _add(store, sample)

        with store.unit_of_work(actor="clerk") as uow, pytest.raises(AlreadyExists) as raised:
            _repository(uow, sample).add(_moved(sample, DivisionCode("450312101202")))

        assert AlreadyExists is type(raised.value)  # an unscoped store sees the holder

    def test_an_update_with_the_version_read_bumps_the_version(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)
        changed = _moved(sample, DivisionCode("450312101202"))

        with store.unit_of_work(actor="clerk") as uow:
            version = _repository(uow, sample).update(changed, version=1)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(_key(sample))

        assert (2, changed, 2) == (version, found.value, found.version)

    def test_a_stale_update_raises_and_changes_nothing(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)
        first = _moved(sample, DivisionCode("450312101202"))
        with store.unit_of_work(actor="first") as uow:
            _repository(uow, sample).update(first, version=1)
            uow.commit()

        with store.unit_of_work(actor="second") as uow:
            with pytest.raises(ConcurrencyError) as raised:
                _repository(uow, sample).update(sample, version=1)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(_key(sample))

        assert (1, 2) == (raised.value.expected, raised.value.actual)
        assert (first, 2) == (found.value, found.version)

    def test_updating_or_removing_a_missing_record_is_not_found(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            with pytest.raises(NotFound):
                _repository(uow, sample).update(sample, version=1)
            with pytest.raises(NotFound):
                _repository(uow, sample).remove(_key(sample), version=1)

    def test_a_removed_record_is_gone_and_a_stale_removal_raises(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)
        with store.unit_of_work(actor="clerk") as uow:
            _repository(uow, sample).update(sample, version=1)
            uow.commit()

        with store.unit_of_work(actor="clerk") as uow:
            with pytest.raises(ConcurrencyError):
                _repository(uow, sample).remove(_key(sample), version=1)
            _repository(uow, sample).remove(_key(sample), version=2)
            uow.commit()
        with store.unit_of_work(actor="reader") as uow:
            assert not _repository(uow, sample).exists(_key(sample))
            assert 0 == _repository(uow, sample).count()

    def test_the_second_of_two_units_that_read_the_same_version_is_refused(
        self, store: Store
    ) -> None:
        record = petition("XF-1")
        _add(store, record)

        with (
            store.unit_of_work(actor="first") as first,
            store.unit_of_work(actor="second") as second,
        ):
            read_first = first.records(Petition).read("XF-1")
            read_second = second.records(Petition).read("XF-1")
            first.records(Petition).update(
                attrs.evolve(record, replies=1), version=read_first.version
            )
            first.commit()
            with pytest.raises(ConcurrencyError):
                second.records(Petition).update(
                    attrs.evolve(record, replies=2), version=read_second.version
                )
        with store.unit_of_work(actor="reader") as uow:
            assert 1 == uow.records(Petition).get("XF-1").replies

    def test_the_same_key_in_two_kinds_and_a_built_in_aggregate_is_three_records(
        self, store: Store
    ) -> None:
        key = resident_id(7).unmasked
        shared = petition(key)
        _add(store, shared, contact(7), station(key))

        with store.unit_of_work(actor="reader") as uow:
            found = (
                uow.records(Petition).get(key),
                uow.records(Contact).get(key),
                uow.stations.get(key).station_id,
            )
            counts = (uow.records(Petition).count(), uow.records(Contact).count())

        assert (shared, contact(7), key) == found
        assert (1, 1) == counts

    # --- what a store refuses ------------------------------------------------------------------

    def test_an_unregistered_class_is_an_unknown_kind_named_in_the_error(
        self, store: Store
    ) -> None:
        thing = Unregistered(thing_id="T-1", unit=DivisionCode("450312"))

        with store.unit_of_work(actor="clerk") as uow, pytest.raises(UnknownRecordKind) as raised:
            uow.records(Unregistered)
        with pytest.raises(UnknownRecordKind) as bulk:
            store.bulk_add([thing], actor="import")

        assert ("Unregistered", "Unregistered") == (raised.value.kind, bulk.value.kind)
        assert "Unregistered" in str(raised.value)
        assert isinstance(raised.value, LookupError)
        assert 0 == store.audit.count()

    def test_a_value_of_another_kind_or_a_key_that_is_not_text_is_refused(
        self, store: Store
    ) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            with pytest.raises(InvalidValue, match="test-petition"):
                uow.records(Petition).add(contact(1))  # type: ignore[arg-type]
            with pytest.raises(InvalidValue, match="key"):
                uow.records(Petition).get(5)  # type: ignore[arg-type]
            with pytest.raises(InvalidValue, match="within"):
                uow.records(Petition).count(within="450312")  # type: ignore[arg-type]
            with pytest.raises(InvalidValue, match="key"):
                uow.records(Petition).add(attrs.evolve(petition("XF-1"), petition_id="a\x85b"))
            uow.commit()
        assert 0 == store.audit.count()

    # --- units of work -------------------------------------------------------------------------

    def test_nothing_is_written_without_commit_and_an_exception_rolls_back(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            _repository(uow, sample).add(sample)
            assert _repository(uow, sample).exists(_key(sample))  # the unit sees its change

        def fail_half_way() -> None:
            with store.unit_of_work(actor="clerk") as uow:
                _repository(uow, sample).add(sample)
                _ = 1 / 0

        with pytest.raises(ZeroDivisionError):
            fail_half_way()
        with store.unit_of_work(actor="reader") as uow:
            assert not _repository(uow, sample).exists(_key(sample))
        assert 0 == store.audit.count()

    def test_rollback_drops_the_changes_since_the_last_commit(self, store: Store) -> None:
        with store.unit_of_work(actor="clerk") as uow:
            petitions = uow.records(Petition)
            petitions.add(petition("XF-1"))
            uow.records(Contact).add(contact(1))
            uow.commit()
            petitions.add(petition("XF-2"))
            petitions.update(petition("XF-1", replies=3), version=1)
            uow.records(Contact).remove(resident_id(1).unmasked, version=1)
            uow.rollback()
            petitions.add(petition("XF-3"))
            uow.commit()

        with store.unit_of_work(actor="reader") as uow:
            found = [(p.petition_id, p.replies) for p in uow.records(Petition).find()]
            contacts = uow.records(Contact).count()
        assert ([("XF-1", 0), ("XF-3", 0)], 1) == (found, contacts)

    # --- queries -------------------------------------------------------------------------------

    def test_a_subtree_query_streams_in_key_order_and_counts_alike(self, store: Store) -> None:
        _add(
            store,
            petition("XF-3", "450312101201"),
            petition("XF-1", "450312102201"),
            petition("XF-2", "450323100201"),
            petition("XF-4", "450312000000"),
            petition("XF-5", "450300000000"),
            contact(1, "450312101201"),
        )
        county = DivisionCode("450312")

        with store.unit_of_work(actor="reader") as uow:
            petitions = uow.records(Petition)
            found = petitions.find(within=county)
            assert not isinstance(found, list | tuple)  # streamed
            keys = [p.petition_id for p in found]
            counted = (
                petitions.count(within=county),
                petitions.count(),
                petitions.count(within=DivisionCode("450312101201")),
            )

        assert ["XF-1", "XF-3", "XF-4"] == keys
        assert (3, 5, 1) == counted

    def test_where_filters_in_python_and_count_agrees(self, store: Store) -> None:
        _add(store, *(petition(f"XF-{n}", replies=n % 3) for n in range(7)))

        with store.unit_of_work(actor="reader") as uow:
            petitions = uow.records(Petition)
            answered = [p.petition_id for p in petitions.find(where=lambda p: p.replies > 0)]
            counted = petitions.count(where=lambda p: p.replies == 2)
            nothing = petitions.count(within=DivisionCode("450323"), where=lambda p: True)

        assert (["XF-1", "XF-2", "XF-4", "XF-5"], 2, 0) == (answered, counted, nothing)

    def test_odd_text_round_trips_and_the_key_order_is_code_point_order(self) -> None:
        @given(
            records=st.lists(_petitions(odd_text()), max_size=5, unique_by=lambda p: p.petition_id)
        )
        @_per_example_settings()
        def check(records: list[Petition]) -> None:
            converter = make_converter()
            for store in self._fresh():
                store.bulk_add(records, actor="import", batch_size=2)
                with store.unit_of_work(actor="reader") as uow:
                    found = list(uow.records(Petition).find())
                    read = [uow.records(Petition).get(p.petition_id) for p in records]
                assert sorted(records, key=lambda p: p.petition_id) == found
                assert records == read
                assert [converter.unstructure(p) for p in records] == [
                    converter.unstructure(p) for p in read
                ]

        check()

    # --- scoping -------------------------------------------------------------------------------

    def test_a_scoped_store_reads_and_writes_only_its_subtree(self, store: Store) -> None:
        inside, outside = petition("XF-1", "450312101201"), petition("XF-2", "450323100201")
        _add(store, inside, outside)
        county = store.scoped(DivisionCode("450312"))

        with county.unit_of_work(actor="county") as uow:
            petitions = uow.records(Petition)
            assert [inside] == list(petitions.find())
            assert (1, 0) == (petitions.count(), petitions.count(within=DivisionCode("450323")))
            assert inside == petitions.get("XF-1")
            assert not petitions.exists("XF-2")
            with pytest.raises(NotFound):
                petitions.get("XF-2")
            with pytest.raises(OutOfScope):
                petitions.update(outside, version=1)
            with pytest.raises(NotFound):  # moving it in needs to see it first
                petitions.update(_moved(outside, DivisionCode("450312101201")), version=1)
            with pytest.raises(NotFound):
                petitions.remove("XF-2", version=1)
            with pytest.raises(OutOfScope):
                petitions.add(petition("XF-3", "450323100201"))
            with pytest.raises(OutOfScope):
                petitions.update(_moved(inside, DivisionCode("450323100201")), version=1)
            uow.commit()
        with pytest.raises(PermissionError):
            county.bulk_add([petition("XF-9", "450323100201")], actor="import")
        with store.unit_of_work(actor="reader") as uow:
            assert [inside, outside] == list(uow.records(Petition).find())
        assert 2 == store.audit.count()

    def test_a_scope_learns_of_a_key_held_outside_it_only_that_it_is_taken(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)  # in 临桂区 (450312)
        lingchuan = store.scoped(DivisionCode("450323"))  # 灵川县, a neighbour
        ours = _moved(sample, DivisionCode("450323100201"))  # the same key, in 灵川县
        key = _key(sample)

        with lingchuan.unit_of_work(actor="lingchuan") as uow:
            repository = _repository(uow, sample)
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
            lingchuan.bulk_add([petition("XF-ours", "450323100201"), ours], actor="import")

        for error in (raised.value, bulk.value):
            again = pickle.loads(pickle.dumps(error))
            assert isinstance(error, AlreadyExists)
            assert (_repository_kind(sample), key) == (error.entity, error.key)
            assert tells_only_the_key(error, _division(sample))
            assert (HeldOutsideScope, str(error)) == (type(again), str(again))
        with store.unit_of_work(actor="reader") as uow:
            found = _repository(uow, sample).read(key)
            assert (sample, 1) == (found.value, found.version)
            assert not uow.records(Petition).exists("XF-ours")  # the refused batch wrote nothing
        assert 1 == store.audit.count()

    def test_a_key_held_inside_the_scope_is_plainly_already_stored(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        _add(store, sample)
        county = store.scoped(DivisionCode("450312"))

        with county.unit_of_work(actor="county") as uow, pytest.raises(AlreadyExists) as raised:
            _repository(uow, sample).add(sample)
        with pytest.raises(AlreadyExists) as bulk:
            county.bulk_add([sample], actor="import")

        assert [AlreadyExists] * 2 == [type(raised.value), type(bulk.value)]

    def test_a_scope_never_reads_or_writes_outside_its_subtree(self) -> None:
        @given(
            records=st.lists(_records, max_size=8, unique_by=lambda r: (type(r), _key(r))),
            scope=st.sampled_from(SCOPES),
            within=st.sampled_from(SCOPES),
        )
        @_per_example_settings()
        def check(
            records: list[Petition | Contact], scope: DivisionCode, within: DivisionCode
        ) -> None:
            ours = [unit for unit in UNITS if scope.contains(unit)]
            for store in self._fresh():
                store.bulk_add(records, actor="import")
                view = store.scoped(scope)
                with view.unit_of_work(actor="township") as uow:
                    seen: list[Petition | Contact] = [*uow.records(Petition).find(within=within)]
                    seen += [*uow.records(Contact).find(within=within)]
                    counted = uow.records(Petition).count(within=within)
                    counted += uow.records(Contact).count(within=within)
                    for record in records:
                        visible = _repository(uow, record).exists(_key(record))
                        assert scope.contains(_division(record)) == visible
                        if not visible and ours:
                            with pytest.raises(HeldOutsideScope) as raised:
                                _repository(uow, record).add(_moved(record, ours[0]))
                            assert tells_only_the_key(raised.value, _division(record))
                    uow.commit()
                expected = [
                    r
                    for r in records
                    if scope.contains(_division(r)) and within.contains(_division(r))
                ]
                assert (len(expected), len(expected)) == (len(seen), counted)
                assert all(r in expected for r in seen)
                assert all(scope.contains(e.division) for e in view.audit.entries())

        check()

    # --- audit log -----------------------------------------------------------------------------

    def test_every_committed_change_is_audited_with_before_and_after(
        self, store: Store, sample: Petition | Contact
    ) -> None:
        changed = _moved(sample, DivisionCode("450312102201"))
        with store.unit_of_work(actor="clerk-1") as uow:
            _repository(uow, sample).add(sample)
            uow.commit()
        with store.unit_of_work(actor="clerk-2") as uow:
            _repository(uow, sample).update(changed, version=1)
            _repository(uow, sample).remove(_key(sample), version=2)
            uow.commit()

        entries = list(store.audit.entries())

        assert [
            (1, AuditAction.ADDED, "clerk-1", 1, "450312101201"),
            (2, AuditAction.UPDATED, "clerk-2", 2, "450312102201"),
            (3, AuditAction.REMOVED, "clerk-2", 2, "450312102201"),
        ] == [(e.sequence, e.action, e.actor, e.version, e.division.value) for e in entries]
        assert [
            (None, sample),
            (sample, changed),
            (changed, None),
        ] == [(e.before_value(), e.after_value()) for e in entries]
        assert {(_repository_kind(sample), _key(sample))} == {(e.entity, e.key) for e in entries}
        assert 3 == store.audit.count(entity=_repository_kind(sample), key=_key(sample))

    def test_an_addition_keeps_its_after_state_whatever_happens_later(self, store: Store) -> None:
        first, second = petition("XF-1"), petition("XF-2")
        store.bulk_add([first, second, contact(1)], actor="import")
        with store.unit_of_work(actor="clerk") as uow:
            uow.records(Petition).update(petition("XF-1", replies=4), version=1)
            uow.records(Petition).remove("XF-2", version=1)
            uow.commit()
        with store.unit_of_work(actor="clerk") as uow:
            uow.records(Petition).add(second)  # the same key again
            uow.commit()

        additions = [e for e in store.audit.entries() if e.action is AuditAction.ADDED]

        assert [first, second, contact(1), second] == [e.after_value() for e in additions]
        assert [None] * 4 == [e.before_value() for e in additions]

    def test_a_scoped_audit_log_shows_its_subtree(self, store: Store) -> None:
        _add(store, petition("XF-1", "450312101201"), petition("XF-2", "450323100201"))

        assert ["XF-1"] == [e.key for e in store.scoped(DivisionCode("450312")).audit.entries()]

    def test_personal_data_is_masked_wherever_a_record_is_shown(self, store: Store) -> None:
        person = resident_id(7)
        _add(store, contact(7), petition("XF-1"))
        with store.unit_of_work(actor="clerk") as uow:
            found = uow.records(Contact).read(person.unmasked)
            with pytest.raises(ConcurrencyError) as stale:
                uow.records(Contact).update(contact(7, talks=1), version=2)
            with pytest.raises(AlreadyExists) as taken:
                uow.records(Contact).add(contact(7))
        with store.unit_of_work(actor="clerk") as uow, pytest.raises(NotFound) as missing:
            uow.records(Contact).get(resident_id(8).unmasked)
        entries = list(store.audit.entries())

        shown = [
            repr(found),
            str(stale.value),
            str(taken.value),
            str(missing.value),
            *(repr(e) for e in entries),
            *(str(e) for e in entries),
            repr(petition("XF-1")),
        ]
        assert [] == [
            text
            for text in shown
            if person.unmasked in text
            or resident_id(8).unmasked in text
            or resident_id(1).unmasked in text
            or "13812345678" in text
        ]
        assert person.masked in str(entries[0])
        assert person.unmasked == entries[0].key  # the log itself keeps the key
        assert person.unmasked in (entries[0].after or "")

    # --- bulk import ---------------------------------------------------------------------------

    def test_bulk_add_takes_records_among_other_values_and_returns_how_many(
        self, store: Store
    ) -> None:
        values: list[Storable] = [
            petition("XF-1"),
            station("S-1"),
            contact(1),
            petition("XF-2"),
            contact(2),
        ]

        added = store.bulk_add(iter(values), actor="import", batch_size=2)

        with store.unit_of_work(actor="reader") as uow:
            assert [petition("XF-1"), petition("XF-2")] == list(uow.records(Petition).find())
            assert [contact(1), contact(2)] == list(uow.records(Contact).find())
            assert station("S-1") == uow.stations.get("S-1")
        assert (5, 5) == (added, store.audit.count(actor="import"))
        assert ["test-petition", "station", "test-contact", "test-petition", "test-contact"] == [
            e.entity for e in store.audit.entries()
        ]

    def test_bulk_add_commits_batch_by_batch_and_a_failing_batch_not_at_all(
        self, store: Store
    ) -> None:
        values: list[Any] = [petition(f"XF-{n:02d}") for n in range(7)]
        values.append(petition("XF-03"))  # the 8th, in the third batch: a duplicate key

        with pytest.raises(AlreadyExists) as raised:
            store.bulk_add(values, actor="import", batch_size=3)
        with pytest.raises(AlreadyExists) as twice:
            store.bulk_add([contact(1), contact(1)], actor="import")

        with store.unit_of_work(actor="reader") as uow:
            keys = [p.petition_id for p in uow.records(Petition).find()]
            contacts = uow.records(Contact).count()
        assert ([f"XF-{n:02d}" for n in range(6)], 0) == (keys, contacts)
        assert (("test-petition", "XF-03"), "test-contact") == (
            (raised.value.entity, raised.value.key),
            twice.value.entity,
        )
        assert 6 == store.audit.count(actor="import")
