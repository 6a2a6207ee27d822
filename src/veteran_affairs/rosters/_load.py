"""Rosters into a store (导入): streamed, checked in full, one transaction (private engine).

:func:`import_rosters` reads each source row by row (:func:`iter_roster`), never holding a
whole file, and writes in **one transaction**, so that an import is all or nothing:

* a plain import feeds the valid records to the store's bulk path (``bulk_add`` with a
  single batch); when a row is bad and ``skip_invalid`` is false, the rest is still read
  (every error is reported) but nothing more is fed, and the batch is abandoned at the end;
* ``update=True`` goes through one unit of work instead: a record whose key the store
  holds is compared with the stored value and, if it differs, updated with the version just
  read (``update(value, version=...)``: the store refuses it if someone else changed the
  record meanwhile), so that the audit log shows an update, not a removal and an addition.
  An optional ``版本`` column (the version the office's copy was exported at) must then
  equal the stored version, or the row is rejected as changed in the store since.

Rows the store cannot take are rejected with a reason, like bad cells: a key already stored
(without ``update``), a record outside a scoped store's unit, and (with ``update``) a record
changed since the roster's ``版本``.

The casework registers (信访件, 历史遗留问题 …) go into the repository of their record kind
(``uow.records(cls)``, :mod:`veteran_affairs.repositories.records`), whose registration says
where a record's key and unit are; a register of a kind not registered is refused before any
row is read. A roster holds less than a stored record with a history (who took each step, most
notes): with ``update``, a step the roster leaves as it was keeps the stored step's actor and
note, and a row that changes nothing the roster holds counts as unchanged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from veteran_affairs.errors import IllegalTransition, InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import AssistanceCase, PlaqueHousehold, Survivor, Veteran
from veteran_affairs.repositories import NotFound, Repository, Store, UnitOfWork
from veteran_affairs.repositories.records import RecordKind, record_kind
from veteran_affairs.rosters._cells import as_text
from veteran_affairs.rosters._reader import RosterStream
from veteran_affairs.rosters._result import Cell, RejectedRow, RosterRecord, RosterResult, RowError
from veteran_affairs.rosters._roster_columns import ColumnMap, RosterKind
from veteran_affairs.rosters._rows import roster_row

ImportedRecord = RosterRecord

VERSION_HEADERS = ("版本", "记录版本", "version")
"""Headers of the optional column holding the version a row was exported at."""

PROGRESS_EVERY = 10_000
"""Rows between two calls of an import's progress callback."""


@attrs.frozen(kw_only=True)
class ImportProgress:
    """How far an import has got (导入进度), passed to its ``on_progress`` callback.

    Attributes:
        source: the file (and ``#sheet`` for a worksheet) being read.
        rows_read: data rows read so far, over every source.
        accepted: rows that passed every check so far.
        rejected: rows rejected so far.
        done: ``True`` on the last call, once everything is written (or abandoned).
    """

    source: str
    rows_read: int
    accepted: int
    rejected: int
    done: bool = False


@attrs.frozen(kw_only=True, repr=False)
class SourceResult:
    """What one source (a CSV file, or one worksheet) gave (单个来源的导入结果).

    Attributes:
        source: the file, with ``#sheet`` for a worksheet.
        kind: the roster kind the header was read as.
        columns: the column map the rows were read with.
        header: the header row as read.
        rows_read: data rows read (0 when the header was unusable).
        accepted: rows that passed every check (written unless the import was abandoned).
        rejects: the rejected rows, with every error (row 1: the header).
    """

    source: str
    kind: RosterKind
    columns: ColumnMap
    header: tuple[str, ...]
    rows_read: int
    accepted: int
    rejects: tuple[RejectedRow, ...]

    @property
    def file(self) -> str:
        """The file the source is in (without ``#sheet``)."""
        return self.source.partition("#")[0]

    @property
    def sheet(self) -> str | None:
        """The worksheet, or ``None`` for a CSV file."""
        return self.source.partition("#")[2] or None

    def as_roster_result(self) -> RosterResult:
        """The rejected rows as a :class:`RosterResult` (what ``write_rejects`` takes)."""
        return RosterResult(
            source=self.file,
            header=self.header,
            rows=(),
            errors=self.errors,
            rejects=self.rejects,
            rows_read=self.rows_read,
            kind=self.kind,
            sheet=self.sheet,
        )

    @property
    def errors(self) -> tuple[RowError, ...]:
        """Every error of every rejected row, by row."""
        return tuple(e for reject in self.rejects for e in reject.errors)

    @property
    def header_unusable(self) -> bool:
        """Whether the header itself was wrong, so that no row was read."""
        return any(reject.row == 1 for reject in self.rejects)

    def __repr__(self) -> str:
        return (
            f"SourceResult(source={self.source!r}, rows_read={self.rows_read}, "
            f"accepted={self.accepted}, rejected={len(self.rejects)})"
        )


