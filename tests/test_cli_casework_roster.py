"""``import`` and ``export`` of the casework registers: a petitions register in and out.

A register imported into a new store stays there (a store holding only casework records is
not empty); ``export --kind petitions`` gives it back equal, masked unless
``--include-personal-data``; a workbook export carries a sheet per register that ``import``
reads back; ``--update`` with a ``版本`` column corrects a petition and refuses one changed
since; a bad row writes nothing, or goes to the rejects file with ``--skip-invalid``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.test_roster_casework import (
    ASSIGNMENT,
    LEGACY,
    PETITION,
    PETITION_REGISTERED,
    PETITIONER_ID,
    TALK,
    VETERAN_ID,
)
from veteran_affairs import cli
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition, PetitionStatus
from veteran_affairs.cli import _ROSTER_KINDS
from veteran_affairs.cli._common import ExitCode
from veteran_affairs.repositories import AuditAction, SqliteStore
from veteran_affairs.rosters import RosterKind, read_roster, write_table, write_workbook

P = RosterKind.PETITIONS


def _csv(path: Path, kind: RosterKind, rows: list[dict[str, str]]) -> Path:
    write_table(path, kind.header, [[row.get(h, "") for h in kind.header] for row in rows])
    return path


def _table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _petitions(store: Path) -> list[Petition]:
    with SqliteStore(store).unit_of_work(actor="check") as work:
        return list(work.records(Petition).find())


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A new store with two petitions, imported from a CSV register."""
    store = tmp_path / "county.sqlite"
    roster = _csv(tmp_path / "信访件.csv", P, [PETITION, PETITION_REGISTERED])

    status = cli.main(["import", str(roster), "--store", str(store), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert ExitCode.OK == status
    assert (2, 2, ["petitions"]) == (
        summary["rows_read"],
        summary["added"],
        [s["kind"] for s in summary["sources"]],
    )
    return store


def test_an_imported_register_is_stored_as_read(imported: Path, tmp_path: Path) -> None:
    expected = read_roster(_csv(tmp_path / "again.csv", P, [PETITION, PETITION_REGISTERED]))

    assert imported.exists()
    assert list(expected.records) == _petitions(imported)  # the store finds them in key order


def test_export_of_one_register_reads_back_equal_and_masks_unless_asked(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full, masked = tmp_path / "full.csv", tmp_path / "masked.csv"
    base = ["export", "--store", str(imported), "--kind", "petitions"]

    assert 0 == cli.main([*base, "--out", str(full), "--include-personal-data"])
    assert 0 == cli.main([*base, "--out", str(masked)])
    said = capsys.readouterr().out

    assert "2 信访件 written to" in said
    assert tuple(_petitions(imported)) == read_roster(full).records
    text = masked.read_text(encoding="utf-8-sig")
    assert PETITIONER_ID not in text
    assert "450305********" + PETITIONER_ID[-4:] in text
    assert _table(full)[1][1:] != _table(masked)[1][1:]


def test_a_workbook_export_holds_a_sheet_per_register_and_imports_back_equal(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    more = tmp_path / "more.xlsx"
    write_workbook(
        more,
        {
            "历史遗留问题": (list(LEGACY), [list(LEGACY.values())]),
            "领导包联": (list(ASSIGNMENT), [list(ASSIGNMENT.values())]),
            "包联座谈": (list(TALK), [list(TALK.values())]),
        },
    )
    assert 0 == cli.main(["import", str(more), "--store", str(imported)])
    book, again = tmp_path / "export.xlsx", tmp_path / "again.sqlite"

    assert 0 == cli.main(
        ["export", "--store", str(imported), "--out", str(book), "--include-personal-data"]
    )
    said = capsys.readouterr().out
    assert 0 == cli.main(["import", str(book), "--store", str(again)])

    assert "2 信访件, 1 历史遗留问题, 1 领导包联, 1 包联座谈 written to" in said
    with (
        SqliteStore(imported).unit_of_work(actor="a") as a,
        SqliteStore(again).unit_of_work(actor="b") as b,
    ):
        kinds = [k for k in RosterKind if k.casework]
        assert [list(a.records(k.record_type).find()) for k in kinds] == [
            list(b.records(k.record_type).find()) for k in kinds
        ]
        (case,) = b.records(LegacyCase).find()
        assert VETERAN_ID == case.subjects[0].unmasked


def test_update_with_a_version_column_corrects_a_petition_and_refuses_a_stale_copy(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.csv"
    base = ["export", "--store", str(imported), "--kind", "petitions", "--versions"]
    assert 0 == cli.main([*base, "--out", str(copy), "--include-personal-data"])
    capsys.readouterr()
    table = _table(copy)
    assert ("版本", "1") == (table[0][-1], table[2][-1])
    row = table[2]  # the registered petition (XF-2024-0008)
    row[table[0].index("受理时间")] = "2024-04-03"
    row[table[0].index("办理状态")] = ""
    corrected = tmp_path / "corrected.csv"
    write_table(corrected, table[0], [row])

    first = cli.main(["import", str(corrected), "--store", str(imported), "--update", "--json"])
    summary = json.loads(capsys.readouterr().out)
    again = cli.main(["import", str(corrected), "--store", str(imported), "--update", "--json"])
    stale = json.loads(capsys.readouterr().out)

    assert (ExitCode.OK, 1) == (first, summary["updated"])
    assert ExitCode.FAILED == again
    (error,) = stale["errors"]
    assert ("版本", "1") == (error["column"], error["value"])
    assert "now version 2" in error["reason"]
    statuses = {p.petition_id: p.status for p in _petitions(imported)}
    assert PetitionStatus.ACCEPTED is statuses["XF-2024-0008"]
    updates = [
        e
        for e in SqliteStore(imported).audit.entries()
        if e.entity == "petition" and e.action is AuditAction.UPDATED
    ]
    assert ["XF-2024-0008"] == [e.key for e in updates]


def test_a_bad_row_writes_nothing_and_leaves_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "new.sqlite"
    bad = PETITION_REGISTERED | {"信访件编号": "XF-2024-0009", "信访形式": "微信"}
    roster = _csv(tmp_path / "xf.csv", P, [PETITION_REGISTERED, bad])

    status = cli.main(["import", str(roster), "--store", str(store), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert (ExitCode.FAILED, False, False) == (status, summary["written"], store.exists())
    (error,) = summary["errors"]
    assert (3, "信访形式", "微*") == (error["row"], error["column"], error["value"])


def test_skip_invalid_writes_the_good_petitions_and_the_bad_rows_to_a_rejects_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "county.sqlite"
    bad = PETITION_REGISTERED | {
        "信访件编号": "XF-2024-0009",
        "信访人公民身份号码": PETITIONER_ID[:-1] + "0",
    }
    roster = _csv(tmp_path / "xf.csv", P, [PETITION_REGISTERED, bad])

    status = cli.main(["import", str(roster), "--store", str(store), "--skip-invalid"])
    said = capsys.readouterr()

    assert ExitCode.PARTIAL == status
    assert ["XF-2024-0008"] == [p.petition_id for p in _petitions(store)]
    rejects = _table(tmp_path / "xf.rejects.csv")
    assert (["行号", *P.header, "错误原因"], "3") == (rejects[0], rejects[1][0])
    assert PETITIONER_ID[:-1] + "0" not in said.err


def test_the_kind_option_offers_every_kind_of_roster() -> None:
    assert tuple(kind.value for kind in RosterKind) == _ROSTER_KINDS


def test_import_reads_every_roster_as_the_kind_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "county.sqlite"
    header = [h for h in P.header if h != "信访形式"] + ["信访形式"]
    roster = tmp_path / "sheet1.csv"
    write_table(roster, header, [[PETITION_REGISTERED.get(h, "") for h in header]])

    status = cli.main(["import", str(roster), "--store", str(store), "--kind", "petitions"])
    capsys.readouterr()

    assert (ExitCode.OK, ["XF-2024-0008"]) == (status, [p.petition_id for p in _petitions(store)])
