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
* the compliance summary of the three routines;
* the columnar path (:mod:`veteran_affairs.hierarchy.columnar`, needs numpy): population and
  plaques from columns read once — the reading timed separately, as set-up, like the rules'
  batch path (``columns_from``).

The issue's goal: all reports for 1M persons over 17,624 units in ≤ 1 s on one core; cost
linear in persons × depth. Prints Markdown tables (best of ``--repeat`` runs, wall-clock and
CPU), with three totals: population's fast path, population merged by ID (the default),
and population and plaques from columns. Checks that the columnar reports equal the object
ones; asserts no time.

``--smoke`` builds the region with 2,000 persons, makes every report once, checks the columnar
reports against the object ones and prints no timing (the check ``make test`` runs).
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
    plaque_columns,
    plaques_from_columns,
    plaques_from_statuses,
    population,
    population_columns,
    population_from_columns,
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


def run(persons: int, repeat: int, *, freeze: bool, smoke: bool = False) -> None:
    region, generated = timed(lambda: generate_guangxi(persons=persons, seed=2021))
    on = region.on
    year = Year(year=region.activity_year)
    tree, built = timed(lambda: DivisionTree(region.divisions))
    network = ServiceNetwork(tree, region.stations)
    book = RuleBook.load("guangxi")
    decided, decide_time = timed(lambda: list(statuses(book, region.households, on=on)))
    calendar = calendar_for("45")  # Guangxi's, as the activities (2020: no 三月三 day off)
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
    people_columns, people_time = timed(lambda: population_columns(tree, region.people, on=on))
    plaque_table, plaque_time = timed(lambda: plaque_columns(tree, decided, on=on))
    if freeze:
        # The region is millions of long-lived objects: move them out of the collector's
        # sight, as a notebook or service holding a loaded population should (gc.freeze).
        gc.collect()
        gc.freeze()
    if not smoke:
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
            f"columns read once (population merged by ID {people_time:.2f} s, "
            f"plaques {plaque_time:.2f} s); gc.freeze() {'on' if freeze else 'off'}.\n"
        )
    reports: list[tuple[str, Callable[[], Any]]] = [
        ("station coverage", network.coverage),
        ("offices", network.offices),
        # One record per person in the synthetic region: the fast path (no merging by ID).
        ("population", lambda: population(tree, region.people, on=on, merge_records=False)),
        ("population, merged by ID", lambda: population(tree, region.people, on=on)),
        ("population from columns", lambda: population_from_columns(tree, people_columns)),
        ("plaques (from statuses)", lambda: plaques_from_statuses(tree, decided, on=on)),
        ("plaques from columns", lambda: plaques_from_columns(tree, plaque_table)),
        ("assistance (year + YTD)", lambda: assistance(tree, region.cases, period=year)),
        ("compliance summary", lambda: compliance_summary(tree, rows, as_of=as_of)),
    ]
    if population_from_columns(tree, people_columns) != population(tree, region.people, on=on):
        raise SystemExit("the columnar population report differs from the object one")
    if plaques_from_columns(tree, plaque_table) != plaques_from_statuses(tree, decided, on=on):
        raise SystemExit("the columnar plaque report differs from the object one")
    if len(decided) != len(region.households):
        raise SystemExit(f"{len(decided)} plaque statuses for {len(region.households)} households")
    if smoke:
        for _, work in reports:
            work()
        print(
            f"bench_hierarchy smoke: {persons:,} persons over {len(tree):,} units, every report "
            "made, the columnar ones equal to the object ones"
        )
        return
    print("| report | wall (s) | CPU (s) |")
    print("| --- | ---: | ---: |")
    timings: dict[str, tuple[float, float]] = {}
    for name, work in reports:
        timings[name] = best(repeat, work)
        print(f"| {name} | {timings[name][0]:.3f} | {timings[name][1]:.3f} |")
    common = ("station coverage", "offices", "assistance (year + YTD)", "compliance summary")
    totals = [
        ("**all six reports** (population's fast path)", ("population", "plaques (from statuses)")),
        (
            "all six, population merged by ID (the default)",
            ("population, merged by ID", "plaques (from statuses)"),
        ),
        (
            "**all six, population and plaques from columns**",
            ("population from columns", "plaques from columns"),
        ),
    ]
    for label, names in totals:
        parts = [timings[n] for n in (*common, *names)]
        wall, cpu = sum(w for w, _ in parts), sum(c for _, c in parts)
        bold = "**" if label.startswith("**") else ""
        print(f"| {label} | {bold}{wall:.3f}{bold} | {bold}{cpu:.3f}{bold} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of the process so far: {peak:,.0f} MiB.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 persons, once, checked; prints no timing"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the loaded region in the cyclic garbage collector's generations",
    )
    args = parser.parse_args()
    if args.smoke:
        run(2_000, 1, freeze=False, smoke=True)
        return
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{platform.system()} — one process, one core."
    )
    for n in args.persons:
        run(n, args.repeat, freeze=not args.no_freeze)
        gc.unfreeze()


if __name__ == "__main__":
    main()