@attrs.frozen(kw_only=True)
class ImportResult:
    """The outcome of :func:`import_rosters` (导入结果).

    Attributes:
        sources: one result per source read, in order.
        written: whether the import went through — its transaction committed, even if it
            had nothing to change (``False``: it was abandoned, and the store is as it was).
        added: records added.
        updated: stored records changed by a corrected row (``update`` only).
        unchanged: rows equal to the stored record (``update`` only; nothing written).
    """

    sources: tuple[SourceResult, ...]
    written: bool
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.sources)

    @property
    def rejected(self) -> int:
        """Data rows rejected (a header problem is not counted as a row)."""
        return sum(1 for s in self.sources for r in s.rejects if r.row > 1)

    @property
    def errors(self) -> tuple[RowError, ...]:
        return tuple(e for s in self.sources for e in s.errors)

    @property
    def ok(self) -> bool:
        """Every row of every source was written (or was already so, with ``update``)."""
        return self.written and not any(s.rejects for s in self.sources)


class _Abandon(Exception):
    """Raised into the bulk path to roll its one batch back (never leaves this module)."""


def _record_kind(record: ImportedRecord) -> RecordKind[Any] | None:
    """The registered record kind of a casework record; ``None`` for the store's aggregates."""
    if isinstance(record, Veteran | Survivor | PlaqueHousehold | AssistanceCase):
        return None
    return record_kind(type(record))


def _repository(work: UnitOfWork, record: ImportedRecord) -> Repository[Any, Any]:
    if isinstance(record, Veteran | Survivor):
        return work.persons
    if isinstance(record, PlaqueHousehold):
        return work.households
    if isinstance(record, AssistanceCase):
        return work.cases
    return work.records(type(record))


def _aggregate(record: ImportedRecord) -> str:
    if isinstance(record, Veteran | Survivor):
        return "persons"
    if isinstance(record, PlaqueHousehold):
        return "households"
    if isinstance(record, AssistanceCase):
        return "cases"
    return record_kind(type(record)).name


def _key(record: ImportedRecord) -> Any:
    if isinstance(record, Veteran | Survivor):
        return record.person.resident_id
    if isinstance(record, PlaqueHousehold):
        return record.household.household_id
    if isinstance(record, AssistanceCase):
        return record.case_id
    return record_kind(type(record)).key_of(record)


def _division(record: ImportedRecord) -> DivisionCode:
    if isinstance(record, Veteran | Survivor):
        return record.person.hukou_division
    if isinstance(record, PlaqueHousehold):
        return record.household.hukou_division
    if isinstance(record, AssistanceCase):
        return record.division
    return record_kind(type(record)).division_of(record)


def check_storable(kinds: Iterable[RosterKind]) -> None:
    """Raise :class:`~veteran_affairs.repositories.UnknownRecordKind` if a casework register
    among ``kinds`` has no record kind registered (so no store can hold its rows)."""
    for kind in kinds:
        if kind.casework:
            record_kind(kind.record_type)


def _unchanged(stored: ImportedRecord, read: ImportedRecord) -> bool:
    """Whether ``read`` says nothing the roster holds that ``stored`` does not say too."""
    return stored == read or roster_row(stored, personal=True) == roster_row(read, personal=True)


_DETAILED = ("history", "follow_ups")  # the lists whose items have an actor or a note


def _keeping_details(stored: ImportedRecord, read: ImportedRecord) -> ImportedRecord:
    """``read`` with the stored actor and note of each step the roster leaves as it was.

    A roster holds the dates and fields of a record's steps (and of a request's follow-ups),
    not who took them nor (mostly) their notes: an item of ``read`` equal to the stored item
    at the same place but for those keeps the stored one's; a note the roster holds (an
    objection's reasons …) is the read one's. Other records are returned as read.
    """
    changes: dict[str, tuple[Any, ...]] = {}
    for name in _DETAILED:
        before, after = getattr(stored, name, None), getattr(read, name, None)
        if isinstance(before, tuple) and isinstance(after, tuple):
            changes[name] = tuple(_kept(before, index, item) for index, item in enumerate(after))
    if not changes:
        return read
    as_read: Any = read
    try:
        made: ImportedRecord = attrs.evolve(as_read, **changes)
    except (InvalidValue, IllegalTransition):  # pragma: no cover - same steps, same checks
        return read
    return made


def _kept(before: tuple[Any, ...], index: int, item: Any) -> Any:
    """``item`` with the actor and note of ``before[index]`` if it is the same but for them."""
    old = before[index] if index < len(before) else None
    if old is None or type(old) is not type(item) or _details(old) != _details(item):
        return item
    kept = {}
    if hasattr(item, "actor"):
        kept["actor"] = old.actor
    if hasattr(item, "note"):
        kept["note"] = old.note if item.note is None else item.note
    return attrs.evolve(item, **kept)


