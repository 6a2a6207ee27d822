"""The batch path of the rules (批量计算): examples, errors, columns, and the scenario tables."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest

from tests.property.batch_agreement import actual, expected
from tests.rules import test_conscript_family_allowance as conscript_examples
from tests.rules import test_disability_pension as disability_examples
from tests.rules import test_living_allowance as living_examples
from tests.rules import test_one_off_retirement_payment as one_off_examples
from tests.rules import test_survivor_pension as survivor_examples
from veteran_affairs import errors
from veteran_affairs.models import (
    AwardKind,
    Circumstances,
    DischargeMode,
    PersonnelType,
    Sanction,
    SanctionKind,
    Veteran,
)
from veteran_affairs.money import round_fen, to_fen
from veteran_affairs.rules import ParameterSet, RuleBook, batch
from veteran_affairs.rules.batch import (
    BATCH_RULES,
    COLUMNS,
    columns_from,
    evaluate_batch,
    rules_for,
)

D = dt.date
Arrays = dict[str, npt.NDArray[Any]]
NATIONAL = RuleBook.load("national")
DISABILITY = "disability_pension"
ONE_OFF = "one_off_retirement_payment"
WAGE = "disability_pension.local_average_monthly_wage"
STANDARD = "one_off_retirement_payment.annual_standard"
STANDARD_DP = "disability_pension.annual_standard"
ON = D(2021, 1, 6)  # a date of the full 2020-08-01 disability table
LATER = D(2024, 1, 6)  # for one-off payments of discharges after ON

_DEFAULTS: dict[str, Any] = {
    "personnel_type": batch.PERSONNEL_TYPES.index(PersonnelType.CONSCRIPT),
    "discharge_mode": batch.DISCHARGE_MODES.index(DischargeMode.SELF_EMPLOYMENT),
    "enlisted_on": "2018-09-01",
    "discharged_on": "2020-09-01",
    "died_on": "NaT",
    "award_kinds": 0,
    "disability_grade": 0,
    "disability_nature": -1,
    "disability_assessed_on": "NaT",
    "mental_disorder": False,
    "centrally_supported": -1,
    "cancelled_from": "NaT",
    "expelled_from": "NaT",
    "suspended_from": "NaT",
    "suspended_until": "NaT",
}


def table(size: int = 1, **values: list[Any]) -> Arrays:
    """Columns for ``size`` rows: the given values, defaults for the rest (a conscript
    settled by self-employment, 2018-09-01 → 2020-09-01, no disability, no sanction)."""
    return {
        name: np.array(values.get(name, [_DEFAULTS[name]] * size), dtype=column.dtype)
        for name, column in COLUMNS.items()
        if name in _DEFAULTS
    }


def disabled(grades: list[int], natures: list[str], **values: list[Any]) -> Arrays:
    codes = [[n.value for n in batch.DISABILITY_NATURES].index(n) for n in natures]
    return table(
        len(grades),
        disability_grade=grades,
        disability_nature=codes,
        disability_assessed_on=values.pop("disability_assessed_on", ["2000-06-01"] * len(grades)),
        discharged_on=values.pop("discharged_on", ["2000-12-01"] * len(grades)),
        **values,
    )


def per_subject(
    book: RuleBook, rule: str, subjects: Iterable[Veteran], on: dt.date
) -> dict[str, list[int]]:
    """The per-subject decisions as the batch path's columns (fen; 0 where none)."""
    rows: dict[str, list[int]] = {"eligible": [], "amount_fen": [], "monthly_fen": []}
    for subject in subjects:
        decision = book.evaluate(rule, subject, on=on)
        rows["eligible"].append({True: 1, False: 0, None: -1}[decision.eligible])
        rows["amount_fen"].append(0 if decision.amount is None else to_fen(decision.amount))
        rows["monthly_fen"].append(0 if decision.monthly is None else to_fen(decision.monthly))
    return rows


def decided(result: Arrays) -> dict[str, list[int]]:
    return {name: result[name].tolist() for name in ("eligible", "amount_fen", "monthly_fen")}


# --- the module's surface ------------------------------------------------------------------


def test_all_is_sorted_and_dir_shows_only_it() -> None:
    def kind(name: str) -> int:  # constants, then classes, then functions (ruff RUF022)
        return 0 if name.isupper() else 1 if name[0].isupper() else 2

    assert sorted(batch.__all__, key=lambda name: (kind(name), name)) == batch.__all__
    assert sorted(batch.__all__) == sorted(dir(batch))


def test_importing_the_rules_does_not_import_numpy() -> None:
    code = "import sys, veteran_affairs.rules; print('numpy' in sys.modules)"
    env = {"HYPOTHESIS_NO_PLUGINS": "1", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    assert "False" == done.stdout.strip()


def test_every_column_and_output_is_documented_in_the_module_docstring() -> None:
    names = set(COLUMNS) | {name for rule in BATCH_RULES.values() for name in rule.outputs}

    assert [] == sorted(name for name in names if f"``{name}``" not in (batch.__doc__ or ""))


def test_every_rule_reads_only_catalogued_columns() -> None:
    assert [] == [n for r in BATCH_RULES.values() for n in r.reads if n not in COLUMNS]


# --- disability_pension --------------------------------------------------------------------

TABLE_2020 = {  # DOMAIN.md §4, the confirmed national table from 2020-08-01 (yuan a year)
    "in-combat": [96970, 87750, 77000, 63110, 49290, 38510, 29270, 18480, 15350, 10780],
    "on-duty": [93910, 83140, 72360, 56970, 43100, 36440, 26200, 16920, 12330, 9220],
    "illness": [90830, 80030, 67770, 52350, 40030, 30780],
}


def test_the_2020_table_rows_are_paid_in_fen_with_the_monthly_twelfth() -> None:
    cells = [(n, g, a) for n, amounts in TABLE_2020.items() for g, a in enumerate(amounts, 1)]
    columns = disabled([g for _, g, _ in cells], [n for n, _, _ in cells])

    result = evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)

    assert {
        "eligible": [1] * len(cells),
        "amount_fen": [annual * 100 for _, _, annual in cells],
        "monthly_fen": [to_fen(round_fen(Decimal(annual) / 12)) for _, _, annual in cells],
    } == decided(result)
    assert 808083 == result["monthly_fen"][0]  # 96,970 / 12 = 8,080.83


