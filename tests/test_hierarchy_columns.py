"""The columnar population and plaque reports: columns read once, built by hand, checked.

The tree and people are those of ``tests/test_hierarchy_reports.py`` (临桂区 with three
synthetic villages); the figures are worked out by hand there and here.
"""

from __future__ import annotations

import sys

import pytest

from tests.test_hierarchy_reports import (
    COMMUNITY,
    LINGUI,
    LINGUI_TOWN,
    LIUTANG_VILLAGE,
    ON,
    VILLAGE,
    C,
    figures,
    people,
    status,
    veteran,
)
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.hierarchy import (
    CATEGORY_ORDER,
    DivisionTree,
    PlaqueColumns,
    PopulationColumns,
    plaque_columns,
    plaques_from_columns,
    plaques_from_statuses,
    population,
    population_columns,
    population_from_columns,
)
from veteran_affairs.hierarchy import columnar as columns_module
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import Division
from veteran_affairs.rules.glory_plaque import PlaqueStatus

np = pytest.importorskip("numpy", reason="the columnar reports need numpy (the batch extra)")


@pytest.fixture(scope="module")
def tree() -> DivisionTree:
    villages = [
        Division(code=DivisionCode(code), name="（合成）村")
        for code in (COMMUNITY, VILLAGE, LIUTANG_VILLAGE)
    ]
    return DivisionTree([*DivisionTree.bundled("45").subtree(LINGUI), *villages], root=LINGUI)


def test_population_columns_hold_one_row_per_living_person(tree: DivisionTree) -> None:
    columns = population_columns(tree, people(), on=ON)

    # Six records, one dead: five rows, one of them (an ended status) holding no category.
    assert (5, 1, 6) == (columns.persons, columns.dead, columns.records)
    assert 1 == int((~columns.categories.any(axis=1)).sum())
    assert (5, len(CATEGORY_ORDER)) == columns.categories.shape
    assert columns.key_entitled.dtype == np.bool_
    assert tuple(sorted(columns.codes)) == columns.codes


def test_the_columnar_population_report_is_the_population_report(tree: DivisionTree) -> None:
    columns = population_columns(tree, people(), on=ON)

    report = population_from_columns(tree, columns)

    assert population(tree, people(), on=ON) == report
    assert (4, 2, 3) == figures(report, LINGUI, "persons", "key_entitled", "veteran")
    assert report.notes == population(tree, people(), on=ON).notes


def test_columns_built_by_hand_are_reported_like_read_ones(tree: DivisionTree) -> None:
    veteran_column = CATEGORY_ORDER.index(C.VETERAN)
    disabled_column = CATEGORY_ORDER.index(C.DISABLED_SERVICEMEMBER)
    categories = np.zeros((3, len(CATEGORY_ORDER)), dtype=bool)
    categories[:, veteran_column] = True
    categories[1, disabled_column] = True
    columns = PopulationColumns(
        on=ON,
        codes=[VILLAGE, "440106000000"],  # the second outside the tree
        code_index=[0, 0, 1],
        categories=categories,
    )

    report = population_from_columns(tree, columns)

    # key_entitled worked out from the categories: the disabled servicemember only.
    assert [False, True, False] == columns.key_entitled.tolist()
    assert (2, 1, 2, 1) == figures(
        report, LINGUI, "persons", "key_entitled", "veteran", "disabled-servicemember"
    )
    assert (1, 3) == (report.unplaced, columns.records)


def test_merged_columns_refuse_one_person_at_two_hukou_units(tree: DivisionTree) -> None:
    first = veteran(7, VILLAGE, status(C.VETERAN))
    moved = veteran(7, COMMUNITY, status(C.VETERAN))

    with pytest.raises(InconsistentRecord):
        population_columns(tree, [first, moved], on=ON)
    assert 2 == population_columns(tree, [first, moved], on=ON, merge_records=False).persons


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("categories", {"categories": np.zeros((1, len(CATEGORY_ORDER)), dtype=bool)}),
        ("key_entitled", {"key_entitled": [True]}),
        ("code_index", {"code_index": [0, 1]}),
    ],
)
def test_population_columns_of_unequal_lengths_or_unknown_codes_are_refused(
    field: str, changes: dict[str, object]
) -> None:
    given: dict[str, object] = {
        "on": ON,
        "codes": [VILLAGE],
        "code_index": [0, 0],
        "categories": np.ones((2, len(CATEGORY_ORDER)), dtype=bool),
    }

    with pytest.raises(InvalidValue) as raised:
        PopulationColumns(**{**given, **changes})  # type: ignore[arg-type]
    assert field == raised.value.field


def plaque(household: str, code: str, eligible: bool | None, hung: bool) -> PlaqueStatus:
    return PlaqueStatus(
        household_id=household,
        division=DivisionCode(code),
        eligible=eligible,
        hung=hung,
        to_recover=hung and eligible is False,
    )


def test_the_columnar_plaque_report_is_the_plaque_report(tree: DivisionTree) -> None:
    decided = [
        plaque("A", VILLAGE, True, True),
        plaque("B", VILLAGE, True, False),
        plaque("C", LINGUI_TOWN, False, True),
        plaque("D", COMMUNITY, None, False),
        plaque("E", "440106000000", True, True),  # outside the tree
    ]
    columns = plaque_columns(tree, decided, on=ON)

    report = plaques_from_columns(tree, columns)

    assert plaques_from_statuses(tree, decided, on=ON) == report
    assert [1, 1, 0, -1, 1] == columns.eligible.tolist()
    assert [VILLAGE, VILLAGE, LINGUI_TOWN, COMMUNITY, "440106000000"] == [
        columns.codes[i] for i in columns.code_index
    ]
    assert (4, 2, 1, 1, 1, 0.5) == figures(
        report, LINGUI, "households", "eligible", "to_hang", "to_recover", "undetermined", "rate"
    )
    assert 1 == report.unplaced


def test_plaque_columns_refuse_an_eligibility_other_than_yes_no_or_undetermined() -> None:
    with pytest.raises(InvalidValue) as raised:
        PlaqueColumns(
            on=ON, codes=[VILLAGE], code_index=[0], eligible=[2], hung=[False], to_recover=[False]
        )
    assert "eligible" == raised.value.field


def test_without_numpy_the_columnar_path_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)

    with pytest.raises(ImportError, match=r"veteran_affairs\[batch\]"):
        columns_module._numpy()
