"""The ``evaluate``, ``report`` and ``calendar`` commands (their work, not their arguments)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from veteran_affairs.cli._common import CommandError, Progress, table
from veteran_affairs.cli._decisions import outcomes
from veteran_affairs.cli._reports import build_reports, load_dataset, require_rows
from veteran_affairs.cycles import (
    GUANGXI_PRESET,
    CalendarDataMissing,
    HolidayFile,
    calendar_for,
    schedule,
)
from veteran_affairs.errors import UnknownDivision
from veteran_affairs.hierarchy import Report
from veteran_affairs.identity import DivisionCode, DivisionLevel, mask_name
from veteran_affairs.models import PlaqueHousehold
from veteran_affairs.repositories import SqliteStore
from veteran_affairs.rules import Decision, RuleBook

LEVELS = {level.name.lower(): level for level in DivisionLevel}
OUTCOME_ZH = {True: "符合", False: "不符合", None: "待核实"}


def _subject_id(subject: object, *, personal: bool) -> tuple[str, str]:
    """``(identity, name)`` of a subject, masked unless ``personal``."""
    if isinstance(subject, PlaqueHousehold):
        head = subject.household.head
        return (head.unmasked if personal else str(head)), subject.household.household_id
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
) -> list[list[str]]:
    """One row per subject and rule: the outcome, amounts, the deciding reason and its basis,
    and the parameters used past their confirmed date (only with an ``allow_stale`` book)."""
    for name in rules:
        book.rule(name)  # an unknown name fails before any work
    with store.unit_of_work(actor="veteran-affairs evaluate") as work:
        people = list(progress.count("reading persons", work.persons.find()))
        households = list(progress.count("reading households", work.households.find()))
    subjects = [*people, *households]
    rows = []
    for outcome in outcomes(
        book, progress.count("deciding", subjects, len(subjects)), rules, on=on
    ):
        identity, name = _subject_id(outcome.subject, personal=personal)
        decision = outcome.decision
        if decision is None:
            rows.append(
                [
                    identity,
                    name,
                    outcome.rule,
                    "无参数 no parameter",
                    "",
                    "",
                    "",
                    outcome.problem,
                    "",
                ]
            )
            continue
        deciding = next(
            (r for r in decision.reasons if r.held is not True),
            decision.reasons[-1] if decision.reasons else None,
        )
        rows.append(
            [
                identity,
                name,
                outcome.rule,
                f"{OUTCOME_ZH[decision.eligible]} {decision.outcome}",
                "" if decision.amount is None else str(decision.amount),
                "" if decision.monthly is None else str(decision.monthly),
                "" if deciding is None or deciding.citation is None else str(deciding.citation),
                "" if deciding is None else f"{deciding.message_zh} ({deciding.message_en})",
                stale_keys(decision),
            ]
        )
    progress.done()
    return rows


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


def run_report(
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
    fmt: str,
    out: IO[str],
    progress: Progress,
) -> None:
    """Build the reports from the store and write the one asked for."""
    data = load_dataset(store, province=province, progress=progress)
    require_rows(data)
    reports = build_reports(
        data,
        book=book,
        on=on,
        year=year,
        province=province,
        holidays=holidays,
        progress=progress,
    )
    if level is None and within is None:
        level = DivisionLevel.CITY
    report = chosen_rows(reports.by_kind()[kind], level=level, within=within)
    out.write(render(report, fmt))
    if fmt == "text":
        for note in reports.notes:
            out.write(f"* {note}\n")


CALENDAR_HEADER = ("routine", "例行工作", "period", "opens", "due", "closes", "workdays left")


def calendar_rows(
    unit: DivisionCode,
    span: tuple[dt.date, dt.date],
    *,
    routines: Sequence[str],
    national: bool,
    holidays: Sequence[HolidayFile],
    today: dt.date,
) -> list[list[str]]:
    """Every occasion of the chosen routines for ``unit`` in ``span``, by due date.

    The unit's calendar (its province's own days, and those of any holiday file for a
    division containing it) is used unless ``national``; the user's national years apply
    either way.
    """
    unknown = sorted(set(routines) - set(GUANGXI_PRESET))
    if unknown:
        raise CommandError(
            f"unknown routine(s) {', '.join(unknown)} (未知的例行工作); "
            f"known: {', '.join(GUANGXI_PRESET)}"
        )
    chosen = (
        [GUANGXI_PRESET[name] for name in routines] if routines else list(GUANGXI_PRESET.values())
    )
    calendar = calendar_for("" if national else unit, holidays=holidays)
    rows = []
    try:
        for cycle in chosen:
            for occasion in schedule(cycle, unit, span, calendar):
                left = (
                    str(calendar.workdays_between(today, occasion.due))
                    if today <= occasion.due
                    else "past"
                )
                rows.append(
                    [
                        cycle.name,
                        cycle.label_zh,
                        str(occasion.period),
                        occasion.opens.isoformat(),
                        occasion.due.isoformat(),
                        occasion.closes.isoformat(),
                        left,
                    ]
                )
    except CalendarDataMissing as error:
        raise CommandError(missing_calendar_message(error)) from None
    rows.sort(key=lambda row: (row[4], row[0]))
    return rows


def missing_calendar_message(error: CalendarDataMissing) -> str:
    """What to do when a year's holiday data is missing: the ways out, by calendar."""
    ways = f"give the published notice for {error.year} in a holiday file with --holidays FILE"
    if error.calendar != "national":
        ways += (
            ", or use --national-calendar to leave out the province's own days "
            "(the national calendar alone)"
        )
    return f"{error}: {ways} (see docs/periods-and-calendars.md)"


def calendar_text(unit: DivisionCode, span: tuple[dt.date, dt.date], rows: list[list[str]]) -> str:
    title = f"Routines of {unit.short} from {span[0].isoformat()} to {span[1].isoformat()} (例行工作排期)"
    return title + "\n" + table(CALENDAR_HEADER, rows, right=frozenset({6})) + "\n"


def write_rows(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    """Rows into ``path``: CSV or XLSX by its suffix (through the roster writer)."""
    from veteran_affairs.rosters import write_table

    write_table(path, list(header), rows)
