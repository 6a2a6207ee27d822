"""The legacy-case register (历史遗留问题台账): steps, review cadence, milestones, flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from veteran_affairs.casework.deadlines import DeadlineStatus, LimitBook
from veteran_affairs.casework.legacy import (
    LIMITS,
    REVIEW_INTERVAL,
    LegacyCase,
    LegacyCategory,
    LegacyFlag,
    LegacyStatus,
    Milestone,
    MilestoneStatus,
    OriginRegime,
    soldier_placement_regime,
)
from veteran_affairs.cycles import calendar_for
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterMissing,
)
from veteran_affairs.identity import DivisionCode, ResidentId

D = dt.date
PERSON = ResidentId("450312198001010019")
IDENTIFIED = D(2025, 3, 3)


def _case(**changes: Any) -> LegacyCase:
    fields: dict[str, Any] = {
        "case_id": "LC-1",
        "category": LegacyCategory.SOCIAL_INSURANCE,
        "regime": OriginRegime.SOLDIER_PLACEMENT_2011,
        "origin_on": D(2015, 12, 1),
        "topic": "两保接续",
        "responsible_unit": DivisionCode("450312"),
        "owner": "county-bureau-deputy",
        "on": IDENTIFIED,
        "actor": "station-01",
    }
    fields.update(changes)
    return LegacyCase.identify(**fields)


STEPS = {
    "verify": lambda c, d: c.verify(on=d, actor="county-01"),
    "plan": lambda c, d: c.agree_plan(on=d, actor="county-01"),
    "resolve": lambda c, d: c.resolve(on=d, actor="county-01"),
    "refer": lambda c, d: c.refer(to="县人社局", on=d, actor="county-01"),
    "unresolvable": lambda c, d: c.declare_unresolvable(on=d, actor="county-01"),
    "unfounded": lambda c, d: c.find_unfounded(on=d, actor="county-01"),
}


# --- transitions --------------------------------------------------------------------------

TRANSITION_CASES = [
    # name, steps, expected final status (or the step that is refused)
    ("the main line ends resolved", ["verify", "plan", "resolve"], LegacyStatus.RESOLVED),
    ("verified facts referred to the competent body", ["verify", "refer"], LegacyStatus.REFERRED),
    (
        "a plan that failed is unresolvable",
        ["verify", "plan", "unresolvable"],
        LegacyStatus.UNRESOLVABLE,
    ),
    ("verified, no route: unresolvable", ["verify", "unresolvable"], LegacyStatus.UNRESOLVABLE),
    ("a plan that refers", ["verify", "plan", "refer"], LegacyStatus.REFERRED),
    ("verification finds nothing", ["unfounded"], LegacyStatus.UNFOUNDED),
    ("resolved without a plan", ["verify", "resolve"], "resolve"),
    ("resolved straight away", ["resolve"], "resolve"),
    ("a plan on unverified facts", ["plan"], "plan"),
    ("referred before verification", ["refer"], "refer"),
    ("unresolvable before verification", ["unresolvable"], "unresolvable"),
    ("unfounded after verification", ["verify", "unfounded"], "unfounded"),
    ("verified twice", ["verify", "verify"], "verify"),
    ("a step after resolution", ["verify", "plan", "resolve", "verify"], "verify"),
    ("a step after referral", ["verify", "refer", "plan"], "plan"),
]


@pytest.mark.parametrize(
    ("name", "steps", "expected"), TRANSITION_CASES, ids=[c[0] for c in TRANSITION_CASES]
)
def test_a_case_takes_only_allowed_steps(name: str, steps: list[str], expected: object) -> None:
    case = _case()
    day = IDENTIFIED
    refused = None
    for step in steps:
        day += dt.timedelta(days=7)
        try:
            case = STEPS[step](case, day)
        except IllegalTransition:
            refused = step
            break

    assert expected == (refused if refused is not None else case.status)


def test_a_refused_step_says_why() -> None:
    case = _case().verify(on=D(2025, 3, 20), actor="county-01")

    with pytest.raises(IllegalTransition) as raised:
        case.resolve(on=D(2025, 4, 1), actor="county-01")

    assert ("verified", "resolved") == (raised.value.current, raised.value.requested)
    assert "agreed plan" in str(raised.value)


def test_a_history_that_skips_a_state_is_refused_at_construction() -> None:
    case = _case().verify(on=D(2025, 3, 20), actor="c")
    skipped = attrs.evolve(
        case.history[1], from_status=LegacyStatus.IDENTIFIED, to_status=LegacyStatus.RESOLVED
    )

    with pytest.raises(IllegalTransition):
        attrs.evolve(case, history=(case.history[0], skipped))


def test_a_step_dated_before_the_previous_one_is_refused() -> None:
    with pytest.raises(InconsistentRecord) as raised:
        _case().verify(on=IDENTIFIED - dt.timedelta(days=1), actor="c")

    assert "history[1].on" == raised.value.field


def test_the_referral_carries_the_body_and_only_the_referral_does() -> None:
    referred = (
        _case()
        .verify(on=D(2025, 3, 20), actor="c")
        .refer(to="原所在部队", on=D(2025, 3, 25), actor="c")
    )

    assert ("原所在部队", D(2025, 3, 25)) == (referred.referred_to, referred.closed_on)
    with pytest.raises(InconsistentRecord):
        attrs.evolve(_case(), referred_to="原所在部队")


def test_status_on_reads_the_history_by_date() -> None:
    case = _case().verify(on=D(2025, 3, 20), actor="c")

    assert [None, LegacyStatus.IDENTIFIED, LegacyStatus.IDENTIFIED, LegacyStatus.VERIFIED] == [
        case.status_on(d) for d in (D(2025, 3, 2), D(2025, 3, 3), D(2025, 3, 19), D(2025, 3, 20))
    ]


# --- regimes -------------------------------------------------------------------------------

REGIME_CASES = [
    ("the day before the 2011 条例", D(2011, 10, 31), OriginRegime.BEFORE_2011),
    ("the 2011 条例's first day", D(2011, 11, 1), OriginRegime.SOLDIER_PLACEMENT_2011),
    ("the 2011 条例's last day", D(2024, 8, 31), OriginRegime.SOLDIER_PLACEMENT_2011),
    ("the 2024 条例's first day", D(2024, 9, 1), OriginRegime.VETERAN_PLACEMENT_2024),
]


@pytest.mark.parametrize(
    ("name", "discharged", "expected"), REGIME_CASES, ids=[c[0] for c in REGIME_CASES]
)
def test_the_placement_regime_follows_the_discharge_date(
    name: str, discharged: dt.date, expected: OriginRegime
) -> None:
    assert expected == soldier_placement_regime(discharged)


def test_each_dated_regime_cites_its_article() -> None:
    assert {
        OriginRegime.SOLDIER_PLACEMENT_2011: "第五十三条",
        OriginRegime.VETERAN_PLACEMENT_2024: "第九十三条",
        OriginRegime.UNCONVERTED_NCO: "第九十一条第三款",
    } == {
        r: r.citation.article
        for r in (
            OriginRegime.SOLDIER_PLACEMENT_2011,
            OriginRegime.VETERAN_PLACEMENT_2024,
            OriginRegime.UNCONVERTED_NCO,
        )
        if r.citation is not None
    }


def test_a_case_arising_outside_its_regime_is_refused() -> None:
    with pytest.raises(InconsistentRecord) as raised:
        _case(regime=OriginRegime.VETERAN_PLACEMENT_2024, origin_on=D(2024, 8, 31))

    assert "regime/origin_on" == raised.value.field


INVALID_CASES = [
    (
        "arose after it was identified",
        {"origin_on": D(2025, 3, 4), "regime": OriginRegime.OTHER},
        InconsistentRecord,
    ),
    ("a person listed twice", {"subjects": (PERSON, PERSON)}, InconsistentRecord),
    ("a blank topic", {"topic": " "}, InvalidValue),
    ("a unit that is not a code", {"responsible_unit": "450312"}, InvalidValue),
]


@pytest.mark.parametrize(
    ("name", "changes", "error"), INVALID_CASES, ids=[c[0] for c in INVALID_CASES]
)
def test_an_invalid_case_cannot_be_made(
    name: str, changes: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        _case(**changes)


MILESTONE_RECORDS = [
    (
        "two milestones with one key",
        (
            Milestone(key="m", title="a", target_on=D(2025, 4, 1)),
            Milestone(key="m", title="b", target_on=D(2025, 5, 1)),
        ),
    ),
    (
        "due before the case was identified",
        (Milestone(key="m", title="a", target_on=D(2025, 3, 2)),),
    ),
    (
        "done before the case was identified",
        (Milestone(key="m", title="a", target_on=D(2025, 4, 1), done_on=D(2025, 3, 1)),),
    ),
]


@pytest.mark.parametrize(
    ("name", "milestones"), MILESTONE_RECORDS, ids=[c[0] for c in MILESTONE_RECORDS]
)
def test_inconsistent_milestones_are_refused(name: str, milestones: tuple[Milestone, ...]) -> None:
    verified = _case().verify(on=D(2025, 3, 20), actor="c")

    with pytest.raises(InconsistentRecord):
        verified.agree_plan(on=D(2025, 3, 25), actor="c", milestones=milestones)


REVIEW_RECORDS = [
    ("a review before identification", (D(2025, 3, 2),)),
    ("reviews out of order", (D(2025, 4, 2), D(2025, 4, 1))),
    ("a review after closure", (D(2025, 5, 2),)),
]


@pytest.mark.parametrize(("name", "reviews"), REVIEW_RECORDS, ids=[c[0] for c in REVIEW_RECORDS])
def test_inconsistent_reviews_are_refused(name: str, reviews: tuple[dt.date, ...]) -> None:
    closed = _case().find_unfounded(on=D(2025, 5, 1), actor="c")

    with pytest.raises(InvalidValue):
        attrs.evolve(closed, reviews=reviews)


# --- the review cadence (a time limit the user supplies) -----------------------------------

BOOK = LIMITS.with_values({"legacy.review_interval": 30})

REVIEW_DUE_CASES = [
    # name, reviews held, steps (name, day), asked on, expected due, expected status
    ("30 days from identification", (), (), D(2025, 3, 10), D(2025, 4, 2), DeadlineStatus.PENDING),
    (
        "on the due day it is still in time",
        (),
        (),
        D(2025, 4, 2),
        D(2025, 4, 2),
        DeadlineStatus.PENDING,
    ),
    ("the day after, it is overdue", (), (), D(2025, 4, 3), D(2025, 4, 2), DeadlineStatus.OVERDUE),
    (
        "a review restarts the count",
        (D(2025, 3, 20),),
        (),
        D(2025, 4, 3),
        D(2025, 4, 19),
        DeadlineStatus.PENDING,
    ),
    (
        "a step restarts the count",
        (),
        (("verify", D(2025, 3, 25)),),
        D(2025, 4, 3),
        D(2025, 4, 24),
        DeadlineStatus.PENDING,
    ),
    (
        "a review after the day asked is not yet known",
        (D(2025, 4, 10),),
        (),
        D(2025, 4, 5),
        D(2025, 4, 2),
        DeadlineStatus.OVERDUE,
    ),
]


@pytest.mark.parametrize(
    ("name", "reviews", "steps", "on", "expected_due", "expected_status"),
    REVIEW_DUE_CASES,
    ids=[c[0] for c in REVIEW_DUE_CASES],
)
def test_the_review_falls_due_from_the_last_step_or_review(
    name: str,
    reviews: tuple[dt.date, ...],
    steps: tuple[tuple[str, dt.date], ...],
    on: dt.date,
    expected_due: dt.date,
    expected_status: DeadlineStatus,
) -> None:
    case = _case()
    for step, day in steps:
        case = STEPS[step](case, day)
    for day in reviews:
        case = case.record_review(on=day)

    found = case.review_due(BOOK, on=on)

    assert found is not None
    assert (expected_due, expected_status) == (found.due, found.status(on=on))


def test_a_review_due_on_a_holiday_moves_to_the_next_working_day() -> None:
    case = _case(on=D(2025, 9, 1))  # 30 days later is 2025-10-01, 国庆节

    found = case.review_due(BOOK, on=D(2025, 9, 2), calendar=calendar_for("45"))

    assert found is not None
    assert (D(2025, 10, 1), D(2025, 10, 9)) == (found.nominal, found.due)


def test_a_closed_case_has_no_review_due() -> None:
    closed = _case().find_unfounded(on=D(2025, 3, 5), actor="c")

    assert None is closed.review_due(BOOK, on=D(2025, 6, 1))


def test_without_a_supplied_interval_the_review_names_the_missing_parameter() -> None:
    with pytest.raises(ParameterMissing) as raised:
        _case().review_due(LIMITS, on=D(2025, 4, 1))

    assert "legacy.review_interval" == raised.value.key
    assert () == REVIEW_INTERVAL.parameter.versions


def test_the_interval_can_be_layered_on_the_bundled_limits() -> None:
    book = LimitBook.bundled().layered(LIMITS).with_values({"legacy.review_interval": 14})

    found = _case().review_due(book, on=D(2025, 3, 4))

    assert found is not None
    assert D(2025, 3, 17) == found.due


def test_a_closed_case_cannot_be_reviewed() -> None:
    closed = _case().find_unfounded(on=D(2025, 3, 5), actor="c")

    with pytest.raises(IllegalTransition):
        closed.record_review(on=D(2025, 3, 6))


# --- milestones and flags ------------------------------------------------------------------

TARGET = D(2025, 4, 30)
MILESTONE_CASES = [
    ("not done, on the target day", None, TARGET, MilestoneStatus.OPEN),
    ("not done, the day after", None, D(2025, 5, 1), MilestoneStatus.OVERDUE),
    ("done on the target day", TARGET, D(2025, 5, 1), MilestoneStatus.DONE),
    ("done after the target day", D(2025, 5, 2), D(2025, 5, 3), MilestoneStatus.DONE_LATE),
    ("done later than the day asked", D(2025, 5, 2), D(2025, 5, 1), MilestoneStatus.OVERDUE),
    ("done early, asked before the target", D(2025, 4, 1), D(2025, 4, 2), MilestoneStatus.DONE),
]


@pytest.mark.parametrize(
    ("name", "done_on", "on", "expected"), MILESTONE_CASES, ids=[c[0] for c in MILESTONE_CASES]
)
def test_a_milestone_is_overdue_from_the_day_after_its_target(
    name: str, done_on: dt.date | None, on: dt.date, expected: MilestoneStatus
) -> None:
    milestone = Milestone(key="m1", title="核对档案", target_on=TARGET, done_on=done_on)

    assert expected == milestone.status(on)


def _planned() -> LegacyCase:
    return (
        _case()
        .verify(on=D(2025, 3, 10), actor="c")
        .agree_plan(
            on=D(2025, 3, 20),
            actor="c",
            milestones=(
                Milestone(key="m1", title="核对档案", target_on=D(2025, 4, 30)),
                Milestone(key="m2", title="协调社保经办机构", target_on=D(2025, 6, 30)),
            ),
        )
    )


FLAG_CASES = [
    ("in time on every count", D(2025, 4, 19), BOOK, frozenset()),
    ("review overdue", D(2025, 4, 20), BOOK, {LegacyFlag.REVIEW_OVERDUE}),
    (
        "milestone and review overdue",
        D(2025, 5, 1),
        BOOK,
        {LegacyFlag.REVIEW_OVERDUE, LegacyFlag.MILESTONE_OVERDUE},
    ),
    ("milestone overdue, no cadence given", D(2025, 5, 1), None, {LegacyFlag.MILESTONE_OVERDUE}),
]


@pytest.mark.parametrize(
    ("name", "on", "book", "expected"), FLAG_CASES, ids=[c[0] for c in FLAG_CASES]
)
def test_an_open_case_flags_what_is_overdue(
    name: str, on: dt.date, book: LimitBook | None, expected: frozenset[LegacyFlag]
) -> None:
    assert expected == _planned().flags(on, book=book)


def test_a_completed_milestone_is_no_longer_overdue() -> None:
    case = _planned().complete_milestone("m1", on=D(2025, 4, 28))

    assert ((), ("m2",)) == (
        case.overdue_milestones(D(2025, 5, 1)),
        tuple(m.key for m in case.open_milestones(D(2025, 5, 1))),
    )


def test_a_resolved_case_flags_nothing() -> None:
    resolved = _planned().resolve(on=D(2025, 4, 10), actor="c")

    assert frozenset() == resolved.flags(D(2025, 12, 1), book=BOOK)


def test_completing_an_unknown_or_done_milestone_is_refused() -> None:
    case = _planned().complete_milestone("m1", on=D(2025, 4, 28))

    with pytest.raises(InvalidValue):
        case.complete_milestone("m9", on=D(2025, 4, 29))
    with pytest.raises(InconsistentRecord):
        case.complete_milestone("m1", on=D(2025, 4, 29))


def test_the_repr_shows_no_person_and_no_date() -> None:
    shown = repr(_case(subjects=(PERSON,)))

    assert (
        "LegacyCase(case_id='LC-1', category=SOCIAL_INSURANCE, regime=SOLDIER_PLACEMENT_2011, responsible_unit=450312000000, status=IDENTIFIED, subjects=1, milestones=0)"
        == shown
    )
