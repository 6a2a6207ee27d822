"""``veteran-affairs demo``: the library's main job on a synthetic Guangxi, end to end.

Generate the Guangxi-shaped dataset, write it into the embedded SQLite store, read it back,
decide every rule for every person, household and assistance case, and print the five-level
report — the province's line for its whole network first (全区合计), as the seed article
gives it — then the casework (业务工作) read back from the store: petitions overdue and
answered on time, insurance transfers pending, 包联 talks and 兵支书 shares per city; one
person's decisions explained, and the command that reports from the store next.
Everything shown is synthetic (合成数据), and every line fits a terminal of
:data:`COLUMNS` columns (Chinese characters are two wide).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from veteran_affairs.cli._common import CommandError, Progress, count, open_store, table, width
from veteran_affairs.cli._decision_output import Tally, outcomes, stored_subjects, tally
from veteran_affairs.cli._report_command import (
    CASEWORK_PARTS,
    SUMMARY_PARTS,
    Dataset,
    Reports,
    build_casework_reports,
    build_reports,
    casework_summary,
    level_summary_text,
    load_dataset,
    summary_parts_text,
)
from veteran_affairs.cycles import HolidayFile
from veteran_affairs.hierarchy import Report
from veteran_affairs.identity import DivisionLevel
from veteran_affairs.models import StationKind, Veteran
from veteran_affairs.repositories.sqlite import _DEFER_AT
from veteran_affairs.rules import RuleBook
from veteran_affairs.synthetic import LABEL, generate_guangxi

DEFAULT_STORE = Path("veteran-affairs-demo.sqlite")
DEFAULT_SIZE = 10_000
DEFAULT_SEED = 2021
DEFAULT_ON = dt.date(2021, 1, 6)  # the seed article's date (DOMAIN.md §1)
DRILL_INTO = "450312"  # 临桂区, the seed article's example county
COLUMNS = 120
"""The terminal width every line of the demo's output fits in (a wide table is split)."""
COMMAND = "veteran-affairs"  # the console script ``pip install`` puts beside the interpreter


def _money(value: object) -> str:
    return f"{value:,.2f}"


def fit(text: str, columns: int = COLUMNS) -> str:
    """``text`` with each line wider than ``columns`` broken at spaces (CJK two columns wide).

    A continued line is indented four more than the line it continues. A run without
    spaces wider than the room left is broken between its characters if it holds Chinese
    text, and kept whole if not (a path or a command stays one piece, copyable).

    >>> print(fit("* a note that is rather long (说明较长)", columns=20))
    * a note that is
        rather long
        (说明较长)
    """
    return "\n".join(piece for line in text.split("\n") for piece in _fit_line(line, columns))


