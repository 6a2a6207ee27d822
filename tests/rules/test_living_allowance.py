"""living_allowance (定期生活补助): scenario table, citations, inputs, sanctions, death."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.rules.builders import resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    Relation,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import Decision, ParameterSet, Period, RuleBook
from veteran_affairs.rules.living_allowance import enlistment_period, service_years

D = dt.date
RULE = "living_allowance"
SCENARIOS = scenarios("living_allowance")
NATIONAL = RuleBook.load("national")
DAY = dt.timedelta(days=1)
VETERAN_BORN = D(1957, 5, 10)
ENLISTED = D(1976, 3, 1)
DISCHARGED = D(1978, 3, 1)  # exactly two years of conscript service
CHILD_BORN = D(1950, 3, 15)
CHILD_STATUS_SINCE = D(2000, 1, 1)

# Test inputs, not law: 2024 standards for dates past the confirmed limit.
STANDARDS_2024 = {
    "living_allowance.monthly_standard": {
        "effective_from": "2024-08-01",
        "value": {
            "discharged-with-illness": "800",
            "combat-or-test-veteran": "850",
            "elderly-martyr-child": "700",
        },
    }
}


def person(
    born: dt.date, *, hukou: str = "rural", died_on: dt.date | None = None, name: str = "韦国强"
) -> Person:
    body = f"450312{born:%Y%m%d}001"
    return Person(
        resident_id=resident_id(body),
        name=name,
        hukou_division=DivisionCode("450312101201"),
        hukou_type=HukouType(hukou),
        died_on=died_on,
    )


def statuses(
    categories: list[str], since: dt.date, until: dt.date | None = None
) -> tuple[EntitlementStatus, ...]:
    return tuple(
        EntitlementStatus(category=EntitlementCategory(c), since=since, until=until)
        for c in categories
    )


def veteran(
    *,
    categories: list[str],
    born: dt.date = VETERAN_BORN,
    hukou: str = "rural",
    enlisted: dt.date = ENLISTED,
    discharged: dt.date = DISCHARGED,
    personnel: str = "conscript",
    combat: bool = False,
    test: bool = False,
    other_payment: bool | None = False,
    graded_on: dt.date | None = None,
    died_on: dt.date | None = None,
    status_since: dt.date | None = None,
    status_until: dt.date | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Veteran:
    kind = PersonnelType(personnel)
    return Veteran(
        person=person(born, hukou=hukou, died_on=died_on),
        service=ServiceRecord(
            enlisted_on=enlisted,
            discharged_on=discharged,
            personnel_type=kind,
            nco_rank=NcoRank.JUNIOR if kind is PersonnelType.NCO else None,
            combat_participant=combat,
            test_participant=test,
        ),
        disability=None
        if graded_on is None
        else Disability(grade=8, nature=DisabilityNature.IN_COMBAT, assessed_on=graded_on),
        statuses=statuses(categories, status_since or discharged + DAY, status_until),
        circumstances=Circumstances(other_periodic_state_payment=other_payment),
        sanctions=sanctions,
    )


def survivor(
    *,
    categories: list[str],
    born: dt.date = CHILD_BORN,
    hukou: str = "rural",
    relation: str = "child",
    death: str = "martyr",
    died_on: dt.date | None = None,
    status_since: dt.date = CHILD_STATUS_SINCE,
    status_until: dt.date | None = None,
    work_unit: bool | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Survivor:
    return Survivor(
        person=person(born, hukou=hukou, died_on=died_on, name="韦秀英"),
        relation=Relation(relation),
        death_category=DeathCategory(death),
        deceased_on=D(1951, 1, 20),
        statuses=statuses(categories, status_since, status_until),
        circumstances=Circumstances(has_work_unit=work_unit),
        sanctions=sanctions,
    )


_DATES = ("born", "enlisted", "discharged", "graded_on", "died_on", "status_since", "status_until")
_FIELDS = {
    "veteran": ("hukou", "personnel", "combat", "test", "other_payment"),
    "survivor": ("hukou", "relation", "death", "work_unit"),
}


def subject_of(scenario: dict[str, Any]) -> Veteran | Survivor:
    """The subject a scenario describes: its fields over the builders' defaults."""
    kind = scenario.get("subject", "veteran")
    fields: dict[str, Any] = {k: scenario[k] for k in _FIELDS[kind] if k in scenario}
    fields.update({k: D.fromisoformat(scenario[k]) for k in _DATES if k in scenario})
    categories = scenario.get("statuses", [])
    if kind == "survivor":
        return survivor(categories=categories, **fields)
    fields.setdefault("other_payment", None)
    return veteran(categories=categories, **fields)


