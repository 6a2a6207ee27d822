"""Laws of the discharge transition (退役安置过渡) over generated values.

* No transition skips a state: a state machine drives an insurance transfer with random steps,
  allowed or not, against a plain model of its path.
* Deadlines on the working-day clock never fall on a non-working day; with a calendar, no
  rolled 日 or 个月 deadline does either.
* The regimes partition the discharge dates.
* An entitlement's free trainings used never exceed its limit.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from veteran_affairs.casework.deadlines import DayCount, DeadlineStatus, LimitBook, due
from veteran_affairs.casework.discharge import (
    DeadlineKind,
    DischargeRecord,
    EmploymentHistory,
    InsuranceScheme,
    InsuranceStatus,
    InsuranceTransfer,
    Regime,
    TrainingEnrolment,
    TrainingEntitlement,
    TrainingKind,
    discharge_deadlines,
    insurance_deadlines,
    regime_for,
)
from veteran_affairs.cycles.calendar import WorkCalendar, calendar_for
from veteran_affairs.errors import IllegalTransition, InconsistentRecord
from veteran_affairs.identity import ResidentId
from veteran_affairs.testing import _discharge_strategies as dst
from veteran_affairs.testing.strategies import resident_ids

DAY = dt.timedelta(days=1)
VETERAN = ResidentId("450312199801010011")
TODAY = dt.date.today()
BOOK = LimitBook.bundled()
NATIONAL = calendar_for()
GUANGXI = calendar_for("45")
DISCHARGE_KEYS = tuple(key for key in BOOK.limits if key.startswith("discharge."))
# Test inputs, not law: values for the limits that ship without one.
SUPPLIED = BOOK.with_values(
    {
        "discharge.adaptive_training": 1,
        "discharge.pension_transfer_in_application": 15,
        "discharge.employment_follow_up": 3,
    }
)
# A calendar and start days whose counts (up to 24 months) stay within its bundled years:
# national 2015–2026, Guangxi (三月三) 2017–2025.
CALENDARED = st.one_of(
    st.tuples(st.just(NATIONAL), st.just((dt.date(2015, 1, 1), dt.date(2024, 10, 31)))),
    st.tuples(st.just(GUANGXI), st.just((dt.date(2017, 1, 1), dt.date(2023, 10, 31)))),
)


@st.composite
def calendared_starts(draw: st.DrawFn) -> tuple[WorkCalendar, dt.date]:
    calendar, (low, high) = draw(CALENDARED)
    return calendar, draw(st.dates(min_value=low, max_value=high))


# --- no transition skips a state -----------------------------------------------------------------


def collapsed(transfer: InsuranceTransfer) -> list[InsuranceStatus]:
    """The states visited, stalls left out and a resumption not counted twice."""
    visited = [s.to_status for s in transfer.history if s.to_status is not InsuranceStatus.STALLED]
    return [state for state, _ in itertools.groupby(visited)]


@given(dst.insurance_transfers())
def test_a_generated_transfer_visits_a_prefix_of_its_path(transfer: InsuranceTransfer) -> None:
    path = transfer.scheme.path

    assert list(path[: len(collapsed(transfer))]) == collapsed(transfer)


class TransferMachine(RuleBasedStateMachine):
    """Random steps, allowed or not, checked against the position on the path."""

    transfer: InsuranceTransfer
    position: int
    stalled: bool
    day: dt.date

    @initialize(
        scheme=st.sampled_from(tuple(InsuranceScheme)),
        veteran=resident_ids(),
        on=dst.discharge_dates(),
    )
    def open(self, scheme: InsuranceScheme, veteran: ResidentId, on: dt.date) -> None:
        self.transfer = InsuranceTransfer.start(veteran=veteran, scheme=scheme, on=on)
        self.position = 0
        self.stalled = False
        self.day = on

    def later(self, wait: int) -> dt.date:
        self.day = min(self.day + wait * DAY, TODAY)
        return self.day

    @rule(to=st.sampled_from(tuple(InsuranceStatus)), wait=st.integers(0, 20))
    def step(self, to: InsuranceStatus, wait: int) -> None:
        path = self.transfer.scheme.path
        at_end = self.position == len(path) - 1
        if self.stalled:
            allowed = to is path[self.position]
        elif to is InsuranceStatus.STALLED:
            allowed = not at_end
        else:
            allowed = not at_end and to is path[self.position + 1]
        on = self.later(wait)
        if not allowed:
            with pytest.raises(IllegalTransition):
                self.transfer.to(to, on=on)
            return
        self.transfer = self.transfer.to(to, on=on)
        if self.stalled:
            self.stalled = False
        elif to is InsuranceStatus.STALLED:
            self.stalled = True
        else:
            self.position += 1

    @rule(wait=st.integers(0, 20))
    def advance(self, wait: int) -> None:
        path = self.transfer.scheme.path
        on = self.later(wait)
        if self.stalled or self.position == len(path) - 1:
            with pytest.raises(IllegalTransition):
                self.transfer.advance(on=on)
            return
        self.transfer = self.transfer.advance(on=on)
        self.position += 1

    @rule(wait=st.integers(0, 20))
    def resume(self, wait: int) -> None:
        on = self.later(wait)
        if not self.stalled:
            with pytest.raises(IllegalTransition):
                self.transfer.resume(on=on)
            return
        self.transfer = self.transfer.resume(on=on)
        self.stalled = False

    @invariant()
    def the_state_is_the_models(self) -> None:
        path = self.transfer.scheme.path
        expected = InsuranceStatus.STALLED if self.stalled else path[self.position]

        assert expected == self.transfer.status
        assert (path[self.position] if self.stalled else None) == self.transfer.stalled_at

    @invariant()
    def the_history_skips_no_state(self) -> None:
        path = self.transfer.scheme.path

        assert list(path[: self.position + 1]) == collapsed(self.transfer)


def test_no_transition_skips_a_state() -> None:
    run_state_machine_as_test(TransferMachine, settings=settings(stateful_step_count=20))


# --- deadlines and working days ------------------------------------------------------------------


@given(key=st.sampled_from(DISCHARGE_KEYS), pair=calendared_starts(), amount=st.integers(0, 40))
def test_a_discharge_limit_counted_in_working_days_ends_on_a_working_day(
    key: str, pair: tuple[WorkCalendar, dt.date], amount: int
) -> None:
    calendar, start = pair
    book = BOOK.with_values({key: amount}).with_clock(key, count=DayCount.WORKING_DAY)

    found = due(book, key, start, calendar=calendar)

    assert calendar.is_workday(found.due)
    assert found.start <= found.due


@given(calendared_starts())
def test_the_transfer_in_application_never_falls_due_on_a_rest_day(
    pair: tuple[WorkCalendar, dt.date],
) -> None:
    calendar, start = pair
    transfer = InsuranceTransfer.start(
        veteran=VETERAN, scheme=InsuranceScheme.PENSION, on=start
    ).applied(on=start)

    (deadline,) = insurance_deadlines(SUPPLIED, transfer, calendar=calendar)

    assert calendar.is_workday(deadline.due)
    assert DayCount.WORKING_DAY == deadline.due_date.count


@given(data=st.data(), pair=calendared_starts())
def test_with_a_calendar_no_discharge_deadline_falls_on_a_rest_day(
    data: st.DataObject, pair: tuple[WorkCalendar, dt.date]
) -> None:
    calendar, discharged = pair
    record = data.draw(dst.discharge_records(dates=st.just(discharged)))
    deadlines = discharge_deadlines(
        SUPPLIED,
        record,
        calendar=calendar,
        kinds=tuple(DeadlineKind),
        skip_unknown=True,
    )

    assert [] == [d for d in deadlines if not calendar.is_workday(d.due)]
    assert [] == [d for d in deadlines if d.due <= d.due_date.start]


@given(record=dst.discharge_records(), on=st.dates(dt.date(2011, 11, 1), dt.date(2030, 1, 1)))
def test_a_deadline_met_on_or_before_its_day_is_met_and_after_it_late(
    record: DischargeRecord, on: dt.date
) -> None:
    for deadline in discharge_deadlines(BOOK, record, skip_unknown=True):
        status = deadline.status(on=on)
        done = deadline.done_on
        if done is not None and done <= on:
            expected = DeadlineStatus.MET if done <= deadline.due else DeadlineStatus.LATE
        else:
            expected = DeadlineStatus.OVERDUE if on > deadline.due else DeadlineStatus.PENDING
        assert expected == status


# --- the regimes partition the discharge dates ---------------------------------------------------


@given(st.dates())
def test_every_discharge_date_falls_under_exactly_one_regime(day: dt.date) -> None:
    covering = [regime for regime in Regime if regime.covers(day)]

    assert [regime_for(day)] == covering


def test_the_regimes_follow_one_another_without_gap_or_overlap() -> None:
    regimes = list(Regime)

    assert None is regimes[0].first_day
    assert None is regimes[-1].last_day
    for before, after in itertools.pairwise(regimes):
        assert before.last_day + DAY == after.first_day  # type: ignore[operator]


# --- free trainings used never exceed the limit --------------------------------------------------


@given(entitlement=dst.training_entitlements(), data=st.data())
def test_free_trainings_used_never_exceed_the_limit(
    entitlement: TrainingEntitlement, data: st.DataObject
) -> None:
    high = min(entitlement.closes_on or TODAY, TODAY)
    attempts = data.draw(
        st.lists(
            dst.training_enrolments(
                veterans=st.just(entitlement.veteran),
                kinds=st.sampled_from((TrainingKind.SKILLS, TrainingKind.VOCATIONAL_EDUCATION)),
                dates=st.dates(min_value=entitlement.opens_on, max_value=high),
                free=st.just(True),
            ),
            max_size=6,
            unique_by=lambda course: course.enrolment_id,
        )
    )
    taken = {course.enrolment_id for course in entitlement.used}
    fresh = [course for course in attempts if course.enrolment_id not in taken]
    current = entitlement
    for course in fresh:
        if current.remaining == 0:
            with pytest.raises(InconsistentRecord):
                current.use(course)
        else:
            current = current.use(course)
        assert len(current.used) <= current.max_free_uses
    expected = min(entitlement.max_free_uses, len(entitlement.used) + len(fresh))
    assert expected == len(current.used)


@given(entitlement=dst.training_entitlements(max_free_uses=st.integers(0, 2)))
def test_an_entitlement_with_one_course_too_many_cannot_be_built(
    entitlement: TrainingEntitlement,
) -> None:
    extra = TrainingEnrolment(
        enrolment_id="PX-EXTRA",
        veteran=entitlement.veteran,
        kind=TrainingKind.SKILLS,
        enrolled_on=entitlement.opens_on,
    )
    full = entitlement
    while full.remaining:
        full = full.use(
            TrainingEnrolment(
                enrolment_id=f"PX-FILL-{len(full.used)}",
                veteran=entitlement.veteran,
                kind=TrainingKind.SKILLS,
                enrolled_on=entitlement.opens_on,
            )
        )

    with pytest.raises(InconsistentRecord) as raised:
        TrainingEntitlement(
            veteran=full.veteran,
            regime=full.regime,
            basis=full.basis,
            opens_on=full.opens_on,
            closes_on=full.closes_on,
            max_free_uses=full.max_free_uses,
            citation=full.citation,
            used=(*full.used, extra),
        )

    assert "used/max_free_uses" == raised.value.field


# --- generated values are valid ------------------------------------------------------------------


@given(dst.employment_histories())
def test_a_generated_history_never_overlaps(history: EmploymentHistory) -> None:
    for before, after in itertools.pairwise(history.records):
        assert before.ended_on is not None
        assert before.ended_on < after.started_on
