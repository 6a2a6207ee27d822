"""``veteran-affairs import`` and ``export``: all or nothing, rejects, masking, round trip."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from veteran_affairs import cli
from veteran_affairs.cli import ExitCode
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rosters import ROSTER_HEADER, read_roster, synthetic_roster, write_table

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


def _by_id(veterans: tuple[Veteran, ...]) -> list[Veteran]:
    return sorted(veterans, key=lambda v: v.resident_id.unmasked)


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
    assert ExitCode.PARTIAL == status == 3
    assert f"{ROWS - PLANTED:,} of {ROWS:,} rows imported" in out
    assert ROWS - PLANTED == len(_stored(store))
    assert sorted(planted) == [int(row["行号"]) for row in rejected]
    assert all(row["错误原因"] for row in rejected)


def test_importing_the_same_persons_again_is_refused_whole(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = roster
    store = tmp_path / "county.sqlite"
    assert 3 == cli.main(["import", str(path), "--store", str(store), "--skip-invalid"])
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
    assert 3 == cli.main(["import", str(path), "--store", str(store), "--skip-invalid"])
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


# --- the header, exit status 3, --json -----------------------------------------------------------


def _without(
    header: tuple[str, ...], rows: list[list[str]], dropped: str
) -> tuple[list[str], list[list[str]]]:
    keep = [i for i, h in enumerate(header) if h != dropped]
    return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


@pytest.mark.parametrize("skip", [[], ["--skip-invalid"]])
def test_a_required_column_missing_fails_and_writes_nothing_even_when_skipping(
    skip: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows, _ = synthetic_roster(5, seed=2)
    path, store = tmp_path / "roster.csv", tmp_path / "county.sqlite"
    write_table(path, *_without(header, rows, "公民身份号码"))

    status = cli.main(["import", str(path), "--store", str(store), *skip])

    err = capsys.readouterr().err
    assert 1 == status
    assert "row 1, 公民身份号码=None: required column missing" in err
    assert "nothing was written" in err
    assert not store.exists()
    assert [] == list(tmp_path.glob("*.rejects.csv"))


@pytest.mark.parametrize("skip", [[], ["--skip-invalid"]])
def test_an_empty_roster_fails_and_writes_nothing(
    skip: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, store = tmp_path / "empty.csv", tmp_path / "county.sqlite"
    path.write_bytes(b"")

    status = cli.main(["import", str(path), "--store", str(store), *skip])

    assert 1 == status
    assert "no header row" in capsys.readouterr().err
    assert not store.exists()


def test_skip_invalid_with_every_row_valid_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows, _ = synthetic_roster(20, seed=4)
    path, store = tmp_path / "roster.csv", tmp_path / "county.sqlite"
    write_table(path, header, rows)

    status = cli.main(["import", str(path), "--store", str(store), "--skip-invalid"])

    assert ExitCode.OK == status
    assert "20 of 20 rows imported" in capsys.readouterr().out
    assert not path.with_name("roster.rejects.csv").exists()


def test_import_json_counts_rows_and_names_the_rejects_file(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, planted = roster
    store, rejects = tmp_path / "county.sqlite", tmp_path / "rejects.csv"
    argv = ["import", str(path), "--store", str(store), "--skip-invalid"]

    status = cli.main([*argv, "--rejects", str(rejects), "--json"])

    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout holds the JSON document and nothing else
    assert 3 == status == summary["status"]
    assert (ROWS, ROWS - PLANTED, PLANTED) == (
        summary["rows_read"],
        summary["imported"],
        summary["rejected"],
    )
    assert (str(rejects), str(store)) == (summary["rejects"], summary["store"])
    assert sorted(planted) == sorted({e["row"] for e in summary["errors"]})
    assert {"row", "column", "value", "reason", "reason_zh"} == set(summary["errors"][0])
    assert FULL_ID.search(captured.out) is None  # error values are masked
    assert "rows imported" in captured.err
    assert "rejected" in captured.err


def test_import_json_of_a_refused_roster_says_nothing_was_imported(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = roster
    store = tmp_path / "county.sqlite"

    status = cli.main(["import", str(path), "--store", str(store), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert 1 == status == summary["status"]
    assert (0, PLANTED, None) == (summary["imported"], summary["rejected"], summary["rejects"])
    assert not store.exists()


def test_import_json_of_a_clean_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header, rows, _ = synthetic_roster(5, seed=6)
    path, store = tmp_path / "roster.csv", tmp_path / "county.sqlite"
    write_table(path, header, rows)

    status = cli.main(["import", str(path), "--store", str(store), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert 0 == status == summary["status"]
    assert (5, 5, 0, None, []) == (
        summary["rows_read"],
        summary["imported"],
        summary["rejected"],
        summary["rejects"],
        summary["errors"],
    )


# --- typed workbooks and byte-order marks -------------------------------------------------------


def test_an_exported_workbook_has_date_cells_and_keeps_codes_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows, _ = synthetic_roster(50, seed=9)
    source, store, out = tmp_path / "in.csv", tmp_path / "s.sqlite", tmp_path / "out.xlsx"
    write_table(source, header, rows)
    assert 0 == cli.main(["import", str(source), "--store", str(store)])
    assert 0 == cli.main(
        ["export", "--store", str(store), "--out", str(out), "--include-personal-data"]
    )
    capsys.readouterr()

    sheet = openpyxl.load_workbook(out).worksheets[0]
    lines = list(sheet.iter_rows())
    column = {cell.value: i for i, cell in enumerate(lines[0])}
    body = lines[1:]

    assert list(ROSTER_HEADER) == [cell.value for cell in lines[0]]
    for text in ("公民身份号码", "联系电话", "户籍地"):
        cells = [row[column[text]] for row in body if row[column[text]].value is not None]
        assert cells
        assert {"s"} == {cell.data_type for cell in cells}, text
    assert all(FULL_ID.fullmatch(str(row[column["公民身份号码"]].value)) for row in body)
    for date in ("出生日期", "入伍时间", "退役时间"):
        cells = [row[column[date]] for row in body]
        assert {"d"} == {cell.data_type for cell in cells}, date
        assert {"yyyy-mm-dd"} == {cell.number_format for cell in cells}, date
        assert all(isinstance(cell.value, dt.datetime) for cell in cells)
    assert _by_id(read_roster(source).veterans) == _by_id(read_roster(out).veterans)


def test_every_csv_file_import_and_export_write_starts_with_a_byte_order_mark(
    roster: tuple[Path, dict[int, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = roster
    store, rejects, exported = tmp_path / "s.sqlite", tmp_path / "r.csv", tmp_path / "e.csv"
    argv = ["import", str(path), "--store", str(store), "--skip-invalid"]
    assert 3 == cli.main([*argv, "--rejects", str(rejects)])
    assert 0 == cli.main(["export", "--store", str(store), "--out", str(exported)])
    capsys.readouterr()

    assert all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in (rejects, exported))
