"""``import`` and ``export``: rosters (花名册) into and out of a store.

An import is all or nothing by default: the roster is checked in full, identity numbers
already in the store are errors of their rows, and only when no row has an error are the
persons added — in one unit of work, so that an interruption or a store error leaves the
store as it was. ``--skip-invalid`` adds the valid rows and writes the rejected ones, with
their errors, to a rejects file (``ROSTER.rejects.csv`` unless ``--rejects``), and the exit
status says so (3, :attr:`ExitCode.PARTIAL`). A header that no row can be checked against
writes nothing, with or without ``--skip-invalid``.

``export`` writes typed rows (:func:`~veteran_affairs.rosters.roster_row`): in ``.xlsx`` the
dates are date cells, identity numbers, codes and phones text.
"""

from __future__ import annotations

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
from veteran_affairs.models import Veteran
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rosters import (
    DEFAULT_COLUMNS,
    ROSTER_HEADER,
    RejectedRow,
    RosterResult,
    RowError,
    load_column_map,
    read_roster,
    roster_row,
    write_rejects,
    write_table,
)

_SHOWN_ERRORS = 200  # at most this many error lines on the terminal; the rest are counted


def _already_stored(result: RosterResult, store: SqliteStore, columns_header: str) -> RosterResult:
    """``result`` with every row whose identity number the store holds moved to the rejects."""
    with store.unit_of_work(actor="veteran-affairs import") as work:
        taken = [r for r in result.rows if work.persons.exists(r.veteran.person.resident_id)]
    if not taken:
        return result
    moved = []
    for row in taken:
        rid = row.veteran.person.resident_id
        error = RowError(
            row=row.row,
            column=columns_header,
            value=str(rid),
            reason="already in the store",
            reason_zh="存储中已有此人",
        )
        moved.append(RejectedRow(row=row.row, cells=row.cells, errors=(error,)))
    rejects = tuple(sorted([*result.rejects, *moved], key=lambda r: r.row))
    return attrs.evolve(
        result,
        rows=tuple(r for r in result.rows if r not in taken),
        errors=tuple(e for r in rejects for e in r.errors),
        rejects=rejects,
    )


def _error_report(result: RosterResult, err: IO[str]) -> None:
    for error in result.errors[:_SHOWN_ERRORS]:
        err.write(f"  {error}\n")
    hidden = len(result.errors) - _SHOWN_ERRORS
    if hidden > 0:
        err.write(f"  … and {hidden:,} more error(s) (另有 {hidden:,} 条错误)\n")


def _summary(
    roster: Path,
    store_path: Path,
    result: RosterResult,
    *,
    imported: int,
    rejects: Path | None,
    status: ExitCode,
) -> dict[str, object]:
    """What ``import --json`` prints: the counts, the files, every error (values masked)."""
    return {
        "command": "import",
        "status": int(status),
        "roster": str(roster),
        "store": str(store_path),
        "rows_read": result.rows_read,
        "imported": imported,
        "rejected": sum(1 for reject in result.rejects if reject.row > 1),
        "rejects": None if rejects is None else str(rejects),
        "errors": [attrs.asdict(error) for error in result.errors],
    }


def run_import(
    roster: Path,
    *,
    store_path: Path,
    columns: Path | None,
    skip_invalid: bool,
    rejects: Path | None,
    actor: str,
    out: IO[str],
    err: IO[str],
    progress: Progress,
    as_json: bool = False,
) -> int:
    """Check ``roster`` and add its persons to the store at ``store_path``; the exit status.

    :attr:`ExitCode.OK` when every row was imported, :attr:`ExitCode.PARTIAL` when
    ``skip_invalid`` left rows out, :attr:`ExitCode.FAILED` when nothing was written: a bad
    row without ``skip_invalid``, or a header no row can be checked against (a required
    column missing, two columns for one field, no header at all) even with it. With
    ``as_json`` the summary is one JSON document on ``out`` and every message goes to
    ``err``.
    """
    existing_file(roster, "roster")
    mapping = (
        DEFAULT_COLUMNS
        if columns is None
        else load_column_map(existing_file(columns, "column map"))
    )
    said = err if as_json else out

    def finish(result: RosterResult, imported: int, where: Path | None, status: ExitCode) -> int:
        if as_json:
            summary = _summary(
                roster, store_path, result, imported=imported, rejects=where, status=status
            )
            write_json(out, summary)
        return status

    progress.step(f"reading {roster.name}")
    result = read_roster(roster, mapping)
    progress.done()
    if any(error.row == 1 for error in result.errors):
        err.write(
            f"{roster}: the header row cannot be used (表头有误), so no row could be checked; "
            "nothing was written (未写入任何数据):\n"
        )
        _error_report(result, err)
        err.write("Correct the header (see docs/howto-import-roster.md) and import again.\n")
        return finish(result, 0, None, ExitCode.FAILED)
    if store_path.exists():
        progress.step("checking the store")
        result = _already_stored(result, open_store(store_path), mapping.header_of("resident_id"))
        progress.done()
    bad = len(result.rejects)
    if bad and not skip_invalid:
        err.write(
            f"{roster}: {len(result.errors):,} error(s) in {bad:,} of {result.rows_read:,} rows "
            "(花名册校验未通过); nothing was written (未写入任何数据):\n"
        )
        _error_report(result, err)
        err.write("Correct the rows and import again, or pass --skip-invalid.\n")
        return finish(result, 0, None, ExitCode.FAILED)
    store = open_store(store_path, create=True)
    with store.unit_of_work(actor=actor) as work:
        for row in progress.count("adding persons", result.rows, len(result.rows)):
            work.persons.add(row.veteran)
        work.commit()
    progress.done()
    said.write(f"{len(result.rows):,} of {result.rows_read:,} rows imported into {store_path}\n")
    if not bad:
        return finish(result, len(result.rows), None, ExitCode.OK)
    where = rejects or roster.with_name(f"{roster.stem}.rejects.csv")
    write_rejects(where, result, columns=mapping)
    err.write(f"{bad:,} row(s) rejected (未导入), written to {where}:\n")
    _error_report(result, err)
    return finish(result, len(result.rows), where, ExitCode.PARTIAL)


def run_export(
    store: SqliteStore,
    *,
    out_path: Path,
    within: DivisionCode | None,
    personal: bool,
    out: IO[str],
    progress: Progress,
) -> int:
    """Write the veterans of ``store`` (or of ``within``) as a roster; the exit status."""
    if out_path.suffix.lower() not in (".csv", ".xlsx"):
        raise CommandError(f"--out {str(out_path)!r}: write a .csv or .xlsx file (仅支持 csv/xlsx)")
    if within is not None:
        store = store.scoped(within)
    with store.unit_of_work(actor="veteran-affairs export") as work:
        found = progress.count("reading veterans", work.persons.find(kind=Veteran))
        veterans = [p for p in found if isinstance(p, Veteran)]
        others = work.persons.count() - len(veterans)
    rows = [roster_row(v, personal=personal) for v in veterans]
    write_table(out_path, list(ROSTER_HEADER), rows)
    progress.done()
    masked = "" if personal else " (identity numbers, names and phones masked; 已脱敏)"
    out.write(f"{len(rows):,} veterans written to {out_path}{masked}\n")
    if others:
        out.write(f"{others:,} survivors and serving members are not in a veterans' roster\n")
    return ExitCode.OK