def _fit_line(line: str, columns: int) -> Iterator[str]:
    if width(line) <= columns:
        yield line
        return
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    hang = indent + "    "
    current = indent
    for word in body.split(" "):
        start = current in (indent, hang)
        joined = current + word if start else f"{current} {word}"
        if width(joined) <= columns:
            current = joined
            continue
        if not start:
            yield current
            current = hang
        while width(current + word) > columns and width(word) != len(word):
            room = columns - width(current)
            cut = 0
            while cut < len(word) and width(word[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                break
            yield current + word[:cut]
            current, word = hang, word[cut:]
        current += word
    yield current


def rules_table(
    tallies: list[Tally], *, on: dt.date, jurisdiction: str, stale: bool = False
) -> str:
    """How every rule decided, one row per rule, with the first reason a rule could not.

    With ``stale`` (a book that allows stale figures) a column counts the decisions made with
    a figure past its confirmed date. When a stored record could not be asked about at all
    (an assistance case whose applicant is not in the store), a column counts those, and a
    note gives how many for each reason.
    """
    undecidable = any(t.not_decidable for t in tallies)
    rows = [
        [
            t.rule,
            count(t.decided),
            count(t.eligible),
            count(t.not_eligible),
            count(t.undetermined),
            count(t.no_parameter),
            *([count(t.not_decidable)] if undecidable else []),
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
        *(["not decidable"] if undecidable else []),
        *(["stale"] if stale else []),
        "annual yuan",
    ]
    lines = [
        f"Rules as of {on.isoformat()} ({jurisdiction} rule book; 判定汇总, 年标准合计)",
        table(header, rows, right=frozenset(range(1, len(header)))),
    ]
    notes = []
    for t in tallies:
        if t.first_problem:
            notes.append(f"  * {t.rule}: {t.first_problem}")
        if t.not_decidable:
            why = "; ".join(
                f"{problem}: {count(n)}" for problem, n in t.not_decidable_problems.items()
            )
            notes.append(f"  * {t.rule}: {count(t.not_decidable)} not decidable — {why}")
        elif not t.decided:
            notes.append(f"  * {t.rule}: nothing in the store that this rule decides on")
    notes.append(
        "  'undetermined' = an input the records lack (待核实); 'no parameter' = a figure no "
        "bundled source confirms: supply it with --parameters FILE."
    )
    if undecidable:
        notes.append(
            "  'not decidable' = a stored record the rule cannot be asked about (无法判定): an "
            "assistance case whose applicant is not in the store, or is a serving member."
        )
    if stale:
        notes.append(
            "  'stale' = decided with a figure past the date its source confirms it for "
            "(--allow-stale; 过期数据): the amounts are estimates from the last known standard."
        )
    lines.extend(fit(note) for note in notes)
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


def province_line(summary: Report) -> str:
    """The root's figures for its whole network (全区合计), in words, as the seed reports them.

    The figures are the summary report's top row — each unit's row already holds its whole
    subtree, rates recomputed from the summed parts — so nothing is added up again here.
    """
    lines = []
    for top in summary.top:
        f = summary.shown(top)
        lines.append(
            f"{top.name} {top.code.short}, whole network (全区合计): {f['stations_built']} of "
            f"{f['stations_required']} centres and stations built (应建尽建率 "
            f"{f['station_rate']}); glory plaques on {f['plaques_hung']} of "
            f"{f['plaques_eligible']} entitled households (应挂尽挂率 {f['plaque_rate']}); "
            f"{f['persons']} entitled persons (优抚对象), {f['key_entitled']} key entitled "
            f"(重点优抚对象); {f['assisted']} person-times assisted with "
            f"{f['assistance_amount']} yuan (帮扶); {f['routines_on_time']} of "
            f"{f['routines_due']} routines on time (按时完成率 {f['on_time_rate']})."
        )
    return fit("\n".join(lines))


def report_text(reports: Reports, *, drill_into: str = DRILL_INTO) -> str:
    """The five-level report: the province line, per level, per city, one county's townships.

    Every table opens with its total row (合计) and comes in the two parts of
    :data:`~veteran_affairs.cli._report_command.SUMMARY_PARTS`, so that each fits :data:`COLUMNS`.
    """
    summary = reports.summary
    parts = [
        province_line(summary),
        level_summary_text(summary, parts=SUMMARY_PARTS),
        summary_parts_text(summary.at_level(DivisionLevel.CITY), what="各设区市"),
    ]
    if any(row.code.short == drill_into for row in summary.at_level(DivisionLevel.COUNTY)):
        county = summary.drill_down(drill_into)
        name = county.rows[0].name
        parts.append(summary_parts_text(county, what=f"{name}下钻"))
    parts.extend(fit(f"* {note}") for note in reports.notes)
    return "\n\n".join(parts)


CASEWORK_LABELS = {
    "petition": "petitions",
    "insurance-transfer": "insurance transfers",
    "discharge-record": "discharge records",
    "training-enrolment": "training enrolments",
    "employment-record": "employment records",
    "contact-assignment": "包联 assignments",
    "baolian-talk": "包联 talks",
    "reception-session": "reception sessions",
    "village-cadre": "village cadres",
    "legacy-case": "legacy cases",
    "contact-request": "contact requests",
}
"""How the demo names the casework records it stores (by record kind)."""


def casework_line(
    casework: Report, *, year: int, on: dt.date, talks_per_quarter: int | None = None
) -> str:
    """The root's casework figures in words (its whole subtree, rates recomputed).

    ``talks_per_quarter`` is the user's 包联 cadence, when given: the line says so.
    """
    lines = []
    for top in casework.top:
        f = casework.shown(top)
        if top["due"]:
            checked = f"{f['met']} of {f['due']} checked quarters met (包联完成率 {f['met_rate']})"
            if talks_per_quarter is not None:
                checked += f" against your cadence of {talks_per_quarter} a quarter"
        else:
            checked = (
                f"no quarter of {year} checked: the bundled cadence (1 talk a quarter) is in "
                "force from 2021-02-03, so give your own with --talks-per-quarter N"
            )
        lines.append(
            f"{top.name} {top.code.short}, casework (业务工作) as of {on.isoformat()}: "
            f"{f['petitions']} petitions registered in {year} (信访), {f['answered_on_time']} "
            f"answered within the limit and {f['answered_late']} late, {f['petitions_open']} "
            f"open, of which {f['overdue']} overdue (逾期未办, 督办); {f['transfers']} insurance "
            f"transfers (保险接续), {f['pending']} not yet continued, {f['stalled']} of them "
            f"stalled (接续受阻); 包联: {f['with_talk']} of {f['quarters']} assignment-quarters "
            f"with a talk ({f['talk_rate']}), {checked}; 兵支书: {f['veteran_secretary']} of "
            f"{f['villages']} villages (有兵支书村占比 {f['secretary_rate']})."
        )
    return fit("\n".join(lines))


def casework_text(
    casework: Report, *, year: int, on: dt.date, talks_per_quarter: int | None = None
) -> str:
    """The casework section: the root's line, then every city in the two parts of
    :data:`~veteran_affairs.cli._report_command.CASEWORK_PARTS` (each table under its total row,
    indented like the rules table), then the notes."""
    cities = casework.at_level(DivisionLevel.CITY)
    parts = [casework_line(casework, year=year, on=on, talks_per_quarter=talks_per_quarter)]
    for n, (label, keys) in enumerate(CASEWORK_PARTS, 1):
        columns = [casework.columns[casework.keys.index(key)] for key in keys]
        rows = [
            [
                row.code.short,
                f"{row.name} 合计" if row in cities.totals else row.name,
                *(cities.shown(row)[key] for key in keys),
            ]
            for row in cities.rows_with_totals
        ]
        header = ["代码", "名称", *(c.label_zh for c in columns)]
        parts.append(
            f"业务工作 Casework — {on.isoformat()}, 各设区市 — part {n}/{len(CASEWORK_PARTS)}: "
            f"{label}\n" + table(header, rows, right=frozenset(range(2, len(header))))
        )
    parts.append("\n".join(fit(f"* {note}") for note in casework.notes))
    return "\n\n".join(parts)


def _shown_path(path: Path, cwd: Path) -> str:
    """``path`` as typed in ``cwd``: relative inside it (``./`` for a file in it), else whole."""
    try:
        inside = path.relative_to(cwd)
    except ValueError:
        return str(path)
    return str(inside) if inside.parent != Path(".") else f"./{inside}"


def _on_path(name: str, target: Path, search: str | None) -> bool:
    found = shutil.which(name, path=search)
    return found is not None and Path(os.path.abspath(found)) == target


def program(
    *,
    argv0: str | None = None,
    executable: str | None = None,
    cwd: Path | None = None,
    search: str | None = None,
) -> tuple[list[str], str | None]:
    """How to run this command line again from ``cwd``: its words, and a hint if needed.

    The words are ``veteran-affairs`` when that name on ``PATH`` is this installation's;
    else the path of the script beside the interpreter (``.venv/bin/veteran-affairs`` after
    ``make demo``, which runs ``.venv/bin/python -m veteran_affairs``); else the interpreter
    with ``-m veteran_affairs``. The hint names the environment's activate script, which
    puts ``veteran-affairs`` on ``PATH``. Defaults: ``sys.argv[0]``, ``sys.executable``, the
    working directory and ``$PATH``.
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    interpreter = Path(os.path.abspath(sys.executable if executable is None else executable))
    here = Path.cwd() if cwd is None else cwd
    started = Path(os.path.abspath(argv0)) if argv0 else None
    names = (COMMAND, f"{COMMAND}.exe")
    script = started if started is not None and started.name in names else None
    if script is None or not script.is_file():
        script = next(
            (interpreter.parent / n for n in names if (interpreter.parent / n).is_file()), None
        )
    activate = interpreter.parent / "activate"
    hint = (
        f"`source {_shown_path(activate, here)}` puts `{COMMAND}` on PATH"
        if activate.is_file()
        else None
    )
    if script is not None:
        if _on_path(COMMAND, script, search):
            return [COMMAND], None
        return [_shown_path(script, here)], hint
    python = next(
        (n for n in ("python", "python3") if _on_path(n, interpreter, search)),
        _shown_path(interpreter, here),
    )
    return [python, "-m", "veteran_affairs"], hint


def next_command(
    words: Sequence[str],
    *,
    store_path: Path,
    on: dt.date,
    year: int,
    allow_stale: bool = False,
    parameter_files: Sequence[Path] = (),
    holidays: Sequence[HolidayFile] = (),
    talks_per_quarter: int | None = None,
    columns: int = COLUMNS,
) -> str:
    """The ``report`` command over the demo's store, as shell lines of at most ``columns``.

    It repeats the demo's date, year and the options that change the figures (the rule
    book's ``--parameters`` and ``--allow-stale``, the ``--holidays`` files, the 包联 cadence
    ``--talks-per-quarter``); a command too long for one line is continued with a backslash,
    an option never parted from its value.
    """
    groups: list[list[str]] = [list(words), ["report"], ["--store", str(store_path)]]
    groups += [["--on", on.isoformat()], ["--year", str(year)]]
    groups += [["--parameters", str(path)] for path in parameter_files]
    groups += [["--allow-stale"]] if allow_stale else []
    groups += [["--holidays", file.path] for file in holidays]
    if talks_per_quarter is not None:
        groups.append(["--talks-per-quarter", str(talks_per_quarter)])
    lines: list[str] = []
    current = "  "
    for group in groups:
        piece = shlex.join(group)
        if current.strip() and width(f"{current} {piece} \\") > columns:
            lines.append(current + " \\")
            current = "      "
        current = current + piece if not current.strip() else f"{current} {piece}"
    lines.append(current)
    return "\n".join(lines)


def run_demo(
    *,
    store_path: Path,
    size: int,
    seed: int,
    on: dt.date,
    replace: bool,
    book: RuleBook,
    holidays: Sequence[HolidayFile] = (),
    parameter_files: Sequence[Path] = (),
    talks_per_quarter: int | None = None,
    out: IO[str],
    progress: Progress,
) -> None:
    """Build, store, read back, decide and report; write the report to ``out``.

    ``book`` decides the rules (the Guangxi book, with any parameter files of the user);
    ``holidays`` are the user's holiday files for checking the routines and counting the
    casework limits; ``parameter_files`` the paths of the book's parameter files, repeated in
    the ``report`` command printed last (:func:`next_command`); ``talks_per_quarter`` the
    user's 包联 cadence (default: the bundled one).
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
    for kind, kept in region.casework:
        store.bulk_add(
            progress.count(f"storing {CASEWORK_LABELS[kind]}", kept, len(kept)),
            actor="veteran-affairs demo",
            batch_size=50_000,
        )
    stored = time.perf_counter()
    data = load_dataset(store, province="45", progress=progress, casework=True)
    subjects = stored_subjects(data.people, data.households, data.cases)
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
    progress.step("casework reports")
    casework = casework_summary(
        data.tree,
        build_casework_reports(
            data,
            on=on,
            year=region.activity_year,
            province="45",
            holidays=holidays,
            talks_per_quarter=talks_per_quarter,
        ),
        as_of=on.isoformat(),
    )
    progress.done()
    finished = time.perf_counter()
    written = ", ".join(f"{label} {len(records):,}" for label, records in groups)
    cases = ", ".join(f"{CASEWORK_LABELS[kind]} {len(kept):,}" for kind, kept in region.casework)
    extensions = sum(1 for s in region.stations if s.kind is StationKind.EXTENSION)
    words, hint = program()
    sections = [
        f"veteran_affairs demo — {LABEL}",
        fit(
            f"Store {str(store_path)!r} (SQLite): {written}; seed {seed}, as of "
            f"{on.isoformat()}, assistance and routines in {region.activity_year}. The "
            f"stations are {len(region.stations) - extensions:,} centres and stations of "
            f"the five levels and {extensions:,} extension stations (拓展型服务站), which "
            f"coverage does not count. Casework (业务工作): {cases}."
        ),
        rules_table(tallies, on=on, jurisdiction=book.jurisdiction, stale=book.allow_stale),
        report_text(reports),
        casework_text(
            casework, year=region.activity_year, on=on, talks_per_quarter=talks_per_quarter
        ),
        fit(explained_person(data, book, on=on)),
        "\n".join(
            [
                fit(
                    f"Done in {finished - started:.1f} s (generate and store "
                    f"{stored - started:.1f} s). Next, any report, level or unit (报表), "
                    "from this folder:"
                ),
                next_command(
                    words,
                    store_path=store_path,
                    on=on,
                    year=region.activity_year,
                    allow_stale=book.allow_stale,
                    parameter_files=parameter_files,
                    holidays=holidays,
                    talks_per_quarter=talks_per_quarter,
                ),
                fit(
                    "`--help` after any command lists its options" + (f"; {hint}." if hint else ".")
                ),
            ]
        ),
    ]
    out.write("\n\n".join(sections) + "\n")