def policy_file(folder: Path, flags: dict[str, str]) -> Path:
    """A TOML parameter file defining the rule's policy flags (not bundled)."""
    blocks = [
        f'[[parameter]]\nkey = "{key}"\nlabel_zh = "政策选项"\nlabel_en = "policy flag"\n'
        f'unit = "flag"\n  [[parameter.version]]\n  value = "{value}"\n'
        '  citation = "test policy (测试用)"\n'
        for key, value in flags.items()
    ]
    path = folder / "policy.toml"
    path.write_text("\n".join(blocks), "utf-8")
    return path


def book_for(scenario: dict[str, Any], folder: Path) -> RuleBook:
    book = NATIONAL
    if "parameters" in scenario:
        book = book.with_parameters(scenario["parameters"])
    if "policy" in scenario:
        book = book.with_parameters(policy_file(folder, scenario["policy"]))
    return book


def expected_eligible(raw: bool | str) -> bool | None:
    return None if raw == "undetermined" else bool(raw)


def decimal_or_none(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


def cited(decision: Decision, code: str) -> tuple[bool | None, str | None]:
    """Whether the condition ``code`` held, and the document and article it cites."""
    reason = next(r for r in decision.reasons if r.code == code)
    basis = reason.citation
    if basis is None:
        return reason.held, None
    return (
        reason.held,
        basis.document if basis.article is None else f"{basis.document} {basis.article}",
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    book = book_for(scenario, tmp_path)
    subject = subject_of(scenario)
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            book.evaluate(RULE, subject, on=on)
        return
    decision = book.evaluate(RULE, subject, on=on)

    assert (expected_eligible(scenario["eligible"]), decimal_or_none(scenario.get("monthly"))) == (
        decision.eligible,
        decision.monthly,
    )
    if "amount" in scenario:
        assert Decimal(scenario["amount"]) == decision.amount
    if "components" in scenario:
        expected = {name: Decimal(value) for name, value in scenario["components"].items()}
        assert expected == {c.name: c.amount for c in decision.components}
    if "missing" in scenario:
        assert tuple(scenario["missing"]) == decision.missing
    if "reason" in scenario:
        reason = scenario["reason"]
        held = expected_eligible(reason["held"])
        assert (held, reason["cites"]) == cited(decision, reason["code"])


def test_the_scenario_table_covers_every_group() -> None:
    groups = {c for s in SCENARIOS for c in s.get("statuses", [])}

    assert {
        "discharged-with-illness",
        "combat-or-test-veteran",
        "demobilised-in-countryside",
        "rural-veteran-over-60",
        "elderly-martyr-child",
    } == groups


# --- the arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enlisted", "discharged", "years"),
    [
        (D(1976, 3, 1), D(1978, 3, 1), 2),
        (D(1976, 3, 1), D(1978, 3, 2), 3),
        (D(1976, 3, 1), D(1978, 2, 28), 2),
        (D(1976, 3, 1), D(1976, 3, 2), 1),
        (D(1980, 2, 29), D(1982, 3, 1), 2),  # 29 February: the anniversary is 1 March
        (D(1980, 2, 29), D(1982, 2, 28), 2),
        (D(1980, 2, 29), D(1984, 2, 29), 4),
    ],
)
def test_a_part_year_of_service_counts_as_a_whole_year(
    enlisted: dt.date, discharged: dt.date, years: int
) -> None:
    assert years == service_years(enlisted, discharged)


@pytest.mark.parametrize(
    ("enlisted", "period"),
    [
        (D(1937, 7, 7), "anti-japanese-war"),
        (D(1945, 9, 2), "anti-japanese-war"),
        (D(1945, 9, 3), "liberation-war"),
        (D(1949, 9, 30), "liberation-war"),
        (D(1949, 10, 1), "post-1949"),
        (D(1954, 10, 31), "post-1949"),
        (D(1954, 11, 1), None),
    ],
)
def test_the_enlistment_period_of_a_demobilised_serviceman(
    enlisted: dt.date, period: str | None
) -> None:
    assert period == enlistment_period(enlisted)


def test_each_group_is_a_monthly_component_and_the_amount_is_twelve_months() -> None:
    subject = veteran(categories=["discharged-with-illness", "combat-or-test-veteran"], combat=True)

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert [
        ("discharged_with_illness", "带病回乡退伍军人", Decimal(600), Period.MONTH),
        ("combat_or_test_veteran", "参战参试退役人员", Decimal(650), Period.MONTH),
    ] == [(c.name, c.label_zh, c.amount, c.period) for c in decision.components]
    assert (Decimal(1250), Decimal(15000)) == (decision.monthly, decision.amount)


def test_adding_up_is_said_in_the_reasons() -> None:
    subject = veteran(categories=["discharged-with-illness", "combat-or-test-veteran"], combat=True)

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert ["combination"] == [r.code for r in decision.reasons if r.code == "combination"]


def test_highest_only_names_the_allowance_not_paid(tmp_path: Path) -> None:
    book = NATIONAL.with_parameters(policy_file(tmp_path, {"living_allowance.groups_add_up": "0"}))
    subject = veteran(categories=["discharged-with-illness", "combat-or-test-veteran"], combat=True)

    decision = book.evaluate(RULE, subject, on=D(2019, 8, 1))

    combination = next(r for r in decision.reasons if r.code == "combination")
    assert "discharged-with-illness" in combination.message_en
    assert "带病回乡退伍军人" in combination.message_zh
    assert ["living_allowance.groups_add_up"] == [
        u.key for u in decision.parameters if u.key.endswith("groups_add_up")
    ]


# --- explanations and citations -------------------------------------------------------------


def test_explain_before_2024_cites_the_2019_text() -> None:
    decision = NATIONAL.evaluate(
        RULE, veteran(categories=["discharged-with-illness"]), on=D(2019, 8, 1)
    )

    text = decision.explain()

    assert "eligible" in text
    assert "7200" in text
    assert "《军人抚恤优待条例》(2019) 第五十三条" in text
    assert "19570510" not in text


def test_explain_from_2024_10_01_cites_article_62() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    decision = book.evaluate(
        RULE, veteran(categories=["discharged-with-illness"]), on=D(2024, 10, 1)
    )

    assert "《军人抚恤优待条例》(2024) 第六十二条" in decision.explain()


def test_test_participants_are_paid_under_article_61_from_2024() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    decision = book.evaluate(
        RULE, veteran(categories=["combat-or-test-veteran"], test=True), on=D(2024, 10, 1)
    )

    participated = next(r for r in decision.reasons if r.code == "combat_or_test.participated")
    assert "第六十一条" == (participated.citation.article if participated.citation else None)


def test_the_rural_allowance_cites_its_notice() -> None:
    decision = NATIONAL.evaluate(
        RULE, veteran(categories=["rural-veteran-over-60"]), on=D(2019, 8, 1)
    )

    assert "民发〔2011〕110号" in decision.explain()


def test_explain_lists_the_missing_inputs() -> None:
    subject = survivor(categories=["elderly-martyr-child"], hukou="urban")

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert decision.eligible is None
    assert "missing input (缺少信息): circumstances.has_work_unit" in decision.explain()
    assert "undetermined" in decision.explain()


def test_unknown_other_payment_and_nco_years_are_both_reported() -> None:
    subject = veteran(
        categories=["rural-veteran-over-60"],
        personnel="nco",
        discharged=D(1984, 3, 1),
        other_payment=None,
    )

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert (
        None,
        ("circumstances.other_periodic_state_payment", "service.conscript_years"),
    ) == (decision.eligible, decision.missing)


def test_the_demobilised_standard_names_what_to_supply() -> None:
    subject = veteran(
        categories=["demobilised-in-countryside"],
        born=D(1925, 2, 1),
        enlisted=D(1944, 5, 1),
        discharged=D(1950, 5, 1),
    )

    with pytest.raises(errors.ParameterMissing) as raised:
        NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert "anti-japanese-war" in str(raised.value)


def test_the_rule_decides_on_veterans_and_survivors_only() -> None:
    assert {Veteran, Survivor} == set(NATIONAL.rule(RULE).subjects)
    assert "定期生活补助" == NATIONAL.rule(RULE).label_zh


# --- sanctions ------------------------------------------------------------------------------

ILL = ["discharged-with-illness"]


@pytest.mark.parametrize(
    ("sanction", "on", "eligible"),
    [
        pytest.param(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2019, 1, 1), until=D(2020, 1, 1)
            ),
            D(2019, 8, 1),
            False,
            id="prison term in effect: suspended",
        ),
        pytest.param(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2017, 1, 1), until=D(2019, 7, 31)
            ),
            D(2019, 8, 1),
            True,
            id="prison term ended the day before: paid again",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS, since=D(2019, 8, 1)),
            D(2019, 8, 1),
            False,
            id="deprivation of political rights from the day: suspended",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.WANTED, since=D(2019, 8, 2)),
            D(2019, 8, 1),
            True,
            id="wanted from the next day: still paid",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2010, 1, 1), until=D(2015, 1, 1)),
            D(2019, 8, 1),
            False,
            id="life imprisonment cancels for good",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.DEATH_PENALTY, since=D(2019, 3, 1)),
            D(2019, 8, 1),
            False,
            id="death penalty cancels",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(1977, 11, 1)),
            D(2019, 8, 1),
            True,
            id="expulsion did not cancel under the 2019 text",
        ),
    ],
)
def test_sanctions_suspend_or_cancel_payments(
    sanction: Sanction, on: dt.date, eligible: bool
) -> None:
    decision = NATIONAL.evaluate(RULE, veteran(categories=ILL, sanctions=(sanction,)), on=on)

    assert eligible == decision.eligible
    if not eligible:
        assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)


