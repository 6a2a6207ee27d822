"""Reports over the division tree (统计报表): values with rows, drill-down and renderings.

Every standard report (station coverage, plaques, population, assistance, offices, activity
compliance) is a :class:`Report`: one :class:`ReportRow` per unit of the tree, in pre-order,
each with the unit's code, name, level, depth and its figures for the *whole subtree* (the
unit and everything inside it). Additive figures are sums; a rate (:attr:`FigureKind.RATE`)
is recomputed from the summed numerator and denominator, never averaged.

A report is a value: iterate it, index it by code, restrict it to a subtree
(:meth:`Report.subtree` — the same rows a report built on that subtree alone would have),
drill down one level (:meth:`Report.drill_down`), take the units of one level under their
total row (:meth:`Report.at_level`: the cities below the province's line, 合计), summarise
it per level (:meth:`Report.by_level`), and render it as plain rows
(:meth:`Report.to_rows`), a pandas ``DataFrame`` (:meth:`Report.to_dataframe`, needs the
``pandas`` extra), CSV, a text table (:meth:`Report.to_text`) or HTML in a notebook
(``_repr_html_``); each rendering lists the total rows first.

>>> from veteran_affairs.hierarchy import DivisionTree, ServiceNetwork
>>> tree = DivisionTree.bundled("45").restrict("450312")
>>> report = ServiceNetwork(tree, []).coverage()
>>> row = report["450312"]
>>> row.name, row["required"], row["built"], row["rate"]
('临桂区', 12, 0, 0.0)
>>> len(report.drill_down("450312"))
12
>>> townships = report.at_level(DivisionLevel.TOWNSHIP)
>>> len(townships), townships.totals == (row,)
(11, True)
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import html
import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any, TypeAlias, overload

import attrs

from veteran_affairs.errors import UnknownDivision
from veteran_affairs.hierarchy._rollup import Vector, add_into, rate, roll_up, zeros
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode, DivisionLevel

__all__ = ["Column", "FigureKind", "LevelSummary", "Report", "ReportRow", "build_report"]


def __dir__() -> list[str]:
    return __all__


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""Text starting so is quoted in CSV, as ``rosters`` quotes it (OWASP CSV injection)."""


def _csv_cell(value: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: a ``'`` before formula-like text.

    Finite numbers stay numbers (``-3`` is not a formula); a non-finite one is text.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal | float) and not (
        value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    ):
        value = str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


Figure: TypeAlias = int | Decimal | float | None
"""A figure: a count (int), an amount or area (Decimal), a rate (float in [0, 1] or None)."""


class FigureKind(enum.Enum):
    """What a column holds, which decides how it is summed and shown."""

    COUNT = "count"  # 数量 (int, summed)
    MONEY = "money"  # 金额 (Decimal yuan, summed)
    AREA = "area"  # 面积 (Decimal m², summed)
    RATE = "rate"  # 比率 (numerator ÷ denominator of the summed figures)

    @property
    def label_zh(self) -> str:
        return {"count": "数量", "money": "金额", "area": "面积", "rate": "比率"}[self.value]


@attrs.frozen(kw_only=True)
class Column:
    """One figure of a report: its key, labels, kind and, for a rate, what it divides.

    >>> Column(key="rate", label="coverage", label_zh="应建尽建率", kind=FigureKind.RATE,
    ...        numerator="built", denominator="required").kind.label_zh
    '比率'
    """

    key: str
    label: str
    label_zh: str
    kind: FigureKind = FigureKind.COUNT
    numerator: str | None = None
    denominator: str | None = None

    def __attrs_post_init__(self) -> None:
        is_rate = self.kind is FigureKind.RATE
        if is_rate != (self.numerator is not None and self.denominator is not None):
            raise ValueError(f"column {self.key!r}: a rate, and only a rate, names its parts")


class _Figures:
    """Figures read by column key: ``row["built"]``, and all of them as :attr:`figures`."""

    __slots__ = ()
    keys: tuple[str, ...]
    values: tuple[Figure, ...]

    def __getitem__(self, key: str) -> Figure:
        try:
            return self.values[self.keys.index(key)]
        except ValueError:
            raise KeyError(key) from None

    @property
    def figures(self) -> dict[str, Figure]:
        """The figures by column key."""
        return dict(zip(self.keys, self.values, strict=True))


