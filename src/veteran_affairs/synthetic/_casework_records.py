"""Synthetic casework (业务工作, private engine of ``synthetic``): petitions, insurance transfers,
discharge records, training enrolments and employment spells, 包联 assignments and talks,
reception sessions, village cadres, legacy cases and contact requests.

Everything here is a synthetic choice (shares, day counts between steps, ids); the only legal
figures used are the time limits bundled with :mod:`veteran_affairs.casework`, read from
:meth:`LimitBook.bundled() <veteran_affairs.casework.deadlines.LimitBook.bundled>` and counted on
the Guangxi working-day calendar (the national one where Guangxi's data end), so that a petition
drawn as "answered on time" is answered by the real due date and one drawn as "stuck" is really
overdue once that date has passed. Where a limit has no value (a 2022 limit that was NOT FOUND),
the step is dated without reference to it and no story claims it was met or missed.

Every record goes through its model's own steps (``Petition.receive(...).route(...)``,
``InsuranceTransfer.start(...).advance(...)`` …), so each is a valid state-machine history;
steps that would fall after the day before ``on`` are not taken, so the records stand as they
would on ``on``. Draws come from generators of their own, derived from the seed, so the
records generated before (people, households, cases, activities) are exactly what they were.

* Petitions, transfers, discharge records, enrolments, employment spells, legacy cases and
  requests belong to people and are drawn for the subtree generated, like the people
  (``casework:<kind>`` streams).
* 包联 assignments and talks, reception sessions and village cadres are drawn per unit
  (``baolian:<area>``, ``reception:<county>``, ``cadres:<village>``), so a subtree has exactly
  the full region's inside it, like stations (a session's ``requests`` and the visitors they
  add aside: those depend on the people generated).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

import attrs

from veteran_affairs import divisions as _bundled
from veteran_affairs._draw import below, between, pick, unit_rng
from veteran_affairs.casework.deadlines import CalendarRequired, DueDate, LimitBook, due
from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    EmploymentStatus,
    InsuranceScheme,
    InsuranceStatus,
    InsuranceTransfer,
    TrainingEnrolment,
    TrainingKind,
    insurance_schemes_for,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import (
    LegacyCase,
    LegacyCategory,
    Milestone,
    OriginRegime,
    soldier_placement_regime,
)
from veteran_affairs.casework.petitions import (
    ClosureKind,
    NotAcceptedReason,
    Petition,
    PetitionCategory,
    PetitionChannel,
    ReceiverKind,
    StatutoryRoute,
)
from veteran_affairs.casework.requests import (
    Contact,
    ContactChannel,
    EscalationKind,
    FollowUp,
    Request,
)
from veteran_affairs.casework.villages import CadreRole, VillageCadre
from veteran_affairs.cycles.calendar import CalendarDataMissing, WorkCalendar, calendar_for
from veteran_affairs.cycles.periods import Quarter
from veteran_affairs.errors import ParameterError
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, check_character
from veteran_affairs.models.network import Division
from veteran_affairs.models.people import ServingMember, Survivor, Veteran
from veteran_affairs.models.service import DischargeMode, PersonnelType
from veteran_affairs.synthetic._service_points import requires_station

Subject = Veteran | Survivor | ServingMember
R = TypeVar("R")

_DAY = dt.timedelta(days=1)

# --- synthetic figures (choices, not legal figures) ------------------------------------------

PETITIONS_PER_PERSON = 0.01
"""Petitions received in the activity year per person (at least :data:`MIN_PETITIONS`)."""
MIN_PETITIONS = 30
REQUESTS_PER_PERSON = 0.003
MIN_REQUESTS = 5
LEGACY_PER_PERSON = 0.0005
MIN_LEGACY = 3
RECENT_DAYS = 365
"""Veterans discharged this many days before ``on`` or fewer have their insurance transferred."""

# How a petition goes (cumulative shares; the last 7% go the plain way too): see
# docs/synthetic-data.md, "Casework".
_STORIES = (
    (0.46, "plain"),
    (0.56, "simple"),
    (0.61, "extended"),
    (0.66, "late"),
    (0.72, "stuck"),
    (0.74, "routing-late"),
    (0.81, "refused"),
    (0.88, "review"),
    (0.91, "re-review"),
    (0.93, "objected"),
    (1.0, "plain"),
)
_CHANNELS = (
    (0.30, PetitionChannel.ONLINE),
    (0.55, PetitionChannel.LETTER),
    (0.70, PetitionChannel.PHONE),
    (0.95, PetitionChannel.VISIT),
    (0.99, PetitionChannel.EMAIL),
    (1.0, PetitionChannel.FAX),
)
_CATEGORIES = (
    (0.75, PetitionCategory.APPEAL),
    (0.90, PetitionCategory.SUGGESTION),
    (1.0, PetitionCategory.ACCUSATION),
)
_ROUTES = (
    (0.6, StatutoryRoute.ADMINISTRATIVE_REVIEW),
    (0.8, StatutoryRoute.LITIGATION),
    (1.0, StatutoryRoute.ARBITRATION),
)
_STALL_NOTES = ("转移凭证遗失", "资金未到账", "经办机构退回材料", "身份信息不一致")
TRANSFER_STALLED = 0.08
TRANSFER_RESUMED = 0.6
MEDICAL_ACCOUNT_LATE = 0.12
TALK_HELD = 0.88
ASSIGNMENT_LATE_START = 0.10
ASSIGNMENT_ROTATED = 0.08
ONE_SHOULDER = 0.40
VETERAN_SECRETARY = 0.11
VETERAN_DIRECTOR = 0.09
RECEPTION_HELD = 0.93
"""Share of months in which a county's reception day is held (synthetic; no rule was found)."""
RECEPTION_VISITORS = 20
"""At most this many visitors come to a reception day (before the requests it opened)."""
REPORT_LATE = 0.06
NOT_REPORTED = 0.03
APPROVED_BEFORE = 0.7
ADAPTIVE_TRAINED = 0.6
SCHOOL_RESERVED = 0.05
PLACEMENT_LATE = 0.1
TRAINED = 0.45
SECOND_COURSE = 0.15
CERTIFIED = 0.85

