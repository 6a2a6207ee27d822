"""``overdue``: the list of overdue casework under a unit, to chase (督办清单).

:func:`overdue_list` is the pure part: from casework records, a date, a limit book and the
calendars, one :class:`OverdueRow` per limit past its due date and not met, sorted by unit
code then due date, and what could not be judged (:class:`NotJudged`). :func:`run_overdue`
reads a store and writes the list as text, CSV, xlsx or JSON.

What is judged, and on what basis (each row cites the version of the limit in force):

* 信访件 (petitions): a body's duty past due (:meth:`Petition.overdue
  <veteran_affairs.casework.petitions.Petition.overdue>`), the limits of 《信访条例》 (2005)
  and 《信访工作条例》 (2022) as bundled; a petitioner's window is never listed;
* 保险接续 (insurance transfers): the medical account not opened within 20 天 of receipt
  (国办发〔1999〕100号, article NOT CONFIRMED) and, where an application is recorded, the
  pension transfer-in (a local limit, shipped without a value);
* 历史遗留问题 (legacy cases): a milestone of the case's own plan past its date, and the
  periodic review (``legacy.review_interval``, shipped without a value);
* 诉求 (requests): the answer and the follow-up (``request.answer``, ``request.follow_up``,
  shipped without values: CASEWORK.md §7).

A limit with no value is never guessed: the items that need it are counted in
:class:`NotJudged` until the user supplies it (``--limits FILE``).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from veteran_affairs.casework import legacy as legacy_module
from veteran_affairs.casework import requests as requests_module
from veteran_affairs.casework.deadlines import DeadlineStatus, DueDate, LimitBook
from veteran_affairs.casework.discharge import (
    DeadlineKind,
    DischargeDeadline,
    InsuranceTransfer,
    insurance_deadlines,
)
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition
from veteran_affairs.casework.requests import Request
from veteran_affairs.cli._common import ExitCode, Progress, count, table, width
from veteran_affairs.cycles import CalendarDataMissing, HolidayFile, WorkCalendar, calendar_for
from veteran_affairs.errors import ParameterError
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rules import Citation

__all__ = [
    "OVERDUE_HEADER",
    "CaseworkKind",
    "NotJudged",
    "OverdueList",
    "OverdueRow",
    "limit_book",
    "overdue_list",
    "overdue_text",
    "run_overdue",
]


def __dir__() -> list[str]:
    return __all__


class CaseworkKind(enum.Enum):
    """The kinds of casework the list covers (``--kind``)."""

    PETITIONS = "petitions"
    TRANSFERS = "transfers"
    LEGACY = "legacy"
    REQUESTS = "requests"

    @property
    def label_zh(self) -> str:
        return {
            "petitions": "信访件",
            "transfers": "保险接续",
            "legacy": "历史遗留问题",
            "requests": "诉求",
        }[self.value]


_MILESTONE_KEY = "legacy.milestone"
_MILESTONE_ZH = "化解节点"
_MILESTONE_EN = "a milestone of the case's own plan"
_MILESTONE_BASIS = "the case's own plan (化解计划), not a statutory limit"


@attrs.frozen(kw_only=True)
class OverdueRow:
    """One limit past its due date and not met on the day of the list (逾期事项).

    Attributes:
        kind: what the record is.
        key: the record's key, personal parts masked (a transfer's identity number).
        unit: the unit holding it (承办单位): the body whose duty it is.
        unit_name: the unit's name, or ``""`` when unknown.
        limit: the limit's key (``petition.handling``), or ``legacy.milestone`` followed by
            the milestone's key for a plan's milestone.
        label_zh, label_en: what is overdue.
        due: the last day in time.
        days_overdue: calendar days past ``due``.
        citation: the basis of the limit (document, number, article) in force.
        person: the person's identity number, masked (``None`` when the record names none).
    """

    kind: CaseworkKind
    key: str
    unit: DivisionCode
    unit_name: str
    limit: str
    label_zh: str
    label_en: str
    due: dt.date
    days_overdue: int
    citation: str
    person: str | None

    def cells(self) -> list[str | int | dt.date | None]:
        """The row as table cells, in :data:`OVERDUE_HEADER`'s order."""
        return [
            self.kind.label_zh,
            self.key,
            self.unit.short,
            self.unit_name,
            self.limit,
            self.label_zh,
            self.label_en,
            self.due,
            self.days_overdue,
            self.citation,
            self.person,
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "kind_zh": self.kind.label_zh,
            "key": self.key,
            "unit": self.unit.short,
            "unit_name": self.unit_name,
            "limit": self.limit,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "citation": self.citation,
            "person": self.person,
        }


