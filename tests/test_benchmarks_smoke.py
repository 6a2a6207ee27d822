"""Every benchmark script runs in its smoke mode, so that no benchmark can rot (issue 20).

A script's ``--smoke`` mode runs its whole path on tiny sizes, once, checks its own results
(equal paths, row counts, round trips) and exits non-zero on a mismatch; it prints one line,
``<script> smoke: …``, and no timing. Each script runs in a subprocess, as ``make bench``
runs it. Scripts that need an optional extra are skipped without it; ``bench_postgres``
(no PostgreSQL server) and ``bench_openfisca`` (its OpenFisca environment cannot be made, e.g.
offline) exit with status 3 and are skipped with their reason. Nothing here is timed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SCRIPTS = sorted(path.stem for path in BENCHMARKS.glob("bench_*.py"))
KNOWN = (
    "bench_dask",
    "bench_foundation",
    "bench_hierarchy",
    "bench_import",
    "bench_openfisca",
    "bench_postgres",
    "bench_routines",
    "bench_rules",
    "bench_store",
    "bench_synthetic",
)
# Optional extras a script imports (the `batch`, `pandas`, `dask` and `postgres` extras).
NEEDS: dict[str, tuple[str, ...]] = {
    "bench_dask": ("numpy", "pandas", "dask", "distributed"),
    "bench_hierarchy": ("numpy",),
    "bench_openfisca": ("numpy", "pandas"),
    "bench_postgres": ("psycopg",),
    "bench_rules": ("numpy",),
}
UNAVAILABLE = 3  # the exit status of a script whose server or environment cannot be had
MAY_BE_UNAVAILABLE = frozenset({"bench_postgres", "bench_openfisca"})
TIMING = re.compile(r"\d\s?(?:s|ms|µs|ns)\b|per second|/s\b")


def test_every_benchmark_script_is_found() -> None:
    assert set(KNOWN) <= set(SCRIPTS)


def test_make_bench_runs_every_benchmark_script() -> None:
    makefile = (ROOT / "Makefile").read_text()
    found = re.search(r"^BENCHMARKS := (.*)$", makefile, re.MULTILINE)
    assert found is not None
    assert SCRIPTS == sorted(f"bench_{name}" for name in found.group(1).split())


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_script_passes_its_own_checks_in_smoke_mode(script: str) -> None:
    for module in NEEDS.get(script, ()):
        pytest.importorskip(module)
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py"), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    if done.returncode == UNAVAILABLE and script in MAY_BE_UNAVAILABLE:
        reason = done.stderr.strip().splitlines() or ["no reason given"]
        pytest.skip(f"{script}: {reason[-1]}")
    assert 0 == done.returncode, f"{script} --smoke failed:\n{done.stdout}\n{done.stderr}"
    lines = done.stdout.strip().splitlines()
    assert [f"{script} smoke"] == [line.split(":", 1)[0] for line in lines]
    assert None is TIMING.search(done.stdout), f"a timing in the smoke output: {done.stdout}"
