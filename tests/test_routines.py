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
    ContactRow,
    Cycle,
    Festival,
    Frequency,
    OnDayMovedToWorkday,
    WithinPeriod,
    compliance,
    contact_compliance,
    schedule,
    spring_festival_holiday_start,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, check_character
from veteran_affairs.models.activity import Activity, ActivityKind

NATIONAL = calendar_for()
GUANGXI = calendar_for("45")
COUNTY = DivisionCode("450312")
VILLAGE = DivisionCode("450312101001")
RECEPTION = GUANGXI_PRESET["reception-day"]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def activity(
    kind: ActivityKind,
    unit: DivisionCode,
    held_on: str,
    n: int = 0,
    *,
    for_period: str | None = None,
    contacts: tuple[ResidentId, ...] = (),
) -> Activity:
    return Activity(
        activity_id=f"a{n}-{held_on}",
        kind=kind,
        unit=unit,
        held_on=day(held_on),
        for_period=for_period,
        contacts=contacts,
    )


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
    unrecorded = attrs.evolve(GUANGXI_PRESET["training"], kinds=())
    span = (day("2025-01-01"), day("2025-12-31"))

    with pytest.raises(ValueError, match="no activity kinds"):
        compliance(unrecorded, [], [COUNTY], span, day("2026-01-31"), NATIONAL)
    with pytest.raises(ValueError, match="no activity kinds"):
        contact_compliance(unrecorded, [], [], span, day("2026-01-31"), NATIONAL)


def test_every_preset_routine_can_be_checked() -> None:
    assert [] == [name for name, cycle in GUANGXI_PRESET.items() if not cycle.kinds]
    assert {ActivityKind.PAYMENT_CONFIRMATION} == GUANGXI_PRESET["payment-confirmation"].kinds
    assert {ActivityKind.STATISTICAL_REPORT} == GUANGXI_PRESET["monthly-report"].kinds
    assert {ActivityKind.STATISTICAL_REPORT} == GUANGXI_PRESET["quarterly-report"].kinds


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


# --- reports and confirmations: activities that name their period -----------------------------

MONTHLY_REPORT = GUANGXI_PRESET["monthly-report"]
QUARTERLY_REPORT = GUANGXI_PRESET["quarterly-report"]
SPRING_2025 = (day("2025-03-01"), day("2025-04-30"))  # the March and April reports
REPORT = ActivityKind.STATISTICAL_REPORT


def report_rows(cycle: Cycle, *reports: Activity, as_of: str = "2025-06-30") -> list[object]:
    rows = compliance(cycle, reports, [COUNTY], SPRING_2025, day(as_of), NATIONAL)
    return [(str(r.period), r.status, r.held_on) for r in rows]


def test_a_march_report_submitted_in_may_does_not_count_as_aprils() -> None:
    # The April report is due 2025-05-12 (5 working days after 30 April; 1–5 May are off).
    late_march = activity(REPORT, COUNTY, "2025-05-06", for_period="2025-03")

    assert [
        ("2025-03", ComplianceStatus.MISSED, None),  # March's window closed on 30 April
        ("2025-04", ComplianceStatus.MISSED, None),
    ] == report_rows(MONTHLY_REPORT, late_march)


def test_without_for_period_a_report_counts_by_its_date() -> None:
    undated = activity(REPORT, COUNTY, "2025-05-06")

    assert [
        ("2025-03", ComplianceStatus.MISSED, None),
        ("2025-04", ComplianceStatus.ON_TIME, day("2025-05-06")),
    ] == report_rows(MONTHLY_REPORT, undated)


def test_a_report_for_its_period_counts_on_time_or_late_inside_the_window() -> None:
    march = activity(REPORT, COUNTY, "2025-04-08", 1, for_period="2025-03")  # due 04-08
    april = activity(REPORT, COUNTY, "2025-05-20", 2, for_period="2025-04")  # due 05-12

    assert [
        ("2025-03", ComplianceStatus.ON_TIME, day("2025-04-08")),
        ("2025-04", ComplianceStatus.LATE, day("2025-05-20")),
    ] == report_rows(MONTHLY_REPORT, march, april)


def test_a_keyed_report_and_an_unkeyed_one_the_earlier_counts() -> None:
    keyed = activity(REPORT, COUNTY, "2025-04-10", 1, for_period="2025-03")
    unkeyed = activity(REPORT, COUNTY, "2025-04-03", 2)

    assert ("2025-03", ComplianceStatus.ON_TIME, day("2025-04-03")) == report_rows(
        MONTHLY_REPORT, keyed, unkeyed
    )[0]
    assert ("2025-03", ComplianceStatus.LATE, day("2025-04-10")) == report_rows(
        MONTHLY_REPORT, keyed
    )[0]


def test_a_monthly_report_never_counts_for_the_quarterly_cycle() -> None:
    march = activity(REPORT, COUNTY, "2025-04-03", 1, for_period="2025-03")
    first_quarter = activity(REPORT, COUNTY, "2025-04-07", 2, for_period="2025Q1")

    assert [
        ("2025Q1", ComplianceStatus.MISSED, None),
        ("2025Q2", ComplianceStatus.NOT_YET_DUE, None),
    ] == (report_rows(QUARTERLY_REPORT, march))
    assert ("2025Q1", ComplianceStatus.ON_TIME, day("2025-04-07")) == report_rows(
        QUARTERLY_REPORT, march, first_quarter
    )[0]


def test_a_keyed_report_after_the_as_of_date_does_not_count_yet() -> None:
    march = activity(REPORT, COUNTY, "2025-04-08", for_period="2025-03")

    assert ("2025-03", ComplianceStatus.NOT_YET_DUE, None) == report_rows(
        MONTHLY_REPORT, march, as_of="2025-04-07"
    )[0]


