"""Jurisdiction profiles (辖区配置): one folder per province, holding all it knows.

A profile is a folder with a manifest, ``jurisdiction.toml``, and the files the manifest
names: the province's **parameters** (参数, layered on its parent's, the national ones), its
own **holidays** laid over the national calendar (地方节假日), its **division table**
(行政区划表), its default **work routines** (工作制度) and the **provenance** of each file. A
:class:`Jurisdiction` is one profile read and checked; it hands out what the rest of the
library needs: :meth:`~Jurisdiction.rule_book`, :meth:`~Jurisdiction.calendar`,
:meth:`~Jurisdiction.tree` and :meth:`~Jurisdiction.routine_preset`.

Two profiles ship with the package, ``national`` and ``guangxi``
(``veteran_affairs/data/jurisdictions/``). Adding a province is adding a folder: put it in a
folder listed in the environment variable ``VETERAN_AFFAIRS_JURISDICTIONS`` (folders
separated by ``os.pathsep``; searched in order, before the bundled profiles) and load it by
name, or load it from its path. ``docs/jurisdictions.md`` describes the folder and the
manifest.

>>> guangxi = Jurisdiction.load("guangxi")
>>> guangxi
<Jurisdiction 'guangxi' 广西壮族自治区 (45) on 'national', bundled>
>>> guangxi.rule_book().jurisdiction, guangxi.calendar().covers(2024), len(guangxi.tree())
('guangxi', True, 1410)
>>> guangxi.routine_preset()["reception-day"].label_zh
'领导接待日'
>>> guangxi.provenance["guangxi.csv"]["edition"]
'2022'
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from veteran_affairs.errors import InvalidValue, UnknownJurisdiction
from veteran_affairs.identity import DivisionCode, DivisionLevel

if TYPE_CHECKING:
    from veteran_affairs.cycles.calendar import HolidayFile, HolidaySource, WorkCalendar
    from veteran_affairs.cycles.routines import Cycle
    from veteran_affairs.hierarchy.tree import DivisionTree
    from veteran_affairs.models.network import Division
    from veteran_affairs.rules import RuleBook

__all__ = [
    "MANIFEST",
    "SCHEMA",
    "SEARCH_PATH_VARIABLE",
    "Jurisdiction",
    "bundled",
    "names",
    "search_path",
]


def __dir__() -> list[str]:
    return __all__


MANIFEST = "jurisdiction.toml"
"""The file name of a profile's manifest."""

SCHEMA = 1
"""The manifest format this version reads (``schema = 1``)."""

SEARCH_PATH_VARIABLE = "VETERAN_AFFAIRS_JURISDICTIONS"
"""The environment variable naming folders of profiles, searched before the bundled ones."""

PathText: TypeAlias = str | os.PathLike[str]

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ROLES_ONE = ("parameters", "routines")
_ROLES_MANY = ("holidays", "divisions")
_KEYS = (
    "schema",
    "name",
    "label_zh",
    "label_en",
    "parent",
    "division",
    *_ROLES_ONE,
    *_ROLES_MANY,
    "files",
    "editions",
)
_NO_PRESET: Mapping[str, Cycle] = MappingProxyType({})


@functools.cache
def _bundled_root() -> Path:
    return Path(str(resources.files("veteran_affairs") / "data" / "jurisdictions"))


def search_path(search: Sequence[PathText] | None = None) -> tuple[Path, ...]:
    """The folders searched for a profile named ``name``, in order (搜索路径).

    Args:
        search: the folders to search before the bundled ones; ``None`` reads them from the
            environment variable ``VETERAN_AFFAIRS_JURISDICTIONS`` (separated by
            ``os.pathsep``; empty entries are skipped).

    Returns:
        ``search`` (or the variable's folders), then the bundled profiles' folder.
    """
    if search is None:
        listed = os.environ.get(SEARCH_PATH_VARIABLE, "")
        search = [part for part in listed.split(os.pathsep) if part.strip()]
    return (*(Path(folder) for folder in search), _bundled_root())


def names(search: Sequence[PathText] | None = None) -> tuple[str, ...]:
    """The names of every profile on the search path, sorted (可用辖区).

    >>> names()
    ('guangxi', 'national')
    """
    found = {
        entry.name
        for folder in search_path(search)
        if folder.is_dir()
        for entry in folder.iterdir()
        if (entry / MANIFEST).is_file()
    }
    return tuple(sorted(found))


