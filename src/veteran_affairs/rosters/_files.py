"""Bytes to rows and rows to bytes: CSV and ``.xlsx`` (private engine of ``rosters``).

CSV is read as UTF-8 (with or without a byte-order mark) and, failing that, as GB18030 (which
includes GBK and GB2312, what Excel saves on a Chinese Windows). ``.xlsx`` goes through
openpyxl, imported only when needed (the ``excel`` extra).

No written cell is ever run as a formula by a spreadsheet (CSV injection): CSV text that
starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``'`` is written after a
``'``, which the CSV reader takes off again; ``.xlsx`` text is typed text.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import math
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from veteran_affairs.errors import InvalidValue
from veteran_affairs.rosters._cells import as_text, mask, quote_formula, unquote_formula
from veteran_affairs.rosters._result import (
    Cell,
    ExcelUnavailable,
    RejectedRow,
    RosterResult,
    RosterUnreadable,
    RowError,
)
from veteran_affairs.rosters._roster_columns import DEFAULT_COLUMNS, PERSONAL_FIELDS, ColumnMap

RawRows = Iterator[tuple[Cell, ...]]


def suffix_of(path: str | os.PathLike[str]) -> str:
    return os.path.splitext(os.fspath(path))[1].lower()


def read_rows(path: str | os.PathLike[str], sheet: str | None = None) -> list[tuple[Cell, ...]]:
    """Every row of the file, header first, each a tuple of cells (:func:`iter_rows`, listed).

    Raises:
        RosterUnreadable: not a CSV or ``.xlsx`` file this can read.
        ExcelUnavailable: an ``.xlsx`` file without openpyxl installed.
        OSError: the file cannot be opened.
    """
    return list(iter_rows(path, sheet))


def iter_rows(path: str | os.PathLike[str], sheet: str | None = None) -> RawRows:
    """The rows of the file, header first, read as they are needed (bounded memory).

    A CSV file is read twice: once, in blocks, to choose its encoding (UTF-8, else GB18030),
    then row by row; so a file that turns out not to be text fails before any row is given.
    A malformed CSV row (an unclosed quote) fails when it is reached. An ``.xlsx`` workbook
    is read in openpyxl's read-only (streaming) mode and closed when the rows are done.

    Raises:
        RosterUnreadable: not a CSV or ``.xlsx`` file this can read.
        ExcelUnavailable: an ``.xlsx`` file without openpyxl installed.
        OSError: the file cannot be opened.
    """
    where = os.fspath(path)
    suffix = suffix_of(path)
    if suffix == ".csv":
        return _csv_rows(where, _encoding(where))
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


def sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """The worksheet names of an ``.xlsx`` workbook, in order.

    Raises:
        RosterUnreadable: not a readable ``.xlsx`` workbook.
        ExcelUnavailable: openpyxl is not installed.
        OSError: the file cannot be opened.
    """
    where = os.fspath(path)
    with _workbook(where) as book:
        return list(book.sheetnames)


_BLOCK = 1 << 20  # bytes decoded at a time while choosing a CSV file's encoding


def _encoding(where: str) -> str:
    """The encoding a CSV file is read in: ``utf-8-sig`` if it all decodes so, else GB18030."""
    with open(where, "rb") as file:
        head = file.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise RosterUnreadable(
                where,
                "UTF-16 text is not supported: save as CSV UTF-8",
                "不支持UTF-16编码，请另存为“CSV UTF-8”",
            )
        if head.startswith(b"PK\x03\x04"):
            raise RosterUnreadable(
                where,
                "this is a workbook (zip), not CSV text: name it .xlsx",
                "该文件是Excel工作簿而非CSV文本，请改用 .xlsx 扩展名",
            )
        for encoding in ("utf-8-sig", "gb18030"):
            file.seek(0)
            if _decodes(file, encoding):
                return encoding
    raise RosterUnreadable(
        where,
        "not CSV text in UTF-8 or GB18030 (binary data or another encoding)",
        "不是UTF-8或GB18030编码的CSV文本",
    )


def _decodes(file: IO[bytes], encoding: str) -> bool:
    """Whether the whole of ``file`` decodes in ``encoding`` to text without NUL characters."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while block := file.read(_BLOCK):
            if "\x00" in decoder.decode(block):
                return False
        return "\x00" not in decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False


