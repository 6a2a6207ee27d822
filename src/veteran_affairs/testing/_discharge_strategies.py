"""Hypothesis strategies for the discharge transition (退役安置过渡), valid by construction.

A transfer is drawn as a walk through its scheme's steps from the discharge order, stalls and
resumptions included, each step dated no earlier than the last. A discharge record draws a
mode the personnel type allows and only the events that mode has, each on or after the
approval. Discharge dates lie from 2011-11-01 (the 2011 regulation) to mid-2025 by default,
so that the bundled calendars cover every count; no drawn date lies after today.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentHistory,
    EmploymentRecord,
    EmploymentStatus,
    InsuranceScheme,
    InsuranceStatus,
    InsuranceTransfer,
    Regime,
    TrainingBasis,
    TrainingEnrolment,
    TrainingEntitlement,
    TrainingKind,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.models import DischargeMode, PersonnelType
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.parameters import Citation
from veteran_affairs.statutes import SOLDIER_PLACEMENT_2011
from veteran_affairs.testing.strategies import amounts, division_codes, resident_ids

__all__ = [
    "EARLIEST",
    "LATEST",
    "discharge_dates",
    "discharge_records",
    "employment_histories",
    "employment_records",
    "insurance_transfers",
    "training_enrolments",
    "training_entitlements",
]


def __dir__() -> list[str]:
    return __all__


EARLIEST = SOLDIER_PLACEMENT_2011.in_force
"""The first discharge date drawn by default: the 2011 regulation takes effect (2011-11-01)."""

LATEST = dt.date(2025, 6, 30)
"""The last discharge date drawn by default (counts from it stay in the bundled calendars)."""

_DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return dt.date.today()


def _after(draw: st.DrawFn, day: dt.date, most: int) -> dt.date:
    """A day from ``day`` to ``most`` days later, never after today (nor before ``day``)."""
    return max(day, min(day + draw(st.integers(0, most)) * _DAY, _today()))


def discharge_dates(low: dt.date = EARLIEST, high: dt.date = LATEST) -> st.SearchStrategy[dt.date]:
    """Discharge dates (by default under the 2011 and the 2024 regulations)."""
    return st.dates(min_value=low, max_value=min(high, _today()))


def _in_order(modes: frozenset[DischargeMode]) -> tuple[DischargeMode, ...]:
    return tuple(sorted(modes, key=lambda mode: mode.value))


@st.composite
def discharge_records(
    draw: st.DrawFn,
    *,
    dates: st.SearchStrategy[dt.date] | None = None,
    personnel_types: st.SearchStrategy[PersonnelType] | None = None,
    veterans: st.SearchStrategy[ResidentId] | None = None,
) -> DischargeRecord:
    """Discharge records with some of the events their mode allows, in order."""
    personnel_type = draw(
        st.sampled_from(tuple(PersonnelType)) if personnel_types is None else personnel_types
    )
    mode = draw(st.sampled_from(_in_order(ALLOWED_DISCHARGE_MODES[personnel_type])))
    discharged = draw(discharge_dates() if dates is None else dates)
    approved = None
    if draw(st.booleans()):
        approved = discharged - draw(st.integers(0, 10)) * _DAY
    start = approved or discharged
    soldier = personnel_type is not PersonnelType.OFFICER

    def maybe(after: dt.date | None, most: int) -> dt.date | None:
        if after is None or not draw(st.booleans()):
            return None
        return _after(draw, after, most)

    reported = maybe(start, 90)
    report_by = settled = received = placed = letter = on_post = None
    if soldier and mode is not DischargeMode.SELF_EMPLOYMENT and draw(st.booleans()):
        report_by = start + draw(st.integers(0, 60)) * _DAY
    if not soldier and draw(st.booleans()):
        settled = _after(draw, discharged - 60 * _DAY, 120)
    if mode is DischargeMode.ARRANGED_EMPLOYMENT:
        received = maybe(start, 60)
        placed = maybe(received, 250)
        letter = maybe(received, 250)
        on_post = maybe(letter, 60)
    school = draw(st.booleans())
    return DischargeRecord(
        veteran=draw(resident_ids() if veterans is None else veterans),
        unit=draw(st.none() | division_codes(level=DivisionLevel.COUNTY)),
        personnel_type=personnel_type,
        discharge_mode=mode,
        discharged_on=discharged,
        approved_on=approved,
        report_by=report_by,
        reported_on=reported,
        settlement_fixed_on=settled,
        registered_on=maybe(start, 90),
        received_on=received,
        placed_on=placed,
        letter_on=letter,
        on_post_on=on_post,
        school_place_reserved=school,
        school_entered_on=maybe(discharged, 800) if school else None,
        adaptive_trained_on=maybe(reported, 60),
    )


def _ordered(values: frozenset[InsuranceStatus]) -> tuple[InsuranceStatus, ...]:
    return tuple(sorted(values, key=lambda status: status.value))


@st.composite
def insurance_transfers(
    draw: st.DrawFn,
    *,
    schemes: st.SearchStrategy[InsuranceScheme] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    veterans: st.SearchStrategy[ResidentId] | None = None,
    max_steps: int = 12,
) -> InsuranceTransfer:
    """Transfers walked from the discharge order through allowed steps (stalls included)."""
    scheme = draw(st.sampled_from(tuple(InsuranceScheme)) if schemes is None else schemes)
    on = draw(discharge_dates() if dates is None else dates)
    destination: DivisionCode | None = None
    if draw(st.booleans()):
        destination = draw(division_codes(level=DivisionLevel.COUNTY))
    transfer = InsuranceTransfer.start(
        veteran=draw(resident_ids() if veterans is None else veterans),
        scheme=scheme,
        on=on,
        destination=destination,
    )
    for _ in range(draw(st.integers(0, max_steps))):
        allowed = transfer.allowed
        if not allowed:
            break
        to = draw(st.sampled_from(_ordered(allowed)))
        on = _after(draw, on, 30)
        amount = None
        if to is InsuranceStatus.SUBSIDY_COMPUTED and draw(st.booleans()):
            amount = draw(amounts(min_value="0", max_value="200000"))
        transfer = transfer.to(to, on=on, amount=amount)
    if scheme in (InsuranceScheme.PENSION, InsuranceScheme.SPOUSE_PENSION) and draw(st.booleans()):
        transfer = transfer.applied(on=_after(draw, transfer.history[0].on, 200))
    return transfer


@st.composite
def training_enrolments(
    draw: st.DrawFn,
    *,
    veterans: st.SearchStrategy[ResidentId] | None = None,
    kinds: st.SearchStrategy[TrainingKind] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    free: st.SearchStrategy[bool] | None = None,
) -> TrainingEnrolment:
    """Training courses, completed or not, certified only once completed."""
    enrolled = draw(discharge_dates() if dates is None else dates)
    completed = _after(draw, enrolled, 400) if draw(st.booleans()) else None
    return TrainingEnrolment(
        enrolment_id=f"PX-{draw(st.integers(1, 999_999)):06d}",
        veteran=draw(resident_ids() if veterans is None else veterans),
        unit=draw(st.none() | division_codes(level=DivisionLevel.COUNTY)),
        kind=draw(st.sampled_from(tuple(TrainingKind)) if kinds is None else kinds),
        enrolled_on=enrolled,
        free=draw(st.booleans() if free is None else free),
        provider=draw(st.none() | st.sampled_from(("县职业技术学校", "市技工院校"))),
        completed_on=completed,
        certified=completed is not None and draw(st.booleans()),
    )


_COUNTED = tuple(kind for kind in TrainingKind if kind.counted)


@st.composite
def training_entitlements(
    draw: st.DrawFn,
    *,
    max_free_uses: st.SearchStrategy[int] | None = None,
    veterans: st.SearchStrategy[ResidentId] | None = None,
) -> TrainingEntitlement:
    """Entitlements with a number of free courses and no more than that many used."""
    veteran = draw(resident_ids() if veterans is None else veterans)
    opens = draw(discharge_dates())
    closes = None if draw(st.booleans()) else _after(draw, opens, 400)
    most = draw(st.integers(0, 4) if max_free_uses is None else max_free_uses)
    high = min(closes or _today(), _today())
    used = draw(
        st.lists(
            training_enrolments(
                veterans=st.just(veteran),
                kinds=st.sampled_from(_COUNTED),
                dates=st.dates(min_value=opens, max_value=high),
                free=st.just(True),
            ),
            max_size=most,
            unique_by=lambda course: course.enrolment_id,
        )
    )
    return TrainingEntitlement(
        veteran=veteran,
        regime=draw(st.sampled_from(tuple(Regime))),
        basis=draw(st.sampled_from(tuple(TrainingBasis))),
        opens_on=opens,
        closes_on=closes,
        max_free_uses=most,
        citation=Citation(document="test"),
        used=tuple(used),
    )


_WITH_EMPLOYER = tuple(status for status in EmploymentStatus if status.has_employer)


@st.composite
def employment_records(
    draw: st.DrawFn,
    *,
    veterans: st.SearchStrategy[ResidentId] | None = None,
    statuses: st.SearchStrategy[EmploymentStatus] | None = None,
    dates: st.SearchStrategy[dt.date] | None = None,
    open_ended: bool | None = None,
) -> EmploymentRecord:
    """Employment spells; an employer and a contract only where the status has one.

    Args:
        open_ended: ``True`` for a spell still open, ``False`` for a closed one, ``None`` either.
    """
    status = draw(st.sampled_from(tuple(EmploymentStatus)) if statuses is None else statuses)
    started = draw(discharge_dates() if dates is None else dates)
    still_open = draw(st.booleans()) if open_ended is None else open_ended
    ended = None if still_open else _after(draw, started, 900)
    employer = contract = None
    indefinite = False
    if status.has_employer and draw(st.booleans()):
        employer = draw(st.sampled_from(("县供电公司", "市公交集团", "乡镇卫生院")))
        if draw(st.booleans()):
            contract = draw(st.integers(1, 10))
        else:
            indefinite = draw(st.booleans())
    return EmploymentRecord(
        record_id=f"JY-{draw(st.integers(1, 999_999)):06d}",
        veteran=draw(resident_ids() if veterans is None else veterans),
        unit=draw(st.none() | division_codes(level=DivisionLevel.COUNTY)),
        status=status,
        started_on=started,
        ended_on=ended,
        employer=employer,
        contract_years=contract,
        open_ended=indefinite,
        difficulty=draw(st.booleans()),
    )


@st.composite
def employment_histories(draw: st.DrawFn, *, max_records: int = 5) -> EmploymentHistory:
    """One veteran's records, each starting after the previous one ended."""
    veteran = draw(resident_ids())
    day = draw(discharge_dates())
    records: list[EmploymentRecord] = []
    for index in range(draw(st.integers(0, max_records))):
        if day > _today():
            break
        last = index == max_records - 1
        record = draw(
            employment_records(
                veterans=st.just(veteran),
                dates=st.just(day),
                open_ended=None if last else False,
            )
        )
        records.append(record)
        if record.ended_on is None:
            break
        day = record.ended_on + _DAY * draw(st.integers(1, 60))
    numbered = (
        attrs.evolve(record, record_id=f"JY-{n:06d}") for n, record in enumerate(records, start=1)
    )
    return EmploymentHistory(veteran=veteran, records=tuple(numbered))
