"""Work routines (工作制度): due dates on the working-day calendar and compliance per unit."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from veteran_affairs.cycles import routines
from veteran_affairs.cycles.calendar import CalendarDataMissing, calendar_for
from veteran_affairs.cycles.periods import HalfYear, Month, Quarter, Year
from veteran_affairs.cycles.routines import (
    GUANGXI_PRESET,
    BeforeFestival,
    ComplianceStatus,
    Cycle,
    Festival,
    Frequency,
    OnDayMovedToWorkday,
    WithinPeriod,
    compliance,
    schedule,
    spring_festival_holiday_start,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.activity import Activity, ActivityKind

NATIONAL = calendar_for()
GUANGXI = calendar_for("45")
COUNTY = DivisionCode("450312")
VILLAGE = DivisionCode("450312101001")
RECEPTION = GUANGXI_PRESET["reception-day"]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def activity(kind: ActivityKind, unit: DivisionCode, held_on: str, n: int = 0) -> Activity:
    return Activity(activity_id=f"a{n}-{held_on}", kind=kind, unit=unit, held_on=day(held_on))


def test_reception_day_on_a_sunday_moves_to_monday() -> None:
    occasions = schedule(RECEPTION, COUNTY, (day("2025-06-01"), day("2025-06-30")), GUANGXI)

    assert [day("2025-06-16")] == [o.due for o in occasions]


def test_reception_day_in_the_national_day_holiday_week_moves_past_it() -> None:
    first_of_month = attrs.evolve(RECEPTION, due=OnDayMovedToWorkday(day=1))

    occasions = schedule(first_of_month, COUNTY, (day("2025-10-01"), day("2025-10-31")), NATIONAL)

    assert [day("2025-10-09")] == [o.due for o in occasions]


def test_report_due_five_working_days_after_september_is_14_october() -> None:
    report = GUANGXI_PRESET["monthly-report"]

    occasions = schedule(report, COUNTY, (day("2025-09-01"), day("2025-09-30")), NATIONAL)

    assert [(Month(year=2025, month=9), day("2025-10-14"))] == [
        (o.period, o.due) for o in occasions
    ]


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (
            Frequency.MONTHLY,
            [Month(year=2024, month=m) for m in (11, 12)] + [Month(year=2025, month=1)],
        ),
        (Frequency.QUARTERLY, [Quarter(year=2024, quarter=4), Quarter(year=2025, quarter=1)]),
        (Frequency.HALF_YEARLY, [HalfYear(year=2024, half=2), HalfYear(year=2025, half=1)]),
        (Frequency.YEARLY, [Year(year=2024), Year(year=2025)]),
    ],
)
def test_every_period_overlapping_the_span_is_scheduled(
    frequency: Frequency, expected: list[object]
) -> None:
    assert expected == list(frequency.periods(day("2024-11-20"), day("2025-01-05")))


def test_spring_festival_comes_from_the_calendar_table_or_a_parameter() -> None:
    from_table = BeforeFestival(festival=Festival.SPRING_FESTIVAL, lead_days=30)
    given = attrs.evolve(from_table, dates=((2030, day("2030-02-02")),))

    assert day("2025-01-28") == spring_festival_holiday_start(2025)
    assert day("2025-01-28") == from_table.festival_date(2025)
    assert day("2030-02-02") == given.festival_date(2030)
    with pytest.raises(CalendarDataMissing):
        from_table.festival_date(2030)


def test_army_day_visit_is_due_the_day_before_and_opens_thirty_days_earlier() -> None:
    visit = GUANGXI_PRESET["army-day-visit"]

    [occasion] = schedule(visit, VILLAGE, (day("2024-01-01"), day("2024-12-31")), GUANGXI)

    assert (day("2024-07-02"), day("2024-07-31")) == (occasion.opens, occasion.due)


def test_reception_day_does_not_apply_to_village_stations() -> None:
    assert [] == schedule(RECEPTION, VILLAGE, (day("2025-06-01"), day("2025-06-30")), GUANGXI)
    assert [] == compliance(
        RECEPTION, [], [VILLAGE], (day("2025-06-01"), day("2025-06-30")), day("2025-07-01"), GUANGXI
    )


def test_a_guangxi_year_without_a_sanyuesan_notice_fails_loudly() -> None:
    with pytest.raises(CalendarDataMissing):
        schedule(RECEPTION, COUNTY, (day("2026-06-01"), day("2026-06-30")), GUANGXI)


def test_a_routine_no_activity_records_cannot_be_checked() -> None:
    with pytest.raises(ValueError, match="no activity kinds"):
        compliance(
            GUANGXI_PRESET["payment-confirmation"],
            [],
            [COUNTY],
            (day("2025-01-01"), day("2025-12-31")),
            day("2026-01-31"),
            NATIONAL,
        )


# A caseworker's check of June 2025's reception day (due Monday 16 June) at 临桂区.
RECEPTION_CASES = [
    ("held on the due date", ["2025-06-16"], "2025-07-01", ComplianceStatus.ON_TIME, "2025-06-16"),
    (
        "held early in the month",
        ["2025-06-03"],
        "2025-07-01",
        ComplianceStatus.ON_TIME,
        "2025-06-03",
    ),
    ("held after the due date", ["2025-06-20"], "2025-07-01", ComplianceStatus.LATE, "2025-06-20"),
    ("held only in July", ["2025-07-15"], "2025-08-01", ComplianceStatus.MISSED, None),
    ("held in May only", ["2025-05-30"], "2025-07-01", ComplianceStatus.MISSED, None),
    ("nothing yet, due today", [], "2025-06-16", ComplianceStatus.NOT_YET_DUE, None),
    ("nothing, day after due", [], "2025-06-17", ComplianceStatus.MISSED, None),
    ("held after the as-of date", ["2025-06-10"], "2025-06-09", ComplianceStatus.NOT_YET_DUE, None),
]


@pytest.mark.parametrize(
    ("case", "held", "as_of", "status", "held_on"),
    RECEPTION_CASES,
    ids=[c[0] for c in RECEPTION_CASES],
)
def test_reception_day_compliance(
    case: str, held: list[str], as_of: str, status: ComplianceStatus, held_on: str | None
) -> None:
    activities = [activity(ActivityKind.RECEPTION_DAY, COUNTY, d, n) for n, d in enumerate(held)]

    [row] = compliance(
        RECEPTION, activities, [COUNTY], (day("2025-06-01"), day("2025-06-30")), day(as_of), GUANGXI
    )

    assert (status, None if held_on is None else day(held_on)) == (row.status, row.held_on)


def test_only_the_units_own_activities_of_the_cycles_kinds_count() -> None:
    symposium = GUANGXI_PRESET["symposium"]
    other_unit = DivisionCode("450312102")
    activities = [
        activity(ActivityKind.SYMPOSIUM, other_unit, "2025-02-10"),
        activity(ActivityKind.TRAINING, VILLAGE, "2025-02-11"),
    ]

    rows = compliance(
        symposium,
        activities,
        [VILLAGE, other_unit],
        (day("2025-01-01"), day("2025-03-31")),
        day("2025-04-01"),
        NATIONAL,
    )

    assert [(VILLAGE, ComplianceStatus.MISSED), (other_unit, ComplianceStatus.ON_TIME)] == [
        (r.unit, r.status) for r in rows
    ]


def test_key_contact_counts_any_channel() -> None:
    contact = GUANGXI_PRESET["key-contact"]
    activities = [activity(ActivityKind.PHONE_CONTACT, VILLAGE, "2025-05-05")]

    [row] = compliance(
        contact,
        activities,
        [VILLAGE],
        (day("2025-04-01"), day("2025-06-30")),
        day("2025-07-01"),
        NATIONAL,
    )

    assert ComplianceStatus.ON_TIME == row.status


def test_the_preset_is_configuration_that_can_be_overridden() -> None:
    on_the_10th = attrs.evolve(RECEPTION, due=OnDayMovedToWorkday(day=10))

    assert OnDayMovedToWorkday(day=15) == GUANGXI_PRESET["reception-day"].due
    assert OnDayMovedToWorkday(day=10) == on_the_10th.due
    assert "configuration, not law" in (routines.__doc__ or "")


def test_a_cycle_refuses_a_due_rule_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        Cycle(
            name="x",
            label_zh="x",
            kinds={ActivityKind.TRAINING},
            frequency=Frequency.YEARLY,
            due="by December",  # type: ignore[arg-type]
        )
    with pytest.raises(ValueError, match="positive"):
        OnDayMovedToWorkday(day=0)
    assert WithinPeriod() == WithinPeriod()
