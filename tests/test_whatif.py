"""Population what-ifs: a worked example with figures computed by hand, and the edges.

The population: seven veterans, decided on 2021-01-06 under the national book with a
one-off standard of 4,500 yuan a year (a test input: the figure is not bundled), against a
reform file that raises two cells of the 2020-08-01 disability table by 10 % and cuts the
one-off standard to 4,000 yuan — **hypothetical figures, not law**.

Hand computation (annual standard; the one-off payment is years × standard):

=====  ================  =================  ===================  =================  ============
row    division          disability_pension one_off (2 years)    total              class
=====  ================  =================  ===================  =================  ============
0      临桂镇 village      77,000 → 84,700    officer: 0           +7,700             winner
1      七星区             none               9,000 → 8,000        −1,000             loser
2      临桂镇              43,100 → 47,410    9,000 → 8,000        +3,310             winner
3      临桂镇              none               mode unrecorded      undetermined       undetermined
4      七星区             dead: 0            before 2011: 0       0                  unchanged
5      Beijing (outside) 77,000 → 84,700    officer: 0           +7,700             winner
6      七星区             suspended: 0       officer: 0           0                  unchanged
=====  ================  =================  ===================  =================  ============
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

np = pytest.importorskip("numpy")

from veteran_affairs import cli  # noqa: E402
from veteran_affairs.errors import (  # noqa: E402
    InconsistentRecord,
    InvalidDivisionCode,
    InvalidValue,
    ParameterMissing,
    UnknownRule,
)
from veteran_affairs.hierarchy import DivisionTree  # noqa: E402
from veteran_affairs.identity import (  # noqa: E402
    DivisionCode,
    DivisionLevel,
    ResidentId,
    check_character,
)
from veteran_affairs.models import (  # noqa: E402
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
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.money import to_fen  # noqa: E402
from veteran_affairs.repositories import SqliteStore  # noqa: E402
from veteran_affairs.rules import RuleBook  # noqa: E402
from veteran_affairs.rules import batch as batch_module  # noqa: E402
from veteran_affairs.whatif import TOTAL, Impact, WhatIf, compare_population  # noqa: E402

ON = dt.date(2021, 1, 6)
DISABILITY = "disability_pension"
ONE_OFF = "one_off_retirement_payment"
ONE_OFF_STANDARD = "one_off_retirement_payment.annual_standard"

NAT = "NaT"
# division, personnel type, mode, enlisted, discharged, grade, nature, assessed, died, suspended
ROWS: list[tuple[str | None, int, int, str, str, int, int, str, str, str]] = [
    ("450312100201", 0, 1, "1985-09-01", "2005-09-01", 3, 0, "1990-05-01", NAT, NAT),
    ("450305000000", 1, 4, "2015-09-01", "2017-09-01", 0, -1, NAT, NAT, NAT),
    ("450312100000", 2, 4, "2015-09-01", "2017-09-01", 5, 1, "2017-06-01", NAT, NAT),
    ("450312100000", 2, -1, "2016-09-01", "2018-09-01", 0, -1, NAT, NAT, NAT),
    ("450305000000", 1, 3, "2000-09-01", "2008-09-01", 6, 2, "2008-01-01", "2020-01-01", NAT),
    ("110105000000", 0, 0, "1980-09-01", "2010-09-01", 3, 0, "1985-01-01", NAT, NAT),
    ("450305000000", 0, 1, "1990-09-01", "2010-09-01", 3, 0, "1995-01-01", NAT, "2019-01-01"),
]
DIVISIONS = [row[0] for row in ROWS]

REFORM_FILE = """\
# HYPOTHETICAL reform for a test: not law.
[[parameter]]
key = "disability_pension.annual_standard"
label_zh = "残疾抚恤金标准"
label_en = "disability pension, per person per year, by nature and grade"
unit = "CNY/year"

  [[parameter.version]]
  effective_from = "2020-08-01"
  citation = { document = "hypothetical what-if: 2020-08-01 cells + 10 % (test input, not law)" }
  value = { in-combat = { "3" = "84700" }, on-duty = { "5" = "47410" } }

