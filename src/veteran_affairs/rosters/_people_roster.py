"""Rows of veterans' and survivors' rosters into ``Veteran`` and ``Survivor`` (private engine).

Both kinds share the person's columns (姓名, 公民身份号码, 户籍地 …), the entitlement
statuses (优抚对象类别 with 优抚认定时间 and 优抚终止时间), the sanctions (惩处情形 with its
dates) and the circumstance facts (是/否, blank for unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models.circumstances import Circumstances, Sanction
from veteran_affairs.models.entitlement import EntitlementStatus
from veteran_affairs.models.people import Person, Survivor, Veteran
from veteran_affairs.models.service import Award, Disability, ServiceRecord
from veteran_affairs.rosters import _cells
from veteran_affairs.rosters._cells import (
    DATE_SEPARATORS,
    LABEL_SEPARATORS,
    WARTIME,
    date_of_text,
    division_parser,
)
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    build,
    choice,
    date,
    listed,
    record,
    resident_id,
    text,
)
from veteran_affairs.rosters._roster_columns import CIRCUMSTANCE_FIELDS, RosterKind

_DISABILITY = ("disability_grade", "disability_nature", "disability_assessed_on")


def _award(entry: str) -> tuple[Any, bool]:
    """An award with its wartime mark: ``战时三等功`` → (三等功, True); ``平时`` is the default."""
    wartime = entry.startswith(WARTIME)
    kind = _cells.AWARD_KINDS.value(entry.removeprefix(WARTIME).removeprefix("平时").strip())
    return kind, wartime


def _person_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    division = division_parser(within)
    yes_no = choice(_cells.YES_NO)
    return {
        "name": text,
        "resident_id": resident_id,
        "sex": choice(_cells.SEXES),
        "birth_date": date,
        "ethnicity": text,
        "phone": text,
        "hukou_division": lambda value, _cell: division(value),
        "hukou_type": choice(_cells.HUKOU_TYPES),
        "died_on": date,
        "categories": listed(_cells.ENTITLEMENT_CATEGORIES.value, LABEL_SEPARATORS),
        "categories_since": listed(date_of_text, DATE_SEPARATORS),
        "categories_until": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
        "sanctions": listed(_cells.SANCTION_KINDS.value, LABEL_SEPARATORS),
        "sanctions_since": listed(date_of_text, DATE_SEPARATORS),
        "sanctions_until": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
        **dict.fromkeys(CIRCUMSTANCE_FIELDS, yes_no),
    }


def _veteran_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    yes_no = choice(_cells.YES_NO)
    return {
        **_person_parsers(within),
        "enlisted_on": date,
        "discharged_on": date,
        "personnel_type": lambda value, _cell: _cells.PERSONNEL_TYPES.parse(value),
        "discharge_mode": choice(_cells.DISCHARGE_MODES),
        "nco_rank": choice(_cells.NCO_RANKS),
        "disability_grade": lambda value, _cell: _cells.parse_grade(value),
        "disability_nature": choice(_cells.DISABILITY_NATURES),
        "disability_assessed_on": date,
        "mental_disorder": yes_no,
        "awards": listed(_award, LABEL_SEPARATORS),
        "awards_on": listed(date_of_text, DATE_SEPARATORS),
        "combat_participant": yes_no,
        "test_participant": yes_no,
    }


def _survivor_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        **_person_parsers(within),
        "relation": choice(_cells.RELATIONS),
        "death_category": choice(_cells.DEATH_CATEGORIES),
        "deceased_on": date,
        "deceased_id": resident_id,
    }


_PERSON = attrs.fields_dict(Person)
_SERVICE = attrs.fields_dict(ServiceRecord)
_DISABLED = attrs.fields_dict(Disability)
_PERSON_CHECKS: dict[str, Check] = {
    "name": attribute_check(_PERSON["name"]),
    "ethnicity": attribute_check(_PERSON["ethnicity"]),
    "phone": attribute_check(_PERSON["phone"]),
    "died_on": attribute_check(_PERSON["died_on"]),
}
_VETERAN_CHECKS: dict[str, Check] = {
    **_PERSON_CHECKS,
    "enlisted_on": attribute_check(_SERVICE["enlisted_on"]),
    "discharged_on": attribute_check(_SERVICE["discharged_on"]),
    "disability_grade": attribute_check(_DISABLED["grade"]),
    "disability_assessed_on": attribute_check(_DISABLED["assessed_on"]),
}
_SURVIVOR_CHECKS: dict[str, Check] = {
    **_PERSON_CHECKS,
    "deceased_on": attribute_check(attrs.fields_dict(Survivor)["deceased_on"]),
}

# Model field (without list indices; or "a/b", as InconsistentRecord names a pair) → the
# roster field at fault.
_PERSON_FAULTS = {
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
    "died_on": "died_on",
    "birth_date/died_on": "died_on",
    "statuses.since/person.birth_date": "categories_since",
}
_VETERAN_FAULTS = {
    **_PERSON_FAULTS,
    "enlisted_on": "enlisted_on",
    "discharged_on": "discharged_on",
    "enlisted_on/discharged_on": "discharged_on",
    "personnel_type": "personnel_type",
    "nco_rank": "nco_rank",
    "personnel_type/nco_rank": "nco_rank",
    "discharge_mode": "discharge_mode",
    "personnel_type/discharge_mode": "discharge_mode",
    "discharge_mode/discharged_on": "discharged_on",
    "awards.awarded_on": "awards_on",
    "grade": "disability_grade",
    "nature": "disability_nature",
    "assessed_on": "disability_assessed_on",
    "service.enlisted_on/person.birth_date": "enlisted_on",
    "person.died_on/service.discharged_on": "died_on",
    "disability.assessed_on/service.enlisted_on": "disability_assessed_on",
    "disability.nature/service.personnel_type": "disability_nature",
}
_SURVIVOR_FAULTS = {
    **_PERSON_FAULTS,
    "deceased_on": "deceased_on",
    "person.died_on/deceased_on": "died_on",
    "statuses.category/death_category": "categories",
    "statuses.since/deceased_on": "categories_since",
    "deceased_id/person.resident_id": "deceased_id",
}


# --- checks of fields against one another ---------------------------------------------------


def _against_id(row: Row) -> None:
    """Sex and birth date against what the identity number says."""
    rid = row.values.get("resident_id")
    if not isinstance(rid, ResidentId):
        return
    sex = row.values.get("sex")
    if sex is not None and sex is not rid.sex:
        row.error("sex", "sex does not match the identity number", "性别与身份证号码不符")
    born = row.values.get("birth_date")
    if isinstance(born, dt.date) and born != rid.birth_date:
        row.error(
            "birth_date",
            "birth date does not match the identity number",
            "出生日期与身份证号码不符",
        )


def _statuses(row: Row) -> tuple[EntitlementStatus, ...]:
    row.without("categories", ("categories_since", "categories_until"))
    categories = row.values.get("categories")
    if not categories:
        return ()
    since = row.aligned("categories", "categories_since", len(categories), required=True)
    until = row.aligned("categories", "categories_until", len(categories), required=False)
    if since is None or until is None:
        return ()
    found: list[Any] = []
    for number, (category, began, ended) in enumerate(
        zip(categories, since, until, strict=True), start=1
    ):
        status = build(
            row,
            {"since/until": "categories_until"},
            EntitlementStatus,
            entry=number,
            category=category,
            since=began,
            until=ended,
        )
        if status is not None:
            found.append(status)
    return tuple(found)


_SANCTION_FAULTS = {
    "since": "sanctions_since",
    "until": "sanctions_until",
    "since/until": "sanctions_until",
}


def _sanctions(row: Row) -> tuple[Sanction, ...]:
    row.without("sanctions", ("sanctions_since", "sanctions_until"))
    kinds = row.values.get("sanctions")
    if not kinds:
        return ()
    since = row.aligned("sanctions", "sanctions_since", len(kinds), required=True)
    until = row.aligned("sanctions", "sanctions_until", len(kinds), required=False)
    if since is None or until is None:
        return ()
    found: list[Any] = []
    for number, (kind, began, ended) in enumerate(zip(kinds, since, until, strict=True), start=1):
        sanction = build(
            row,
            _SANCTION_FAULTS,
            Sanction,
            entry=number,
            kind=kind,
            since=began,
            until=ended,
        )
        if sanction is not None:
            found.append(sanction)
    return tuple(found)


def _awards(row: Row) -> tuple[Award, ...]:
    row.without("awards", ("awards_on",))
    awards = row.values.get("awards")
    if not awards:
        return ()
    dates = row.aligned("awards", "awards_on", len(awards), required=True)
    if dates is None:
        return ()
    found: list[Any] = []
    for number, ((kind, wartime), on) in enumerate(zip(awards, dates, strict=True), start=1):
        award = build(
            row,
            {"awarded_on": "awards_on"},
            Award,
            entry=number,
            kind=kind,
            awarded_on=on,
            wartime=wartime,
        )
        if award is not None:
            found.append(award)
    return tuple(found)


_UNKNOWN = Circumstances()  # a frozen value: every row without facts shares it


def _circumstances(values: Mapping[str, Any]) -> Circumstances:
    facts = {field: values[field] for field in CIRCUMSTANCE_FIELDS if field in values}
    return Circumstances(**facts) if facts else _UNKNOWN


def _person(values: Mapping[str, Any]) -> Person:
    return Person(
        resident_id=values["resident_id"],
        name=values["name"],
        hukou_division=values["hukou_division"],
        hukou_type=values["hukou_type"],
        ethnicity=values.get("ethnicity"),
        phone=values.get("phone"),
        died_on=values.get("died_on"),
    )


# --- veterans ------------------------------------------------------------------------------------


def _assemble_veteran(row: Row) -> Veteran | None:
    values = row.values
    for field in _DISABILITY:
        if field not in values and any(f in values for f in _DISABILITY):
            row.missing(
                field,
                "a disability needs its grade, nature and assessment date",
                "伤残须同时填写等级、性质和评残时间",
            )
    if values.get("mental_disorder") and not row.given("disability_grade"):
        row.error(
            "mental_disorder",
            "only a disability can be assessed for a mental disorder: fill 伤残等级",
            "精神障碍致残须有伤残等级",
        )
    implied = values.get("personnel_type", (None, None))[1]
    if implied is not None and values.get("nco_rank", implied) is not implied:
        row.error(
            "nco_rank",
            f"contradicts the personnel type ({implied.label_zh})",
            f"与人员类别（{implied.label_zh}）不符",
        )
    statuses = _statuses(row)
    sanctions = _sanctions(row)
    awards = _awards(row)
    _against_id(row)
    if row.errors:
        return None
    return record(
        row,
        _VETERAN_FAULTS,
        _veteran,
        values=values,
        statuses=statuses,
        sanctions=sanctions,
        awards=awards,
    )


def _veteran(
    values: Mapping[str, Any],
    statuses: tuple[EntitlementStatus, ...],
    sanctions: tuple[Sanction, ...],
    awards: tuple[Award, ...],
) -> Veteran:
    personnel_type, implied_rank = values["personnel_type"]
    service = ServiceRecord(
        enlisted_on=values["enlisted_on"],
        personnel_type=personnel_type,
        discharged_on=values["discharged_on"],
        nco_rank=values.get("nco_rank", implied_rank),
        discharge_mode=values["discharge_mode"],
        awards=awards,
        combat_participant=values.get("combat_participant", False),
        test_participant=values.get("test_participant", False),
    )
    disability = None
    if "disability_grade" in values:
        disability = Disability(
            grade=values["disability_grade"],
            nature=values["disability_nature"],
            assessed_on=values["disability_assessed_on"],
            mental_disorder=values.get("mental_disorder", False),
        )
    return Veteran(
        person=_person(values),
        service=service,
        disability=disability,
        statuses=statuses,
        circumstances=_circumstances(values),
        sanctions=sanctions,
    )


def _person_key(values: Mapping[str, Any]) -> str | None:
    rid = values.get("resident_id")
    return rid.unmasked if isinstance(rid, ResidentId) else None


_SAME_ID = ("the same identity number is already in row {row}", "与第{row}行身份证号重复")

VETERANS = Spec(
    kind=RosterKind.VETERANS,
    parsers=_veteran_parsers,
    checks=_VETERAN_CHECKS,
    assemble=_assemble_veteran,
    key=_person_key,
    duplicate=_SAME_ID,
)


# --- survivors -----------------------------------------------------------------------------------


def _assemble_survivor(row: Row) -> Survivor | None:
    statuses = _statuses(row)
    sanctions = _sanctions(row)
    _against_id(row)
    if row.errors:
        return None
    values = row.values
    return record(
        row, _SURVIVOR_FAULTS, _survivor, values=values, statuses=statuses, sanctions=sanctions
    )


def _survivor(
    values: Mapping[str, Any],
    statuses: tuple[EntitlementStatus, ...],
    sanctions: tuple[Sanction, ...],
) -> Survivor:
    return Survivor(
        person=_person(values),
        relation=values["relation"],
        death_category=values["death_category"],
        deceased_on=values["deceased_on"],
        deceased_id=values.get("deceased_id"),
        statuses=statuses,
        circumstances=_circumstances(values),
        sanctions=sanctions,
    )


SURVIVORS = Spec(
    kind=RosterKind.SURVIVORS,
    parsers=_survivor_parsers,
    checks=_SURVIVOR_CHECKS,
    assemble=_assemble_survivor,
    key=_person_key,
    duplicate=_SAME_ID,
)