OVERDUE_HEADER = (
    "类别 kind",
    "编号 key",
    "单位代码 unit",
    "单位名称 unit name",
    "时限 limit",
    "逾期事项",
    "what is overdue",
    "到期日 due",
    "逾期天数 days overdue",
    "依据 basis",
    "公民身份号码 (masked)",
)
"""The columns of the CSV and xlsx list."""


@attrs.frozen(kw_only=True)
class NotJudged:
    """Items whose limit could not be counted (未判定): no value, or no calendar."""

    limit: str
    items: int
    reason: str

    def note(self) -> str:
        if self.reason == "no-value":
            return (
                f"{self.items} item(s) not judged: limit {self.limit} has no value (时限无值); "
                "supply it with --limits FILE"
            )
        return (
            f"{self.items} item(s) not judged: limit {self.limit} runs into a year no calendar "
            "covers (缺少节假日数据); add the notice with --holidays FILE"
        )


@attrs.frozen(kw_only=True)
class OverdueList:
    """The list (督办清单): rows sorted by unit code then due date, and what was not judged."""

    on: dt.date
    rows: tuple[OverdueRow, ...]
    not_judged: tuple[NotJudged, ...]

    def notes(self) -> list[str]:
        return [n.note() for n in self.not_judged]

    def to_json(self) -> dict[str, object]:
        return {
            "on": self.on.isoformat(),
            "rows": [row.to_json() for row in self.rows],
            "items": len(self.rows),
            "not_judged": [attrs.asdict(n) for n in self.not_judged],
            "notes": self.notes(),
        }


def limit_book(paths: Sequence[Path] = ()) -> LimitBook:
    """The bundled limits with the legacy-case and request limits (shipped without values),
    the user's files layered on top (``--limits``).

    Raises:
        InvalidValue: a file breaks the format.
        OSError: a file cannot be read.
    """
    book = LimitBook.bundled().layered(legacy_module.LIMITS).layered(requests_module.LIMITS)
    if paths:
        book = book.layered(LimitBook.load(paths))
    return book


def _cited(citation: Citation) -> str:
    parts = [citation.document]
    if citation.number:
        parts.append(citation.number)
    parts.append(citation.article or "(article not confirmed)")
    return " ".join(parts)


class _Unknown(Exception):
    def __init__(self, limit: str, reason: str) -> None:
        super().__init__(limit)
        self.limit = limit
        self.reason = reason


T = TypeVar("T")


def _on_calendars(
    calendars: Sequence[WorkCalendar], default_key: str, work: Callable[[WorkCalendar], T]
) -> T:
    """``work`` on the first calendar that covers the years it needs; :class:`_Unknown` when a
    limit has no value or no calendar covers it."""
    for calendar in calendars:
        try:
            return work(calendar)
        except CalendarDataMissing:
            continue
        except ParameterError as missing:
            raise _Unknown(missing.key, "no-value") from None
    raise _Unknown(default_key, "no-calendar")


def _transfer_deadlines(
    book: LimitBook, transfer: InsuranceTransfer, calendar: WorkCalendar
) -> tuple[DischargeDeadline, ...]:
    return insurance_deadlines(book, transfer, calendar=calendar)


