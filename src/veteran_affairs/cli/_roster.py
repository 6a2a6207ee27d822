"""``import`` and ``export``: rosters (花名册) into and out of a store.

``import`` reads one or more files — each ``.csv`` file one roster, each non-empty sheet
of a workbook one, of any kind (veterans, survivors, households, cases, and the casework
registers: petitions, legacy cases, insurance transfers, 包联 assignments and talks, village
cadres, discharge records, training, employment, reception days, requests) — as streams, and writes them with :func:`~veteran_affairs.rosters.import_rosters`
in one transaction. It is
all or nothing by default: every row is checked, keys already in the store are errors of
their rows (unless ``--update`` corrects them), and only when no row has an error is
anything written. ``--skip-invalid`` writes the valid rows and each source's rejected rows,
with their errors, to its own rejects file (``ROSTER.rejects.csv``,
``ROSTER.SHEET.rejects.csv``; never overwriting one), and the exit status says so (3,
:attr:`ExitCode.PARTIAL`). A header that no row can be checked against writes nothing, with
or without ``--skip-invalid``; a store the import created and wrote nothing into is removed.

``export`` writes typed rows (:func:`~veteran_affairs.rosters.roster_row`): in ``.xlsx`` the
dates are date cells, identity numbers, codes and phones text. A casework register's records
come from the store's repository of its record kind (``uow.records(cls)``); a kind no record
kind is registered for has no records to export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import IO

import attrs

from veteran_affairs.cli._common import (
    CommandError,
    ExitCode,
    Progress,
    existing_file,
    open_store,
    write_json,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import AssistanceCase, PlaqueHousehold, ServingMember, Survivor, Veteran
from veteran_affairs.repositories import SqliteStore, UnitOfWork, UnknownRecordKind
from veteran_affairs.repositories.records import record_kind, record_kinds
from veteran_affairs.rosters import (
    ImportProgress,
    ImportResult,
    RosterKind,
    RosterRecord,
    RosterStream,
    RowError,
    SourceResult,
    import_rosters,
    iter_workbook,
    load_column_maps,
    roster_row,
    write_rejects,
    write_table,
    write_workbook,
)

_SHOWN_ERRORS = 200  # at most this many error lines on the terminal; the rest are counted


def _error_report(errors: Sequence[RowError], err: IO[str], *, source: str = "") -> None:
    where = f"{source}: " if source else ""
    for error in errors[:_SHOWN_ERRORS]:
        err.write(f"  {where}{error}\n")
    hidden = len(errors) - _SHOWN_ERRORS
    if hidden > 0:
        err.write(f"  … and {hidden:,} more error(s) (另有 {hidden:,} 条错误)\n")


def _discard_if_empty(path: Path, *, created: bool) -> None:
    """Remove the store file (and its WAL files) if this import created it and it is empty."""
    if not created or not path.exists():
        return
    store = open_store(path)
    with store.unit_of_work(actor="veteran-affairs import") as work:
        empty = not (
            work.persons.count()
            or work.households.count()
            or work.cases.count()
            or any(work.records(kind.cls).count() for kind in record_kinds())
        )
    if empty:
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def free_path(path: Path) -> Path:
    """``path``, or ``stem-2.suffix``, ``stem-3.suffix`` … : the first that does not exist.

    A rejects file never overwrites another: the office may still be correcting the last one.
    """
    if not path.exists():
        return path
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def _rejects_path(source: SourceResult, *, given: Path | None, several: bool) -> Path:
    """Where a source's rejected rows go: next to it, one file per source and sheet."""
    path, _, sheet = source.source.partition("#")
    roster = Path(path)
    name = f"{roster.stem}.{sheet}.rejects.csv" if sheet else f"{roster.stem}.rejects.csv"
    if given is None:
        return free_path(roster.with_name(name))
    if several:
        given.mkdir(parents=True, exist_ok=True)
        return free_path(given / name)
    return free_path(given)