[[parameter]]
key = "one_off_retirement_payment.annual_standard"
label_zh = "自主就业退役士兵一次性退役金标准（每服现役一年）"
label_en = "one-off retirement payment of self-employed soldiers, per year of service"
unit = "CNY per service year"

  [[parameter.version]]
  effective_from = "2011-11-01"
  citation = { document = "hypothetical what-if: 4,000 a year (test input, not law)" }
  value = "4000"
"""


def population(rows: list[tuple[Any, ...]] = ROWS) -> dict[str, Any]:
    """The batch columns of ``rows``."""

    def days(position: int) -> Any:
        return np.array([row[position] for row in rows], dtype="datetime64[D]")

    def codes(position: int, dtype: str) -> Any:
        return np.array([row[position] for row in rows], dtype=dtype)

    none = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[D]")
    return {
        "personnel_type": codes(1, "int8"),
        "discharge_mode": codes(2, "int8"),
        "enlisted_on": days(3),
        "discharged_on": days(4),
        "disability_grade": codes(5, "int8"),
        "disability_nature": codes(6, "int8"),
        "disability_assessed_on": days(7),
        "died_on": days(8),
        "suspended_from": days(9),
        "suspended_until": none.copy(),
        "cancelled_from": none.copy(),
        "expelled_from": none.copy(),
        "award_kinds": np.zeros(len(rows), dtype=np.uint16),
        "mental_disorder": np.zeros(len(rows), dtype=np.bool_),
        "centrally_supported": np.zeros(len(rows), dtype=np.int8),
    }


@pytest.fixture(scope="module")
def baseline() -> RuleBook:
    return RuleBook.load("national").with_parameters(
        {
            ONE_OFF_STANDARD: [  # test input, not law: the standard is not bundled
                {
                    "effective_from": "2011-11-01",
                    "value": "4500",
                    "citation": {"document": "test input (docs/examples figure), not law"},
                }
            ]
        }
    )


@pytest.fixture(scope="module")
def reform(baseline: RuleBook, tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    path = tmp_path_factory.mktemp("whatif") / "reform.toml"
    path.write_text(REFORM_FILE, encoding="utf-8")
    return baseline.with_parameters(path)


@pytest.fixture(scope="module")
def result(baseline: RuleBook, reform: RuleBook) -> WhatIf:
    return compare_population(baseline, reform, population(), on=ON, divisions=DIVISIONS)


@pytest.fixture(scope="module")
def tree() -> DivisionTree:
    return DivisionTree.bundled("45")


def fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


# --- the worked example --------------------------------------------------------------------


def test_every_rule_the_columns_feed_is_compared(result: WhatIf) -> None:
    assert (DISABILITY, ONE_OFF) == result.rules
    assert 7 == result.rows


def test_the_disability_pension_costs_what_the_hand_computation_says(result: WhatIf) -> None:
    expected = Impact(
        rule=DISABILITY,
        rows=7,
        baseline_fen=fen("197100"),
        reform_fen=fen("216810"),
        winners=3,
        losers=0,
        unchanged=4,
        changes=((fen("4310"), 1), (fen("7700"), 2)),
    )

    assert expected == result.impact(DISABILITY)
    assert Decimal("19710.00") == result.impact(DISABILITY).change


def test_the_cut_one_off_payment_makes_losers_and_leaves_the_unknown_undetermined(
    result: WhatIf,
) -> None:
    expected = Impact(
        rule=ONE_OFF,
        rows=7,
        baseline_fen=fen("18000"),
        reform_fen=fen("16000"),
        winners=0,
        losers=2,
        unchanged=4,
        undetermined=1,
        changes=((fen("-1000"), 2),),
    )

    assert expected == result.impact(ONE_OFF)
    assert (None, Decimal("-1000.00")) == (
        result.impact(ONE_OFF).largest_gain,
        result.impact(ONE_OFF).largest_loss,
    )


def test_in_total_a_row_is_the_person_with_their_amounts_added(result: WhatIf) -> None:
    expected = Impact(
        rule=TOTAL,
        rows=7,
        baseline_fen=fen("215100"),
        reform_fen=fen("232810"),
        winners=3,
        losers=1,
        unchanged=2,
        undetermined=1,
        changes=((fen("-1000"), 1), (fen("3310"), 1), (fen("7700"), 2)),
    )

    assert expected == result.total
    assert (Decimal("215100.00"), Decimal("232810.00"), Decimal("17710.00")) == (
        result.total.baseline,
        result.total.reform,
        result.total.change,
    )


def test_quantiles_are_changes_of_actual_rows_by_nearest_rank(result: WhatIf) -> None:
    # the four changes: -1000, 3310, 7700, 7700
    assert (Decimal("-1000.00"), Decimal("3310.00"), Decimal("7700.00")) == (
        result.total.quantiles(2)
    )
    deciles = result.total.quantiles()
    assert 11 == len(deciles)
    assert (Decimal("-1000.00"), Decimal("7700.00")) == (deciles[0], deciles[-1])
    assert (Decimal("-1000.00"), Decimal("3310.00")) == (deciles[2], deciles[3])


def test_rows_count_at_their_unit_or_its_nearest_ancestor(
    result: WhatIf, tree: DivisionTree
) -> None:
    report = result.by_division(tree)

    township = report["450312100000"]  # rows 0 (from a village not in the tree), 2 and 3
    assert (3, 2, 0, 1) == (
        township["rows"],
        township["winners"],
        township["losers"],
        township["undetermined"],
    )
    assert (Decimal("129100.00"), Decimal("140110.00"), Decimal("11010.00")) == (
        township["baseline"],
        township["reform"],
        township["change"],
    )
    county = report["450305"]  # rows 1, 4 and 6
    assert (3, 0, 1, 2, Decimal("-1000.00")) == (
        county["rows"],
        county["winners"],
        county["losers"],
        county["unchanged"],
        county["change"],
    )
    city = report["4503"]
    assert (6, Decimal("10010.00")) == (city["rows"], city["change"])
    assert (6, 1) == (report["45"]["rows"], report.unplaced)  # row 5 is in Beijing


def test_a_rule_by_division_counts_that_rule_only(result: WhatIf, tree: DivisionTree) -> None:
    report = result.by_division(tree, ONE_OFF)

    assert (2, Decimal("-2000.00"), 1) == (
        report["45"]["losers"],
        report["45"]["change"],
        report["45"]["undetermined"],
    )


def test_levels_hold_their_units_own_rows(result: WhatIf, tree: DivisionTree) -> None:
    levels = {summary.level: summary["rows"] for summary in result.by_level(tree)}

    assert 3 == levels[DivisionLevel.TOWNSHIP]
    assert 3 == levels[DivisionLevel.COUNTY]
    assert 0 == levels[DivisionLevel.CITY] == levels[DivisionLevel.PROVINCE]


def test_renderings_show_every_rule_and_the_total(result: WhatIf) -> None:
    rows = result.to_rows()
    assert [DISABILITY, ONE_OFF, TOTAL] == [row["rule"] for row in rows]
    assert (Decimal("17710.00"), Decimal("-1000.00"), Decimal("7700.00")) == (
        rows[2]["change"],
        rows[2]["q0"],
        rows[2]["q10"],
    )
    text = result.to_text()
    assert "+17,710.00" in text
    assert "Beijing" not in text
    markdown = result.to_markdown()
    assert (
        "| total | 7 | 215,100.00 | 232,810.00 | +17,710.00 | 3 | 1 | 2 | 0 | 0 | 1 |" in markdown
    )
    assert "<td>total</td>" in result._repr_html_()


def test_the_summary_is_a_dataframe_by_rule(result: WhatIf) -> None:
    pytest.importorskip("pandas")

    frame = result.to_dataframe(quantiles=4)

    assert [DISABILITY, ONE_OFF, TOTAL] == list(frame.index)
    assert Decimal("-2000.00") == frame.loc[ONE_OFF, "change"]
    assert "q4" in frame.columns


# --- inputs --------------------------------------------------------------------------------


def test_a_dataframe_with_a_division_column_gives_the_same_result(
    baseline: RuleBook, reform: RuleBook, result: WhatIf
) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(population())
    frame["hukou"] = DIVISIONS

    assert result == compare_population(baseline, reform, frame, on=ON, divisions="hukou")


def test_six_digit_codes_are_their_units_and_missing_codes_are_unplaced(
    baseline: RuleBook, reform: RuleBook, tree: DivisionTree
) -> None:
    divisions: list[str | None] = ["450305", "450305000000", None, "", *DIVISIONS[4:]]

    found = compare_population(baseline, reform, population(), on=ON, divisions=divisions)

    assert ("", "110105000000", "450305000000") == found.codes
    report = found.by_division(tree)
    assert (4, 3) == (report["450305"]["rows"], report.unplaced)


def test_without_divisions_every_row_is_outside_the_tree(
    baseline: RuleBook, reform: RuleBook, result: WhatIf, tree: DivisionTree
) -> None:
    found = compare_population(baseline, reform, population(), on=ON)

    assert result.total == found.total
    assert (0, 7) == (found.by_division(tree)["45"]["rows"], found.by_division(tree).unplaced)


def test_invalid_division_codes_are_refused_with_their_rows(
    baseline: RuleBook, reform: RuleBook
) -> None:
    divisions = ["4503X5", *DIVISIONS[1:]]

    with pytest.raises(InvalidDivisionCode) as raised:
        compare_population(baseline, reform, population(), on=ON, divisions=divisions)

    assert "divisions" == raised.value.field
    assert ["rows 0 (行号从0起)"] == raised.value.__notes__


def test_a_division_per_row_is_needed(baseline: RuleBook, reform: RuleBook) -> None:
    with pytest.raises(InvalidValue, match="expected 7 codes"):
        compare_population(baseline, reform, population(), on=ON, divisions=DIVISIONS[:3])


def test_columns_that_feed_no_rule_are_refused(baseline: RuleBook, reform: RuleBook) -> None:
    columns = {"died_on": population()["died_on"]}

    with pytest.raises(InvalidValue, match="feed no rule"):
        compare_population(baseline, reform, columns, on=ON)


def test_only_the_rules_asked_for_are_compared(
    baseline: RuleBook, reform: RuleBook, result: WhatIf
) -> None:
    found = compare_population(
        baseline, reform, population(), on=ON, divisions=DIVISIONS, rules=DISABILITY
    )

    assert (DISABILITY,) == found.rules
    assert result.impact(DISABILITY) == found.impact(DISABILITY)
    assert attrs.evolve(found.total, rule=DISABILITY) == found.impact(DISABILITY)
    with pytest.raises(InvalidValue, match="not among the rules compared"):
        found.impact(ONE_OFF)


def test_a_rule_off_the_batch_path_is_refused(baseline: RuleBook, reform: RuleBook) -> None:
    with pytest.raises(UnknownRule):
        compare_population(baseline, reform, population(), on=ON, rules=["glory_plaque"])


# --- errors name the rule and the side -----------------------------------------------------


def test_a_figure_missing_from_the_reform_names_the_rule_and_the_reform(
    baseline: RuleBook,
) -> None:
    partial = baseline.with_parameters(
        {  # hypothetical: replaces the 2020-08-01 table by one cell, so on-duty 5 is unknown
            "disability_pension.annual_standard": {
                "effective_from": "2020-08-01",
                "value": {"in-combat": {"3": "84700"}},
                "citation": {"document": "hypothetical test input, not law"},
            }
        }
    )

    with pytest.raises(ParameterMissing) as raised:
        compare_population(baseline, partial, population(), on=ON)

    assert "disability_pension.annual_standard" == raised.value.key
    assert "rule disability_pension, reform book (改革方案)" in str(raised.value)


def test_a_figure_missing_from_the_baseline_names_the_baseline(reform: RuleBook) -> None:
    national = RuleBook.load("national")  # no one-off standard is bundled

    with pytest.raises(ParameterMissing) as raised:
        compare_population(national, reform, population(), on=ON)

    assert ONE_OFF_STANDARD == raised.value.key
    assert "rule one_off_retirement_payment, baseline book (基准)" in str(raised.value)


def test_column_problems_carry_the_rule_and_side_in_a_note(
    baseline: RuleBook, reform: RuleBook
) -> None:
    columns = population()
    columns["disability_grade"] = columns["disability_grade"].astype(np.float64)

    with pytest.raises(ExceptionGroup) as raised:
        compare_population(baseline, reform, columns, on=ON, rules=[DISABILITY])

    assert ["rule disability_pension, baseline book (基准)"] == raised.value.__notes__


# --- counting eligibility (any rule: the outputs are stubbed) ------------------------------


def test_eligibility_changes_are_counted_per_rule_and_in_total(
    baseline: RuleBook, reform: RuleBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reform may change who is eligible (a threshold, say); the two covered rules' tests
    do not depend on figures, so the batch outputs are stubbed here."""
    outputs = {
        # rows: newly eligible, no longer, undetermined under the reform, unchanged, winner
        (DISABILITY, "baseline"): ([0, 1, 1, 1, 0], [0, 500, 700, 100, 0]),
        (DISABILITY, "reform"): ([1, 0, -1, 1, 0], [900, 0, 0, 100, 0]),
        (ONE_OFF, "baseline"): ([0, 0, 0, 0, 1], [0, 0, 0, 0, 50]),
        (ONE_OFF, "reform"): ([0, 1, 0, 0, 1], [0, 600, 0, 0, 80]),
    }

    def stub(book: RuleBook, rule: str, columns: Any, *, on: dt.date) -> dict[str, Any]:
        eligible, amounts = outputs[(rule, "baseline" if book is baseline else "reform")]
        return {
            "eligible": np.array(eligible, dtype=np.int8),
            "amount_fen": np.array(amounts, dtype=np.int64),
        }

    monkeypatch.setattr(batch_module, "evaluate_batch", stub)
    columns = population(ROWS[:5])

    found = compare_population(baseline, reform, columns, on=ON)

    disability, one_off, total = found.impacts
    assert (1, 1, 1, 1, 1, 2) == (
        disability.newly_eligible,
        disability.no_longer_eligible,
        disability.undetermined,
        disability.winners,
        disability.losers,
        disability.unchanged,
    )
    assert (1, 0, 2, 3) == (
        one_off.newly_eligible,
        one_off.no_longer_eligible,
        one_off.winners,
        one_off.unchanged,
    )
    # total: row 0 newly eligible (+900), row 1 moves from one rule to the other (+100),
    # row 2 undetermined, row 3 unchanged, row 4 +30
    assert (1, 0, 1, 3, 0, 1) == (
        total.newly_eligible,
        total.no_longer_eligible,
        total.undetermined,
        total.winners,
        total.losers,
        total.unchanged,
    )
    assert ((30, 1), (100, 1), (900, 1)) == total.changes