_OBJECTION_FROM = dt.date(2022, 5, 1)  # the 5 工作日 objection is new in the 2022 条例
_PETITION_OFFICE = "xfj"  # 信访局
_BUREAU = "tyjr"  # 退役军人事务局
_PETITIONER = "petitioner"


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=low + below(rng, high - low + 1))


def _county(code: DivisionCode) -> DivisionCode:
    return code.truncate(DivisionLevel.COUNTY)


def _city(code: DivisionCode) -> DivisionCode:
    return code.truncate(DivisionLevel.CITY)


# --- time limits -------------------------------------------------------------------------------


@functools.cache
def _calendars() -> tuple[WorkCalendar, ...]:
    """Guangxi's working-day calendar, then the national one (for years Guangxi's data lack)."""
    return (calendar_for("45"), calendar_for())


class Clock:
    """Counts due dates with the bundled limits as a report would: on the Guangxi calendar, on
    the national one where Guangxi's data end; ``None`` where no value or calendar is known."""

    def __init__(self, book: LimitBook | None = None) -> None:
        self.book = LimitBook.bundled() if book is None else book

    def due(self, key: str, start: dt.date, *, extra: int = 0) -> DueDate | None:
        for calendar in _calendars():
            try:
                return due(self.book, key, start, calendar=calendar, extra=extra)
            except CalendarDataMissing:
                continue
            except (ParameterError, CalendarRequired):
                return None
        return None

    def longest_extension(self, on: dt.date) -> int | None:
        try:
            return self.book.limit("petition.extension").amount_on(on)[0]
        except ParameterError:
            return None


# --- petitions ---------------------------------------------------------------------------------


class PetitionStart(NamedTuple):
    """Who registered a petition and which county bureau handles it."""

    receiver: ReceiverKind
    received_by: DivisionCode
    office: str
    bureau: str
    county: DivisionCode


class _Walk(Generic[R]):
    """Takes a record's steps while they fall on or before ``last``; the first later step
    stops the walk (the record stands as it would on the reference date)."""

    def __init__(self, record: R, last: dt.date) -> None:
        self.record = record
        self.last = last
        self.going = True

    def step(self, method: str, on: dt.date, **fields: Any) -> bool:
        if not self.going or on > self.last:
            self.going = False
            return False
        self.record = getattr(self.record, method)(on=on, **fields)
        return True