@attrs.frozen(kw_only=True)
class ReportRow(_Figures):
    """One unit's figures for its whole subtree.

    ``row["built"]`` reads a figure by its column key; :attr:`figures` gives them all.
    """

    code: DivisionCode
    name: str
    level: DivisionLevel
    depth: int
    keys: tuple[str, ...] = attrs.field(repr=False)
    values: tuple[Figure, ...]


@attrs.frozen(kw_only=True)
class LevelSummary(_Figures):
    """The figures of every unit at one level taken together (按层级汇总).

    Each unit contributes its *own* figures (not its subtree's), so the summaries of all
    levels add up to the top of the tree.
    """

    level: DivisionLevel
    units: int
    keys: tuple[str, ...] = attrs.field(repr=False)
    values: tuple[Figure, ...]


class _Finisher:
    """Turns summed vectors of additive figures into row values: rates filled in, amounts
    and areas as ``Decimal`` (a unit with nothing of its own sums to the int 0).

    The plan is worked out once per report, as every one of its thousands of rows needs it.
    """

    __slots__ = ("_decimals", "_nothing", "_rates")

    def __init__(self, columns: Sequence[Column]) -> None:
        position = {c.key: i for i, c in enumerate(columns)}
        self._rates = tuple(
            (i, position[c.numerator], position[c.denominator])
            for i, c in enumerate(columns)
            if c.numerator is not None and c.denominator is not None
        )
        self._decimals = tuple(
            i for i, c in enumerate(columns) if c.kind in (FigureKind.MONEY, FigureKind.AREA)
        )
        self._nothing: tuple[Figure, ...] | None = None  # the row of a unit with nothing

    def __call__(self, vector: Sequence[Any]) -> tuple[Figure, ...]:
        if not self._rates and not self._decimals:
            return tuple(vector)
        if not any(vector) and {*map(type, vector)} == {int}:
            # Most units of a province have no case, no plaque…: finished once, shared.
            if self._nothing is None:
                self._nothing = self._finish(vector)
            return self._nothing
        return self._finish(vector)

    def _finish(self, vector: Sequence[Any]) -> tuple[Figure, ...]:
        out: list[Figure] = list(vector)
        for i, numerator, denominator in self._rates:
            out[i] = rate(vector[numerator], vector[denominator])
        for i in self._decimals:
            if type(out[i]) is int:
                out[i] = Decimal(out[i])  # type: ignore[arg-type]
        return tuple(out)


class _Rows(Sequence[ReportRow]):
    """A report's rows kept as columns; a :class:`ReportRow` is built only when asked for.

    A province's report has 17,624 rows and most callers read a handful (a unit, its
    children, the top): building them all up front would cost more than the figures.
    Rows are in pre-order, so their codes are sorted and a subtree is one run.
    """

    __slots__ = ("_codes", "_depths", "_keys", "_names", "_positions", "_values")

    def __init__(
        self,
        codes: Sequence[DivisionCode],
        names: Sequence[str],
        depths: Sequence[int],
        values: Sequence[tuple[Figure, ...]],
        keys: tuple[str, ...],
    ) -> None:
        self._codes = list(codes)
        self._names = list(names)
        self._depths = list(depths)
        self._values = list(values)
        self._keys = keys
        self._positions: dict[str, int] | None = None

    @classmethod
    def of(cls, rows: Iterable[ReportRow], keys: tuple[str, ...]) -> _Rows:
        if isinstance(rows, _Rows):
            return rows
        listed = list(rows)
        return cls(
            [r.code for r in listed],
            [r.name for r in listed],
            [r.depth for r in listed],
            [r.values for r in listed],
            keys,
        )

    def _row(self, i: int) -> ReportRow:
        code = self._codes[i]
        return ReportRow(
            code=code,
            name=self._names[i],
            level=code.level,
            depth=self._depths[i],
            keys=self._keys,
            values=self._values[i],
        )

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, index: int) -> ReportRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ReportRow]: ...
    def __getitem__(self, index: int | slice) -> ReportRow | Sequence[ReportRow]:
        if isinstance(index, slice):
            return self.select(range(len(self))[index])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)

    def __iter__(self) -> Iterator[ReportRow]:
        return (self._row(i) for i in range(len(self._codes)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Rows):
            return (
                self._codes == other._codes
                and self._names == other._names
                and self._depths == other._depths
                and self._values == other._values
                and self._keys == other._keys
            )
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self._codes), tuple(self._values)))

    def __repr__(self) -> str:
        return f"<{len(self)} report rows>"

    def position(self, code: str) -> int | None:
        """The index of the row of the 12-digit ``code``, or ``None``."""
        if self._positions is None:
            self._positions = {c.value: i for i, c in enumerate(self._codes)}
        return self._positions.get(code)

    def code(self, i: int) -> DivisionCode:
        return self._codes[i]

    def depth(self, i: int) -> int:
        return self._depths[i]

    def select(self, indices: Iterable[int], *, lift: int = 0) -> _Rows:
        """The rows at ``indices`` (in order), depths reduced by ``lift``."""
        chosen = list(indices)
        return _Rows(
            [self._codes[i] for i in chosen],
            [self._names[i] for i in chosen],
            [self._depths[i] - lift for i in chosen],
            [self._values[i] for i in chosen],
            self._keys,
        )

    def tops(self) -> Iterator[int]:
        """Indices of the rows inside no other row: the top of each run."""
        prefix: str | None = None
        for i, code in enumerate(self._codes):
            if prefix is None or not code.value.startswith(prefix):
                prefix = code.short
                yield i

    def run(self, start: int) -> range:
        """Indices of the row at ``start`` and the rows inside its unit (one contiguous run)."""
        prefix = self._codes[start].short
        codes = self._codes
        end = start + 1
        while end < len(codes) and codes[end].value.startswith(prefix):
            end += 1
        return range(start, end)


