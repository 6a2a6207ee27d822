"""Population what-ifs (政策调整测算): the cost, winners and losers of a parameter change.

The question a budget office asks before a standard changes: *over the whole population,
what would the reform cost, who gains, who loses, and where?* :func:`compare_population`
answers it on the batch path of the rules (:mod:`veteran_affairs.rules.batch`): it decides
every rule twice over the same columns — once with the *baseline* rule book (基准), once with
the *reform* book (改革方案, e.g. ``baseline.with_parameters("reform.toml")``) — and counts,
per rule and in total:

* the **cost** under each book and its change: the sum of the decisions' ``amount`` —
  the annual amount of a periodic payment (the disability pension's annual standard, without
  the nursing allowance, which is a component of its own), the lump sum of a one-off payment —
  kept in whole fen (分) and shown in yuan as ``Decimal``;
* **winners** (the reform pays more), **losers** (it pays less), **unchanged** rows and
  **undetermined** ones (an input is unknown, so the decision is undetermined under either
  book: such a row is not classed, and adds nothing to the cost on the side where it is
  undetermined); winners + losers + unchanged + undetermined = rows;
* **newly eligible** (not eligible under the baseline, eligible under the reform) and **no
  longer eligible** rows (the other way round), which are counted among the winners and the
  losers whenever an amount goes with the eligibility;
* the distribution of the change among the rows whose amount changed
  (:meth:`Impact.quantiles`: deciles by default, exact fen amounts of actual rows).

In **total** a row is the person: their amounts added over the rules compared; a row
undetermined for any of those rules is undetermined in total, and a row is newly eligible in
total when no compared rule pays it under the baseline and some rule does under the reform.

The rules compared are by default all that the columns can feed
(:func:`~veteran_affairs.rules.batch.rules_for`): on a table of veterans the disability
pension, the one-off payment and, where the columns say age, hukou and statuses, the living
allowance. A table may mix veterans, survivors and serving members (the ``subject_kind``
column that :func:`~veteran_affairs.rules.batch.columns_from` writes): each rule then decides
the rows of the subject types it decides on, and the other rows are not its subjects (not
eligible, nothing paid), so all five money rules can be costed over one population.

The same figures are kept per division code of the rows (户籍地, the 12-digit code each row
is registered at), so that :meth:`WhatIf.by_division` totals them for every unit of a
:class:`~veteran_affairs.hierarchy.DivisionTree` — a row counts at its unit or the nearest
ancestor in the tree, and rows of codes outside it in ``Report.unplaced`` — as a standard
:class:`~veteran_affairs.hierarchy.Report` (rolled up by
:func:`~veteran_affairs.hierarchy.build_report`, so the report's drill-down, level views,
``by_level`` summaries, CSV, text and notebook renderings all apply).

Results add up: the what-if of two halves of a population, added with ``+``, equals the
what-if of the whole (:meth:`WhatIf.__add__`), so a population kept in partitions can be
compared partition by partition.

A reform book's figures are the user's, and a what-if is never law: label its citations so
(``"hypothetical what-if, not law"``). Any figure a book lacks for a row that needs it raises
the error the batch path raises (:class:`~veteran_affairs.errors.ParameterError`, the same
class and key), its message naming the rule and the side (baseline or reform).

This module needs numpy (the ``batch`` extra); pandas only for :meth:`WhatIf.to_dataframe`
and DataFrame input. Both are imported when first needed.

>>> import datetime as dt
>>> import numpy as np
>>> from veteran_affairs.rules import RuleBook
>>> baseline = RuleBook.load("national")
>>> reform = baseline.with_parameters({  # hypothetical test input, not law
...     "disability_pension.annual_standard": {
...         "effective_from": "2020-08-01",
...         "value": {"in-combat": {"3": "84700"}},
...         "citation": {"document": "what-if (hypothetical test input, not law)"},
...     }
... })
>>> columns = {
...     "disability_grade": np.array([3, 0], dtype=np.int8),
...     "disability_nature": np.array([0, -1], dtype=np.int8),
...     "disability_assessed_on": np.array(["2010-05-01", "NaT"], dtype="datetime64[D]"),
...     "mental_disorder": np.array([False, False]),
...     "centrally_supported": np.array([0, -1], dtype=np.int8),
...     "discharged_on": np.array(["2009-12-01", "2012-12-01"], dtype="datetime64[D]"),
...     "died_on": np.array(["NaT", "NaT"], dtype="datetime64[D]"),
...     "cancelled_from": np.array(["NaT", "NaT"], dtype="datetime64[D]"),
...     "expelled_from": np.array(["NaT", "NaT"], dtype="datetime64[D]"),
...     "suspended_from": np.array(["NaT", "NaT"], dtype="datetime64[D]"),
...     "suspended_until": np.array(["NaT", "NaT"], dtype="datetime64[D]"),
... }
>>> result = compare_population(
...     baseline, reform, columns, on=dt.date(2021, 1, 6),
...     divisions=["450312100000", "450305000000"],
... )
>>> result.rules
('disability_pension',)
>>> total = result.total
>>> total.baseline, total.reform, total.change
(Decimal('77000.00'), Decimal('84700.00'), Decimal('7700.00'))
>>> total.winners, total.losers, total.unchanged, total.undetermined
(1, 0, 1, 0)
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from veteran_affairs._optional import numpy_for
from veteran_affairs.errors import (
    InconsistentRecord,
    InvalidDivisionCode,
    InvalidValue,
    ParameterError,
    VeteranAffairsError,
)
from veteran_affairs.hierarchy import Column, DivisionTree, FigureKind, LevelSummary, Report
from veteran_affairs.hierarchy import build_report as _build_report
from veteran_affairs.identity import DivisionCode
from veteran_affairs.money import from_fen

if TYPE_CHECKING:
    import numpy.typing as npt

    from veteran_affairs.rules import RuleBook

    Array = npt.NDArray[Any]

__all__ = ["FIGURES", "REPORT_COLUMNS", "TOTAL", "Impact", "WhatIf", "compare_population"]


def __dir__() -> list[str]:
    return __all__


TOTAL = "total"
"""The name of the figures of all compared rules together (合计), beside the rules' names."""

