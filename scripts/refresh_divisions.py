"""Rebuild the bundled division tables (行政区划数据) and their checksums in the manifests.

Usage::

    python scripts/refresh_divisions.py [DIRECTORY] [--check] [--strict]

Each bundled division table lives in the folder of its jurisdiction profile
(``src/veteran_affairs/data/jurisdictions/<name>/``), and that profile's manifest,
``jurisdiction.toml``, records it in a ``[files."<name>"]`` table with an ``input`` (the file
to rebuild it from) and its ``levels``. ``DIRECTORY`` holds those input CSVs; it defaults to
``../shared/data`` relative to the repository root. Every row is checked before anything is
written:

* the header is ``code,name,level,parent_code`` and every code is a valid 12-digit
  :class:`~veteran_affairs.identity.DivisionCode`;
* the level of the code is one of the file's ``levels`` in its manifest;
* the parent of every unit (the code truncated one level up) is in the same file, and so is
  the declared ``parent_code``;
* a code that appears twice carries the same name, in one file and across files.

Rows whose declared ``level`` or ``parent_code`` disagrees with the code itself are reported
as warnings (the 2022 edition has three: cities without counties listed again as their own
county); ``--strict`` makes warnings fatal. When all is well, the inputs are copied byte for
byte into their profile folders and ``rows``, ``rows_by_level`` and ``sha256`` are rewritten
in the manifests. Edition, cut-off and upstream commit (the national manifest's
``[editions.divisions]``) stay hand-written. ``--check`` writes nothing and exits 1 if
anything would change.

This script is not part of the wheel.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
# Validate with this checkout's DivisionCode, not with whatever version is installed.
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.errors import InvalidDivisionCode  # noqa: E402
from veteran_affairs.identity import DivisionCode  # noqa: E402

DATA_DIR = _ROOT / "src" / "veteran_affairs" / "data" / "jurisdictions"
DEFAULT_INPUT_DIR = _ROOT.parent / "shared" / "data"
SOURCE_NAME = "jurisdiction.toml"
HEADER = ["code", "name", "level", "parent_code"]


class Table:
    """One input file read and checked: its bytes, its rows and what is wrong with it."""

    def __init__(self, bundled_name: str, path: Path, levels: Iterable[int]) -> None:
        self.bundled_name = bundled_name
        self.path = path
        self.levels = frozenset(levels)
        self.data = path.read_bytes()
        self.names: dict[str, str] = {}
        self.rows = 0
        self.rows_by_level: Counter[int] = Counter()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._check()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def _where(self, line: int) -> str:
        return f"{self.path.name}:{line}"

    def _check(self) -> None:
        try:
            text = self.data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.errors.append(f"{self.path.name}: not UTF-8 ({error})")
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header != HEADER:
            self.errors.append(f"{self._where(1)}: header must be {','.join(HEADER)}")
            return
        declared: list[tuple[int, DivisionCode, str]] = []
        for line, row in enumerate(reader, start=2):
            checked = self._check_row(line, row)
            if checked is not None:
                declared.append((line, *checked))
        for line, code, parent_text in declared:
            self._check_parents(line, code, parent_text)

    def _check_row(self, line: int, row: list[str]) -> tuple[DivisionCode, str] | None:
        where = self._where(line)
        if len(row) != len(HEADER):
            self.errors.append(f"{where}: expected {len(HEADER)} fields, got {len(row)}")
            return None
        code_text, name, level_text, parent_text = row
        self.rows += 1
        try:
            code = DivisionCode(code_text)
        except InvalidDivisionCode as error:
            self.errors.append(f"{where}: {error}")
            return None
        if len(code_text) != 12:
            self.errors.append(f"{where}: code {code_text!r} is not 12 digits")
        if not name or name != name.strip():
            self.errors.append(f"{where}: name {name!r} is empty or has surrounding blanks")
        if not level_text.isdigit():
            self.errors.append(f"{where}: level {level_text!r} is not a number")
            return None
        level = int(level_text)
        self.rows_by_level[level] += 1
        if code.level not in self.levels:
            self.errors.append(
                f"{where}: {code} is level {int(code.level)}, outside levels "
                f"{sorted(self.levels)} declared in {SOURCE_NAME}"
            )
        if level != code.level:
            self.warnings.append(
                f"{where}: {code} {name}: declared level {level}, the code says {int(code.level)}"
            )
        previous = self.names.get(code.value)
        if previous is None:
            self.names[code.value] = name
        elif previous != name:
            self.errors.append(f"{where}: {code} named {name!r}, earlier {previous!r}")
        else:
            self.warnings.append(f"{where}: {code} {name}: listed again (same name)")
        return code, parent_text

    def _check_parents(self, line: int, code: DivisionCode, parent_text: str) -> None:
        where = self._where(line)
        parent = code.parent
        if parent is not None and parent.value not in self.names:
            self.errors.append(f"{where}: parent {parent} of {code} is not in the file")
        if parent_text and parent_text not in self.names:
            self.errors.append(f"{where}: declared parent_code {parent_text} is not in the file")
        if parent_text != (parent.value if parent is not None else ""):
            self.warnings.append(
                f"{where}: {code}: declared parent_code {parent_text or '(none)'}, "
                f"the code says {parent or '(none)'}"
            )


def read_manifest(data_dir: Path) -> dict[str, object]:
    return tomllib.loads((data_dir / SOURCE_NAME).read_text(encoding="utf-8"))


def file_entries(manifest: Mapping[str, object]) -> dict[str, tuple[str, frozenset[int]]]:
    """Per division table of a manifest (a ``[files."<name>"]`` table with an ``input``):
    its input name and levels."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        return {}
    entries: dict[str, tuple[str, frozenset[int]]] = {}
    for name, entry in files.items():
        source = entry.get("input") if isinstance(entry, dict) else None
        if source is None:
            continue
        levels = entry.get("levels") if isinstance(entry, dict) else None
        if not isinstance(source, str) or not isinstance(levels, list):
            raise SystemExit(f"{SOURCE_NAME}: [files.{name!r}] needs input and levels")
        entries[str(name)] = (source, frozenset(int(level) for level in levels))
    return entries


