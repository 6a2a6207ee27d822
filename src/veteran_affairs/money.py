"""Money: amounts are :class:`decimal.Decimal` yuan (元), never floats.

* :func:`yuan` parses an amount from text, an integer or a ``Decimal`` and refuses floats,
  whose binary rounding has no place in a payment list.
* :func:`round_fen` rounds to the fen (分, 0.01 yuan) half-up, the way payment offices
  round; it uses a local decimal context so the caller's context is never touched.
* :func:`to_fen` / :func:`from_fen` convert between yuan and integer fen (for storage).
* :func:`split` shares an amount out by weights with the largest-remainder method, so the
  parts always add up to the total exactly.

>>> round_fen(yuan("96970") / 12)
Decimal('8080.83')
>>> split(yuan("100"), [1, 1, 1])
[Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from veteran_affairs.errors import InvalidAmount

__all__ = ["FEN", "from_fen", "round_fen", "split", "to_fen", "yuan"]


def __dir__() -> list[str]:
    return __all__


FEN = Decimal("0.01")
"""One fen (分), the smallest unit paid."""

_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_UP, traps=[decimal.InvalidOperation]
)


def yuan(value: str | int | Decimal, *, field: str = "amount") -> Decimal:
    """An amount in yuan from text, an integer or a ``Decimal`` (floats are refused).

    Text may carry thousands separators (``"96,970"``) and surrounding blanks. The value is
    kept exactly as given; round with :func:`round_fen` where a rule says to.

    Raises:
        InvalidAmount: a float, a bool, text that is not a number, or NaN/infinity.

    >>> yuan("96,970.00")
    Decimal('96970.00')
    >>> yuan(0.1)
    Traceback (most recent call last):
    ...
    veteran_affairs.errors.InvalidAmount: amount='0.1': floats are not accepted; pass str, int or Decimal (不接受浮点数)
    """
    if isinstance(value, (bool, float)):
        raise InvalidAmount(
            field,
            repr(value),
            "floats are not accepted; pass str, int or Decimal",
            "不接受浮点数",
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        try:
            amount = Decimal(text)
        except decimal.InvalidOperation:
            raise InvalidAmount(field, value, "not a number", "不是数字") from None
    else:
        raise InvalidAmount(
            field, repr(value), "pass str, int or Decimal", "须为字符串、整数或Decimal"
        )
    if not amount.is_finite():
        raise InvalidAmount(field, str(value), "must be a finite number", "必须为有限数")
    return amount


def round_fen(amount: Decimal) -> Decimal:
    """Round to the fen (分), half up (四舍五入), in a local decimal context.

    >>> round_fen(Decimal("0.005")), round_fen(Decimal("-0.005")), round_fen(Decimal("2.0049"))
    (Decimal('0.01'), Decimal('-0.01'), Decimal('2.00'))
    """
    return amount.quantize(FEN, context=_CONTEXT)


def to_fen(amount: Decimal, *, field: str = "amount") -> int:
    """Whole fen in an amount that is already rounded to the fen.

    Raises:
        InvalidAmount: the amount has a part smaller than a fen (round it first: dropping
            it silently would lose money).

    >>> to_fen(Decimal("8080.83"))
    808083
    """
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise InvalidAmount(
            field, str(amount), "has a part smaller than a fen; round first", "含不足一分的部分"
        )
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Yuan from whole fen.

    >>> from_fen(808083)
    Decimal('8080.83')
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise InvalidAmount("fen", repr(fen), "must be an integer", "必须为整数")
    return Decimal(fen).scaleb(-2, context=_CONTEXT)


def split(total: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """Share ``total`` out by ``weights`` in whole fen; the parts add up to ``total`` exactly.

    Each part first gets its proportional share rounded down to the fen; the fen left over
    go one each to the parts with the largest remainders (ties: the earlier part). Parts with
    weight 0 get nothing. A negative total is split like its absolute value, then negated.

    Raises:
        InvalidAmount: no weights, a negative weight, all weights zero while the total is
            not, or a total with a part smaller than a fen.

    >>> split(yuan("0.05"), [1, 2])
    [Decimal('0.02'), Decimal('0.03')]
    """
    if not weights:
        raise InvalidAmount("weights", "[]", "at least one weight is needed", "至少需要一个权重")
    exact = [yuan(w, field="weights") if not isinstance(w, Decimal) else w for w in weights]
    if any(w < 0 for w in exact):
        raise InvalidAmount(
            "weights", str(list(weights)), "weights must not be negative", "权重不能为负"
        )
    total_fen = to_fen(total, field="total")
    weight_sum = sum(exact, Decimal(0))
    if weight_sum == 0:
        if total_fen != 0:
            raise InvalidAmount(
                "weights", str(list(weights)), "all weights are zero", "权重全部为零"
            )
        return [Decimal("0.00") for _ in exact]
    sign = -1 if total_fen < 0 else 1
    magnitude = abs(total_fen)
    shares = [Fraction(magnitude) * Fraction(w) / Fraction(weight_sum) for w in exact]
    floors = [math.floor(share) for share in shares]
    left = magnitude - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [from_fen(sign * f) for f in floors]
