"""The store contract, run against :class:`MemoryStore`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from veteran_affairs.repositories import ConcurrencyError, MemoryStore
from veteran_affairs.testing.store_contract import StoreContract, TickingClock, station


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
