"""Every row of a synthetic partition is a valid model, built the way the benchmarks build it.

:func:`~veteran_affairs.partitions.synthetic_partition` draws batch columns, and the benchmark
against OpenFisca (``benchmarks/bench_openfisca.py``) turns rows of them into
:class:`~veteran_affairs.models.Veteran` models to time the explained, per-person path. Any
row the models refuse (a conscript settled by 复员, which no conscript ever was) would be a
row the two paths cannot be compared on, so the laws here are: every row of any partition
builds a model, and the model gives back its row through
:func:`~veteran_affairs.rules.batch.columns_from`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.models import PersonnelType
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.partitions import synthetic_partition
from veteran_affairs.rules.batch import BATCH_RULES, COLUMNS, DISCHARGE_MODES, columns_from

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_openfisca.py"
# Models refuse dates after today, so the reference date stays in the past.
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The benchmark script as a module (it runs nothing on import)."""
    spec = importlib.util.spec_from_file_location("bench_openfisca", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def benchmark_columns(bench: Any, seed: int, index: int, size: int, on: dt.date) -> Any:
    """The partition's columns as ``bench_openfisca.population`` makes them (dates in days)."""
    frame = synthetic_partition(seed, index, size, on)
    reads = dict.fromkeys(name for rule in bench.RULES for name in BATCH_RULES[rule].reads)
    return {name: frame[name].to_numpy().astype(COLUMNS[name].dtype) for name in reads}


def as_int(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    return values.astype(np.int64) if values.dtype.kind == "M" else values


@given(
    seed=st.integers(0, 2**32),
    index=st.integers(0, 1000),
    size=st.integers(1, 150),
    on=DATES,
)
def test_every_synthetic_row_builds_a_model_that_gives_the_row_back(
    bench: Any, seed: int, index: int, size: int, on: dt.date
) -> None:
    columns = benchmark_columns(bench, seed, index, size, on)

    veterans = [bench.veteran_of(columns, row) for row in range(size)]  # raises if refused

    again = columns_from(veterans)
    for name, values in columns.items():
        assert as_int(values).tolist() == as_int(again[name]).tolist(), name


def test_soldiers_discharged_before_2011_are_settled_by_modes_their_type_allows() -> None:
    frame = synthetic_partition(5, 0, 20_000, dt.date(2021, 1, 6))
    before = frame[frame["discharged_on"] < np.datetime64("2011-11-01")]
    recorded = before[before["discharge_mode"] >= 0]

    found = {
        (PersonnelType(COLUMNS["personnel_type"].codes[kind]), DISCHARGE_MODES[mode])
        for kind, mode in zip(recorded["personnel_type"], recorded["discharge_mode"], strict=True)
    }

    assert {kind for kind, _ in found} == set(PersonnelType)
    assert all(mode in ALLOWED_DISCHARGE_MODES[kind] for kind, mode in found)
