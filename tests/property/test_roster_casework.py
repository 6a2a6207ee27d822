"""Laws of the casework registers as rosters.

Any petition, legacy case, insurance transfer, 包联 assignment or talk, village cadre,
discharge record, course, employment spell, reception day or request the casework strategies
draw, written with ``roster_row`` (personal data in full) and read back, is the same record as
the register holds it — its steps taken by ``roster import`` and only the notes the register
has columns for — from CSV and from ``.xlsx``, alone or as a sheet of a workbook of every
register. Whatever the cells under a register's header hold, reading gives
row errors naming a row and a column of the file, with identity numbers masked, never another
exception. A masked export row differs from the full one exactly in its identity numbers and
shows none of them. Importing a stored record's own export with ``update`` changes nothing.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs import divisions
from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    InsuranceStatus,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition, PetitionStatus
from veteran_affairs.casework.requests import Request
from veteran_affairs.casework.villages import VillageCadre
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.repositories import MemoryStore
from veteran_affairs.repositories.records import record_kind
from veteran_affairs.rosters import (
    ROSTER_ACTOR,
    RosterKind,
    RosterRecord,
    RosterResult,
    RowError,
    import_rosters,
    read_roster,
    read_workbook,
    roster_cells,
    roster_row,
    write_table,
    write_workbook,
)
from veteran_affairs.testing import _casework_registers as registers
from veteran_affairs.testing import _discharge_strategies as discharge
from veteran_affairs.testing import _petition_strategies as petitions
from veteran_affairs.testing import casework_strategies

_FOLDER = Path(tempfile.mkdtemp(prefix="roster-casework-"))
_CASEWORK = tuple(kind for kind in RosterKind if kind.casework)


# --- the records a register holds -----------------------------------------------------------------


@functools.cache
def _children(code: str) -> tuple[DivisionCode, ...]:
    return tuple(sorted((d.code for d in divisions.children(code)), key=lambda c: c.value))


@functools.cache
def _relocate(code: DivisionCode) -> DivisionCode:
    """A bundled Guangxi unit for a (possibly synthetic) code, keeping ancestry: a unit at or
    above another stays so, as a 复查 body must be."""
    if code.level is DivisionLevel.PROVINCE:
        return DivisionCode("45")
    parent = code.parent
    assert parent is not None
    placed = _relocate(parent)
    if code.level is DivisionLevel.VILLAGE:  # villages are never bundled: keep the digits
        return DivisionCode(placed.value[:9] + code.value[9:])
    options = _children(placed.value)
    return options[int(code.value) % len(options)]


def _relocated(value: Any) -> Any:
    """``value`` with every division code in it relocated (the strategies draw synthetic codes;
    a register accepts the units the bundled data knows)."""
    if isinstance(value, DivisionCode):
        return _relocate(value)
    if isinstance(value, tuple):
        return tuple(_relocated(item) for item in value)
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if field.init:
                old = getattr(value, field.name)
                new = _relocated(old)
                if new is not old:
                    changes[field.alias] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


_NOTED = frozenset({PetitionStatus.OBJECTED, PetitionStatus.EXTENDED})


def _petition_as_held(petition: Petition) -> Petition:
    """Steps taken by ``roster import``; notes only for objections and the extension."""
    history = tuple(
        attrs.evolve(s, actor=ROSTER_ACTOR, note=s.note if s.to_status in _NOTED else None)
        for s in petition.history
    )
    return attrs.evolve(petition, history=history)


def _legacy_as_held(case: LegacyCase) -> LegacyCase:
    history = tuple(attrs.evolve(s, actor=ROSTER_ACTOR, note=None) for s in case.history)
    return attrs.evolve(case, history=history)


def _transfer_as_held(transfer: InsuranceTransfer) -> InsuranceTransfer:
    history = tuple(
        attrs.evolve(s, note=s.note if s.to_status is InsuranceStatus.STALLED else None)
        for s in transfer.history
    )
    return attrs.evolve(transfer, history=history)


def _request_as_held(request: Request) -> Request:
    """Steps and follow-ups by ``roster import``, without notes."""
    history = tuple(attrs.evolve(s, actor=ROSTER_ACTOR, note=None) for s in request.history)
    follow_ups = tuple(attrs.evolve(f, actor=ROSTER_ACTOR, note=None) for f in request.follow_ups)
    return attrs.evolve(request, history=history, follow_ups=follow_ups)


def _held(strategy: st.SearchStrategy[Any], as_held: Callable[[Any], Any] = lambda r: r) -> Any:
    return strategy.map(_relocated).map(as_held)


_talks = registers.contact_assignments().flatmap(
    lambda assignment: registers.talks_for(assignment, max_size=2)
)
_RECORDS: dict[RosterKind, st.SearchStrategy[Any]] = {
    RosterKind.PETITIONS: _held(petitions.petitions(), _petition_as_held),
    RosterKind.LEGACY_CASES: _held(registers.legacy_cases(), _legacy_as_held),
    RosterKind.INSURANCE_TRANSFERS: _held(discharge.insurance_transfers(), _transfer_as_held),
    RosterKind.BAOLIAN_ASSIGNMENTS: _held(registers.contact_assignments()),
    RosterKind.BAOLIAN_TALKS: _held(_talks.filter(bool).map(lambda talks: talks[0])),
    RosterKind.VILLAGE_CADRES: _held(registers.village_cadres()),
    RosterKind.DISCHARGE_RECORDS: _held(discharge.discharge_records()),
    RosterKind.TRAINING_ENROLMENTS: _held(discharge.training_enrolments()),
    RosterKind.EMPLOYMENT_RECORDS: _held(discharge.employment_records()),
    RosterKind.RECEPTION_SESSIONS: _held(casework_strategies.reception_sessions()),
    RosterKind.REQUESTS: _held(registers.contact_requests(), _request_as_held),
}


def _key(record: RosterRecord) -> str:
    if isinstance(record, Petition):
        return record.petition_id
    if isinstance(record, LegacyCase):
        return record.case_id
    if isinstance(record, InsuranceTransfer):
        return f"{record.veteran.unmasked}/{record.scheme.value}"
    if isinstance(record, ContactAssignment):
        return record.assignment_id
    if isinstance(record, BaolianTalk):
        return record.talk_id
    if isinstance(record, DischargeRecord):
        return record.veteran.unmasked
    if isinstance(record, TrainingEnrolment):
        return record.enrolment_id
    if isinstance(record, EmploymentRecord):
        return record.record_id
    if isinstance(record, ReceptionSession):
        return record.session_id
    if isinstance(record, Request):
        return record.request_id
    assert isinstance(record, VillageCadre)
    return f"{record.person.unmasked}/{record.village}/{record.role}/{record.term_from}"


def _records(kind: RosterKind) -> st.SearchStrategy[list[RosterRecord]]:
    return st.lists(_RECORDS[kind], min_size=1, max_size=3, unique_by=_key)


def _ids(record: RosterRecord) -> set[str]:
    """Every identity number a record holds, in full."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, ResidentId):
            found.add(value.unmasked)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))

    walk(record)
    return found


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", _CASEWORK)
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_a_register_written_and_read_back_is_equal(
    kind: RosterKind, data: st.DataObject, suffix: str
) -> None:
    records = data.draw(_records(kind))
    path = _FOLDER / f"{kind.value}{suffix}"
    write_table(path, kind.header, [roster_row(r, personal=True) for r in records])

    result = read_roster(path)  # the kind told from the header

    assert [] == [str(e) for e in result.errors]
    assert (kind, tuple(records)) == (result.kind, result.records)


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_workbook_of_every_register_reads_back_sheet_by_sheet(data: st.DataObject) -> None:
    written = {kind: data.draw(_records(kind)) for kind in _CASEWORK}
    path = _FOLDER / "registers.xlsx"
    write_workbook(
        path,
        {
            kind.sheet_names[0]: (kind.header, [roster_row(r, personal=True) for r in records])
            for kind, records in written.items()
        },
    )

    results = read_workbook(path)

    assert [(k, tuple(r)) for k, r in written.items()] == [(r.kind, r.records) for r in results]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.one_of([st.tuples(st.just(k), _RECORDS[k]) for k in _CASEWORK]))
