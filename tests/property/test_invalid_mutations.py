"""Every invalid mutation of a valid value raises the documented error, naming the field.

Values come from the public strategies; each test breaks one rule with ``attrs.evolve`` (or a
workflow step) and checks the exact error type and its ``field``. A state machine drives an
assistance case through random steps, allowed or not, against a plain model of the workflow.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidAmount,
    InvalidResidentId,
    InvalidValue,
)
from veteran_affairs.identity import DivisionLevel, ResidentId, Sex, check_character
from veteran_affairs.models import (
    MODEL_CLASSES,
    Activity,
    AssistanceCase,
    Award,
    CaseStatus,
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    NcoRank,
    Person,
    PersonnelType,
    PlaqueRecord,
    Sanction,
    ServiceRecord,
    ServiceStation,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.models.assistance import TRANSITIONS
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.money import yuan
from veteran_affairs.testing import strategies as vas

E = TypeVar("E", bound=BaseException)

DAY = dt.timedelta(days=1)
days_back = st.integers(min_value=1, max_value=10_000).map(lambda n: n * DAY)
days_back_or_same = st.integers(min_value=0, max_value=10_000).map(lambda n: n * DAY)
days_ahead = st.integers(min_value=1, max_value=10_000).map(lambda n: n * DAY)
discharged_records = vas.service_records(discharged=True)
CIRCUMSTANCE_FACTS = [field.name for field in attrs.fields(Circumstances)]


def raised(expected: type[E], build: Callable[[], object]) -> E:
    """The error ``build`` raises, which must be exactly of type ``expected``."""
    with pytest.raises(expected) as caught:
        build()
    assert expected is type(caught.value)
    return caught.value


# --- service records -----------------------------------------------------------------------


@given(discharged_records, days_back_or_same)
def test_a_discharge_not_after_enlistment_is_inconsistent(
    record: ServiceRecord, back: dt.timedelta
) -> None:
    error = raised(
        InconsistentRecord, lambda: attrs.evolve(record, discharged_on=record.enlisted_on - back)
    )

    assert "enlisted_on/discharged_on" == error.field


@given(discharged_records, st.data())
def test_a_discharge_mode_the_personnel_type_does_not_allow_is_inconsistent(
    record: ServiceRecord, data: st.DataObject
) -> None:
    allowed = ALLOWED_DISCHARGE_MODES[record.personnel_type]
    mode = data.draw(st.sampled_from([m for m in DischargeMode if m not in allowed]))

    error = raised(InconsistentRecord, lambda: attrs.evolve(record, discharge_mode=mode))

    assert "personnel_type/discharge_mode" == error.field


@given(vas.service_records(personnel_types=st.just(PersonnelType.NCO)))
def test_an_nco_without_a_rank_band_is_inconsistent(record: ServiceRecord) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(record, nco_rank=None))

    assert "personnel_type/nco_rank" == error.field


@given(
    vas.service_records(
        personnel_types=st.sampled_from((PersonnelType.OFFICER, PersonnelType.CONSCRIPT))
    ),
    st.sampled_from(tuple(NcoRank)),
)
def test_a_rank_band_for_someone_not_an_nco_is_inconsistent(
    record: ServiceRecord, rank: NcoRank
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(record, nco_rank=rank))

    assert "personnel_type/nco_rank" == error.field


@given(discharged_records, st.data())
def test_a_discharge_mode_without_a_discharge_date_is_inconsistent(
    record: ServiceRecord, data: st.DataObject
) -> None:
    allowed = sorted(ALLOWED_DISCHARGE_MODES[record.personnel_type], key=lambda m: m.value)
    mode = data.draw(st.sampled_from(allowed))

    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(record, discharged_on=None, discharge_mode=mode),
    )

    assert "discharge_mode/discharged_on" == error.field


@given(discharged_records, vas.awards(), days_back, st.booleans())
def test_an_award_outside_the_period_of_service_is_inconsistent(
    record: ServiceRecord, award: Award, shift: dt.timedelta, after: bool
) -> None:
    assert record.discharged_on is not None
    day = record.discharged_on + shift if after else record.enlisted_on - shift
    assume(day <= dt.date.today())  # a future award date is refused for that reason instead
    outside = attrs.evolve(award, awarded_on=day)

    error = raised(
        InconsistentRecord, lambda: attrs.evolve(record, awards=(*record.awards, outside))
    )

    assert f"awards[{len(record.awards)}].awarded_on" == error.field


# --- people --------------------------------------------------------------------------------


@given(vas.persons())
def test_a_sex_contradicting_the_id_is_inconsistent(person: Person) -> None:
    other = Sex.FEMALE if person.sex is Sex.MALE else Sex.MALE

    error = raised(InconsistentRecord, lambda: attrs.evolve(person, sex=other))

    assert "sex/resident_id" == error.field


@given(vas.persons(), days_back, st.booleans())
def test_a_birth_date_contradicting_the_id_is_inconsistent(
    person: Person, shift: dt.timedelta, later: bool
) -> None:
    day = person.birth_date + shift if later else person.birth_date - shift

    error = raised(InconsistentRecord, lambda: attrs.evolve(person, birth_date=day))

    assert "birth_date/resident_id" == error.field


@given(vas.persons(), days_back)
def test_a_death_before_birth_is_inconsistent(person: Person, back: dt.timedelta) -> None:
    error = raised(
        InconsistentRecord, lambda: attrs.evolve(person, died_on=person.birth_date - back)
    )

    assert "birth_date/died_on" == error.field


@given(vas.persons(), days_ahead)
def test_a_death_after_today_is_invalid(person: Person, ahead: dt.timedelta) -> None:
    error = raised(InvalidValue, lambda: attrs.evolve(person, died_on=dt.date.today() + ahead))

    assert "died_on" == error.field


@given(
    vas.veterans(
        personnel_types=st.sampled_from((PersonnelType.OFFICER, PersonnelType.NCO)),
    ),
    st.integers(1, 10),
)
def test_an_illness_disability_for_an_officer_or_senior_nco_is_inconsistent(
    veteran: Veteran, grade: int
) -> None:
    service = veteran.service
    if service.personnel_type is PersonnelType.NCO:
        service = attrs.evolve(service, nco_rank=NcoRank.INTERMEDIATE_OR_SENIOR)
    illness = Disability(
        grade=grade, nature=DisabilityNature.ILLNESS, assessed_on=service.enlisted_on
    )

    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(veteran, service=service, disability=illness),
    )

    assert "disability.nature/service.personnel_type" == error.field


@given(vas.veterans())
def test_a_veteran_still_serving_is_inconsistent(veteran: Veteran) -> None:
    serving = attrs.evolve(veteran.service, discharged_on=None, discharge_mode=None)

    error = raised(InconsistentRecord, lambda: attrs.evolve(veteran, service=serving))

    assert "service.discharged_on" == error.field


@given(vas.veterans(), days_back_or_same)
def test_enlisting_on_or_before_birth_is_inconsistent(veteran: Veteran, back: dt.timedelta) -> None:
    early = attrs.evolve(veteran.service, enlisted_on=veteran.person.birth_date - back)

    error = raised(InconsistentRecord, lambda: attrs.evolve(veteran, service=early))

    assert "service.enlisted_on/person.birth_date" == error.field


@given(vas.veterans(disabled=True), days_back)
def test_a_disability_assessed_before_enlistment_is_inconsistent(
    veteran: Veteran, back: dt.timedelta
) -> None:
    assert veteran.disability is not None
    early = attrs.evolve(veteran.disability, assessed_on=veteran.service.enlisted_on - back)

    error = raised(InconsistentRecord, lambda: attrs.evolve(veteran, disability=early))

    assert "disability.assessed_on/service.enlisted_on" == error.field


@given(
    st.one_of(vas.veterans(), vas.survivors()),
    st.sampled_from(tuple(EntitlementCategory)),
    days_back,
)
def test_a_status_beginning_before_birth_is_inconsistent(
    holder: Veteran | Survivor, category: EntitlementCategory, back: dt.timedelta
) -> None:
    if isinstance(holder, Survivor) and category.survivor:
        category = holder.death_category.survivor_category
    status = EntitlementStatus(category=category, since=holder.person.birth_date - back)

    error = raised(
        InconsistentRecord, lambda: attrs.evolve(holder, statuses=(*holder.statuses, status))
    )

    assert f"statuses[{len(holder.statuses)}].since/person.birth_date" == error.field


@given(vas.survivors(), st.data())
def test_a_survivor_status_of_another_death_category_is_inconsistent(
    survivor: Survivor, data: st.DataObject
) -> None:
    expected = survivor.death_category.survivor_category
    wrong = data.draw(
        st.sampled_from([c for c in EntitlementCategory if c.survivor and c is not expected])
    )
    status = EntitlementStatus(category=wrong, since=survivor.deceased_on)

    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(survivor, statuses=(*survivor.statuses, status)),
    )

    assert f"statuses[{len(survivor.statuses)}].category/death_category" == error.field


@given(vas.survivors())
def test_a_survivor_who_is_the_deceased_is_inconsistent(survivor: Survivor) -> None:
    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(survivor, deceased_id=survivor.person.resident_id),
    )

    assert "deceased_id/person.resident_id" == error.field


# --- circumstances and sanctions -----------------------------------------------------------

not_bools = st.one_of(st.integers(), st.text(max_size=5), st.just(Decimal(1)))


@given(vas.circumstances(), st.sampled_from(CIRCUMSTANCE_FACTS), not_bools)
def test_a_fact_that_is_not_a_bool_or_none_is_invalid(
    circumstances: Circumstances, fact: str, value: Any
) -> None:
    error = raised(InvalidValue, lambda: attrs.evolve(circumstances, **{fact: value}))

    assert fact == error.field


@given(vas.sanctions(), days_back)
def test_a_sanction_ending_before_it_began_is_inconsistent(
    sanction: Sanction, back: dt.timedelta
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(sanction, until=sanction.since - back))

    assert "since/until" == error.field


@given(vas.sanctions(ended=False), days_ahead)
def test_a_sanction_beginning_after_today_is_invalid(
    sanction: Sanction, ahead: dt.timedelta
) -> None:
    error = raised(InvalidValue, lambda: attrs.evolve(sanction, since=dt.date.today() + ahead))

    assert "since" == error.field


@given(st.one_of(vas.veterans(), vas.survivors()), vas.circumstances())
def test_a_sanction_list_holding_something_else_is_invalid(
    holder: Veteran | Survivor, circumstances: Circumstances
) -> None:
    spoiled: tuple[Any, ...] = (*holder.sanctions, circumstances)

    error = raised(InvalidValue, lambda: attrs.evolve(holder, sanctions=spoiled))

    assert f"sanctions[{len(holder.sanctions)}]" == error.field


# --- disability ----------------------------------------------------------------------------


@given(vas.disabilities(), st.one_of(st.integers(max_value=0), st.integers(min_value=11)))
def test_a_disability_grade_outside_1_to_10_is_invalid(disability: Disability, grade: int) -> None:
    error = raised(InvalidValue, lambda: attrs.evolve(disability, grade=grade))

    assert "grade" == error.field


# --- resident identity numbers -------------------------------------------------------------

seventeen_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(seventeen_digits, st.integers(0, 16), st.integers(1, 9))
def test_the_check_character_changes_with_every_single_digit_substitution(
    body: str, position: int, step: int
) -> None:
    digit = str((int(body[position]) + step) % 10)
    changed = body[:position] + digit + body[position + 1 :]

    assert check_character(body) != check_character(changed)


@given(vas.resident_ids(), st.integers(0, 16), st.integers(1, 9))
def test_an_id_with_one_of_its_17_digits_changed_is_invalid(
    rid: ResidentId, position: int, step: int
) -> None:
    text = rid.unmasked
    digit = str((int(text[position]) + step) % 10)
    changed = text[:position] + digit + text[position + 1 :]

    error = raised(InvalidResidentId, lambda: ResidentId(changed))

    assert "resident_id" == error.field


@given(vas.resident_ids(), st.data())
def test_an_id_with_another_check_character_is_invalid(
    rid: ResidentId, data: st.DataObject
) -> None:
    text = rid.unmasked
    check = data.draw(st.sampled_from([c for c in "0123456789X" if c != text[17]]))

    error = raised(InvalidResidentId, lambda: ResidentId(text[:17] + check))

    assert "resident_id" == error.field


# --- households and plaques ----------------------------------------------------------------


@given(vas.households(), st.data())
def test_a_member_listed_twice_is_inconsistent(household: Household, data: st.DataObject) -> None:
    twice = data.draw(st.sampled_from(household.members))

    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(household, members=(*household.members, twice)),
    )

    assert "members" == error.field


@given(vas.households(), st.data())
def test_a_head_who_is_not_a_member_is_inconsistent(
    household: Household, data: st.DataObject
) -> None:
    stranger = data.draw(vas.resident_ids().filter(lambda rid: rid not in household.members))

    error = raised(InconsistentRecord, lambda: attrs.evolve(household, head=stranger))

    assert "head/members" == error.field


@given(vas.households())
def test_a_household_without_members_is_inconsistent(household: Household) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(household, members=()))

    assert "members" == error.field


@given(vas.plaque_records(recovered=True), days_back)
def test_a_plaque_recovered_before_it_was_hung_is_inconsistent(
    plaque: PlaqueRecord, back: dt.timedelta
) -> None:
    error = raised(
        InconsistentRecord, lambda: attrs.evolve(plaque, recovered_on=plaque.hung_on - back)
    )

    assert "hung_on/recovered_on" == error.field


@given(vas.plaque_records(recovered=True), st.booleans())
def test_a_recovery_needs_both_its_date_and_its_reason(
    plaque: PlaqueRecord, drop_date: bool
) -> None:
    dropped: dict[str, Any] = {"recovered_on" if drop_date else "recovery_reason": None}

    error = raised(InconsistentRecord, lambda: attrs.evolve(plaque, **dropped))

    assert "recovered_on/recovery_reason" == error.field


# --- entitlement statuses and activities ---------------------------------------------------


@given(vas.entitlement_statuses(), days_back)
def test_a_status_ending_before_it_begins_is_inconsistent(
    status: EntitlementStatus, back: dt.timedelta
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(status, until=status.since - back))

    assert "since/until" == error.field


@given(vas.activities(), vas.resident_ids())
def test_a_person_contacted_twice_in_one_activity_is_inconsistent(
    activity: Activity, someone: ResidentId
) -> None:
    twice = activity.contacts[0] if activity.contacts else someone
    contacts = (*activity.contacts, twice) if activity.contacts else (twice, twice)

    error = raised(InconsistentRecord, lambda: attrs.evolve(activity, contacts=contacts))

    assert "contacts" == error.field


@given(vas.activities(), st.integers(1, 5), vas.resident_ids())
def test_fewer_participants_than_contacts_is_inconsistent(
    activity: Activity, fewer: int, someone: ResidentId
) -> None:
    contacts = activity.contacts or (someone,)
    participants = max(0, len(contacts) - fewer)

    error = raised(
        InconsistentRecord,
        lambda: attrs.evolve(activity, contacts=contacts, participants=participants),
    )

    assert "participants/contacts" == error.field


# --- service stations ----------------------------------------------------------------------

lower_units = st.one_of(
    vas.division_codes(level=DivisionLevel.TOWNSHIP),
    vas.division_codes(level=DivisionLevel.VILLAGE),
)
upper_units = st.one_of(
    [vas.division_codes(level=level) for level in DivisionLevel if level <= DivisionLevel.COUNTY]
)


@given(vas.service_stations(divisions=lower_units))
def test_a_service_centre_at_township_or_village_level_is_inconsistent(
    station: ServiceStation,
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(station, kind=StationKind.CENTRE))

    assert "kind/division" == error.field


@given(vas.service_stations(divisions=upper_units))
def test_a_service_station_at_province_city_or_county_level_is_inconsistent(
    station: ServiceStation,
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(station, kind=StationKind.STATION))

    assert "kind/division" == error.field


opened = st.sampled_from((StationStatus.OPERATING, StationStatus.SUSPENDED, StationStatus.CLOSED))


@given(vas.service_stations(statuses=opened))
def test_a_site_that_opened_without_an_establishment_date_is_inconsistent(
    station: ServiceStation,
) -> None:
    error = raised(InconsistentRecord, lambda: attrs.evolve(station, established_on=None))

    assert "status/established_on" == error.field


@given(vas.service_stations(statuses=opened), st.dates(max_value=dt.date.today()))
def test_a_closing_date_goes_with_status_closed_and_only_with_it(
    station: ServiceStation, day: dt.date
) -> None:
    if station.status is StationStatus.CLOSED:
        change: dict[str, Any] = {"closed_on": None}
    else:
        change = {"closed_on": day}

    error = raised(InconsistentRecord, lambda: attrs.evolve(station, **change))

    assert "status/closed_on" == error.field


@given(vas.service_stations(statuses=st.just(StationStatus.CLOSED)), days_back)
def test_a_site_closed_before_it_was_established_is_inconsistent(
    station: ServiceStation, back: dt.timedelta
) -> None:
    established = station.established_on
    assert established is not None

    error = raised(InconsistentRecord, lambda: attrs.evolve(station, closed_on=established - back))

    assert "established_on/closed_on" == error.field


# --- wrong types ---------------------------------------------------------------------------

# Money fields raise InvalidAmount (as money.yuan does); other decimals raise InvalidValue.
DECIMAL_FIELDS = st.sampled_from(
    [
        (vas.funding_allocations(), "amount", InvalidAmount),
        (vas.service_stations(), "office_area_m2", InvalidValue),
        (vas.assistance_cases(), "requested_amount", InvalidAmount),
    ]
)


@given(DECIMAL_FIELDS, st.floats(allow_nan=False, allow_infinity=False, min_value=0), st.data())
def test_a_float_where_a_decimal_is_expected_is_invalid(
    where: tuple[st.SearchStrategy[Any], str, type[InvalidValue]],
    number: float,
    data: st.DataObject,
) -> None:
    strategy, field, expected = where
    value = data.draw(strategy)

    error = raised(expected, lambda: attrs.evolve(value, **{field: number}))

    assert field == error.field


@given(st.floats(allow_nan=False))
def test_a_float_amount_is_refused_by_yuan(number: float) -> None:
    error = raised(InvalidAmount, lambda: yuan(number))  # type: ignore[arg-type]

    assert "amount" == error.field


class Unexpected:
    """A value of a type no model field accepts."""


@given(st.sampled_from(MODEL_CLASSES), st.data())
def test_a_value_of_the_wrong_type_in_any_field_is_invalid(cls: type, data: st.DataObject) -> None:
    value = data.draw(vas.STRATEGIES[cls])
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(cls)]))

    # InvalidValue or a subclass of it (money fields raise InvalidAmount).
    with pytest.raises(InvalidValue) as caught:
        attrs.evolve(value, **{field: Unexpected()})

    assert field == caught.value.field


# --- assistance cases ----------------------------------------------------------------------


@given(vas.assistance_cases(), vas.amounts(max_value="100000"))
def test_every_step_the_workflow_does_not_allow_is_an_illegal_transition(
    case: AssistanceCase, amount: Decimal
) -> None:
    refused = [to for to in CaseStatus if to not in TRANSITIONS[case.status]]
    last = case.history[-1].on

    for to in refused:
        approved = amount if to is CaseStatus.COUNTY_APPROVED else None
        step = functools.partial(
            case.advance, to, on=last, actor="county-01", approved_amount=approved
        )

        error = raised(IllegalTransition, step)

        assert (case.status.value, to.value) == (error.current, error.requested)


def reviewed(case: AssistanceCase) -> AssistanceCase:
    """The same application, reviewed by the township on the day it was made."""
    applied = case.history[0]
    fresh = AssistanceCase.apply(
        case_id=case.case_id,
        applicant=case.applicant,
        division=case.division,
        cause=case.cause,
        incident_on=case.incident_on,
        on=applied.on,
        actor=applied.actor,
    )
    return fresh.review(on=applied.on, actor="township-01")


@given(
    vas.assistance_cases(),
    vas.amounts(max_value="100000"),
    vas.amounts(min_value="0.01", max_value="1000"),
)
def test_approving_less_than_the_funding_is_inconsistent(
    case: AssistanceCase, amount: Decimal, excess: Decimal
) -> None:
    funding = (FundingAllocation(source=FundingSource.BUDGET, amount=amount + excess),)
    ready = reviewed(case)

    error = raised(
        InconsistentRecord,
        lambda: ready.approve(on=ready.history[-1].on, actor="c", amount=amount, funding=funding),
    )

    assert "funding/approved_amount" == error.field


@given(vas.assistance_cases(), vas.amounts(max_value="100000"))
def test_an_approved_amount_goes_with_county_approval_and_only_with_it(
    case: AssistanceCase, amount: Decimal
) -> None:
    approved = case.approved_amount is not None
    change = {"approved_amount": None, "funding": ()} if approved else {"approved_amount": amount}

    error = raised(InconsistentRecord, lambda: attrs.evolve(case, **change))

    assert "approved_amount/history" == error.field


@given(vas.assistance_cases(), days_back)
def test_a_step_dated_before_the_previous_one_is_inconsistent(
    case: AssistanceCase, back: dt.timedelta
) -> None:
    assume(len(case.history) >= 2)
    *earlier, last = case.history
    moved = attrs.evolve(last, on=earlier[-1].on - back)

    error = raised(InconsistentRecord, lambda: attrs.evolve(case, history=(*earlier, moved)))

    assert f"history[{len(earlier)}].on" == error.field


@given(vas.assistance_cases())
def test_a_history_that_does_not_begin_with_the_application_is_illegal(
    case: AssistanceCase,
) -> None:
    assume(len(case.history) >= 2)

    error = raised(IllegalTransition, lambda: attrs.evolve(case, history=case.history[1:]))

    second = case.history[1]
    assert second.from_status is not None
    assert (second.from_status.value, second.to_status.value) == (error.current, error.requested)


# --- a state machine for the assistance workflow -------------------------------------------


@st.composite
def applications(draw: st.DrawFn) -> AssistanceCase:
    """A case just applied for, early enough that later steps stay in the past."""
    latest = dt.date.today() - dt.timedelta(days=365)
    incident_on = draw(st.dates(min_value=dt.date(2019, 10, 9), max_value=latest))
    return AssistanceCase.apply(
        case_id="GX-CASE-1",
        applicant=draw(vas.resident_ids()),
        division=draw(vas.division_codes(level=DivisionLevel.COUNTY)),
        cause=draw(st.sampled_from(tuple(HardshipCause))),
        incident_on=incident_on,
        on=incident_on + draw(st.integers(0, 30)) * DAY,
        actor="applicant",
    )


@attrs.define
class PlainCase:
    """What the workflow should look like, kept by hand."""

    status: CaseStatus
    days: list[dt.date]
    approved: Decimal | None = None


class AssistanceCaseMachine(RuleBasedStateMachine):
    """Random steps, allowed or not, checked against :class:`PlainCase`."""

    case: AssistanceCase
    model: PlainCase

    @initialize(case=applications())
    def open_case(self, case: AssistanceCase) -> None:
        self.case = case
        self.model = PlainCase(status=CaseStatus.APPLIED, days=[case.applied_on])

    def next_day(self, wait: int) -> dt.date:
        return self.model.days[-1] + wait * DAY

    @rule(
        to=st.sampled_from(tuple(CaseStatus)),
        wait=st.integers(0, 45),
        amount=vas.amounts(max_value="100000"),
    )
    def step(self, to: CaseStatus, wait: int, amount: Decimal) -> None:
        on = self.next_day(wait)
        before = self.case
        approving = to is CaseStatus.COUNTY_APPROVED
        if to not in TRANSITIONS[self.model.status]:
            error = raised(
                IllegalTransition,
                lambda: before.advance(
                    to, on=on, actor="x", approved_amount=amount if approving else None
                ),
            )
            # The case stays as it was: the invariants compare it with the unchanged model.
            assert (self.model.status.value, to.value) == (error.current, error.requested)
            return
        if approving:
            self.case = before.approve(on=on, actor="county-01", amount=amount)
            self.model.approved = amount
        else:
            self.case = before.advance(to, on=on, actor="someone")
        self.model.status = to
        self.model.days.append(on)

    @precondition(lambda self: not self.model.status.final)
    @rule(back=st.integers(1, 400), data=st.data())
    def step_back_in_time(self, back: int, data: st.DataObject) -> None:
        allowed = sorted(TRANSITIONS[self.model.status], key=lambda s: s.value)
        to = data.draw(st.sampled_from(allowed))
        amount = Decimal(1) if to is CaseStatus.COUNTY_APPROVED else None
        on = self.model.days[-1] - back * DAY

        error = raised(
            InconsistentRecord,
            lambda: self.case.advance(to, on=on, actor="x", approved_amount=amount),
        )

        assert f"history[{len(self.model.days)}].on" == error.field

    @precondition(lambda self: self.model.status is CaseStatus.TOWNSHIP_REVIEWED)
    @rule(
        amount=vas.amounts(max_value="100000"),
        excess=vas.amounts(min_value="0.01", max_value="1000"),
    )
    def approve_less_than_the_funding(self, amount: Decimal, excess: Decimal) -> None:
        funding = (FundingAllocation(source=FundingSource.DONATION, amount=amount + excess),)
        on = self.next_day(0)

        error = raised(
            InconsistentRecord,
            lambda: self.case.approve(on=on, actor="c", amount=amount, funding=funding),
        )

        assert "funding/approved_amount" == error.field

    @precondition(lambda self: not self.model.status.final)
    @rule(data=st.data())
    def give_an_amount_on_a_step_other_than_approval(self, data: st.DataObject) -> None:
        allowed = sorted(TRANSITIONS[self.model.status], key=lambda s: s.value)
        to = data.draw(st.sampled_from(allowed))
        amount = None if to is CaseStatus.COUNTY_APPROVED else Decimal(1)
        on = self.next_day(0)

        error = raised(
            InconsistentRecord,
            lambda: self.case.advance(to, on=on, actor="x", approved_amount=amount),
        )

        assert "approved_amount" == error.field

    @invariant()
    def matches_the_plain_model(self) -> None:
        assert self.model.status is self.case.status
        assert self.model.days == [step.on for step in self.case.history]
        assert self.model.approved == self.case.approved_amount

    @invariant()
    def steps_are_allowed_and_dated_in_order(self) -> None:
        for before, after in itertools.pairwise(self.case.history):
            assert after.to_status in TRANSITIONS[before.to_status]
            assert before.on <= after.on


def test_an_assistance_case_follows_a_plain_model_of_its_workflow() -> None:
    run_state_machine_as_test(AssistanceCaseMachine, settings=settings(stateful_step_count=20))


@given(vas.veterans(), st.integers(min_value=1, max_value=3650))
def test_dying_before_discharge_is_inconsistent(veteran: Veteran, days: int) -> None:
    discharged = veteran.service.discharged_on
    assert discharged is not None
    died = max(discharged - dt.timedelta(days=days), veteran.person.birth_date)
    person = attrs.evolve(veteran.person, died_on=died)

    error = raised(InconsistentRecord, lambda: attrs.evolve(veteran, person=person))

    assert "person.died_on/service.discharged_on" == error.field


@given(vas.survivors(), st.integers(min_value=1, max_value=3650))
def test_a_survivor_dying_before_the_member_is_inconsistent(survivor: Survivor, days: int) -> None:
    died = max(survivor.deceased_on - dt.timedelta(days=days), survivor.person.birth_date)
    assume(died < survivor.deceased_on)
    person = attrs.evolve(survivor.person, died_on=died)

    error = raised(InconsistentRecord, lambda: attrs.evolve(survivor, person=person))

    assert "person.died_on/deceased_on" == error.field