def test_illness_grades_7_to_10_draw_no_pension() -> None:
    columns = disabled([6, 7, 10], ["illness", "illness", "illness"])

    result = evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)

    assert {
        "eligible": [1, 0, 0],
        "amount_fen": [3078000, 0, 0],
        "monthly_fen": [256500, 0, 0],
    } == decided(result)


def test_the_pension_is_paid_from_the_month_of_approval() -> None:
    columns = disabled(
        [1, 1],
        ["in-combat", "in-combat"],
        disability_assessed_on=["2021-01-31", "2021-02-01"],
        discharged_on=["2021-03-01", "2021-03-01"],
    )

    assert [1, 0] == evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)["eligible"].tolist()


def test_no_disability_is_not_eligible_and_needs_no_parameter() -> None:
    empty_book = NATIONAL.with_parameters({"disability_pension.annual_standard": {}})

    result = evaluate_batch(empty_book, DISABILITY, table(2), on=ON)

    assert {"eligible": [0, 0], "amount_fen": [0, 0], "monthly_fen": [0, 0]} == decided(result)


def test_before_2020_08_01_only_grade_1_is_known_and_grade_2_raises_as_per_subject() -> None:
    on = D(2020, 7, 31)
    grade_1 = evaluate_batch(NATIONAL, DISABILITY, disabled([1], ["on-duty"]), on=on)
    subject = disability_examples.veteran(grade=2, nature="on-duty")
    with pytest.raises(errors.ParameterMissing) as expected:
        NATIONAL.evaluate(DISABILITY, subject, on=on)

    with pytest.raises(errors.ParameterMissing) as actual:
        evaluate_batch(NATIONAL, DISABILITY, disabled([1, 2], ["on-duty", "on-duty"]), on=on)

    assert [8537000] == grade_1["amount_fen"].tolist()  # 85,370 (2019-08-01)
    assert str(expected.value) == str(actual.value)


def test_an_unknown_cell_raises_only_if_some_row_would_look_it_up() -> None:
    on = D(2020, 7, 31)  # grades 2–10 are unknown before 2020-08-01
    columns = disabled(
        [2, 3, 8, 1],
        ["in-combat", "on-duty", "illness", "in-combat"],
        died_on=["2020-07-30", "NaT", "NaT", "NaT"],  # dead: the rule looks nothing up
        disability_assessed_on=["2000-06-01", "2020-08-01", "2000-06-01", "2000-06-01"],
    )

    result = evaluate_batch(NATIONAL, DISABILITY, columns, on=on)

    assert {
        "eligible": [0, 0, 0, 1],  # dead, approved next month, 因病 grade 8, grade 1
        "amount_fen": [0, 0, 0, 8815000],
        "monthly_fen": [0, 0, 0, 734583],
    } == decided(result)


def test_an_unknown_cell_of_a_user_table_raises_the_per_subject_error_of_the_first_row() -> None:
    book = NATIONAL.with_parameters(  # test values, not law: on-duty/3 is left out
        {"disability_pension.annual_standard": {"on-duty": {"1": "90000", "2": "80000"}}}
    )
    subjects = [
        disability_examples.veteran(grade=1, nature="on-duty"),
        disability_examples.veteran(grade=3, nature="on-duty"),
        disability_examples.veteran(grade=4, nature="in-combat"),
    ]
    with pytest.raises(errors.ParameterMissing) as expected:
        per_subject(book, DISABILITY, subjects, ON)

    with pytest.raises(errors.ParameterMissing) as actual:
        evaluate_batch(book, DISABILITY, columns_from(subjects), on=ON)

    assert "on-duty/3" in str(actual.value)
    assert (expected.value.key, str(expected.value)) == (actual.value.key, str(actual.value))


def test_past_the_confirmed_date_the_batch_raises_unless_stale_values_are_allowed() -> None:
    columns = disabled([1], ["in-combat"])
    on = D(2026, 8, 1)  # the 2025-08-01 standard is confirmed through 2026-07-31

    with pytest.raises(errors.ParameterOutOfDate):
        evaluate_batch(NATIONAL, DISABILITY, columns, on=on)
    stale = evaluate_batch(NATIONAL.allowing_stale(), DISABILITY, columns, on=on)

    assert [13584000] == stale["amount_fen"].tolist()


@pytest.mark.parametrize(
    ("sanction", "on", "expected"),
    [
        (Sanction(kind=SanctionKind.WANTED, since=D(2020, 1, 1), until=D(2020, 12, 31)), ON, 1),
        (Sanction(kind=SanctionKind.WANTED, since=D(2020, 1, 1), until=ON), ON, 0),
        (Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 1, 1)), ON, 0),
        (Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=ON), ON, 0),
        (Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=ON), D(2021, 1, 5), 1),
        (Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2020, 9, 1)), ON, 0),
        (
            Sanction(kind=SanctionKind.DEATH_PENALTY, since=D(2020, 9, 1), until=D(2020, 9, 2)),
            ON,
            0,
        ),
        # 开除军籍 cancels only under the 2024 text (from 2024-10-01); the 2019 text had none.
        (Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 1)), ON, 1),
        (Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 1)), D(2024, 10, 1), 0),
        (Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2020, 9, 1)), D(2024, 9, 30), 1),
    ],
)
def test_sanctions_stop_the_pension_exactly_as_per_subject(
    sanction: Sanction, on: dt.date, expected: int
) -> None:
    book = NATIONAL.allowing_stale()
    subject = disability_examples.veteran(grade=3, sanctions=(sanction,))

    result = evaluate_batch(book, DISABILITY, columns_from([subject]), on=on)

    assert [expected] == result["eligible"].tolist()
    assert per_subject(book, DISABILITY, [subject], on) == decided(result)


