"""One roster row into one record, every problem collected (private engine of ``rosters``).

A kind of roster is a :class:`Spec`: how each field's cell is read, the checks the models'
own validators make of single fields, and how the field values become a record. A
:class:`RowParser` applies a spec to the rows of one file: it first reads each cell on its
own, so that every bad field of a row is reported, not only the first, and only a row whose
cells are all good is built; the errors the models raise for fields that contradict one
another are mapped back to the column at fault.

Parsing a row depends on that row alone (no state is carried from row to row), so rows
could be parsed in worker processes; the in-file duplicate check lives in the stream.

Most rows are good, so a row is read in two passes only when it is bad: the first pass
parses the cells and builds the record, leaving the field checks to the models'
constructors; if anything fails, the second pass also runs each field's own validator, so
that the report lists every bad field in the order of the columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

import attrs

from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.rosters._cells import (
    LABEL_SEPARATORS,
    BadCell,
    Choices,
    as_text,
    date_of_text,
    is_none_entry,
    masked,
    parse_date,
    parse_resident_id,
    split_list,
)
from veteran_affairs.rosters._result import Cell, RowError
from veteran_affairs.rosters._roster_columns import ColumnMap, RosterKind, normalise_header

T = TypeVar("T")

FieldParser = Callable[[str, Cell], Any]
"""Reads one non-blank cell (its stripped text, and the cell as read) or raises BadCell."""
Check = Callable[[Any], None]
"""A model's validator of one field, raising InvalidValue."""


@attrs.define
class Layout:
    """Where each field sits in the rows, and the header texts errors name."""

    index: dict[str, int]
    header_of: dict[str, str]


def layout_of(header: Sequence[str], columns: ColumnMap) -> tuple[Layout, list[RowError]]:
    """The layout of a header under a column map, and the header's errors (row 1)."""
    kind = columns.kind
    index: dict[str, int] = {}
    header_of = {field: columns.header_of(field) for field in columns.fields}
    errors: list[RowError] = []
    for position, text in enumerate(header):
        field = columns.field_of(text)
        if field is None:
            continue
        if field in index:
            errors.append(
                RowError(
                    row=1,
                    column=normalise_header(text),
                    value=None,
                    reason=f"a second column for {field} (first: {header[index[field]]})",
                    reason_zh=f"与“{normalise_header(header[index[field]])}”列重复",
                )
            )
            continue
        index[field] = position
        header_of[field] = normalise_header(text)
    for field in kind.fields:
        if field in kind.required_fields and field not in index:
            errors.append(
                RowError(
                    row=1,
                    column=header_of.get(field, field),
                    value=None,
                    reason=f"required column missing ({field})",
                    reason_zh="缺少必填列",
                )
            )
    return Layout(index=index, header_of=header_of), errors