def test_expulsion_cancels_from_2024_10_01() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    subject = veteran(
        categories=ILL,
        sanctions=(Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(1977, 11, 1)),),
    )

    before = book.evaluate(RULE, subject, on=D(2024, 9, 30))
    after = book.evaluate(RULE, subject, on=D(2024, 10, 1))

    assert (True, False) == (before.eligible, after.eligible)
    sanction = next(r for r in after.reasons if r.code == "sanction")
    assert "第五十九条" == (sanction.citation.article if sanction.citation else None)


def test_a_suspended_survivor_is_not_paid() -> None:
    subject = survivor(
        categories=["elderly-martyr-child"],
        sanctions=(Sanction(kind=SanctionKind.WANTED, since=D(2019, 1, 1)),),
    )

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert (False, ()) == (decision.eligible, decision.missing)


def test_a_sanction_stops_the_question_for_unknown_facts() -> None:
    subject = veteran(
        categories=["rural-veteran-over-60"],
        other_payment=None,
        sanctions=(Sanction(kind=SanctionKind.WANTED, since=D(2019, 1, 1)),),
    )

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 8, 1))

    assert (False, ()) == (decision.eligible, decision.missing)


# --- death ----------------------------------------------------------------------------------


def funeral_reasons(decision: Decision) -> list[tuple[bool | None, str]]:
    return [(r.held, r.message_en) for r in decision.reasons if r.code == "funeral_aid"]


