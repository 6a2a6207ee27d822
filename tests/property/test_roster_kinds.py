"""Laws of rosters of every kind: an export reads back equal; garbage gives only row errors.

A record of any kind written with ``roster_row`` (personal data in full) and read back is the
same record — for veterans, survivors, plaque households and assistance cases, from CSV and
from ``.xlsx``. Whatever the cells under a kind's header hold, reading gives row errors that
name a row and a column of the file (personal values masked), never another exception.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

import attrs
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from veteran_affairs import divisions
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import AssistanceCase, PlaqueHousehold, Survivor, Veteran
from veteran_affairs.rosters import (
    ROSTER_ACTOR,
    RosterKind,
    RosterRecord,
    RosterResult,
    RosterUnreadable,
    RowError,
    read_roster,
    read_workbook,
    roster_cells,
    roster_row,
    write_table,
    write_workbook,
)
from veteran_affairs.testing import strategies

_FOLDER = Path(tempfile.mkdtemp(prefix="roster-kinds-"))
_SETTINGS = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _guangxi_units() -> tuple[DivisionCode, ...]:
    """Bundled Guangxi counties and townships: codes a roster's 户籍地 or 所在地 may hold."""
    return tuple(
        d.code
        for d in divisions.bundled(province="45")
        if d.level in (DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP)
    )


# By index: a sampled_from of 1,400 codes has a repr hypothesis warns about.
_units = st.integers(0, 10**6).map(lambda i: _guangxi_units()[i % len(_guangxi_units())])


def _people(born: st.SearchStrategy[dt.date]) -> st.SearchStrategy[object]:
    return strategies.persons(
        resident_ids=strategies.resident_ids(birth_dates=born), hukou_divisions=_units
    )


# A veterans' roster requires 退役方式: a veteran recorded without one is not in a roster.
_veterans = strategies.veterans(
    persons=_people(st.dates(dt.date(1930, 1, 1), dt.date(1995, 12, 31)))  # type: ignore[arg-type]
).filter(lambda veteran: veteran.service.discharge_mode is not None)
_survivors = strategies.survivors(
    persons=_people(st.dates(dt.date(1920, 1, 1), dt.date(2005, 12, 31)))  # type: ignore[arg-type]
)
_households = strategies.plaque_households(households=strategies.households(hukou_divisions=_units))


def _as_read(case: AssistanceCase) -> AssistanceCase:
    """A case as a roster holds it: its steps' dates, taken by ``ROSTER_ACTOR``, no notes."""
    history = tuple(attrs.evolve(step, actor=ROSTER_ACTOR, note=None) for step in case.history)
    return attrs.evolve(case, history=history)


_cases = strategies.assistance_cases(divisions=_units).map(_as_read)

_RECORDS: dict[RosterKind, st.SearchStrategy[RosterRecord]] = {
    RosterKind.VETERANS: _veterans,
    RosterKind.SURVIVORS: _survivors,
    RosterKind.HOUSEHOLDS: _households,
    RosterKind.CASES: _cases,
}


def _key(record: RosterRecord) -> str:
    if isinstance(record, Veteran | Survivor):
        return record.resident_id.unmasked
    if isinstance(record, PlaqueHousehold):
        return record.household.household_id
    assert isinstance(record, AssistanceCase)  # the casework kinds have their own tests
    return record.case_id


def _round_trip(kind: RosterKind, records: Sequence[RosterRecord], suffix: str) -> RosterResult:
    path = _FOLDER / f"{kind.value}{suffix}"
    write_table(path, kind.header, [roster_row(r, personal=True) for r in records])
    return read_roster(path)  # the kind from the header


def _records(kind: RosterKind) -> st.SearchStrategy[list[RosterRecord]]:
    return st.lists(_RECORDS[kind], min_size=1, max_size=3, unique_by=_key)


_suffixes = st.sampled_from([".csv", ".xlsx"])


@_SETTINGS
@given(records=_records(RosterKind.VETERANS), suffix=_suffixes)
def test_veterans_written_and_read_back_are_equal(records: list[RosterRecord], suffix: str) -> None:
    result = _round_trip(RosterKind.VETERANS, records, suffix)

    assert [] == [str(e) for e in result.errors]
    assert tuple(records) == result.records == result.veterans


@_SETTINGS
@given(records=_records(RosterKind.SURVIVORS), suffix=_suffixes)
def test_survivors_written_and_read_back_are_equal(
    records: list[RosterRecord], suffix: str
) -> None:
    result = _round_trip(RosterKind.SURVIVORS, records, suffix)

    assert [] == [str(e) for e in result.errors]
    assert (RosterKind.SURVIVORS, tuple(records)) == (result.kind, result.records)


@_SETTINGS
@given(records=_records(RosterKind.HOUSEHOLDS), suffix=_suffixes)
def test_plaque_households_written_and_read_back_are_equal(
    records: list[RosterRecord], suffix: str
) -> None:
    result = _round_trip(RosterKind.HOUSEHOLDS, records, suffix)

    assert [] == [str(e) for e in result.errors]
    assert (RosterKind.HOUSEHOLDS, tuple(records)) == (result.kind, result.records)


