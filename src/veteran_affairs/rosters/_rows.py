"""Records back into roster rows, for exports (private engine of ``rosters``).

Each kind's row has one cell per column of the kind's canonical header. Dates of single-date
columns are ``datetime.date`` values and amounts ``Decimal`` (so that a workbook gets date
and number cells); everything else is text: identity numbers and codes, choices as their
Chinese labels, 是/否 for facts (blank when unknown), and list cells joined with ``、``.
The reader reads such a row back to an equal record when personal data are written in full.

Masked (``personal=False``), a row hides what would let a reader rebuild an identity number
from its masked form, whose hidden digits are the birth date (``docs/privacy.md``): names,
identity numbers and phones are masked, and of a person's row every date that falls within a
day of the person's birthday in any year — the birth date itself, and a status that begins at
60 or ends at 18 — is written :data:`MASKED_DATE`.

A casework register's row (信访件, 保险接续, 村两委成员 …) masks its identity numbers the same
way; its dates are the dates of the office's own steps, none derived from a birthday, so they
are written as they are: hiding only those that happen to fall near a birthday would itself
point at the birth date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from veteran_affairs.identity import ResidentId
from veteran_affairs.models.assistance import AssistanceCase
from veteran_affairs.models.circumstances import Circumstances, Sanction
from veteran_affairs.models.entitlement import EntitlementStatus
from veteran_affairs.models.household import PlaqueHousehold, PlaqueRecoveryReason
from veteran_affairs.models.people import HukouType, Person, Survivor, Veteran
from veteran_affairs.models.service import NcoRank, PersonnelType
from veteran_affairs.rosters import (
    _cadres,
    _contacts,
    _legacy_roster,
    _petition_roster,
    _request_roster,
    _transfers,
    _transition,
)
from veteran_affairs.rosters._cases import MILESTONES
from veteran_affairs.rosters._cells import LIST_SEPARATOR, WARTIME, mask
from veteran_affairs.rosters._result import RosterRecord
from veteran_affairs.rosters._roster_columns import CIRCUMSTANCE_FIELDS, RosterKind
from veteran_affairs.rosters._writing import RowCell

# The casework registers: each kind's cells by field, from its own module (which reads them).
_CASEWORK_CELLS: dict[RosterKind, Callable[[Any, bool], dict[str, RowCell]]] = {
    RosterKind.PETITIONS: _petition_roster.cells,
    RosterKind.LEGACY_CASES: _legacy_roster.cells,
    RosterKind.INSURANCE_TRANSFERS: _transfers.cells,
    RosterKind.BAOLIAN_ASSIGNMENTS: _contacts.assignment_cells,
    RosterKind.BAOLIAN_TALKS: _contacts.talk_cells,
    RosterKind.VILLAGE_CADRES: _cadres.cells,
    RosterKind.DISCHARGE_RECORDS: _transition.discharge_cells,
    RosterKind.TRAINING_ENROLMENTS: _transition.training_cells,
    RosterKind.EMPLOYMENT_RECORDS: _transition.employment_cells,
    RosterKind.RECEPTION_SESSIONS: _contacts.session_cells,
    RosterKind.REQUESTS: _request_roster.cells,
}

_PERSONNEL_ZH = {
    PersonnelType.OFFICER: "军官",
    PersonnelType.CONSCRIPT: "义务兵",
    PersonnelType.NCO: "士官",
}
_RANK_ZH = {NcoRank.JUNIOR: "初级", NcoRank.INTERMEDIATE_OR_SENIOR: "中级以上"}
_GRADES_ZH = "一二三四五六七八九十"
# A label with a list separator in it is written in a form the reader accepts whole.
_RECOVERY_ZH = {PlaqueRecoveryReason.EXPULSION: "除名或开除军籍"}
_STEP_FIELD = {status: field for field, status in MILESTONES}


def kind_of(record: object) -> RosterKind:
    """The kind of roster a record belongs in.

    Raises:
        TypeError: a record of no kind of roster.
    """
    for kind in RosterKind:
        if isinstance(record, kind.record_type):
            return kind
    raise TypeError(
        f"no roster holds a {type(record).__name__}: give a Veteran, Survivor, "
        "PlaqueHousehold, AssistanceCase or a casework record of RosterKind.record_type"
    )


def roster_row(record: RosterRecord, *, personal: bool = True) -> list[RowCell]:
    """A record as typed cells under its kind's header (:func:`kind_of`)."""
    kind = kind_of(record)
    if isinstance(record, Veteran):
        cells = _veteran(record, personal)
    elif isinstance(record, Survivor):
        cells = _survivor(record, personal)
    elif isinstance(record, PlaqueHousehold):
        cells = _household(record, personal)
    elif isinstance(record, AssistanceCase):
        cells = _case(record, personal)
    else:
        cells = _CASEWORK_CELLS[kind](record, personal)
    return [cells.get(field, "") for field in kind.fields]