FIGURES: tuple[str, ...] = (
    "rows",
    "baseline_fen",
    "reform_fen",
    "winners",
    "losers",
    "unchanged",
    "newly_eligible",
    "no_longer_eligible",
    "undetermined",
)
"""The additive figures kept per division code and rule, in order (see :class:`Impact`)."""

_ROWS, _BASELINE, _REFORM, _WINNERS, _LOSERS, _UNCHANGED, _NEWLY, _GONE, _UNDETERMINED = range(
    len(FIGURES)
)

REPORT_COLUMNS: tuple[Column, ...] = (
    Column(key="rows", label="rows", label_zh="人数"),
    Column(key="baseline", label="baseline cost", label_zh="基准支出", kind=FigureKind.MONEY),
    Column(key="reform", label="reform cost", label_zh="调整后支出", kind=FigureKind.MONEY),
    Column(key="change", label="change", label_zh="支出变化", kind=FigureKind.MONEY),
    Column(key="winners", label="winners", label_zh="增发人数"),
    Column(key="losers", label="losers", label_zh="减发人数"),
    Column(key="unchanged", label="unchanged", label_zh="不变人数"),
    Column(key="newly_eligible", label="newly eligible", label_zh="新增符合人数"),
    Column(key="no_longer_eligible", label="no longer eligible", label_zh="不再符合人数"),
    Column(key="undetermined", label="undetermined", label_zh="待核实人数"),
)
"""The columns of :meth:`WhatIf.by_division` (amounts in yuan)."""

_SIDES = {"baseline": "基准", "reform": "改革方案"}


def _numpy() -> Any:
    """numpy, or an ImportError that says which extra to install."""
    return numpy_for(
        "population what-ifs (veteran_affairs.whatif) run on the batch path and need numpy"
    )


# --- one rule's (or the total's) figures ------------------------------------------------------


