"""The province line (全区合计) in the demo and the reports, the demo's width and its last command.

The demo runs once (the run's demo, tests/conftest.py), in a folder of its own with the default
store name, as ``make demo`` runs it in the project folder; every test reads what it printed or
the store it wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_SIZE, DemoRun
from veteran_affairs import cli
from veteran_affairs.cli._common import Progress, width
from veteran_affairs.cli._demo import COLUMNS, DEFAULT_STORE, fit, next_command, program
from veteran_affairs.cli._report_command import REPORT_KINDS, Reports, build_reports, load_dataset
from veteran_affairs.cycles import load_holidays
from veteran_affairs.hierarchy import FigureKind, Report
from veteran_affairs.identity import DivisionLevel
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rules import RuleBook

SIZE = DEMO_SIZE
ON = "2021-01-06"
EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"


@pytest.fixture(scope="module")
def folder(demo_run: DemoRun) -> Path:
    """Where the run's demo ran (tests/conftest.py), with the default store name."""
    return demo_run.folder


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> str:
    """What the demo printed, run in ``folder`` with the default store."""
    return demo_run.out


@pytest.fixture(scope="module")
def reports(demo: str, folder: Path) -> Reports:
    """The reports of the demo's store, as ``veteran-affairs report`` builds them."""
    progress = Progress(enabled=False)
    data = load_dataset(SqliteStore(folder / DEFAULT_STORE), province="45", progress=progress)
    book = RuleBook.load("guangxi")
    on = dt.date.fromisoformat(ON)
    return build_reports(data, book=book, on=on, year=2020, province="45", progress=progress)


