"""The discharge-transition registers (private engine of ``rosters``): ``DischargeRecord``
(退役报到安置台账), ``TrainingEnrolment`` (教育培训台账) and ``EmploymentRecord`` (就业情况台账).

One row per veteran's discharge (the veteran's identity number is its key), per course and
per spell of employment. Each names the office handling the veteran (办理单位, the unit a store
scopes the record by: a store keeps only records that name it). The discharge record's events
are date columns, each blank until it happens; 是/否 columns default to 否 when blank, except
免费培训, whose blank is 是 (a course the government pays for, as the model's default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    TrainingEnrolment,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cells import DISCHARGE_MODES, PERSONNEL_TYPES, YES_NO
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    choice,
    date,
    record,
    resident_id,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._writing import RowCell, id_cell


def _yes_no(fact: bool) -> str:
    return "是" if fact else "否"


def _optional(value: Any) -> RowCell:
    return "" if value is None else value


def _key_of(field: str) -> Any:
    def key(values: Mapping[str, Any]) -> str | None:
        found = values.get(field)
        return found if isinstance(found, str) else None

    return key


# --- discharge records -----------------------------------------------------------------------

EVENTS = (
    "approved_on",
    "reported_on",
    "settlement_fixed_on",
    "registered_on",
    "received_on",
    "placed_on",
    "letter_on",
    "on_post_on",
    "school_entered_on",
    "adaptive_trained_on",
)
"""The date columns of a discharge record's events (besides 退役时间 and 规定报到时间)."""


def _discharge_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "veteran": resident_id,
        "unit": vocab.unit_parser(within),
        "personnel_type": choice(PERSONNEL_TYPES),
        "discharge_mode": choice(DISCHARGE_MODES),
        "discharged_on": date,
        "report_by": date,
        **dict.fromkeys(EVENTS, date),
        "school_place_reserved": choice(YES_NO),
    }


_RECORD = attrs.fields_dict(DischargeRecord)
_DISCHARGE_CHECKS: dict[str, Check] = {
    field: attribute_check(_RECORD[field]) for field in ("discharged_on", *EVENTS)
}
_DISCHARGE_AT_FAULT = {
    "personnel_type/discharge_mode": "discharge_mode",
    "approved_on/discharged_on": "approved_on",
    "received_on/placed_on": "placed_on",
    "letter_on/on_post_on": "on_post_on",
    "settlement_fixed_on/personnel_type": "settlement_fixed_on",
    "report_by/discharge_mode": "report_by",
    "school_entered_on/school_place_reserved": "school_entered_on",
    "report_by/approved_on": "report_by",
    **{f"{field}/approved_on": field for field in EVENTS},
    **{f"{field}/discharge_mode": field for field in EVENTS},
}


def _discharge(row: Row) -> DischargeRecord | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        _DISCHARGE_AT_FAULT,
        DischargeRecord,
        veteran=values["veteran"],
        unit=values.get("unit"),
        personnel_type=values["personnel_type"],
        discharge_mode=values["discharge_mode"],
        discharged_on=values["discharged_on"],
        report_by=values.get("report_by"),
        school_place_reserved=values.get("school_place_reserved", False),
        **{field: values.get(field) for field in EVENTS},
    )


def _discharge_key(values: Mapping[str, Any]) -> str | None:
    veteran = values.get("veteran")
    return None if veteran is None else str(veteran.unmasked)


DISCHARGE_RECORDS = Spec(
    kind=RosterKind.DISCHARGE_RECORDS,
    parsers=_discharge_parsers,
    checks=_DISCHARGE_CHECKS,
    assemble=_discharge,
    key=_discharge_key,
    duplicate=(
        "the same veteran's discharge is already in row {row}",
        "与第{row}行为同一退役军人",
    ),
)


def discharge_cells(item: DischargeRecord, personal: bool) -> dict[str, RowCell]:
    """A discharge record's cells by field (read back to an equal record)."""
    return {
        "veteran": id_cell(item.veteran, personal),
        "unit": "" if item.unit is None else item.unit.short,
        "personnel_type": item.personnel_type.label_zh,
        "discharge_mode": item.discharge_mode.label_zh,
        "discharged_on": item.discharged_on,
        "report_by": _optional(item.report_by),
        "school_place_reserved": _yes_no(item.school_place_reserved),
        **{field: _optional(getattr(item, field)) for field in EVENTS},
    }


# --- training ----------------------------------------------------------------------------------


def _training_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "enrolment_id": text,
        "veteran": resident_id,
        "unit": vocab.unit_parser(within),
        "kind": choice(vocab.TRAINING_KINDS),
        "enrolled_on": date,
        "free": choice(YES_NO),
        "provider": text,
        "completed_on": date,
        "certified": choice(YES_NO),
    }


