"""The laws of population what-ifs, over synthetic populations and drawn reforms.

* every row is a winner, a loser, unchanged or undetermined, by rule and in total; the
  distribution of the change counts the winners and losers, and adds up to the change of
  the cost when no row is undetermined;
* by division, each unit's figures are its own rows' plus its children's; the levels add up
  to the top unit; the top unit and the rows outside the tree add up to the total;
* the same book on both sides changes nothing; a reform that only raises figures makes no
  losers, one that only lowers them no winners;
* the what-ifs of two parts of a population, added, are the what-if of the whole.

Reforms are **hypothetical test inputs, not law**: the 2020-08-01 disability table scaled by
a drawn percentage, and a drawn one-off standard.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

from veteran_affairs.hierarchy import DivisionTree  # noqa: E402
from veteran_affairs.money import round_fen  # noqa: E402
from veteran_affairs.partitions import synthetic_partition  # noqa: E402
from veteran_affairs.rules import RuleBook  # noqa: E402
from veteran_affairs.rules.batch import COLUMNS  # noqa: E402
from veteran_affairs.whatif import FIGURES, TOTAL, WhatIf, compare_population  # noqa: E402

STANDARD = "disability_pension.annual_standard"
ONE_OFF_STANDARD = "one_off_retirement_payment.annual_standard"
BASE_ONE_OFF = 5000
BASELINE = RuleBook.load("national").with_parameters(
    {  # test inputs, not law: neither figure is bundled
        "disability_pension.local_average_monthly_wage": "7000",
        ONE_OFF_STANDARD: [
            {
                "effective_from": "2011-11-01",
                "value": str(BASE_ONE_OFF),
                "citation": {"document": "test input, not law"},
            }
        ],
    }
)
# The 2020-08-01 disability table is complete and in force until 2021-07-31.
DATES = st.dates(min_value=dt.date(2020, 8, 1), max_value=dt.date(2021, 7, 31))
TREE = DivisionTree.bundled("45").restrict("450312")  # 临桂区 and its townships
CODES: tuple[str | None, ...] = (
    *(division.code.value for division in TREE),
    "450312100201",  # a village: placed on its township
    "450312101203",
    "450312",  # 6 digits: the county itself
    "450305000000",  # another county: outside the tree
    "110105000000",  # outside Guangxi
    None,  # no code
)


@functools.cache
def reform(percent: int, one_off: int) -> RuleBook:
    """The baseline with the disability table scaled by ``percent`` % and the one-off
    standard set to ``one_off`` (hypothetical test inputs, not law)."""
    table = cast(
        Mapping[str, Mapping[str, Decimal]],
        BASELINE.parameters[STANDARD].version_on(dt.date(2020, 8, 1)).value,
    )
    factor = 1 + Decimal(percent) / 100
    scaled = {
        nature: {grade: str(round_fen(amount * factor)) for grade, amount in cells.items()}
        for nature, cells in table.items()
    }
    citation = {"document": "hypothetical what-if (test input, not law)"}
    return BASELINE.with_parameters(
        {
            STANDARD: {"effective_from": "2020-08-01", "value": scaled, "citation": citation},
            ONE_OFF_STANDARD: {
                "effective_from": "2011-11-01",
                "value": str(one_off),
                "citation": citation,
            },
        }
    )


@st.composite
def populations(draw: st.DrawFn, on: dt.date) -> tuple[dict[str, Any], list[str | None]]:
    """Synthetic batch columns (合成数据) and a division code (or none) per row."""
    seed = draw(st.integers(0, 2**16))
    size = draw(st.integers(0, 40))
    frame = synthetic_partition(seed, 0, size, on)
    columns = {name: frame[name].to_numpy() for name in COLUMNS if name in frame}
    divisions = draw(st.lists(st.sampled_from(CODES), min_size=size, max_size=size))
    return columns, divisions


@st.composite
def cases(
    draw: st.DrawFn, percents: st.SearchStrategy[int], one_offs: st.SearchStrategy[int]
) -> tuple[dt.date, dict[str, Any], list[str | None], RuleBook]:
    on = draw(DATES)
    columns, divisions = draw(populations(on))
    return on, columns, divisions, reform(draw(percents), draw(one_offs))


ANY_REFORM = cases(st.integers(-30, 50), st.sampled_from((4000, 4500, 5000, 5500, 7000)))
RAISING = cases(st.integers(0, 50), st.sampled_from((5000, 5500, 7000)))
LOWERING = cases(st.integers(-30, 0), st.sampled_from((3000, 4500, 5000)))


def number(figure: object) -> int | Decimal:
    """A report figure that is a count or an amount (what-if reports have no rates)."""
    assert isinstance(figure, int | Decimal)
    return figure


def compared(case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook]) -> WhatIf:
    on, columns, divisions, book = case
    return compare_population(BASELINE, book, columns, on=on, divisions=divisions)


@given(ANY_REFORM)
def test_every_row_is_classed_once_by_rule_and_in_total(
    case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook],
) -> None:
    result = compared(case)
    rows = len(case[2])

    for impact in result.impacts:
        assert rows == impact.winners + impact.losers + impact.unchanged + impact.undetermined
        assert impact.winners + impact.losers == sum(count for _, count in impact.changes)
        if not impact.undetermined:
            assert impact.change_fen == sum(change * count for change, count in impact.changes)
        event(f"{impact.rule}: {'winners' if impact.winners else 'no winners'}")


@given(ANY_REFORM)
def test_units_add_their_children_and_levels_add_up_to_the_top(
    case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook],
) -> None:
    result = compared(case)
    choices = (*result.rules, TOTAL)
    rule = choices[len(case[2]) % len(choices)]
    report = result.by_division(TREE, rule)
    keys = report.keys

    for unit in TREE:
        own = report.own.get(unit.code.value, (0,) * len(keys))
        below = [report[child.code] for child in TREE.children(unit.code)]
        summed = [own[k] + sum(number(row.values[k]) for row in below) for k in range(len(keys))]
        assert summed == list(report[unit.code].values)
    top = report.top[0]
    for k, key in enumerate(keys):
        assert top.values[k] == sum(number(level.values[k]) for level in report.by_level()), key
    outside = [
        impact
        for code, impact in result.by_code(rule).items()
        if not code or TREE.locate(code) is None
    ]
    impact = result.impact(rule)
    assert impact.rows == number(top["rows"]) + sum(part.rows for part in outside) == len(case[2])
    assert report.unplaced == sum(part.rows for part in outside)
    assert impact.change == number(top["change"]) + sum((p.change for p in outside), Decimal(0))
    for name in ("winners", "losers", "unchanged", "undetermined"):
        assert getattr(impact, name) == number(top[name]) + sum(getattr(p, name) for p in outside)


@given(DATES.flatmap(lambda on: st.tuples(st.just(on), populations(on))))
def test_the_same_book_on_both_sides_changes_nothing(
    drawn: tuple[dt.date, tuple[dict[str, Any], list[str | None]]],
) -> None:
    on, (columns, divisions) = drawn

    result = compare_population(BASELINE, BASELINE, columns, on=on, divisions=divisions)

    for impact in result.impacts:
        assert (0, 0, 0, 0, 0, ()) == (
            impact.change_fen,
            impact.winners,
            impact.losers,
            impact.newly_eligible,
            impact.no_longer_eligible,
            impact.changes,
        )
        assert impact.rows == impact.unchanged + impact.undetermined


@given(RAISING)
def test_a_reform_that_only_raises_figures_makes_no_losers(
    case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook],
) -> None:
    result = compared(case)

    assert [0] * len(result.impacts) == [impact.losers for impact in result.impacts]
    assert all(impact.change_fen >= 0 for impact in result.impacts)


@given(LOWERING)
def test_a_reform_that_only_lowers_figures_makes_no_winners(
    case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook],
) -> None:
    result = compared(case)

    assert [0] * len(result.impacts) == [impact.winners for impact in result.impacts]


@given(ANY_REFORM, st.data())
def test_two_parts_of_a_population_add_up_to_the_whole(
    case: tuple[dt.date, dict[str, Any], list[str | None], RuleBook], data: st.DataObject
) -> None:
    on, columns, divisions, book = case
    cut = data.draw(st.integers(0, len(divisions)))

    def part(rows: slice) -> WhatIf:
        chosen = {name: array[rows] for name, array in columns.items()}
        return compare_population(BASELINE, book, chosen, on=on, divisions=divisions[rows])

    first, second = part(slice(None, cut)), part(slice(cut, None))
    whole = compared(case)

    assert whole == first + second == second + first
    for mine, summed in zip(whole.impacts, (first + second).impacts, strict=True):
        assert mine == summed
        assert mine.quantiles() == summed.quantiles()
    assert whole.by_division(TREE).to_rows() == (first + second).by_division(TREE).to_rows()
    assert len(FIGURES) == whole.figures.shape[2]