class _Petitions:
    def __init__(self, rng: random.Random, clock: Clock, year: int, last: dt.date) -> None:
        self.rng = rng
        self.clock = clock
        self.year = year
        self.last = last
        self.out: list[Petition] = []

    def in_time(self, start: dt.date, limit: DueDate | None, fallback: int) -> dt.date:
        """A day after ``start``, by the due date (or within ``fallback`` days without one)."""
        end = start + dt.timedelta(days=fallback) if limit is None else limit.due
        return between(self.rng, start + _DAY, max(start + _DAY, end))

    def late(self, limit: DueDate) -> dt.date:
        return limit.due + _days(self.rng, 1, 30)

    def draw(self, petitioner: ResidentId, village: DivisionCode) -> Petition:
        rng = self.rng
        story: str = pick(rng, _STORIES)
        received = between(
            rng, dt.date(self.year, 1, 1), min(dt.date(self.year, 12, 31), self.last)
        )
        if story == "objected" and received < _OBJECTION_FROM:
            story = "plain"  # the objection window is new in 2022
        county = _county(village)
        channel: PetitionChannel = pick(rng, _CHANNELS)
        size: int | None = None
        representatives: int | None = None
        if channel is PetitionChannel.VISIT and rng.random() < 0.15:
            size = 2 + below(rng, 19)
            representatives = 1 + below(rng, min(5, size))
        r = rng.random()
        if story in ("routing-late", "objected") or r < 0.45:
            receiver, received_by = ReceiverKind.PETITION_OFFICE, county
        elif r < 0.55:
            receiver, received_by = ReceiverKind.PETITION_OFFICE, _city(village)
        elif r < 0.65 and village.level is DivisionLevel.VILLAGE:
            receiver = ReceiverKind.OTHER_BODY
            received_by = village.truncate(DivisionLevel.TOWNSHIP)
        else:
            receiver, received_by = ReceiverKind.OTHER_BODY, county
        first = PetitionStart(
            receiver=receiver,
            received_by=received_by,
            office=f"{_PETITION_OFFICE}-{received_by.short}",
            bureau=f"{_BUREAU}-{county.short}",
            county=county,
        )
        walk = _Walk(
            Petition.receive(
                petition_id=f"XF-{self.year}-{len(self.out) + 1:06d}",
                petitioner=petitioner,
                category=pick(rng, _CATEGORIES),
                channel=channel,
                received_by=received_by,
                receiver=receiver,
                on=received,
                actor=first.office if receiver is ReceiverKind.PETITION_OFFICE else first.bureau,
                group_size=size,
                representatives=representatives,
            ),
            self.last,
        )
        self.handle(walk, story, first, received)
        self.out.append(walk.record)
        return walk.record

    def handle(self, walk: _Walk[Petition], story: str, first: PetitionStart, day: dt.date) -> None:
        """Take the steps of ``story`` from the registration on ``day``."""
        rng = self.rng
        county, bureau = first.county, first.bureau
        key = (
            "petition.routing"
            if first.receiver is ReceiverKind.PETITION_OFFICE
            else "petition.direct_notice"
        )
        limit = self.clock.due(key, day)
        routed = first.received_by != county or first.receiver is ReceiverKind.PETITION_OFFICE
        # 1. registration to the handling body: routed (petition office, or a station), or kept.
        if routed:
            if story == "routing-late" and limit is not None:
                day = self.late(limit)
            else:
                day = self.in_time(day, limit, 15)
            actor = first.office if first.receiver is ReceiverKind.PETITION_OFFICE else bureau
            if not walk.step("route", day, actor=actor, to_unit=county):
                return
            limit = self.clock.due("petition.transfer_notice", day)
            if story == "objected":
                window = self.clock.due("petition.objection", day)
                day = self.in_time(day, window, 5)
                walk.step("object", day, actor=bureau, reasons="不属于本机关职责范围（合成）")
                day += _days(rng, 1, 5)
                county = self.neighbour(county)
                bureau = f"{_BUREAU}-{county.short}"
                walk.step("route", day, actor=first.office, to_unit=county)
                limit = self.clock.due("petition.transfer_notice", day)
        if story == "refused":
            walk.step("refuse", self.in_time(day, limit, 15), actor=bureau, **self.refusal())
            return
        # 2. acceptance and handling.
        day = self.in_time(day, limit, 15)
        simplified = story == "simple" and (
            self.clock.due("petition.simple_handling", day) is not None
        )
        if not walk.step("accept", day, actor=bureau, simplified=simplified):
            return
        key = "petition.simple_handling" if simplified else "petition.handling"
        limit = self.clock.due(key, day)
        if story == "stuck" and limit is not None:
            return  # never answered: overdue once the due date has passed
        longest = self.clock.longest_extension(day)
        if story == "extended" and limit is not None and longest:
            on = between(rng, max(day + _DAY, limit.due - dt.timedelta(days=10)), limit.due)
            extra = min(longest, 5 + below(rng, max(1, longest - 4)))
            walk.step(
                "extend",
                on,
                actor=bureau,
                days=extra,
                reason="需进一步调查核实（合成）",
                book=self.clock.book,
            )
            day = on
            limit = self.clock.due(key, limit.start, extra=extra)
        day = (
            self.late(limit)
            if story == "late" and limit is not None
            else self.in_time(day, limit, 60)
        )
        delivered = day + _days(rng, 0, 5)
        if not walk.step("answer", day, actor=bureau, delivered_on=delivered):
            return
        # 3. 复查 and 复核 one and two levels up, or closing.
        closer, next_window = bureau, "petition.review_request"
        if story in ("review", "re-review"):
            city = county.truncate(DivisionLevel.CITY)
            closer, next_window = f"{_BUREAU}-{city.short}", "petition.re_review_request"
            day = self.in_time(delivered, self.clock.due("petition.review_request", delivered), 30)
            walk.step("request_review", day, actor=_PETITIONER, unit=city)
            day = self.in_time(day, self.clock.due("petition.review_decision", day), 30)
            delivered = day + _days(rng, 0, 5)
            walk.step("decide_review", day, actor=closer, delivered_on=delivered)
            if story == "re-review":
                province = city.truncate(DivisionLevel.PROVINCE)
                top = f"{_BUREAU}-{province.short}"
                window = self.clock.due("petition.re_review_request", delivered)
                day = self.in_time(delivered, window, 30)
                walk.step("request_re_review", day, actor=_PETITIONER, unit=province)
                day = self.in_time(day, self.clock.due("petition.re_review_decision", day), 30)
                walk.step("decide_re_review", day, actor=top)
                walk.step("close", day + _days(rng, 1, 10), actor=top, closure=ClosureKind.FINAL)
                return
        if rng.random() < 0.5:
            on = delivered + _days(rng, 1, 20)
            walk.step("close", on, actor=closer, closure=ClosureKind.SATISFIED)
            return
        window = self.clock.due(next_window, delivered)
        end = delivered + dt.timedelta(days=30) if window is None else window.due
        walk.step("close", end + _days(rng, 1, 10), actor=closer, closure=ClosureKind.NO_REQUEST)

    def refusal(self) -> dict[str, Any]:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return {"reason": NotAcceptedReason.STATUTORY_ROUTE, "route": pick(rng, _ROUTES)}
        if r < 0.8:
            return {"reason": NotAcceptedReason.OUTSIDE_SCOPE}
        return {"reason": NotAcceptedReason.IN_HAND}

    def neighbour(self, county: DivisionCode) -> DivisionCode:
        """Another county-level unit of the same city (the one it is re-routed to), or itself."""
        city = county.truncate(DivisionLevel.CITY)
        others = [
            d.code
            for d in _bundled.subtree(city)
            if d.level is DivisionLevel.COUNTY and d.code != county
        ]
        return others[below(self.rng, len(others))] if others else county


def petitions(
    seed: int, people: Sequence[Subject], persons: int, year: int, last: dt.date, clock: Clock
) -> list[Petition]:
    """Petitions received in ``year`` from veterans and survivors (see the module docstring)."""
    who = [p for p in people if not isinstance(p, ServingMember)]
    if not who:
        return []
    rng = unit_rng(seed, "casework:petitions")
    count = max(MIN_PETITIONS, round(persons * PETITIONS_PER_PERSON))
    drawn = _Petitions(rng, clock, year, last)
    for _ in range(count):
        person = who[below(rng, len(who))].person
        drawn.draw(person.resident_id, person.hukou_division)
    return drawn.out


# --- insurance transfers -------------------------------------------------------------------------