def test_rows_the_facts_settle_need_no_standard_as_per_subject() -> None:
    # The guangxi standard is confirmed only through 2026-07-31.
    book = RuleBook.load("guangxi")
    on = D(2026, 11, 30)
    jailed = Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2025, 1, 1))
    settled = [
        disability_examples.veteran(grade=3, sanctions=(jailed,)),
        disability_examples.veteran(grade=2, died_on=D(2026, 10, 15)),
        disability_examples.veteran(grade=1, assessed_on=D(2026, 12, 2)),
    ]
    payable = disability_examples.veteran(grade=3)

    result = evaluate_batch(book, DISABILITY, columns_from(settled), on=on)
    with pytest.raises(errors.ParameterOutOfDate) as raised:
        evaluate_batch(book, DISABILITY, columns_from([*settled, payable]), on=on)
    with pytest.raises(errors.ParameterOutOfDate) as expected:
        book.evaluate(DISABILITY, payable, on=on)

    assert [0, 0, 0] == result["eligible"].tolist()
    assert per_subject(book, DISABILITY, settled, on) == decided(result)
    assert str(expected.value) == str(raised.value)


def test_a_book_without_the_standard_decides_rows_the_facts_settle() -> None:
    book = RuleBook.load("national")
    parameters = {k: v for k, v in book.parameters.parameters.items() if k != STANDARD_DP}
    bare = attrs.evolve(
        book, parameters=ParameterSet(jurisdiction="national", parameters=parameters)
    )
    wanted = Sanction(kind=SanctionKind.WANTED, since=D(2020, 1, 1))
    settled = [
        disability_examples.veteran(grade=3, sanctions=(wanted,)),
        disability_examples.veteran(grade=1, died_on=D(2020, 12, 1)),
    ]

    result = evaluate_batch(bare, DISABILITY, columns_from(settled), on=ON)
    with pytest.raises(errors.ParameterMissing):
        evaluate_batch(bare, DISABILITY, disabled([1], ["in-combat"]), on=ON)

    assert [0, 0] == result["eligible"].tolist()
    assert per_subject(bare, DISABILITY, settled, ON) == decided(result)


def test_several_suspensions_fill_several_slots_and_all_count() -> None:
    wanted = SanctionKind.WANTED
    subject = disability_examples.veteran(
        grade=3,
        sanctions=(
            Sanction(kind=wanted, since=D(2020, 9, 1), until=D(2020, 9, 30)),
            Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=D(2020, 11, 1)),
            Sanction(kind=wanted, since=D(2020, 8, 15), until=D(2020, 9, 10)),  # overlaps
        ),
    )
    columns = columns_from([subject])
    days = [D(2020, 8, 14), D(2020, 8, 15), D(2020, 9, 30), D(2020, 10, 1), D(2020, 11, 1)]

    eligible = [
        evaluate_batch(NATIONAL, DISABILITY, columns, on=day)["eligible"].tolist()[0]
        for day in days
    ]

    assert (["2020-08-15", "2020-11-01"], ["2020-09-30", "NaT"]) == (
        [str(columns["suspended_from"][0]), str(columns["suspended_from_2"][0])],
        [str(columns["suspended_until"][0]), str(columns["suspended_until_2"][0])],
    )
    assert [1, 0, 0, 1, 0] == eligible
    assert [per_subject(NATIONAL, DISABILITY, [subject], d)["eligible"][0] for d in days] == (
        eligible
    )


def test_death_ends_the_pension_after_the_day_of_death() -> None:
    columns = disabled([1, 1], ["in-combat", "in-combat"], died_on=["2021-01-05", "2021-01-06"])

    assert [0, 1] == evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)["eligible"].tolist()


def nursing(result: Arrays) -> tuple[list[int], list[int]]:
    return (
        result["nursing_allowance_status"].tolist(),
        result["nursing_allowance_fen"].tolist(),
    )


def test_the_nursing_allowance_is_a_share_of_the_local_wage() -> None:
    book = NATIONAL.with_parameters({WAGE: "7000"})  # a test input, not law
    columns = disabled(
        [1, 3, 4, 5, 1],
        ["in-combat", "in-combat", "illness", "on-duty", "on-duty"],
        centrally_supported=[0, 0, 0, 0, 1],
    )

    result = evaluate_batch(book, DISABILITY, columns, on=ON)

    # 50%, 40%, 30% of 7,000; grade 5 has none; centrally supported has none.
    assert ([1, 1, 1, 0, 0], [350000, 280000, 210000, 0, 0]) == nursing(result)
    assert [1, 1, 1, 1, 1] == result["eligible"].tolist()


def test_an_unknown_wage_or_support_leaves_the_allowance_undetermined_not_the_pension() -> None:
    columns = disabled([2, 2], ["in-combat", "in-combat"], centrally_supported=[0, -1])
    with_wage = NATIONAL.with_parameters({WAGE: "7000"})  # a test input, not law

    without = evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)
    supplied = evaluate_batch(with_wage, DISABILITY, columns, on=ON)

    assert ([1, 1], [-1, -1], [0, 0]) == (without["eligible"].tolist(), *nursing(without))
    assert ([1, -1], [350000, 0]) == nursing(supplied)