def test_the_december_payment_confirmation_is_checked_for_its_year() -> None:
    confirmation = GUANGXI_PRESET["payment-confirmation"]
    years = (day("2024-01-01"), day("2025-12-31"))
    records = [
        activity(ActivityKind.PAYMENT_CONFIRMATION, COUNTY, "2024-12-20", 1, for_period="2024"),
        # Confirming 2024 again in December 2025 does not confirm 2025.
        activity(ActivityKind.PAYMENT_CONFIRMATION, COUNTY, "2025-12-10", 2, for_period="2024"),
    ]

    rows = compliance(confirmation, records, [COUNTY], years, day("2026-01-31"), NATIONAL)

    assert [
        ("2024", ComplianceStatus.ON_TIME, day("2024-12-20")),
        ("2025", ComplianceStatus.MISSED, None),
    ] == [(str(r.period), r.status, r.held_on) for r in rows]


# --- key contacts per person ----------------------------------------------------------------

KEY_CONTACT = GUANGXI_PRESET["key-contact"]
SECOND_QUARTER = (day("2025-04-01"), day("2025-06-30"))
AFTER_QUARTER = day("2025-07-01")


def key_person(n: int) -> ResidentId:
    body = f"45031219500101{n:03d}"
    return ResidentId(body + check_character(body))


def test_a_unit_that_called_one_key_person_still_misses_the_others() -> None:
    called, forgotten = key_person(1), key_person(2)
    call = activity(ActivityKind.PHONE_CONTACT, VILLAGE, "2025-05-05", contacts=(called,))

    per_unit = compliance(KEY_CONTACT, [call], [VILLAGE], SECOND_QUARTER, AFTER_QUARTER, NATIONAL)
    per_person = contact_compliance(
        KEY_CONTACT,
        [call],
        [(called, VILLAGE), (forgotten, VILLAGE)],
        SECOND_QUARTER,
        AFTER_QUARTER,
        NATIONAL,
    )

    assert [ComplianceStatus.ON_TIME] == [r.status for r in per_unit]
    assert [
        ContactRow(
            cycle="key-contact",
            person=called,
            unit=VILLAGE,
            period=Quarter(year=2025, quarter=2),
            due=day("2025-06-30"),
            status=ComplianceStatus.ON_TIME,
            held_on=day("2025-05-05"),
        ),
        ContactRow(
            cycle="key-contact",
            person=forgotten,
            unit=VILLAGE,
            period=Quarter(year=2025, quarter=2),
            due=day("2025-06-30"),
            status=ComplianceStatus.MISSED,
            held_on=None,
        ),
    ] == per_person


def test_a_contact_made_by_another_unit_counts_for_the_person() -> None:
    person = key_person(3)
    county_visit = activity(ActivityKind.HOME_VISIT, COUNTY, "2025-04-20", contacts=(person,))

    [row] = contact_compliance(
        KEY_CONTACT, [county_visit], [(person, VILLAGE)], SECOND_QUARTER, AFTER_QUARTER, NATIONAL
    )

    assert (VILLAGE, ComplianceStatus.ON_TIME, day("2025-04-20")) == (
        row.unit,
        row.status,
        row.held_on,
    )


def test_only_contacts_of_the_cycles_kinds_count_for_a_person() -> None:
    person = key_person(4)
    at_training = activity(ActivityKind.TRAINING, VILLAGE, "2025-04-20", contacts=(person,))
    visit = activity(ActivityKind.HOME_VISIT, VILLAGE, "2025-06-20", 1, contacts=(person,))
    home_visit = GUANGXI_PRESET["key-home-visit"]
    year = (day("2025-01-01"), day("2025-12-31"))

    [contact_row] = contact_compliance(
        KEY_CONTACT, [at_training], [(person, VILLAGE)], SECOND_QUARTER, AFTER_QUARTER, NATIONAL
    )
    [visit_row] = contact_compliance(
        home_visit, [at_training, visit], [(person, VILLAGE)], year, day("2026-01-31"), NATIONAL
    )

    assert ComplianceStatus.MISSED == contact_row.status
    assert (ComplianceStatus.ON_TIME, day("2025-06-20")) == (visit_row.status, visit_row.held_on)


def test_a_contact_for_a_named_quarter_counts_for_that_quarter_only() -> None:
    person = key_person(5)
    # Logged on 2 April as the first quarter's contact: it is outside that quarter's window.
    logged_late = activity(
        ActivityKind.PHONE_CONTACT, VILLAGE, "2025-04-02", for_period="2025Q1", contacts=(person,)
    )

    rows = contact_compliance(
        KEY_CONTACT,
        [logged_late],
        [(person, VILLAGE)],
        (day("2025-01-01"), day("2025-06-30")),
        AFTER_QUARTER,
        NATIONAL,
    )

    assert [ComplianceStatus.MISSED, ComplianceStatus.MISSED] == [r.status for r in rows]


def test_persons_of_units_the_cycle_does_not_apply_to_get_no_rows() -> None:
    county_only = attrs.evolve(KEY_CONTACT, levels={DivisionLevel.COUNTY})
    person = key_person(6)

    rows = contact_compliance(
        county_only,
        [],
        [(person, VILLAGE), (person, COUNTY)],
        SECOND_QUARTER,
        AFTER_QUARTER,
        NATIONAL,
    )

    assert [(COUNTY, ComplianceStatus.MISSED)] == [(r.unit, r.status) for r in rows]


def test_a_contact_row_shows_the_person_masked() -> None:
    person = key_person(7)

    [row] = contact_compliance(
        KEY_CONTACT, [], [(person, VILLAGE)], SECOND_QUARTER, AFTER_QUARTER, NATIONAL
    )

    assert person.unmasked not in repr(row)
    assert person.masked in repr(row)
