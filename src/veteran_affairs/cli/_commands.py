"""The ``evaluate``, ``report`` and ``calendar`` commands (their work, not their arguments).

Their rows are typed — amounts :class:`~decimal.Decimal`, dates :class:`datetime.date`,
counts ``int``, identity numbers and codes text — so that
:func:`~veteran_affairs.rosters.write_table` writes numbers and dates as such in ``.xlsx``
and text stays text. ``--json`` output is built here too: counts are JSON numbers, amounts
exact decimal text (``"8080.83"``), rates JSON numbers (fractions) or ``null``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeAlias

from veteran_affairs.cli._common import STDOUT, CommandError, Progress, table
from veteran_affairs.cli._decision_output import Outcome, Tally, outcomes, stored_subjects, tally
from veteran_affairs.cli._report_command import (
    CASEWORK_KINDS,
    build_casework_reports,
    build_reports,
    load_casework,
    load_dataset,
    require_rows,
)
from veteran_affairs.cycles import (
    GUANGXI_PRESET,
    CalendarDataMissing,
    HolidayFile,
    calendar_for,
    schedule,
)
from veteran_affairs.errors import UnknownDivision
from veteran_affairs.hierarchy import Report
from veteran_affairs.hierarchy.report import FigureKind
from veteran_affairs.identity import DivisionCode, DivisionLevel, mask_name
from veteran_affairs.models import PlaqueHousehold
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rules import Decision, RuleBook
from veteran_affairs.rules.hardship_assistance import HardshipApplication, UndecidableCase

if TYPE_CHECKING:
    from veteran_affairs.jurisdictions import Jurisdiction

LEVELS = {level.name.lower(): level for level in DivisionLevel}
OUTCOME_ZH = {True: "符合", False: "不符合", None: "待核实"}

TableCell: TypeAlias = str | int | Decimal | dt.date | None
"""A cell of a command's output table (written typed by ``write_table``)."""


def _subject_id(subject: object, *, personal: bool) -> tuple[str, str]:
    """``(identity, name)`` of a subject, masked unless ``personal``.

    A household is named by its household id, an assistance case (an application, or a case
    that cannot be decided) by its case id, beside its applicant's identity number.
    """
    if isinstance(subject, PlaqueHousehold):
        head = subject.household.head
        return (head.unmasked if personal else str(head)), subject.household.household_id
    if isinstance(subject, HardshipApplication | UndecidableCase):
        applicant = subject.case.applicant
        return (applicant.unmasked if personal else str(applicant)), subject.case.case_id
    person = getattr(subject, "person", None)
    if person is None:
        return "", ""
    rid = person.resident_id
    return (rid.unmasked, person.name) if personal else (str(rid), mask_name(person.name))


EVALUATION_HEADER = (
    "公民身份号码",
    "姓名/户",
    "规则 rule",
    "判定 outcome",
    "年标准 annual",
    "月发放 monthly",
    "依据 basis",
    "说明 reason",
    "过期数据 stale",
)


def stale_keys(decision: Decision) -> str:
    """The parameters a decision used past their confirmed date, each key once (过期数据)."""
    return "; ".join(dict.fromkeys(use.key for use in decision.stale_parameters))


def evaluation_rows(
    store: SqliteStore,
    *,
    book: RuleBook,
    rules: Sequence[str],
    on: dt.date,
    personal: bool,
    progress: Progress,
) -> tuple[list[list[TableCell]], list[Tally]]:
    """One row per subject and rule, and how each rule decided (for ``--json``).

    The subjects are the store's persons, households and assistance cases
    (:func:`~veteran_affairs.cli._decision_output.stored_subjects`); a case that cannot be decided
    (its applicant not in the store) still has its row, saying why. A row holds the outcome,
    the annual and monthly amounts (``Decimal``, ``None`` when the decision has none), the
    deciding reason and its basis, and the parameters used past their confirmed date (only
    with an ``allow_stale`` book).
    """
    for name in rules:
        book.rule(name)  # an unknown name fails before any work
    with store.unit_of_work(actor="veteran-affairs evaluate") as work:
        people = list(progress.count("reading persons", work.persons.find()))
        households = list(progress.count("reading households", work.households.find()))
        cases = list(progress.count("reading cases", work.cases.find()))
    subjects = stored_subjects(people, households, cases)
    rows: list[list[TableCell]] = []

    def written(found: Iterable[Outcome]) -> Iterator[Outcome]:
        for outcome in found:
            rows.append(_evaluation_row(outcome, personal=personal))
            yield outcome

    decided = outcomes(book, progress.count("deciding", subjects, len(subjects)), rules, on=on)
    tallies = tally(written(decided), rules)
    progress.done()
    return rows, tallies


