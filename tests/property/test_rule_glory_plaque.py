"""Laws of glory_plaque (光荣牌), over generated plaque households."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import (
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecoveryReason,
)
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.rules.glory_plaque import census
from veteran_affairs.testing import strategies as vas

D = dt.date
DAY = dt.timedelta(days=1)
RULE = "glory_plaque"
NATIONAL = RuleBook.load("national")
POLICY = D(2018, 7, 29)
TODAY = dt.date.today()

LIVING = (PlaqueBasis.VETERAN, PlaqueBasis.SERVING_MEMBER)
dates = st.dates(D(2015, 1, 1), D(2035, 12, 31))
covered_dates = st.dates(POLICY, TODAY)


def decide(subject: PlaqueHousehold, on: dt.date) -> Decision:
    return NATIONAL.evaluate(RULE, subject, on=on)


def codes(decision: Decision) -> list[tuple[str, bool | None]]:
    return [(r.code, r.held) for r in decision.reasons]


# --- decisions are total and consistent --------------------------------------------------------


@given(vas.plaque_households(), dates)
def test_a_decision_never_raises_and_never_has_an_amount(
    subject: PlaqueHousehold, on: dt.date
) -> None:
    decision = decide(subject, on)

    assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


@given(vas.plaque_households(), dates)
def test_eligibility_is_undetermined_exactly_when_an_input_is_missing(
    subject: PlaqueHousehold, on: dt.date
) -> None:
    decision = decide(subject, on)

    assert (decision.eligible is None) == bool(decision.missing)


@given(vas.plaque_households(), st.dates(D(2000, 1, 1), POLICY - DAY))
def test_no_household_is_eligible_before_2018_07_29(subject: PlaqueHousehold, on: dt.date) -> None:
    assert False is decide(subject, on).eligible


@given(vas.plaque_households(), dates)
def test_every_member_gets_one_reason_with_a_masked_identity_number(
    subject: PlaqueHousehold, on: dt.date
) -> None:
    decision = decide(subject, on)

    listed = [r.message_en for r in decision.reasons if r.code == "member"]
    assert len(subject.members) == len(listed)
    assert all(m.resident_id.unmasked not in decision.explain() for m in subject.members)


# --- one plaque per household ------------------------------------------------------------------


@given(st.lists(vas.plaque_households(), max_size=5), dates)
def test_the_decision_is_a_single_one_per_household(
    subjects: list[PlaqueHousehold], on: dt.date
) -> None:
    decisions = list(NATIONAL.evaluate_many(subjects, [RULE], on=on))

    assert len(subjects) == len(decisions)


@given(vas.plaque_households(), st.lists(vas.plaque_members(), min_size=1, max_size=3), dates)
def test_adding_members_never_takes_the_plaque_away(
    subject: PlaqueHousehold, more: list[PlaqueMember], on: dt.date
) -> None:
    known = {m.resident_id for m in subject.members}
    added = [m for m in {m.resident_id: m for m in more}.values() if m.resident_id not in known]
    larger = attrs.evolve(subject, members=subject.members + tuple(added))

    before = decide(subject, on).eligible

    if before is True:
        assert True is decide(larger, on).eligible


@given(
    vas.plaque_households(),
    st.lists(vas.plaque_members(bases=st.sampled_from(LIVING)), min_size=1, max_size=3),
    covered_dates,
)
def test_one_certified_qualifying_member_is_as_good_as_many(
    subject: PlaqueHousehold, more: list[PlaqueMember], on: dt.date
) -> None:
    qualifying = [
        attrs.evolve(m, since=min(m.since, on), died_on=None, certificate_holder=True)
        for m in {m.resident_id: m for m in more}.values()
    ]
    household = attrs.evolve(subject, members=tuple(qualifying), disqualifications=())

    expected = bool(qualifying)
    assert expected == decide(household, on).eligible
    assert expected == decide(attrs.evolve(household, members=tuple(qualifying[:1])), on).eligible


# --- cancellation and restoration --------------------------------------------------------------


@st.composite
def lifted_penalty_and_date(
    draw: st.DrawFn, subject: PlaqueHousehold
) -> tuple[PlaqueDisqualification, dt.date]:
    on = draw(covered_dates)
    since = draw(st.dates(POLICY, on))
    lifted = draw(st.dates(since, on))
    penalty = PlaqueDisqualification(
        resident_id=draw(st.sampled_from(subject.household.members)),
        kind=PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY,
        on=since,
        lifted_on=lifted,
    )
    return penalty, on


@given(st.data())
def test_a_lifted_public_security_penalty_leaves_the_decision_as_without_it(
    data: st.DataObject,
) -> None:
    subject = data.draw(vas.plaque_households())
    penalty, on = data.draw(lifted_penalty_and_date(subject))
    restored = attrs.evolve(subject, disqualifications=(*subject.disqualifications, penalty))

    without, with_lifted = decide(subject, on), decide(restored, on)

    def outside(d: Decision) -> list[tuple[str, bool | None, str]]:
        return [(r.code, r.held, r.message_en) for r in d.reasons if r.code != "disqualification"]

    assert (without.eligible, codes(without), outside(without)) == (
        with_lifted.eligible,
        codes(with_lifted),
        outside(with_lifted),
    )


@given(vas.plaque_households(), vas.plaque_disqualifications(), covered_dates)
def test_a_disqualification_in_effect_cancels_and_recovers_a_hanging_plaque(
    subject: PlaqueHousehold, disqualification: PlaqueDisqualification, on: dt.date
) -> None:
    cancelled = attrs.evolve(subject, disqualifications=(disqualification,))

    decision = decide(cancelled, on)

    plaque = subject.household.plaque
    hanging = plaque is not None and plaque.hung_at(on)
    recover = [r for r in decision.reasons if r.code == "recover"]
    if disqualification.in_effect_on(on):
        assert False is decision.eligible
        assert hanging == bool(recover)
        assert all(disqualification.kind.value in r.message_en for r in recover)


# --- the texts switch exactly on their effective dates -----------------------------------------


DEATHS = (PlaqueBasis.MARTYR, PlaqueBasis.DUTY_DEATH, PlaqueBasis.ILLNESS_DEATH)
SWITCHES = {
    PlaqueBasis.VETERAN: (D(2021, 1, 1), "《退役军人保障法》(2020)"),
    PlaqueBasis.SERVING_MEMBER: (D(2021, 8, 1), "《军人地位和权益保障法》(2021)"),
    PlaqueBasis.DUTY_DEATH: (D(2021, 8, 1), "《军人地位和权益保障法》(2021)"),
    PlaqueBasis.ILLNESS_DEATH: (D(2021, 8, 1), "《军人地位和权益保障法》(2021)"),
    PlaqueBasis.MARTYR: (D(2025, 1, 1), "《烈士褒扬条例》(2024)"),
}


@given(vas.plaque_households(), vas.plaque_members(), st.sampled_from(tuple(SWITCHES)))
def test_each_members_citation_switches_on_the_day_its_text_takes_effect(
    subject: PlaqueHousehold, member: PlaqueMember, basis: PlaqueBasis
) -> None:
    switch, document = SWITCHES[basis]
    died = member.since if basis in DEATHS else None
    one = attrs.evolve(subject, members=(attrs.evolve(member, basis=basis, died_on=died),))

    def cited(on: dt.date) -> str:
        reason = next(r for r in decide(one, on).reasons if r.code == "member")
        return reason.citation.document if reason.citation else ""

    assert (False, True) == (cited(switch - DAY) == document, cited(switch) == document)


# --- the census agrees with the decisions -------------------------------------------------------


@given(st.lists(vas.plaque_households(), max_size=6), covered_dates)
def test_the_census_coverage_is_hung_eligible_over_eligible(
    subjects: list[PlaqueHousehold], on: dt.date
) -> None:
    county = (
        subjects[0].household.hukou_division.truncate(DivisionLevel.COUNTY)
        if subjects
        else DivisionCode("450312")
    )
    result = census(NATIONAL, subjects, on=on, county=county)

    inside = [s for s in subjects if county.contains(s.household.hukou_division)]
    decisions = [decide(s, on) for s in inside]
    eligible = sum(d.eligible is True for d in decisions)
    assert (len(inside), eligible) == (result.households, result.eligible)
    assert result.hung_eligible <= min(result.hung, result.eligible)
    assert len(result.to_hang) == result.eligible - result.hung_eligible
