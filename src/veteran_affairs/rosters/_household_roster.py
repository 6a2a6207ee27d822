"""Rows of a glory-plaque households' roster into ``PlaqueHousehold`` (private engine).

One row per household (户): its number (户编号), 户籍地, the head's identity number and the
members' (one cell, separated by ``、``), the plaque's dates, then three groups of aligned
list cells — the members who make the household eligible (光荣牌对象: identity number,
basis, since, date of death, certificate), and the conduct that takes the plaque away
(收回情形: whose, which, when, when lifted). The entries of a group's cells go in the same
order; a date cell may give one date for all entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.household import (
    Household,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
)
from veteran_affairs.rosters import _cells
from veteran_affairs.rosters._cells import (
    DATE_SEPARATORS,
    LABEL_SEPARATORS,
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
    id_list,
    listed,
    record,
    resident_id,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind

_PLAQUE_MEMBER_LISTS = ("plaque_bases", "plaque_since", "plaque_died_on", "plaque_certificates")
_DISQUALIFICATION_LISTS = ("disqualifications", "disqualified_on", "disqualification_lifted_on")


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    division = division_parser(within)
    return {
        "household_id": text,
        "hukou_division": lambda value, _cell: division(value),
        "head": resident_id,
        "members": id_list,
        "applied_on": date,
        "hung_on": date,
        "recovered_on": date,
        "recovery_reason": choice(_cells.RECOVERY_REASONS),
        "plaque_member_ids": id_list,
        "plaque_bases": listed(_cells.PLAQUE_BASES.value, LABEL_SEPARATORS),
        "plaque_since": listed(date_of_text, DATE_SEPARATORS),
        "plaque_died_on": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
        "plaque_certificates": listed(_cells.YES_NO.value, LABEL_SEPARATORS, blank_entries=True),
        "disqualified_ids": id_list,
        "disqualifications": listed(_cells.RECOVERY_REASONS.value, LABEL_SEPARATORS),
        "disqualified_on": listed(date_of_text, DATE_SEPARATORS),
        "disqualification_lifted_on": listed(date_of_text, DATE_SEPARATORS, blank_entries=True),
    }


_HOUSEHOLD = attrs.fields_dict(Household)
_RECORD = attrs.fields_dict(PlaqueRecord)
_CHECKS: dict[str, Check] = {
    "household_id": attribute_check(_HOUSEHOLD["household_id"]),
    "applied_on": attribute_check(attrs.fields_dict(PlaqueHousehold)["applied_on"]),
    "hung_on": attribute_check(_RECORD["hung_on"]),
    "recovered_on": attribute_check(_RECORD["recovered_on"]),
}


def _plaque(row: Row) -> PlaqueRecord | None:
    values = row.values
    if not row.given("hung_on"):
        for field in ("recovered_on", "recovery_reason"):
            if row.given(field):
                row.error(
                    field,
                    f"a plaque is taken back only after it was hung: fill {row.header('hung_on')}",
                    f"未填写{row.header('hung_on')}，不能收回",
                )
        return None
    if "hung_on" not in values:
        return None
    for field, other in (("recovered_on", "recovery_reason"), ("recovery_reason", "recovered_on")):
        if row.given(other) and not row.given(field):
            row.missing(
                field,
                "a recovery needs both its date and its reason",
                "收回光荣牌须同时填写收回时间和收回原因",
            )
    if row.errors:
        return None
    return build(
        row,
        {
            "hung_on": "hung_on",
            "recovered_on": "recovered_on",
            "hung_on/recovered_on": "recovered_on",
        },
        PlaqueRecord,
        hung_on=values["hung_on"],
        recovered_on=values.get("recovered_on"),
        recovery_reason=values.get("recovery_reason"),
    )


def _plaque_members(row: Row) -> tuple[PlaqueMember, ...]:
    row.without("plaque_member_ids", _PLAQUE_MEMBER_LISTS)
    ids = row.values.get("plaque_member_ids")
    if not ids:
        return ()
    count = len(ids)
    bases = row.aligned("plaque_member_ids", "plaque_bases", count, required=True)
    since = row.aligned("plaque_member_ids", "plaque_since", count, required=True)
    died = row.aligned("plaque_member_ids", "plaque_died_on", count, required=False)
    held = row.aligned("plaque_member_ids", "plaque_certificates", count, required=False)
    if bases is None or since is None or died is None or held is None:
        return ()
    at_fault = {
        "since": "plaque_since",
        "died_on": "plaque_died_on",
        "since/died_on": "plaque_died_on",
        "basis/died_on": "plaque_died_on",
    }
    found: list[PlaqueMember] = []
    for number, (rid, basis, began, death, certificate) in enumerate(
        zip(ids, bases, since, died, held, strict=True), start=1
    ):
        member = build(
            row,
            at_fault,
            PlaqueMember,
            entry=number,
            resident_id=rid,
            basis=basis,
            since=began,
            died_on=death,
            certificate_holder=certificate,
        )
        if member is not None:
            found.append(member)
    return tuple(found)


def _disqualifications(row: Row) -> tuple[PlaqueDisqualification, ...]:
    row.without("disqualified_ids", _DISQUALIFICATION_LISTS)
    ids = row.values.get("disqualified_ids")
    if not ids:
        return ()
    count = len(ids)
    kinds = row.aligned("disqualified_ids", "disqualifications", count, required=True)
    on = row.aligned("disqualified_ids", "disqualified_on", count, required=True)
    lifted = row.aligned("disqualified_ids", "disqualification_lifted_on", count, required=False)
    if kinds is None or on is None or lifted is None:
        return ()
    at_fault = {
        "kind": "disqualifications",
        "on": "disqualified_on",
        "lifted_on": "disqualification_lifted_on",
        "kind/lifted_on": "disqualification_lifted_on",
        "on/lifted_on": "disqualification_lifted_on",
    }
    found: list[PlaqueDisqualification] = []
    for number, (rid, kind, day, until) in enumerate(zip(ids, kinds, on, lifted, strict=True), 1):
        made = build(
            row,
            at_fault,
            PlaqueDisqualification,
            entry=number,
            resident_id=rid,
            kind=kind,
            on=day,
            lifted_on=until,
        )
        if made is not None:
            found.append(made)
    return tuple(found)


def _assemble(row: Row) -> PlaqueHousehold | None:
    values = row.values
    plaque = _plaque(row)
    members = _plaque_members(row)
    disqualified = _disqualifications(row)
    if row.errors:
        return None
    head = values["head"]
    household = record(
        row,
        {
            "household_id": "household_id",
            "hukou_division": "hukou_division",
            "members": "members",
            "head/members": "members",
        },
        Household,
        household_id=values["household_id"],
        hukou_division=values["hukou_division"],
        head=head,
        members=values.get("members", (head,)),
        plaque=plaque,
    )
    if household is None:
        return None
    return record(
        row,
        {"members": "plaque_member_ids", "applied_on": "applied_on"},
        PlaqueHousehold,
        household=household,
        members=members,
        disqualifications=disqualified,
        applied_on=values.get("applied_on"),
    )


def _key(values: Mapping[str, Any]) -> str | None:
    found = values.get("household_id")
    return found if isinstance(found, str) else None


HOUSEHOLDS = Spec(
    kind=RosterKind.HOUSEHOLDS,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=("the same household number is already in row {row}", "与第{row}行户编号重复"),
)