def _evaluation_row(outcome: Outcome, *, personal: bool) -> list[TableCell]:
    identity, name = _subject_id(outcome.subject, personal=personal)
    decision = outcome.decision
    if decision is None:
        return [
            identity,
            name,
            outcome.rule,
            "无参数 no parameter" if outcome.decidable else "无法判定 not decidable",
            None,
            None,
            "",
            outcome.problem,
            "",
        ]
    deciding = next(
        (r for r in decision.reasons if r.held is not True),
        decision.reasons[-1] if decision.reasons else None,
    )
    return [
        identity,
        name,
        outcome.rule,
        f"{OUTCOME_ZH[decision.eligible]} {decision.outcome}",
        decision.amount,
        decision.monthly,
        "" if deciding is None or deciding.citation is None else str(deciding.citation),
        "" if deciding is None else f"{deciding.message_zh} ({deciding.message_en})",
        stale_keys(decision),
    ]


def evaluation_summary(
    tallies: Sequence[Tally], *, on: dt.date, out: str, rows: int, personal: bool
) -> dict[str, object]:
    """What ``evaluate --json`` prints: counts per rule and outcome, stale decisions, the file.

    ``decided`` adds up eligible, not eligible, undetermined and no parameter;
    ``not_decidable`` counts the stored records the rule could not be asked about (a case
    whose applicant is not in the store), each a row too. Counts are numbers;
    ``annual_total`` (the annual amounts of the eligible, added up) is exact decimal text.
    """
    return {
        "command": "evaluate",
        "on": on.isoformat(),
        "out": out,
        "rows": rows,
        "personal_data": personal,
        "stale": sum(t.stale for t in tallies),
        "rules": {
            t.rule: {
                "decided": t.decided,
                "eligible": t.eligible,
                "not_eligible": t.not_eligible,
                "undetermined": t.undetermined,
                "no_parameter": t.no_parameter,
                "not_decidable": t.not_decidable,
                "stale": t.stale,
                "annual_total": format(t.amount, "f"),
            }
            for t in tallies
        },
    }


def render(report: Report, fmt: str) -> str:
    """``report`` as text, CSV or an HTML fragment."""
    if fmt == "csv":
        buffer = io.StringIO()
        report.to_csv(buffer, chinese_headers=False)
        return buffer.getvalue()
    if fmt == "html":
        return report._repr_html_() + "\n"
    return report.to_text(labels="zh") + "\n"


def chosen_rows(
    report: Report, *, level: DivisionLevel | None, within: DivisionCode | None
) -> Report:
    """The rows asked for: a subtree or one unit's children, and/or one level."""
    if within is not None:
        try:
            report = report.subtree(within) if level is not None else report.drill_down(within)
        except UnknownDivision:
            raise CommandError(
                f"--within {within.short}: not a unit of the report (不在报表范围内)"
            ) from None
    if level is not None:
        report = report.at_level(level)
    return report