def bundled() -> tuple[Jurisdiction, ...]:
    """The profiles that ship with the package, each after the one it layers on.

    >>> [j.name for j in bundled()]
    ['national', 'guangxi']
    """
    return _bundled_profiles()


@functools.cache
def _bundled_profiles() -> tuple[Jurisdiction, ...]:
    root = _bundled_root()
    found = [
        _load_folder(entry, (), ())
        for entry in sorted(root.iterdir())
        if (entry / MANIFEST).is_file()
    ]
    return tuple(sorted(found, key=lambda j: (len(j.chain), j.name)))


def _bundled_names() -> tuple[str, ...]:
    root = _bundled_root()
    return tuple(sorted(e.name for e in root.iterdir() if (e / MANIFEST).is_file()))


@attrs.frozen(kw_only=True, repr=False)
class Jurisdiction:
    """One jurisdiction profile (辖区配置), read and checked: what a province is to the library.

    Read one with :meth:`load`; the constructor is for the loader.

    Attributes:
        name: the profile's name, which is its folder's name (``"guangxi"``).
        label_zh: its name in Chinese (``"广西壮族自治区"``).
        label_en: its name in English.
        parent: the name of the profile it layers on (``"national"``), or ``None`` for a root.
        division: the division the profile covers (``45``); ``None`` for the nation.
        folder: where the profile was read from.
        parameters: its parameter file (the TOML format of the bundled ones), or ``None``
            when it adds no parameter of its own.
        holidays: its holiday files (the format of ``load_holidays``): national notice
            years, or the own days of its division (or of divisions inside it).
        divisions: its division tables (CSV with ``code,name,level,parent_code``); the first
            table naming a code wins, and the parent's tables fill in the rest.
        routines: its routine file (the format of ``load_routines``), or ``None`` to use the
            parent's.
        provenance: per file name, the manifest's ``[files."NAME"]`` table: where the file
            comes from (``source`` at least), and its ``sha256`` where recorded.
        editions: the published datasets the files are cut from (``[editions.NAME]``).
        base: the parent profile, loaded.
        bundled: whether the profile ships with the package.
    """

    name: str
    label_zh: str
    label_en: str
    parent: str | None
    division: DivisionCode | None
    folder: Path
    parameters: Path | None
    holidays: tuple[Path, ...]
    divisions: tuple[Path, ...]
    routines: Path | None
    provenance: Mapping[str, Mapping[str, Any]] = attrs.field(hash=False)
    editions: Mapping[str, Mapping[str, Any]] = attrs.field(hash=False)
    base: Jurisdiction | None
    bundled: bool

    def __repr__(self) -> str:
        where = "" if self.division is None else f" ({self.division.short})"
        on = "" if self.parent is None else f" on {self.parent!r}"
        kind = "bundled" if self.bundled else str(self.folder)
        return f"<Jurisdiction {self.name!r} {self.label_zh}{where}{on}, {kind}>"

    @classmethod
    def load(
        cls, name_or_path: PathText, *, search: Sequence[PathText] | None = None
    ) -> Jurisdiction:
        """The profile of that name, or in that folder (读取辖区配置).

        A name (lower-case letters, digits, ``-`` and ``_``: ``"guangxi"``) is looked up in
        the folders of :func:`search_path`, in order: the first folder holding a subfolder
        of that name wins, so a profile of yours may stand in for a bundled one. Anything
        else (a :class:`~pathlib.Path`, or text with a ``/``) is the profile's folder
        itself. The parent named by the manifest is looked up beside the profile's folder
        first, then on the search path.

        Args:
            name_or_path: a profile's name, or its folder.
            search: folders to search before the bundled ones, instead of the environment
                variable ``VETERAN_AFFAIRS_JURISDICTIONS``.

        Returns:
            The profile, with its parents loaded.

        Raises:
            UnknownJurisdiction: no profile of that name on the search path; or the folder
                found is no valid profile (no manifest, a field missing or wrong, a file
                named but missing, provenance missing, a checksum that does not match): the
                message names the file and the field.

        >>> Jurisdiction.load("national").division is None
        True
        """
        dirs = tuple(str(folder) for folder in search_path(search)[:-1])
        if isinstance(name_or_path, str) and _NAME.fullmatch(name_or_path):
            return _find(name_or_path, dirs, ())
        text = os.fspath(name_or_path)
        if isinstance(name_or_path, str) and not _looks_like_path(text):
            raise UnknownJurisdiction(text, _bundled_names(), dirs)
        return _load_folder(Path(text), dirs, ())

    # --- what the profile hands out ---------------------------------------------------------

    @property
    def chain(self) -> tuple[Jurisdiction, ...]:
        """The profiles this one layers on, outermost first, ending with itself."""
        if self.base is None:
            return (self,)
        return (*self.base.chain, self)

    def rule_book(
        self,
        *,
        parameters: PathText | Sequence[PathText] | None = None,
        allow_stale: bool = False,
    ) -> RuleBook:
        """The rule book of this jurisdiction: its parameters over its parent's (规则手册).

        ``parameters`` and ``allow_stale`` are those of
        :meth:`RuleBook.load <veteran_affairs.rules.RuleBook.load>`: the user's own
        parameter files, layered on top.
        """
        from veteran_affairs.rules import RuleBook

        files: Sequence[PathText] | None
        files = [parameters] if isinstance(parameters, str | os.PathLike) else parameters
        return RuleBook.load(
            self, parameters=[Path(p) for p in files or ()], allow_stale=allow_stale
        )

    def calendar(
        self,
        unit: DivisionCode | str | None = None,
        *,
        holidays: HolidaySource | Sequence[HolidaySource] = (),
    ) -> WorkCalendar:
        """The working-day calendar of the jurisdiction, or of one unit inside it (工作日历).

        The bundled national table, with the holiday files of this profile and its parents
        laid over it (a division's own days apply to the units inside that division), then
        the user's ``holidays`` files, as
        :func:`~veteran_affairs.cycles.calendar.calendar_for` takes them.

        Args:
            unit: a unit inside the jurisdiction; the jurisdiction's own division by default.
            holidays: the user's holiday files (paths or checked files).

        Raises:
            InvalidValue: ``unit`` lies outside the jurisdiction's division.
            InvalidDivisionCode: ``unit`` is text that is not a division code.
        """
        from veteran_affairs.cycles.calendar import HolidayFile, calendar_for

        code = self.division if unit is None else _code(unit)
        if code is not None and self.division is not None and not self.division.contains(code):
            raise InvalidValue(
                "unit",
                code.short,
                f"lies outside {self.name} (division {self.division.short})",
                "不在本辖区内",
            )
        given = [holidays] if isinstance(holidays, HolidayFile | str | os.PathLike) else holidays
        own = [_holiday_file(path) for j in self.chain if not j.bundled for path in j.holidays]
        return calendar_for("" if code is None else code, holidays=[*own, *given])

    def tree(self, *, extra: Iterable[Division] = ()) -> DivisionTree:
        """The division tree of the jurisdiction (行政区划树), with ``extra`` units (villages).

        The units of this profile's division tables, then those of its parents' tables,
        inside the jurisdiction's division (every unit, for the nation); the first table
        naming a code wins. For Guangxi this is :meth:`DivisionTree.bundled("45")
        <veteran_affairs.hierarchy.DivisionTree.bundled>`.

        Raises:
            OrphanDivisions: a unit whose parent no table has.
            InconsistentRecord: an ``extra`` unit with another name for a code in the tables.
        """
        from veteran_affairs import divisions as bundled_divisions
        from veteran_affairs.hierarchy.tree import DivisionTree

        root = self.division
        own = [path for j in reversed(self.chain) if not j.bundled for path in j.divisions]
        if not own:
            if root is None:
                return DivisionTree([*bundled_divisions.bundled(), *extra])
            if root.level is DivisionLevel.PROVINCE:
                return DivisionTree.bundled(root.short, extra=extra)
        units: dict[str, Division] = {}
        for path in own:
            for division in bundled_divisions.load_table(path):
                units.setdefault(division.code.value, division)
        for division in bundled_divisions.bundled():
            units.setdefault(division.code.value, division)
        inside = [d for d in units.values() if root is None or root.contains(d.code)]
        top = root if root is not None and root.level is not DivisionLevel.PROVINCE else None
        return DivisionTree([*inside, *extra], root=top)

    def routine_preset(self) -> Mapping[str, Cycle]:
        """The default work routines, by name (工作制度预设): **configuration, not law**.

        The routine file of this profile, else of the nearest parent that has one; empty
        when none has.
        """
        for profile in reversed(self.chain):
            if profile.routines is not None:
                return _routine_file(profile.routines)
        return _NO_PRESET


