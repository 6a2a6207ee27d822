"""The standard reports over the tree: population, plaques, assistance, compliance, consistency.

The tree is 临桂区 (450312) with its eleven townships and three synthetic villages; the
figures are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pytest

from tests.rules.test_glory_plaque import NATIONAL, register
from veteran_affairs.cycles import GUANGXI_PRESET, ComplianceRow, ComplianceStatus, Month, Quarter
from veteran_affairs.cycles import compliance as compliance_rows
from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.hierarchy import (
    ASSISTANCE_COLUMNS,
    COMPLIANCE_COLUMNS,
    PLAQUE_COLUMNS,
    POPULATION_COLUMNS,
    STANDARD_COLUMNS,
    Column,
    DivisionTree,
    FigureKind,
    Mismatch,
    MismatchKind,
    Report,
    assistance,
    build_report,
    check_consistency,
    compliance_summary,
    plaques,
    plaques_from_statuses,
    population,
)
from veteran_affairs.identity import DivisionCode, ResidentId, check_character
from veteran_affairs.models import (
    AssistanceCase,
    DeathCategory,
    Division,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    HukouType,
    Person,
    PersonnelType,
    Relation,
    ReportSubmission,
    ServiceRecord,
    Survivor,
    Veteran,
)
from veteran_affairs.models.reporting import SubmittedFigures
from veteran_affairs.rules.glory_plaque import PlaqueStatus, census, statuses

D = dt.date
C = EntitlementCategory
LINGUI = "450312"
LINGUI_TOWN = "450312100000"  # 临桂镇
LIUTANG = "450312101000"  # 六塘镇
COMMUNITY = "450312100001"  # synthetic villages
VILLAGE = "450312100201"
LIUTANG_VILLAGE = "450312101201"
ON = D(2021, 1, 6)


@pytest.fixture(scope="module")
def tree() -> DivisionTree:
    guangxi = DivisionTree.bundled("45")
    villages = [
        Division(code=DivisionCode(code), name="（合成）村")
        for code in (COMMUNITY, VILLAGE, LIUTANG_VILLAGE)
    ]
    return DivisionTree([*guangxi.subtree(LINGUI), *villages], root=LINGUI)


# --- builders --------------------------------------------------------------------------------


def rid(number: int, born: str = "19600101") -> ResidentId:
    body = f"450312{born}{number:03d}"
    return ResidentId(body + check_character(body))


def person(number: int, hukou: str, *, died_on: dt.date | None = None) -> Person:
    return Person(
        resident_id=rid(number),
        name="（合成）",
        hukou_division=DivisionCode(hukou),
        hukou_type=HukouType.RURAL,
        died_on=died_on,
    )


def status(
    category: EntitlementCategory, since: str = "2000-01-01", until: str | None = None
) -> EntitlementStatus:
    return EntitlementStatus(
        category=category,
        since=D.fromisoformat(since),
        until=None if until is None else D.fromisoformat(until),
    )


def veteran(
    number: int, hukou: str, *held: EntitlementStatus, died_on: dt.date | None = None
) -> Veteran:
    return Veteran(
        person=person(number, hukou, died_on=died_on),
        service=ServiceRecord(
            enlisted_on=D(1978, 12, 1),
            discharged_on=D(1983, 1, 1),
            personnel_type=PersonnelType.CONSCRIPT,
        ),
        statuses=held,
    )


def survivor(number: int, hukou: str) -> Survivor:
    return Survivor(
        person=person(number, hukou),
        relation=Relation.SPOUSE,
        death_category=DeathCategory.MARTYR,
        deceased_on=D(1979, 2, 20),
        statuses=(status(C.MARTYR_SURVIVOR, "1979-03-01"),),
    )


def figures(report: Report, code: str, *keys: str) -> tuple[object, ...]:
    row = report[code]
    return tuple(row[key] for key in keys)


# --- population --------------------------------------------------------------------------------


def people() -> list[Veteran | Survivor]:
    return [
        veteran(1, VILLAGE, status(C.VETERAN)),
        veteran(  # three statuses, one person: counted once in the totals
            2,
            VILLAGE,
            status(C.VETERAN),
            status(C.DISABLED_SERVICEMEMBER),
            status(C.COMBAT_OR_TEST_VETERAN),
        ),
        survivor(3, LINGUI_TOWN),  # registered at the township itself
        veteran(4, LIUTANG_VILLAGE, status(C.VETERAN, until="2020-12-31")),  # ended: left out
        veteran(5, LIUTANG_VILLAGE, status(C.VETERAN), died_on=D(2020, 5, 1)),  # dead: left out
        veteran(
            6, LIUTANG, status(C.VETERAN), status(C.SERVING_MEMBER, "1978-12-01", "1983-01-01")
        ),
    ]


def test_each_person_counts_once_in_the_totals_and_once_per_category(tree: DivisionTree) -> None:
    report = population(tree, people(), on=ON)

    keys = ("persons", "key_entitled", "veteran", "disabled-servicemember", "martyr-survivor")
    assert (2, 1, 2, 1, 0) == figures(report, VILLAGE, *keys)
    assert (3, 2, 2, 1, 1) == figures(report, LINGUI_TOWN, *keys)
    assert (1, 0, 1, 0, 0) == figures(report, LIUTANG, *keys)
    assert (4, 2, 3, 1, 1) == figures(report, LINGUI, *keys)
    assert 1 == report[LINGUI]["combat-or-test-veteran"]
    assert 0 == report[LINGUI]["serving-member"]  # ended in 1983


def test_the_dead_and_those_without_a_category_are_left_out_and_counted_in_the_notes(
    tree: DivisionTree,
) -> None:
    report = population(tree, people(), on=ON)

    assert "1 person(s) dead on 2021-01-06 left out (已去世，不计)" in report.notes
    assert (
        "1 person(s) holding no category on 2021-01-06 left out (无优抚身份，不计)" in report.notes
    )
    assert (0, 0) == figures(report, LIUTANG_VILLAGE, "persons", "veteran")


def test_a_status_counts_from_its_first_day_to_its_last(tree: DivisionTree) -> None:
    held = [veteran(1, VILLAGE, status(C.VETERAN, "2021-01-06", "2021-01-06"))]

    counted = [
        population(tree, held, on=day)[LINGUI]["persons"]
        for day in (ON - dt.timedelta(1), ON, ON + dt.timedelta(1))
    ]

    assert [0, 1, 0] == counted


def test_records_of_one_person_are_merged_into_one_person_unless_told_not_to(
    tree: DivisionTree,
) -> None:
    both: list[Veteran | Survivor] = [
        veteran(3, LINGUI_TOWN, status(C.VETERAN)),
        survivor(3, LINGUI_TOWN),  # the same identity number
    ]

    merged = population(tree, both, on=ON, merge_records=True)
    each = population(tree, both, on=ON, merge_records=False)

    keys = ("persons", "key_entitled", "veteran", "martyr-survivor")
    assert (1, 1, 1, 1) == figures(merged, LINGUI, *keys)
    assert (2, 1, 1, 1) == figures(each, LINGUI, *keys)
    assert "2 record(s) of 1 person(s) read (按身份证号合并)" in merged.notes
    assert "2 record(s) read, each one person (每条记录计一人)" in each.notes


def test_a_person_dead_in_one_record_is_dead_when_records_are_merged(tree: DivisionTree) -> None:
    both = [
        veteran(3, LINGUI_TOWN, status(C.VETERAN), died_on=D(2020, 1, 1)),
        veteran(3, LINGUI_TOWN, status(C.VETERAN)),
    ]

    report = population(tree, both, on=ON, merge_records=True)

    assert 0 == report[LINGUI]["persons"]
    assert "1 person(s) dead on 2021-01-06 left out (已去世，不计)" in report.notes


def test_merged_records_of_one_person_at_two_hukou_units_are_refused(tree: DivisionTree) -> None:
    both: list[Veteran | Survivor] = [veteran(3, VILLAGE, status(C.VETERAN)), survivor(3, LIUTANG)]

    with pytest.raises(InconsistentRecord, match="different hukou units") as caught:
        population(tree, both, on=ON, merge_records=True)

    assert rid(3).unmasked not in str(caught.value)
    assert 2 == population(tree, both, on=ON, merge_records=False)[LINGUI]["persons"]


def test_a_hukou_below_the_tree_counts_at_its_nearest_unit_and_outside_it_nowhere(
    tree: DivisionTree,
) -> None:
    held = [
        veteran(1, "450312100299", status(C.VETERAN)),  # a village the tree does not have
        veteran(2, "450305001001", status(C.VETERAN)),  # 七星区: outside
    ]

    report = population(tree, held, on=ON)

    assert (1, 1, 1) == (report[LINGUI_TOWN]["persons"], report[LINGUI]["persons"], report.unplaced)


def test_the_population_columns_are_the_totals_then_every_category(tree: DivisionTree) -> None:
    report = population(tree, [], on=ON)

    assert ("persons", "key_entitled", *(c.value for c in C)) == report.keys
    assert (
        "60周岁以上农村籍退役士兵"
        == report.columns[2 + list(C).index(C.RURAL_VETERAN_OVER_60)].label_zh
    )
    assert ("population", "2021-01-06") == (report.kind, report.as_of)


# --- plaques -----------------------------------------------------------------------------------


def test_the_plaque_report_agrees_with_the_county_census(tree: DivisionTree) -> None:
    on = D(2022, 3, 1)
    households = register()  # six households of 临桂区 (one village) and one of 七星区

    report = plaques(tree, households, book=NATIONAL, on=on)
    counted = census(NATIONAL, households, on=on, county=DivisionCode(LINGUI))

    row = report[LINGUI]
    assert (6, 3, 2, 1, 1) == (
        row["households"],
        row["eligible"],
        row["hung"],
        row["hung_eligible"],
        row["undetermined"],
    )
    assert (counted.households, counted.eligible, counted.hung, counted.hung_eligible) == (
        row["households"],
        row["eligible"],
        row["hung"],
        row["hung_eligible"],
    )
    assert (len(counted.to_hang), len(counted.to_recover)) == (row["to_hang"], row["to_recover"])
    assert pytest.approx(1 / 3) == row["rate"]
    assert row.figures == report[LIUTANG_VILLAGE].figures == report[LIUTANG].figures
    assert 1 == report.unplaced


def test_statuses_classify_each_household_once(tree: DivisionTree) -> None:
    found = {s.household_id: s for s in statuses(NATIONAL, register(), on=D(2022, 3, 1))}

    assert {"A", "B", "C", "D", "E", "F", "G"} == set(found)
    assert (True, True, False) == (found["A"].eligible, found["A"].hung, found["A"].to_hang)
    assert (True, False, True) == (found["B"].eligible, found["B"].hung, found["B"].to_hang)
    assert (False, True, True) == (found["D"].eligible, found["D"].hung, found["D"].to_recover)
    assert (None, True) == (found["E"].eligible, found["E"].undetermined)
    assert (False, False, False) == (found["F"].eligible, found["F"].hung, found["F"].to_recover)


def test_the_fast_path_from_statuses_gives_the_same_report(tree: DivisionTree) -> None:
    on = D(2022, 3, 1)
    decided = list(statuses(NATIONAL, register(), on=on))
    stripped = [s._replace(decision=None) for s in decided]

    assert plaques(tree, register(), book=NATIONAL, on=on) == plaques_from_statuses(
        tree, stripped, on=on
    )


def test_the_plaque_rate_is_none_where_no_household_is_eligible(tree: DivisionTree) -> None:
    one = PlaqueStatus(
        household_id="X",
        division=DivisionCode(VILLAGE),
        eligible=False,
        hung=True,
        to_recover=True,
    )

    report = plaques_from_statuses(tree, [one], on=D(2022, 3, 1))

    assert (None, 1, 1) == (
        report[LINGUI]["rate"],
        report[LINGUI]["hung"],
        report[LINGUI]["to_recover"],
    )
    assert None is report[LIUTANG]["rate"]


# --- assistance ------------------------------------------------------------------------------


def paid(
    case_id: str,
    applicant: int,
    unit: str,
    paid_on: dt.date | None,
    amount: str,
    *,
    cause: HardshipCause = HardshipCause.SUDDEN_EVENT,
    funding: Sequence[tuple[FundingSource, str]] = (),
) -> AssistanceCase:
    """A case paid on ``paid_on`` (or left published, unpaid, when it is ``None``)."""
    start = D(2020, 1, 2)
    case = AssistanceCase.apply(
        case_id=case_id,
        applicant=rid(applicant),
        division=DivisionCode(unit),
        cause=cause,
        incident_on=start,
        on=start,
        actor="applicant",
    )
    case = case.review(on=start, actor="township-01").approve(
        on=start,
        actor="county-01",
        amount=Decimal(amount),
        funding=tuple(
            FundingAllocation(source=source, amount=Decimal(part)) for source, part in funding
        ),
    )
    case = case.publicise(on=start, actor="county-01")
    return case if paid_on is None else case.pay(on=paid_on, actor="county-01")


Q3 = Quarter.parse("2020Q3")


def cases() -> list[AssistanceCase]:
    return [
        paid(  # in the quarter, twice funded, 1,000.00 not allocated
            "A1",
            1,
            VILLAGE,
            D(2020, 7, 2),
            "5000.00",
            funding=[(FundingSource.BUDGET, "3000.00"), (FundingSource.CARE_FOUNDATION, "1000.00")],
        ),
        paid(  # the same person again, at another unit, later in the quarter
            "A2",
            1,
            LIUTANG,
            D(2020, 9, 30),
            "2000.00",
            cause=HardshipCause.OLD_INJURY_RELAPSE,
            funding=[(FundingSource.BUDGET, "2000.00")],
        ),
        paid("B1", 2, LIUTANG_VILLAGE, D(2020, 3, 15), "800.50"),  # earlier in the year
        paid("C1", 3, VILLAGE, D(2020, 10, 1), "900.00"),  # after the quarter
        paid("D1", 4, VILLAGE, None, "700.00"),  # not paid
        paid("E1", 5, "450305001001", D(2020, 8, 1), "100.00"),  # outside the tree
    ]


def test_assistance_counts_cases_paid_in_the_period_and_the_year_to_date(
    tree: DivisionTree,
) -> None:
    report = assistance(tree, cases(), period=Q3)

    keys = ("cases", "persons", "person_times", "amount")
    assert (2, 1, 2, Decimal("7000.00")) == figures(report, LINGUI, *keys)
    assert (3, 2, 3, Decimal("7800.50")) == figures(report, LINGUI, *(f"{key}_ytd" for key in keys))
    assert (1, Decimal("5000.00")) == figures(report, VILLAGE, "cases", "amount")
    assert (0, 1, Decimal("800.50")) == figures(
        report, LIUTANG_VILLAGE, "cases", "cases_ytd", "amount_ytd"
    )
    assert ("assistance", "2020Q3", 1) == (report.kind, report.as_of, report.unplaced)


def test_a_person_helped_twice_counts_once_at_the_unit_of_the_first_case(
    tree: DivisionTree,
) -> None:
    report = assistance(tree, cases(), period=Q3)

    assert (1, 0, 1, 1) == (
        report[VILLAGE]["persons"],
        report[LIUTANG]["persons"],
        report[LINGUI_TOWN]["persons"],
        report[LINGUI]["persons"],
    )
    assert (1, 2) == (report[LIUTANG]["cases"], report[LINGUI]["person_times"])


def test_assistance_amounts_split_by_cause_and_by_funding_source(tree: DivisionTree) -> None:
    row = assistance(tree, cases(), period=Q3)[LINGUI]

    assert (1, Decimal("5000.00"), 1, Decimal("2000.00")) == (
        row["cases_sudden_event"],
        row["amount_sudden_event"],
        row["cases_old_injury_relapse"],
        row["amount_old_injury_relapse"],
    )
    assert (Decimal("5000.00"), Decimal("1000.00"), Decimal("0"), Decimal("1000.00")) == (
        row["funded_budget"],
        row["funded_care_foundation"],
        row["funded_donation"],
        row["funded_unstated"],
    )
    assert all(
        isinstance(row[c.key], Decimal)
        for c in assistance(tree, cases(), period=Q3).columns
        if c.kind is FigureKind.MONEY
    )


def test_a_case_is_placed_by_its_payment_date(tree: DivisionTree) -> None:
    late = [paid("X", 9, VILLAGE, D(2020, 10, 1), "10.00")]

    counted = [
        assistance(tree, late, period=period)[LINGUI]["cases"]
        for period in (Q3, Quarter.parse("2020Q4"), Month.parse("2020-10"))
    ]

    assert [0, 1, 1] == counted


@pytest.mark.parametrize(
    "columns",
    [
        ASSISTANCE_COLUMNS,
        COMPLIANCE_COLUMNS,
        PLAQUE_COLUMNS,
        POPULATION_COLUMNS,
        *STANDARD_COLUMNS.values(),
    ],
)
def test_every_column_key_of_a_report_is_distinct(columns: Sequence[Column]) -> None:
    keys = [c.key for c in columns]

    assert len(set(keys)) == len(keys)


def test_without_the_year_to_date_only_the_period_columns_are_given(tree: DivisionTree) -> None:
    report = assistance(tree, cases(), period=Q3, year_to_date=False)

    assert not any(key.endswith("_ytd") for key in report.keys)
    assert 2 == report[LINGUI]["cases"]


def test_one_case_given_twice_is_refused(tree: DivisionTree) -> None:
    with pytest.raises(InconsistentRecord, match="A1"):
        assistance(tree, [*cases(), cases()[0]], period=Q3)


# --- compliance ------------------------------------------------------------------------------

JUNE = Month.parse("2025-06")


def row(
    unit: str,
    state: ComplianceStatus,
    held_on: dt.date | None = None,
    *,
    cycle: str = "dispatch-meeting",
) -> ComplianceRow:
    return ComplianceRow(
        cycle=cycle,
        unit=DivisionCode(unit),
        period=JUNE,
        due=D(2025, 6, 30),
        status=state,
        held_on=held_on,
    )


def test_compliance_counts_each_status_and_recomputes_the_rates(tree: DivisionTree) -> None:
    rows = [
        row(VILLAGE, ComplianceStatus.ON_TIME, D(2025, 6, 3)),
        row(COMMUNITY, ComplianceStatus.LATE, D(2025, 7, 1)),
        row(LINGUI_TOWN, ComplianceStatus.MISSED),
        row(LIUTANG, ComplianceStatus.NOT_YET_DUE),
    ]

    report = compliance_summary(tree, rows, as_of=D(2025, 7, 2))

    top = report[LINGUI]
    assert (1, 1, 1, 1, 3, 2) == figures(
        report, LINGUI, "on_time", "late", "missed", "not_yet_due", "due", "done"
    )
    assert pytest.approx((1 / 3, 2 / 3)) == (top["on_time_rate"], top["done_rate"])
    assert (None, None) == (report[LIUTANG]["on_time_rate"], report[LIUTANG]["done_rate"])
    assert 1.0 == report[VILLAGE]["on_time_rate"]


def test_compliance_can_be_summed_for_one_routine(tree: DivisionTree) -> None:
    rows = [
        row(VILLAGE, ComplianceStatus.MISSED),
        row(VILLAGE, ComplianceStatus.ON_TIME, D(2025, 6, 3), cycle="symposium"),
    ]

    every = compliance_summary(tree, rows, as_of=D(2025, 7, 2))
    one = compliance_summary(tree, rows, as_of=D(2025, 7, 2), cycle=GUANGXI_PRESET["symposium"])

    assert (2, 1) == (every[LINGUI]["due"], one[LINGUI]["due"])
    assert (0.5, 1.0) == (every[LINGUI]["on_time_rate"], one[LINGUI]["on_time_rate"])
    assert "routines (工作制度): symposium" in one.notes


def test_compliance_rows_computed_for_a_later_date_are_refused(tree: DivisionTree) -> None:
    with pytest.raises(InconsistentRecord, match="2025-06-03"):
        compliance_summary(
            tree, [row(VILLAGE, ComplianceStatus.ON_TIME, D(2025, 6, 3))], as_of=D(2025, 6, 2)
        )


def test_compliance_summarises_the_rows_of_the_routine_engine(tree: DivisionTree) -> None:
    units = [d.code for d in tree]
    rows = compliance_rows(
        GUANGXI_PRESET["dispatch-meeting"],
        [],
        units,
        (D(2025, 1, 1), D(2025, 6, 30)),
        D(2025, 6, 15),
        calendar_for("45"),
    )

    report = compliance_summary(tree, rows, as_of=D(2025, 6, 15))

    # 15 units × 6 months: five months missed, June not yet due.
    assert (75, 15, 0.0) == (
        report[LINGUI]["missed"],
        report[LINGUI]["not_yet_due"],
        report[LINGUI]["done_rate"],
    )


# --- submissions and consistency -------------------------------------------------------------


SUBMITTED = D(2021, 1, 8)


def submission(
    unit: str,
    figures_: dict[str, int | Decimal],
    *,
    on: dt.date = SUBMITTED,
    kind: str = "population",
) -> ReportSubmission:
    return ReportSubmission(
        unit=DivisionCode(unit), kind=kind, period="2021-01-06", figures=figures_, submitted_on=on
    )


def test_a_submission_keeps_its_figures_sorted_immutable_and_hashable() -> None:
    one = submission(LINGUI, {"veteran": 3, "persons": 4})
    other = submission(LINGUI, {"persons": 4, "veteran": 3})

    assert one == other
    assert hash(one) == hash(other)
    assert ("persons", "veteran") == tuple(one.figures)
    assert one == pickle.loads(pickle.dumps(one))
    assert {"persons": 4, "veteran": 3} == one.figures
    with pytest.raises(AttributeError):
        one.figures._figures = {}  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        one.figures["persons"] = 5  # type: ignore[index]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"persons": 1.0}, "must be an int or a Decimal"),
        ({"persons": True}, "must be an int or a Decimal"),
        ({"persons": -1}, "must be ≥ 0"),
        ({"persons": Decimal("Infinity")}, "must be a finite number"),
        ({" persons": 1}, "leading or trailing blanks"),
        ([("persons", 1), ("persons", 2)], "given twice"),
        ([("persons",)], "pair"),
        ("persons", "mapping"),
    ],
)
def test_bad_figures_are_refused_naming_the_figure(given: object, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        SubmittedFigures(given)  # type: ignore[arg-type]


def computed_population(tree: DivisionTree) -> Report:
    return population(tree, people(), on=ON)


def submitted_from(report: Report, *, leave_out: Sequence[str] = ()) -> list[ReportSubmission]:
    """Every unit submits exactly what the records give (its additive figures)."""
    return [
        ReportSubmission(
            unit=row.code,
            kind=report.kind,
            period=report.as_of,
            figures={
                c.key: value
                for c, value in zip(report.columns, row.values, strict=True)
                if c.kind is not FigureKind.RATE and isinstance(value, int | Decimal)
            },
            submitted_on=D(2021, 1, 8),
        )
        for row in report
        if row.code.value not in {DivisionCode(code).value for code in leave_out}
    ]


def test_figures_that_agree_with_the_records_and_the_children_give_no_mismatch(
    tree: DivisionTree,
) -> None:
    report = computed_population(tree)

    assert () == check_consistency(submitted_from(report), tree=tree, computed=report)


def test_a_wrong_village_figure_shows_against_the_records_and_in_its_township(
    tree: DivisionTree,
) -> None:
    report = computed_population(tree)
    sent = [
        attrs.evolve(s, figures={**s.figures, "persons": 5}) if s.unit.value == VILLAGE else s
        for s in submitted_from(report)
    ]

    found = check_consistency(sent, tree=tree, computed=report)

    period = ("population", "2021-01-06")
    assert (
        Mismatch(
            kind=MismatchKind.CHILDREN,
            report=period[0],
            period=period[1],
            unit=DivisionCode(LINGUI_TOWN),
            figure="persons",
            submitted=3,
            expected=6,
        ),
        Mismatch(
            kind=MismatchKind.RECORDS,
            report=period[0],
            period=period[1],
            unit=DivisionCode(VILLAGE),
            figure="persons",
            submitted=5,
            expected=2,
        ),
    ) == found
    assert (-3, 3) == (found[0].difference, found[1].difference)


def test_a_child_that_did_not_submit_is_listed_not_summed_as_zero(tree: DivisionTree) -> None:
    report = computed_population(tree)

    found = check_consistency(
        submitted_from(report, leave_out=[COMMUNITY]), tree=tree, computed=report
    )

    assert (
        Mismatch(
            kind=MismatchKind.MISSING,
            report="population",
            period="2021-01-06",
            unit=DivisionCode(COMMUNITY),
            parent=DivisionCode(LINGUI_TOWN),
        ),
    ) == found
    assert (
        "450312100001: did not submit, needed to check 450312100000 (未报送)" == found[0].describe()
    )


def test_a_child_without_a_figure_its_parent_gave_is_listed(tree: DivisionTree) -> None:
    report = computed_population(tree)
    sent = [
        attrs.evolve(s, figures={k: v for k, v in s.figures.items() if k != "veteran"})
        if s.unit.value == VILLAGE
        else s
        for s in submitted_from(report)
    ]

    found = check_consistency(sent, tree=tree, computed=report)

    assert [(MismatchKind.MISSING, VILLAGE, "veteran", LINGUI_TOWN)] == [
        (m.kind, m.unit.value, m.figure, m.parent.value if m.parent else None) for m in found
    ]


def test_the_units_own_part_comes_from_the_computed_report(tree: DivisionTree) -> None:
    report = computed_population(tree)  # the martyr's widow is registered at 临桂镇 itself
    sent = submitted_from(report)

    without = check_consistency(sent, tree=tree)

    assert () == check_consistency(sent, tree=tree, computed=report)
    assert [
        (MismatchKind.CHILDREN, LINGUI_TOWN, "key_entitled", 2, 1),
        (MismatchKind.CHILDREN, LINGUI_TOWN, "martyr-survivor", 1, 0),
        (MismatchKind.CHILDREN, LINGUI_TOWN, "persons", 3, 2),
        (MismatchKind.CHILDREN, LIUTANG, "persons", 1, 0),  # veteran 6 is registered there
        (MismatchKind.CHILDREN, LIUTANG, "veteran", 1, 0),
    ] == [(m.kind, m.unit.value, m.figure, m.submitted, m.expected) for m in without]


def test_rates_are_never_compared_by_summing(tree: DivisionTree) -> None:
    statuses_ = [
        PlaqueStatus(
            household_id=str(i),
            division=DivisionCode(code),
            eligible=True,
            hung=i % 2 == 0,
            to_recover=False,
        )
        for i, code in enumerate([VILLAGE, VILLAGE, COMMUNITY, LIUTANG_VILLAGE])
    ]
    report = plaques_from_statuses(tree, statuses_, on="2022-03-01")
    sent = [
        attrs.evolve(s, figures={**s.figures, "rate": Decimal("0.9")})
        for s in submitted_from(report)
    ]

    assert () == check_consistency(sent, tree=tree, computed=report)


def test_units_outside_the_tree_and_unknown_figures_are_listed(tree: DivisionTree) -> None:
    sent = [
        submission("450305", {"persons": 1}),
        submission(VILLAGE, {"persons": 1, "people": 1}),
    ]

    found = check_consistency(sent, tree=tree)

    assert [
        (MismatchKind.UNKNOWN_UNIT, "450305000000", None),
        (MismatchKind.UNKNOWN_FIGURE, VILLAGE, "people"),
    ] == [(m.kind, m.unit.value, m.figure) for m in found]
    assert "报表无此指标" in found[1].describe()


def test_the_latest_submission_of_a_unit_is_the_one_checked(tree: DivisionTree) -> None:
    report = computed_population(tree)
    sent = submitted_from(report)
    wrong_first = submission(VILLAGE, {"persons": 9}, on=D(2021, 1, 7))

    assert () == check_consistency([wrong_first, *sent], tree=tree, computed=report)
    with pytest.raises(InconsistentRecord, match="two different submissions"):
        check_consistency([*sent, submission(VILLAGE, {"persons": 9})], tree=tree, computed=report)


def test_submissions_of_another_report_or_an_unknown_kind_are_refused(tree: DivisionTree) -> None:
    report = computed_population(tree)

    with pytest.raises(InvalidValue, match="every submission is for its report"):
        check_consistency(
            [submission(VILLAGE, {"eligible": 1}, kind="plaques")], tree=tree, computed=report
        )
    with pytest.raises(InvalidValue, match="not a standard report"):
        check_consistency([submission(VILLAGE, {"x": 1}, kind="local-form")], tree=tree)


def test_a_report_of_another_kind_is_checked_against_its_computed_report(
    tree: DivisionTree,
) -> None:
    own: dict[str, list[int | Decimal]] = {
        VILLAGE: [Decimal("1.5")],
        LIUTANG_VILLAGE: [Decimal("2")],
    }
    report = build_report(
        tree,
        own,
        kind="local-form",
        title="A local form",
        title_zh="地方报表",
        columns=[Column(key="area", label="area", label_zh="面积", kind=FigureKind.AREA)],
        as_of="2021-01-06",
    )
    sent = submitted_from(report)
    top = DivisionCode(LINGUI).value
    wrong = [
        attrs.evolve(s, figures={"area": Decimal("3.6")}) if s.unit.value == top else s
        for s in sent
    ]

    assert () == check_consistency(sent, tree=tree, computed=report)
    assert [
        (MismatchKind.RECORDS, Decimal("3.6"), Decimal("3.5")),
        (MismatchKind.CHILDREN, Decimal("3.6"), Decimal("3.5")),
    ] == [
        (m.kind, m.submitted, m.expected)
        for m in check_consistency(wrong, tree=tree, computed=report)
    ]
