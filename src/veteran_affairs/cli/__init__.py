"""The command line (命令行): ``veteran-affairs`` or ``python -m veteran_affairs``.

Commands:

* ``demo`` — the library's main job on a synthetic Guangxi (合成数据): generate it, write it into
  the embedded SQLite store, decide every rule for every person, household and assistance
  case, print the five-level report and the casework per city, and explain one person's
  decisions;
* ``import`` — a roster (花名册, ``.xlsx`` or ``.csv``) into a store, all rows or none;
* ``export`` — the records of a store as rosters, the casework registers among them (identity
  numbers, names and phones masked unless ``--include-personal-data``);
* ``evaluate`` — rules for every person, household and assistance case of a store, as of a
  date, into a file;
* ``report`` — a hierarchy report from a store, at a level or under a unit, as text, CSV or HTML;
  the casework ones (``--kind petitions|transfers|baolian|villages``) from its casework records;
* ``overdue`` — the list of overdue casework under a unit, to chase (督办清单): petitions,
  insurance transfers, legacy cases and requests past a cited time limit, as text, CSV, xlsx
  or JSON;
* ``calendar`` — the routines' occasions and due dates for a unit and a span;
* ``divisions`` — the bundled Guangxi divisions as a five-level network;
* ``whatif`` — the cost and the winners and losers of a parameter change (政策调整测算) over
  a store's veterans or a synthetic Guangxi, per rule, in total and per unit of a level.

The user's own data goes in files of the bundled formats: ``--parameters FILE`` (``demo``,
``evaluate``, ``report``) layers parameter files on the rule book, ``--allow-stale`` lets a
figure be used past its confirmed date (the decisions say so), and ``--holidays FILE``
(``calendar``, ``report``, ``demo``, ``overdue``) adds holiday notices for years not bundled.

Every command has ``--help``; ``--version`` prints the installed package's version. Exit
status (:class:`ExitCode`):

* 0 — done;
* 1 — the work could not be done: the message on stderr says why, and nothing was written
  (a roster whose header lacks a required column is refused so even with ``--skip-invalid``);
* 2 — wrong arguments;
* 3 — done, but rows were left out: ``import --skip-invalid`` imported the valid rows and
  wrote the rejected ones to the rejects file;
* 130 — interrupted.

Files: every CSV file written (``export``, ``evaluate``, ``calendar --out``, ``report --out``,
the rejects file) is UTF-8 with a byte-order mark, for Excel; CSV on standard output
(``evaluate --out -``) has none. An ``.xlsx`` file holds typed cells: amounts are numbers with
the format ``0.00``, dates date cells, identity numbers, codes and phones text
(:func:`veteran_affairs.rosters.write_table`). ``--json`` (``import``, ``evaluate``,
``report``, ``overdue``) prints one JSON document on stdout, and every message goes to stderr. Long work
shows progress on stderr when it is a terminal. ``docs/cli.md`` has the details.

>>> main(["calendar", "--unit", "450312", "--from", "2025-06-01", "--to", "2025-06-30",
...       "--routine", "reception-day"])
Routines of 450312 from 2025-06-01 to 2025-06-30 (例行工作排期)
  routine        例行工作    period   opens       due         closes      workdays left
  reception-day  领导接待日  2025-06  2025-06-01  2025-06-16  2025-06-30           past
0
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from veteran_affairs.cli._common import (
    STDOUT,
    CommandError,
    ExitCode,
    Progress,
    holiday_files,
    iso_date,
    known_unit,
    load_jurisdiction,
    open_store,
    package_version,
    positive_int,
    province_of,
    rule_book,
    unknown_unit,
    write_json,
    year_number,
)
from veteran_affairs.cli._division_command import (
    city_table,
    divisions_report,
    level_table,
    seed_network_note,
    source_summary,
    township_kind_table,
)
from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import DivisionCode, shown_value

__all__ = [
    "ExitCode",
    "city_table",
    "divisions_report",
    "level_table",
    "main",
    "seed_network_note",
    "source_summary",
    "township_kind_table",
]


def __dir__() -> list[str]:
    return __all__


PROG = "veteran-affairs"


def _division(text: str) -> DivisionCode:
    try:
        return DivisionCode(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# --- handlers ---------------------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._demo import run_demo

    # The user's files are checked before the long work starts.
    book = rule_book("guangxi", args.parameters, allow_stale=args.allow_stale)
    holidays = holiday_files(args.holidays)
    run_demo(
        store_path=args.store,
        size=args.size,
        seed=args.seed,
        on=args.on,
        replace=args.replace,
        book=book,
        holidays=holidays,
        parameter_files=args.parameters,
        talks_per_quarter=args.talks_per_quarter,
        out=sys.stdout,
        progress=Progress(),
    )
    return ExitCode.OK


def _cmd_divisions(args: argparse.Namespace) -> int:
    jurisdiction = load_jurisdiction(args.jurisdiction)
    units = list(jurisdiction.tree())
    sys.stdout.write(divisions_report(province_of(jurisdiction), units=units))
    return ExitCode.OK


def _cmd_whatif(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._whatif_command import run_whatif

    return run_whatif(args, sys.stdout)


# The values of veteran_affairs.rosters.RosterKind, the choices of import and export --kind:
# written out so that building the parser imports no roster code (a test compares them).
_ROSTER_KINDS = (
    "veterans",
    "survivors",
    "households",
    "cases",
    "petitions",
    "legacy-cases",
    "insurance-transfers",
    "baolian-assignments",
    "baolian-talks",
    "village-cadres",
    "discharge-records",
    "training-enrolments",
    "employment-records",
    "reception-sessions",
    "requests",
)


def _cmd_import(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._roster import run_import
    from veteran_affairs.rosters import RosterKind

    return run_import(
        args.roster,
        store_path=args.store,
        columns=args.columns,
        kind=None if args.kind is None else RosterKind(args.kind),
        skip_invalid=args.skip_invalid,
        update=args.update,
        rejects=args.rejects,
        actor=args.actor,
        out=sys.stdout,
        err=sys.stderr,
        progress=Progress(),
        as_json=args.json,
    )


def _cmd_export(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._roster import run_export
    from veteran_affairs.rosters import RosterKind

    return run_export(
        open_store(args.store),
        out_path=args.out,
        within=args.within,
        personal=args.include_personal_data,
        kind=None if args.kind is None else RosterKind(args.kind),
        versions=args.versions,
        out=sys.stdout,
        progress=Progress(),
    )


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._commands import (
        EVALUATION_HEADER,
        check_table_path,
        evaluation_rows,
        evaluation_summary,
        write_rows,
    )

    check_table_path(args.out)
    rules = args.rules or load_jurisdiction(args.jurisdiction)
    book = rule_book(rules, args.parameters, allow_stale=args.allow_stale)
    store = open_store(args.store)
    if args.within is not None:
        store = store.scoped(args.within)
    rows, tallies = evaluation_rows(
        store,
        book=book,
        rules=args.rule or list(book.rule_names),
        on=args.on,
        personal=args.include_personal_data,
        progress=Progress(),
    )
    to_stdout = str(args.out) == STDOUT
    write_rows(args.out, EVALUATION_HEADER, rows, stdout=sys.stdout)
    if args.json:
        summary = evaluation_summary(
            tallies,
            on=args.on,
            out=str(args.out),
            rows=len(rows),
            personal=args.include_personal_data,
        )
        write_json(sys.stdout, summary)
    where = "standard output" if to_stdout else str(args.out)
    masked = "" if args.include_personal_data else " (identity numbers and names masked)"
    stale = ""
    if book.allow_stale:
        made = sum(t.stale for t in tallies)
        stale = f"; {made:,} made with a figure past its confirmed date (过期数据, column stale)"
    said = sys.stderr if to_stdout or args.json else sys.stdout
    said.write(f"{len(rows):,} decisions written to {where}{masked}{stale}\n")
    return ExitCode.OK


def _cmd_report(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._commands import (
        LEVELS,
        chosen_report,
        report_json,
        report_output,
        report_table,
        write_text,
    )

    to_file = args.out is not None and str(args.out) != STDOUT
    fmt = args.format or _format_of(args.out)
    if to_file and (fmt == "xlsx") != (args.out.suffix.lower() == ".xlsx"):
        raise CommandError(
            f"--out {str(args.out)!r}: a workbook is written to a .xlsx file, and a .xlsx file "
            "holds a workbook (--format xlsx) (工作簿须写入 .xlsx 文件)"
        )
    if fmt == "xlsx" and not to_file:
        raise CommandError("--format xlsx needs --out FILE.xlsx (工作簿须写入文件)")
    on = args.on or dt.date.today()
    jurisdiction = load_jurisdiction(args.jurisdiction)
    division = jurisdiction.division
    province = args.province or province_of(jurisdiction)
    book = rule_book(args.rules or jurisdiction, args.parameters, allow_stale=args.allow_stale)
    holidays = holiday_files(args.holidays)
    report, notes = chosen_report(
        open_store(args.store),
        kind=args.kind,
        level=None if args.level is None else LEVELS[args.level],
        within=args.within,
        on=on,
        year=args.year or on.year,
        province=province,
        book=book,
        holidays=holidays,
        progress=Progress(),
        talks_per_quarter=args.talks_per_quarter,
        # --province of another province than the jurisdiction's: its bundled units only.
        jurisdiction=jurisdiction if division is not None and province == division.short else None,
    )
    if args.json:
        write_json(sys.stdout, report_json(report, notes, kind=args.kind))
    elif not to_file:
        sys.stdout.write(report_output(report, notes, fmt))
    elif fmt == "xlsx":
        header, rows = report_table(report)
        from veteran_affairs.rosters import write_table

        write_table(args.out, header, rows)
        sys.stdout.write(f"{len(rows):,} rows written to {args.out} (xlsx)\n")
    else:
        write_text(args.out, report_output(report, notes, fmt), bom=fmt == "csv")
        count = len(report.to_rows())
        sys.stdout.write(f"{count:,} rows written to {args.out} ({fmt})\n")
    return ExitCode.OK


def _cmd_overdue(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._commands import check_table_path
    from veteran_affairs.cli._common import existing_file
    from veteran_affairs.cli._overdue import CaseworkKind, limit_book, run_overdue

    if args.out is not None:
        check_table_path(args.out)
    book = limit_book([existing_file(path, "limits file") for path in args.limits])
    holidays = holiday_files(args.holidays)
    return run_overdue(
        open_store(args.store),
        on=args.on or dt.date.today(),
        kinds=[CaseworkKind(kind) for kind in args.kind],
        book=book,
        within=args.within,
        holidays=holidays,
        out_path=args.out,
        as_json=args.json,
        out=sys.stdout,
        err=sys.stderr,
        progress=Progress(),
    )


def _format_of(out: Path | None) -> str:
    """``report``'s format when ``--format`` is not given: by the suffix of ``--out``."""
    suffix = "" if out is None else out.suffix.lower()
    return {".csv": "csv", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}.get(suffix, "text")


