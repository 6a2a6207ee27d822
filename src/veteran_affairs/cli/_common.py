"""What every command shares: errors and exit codes, dates, progress, tables, opening stores."""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import json
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import shown_value

if TYPE_CHECKING:
    from veteran_affairs.cycles import HolidayFile
    from veteran_affairs.identity import DivisionCode
    from veteran_affairs.jurisdictions import Jurisdiction
    from veteran_affairs.repositories import SqliteStore
    from veteran_affairs.rules import RuleBook

T = TypeVar("T")

STDOUT = "-"
"""The file name meaning standard output (``evaluate --out -``): the rows go there as CSV."""

DEFAULT_JURISDICTION = "guangxi"
"""The jurisdiction profile whose defaults the commands use without ``--jurisdiction``."""


class ExitCode(enum.IntEnum):
    """The command's exit status (退出码), as Unix tools use them."""

    OK = 0  # success
    FAILED = 1  # the work could not be done: invalid data, a missing file, a store error
    USAGE = 2  # wrong arguments (argparse exits with it)
    PARTIAL = 3  # done, but rows were left out: `import --skip-invalid` rejected some (部分导入)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class CommandError(VeteranAffairsError):
    """A command cannot go on: the message says why and what to do (命令无法完成)."""

    def __init__(self, message: str, status: ExitCode = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.status = status


def package_version() -> str:
    """The installed package's version (its metadata), or ``"unknown"`` in a bare checkout."""
    from importlib import metadata

    try:
        return metadata.version("veteran_affairs")
    except metadata.PackageNotFoundError:
        return "unknown"


def write_json(out: IO[str], data: object) -> None:
    """``data`` as one JSON document on ``out`` (``--json``): UTF-8 text, Chinese unescaped."""
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def iso_date(text: str) -> dt.date:
    """An ``argparse`` type: a date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{shown_value(text)!r} is not a date written YYYY-MM-DD (日期格式应为 YYYY-MM-DD)"
        ) from None


def year_number(text: str) -> int:
    """An ``argparse`` type: a year written ``YYYY``."""
    if not (len(text) == 4 and text.isascii() and text.isdigit() and text[0] != "0"):
        raise argparse.ArgumentTypeError(
            f"{shown_value(text)!r} is not a year written YYYY (年份应为四位数字)"
        )
    return int(text)


def known_unit(text: str) -> DivisionCode:
    """An ``argparse`` type: the code of a unit the bundled divisions know (已知行政区划).

    A unit is known if it is bundled, or if it lies under a bundled unit with no bundled
    units below it: a village under a Guangxi township, a township under a county elsewhere
    (those levels are not bundled). ``459999`` is refused: Guangxi's counties are bundled,
    and it is none of them.
    """
    from veteran_affairs import divisions
    from veteran_affairs.errors import UnknownDivision
    from veteran_affairs.identity import DivisionCode

    try:
        code = DivisionCode(text)
        divisions.lookup(code)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    except UnknownDivision as error:
        unknown = error
    else:
        return code
    for ancestor in code.ancestors():
        if divisions.contains_code(ancestor):
            if not divisions.children(ancestor):
                return code
            break
    raise argparse.ArgumentTypeError(f"{code.short}: {unknown}")


def load_jurisdiction(name_or_path: str | None) -> Jurisdiction:
    """The profile named by ``--jurisdiction`` (a name or a folder), Guangxi's by default.

    Raises:
        UnknownJurisdiction: no such profile, or an incomplete one (the message says why).
    """
    from veteran_affairs.jurisdictions import Jurisdiction

    return Jurisdiction.load(name_or_path or DEFAULT_JURISDICTION)


def province_of(jurisdiction: Jurisdiction) -> str:
    """The 2-digit province code of a province's profile (the default of ``--province``)."""
    from veteran_affairs.identity import DivisionLevel

    division = jurisdiction.division
    if division is None or division.level is not DivisionLevel.PROVINCE:
        raise CommandError(
            f"the jurisdiction {jurisdiction.name!r} is not a province: give --province CODE "
            "(辖区不是省级)"
        )
    return division.short


def unknown_unit(code: DivisionCode, jurisdiction: Jurisdiction) -> str | None:
    """Why ``code`` is no unit the divisions know (as :func:`known_unit`, with the units of
    the jurisdiction's own division tables), or ``None`` when it is one."""
    try:
        known_unit(code.value)
    except argparse.ArgumentTypeError as error:
        refused = str(error)
    else:
        return None
    if all(j.bundled for j in jurisdiction.chain):
        return refused
    tree = jurisdiction.tree()
    if code in tree:
        return None
    for ancestor in code.ancestors():
        if ancestor in tree:
            return None if not tree.children(ancestor) else refused
    return refused


def positive_int(text: str) -> int:
    """An ``argparse`` type: a whole number ≥ 1 (``10000`` or ``10_000``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{shown_value(text)!r} is not a whole number ≥ 1 (应为正整数)"
        )
    return value


class Progress:
    """Progress of long work on stderr, only when stderr is a terminal (进度).

    Redirected to a file or a pipe, it writes nothing, so logs and captured output stay clean.
    """

    def __init__(self, stream: IO[str] | None = None, *, enabled: bool | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = self._stream.isatty() if enabled is None else enabled
        self._last = 0.0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def step(self, label: str) -> None:
        """Say that ``label`` starts."""
        if self._enabled:
            self._stream.write(f"\r\x1b[K… {label}")
            self._stream.flush()

    def done(self) -> None:
        """Clear the progress line."""
        if self._enabled:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def count(self, label: str, items: Iterable[T], total: int | None = None) -> Iterator[T]:
        """Yield ``items``, showing how many have passed (at most ten updates a second)."""
        n = 0
        for n, item in enumerate(items, 1):
            if self._enabled and time.monotonic() - self._last > 0.1:
                self._last = time.monotonic()
                shown = f"{n:,}/{total:,}" if total else f"{n:,}"
                self._stream.write(f"\r\x1b[K… {label}: {shown}")
                self._stream.flush()
            yield item
        if self._enabled:
            self._stream.write(f"\r\x1b[K… {label}: {n:,}")
            self._stream.flush()


# --- plain-text tables ------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int]) -> str:
    """Rows as aligned columns; columns whose index is in ``right`` are right-aligned."""
    lines = [header, *rows]
    widths = [max(width(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for line in lines:
        cells = []
        for i, cell in enumerate(line):
            fill = " " * (widths[i] - width(cell))
            cells.append(fill + cell if i in right else cell + fill)
        out.append("  " + "  ".join(cells).rstrip())
    return "\n".join(out)


def count(n: int) -> str:
    """``12,345``."""
    return f"{n:,}"


def existing_file(path: Path, what: str) -> Path:
    """``path`` if it is a readable file, else a :class:`CommandError` naming it."""
    if not path.is_file():
        raise CommandError(f"{what} {str(path)!r} does not exist or is not a file (文件不存在)")
    return path


def holiday_files(paths: Sequence[Path]) -> list[HolidayFile]:
    """The user's holiday files, each checked (``--holidays``): before any long work starts."""
    from veteran_affairs.cycles import load_holidays

    return [load_holidays(existing_file(path, "holiday file")) for path in paths]


def rule_book(
    jurisdiction: str | Jurisdiction, parameters: Sequence[Path], *, allow_stale: bool
) -> RuleBook:
    """The rule book with the user's parameter files layered on it, in order (``--parameters``).

    ``jurisdiction`` is a profile or its name (``--rules``) or folder.
    """
    from veteran_affairs.rules import RuleBook

    files = [existing_file(path, "parameter file") for path in parameters]
    return RuleBook.load(jurisdiction, parameters=files, allow_stale=allow_stale)


def open_store(path: Path, *, create: bool = False) -> SqliteStore:
    """The SQLite store at ``path``; unless ``create``, the file must exist already."""
    from veteran_affairs.repositories import SqliteStore, StoreError

    if not create and not path.is_file():
        raise CommandError(
            f"no store at {str(path)!r} (存储文件不存在): give --store, "
            "or create one with `veteran-affairs demo` or `veteran-affairs import`"
        )
    try:
        return SqliteStore(path)
    except (sqlite3.DatabaseError, StoreError) as error:
        raise CommandError(f"{str(path)!r} is not a usable store (无法打开存储): {error}") from None
