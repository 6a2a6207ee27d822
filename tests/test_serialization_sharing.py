"""Values the converter reads often are shared, and sharing changes nothing it accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import cattrs
import pytest

from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import Circumstances
from veteran_affairs.serialization import describe_errors, make_converter

CONVERTER = make_converter()
FAST = make_converter(detailed_validation=False)
UNKNOWN: dict[str, Any] = CONVERTER.unstructure(Circumstances())


def test_documents_of_unknown_circumstances_give_one_shared_value() -> None:
    first = CONVERTER.structure(dict(UNKNOWN), Circumstances)
    again = CONVERTER.structure(dict(reversed(UNKNOWN.items())), Circumstances)

    assert Circumstances() == first
    assert first is again


def test_known_circumstances_are_read_as_before() -> None:
    document = {**UNKNOWN, "able_to_work": False, "disabled": True}

    value = CONVERTER.structure(document, Circumstances)

    assert Circumstances(able_to_work=False, disabled=True) == value


@pytest.mark.parametrize("fact", [mock.ANY, 0, "", 1])
def test_a_value_that_only_compares_equal_is_still_refused(fact: object) -> None:
    document = {**UNKNOWN, "able_to_work": fact}

    with pytest.raises(cattrs.ClassValidationError) as raised:
        CONVERTER.structure(document, Circumstances)

    assert [
        f"type={type(fact).__name__!r}: must be true or false (应为布尔值) @ $.able_to_work"
    ] == (describe_errors(raised.value))


def test_an_unknown_key_beside_unknown_facts_is_still_refused() -> None:
    with pytest.raises(cattrs.ClassValidationError):
        CONVERTER.structure({**UNKNOWN, "extra": None}, Circumstances)


@pytest.mark.parametrize("converter", [CONVERTER, FAST], ids=["detailed", "fast"])
def test_dates_and_codes_read_twice_are_equal_and_bad_text_is_refused_after_good(
    converter: cattrs.Converter,
) -> None:
    assert dt.date(2020, 2, 29) == converter.structure("2020-02-29", dt.date)
    assert dt.date(2020, 2, 29) == converter.structure("2020-02-29", dt.date)
    assert DivisionCode("450312") == converter.structure("450312", DivisionCode)
    assert DivisionCode("450312") == converter.structure("450312", DivisionCode)
    with pytest.raises(ValueError, match="not a real date"):
        converter.structure("2021-02-29", dt.date)
    with pytest.raises(ValueError, match="ISO date"):
        converter.structure("20200229", dt.date)