def _cmd_calendar(args: argparse.Namespace) -> int:
    from veteran_affairs.cli._commands import (
        CALENDAR_HEADER,
        calendar_rows,
        calendar_text,
        check_table_path,
        write_rows,
    )

    if args.out is not None:
        check_table_path(args.out)
    jurisdiction = load_jurisdiction(args.jurisdiction)
    refused = unknown_unit(args.unit, jurisdiction)
    if refused is not None:
        args.command_parser.error(f"argument --unit: {refused}")  # exits with status 2
    holidays = holiday_files(args.holidays)
    if args.year is not None:
        first, last = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    else:
        first = args.first or dt.date.today().replace(month=1, day=1)
        last = args.last or first.replace(month=12, day=31)
    if last < first:
        raise CommandError(f"--to {last} is before --from {first} (结束日期早于开始日期)")
    span = (first, last)
    rows = calendar_rows(
        args.unit,
        span,
        routines=args.routine,
        national=args.national_calendar,
        holidays=holidays,
        today=dt.date.today(),
        jurisdiction=jurisdiction,
    )
    if args.out is not None:
        write_rows(args.out, CALENDAR_HEADER, rows, stdout=sys.stdout)
        to_stdout = str(args.out) == STDOUT
        where = "standard output" if to_stdout else str(args.out)
        (sys.stderr if to_stdout else sys.stdout).write(
            f"{len(rows):,} occasions written to {where}\n"
        )
    else:
        sys.stdout.write(calendar_text(args.unit, span, rows))
    return ExitCode.OK


