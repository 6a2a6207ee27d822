"""The working commands: demo into a store, then report, evaluate and calendar from it."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import DEMO_SIZE, DemoRun
from veteran_affairs import cli
from veteran_affairs.cli._common import Progress
from veteran_affairs.cycles import calendar_for
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import SqliteStore

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")
SIZE = DEMO_SIZE


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> tuple[Path, str]:
    """The run's small demo store (tests/conftest.py), and what the demo printed."""
    return demo_run.store, demo_run.out


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
    assert ["省级", "地级", "县级", "乡级", "村级"] * 2 == levels  # the summary in two parts
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
    total, *cities = _rows(capsys.readouterr().out)
    assert region == total  # the cities open with the region's total row (合计)
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


def test_calendar_without_the_provinces_holiday_data_names_both_ways_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["calendar", "--unit", "450312", "--from", "2026-01-01", "--to", "2026-06-30"]
    assert 1 == cli.main(args)
    err = capsys.readouterr().err
    assert "三月三" in err
    assert "2026" in err
    assert "--national-calendar" in err
    assert "--holidays FILE" in err
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


# --- calendar: --year, --holidays, unknown units -------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"

# TEST INPUT, NOT LAW: no 2026 三月三 notice is known; the days only show that the file is used.
GUANGXI_2026 = """\
schema = 1
division = "45"

[years.2026]
off = [2026-04-15, 2026-04-16]
work = []
notice = { title = "test input, not a notice" }
secondary = false
"""

