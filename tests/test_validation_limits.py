"""The models refuse what no store can keep: lone surrogates in text, amounts below the fen.

A lone surrogate (U+D800–U+DFFF) is not a character and no UTF-8 encoder takes it, so it used
to pass the models and ``MemoryStore`` and fail in SQLite or PostgreSQL with a raw
``UnicodeEncodeError``; an amount such as ``Decimal("0.001")`` used to pass the models and be
refused by ``SqliteStore`` only. Both are now refused at construction, naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.errors import InvalidAmount, InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import (
    MODEL_CLASSES,
    Activity,
    ActivityKind,
    AssistanceCase,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    HukouType,
    Person,
)
from veteran_affairs.serialization import make_converter
from veteran_affairs.testing import strategies

D = dt.date
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
CLEAN = st.text(st.characters(exclude_categories=("Cs", "Cc", "Z")), max_size=5)


def named(cls: type) -> str:
    return cls.__name__


def text_fields(value: Any) -> list[str]:
    """The fields of a model value that hold text (``str``) in this value."""
    return [f.name for f in attrs.fields(type(value)) if type(getattr(value, f.name)) is str]


def has_text(cls: type) -> bool:
    """Whether a model has a field of its own typed ``str`` or ``str | None``."""
    return any(f.type in (str, str | None) for f in attrs.fields(attrs.resolve_types(cls)))


TEXT_MODELS = [cls for cls in MODEL_CLASSES if has_text(cls)]


def person(**changes: Any) -> Person:
    given: dict[str, Any] = {
        "resident_id": ResidentId("11010519491231002X"),
        "name": "李秀英",
        "hukou_division": DivisionCode("110105"),
        "hukou_type": HukouType.URBAN,
    }
    return Person(**{**given, **changes})


def applied_case(**changes: Any) -> AssistanceCase:
    given: dict[str, Any] = {
        "case_id": "GX-2020-0001",
        "applicant": ResidentId("11010519491231002X"),
        "division": DivisionCode("450312"),
        "cause": HardshipCause.SUDDEN_EVENT,
        "incident_on": D(2020, 6, 1),
        "on": D(2020, 6, 3),
        "actor": "applicant",
    }
    return AssistanceCase.apply(**{**given, **changes})


# --- lone surrogates -----------------------------------------------------------------------


@st.composite
def with_a_lone_surrogate(draw: st.DrawFn) -> str:
    return draw(CLEAN) + draw(SURROGATES) + draw(CLEAN)


def test_the_models_with_text_of_their_own_are_all_covered() -> None:
    expected = {"Activity", "AssistanceCase", "CaseTransition", "Division", "Household"}
    expected |= {"Person", "ReportSubmission", "ServiceStation"}

    assert expected == {cls.__name__ for cls in TEXT_MODELS}


@pytest.mark.parametrize("cls", TEXT_MODELS, ids=named)
@given(data=st.data())
def test_any_text_field_with_a_lone_surrogate_is_refused_naming_the_field(
    cls: type, data: st.DataObject
) -> None:
    value = data.draw(st.from_type(cls))
    field = data.draw(st.sampled_from(text_fields(value)))
    bad = data.draw(with_a_lone_surrogate())

    with pytest.raises(InvalidValue) as caught:
        attrs.evolve(value, **{field: bad})

    assert field == caught.value.field
    assert str(caught.value).encode("utf-8")  # the message itself can be logged as UTF-8


def test_a_personal_field_with_a_lone_surrogate_is_masked_in_the_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        person(name="李\udc80")

    assert ("name", "***") == (caught.value.field, caught.value.value)


def activity(**changes: Any) -> Activity:
    given: dict[str, Any] = {
        "activity_id": "A-1",
        "kind": ActivityKind.SYMPOSIUM,
        "unit": DivisionCode("450312"),
        "held_on": D(2025, 1, 6),
        "participants": 3,
    }
    return Activity(**{**given, **changes})


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [(person, "ethnicity", "Han\ud800"), (activity, "for_period", "2025Q\udc80")],
)
def test_a_lone_surrogate_is_shown_escaped_in_the_message(
    build: Any, field: str, value: str
) -> None:
    with pytest.raises(InvalidValue) as caught:
        build(**{field: value})

    assert field == caught.value.field
    assert "\\u" in caught.value.value
    assert str(caught.value).encode("utf-8")


def test_a_paired_surrogate_written_as_one_character_is_text() -> None:
    assert "𠀀" == person(ethnicity="𠀀").ethnicity  # U+20000, outside the BMP


@pytest.mark.parametrize("detailed", [True, False], ids=["detailed", "fast"])
def test_json_with_a_lone_surrogate_is_refused_by_both_converters(detailed: bool) -> None:
    converter = make_converter(detailed_validation=detailed)
    data = converter.unstructure(person())
    data["name"] = "李\udc80"

    with pytest.raises((InvalidValue, cattrs.ClassValidationError)) as caught:
        converter.structure(data, Person)

    error = caught.value
    leaves = error.exceptions if isinstance(error, cattrs.ClassValidationError) else (error,)
    assert ["name"] == [e.field for e in leaves if isinstance(e, InvalidValue)]


# --- amounts to the fen --------------------------------------------------------------------


@st.composite
def below_the_fen(draw: st.DrawFn) -> Decimal:
    """An amount with a non-zero digit beyond the second decimal place."""
    whole = draw(strategies.amounts(max_value="100000"))
    digit = draw(st.integers(1, 9))
    places = draw(st.integers(3, 12))
    return whole + Decimal(digit).scaleb(-places)


@given(amount=below_the_fen())
def test_an_allocation_below_the_fen_is_refused(amount: Decimal) -> None:
    with pytest.raises(InvalidAmount) as caught:
        FundingAllocation(source=FundingSource.BUDGET, amount=amount)

    assert "amount" == caught.value.field


@given(amount=below_the_fen())
def test_a_requested_amount_below_the_fen_is_refused(amount: Decimal) -> None:
    with pytest.raises(InvalidAmount) as caught:
        applied_case(requested_amount=amount)

    assert "requested_amount" == caught.value.field


@given(amount=below_the_fen())
def test_an_approval_below_the_fen_is_refused(amount: Decimal) -> None:
    case = applied_case().review(on=D(2020, 6, 5), actor="township-01")

    with pytest.raises(InvalidAmount) as caught:
        case.approve(on=D(2020, 6, 8), actor="county-01", amount=amount)

    assert "approved_amount" == caught.value.field


@pytest.mark.parametrize("amount", ["0.001", "12000.005", "1E-3", "0.0000000001"])
def test_amounts_below_the_fen_are_refused_also_as_invalid_values(amount: str) -> None:
    with pytest.raises(InvalidValue, match="smaller than a fen"):
        FundingAllocation(source=FundingSource.BUDGET, amount=Decimal(amount))


@pytest.mark.parametrize("amount", ["0", "0.01", "8080.83", "12000.500", "1.000000", "1E+3"])
def test_amounts_in_whole_fen_are_accepted_whatever_their_trailing_zeros(amount: str) -> None:
    allocation = FundingAllocation(source=FundingSource.BUDGET, amount=Decimal(amount))

    assert Decimal(amount) == allocation.amount


@pytest.mark.parametrize("detailed", [True, False], ids=["detailed", "fast"])
def test_json_with_an_amount_below_the_fen_is_refused_by_both_converters(detailed: bool) -> None:
    converter = make_converter(detailed_validation=detailed)
    data = {"source": FundingSource.BUDGET.value, "amount": "0.001"}

    with pytest.raises((InvalidAmount, cattrs.ClassValidationError)) as caught:
        converter.structure(data, FundingAllocation)

    error = caught.value
    leaves = error.exceptions if isinstance(error, cattrs.ClassValidationError) else (error,)
    assert ["amount"] == [e.field for e in leaves if isinstance(e, InvalidAmount)]


@given(case=strategies.assistance_cases())
def test_drawn_cases_hold_whole_fen_only(case: AssistanceCase) -> None:
    amounts = [case.requested_amount, case.approved_amount, *(f.amount for f in case.funding)]

    assert [] == [a for a in amounts if a is not None and a != a.quantize(Decimal("0.01"))]


@given(amount=strategies.amounts())
def test_drawn_amounts_are_whole_fen_by_default(amount: Decimal) -> None:
    assert amount == amount.quantize(Decimal("0.01"))
