"""Hypothesis strategies for the casework registers: legacy cases, requests, 包联 and village
cadres (valid by construction).

Each case or request is built by a random walk over its allowed steps
(:data:`veteran_affairs.casework.legacy.TRANSITIONS`,
:data:`veteran_affairs.casework.requests.TRANSITIONS`), dates never going back and never after
today, so every value passes the models' validators.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from hypothesis import strategies as st

from veteran_affairs.casework import legacy, requests
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment
from veteran_affairs.casework.legacy import (
    LegacyCase,
    LegacyCategory,
    LegacyStatus,
    Milestone,
    OriginRegime,
)
from veteran_affairs.casework.requests import (
    Contact,
    ContactChannel,
    EscalationKind,
    FollowUp,
    Request,
    RequestStatus,
)
from veteran_affairs.casework.villages import CadreRole, VillageCadre
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.testing.strategies import division_codes, resident_ids

__all__ = [
    "contact_assignments",
    "contact_requests",
    "contacts",
    "legacy_cases",
    "milestones",
    "talks_for",
    "village_cadres",
]


def __dir__() -> list[str]:
    return __all__


_EARLIEST = dt.date(2018, 4, 16)  # 退役军人事务部 挂牌
_DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return dt.date.today()


def _dates(low: dt.date, high: dt.date | None = None) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=_today() if high is None else high)


def _later(draw: st.DrawFn, day: dt.date, *, most: int = 120) -> dt.date:
    """A day on or after ``day``, at most ``most`` days later and never after today."""
    return min(_today(), day + dt.timedelta(days=draw(st.integers(0, most))))


_S = TypeVar("_S", LegacyStatus, RequestStatus)
_LEGACY_LINE = frozenset({LegacyStatus.VERIFIED, LegacyStatus.PLAN_AGREED, LegacyStatus.RESOLVED})
_REQUEST_LINE = frozenset({RequestStatus.ASSIGNED, RequestStatus.ANSWERED, RequestStatus.CLOSED})


def _favouring(allowed: frozenset[_S], line: frozenset[_S]) -> list[_S]:
    """The allowed next states in a fixed order, the main line's listed three times (so a
    walk mostly goes forward), the main line first (so examples shrink towards it)."""
    ordered: list[_S] = sorted(allowed, key=lambda s: (s not in line, s.value))
    forward = [s for s in ordered if s in line]
    return forward * 3 + ordered


_IDS = st.from_regex(r"[A-Z]{2}-[0-9]{1,6}", fullmatch=True)
_ACTORS = st.sampled_from(("station-01", "county-01", "city-02", "bureau-deputy"))
_TEXT = st.sampled_from(("两保接续", "安置待遇落实", "优待证办理", "档案核对", "就业帮扶"))


# --- legacy cases -------------------------------------------------------------------------


@st.composite
def milestones(draw: st.DrawFn, *, after: dt.date, key: str = "m1") -> Milestone:
    """A milestone due on or after ``after``, sometimes done (on or after ``after``)."""
    target = after + dt.timedelta(days=draw(st.integers(0, 400)))
    done = _later(draw, after, most=400) if draw(st.booleans()) else None
    return Milestone(key=key, title=draw(_TEXT), target_on=target, done_on=done)


@st.composite
def legacy_cases(draw: st.DrawFn, *, max_steps: int = 4) -> LegacyCase:
    """Legacy cases in any state, reached by allowed steps (with milestones and reviews)."""
    regime = draw(st.sampled_from(tuple(OriginRegime)))
    span = regime.in_force
    low, high = (_EARLIEST, _today()) if span is None else span
    low = dt.date(1990, 1, 1) if low is None else low
    high = _today() if high is None else min(high, _today())
    origin = draw(st.none() | _dates(low, high))
    identified = draw(_dates(max(origin or _EARLIEST, _EARLIEST)))
    case = LegacyCase.identify(
        case_id=draw(_IDS),
        category=draw(st.sampled_from(tuple(LegacyCategory))),
        regime=regime,
        origin_on=origin,
        topic=draw(_TEXT),
        responsible_unit=draw(division_codes(level=DivisionLevel.COUNTY)),
        owner=draw(_ACTORS),
        subjects=tuple(draw(st.lists(resident_ids(), max_size=2, unique=True))),
        on=identified,
        actor=draw(_ACTORS),
    )
    day = identified
    for _ in range(draw(st.integers(0, max_steps))):
        options = _favouring(legacy.TRANSITIONS[case.status], _LEGACY_LINE)
        if not options:
            break
        if draw(st.booleans()):
            review = _later(draw, day, most=60)
            case = case.record_review(on=review)
            day = review
        to = draw(st.sampled_from(options))
        day = _later(draw, day)
        actor = draw(_ACTORS)
        if to is LegacyStatus.PLAN_AGREED:
            count = draw(st.integers(0, 2))
            planned = tuple(
                draw(milestones(after=identified, key=f"m{n}")) for n in range(1, count + 1)
            )
            case = case.agree_plan(on=day, actor=actor, milestones=planned)
        elif to is LegacyStatus.REFERRED:
            case = case.refer(to="县人力资源和社会保障局", on=day, actor=actor)
        else:
            case = case.advance(to, on=day, actor=actor)
    return case


# --- requests -------------------------------------------------------------------------------


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    """Contacts by any channel, sometimes naming the person and an activity."""
    return Contact(
        channel=draw(st.sampled_from(tuple(ContactChannel))),
        on=draw(_dates(_EARLIEST)),
        unit=draw(division_codes(level=DivisionLevel.TOWNSHIP)),
        activity_id=draw(st.none() | _IDS),
        person=draw(st.none() | resident_ids()),
    )


@st.composite
def contact_requests(draw: st.DrawFn, *, max_steps: int = 6) -> Request:
    """Requests in any state, reached by allowed steps, with follow-ups where they fit."""
    contact = draw(contacts())
    day = _later(draw, contact.on, most=3)
    request = Request.open(
        request_id=draw(_IDS), contact=contact, topic=draw(_TEXT), actor="station-01", on=day
    )
    channel = st.sampled_from(tuple(ContactChannel))
    for _ in range(draw(st.integers(0, max_steps))):
        options = _favouring(requests.TRANSITIONS[request.status], _REQUEST_LINE)
        if not options:
            break
        to = draw(st.sampled_from(options))
        day = _later(draw, day, most=30)
        actor = draw(_ACTORS)
        if to is RequestStatus.ASSIGNED:
            handler = draw(division_codes(level=DivisionLevel.COUNTY))
            request = request.assign(on=day, actor=actor, handler=handler)
        elif to is RequestStatus.CLOSED:
            follow = FollowUp(on=day, channel=draw(channel), actor=actor, satisfied=True)
            request = request.close(on=day, actor=actor, follow_up=follow)
        elif to is RequestStatus.ESCALATED:
            into = draw(st.sampled_from(tuple(EscalationKind)))
            request = request.escalate(into=into, target_id=draw(_IDS), on=day, actor=actor)
        else:
            request = request.advance(to, on=day, actor=actor)
            if to is RequestStatus.ANSWERED and draw(st.booleans()):
                follow = FollowUp(on=day, channel=draw(channel), actor=actor)
                request = request.record_follow_up(follow)
    return request


# --- 包联 and villages ---------------------------------------------------------------------


@st.composite
def contact_assignments(
    draw: st.DrawFn, *, assignment_id: str | None = None, area: DivisionCode | None = None
) -> ContactAssignment:
    """包联 assignments starting 2021–2025, open or ended (ends may be in the future)."""
    start = draw(st.dates(dt.date(2021, 1, 1), dt.date(2025, 12, 31)))
    end = draw(st.none() | st.dates(start, start + dt.timedelta(days=900)))
    return ContactAssignment(
        assignment_id=draw(_IDS) if assignment_id is None else assignment_id,
        leader=draw(_ACTORS),
        area=draw(division_codes(level=DivisionLevel.COUNTY)) if area is None else area,
        starts_on=start,
        ends_on=end,
    )


@st.composite
def talks_for(
    draw: st.DrawFn, assignment: ContactAssignment, *, max_size: int = 6
) -> list[BaolianTalk]:
    """Talks held for ``assignment`` on days it was in force (none after today), ids unique."""
    last = min(_today(), assignment.ends_on or _today())
    if last < assignment.starts_on:
        return []
    days = draw(st.lists(st.dates(assignment.starts_on, last), max_size=max_size))
    return [
        BaolianTalk(
            talk_id=f"{assignment.assignment_id}/T{n}",
            assignment_id=assignment.assignment_id,
            area=assignment.area,
            held_on=day,
            participants=draw(st.integers(0, 30)),
        )
        for n, day in enumerate(days)
    ]


@st.composite
def village_cadres(
    draw: st.DrawFn,
    *,
    villages: st.SearchStrategy[DivisionCode] | None = None,
    persons: st.SearchStrategy[ResidentId] | None = None,
) -> VillageCadre:
    """Village cadres in any post, veterans or not, with terms from 2015 on.

    ``villages`` and ``persons`` narrow where and who (a small pool of persons makes one
    person hold several posts)."""
    start = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    end = draw(st.none() | st.dates(start, start + dt.timedelta(days=5 * 366)))
    return VillageCadre(
        person=draw(resident_ids() if persons is None else persons),
        village=draw(division_codes(level=DivisionLevel.VILLAGE) if villages is None else villages),
        role=draw(st.sampled_from(tuple(CadreRole))),
        term_from=start,
        term_to=end,
        is_veteran=draw(st.booleans()),
    )