def test_a_combat_veteran_dying_from_2024_10_01_leaves_six_months_as_funeral_aid() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    subject = veteran(categories=["combat-or-test-veteran"], combat=True, died_on=D(2024, 11, 15))

    decision = book.evaluate(RULE, subject, on=D(2025, 1, 6))

    assert (False, None, None) == (decision.eligible, decision.amount, decision.monthly)
    [(held, message)] = funeral_reasons(decision)
    assert held is True
    assert "5100.00 yuan" in message  # 6 × 850 (a test standard)
    aid = next(r for r in decision.reasons if r.code == "funeral_aid")
    # The one citation of the fact, shared with the payment schedule (2024 第六十二条第二款).
    assert "第六十二条第二款" == (aid.citation.article if aid.citation else None)


def test_a_test_veteran_gets_the_same_funeral_aid() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    subject = veteran(categories=["combat-or-test-veteran"], test=True, died_on=D(2024, 10, 1))

    decision = book.evaluate(RULE, subject, on=D(2024, 10, 2))

    [(held, message)] = funeral_reasons(decision)
    assert held is True
    assert "5100.00 yuan" in message


def test_a_combat_veteran_who_died_before_2024_10_01_has_no_funeral_aid() -> None:
    subject = veteran(categories=["combat-or-test-veteran"], combat=True, died_on=D(2020, 1, 10))

    decision = NATIONAL.evaluate(RULE, subject, on=D(2020, 3, 1))

    assert decision.eligible is False
    [(held, message)] = funeral_reasons(decision)
    assert held is False
    assert "2019 text" in message


