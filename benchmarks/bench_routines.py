"""Benchmark of routine compliance: a whole province's network for one year.

Run with ``python benchmarks/bench_routines.py [--units N]``. Builds ``N`` synthetic unit codes
(default 17,624, Guangxi's network) and one year (2024) of synthetic activity records for
月调度, 季座谈 and 半年培训 (each unit holds most occasions, some late, some not), then times
:func:`compliance` of the three cycles over all units with the Guangxi calendar. Activities
are built before the clock starts. Prints a Markdown table; asserts no time (goal ≤ 1 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.cycles.calendar import calendar_for  # noqa: E402
from veteran_affairs.cycles.routines import GUANGXI_PRESET, compliance  # noqa: E402
from veteran_affairs.identity import DivisionCode  # noqa: E402
from veteran_affairs.models.activity import Activity  # noqa: E402

SPAN = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
AS_OF = dt.date(2025, 1, 31)
CYCLES = ("dispatch-meeting", "symposium", "training")


def units(n: int) -> list[DivisionCode]:
    """``n`` distinct village-level codes under 临桂区 and its neighbours."""
    return [
        DivisionCode(f"4503{12 + k // 100_000:02d}{100 + (k // 1000) % 100:03d}{k % 1000:03d}")
        for k in range(n)
    ]


def activities(codes: list[DivisionCode], seed: int = 2024) -> list[Activity]:
    rng = random.Random(seed)
    calendar = calendar_for("45")
    out: list[Activity] = []
    for name in CYCLES:
        cycle = GUANGXI_PRESET[name]
        (kind,) = cycle.kinds
        periods = cycle.frequency.periods(*SPAN)
        occasions = [cycle.due.occasion(p, calendar) for p in periods]
        for unit in codes:
            for occ in occasions:
                if rng.random() < 0.1:
                    continue  # missed
                offset = rng.randrange((occ.closes - occ.opens).days + 1)
                out.append(
                    Activity(
                        activity_id=f"{unit.value}-{name}-{len(out)}",
                        kind=kind,
                        unit=unit,
                        held_on=occ.opens + dt.timedelta(days=offset),
                    )
                )
    rng.shuffle(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=17_624)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    codes = units(args.units)
    records = activities(codes)
    calendar = calendar_for("45")
    best = float("inf")
    rows = 0
    per_cycle: dict[str, float] = {}
    for _ in range(args.repeat):
        total = 0.0
        rows = 0
        for name in CYCLES:
            start = time.perf_counter()
            result = compliance(GUANGXI_PRESET[name], records, codes, SPAN, AS_OF, calendar)
            elapsed = time.perf_counter() - start
            per_cycle[name] = min(per_cycle.get(name, float("inf")), elapsed)
            total += elapsed
            rows += len(result)
        best = min(best, total)

    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.system()})\n")
    print(f"| what | units | activities | rows | best of {args.repeat} (s) |")
    print("|---|---:|---:|---:|---:|")
    for name in CYCLES:
        print(
            f"| compliance {name} | {len(codes):,} | {len(records):,} | | {per_cycle[name]:.3f} |"
        )
    print(f"| **3 cycles, one year** | {len(codes):,} | {len(records):,} | {rows:,} | {best:.3f} |")


if __name__ == "__main__":
    main()
