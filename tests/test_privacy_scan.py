"""The privacy scan: no output shows a full ID, a rebuildable ID or a full name (隐私扫描).

Every output of the library and of the command is scanned — reprs of every model and store
value, errors of rosters with identity numbers and names planted in the wrong columns, the
converter's error messages, decisions as text, HTML and JSON, the demo, ``import``,
``export``, ``evaluate`` and ``report``, and logging — for:

* a full identity number: any 18-character number, and every known person's number;
* a rebuildable one: a masked number (``450312********1230``) on the same line or row as the
  birth date of a person whose number masks so, in any common form — the hidden digits are
  that date, so the two together give the number back (``docs/privacy.md``);
* a full name: every known person's name.

None may be found unless personal data was asked for (``personal=True``,
``--include-personal-data``): there the scan must find them, which shows it can fail.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import logging
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DemoRun
from veteran_affairs import cli
from veteran_affairs.errors import InvalidValue, ParameterError
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import HukouType, Person, Survivor, Veteran
from veteran_affairs.repositories import AlreadyExists, MemoryStore, NotFound, SqliteStore
from veteran_affairs.rosters import (
    ROSTER_HEADER,
    RosterInvalid,
    read_roster,
    roster_cells,
    roster_row,
    write_table,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.hardship_assistance import hardship_applications
from veteran_affairs.serialization import describe_errors, make_converter, to_json
from veteran_affairs.synthetic import SyntheticRegion, generate_guangxi
from veteran_affairs.testing.strategies import models, person_names, resident_ids

ON = dt.date(2021, 1, 6)
FULL_ID = re.compile(r"(?<![0-9０-９])[0-9０-９]{17}[0-9０-９XxＸｘ](?![0-9０-９])")
MASKED_ID = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")


# --- the scanner ------------------------------------------------------------------------------


def _birth_forms(day: dt.date) -> frozenset[str]:
    """The ways a birth date is commonly written."""
    y, m, d = day.year, day.month, day.day
    return frozenset(
        {
            day.isoformat(),
            f"{day:%Y%m%d}",
            f"{y}年{m}月{d}日",
            f"{y}年{m:02d}月{d:02d}日",
            f"{y}/{m}/{d}",
            f"{y}/{m:02d}/{d:02d}",
            f"{y}.{m}.{d}",
        }
    )


@attrs.define
class Known:
    """What the scan looks for: the persons' full numbers, names and birth dates."""

    ids: set[str] = attrs.Factory(set)
    names: set[str] = attrs.Factory(set)
    births: dict[str, set[str]] = attrs.Factory(dict)  # masked number → birth date forms

    def add_id(self, rid: ResidentId) -> None:
        self.ids.add(rid.unmasked)
        self.births.setdefault(rid.masked, set()).update(_birth_forms(rid.birth_date))

    def add(self, *values: object) -> Known:
        """Every number and name in ``values`` (models, tuples of them, stored rows)."""
        for value in values:
            self._walk(value)
        return self

    def _walk(self, value: object) -> None:
        if isinstance(value, ResidentId):
            self.add_id(value)
        elif isinstance(value, Person):
            self.names.add(value.name)
            self.add_id(value.resident_id)
        elif isinstance(value, tuple | list):
            for item in value:
                self._walk(item)
        elif attrs.has(cls := type(value)):
            for field in attrs.fields(cls):
                self._walk(getattr(value, field.name))

    def leaks(self, text: str) -> list[str]:
        """What of the persons ``text`` shows: full numbers, rebuildable numbers, names."""
        found = [f"an 18-character number {m.group()}" for m in FULL_ID.finditer(text)]
        found += [f"the number or name {m.group()}" for m in self._pattern().finditer(text)]
        for line in text.splitlines() or [text]:
            for masked in MASKED_ID.findall(line):
                forms = self.births.get(masked, set())
                found += [f"{masked} beside {form}" for form in forms if form in line]
        return found

    def _pattern(self) -> re.Pattern[str]:
        words = sorted(self.ids | self.names, key=len, reverse=True)
        return _alternatives(tuple(words))


