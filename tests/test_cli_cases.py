"""``evaluate`` and ``demo`` decide the stored assistance cases (困难帮扶援助), every one of them."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DemoRun
from tests.rules.builders import resident_id
from veteran_affairs import cli
from veteran_affairs.cli._common import width
from veteran_affairs.cli._decision_output import Tally
from veteran_affairs.cli._demo import COLUMNS, rules_table
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    AssistanceCase,
    DischargeMode,
    HardshipCause,
    HukouType,
    Person,
    PersonnelType,
    ServiceRecord,
    ServingMember,
    Veteran,
)
from veteran_affairs.repositories import SqliteStore

D = dt.date
RULE = "hardship_assistance"
ON = "2021-01-06"
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")
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

LINGUI = DivisionCode("450312101201")  # a village of 临桂区
ELSEWHERE = DivisionCode("450102001001")  # a village of 兴宁区, Nanning


def person(body: str, hukou: DivisionCode = LINGUI) -> Person:
    return Person(
        resident_id=resident_id(body),
        name="韦国强",
        hukou_division=hukou,
        hukou_type=HukouType.RURAL,
    )


def veteran(body: str, hukou: DivisionCode = LINGUI) -> Veteran:
    return Veteran(
        person=person(body, hukou),
        service=ServiceRecord(
            enlisted_on=D(1990, 3, 1),
            discharged_on=D(1993, 3, 1),
            personnel_type=PersonnelType.CONSCRIPT,
            discharge_mode=DischargeMode.SELF_EMPLOYMENT,
        ),
    )


VETERAN = veteran("45031219700101001")
MOVED = veteran("45031219710101001", hukou=ELSEWHERE)  # lives outside 临桂区
SERVING = ServingMember(
    person=person("45031220000303003"),
    service=ServiceRecord(enlisted_on=D(2019, 9, 1), personnel_type=PersonnelType.CONSCRIPT),
    enlisted_from=DivisionCode("450312"),
)
ABSENT = resident_id("45031219800404004")


def case(number: int, applicant: Veteran | ServingMember | None) -> AssistanceCase:
    return AssistanceCase.apply(
        case_id=f"450312-2020-{number:04d}",
        applicant=ABSENT if applicant is None else applicant.resident_id,
        division=DivisionCode("450312"),
        cause=HardshipCause.SUDDEN_EVENT,
        incident_on=D(2020, 6, 1),
        on=D(2020, 6, 3),
        actor="applicant",
        requested_amount=Decimal("5000"),
    )


CASES = [case(1, VETERAN), case(2, VETERAN), case(3, None), case(4, SERVING), case(5, MOVED)]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store of three persons and five cases: two of a veteran, one each of a person not in
    the store, a serving member and a veteran living outside 临桂区."""
    path = tmp_path / "cases.sqlite"
    SqliteStore(path).bulk_add([VETERAN, MOVED, SERVING, *CASES], actor="test")
    return path


def _evaluate(
    store: Path, tmp_path: Path, *extra: str
) -> tuple[list[dict[str, str]], dict[str, int]]:
    out = tmp_path / "decisions.csv"
    argv = ["evaluate", "--store", str(store), "--on", ON, "--rule", RULE, "--out", str(out)]
    capture = tmp_path / "summary.json"
    with capture.open("w", encoding="utf-8") as said, contextlib.redirect_stdout(said):
        assert 0 == cli.main([*argv, "--json", *extra])
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    counts: dict[str, int] = json.loads(capture.read_text(encoding="utf-8"))["rules"][RULE]
    return rows, counts


def test_evaluate_writes_one_row_per_stored_case_naming_the_case(
    store: Path, tmp_path: Path
) -> None:
    rows, counts = _evaluate(store, tmp_path)

    assert [c.case_id for c in CASES] == [r["姓名/户"] for r in rows]
    assert [str(c.applicant) for c in CASES] == [r["公民身份号码"] for r in rows]
    assert FULL_ID.search(json.dumps(rows, ensure_ascii=False)) is None  # masked
    assert [
        "无参数 no parameter",
        "无参数 no parameter",
        "无法判定 not decidable",
        "无法判定 not decidable",
        "无参数 no parameter",
    ] == [r["判定 outcome"] for r in rows]
    assert "applicant not in the store (申请人不在库中)" == rows[2]["说明 reason"]
    assert "申请人为现役军人" in rows[3]["说明 reason"]
    assert "application_window_days" in rows[0]["说明 reason"]
    assert (3, 3, 2) == (counts["decided"], counts["no_parameter"], counts["not_decidable"])