def _next_command(text: str) -> list[str]:
    """The words of the command printed after ``Next``, its continuation lines joined."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "Next" in line) + 1
    command = []
    for line in lines[start:]:
        command.append(line.removesuffix("\\"))
        if not line.endswith("\\"):
            break
    return shlex.split(" ".join(command))


# --- the province line -----------------------------------------------------------------------


def test_the_province_line_holds_the_sums_over_the_whole_tree(reports: Reports) -> None:
    summary = reports.summary
    (top,) = summary.top
    additive = [c for c in summary.columns if c.kind is not FigureKind.RATE]

    assert "广西壮族自治区" == top.name
    for column in additive:
        i = summary.keys.index(column.key)
        assert sum(v[i] for v in summary.own.values()) == top[column.key], column.key
        assert sum(s[column.key] for s in summary.by_level()) == top[column.key]  # type: ignore[misc]
    for column in summary.columns:
        if column.kind is FigureKind.RATE:
            assert column.numerator is not None
            assert column.denominator is not None
            parts = top[column.numerator], top[column.denominator]
            assert parts[0] / parts[1] == top[column.key], column.key  # type: ignore[operator]
    # The figures as the seed gives them: the network is the seed's; the people are SIZE.
    assert (17_624, 17_624, 1.0) == (
        top["stations_required"],
        top["stations_built"],
        top["station_rate"],
    )
    assert SIZE == top["persons"]
    assert reports.coverage["45"]["required"] == top["stations_required"]
    assert reports.plaques["45"]["hung_eligible"] == top["plaques_hung"]


def test_the_demo_prints_the_province_line_first(demo: str, reports: Reports) -> None:
    top = reports.summary["45"]
    headline = demo.index("广西壮族自治区 45, whole network (全区合计)")
    stations = "17,624 of 17,624 centres and stations built (应建尽建率 100.00%)"
    persons = f"{SIZE} entitled persons (优抚对象)"
    plaques = f"{top['plaques_hung']:,} of {top['plaques_eligible']:,} entitled households"

    assert headline < demo.index("五级汇总 by level")
    for words in (stations, persons, plaques):
        assert words in " ".join(demo[headline:].split())


def test_the_demos_tables_open_with_the_total_row(demo: str, reports: Reports) -> None:
    top = reports.summary["45"]
    totals = [line.split() for line in demo.splitlines() if line.split()[:2] == ["合计", "total"]]
    cities = [line.split() for line in demo.splitlines() if line.startswith("45 ")]

    # The by-level table in two parts: 合计, the units of the five levels, then the figures.
    assert [["17,655", "17,624", "17,624", "100.00%"]] == [t[2:6] for t in totals[:1]]
    assert ["17,655", f"{SIZE:,}"] == totals[1][2:4]
    # The per-city table in two parts, each opening with the province's row.
    assert 2 == len(cities)
    assert ["45", "广西壮族自治区", "合计", "17,624", "17,624", "100.00%"] == cities[0][:6]
    assert [f"{top['persons']:,}", f"{top['key_entitled']:,}"] == cities[1][3:5]


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_every_report_kind_opens_the_cities_with_the_province_total(
    kind: str, reports: Reports
) -> None:
    full: Report = reports.by_kind()[kind]
    cities = full.at_level(DivisionLevel.CITY)
    buffer = io.StringIO()
    cities.to_csv(buffer)
    rows = list(csv.DictReader(buffer.getvalue().splitlines()))

    assert (full["45"],) == cities.totals
    assert 14 == len(cities)
    assert ["450000000000"] + [r.code.value for r in cities] == [r["code"] for r in rows]
    assert cities.to_text(labels="zh").splitlines()[2].startswith("45    广西壮族自治区 合计")
    assert "广西壮族自治区 合计 total" in cities._repr_html_().split("</tr>")[1]


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_the_report_command_opens_with_the_province_total(
    fmt: str, demo: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--store", str(folder / DEFAULT_STORE), "--on", ON, "--year", "2020"]

    status = cli.main([*args, "--kind", "coverage", "--format", fmt])

    out = capsys.readouterr().out
    assert 0 == status
    if fmt == "csv":
        first = next(csv.DictReader(out.splitlines()))
        expected = {"code": "450000000000", "name": "广西壮族自治区", "level": "1"}
        assert expected == {k: first[k] for k in expected}
        assert ("17624", "17624", "1.0") == (first["required"], first["built"], first["rate"])
    else:
        assert "广西壮族自治区 合计 total" in out.split("</tr>")[1]


# --- width and the last command --------------------------------------------------------------


def test_no_line_of_the_demo_is_wider_than_the_terminal(demo: str) -> None:
    wide = [(width(line), line) for line in demo.splitlines() if width(line) > COLUMNS]

    assert [] == wide


def test_the_next_command_parses_with_the_clis_parser(demo: str, folder: Path) -> None:
    words = _next_command(demo)
    start = words.index("report")

    args = cli._parser().parse_args(words[start:])

    assert ("report", Path(DEFAULT_STORE), ON, 2020) == (
        words[start],
        args.store,
        args.on.isoformat(),
        args.year,
    )
    assert words[:start] == program(cwd=folder)[0]


def test_the_next_command_runs_as_printed_from_the_folder(demo: str, folder: Path) -> None:
    words = _next_command(demo)

    done = subprocess.run(
        words, cwd=folder, capture_output=True, text=True, check=False, timeout=300
    )

    assert 0 == done.returncode, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2].startswith("45    广西壮族自治区 合计")
    assert "17,624" in lines[2]


def _script(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_after_make_demo_the_command_is_the_scripts_path_with_a_hint(tmp_path: Path) -> None:
    python = _script(tmp_path, ".venv/bin/python")
    script = _script(tmp_path, ".venv/bin/veteran-affairs")
    _script(tmp_path, ".venv/bin/activate")
    main = str(tmp_path / "src" / "veteran_affairs" / "__main__.py")  # python -m

    words, hint = program(argv0=main, executable=str(python), cwd=tmp_path, search="")
    on_path = program(argv0=main, executable=str(python), cwd=tmp_path, search=str(script.parent))
    elsewhere = program(argv0=main, executable=str(python), cwd=tmp_path / "src", search="")

    assert (
        [".venv/bin/veteran-affairs"],
        "`source .venv/bin/activate` puts `veteran-affairs` on PATH",
    ) == (words, hint)
    assert (["veteran-affairs"], None) == on_path
    assert [str(script)] == elsewhere[0]


def test_without_the_script_the_command_is_the_interpreter_with_dash_m(tmp_path: Path) -> None:
    python = _script(tmp_path, "env/bin/python3")

    words, hint = program(argv0="", executable=str(python), cwd=tmp_path, search="")
    found, _ = program(argv0="", executable=str(python), cwd=tmp_path, search=str(python.parent))

    assert (["env/bin/python3", "-m", "veteran_affairs"], None) == (words, hint)
    assert ["python3", "-m", "veteran_affairs"] == found


def test_a_long_command_is_continued_within_the_width_and_keeps_its_words() -> None:
    store = Path("/srv/" + "很长的目录/" * 7 + "demo.sqlite")  # 93 columns
    holidays = load_holidays(EXAMPLES / "holidays-cn-2014.toml")

    text = next_command(
        [".venv/bin/veteran-affairs"],
        store_path=store,
        on=dt.date(2021, 1, 6),
        year=2020,
        allow_stale=True,
        parameter_files=[Path("local parameters.toml")],
        holidays=[holidays],
    )
    lines = text.splitlines()
    words = shlex.split(text.replace("\\\n", " "))

    assert all(width(line) <= COLUMNS for line in lines)
    assert len(lines) > 1
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert [
        ".venv/bin/veteran-affairs",
        "report",
        "--store",
        str(store),
        "--on",
        "2021-01-06",
        "--year",
        "2020",
        "--parameters",
        "local parameters.toml",
        "--allow-stale",
        "--holidays",
        holidays.path,
    ] == words


def test_fit_breaks_long_lines_at_spaces_and_counts_chinese_as_two_columns() -> None:
    text = "  * " + "说明 " * 40 + "end"

    lines = fit(text, columns=40).splitlines()

    assert all(width(line) <= 40 for line in lines)
    assert lines[0].startswith("  * 说明")
    assert all(line.startswith("      ") for line in lines[1:])
    assert text.split() == " ".join(lines).split()
    assert "/a/path/" + "x" * 60 in fit("see /a/path/" + "x" * 60, columns=20)  # kept whole