# --- adding and the values themselves ------------------------------------------------------


def test_halves_add_up_to_the_whole(baseline: RuleBook, reform: RuleBook, result: WhatIf) -> None:
    first = compare_population(
        baseline, reform, population(ROWS[:3]), on=ON, divisions=DIVISIONS[:3]
    )
    second = compare_population(
        baseline, reform, population(ROWS[3:]), on=ON, divisions=DIVISIONS[3:]
    )

    assert result == first + second
    assert result.total == first.total + second.total


def test_what_ifs_of_other_dates_or_rules_do_not_add(
    baseline: RuleBook, reform: RuleBook, result: WhatIf
) -> None:
    other = compare_population(
        baseline, reform, population(), on=dt.date(2021, 1, 7), divisions=DIVISIONS
    )

    with pytest.raises(InconsistentRecord):
        result + other
    with pytest.raises(InconsistentRecord):
        result.total + result.impact(DISABILITY)


def test_an_impact_whose_classes_miss_rows_cannot_exist() -> None:
    with pytest.raises(InconsistentRecord):
        Impact(rule=TOTAL, rows=3, baseline_fen=0, reform_fen=0, unchanged=2)


def test_quantiles_need_one_part_and_nothing_changed_gives_none(result: WhatIf) -> None:
    unchanged = Impact(rule=TOTAL, rows=1, baseline_fen=0, reform_fen=0, unchanged=1)

    assert () == unchanged.quantiles()
    assert (None, None) == (unchanged.largest_gain, unchanged.largest_loss)
    with pytest.raises(InvalidValue):
        result.total.quantiles(0)


