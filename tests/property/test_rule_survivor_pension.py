"""Laws of survivor_pension (三属定期抚恤金) that hold for every survivor and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    EntitlementStatus,
    HukouType,
    Person,
    Relation,
    Survivor,
)
from veteran_affairs.rules import Decision, ParameterVersion, RuleBook
from veteran_affairs.testing import strategies as vas

D = dt.date
DAY = dt.timedelta(days=1)
NATIONAL = RuleBook.load("national")
STANDARD = "survivor_pension.annual_standard"
VERSIONS = NATIONAL.parameters[STANDARD].versions
# Windows where every standard the rule needs is bundled and confirmed (STANDARDS.md §2): from
# 2016-10-01 to 2020-07-31 and from 2021-08-01 to 2023-07-31 (the 2020 amounts are unknown).
ALL_KNOWN = (D(2016, 10, 1), D(2020, 7, 31))
LATER_KNOWN = (D(2021, 8, 1), D(2023, 7, 31))
NEEDY = Circumstances(able_to_work=False, has_means_of_support=False)


def decide(subject: Survivor, on: dt.date, book: RuleBook = NATIONAL) -> Decision:
    return book.evaluate("survivor_pension", subject, on=on)


def known_dates(category: DeathCategory) -> st.SearchStrategy[dt.date]:
    """Dates on which the standard of ``category`` is bundled and confirmed."""
    del category  # since the 2016 unification every category has a standard in each window
    return st.one_of(st.dates(*ALL_KNOWN), st.dates(*LATER_KNOWN))


@st.composite
def any_survivor_and_known_date(draw: st.DrawFn) -> tuple[Survivor, dt.date]:
    subject = draw(vas.survivors())
    return subject, draw(known_dates(subject.death_category))


@st.composite
def needy_parents(
    draw: st.DrawFn, categories: st.SearchStrategy[DeathCategory] | None = None
) -> Survivor:
    """Parents or spouses who meet the conditions, approved by 2016-09-01 and alive."""
    births = st.dates(D(1930, 1, 1), D(1990, 12, 31))
    person = draw(vas.persons(resident_ids=vas.resident_ids(birth_dates=births), alive=True))
    category = draw(st.sampled_from(tuple(DeathCategory)) if categories is None else categories)
    deceased_on = draw(st.dates(person.birth_date, D(2016, 8, 1)))
    since = draw(st.dates(deceased_on, D(2016, 9, 1)))
    return Survivor(
        person=person,
        relation=draw(st.sampled_from((Relation.PARENT, Relation.SPOUSE))),
        death_category=category,
        deceased_on=deceased_on,
        statuses=(EntitlementStatus(category=category.survivor_category, since=since),),
        circumstances=NEEDY,
    )


# --- decisions are total and consistent ---------------------------------------------------------


@given(any_survivor_and_known_date())
def test_a_decision_never_raises_where_the_standards_are_known(
    case: tuple[Survivor, dt.date],
) -> None:
    subject, on = case

    decision = decide(subject, on)

    assert on == decision.on
    assert "survivor_pension" == decision.rule


@given(any_survivor_and_known_date())
def test_no_amount_unless_eligible(case: tuple[Survivor, dt.date]) -> None:
    decision = decide(*case)

    paid = decision.eligible is True
    assert (paid, paid) == (decision.amount is not None, decision.monthly is not None)


@given(any_survivor_and_known_date())
def test_undetermined_exactly_when_an_input_is_missing(case: tuple[Survivor, dt.date]) -> None:
    decision = decide(*case)

    assert (decision.eligible is None) == bool(decision.missing)


@given(any_survivor_and_known_date())
def test_every_missing_input_is_a_circumstance_left_unknown(
    case: tuple[Survivor, dt.date],
) -> None:
    subject, on = case

    decision = decide(subject, on)

    unknown = {
        f"circumstances.{field.name}"
        for field in attrs.fields(Circumstances)
        if getattr(subject.circumstances, field.name) is None
    }
    assert set(decision.missing) <= unknown


@given(any_survivor_and_known_date())
def test_nobody_is_paid_after_their_own_death(case: tuple[Survivor, dt.date]) -> None:
    subject, on = case
    died = subject.person.died_on

    decision = decide(subject, on)

    if died is not None and on > died:
        assert decision.eligible is False


# --- amounts -----------------------------------------------------------------------------------


@given(needy_parents(), st.data())
def test_the_monthly_payment_is_a_twelfth_of_the_standard_to_the_fen(
    subject: Survivor, data: st.DataObject
) -> None:
    on = data.draw(known_dates(subject.death_category))

    decision = decide(subject, on)

    assert decision.amount is not None
    assert decision.monthly is not None
    assert abs(decision.monthly * 12 - decision.amount) <= Decimal("0.06")
    assert decision.monthly == decision.monthly.quantize(Decimal("0.01"))


@given(needy_parents(), st.data())
def test_the_standard_never_falls_over_time(subject: Survivor, data: st.DataObject) -> None:
    dates = known_dates(subject.death_category)
    first, second = sorted((data.draw(dates), data.draw(dates)))

    earlier, later = decide(subject, first), decide(subject, second)

    assert earlier.amount is not None
    assert later.amount is not None
    assert earlier.amount <= later.amount


@given(st.sampled_from(tuple(DeathCategory)), st.data())
def test_every_eligible_survivor_of_a_category_gets_the_same_standard(
    category: DeathCategory, data: st.DataObject
) -> None:
    same = st.just(category)
    one = data.draw(needy_parents(same))
    other = data.draw(needy_parents(same))
    on = data.draw(known_dates(category))

    assert decide(one, on).amount == decide(other, on).amount


# --- versions switch exactly on their effective dates ---------------------------------------------


def categories(version: ParameterVersion) -> set[str]:
    return set(version.value) if isinstance(version.value, Mapping) else set()


def expected_before(index: int, category: DeathCategory) -> type[Exception] | dt.date:
    """What the day before version ``index`` uses: the previous version, or the error."""
    if index == 0:
        return errors.ParameterNotInForce
    previous = VERSIONS[index - 1]
    day_before = VERSIONS[index].effective_from - DAY
    if previous.known_until is not None and day_before > previous.known_until:
        return errors.ParameterMissing
    if category.value not in categories(previous):
        return errors.ParameterMissing
    return previous.effective_from


def version_used(subject: Survivor, on: dt.date) -> type[Exception] | dt.date:
    try:
        decision = decide(subject, on)
    except errors.ParameterError as error:
        return type(error)
    [use] = [u for u in decision.parameters if u.key == "survivor_pension.annual_standard"]
    return use.effective_from


@given(st.sampled_from(range(len(VERSIONS))), needy_parents())
def test_each_bundled_version_applies_from_its_date_and_not_the_day_before(
    index: int, subject: Survivor
) -> None:
    version: ParameterVersion = VERSIONS[index]
    category = subject.death_category
    day = version.effective_from
    on_the_day = day if category.value in categories(version) else errors.ParameterMissing

    assert (expected_before(index, category), on_the_day) == (
        version_used(subject, day - DAY),
        version_used(subject, day),
    )


@given(
    needy_parents(),
    st.dates(D(2023, 8, 2), D(2035, 12, 31)),
    vas.amounts(min_value="1", max_value="200000", places=0),
)
def test_a_supplied_rise_applies_from_its_date_and_not_the_day_before(
    subject: Survivor, day: dt.date, value: Decimal
) -> None:
    category = subject.death_category.value
    rise = {  # a test input, not law
        "effective_from": day.isoformat(),
        "value": {category: str(value)},
        "citation": {"document": "test input, not law"},
    }
    book = NATIONAL.with_parameters({STANDARD: rise})
    last_known = VERSIONS[-1].cell(STANDARD, (category,), day)

    before, after = decide(subject, day - DAY, book), decide(subject, day, book)

    assert (last_known, value) == (before.amount, after.amount)


# --- the 18th birthday ---------------------------------------------------------------------------


def eighteenth_birthday(born: dt.date) -> dt.date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February: 18 on 1 March
        return D(born.year + 18, 3, 1)


@given(st.dates(D(2000, 8, 2), D(2002, 7, 30)), st.sampled_from((Relation.CHILD, Relation.SIBLING)))
def test_under_18_qualifies_by_age_until_the_18th_birthday(
    born: dt.date, relation: Relation
) -> None:
    body = f"450312{born:%Y%m%d}002"
    facts = Circumstances(supported_by_deceased=True)  # siblings also need the member's support
    subject = Survivor(
        person=Person(
            resident_id=ResidentId(body + check_character(body)),
            name="韦小梅",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
        ),
        relation=relation,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(2010, 5, 1),
        statuses=(
            EntitlementStatus(category=DeathCategory.MARTYR.survivor_category, since=D(2010, 6, 1)),
        ),
        circumstances=facts,
    )
    birthday = eighteenth_birthday(born)

    before, on_the_day = decide(subject, birthday - DAY), decide(subject, birthday)

    assert (True, None) == (before.eligible, on_the_day.eligible)
    assert "circumstances.in_education" in on_the_day.missing


def test_the_windows_used_here_are_the_bundled_ones() -> None:
    parameter = NATIONAL.parameters[STANDARD]

    assert LATER_KNOWN[1] == parameter.confirmed_through
    assert ALL_KNOWN[0] == VERSIONS[0].effective_from
    assert [ALL_KNOWN[1]] == [v.known_until for v in VERSIONS if v.known_until is not None]
    assert LATER_KNOWN[0] == next(
        v.effective_from for v in VERSIONS if v.effective_from.year == 2021
    )
