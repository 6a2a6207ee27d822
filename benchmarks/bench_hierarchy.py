"""Benchmark of the hierarchy reports: a whole province, all reports, one core.

Run with ``python benchmarks/bench_hierarchy.py [--persons N ...] [--repeat R]``. For each
``N`` (default 100,000 and 1,000,000) it builds the synthetic Guangxi region
(:func:`veteran_affairs.synthetic.generate_guangxi`: 17,624 centres and stations, ``N``
persons, their plaque households, a year of assistance cases and activities), then, before
the clock starts, decides every household's plaque with the ``glory_plaque`` rule and checks
three routines' compliance for every unit — those are rule and cycle work, timed and shown
separately. Then it times the reports themselves over the 17,624-unit tree:

* station coverage and offices (:class:`~veteran_affairs.hierarchy.ServiceNetwork`);
* population by category on the seed's date (every person);
* plaques from the decided statuses (every household);
* assistance for the year with year-to-date figures;
* the compliance summary of the three routines.

The issue's goal: all reports for 1M persons over 17,624 units in ≤ 1 s on one core; cost
linear in persons × depth. Prints Markdown tables (best of ``--repeat`` runs, wall-clock and
CPU); asserts no time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.cycles.calendar import calendar_for  # noqa: E402
from veteran_affairs.cycles.periods import Year  # noqa: E402
from veteran_affairs.cycles.routines import GUANGXI_PRESET, compliance  # noqa: E402
from veteran_affairs.hierarchy import (  # noqa: E402
    DivisionTree,
    ServiceNetwork,
    assistance,
    compliance_summary,
    plaques_from_statuses,
    population,
)
from veteran_affairs.rules import RuleBook  # noqa: E402
from veteran_affairs.rules.glory_plaque import statuses  # noqa: E402
from veteran_affairs.synthetic import generate_guangxi  # noqa: E402

CYCLES = ("dispatch-meeting", "symposium", "training")


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, float]:
    """Best wall-clock and CPU seconds of ``repeat`` runs of ``work``."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def run(persons: int, repeat: int, *, freeze: bool) -> None:
    region, generated = timed(lambda: generate_guangxi(persons=persons, seed=2021))
    on = region.on
    year = Year(year=region.activity_year)
    tree, built = timed(lambda: DivisionTree(region.divisions))
    network = ServiceNetwork(tree, region.stations)
    book = RuleBook.load("guangxi")
    decided, decide_time = timed(lambda: list(statuses(book, region.households, on=on)))
    calendar = calendar_for()  # the bundled 三月三 overlay lacks 2020: national days only
    span = (year.start, year.end)
    as_of = dt.date(region.activity_year + 1, 1, 31)
    units = [d.code for d in tree]
    rows, rows_time = timed(
        lambda: [
            row
            for name in CYCLES
            for row in compliance(
                GUANGXI_PRESET[name], region.activities, units, span, as_of, calendar
            )
        ]
    )
    if freeze:
        # The region is millions of long-lived objects: move them out of the collector's
        # sight, as a notebook or service holding a loaded population should (gc.freeze).
        gc.collect()
        gc.freeze()
    print(
        f"\n### {persons:,} persons — {len(tree):,} units, {len(region.stations):,} sites, "
        f"{len(region.households):,} households, {len(region.cases):,} cases, "
        f"{len(region.activities):,} activities\n"
    )
    print(
        f"Set-up (not part of the goal): generate {generated:.1f} s; tree {built * 1000:.0f} ms; "
        f"glory_plaque for every household {decide_time:.1f} s "
        f"({decide_time / max(1, len(region.households)) * 1e6:.1f} µs each); "
        f"compliance rows {rows_time:.2f} s ({len(rows):,} rows); "
        f"gc.freeze() {'on' if freeze else 'off'}.\n"
    )
    reports: list[tuple[str, Callable[[], Any]]] = [
        ("station coverage", network.coverage),
        ("offices", network.offices),
        # One record per person in the synthetic region: the fast path (no merging by ID).
        ("population", lambda: population(tree, region.people, on=on, merge_records=False)),
        ("population, merged by ID", lambda: population(tree, region.people, on=on)),
        ("plaques (from statuses)", lambda: plaques_from_statuses(tree, decided, on=on)),
        ("assistance (year + YTD)", lambda: assistance(tree, region.cases, period=year)),
        ("compliance summary", lambda: compliance_summary(tree, rows, as_of=as_of)),
    ]
    print("| report | wall (s) | CPU (s) |")
    print("| --- | ---: | ---: |")
    total_wall = total_cpu = 0.0
    merged_wall = merged_cpu = 0.0
    timings: list[tuple[str, tuple[float, float]]] = []
    for name, work in reports:
        wall, cpu = best(repeat, work)
        timings.append((name, (wall, cpu)))
        if name == "population, merged by ID":
            merged_wall, merged_cpu = wall, cpu
        else:
            total_wall += wall
            total_cpu += cpu
        print(f"| {name} | {wall:.3f} | {cpu:.3f} |")
    print(
        f"| **all six reports** (population's fast path) | **{total_wall:.3f}** | "
        f"**{total_cpu:.3f}** |"
    )
    population_fast = next(w for n, w in timings if n == "population")
    print(
        f"| all six, population merged by ID (the default) | "
        f"{total_wall - population_fast[0] + merged_wall:.3f} | "
        f"{total_cpu - population_fast[1] + merged_cpu:.3f} |"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of the process so far: {peak:,.0f} MiB.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the loaded region in the cyclic garbage collector's generations",
    )
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{platform.system()} — one process, one core."
    )
    for n in args.persons:
        run(n, args.repeat, freeze=not args.no_freeze)
        gc.unfreeze()


if __name__ == "__main__":
    main()
