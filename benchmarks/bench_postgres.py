"""Benchmarks of the PostgreSQL store: bulk load and a county's subtree, beside SQLite's.

Run with ``python benchmarks/bench_postgres.py [--n N] [--batch B]``. The veterans are
those of ``bench_store.py`` (imported from it, so both stores get the same data); the
server is ``VA_POSTGRES_DSN`` if set, else a throw-away cluster with PostgreSQL's default,
crash-safe settings (``fsync`` and ``synchronous_commit`` on) on a Unix socket, deleted
afterwards. Prints a Markdown table for ``docs/benchmarks.md``. Nothing here asserts a time.

What is measured (``--n`` veterans, default one million, in 100 counties of ``N / 100``):

* **bulk load** — ``PostgresStore.bulk_add`` into a new schema, ``--batch`` per transaction,
  each batch written with ``COPY`` (audit entries included);
* **get by id** — ``uow.persons.get`` for 1,000 random veterans, one unit of work;
* **subtree count / query / summaries** — one county, as in ``bench_store.py``, best of 3.

Every run checks what it reads (as ``bench_store.py``) and drops its schema at the end.
``--smoke`` does it all with 2,000 veterans and prints no timing (the check ``make test``
runs, so that this script cannot rot); it exits with status 3 when no server can be had
(``ServerUnavailable``: PostgreSQL is not installed), which the smoke test reports as a skip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT / "src"))
sys.path.insert(0, str(_ROOT))
sys.path.insert(0, str(_ROOT / "benchmarks"))

import psycopg  # noqa: E402
from bench_store import county, in_county, veterans  # noqa: E402
from tests.repositories.postgres_server import ServerUnavailable, postgres_dsn  # noqa: E402

from veteran_affairs.identity import DivisionCode  # noqa: E402
from veteran_affairs.repositories.postgres import PostgresStore  # noqa: E402

NO_SERVER = 3  # the exit status when no server can be had


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
    try:
        run(args.n, args.batch, smoke=args.smoke)
    except ServerUnavailable as error:
        print(f"no PostgreSQL server: {error}", file=sys.stderr)
        raise SystemExit(NO_SERVER) from None


def run(n: int, batch: int, *, smoke: bool) -> None:
    if not smoke:
        print(f"- date: {dt.date.today()}")
        print(
            f"- Python {platform.python_version()}, psycopg {psycopg.__version__}, "
            f"{platform.machine()}"
        )
        print(f"- CPUs: {os.cpu_count()}; n = {n:,}, batch = {batch:,}", flush=True)
    start = time.perf_counter()
    people = veterans(n)
    built = time.perf_counter() - start
    rows = [("build the veterans (not part of the load)", n, built, "")]

    with postgres_dsn(durable=True) as dsn:
        with psycopg.connect(dsn) as connection:
            server = connection.info.parameter_status("server_version")
        if not smoke:
            print(f"- PostgreSQL {server}", flush=True)
        schema = f"bench_{os.getpid()}"
        store = PostgresStore(dsn, schema=schema)
        start = time.perf_counter()
        store.bulk_add(people, actor="bench", batch_size=batch)
        load = time.perf_counter() - start
        with psycopg.connect(dsn) as connection:
            found = connection.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class AS c "
                "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r'",
                (schema,),
            ).fetchone()
            connection.execute(f"ANALYZE {schema}.persons")
        size = 0 if found is None or found[0] is None else int(found[0])
        rows.append(("bulk load into a new schema", n, load, f"tables {size / 2**20:,.0f} MiB"))

        picks = random.Random(7).sample(people, min(1000, n))
        with store.unit_of_work(actor="bench") as uow:
            start = time.perf_counter()
            got = [uow.persons.get(veteran.person.resident_id) for veteran in picks]
            rows.append(("get by id", len(picks), time.perf_counter() - start, ""))
            if got != picks:
                raise SystemExit("a veteran read back by id differs from the one stored")

            one = DivisionCode(county(37))
            best_count = best_find = best_rows = float("inf")
            counted = listed = summarised = 0
            for _ in range(3):
                start = time.perf_counter()
                counted = uow.persons.count(within=one)
                best_count = min(best_count, time.perf_counter() - start)
                start = time.perf_counter()
                listed = len(list(uow.persons.find(within=one)))
                best_find = min(best_find, time.perf_counter() - start)
                start = time.perf_counter()
                summarised = len(list(uow.persons.summaries(within=one)))
                best_rows = min(best_rows, time.perf_counter() - start)
            if not counted == listed == summarised == in_county(n, 37):
                raise SystemExit(
                    f"county {one.short}: counted {counted}, found {listed}, summarised "
                    f"{summarised}, expected {in_county(n, 37)}"
                )
            rows.append((f"subtree count, county {one.short}", listed, best_count, "best of 3"))
            rows.append((f"subtree query, county {one.short}", listed, best_find, "best of 3"))
            rows.append((f"subtree summaries, county {one.short}", listed, best_rows, "best of 3"))
        store.close()
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

    if smoke:
        print(f"bench_postgres smoke: {n:,} veterans stored, read back and counted")
        return
    print()
    print("| benchmark | items | total (s) | per item (µs) | notes |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, items, seconds, note in rows:
        print(f"| {name} | {items:,} | {seconds:.3f} | {seconds / items * 1e6:.1f} | {note} |")


if __name__ == "__main__":
    main()