def transfers(
    seed: int, people: Sequence[Subject], on: dt.date, last: dt.date, clock: Clock
) -> list[InsuranceTransfer]:
    """One transfer per scheme of every veteran discharged in the :data:`RECENT_DAYS` before
    ``on``, advanced step by step, a few stalled (and some of those resumed)."""
    rng = unit_rng(seed, "casework:transfers")
    since = on - dt.timedelta(days=RECENT_DAYS)
    out: list[InsuranceTransfer] = []
    for subject in people:
        if not isinstance(subject, Veteran):
            continue
        service = subject.service
        discharged, mode = service.discharged_on, service.discharge_mode
        if discharged is None or mode is None or discharged < since:
            continue
        destination = subject.person.hukou_division
        for scheme in sorted(insurance_schemes_for(mode), key=lambda s: s.value):
            out.append(_transfer(rng, subject, scheme, discharged, destination, last, clock))
    return out


def _transfer(
    rng: random.Random,
    veteran: Veteran,
    scheme: InsuranceScheme,
    discharged: dt.date,
    destination: DivisionCode,
    last: dt.date,
    clock: Clock,
) -> InsuranceTransfer:
    walk = _Walk(
        InsuranceTransfer.start(
            veteran=veteran.person.resident_id,
            scheme=scheme,
            on=discharged,
            destination=destination,
        ),
        last,
    )
    stall_at = below(rng, len(scheme.path) - 1) if rng.random() < TRANSFER_STALLED else -1
    day = discharged
    for index in range(len(scheme.path) - 1):
        if index == stall_at:
            day += _days(rng, 3, 20)
            if not walk.step("stall", day, note=_STALL_NOTES[below(rng, len(_STALL_NOTES))]):
                break
            if rng.random() >= TRANSFER_RESUMED:
                break  # still stalled
            day += _days(rng, 20, 90)
            if not walk.step("resume", day):
                break
        current = walk.record.status
        if current is InsuranceStatus.RECEIVED_BY_AGENCY and scheme is InsuranceScheme.MEDICAL:
            received = walk.record.reached_on(InsuranceStatus.RECEIVED_BY_AGENCY)
            assert received is not None
            limit = clock.due("discharge.medical_account_opening", received)
            if limit is None:
                day += _days(rng, 5, 35)
            elif rng.random() < MEDICAL_ACCOUNT_LATE:
                day = max(day, limit.due) + _days(rng, 1, 40)
            else:
                day = between(rng, day + _DAY, max(day + _DAY, limit.due))
        else:
            day += _days(rng, 5, 35)
        if not walk.step("advance", day):
            break
    return walk.record


# --- discharge records, training and employment ----------------------------------------------------

_SOLDIERS = (PersonnelType.NCO, PersonnelType.CONSCRIPT)
_COURSES = (
    (0.35, TrainingKind.SKILLS),
    (0.60, TrainingKind.VOCATIONAL_EDUCATION),
    (0.85, TrainingKind.ADAPTIVE),
    (0.95, TrainingKind.ACADEMIC),
    (1.0, TrainingKind.SPECIALIST),
)
_OWN_WAY = (
    (0.25, EmploymentStatus.JOB_SEEKING),
    (0.60, EmploymentStatus.EMPLOYED),
    (0.75, EmploymentStatus.SELF_EMPLOYED),
    (0.81, EmploymentStatus.PUBLIC_WELFARE_POST),
    (0.87, EmploymentStatus.REINSTATED),
    (0.92, EmploymentStatus.IN_EDUCATION),
    (1.0, None),
)
_EMPLOYER = "合成用人单位"
_PROVIDER = "合成职业技能培训机构"


def recently_discharged(people: Sequence[Subject], on: dt.date) -> list[Veteran]:
    """The veterans discharged in the :data:`RECENT_DAYS` before ``on``, with a mode, in order."""
    since = on - dt.timedelta(days=RECENT_DAYS)
    return [
        p
        for p in people
        if isinstance(p, Veteran)
        and p.service.discharged_on is not None
        and p.service.discharge_mode is not None
        and p.service.discharged_on >= since
    ]


class _Events:
    """Dated events of a discharge record, kept only while they fall on or before ``last``."""

    def __init__(self, last: dt.date) -> None:
        self.last = last
        self.events: dict[str, Any] = {}

    def put(self, name: str, day: dt.date | None) -> dt.date | None:
        if day is None or day > self.last:
            return None
        self.events[name] = day
        return day


def _discharge_record(
    rng: random.Random, veteran: Veteran, county: DivisionCode, last: dt.date, clock: Clock
) -> DischargeRecord:
    service = veteran.service
    discharged, mode = service.discharged_on, service.discharge_mode
    assert discharged is not None
    assert mode is not None
    soldier = service.personnel_type in _SOLDIERS
    events = _Events(last)
    start = discharged
    if rng.random() < APPROVED_BEFORE:
        start = discharged - _days(rng, 0, 10)
        events.events["approved_on"] = start
    if soldier and mode is not DischargeMode.SELF_EMPLOYMENT:
        events.events["report_by"] = discharged + _days(rng, 15, 30)  # the notice's own time
    limit = (
        clock.due("discharge.report_self_employment", start)
        if soldier and mode is DischargeMode.SELF_EMPLOYMENT
        else None
    )
    by = limit.due if limit is not None else events.events.get("report_by", discharged + 30 * _DAY)
    r = rng.random()
    if r < NOT_REPORTED:
        reported = None
    elif r < NOT_REPORTED + REPORT_LATE:
        reported = events.put("reported_on", by + _days(rng, 1, 20))
    else:
        reported = events.put("reported_on", between(rng, discharged, max(discharged, by)))
    if service.personnel_type is PersonnelType.OFFICER:
        events.events["settlement_fixed_on"] = discharged - _days(rng, 0, 60)
    if reported is not None and rng.random() < 0.85:
        events.put("registered_on", reported + _days(rng, 0, 20))
    if mode is DischargeMode.ARRANGED_EMPLOYMENT and reported is not None:
        received = events.put("received_on", reported + _days(rng, 0, 10))
        if received is not None:
            placement = clock.due("discharge.placement", received)
            if placement is not None and rng.random() < PLACEMENT_LATE:
                placed = placement.due + _days(rng, 1, 60)
            elif placement is not None:
                placed = between(rng, received + _DAY, max(received + _DAY, placement.due))
            else:
                placed = received + _days(rng, 30, 180)
            if events.put("placed_on", placed) is not None:
                letter = events.put("letter_on", placed + _days(rng, 0, 10))
                if letter is not None:
                    events.put("on_post_on", letter + _days(rng, 1, 30))
    if service.personnel_type is PersonnelType.CONSCRIPT and rng.random() < SCHOOL_RESERVED:
        events.events["school_place_reserved"] = True
        events.put("school_entered_on", discharged + _days(rng, 30, 240))
    if rng.random() < ADAPTIVE_TRAINED:
        events.put("adaptive_trained_on", discharged + _days(rng, 10, 90))
    return DischargeRecord.from_veteran(veteran, unit=county, **events.events)


