"""conscript_family_allowance (义务兵家庭优待金): scenario table, explanations, county tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.rules.builders import PERSONNEL, resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    HukouType,
    Person,
    ServiceRecord,
    ServingMember,
)
from veteran_affairs.parameters import Citation
from veteran_affairs.rules import Decision, Period, RuleBook
from veteran_affairs.rules.conscript_family_allowance import months_in_year, paying_county

D = dt.date
RULE = "conscript_family_allowance"
SCENARIOS = scenarios(RULE)
AMOUNT = "conscript_family_allowance.annual_amount"
PRORATE = "conscript_family_allowance.prorate_by_months"
# Test inputs, not law: no standard is national or bundled; these figures are made up.
TEST_STANDARD = {AMOUNT: "12000"}
NATIONAL = RuleBook.load("national").with_parameters(TEST_STANDARD)
# The proration flag is not bundled: a TOML layer defines it (test input, not law).
PRORATE_TOML = f"""
[[parameter]]
key = "{PRORATE}"
label_zh = "义务兵家庭优待金按服役月数折算入伍当年"
label_en = "prorate the year of enlistment by months served"
unit = "flag"

  [[parameter.version]]
  citation = {{ document = "test input (测试输入), not law" }}
  value = "1"
"""

ENLISTED = D(2024, 9, 10)
DECIDED = D(2025, 3, 1)


def member(
    *,
    enlisted_on: dt.date = ENLISTED,
    enlisted_from: str = "450312101000",
    personnel: str = "conscript",
    died_on: dt.date | None = None,
) -> ServingMember:
    body = "45031219900101001"
    kind, rank = PERSONNEL[personnel]
    return ServingMember(
        person=Person(
            resident_id=resident_id(body),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        service=ServiceRecord(enlisted_on=enlisted_on, personnel_type=kind, nco_rank=rank),
        enlisted_from=DivisionCode(enlisted_from),
    )


def scenario_subject(scenario: dict[str, Any]) -> ServingMember:
    died = scenario.get("died_on")
    return member(
        enlisted_on=D.fromisoformat(scenario["enlisted_on"]),
        enlisted_from=scenario.get("enlisted_from", "450312101000"),
        personnel=scenario.get("personnel", "conscript"),
        died_on=D.fromisoformat(died) if died else None,
    )


def prorating(book: RuleBook, folder: Path) -> RuleBook:
    path = folder / "prorate.toml"
    path.write_text(PRORATE_TOML, "utf-8")
    return book.with_parameters(path)


def scenario_book(scenario: dict[str, Any], folder: Path) -> RuleBook:
    supplied: dict[str, Any] = {}
    for field in ("standard", "standard_by_county", "standard_versions"):
        if field in scenario:
            supplied[AMOUNT] = scenario[field]
    book = RuleBook.load(scenario.get("book", "national")).with_parameters(supplied)
    return prorating(book, folder) if scenario.get("prorate") else book


def reason(decision: Decision, code: str) -> str:
    (found,) = [r for r in decision.reasons if r.code == code]
    return found.message_en


def article(decision: Decision, code: str) -> str | None:
    (found,) = [r for r in decision.reasons if r.code == code]
    return None if found.citation is None else found.citation.article


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    subject = scenario_subject(scenario)
    book = scenario_book(scenario, tmp_path)
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            book.evaluate(RULE, subject, on=on)
        return
    decision = book.evaluate(RULE, subject, on=on)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    assert (scenario["eligible"], expected_amount, ()) == (
        decision.eligible,
        decision.amount,
        decision.missing,
    )
    if "county" in scenario:
        assert f"({scenario['county']})" in reason(decision, "paying_county") or (
            f"county {scenario['county']}" in reason(decision, "paying_county")
        )
    if "regulation" in scenario:
        assert scenario["regulation"] == article(decision, "service.personnel_type")
    if "system" in scenario:
        assert scenario["system"] == article(decision, "standard")


def decide(subject: ServingMember, on: dt.date = DECIDED, book: RuleBook = NATIONAL) -> Decision:
    return book.evaluate(RULE, subject, on=on)


def test_explain_names_the_2024_article_the_county_and_the_standard() -> None:
    text = decide(member()).explain()

    assert "《军人抚恤优待条例》(2024) 第四十二条" in text
    assert "《兵役法》(2021) 第五十条" in text
    assert "临桂区 (450312000000)" in text
    assert "12000 yuan a year" in text


def test_explain_before_2024_cites_the_2019_article() -> None:
    text = decide(member(enlisted_on=D(2023, 9, 10)), on=D(2024, 9, 30)).explain()

    assert "《军人抚恤优待条例》(2019) 第三十三条" in text
    assert "第四十二条" not in text


@pytest.mark.parametrize(
    ("on", "document", "article", "in_force"),
    [
        (D(2024, 9, 30), "《军人抚恤优待条例》(2019)", "第三十三条", D(2019, 3, 2)),
        (D(2024, 10, 1), "《军人抚恤优待条例》(2024)", "第四十二条", D(2024, 10, 1)),
    ],
)
def test_the_regulation_is_cited_with_the_day_its_text_came_into_force(
    on: dt.date, document: str, article: str, in_force: dt.date
) -> None:
    decision = decide(member(enlisted_on=D(2023, 9, 10)), on=on)

    (found,) = [r for r in decision.reasons if r.code == "service.personnel_type"]
    assert Citation(document=document, article=article, effective=in_force) == found.citation


def test_an_nco_is_told_the_allowance_stops_on_becoming_one() -> None:
    decision = decide(member(personnel="junior-nco", enlisted_on=D(2022, 9, 10)))

    assert False is decision.eligible
    assert "stops when a conscript becomes an NCO" in reason(decision, "service.personnel_type")
    assert "no date for the switch" in decision.explain()


def test_a_decision_never_has_missing_inputs_the_record_is_complete() -> None:
    decisions = [decide(member(personnel=p)) for p in PERSONNEL]

    assert [()] * len(PERSONNEL) == [d.missing for d in decisions]


def test_a_death_ends_the_allowance_after_the_day_of_death() -> None:
    subject = member(died_on=D(2025, 5, 20))

    assert (True, False) == (
        decide(subject, on=D(2025, 5, 20)).eligible,
        decide(subject, on=D(2025, 5, 21)).eligible,
    )
    assert "died on 2025-05-20" in decide(subject, on=D(2025, 5, 21)).explain()


def test_the_amount_is_one_yearly_component_without_a_monthly_payment() -> None:
    decision = decide(member())

    assert (Decimal("12000"), None) == (decision.amount, decision.monthly)
    assert [("allowance", Decimal("12000"), Period.YEAR)] == [
        (c.name, c.amount, c.period) for c in decision.components
    ]


def test_the_reason_says_proration_is_a_local_rule() -> None:
    text = reason(decide(member()), "proration")

    assert "not prorated" in text
    assert PRORATE in text


def test_a_county_table_lookup_is_recorded_with_the_county_as_path() -> None:
    book = RuleBook.load("national").with_parameters({AMOUNT: {"450312000000": "12000"}})

    decision = decide(member(), book=book)

    assert [(AMOUNT, ("450312000000",), Decimal("12000"))] == [
        (u.key, u.path, u.value) for u in decision.parameters if u.key == AMOUNT
    ]


def test_a_county_missing_from_the_table_is_named_in_the_error() -> None:
    book = RuleBook.load("national").with_parameters({AMOUNT: {"450305000000": "10000"}})

    with pytest.raises(errors.ParameterMissing) as raised:
        decide(member(), book=book)

    assert "临桂区 (450312000000)" in str(raised.value)


def test_a_table_keyed_by_six_digits_does_not_match_and_says_twelve_are_needed() -> None:
    book = RuleBook.load("national").with_parameters({AMOUNT: {"450312": "12000"}})

    with pytest.raises(errors.ParameterMissing) as raised:
        decide(member(), book=book)

    assert "12-digit county code 450312000000" in str(raised.value)


def test_without_a_supplied_standard_the_error_says_to_supply_it() -> None:
    with pytest.raises(errors.ParameterMissing) as raised:
        decide(member(), book=RuleBook.load("guangxi"))

    assert "supply it" in str(raised.value)


def test_prorated_decision_explains_the_months(tmp_path: Path) -> None:
    book = prorating(NATIONAL, tmp_path)

    decision = decide(member(), on=D(2024, 12, 1), book=book)

    assert Decimal("4000.00") == decision.amount
    assert "4/12 × 12000 = 4000.00 yuan" in reason(decision, "proration")


def test_the_paying_county_truncates_the_unit_of_enlistment() -> None:
    assert [DivisionCode("450312"), DivisionCode("441900")] == [
        paying_county(member(enlisted_from="450312204000")),
        paying_county(member(enlisted_from="441900003000")),
    ]


@pytest.mark.parametrize(
    ("enlisted_on", "year", "months"),
    [
        (D(2024, 9, 10), 2023, 0),
        (D(2024, 9, 10), 2024, 4),
        (D(2024, 9, 10), 2025, 12),
        (D(2024, 1, 31), 2024, 12),
        (D(2024, 12, 1), 2024, 1),
    ],
)
def test_months_in_year_counts_the_month_of_enlistment_whole(
    enlisted_on: dt.date, year: int, months: int
) -> None:
    assert months == months_in_year(enlisted_on, year)


def test_the_rule_decides_on_serving_members_not_veterans() -> None:
    assert (ServingMember,) == NATIONAL.rule(RULE).subjects
