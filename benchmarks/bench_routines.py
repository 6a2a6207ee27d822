"""Benchmark of routine compliance: a whole province's network for one year.

Run with ``python benchmarks/bench_routines.py [--units N] [--persons P]``. Builds ``N``
synthetic unit codes (default 17,624, Guangxi's network) and one year (2024) of synthetic
activity records, built before the clock starts, then times with the Guangxi calendar:

* :func:`compliance` of 月调度, 季座谈 and 半年培训 over all units (each unit holds most
  occasions, some late, some not) — the issue's goal, ≤ 1 s;
* :func:`compliance` of the monthly and quarterly statistical reports, every report naming
  its period (``for_period``), so the keyed path is timed;
* :func:`contact_compliance` of the quarterly key contact (重点对象联系) for ``P`` key persons
  (default 180,000, about ten per unit): home visits, calls and counter visits of one to three
  persons each, most by the person's own unit, some by the county, one in ten naming the
  quarter.

Prints a Markdown table (wall-clock and CPU time, best of ``--repeat`` runs); asserts no
time. Every run checks that each unit (or key person) gets one row per period of the year.
``--smoke`` runs it on 200 units and 1,000 persons, once, and prints no timing (the check
``make test`` runs, so that this script cannot rot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.cycles.calendar import calendar_for  # noqa: E402
from veteran_affairs.cycles.routines import (  # noqa: E402
    GUANGXI_PRESET,
    compliance,
    contact_compliance,
)
from veteran_affairs.identity import DivisionCode, ResidentId, check_character  # noqa: E402
from veteran_affairs.models.activity import Activity, ActivityKind  # noqa: E402

SPAN = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
AS_OF = dt.date(2025, 1, 31)
CYCLES = ("dispatch-meeting", "symposium", "training")
REPORTS = ("monthly-report", "quarterly-report")
CONTACT = "key-contact"
CALENDAR = calendar_for("45")


def units(n: int) -> list[DivisionCode]:
    """``n`` distinct village-level codes under 临桂区 and its neighbours."""
    return [
        DivisionCode(f"4503{12 + k // 100_000:02d}{100 + (k // 1000) % 100:03d}{k % 1000:03d}")
        for k in range(n)
    ]


def persons(n: int) -> list[ResidentId]:
    """``n`` distinct identity numbers issued in 临桂区 (born 1940 onwards, 20 a day)."""
    first = dt.date(1940, 1, 1)
    out = []
    for k in range(n):
        body = f"450312{first + dt.timedelta(days=k // 20):%Y%m%d}{k % 20 + 1:03d}"
        out.append(ResidentId(body + check_character(body)))
    return out


def _day_in_window(rng: random.Random, opens: dt.date, closes: dt.date) -> dt.date:
    return opens + dt.timedelta(days=rng.randrange((closes - opens).days + 1))


def activities(
    codes: list[DivisionCode], names: tuple[str, ...], seed: int = 2024
) -> list[Activity]:
    """Activities of ``names`` for every unit: most occasions held, some late, 10% not."""
    rng = random.Random(seed)
    out: list[Activity] = []
    for name in names:
        cycle = GUANGXI_PRESET[name]
        (kind,) = cycle.kinds
        keyed = kind is ActivityKind.STATISTICAL_REPORT
        occasions = [cycle.due.occasion(p, CALENDAR) for p in cycle.frequency.periods(*SPAN)]
        for unit in codes:
            for occ in occasions:
                if rng.random() < 0.1:
                    continue  # missed
                out.append(
                    Activity(
                        activity_id=f"{unit.value}-{name}-{len(out)}",
                        kind=kind,
                        unit=unit,
                        held_on=_day_in_window(rng, occ.opens, occ.closes),
                        for_period=str(occ.period) if keyed else None,
                    )
                )
    rng.shuffle(out)
    return out


def contacts(
    people: list[ResidentId], codes: list[DivisionCode], seed: int = 2024
) -> tuple[list[tuple[ResidentId, DivisionCode]], list[Activity]]:
    """Key persons with their units, and a year of contacts in rounds of one to three."""
    rng = random.Random(seed)
    pairs = [(person, codes[k % len(codes)]) for k, person in enumerate(people)]
    county = DivisionCode("450312")
    kinds = (ActivityKind.HOME_VISIT, ActivityKind.PHONE_CONTACT, ActivityKind.COUNTER_RECEPTION)
    cycle = GUANGXI_PRESET[CONTACT]
    out: list[Activity] = []
    for occ in (cycle.due.occasion(p, CALENDAR) for p in cycle.frequency.periods(*SPAN)):
        reached = [pair for pair in pairs if rng.random() >= 0.1]
        start = 0
        while start < len(reached):
            size = rng.randint(1, 3)
            group = reached[start : start + size]
            start += size
            unit = group[0][1] if rng.random() < 0.9 else county
            out.append(
                Activity(
                    activity_id=f"c{len(out)}",
                    kind=rng.choice(kinds),
                    unit=unit,
                    held_on=_day_in_window(rng, occ.opens, occ.closes),
                    contacts=tuple(dict.fromkeys(person for person, _ in group)),
                    for_period=str(occ.period) if rng.random() < 0.1 else None,
                )
            )
    rng.shuffle(out)
    return pairs, out


def best_of(repeat: int, runs: dict[str, Callable[[], int]]) -> dict[str, tuple[float, float, int]]:
    """Per name, the best wall-clock and CPU times of ``repeat`` runs and the rows returned;
    under ``""``, the best times of one run of them all in turn (not the sum of the bests).

    CPU time (:func:`time.process_time`) is this process's own: on a shared machine it is
    less disturbed by other jobs than the wall clock.
    """
    best: dict[str, tuple[float, float, int]] = {}
    whole_wall = whole_cpu = float("inf")
    for _ in range(repeat):
        total_wall = total_cpu = 0.0
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            rows = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            total_wall += wall
            total_cpu += cpu
            old_wall, old_cpu, _ = best.get(name, (float("inf"), float("inf"), 0))
            best[name] = (min(old_wall, wall), min(old_cpu, cpu), rows)
        whole_wall, whole_cpu = min(whole_wall, total_wall), min(whole_cpu, total_cpu)
    best[""] = (whole_wall, whole_cpu, sum(rows for _, _, rows in best.values()))
    return best


def _unit_run(name: str, records: list[Activity], codes: list[DivisionCode]) -> Callable[[], int]:
    cycle = GUANGXI_PRESET[name]
    return lambda: len(compliance(cycle, records, codes, SPAN, AS_OF, CALENDAR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=17_624)
    parser.add_argument("--persons", type=int, default=180_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--smoke", action="store_true", help="200 units, 1,000 persons, once; prints no timing"
    )
    args = parser.parse_args()
    if args.smoke:
        args.units, args.persons, args.repeat = 200, 1_000, 1

    # Each part builds its own records and drops them before the next, so that the records
    # of one do not weigh on the garbage collector while another is timed.
    codes = units(args.units)
    table: list[tuple[str, int, int, int, float, float]] = []

    meetings = activities(codes, CYCLES)
    timed = best_of(args.repeat, {name: _unit_run(name, meetings, codes) for name in CYCLES})
    for name in CYCLES:
        wall, cpu, rows = timed[name]
        table.append((f"compliance {name}", len(codes), len(meetings), rows, wall, cpu))
    wall, cpu, rows = timed[""]
    table.append(("**3 cycles, one year**", len(codes), len(meetings), rows, wall, cpu))
    del meetings, timed
    gc.collect()

    reports = activities(codes, REPORTS)
    timed = best_of(args.repeat, {name: _unit_run(name, reports, codes) for name in REPORTS})
    for name in REPORTS:
        wall, cpu, rows = timed[name]
        what = f"compliance {name}, every report keyed"
        table.append((what, len(codes), len(reports), rows, wall, cpu))
    del reports, timed
    gc.collect()

    pairs, calls = contacts(persons(args.persons), codes)
    key_contact = GUANGXI_PRESET[CONTACT]
    timed = best_of(
        args.repeat,
        {
            CONTACT: lambda: len(
                contact_compliance(key_contact, calls, pairs, SPAN, AS_OF, CALENDAR)
            )
        },
    )
    wall, cpu, rows = timed[CONTACT]
    what = f"contact_compliance {CONTACT}, {len(pairs):,} persons"
    table.append((what, len(codes), len(calls), rows, wall, cpu))

    # One row per unit (per key person for the contact) and period of the year.
    def expected(*names: str) -> int:
        return sum(
            (len(pairs) if name == CONTACT else len(codes))
            * len(list(GUANGXI_PRESET[name].frequency.periods(*SPAN)))
            for name in names
        )

    counts = [expected(n) for n in CYCLES]
    counts += [expected(*CYCLES), *(expected(n) for n in REPORTS), expected(CONTACT)]
    for (what, _, _, n_rows, _, _), count in zip(table, counts, strict=True):
        if n_rows != count:
            raise SystemExit(f"{what}: {n_rows:,} rows, expected {count:,}")
    if args.smoke:
        print(
            f"bench_routines smoke: {len(codes):,} units, {len(pairs):,} persons, "
            f"{len(table)} row counts checked"
        )
        return

    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.system()})\n")
    print(f"| what | units | activities | rows | wall, best of {args.repeat} (s) | CPU (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for what, n_units, n_activities, n_rows, wall, cpu in table:
        print(f"| {what} | {n_units:,} | {n_activities:,} | {n_rows:,} | {wall:.3f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
