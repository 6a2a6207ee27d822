"""disability_pension (残疾抚恤金): scenario table, nursing allowance, death, sanctions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.rules.builders import resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.rules import Period, RuleBook

D = dt.date
SCENARIOS = scenarios("disability_pension")
NATIONAL = RuleBook.load("national")
ASSESSED = D(2000, 6, 1)

PERSONNEL = {
    "conscript": (PersonnelType.CONSCRIPT, None, DischargeMode.SELF_EMPLOYMENT),
    "junior-nco": (PersonnelType.NCO, NcoRank.JUNIOR, DischargeMode.SELF_EMPLOYMENT),
    "senior-nco": (PersonnelType.NCO, NcoRank.INTERMEDIATE_OR_SENIOR, DischargeMode.RETIREMENT),
    "officer": (PersonnelType.OFFICER, None, DischargeMode.CIVILIAN_TRANSFER),
}


def veteran(
    *,
    grade: int | None = None,
    nature: str = "in-combat",
    assessed_on: dt.date = ASSESSED,
    personnel: str = "conscript",
    mental_disorder: bool = False,
    centrally_supported: bool | None = None,
    died_on: dt.date | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Veteran:
    body = "45031219780101001"
    kind, rank, mode = PERSONNEL[personnel]
    disability = (
        None
        if grade is None
        else Disability(
            grade=grade,
            nature=DisabilityNature(nature),
            assessed_on=assessed_on,
            mental_disorder=mental_disorder,
        )
    )
    return Veteran(
        person=Person(
            resident_id=resident_id(body),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        service=ServiceRecord(
            enlisted_on=D(1998, 12, 1),
            discharged_on=D(2000, 12, 1),
            personnel_type=kind,
            nco_rank=rank,
            discharge_mode=mode,
        ),
        disability=disability,
        circumstances=Circumstances(centrally_supported=centrally_supported),
        sanctions=sanctions,
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    subject = veteran(
        grade=scenario.get("grade"),
        nature=scenario.get("nature", "in-combat"),
        assessed_on=D.fromisoformat(scenario.get("assessed_on", "2000-06-01")),
        personnel=scenario.get("personnel", "conscript"),
    )
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            NATIONAL.evaluate("disability_pension", subject, on=on)
        return
    decision = NATIONAL.evaluate("disability_pension", subject, on=on)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    expected_monthly = Decimal(scenario["monthly"]) if "monthly" in scenario else None
    assert (scenario["eligible"], expected_amount, expected_monthly) == (
        decision.eligible,
        decision.amount,
        decision.monthly,
    )


WAGE = {"disability_pension.local_average_monthly_wage": "7000"}  # a test input, not law


@pytest.mark.parametrize(
    ("grade", "nature", "expected"),
    [
        (1, "in-combat", "3500.00"),  # 50%
        (2, "on-duty", "3500.00"),  # 50%
        (3, "in-combat", "2800.00"),  # 40%
        (4, "on-duty", "2800.00"),  # 40%
        (4, "illness", "2100.00"),  # 30%
    ],
)
def test_nursing_allowance_is_a_share_of_the_local_wage(
    grade: int, nature: str, expected: str
) -> None:
    subject = veteran(grade=grade, nature=nature, centrally_supported=False)

    decision = NATIONAL.with_parameters(WAGE).evaluate(
        "disability_pension", subject, on=D(2021, 1, 6)
    )

    nursing = [c for c in decision.components if c.name == "nursing_allowance"]
    assert [(Decimal(expected), Period.MONTH)] == [(c.amount, c.period) for c in nursing]


def test_grade_5_has_no_nursing_allowance() -> None:
    decision = NATIONAL.with_parameters(WAGE).evaluate(
        "disability_pension", veteran(grade=5, centrally_supported=False), on=D(2021, 1, 6)
    )

    assert () == decision.components
    assert decision.eligible


def test_mental_disorder_grade_6_gets_25_percent_only_from_2024_10_01() -> None:
    subject = veteran(grade=6, nature="on-duty", mental_disorder=True)
    book = NATIONAL.with_parameters(
        {
            "disability_pension.local_average_monthly_wage": "8000",  # a test input, not law
            "disability_pension.annual_standard": {  # test values, not law
                "on-duty": {"6": "40000"}
            },
        }
    )

    before = book.evaluate("disability_pension", subject, on=D(2024, 9, 30))
    after = book.evaluate("disability_pension", subject, on=D(2024, 10, 1))

    assert () == before.components
    assert [Decimal("2000.00")] == [c.amount for c in after.components]


def test_the_local_wage_is_reported_missing_without_blocking_the_pension() -> None:
    decision = NATIONAL.evaluate(
        "disability_pension", veteran(grade=2, centrally_supported=False), on=D(2021, 1, 6)
    )

    assert decision.eligible
    assert Decimal("87750") == decision.amount
    assert ("parameter disability_pension.local_average_monthly_wage",) == decision.missing
    assert "disability_pension.local_average_monthly_wage" in decision.explain()


def test_unknown_support_arrangement_is_reported_missing() -> None:
    decision = NATIONAL.evaluate("disability_pension", veteran(grade=1), on=D(2021, 1, 6))

    assert ("circumstances.centrally_supported",) == decision.missing
    assert decision.eligible


def test_centrally_supported_veterans_get_no_nursing_allowance() -> None:
    decision = NATIONAL.with_parameters(WAGE).evaluate(
        "disability_pension", veteran(grade=1, centrally_supported=True), on=D(2021, 1, 6)
    )

    assert () == decision.components


def test_after_death_the_pension_stops_and_twelve_months_are_funeral_aid() -> None:
    subject = veteran(grade=1, died_on=D(2020, 10, 15))

    decision = NATIONAL.evaluate("disability_pension", subject, on=D(2021, 1, 6))

    assert decision.eligible is False
    assert decision.amount is None
    funeral = [r for r in decision.reasons if r.code == "funeral_aid"]
    assert 1 == len(funeral)
    assert "96969.96" in funeral[0].message_en  # 12 × 8,080.83


@pytest.mark.parametrize(
    ("sanction", "on", "eligible"),
    [
        (
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 1, 1), until=D(2022, 1, 1)
            ),
            D(2021, 1, 6),
            False,
        ),
        (
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2019, 1, 1), until=D(2020, 1, 1)
            ),
            D(2021, 1, 6),
            True,
        ),
        (Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2019, 1, 1)), D(2021, 1, 6), False),
        (Sanction(kind=SanctionKind.WANTED, since=D(2020, 12, 1)), D(2021, 1, 6), False),
        # The 2019 text (第五十条) did not cancel on expulsion from the army.
        (
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2000, 11, 1)),
            D(2021, 1, 6),
            True,
        ),
    ],
)
def test_sanctions_suspend_or_cancel_payments(
    sanction: Sanction, on: dt.date, eligible: bool
) -> None:
    decision = NATIONAL.evaluate(
        "disability_pension", veteran(grade=3, sanctions=(sanction,)), on=on
    )

    assert eligible == decision.eligible


def test_explain_names_the_outcome_the_amount_and_the_article() -> None:
    decision = NATIONAL.evaluate("disability_pension", veteran(grade=1), on=D(2021, 1, 6))

    text = decision.explain()

    assert "eligible" in text
    assert "8080.83" in text
    assert "《军人抚恤优待条例》(2019)" in text
    assert "450312********0016" in text or "450312********" in text
    assert "19780101" not in text
    assert "<table>" in decision._repr_html_()


def test_no_funeral_aid_is_named_when_payments_were_stopped_at_the_death() -> None:
    jailed = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 1, 1))
    subject = veteran(grade=1, died_on=D(2020, 10, 15), sanctions=(jailed,))

    decision = NATIONAL.evaluate("disability_pension", subject, on=D(2021, 1, 6))

    assert decision.eligible is False
    assert [] == [r for r in decision.reasons if r.code == "funeral_aid"]


def test_one_off_components_read_once_in_the_explanation() -> None:
    from veteran_affairs.rules import Component, Decision

    decision = Decision(
        rule="r",
        subject="s",
        on=D(2021, 1, 6),
        eligible=True,
        amount=Decimal(10),
        components=(
            Component(name="base", label_zh="基本", amount=Decimal(10), period=Period.ONCE),
        ),
    )

    assert "base (基本): 10 yuan once" in decision.explain()


# --- settled facts before figures -------------------------------------------------------------

GUANGXI = RuleBook.load("guangxi")
JAILED = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 1, 1))
STANDARD = "disability_pension.annual_standard"


def test_a_sentenced_veteran_is_not_eligible_in_2026_with_the_guangxi_book() -> None:
    # The standard is confirmed only through 2026-07-31: an eligible veteran's decision
    # raises ParameterOutOfDate on 2026-12-01, a suspended one's must not.
    subject = veteran(grade=3, sanctions=(JAILED,))

    decision = GUANGXI.evaluate("disability_pension", subject, on=D(2026, 12, 1))

    assert (False, None, None) == (decision.eligible, decision.amount, decision.monthly)
    assert [("sanction", False)] == [(r.code, r.held) for r in decision.reasons if r.held is False]
    assert "中止发放" in decision.reasons[-1].message_zh
    assert ((), False) == (decision.parameters, decision.stale)
    with pytest.raises(errors.ParameterOutOfDate):
        GUANGXI.evaluate("disability_pension", veteran(grade=3), on=D(2026, 12, 1))


@pytest.mark.parametrize(
    ("subject", "on", "failed"),
    [
        (
            veteran(
                grade=1,
                sanctions=(Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2025, 3, 1)),),
            ),
            D(2026, 12, 1),
            ["sanction"],
        ),
        (veteran(grade=2, died_on=D(2026, 10, 15)), D(2026, 12, 1), ["person.alive"]),
        (veteran(grade=4, assessed_on=D(2026, 11, 20)), D(2026, 10, 31), ["disability.approved"]),
        (
            veteran(grade=7, nature="illness", personnel="conscript", sanctions=(JAILED,)),
            D(2026, 12, 1),
            ["disability.grade_pensioned", "sanction"],
        ),
    ],
    ids=["life imprisonment", "dead", "not yet approved", "illness grade 7, sanctioned"],
)
def test_facts_that_settle_the_case_need_no_standard(
    subject: Veteran, on: dt.date, failed: list[str]
) -> None:
    decision = GUANGXI.evaluate("disability_pension", subject, on=on)

    assert decision.eligible is False
    assert failed == [r.code for r in decision.reasons if r.held is False]
    assert () == decision.parameters


def test_the_funeral_aid_is_named_only_where_its_standard_is_known() -> None:
    subject = veteran(grade=1, died_on=D(2026, 10, 15))  # past the confirmed 2026-07-31

    decision = GUANGXI.evaluate("disability_pension", subject, on=D(2026, 12, 1))

    [aid] = [r for r in decision.reasons if r.code == "funeral_aid"]
    assert aid.message_en.endswith("if the death was from illness")
    assert (False, ()) == (decision.eligible, decision.parameters)


def test_a_stale_funeral_aid_standard_marks_the_decision_stale() -> None:
    book = GUANGXI.allowing_stale()
    standard = book.parameters[STANDARD]
    latest = standard.versions[-1]
    annual = latest.cell(STANDARD, ("in-combat", "1"), D(2026, 10, 15))
    expected = standard.round(annual / 12) * 12

    decision = book.evaluate(
        "disability_pension", veteran(grade=1, died_on=D(2026, 10, 15)), on=D(2026, 12, 1)
    )

    [aid] = [r for r in decision.reasons if r.code == "funeral_aid"]
    assert f": {expected} yuan" in aid.message_en
    assert [(STANDARD, ("in-combat", "1"), latest.effective_from, True)] == [
        (u.key, u.path, u.effective_from, u.stale) for u in decision.parameters
    ]
    assert (False, True) == (decision.eligible, decision.stale)


def test_a_known_funeral_aid_standard_is_listed_among_the_figures_used() -> None:
    subject = veteran(grade=1, died_on=D(2020, 10, 15))

    decision = NATIONAL.evaluate("disability_pension", subject, on=D(2021, 1, 6))

    assert [(STANDARD, D(2020, 8, 1), Decimal("96970"), False)] == [
        (u.key, u.effective_from, u.value, u.stale) for u in decision.parameters
    ]
    assert decision.stale is False