# TEST INPUT, NOT LAW: a 2027 national year of 13 weekdays off, only to fill the calendar.
NATIONAL_2027 = """\
schema = 1

[years.2027]
law = "2024"
extra_days_off = 0
notices = [{ title = "test input, not a notice" }]
off = [
    { holiday = "test", first = 2027-03-01, last = 2027-03-05 },
    { holiday = "test", first = 2027-03-08, last = 2027-03-12 },
    { holiday = "test", first = 2027-03-15, last = 2027-03-17 },
]
work = []
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _due_dates(out: str, routine: str) -> list[str]:
    return [line.split()[4] for line in out.splitlines() if line.split()[:1] == [routine]]


def test_calendar_for_a_year_uses_the_guangxi_days_of_that_year(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main(
        ["calendar", "--unit", "450312", "--year", "2021", "--routine", "reception-day"]
    )
    out = capsys.readouterr().out
    dues = _due_dates(out, "reception-day")

    assert 0 == status
    assert "from 2021-01-01 to 2021-12-31" in out
    assert 12 == len(dues)
    # 4/15 falls in 三月三 (4/14–4/16 off); Saturday 4/17 rests, Sunday 4/18 is worked.
    assert "2021-04-18" == dues[3]


@pytest.mark.parametrize("span", [["--from", "2021-01-01"], ["--to", "2021-12-31"]])
def test_calendar_year_with_from_or_to_is_a_usage_error(
    span: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--unit", "450312", "--year", "2021", *span])

    assert 2 == caught.value.code
    err = capsys.readouterr().err
    assert "--year" in err
    assert span[0] in err


@pytest.mark.parametrize("year", ["21", "2021-01", "0999"])
def test_calendar_year_must_be_written_with_four_digits(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--unit", "450312", "--year", year])

    assert 2 == caught.value.code
    assert "YYYY" in capsys.readouterr().err


def test_calendar_with_a_guangxi_holiday_file_covers_2026(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "guangxi-2026.toml", GUANGXI_2026)
    args = ["calendar", "--unit", "450312", "--from", "2026-04-01", "--to", "2026-04-30"]
    args += ["--routine", "reception-day"]

    assert 0 == cli.main([*args, "--holidays", str(path)])
    with_file = _due_dates(capsys.readouterr().out, "reception-day")
    assert 0 == cli.main([*args, "--national-calendar"])
    national = _due_dates(capsys.readouterr().out, "reception-day")

    assert (["2026-04-17"], ["2026-04-15"]) == (with_file, national)


def test_calendar_takes_several_holiday_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guangxi = _write(tmp_path / "guangxi-2026.toml", GUANGXI_2026)
    national = _write(tmp_path / "national-2027.toml", NATIONAL_2027)
    args = ["calendar", "--unit", "450312101", "--year", "2026"]

    # December's occasions fall due in January 2027: every layer needs 2027 too.
    assert 1 == cli.main([*args, "--holidays", str(guangxi)])
    assert "no national holiday data for 2027" in capsys.readouterr().err
    assert 1 == cli.main([*args, "--holidays", str(guangxi), "--holidays", str(national)])
    assert "no Guangxi 壮族三月三 holiday data for 2027" in capsys.readouterr().err
    assert 0 == cli.main([*args, "--holidays", str(national), "--national-calendar"])
    assert "dispatch-meeting" in capsys.readouterr().out


def test_calendar_refuses_a_broken_holiday_file_naming_file_year_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "guangxi-2026.toml", GUANGXI_2026.replace("2026-04-16", "2026-4-16"))
    template = EXAMPLES / "guangxi-sanyuesan-2026.toml"

    assert 1 == cli.main(["calendar", "--unit", "450312", "--holidays", str(path)])
    err = capsys.readouterr().err
    assert str(path) in err
    assert "not valid TOML" in err
    assert 1 == cli.main(["calendar", "--unit", "450312", "--holidays", str(template)])
    assert "[years.2026] notice.title" in capsys.readouterr().err
    assert 1 == cli.main(["calendar", "--unit", "450312", "--holidays", str(tmp_path / "no")])
    assert "holiday file" in capsys.readouterr().err


@pytest.mark.parametrize("unit", ["459999", "450312999", "4599", "110199"])
def test_calendar_refuses_a_unit_the_divisions_do_not_know(
    unit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--unit", unit, "--year", "2021"])

    assert 2 == caught.value.code
    err = capsys.readouterr().err
    assert "argument --unit" in err
    assert unit in err
    assert "not in the bundled division data" in err


def test_calendar_refuses_a_code_that_is_no_division_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--unit", "999999", "--year", "2021"])

    assert 2 == caught.value.code
    assert "unknown province code 99" in capsys.readouterr().err


@pytest.mark.parametrize("unit", ["450312101001", "110105001", "110105001001"])
def test_calendar_takes_a_unit_below_the_bundled_levels(
    unit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["calendar", "--unit", unit, "--year", "2021", "--routine", "symposium"])

    assert 0 == status
    assert 4 == len(_due_dates(capsys.readouterr().out, "symposium"))


# --- evaluate, report and demo: --parameters, --allow-stale, --holidays ------------------------

# TEST INPUT, NOT LAW: no conscript family allowance is bundled (it is set locally).
PARAMETERS = """\
[[parameter]]
key = "conscript_family_allowance.annual_amount"
label_zh = "测试"
label_en = "test"
unit = "CNY/year"

  [[parameter.version]]
  effective_from = "2000-01-01"
  citation = { document = "test input, not law" }
  value = "12000"