# --- arguments --------------------------------------------------------------------------------


def _store_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        required=required,
        metavar="PATH",
        help="the SQLite store file (SQLite 存储文件)",
    )


def _personal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-personal-data",
        action="store_true",
        help="write identity numbers, names and phones in full (default: masked, 默认脱敏)",
    )


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules",
        metavar="JURISDICTION",
        help="the rule book: 'national', 'guangxi' or another profile's name or folder "
        "(default: the --jurisdiction's)",
    )


def _jurisdiction_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jurisdiction",
        metavar="NAME|FOLDER",
        help="the jurisdiction profile whose rule book, province, divisions, calendar and "
        "routines are the defaults: a name ('guangxi', 'national', or a profile in a folder "
        "listed in VETERAN_AFFAIRS_JURISDICTIONS) or a profile's folder (default: guangxi; "
        "辖区配置)",
    )


def _book_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parameters",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a parameter file of your own (the TOML format of the bundled ones), layered on "
        "the rule book; repeat for several, later files win (参数文件)",
    )
    parser.add_argument(
        "--allow-stale",
        action="store_true",
        help="use a figure past the date its source confirms it for, marking the decisions "
        "made so as stale, instead of reporting it missing (允许使用过期数据)",
    )


def _holidays_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--holidays",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a holiday file (the TOML format of the bundled ones) with notices for years "
        "not bundled, or replacing a bundled year; repeat for several (节假日安排文件)",
    )


