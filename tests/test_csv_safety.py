"""No file this library writes holds a cell a spreadsheet would run as a formula.

OWASP's CSV injection: a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is evaluated by Excel, WPS and LibreOffice. Every CSV writer (``write_table``,
``write_csv``, ``write_rejects``, ``Report.to_csv``) puts a ``'`` before such text, numbers
stay numbers, and the roster reader takes the ``'`` off, so rosters still read back equal.
An ``.xlsx`` text cell is typed text and needs no quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs.hierarchy import Column, DivisionTree, FigureKind, build_report
from veteran_affairs.hierarchy import report as report_module
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import Division, Veteran
from veteran_affairs.rosters import (
    RosterKind,
    _cells,
    read_roster,
    roster_row,
    write_csv,
    write_rejects,
    write_table,
    write_workbook,
)
from veteran_affairs.rosters._files import read_rows
from veteran_affairs.testing import strategies

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    "=1+1",
    "+8613812345678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://example.invalid","点击")',
    "=cmd|' /C calc'!A0",
]


def raw_rows(path: Path) -> list[list[str]]:
    """The cells of a CSV file exactly as they stand in it (what a spreadsheet sees)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def starts_a_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)


# --- write_table, write_csv ----------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS, ids=repr)
def test_text_that_starts_like_a_formula_is_written_after_an_apostrophe(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["备注"], [[text]])

    assert [["备注"], ["'" + text]] == raw_rows(path)
    assert [("备注",), (text,)] == read_rows(path)


def test_numbers_are_written_as_numbers_even_when_negative(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["金额", "人数", "比率"], [[Decimal("-3.50"), -2, -0.5]])

    assert ["-3.50", "-2", "-0.5"] == raw_rows(path)[1]


def test_a_number_that_is_not_finite_is_text_and_quoted(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["金额", "比率"], [[Decimal("-Infinity"), float("-inf")]])

    assert ["'-Infinity", "'-inf"] == raw_rows(path)[1]


def test_dates_and_plain_text_are_written_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["姓名", "日期", "电话"], [["韦明", dt.date(2021, 1, 6), "0771-5551234"]])

    assert ["韦明", "2021-01-06", "0771-5551234"] == raw_rows(path)[1]


def test_header_cells_are_quoted_too(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["=danger", "-变化"], [])

    assert [["'=danger", "'-变化"]] == raw_rows(path)


