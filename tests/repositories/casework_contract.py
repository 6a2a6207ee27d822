"""The casework record kinds in a store: every kind the library registers, run against a store.

Subclass :class:`CaseworkContract` in a test module (``Test…``) with ``make_store``, as for
the store contract. Each kind of :data:`~veteran_affairs.repositories.records.BUILT_IN_RECORD_KINDS`
is drawn from its strategy in :mod:`veteran_affairs.testing.casework_strategies` (with the unit that
scopes it, where the model leaves it optional) and goes through add, read, update, find,
count, a scoped store and remove; the audit log masks a personal key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import Store
from veteran_affairs.repositories.records import BUILT_IN_RECORD_KINDS, RecordKind
from veteran_affairs.testing import casework_strategies as vcs
from veteran_affairs.testing.store_contract import fresh_store

_UNITS = ("450312101201", "450305001203", "450102001001", "451002100201")
_OUTSIDE = {
    "4503": DivisionCode("4501"),
    "4501": DivisionCode("4503"),
    "4510": DivisionCode("4503"),
}
_KINDS = {kind.name: kind for kind in BUILT_IN_RECORD_KINDS}
# Models whose scoping unit is optional: a stored one names it.
_UNIT_FIELD: dict[type, str] = {
    InsuranceTransfer: "destination",
    TrainingEnrolment: "unit",
    EmploymentRecord: "unit",
    DischargeRecord: "unit",
}


def _stored_form(kind: RecordKind[Any]) -> st.SearchStrategy[Any]:
    records = vcs.CASEWORK_STRATEGIES[kind.cls]
    field = _UNIT_FIELD.get(kind.cls)
    if field is None:
        return records
    units = st.sampled_from(_UNITS).map(DivisionCode)
    return st.builds(lambda r, u: attrs.evolve(r, **{field: u}), records, units)


def _settings() -> settings:
    return settings(
        max_examples=max(3, settings().max_examples // 10),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


class CaseworkContract:
    """Every casework record kind behaves in the store as the record contract says."""

    def make_store(self, clock: Callable[[], dt.datetime], directory: Path) -> Store:
        raise NotImplementedError

    def test_every_casework_kind_is_registered(self) -> None:
        assert set(vcs.CASEWORK_STRATEGIES) >= {kind.cls for kind in BUILT_IN_RECORD_KINDS}
        assert 11 == len(BUILT_IN_RECORD_KINDS)

    @pytest.mark.parametrize("name", sorted(_KINDS))
    def test_a_casework_record_is_stored_read_found_updated_scoped_and_removed(
        self, name: str
    ) -> None:
        kind = _KINDS[name]

        @_settings()
        @given(record=_stored_form(kind))
        def check(record: Any) -> None:
            key, unit = kind.key_of(record), kind.division_of(record)
            with fresh_store(self.make_store) as store:
                with store.unit_of_work(actor="clerk") as uow:
                    assert 1 == uow.records(kind.cls).add(record)
                    uow.commit()
                with store.unit_of_work(actor="clerk") as uow:
                    repository = uow.records(kind.cls)
                    found = repository.read(key)
                    assert (1, record) == (found.version, found.value)
                    assert [record] == list(repository.find(within=unit))
                    assert 1 == repository.count(within=DivisionCode(unit.value[:4]))
                    assert 2 == repository.update(record, version=1)
                    uow.commit()
                outside = _OUTSIDE.get(unit.value[:4], DivisionCode("4501"))
                with store.scoped(outside).unit_of_work(actor="elsewhere") as uow:
                    assert not uow.records(kind.cls).exists(key)
                    assert 0 == uow.records(kind.cls).count()
                with store.unit_of_work(actor="clerk") as uow:
                    uow.records(kind.cls).remove(key, version=2)
                    uow.commit()
                with store.unit_of_work(actor="clerk") as uow:
                    assert not uow.records(kind.cls).exists(key)
                entries = list(store.audit.entries(entity=kind.name))
                assert 3 == len(entries)
                if kind.personal_key:
                    shown = " ".join(repr(e) + str(e) for e in entries)
                    assert key not in shown

        check()

    @pytest.mark.parametrize("cls", sorted(_UNIT_FIELD, key=str))
    def test_a_record_without_its_scoping_unit_is_refused_naming_the_field(self, cls: type) -> None:
        field = _UNIT_FIELD[cls]

        @_settings()
        @given(record=vcs.CASEWORK_STRATEGIES[cls])
        def check(record: Any) -> None:
            unplaced = attrs.evolve(record, **{field: None})
            with fresh_store(self.make_store) as store:
                with store.unit_of_work(actor="clerk") as uow:
                    with pytest.raises(InvalidValue) as raised:
                        uow.records(cls).add(unplaced)
                    uow.commit()
                assert field in str(raised.value)
                with store.unit_of_work(actor="clerk") as uow:
                    assert 0 == uow.records(cls).count()

        check()
