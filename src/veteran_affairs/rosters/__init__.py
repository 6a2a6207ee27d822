"""Rosters (花名册): read veterans from CSV or Excel files, every problem reported at once.

A county office keeps its veterans in a spreadsheet with Chinese column headers (姓名,
公民身份号码, 入伍时间, 退役方式, 户籍地 …). :func:`read_roster` reads one — ``.csv`` in UTF-8
(with or without a byte-order mark) or GB18030, or ``.xlsx`` through openpyxl (the ``excel``
extra) — and checks every cell of every row with the models' own rules. It never raises for
a bad row: the :class:`RosterResult` holds the valid rows as
:class:`~veteran_affairs.models.Veteran` values and a :class:`RowError` for every bad field
(row number, column, masked value, reason in English and Chinese).
:meth:`RosterResult.raise_if_invalid` turns them into one :class:`RosterInvalid`;
:func:`write_rejects` hands the bad rows back to the office as a CSV file to correct.

The other way, :func:`write_table` writes any table — an export built with
:func:`roster_row`, decisions, a calendar — as CSV in UTF-8 with a byte-order mark (so that
Excel shows the Chinese) or as ``.xlsx`` with typed cells: numbers as numbers, amounts
(``Decimal``) as numbers with the format ``0.00``, dates as date cells, and identity
numbers, codes and phone numbers as text. :func:`write_csv` writes the same CSV to an open
stream, without the byte-order mark.

Which header means which field is a :class:`ColumnMap` (:data:`DEFAULT_COLUMNS`, extendable
with :func:`load_column_map`). ``docs/howto-import-roster.md`` has the table of headers and
accepted values, the encodings and the error report.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> header, rows, planted = synthetic_roster(5, seed=1, errors=1)
>>> write_table(folder / "roster.csv", header, rows)
5
>>> result = read_roster(folder / "roster.csv")
>>> result
RosterResult(source='.../roster.csv', rows_read=5, valid=4, errors=1, rejected_rows=1)
>>> result.rejected_rows == tuple(planted)
True
>>> print(result.errors[0])
row ..., 公民身份号码='450...': check character does not match (校验码不符)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.people import Veteran
from veteran_affairs.rosters import _reader, _synthetic
from veteran_affairs.rosters._columns import (
    DEFAULT_COLUMNS,
    FIELDS,
    PERSONAL_FIELDS,
    REQUIRED_FIELDS,
    ROSTER_HEADER,
    ColumnMap,
    load_column_map,
)
from veteran_affairs.rosters._files import write_csv, write_rejects, write_table
from veteran_affairs.rosters._result import (
    Cell,
    ExcelUnavailable,
    RejectedRow,
    RosterInvalid,
    RosterResult,
    RosterRow,
    RosterUnreadable,
    RowError,
)

__all__ = [
    "DEFAULT_COLUMNS",
    "FIELDS",
    "PERSONAL_FIELDS",
    "REQUIRED_FIELDS",
    "ROSTER_HEADER",
    "Cell",
    "ColumnMap",
    "ExcelUnavailable",
    "RejectedRow",
    "RosterInvalid",
    "RosterResult",
    "RosterRow",
    "RosterUnreadable",
    "RowError",
    "load_column_map",
    "read_roster",
    "roster_cells",
    "roster_row",
    "synthetic_roster",
    "write_csv",
    "write_rejects",
    "write_table",
]


def __dir__() -> list[str]:
    return __all__


def read_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap = DEFAULT_COLUMNS,
    *,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterResult:
    """Read a roster (花名册) and check every row; bad rows are collected, never raised.

    The first row is the header; each later row that is not entirely blank is a veteran.
    Cells lose their surrounding blanks. A required column missing from the header (or two
    columns for one field) is a :class:`RowError` of row 1, and then no row is read. In a
    row, every bad field gives its own error; a row whose cells are all good is built into
    a :class:`~veteran_affairs.models.Veteran`, whose own checks (sex and birth date against
    the identity number, discharge mode allowed for the personnel type, dates in order, not
    in the future …) are reported against the column at fault. An identity number seen in
    an earlier row is an error of the later row.

    Args:
        path: a ``.csv`` file (UTF-8, UTF-8 with BOM, or GB18030) or an ``.xlsx`` workbook.
        columns: which header means which field; :data:`DEFAULT_COLUMNS` unless given.
        within: where a 户籍地 given by name is looked up (a name must match exactly one
            county- or township-level unit there); the whole bundled data if ``None``.
        sheet: the worksheet of an ``.xlsx`` file; the first one if ``None``.

    Returns:
        The valid rows, every error, and the rejected rows with their cells.

    Raises:
        RosterUnreadable: not a ``.csv``/``.xlsx`` file, not text in UTF-8 or GB18030,
            malformed CSV, or not a readable workbook (a ``ValueError``).
        ExcelUnavailable: an ``.xlsx`` file without openpyxl (an ``ImportError``).
        OSError: the file cannot be opened.
        InvalidDivisionCode: ``within`` is not a division code.
        UnknownDivision: ``within`` is not in the bundled division data (a ``LookupError``).
    """
    return _reader.read_roster(path, columns, within=within, sheet=sheet)


def roster_cells(veteran: Veteran, *, personal: bool = False) -> list[str]:
    """A veteran as one roster row under :data:`ROSTER_HEADER` (for exports).

    Dates are ISO text, 户籍地 the code at its natural length, choices their Chinese labels:
    :func:`read_roster` reads the row back to an equal veteran when ``personal`` is true.

    Args:
        veteran: the veteran.
        personal: write the full identity number, name and phone; masked if false.

    Returns:
        One text cell per column of :data:`ROSTER_HEADER`; blank cells are ``""``.
    """
    return _synthetic.roster_cells(veteran, personal=personal)


def roster_row(veteran: Veteran, *, personal: bool = False) -> list[str | dt.date]:
    """A veteran as one typed roster row under :data:`ROSTER_HEADER` (what ``export`` writes).

    The cells of :func:`roster_cells`, except that the four dates (出生日期, 入伍时间,
    退役时间, 评残时间) are :class:`datetime.date` values, so that :func:`write_table` makes
    them date cells in a workbook (ISO text in a CSV file). Everything else stays text:
    identity number, phone and 户籍地 are codes, and 伤残等级 keeps its label (``五级``).
    :func:`read_roster` reads the row back to an equal veteran when ``personal`` is true.

    Args:
        veteran: the veteran.
        personal: write the full identity number, name and phone; masked if false.

    Returns:
        One cell per column of :data:`ROSTER_HEADER`; blank cells are ``""``.
    """
    return _synthetic.roster_row(veteran, personal=personal)


def synthetic_roster(
    n: int, *, seed: int, errors: int = 0
) -> tuple[tuple[str, ...], list[list[str]], Mapping[int, str]]:
    """A **synthetic** roster of ``n`` veterans in Guangxi, ``errors`` rows with one error each.

    The data are made up (合成数据): names start with 合成, phone numbers have the area code
    0000, identity numbers are valid in form only, and a last column, 备注, says
    ``合成数据 SYNTHETIC`` on every row. Dates are written in the four text forms in turn;
    户籍地 is a 9-digit township code, sometimes the 12-digit form or a county's name. The
    planted errors cycle through: a wrong check character, a birth date disagreeing with
    the identity number, an unknown 退役方式, a 退役时间 in the future, a blank 姓名, an
    unknown 户籍地, an identity number repeating an earlier row's, and an 入伍时间 that is no
    real day. The first data row is never planted. The same arguments give the same roster.

    Args:
        n: the number of data rows.
        seed: the seed of every draw.
        errors: how many rows get an error, ``0 <= errors < n`` (or 0 when ``n`` is 0).

    Returns:
        ``(header, rows, planted)``: the header (:data:`ROSTER_HEADER` plus 备注), the rows
        as text cells, and the planted rows as spreadsheet row number (header = 1) → the
        header of the column the error is in.

    Raises:
        ValueError: a negative ``n`` or ``errors``, or ``errors >= n``.
    """
    return _synthetic.synthetic_roster(n, seed=seed, errors=errors)
