"""arranged_employment (安排工作): scenario table, explanations, time limits, sanctions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.rules.builders import ELIGIBLE, PERSONNEL, flag_book, resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Award,
    AwardKind,
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
    HukouType,
    Person,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.rules import Decision, RuleBook

D = dt.date
RULE = "arranged_employment"
SCENARIOS = scenarios(RULE)
NATIONAL = RuleBook.load("national")
FACTS = ("martyr_child", "expelled_from_party", "criminally_punished", "unfit_for_arranged_work")
DECIDED = D(2026, 1, 6)
ENLISTED = D(2018, 9, 1)
DISCHARGED = D(2020, 9, 1)


def veteran(
    *,
    personnel: str = "conscript",
    enlisted_on: dt.date = ENLISTED,
    discharged_on: dt.date = DISCHARGED,
    mode: DischargeMode | None = DischargeMode.ARRANGED_EMPLOYMENT,
    awards: tuple[tuple[AwardKind, bool], ...] = (),
    disability: Disability | None = None,
    facts: dict[str, bool | None] | None = None,
    sanctions: tuple[Sanction, ...] = (),
    died_on: dt.date | None = None,
) -> Veteran:
    body = "45031219700101001"
    kind, rank = PERSONNEL[personnel]
    halfway = enlisted_on + (discharged_on - enlisted_on) / 2
    known: dict[str, bool | None] = dict.fromkeys(FACTS, False)
    known.update(facts or {})
    return Veteran(
        person=Person(
            resident_id=resident_id(body),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        service=ServiceRecord(
            enlisted_on=enlisted_on,
            discharged_on=discharged_on,
            personnel_type=kind,
            nco_rank=rank,
            discharge_mode=mode,
            awards=tuple(Award(kind=k, awarded_on=halfway, wartime=w) for k, w in awards),
        ),
        disability=disability,
        circumstances=Circumstances(**known),
        sanctions=sanctions,
    )


def scenario_subject(scenario: dict[str, Any]) -> Veteran:
    enlisted_on = D.fromisoformat(scenario.get("enlisted_on", "2018-09-01"))
    discharged_on = D.fromisoformat(scenario.get("discharged_on", "2020-09-01"))
    mode = scenario.get("mode", "arranged-employment")
    awards = tuple(
        (AwardKind(a), False)
        if isinstance(a, str)
        else (AwardKind(a["kind"]), bool(a.get("wartime", False)))
        for a in scenario.get("awards", ())
    )
    disability = None
    if "disability" in scenario:
        raw = scenario["disability"]
        halfway = enlisted_on + (discharged_on - enlisted_on) / 2
        disability = Disability(
            grade=raw["grade"],
            nature=DisabilityNature(raw["nature"]),
            assessed_on=D.fromisoformat(raw["assessed_on"]) if "assessed_on" in raw else halfway,
        )
    facts = {
        name: None if value == "unknown" else bool(value)
        for name, value in scenario.get("circumstances", {}).items()
    }
    sanctions = tuple(
        Sanction(
            kind=SanctionKind(s["kind"]),
            since=D.fromisoformat(s["since"]),
            until=D.fromisoformat(s["until"]) if "until" in s else None,
        )
        for s in scenario.get("sanctions", ())
    )
    died = scenario.get("died_on")
    return veteran(
        personnel=scenario.get("personnel", "conscript"),
        enlisted_on=enlisted_on,
        discharged_on=discharged_on,
        mode=None if mode == "unknown" else DischargeMode(mode),
        awards=awards,
        disability=disability,
        facts=facts,
        sanctions=sanctions,
        died_on=D.fromisoformat(died) if died else None,
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    book = flag_book(NATIONAL, scenario.get("flags", {}), tmp_path)
    on = D.fromisoformat(scenario.get("on", DECIDED.isoformat()))

    decision = book.evaluate(RULE, scenario_subject(scenario), on=on)

    assert (ELIGIBLE[scenario["eligible"]], tuple(scenario.get("missing", ()))) == (
        decision.eligible,
        decision.missing,
    )
    assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)
    if "deadlines" in scenario:
        expected = [D.fromisoformat(d) for d in scenario["deadlines"]]
        assert expected == [d.due for d in decision.deadlines]
    if "parameters" in scenario:
        assert scenario["parameters"] == bool(decision.parameters)


def test_every_scenario_names_its_article() -> None:
    assert [] == [s["name"] for s in SCENARIOS if "第" not in s["name"]]


def decide(subject: Veteran, on: dt.date = DECIDED, book: RuleBook = NATIONAL) -> Decision:
    return book.evaluate(RULE, subject, on=on)


MERIT = ((AwardKind.SECOND_CLASS_MERIT, False),)


def test_explain_cites_the_2011_regulation_for_a_discharge_before_2024_09_01() -> None:
    text = decide(veteran(awards=MERIT)).explain()

    assert "eligible (符合)" in text
    assert "《退役士兵安置条例》(2011) 第二十九条" in text
    assert "《退役士兵安置条例》(2011) 第三十五条" in text
    assert "《退役军人安置条例》(2024)" not in text
    assert "19700101" not in text  # the identity number is masked


def test_explain_cites_the_2024_regulation_for_a_discharge_from_2024_09_01() -> None:
    subject = veteran(enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1), awards=MERIT)

    text = decide(subject).explain()

    assert "《退役军人安置条例》(2024) 第二十五条" in text
    assert "《退役军人安置条例》(2024) 第三十五条" in text
    assert "《退役军人安置条例》(2024) 第三十一条第二款" in text
    assert "《退役士兵安置条例》(2011)" not in text


def test_the_placement_deadline_counts_from_the_discharge_and_says_so() -> None:
    decision = decide(veteran(awards=MERIT))

    (deadline,) = decision.deadlines
    assert D(2021, 3, 1) == deadline.due
    assert "within 6 months" in deadline.message_en
    assert "counted from the discharge date, 2020-09-01" in deadline.message_en
    assert "接收日期未登记" in deadline.message_zh


def test_the_2024_decision_states_the_onboarding_limit_delay_pay_and_minimum_wage() -> None:
    subject = veteran(enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1), awards=MERIT)

    decision = decide(subject)

    reasons = {r.code: r for r in decision.reasons}
    assert "within 30 days of the letter" in reasons["placement.onboarding"].message_en
    assert "letter's date is not recorded" in reasons["placement.onboarding"].message_en
    assert "at least 80% of the average pay" in reasons["placement.delay_pay"].message_en
    assert "local minimum wage" in reasons["placement.waiting_allowance"].message_en
    assert "第七十五条第一款" == reasons["placement.waiting_allowance"].citation.article  # type: ignore[union-attr]
    assert {
        "arranged_employment.onboarding_days": D(2024, 9, 1),
        "arranged_employment.delay_pay_ratio": D(2024, 9, 1),
        "arranged_employment.placement_months": D(2024, 9, 1),
    } == {u.key: u.effective_from for u in decision.parameters}


def test_the_2011_decision_reads_no_onboarding_days_and_names_the_living_standard() -> None:
    decision = decide(veteran(awards=MERIT))

    reasons = {r.code: r for r in decision.reasons}
    assert "within one month of the letter" in reasons["placement.onboarding"].message_en
    assert "minimum living standard" in reasons["placement.waiting_allowance"].message_en
    used = {u.key: u.effective_from for u in decision.parameters}
    assert "arranged_employment.onboarding_days" not in used
    assert {D(2011, 11, 1)} == set(used.values())


def test_a_veteran_who_chose_self_employment_qualifies_and_the_mode_is_named() -> None:
    decision = decide(veteran(awards=MERIT, mode=DischargeMode.SELF_EMPLOYMENT))

    (reason,) = [r for r in decision.reasons if r.code == "service.discharge_mode"]
    assert (True, True) == (decision.eligible, reason.held)
    assert "self-employment chosen" in reason.message_en
    assert () == decision.deadlines


def test_explain_names_the_missing_martyr_question() -> None:
    decision = decide(veteran(facts={"martyr_child": None}))

    assert "missing input (缺少信息): circumstances.martyr_child" in decision.explain()
    assert "undetermined" in decision.explain()


def test_an_unneeded_unknown_is_marked_as_not_needed() -> None:
    decision = decide(veteran(awards=MERIT, facts={"martyr_child": None}))

    (reason,) = [r for r in decision.reasons if r.code == "condition.martyr_child"]
    assert (None, ()) == (reason.held, decision.missing)
    assert "not needed" in reason.message_en


def test_the_conditions_met_are_listed() -> None:
    subject = veteran(
        personnel="junior-nco",
        enlisted_on=D(2008, 9, 1),
        awards=MERIT,
        facts={"martyr_child": True},
    )

    (reason,) = [r for r in decide(subject).reasons if r.code == "qualifying_condition"]
    assert "meets at least one condition: nco_service_years, award, martyr_child" == (
        reason.message_en
    )


def veteran_2024(**more: Any) -> Veteran:
    """Discharged 2025-03-01 after two years: the 2024 regulation."""
    return veteran(enlisted_on=D(2023, 3, 1), discharged_on=D(2025, 3, 1), **more)


@pytest.mark.parametrize(
    ("sanction", "eligible"),
    [
        # a prison term in effect on the evaluation date, begun after the discharge
        (Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 6, 1)), False),
        # ended: the prosecution still happened while waiting
        (
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 6, 1), until=D(2025, 9, 1)
            ),
            False,
        ),
        # a cancelling sentence
        (Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2025, 6, 1)), False),
        # being wanted is not a punishment
        (Sanction(kind=SanctionKind.WANTED, since=D(2025, 6, 1)), True),
        # an expulsion from the army after the discharge is not a criminal punishment
        (Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2025, 6, 1)), True),
    ],
)
def test_sanctions_after_discharge_cancel_only_when_criminal(
    sanction: Sanction, eligible: bool
) -> None:
    decision = decide(veteran_2024(awards=MERIT, sanctions=(sanction,)))

    assert eligible is decision.eligible
    (reason,) = [r for r in decision.reasons if r.code == "placement.not_cancelled"]
    assert "《退役军人安置条例》(2024) 第三十四条" in str(reason.citation)


def test_a_later_prosecution_is_explained_as_falling_in_the_waiting_period() -> None:
    sanction = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 6, 1))

    text = decide(veteran_2024(awards=MERIT, sanctions=(sanction,))).explain()

    assert "read as prosecution while waiting for a job" in text
    assert "the placement date is not recorded" in text


def test_a_criminal_sanction_before_the_discharge_overrides_the_circumstance() -> None:
    sanction = Sanction(
        kind=SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS, since=D(2024, 1, 1), until=D(2024, 6, 1)
    )
    subject = veteran_2024(
        awards=MERIT, sanctions=(sanction,), facts={"criminally_punished": False}
    )

    decision = decide(subject)

    (reason,) = [r for r in decision.reasons if r.code == "exclusion.criminally_punished"]
    assert (False, False) == (decision.eligible, reason.held)
    assert "deprivation-of-political-rights since 2024-01-01" in reason.message_en


def test_a_death_after_discharge_does_not_undo_the_qualification() -> None:
    decision = decide(veteran(awards=MERIT, died_on=D(2022, 3, 15)))

    assert decision.eligible is True


def test_officers_and_early_discharges_read_no_parameters() -> None:
    officer = veteran(
        personnel="officer",
        enlisted_on=D(2000, 9, 1),
        mode=DischargeMode.CIVILIAN_TRANSFER,
    )
    early = veteran(
        personnel="junior-nco", enlisted_on=D(1998, 9, 1), discharged_on=D(2011, 10, 31)
    )

    for subject in (officer, early):
        decision = decide(subject)
        assert (False, (), (), ()) == (
            decision.eligible,
            decision.parameters,
            decision.missing,
            decision.deadlines,
        )
    assert "before 2011-11-01" in decide(early).explain()
    assert "《退役士兵安置条例》(2011) 第五十三条" in decide(early).explain()


@pytest.mark.parametrize(
    ("discharged_on", "expected", "version"),
    [
        (D(2024, 8, 31), "the 2011 regulation applies", D(2011, 11, 1)),
        (D(2024, 9, 1), "the 2024 regulation applies", D(2024, 9, 1)),
    ],
)
def test_the_discharge_date_chooses_the_regulation_and_the_parameter_versions(
    discharged_on: dt.date, expected: str, version: dt.date
) -> None:
    subject = veteran(
        personnel="senior-nco", enlisted_on=D(2010, 9, 1), discharged_on=discharged_on
    )

    decision = decide(subject)

    assert expected in decision.explain()
    assert {version} == {u.effective_from for u in decision.parameters}


# --- settled facts before figures -------------------------------------------------------------

THRESHOLD = "arranged_employment.nco_service_years"


def without_threshold() -> RuleBook:
    """The national book with the service-years threshold unknown (no version)."""
    current = NATIONAL.parameters[THRESHOLD]
    layer = {THRESHOLD: attrs.evolve(current, versions=(), confirmed_through=None)}
    return attrs.evolve(NATIONAL, parameters=NATIONAL.parameters.layered(layer))


@pytest.mark.parametrize(
    ("subject", "failed"),
    [
        (
            veteran_2024(personnel="senior-nco", facts={"expelled_from_party": True}),
            "exclusion.expelled_from_party",
        ),
        (
            veteran(
                personnel="senior-nco",
                enlisted_on=D(2008, 9, 1),
                sanctions=(
                    Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2021, 1, 1)),
                ),
            ),
            "placement.not_cancelled",
        ),
    ],
    ids=["excluded (2024)", "prosecuted while waiting (2011)"],
)
def test_a_case_an_exclusion_settles_needs_no_service_years_threshold(
    subject: Veteran, failed: str
) -> None:
    bundled = decide(subject)

    decision = decide(subject, book=without_threshold())

    (term,) = [r for r in decision.reasons if r.code == "condition.nco_service_years"]
    assert (False, False, None) == (bundled.eligible, decision.eligible, term.held)
    assert "the threshold is not known" in term.message_en
    assert "not needed" in term.message_en
    assert () == decision.missing
    assert failed in [r.code for r in decision.reasons if r.held is False]
    (qualifying,) = [r for r in decision.reasons if r.code == "qualifying_condition"]
    assert qualifying.held is None  # condition (一) unknown, the others not met
    assert THRESHOLD not in {u.key for u in decision.parameters}
    assert THRESHOLD in {u.key for u in bundled.parameters}


def test_an_nco_the_facts_do_not_settle_still_needs_the_threshold() -> None:
    with pytest.raises(errors.ParameterMissing):
        decide(veteran_2024(personnel="senior-nco"), book=without_threshold())
