"""Decisions as a notebook frame: one row per decision, exact fen beside float yuan."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal

import pandas as pd
import pytest

from veteran_affairs.errors import InvalidAmount, InvalidValue
from veteran_affairs.frames import COLUMNS, decisions_frame
from veteran_affairs.models import Survivor, Veteran
from veteran_affairs.money import from_fen
from veteran_affairs.rules import Citation, Decision, ParameterUse, Reason, RuleBook
from veteran_affairs.synthetic import generate_guangxi

ON = dt.date(2021, 1, 6)
ARTICLE_23 = Citation(
    document="《军人抚恤优待条例》(2019)", article="第二十三条", effective=dt.date(2019, 3, 2)
)


def reason(code: str, held: bool | None, *, citation: Citation | None = None) -> Reason:
    return Reason(
        code=code,
        held=held,
        message_en=f"{code} (en)",
        message_zh=f"{code}（中）",
        citation=citation,
    )


def decision(
    eligible: bool | None,
    *reasons: Reason,
    amount: str | None = None,
    monthly: str | None = None,
    **fields: object,
) -> Decision:
    return Decision(
        rule=str(fields.pop("rule", "disability_pension")),
        subject=str(fields.pop("subject", "450312********0013")),
        on=ON,
        eligible=eligible,
        amount=None if amount is None else Decimal(amount),
        monthly=None if monthly is None else Decimal(monthly),
        reasons=reasons,
        **fields,  # type: ignore[arg-type]
    )


def stale_use(cell: str) -> ParameterUse:
    return ParameterUse(
        key="survivor_pension.annual_standard",
        path=(cell,),
        value=Decimal("20000"),
        effective_from=dt.date(2019, 8, 1),
        citation=Citation(document="national notice (test)"),
        stale=True,
        confirmed_through=dt.date(2020, 7, 31),
    )


def test_a_decision_becomes_one_row_with_exact_fen_and_float_yuan() -> None:
    paid = decision(
        True,
        reason("disability.assessed", True, citation=ARTICLE_23),
        amount="12330",
        monthly="1027.50",
    )

    row = decisions_frame([paid]).iloc[0]

    assert {
        "rule": "disability_pension",
        "subject": "450312********0013",
        "on": pd.Timestamp("2021-01-06"),
        "eligible": True,
        "outcome": "eligible",
        "outcome_zh": "符合",
        "amount_fen": 1233000,
        "monthly_fen": 102750,
        "amount_yuan": 12330.0,
        "monthly_yuan": 1027.5,
        "stale": False,
        "missing": "",
        "reason_code": "disability.assessed",
        "reason": "disability.assessed (en)",
        "reason_zh": "disability.assessed（中）",
        "basis": "《军人抚恤优待条例》(2019) 第二十三条 (in force 2019-03-02)",
        "stale_parameters": "",
    } == row.to_dict()


def test_the_columns_have_numeric_nullable_and_date_dtypes_even_when_empty() -> None:
    expected = {
        "rule": "string",
        "subject": "string",
        "on": "datetime64[s]",
        "eligible": "boolean",
        "outcome": "string",
        "outcome_zh": "string",
        "amount_fen": "Int64",
        "monthly_fen": "Int64",
        "amount_yuan": "float64",
        "monthly_yuan": "float64",
        "stale": "bool",
        "missing": "string",
        "reason_code": "string",
        "reason": "string",
        "reason_zh": "string",
        "basis": "string",
        "stale_parameters": "string",
    }

    for frame in (decisions_frame([]), decisions_frame([decision(None)])):
        assert expected == {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert list(COLUMNS) == list(expected)


def test_an_amount_not_carried_is_missing_never_zero() -> None:
    frame = decisions_frame([decision(False, reason("disability.assessed", False))])

    assert frame["amount_fen"].isna().all()
    assert frame["monthly_yuan"].isna().all()
    assert frame["eligible"].notna().all()


def test_an_undetermined_decision_is_na_and_names_what_is_missing() -> None:
    open_case = decision(
        None,
        reason("status", True),
        reason("circumstances.martyr_child", None),
        reason("circumstances.certified_work_incapacity", None),
        missing=("circumstances.martyr_child", "circumstances.certified_work_incapacity"),
    )

    row = decisions_frame([open_case]).iloc[0]

    assert row["eligible"] is pd.NA
    assert "undetermined" == row["outcome"]
    assert "无法确定（缺少信息）" == row["outcome_zh"]
    assert "circumstances.martyr_child; circumstances.certified_work_incapacity" == row["missing"]
    assert "circumstances.martyr_child" == row["reason_code"]


@pytest.mark.parametrize(
    ("eligible", "deciding"),
    [
        (False, "alive"),  # the first condition that failed, not the unknown before it
        (None, "circumstances.disabled"),  # the first whose input is unknown
        (True, "status"),  # the first that held: the basis of the entitlement
    ],
)
def test_the_deciding_reason_is_the_first_whose_result_matches_the_outcome(
    eligible: bool | None, deciding: str
) -> None:
    reasons = (
        reason("status", True),
        reason("circumstances.disabled", None),
        reason("alive", False),
        reason("sanctions", False),
    )

    frame = decisions_frame([decision(eligible, *reasons)])

    assert deciding == frame.loc[0, "reason_code"]


def test_without_a_matching_reason_or_citation_the_reason_and_basis_are_missing() -> None:
    frame = decisions_frame([decision(True), decision(False, reason("status", False))])

    assert [True, True] == frame["basis"].isna().tolist()
    assert [True, False] == frame["reason"].isna().tolist()


def test_stale_decisions_name_each_stale_figure_once() -> None:
    use = stale_use("martyr")
    estimate = decision(
        True,
        reason("member.deceased", True),
        amount="20000",
        monthly="1666.67",
        rule="survivor_pension",
        parameters=(use, use, stale_use("duty-death")),
        stale=True,
    )

    row = decisions_frame([estimate]).iloc[0]

    assert True is bool(row["stale"])
    assert (
        "survivor_pension.annual_standard[martyr]; survivor_pension.annual_standard[duty-death]"
        == row["stale_parameters"]
    )


def test_chinese_labels_rename_the_columns_and_change_no_value() -> None:
    decisions = [
        decision(True, reason("status", True), amount="2160.00", monthly="180.00"),
        decision(None, reason("status", None)),
    ]

    english = decisions_frame(decisions)
    chinese = decisions_frame(decisions, labels="zh")

    assert ["规则", "对象", "判定日期", "是否符合"] == list(chinese.columns[:4])
    assert "月发放（分）" in chinese.columns
    pd.testing.assert_frame_equal(english.rename(columns=dict(COLUMNS)), chinese)


def test_unknown_labels_are_refused() -> None:
    with pytest.raises(InvalidValue, match="labels"):
        decisions_frame([], labels="fr")  # type: ignore[arg-type]


def test_an_amount_below_the_fen_is_refused_naming_the_decision() -> None:
    decisions = [
        decision(True, amount="100"),
        decision(True, amount="100.005", rule="living_allowance", subject="450312********0027"),
    ]

    with pytest.raises(InvalidAmount, match=r"decision 1 \(living_allowance, 450312\*{8}0027\)"):
        decisions_frame(decisions)


def test_a_stream_of_decisions_from_a_book_is_read_once_in_order() -> None:
    region = generate_guangxi(persons=60, seed=7, within="450312")
    people = [p for p in region.people if isinstance(p, (Veteran, Survivor))]
    book = RuleBook.load("national").allowing_stale()
    rules = ["disability_pension", "survivor_pension", "living_allowance"]
    decided = list(book.evaluate_many(people, rules, on=ON))
    read = 0

    def stream() -> Iterator[Decision]:
        nonlocal read
        for one in book.evaluate_many(people, rules, on=ON):
            read += 1
            yield one

    frame = decisions_frame(stream())

    assert len(decided) == read == len(frame)
    assert [(d.rule, d.subject) for d in decided] == list(
        zip(frame["rule"], frame["subject"], strict=True)
    )
    assert sum(d.eligible is True for d in decided) == int(frame["eligible"].sum())
    assert sum((d.monthly for d in decided if d.monthly is not None), Decimal(0)) == from_fen(
        int(frame["monthly_fen"].sum())
    )
    assert sum(d.stale for d in decided) == int(frame["stale"].sum()) > 0


def test_the_module_without_pandas_names_the_extra_and_the_library_does_not_need_it() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import veteran_affairs, veteran_affairs.rules\n"
        "try:\n"
        "    import veteran_affairs.frames\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    env = {"HYPOTHESIS_NO_PLUGINS": "1", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )

    assert "veteran_affairs.frames needs pandas; install the 'pandas' extra" in done.stdout
    assert "pip install 'veteran_affairs[pandas]'" in done.stdout