def test_text_starting_with_an_apostrophe_gets_one_more(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    write_table(path, ["备注"], [["'=1+1"], ["'abc"]])

    assert [["''=1+1"], ["''abc"]] == raw_rows(path)[1:]
    assert [("'=1+1",), ("'abc",)] == read_rows(path)[1:]


def test_a_stream_is_written_with_the_same_quotes() -> None:
    out = io.StringIO()
    write_csv(out, ["电话", "金额"], [["+86 13812345678", Decimal("-1.00")]])

    assert "电话,金额\n'+86 13812345678,-1.00\n" == out.getvalue()


# Any text a CSV file can hold: no NUL (the reader refuses it), no lone surrogate (no UTF-8).
CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
CELL_TEXT = st.text(CHARACTERS, max_size=12) | st.sampled_from(
    [*FORMULAS, "'", "''", "'=", "-", "+"]
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(CELL_TEXT, min_size=3, max_size=3),
    rows=st.lists(st.lists(CELL_TEXT, min_size=3, max_size=3), max_size=5),
)
def test_any_text_reads_back_exactly_and_no_written_cell_starts_a_formula(
    header: list[str], rows: list[list[str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        write_table(path, header, rows)

        assert [] == [c for r in raw_rows(path) for c in r if starts_a_formula(c)]
        assert [tuple(header), *map(tuple, rows)] == read_rows(path)


# --- the reader ----------------------------------------------------------------------------


def test_the_reader_takes_off_only_the_apostrophe_the_writer_puts(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("备注\n'=1+1\n'+86 138\n'abc\n''x\n'\nO'Brien\n", encoding="utf-8")

    expected = [("=1+1",), ("+86 138",), ("'abc",), ("'x",), ("'",), ("O'Brien",)]
    assert expected == read_rows(path)[1:]


def test_the_writer_and_the_reader_are_inverse() -> None:
    for text in [*FORMULAS, "'", "''", "'=", "'abc", "abc", "", "-"]:
        assert text == _cells.unquote_formula(_cells.quote_formula(text))


def test_every_csv_writer_quotes_the_same_characters() -> None:
    assert {*FORMULA_STARTS, "'"} == set(_cells._QUOTED) == set(report_module._FORMULA_STARTS)


# --- rosters: export, import, rejects ------------------------------------------------------


# Veterans a roster holds: a bundled county as 户籍地 (临桂区), and a 退役方式.
VETERANS = strategies.veterans(
    persons=strategies.persons(
        resident_ids=strategies.resident_ids(
            birth_dates=st.dates(dt.date(1930, 1, 1), dt.date(1995, 12, 31))
        ),
        hukou_divisions=st.just(DivisionCode("450312")),
    )
).filter(lambda veteran: veteran.service.discharge_mode is not None)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(
    veteran=VETERANS,
    name=st.sampled_from(["=1+1", "-韦明", "@韦明", "+韦明"]),
    phone=st.sampled_from(["+86 13812345678", "-0771-5551234", "13812345678"]),
)
def test_a_roster_with_formula_like_text_reads_back_equal(
    veteran: Veteran, name: str, phone: str
) -> None:
    record = attrs.evolve(veteran, person=attrs.evolve(veteran.person, name=name, phone=phone))
    kind = RosterKind.VETERANS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        write_table(path, kind.header, [roster_row(record, personal=True)])
        cells = raw_rows(path)[1]
        result = read_roster(path)

    assert [] == [c for c in cells if starts_a_formula(c)]
    assert [] == [str(e) for e in result.errors]
    assert (record,) == result.records


def test_rejected_cells_are_written_quoted_and_read_back_as_they_were(tmp_path: Path) -> None:
    kind = RosterKind.VETERANS
    header = list(kind.header)
    row = ["" for _ in header]
    row[header.index("姓名")] = '=HYPERLINK("http://example.invalid","x")'
    row[header.index("联系电话")] = "+86 13812345678"
    roster = tmp_path / "roster.csv"
    write_table(roster, header, [row])
    result = read_roster(roster)
    rejects = tmp_path / "rejects.csv"

    assert 1 == write_rejects(rejects, result)
    written = raw_rows(rejects)
    assert [] == [c for r in written for c in r if starts_a_formula(c)]
    back = read_rows(rejects)[1]
    assert row[header.index("姓名")] in back
    assert "+86 13812345678" in back


# --- .xlsx: typed text, never a formula ----------------------------------------------------


def test_xlsx_text_that_starts_like_a_formula_is_a_text_cell(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    texts = [t for t in FORMULAS if not t.startswith(("\t", "\r"))] + ["'=1+1"]
    write_table(path, ["=表头", "金额"], [[t, Decimal("-3.50")] for t in texts])

    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    cells = [(c.value, c.data_type) for row in sheet.iter_rows() for c in row]
    assert [("=表头", "s"), ("金额", "s")] == cells[:2]
    assert [(t, "s") for t in texts] == cells[2::2]
    assert {"n"} == {kind for _, kind in cells[3::2]}
    with zipfile.ZipFile(path) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
    assert [("=表头", "金额"), *((t, -3.5) for t in texts)] == read_rows(path)


def test_a_workbook_of_several_sheets_holds_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_workbook(path, {"一": (["备注"], [["=1+1"]]), "二": (["备注"], [["@x"]])})

    book = openpyxl.load_workbook(path)
    assert [("=1+1", "s"), ("@x", "s")] == [
        (book[title]["A2"].value, book[title]["A2"].data_type) for title in ("一", "二")
    ]


# --- reports -------------------------------------------------------------------------------


def test_a_report_csv_quotes_text_and_headers_but_not_numbers() -> None:
    name = '=HYPERLINK("http://example.invalid")'
    top = Division(code=DivisionCode("450312"), name=name)
    town = Division(code=DivisionCode("450312100"), name="@镇")
    tree = DivisionTree([top, town], root="450312")
    columns = [
        Column(key="-change", label="+change", label_zh="=变化", kind=FigureKind.COUNT),
        Column(key="amount", label="amount", label_zh="金额", kind=FigureKind.MONEY),
    ]
    own: dict[str, list[int | Decimal]] = {town.code.value: [-3, Decimal("-12.50")]}
    report = build_report(
        tree,
        own,
        kind="test",
        title="test",
        title_zh="测试",
        columns=columns,
        as_of=dt.date(2021, 1, 6),
    )
    english, chinese = io.StringIO(), io.StringIO()
    report.to_csv(english)
    report.to_csv(chinese, chinese_headers=True)

    rows = list(csv.reader(io.StringIO(english.getvalue())))
    assert ["code", "name", "level", "depth", "'-change", "amount"] == rows[0]
    assert ["450312000000", "'" + name, "3", "0", "-3"] == rows[1][:5]
    assert "-12.50" == rows[1][5]
    assert "'@镇" == rows[2][1]
    assert "'=变化" == next(csv.reader(io.StringIO(chinese.getvalue())))[4]
