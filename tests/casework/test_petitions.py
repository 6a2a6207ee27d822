"""Scenario tables for petitions (信访): every transition, every time limit, boundary days, overdue."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import attrs
import pytest

from veteran_affairs.casework.deadlines import DeadlineStatus, LimitBook, due
from veteran_affairs.casework.petitions import (
    OVERDUE_BASIS,
    TRANSITIONS,
    ClosureKind,
    LimitKind,
    NotAcceptedReason,
    Party,
    Petition,
    PetitionCategory,
    PetitionChannel,
    PetitionStatus,
    PetitionStep,
    ReceiverKind,
    StatutoryRoute,
    representative_limit,
)
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
)
from veteran_affairs.identity import DivisionCode, ResidentId

D = dt.date
S = PetitionStatus
BOOK = LimitBook.bundled()
# Test input, not law: the 2022 limits for these two steps were not found.
SUPPLIED = BOOK.with_values({"petition.review_decision": 30, "petition.direct_notice": 15})
CAL = calendar_for("450312")
COUNTY = DivisionCode("450312")
OTHER_COUNTY = DivisionCode("450311")
CITY = DivisionCode("450300")
PROVINCE = DivisionCode("450000")
PETITIONER = ResidentId("11010519491231002X")


FIRST_DAY = D(2024, 3, 1)


def received(
    on: dt.date = FIRST_DAY,
    receiver: ReceiverKind = ReceiverKind.PETITION_OFFICE,
    **fields: Any,
) -> Petition:
    return Petition.receive(
        petition_id="XF-2024-0001",
        petitioner=PETITIONER,
        category=fields.pop("category", PetitionCategory.APPEAL),
        channel=fields.pop("channel", PetitionChannel.LETTER),
        received_by=CITY,
        receiver=receiver,
        on=on,
        actor="registrar",
        **fields,
    )


# One step per status, with the fields it needs; ``extra`` overrides them.
def step(petition: Petition, to: PetitionStatus, on: dt.date, **extra: Any) -> Petition:
    defaults: dict[PetitionStatus, dict[str, Any]] = {
        S.ROUTED: {"unit": COUNTY},
        S.OBJECTED: {"note": "不属于本机关职责范围"},
        S.NOT_ACCEPTED: {"reason": NotAcceptedReason.OUTSIDE_SCOPE},
        S.EXTENDED: {"days": 30, "note": "情况复杂"},
        S.REVIEW_REQUESTED: {"unit": CITY},
        S.RE_REVIEW_REQUESTED: {"unit": PROVINCE},
        S.HEARING_HELD: {"hearing_from": on},
        S.CLOSED: {"closure": ClosureKind.SATISFIED},
    }
    fields = {**defaults.get(to, {}), **extra}
    return petition.advance(to, on=on, actor="actor", **fields)


def course(*steps: tuple[Any, ...], start: Petition | None = None) -> Petition:
    """A petition after ``steps``: (status, date) or (status, date, {fields})."""
    petition = received() if start is None else start
    for entry in steps:
        to, on = entry[0], entry[1]
        petition = step(petition, to, on, **(entry[2] if len(entry) > 2 else {}))
    return petition


ROUTED = ((S.ROUTED, D(2024, 3, 5)),)
ACCEPTED = (*ROUTED, (S.ACCEPTED, D(2024, 3, 8)))
ANSWERED = (*ACCEPTED, (S.ANSWERED, D(2024, 4, 10), {"delivered_on": D(2024, 4, 12)}))
REVIEW_REQUESTED = (*ANSWERED, (S.REVIEW_REQUESTED, D(2024, 5, 6)))
REVIEWED = (*REVIEW_REQUESTED, (S.REVIEWED, D(2024, 6, 1), {"delivered_on": D(2024, 6, 3)}))
RE_REVIEW_REQUESTED = (*REVIEWED, (S.RE_REVIEW_REQUESTED, D(2024, 6, 20)))
HEARD = (
    *RE_REVIEW_REQUESTED,
    (S.HEARING_HELD, D(2024, 7, 5), {"hearing_from": D(2024, 7, 1)}),
)
RE_REVIEWED = (*HEARD, (S.RE_REVIEWED, D(2024, 7, 24)))


# --- transitions --------------------------------------------------------------------------------

# name, steps, expected status
COURSES = [
    ("registered", (), S.RECEIVED),
    ("routed by the petition office", ROUTED, S.ROUTED),
    ("accepted directly by the body that received it", ((S.ACCEPTED, D(2024, 3, 4)),), S.ACCEPTED),
    ("not accepted on receipt", ((S.NOT_ACCEPTED, D(2024, 3, 4)),), S.NOT_ACCEPTED),
    ("not accepted after routing", (*ROUTED, (S.NOT_ACCEPTED, D(2024, 3, 6))), S.NOT_ACCEPTED),
    ("objected", (*ROUTED, (S.OBJECTED, D(2024, 3, 7))), S.OBJECTED),
    (
        "re-routed after an objection",
        (*ROUTED, (S.OBJECTED, D(2024, 3, 7)), (S.ROUTED, D(2024, 3, 9), {"unit": OTHER_COUNTY})),
        S.ROUTED,
    ),
    (
        "kept by the objecting body",
        (*ROUTED, (S.OBJECTED, D(2024, 3, 7)), (S.ACCEPTED, D(2024, 3, 9))),
        S.ACCEPTED,
    ),
    ("accepted after routing", ACCEPTED, S.ACCEPTED),
    ("extended", (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20))), S.EXTENDED),
    (
        "answered after an extension",
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20)), (S.ANSWERED, D(2024, 5, 20))),
        S.ANSWERED,
    ),
    ("answered", ANSWERED, S.ANSWERED),
    ("closed after the answer", (*ANSWERED, (S.CLOSED, D(2024, 5, 20))), S.CLOSED),
    ("复查 requested", REVIEW_REQUESTED, S.REVIEW_REQUESTED),
    (
        "a late 复查 request not accepted",
        (
            *REVIEW_REQUESTED,
            (S.NOT_ACCEPTED, D(2024, 5, 10), {"reason": NotAcceptedReason.LATE_REQUEST}),
        ),
        S.NOT_ACCEPTED,
    ),
    ("复查 opinion", REVIEWED, S.REVIEWED),
    (
        "closed after 复查",
        (*REVIEWED, (S.CLOSED, D(2024, 7, 10), {"closure": ClosureKind.NO_REQUEST})),
        S.CLOSED,
    ),
    ("复核 requested", RE_REVIEW_REQUESTED, S.RE_REVIEW_REQUESTED),
    (
        "a 复核 request not accepted",
        (
            *RE_REVIEW_REQUESTED,
            (S.NOT_ACCEPTED, D(2024, 6, 25), {"reason": NotAcceptedReason.OTHER}),
        ),
        S.NOT_ACCEPTED,
    ),
    ("hearing held", HEARD, S.HEARING_HELD),
    ("复核 opinion after a hearing", RE_REVIEWED, S.RE_REVIEWED),
    (
        "复核 opinion without a hearing",
        (*RE_REVIEW_REQUESTED, (S.RE_REVIEWED, D(2024, 7, 10))),
        S.RE_REVIEWED,
    ),
    (
        "concluded after 复核",
        (*RE_REVIEWED, (S.CLOSED, D(2024, 7, 30), {"closure": ClosureKind.FINAL})),
        S.CLOSED,
    ),
]


@pytest.mark.parametrize(("name", "steps", "expected"), COURSES, ids=[c[0] for c in COURSES])
def test_courses_reach_their_state(
    name: str, steps: tuple[tuple[Any, ...], ...], expected: PetitionStatus
) -> None:
    petition = course(*steps)
    assert expected == petition.status
    assert [S.RECEIVED, *(s[0] for s in steps)] == [s.to_status for s in petition.history]


def test_every_transition_is_exercised_by_a_course() -> None:
    exercised = set()
    for _name, steps, _expected in COURSES:
        statuses = [S.RECEIVED, *(s[0] for s in steps)]
        exercised |= set(itertools.pairwise(statuses))
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == exercised


# name, steps before, the step refused, words in the message
ILLEGAL = [
    (
        "复查 before the answer",
        ACCEPTED,
        (S.REVIEW_REQUESTED, D(2024, 4, 1)),
        "复查须在书面答复之后",
    ),
    (
        "复核 right after the answer",
        ANSWERED,
        (S.RE_REVIEW_REQUESTED, D(2024, 4, 20)),
        "复核须在复查之后",
    ),
    (
        "a second extension",
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20))),
        (S.EXTENDED, D(2024, 5, 1)),
        "延期仅限一次",
    ),
    ("an extension after the answer", ANSWERED, (S.EXTENDED, D(2024, 4, 20)), "延期仅限一次"),
    ("a hearing during 复查", REVIEW_REQUESTED, (S.HEARING_HELD, D(2024, 5, 8)), "听证仅用于复核"),
    ("an answer before acceptance", ROUTED, (S.ANSWERED, D(2024, 3, 8)), "不允许的状态变更"),
    ("a routed petition closed", ROUTED, (S.CLOSED, D(2024, 3, 8)), "不允许的状态变更"),
    (
        "anything after closing",
        (*ANSWERED, (S.CLOSED, D(2024, 5, 20))),
        (S.REVIEW_REQUESTED, D(2024, 5, 21)),
        "复查须在书面答复之后",
    ),
    (
        "anything after not accepting",
        ((S.NOT_ACCEPTED, D(2024, 3, 4)),),
        (S.ACCEPTED, D(2024, 3, 5)),
        "cannot go",
    ),
    ("registering twice", (), (S.RECEIVED, D(2024, 3, 2)), "cannot go"),
    ("an objection to a petition never routed", (), (S.OBJECTED, D(2024, 3, 2)), "cannot go"),
    ("closed as final before 复核", RE_REVIEW_REQUESTED, (S.CLOSED, D(2024, 7, 1)), "cannot go"),
]


@pytest.mark.parametrize(
    ("name", "before", "attempt", "words"), ILLEGAL, ids=[c[0] for c in ILLEGAL]
)
def test_illegal_steps_are_refused(
    name: str, before: tuple[tuple[Any, ...], ...], attempt: tuple[Any, ...], words: str
) -> None:
    petition = course(*before)
    with pytest.raises(IllegalTransition, match=words) as caught:
        step(petition, attempt[0], attempt[1])
    assert (petition.status.value, attempt[0].value) == (
        caught.value.current,
        caught.value.requested,
    )


def test_simplified_handling_is_not_extended() -> None:
    petition = course((S.ACCEPTED, D(2024, 3, 8), {"simplified": True}))
    with pytest.raises(IllegalTransition, match="简易办理不延期"):
        step(petition, S.EXTENDED, D(2024, 3, 12))


def test_an_extension_beyond_the_limit_is_refused() -> None:
    petition = course(*ACCEPTED)
    with pytest.raises(InvalidValue, match="延期不得超过30日"):
        petition.extend(on=D(2024, 4, 20), actor="head", days=31, reason="情况复杂", book=BOOK)
    extended = petition.extend(
        on=D(2024, 4, 20), actor="head", days=30, reason="情况复杂", book=BOOK
    )
    assert (S.EXTENDED, True) == (extended.status, extended.extended)


# name, steps before, the step, its fields, the error
BAD_STEPS = [
    (
        "复查 by a body below the handling one",
        ANSWERED,
        S.REVIEW_REQUESTED,
        {"unit": DivisionCode("450312101")},
    ),
    ("复查 by a body elsewhere", ANSWERED, S.REVIEW_REQUESTED, {"unit": OTHER_COUNTY}),
    ("复核 by a body below the 复查 body", REVIEWED, S.RE_REVIEW_REQUESTED, {"unit": COUNTY}),
    (
        "a late-request refusal of a new petition",
        (),
        S.NOT_ACCEPTED,
        {"reason": NotAcceptedReason.LATE_REQUEST},
    ),
    ("closed as final after the answer", ANSWERED, S.CLOSED, {"closure": ClosureKind.FINAL}),
    ("closed as satisfied after 复核", RE_REVIEWED, S.CLOSED, {"closure": ClosureKind.SATISFIED}),
    (
        "a hearing before the 复核 request",
        RE_REVIEW_REQUESTED,
        S.HEARING_HELD,
        {"hearing_from": D(2024, 6, 19)},
    ),
]


@pytest.mark.parametrize(
    ("name", "before", "to", "fields"), BAD_STEPS, ids=[c[0] for c in BAD_STEPS]
)
def test_steps_that_contradict_the_history_are_refused(
    name: str, before: tuple[tuple[Any, ...], ...], to: PetitionStatus, fields: dict[str, Any]
) -> None:
    petition = course(*before)
    on = petition.history[-1].on + dt.timedelta(days=3)
    with pytest.raises(InconsistentRecord):
        step(petition, to, on, **fields)


def test_a_request_cannot_precede_receipt_of_the_reply() -> None:
    with pytest.raises(InconsistentRecord, match="请求日期早于收到书面答复之日"):
        step(course(*ANSWERED), S.REVIEW_REQUESTED, D(2024, 4, 11))
    assert S.REVIEW_REQUESTED == step(course(*ANSWERED), S.REVIEW_REQUESTED, D(2024, 4, 12)).status


def test_a_step_cannot_be_dated_before_the_previous_one() -> None:
    with pytest.raises(InconsistentRecord, match="办理日期早于上一步"):
        step(course(*ROUTED), S.ACCEPTED, D(2024, 3, 4))


# name, step fields, the field named
BAD_FIELDS = [
    ("routing without a unit", {"to_status": S.ROUTED}, "unit"),
    ("acceptance with a unit", {"to_status": S.ACCEPTED, "unit": COUNTY}, "unit"),
    ("not accepted without a reason", {"to_status": S.NOT_ACCEPTED}, "reason"),
    (
        "a statutory route without its reason",
        {
            "to_status": S.NOT_ACCEPTED,
            "reason": NotAcceptedReason.OTHER,
            "route": StatutoryRoute.LITIGATION,
        },
        "route",
    ),
    (
        "the statutory-route reason without a route",
        {"to_status": S.NOT_ACCEPTED, "reason": NotAcceptedReason.STATUTORY_ROUTE},
        "route",
    ),
    ("an extension without days", {"to_status": S.EXTENDED, "note": "x"}, "days"),
    ("an extension without its reason", {"to_status": S.EXTENDED, "days": 10}, "note"),
    ("an objection without reasons", {"to_status": S.OBJECTED}, "note"),
    (
        "a delivery before the answer",
        {"to_status": S.ANSWERED, "delivered_on": D(2024, 4, 9)},
        "on/delivered_on",
    ),
    (
        "a delivery date on acceptance",
        {"to_status": S.ACCEPTED, "delivered_on": D(2024, 4, 11)},
        "delivered_on",
    ),
    ("a hearing without its start", {"to_status": S.HEARING_HELD}, "hearing_from"),
    (
        "a hearing ending before it starts",
        {"to_status": S.HEARING_HELD, "hearing_from": D(2024, 4, 11)},
        "hearing_from/on",
    ),
    ("简易办理 chosen on the answer", {"to_status": S.ANSWERED, "simplified": True}, "simplified"),
    ("closing without a closure kind", {"to_status": S.CLOSED}, "closure"),
    ("an extension of 0 days", {"to_status": S.EXTENDED, "days": 0, "note": "x"}, "days"),
    ("a date in the future", {"to_status": S.ACCEPTED, "on": D(2999, 1, 1)}, "on"),
]


@pytest.mark.parametrize(("name", "fields", "field"), BAD_FIELDS, ids=[c[0] for c in BAD_FIELDS])
def test_a_step_with_fields_that_do_not_fit_cannot_exist(
    name: str, fields: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {"on": D(2024, 4, 10), "actor": "a", **fields}
    with pytest.raises(InvalidValue) as caught:
        PetitionStep(**values)
    assert field == caught.value.field


def test_a_history_that_skips_a_state_cannot_be_built() -> None:
    answered = course(*ANSWERED)
    skipping = (answered.history[0], attrs.evolve(answered.history[3], from_status=S.RECEIVED))
    with pytest.raises(IllegalTransition):
        attrs.evolve(answered, history=skipping)


def test_a_history_must_start_with_registration() -> None:
    answered = course(*ANSWERED)
    with pytest.raises(IllegalTransition):
        attrs.evolve(answered, history=answered.history[1:])
    with pytest.raises(InconsistentRecord):
        attrs.evolve(answered, history=())


def test_a_history_whose_steps_do_not_chain_cannot_be_built() -> None:
    accepted = course(*ACCEPTED)
    broken = (*accepted.history[:2], attrs.evolve(accepted.history[2], from_status=S.RECEIVED))
    with pytest.raises(InconsistentRecord, match="状态记录不连续"):
        attrs.evolve(accepted, history=broken)


# --- reading ------------------------------------------------------------------------------------


def test_the_handling_unit_follows_routing_and_requests() -> None:
    assert [CITY, COUNTY, COUNTY, CITY, PROVINCE] == [
        course(*steps).unit
        for steps in ((), ROUTED, ANSWERED, REVIEW_REQUESTED, RE_REVIEW_REQUESTED)
    ]


def test_status_on_a_day_reads_the_history() -> None:
    petition = course(*ANSWERED)
    assert [None, S.RECEIVED, S.ROUTED, S.ACCEPTED, S.ANSWERED] == [
        petition.status_on(d)
        for d in (D(2024, 2, 29), D(2024, 3, 4), D(2024, 3, 7), D(2024, 4, 9), D(2024, 4, 10))
    ]


def test_closing_after_re_review_concludes_the_matter() -> None:
    final = course(*RE_REVIEWED, (S.CLOSED, D(2024, 7, 30), {"closure": ClosureKind.FINAL}))
    satisfied = course(*ANSWERED, (S.CLOSED, D(2024, 5, 20)))
    assert (True, False) == (final.concluded, satisfied.concluded)
    assert [True, True, False] == [S.CLOSED.final, S.NOT_ACCEPTED.final, S.ANSWERED.final]


def test_a_referral_to_administrative_review_names_the_route() -> None:
    petition = received().refuse(
        on=D(2024, 3, 4),
        actor="tyjr",
        reason=NotAcceptedReason.STATUTORY_ROUTE,
        route=StatutoryRoute.ADMINISTRATIVE_REVIEW,
    )
    last = petition.history[-1]
    assert (S.NOT_ACCEPTED, "行政复议", ()) == (
        petition.status,
        last.route and last.route.label_zh,
        petition.deadlines(BOOK, CAL),
    )
    window = due(BOOK, "petition.administrative_review_window", D(2024, 3, 1), calendar=CAL)
    assert (D(2024, 4, 30), "SECONDARY") == (
        window.due,
        window.citation.grade and window.citation.grade.value,
    )


def test_repr_masks_the_petitioner_and_shows_no_date() -> None:
    text = repr(course(*ANSWERED))
    assert "110105********002X" in text
    assert "11010519491231002X" not in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None


def test_labels_in_chinese() -> None:
    assert ["登记", "转送、交办", "提出异议", "受理", "不予受理", "延期办理", "书面答复"] == [
        s.label_zh for s in list(PetitionStatus)[:7]
    ]
    assert ["信息网络", "书信", "电子邮件", "电话", "传真", "走访"] == [
        c.label_zh for c in PetitionChannel
    ]
    assert ["建议意见类", "检举控告类", "申诉求决类"] == [c.label_zh for c in PetitionCategory]


# --- time limits --------------------------------------------------------------------------------

# name, start petition, steps, book, expected running deadlines (key, due)
DEADLINES: list[
    tuple[str, Petition, tuple[tuple[Any, ...], ...], LimitBook, list[tuple[str, dt.date]]]
] = [
    (
        "T1 routing 15 日 ending on a Saturday moves to Monday",
        received(),
        (),
        BOOK,
        [("petition.routing", D(2024, 3, 18))],
    ),
    (
        "T2 direct receipt, supplied 15 日",
        received(receiver=ReceiverKind.OTHER_BODY),
        (),
        SUPPLIED,
        [("petition.direct_notice", D(2024, 3, 18))],
    ),
    (
        "T2 direct receipt in 2022 before the new 条例: 2005 15 日",
        received(on=D(2022, 4, 1), receiver=ReceiverKind.OTHER_BODY),
        (),
        BOOK,
        [("petition.direct_notice", D(2022, 4, 18))],
    ),
    (
        "T3 written notice 15 日 and T4 objection 5 工作日",
        received(),
        ROUTED,
        BOOK,
        [("petition.transfer_notice", D(2024, 3, 20)), ("petition.objection", D(2024, 3, 12))],
    ),
    (
        "routing before 2022-05-01: no objection window, 2005 15 日",
        received(on=D(2022, 4, 18)),
        ((S.ROUTED, D(2022, 4, 20)),),
        BOOK,
        [("petition.transfer_notice", D(2022, 5, 5))],
    ),
    ("T5 handling 60 日", received(), ACCEPTED, BOOK, [("petition.handling", D(2024, 5, 7))]),
    (
        "T12 简易办理 10 工作日",
        received(),
        (*ROUTED, (S.ACCEPTED, D(2024, 3, 8), {"simplified": True})),
        BOOK,
        [("petition.simple_handling", D(2024, 3, 22))],
    ),
    (
        "T6 extension of 30 日 on top of the 60",
        received(),
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20))),
        BOOK,
        [("petition.handling", D(2024, 6, 6))],
    ),
    (
        "T6 extension of 10 日",
        received(),
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20), {"days": 10})),
        BOOK,
        [("petition.handling", D(2024, 5, 17))],
    ),
    (
        "T7 复查 window from delivery, ending on a Sunday",
        received(),
        ANSWERED,
        BOOK,
        [("petition.review_request", D(2024, 5, 13))],
    ),
    (
        "T7 复查 window from the answer when no delivery is recorded",
        received(),
        (*ACCEPTED, (S.ANSWERED, D(2024, 4, 10))),
        BOOK,
        [("petition.review_request", D(2024, 5, 10))],
    ),
    (
        "T8 复查 opinion, supplied 30 日",
        received(),
        REVIEW_REQUESTED,
        SUPPLIED,
        [("petition.review_decision", D(2024, 6, 5))],
    ),
    (
        "T9 复核 window from delivery",
        received(),
        REVIEWED,
        BOOK,
        [("petition.re_review_request", D(2024, 7, 3))],
    ),
    (
        "T10 复核 opinion 30 日 ending on a Saturday",
        received(),
        RE_REVIEW_REQUESTED,
        BOOK,
        [("petition.re_review_decision", D(2024, 7, 22))],
    ),
    (
        "T10 five hearing days not counted",
        received(),
        HEARD,
        BOOK,
        [("petition.re_review_decision", D(2024, 7, 25))],
    ),
    ("T11 nothing runs after the 复核 opinion", received(), RE_REVIEWED, BOOK, []),
    ("nothing runs after not accepting", received(), ((S.NOT_ACCEPTED, D(2024, 3, 4)),), BOOK, []),
    (
        "nothing runs during an objection",
        received(),
        (*ROUTED, (S.OBJECTED, D(2024, 3, 7))),
        BOOK,
        [],
    ),
]


@pytest.mark.parametrize(
    ("name", "start", "steps", "book", "expected"), DEADLINES, ids=[c[0] for c in DEADLINES]
)
def test_running_deadlines(
    name: str,
    start: Petition,
    steps: tuple[tuple[Any, ...], ...],
    book: LimitBook,
    expected: list[tuple[str, dt.date]],
) -> None:
    petition = course(*steps, start=start)
    assert expected == [(d.key, d.due) for d in petition.deadlines(book, CAL)]


@pytest.mark.parametrize(
    ("name", "start", "steps"),
    [
        ("T2 direct receipt under the 2022 条例", received(receiver=ReceiverKind.OTHER_BODY), ()),
        ("T8 复查 opinion under the 2022 条例", received(), REVIEW_REQUESTED),
    ],
)
def test_a_limit_not_found_raises_until_supplied(
    name: str, start: Petition, steps: tuple[tuple[Any, ...], ...]
) -> None:
    petition = course(*steps, start=start)
    with pytest.raises(ParameterMissing):
        petition.deadlines(BOOK, CAL)
    assert 1 == len(petition.deadlines(SUPPLIED, CAL))


# name, steps, the day asked, expected overdue (key, days overdue)
OVERDUE = [
    ("T1 on its due date", (), D(2024, 3, 18), []),
    ("T1 the day after", (), D(2024, 3, 19), [("petition.routing", 1)]),
    (
        "T3 the day after; the unused objection window is not flagged",
        ROUTED,
        D(2024, 3, 21),
        [("petition.transfer_notice", 1)],
    ),
    ("T5 on its due date", ACCEPTED, D(2024, 5, 7), []),
    ("T5 a week after", ACCEPTED, D(2024, 5, 14), [("petition.handling", 7)]),
    (
        "T5 after an extension, within it",
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20))),
        D(2024, 6, 6),
        [],
    ),
    (
        "T5 after an extension, past it",
        (*ACCEPTED, (S.EXTENDED, D(2024, 4, 20))),
        D(2024, 6, 7),
        [("petition.handling", 1)],
    ),
    ("T7 the petitioner's window passing is not flagged", ANSWERED, D(2024, 9, 1), []),
    ("T10 on its due date with a hearing", HEARD, D(2024, 7, 25), []),
    ("T10 the day after", HEARD, D(2024, 7, 26), [("petition.re_review_decision", 1)]),
    ("a met duty is not flagged later", ANSWERED, D(2024, 5, 14), []),
    ("asked in the past, when nothing was overdue yet", ANSWERED, D(2024, 3, 20), []),
    (
        "asked in the past while the handling was overdue",
        (*ACCEPTED, (S.ANSWERED, D(2024, 5, 10))),
        D(2024, 5, 9),
        [("petition.handling", 2)],
    ),
]


@pytest.mark.parametrize(("name", "steps", "on", "expected"), OVERDUE, ids=[c[0] for c in OVERDUE])
def test_overdue_flags(
    name: str, steps: tuple[tuple[Any, ...], ...], on: dt.date, expected: list[tuple[str, int]]
) -> None:
    petition = course(*steps)
    flags = petition.overdue(on, BOOK, CAL)
    assert expected == [(f.key, f.days_overdue) for f in flags]


def test_an_overdue_flag_is_a_report_that_changes_nothing() -> None:
    petition = course(*ACCEPTED)
    [flag] = petition.overdue(D(2024, 6, 1), BOOK, CAL)
    assert (S.ACCEPTED, COUNTY, "督办", OVERDUE_BASIS) == (
        petition.status,
        flag.unit,
        flag.label_zh,
        flag.basis,
    )
    assert course(*ACCEPTED) == petition
    assert "督办 XF-2024-0001: petition.handling due 2024-05-07, 25 day(s) overdue" in str(flag)


def test_overdue_needs_no_value_for_a_limit_already_met() -> None:
    petition = course((S.ACCEPTED, D(2024, 3, 4)), start=received(receiver=ReceiverKind.OTHER_BODY))
    # 4 March + 60 日 is Friday 3 May, inside the Labour Day holiday: due Monday 6 May
    assert [("petition.handling", 1)] == [
        (f.key, f.days_overdue) for f in petition.overdue(D(2024, 5, 7), BOOK, CAL)
    ]
    with pytest.raises(ParameterMissing):
        petition.timeline(BOOK, CAL)


# name, steps, expected (key, kind, party, status on 2024-12-31)
TIMELINES = [
    (
        "every limit of a full course met",
        (*RE_REVIEWED, (S.CLOSED, D(2024, 7, 30), {"closure": ClosureKind.FINAL})),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, None),
            ("petition.handling", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.review_request", LimitKind.WINDOW, Party.PETITIONER, DeadlineStatus.MET),
            ("petition.review_decision", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.re_review_request", LimitKind.WINDOW, Party.PETITIONER, DeadlineStatus.MET),
            ("petition.re_review_decision", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
        ],
    ),
    (
        "answered on the last day of the 60",
        (*ACCEPTED, (S.ANSWERED, D(2024, 5, 7))),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, None),
            ("petition.handling", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.review_request", LimitKind.WINDOW, Party.PETITIONER, DeadlineStatus.OVERDUE),
        ],
    ),
    (
        "answered the day after: late, and the answer still stands",
        (*ACCEPTED, (S.ANSWERED, D(2024, 5, 8)), (S.CLOSED, D(2024, 6, 20))),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, None),
            ("petition.handling", LimitKind.DUTY, Party.BODY, DeadlineStatus.LATE),
            ("petition.review_request", LimitKind.WINDOW, Party.PETITIONER, None),
        ],
    ),
    (
        "复查 asked on the last day of the window",
        (*ANSWERED, (S.REVIEW_REQUESTED, D(2024, 5, 13))),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, None),
            ("petition.handling", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.review_request", LimitKind.WINDOW, Party.PETITIONER, DeadlineStatus.MET),
            ("petition.review_decision", LimitKind.DUTY, Party.BODY, DeadlineStatus.OVERDUE),
        ],
    ),
    (
        "复查 asked the day after the window, refused as late",
        (
            *ANSWERED,
            (S.REVIEW_REQUESTED, D(2024, 5, 14)),
            (S.NOT_ACCEPTED, D(2024, 5, 20), {"reason": NotAcceptedReason.LATE_REQUEST}),
        ),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, None),
            ("petition.handling", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.review_request", LimitKind.WINDOW, Party.PETITIONER, DeadlineStatus.LATE),
            ("petition.review_decision", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
        ],
    ),
    (
        "an objection one working day late",
        (*ROUTED, (S.OBJECTED, D(2024, 3, 13))),
        [
            ("petition.routing", LimitKind.DUTY, Party.BODY, DeadlineStatus.MET),
            ("petition.transfer_notice", LimitKind.DUTY, Party.BODY, None),
            ("petition.objection", LimitKind.WINDOW, Party.BODY, DeadlineStatus.LATE),
        ],
    ),
]


@pytest.mark.parametrize(("name", "steps", "expected"), TIMELINES, ids=[c[0] for c in TIMELINES])
def test_timeline(
    name: str, steps: tuple[tuple[Any, ...], ...], expected: list[tuple[Any, ...]]
) -> None:
    limits = course(*steps).timeline(SUPPLIED, CAL)
    assert expected == [(x.key, x.kind, x.party, x.status(on=D(2024, 12, 31))) for x in limits]


def test_a_moot_limit_applied_until_the_step_that_ended_it() -> None:
    petition = course(*ROUTED, (S.OBJECTED, D(2024, 3, 13)))
    notice = next(x for x in petition.timeline(BOOK, CAL) if x.key == "petition.transfer_notice")
    assert [DeadlineStatus.PENDING, None] == [
        notice.status(on=D(2024, 3, 12)),
        notice.status(on=D(2024, 3, 13)),
    ]
    assert (None, D(2024, 3, 13), False) == (notice.done_on, notice.lapsed_on, notice.running)


# --- representatives ---------------------------------------------------------------------------


def test_the_2005_limit_of_five_representatives() -> None:
    limit, citation = representative_limit(D(2021, 6, 1))
    assert (5, "第十八条", "REPOST") == (
        limit,
        citation.article,
        citation.grade and citation.grade.value,
    )


def test_the_2022_representatives_limit_must_be_supplied() -> None:
    with pytest.raises(ParameterMissing, match=r"petition\.group_representatives"):
        representative_limit(D(2024, 6, 1))
    assert 5 == representative_limit(D(2024, 6, 1), supplied=5)[0]


@pytest.mark.parametrize("bad", [0, "2.5"])
def test_a_supplied_representatives_limit_is_a_whole_number(bad: Any) -> None:
    with pytest.raises(InvalidValue):
        representative_limit(D(2024, 6, 1), supplied=bad)


# name, fields, field named
BAD_GROUPS = [
    (
        "a group by letter",
        {"group_size": 3, "channel": PetitionChannel.LETTER},
        "channel/group_size",
    ),
    (
        "more representatives than people",
        {"group_size": 3, "representatives": 4, "channel": PetitionChannel.VISIT},
        "group_size/representatives",
    ),
    ("a group of one", {"group_size": 1, "channel": PetitionChannel.VISIT}, "group_size"),
]


@pytest.mark.parametrize(("name", "fields", "field"), BAD_GROUPS, ids=[c[0] for c in BAD_GROUPS])
def test_a_group_visit_is_checked(name: str, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        received(**fields)
    assert field == caught.value.field


def test_a_group_visit_with_representatives() -> None:
    petition = received(group_size=12, representatives=5, channel=PetitionChannel.VISIT)
    limit, _citation = representative_limit(petition.received_on, supplied=5)
    assert (12, 5, 5) == (petition.group_size, petition.representatives, limit)
