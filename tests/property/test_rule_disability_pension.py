"""Laws of disability_pension and of the rule book, over generated veterans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.models import Disability, DisabilityNature, PersonnelType, Veteran
from veteran_affairs.money import round_fen
from veteran_affairs.parameters import ParameterValue
from veteran_affairs.rules import ParameterVersion, RuleBook
from veteran_affairs.testing import strategies as vst

NATIONAL = RuleBook.load("national")
STANDARD = NATIONAL.parameters["disability_pension.annual_standard"]
# Every cell of the table is known on these dates: the 2020-08-01 table, in force until the
# 2021 table replaces it.
FULL_TABLE = st.dates(min_value=dt.date(2020, 8, 1), max_value=dt.date(2021, 7, 31))
disabled_veterans = vst.veterans(disabled=True)


def with_grade(veteran: Veteran, grade: int) -> Veteran:
    assert veteran.disability is not None
    return attrs.evolve(veteran, disability=attrs.evolve(veteran.disability, grade=grade))


@given(disabled_veterans, FULL_TABLE)
def test_no_amount_unless_eligible_and_monthly_is_a_twelfth(veteran: Veteran, on: dt.date) -> None:
    decision = NATIONAL.evaluate("disability_pension", veteran, on=on)

    if decision.eligible is True:
        assert decision.amount is not None
        assert round_fen(decision.amount / 12) == decision.monthly
    else:
        assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


@given(disabled_veterans, FULL_TABLE, st.integers(1, 9))
def test_a_more_severe_grade_never_pays_less(veteran: Veteran, on: dt.date, grade: int) -> None:
    assert veteran.disability is not None
    if veteran.disability.nature is DisabilityNature.ILLNESS and grade >= 6:
        grade = 5
    severe = NATIONAL.evaluate("disability_pension", with_grade(veteran, grade), on=on)
    milder = NATIONAL.evaluate("disability_pension", with_grade(veteran, grade + 1), on=on)

    if severe.eligible and milder.eligible:
        assert severe.amount is not None
        assert milder.amount is not None
        assert severe.amount >= milder.amount


@given(
    vst.veterans(personnel_types=st.just(PersonnelType.CONSCRIPT)),
    st.sampled_from(STANDARD.versions[1:]),
)
def test_the_version_switches_exactly_on_its_effective_date(
    veteran: Veteran, version: ParameterVersion
) -> None:
    start = version.effective_from
    subject = attrs.evolve(
        veteran,
        person=attrs.evolve(veteran.person, died_on=None),
        disability=Disability(
            grade=1,
            nature=DisabilityNature.IN_COMBAT,
            assessed_on=max(veteran.service.enlisted_on, dt.date(1950, 1, 1)),
        ),
        sanctions=(),
    )
    if subject.disability is not None and subject.disability.assessed_on >= dt.date(2015, 9, 1):
        return  # assessed too late to be paid on the first switch dates

    day_before = NATIONAL.evaluate("disability_pension", subject, on=start - dt.timedelta(days=1))
    on_the_day = NATIONAL.evaluate("disability_pension", subject, on=start)

    previous = STANDARD.versions[STANDARD.versions.index(version) - 1].effective_from
    assert [previous] == [u.effective_from for u in day_before.parameters if u.key == STANDARD.key]
    assert [start] == [u.effective_from for u in on_the_day.parameters if u.key == STANDARD.key]


@given(st.lists(disabled_veterans, max_size=4), FULL_TABLE)
def test_comparing_a_book_with_itself_changes_nothing(people: list[Veteran], on: dt.date) -> None:
    assert [] == list(NATIONAL.compare(NATIONAL, people, on=on, rules=["disability_pension"]))


def scaled(value: ParameterValue, factor: Decimal) -> ParameterValue:
    """Every cell of a parameter table multiplied by ``factor`` and rounded to the fen."""
    if isinstance(value, Decimal):
        return round_fen(value * factor)
    return {key: scaled(cell, factor) for key, cell in value.items()}


@given(disabled_veterans, FULL_TABLE, st.decimals(min_value=1, max_value=10, places=2))
def test_raising_the_whole_table_never_lowers_a_pension(
    veteran: Veteran, on: dt.date, factor: Decimal
) -> None:
    raised = NATIONAL.with_parameters(
        {"disability_pension.annual_standard": scaled(STANDARD.version_on(on).value, factor)}
    )

    for change in raised.compare(NATIONAL, [veteran], on=on, rules=["disability_pension"]):
        assert change.amount_delta is not None
        assert change.amount_delta >= 0
