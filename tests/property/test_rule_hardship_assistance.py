"""Laws of hardship_assistance (困难帮扶援助): decisions, approval and funding, over generated cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.errors import IllegalTransition, InconsistentRecord
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    AssistanceCase,
    CaseStatus,
    CaseTransition,
    DischargeMode,
    FundingAllocation,
    HardshipCause,
    PersonnelType,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.hardship_assistance import (
    AmountAboveCap,
    HardshipApplication,
    NotEligible,
    approve,
    funding_summary,
    funding_totals,
)
from veteran_affairs.testing import strategies as vst

RULE = "hardship_assistance"
WINDOW = "hardship_assistance.application_window_days"
CAP = "hardship_assistance.amount_cap"
POLICY = dt.date(2019, 10, 9)  # 退役军人部发〔2019〕62号 in force
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
# Test inputs, not law: no window and no cap is confirmed nationally or for Guangxi.
FIGURES = {WINDOW: "365", CAP: "20000"}
NATIONAL = RuleBook.load("national").with_parameters(FIGURES)
GUANGXI = RuleBook.load("guangxi").with_parameters(FIGURES)
BOOKS = st.sampled_from((NATIONAL, GUANGXI))
AMOUNTS = vst.amounts(max_value="60000")

applicants: st.SearchStrategy[Veteran | Survivor] = st.one_of(vst.veterans(), vst.survivors())


@st.composite
def same_incident(draw: st.DrawFn, case: AssistanceCase, number: int) -> AssistanceCase:
    """Another case of the applicant for the same incident, taken some way along its path."""
    day = case.incident_on

    def step() -> dt.date:
        nonlocal day
        day = min(day + dt.timedelta(days=draw(st.integers(0, 30))), TODAY)
        return day

    other = AssistanceCase.apply(
        case_id=f"{case.case_id}-E{number}",
        applicant=case.applicant,
        division=case.division,
        cause=case.cause,
        incident_on=case.incident_on,
        on=step(),
        actor="applicant",
    )
    last = draw(
        st.sampled_from(
            ("applied", "reviewed", "approved", "publicised", "paid", "rejected", "withdrawn")
        )
    )
    if last == "applied":
        return other
    if last == "withdrawn":
        return other.withdraw(on=step(), actor="applicant")
    other = other.review(on=step(), actor="township-01")
    if last == "reviewed":
        return other
    if last == "rejected":
        return other.reject(on=step(), actor="county-01")
    other = other.approve(on=step(), actor="county-01", amount=draw(AMOUNTS))
    if last == "approved":
        return other
    other = other.publicise(on=step(), actor="county-01")
    return other.pay(on=step(), actor="county-01") if last == "paid" else other


@st.composite
def applications(
    draw: st.DrawFn, people: st.SearchStrategy[Veteran | Survivor] = applicants
) -> HardshipApplication:
    """Applications by generated veterans and survivors, with some of their other cases."""
    applicant = draw(people)
    mine = st.just(applicant.resident_id)
    case = draw(vst.assistance_cases(applicants=mine))
    earlier = draw(st.lists(vst.assistance_cases(applicants=mine), max_size=2))
    earlier += [draw(same_incident(case, n)) for n in range(draw(st.integers(0, 2)))]
    return HardshipApplication(
        case=case,
        applicant=applicant,
        ordinary_assistance_considered=draw(st.none() | st.booleans()),
        earlier_cases=tuple(earlier),
    )


def on_or_after(application: HardshipApplication) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=application.case.applied_on, max_value=TODAY)


def qualifying(application: HardshipApplication) -> HardshipApplication:
    """The same application with nothing in the way: considered, in time, no other case."""
    case = application.case
    at = case.applied_on
    fresh = AssistanceCase.apply(
        case_id=case.case_id,
        applicant=case.applicant,
        division=case.division,
        cause=case.cause,
        incident_on=max(case.incident_on, at - 300 * DAY),
        on=at,
        actor="applicant",
        requested_amount=case.requested_amount,
    )
    return attrs.evolve(
        application, case=fresh, ordinary_assistance_considered=True, earlier_cases=()
    )


@st.composite
def _settled_veterans(draw: st.DrawFn) -> Veteran:
    """Living conscripts born 1950-1990, discharged at 20, long before the policy."""
    person = draw(
        vst.persons(
            resident_ids=vst.resident_ids(
                birth_dates=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1990, 12, 31))
            ),
            alive=True,
        )
    )
    born = person.birth_date
    enlisted = dt.date(born.year + 18, 9, 1)
    return Veteran(
        person=person,
        service=ServiceRecord(
            enlisted_on=enlisted,
            discharged_on=dt.date(born.year + 20, 9, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
    )


veteran_applications = applications(_settled_veterans())


# --- decisions -------------------------------------------------------------------------------


@given(applications(), st.data(), BOOKS)
def test_decisions_never_raise_and_pay_only_when_eligible(
    application: HardshipApplication, data: st.DataObject, book: RuleBook
) -> None:
    on = data.draw(on_or_after(application))

    decision = book.evaluate(RULE, application, on=on)

    if decision.eligible is True:
        assert decision.amount is not None
        assert decision.amount == sum(c.amount for c in decision.components)
        assert decision.amount <= Decimal(FIGURES[CAP])
        requested = application.case.requested_amount
        assert decision.amount == (
            Decimal(FIGURES[CAP]) if requested is None else min(requested, Decimal(FIGURES[CAP]))
        )
    else:
        assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


@given(applications(), st.data())
def test_eligibility_is_unknown_exactly_when_an_input_is_missing(
    application: HardshipApplication, data: st.DataObject
) -> None:
    decision = NATIONAL.evaluate(RULE, application, on=data.draw(on_or_after(application)))

    assert (decision.eligible is None) == bool(decision.missing)
    assert decision.missing in ((), ("ordinary_assistance_considered",))


@given(applications(), st.data())
def test_eligible_only_when_no_other_approved_case_covers_the_incident(
    application: HardshipApplication, data: st.DataObject
) -> None:
    on = data.draw(on_or_after(application))
    case = application.case

    decision = NATIONAL.evaluate(RULE, application, on=on)

    if decision.eligible is not False:
        assert not [
            other
            for other in application.earlier_cases
            if other.case_id != case.case_id
            and (other.incident_on, other.cause) == (case.incident_on, case.cause)
            and other.status_on(on)
            in {CaseStatus.COUNTY_APPROVED, CaseStatus.PUBLICISED, CaseStatus.PAID}
        ]
        assert (case.applied_on - case.incident_on).days <= int(FIGURES[WINDOW])
        assert application.ordinary_assistance_considered is not False


@given(veteran_applications, AMOUNTS, st.integers(0, 30000))
def test_a_higher_cap_never_grants_less(
    application: HardshipApplication, cap: Decimal, more: int
) -> None:
    subject = qualifying(application)
    low = NATIONAL.with_parameters({CAP: cap})
    high = NATIONAL.with_parameters({CAP: cap + more})

    before = low.evaluate(RULE, subject, on=TODAY)
    after = high.evaluate(RULE, subject, on=TODAY)

    assert before.amount is not None
    assert after.amount is not None
    assert before.amount <= after.amount <= cap + more


@given(veteran_applications, AMOUNTS, AMOUNTS)
def test_a_larger_request_never_grants_less(
    application: HardshipApplication, first: Decimal, second: Decimal
) -> None:
    subject = qualifying(application)
    small, large = sorted((first, second))

    def granted(requested: Decimal) -> Decimal | None:
        case = attrs.evolve(subject.case, requested_amount=requested)
        return NATIONAL.evaluate(RULE, attrs.evolve(subject, case=case), on=TODAY).amount

    low, high = granted(small), granted(large)
    assert low is not None
    assert high is not None
    assert low <= high


@given(veteran_applications)
def test_the_policy_applies_from_2019_10_09_exactly(application: HardshipApplication) -> None:
    subject = qualifying(application)

    def applied(on: dt.date) -> HardshipApplication:
        case = AssistanceCase.apply(
            case_id=subject.case.case_id,
            applicant=subject.case.applicant,
            division=subject.case.division,
            cause=subject.case.cause,
            incident_on=on,
            on=on,
            actor="applicant",
        )
        return attrs.evolve(subject, case=case)

    bare = RuleBook.load("national")  # no figure supplied: the day before must not need one
    before = bare.evaluate(RULE, applied(POLICY - DAY), on=TODAY)
    on_the_day = NATIONAL.evaluate(RULE, applied(POLICY), on=TODAY)

    assert (False, ()) == (before.eligible, before.parameters)
    figures = {u.key for u in on_the_day.parameters if u.key in (WINDOW, CAP)}
    assert (True, {WINDOW, CAP}) == (on_the_day.eligible, figures)


@given(veteran_applications, st.dates(min_value=POLICY + DAY, max_value=TODAY))
def test_the_figures_switch_exactly_on_their_effective_date(
    application: HardshipApplication, effective: dt.date
) -> None:
    subject = qualifying(application)
    versions = [
        {"effective_from": POLICY, "value": "365", "citation": "test input"},
        {"effective_from": effective, "value": "400", "citation": "test input"},
    ]
    caps = [
        {"effective_from": POLICY, "value": "20000", "citation": "test input"},
        {"effective_from": effective, "value": "30000", "citation": "test input"},
    ]
    book = RuleBook.load("national").with_parameters({WINDOW: versions, CAP: caps})

    def used(applied_on: dt.date) -> dict[str, dt.date]:
        case = AssistanceCase.apply(
            case_id=subject.case.case_id,
            applicant=subject.case.applicant,
            division=subject.case.division,
            cause=subject.case.cause,
            incident_on=applied_on,
            on=applied_on,
            actor="applicant",
        )
        decision = book.evaluate(RULE, attrs.evolve(subject, case=case), on=TODAY)
        return {u.key: u.effective_from for u in decision.parameters if u.key in (WINDOW, CAP)}

    assert {WINDOW: POLICY, CAP: POLICY} == used(effective - DAY)
    assert {WINDOW: effective, CAP: effective} == used(effective)


# --- the case state machine ------------------------------------------------------------------


def _passed_both_reviews(case: AssistanceCase) -> bool:
    reached = [step.to_status for step in case.history]
    return (
        CaseStatus.TOWNSHIP_REVIEWED in reached
        and CaseStatus.COUNTY_APPROVED in reached
        and reached.index(CaseStatus.TOWNSHIP_REVIEWED)
        < reached.index(CaseStatus.COUNTY_APPROVED)
        < reached.index(CaseStatus.PAID)
    )


@given(vst.assistance_cases())
def test_no_generated_case_is_paid_without_township_review_and_county_approval(
    case: AssistanceCase,
) -> None:
    if case.status is CaseStatus.PAID:
        assert _passed_both_reviews(case)


@given(
    vst.assistance_cases(),
    st.lists(st.tuples(st.sampled_from(tuple(CaseStatus)), st.none() | AMOUNTS), max_size=8),
)
def test_no_step_sequence_pays_a_case_that_skipped_a_review(
    case: AssistanceCase, steps: list[tuple[CaseStatus, Decimal | None]]
) -> None:
    for to, amount in steps:
        try:
            case = case.advance(to, on=case.history[-1].on, actor="tester", approved_amount=amount)
        except (IllegalTransition, InconsistentRecord):
            continue
        if case.status is CaseStatus.PAID:
            assert _passed_both_reviews(case)


@given(
    vst.resident_ids(),
    vst.division_codes(),
    vst.case_transitions(),
    st.lists(vst.case_transitions(), max_size=6),
)
def test_no_recorded_history_pays_a_case_that_skipped_a_review(
    applicant: ResidentId,
    division: DivisionCode,
    first: CaseTransition,
    rest: list[CaseTransition],
) -> None:
    history = (first, *rest)
    approved = any(s.to_status is CaseStatus.COUNTY_APPROVED for s in history)
    try:
        case = AssistanceCase(
            case_id="T-1",
            applicant=applicant,
            division=division,
            cause=HardshipCause.OTHER,
            incident_on=min(step.on for step in history),
            history=history,
            approved_amount=Decimal(1000) if approved else None,
        )
    except (IllegalTransition, InconsistentRecord):
        return
    if case.status is CaseStatus.PAID:
        assert _passed_both_reviews(case)


# --- approval --------------------------------------------------------------------------------


def at_township_review(application: HardshipApplication) -> HardshipApplication:
    """The same application with its case just past township review (乡镇审核)."""
    case = application.case
    fresh = AssistanceCase.apply(
        case_id=case.case_id,
        applicant=case.applicant,
        division=case.division,
        cause=case.cause,
        incident_on=case.incident_on,
        on=case.applied_on,
        actor="applicant",
        requested_amount=case.requested_amount,
    ).review(on=case.applied_on, actor="township-01")
    return attrs.evolve(application, case=fresh)


@given(applications(), AMOUNTS)
def test_approve_refuses_unless_eligible_and_within_the_cap(
    application: HardshipApplication, amount: Decimal
) -> None:
    subject = at_township_review(application)
    on = subject.case.applied_on
    decision = NATIONAL.evaluate(RULE, subject, on=on)

    def approving() -> AssistanceCase:
        return approve(subject, decision, on=on, actor="county-01", amount=amount)

    if decision.eligible is not True:
        with pytest.raises(NotEligible):
            approving()
    elif amount > Decimal(FIGURES[CAP]):
        with pytest.raises(AmountAboveCap):
            approving()
    else:
        approved = approving()
        assert (CaseStatus.COUNTY_APPROVED, amount) == (approved.status, approved.approved_amount)


@given(veteran_applications, AMOUNTS)
def test_approve_always_refuses_above_the_cap(
    application: HardshipApplication, extra: Decimal
) -> None:
    subject = at_township_review(qualifying(application))
    on = subject.case.applied_on
    decision = NATIONAL.evaluate(RULE, subject, on=on)
    too_much = Decimal(FIGURES[CAP]) + extra + Decimal("0.01")

    with pytest.raises(AmountAboveCap):
        approve(subject, decision, on=on, actor="county-01", amount=too_much)


# --- funding ---------------------------------------------------------------------------------


@given(st.lists(vst.assistance_cases(), max_size=12))
def test_totals_by_funding_source_add_up_to_the_total(cases: list[AssistanceCase]) -> None:
    summary = funding_summary(cases)
    counted = [
        c
        for c in cases
        if c.status in {CaseStatus.COUNTY_APPROVED, CaseStatus.PUBLICISED, CaseStatus.PAID}
    ]

    assert summary.total == sum(summary.by_source.values()) + summary.unallocated
    assert summary.total == sum((c.approved_amount or Decimal(0) for c in counted), Decimal(0))
    assert summary.unallocated >= 0
    assert funding_totals(cases) == dict(summary.by_source)
    assert (len(counted), len({c.applicant for c in counted})) == (
        summary.cases,
        summary.applicants,
    )


@given(st.lists(vst.assistance_cases(), max_size=12))
def test_paid_money_never_exceeds_approved_money(cases: list[AssistanceCase]) -> None:
    paid = funding_summary(cases, statuses={CaseStatus.PAID})
    approved = funding_summary(cases)

    assert paid.total <= approved.total
    for source, amount in paid.by_source.items():
        assert amount <= approved.by_source[source]


@given(st.lists(vst.assistance_cases(), max_size=6), vst.funding_allocations())
def test_funding_is_counted_per_source(
    cases: list[AssistanceCase], allocation: FundingAllocation
) -> None:
    totals = funding_totals(cases)

    assert set(totals) == set(type(allocation.source))
