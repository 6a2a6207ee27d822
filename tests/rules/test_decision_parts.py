"""The engine's direct builders of decisions and their parts give what the classes give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from veteran_affairs.parameters import Citation
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules._decision import (
    Component,
    Deadline,
    Decision,
    Period,
    Reason,
    new_component,
    new_deadline,
    new_decision,
)
from veteran_affairs.rules._engine import Evaluation

CITATION = Citation(document="《退役军人安置条例》(2024)", article="第二十一条")
DAY = dt.date(2025, 3, 1)


@pytest.mark.parametrize("cls", [Reason, Component, Deadline, Decision], ids=lambda c: c.__name__)
def test_the_built_classes_check_nothing_the_builders_would_skip(cls: type) -> None:
    fields = attrs.fields(cls)

    assert [] == [f.name for f in fields if f.validator is not None or f.converter is not None]
    assert not hasattr(cls, "__attrs_post_init__")


def reason(code: str, held: bool | None, citation: Citation | None = CITATION) -> Reason:
    """A reason as ``Evaluation.check`` records it."""
    book = RuleBook.load("national")
    evaluation = Evaluation(
        book.rule("disability_pension"), object(), DAY, book.parameters, allow_stale=False
    )
    evaluation.check(code, held, "x", "甲", citation, missing="input")
    return evaluation.decide().reasons[0]


def test_a_checked_reason_equals_the_constructed_one() -> None:
    expected = Reason(code="a", held=None, message_en="x", message_zh="甲", citation=CITATION)

    built = reason("a", None)

    assert expected == built
    assert hash(expected) == hash(built)
    assert repr(expected) == repr(built)


def test_a_built_component_and_deadline_equal_the_constructed_ones() -> None:
    amount = Decimal("1500.00")

    assert Component(
        name="base", label_zh="一次性退役金", amount=amount, period=Period.ONCE
    ) == new_component("base", "一次性退役金", amount, Period.ONCE)
    assert Deadline(due=DAY, message_en="x", message_zh="甲", citation=None) == new_deadline(
        DAY, "x", "甲", None
    )


def test_a_built_decision_equals_the_constructed_one() -> None:
    reasons = (reason("a", True),)
    expected = Decision(
        rule="one_off_retirement_payment",
        subject="450312********1234",
        on=DAY,
        eligible=True,
        amount=Decimal("15000.00"),
        monthly=None,
        components=(),
        reasons=reasons,
        parameters=(),
        missing=("service.discharge_mode",),
        deadlines=(),
        stale=True,
    )

    built = new_decision(
        "one_off_retirement_payment",
        "450312********1234",
        DAY,
        True,
        Decimal("15000.00"),
        None,
        (),
        reasons,
        (),
        ("service.discharge_mode",),
        (),
        True,
    )

    assert expected == built
    assert expected.explain() == built.explain()
    assert attrs.asdict(expected) == attrs.asdict(built)


def test_a_built_part_is_as_frozen_as_a_constructed_one() -> None:
    built = reason("a", True, None)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.held = False  # type: ignore[misc]
