# mypy: disable-error-code="no-untyped-call"
# (dask and distributed are partly untyped: their calls are not checked here)
"""Any partitioning of a population gives the single-process batch results, row for row.

The rows of a synthetic population are split at random points (empty partitions included)
and each part is decided on its own with :func:`~veteran_affairs.partitions.evaluate_partition`,
or the whole is repartitioned at random divisions and decided with
:func:`~veteran_affairs.partitions.evaluate_dask` (synchronous scheduler); put back together,
the results equal one call of :func:`~veteran_affairs.rules.batch.evaluate_batch` over all
the rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import dask
import dask.dataframe as dd
import numpy.typing as npt
import pandas as pd
from hypothesis import event, given, settings
from hypothesis import strategies as st

from veteran_affairs.errors import ParameterError
from veteran_affairs.partitions import (
    SYNTHETIC_KEY,
    evaluate_dask,
    evaluate_partition,
    synthetic_partition,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.batch import BATCH_RULES, COLUMNS, columns_from, evaluate_batch
from veteran_affairs.testing import strategies as vst

RULES = ("disability_pension", "one_off_retirement_payment")
# Test inputs, not law: the local wage and the one-off figures are not bundled.
FIGURES: dict[str, Any] = {
    "disability_pension.local_average_monthly_wage": "7000",
    "one_off_retirement_payment.annual_standard": [
        {"effective_from": "2011-11-01", "value": "5000"},
        {"effective_from": "2024-09-01", "value": "6000"},
    ],
}
SUPPLEMENT = {
    "one_off_retirement_payment.local_supplement": {"per_service_year": "1000", "fixed": "2000"}
}
# Dates past 2026-07-31 use the last known disability standard.
BOOK = RuleBook.load("guangxi", allow_stale=True).with_parameters({**FIGURES, **SUPPLEMENT})
# Without Guangxi's local supplement (none is bundled), paid rows get the national payment
# alone and no row raises for want of it.
WITHOUT_SUPPLEMENT = RuleBook.load("guangxi", allow_stale=True).with_parameters(FIGURES)
BOOKS = st.sampled_from((BOOK, WITHOUT_SUPPLEMENT))
# Outside the full disability tables (before 2020-08-01, and the partly known 2023-08-01 and
# 2025-08-01 versions) some figures are not bundled: the batch path raises.
DATES = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 12, 31))
KNOWN = st.one_of(
    st.dates(min_value=dt.date(2020, 8, 1), max_value=dt.date(2023, 7, 31)),
    st.dates(min_value=dt.date(2024, 8, 1), max_value=dt.date(2025, 7, 31)),
)
Outcome = dict[str, list[int]] | tuple[str, str]


def population(seed: int, size: int, on: dt.date) -> pd.DataFrame:
    return synthetic_partition(seed, 0, size, on)


def one_process(frame: pd.DataFrame, on: dt.date, book: RuleBook) -> Outcome:
    """The results of one call per rule over all the rows, or the error raised."""
    try:
        return decided_at_once(frame, on, book)
    except ParameterError as error:
        return (type(error).__name__, str(error))


def decided_at_once(frame: pd.DataFrame, on: dt.date, book: RuleBook) -> dict[str, list[int]]:
    columns = {name: frame[name].to_numpy() for name in frame.columns if name in COLUMNS}
    found: dict[str, list[int]] = {SYNTHETIC_KEY: frame[SYNTHETIC_KEY].tolist()}
    for rule in RULES:
        decided: dict[str, npt.NDArray[Any]] = evaluate_batch(book, rule, columns, on=on)
        for output, values in decided.items():
            found[f"{rule}__{output}"] = values.tolist()
    return found


def as_lists(frame: pd.DataFrame) -> dict[str, list[int]]:
    return {str(name): frame[name].tolist() for name in frame.columns}


@st.composite
def split_points(draw: st.DrawFn, size: int) -> list[int]:
    cuts = draw(st.lists(st.integers(0, size), max_size=8))
    return sorted(cuts)


@given(
    seed=st.integers(0, 2**32),
    size=st.integers(0, 400),
    on=DATES,
    book=BOOKS,
    data=st.data(),
)
def test_any_split_of_the_rows_gives_the_single_process_results(
    seed: int, size: int, on: dt.date, book: RuleBook, data: st.DataObject
) -> None:
    frame = population(seed, size, on)
    cuts = data.draw(split_points(size), label="cuts")
    bounds = [0, *cuts, size]

    # Decided in order, the first partition that raises raises for the first failing row.
    partitioned: Outcome
    try:
        parts = [
            evaluate_partition(frame.iloc[start:end], book=book, rules=RULES, on=on)
            for start, end in itertools.pairwise(bounds)
        ]
        partitioned = as_lists(pd.concat(parts))
    except ParameterError as error:
        partitioned = (type(error).__name__, str(error))

    event("raised" if isinstance(partitioned, tuple) else "decided")
    assert one_process(frame, on, book) == partitioned


@settings(max_examples=50)
@given(seed=st.integers(0, 2**32), size=st.integers(3, 300), on=KNOWN, book=BOOKS, data=st.data())
def test_any_dask_partitioning_gives_the_single_process_results(
    seed: int, size: int, on: dt.date, book: RuleBook, data: st.DataObject
) -> None:
    frame = population(seed, size, on)
    inner = data.draw(st.lists(st.integers(1, size - 2), unique=True, max_size=6), label="cuts")
    divisions = [0, *sorted(inner), size - 1]
    ddf = dd.from_pandas(frame, npartitions=1, sort=True).repartition(divisions=divisions)

    decided = evaluate_dask(ddf, book=book, rules=RULES, on=on)
    with dask.config.set(scheduler="synchronous"):
        result = decided.compute()

    assert len(divisions) - 1 == decided.npartitions
    assert decided_at_once(frame, on, book) == as_lists(result)


# --- the rules of survivors and serving members, and mixed tables ----------------------------

SUBJECTS: dict[str, st.SearchStrategy[list[Any]]] = {
    "survivor_pension": st.lists(vst.survivors(), max_size=10),
    "living_allowance": st.lists(st.one_of(vst.veterans(), vst.survivors()), max_size=10),
    "conscript_family_allowance": st.lists(vst.serving_members(), max_size=10),
}
# Test inputs, not law: the 在乡复员军人 standard and the family allowance are not bundled.
OTHER_BOOK = RuleBook.load("national", allow_stale=True).with_parameters(
    {
        "living_allowance.demobilised_monthly_standard": {
            "anti-japanese-war": "1100",
            "liberation-war": "1050",
            "post-1949": "1000",
        },
        "conscript_family_allowance.annual_amount": "12000",
    }
)


def frame_of(rule: str, subjects: list[Any]) -> pd.DataFrame:
    columns = columns_from(subjects, types=BATCH_RULES[rule].subjects)
    frame = pd.DataFrame(columns)
    frame.insert(0, "row", range(len(frame)))
    return frame


def at_once(frame: pd.DataFrame, rule: str, on: dt.date) -> Outcome:
    columns = {name: frame[name].to_numpy() for name in frame.columns if name != "row"}
    try:
        decided = evaluate_batch(OTHER_BOOK, rule, columns, on=on)
    except ParameterError as error:
        return (type(error).__name__, str(error))
    found = {"row": frame["row"].tolist()}
    found.update({f"{rule}__{name}": values.tolist() for name, values in decided.items()})
    return found


@given(st.sampled_from(sorted(SUBJECTS)), DATES, st.data())
def test_any_split_of_survivors_members_or_a_mixed_table_gives_the_single_process_results(
    rule: str, on: dt.date, data: st.DataObject
) -> None:
    frame = frame_of(rule, data.draw(SUBJECTS[rule], label="subjects"))
    cuts = data.draw(split_points(len(frame)), label="cuts")
    bounds = [0, *cuts, len(frame)]

    partitioned: Outcome
    try:
        parts = [
            evaluate_partition(frame.iloc[start:end], book=OTHER_BOOK, rules=rule, on=on)
            for start, end in itertools.pairwise(bounds)
        ]
        partitioned = as_lists(pd.concat(parts))
    except ParameterError as error:
        partitioned = (type(error).__name__, str(error))

    event(f"{rule}: " + ("raised" if isinstance(partitioned, tuple) else "decided"))
    assert at_once(frame, rule, on) == partitioned


@settings(max_examples=20)
@given(st.sampled_from(sorted(SUBJECTS)), KNOWN, st.data())
def test_dask_decides_survivors_members_and_mixed_tables_as_one_process(
    rule: str, on: dt.date, data: st.DataObject
) -> None:
    subjects = data.draw(SUBJECTS[rule].filter(lambda found: len(found) >= 3), label="subjects")
    frame = frame_of(rule, subjects)
    ddf = dd.from_pandas(frame, npartitions=2, sort=True)

    try:
        with dask.config.set(scheduler="synchronous"):
            result: Outcome = as_lists(
                evaluate_dask(ddf, book=OTHER_BOOK, rules=rule, on=on).compute()
            )
    except ParameterError as error:
        result = (type(error).__name__, str(error))

    assert at_once(frame, rule, on) == result