def test_a_masked_row_differs_from_the_full_one_only_in_its_identity_numbers(
    drawn: tuple[RosterKind, RosterRecord],
) -> None:
    kind, record = drawn

    full = roster_cells(record, personal=True)
    masked = roster_cells(record, personal=False)

    personal = sorted(kind.fields.index(f) for f in kind.personal_fields)
    changed = [i for i, (a, b) in enumerate(zip(full, masked, strict=True)) if a != b]
    assert [i for i in personal if full[i]] == changed
    assert [] == [cell for cell in masked for rid in _ids(record) if rid in cell]


def _as_kept(record: Any) -> Any:
    """A record as an office's store keeps it: every step and follow-up by a clerk of its
    own, with a note; and the unit a store scopes it by (a store keeps no record without)."""
    changes: dict[str, Any] = {}
    for name in ("history", "follow_ups"):
        items = getattr(record, name, None)
        if items is not None:
            changes[name] = tuple(
                attrs.evolve(
                    item,
                    note=item.note or "附记",
                    **({"actor": "clerk"} if hasattr(item, "actor") else {}),
                )
                for item in items
            )
    if isinstance(record, InsuranceTransfer) and record.destination is None:
        changes["destination"] = DivisionCode("450312")
    if isinstance(record, DischargeRecord | TrainingEnrolment | EmploymentRecord):
        changes["unit"] = record.unit or DivisionCode("450312")
    return attrs.evolve(record, **changes)


