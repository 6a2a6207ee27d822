"""Roster files to records, as a stream (private engine of ``rosters``).

:func:`iter_roster` reads the header, settles the kind of roster and its column map, and
then gives one row at a time: each row is parsed on its own (``_parsing.RowParser``), and
the stream adds the one check that spans rows — a key (identity number, 户编号, 案件编号,
信访件编号 …) seen in an earlier row. :func:`read_roster` collects a stream; :func:`read_workbook` reads
every sheet of a workbook.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import TracebackType

from veteran_affairs import divisions
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters._cadres import VILLAGE_CADRES
from veteran_affairs.rosters._cases import CASES
from veteran_affairs.rosters._cells import as_text
from veteran_affairs.rosters._contacts import (
    BAOLIAN_ASSIGNMENTS,
    BAOLIAN_TALKS,
    RECEPTION_SESSIONS,
)
from veteran_affairs.rosters._files import RawRows, iter_rows, sheet_names, suffix_of
from veteran_affairs.rosters._household_roster import HOUSEHOLDS
from veteran_affairs.rosters._legacy_roster import LEGACY_CASES
from veteran_affairs.rosters._parsing import RowParser, Spec, layout_of
from veteran_affairs.rosters._people_roster import SURVIVORS, VETERANS
from veteran_affairs.rosters._petition_roster import PETITIONS
from veteran_affairs.rosters._request_roster import REQUESTS
from veteran_affairs.rosters._result import (
    Cell,
    RejectedRow,
    RosterResult,
    RosterRow,
    RowError,
)
from veteran_affairs.rosters._roster_columns import ColumnMap, RosterKind, detect_kind
from veteran_affairs.rosters._transfers import INSURANCE_TRANSFERS
from veteran_affairs.rosters._transition import (
    DISCHARGE_RECORDS,
    EMPLOYMENT_RECORDS,
    TRAINING_ENROLMENTS,
)

SPECS: dict[RosterKind, Spec] = {
    RosterKind.VETERANS: VETERANS,
    RosterKind.SURVIVORS: SURVIVORS,
    RosterKind.HOUSEHOLDS: HOUSEHOLDS,
    RosterKind.CASES: CASES,
    RosterKind.PETITIONS: PETITIONS,
    RosterKind.LEGACY_CASES: LEGACY_CASES,
    RosterKind.INSURANCE_TRANSFERS: INSURANCE_TRANSFERS,
    RosterKind.BAOLIAN_ASSIGNMENTS: BAOLIAN_ASSIGNMENTS,
    RosterKind.BAOLIAN_TALKS: BAOLIAN_TALKS,
    RosterKind.VILLAGE_CADRES: VILLAGE_CADRES,
    RosterKind.DISCHARGE_RECORDS: DISCHARGE_RECORDS,
    RosterKind.TRAINING_ENROLMENTS: TRAINING_ENROLMENTS,
    RosterKind.EMPLOYMENT_RECORDS: EMPLOYMENT_RECORDS,
    RosterKind.RECEPTION_SESSIONS: RECEPTION_SESSIONS,
    RosterKind.REQUESTS: REQUESTS,
}

ColumnMaps = Mapping[RosterKind, ColumnMap]


class RosterStream:
    """The rows of one roster as they are read (花名册逐行读取), in file order.

    Iterating gives a :class:`RosterRow` for each valid row and a :class:`RejectedRow` for
    each bad one; entirely blank rows are skipped. Only the current row is held, plus the
    keys seen so far (identity numbers, 户编号 or 案件编号, for the duplicate check). A header
    that no row can be checked against gives :attr:`header_errors` and no rows. A stream is
    read once; :meth:`close` (or leaving a ``with`` block) releases the file early.

    Attributes:
        source: the file read.
        sheet: the worksheet read (``None``: a CSV file, or the first sheet).
        kind: the kind of roster.
        columns: the column map the rows are read with.
        header: the header row as read (its cells as text); ``()`` without a header row.
        header_cells: the header row's cells as read.
        header_errors: the errors of the header (row 1); when there are any, no row is read.
    """

    def __init__(
        self,
        *,
        source: str,
        sheet: str | None,
        columns: ColumnMap,
        header_cells: tuple[Cell, ...],
        header_errors: tuple[RowError, ...],
        parser: RowParser | None,
        table: RawRows,
    ) -> None:
        self.source = source
        self.sheet = sheet
        self.kind = columns.kind
        self.columns = columns
        self.header_cells = header_cells
        self.header = tuple(as_text(c) for c in header_cells)
        self.header_errors = header_errors
        self._read = 0
        if parser is None or header_errors:
            _close(table)
            self._rows: Iterator[RosterRow | RejectedRow] = iter(())
        else:
            self._rows = self._stream(parser, table)

    @property
    def rows_read(self) -> int:
        """How many data rows were read so far (blank rows not counted)."""
        return self._read

    @property
    def header_reject(self) -> RejectedRow | None:
        """The header as a rejected row 1, when it has errors (what a rejects file lists)."""
        if not self.header_errors:
            return None
        return RejectedRow(row=1, cells=self.header_cells, errors=self.header_errors)

    def _stream(self, parser: RowParser, table: RawRows) -> Iterator[RosterRow | RejectedRow]:
        seen: dict[str, int] = {}  # key → the first row that had it
        try:
            for number, cells in enumerate(table, start=2):
                parsed = parser.parse(number, cells)
                if parsed is None:
                    continue
                self._read += 1
                errors = parsed.errors
                if parsed.key is not None:
                    first = seen.setdefault(parsed.key, number)
                    if first != number:
                        duplicate = parser.duplicate(number, cells, first)
                        errors = [duplicate] if parsed.refused else [*errors, duplicate]
                if errors:
                    yield RejectedRow(row=number, cells=cells, errors=tuple(errors))
                else:
                    yield RosterRow(row=number, record=parsed.record, cells=cells)
        finally:
            _close(table)

    def __iter__(self) -> RosterStream:
        return self

    def __next__(self) -> RosterRow | RejectedRow:
        return next(self._rows)

    def close(self) -> None:
        """Stop reading and release the file."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> RosterStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        sheet = "" if self.sheet is None else f", sheet={self.sheet!r}"
        return (
            f"RosterStream(source={self.source!r}{sheet}, kind={self.kind.value!r}, "
            f"rows_read={self._read}, header_errors={len(self.header_errors)})"
        )


