"""Veterans in village committees (兵支书、兵主任): posts, terms and shares per unit."""

from __future__ import annotations

import datetime as dt

import pytest

from veteran_affairs.casework.villages import (
    BASIS,
    CadreRole,
    VillageCadre,
    veteran_cadre_rows,
)
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.hierarchy import DivisionTree
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, check_character
from veteran_affairs.models import Division

D = dt.date
ON = D(2025, 6, 30)
# Two townships of 临桂区 with two villages each, and one township of 七星区 with one.
VILLAGES = ("450312100001", "450312100002", "450312101001", "450312101002", "450305001001")


def _tree() -> DivisionTree:
    extra = [Division(code=DivisionCode(code), name=f"村{code[-3:]}") for code in VILLAGES]
    return DivisionTree.bundled("45", extra=extra).restrict("450300")


TREE = _tree()


def _person(n: int) -> ResidentId:
    body = f"45031219800101{n:03d}"
    return ResidentId(body + check_character(body))


def _cadre(
    village: str,
    role: CadreRole,
    *,
    veteran: bool,
    person: int,
    term: tuple[dt.date, dt.date | None] = (D(2021, 1, 10), None),
) -> VillageCadre:
    return VillageCadre(
        person=_person(person),
        village=DivisionCode(village),
        role=role,
        term_from=term[0],
        term_to=term[1],
        is_veteran=veteran,
    )


S, DR, BOTH, M = (
    CadreRole.SECRETARY,
    CadreRole.DIRECTOR,
    CadreRole.SECRETARY_AND_DIRECTOR,
    CadreRole.MEMBER,
)
KEYS = (
    "villages",
    "villages_reported",
    "secretary_posts",
    "director_posts",
    "veteran_secretary",
    "veteran_director",
    "veteran_either",
    "veteran_one_shoulder",
    "committee_members",
    "veteran_members",
)