@attrs.define
class _Builder:
    on: dt.date
    book: LimitBook
    holidays: Sequence[HolidayFile]
    names: Mapping[str, str]
    within: DivisionCode | None
    rows: list[OverdueRow] = attrs.Factory(list)
    unknown: dict[tuple[str, str], int] = attrs.Factory(dict)
    _calendars: dict[str, tuple[WorkCalendar, ...]] = attrs.Factory(dict)

    def calendars(self, unit: DivisionCode) -> tuple[WorkCalendar, ...]:
        province = unit.value[:2]
        found = self._calendars.get(province)
        if found is None:
            try:
                found = (calendar_for(province, holidays=self.holidays),)
            except (LookupError, ValueError):
                found = ()
            found = (*found, calendar_for(holidays=self.holidays))
            self._calendars[province] = found
        return found

    def keeps(self, unit: DivisionCode) -> bool:
        return self.within is None or self.within.contains(unit)

    def not_judged(self, unknown: _Unknown) -> None:
        place = (unknown.limit, unknown.reason)
        self.unknown[place] = self.unknown.get(place, 0) + 1

    def name(self, unit: DivisionCode) -> str:
        return self.names.get(unit.value, "")

    def add(
        self,
        kind: CaseworkKind,
        key: str,
        unit: DivisionCode,
        when: DueDate,
        person: str | None,
    ) -> None:
        limit = self.book.limit(when.key)
        self.rows.append(
            OverdueRow(
                kind=kind,
                key=key,
                unit=unit,
                unit_name=self.name(unit),
                limit=when.key,
                label_zh=limit.label_zh,
                label_en=limit.label_en,
                due=when.due,
                days_overdue=when.days_overdue(self.on),
                citation=_cited(when.citation),
                person=person,
            )
        )

    # --- per kind ----------------------------------------------------------------------------

    def petition(self, petition: Petition) -> None:
        if petition.received_on > self.on:
            return
        calendars = self.calendars(petition.unit)
        try:
            flags = _on_calendars(
                calendars, "petition", lambda c: petition.overdue(self.on, self.book, c)
            )
        except _Unknown as unknown:
            if self.keeps(petition.unit):
                self.not_judged(unknown)
            return
        for flag in flags:
            if self.keeps(flag.unit):
                self.add(
                    CaseworkKind.PETITIONS,
                    petition.petition_id,
                    flag.unit,
                    flag.due,
                    petition.petitioner.masked,
                )

    def transfer(self, transfer: InsuranceTransfer) -> None:
        unit = transfer.destination
        state = transfer.status_on(self.on)
        if unit is None or state is None or not self.keeps(unit):
            return
        key = f"{transfer.veteran.masked}/{transfer.scheme.value}"
        plain = attrs.evolve(transfer, application_on=None)
        jobs: list[tuple[InsuranceTransfer, DeadlineKind, str]] = [
            (plain, DeadlineKind.MEDICAL_ACCOUNT, "discharge.medical_account_opening")
        ]
        if transfer.application_on is not None and transfer.application_on <= self.on:
            jobs.append(
                (
                    transfer,
                    DeadlineKind.PENSION_TRANSFER_IN,
                    "discharge.pension_transfer_in_application",
                )
            )
        for record, wanted, limit_key in jobs:
            try:
                found = _on_calendars(
                    self.calendars(unit),
                    limit_key,
                    functools.partial(_transfer_deadlines, self.book, record),
                )
            except _Unknown as unknown:
                self.not_judged(unknown)
                continue
            for deadline in found:
                if deadline.kind is not wanted or deadline.due_date.start > self.on:
                    continue
                done = deadline.done_on if deadline.done_on is not None else None
                if deadline.due_date.status(on=self.on, done_on=done) is DeadlineStatus.OVERDUE:
                    self.add(
                        CaseworkKind.TRANSFERS,
                        key,
                        unit,
                        deadline.due_date,
                        transfer.veteran.masked,
                    )

    def legacy(self, case: LegacyCase) -> None:
        unit = case.responsible_unit
        if not self.keeps(unit) or not case.is_open(self.on):
            return
        person = ", ".join(s.masked for s in case.subjects) or None
        for milestone in case.overdue_milestones(self.on):
            self.rows.append(
                OverdueRow(
                    kind=CaseworkKind.LEGACY,
                    key=case.case_id,
                    unit=unit,
                    unit_name=self.name(unit),
                    limit=f"{_MILESTONE_KEY}.{milestone.key}",
                    label_zh=f"{_MILESTONE_ZH}：{milestone.title}",
                    label_en=_MILESTONE_EN,
                    due=milestone.target_on,
                    days_overdue=(self.on - milestone.target_on).days,
                    citation=_MILESTONE_BASIS,
                    person=person,
                )
            )
        try:
            review = _on_calendars(
                self.calendars(unit),
                legacy_module.REVIEW_INTERVAL.key,
                lambda c: case.review_due(self.book, on=self.on, calendar=c),
            )
        except _Unknown as unknown:
            self.not_judged(unknown)
            return
        if review is not None and review.status(on=self.on) is DeadlineStatus.OVERDUE:
            self.add(CaseworkKind.LEGACY, case.case_id, unit, review, person)

    def request(self, request: Request) -> None:
        unit = request.handler or request.contact.unit
        status = request.status_on(self.on)
        if not self.keeps(unit) or status is None:
            return
        person = None if request.contact.person is None else request.contact.person.masked
        calendars = self.calendars(unit)
        try:
            overdue = _on_calendars(
                calendars,
                requests_module.ANSWER_LIMIT.key,
                lambda c: request.overdue_limits(self.book, on=self.on, calendar=c),
            )
            for _, limit in overdue:
                self.add(CaseworkKind.REQUESTS, request.request_id, unit, limit, person)
        except _Unknown as unknown:
            self.not_judged(unknown)