def _csv_rows(where: str, encoding: str) -> RawRows:
    with open(where, encoding=encoding, newline="") as text:
        try:
            for row in csv.reader(text, strict=True):
                yield _unquoted(row)
        except csv.Error as error:
            raise RosterUnreadable(
                where, f"malformed CSV ({error})", "CSV格式错误（引号不配对或单元格过长）"
            ) from None


def _unquoted(row: list[str]) -> tuple[str, ...]:
    """A CSV row with the ``'`` written before formula-like text taken off (:func:`_csv_text`)."""
    if "'" not in "".join(row):
        return tuple(row)  # no apostrophe anywhere: the common case, checked at C speed
    return tuple(unquote_formula(cell) for cell in row)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ExcelUnavailable() from None
    return openpyxl


def _open_workbook(where: str) -> Any:
    """An ``.xlsx`` workbook opened read-only (streaming); the caller closes it."""
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            return openpyxl.load_workbook(where, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise _not_a_workbook(where, error) from error


@contextlib.contextmanager
def _workbook(where: str) -> Iterator[Any]:
    book = _open_workbook(where)
    try:
        yield book
    finally:
        book.close()


def _not_a_workbook(where: str, error: Exception) -> RosterUnreadable:
    return RosterUnreadable(
        where,
        f"not a readable .xlsx workbook ({type(error).__name__})",
        "不是可读取的 .xlsx 工作簿",
    )


def _xlsx_rows(where: str, sheet: str | None) -> RawRows:
    # The workbook is opened and the sheet found before the first row is asked for, so that
    # a file that is no workbook, or lacks the sheet, fails at once (as a CSV file in no
    # known encoding does); the generator closes the workbook when its rows are done.
    book = _open_workbook(where)
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise RosterUnreadable(where, f"no sheet named {sheet!r}", "找不到该工作表")
    except BaseException:
        book.close()
        raise
    return _sheet_rows(where, book, worksheet)


def _sheet_rows(where: str, book: Any, worksheet: Any) -> RawRows:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for row in worksheet.iter_rows(values_only=True):
                yield tuple(_cell(v) for v in row)
    except (RosterUnreadable, OSError):
        raise
    except Exception as error:  # a damaged sheet part
        raise _not_a_workbook(where, error) from error
    finally:
        book.close()


def _cell(value: object) -> Cell:
    if value is None or isinstance(
        value, str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta
    ):
        return value
    return str(value)


# --- writing ---------------------------------------------------------------------------------

Writable = str | int | float | bool | Decimal | dt.datetime | dt.date | dt.time | None

EXCEL_DIGITS = 15
"""Significant digits an Excel number keeps (an IEEE double, shown to 15 digits)."""

AMOUNT_FORMAT = "0.00"
"""The number format of a ``Decimal`` cell: yuan with both fen digits shown (金额格式)."""

DATE_FORMAT = "yyyy-mm-dd"
"""The number format of a date cell."""


def _plain_text(value: object) -> str:
    """A cell's text before any quoting: numbers exact, dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # exact, never an exponent: "96970.00", not "9.697E+4"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _csv_text(value: object) -> str:
    """A cell as CSV text, never read as a formula (OWASP: CSV injection, CSV注入).

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or with
    ``'``) gets a leading ``'`` (:func:`~veteran_affairs.rosters._cells.quote_formula`); a
    finite number is written as the number it is, so ``Decimal("-3.50")`` stays ``-3.50``.
    """
    text = _plain_text(value)
    if isinstance(value, int | float | Decimal) and _finite(value):
        return text
    return quote_formula(text)


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, int):
        return True
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _write_csv_rows(writer: Any, header: Sequence[str], rows: Iterable[Sequence[Writable]]) -> int:
    writer.writerow([_csv_text(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
        count += 1
    return count


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Writable]]) -> int:
    """Write a table as CSV to an open text stream (``sys.stdout``, a pipe), without a BOM.

    The cells are written as :func:`write_table` writes them to a ``.csv`` file (formula-like
    text quoted with ``'``); lines end in ``\\n``. No byte-order mark is written: a stream is read by programs, which a BOM
    would confuse, not opened by Excel (write a file for that).

    Args:
        out: the stream, opened for text.
        header: the header row.
        rows: the data rows.

    Returns:
        How many data rows were written.
    """
    return _write_csv_rows(csv.writer(out, lineterminator="\n"), header, rows)


def write_table(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Writable]],
) -> int:
    """Write a table to CSV (UTF-8 with BOM, which Excel opens) or ``.xlsx``, by suffix.

    Cells are written by their Python type, so the caller decides what is text:

    ======================  ===================================  ============================
    value                   ``.xlsx`` cell                        ``.csv`` text
    ======================  ===================================  ============================
    ``str``                 text, always (``0450…`` keeps its    as it is, with ``'`` before
                            zero, ``=…`` is never a formula)     text that starts like a
                                                                 formula (see below)
    ``int``, ``float``      number                               ``str(value)``
    ``Decimal``             number, format ``0.00``              exact (``format(v, "f")``)
    ``date``                date cell, format ``yyyy-mm-dd``     ``2021-01-06``
    ``datetime``, ``time``  date/time cell                       ISO 8601
    ``bool``                boolean                              ``True``/``False``
    ``None``                empty                                empty
    ======================  ===================================  ============================

    No cell of either format is ever read as a formula (CSV injection, CSV注入). An
    ``.xlsx`` text cell is typed text, whatever it starts with. CSV has no types, so a text
    cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — the
    characters that make Excel, WPS or LibreOffice evaluate it — is written with a leading
    ``'`` (``+8613812345678`` → ``'+8613812345678``), as OWASP recommends; so is text already
    starting with ``'``. Numbers are not text and are never quoted: ``Decimal("-3.50")``
    stays ``-3.50``. The roster reader takes that ``'`` off again, so a written CSV roster
    reads back to the same text (it also leaves ``'abc`` as it is).

    Identity numbers, division codes and phone numbers must be given as ``str``: they are
    codes, not quantities. A ``Decimal`` becomes an Excel number — an IEEE double, which
    Excel shows to 15 significant digits — so every amount of at most 15 significant digits
    (any amount below 10¹³ yuan, to the fen) reads back exactly; one with more digits, or
    NaN or infinity, is written as text rather than rounded. An ``int`` of more than 15
    digits is text too. A ``Decimal`` with more than two decimal places shows them all.

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
        with open(path, "w", encoding="utf-8-sig", newline="") as file:
            return _write_csv_rows(csv.writer(file), header, rows)
    if suffix == ".xlsx":
        return _write_xlsx(path, header, rows)
    raise InvalidValue("path", os.fspath(path), "must end in .csv or .xlsx", "须为 .csv 或 .xlsx")


def _digits(value: Decimal) -> int:
    """Significant digits of a finite ``Decimal`` (``Decimal("0.50")`` has 2, ``100`` has 3)."""
    digits = value.as_tuple().digits
    significant = len(digits) - next((i for i, d in enumerate(digits) if d), len(digits))
    return max(significant, 1)


def amount_format(value: Decimal) -> str:
    """The number format showing every decimal of ``value``: ``0.00`` at least (金额格式).

    >>> amount_format(Decimal("8080.83")), amount_format(Decimal("12000")), amount_format(Decimal("0.125"))
    ('0.00', '0.00', '0.00#')
    """
    places = -int(value.as_tuple().exponent)
    return AMOUNT_FORMAT + "#" * max(places - 2, 0)


def excel_value(value: Writable) -> tuple[Writable, str | None]:
    """What a cell holds in ``.xlsx`` and its number format (``None``: the default).

    Text stays text, and a number Excel cannot hold exactly becomes its text.

    >>> excel_value(Decimal("8080.83"))
    (Decimal('8080.83'), '0.00')
    >>> excel_value(Decimal("12345678901234.56"))
    ('12345678901234.56', None)
    >>> excel_value(45031219800101123)
    ('45031219800101123', None)
    >>> excel_value(dt.date(2021, 1, 6))
    (datetime.date(2021, 1, 6), 'yyyy-mm-dd')
    """
    if isinstance(value, Decimal):
        if not value.is_finite() or _digits(value) > EXCEL_DIGITS:
            return _plain_text(value), None
        return value, amount_format(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if len(str(abs(value))) > EXCEL_DIGITS:
            return str(value), None
        return value, None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, DATE_FORMAT
    return value, None


def _write_xlsx(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Writable]]
) -> int:
    return _write_sheets(path, [(None, header, rows)])[0]


def _write_sheets(
    path: str | os.PathLike[str],
    sheets: Sequence[tuple[str | None, Sequence[str], Iterable[Sequence[Writable]]]],
) -> list[int]:
    """Write each ``(title, header, rows)`` as one worksheet; the rows written to each."""
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    def _illegal(value: Writable) -> bool:
        return isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value) is not None

    book = openpyxl.Workbook(write_only=True)
    counts = []
    for title, header, rows in sheets:
        sheet = book.create_sheet() if title is None else book.create_sheet(title)

        def cell(value: Writable, sheet: Any = sheet) -> Any:
            held, number_format = excel_value(value)
            if number_format is None and not (isinstance(held, str) and held.startswith("=")):
                return held  # text, a plain number, a time, a boolean or nothing: as it is
            made = WriteOnlyCell(sheet)
            made.value = held
            if isinstance(held, str):
                made.data_type = "s"  # text stays text: never a formula
            if number_format is not None:
                made.number_format = number_format
            return made

        def line(values: Sequence[Writable], sheet: Any = sheet, cell: Any = cell) -> None:
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
        counts.append(count)
    book.save(os.fspath(path))
    return counts


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Writable]]]],
) -> dict[str, int]:
    """Write several tables to one ``.xlsx`` workbook, one worksheet each, in order.

    Cells are written as :func:`write_table` writes them. Naming the sheets after the kinds
    of roster (退役军人, 遗属, 光荣牌家庭, 帮扶援助) makes a workbook that ``read_workbook``
    reads back sheet by sheet.

    Args:
        path: where to write; must end in ``.xlsx``.
        sheets: worksheet name → (header, rows).

    Returns:
        Worksheet name → how many data rows were written to it.

    Raises:
        InvalidValue: another suffix, no sheet, a sheet name Excel refuses, or text with
            characters a workbook cannot hold (control characters).
        ExcelUnavailable: openpyxl is not installed.
    """
    if suffix_of(path) != ".xlsx":
        raise InvalidValue("path", os.fspath(path), "must end in .xlsx", "须为 .xlsx")
    if not sheets:
        raise InvalidValue("sheets", "{}", "a workbook needs a sheet", "工作簿至少需要一个工作表")
    for title in sheets:
        if not 0 < len(title) <= 31 or any(c in title for c in "[]:*?/\\"):
            raise InvalidValue(
                "sheets",
                title,
                "a sheet name has 1 to 31 characters, none of [ ] : * ? / \\",
                "工作表名称应为1至31个字符，且不含 [ ] : * ? / \\",
            )
    counts = _write_sheets(path, [(title, h, rows) for title, (h, rows) in sheets.items()])
    return dict(zip(sheets, counts, strict=True))