def _talks_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--talks-per-quarter",
        type=positive_int,
        metavar="N",
        help="the 包联 talks each assignment owes a quarter, your own figure: it checks every "
        "quarter (default: the bundled cadence, 1 a quarter, in force from 2021-02-03 only; "
        "包联座谈次数)",
    )


def _json_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help=f"print a JSON document on stdout ({what}); messages go to stderr",
    )


def _usage_problem(args: argparse.Namespace) -> str | None:
    """A combination of arguments the parser itself cannot refuse, or ``None``."""
    if args.command == "calendar" and args.year is not None:
        given = [option for option, value in (("--from", args.first), ("--to", args.last)) if value]
        if given:
            return f"argument --year: not allowed with {' and '.join(given)} (不能同时使用)"
    if args.command == "evaluate" and args.json and str(args.out) == STDOUT:
        return "argument --json: not allowed with --out - (both write to standard output; 不能同时使用)"
    if args.command == "overdue" and args.json and args.out is not None:
        return "argument --json: not allowed with --out (不能同时使用)"
    if args.command == "report" and args.json:
        given = [
            option for option, value in (("--format", args.format), ("--out", args.out)) if value
        ]
        if given:
            return f"argument --json: not allowed with {' and '.join(given)} (不能同时使用)"
    return None


_QUOTED = re.compile(r"'([^']*)'")


class _Parser(argparse.ArgumentParser):
    """argparse, with the values its own messages quote masked (错误信息脱敏).

    argparse quotes a rejected value as typed (``invalid int value: '...'``, ``invalid
    choice: '...'``); a value typed into the wrong option may be an identity number or a
    name, so every quoted part passes through :func:`~veteran_affairs.identity.shown_value`
    like the library's own errors. Subcommand parsers are of this class too.
    """

    def error(self, message: str) -> NoReturn:
        super().error(_QUOTED.sub(lambda found: f"'{shown_value(found.group(1))}'", message))