def test_a_mental_disorder_at_grade_6_gets_25_percent_only_from_2024_10_01() -> None:
    book = NATIONAL.with_parameters(  # test inputs, not law
        {WAGE: "8000", "disability_pension.annual_standard": {"on-duty": {"6": "40000"}}}
    )
    columns = disabled([6], ["on-duty"], mental_disorder=[True])

    before = evaluate_batch(book, DISABILITY, columns, on=D(2024, 9, 30))
    after = evaluate_batch(book, DISABILITY, columns, on=D(2024, 10, 1))

    assert (([0], [0]), ([1], [200000])) == (nursing(before), nursing(after))


def test_a_grade_assessed_after_discharge_needs_no_support_fact_under_the_2024_text() -> None:
    book = NATIONAL.allowing_stale().with_parameters({WAGE: "8000"})  # a test input, not law
    columns = disabled(
        [1, 1],
        ["on-duty", "on-duty"],
        disability_assessed_on=["2001-06-01", "2000-06-01"],
        discharged_on=["2000-12-01", "2000-12-01"],
    )

    result = evaluate_batch(book, DISABILITY, columns, on=D(2024, 10, 1))

    assert ([1, -1], [400000, 0]) == nursing(result)


# --- one_off_retirement_payment ------------------------------------------------------------

ONE_OFF_SCENARIOS = one_off_examples.SCENARIOS


@pytest.mark.parametrize("scenario", ONE_OFF_SCENARIOS, ids=[s["name"] for s in ONE_OFF_SCENARIOS])
def test_the_one_off_scenario_table_holds_on_the_batch_path(scenario: dict[str, Any]) -> None:
    columns = columns_from([one_off_examples.scenario_subject(scenario)])
    book = one_off_examples.scenario_book(scenario)
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            evaluate_batch(book, ONE_OFF, columns, on=on)
        return
    result = evaluate_batch(book, ONE_OFF, columns, on=on)

    eligible = {True: 1, False: 0, "unknown": -1}[scenario["eligible"]]
    amount = to_fen(Decimal(scenario["amount"])) if "amount" in scenario else 0
    assert (eligible, amount, 0) == (
        result["eligible"][0],
        result["amount_fen"][0],
        result["monthly_fen"][0],
    )
    for name, part in scenario.get("components", {}).items():
        assert to_fen(Decimal(part)) == result[f"{name}_fen"][0], name


DISABILITY_SCENARIOS = disability_examples.SCENARIOS


@pytest.mark.parametrize(
    "scenario", DISABILITY_SCENARIOS, ids=[s["name"] for s in DISABILITY_SCENARIOS]
)
def test_the_disability_scenario_table_holds_on_the_batch_path(scenario: dict[str, Any]) -> None:
    subject = disability_examples.veteran(
        grade=scenario.get("grade"),
        nature=scenario.get("nature", "in-combat"),
        assessed_on=D.fromisoformat(scenario.get("assessed_on", "2000-06-01")),
        personnel=scenario.get("personnel", "conscript"),
    )
    on = D.fromisoformat(scenario["on"])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            evaluate_batch(NATIONAL, DISABILITY, columns_from([subject]), on=on)
        return
    result = evaluate_batch(NATIONAL, DISABILITY, columns_from([subject]), on=on)

    assert (
        {True: 1, False: 0}[scenario["eligible"]],
        to_fen(Decimal(scenario["amount"])) if "amount" in scenario else 0,
        to_fen(Decimal(scenario["monthly"])) if "monthly" in scenario else 0,
    ) == (result["eligible"][0], result["amount_fen"][0], result["monthly_fen"][0])


TEST_STANDARD = {STANDARD: "5000"}  # a test input, not law: the standard is not confirmed


def test_the_worked_example_counts_3_years_and_adds_10_percent_for_a_second_class_merit() -> None:
    columns = table(
        discharged_on=["2021-03-02"],
        award_kinds=[1 << batch.AWARD_KINDS.index(AwardKind.SECOND_CLASS_MERIT)],
    )

    result = evaluate_batch(NATIONAL.with_parameters(TEST_STANDARD), ONE_OFF, columns, on=LATER)

    assert {
        "eligible": [1],
        "amount_fen": [1650000],
        "monthly_fen": [0],
        "counted_months": [36],
        "base_fen": [1500000],
        "award_bonus_fen": [150000],
        "local_supplement_fen": [0],
        "stale": [False],
    } == {name: array.tolist() for name, array in result.items()}


def test_only_the_highest_award_counts() -> None:
    bits = {kind: 1 << i for i, kind in enumerate(batch.AWARD_KINDS)}
    columns = table(
        3,
        award_kinds=[
            bits[AwardKind.THIRD_CLASS_MERIT] | bits[AwardKind.FIRST_CLASS_MERIT],
            bits[AwardKind.MEDAL],  # not listed in the 2011 regulation
            bits[AwardKind.MEDAL] | bits[AwardKind.SECOND_CLASS_MERIT],
        ],
    )

    result = evaluate_batch(NATIONAL.with_parameters(TEST_STANDARD), ONE_OFF, columns, on=ON)

    assert [150000, 0, 100000] == result["award_bonus_fen"].tolist()  # 15%, none, 10%


def test_an_unknown_local_supplement_adds_nothing_where_the_rule_names_it_missing() -> None:
    # Guangxi's supplement only from 2020-01-01 (test inputs, not law): the 2019 discharge has
    # none known, the 2020 one has it; both are paid, as on the per-subject path.
    book = RuleBook.load("guangxi").with_parameters(
        {
            **TEST_STANDARD,
            "one_off_retirement_payment.local_supplement": {
                "effective_from": "2020-01-01",
                "value": {"per_service_year": "1000", "fixed": "2000"},
            },
        }
    )
    subjects = [
        one_off_examples.veteran(enlisted_on=D(2017, 9, 1), discharged_on=D(2019, 9, 1)),
        one_off_examples.veteran(),
    ]

    result = evaluate_batch(book, ONE_OFF, columns_from(subjects), on=LATER)

    assert per_subject(book, ONE_OFF, subjects, LATER) == decided(result)
    assert ([1000000, 1000000], [0, 400000]) == (
        result["base_fen"].tolist(),
        result["local_supplement_fen"].tolist(),
    )
    assert [("parameter one_off_retirement_payment.local_supplement",), ()] == [
        book.evaluate(ONE_OFF, subject, on=LATER).missing for subject in subjects
    ]


