"""Benchmark: the batch rule path on a local Dask cluster against one process.

Run with ``python benchmarks/bench_dask.py [--n 1000000 3000000 10000000] [--partition P]
[--workers W] [--repeat R]``. Prints the machine, then a Markdown table, ready to paste into
the "Partitioned evaluation (Dask)" section of ``docs/benchmarks.md``. Nothing here asserts a
time: tests never time anything.

For each population size ``N`` (a **synthetic** population, SYNTHETIC 合成数据, from
:func:`veteran_affairs.partitions.synthetic_partition`, seed 2021, partitions of ``P`` rows):

* **one process** — a fresh Python process generates the ``N / P`` partitions, concatenates
  them into one pandas DataFrame and decides both covered rules
  (``disability_pension`` and ``one_off_retirement_payment``) in one
  :func:`~veteran_affairs.partitions.evaluate_partition` call, then adds up the totals; its peak
  resident memory (``ru_maxrss``) is the process's own;
* **Dask** — a fresh ``LocalCluster(n_workers=W, threads_per_worker=1, processes=True)``;
  each partition is generated on a worker (``dd.from_map``), decided with
  :func:`~veteran_affairs.partitions.evaluate_dask` and reduced there to the same totals, so
  only a few numbers travel back; the peak resident memory of every worker process is read
  on the worker after the runs.

The totals (persons eligible per rule, amounts in fen) of the two are checked equal before
anything is printed. Timings are wall-clock, end to end (generation, evaluation, totals),
best of ``R`` runs after a warm-up; for one process the evaluation alone is shown too.

The figures of the rule book are made up (test inputs, not law), as in ``bench_rules.py``.

``--smoke`` runs 6,000 persons in partitions of 2,000 once on two workers, checks the totals
(equal, and some persons eligible for each rule) and prints no timing: the check ``make test``
runs, so that this script cannot rot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
# Measure this checkout, not whatever copy of the package is installed.
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.partitions import (  # noqa: E402
    evaluate_dask,
    evaluate_partition,
    synthetic_partition,
)
from veteran_affairs.rules import RuleBook  # noqa: E402

SEED = 2021
# A date of the full 2024-08-01 disability table: the bundled 2025-08-01 version has four
# cells only, and the others raise ParameterMissing.
ON = dt.date(2025, 1, 6)
RULES = ("disability_pension", "one_off_retirement_payment")
TOTALLED = (
    "disability_pension__amount_fen",
    "disability_pension__nursing_allowance_fen",
    "one_off_retirement_payment__amount_fen",
)
# Made-up figures (test inputs, not law).
BOOK = RuleBook.load("guangxi").with_parameters(
    {
        "disability_pension.local_average_monthly_wage": "7000",
        "one_off_retirement_payment.annual_standard": [
            {"effective_from": "2011-11-01", "value": "5000"},
            {"effective_from": "2024-09-01", "value": "6000"},
        ],
        "one_off_retirement_payment.local_supplement": {
            "per_service_year": "1000",
            "fixed": "2000",
        },
    }
)


def totals(result: Any) -> dict[str, Any]:
    """Persons eligible per rule and amounts in fen: pandas or Dask, the same expressions."""
    found: dict[str, Any] = {
        f"{rule} eligible": (result[f"{rule}__eligible"] == 1).sum() for rule in RULES
    }
    found.update({name: result[name].sum() for name in TOTALLED})
    return found


def sizes(n: int, partition: int) -> list[int]:
    full, rest = divmod(n, partition)
    return [partition] * full + ([rest] if rest else [])


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- one process (run in a child process, so that its peak memory is its own) ---------------


def one_process(n: int, partition: int) -> dict[str, Any]:
    start = time.perf_counter()
    frames = [
        synthetic_partition(SEED, index, size, ON) for index, size in enumerate(sizes(n, partition))
    ]
    import pandas as pd

    frame = pd.concat(frames, ignore_index=True)
    del frames
    generated = time.perf_counter()
    result = evaluate_partition(frame, book=BOOK, rules=RULES, on=ON)
    decided = time.perf_counter()
    found = {name: int(value) for name, value in totals(result).items()}
    done = time.perf_counter()
    return {
        "total_s": done - start,
        "generate_s": generated - start,
        "evaluate_s": decided - generated,
        "peak_mib": peak_rss_mib(),
        "totals": found,
    }


def one_process_best(n: int, partition: int, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--one-process", str(n), "--partition", str(partition)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    best = min(runs, key=lambda run: run["total_s"])
    best["evaluate_s"] = min(run["evaluate_s"] for run in runs)
    best["peak_mib"] = max(run["peak_mib"] for run in runs)
    return best


# --- Dask -----------------------------------------------------------------------------------


def dask_best(n: int, partition: int, workers: int, repeat: int) -> dict[str, Any]:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    make = functools.partial(synthetic_partition, SEED, on=ON)
    chunks = sizes(n, partition)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):

        def run(rows: list[int]) -> tuple[float, dict[str, int]]:
            start = time.perf_counter()
            ddf = dd.from_map(
                lambda pair: make(pair[0], pair[1]), list(enumerate(rows)), meta=make(0, 0)
            )
            decided = evaluate_dask(ddf, book=BOOK, rules=RULES, on=ON)
            (found,) = dask.compute(totals(decided))
            return time.perf_counter() - start, {name: int(value) for name, value in found.items()}

        run([1_000] * workers)  # warm-up: imports and the book on every worker
        times, found = [], {}
        for _ in range(repeat):
            seconds, found = run(chunks)
            times.append(seconds)
        peaks = client.run(peak_rss_mib)
    return {"total_s": min(times), "peak_mib": sorted(peaks.values()), "totals": found}


# --- report ---------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The batch path on Dask against one process.")
    parser.add_argument("--n", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    parser.add_argument("--partition", type=int, default=500_000, help="rows per partition")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--one-process", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke", action="store_true", help="6,000 persons, once, checked; prints no timing"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.n, args.partition, args.workers, args.repeat = [6_000], 2_000, 2, 1
    if args.one_process is not None:
        print(json.dumps(one_process(args.one_process, args.partition)))
        return 0

    rows = []
    for n in args.n:
        progress(f"one process, N = {n:,}")
        alone = one_process_best(n, args.partition, args.repeat)
        progress(f"Dask, N = {n:,}")
        spread = dask_best(n, args.partition, args.workers, args.repeat)
        if alone["totals"] != spread["totals"]:
            raise SystemExit(f"N = {n}: Dask's totals differ from one process's")
        if not all(alone["totals"][f"{rule} eligible"] > 0 for rule in RULES):
            raise SystemExit(f"N = {n}: nobody eligible for a rule: {alone['totals']}")
        rows.append((n, alone, spread))
    if args.smoke:
        print(f"bench_dask smoke: {args.n[0]:,} persons, one process and Dask agree")
        return 0

    print("## Partitioned evaluation benchmarks\n")
    print(f"- date: {dt.date.today().isoformat()}")
    print(f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores")
    print(
        f"- Python {platform.python_version()}; numpy {_version('numpy')}, pandas "
        f"{_version('pandas')}, dask {_version('dask')}, distributed {_version('distributed')}"
    )
    print(
        f"- command: `python benchmarks/bench_dask.py --n {' '.join(map(str, args.n))} "
        f"--partition {args.partition} --workers {args.workers} --repeat {args.repeat}`\n"
    )
    print(
        "| N | one process: total (evaluation alone) | one process: persons/s | one process: "
        f"peak RSS | Dask, {args.workers} workers: total | Dask: persons/s | Dask: peak RSS "
        "per worker |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, alone, spread in rows:
        peaks = ", ".join(f"{peak:,.0f}" for peak in spread["peak_mib"])
        print(
            f"| {n:,} | {alone['total_s']:.1f} s ({alone['evaluate_s']:.1f} s) | "
            f"{n / alone['total_s']:,.0f} | {alone['peak_mib']:,.0f} MiB | "
            f"{spread['total_s']:.1f} s | {n / spread['total_s']:,.0f} | {peaks} MiB |"
        )
    print()
    for n, alone, _ in rows:
        eligible = ", ".join(f"{rule} {alone['totals'][f'{rule} eligible']:,}" for rule in RULES)
        print(f"- N = {n:,}: eligible {eligible}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
