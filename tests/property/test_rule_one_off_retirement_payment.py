"""Laws of one_off_retirement_payment (一次性退役金), over generated veterans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from veteran_affairs.models import (
    Award,
    AwardKind,
    DischargeMode,
    NcoRank,
    PersonnelType,
    Sanction,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.one_off_retirement_payment import counted_months
from veteran_affairs.testing import strategies as vst

RULE = "one_off_retirement_payment"
STANDARD = "one_off_retirement_payment.annual_standard"
ROUND = "one_off_retirement_payment.round_part_years"
BONUS = "one_off_retirement_payment.award_bonus_rate"
# Test inputs, not law: the national standard and Guangxi's supplement are not confirmed.
NATIONAL = RuleBook.load("national").with_parameters({STANDARD: "5000"})
GUANGXI = RuleBook.load("guangxi").with_parameters(
    {
        STANDARD: "5000",
        "one_off_retirement_payment.local_supplement": {
            "per_service_year": "1000",
            "fixed": "2000",
        },
    }
)
# The Guangxi book with the national standard but no supplement figure (none is bundled).
GUANGXI_NO_SUPPLEMENT = RuleBook.load("guangxi").with_parameters({STANDARD: "5000"})
LOCAL = "one_off_retirement_payment.local_supplement"
FIRST_DAY = dt.date(2011, 11, 1)  # 《退役士兵安置条例》(2011) in force
SWITCH = dt.date(2024, 9, 1)  # 《退役军人安置条例》(2024) in force
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)

# Every parameter is known for discharges from 2011-11-01 to today (with the test standard).
discharge_dates = st.dates(min_value=FIRST_DAY, max_value=TODAY)
evaluation_dates = st.dates(min_value=FIRST_DAY, max_value=dt.date(2035, 12, 31))
people = vst.persons(
    resident_ids=vst.resident_ids(
        birth_dates=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(1990, 12, 31))
    )
)
# Mostly self-employed: the interesting case; the others and an unrecorded mode sometimes.
modes_by_type = {
    kind: st.sampled_from(
        (DischargeMode.SELF_EMPLOYMENT,) * 4
        + tuple(sorted(ALLOWED_DISCHARGE_MODES[kind] - {DischargeMode.SELF_EMPLOYMENT}, key=str))
        + (None,)
    )
    for kind in PersonnelType
}


@st.composite
def service_ending(draw: st.DrawFn, discharged_on: dt.date) -> ServiceRecord:
    """A service record ending on ``discharged_on``, 1 day to 16 years long, with awards."""
    kind = draw(st.sampled_from(tuple(PersonnelType)))
    mode = draw(modes_by_type[kind])
    if mode is DischargeMode.SELF_EMPLOYMENT and kind is PersonnelType.OFFICER:
        mode = None
    enlisted_on = discharged_on - dt.timedelta(days=draw(st.integers(1, 16 * 366)))
    awards = draw(
        st.lists(
            vst.awards(awarded_on=st.dates(min_value=enlisted_on, max_value=discharged_on)),
            max_size=3,
        )
    )
    return ServiceRecord(
        enlisted_on=enlisted_on,
        discharged_on=discharged_on,
        personnel_type=kind,
        nco_rank=draw(st.sampled_from(tuple(NcoRank))) if kind is PersonnelType.NCO else None,
        discharge_mode=mode,
        awards=tuple(awards),
    )


@st.composite
def veterans(
    draw: st.DrawFn, discharged_on: st.SearchStrategy[dt.date] = discharge_dates
) -> Veteran:
    """Veterans discharged on a date where every parameter is known, some dead or sanctioned."""
    person = draw(people)
    service = draw(service_ending(draw(discharged_on)))
    sanctions = draw(
        st.lists(
            vst.sanctions(since=st.dates(min_value=person.birth_date + DAY, max_value=TODAY)),
            max_size=2,
        )
    )
    if person.died_on is not None and person.died_on < service.discharged_on:  # type: ignore[operator]
        person = attrs.evolve(person, died_on=service.discharged_on)  # died after discharge
    return Veteran(person=person, service=service, sanctions=tuple(sanctions))


def self_employed(veteran: Veteran) -> Veteran:
    """The same veteran, an NCO or conscript settled by self-employment, alive, unsanctioned."""
    kind = veteran.service.personnel_type
    service = attrs.evolve(
        veteran.service,
        personnel_type=PersonnelType.CONSCRIPT if kind is PersonnelType.OFFICER else kind,
        discharge_mode=DischargeMode.SELF_EMPLOYMENT,
    )
    return attrs.evolve(
        veteran,
        person=attrs.evolve(veteran.person, died_on=None),
        service=service,
        sanctions=(),
    )


@given(veterans(), evaluation_dates, st.sampled_from((NATIONAL, GUANGXI, GUANGXI_NO_SUPPLEMENT)))
def test_decisions_never_raise_and_pay_only_when_eligible(
    veteran: Veteran, on: dt.date, book: RuleBook
) -> None:
    decision = book.evaluate(RULE, veteran, on=on)

    if decision.eligible is True:
        assert decision.amount is not None
        assert decision.amount == sum(c.amount for c in decision.components)
        assert decision.amount > 0
    else:
        assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


@given(veterans(), evaluation_dates)
def test_eligibility_is_unknown_exactly_when_an_input_is_missing(
    veteran: Veteran, on: dt.date
) -> None:
    decision = NATIONAL.evaluate(RULE, veteran, on=on)

    assert (decision.eligible is None) == bool(decision.missing)


@given(veterans(), evaluation_dates)
def test_an_unknown_local_supplement_changes_nothing_but_is_named_missing_when_eligible(
    veteran: Veteran, on: dt.date
) -> None:
    national = NATIONAL.evaluate(RULE, veteran, on=on)
    guangxi = GUANGXI_NO_SUPPLEMENT.evaluate(RULE, veteran, on=on)

    named = (f"parameter {LOCAL}",) if national.eligible else ()
    assert (national.eligible, national.amount, national.components, national.missing + named) == (
        guangxi.eligible,
        guangxi.amount,
        guangxi.components,
        guangxi.missing,
    )


@given(veterans(), evaluation_dates)
def test_a_known_local_supplement_only_adds_its_own_component(
    veteran: Veteran, on: dt.date
) -> None:
    national = NATIONAL.evaluate(RULE, veteran, on=on)
    guangxi = GUANGXI.evaluate(RULE, veteran, on=on)

    assert (national.eligible, national.missing) == (guangxi.eligible, guangxi.missing)
    if guangxi.eligible:
        assert national.amount is not None
        assert guangxi.amount is not None
        (supplement,) = [c for c in guangxi.components if c.name == "local_supplement"]
        assert national.components == tuple(c for c in guangxi.components if c is not supplement)
        assert national.amount + supplement.amount == guangxi.amount


@given(veterans(), evaluation_dates)
def test_only_self_employed_ncos_and_conscripts_are_paid(veteran: Veteran, on: dt.date) -> None:
    decision = NATIONAL.evaluate(RULE, veteran, on=on)

    if decision.eligible:
        assert veteran.service.discharge_mode is DischargeMode.SELF_EMPLOYMENT
        assert veteran.service.personnel_type is not PersonnelType.OFFICER
        assert veteran.service.discharged_on is not None
        assert on >= veteran.service.discharged_on


@given(veterans(), evaluation_dates, evaluation_dates)
def test_any_date_on_or_after_discharge_gives_the_same_payment(
    veteran: Veteran, first: dt.date, second: dt.date
) -> None:
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    first, second = max(first, discharged_on), max(second, discharged_on)
    a = NATIONAL.evaluate(RULE, self_employed(veteran), on=first)
    b = NATIONAL.evaluate(RULE, self_employed(veteran), on=second)

    assert (a.eligible, a.amount, a.components) == (b.eligible, b.amount, b.components)


@given(veterans(), st.integers(1, 3 * 366))
def test_longer_service_never_pays_less(veteran: Veteran, extra_days: int) -> None:
    subject = self_employed(veteran)
    service = subject.service
    longer = attrs.evolve(
        subject,
        service=attrs.evolve(service, enlisted_on=service.enlisted_on - dt.timedelta(extra_days)),
    )
    assume(longer.service.enlisted_on > longer.person.birth_date)
    on = TODAY

    short = NATIONAL.evaluate(RULE, subject, on=on)
    long = NATIONAL.evaluate(RULE, longer, on=on)

    assert short.amount is not None
    assert long.amount is not None
    assert long.amount >= short.amount


@given(veterans(), st.decimals(min_value=1, max_value=100000, places=2), st.integers(1, 1000))
def test_a_higher_standard_never_pays_less(
    veteran: Veteran, standard: Decimal, raise_by: int
) -> None:
    subject = self_employed(veteran)
    low = NATIONAL.with_parameters({STANDARD: standard})
    high = NATIONAL.with_parameters({STANDARD: standard + raise_by})

    for change in high.compare(low, [subject], on=TODAY, rules=[RULE]):
        assert change.amount_delta is not None
        assert change.amount_delta >= 0


@given(veterans(), st.sampled_from(tuple(AwardKind)))
def test_an_extra_award_never_lowers_the_payment(veteran: Veteran, kind: AwardKind) -> None:
    subject = self_employed(veteran)
    service = subject.service
    assert service.discharged_on is not None
    award = Award(kind=kind, awarded_on=service.discharged_on)
    more = attrs.evolve(subject, service=attrs.evolve(service, awards=(*service.awards, award)))

    before = NATIONAL.evaluate(RULE, subject, on=TODAY)
    after = NATIONAL.evaluate(RULE, more, on=TODAY)

    assert before.amount is not None
    assert after.amount is not None
    assert after.amount >= before.amount
    # Never more than the highest rate of the regime: awards do not add up.
    assert after.amount <= before.amount + before.components[0].amount * Decimal("0.25") + 1


@given(veterans(), st.sampled_from((FIRST_DAY, SWITCH)))
def test_the_regime_switches_exactly_on_the_effective_discharge_date(
    veteran: Veteran, effective: dt.date
) -> None:
    subject = self_employed(veteran)
    assert subject.service.discharged_on is not None
    length = subject.service.discharged_on - subject.service.enlisted_on

    def discharged(on: dt.date) -> Veteran:
        awards = tuple(attrs.evolve(a, awarded_on=on) for a in subject.service.awards)
        service = attrs.evolve(
            subject.service, enlisted_on=on - length, discharged_on=on, awards=awards
        )
        return attrs.evolve(subject, service=service)

    on_the_day = NATIONAL.evaluate(RULE, discharged(effective), on=TODAY)
    versions = {u.key: u.effective_from for u in on_the_day.parameters}
    assert effective == versions[ROUND]
    if BONUS in versions:
        assert effective == versions[BONUS]
    day_before = NATIONAL.evaluate(RULE, discharged(effective - DAY), on=TODAY)
    if effective == FIRST_DAY:  # the day before lies outside the modelled regimes
        assert (False, ()) == (day_before.eligible, day_before.parameters)
        assert (True, True) == (on_the_day.eligible, day_before.eligible is False)
        return
    before = {u.key: u.effective_from for u in day_before.parameters}
    assert FIRST_DAY == before[ROUND]
    if BONUS in before:
        assert FIRST_DAY == before[BONUS]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY), st.integers(1, 20 * 366))
def test_part_years_round_to_half_or_whole_and_exact_months_never_count_more(
    discharged_on: dt.date, days: int
) -> None:
    enlisted_on = discharged_on - dt.timedelta(days=days)

    rounded = counted_months(enlisted_on, discharged_on, round_part_years=True)
    exact = counted_months(enlisted_on, discharged_on, round_part_years=False)

    span = relativedelta(discharged_on, enlisted_on)
    whole = 12 * span.years + span.months
    assert 0 == rounded % 6
    assert whole + (1 if span.days else 0) == exact
    assert whole <= exact <= rounded < whole + 7


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY),
    st.integers(1, 20 * 366),
    st.integers(1, 400),
    st.booleans(),
)
def test_counted_service_grows_with_the_discharge_date(
    enlisted_on: dt.date, days: int, more: int, rounded: bool
) -> None:
    shorter = counted_months(
        enlisted_on, enlisted_on + dt.timedelta(days), round_part_years=rounded
    )
    longer = counted_months(
        enlisted_on, enlisted_on + dt.timedelta(days + more), round_part_years=rounded
    )

    assert longer >= shorter


@given(veterans(), evaluation_dates)
def test_a_self_employed_discharge_always_carries_the_30_day_deadline(
    veteran: Veteran, on: dt.date
) -> None:
    decision = NATIONAL.evaluate(RULE, veteran, on=on)
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None

    expected = (
        [discharged_on + dt.timedelta(days=30)]
        if veteran.service.discharge_mode is DischargeMode.SELF_EMPLOYMENT
        else []
    )
    assert expected == [d.due for d in decision.deadlines]


@given(veterans(), st.lists(vst.sanctions(), max_size=2))
def test_sanctions_dated_after_discharge_change_nothing(
    veteran: Veteran, sanctions: list[Sanction]
) -> None:
    subject = self_employed(veteran)
    discharged_on = subject.service.discharged_on
    assert discharged_on is not None
    after = tuple(s for s in sanctions if s.since > discharged_on)

    plain = NATIONAL.evaluate(RULE, subject, on=TODAY)
    sanctioned = NATIONAL.evaluate(RULE, attrs.evolve(subject, sanctions=after), on=TODAY)

    assert (plain.eligible, plain.amount) == (sanctioned.eligible, sanctioned.amount)


@given(
    veterans(st.dates(min_value=dt.date(2007, 1, 1), max_value=FIRST_DAY - DAY)), evaluation_dates
)
def test_discharges_before_2011_11_01_are_not_paid_under_these_regulations(
    veteran: Veteran, on: dt.date
) -> None:
    decision = RuleBook.load("national").evaluate(RULE, veteran, on=on)

    assert (False, (), (), ()) == (
        decision.eligible,
        decision.parameters,
        decision.missing,
        decision.deadlines,
    )
