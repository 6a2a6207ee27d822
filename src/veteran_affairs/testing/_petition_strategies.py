"""Hypothesis strategies for petitions (信访) and their time limits, valid by construction.

A petition is drawn as a walk through :data:`~veteran_affairs.casework.petitions.TRANSITIONS`
from its registration, each step dated no earlier than the last, with the fields each step
needs (a routed-to unit, a 复查 body at or above the handling one, an extension within 30 日,
a hearing inside the 复核 period). Registration dates lie from 2022-05-01 (the 2022 条例) to
mid-2025, so that every bundled limit has a version and the bundled calendars cover the counts.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from veteran_affairs.casework.deadlines import DayCount, DueDate
from veteran_affairs.casework.petitions import (
    ClosureKind,
    NotAcceptedReason,
    Petition,
    PetitionCategory,
    PetitionChannel,
    PetitionStatus,
    ReceiverKind,
    StatutoryRoute,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.parameters import Citation
from veteran_affairs.testing.strategies import division_codes, resident_ids

__all__ = [
    "EARLIEST",
    "LATEST",
    "due_dates",
    "petition_dates",
    "petition_steps",
    "petitions",
    "received_petitions",
]


def __dir__() -> list[str]:
    return __all__


EARLIEST = dt.date(2022, 5, 1)
"""The first date drawn: the 2022 《信访工作条例》 takes effect."""

LATEST = dt.date(2025, 6, 30)
"""The last registration date drawn (a walk of 12 steps then stays within the bundled
calendar years and before today)."""

_S = PetitionStatus
_MAX_GAP = 30


def petition_dates(low: dt.date = EARLIEST, high: dt.date = LATEST) -> st.SearchStrategy[dt.date]:
    """Dates a petition may be registered on."""
    return st.dates(min_value=low, max_value=high)


@st.composite
def received_petitions(
    draw: st.DrawFn,
    *,
    dates: st.SearchStrategy[dt.date] | None = None,
    receivers: st.SearchStrategy[ReceiverKind] | None = None,
) -> Petition:
    """Petitions just registered (登记), by a petition office or another body."""
    channel = draw(st.sampled_from(tuple(PetitionChannel)))
    group_size = representatives = None
    if channel is PetitionChannel.VISIT and draw(st.booleans()):
        group_size = draw(st.integers(2, 60))
        representatives = draw(st.integers(1, group_size))
    return Petition.receive(
        petition_id=f"XF-{draw(st.integers(1, 999_999)):06d}",
        petitioner=draw(resident_ids()),
        category=draw(st.sampled_from(tuple(PetitionCategory))),
        channel=channel,
        received_by=draw(division_codes(level=DivisionLevel.COUNTY)),
        receiver=draw(st.sampled_from(tuple(ReceiverKind)) if receivers is None else receivers),
        group_size=group_size,
        representatives=representatives,
        on=draw(petition_dates() if dates is None else dates),
        actor="registrar",
    )


def _above(draw: st.DrawFn, unit: DivisionCode) -> DivisionCode:
    """The unit itself or one of its ancestors (a body at or above it)."""
    return draw(st.sampled_from((unit, *unit.ancestors())))


def _delivery(draw: st.DrawFn, on: dt.date) -> dt.date | None:
    """No delivery date recorded, or one up to 10 days after the reply."""
    if draw(st.booleans()):
        return None
    return on + dt.timedelta(days=draw(st.integers(0, 10)))


@st.composite
def _step(draw: st.DrawFn, petition: Petition, to: PetitionStatus) -> Petition:
    last = petition.history[-1].on
    if to in (_S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED):
        last = petition.history[-1].window_start  # asked once the reply is received
    on = last + dt.timedelta(days=draw(st.integers(0, _MAX_GAP)))
    actor = "petitioner" if to in (_S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED) else "body"
    if to is _S.ROUTED:
        return petition.route(
            on=on, actor=actor, to_unit=draw(division_codes(level=DivisionLevel.COUNTY))
        )
    if to is _S.OBJECTED:
        return petition.object(on=on, actor=actor, reasons="不属于本机关职责范围")
    if to is _S.ACCEPTED:
        simple = petition.status is _S.RECEIVED and draw(st.booleans())
        return petition.accept(on=on, actor=actor, simplified=simple)
    if to is _S.NOT_ACCEPTED:
        if petition.status in (_S.REVIEW_REQUESTED, _S.RE_REVIEW_REQUESTED):
            reasons = tuple(NotAcceptedReason)
        else:
            reasons = tuple(r for r in NotAcceptedReason if r is not NotAcceptedReason.LATE_REQUEST)
        reason = draw(st.sampled_from(reasons))
        route = (
            draw(st.sampled_from(tuple(StatutoryRoute)))
            if reason is NotAcceptedReason.STATUTORY_ROUTE
            else None
        )
        return petition.refuse(on=on, actor=actor, reason=reason, route=route)
    if to is _S.EXTENDED:
        return petition.advance(
            _S.EXTENDED, on=on, actor=actor, days=draw(st.integers(1, 30)), note="情况复杂"
        )
    if to is _S.ANSWERED:
        return petition.answer(on=on, actor=actor, delivered_on=_delivery(draw, on))
    if to is _S.REVIEW_REQUESTED:
        return petition.request_review(on=on, actor=actor, unit=_above(draw, petition.unit))
    if to is _S.REVIEWED:
        return petition.decide_review(on=on, actor=actor, delivered_on=_delivery(draw, on))
    if to is _S.RE_REVIEW_REQUESTED:
        return petition.request_re_review(on=on, actor=actor, unit=_above(draw, petition.unit))
    if to is _S.HEARING_HELD:
        started = last + dt.timedelta(days=draw(st.integers(0, 20)))
        ended = started + dt.timedelta(days=draw(st.integers(0, 10)))
        return petition.hold_hearing(started_on=started, ended_on=ended, actor=actor)
    if to is _S.RE_REVIEWED:
        return petition.decide_re_review(on=on, actor=actor, delivered_on=_delivery(draw, on))
    if to is _S.CLOSED:
        closure = (
            ClosureKind.FINAL
            if petition.status is _S.RE_REVIEWED
            else draw(st.sampled_from((ClosureKind.SATISFIED, ClosureKind.NO_REQUEST)))
        )
        return petition.close(on=on, actor=actor, closure=closure)
    raise ValueError(f"no step leads to {to!r}")  # pragma: no cover - RECEIVED only


def petition_steps(petition: Petition, to: PetitionStatus) -> st.SearchStrategy[Petition]:
    """``petition`` after one valid step to ``to`` (one of ``petition.allowed``)."""
    return _step(petition, to)


@st.composite
def petitions(
    draw: st.DrawFn,
    *,
    max_steps: int = 12,
    receivers: st.SearchStrategy[ReceiverKind] | None = None,
) -> Petition:
    """Petitions at any point of their course: registration, then up to ``max_steps`` steps."""
    petition = draw(received_petitions(receivers=receivers))
    for _ in range(draw(st.integers(0, max_steps))):
        allowed = sorted(petition.allowed, key=lambda s: s.value)
        if not allowed:
            break
        petition = draw(petition_steps(petition, draw(st.sampled_from(allowed))))
    return petition


@st.composite
def due_dates(draw: st.DrawFn) -> DueDate:
    """Due dates of any clock, ``due`` on or after ``start``."""
    start = draw(petition_dates())
    amount = draw(st.integers(0, 120))
    end = start + dt.timedelta(days=draw(st.integers(0, 200)))
    return DueDate(
        key=draw(st.sampled_from(("petition.handling", "petition.routing", "test.limit"))),
        start=start,
        due=end,
        count=draw(st.sampled_from(tuple(DayCount))),
        amount=amount,
        citation=Citation(document="test"),
    )
