"""Stored cases as hardship applications (困难帮扶援助): one per case, or why there is none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.rules.builders import resident_id
from veteran_affairs import errors
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    AssistanceCase,
    DeathCategory,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    HardshipCause,
    HukouType,
    Person,
    PersonnelType,
    Relation,
    ServiceRecord,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.hardship_assistance import (
    CaseProblem,
    HardshipApplication,
    UndecidableCase,
    hardship_applications,
)

D = dt.date
COUNTY = DivisionCode("450312")
# Test inputs, not law: no window and no cap is confirmed nationally or for Guangxi.
BOOK = RuleBook.load("national").with_parameters(
    {
        "hardship_assistance.application_window_days": "365",
        "hardship_assistance.amount_cap": "20000",
    }
)


def person(body: str) -> Person:
    return Person(
        resident_id=resident_id(body),
        name="韦国强",
        hukou_division=DivisionCode("450312101201"),
        hukou_type=HukouType.RURAL,
    )


VETERAN = Veteran(
    person=person("45031219700101001"),
    service=ServiceRecord(
        enlisted_on=D(1990, 3, 1),
        discharged_on=D(1993, 3, 1),
        personnel_type=PersonnelType.CONSCRIPT,
        discharge_mode=DischargeMode.SELF_EMPLOYMENT,
    ),
)
SURVIVOR = Survivor(
    person=person("45031219500505002"),
    relation=Relation.PARENT,
    death_category=DeathCategory.MARTYR,
    deceased_on=D(2000, 1, 1),
    statuses=(
        EntitlementStatus(category=EntitlementCategory.MARTYR_SURVIVOR, since=D(2000, 2, 1)),
    ),
)
SERVING = ServingMember(
    person=person("45031220000303003"),
    service=ServiceRecord(enlisted_on=D(2019, 9, 1), personnel_type=PersonnelType.CONSCRIPT),
    enlisted_from=COUNTY,
)
INCIDENT = D(2020, 6, 1)
APPLIED = D(2020, 6, 3)
ABSENT = resident_id("45031219800404004")
PERSONS: dict[ResidentId, Veteran | Survivor | ServingMember] = {
    p.resident_id: p for p in (VETERAN, SURVIVOR, SERVING)
}


def case(
    applicant: ResidentId,
    number: int,
    *,
    incident_on: dt.date = INCIDENT,
    applied_on: dt.date = APPLIED,
) -> AssistanceCase:
    return AssistanceCase.apply(
        case_id=f"450312-2020-{number:04d}",
        applicant=applicant,
        division=COUNTY,
        cause=HardshipCause.SUDDEN_EVENT,
        incident_on=incident_on,
        on=applied_on,
        actor="applicant",
        requested_amount=Decimal("5000"),
    )


def test_every_other_case_of_the_applicant_is_an_earlier_case_and_the_case_itself_is_not() -> None:
    first, second, third = (case(VETERAN.resident_id, n) for n in (1, 2, 3))
    theirs = case(SURVIVOR.resident_id, 4)

    built = list(hardship_applications([first, theirs, second, third], PERSONS))

    assert [first, theirs, second, third] == [b.case for b in built]
    assert all(isinstance(b, HardshipApplication) for b in built)
    earlier = {b.case.case_id: b.earlier_cases for b in built if isinstance(b, HardshipApplication)}
    assert {
        "450312-2020-0001": (second, third),
        "450312-2020-0004": (),
        "450312-2020-0002": (first, third),
        "450312-2020-0003": (first, second),
    } == earlier


def test_a_case_whose_applicant_is_not_in_the_store_is_given_back_undecidable() -> None:
    lost = case(ABSENT, 1)

    (built,) = hardship_applications([lost], PERSONS)

    assert UndecidableCase(case=lost, problem=CaseProblem.APPLICANT_NOT_FOUND) == built
    assert isinstance(built, UndecidableCase)
    assert "applicant not in the store (申请人不在库中)" == built.message


def test_a_survivor_applicant_gives_an_application_with_the_survivors_record() -> None:
    theirs = case(SURVIVOR.resident_id, 1, incident_on=D(2021, 3, 1), applied_on=D(2021, 3, 15))

    given = {theirs.case_id: True}

    (built,) = hardship_applications([theirs], PERSONS, ordinary_assistance=given)

    assert (
        HardshipApplication(case=theirs, applicant=SURVIVOR, ordinary_assistance_considered=True)
        == built
    )
    assert (
        Decimal("5000.00") == BOOK.evaluate("hardship_assistance", built, on=D(2021, 4, 1)).amount
    )


def test_a_serving_member_applicant_is_given_back_undecidable() -> None:
    theirs = case(SERVING.resident_id, 1)

    (built,) = hardship_applications([theirs], PERSONS)

    assert UndecidableCase(case=theirs, problem=CaseProblem.APPLICANT_SERVING) == built
    assert isinstance(built, UndecidableCase)
    assert "申请人为现役军人" in built.message


def test_ordinary_assistance_is_unknown_unless_given_for_the_case() -> None:
    cases = [case(VETERAN.resident_id, n) for n in (1, 2, 3)]
    given = {"450312-2020-0001": True, "450312-2020-0002": False, "450312-2099-0000": True}

    unknown = list(hardship_applications(cases, PERSONS))
    known = list(hardship_applications(cases, PERSONS, ordinary_assistance=given))

    assert [None, None, None] == [
        b.ordinary_assistance_considered for b in unknown if isinstance(b, HardshipApplication)
    ]
    assert [True, False, None] == [
        b.ordinary_assistance_considered for b in known if isinstance(b, HardshipApplication)
    ]
    decision = BOOK.evaluate("hardship_assistance", unknown[0], on=D(2020, 6, 5))
    assert (None, ("ordinary_assistance_considered",)) == (decision.eligible, decision.missing)


def test_a_lookup_function_is_asked_once_per_applicant() -> None:
    asked: list[ResidentId] = []

    def lookup(rid: ResidentId) -> Veteran | Survivor | ServingMember | None:
        asked.append(rid)
        return PERSONS.get(rid)

    cases = [case(VETERAN.resident_id, 1), case(ABSENT, 2), case(VETERAN.resident_id, 3)]

    built = list(hardship_applications(iter(cases), lookup))

    assert [VETERAN.resident_id, ABSENT] == asked
    assert [HardshipApplication, UndecidableCase, HardshipApplication] == [type(b) for b in built]


def test_a_lookup_giving_another_persons_record_is_refused() -> None:
    def wrong(rid: ResidentId) -> Veteran:
        return VETERAN

    built: Iterator[object] = hardship_applications([case(ABSENT, 1)], wrong)

    with pytest.raises(errors.InconsistentRecord):
        next(built)


def test_an_approved_earlier_case_for_the_same_incident_makes_the_next_one_not_eligible() -> None:
    approved = (
        case(VETERAN.resident_id, 1, applied_on=D(2020, 6, 2))
        .review(on=D(2020, 6, 4), actor="township-01")
        .approve(on=D(2020, 6, 8), actor="county-01", amount=Decimal("8000"))
    )
    again = case(VETERAN.resident_id, 2, applied_on=D(2020, 7, 1))

    _, second = hardship_applications([approved, again], PERSONS, ordinary_assistance={})
    decision = BOOK.evaluate("hardship_assistance", second, on=D(2020, 7, 2))

    assert False is decision.eligible
    assert [False] == [r.held for r in decision.reasons if r.code == "one_per_incident"]


def test_the_repr_of_an_undecidable_case_masks_the_identity_number() -> None:
    text = repr(UndecidableCase(case=case(ABSENT, 1), problem=CaseProblem.APPLICANT_NOT_FOUND))

    assert "450312-2020-0001" in text
    assert "19800404" not in text
