"""``veteran-affairs whatif``: the cost and winners/losers of a parameter change (政策调整测算).

The population is the store's veterans (``--store``) or, without a store, a **synthetic**
Guangxi (合成数据, :func:`veteran_affairs.synthetic.generate_guangxi`). The jurisdiction
profile (``--jurisdiction``, Guangxi's by default, as for ``evaluate`` and ``report``) gives
the defaults: its rule book (``--rules`` names another), its province (``--province``) and
its division tree. The baseline is that book with the user's own figures
(``--baseline-parameters``); the reform is the baseline with the reform files
(``--parameters``) layered on top. Both are decided on the batch path
(:func:`veteran_affairs.whatif.compare_population`) and printed: the figures per rule and in
total, then per unit of a level (default: every city).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import IO, TYPE_CHECKING

from veteran_affairs.cli._common import (
    CommandError,
    ExitCode,
    iso_date,
    load_jurisdiction,
    open_store,
    positive_int,
    province_of,
    rule_book,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel

if TYPE_CHECKING:
    from veteran_affairs.hierarchy import DivisionTree
    from veteran_affairs.jurisdictions import Jurisdiction

__all__: list[str] = []

_LEVELS = {
    "province": DivisionLevel.PROVINCE,
    "city": DivisionLevel.CITY,
    "county": DivisionLevel.COUNTY,
    "township": DivisionLevel.TOWNSHIP,
    "village": DivisionLevel.VILLAGE,
}
_SHOWN = ("rows", "baseline", "reform", "change", "winners", "losers", "undetermined")
_SYNTHETIC_PROVINCE = "45"  # the synthetic population is a Guangxi


def _code(text: str) -> DivisionCode:
    try:
        return DivisionCode(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``whatif``."""
    parser.add_argument(
        "--parameters",
        action="append",
        required=True,
        type=Path,
        metavar="FILE",
        help="a reform file (the TOML format of the bundled parameter files) layered on the "
        "baseline; repeat for several, later files win (改革方案参数文件)",
    )
    parser.add_argument(
        "--baseline-parameters",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="your own figures for both books (e.g. a local wage or the one-off standard), "
        "layered on the bundled book first (基准参数文件)",
    )
    parser.add_argument("--on", type=iso_date, required=True, metavar="DATE", help="as of")
    parser.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="the SQLite store whose veterans to compare (default: a synthetic Guangxi)",
    )
    parser.add_argument(
        "--persons",
        type=positive_int,
        default=2_000,
        metavar="N",
        help="without --store: people in the synthetic Guangxi (合成数据; default 2000)",
    )
    parser.add_argument(
        "--seed", type=int, default=2021, metavar="N", help="without --store: its seed"
    )
    parser.add_argument(
        "--rule",
        action="append",
        metavar="RULE",
        help="a rule to compare (repeat for several; default: every rule of the batch path "
        "the population's columns feed)",
    )
    parser.add_argument(
        "--jurisdiction",
        metavar="NAME|FOLDER",
        help="the jurisdiction profile whose rule book, province and divisions are the "
        "defaults: a name ('guangxi', 'national', or a profile in a folder listed in "
        "VETERAN_AFFAIRS_JURISDICTIONS) or a profile's folder (default: guangxi; 辖区配置)",
    )
    parser.add_argument(
        "--rules",
        metavar="JURISDICTION",
        help="the rule book: 'national', 'guangxi' or another profile's name or folder "
        "(default: the --jurisdiction's)",
    )
    parser.add_argument(
        "--allow-stale",
        action="store_true",
        help="use a figure past the date its source confirms it for (允许使用过期数据)",
    )
    parser.add_argument(
        "--level",
        choices=tuple(_LEVELS),
        default="city",
        help="show the units of this level (default: city)",
    )
    parser.add_argument(
        "--within",
        type=_code,
        metavar="CODE",
        help="only units under this one (without --store: the synthetic people of its subtree)",
    )
    parser.add_argument(
        "--province",
        metavar="CODE",
        help="the province's 2-digit code (default: the --jurisdiction's, 45 for Guangxi)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the figures as Markdown tables"
    )


def run_whatif(args: argparse.Namespace, out: IO[str]) -> int:
    """Compare the two books over the population and print the figures."""
    from veteran_affairs.models import Veteran
    from veteran_affairs.rules.batch import columns_from
    from veteran_affairs.whatif import compare_population

    jurisdiction = load_jurisdiction(args.jurisdiction)
    province = args.province or province_of(jurisdiction)
    if args.store is None and province != _SYNTHETIC_PROVINCE:
        raise CommandError(
            f"the synthetic population is a Guangxi ({_SYNTHETIC_PROVINCE}), not province "
            f"{province}: give --store with the province's veterans (合成数据仅限广西)"
        )
    rules = args.rules or jurisdiction
    baseline = rule_book(rules, args.baseline_parameters, allow_stale=args.allow_stale)
    reform = rule_book(
        rules,
        [*args.baseline_parameters, *args.parameters],
        allow_stale=args.allow_stale,
    )
    veterans, label = _population(args)
    chosen = [person for person in veterans if isinstance(person, Veteran)]
    if not chosen:
        raise CommandError(f"no veterans in {label} (没有退役军人记录)")
    columns = columns_from(chosen)
    divisions = [veteran.person.hukou_division.value for veteran in chosen]
    result = compare_population(
        baseline, reform, columns, on=args.on, divisions=divisions, rules=args.rule
    )
    tree = _tree(province, jurisdiction)
    if args.within is not None:
        tree = tree.restrict(args.within)
    report = result.by_division(tree).at_level(_LEVELS[args.level])
    out.write(f"Population: {label}\n")
    if args.markdown:
        out.write(result.to_markdown() + "\n\n")
        out.write(_markdown(report.to_rows()) + "\n")
    else:
        out.write(result.to_text() + "\n\n")
        out.write(report.to_text(columns=_SHOWN, labels="both") + "\n")
    return ExitCode.OK


def _tree(province: str, jurisdiction: Jurisdiction) -> DivisionTree:
    """The jurisdiction's division tree, or the bundled units of another ``--province``."""
    from veteran_affairs.hierarchy import DivisionTree

    division = jurisdiction.division
    if division is not None and division.short == province:
        return jurisdiction.tree()
    return DivisionTree.bundled(province)


def _population(args: argparse.Namespace) -> tuple[list[object], str]:
    if args.store is not None:
        store = open_store(args.store)
        with store.unit_of_work(actor="veteran-affairs whatif") as work:
            people: list[object] = list(work.persons.find())
        return people, f"the store {str(args.store)!r}"
    from veteran_affairs.synthetic import generate_guangxi

    on: dt.date = min(args.on, dt.date.today())
    region = generate_guangxi(
        persons=args.persons,
        seed=args.seed,
        on=on,
        within=args.within,
        activity_year=max(2019, on.year - 1),
        casework=False,
    )
    return list(region.people), (
        f"a SYNTHETIC Guangxi (合成数据, not real persons): {args.persons:,} people, "
        f"seed {args.seed}, as of {on}"
    )


def _markdown(rows: list[dict[str, object]]) -> str:
    shown = ["code", "name", *_SHOWN]
    lines = ["| " + " | ".join(shown) + " |", "| --- | --- |" + " ---: |" * len(_SHOWN)]
    lines.extend("| " + " | ".join(str(row[key]) for key in shown) + " |" for row in rows)
    return "\n".join(lines)