@functools.lru_cache(maxsize=64)
def _alternatives(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!)")


def _assert_clean(known: Known, outputs: Mapping[str, str]) -> None:
    leaks = {where: found for where, text in outputs.items() if (found := known.leaks(text))}
    assert {} == leaks


def _table(path: Path) -> str:
    """A written table as lines, one per row (cells joined by tabs), CSV or workbook."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as file:
            return "\n".join("\t".join(row) for row in csv.reader(file))
    book = openpyxl.load_workbook(path, read_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join(_cell_text(cell) for cell in row))
    book.close()
    return "\n".join(lines)


def _cell_text(cell: object) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    return "" if cell is None else str(cell)


# --- the scanner itself can fail -------------------------------------------------------------


def test_the_scanner_finds_a_full_number_a_rebuildable_one_and_a_name() -> None:
    rid = ResidentId("450312198001011230")
    known = Known(names={"合成韦明"}).add(rid)

    assert known.leaks("id 450312198001011230")
    assert known.leaks("450312********1230, born 1980年1月1日")
    assert known.leaks("Person(resident_id='450312********1230', birth_date=1980-01-01)")
    assert known.leaks("姓名 合成韦明")
    assert [] == known.leaks("450312********1230, born 1980")
    assert [] == known.leaks("450312********1230\n1980-01-01")  # not on one line


# --- the synthetic region: reprs, roster rows, decisions ------------------------------------


@pytest.fixture(scope="module")
def region() -> SyntheticRegion:
    return generate_guangxi(persons=400, seed=11, on=ON)


@pytest.fixture(scope="module")
def known(region: SyntheticRegion) -> Known:
    return Known().add(region.people, region.households, region.cases)


def _values(value: object) -> Iterator[object]:
    """``value`` and every model value inside it (identifiers are leaves: their own repr)."""
    yield value
    if isinstance(value, tuple):
        for item in value:
            yield from _values(item)
    elif attrs.has(cls := type(value)) and not isinstance(value, ResidentId | DivisionCode):
        for field in attrs.fields(cls):
            inner = getattr(value, field.name)
            if isinstance(inner, tuple) or attrs.has(type(inner)):
                yield from _values(inner)


def test_no_repr_of_a_synthetic_record_or_its_parts_leaks(
    region: SyntheticRegion, known: Known
) -> None:
    visits = [a for a in region.activities if a.contacts]  # the others name no one
    records = [*region.people, *region.households, *region.cases, *visits, *region.stations[:50]]
    outputs = {
        f"repr of {type(v).__name__} in record {n}": repr(v)
        for n, record in enumerate(records)
        for v in _values(record)
    }

    _assert_clean(known, outputs)


@given(models())
def test_no_repr_of_any_model_value_leaks(value: Any) -> None:
    _assert_clean(Known().add(value), {"repr": repr(value), "str": str(value)})


def test_masked_roster_rows_leak_nothing_and_hide_dates_on_birthdays(
    region: SyntheticRegion, known: Known
) -> None:
    records = [
        *(p for p in region.people if isinstance(p, Veteran | Survivor)),
        *region.households,
        *region.cases,
    ]
    outputs: dict[str, str] = {}
    for n, record in enumerate(records):
        outputs[f"row {n}"] = "\t".join(str(cell) for cell in roster_row(record))
        outputs[f"cells {n}"] = "\t".join(roster_cells(record))

    _assert_clean(known, outputs)


def test_a_status_begun_on_a_birthday_is_not_in_a_masked_row(region: SyntheticRegion) -> None:
    # 60周岁以上农村籍退役士兵 and 烈士老年子女 begin on the 60th birthday: that date is the
    # birth date sixty years on, so it would give the number back as the birth date does
    begun = [
        (person, status.since)
        for person in region.people
        if isinstance(person, Veteran | Survivor)
        for status in person.statuses
        if (status.since.month, status.since.day)
        == (person.person.birth_date.month, person.person.birth_date.day)
    ]
    shown = {since.isoformat(): "\t".join(roster_cells(person)) for person, since in begun}

    assert begun  # the synthetic region has such statuses
    assert {} == {day: cells for day, cells in shown.items() if day in cells}


def test_personal_roster_rows_do_show_numbers_and_names(region: SyntheticRegion) -> None:
    veteran = next(p for p in region.people if isinstance(p, Veteran))
    known = Known().add(veteran)

    found = known.leaks("\t".join(roster_cells(veteran, personal=True)))

    assert veteran.resident_id.unmasked in " ".join(found)
    assert veteran.person.name in " ".join(found)


def test_decisions_as_text_html_and_json_leak_nothing(
    region: SyntheticRegion, known: Known
) -> None:
    book = RuleBook.load("guangxi")
    persons = {p.resident_id: p for p in region.people}
    subjects = [
        *region.people[:150],
        *region.households[:50],
        *hardship_applications(region.cases, persons),
    ]
    outputs: dict[str, str] = {}
    for n, subject in enumerate(subjects):
        for rule in book.rule_names:
            if not book.rule(rule).applies_to(subject):
                continue
            where = f"{rule} of subject {n}"
            try:
                decision = book.evaluate(rule, subject, on=ON)
            except ParameterError as error:
                outputs[f"error {where}"] = str(error)
                continue
            outputs[f"explain {where}"] = decision.explain()
            outputs[f"html {where}"] = decision._repr_html_()
            outputs[f"repr {where}"] = repr(decision)
            outputs[f"json {where}"] = to_json(decision)
        outputs[f"subject {n}"] = repr(subject)

    assert any(key.startswith("explain") for key in outputs)
    _assert_clean(known, outputs)


# --- stores ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_store_values_and_errors_leak_nothing(
    kind: str, region: SyntheticRegion, known: Known, tmp_path: Path
) -> None:
    store = MemoryStore() if kind == "memory" else SqliteStore(tmp_path / "s.sqlite")
    people = region.people[:60]
    store.bulk_add(people, actor="privacy scan")
    outputs: dict[str, str] = {}
    with store.unit_of_work(actor="privacy scan") as work:
        for n, person in enumerate(people):
            outputs[f"read {n}"] = repr(work.persons.read(person.resident_id))
        for n, summary in enumerate(work.persons.summaries()):
            outputs[f"summary {n}"] = repr(summary)
        missing = ResidentId("450312198001011230")
        with pytest.raises(NotFound) as caught:
            work.persons.get(missing)
        outputs["not found"] = str(caught.value)
        with pytest.raises(AlreadyExists) as taken:
            work.persons.add(people[0])
        outputs["already exists"] = str(taken.value)
    for n, entry in enumerate(store.audit.entries()):
        outputs[f"audit repr {n}"] = repr(entry)
        outputs[f"audit str {n}"] = str(entry)

    _assert_clean(known.add(missing), outputs)


# --- errors: values in the wrong place -----------------------------------------------------------

_VICTIMS = st.tuples(resident_ids(), person_names().map(lambda name: "合成" + name))


def _planted_forms(rid: ResidentId, name: str) -> list[str]:
    born = rid.birth_date
    return [
        rid.unmasked,
        rid.unmasked.lower(),
        name,
        f"{name} {rid.unmasked}",
        f"{born.isoformat()} {rid.unmasked}",
        f"{rid.unmasked}{rid.unmasked}",  # over long
        " ".join([rid.unmasked[:6], rid.unmasked[6:14], rid.unmasked[14:]]),
    ]


@pytest.fixture(scope="module")
def roster_records(region: SyntheticRegion) -> list[Veteran]:
    return [p for p in region.people if isinstance(p, Veteran)][:6]


@settings(max_examples=60)
@given(
    victim=_VICTIMS,
    column=st.sampled_from(ROSTER_HEADER),
    row=st.integers(0, 5),
    form=st.integers(0, 6),
)
def test_roster_errors_quote_planted_values_masked(
    roster_records: list[Veteran], victim: tuple[ResidentId, str], column: str, row: int, form: int
) -> None:
    rid, name = victim
    planted = _planted_forms(rid, name)[form]
    rows = [roster_cells(v, personal=True) for v in roster_records]
    rows[row][ROSTER_HEADER.index(column)] = planted
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        write_table(path, ROSTER_HEADER, rows)
        result = read_roster(path)
    outputs = {f"error {n}": str(error) for n, error in enumerate(result.errors)}
    outputs |= {f"error value {n}": repr(error) for n, error in enumerate(result.errors)}
    outputs["result"] = repr(result)
    outputs |= {f"row {r.row}": repr(r) for r in result.rows}
    outputs |= {f"rejected {r.row}": repr(r) for r in result.rejects}
    try:
        result.raise_if_invalid()
    except RosterInvalid as error:
        outputs["raised"] = str(error)
    known = Known(names={name}).add(rid, roster_records)

    _assert_clean(known, outputs)


@settings(max_examples=60)
@given(
    victim=_VICTIMS,
    field=st.sampled_from(["hukou_division", "hukou_type", "sex", "ethnicity", "birth_date"]),
    form=st.integers(0, 6),
)
def test_converter_errors_quote_planted_values_masked(
    region: SyntheticRegion, victim: tuple[ResidentId, str], field: str, form: int
) -> None:
    rid, name = victim
    planted = _planted_forms(rid, name)[form]
    converter = make_converter()
    person = next(p for p in region.people if isinstance(p, Veteran)).person
    data = converter.unstructure(person)
    data[field] = planted + " " if field == "ethnicity" else planted
    with pytest.raises(cattrs.ClassValidationError) as caught:
        converter.structure(data, Person)

    messages = describe_errors(caught.value)

    _assert_clean(Known(names={name}).add(rid, person), {"describe_errors": "\n".join(messages)})


@pytest.mark.parametrize("form", range(7))
def test_identifier_and_model_errors_quote_planted_values_masked(form: int) -> None:
    rid, name = ResidentId("450312198001011230"), "合成韦明"
    planted = _planted_forms(rid, name)[form]
    own = ResidentId("450312198001010019")
    makers: dict[str, Callable[[], object]] = {
        "division code": lambda: DivisionCode(planted),
        "resident id": lambda: ResidentId(planted + "9"),
        "ethnicity": lambda: Person(
            resident_id=own,
            name="合成韦建国",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
            ethnicity=f"{planted} " * 8,  # too long, and a blank at the end
        ),
    }
    outputs: dict[str, str] = {}
    for what, make in makers.items():
        with pytest.raises(InvalidValue) as caught:
            make()
        outputs[what] = str(caught.value)

    _assert_clean(Known(names={name, "合成韦建国"}).add(rid, own), outputs)


# --- the command ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def _run(args: list[str]) -> tuple[int, str, str]:
    with _captured() as (out, err):
        try:
            status = cli.main(args)
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(demo_run: DemoRun) -> tuple[Path, str, Known]:
    """The run's demo store (tests/conftest.py), what the demo printed, and the persons it holds."""
    path, out, err = demo_run.store, demo_run.out, demo_run.err
    store = SqliteStore(path)
    with store.unit_of_work(actor="privacy scan") as work:
        known = Known().add(
            list(work.persons.find()), list(work.households.find()), list(work.cases.find())
        )
    return path, out + err, known


