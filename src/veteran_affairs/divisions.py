"""The bundled administrative divisions (行政区划) and lookups by code and by name.

Two tables ship with the library, both from the National Bureau of Statistics' statistical
division codes (统计用区划代码, cut-off 2022-10-31), each in the folder of the jurisdiction
profile it belongs to (:mod:`veteran_affairs.jurisdictions`); :func:`source` gives their
provenance:

* ``guangxi.csv`` (profile ``guangxi``) — Guangxi (广西壮族自治区, code 45) at levels 1–4: the
  region, its cities, county-level units and township-level units (乡级, including 类似乡级
  units coded 400–599);
* ``china-county.csv`` (profile ``national``) — every province of mainland China at levels
  1–3 (省级, 地级, 县级).

They are read once, on first use, and merged into one table with one unit per code: the
tables of the bundled profiles only (a profile of your own hands out its units through
:meth:`Jurisdiction.tree <veteran_affairs.jurisdictions.Jurisdiction.tree>`).
:func:`load_table` reads a table of the same format.

Village-level units (村级: 村委会 / 居委会) are never bundled: they come from user data or
from a synthetic layer that says it is synthetic.

A code missing from these tables is still a valid :class:`~veteran_affairs.identity.DivisionCode`
— identity numbers carry historical codes, and villages are not bundled — so building a code
never consults them. Only the lookups here raise
:class:`~veteran_affairs.errors.UnknownDivision` (a ``LookupError``) for a unit they lack.

>>> name_of("450312")
'临桂区'
>>> [d.name for d in children("450312")][:3]
['临桂镇', '六塘镇', '会仙镇']
>>> contains_code("450312001"), str(DivisionCode("450312001"))
(False, '450312001000')
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from veteran_affairs import jurisdictions
from veteran_affairs.errors import InvalidDivisionCode, InvalidValue, UnknownDivision
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models.network import Division

__all__ = [
    "bundled",
    "children",
    "contains_code",
    "find",
    "load_table",
    "lookup",
    "name_of",
    "source",
    "subtree",
]


def __dir__() -> list[str]:
    return __all__


_HEADER = ["code", "name", "level", "parent_code"]


def _files() -> tuple[Path, ...]:
    """The bundled profiles' division tables, innermost profile first: the first row seen
    for a code wins (Guangxi's table is the more detailed one; all share one edition)."""
    return tuple(path for j in reversed(jurisdictions.bundled()) for path in j.divisions)


@attrs.frozen(kw_only=True)
class _Table:
    """The merged division table with its indexes; built once by :func:`_table`."""

    ordered: tuple[Division, ...]  # by code
    keys: tuple[str, ...]  # the 12-digit codes of ``ordered``, for bisection
    by_code: Mapping[str, Division]
    by_parent: Mapping[str, tuple[Division, ...]]
    by_name: Mapping[str, tuple[Division, ...]]


def _read_rows(path: Path) -> Iterator[Division]:
    text = path.read_bytes().decode("utf-8")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        yield Division(code=DivisionCode(row["code"]), name=row["name"])


def load_table(path: str | os.PathLike[str]) -> tuple[Division, ...]:
    """The units of a division table in the bundled format (行政区划表), in file order.

    A UTF-8 CSV file with the header ``code,name,level,parent_code`` (the last two are
    informative: a unit's level and parent come from its code), one unit per row, as in
    the tables of the bundled profiles. A jurisdiction profile names its tables in its
    manifest.

    Raises:
        InvalidValue: the header is not the bundled one, or a row's code or name is not
            valid (the message names the file and the line).
        OSError: the file cannot be read.
    """
    shown = os.fspath(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(shown, "(file)", "is not UTF-8 text", "不是 UTF-8 文本") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if header != _HEADER:
        raise InvalidValue(
            f"{shown}:1", ",".join(header), f"the header must be {','.join(_HEADER)}", "表头不符"
        )
    units = []
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        try:
            units.append(Division(code=DivisionCode(row[0]), name=row[1] if len(row) > 1 else ""))
        except (ValueError, TypeError) as error:
            raise InvalidValue(
                f"{shown}:{line}", ",".join(row), str(error), "行政区划行无效"
            ) from None
    return tuple(units)


@functools.cache
def _table() -> _Table:
    by_code: dict[str, Division] = {}
    for path in _files():
        for division in _read_rows(path):
            by_code.setdefault(division.code.value, division)
    ordered = tuple(sorted(by_code.values(), key=lambda d: d.code.value))
    by_parent: defaultdict[str, list[Division]] = defaultdict(list)
    by_name: defaultdict[str, list[Division]] = defaultdict(list)
    for division in ordered:
        parent = division.parent_code
        if parent is not None:
            by_parent[parent.value].append(division)
        by_name[division.name].append(division)
    return _Table(
        ordered=ordered,
        keys=tuple(d.code.value for d in ordered),
        by_code=by_code,
        by_parent={code: tuple(units) for code, units in by_parent.items()},
        by_name={name: tuple(units) for name, units in by_name.items()},
    )


def _as_code(code: DivisionCode | str) -> DivisionCode:
    return code if isinstance(code, DivisionCode) else DivisionCode(code)


def _where() -> str:
    origin = source().get("source")
    cutoff = origin.get("cutoff", "unknown") if isinstance(origin, dict) else "unknown"
    return f"bundled division data (统计用区划代码, cut-off {cutoff})"


def _known(code: DivisionCode | str) -> Division:
    key = _as_code(code)
    division = _table().by_code.get(key.value)
    if division is None:
        raise UnknownDivision(key.value, _where())
    return division


def lookup(code: DivisionCode | str) -> Division:
    """The bundled unit with this code (按代码查找行政区划).

    Args:
        code: a division code, or text of 2, 4, 6, 9 or 12 digits.

    Returns:
        The unit, with its name as of the bundled edition.

    Raises:
        InvalidDivisionCode: ``code`` is text that is not a division code (a ``ValueError``).
        UnknownDivision: the code is valid but not in the bundled data (a ``LookupError``).

    >>> lookup("4503")
    Division(code=DivisionCode('450300000000'), name='桂林市')
    """
    return _known(code)


def name_of(code: DivisionCode | str) -> str:
    """The name of the bundled unit with this code (行政区划名称).

    Args:
        code: a division code, or text of 2, 4, 6, 9 or 12 digits.

    Returns:
        The name as of the bundled edition.

    Raises:
        InvalidDivisionCode: ``code`` is text that is not a division code.
        UnknownDivision: the code is valid but not in the bundled data.

    >>> name_of("450312")
    '临桂区'
    >>> name_of("450312204")
    '宛田瑶族乡'
    """
    return _known(code).name


def contains_code(code: DivisionCode | str) -> bool:
    """Whether the bundled data has a unit with this code.

    Args:
        code: a division code, or text of 2, 4, 6, 9 or 12 digits.

    Returns:
        ``True`` if bundled; ``False`` for a valid code the data lacks (a village, a code
        since abolished, a township outside Guangxi).

    Raises:
        InvalidDivisionCode: ``code`` is text that is not a division code.

    >>> contains_code("450312"), contains_code("450312001001")
    (True, False)
    """
    return _as_code(code).value in _table().by_code


def children(code: DivisionCode | str) -> tuple[Division, ...]:
    """The units directly under this one in the bundled data (下级), sorted by code.

    A unit at the deepest bundled level (a Guangxi township, a county elsewhere) has none.

    Args:
        code: the code of a bundled unit.

    Returns:
        The direct children, by code.

    Raises:
        InvalidDivisionCode: ``code`` is text that is not a division code.
        UnknownDivision: the unit itself is not in the bundled data.

    >>> [d.name for d in children("450312")][-2:]
    ['宛田瑶族乡', '黄沙瑶族乡']
    >>> children("450312204")
    ()
    """
    parent = _known(code)
    return _table().by_parent.get(parent.code.value, ())


def subtree(code: DivisionCode | str) -> Iterator[Division]:
    """The unit and every bundled unit under it, by code (辖区).

    Args:
        code: the code of a bundled unit.

    Yields:
        The unit first, then everything it contains, in code order.

    Raises:
        InvalidDivisionCode: ``code`` is text that is not a division code.
        UnknownDivision: the unit itself is not in the bundled data (raised on the call, not
            on the first iteration).

    >>> sum(1 for _ in subtree("450312"))
    12
    """
    root = _known(code)
    return _subtree_from(root.code)


def _subtree_from(root: DivisionCode) -> Iterator[Division]:
    table = _table()
    prefix = root.short
    start = bisect.bisect_left(table.keys, root.value)
    for index in range(start, len(table.keys)):
        if not table.keys[index].startswith(prefix):
            return
        yield table.ordered[index]


def find(name: str, *, within: DivisionCode | str | None = None) -> tuple[Division, ...]:
    """The bundled units with exactly this name, sorted by code (按名称查找).

    Names repeat across the country (and within a province: Guangxi has five 太平镇), so the
    answer is a tuple; narrow it with ``within``.

    Args:
        name: the full name, as written in the data (``"临桂区"``, not ``"临桂"``).
        within: only units inside this one (the unit itself included).

    Returns:
        The matches, by code; empty if none.

    Raises:
        InvalidDivisionCode: ``within`` is text that is not a division code.
        UnknownDivision: ``within`` is not in the bundled data.

    >>> [str(d.code) for d in find("鼓楼区")]
    ['320106000000', '320302000000', '350102000000', '410204000000']
    >>> [str(d.code) for d in find("太平镇", within=DivisionCode("4502"))]
    ['450222102000']
    """
    matches = _table().by_name.get(name, ())
    if within is None:
        return matches
    area = _known(within).code
    return tuple(d for d in matches if area.contains(d.code))


def bundled(*, province: str | None = None) -> Iterator[Division]:
    """Every bundled unit, by code; or those of one province (省级单位).

    Args:
        province: a province-level code (``"45"``, ``"450000"``, ``"450000000000"``); all
            provinces if ``None``.

    Yields:
        Units in code order, the province itself first.

    Raises:
        InvalidDivisionCode: ``province`` is not a province-level code.
        UnknownDivision: the province is not in the bundled data (e.g. ``"71"``, Taiwan).

    >>> sum(1 for d in bundled(province="45") if d.level == DivisionLevel.CITY)
    14
    """
    if province is None:
        return iter(_table().ordered)
    code = DivisionCode(province)
    if code.level is not DivisionLevel.PROVINCE:
        raise InvalidDivisionCode(
            "province", province, "must be a province-level code", "须为省级代码"
        )
    return subtree(code)


def source() -> Mapping[str, object]:
    """The provenance of the bundled tables, from the manifests of the bundled profiles.

    Built on each call, so callers may change the returned mapping freely.

    Returns:
        The tables ``source`` (publisher, edition, cut-off date, packaging repository and
        commit: the national profile's ``[editions.divisions]``), ``refresh`` (how to
        rebuild) and ``files`` (per table, in the order they are read: rows, levels, sha256,
        from the ``[files."NAME"]`` table of the profile holding it).

    >>> source()["source"]["edition"]
    '2022'
    """
    profiles = jurisdictions.bundled()
    edition: dict[str, object] = {}
    for profile in profiles:
        edition.update(_plain(profile.editions.get("divisions", {})))
    refresh = edition.pop("refresh", {})
    files = {
        path.name: _plain(j.provenance[path.name])
        for j in reversed(profiles)
        for path in j.divisions
    }
    return {"schema": 1, "source": edition, "refresh": refresh, "files": files}


def _plain(table: Mapping[str, object]) -> dict[str, object]:
    """A fresh copy of a manifest table, nested tables and lists included."""
    return {
        key: _plain(value)
        if isinstance(value, Mapping)
        else list(value)
        if isinstance(value, list)
        else value
        for key, value in table.items()
    }
