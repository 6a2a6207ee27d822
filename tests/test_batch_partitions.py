# mypy: disable-error-code="no-untyped-call"
# (dask and distributed are partly untyped: their calls are not checked here)
"""Partitioned evaluation: a local Dask cluster decides exactly as one process does.

The single-process path here is :func:`~veteran_affairs.rules.batch.evaluate_batch` called
on numpy columns of the whole population; everything partitioned must give the same arrays.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from distributed import Client, LocalCluster, wait

from veteran_affairs.errors import InvalidValue, ParameterMissing, UnknownRule
from veteran_affairs.partitions import (
    SYNTHETIC_KEY,
    evaluate_dask,
    evaluate_partition,
    result_dtypes,
    spark_schema,
    synthetic_partition,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.batch import BATCH_RULES, COLUMNS, evaluate_batch

ON = dt.date(2021, 1, 6)
LATER = dt.date(2025, 1, 6)  # the full 2024-08-01 disability table
RULES = ("disability_pension", "one_off_retirement_payment")
# Test inputs, not law: the local wage and the one-off figures are not bundled.
FIGURES: dict[str, Any] = {
    "disability_pension.local_average_monthly_wage": "7000",
    "one_off_retirement_payment.annual_standard": [
        {"effective_from": "2011-11-01", "value": "5000"},
        {"effective_from": "2024-09-01", "value": "6000"},
    ],
}
BOOK = RuleBook.load("guangxi").with_parameters(
    {
        **FIGURES,
        "one_off_retirement_payment.local_supplement": {
            "per_service_year": "1000",
            "fixed": "2000",
        },
    }
)
# Without Guangxi's local supplement (none is bundled): the national payment alone is paid.
WITHOUT_SUPPLEMENT = RuleBook.load("guangxi").with_parameters(FIGURES)
# A book that uses the last known figures past their confirmed dates (none are past on LATER).
STALE = BOOK.allowing_stale()
SEED, PARTITIONS, SIZE = 2021, 6, 2_000


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def synthetic_ddf(on: dt.date, partitions: int = PARTITIONS, size: int = SIZE) -> dd.DataFrame:
    """The synthetic population, each partition generated where it is decided."""
    make = functools.partial(synthetic_partition, SEED, size=size, on=on)
    ddf: dd.DataFrame = dd.from_map(make, range(partitions), meta=make(0, size=0))
    return ddf


def whole_population(on: dt.date, partitions: int = PARTITIONS) -> pd.DataFrame:
    frames = [synthetic_partition(SEED, index, SIZE, on) for index in range(partitions)]
    return pd.concat(frames, ignore_index=True)


def one_process(frame: pd.DataFrame, on: dt.date, book: RuleBook) -> dict[str, npt.NDArray[Any]]:
    """The single-process batch path, one call per rule over the whole population."""
    columns = {name: frame[name].to_numpy() for name in frame.columns if name in COLUMNS}
    found: dict[str, npt.NDArray[Any]] = {}
    for rule in RULES:
        for output, values in evaluate_batch(book, rule, columns, on=on).items():
            found[f"{rule}__{output}"] = values
    return found


@pytest.mark.parametrize(("on", "book"), [(ON, BOOK), (LATER, STALE), (ON, WITHOUT_SUPPLEMENT)])
def test_a_local_cluster_of_two_workers_decides_as_one_process(
    client: Client, on: dt.date, book: RuleBook
) -> None:
    expected = one_process(whole_population(on), on, book)

    result = evaluate_dask(synthetic_ddf(on), book=book, rules=RULES, on=on).compute()

    assert list(expected) == list(result.columns[1:])
    assert {name: values.tolist() for name, values in expected.items()} == {
        name: result[name].to_numpy().tolist() for name in expected
    }
    assert whole_population(on)[SYNTHETIC_KEY].tolist() == result[SYNTHETIC_KEY].to_numpy().tolist()


def test_the_partitions_run_in_both_worker_processes(client: Client) -> None:
    ddf = synthetic_ddf(ON)
    decided = evaluate_dask(ddf, book=BOOK, rules=RULES, on=ON).persist()
    wait(decided)

    where = client.who_has(decided)

    assert 2 == len({worker for workers in where.values() for worker in workers})


def test_the_populations_decide_someone_each_way(client: Client) -> None:
    result = evaluate_dask(synthetic_ddf(LATER), book=STALE, rules=RULES, on=LATER).compute()

    assert {0, 1} == set(result["disability_pension__eligible"].unique().tolist())
    assert {-1, 0, 1} == set(result["one_off_retirement_payment__eligible"].unique().tolist())
    assert 0 < result["one_off_retirement_payment__award_bonus_fen"].sum()
    assert {-1, 0, 1} == set(result["disability_pension__nursing_allowance_status"].unique())


def test_without_the_local_supplement_a_partition_is_paid_all_but_the_supplement() -> None:
    frame = synthetic_partition(SEED, 0, SIZE, LATER)
    rule = "one_off_retirement_payment"

    full = evaluate_partition(frame, book=BOOK, rules=rule, on=LATER)
    national = evaluate_partition(frame, book=WITHOUT_SUPPLEMENT, rules=rule, on=LATER)

    eligible, amount, supplement = (
        f"{rule}__{name}" for name in ("eligible", "amount_fen", "local_supplement_fen")
    )
    paid = full[eligible] == 1
    assert paid.any()
    assert full[eligible].tolist() == national[eligible].tolist()
    assert (full[supplement][paid] > 0).all()
    assert (national[supplement] == 0).all()
    assert (full[amount] - full[supplement]).tolist() == national[amount].tolist()


def test_a_failing_lookup_on_a_worker_raises_what_one_process_raises_for_its_rows(
    client: Client,
) -> None:
    national = RuleBook.load("national")  # no one-off standard is bundled
    expected: set[str] = set()
    for index in range(PARTITIONS):
        frame = synthetic_partition(SEED, index, SIZE, ON)
        columns = {name: frame[name].to_numpy() for name in frame.columns if name in COLUMNS}
        with pytest.raises(ParameterMissing) as alone:
            evaluate_batch(national, "one_off_retirement_payment", columns, on=ON)
        expected.add(str(alone.value))
    decided = evaluate_dask(
        synthetic_ddf(ON), book=national, rules="one_off_retirement_payment", on=ON
    )

    with pytest.raises(ParameterMissing) as raised:
        decided.compute()

    assert str(raised.value) in expected


def test_the_meta_is_what_the_partitions_return() -> None:
    decided = evaluate_dask(synthetic_ddf(ON, partitions=2, size=50), book=BOOK, rules=RULES, on=ON)

    computed = decided.compute(scheduler="synchronous")

    assert {SYNTHETIC_KEY: "int64", **result_dtypes(RULES)} == {
        name: str(dtype) for name, dtype in decided.dtypes.items()
    }
    assert decided.dtypes.to_dict() == computed.dtypes.to_dict()
    assert 100 == len(computed)


def test_a_dask_frame_without_an_input_column_fails_before_any_work() -> None:
    ddf = synthetic_ddf(ON).drop(columns=["died_on"])

    with pytest.raises(ExceptionGroup) as raised:
        evaluate_dask(ddf, book=BOOK, rules="disability_pension", on=ON)

    assert ["died_on"] == [getattr(error, "field", None) for error in raised.value.exceptions]


def test_an_unknown_rule_fails_before_any_work() -> None:
    with pytest.raises(UnknownRule):
        evaluate_dask(synthetic_ddf(ON), book=BOOK, rules="glory_plaque", on=ON)


def test_a_dask_frame_keeps_its_divisions_and_named_keys() -> None:
    frame = whole_population(ON, partitions=1).assign(county="450312")
    ddf = dd.from_pandas(frame, npartitions=3)

    decided = evaluate_dask(ddf, book=BOOK, rules="disability_pension", on=ON, keys=["county"])

    assert ddf.divisions == decided.divisions
    assert ["county", *result_dtypes("disability_pension")] == list(decided.columns)
    with dask.config.set(scheduler="synchronous"):
        assert frame.index.tolist() == decided.compute().index.tolist()


def test_a_partition_keeps_its_index_and_every_column_that_is_not_an_input() -> None:
    frame = synthetic_partition(SEED, 0, 20, ON)
    frame = frame.assign(county="450312").set_index(pd.Index(range(100, 120), name="row"))

    result = evaluate_partition(frame, book=BOOK, rules="disability_pension", on=ON)

    assert frame.index.equals(result.index)
    assert [SYNTHETIC_KEY, "county", *result_dtypes("disability_pension")] == list(result.columns)
    assert frame["county"].tolist() == result["county"].tolist()


def test_a_partition_keeps_the_keys_asked_for_in_their_order() -> None:
    frame = synthetic_partition(SEED, 0, 5, ON).assign(county="450312")

    result = evaluate_partition(
        frame, book=BOOK, rules=RULES, on=ON, keys=["county", "disability_grade"]
    )

    assert ["county", "disability_grade"] == list(result.columns[:2])
    assert frame["disability_grade"].tolist() == result["disability_grade"].tolist()


@pytest.mark.parametrize(
    ("rules", "keys", "field"),
    [((), None, "rules"), (RULES + RULES[:1], None, "rules"), (RULES, ["nowhere"], "keys")],
)
def test_a_partition_refuses_bad_rules_and_keys(
    rules: tuple[str, ...], keys: list[str] | None, field: str
) -> None:
    frame = synthetic_partition(SEED, 0, 5, ON)

    with pytest.raises(InvalidValue) as raised:
        evaluate_partition(frame, book=BOOK, rules=rules, on=ON, keys=keys)

    assert field == raised.value.field


def test_result_columns_follow_the_rules_outputs() -> None:
    expected = {
        f"{rule}__{output}": dtype
        for rule in RULES
        for output, dtype in BATCH_RULES[rule].outputs.items()
    }

    assert expected == result_dtypes(RULES)


def test_the_spark_schema_lists_the_keys_then_the_outputs_with_spark_types() -> None:
    schema = spark_schema("disability_pension", {"person_id": "str", "row": "int64"})

    assert (
        "person_id string, row bigint, disability_pension__eligible tinyint, "
        "disability_pension__amount_fen bigint, disability_pension__monthly_fen bigint, "
        "disability_pension__nursing_allowance_fen bigint, "
        "disability_pension__nursing_allowance_status tinyint, disability_pension__stale boolean"
    ) == schema


def test_the_spark_schema_refuses_a_dtype_it_cannot_name() -> None:
    with pytest.raises(InvalidValue) as raised:
        spark_schema("disability_pension", {"born_on": "datetime64[s]"})

    assert "born_on" == raised.value.field


# --- the synthetic partitions ----------------------------------------------------------------


def test_a_synthetic_partition_is_the_same_for_the_same_arguments() -> None:
    pd.testing.assert_frame_equal(
        synthetic_partition(5, 3, 300, ON), synthetic_partition(5, 3, 300, ON)
    )


def test_synthetic_partitions_differ_and_their_keys_do_not_collide() -> None:
    first, second = synthetic_partition(5, 0, 300, ON), synthetic_partition(5, 1, 300, ON)

    assert first["enlisted_on"].tolist() != second["enlisted_on"].tolist()
    assert 600 == len(set(first[SYNTHETIC_KEY]) | set(second[SYNTHETIC_KEY]))


def test_an_empty_synthetic_partition_has_the_same_columns_and_dtypes() -> None:
    empty, full = synthetic_partition(5, 0, 0, ON), synthetic_partition(5, 0, 10, ON)

    assert 0 == len(empty)
    assert full.dtypes.to_dict() == empty.dtypes.to_dict()
    read = {name for rule in RULES for name in BATCH_RULES[rule].reads}
    assert [SYNTHETIC_KEY, *(name for name in COLUMNS if name in read)] == list(full.columns)


@pytest.mark.parametrize("field", ["seed", "index", "size"])
def test_a_synthetic_partition_refuses_negative_arguments(field: str) -> None:
    arguments: dict[str, Any] = {"seed": 1, "index": 0, "size": 10, "on": ON, field: -1}

    with pytest.raises(InvalidValue) as raised:
        synthetic_partition(**arguments)

    assert field == raised.value.field


def test_a_synthetic_population_is_consistent_and_plausible() -> None:
    frame = pd.concat([synthetic_partition(9, index, 10_000, ON) for index in range(2)])
    day = np.datetime64(ON)
    enlisted, discharged = frame["enlisted_on"], frame["discharged_on"]
    died, assessed = frame["died_on"], frame["disability_assessed_on"]
    disabled = frame["disability_grade"] > 0

    assert (enlisted < discharged).all()
    assert (discharged < day).all()
    assert not (died < discharged).any()
    assert not (died >= day).any()
    assert not (assessed > died).any()
    assert not (assessed >= day).any()
    assert (disabled == assessed.notna()).all()
    assert (disabled == (frame["disability_nature"] >= 0)).all()
    assert not (
        disabled & (frame["disability_nature"] == 2) & (frame["disability_grade"] > 6)
    ).any()
    assert not (frame["suspended_until"] < frame["suspended_from"]).any()
    assert (frame["suspended_from"].notna() | frame["suspended_until"].isna()).all()
    shares = frame["personnel_type"].value_counts(normalize=True)
    assert 0.06 < shares[0] < 0.10
    assert 0.38 < shares[1] < 0.46
    assert 0.05 < disabled.mean() < 0.07
    officers = frame[frame["personnel_type"] == 0]
    assert not officers["discharge_mode"].isin([4, 5, 6]).any()


def test_every_batch_rule_has_result_columns_and_a_spark_schema() -> None:
    for rule, twin in BATCH_RULES.items():
        schema = spark_schema(rule, {"person_id": "str"})

        assert list(result_dtypes(rule)) == [f"{rule}__{output}" for output in twin.outputs]
        assert schema.startswith(f"person_id string, {rule}__eligible tinyint, ")
        assert schema.endswith(f", {rule}__stale boolean")
