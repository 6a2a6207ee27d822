"""retirement_or_support (退休、供养): scenario table, explanations, the placement kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.rules.builders import ELIGIBLE, PERSONNEL, flag_book, resident_id, scenarios
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
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
from veteran_affairs.rules.retirement_or_support import (
    RETIREMENT,
    RETIREMENT_OR_SUPPORT,
    SUPPORT,
    placement_kind,
)

D = dt.date
RULE = "retirement_or_support"
SCENARIOS = scenarios(RULE)
NATIONAL = RuleBook.load("national")
DECIDED = D(2026, 1, 6)
BORN = D(1970, 1, 1)
ENLISTED = D(2000, 9, 1)
DISCHARGED = D(2020, 9, 1)


def veteran(
    *,
    personnel: str = "senior-nco",
    born: dt.date = BORN,
    enlisted_on: dt.date = ENLISTED,
    discharged_on: dt.date = DISCHARGED,
    mode: DischargeMode | None = None,
    disability: Disability | None = None,
    incapacity: bool | None = False,
    sanctions: tuple[Sanction, ...] = (),
    died_on: dt.date | None = None,
) -> Veteran:
    body = f"450312{born:%Y%m%d}001"
    kind, rank = PERSONNEL[personnel]
    return Veteran(
        person=Person(
            resident_id=resident_id(body),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.URBAN,
            died_on=died_on,
        ),
        service=ServiceRecord(
            enlisted_on=enlisted_on,
            discharged_on=discharged_on,
            personnel_type=kind,
            nco_rank=rank,
            discharge_mode=mode,
        ),
        disability=disability,
        circumstances=Circumstances(certified_work_incapacity=incapacity),
        sanctions=sanctions,
    )


def scenario_subject(scenario: dict[str, Any]) -> Veteran:
    enlisted_on = D.fromisoformat(scenario.get("enlisted_on", "2000-09-01"))
    discharged_on = D.fromisoformat(scenario.get("discharged_on", "2020-09-01"))
    mode = scenario.get("mode", "unknown")
    disability = None
    if "disability" in scenario:
        raw = scenario["disability"]
        halfway = enlisted_on + (discharged_on - enlisted_on) / 2
        disability = Disability(
            grade=raw["grade"],
            nature=DisabilityNature(raw["nature"]),
            assessed_on=D.fromisoformat(raw["assessed_on"]) if "assessed_on" in raw else halfway,
        )
    incapacity = scenario.get("certified_work_incapacity", False)
    died = scenario.get("died_on")
    return veteran(
        personnel=scenario.get("personnel", "senior-nco"),
        born=D.fromisoformat(scenario.get("born", "1970-01-01")),
        enlisted_on=enlisted_on,
        discharged_on=discharged_on,
        mode=None if mode == "unknown" else DischargeMode(mode),
        disability=disability,
        incapacity=None if incapacity == "unknown" else bool(incapacity),
        sanctions=tuple(
            Sanction(kind=SanctionKind(s["kind"]), since=D.fromisoformat(s["since"]))
            for s in scenario.get("sanctions", ())
        ),
        died_on=D.fromisoformat(died) if died else None,
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    book = flag_book(NATIONAL, scenario.get("flags", {}), tmp_path)
    on = D.fromisoformat(scenario.get("on", DECIDED.isoformat()))

    decision = book.evaluate(RULE, scenario_subject(scenario), on=on)

    assert (
        ELIGIBLE[scenario["eligible"]],
        scenario.get("kind"),
        tuple(scenario.get("missing", ())),
    ) == (decision.eligible, placement_kind(decision), decision.missing)
    assert (None, None, (), ()) == (
        decision.amount,
        decision.monthly,
        decision.components,
        decision.deadlines,
    )
    if "parameters" in scenario:
        assert scenario["parameters"] == bool(decision.parameters)


def test_every_scenario_names_its_article() -> None:
    assert [] == [s["name"] for s in SCENARIOS if "第" not in s["name"]]


def decide(subject: Veteran, on: dt.date = DECIDED, book: RuleBook = NATIONAL) -> Decision:
    return book.evaluate(RULE, subject, on=on)


def held(decision: Decision, code: str) -> bool | None:
    (reason,) = [r for r in decision.reasons if r.code == code]
    return reason.held


def test_the_kind_is_read_from_the_retirement_and_support_reasons() -> None:
    both = decide(
        veteran(
            disability=Disability(
                grade=2, nature=DisabilityNature.IN_COMBAT, assessed_on=D(2010, 1, 1)
            )
        )
    )
    retired = decide(veteran(born=D(1960, 1, 1)))
    supported = decide(
        veteran(
            personnel="conscript",
            enlisted_on=D(2018, 9, 1),
            disability=Disability(
                grade=4, nature=DisabilityNature.ILLNESS, assessed_on=D(2019, 1, 1)
            ),
        )
    )

    assert [(True, True), (True, False), (False, True)] == [
        (held(d, RETIREMENT), held(d, SUPPORT)) for d in (both, retired, supported)
    ]
    assert [RETIREMENT_OR_SUPPORT, RETIREMENT, SUPPORT] == [
        placement_kind(d) for d in (both, retired, supported)
    ]


def test_placement_kind_refuses_a_decision_of_another_rule() -> None:
    other = NATIONAL.evaluate("arranged_employment", veteran(), on=DECIDED)

    with pytest.raises(InvalidValue):
        placement_kind(other)


def test_placement_kind_is_none_when_undetermined() -> None:
    decision = decide(veteran(incapacity=None))

    assert (None, None, ("circumstances.certified_work_incapacity",)) == (
        decision.eligible,
        placement_kind(decision),
        decision.missing,
    )
    assert "missing input (缺少信息): circumstances.certified_work_incapacity" in (
        decision.explain()
    )


def test_explain_cites_the_2011_articles_and_the_army_hospital() -> None:
    text = decide(veteran(incapacity=True)).explain()

    assert "eligible (符合)" in text
    assert "《退役士兵安置条例》(2011) 第四十一条" in text
    assert "certified by an army hospital" in text
    assert "《退役军人安置条例》(2024)" not in text
    assert "19700101" not in text  # the identity number is masked


def test_explain_cites_the_2024_articles() -> None:
    subject = veteran(
        enlisted_on=D(2010, 9, 1),
        discharged_on=D(2024, 9, 1),
        disability=Disability(grade=3, nature=DisabilityNature.ON_DUTY, assessed_on=D(2020, 1, 1)),
    )

    text = decide(subject).explain()

    assert "《退役军人安置条例》(2024) 第三十六条" in text
    assert "《退役军人安置条例》(2024) 第三十八条第二款" in text
    assert "may choose support for life instead of retirement" in text
    assert "《退役士兵安置条例》(2011)" not in text


def test_an_intermediate_nco_disabled_in_combat_at_grade_5_may_choose_a_job() -> None:
    subject = veteran(
        disability=Disability(grade=5, nature=DisabilityNature.IN_COMBAT, assessed_on=D(2010, 1, 1))
    )

    decision = decide(subject)

    assert (True, RETIREMENT) == (
        held(decision, "option.arranged_employment"),
        placement_kind(decision),
    )


def test_officers_are_not_decided_here_and_read_no_parameters() -> None:
    decision = decide(
        veteran(personnel="officer", born=D(1960, 1, 1), mode=DischargeMode.RETIREMENT)
    )

    assert (False, (), None) == (decision.eligible, decision.parameters, placement_kind(decision))
    assert "officers retire or are placed under other articles" in decision.explain()


def test_the_recorded_mode_is_named_but_does_not_decide() -> None:
    decision = decide(veteran(born=D(1960, 1, 1), mode=DischargeMode.SELF_EMPLOYMENT))

    assert (True, True) == (decision.eligible, held(decision, "service.discharge_mode"))
    assert "recorded discharge mode: self-employment" in decision.explain()


@pytest.mark.parametrize(
    "sanction",
    [
        Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 1, 1)),  # in effect
        Sanction(
            kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2021, 1, 1), until=D(2022, 1, 1)
        ),  # ended
        Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2023, 1, 1)),  # cancelling
        Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 2)),  # after discharge
    ],
)
def test_sanctions_after_the_discharge_do_not_change_the_placement(sanction: Sanction) -> None:
    decision = decide(veteran(born=D(1960, 1, 1), sanctions=(sanction,)))

    assert (True, RETIREMENT) == (decision.eligible, placement_kind(decision))


def test_an_expulsion_on_the_discharge_day_means_no_lawful_discharge() -> None:
    sanction = Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 1))

    decision = decide(veteran(born=D(1960, 1, 1), sanctions=(sanction,)))

    assert decision.eligible is False
    assert "not a lawful discharge" in decision.explain()


def test_a_death_after_discharge_does_not_undo_the_placement() -> None:
    decision = decide(veteran(born=D(1960, 1, 1), died_on=D(2023, 1, 1)))

    assert (True, RETIREMENT) == (decision.eligible, placement_kind(decision))


@pytest.mark.parametrize(
    ("discharged_on", "expected", "version"),
    [
        (D(2024, 8, 31), "第四十一条", D(2011, 11, 1)),
        (D(2024, 9, 1), "第三十六条", D(2024, 9, 1)),
    ],
)
def test_the_discharge_date_chooses_the_article_and_the_parameter_versions(
    discharged_on: dt.date, expected: str, version: dt.date
) -> None:
    decision = decide(veteran(born=D(1960, 1, 1), discharged_on=discharged_on))

    reason = next(r for r in decision.reasons if r.code == RETIREMENT)
    assert expected == (reason.citation.article if reason.citation else None)
    assert {version} == {u.effective_from for u in decision.parameters}
