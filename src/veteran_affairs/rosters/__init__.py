"""Rosters (花名册): read veterans, survivors, households, cases and casework registers from
CSV or Excel files.

A county office keeps its people and cases in spreadsheets with Chinese column headers
(姓名, 公民身份号码, 入伍时间, 退役方式, 户籍地 …), one sheet or file per kind of roster
(:class:`RosterKind`): veterans (退役军人), survivors (遗属), glory-plaque households
(光荣牌家庭) and hardship-assistance cases (帮扶援助申请) — and the registers of its casework
(业务台账: 信访件, 历史遗留问题, 保险接续, 领导包联, 包联座谈, 村两委成员, 退役安置, 教育培训,
就业情况, 领导接待日, 诉求), whose rows are the records of :mod:`veteran_affairs.casework`, a
record's course held as one date column per step (``RosterKind.casework``). :func:`read_roster` reads one —
``.csv`` in UTF-8 (with or without a byte-order mark) or GB18030, or ``.xlsx`` through
openpyxl (the ``excel`` extra) — and checks every cell of every row with the models' own
rules; :func:`read_workbook` reads every sheet of a workbook, each as its kind.
:func:`iter_roster` is the stream both are built on, one row at a time. A bad row is never
raised: the :class:`RosterResult` holds the valid rows as records
(:class:`~veteran_affairs.models.Veteran`, :class:`~veteran_affairs.models.Survivor`,
:class:`~veteran_affairs.models.PlaqueHousehold`,
:class:`~veteran_affairs.models.AssistanceCase`, or the kind's casework record) and a
:class:`RowError` for every bad field
(row number, column, masked value, reason in English and Chinese).
:meth:`RosterResult.raise_if_invalid` turns them into one :class:`RosterInvalid`;
:func:`write_rejects` hands the bad rows back to the office as a CSV file to correct.

The other way, :func:`write_table` writes any table — an export built with
:func:`roster_row`, decisions, a calendar — as CSV in UTF-8 with a byte-order mark (so that
Excel shows the Chinese) or as ``.xlsx`` with typed cells: numbers as numbers, amounts
(``Decimal``) as numbers with the format ``0.00``, dates as date cells, and identity
numbers, codes and phone numbers as text. :func:`write_workbook` writes several tables as
the sheets of one workbook; :func:`write_csv` writes CSV to an open stream, without the
byte-order mark.

Which header means which field is a :class:`ColumnMap` of one kind (``kind.columns``;
:data:`DEFAULT_COLUMNS` for veterans), extendable with :func:`load_column_map`.
``docs/howto-import-roster.md`` has the tables of headers and accepted values, the sheet
names, the encodings and the error report.

:func:`import_rosters` puts rosters into a store: streamed (bounded memory), checked in
full, and written in one transaction — all or nothing, or the valid rows with
``skip_invalid`` — with ``update=True`` correcting stored records (an update in the audit
log) and a progress callback (:class:`ImportProgress`); a casework register goes into the
repository of its record kind (``uow.records(cls)``).

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
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from decimal import Decimal

from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories import Store
from veteran_affairs.rosters import _load, _reader, _rows, _sample
from veteran_affairs.rosters._cases import ROSTER_ACTOR
from veteran_affairs.rosters._files import write_csv, write_rejects, write_table, write_workbook
from veteran_affairs.rosters._load import (
    PROGRESS_EVERY,
    VERSION_HEADERS,
    ImportProgress,
    ImportResult,
    SourceResult,
)
from veteran_affairs.rosters._reader import RosterStream
from veteran_affairs.rosters._result import (
    Cell,
    ExcelUnavailable,
    RejectedRow,
    RosterInvalid,
    RosterRecord,
    RosterResult,
    RosterRow,
    RosterUnreadable,
    RowError,
)
from veteran_affairs.rosters._roster_columns import (
    DEFAULT_COLUMNS,
    FIELDS,
    PERSONAL_FIELDS,
    REQUIRED_FIELDS,
    ROSTER_HEADER,
    ColumnMap,
    RosterKind,
    detect_kind,
    load_column_map,
    load_column_maps,
)

__all__ = [
    "DEFAULT_COLUMNS",
    "FIELDS",
    "PERSONAL_FIELDS",
    "PROGRESS_EVERY",
    "REQUIRED_FIELDS",
    "ROSTER_ACTOR",
    "ROSTER_HEADER",
    "VERSION_HEADERS",
    "Cell",
    "ColumnMap",
    "ExcelUnavailable",
    "ImportProgress",
    "ImportResult",
    "RejectedRow",
    "RosterInvalid",
    "RosterKind",
    "RosterRecord",
    "RosterResult",
    "RosterRow",
    "RosterStream",
    "RosterUnreadable",
    "RowError",
    "SourceResult",
    "detect_kind",
    "header_of_kind",
    "import_rosters",
    "iter_roster",
    "iter_workbook",
    "load_column_map",
    "load_column_maps",
    "read_roster",
    "read_workbook",
    "roster_cells",
    "roster_row",
    "synthetic_roster",
    "write_csv",
    "write_rejects",
    "write_table",
    "write_workbook",
]


def __dir__() -> list[str]:
    return __all__


def iter_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap | None = None,
    *,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterStream:
    """Read a roster (花名册) one row at a time: the stream :func:`read_roster` collects.

    The header is read at once: it settles the kind of roster — ``kind`` if given, else
    ``columns.kind`` if a map is given, else :func:`detect_kind` of the header, and
    veterans when the header is of no kind — and the column map (``columns``, else the
    kind's defaults). Each later row is read only when the stream is asked for it, checked
    on its own, and given as a :class:`RosterRow` (valid) or a :class:`RejectedRow`; the
    stream holds that row and the keys seen so far (a key — identity number, 户编号 or
    案件编号 — seen in an earlier row is an error of the later row), never the whole file,
    so a roster of a million rows streams in bounded memory.

    A header that no row can be checked against (no header row, a required column missing,
    two columns for one field) gives :attr:`RosterStream.header_errors` (row 1) and no
    rows. Close the stream, or use it in a ``with`` block, to release the file early.

    Args:
        path: a ``.csv`` file (UTF-8, UTF-8 with BOM, or GB18030) or an ``.xlsx`` workbook.
        columns: which header means which field; the kind's defaults unless given.
        kind: the kind of roster; from ``columns`` or the header if ``None``.
        within: where a 户籍地 or 所在地 given by name is looked up (a name must match
            exactly one county- or township-level unit there); the whole bundled data if
            ``None``.
        sheet: the worksheet of an ``.xlsx`` file; the first one if ``None``.

    Returns:
        The stream of rows, in file order.

    Raises:
        RosterUnreadable: not a ``.csv``/``.xlsx`` file, not text in UTF-8 or GB18030,
            malformed CSV (when the bad row is reached), or not a readable workbook (a
            ``ValueError``).
        ExcelUnavailable: an ``.xlsx`` file without openpyxl (an ``ImportError``).
        OSError: the file cannot be opened.
        InvalidValue: ``columns`` is a map of another kind than ``kind``.
        InvalidDivisionCode: ``within`` is not a division code.
        UnknownDivision: ``within`` is not in the bundled division data (a ``LookupError``).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> header, rows, _ = synthetic_roster(3, seed=1)
    >>> _ = write_table(path, header, rows)
    >>> with iter_roster(path) as stream:
    ...     first = next(stream)
    ...     (stream.kind, stream.rows_read, first.row)
    (<RosterKind.VETERANS: 'veterans'>, 1, 2)
    """
    return _reader.iter_roster(path, columns, kind=kind, within=within, sheet=sheet)


def read_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap | None = None,
    *,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterResult:
    """Read a roster (花名册) and check every row; bad rows are collected, never raised.

    The first row is the header; each later row that is not entirely blank is one record
    of the roster's kind (see :func:`iter_roster` for how the kind is settled: without
    ``kind`` or ``columns``, a veterans' header or one of no kind is read as veterans).
    Cells lose their surrounding blanks. A required column missing from the header (or two
    columns for one field) is a :class:`RowError` of row 1, and then no row is read. In a
    row, every bad field gives its own error; a row whose cells are all good is built into
    its record, whose own checks (sex and birth date against the identity number, discharge
    mode allowed for the personnel type, dates in order, not in the future, a case's or a
    register's steps allowed by its state machine …) are reported against the column at
    fault. A key (identity number, 户编号, 案件编号, 信访件编号 …) seen in an earlier row is an
    error of the later row.

    Args:
        path: a ``.csv`` file (UTF-8, UTF-8 with BOM, or GB18030) or an ``.xlsx`` workbook.
        columns: which header means which field; the kind's defaults unless given.
        kind: the kind of roster; from ``columns`` or the header if ``None``.
        within: where a 户籍地 or 所在地 given by name is looked up (a name must match
            exactly one county- or township-level unit there); the whole bundled data if
            ``None``.
        sheet: the worksheet of an ``.xlsx`` file; the first one if ``None``.

    Returns:
        The valid rows, every error, and the rejected rows with their cells.

    Raises:
        RosterUnreadable: not a ``.csv``/``.xlsx`` file, not text in UTF-8 or GB18030,
            malformed CSV, or not a readable workbook (a ``ValueError``).
        ExcelUnavailable: an ``.xlsx`` file without openpyxl (an ``ImportError``).
        OSError: the file cannot be opened.
        InvalidValue: ``columns`` is a map of another kind than ``kind``.
        InvalidDivisionCode: ``within`` is not a division code.
        UnknownDivision: ``within`` is not in the bundled division data (a ``LookupError``).
    """
    return _reader.read_roster(path, columns, kind=kind, within=within, sheet=sheet)


def read_workbook(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[RosterKind, ColumnMap] | ColumnMap | None = None,
    within: DivisionCode | str | None = None,
) -> tuple[RosterResult, ...]:
    """Read every worksheet of a workbook, each as the roster it is (one result per sheet).

    A sheet's kind comes from its name when the name is one of a kind's
    :attr:`RosterKind.sheet_names` (退役军人, 遗属, 光荣牌家庭, 帮扶援助, … compared without
    surrounding blanks or case), else from its header (:func:`detect_kind`). A sheet
    without any filled cell is skipped. A sheet that neither its name nor its header
    places gives a result (of kind veterans, the fallback of :func:`read_roster`) with one
    error of row 1 and no rows: nothing is silently left out. Each result names its sheet (:attr:`RosterResult.sheet`). A ``.csv`` file holds
    one roster: it gives a one-element tuple, read as :func:`read_roster` reads it.

    Args:
        path: an ``.xlsx`` workbook (or a ``.csv`` file).
        columns: column maps by kind (:func:`load_column_maps`), or one map for its kind;
            the defaults for the kinds not given.
        within: where a 户籍地 or 所在地 given by name is looked up.

    Returns:
        One result per sheet that is not empty, in the workbook's order.

    Raises:
        RosterUnreadable: not a readable workbook or CSV file (a ``ValueError``).
        ExcelUnavailable: an ``.xlsx`` file without openpyxl (an ``ImportError``).
        OSError: the file cannot be opened.
        InvalidValue: a map given under another kind than its own.
        InvalidDivisionCode: ``within`` is not a division code.
        UnknownDivision: ``within`` is not in the bundled division data (a ``LookupError``).
    """
    return _reader.read_workbook(path, columns=columns, within=within)


def iter_workbook(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[RosterKind, ColumnMap] | ColumnMap | None = None,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
) -> tuple[RosterStream, ...]:
    """A stream per roster of a file: each non-empty sheet of a workbook, or a CSV file.

    The streams :func:`read_workbook` collects, and what :func:`import_rosters` reads: a
    sheet's kind is ``kind`` if given, else from its name, else from its header, as
    :func:`read_workbook` says; a sheet placed by neither is a stream with a header error
    and no rows. Every stream is opened at once; close them (or use them in ``with``
    blocks) when done.

    Raises:
        RosterUnreadable: not a readable workbook or CSV file (a ``ValueError``).
        ExcelUnavailable: an ``.xlsx`` file without openpyxl (an ``ImportError``).
        OSError: the file cannot be opened.
    """
    return _reader.iter_workbook(path, columns=columns, kind=kind, within=within)


def import_rosters(
    store: Store,
    sources: Iterable[RosterStream | str | os.PathLike[str]],
    *,
    actor: str,
    update: bool = False,
    skip_invalid: bool = False,
    columns: Mapping[RosterKind, ColumnMap] | ColumnMap | None = None,
    within: DivisionCode | str | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportResult:
    """Import rosters into ``store`` (导入花名册): streamed, checked in full, one transaction.

    Each source is a stream (:func:`iter_roster`, :func:`iter_workbook`) or a file, read as
    :func:`iter_workbook` reads it (every sheet of a workbook, with ``columns`` and
    ``within``). Rows are read one at a time, never the whole file, and everything is
    written in **one transaction**:

    * a plain import feeds the valid records to the store's bulk path; a record whose key
      the store already holds is a rejected row ("already in the store");
    * with ``update=True`` a record whose key the store holds is compared with it: equal,
      it is counted ``unchanged``; different, it is updated with the version just read
      (``update(value, version=...)``), so the audit log shows an update. A ``版本`` column
      (:data:`VERSION_HEADERS`), the version the office's copy was exported at, must then
      equal the stored version, or the row is rejected as changed in the store since;
    * a record outside a scoped store's unit is a rejected row;
    * a casework register's records go into the repository of their record kind
      (:mod:`veteran_affairs.repositories.records`), and a record that does not give the
      unit its kind is kept under (a transfer without 接续地 …) is a rejected row. With
      ``update=True`` a step the register leaves as it was keeps the stored step's actor and
      note (a register holds neither), and a row saying nothing new is ``unchanged``.

    When any row is rejected — or a header cannot be used — nothing is written unless
    ``skip_invalid``; every row is still read, so that every error is reported. A header
    that cannot be used writes nothing even with ``skip_invalid`` (no row was checked).
    ``on_progress`` is called every :data:`PROGRESS_EVERY` rows and once at the end.

    Args:
        store: the store written to.
        sources: the rosters, in the order they are read.
        actor: who the audit log names.
        update: correct stored records instead of refusing them.
        skip_invalid: write the valid rows even when some are rejected.
        columns: column maps for sources given as files.
        within: where a 户籍地 given by name is looked up, for sources given as files.
        on_progress: called with an :class:`ImportProgress` as rows are read.

    Returns:
        Per source the rows read, accepted and rejected (with every error), and whether
        anything was written, how many records were added, updated or unchanged.

    Raises:
        RosterUnreadable: a file that is no roster, or a CSV row malformed beyond reading
            (nothing is written).
        AlreadyExists: a key held by a record the store does not let this scope see
            (nothing is written).
        UnknownRecordKind: a casework register whose record kind is not registered (before
            any row is read; a ``LookupError``).
        StoreError: the store failed (nothing is written).

    >>> import pathlib, tempfile
    >>> from veteran_affairs.repositories import MemoryStore
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> header, rows, _ = synthetic_roster(4, seed=2, errors=1)
    >>> _ = write_table(folder / "roster.csv", header, rows)
    >>> store = MemoryStore()
    >>> result = import_rosters(store, [folder / "roster.csv"], actor="clerk")
    >>> result.written, result.added, result.rejected
    (False, 0, 1)
    >>> result = import_rosters(store, [folder / "roster.csv"], actor="clerk", skip_invalid=True)
    >>> result.written, result.added, result.rejected
    (True, 3, 1)
    """
    with ExitStack() as stack:
        streams: list[RosterStream] = []
        for source in sources:
            if isinstance(source, RosterStream):
                streams.append(source)
                continue
            for stream in iter_workbook(source, columns=columns, within=within):
                streams.append(stack.enter_context(stream))
        return _load.import_rosters(
            store,
            streams,
            actor=actor,
            update=update,
            skip_invalid=skip_invalid,
            on_progress=on_progress,
        )


def header_of_kind(kind: RosterKind) -> tuple[str, ...]:
    """The canonical header of a kind of roster, the one :func:`roster_row` fills.

    The same as ``kind.header``.

    >>> header_of_kind(RosterKind.CASES)[:4]
    ('案件编号', '申请人公民身份号码', '所在地', '困难类型')
    """
    return kind.header


def roster_cells(record: RosterRecord, *, personal: bool = False) -> list[str]:
    """A record as one roster row of text under its kind's header (for exports).

    Dates are ISO text, amounts exact decimals (``8080.83``), divisions codes at their
    natural length, choices their Chinese labels, facts 是/否 (blank when unknown), and list
    cells joined with ``、``: :func:`read_roster` reads the row back to an equal record when
    ``personal`` is true.

    Args:
        record: a :class:`~veteran_affairs.models.Veteran`,
            :class:`~veteran_affairs.models.Survivor`,
            :class:`~veteran_affairs.models.PlaqueHousehold`,
            :class:`~veteran_affairs.models.AssistanceCase` or a casework record
            (:attr:`RosterKind.record_type`); its kind's header is
            ``RosterKind.<kind>.header`` (:data:`ROSTER_HEADER` for a veteran).
        personal: write identity numbers, names, phones and dates in full. If false,
            identity numbers, names and phones are masked, and 出生日期 and every other date
            within a day of the person's birthday in any year are ``****-**-**``, so that no
            masked row lets a reader rebuild the number (see ``docs/privacy.md``).

    Returns:
        One text cell per column of the kind's header; blank cells are ``""``.

    Raises:
        TypeError: ``record`` is of no kind of roster.
    """
    return _rows.roster_cells(record, personal=personal)


def roster_row(record: RosterRecord, *, personal: bool = False) -> list[str | dt.date | Decimal]:
    """A record as one typed roster row under its kind's header (what ``export`` writes).

    The cells of :func:`roster_cells`, except that single dates (出生日期, 入伍时间, 牺牲(病故)
    时间, 挂牌时间, 申请时间 …) are :class:`datetime.date` values and amounts (申请金额,
    审批金额) ``Decimal``, so that :func:`write_table` makes them date and number cells in a
    workbook (ISO text and exact decimals in a CSV file). Everything else stays text:
    identity numbers, phones and codes, 伤残等级 as its label (``五级``), and list cells.
    :func:`read_roster` reads the row back to an equal record when ``personal`` is true
    (an assistance case's steps are read back as taken by :data:`ROSTER_ACTOR`, without
    notes: a roster records their dates only; so are a casework record's, but for the notes
    its register has columns for — see ``docs/howto-import-roster.md``).

    A casework register's row masks its identity numbers unless ``personal``, and nothing
    else: its dates are the office's own steps, none derived from a birthday.

    Args:
        record: a Veteran, Survivor, PlaqueHousehold or AssistanceCase, or a casework
            record of :attr:`RosterKind.record_type`.
        personal: write identity numbers, names, phones and dates in full. If false,
            identity numbers, names and phones are masked, and 出生日期 and every other date
            within a day of the person's birthday in any year are ``****-**-**``, so that no
            masked row lets a reader rebuild the number (see ``docs/privacy.md``).

    Returns:
        One cell per column of the kind's header; blank cells are ``""``.

    Raises:
        TypeError: ``record`` is of no kind of roster.
    """
    return _rows.roster_row(record, personal=personal)


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
    return _sample.synthetic_roster(n, seed=seed, errors=errors)
