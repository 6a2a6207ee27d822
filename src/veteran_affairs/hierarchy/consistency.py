"""Consistency of submitted figures (报表数据核对): against the records, and up the tree.

Units submit their figures for each report and period
(:class:`~veteran_affairs.models.ReportSubmission`). :func:`check_consistency` lists every
figure that does not add up, each with both numbers:

* **against the records** (:attr:`MismatchKind.RECORDS`, 与业务数据不符) — with a ``computed``
  report, each unit's submitted figure against the same figure computed from the records (the
  unit's row: its whole subtree);
* **against the children** (:attr:`MismatchKind.CHILDREN`, 与下级合计不符) — each submitting
  unit's figure against the sum of its children's submitted figures plus its own part (the
  records placed at the unit itself: ``computed.own``; 0 without ``computed``);
* **missing submissions** (:attr:`MismatchKind.MISSING`, 缺报) — a child of a submitting unit
  that did not submit, or whose submission lacks a figure its parent gave. Its figures are
  never taken as 0: the parent's check waits for it (a unit with a child missing is not
  compared with its children);
* a submission from a unit outside the tree (:attr:`MismatchKind.UNKNOWN_UNIT`), or naming a
  figure the report does not have (:attr:`MismatchKind.UNKNOWN_FIGURE`).

Only additive figures (counts, amounts, areas) are compared. Rates are never compared by
summing (DOMAIN.md §6: a rate is recomputed from summed parts): submitted rate figures are
accepted and skipped. Which figures are additive comes from the ``computed`` report's columns,
or, without it, from the standard report of that kind (:data:`STANDARD_COLUMNS`).

A unit that resubmitted is judged on its latest submission (by ``submitted_on``).

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode
>>> from veteran_affairs.models import ReportSubmission
>>> tree = DivisionTree.bundled("45").restrict("450312")
>>> def sent(unit, persons):
...     return ReportSubmission(unit=DivisionCode(unit), kind="population", period="2021-01-06",
...                             figures={"persons": persons}, submitted_on=dt.date(2021, 1, 8))
>>> towns = [d.code.value for d in tree.children("450312")]
>>> submissions = [sent("450312", 100), *(sent(code, 9) for code in towns)]
>>> [m.describe() for m in check_consistency(submissions, tree=tree)]
['450312000000 persons: submitted 100, the children add up to 99 (上报100，下级合计99)']
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs

from veteran_affairs._validate import instance_of, optional, text
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.hierarchy.assistance_report import ASSISTANCE_COLUMNS
from veteran_affairs.hierarchy.compliance_report import COMPLIANCE_COLUMNS
from veteran_affairs.hierarchy.network_report import COVERAGE_COLUMNS, OFFICE_COLUMNS
from veteran_affairs.hierarchy.plaques import PLAQUE_COLUMNS
from veteran_affairs.hierarchy.population_report import POPULATION_COLUMNS
from veteran_affairs.hierarchy.report import Column, FigureKind, Report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.reporting import ReportSubmission, SubmittedFigure

__all__ = ["STANDARD_COLUMNS", "Mismatch", "MismatchKind", "check_consistency"]


def __dir__() -> list[str]:
    return __all__


STANDARD_COLUMNS: Mapping[str, tuple[Column, ...]] = MappingProxyType(
    {
        "station-coverage": COVERAGE_COLUMNS,
        "offices": OFFICE_COLUMNS,
        "plaques": PLAQUE_COLUMNS,
        "population": POPULATION_COLUMNS,
        "assistance": ASSISTANCE_COLUMNS,
        "activity-compliance": COMPLIANCE_COLUMNS,
    }
)
"""The columns of each standard report, by its kind: what is checked without ``computed``."""


class MismatchKind(enum.Enum):
    """What does not add up (核对问题类别)."""

    RECORDS = "records"  # 与业务数据不符
    CHILDREN = "children"  # 与下级合计不符
    MISSING = "missing"  # 缺报
    UNKNOWN_UNIT = "unknown-unit"  # 报送单位不在区划树内
    UNKNOWN_FIGURE = "unknown-figure"  # 报表无此指标

    @property
    def label_zh(self) -> str:
        return {
            "records": "与业务数据不符",
            "children": "与下级合计不符",
            "missing": "缺报",
            "unknown-unit": "报送单位不在区划树内",
            "unknown-figure": "报表无此指标",
        }[self.value]


_ORDER = {kind: i for i, kind in enumerate(MismatchKind)}


def _figure(value: object) -> bool:
    return value is None or (not isinstance(value, bool) and isinstance(value, int | Decimal))


def _optional_figure(
    _instance: object, attribute: attrs.Attribute[SubmittedFigure | None], value: object
) -> None:
    if not _figure(value):
        raise InvalidValue(
            attribute.name, type(value).__name__, "must be an int or a Decimal", "应为整数或Decimal"
        )


@attrs.frozen(kw_only=True)
class Mismatch:
    """One figure that does not add up, with both numbers (核对问题).

    Attributes:
        kind: what is wrong.
        report: the report's kind (``"population"`` …).
        period: the period or date of the submissions.
        unit: the unit whose figure is wrong, or that did not submit.
        figure: the figure's key (``None`` for a whole submission missing or a unit outside the
            tree).
        submitted: the figure the unit submitted.
        expected: what it should be — the figure computed from the records
            (:attr:`MismatchKind.RECORDS`) or the children's sum plus the unit's own part
            (:attr:`MismatchKind.CHILDREN`).
        parent: for a missing submission, the unit whose check needs it.

    >>> m = Mismatch(kind=MismatchKind.RECORDS, report="plaques", period="2022-03-01",
    ...              unit=DivisionCode("450312"), figure="eligible", submitted=12, expected=10)
    >>> m.difference, m.kind.label_zh
    (2, '与业务数据不符')
    """

    kind: MismatchKind = attrs.field(validator=instance_of(MismatchKind))
    report: str = attrs.field(validator=text(max_length=64))
    period: str = attrs.field(validator=text(max_length=32))
    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    figure: str | None = attrs.field(default=None, validator=optional(text(max_length=64)))
    submitted: SubmittedFigure | None = attrs.field(default=None, validator=_optional_figure)
    expected: SubmittedFigure | None = attrs.field(default=None, validator=_optional_figure)
    parent: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )

    @property
    def difference(self) -> SubmittedFigure | None:
        """``submitted − expected``, where both are known."""
        if self.submitted is None or self.expected is None:
            return None
        return self.submitted - self.expected

    def describe(self) -> str:
        """One line, in English with the Chinese after it."""
        where = f"{self.unit} {self.figure}" if self.figure is not None else str(self.unit)
        if self.kind is MismatchKind.RECORDS:
            return (
                f"{where}: submitted {self.submitted}, the records give {self.expected} "
                f"(上报{self.submitted}，业务数据{self.expected})"
            )
        if self.kind is MismatchKind.CHILDREN:
            return (
                f"{where}: submitted {self.submitted}, the children add up to {self.expected} "
                f"(上报{self.submitted}，下级合计{self.expected})"
            )
        if self.kind is MismatchKind.MISSING:
            what = "did not submit" if self.figure is None else "submitted without it"
            what_zh = "未报送" if self.figure is None else "未报该指标"
            return f"{where}: {what}, needed to check {self.parent} ({what_zh})"
        if self.kind is MismatchKind.UNKNOWN_UNIT:
            return f"{where}: the unit is not in the tree ({self.kind.label_zh})"
        return f"{where}: the {self.report} report has no such figure ({self.kind.label_zh})"


def _latest(
    submissions: Iterable[ReportSubmission], computed: Report | None
) -> dict[tuple[str, str], dict[str, ReportSubmission]]:
    """The latest submission of each unit, grouped by (report kind, period)."""
    groups: dict[tuple[str, str], dict[str, ReportSubmission]] = {}
    for submission in submissions:
        if not isinstance(submission, ReportSubmission):
            raise InvalidValue(
                "submissions", type(submission).__name__, "must be ReportSubmission", "类型错误"
            )
        group = (submission.kind, submission.period)
        if computed is not None and group != (computed.kind, computed.as_of):
            raise InvalidValue(
                "submissions",
                f"{submission.kind} {submission.period}",
                f"with computed, every submission is for its report: {computed.kind} "
                f"{computed.as_of}",
                "报送数据与核对报表的类别或期间不符",
            )
        by_unit = groups.setdefault(group, {})
        unit = submission.unit.value
        known = by_unit.get(unit)
        if known is None or submission.submitted_on > known.submitted_on:
            by_unit[unit] = submission
        elif submission.submitted_on == known.submitted_on and submission != known:
            raise InconsistentRecord(
                "submissions",
                f"{unit} {submission.kind} {submission.period} {submission.submitted_on}",
                "two different submissions of one unit on one day",
                "同一单位同日两次报送且数据不同",
            )
    return groups


def check_consistency(
    submissions: Iterable[ReportSubmission],
    *,
    tree: DivisionTree,
    computed: Report | None = None,
) -> tuple[Mismatch, ...]:
    """Every submitted figure that disagrees with the records or with the units below.

    Args:
        submissions: the units' submissions, of one or several reports and periods (with
            ``computed``: all of its kind and ``as_of``), in any order.
        tree: the units; each unit's children are the units expected to submit below it.
        computed: the report computed from the records for the same kind and period: enables
            the check against the records and supplies each unit's own part.

    Returns:
        The mismatches ordered by report, period, unit code, kind and figure (the same for
        any order of ``submissions``); empty when everything adds up.

    Raises:
        InvalidValue: a submission of another kind or period than ``computed``; a report
            kind that is not standard, without ``computed``; a submitting unit that
            ``computed`` has no row for.
        InconsistentRecord: two different submissions of one unit on the same day.
    """
    found: list[Mismatch] = []
    for (kind, period), by_unit in _latest(submissions, computed).items():
        if computed is not None:
            columns = computed.columns
        elif kind in STANDARD_COLUMNS:
            columns = STANDARD_COLUMNS[kind]
        else:
            raise InvalidValue(
                "kind",
                kind,
                "not a standard report: pass the computed report to say its figures",
                "非标准报表，请提供计算所得报表",
            )
        position = {column.key: i for i, column in enumerate(columns)}
        additive = [c.key for c in columns if c.kind is not FigureKind.RATE]

        mismatch = functools.partial(Mismatch, report=kind, period=period)

        for code, submission in by_unit.items():
            unit = submission.unit
            figures = submission.figures
            if unit not in tree:
                found.append(mismatch(kind=MismatchKind.UNKNOWN_UNIT, unit=unit))
                continue
            found.extend(
                mismatch(
                    kind=MismatchKind.UNKNOWN_FIGURE, unit=unit, figure=key, submitted=figures[key]
                )
                for key in figures
                if key not in position
            )
            if computed is not None:
                try:
                    row = computed[unit]
                except LookupError:
                    raise InvalidValue(
                        "computed",
                        code,
                        "the computed report has no row for this submitting unit",
                        "计算所得报表缺少该单位",
                    ) from None
                for key in additive:
                    if key not in figures:
                        continue
                    from_records = row[key]
                    assert isinstance(from_records, int | Decimal)  # an additive column
                    if figures[key] != from_records:
                        found.append(
                            mismatch(
                                kind=MismatchKind.RECORDS,
                                unit=unit,
                                figure=key,
                                submitted=figures[key],
                                expected=from_records,
                            )
                        )
            children = tree.children(unit)
            if not children:
                continue
            absent = [child.code for child in children if child.code.value not in by_unit]
            if absent:
                found.extend(
                    mismatch(kind=MismatchKind.MISSING, unit=child, parent=unit) for child in absent
                )
                continue
            below = [by_unit[child.code.value] for child in children]
            own = computed.own.get(code) if computed is not None else None
            for key in additive:
                if key not in figures:
                    continue
                lacking = [s.unit for s in below if key not in s.figures]
                if lacking:
                    found.extend(
                        mismatch(kind=MismatchKind.MISSING, unit=child, figure=key, parent=unit)
                        for child in lacking
                    )
                    continue
                total: SubmittedFigure = sum((s.figures[key] for s in below), 0)
                if own is not None:
                    total += own[position[key]]
                if figures[key] != total:
                    found.append(
                        mismatch(
                            kind=MismatchKind.CHILDREN,
                            unit=unit,
                            figure=key,
                            submitted=figures[key],
                            expected=total,
                        )
                    )
    found.sort(
        key=lambda m: (
            m.report,
            m.period,
            m.unit.value,
            _ORDER[m.kind],
            m.figure or "",
            m.parent.value if m.parent is not None else "",
        )
    )
    return tuple(found)
