"""Casework in the synthetic Guangxi (合成业务工作): determinism, the mix, valid records, and
petitions flagged overdue exactly when a duty is really past its due date.

A full region with 6,000 persons is built once for the module (a few seconds); the subtree
examples build in well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import attrs
import pytest

from veteran_affairs.casework.deadlines import DeadlineStatus, LimitBook, due
from veteran_affairs.casework.discharge import (
    EmploymentHistory,
    EmploymentStatus,
    InsuranceStatus,
    insurance_schemes_for,
)
from veteran_affairs.casework.leaders import BaolianStatus, baolian_compliance
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import PetitionStatus
from veteran_affairs.casework.requests import ContactChannel, EscalationKind, RequestStatus
from veteran_affairs.casework.villages import CadreRole
from veteran_affairs.cycles import Year
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import MemoryStore
from veteran_affairs.serialization import make_converter
from veteran_affairs.synthetic import SyntheticRegion, generate_guangxi

ON = dt.date(2021, 1, 6)
LAST = ON - dt.timedelta(days=1)
PERSONS = 6_000
LINGUI = "450312"
BOOK = LimitBook.bundled()
GUANGXI = calendar_for("45")


@pytest.fixture(scope="module")
def region() -> SyntheticRegion:
    return generate_guangxi(persons=PERSONS, seed=2021, on=ON)


@pytest.fixture(scope="module")
def lingui() -> SyntheticRegion:
    return generate_guangxi(persons=300, seed=2021, on=ON, within=LINGUI)


def _casework(region: SyntheticRegion) -> dict[str, tuple[object, ...]]:
    return dict(region.casework)


def _steps_on(record: object) -> list[dt.date]:
    history = getattr(record, "history", ())
    return [step.on for step in history]


# --- determinism and independence --------------------------------------------------------------


def test_the_same_arguments_give_the_same_casework(lingui: SyntheticRegion) -> None:
    again = generate_guangxi(persons=300, seed=2021, on=ON, within=LINGUI)

    assert _casework(lingui) == _casework(again)


def test_another_seed_gives_other_petitions_and_cadres(lingui: SyntheticRegion) -> None:
    other = generate_guangxi(persons=300, seed=7, on=ON, within=LINGUI)

    assert lingui.petitions != other.petitions
    assert lingui.cadres != other.cadres


def test_casework_leaves_every_other_record_as_it_was(lingui: SyntheticRegion) -> None:
    without = generate_guangxi(persons=300, seed=2021, on=ON, within=LINGUI, casework=False)
    emptied = attrs.evolve(
        lingui,
        petitions=(),
        transfers=(),
        assignments=(),
        talks=(),
        cadres=(),
        legacy_cases=(),
        requests=(),
        sessions=(),
        discharges=(),
        enrolments=(),
        employment=(),
    )

    assert without == emptied
    assert 0 == sum(len(records) for _, records in without.casework)


def test_a_subtree_has_the_full_regions_cadres_assignments_and_talks(
    region: SyntheticRegion, lingui: SyntheticRegion
) -> None:
    inside = DivisionCode(LINGUI)

    assert [c for c in region.cadres if inside.contains(c.village)] == list(lingui.cadres)
    assert [a for a in region.assignments if inside.contains(a.area)] == list(lingui.assignments)
    assert [t for t in region.talks if inside.contains(t.area)] == list(lingui.talks)


def test_the_repr_counts_the_casework_records(lingui: SyntheticRegion) -> None:
    total = sum(len(records) for _, records in lingui.casework)

    assert f"casework={total:,})" in repr(lingui)


# --- valid records -------------------------------------------------------------------------------


def test_every_record_survives_the_converter_and_its_validators(lingui: SyntheticRegion) -> None:
    converter = make_converter()
    for _, records in lingui.casework:
        for record in records:
            assert record == converter.structure(converter.unstructure(record), type(record))


def test_no_step_lies_on_or_after_the_reference_date(region: SyntheticRegion) -> None:
    late = [
        (kind, day)
        for kind, records in region.casework
        for record in records
        for day in _steps_on(record)
        if day > LAST
    ]
    talks = [t.held_on for t in region.talks if t.held_on > LAST]

    assert [] == late
    assert [] == talks


def test_record_keys_are_unique(region: SyntheticRegion) -> None:
    keys: dict[str, list[object]] = {
        "petitions": [p.petition_id for p in region.petitions],
        "assignments": [a.assignment_id for a in region.assignments],
        "talks": [t.talk_id for t in region.talks],
        "legacy": [c.case_id for c in region.legacy_cases],
        "requests": [r.request_id for r in region.requests],
        "transfers": [(t.veteran, t.scheme) for t in region.transfers],
        "cadres": [c.person for c in region.cadres],
    }

    assert {name: len(found) for name, found in keys.items()} == {
        name: len(set(found)) for name, found in keys.items()
    }


# --- petitions -----------------------------------------------------------------------------------


def test_petitions_are_one_percent_of_persons_received_in_the_activity_year(
    region: SyntheticRegion,
) -> None:
    people = {p.person.resident_id for p in region.people}

    assert round(PERSONS * 0.01) == len(region.petitions)
    assert all(p.received_on.year == region.activity_year for p in region.petitions)
    assert all(p.petitioner in people for p in region.petitions)


def test_petitions_come_in_several_states(region: SyntheticRegion) -> None:
    states = Counter(p.status for p in region.petitions)

    assert {PetitionStatus.CLOSED, PetitionStatus.NOT_ACCEPTED, PetitionStatus.ACCEPTED} <= set(
        states
    )
    assert states[PetitionStatus.CLOSED] > len(region.petitions) / 2
    assert any(p.simplified for p in region.petitions)
    assert any(p.extended for p in region.petitions)
    assert any(p.concluded for p in region.petitions)  # closed after 复核


def test_some_petitions_are_answered_on_time_some_late_and_some_overdue(
    region: SyntheticRegion,
) -> None:
    answered = Counter(
        limit.status(on=ON)
        for p in region.petitions
        for limit in p.timeline(BOOK, GUANGXI)
        if limit.key in ("petition.handling", "petition.simple_handling")
        and limit.done_on is not None
    )
    overdue = [p for p in region.petitions if p.overdue(ON, BOOK, GUANGXI)]

    assert answered[DeadlineStatus.MET] > 10 * answered[DeadlineStatus.LATE] > 0
    assert 0 < len(overdue) < len(region.petitions) / 5


def test_an_accepted_petition_is_flagged_exactly_when_its_handling_limit_has_passed(
    region: SyntheticRegion,
) -> None:
    # Counted here from the acceptance and the bundled 60 日 (10 工作日 for 简易办理), apart
    # from the petition's own timeline.
    accepted = [p for p in region.petitions if p.status is PetitionStatus.ACCEPTED]
    expected = {}
    for petition in accepted:
        start = petition.history[-1].on
        key = "petition.simple_handling" if petition.simplified else "petition.handling"
        expected[petition.petition_id] = due(BOOK, key, start, calendar=GUANGXI).due < ON
    flagged = {p.petition_id: [f.key for f in p.overdue(ON, BOOK, GUANGXI)] != [] for p in accepted}

    assert expected == flagged
    assert True in expected.values()
    assert False in expected.values()


@pytest.mark.parametrize(
    ("name", "offset", "flagged"),
    [
        ("on the due date", 0, False),
        ("the day after", 1, True),
        ("a month later", 30, True),
    ],
)
def test_an_overdue_petition_is_flagged_from_the_day_after_its_due_date(
    region: SyntheticRegion, name: str, offset: int, flagged: bool
) -> None:
    petition = next(
        p
        for p in region.petitions
        if p.status is PetitionStatus.ACCEPTED and p.overdue(ON, BOOK, GUANGXI)
    )
    (flag,) = petition.overdue(ON, BOOK, GUANGXI)
    day = flag.due.due + dt.timedelta(days=offset)

    assert flagged == bool(petition.overdue(day, BOOK, GUANGXI)), name


# --- insurance transfers -------------------------------------------------------------------------


def test_recently_discharged_veterans_get_one_transfer_per_scheme(region: SyntheticRegion) -> None:
    since = ON - dt.timedelta(days=365)
    recent = [
        p
        for p in region.people
        if isinstance(p, Veteran)
        and p.service.discharged_on is not None
        and p.service.discharge_mode is not None
        and p.service.discharged_on >= since
    ]
    expected = Counter(
        {
            (v.person.resident_id, scheme): 1
            for v in recent
            for scheme in insurance_schemes_for(v.service.discharge_mode)  # type: ignore[arg-type]
        }
    )
    homes = {v.person.resident_id: v.person.hukou_division for v in recent}

    assert expected == Counter((t.veteran, t.scheme) for t in region.transfers)
    assert all(t.destination == homes[t.veteran] for t in region.transfers)


def test_transfers_are_continued_pending_or_stalled(region: SyntheticRegion) -> None:
    states = Counter(t.status for t in region.transfers)
    pending = sum(n for state, n in states.items() if state is not InsuranceStatus.CONTINUED)

    assert states[InsuranceStatus.CONTINUED] > pending > 0
    assert states[InsuranceStatus.STALLED] > 0
    assert any(t.reached(InsuranceStatus.STALLED) and not t.stalled_at for t in region.transfers)


# --- 包联 ---------------------------------------------------------------------------------------


def test_a_region_leader_for_every_city_and_a_city_leader_for_every_county(
    region: SyntheticRegion,
) -> None:
    units = {
        d.code
        for d in region.divisions
        if d.code.level in (DivisionLevel.CITY, DivisionLevel.COUNTY)
    }
    areas = {a.area for a in region.assignments}
    leaders = {a.leader.split("-leader-")[0] for a in region.assignments if a.area.level == 3}

    assert units == areas
    assert {d.code.short for d in region.divisions if d.code.level is DivisionLevel.CITY} == leaders


def test_most_quarters_have_a_talk_and_a_few_are_missed(region: SyntheticRegion) -> None:
    rows = baolian_compliance(
        region.assignments,
        region.talks,
        Year(year=region.activity_year),
        as_of=ON,
        talks_per_quarter=1,
    )
    statuses = Counter(row.status for row in rows)
    checked = statuses[BaolianStatus.MET] + statuses[BaolianStatus.MISSED]

    assert 0.8 < statuses[BaolianStatus.MET] / checked < 0.95
    assert statuses[BaolianStatus.NOT_DUE] > 0  # assignments begun or changed within the year


# --- village cadres ------------------------------------------------------------------------------


def test_every_village_has_one_secretary_and_one_director_serving(
    region: SyntheticRegion,
) -> None:
    villages = {d.code for d in region.divisions if d.code.level is DivisionLevel.VILLAGE}
    secretaries = Counter(c.village for c in region.cadres if c.role.is_secretary)
    directors = Counter(c.village for c in region.cadres if c.role.is_director)

    assert all(c.serving(ON) for c in region.cadres)
    assert Counter(dict.fromkeys(villages, 1)) == secretaries == directors


def test_about_one_village_in_ten_has_a_veteran_secretary(region: SyntheticRegion) -> None:
    villages = sum(1 for d in region.divisions if d.code.level is DivisionLevel.VILLAGE)
    veteran = Counter(c.role for c in region.cadres if c.is_veteran)

    share = (veteran[CadreRole.SECRETARY] + veteran[CadreRole.SECRETARY_AND_DIRECTOR]) / villages
    assert 0.08 < share < 0.14
    assert veteran[CadreRole.SECRETARY_AND_DIRECTOR] > 0
    assert veteran[CadreRole.DIRECTOR] > 0
    assert 0 == sum(1 for c in region.cadres if c.role is CadreRole.MEMBER)


def test_cadre_numbers_are_of_their_county_and_none_is_a_persons(region: SyntheticRegion) -> None:
    people = {p.person.resident_id for p in region.people}

    assert all(c.person.unmasked[:6] == c.village.value[:6] for c in region.cadres)
    assert [] == [c for c in region.cadres if c.person in people]


# --- legacy cases and requests --------------------------------------------------------------------


def test_a_few_legacy_cases_and_requests_some_requests_escalated_into_cases(
    region: SyntheticRegion,
) -> None:
    cases: dict[str, LegacyCase] = {c.case_id: c for c in region.legacy_cases}
    escalated = [r for r in region.requests if r.status is RequestStatus.ESCALATED]

    assert 3 <= len(region.legacy_cases) <= len(region.requests) <= PERSONS // 100
    assert escalated
    for request in escalated:
        assert request.escalation is not None
        assert EscalationKind.LEGACY_CASE is request.escalation.kind
        assert request.request_id == cases[request.escalation.target_id].source_request


# --- reception sessions --------------------------------------------------------------------------


def test_reception_sessions_fall_on_guangxi_working_days_of_the_activity_year(
    region: SyntheticRegion,
) -> None:
    counties = {
        d.code
        for d in region.divisions
        if d.code.level is DivisionLevel.COUNTY and int(d.code.value[6:9]) < 400
    }
    months = Counter((s.unit, s.held_on.month) for s in region.sessions)

    assert [] == [s for s in region.sessions if not GUANGXI.is_workday(s.held_on)]
    assert all(s.held_on.year == region.activity_year for s in region.sessions)
    assert {s.unit for s in region.sessions} == counties
    assert 1 == max(months.values())  # one a month at most
    assert 0.85 < len(region.sessions) / (12 * len(counties)) < 0.98  # a few months missed
    assert all(0 <= s.visitors <= 20 for s in region.sessions)


def test_requests_made_at_a_reception_day_name_a_session_of_their_county_that_lists_them(
    region: SyntheticRegion,
) -> None:
    requests = {r.request_id: r for r in region.requests}
    sessions = {s.session_id: s for s in region.sessions}
    listed = {rid: s.session_id for s in region.sessions for rid in s.requests}
    at_reception = {
        r.request_id: r.contact.activity_id
        for r in region.requests
        if r.contact.channel is ContactChannel.RECEPTION_DAY
    }

    assert at_reception  # some requests were opened at a reception day
    assert at_reception == listed
    for request_id, session_id in listed.items():
        session, contact = sessions[session_id], requests[request_id].contact
        assert (session.held_on, session.unit) == (contact.on, contact.unit)
        assert len(session.requests) <= session.visitors


def test_a_subtree_has_the_full_regions_reception_days(
    region: SyntheticRegion, lingui: SyntheticRegion
) -> None:
    inside = DivisionCode(LINGUI)

    def days(sessions: tuple[object, ...]) -> list[tuple[object, ...]]:
        return [(s.session_id, s.unit, s.leader, s.held_on) for s in sessions]  # type: ignore[attr-defined]

    assert days(tuple(s for s in region.sessions if inside.contains(s.unit))) == days(
        lingui.sessions
    )


# --- discharge records, courses and employment ------------------------------------------------------


def test_every_recently_discharged_veteran_has_one_discharge_record_in_his_county(
    region: SyntheticRegion,
) -> None:
    since = ON - dt.timedelta(days=365)
    homes = {
        p.person.resident_id: p.person.hukou_division.truncate(DivisionLevel.COUNTY)
        for p in region.people
        if isinstance(p, Veteran)
        and p.service.discharged_on is not None
        and p.service.discharge_mode is not None
        and p.service.discharged_on >= since
    }

    assert Counter(dict.fromkeys(homes, 1)) == Counter(r.veteran for r in region.discharges)
    assert {t.veteran for t in region.transfers} <= set(homes)  # the same veterans
    assert all(r.unit == homes[r.veteran] for r in region.discharges)


@pytest.mark.parametrize("kind", ["discharge-record", "training-enrolment", "employment-record"])
def test_discharge_records_courses_and_spells_have_their_unit_and_dates_from_discharge_to_on(
    region: SyntheticRegion, kind: str
) -> None:
    discharged = {r.veteran: r.discharged_on for r in region.discharges}
    fields = {
        "discharge-record": ("reported_on", "registered_on", "placed_on", "on_post_on"),
        "training-enrolment": ("enrolled_on", "completed_on"),
        "employment-record": ("started_on", "ended_on"),
    }[kind]
    records: tuple[Any, ...] = _casework(region)[kind]
    days = [
        (r.veteran, getattr(r, name))
        for r in records
        for name in fields
        if getattr(r, name) is not None
    ]

    assert len(records) > 0
    assert [] == [r for r in records if r.unit is None]
    assert [] == [(v, d) for v, d in days if not discharged[v] <= d <= LAST]


def test_discharge_casework_comes_in_mixed_states(region: SyntheticRegion) -> None:
    statuses = Counter(e.status for e in region.employment)

    assert (
        0 < sum(1 for r in region.discharges if r.reported_on is None) < len(region.discharges) / 5
    )
    assert any(r.on_post_on is not None for r in region.discharges)
    assert any(c.completed_on is None for c in region.enrolments)
    assert any(c.certified for c in region.enrolments)
    assert len(statuses) >= 5
    assert statuses[EmploymentStatus.AWAITING_PLACEMENT] > 0


def test_each_veterans_spells_make_a_valid_employment_history(region: SyntheticRegion) -> None:
    spells: dict[object, list[object]] = {}
    for spell in region.employment:
        spells.setdefault(spell.veteran, []).append(spell)

    for veteran, mine in spells.items():
        history = EmploymentHistory(veteran=veteran, records=tuple(mine))  # type: ignore[arg-type]
        assert tuple(mine) == history.records


# --- storing -------------------------------------------------------------------------------------


def test_every_casework_kind_is_stored_and_read_back(lingui: SyntheticRegion) -> None:
    store = MemoryStore()
    for _, records in lingui.casework:
        store.bulk_add(records, actor="test")
    with store.unit_of_work(actor="check") as work:
        counts = {kind: work.records(type(records[0])).count() for kind, records in lingui.casework}

    assert {kind: len(records) for kind, records in lingui.casework} == counts
    assert all(counts.values())
