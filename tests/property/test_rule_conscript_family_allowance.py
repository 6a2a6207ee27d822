"""Laws of conscript_family_allowance (义务兵家庭优待金), over generated serving members."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import PersonnelType, ServingMember
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.testing import strategies as vst

RULE = "conscript_family_allowance"
AMOUNT = "conscript_family_allowance.annual_amount"
# Test inputs, not law: no standard is national or bundled.
NATIONAL = RuleBook.load("national")
DAY = dt.timedelta(days=1)
LAW_2021 = dt.date(2021, 10, 1)  # 《兵役法》(2021) in force
REGULATION_2024 = dt.date(2024, 10, 1)  # 《军人抚恤优待条例》(2024) in force

members = vst.serving_members()
conscripts = vst.serving_members(personnel_types=st.just(PersonnelType.CONSCRIPT))
others = vst.serving_members(
    personnel_types=st.sampled_from((PersonnelType.NCO, PersonnelType.OFFICER))
)
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))
standards = st.decimals(min_value=0, max_value=100_000, places=2)
prorate = st.booleans()


def book(standard: Decimal) -> RuleBook:
    return NATIONAL.with_parameters({AMOUNT: standard})


def table_book(member: ServingMember, standard: Decimal) -> RuleBook:
    county = member.enlisted_from.truncate(DivisionLevel.COUNTY)
    return NATIONAL.with_parameters({AMOUNT: {county.value: standard}})


def decide(member: ServingMember, on: dt.date, rules: RuleBook) -> Decision:
    return rules.evaluate(RULE, member, on=on)


def county_in(decision: Decision) -> DivisionCode:
    (reason,) = [r for r in decision.reasons if r.code == "paying_county"]
    return DivisionCode(re.findall(r"\d{12}", reason.message_en)[0])


def citations(decision: Decision) -> dict[str, str | None]:
    return {r.code: None if r.citation is None else str(r.citation) for r in decision.reasons}


@given(members, dates, standards)
def test_there_is_no_amount_unless_eligible(
    member: ServingMember, on: dt.date, standard: Decimal
) -> None:
    decision = decide(member, on, book(standard))

    assert (decision.eligible is True) == (decision.amount is not None)


@given(others, dates)
def test_an_nco_or_officer_never_qualifies_and_needs_no_standard(
    member: ServingMember, on: dt.date
) -> None:
    decision = decide(member, on, NATIONAL)  # no standard supplied: must not be looked up

    assert (False, None, ()) == (decision.eligible, decision.amount, decision.parameters)


@given(conscripts, dates, standards)
def test_a_living_conscript_enlisted_by_the_date_qualifies(
    member: ServingMember, on: dt.date, standard: Decimal
) -> None:
    decision = decide(member, on, book(standard))

    expected = member.service.enlisted_on <= on and member.person.alive_on(on)
    assert expected == decision.eligible


@given(members, dates, standards)
def test_the_paying_county_contains_the_unit_of_enlistment(
    member: ServingMember, on: dt.date, standard: Decimal
) -> None:
    decision = decide(member, on, table_book(member, standard))

    county = county_in(decision)
    assert (True, True) == (
        county.contains(member.enlisted_from),
        county.level <= DivisionLevel.COUNTY,
    )
    for use in decision.parameters:
        if use.key == "conscript_family_allowance.annual_amount":
            assert DivisionCode(use.path[0]).contains(member.enlisted_from)


@given(conscripts, dates, standards, standards)
def test_raising_the_standard_never_lowers_the_amount(
    member: ServingMember, on: dt.date, one: Decimal, two: Decimal
) -> None:
    low, high = sorted((one, two))

    before = decide(member, on, book(low))
    after = decide(member, on, book(high))

    assert before.eligible == after.eligible
    if before.amount is not None and after.amount is not None:
        assert before.amount <= after.amount


@given(conscripts, st.sampled_from((LAW_2021, REGULATION_2024)), standards)
def test_a_citation_switch_changes_the_citation_not_the_outcome(
    member: ServingMember, switch: dt.date, standard: Decimal
) -> None:
    member = attrs.evolve(
        member,
        service=attrs.evolve(
            member.service, enlisted_on=min(member.service.enlisted_on, switch - DAY)
        ),
        person=attrs.evolve(member.person, died_on=None),
    )
    rules = book(standard)

    before = decide(member, switch - DAY, rules)
    after = decide(member, switch, rules)

    assert (before.eligible, before.amount) == (after.eligible, after.amount)
    assert citations(before) != citations(after)
    if switch == REGULATION_2024:
        expected = ("第三十三条", "第四十二条")
        code = "service.personnel_type"
    else:
        expected = ("第三十三条", "第五十条")
        code = "standard"
    assert expected == tuple(
        next(r.citation.article for r in d.reasons if r.code == code and r.citation)
        for d in (before, after)
    )


@given(members, dates, standards)
def test_eligibility_is_undetermined_exactly_when_an_input_is_missing(
    member: ServingMember, on: dt.date, standard: Decimal
) -> None:
    decision = decide(member, on, book(standard))

    assert (decision.eligible is None) == bool(decision.missing)
