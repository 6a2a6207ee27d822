"""Bytes to rows and rows to bytes: CSV and ``.xlsx`` (private engine of ``rosters``).

CSV is read as UTF-8 (with or without a byte-order mark) and, failing that, as GB18030 (which
includes GBK and GB2312, what Excel saves on a Chinese Windows). ``.xlsx`` goes through
openpyxl, imported only when needed (the ``excel`` extra).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from veteran_affairs.errors import InvalidValue
from veteran_affairs.rosters._cells import as_text, mask
from veteran_affairs.rosters._columns import DEFAULT_COLUMNS, PERSONAL_FIELDS, ColumnMap
from veteran_affairs.rosters._result import (
    Cell,
    ExcelUnavailable,
    RejectedRow,
    RosterResult,
    RosterUnreadable,
    RowError,
)

RawRows = Iterator[tuple[Cell, ...]]


def suffix_of(path: str | os.PathLike[str]) -> str:
    return os.path.splitext(os.fspath(path))[1].lower()


def read_rows(path: str | os.PathLike[str], sheet: str | None = None) -> list[tuple[Cell, ...]]:
    """Every row of the file, header first, each a tuple of cells.

    Raises:
        RosterUnreadable: not a CSV or ``.xlsx`` file this can read.
        ExcelUnavailable: an ``.xlsx`` file without openpyxl installed.
        OSError: the file cannot be opened.
    """
    where = os.fspath(path)
    suffix = suffix_of(path)
    if suffix == ".csv":
        with open(path, "rb") as file:
            return _csv_rows(where, file.read())
    if suffix == ".xlsx":
        return _xlsx_rows(where, sheet)
    if suffix in (".xls", ".et", ".wps"):
        raise RosterUnreadable(
            where,
            f"the old {suffix} format is not supported: save the roster as .xlsx or .csv",
            "不支持旧版表格格式，请另存为 .xlsx 或 .csv",
        )
    raise RosterUnreadable(
        where, "a roster must be a .csv or .xlsx file", "花名册须为 .csv 或 .xlsx 文件"
    )


def _decode(where: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterUnreadable(
            where,
            "UTF-16 text is not supported: save as CSV UTF-8",
            "不支持UTF-16编码，请另存为“CSV UTF-8”",
        )
    if data.startswith(b"PK\x03\x04"):
        raise RosterUnreadable(
            where,
            "this is a workbook (zip), not CSV text: name it .xlsx",
            "该文件是Excel工作簿而非CSV文本，请改用 .xlsx 扩展名",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise RosterUnreadable(
        where,
        "not CSV text in UTF-8 or GB18030 (binary data or another encoding)",
        "不是UTF-8或GB18030编码的CSV文本",
    )


def _csv_rows(where: str, data: bytes) -> list[tuple[Cell, ...]]:
    text = _decode(where, data)
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as error:
        raise RosterUnreadable(
            where, f"malformed CSV ({error})", "CSV格式错误（引号不配对或单元格过长）"
        ) from None


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ExcelUnavailable() from None
    return openpyxl


def _xlsx_rows(where: str, sheet: str | None) -> list[tuple[Cell, ...]]:
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(where, read_only=True, data_only=True)
            try:
                if sheet is None:
                    worksheet = book.worksheets[0]
                elif sheet in book.sheetnames:
                    worksheet = book[sheet]
                else:
                    raise RosterUnreadable(where, f"no sheet named {sheet!r}", "找不到该工作表")
                return [
                    tuple(_cell(v) for v in row) for row in worksheet.iter_rows(values_only=True)
                ]
            finally:
                book.close()
    except (RosterUnreadable, OSError):
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise RosterUnreadable(
            where,
            f"not a readable .xlsx workbook ({type(error).__name__})",
            "不是可读取的 .xlsx 工作簿",
        ) from error


def _cell(value: object) -> Cell:
    if value is None or isinstance(
        value, str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta
    ):
        return value
    return str(value)


# --- writing ---------------------------------------------------------------------------------

Writable = str | int | float | bool | Decimal | dt.datetime | dt.date | dt.time | None


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def write_table(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Writable]],
) -> int:
    """Write a table to CSV (UTF-8 with BOM, which Excel opens) or ``.xlsx``, by suffix.

    In ``.xlsx`` output text stays text (an identity number is never turned into a number,
    a cell starting with ``=`` never into a formula) and dates are date cells.

    Args:
        path: where to write; ``.csv`` or ``.xlsx``.
        header: the header row.
        rows: the data rows.

    Returns:
        How many data rows were written.

    Raises:
        InvalidValue: another suffix, or (``.xlsx``) text with characters a workbook cannot
            hold (control characters).
        ExcelUnavailable: ``.xlsx`` without openpyxl installed.
    """
    suffix = suffix_of(path)
    if suffix == ".csv":
        count = 0
        with open(path, "w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_csv_text(v) for v in row])
                count += 1
        return count
    if suffix == ".xlsx":
        return _write_xlsx(path, header, rows)
    raise InvalidValue("path", os.fspath(path), "must end in .csv or .xlsx", "须为 .csv 或 .xlsx")


def _write_xlsx(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Writable]]
) -> int:
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    def _illegal(value: Writable) -> bool:
        return isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value) is not None

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value: Writable) -> Any:
        if isinstance(value, str):
            if not value.startswith("="):
                return value  # plain text: openpyxl keeps it as a text cell
        elif not isinstance(value, dt.date):
            return value
        made = WriteOnlyCell(sheet)
        made.value = value
        if isinstance(value, str):
            made.data_type = "s"  # text stays text: never a formula
        elif not isinstance(value, dt.datetime):
            made.number_format = "yyyy-mm-dd"
        return made

    def line(values: Sequence[Writable]) -> None:
        try:
            sheet.append([cell(v) for v in values])
        except IllegalCharacterError:
            raise InvalidValue(
                "cell",
                next(repr(v)[:48] for v in values if _illegal(v)),
                "has characters an .xlsx cannot hold (control characters)",
                "含无法写入Excel的控制字符",
            ) from None

    line(header)
    count = 0
    for row in rows:
        line(row)
        count += 1
    book.save(os.fspath(path))
    return count


def write_rejects(
    path: str | os.PathLike[str],
    result: RosterResult,
    *,
    mask_personal: bool = False,
    columns: ColumnMap = DEFAULT_COLUMNS,
) -> int:
    """Write the rejected rows of ``result`` as CSV (UTF-8 with BOM, so Excel opens it).

    Columns: ``行号`` (the row number in the roster), the roster's own columns with the cells
    as read, and ``错误原因`` (every error of the row, masked, separated by ``；``). The cells
    are kept as the office wrote them by default — the file is the office's own input handed
    back for correction, and holds personal data like the roster itself; ``mask_personal``
    masks the 姓名, 公民身份号码 and 联系电话 cells (found through ``columns``) instead.

    Returns:
        How many rows were written (0 writes a file with the header only).
    """
    header = ["行号", *result.header, "错误原因"]
    personal: dict[int, str] = {}
    for index, text in enumerate(result.header):
        field = columns.field_of(text)
        if field in PERSONAL_FIELDS:
            personal[index] = field

    def cells_of(reject: RejectedRow) -> list[Writable]:
        width = max(len(result.header), len(reject.cells))
        cells = [*reject.cells, *([None] * (width - len(reject.cells)))]
        texts = [as_text(cell) for cell in cells]
        if mask_personal:
            texts = [mask(personal.get(i), t) for i, t in enumerate(texts)]
        return list(texts)

    def reasons(reject: RejectedRow) -> str:
        return "；".join(_reason(e) for e in reject.errors)

    rows = ([r.row, *cells_of(r), reasons(r)] for r in result.rejects)
    return write_table(path, header, rows)


def _reason(error: RowError) -> str:
    where = "" if error.column is None else f"{error.column}（{error.value or '空'}）："
    return f"{where}{error.reason_zh} / {error.reason}"
