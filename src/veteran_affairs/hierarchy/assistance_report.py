"""Hardship assistance paid per unit (困难帮扶援助统计): a flow report for a period and the year.

Assistance is a flow (DOMAIN.md §6): figures are summed over a span of days — the reporting
period (本期) and, beside it, the year to date (本年累计: 1 January of the period's year to
the period's last day). The columns (:data:`ASSISTANCE_COLUMNS`) come in these two sets, the
year-to-date keys ending in ``_ytd``.

Which date puts a case in a span: **the payment date** (发放日期, the date of the case's
``paid`` step, :attr:`~veteran_affairs.models.AssistanceCase.paid_on`). A case is counted when
it was paid inside the span: money is reported when it was paid out, whatever the dates of the
incident, application or approval. Cases not paid (still in review, rejected, withdrawn) or
paid outside the span count nowhere (the notes say how many).

Where a case counts: its handling unit (``case.division``), placed on the tree (itself, else
its nearest ancestor; outside the tree: ``Report.unplaced``, counted in cases).

The figures of a span, each additive over the tree:

* ``cases`` (件数) — paid cases, one per approval (一事一批);
* ``persons`` (人数) — distinct applicants (by identity number). A person helped twice in the
  span is counted once, **at the unit of their first case in the span** (earliest payment date,
  ties broken by case id), so the persons of the units add up to the persons of their parent.
  A subtree's persons are therefore those whose first case lies in it: a county's report built
  from its own cases alone counts a person whose first case was in another county, where the
  region's report does not count them in this county (every other figure agrees);
* ``person_times`` (人次) — persons helped, counted once per case. Every case has one applicant
  and one payment, so this equals ``cases``; it is kept because the statistical forms ask for
  人次 beside 件;
* ``amount`` (金额, yuan, ``Decimal``) — the approved amount of the paid cases;
* ``cases_<cause>`` and ``amount_<cause>`` for each
  :class:`~veteran_affairs.models.HardshipCause` (they add up to ``cases`` and ``amount``);
* ``funded_<source>`` for each :class:`~veteran_affairs.models.FundingSource` and
  ``funded_unstated`` (the part of the approved amount no funding allocation names): they add
  up to ``amount``.

(``<cause>`` and ``<source>`` are the members' values with ``_`` for ``-``:
``cases_sudden_event``, ``funded_care_foundation``.)

Persons by cause are not given: a person helped for two causes would be counted in both.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from veteran_affairs.cycles import Quarter
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode, ResidentId
>>> from veteran_affairs.models import AssistanceCase, FundingAllocation, FundingSource, HardshipCause
>>> case = AssistanceCase.apply(case_id="GX-2020-0001", applicant=ResidentId("11010519491231002X"),
...     division=DivisionCode("450312100"), cause=HardshipCause.SUDDEN_EVENT,
...     incident_on=dt.date(2020, 6, 1), on=dt.date(2020, 6, 3), actor="applicant")
>>> case = case.review(on=dt.date(2020, 6, 5), actor="township-01").approve(
...     on=dt.date(2020, 6, 10), actor="county-01", amount=Decimal("5000.00"),
...     funding=(FundingAllocation(source=FundingSource.CARE_FOUNDATION, amount=Decimal("3000.00")),))
>>> case = case.publicise(on=dt.date(2020, 6, 11), actor="county-01").pay(
...     on=dt.date(2020, 7, 2), actor="county-01")
>>> report = assistance(DivisionTree.bundled("45").restrict("450312"), [case],
...                     period=Quarter.parse("2020Q3"))
>>> row = report["450312"]
>>> row["cases"], row["persons"], row["amount"], row["funded_care_foundation"], row["funded_unstated"]
(1, 1, Decimal('5000.00'), Decimal('3000.00'), Decimal('2000.00'))
>>> row["cases_ytd"], report.as_of
(1, '2020Q3')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from veteran_affairs.cycles.periods import Period
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy._rollup import Placer, Vector
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.models.assistance import AssistanceCase, FundingSource, HardshipCause

__all__ = ["ASSISTANCE_COLUMNS", "assistance"]


def __dir__() -> list[str]:
    return __all__


def _name(member: HardshipCause | FundingSource) -> str:
    return str(member.value).replace("-", "_")


def _columns(suffix: str, zh: str, en: str) -> tuple[Column, ...]:
    money = FigureKind.MONEY
    return (
        Column(key=f"cases{suffix}", label=f"cases{en}", label_zh=f"{zh}件数"),
        Column(key=f"persons{suffix}", label=f"persons{en}", label_zh=f"{zh}人数"),
        Column(key=f"person_times{suffix}", label=f"person-times{en}", label_zh=f"{zh}人次"),
        Column(key=f"amount{suffix}", label=f"amount{en}", label_zh=f"{zh}金额", kind=money),
        *(
            column
            for cause in HardshipCause
            for column in (
                Column(
                    key=f"cases_{_name(cause)}{suffix}",
                    label=f"cases: {cause.value}{en}",
                    label_zh=f"{zh}{cause.label_zh}件数",
                ),
                Column(
                    key=f"amount_{_name(cause)}{suffix}",
                    label=f"amount: {cause.value}{en}",
                    label_zh=f"{zh}{cause.label_zh}金额",
                    kind=money,
                ),
            )
        ),
        *(
            Column(
                key=f"funded_{_name(source)}{suffix}",
                label=f"funded by {source.value}{en}",
                label_zh=f"{zh}{source.label_zh}资金",
                kind=money,
            )
            for source in FundingSource
        ),
        Column(
            key=f"funded_unstated{suffix}",
            label=f"funding not stated{en}",
            label_zh=f"{zh}未列明来源资金",
            kind=money,
        ),
    )


_PERIOD_COLUMNS = _columns("", "本期", "")
_YTD_COLUMNS = _columns("_ytd", "本年累计", " (year to date)")
ASSISTANCE_COLUMNS = (*_PERIOD_COLUMNS, *_YTD_COLUMNS)
"""The columns of the assistance report: the period's figures, then the year to date's
(keys ending in ``_ytd``)."""

_WIDTH = len(_PERIOD_COLUMNS)
_CASES, _PERSONS, _TIMES, _AMOUNT = 0, 1, 2, 3
_CAUSE_AT = {cause: 4 + 2 * i for i, cause in enumerate(HardshipCause)}  # cases; amount next
_SOURCE_AT = {source: 4 + 2 * len(HardshipCause) + i for i, source in enumerate(FundingSource)}
_UNALLOCATED = _WIDTH - 1
_MONEY = frozenset(i for i, column in enumerate(_PERIOD_COLUMNS) if column.kind is FigureKind.MONEY)


def _zeros(width: int) -> Vector:
    return [Decimal(0) if i % _WIDTH in _MONEY else 0 for i in range(width)]


def _add_case(vector: Vector, offset: int, case: AssistanceCase, amount: Decimal) -> None:
    vector[offset + _CASES] += 1
    vector[offset + _TIMES] += 1
    vector[offset + _AMOUNT] += amount
    at = offset + _CAUSE_AT[case.cause]
    vector[at] += 1
    vector[at + 1] += amount
    allocated = Decimal(0)
    for allocation in case.funding:
        vector[offset + _SOURCE_AT[allocation.source]] += allocation.amount
        allocated += allocation.amount
    vector[offset + _UNALLOCATED] += amount - allocated


def assistance(
    tree: DivisionTree,
    cases: Iterable[AssistanceCase],
    *,
    period: Period,
    year_to_date: bool = True,
) -> Report:
    """Assistance paid per unit in ``period`` and in its year to date (帮扶援助统计).

    Args:
        tree: the units to report on.
        cases: assistance cases in any state and of any date, in any order; each case id once.
        period: the reporting period (a :class:`~veteran_affairs.cycles.Month`,
            :class:`~veteran_affairs.cycles.Quarter`, :class:`~veteran_affairs.cycles.HalfYear`
            or :class:`~veteran_affairs.cycles.Year`).
        year_to_date: include the year-to-date columns (default); without, only the period's.

    Returns:
        A report of kind ``"assistance"``, ``as_of`` the period's key (``"2020Q3"``).

    Raises:
        InconsistentRecord: one case id given twice.
    """
    first_day, last_day = period.start, period.end
    year_start = dt.date(first_day.year, 1, 1) if year_to_date else first_day
    spans = 2 if year_to_date else 1
    columns = ASSISTANCE_COLUMNS if year_to_date else _PERIOD_COLUMNS
    place = Placer(tree)
    own: dict[str, Vector] = {}
    # Per span: applicant -> (payment date, case id, unit) of their first case in it.
    first_case: list[dict[str, tuple[dt.date, str, str]]] = [{} for _ in range(spans)]
    seen: set[str] = set()
    read = counted = unplaced = 0
    for case in cases:
        read += 1
        if case.case_id in seen:
            raise InconsistentRecord(
                "case_id", case.case_id, "the same case is given twice", "同一案件重复"
            )
        seen.add(case.case_id)
        paid_on = case.paid_on
        if paid_on is None or not year_start <= paid_on <= last_day:
            continue
        unit = place(case.division)
        if unit is None:
            unplaced += 1
            continue
        counted += 1
        vector = own.get(unit)
        if vector is None:
            vector = own[unit] = _zeros(len(columns))
        amount = case.approved_amount
        assert amount is not None  # a paid case was approved (the model's invariant)
        applicant = case.applicant.unmasked
        in_spans = ((0,) if first_day <= paid_on else ()) + ((1,) if year_to_date else ())
        for span in in_spans:
            _add_case(vector, span * _WIDTH, case, amount)
            mark = (paid_on, case.case_id, unit)
            known = first_case[span].get(applicant)
            if known is None or mark < known:
                first_case[span][applicant] = mark
    for span, firsts in enumerate(first_case):
        for _paid_on, _case_id, unit in firsts.values():
            own[unit][span * _WIDTH + _PERSONS] += 1
    ytd = f"; year to date from {year_start.isoformat()}" if year_to_date else ""
    notes = [
        (
            f"cases counted by payment date (按发放日期统计): period {first_day.isoformat()} to "
            f"{last_day.isoformat()}{ytd}"
        ),
        (
            "a person helped more than once is counted once, at the unit of their first case "
            "in the span (多次帮扶者按首次帮扶单位计一人)"
        ),
        (
            f"{counted} paid case(s) counted of {read} read; {read - counted - unplaced} not paid "
            "in the span left out (未在统计期内发放的不计)"
        ),
    ]
    return build_report(
        tree,
        own,
        kind="assistance",
        title="Hardship assistance paid",
        title_zh="困难帮扶援助",
        columns=columns,
        as_of=str(period),
        notes=notes,
        unplaced=unplaced,
    )