def test_the_bundled_book_raises_for_a_payable_row_as_the_rule_does() -> None:
    officer = one_off_examples.veteran(personnel="officer", mode=DischargeMode.CIVILIAN_TRANSFER)
    subjects = [officer, one_off_examples.veteran()]
    with pytest.raises(errors.ParameterMissing) as expected:
        per_subject(NATIONAL, ONE_OFF, subjects, ON)

    officers_only = evaluate_batch(NATIONAL, ONE_OFF, columns_from(subjects[:1]), on=ON)
    with pytest.raises(errors.ParameterMissing) as actual:
        evaluate_batch(NATIONAL, ONE_OFF, columns_from(subjects), on=ON)

    assert [0] == officers_only["eligible"].tolist()
    assert str(expected.value) == str(actual.value)


def test_a_discharge_before_2011_11_01_is_not_eligible_and_reads_no_parameter() -> None:
    columns = table(2, enlisted_on=["2009-09-01"] * 2, discharged_on=["2011-10-31", "2011-11-01"])

    with pytest.raises(errors.ParameterMissing):
        evaluate_batch(NATIONAL, ONE_OFF, columns, on=ON)
    result = evaluate_batch(NATIONAL, ONE_OFF, {k: v[:1] for k, v in columns.items()}, on=ON)

    assert [0] == result["eligible"].tolist()


def test_an_unrecorded_discharge_mode_is_undetermined() -> None:
    columns = table(2, discharge_mode=[-1, -1], personnel_type=[2, 0])

    result = evaluate_batch(NATIONAL, ONE_OFF, columns, on=ON)

    assert [-1, 0] == result["eligible"].tolist()  # an officer is not eligible whatever the mode


# --- inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", sorted(BATCH_RULES))
def test_an_empty_batch_gives_empty_arrays_of_the_documented_dtypes(rule: str) -> None:
    result = evaluate_batch(
        NATIONAL, rule, columns_from([], types=BATCH_RULES[rule].subjects), on=ON
    )

    assert dict(BATCH_RULES[rule].outputs) == {k: str(v.dtype) for k, v in result.items()}
    assert [0] * len(result) == [len(v) for v in result.values()]


def test_columns_from_no_veterans_are_empty_with_one_suspension_slot() -> None:
    columns = columns_from([])

    assert {name for name, c in COLUMNS.items() if "Veteran" in c.subjects} == set(columns)
    assert {name: COLUMNS[name].dtype for name in columns} == {
        name: str(array.dtype) for name, array in columns.items()
    }


def test_columns_from_models_carry_the_documented_codes() -> None:
    subject = one_off_examples.veteran(
        personnel="junior-nco",
        awards=(AwardKind.MEDAL, AwardKind.THIRD_CLASS_MERIT),
        sanctions=(
            Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=D(2022, 1, 1)),
            Sanction(kind=SanctionKind.DEATH_PENALTY, since=D(2023, 1, 1)),
            Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=D(2022, 6, 1)),
        ),
    )

    columns = columns_from([subject])

    assert {
        "personnel_type": 1,
        "discharge_mode": 4,
        "award_kinds": 1 | 1 << 8,
        "disability_grade": 0,
        "disability_nature": -1,
        "centrally_supported": -1,
        "expelled_from": "2022-01-01",
        "cancelled_from": "2022-06-01",
        "suspended_from": "NaT",
    } == {
        name: str(columns[name][0]) if columns[name].dtype.kind == "M" else columns[name][0]
        for name in (
            "personnel_type",
            "discharge_mode",
            "award_kinds",
            "disability_grade",
            "disability_nature",
            "centrally_supported",
            "expelled_from",
            "cancelled_from",
            "suspended_from",
        )
    }


def test_dataframe_style_inputs_are_accepted() -> None:
    columns = disabled([1, 2], ["in-combat", "on-duty"])
    frame_like: dict[str, Any] = {
        name: array.astype("datetime64[ns]")
        if array.dtype.kind == "M"
        else array.astype(np.int64)
        if array.dtype.kind in "iu"
        else array
        for name, array in columns.items()
    }
    frame_like["an_unrelated_column"] = np.array(["x", "y"])

    result = evaluate_batch(NATIONAL, DISABILITY, frame_like, on=ON)

    assert decided(evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)) == decided(result)


def test_column_problems_are_collected_into_one_group_naming_the_rows() -> None:
    columns = disabled([1, 11, 2], ["in-combat", "in-combat", "in-combat"])
    columns["disability_nature"] = np.array([0, 0, -1], dtype=np.int8)
    columns["mental_disorder"] = np.array([0, 0, 0], dtype=np.int8)
    del columns["died_on"]

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)

    problems = {
        (error.field, tuple(getattr(error, "__notes__", ())))
        for error in caught.value.exceptions
        if isinstance(error, errors.InvalidValue)
    }
    assert {
        ("disability_grade", ("rows 1 (行号从0起)",)),
        ("mental_disorder", ()),
        ("died_on", ()),
    } == problems
    assert len(caught.value.exceptions) == len(problems)