SCENARIOS = [
    # name, cadres, expected counts (KEYS order) for 临桂区 (450312: 4 villages)
    ("no cadre reported", [], (4, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    (
        "a veteran in both posts (一肩挑)",
        [_cadre("450312100001", BOTH, veteran=True, person=1)],
        (4, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    ),
    (
        "a civilian secretary and a veteran director",
        [
            _cadre("450312100001", S, veteran=False, person=1),
            _cadre("450312100001", DR, veteran=True, person=3),
        ],
        (4, 1, 1, 1, 0, 1, 1, 0, 2, 1),
    ),
    (
        "one veteran holding both posts by two records",
        [
            _cadre("450312100002", S, veteran=True, person=1),
            _cadre("450312100002", DR, veteran=True, person=1),
        ],
        (4, 1, 1, 1, 1, 1, 1, 1, 1, 1),
    ),
    (
        "two veterans, one in each post: not 一肩挑",
        [
            _cadre("450312100002", S, veteran=True, person=1),
            _cadre("450312100002", DR, veteran=True, person=3),
        ],
        (4, 1, 1, 1, 1, 1, 1, 0, 2, 2),
    ),
    (
        "a veteran member only",
        [_cadre("450312101001", M, veteran=True, person=5)],
        (4, 1, 0, 0, 0, 0, 0, 0, 1, 1),
    ),
    (
        "veteran secretaries in two townships",
        [
            _cadre("450312100001", S, veteran=True, person=1),
            _cadre("450312101002", S, veteran=True, person=3),
        ],
        (4, 2, 2, 0, 2, 0, 2, 0, 2, 2),
    ),
    (
        "a term ended the day before is not counted",
        [_cadre("450312100001", S, veteran=True, person=1, term=(D(2021, 1, 10), D(2025, 6, 29)))],
        (4, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ),
    (
        "a term ending on the day is counted",
        [_cadre("450312100001", S, veteran=True, person=1, term=(D(2021, 1, 10), ON))],
        (4, 1, 1, 0, 1, 0, 1, 0, 1, 1),
    ),
    (
        "a term starting on the day is counted",
        [_cadre("450312100001", S, veteran=True, person=1, term=(ON, None))],
        (4, 1, 1, 0, 1, 0, 1, 0, 1, 1),
    ),
    (
        "a term starting the day after is not counted",
        [_cadre("450312100001", S, veteran=True, person=1, term=(D(2025, 7, 1), None))],
        (4, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ),
    (
        "a veteran listed twice in one village counts once",
        [
            _cadre("450312100001", M, veteran=True, person=1),
            _cadre("450312100001", M, veteran=True, person=1),
        ],
        (4, 1, 0, 0, 0, 0, 0, 0, 1, 1),
    ),
]


@pytest.mark.parametrize(("name", "cadres", "expected"), SCENARIOS, ids=[c[0] for c in SCENARIOS])
def test_a_county_counts_its_villages_posts_and_veterans(
    name: str, cadres: list[VillageCadre], expected: tuple[int, ...]
) -> None:
    row = veteran_cadre_rows(cadres, on=ON, tree=TREE)["450312"]

    assert expected == tuple(row[k] for k in KEYS)


RATE_CASES = [
    # name, cadres, expected rates for 临桂区: secretary rate, director rate, either, secretary share, member share
    (
        "nothing reported: rates of 0 over the villages, none over the posts",
        [],
        (0.0, 0.0, 0.0, None, None),
    ),
    (
        "one veteran secretary of two secretaries among four villages",
        [
            _cadre("450312100001", S, veteran=True, person=1),
            _cadre("450312100002", S, veteran=False, person=3),
            _cadre("450312100002", M, veteran=True, person=5),
        ],
        (0.25, 0.0, 0.25, 0.5, 2 / 3),
    ),
]


@pytest.mark.parametrize(("name", "cadres", "expected"), RATE_CASES, ids=[c[0] for c in RATE_CASES])
def test_shares_are_recomputed_from_the_counts(
    name: str, cadres: list[VillageCadre], expected: tuple[float | None, ...]
) -> None:
    row = veteran_cadre_rows(cadres, on=ON, tree=TREE)["450312"]

    assert expected == tuple(
        row[k]
        for k in (
            "veteran_secretary_rate",
            "veteran_director_rate",
            "veteran_either_rate",
            "veteran_secretary_share",
            "veteran_member_share",
        )
    )


def test_the_city_totals_its_counties_and_the_level_view_lists_them() -> None:
    cadres = [
        _cadre("450312100001", BOTH, veteran=True, person=1),
        _cadre("450305001001", S, veteran=True, person=3),
    ]

    report = veteran_cadre_rows(cadres, on=ON, tree=TREE)
    counties = report.at_level(DivisionLevel.COUNTY)

    assert (5, 2, 0.4) == (
        report["450300"]["villages"],
        report["450300"]["veteran_secretary"],
        report["450300"]["veteran_secretary_rate"],
    )
    assert {"450305000000": 1.0, "450312000000": 0.25} == {
        r.code.value: r["veteran_secretary_rate"] for r in counties if r["villages"]
    }


def test_a_cadre_in_a_village_outside_the_tree_is_counted_nowhere() -> None:
    outside = _cadre("450312102001", S, veteran=True, person=1)  # a village of 会仙镇, not listed

    report = veteran_cadre_rows([outside], on=ON, tree=TREE)

    assert (1, 0) == (report.unplaced, report["450312"]["veteran_secretary"])


def test_a_tree_without_villages_has_no_village_rates() -> None:
    report = veteran_cadre_rows([], on=ON, tree=DivisionTree.bundled("45").restrict("450312"))

    assert (0, None) == (report["450312"]["villages"], report["450312"]["veteran_secretary_rate"])


def test_the_report_cites_its_basis_and_sets_no_target() -> None:
    report = veteran_cadre_rows([], on=ON, tree=TREE)

    assert "第四十三条第三款" == BASIS.article
    assert any("no target share" in note for note in report.notes)


INVALID = [
    ("a township is not a village", {"village": DivisionCode("450312100")}, InvalidValue),
    ("a term ending before it starts", {"term_to": D(2021, 1, 9)}, InconsistentRecord),
    ("a veteran flag that is not a bool", {"is_veteran": 1}, InvalidValue),
]


@pytest.mark.parametrize(("name", "changes", "error"), INVALID, ids=[c[0] for c in INVALID])
def test_an_invalid_post_cannot_be_recorded(
    name: str, changes: dict[str, object], error: type[Exception]
) -> None:
    fields: dict[str, object] = {
        "person": _person(1),
        "village": DivisionCode("450312100001"),
        "role": S,
        "term_from": D(2021, 1, 10),
        "is_veteran": True,
    }
    fields.update(changes)

    with pytest.raises(error):
        VillageCadre(**fields)  # type: ignore[arg-type]


def test_the_repr_masks_the_person_and_shows_no_date() -> None:
    cadre = _cadre("450312100001", BOTH, veteran=True, person=1, term=(D(2021, 1, 10), ON))

    assert (
        "VillageCadre(person=ResidentId('450312********0019'), village=450312100001, "
        "role=SECRETARY_AND_DIRECTOR, is_veteran=True)"
    ) == repr(cadre)


def test_role_labels_are_chinese() -> None:
    assert ["村党组织书记", "村(居)委会主任", "书记主任一肩挑", "两委委员"] == [
        r.label_zh for r in CadreRole
    ]
