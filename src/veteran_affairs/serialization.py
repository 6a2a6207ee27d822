"""Serialization at the edges: models to plain JSON-compatible data and back (序列化).

Models carry no ``to_dict`` of their own. A cattrs converter does the work, built by
:func:`make_converter` (a new one each call, never a shared global) or by applying
:func:`configure_converter` to a converter you already have, the way cattrs' ``preconf``
modules do.

The plain form uses only ``dict``, ``list``, ``str``, ``int``, ``bool`` and ``None``:

* :class:`~veteran_affairs.identity.ResidentId` — the full 18 characters (``.unmasked``). This
  is the explicit, unmasked serialization of personal data: store and send it accordingly.
  A masked number (``110105********002X``) is not a number and is refused when read.
* :class:`~veteran_affairs.identity.DivisionCode` — the 12-digit code as text (read from text
  only; a shorter code is padded as ``DivisionCode`` does).
* :class:`~decimal.Decimal` — ``str(amount)`` exactly; read back from plain decimal text or an
  integer, never from a float (money is never a float, see :mod:`veteran_affairs.money`).
* :class:`~datetime.date` — ISO ``YYYY-MM-DD``; any other text (or a datetime) is refused.
* enums — their ``.value``; tuples — lists; ``str``, ``int`` and ``bool`` are taken as they
  are, never coerced (``"6"`` is not a grade, ``"no"`` is not ``True``).

Every field is written, including those whose default is computed from other fields
(``Person.sex``), so a round trip gives back an equal value. Reading is strict: unknown keys,
wrong types and invalid values are errors, all collected at once in a
:class:`cattrs.ClassValidationError` whose sub-exceptions carry notes naming the path;
:func:`describe_errors` turns it into messages a person can read. Without detailed
validation the first problem is raised alone, and it is always one of this library's errors
(:class:`~veteran_affairs.errors.InvalidValue` or a subclass naming the field): a missing or
unknown key, a list where an object belongs, ``None`` for a required value — never a bare
``KeyError`` or ``AttributeError``.

>>> from veteran_affairs.identity import DivisionCode, ResidentId
>>> from veteran_affairs.models import HukouType, Person
>>> converter = make_converter()
>>> person = Person(resident_id=ResidentId("11010519491231002X"), name="李秀英",
...                 hukou_division=DivisionCode("110105"), hukou_type=HukouType.URBAN)
>>> data = converter.unstructure(person)
>>> data["resident_id"], data["hukou_division"], data["sex"], data["birth_date"]
('11010519491231002X', '110105000000', 'female', '1949-12-31')
>>> converter.structure(data, Person) == person
True
>>> try:
...     converter.structure({**data, "resident_id": "110105********002X"}, Person)
... except cattrs.ClassValidationError as error:
...     print(describe_errors(error))
["resident_id='110105********002X': must be 17 digits followed by a digit or X (前17位须为数字，末位为数字或X) @ $.resident_id"]
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import cattrs.preconf.json
from cattrs.cols import mapping_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.v import format_exception

from veteran_affairs.errors import (
    InvalidAmount,
    InvalidDivisionCode,
    InvalidResidentId,
    InvalidValue,
    VeteranAffairsError,
)
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import MODEL_CLASSES, Circumstances

__all__ = [
    "configure_converter",
    "describe_errors",
    "from_json",
    "make_converter",
    "to_json",
]

T = TypeVar("T")

_MODELS = frozenset(MODEL_CLASSES)
# Plain decimal text, as str(Decimal) writes finite numbers ("1800.50", "-3", "1E+2"): no
# blanks, underscores, thousands separators, NaN or Infinity, which Decimal() would take.
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# Python 3.11's date.fromisoformat also takes "20200101" and week dates: check first.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LONG_DIGITS = re.compile(r"[0-9]{7}")


def __dir__() -> list[str]:
    return __all__


# --- scalars --------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """``text`` for an error message, or ``***`` when it might be personal data.

    Text that was put in the wrong place may be anything, a name or an identity number among
    them: only short ASCII text without a long run of digits is shown.
    """
    if len(text) <= 32 and text.isascii() and _LONG_DIGITS.search(text) is None:
        return text
    return "***"


def _wrong_type(value: object, expected: str, expected_zh: str) -> InvalidValue:
    return InvalidValue("type", type(value).__name__, f"must be {expected}", f"应为{expected_zh}")


# Values read before, by their text: dates and division codes are immutable, and a population
# shares a few thousand of each (birth and service dates, its villages), so each is parsed
# and validated once and the object shared. Each memo is emptied when it reaches its size.
_DATES: dict[str, dt.date] = {}
_CODES: dict[str, DivisionCode] = {}
_MEMO_SIZE = 1 << 16


def _remember(memo: dict[str, T], text: str, value: T) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[text] = value


def _unstructure_resident_id(value: ResidentId) -> str:
    return value.unmasked


def _structure_resident_id(value: object, _: type) -> ResidentId:
    if value.__class__ is not str:
        raise InvalidResidentId("type", type(value).__name__, "must be text (str)", "应为字符串")
    return ResidentId(value)


def _unstructure_division_code(value: DivisionCode) -> str:
    return value.value


def _structure_division_code(value: object, _: type) -> DivisionCode:
    if value.__class__ is not str:
        raise InvalidDivisionCode("type", type(value).__name__, "must be text (str)", "应为字符串")
    code = _CODES.get(value)
    if code is None:
        code = DivisionCode(value)
        _remember(_CODES, value, code)
    return code


def _structure_decimal(value: object, _: type) -> Decimal:
    if value.__class__ is int:
        return Decimal(value)
    if value.__class__ is not str:
        raise InvalidAmount(
            "type",
            type(value).__name__,
            "must be text or an integer (floats are not accepted)",
            "应为字符串或整数（不接受浮点数）",
        )
    if _DECIMAL_TEXT.fullmatch(value) is None:
        raise InvalidAmount("decimal", _shown(value), "not a decimal number", "不是十进制数")
    return Decimal(value)


def _unstructure_date(value: dt.date) -> str:
    return value.isoformat()


def _structure_date(value: object, _: type) -> dt.date:
    if value.__class__ is not str:
        raise _wrong_type(value, "ISO date text 'YYYY-MM-DD'", "'YYYY-MM-DD'格式的日期字符串")
    day = _DATES.get(value)
    if day is not None:
        return day
    if _ISO_DATE.fullmatch(value) is None:
        raise InvalidValue(
            "date", _shown(value), "must be an ISO date 'YYYY-MM-DD'", "日期格式应为YYYY-MM-DD"
        )
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValue("date", value, "not a real date", "日期不存在") from None
    _remember(_DATES, value, day)
    return day


def _strict(base: type, expected: str, expected_zh: str) -> Callable[[object, type], object]:
    """A structure hook taking exactly ``base`` (cattrs would call ``int("7")``, ``bool("no")``).

    Hooks for ``str`` and ``int`` are found by ``functools.singledispatch``, which also hands
    them subclasses such as ``IntEnum``: those are built from the checked value.
    """

    def structure(value: object, cl: type) -> object:
        if value.__class__ is not base:
            raise _wrong_type(value, expected, expected_zh)
        return value if cl is base else cl(value)

    return structure


def _structure_enum_factory(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    """Members by value, through one dictionary lookup (``Enum.__call__`` is slow)."""
    members = {member.value: member for member in cls}
    allowed = ", ".join(repr(value) for value in members)

    def structure(value: Any, _: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            shown = _shown(value) if isinstance(value, str) else type(value).__name__
            raise InvalidValue(
                cls.__name__, shown, f"must be one of {allowed}", f"应为 {allowed} 之一"
            ) from None

    return structure


# --- optional values ------------------------------------------------------------------------


def _optional_inner(type_: Any) -> Any:
    """``X`` for ``X | None`` (either order), else ``None``."""
    if get_origin(type_) not in (Union, types.UnionType):
        return None
    args = get_args(type_)
    if len(args) != 2 or type(None) not in args:
        return None
    return args[0] if args[1] is type(None) else args[1]


def _structure_optional_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    """``None`` or the inner type, with the inner hook found once (cattrs looks it up per call)."""
    inner = _optional_inner(type_)
    handler = converter.get_structure_hook(inner)
    return lambda value, _: None if value is None else handler(value, inner)


# --- mappings -------------------------------------------------------------------------------


def _is_mapping_of(type_: Any) -> bool:
    """``Mapping[K, V]`` or ``dict[K, V]`` (a field's type, not a model that is a mapping)."""
    return get_origin(type_) in (Mapping, dict) and len(get_args(type_)) == 2


def _structure_mapping_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    """Mappings are read from JSON objects only (cattrs would call ``.items()`` on anything)."""
    generated = mapping_structure_factory(type_, converter)

    def structure(value: Any, _: Any) -> Any:
        if value.__class__ is not dict and not isinstance(value, Mapping):
            raise _wrong_type(value, "a mapping (JSON object)", "映射（JSON对象）")
        return generated(value, type_)

    return structure


# --- tuples ---------------------------------------------------------------------------------


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_tuple_factory(type_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Tuples are read from JSON arrays (a list, or a tuple), never from text or a mapping."""
    element = get_args(type_)[0]
    handler = converter.get_structure_hook(element)

    def check(value: object) -> None:
        if value.__class__ is not list and value.__class__ is not tuple:
            raise _wrong_type(value, "a list", "列表")

    if not converter.detailed_validation:

        def structure_fast(value: Any, _: Any) -> tuple[Any, ...]:
            if value.__class__ is list and not value:
                return ()  # the usual empty list, at a glance
            check(value)
            return tuple([handler(item, element) for item in value])

        return structure_fast

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if value.__class__ is list and not value:
            return ()  # the usual empty list, at a glance
        check(value)
        items = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(handler(item, element))
            except Exception as error:
                error.add_note(
                    cattrs.IterableValidationNote(
                        f"Structuring {type_!r} @ index {index}", index, element
                    )
                )
                errors.append(error)
        if errors:
            raise cattrs.IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return tuple(items)

    return structure


def _unstructure_tuple_factory(type_: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    if type_ is tuple:
        unstructure = converter.unstructure
        return lambda value: [unstructure(item) for item in value]
    handler = converter.get_unstructure_hook(get_args(type_)[0])
    return lambda value: [handler(item) for item in value]


# --- models ---------------------------------------------------------------------------------


def _is_model(type_: Any) -> bool:
    return type_ in _MODELS


def _structure_model_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A generated structure function that accepts only a mapping with known keys."""
    attrs.resolve_types(cls)
    name = cls.__name__
    generated: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=converter.detailed_validation,
        _cattrs_use_alias=False,
    )

    if converter.detailed_validation:

        def structure(value: Any, _: Any) -> Any:
            if value.__class__ is not dict and not isinstance(value, Mapping):
                error = _wrong_type(value, "a mapping (JSON object)", "映射（JSON对象）")
                raise cattrs.ClassValidationError(f"While structuring {name}", [error], cls)
            return generated(value, cls)

        return structure

    fields = frozenset(a.name for a in attrs.fields(cls))

    def structure_fast(value: Any, _: Any) -> Any:
        if value.__class__ is not dict and not isinstance(value, Mapping):
            raise _wrong_type(value, "a mapping (JSON object)", "映射（JSON对象）")
        try:
            return generated(value, cls)
        except VeteranAffairsError:
            raise
        except ForbiddenExtraKeysError as error:
            raise _unknown_keys(name, error.extra_fields) from None
        except KeyError as error:  # the generated code reads a required key: o['name']
            key = error.args[0] if len(error.args) == 1 else None
            if isinstance(key, str) and key in fields and key not in value:
                raise InvalidValue(
                    key, "", f"required by {name}, but missing", f"缺少{name}的必填字段"
                ) from None
            raise _unreadable(name, error) from error
        except Exception as error:  # nothing known raises it: still one of ours
            raise _unreadable(name, error) from error

    return structure_fast


def _structure_circumstances_factory(
    cls: type, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    """:class:`Circumstances`, with every fact unknown shared: it is immutable.

    Most records know none of the facts, so the document of all-unknown facts (every field,
    each ``None``: equal to it, and nothing but ``None`` in it, so no object that merely
    claims equality passes) gives one instance, built once. Anything else, valid or not, is
    structured as every model is, errors included.
    """
    generated = _structure_model_factory(cls, converter)
    unknown: dict[str, None] = dict.fromkeys(a.name for a in attrs.fields(cls))
    nones = (type(None),) * len(unknown)
    shared = generated(unknown, cls)

    def structure(value: Any, _: Any) -> Any:
        if (
            value.__class__ is dict
            and value == unknown
            and tuple(map(type, value.values())) == nones
        ):
            return shared
        return generated(value, cls)

    return structure


def _unknown_keys(name: str, keys: set[Any]) -> InvalidValue:
    shown = ", ".join(sorted(_shown(str(key)) for key in keys))
    return InvalidValue(shown, "", f"not a field of {name}", f"不是{name}的字段")


def _unreadable(name: str, error: Exception) -> InvalidValue:
    return InvalidValue(
        name, type(error).__name__, "could not be read from this data", "无法从该数据读取"
    )


def _unstructure_model_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """A generated unstructure function writing every field, defaults included."""
    attrs.resolve_types(cls)
    return make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=False, _cattrs_use_alias=False
    )


# --- public ---------------------------------------------------------------------------------


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the hooks that turn every model into plain JSON-compatible data and back.

    Builds on cattrs' JSON configuration (:func:`cattrs.preconf.json.configure_converter`)
    and overrides what this library needs stricter. Model hooks are generated lazily, on
    first use, with unknown keys forbidden whatever the converter's own setting, and with
    detailed validation when the converter has it.
    """
    cattrs.preconf.json.configure_converter(converter)

    converter.register_unstructure_hook(ResidentId, _unstructure_resident_id)
    converter.register_structure_hook(ResidentId, _structure_resident_id)
    converter.register_unstructure_hook(DivisionCode, _unstructure_division_code)
    converter.register_structure_hook(DivisionCode, _structure_division_code)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(dt.date, _unstructure_date)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook(str, _strict(str, "text (str)", "字符串"))
    converter.register_structure_hook(int, _strict(int, "an integer", "整数"))
    converter.register_structure_hook(bool, _strict(bool, "true or false", "布尔值"))

    converter.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum_factory
    )
    converter.register_structure_hook_factory(
        lambda t: _optional_inner(t) is not None, _structure_optional_factory
    )
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _structure_tuple_factory)
    converter.register_structure_hook_factory(_is_mapping_of, _structure_mapping_factory)
    converter.register_unstructure_hook_factory(
        lambda t: t is tuple or _is_homogeneous_tuple(t), _unstructure_tuple_factory
    )
    converter.register_structure_hook_factory(_is_model, _structure_model_factory)
    converter.register_structure_hook_factory(
        lambda t: t is Circumstances, _structure_circumstances_factory
    )
    converter.register_unstructure_hook_factory(_is_model, _unstructure_model_factory)


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """A new converter configured by :func:`configure_converter`.

    Args:
        detailed_validation: collect every error with its path (the default), raised as a
            :class:`cattrs.ClassValidationError`. Without it, structuring stops at the first
            error, which is always one of this library's errors (an
            :class:`~veteran_affairs.errors.InvalidValue` naming the field, or a subclass),
            and is somewhat faster.
    """
    converter = cattrs.Converter(
        detailed_validation=detailed_validation,
        forbid_extra_keys=True,
    )
    configure_converter(converter)
    return converter


_WORD = re.compile(r"[^\s,()]+")


def _format_exception(error: BaseException, type_: Any) -> str:
    if isinstance(error, VeteranAffairsError):
        return str(error)  # our messages name the field and mask personal data
    if isinstance(error, ForbiddenExtraKeysError):
        # cattrs lists the unknown keys as given: a key may be anyone's ID number or name.
        keys = ", ".join(sorted(_shown(str(key)) for key in error.extra_fields))
        return f"extra fields found ({keys})"
    # Whatever else cattrs says, each word of it is shown as every quoted value is.
    return _WORD.sub(lambda found: _shown(found.group()), format_exception(error, type_))


def describe_errors(error: BaseException) -> list[str]:
    """One human-readable message per problem, each ending with its path (``@ $.a.b[0]``).

    Works best on the :class:`cattrs.ClassValidationError` of a converter with detailed
    validation; this library's own errors keep their message (personal data masked).
    """
    return cattrs.transform_error(error, "$", _format_exception)


def to_json(value: object, converter: cattrs.Converter | None = None) -> str:
    """``value`` as JSON text (UTF-8 characters kept as they are, field order kept).

    Without a ``converter`` a new one is made for this call; pass one when converting often.
    """
    converter = make_converter() if converter is None else converter
    return json.dumps(converter.unstructure(value), ensure_ascii=False, sort_keys=False)


def from_json(text: str, cls: type[T], converter: cattrs.Converter | None = None) -> T:
    """A ``cls`` read from JSON ``text``.

    Without a ``converter`` a new one is made for this call; pass one when converting often.

    Raises:
        json.JSONDecodeError: the text is not JSON.
        cattrs.ClassValidationError: the data does not make a valid ``cls`` (see
            :func:`describe_errors`).
    """
    converter = make_converter() if converter is None else converter
    return converter.structure(json.loads(text), cls)