def test_other_groups_have_no_funeral_aid() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    subject = veteran(categories=ILL, died_on=D(2024, 11, 15))

    decision = book.evaluate(RULE, subject, on=D(2025, 1, 6))

    assert (False, []) == (decision.eligible, funeral_reasons(decision))


def test_no_funeral_aid_for_a_veteran_not_drawing_it_at_death() -> None:
    book = NATIONAL.with_parameters(STANDARDS_2024)
    subject = veteran(
        categories=["combat-or-test-veteran"],
        combat=True,
        died_on=D(2024, 11, 15),
        status_until=D(2024, 6, 30),
    )

    decision = book.evaluate(RULE, subject, on=D(2025, 1, 6))

    assert [] == funeral_reasons(decision)


def test_a_dead_elderly_martyr_child_is_not_paid() -> None:
    subject = survivor(categories=["elderly-martyr-child"], died_on=D(2019, 8, 10))

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 9, 1))

    assert (False, [], ()) == (decision.eligible, funeral_reasons(decision), decision.missing)


def test_someone_not_yet_born_is_not_eligible() -> None:
    subject = survivor(categories=[], born=D(1959, 8, 1))

    decision = NATIONAL.evaluate(RULE, subject, on=D(1959, 7, 1))

    assert decision.eligible is False
    assert "not yet born" in decision.explain()


# --- the rural 60+ standard per year (from 2023-08-01) ----------------------------------------

RURAL = ["rural-veteran-over-60"]
MONTHLY_RATE = "living_allowance.rural_over_60_rate"
ANNUAL_RATE = "living_allowance.rural_over_60_annual_rate"
THREE_YEARS = D(1978, 4, 1)  # 1976-03-01 → 1978-04-01: 2 years and a month count as 3


def rural(discharged: dt.date = THREE_YEARS) -> Veteran:
    return veteran(categories=RURAL, discharged=discharged, status_since=D(2017, 5, 10))


@pytest.mark.parametrize(
    ("on", "monthly", "key", "rate"),
    [
        (D(2023, 7, 31), "162.00", MONTHLY_RATE, "54"),  # 3 × 54, per month
        (D(2023, 8, 1), "172.00", ANNUAL_RATE, "688"),  # 688 × 3 ÷ 12, per year
        (D(2024, 7, 31), "172.00", ANNUAL_RATE, "688"),
        (D(2024, 8, 1), "180.00", ANNUAL_RATE, "720"),  # 720 × 3 ÷ 12
    ],
)
def test_from_2023_08_01_the_rural_standard_is_per_year_of_service_per_year(
    on: dt.date, monthly: str, key: str, rate: str
) -> None:
    decision = NATIONAL.evaluate(RULE, rural(), on=on)

    assert (True, Decimal(monthly), Decimal(monthly) * 12) == (
        decision.eligible,
        decision.monthly,
        decision.amount,
    )
    assert [(key, Decimal(rate))] == [
        (u.key, u.value) for u in decision.parameters if "rural" in u.key
    ]


def test_a_twelfth_of_the_annual_standard_is_rounded_to_the_fen_half_up() -> None:
    decision = NATIONAL.evaluate(RULE, rural(discharged=DISCHARGED), on=D(2023, 8, 1))

    assert Decimal("114.67") == decision.monthly  # 688 × 2 ÷ 12 = 114.666…