def test_a_disability_without_a_nature_is_refused_with_its_row() -> None:
    columns = disabled([1, 2], ["in-combat", "in-combat"])
    columns["disability_nature"] = np.array([0, -1], dtype=np.int8)

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)

    [error] = caught.value.exceptions
    assert isinstance(error, errors.InvalidValue)
    assert ("disability_nature", ["rows 1 (行号从0起)"]) == (error.field, error.__notes__)


def test_columns_of_different_lengths_are_refused() -> None:
    columns = table(2)
    columns["died_on"] = columns["died_on"][:1]

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, DISABILITY, columns, on=ON)

    assert ["columns"] == [getattr(e, "field", None) for e in caught.value.exceptions]


@pytest.mark.parametrize("rule", ["key_entitled", "no_such_rule"])
def test_a_rule_without_a_batch_path_is_an_unknown_rule(rule: str) -> None:
    with pytest.raises(errors.UnknownRule):
        evaluate_batch(NATIONAL, rule, table(1), on=ON)


def test_back_to_back_suspensions_merge_into_one_slot() -> None:
    subject = disability_examples.veteran(
        grade=3,
        sanctions=(
            Sanction(kind=SanctionKind.WANTED, since=D(2020, 9, 1), until=D(2020, 9, 30)),
            Sanction(kind=SanctionKind.WANTED, since=D(2020, 10, 1), until=D(2020, 10, 31)),
        ),
    )
    columns = columns_from([subject])
    days = [D(2020, 9, 30), D(2020, 10, 1), D(2020, 10, 31), D(2020, 11, 1)]

    eligible = [
        evaluate_batch(NATIONAL, DISABILITY, columns, on=day)["eligible"].tolist()[0]
        for day in days
    ]

    assert ("2020-09-01", "2020-10-31", False) == (
        str(columns["suspended_from"][0]),
        str(columns["suspended_until"][0]),
        "suspended_from_2" in columns,
    )
    assert [0, 0, 0, 1] == eligible


def test_a_standard_with_a_part_of_a_fen_is_refused_only_where_it_would_be_paid() -> None:
    book = NATIONAL.with_parameters(  # test values, not law
        {"disability_pension.annual_standard": {"in-combat": {"1": "90000.005", "2": "80000"}}}
    )
    dead = ["2020-12-01"]

    paid_grade_2 = evaluate_batch(book, DISABILITY, disabled([2], ["in-combat"]), on=ON)
    dead_grade_1 = evaluate_batch(
        book, DISABILITY, disabled([1], ["in-combat"], died_on=dead), on=ON
    )
    with pytest.raises(errors.InvalidAmount):
        evaluate_batch(book, DISABILITY, disabled([1], ["in-combat"]), on=ON)

    assert ([8000000], [0]) == (
        paid_grade_2["amount_fen"].tolist(),
        dead_grade_1["amount_fen"].tolist(),
    )


def test_code_and_date_problems_are_collected_together() -> None:
    columns = table(
        3,
        award_kinds=[0, 1 << 11, 0],
        enlisted_on=["2018-09-01", "2018-09-01", "2020-09-01"],  # the last: no service
        discharged_on=["2020-09-01", "2020-09-01", "2020-09-01"],
    )
    columns["personnel_type"] = np.array([0, 1, 3], dtype=np.int64)

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, ONE_OFF, columns, on=ON)

    assert {
        ("award_kinds", ("rows 1 (行号从0起)",)),
        ("personnel_type", ("rows 2 (行号从0起)",)),
        ("enlisted_on", ("rows 2 (行号从0起)",)),
    } == {
        (getattr(e, "field", None), tuple(getattr(e, "__notes__", ())))
        for e in caught.value.exceptions
    }


def test_enlistment_on_the_discharge_day_is_refused() -> None:
    columns = table(2, enlisted_on=["2018-09-01", "2020-09-01"])

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, ONE_OFF, columns, on=ON)

    assert [("enlisted_on", ["rows 1 (行号从0起)"])] == [
        (getattr(e, "field", None), getattr(e, "__notes__", None)) for e in caught.value.exceptions
    ]


# --- survivor_pension ----------------------------------------------------------------------

SURVIVOR = "survivor_pension"
SURVIVOR_SCENARIOS = survivor_examples.SCENARIOS


def outcome(result: Arrays) -> tuple[int, int, int]:
    return (int(result["eligible"][0]), int(result["amount_fen"][0]), int(result["monthly_fen"][0]))


def fen_of(scenario: dict[str, Any], name: str) -> int:
    return to_fen(Decimal(scenario[name])) if name in scenario else 0


ELIGIBLE = {True: 1, False: 0, "undetermined": -1, "unknown": -1}


@pytest.mark.parametrize(
    "scenario", SURVIVOR_SCENARIOS, ids=[s["name"] for s in SURVIVOR_SCENARIOS]
)
def test_the_survivor_scenario_table_holds_on_the_batch_path(scenario: dict[str, Any]) -> None:
    fields = survivor_examples.SUBJECT_FIELDS
    subject = survivor_examples.survivor(**{k: scenario[k] for k in fields if k in scenario})
    book = NATIONAL.with_parameters(scenario.get("parameters", {}))
    book = book.allowing_stale(scenario.get("allow_stale", False))
    on = D.fromisoformat(scenario["on"])
    columns = columns_from([subject])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            evaluate_batch(book, SURVIVOR, columns, on=on)
        return
    result = evaluate_batch(book, SURVIVOR, columns, on=on)

    assert (
        ELIGIBLE[scenario["eligible"]],
        fen_of(scenario, "amount"),
        fen_of(scenario, "monthly"),
    ) == outcome(result)


