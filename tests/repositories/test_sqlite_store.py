"""The store contract, run against :class:`SqliteStore` on a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from veteran_affairs.repositories import SqliteStore
from veteran_affairs.testing.store_contract import StoreContract


class TestSqliteStore(StoreContract):
    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> SqliteStore:
        return SqliteStore(directory / "store.db", clock=clock)