def test_a_book_without_the_annual_rate_keeps_the_monthly_rate(tmp_path: Path) -> None:
    kept = {k: v for k, v in NATIONAL.parameters.parameters.items() if k != ANNUAL_RATE}
    bare = attrs.evolve(NATIONAL, parameters=ParameterSet(jurisdiction="national", parameters=kept))
    empty = attrs.evolve(
        NATIONAL,
        parameters=NATIONAL.parameters.layered(
            {ANNUAL_RATE: attrs.evolve(NATIONAL.parameters[ANNUAL_RATE], versions=())}
        ),
    )
    # Test input, not law: a per-month rate supplied for 2024.
    supplied = {MONTHLY_RATE: {"effective_from": "2024-08-01", "value": "60"}}

    for book in (bare, empty):
        decision = book.with_parameters(supplied).evaluate(RULE, rural(), on=D(2024, 9, 1))
        assert Decimal("180.00") == decision.monthly  # 3 × 60
        with pytest.raises(errors.ParameterMissing):  # 54 is known only until 2023-07-31
            book.evaluate(RULE, rural(), on=D(2023, 8, 1))


def test_a_newer_annual_rate_comes_from_a_parameter_file(tmp_path: Path) -> None:
    path = tmp_path / "rural.toml"
    path.write_text(
        '[[parameter]]\nkey = "living_allowance.rural_over_60_annual_rate"\n'
        'label_zh = "测试"\nlabel_en = "test input, not law"\n'
        'unit = "CNY/year per service year"\n'
        '  [[parameter.version]]\n  effective_from = "2025-08-01"\n  value = "756"\n'
        '  citation = "test input, not law"\n',
        "utf-8",
    )
    book = NATIONAL.with_parameters(path)

    decision = book.evaluate(RULE, rural(), on=D(2026, 1, 6))

    assert Decimal("189.00") == decision.monthly  # 756 × 3 ÷ 12
    with pytest.raises(errors.ParameterOutOfDate):
        NATIONAL.evaluate(RULE, rural(), on=D(2026, 1, 6))


# --- settled facts before figures -------------------------------------------------------------


def test_the_funeral_aid_names_an_unknown_standard_instead_of_failing() -> None:
    subject = veteran(categories=["combat-or-test-veteran"], combat=True, died_on=D(2026, 10, 15))

    decision = NATIONAL.evaluate(RULE, subject, on=D(2026, 12, 1))  # standard past 2025-07-31

    [(held, message)] = funeral_reasons(decision)
    assert (False, True, ()) == (decision.eligible, held, decision.parameters)
    assert "the amount is not known (supply the standard in force on 2026-10-15)" in message


def test_a_stale_funeral_aid_standard_is_named_and_marks_the_decision_stale() -> None:
    key = "living_allowance.monthly_standard"
    standard = NATIONAL.parameters[key]
    latest = standard.versions[-1]
    # Test value, not law: the latest bundled version with a 参战参试 cell, still confirmed
    # only through the bundled date.
    assert isinstance(latest.value, Mapping)
    value = {**latest.value, "combat-or-test-veteran": Decimal("850")}
    patched = attrs.evolve(
        standard, versions=(*standard.versions[:-1], attrs.evolve(latest, value=value))
    )
    layer = NATIONAL.parameters.layered({key: patched})
    book = attrs.evolve(NATIONAL, parameters=layer).allowing_stale()
    subject = veteran(categories=["combat-or-test-veteran"], combat=True, died_on=D(2026, 10, 15))

    decision = book.evaluate(RULE, subject, on=D(2026, 12, 1))

    [(held, message)] = funeral_reasons(decision)
    assert held is True
    assert "5100.00 yuan" in message  # 6 × 850
    assert [(key, latest.effective_from, True)] == [
        (u.key, u.effective_from, u.stale) for u in decision.parameters
    ]
    assert (False, True) == (decision.eligible, decision.stale)


def test_a_sanctioned_combat_veteran_needs_no_standard() -> None:
    jailed = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2026, 1, 1))
    subject = veteran(categories=["combat-or-test-veteran"], combat=True, sanctions=(jailed,))

    decision = NATIONAL.evaluate(RULE, subject, on=D(2026, 12, 1))  # standard past 2025-07-31

    assert (False, ()) == (decision.eligible, decision.parameters)
    assert ["sanction"] == [r.code for r in decision.reasons if r.held is False]