# --- reading a profile ------------------------------------------------------------------------


def _looks_like_path(text: str) -> bool:
    separators = {"/", os.sep, os.altsep or "/"}
    return any(sep in text for sep in separators) or text.startswith(".")


def _code(unit: DivisionCode | str) -> DivisionCode:
    return unit if isinstance(unit, DivisionCode) else DivisionCode(unit)


def _find(name: str, dirs: tuple[str, ...], seen: tuple[str, ...]) -> Jurisdiction:
    if not dirs:  # the bundled profiles only: read once
        for profile in _bundled_profiles():
            if profile.name == name:
                return profile
    for folder in (*dirs, str(_bundled_root())):
        candidate = Path(folder) / name
        if candidate.is_dir():
            return _load_folder(candidate, dirs, seen)
    raise UnknownJurisdiction(name, _bundled_names(), dirs)


def _load_folder(folder: Path, dirs: tuple[str, ...], seen: tuple[str, ...]) -> Jurisdiction:
    """The profile in ``folder``: a bundled one is read once (package data does not change),
    any other each time (its files may have changed since)."""
    if not (folder / MANIFEST).is_file():
        problem = f"{folder} has no {MANIFEST}" if folder.is_dir() else f"no folder {str(folder)!r}"
        raise UnknownJurisdiction(str(folder), _bundled_names(), dirs, problem)
    resolved = folder.resolve()
    if resolved.parent == _resolved_root():
        return _read_bundled(str(resolved))
    return _read_profile(str(resolved), dirs, seen)


