"""Benchmark of the synthetic Guangxi generator: time and peak memory per size.

Run with ``python benchmarks/bench_synthetic.py [--persons 2000 100000 1000000] [--no-gc]``.
Each size runs in a fresh child process (so one size's memory does not inflate the next),
builds the full network with ``generate_guangxi(persons=N)`` once, and reports the wall time,
the CPU time of the process (less sensitive to other work on a shared machine), the
process's peak resident memory (``resource.getrusage(...).ru_maxrss``, so the interpreter and
the bundled tables are included) and the sizes of what was built. ``--no-gc`` switches the
cyclic garbage collector off in the children, to show its share. Prints a Markdown table
ready for ``docs/synthetic-data.md``; asserts no time. Every run checks that each region
holds the persons asked for and the whole Guangxi network (17,624 centres and stations, one
per unit that must have one, besides the extension stations). ``--smoke`` builds one region of 2,000 persons and prints no timing
(the check ``make test`` runs, so that this script cannot rot).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.models import StationKind  # noqa: E402
from veteran_affairs.synthetic import generate_guangxi  # noqa: E402

GUANGXI_UNITS = 17_624  # units that must have a centre or station (veteran_affairs.synthetic)


def measure(persons: int, seed: int) -> dict[str, float]:
    """Build one region in this process and report time, memory and counts."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    region = generate_guangxi(persons=persons, seed=seed)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "persons": persons,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_mib": peak_kib / 1024,
        "start_mib": before / 1024,
        "people": len(region.people),
        "units_with_station": sum(s.kind is not StationKind.EXTENSION for s in region.stations),
        "divisions": len(region.divisions),
        "stations": len(region.stations),
        "households": len(region.households),
        "cases": len(region.cases),
        "activities": len(region.activities),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[2_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-gc", action="store_true", help="switch the cyclic GC off")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 persons, checked; prints no timing"
    )
    args = parser.parse_args()
    if args.smoke:
        args.persons = [2_000]

    if args.child is not None:
        if args.no_gc:
            gc.disable()
        print(json.dumps(measure(args.child, args.seed)))
        return

    rows = []
    for persons in args.persons:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(persons),
                "--seed",
                str(args.seed),
                *(["--no-gc"] if args.no_gc else []),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout)
        if row["people"] != persons or row["units_with_station"] != GUANGXI_UNITS:
            raise SystemExit(
                f"{persons:,} persons asked for: {row['people']:,} built, "
                f"{row['units_with_station']:,} centres and stations (expected {GUANGXI_UNITS:,})"
            )
        rows.append(row)
    if args.smoke:
        print(f"bench_synthetic smoke: a region of {args.persons[0]:,} persons checked")
        return

    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    print(f"cyclic GC {'off' if args.no_gc else 'on'}\n")
    print(
        "| persons | wall (s) | CPU (s) | peak RSS (MiB) | divisions | stations | households "
        "| cases | activities |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['persons']:,} | {row['seconds']:.1f} | {row['cpu_seconds']:.1f} "
            f"| {row['peak_mib']:,.0f} "
            f"| {row['divisions']:,} | {row['stations']:,} | {row['households']:,} "
            f"| {row['cases']:,} | {row['activities']:,} |"
        )


if __name__ == "__main__":
    main()