def test_the_survivor_standard_cell_follows_the_hukou_type_where_split() -> None:
    split = {  # test inputs, not law: a standard split by hukou type, as before 2016-10-01
        "survivor_pension.annual_standard": {
            "effective_from": "2015-10-01",
            "value": {
                "martyr": {"urban": "20000", "rural": "18000"},
                "duty-death": "17000",
                "illness-death": "16000",
            },
        }
    }
    needy = {"able_to_work": False, "has_means_of_support": False}
    subjects = [
        survivor_examples.survivor(hukou=hukou, death=death, circumstances=needy)
        for hukou, death in (("urban", "martyr"), ("rural", "martyr"), ("urban", "duty-death"))
    ]

    result = evaluate_batch(
        NATIONAL.with_parameters(split), SURVIVOR, columns_from(subjects), on=D(2016, 1, 6)
    )

    assert [2000000, 1800000, 1700000] == result["amount_fen"].tolist()


def test_a_survivor_past_the_confirmed_standard_is_stale_only_if_stale_figures_are_allowed() -> (
    None
):
    subject = survivor_examples.survivor(
        circumstances={"able_to_work": False, "has_means_of_support": False}
    )
    columns = columns_from([subject])
    on = D(2024, 1, 6)  # the bundled standard is confirmed through 2023-07-31

    with pytest.raises(errors.ParameterOutOfDate):
        evaluate_batch(NATIONAL, SURVIVOR, columns, on=on)
    result = evaluate_batch(NATIONAL, SURVIVOR, columns, on=on, allow_stale=True)

    assert (1, 3691000, [True]) == (
        int(result["eligible"][0]),
        int(result["amount_fen"][0]),
        result["stale"].tolist(),
    )
    assert expected(NATIONAL.allowing_stale(), SURVIVOR, [subject], on) == actual(
        NATIONAL.allowing_stale(), SURVIVOR, [subject], on
    )


def test_a_standard_with_a_part_of_a_fen_is_refused_where_a_survivor_would_be_paid_it() -> None:
    book = NATIONAL.with_parameters(  # a test input, not law
        {"survivor_pension.annual_standard": {"martyr": "20000.005", "duty-death": "18000"}}
    )
    needy = {"able_to_work": False, "has_means_of_support": False}
    paid = survivor_examples.survivor(circumstances=needy)
    unknown = survivor_examples.survivor()  # undetermined: reads the standard, is not paid

    with pytest.raises(errors.InvalidAmount):
        evaluate_batch(book, SURVIVOR, columns_from([unknown, paid]), on=ON)
    result = evaluate_batch(book, SURVIVOR, columns_from([unknown]), on=ON)

    assert [-1] == result["eligible"].tolist()


# --- living_allowance ----------------------------------------------------------------------

LIVING = "living_allowance"
LIVING_SCENARIOS = living_examples.SCENARIOS


@pytest.mark.parametrize("scenario", LIVING_SCENARIOS, ids=[s["name"] for s in LIVING_SCENARIOS])
def test_the_living_allowance_scenario_table_holds_on_the_batch_path(
    scenario: dict[str, Any], tmp_path: Path
) -> None:
    book = living_examples.book_for(scenario, tmp_path)
    subject = living_examples.subject_of(scenario)
    on = D.fromisoformat(scenario["on"])
    columns = columns_from([subject])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            evaluate_batch(book, LIVING, columns, on=on)
        return
    result = evaluate_batch(book, LIVING, columns, on=on)
    monthly = fen_of(scenario, "monthly")

    assert (ELIGIBLE[scenario["eligible"]], monthly * 12, monthly) == outcome(result)
    if "amount" in scenario:
        assert fen_of(scenario, "amount") == result["amount_fen"][0]
    for name, amount in scenario.get("components", {}).items():
        assert to_fen(Decimal(amount)) == result[f"{name}_fen"][0], name


def test_veterans_and_survivors_share_one_living_allowance_table() -> None:
    combat = living_examples.veteran(categories=["combat-or-test-veteran"], combat=True)
    child = living_examples.survivor(categories=["elderly-martyr-child"])
    subjects: list[Any] = [combat, child, combat]
    columns = columns_from(subjects)

    result = evaluate_batch(NATIONAL, LIVING, columns, on=D(2019, 8, 1))

    assert [0, 1, 0] == columns["subject_kind"].tolist()
    assert {  # 2019-08-01: 参战参试 650 a month, 烈士老年子女 490
        "eligible": [1, 1, 1],
        "monthly_fen": [65000, 49000, 65000],
        "combat_or_test_veteran_fen": [65000, 0, 65000],
        "elderly_martyr_child_fen": [0, 49000, 0],
    } == {
        name: result[name].tolist()
        for name in (
            "eligible",
            "monthly_fen",
            "combat_or_test_veteran_fen",
            "elderly_martyr_child_fen",
        )
    }


def test_a_town_martyr_child_with_a_work_unit_is_not_paid_on_either_path() -> None:
    child = attrs.evolve(
        living_examples.survivor(categories=["elderly-martyr-child"], hukou="urban"),
        circumstances=Circumstances(has_work_unit=True),
    )

    decision = NATIONAL.evaluate(LIVING, child, on=D(2019, 8, 1))
    result = evaluate_batch(NATIONAL, LIVING, columns_from([child]), on=D(2019, 8, 1))

    assert (False, None) == (decision.eligible, decision.amount)
    assert [0] == result["eligible"].tolist()


def test_only_the_highest_group_is_paid_when_the_flag_says_so() -> None:
    both = living_examples.veteran(
        categories=["discharged-with-illness", "combat-or-test-veteran"], combat=True
    )
    highest = NATIONAL.with_parameters({"living_allowance.groups_add_up": "0"})  # a test input
    columns = columns_from([both])

    added = evaluate_batch(NATIONAL, LIVING, columns, on=D(2019, 8, 1))
    one = evaluate_batch(highest, LIVING, columns, on=D(2019, 8, 1))

    assert ([125000], [65000], [0, 65000]) == (  # 600 + 650; the higher, 650, alone
        added["monthly_fen"].tolist(),
        one["monthly_fen"].tolist(),
        [one["discharged_with_illness_fen"][0], one["combat_or_test_veteran_fen"][0]],
    )