def _row_tuple(rows: Iterable[ReportRow]) -> tuple[ReportRow, ...]:
    return tuple(rows)


@attrs.frozen(kw_only=True)
class Report:
    """A report over the division tree: one row per unit, figures for its subtree.

    Attributes:
        kind: the report's key, e.g. ``"station-coverage"``.
        title: the English title; ``title_zh`` the Chinese one.
        columns: the figures, in order.
        rows: one per unit, in pre-order (a unit before the units inside it).
        as_of: the date (stocks) or the span (flows) the figures are for, as text.
        notes: what a reader must know (records left out and why, choices made).
        unplaced: records whose unit lies in no unit of the tree (counted nowhere).
        totals: the total rows (合计行) of a level view (:meth:`at_level`): the rows of the
            units the view was taken under — for a province's report, the province with
            the figures of its whole network — shown above :attr:`rows` by every
            rendering. They are rows the report already had, not sums made again; they
            are not among :attr:`rows` (``len`` and iteration leave them out).
    """

    kind: str
    title: str
    title_zh: str
    columns: tuple[Column, ...]
    rows: Sequence[ReportRow] = attrs.field(repr=False)
    as_of: str
    notes: tuple[str, ...] = ()
    unplaced: int = 0
    totals: tuple[ReportRow, ...] = attrs.field(default=(), converter=_row_tuple, repr=False)
    own: Mapping[str, tuple[Any, ...]] = attrs.field(repr=False, eq=False, factory=dict)
    _table: _Rows = attrs.field(init=False, repr=False, eq=False)

    @_table.default
    def _rows_as_columns(self) -> _Rows:
        return _Rows.of(self.rows, tuple(c.key for c in self.columns))

    # --- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ReportRow]:
        return iter(self.rows)

    def __getitem__(self, code: DivisionCode | str) -> ReportRow:
        return self._table[self._position(code)]

    def _position(self, code: DivisionCode | str) -> int:
        key = (code if isinstance(code, DivisionCode) else DivisionCode(code)).value
        found = self._table.position(key)
        if found is None:
            raise UnknownDivision(key, f"{self.kind} report")
        return found

    @property
    def keys(self) -> tuple[str, ...]:
        """The column keys, in order."""
        return tuple(c.key for c in self.columns)

    @property
    def top(self) -> tuple[ReportRow, ...]:
        """The rows of the roots (depth 0)."""
        table = self._table
        return tuple(table[i] for i in range(len(table)) if table.depth(i) == 0)

    def shown(self, figures: ReportRow | LevelSummary) -> dict[str, str]:
        """A row's (or a level's) figures by key, as the tables show them: rates as
        percentages, yuan to the fen, counts with separators, ``—`` where there is none."""
        return {
            c.key: _show(c, value) for c, value in zip(self.columns, figures.values, strict=True)
        }

    @property
    def rows_with_totals(self) -> tuple[ReportRow, ...]:
        """The rows as every rendering lists them: the :attr:`totals` (合计), then the rows."""
        return (*self.totals, *self.rows)

    # --- restricting -----------------------------------------------------------------------

    def _with_rows(
        self,
        rows: _Rows,
        own: Mapping[str, tuple[Any, ...]],
        totals: tuple[ReportRow, ...] = (),
    ) -> Report:
        return Report(
            kind=self.kind,
            title=self.title,
            title_zh=self.title_zh,
            columns=self.columns,
            rows=rows,
            as_of=self.as_of,
            notes=self.notes,
            unplaced=self.unplaced,
            totals=totals,
            own=own,
        )

    def subtree(self, code: DivisionCode | str) -> Report:
        """The rows of ``code`` and every unit inside it, with depths counted from ``code``.

        Equal to the report built from the subtree's tree and records alone.
        """
        table = self._table
        start = self._position(code)
        prefix = table.code(start).short
        own = {k: v for k, v in self.own.items() if k.startswith(prefix)}
        return self._with_rows(table.select(table.run(start), lift=table.depth(start)), own)

    def drill_down(self, code: DivisionCode | str) -> Report:
        """The row of ``code`` followed by the rows of the units directly below it (下钻)."""
        table = self._table
        start = self._position(code)
        depth = table.depth(start)
        inside = (i for i in table.run(start) if table.depth(i) <= depth + 1)
        return self._with_rows(table.select(inside), {})

    def at_level(self, level: DivisionLevel) -> Report:
        """Only the rows of units at ``level`` (e.g. every city), below their total row.

        The rows of the units the others lie in — the province for a province's report, the
        unit of a :meth:`subtree` — become the view's :attr:`totals` (合计), unless they are
        at ``level`` themselves: each holds the figures of its whole subtree, so a table of
        the cities opens with the province line. A level view of a level view keeps the
        totals it had.
        """
        table = self._table
        chosen = table.select(i for i in range(len(table)) if table.code(i).level is level)
        if self.totals:
            totals = tuple(row for row in self.totals if row.level is not level)
        else:
            totals = tuple(table[i] for i in table.tops() if table.code(i).level is not level)
        return self._with_rows(chosen, {}, totals)

    def by_level(self) -> tuple[LevelSummary, ...]:
        """Per level, the own figures of its units added together, rates recomputed."""
        width = len(self.columns)
        sums: dict[DivisionLevel, Vector] = {}
        units: dict[DivisionLevel, int] = {}
        table = self._table
        for i in range(len(table)):
            code = table.code(i)
            level = code.level
            vector = sums.setdefault(level, zeros(width))
            units[level] = units.get(level, 0) + 1
            values = self.own.get(code.value)
            if values is not None:
                add_into(vector, (0 if v is None else v for v in values))
        finish = _Finisher(self.columns)
        return tuple(
            LevelSummary(
                level=level,
                units=units[level],
                keys=self.keys,
                values=finish(sums[level]),
            )
            for level in sorted(sums)
        )

    # --- rendering -------------------------------------------------------------------------

    def to_rows(self, *, chinese_headers: bool = False) -> list[dict[str, Any]]:
        """Plain rows: ``code`` (12 digits), ``name``, ``level`` (1–5), ``depth``, figures.

        The :attr:`totals` come first (a level view of the cities opens with the province's
        row: its ``level`` and ``depth`` set it apart), then :attr:`rows`.
        """
        headers = (
            ["代码", "名称", "层级", "深度", *(c.label_zh for c in self.columns)]
            if chinese_headers
            else ["code", "name", "level", "depth", *self.keys]
        )
        return [
            dict(
                zip(headers, (r.code.value, r.name, int(r.level), r.depth, *r.values), strict=True)
            )
            for r in self.rows_with_totals
        ]

    def to_dataframe(self) -> Any:
        """The rows as a :class:`pandas.DataFrame` indexed by code (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed (``pip install 'veteran-affairs[pandas]'``).
        """
        try:
            import pandas as pd
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Report.to_dataframe needs pandas: pip install 'veteran-affairs[pandas]'"
            ) from error
        return pd.DataFrame(self.to_rows()).set_index("code")

    def to_csv(self, out: IO[str], *, chinese_headers: bool = False) -> None:
        """Write the rows as CSV (rates as fractions, amounts as plain decimals).

        No cell is ever read as a formula when the file is opened in a spreadsheet (CSV
        injection): a text cell starting with ``=``, ``+``, ``-``, ``@``, ``'``, a tab or a
        carriage return is written with a leading ``'``, as the roster writer does; numbers
        are written as they are. An unknown figure is an empty cell.
        """
        rows = self.to_rows(chinese_headers=chinese_headers)
        fields = list(rows[0]) if rows else ["code", "name", "level", "depth", *self.keys]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_csv_cell(field) for field in fields])
        writer.writerows([_csv_cell(v) for v in row.values()] for row in rows)

    def _cells(
        self, max_rows: int | None, labels: str = "both", keys: Sequence[str] | None = None
    ) -> tuple[list[str], list[list[str]], list[int], int]:
        """Header and body cells: the totals (named ``… 合计``), then at most ``max_rows``
        rows; each body row's depth (0 for a total), for the renderer to indent its name; and
        how many rows were left out. ``keys`` picks columns (default: all)."""
        if labels not in ("both", "zh", "en"):
            raise ValueError(f"labels={labels!r}: expected 'both', 'zh' or 'en'")

        def pick(zh: str, en: str) -> str:
            return {"both": f"{zh} {en}", "zh": zh, "en": en}[labels]

        if keys is None:
            positions = list(range(len(self.columns)))
        else:
            unknown = [k for k in keys if k not in self.keys]
            if unknown:
                raise KeyError(f"no column {', '.join(map(repr, unknown))} in {self.kind!r}")
            positions = [self.keys.index(k) for k in keys]
        columns = [self.columns[i] for i in positions]
        header = [
            pick("代码", "code"),
            pick("名称", "name"),
            *(pick(c.label_zh, c.label) for c in columns),
        ]
        total = pick("合计", "total")

        def cells(row: ReportRow, name: str) -> list[str]:
            figures = (_show(c, row.values[i]) for c, i in zip(columns, positions, strict=True))
            return [row.code.short, name, *figures]

        shown = self.rows if max_rows is None else self.rows[:max_rows]
        body = [cells(r, f"{r.name} {total}") for r in self.totals]
        body.extend(cells(r, r.name) for r in shown)
        depths = [0] * len(self.totals) + [r.depth for r in shown]
        return header, body, depths, len(self.rows) - len(shown)

    def to_text(
        self,
        *,
        max_rows: int | None = None,
        labels: str = "both",
        columns: Sequence[str] | None = None,
        notes: bool = True,
    ) -> str:
        """An aligned plain-text table (Chinese characters count as two columns).

        The :attr:`totals` come first, each named ``… 合计`` (``… total`` with
        ``labels="en"``), then the rows, each name indented by its depth.

        Args:
            max_rows: show at most this many rows (the rest are counted in a last line);
                the totals are always shown.
            labels: column headings in Chinese and English (``"both"``), or ``"zh"`` or
                ``"en"`` only — wide reports read better with one.
            columns: the keys of the columns to show, in order (default: all), to fit a
                wide report into a terminal in parts.
            notes: end with the notes (and the count of records outside the tree); a report
                shown in parts gives them once, after its last part.

        Raises:
            KeyError: a key of ``columns`` is no column of the report.
        """
        header, body, depths, hidden = self._cells(max_rows, labels, columns)
        for row, depth in zip(body, depths, strict=True):
            row[_NAME_CELL] = "  " * depth + row[_NAME_CELL]
        widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]
        lines = [f"{self.title_zh} {self.title} — {self.as_of}"]
        for row in [header, *body]:
            cells = [
                _pad(cell, width, right=i >= 2)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
        if hidden:
            lines.append(f"… {hidden} more rows (另有 {hidden} 行)")
        if not notes:
            return "\n".join(lines)
        lines.extend(f"* {note}" for note in self.notes)
        if self.unplaced:
            lines.append(f"* {self.unplaced} record(s) outside the tree, counted nowhere")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text(max_rows=50)

    def _repr_html_(self) -> str:
        """The report as an HTML table in a notebook, the hierarchy kept visible (层级缩进).

        Each unit's name is indented by its depth with ``padding-left`` on its cell (leading
        spaces collapse in HTML) and aligned left (notebooks right-align table cells), so a
        county stands inside its city as it does in :meth:`to_text`.
        """
        header, body, depths, hidden = self._cells(200)
        parts = [
            "<table>",
            (
                f"<caption>{html.escape(self.title_zh)} {html.escape(self.title)} — "
                f"{html.escape(self.as_of)}</caption>"
            ),
            "<thead><tr>"
            + "".join(_html_heading(i, h) for i, h in enumerate(header))
            + "</tr></thead>",
            "<tbody>",
        ]
        parts.extend(
            "<tr>" + "".join(_html_cell(i, cell, depth) for i, cell in enumerate(row)) + "</tr>"
            for row, depth in zip(body, depths, strict=True)
        )
        parts.append("</tbody></table>")
        if hidden:
            parts.append(f"<p>… {hidden} more rows (另有 {hidden} 行)</p>")
        parts.extend(f"<p>{html.escape(note)}</p>" for note in self.notes)
        return "".join(parts)


_NAME_CELL = 1
"""The position of the name in a row of :meth:`Report._cells` (after the code)."""

_INDENT_EM = 1.5
"""How far each level of depth indents a name in HTML, in em."""


def _html_heading(position: int, text: str) -> str:
    align = ' style="text-align:left"' if position == _NAME_CELL else ""
    return f"<th{align}>{html.escape(text)}</th>"


def _html_cell(position: int, text: str, depth: int) -> str:
    if position != _NAME_CELL:
        return f"<td>{html.escape(text)}</td>"
    # Indent the cell itself: HTML collapses leading spaces.
    indent = 0.5 + _INDENT_EM * depth
    return f'<td style="text-align:left;padding-left:{indent:g}em">{html.escape(text)}</td>'


def _show(column: Column, value: Figure) -> str:
    if value is None:
        return "—"
    if column.kind is FigureKind.RATE:
        return f"{float(value):.2%}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def build_report(
    tree: DivisionTree,
    own: dict[str, Vector],
    *,
    kind: str,
    title: str,
    title_zh: str,
    columns: Sequence[Column],
    as_of: str | dt.date,
    notes: Sequence[str] = (),
    unplaced: int = 0,
) -> Report:
    """Roll ``own`` (additive figures per 12-digit unit code) up ``tree`` into a report.

    ``own`` vectors are aligned with ``columns``; rate columns hold a placeholder 0 there and
    are filled from their numerator and denominator after summing.
    """
    return _assemble(
        tree,
        own,
        roll_up(tree, own, len(columns)),
        kind=kind,
        title=title,
        title_zh=title_zh,
        columns=columns,
        as_of=as_of,
        notes=notes,
        unplaced=unplaced,
    )


def _assemble(
    tree: DivisionTree,
    own: dict[str, Vector],
    totals: Sequence[Sequence[Any]],
    *,
    kind: str,
    title: str,
    title_zh: str,
    columns: Sequence[Column],
    as_of: str | dt.date,
    notes: Sequence[str] = (),
    unplaced: int = 0,
) -> Report:
    """:func:`build_report` with the subtree ``totals`` already summed (one per unit, in the
    tree's pre-order, e.g. by :func:`~veteran_affairs.hierarchy._rollup.roll_up_counts`)."""
    columns = tuple(columns)
    keys = tuple(c.key for c in columns)
    finish = _Finisher(columns)
    _, depths = tree.layout()
    divisions = list(tree)
    known = set(tree.codes())
    return Report(
        kind=kind,
        title=title,
        title_zh=title_zh,
        columns=columns,
        rows=_Rows(
            [d.code for d in divisions],
            [d.name for d in divisions],
            depths,
            [finish(vector) for vector in totals],
            keys,
        ),
        as_of=str(as_of),
        notes=tuple(notes),
        unplaced=unplaced,
        own={k: tuple(v) for k, v in own.items() if k in known},
    )