def _stored(record: RosterRecord) -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work(actor="clerk") as work:
        work.records(type(record)).add(record)
        work.commit()
    return store


def _read_back(store: MemoryStore, record: RosterRecord) -> Any:
    key = record_kind(type(record)).key_of(record)
    with store.unit_of_work(actor="check") as work:
        return work.records(type(record)).read(key)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.one_of([st.tuples(st.just(k), _RECORDS[k].map(_as_kept)) for k in _CASEWORK]))
def test_importing_a_stored_records_own_export_with_update_changes_nothing(
    drawn: tuple[RosterKind, RosterRecord],
) -> None:
    kind, stored = drawn
    store = _stored(stored)
    path = _FOLDER / "export.csv"
    write_table(path, kind.header, [roster_row(stored, personal=True)])

    result = import_rosters(store, [path], actor="clerk", update=True)

    assert (True, 0, 0, 1) == (result.written, result.added, result.updated, result.unchanged)
    found = _read_back(store, stored)
    assert (1, stored) == (found.version, found.value)


# A plain column of each register with a history, and another value for it.
_RETOPIC = {
    RosterKind.PETITIONS: "category",
    RosterKind.LEGACY_CASES: "topic",
    RosterKind.INSURANCE_TRANSFERS: "destination",
    RosterKind.REQUESTS: "topic",
}


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.one_of([st.tuples(st.just(k), _RECORDS[k].map(_as_kept)) for k in _RETOPIC]))
def test_an_update_keeps_the_actors_and_notes_of_the_steps_it_leaves_as_they_were(
    drawn: tuple[RosterKind, RosterRecord],
) -> None:
    kind, stored = drawn
    store = _stored(stored)
    field = _RETOPIC[kind]
    changed: Any = {
        "category": lambda r: attrs.evolve(
            r, category=next(c for c in type(r.category) if c is not r.category)
        ),
        "topic": lambda r: attrs.evolve(r, topic=r.topic + "（更正）"),
        "destination": lambda r: attrs.evolve(r, destination=DivisionCode("450311")),
    }[field](stored)
    path = _FOLDER / "corrected.csv"
    write_table(path, kind.header, [roster_row(changed, personal=True)])

    result = import_rosters(store, [path], actor="clerk", update=True)

    assert (True, 1) == (result.written, result.updated)
    found = _read_back(store, stored)
    assert (2, changed) == (found.version, found.value)