def _courses(
    rng: random.Random, veteran: Veteran, county: DivisionCode, last: dt.date, first: int
) -> list[TrainingEnrolment]:
    discharged = veteran.service.discharged_on
    assert discharged is not None
    out: list[TrainingEnrolment] = []
    day = discharged
    for n in range(first, first + (2 if rng.random() < SECOND_COURSE else 1)):
        kind: TrainingKind = pick(rng, _COURSES)
        day += _days(rng, 10, 150)
        if day > last:
            break
        completed: dt.date | None = None
        if kind is not TrainingKind.ACADEMIC:
            completed = day + _days(rng, 5 if kind is TrainingKind.ADAPTIVE else 20, 120)
            completed = completed if completed <= last else None
        out.append(
            TrainingEnrolment(
                enrolment_id=f"PX-{n:06d}",
                veteran=veteran.person.resident_id,
                unit=county,
                kind=kind,
                enrolled_on=day,
                free=rng.random() < 0.95,
                provider=_PROVIDER,
                completed_on=completed,
                certified=completed is not None and kind.counted and rng.random() < CERTIFIED,
            )
        )
        day = completed or day
    return out


def _spells(
    rng: random.Random,
    veteran: Veteran,
    record: DischargeRecord,
    county: DivisionCode,
    last: dt.date,
    first: int,
) -> list[EmploymentRecord]:
    """The veteran's employment spells, in order and never overlapping."""
    mode = record.discharge_mode
    begin = record.reported_on
    if begin is None or mode not in (
        DischargeMode.ARRANGED_EMPLOYMENT,
        DischargeMode.CIVILIAN_TRANSFER,
        DischargeMode.SELF_EMPLOYMENT,
        DischargeMode.DEMOBILISATION,
    ):
        return []
    plan: list[tuple[EmploymentStatus, dt.date]] = []
    if mode is DischargeMode.ARRANGED_EMPLOYMENT:
        plan.append((EmploymentStatus.AWAITING_PLACEMENT, begin))
        if record.on_post_on is not None:
            plan.append((EmploymentStatus.PLACED, record.on_post_on))
    elif mode is DischargeMode.CIVILIAN_TRANSFER:
        plan.append((EmploymentStatus.AWAITING_PLACEMENT, begin))
        plan.append((EmploymentStatus.PUBLIC_SERVICE, begin + _days(rng, 60, 240)))
    else:
        status: EmploymentStatus | None = pick(rng, _OWN_WAY)
        if record.school_entered_on is not None:
            plan.append((EmploymentStatus.IN_EDUCATION, record.school_entered_on))
        elif status is EmploymentStatus.JOB_SEEKING:
            day = begin + _days(rng, 0, 30)
            plan.append((status, day))
            if rng.random() < 0.6:
                plan.append((EmploymentStatus.EMPLOYED, day + _days(rng, 20, 150)))
        elif status is not None:
            plan.append((status, begin + _days(rng, 5, 90)))
    plan = [(status, day) for status, day in plan if day <= last]
    out: list[EmploymentRecord] = []
    for n, (status, day) in enumerate(plan):
        ended = plan[n + 1][1] - _DAY if n + 1 < len(plan) else None
        contract = status.has_employer and status is not EmploymentStatus.PUBLIC_WELFARE_POST
        open_ended = contract and rng.random() < 0.2
        out.append(
            EmploymentRecord(
                record_id=f"JY-{first + n:06d}",
                veteran=veteran.person.resident_id,
                unit=county,
                status=status,
                started_on=day,
                ended_on=ended,
                employer=_EMPLOYER if status.has_employer else None,
                contract_years=3 + below(rng, 3) if contract and not open_ended else None,
                open_ended=open_ended,
                difficulty=status is EmploymentStatus.PUBLIC_WELFARE_POST,
            )
        )
    return out


def discharges(
    seed: int, people: Sequence[Subject], on: dt.date, last: dt.date, clock: Clock
) -> tuple[list[DischargeRecord], list[TrainingEnrolment], list[EmploymentRecord]]:
    """A discharge record for every veteran discharged in the :data:`RECENT_DAYS` before ``on``
    (those of :func:`transfers`), their courses (:data:`TRAINED` of them) and their employment
    spells, each with the county of the veteran's hukou as its handling ``unit``."""
    rng = unit_rng(seed, "casework:discharge")
    records: list[DischargeRecord] = []
    courses: list[TrainingEnrolment] = []
    spells: list[EmploymentRecord] = []
    for veteran in recently_discharged(people, on):
        county = _county(veteran.person.hukou_division)
        record = _discharge_record(rng, veteran, county, last, clock)
        records.append(record)
        if rng.random() < TRAINED:
            courses.extend(_courses(rng, veteran, county, last, len(courses) + 1))
        spells.extend(_spells(rng, veteran, record, county, last, len(spells) + 1))
    return records, courses, spells


