"""Laws of identifiers: ID check characters and round trips, the division-code hierarchy."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId, check_character
from veteran_affairs.testing import strategies as vst


@given(vst.resident_ids())
def test_an_id_round_trips_through_its_text_and_pickle(rid: ResidentId) -> None:
    assert rid == ResidentId(rid.unmasked)
    assert rid == ResidentId(rid.unmasked.lower())
    assert rid == pickle.loads(pickle.dumps(rid))


@given(vst.resident_ids())
def test_the_check_character_is_the_mod_11_2_of_the_first_17(rid: ResidentId) -> None:
    text = rid.unmasked
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(text[:17], weights, strict=True))
    value = 10 if text[17] == "X" else int(text[17])

    assert 1 == (total + value) % 11
    assert text[17] == check_character(text[:17])


@given(vst.resident_ids())
def test_masked_forms_never_show_the_birth_date(rid: ResidentId) -> None:
    hidden = rid.unmasked[6:14]

    for shown in (repr(rid), str(rid), rid.masked, f"{rid}"):
        assert hidden not in shown[6:-4]
        assert rid.unmasked[:6] == shown.removeprefix("ResidentId('")[:6]


@given(vst.division_codes())
def test_a_parent_contains_its_child_and_sits_a_level_higher(code: DivisionCode) -> None:
    parent = code.parent
    if parent is None:
        assert DivisionLevel.PROVINCE == code.level
    else:
        assert parent.contains(code)
        assert not code.contains(parent)
        assert parent.level < code.level


@given(vst.division_codes())
def test_levels_strictly_decrease_along_the_ancestors(code: DivisionCode) -> None:
    chain = [code, *code.ancestors()]
    levels = [c.level for c in chain]

    assert sorted(set(levels), reverse=True) == levels
    assert DivisionLevel.PROVINCE == chain[-1].level
    assert all(ancestor.contains(code) for ancestor in chain)


@given(vst.division_codes())
def test_a_code_round_trips_through_its_short_and_long_forms(code: DivisionCode) -> None:
    assert code == DivisionCode(code.value)
    assert code == DivisionCode(code.short)
    assert code.level.digits == len(code.short)


@given(vst.division_codes(), vst.division_codes())
def test_containment_is_a_prefix_order(a: DivisionCode, b: DivisionCode) -> None:
    if a.contains(b) and b.contains(a):
        assert a == b
    if a.contains(b):
        assert a.level <= b.level
        assert b.truncate(a.level) == a


@given(vst.division_codes(), st.sampled_from(list(DivisionLevel)))
def test_truncate_gives_an_ancestor_or_the_code_itself(
    code: DivisionCode, level: DivisionLevel
) -> None:
    upper = code.truncate(level)

    assert upper.contains(code)
    assert upper.level <= min(level, code.level)
    assert upper == code or upper in set(code.ancestors())
