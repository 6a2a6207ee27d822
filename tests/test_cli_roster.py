"""``veteran-affairs import`` and ``export``: all or nothing, rejects, masking, round trip."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from veteran_affairs import cli
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rosters import synthetic_roster, write_table

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")
ROWS, PLANTED = 10_000, 50


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str]]:
    """A generated 10,000-row roster with 50 planted errors, as CSV."""
    folder = tmp_path_factory.mktemp("roster")
    header, rows, planted = synthetic_roster(ROWS, seed=8, errors=PLANTED)
    path = folder / "roster.csv"
    write_table(path, header, rows)
    return path, dict(planted)


def _reported_rows(err: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for match in re.finditer(r"^  row (\d+), (\S+?)=", err, flags=re.MULTILINE):
        found.setdefault(int(match.group(1)), match.group(2))
    return found


def _stored(path: Path) -> list[Veteran]:
    with SqliteStore(path).unit_of_work(actor="test") as work:
        return [p for p in work.persons.find() if isinstance(p, Veteran)]


def test_an_invalid_roster_reports_exactly_the_planted_rows_and_writes_nothing(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, planted = roster
    store = tmp_path / "county.sqlite"
    status = cli.main(["import", str(path), "--store", str(store)])
    err = capsys.readouterr().err
    assert 1 == status
    assert planted == _reported_rows(err)  # each planted row, at the planted column
    assert "nothing was written" in err
    assert not store.exists()
    assert FULL_ID.search(err) is None


def test_skip_invalid_writes_the_valid_rows_and_a_rejects_file(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, planted = roster
    store, rejects = tmp_path / "county.sqlite", tmp_path / "rejects.csv"
    status = cli.main(
        ["import", str(path), "--store", str(store), "--skip-invalid", "--rejects", str(rejects)]
    )
    out = capsys.readouterr().out
    rejected = list(csv.DictReader(rejects.read_text(encoding="utf-8-sig").splitlines()))
    assert 0 == status
    assert f"{ROWS - PLANTED:,} of {ROWS:,} rows imported" in out
    assert ROWS - PLANTED == len(_stored(store))
    assert sorted(planted) == [int(row["行号"]) for row in rejected]
    assert all(row["错误原因"] for row in rejected)


def test_importing_the_same_persons_again_is_refused_whole(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = roster
    store = tmp_path / "county.sqlite"
    assert 0 == cli.main(["import", str(path), "--store", str(store), "--skip-invalid"])
    before = len(_stored(store))
    capsys.readouterr()
    assert 1 == cli.main(["import", str(path), "--store", str(store)])
    assert "already in the store" in capsys.readouterr().err
    assert before == len(_stored(store))


def test_export_masks_by_default_and_round_trips_with_personal_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows, _ = synthetic_roster(200, seed=3)
    source, first, second = tmp_path / "in.csv", tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    write_table(source, header, rows)
    assert 0 == cli.main(["import", str(source), "--store", str(first)])
    masked, full = tmp_path / "masked.csv", tmp_path / "full.xlsx"
    assert 0 == cli.main(["export", "--store", str(first), "--out", str(masked)])
    assert 0 == cli.main(
        ["export", "--store", str(first), "--out", str(full), "--include-personal-data"]
    )
    assert 0 == cli.main(["import", str(full), "--store", str(second)])
    capsys.readouterr()
    assert FULL_ID.search(masked.read_text(encoding="utf-8-sig")) is None
    assert _stored(first) == _stored(second)


def test_export_within_a_county_writes_only_its_veterans(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = roster
    store, out = tmp_path / "county.sqlite", tmp_path / "lingui.csv"
    assert 0 == cli.main(["import", str(path), "--store", str(store), "--skip-invalid"])
    assert 0 == cli.main(
        [
            "export",
            "--store",
            str(store),
            "--out",
            str(out),
            "--within",
            "450312",
            "--include-personal-data",
        ]
    )
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    expected = sum(1 for v in _stored(store) if v.person.hukou_division.short.startswith("450312"))
    assert expected == len(rows)
    assert all(row["户籍地"].startswith("450312") for row in rows)


def test_a_missing_roster_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["import", str(tmp_path / "none.csv"), "--store", str(tmp_path / "s")])
    assert 1 == status
    assert "does not exist" in capsys.readouterr().err


def test_an_unreadable_roster_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\xff" * 50)
    status = cli.main(["import", str(junk), "--store", str(tmp_path / "s.sqlite")])
    assert 1 == status
    assert "veteran-affairs: error:" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite").exists()
