"""Laws of stored cases as hardship applications: every case gives exactly one outcome."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cli._decision_output import outcomes, stored_subjects, tally
from veteran_affairs.models import AssistanceCase, ServingMember, Survivor, Veteran
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.hardship_assistance import (
    CaseProblem,
    HardshipApplication,
    UndecidableCase,
    hardship_applications,
)
from veteran_affairs.testing import strategies as vst

RULE = "hardship_assistance"
TODAY = dt.date.today()
NATIONAL = RuleBook.load("national")
# Test inputs, not law: no window and no cap is confirmed nationally or for Guangxi.
WITH_FIGURES = NATIONAL.with_parameters(
    {
        "hardship_assistance.application_window_days": "365",
        "hardship_assistance.amount_cap": "20000",
    }
)

Stored = Veteran | Survivor | ServingMember


@st.composite
def stores(draw: st.DrawFn) -> tuple[list[Stored], list[AssistanceCase]]:
    """Persons of every kind, and cases by some of them, by absent people, several by one."""
    people: list[Stored] = draw(
        st.lists(
            st.one_of(vst.veterans(), vst.survivors(), vst.serving_members()),
            max_size=4,
            unique_by=lambda p: p.resident_id,
        )
    )
    absent = vst.resident_ids().filter(lambda rid: rid not in {p.resident_id for p in people})
    ids = st.sampled_from([p.resident_id for p in people]) if people else absent
    cases = draw(
        st.lists(
            vst.assistance_cases(applicants=st.one_of(ids, ids, absent)),
            max_size=6,
            unique_by=lambda c: c.case_id,
        )
    )
    return people, cases


@given(stores(), st.dictionaries(st.text(max_size=20), st.booleans(), max_size=3))
def test_every_case_gives_exactly_one_application_or_one_reason_in_order(
    store: tuple[list[Stored], list[AssistanceCase]], given_ordinary: dict[str, bool]
) -> None:
    people, cases = store
    persons = {p.resident_id: p for p in people}

    built = list(hardship_applications(cases, persons, ordinary_assistance=given_ordinary))

    assert [c.case_id for c in cases] == [b.case.case_id for b in built]
    for item in built:
        found = persons.get(item.case.applicant)
        if isinstance(item, UndecidableCase):
            expected = (
                CaseProblem.APPLICANT_NOT_FOUND if found is None else CaseProblem.APPLICANT_SERVING
            )
            assert expected == item.problem
            assert found is None or isinstance(found, ServingMember)
        else:
            assert found is item.applicant
            mine = [c for c in cases if c.applicant == item.case.applicant and c is not item.case]
            assert Counter(c.case_id for c in mine) == Counter(
                c.case_id for c in item.earlier_cases
            )
            assert given_ordinary.get(item.case.case_id) == item.ordinary_assistance_considered


@given(stores(), st.sampled_from((NATIONAL, WITH_FIGURES)))
def test_the_tally_of_stored_cases_adds_up_to_the_cases(
    store: tuple[list[Stored], list[AssistanceCase]], book: RuleBook
) -> None:
    people, cases = store
    subjects = stored_subjects(people, [], cases)
    applications = [s for s in subjects if isinstance(s, HardshipApplication)]
    undecidable = [s for s in subjects if isinstance(s, UndecidableCase)]

    (counted,) = tally(outcomes(book, subjects, [RULE], on=TODAY), [RULE])

    assert len(cases) == len(applications) + len(undecidable) == counted.records
    assert (len(applications), len(undecidable)) == (counted.decided, counted.not_decidable)
    assert counted.decided == (
        counted.eligible + counted.not_eligible + counted.undetermined + counted.no_parameter
    )
    assert counted.not_decidable == sum(counted.not_decidable_problems.values())
