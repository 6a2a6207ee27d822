"""Benchmarks of the SQLite store: bulk load, get by id, subtree query of one county.

Run with ``python benchmarks/bench_store.py [--n N] [--batch B]``. Prints the machine and a
Markdown table ready to paste into ``docs/howto-store.md`` and ``docs/benchmarks.md``.
Nothing here asserts a time: tests never time anything.

What is measured (``--n`` veterans, default one million, in 100 counties of ``N / 100``):

* **bulk load** — ``SqliteStore.bulk_add`` of ``N`` veterans built beforehand (the clock
  sees conversion to rows, SQL and the audit entries, not building the models), into a new
  file, ``--batch`` per transaction; wall time, with the process's CPU time in the notes
  (on a shared machine the gap is time spent waiting for a core or for the disk);
* **get by id** — ``uow.persons.get(resident_id)`` for 1,000 random veterans, one unit of work;
* **subtree count** — ``uow.persons.count(within=county)``, ``SELECT COUNT(*)`` on the range;
* **subtree query** — ``list(uow.persons.find(within=county))``: every veteran of one county
  read back into models (built by the store's trusted constructors, see ``_mappers``);
* **subtree summaries** — ``list(uow.persons.summaries(within=county))``: the same persons as
  lightweight ``PersonSummary`` rows, no model built.

Every run checks what it reads: each veteran got by id equals the one stored, and the county
holds its share of the veterans in all three queries. ``--smoke`` does it all with 2,000
veterans and prints no timing (the check ``make test`` runs, so that this script cannot rot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.identity import DivisionCode, ResidentId, check_character  # noqa: E402
from veteran_affairs.models import (  # noqa: E402
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    Person,
    PersonnelType,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.repositories import SqliteStore  # noqa: E402

_NAMES = ("韦建国", "黄秀兰", "覃志强", "莫丽华", "蒙卫东", "李秀英", "陆海军", "梁红梅")
_SERVICE = ServiceRecord(
    enlisted_on=dt.date(1988, 12, 1),
    personnel_type=PersonnelType.CONSCRIPT,
    discharged_on=dt.date(1992, 12, 1),
    discharge_mode=DischargeMode.SELF_EMPLOYMENT,
)
_STATUS = (EntitlementStatus(category=EntitlementCategory.VETERAN, since=dt.date(1992, 12, 1)),)


def county(index: int) -> str:
    """The 6-digit code of county ``index`` (0–99): 4501xx and 4502xx, xx from 01 to 50."""
    return f"450{1 + index // 50}{1 + index % 50:02d}"


def in_county(n: int, index: int) -> int:
    """How many of ``veterans(n)`` live in county ``index`` (every hundredth)."""
    return len(range(index, n, 100))


def veterans(n: int) -> list[Veteran]:
    """``n`` veterans, spread evenly over 100 counties, 10 townships and 10 villages each."""
    built = []
    first_birth = dt.date(1950, 1, 1)
    for number in range(n):
        born = first_birth + dt.timedelta(days=number // 500 % 7000)
        body = f"450312{born:%Y%m%d}{number % 500:03d}"
        where = county(number % 100) + f"{101 + number // 100 % 10}{201 + number // 1000 % 10}"
        built.append(
            Veteran(
                person=Person(
                    resident_id=ResidentId(body + check_character(body)),
                    name=_NAMES[number % len(_NAMES)],
                    hukou_division=DivisionCode(where),
                    hukou_type=HukouType.RURAL,
                ),
                service=_SERVICE,
                statuses=_STATUS,
            )
        )
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 veterans, checked; prints no timing"
    )
    args = parser.parse_args()
    if args.smoke:
        args.n, args.batch = 2_000, 500

    if not args.smoke:
        print(f"- date: {dt.date.today()}")
        print(
            f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.machine()}"
        )
        print(f"- CPUs: {os.cpu_count()}; n = {args.n:,}, batch = {args.batch:,}", flush=True)
    start = time.perf_counter()
    people = veterans(args.n)
    built = time.perf_counter() - start
    unique = len({v.person.resident_id for v in people})
    if unique != args.n:
        raise SystemExit(f"{args.n - unique} duplicate identity numbers")
    rows = []

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "province.db"
        store = SqliteStore(path)
        start, cpu = time.perf_counter(), time.process_time()
        store.bulk_add(people, actor="bench", batch_size=args.batch)
        load, cpu = time.perf_counter() - start, time.process_time() - cpu
        wal = Path(str(path) + "-wal")
        size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        rows.append(("build the veterans (not part of the load)", args.n, built, ""))
        rows.append(
            (
                "bulk load into a new file",
                args.n,
                load,
                f"file {size / 2**20:,.0f} MiB; CPU {cpu:.1f} s",
            )
        )

        picks = random.Random(7).sample(people, min(1000, args.n))
        with store.unit_of_work(actor="bench") as uow:
            start = time.perf_counter()
            got = [uow.persons.get(veteran.person.resident_id) for veteran in picks]
            rows.append(("get by id", len(picks), time.perf_counter() - start, ""))
            if got != picks:
                raise SystemExit("a veteran read back by id differs from the one stored")

            one = DivisionCode(county(37))
            best_count = best_find = best_rows = float("inf")
            found = 0
            for _ in range(3):
                start = time.perf_counter()
                counted = uow.persons.count(within=one)
                best_count = min(best_count, time.perf_counter() - start)
                start = time.perf_counter()
                found = len(list(uow.persons.find(within=one)))
                best_find = min(best_find, time.perf_counter() - start)
                start = time.perf_counter()
                summarised = len(list(uow.persons.summaries(within=one)))
                best_rows = min(best_rows, time.perf_counter() - start)
            if not counted == found == summarised == in_county(args.n, 37):
                raise SystemExit(
                    f"county {one.short}: counted {counted}, found {found}, summarised "
                    f"{summarised}, expected {in_county(args.n, 37)}"
                )
            rows.append((f"subtree count, county {one.short}", found, best_count, "best of 3"))
            rows.append((f"subtree query, county {one.short}", found, best_find, "best of 3"))
            rows.append((f"subtree summaries, county {one.short}", found, best_rows, "best of 3"))

    if args.smoke:
        print(f"bench_store smoke: {args.n:,} veterans stored, read back and counted")
        return
    print()
    print("| benchmark | items | total (s) | per item (µs) | notes |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, items, seconds, note in rows:
        print(f"| {name} | {items:,} | {seconds:.3f} | {seconds / items * 1e6:.1f} | {note} |")


if __name__ == "__main__":
    main()