def cross_check(tables: Sequence[Table]) -> list[str]:
    """Codes present in several files must carry the same name everywhere."""
    errors: list[str] = []
    seen: dict[str, tuple[str, str]] = {}
    for table in tables:
        for code, name in table.names.items():
            first = seen.setdefault(code, (name, table.path.name))
            if first[0] != name:
                errors.append(
                    f"{code}: {first[0]!r} in {first[1]} but {name!r} in {table.path.name}"
                )
    return errors


def _set_key(section: str, key: str, value: str) -> str:
    """Set ``key = value`` in the body of one TOML table, adding the line if it is absent."""
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
    line = f"{key} = {value}"
    if pattern.search(section):
        return pattern.sub(lambda _: line, section, count=1)
    return "\n" + line + section  # right under the table header


def rewrite_manifest(text: str, tables: Sequence[Table]) -> str:
    """A manifest with rows, rows_by_level and sha256 of every table brought up to date."""
    for table in tables:
        header = f'[files."{table.bundled_name}"]'
        start = text.find(header)
        if start < 0:
            raise SystemExit(f"{SOURCE_NAME}: table {header} not found")
        body_start = start + len(header)
        next_table = re.search(r"^\[", text[body_start:], re.MULTILINE)
        end = body_start + next_table.start() if next_table else len(text)
        by_level = ", ".join(f'"{level}" = {n}' for level, n in sorted(table.rows_by_level.items()))
        body = text[body_start:end]
        body = _set_key(body, "rows", str(table.rows))
        body = _set_key(body, "rows_by_level", f"{{ {by_level} }}")
        body = _set_key(body, "sha256", f'"{table.sha256}"')
        text = text[:body_start] + body + text[end:]
    parsed = tomllib.loads(text)
    for table in tables:
        entry = parsed["files"][table.bundled_name]
        if (entry["rows"], entry["sha256"]) != (table.rows, table.sha256):
            raise SystemExit(f"{SOURCE_NAME}: rewrite of {table.bundled_name} did not take")
    return text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Rebuild the bundled division tables and their manifests from reference CSVs."
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_INPUT_DIR,
        help=f"directory holding the input CSVs (default: {DEFAULT_INPUT_DIR})",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DATA_DIR,
        help="directory of the jurisdiction profiles (default: the package data)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folders = [path.parent for path in sorted(Path(args.output).glob(f"*/{SOURCE_NAME}"))]
    where: dict[str, Path] = {}
    tables = []
    for folder in folders:
        for name, (source, levels) in file_entries(read_manifest(folder)).items():
            where[name] = folder
            tables.append(Table(name, args.directory / source, levels))
    if not tables:
        raise SystemExit(f"{args.output}: no division tables in any */{SOURCE_NAME}")
    errors = [error for table in tables for error in table.errors] + cross_check(tables)
    warnings = [warning for table in tables for warning in table.warnings]
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors or (args.strict and warnings):
        print("nothing written", file=sys.stderr)
        return 1

    changed = [
        t.bundled_name
        for t in tables
        if _read_or_empty(where[t.bundled_name] / t.bundled_name) != t.data
    ]
    manifests: dict[Path, str] = {}
    for folder in folders:
        own = [t for t in tables if where[t.bundled_name] == folder]
        if not own:
            continue
        old_manifest = (folder / SOURCE_NAME).read_text(encoding="utf-8")
        new_manifest = rewrite_manifest(old_manifest, own)
        if new_manifest != old_manifest:
            manifests[folder / SOURCE_NAME] = new_manifest
            changed.append(f"{folder.name}/{SOURCE_NAME}")
    for table in tables:
        print(f"{table.bundled_name}: {table.rows} rows, sha256 {table.sha256}")
    if args.check:
        print(f"out of date: {', '.join(changed)}" if changed else "up to date")
        return 1 if changed else 0
    for table in tables:
        if table.bundled_name in changed:
            (where[table.bundled_name] / table.bundled_name).write_bytes(table.data)
    for path, text in manifests.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    print(f"updated: {', '.join(changed)}" if changed else "already up to date")
    return 0


def _read_or_empty(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


if __name__ == "__main__":
    raise SystemExit(main())
