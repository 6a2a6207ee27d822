"""Money in Decimal yuan: parsing, rounding to the fen, fen conversion, exact splits."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from veteran_affairs.errors import InvalidAmount
from veteran_affairs.money import FEN, from_fen, round_fen, split, to_fen, yuan


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("96970", Decimal("96970")),
        ("96,970.00", Decimal("96970.00")),
        (" 1，749 ", Decimal("1749")),
        (600, Decimal("600")),
        (Decimal("0.01"), Decimal("0.01")),
        ("-12.5", Decimal("-12.5")),
    ],
)
def test_amounts_parse_from_text_integers_and_decimals(
    raw: str | int | Decimal, expected: Decimal
) -> None:
    assert expected == yuan(raw)


@pytest.mark.parametrize("raw", [0.1, 1.0, True, "abc", "NaN", "Infinity", "", None])
def test_floats_bools_and_non_numbers_are_refused(raw: object) -> None:
    with pytest.raises(InvalidAmount) as info:
        yuan(raw)  # type: ignore[arg-type]

    assert "amount" == info.value.field


def test_the_error_names_the_field_given() -> None:
    with pytest.raises(InvalidAmount) as info:
        yuan(1.5, field="approved_amount")  # type: ignore[arg-type]

    assert "approved_amount" == info.value.field


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("8080.833333", "8080.83"),
        ("100", "100.00"),
    ],
)
def test_round_fen_rounds_half_up_to_two_places(raw: str, expected: str) -> None:
    assert Decimal(expected) == round_fen(Decimal(raw))


def test_a_monthly_payment_is_the_annual_standard_over_twelve_rounded_to_the_fen() -> None:
    # 一级因战 disability pension, 2020-08-01 standard: 96,970 yuan a year (DOMAIN.md §4).
    assert Decimal("8080.83") == round_fen(yuan("96970") / 12)


def test_round_fen_leaves_the_callers_decimal_context_alone() -> None:
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_DOWN
        context.prec = 5
        assert Decimal("1234567.89") == round_fen(Decimal("1234567.885"))
        assert decimal.getcontext().rounding == decimal.ROUND_DOWN
        assert 5 == decimal.getcontext().prec


def test_fen_conversion_is_exact_both_ways() -> None:
    assert 808083 == to_fen(Decimal("8080.83"))
    assert Decimal("8080.83") == from_fen(808083)
    assert Decimal("-0.01") == from_fen(-1)
    assert FEN == from_fen(1)


def test_to_fen_refuses_a_part_smaller_than_a_fen_instead_of_dropping_it() -> None:
    with pytest.raises(InvalidAmount, match="smaller than a fen"):
        to_fen(Decimal("0.001"))


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        ("100", [1, 1, 1], ["33.34", "33.33", "33.33"]),
        ("0.05", [1, 2], ["0.02", "0.03"]),
        ("10", [0, 1], ["0.00", "10.00"]),
        ("-100", [1, 1, 1], ["-33.34", "-33.33", "-33.33"]),
        (
            "17490000",
            [Decimal("0.6"), Decimal("0.3"), Decimal("0.1")],
            ["10494000.00", "5247000.00", "1749000.00"],
        ),
        ("0", [0, 0], ["0.00", "0.00"]),
    ],
)
def test_split_shares_by_weight_and_adds_up_exactly(
    total: str, weights: list[int | Decimal], expected: list[str]
) -> None:
    parts = split(Decimal(total), weights)

    assert [Decimal(e) for e in expected] == parts
    assert Decimal(total) == sum(parts, Decimal(0))


@pytest.mark.parametrize(
    ("total", "weights", "match"),
    [
        ("10", [], "at least one weight"),
        ("10", [1, -1], "negative"),
        ("10", [0, 0], "all weights are zero"),
        ("10.001", [1], "smaller than a fen"),
    ],
)
def test_split_refuses_impossible_shares(total: str, weights: list[int], match: str) -> None:
    with pytest.raises(InvalidAmount, match=match):
        split(Decimal(total), weights)
