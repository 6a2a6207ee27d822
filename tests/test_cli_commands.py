"""The working commands: demo into a store, then report, evaluate and calendar from it."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pytest

from veteran_affairs import cli
from veteran_affairs.cli._common import Progress
from veteran_affairs.cycles import calendar_for
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import SqliteStore

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")
SIZE = 300


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One small demo store for the module, and what the demo printed."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    capture = tmp_path_factory.mktemp("out") / "demo.txt"
    with capture.open("w", encoding="utf-8") as out, contextlib.redirect_stdout(out):
        status = cli.main(["demo", "--store", str(path), "--size", str(SIZE)])
    assert 0 == status
    return path, capture.read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def test_the_demo_writes_the_synthetic_region_into_the_store(demo: tuple[Path, str]) -> None:
    path, _ = demo
    store = SqliteStore(path)
    with store.unit_of_work(actor="test") as work:
        persons = work.persons.count()
        stations = work.stations.count()
    assert SIZE == persons
    assert 17_638 == stations  # 17,624 required + 14 extension stations


def test_the_demo_prints_every_level_every_city_and_one_county(demo: tuple[Path, str]) -> None:
    _, out = demo
    levels = [line.split()[1] for line in out.splitlines() if re.match(r"\s+[1-5] \S+级", line)]
    assert ["省级", "地级", "县级", "乡级", "村级"] == levels
    cities = [line for line in out.splitlines() if re.match(r"45\d\d\s+\S+市", line)]
    assert 14 == len({line.split()[0] for line in cities})
    assert "临桂区" in out
    assert "SYNTHETIC 合成数据" in out
    for rule in ("disability_pension", "glory_plaque", "key_entitled"):
        assert rule in out
    assert FULL_ID.search(out) is None  # the explained person is masked


def test_the_demo_refuses_to_overwrite_without_replace(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    before = path.stat().st_size
    status = cli.main(["demo", "--store", str(path), "--size", "5"])
    assert 1 == status
    assert "--replace" in capsys.readouterr().err
    assert before == path.stat().st_size


def test_summary_report_as_csv_adds_up_cities_to_the_region(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    args = ["report", "--store", str(path), "--on", "2021-01-06", "--year", "2020"]
    assert 0 == cli.main([*args, "--format", "csv", "--level", "province"])
    (region,) = _rows(capsys.readouterr().out)
    assert 0 == cli.main([*args, "--format", "csv"])
    cities = _rows(capsys.readouterr().out)
    assert 14 == len(cities)
    # The region's own centre is in no city; people and households all are.
    own = {"stations_required": 1, "stations_built": 1, "persons": 0, "plaques_eligible": 0}
    for key, region_own in own.items():
        assert int(region[key]) == region_own + sum(int(row[key]) for row in cities), key
    assert SIZE == int(region["persons"])
    assert 17_624 == int(region["stations_required"])


def test_report_within_a_county_lists_it_and_its_townships(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    status = cli.main(
        [
            "report",
            "--store",
            str(path),
            "--kind",
            "coverage",
            "--within",
            "450312",
            "--on",
            "2021-01-06",
            "--format",
            "csv",
        ]
    )
    rows = _rows(capsys.readouterr().out)
    assert 0 == status
    assert "临桂区" == rows[0]["name"]
    assert 184 == int(rows[0]["required"])
    assert 11 == len(rows) - 1  # its 11 townships (类似乡级 none here)


def test_report_as_html_is_a_table(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    status = cli.main(
        [
            "report",
            "--store",
            str(path),
            "--kind",
            "population",
            "--on",
            "2021-01-06",
            "--format",
            "html",
        ]
    )
    out = capsys.readouterr().out
    assert 0 == status
    assert out.startswith("<table>")
    assert 14 == out.count("市</td>")


def test_report_of_a_unit_outside_the_tree_fails_with_a_message(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    status = cli.main(["report", "--store", str(path), "--within", "110105", "--on", "2021-01-06"])
    assert 1 == status
    assert "110105" in capsys.readouterr().err


def test_evaluate_masks_identity_numbers_unless_asked(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    masked, full = tmp_path / "masked.csv", tmp_path / "full.csv"
    base = ["evaluate", "--store", str(path), "--rule", "disability_pension", "--on", "2021-01-06"]
    assert 0 == cli.main([*base, "--out", str(masked)])
    assert 0 == cli.main([*base, "--out", str(full), "--include-personal-data"])
    masked_text = masked.read_text(encoding="utf-8-sig")
    full_rows = list(csv.reader(full.read_text(encoding="utf-8-sig").splitlines()))
    store = SqliteStore(path)
    with store.unit_of_work(actor="test") as work:
        veterans = work.persons.count(kind=Veteran)
    masked_rows = list(csv.reader(masked_text.splitlines()))[1:]
    assert FULL_ID.search(masked_text) is None
    assert all("*" in row[1] for row in masked_rows)  # names masked too
    assert {row[1] for row in full_rows[1:]}.isdisjoint(row[1] for row in masked_rows)
    assert veterans == len(full_rows) - 1
    assert all(FULL_ID.fullmatch(row[0]) for row in full_rows[1:])
    assert "written" in capsys.readouterr().out


def test_evaluate_of_an_unknown_rule_fails_before_writing(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    out = tmp_path / "x.csv"
    status = cli.main(
        [
            "evaluate",
            "--store",
            str(path),
            "--rule",
            "nope",
            "--on",
            "2021-01-06",
            "--out",
            str(out),
        ]
    )
    assert 1 == status
    assert "nope" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_store_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["report", "--store", str(tmp_path / "none.sqlite")])
    assert 1 == status
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()


def test_a_file_that_is_not_a_store_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    status = cli.main(["report", "--store", str(junk)])
    assert 1 == status
    assert "not a usable store" in capsys.readouterr().err


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--unit", "450312", "--from", "2025-13-01"])
    assert 2 == caught.value.code
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_calendar_lists_the_monthly_dispatch_once_a_month(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(
        [
            "calendar",
            "--unit",
            "450312101",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--routine",
            "dispatch-meeting",
        ]
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if "dispatch-meeting" in line]
    assert 0 == status
    assert [f"2025-{m:02d}" for m in range(1, 13)] == [line.split()[2] for line in lines]


def test_calendar_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cal.csv"
    status = cli.main(
        [
            "calendar",
            "--unit",
            "450312",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--routine",
            "symposium",
            "--out",
            str(out),
        ]
    )
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert 0 == status
    assert [["symposium", "季座谈", "2025Q1"]] == [row[:3] for row in rows[1:]]


def test_calendar_of_an_unknown_routine_names_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(["calendar", "--unit", "450312", "--routine", "nope"])
    err = capsys.readouterr().err
    assert 1 == status
    assert "nope" in err
    assert "dispatch-meeting" in err


def test_calendar_without_the_provinces_holiday_data_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["calendar", "--unit", "450312", "--from", "2026-01-01", "--to", "2026-06-30"]
    assert 1 == cli.main(args)
    assert "三月三" in capsys.readouterr().err
    assert 0 == cli.main([*args, "--national-calendar"])


@pytest.mark.parametrize(
    "command", ["demo", "import", "export", "evaluate", "report", "calendar", "divisions"]
)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main([command, "--help"])
    assert 0 == caught.value.code
    assert f"veteran-affairs {command}" in capsys.readouterr().out


def test_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    assert [1, 2, 3] == list(progress.count("items", [1, 2, 3], 3))
    progress.step("work")
    progress.done()
    assert "" == stream.getvalue()


def test_progress_on_a_terminal_counts_on_one_line() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    assert list(range(5)) == list(progress.count("items", range(5), 5))
    progress.done()
    text = stream.getvalue()
    assert "items: 5" in text
    assert "\n" not in text


def test_a_report_for_a_year_the_calendar_lacks_still_prints_with_a_note(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    status = cli.main(["report", "--store", str(path), "--on", "2026-11-28", "--year", "2026"])
    out = capsys.readouterr().out
    assert 0 == status
    assert 14 == len([line for line in out.splitlines() if re.match(r"45\d\d\s", line)])
    # December 2026's reports fall due in January 2027: without 2027's holiday data the
    # routines cannot be checked, and the report says so instead of failing.
    assert ("not checked" in out) == (not calendar_for().covers(2027))