def test_the_demo_output_leaks_nothing(demo: tuple[Path, str, Known]) -> None:
    _, printed, known = demo

    _assert_clean(known, {"demo": printed})
    assert "One person's decisions" in printed


def test_export_evaluate_and_report_leak_nothing_by_default(
    demo: tuple[Path, str, Known], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, _, known = demo
    store = ["--store", str(path)]
    outputs: dict[str, str] = {}
    caplog.set_level(logging.DEBUG)
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"export.{suffix}"
        status, said, err = _run(["export", *store, "--out", str(out)])
        assert 0 == status, err
        outputs[f"export {suffix}"] = _table(out)
        outputs[f"export {suffix} messages"] = said + err
    for kind in ("survivors", "households", "cases"):
        out = tmp_path / f"{kind}.csv"
        assert 0 == _run(["export", *store, "--out", str(out), "--kind", kind])[0]
        outputs[f"export {kind}"] = _table(out)
    evaluated = tmp_path / "evaluate.csv"
    status, said, err = _run(["evaluate", *store, "--on", "2021-01-06", "--out", str(evaluated)])
    assert 0 == status, err
    outputs["evaluate"] = _table(evaluated) + said + err
    status, said, err = _run(["evaluate", *store, "--on", "2021-01-06", "--out", "-", "--json"])
    outputs["evaluate stdout"] = said + err
    for extra in ([], ["--format", "csv"], ["--format", "html"], ["--json"]):
        status, said, err = _run(["report", *store, "--on", "2021-01-06", *extra])
        assert 0 == status, err
        outputs[f"report {extra}"] = said + err
    outputs["logging"] = caplog.text

    _assert_clean(known, outputs)


def test_the_scan_finds_what_include_personal_data_asks_for(
    demo: tuple[Path, str, Known], tmp_path: Path
) -> None:
    path, _, known = demo
    store = ["--store", str(path)]
    exported, evaluated = tmp_path / "full.csv", tmp_path / "full-evaluate.csv"
    assert 0 == _run(["export", *store, "--out", str(exported), "--include-personal-data"])[0]
    assert (
        0
        == _run(
            [
                "evaluate",
                *store,
                "--on",
                "2021-01-06",
                "--out",
                str(evaluated),
                "--include-personal-data",
            ]
        )[0]
    )

    for text in (_table(exported), _table(evaluated)):
        found = " ".join(known.leaks(text))
        assert any(rid in found for rid in known.ids)
        assert any(name in found for name in known.names)
    # and the birth dates the masked export hides
    shown = _table(exported)
    assert any(form in shown for forms in known.births.values() for form in forms)


@settings(max_examples=25, deadline=None)
@given(victim=_VICTIMS, column=st.sampled_from(ROSTER_HEADER), form=st.integers(0, 6))
def test_import_reports_planted_values_masked(
    roster_records: list[Veteran], victim: tuple[ResidentId, str], column: str, form: int
) -> None:
    rid, name = victim
    planted = _planted_forms(rid, name)[form]
    rows = [roster_cells(v, personal=True) for v in roster_records]
    rows[2][ROSTER_HEADER.index(column)] = planted
    known = Known(names={name}).add(rid, roster_records)
    outputs: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        roster, store = Path(folder) / "roster.csv", Path(folder) / "store.sqlite"
        write_table(roster, ROSTER_HEADER, rows)
        for extra in ([], ["--json"], ["--skip-invalid", "--rejects", str(Path(folder) / "r")]):
            status, said, err = _run(["import", str(roster), "--store", str(store), *extra])
            outputs[f"import {extra} ({status})"] = said + err
            if extra == ["--json"]:
                json.loads(said)  # one document, whatever the errors

    _assert_clean(known, outputs)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--store", "x.sqlite", "--within", "450312198001011230"],
        ["evaluate", "--store", "x.sqlite", "--on", "450312198001011230", "--out", "-"],
        ["calendar", "--unit", "450312198001011230"],
        ["demo", "--store", "x.sqlite", "--size", "合成韦明"],
        ["report", "--store", "x.sqlite", "--year", "合成韦明"],
        ["export", "--store", "x.sqlite", "--out", "x.csv", "--kind", "450312198001011230"],
        ["demo", "--store", "x.sqlite", "--seed", "合成韦明"],
    ],
)
def test_argument_errors_quote_values_masked(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing is written, and if it were, not here
    status, said, err = _run(args)

    assert 2 == status
    known = Known(names={"合成韦明"}).add(ResidentId("450312198001011230"))
    _assert_clean(known, {"stderr": said + err})
