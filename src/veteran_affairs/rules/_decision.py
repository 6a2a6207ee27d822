"""Decisions that explain themselves: every condition, every figure, every citation."""

from __future__ import annotations

import datetime as dt
import enum
import html
from decimal import Decimal

import attrs

from veteran_affairs.parameters import Citation

__all__ = ["Component", "Deadline", "Decision", "ParameterUse", "Period", "Reason"]


@attrs.frozen(kw_only=True)
class Reason:
    """One condition a rule checked: whether it held (``None``: unknown, input missing)."""

    code: str
    held: bool | None
    message_en: str
    message_zh: str
    citation: Citation | None = None

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "?"}[self.held]


@attrs.frozen(kw_only=True)
class ParameterUse:
    """A parameter value a decision used, and the version it came from."""

    key: str
    path: tuple[str, ...]
    value: Decimal
    effective_from: dt.date
    citation: Citation
    stale: bool = False
    confirmed_through: dt.date | None = None

    @property
    def name(self) -> str:
        """The key with the cell, ``"disability_pension.annual_standard[in-combat/1]"``."""
        return f"{self.key}[{'/'.join(self.path)}]" if self.path else self.key

    def describe(self) -> str:
        """One line: the value, its version, its source and grade, and whether it is stale."""
        text = (
            f"{self.name} = {self.value} (version from {self.effective_from.isoformat()}; "
            f"{self.citation})"
        )
        if self.stale and self.confirmed_through is not None:
            text += (
                f" STALE: confirmed only through {self.confirmed_through.isoformat()} "
                "(已过数据确认期)"
            )
        return text


class Period(enum.Enum):
    """How often an amount is paid."""

    YEAR = "year"  # 每年
    MONTH = "month"  # 每月
    ONCE = "once"  # 一次性

    @property
    def label_zh(self) -> str:
        return {"year": "每年", "month": "每月", "once": "一次性"}[self.value]


@attrs.frozen(kw_only=True)
class Component:
    """A named amount within a decision (e.g. the nursing allowance beside the pension)."""

    name: str
    label_zh: str
    amount: Decimal
    period: Period


@attrs.frozen(kw_only=True)
class Deadline:
    """A date by which someone must act, with what happens otherwise."""

    due: dt.date
    message_en: str
    message_zh: str
    citation: Citation | None = None