class Row:
    """One data row while it is read: its cells as text, the field values, the errors."""

    __slots__ = ("cells", "errors", "failed", "layout", "number", "refused", "texts", "values")

    def __init__(
        self, number: int, cells: tuple[Cell, ...], texts: list[str], layout: Layout
    ) -> None:
        self.number = number
        self.cells = cells
        self.texts = texts
        self.layout = layout
        self.values: dict[str, Any] = {}
        self.errors: list[RowError] = []
        self.failed: set[str] = set()  # fields whose cell was given but could not be read
        self.refused = False  # every cell was good, but the model refused the record

    def header(self, field: str) -> str:
        """The header text of ``field`` as this file spells it (or its canonical one)."""
        return self.layout.header_of.get(field, field)

    def has_column(self, field: str) -> bool:
        return field in self.layout.index

    def given(self, field: str) -> bool:
        """Whether the row's cell of ``field`` is not blank."""
        return field in self.values or field in self.failed

    def error(self, field: str | None, reason: str, reason_zh: str) -> None:
        """An error of ``field``'s cell; of the whole row if ``field`` is ``None``."""
        if field is None:
            self.errors.append(
                RowError(
                    row=self.number, column=None, value=None, reason=reason, reason_zh=reason_zh
                )
            )
            return
        position = self.layout.index.get(field)
        text = self.texts[position] if position is not None and position < len(self.texts) else ""
        self.errors.append(
            RowError(
                row=self.number,
                column=self.header(field),
                value=masked(field, text),
                reason=reason,
                reason_zh=reason_zh,
            )
        )

    def missing(self, field: str, reason: str, reason_zh: str) -> None:
        """An error that ``field`` is needed: of its cell, or of the row if the file lacks it.

        An error never points at a column the roster does not have: a companion whose column
        is absent is reported on the row, naming it.
        """
        if self.has_column(field):
            self.error(field, reason, reason_zh)
            return
        header = self.header(field)
        self.error(None, f"{reason} (no column {header})", f"{reason_zh}（缺少{header}列）")

    def invalid(self, field: str | None, error: InvalidValue, entry: int | None = None) -> None:
        """An error of ``field`` from a model's own ``InvalidValue`` (of list entry ``entry``)."""
        if entry is None:
            self.error(field, error.reason, error.reason_zh)
        else:
            self.error(field, f"entry {entry}: {error.reason}", f"第{entry}项：{error.reason_zh}")

    def aligned(
        self, main: str, dependent: str, count: int, *, required: bool
    ) -> tuple[Any, ...] | None:
        """The entries of list field ``dependent``, one per entry of list field ``main``.

        A dependent list holds as many entries as the main one, or a single entry that
        applies to all. A blank dependent cell is an error if ``required``, else gives
        ``None`` entries. ``None`` when the dependent cannot be aligned (already reported).
        """
        if dependent in self.failed:
            return None
        found = self.values.get(dependent)
        if found is None:
            if required:
                self.missing(
                    dependent,
                    f"required when {self.header(main)} is filled",
                    f"填写了{self.header(main)}时必填",
                )
                return None
            return (None,) * count
        if len(found) == count:
            return tuple(found)
        if len(found) == 1:
            return tuple(found) * count
        self.error(
            dependent,
            f"{len(found)} entries, but {self.header(main)} has {count}: give one entry "
            "for each, in the same order, or one for all",
            f"项数（{len(found)}）与{self.header(main)}（{count}项）不一致：应逐项对应，或只填一项",
        )
        return None

    def without(self, main: str, dependents: Sequence[str]) -> None:
        """Errors for list fields of ``dependents`` filled while ``main`` is blank."""
        if self.given(main):
            return
        for dependent in dependents:
            if self.given(dependent):
                self.error(
                    dependent,
                    f"given without {self.header(main)}",
                    f"未填写{self.header(main)}，不应填写此项",
                )


class Parsed(NamedTuple):
    """What parsing one row gives: the record or the errors, and the row's key if read.

    ``refused`` says that every cell was good and the errors are the model's refusal of
    the record: a row whose key repeats an earlier row's is not built, so then its only
    error is the repeated key.
    """

    record: Any
    errors: list[RowError]
    key: str | None
    refused: bool


@attrs.frozen(kw_only=True)
class Spec:
    """How the rows of one kind of roster are read.

    Attributes:
        kind: the kind of roster.
        parsers: given the unit names are looked up in, the parser of each field's cell.
        checks: the models' validators of single fields (run when a row is bad, so that
            every bad field is reported).
        assemble: checks the fields against one another and builds the record; appends
            errors to the row and returns ``None`` when it has any.
        key: the row's key as text, from the field values (``None`` if not read).
        duplicate: the reason, in English and Chinese, when a key repeats an earlier row's
            (``{row}`` is the earlier row).
    """

    kind: RosterKind
    parsers: Callable[[DivisionCode | None], Mapping[str, FieldParser]]
    checks: Mapping[str, Check]
    assemble: Callable[[Row], Any]
    key: Callable[[Mapping[str, Any]], str | None]
    duplicate: tuple[str, str]


