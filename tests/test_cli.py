"""The command line: ``veteran-affairs divisions``, ``--help`` and ``python -m veteran_affairs``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from veteran_affairs import cli

SRC = Path(__file__).resolve().parent.parent / "src"
LEVELS_ZH = ("省级", "地级", "县级", "乡级", "村级")


def _lines_with(text: str, *words: str) -> list[str]:
    return [line for line in text.splitlines() if all(word in line.split() for word in words)]


def test_divisions_exits_0_and_prints_the_units_per_level(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected_status = 0
    expected_counts = {"province": "1", "city": "14", "county": "111", "township": "1,284"}
    status = cli.main(["divisions"])
    out = capsys.readouterr().out
    # Level rows read: number, 层级, unit, English, units.
    rows = [line.split() for line in out.splitlines()]
    counts = {row[3]: row[4] for row in rows if len(row) >= 5 and row[1] in LEVELS_ZH}
    assert expected_status == status
    assert expected_counts == {english: counts[english] for english in expected_counts}
    assert "not bundled" in _lines_with(out, "村级")[0]


def test_level_table_lists_all_five_levels_with_chinese_labels() -> None:
    expected = list(LEVELS_ZH)
    rows = [line.split() for line in cli.level_table().splitlines()]
    assert expected == [row[1] for row in rows if len(row) > 1 and row[1] in LEVELS_ZH]


def test_township_kinds_add_up_to_the_township_level_total() -> None:
    expected = {"街道": "135", "镇": "806", "乡": "312", "类似乡级": "31", "合计": "1,284"}
    table = cli.township_kind_table()
    actual = {label: _lines_with(table, label)[0].split()[-1] for label in expected}
    assert expected == actual


def test_city_table_has_14_cities_and_the_regional_totals() -> None:
    expected_cities = 14
    expected_totals = ["111", "1,284", "31"]
    table = cli.city_table()
    city_rows = [line for line in table.splitlines() if line.split()[0].startswith("45")]
    assert expected_cities == len(city_rows)
    assert expected_totals == _lines_with(table, "合计")[0].split()[-3:]


def test_the_seed_figure_is_labelled_as_reported_not_computed() -> None:
    expected = "17,624 service centres and stations"
    note = cli.seed_network_note()
    assert expected in note
    assert "1 + 14 + 111 + 1,251 + 16,247" in note
    assert "reported (not computed)" in note
    assert "not bundled" in note


def test_the_source_summary_names_the_edition_and_commit() -> None:
    summary = cli.source_summary()
    assert "cut-off 2022-10-31" in summary
    assert "57a0aa9" in summary
    assert "guangxi.csv" in summary


def test_divisions_report_joins_every_section() -> None:
    expected = [
        cli.level_table(),
        cli.township_kind_table(),
        cli.city_table(),
        cli.seed_network_note(),
        cli.source_summary(),
    ]
    report = cli.divisions_report()
    assert expected == [section for section in expected if section in report]


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    expected = 0
    with pytest.raises(SystemExit) as caught:
        cli.main(["--help"])
    assert expected == caught.value.code
    out = capsys.readouterr().out
    assert [] == [
        command
        for command in ("demo", "import", "export", "evaluate", "report", "calendar", "divisions")
        if command not in out
    ]


def test_no_command_is_a_usage_error() -> None:
    expected = 2
    with pytest.raises(SystemExit) as caught:
        cli.main([])
    assert expected == caught.value.code


def test_python_dash_m_runs_the_command_line() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "PYTHONIOENCODING": "utf-8",
    }
    done = subprocess.run(
        [sys.executable, "-m", "veteran_affairs", "divisions"],
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
    )
    expected_status = 0
    out = done.stdout.decode("utf-8")
    assert expected_status == done.returncode, done.stderr.decode("utf-8", "replace")
    assert cli.divisions_report() == out.replace("\r\n", "\n")