@attrs.frozen(kw_only=True, repr=False)
class Decision:
    """The outcome of one rule for one subject on one date (决定).

    Attributes:
        rule: the rule's name (``"disability_pension"``).
        subject: a masked reference to the subject (never the full ID number).
        on: the date decided for.
        eligible: ``True``/``False``, or ``None`` when an input needed is missing.
        amount: the main amount — for periodic payments the annual standard (年标准), for
            one-off payments the total; ``None`` when not eligible or unknown.
        monthly: for periodic payments, the monthly payment (月发放额), rounded as the
            parameter says; otherwise ``None``.
        components: named amounts that make up or accompany the decision.
        reasons: every condition checked, in order.
        parameters: every parameter value used, with its version.
        missing: the inputs that were needed but not known.
        deadlines: dates by which someone must act.
        stale: whether a figure was used past the date it is confirmed for (a book loaded
            with ``allow_stale``): the amounts are estimates from the last known standard.
            :attr:`stale_parameters` names them.
    """

    rule: str
    subject: str
    on: dt.date
    eligible: bool | None
    amount: Decimal | None = None
    monthly: Decimal | None = None
    components: tuple[Component, ...] = ()
    reasons: tuple[Reason, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    missing: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    stale: bool = False

    @property
    def deciding_reason(self) -> Reason | None:
        """The condition that carries the outcome (决定理由), for one-line summaries.

        The first condition checked whose result matches the outcome: the first that failed
        (not eligible), the first whose input is unknown (undetermined), or the first that
        held (eligible: the basis of the entitlement). ``None`` when no condition matches.
        """
        return next((r for r in self.reasons if r.held is self.eligible), None)

    @property
    def stale_parameters(self) -> tuple[ParameterUse, ...]:
        """The figures used past the date they are confirmed for (``allow_stale`` books)."""
        return tuple(use for use in self.parameters if use.stale)

    def __repr__(self) -> str:
        return (
            f"Decision(rule={self.rule!r}, subject={self.subject!r}, on={self.on.isoformat()}, "
            f"eligible={self.eligible}, amount={self.amount}, monthly={self.monthly}, "
            f"reasons={len(self.reasons)}, missing={list(self.missing)}"
            + (", stale=True)" if self.stale else ")")
        )

    @property
    def outcome(self) -> str:
        return {True: "eligible", False: "not eligible", None: "undetermined"}[self.eligible]

    @property
    def outcome_zh(self) -> str:
        return {True: "符合", False: "不符合", None: "无法确定（缺少信息）"}[self.eligible]

    def explain(self) -> str:
        """The decision as plain text: outcome, amounts, each reason with its citation."""
        headline = (
            f"{self.rule} for {self.subject} on {self.on.isoformat()}: "
            f"{self.outcome} ({self.outcome_zh})"
        )
        lines = [headline]
        if self.stale:
            lines.append(
                "  STALE (数据已过确认期): estimated with figures past their confirmed date: "
                + ", ".join(use.name for use in self.stale_parameters)
            )
        if self.amount is not None:
            lines.append(f"  amount (金额): {self.amount} yuan")
        if self.monthly is not None:
            lines.append(f"  monthly (月发放): {self.monthly} yuan")
        for component in self.components:
            every = "once" if component.period is Period.ONCE else f"per {component.period.value}"
            lines.append(
                f"  {component.name} ({component.label_zh}): {component.amount} yuan {every}"
            )
        for reason in self.reasons:
            cite = f" [{reason.citation}]" if reason.citation else ""
            lines.append(f"  {reason.mark} {reason.message_en} ({reason.message_zh}){cite}")
        if self.missing:
            lines.append(f"  missing input (缺少信息): {', '.join(self.missing)}")
        for deadline in self.deadlines:
            lines.append(
                f"  due {deadline.due.isoformat()}: {deadline.message_en} ({deadline.message_zh})"
            )
        for use in self.parameters:
            lines.append(f"  parameter {use.describe()}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{r.mark}</td><td>{e(r.message_en)}</td><td>{e(r.message_zh)}</td>"
            f"<td>{e(str(r.citation or ''))}</td></tr>"
            for r in self.reasons
        )
        amounts = ""
        if self.amount is not None:
            amounts += f"<p>amount (金额): {e(str(self.amount))} yuan</p>"
        if self.monthly is not None:
            amounts += f"<p>monthly (月发放): {e(str(self.monthly))} yuan</p>"
        missing = (
            f"<p>missing input (缺少信息): {e(', '.join(self.missing))}</p>" if self.missing else ""
        )
        stale = (
            "<p><b>STALE (数据已过确认期)</b>: estimated with figures past their confirmed date: "
            f"{e(', '.join(use.name for use in self.stale_parameters))}</p>"
            if self.stale
            else ""
        )
        figures = "".join(
            f"<tr><td>{e(use.name)}</td><td>{e(str(use.value))}</td>"
            f"<td>{use.effective_from.isoformat()}</td><td>{e(str(use.citation))}</td>"
            f"<td>{e(use.citation.grade.value if use.citation.grade else '')}</td>"
            f"<td>{'STALE' if use.stale else ''}</td></tr>"
            for use in self.parameters
        )
        parameters = (
            "<table><thead><tr><th>parameter</th><th>value</th><th>from</th><th>source</th>"
            f"<th>grade</th><th></th></tr></thead><tbody>{figures}</tbody></table>"
            if figures
            else ""
        )
        return (
            f"<div><p><b>{e(self.rule)}</b> for {e(self.subject)} on {self.on.isoformat()}: "
            f"<b>{e(self.outcome)}</b> ({e(self.outcome_zh)})</p>{stale}{amounts}{missing}"
            "<table><thead><tr><th></th><th>condition</th><th>条件</th><th>basis</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>{parameters}</div>"
        )
