"""Leaders' contact registers ⇄ ``ContactAssignment``, ``BaolianTalk`` and ``ReceptionSession``
(private engine of ``rosters``).

The assignments (领导包联安排): one row per assignment — its number (包联编号), the leader (a
post or staff code, as the model asks, not a name), the area (包联地区: a unit at any level),
the first and last day (包联开始时间, 包联结束时间; the end blank while it runs) and the kind
(包联类别: only 领导包联 today). The talks (包联座谈记录): one row per talk — its number
(座谈编号), the assignment's number and area, the day, how many representatives took part,
the topic, and the numbers of the requests and legacy cases the issues raised became. The
reception days held (领导接待日登记): one row per day a unit's leader received visitors — its
number (接待编号), the unit, the leader on duty (a post, as the model asks), the day, how many
came and the numbers of the requests it opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from veteran_affairs.casework.leaders import (
    AssignmentKind,
    BaolianTalk,
    ContactAssignment,
    ReceptionSession,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cells import LIST_SEPARATOR
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    choice,
    date,
    record,
    text,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._writing import RowCell


def _assignment_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "assignment_id": text,
        "leader": text,
        "area": vocab.unit_parser(within),
        "starts_on": date,
        "ends_on": date,
        "kind": choice(vocab.ASSIGNMENT_KINDS),
    }


_ASSIGNMENT = attrs.fields_dict(ContactAssignment)
_ASSIGNMENT_CHECKS: dict[str, Check] = {
    "assignment_id": attribute_check(_ASSIGNMENT["assignment_id"]),
    "leader": attribute_check(_ASSIGNMENT["leader"]),
}


def _assignment(row: Row) -> ContactAssignment | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        {
            "assignment_id": "assignment_id",
            "leader": "leader",
            "starts_on/ends_on": "ends_on",
        },
        ContactAssignment,
        assignment_id=values["assignment_id"],
        leader=values["leader"],
        area=values["area"],
        starts_on=values["starts_on"],
        ends_on=values.get("ends_on"),
        kind=values.get("kind", AssignmentKind.BAOLIAN),
    )


def _assignment_key(values: Mapping[str, Any]) -> str | None:
    found = values.get("assignment_id")
    return found if isinstance(found, str) else None


BAOLIAN_ASSIGNMENTS = Spec(
    kind=RosterKind.BAOLIAN_ASSIGNMENTS,
    parsers=_assignment_parsers,
    checks=_ASSIGNMENT_CHECKS,
    assemble=_assignment,
    key=_assignment_key,
    duplicate=("the same assignment number is already in row {row}", "与第{row}行包联编号重复"),
)


def assignment_cells(assignment: ContactAssignment, _personal: bool) -> dict[str, RowCell]:
    """An assignment's cells by field (read back to an equal assignment)."""
    return {
        "assignment_id": assignment.assignment_id,
        "leader": assignment.leader,
        "area": assignment.area.short,
        "starts_on": assignment.starts_on,
        "ends_on": "" if assignment.ends_on is None else assignment.ends_on,
        "kind": assignment.kind.label_zh,
    }


# --- talks -------------------------------------------------------------------------------------


def _talk_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "talk_id": text,
        "assignment_id": text,
        "area": vocab.unit_parser(within),
        "held_on": date,
        "participants": vocab.count,
        "topic": text,
        "requests": vocab.number_list,
        "legacy_cases": vocab.number_list,
    }


_TALK = attrs.fields_dict(BaolianTalk)
_TALK_CHECKS: dict[str, Check] = {
    field: attribute_check(_TALK[field])
    for field in ("talk_id", "assignment_id", "held_on", "participants", "topic")
}


def _talk(row: Row) -> BaolianTalk | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        {field: field for field in _TALK_CHECKS},
        BaolianTalk,
        talk_id=values["talk_id"],
        assignment_id=values["assignment_id"],
        area=values["area"],
        held_on=values["held_on"],
        participants=values["participants"],
        topic=values.get("topic"),
        requests=values.get("requests", ()),
        legacy_cases=values.get("legacy_cases", ()),
    )


def _talk_key(values: Mapping[str, Any]) -> str | None:
    found = values.get("talk_id")
    return found if isinstance(found, str) else None


BAOLIAN_TALKS = Spec(
    kind=RosterKind.BAOLIAN_TALKS,
    parsers=_talk_parsers,
    checks=_TALK_CHECKS,
    assemble=_talk,
    key=_talk_key,
    duplicate=("the same talk number is already in row {row}", "与第{row}行座谈编号重复"),
)


def talk_cells(talk: BaolianTalk, _personal: bool) -> dict[str, RowCell]:
    """A talk's cells by field (read back to an equal talk)."""
    return {
        "talk_id": talk.talk_id,
        "assignment_id": talk.assignment_id,
        "area": talk.area.short,
        "held_on": talk.held_on,
        "participants": str(talk.participants),
        "topic": talk.topic or "",
        "requests": LIST_SEPARATOR.join(talk.requests),
        "legacy_cases": LIST_SEPARATOR.join(talk.legacy_cases),
    }


# --- reception days ----------------------------------------------------------------------------


def _session_parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "session_id": text,
        "unit": vocab.unit_parser(within),
        "leader": text,
        "held_on": date,
        "visitors": vocab.count,
        "requests": vocab.number_list,
    }


_SESSION = attrs.fields_dict(ReceptionSession)
_SESSION_CHECKS: dict[str, Check] = {
    field: attribute_check(_SESSION[field])
    for field in ("session_id", "leader", "held_on", "visitors")
}


def _session(row: Row) -> ReceptionSession | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        {field: field for field in _SESSION_CHECKS},
        ReceptionSession,
        session_id=values["session_id"],
        unit=values["unit"],
        leader=values["leader"],
        held_on=values["held_on"],
        visitors=values["visitors"],
        requests=values.get("requests", ()),
    )


def _session_key(values: Mapping[str, Any]) -> str | None:
    found = values.get("session_id")
    return found if isinstance(found, str) else None


RECEPTION_SESSIONS = Spec(
    kind=RosterKind.RECEPTION_SESSIONS,
    parsers=_session_parsers,
    checks=_SESSION_CHECKS,
    assemble=_session,
    key=_session_key,
    duplicate=("the same reception number is already in row {row}", "与第{row}行接待编号重复"),
)


def session_cells(session: ReceptionSession, _personal: bool) -> dict[str, RowCell]:
    """A reception day's cells by field (read back to an equal session)."""
    return {
        "session_id": session.session_id,
        "unit": session.unit.short,
        "leader": session.leader,
        "held_on": session.held_on,
        "visitors": str(session.visitors),
        "requests": LIST_SEPARATOR.join(session.requests),
    }