@functools.cache
def _resolved_root() -> Path:
    return _bundled_root().resolve()


@functools.cache
def _read_bundled(folder_text: str) -> Jurisdiction:
    return _read_profile(folder_text, (), ())


class _Manifest:
    """Checks one parsed manifest, failing with the file and the field."""

    def __init__(self, folder: Path, document: Mapping[str, Any], dirs: tuple[str, ...]) -> None:
        self.folder = folder
        self.document = document
        self.dirs = dirs

    def fail(self, field: str, problem: str) -> UnknownJurisdiction:
        where = self.folder / MANIFEST
        return UnknownJurisdiction(
            self.folder.name, _bundled_names(), self.dirs, f"{where}: {field}: {problem}"
        )

    def text(self, key: str) -> str:
        value = self.document.get(key)
        if not isinstance(value, str) or not value.strip():
            shown = "missing" if value is None else f"{value!r} is not"
            raise self.fail(key, f"{shown} non-empty text")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.document.get(key) is None else self.text(key)

    def file(self, key: str, value: object) -> Path:
        if (
            not isinstance(value, str)
            or not value.strip()
            or Path(value).name != value
            or value in (".", "..", MANIFEST)
        ):
            raise self.fail(key, f"{value!r} is not the name of a file in the profile's folder")
        path = self.folder / value
        if not path.is_file():
            raise self.fail(key, f"names {value!r}, which is not in {self.folder}")
        return path

    def files(self, key: str) -> tuple[Path, ...]:
        value = self.document.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "must be a list of file names")
        return tuple(self.file(f"{key}[{i}]", item) for i, item in enumerate(value))

    def tables(self, key: str) -> Mapping[str, Mapping[str, Any]]:
        value = self.document.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise self.fail(key, 'must hold tables ([files."NAME"])')
        return MappingProxyType({k: MappingProxyType(v) for k, v in value.items()})


