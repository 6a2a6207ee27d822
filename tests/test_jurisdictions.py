"""Jurisdiction profiles: one folder per province (issue 20, "one home per province").

A fixture province (``tests/data/jurisdictions/fixture-province/``, TEST DATA) is loaded
without any code naming it; Guangxi, now read through its profile, gives what the loaders gave
before; an incomplete profile is refused with an error naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from veteran_affairs import cli, divisions
from veteran_affairs.cycles import CalendarDataMissing, calendar_for, schedule
from veteran_affairs.cycles.routines import (
    GUANGXI_PRESET,
    BeforeFestival,
    Cycle,
    DueRule,
    Festival,
    Frequency,
    InMonthOfPeriod,
    InvalidRoutineFile,
    OnDayMovedToWorkday,
    WithinPeriod,
    WorkdaysAfterEnd,
    load_routines,
)
from veteran_affairs.errors import InvalidValue, UnknownJurisdiction
from veteran_affairs.hierarchy import DivisionTree
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.jurisdictions import SEARCH_PATH_VARIABLE, Jurisdiction, bundled, names
from veteran_affairs.models import ActivityKind
from veteran_affairs.parameters import load_parameter_file
from veteran_affairs.rules import RuleBook, bundled_jurisdictions
from veteran_affairs.synthetic._service_points import villages_of

D = dt.date
FIXTURES = Path(__file__).resolve().parent / "data" / "jurisdictions"
FIXTURE = FIXTURES / "fixture-province"
PROFILES = Path(str(resources.files("veteran_affairs") / "data" / "jurisdictions"))
SUPPLEMENT = "one_off_retirement_payment.local_supplement"


@pytest.fixture(scope="module")
def fixture() -> Jurisdiction:
    return Jurisdiction.load(FIXTURE)


@pytest.fixture(scope="module")
def guangxi() -> Jurisdiction:
    return Jurisdiction.load("guangxi")


# --- a province added as a folder -------------------------------------------------------------


def test_a_fixture_province_loads_from_its_folder(fixture: Jurisdiction) -> None:
    assert ("fixture-province", "national", "46", False) == (
        fixture.name,
        fixture.parent,
        fixture.division and fixture.division.short,
        fixture.bundled,
    )
    assert ["national", "fixture-province"] == [j.name for j in fixture.chain]
    assert "TEST DATA" in fixture.provenance["fixture-divisions.csv"]["source"]


def test_the_fixture_rule_book_layers_its_parameters_on_the_national_ones(
    fixture: Jurisdiction,
) -> None:
    book = fixture.rule_book()
    national = RuleBook.load("national")

    assert "fixture-province" == book.jurisdiction
    assert {*national.parameters.parameters, SUPPLEMENT} == set(book.parameters.parameters)
    assert [national.parameters[k] for k in national.parameters.parameters] == [
        book.parameters[k] for k in national.parameters.parameters
    ]
    assert [D(2024, 9, 1)] == [v.effective_from for v in book.parameters[SUPPLEMENT].versions]
    assert "一次性经济补助（测试省，测试数据）" == book.parameters[SUPPLEMENT].label_zh


def test_the_fixture_calendar_lays_its_own_days_over_the_national_ones(
    fixture: Jurisdiction,
) -> None:
    own = fixture.calendar()
    county = fixture.calendar("469801")
    national = calendar_for()

    assert (False, True) == (own.is_workday(D(2024, 5, 15)), own.is_workday(D(2024, 5, 18)))
    assert (False, True) == (county.is_workday(D(2024, 5, 15)), county.is_workday(D(2024, 5, 18)))
    assert (True, False) == (
        national.is_workday(D(2024, 5, 15)),
        national.is_workday(D(2024, 5, 18)),
    )
    assert calendar_for("460105").is_workday(D(2024, 5, 15))  # outside the fixture: unchanged


def test_the_fixture_calendar_does_not_guess_a_year_its_own_days_lack(
    fixture: Jurisdiction,
) -> None:
    with pytest.raises(CalendarDataMissing) as caught:
        fixture.calendar().is_workday(D(2025, 5, 15))

    assert (2025, "fixture 测试假日") == (caught.value.year, caught.value.calendar)


def test_a_unit_outside_the_jurisdiction_has_no_calendar_there(fixture: Jurisdiction) -> None:
    with pytest.raises(InvalidValue, match="outside fixture-province"):
        fixture.calendar("450312")


def test_the_fixture_tree_adds_its_units_to_the_bundled_ones_of_its_division(
    fixture: Jurisdiction,
) -> None:
    tree = fixture.tree()
    bundled_hainan = DivisionTree.bundled("46")

    assert len(bundled_hainan) + 5 == len(tree)
    assert ["469801001000", "469801101000", "469801201000"] == [
        d.code.value for d in tree.children("469801")
    ]
    assert ["测试一区（测试数据）", "测试市（测试数据）"] == [
        d.name for d in tree.ancestors("469801101")[:2]
    ]
    assert all(d.code.value.startswith("46") for d in tree)


def test_the_fixture_preset_schedules_on_the_fixture_calendar(fixture: Jurisdiction) -> None:
    preset = fixture.routine_preset()
    unit = DivisionCode("469801")
    may = (D(2024, 5, 1), D(2024, 5, 31))

    assert ["dispatch-meeting", "reception-day"] == list(preset)
    assert frozenset({DivisionLevel.COUNTY}) == preset["reception-day"].levels
    # The 10th is a Friday; a unit in the fixture province keeps it.
    assert [D(2024, 5, 10)] == [
        o.due for o in schedule(preset["reception-day"], unit, may, fixture.calendar(unit))
    ]


def test_a_profile_on_the_search_path_loads_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SEARCH_PATH_VARIABLE, str(FIXTURES))

    assert "fixture-province" in names()
    assert FIXTURE == Jurisdiction.load("fixture-province").folder
    assert "fixture-province" == RuleBook.load("fixture-province").jurisdiction
    assert ("guangxi", "national") == bundled_jurisdictions()


def test_a_search_argument_stands_in_for_the_environment_variable() -> None:
    loaded = Jurisdiction.load("fixture-province", search=[FIXTURES])

    assert loaded == Jurisdiction.load(FIXTURE)
    assert "fixture-province" in names([FIXTURES])
    assert "fixture-province" == RuleBook.load(str(FIXTURE)).jurisdiction


def test_the_command_line_takes_its_defaults_from_the_jurisdiction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["calendar", "--jurisdiction", str(FIXTURE), "--unit", "469801101", "--year", "2024"]
    status = cli.main([*args, "--routine", "dispatch-meeting"])
    out = capsys.readouterr().out

    assert 0 == status
    assert 12 == out.count("dispatch-meeting")
    assert 1 == cli.main([*args, "--routine", "symposium"])  # a Guangxi routine, not the fixture's
    assert "known: dispatch-meeting, reception-day" in capsys.readouterr().err


def test_the_divisions_command_summarises_the_jurisdictions_province(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert 0 == cli.main(["divisions", "--jurisdiction", str(FIXTURE)])
    out = capsys.readouterr().out

    assert "海南省 (46)" in out
    assert "测试市（测试数据）" in out
    assert "Seed article" not in out  # Guangxi's figures are shown for Guangxi only


def test_the_calendar_command_refuses_a_unit_no_table_of_the_jurisdiction_has(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["calendar", "--jurisdiction", str(FIXTURE), "--unit", "469802", "--year", "2024"])

    assert 2 == caught.value.code
    assert "argument --unit" in capsys.readouterr().err


# --- Guangxi, read through its profile, as before ---------------------------------------------


def test_the_bundled_profiles_are_national_then_guangxi() -> None:
    assert ["national", "guangxi"] == [j.name for j in bundled()]
    assert all(j.bundled for j in bundled())
    assert ("guangxi", "national") == bundled_jurisdictions()


def test_guangxis_parameters_are_its_file_over_the_national_file(guangxi: Jurisdiction) -> None:
    national_file = load_parameter_file(PROFILES / "national" / "national.toml")[1]
    guangxi_file = load_parameter_file(PROFILES / "guangxi" / "guangxi.toml")[1]
    expected = {**national_file, **guangxi_file}
    book = guangxi.rule_book()

    assert expected == {key: book.parameters[key] for key in book.parameters.parameters}
    assert RuleBook.load("guangxi") == book


def test_guangxis_calendar_is_the_bundled_one_of_its_codes(guangxi: Jurisdiction) -> None:
    assert calendar_for("45") is guangxi.calendar()
    assert calendar_for("450312") is guangxi.calendar("450312")
    # 壮族三月三 2024 (the 2024 notice): Thursday and Friday off in Guangxi only.
    assert (False, False, True) == (
        guangxi.calendar().is_workday(D(2024, 4, 11)),
        guangxi.calendar().is_workday(D(2024, 4, 12)),
        calendar_for().is_workday(D(2024, 4, 11)),
    )


def test_guangxis_tree_is_its_bundled_table_and_the_synthetic_villages_make_17655_units(
    guangxi: Jurisdiction,
) -> None:
    tree = guangxi.tree()
    villages = [v for d in tree if d.level is DivisionLevel.TOWNSHIP for v in villages_of(d)]

    assert 1_410 == len(tree)
    assert list(DivisionTree.bundled("45")) == list(tree)
    assert 17_655 == len(guangxi.tree(extra=villages))  # 17,624 with a station + 31 类似乡级


def test_guangxis_preset_is_the_one_it_always_had(guangxi: Jurisdiction) -> None:
    visit = frozenset({ActivityKind.HOME_VISIT})
    contact = visit | {ActivityKind.PHONE_CONTACT, ActivityKind.COUNTER_RECEPTION}
    centres = frozenset({DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY})
    report = frozenset({ActivityKind.STATISTICAL_REPORT})
    expected: list[tuple[str, str, set[ActivityKind] | frozenset[ActivityKind], str, DueRule]] = [
        ("dispatch-meeting", "月调度", {ActivityKind.DISPATCH_MEETING}, "monthly", WithinPeriod()),
        ("symposium", "季座谈", {ActivityKind.SYMPOSIUM}, "quarterly", WithinPeriod()),
        ("training", "半年培训", {ActivityKind.TRAINING}, "half-yearly", WithinPeriod()),
        (
            "reception-day",
            "领导接待日",
            {ActivityKind.RECEPTION_DAY},
            "monthly",
            OnDayMovedToWorkday(day=15),
        ),
        ("key-contact", "重点对象联系", contact, "quarterly", WithinPeriod()),
        ("key-home-visit", "重点对象上门走访", visit, "yearly", WithinPeriod()),
        (
            "army-day-visit",
            "八一走访慰问",
            visit,
            "yearly",
            BeforeFestival(festival=Festival.ARMY_DAY, lead_days=30),
        ),
        (
            "spring-festival-visit",
            "春节走访慰问",
            visit,
            "yearly",
            BeforeFestival(festival=Festival.SPRING_FESTIVAL, lead_days=30),
        ),
        (
            "payment-confirmation",
            "定期待遇年度确认",
            {ActivityKind.PAYMENT_CONFIRMATION},
            "yearly",
            InMonthOfPeriod(month=12),
        ),
        ("monthly-report", "月度统计报表", report, "monthly", WorkdaysAfterEnd(workdays=5)),
        ("quarterly-report", "季度统计报表", report, "quarterly", WorkdaysAfterEnd(workdays=5)),
    ]
    cycles = {
        name: Cycle(
            name=name,
            label_zh=label,
            kinds=kinds,
            frequency=Frequency(frequency),
            due=due,
            **({"levels": centres} if name == "reception-day" else {}),
        )
        for name, label, kinds, frequency, due in expected
    }

    assert cycles == dict(guangxi.routine_preset())
    assert cycles == dict(GUANGXI_PRESET)


def test_the_provenance_of_guangxis_files_is_in_its_manifest(guangxi: Jurisdiction) -> None:
    assert ["guangxi-sanyuesan.toml", "guangxi.csv", "guangxi.toml", "routines.toml"] == sorted(
        guangxi.provenance
    )
    assert all(entry["source"] for entry in guangxi.provenance.values())
    assert "2022" == divisions.source()["source"]["edition"]  # type: ignore[index]


# --- incomplete and wrong profiles ------------------------------------------------------------


def _copy(tmp_path: Path, name: str = "fixture-province") -> Path:
    folder = tmp_path / name
    shutil.copytree(FIXTURE, folder)
    if name != "fixture-province":
        _edit(folder, 'name = "fixture-province"', f'name = "{name}"')
    return folder


def _edit(folder: Path, old: str, new: str, file: str = "jurisdiction.toml") -> None:
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_unknown_name_names_the_bundled_profiles_and_the_folders_searched(
    tmp_path: Path,
) -> None:
    with pytest.raises(UnknownJurisdiction) as caught:
        Jurisdiction.load("atlantis", search=[tmp_path])

    message = str(caught.value)
    assert "'atlantis'" in message
    assert "bundled: guangxi, national" in message
    assert str(tmp_path) in message
    assert ("atlantis", (str(tmp_path),), "") == (
        caught.value.name,
        caught.value.searched,
        caught.value.problem,
    )


def test_text_that_is_neither_a_name_nor_a_path_is_an_unknown_name() -> None:
    with pytest.raises(UnknownJurisdiction, match="no jurisdiction named 'Guangxi'"):
        Jurisdiction.load("Guangxi")


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda f: (f / "jurisdiction.toml").unlink(), "has no jurisdiction.toml"),
        (lambda f: (f / "fixture-holidays.toml").unlink(), "holidays[0]: names 'fixture-holidays"),
        (
            lambda f: _edit(f, 'routines = "routines.toml"', 'routines = "../routines.toml"'),
            "routines: '../routines.toml' is not the name of a file",
        ),
        (
            lambda f: _edit(f, 'source = "TEST DATA: two made-up routines"', 'note = "x"'),
            'files."routines.toml".source: missing',
        ),
        (
            lambda f: _edit(f, '[files."routines.toml"]', 'sha256 = "00"\n[files."routines.toml"]'),
            'files."fixture-divisions.csv".sha256: does not match',
        ),
        (
            lambda f: _edit(f, "schema = 1", 'schema = 1\nlabel = "x"'),
            "label: unknown field",
        ),
        (lambda f: _edit(f, "schema = 1", "schema = 2"), "schema: must be 1"),
        (
            lambda f: _edit(f, 'parent = "national"', 'parent = "nowhere"'),
            "parent: no profile 'nowhere' beside it or on the search path",
        ),
        (
            lambda f: _edit(f, 'division = "46"', 'division = "4699"'),
            None,  # inside the parent's (none): accepted
        ),
        (lambda f: _edit(f, 'division = "46"', 'division = "99"'), "unknown province code 99"),
        (lambda f: _edit(f, 'division = "46"', ""), "division: missing"),
        (lambda f: _edit(f, 'label_zh = "测试省（测试数据）"', ""), "label_zh: missing"),
        (
            lambda f: _edit(f, 'name = "fixture-province"', 'name = "other"'),
            "must be the folder's name",
        ),
        (lambda f: _edit(f, "schema = 1", "schema = = 1"), "not valid TOML"),
        (
            lambda f: _edit(f, "[files.", '[files."spare.txt"]\nsource = "x"\n\n[files.'),
            'files."spare.txt": is the provenance of a file no role names',
        ),
    ],
)
def test_an_incomplete_profile_is_refused_naming_the_file_and_field(
    tmp_path: Path, breakage: Callable[[Path], None], expected: str | None
) -> None:
    folder = _copy(tmp_path)
    breakage(folder)

    if expected is None:
        assert "fixture-province" == Jurisdiction.load(folder).name
        return
    with pytest.raises(UnknownJurisdiction) as caught:
        Jurisdiction.load(folder)
    assert expected in str(caught.value)


def test_a_child_must_lie_inside_its_parents_division(tmp_path: Path) -> None:
    child = tmp_path / "child"
    shutil.copytree(FIXTURE, child)
    _edit(child, 'name = "fixture-province"', 'name = "child"')
    _edit(child, 'parent = "national"', 'parent = "guangxi"')

    with pytest.raises(UnknownJurisdiction, match="inside the parent's division 45"):
        Jurisdiction.load(child)


def test_a_parent_beside_the_profile_wins_and_a_loop_is_refused(tmp_path: Path) -> None:
    one, two = _copy(tmp_path, "one"), _copy(tmp_path, "two")
    _edit(two, 'parent = "national"', 'parent = "one"')

    assert ["national", "one", "two"] == [j.name for j in Jurisdiction.load(two).chain]
    _edit(one, 'parent = "national"', 'parent = "two"')
    with pytest.raises(UnknownJurisdiction, match="layers on itself"):
        Jurisdiction.load(two)


def test_a_root_profile_needs_parameters(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, 'parent = "national"\n', "")
    _edit(folder, 'parameters = "fixture-province.toml"\n', "")

    with pytest.raises(UnknownJurisdiction, match="without a parent needs parameters"):
        Jurisdiction.load(folder)


def test_a_parameter_file_that_extends_another_profile_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, 'extends = "national"', 'extends = "guangxi"', "fixture-province.toml")

    with pytest.raises(UnknownJurisdiction, match="extends = 'guangxi'"):
        Jurisdiction.load(folder).rule_book()


def test_the_error_survives_pickling() -> None:
    error = UnknownJurisdiction("x", ("national",), ("/a",), "it broke")

    copied = pickle.loads(pickle.dumps(error))

    assert (str(error), copied.problem, copied.searched) == (str(copied), "it broke", ("/a",))


# --- routine files and division tables of a profile -------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"dispatch-meeting"]', '"meeting"]', "[routine[0] 'dispatch-meeting'] kinds[0]"),
        ('frequency = "monthly"', 'frequency = "weekly"', "frequency = 'weekly'"),
        ("day = 10", "day = 0", "day=0: must be a positive int"),
        ("day = 10", "month = 10", "due.month"),
        ('levels = ["county"]', "levels = []", "must name at least one level"),
        ('name = "reception-day"', 'name = "dispatch-meeting"', "name of an earlier routine"),
        ("schema = 1", "schema = 3", "schema = 3"),
        ('label_zh = "月调度"\n', "", "label_zh = (missing)"),
    ],
)
def test_a_wrong_routine_file_names_the_routine_and_the_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tmp_path / "routines.toml"
    path.write_text((FIXTURE / "routines.toml").read_text("utf-8").replace(old, new, 1), "utf-8")

    with pytest.raises(InvalidRoutineFile) as caught:
        load_routines(path)

    assert expected in str(caught.value)
    assert str(path) == caught.value.path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code,name\r\n469800000000,x\r\n", ":1"),
        ("code,name,level,parent_code\r\n4698000000001,x,2,\r\n", ":2"),
        ("code,name,level,parent_code\r\n469800000000,,2,\r\n", ":2"),
    ],
)
def test_a_wrong_division_table_names_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "units.csv"
    path.write_text(text, "utf-8", newline="")

    with pytest.raises(InvalidValue) as caught:
        divisions.load_table(path)

    assert f"{path}{expected}" == caught.value.field
