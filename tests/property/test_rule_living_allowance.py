"""Laws of living_allowance (定期生活补助), over generated veterans and survivors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs import errors
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    NcoRank,
    PersonnelType,
    Relation,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.money import round_fen
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.living_allowance import service_years
from veteran_affairs.testing import strategies as vst

RULE = "living_allowance"
STANDARD = "living_allowance.monthly_standard"
RATE = "living_allowance.rural_over_60_rate"
DAY = dt.timedelta(days=1)
# The 在乡复员军人 standard is not bundled: these are test inputs, not law.
BOOK = RuleBook.load("national").with_parameters(
    {
        "living_allowance.demobilised_monthly_standard": {
            "anti-japanese-war": "1100",
            "liberation-war": "1050",
            "post-1949": "1000",
        }
    }
)
# Every bundled figure this rule needs is known from 2018-08-01 to the confirmed limit.
KNOWN = st.dates(min_value=dt.date(2018, 8, 1), max_value=dt.date(2020, 7, 31))
VETERAN_GROUPS = (
    EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
    EntitlementCategory.DISCHARGED_WITH_ILLNESS,
    EntitlementCategory.COMBAT_OR_TEST_VETERAN,
    EntitlementCategory.RURAL_VETERAN_OVER_60,
)
RURAL_ENLISTED = (dt.date(1954, 11, 1), dt.date(2011, 10, 31))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@st.composite
def allowance_veterans(draw: st.DrawFn) -> Veteran:
    """Generated veterans who also hold some living-allowance statuses from a drawn day."""
    veteran = draw(vst.veterans())
    chosen = draw(st.sets(st.sampled_from(VETERAN_GROUPS)))
    born = veteran.person.birth_date
    since = draw(st.dates(min_value=born, max_value=max(born, dt.date(2020, 7, 31))))
    extra = tuple(EntitlementStatus(category=c, since=since) for c in VETERAN_GROUPS if c in chosen)
    return attrs.evolve(veteran, statuses=veteran.statuses + extra)


@st.composite
def allowance_survivors(draw: st.DrawFn) -> Survivor:
    """Generated survivors, some holding the 烈士老年子女 status whatever their relation."""
    survivor = draw(vst.survivors())
    if not draw(st.booleans()):
        return survivor
    born = survivor.person.birth_date
    since = draw(st.dates(min_value=born, max_value=max(born, dt.date(2020, 7, 31))))
    status = EntitlementStatus(category=EntitlementCategory.ELDERLY_MARTYR_CHILD, since=since)
    return attrs.evolve(survivor, statuses=(*survivor.statuses, status))


@st.composite
def martyr_children(draw: st.DrawFn) -> Survivor:
    """Children of martyrs, most of them old enough, holding the 烈士老年子女 status."""
    people = vst.persons(
        resident_ids=vst.resident_ids(
            birth_dates=st.dates(min_value=dt.date(1925, 1, 1), max_value=dt.date(1962, 12, 31))
        )
    )
    survivor = draw(
        vst.survivors(
            persons=people,
            relations=st.just(Relation.CHILD),
            death_categories=st.just(DeathCategory.MARTYR),
        )
    )
    status = EntitlementStatus(
        category=EntitlementCategory.ELDERLY_MARTYR_CHILD, since=survivor.person.birth_date
    )
    return attrs.evolve(survivor, statuses=(*survivor.statuses, status))


@st.composite
def rural_soldiers(
    draw: st.DrawFn, born: st.SearchStrategy[dt.date] | None = None, *, varied: bool = False
) -> Veteran:
    """Rural conscripts enlisted 1954-11-01 … 2011-10-31, drawing no other state payment.

    With ``varied``, the personnel type, the hukou type and the other-payment fact are drawn
    too (the fact may be unknown).
    """
    births = (
        born
        if born is not None
        else st.dates(min_value=dt.date(1935, 1, 1), max_value=dt.date(1960, 7, 31))
    )
    person = draw(
        vst.persons(
            resident_ids=vst.resident_ids(birth_dates=births),
            hukou_types=st.sampled_from(tuple(HukouType)) if varied else st.just(HukouType.RURAL),
            alive=True,
        )
    )
    first = max(add_years(person.birth_date, 17), RURAL_ENLISTED[0])
    last = min(add_years(person.birth_date, 30), RURAL_ENLISTED[1])
    enlisted = draw(st.dates(min_value=first, max_value=last))
    length = draw(st.integers(min_value=1, max_value=5 * 366))
    kind = draw(st.sampled_from(tuple(PersonnelType))) if varied else PersonnelType.CONSCRIPT
    other = draw(st.sampled_from((None, True, False))) if varied else False
    return Veteran(
        person=person,
        service=ServiceRecord(
            enlisted_on=enlisted,
            discharged_on=enlisted + dt.timedelta(days=length),
            personnel_type=kind,
            nco_rank=NcoRank.JUNIOR if kind is PersonnelType.NCO else None,
        ),
        statuses=(
            EntitlementStatus(
                category=EntitlementCategory.RURAL_VETERAN_OVER_60, since=dt.date(2011, 8, 1)
            ),
        ),
        circumstances=Circumstances(other_periodic_state_payment=other),
    )


subjects = st.one_of(
    allowance_veterans(), allowance_survivors(), martyr_children(), rural_soldiers(varied=True)
)


@given(subjects, KNOWN)
def test_no_amount_unless_eligible_and_the_amount_is_twelve_months_of_the_components(
    subject: Veteran | Survivor, on: dt.date
) -> None:
    decision = BOOK.evaluate(RULE, subject, on=on)

    if decision.eligible is True:
        assert decision.monthly is not None
        assert sum(c.amount for c in decision.components) == decision.monthly
        assert decision.monthly * 12 == decision.amount
        assert decision.monthly > 0
    else:
        assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


@given(subjects, KNOWN)
def test_undetermined_exactly_when_an_input_is_missing(
    subject: Veteran | Survivor, on: dt.date
) -> None:
    decision = BOOK.evaluate(RULE, subject, on=on)

    assert (decision.eligible is None) == bool(decision.missing)


@given(subjects, KNOWN)
def test_only_a_held_status_can_pay(subject: Veteran | Survivor, on: dt.date) -> None:
    decision = BOOK.evaluate(RULE, subject, on=on)
    held = {c.value.replace("-", "_") for c in subject.categories_on(on)}

    assert {c.name for c in decision.components} <= held
    if not subject.person.alive_on(on):
        assert decision.eligible is False


@given(allowance_survivors(), KNOWN)
def test_only_martyrs_children_aged_60_are_paid_as_survivors(
    survivor: Survivor, on: dt.date
) -> None:
    decision = BOOK.evaluate(RULE, survivor, on=on)

    if decision.eligible:
        assert survivor.relation.value == "child"
        assert survivor.death_category.value == "martyr"
        assert survivor.person.age_on(on) >= 60


@given(allowance_veterans(), KNOWN)
def test_the_rural_allowance_is_never_paid_beside_another(veteran: Veteran, on: dt.date) -> None:
    decision = BOOK.evaluate(RULE, veteran, on=on)
    names = {c.name for c in decision.components}

    if "rural_veteran_over_60" in names:
        assert {"rural_veteran_over_60"} == names


@given(rural_soldiers(), KNOWN)
def test_the_rural_allowance_is_the_rate_times_whole_years(veteran: Veteran, on: dt.date) -> None:
    decision = BOOK.evaluate(RULE, veteran, on=on)
    service = veteran.service
    assert service.discharged_on is not None

    if decision.eligible:
        [rate] = [u.value for u in decision.parameters if u.key == RATE]
        years = service_years(service.enlisted_on, service.discharged_on)
        assert round_fen(rate * years) == decision.monthly
    else:
        assert veteran.person.age_on(on) < 60


@given(rural_soldiers(), KNOWN, st.integers(min_value=1, max_value=3 * 366))
def test_longer_service_never_pays_less(veteran: Veteran, on: dt.date, extra_days: int) -> None:
    service = veteran.service
    assert service.discharged_on is not None
    longer = attrs.evolve(
        veteran,
        service=attrs.evolve(
            service, discharged_on=service.discharged_on + dt.timedelta(days=extra_days)
        ),
    )

    shorter_decision = BOOK.evaluate(RULE, veteran, on=on)
    longer_decision = BOOK.evaluate(RULE, longer, on=on)

    assert shorter_decision.eligible == longer_decision.eligible
    if shorter_decision.monthly is not None and longer_decision.monthly is not None:
        assert longer_decision.monthly >= shorter_decision.monthly


@given(rural_soldiers(born=st.dates(min_value=dt.date(1958, 8, 1), max_value=dt.date(1960, 7, 31))))
def test_the_rural_allowance_starts_on_the_60th_birthday(veteran: Veteran) -> None:
    birthday = add_years(veteran.person.birth_date, 60)

    day_before = BOOK.evaluate(RULE, veteran, on=birthday - DAY)
    on_the_day = BOOK.evaluate(RULE, veteran, on=birthday)

    assert (False, True) == (day_before.eligible, on_the_day.eligible)


def _standard_uses(subject: Veteran | Survivor, on: dt.date) -> list[dt.date]:
    decision = BOOK.evaluate(RULE, subject, on=on)
    return [u.effective_from for u in decision.parameters if u.key in (STANDARD, RATE)]


@given(subjects)
def test_the_2019_standards_apply_from_2019_08_01_exactly(subject: Veteran | Survivor) -> None:
    switch = dt.date(2019, 8, 1)

    before = _standard_uses(subject, switch - DAY)
    after = _standard_uses(subject, switch)

    assert all(start == dt.date(2018, 8, 1) for start in before)
    assert all(start == switch for start in after)


@given(rural_soldiers())
def test_the_2018_rate_applies_from_2018_08_01_and_the_gap_before_is_unknown(
    veteran: Veteran,
) -> None:
    switch = dt.date(2018, 8, 1)

    try:
        before = BOOK.evaluate(RULE, veteran, on=switch - DAY)
    except errors.ParameterMissing:
        pass  # due on the day before: the rate between 2012-10-01 and 2018-07-31 is unknown
    else:
        assert before.eligible is False
    assert all(start == switch for start in _standard_uses(veteran, switch))


@pytest.fixture(scope="module")
def highest_only(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    path: Path = tmp_path_factory.mktemp("policy") / "highest.toml"
    path.write_text(
        '[[parameter]]\nkey = "living_allowance.groups_add_up"\nlabel_zh = "就高"\n'
        'label_en = "highest only"\nunit = "flag"\n  [[parameter.version]]\n  value = "0"\n'
        '  citation = "test policy (测试用)"\n',
        "utf-8",
    )
    return BOOK.with_parameters(path)


@given(allowance_veterans(), KNOWN)
def test_paying_only_the_highest_never_pays_more_and_pays_the_largest_component(
    highest_only: RuleBook, veteran: Veteran, on: dt.date
) -> None:
    added = BOOK.evaluate(RULE, veteran, on=on)
    highest = highest_only.evaluate(RULE, veteran, on=on)

    assert added.eligible == highest.eligible
    if added.monthly is not None and highest.monthly is not None:
        assert highest.monthly <= added.monthly
        assert max(c.amount for c in added.components) == highest.monthly


@given(st.lists(subjects, max_size=4), KNOWN)
def test_comparing_a_book_with_itself_changes_nothing(
    people: list[Veteran | Survivor], on: dt.date
) -> None:
    assert [] == list(BOOK.compare(BOOK, people, on=on, rules=[RULE]))


@given(subjects, KNOWN, st.decimals(min_value=1, max_value=5, places=2))
def test_raising_the_standards_never_lowers_an_allowance(
    subject: Veteran | Survivor, on: dt.date, factor: Decimal
) -> None:
    versions = BOOK.parameters[STANDARD].versions
    raised = BOOK.with_parameters(
        {
            STANDARD: [
                {
                    "effective_from": v.effective_from,
                    "value": {k: round_fen(c * factor) for k, c in v.value.items()},  # type: ignore[union-attr,operator]
                    "citation": "raised (test input)",
                }
                for v in versions
            ]
        }
    )

    for change in raised.compare(BOOK, [subject], on=on, rules=[RULE]):
        assert change.amount_delta is not None
        assert change.amount_delta >= 0


ANNUAL_RATE = "living_allowance.rural_over_60_annual_rate"
PER_YEAR_FROM = dt.date(2023, 8, 1)  # the first version of the per-year rate
# Inside the confirmed window of the per-year rate.
PER_YEAR = st.dates(min_value=PER_YEAR_FROM, max_value=dt.date(2025, 7, 31))


@given(rural_soldiers(), PER_YEAR)
def test_from_2023_08_01_the_rural_allowance_is_a_twelfth_of_the_annual_rate_times_years(
    veteran: Veteran, on: dt.date
) -> None:
    decision = BOOK.evaluate(RULE, veteran, on=on)
    service = veteran.service
    assert service.discharged_on is not None

    if decision.eligible:
        [rate] = [u.value for u in decision.parameters if u.key == ANNUAL_RATE]
        years = service_years(service.enlisted_on, service.discharged_on)
        assert round_fen(rate * years / 12) == decision.monthly
        assert RATE not in {u.key for u in decision.parameters}
    else:
        assert veteran.person.age_on(on) < 60


@given(rural_soldiers(born=st.dates(min_value=dt.date(1925, 1, 1), max_value=dt.date(1962, 7, 31))))
def test_the_per_year_statement_takes_over_exactly_on_2023_08_01(veteran: Veteran) -> None:
    before = BOOK.evaluate(RULE, veteran, on=PER_YEAR_FROM - DAY)
    on_the_day = BOOK.evaluate(RULE, veteran, on=PER_YEAR_FROM)

    assert [RATE] == [u.key for u in before.parameters if "rural" in u.key]
    assert [ANNUAL_RATE] == [u.key for u in on_the_day.parameters if "rural" in u.key]
