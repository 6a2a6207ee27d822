"""The store contract, run against :class:`MemoryStore`, and what its commit checks."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import (
    AlreadyExists,
    ConcurrencyError,
    HeldOutsideScope,
    MemoryStore,
)
from veteran_affairs.testing.store_contract import StoreContract, TickingClock, station, veteran


class TestMemoryStore(StoreContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> MemoryStore:
        return MemoryStore(clock=clock)


def test_a_commit_after_a_concurrent_commit_writes_nothing_of_the_unit() -> None:
    store = MemoryStore(clock=TickingClock())
    store.bulk_add([station("S-1")], actor="import")
    with store.unit_of_work(actor="first") as first, store.unit_of_work(actor="second") as second:
        second.stations.add(station("S-2"))
        second.stations.update(attrs.evolve(station("S-1"), staff=9), version=1)
        first.stations.update(attrs.evolve(station("S-1"), staff=5), version=1)
        first.commit()
        with pytest.raises(ConcurrencyError):
            second.commit()

    with store.unit_of_work(actor="reader") as uow:
        assert ["S-1"] == [s.station_id for s in uow.stations.find()]
        assert 5 == uow.stations.get("S-1").staff


def test_a_key_added_by_another_unit_meanwhile_is_refused_at_commit() -> None:
    store = MemoryStore(clock=TickingClock())
    with store.unit_of_work(actor="first") as first, store.unit_of_work(actor="second") as second:
        second.stations.add(attrs.evolve(station("S-1"), staff=9))  # the key is free here
        first.stations.add(attrs.evolve(station("S-1"), staff=5))
        first.commit()
        with pytest.raises(AlreadyExists) as raised:
            second.commit()

    with store.unit_of_work(actor="reader") as uow:
        assert 5 == uow.stations.get("S-1").staff
    assert (AlreadyExists, 1) == (type(raised.value), store.audit.count())


def test_a_key_taken_in_another_county_meanwhile_is_refused_naming_no_county() -> None:
    store = MemoryStore(clock=TickingClock())
    lingchuan = store.scoped(DivisionCode("450323"))
    with (
        lingchuan.unit_of_work(actor="lingchuan") as scoped,
        store.unit_of_work(actor="province") as national,
    ):
        scoped.persons.add(veteran(1, "450323100201"))
        national.persons.add(veteran(1, "450312101201"))
        national.commit()
        with pytest.raises(HeldOutsideScope) as raised:
            scoped.commit()

    assert "450312" not in str(raised.value).replace(veteran(1).resident_id.masked, "")
    assert 1 == store.audit.count()


def test_a_record_moved_out_of_the_scope_meanwhile_is_stale_without_its_version() -> None:
    store = MemoryStore(clock=TickingClock())
    store.bulk_add([veteran(1, "450312101201")], actor="import")
    county = store.scoped(DivisionCode("450312"))
    with county.unit_of_work(actor="county") as scoped, store.unit_of_work(actor="city") as city:
        scoped.persons.update(veteran(1, "450312101202"), version=1)
        city.persons.update(veteran(1, "450323100201"), version=1)  # to 灵川县
        city.commit()
        with pytest.raises(ConcurrencyError) as raised:
            scoped.commit()

    assert (1, None) == (raised.value.expected, raised.value.actual)  # "removed" from its view
    with store.unit_of_work(actor="reader") as uow:
        assert veteran(1, "450323100201") == uow.persons.get(veteran(1).resident_id)


def test_eight_threads_of_three_thousand_cycles_lose_no_committed_update() -> None:
    """The report's own numbers: 8 threads × 3,000 read-update-commit cycles on one record.

    Before the fix 22,427 commits succeeded and the version ended at 13,170.
    """
    store = MemoryStore()
    store.bulk_add([station("S-1")], actor="import")
    committed = [0] * 8
    start = threading.Barrier(8)

    def clerk(n: int) -> None:
        start.wait()
        for _ in range(3_000):
            with store.unit_of_work(actor=f"clerk-{n}") as uow:
                found = uow.stations.read("S-1")
                changed = attrs.evolve(found.value, staff=found.value.staff + 1)
                try:
                    uow.stations.update(changed, version=found.version)
                    uow.commit()
                except ConcurrencyError:
                    continue
            committed[n] += 1

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with store.unit_of_work(actor="reader") as uow:
        found = uow.stations.read("S-1")
    assert (1 + sum(committed), 2 + sum(committed)) == (found.version, found.value.staff)
    assert 1 + sum(committed) == store.audit.count()
