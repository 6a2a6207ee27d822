"""``veteran-affairs report --kind petitions|transfers|baolian|villages|registers`` from a
store, and the demo's casework section.

The store holds a synthetic 桂林市 (4503) of 300 persons (its network, its casework records
and its stations; no activities, which these reports do not read), written once for the
module as the demo writes it; the other cities of the bundled tree have no records. The
registers' figures are checked on a small store of hand-built records in 临桂区 (450312).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from veteran_affairs import cli
from veteran_affairs.casework.discharge import (
    EmploymentRecord,
    EmploymentStatus,
    TrainingEnrolment,
    TrainingKind,
)
from veteran_affairs.casework.leaders import ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase, LegacyCategory, OriginRegime
from veteran_affairs.casework.requests import Contact, ContactChannel, Request
from veteran_affairs.cli._common import Progress, width
from veteran_affairs.cli._demo import COLUMNS, casework_line, casework_text, next_command
from veteran_affairs.cli._report_command import (
    CASEWORK_KINDS,
    build_casework_reports,
    casework_summary,
    load_casework,
)
from veteran_affairs.cycles import Year
from veteran_affairs.hierarchy import DivisionTree, petitions_report
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.synthetic import SyntheticRegion, generate_guangxi

ON = dt.date(2021, 1, 6)
DATES = ["--on", ON.isoformat(), "--year", "2020"]
TITLES = {
    "petitions": "信访事项办理情况",
    "transfers": "保险关系转移接续情况",
    "baolian": "领导包联座谈落实情况",
    "villages": "兵支书、兵主任统计",
    "registers": "业务台账统计",
}


@pytest.fixture(scope="module")
def region() -> SyntheticRegion:
    return generate_guangxi(persons=300, seed=2021, on=ON, within="4503")


@pytest.fixture(scope="module")
def store(region: SyntheticRegion, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("casework") / "store.sqlite"
    sqlite = SqliteStore(path)
    sqlite.bulk_add([*region.people, *region.households, *region.stations], actor="test")
    sqlite.bulk_add([record for _, kind in region.casework for record in kind], actor="test")
    return path


def _report(store: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = cli.main(["report", "--store", str(store), *DATES, *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# --- the four kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CASEWORK_KINDS)
def test_each_casework_kind_lists_the_cities_under_the_region(
    kind: str, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(store, capsys, "--kind", kind)
    lines = out.splitlines()
    cities = [line for line in lines if line.startswith("45") and "市" in line.split()[1]]

    assert 0 == status
    assert lines[0].startswith(TITLES[kind])
    assert lines[2].startswith("45    广西壮族自治区 合计")
    assert 14 == len(cities)


def test_the_petitions_report_from_the_store_equals_the_one_from_the_records(
    region: SyntheticRegion, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(store, capsys, "--kind", "petitions", "--format", "csv")
    tree = DivisionTree.bundled("45", extra=region.divisions)
    expected = petitions_report(tree, region.petitions, on=ON, period=Year(year=2020)).at_level(
        DivisionLevel.CITY
    )

    rows = list(csv.DictReader(out.splitlines()))
    assert 0 == status
    assert [str(r["code"]) for r in expected.to_rows()] == [r["code"] for r in rows]
    assert [str(r["overdue"]) for r in expected.to_rows()] == [r["overdue"] for r in rows]
    assert str(len(region.petitions)) == rows[0]["received"]


@pytest.mark.parametrize("kind", CASEWORK_KINDS)
@pytest.mark.parametrize("fmt", ["csv", "html", "json"])
def test_each_kind_renders_as_csv_html_and_json(
    kind: str, fmt: str, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--json"] if fmt == "json" else ["--format", fmt]

    status, out = _report(store, capsys, "--kind", kind, *args)

    assert 0 == status
    if fmt == "csv":
        first = next(csv.DictReader(out.splitlines()))
        assert ("450000000000", "1") == (first["code"], first["level"])
    elif fmt == "html":
        assert out.startswith("<table>")
        assert "广西壮族自治区 合计 total" in out
    else:
        document = json.loads(out)
        assert (kind, 15) == (document["kind"], len(document["rows"]))
        assert all(isinstance(document["rows"][0][c["key"]], int | float | None)
                   for c in document["columns"])  # fmt: skip


@pytest.mark.parametrize("kind", CASEWORK_KINDS)
def test_each_kind_writes_a_workbook_with_numbers_as_numbers(
    kind: str, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{kind}.xlsx"

    status, said = _report(store, capsys, "--kind", kind, "--out", str(out))

    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert 0 == status
    assert "15 rows written" in said
    assert ("450000000000", "广西壮族自治区", 1, 0) == rows[1][:4]
    assert all(isinstance(cell, int | float) or cell is None for cell in rows[1][4:])


def test_villages_within_a_county_list_it_and_its_townships(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(store, capsys, "--kind", "villages", "--within", "450312")
    lines = out.splitlines()

    assert 0 == status
    assert lines[2].split()[:2] == ["450312", "临桂区"]
    assert "172" == lines[2].split()[2]  # 临桂区's 172 villages
    assert 12 == sum(1 for line in lines if line.startswith("450312"))


def test_transfers_per_county_within_a_city(
    store: Path, region: SyntheticRegion, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(
        store, capsys, "--kind", "transfers", "--within", "4503", "--level", "county", "--json"
    )
    rows = json.loads(out)["rows"]
    expected = sum(
        1
        for t in region.transfers
        if t.destination is not None and t.destination.short[:4] == "4503"
    )

    assert 0 == status
    assert "4503" == rows[0]["code"][:4]
    assert 2 == rows[0]["level"]
    assert expected == rows[0]["transfers"] == sum(r["transfers"] for r in rows[1:])


@pytest.mark.parametrize(
    ("name", "args", "due_is_zero", "hint"),
    [
        ("the bundled cadence is not in force in 2020", [], True, True),
        ("a cadence of one's own checks 2020", ["--talks-per-quarter", "1"], False, False),
    ],
)
def test_baolian_is_checked_only_with_a_cadence_in_force(
    name: str,
    args: list[str],
    due_is_zero: bool,
    hint: bool,
    store: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = _report(store, capsys, "--kind", "baolian", "--json", *args)
    document = json.loads(out)
    top = document["rows"][0]

    assert 0 == status, name
    assert due_is_zero == (0 == top["due"])
    assert top["quarters"] == sum(
        top[key] for key in ("met", "missed", "pending", "not_checked", "no_cadence")
    )
    assert hint == any("--talks-per-quarter" in note for note in document["notes"])


def test_a_cadence_below_one_is_a_usage_error(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["report", "--store", str(store), "--kind", "baolian", "--talks-per-quarter", "0"])

    assert 2 == raised.value.code
    assert "--talks-per-quarter" in capsys.readouterr().err


def test_an_empty_store_is_refused_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite"
    SqliteStore(path)

    status, out = _report(path, capsys, "--kind", "petitions")

    assert 1 == status
    assert "存储中没有数据" in out


# --- the registers ---------------------------------------------------------------------------------

LINGUI = DivisionCode("450312")
VETERAN = ResidentId("450312199801010011")
D = dt.date


def _registers() -> list[Any]:
    case = LegacyCase.identify(
        case_id="L1", category=LegacyCategory.PLACEMENT, regime=OriginRegime.BEFORE_2011,
        topic="安置待遇落实", responsible_unit=LINGUI, owner="科长", on=D(2020, 5, 1), actor="c",
    )  # fmt: skip
    contact = Contact(channel=ContactChannel.PHONE, on=D(2020, 3, 1), unit=LINGUI)
    request = Request.open(request_id="R1", contact=contact, topic="咨询", actor="st")
    sessions = [
        ReceptionSession(
            session_id=f"S{n}", unit=LINGUI, leader="局长", held_on=held, visitors=visitors
        )
        for n, (held, visitors) in enumerate(
            [(D(2020, 4, 1), 12), (D(2020, 12, 31), 5), (D(2021, 1, 7), 9)]
        )
    ]
    enrolment = TrainingEnrolment(
        enrolment_id="E1", veteran=VETERAN, unit=LINGUI, kind=TrainingKind.SKILLS,
        enrolled_on=D(2020, 3, 1), completed_on=D(2020, 6, 30), certified=True,
    )  # fmt: skip
    spell = EmploymentRecord(
        record_id="M1", veteran=VETERAN, unit=LINGUI,
        status=EmploymentStatus.PUBLIC_WELFARE_POST, started_on=D(2020, 7, 1),
    )  # fmt: skip
    return [case, request, *sessions, enrolment, spell]


@pytest.fixture(scope="module")
def registers_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("registers") / "store.sqlite"
    SqliteStore(path).bulk_add(_registers(), actor="test")
    return path


def test_the_registers_from_a_store_count_each_kind_at_its_unit(
    registers_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(
        registers_store, capsys, "--kind", "registers", "--within", "4503", "--level", "county",
        "--json",
    )  # fmt: skip
    document = json.loads(out)
    rows = {row["code"][:6]: row for row in document["rows"]}
    figures = {key: value for key, value in rows["450312"].items() if isinstance(value, int)}

    assert 0 == status
    assert {
        "level": 3, "depth": 1, "legacy_cases": 1, "legacy_open": 1, "legacy_resolved": 0,
        "legacy_referred_unresolvable": 0, "legacy_milestone_overdue": 0, "requests": 1,
        "requests_open": 1, "requests_closed": 0, "requests_escalated": 0, "sessions": 2,
        "visitors": 17, "enrolments": 1, "enrolments_completed": 1, "enrolments_certified": 1,
        "employment": 1, "public_welfare_posts": 1,
    } == figures  # fmt: skip
    assert rows["450300"]["visitors"] == sum(r["visitors"] for r in document["rows"][1:])
    assert any("left out: 1 record(s)" in note for note in document["notes"])


@pytest.mark.parametrize("fmt", ["text", "csv", "html"])
def test_the_registers_render_their_columns_in_every_format(
    fmt: str, registers_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _report(
        registers_store, capsys, "--kind", "registers", "--within", "450312", "--format", fmt
    )

    assert 0 == status
    if fmt == "csv":
        row = next(csv.DictReader(out.splitlines()))
        assert ("450312000000", "2", "17") == (row["code"], row["sessions"], row["visitors"])
    else:
        assert all(label in out for label in ("领导接待日场次", "公益性岗位安置", "化解节点逾期"))


# --- the demo's casework section ------------------------------------------------------------------


def test_the_demos_casework_section_fits_and_shows_every_city(store: Path) -> None:
    data = load_casework(SqliteStore(store), province="45", progress=Progress(enabled=False))
    reports = build_casework_reports(data, on=ON, year=2020, province="45")
    summary = casework_summary(data.tree, reports, as_of=ON.isoformat())

    text = casework_text(summary, year=2020, on=ON)
    lines = text.splitlines()
    cities = [line for line in lines if line.startswith("  45") and "市" in line]

    assert [] == [line for line in lines if width(line) > COLUMNS]
    assert 2 * 14 == len(cities)  # two parts, each with every city
    assert [] == [line for line in lines if line.startswith("45 ")]  # indented tables
    assert text.startswith("广西壮族自治区 45, casework (业务工作) as of 2021-01-06:")
    top = summary["45"]
    headline = " ".join(text.split())
    assert f"{top['petitions']} petitions registered in 2020" in headline
    assert f"{top['overdue']} overdue" in headline
    assert f"{top['pending']} not yet continued" in headline
    assert "--talks-per-quarter N" in headline


def test_the_casework_summary_takes_its_figures_from_the_four_reports(store: Path) -> None:
    data = load_casework(SqliteStore(store), province="45", progress=Progress(enabled=False))
    reports = build_casework_reports(data, on=ON, year=2020, province="45", talks_per_quarter=1)

    summary = casework_summary(data.tree, reports, as_of=ON.isoformat())

    for code in ("45", "4503", "450312"):
        row = summary[code]
        assert reports["petitions"][code]["overdue"] == row["overdue"]
        assert reports["transfers"][code]["pending"] == row["pending"]
        assert reports["baolian"][code]["met_rate"] == row["met_rate"]
        assert reports["villages"][code]["veteran_secretary_rate"] == row["secretary_rate"]


@pytest.mark.parametrize(("given", "repeated"), [(None, False), (2, True)])
def test_the_demos_next_command_repeats_the_cadence_given(
    given: int | None, repeated: bool
) -> None:
    command = next_command(
        ["veteran-affairs"], store_path=Path("demo.sqlite"), on=ON, year=2020,
        talks_per_quarter=given,
    )  # fmt: skip

    assert repeated == ("--talks-per-quarter 2" in command)
    words = command.split()
    assert repeated == (cli._parser().parse_args(words[1:]).talks_per_quarter == 2)


def test_the_demos_casework_line_says_whose_cadence_judged_the_quarters(store: Path) -> None:
    data = load_casework(SqliteStore(store), province="45", progress=Progress(enabled=False))
    reports = build_casework_reports(data, on=ON, year=2020, province="45", talks_per_quarter=1)
    summary = casework_summary(data.tree, reports, as_of=ON.isoformat())

    headline = " ".join(casework_line(summary, year=2020, on=ON, talks_per_quarter=1).split())

    top = summary.shown(summary.top[0])
    assert f"{top['met']} of {top['due']} checked quarters met" in headline
    assert "against your cadence of 1 a quarter" in headline
    assert "--talks-per-quarter N" not in headline
