"""Laws of the bundled division data: every unit is reachable by code and from its parent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs import divisions
from veteran_affairs.identity import DivisionLevel
from veteran_affairs.models.network import Division

bundled_divisions = st.sampled_from(list(divisions.bundled()))


@given(bundled_divisions)
def test_lookup_by_code_returns_the_same_division(division: Division) -> None:
    expected = division
    assert expected == divisions.lookup(division.code)
    assert expected.name == divisions.name_of(division.code.short)


@given(bundled_divisions)
def test_the_parent_is_bundled_unless_the_unit_is_a_province(division: Division) -> None:
    parent = division.parent_code
    if parent is None:
        expected_level = DivisionLevel.PROVINCE
        assert expected_level == division.level
    else:
        assert divisions.contains_code(parent)
        assert division in divisions.children(parent)


@given(bundled_divisions)
def test_the_subtree_of_the_parent_contains_the_unit(division: Division) -> None:
    parent = division.parent_code
    top = division.code if parent is None else parent
    assert division in list(divisions.subtree(top))
    assert all(division.code.contains(d.code) for d in divisions.subtree(division.code))
