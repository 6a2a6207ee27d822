"""hardship_assistance (困难帮扶援助): scenario table, explanations, approval, funding totals."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.rules.builders import ELIGIBLE, resident_id, scenarios
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    AssistanceCase,
    CaseStatus,
    DeathCategory,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    HukouType,
    Person,
    PersonnelType,
    Relation,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RULES, Decision, Period, RuleBook
from veteran_affairs.rules.hardship_assistance import (
    COUNTED_STATUSES,
    AmountAboveCap,
    ApprovalRefused,
    DecisionMismatch,
    HardshipApplication,
    NotEligible,
    approve,
    funding_summary,
    funding_totals,
)

D = dt.date
RULE = "hardship_assistance"
SCENARIOS = scenarios(RULE)
WINDOW = "hardship_assistance.application_window_days"
CAP = "hardship_assistance.amount_cap"
# Test inputs, not law: no window and no cap is confirmed nationally or for Guangxi.
TEST_FIGURES = {WINDOW: "365", CAP: "20000"}
NATIONAL = RuleBook.load("national").with_parameters(TEST_FIGURES)
DECIDED = D(2026, 1, 6)
COUNTY = DivisionCode("450312")
DISCHARGED = D(1993, 3, 1)
INCIDENT = D(2020, 6, 1)
APPLIED = D(2020, 6, 3)
PENSION_SINCE = D(2000, 2, 1)


def resident(body: str) -> ResidentId:
    return resident_id(body)


def person(body: str, died_on: dt.date | None = None) -> Person:
    return Person(
        resident_id=resident(body),
        name="韦国强",
        hukou_division=DivisionCode("450312101201"),
        hukou_type=HukouType.RURAL,
        died_on=died_on,
    )


def veteran(
    *,
    discharged_on: dt.date = DISCHARGED,
    died_on: dt.date | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Veteran:
    return Veteran(
        person=person("45031219700101001", died_on),
        service=ServiceRecord(
            enlisted_on=D(1990, 3, 1),
            discharged_on=discharged_on,
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
        sanctions=sanctions,
    )


def survivor(
    *,
    relation: Relation = Relation.PARENT,
    status: tuple[dt.date, dt.date | None] | None = (PENSION_SINCE, None),
    elderly_since: dt.date | None = None,
    died_on: dt.date | None = None,
    sanctions: tuple[Sanction, ...] = (),
) -> Survivor:
    if relation is Relation.CHILD:
        body, deceased_on = "45031219550505003", D(1960, 1, 1)
        if status == (PENSION_SINCE, None):
            status = (D(1960, 2, 1), None)
    else:
        body, deceased_on = "45031219500505002", D(2000, 1, 1)
    statuses = []
    if status is not None:
        since, until = status
        statuses.append(
            EntitlementStatus(
                category=EntitlementCategory.MARTYR_SURVIVOR, since=since, until=until
            )
        )
    if elderly_since is not None:
        statuses.append(
            EntitlementStatus(
                category=EntitlementCategory.ELDERLY_MARTYR_CHILD, since=elderly_since
            )
        )
    return Survivor(
        person=person(body, died_on),
        relation=relation,
        death_category=DeathCategory.MARTYR,
        deceased_on=deceased_on,
        statuses=tuple(statuses),
        sanctions=sanctions,
    )


def case(
    applicant: ResidentId,
    *,
    incident_on: dt.date = INCIDENT,
    applied_on: dt.date = APPLIED,
    cause: HardshipCause = HardshipCause.SUDDEN_EVENT,
    requested: Decimal | None = None,
    case_id: str = "450312-2020-0001",
) -> AssistanceCase:
    return AssistanceCase.apply(
        case_id=case_id,
        applicant=applicant,
        division=COUNTY,
        cause=cause,
        incident_on=incident_on,
        on=applied_on,
        actor="applicant",
        requested_amount=requested,
    )


def earlier_case(
    applicant: ResidentId, incident_on: dt.date, cause: HardshipCause, status: str, number: int
) -> AssistanceCase:
    """Another case of the applicant, applied on the incident day, one step a day."""
    day = dt.timedelta(days=1)
    built = case(
        applicant,
        incident_on=incident_on,
        applied_on=incident_on,
        cause=cause,
        case_id=f"450312-EARLIER-{number:04d}",
    )
    built = built.review(on=incident_on + day, actor="township-01")
    if status == "township-reviewed":
        return built
    if status == "rejected":
        return built.reject(on=incident_on + 2 * day, actor="county-01")
    built = built.approve(on=incident_on + 2 * day, actor="county-01", amount=Decimal("3000"))
    if status == "withdrawn-after-approval":
        return built.withdraw(on=incident_on + 3 * day, actor="applicant")
    if status == "county-approved":
        return built
    built = built.publicise(on=incident_on + 3 * day, actor="county-01")
    if status == "publicised":
        return built
    assert status == "paid"
    return built.pay(on=incident_on + 4 * day, actor="county-01")


def date(value: str | None) -> dt.date | None:
    return D.fromisoformat(value) if value else None


def scenario_application(scenario: dict[str, Any]) -> HardshipApplication:
    sanctions = (
        (Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D.fromisoformat(since)),)
        if (since := scenario.get("sanction_since"))
        else ()
    )
    applicant: Veteran | Survivor
    if scenario.get("applicant", "veteran") == "veteran":
        applicant = veteran(
            discharged_on=D.fromisoformat(scenario.get("discharged_on", "1993-03-01")),
            died_on=date(scenario.get("died_on")),
            sanctions=sanctions,
        )
    else:
        raw = scenario.get("survivor_status", ["2000-02-01"])
        status = (
            None if raw == "none" else (D.fromisoformat(raw[0]), date(raw[1] if raw[1:] else None))
        )
        applicant = survivor(
            relation=Relation(scenario.get("relation", "parent")),
            status=status,
            elderly_since=date(scenario.get("elderly_martyr_child_since")),
            died_on=date(scenario.get("died_on")),
            sanctions=sanctions,
        )
    ordinary = {True: True, False: False, "unknown": None}[scenario.get("ordinary", True)]
    earlier = tuple(
        earlier_case(
            applicant.resident_id,
            D.fromisoformat(e["incident_on"]),
            HardshipCause(e["cause"]),
            e["status"],
            number,
        )
        for number, e in enumerate(scenario.get("earlier", ()), start=1)
    )
    requested = scenario.get("requested")
    return HardshipApplication(
        case=case(
            applicant.resident_id,
            incident_on=D.fromisoformat(scenario["incident_on"]),
            applied_on=D.fromisoformat(scenario["applied_on"]),
            cause=HardshipCause(scenario.get("cause", "sudden-event")),
            requested=Decimal(requested) if requested else None,
        ),
        applicant=applicant,
        ordinary_assistance_considered=ordinary,
        earlier_cases=earlier,
    )


def _toml_value(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    return f'"{value}"'


def flags_file(folder: Path, flags: dict[str, object]) -> Path:
    """A parameter file defining policy parameters the bundled books do not have yet."""
    lines = []
    for name, value in flags.items():
        lines += [
            "[[parameter]]",
            f'key = "hardship_assistance.{name}"',
            f'label_zh = "{name}"',
            f'label_en = "{name}"',
            'unit = "flag"',
            "  [[parameter.version]]",
            '  effective_from = "2019-10-09"',
            f"  value = {_toml_value(value)}",
            '  citation = { document = "test input, not law" }',
            "",
        ]
    path = folder / "hardship_flags.toml"
    path.write_text("\n".join(lines), "utf-8")
    return path


def scenario_book(scenario: dict[str, Any], folder: Path) -> RuleBook:
    supplied = {
        key: scenario[name] for key, name in ((WINDOW, "window"), (CAP, "cap")) if name in scenario
    }
    book = RuleBook.load(scenario.get("book", "national")).with_parameters(supplied)
    if "flags" in scenario:
        book = book.with_parameters(flags_file(folder, scenario["flags"]))
    return book


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    application = scenario_application(scenario)
    book = scenario_book(scenario, tmp_path)
    on = D.fromisoformat(scenario.get("on", DECIDED.isoformat()))

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            book.evaluate(RULE, application, on=on)
        return
    decision = book.evaluate(RULE, application, on=on)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    assert (
        ELIGIBLE[scenario["eligible"]],
        expected_amount,
        tuple(scenario.get("missing", ())),
    ) == (decision.eligible, decision.amount, decision.missing)


def test_every_scenario_names_its_basis() -> None:
    assert [] == [
        s["name"] for s in SCENARIOS if "62号" not in s["name"] and "条例" not in s["name"]
    ]


# --- the subject -----------------------------------------------------------------------------


def application(
    applicant: Veteran | Survivor | None = None,
    *,
    requested: Decimal | None = Decimal("5000"),
    ordinary: bool | None = True,
    built: AssistanceCase | None = None,
    earlier: tuple[AssistanceCase, ...] = (),
) -> HardshipApplication:
    who = veteran() if applicant is None else applicant
    return HardshipApplication(
        case=case(who.resident_id, requested=requested) if built is None else built,
        applicant=who,
        ordinary_assistance_considered=ordinary,
        earlier_cases=earlier,
    )


def decide(
    subject: HardshipApplication, on: dt.date = DECIDED, book: RuleBook = NATIONAL
) -> Decision:
    return book.evaluate(RULE, subject, on=on)


def test_the_applicant_record_must_be_the_case_applicant() -> None:
    other = case(resident("45031219800202004"))

    with pytest.raises(errors.InconsistentRecord) as caught:
        HardshipApplication(case=other, applicant=veteran(), ordinary_assistance_considered=True)

    assert "applicant.resident_id/case.applicant" == caught.value.field
    assert "19700101" not in str(caught.value)


def test_the_applicant_must_be_a_veteran_or_a_survivor() -> None:
    subject = veteran()

    with pytest.raises(errors.InvalidValue):
        HardshipApplication(
            case=case(subject.resident_id),
            applicant=subject.person,  # type: ignore[arg-type]
        )


def test_the_repr_masks_the_identity_number() -> None:
    text = repr(application())

    assert "450312-2020-0001" in text
    assert "19700101" not in text


def test_the_rule_is_registered_for_applications() -> None:
    rule = RULES[RULE]

    assert ("困难帮扶援助", (HardshipApplication,)) == (rule.label_zh, rule.subjects)
    assert "退役军人部发〔2019〕62号" == rule.basis[0].document
    assert D(2019, 10, 9) == rule.basis[0].effective


def test_a_veteran_is_not_decided_directly() -> None:
    with pytest.raises(errors.WrongSubject):
        NATIONAL.evaluate(RULE, veteran(), on=DECIDED)


# --- explanations ----------------------------------------------------------------------------


def test_explain_cites_the_policy_and_names_the_trigger_in_chinese() -> None:
    text = decide(application()).explain()

    assert "eligible (符合)" in text
    assert "退役军人部发〔2019〕62号 (in force 2019-10-09)" in text
    assert "帮扶援助情形：突发事件" in text
    assert "5000.00" in text
    assert "19700101" not in text


def test_the_amount_is_one_component_paid_once() -> None:
    decision = decide(application(requested=Decimal("30000")))

    assert [("assistance", "一次性帮扶援助金", Decimal("20000.00"), Period.ONCE)] == [
        (c.name, c.label_zh, c.amount, c.period) for c in decision.components
    ]
    assert "requested 30000 yuan, capped at 20000" in decision.explain()


def test_explain_names_the_missing_input() -> None:
    decision = decide(application(ordinary=None))

    assert (None, None) == (decision.eligible, decision.amount)
    assert "missing input (缺少信息): ordinary_assistance_considered" in decision.explain()
    assert "undetermined" in decision.explain()


def test_the_parameters_are_read_on_the_application_date() -> None:
    decision = decide(application(), on=D(2025, 1, 1))

    assert {WINDOW: D.min, CAP: D.min} == {
        u.key: u.effective_from for u in decision.parameters if u.key in (WINDOW, CAP)
    }
    assert "applied 2 days after the incident (window: 365 days)" in decision.explain()


def test_an_application_before_the_policy_is_explained_and_reads_no_figure() -> None:
    subject = veteran()
    built = case(subject.resident_id, incident_on=D(2019, 10, 1), applied_on=D(2019, 10, 8))

    decision = RuleBook.load("national").evaluate(
        RULE, application(subject, built=built), on=DECIDED
    )

    assert (False, ()) == (decision.eligible, decision.parameters)
    assert "before the policy took effect on 2019-10-09" in decision.explain()


def test_ordinary_assistance_not_considered_settles_the_case_without_the_window() -> None:
    bundled = RuleBook.load("national")  # no window and no cap bundled

    decision = decide(application(ordinary=False), book=bundled)

    (window,) = [r for r in decision.reasons if r.code == "application_window"]
    assert (False, None, ()) == (decision.eligible, window.held, decision.missing)
    assert "window not known for the date; not needed" in window.message_en
    assert ["ordinary_assistance"] == [r.code for r in decision.reasons if r.held is False]
    assert {WINDOW, CAP}.isdisjoint(u.key for u in decision.parameters)


def test_a_known_window_is_still_checked_when_ordinary_assistance_was_not_considered() -> None:
    decision = decide(application(ordinary=False))

    (window,) = [r for r in decision.reasons if r.code == "application_window"]
    assert (False, True) == (decision.eligible, window.held)
    assert "applied 2 days after the incident (window: 365 days)" == window.message_en
    assert CAP not in {u.key for u in decision.parameters}


def test_an_undetermined_case_still_needs_the_window() -> None:
    with pytest.raises(errors.ParameterMissing):
        decide(application(ordinary=None), book=RuleBook.load("national"))


def test_a_death_before_applying_is_explained() -> None:
    decision = decide(application(veteran(died_on=D(2020, 6, 2))))

    assert decision.eligible is False
    assert "died on 2020-06-02, before applying" in decision.explain()


def test_an_earlier_approval_for_the_incident_is_named() -> None:
    subject = veteran()
    earlier = earlier_case(
        subject.resident_id, D(2020, 6, 1), HardshipCause.SUDDEN_EVENT, "paid", 7
    )

    decision = decide(application(subject, earlier=(earlier,)))

    assert decision.eligible is False
    assert "already approved for the incident of 2020-06-01" in decision.explain()
    assert "450312-EARLIER-0007" in decision.explain()
    assert "一事一批" in decision.explain()


def test_cases_of_other_people_are_not_counted_for_one_per_incident() -> None:
    subject = veteran()
    stranger = earlier_case(
        resident("45031219800202004"), D(2020, 6, 1), HardshipCause.SUDDEN_EVENT, "paid", 1
    )

    assert decide(application(subject, earlier=(stranger,))).eligible is True


def test_the_case_itself_never_counts_against_itself() -> None:
    subject = veteran()
    built = case(subject.resident_id)
    approved = built.review(on=D(2020, 6, 4), actor="township-01").approve(
        on=D(2020, 6, 5), actor="county-01", amount=Decimal("5000")
    )

    decision = decide(application(subject, built=approved, earlier=(approved,)))

    assert decision.eligible is True


# --- sanctions -------------------------------------------------------------------------------


def flagged(tmp_path: Path, **flags: object) -> RuleBook:
    return NATIONAL.with_parameters(flags_file(tmp_path, flags))


PRISON = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 1, 1))


def test_a_sanction_in_effect_is_explained_but_does_not_bar_by_default() -> None:
    decision = decide(application(veteran(sanctions=(PRISON,))))

    (reason,) = [r for r in decision.reasons if r.code == "sanction"]
    assert (True, True) == (decision.eligible, reason.held)
    assert "do not bar one-off hardship assistance" in reason.message_en
    assert "《军人抚恤优待条例》(2019) 第五十条" in str(reason.citation)


def test_a_sanction_in_effect_bars_when_the_flag_says_so(tmp_path: Path) -> None:
    decision = decide(
        application(veteran(sanctions=(PRISON,))), book=flagged(tmp_path, sanctions_bar=1)
    )

    assert decision.eligible is False
    assert "in effect when applying: barred" in decision.explain()


def test_an_ended_sanction_is_not_mentioned(tmp_path: Path) -> None:
    ended = Sanction(
        kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2015, 1, 1), until=D(2016, 1, 1)
    )

    decision = decide(
        application(veteran(sanctions=(ended,))), book=flagged(tmp_path, sanctions_bar=1)
    )

    assert (True, []) == (decision.eligible, [r for r in decision.reasons if r.code == "sanction"])


@pytest.mark.parametrize(
    ("applied_on", "eligible", "article"),
    [(D(2024, 9, 30), True, None), (D(2024, 10, 1), False, "第五十九条")],
)
def test_an_expulsion_bars_only_under_the_2024_text(
    tmp_path: Path, applied_on: dt.date, eligible: bool, article: str | None
) -> None:
    expelled = Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2000, 1, 1))
    subject = veteran(sanctions=(expelled,))
    built = case(subject.resident_id, incident_on=applied_on, applied_on=applied_on)

    decision = decide(application(subject, built=built), book=flagged(tmp_path, sanctions_bar=1))

    assert eligible == decision.eligible
    reasons = [r for r in decision.reasons if r.code == "sanction"]
    assert ([] if article is None else [article]) == [
        str(r.citation.article) for r in reasons if r.citation
    ]


def test_a_cancelling_sanction_bars_under_the_flag(tmp_path: Path) -> None:
    life = Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2010, 1, 1))

    decision = decide(
        application(veteran(sanctions=(life,))), book=flagged(tmp_path, sanctions_bar=1)
    )

    assert decision.eligible is False


# --- approval --------------------------------------------------------------------------------


def reviewed(
    subject: Veteran | Survivor | None = None, *, ordinary: bool | None = True
) -> HardshipApplication:
    who = veteran() if subject is None else subject
    built = case(who.resident_id, requested=Decimal("8000")).review(
        on=D(2020, 6, 5), actor="township-01"
    )
    return application(who, built=built, ordinary=ordinary)


def test_approve_moves_an_eligible_case_to_county_approval() -> None:
    subject = reviewed()
    decision = decide(subject, on=D(2020, 6, 6))
    funding = (FundingAllocation(source=FundingSource.BUDGET, amount=Decimal("8000")),)

    approved = approve(
        subject, decision, on=D(2020, 6, 6), actor="county-01", amount="8000", funding=funding
    )

    assert (CaseStatus.COUNTY_APPROVED, Decimal("8000"), funding) == (
        approved.status,
        approved.approved_amount,
        approved.funding,
    )


def test_approve_may_grant_more_than_requested_up_to_the_cap() -> None:
    subject = reviewed()

    approved = approve(
        subject, decide(subject), on=D(2020, 6, 6), actor="county-01", amount=Decimal("20000")
    )

    assert Decimal("20000") == approved.approved_amount


def test_approve_decides_with_a_book_when_no_decision_is_given() -> None:
    approved = approve(reviewed(), on=D(2020, 6, 6), actor="county-01", amount=1000, book=NATIONAL)

    assert CaseStatus.COUNTY_APPROVED == approved.status


def test_approve_needs_a_decision_or_a_book() -> None:
    with pytest.raises(TypeError):
        approve(reviewed(), on=D(2020, 6, 6), actor="county-01", amount=1000)


def test_approve_refuses_above_the_cap_naming_case_amount_and_cap() -> None:
    subject = reviewed()

    with pytest.raises(AmountAboveCap) as caught:
        approve(subject, decide(subject), on=D(2020, 6, 6), actor="county-01", amount="20000.01")

    error = caught.value
    assert ("450312-2020-0001", "eligible", Decimal("20000.01"), Decimal("20000")) == (
        error.case_id,
        error.outcome,
        error.amount,
        error.cap,
    )
    assert "450312-2020-0001" in str(error)
    assert "超过单次援助金额上限" in str(error)


@pytest.mark.parametrize(("ordinary", "outcome"), [(False, "not eligible"), (None, "undetermined")])
def test_approve_refuses_a_case_that_is_not_eligible(ordinary: bool | None, outcome: str) -> None:
    subject = reviewed(ordinary=ordinary)

    with pytest.raises(NotEligible) as caught:
        approve(subject, decide(subject), on=D(2020, 6, 6), actor="county-01", amount="100")

    assert (outcome, "450312-2020-0001") == (caught.value.outcome, caught.value.case_id)
    assert f"decision {outcome}" in str(caught.value)


def test_approve_refuses_a_decision_for_another_case() -> None:
    subject = reviewed()
    other_case = case(subject.case.applicant, case_id="450312-2020-0002")
    other = application(subject.applicant, built=other_case)

    with pytest.raises(DecisionMismatch):
        approve(subject, decide(other), on=D(2020, 6, 6), actor="county-01", amount="100")


def test_approve_refuses_a_decision_of_another_rule() -> None:
    subject = reviewed()
    pension = NATIONAL.evaluate("key_entitled", subject.applicant, on=D(2020, 6, 6))

    with pytest.raises(DecisionMismatch):
        approve(subject, pension, on=D(2020, 6, 6), actor="county-01", amount="100")


def test_approve_keeps_the_case_state_machine() -> None:
    subject = application()  # still at the application, not reviewed

    with pytest.raises(errors.IllegalTransition):
        approve(subject, decide(subject), on=D(2020, 6, 6), actor="county-01", amount="100")


@pytest.mark.parametrize(
    "error",
    [
        NotEligible("C-1", "not eligible", Decimal("100")),
        AmountAboveCap("C-1", "eligible", Decimal("30000"), Decimal("20000")),
        DecisionMismatch("C-1", "eligible", Decimal("100")),
    ],
)
def test_approval_errors_are_value_errors_and_pickle(error: ApprovalRefused) -> None:
    copy = pickle.loads(pickle.dumps(error))

    assert isinstance(error, ValueError)
    assert isinstance(error, errors.VeteranAffairsError)
    assert (str(error), type(error)) == (str(copy), type(copy))


# --- funding ---------------------------------------------------------------------------------


def funded(
    number: int, amount: str, *allocations: tuple[FundingSource, str], last: str = "paid"
) -> AssistanceCase:
    body = f"45031219700101{number:03d}"
    built = case(resident(body), case_id=f"450312-2020-{number:04d}").review(
        on=D(2020, 6, 4), actor="township-01"
    )
    if last == "rejected":
        return built.reject(on=D(2020, 6, 5), actor="county-01")
    built = built.approve(
        on=D(2020, 6, 5),
        actor="county-01",
        amount=Decimal(amount),
        funding=tuple(FundingAllocation(source=s, amount=Decimal(a)) for s, a in allocations),
    )
    if last == "county-approved":
        return built
    built = built.publicise(on=D(2020, 6, 8), actor="county-01")
    return built.pay(on=D(2020, 6, 15), actor="county-01") if last == "paid" else built


def test_funding_totals_count_approved_publicised_and_paid_cases() -> None:
    cases = [
        funded(1, "5000", (FundingSource.BUDGET, "3000"), (FundingSource.CARE_FOUNDATION, "2000")),
        funded(2, "8000", (FundingSource.BUDGET, "8000"), last="county-approved"),
        funded(3, "1000", (FundingSource.DONATION, "600"), last="publicised"),
        funded(4, "0", last="rejected"),
    ]

    summary = funding_summary(cases)

    assert {
        FundingSource.BUDGET: Decimal("11000.00"),
        FundingSource.CARE_FOUNDATION: Decimal("2000.00"),
        FundingSource.DONATION: Decimal("600.00"),
        FundingSource.OTHER: Decimal("0.00"),
    } == funding_totals(cases)
    assert (Decimal("14000.00"), Decimal("400.00"), 3, 3) == (
        summary.total,
        summary.unallocated,
        summary.cases,
        summary.applicants,
    )
    assert summary.total == sum(summary.by_source.values()) + summary.unallocated


def test_funding_totals_can_count_only_paid_cases() -> None:
    cases = [
        funded(1, "5000", (FundingSource.BUDGET, "5000")),
        funded(2, "8000", (FundingSource.BUDGET, "8000"), last="publicised"),
    ]

    assert Decimal("5000.00") == funding_summary(cases, statuses={CaseStatus.PAID}).total


def test_funding_totals_use_the_status_on_a_date() -> None:
    cases = [funded(1, "5000", (FundingSource.BUDGET, "5000"))]

    before = funding_summary(cases, on=D(2020, 6, 4))
    after = funding_summary(cases, on=D(2020, 6, 5))

    assert (0, 1) == (before.cases, after.cases)
    assert COUNTED_STATUSES == {
        CaseStatus.COUNTY_APPROVED,
        CaseStatus.PUBLICISED,
        CaseStatus.PAID,
    }


def test_a_synthetic_year_in_the_shape_of_the_published_figure() -> None:
    """SYNTHETIC: 5,100 made-up cases adding to 17,490,000 yuan, the shape (not the data) of
    a published yearly figure (1,749万元 for 5,100+ people in 2020)."""
    cases = []
    for number in range(5100):
        big = number < 200
        amount = "13950" if big else "3000"
        budget = "10000" if big else "2000"
        rest = str(Decimal(amount) - Decimal(budget))
        body = f"450312{1960 + number // 999}0101{number % 999 + 1:03d}"
        built = AssistanceCase.apply(
            case_id=f"SYN-2020-{number:05d}",
            applicant=resident(body),
            division=COUNTY,
            cause=HardshipCause.SUDDEN_EVENT,
            incident_on=D(2020, 3, 1),
            on=D(2020, 3, 2),
            actor="applicant",
        ).review(on=D(2020, 3, 5), actor="township-01")
        built = built.approve(
            on=D(2020, 3, 10),
            actor="county-01",
            amount=Decimal(amount),
            funding=(
                FundingAllocation(source=FundingSource.BUDGET, amount=Decimal(budget)),
                FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=Decimal(rest)),
            ),
        )
        cases.append(
            built.publicise(on=D(2020, 3, 11), actor="county-01").pay(
                on=D(2020, 3, 20), actor="county-01"
            )
        )

    summary = funding_summary(cases)

    assert (Decimal("17490000.00"), 5100, 5100) == (
        summary.total,
        summary.cases,
        summary.applicants,
    )
    assert summary.total == sum(summary.by_source.values()) + summary.unallocated
