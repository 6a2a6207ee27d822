"""What reading a roster gives back, and the errors it raises (private engine of ``rosters``).

>>> e = RowError(row=7, column="公民身份号码", value="450312********123Y",
...              reason="check character does not match", reason_zh="校验码不符")
>>> print(e)
row 7, 公民身份号码='450312********123Y': check character does not match (校验码不符)
>>> result = RosterResult(source="roster.csv", header=("姓名",), rows=(), errors=(e,),
...                       rejects=(), rows_read=9)
>>> result.ok, result.rejected_rows
(False, (7,))
"""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

import attrs

from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import shown_value
from veteran_affairs.models.people import Veteran
from veteran_affairs.rosters._roster_columns import RecordType, RosterKind

Cell: TypeAlias = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
"""A cell as read: text from a CSV file; from an ``.xlsx`` workbook whatever type Excel stored."""

RosterRecord: TypeAlias = RecordType
"""What a valid row becomes, by the kind of roster: a Veteran, Survivor, PlaqueHousehold or
AssistanceCase, or a casework record (Petition, LegacyCase, InsuranceTransfer,
ContactAssignment, BaolianTalk, VillageCadre)."""


class RosterUnreadable(VeteranAffairsError, ValueError):
    """The file cannot be read as a roster at all (花名册文件无法读取).

    Raised for a suffix other than ``.csv`` or ``.xlsx``, a CSV file that is neither UTF-8
    nor GB18030 (or is binary, or malformed beyond the ``csv`` module's limits), and an
    ``.xlsx`` file that is not a readable workbook. Bad rows are never this error: they are
    collected as :class:`RowError` entries.

    Attributes:
        path: the file, as given.
        reason: what is wrong, in English.
        reason_zh: what is wrong, in Chinese.
    """

    def __init__(self, path: str, reason: str, reason_zh: str = "") -> None:
        self.path = path
        self.reason = reason
        self.reason_zh = reason_zh
        zh = f" ({reason_zh})" if reason_zh else ""
        super().__init__(f"{path}: cannot read the roster: {reason}{zh}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason, self.reason_zh))


class ExcelUnavailable(VeteranAffairsError, ImportError):
    """Reading or writing ``.xlsx`` needs openpyxl: ``pip install 'veteran_affairs[excel]'``."""

    def __init__(self) -> None:
        super().__init__(
            ".xlsx files need openpyxl: pip install 'veteran_affairs[excel]' "
            "(读写Excel文件需要安装openpyxl)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), ())


def _shown(value: str | None) -> str | None:
    return None if value is None else shown_value(value)


@attrs.frozen(kw_only=True)
class RowError:
    """One problem in one row of a roster (行错误).

    Attributes:
        row: the spreadsheet row number, 1-based, the header being row 1.
        column: the header text of the column at fault, or ``None`` for a problem of the
            whole row. A required column missing from the header is named by its canonical
            header (row 1).
        value: the cell as text, masked for personal fields (姓名, 公民身份号码, 联系电话; of
            出生日期 the year only), and whatever the column as
            :func:`~veteran_affairs.identity.shown_value` shows an error value (long numbers
            and names masked, cut to 48 characters), as it is given; ``None`` when the error
            concerns no cell.
        reason: what is wrong, in English.
        reason_zh: what is wrong, in Chinese (zh-CN).
    """

    row: int
    column: str | None
    value: str | None = attrs.field(converter=_shown)
    reason: str
    reason_zh: str

    def __str__(self) -> str:
        zh = f" ({self.reason_zh})" if self.reason_zh else ""
        if self.column is None:
            return f"row {self.row}: {self.reason}{zh}"
        return f"row {self.row}, {self.column}={self.value!r}: {self.reason}{zh}"


@attrs.frozen(kw_only=True, repr=False)
class RosterRow:
    """A valid row: its number, the record built from it and its original cells (有效行).

    ``record`` is a :class:`~veteran_affairs.models.Veteran`,
    :class:`~veteran_affairs.models.Survivor`,
    :class:`~veteran_affairs.models.PlaqueHousehold`,
    :class:`~veteran_affairs.models.AssistanceCase` or a casework record
    (:attr:`RosterKind.record_type`), by the kind of roster. ``cells`` are
    the row as read, aligned with :attr:`RosterResult.header`; they hold personal data, so
    ``repr()`` leaves them out (the records' own ``repr()`` masks).
    """

    row: int
    record: RosterRecord
    cells: tuple[Cell, ...]

    @property
    def veteran(self) -> Veteran:
        """The veteran of a veterans' roster row.

        Raises:
            TypeError: the row is of another kind of roster (use :attr:`record`).
        """
        if not isinstance(self.record, Veteran):
            raise TypeError(
                f"row {self.row} holds a {type(self.record).__name__}, not a Veteran: "
                "use .record (该行不是退役军人)"
            )
        return self.record

    def __repr__(self) -> str:
        return f"RosterRow(row={self.row}, record={self.record!r})"


@attrs.frozen(kw_only=True, repr=False)
class RejectedRow:
    """A rejected row: its number, original cells and every error found in it (无效行).

    ``repr()`` leaves the cells out (they hold personal data).
    """

    row: int
    cells: tuple[Cell, ...]
    errors: tuple[RowError, ...]

    def __repr__(self) -> str:
        return f"RejectedRow(row={self.row}, errors={len(self.errors)})"


class RosterInvalid(VeteranAffairsError, ValueError):
    """A roster has bad rows (花名册校验未通过); the message lists every error, masked.

    Attributes:
        source: the file the roster came from.
        errors: every :class:`RowError`, by row.
        rows_read: how many data rows were read.
    """

    def __init__(self, source: str, errors: tuple[RowError, ...], rows_read: int) -> None:
        self.source = source
        self.errors = errors
        self.rows_read = rows_read
        bad = len({e.row for e in errors})
        lines = "".join(f"\n  {e}" for e in errors)
        super().__init__(
            f"{source}: {len(errors)} error(s) in {bad} row(s) of {rows_read} read "
            f"(花名册校验未通过):{lines}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.source, self.errors, self.rows_read))


@attrs.frozen(kw_only=True, repr=False)
class RosterResult:
    """The outcome of reading a roster: valid rows, every error, and the rejected rows.

    Attributes:
        source: the file read.
        header: the header row as read (its cells as text).
        rows: the valid rows, in file order.
        errors: every error of every bad row, by row (row 1: header problems).
        rejects: the rejected rows with their cells and errors, by row.
        rows_read: the number of data rows read (blank rows are skipped and not counted;
            0 when the header itself is unusable, as then no row is read).
        kind: the kind of roster read (veterans unless said).
        sheet: the worksheet read, for a workbook read sheet by sheet; ``None`` otherwise.
    """

    source: str
    header: tuple[str, ...]
    rows: tuple[RosterRow, ...]
    errors: tuple[RowError, ...]
    rejects: tuple[RejectedRow, ...]
    rows_read: int
    kind: RosterKind = RosterKind.VETERANS
    sheet: str | None = None

    @property
    def ok(self) -> bool:
        """Whether there is no error at all."""
        return not self.errors

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The numbers of the rows with at least one error, sorted (1 for the header)."""
        return tuple(sorted({e.row for e in self.errors}))

    @property
    def records(self) -> tuple[RosterRecord, ...]:
        """The records of the valid rows, in file order."""
        return tuple(r.record for r in self.rows)

    @property
    def veterans(self) -> tuple[Veteran, ...]:
        """The veterans of the valid rows, in file order (what a store's ``bulk_add`` takes).

        Raises:
            TypeError: the roster is of another kind (use :attr:`records`).
        """
        if self.kind is not RosterKind.VETERANS:
            raise TypeError(
                f"a {self.kind.value} roster holds no veterans: use .records (该花名册不是退役军人)"
            )
        return tuple(r.veteran for r in self.rows)

    def raise_if_invalid(self) -> None:
        """Raise :class:`RosterInvalid` listing every error, if there is any.

        Raises:
            RosterInvalid: the roster has at least one error.
        """
        if self.errors:
            raise RosterInvalid(self.source, self.errors, self.rows_read)

    def __repr__(self) -> str:
        kind = "" if self.kind is RosterKind.VETERANS else f"kind={self.kind.value!r}, "
        sheet = "" if self.sheet is None else f"sheet={self.sheet!r}, "
        return (
            f"RosterResult(source={self.source!r}, {sheet}{kind}rows_read={self.rows_read}, "
            f"valid={len(self.rows)}, errors={len(self.errors)}, "
            f"rejected_rows={len(self.rejected_rows)})"
        )