"""


def _evaluated(path: Path, out: Path, *options: str) -> list[dict[str, str]]:
    args = ["evaluate", "--store", str(path), "--on", "2021-01-06", "--out", str(out)]
    assert 0 == cli.main([*args, *options])
    return _rows(out.read_text(encoding="utf-8-sig"))


def test_evaluate_marks_decisions_made_with_stale_figures(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    rule = ["--rule", "survivor_pension"]
    strict = _evaluated(path, tmp_path / "strict.csv", *rule)
    lenient = _evaluated(path, tmp_path / "stale.csv", *rule, "--allow-stale")
    said = capsys.readouterr().out

    # The 2019-08-01 standard is known only until 2020-07-31 and the 2020-08-01 amounts are not
    # bundled (data/jurisdictions/national/national.toml): on 2021-01-06 what had no parameter is decided with
    # the stale figure, and says so.
    missing = [i for i, r in enumerate(strict) if r["判定 outcome"] == "无参数 no parameter"]
    decided = [lenient[i] for i in missing]
    assert missing
    assert [r["公民身份号码"] for r in decided] == [strict[i]["公民身份号码"] for i in missing]
    assert {"survivor_pension.annual_standard"} == {r["过期数据 stale"] for r in decided}
    assert all(r["过期数据 stale"] == "" for r in strict)
    assert f"{len(decided):,} made with a figure past its confirmed date" in said


def test_evaluate_uses_the_users_parameter_files(demo: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = demo
    parameters = _write(tmp_path / "local.toml", PARAMETERS)
    rule = ["--rule", "conscript_family_allowance"]
    without = _evaluated(path, tmp_path / "without.csv", *rule)
    with_file = _evaluated(path, tmp_path / "with.csv", *rule, "--parameters", str(parameters))

    assert len(without) == len(with_file) > 0
    assert any(r["判定 outcome"] == "无参数 no parameter" for r in without)
    assert all(r["判定 outcome"] != "无参数 no parameter" for r in with_file)
    assert {"12000"} == {r["年标准 annual"] for r in with_file if r["年标准 annual"]}


def test_evaluate_refuses_a_missing_or_broken_parameter_file(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    out = tmp_path / "x.csv"
    broken = _write(tmp_path / "broken.toml", "[[parameter]\nkey = 1")
    args = ["evaluate", "--store", str(path), "--on", "2021-01-06", "--out", str(out)]

    assert 1 == cli.main([*args, "--parameters", str(tmp_path / "none.toml")])
    assert "parameter file" in capsys.readouterr().err
    assert 1 == cli.main([*args, "--parameters", str(broken)])
    assert "broken.toml" in capsys.readouterr().err
    assert not out.exists()


def test_report_checks_routines_with_the_users_holiday_files(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    national = _write(tmp_path / "national-2027.toml", NATIONAL_2027)
    parameters = _write(tmp_path / "local.toml", PARAMETERS)
    args = ["report", "--store", str(path), "--on", "2026-11-28", "--year", "2026"]
    args += ["--holidays", str(national), "--parameters", str(parameters), "--allow-stale"]

    status = cli.main(args)
    out = capsys.readouterr().out

    assert 0 == status
    assert "not checked" not in out
    assert "routines: national calendar used (no Guangxi 壮族三月三 holiday data for 2026" in out


def test_the_demo_checks_the_users_files_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "demo.sqlite"
    broken = _write(tmp_path / "broken.toml", NATIONAL_2027.replace('law = "2024"', 'law = "2013"'))

    assert 1 == cli.main(["demo", "--store", str(store), "--holidays", str(broken)])
    assert "[years.2027] law" in capsys.readouterr().err
    assert 1 == cli.main(["demo", "--store", str(store), "--parameters", str(tmp_path / "no")])
    assert "parameter file" in capsys.readouterr().err
    assert not store.exists()


def test_the_demo_counts_stale_decisions_when_allowed(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite"
    parameters = _write(tmp_path / "local.toml", PARAMETERS)
    capture = tmp_path / "demo.txt"
    args = ["demo", "--store", str(store), "--size", str(SIZE), "--allow-stale"]
    args += ["--parameters", str(parameters), "--holidays", str(EXAMPLES / "holidays-cn-2014.toml")]

    with capture.open("w", encoding="utf-8") as out, contextlib.redirect_stdout(out):
        status = cli.main(args)
    text = capture.read_text(encoding="utf-8")
    columns = ["decided", "eligible", "not", "undetermined", "no parameter", "stale", "annual"]
    header = next(line for line in text.splitlines() if line.split()[:2] == ["rule", "decided"])
    rows = {
        line.split()[0]: dict(zip(columns, line.split()[1:], strict=True))
        for line in text.splitlines()
        if line.split()[:1] in (["survivor_pension"], ["conscript_family_allowance"])
    }

    assert 0 == status
    assert ["no", "parameter", "stale", "annual"] == header.split()[5:9]
    assert int(rows["survivor_pension"]["stale"]) > 0
    assert "0" == rows["survivor_pension"]["no parameter"]  # the stale figure decides
    assert "0" == rows["conscript_family_allowance"]["no parameter"]  # the user's figure decides
    assert "'stale' = decided with a figure past the date" in text


# --- --version, typed workbooks, byte-order marks, --out -, --json ------------------------------

BOM = b"\xef\xbb\xbf"
DISABILITY = ["--rule", "disability_pension", "--on", "2021-01-06"]


def test_version_is_the_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])

    assert 0 == caught.value.code
    assert f"veteran-affairs {metadata.version('veteran_affairs')}\n" == capsys.readouterr().out


def test_evaluate_to_xlsx_writes_amounts_as_numbers_and_identity_numbers_as_text(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    book, text = tmp_path / "decisions.xlsx", tmp_path / "decisions.csv"
    base = ["evaluate", "--store", str(path), *DISABILITY, "--include-personal-data"]
    assert 0 == cli.main([*base, "--out", str(book)])
    assert 0 == cli.main([*base, "--out", str(text)])
    capsys.readouterr()

    lines = list(openpyxl.load_workbook(book).worksheets[0].iter_rows())
    csv_rows = list(csv.reader(text.read_text(encoding="utf-8-sig").splitlines()))[1:]
    amounts = [(line[4], line[5], row) for line, row in zip(lines[1:], csv_rows, strict=True)]
    paid = [(annual, monthly, row) for annual, monthly, row in amounts if annual.value is not None]

    assert paid  # the demo has disabled veterans with a pension
    assert {"s"} == {line[0].data_type for line in lines[1:]}
    assert all(FULL_ID.fullmatch(str(line[0].value)) for line in lines[1:])
    for annual, monthly, row in paid:
        assert ("n", "n") == (annual.data_type, monthly.data_type)
        assert ("0.00", "0.00") == (annual.number_format, monthly.number_format)
        # The workbook's number is the CSV's exact decimal, to the fen.
        assert Decimal(row[4]) == Decimal(repr(annual.value))
        assert Decimal(row[5]) == Decimal(repr(monthly.value))
    assert all(line[4].value is None for line in lines[1:] if "符合 eligible" != line[3].value)


def test_evaluate_out_dash_writes_csv_to_stdout_and_the_summary_to_stderr(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    file = tmp_path / "decisions.csv"
    base = ["evaluate", "--store", str(path), *DISABILITY]
    assert 0 == cli.main([*base, "--out", str(file)])
    capsys.readouterr()

    status = cli.main([*base, "--out", "-"])

    captured = capsys.readouterr()
    assert 0 == status
    assert not captured.out.startswith("\ufeff")  # a stream gets no byte-order mark
    assert _rows(file.read_text(encoding="utf-8-sig")) == _rows(captured.out)
    assert "decisions written to standard output" in captured.err


def test_evaluate_json_counts_every_rule_and_outcome(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    out = tmp_path / "decisions.csv"
    argv = ["evaluate", "--store", str(path), "--on", "2021-01-06", "--out", str(out)]

    status = cli.main([*argv, "--rule", "survivor_pension", "--rule", "disability_pension"])
    said = capsys.readouterr()
    status_json = cli.main([*argv, "--rule", "survivor_pension", "--rule", "disability_pension",
                            "--allow-stale", "--json"])  # fmt: skip
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout holds the JSON document and nothing else
    rows = _rows(out.read_text(encoding="utf-8-sig"))

    assert (0, 0) == (status, status_json)
    assert "written" in said.out
    assert "decisions written to" in captured.err
    assert (str(out), "2021-01-06", len(rows)) == (summary["out"], summary["on"], summary["rows"])
    assert ["survivor_pension", "disability_pension"] == list(summary["rules"])
    for rule, counts in summary["rules"].items():
        mine = [r for r in rows if r["规则 rule"] == rule]
        outcomes = [r["判定 outcome"].split(" ", 1)[1] for r in mine]
        assert counts["decided"] == len(mine)
        assert counts["eligible"] == outcomes.count("eligible")
        assert counts["not_eligible"] == outcomes.count("not eligible")
        assert counts["undetermined"] == outcomes.count("undetermined")
        assert counts["no_parameter"] == outcomes.count("parameter")
        assert counts["stale"] == sum(1 for r in mine if r["过期数据 stale"])
        paid = sum((Decimal(r["年标准 annual"]) for r in mine if r["判定 outcome"] == "符合 eligible"
                    and r["年标准 annual"]), Decimal(0))  # fmt: skip
        assert Decimal(counts["annual_total"]) == paid
    assert summary["stale"] == sum(c["stale"] for c in summary["rules"].values()) > 0


def test_evaluate_json_with_out_dash_is_a_usage_error(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    with pytest.raises(SystemExit) as caught:
        cli.main(["evaluate", "--store", str(path), *DISABILITY, "--out", "-", "--json"])

    assert 2 == caught.value.code
    assert "--json" in capsys.readouterr().err


def test_evaluate_refuses_an_unknown_suffix_before_any_work(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    out = tmp_path / "decisions.ods"

    status = cli.main(["evaluate", "--store", str(path), *DISABILITY, "--out", str(out)])

    assert 1 == status
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert not out.exists()


def test_report_json_gives_the_csv_rows_with_typed_figures(
    demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    args = ["report", "--store", str(path), "--on", "2021-01-06", "--year", "2020"]
    assert 0 == cli.main([*args, "--format", "csv"])
    rows = _rows(capsys.readouterr().out)

    status = cli.main([*args, "--json"])

    summary = json.loads(capsys.readouterr().out)
    kinds = {column["key"]: column["kind"] for column in summary["columns"]}
    assert 0 == status
    assert "summary" == summary["kind"]
    assert [r["code"] for r in rows] == [r["code"] for r in summary["rows"]]
    assert 14 == sum(1 for r in summary["rows"] if 2 == r["level"])  # every city
    assert summary["notes"]
    for text, typed in zip(rows, summary["rows"], strict=True):
        assert (int(text["level"]), int(text["depth"])) == (typed["level"], typed["depth"])
        for key, kind in kinds.items():
            value = typed[key]
            if kind == "count":
                assert isinstance(value, int), key
                assert int(text[key]) == value, key
            elif kind == "money":
                assert isinstance(value, str), key
                assert Decimal(text[key]) == Decimal(value), key
            elif value is None:
                assert "" == text[key], key
            else:
                assert isinstance(value, float), key
                assert float(text[key]) == value, key
    assert {"count", "money", "rate"} <= set(kinds.values())


@pytest.mark.parametrize("other", [["--format", "csv"], ["--out", "r.csv"]])
def test_report_json_with_a_format_or_a_file_is_a_usage_error(
    other: list[str], demo: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    with pytest.raises(SystemExit) as caught:
        cli.main(["report", "--store", str(path), "--json", *other])

    assert 2 == caught.value.code
    assert f"not allowed with {other[0]}" in capsys.readouterr().err


def test_report_out_writes_the_csv_with_a_byte_order_mark(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    args = ["report", "--store", str(path), "--on", "2021-01-06", "--year", "2020"]
    out = tmp_path / "report.csv"
    assert 0 == cli.main([*args, "--format", "csv"])
    printed = capsys.readouterr().out

    status = cli.main([*args, "--out", str(out)])  # the format follows the suffix

    assert 0 == status
    assert f"{len(_rows(printed))} rows written to" in capsys.readouterr().out
    assert not printed.startswith("\ufeff")
    assert BOM + printed.encode() == out.read_bytes()


def test_report_out_xlsx_writes_the_csv_rows_as_typed_cells(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    args = ["report", "--store", str(path), "--on", "2021-01-06", "--year", "2020"]
    out = tmp_path / "report.xlsx"
    assert 0 == cli.main([*args, "--json"])
    summary = json.loads(capsys.readouterr().out)

    status = cli.main([*args, "--out", str(out)])

    assert 0 == status
    assert f"{len(summary['rows'])} rows written to" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    kinds = [c["kind"] for c in summary["columns"]]
    assert ["代码 code", "名称 name", "层级 level", "深度 depth"] == list(table[0][:4])
    assert len(summary["rows"]) == len(table) - 1
    assert "广西壮族自治区" == table[1][1]  # the province line comes first
    for typed, cells in zip(summary["rows"], table[1:], strict=True):
        assert (typed["code"], typed["level"], typed["depth"]) == (cells[0], cells[2], cells[3])
        assert isinstance(cells[0], str)  # a code stays text
        for column, kind, cell in zip(summary["columns"], kinds, cells[4:], strict=True):
            value = typed[column["key"]]
            if value is None:
                assert cell is None
            elif kind == "count":
                assert isinstance(cell, int)
                assert value == cell
            elif kind == "money":
                assert isinstance(cell, int | float)
                assert Decimal(value) == Decimal(str(cell))
            else:
                assert isinstance(cell, int | float)
                assert value == pytest.approx(cell)


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--out", "report.xlsx", "--format", "csv"], ".xlsx"),
        (["--out", "report.csv", "--format", "xlsx"], ".xlsx"),
        (["--format", "xlsx"], "--out FILE.xlsx"),
    ],
)
def test_report_xlsx_needs_a_workbook_file_before_any_work(
    options: list[str],
    said: str,
    demo: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _ = demo
    monkeypatch.chdir(tmp_path)

    status = cli.main(["report", "--store", str(path), *options])

    assert 1 == status
    assert said in capsys.readouterr().err
    assert [] == list(tmp_path.iterdir())


def test_report_out_as_text_or_html_has_no_byte_order_mark(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    args = ["report", "--store", str(path), "--on", "2021-01-06", "--year", "2020"]
    text, page = tmp_path / "report.txt", tmp_path / "report.html"
    assert 0 == cli.main([*args, "--out", str(text)])
    assert 0 == cli.main([*args, "--out", str(page)])
    capsys.readouterr()

    assert "五级汇总" in text.read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8").startswith("<table>")


def test_every_csv_file_evaluate_and_calendar_write_starts_with_a_byte_order_mark(
    demo: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = demo
    decisions, occasions = tmp_path / "decisions.csv", tmp_path / "calendar.csv"
    assert 0 == cli.main(["evaluate", "--store", str(path), *DISABILITY, "--out", str(decisions)])
    assert 0 == cli.main(
        ["calendar", "--unit", "450312", "--year", "2021", "--out", str(occasions)]
    )
    capsys.readouterr()

    assert all(f.read_bytes().startswith(BOM) for f in (decisions, occasions))


def test_calendar_to_xlsx_has_date_cells_and_numbers_of_workdays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "calendar.xlsx"
    args = ["calendar", "--unit", "450312", "--from", "2025-01-01", "--to", "2025-12-31"]
    assert 0 == cli.main([*args, "--routine", "symposium", "--out", str(out)])
    capsys.readouterr()

    lines = list(openpyxl.load_workbook(out).worksheets[0].iter_rows())
    today = dt.date.today()

    assert 4 == len(lines) - 1
    for line in lines[1:]:
        opens, due, closes, left = (cell.value for cell in line[3:7])
        assert {"d"} == {cell.data_type for cell in line[3:6]}
        assert isinstance(opens, dt.datetime)
        assert isinstance(due, dt.datetime)
        assert isinstance(closes, dt.datetime)
        assert opens <= due <= closes
        assert ("past" == left) if due.date() < today else isinstance(left, int)
    assert ["2025Q1", "2025Q2", "2025Q3", "2025Q4"] == [line[2].value for line in lines[1:]]