@_SETTINGS
@given(records=_records(RosterKind.CASES), suffix=_suffixes)
def test_assistance_cases_written_and_read_back_are_equal(
    records: list[RosterRecord], suffix: str
) -> None:
    result = _round_trip(RosterKind.CASES, records, suffix)

    assert [] == [str(e) for e in result.errors]
    assert (RosterKind.CASES, tuple(records)) == (result.kind, result.records)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(
    veterans=_records(RosterKind.VETERANS),
    survivors=_records(RosterKind.SURVIVORS),
    households=_records(RosterKind.HOUSEHOLDS),
    cases=_records(RosterKind.CASES),
)
def test_a_workbook_of_every_kind_reads_back_sheet_by_sheet(
    veterans: list[RosterRecord],
    survivors: list[RosterRecord],
    households: list[RosterRecord],
    cases: list[RosterRecord],
) -> None:
    written = {
        RosterKind.VETERANS: veterans,
        RosterKind.SURVIVORS: survivors,
        RosterKind.HOUSEHOLDS: households,
        RosterKind.CASES: cases,
    }
    path = _FOLDER / "county.xlsx"
    write_workbook(
        path,
        {
            kind.label_zh: (kind.header, [roster_row(r, personal=True) for r in records])
            for kind, records in written.items()
        },
    )

    results = read_workbook(path)

    assert [(k, tuple(r)) for k, r in written.items()] == [(r.kind, r.records) for r in results]


# --- whatever the cells hold ----------------------------------------------------------------------

_ID = "11010519491231002X"
_texts = st.one_of(
    st.text(max_size=24),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=6),
    st.sampled_from(
        [
            "",
            "是",
            "否",
            "2021-01-06",
            "2021/1/6、2020-01-01",
            "1900-01-01",
            "2099-01-01",
            "、",
            "0.125",
            "1,000.00",
            "450312",
            "临桂区",
            _ID,
            f"{_ID}、{_ID}",
            "残疾军人、烈属",
            "退役军人",
            "烈士",
            "配偶",
            "突发事件",
            "财政预算",
            "战时三等功",
            "有期徒刑",
            "受到刑事处罚",
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


def _read(path: Path, kind: RosterKind) -> RosterResult | RosterUnreadable:
    try:
        return read_roster(path, kind=kind)
    except RosterUnreadable as refused:
        return refused


def _check(outcome: RosterResult, kind: RosterKind, header: Sequence[str], rows: int) -> None:
    assert kind is outcome.kind
    assert all(isinstance(e, RowError) for e in outcome.errors)
    columns = {h.strip() for h in header} | {None}
    assert [] == [e for e in outcome.errors if e.column not in columns]
    assert all(2 <= e.row <= rows + 1 for e in outcome.errors)
    personal = {kind.columns.header_of(f) for f in kind.personal_fields}
    assert [] == [e for e in outcome.errors if e.column in personal and _ID in (e.value or "")]
    valid = {r.row for r in outcome.rows}
    assert outcome.rows_read == len(valid | set(outcome.rejected_rows))
    for error in outcome.errors:
        assert str(error)
        assert error.reason_zh


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    kind=st.sampled_from(list(RosterKind)),
    rows=st.lists(st.lists(_texts, max_size=30), max_size=5),
)
def test_random_cells_under_a_kinds_header_give_only_row_errors(
    data: st.DataObject, kind: RosterKind, rows: list[list[str]]
) -> None:
    header = data.draw(_headers(kind))
    path = _FOLDER / "cells.csv"
    write_table(path, header, rows)

    outcome = _read(path, kind)

    if isinstance(outcome, RosterUnreadable):  # a NUL, or a cell beyond the csv module's limit
        assert any("\x00" in cell or len(cell) > 100_000 for row in rows for cell in row)
        return
    _check(outcome, kind, header, len(rows))


def _tagged(kind: RosterKind) -> st.SearchStrategy[tuple[RosterKind, RosterRecord]]:
    return st.tuples(st.just(kind), _RECORDS[kind])


_kinds_and_records = st.one_of([_tagged(kind) for kind in _RECORDS])


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=_kinds_and_records, column=st.integers(0, 60), value=_texts)
def test_one_changed_cell_of_a_good_record_rejects_at_most_its_row(
    drawn: tuple[RosterKind, RosterRecord], column: int, value: str
) -> None:
    kind, record = drawn
    row = roster_cells(record, personal=True)
    position = column % len(row)
    changed = row[position] != value
    row[position] = value
    path = _FOLDER / "changed.csv"
    write_table(path, kind.header, [row])

    outcome = _read(path, kind)

    if isinstance(outcome, RosterUnreadable):
        assert "\x00" in value
        return
    _check(outcome, kind, kind.header, 1)
    assert changed or outcome.ok


def _xlsx_value(value: object) -> object:
    """What a workbook can hold of ``value`` (no NaN, no dates before 1900, no huge ints)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return float(value)
    if isinstance(value, dt.date) and value.year < 1900:
        return value.replace(year=1900 + value.year % 100)
    return value


_values = st.one_of(
    _texts,
    st.none(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    kind=st.sampled_from(list(RosterKind)),
    rows=st.lists(st.lists(_values, max_size=30), max_size=4),
)
def test_random_typed_cells_in_a_workbook_give_only_row_errors(
    data: st.DataObject, kind: RosterKind, rows: list[list[object]]
) -> None:
    header = data.draw(_headers(kind))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.sheet_names[0]
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    path = _FOLDER / "typed.xlsx"
    book.save(path)

    (outcome,) = read_workbook(path)

    _check(outcome, kind, header, len(rows))
