"""Requests opened by a contact (诉求办理): steps, follow-ups, closure, escalation, limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from veteran_affairs.casework.deadlines import DeadlineStatus
from veteran_affairs.casework.legacy import LegacyCase, LegacyCategory, OriginRegime
from veteran_affairs.casework.requests import (
    LIMITS,
    Contact,
    ContactChannel,
    EscalationKind,
    FollowUp,
    Request,
    RequestFlag,
    RequestStatus,
)
from veteran_affairs.cycles import calendar_for
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
)
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import Activity, ActivityKind

D = dt.date
PERSON = ResidentId("450312198001010019")
COUNTY = DivisionCode("450312")
OPENED = D(2025, 3, 3)
CONTACT = Contact(
    channel=ContactChannel.PHONE, on=OPENED, unit=DivisionCode("450312101"), person=PERSON
)


def _request(**changes: Any) -> Request:
    fields: dict[str, Any] = {
        "request_id": "RQ-1",
        "contact": CONTACT,
        "topic": "优待证办理进度",
        "actor": "station-01",
    }
    fields.update(changes)
    return Request.open(**fields)


def _follow(day: dt.date, satisfied: bool | None = True) -> FollowUp:
    return FollowUp(on=day, channel=ContactChannel.PHONE, actor="station-01", satisfied=satisfied)


Step = Callable[[Request, dt.date], Request]
STEPS: dict[str, Step] = {
    "assign": lambda r, d: r.assign(on=d, actor="c", handler=COUNTY),
    "answer": lambda r, d: r.answer(on=d, actor="c"),
    "close": lambda r, d: r.close(on=d, actor="c", follow_up=_follow(d)),
    "escalate": lambda r, d: r.escalate(
        into=EscalationKind.PETITION, target_id="XF-9", on=d, actor="c"
    ),
    "withdraw": lambda r, d: r.withdraw(on=d, actor="c"),
}

TRANSITION_CASES = [
    ("the main line ends closed", ["assign", "answer", "close"], RequestStatus.CLOSED),
    (
        "reopened after a follow-up, then closed",
        ["assign", "answer", "assign", "answer", "close"],
        RequestStatus.CLOSED,
    ),
    ("escalated while in hand", ["assign", "escalate"], RequestStatus.ESCALATED),
    ("escalated at registration", ["escalate"], RequestStatus.ESCALATED),
    ("escalated after an answer", ["assign", "answer", "escalate"], RequestStatus.ESCALATED),
    ("withdrawn before an answer", ["assign", "withdraw"], RequestStatus.WITHDRAWN),
    ("answered before it is in hand", ["answer"], "answer"),
    ("closed before an answer", ["assign", "close"], "close"),
    ("closed at registration", ["close"], "close"),
    ("withdrawn after an answer", ["assign", "answer", "withdraw"], "withdraw"),
    ("a step after closure", ["assign", "answer", "close", "assign"], "assign"),
    ("a step after escalation", ["escalate", "assign"], "assign"),
    ("answered twice", ["assign", "answer", "answer"], "answer"),
]


@pytest.mark.parametrize(
    ("name", "steps", "expected"), TRANSITION_CASES, ids=[c[0] for c in TRANSITION_CASES]
)
def test_a_request_takes_only_allowed_steps(name: str, steps: list[str], expected: object) -> None:
    request = _request()
    day = OPENED
    refused = None
    for step in steps:
        day += dt.timedelta(days=2)
        try:
            request = STEPS[step](request, day)
        except IllegalTransition:
            refused = step
            break

    assert expected == (refused if refused is not None else request.status)


def test_closing_needs_a_follow_up_on_or_after_the_last_answer() -> None:
    answered = _request().assign(on=D(2025, 3, 4), actor="c", handler=COUNTY)
    answered = answered.record_follow_up(_follow(D(2025, 3, 5), None))  # progress call
    answered = answered.answer(on=D(2025, 3, 10), actor="c")

    with pytest.raises(InconsistentRecord) as raised:
        answered.close(on=D(2025, 3, 12), actor="c")
    closed = answered.record_follow_up(_follow(D(2025, 3, 11))).close(on=D(2025, 3, 12), actor="c")

    assert "follow_ups/status" == raised.value.field
    assert (RequestStatus.CLOSED, 2) == (closed.status, len(closed.follow_ups))


def test_a_follow_up_after_closure_or_before_registration_is_refused() -> None:
    closed = STEPS["close"](
        STEPS["answer"](STEPS["assign"](_request(), D(2025, 3, 4)), D(2025, 3, 5)), D(2025, 3, 6)
    )

    with pytest.raises(IllegalTransition):
        closed.record_follow_up(_follow(D(2025, 3, 7)))
    with pytest.raises(IllegalTransition):
        _request().record_follow_up(_follow(D(2025, 3, 2)))
    with pytest.raises(InconsistentRecord):
        attrs.evolve(closed, follow_ups=(*closed.follow_ups, _follow(D(2025, 3, 7))))


def test_the_handler_is_set_by_the_assignment_only() -> None:
    with pytest.raises(InconsistentRecord):
        attrs.evolve(_request(), handler=COUNTY)


def test_an_escalation_names_the_legacy_case_it_became() -> None:
    request = _request().escalate(
        into=EscalationKind.LEGACY_CASE, target_id="LC-7", on=D(2025, 3, 5), actor="c"
    )
    case = LegacyCase.identify(
        case_id="LC-7",
        category=LegacyCategory.PLACEMENT,
        regime=OriginRegime.OTHER,
        topic="安置待遇落实",
        responsible_unit=COUNTY,
        owner="county-bureau",
        on=D(2025, 3, 5),
        actor="c",
        source_request=request.request_id,
    )

    assert request.escalation is not None
    assert ("LC-7", "RQ-1") == (request.escalation.target_id, case.source_request)


def test_a_request_is_not_registered_before_its_contact() -> None:
    with pytest.raises(InconsistentRecord):
        _request(on=D(2025, 3, 2))


# --- contacts ------------------------------------------------------------------------------

ACTIVITY_CASES = [
    ("a phone call", ActivityKind.PHONE_CONTACT, ContactChannel.PHONE),
    ("a home visit", ActivityKind.HOME_VISIT, ContactChannel.HOME_VISIT),
    ("a counter reception", ActivityKind.COUNTER_RECEPTION, ContactChannel.COUNTER),
    ("a reception day", ActivityKind.RECEPTION_DAY, ContactChannel.RECEPTION_DAY),
    ("a symposium", ActivityKind.SYMPOSIUM, ContactChannel.SYMPOSIUM),
]


@pytest.mark.parametrize(
    ("name", "kind", "expected"), ACTIVITY_CASES, ids=[c[0] for c in ACTIVITY_CASES]
)
def test_a_contact_activity_gives_its_channel(
    name: str, kind: ActivityKind, expected: ContactChannel
) -> None:
    activity = Activity(
        activity_id="A-1", kind=kind, unit=COUNTY, held_on=OPENED, contacts=(PERSON,)
    )

    contact = Contact.from_activity(activity, person=PERSON)

    assert (expected, OPENED, COUNTY, "A-1", kind) == (
        contact.channel,
        contact.on,
        contact.unit,
        contact.activity_id,
        contact.channel.activity_kind,
    )


def test_an_activity_that_meets_no_one_opens_no_contact() -> None:
    meeting = Activity(
        activity_id="A-2", kind=ActivityKind.DISPATCH_MEETING, unit=COUNTY, held_on=OPENED
    )

    with pytest.raises(InvalidValue):
        Contact.from_activity(meeting)


def test_the_person_must_be_among_the_activity_contacts() -> None:
    other = ResidentId("11010519491231002X")
    visit = Activity(
        activity_id="A-3",
        kind=ActivityKind.HOME_VISIT,
        unit=COUNTY,
        held_on=OPENED,
        contacts=(other,),
    )

    with pytest.raises(InconsistentRecord):
        Contact.from_activity(visit, person=PERSON)


def test_reprs_show_the_masked_number_and_no_date() -> None:
    shown = repr(STEPS["assign"](_request(), D(2025, 3, 4)))

    assert (
        "Request(request_id='RQ-1', contact=Contact(channel=PHONE, unit=450312101000, "
        "activity_id=None, person=ResidentId('450312********0019')), status=ASSIGNED, "
        "handler=450312000000, follow_ups=0)"
    ) == shown


# --- time limits (supplied by the user) ----------------------------------------------------

BOOK = LIMITS.with_values({"request.answer": 15, "request.follow_up": 7})

ANSWER_CASES = [
    # name, answered on (None: not yet), asked on, expected status
    ("answered on the due day", D(2025, 3, 18), D(2025, 3, 20), DeadlineStatus.MET),
    ("answered the day after", D(2025, 3, 19), D(2025, 3, 20), DeadlineStatus.LATE),
    ("not answered, on the due day", None, D(2025, 3, 18), DeadlineStatus.PENDING),
    ("not answered, the day after", None, D(2025, 3, 19), DeadlineStatus.OVERDUE),
]


@pytest.mark.parametrize(
    ("name", "answered", "on", "expected"), ANSWER_CASES, ids=[c[0] for c in ANSWER_CASES]
)
def test_the_answer_is_due_15_supplied_days_after_registration(
    name: str, answered: dt.date | None, on: dt.date, expected: DeadlineStatus
) -> None:
    request = STEPS["assign"](_request(), D(2025, 3, 4))
    if answered is not None:
        request = request.answer(on=answered, actor="c")

    limit = request.answer_due(BOOK)

    assert (D(2025, 3, 18), expected) == (
        limit.due,
        limit.status(on=on, done_on=request.first_answered_on),
    )


FLAG_CASES = [
    # name, steps (name, day), asked on, expected flags
    ("in hand, in time", (("assign", D(2025, 3, 4)),), D(2025, 3, 18), frozenset()),
    (
        "in hand, answer overdue",
        (("assign", D(2025, 3, 4)),),
        D(2025, 3, 19),
        {RequestFlag.ANSWER_OVERDUE},
    ),
    ("registered only, answer overdue", (), D(2025, 4, 1), {RequestFlag.ANSWER_OVERDUE}),
    (
        "answered, follow-up in time",
        (("assign", D(2025, 3, 4)), ("answer", D(2025, 3, 10))),
        D(2025, 3, 17),
        frozenset(),
    ),
    (
        "answered, follow-up overdue",
        (("assign", D(2025, 3, 4)), ("answer", D(2025, 3, 10))),
        D(2025, 3, 18),
        {RequestFlag.FOLLOW_UP_OVERDUE},
    ),
    (
        "reopened after a late answer: the answer limit is not counted again",
        (("assign", D(2025, 3, 4)), ("answer", D(2025, 3, 25)), ("assign", D(2025, 3, 26))),
        D(2025, 4, 30),
        frozenset(),
    ),
    ("escalated: nothing overdue", (("escalate", D(2025, 3, 5)),), D(2025, 5, 1), frozenset()),
    (
        "closed: nothing overdue",
        (("assign", D(2025, 3, 4)), ("answer", D(2025, 3, 10)), ("close", D(2025, 3, 12))),
        D(2025, 5, 1),
        frozenset(),
    ),
]


@pytest.mark.parametrize(
    ("name", "steps", "on", "expected"), FLAG_CASES, ids=[c[0] for c in FLAG_CASES]
)
def test_a_request_flags_what_is_overdue(
    name: str,
    steps: tuple[tuple[str, dt.date], ...],
    on: dt.date,
    expected: frozenset[RequestFlag],
) -> None:
    request = _request()
    for step, day in steps:
        request = STEPS[step](request, day)

    assert expected == request.flags(BOOK, on=on)


def test_a_follow_up_clears_the_follow_up_flag() -> None:
    answered = STEPS["answer"](STEPS["assign"](_request(), D(2025, 3, 4)), D(2025, 3, 10))
    called = answered.record_follow_up(_follow(D(2025, 3, 17), satisfied=None))

    pending = called.follow_up_due(BOOK, on=D(2025, 3, 30))

    assert pending is not None
    assert (D(2025, 3, 17), D(2025, 3, 17), frozenset()) == (
        pending[0].due,
        pending[1],
        called.flags(BOOK, on=D(2025, 3, 30)),
    )


def test_the_answer_limit_rolls_off_a_holiday_with_a_calendar() -> None:
    request = _request(contact=attrs.evolve(CONTACT, on=D(2025, 9, 16)))  # 15 days: 2025-10-01

    limit = request.answer_due(BOOK, calendar=calendar_for("45"))

    assert (D(2025, 10, 1), D(2025, 10, 9)) == (limit.nominal, limit.due)


ASKS: dict[str, Callable[[Request, Any], object]] = {
    "request.answer": lambda r, book: r.answer_due(book),
    "request.follow_up": lambda r, book: r.follow_up_due(book, on=D(2025, 3, 12)),
}


@pytest.mark.parametrize("key", sorted(ASKS))
def test_without_supplied_limits_the_missing_parameter_is_named(key: str) -> None:
    answered = STEPS["answer"](STEPS["assign"](_request(), D(2025, 3, 4)), D(2025, 3, 10))
    book = LIMITS.with_values({k: 10 for k in ASKS if k != key})

    with pytest.raises(ParameterMissing) as raised:
        ASKS[key](answered, book)

    assert key == raised.value.key
