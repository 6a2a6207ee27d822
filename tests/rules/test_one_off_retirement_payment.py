"""one_off_retirement_payment (一次性退役金): scenario table, explanations, deadline, sanctions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.rules.builders import ELIGIBLE, PERSONNEL, resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    Award,
    AwardKind,
    DischargeMode,
    HukouType,
    Person,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.rules import Decision, Period, RuleBook

D = dt.date
RULE = "one_off_retirement_payment"
SCENARIOS = scenarios(RULE)
STANDARD = "one_off_retirement_payment.annual_standard"
LOCAL = "one_off_retirement_payment.local_supplement"
# Test inputs, not law: the national standard and Guangxi's figures are not confirmed.
TEST_STANDARD = {STANDARD: "5000"}
TEST_LOCAL = {LOCAL: {"per_service_year": "1000", "fixed": "2000"}}
NATIONAL = RuleBook.load("national").with_parameters(TEST_STANDARD)

ENLISTED = D(2018, 9, 1)
DISCHARGED = D(2020, 9, 1)
DECIDED = D(2026, 1, 6)


def veteran(
    *,
    enlisted_on: dt.date = ENLISTED,
    discharged_on: dt.date = DISCHARGED,
    personnel: str = "conscript",
    mode: DischargeMode | None = DischargeMode.SELF_EMPLOYMENT,
    awards: tuple[AwardKind, ...] = (),
    died_on: dt.date | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Veteran:
    body = "45031219700101001"
    kind, rank = PERSONNEL[personnel]
    halfway = enlisted_on + (discharged_on - enlisted_on) / 2
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
            awards=tuple(Award(kind=k, awarded_on=halfway) for k in awards),
        ),
        sanctions=sanctions,
    )


def scenario_subject(scenario: dict[str, Any]) -> Veteran:
    mode = scenario.get("mode", "self-employment")
    expelled = scenario.get("expelled_on")
    died = scenario.get("died_on")
    return veteran(
        enlisted_on=D.fromisoformat(scenario["enlisted_on"]),
        discharged_on=D.fromisoformat(scenario["discharged_on"]),
        personnel=scenario.get("personnel", "conscript"),
        mode=None if mode == "unknown" else DischargeMode(mode),
        awards=tuple(AwardKind(a) for a in scenario.get("awards", ())),
        died_on=D.fromisoformat(died) if died else None,
        sanctions=(
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D.fromisoformat(expelled)),
        )
        if expelled
        else (),
    )


def scenario_book(scenario: dict[str, Any]) -> RuleBook:
    supplied: dict[str, Any] = {}
    if "standard" in scenario:
        supplied[STANDARD] = scenario["standard"]
    if "round_part_years" in scenario:
        supplied["one_off_retirement_payment.round_part_years"] = scenario["round_part_years"]
    if "local_supplement" in scenario:
        supplied[LOCAL] = scenario["local_supplement"]
    return RuleBook.load(scenario.get("book", "national")).with_parameters(supplied)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    subject = scenario_subject(scenario)
    book = scenario_book(scenario)
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            book.evaluate(RULE, subject, on=on)
        return
    decision = book.evaluate(RULE, subject, on=on)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    assert (
        ELIGIBLE[scenario["eligible"]],
        expected_amount,
        tuple(scenario.get("missing", ())),
    ) == (decision.eligible, decision.amount, decision.missing)
    if "components" in scenario:
        expected = {name: Decimal(amount) for name, amount in scenario["components"].items()}
        assert expected == {c.name: c.amount for c in decision.components}


def decide(subject: Veteran, on: dt.date = DECIDED, book: RuleBook = NATIONAL) -> Decision:
    return book.evaluate(RULE, subject, on=on)


def test_the_total_is_base_bonus_and_supplement_each_paid_once() -> None:
    book = RuleBook.load("guangxi").with_parameters({**TEST_STANDARD, **TEST_LOCAL})
    subject = veteran(awards=(AwardKind.SECOND_CLASS_MERIT,))

    decision = decide(subject, book=book)

    assert [
        ("base", "一次性退役金", Decimal("10000.00"), Period.ONCE),
        ("award_bonus", "立功受奖增发", Decimal("1000.00"), Period.ONCE),
        ("local_supplement", "一次性经济补助", Decimal("4000.00"), Period.ONCE),
    ] == [(c.name, c.label_zh, c.amount, c.period) for c in decision.components]
    assert decision.amount == sum(c.amount for c in decision.components)
    assert decision.monthly is None


def test_the_national_book_has_no_local_supplement() -> None:
    decision = decide(veteran())

    assert ["base"] == [c.name for c in decision.components]
    assert LOCAL not in [u.key for u in decision.parameters]


@pytest.mark.parametrize(
    ("discharged_on", "article"),
    [
        (D(2020, 9, 1), "《退役士兵安置条例》(2011) 第十九条"),
        (D(2024, 9, 1), "《退役军人安置条例》(2024) 第二十三条"),
    ],
)
def test_an_unknown_local_supplement_leaves_the_national_payment_due_and_names_it(
    discharged_on: dt.date, article: str
) -> None:
    book = RuleBook.load("guangxi").with_parameters(TEST_STANDARD)  # no supplement figure
    subject = veteran(
        enlisted_on=discharged_on.replace(year=discharged_on.year - 2),
        discharged_on=discharged_on,
        awards=(AwardKind.THIRD_CLASS_MERIT,),
    )

    decision = decide(subject, book=book)

    national = decide(subject)
    assert (True, national.amount, national.components, (f"parameter {LOCAL}",)) == (
        decision.eligible,
        decision.amount,
        decision.components,
        decision.missing,
    )
    (reason,) = [r for r in decision.reasons if r.code == "local_supplement"]
    assert reason.held is None
    assert article in str(reason.citation)
    assert "not included in the amount" in reason.message_en
    assert "未计入金额" in reason.message_zh
    assert LOCAL not in [u.key for u in decision.parameters]
    assert f"missing input (缺少信息): parameter {LOCAL}" in decision.explain()


def test_a_supplement_known_only_in_part_is_not_included_nor_listed_as_used() -> None:
    book = RuleBook.load("guangxi").with_parameters(
        {**TEST_STANDARD, LOCAL: {"per_service_year": "1000"}}  # no fixed part: a user's slip
    )

    decision = decide(veteran(), book=book)

    assert (True, Decimal("10000.00"), (f"parameter {LOCAL}",)) == (
        decision.eligible,
        decision.amount,
        decision.missing,
    )
    assert LOCAL not in [u.key for u in decision.parameters]


STALE_SUPPLEMENT = f"""
[[parameter]]
key = "{LOCAL}"
label_zh = "自主就业退役士兵一次性经济补助（广西）"
label_en = "Guangxi's one-off economic supplement for self-employed soldiers"
unit = "CNY"
confirmed_through = "2019-12-31"

  [[parameter.version]]
  effective_from = "2011-11-01"
  citation = {{ document = "test input, not law" }}
  value = {{ per_service_year = "1000", fixed = "2000" }}