def _summary(
    rosters: Sequence[Path],
    store_path: Path,
    result: ImportResult,
    *,
    update: bool,
    rejects: Mapping[str, Path],
    status: ExitCode,
) -> dict[str, object]:
    """What ``import --json`` prints: counts, files, every error (values masked)."""
    first_rejects = next(iter(rejects.values()), None)
    return {
        "command": "import",
        "status": int(status),
        "roster": str(rosters[0]),
        "rosters": [str(r) for r in rosters],
        "store": str(store_path),
        "update": update,
        "written": result.written,
        "rows_read": result.rows_read,
        "imported": result.added + result.updated,
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "rejects": None if first_rejects is None else str(first_rejects),
        "sources": [
            {
                "source": s.source,
                "kind": getattr(s.kind, "value", None),
                "rows_read": s.rows_read,
                "accepted": s.accepted,
                "rejected": sum(1 for r in s.rejects if r.row > 1),
                "rejects": str(rejects[s.source]) if s.source in rejects else None,
                "errors": [attrs.asdict(error) for error in s.errors],
            }
            for s in result.sources
        ],
        "errors": [attrs.asdict(error) for error in result.errors],
    }


def run_import(
    rosters: Sequence[Path],
    *,
    store_path: Path,
    columns: Path | None,
    kind: RosterKind | None = None,
    skip_invalid: bool,
    update: bool = False,
    rejects: Path | None,
    actor: str,
    out: IO[str],
    err: IO[str],
    progress: Progress,
    as_json: bool = False,
) -> int:
    """Import every roster of ``rosters`` into the store at ``store_path``; the exit status.

    Each ``.csv`` file is one roster; each non-empty sheet of an ``.xlsx`` workbook is one,
    of the kind its name or header says. Everything goes in one transaction
    (:func:`~veteran_affairs.rosters.import_rosters`): :attr:`ExitCode.OK` when every row
    was written, :attr:`ExitCode.PARTIAL` when ``skip_invalid`` left rows out (each source's
    rejected rows in its own rejects file, never overwriting one), :attr:`ExitCode.FAILED`
    when nothing was written: a bad row without ``skip_invalid``, or a header no row can be
    checked against even with it. With ``as_json`` the summary is one JSON document on
    ``out`` and every message goes to ``err``.
    """
    for roster in rosters:
        existing_file(roster, "roster")
    maps = None if columns is None else load_column_maps(existing_file(columns, "column map"))
    said = err if as_json else out
    created = not store_path.exists()
    store = open_store(store_path, create=True)
    with ExitStack() as stack:
        # A store this import created and wrote nothing into is removed again: a failed
        # import leaves no empty store behind.
        stack.callback(_discard_if_empty, store_path, created=created)
        streams: list[RosterStream] = []
        for roster in rosters:
            for stream in iter_workbook(roster, columns=maps, kind=kind):
                streams.append(stack.enter_context(stream))
        progress.step("importing")

        def shown(reached: ImportProgress) -> None:
            if not reached.done:
                progress.step(
                    f"importing {Path(reached.source).name}: {reached.rows_read:,} rows read, "
                    f"{reached.rejected:,} rejected"
                )

        result = import_rosters(
            store,
            streams,
            actor=actor,
            update=update,
            skip_invalid=skip_invalid,
            on_progress=shown,
        )
    progress.done()
    several = len(result.sources) > 1
    written: dict[str, Path] = {}

    def finish(status: ExitCode) -> int:
        if as_json:
            write_json(
                out,
                _summary(
                    rosters, store_path, result, update=update, rejects=written, status=status
                ),
            )
        return status

    unusable = [s for s in result.sources if s.header_unusable]
    if unusable:
        for source in unusable:
            err.write(
                f"{source.source}: the header row cannot be used (表头有误), so no row could be "
                "checked; nothing was written (未写入任何数据):\n"
            )
            _error_report(source.errors, err)
        err.write("Correct the header (see docs/howto-import-roster.md) and import again.\n")
        return finish(ExitCode.FAILED)
    bad = result.rejected
    if bad and not skip_invalid:
        err.write(
            f"{len(result.errors):,} error(s) in {bad:,} of {result.rows_read:,} rows "
            "(花名册校验未通过); nothing was written (未写入任何数据):\n"
        )
        for source in result.sources:
            _error_report(source.errors, err, source=source.source if several else "")
        err.write("Correct the rows and import again, or pass --skip-invalid.\n")
        return finish(ExitCode.FAILED)
    imported = sum(s.accepted for s in result.sources)
    counts = ""
    if update:
        counts = (
            f" ({result.added:,} added, {result.updated:,} updated, {result.unchanged:,} unchanged)"
        )
    said.write(f"{imported:,} of {result.rows_read:,} rows imported into {store_path}{counts}\n")
    if not bad:
        return finish(ExitCode.OK)
    for source in result.sources:
        if not source.rejects:
            continue
        where = _rejects_path(source, given=rejects, several=several)
        write_rejects(where, source.as_roster_result(), columns=source.columns)
        written[source.source] = where
        err.write(
            f"{len(source.rejects):,} row(s) of {source.source} rejected (未导入), "
            f"written to {where}:\n"
        )
        _error_report(source.errors, err)
    return finish(ExitCode.PARTIAL)


