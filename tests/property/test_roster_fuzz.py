"""Fuzzing the roster reader: whatever the file holds, only the documented outcomes come out.

A file is either read — every problem a :class:`RowError` naming a row and a header (or the
row itself) — or refused whole with :class:`RosterUnreadable`. No other exception escapes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from veteran_affairs.rosters import (
    DEFAULT_COLUMNS,
    REQUIRED_FIELDS,
    ROSTER_HEADER,
    RosterResult,
    RosterUnreadable,
    RowError,
    read_roster,
    synthetic_roster,
    write_table,
)

_FOLDER = Path(tempfile.mkdtemp(prefix="roster-fuzz-"))


def _read(name: str, write: object) -> RosterResult | RosterUnreadable:
    path = _FOLDER / name
    assert callable(write)
    write(path)
    try:
        return read_roster(path)
    except RosterUnreadable as refused:
        return refused


def _check(outcome: RosterResult | RosterUnreadable, header: Sequence[str], rows: int) -> None:
    if isinstance(outcome, RosterUnreadable):
        assert outcome.reason
        return
    assert all(isinstance(e, RowError) for e in outcome.errors)
    columns = {h.strip() for h in header} | {None}
    assert [] == [e for e in outcome.errors if e.column not in columns and e.row != 1]
    assert all(1 <= e.row <= rows + 1 for e in outcome.errors)
    if outcome.rows_read:
        valid = {r.row for r in outcome.rows}
        rejected = set(outcome.rejected_rows)
        assert outcome.rows_read == len(valid | rejected)
        assert not valid & rejected
    for error in outcome.errors:
        assert str(error)  # every error renders


_texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.builds(lambda c, n: c * n, st.sampled_from("x姓\x00\n\"',"), st.integers(0, 200_000)),
    st.sampled_from(
        ["", "男", "义务兵", "士官", "自主就业", "2021-01-06", "2021年1月", "450312", "临桂区"]
    ),
    st.sampled_from(["11010519491231002X", "110105491231002", "４５０３１２", "=1+1"]),
)
_values = st.one_of(
    _texts,
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
_REQUIRED = [DEFAULT_COLUMNS.header_of(f) for f in sorted(REQUIRED_FIELDS)]
_OPTIONAL = [h for h in ROSTER_HEADER if h not in _REQUIRED]
# Every required column and some optional ones (an unknown one too), in any order.
_header = st.lists(st.sampled_from([*_OPTIONAL, "备注"]), unique=True).flatmap(
    lambda extra: st.permutations([*_REQUIRED, *extra])
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2_000), bom=st.booleans())
def test_random_bytes_as_csv_are_read_or_refused(data: bytes, bom: bool) -> None:
    content = (b"\xef\xbb\xbf" if bom else b"") + data

    outcome = _read("random.csv", lambda p: p.write_bytes(content))

    _check(outcome, [], content.count(b"\n") + content.count(b"\r") + 1)


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2_000), zip_magic=st.booleans())
def test_random_bytes_as_xlsx_are_refused(data: bytes, zip_magic: bool) -> None:
    content = (b"PK\x03\x04" if zip_magic else b"") + data

    outcome = _read("random.xlsx", lambda p: p.write_bytes(content))

    assert isinstance(outcome, RosterUnreadable)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(header=_header, rows=st.lists(st.lists(_texts, max_size=18), max_size=6))
def test_random_text_cells_under_a_valid_header_give_row_errors(
    header: list[str], rows: list[list[str]]
) -> None:
    outcome = _read("cells.csv", lambda p: write_table(p, header, rows))

    _check(outcome, header, len(rows))
    if isinstance(outcome, RosterResult):
        assert 1 not in outcome.rejected_rows  # the header is valid: rows were checked


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767]  # what a workbook can hold
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return float(value)
    if isinstance(value, dt.date) and value.year < 1900:
        return value.replace(year=1900 + value.year % 100)  # Excel starts in 1900
    if isinstance(value, float) and value != value:
        return None  # a workbook has no NaN
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    return value


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(header=_header, rows=st.lists(st.lists(_values, max_size=18), max_size=5))
def test_random_typed_cells_in_a_workbook_give_row_errors(
    header: list[str], rows: list[list[object]]
) -> None:
    def write(path: Path) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        book.save(path)

    outcome = _read("cells.xlsx", write)

    assert isinstance(outcome, RosterResult)
    _check(outcome, header, len(rows))


_BASE = synthetic_roster(8, seed=13)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, len(ROSTER_HEADER) - 1), _texts), max_size=6
    )
)
def test_only_rows_with_a_changed_cell_can_be_rejected(
    changes: list[tuple[int, int, str]],
) -> None:
    header, base, _ = _BASE
    rows = [list(row) for row in base]
    for index, column, value in changes:
        rows[index][column] = value
    changed = {index + 2 for index, column, value in changes if base[index][column] != value}

    outcome = _read("changed.csv", lambda p: write_table(p, header, rows))

    if isinstance(outcome, RosterUnreadable):  # a NUL or a cell beyond the csv module's limit
        assert any("\x00" in v or len(v) > 100_000 for _, _, v in changes)
        return
    _check(outcome, header, len(rows))
    assert set(outcome.rejected_rows) <= changed
    assert 8 - len(changed) <= len(outcome.rows)