def _close(table: RawRows) -> None:
    close = getattr(table, "close", None)
    if close is not None:
        close()


def _scope(within: DivisionCode | str | None) -> DivisionCode | None:
    # Once: an unknown unit fails here, not on every row.
    return None if within is None else divisions.lookup(within).code


def _no_header() -> RowError:
    return RowError(
        row=1,
        column=None,
        value=None,
        reason="the roster has no header row",
        reason_zh="花名册缺少表头行",
    )


def _agree(columns: ColumnMap | None, kind: RosterKind | None) -> None:
    if columns is not None and kind is not None and columns.kind is not kind:
        raise InvalidValue(
            "columns",
            columns.kind.value,
            f"a column map of a {columns.kind.value} roster, for a {kind.value} roster",
            "列名映射与花名册类别不符",
        )


def _choose(
    header: tuple[str, ...],
    columns: ColumnMap | None,
    kind: RosterKind | None,
    maps: ColumnMaps,
) -> ColumnMap:
    """The column map rows are read with: ``columns``, else the kind's, else the header's."""
    if columns is not None:
        return columns
    if kind is None:
        kind = detect_kind(header, maps) or RosterKind.VETERANS
    return maps.get(kind, kind.columns)


def _open(
    source: str,
    sheet: str | None,
    table: RawRows,
    first: tuple[Cell, ...] | None,
    columns: ColumnMap | None,
    kind: RosterKind | None,
    scope: DivisionCode | None,
    maps: ColumnMaps,
) -> RosterStream:
    """A stream over ``table`` whose header row ``first`` has already been taken."""
    if first is None or not any(as_text(c) for c in first):
        chosen = _choose((), columns, kind, maps)
        return RosterStream(
            source=source,
            sheet=sheet,
            columns=chosen,
            header_cells=() if first is None else first,
            header_errors=(_no_header(),),
            parser=None,
            table=table,
        )
    header = tuple(as_text(c) for c in first)
    chosen = _choose(header, columns, kind, maps)
    layout, errors = layout_of(header, chosen)
    return RosterStream(
        source=source,
        sheet=sheet,
        columns=chosen,
        header_cells=first,
        header_errors=tuple(errors),
        parser=RowParser(SPECS[chosen.kind], layout, scope),
        table=table,
    )


def iter_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap | None = None,
    *,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterStream:
    """The stream of a roster file; the public ``veteran_affairs.rosters.iter_roster`` documents it."""
    _agree(columns, kind)
    scope = _scope(within)
    table = iter_rows(path, sheet)
    first = next(table, None)
    return _open(os.fspath(path), sheet, table, first, columns, kind, scope, {})


