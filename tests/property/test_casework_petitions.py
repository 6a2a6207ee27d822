"""Laws of petitions (信访): the state machine, its time limits and overdue flags."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from veteran_affairs.casework.deadlines import DayCount, DeadlineStatus, LimitBook
from veteran_affairs.casework.petitions import (
    BODY_DUTIES,
    TRANSITIONS,
    LimitKind,
    Petition,
    PetitionStatus,
)
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.errors import IllegalTransition
from veteran_affairs.testing._petition_strategies import (
    petition_steps,
    petitions,
    received_petitions,
)

S = PetitionStatus
# Test input, not law: the 2022 limits for these two steps were not found.
BOOK = LimitBook.bundled().with_values(
    {"petition.review_decision": 30, "petition.direct_notice": 15}
)
CALENDAR = calendar_for()
LAST_STEP = dt.date(2026, 6, 30)  # later steps would count past the bundled calendar


def statuses(petition: Petition) -> list[PetitionStatus]:
    return [step.to_status for step in petition.history]


def check_course(petition: Petition) -> None:
    """The laws every petition's history obeys."""
    course = statuses(petition)
    assert S.RECEIVED == course[0]
    for before, after in itertools.pairwise(course):
        assert after in TRANSITIONS[before], (before, after)  # no step skips a state
    assert course.count(S.EXTENDED) <= 1
    for index, status in enumerate(course):
        if status is S.REVIEW_REQUESTED:
            assert S.ANSWERED == course[index - 1]
        if status is S.RE_REVIEW_REQUESTED:
            assert S.REVIEWED == course[index - 1]
            assert S.REVIEW_REQUESTED in course[:index]
    dates = [step.on for step in petition.history]
    assert dates == sorted(dates)


@given(petitions())
def test_no_course_skips_a_state(petition: Petition) -> None:
    check_course(petition)


@given(petitions(), st.integers(0, 400))
def test_overdue_flags_never_move_the_petition(petition: Petition, offset: int) -> None:
    on = petition.received_on + dt.timedelta(days=offset)
    before = (petition.status, petition.history)
    flags = petition.overdue(on, BOOK, CALENDAR)
    assert before == (petition.status, petition.history)
    for flag in flags:
        assert flag.key in BODY_DUTIES
        assert flag.due.due < on
        assert DeadlineStatus.OVERDUE is flag.due.status(on=on)
        assert flag.days_overdue == (on - flag.due.due).days


@given(petitions(), st.integers(0, 400))
def test_overdue_is_exactly_the_duties_running_past_due(petition: Petition, offset: int) -> None:
    on = petition.received_on + dt.timedelta(days=offset)
    expected = [
        (limit.key, limit.due.due)
        for limit in petition.timeline(BOOK, CALENDAR)
        if limit.kind is LimitKind.DUTY and limit.status(on=on) is DeadlineStatus.OVERDUE
    ]
    assert expected == [(f.key, f.due.due) for f in petition.overdue(on, BOOK, CALENDAR)]


@given(petitions())
def test_deadlines_are_the_running_limits_of_the_timeline(petition: Petition) -> None:
    timeline = petition.timeline(BOOK, CALENDAR)
    running = [limit.due for limit in timeline if limit.running]
    assert running == list(petition.deadlines(BOOK, CALENDAR))
    assert len({d.key for d in running}) == len(running)
    if petition.status.final:
        assert [] == running


@given(petitions())
def test_every_deadline_lies_on_or_after_its_start_and_working_days_on_a_working_day(
    petition: Petition,
) -> None:
    for limit in petition.timeline(BOOK, CALENDAR):
        assert limit.due.start <= limit.due.due
        assert CALENDAR.is_workday(limit.due.due)  # 工作日 counts, and 日 rolled off rest days
        if limit.due.count is DayCount.WORKING_DAY:
            assert limit.due.amount == CALENDAR.workdays_between(limit.due.start, limit.due.due)
        if limit.done_on is not None:
            assert limit.done_on >= limit.due.start


@given(petitions(), st.integers(-5, 400))
def test_status_on_a_day_is_the_last_step_by_then(petition: Petition, offset: int) -> None:
    on = petition.received_on + dt.timedelta(days=offset)
    reached = [step.to_status for step in petition.history if step.on <= on]
    assert (reached[-1] if reached else None) == petition.status_on(on)


class PetitionMachine(RuleBasedStateMachine):
    """Any step asked of a petition: allowed ones move it one state, others are refused."""

    petition: Petition

    @initialize(petition=received_petitions())
    def register(self, petition: Petition) -> None:
        self.petition = petition

    @precondition(lambda self: self.petition.history[-1].on <= LAST_STEP)
    @rule(to=st.sampled_from(tuple(PetitionStatus)), data=st.data())
    def ask(self, to: PetitionStatus, data: st.DataObject) -> None:
        before = self.petition
        assert before.allowed <= TRANSITIONS[before.status]
        if to in before.allowed:
            after = data.draw(petition_steps(before, to))
            assert (to, before.history) == (after.status, after.history[:-1])
            self.petition = after
        else:
            with pytest.raises(IllegalTransition):
                before.advance(to, on=before.history[-1].on, actor="someone")
            assert before == self.petition

    @rule(offset=st.integers(0, 120))
    def look_for_overdue(self, offset: int) -> None:
        on = self.petition.history[-1].on + dt.timedelta(days=offset)
        before = self.petition
        flags = self.petition.overdue(on, BOOK, CALENDAR)
        assert before == self.petition
        assert all(flag.key in BODY_DUTIES for flag in flags)

    @invariant()
    def course_obeys_the_laws(self) -> None:
        check_course(self.petition)

    @invariant()
    def deadlines_can_be_counted(self) -> None:
        for deadline in self.petition.deadlines(BOOK, CALENDAR):
            assert deadline.start <= deadline.due


TestPetitionMachine = PetitionMachine.TestCase
TestPetitionMachine.settings = settings(stateful_step_count=20)