_ExportCell = str | int | dt.date | Decimal
"""A cell of an exported roster: text, a version number, a date or an amount."""


def _records(work: UnitOfWork, kind: RosterKind) -> Iterator[RosterRecord]:
    """The stored records a roster of ``kind`` holds, in key order."""
    if kind is RosterKind.VETERANS:
        yield from (p for p in work.persons.find(kind=Veteran) if isinstance(p, Veteran))
    elif kind is RosterKind.SURVIVORS:
        yield from (p for p in work.persons.find(kind=Survivor) if isinstance(p, Survivor))
    elif kind is RosterKind.HOUSEHOLDS:
        yield from work.households.find()
    elif kind is RosterKind.CASES:
        yield from work.cases.find()
    else:
        yield from work.records(kind.record_type).find()


def _registered(kind: RosterKind) -> bool:
    """Whether a store can hold records of ``kind`` (a casework register needs its record
    kind registered)."""
    if not kind.casework:
        return True
    try:
        record_kind(kind.record_type)
    except UnknownRecordKind:
        return False
    return True


def _version(work: UnitOfWork, record: RosterRecord) -> int:
    if isinstance(record, Veteran | Survivor):
        return work.persons.read(record.person.resident_id).version
    if isinstance(record, PlaqueHousehold):
        return work.households.read(record.household.household_id).version
    if isinstance(record, AssistanceCase):
        return work.cases.read(record.case_id).version
    cls = type(record)
    return work.records(cls).read(record_kind(cls).key_of(record)).version


def run_export(
    store: SqliteStore,
    *,
    out_path: Path,
    within: DivisionCode | None,
    personal: bool,
    kind: RosterKind | None = None,
    versions: bool = False,
    out: IO[str],
    progress: Progress,
) -> int:
    """Write the records of ``store`` (or of ``within``) as rosters; the exit status.

    A ``.xlsx`` file gets one sheet per kind that has records (named so that ``import``
    reads each back as its kind) — the casework registers among them, those whose record
    kind is registered — or only ``kind``; a ``.csv`` file holds one kind, ``kind`` or
    veterans. With ``versions`` a last column ``版本`` holds each record's stored version,
    which ``import --update`` checks (a record changed since is refused).

    Raises:
        UnknownRecordKind: ``kind`` is a casework register whose record kind is not
            registered.
    """
    suffix = out_path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CommandError(f"--out {str(out_path)!r}: write a .csv or .xlsx file (仅支持 csv/xlsx)")
    if within is not None:
        store = store.scoped(within)
    kinds = [kind] if kind is not None else [k for k in RosterKind if _registered(k)]
    if suffix == ".csv" and kind is None:
        kinds = [RosterKind.VETERANS]
    if kind is not None and kind.casework:
        record_kind(kind.record_type)  # UnknownRecordKind: no store holds such records
    sheets: dict[str, tuple[list[str], list[list[_ExportCell]]]] = {}
    with store.unit_of_work(actor="veteran-affairs export") as work:
        for chosen in kinds:
            header: list[str] = [*chosen.header, *(["版本"] if versions else [])]
            rows: list[list[_ExportCell]] = []
            for record in progress.count(f"reading {chosen.value}", _records(work, chosen)):
                row: list[_ExportCell] = list(roster_row(record, personal=personal))
                if versions:
                    row.append(_version(work, record))
                rows.append(row)
            if rows or chosen is kinds[0]:
                sheets[chosen.sheet_names[0]] = (header, rows)
        serving = work.persons.count(kind=ServingMember)
    if suffix == ".csv":
        ((header, rows),) = sheets.values()
        write_table(out_path, header, rows)
    else:
        write_workbook(out_path, sheets)
    progress.done()
    masked = "" if personal else " (identity numbers, names and phones masked; 已脱敏)"
    written = ", ".join(f"{len(rows):,} {name}" for name, (_, rows) in sheets.items())
    out.write(f"{written} written to {out_path}{masked}\n")
    if serving:
        out.write(f"{serving:,} serving members are in no roster (现役军人不在花名册中)\n")
    return ExitCode.OK