def collect(stream: RosterStream) -> RosterResult:
    """Every row of ``stream`` gathered into a :class:`RosterResult`."""
    with stream:
        reject = stream.header_reject
        if reject is not None:
            return RosterResult(
                source=stream.source,
                header=stream.header,
                rows=(),
                errors=stream.header_errors,
                rejects=(reject,),
                rows_read=0,
                kind=stream.kind,
                sheet=stream.sheet,
            )
        rows: list[RosterRow] = []
        errors: list[RowError] = []
        rejects: list[RejectedRow] = []
        for outcome in stream:
            if isinstance(outcome, RosterRow):
                rows.append(outcome)
            else:
                errors.extend(outcome.errors)
                rejects.append(outcome)
        return RosterResult(
            source=stream.source,
            header=stream.header,
            rows=tuple(rows),
            errors=tuple(errors),
            rejects=tuple(rejects),
            rows_read=stream.rows_read,
            kind=stream.kind,
            sheet=stream.sheet,
        )


def read_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap | None = None,
    *,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterResult:
    """Read a roster file; the public ``veteran_affairs.rosters.read_roster`` documents it."""
    return collect(iter_roster(path, columns, kind=kind, within=within, sheet=sheet))


def _maps(columns: ColumnMaps | ColumnMap | None) -> dict[RosterKind, ColumnMap]:
    if columns is None:
        return {}
    if isinstance(columns, ColumnMap):
        return {columns.kind: columns}
    for kind, mapping in columns.items():
        if mapping.kind is not kind:
            raise InvalidValue(
                f"columns[{kind.value}]",
                mapping.kind.value,
                f"a column map of a {mapping.kind.value} roster, for a {kind.value} roster",
                "列名映射与花名册类别不符",
            )
    return dict(columns)


def _unknown_sheet(
    source: str, sheet: str, first: tuple[Cell, ...], table: RawRows
) -> RosterStream:
    """A stream of no rows whose header error says the sheet is of no known kind."""
    names = "、".join(kind.sheet_names[0] for kind in RosterKind)
    error = RowError(
        row=1,
        column=None,
        value=None,
        reason=f"neither the sheet's name nor its header says which roster it is: name the "
        f"sheet {', '.join(kind.sheet_names[0] for kind in RosterKind)} (or the like), or "
        "give it the columns of one",
        reason_zh=f"无法从工作表名称或表头判断花名册类别：请将工作表命名为{names}等，"
        "或使用其中一类的列名",
    )
    return RosterStream(
        source=source,
        sheet=sheet,
        columns=RosterKind.VETERANS.columns,
        header_cells=first,
        header_errors=(error,),
        parser=None,
        table=table,
    )


def iter_workbook(
    path: str | os.PathLike[str],
    *,
    columns: ColumnMaps | ColumnMap | None = None,
    kind: RosterKind | None = None,
    within: DivisionCode | str | None = None,
) -> tuple[RosterStream, ...]:
    """A stream per sheet of a workbook (one for a CSV file); the public one documents it."""
    maps = _maps(columns)
    scope = _scope(within)
    source = os.fspath(path)
    if suffix_of(path) != ".xlsx":
        table = iter_rows(path)
        first = next(table, None)
        return (_open(source, None, table, first, None, kind, scope, maps),)
    streams: list[RosterStream] = []
    try:
        for name in sheet_names(path):
            table = iter_rows(path, name)
            first = next(table, None)
            blank = first is None or not any(as_text(c) for c in first)
            if blank and not any(any(as_text(c) for c in cells) for cells in table):
                _close(table)
                continue  # an empty sheet
            header = () if first is None else tuple(as_text(c) for c in first)
            placed = kind or RosterKind.from_sheet_name(name) or detect_kind(header, maps)
            if placed is None and not blank:
                assert first is not None
                streams.append(_unknown_sheet(source, name, first, table))
                continue
            placed = placed or RosterKind.VETERANS  # a blank header: reported as such
            streams.append(_open(source, name, table, first, None, placed, scope, maps))
    except BaseException:
        for stream in streams:
            stream.close()
        raise
    return tuple(streams)


def read_workbook(
    path: str | os.PathLike[str],
    *,
    columns: ColumnMaps | ColumnMap | None = None,
    within: DivisionCode | str | None = None,
) -> tuple[RosterResult, ...]:
    """Read every sheet of a workbook; the public ``read_workbook`` documents it."""
    return tuple(collect(stream) for stream in iter_workbook(path, columns=columns, within=within))
