"""survivor_pension (三属定期抚恤金): scenario table, explanations, sanctions, death, choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.rules.builders import ELIGIBLE, resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    EntitlementStatus,
    HukouType,
    Person,
    Relation,
    Sanction,
    SanctionKind,
    Survivor,
)
from veteran_affairs.rules import RuleBook

D = dt.date
SCENARIOS = scenarios("survivor_pension")
NATIONAL = RuleBook.load("national")
STALE = NATIONAL.allowing_stale()
NEEDY = {"able_to_work": False, "has_means_of_support": False}


def survivor(
    *,
    relation: str = "parent",
    death: str = "martyr",
    born: str = "1950-03-01",
    hukou: str = "rural",
    deceased_on: str = "2010-05-01",
    status: bool = True,
    status_since: str = "2010-06-01",
    status_until: str | None = None,
    died_on: str | None = None,
    circumstances: Mapping[str, bool] | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Survivor:
    """The survivor the scenario table describes (see the header of the TOML file)."""
    birth = D.fromisoformat(born)
    body = f"450312{birth:%Y%m%d}002"
    category = DeathCategory(death)
    statuses = (
        (
            EntitlementStatus(
                category=category.survivor_category,
                since=D.fromisoformat(status_since),
                until=None if status_until is None else D.fromisoformat(status_until),
            ),
        )
        if status
        else ()
    )
    return Survivor(
        person=Person(
            resident_id=resident_id(body),
            name="韦秀英",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType(hukou),
            died_on=None if died_on is None else D.fromisoformat(died_on),
        ),
        relation=Relation(relation),
        death_category=category,
        deceased_on=D.fromisoformat(deceased_on),
        statuses=statuses,
        circumstances=Circumstances(**(circumstances or {})),
        sanctions=sanctions,
    )


SUBJECT_FIELDS = (
    "relation",
    "death",
    "born",
    "hukou",
    "deceased_on",
    "status",
    "status_since",
    "status_until",
    "died_on",
    "circumstances",
)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    subject = survivor(**{k: scenario[k] for k in SUBJECT_FIELDS if k in scenario})
    book = NATIONAL.with_parameters(scenario.get("parameters", {}))
    book = book.allowing_stale(scenario.get("allow_stale", False))
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            book.evaluate("survivor_pension", subject, on=on)
        return
    decision = book.evaluate("survivor_pension", subject, on=on)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    expected_monthly = Decimal(scenario["monthly"]) if "monthly" in scenario else None
    assert (
        ELIGIBLE[scenario["eligible"]],
        expected_amount,
        expected_monthly,
        tuple(scenario.get("missing", ())),
    ) == (decision.eligible, decision.amount, decision.monthly, decision.missing)


# --- explanations -----------------------------------------------------------------------------


def test_explain_cites_the_2019_text_before_2024_10_01() -> None:
    decision = NATIONAL.evaluate(
        "survivor_pension", survivor(circumstances=NEEDY), on=D(2019, 8, 1)
    )

    text = decision.explain()

    assert "eligible (符合)" in text
    assert "2331.67" in text
    assert "《军人抚恤优待条例》(2019) 第十六条" in text
    assert "survivor_pension.annual_standard[martyr] = 27980" in text
    assert "19500301" not in text  # the identity number is masked


def test_explain_cites_the_2024_text_from_2024_10_01() -> None:
    decision = STALE.evaluate("survivor_pension", survivor(circumstances=NEEDY), on=D(2024, 10, 1))

    reasons = " ".join(str(r.citation) for r in decision.reasons)

    assert "《军人抚恤优待条例》(2024) 第十九条" in decision.explain()
    assert "《军人抚恤优待条例》(2024) 第五十九条" in reasons
    assert "(2019) 第十六条" not in reasons


def test_explain_names_each_missing_input() -> None:
    subject = survivor(relation="child", born="2001-08-15", circumstances={"disabled": False})

    decision = NATIONAL.evaluate("survivor_pension", subject, on=D(2019, 8, 15))

    assert decision.eligible is None
    assert decision.amount is None
    assert (
        "missing input (缺少信息): circumstances.in_education, "
        "circumstances.has_means_of_support" in decision.explain()
    )


def test_the_standard_cell_follows_the_hukou_type_where_the_standard_is_split() -> None:
    split = {  # test inputs, not law
        "survivor_pension.annual_standard": {
            "effective_from": "2015-10-01",
            "value": {"martyr": {"urban": "12000", "rural": "9600"}},
            "citation": {"document": "test input, not law"},
        }
    }
    subject = survivor(hukou="urban", circumstances=NEEDY)

    decision = NATIONAL.with_parameters(split).evaluate(
        "survivor_pension", subject, on=D(2016, 5, 1)
    )

    assert [("martyr", "urban")] == [
        use.path for use in decision.parameters if use.key == "survivor_pension.annual_standard"
    ]
    assert "survivor_pension.annual_standard[martyr/urban] = 12000" in decision.explain()


def test_the_rule_decides_on_survivors_only() -> None:
    rule = NATIONAL.rule("survivor_pension")

    assert rule.applies_to(survivor())
    assert not rule.applies_to(object())
    assert "定期抚恤金" in rule.label_zh


# --- sanctions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sanction", "on", "eligible", "effect"),
    [
        pytest.param(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2019, 1, 1), until=D(2021, 1, 1)
            ),
            D(2019, 9, 1),
            False,
            "中止发放",
            id="a prison term in effect suspends",
        ),
        pytest.param(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2017, 1, 1), until=D(2018, 1, 1)
            ),
            D(2019, 9, 1),
            True,
            "无中止或取消",
            id="an ended prison term no longer suspends",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2019, 1, 1)),
            D(2019, 9, 1),
            False,
            "取消发放",
            id="life imprisonment cancels",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2019, 1, 1)),
            D(2019, 9, 1),
            True,
            "无中止或取消",
            id="expulsion did not cancel under the 2019 text",
        ),
        pytest.param(
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2019, 1, 1)),
            D(2024, 10, 1),
            False,
            "取消发放",
            id="expulsion cancels from 2024-10-01",
        ),
    ],
)
def test_sanctions_suspend_or_cancel_the_pension(
    sanction: Sanction, on: dt.date, eligible: bool, effect: str
) -> None:
    subject = survivor(circumstances=NEEDY, sanctions=(sanction,))

    decision = STALE.evaluate("survivor_pension", subject, on=on)

    assert eligible == decision.eligible
    assert effect in decision.explain()
    assert (decision.amount is None) == (not eligible)


# --- the survivor's death: six months as funeral aid --------------------------------------------


def funeral_aid(subject: Survivor, on: dt.date, book: RuleBook = NATIONAL) -> str:
    decision = book.evaluate("survivor_pension", subject, on=on)
    assert decision.eligible is False
    assert decision.amount is None
    assert () == decision.missing
    [reason] = [r for r in decision.reasons if r.code == "funeral_aid"]
    return f"{reason.message_en} [{reason.citation}]"


def test_after_death_six_months_at_the_standard_of_the_day_of_death_are_funeral_aid() -> None:
    subject = survivor(circumstances=NEEDY, died_on="2019-10-15")

    text = funeral_aid(subject, D(2020, 7, 1))

    assert "drew the pension" in text
    assert "13990.02 yuan" in text  # 6 × 2,331.67 (the 2019-08-01 烈属 standard)
    assert "《军人抚恤优待条例》(2019) 第十九条" in text


def test_funeral_aid_uses_the_standard_in_force_at_death_not_at_the_date() -> None:
    subject = survivor(death="illness-death", circumstances=NEEDY, died_on="2019-07-31")

    text = funeral_aid(subject, D(2019, 9, 1))

    assert "10275.00 yuan" in text  # 6 × 1,712.50 (the 2018-08-01 病故 standard)


def test_funeral_aid_after_2024_10_01_cites_the_2024_text() -> None:
    subject = survivor(circumstances=NEEDY, died_on="2024-10-02")

    text = funeral_aid(subject, D(2024, 11, 1), STALE)

    assert "《军人抚恤优待条例》(2024) 第二十二条" in text


def test_funeral_aid_with_an_unknown_standard_at_death_says_so_without_failing() -> None:
    subject = survivor(circumstances=NEEDY, died_on="2015-03-01")

    text = funeral_aid(subject, D(2019, 9, 1))

    assert "the amount is not known" in text
    assert "yuan [" not in text


def test_without_approval_at_death_the_funeral_aid_is_stated_conditionally() -> None:
    subject = survivor(circumstances=NEEDY, status=False, died_on="2019-10-15")

    text = funeral_aid(subject, D(2020, 1, 1))

    assert "if they drew the pension then" in text


# --- the documented choices can be overridden ---------------------------------------------------


def flag_book(tmp_path: Path, key: str, value: int) -> RuleBook:
    """A book with a policy flag overridden for every date (a test input)."""
    del tmp_path  # the plain-value form replaces the bundled history
    return NATIONAL.with_parameters({key: str(value)})


ON = D(2019, 9, 1)


def test_approval_is_required_unless_the_flag_says_otherwise(tmp_path: Path) -> None:
    subject = survivor(status=False, circumstances=NEEDY)
    book = flag_book(tmp_path, "survivor_pension.require_approval", 0)

    required = NATIONAL.evaluate("survivor_pension", subject, on=ON)
    informative = book.evaluate("survivor_pension", subject, on=ON)

    assert (False, True) == (required.eligible, informative.eligible)
    assert "informative only" in informative.explain()
    assert "survivor_pension.require_approval = 0" in informative.explain()


def test_a_low_income_alone_qualifies_unless_the_flag_says_otherwise(tmp_path: Path) -> None:
    subject = survivor(
        circumstances={
            "able_to_work": True,
            "has_means_of_support": True,
            "income_below_local_average": True,
        }
    )
    book = flag_book(tmp_path, "survivor_pension.low_income_alone_qualifies", 0)

    alone = NATIONAL.evaluate("survivor_pension", subject, on=ON)
    with_incapacity = book.evaluate("survivor_pension", subject, on=ON)

    assert (True, False) == (alone.eligible, with_incapacity.eligible)


def test_a_sibling_under_18_needs_support_unless_the_flag_says_otherwise(tmp_path: Path) -> None:
    subject = survivor(
        relation="sibling", born="2004-05-05", circumstances={"supported_by_deceased": False}
    )
    book = flag_book(tmp_path, "survivor_pension.sibling_under_18_needs_support", 0)

    always = NATIONAL.evaluate("survivor_pension", subject, on=ON)
    adults_only = book.evaluate("survivor_pension", subject, on=ON)

    assert (False, True) == (always.eligible, adults_only.eligible)
