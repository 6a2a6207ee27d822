"""glory_plaque (光荣牌): scenario table, explanations, cancellation, death, the county census."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    Household,
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    PlaqueRecoveryReason,
)
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.rules.glory_plaque import PlaqueCensus, PlaqueVisit, census

D = dt.date
RULE = "glory_plaque"
SCENARIOS = tomllib.loads(
    (Path(__file__).parent / "scenarios" / "glory_plaque.toml").read_text("utf-8")
)["scenario"]
NATIONAL = RuleBook.load("national")
ELIGIBLE = {True: True, False: False, "undetermined": None}
VILLAGE = "450312101201"  # a village of 临桂区, Guilin
LINGUI = DivisionCode("450312")


def rid(number: int, born: str = "19700101") -> ResidentId:
    body = f"450312{born}{number:03d}"
    return ResidentId(body + check_character(body))


def member(
    number: int = 1,
    *,
    basis: str = "veteran",
    since: str = "1992-12-01",
    died_on: str | None = None,
    certificate: bool | None = True,
) -> PlaqueMember:
    return PlaqueMember(
        resident_id=rid(number),
        basis=PlaqueBasis(basis),
        since=D.fromisoformat(since),
        died_on=None if died_on is None else D.fromisoformat(died_on),
        certificate_holder=certificate,
    )


def plaque_household(
    *,
    household_id: str = "450312-000001",
    hukou: str = VILLAGE,
    members: Sequence[Mapping[str, Any]] | None = None,
    applied_on: str | None = None,
    plaque_hung_on: str | None = None,
    plaque_recovered_on: str | None = None,
    plaque_recovery_reason: str | None = None,
    disqualifications: Sequence[Mapping[str, str]] = (),
) -> PlaqueHousehold:
    """The household the scenario table describes (see the header of the TOML file)."""
    listed = (
        [member()]
        if members is None
        else [member(i + 1, **{"certificate": None, **m}) for i, m in enumerate(members)]
    )
    booklet = tuple(dict.fromkeys([rid(1), *(m.resident_id for m in listed)]))
    plaque = (
        None
        if plaque_hung_on is None
        else PlaqueRecord(
            hung_on=D.fromisoformat(plaque_hung_on),
            recovered_on=None
            if plaque_recovered_on is None
            else D.fromisoformat(plaque_recovered_on),
            recovery_reason=None
            if plaque_recovery_reason is None
            else PlaqueRecoveryReason(plaque_recovery_reason),
        )
    )
    return PlaqueHousehold(
        household=Household(
            household_id=household_id,
            hukou_division=DivisionCode(hukou),
            head=rid(1),
            members=booklet,
            plaque=plaque,
        ),
        members=tuple(listed),
        disqualifications=tuple(
            PlaqueDisqualification(
                resident_id=rid(1),
                kind=PlaqueRecoveryReason(d["kind"]),
                on=D.fromisoformat(d["on"]),
                lifted_on=D.fromisoformat(d["lifted_on"]) if "lifted_on" in d else None,
            )
            for d in disqualifications
        ),
        applied_on=None if applied_on is None else D.fromisoformat(applied_on),
    )


def with_flags(book: RuleBook, flags: Mapping[str, int], folder: Path) -> RuleBook:
    """A book with flag parameters layered from a TOML file (a reading of the texts, not law)."""
    if not flags:
        return book
    text = "".join(
        f'[[parameter]]\nkey = "{key}"\nlabel_zh = "测试设定"\nlabel_en = "test reading"\n'
        f'unit = "flag"\n\n  [[parameter.version]]\n'
        f'  citation = {{ document = "test input (not law)" }}\n  value = "{value}"\n\n'
        for key, value in flags.items()
    )
    path = folder / "flags.toml"
    path.write_text(text, "utf-8")
    return book.with_parameters(path)


def reason(decision: Decision, code: str) -> list[str]:
    return [r.message_en for r in decision.reasons if r.code == code]


SUBJECT_FIELDS = (
    "members",
    "applied_on",
    "plaque_hung_on",
    "plaque_recovered_on",
    "plaque_recovery_reason",
    "disqualifications",
    "hukou",
)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    subject = plaque_household(**{k: scenario[k] for k in SUBJECT_FIELDS if k in scenario})
    book = with_flags(NATIONAL, scenario.get("flags", {}), tmp_path)

    decision = book.evaluate(RULE, subject, on=D.fromisoformat(scenario["on"]))

    recover = any(r.code == "recover" and r.held for r in decision.reasons)
    assert (
        ELIGIBLE[scenario["eligible"]],
        None,
        tuple(scenario.get("missing", ())),
        scenario.get("recover", False),
    ) == (decision.eligible, decision.amount, decision.missing, recover)


def test_scenarios_cover_both_sides_of_the_policy_date() -> None:
    dates = {s["on"] for s in SCENARIOS}

    assert {"2018-07-28", "2018-07-29"} <= dates
    assert all("条" in s["name"] or "号" in s["name"] for s in SCENARIOS)


# --- explanations ----------------------------------------------------------------------------


def test_explain_cites_the_2018_measure_and_masks_identity_numbers() -> None:
    decision = NATIONAL.evaluate(RULE, plaque_household(), on=D(2019, 3, 1))

    text = decision.explain()

    assert "eligible (符合)" in text
    assert "国办发〔2018〕72号 (in force 2018-07-29)" in text
    assert "19700101" not in text
    assert rid(1).masked in text
    assert "amount" not in text


def test_explain_cites_the_veterans_law_from_2021_01_01() -> None:
    before = NATIONAL.evaluate(RULE, plaque_household(), on=D(2020, 12, 31))
    after = NATIONAL.evaluate(RULE, plaque_household(), on=D(2021, 1, 1))

    assert "《退役军人保障法》(2020) 第五十九条" not in before.explain()
    assert "✓ 450312********0013 — family of a veteran since 1992-12-01: qualifies" in (
        after.explain().replace(rid(1).masked, "450312********0013")
    )
    assert "《退役军人保障法》(2020) 第五十九条 (in force 2021-01-01)" in after.explain()


def test_explain_cites_the_martyrs_regulation_from_2025_01_01() -> None:
    martyr = {
        "basis": "martyr",
        "since": "1979-02-20",
        "died_on": "1979-02-20",
        "certificate": True,
    }
    subject = plaque_household(members=[martyr])

    cited = [
        str(NATIONAL.evaluate(RULE, subject, on=on).reasons[1].citation)
        for on in (D(2021, 7, 31), D(2021, 8, 1), D(2024, 12, 31), D(2025, 1, 1))
    ]

    assert [
        "国办发〔2018〕72号 (in force 2018-07-29)",
        "《军人地位和权益保障法》(2021) 第三十一条 (in force 2021-08-01)",
        "《军人地位和权益保障法》(2021) 第三十一条 (in force 2021-08-01)",
        "《烈士褒扬条例》(2024) 第二十四条 (in force 2025-01-01)",
    ] == cited


def test_each_qualifying_member_is_listed_and_the_household_gets_one_plaque() -> None:
    subject = plaque_household(
        members=[
            {"basis": "veteran", "since": "1992-12-01", "certificate": True},
            {"basis": "serving-member", "since": "2019-09-01"},
            {"basis": "serving-member", "since": "2024-09-01", "certificate": True},
        ]
    )

    decision = NATIONAL.evaluate(RULE, subject, on=D(2022, 3, 1))

    assert [True, True, False] == [r.held for r in decision.reasons if r.code == "member"]
    assert ["one plaque for the household: 2 member(s) qualify"] == reason(
        decision, "household.basis"
    )
    assert True is decision.eligible


def test_explain_names_the_missing_certificate() -> None:
    subject = plaque_household(members=[{"certificate": None}])

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 3, 1))

    assert "missing input (缺少信息): members.certificate_holder" in decision.explain()
    assert "undetermined" == decision.outcome


def test_a_household_that_may_apply_is_told_so() -> None:
    subject = plaque_household(members=[{"certificate": False}])

    decision = NATIONAL.evaluate(RULE, subject, on=D(2019, 3, 1))

    assert ["no certificate holder and no application: the household may apply"] == reason(
        decision, "way"
    )
    assert False is decision.eligible


def test_the_county_of_the_hukou_hangs_the_plaque() -> None:
    decision = NATIONAL.evaluate(RULE, plaque_household(), on=D(2019, 3, 1))

    assert [
        "hung by the county-level government of the hukou: 450312000000 (hukou 450312101201)"
    ] == reason(decision, "hukou.county")


def test_a_hukou_recorded_only_at_city_level_is_said_so() -> None:
    decision = NATIONAL.evaluate(RULE, plaque_household(hukou="450300"), on=D(2019, 3, 1))

    assert "only at city level (450300000000)" in reason(decision, "hukou.county")[0]
    assert True is decision.eligible


# --- cancellation, recovery, restoration -----------------------------------------------------


def test_a_criminal_punishment_cancels_and_the_plaque_is_recovered_with_its_reason() -> None:
    subject = plaque_household(
        plaque_hung_on="2018-08-01",
        disqualifications=[{"kind": "criminal-punishment", "on": "2020-05-01"}],
    )

    decision = NATIONAL.evaluate(RULE, subject, on=D(2020, 5, 1))

    assert ["the plaque hung since 2018-08-01 must be recovered: criminal-punishment"] == reason(
        decision, "recover"
    )
    assert [f"cancelled: {rid(1).masked}: criminal-punishment on 2020-05-01"] == reason(
        decision, "disqualification"
    )
    assert "应收回2018-08-01悬挂的光荣牌：受到刑事处罚" in decision.explain()


def test_a_lifted_public_security_penalty_restores_the_plaque() -> None:
    penalty = {"kind": "public-security-penalty", "on": "2020-10-01", "lifted_on": "2021-05-01"}
    subject = plaque_household(disqualifications=[penalty])

    during = NATIONAL.evaluate(RULE, subject, on=D(2021, 4, 30))
    after = NATIONAL.evaluate(RULE, subject, on=D(2021, 5, 1))

    assert (False, True) == (during.eligible, after.eligible)
    assert "恢复悬挂" in after.explain()
    assert [] == reason(during, "recover")  # nothing hanging, nothing to take back


# --- death -----------------------------------------------------------------------------------


def test_after_the_veterans_death_the_plaque_is_kept_but_not_replaced() -> None:
    subject = plaque_household(members=[{"died_on": "2020-02-01"}], plaque_hung_on="2018-08-01")

    decision = NATIONAL.evaluate(RULE, subject, on=D(2021, 3, 1))

    assert True is decision.eligible
    assert [
        "every member it rests on has died: the family keeps the plaque, not replaced"
    ] == reason(decision, "plaque.not_replaced")


def test_a_death_before_the_policy_keeps_an_existing_plaque_only() -> None:
    died = {"died_on": "2017-01-01"}
    hanging = plaque_household(members=[died], plaque_hung_on="2018-08-01")
    none = plaque_household(members=[died])

    kept = NATIONAL.evaluate(RULE, hanging, on=D(2019, 3, 1))
    refused = NATIONAL.evaluate(RULE, none, on=D(2019, 3, 1))

    assert (True, False) == (kept.eligible, refused.eligible)
    assert ["the plaque hung since 2018-08-01 is kept (not replaced)"] == reason(
        kept, "plaque.kept"
    )
    assert "died on 2017-01-01, before 2018-07-29: gives no new plaque" in refused.explain()


def test_a_plaque_household_is_the_only_subject() -> None:
    with pytest.raises(errors.WrongSubject):
        NATIONAL.evaluate(RULE, plaque_household().household, on=D(2019, 3, 1))


# --- the county census -----------------------------------------------------------------------


def register() -> list[PlaqueHousehold]:
    """Six households of 临桂区 and one of another county, on 2022-03-01."""
    return [
        plaque_household(household_id="A", plaque_hung_on="2018-08-01"),  # eligible, hung
        plaque_household(household_id="B"),  # eligible, to hang
        plaque_household(  # eligible on application, to hang
            household_id="C", members=[{"certificate": False}], applied_on="2021-12-01"
        ),
        plaque_household(  # cancelled, to recover
            household_id="D",
            plaque_hung_on="2018-08-01",
            disqualifications=[{"kind": "expulsion", "on": "2021-06-01"}],
        ),
        plaque_household(household_id="E", members=[{"certificate": None}]),  # undetermined
        plaque_household(household_id="F", members=[{"certificate": False}]),  # may apply
        plaque_household(household_id="G", hukou="450305001001", plaque_hung_on="2018-08-01"),
    ]


def test_census_counts_eligible_and_hung_households_of_the_county() -> None:
    result = census(NATIONAL, register(), on=D(2022, 3, 1), county=LINGUI)

    assert (6, 3, 2, 1, 1) == (
        result.households,
        result.eligible,
        result.hung,
        result.hung_eligible,
        result.undetermined,
    )
    assert Decimal("0.3333") == result.coverage


def test_census_lists_households_to_hang_with_masked_reasons() -> None:
    result = census(NATIONAL, register(), on=D(2022, 3, 1), county=LINGUI)

    masked = rid(1).masked
    assert (
        PlaqueVisit(
            household_id="B",
            reasons=(
                f"{masked} — family of a veteran since 1992-12-01: qualifies",
                "hung proactively: the family holds the certificate",
            ),
        ),
        PlaqueVisit(
            household_id="C",
            reasons=(
                f"{masked} — family of a veteran since 1992-12-01: qualifies",
                "hung on application (applied on 2021-12-01)",
            ),
        ),
    ) == result.to_hang
    assert all("19700101" not in text for v in result.to_hang for text in v.reasons)


def test_census_lists_households_to_recover_and_to_ask() -> None:
    result = census(NATIONAL, register(), on=D(2022, 3, 1), county=LINGUI)

    assert (
        PlaqueVisit(
            household_id="D",
            reasons=(
                "the plaque hung since 2018-08-01 must be recovered: expulsion",
                f"cancelled: {rid(1).masked}: expulsion on 2021-06-01",
            ),
            kinds=(PlaqueRecoveryReason.EXPULSION,),
        ),
    ) == result.to_recover
    assert (
        PlaqueVisit(household_id="E", reasons=("missing: members.certificate_holder",)),
    ) == result.to_ask


def test_census_coverage_is_none_without_eligible_households() -> None:
    result = census(NATIONAL, register(), on=D(2018, 7, 28), county=LINGUI)

    assert (0, None) == (result.eligible, result.coverage)


def test_census_of_a_township_is_refused() -> None:
    with pytest.raises(errors.InvalidValue):
        census(NATIONAL, register(), on=D(2022, 3, 1), county=DivisionCode("450312101"))


def test_census_coverage_is_recomputed_from_counts_not_averaged() -> None:
    first = census(NATIONAL, register()[:2], on=D(2022, 3, 1), county=LINGUI)  # 1 of 2
    whole = census(NATIONAL, register()[:3], on=D(2022, 3, 1), county=LINGUI)  # 1 of 3

    assert (Decimal("0.5000"), Decimal("0.3333")) == (first.coverage, whole.coverage)
    assert isinstance(whole, PlaqueCensus)
    assert attrs.evolve(whole, hung_eligible=3).coverage == Decimal("1.0000")
