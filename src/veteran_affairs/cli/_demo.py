"""``veteran-affairs demo``: the library's main job on a synthetic Guangxi, end to end.

Generate the Guangxi-shaped dataset, write it into the embedded SQLite store, read it back,
decide every rule for every person and household, and print the five-level report with one
person's decisions explained. Everything shown is synthetic (合成数据).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from veteran_affairs.cli._common import CommandError, Progress, count, open_store, table
from veteran_affairs.cli._decisions import Tally, outcomes, tally
from veteran_affairs.cli._reports import (
    Dataset,
    Reports,
    build_reports,
    level_summary_text,
    load_dataset,
)
from veteran_affairs.cycles import HolidayFile
from veteran_affairs.identity import DivisionLevel
from veteran_affairs.models import Veteran
from veteran_affairs.repositories.sqlite import _DEFER_AT
from veteran_affairs.rules import RuleBook
from veteran_affairs.synthetic import LABEL, generate_guangxi

DEFAULT_STORE = Path("veteran-affairs-demo.sqlite")
DEFAULT_SIZE = 10_000
DEFAULT_SEED = 2021
DEFAULT_ON = dt.date(2021, 1, 6)  # the seed article's date (DOMAIN.md §1)
DRILL_INTO = "450312"  # 临桂区, the seed article's example county


def _money(value: object) -> str:
    return f"{value:,.2f}"


def rules_table(
    tallies: list[Tally], *, on: dt.date, jurisdiction: str, stale: bool = False
) -> str:
    """How every rule decided, one row per rule, with the first reason a rule could not.

    With ``stale`` (a book that allows stale figures) a column counts the decisions made with
    a figure past its confirmed date.
    """
    rows = [
        [
            t.rule,
            count(t.decided),
            count(t.eligible),
            count(t.not_eligible),
            count(t.undetermined),
            count(t.no_parameter),
            *([count(t.stale)] if stale else []),
            _money(t.amount),
        ]
        for t in tallies
    ]
    header = [
        "rule",
        "decided",
        "eligible",
        "not",
        "undetermined",
        "no parameter",
        *(["stale"] if stale else []),
        "annual yuan",
    ]
    lines = [
        f"Rules as of {on.isoformat()} ({jurisdiction} rule book; 判定汇总, 年标准合计)",
        table(header, rows, right=frozenset(range(1, len(header)))),
    ]
    for t in tallies:
        if t.first_problem:
            lines.append(f"  * {t.rule}: {t.first_problem}")
        elif not t.decided:
            lines.append(f"  * {t.rule}: nothing in the store that this rule decides on")
    lines.append(
        "  'undetermined' = an input the records lack (待核实); 'no parameter' = a figure no "
        "bundled source confirms: supply it with --parameters FILE."
    )
    if stale:
        lines.append(
            "  'stale' = decided with a figure past the date its source confirms it for "
            "(--allow-stale; 过期数据): the amounts are estimates from the last known standard."
        )
    return "\n".join(lines)


def explained_person(data: Dataset, book: RuleBook, *, on: dt.date) -> str:
    """One veteran's decisions: the first disabled veteran (or the first veteran) explained."""
    veterans = [p for p in data.people if isinstance(p, Veteran)]
    if not veterans:
        return "No veteran in the store to explain (存储中没有退役军人)."
    chosen = next((v for v in veterans if v.disability is not None), veterans[0])
    lines = [f"One person's decisions (个人判定说明): {chosen.person!r}"]
    details = None
    for outcome in outcomes(book, [chosen], book.rule_names, on=on):
        decision = outcome.decision
        if decision is None:
            lines.append(f"  {outcome.rule}: no decision — {outcome.problem}")
            continue
        amount = "" if decision.amount is None else f", {_money(decision.amount)} yuan a year"
        lines.append(f"  {outcome.rule}: {decision.outcome}{amount}")
        if details is None and decision.eligible:
            details = decision
    if details is not None:
        lines.append("")
        lines.append(details.explain())
    return "\n".join(lines)


def report_text(reports: Reports, *, drill_into: str = DRILL_INTO) -> str:
    """The five-level report: per level, per city, and one county's townships."""
    summary = reports.summary
    parts = [
        level_summary_text(summary),
        summary.at_level(DivisionLevel.CITY).to_text(labels="zh"),
    ]
    if any(row.code.short == drill_into for row in summary.at_level(DivisionLevel.COUNTY)):
        parts.append(summary.drill_down(drill_into).to_text(labels="zh"))
    parts.extend(f"* {note}" for note in reports.notes)
    return "\n\n".join(parts)


def run_demo(
    *,
    store_path: Path,
    size: int,
    seed: int,
    on: dt.date,
    replace: bool,
    book: RuleBook,
    holidays: Sequence[HolidayFile] = (),
    out: IO[str],
    progress: Progress,
) -> None:
    """Build, store, read back, decide and report; write the report to ``out``.

    ``book`` decides the rules (the Guangxi book, with any parameter files of the user);
    ``holidays`` are the user's holiday files for checking the routines.
    """
    if store_path.exists():
        if not replace:
            raise CommandError(
                f"{str(store_path)!r} exists (文件已存在): pass --replace to rebuild it, "
                "or --store for another path"
            )
        for suffix in ("", "-wal", "-shm", "-import"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    progress.step(f"generating a synthetic Guangxi with {size:,} persons")
    region = generate_guangxi(persons=size, seed=seed, on=on)
    store = open_store(store_path, create=True)
    groups = (
        ("persons", region.people),
        ("households", region.households),
        ("stations", region.stations),
        ("cases", region.cases),
        ("activities", region.activities),
    )
    for label, records in groups:
        store.bulk_add(
            progress.count(f"storing {label}", records, len(records)),
            actor="veteran-affairs demo",
            batch_size=50_000,
            # A new file: the store's size threshold, without its audit-log condition (the
            # later groups are smaller than the audit log yet still worth a sort at the end).
            defer_indexes=len(records) >= _DEFER_AT,
        )
    stored = time.perf_counter()
    data = load_dataset(store, province="45", progress=progress)
    subjects = [*data.people, *data.households]
    tallies = tally(
        outcomes(book, progress.count("deciding", subjects, len(subjects)), book.rule_names, on=on),
        book.rule_names,
    )
    reports = build_reports(
        data,
        book=book,
        on=on,
        year=region.activity_year,
        province="45",
        holidays=holidays,
        progress=progress,
    )
    progress.done()
    finished = time.perf_counter()
    written = ", ".join(f"{label} {len(records):,}" for label, records in groups)
    sections = [
        f"veteran_affairs demo — {LABEL}",
        (
            f"Store {str(store_path)!r} (SQLite): {written}; "
            f"seed {seed}, as of {on.isoformat()}, assistance and routines in "
            f"{region.activity_year}."
        ),
        rules_table(tallies, on=on, jurisdiction=book.jurisdiction, stale=book.allow_stale),
        report_text(reports),
        explained_person(data, book, on=on),
        (
            f"Done in {finished - started:.1f} s (generate and store "
            f"{stored - started:.1f} s). Next: `veteran-affairs report --store "
            f"{store_path} --on {on.isoformat()} --year {region.activity_year}` for any "
            "report and level, `--help` for every command."
        ),
    ]
    out.write("\n\n".join(sections) + "\n")
