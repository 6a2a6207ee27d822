"""Laws of the casework registers: no step skips a state (legacy cases, requests), 包联
compliance partitions quarters and talks, village shares lie in [0, 1] and add up the tree,
reception days fall on working days."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from veteran_affairs.casework import legacy, requests
from veteran_affairs.casework.leaders import (
    BaolianStatus,
    PartialQuarters,
    ReceptionDayRule,
    RestDayPolicy,
    baolian_compliance,
    reception_schedule,
)
from veteran_affairs.casework.legacy import LegacyCase, LegacyCategory, LegacyStatus, OriginRegime
from veteran_affairs.casework.requests import (
    Contact,
    ContactChannel,
    EscalationKind,
    FollowUp,
    Request,
    RequestStatus,
)
from veteran_affairs.casework.villages import (
    VILLAGE_CADRE_COLUMNS,
    VillageCadre,
    veteran_cadre_rows,
)
from veteran_affairs.cycles import Quarter, Year, calendar_for, schedule
from veteran_affairs.errors import IllegalTransition
from veteran_affairs.hierarchy import DivisionTree, FigureKind, ReportRow
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, check_character
from veteran_affairs.models import Division
from veteran_affairs.testing._casework_registers import (
    contact_assignments,
    contact_requests,
    legacy_cases,
    talks_for,
    village_cadres,
)
from veteran_affairs.testing.strategies import division_codes

_S = TypeVar("_S", LegacyStatus, RequestStatus)
START = dt.date(2024, 1, 2)
COUNTY = DivisionCode("450312")
MACHINE = settings(max_examples=40, stateful_step_count=15)


def _ranks_never_jump(ranks: list[int]) -> bool:
    return all(after <= before + 1 for before, after in itertools.pairwise(ranks))


# --- no step skips a state -----------------------------------------------------------------


def _jumps(transitions: Mapping[_S, frozenset[_S]], rank: Mapping[_S, int]) -> list[tuple[_S, _S]]:
    return [(a, b) for a, targets in transitions.items() for b in targets if rank[b] > rank[a] + 1]


def test_no_allowed_step_of_either_register_skips_a_state() -> None:
    assert ([], []) == (
        _jumps(legacy.TRANSITIONS, legacy.STATUS_RANK),
        _jumps(requests.TRANSITIONS, requests.STATUS_RANK),
    )


@given(legacy_cases())
def test_every_legacy_history_climbs_one_state_at_a_time(case: LegacyCase) -> None:
    ranks = [legacy.STATUS_RANK[s.to_status] for s in case.history]

    assert (0, True) == (ranks[0], _ranks_never_jump(ranks))


@given(contact_requests())
def test_every_request_history_climbs_one_state_at_a_time(request: Request) -> None:
    ranks = [requests.STATUS_RANK[s.to_status] for s in request.history]

    assert (0, True) == (ranks[0], _ranks_never_jump(ranks))


class LegacyMachine(RuleBasedStateMachine):
    """Any step asked of a legacy case: the allowed ones are taken, the others refused."""

    def __init__(self) -> None:
        super().__init__()
        self.case = LegacyCase.identify(
            case_id="LC-1",
            category=LegacyCategory.PLACEMENT,
            regime=OriginRegime.OTHER,
            topic="安置待遇落实",
            responsible_unit=COUNTY,
            owner="county-bureau",
            on=START,
            actor="station",
        )
        self.state = LegacyStatus.IDENTIFIED
        self.day = START
        self.steps = 1

    @rule(to=st.sampled_from(tuple(LegacyStatus)), gap=st.integers(0, 20))
    def step(self, to: LegacyStatus, gap: int) -> None:
        day = self.day + dt.timedelta(days=gap)
        allowed = to in legacy.TRANSITIONS[self.state]
        try:
            if to is LegacyStatus.REFERRED:
                case = self.case.refer(to="县人社局", on=day, actor="county")
            elif to is LegacyStatus.PLAN_AGREED:
                case = self.case.agree_plan(on=day, actor="county")
            else:
                case = self.case.advance(to, on=day, actor="county")
        except IllegalTransition:
            assert not allowed
            return
        assert allowed
        self.case, self.state, self.day, self.steps = case, to, day, self.steps + 1

    @precondition(lambda self: not self.state.final)
    @rule(gap=st.integers(0, 20))
    def review(self, gap: int) -> None:
        day = self.day + dt.timedelta(days=gap)
        self.case = self.case.record_review(on=day)
        self.day = day

    @invariant()
    def the_case_is_where_the_model_is(self) -> None:
        ranks = [legacy.STATUS_RANK[s.to_status] for s in self.case.history]
        assert (self.state, self.steps, True) == (
            self.case.status,
            len(self.case.history),
            _ranks_never_jump(ranks),
        )


TestLegacySteps = LegacyMachine.TestCase
TestLegacySteps.settings = MACHINE


class RequestMachine(RuleBasedStateMachine):
    """Any step asked of a request, and follow-ups: allowed steps taken, others refused."""

    def __init__(self) -> None:
        super().__init__()
        contact = Contact(channel=ContactChannel.COUNTER, on=START, unit=COUNTY)
        self.request = Request.open(
            request_id="RQ-1", contact=contact, topic="优待证", actor="station"
        )
        self.state = RequestStatus.REGISTERED
        self.day = START
        self.follow_ups = 0

    @rule(to=st.sampled_from(tuple(RequestStatus)), gap=st.integers(0, 20))
    def step(self, to: RequestStatus, gap: int) -> None:
        day = self.day + dt.timedelta(days=gap)
        allowed = to in requests.TRANSITIONS[self.state]
        try:
            if to is RequestStatus.ASSIGNED:
                request = self.request.assign(on=day, actor="c", handler=COUNTY)
            elif to is RequestStatus.ESCALATED:
                request = self.request.escalate(
                    into=EscalationKind.PETITION, target_id="XF-1", on=day, actor="c"
                )
            elif to is RequestStatus.CLOSED:
                call = FollowUp(on=day, channel=ContactChannel.PHONE, actor="c", satisfied=True)
                request = self.request.close(on=day, actor="c", follow_up=call)
            else:
                request = self.request.advance(to, on=day, actor="c")
        except IllegalTransition:
            assert not allowed
            return
        assert allowed
        self.follow_ups += to is RequestStatus.CLOSED
        self.request, self.state, self.day = request, to, day

    @precondition(lambda self: not self.state.final)
    @rule(gap=st.integers(0, 20))
    def follow_up(self, gap: int) -> None:
        day = self.day + dt.timedelta(days=gap)
        call = FollowUp(on=day, channel=ContactChannel.HOME_VISIT, actor="c")
        self.request = self.request.record_follow_up(call)
        self.day = day
        self.follow_ups += 1

    @invariant()
    def the_request_is_where_the_model_is(self) -> None:
        ranks = [requests.STATUS_RANK[s.to_status] for s in self.request.history]
        assert (self.state, self.follow_ups, True) == (
            self.request.status,
            len(self.request.follow_ups),
            _ranks_never_jump(ranks),
        )


TestRequestSteps = RequestMachine.TestCase
TestRequestSteps.settings = MACHINE


# --- 包联 compliance partitions quarters and talks -----------------------------------------


@st.composite
def _baolian(draw: st.DrawFn) -> tuple[Any, ...]:
    assignment = draw(contact_assignments(assignment_id="BL-1"))
    talks = draw(talks_for(assignment))
    year = Year(year=draw(st.integers(2021, 2025)))
    as_of = draw(st.dates(dt.date(2021, 1, 1), dt.date(2026, 12, 1)))
    partial = draw(st.sampled_from(tuple(PartialQuarters)))
    return assignment, talks, year, as_of, partial


@given(_baolian())
def test_baolian_rows_partition_the_quarters_in_force_and_the_talks(case: tuple[Any, ...]) -> None:
    assignment, talks, year, as_of, partial = case

    rows = baolian_compliance([assignment], talks, year, as_of=as_of, partial=partial)

    in_force = [
        q
        for q in (Quarter(year=year.year, quarter=n) for n in range(1, 5))
        if assignment.days_in(q)
    ]
    counted = [t for t in talks if year.contains(t.held_on) and t.held_on <= as_of]
    assert in_force == [r.quarter for r in rows]
    assert len(counted) == sum(r.talks for r in rows)
    for row in rows:
        whole = assignment.days_in(row.quarter) == row.quarter.days
        checked = (
            whole
            or partial is PartialQuarters.DUE
            or (partial is PartialQuarters.IN_FORCE_AT_END and assignment.in_force(row.quarter.end))
        )
        if not checked:
            expected = BaolianStatus.NOT_DUE
        elif row.talks >= 1:
            expected = BaolianStatus.MET
        elif as_of > row.window[1]:
            expected = BaolianStatus.MISSED
        else:
            expected = BaolianStatus.PENDING
        assert (expected, whole) == (row.status, row.whole)


@given(_baolian())
def test_once_the_year_is_over_every_checked_quarter_is_met_or_missed(
    case: tuple[Any, ...],
) -> None:
    assignment, talks, year, _as_of, partial = case

    rows = baolian_compliance(
        [assignment], talks, year, as_of=dt.date(2026, 12, 1), partial=partial
    )

    assert set() == {r.status for r in rows} - {
        BaolianStatus.MET,
        BaolianStatus.MISSED,
        BaolianStatus.NOT_DUE,
    }


# --- village shares ------------------------------------------------------------------------

TOWNSHIPS = [DivisionCode(c) for c in ("450312100", "450312101", "450312102")]
BASE = DivisionTree.bundled("45").restrict("450312")
COUNTS = [c.key for c in VILLAGE_CADRE_COLUMNS if c.kind is FigureKind.COUNT]
RATES = [c.key for c in VILLAGE_CADRE_COLUMNS if c.kind is FigureKind.RATE]
OUTSIDE = [DivisionCode("450305001001"), DivisionCode("450311001001")]  # other counties


def _person(n: int) -> ResidentId:
    body = f"45031219700101{n:03d}"
    return ResidentId(body + check_character(body))


PERSONS = [_person(n) for n in range(1, 9)]


@st.composite
def _villages_and_cadres(draw: st.DrawFn) -> tuple[DivisionTree, list[Any], dt.date]:
    codes = draw(
        st.lists(
            st.sampled_from(TOWNSHIPS).flatmap(
                lambda t: division_codes(level=DivisionLevel.VILLAGE, within=t)
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    extra = [Division(code=code, name=f"村{code.value[-3:]}") for code in codes]
    tree = DivisionTree([*BASE, *extra], root=COUNTY)
    anywhere = st.sampled_from([*codes, *OUTSIDE])
    cadres = draw(
        st.lists(village_cadres(villages=anywhere, persons=st.sampled_from(PERSONS)), max_size=12)
    )
    on = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    return tree, cadres, on


def _count(row: ReportRow, key: str) -> int:
    value = row[key]
    assert isinstance(value, int)
    return value


@given(_villages_and_cadres())
def test_every_village_share_lies_between_zero_and_one(case: tuple[Any, ...]) -> None:
    tree, cadres, on = case

    report = veteran_cadre_rows(cadres, on=on, tree=tree)

    shares = [row[k] for row in report for k in RATES]
    assert [] == [s for s in shares if s is not None and not 0.0 <= s <= 1.0]


@given(_villages_and_cadres())
def test_a_units_counts_are_the_sums_of_its_childrens(case: tuple[Any, ...]) -> None:
    tree, cadres, on = case

    report = veteran_cadre_rows(cadres, on=on, tree=tree)

    for division in tree:
        children = tree.children(division.code)
        if not children:
            continue
        assert [_count(report[division.code], k) for k in COUNTS] == [
            sum(_count(report[c.code], k) for c in children) for k in COUNTS
        ]


@given(_villages_and_cadres())
def test_the_counts_hold_every_serving_cadre_once_per_village(case: tuple[Any, ...]) -> None:
    tree, cadres, on = case
    villages = {d.code for d in tree.level(DivisionLevel.VILLAGE)}

    report = veteran_cadre_rows(cadres, on=on, tree=tree)

    serving = [c for c in cadres if c.serving(on)]
    placed = {(c.village, c.person) for c in serving if c.village in villages}
    assert (len(placed), len(serving) - sum(c.village in villages for c in serving)) == (
        report["450312"]["committee_members"],
        report.unplaced,
    )


# --- reception days ------------------------------------------------------------------------

GUANGXI = calendar_for("45")
rules_ = st.one_of(
    st.builds(
        ReceptionDayRule,
        day_of_month=st.integers(1, 31),
        on_rest_day=st.sampled_from(tuple(RestDayPolicy)),
    ),
    st.builds(
        ReceptionDayRule,
        weekday=st.integers(0, 6),
        on_rest_day=st.sampled_from(tuple(RestDayPolicy)),
    ),
)
spans = st.tuples(st.dates(dt.date(2018, 1, 1), dt.date(2025, 10, 31)), st.integers(0, 60)).map(
    lambda p: (p[0], p[0] + dt.timedelta(days=p[1]))
)


@given(rules_, spans)
def test_reception_days_are_working_days_in_order(
    rule: ReceptionDayRule, span: tuple[dt.date, dt.date]
) -> None:
    days = reception_schedule(rule, span, GUANGXI)

    assert (True, True, True) == (
        all(GUANGXI.is_workday(d) for d in days),
        all(a < b for a, b in itertools.pairwise(days)),
        all(d >= span[0] for d in days),
    )


@given(st.integers(1, 31), spans)
def test_a_monthly_rule_agrees_with_the_routine_it_becomes(
    day: int, span: tuple[dt.date, dt.date]
) -> None:
    rule = ReceptionDayRule(day_of_month=day, on_rest_day=RestDayPolicy.NEXT_WORKDAY)

    occasions = schedule(rule.to_cycle(), COUNTY, span, GUANGXI)

    def nominal(period: Any) -> dt.date:
        return period.start + dt.timedelta(days=min(day, period.days) - 1)  # type: ignore[no-any-return]

    expected = sorted({o.due for o in occasions if span[0] <= nominal(o.period) <= span[1]})
    assert expected == reception_schedule(rule, span, GUANGXI)


# --- privacy -------------------------------------------------------------------------------

FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|datetime\.date")


def _people(value: object) -> list[ResidentId]:
    if isinstance(value, LegacyCase):
        return list(value.subjects)
    if isinstance(value, Request):
        return [] if value.contact.person is None else [value.contact.person]
    assert isinstance(value, VillageCadre)
    return [value.person]


@given(st.one_of(legacy_cases(max_steps=2), contact_requests(max_steps=3), village_cadres()))
def test_no_repr_shows_a_full_number_or_a_date_beside_a_masked_one(value: object) -> None:
    shown = repr(value)
    people = _people(value)

    assert ([], []) == (
        FULL_ID.findall(shown),
        [p.masked for p in people if p.masked in shown and _DATE.search(shown)],
    )