def chosen_report(
    store: SqliteStore,
    *,
    kind: str,
    level: DivisionLevel | None,
    within: DivisionCode | None,
    on: dt.date,
    year: int,
    province: str,
    book: RuleBook,
    holidays: Sequence[HolidayFile],
    progress: Progress,
    talks_per_quarter: int | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> tuple[Report, tuple[str, ...]]:
    """Build the reports from the store: the one asked for, and the notes on them all.

    A casework kind (:data:`~veteran_affairs.cli._report_command.CASEWORK_KINDS`) reads the store's
    stations and casework records only and builds that report alone. The ``jurisdiction``
    (of ``province``) gives the tree, the calendar and the routines; without one, the
    bundled units of ``province``, its bundled calendar and Guangxi's routines.
    """
    if level is None and within is None:
        level = DivisionLevel.CITY
    if kind in CASEWORK_KINDS:
        data = load_casework(store, province=province, progress=progress, jurisdiction=jurisdiction)
        require_rows(data)
        progress.step(f"{kind} report")
        built = build_casework_reports(
            data,
            on=on,
            year=year,
            province=province,
            holidays=holidays,
            talks_per_quarter=talks_per_quarter,
            kinds=(kind,),
            jurisdiction=jurisdiction,
        )
        progress.done()
        notes: list[str] = []
        if data.outside:
            notes.append(
                f"{data.outside} village unit(s) lie under no bundled township of {province}: "
                "their records are counted nowhere (不在行政区划树内)"
            )
        return chosen_rows(built[kind], level=level, within=within), tuple(notes)
    data = load_dataset(store, province=province, progress=progress, jurisdiction=jurisdiction)
    require_rows(data)
    reports = build_reports(
        data,
        book=book,
        on=on,
        year=year,
        province=province,
        holidays=holidays,
        progress=progress,
        jurisdiction=jurisdiction,
    )
    report = chosen_rows(reports.by_kind()[kind], level=level, within=within)
    return report, tuple(reports.notes)


def report_output(report: Report, notes: Sequence[str], fmt: str) -> str:
    """What ``report`` writes: the report as text (with the notes), CSV or HTML."""
    text = render(report, fmt)
    if fmt == "text":
        text += "".join(f"* {note}\n" for note in notes)
    return text


def _figure(kind: FigureKind, value: object) -> object:
    """A figure for JSON: rates as numbers, amounts and areas as exact decimal text."""
    if kind is FigureKind.RATE and isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, Decimal) or (
        kind in (FigureKind.MONEY, FigureKind.AREA) and isinstance(value, int)
    ):
        return format(Decimal(value), "f")
    return value


def report_json(report: Report, notes: Sequence[str], *, kind: str) -> dict[str, object]:
    """What ``report --json`` prints: the rows of the CSV form, with typed values.

    ``code`` is the 12-digit division code (text), ``level`` 1–5 and ``depth`` numbers;
    counts are JSON numbers, amounts (元) and areas (m²) exact decimal text (``"1800.50"``),
    rates numbers between 0 and 1, and a figure with no value (a rate of nothing) ``null``.
    """
    kinds = {column.key: column.kind for column in report.columns}
    rows = [
        {key: _figure(kinds[key], value) if key in kinds else value for key, value in row.items()}
        for row in report.to_rows()
    ]
    return {
        "command": "report",
        "kind": kind,
        "report": report.kind,
        "title": report.title,
        "title_zh": report.title_zh,
        "as_of": report.as_of,
        "columns": [
            {"key": c.key, "label": c.label, "label_zh": c.label_zh, "kind": c.kind.value}
            for c in report.columns
        ],
        "rows": rows,
        "notes": list(dict.fromkeys([*report.notes, *notes])),
        "unplaced": report.unplaced,
    }


def report_table(report: Report) -> tuple[list[str], list[list[TableCell | float]]]:
    """``report`` as a typed table for ``.xlsx``: the CSV form's rows with Chinese headers.

    Code and name are text, level and depth whole numbers, counts whole numbers, amounts and
    areas ``Decimal`` (number cells showing two decimals), rates fractions (numbers from 0 to
    1, the header says so); a figure with no value is a blank cell.
    """
    header = ["代码 code", "名称 name", "层级 level", "深度 depth"]
    for column in report.columns:
        rate = " (0–1)" if column.kind is FigureKind.RATE else ""
        header.append(f"{column.label_zh} {column.key}{rate}")
    rows: list[list[TableCell | float]] = []
    for row in report.rows_with_totals:
        cells: list[TableCell | float] = [row.code.value, row.name, int(row.level), row.depth]
        for column, value in zip(report.columns, row.values, strict=True):
            if value is None:
                cells.append(None)
            elif column.kind is FigureKind.RATE:
                cells.append(float(value))
            elif column.kind is FigureKind.COUNT:
                cells.append(int(value))
            else:
                cells.append(Decimal(value))
        rows.append(cells)
    return header, rows


CALENDAR_HEADER = ("routine", "例行工作", "period", "opens", "due", "closes", "workdays left")


