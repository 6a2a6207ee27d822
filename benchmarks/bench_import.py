"""Benchmark of a roster import: ``veteran-affairs import`` of a large CSV roster.

Run with ``python benchmarks/bench_import.py [--n N] [--repeat R]``. It writes a CSV roster
of ``N`` veterans (default one million; made-up people, valid in form: identity numbers
with their check character, real Guangxi township codes, dates in the four text forms
offices use) once, then runs the command ``veteran-affairs import ROSTER --store NEW.sqlite``
in a child process ``R`` times, each into a new store, and reports the wall time, the
child's CPU time and its peak resident memory (``ru_maxrss``), and the rows in the store.
Prints the machine and a Markdown row for ``docs/benchmarks.md``. Nothing here asserts a
time: tests never time anything.

``--smoke`` runs it with 2,000 rows and one repeat, checks that every row arrived and prints
no timing (the check ``make test`` runs, so that this script cannot rot). Any run stops with
an error when an import fails or loses rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs import divisions  # noqa: E402
from veteran_affairs.identity import DivisionLevel, check_character  # noqa: E402
from veteran_affairs.rosters import ROSTER_HEADER  # noqa: E402

_NAMES = ("合成建国", "合成秀兰", "合成志强", "合成丽华", "合成卫东", "合成秀英", "合成海军")
_KINDS = (
    ("义务兵", "自主就业", ""),
    ("士官", "自主就业", "初级"),
    ("士官", "逐月领取退役金", "高级"),
    ("军官", "转业", ""),
)
_FORMS = ("{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y年%m月%d日}", "{:%Y%m%d}")


def townships() -> list[str]:
    """Every bundled Guangxi township's 9-digit code."""
    return [
        d.code.value[:9]
        for d in divisions.bundled(province="45")
        if d.code.level is DivisionLevel.TOWNSHIP
    ]


def write_roster(path: Path, n: int) -> None:
    """A CSV roster of ``n`` distinct made-up veterans (UTF-8 with a byte-order mark)."""
    places = townships()
    first_birth = dt.date(1950, 1, 1)
    header = list(ROSTER_HEADER)
    at = {column: header.index(column) for column in header}
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for number in range(n):
            born = first_birth + dt.timedelta(days=number // 900 % 18_000)
            body = f"450312{born:%Y%m%d}{number % 900:03d}"
            rid = body + check_character(body)
            personnel, mode, rank = _KINDS[number % len(_KINDS)]
            enlisted = dt.date(born.year + 18, 9, 1 + number % 28)
            discharged = dt.date(born.year + 23, 12, 1 + number % 28)
            form = _FORMS[number % len(_FORMS)]
            row = [""] * len(header)
            row[at["姓名"]] = _NAMES[number % len(_NAMES)]
            row[at["公民身份号码"]] = rid
            row[at["性别"]] = "男" if int(body[16]) % 2 else "女"
            row[at["户籍地"]] = places[number % len(places)]
            row[at["户口性质"]] = "农村" if number % 3 else "城镇"
            row[at["入伍时间"]] = form.format(enlisted)
            row[at["退役时间"]] = form.format(discharged)
            row[at["人员类别"]] = personnel
            row[at["退役方式"]] = mode
            row[at["士官级别"]] = rank
            writer.writerow(row)


def run_import(roster: Path, store: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one import; the exit status."""
    command = [
        sys.executable,
        "-m",
        "veteran_affairs",
        "import",
        str(roster),
        "--store",
        str(store),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss, done.returncode


def stored(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM persons").fetchone()[0])
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 rows, once, checked; prints no timing"
    )
    args = parser.parse_args()
    n, repeat = (2_000, 1) if args.smoke else (args.n, args.repeat)
    if not args.smoke:
        print(f"- date: {dt.date.today()}")
        print(
            f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.machine()}, CPUs: {os.cpu_count()}; n = {n:,}",
            flush=True,
        )
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        start = time.perf_counter()
        write_roster(roster, n)
        size = roster.stat().st_size
        if not args.smoke:
            print(
                f"- roster written in {time.perf_counter() - start:.1f} s, {size / 2**20:.0f} MiB"
            )
            print("\n| rows | wall | CPU | peak RSS | stored |\n| --- | --- | --- | --- | --- |")
        for attempt in range(repeat):
            store = Path(folder) / f"store-{attempt}.sqlite"
            wall, cpu, peak, status = run_import(roster, store)
            count = stored(store) if status == 0 else 0
            if status != 0 or count != n:
                sys.exit(f"the import failed: status {status}, {count:,} of {n:,} rows stored")
            if not args.smoke:
                print(
                    f"| {n:,} | {wall:.1f} s | {cpu:.1f} s | {peak / 1024:.0f} MiB | {count:,} |",
                    flush=True,
                )
            store.unlink()
    if args.smoke:
        print(f"bench_import smoke: {n:,} rows imported and stored")


if __name__ == "__main__":
    main()
