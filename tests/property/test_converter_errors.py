"""Laws of reading bad data: a converter raises only this library's errors or cattrs' groups.

Whatever JSON-like data is handed to ``structure`` — arbitrary nests of objects, arrays and
scalars, or a valid document with one part broken (a field removed, an unknown key, a value
replaced by anything) — a converter either builds a valid model or raises a
:class:`~veteran_affairs.errors.VeteranAffairsError`. With detailed validation that error
may be a cattrs error group, whose every leaf is a library error or cattrs' own report of a
missing or unknown key; ``describe_errors`` turns any of them into messages.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs
import pytest
from cattrs.errors import ForbiddenExtraKeysError
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.errors import InvalidValue, VeteranAffairsError
from veteran_affairs.models import MODEL_CLASSES
from veteran_affairs.serialization import describe_errors, make_converter

DETAILED = make_converter()
FAST = make_converter(detailed_validation=False)

FIELD_NAMES = sorted({field.name for cls in MODEL_CLASSES for field in attrs.fields(cls)})
"""Every field name of every model: keys that reach the models' own checks."""

# JSON text may hold any code point, lone surrogates included ("\ud800" is valid JSON).
TEXTS = st.text(st.characters(exclude_categories=()), max_size=20) | st.sampled_from(
    ("", "0.001", "1.5", "2021-01-06", "11010519491231002X", "450312", "male", "veteran")
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXTS
)
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=8)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=24,
)


def named(cls: type) -> str:
    return cls.__name__


def leaves(error: BaseException) -> list[BaseException]:
    """The exceptions at the bottom of an exception group (the error itself when not one)."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def cattrs_key_report(error: BaseException) -> bool:
    """Whether ``error`` is cattrs' own report of a missing or an unknown key."""
    if isinstance(error, ForbiddenExtraKeysError):
        return True
    notes = getattr(error, "__notes__", [])
    return isinstance(error, KeyError) and any(
        isinstance(note, cattrs.AttributeValidationNote) for note in notes
    )


def refusal(converter: cattrs.Converter, data: object, cls: type) -> Exception | None:
    """The error structuring raises if of an allowed kind (any other propagates), or None."""
    try:
        converter.structure(data, cls)
    except (VeteranAffairsError, cattrs.BaseValidationError) as error:
        return error
    return None


def assert_only_typed_errors(data: object, cls: type) -> None:
    fast = refusal(FAST, data, cls)
    detailed = refusal(DETAILED, data, cls)

    assert fast is None or isinstance(fast, VeteranAffairsError)
    assert (fast is None) == (detailed is None)
    if detailed is not None:
        odd = [e for e in leaves(detailed) if not isinstance(e, VeteranAffairsError)]
        assert [] == [e for e in odd if not cattrs_key_report(e)]
        assert [] != describe_errors(detailed)


# --- mutations of a valid document ---------------------------------------------------------


def paths(data: object, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a plain document: the root, each key of a mapping, each array item."""
    found = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(paths(value, (*here, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(paths(value, (*here, index)))
    return found


def replaced(data: Any, path: tuple[Any, ...], make: Any) -> Any:
    """A copy of ``data`` with the part at ``path`` replaced by ``make(part)``."""
    if not path:
        return make(data)
    head, *rest = path
    if isinstance(data, dict):
        return {k: replaced(v, tuple(rest), make) if k == head else v for k, v in data.items()}
    return [replaced(v, tuple(rest), make) if i == head else v for i, v in enumerate(data)]


@st.composite
def broken(draw: st.DrawFn, plain: Any) -> Any:
    """``plain`` with one part broken: replaced, dropped from its mapping, an extra key, …"""
    path = draw(st.sampled_from(paths(plain)))
    how = draw(st.sampled_from(("replace", "drop", "extra", "wrap", "values", "none")))
    if how == "replace":
        other = draw(JSON_LIKE)
        return replaced(plain, path, lambda _: other)
    if how == "drop" and path:
        key = path[-1]
        return replaced(
            plain,
            path[:-1],
            lambda part: (
                {k: v for k, v in part.items() if k != key}
                if isinstance(part, dict)
                else [v for i, v in enumerate(part) if i != key]
            ),
        )
    if how == "extra":
        key, value = draw(KEYS), draw(JSON_LIKE)
        return replaced(
            plain, path, lambda part: {**part, key: value} if isinstance(part, dict) else value
        )
    if how == "wrap":
        return replaced(plain, path, lambda part: [part])
    if how == "values":
        return replaced(
            plain, path, lambda part: list(part.values()) if isinstance(part, dict) else {}
        )
    return replaced(plain, path, lambda _: None)


# --- laws ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=named)
@given(data=JSON_LIKE)
def test_arbitrary_json_like_data_is_refused_only_with_typed_errors(
    cls: type, data: object
) -> None:
    assert_only_typed_errors(data, cls)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=named)
@given(data=st.data())
def test_a_broken_valid_document_is_refused_only_with_typed_errors(
    cls: type, data: st.DataObject
) -> None:
    plain = DETAILED.unstructure(data.draw(st.from_type(cls)))
    document = data.draw(broken(plain))

    assert_only_typed_errors(document, cls)


# --- examples ------------------------------------------------------------------------------


def required_fields(cls: type) -> list[str]:
    return [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]


@pytest.mark.parametrize("cls", [c for c in MODEL_CLASSES if required_fields(c)], ids=named)
def test_a_missing_field_is_named_without_detailed_validation(cls: type) -> None:
    with pytest.raises(InvalidValue) as caught:
        FAST.structure({}, cls)

    assert caught.value.field in required_fields(cls)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=named)
@given(data=st.data())
def test_an_unknown_key_is_named_without_detailed_validation(
    cls: type, data: st.DataObject
) -> None:
    plain = DETAILED.unstructure(data.draw(st.from_type(cls)))

    with pytest.raises(InvalidValue) as caught:
        FAST.structure({**plain, "surplus": 1}, cls)

    assert "surplus" == caught.value.field