def test_a_survivor_row_in_a_veteran_rule_is_the_wrong_subject() -> None:
    child = living_examples.survivor(categories=["elderly-martyr-child"])

    with pytest.raises(errors.WrongSubject) as caught:
        evaluate_batch(NATIONAL, DISABILITY, columns_from([child]), on=ON)

    assert ("disability_pension", "Survivor") == (caught.value.rule, caught.value.got)


# --- conscript_family_allowance ------------------------------------------------------------

CONSCRIPT = "conscript_family_allowance"
CONSCRIPT_SCENARIOS = conscript_examples.SCENARIOS


@pytest.mark.parametrize(
    "scenario", CONSCRIPT_SCENARIOS, ids=[s["name"] for s in CONSCRIPT_SCENARIOS]
)
def test_the_conscript_scenario_table_holds_on_the_batch_path(
    scenario: dict[str, Any], tmp_path: Path
) -> None:
    subject = conscript_examples.scenario_subject(scenario)
    book = conscript_examples.scenario_book(scenario, tmp_path)
    on = D.fromisoformat(scenario["on"])
    columns = columns_from([subject])

    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            evaluate_batch(book, CONSCRIPT, columns, on=on)
        return
    result = evaluate_batch(book, CONSCRIPT, columns, on=on)

    assert (ELIGIBLE[scenario["eligible"]], fen_of(scenario, "amount"), 0) == outcome(result)
    if "county" in scenario and scenario["eligible"]:
        assert int(scenario["county"]) == result["paying_county"][0]


def test_the_worked_example_pays_12000_from_lingui_and_4000_prorated(tmp_path: Path) -> None:
    member = conscript_examples.member()  # 临桂镇, enlisted 2024-09-10
    book = NATIONAL.with_parameters({"conscript_family_allowance.annual_amount": "12000"})
    prorated = conscript_examples.prorating(book, tmp_path)
    columns = columns_from([member])

    whole = evaluate_batch(book, CONSCRIPT, columns, on=D(2025, 3, 1))
    part = evaluate_batch(prorated, CONSCRIPT, columns, on=D(2024, 10, 1))

    assert (1200000, 450312000000, 400000) == (
        int(whole["allowance_fen"][0]),
        int(whole["paying_county"][0]),
        int(part["amount_fen"][0]),
    )


def test_a_county_the_table_lacks_raises_what_the_per_subject_path_raises() -> None:
    member = conscript_examples.member()
    book = NATIONAL.with_parameters(  # test inputs, not law: 七星区 only
        {"conscript_family_allowance.annual_amount": {"450305000000": "10000"}}
    )

    with pytest.raises(errors.ParameterMissing) as per_subject:
        book.evaluate(CONSCRIPT, member, on=D(2025, 3, 1))
    with pytest.raises(errors.ParameterMissing) as in_batch:
        evaluate_batch(book, CONSCRIPT, columns_from([member]), on=D(2025, 3, 1))

    assert str(per_subject.value) == str(in_batch.value)


def test_a_unit_of_enlistment_above_county_level_is_refused_with_its_row() -> None:
    columns = columns_from([conscript_examples.member(), conscript_examples.member()])
    columns["enlisted_from"] = np.array([450312101000, 450300000000], dtype=np.int64)

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, CONSCRIPT, columns, on=D(2025, 3, 1))

    assert [("enlisted_from", ["rows 1 (行号从0起)"])] == [
        (getattr(e, "field", None), getattr(e, "__notes__", None)) for e in caught.value.exceptions
    ]


# --- every rule ----------------------------------------------------------------------------


def test_every_money_rule_has_a_twin_in_its_own_module() -> None:
    from veteran_affairs.rules import RULES

    assert [
        "conscript_family_allowance",
        "disability_pension",
        "living_allowance",
        "one_off_retirement_payment",
        "survivor_pension",
    ] == sorted(BATCH_RULES)
    for name, twin in BATCH_RULES.items():
        assert twin is RULES[name].columnar
        assert f"veteran_affairs.rules.{name}" == twin.evaluate.__module__


def test_the_rules_a_table_can_feed_follow_its_subject_types() -> None:
    survivors = columns_from([living_examples.survivor(categories=[])])
    members = columns_from([conscript_examples.member()])

    assert ("disability_pension", "living_allowance", "one_off_retirement_payment") == rules_for(
        columns_from([])
    )
    assert ("living_allowance", "survivor_pension") == rules_for(survivors)
    assert ("conscript_family_allowance",) == rules_for(members)


def test_statuses_fill_one_slot_each() -> None:
    veteran = living_examples.veteran(
        categories=["combat-or-test-veteran", "discharged-with-illness"], combat=True
    )
    columns = columns_from([veteran, living_examples.veteran(categories=[])])

    codes = [c.value for c in batch.STATUS_CATEGORIES]
    assert (
        [codes.index("combat-or-test-veteran"), -1],
        [codes.index("discharged-with-illness"), -1],
        False,
    ) == (
        columns["status_category"].tolist(),
        columns["status_category_2"].tolist(),
        "status_category_3" in columns,
    )


def test_a_status_without_its_start_is_refused_with_its_row() -> None:
    columns = columns_from([living_examples.veteran(categories=["combat-or-test-veteran"])] * 2)
    columns["status_since"] = np.array(["2000-01-01", "NaT"], dtype="datetime64[D]")

    with pytest.raises(ExceptionGroup) as caught:
        evaluate_batch(NATIONAL, LIVING, columns, on=ON)

    assert [("status_since", ["rows 1 (行号从0起)"])] == [
        (getattr(e, "field", None), getattr(e, "__notes__", None)) for e in caught.value.exceptions
    ]
