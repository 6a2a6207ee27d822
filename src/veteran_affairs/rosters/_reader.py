"""Rows to veterans, every problem collected (private engine of ``rosters``).

Each cell is first read on its own (a date, a choice, an identity number …) and checked with
the model's own validator for that field, so every bad field of a row is reported, not only
the first. Only a row whose cells are all good is built into a
:class:`~veteran_affairs.models.Veteran`; the errors the models raise for fields that
contradict one another are mapped back to the column at fault.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from veteran_affairs import divisions
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models.people import Veteran
from veteran_affairs.models.person import Person
from veteran_affairs.models.service import Disability, ServiceRecord
from veteran_affairs.rosters import _cells
from veteran_affairs.rosters._cells import BadCell, as_text, masked
from veteran_affairs.rosters._columns import FIELDS, REQUIRED_FIELDS, ColumnMap, normalise_header
from veteran_affairs.rosters._files import iter_rows
from veteran_affairs.rosters._result import (
    Cell,
    RejectedRow,
    RosterResult,
    RosterRow,
    RowError,
)

_DISABILITY = ("disability_grade", "disability_nature", "disability_assessed_on")

# Model field (or "a/b" pair, as InconsistentRecord names them) → roster field at fault.
_MODEL_FIELDS = {
    "resident_id": "resident_id",
    "name": "name",
    "hukou_division": "hukou_division",
    "hukou_type": "hukou_type",
    "sex": "sex",
    "sex/resident_id": "sex",
    "birth_date": "birth_date",
    "birth_date/resident_id": "birth_date",
    "ethnicity": "ethnicity",
    "phone": "phone",
    "enlisted_on": "enlisted_on",
    "discharged_on": "discharged_on",
    "enlisted_on/discharged_on": "discharged_on",
    "personnel_type": "personnel_type",
    "nco_rank": "nco_rank",
    "personnel_type/nco_rank": "nco_rank",
    "discharge_mode": "discharge_mode",
    "personnel_type/discharge_mode": "discharge_mode",
    "discharge_mode/discharged_on": "discharged_on",
    "grade": "disability_grade",
    "nature": "disability_nature",
    "assessed_on": "disability_assessed_on",
    "service.enlisted_on/person.birth_date": "enlisted_on",
    "disability.assessed_on/service.enlisted_on": "disability_assessed_on",
    "disability.nature/service.personnel_type": "disability_nature",
}


def _text(cell: Cell) -> str:
    return as_text(cell)


def _choice(choices: _cells.Choices[Any]) -> Callable[[Cell], Any]:
    return lambda cell: choices.parse(as_text(cell))[0]


# Roster field → (parser of a non-blank cell, the attrs field whose validator checks it).
_PARSERS: dict[str, Callable[[Cell], Any]] = {
    "name": _text,
    "resident_id": _cells.parse_resident_id,
    "sex": _choice(_cells.SEXES),
    "birth_date": _cells.parse_date,
    "ethnicity": _text,
    "phone": _text,
    "hukou_type": _choice(_cells.HUKOU_TYPES),
    "enlisted_on": _cells.parse_date,
    "discharged_on": _cells.parse_date,
    "discharge_mode": _choice(_cells.DISCHARGE_MODES),
    "nco_rank": _choice(_cells.NCO_RANKS),
    "disability_grade": lambda cell: _cells.parse_grade(as_text(cell)),
    "disability_nature": _choice(_cells.DISABILITY_NATURES),
    "disability_assessed_on": _cells.parse_date,
}
_PERSON = attrs.fields_dict(Person)
_SERVICE = attrs.fields_dict(ServiceRecord)
_DISABLED = attrs.fields_dict(Disability)
_VALIDATED: dict[str, attrs.Attribute[Any]] = {
    "name": _PERSON["name"],
    "ethnicity": _PERSON["ethnicity"],
    "phone": _PERSON["phone"],
    "enlisted_on": _SERVICE["enlisted_on"],
    "discharged_on": _SERVICE["discharged_on"],
    "disability_grade": _DISABLED["grade"],
    "disability_assessed_on": _DISABLED["assessed_on"],
}


@attrs.define
class _Layout:
    """Where each field sits in the rows, and the header texts errors name."""

    index: dict[str, int]
    header_of: dict[str, str]


def _layout(header: Sequence[str], columns: ColumnMap) -> tuple[_Layout, list[RowError]]:
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
    for field in FIELDS:
        if field in REQUIRED_FIELDS and field not in index:
            errors.append(
                RowError(
                    row=1,
                    column=header_of.get(field, field),
                    value=None,
                    reason=f"required column missing ({field})",
                    reason_zh="缺少必填列",
                )
            )
    return _Layout(index=index, header_of=header_of), errors


class _RowReader:
    """Reads the data rows of one roster against one layout."""

    def __init__(self, layout: _Layout, within: DivisionCode | None) -> None:
        self.layout = layout
        self.within = within
        self.seen: dict[str, int] = {}  # identity number → first row that had it

    def _error(
        self, row: int, field: str | None, cells: tuple[Cell, ...], reason: str, reason_zh: str
    ) -> RowError:
        if field is None:
            return RowError(row=row, column=None, value=None, reason=reason, reason_zh=reason_zh)
        position = self.layout.index.get(field)
        cell = cells[position] if position is not None and position < len(cells) else None
        return RowError(
            row=row,
            column=self.layout.header_of.get(field, field),
            value=masked(field, as_text(cell)),
            reason=reason,
            reason_zh=reason_zh,
        )

    def read(self, row: int, cells: tuple[Cell, ...]) -> Veteran | list[RowError]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        for field, position in self.layout.index.items():
            cell = cells[position] if position < len(cells) else None
            if not as_text(cell):
                if field in REQUIRED_FIELDS:
                    errors.append(
                        self._error(row, field, cells, "required, but blank", "必填项为空")
                    )
                continue
            try:
                values[field] = self._parse(field, cell)
            except BadCell as bad:
                errors.append(self._error(row, field, cells, bad.reason, bad.reason_zh))
        for field in _DISABILITY:
            if field not in values and any(f in values for f in _DISABILITY):
                # A companion whose column the file lacks is reported on the row, naming it:
                # an error never points at a column the roster does not have.
                absent = field not in self.layout.index
                header = self.layout.header_of.get(field, field)
                errors.append(
                    self._error(
                        row,
                        None if absent else field,
                        cells,
                        "a disability needs its grade, nature and assessment date"
                        + (f" (no column {header})" if absent else ""),
                        "伤残须同时填写等级、性质和评残时间"
                        + (f"（缺少{header}列）" if absent else ""),
                    )
                )
        implied = values.get("personnel_type", (None, None))[1]
        if implied is not None and values.get("nco_rank", implied) is not implied:
            errors.append(
                self._error(
                    row,
                    "nco_rank",
                    cells,
                    f"contradicts the personnel type ({implied.label_zh})",
                    f"与人员类别（{implied.label_zh}）不符",
                )
            )
        rid = values.get("resident_id")
        if isinstance(rid, ResidentId):
            errors.extend(self._against_id(row, cells, rid, values))
        if errors:
            return errors
        try:
            return self._build(values)
        except InvalidValue as error:
            at_fault = _MODEL_FIELDS.get(error.field)
            return [self._error(row, at_fault, cells, error.reason, error.reason_zh)]

    def _parse(self, field: str, cell: Cell) -> Any:
        if field == "hukou_division":
            return _cells.parse_division(as_text(cell), self.within)
        if field == "personnel_type":
            return _cells.PERSONNEL_TYPES.parse(as_text(cell))
        value = _PARSERS[field](cell)
        attribute = _VALIDATED.get(field)
        if attribute is not None and attribute.validator is not None:
            try:
                attribute.validator(None, attribute, value)
            except InvalidValue as error:
                raise BadCell(error.reason, error.reason_zh) from None
        return value

    def _against_id(
        self, row: int, cells: tuple[Cell, ...], rid: ResidentId, values: dict[str, Any]
    ) -> list[RowError]:
        errors = []
        first = self.seen.setdefault(rid.unmasked, row)
        if first != row:
            errors.append(
                self._error(
                    row,
                    "resident_id",
                    cells,
                    f"the same identity number is already in row {first}",
                    f"与第{first}行身份证号重复",
                )
            )
        sex = values.get("sex")
        if sex is not None and sex is not rid.sex:
            errors.append(
                self._error(
                    row,
                    "sex",
                    cells,
                    "sex does not match the identity number",
                    "性别与身份证号码不符",
                )
            )
        born = values.get("birth_date")
        if isinstance(born, dt.date) and born != rid.birth_date:
            errors.append(
                self._error(
                    row,
                    "birth_date",
                    cells,
                    "birth date does not match the identity number",
                    "出生日期与身份证号码不符",
                )
            )
        return errors

    def _build(self, values: dict[str, Any]) -> Veteran:
        personnel_type, implied_rank = values["personnel_type"]
        person = Person(
            resident_id=values["resident_id"],
            name=values["name"],
            hukou_division=values["hukou_division"],
            hukou_type=values["hukou_type"],
            ethnicity=values.get("ethnicity"),
            phone=values.get("phone"),
        )
        service = ServiceRecord(
            enlisted_on=values["enlisted_on"],
            personnel_type=personnel_type,
            discharged_on=values["discharged_on"],
            nco_rank=values.get("nco_rank", implied_rank),
            discharge_mode=values["discharge_mode"],
        )
        disability = None
        if "disability_grade" in values:
            disability = Disability(
                grade=values["disability_grade"],
                nature=values["disability_nature"],
                assessed_on=values["disability_assessed_on"],
            )
        return Veteran(person=person, service=service, disability=disability)


def read_roster(
    path: str | os.PathLike[str],
    columns: ColumnMap,
    *,
    within: DivisionCode | str | None = None,
    sheet: str | None = None,
) -> RosterResult:
    """Read a roster file; the public ``veteran_affairs.rosters.read_roster`` documents it."""
    source = os.fspath(path)
    scope = None
    if within is not None:
        scope = divisions.lookup(within).code  # once: an unknown unit fails here, not per row
    table = iter_rows(path, sheet)
    first = next(table, None)
    if first is None or not any(as_text(c) for c in first):
        error = RowError(
            row=1,
            column=None,
            value=None,
            reason="the roster has no header row",
            reason_zh="花名册缺少表头行",
        )
        return RosterResult(
            source=source, header=(), rows=(), errors=(error,), rejects=(), rows_read=0
        )
    header = tuple(as_text(c) for c in first)
    layout, header_errors = _layout(header, columns)
    if header_errors:
        reject = RejectedRow(row=1, cells=first, errors=tuple(header_errors))
        return RosterResult(
            source=source,
            header=header,
            rows=(),
            errors=tuple(header_errors),
            rejects=(reject,),
            rows_read=0,
        )
    reader = _RowReader(layout, scope)
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    rejects: list[RejectedRow] = []
    read = 0
    for number, cells in enumerate(table, start=2):
        if not any(as_text(c) for c in cells):
            continue
        read += 1
        outcome = reader.read(number, cells)
        if isinstance(outcome, Veteran):
            rows.append(RosterRow(row=number, veteran=outcome, cells=cells))
        else:
            errors.extend(outcome)
            rejects.append(RejectedRow(row=number, cells=cells, errors=tuple(outcome)))
    return RosterResult(
        source=source,
        header=header,
        rows=tuple(rows),
        errors=tuple(errors),
        rejects=tuple(rejects),
        rows_read=read,
    )