def _date_text(day: dt.date, form: int) -> str:
    if form == 0:
        return day.isoformat()
    if form == 1:
        return f"{day.year}/{day.month}/{day.day}"
    if form == 2:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def roster_cells(record: RosterRecord, *, personal: bool = True, date_form: int = 0) -> list[str]:
    """A record as text cells under its kind's header (the reader reads them back).

    ``date_form`` picks how dates are written: 0 ``2021-01-06``, 1 ``2021/1/6``,
    2 ``2021年1月6日``, 3 ``20210106``.
    """
    return [
        _date_text(cell, date_form)
        if isinstance(cell, dt.date)
        else format(cell, "f")
        if isinstance(cell, Decimal)
        else cell
        for cell in roster_row(record, personal=personal)
    ]


# --- cells ---------------------------------------------------------------------------------------


def _yes_no(fact: bool | None) -> str:
    return "" if fact is None else "是" if fact else "否"


def _joined(entries: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(entries)


def _days(days: Iterable[dt.date | None]) -> str:
    listed = list(days)
    if all(day is None for day in listed):
        return ""
    return _joined("" if day is None else day.isoformat() for day in listed)


def _id(rid: ResidentId, personal: bool) -> str:
    return rid.unmasked if personal else rid.masked


def _ids(rids: Iterable[ResidentId], personal: bool) -> str:
    return _joined(_id(rid, personal) for rid in rids)


MASKED_DATE = "****-**-**"
"""What a masked row writes for a date that would give away a birth date."""

_BIRTHDAY_NEAR = dt.timedelta(days=1)
# The single-date and list-of-dates cells of the person kinds (the list cells hold ISO dates).
_DATE_LISTS = frozenset(
    {"awards_on", "categories_since", "categories_until", "sanctions_since", "sanctions_until"}
)


def _near_birthday(day: dt.date, born: dt.date) -> bool:
    """Whether ``day`` lies within a day of ``born``'s anniversary (29 February: 1 March)."""
    for year in range(max(day.year - 1, dt.MINYEAR), min(day.year + 1, dt.MAXYEAR) + 1):
        try:
            anniversary = born.replace(year=year)
        except ValueError:  # 29 February in a common year
            anniversary = dt.date(year, 3, 1)
        if abs(day - anniversary) <= _BIRTHDAY_NEAR:
            return True
    return False


def _without_birthdays(cells: dict[str, RowCell], born: dt.date) -> dict[str, RowCell]:
    """A masked person row's cells, with every date near a birthday written masked."""

    def hidden(day: dt.date) -> RowCell:
        return MASKED_DATE if _near_birthday(day, born) else day

    shown: dict[str, RowCell] = {}
    for field, cell in cells.items():
        if isinstance(cell, dt.date):
            shown[field] = hidden(cell)
        elif field in _DATE_LISTS and isinstance(cell, str) and cell:
            entries = cell.split(LIST_SEPARATOR)
            shown[field] = _joined(
                "" if not entry else str(hidden(dt.date.fromisoformat(entry))) for entry in entries
            )
        else:
            shown[field] = cell
    return shown


def _person(person: Person, personal: bool) -> dict[str, RowCell]:
    name, phone = person.name, person.phone or ""
    if not personal:
        name, phone = mask("name", name), mask("phone", phone)
    return {
        "name": name,
        "resident_id": _id(person.resident_id, personal),
        "sex": person.sex.label_zh,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity or "",
        "phone": phone,
        "hukou_division": person.hukou_division.short,
        "hukou_type": "农村" if person.hukou_type is HukouType.RURAL else "城镇",
        "died_on": "" if person.died_on is None else person.died_on,
    }


def _statuses(statuses: tuple[EntitlementStatus, ...]) -> dict[str, RowCell]:
    return {
        "categories": _joined(s.category.label_zh for s in statuses),
        "categories_since": _days(s.since for s in statuses),
        "categories_until": _days(s.until for s in statuses),
    }


def _sanctions(sanctions: tuple[Sanction, ...]) -> dict[str, RowCell]:
    return {
        "sanctions": _joined(s.kind.label_zh for s in sanctions),
        "sanctions_since": _days(s.since for s in sanctions),
        "sanctions_until": _days(s.until for s in sanctions),
    }


def _circumstances(facts: Circumstances) -> dict[str, RowCell]:
    return {field: _yes_no(getattr(facts, field)) for field in CIRCUMSTANCE_FIELDS}


def _veteran(veteran: Veteran, personal: bool) -> dict[str, RowCell]:
    service, disability = veteran.service, veteran.disability
    cells = _person(veteran.person, personal)
    cells |= {
        "enlisted_on": service.enlisted_on,
        "discharged_on": "" if service.discharged_on is None else service.discharged_on,
        "personnel_type": _PERSONNEL_ZH[service.personnel_type],
        "discharge_mode": "" if service.discharge_mode is None else service.discharge_mode.label_zh,
        "nco_rank": "" if service.nco_rank is None else _RANK_ZH[service.nco_rank],
        "awards": _joined((WARTIME if a.wartime else "") + a.kind.label_zh for a in service.awards),
        "awards_on": _days(a.awarded_on for a in service.awards),
        "combat_participant": _yes_no(service.combat_participant),
        "test_participant": _yes_no(service.test_participant),
    }
    if disability is not None:
        cells |= {
            "disability_grade": f"{_GRADES_ZH[disability.grade - 1]}级",
            "disability_nature": disability.nature.label_zh,
            "disability_assessed_on": disability.assessed_on,
            "mental_disorder": _yes_no(disability.mental_disorder),
        }
    cells |= (
        _statuses(veteran.statuses)
        | _sanctions(veteran.sanctions)
        | _circumstances(veteran.circumstances)
    )
    return cells if personal else _without_birthdays(cells, veteran.person.birth_date)


def _survivor(survivor: Survivor, personal: bool) -> dict[str, RowCell]:
    cells = _person(survivor.person, personal)
    deceased = survivor.deceased_id
    cells |= {
        "relation": survivor.relation.label_zh,
        "death_category": survivor.death_category.label_zh,
        "deceased_on": survivor.deceased_on,
        "deceased_id": "" if deceased is None else _id(deceased, personal),
    }
    cells |= (
        _statuses(survivor.statuses)
        | _sanctions(survivor.sanctions)
        | _circumstances(survivor.circumstances)
    )
    return cells if personal else _without_birthdays(cells, survivor.person.birth_date)


def _recovery(reason: PlaqueRecoveryReason) -> str:
    return _RECOVERY_ZH.get(reason, reason.label_zh)


def _household(record: PlaqueHousehold, personal: bool) -> dict[str, RowCell]:
    household, plaque = record.household, record.household.plaque
    members, disqualified = record.members, record.disqualifications
    cells: dict[str, RowCell] = {
        "household_id": household.household_id,
        "hukou_division": household.hukou_division.short,
        "head": _id(household.head, personal),
        "members": _ids(household.members, personal),
        "applied_on": "" if record.applied_on is None else record.applied_on,
        "plaque_member_ids": _ids((m.resident_id for m in members), personal),
        "plaque_bases": _joined(m.basis.label_zh for m in members),
        "plaque_since": _days(m.since for m in members),
        "plaque_died_on": _days(m.died_on for m in members),
        "plaque_certificates": ""
        if all(m.certificate_holder is None for m in members)
        else _joined(_yes_no(m.certificate_holder) for m in members),
        "disqualified_ids": _ids((d.resident_id for d in disqualified), personal),
        "disqualifications": _joined(_recovery(d.kind) for d in disqualified),
        "disqualified_on": _days(d.on for d in disqualified),
        "disqualification_lifted_on": _days(d.lifted_on for d in disqualified),
    }
    if plaque is not None:
        cells |= {
            "hung_on": plaque.hung_on,
            "recovered_on": "" if plaque.recovered_on is None else plaque.recovered_on,
            "recovery_reason": ""
            if plaque.recovery_reason is None
            else _recovery(plaque.recovery_reason),
        }
    return cells


def _case(case: AssistanceCase, personal: bool) -> dict[str, RowCell]:
    cells: dict[str, RowCell] = {
        "case_id": case.case_id,
        "applicant": _id(case.applicant, personal),
        "division": case.division.short,
        "cause": case.cause.label_zh,
        "incident_on": case.incident_on,
        "requested_amount": "" if case.requested_amount is None else case.requested_amount,
        "approved_amount": "" if case.approved_amount is None else case.approved_amount,
        "funding_sources": _joined(f.source.label_zh for f in case.funding),
        "funding_amounts": _joined(format(f.amount, "f") for f in case.funding),
    }
    for step in case.history:
        cells[_STEP_FIELD[step.to_status]] = step.on
    return cells