def overdue_list(
    *,
    on: dt.date,
    book: LimitBook,
    petitions: Iterable[Petition] = (),
    transfers: Iterable[InsuranceTransfer] = (),
    legacy: Iterable[LegacyCase] = (),
    requests: Iterable[Request] = (),
    within: DivisionCode | None = None,
    holidays: Sequence[HolidayFile] = (),
    names: Mapping[str, str] | None = None,
) -> OverdueList:
    """The overdue list on ``on`` (督办清单): every limit past due and not met.

    A limit is overdue from the day after its due date (the due day itself is in time). Each
    record is judged on the calendar of its unit's province with the user's ``holidays``, or
    on the national calendar for years the province's data lack. A record whose limit has no
    value in ``book`` is not listed but counted in :attr:`OverdueList.not_judged` under that
    limit's key.

    Args:
        on: the day of the list.
        book: the limits (:func:`limit_book`).
        petitions, transfers, legacy, requests: the records.
        within: only units in this subtree.
        holidays: the user's holiday files.
        names: unit names by 12-digit code.
    """
    builder = _Builder(on=on, book=book, holidays=holidays, names=dict(names or {}), within=within)
    for petition in petitions:
        builder.petition(petition)
    for transfer in transfers:
        builder.transfer(transfer)
    for case in legacy:
        builder.legacy(case)
    for request in requests:
        builder.request(request)
    order = {kind: n for n, kind in enumerate(CaseworkKind)}
    rows = sorted(
        builder.rows,
        key=lambda r: (r.unit.value, r.due, order[r.kind], r.key, r.limit),
    )
    not_judged = tuple(
        NotJudged(limit=limit, items=items, reason=reason)
        for (limit, reason), items in sorted(builder.unknown.items())
    )
    return OverdueList(on=on, rows=tuple(rows), not_judged=not_judged)


# --- the command ------------------------------------------------------------------------------

_TEXT_LABEL = 24  # columns of 逾期事项 in the text table


def _cut(text: str, columns: int) -> str:
    if width(text) <= columns:
        return text
    out = ""
    for char in text:
        if width(out + char) > columns - 1:
            break
        out += char
    return out + "…"


