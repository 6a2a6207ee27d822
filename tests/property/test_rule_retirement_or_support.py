"""Laws of retirement_or_support (退休、供养), over generated veterans."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from veteran_affairs.models import (
    DisabilityNature,
    NcoRank,
    PersonnelType,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.rules.retirement_or_support import (
    RETIREMENT,
    RETIREMENT_OR_SUPPORT,
    SUPPORT,
    placement_kind,
)
from veteran_affairs.testing import strategies as vst

RULE = "retirement_or_support"
NATIONAL = RuleBook.load("national")
FIRST_DAY = dt.date(2011, 11, 1)  # 《退役士兵安置条例》(2011) in force
SWITCH = dt.date(2024, 9, 1)  # 《退役军人安置条例》(2024) in force
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
RANK = {False: 0, None: 1, True: 2}  # eligibility ordered: not eligible < unknown < eligible

discharge_dates = st.dates(min_value=FIRST_DAY, max_value=TODAY)
evaluation_dates = st.dates(min_value=FIRST_DAY, max_value=dt.date(2035, 12, 31))
people = vst.persons(
    resident_ids=vst.resident_ids(
        birth_dates=st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(1994, 12, 31))
    )
)


@st.composite
def veterans(
    draw: st.DrawFn, discharged_on: st.SearchStrategy[dt.date] = discharge_dates
) -> Veteran:
    """Veterans of every kind, 1 day to 35 years of service, some disabled, sanctioned, dead."""
    person = draw(people)
    discharged = draw(discharged_on)
    kind = draw(st.sampled_from(tuple(PersonnelType)))
    enlisted = discharged - dt.timedelta(days=draw(st.integers(1, 35 * 366)))
    assume(enlisted > person.birth_date)
    modes = sorted(ALLOWED_DISCHARGE_MODES[kind], key=lambda m: m.value)
    service = ServiceRecord(
        enlisted_on=enlisted,
        discharged_on=discharged,
        personnel_type=kind,
        nco_rank=draw(st.sampled_from(tuple(NcoRank))) if kind is PersonnelType.NCO else None,
        discharge_mode=draw(st.sampled_from((*modes, None))),
        awards=tuple(
            draw(
                st.lists(
                    vst.awards(awarded_on=st.dates(min_value=enlisted, max_value=discharged)),
                    max_size=3,
                )
            )
        ),
    )
    natures = [
        n for n in DisabilityNature if service.illness_disability_allowed or n.value != "illness"
    ]
    disability = draw(
        st.none()
        | vst.disabilities(
            natures=st.sampled_from(natures),
            assessed_on=st.dates(min_value=enlisted, max_value=TODAY),
        )
    )
    sanctions = draw(
        st.lists(
            vst.sanctions(since=st.dates(min_value=person.birth_date + DAY, max_value=TODAY)),
            max_size=2,
        )
    )
    if person.died_on is not None and person.died_on < service.discharged_on:  # type: ignore[operator]
        person = attrs.evolve(person, died_on=service.discharged_on)  # died after discharge
    return Veteran(
        person=person,
        service=service,
        disability=disability,
        circumstances=draw(vst.circumstances()),
        sanctions=tuple(sanctions),
    )


def decide(veteran: Veteran, on: dt.date = TODAY) -> Decision:
    return NATIONAL.evaluate(RULE, veteran, on=on)


@given(veterans(), evaluation_dates)
def test_decisions_never_raise_and_carry_no_amount(veteran: Veteran, on: dt.date) -> None:
    decision = decide(veteran, on)

    assert (None, None, (), ()) == (
        decision.amount,
        decision.monthly,
        decision.components,
        decision.deadlines,
    )


@given(veterans(), evaluation_dates)
def test_eligibility_is_unknown_exactly_when_an_input_is_missing(
    veteran: Veteran, on: dt.date
) -> None:
    decision = decide(veteran, on)

    assert (decision.eligible is None) == bool(decision.missing)


@given(veterans(), evaluation_dates)
def test_the_kind_matches_the_rank_band_and_exists_exactly_when_eligible(
    veteran: Veteran, on: dt.date
) -> None:
    decision = decide(veteran, on)
    kind = placement_kind(decision)

    assert (decision.eligible is True) == (kind is not None)
    senior = veteran.service.nco_rank is NcoRank.INTERMEDIATE_OR_SENIOR
    if kind in (RETIREMENT, RETIREMENT_OR_SUPPORT):
        assert senior
    if kind == SUPPORT:
        assert not senior
        assert veteran.service.personnel_type is not PersonnelType.OFFICER
        assert veteran.disability is not None
        assert veteran.disability.grade <= 4


@given(veterans(), st.integers(1, 20 * 366))
def test_more_service_never_removes_eligibility(veteran: Veteran, extra_days: int) -> None:
    service = veteran.service
    enlisted_on = service.enlisted_on - dt.timedelta(extra_days)
    assume(enlisted_on > veteran.person.birth_date)
    longer = attrs.evolve(veteran, service=attrs.evolve(service, enlisted_on=enlisted_on))

    short, long = decide(veteran), decide(longer)

    assert RANK[long.eligible] >= RANK[short.eligible]
    assert placement_kind(short) in (None, placement_kind(long))


@given(veterans(), st.integers(2, 10), st.integers(1, 9))
def test_a_more_severe_grade_never_removes_eligibility(
    veteran: Veteran, grade: int, steps: int
) -> None:
    assume(veteran.disability is not None)
    assert veteran.disability is not None
    lighter = attrs.evolve(veteran, disability=attrs.evolve(veteran.disability, grade=grade))
    heavier = attrs.evolve(
        veteran, disability=attrs.evolve(veteran.disability, grade=max(1, grade - steps))
    )

    light, heavy = decide(lighter), decide(heavier)

    assert RANK[heavy.eligible] >= RANK[light.eligible]


def shifted(veteran: Veteran, discharged_on: dt.date) -> Veteran:
    """The same veteran with the service moved to end on ``discharged_on`` (same length)."""
    service = veteran.service
    assert service.discharged_on is not None
    delta = discharged_on - service.discharged_on
    assume(service.enlisted_on + delta > veteran.person.birth_date)
    moved = attrs.evolve(
        service,
        enlisted_on=service.enlisted_on + delta,
        discharged_on=discharged_on,
        awards=tuple(attrs.evolve(a, awarded_on=a.awarded_on + delta) for a in service.awards),
    )
    disability = veteran.disability
    if disability is not None:
        disability = attrs.evolve(
            disability, assessed_on=min(TODAY, disability.assessed_on + delta)
        )
    person = veteran.person
    if person.died_on is not None and person.died_on < discharged_on:
        person = attrs.evolve(person, died_on=discharged_on)  # a veteran dies after discharge
    return attrs.evolve(veteran, person=person, service=moved, disability=disability)


@given(veterans())
def test_the_regime_switches_exactly_on_2024_09_01(veteran: Veteran) -> None:
    before = shifted(veteran, SWITCH - DAY)
    after = shifted(veteran, SWITCH)

    old, new = decide(before), decide(after)

    assert "《退役士兵安置条例》(2011)" == old.reasons[0].citation.document  # type: ignore[union-attr]
    assert "《退役军人安置条例》(2024)" == new.reasons[0].citation.document  # type: ignore[union-attr]
    assert {u.effective_from for u in old.parameters if u.effective_from != dt.date.min} <= {
        FIRST_DAY
    }
    assert {u.effective_from for u in new.parameters if u.effective_from != dt.date.min} <= {SWITCH}
    assert not [r for r in old.reasons if r.citation and "(2024)" in r.citation.document]
    assert not [r for r in new.reasons if r.citation and "(2011)" in r.citation.document]


@given(veterans())
def test_the_first_covered_discharge_day_is_2011_11_01(veteran: Veteran) -> None:
    before = shifted(veteran, FIRST_DAY - DAY)
    on_the_day = shifted(veteran, FIRST_DAY)

    old, new = decide(before), decide(on_the_day)

    assert (False, (), ()) == (old.eligible, old.parameters, old.missing)
    assert [True] == [r.held for r in new.reasons if r.code == "service.discharge_regime"]


@given(veterans(), evaluation_dates, evaluation_dates)
def test_any_date_after_discharge_gives_the_same_decision(
    veteran: Veteran, first: dt.date, second: dt.date
) -> None:
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    a = decide(veteran, max(first, discharged_on))
    b = decide(veteran, max(second, discharged_on))

    assert (a.eligible, a.missing, placement_kind(a)) == (b.eligible, b.missing, placement_kind(b))
