"""Payment cycles: the monthly schedule, funeral aid, back pay and discharge deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from veteran_affairs.cycles import Month, Year, calendar_for, period_range
from veteran_affairs.cycles.payments import (
    BackPay,
    BackPayMonth,
    MonthlyPayment,
    PaymentKind,
    back_pay,
    discharge_deadlines,
    monthly_schedule,
)
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    Person,
    PersonnelType,
    Relation,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import ParameterValue, RuleBook

D = dt.date
NATIONAL = RuleBook.load("national")
STANDARD = "disability_pension.annual_standard"
ENLISTED = D(1998, 12, 1)
DISCHARGED = D(2000, 12, 1)
ASSESSED = D(2000, 6, 1)


def veteran(
    *,
    grade: int | None = 1,
    nature: DisabilityNature = DisabilityNature.IN_COMBAT,
    enlisted_on: dt.date = ENLISTED,
    discharged_on: dt.date = DISCHARGED,
    mode: DischargeMode = DischargeMode.SELF_EMPLOYMENT,
    assessed_on: dt.date = ASSESSED,
    died_on: dt.date | None = None,
) -> Veteran:
    body = "45031219780101001"
    return Veteran(
        person=Person(
            resident_id=ResidentId(body + check_character(body)),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        service=ServiceRecord(
            enlisted_on=enlisted_on,
            discharged_on=discharged_on,
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=mode,
        ),
        disability=None
        if grade is None
        else Disability(grade=grade, nature=nature, assessed_on=assessed_on),
    )


def months(first: str, last: str) -> tuple[Month, ...]:
    return period_range(Month.parse(first), Month.parse(last))


# --- the monthly schedule -------------------------------------------------------------------


def test_each_month_pays_a_twelfth_of_the_annual_standard_in_force_on_its_first_day() -> None:
    schedule = monthly_schedule(
        NATIONAL, "disability_pension", veteran(), months("2019-07", "2019-08")
    )

    # 2018-08-01 table: 80,140 / 12 = 6,678.33; 2019-08-01 table: 88,150 / 12 = 7,345.83.
    assert [Decimal("6678.33"), Decimal("7345.83")] == [p.amount for p in schedule]
    assert [(D(2018, 8, 1),), (D(2019, 8, 1),)] == [p.versions for p in schedule]
    assert [D(2019, 7, 1), D(2019, 8, 1)] == [p.evaluated_on for p in schedule]
    assert {PaymentKind.MONTHLY} == {p.kind for p in schedule}


def test_a_year_is_scheduled_as_its_twelve_months() -> None:
    schedule = monthly_schedule(NATIONAL, "disability_pension", veteran(), Year(year=2021))

    assert [str(m) for m in Year(year=2021).months()] == [str(p.month) for p in schedule]
    # January–July at 96,970 / 12 = 8,080.83, August–December at 106,670 / 12 = 8,889.17.
    assert Decimal("8080.83") * 7 + Decimal("8889.17") * 5 == sum(
        p.amount or Decimal(0) for p in schedule
    )


def test_months_are_taken_in_order_each_once() -> None:
    jan, feb = Month.parse("2021-01"), Month.parse("2021-02")

    schedule = monthly_schedule(NATIONAL, "disability_pension", veteran(), [feb, jan, feb])

    assert [jan, feb] == [p.month for p in schedule]


def test_months_before_approval_pay_zero_not_nothing() -> None:
    subject = veteran(assessed_on=D(2020, 9, 20), discharged_on=D(2020, 12, 1))

    schedule = monthly_schedule(
        NATIONAL, "disability_pension", subject, months("2020-08", "2020-09")
    )

    assert [(False, Decimal(0)), (True, Decimal("8080.83"))] == [
        (p.eligible, p.amount) for p in schedule
    ]


def test_a_disabled_veteran_who_dies_gets_twelve_more_months_as_funeral_aid() -> None:
    subject = veteran(died_on=D(2020, 10, 15))

    schedule = monthly_schedule(
        NATIONAL, "disability_pension", subject, months("2020-09", "2020-12")
    )

    monthly = [p.amount for p in schedule if p.kind is PaymentKind.MONTHLY]
    # The month of death is paid in full (alive on its first day).
    assert [Decimal("8080.83"), Decimal("8080.83"), Decimal(0), Decimal(0)] == monthly
    (aid,) = [p for p in schedule if p.kind is PaymentKind.FUNERAL_AID]
    assert (Month.parse("2020-10"), 12, Decimal("96969.96"), D(2020, 10, 15)) == (
        aid.month,
        aid.months,
        aid.amount,
        aid.evaluated_on,
    )
    assert aid.citation is not None
    assert ("《军人抚恤优待条例》(2019)", "第二十八条") == (
        aid.citation.document,
        aid.citation.article,
    )


def test_funeral_aid_is_listed_only_with_the_month_of_death() -> None:
    subject = veteran(died_on=D(2020, 10, 15))

    schedule = monthly_schedule(
        NATIONAL, "disability_pension", subject, months("2020-11", "2020-12")
    )

    assert [PaymentKind.MONTHLY, PaymentKind.MONTHLY] == [p.kind for p in schedule]


def test_a_death_from_2024_10_01_cites_the_2024_article() -> None:
    subject = veteran(died_on=D(2024, 11, 5))
    book = NATIONAL.allowing_stale()

    schedule = monthly_schedule(book, "disability_pension", subject, Month.parse("2024-11"))

    aid = schedule[-1]
    assert aid.citation is not None
    assert (PaymentKind.FUNERAL_AID, "第三十二条") == (aid.kind, aid.citation.article)


# --- funeral aid of survivors (三属) and of 参战参试 veterans -------------------------------------


def survivor(
    *, died_on: dt.date | None, death: DeathCategory = DeathCategory.MARTYR, status: bool = True
) -> Survivor:
    """A martyr's parent (born 1950), unable to work and without means, on the pension."""
    body = "45031219500301002"
    return Survivor(
        person=Person(
            resident_id=ResidentId(body + check_character(body)),
            name="韦秀英",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        relation=Relation.PARENT,
        death_category=death,
        deceased_on=D(2010, 5, 1),
        statuses=(EntitlementStatus(category=death.survivor_category, since=D(2010, 6, 1)),)
        if status
        else (),
        circumstances=Circumstances(able_to_work=False, has_means_of_support=False),
    )


def allowance_veteran(
    *,
    died_on: dt.date | None,
    categories: tuple[EntitlementCategory, ...] = (EntitlementCategory.COMBAT_OR_TEST_VETERAN,),
    combat: bool = True,
    test: bool = False,
) -> Veteran:
    """A conscript of 1976–1978 drawing the living allowances of ``categories`` since 1978."""
    body = "45031219570510001"
    return Veteran(
        person=Person(
            resident_id=ResidentId(body + check_character(body)),
            name="韦国强",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
            died_on=died_on,
        ),
        service=ServiceRecord(
            enlisted_on=D(1976, 3, 1),
            discharged_on=D(1978, 3, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            combat_participant=combat,
            test_participant=test,
        ),
        statuses=tuple(EntitlementStatus(category=c, since=D(1978, 3, 2)) for c in categories),
        circumstances=Circumstances(other_periodic_state_payment=False),
    )


# TEST INPUT, NOT LAW: of the 2024-08-01 living allowances only 带病回乡's national floor is
# confirmed (STANDARDS.md §3); this version replaces the bundled one for the funeral-aid tests.
ALLOWANCES_2024 = NATIONAL.with_parameters(
    {
        "living_allowance.monthly_standard": {
            "effective_from": "2024-08-01",
            "value": {
                "discharged-with-illness": "800",
                "combat-or-test-veteran": "850",
                "elderly-martyr-child": "700",
            },
            "citation": "TEST INPUT",
        }
    }
)


def aid_of(schedule: list[MonthlyPayment]) -> list[tuple[str, int, Decimal | None, str | None]]:
    return [
        (str(p.month), p.months, p.amount, p.citation.article if p.citation else None)
        for p in schedule
        if p.kind is PaymentKind.FUNERAL_AID
    ]


def test_a_survivor_on_the_pension_who_dies_gets_six_more_months_2019_text() -> None:
    # 《军人抚恤优待条例》(2019) 第十九条: 增发6个月其原享受的定期抚恤金，作为丧葬补助费.
    schedule = monthly_schedule(
        NATIONAL,
        "survivor_pension",
        survivor(died_on=D(2019, 10, 15)),
        months("2019-09", "2019-11"),
    )

    # 烈属 standard from 2019-08-01: 27,980 / 12 = 2,331.67 a month; 6 × 2,331.67 = 13,990.02.
    assert [Decimal("2331.67"), Decimal("2331.67"), Decimal(0)] == [
        p.amount for p in schedule if p.kind is PaymentKind.MONTHLY
    ]
    assert [("2019-10", 6, Decimal("13990.02"), "第十九条")] == aid_of(schedule)
    assert schedule[-1].citation is not None
    assert "《军人抚恤优待条例》(2019)" == schedule[-1].citation.document


def test_a_survivor_dying_from_2024_10_01_gets_six_months_under_the_2024_text() -> None:
    # 《军人抚恤优待条例》(2024) 第二十二条: 继续发放6个月其原享受的定期抚恤金，作为丧葬补助.
    # The 2022-08-01 病故 standard (29,280) applies past its confirmed date (2023-07-31) only
    # because the book allows stale values: the amount is illustrative, the six months are the
    # point. 29,280 / 12 = 2,440.00 a month; 6 × 2,440.00 = 14,640.00.
    subject = survivor(died_on=D(2024, 10, 2), death=DeathCategory.ILLNESS_DEATH)

    schedule = monthly_schedule(
        NATIONAL.allowing_stale(), "survivor_pension", subject, Month.parse("2024-10")
    )

    assert [("2024-10", 6, Decimal("14640.00"), "第二十二条")] == aid_of(schedule)
    assert schedule[-1].citation is not None
    assert "《军人抚恤优待条例》(2024)" == schedule[-1].citation.document


def test_a_survivor_not_on_the_pension_at_death_gets_no_funeral_aid() -> None:
    subject = survivor(died_on=D(2019, 10, 15), status=False)

    schedule = monthly_schedule(NATIONAL, "survivor_pension", subject, months("2019-09", "2019-11"))

    assert [] == aid_of(schedule)
    assert [Decimal(0)] * 3 == [p.amount for p in schedule]


def test_a_combat_veteran_dying_from_2024_10_01_gets_six_more_months_of_the_allowance() -> None:
    # 《军人抚恤优待条例》(2024) 第六十二条第二款: 享受国家定期生活补助的参战退役军人去世后，继续
    # 发放6个月其原享受的定期生活补助，作为丧葬补助.
    subject = allowance_veteran(died_on=D(2024, 11, 5))

    schedule = monthly_schedule(
        ALLOWANCES_2024, "living_allowance", subject, months("2024-10", "2024-12")
    )

    assert [Decimal("850.00"), Decimal("850.00"), Decimal(0)] == [
        p.amount for p in schedule if p.kind is PaymentKind.MONTHLY
    ]
    assert [("2024-11", 6, Decimal("5100.00"), "第六十二条第二款")] == aid_of(schedule)


def test_a_test_veteran_is_treated_as_a_combat_veteran_for_funeral_aid() -> None:
    # 2024 第六十一条第二款: 参试退役军人参照本条例有关参战退役军人的规定执行.
    subject = allowance_veteran(died_on=D(2024, 11, 5), combat=False, test=True)

    schedule = monthly_schedule(
        ALLOWANCES_2024, "living_allowance", subject, Month.parse("2024-11")
    )

    assert [("2024-11", 6, Decimal("5100.00"), "第六十二条第二款")] == aid_of(schedule)


def test_funeral_aid_pays_on_only_the_combat_allowance_of_a_veteran_in_two_groups() -> None:
    subject = allowance_veteran(
        died_on=D(2024, 11, 5),
        categories=(
            EntitlementCategory.COMBAT_OR_TEST_VETERAN,
            EntitlementCategory.DISCHARGED_WITH_ILLNESS,
        ),
    )

    schedule = monthly_schedule(
        ALLOWANCES_2024, "living_allowance", subject, Month.parse("2024-11")
    )

    # 850 (参战参试) + 800 (带病回乡) a month; the aid is 6 × 850 only.
    assert Decimal("1650.00") == schedule[0].amount
    assert [("2024-11", 6, Decimal("5100.00"), "第六十二条第二款")] == aid_of(schedule)


def test_a_combat_veteran_who_died_before_2024_10_01_gets_no_funeral_aid() -> None:
    # The 2019 text (in force to 2024-09-30) grants none for the living allowance.
    subject = allowance_veteran(died_on=D(2019, 10, 15))

    schedule = monthly_schedule(NATIONAL, "living_allowance", subject, months("2019-09", "2019-11"))

    assert [Decimal("650.00"), Decimal("650.00"), Decimal(0)] == [p.amount for p in schedule]
    assert [] == aid_of(schedule)


def test_the_other_living_allowances_have_no_funeral_aid() -> None:
    subject = allowance_veteran(
        died_on=D(2024, 11, 5),
        categories=(EntitlementCategory.DISCHARGED_WITH_ILLNESS,),
        combat=False,
    )

    schedule = monthly_schedule(
        ALLOWANCES_2024, "living_allowance", subject, Month.parse("2024-11")
    )

    assert [Decimal("800.00")] == [p.amount for p in schedule]
    assert [] == aid_of(schedule)


# --- back pay --------------------------------------------------------------------------------


def _thaw(value: ParameterValue) -> object:
    if isinstance(value, Mapping):
        return {key: _thaw(cell) for key, cell in value.items()}
    return value


def test_back_pay_for_five_months_of_the_2021_rise_paid_late() -> None:
    # A scenario: August–December 2021 paid at the 2020-08-01 table (its figures used on every
    # date), owed at the bundled 2021-08-01 table (STANDARDS.md §1a).
    table_2020 = _thaw(NATIONAL.parameters[STANDARD].version_on(D(2021, 7, 31)).value)
    old_book = NATIONAL.with_parameters({STANDARD: table_2020})

    result = back_pay(
        old_book, NATIONAL, "disability_pension", veteran(), months("2021-08", "2021-12")
    )

    # old 96,970 / 12 = 8,080.83; new 106,670 / 12 = 8,889.17; 808.34 a month.
    assert [Decimal("808.34")] * 5 == [m.difference for m in result.months]
    assert Decimal("4041.70") == result.total
    assert (Decimal("8080.83"), Decimal("8889.17")) == (result.months[0].old, result.months[0].new)


def test_no_back_pay_between_a_book_and_itself() -> None:
    result = back_pay(
        NATIONAL, NATIONAL, "disability_pension", veteran(), months("2020-08", "2021-07")
    )

    assert Decimal(0) == result.total
    assert 12 == len(result.months)


def test_back_pay_total_is_the_exact_sum_of_its_months() -> None:
    a, b = Month.parse("2021-08"), Month.parse("2021-09")
    result = BackPay(
        rule="disability_pension",
        subject="x",
        months=(
            BackPayMonth(month=a, old=Decimal("1.00"), new=Decimal("1.01")),
            BackPayMonth(month=b, old=Decimal("2.00"), new=Decimal("1.98")),
        ),
    )

    assert Decimal("-0.01") == result.total


# --- deadlines on discharge ------------------------------------------------------------------

NATIONAL_CALENDAR = calendar_for()


def test_self_employed_report_deadline_moves_past_national_day_2024() -> None:
    subject = veteran(
        grade=None, enlisted_on=D(2022, 9, 1), discharged_on=D(2024, 9, 1)
    )  # 2024-09-01 + 30 days = 10-01, 国庆 off to 10-07

    (deadline,) = discharge_deadlines(subject, NATIONAL_CALENDAR)

    assert D(2024, 10, 8) == deadline.due
    assert deadline.citation is not None
    assert ("《退役军人安置条例》(2024)", "第五十一条") == (
        deadline.citation.document,
        deadline.citation.article,
    )


def test_report_deadline_before_2024_cites_the_2011_regulation() -> None:
    subject = veteran(grade=None, enlisted_on=D(2018, 12, 1), discharged_on=D(2020, 12, 1))

    (deadline,) = discharge_deadlines(subject, NATIONAL_CALENDAR)

    assert D(2020, 12, 31) == deadline.due  # a Thursday, a working day
    assert deadline.citation is not None
    assert ("《退役士兵安置条例》(2011)", "第十三条") == (
        deadline.citation.document,
        deadline.citation.article,
    )


def test_disabled_veteran_placed_by_arranged_employment_has_two_deadlines() -> None:
    subject = veteran(
        grade=6,
        enlisted_on=D(2022, 12, 1),
        assessed_on=D(2024, 10, 20),
        discharged_on=D(2024, 12, 1),
        mode=DischargeMode.ARRANGED_EMPLOYMENT,
    )

    deadlines = discharge_deadlines(subject, NATIONAL_CALENDAR)

    # 2024-12-01 + 60 days = 2025-01-30, inside the 春节 holiday (01-28 … 02-04);
    # + 6 months = 2025-06-01, a Sunday inside the 端午 holiday (05-31 … 06-02).
    assert [D(2025, 2, 5), D(2025, 6, 3)] == [d.due for d in deadlines]
    assert [
        ("《军人抚恤优待条例》(2024)", "第三十条"),
        ("《退役军人安置条例》(2024)", "第三十一条第二款"),
    ] == [(d.citation.document, d.citation.article) for d in deadlines if d.citation is not None]


@pytest.mark.parametrize(
    ("discharged_on", "letter_on", "due", "article"),
    [
        # 2024 regime: 30 days from the letter; 2025-02-09 is a Sunday → Monday 02-10.
        (
            D(2024, 12, 1),
            D(2025, 1, 10),
            D(2025, 2, 10),
            ("《退役军人安置条例》(2024)", "第七十五条第二款"),
        ),
        # 2011 regime: one month from the letter, to the same day of the next month.
        (
            D(2020, 12, 1),
            D(2021, 3, 15),
            D(2021, 4, 15),
            ("《退役士兵安置条例》(2011)", "第三十六条"),
        ),
    ],
)
def test_the_employer_puts_the_veteran_on_post_within_the_limit_after_the_letter(
    discharged_on: dt.date, letter_on: dt.date, due: dt.date, article: tuple[str, str]
) -> None:
    subject = veteran(
        grade=None,
        enlisted_on=discharged_on - dt.timedelta(days=730),
        discharged_on=discharged_on,
        mode=DischargeMode.ARRANGED_EMPLOYMENT,
    )

    without = discharge_deadlines(subject, NATIONAL_CALENDAR)
    with_letter = discharge_deadlines(subject, NATIONAL_CALENDAR, letter_on=letter_on)
    (added,) = [d for d in with_letter if d not in without]

    assert due == added.due
    assert added.citation is not None
    assert article == (added.citation.document, added.citation.article)


def test_no_transfer_deadline_for_a_discharge_before_2024_10_01() -> None:
    # The 2019 《军人抚恤优待条例》 (第二十六条) sets no time limit for transferring the pension;
    # the 60 days are new in the 2024 text (第三十条), in force from 2024-10-01.
    before = veteran(
        grade=6, enlisted_on=D(2022, 9, 1), assessed_on=D(2024, 6, 1), discharged_on=D(2024, 9, 30)
    )
    after = veteran(
        grade=6, enlisted_on=D(2022, 10, 1), assessed_on=D(2024, 6, 1), discharged_on=D(2024, 10, 1)
    )

    assert [("《退役军人安置条例》(2024)", "第五十一条")] == [
        (d.citation.document, d.citation.article)
        for d in discharge_deadlines(before, NATIONAL_CALENDAR)
        if d.citation is not None
    ]
    assert ("《军人抚恤优待条例》(2024)", "第三十条") in [
        (d.citation.document, d.citation.article)
        for d in discharge_deadlines(after, NATIONAL_CALENDAR)
        if d.citation is not None
    ]


def test_no_deadlines_for_a_discharge_mode_without_them() -> None:
    subject = veteran(grade=None, mode=DischargeMode.SUPPORT)

    assert [] == discharge_deadlines(subject, NATIONAL_CALENDAR)


def test_a_due_day_in_a_year_without_calendar_data_fails_loudly() -> None:
    from veteran_affairs.cycles import CalendarDataMissing

    subject = veteran(grade=None, enlisted_on=D(2008, 12, 1), discharged_on=D(2012, 12, 1))

    with pytest.raises(CalendarDataMissing):
        discharge_deadlines(subject, NATIONAL_CALENDAR)


def test_schedule_entries_are_values() -> None:
    entry = MonthlyPayment(
        month=Month.parse("2021-01"),
        kind=PaymentKind.MONTHLY,
        eligible=True,
        amount=Decimal("1.00"),
        evaluated_on=D(2021, 1, 1),
    )

    assert () == entry.versions