"""


def test_a_supplement_past_its_confirmed_date_is_left_out_unless_stale_figures_are_allowed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "supplement.toml"
    path.write_text(STALE_SUPPLEMENT, encoding="utf-8")
    book = RuleBook.load("guangxi", parameters=path).with_parameters(TEST_STANDARD)

    strict = decide(veteran(), book=book)
    lenient = decide(veteran(), book=book.allowing_stale())

    assert (True, Decimal("10000.00"), (f"parameter {LOCAL}",), False) == (
        strict.eligible,
        strict.amount,
        strict.missing,
        strict.stale,
    )
    assert (True, Decimal("14000.00"), (), True) == (
        lenient.eligible,
        lenient.amount,
        lenient.missing,
        lenient.stale,
    )
    assert {LOCAL} == {u.key for u in lenient.stale_parameters}


def test_explain_cites_the_2011_regulation_for_a_discharge_before_2024_09_01() -> None:
    text = decide(veteran(awards=(AwardKind.THIRD_CLASS_MERIT,))).explain()

    assert "eligible (符合)" in text
    assert "10500.00" in text
    assert "《退役士兵安置条例》(2011) 第二十条" in text
    assert "《退役军人安置条例》(2024)" not in text
    assert "counts as 2 years" in text
    assert "bonus 5%" in text
    assert "19700101" not in text  # the identity number is masked


def test_explain_cites_the_2024_regulation_for_a_discharge_from_2024_09_01() -> None:
    subject = veteran(
        enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1), awards=(AwardKind.MEDAL,)
    )

    text = decide(subject).explain()

    assert "《退役军人安置条例》(2024) 第二十二条" in text
    assert "《退役军人安置条例》(2024) 第二十一条" in text
    assert "《退役士兵安置条例》(2011)" not in text
    assert "bonus 25%" in text


def test_explain_names_the_missing_discharge_mode() -> None:
    decision = decide(veteran(mode=None))

    assert (None, ("service.discharge_mode",)) == (decision.eligible, decision.missing)
    assert "missing input (缺少信息): service.discharge_mode" in decision.explain()
    assert "undetermined" in decision.explain()


def test_an_unlisted_award_is_named_beside_the_highest_one() -> None:
    decision = decide(veteran(awards=(AwardKind.MEDAL, AwardKind.THIRD_CLASS_MERIT)))

    bonus = [r.message_en for r in decision.reasons if r.code == "award.bonus"]
    assert ["highest award third-class-merit"] == [m.split(" (")[0] for m in bonus]
    assert "not listed, no bonus: medal" in bonus[0]


def test_a_2024_second_grade_commendation_is_counted_and_the_assumption_said() -> None:
    subject = veteran(
        enlisted_on=D(2022, 9, 1),
        discharged_on=D(2024, 9, 1),
        awards=(AwardKind.SECOND_GRADE_COMMENDATION,),
    )

    decision = decide(subject)

    assert Decimal("11500.00") == decision.amount
    assert "approved to carry the related treatment" in decision.explain()


def test_a_user_can_stop_counting_second_grade_commendations() -> None:
    rates = NATIONAL.parameters["one_off_retirement_payment.award_bonus_rate"].versions[-1].value
    assert isinstance(rates, Mapping)
    table = {k: v for k, v in rates.items() if k != "second-grade-commendation"}
    book = NATIONAL.with_parameters(
        {
            "one_off_retirement_payment.award_bonus_rate": {
                "effective_from": "2024-09-01",
                "value": table,
                "citation": "test override: count no 二级表彰",
            }
        }
    )
    subject = veteran(
        enlisted_on=D(2022, 9, 1),
        discharged_on=D(2024, 9, 1),
        awards=(AwardKind.SECOND_GRADE_COMMENDATION,),
    )

    assert Decimal("10000.00") == decide(subject, book=book).amount


def test_the_reporting_deadline_is_30_days_after_discharge_with_the_waiver() -> None:
    decision = decide(veteran(discharged_on=D(2020, 9, 1)))

    (deadline,) = decision.deadlines
    assert D(2020, 10, 1) == deadline.due
    assert "2020-10-31" in deadline.message_en
    assert "giving up the placement benefits" in deadline.message_en
    assert "视为放弃安置待遇" in deadline.message_zh
    assert deadline.citation is not None
    assert "《退役士兵安置条例》(2011) 第十三、十七条" == f"{deadline.citation.document} " + str(
        deadline.citation.article
    )


def test_the_2024_reporting_deadline_cites_article_51() -> None:
    decision = decide(veteran(enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1)))

    (deadline,) = decision.deadlines
    assert D(2024, 10, 1) == deadline.due
    assert deadline.citation is not None
    assert ("《退役军人安置条例》(2024)", "第五十一条") == (
        deadline.citation.document,
        deadline.citation.article,
    )


def test_the_deadline_is_shown_even_before_the_payment_is_due() -> None:
    decision = decide(veteran(), on=D(2020, 8, 31))

    assert [D(2020, 10, 1)] == [d.due for d in decision.deadlines]
    assert decision.eligible is False


def test_other_discharge_modes_have_no_reporting_deadline_here() -> None:
    decision = decide(veteran(mode=DischargeMode.ARRANGED_EMPLOYMENT))

    assert () == decision.deadlines


@pytest.mark.parametrize(
    ("discharged_on", "citation"),
    [
        (D(2020, 9, 1), "《退役士兵安置条例》(2011) 第十九条"),
        (D(2024, 9, 1), "《中华人民共和国个人所得税法》(2018) 第四条"),
    ],
)
def test_the_payment_is_tax_free(discharged_on: dt.date, citation: str) -> None:
    subject = veteran(
        enlisted_on=discharged_on.replace(year=discharged_on.year - 2), discharged_on=discharged_on
    )

    decision = decide(subject)

    tax = [r for r in decision.reasons if r.code == "tax_exempt"]
    assert [True] == [r.held for r in tax]
    assert citation in str(tax[0].citation)


def test_officers_get_no_payment_and_no_parameters_are_read() -> None:
    subject = veteran(
        personnel="officer",
        mode=DischargeMode.CIVILIAN_TRANSFER,
        enlisted_on=D(2008, 9, 1),
    )

    decision = RuleBook.load("national").evaluate(RULE, subject, on=D(2026, 1, 6))

    assert (False, None, (), ()) == (
        decision.eligible,
        decision.amount,
        decision.components,
        decision.parameters,
    )


def test_the_evaluation_date_does_not_change_the_payment() -> None:
    subject = veteran(discharged_on=D(2024, 8, 31), enlisted_on=D(2022, 8, 31))

    early = decide(subject, on=D(2024, 8, 31))
    late = decide(subject, on=D(2026, 11, 28))

    assert (early.eligible, early.amount, early.components) == (
        late.eligible,
        late.amount,
        late.components,
    )
    assert {u.effective_from for u in late.parameters if u.key != STANDARD} == {D(2011, 11, 1)}


def test_a_death_after_discharge_keeps_the_payment_and_says_why() -> None:
    decision = decide(veteran(died_on=D(2022, 3, 15)))

    alive = [r for r in decision.reasons if r.code == "person.alive_at_discharge"]
    assert [True] == [r.held for r in alive]
    assert "a later death does not undo the payment" in alive[0].message_en
    assert Decimal("10000.00") == decision.amount


def test_a_member_who_died_before_discharge_is_no_veteran_to_decide() -> None:
    # One who died in service was never discharged: the model refuses such a "veteran", so no
    # one-off payment can be decided for them (their survivors' rules apply instead).
    with pytest.raises(InconsistentRecord, match=r"person\.died_on/service\.discharged_on"):
        veteran(died_on=D(2020, 8, 15))


@pytest.mark.parametrize(
    "sanction",
    [
        # in effect on the evaluation date
        Sanction(
            kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 1, 1), until=D(2027, 1, 1)
        ),
        # ended
        Sanction(
            kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2021, 1, 1), until=D(2022, 1, 1)
        ),
        Sanction(kind=SanctionKind.WANTED, since=D(2025, 6, 1)),
        # cancelling sanctions, after the discharge
        Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2023, 1, 1)),
        Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 2)),
    ],
)
def test_sanctions_after_discharge_do_not_touch_the_one_off_payment(sanction: Sanction) -> None:
    decision = decide(veteran(sanctions=(sanction,)))

    assert (True, Decimal("10000.00")) == (decision.eligible, decision.amount)
    reasons = [r for r in decision.reasons if r.code == "sanction"]
    assert [True] == [r.held for r in reasons]
    assert "not a one-off payment due at discharge" in reasons[0].message_en


@pytest.mark.parametrize(
    ("on", "article"),
    [(D(2024, 9, 30), "《军人抚恤优待条例》(2019) 第五十条"), (D(2024, 10, 1), "第五十九条")],
)
def test_the_sanction_reason_cites_the_text_in_force_on_the_date(on: dt.date, article: str) -> None:
    sanction = Sanction(kind=SanctionKind.WANTED, since=D(2023, 6, 1))

    decision = decide(veteran(sanctions=(sanction,)), on=on)

    (reason,) = [r for r in decision.reasons if r.code == "sanction"]
    assert article in str(reason.citation)


@pytest.mark.parametrize("since", [D(2020, 8, 1), D(2020, 9, 1)])
def test_an_expulsion_on_or_before_the_discharge_date_is_not_a_lawful_discharge(
    since: dt.date,
) -> None:
    sanction = Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=since)

    decision = decide(veteran(sanctions=(sanction,)))

    assert (False, None) == (decision.eligible, decision.amount)
    assert "not a lawful discharge" in decision.explain()


def test_an_invalid_counting_flag_is_refused() -> None:
    book = NATIONAL.with_parameters({"one_off_retirement_payment.round_part_years": "2"})

    with pytest.raises(errors.InvalidValue):
        decide(veteran(), book=book)


def test_the_parameter_versions_used_are_the_ones_in_force_at_discharge() -> None:
    subject = veteran(
        enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1), awards=(AwardKind.MEDAL,)
    )

    decision = decide(subject, on=D(2026, 1, 6))

    used = {u.key: u.effective_from for u in decision.parameters}
    assert {
        "one_off_retirement_payment.round_part_years": D(2024, 9, 1),
        "one_off_retirement_payment.award_bonus_rate": D(2024, 9, 1),
        STANDARD: D.min,
    } == used


def test_a_discharge_before_2011_11_01_is_explained_as_outside_these_regulations() -> None:
    subject = veteran(enlisted_on=D(2009, 10, 31), discharged_on=D(2011, 10, 31))

    decision = RuleBook.load("national").evaluate(RULE, subject, on=DECIDED)

    assert (False, (), ()) == (decision.eligible, decision.parameters, decision.deadlines)
    assert "before 2011-11-01" in decision.explain()
    assert "《退役士兵安置条例》(2011) 第五十三条" in decision.explain()


@pytest.mark.parametrize(
    ("discharged_on", "expected"),
    [
        (D(2024, 8, 31), "the 2011 regulation applies"),
        (D(2024, 9, 1), "the 2024 regulation applies"),
    ],
)
def test_explain_says_which_regulation_the_discharge_date_chose(
    discharged_on: dt.date, expected: str
) -> None:
    subject = veteran(enlisted_on=D(2022, 9, 1), discharged_on=discharged_on)

    assert expected in decide(subject).explain()
