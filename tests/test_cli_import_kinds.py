"""``import`` of a four-sheet workbook, then evaluate and report; re-import with --update."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.test_roster_kinds import CASE, HOUSEHOLD, SURVIVOR, VETERAN, VETERAN_ID, cells_of
from veteran_affairs import cli
from veteran_affairs.cli._common import ExitCode
from veteran_affairs.repositories import AuditAction, SqliteStore
from veteran_affairs.rosters import RosterKind, write_table, write_workbook

ON = "2025-01-01"
# Test inputs, not law: no window and no cap is confirmed nationally or for Guangxi.
FIGURES = """
[[parameter]]
key = "hardship_assistance.application_window_days"
label_zh = "测试"
label_en = "test window"
unit = "days"
  [[parameter.version]]
  citation = "test input, not law"
  value = "365"

[[parameter]]
key = "hardship_assistance.amount_cap"
label_zh = "测试"
label_en = "test cap"
unit = "CNY"
  [[parameter.version]]
  citation = "test input, not law"
  value = "20000"
"""
SURVIVOR_WITH_STATUS = SURVIVOR | {"优抚对象类别": "烈士遗属", "优抚认定时间": "1979-05-01"}
PLAQUED = HOUSEHOLD | {
    "挂牌时间": "2018-10-01",
    "光荣牌对象公民身份号码": VETERAN_ID,
    "光荣牌对象类别": "退役军人",
    "光荣牌对象起始时间": "1992-12-01",
}
K = RosterKind


def workbook(path: Path, *, veteran: dict[str, str] = VETERAN) -> Path:
    write_workbook(
        path,
        {
            "退役军人": (K.VETERANS.header, [cells_of(K.VETERANS, veteran)]),
            "遗属": (K.SURVIVORS.header, [cells_of(K.SURVIVORS, SURVIVOR_WITH_STATUS)]),
            "光荣牌家庭": (K.HOUSEHOLDS.header, [cells_of(K.HOUSEHOLDS, PLAQUED)]),
            "帮扶援助": (K.CASES.header, [cells_of(K.CASES, CASE)]),
        },
    )
    return path


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = tmp_path / "county.sqlite"
    status = cli.main(
        ["import", str(workbook(tmp_path / "county.xlsx")), "--store", str(store), "--json"]
    )
    summary = json.loads(capsys.readouterr().out)
    assert ExitCode.OK == status
    assert (4, 4, 0) == (summary["rows_read"], summary["added"], summary["rejected"])
    kinds = [s["kind"] for s in summary["sources"]]
    assert ["veterans", "survivors", "households", "cases"] == kinds
    return store


def _decisions(store: Path, tmp_path: Path, *more: str) -> list[dict[str, str]]:
    out = tmp_path / "decisions.csv"
    args = ["evaluate", "--store", str(store), "--on", ON, "--out", str(out), *more]
    assert 0 == cli.main(args)
    return list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))


def test_every_kind_of_a_workbook_is_stored(imported: Path) -> None:
    with SqliteStore(imported).unit_of_work(actor="check") as work:
        counts = (work.persons.count(), work.households.count(), work.cases.count())
    assert (2, 1, 1) == counts


def test_evaluate_decides_the_imported_categories_plaques_and_cases(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parameters = tmp_path / "figures.toml"
    parameters.write_text(FIGURES, encoding="utf-8")

    rows = _decisions(imported, tmp_path, "--parameters", str(parameters))
    capsys.readouterr()

    outcome = {(r["规则 rule"], r["姓名/户"][:1]): r["判定 outcome"] for r in rows}
    assert outcome[("key_entitled", "韦")].startswith("符合")  # 残疾军人, grade 1 因战
    assert outcome[("key_entitled", "李")].startswith("符合")  # 烈士遗属
    assert outcome[("disability_pension", "韦")].startswith("符合")
    plaque = next(r for r in rows if r["规则 rule"] == "glory_plaque")
    assert plaque["姓名/户"] == HOUSEHOLD["户编号"]
    assert plaque["判定 outcome"].startswith("符合")
    case = next(r for r in rows if r["规则 rule"] == "hardship_assistance")
    assert case["姓名/户"] == CASE["案件编号"]
    # Decided on the figures supplied; only "ordinary assistance considered first" is unknown.
    assert case["判定 outcome"].startswith("待核实")


def test_the_population_and_plaque_reports_count_the_imported_records(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["report", "--store", str(imported), "--on", ON, "--json"]
    assert 0 == cli.main([*base, "--kind", "population"])
    population = json.loads(capsys.readouterr().out)["rows"][0]
    assert 0 == cli.main([*base, "--kind", "plaques"])
    plaques = json.loads(capsys.readouterr().out)["rows"][0]

    assert "广西壮族自治区" == population["name"]
    assert (2, 2) == (population["persons"], population["key_entitled"])
    assert (1, 1) == (population["disabled-servicemember"], population["martyr-survivor"])
    counts = (plaques["households"], plaques["eligible"], plaques["hung"], plaques["to_hang"])
    assert (1, 1, 1, 0) == counts
    assert 1.0 == plaques["rate"]  # 应挂尽挂率


def test_a_corrected_workbook_updates_the_changed_record_with_an_audited_update(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrected = workbook(
        tmp_path / "corrected.xlsx", veteran=VETERAN | {"联系电话": "0773-5550000"}
    )
    base = ["import", str(corrected), "--store", str(imported)]

    refused = cli.main([*base, "--json"])
    refusal = json.loads(capsys.readouterr().out)
    status = cli.main([*base, "--update", "--json"])
    summary = json.loads(capsys.readouterr().out)

    assert ExitCode.FAILED == refused
    assert 4 == refusal["rejected"]  # without --update, every stored key is refused
    assert ExitCode.OK == status
    assert (0, 1, 3) == (summary["added"], summary["updated"], summary["unchanged"])
    store = SqliteStore(imported)
    updates = [e for e in store.audit.entries() if e.action is AuditAction.UPDATED]
    assert 1 == len(updates)
    with store.unit_of_work(actor="check") as work:
        found = [p for p in work.persons.find() if p.person.phone == "0773-5550000"]
        versions = [work.persons.read(p.person.resident_id).version for p in found]
    assert [2] == versions


def test_each_source_gets_its_own_rejects_file_and_none_is_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_case = CASE | {"困难类型": "不明"}
    bad_survivor = SURVIVOR_WITH_STATUS | {"与军人关系": "邻居"}
    book = tmp_path / "county.xlsx"
    write_workbook(
        book,
        {
            "退役军人": (K.VETERANS.header, [cells_of(K.VETERANS, VETERAN)]),
            "遗属": (K.SURVIVORS.header, [cells_of(K.SURVIVORS, bad_survivor)]),
            "帮扶援助": (K.CASES.header, [cells_of(K.CASES, bad_case)]),
        },
    )
    earlier = tmp_path / "county.遗属.rejects.csv"
    earlier.write_text("the office's corrections in progress\n", encoding="utf-8")
    store = tmp_path / "s.sqlite"

    status = cli.main(["import", str(book), "--store", str(store), "--skip-invalid"])
    capsys.readouterr()

    assert ExitCode.PARTIAL == status
    assert "the office's corrections in progress\n" == earlier.read_text(encoding="utf-8")
    survivors = tmp_path / "county.遗属.rejects-2.csv"
    cases = tmp_path / "county.帮扶援助.rejects.csv"
    assert "邻居" in survivors.read_text(encoding="utf-8-sig")
    assert "不明" in cases.read_text(encoding="utf-8-sig")
    assert not (tmp_path / "county.退役军人.rejects.csv").exists()


def test_a_failed_import_into_a_new_store_leaves_no_store_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "cases.csv"
    write_table(roster, K.CASES.header, [cells_of(K.CASES, CASE | {"事发时间": "2020-13-01"})])
    store = tmp_path / "new.sqlite"

    status = cli.main(["import", str(roster), "--store", str(store)])

    assert ExitCode.FAILED == status
    assert "事发时间" in capsys.readouterr().err
    assert not store.exists()
    assert [] == [p.name for p in tmp_path.iterdir() if p.name.startswith("new.sqlite")]


def test_several_csv_files_are_imported_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    veterans, cases = tmp_path / "veterans.csv", tmp_path / "cases.csv"
    write_table(veterans, K.VETERANS.header, [cells_of(K.VETERANS, VETERAN)])
    write_table(cases, K.CASES.header, [cells_of(K.CASES, CASE)])
    store = tmp_path / "s.sqlite"

    status = cli.main(["import", str(veterans), str(cases), "--store", str(store), "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert ExitCode.OK == status
    assert [str(veterans), str(cases)] == [s["source"] for s in summary["sources"]]
    assert ["veterans", "cases"] == [s["kind"] for s in summary["sources"]]


def _everything(path: Path) -> tuple[list[object], list[object], list[object]]:
    with SqliteStore(path).unit_of_work(actor="check") as work:
        return (
            list(work.persons.find()),
            list(work.households.find()),
            list(work.cases.find()),
        )


def test_an_exported_workbook_holds_every_kind_and_imports_back_equal(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, again = tmp_path / "export.xlsx", tmp_path / "again.sqlite"

    assert 0 == cli.main(
        ["export", "--store", str(imported), "--out", str(book), "--include-personal-data"]
    )
    said = capsys.readouterr().out
    assert 0 == cli.main(["import", str(book), "--store", str(again)])
    capsys.readouterr()

    assert "1 退役军人, 1 遗属, 1 光荣牌, 1 帮扶援助 written to" in said
    assert _everything(imported) == _everything(again)


def test_a_versioned_export_lets_update_refuse_a_record_changed_since(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "veterans.csv"
    base = ["export", "--store", str(imported), "--kind", "veterans", "--versions"]
    assert 0 == cli.main([*base, "--out", str(copy), "--include-personal-data"])
    with copy.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert "版本" == table[0][-1]
    assert "1" == table[1][-1]
    phone = table[0].index("联系电话")
    table[1][phone] = "0773-5551234"
    corrected = tmp_path / "corrected.csv"
    write_table(corrected, table[0], table[1:])
    # Meanwhile someone else corrects the same veteran in the store.
    meanwhile = workbook(tmp_path / "meanwhile.xlsx", veteran=VETERAN | {"联系电话": "0773-1"})
    assert 0 == cli.main(["import", str(meanwhile), "--store", str(imported), "--update"])
    capsys.readouterr()

    status = cli.main(["import", str(corrected), "--store", str(imported), "--update", "--json"])

    summary = json.loads(capsys.readouterr().out)
    assert ExitCode.FAILED == status
    (error,) = summary["errors"]
    assert ("版本", "1") == (error["column"], error["value"])
    assert "now version 2" in error["reason"]
    with SqliteStore(imported).unit_of_work(actor="check") as work:
        phones = {p.person.phone for p in work.persons.find()}
    assert "0773-1" in phones  # the other correction is kept
    assert "0773-5551234" not in phones
