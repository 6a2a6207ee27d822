"""Laws of serialization for the casework records: plain data and JSON text give them back equal.

Values are drawn with ``st.from_type``: the hypothesis entry point registers
:data:`veteran_affairs.testing.casework_strategies.CASEWORK_STRATEGIES` as it does the models'.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.property.test_serialization_roundtrip import named, only_json_types
from veteran_affairs.serialization import from_json, make_converter, to_json
from veteran_affairs.testing.casework_strategies import CASEWORK_STRATEGIES

CONVERTER = make_converter()
FAST_CONVERTER = make_converter(detailed_validation=False)
CLASSES = sorted(CASEWORK_STRATEGIES, key=named)


@pytest.mark.parametrize("cls", CLASSES, ids=named)
@given(data=st.data())
def test_a_casework_record_comes_back_equal_from_plain_data(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    plain = CONVERTER.unstructure(value)

    assert only_json_types(plain)
    assert value == CONVERTER.structure(plain, cls)
    assert value == FAST_CONVERTER.structure(plain, cls)


@pytest.mark.parametrize("cls", CLASSES, ids=named)
@given(data=st.data())
def test_a_casework_record_comes_back_equal_from_json_text(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    text = to_json(value, CONVERTER)

    assert isinstance(json.loads(text), dict)
    assert value == from_json(text, cls, CONVERTER)