def _read_profile(folder_text: str, dirs: tuple[str, ...], seen: tuple[str, ...]) -> Jurisdiction:
    folder = Path(folder_text)
    manifest_path = folder / MANIFEST
    try:
        document = tomllib.loads(manifest_path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UnknownJurisdiction(
            folder.name, _bundled_names(), dirs, f"{manifest_path}: not valid TOML: {error}"
        ) from None
    read = _Manifest(folder, document, dirs)
    for key in document:
        if key not in _KEYS:
            raise read.fail(key, f"unknown field; expected {', '.join(_KEYS)}")
    if document.get("schema") != SCHEMA:
        raise read.fail("schema", f"must be {SCHEMA}, not {document.get('schema')!r}")
    name = read.text("name")
    if not _NAME.fullmatch(name) or name != folder.name:
        raise read.fail(
            "name",
            f"{name!r} must be the folder's name ({folder.name!r}): lower-case letters, "
            "digits, '-' and '_'",
        )
    if folder_text in seen:
        raise read.fail("parent", f"layers on itself: {' → '.join((*seen, folder_text))}")
    parent = read.optional_text("parent")
    division = _division(read, document.get("division"), root=parent is None)
    base = None
    if parent is not None:
        sibling = folder.parent / parent
        if sibling.is_dir():
            base = _load_folder(sibling, dirs, (*seen, folder_text))
        elif not _NAME.fullmatch(parent):
            raise read.fail("parent", f"{parent!r} is not a profile's name")
        else:
            try:
                base = _find(parent, dirs, (*seen, folder_text))
            except UnknownJurisdiction as error:
                if error.problem:
                    raise
                raise read.fail(
                    "parent", f"no profile {parent!r} beside it or on the search path"
                ) from None
        if base.division is not None and (division is None or not base.division.contains(division)):
            raise read.fail(
                "division", f"must lie inside the parent's division {base.division.short}"
            )
    one = {
        role: None if role not in document else read.file(role, document[role])
        for role in _ROLES_ONE
    }
    if parent is None and one["parameters"] is None:
        raise read.fail("parameters", "missing: a profile without a parent needs parameters")
    many = {role: read.files(role) for role in _ROLES_MANY}
    provenance = read.tables("files")
    used = [p for p in (*one.values(), *many["holidays"], *many["divisions"]) if p is not None]
    for path in used:
        entry = provenance.get(path.name)
        if entry is None or not isinstance(entry.get("source"), str) or not entry["source"]:
            raise read.fail(f'files."{path.name}".source', "missing: say where the file comes from")
        digest = entry.get("sha256")
        if digest is not None and digest != _sha256(str(path), path.stat().st_mtime_ns):
            raise read.fail(
                f'files."{path.name}".sha256',
                f"does not match the file ({_sha256(str(path), path.stat().st_mtime_ns)})",
            )
    unused = sorted(set(provenance) - {p.name for p in used})
    if unused:
        raise read.fail(f'files."{unused[0]}"', "is the provenance of a file no role names")
    label_zh, label_en = read.text("label_zh"), read.text("label_en")
    return Jurisdiction(
        name=name,
        label_zh=label_zh,
        label_en=label_en,
        parent=parent,
        division=division,
        folder=folder,
        parameters=one["parameters"],
        holidays=many["holidays"],
        divisions=many["divisions"],
        routines=one["routines"],
        provenance=provenance,
        editions=read.tables("editions"),
        base=base,
        bundled=folder.parent == _resolved_root(),
    )


def _division(read: _Manifest, value: object, *, root: bool) -> DivisionCode | None:
    if value is None:
        if root:
            return None
        raise read.fail("division", "missing: a profile with a parent covers a division")
    if not isinstance(value, str):
        raise read.fail("division", f"{value!r} is not a division code written as text")
    try:
        return DivisionCode(value)
    except ValueError as error:
        raise read.fail("division", str(error)) from None


@functools.lru_cache(maxsize=64)
def _sha256(path: str, _stamp: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _holiday_file(path: Path) -> HolidayFile:
    return _cached_holidays(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _cached_holidays(path: str, _stamp: int) -> HolidayFile:
    from veteran_affairs.cycles.calendar import load_holidays

    return load_holidays(path)


def _routine_file(path: Path) -> Mapping[str, Cycle]:
    return _cached_routines(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _cached_routines(path: str, _stamp: int) -> Mapping[str, Cycle]:
    from veteran_affairs.cycles.routines import load_routines

    return load_routines(path)
