"""Laws of the decisions frame: a row per decision, fen exact, Chinese labels only relabel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.frames import COLUMNS, decisions_frame
from veteran_affairs.money import from_fen
from veteran_affairs.rules import RULES, Citation, Decision, ParameterUse, Reason

held = st.sampled_from([True, False, None])
citations = st.none() | st.builds(
    Citation,
    document=st.sampled_from(["《军人抚恤优待条例》(2019)", "民发〔2011〕110号", "test notice"]),
    article=st.none() | st.sampled_from(["第二条", "第二十三条"]),
)
reasons = st.builds(
    Reason,
    code=st.sampled_from(["status", "alive", "disability.assessed", "circumstances.disabled"]),
    held=held,
    message_en=st.text(max_size=12),
    message_zh=st.text(max_size=12),
    citation=citations,
)
parameter_uses = st.builds(
    ParameterUse,
    key=st.sampled_from(["disability_pension.annual_standard", "survivor_pension.annual_standard"]),
    path=st.tuples() | st.tuples(st.sampled_from(["martyr", "in-combat/1"])),
    value=st.integers(0, 10**6).map(Decimal),
    effective_from=st.dates(dt.date(2011, 1, 1), dt.date(2025, 12, 31)),
    citation=st.builds(Citation, document=st.just("test notice")),
    stale=st.booleans(),
)
# Amounts as the rules give them: whole fen, written with two places or as whole yuan.
amounts = (
    st.none() | st.integers(-(10**13), 10**13).map(from_fen) | st.integers(0, 10**9).map(Decimal)
)


@st.composite
def decisions(draw: st.DrawFn) -> Decision:
    uses = tuple(draw(st.lists(parameter_uses, max_size=3)))
    return Decision(
        rule=draw(st.sampled_from(sorted(RULES))),
        subject=draw(st.sampled_from(["450312********0013", "450321********002X"])),
        on=draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))),
        eligible=draw(held),
        amount=draw(amounts),
        monthly=draw(amounts),
        reasons=tuple(draw(st.lists(reasons, max_size=4))),
        parameters=uses,
        missing=tuple(draw(st.lists(st.sampled_from(["a.b", "c.d", "e"]), unique=True))),
        stale=any(use.stale for use in uses),
    )


def exact(fen: object) -> Decimal | None:
    """``fen / 100`` in exact decimal arithmetic (``None`` for a missing amount)."""
    return None if fen is pd.NA else Decimal(int(fen)).scaleb(-2)  # type: ignore[call-overload]


@given(st.lists(decisions(), max_size=12))
def test_one_row_per_decision_in_order_with_every_amount_exact_in_fen(
    listed: list[Decision],
) -> None:
    frame = decisions_frame(iter(listed))

    assert len(listed) == len(frame)
    assert [(d.rule, d.subject) for d in listed] == list(
        zip(frame["rule"], frame["subject"], strict=True)
    )
    assert [d.amount for d in listed] == [exact(fen) for fen in frame["amount_fen"]]
    assert [d.monthly for d in listed] == [exact(fen) for fen in frame["monthly_fen"]]
    assert [pd.NA if d.eligible is None else d.eligible for d in listed] == list(frame["eligible"])
    assert [d.stale for d in listed] == frame["stale"].tolist()


@given(st.lists(decisions(), max_size=12))
def test_float_yuan_is_the_nearest_float_to_the_exact_amount(listed: list[Decision]) -> None:
    frame = decisions_frame(listed)

    for d, amount, monthly in zip(listed, frame["amount_yuan"], frame["monthly_yuan"], strict=True):
        assert (d.amount is None, d.monthly is None) == (pd.isna(amount), pd.isna(monthly))
        assert d.amount is None or float(d.amount) == amount
        assert d.monthly is None or float(d.monthly) == monthly


@given(st.lists(decisions(), max_size=12))
def test_the_deciding_reason_matches_the_outcome(listed: list[Decision]) -> None:
    frame = decisions_frame(listed)

    for d, code in zip(listed, frame["reason_code"], strict=True):
        expected = next((r.code for r in d.reasons if r.held is d.eligible), None)
        assert expected == (None if code is pd.NA else code)


@given(st.lists(decisions(), max_size=12))
def test_chinese_labels_are_a_relabelling_of_the_english_columns(listed: list[Decision]) -> None:
    english = decisions_frame(listed)
    chinese = decisions_frame(listed, labels="zh")

    assert [COLUMNS[name] for name in english.columns] == list(chinese.columns)
    pd.testing.assert_frame_equal(english.rename(columns=dict(COLUMNS)), chinese)