# --- 包联 -----------------------------------------------------------------------------------------


def _talk_days(
    assignment: ContactAssignment, quarter: Quarter, last: dt.date
) -> tuple[dt.date, dt.date] | None:
    first = max(quarter.start, assignment.starts_on)
    end = quarter.end if assignment.ends_on is None else min(quarter.end, assignment.ends_on)
    end = min(end, last)
    return (first, end) if first <= end else None


def baolian(
    seed: int, divisions: Sequence[Division], year: int, last: dt.date
) -> tuple[list[ContactAssignment], list[BaolianTalk]]:
    """A region leader for every city and a city leader for every county (领导包联), with a
    talk in most quarters from the activity year's first to the one of ``last``."""
    assignments: list[ContactAssignment] = []
    talks: list[BaolianTalk] = []
    for unit in divisions:
        level = unit.code.level
        if level not in (DivisionLevel.CITY, DivisionLevel.COUNTY):
            continue
        rng = unit_rng(seed, f"baolian:{unit.code.value}")
        above = unit.code.truncate(
            DivisionLevel.PROVINCE if level is DivisionLevel.CITY else DivisionLevel.CITY
        )
        post = f"{above.short}-leader-{1 + below(rng, 6)}"  # a post, not a name
        if rng.random() < ASSIGNMENT_LATE_START:
            starts = between(rng, dt.date(year, 2, 1), dt.date(year, 9, 30))
        else:
            starts = between(rng, dt.date(year - 1, 3, 1), dt.date(year - 1, 12, 31))
        starts = min(starts, last)
        mine = [
            ContactAssignment(
                assignment_id=f"BL-{unit.code.short}-1",
                leader=post,
                area=unit.code,
                starts_on=starts,
            )
        ]
        if rng.random() < ASSIGNMENT_ROTATED:
            change = between(rng, dt.date(year, 4, 1), dt.date(year, 11, 30))
            if mine[0].starts_on < change <= last:
                mine = [
                    ContactAssignment(
                        assignment_id=mine[0].assignment_id,
                        leader=post,
                        area=unit.code,
                        starts_on=starts,
                        ends_on=change - _DAY,
                    ),
                    ContactAssignment(
                        assignment_id=f"BL-{unit.code.short}-2",
                        leader=f"{above.short}-leader-{7 + below(rng, 3)}",
                        area=unit.code,
                        starts_on=change,
                    ),
                ]
        assignments.extend(mine)
        for assignment in mine:
            quarter = Quarter.containing(max(assignment.starts_on, dt.date(year, 1, 1)))
            while quarter.start <= last:
                days = _talk_days(assignment, quarter, last)
                if days is not None and rng.random() < TALK_HELD:
                    held = between(rng, *days)
                    talks.append(
                        assignment.talk(
                            talk_id=f"ZT-{assignment.assignment_id}-{quarter}",
                            held_on=held,
                            participants=5 + below(rng, 21),
                            topic="季度座谈（合成）",
                        )
                    )
                quarter = quarter.next()
    return assignments, talks


# --- reception days ------------------------------------------------------------------------------


def _workday_near(day: dt.date) -> dt.date | None:
    """``day`` or the next working day of its month, else the last working day before it, on
    Guangxi's calendar (the national one where Guangxi's data end); ``None`` where neither
    covers the year."""
    for calendar in _calendars():
        try:
            later = calendar.next_workday(day)
            if later.month == day.month:
                return later
            earlier = day - _DAY
            while not calendar.is_workday(earlier):
                earlier -= _DAY
            return earlier
        except CalendarDataMissing:
            continue
    return None


def reception_sessions(
    seed: int, divisions: Sequence[Division], year: int, last: dt.date
) -> list[ReceptionSession]:
    """A reception day (领导接待日) a month at every county-level unit with a service centre, on
    a day of the month of the county's own (1–28) moved to the next working day (to the last
    one before it where the month has none left), held in :data:`RECEPTION_HELD` of the
    months; no requests yet (:func:`registers` adds them)."""
    out: list[ReceptionSession] = []
    for unit in divisions:
        code = unit.code
        if code.level is not DivisionLevel.COUNTY or not requires_station(code):
            continue
        rng = unit_rng(seed, f"reception:{code.value}")
        nominal = 1 + below(rng, 28)
        for month in range(1, 13):
            held = rng.random() < RECEPTION_HELD
            leader = f"{code.short}-leader-{1 + below(rng, 6)}"  # a post, not a name
            visitors = below(rng, RECEPTION_VISITORS + 1)
            day = _workday_near(dt.date(year, month, nominal))
            if not held or day is None or day > last:
                continue
            out.append(
                ReceptionSession(
                    session_id=f"JD-{code.short}-{year}{month:02d}",
                    unit=code,
                    leader=leader,
                    held_on=day,
                    visitors=visitors,
                )
            )
    return out


def _nearest(sessions: Sequence[ReceptionSession], day: dt.date) -> ReceptionSession:
    return min(sessions, key=lambda s: (abs((s.held_on - day).days), s.held_on))


def with_requests(
    sessions: Sequence[ReceptionSession], opened: dict[str, list[str]]
) -> list[ReceptionSession]:
    """The sessions with the requests they opened, visitors at least as many as requests."""
    out: list[ReceptionSession] = []
    for session in sessions:
        ids = opened.get(session.session_id)
        if ids:
            session = attrs.evolve(
                session, requests=tuple(ids), visitors=max(session.visitors, len(ids))
            )
        out.append(session)
    return out


# --- village cadres ------------------------------------------------------------------------------

