"""Reading rosters (花名册): every bad field reported, the valid rows built, nothing leaked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from veteran_affairs.errors import (
    InvalidDivisionCode,
    InvalidValue,
    UnknownDivision,
    VeteranAffairsError,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import DischargeMode, NcoRank, PersonnelType
from veteran_affairs.rosters import (
    DEFAULT_COLUMNS,
    ROSTER_HEADER,
    ColumnMap,
    ExcelUnavailable,
    RosterInvalid,
    RosterResult,
    RosterUnreadable,
    RowError,
    load_column_map,
    read_roster,
    roster_cells,
    roster_row,
    synthetic_roster,
    write_csv,
    write_rejects,
    write_table,
)

BIG = 10_000
PLANTED = 50


@pytest.fixture(scope="module")
def big_roster() -> tuple[tuple[str, ...], list[list[str]], Mapping[int, str]]:
    return synthetic_roster(BIG, seed=2021, errors=PLANTED)


@pytest.fixture(scope="module")
def clean_roster() -> tuple[tuple[str, ...], list[list[str]], Mapping[int, str]]:
    return synthetic_roster(BIG, seed=2022)


@pytest.fixture(scope="module")
def small() -> tuple[tuple[str, ...], list[list[str]]]:
    header, rows, _ = synthetic_roster(20, seed=5)
    return header, rows


def one_row(folder: Path, changes: Mapping[str, str], *, suffix: str = ".csv") -> RosterResult:
    """A roster of one valid synthetic row with some cells changed (by header), read back."""
    header, rows, _ = synthetic_roster(1, seed=11)
    row = list(rows[0])
    for column, value in changes.items():
        row[header.index(column)] = value
    path = folder / f"one{suffix}"
    write_table(path, header, [row])
    return read_roster(path)


def columns_of(result: RosterResult) -> list[str | None]:
    return [e.column for e in result.errors]


# --- the 10,000-row roster --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_large_roster_reports_exactly_the_planted_rows_each_in_its_column(
    tmp_path: Path,
    big_roster: tuple[tuple[str, ...], list[list[str]], Mapping[int, str]],
    suffix: str,
) -> None:
    header, rows, planted = big_roster
    path = tmp_path / f"roster{suffix}"
    write_table(path, header, rows)

    result = read_roster(path)

    assert PLANTED == len(planted)
    assert tuple(sorted(planted)) == result.rejected_rows
    assert dict(planted) == {e.row: e.column for e in result.errors}
    assert PLANTED == len(result.errors)
    assert (BIG, BIG - PLANTED) == (result.rows_read, len(result.rows))
    assert not result.ok


def test_a_large_roster_without_errors_gives_every_row(
    tmp_path: Path,
    clean_roster: tuple[tuple[str, ...], list[list[str]], Mapping[int, str]],
) -> None:
    header, rows, _ = clean_roster
    path = tmp_path / "roster.csv"
    write_table(path, header, rows)

    result = read_roster(path)

    assert (True, BIG, BIG) == (result.ok, result.rows_read, len(result.rows))
    assert list(range(2, BIG + 2)) == [r.row for r in result.rows]
    assert len(result.veterans) == len({v.resident_id for v in result.veterans})
    result.raise_if_invalid()  # does not raise


def test_the_synthetic_roster_is_labelled_and_reproducible() -> None:
    header, rows, planted = synthetic_roster(30, seed=4, errors=5)

    assert (header, rows, planted) == synthetic_roster(30, seed=4, errors=5)
    assert "备注" == header[-1]
    assert all(row[-1] == "合成数据 SYNTHETIC" and row[0].startswith("合成") for row in rows[:3])
    assert 2 not in planted


def test_the_synthetic_roster_refuses_more_errors_than_rows() -> None:
    with pytest.raises(ValueError, match="errors"):
        synthetic_roster(3, seed=1, errors=3)


# --- encodings and cell forms -------------------------------------------------------------------


def test_utf8_with_and_without_bom_and_gb18030_read_the_same(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    results = []
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        path = tmp_path / f"{encoding}.csv"
        with open(path, "w", encoding=encoding, newline="") as file:
            csv.writer(file).writerows([header, *rows])
        results.append(read_roster(path))

    assert all(r.ok for r in results)
    assert results[0].veterans == results[1].veterans == results[2].veterans
    assert 20 == len(results[0].veterans)


def test_excel_date_cells_and_numbers_are_read(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(1, seed=11)
    expected = read_roster(_written(tmp_path / "text.csv", header, rows)).veterans[0]
    cells: list[object] = list(rows[0])
    service, person = expected.service, expected.person
    cells[header.index("出生日期")] = dt.datetime.combine(person.birth_date, dt.time())
    cells[header.index("入伍时间")] = service.enlisted_on
    assert service.discharged_on is not None
    cells[header.index("退役时间")] = int(service.discharged_on.strftime("%Y%m%d"))
    cells[header.index("户籍地")] = int(person.hukou_division.short)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    sheet.append(cells)
    path = tmp_path / "dates.xlsx"
    book.save(path)

    result = read_roster(path)

    assert (expected,) == result.veterans


@pytest.mark.parametrize(
    "text",
    ["2021-01-06", "2021/1/6", "2021.1.6", "2021年1月6日", "20210106", "２０２１－０１－０６"],
)
def test_common_date_forms_are_accepted(tmp_path: Path, text: str) -> None:
    result = one_row(tmp_path, {"退役时间": text, "伤残等级": "", "伤残性质": "", "评残时间": ""})

    assert [] == columns_of(result)
    assert dt.date(2021, 1, 6) == result.veterans[0].service.discharged_on


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021年1月", "a full date is needed"),
        ("2021-02-30", "not a real calendar day"),
        ("昨天", "not a date"),
    ],
)
def test_a_bad_date_says_why(tmp_path: Path, text: str, reason: str) -> None:
    result = one_row(tmp_path, {"入伍时间": text})

    assert ["入伍时间"] == columns_of(result)
    assert result.errors[0].reason.startswith(reason)


def test_an_identity_number_stored_as_an_excel_number_is_explained(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(1, seed=11)
    cells: list[object] = list(rows[0])
    cells[1] = float(rows[0][1][:17])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    sheet.append(cells)
    path = tmp_path / "number.xlsx"
    book.save(path)

    result = read_roster(path)

    assert ["公民身份号码"] == columns_of(result)
    assert "format the column as text" in result.errors[0].reason


# --- headers and the column map -------------------------------------------------------------------


def test_a_missing_required_column_is_one_error_of_row_1_per_column(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    keep = [i for i, h in enumerate(header) if h not in ("公民身份号码", "退役方式")]
    path = tmp_path / "missing.csv"
    write_table(path, [header[i] for i in keep], [[row[i] for i in keep] for row in rows])

    result = read_roster(path)

    assert [(1, "公民身份号码"), (1, "退役方式")] == [(e.row, e.column) for e in result.errors]
    assert ((1,), 0, ()) == (result.rejected_rows, result.rows_read, result.rows)


def test_two_columns_for_one_field_are_an_error_of_the_header(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    path = _written(tmp_path / "twice.csv", [*header, "身份证号"], [[*r, r[1]] for r in rows])

    result = read_roster(path)

    assert [(1, "身份证号")] == [(e.row, e.column) for e in result.errors]


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    result = read_roster(path)

    assert [(1, None)] == [(e.row, e.column) for e in result.errors]


def test_a_column_map_from_toml_renames_the_headers(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    mapping = tmp_path / "columns.toml"
    mapping.write_text('[columns]\n"证件号码" = "resident_id"\n"安置去向" = "discharge_mode"\n')
    renamed = [{"公民身份号码": "证件号码", "退役方式": "安置去向"}.get(h, h) for h in header]
    path = _written(tmp_path / "renamed.csv", renamed, rows)
    columns = load_column_map(mapping)

    result = read_roster(path, columns)

    assert (True, 20) == (result.ok, len(result.rows))
    assert "证件号码" == columns.header_of("resident_id")
    assert ["公民身份号码", "退役方式"] == [e.column for e in read_roster(path).errors]


def test_errors_name_the_header_the_roster_uses(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(1, seed=11)
    renamed = ["身份证号" if h == "公民身份号码" else h for h in header]
    row = list(rows[0])
    row[1] = row[1][:-1] + ("1" if row[1][-1] != "1" else "2")

    result = read_roster(_written(tmp_path / "alias.csv", renamed, [row]))

    assert ["身份证号"] == columns_of(result)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[columns]\n'姓名' = 'surname'\n", "unknown field"),
        ("columns = 1\n", "[columns]"),
        ("[columns\n", "not a UTF-8 TOML file"),
    ],
)
def test_a_bad_column_map_is_refused(tmp_path: Path, text: str, reason: str) -> None:
    mapping = tmp_path / "columns.toml"
    mapping.write_text(text)

    with pytest.raises(InvalidValue) as raised:
        load_column_map(mapping)

    assert reason in raised.value.reason


def test_a_column_map_needs_known_fields_and_non_blank_headers() -> None:
    with pytest.raises(InvalidValue, match="unknown field"):
        ColumnMap(headers={"姓名": "surname"})
    with pytest.raises(InvalidValue, match="non-blank"):
        ColumnMap(headers={" ": "name"})


# --- every bad field, cross-checks and names -------------------------------------------------------


def test_every_bad_field_of_a_row_is_reported(tmp_path: Path) -> None:
    result = one_row(
        tmp_path,
        {"姓名": "", "入伍时间": "someday", "退役方式": "离休", "户口性质": "外星", "性别": "X"},
    )

    assert ["姓名", "性别", "户口性质", "入伍时间", "退役方式"] == columns_of(result)
    assert (1, 0) == (len(result.rejects), len(result.rows))


def test_sex_and_birth_date_against_the_id_are_both_reported(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(1, seed=11)
    sex = rows[0][header.index("性别")]

    result = one_row(tmp_path, {"性别": "女" if sex == "男" else "男", "出生日期": "1900-01-01"})

    assert ["性别", "出生日期"] == columns_of(result)


def test_a_discharge_mode_the_personnel_type_does_not_allow_names_the_mode(tmp_path: Path) -> None:
    result = one_row(tmp_path, {"人员类别": "义务兵", "士官级别": "", "退役方式": "转业"})

    assert ["退役方式"] == columns_of(result)
    assert "义务兵" in result.errors[0].reason


def test_discharge_before_enlistment_names_the_discharge(tmp_path: Path) -> None:
    result = one_row(tmp_path, {"入伍时间": "2000-01-01", "退役时间": "1999-12-31"})

    assert ["退役时间"] == columns_of(result)


def test_an_nco_band_may_come_with_the_personnel_type(tmp_path: Path) -> None:
    changes = {"人员类别": "初级士官", "士官级别": "", "退役方式": "自主就业"}
    changes |= {"伤残等级": "", "伤残性质": "", "评残时间": ""}
    result = one_row(tmp_path, changes)

    service = result.veterans[0].service
    assert (PersonnelType.NCO, NcoRank.JUNIOR) == (service.personnel_type, service.nco_rank)
    assert DischargeMode.SELF_EMPLOYMENT is service.discharge_mode
    assert ["士官级别"] == columns_of(one_row(tmp_path, changes | {"士官级别": "中级"}))


def test_an_nco_without_a_band_names_the_band_column(tmp_path: Path) -> None:
    result = one_row(tmp_path, {"人员类别": "士官", "士官级别": "", "退役方式": "自主就业"})

    assert ["士官级别"] == columns_of(result)


def test_a_partial_disability_names_the_missing_parts(tmp_path: Path) -> None:
    result = one_row(tmp_path, {"伤残等级": "五级", "伤残性质": "", "评残时间": ""})

    assert ["伤残性质", "评残时间"] == columns_of(result)


def test_a_hukou_is_a_code_or_a_unique_name(tmp_path: Path) -> None:
    assert "450312000000" == _hukou(one_row(tmp_path, {"户籍地": "临桂区"}))
    assert "450312101000" == _hukou(one_row(tmp_path, {"户籍地": "450312101"}))
    assert "450312101201" == _hukou(one_row(tmp_path, {"户籍地": "450312101201"}))
    assert ["户籍地"] == columns_of(one_row(tmp_path, {"户籍地": "太平镇"}))  # five in Guangxi
    assert ["户籍地"] == columns_of(one_row(tmp_path, {"户籍地": "45"}))  # not a county
    assert ["户籍地"] == columns_of(one_row(tmp_path, {"户籍地": "450312999"}))  # no such town


def test_a_name_is_looked_up_within_the_given_unit(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(1, seed=11)
    row = list(rows[0])
    row[header.index("户籍地")] = "太平镇"
    path = _written(tmp_path / "within.csv", header, [row])

    result = read_roster(path, within=DivisionCode("4502"))

    assert "450222102000" == _hukou(result)
    with pytest.raises(InvalidDivisionCode):
        read_roster(path, within="xx")
    with pytest.raises(UnknownDivision):
        read_roster(path, within="450312101201")


def test_a_repeated_identity_number_is_an_error_of_the_later_row(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    path = _written(tmp_path / "dup.csv", header, [rows[0], rows[1], rows[0]])

    result = read_roster(path)

    assert [(4, "公民身份号码")] == [(e.row, e.column) for e in result.errors]
    assert "row 2" in result.errors[0].reason


def test_blank_rows_are_skipped_and_numbers_stay_those_of_the_sheet(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    bad = list(rows[1])
    bad[0] = ""
    path = _written(tmp_path / "blank.csv", header, [rows[0], [""] * len(header), bad])

    result = read_roster(path)

    assert (2, (4,)) == (result.rows_read, result.rejected_rows)


def test_a_veteran_written_with_roster_cells_reads_back_equal(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    veterans = read_roster(_written(tmp_path / "a.csv", header, rows)).veterans

    again = read_roster(
        _written(
            tmp_path / "b.csv", ROSTER_HEADER, [roster_cells(v, personal=True) for v in veterans]
        )
    )

    assert veterans == again.veterans


def test_roster_cells_mask_personal_data_unless_asked(
    small: tuple[tuple[str, ...], list[list[str]]], tmp_path: Path
) -> None:
    header, rows = small
    veteran = read_roster(_written(tmp_path / "a.csv", header, rows)).veterans[0]

    cells = roster_cells(veteran)

    assert veteran.resident_id.masked == cells[1]
    assert veteran.person.name not in cells


# --- errors, masking and the rejects file ---------------------------------------------------------


def test_raise_if_invalid_lists_every_error(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(40, seed=8, errors=8)
    result = read_roster(_written(tmp_path / "r.csv", header, rows))

    with pytest.raises(RosterInvalid) as raised:
        result.raise_if_invalid()

    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, VeteranAffairsError)
    assert result.errors == raised.value.errors
    assert all(str(e) in str(raised.value) for e in result.errors)
    assert "8 error(s) in 8 row(s) of 40 read" in str(raised.value)


def test_no_error_message_shows_an_identity_number_name_or_phone_in_full(tmp_path: Path) -> None:
    header, rows, _ = synthetic_roster(200, seed=9, errors=40)
    for number, row in enumerate(rows):  # make every planted kind also carry personal cells
        if number % 5 == 0:
            row[header.index("联系电话")] = "0000-7654321x"  # not a phone number
            row[header.index("姓名")] = row[0] + "\x01"  # control character
    result = read_roster(_written(tmp_path / "r.csv", header, rows))
    with pytest.raises(RosterInvalid) as raised:
        result.raise_if_invalid()
    shown = "\n".join(
        [str(raised.value), repr(raised.value), repr(result), *map(str, result.errors)]
        + [repr(e) for e in result.errors]
        + [repr(r) for r in (*result.rows, *result.rejects)]
    )

    secrets = {row[i] for row in rows for i in (0, 1, 5) if len(row[i]) > 2}
    assert [] == sorted(s for s in secrets if s in shown)
    assert {"姓名", "联系电话"} <= {e.column for e in result.errors}


def test_the_rejects_file_holds_the_rejected_rows_with_their_reasons(tmp_path: Path) -> None:
    header, rows, planted = synthetic_roster(60, seed=3, errors=10)
    result = read_roster(_written(tmp_path / "r.csv", header, rows))
    rejects = tmp_path / "rejects.csv"

    assert 10 == write_rejects(rejects, result)

    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(rejects, encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert ["行号", *header, "错误原因"] == table[0]
    assert sorted(planted) == [int(r[0]) for r in table[1:]]
    assert [rows[n - 2] for n in sorted(planted)] == [r[1:-1] for r in table[1:]]
    assert all(planted[int(r[0])] in r[-1] for r in table[1:])
    ids = {row[1] for row in rows}
    assert [] == [r[-1] for r in table[1:] if any(i in r[-1] for i in ids)]


def test_the_rejects_file_can_mask_the_personal_cells(tmp_path: Path) -> None:
    header, rows, planted = synthetic_roster(20, seed=3, errors=4)
    result = read_roster(_written(tmp_path / "r.csv", header, rows))
    rejects = tmp_path / "rejects.csv"

    write_rejects(rejects, result, mask_personal=True)

    text = rejects.read_text(encoding="utf-8-sig")
    assert [] == [n for n in sorted(planted) if rows[n - 2][1] in text]
    assert 5 == len(text.splitlines())
    # The birth date is the part of the ID the mask hides: only its year is written.
    born = header.index("出生日期")
    with open(rejects, encoding="utf-8-sig", newline="") as file:
        written = [r[1 + born] for r in list(csv.reader(file))[1:]]
    given = [rows[n - 2][born] for n in sorted(planted)]
    assert [d[:4] for d in given] == [w[:4] for w in written]
    assert [] == [w for w in written if any(c.isdigit() for c in w[4:])]


def test_row_errors_and_roster_errors_survive_pickling() -> None:
    error = RowError(row=3, column="姓名", value="韦*", reason="r", reason_zh="z")
    invalid = RosterInvalid("r.csv", (error,), 5)
    unreadable = RosterUnreadable("r.csv", "bad", "坏")

    assert error == pickle.loads(pickle.dumps(error))
    assert str(invalid) == str(pickle.loads(pickle.dumps(invalid)))
    assert str(unreadable) == str(pickle.loads(pickle.dumps(unreadable)))
    assert str(ExcelUnavailable()) == str(pickle.loads(pickle.dumps(ExcelUnavailable())))


# --- unreadable files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("r.txt", b"x", "must be a .csv or .xlsx"),
        ("r.xls", b"x", "old .xls format"),
        ("r.csv", "姓名".encode("utf-16"), "UTF-16"),
        ("r.csv", b"PK\x03\x04rest", "name it .xlsx"),
        ("r.csv", b"\x00\x01\x02\xff\xfe\xfa", "not CSV text"),
        ("r.csv", b'"' + b"x" * 200_000, "malformed CSV"),
        ("r.xlsx", b"not a zip at all", "not a readable .xlsx"),
        ("r.xlsx", "姓名,公民身份号码\n".encode(), "not a readable .xlsx"),
    ],
)
def test_a_file_that_is_no_roster_is_unreadable(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(RosterUnreadable) as raised:
        read_roster(path)

    assert reason in raised.value.reason
    assert isinstance(raised.value, ValueError)


def test_a_workbook_without_openpyxl_asks_for_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)

    with pytest.raises(ExcelUnavailable, match=r"veteran_affairs\[excel\]"):
        read_roster(tmp_path / "r.xlsx")
    with pytest.raises(ImportError):
        write_table(tmp_path / "r.xlsx", ["a"], [])


# --- writing tables -------------------------------------------------------------------------------


def test_an_xlsx_table_keeps_text_as_text_and_dates_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"

    write_table(
        path, ["号码", "公式", "日期"], [["450312198001011234", "=1+1", dt.date(2021, 1, 6)]]
    )

    sheet = openpyxl.load_workbook(path).worksheets[0]
    values = [c.value for c in sheet[2]]
    assert ["450312198001011234", "=1+1", dt.datetime(2021, 1, 6)] == values
    assert ["s", "s", "d"] == [c.data_type for c in sheet[2]]


AMOUNTS = [
    "0.01",
    "0.10",
    "5.55",
    "8080.83",
    "-123.45",
    "96970",
    "1800.5",
    "0.125",
    "1234567890123.45",
    "9999999999999.99",
    "1E+3",
]


def test_an_xlsx_table_writes_amounts_as_numbers_that_keep_every_fen(tmp_path: Path) -> None:
    path = tmp_path / "amounts.xlsx"
    amounts = [Decimal(text) for text in AMOUNTS]

    write_table(path, ["金额"], [[amount] for amount in amounts])

    cells = [row[0] for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2)]
    assert {"n"} == {cell.data_type for cell in cells}
    assert amounts == [Decimal(repr(cell.value)) for cell in cells]
    formats = [cell.number_format for cell in cells]
    assert ["0.00"] * 7 + ["0.00#"] + ["0.00"] * 3 == formats


def test_an_xlsx_table_writes_what_a_number_cell_would_lose_as_text(tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    row: list[Decimal | int] = [
        Decimal("12345678901234.56"),
        Decimal("NaN"),
        450312198001011234,
        123456789012345,
    ]

    write_table(path, ["a", "b", "c", "d"], [row])

    cells = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2))
    values = [(cell.value, cell.data_type) for cell in cells]
    assert [
        ("12345678901234.56", "s"),
        ("NaN", "s"),
        ("450312198001011234", "s"),
        (123456789012345, "n"),
    ] == values


def test_an_xlsx_table_writes_numbers_booleans_and_blanks_by_type(tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"

    write_table(path, ["int", "float", "bool", "none", "code"], [[7, 0.25, True, None, "0771"]])

    cells = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2))
    assert [7, 0.25, True, None, "0771"] == [cell.value for cell in cells]
    assert ["n", "n", "b", "n", "s"] == [cell.data_type for cell in cells]


def test_a_csv_table_writes_amounts_exactly_and_starts_with_a_byte_order_mark(
    tmp_path: Path,
) -> None:
    path = tmp_path / "amounts.csv"

    write_table(path, ["金额", "日期"], [[Decimal(t), dt.date(2021, 1, 6)] for t in AMOUNTS])

    data = path.read_bytes()
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert data.startswith(b"\xef\xbb\xbf")
    assert ["金额", "日期"] == rows[0]
    assert [format(Decimal(t), "f") for t in AMOUNTS] == [row[0] for row in rows[1:]]
    assert "1000" == rows[-1][0]  # never an exponent
    assert {"2021-01-06"} == {row[1] for row in rows[1:]}


def test_csv_to_a_stream_has_no_byte_order_mark_and_the_same_cells() -> None:
    stream = io.StringIO()

    written = write_csv(stream, ["金额", "日期"], [[Decimal("8080.83"), dt.date(2021, 1, 6)]])

    assert 1 == written
    assert "金额,日期\n8080.83,2021-01-06\n" == stream.getvalue()


def test_a_typed_roster_row_has_dates_and_reads_back_equal_from_a_workbook(
    tmp_path: Path, small: tuple[tuple[str, ...], list[list[str]]]
) -> None:
    header, rows = small
    veterans = read_roster(_written(tmp_path / "a.csv", header, rows)).veterans
    typed = [roster_row(v, personal=True) for v in veterans]
    path = tmp_path / "typed.xlsx"

    write_table(path, ROSTER_HEADER, typed)

    assert all(isinstance(row[ROSTER_HEADER.index("入伍时间")], dt.date) for row in typed)
    assert [roster_cells(v, personal=True) for v in veterans] == [
        [c.isoformat() if isinstance(c, dt.date) else c for c in row] for row in typed
    ]
    assert veterans == read_roster(path).veterans
    assert veterans[0].resident_id.masked == roster_row(veterans[0])[1]


def test_a_table_needs_a_known_suffix(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"\.csv or \.xlsx"):
        write_table(tmp_path / "t.ods", ["a"], [])


def test_default_columns_name_every_field_once_canonically() -> None:
    assert ROSTER_HEADER == tuple(DEFAULT_COLUMNS.header_of(f) for f in _fields())


# --- helpers ---------------------------------------------------------------------------------------


def _written(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    write_table(path, header, rows)
    return path


def _hukou(result: RosterResult) -> str:
    assert result.ok, [str(e) for e in result.errors]
    return result.veterans[0].person.hukou_division.value


def _fields() -> tuple[str, ...]:
    from veteran_affairs.rosters import FIELDS

    return FIELDS


def test_a_disability_without_its_nature_column_names_the_missing_column_on_the_row(
    tmp_path: Path,
) -> None:
    header, rows, _ = synthetic_roster(20, seed=5)
    grade, nature = header.index("伤残等级"), header.index("伤残性质")
    disabled = next(row for row in rows if row[grade])
    path = tmp_path / "no-nature.csv"
    write_table(
        path,
        [h for i, h in enumerate(header) if i != nature],
        [[c for i, c in enumerate(disabled) if i != nature]],
    )

    result = read_roster(path)

    assert [(2, None)] == [(e.row, e.column) for e in result.errors]
    assert "no column 伤残性质" in result.errors[0].reason
