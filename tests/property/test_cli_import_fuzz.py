"""Fuzzing ``veteran-affairs import``: garbage in gives exit status 1 and an untouched store.

Whatever the file holds — random bytes, random cells under the right headers — the command
returns 0 or 1 (never a traceback), and with 1 the store holds exactly what it held before.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veteran_affairs import cli
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rosters import ROSTER_HEADER, synthetic_roster, write_table

_FOLDER = Path(tempfile.mkdtemp(prefix="cli-import-fuzz-"))
_STORE = _FOLDER / "store.sqlite"
_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _store_with_three() -> int:
    if not _STORE.exists():
        header, rows, _ = synthetic_roster(3, seed=5)
        seed = _FOLDER / "seed.csv"
        write_table(seed, header, rows)
        assert 0 == _run(["import", str(seed), "--store", str(_STORE)])
    return _count()


def _count() -> int:
    with SqliteStore(_STORE).unit_of_work(actor="test") as work:
        return work.persons.count()


def _run(argv: list[str]) -> int:
    return _run_with_output(argv)[0]


def _run_with_output(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    if status == 1:
        assert err.getvalue().strip(), "a failure always says why"
    return status, out.getvalue()


@_SETTINGS
@given(st.binary(max_size=2_000), st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_never_crash_and_never_write(data: bytes, suffix: str) -> None:
    before = _store_with_three()
    roster = _FOLDER / f"random{suffix}"
    roster.write_bytes(data)
    status = _run(["import", str(roster), "--store", str(_STORE)])
    assert status in (0, 1)
    if status == 1:
        assert before == _count()


_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "男", "女", "农村", "城镇", "义务兵", "士官", "自主就业", "2021-01-06"]),
    st.from_regex(r"\d{6,18}", fullmatch=True),
)


@_SETTINGS
@given(st.lists(st.lists(_CELL, min_size=len(ROSTER_HEADER), max_size=len(ROSTER_HEADER)),
                min_size=1, max_size=5))  # fmt: skip
def test_random_cells_are_all_or_nothing(rows: list[list[str]]) -> None:
    before = _store_with_three()
    roster = _FOLDER / "cells.csv"
    write_table(roster, list(ROSTER_HEADER), rows)
    status, out = _run_with_output(["import", str(roster), "--store", str(_STORE)])
    assert status in (0, 1)
    after = _count()
    if status == 1:
        assert before == after
    else:  # every row valid (blank rows are skipped): all of them added
        imported, read = (
            int(n.replace(",", "")) for n in out.split(" rows imported")[0].split(" of ")
        )
        assert imported == read <= len(rows)
        assert before + imported == after


@_SETTINGS
@given(
    st.integers(min_value=10, max_value=10_000),
    st.lists(_CELL, min_size=len(ROSTER_HEADER), max_size=len(ROSTER_HEADER)),
    st.integers(min_value=0, max_value=3),
)
def test_one_random_row_among_valid_ones_stops_them_all(
    seed: int, random_row: list[str], where: int
) -> None:
    before = _store_with_three()
    header, rows, _ = synthetic_roster(3, seed=seed)
    rows.insert(where, [*random_row, ""])  # the synthetic header has a last column, 备注
    roster = _FOLDER / "mixed.csv"
    write_table(roster, header, rows)
    status, out = _run_with_output(["import", str(roster), "--store", str(_STORE)])
    after = _count()
    assert status in (0, 1)
    if status == 1:
        assert before == after  # the three valid rows were not written either
    else:
        assert after - before == int(out.split(" of ")[0].replace(",", ""))
