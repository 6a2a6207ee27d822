"""The casework record kinds in MemoryStore and SqliteStore (PostgresStore: test_postgres_store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.repositories.casework_contract import CaseworkContract
from veteran_affairs.repositories import MemoryStore, SqliteStore


class TestMemoryCasework(CaseworkContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> MemoryStore:
        return MemoryStore(clock=clock)


class TestSqliteCasework(CaseworkContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> SqliteStore:
        return SqliteStore(directory / "store.db", clock=clock)