def test_evaluate_decides_the_stored_cases_once_the_figures_are_supplied(
    store: Path, tmp_path: Path
) -> None:
    figures = tmp_path / "figures.toml"
    figures.write_text(FIGURES, "utf-8")

    rows, counts = _evaluate(store, tmp_path, "--parameters", str(figures))

    # Whether ordinary assistance was considered first is not stored: unknown, so undetermined.
    assert ["待核实 undetermined"] * 2 == [r["判定 outcome"] for r in rows[:2]]
    assert all("社会救助" in r["说明 reason"] for r in rows[:2])
    expected = {"decided": 3, "undetermined": 3, "no_parameter": 0, "not_decidable": 2}
    assert expected == {key: counts[key] for key in expected}


def test_evaluate_within_a_unit_cannot_find_an_applicant_living_outside_it(
    store: Path, tmp_path: Path
) -> None:
    rows, counts = _evaluate(store, tmp_path, "--within", "450312")

    moved = next(r for r in rows if r["姓名/户"] == "450312-2020-0005")
    assert "无法判定 not decidable" == moved["判定 outcome"]
    assert "applicant not in the store (申请人不在库中)" == moved["说明 reason"]
    assert (5, 3) == (len(rows), counts["not_decidable"])


def test_evaluate_with_personal_data_writes_the_applicants_full_number(
    store: Path, tmp_path: Path
) -> None:
    rows, _ = _evaluate(store, tmp_path, "--include-personal-data")

    assert [c.applicant.unmasked for c in CASES] == [r["公民身份号码"] for r in rows]


def test_evaluate_of_other_rules_writes_no_case_rows(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "decisions.csv"
    argv = ["evaluate", "--store", str(store), "--on", ON, "--rule", "key_entitled"]

    assert 0 == cli.main([*argv, "--out", str(out)])

    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {"key_entitled"} == {r["规则 rule"] for r in rows}
    assert not any(r["姓名/户"].startswith("450312-2020-") for r in rows)


def test_the_rules_table_counts_and_explains_records_not_decidable() -> None:
    counted = Tally(rule=RULE, no_parameter=3, not_decidable=2, first_problem="a figure")
    counted.not_decidable_problems.update(
        {"applicant not in the store (申请人不在库中)": 1, "a serving member": 1}
    )
    others = Tally(rule="key_entitled", eligible=4)

    text = rules_table([others, counted], on=D(2021, 1, 6), jurisdiction="guangxi", stale=True)

    header = next(line for line in text.splitlines() if line.split()[:2] == ["rule", "decided"])
    row = next(line for line in text.splitlines() if line.split()[:1] == [RULE])
    assert ["no", "parameter", "not", "decidable", "stale", "annual"] == header.split()[5:11]
    assert ["3", "0", "0", "0", "3", "2", "0", "0.00"] == row.split()[1:]
    assert (
        f"  * {RULE}: 2 not decidable — applicant not in the store (申请人不在库中): 1; "
        "a serving member: 1"
    ) in text
    assert "'not decidable' = a stored record" in text
    assert "nothing in the store" not in text
    assert all(width(line) <= COLUMNS for line in text.splitlines())


def test_the_rules_table_has_no_not_decidable_column_when_every_record_was_decidable() -> None:
    text = rules_table([Tally(rule=RULE, no_parameter=3)], on=D(2021, 1, 6), jurisdiction="x")

    assert "not decidable" not in text


def test_the_demo_decides_its_stored_cases(demo_run: DemoRun) -> None:
    text = demo_run.out  # the run's demo (tests/conftest.py)
    written = re.search(r"cases (\d+)", text)
    assert written is not None
    stored = int(written.group(1))
    row = next(line.split() for line in text.splitlines() if line.split()[:1] == [RULE])
    assert stored > 0
    assert [str(stored), "0", "0", "0", str(stored)] == row[1:6]  # no figures: no parameter
    assert f"{RULE}: nothing in the store" not in text
    assert f"* {RULE}: parameter 'hardship_assistance.application_window_days'" in text
