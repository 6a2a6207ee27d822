"""attrs validators that raise this library's typed errors (private engine of ``models``)."""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from veteran_affairs._clock import not_in_future
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidAmount,
    InvalidValue,
)

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


# The types each validator made by instance_of accepts at a glance (``type(value) in ...``),
# so that optional() can take them at a glance too, without a second call.
_EXACT: dict[Validator, frozenset[type]] = {}


def instance_of(*types: type) -> Validator:
    """The value is an instance of one of ``types`` (bool is not an int here)."""
    names = " or ".join(t.__name__ for t in types)
    exact = frozenset(types)

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) in exact:
            return
        if not isinstance(value, types) or (
            isinstance(value, bool) and bool not in types and int in types
        ):
            raise InvalidValue(
                attribute.name,
                type(value).__name__,
                f"must be {names}",
                f"类型应为 {names}",
            )
        if type(value) is dt.datetime and dt.date in types and dt.datetime not in types:
            raise InvalidValue(
                attribute.name, repr(value), "must be a date, not a datetime", "应为日期而非时间"
            )

    _EXACT[check] = exact
    return check


def optional(validator: Validator) -> Validator:
    """``None``, or what ``validator`` accepts."""
    exact = _EXACT.get(validator)
    if exact is not None:

        def check_type(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if value is None or type(value) in exact:
                return
            validator(instance, attribute, value)

        return check_type

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def tuple_of(*types: type) -> Validator:
    """A tuple whose every item is one of ``types``."""
    names = " or ".join(t.__name__ for t in types)
    exact = frozenset(types)

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is tuple:
            for item in value:
                if type(item) not in exact:
                    break
            else:
                return  # the common case, at a glance: a tuple of exactly these types
        if not isinstance(value, tuple):
            raise InvalidValue(attribute.name, type(value).__name__, "must be a tuple", "应为元组")
        for index, item in enumerate(value):
            if not isinstance(item, types):
                raise InvalidValue(
                    f"{attribute.name}[{index}]",
                    type(item).__name__,
                    f"must be {names}",
                    f"类型应为 {names}",
                )

    return check


# Non-blank, no surrounding blanks (str.strip's notion of blank), no control characters and
# no lone surrogates (U+D800–U+DFFF: not characters, and no UTF-8 encoder takes them).
_CLEAN_TEXT = re.compile(r"(?!\s)[^\x00-\x1f\x7f\ud800-\udfff]+(?<!\s)", re.DOTALL)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def printable(value: str) -> str:
    """``value`` safe to print or log as UTF-8: a lone surrogate is written ``\\udc80``.

    >>> printable("a\\udc80b")
    'a\\\\udc80b'
    """
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def text(*, max_length: int = 200, personal: bool = False) -> Validator:
    """Non-blank text of bounded length, without control characters or lone surrogates.

    A lone surrogate (``"\\ud800"``, what ``surrogateescape`` decoding or a broken JSON
    escape leaves in a ``str``) is refused here, with :class:`InvalidValue` naming the
    field, rather than failing later when a store encodes the text as UTF-8.
    """

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            type(value) is str
            and len(value) <= max_length
            and (
                # Printable text has no control character, no lone surrogate and no blank but
                # the space: without one at either end it is clean (the usual case, at C speed).
                (value and value.isprintable() and value[0] != " " and value[-1] != " ")
                or _CLEAN_TEXT.fullmatch(value)
            )
        ):
            return
        if not isinstance(value, str):
            raise InvalidValue(attribute.name, type(value).__name__, "must be text", "应为文本")
        shown = "***" if personal else printable(value)
        if not value.strip():
            raise InvalidValue(attribute.name, shown, "must not be blank", "不能为空")
        if value != value.strip():
            raise InvalidValue(
                attribute.name, shown, "has leading or trailing blanks", "首尾含空白"
            )
        if len(value) > max_length:
            raise InvalidValue(
                attribute.name, shown, f"longer than {max_length} characters", "过长"
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise InvalidValue(attribute.name, shown, "contains control characters", "含控制字符")
        if _SURROGATE.search(value):
            raise InvalidValue(
                attribute.name,
                shown,
                "contains a lone surrogate (U+D800–U+DFFF), which is not text",
                "含无效的Unicode代理码位",
            )

    return check


def in_range(low: int | None = None, high: int | None = None) -> Validator:
    """An integer (not bool) in ``[low, high]``."""

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is int and (low is None or low <= value) and (high is None or value <= high):
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(
                attribute.name, type(value).__name__, "must be an integer", "应为整数"
            )
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidValue(
                attribute.name,
                repr(value),
                f"must be between {low} and {high}",
                f"应在 {low} 至 {high} 之间",
            )

    return check


def non_negative_decimal(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal):
        raise InvalidValue(
            attribute.name,
            type(value).__name__,
            "must be a Decimal (parse with veteran_affairs.money.yuan)",
            "应为Decimal",
        )
    if not value.is_finite() or value < 0:
        raise InvalidValue(attribute.name, str(value), "must be a finite number ≥ 0", "应≥0")


_date = instance_of(dt.date)


def past_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A date (not a datetime) that is today or earlier: something that has happened."""
    if type(value) is not dt.date:
        _date(instance, attribute, value)
    if not not_in_future(value):
        raise InvalidValue(attribute.name, value.isoformat(), "lies in the future", "晚于今天")


def money_amount(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A money amount: a finite ``Decimal`` ≥ 0 in whole fen (raises :class:`InvalidAmount`).

    Whole fen (分) means no non-zero digit beyond the second decimal place: ``Decimal("0.01")``
    and ``Decimal("12.500")`` are amounts, ``Decimal("0.001")`` is not (round it with
    :func:`veteran_affairs.money.round_fen` where the rule says how).
    """
    if type(value) is not Decimal:
        raise InvalidAmount(
            attribute.name,
            repr(value) if isinstance(value, float) else type(value).__name__,
            "must be a Decimal (parse with veteran_affairs.money.yuan; floats are refused)",
            "应为Decimal（不接受浮点数）",
        )
    if not value.is_finite() or value < 0:
        raise InvalidAmount(attribute.name, str(value), "must be a finite amount ≥ 0", "应≥0")
    if not whole_fen(value):
        raise InvalidAmount(
            attribute.name,
            str(value),
            "has a part smaller than a fen (more than two decimal places)",
            "金额最多精确到分（两位小数）",
        )


def whole_fen(value: Decimal) -> bool:
    """Whether a finite ``Decimal`` has no non-zero digit below the fen (exact, never raises).

    >>> whole_fen(Decimal("8080.83")), whole_fen(Decimal("1.500")), whole_fen(Decimal("0.001"))
    (True, True, False)
    """
    _sign, digits, exponent = value.as_tuple()
    below = -int(exponent) - 2  # how many of the digits lie below the fen
    return below <= 0 or not any(digits[-below:])


def check_order(instance: object, earlier: str, later: str, *, strict: bool = False) -> None:
    """Raise :class:`InconsistentRecord` unless ``earlier`` ≤ ``later`` (< when strict).

    Either side may be ``None`` (unknown or open), which always passes.
    """
    first = getattr(instance, earlier)
    second = getattr(instance, later)
    if first is None or second is None:
        return
    if second < first or (strict and second == first):
        relation = "after" if strict else "on or after"
        raise InconsistentRecord(
            f"{earlier}/{later}",
            f"{first}/{second}",
            f"{later} must be {relation} {earlier}",
            f"{later} 应不早于 {earlier}" if not strict else f"{later} 应晚于 {earlier}",
        )


# A period key as veteran_affairs.cycles.periods formats it (that module is not imported here:
# cycles imports models). Years 1900–2200, as the period classes accept.
_PERIOD_KEY = re.compile(r"(?P<year>\d{4})(?:-(?:0[1-9]|1[0-2])|Q[1-4]|H[12])?", re.ASCII)


def period_key(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The key of a reporting period: ``2025-03``, ``2025Q1``, ``2025H1`` or ``2025``."""
    if type(value) is not str:
        raise InvalidValue(attribute.name, type(value).__name__, "must be text", "应为文本")
    found = _PERIOD_KEY.fullmatch(value)
    if found is None:
        raise InvalidValue(
            attribute.name,
            printable(value),
            "must be a period key such as 2025-03, 2025Q1, 2025H1 or 2025",
            "应为期间代码，如 2025-03、2025Q1、2025H1、2025",
        )
    if not 1900 <= int(found["year"]) <= 2200:
        raise InvalidValue(
            attribute.name, value, "year must be 1900–2200", "年份应在1900至2200之间"
        )


def check_history(
    entity: str,
    history: Sequence[Any],
    *,
    first: enum.Enum,
    transitions: Mapping[Any, frozenset[Any]],
    missing: tuple[str, str],
    begins: str,
    why: Mapping[Any, str] | None = None,
) -> None:
    """A state machine's recorded steps (``from_status``, ``to_status``, ``on``) are one walk.

    The walk starts in ``first`` (``missing`` is the English and Chinese reason when there is
    no step at all, ``begins`` the reason when the first step is another), every step
    continues from the state the step before reached, is allowed by ``transitions`` (``why``
    gives the reason a target state is refused, by state) and is dated no earlier than the
    step before. Raises InconsistentRecord or IllegalTransition naming the step.
    """
    if not history:
        raise InconsistentRecord("history", "()", missing[0], missing[1])
    head = history[0]
    if head.from_status is not None or head.to_status is not first:
        raise IllegalTransition(
            entity, str(head.from_status and head.from_status.value), head.to_status.value, begins
        )
    for index, (before, step) in enumerate(itertools.pairwise(history), start=1):
        if step.from_status is not before.to_status:
            raise InconsistentRecord(
                f"history[{index}].from_status",
                str(step.from_status and step.from_status.value),
                f"must continue from {before.to_status.value}",
                "状态记录不连续",
            )
        if step.to_status not in transitions[before.to_status]:
            reason = "" if why is None else why[step.to_status]
            raise IllegalTransition(entity, before.to_status.value, step.to_status.value, reason)
        if step.on < before.on:
            raise InconsistentRecord(
                f"history[{index}].on",
                step.on.isoformat(),
                f"a step cannot be dated before the previous one ({before.on.isoformat()})",
                "办理日期早于上一步",
            )
