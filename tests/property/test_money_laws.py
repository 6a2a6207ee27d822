"""Laws of money: rounding, fen conversion and splits."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.money import FEN, from_fen, round_fen, split, to_fen, yuan

amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False
)
fen_amounts = st.integers(min_value=-(10**14), max_value=10**14).map(from_fen)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30)


@given(amounts)
def test_round_fen_is_idempotent_and_within_half_a_fen(amount: Decimal) -> None:
    once = round_fen(amount)

    assert once == round_fen(once)
    assert abs(once - amount) <= FEN / 2


@given(amounts, amounts)
def test_round_fen_is_monotone(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))

    assert round_fen(low) <= round_fen(high)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_round_trip(fen: int) -> None:
    assert fen == to_fen(from_fen(fen))


@given(amounts)
def test_a_rounded_amount_converts_to_fen_and_back(amount: Decimal) -> None:
    rounded = round_fen(amount)

    assert rounded == from_fen(to_fen(rounded))


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_integers_parse_exactly(value: int) -> None:
    assert Decimal(value) == yuan(value) == yuan(str(value))


@given(fen_amounts, weights.filter(any))
def test_split_parts_sum_exactly_to_the_total(total: Decimal, shares: list[int]) -> None:
    parts = split(total, shares)

    assert total == sum(parts, Decimal(0))
    assert len(shares) == len(parts)


@given(fen_amounts.map(abs), weights.filter(any))
def test_split_parts_are_within_a_fen_of_their_exact_share(
    total: Decimal, shares: list[int]
) -> None:
    parts = split(total, shares)
    weight_sum = sum(shares)

    for part, share in zip(parts, shares, strict=True):
        exact = total * share / weight_sum
        assert abs(part - exact) < FEN
        assert part >= 0
        if share == 0:
            assert Decimal(0) == part


@given(fen_amounts.map(abs), weights.filter(any))
def test_split_favours_heavier_weights(total: Decimal, shares: list[int]) -> None:
    parts = split(total, shares)

    for i in range(len(shares)):
        for j in range(len(shares)):
            if shares[i] > shares[j]:
                assert parts[i] >= parts[j]