@attrs.frozen(kw_only=True)
class Impact:
    """The figures of one rule (or of :data:`TOTAL`) over a population (测算结果).

    Attributes:
        rule: the rule's name, or :data:`TOTAL`.
        rows: the rows compared (persons).
        baseline_fen: the cost under the baseline book, in fen: the sum of the amounts.
        reform_fen: the cost under the reform book, in fen.
        winners: rows the reform pays more (增发).
        losers: rows the reform pays less (减发).
        unchanged: rows paid the same under both books (including rows paid by neither).
        newly_eligible: rows not eligible under the baseline and eligible under the reform.
        no_longer_eligible: rows eligible under the baseline and not under the reform.
        undetermined: rows undetermined under either book (not classed).
        changes: the change per row among winners and losers, as ``(change in fen, rows)``
            pairs in increasing order of change.

    >>> impact = Impact(rule="total", rows=3, baseline_fen=100, reform_fen=250, winners=1,
    ...                 losers=0, unchanged=2, changes=((150, 1),))
    >>> impact.change, impact.quantiles(2)
    (Decimal('1.50'), (Decimal('1.50'), Decimal('1.50'), Decimal('1.50')))
    """

    rule: str
    rows: int
    baseline_fen: int
    reform_fen: int
    winners: int = 0
    losers: int = 0
    unchanged: int = 0
    newly_eligible: int = 0
    no_longer_eligible: int = 0
    undetermined: int = 0
    changes: tuple[tuple[int, int], ...] = attrs.field(default=(), repr=False)

    def __attrs_post_init__(self) -> None:
        classed = self.winners + self.losers + self.unchanged + self.undetermined
        if classed != self.rows:
            raise InconsistentRecord(
                "rows/winners/losers/unchanged/undetermined",
                f"{self.rows} rows, {classed} classed",
                "every row is a winner, a loser, unchanged or undetermined",
                "增发、减发、不变与待核实人数之和应等于人数",
            )

    @property
    def change_fen(self) -> int:
        """The change of the cost, reform minus baseline, in fen."""
        return self.reform_fen - self.baseline_fen

    @property
    def baseline(self) -> Decimal:
        """The cost under the baseline book, in yuan."""
        return from_fen(self.baseline_fen)

    @property
    def reform(self) -> Decimal:
        """The cost under the reform book, in yuan."""
        return from_fen(self.reform_fen)

    @property
    def change(self) -> Decimal:
        """The change of the cost, in yuan (negative: a saving)."""
        return from_fen(self.change_fen)

    @property
    def largest_gain(self) -> Decimal | None:
        """The largest rise of one row's amount, in yuan; ``None`` without winners."""
        top = self.changes[-1][0] if self.changes else 0
        return from_fen(top) if top > 0 else None

    @property
    def largest_loss(self) -> Decimal | None:
        """The largest fall of one row's amount, in yuan (negative); ``None`` without losers."""
        bottom = self.changes[0][0] if self.changes else 0
        return from_fen(bottom) if bottom < 0 else None

    def quantiles(self, parts: int = 10) -> tuple[Decimal, ...]:
        """The change at each ``k/parts`` of the rows whose amount changed, in yuan.

        ``parts + 1`` values, from the smallest change (k = 0) to the largest (k = parts):
        deciles by default. Each is the change of an actual row (nearest rank: the
        ``ceil(k × n / parts)``-th smallest of the ``n`` changes, the first for k = 0), so
        no figure is interpolated. Empty when no amount changed.

        Raises:
            InvalidValue: ``parts`` is less than 1.
        """
        if parts < 1:
            raise InvalidValue("parts", str(parts), "must be 1 or more", "应不小于1")
        total = sum(rows for _, rows in self.changes)
        if not total:
            return ()
        found: list[Decimal] = []
        position, seen = 0, self.changes[0][1]
        for k in range(parts + 1):
            rank = max(1, -(-k * total // parts))
            while seen < rank:
                position += 1
                seen += self.changes[position][1]
            found.append(from_fen(self.changes[position][0]))
        return tuple(found)

    def figures(self) -> dict[str, int]:
        """The additive figures by the names of :data:`FIGURES`."""
        return {name: getattr(self, name) for name in FIGURES}

    def __add__(self, other: Impact) -> Impact:
        """The figures of two disjoint sets of rows together (the rule must be the same)."""
        if not isinstance(other, Impact):
            return NotImplemented
        if other.rule != self.rule:
            raise InconsistentRecord(
                "rule", f"{self.rule} + {other.rule}", "only one rule's figures add", "规则不同"
            )
        return _impact(
            self.rule,
            [getattr(self, name) + getattr(other, name) for name in FIGURES],
            _merged_changes(self.changes, other.changes),
        )


def _impact(rule: str, sums: Sequence[int], changes: tuple[tuple[int, int], ...] = ()) -> Impact:
    """An :class:`Impact` from its figures in :data:`FIGURES` order."""
    return Impact(
        rule=rule,
        rows=int(sums[_ROWS]),
        baseline_fen=int(sums[_BASELINE]),
        reform_fen=int(sums[_REFORM]),
        winners=int(sums[_WINNERS]),
        losers=int(sums[_LOSERS]),
        unchanged=int(sums[_UNCHANGED]),
        newly_eligible=int(sums[_NEWLY]),
        no_longer_eligible=int(sums[_GONE]),
        undetermined=int(sums[_UNDETERMINED]),
        changes=changes,
    )


def _merged_changes(
    *listed: Iterable[tuple[int, int]],
) -> tuple[tuple[int, int], ...]:
    counts: Counter[int] = Counter()
    for changes in listed:
        for change, rows in changes:
            counts[change] += rows
    return tuple(sorted((change, rows) for change, rows in counts.items() if rows))


# --- the result -------------------------------------------------------------------------------


def _as_rules(rules: Iterable[str]) -> tuple[str, ...]:
    return tuple(rules)


def _as_codes(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(codes)


@attrs.frozen(kw_only=True, eq=False)
class WhatIf:
    """The cost and the winners and losers of a reform over a population (人群测算).

    Made by :func:`compare_population`. Read :attr:`total` and :meth:`impact` for the
    figures, :meth:`by_division` and :meth:`by_level` for them by unit and level; render
    with :meth:`to_text`, :meth:`to_markdown`, :meth:`to_rows` or :meth:`to_dataframe`.
    Two results add (``+``) when they are of the same rules and date and of disjoint rows.

    Attributes:
        on: the evaluation date.
        rules: the rules compared, in order.
        codes: the distinct 12-digit division codes of the rows, sorted (``""``: rows
            without a code, counted outside every tree).
        figures: an int64 array of shape (codes, rules + 1, ``len(FIGURES)``): per code,
            per rule (then the total, last), the figures of :data:`FIGURES`.
        changes: per rule (then the total), the ``(change in fen, rows)`` pairs of
            :attr:`Impact.changes`.
    """

    on: dt.date
    rules: tuple[str, ...] = attrs.field(converter=_as_rules)
    codes: tuple[str, ...] = attrs.field(converter=_as_codes, repr=False)
    figures: Array = attrs.field(repr=False)
    changes: tuple[tuple[tuple[int, int], ...], ...] = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        expected = (len(self.codes), len(self.rules) + 1, len(FIGURES))
        if tuple(self.figures.shape) != expected or len(self.changes) != len(self.rules) + 1:
            raise InvalidValue(
                "figures",
                str(tuple(self.figures.shape)),
                f"expected shape {expected} and {len(self.rules) + 1} change lists",
                "测算数据形状不符",
            )

    # --- reading ---------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        """The rows compared."""
        return int(self.figures[:, 0, _ROWS].sum())

    def _block(self, rule: str) -> int:
        if rule == TOTAL:
            return len(self.rules)
        try:
            return self.rules.index(rule)
        except ValueError:
            raise InvalidValue(
                "rule",
                rule,
                f"not among the rules compared: {', '.join(self.rules)} or {TOTAL}",
                "不在测算的规则之中",
            ) from None

    def impact(self, rule: str = TOTAL) -> Impact:
        """The figures of ``rule`` (or of :data:`TOTAL`) over every row."""
        block = self._block(rule)
        sums: list[int] = self.figures[:, block, :].sum(axis=0).tolist()
        return _impact(rule, sums, self.changes[block])

    @property
    def total(self) -> Impact:
        """The figures of all compared rules together (a row is the person)."""
        return self.impact(TOTAL)

    @property
    def impacts(self) -> tuple[Impact, ...]:
        """The figures of each rule, in order, then the total."""
        return (*(self.impact(rule) for rule in self.rules), self.total)

    def by_code(self, rule: str = TOTAL) -> dict[str, Impact]:
        """The figures of ``rule`` per division code of the rows (no distribution)."""
        block = self._block(rule)
        return {
            code: _impact(rule, row)
            for code, row in zip(self.codes, self.figures[:, block, :].tolist(), strict=True)
        }

    # --- by division and level -------------------------------------------------------------

    def by_division(self, tree: DivisionTree, rule: str = TOTAL) -> Report:
        """The figures of ``rule`` for every unit of ``tree`` (按区划汇总), as a report.

        A row counts at the unit of its code or, when that unit is not in the tree, at the
        nearest ancestor that is; rows no unit of the tree contains are counted in the
        report's ``unplaced`` (and rows without a code too). Each unit's figures are those
        of its whole subtree; ``report.by_level()`` gives the own figures per level
        (:meth:`by_level`). Amounts are in yuan.
        """
        block = self._block(rule)
        own: dict[str, list[int]] = {}
        unplaced = 0
        for code, row in zip(self.codes, self.figures[:, block, :].tolist(), strict=True):
            unit = tree.locate(code) if code else None
            if unit is None:
                unplaced += row[_ROWS]
                continue
            vector = own.setdefault(unit.code.value, [0] * len(FIGURES))
            for k, value in enumerate(row):
                vector[k] += value
        label = "all rules compared" if rule == TOTAL else rule
        label_zh = "全部测算规则" if rule == TOTAL else rule
        return _build_report(
            tree,
            {code: _report_vector(vector) for code, vector in own.items()},
            kind="whatif",
            title=f"Cost and winners/losers of a parameter change: {label}",
            title_zh=f"参数调整测算：{label_zh}",
            columns=REPORT_COLUMNS,
            as_of=self.on,
            notes=(
                "a what-if: reform book against baseline book, not a decision (测算，非决定)",
                (
                    "amounts: the decisions' amounts — yearly for periodic payments, the "
                    "lump sum for one-off payments (金额为年度金额或一次性金额)"
                ),
                (
                    f"{self.rows} row(s) compared; undetermined rows add nothing on the side "
                    "where they are undetermined"
                ),
            ),
            unplaced=unplaced,
        )

    def by_level(self, tree: DivisionTree, rule: str = TOTAL) -> tuple[LevelSummary, ...]:
        """The figures of ``rule`` per level (省/市/县/乡/村) of ``tree``: each level's units'
        own rows added together, so the levels add up to the rows placed in the tree."""
        return self.by_division(tree, rule).by_level()

    # --- adding ----------------------------------------------------------------------------

    def __add__(self, other: WhatIf) -> WhatIf:
        """The what-if of two disjoint sets of rows together (same rules and date)."""
        if not isinstance(other, WhatIf):
            return NotImplemented
        if (self.on, self.rules) != (other.on, other.rules):
            raise InconsistentRecord(
                "on/rules",
                f"{self.on} {','.join(self.rules)} + {other.on} {','.join(other.rules)}",
                "only what-ifs of the same date and rules add",
                "日期或规则不同，不能相加",
            )
        np = _numpy()
        codes = tuple(sorted({*self.codes, *other.codes}))
        position = {code: i for i, code in enumerate(codes)}
        figures = np.zeros((len(codes), *self.figures.shape[1:]), dtype=np.int64)
        for part in (self, other):
            at = np.fromiter(map(position.__getitem__, part.codes), np.intp, len(part.codes))
            figures[at] += part.figures
        return WhatIf(
            on=self.on,
            rules=self.rules,
            codes=codes,
            figures=figures,
            changes=tuple(
                _merged_changes(mine, theirs)
                for mine, theirs in zip(self.changes, other.changes, strict=True)
            ),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WhatIf):
            return NotImplemented
        return (
            (self.on, self.rules, self.codes, self.changes)
            == (other.on, other.rules, other.codes, other.changes)
            and self.figures.shape == other.figures.shape
            and bool((self.figures == other.figures).all())
        )

    __hash__ = None  # type: ignore[assignment]

    # --- rendering -------------------------------------------------------------------------

    def to_rows(self, *, quantiles: int = 10) -> list[dict[str, Any]]:
        """One plain row per rule, then the total: the figures (amounts in yuan) and the
        quantiles of the change (``q0`` … ``q{quantiles}``, ``None`` where nothing changed)."""
        rows: list[dict[str, Any]] = []
        for impact in self.impacts:
            found = impact.quantiles(quantiles)
            row: dict[str, Any] = {
                "rule": impact.rule,
                "rows": impact.rows,
                "baseline": impact.baseline,
                "reform": impact.reform,
                "change": impact.change,
                "winners": impact.winners,
                "losers": impact.losers,
                "unchanged": impact.unchanged,
                "newly_eligible": impact.newly_eligible,
                "no_longer_eligible": impact.no_longer_eligible,
                "undetermined": impact.undetermined,
            }
            for k in range(quantiles + 1):
                row[f"q{k}"] = found[k] if found else None
            rows.append(row)
        return rows

    def to_dataframe(self, *, quantiles: int = 10) -> Any:
        """:meth:`to_rows` as a pandas DataFrame indexed by rule (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed (``pip install 'veteran-affairs[pandas]'``).
        """
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(
                "WhatIf.to_dataframe needs pandas: pip install 'veteran-affairs[pandas]'"
            ) from error
        return pd.DataFrame(self.to_rows(quantiles=quantiles)).set_index("rule")

    def _table(self) -> tuple[list[str], list[list[str]]]:
        header = [
            "rule 规则",
            "rows 人数",
            "baseline 基准",
            "reform 调整后",
            "change 变化",
            "winners 增发",
            "losers 减发",
            "unchanged 不变",
            "newly eligible 新增",
            "no longer 不再符合",
            "undetermined 待核实",
        ]
        body = [
            [
                impact.rule,
                f"{impact.rows:,}",
                f"{impact.baseline:,.2f}",
                f"{impact.reform:,.2f}",
                f"{impact.change:+,.2f}",
                f"{impact.winners:,}",
                f"{impact.losers:,}",
                f"{impact.unchanged:,}",
                f"{impact.newly_eligible:,}",
                f"{impact.no_longer_eligible:,}",
                f"{impact.undetermined:,}",
            ]
            for impact in self.impacts
        ]
        return header, body

    def _spread(self) -> list[str]:
        lines = []
        for impact in self.impacts:
            found = impact.quantiles(10)
            if found:
                shown = ", ".join(f"{value:+,.2f}" for value in found)
                lines.append(f"{impact.rule}: {shown}")
        return lines

    def _title(self) -> str:
        return f"Parameter change over {self.rows:,} rows on {self.on} (参数调整测算, yuan/元)"

    def to_text(self) -> str:
        """An aligned plain-text table of the figures, then the deciles of the change."""
        header, body = self._table()
        widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]
        lines = [self._title()]
        for row in [header, *body]:
            cells = [
                _pad(cell, width, right=i > 0)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
        spread = self._spread()
        if spread:
            lines.append("Change per row among those whose amount changed, deciles (变化分布):")
            lines.extend(f"  {line}" for line in spread)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """A Markdown table of the figures, then the deciles of the change."""
        header, body = self._table()
        lines = [
            f"**{self._title()}**",
            "",
            "| " + " | ".join(header) + " |",
            "| --- |" + " ---: |" * (len(header) - 1),
        ]
        lines.extend("| " + " | ".join(row) + " |" for row in body)
        spread = self._spread()
        if spread:
            lines.extend(["", "Deciles of the change per row among those whose amount changed:"])
            lines.extend(f"- {line}" for line in spread)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header, body = self._table()
        parts = [
            "<table>",
            f"<caption>{html.escape(self._title())}</caption>",
            "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header),
            "</tr></thead><tbody>",
        ]
        parts.extend(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in body
        )
        parts.append("</tbody></table>")
        parts.extend(f"<p>{html.escape(line)}</p>" for line in self._spread())
        return "".join(parts)

    def __str__(self) -> str:
        return self.to_text()


def _report_vector(vector: Sequence[int]) -> list[int | Decimal]:
    """One unit's own figures in :data:`REPORT_COLUMNS` order (yuan for the amounts)."""
    baseline, reform = vector[_BASELINE], vector[_REFORM]
    return [
        vector[_ROWS],
        from_fen(baseline),
        from_fen(reform),
        from_fen(reform - baseline),
        vector[_WINNERS],
        vector[_LOSERS],
        vector[_UNCHANGED],
        vector[_NEWLY],
        vector[_GONE],
        vector[_UNDETERMINED],
    ]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


# --- comparing --------------------------------------------------------------------------------


def _as_arrays(columns: Any) -> dict[str, Any]:
    """Batch columns from a mapping of arrays or a pandas DataFrame (by column name)."""
    if isinstance(columns, Mapping):
        return dict(columns)
    names = getattr(columns, "columns", None)
    if names is None or not hasattr(columns, "__getitem__"):
        raise InvalidValue(
            "columns",
            type(columns).__name__,
            "expected a mapping of arrays or a pandas DataFrame",
            "应为数组字典或 DataFrame",
        )
    return {str(name): columns[name].to_numpy() for name in names}


def _length(data: Mapping[str, Any]) -> int:
    np = _numpy()
    lengths = {len(np.asarray(array)) for array in data.values()}
    if len(lengths) != 1:
        raise InvalidValue(
            "columns",
            f"lengths {sorted(lengths)}" if lengths else "none",
            "expected equal-length columns, at least one",
            "各列长度应相同且至少一列",
        )
    return lengths.pop()


def _subject_kinds(data: Mapping[str, Any]) -> Array | None:
    """Each row's ``subject_kind`` code, or ``None`` when the table has no such column."""
    if "subject_kind" not in data:
        return None
    np = _numpy()
    kinds: Array = np.asarray(data["subject_kind"])
    return kinds


def _rows_of(rule: str, kinds: Array | None) -> Array | None:
    """The rows ``rule`` decides in a table mixing subject types (``None``: every row).

    A row of a subject type the rule does not decide (a survivor for the disability
    pension) is left out. Every row is kept when none is left out or none would be kept (then
    :func:`~veteran_affairs.rules.batch.evaluate_batch` says why the rule cannot decide them),
    and so are rows with a code that is no subject type (the batch path refuses it).
    """
    from veteran_affairs.rules.batch import BATCH_RULES, SUBJECT_KINDS

    twin = BATCH_RULES.get(rule)
    if kinds is None or twin is None:
        return None
    np = _numpy()
    others = [code for code, kind in enumerate(SUBJECT_KINDS) if kind not in twin.subjects]
    rows: Array = ~np.isin(kinds, others)
    return None if rows.all() or not rows.any() else rows


def _chosen_rules(
    rules: Sequence[str] | str | None,
    data: Mapping[str, Any],
    kinds: Array | None,
    baseline: RuleBook,
    reform: RuleBook,
) -> tuple[str, ...]:
    from veteran_affairs.rules.batch import BATCH_RULES, rules_for

    if isinstance(rules, str):
        return (rules,)
    if rules is not None:
        return tuple(dict.fromkeys(rules))
    np = _numpy()
    chosen: list[str] = []
    for name in BATCH_RULES:
        if name not in baseline.rules or name not in reform.rules:
            continue
        rows = _rows_of(name, kinds)
        if kinds is not None and rows is not None:
            # rules_for reads the codes of subject_kind and the columns' names only.
            data = {**data, "subject_kind": np.unique(kinds[rows])}
        if rules_for(data, (name,)):
            chosen.append(name)
    if not chosen:
        raise InvalidValue(
            "columns",
            ", ".join(sorted(data)) or "none",
            "the columns feed no rule of the batch path; see veteran_affairs.rules.batch.COLUMNS",
            "这些数据列不足以计算任何批量规则",
        )
    return tuple(chosen)


def _division_index(
    divisions: Any, data: Mapping[str, Any], size: int
) -> tuple[tuple[str, ...], Array]:
    """The distinct 12-digit codes of the rows, sorted, and each row's index among them.

    ``None`` or an empty text is "no code" (``""``). A code given in 6 digits is the same
    unit as its 12-digit form. Invalid codes are refused together, with their rows.
    """
    np = _numpy()
    if divisions is None:
        return ("",), np.zeros(size, dtype=np.intp)
    raw = data[divisions] if isinstance(divisions, str) and divisions in data else divisions
    if isinstance(raw, str):
        raise InvalidValue(
            "divisions",
            raw,
            "expected one code per row, or the name of a column of codes",
            "应为每行一个区划代码，或区划代码列名",
        )
    values = raw.tolist() if hasattr(raw, "tolist") else list(raw)
    if len(values) != size:
        raise InvalidValue(
            "divisions",
            f"{len(values)} rows",
            f"expected {size} codes, one per row",
            "区划代码数与行数不一致",
        )
    first = dict.fromkeys(values)
    number = {value: i for i, value in enumerate(first)}
    index = np.fromiter(map(number.__getitem__, values), np.intp, size)
    normalised: list[str] = []
    bad: list[int] = []
    for i, value in enumerate(first):
        if value is None or value == "" or value != value:  # None, empty or NaN: no code
            normalised.append("")
            continue
        try:
            normalised.append(DivisionCode(str(value)).value)
        except ValueError:
            normalised.append("")
            bad.append(i)
    if bad:
        rows = np.flatnonzero(np.isin(index, bad))
        error = InvalidDivisionCode(
            "divisions",
            f"{len(bad)} code(s), e.g. {list(first)[bad[0]]!s}",
            "not a division code (6 or 12 digits, GB/T 2260 or the statistical code)",
            "区划代码无效",
        )
        shown = ", ".join(str(int(row)) for row in rows[:10])
        more = f" and {rows.size - 10} more" if rows.size > 10 else ""
        error.add_note(f"rows {shown}{more} (行号从0起)")
        raise error
    codes = tuple(sorted(set(normalised)))
    position = {code: i for i, code in enumerate(codes)}
    remap = np.fromiter((position[code] for code in normalised), np.intp, len(normalised))
    found: Array = remap.take(index)
    return codes, found


def _decided(
    book: RuleBook,
    rule: str,
    data: Mapping[str, Any],
    on: dt.date,
    side: str,
    rows: Array | None = None,
) -> dict[str, Array]:
    """``eligible`` and ``amount_fen`` of ``rule`` under one book, for every row.

    Only ``rows`` are decided when given (a table mixing subject types); the others are not
    the rule's subjects: not eligible, nothing paid. An error names the rule and the side.
    """
    from veteran_affairs.rules.batch import evaluate_batch

    where = f"rule {rule}, {side} book ({_SIDES[side]})"
    if rows is not None:
        np = _numpy()
        data = {name: np.asarray(values)[rows] for name, values in data.items()}
    try:
        decided = evaluate_batch(book, rule, data, on=on)
    except ParameterError as error:
        raise type(error)(error.key, error.on, f"{error.detail} [{where}]") from error
    except (VeteranAffairsError, ExceptionGroup) as error:
        error.add_note(where)
        if rows is not None:
            error.add_note(
                "row numbers count only the rows of the subject types the rule decides "
                "(行号仅计该规则适用对象类型的行)"
            )
        raise
    if rows is None:
        return decided
    np = _numpy()
    eligible = np.zeros(len(rows), dtype=decided["eligible"].dtype)
    amount = np.zeros(len(rows), dtype=np.int64)
    eligible[rows] = decided["eligible"]
    amount[rows] = decided["amount_fen"]
    return {"eligible": eligible, "amount_fen": amount}


def compare_population(
    baseline: RuleBook,
    reform: RuleBook,
    columns: Mapping[str, Any] | Any,
    *,
    on: dt.date,
    divisions: Any = None,
    rules: Sequence[str] | str | None = None,
) -> WhatIf:
    """Compare two rule books over a population on the batch path (人群测算).

    Args:
        baseline: the book in force (基准), e.g. ``RuleBook.load("guangxi")``.
        reform: the book with the changed parameters (改革方案), e.g.
            ``baseline.with_parameters("reform.toml")``.
        columns: the batch columns (:data:`veteran_affairs.rules.batch.COLUMNS`): a mapping
            of equal-length arrays, as ``columns_from`` builds, or a pandas DataFrame.
        on: the evaluation date.
        divisions: each row's division code (户籍地; 12-digit or 6-digit text, ``None``
            for none): a sequence or array, or the name of a column of ``columns``. Without
            it, every row is counted outside every tree.
        rules: the rules to compare; by default every rule of
            :data:`~veteran_affairs.rules.batch.BATCH_RULES` (that both books have) which
            :func:`~veteran_affairs.rules.batch.rules_for` finds can decide the rows of the
            subject types it decides on: every column those rows need is present. In a table
            mixing subject types (``subject_kind``, as ``columns_from`` builds it), a rule
            decides the rows of its own types only (the disability pension the veterans,
            the survivors' pension the survivors …); the other rows are not its subjects:
            not eligible, nothing paid, counted as unchanged for it.

    Returns:
        The :class:`WhatIf`.

    Raises:
        ParameterError: a figure a row needs is unknown in one book (the batch path's
            error, same class and key; its message names the rule and the side).
        ExceptionGroup: of :class:`~veteran_affairs.errors.InvalidValue`, the column
            problems the batch path finds (with a note naming the rule and the side).
        UnknownRule: a rule not on the batch path or not in a book.
        InvalidDivisionCode: codes that are not division codes (a note lists the rows).
        InvalidValue: columns of unequal lengths, none that feed a rule, or a number of
            division codes other than the rows.
    """
    np = _numpy()
    data = _as_arrays(columns)
    size = _length(data)
    kinds = _subject_kinds(data)
    chosen = _chosen_rules(rules, data, kinds, baseline, reform)
    codes, index = _division_index(divisions, data, size)
    width = len(codes)
    figures = np.zeros((width, len(chosen) + 1, len(FIGURES)), dtype=np.int64)
    figures[:, :, _ROWS] = np.bincount(index, minlength=width)[:, None]
    changes: list[tuple[tuple[int, int], ...]] = []

    def count(block: int, figure: int, rows: Array) -> None:
        figures[:, block, figure] = np.bincount(index[rows], minlength=width)

    def add(block: int, figure: int, amounts: Array) -> None:
        np.add.at(figures[:, block, figure], index, amounts)

    def tally(block: int, before: Array, after: Array, undetermined: Array) -> None:
        add(block, _BASELINE, before)
        add(block, _REFORM, after)
        change = after - before
        determined = ~undetermined
        gains = determined & (change > 0)
        falls = determined & (change < 0)
        count(block, _WINNERS, gains)
        count(block, _LOSERS, falls)
        count(block, _UNCHANGED, determined & (change == 0))
        count(block, _UNDETERMINED, undetermined)
        values, rows = np.unique(change[gains | falls], return_counts=True)
        changes.append(tuple(zip(values.tolist(), rows.tolist(), strict=True)))

    total_before = np.zeros(size, dtype=np.int64)
    total_after = np.zeros(size, dtype=np.int64)
    any_undetermined = np.zeros(size, dtype=np.bool_)
    paid_before = np.zeros(size, dtype=np.bool_)
    paid_after = np.zeros(size, dtype=np.bool_)
    for block, rule in enumerate(chosen):
        rows = _rows_of(rule, kinds)
        before = _decided(baseline, rule, data, on, "baseline", rows)
        after = _decided(reform, rule, data, on, "reform", rows)
        was, now = before["eligible"], after["eligible"]
        undetermined = (was < 0) | (now < 0)
        tally(block, before["amount_fen"], after["amount_fen"], undetermined)
        count(block, _NEWLY, (was == 0) & (now == 1))
        count(block, _GONE, (was == 1) & (now == 0))
        total_before += before["amount_fen"]
        total_after += after["amount_fen"]
        any_undetermined |= undetermined
        paid_before |= was == 1
        paid_after |= now == 1
    last = len(chosen)
    tally(last, total_before, total_after, any_undetermined)
    settled = ~any_undetermined
    count(last, _NEWLY, settled & ~paid_before & paid_after)
    count(last, _GONE, settled & paid_before & ~paid_after)
    return WhatIf(on=on, rules=chosen, codes=codes, figures=figures, changes=tuple(changes))