def calendar_rows(
    unit: DivisionCode,
    span: tuple[dt.date, dt.date],
    *,
    routines: Sequence[str],
    national: bool,
    holidays: Sequence[HolidayFile],
    today: dt.date,
    jurisdiction: Jurisdiction | None = None,
) -> list[list[TableCell]]:
    """Every occasion of the chosen routines for ``unit`` in ``span``, by due date.

    Dates are :class:`datetime.date` values; ``workdays left`` is a number, or ``"past"``
    once the due date has gone by. The unit's calendar (its province's own days, and those
    of any holiday file for a division containing it) is used unless ``national``; the
    user's national years apply either way. The routines are the ``jurisdiction``'s preset
    (Guangxi's without one); a unit inside the jurisdiction's division gets its calendar.
    """
    preset = GUANGXI_PRESET if jurisdiction is None else jurisdiction.routine_preset()
    unknown = sorted(set(routines) - set(preset))
    if unknown:
        raise CommandError(
            f"unknown routine(s) {', '.join(unknown)} (未知的例行工作); "
            f"known: {', '.join(preset) or 'none (the jurisdiction has no routines)'}"
        )
    chosen = [preset[name] for name in routines] if routines else list(preset.values())
    inside = (
        jurisdiction is not None
        and jurisdiction.division is not None
        and jurisdiction.division.contains(unit)
    )
    if national:
        calendar = calendar_for("", holidays=holidays)
    elif inside and jurisdiction is not None:
        calendar = jurisdiction.calendar(unit, holidays=holidays)
    else:
        calendar = calendar_for(unit, holidays=holidays)
    found: list[tuple[dt.date, str, list[TableCell]]] = []
    try:
        for cycle in chosen:
            for occasion in schedule(cycle, unit, span, calendar):
                left: TableCell = (
                    calendar.workdays_between(today, occasion.due)
                    if today <= occasion.due
                    else "past"
                )
                row: list[TableCell] = [
                    cycle.name,
                    cycle.label_zh,
                    str(occasion.period),
                    occasion.opens,
                    occasion.due,
                    occasion.closes,
                    left,
                ]
                found.append((occasion.due, cycle.name, row))
    except CalendarDataMissing as error:
        raise CommandError(missing_calendar_message(error)) from None
    found.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in found]


def missing_calendar_message(error: CalendarDataMissing) -> str:
    """What to do when a year's holiday data is missing: the ways out, by calendar."""
    ways = f"give the published notice for {error.year} in a holiday file with --holidays FILE"
    if error.calendar != "national":
        ways += (
            ", or use --national-calendar to leave out the province's own days "
            "(the national calendar alone)"
        )
    return f"{error}: {ways} (see docs/periods-and-calendars.md)"


def _shown(cell: TableCell) -> str:
    """A table cell as the terminal shows it."""
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def calendar_text(
    unit: DivisionCode, span: tuple[dt.date, dt.date], rows: Sequence[Sequence[TableCell]]
) -> str:
    title = f"Routines of {unit.short} from {span[0].isoformat()} to {span[1].isoformat()} (例行工作排期)"
    shown = [[_shown(cell) for cell in row] for row in rows]
    return title + "\n" + table(CALENDAR_HEADER, shown, right=frozenset({6})) + "\n"


def check_table_path(path: Path, option: str = "--out") -> None:
    """Refuse, before any work, a file ``write_table`` cannot write (``-`` is standard output)."""
    if str(path) != STDOUT and path.suffix.lower() not in (".csv", ".xlsx"):
        raise CommandError(f"{option} {str(path)!r}: write a .csv or .xlsx file (仅支持 csv/xlsx)")


def write_rows(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[TableCell]], *, stdout: IO[str]
) -> None:
    """Rows into ``path``: CSV or XLSX by its suffix (through the roster writer); ``-`` is
    ``stdout``, as CSV without a byte-order mark."""
    from veteran_affairs.rosters import write_csv, write_table

    if str(path) == STDOUT:
        write_csv(stdout, list(header), rows)
    else:
        write_table(path, list(header), rows)


def write_text(path: Path, text: str, *, bom: bool) -> None:
    """``text`` into the file ``path`` in UTF-8, with a byte-order mark if ``bom`` (for CSV)."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        file.write(text)