_COURSE = attrs.fields_dict(TrainingEnrolment)
_TRAINING_CHECKS: dict[str, Check] = {
    field: attribute_check(_COURSE[field])
    for field in ("enrolment_id", "enrolled_on", "provider", "completed_on")
}


def _training(row: Row) -> TrainingEnrolment | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        {
            "enrolment_id": "enrolment_id",
            "provider": "provider",
            "enrolled_on/completed_on": "completed_on",
            "certified/completed_on": "certified",
        },
        TrainingEnrolment,
        enrolment_id=values["enrolment_id"],
        veteran=values["veteran"],
        unit=values.get("unit"),
        kind=values["kind"],
        enrolled_on=values["enrolled_on"],
        free=values.get("free", True),
        provider=values.get("provider"),
        completed_on=values.get("completed_on"),
        certified=values.get("certified", False),
    )


TRAINING_ENROLMENTS = Spec(
    kind=RosterKind.TRAINING_ENROLMENTS,
    parsers=_training_parsers,
    checks=_TRAINING_CHECKS,
    assemble=_training,
    key=_key_of("enrolment_id"),
    duplicate=("the same course number is already in row {row}", "与第{row}行培训编号重复"),
)


def training_cells(course: TrainingEnrolment, personal: bool) -> dict[str, RowCell]:
    """A course's cells by field (read back to an equal enrolment)."""
    return {
        "enrolment_id": course.enrolment_id,
        "veteran": id_cell(course.veteran, personal),
        "unit": "" if course.unit is None else course.unit.short,
        "kind": course.kind.label_zh,
        "enrolled_on": course.enrolled_on,
        "free": _yes_no(course.free),
        "provider": course.provider or "",
        "completed_on": _optional(course.completed_on),
        "certified": _yes_no(course.certified),
    }


# --- employment --------------------------------------------------------------------------------


def _employment_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "record_id": text,
        "veteran": resident_id,
        "unit": vocab.unit_parser(within),
        "status": choice(vocab.EMPLOYMENT_STATUSES),
        "started_on": date,
        "ended_on": date,
        "employer": text,
        "contract_years": vocab.count,
        "open_ended": choice(YES_NO),
        "difficulty": choice(YES_NO),
    }


_SPELL = attrs.fields_dict(EmploymentRecord)
_EMPLOYMENT_CHECKS: dict[str, Check] = {
    field: attribute_check(_SPELL[field])
    for field in ("record_id", "started_on", "ended_on", "employer", "contract_years")
}


def _employment(row: Row) -> EmploymentRecord | None:
    values = row.values
    status = values.get("status")
    if status is not None and not status.has_employer:
        for field in ("employer", "contract_years", "open_ended"):
            if values.get(field):
                row.error(
                    field,
                    f"{status.label_zh} has no employer or contract: leave it blank",
                    f"{status.label_zh}不登记用人单位或合同，请留空",
                )
    if row.errors:
        return None
    return record(
        row,
        {
            "record_id": "record_id",
            "employer": "employer",
            "contract_years": "contract_years",
            "started_on/ended_on": "ended_on",
            "contract_years/open_ended": "open_ended",
        },
        EmploymentRecord,
        record_id=values["record_id"],
        veteran=values["veteran"],
        unit=values.get("unit"),
        status=values["status"],
        started_on=values["started_on"],
        ended_on=values.get("ended_on"),
        employer=values.get("employer"),
        contract_years=values.get("contract_years"),
        open_ended=values.get("open_ended", False),
        difficulty=values.get("difficulty", False),
    )


EMPLOYMENT_RECORDS = Spec(
    kind=RosterKind.EMPLOYMENT_RECORDS,
    parsers=_employment_parsers,
    checks=_EMPLOYMENT_CHECKS,
    assemble=_employment,
    key=_key_of("record_id"),
    duplicate=("the same record number is already in row {row}", "与第{row}行就业记录编号重复"),
)


def employment_cells(spell: EmploymentRecord, personal: bool) -> dict[str, RowCell]:
    """A spell's cells by field (read back to an equal record)."""
    return {
        "record_id": spell.record_id,
        "veteran": id_cell(spell.veteran, personal),
        "unit": "" if spell.unit is None else spell.unit.short,
        "status": spell.status.label_zh,
        "started_on": spell.started_on,
        "ended_on": _optional(spell.ended_on),
        "employer": spell.employer or "",
        "contract_years": "" if spell.contract_years is None else str(spell.contract_years),
        "open_ended": _yes_no(spell.open_ended),
        "difficulty": _yes_no(spell.difficulty),
    }