# --- whatever the cells hold ----------------------------------------------------------------------

_ID = "11010519491231002X"
_texts = st.one_of(
    st.text(max_size=16),
    st.sampled_from(
        [
            "",
            "是",
            "否",
            "2024-03-01",
            "2024/3/5、2024-03-12",
            "2099-01-01",
            "、",
            "0.125",
            "86,400.00",
            "45",
            "4503",
            "450312",
            "450312101",
            "450312101203",
            "临桂区",
            _ID,
            f"{_ID}、{_ID}",
            "申诉求决类",
            "走访",
            "信访部门",
            "应通过法定途径解决",
            "行政复议",
            "复核终结",
            "办结",
            "社会保险接续",
            "自主择业",
            "已化解",
            "养老保险",
            "失业保险",
            "资金划转",
            "接续受阻",
            "领导包联",
            "书记主任一肩挑",
            "12人",
            "30",
            "第一行\n第二行",
        ]
    ),
)


def _headers(kind: RosterKind) -> st.SearchStrategy[list[str]]:
    """Every required column of the kind and some optional ones (an unknown one too)."""
    required = [kind.columns.header_of(f) for f in kind.fields if f in kind.required_fields]
    optional = [h for h in kind.header if h not in required]
    return st.lists(st.sampled_from([*optional, "备注"]), unique=True).flatmap(
        lambda extra: st.permutations([*required, *extra])
    )


def _check(outcome: RosterResult, kind: RosterKind, header: Sequence[str], rows: int) -> None:
    assert kind is outcome.kind
    assert all(isinstance(e, RowError) for e in outcome.errors)
    columns = {h.strip() for h in header} | {None}
    assert [] == [e for e in outcome.errors if e.column not in columns]
    assert all(2 <= e.row <= rows + 1 for e in outcome.errors)
    assert [] == [e for e in outcome.errors if _ID in str(e) or _ID in repr(e)]
    valid = {r.row for r in outcome.rows}
    assert outcome.rows_read == len(valid | set(outcome.rejected_rows))
    assert all(e.reason and e.reason_zh for e in outcome.errors)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    kind=st.sampled_from(_CASEWORK),
    rows=st.lists(st.lists(_texts, max_size=40), max_size=4),
)
def test_random_cells_under_a_registers_header_give_only_row_errors(
    data: st.DataObject, kind: RosterKind, rows: list[list[str]]
) -> None:
    header = data.draw(_headers(kind))
    rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
    path = _FOLDER / "cells.csv"
    write_table(path, header, rows)

    outcome = read_roster(path, kind=kind)

    _check(outcome, kind, header, len(rows))


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.one_of([st.tuples(st.just(k), _RECORDS[k]) for k in _CASEWORK]),
    column=st.integers(0, 60),
    value=_texts,
)
def test_one_changed_cell_of_a_good_record_rejects_at_most_its_row(
    drawn: tuple[RosterKind, RosterRecord], column: int, value: str
) -> None:
    kind, record = drawn
    row = roster_cells(record, personal=True)
    position = column % len(row)
    changed = row[position] != value.replace("\x00", "")
    row[position] = value.replace("\x00", "")
    path = _FOLDER / "changed.csv"
    write_table(path, kind.header, [row])

    outcome = read_roster(path, kind=kind)

    _check(outcome, kind, kind.header, 1)
    assert changed or outcome.ok