def test_an_empty_population_costs_nothing(baseline: RuleBook, reform: RuleBook) -> None:
    found = compare_population(baseline, reform, population([]), on=ON, divisions=[])

    assert Impact(rule=TOTAL, rows=0, baseline_fen=0, reform_fen=0) == found.total


# --- a population of veterans, survivors and serving members ------------------------------

FAMILY_ALLOWANCE = "conscript_family_allowance.annual_amount"
MIXED_ON = dt.date(2023, 1, 6)  # every bundled figure these rows need is known on this day


def resident(born: str, sequence: int, hukou: HukouType = HukouType.RURAL) -> Person:
    body = f"450312{born.replace('-', '')}{sequence:03d}"
    return Person(
        resident_id=ResidentId(body + check_character(body)),
        name="合成乙",
        hukou_division=DivisionCode("450312101201"),
        hukou_type=hukou,
    )


def since(day: str, category: str) -> tuple[EntitlementStatus, ...]:
    return (
        EntitlementStatus(category=EntitlementCategory(category), since=dt.date.fromisoformat(day)),
    )


MIXED: list[Veteran | Survivor | ServingMember] = [
    Veteran(  # 残疾抚恤金: grade 3 因战
        person=resident("1960-03-01", 11),
        service=ServiceRecord(
            enlisted_on=dt.date(1978, 3, 1),
            discharged_on=dt.date(1998, 3, 1),
            personnel_type=PersonnelType.OFFICER,
            discharge_mode=DischargeMode.CIVILIAN_TRANSFER,
        ),
        disability=Disability(
            grade=3, nature=DisabilityNature.IN_COMBAT, assessed_on=dt.date(1985, 5, 1)
        ),
    ),
    Veteran(  # 一次性退役金: 2 years of 自主就业 conscript service
        person=resident("1997-03-01", 13),
        service=ServiceRecord(
            enlisted_on=dt.date(2015, 9, 1),
            discharged_on=dt.date(2017, 9, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
    ),
    Veteran(  # 定期生活补助: 参战 veteran
        person=resident("1958-03-01", 15),
        service=ServiceRecord(
            enlisted_on=dt.date(1978, 3, 1),
            discharged_on=dt.date(1981, 3, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
            combat_participant=True,
        ),
        statuses=since("1981-04-01", "combat-or-test-veteran"),
        circumstances=Circumstances(other_periodic_state_payment=False),
    ),
    Survivor(  # 定期抚恤金: a martyr's parent without means
        person=resident("1950-03-01", 12),
        relation=Relation.PARENT,
        death_category=DeathCategory.MARTYR,
        deceased_on=dt.date(2010, 5, 1),
        statuses=since("2010-06-01", DeathCategory.MARTYR.survivor_category.value),
        circumstances=Circumstances(able_to_work=False, has_means_of_support=False),
    ),
    Survivor(  # 定期生活补助: a martyr's elderly child in a town, without a work unit
        person=resident("1950-03-15", 14, HukouType.URBAN),
        relation=Relation.CHILD,
        death_category=DeathCategory.MARTYR,
        deceased_on=dt.date(1951, 1, 20),
        statuses=since("2000-01-01", "elderly-martyr-child"),
        circumstances=Circumstances(has_work_unit=False),
    ),
    ServingMember(  # 义务兵家庭优待金
        person=resident("2002-03-01", 17),
        service=ServiceRecord(
            enlisted_on=dt.date(2020, 9, 10), personnel_type=PersonnelType.CONSCRIPT
        ),
        enlisted_from=DivisionCode("450312101000"),
    ),
]


@pytest.fixture(scope="module")
def mixed_books(baseline: RuleBook) -> tuple[RuleBook, RuleBook]:
    """The family allowance at 12,000 and, in the reform, 13,000 yuan (test inputs, not law)."""
    with_allowance = baseline.with_parameters({FAMILY_ALLOWANCE: "12000"})
    return with_allowance, with_allowance.with_parameters({FAMILY_ALLOWANCE: "13000"})


def test_a_table_of_veterans_survivors_and_members_compares_all_five_money_rules(
    mixed_books: tuple[RuleBook, RuleBook],
) -> None:
    before, after = mixed_books
    columns = batch_module.columns_from(MIXED)

    found = compare_population(before, after, columns, on=MIXED_ON)

    assert tuple(batch_module.BATCH_RULES) == found.rules
    for rule in found.rules:  # each rule costs its own subjects as the per-subject path does
        subjects = [s for s in MIXED if before.rule(rule).applies_to(s)]
        expected = sum(
            to_fen(before.evaluate(rule, s, on=MIXED_ON).amount or Decimal(0)) for s in subjects
        )
        impact = found.impact(rule)
        assert (len(MIXED), expected, 0) == (impact.rows, impact.baseline_fen, impact.undetermined)
        assert 0 < impact.baseline_fen, rule
    allowance = found.impact("conscript_family_allowance")
    assert (fen("1000"), 1, len(MIXED) - 1) == (
        allowance.change_fen,
        allowance.winners,
        allowance.unchanged,
    )
    assert fen("1000") == found.total.change_fen


def test_a_table_of_veterans_alone_compares_the_living_allowance_where_its_columns_are(
    mixed_books: tuple[RuleBook, RuleBook],
) -> None:
    before, after = mixed_books
    veterans = [s for s in MIXED if isinstance(s, Veteran)]
    columns = batch_module.columns_from(veterans)
    bare = {name: values for name, values in columns.items() if name != "subject_kind"}
    without_age = {name: values for name, values in bare.items() if name != "birth_date"}

    found = compare_population(before, after, columns, on=MIXED_ON)

    assert (DISABILITY, "living_allowance", ONE_OFF) == found.rules
    assert found.rules == compare_population(before, after, bare, on=MIXED_ON).rules
    assert (DISABILITY, ONE_OFF) == compare_population(
        before, after, without_age, on=MIXED_ON
    ).rules


def test_a_rule_named_for_a_mixed_table_decides_its_own_subjects(
    mixed_books: tuple[RuleBook, RuleBook],
) -> None:
    before, after = mixed_books
    columns = batch_module.columns_from(MIXED)

    found = compare_population(before, after, columns, on=MIXED_ON, rules=[DISABILITY])

    pension = before.evaluate(DISABILITY, MIXED[0], on=MIXED_ON).amount
    assert pension is not None
    assert (DISABILITY,) == found.rules
    assert (to_fen(pension), len(MIXED)) == (found.impact(DISABILITY).baseline_fen, found.rows)


def test_a_column_problem_in_a_mixed_table_says_how_its_rows_are_counted(
    mixed_books: tuple[RuleBook, RuleBook],
) -> None:
    before, after = mixed_books
    columns = batch_module.columns_from(MIXED)
    columns["disability_grade"][0] = 11

    with pytest.raises(ExceptionGroup) as raised:
        compare_population(before, after, columns, on=MIXED_ON, rules=[DISABILITY])

    notes = raised.value.__notes__
    assert "rule disability_pension, baseline book (基准)" == notes[0]
    assert notes[1].startswith("row numbers count only the rows of the subject types")


# --- the command line ----------------------------------------------------------------------

TABLE_CELLS = (  # the 2020-08-01 table with grades 1-4 raised by 10 % (hypothetical, not law)
    'in-combat = { "1" = "106667", "2" = "96525", "3" = "84700", "4" = "69421" }, '
    'on-duty = { "1" = "103301", "2" = "91454", "3" = "79596", "4" = "62667" }, '
    'illness = { "1" = "99913", "2" = "88033", "3" = "74547", "4" = "57585" }'
)


@pytest.fixture(scope="module")
def grade_reform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reform file naming only grades 1–4: a grade 5–10 pension it cannot decide."""
    path = tmp_path_factory.mktemp("cli") / "reform.toml"
    head = REFORM_FILE.split('\n[[parameter]]\nkey = "one_off')[0]
    path.write_text(
        head.replace('in-combat = { "3" = "84700" }, on-duty = { "5" = "47410" }', TABLE_CELLS),
        encoding="utf-8",
    )
    return path


def test_the_command_compares_a_stores_veterans(
    grade_reform: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    veteran = Veteran(
        person=Person(
            resident_id=ResidentId("450312197801010012"),
            name="合成甲",
            hukou_division=DivisionCode("450312101201"),
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=dt.date(1996, 12, 1),
            discharged_on=dt.date(2000, 12, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
        disability=Disability(
            grade=1, nature=DisabilityNature.IN_COMBAT, assessed_on=dt.date(2000, 6, 1)
        ),
    )
    store_path = tmp_path / "store.sqlite"
    store = SqliteStore(store_path)
    with store.unit_of_work(actor="test") as work:
        work.persons.add(veteran)
        work.commit()

    status = cli.main(
        [
            "whatif",
            "--store",
            str(store_path),
            "--parameters",
            str(grade_reform),
            "--on",
            "2021-01-06",
            "--rules",
            "national",
            "--rule",
            DISABILITY,
            "--within",
            "450312",
            "--level",
            "township",
        ]
    )

    captured = capsys.readouterr()
    out = captured.out
    assert (0, "") == (status, captured.err)
    assert "+9,697.00" in out  # 96,970 → 106,667
    township = [line for line in out.splitlines() if "六塘镇" in line]  # the village's
    assert 1 == len(township)
    assert ["1", "96,970.00", "106,667.00", "9,697.00", "1", "0", "0"] == township[0].split()[2:]
    assert "合成甲" not in out  # no personal data in the figures
    assert "450312197801010012" not in out


def test_the_command_names_the_side_a_figure_is_missing_from(
    grade_reform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(
        [
            "whatif",
            "--parameters",
            str(grade_reform),
            "--on",
            "2021-01-06",
            "--rules",
            "national",
            "--rule",
            DISABILITY,
            "--within",
            "450312",
            "--persons",
            "300",
        ]
    )

    assert 1 == status
    assert "reform book (改革方案)" in capsys.readouterr().err


ONE_OFF_FILE = """\
# TEST INPUT, NOT LAW: a one-off standard of {amount} yuan per year of service.
[[parameter]]
key = "one_off_retirement_payment.annual_standard"
label_zh = "自主就业退役士兵一次性退役金标准（每服现役一年）"
label_en = "one-off retirement payment of self-employed soldiers, per year of service"
unit = "CNY per service year"

  [[parameter.version]]
  effective_from = "2024-09-01"
  citation = {{ document = "test input, not law" }}
  value = "{amount}"
"""
FIXTURE = Path(__file__).resolve().parent / "data" / "jurisdictions" / "fixture-province"


def test_the_command_takes_its_book_and_tree_from_the_jurisdiction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fixture province (test data) adds a one-off supplement of 1,000 a year of service
    plus 5,000 from 2024-09-01 and a made-up city 4698: two years of service cost
    2 × 6,000 + 2 × 1,000 + 5,000 = 19,000 under its book, 20,000 at a standard of 6,500."""
    body = "469801200301011"
    soldier = Veteran(
        person=Person(
            resident_id=ResidentId(body + "55" + check_character(body + "55")),
            name="合成丙",
            hukou_division=DivisionCode("469801101000"),  # 测试镇（测试数据）
            hukou_type=HukouType.RURAL,
        ),
        service=ServiceRecord(
            enlisted_on=dt.date(2022, 9, 15),
            discharged_on=dt.date(2024, 9, 15),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
    )
    store_path = tmp_path / "store.sqlite"
    store = SqliteStore(store_path)
    with store.unit_of_work(actor="test") as work:
        work.persons.add(soldier)
        work.commit()
    files = {}
    for amount in ("6000", "6500"):
        files[amount] = tmp_path / f"one-off-{amount}.toml"
        files[amount].write_text(ONE_OFF_FILE.format(amount=amount), encoding="utf-8")
    command = [
        "whatif",
        "--jurisdiction",
        str(FIXTURE),
        "--store",
        str(store_path),
        "--baseline-parameters",
        str(files["6000"]),
        "--parameters",
        str(files["6500"]),
        "--on",
        "2025-01-06",
        "--rule",
        ONE_OFF,
    ]

    status = cli.main(command)

    captured = capsys.readouterr()
    assert (0, "") == (status, captured.err)
    city = [line for line in captured.out.splitlines() if "测试市（测试数据）" in line]
    assert 1 == len(city)
    assert ["1", "19,000.00", "20,000.00", "1,000.00", "1", "0", "0"] == city[0].split()[2:]
    assert 0 == cli.main([*command, "--rules", "national"])  # the national book: no supplement
    national = [line for line in capsys.readouterr().out.splitlines() if "测试市" in line]
    assert ["1", "12,000.00", "13,000.00", "1,000.00", "1", "0", "0"] == national[0].split()[2:]


def test_the_command_has_a_synthetic_population_for_guangxi_only(
    grade_reform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["whatif", "--jurisdiction", str(FIXTURE), "--on", "2021-01-06"]
    status = cli.main([*command, "--parameters", str(grade_reform)])

    assert 1 == status
    assert "give --store" in capsys.readouterr().err
