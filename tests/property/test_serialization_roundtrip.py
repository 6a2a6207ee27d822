"""Laws of serialization: every model comes back equal from plain data and from JSON text.

Values are drawn with ``st.from_type``: ``veteran_affairs.testing.strategies`` registers a
strategy for every model through the hypothesis entry point.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.models import MODEL_CLASSES, Person, Survivor, Veteran
from veteran_affairs.serialization import from_json, make_converter, to_json

CONVERTER = make_converter()
FAST_CONVERTER = make_converter(detailed_validation=False)
JSON_SCALARS = (str, int, bool, type(None))


def named(cls: type) -> str:
    return cls.__name__


def only_json_types(data: object) -> bool:
    """Whether ``data`` is made of dicts with text keys, lists and JSON scalars only."""
    if isinstance(data, dict):
        return all(isinstance(k, str) and only_json_types(v) for k, v in data.items())
    if isinstance(data, list):
        return all(only_json_types(item) for item in data)
    return type(data) in JSON_SCALARS


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=named)
@given(data=st.data())
def test_plain_data_structures_back_to_an_equal_value(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    plain = CONVERTER.unstructure(value)

    assert only_json_types(plain)
    assert value == CONVERTER.structure(plain, cls)
    assert value == FAST_CONVERTER.structure(plain, cls)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=named)
@given(data=st.data())
def test_json_text_reads_back_to_an_equal_value(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    text = to_json(value, CONVERTER)

    assert value == CONVERTER.structure(json.loads(text), cls)
    assert value == from_json(text, cls, CONVERTER)


@pytest.mark.parametrize("cls", [Person, Veteran, Survivor], ids=named)
@given(data=st.data())
def test_the_identity_number_is_written_in_full_and_never_masked(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(st.from_type(cls))
    person = value if isinstance(value, Person) else value.person
    text = to_json(value, CONVERTER)

    assert person.resident_id.unmasked in text
    assert person.resident_id.masked not in text


@given(data=st.data())
def test_unstructuring_is_stable_through_a_round_trip(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(MODEL_CLASSES))
    value = data.draw(st.from_type(cls))
    plain = CONVERTER.unstructure(value)

    assert plain == CONVERTER.unstructure(CONVERTER.structure(plain, cls))