def _details(step: Any) -> dict[str, Any]:
    """A step's (or follow-up's) fields but who took it and its note."""
    fields = attrs.asdict(step, recurse=False)
    fields.pop("actor", None)
    fields.pop("note", None)
    return fields


def _shown_key(record: ImportedRecord) -> str:
    key = _key(record)
    return str(key)  # identity numbers are masked by their own str(); RowError masks the rest


class _Source:
    """One stream being read: its rejects, counts, and the ``版本`` column if it has one."""

    def __init__(self, stream: RosterStream) -> None:
        self.name = source_name(stream.source, stream.sheet)
        self.stream = stream
        self.rejects: list[RejectedRow] = []
        self.accepted = 0
        self.rows_read = 0
        self.version_at = next(
            (i for i, h in enumerate(stream.header) if h.strip() in VERSION_HEADERS), None
        )
        self.version_header = (
            None if self.version_at is None else stream.header[self.version_at].strip()
        )

    def version(self, cells: tuple[Cell, ...]) -> tuple[int | None, str | None]:
        """The row's ``版本``: ``(version, None)``, ``(None, None)`` if blank, or an error."""
        if self.version_at is None or self.version_at >= len(cells):
            return None, None
        text = as_text(cells[self.version_at])
        if not text:
            return None, None
        if text.isdigit() and int(text) >= 1:
            return int(text), None
        return None, text

    def reject(self, row: int, cells: tuple[Cell, ...], error: RowError) -> None:
        self.rejects.append(RejectedRow(row=row, cells=cells, errors=(error,)))

    def result(self) -> SourceResult:
        return SourceResult(
            source=self.name,
            kind=self.stream.kind,
            columns=self.stream.columns,
            header=self.stream.header,
            rows_read=self.rows_read,
            accepted=self.accepted,
            rejects=tuple(sorted(self.rejects, key=lambda r: r.row)),
        )


def _store_error(
    row: int, column: str | None, value: str | None, reason: str, reason_zh: str
) -> RowError:
    return RowError(row=row, column=column, value=value, reason=reason, reason_zh=reason_zh)