def overdue_text(found: OverdueList, *, within: DivisionCode | None) -> str:
    """The list as text for a 120-column terminal: a block per unit, the bases as notes."""
    where = "" if within is None else f" under {within.short}"
    title = f"Overdue casework{where} on {found.on.isoformat()} (督办清单): {count(len(found.rows))} item(s)"
    lines = [title]
    bases: dict[str, int] = {}
    unit: str | None = None
    block: list[list[str]] = []
    header = ["类别", "编号 key", "逾期事项", "到期日 due", "逾期天数", "依据", "身份号码 (masked)"]

    def flush() -> None:
        if block:
            lines.append(table(header, block, right=frozenset({4})))

    for row in found.rows:
        if row.unit.value != unit:
            flush()
            block = []
            unit = row.unit.value
            lines.append("")
            lines.append(f"{row.unit.short} {row.unit_name}".rstrip())
        n = bases.setdefault(row.citation, len(bases) + 1)
        block.append(
            [
                row.kind.label_zh,
                row.key,
                _cut(row.label_zh, _TEXT_LABEL),
                row.due.isoformat(),
                str(row.days_overdue),
                f"[{n}]",
                row.person or "",
            ]
        )
    flush()
    if bases:
        lines.append("")
        lines.extend(f"[{n}] {basis}" for basis, n in bases.items())
    notes = found.notes()
    if notes:
        lines.append("")
        lines.extend(f"* {note}" for note in notes)
    return "\n".join(lines) + "\n"


def _unit_names(codes: Iterable[DivisionCode], stations: Iterable[Any]) -> dict[str, str]:
    from veteran_affairs import divisions
    from veteran_affairs.errors import UnknownDivision

    names: dict[str, str] = {}
    for station in stations:
        code: DivisionCode = station.division
        if station.name and code.value not in names:
            names[code.value] = station.name.split("退役军人服务", 1)[0] or station.name
    for code in codes:
        if code.value in names:
            continue
        try:
            names[code.value] = divisions.name_of(code)
        except UnknownDivision:
            continue
    return names


def run_overdue(
    store: Any,
    *,
    on: dt.date,
    kinds: Sequence[CaseworkKind],
    book: LimitBook,
    within: DivisionCode | None = None,
    holidays: Sequence[HolidayFile] = (),
    out_path: Path | None = None,
    as_json: bool = False,
    out: IO[str],
    err: IO[str],
    progress: Progress,
) -> int:
    """Read the store's casework records, build the list, write it. Returns the exit status."""
    from veteran_affairs.cli._common import STDOUT, write_json

    chosen = set(kinds) or set(CaseworkKind)
    with store.unit_of_work(actor="veteran-affairs overdue") as work:
        stations = tuple(work.stations.find())

        def read(kind: CaseworkKind, cls: type) -> tuple[Any, ...]:
            if kind not in chosen:
                return ()
            return tuple(progress.count(f"reading {kind.value}", work.records(cls).find()))

        petitions = read(CaseworkKind.PETITIONS, Petition)
        transfers = read(CaseworkKind.TRANSFERS, InsuranceTransfer)
        legacy = read(CaseworkKind.LEGACY, LegacyCase)
        requests = read(CaseworkKind.REQUESTS, Request)
    progress.step("judging the limits")
    codes: list[DivisionCode] = [p.received_by for p in petitions]
    codes.extend(s.unit for p in petitions for s in p.history if s.unit is not None)
    codes.extend(t.destination for t in transfers if t.destination is not None)
    codes.extend(c.responsible_unit for c in legacy)
    codes.extend(r.handler or r.contact.unit for r in requests)
    found = overdue_list(
        on=on,
        book=book,
        petitions=petitions,
        transfers=transfers,
        legacy=legacy,
        requests=requests,
        within=within,
        holidays=holidays,
        names=_unit_names(codes, stations),
    )
    progress.done()
    if as_json:
        write_json(out, found.to_json())
    elif out_path is None:
        out.write(overdue_text(found, within=within))
    else:
        from veteran_affairs.cli._commands import write_rows

        write_rows(out_path, OVERDUE_HEADER, [row.cells() for row in found.rows], stdout=out)
        said = err if str(out_path) == STDOUT else out
        said.write(f"{count(len(found.rows))} overdue item(s) written to {out_path}\n")
        for note in found.notes():
            said.write(f"* {note}\n")
    return ExitCode.OK