_ID_SPACE = 15_000 * 86  # birth days × sequence pairs
_ID_STRIDE = 7_919  # a prime not dividing the space: k ↦ k × stride mod space is one-to-one
_ID_BORN_FROM = dt.date(1955, 1, 1)


def _cadre_id(village: DivisionCode, slot: int, *, male: bool) -> ResidentId:
    """A valid identity number for cadre ``slot`` (0–7) of ``village``, unique in its county.

    The village's township and village numbers and the slot give a number k below
    :data:`_ID_SPACE`; a fixed permutation of that space gives the birth day (1955–1996) and a
    sequence from 801 (odd for men, even for women), far above those the population's issuer
    reaches (it counts up from 001 per county, birth date and sex).
    """
    township, number = int(village.value[6:9]), int(village.value[9:12])
    k = ((township * 400 + number) * 8 + slot) * _ID_STRIDE % _ID_SPACE
    born = _ID_BORN_FROM + dt.timedelta(days=k % 15_000)
    sequence = 801 + 2 * (k // 15_000) + (0 if male else 1)
    body = f"{village.value[:6]}{born:%Y%m%d}{sequence:03d}"
    return ResidentId(body + check_character(body))


def cadres(seed: int, divisions: Sequence[Division], on: dt.date) -> list[VillageCadre]:
    """The heads of every village's 两委 serving on ``on``: a secretary and a director, or one
    person in both posts (一肩挑), some of them veterans. Other 两委 members are not generated."""
    term_from = dt.date(2021, 1, 1) if on >= dt.date(2021, 6, 1) else dt.date(2017, 11, 1)
    out: list[VillageCadre] = []
    cities: dict[str, float] = {}
    for unit in divisions:
        code = unit.code
        if code.level is not DivisionLevel.VILLAGE:
            continue
        city = code.value[:4]
        factor = cities.get(city)
        if factor is None:
            factor = cities[city] = 0.7 + 0.6 * unit_rng(seed, f"cadres-city:{city}").random()
        rng = unit_rng(seed, f"cadres:{code.value}")
        start = between(rng, term_from, term_from + dt.timedelta(days=150))
        start = min(start, on - _DAY)
        roles = (
            [CadreRole.SECRETARY_AND_DIRECTOR]
            if rng.random() < ONE_SHOULDER
            else [CadreRole.SECRETARY, CadreRole.DIRECTOR]
        )
        for slot, role in enumerate(roles):
            share = VETERAN_SECRETARY if role.is_secretary else VETERAN_DIRECTOR
            veteran = rng.random() < share * factor
            male = veteran or rng.random() < 0.75
            out.append(
                VillageCadre(
                    person=_cadre_id(code, slot, male=male),
                    village=code,
                    role=role,
                    term_from=start,
                    is_veteran=veteran,
                )
            )
    return out


# --- legacy cases and requests -------------------------------------------------------------------

_LEGACY_TOPICS = {
    LegacyCategory.SOCIAL_INSURANCE: "两保接续（合成）",
    LegacyCategory.PLACEMENT: "安置待遇落实（合成）",
    LegacyCategory.BENEFITS: "抚恤优待待遇核定（合成）",
    LegacyCategory.TRAINING_EMPLOYMENT: "教育培训与就业（合成）",
}
_REQUEST_TOPICS = (
    "优待证办理进度",
    "医疗费用报销咨询",
    "就业创业扶持",
    "光荣牌悬挂",
    "子女入学优待",
)
_CONTACT_CHANNELS = (
    (0.35, ContactChannel.PHONE),
    (0.65, ContactChannel.COUNTER),
    (0.85, ContactChannel.HOME_VISIT),
    (1.0, ContactChannel.RECEPTION_DAY),
)


def _legacy(
    rng: random.Random,
    n: int,
    veteran: Veteran,
    year: int,
    last: dt.date,
    source: str | None,
    identified: dt.date | None = None,
) -> LegacyCase:
    discharged = veteran.service.discharged_on
    assert discharged is not None
    category: LegacyCategory = pick(
        rng,
        (
            (0.4, LegacyCategory.SOCIAL_INSURANCE),
            (0.7, LegacyCategory.PLACEMENT),
            (0.85, LegacyCategory.BENEFITS),
            (1.0, LegacyCategory.TRAINING_EMPLOYMENT),
        ),
    )
    regime = soldier_placement_regime(discharged)
    county = _county(veteran.person.hukou_division)
    if identified is None:
        identified = between(rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), last))
    day = max(identified, discharged)
    actor = f"{_BUREAU}-{county.short}"
    walk = _Walk(
        LegacyCase.identify(
            case_id=f"LS-{year}-{n:05d}",
            category=category,
            regime=regime,
            topic=_LEGACY_TOPICS[category],
            responsible_unit=county,
            owner=f"{county.short}-deputy-director",
            origin_on=discharged if regime is not OriginRegime.OTHER else None,
            subjects=(veteran.person.resident_id,),
            source_request=source,
            on=day,
            actor=actor,
        ),
        last,
    )
    r = rng.random()
    day += _days(rng, 5, 40)
    if r < 0.1:
        walk.step("find_unfounded", day, actor=actor)
        return walk.record
    if not walk.step("verify", day, actor=actor):
        return walk.record
    day += _days(rng, 10, 60)
    if r < 0.2:
        walk.step("refer", day, actor=actor, to="市社会保险经办机构（合成）")
        return walk.record
    target = day + _days(rng, 30, 120)
    done = target - _days(rng, 0, 20) if rng.random() < 0.7 else None
    milestone = Milestone(
        key="m1",
        title="核对档案并提出化解意见（合成）",
        target_on=target,
        done_on=done if done is not None and done <= last else None,
    )
    if not walk.step("agree_plan", day, actor=actor, milestones=(milestone,)):
        return walk.record
    if r < 0.25:
        walk.step("declare_unresolvable", day + _days(rng, 30, 90), actor=actor)
    elif r < 0.75 and milestone.done_on is not None:
        walk.step("resolve", milestone.done_on + _days(rng, 1, 20), actor=actor)
    return walk.record