def import_rosters(
    store: Store,
    sources: Sequence[RosterStream],
    *,
    actor: str,
    update: bool = False,
    skip_invalid: bool = False,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportResult:
    """Import roster streams into ``store`` in one transaction; see the module docstring.

    ``sources`` are the streams to read (``iter_roster(...)`` results), each with a ``name``
    given by :func:`open_sources`. Everything is documented on the public
    ``veteran_affairs.rosters.import_rosters``.
    """
    check_storable(s.kind for s in sources)
    opened = [_Source(s) for s in sources]
    if any(s.stream.header_errors for s in opened):
        for source in opened:
            reject = source.stream.header_reject
            if reject is not None:
                source.rejects.append(reject)
        return ImportResult(sources=tuple(s.result() for s in opened), written=False)
    counter = _Counter(on_progress)
    if update:
        return _update(store, opened, actor=actor, skip_invalid=skip_invalid, counter=counter)
    return _add(store, opened, actor=actor, skip_invalid=skip_invalid, counter=counter)


class _Counter:
    """Counts rows over every source and calls the progress callback now and then."""

    def __init__(self, on_progress: Callable[[ImportProgress], None] | None) -> None:
        self.on_progress = on_progress
        self.read = 0
        self.accepted = 0
        self.rejected = 0

    def row(self, source: _Source, *, accepted: bool) -> None:
        self.read += 1
        source.rows_read += 1
        if accepted:
            self.accepted += 1
            source.accepted += 1
        else:
            self.rejected += 1
        if self.on_progress is not None and self.read % PROGRESS_EVERY == 0:
            self.on_progress(self._progress(source.name, done=False))

    def finish(self, name: str) -> None:
        if self.on_progress is not None:
            self.on_progress(self._progress(name, done=True))

    def _progress(self, name: str, *, done: bool) -> ImportProgress:
        return ImportProgress(
            source=name,
            rows_read=self.read,
            accepted=self.accepted,
            rejected=self.rejected,
            done=done,
        )


def _checked_rows(
    source: _Source, counter: _Counter, scope: DivisionCode | None
) -> Iterator[tuple[int, tuple[Cell, ...], ImportedRecord]]:
    """The valid rows of ``source`` within ``scope``; the others go to its rejects."""
    for item in source.stream:
        if isinstance(item, RejectedRow):
            source.rejects.append(item)
            counter.row(source, accepted=False)
            continue
        record: ImportedRecord = item.record
        try:
            division = _division(record)
        except InvalidValue as error:  # a record kind whose unit this record does not give
            source.reject(
                item.row,
                item.cells,
                _store_error(item.row, None, None, error.reason, error.reason_zh),
            )
            counter.row(source, accepted=False)
            continue
        if scope is not None and not scope.contains(division):
            source.reject(
                item.row,
                item.cells,
                _store_error(
                    item.row,
                    None,
                    None,
                    f"outside the store's unit {scope} ({division})",
                    f"不在本单位（{scope}）管辖范围内",
                ),
            )
            counter.row(source, accepted=False)
            continue
        yield item.row, item.cells, record


def _add(
    store: Store,
    sources: list[_Source],
    *,
    actor: str,
    skip_invalid: bool,
    counter: _Counter,
) -> ImportResult:
    failed = False
    with store.unit_of_work(actor=actor) as work:
        # Keys are looked up only in the aggregates that hold something: an import into a
        # new store (the large case) makes no query per row.
        holding: dict[str, bool] = {}

        def taken(record: ImportedRecord) -> bool:
            repository = _repository(work, record)
            name = _aggregate(record)
            if name not in holding:
                counted: Any = repository  # every repository counts; their criteria differ
                holding[name] = counted.count() > 0
            return holding[name] and repository.exists(_key(record))

        def records() -> Iterator[ImportedRecord]:
            nonlocal failed
            for source in sources:
                for row, cells, record in _checked_rows(source, counter, store.scope):
                    if taken(record):
                        source.reject(
                            row,
                            cells,
                            _store_error(
                                row,
                                None,
                                _shown_key(record),
                                "already in the store (use --update to correct it)",
                                "存储中已有此记录（如需更正请使用 --update）",
                            ),
                        )
                        counter.row(source, accepted=False)
                        continue
                    counter.row(source, accepted=True)
                    if failed or (source.rejects and not skip_invalid):
                        failed = True
                        continue
                    yield record
                failed = failed or bool(source.rejects and not skip_invalid)
            if failed:
                raise _Abandon

        try:
            added = store.bulk_add(records(), actor=actor, batch_size=sys.maxsize)
        except _Abandon:
            added = 0
    counter.finish(sources[-1].name if sources else "")
    return ImportResult(sources=tuple(s.result() for s in sources), written=not failed, added=added)


def _update(
    store: Store,
    sources: list[_Source],
    *,
    actor: str,
    skip_invalid: bool,
    counter: _Counter,
) -> ImportResult:
    added = updated = unchanged = 0
    with store.unit_of_work(actor=actor) as work:
        for source in sources:
            for row, cells, record in _checked_rows(source, counter, store.scope):
                repository = _repository(work, record)
                key = _key(record)
                expected, bad_version = source.version(cells)
                column = source.version_header
                if bad_version is not None:
                    source.reject(
                        row,
                        cells,
                        _store_error(
                            row,
                            column,
                            bad_version,
                            "a version is a whole number from 1",
                            "版本须为不小于1的整数",
                        ),
                    )
                    counter.row(source, accepted=False)
                    continue
                try:
                    found = repository.read(key)
                except NotFound:
                    if expected is not None:
                        source.reject(
                            row,
                            cells,
                            _store_error(
                                row,
                                column,
                                str(expected),
                                "has a version but is not in the store (removed since?)",
                                "填有版本但存储中没有此记录（是否已被删除？）",
                            ),
                        )
                        counter.row(source, accepted=False)
                        continue
                    repository.add(record)
                    added += 1
                    counter.row(source, accepted=True)
                    continue
                if expected is not None and expected != found.version:
                    source.reject(
                        row,
                        cells,
                        _store_error(
                            row,
                            column,
                            str(expected),
                            f"changed in the store since this copy (now version {found.version})",
                            f"导出后存储中的记录已被修改（当前版本 {found.version}）",
                        ),
                    )
                    counter.row(source, accepted=False)
                    continue
                counter.row(source, accepted=True)
                if _unchanged(found.value, record):
                    unchanged += 1
                    continue
                repository.update(_keeping_details(found.value, record), version=found.version)
                updated += 1
        failed = any(s.rejects for s in sources) and not skip_invalid
        if not failed:
            work.commit()
    counter.finish(sources[-1].name if sources else "")
    if failed:
        return ImportResult(sources=tuple(s.result() for s in sources), written=False)
    return ImportResult(
        sources=tuple(s.result() for s in sources),
        written=True,
        added=added,
        updated=updated,
        unchanged=unchanged,
    )


def source_name(path: str | os.PathLike[str], sheet: str | None) -> str:
    """How a source is named in results and progress: the path, ``#sheet`` for a worksheet."""
    where = os.fspath(path)
    return where if sheet is None else f"{where}#{sheet}"
