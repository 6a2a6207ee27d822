"""Laws of jurisdiction profiles: what a manifest says is what the loaded profile holds.

A profile is generated (name, labels, division, and any of a parameter file, a holiday overlay,
a division table and a routine file, each with its provenance), written into a fresh folder
and loaded: every field, the routines, the parameters, the calendar and the tree come back as
written. All generated content is TEST DATA, NOT LAW.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cycles.calendar import calendar_for
from veteran_affairs.cycles.routines import (
    BeforeFestival,
    ByDayOfPeriod,
    Cycle,
    DueRule,
    Festival,
    Frequency,
    InMonthOfPeriod,
    OnDayMovedToWorkday,
    WithinPeriod,
    WorkdaysAfterEnd,
    load_routines,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.jurisdictions import Jurisdiction
from veteran_affairs.models.activity import ActivityKind
from veteran_affairs.rules import RuleBook

NATIONAL = RuleBook.load("national").parameters
# Bundled units to hang a generated profile on (a province, a city, a county), outside
# Guangxi: inside it, Guangxi's own days would apply too (a unit there has no calendar for a
# year without its 三月三 notice).
DIVISIONS = ("46", "4601", "460105", "11", "6501")
_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    str.strip
)


def _quoted(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)


# --- routines ----------------------------------------------------------------------------------

_RULE_NAMES: Mapping[type[DueRule], str] = {
    WithinPeriod: "within-period",
    ByDayOfPeriod: "by-day-of-period",
    OnDayMovedToWorkday: "on-day-moved-to-workday",
    InMonthOfPeriod: "in-month-of-period",
    WorkdaysAfterEnd: "workdays-after-end",
    BeforeFestival: "before-festival",
}

due_rules: st.SearchStrategy[DueRule] = st.one_of(
    st.just(WithinPeriod()),
    st.builds(ByDayOfPeriod, day=st.integers(1, 400)),
    st.builds(OnDayMovedToWorkday, day=st.integers(1, 31)),
    st.builds(InMonthOfPeriod, month=st.integers(1, 12)),
    st.builds(WorkdaysAfterEnd, workdays=st.integers(0, 30)),
    st.builds(
        BeforeFestival,
        festival=st.sampled_from(Festival),
        lead_days=st.integers(1, 90),
        dates=st.lists(
            st.tuples(
                st.integers(2015, 2030), st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
            ),
            max_size=2,
        ).map(tuple),
    ),
)


@st.composite
def cycles(draw: st.DrawFn, name: str) -> Cycle:
    return Cycle(
        name=name,
        label_zh=draw(_TEXT),
        kinds=draw(st.frozensets(st.sampled_from(ActivityKind))),
        frequency=draw(st.sampled_from(Frequency)),
        due=draw(due_rules),
        levels=draw(st.frozensets(st.sampled_from(DivisionLevel), min_size=1)),
    )


presets = st.lists(
    st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True), min_size=1, max_size=4, unique=True
).flatmap(lambda names: st.tuples(*(cycles(name) for name in names)))


def _due_toml(due: DueRule) -> str:
    fields = {"rule": _quoted(_RULE_NAMES[type(due)])}
    for field, value in attrs.asdict(due, recurse=False).items():
        if isinstance(value, Festival):
            fields[field] = _quoted(value.value)
        elif field == "dates":
            listed = ", ".join(f"{{ year = {y}, date = {d.isoformat()} }}" for y, d in value)
            fields[field] = f"[{listed}]"
        else:
            fields[field] = str(value)
    return "{ " + ", ".join(f"{k} = {v}" for k, v in fields.items()) + " }"


def routine_toml(preset: tuple[Cycle, ...]) -> str:
    """A routine file listing ``preset``, in the format of the bundled one."""
    parts = ["schema = 1\n"]
    for cycle in preset:
        kinds = ", ".join(_quoted(k.value) for k in sorted(cycle.kinds, key=lambda k: k.value))
        levels = ", ".join(_quoted(level.name.lower()) for level in sorted(cycle.levels))
        parts.append(
            "[[routine]]\n"
            f"name = {_quoted(cycle.name)}\n"
            f"label_zh = {_quoted(cycle.label_zh)}\n"
            f"kinds = [{kinds}]\n"
            f"frequency = {_quoted(cycle.frequency.value)}\n"
            f"due = {_due_toml(cycle.due)}\n"
            f"levels = [{levels}]\n"
        )
    return "\n".join(parts)


@given(presets)
def test_a_routine_file_gives_back_the_routines_written_into_it(
    preset: tuple[Cycle, ...],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "routines.toml"
        path.write_text(routine_toml(preset), "utf-8")

        assert {c.name: c for c in preset} == dict(load_routines(path))


# --- whole profiles ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Profile:
    """What a generated profile's manifest and files say."""

    name: str
    label_zh: str
    label_en: str
    division: str
    sources: Mapping[str, str]
    figure: int | None  # a parameter of the profile's own, or no parameter file
    day_off: dt.date | None  # a holiday overlay with one weekday off, or none
    township: str | None  # a division table with one made-up township, or none
    preset: tuple[Cycle, ...] | None
    checksums: bool

    def files(self) -> dict[str, str]:
        """The files of the profile by role, with their text."""
        files: dict[str, str] = {}
        if self.figure is not None:
            files["parameters"] = (
                f'jurisdiction = {_quoted(self.name)}\nextends = "national"\n\n'
                '[[parameter]]\nkey = "test.figure"\nlabel_zh = "测试"\nlabel_en = "test"\n'
                'unit = "CNY"\n\n  [[parameter.version]]\n  effective_from = "2020-01-01"\n'
                f'  citation = {{ document = "TEST INPUT, NOT LAW" }}\n  value = "{self.figure}"\n'
            )
        if self.day_off is not None:
            files["holidays"] = (
                f"schema = 1\ndivision = {_quoted(self.division)}\n\n[years.{self.day_off.year}]\n"
                f"off = [{self.day_off.isoformat()}]\nwork = []\n"
                'notice = { title = "TEST INPUT, NOT LAW" }\nsecondary = false\n'
            )
        if self.township is not None:
            files["divisions"] = f"code,name,level,parent_code\r\n{self.township},测试乡,4,\r\n"
        if self.preset is not None:
            files["routines"] = routine_toml(self.preset)
        return files

    def write(self, root: Path) -> Path:
        folder = root / self.name
        folder.mkdir()
        names = {
            "parameters": "own.toml",
            "holidays": "days.toml",
            "divisions": "units.csv",
            "routines": "routines.toml",
        }
        lines = [
            "schema = 1",
            f"name = {_quoted(self.name)}",
            f"label_zh = {_quoted(self.label_zh)}",
            f"label_en = {_quoted(self.label_en)}",
            'parent = "national"',
            f"division = {_quoted(self.division)}",
        ]
        provenance = []
        for role, text in self.files().items():
            name = names[role]
            (folder / name).write_text(text, "utf-8", newline="")
            listed = f"[{_quoted(name)}]" if role in ("holidays", "divisions") else _quoted(name)
            lines.append(f"{role} = {listed}")
            provenance.append(f"\n[files.{_quoted(name)}]\nsource = {_quoted(self.sources[role])}")
            if self.checksums:
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                provenance.append(f'sha256 = "{digest}"')
        (folder / "jurisdiction.toml").write_text("\n".join([*lines, *provenance]) + "\n", "utf-8")
        return folder


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    division = draw(st.sampled_from(DIVISIONS))
    code = DivisionCode(division)
    township = None
    if code.level is DivisionLevel.COUNTY and draw(st.booleans()):
        township = f"{code.short}{draw(st.integers(600, 999))}000"
    weekdays = st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)).filter(
        lambda d: d.weekday() < 5 and calendar_for().is_workday(d)
    )
    return Profile(
        name=draw(
            st.from_regex(r"[a-z][a-z0-9_-]{0,12}", fullmatch=True).filter(
                lambda n: n != "national"
            )
        ),
        label_zh=draw(_TEXT),
        label_en=draw(_TEXT),
        division=division,
        sources={role: draw(_TEXT) for role in ("parameters", "holidays", "divisions", "routines")},
        figure=draw(st.none() | st.integers(0, 10**9)),
        day_off=draw(st.none() | weekdays),
        township=township,
        preset=draw(st.none() | presets),
        checksums=draw(st.booleans()),
    )


@given(profiles())
def test_a_written_profile_loads_as_written(profile: Profile) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = profile.write(Path(root))
        loaded = Jurisdiction.load(folder)

        assert (profile.name, profile.label_zh, profile.label_en, "national") == (
            loaded.name,
            loaded.label_zh,
            loaded.label_en,
            loaded.parent,
        )
        assert DivisionCode(profile.division) == loaded.division
        written = profile.files()
        assert {profile.sources[role] for role in written} == {
            entry["source"] for entry in loaded.provenance.values()
        }
        expected = {} if profile.preset is None else {c.name: c for c in profile.preset}
        assert expected == dict(loaded.routine_preset())

        book = loaded.rule_book()
        own = {"test.figure"} if profile.figure is not None else set()
        assert set(NATIONAL.parameters) | own == set(book.parameters.parameters)

        if profile.day_off is not None:
            calendar = loaded.calendar()
            assert not calendar.is_workday(profile.day_off)
            assert calendar.covers(profile.day_off.year)

        tree = loaded.tree()
        assert all(DivisionCode(profile.division).contains(d.code) for d in tree)
        if profile.township is not None:
            parent = tree.parent(profile.township)
            assert parent is not None
            assert DivisionCode(profile.division) == parent.code