def registers(
    seed: int,
    people: Sequence[Subject],
    persons: int,
    year: int,
    last: dt.date,
    sessions: Sequence[ReceptionSession] = (),
) -> tuple[list[LegacyCase], list[Request], dict[str, list[str]]]:
    """A few legacy cases and contact requests; some requests become legacy cases.

    A request made at a reception day is dated on the session of the person's county nearest
    the day drawn and names it (``Contact.activity_id``); the third value lists the requests
    each session opened. Without a session of the county (a subtree below the county), the
    request keeps the day drawn and names none.
    """
    veterans = [p for p in people if isinstance(p, Veteran)]
    who = [p for p in people if not isinstance(p, ServingMember)]
    opened: dict[str, list[str]] = {}
    if not veterans or not who:
        return [], [], opened
    by_county: dict[DivisionCode, list[ReceptionSession]] = {}
    for session in sessions:
        by_county.setdefault(session.unit, []).append(session)
    rng = unit_rng(seed, "casework:registers")
    cases: list[LegacyCase] = []
    requests: list[Request] = []
    for n in range(1, max(MIN_REQUESTS, round(persons * REQUESTS_PER_PERSON)) + 1):
        subject = who[below(rng, len(who))]
        person = subject.person
        village = person.hukou_division
        county = _county(village)
        met = between(rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), last))
        channel: ContactChannel = pick(rng, _CONTACT_CHANNELS)
        request_id = f"SQ-{year}-{n:05d}"
        actor = f"station-{village.short}"
        held = by_county.get(county)
        if channel is ContactChannel.RECEPTION_DAY and held:
            session = _nearest(held, met)
            met = session.held_on
            contact = Contact(
                channel=channel,
                on=met,
                unit=county,
                activity_id=session.session_id,
                person=person.resident_id,
            )
            opened.setdefault(session.session_id, []).append(request_id)
            actor = f"{_BUREAU}-{county.short}"
        else:
            contact = Contact(channel=channel, on=met, unit=village, person=person.resident_id)
        walk = _Walk(
            Request.open(
                request_id=request_id,
                contact=contact,
                topic=_REQUEST_TOPICS[below(rng, len(_REQUEST_TOPICS))] + "（合成）",
                actor=actor,
            ),
            last,
        )
        r = rng.random()
        day = met + _days(rng, 0, 3)
        if r < 0.05:
            walk.step("withdraw", day + _days(rng, 1, 10), actor=actor)
        elif walk.step("assign", day, actor=actor, handler=county):
            if r < 0.15 and isinstance(subject, Veteran):
                day += _days(rng, 5, 30)
                if day <= last:
                    case = _legacy(
                        rng, len(cases) + 1, subject, year, last, request_id, identified=day
                    )
                    cases.append(case)
                    walk.step(
                        "escalate",
                        day,
                        actor=f"{_BUREAU}-{county.short}",
                        into=EscalationKind.LEGACY_CASE,
                        target_id=case.case_id,
                    )
            else:
                day += _days(rng, 3, 30)
                if walk.step("answer", day, actor=f"{_BUREAU}-{county.short}") and r < 0.85:
                    day += _days(rng, 3, 20)
                    follow = FollowUp(
                        on=min(day, last),
                        channel=ContactChannel.PHONE,
                        actor=actor,
                        satisfied=True,
                    )
                    walk.step("close", day, actor=actor, follow_up=follow)
        requests.append(walk.record)
    for _ in range(max(MIN_LEGACY, round(persons * LEGACY_PER_PERSON))):
        veteran = veterans[below(rng, len(veterans))]
        cases.append(_legacy(rng, len(cases) + 1, veteran, year, last, None))
    return cases, requests, opened


# --- all together -------------------------------------------------------------------------------


class Casework(NamedTuple):
    """The casework records of a synthetic region."""

    petitions: list[Petition]
    transfers: list[InsuranceTransfer]
    discharges: list[DischargeRecord]
    enrolments: list[TrainingEnrolment]
    employment: list[EmploymentRecord]
    assignments: list[ContactAssignment]
    talks: list[BaolianTalk]
    sessions: list[ReceptionSession]
    cadres: list[VillageCadre]
    legacy_cases: list[LegacyCase]
    requests: list[Request]

    @classmethod
    def empty(cls) -> Casework:
        """No casework records (``generate_guangxi(casework=False)``)."""
        return cls([], [], [], [], [], [], [], [], [], [], [])


def build_casework(
    seed: int,
    divisions: Sequence[Division],
    people: Sequence[Subject],
    persons: int,
    on: dt.date,
    year: int,
    *,
    clock: Callable[[], Clock] = Clock,
) -> Casework:
    """Every casework record of a region, after (and independent of) its other records."""
    last = on - _DAY
    counter = clock()
    assignments, talks = baolian(seed, divisions, year, last)
    sessions = reception_sessions(seed, divisions, year, last)
    cases, requests, opened = registers(seed, people, persons, year, last, sessions)
    records, courses, spells = discharges(seed, people, on, last, counter)
    return Casework(
        petitions=petitions(seed, people, persons, year, last, counter),
        transfers=transfers(seed, people, on, last, counter),
        discharges=records,
        enrolments=courses,
        employment=spells,
        assignments=assignments,
        talks=talks,
        sessions=with_requests(sessions, opened),
        cadres=cadres(seed, divisions, on),
        legacy_cases=cases,
        requests=requests,
    )