class RowParser:
    """Reads the data rows of one roster of one kind against one layout (no cross-row state)."""

    def __init__(self, spec: Spec, layout: Layout, within: DivisionCode | None) -> None:
        self.spec = spec
        self.layout = layout
        parsers = spec.parsers(within)
        required = spec.kind.required_fields
        # (field, position, parser, required, check): the first pass leaves the checks to
        # the models' constructors; the second runs each field's own.
        self._plan = [
            (field, position, parsers[field], field in required, None)
            for field, position in layout.index.items()
        ]
        self._checked = [
            (field, position, parser, needed, spec.checks.get(field))
            for field, position, parser, needed, _ in self._plan
        ]
        self._width = max(layout.index.values(), default=-1) + 1

    def parse(self, number: int, cells: tuple[Cell, ...]) -> Parsed | None:
        """Row ``number`` read: its record or its errors; ``None`` for an entirely blank row."""
        try:
            texts = [cell.strip() for cell in cells]  # type: ignore[union-attr]
        except AttributeError:  # not all text: a workbook's numbers, dates, empty cells
            texts = [as_text(cell) for cell in cells]
        if not any(texts):
            return None
        if len(texts) < self._width:  # a short row: the missing cells are blank
            texts += [""] * (self._width - len(texts))
        row = self._read(number, cells, texts, self._plan)
        record = self.spec.assemble(row) if not row.errors else None
        if record is None:  # read it again, checking every field on its own
            row = self._read(number, cells, texts, self._checked)
            record = self.spec.assemble(row)
        return Parsed(record, row.errors, self.spec.key(row.values), row.refused)

    def _read(
        self,
        number: int,
        cells: tuple[Cell, ...],
        texts: list[str],
        plan: Sequence[tuple[str, int, FieldParser, bool, Check | None]],
    ) -> Row:
        row = Row(number, cells, texts, self.layout)
        values = row.values
        for field, position, parser, required, check in plan:
            text = texts[position]
            if not text:
                if required:
                    row.error(field, "required, but blank", "必填项为空")
                continue
            try:
                value = parser(text, cells[position])
                if check is not None:
                    try:
                        check(value)
                    except InvalidValue as error:
                        raise BadCell(error.reason, error.reason_zh) from None
            except BadCell as bad:
                row.error(field, bad.reason, bad.reason_zh)
                row.failed.add(field)
                continue
            values[field] = value
        return row

    def duplicate(self, number: int, cells: tuple[Cell, ...], first: int) -> RowError:
        """The error of row ``number`` whose key is already that of row ``first``."""
        field = self.spec.kind.key_field
        position = self.layout.index.get(field)
        cell = cells[position] if position is not None and position < len(cells) else None
        reason, reason_zh = self.spec.duplicate
        return RowError(
            row=number,
            column=self.layout.header_of.get(field, field),
            value=masked(field, as_text(cell)),
            reason=reason.format(row=first),
            reason_zh=reason_zh.format(row=first),
        )


# --- parsers shared by the kinds -------------------------------------------------------------


def text(value: str, _cell: Cell) -> str:
    return value


def date(value: str, cell: Cell) -> Any:
    return date_of_text(value) if type(cell) is str else parse_date(cell)


def choice(choices: Choices[Any]) -> FieldParser:
    return lambda value, _cell: choices.value(value)


resident_id: FieldParser = parse_resident_id
"""An identity number's cell (see ``_cells.parse_resident_id``)."""


def _entries(
    value: str, separators: str, parse: Callable[[str], Any], blank: bool
) -> tuple[Any, ...]:
    """The entries of a list cell, each parsed; a blank entry is ``None`` if ``blank``."""
    found: list[Any] = []
    for number, entry in enumerate(split_list(value, separators), start=1):
        if is_none_entry(entry):
            if not blank:
                raise BadCell(f"entry {number} is blank", f"第{number}项为空")
            found.append(None)
            continue
        try:
            found.append(parse(entry))
        except BadCell as bad:
            raise BadCell(
                f"entry {number}: {bad.reason}", f"第{number}项：{bad.reason_zh}"
            ) from None
    return tuple(found)


def listed(
    parse: Callable[[str], Any], separators: str, *, blank_entries: bool = False
) -> FieldParser:
    """A list cell's parser: ``parse`` applied to each entry (see :func:`_entries`)."""
    return lambda value, _cell: _entries(value, separators, parse, blank_entries)


def id_list(value: str, _cell: Cell) -> tuple[ResidentId, ...]:
    """A list cell of identity numbers (none blank)."""
    return _entries(value, LABEL_SEPARATORS, parse_resident_id, False)


def attribute_check(attribute: attrs.Attribute[Any]) -> Check:
    """A model attribute's own validator, as a check of one value."""
    validator = attribute.validator
    assert validator is not None

    def check(value: Any) -> None:
        validator(None, attribute, value)

    return check


_INDEX = re.compile(r"\[\d+\]")


def model_path(field: str) -> str:
    """A model error's field without list indices: ``statuses[2].since`` → ``statuses.since``."""
    return _INDEX.sub("", field)


def build(
    row: Row,
    at_fault: Mapping[str, str],
    make: Callable[..., T],
    *,
    entry: int | None = None,
    **fields: Any,
) -> T | None:
    """``make(**fields)``, or ``None`` with an error of the column at fault if a model refuses.

    ``at_fault`` maps the model's field (without list indices) to the roster field to
    blame; ``entry`` is the number of the list entry being built, which the error names.
    """
    try:
        return make(**fields)
    except InvalidValue as error:
        row.invalid(at_fault.get(model_path(error.field)), error, entry)
        return None


def record(
    row: Row, at_fault: Mapping[str, str], make: Callable[..., T], **fields: Any
) -> T | None:
    """The row's record, built once every cell is good (:func:`build`, marking a refusal)."""
    made = build(row, at_fault, make, **fields)
    if made is None:
        row.refused = True
    return made