def write_rejects(
    path: str | os.PathLike[str],
    result: RosterResult,
    *,
    mask_personal: bool = False,
    columns: ColumnMap | None = None,
) -> int:
    """Write the rejected rows of ``result`` as CSV (UTF-8 with BOM, so Excel opens it).

    Columns: ``行号`` (the row number in the roster), the roster's own columns with the cells
    as read, and ``错误原因`` (every error of the row, masked, separated by ``；``). The cells
    are kept as the office wrote them by default — the file is the office's own input handed
    back for correction, and holds personal data like the roster itself; ``mask_personal``
    masks the cells of the kind's personal fields (姓名, 公民身份号码, 联系电话, 出生日期 to
    its year, and the other kinds' identity numbers), found through ``columns`` (the kind's
    defaults unless given), and of any other column headed as a veterans' roster heads a
    name, identity number, phone or birth date (a 姓名 column beside a register's 信访人公民身份号码,
    which the register does not read, is masked too).
    Cells are written as :func:`write_table` writes CSV: a cell that starts like a formula
    gets a leading ``'``, which the reader takes off when the corrected file is read again.

    Returns:
        How many rows were written (0 writes a file with the header only).
    """
    header = ["行号", *result.header, "错误原因"]
    mapping = result.kind.columns if columns is None else columns
    personal: dict[int, str] = {}
    for index, text in enumerate(result.header):
        field = mapping.field_of(text)
        if field is not None and field in result.kind.personal_fields:
            personal[index] = field
        elif field is None and DEFAULT_COLUMNS.field_of(text) in PERSONAL_FIELDS:
            personal[index] = DEFAULT_COLUMNS.field_of(text) or ""

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