def _parser() -> argparse.ArgumentParser:
    from veteran_affairs.cli._demo import DEFAULT_ON, DEFAULT_SEED, DEFAULT_SIZE, DEFAULT_STORE

    parser = _Parser(
        prog=PROG,
        description="China's veteran-affairs work in code (退役军人事务). "
        "Exit status: 0 done, 1 failed (nothing written), 2 wrong arguments, "
        "3 imported with rows rejected (import --skip-invalid).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(title="commands", dest="command", required=True)

    demo = commands.add_parser(
        "demo",
        help="build a synthetic Guangxi into a store, decide every rule, print the report",
        description="Generate a synthetic (合成) Guangxi-shaped dataset, write it into the "
        "embedded SQLite store, decide every rule for every person, household and assistance "
        "case as of a date, and print the five-level report (coverage, plaques, population, assistance, "
        "routines), the casework per city (petitions, insurance transfers, 包联, 兵支书) and one "
        "person's decisions explained.",
    )
    demo.add_argument(
        "--store",
        type=Path,
        default=DEFAULT_STORE,
        metavar="PATH",
        help=f"where to write the store (default: ./{DEFAULT_STORE})",
    )
    demo.add_argument(
        "--size",
        type=positive_int,
        default=DEFAULT_SIZE,
        metavar="N",
        help=f"entitled persons to generate (default: {DEFAULT_SIZE:,}; Guangxi ≈ 1,000,000)",
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the generator's seed")
    demo.add_argument(
        "--on",
        type=iso_date,
        default=DEFAULT_ON,
        metavar="DATE",
        help=f"decide and report as of this date (default: {DEFAULT_ON}, the seed's date)",
    )
    demo.add_argument("--replace", action="store_true", help="rebuild the store file if it exists")
    _book_options(demo)
    _holidays_option(demo)
    _talks_option(demo)
    demo.set_defaults(handler=_cmd_demo)

    roster = commands.add_parser(
        "import",
        help="import rosters (花名册, .xlsx or .csv) into a store",
        description="Read rosters with Chinese column headers (姓名, 公民身份号码, …) — "
        "veterans, survivors, glory-plaque households, assistance cases, and the casework "
        "registers (信访件, 历史遗留问题, 保险接续, 领导包联, 包联座谈, 村两委成员, 退役安置, 教育培训, "
        "就业情况, 领导接待日, 诉求); one per CSV file, one per sheet of a workbook — check every "
        "row, and write them into the store in one transaction. Every bad row and field is "
        "reported together; by default nothing is written unless every row is valid.",
    )
    roster.add_argument(
        "roster", type=Path, nargs="+", metavar="ROSTER", help="the .xlsx or .csv files"
    )
    roster.add_argument(
        "--kind",
        choices=_ROSTER_KINDS,
        metavar="KIND",
        help="read every roster as this kind, one of "
        + ", ".join(_ROSTER_KINDS)
        + " (default: by sheet name, else by header)",
    )
    roster.add_argument(
        "--update",
        action="store_true",
        help="correct records the store already holds (an update in the audit log; a 版本 "
        "column must match the stored version) instead of refusing them",
    )
    _store_option(roster)
    roster.add_argument(
        "--columns",
        type=Path,
        metavar="MAPPING.toml",
        help="a TOML file mapping your column headers to fields (overrides the defaults)",
    )
    roster.add_argument(
        "--skip-invalid",
        action="store_true",
        help="write the valid rows and put the invalid ones into a rejects file "
        "(exit status 3 when some were rejected)",
    )
    roster.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="where --skip-invalid writes the rejected rows (default: ROSTER.rejects.csv, "
        "ROSTER.SHEET.rejects.csv for a sheet; a folder when several rosters are read); an "
        "existing file is never overwritten (-2, -3 … is added)",
    )
    roster.add_argument("--actor", default="veteran-affairs import", help="who the audit log names")
    _json_option(roster, "rows read, imported and rejected, the rejects file and every error")
    roster.set_defaults(handler=_cmd_import)

    export = commands.add_parser(
        "export",
        help="export the records of a store as rosters (.csv or .xlsx)",
        description="Write the veterans, survivors, glory-plaque households and assistance "
        "cases of a store (or of one unit's subtree), and its casework registers (petitions, "
        "legacy cases, insurance transfers, 包联 assignments and talks, village cadres, discharge "
        "records, training, employment, reception days, requests), as rosters with the "
        "import's Chinese headers: a .xlsx workbook gets a sheet per kind, a "
        ".csv file one kind. Identity numbers, names and phones are masked "
        "unless --include-personal-data.",
    )
    _store_option(export)
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help=".csv or .xlsx")
    export.add_argument("--within", type=_division, metavar="CODE", help="only this subtree")
    export.add_argument(
        "--kind",
        choices=_ROSTER_KINDS,
        metavar="KIND",
        help="only this kind, one of the import's (default: a .xlsx file gets a sheet per kind, "
        "a .csv file veterans)",
    )
    export.add_argument(
        "--versions",
        action="store_true",
        help="add a 版本 column with each record's version, which import --update checks",
    )
    _personal_option(export)
    export.set_defaults(handler=_cmd_export)

    evaluate = commands.add_parser(
        "evaluate",
        help="decide rules for every person, household and assistance case into a file",
        description="Decide the rules for every person, household and assistance case of a "
        "store as of a date; one row per subject and rule with the outcome, the amounts, the deciding "
        "reason and its legal basis.",
    )
    _store_option(evaluate)
    evaluate.add_argument(
        "--rule",
        action="append",
        metavar="RULE",
        help="a rule to decide (repeat for several; default: every rule)",
    )
    evaluate.add_argument("--on", type=iso_date, required=True, metavar="DATE", help="as of")
    evaluate.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help=".csv or .xlsx; '-' writes CSV to standard output",
    )
    evaluate.add_argument("--within", type=_division, metavar="CODE", help="only this subtree")
    _jurisdiction_option(evaluate)
    _rules_option(evaluate)
    _book_options(evaluate)
    _personal_option(evaluate)
    _json_option(evaluate, "counts per rule and outcome, stale decisions and the output file")
    evaluate.set_defaults(handler=_cmd_evaluate)

    report = commands.add_parser(
        "report",
        help="a hierarchy report from a store (text, CSV or HTML)",
        description="Build the standard reports from a store's records and print one: at a "
        "level (default: every city), or one unit and the units directly below it "
        "(--within), or a whole subtree at a level (both). The casework kinds (petitions, "
        "transfers, baolian, villages, registers) read the store's casework records (业务工作).",
    )
    _store_option(report)
    from veteran_affairs.cli._report_command import ALL_REPORT_KINDS

    report.add_argument(
        "--kind",
        choices=ALL_REPORT_KINDS,
        default="summary",
        help="which report (default: summary); petitions, transfers, baolian, villages and "
        "registers (legacy cases, requests, reception days, training, employment) read the "
        "store's casework records (业务工作)",
    )
    report.add_argument(
        "--level",
        choices=("province", "city", "county", "township", "village"),
        help="only the units of this level",
    )
    report.add_argument("--within", type=_division, metavar="CODE", help="under this unit")
    report.add_argument(
        "--on", type=iso_date, metavar="DATE", help="stocks as of this date (default: today)"
    )
    report.add_argument(
        "--year", type=int, metavar="YYYY", help="assistance and routines of this year"
    )
    report.add_argument(
        "--format",
        choices=("text", "csv", "html", "xlsx"),
        help="default: by the suffix of --out (.csv, .html, .xlsx), else text; xlsx: a "
        "workbook with numbers as numbers (needs --out FILE.xlsx and the excel extra)",
    )
    report.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the report into FILE instead of printing it (a .csv file gets a "
        "byte-order mark, so that Excel opens it)",
    )
    _json_option(report, "the report's rows, with counts as numbers and amounts as text")
    report.add_argument(
        "--province",
        metavar="CODE",
        help="the province's 2-digit code (default: the --jurisdiction's, 45 for Guangxi)",
    )
    _talks_option(report)
    _jurisdiction_option(report)
    _rules_option(report)
    _book_options(report)
    _holidays_option(report)
    report.set_defaults(handler=_cmd_report)

    overdue = commands.add_parser(
        "overdue",
        help="the list of overdue casework under a unit, to chase (督办清单)",
        description="List every petition duty, insurance transfer, legacy case and request "
        "past a cited time limit on a date, one row per limit: the unit holding it, what is "
        "overdue, the due date, the days overdue and the limit's basis, identity numbers "
        "masked; sorted by unit code then due date. A limit with no value (NOT FOUND) is "
        "never guessed: the items needing it are counted in a note (supply it with --limits). "
        "Exit status 0 whatever is found.",
    )
    _store_option(overdue)
    overdue.add_argument(
        "--on", type=iso_date, metavar="DATE", help="overdue on this date (default: today)"
    )
    overdue.add_argument(
        "--within", type=known_unit, metavar="CODE", help="only units under this one"
    )
    overdue.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=("petitions", "transfers", "legacy", "requests"),
        help="only this kind (repeat for several; default: all four)",
    )
    overdue.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write .csv or .xlsx instead of printing text; '-' writes CSV to standard output",
    )
    _json_option(overdue, "the rows and the items not judged")
    overdue.add_argument(
        "--limits",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a time-limit file (the TOML format of the bundled ones) supplying limits that "
        "ship without a value or replacing bundled ones; repeat for several (时限文件)",
    )
    _holidays_option(overdue)
    overdue.set_defaults(handler=_cmd_overdue)

    calendar = commands.add_parser(
        "calendar",
        help="routines' occasions and due dates for a unit and a span",
        description="The occasions of the Guangxi preset's routines (monthly dispatch, "
        "quarterly symposium, half-yearly training, reception days, …) for one unit between "
        "two dates, with due dates in working days of the unit's calendar.",
    )
    calendar.add_argument(
        "--unit",
        type=_division,
        required=True,
        metavar="CODE",
        help="a unit of the bundled divisions or the jurisdiction's (or a village under a "
        "known township)",
    )
    calendar.add_argument(
        "--from", dest="first", type=iso_date, metavar="DATE", help="default: 1 January"
    )
    calendar.add_argument(
        "--to", dest="last", type=iso_date, metavar="DATE", help="default: 31 December"
    )
    calendar.add_argument(
        "--year",
        type=year_number,
        metavar="YYYY",
        help="the whole of this year (instead of --from and --to)",
    )
    calendar.add_argument(
        "--routine", action="append", default=[], metavar="NAME", help="only this routine"
    )
    calendar.add_argument("--out", type=Path, metavar="FILE", help="write .csv or .xlsx")
    calendar.add_argument(
        "--national-calendar",
        action="store_true",
        help="use the national calendar only (without the province's own holidays)",
    )
    _jurisdiction_option(calendar)
    _holidays_option(calendar)
    calendar.set_defaults(handler=_cmd_calendar)

    divisions = commands.add_parser(
        "divisions",
        help="summarise the bundled Guangxi divisions as a five-level network",
        description="Units per level, township kinds and per-city counts for Guangxi (45), "
        "or the province of --jurisdiction, from its division data, with the source and "
        "edition of the bundled tables.",
    )
    _jurisdiction_option(divisions)
    divisions.set_defaults(handler=_cmd_divisions)

    from veteran_affairs.cli._whatif_command import add_arguments as whatif_arguments

    whatif = commands.add_parser(
        "whatif",
        help="the cost and winners/losers of a parameter change (政策调整测算)",
        description="Compare the rule book with a reform (--parameters FILE) over a "
        "population on the batch path: the cost under each, its change, and the winners, "
        "losers and undetermined, per rule, in total and per unit of a level.",
    )
    whatif_arguments(whatif)
    whatif.set_defaults(handler=_cmd_whatif)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` if ``None``.

    Returns:
        An :class:`ExitCode`. ``--help`` and usage errors exit through :class:`SystemExit`
        (0 and 2), as argparse does.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    problem = _usage_problem(args)
    if problem is not None:
        command: argparse.ArgumentParser = args.command_parser
        command.error(problem)  # exits with status 2, as argparse's own checks do
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return int(handler(args))
    except CommandError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return int(error.status)
    except VeteranAffairsError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return ExitCode.FAILED
    except OSError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return ExitCode.FAILED
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return ExitCode.INTERRUPTED
