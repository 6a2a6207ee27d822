"""Decisions that explain themselves: every condition, every figure, every citation."""

from __future__ import annotations

import datetime as dt
import enum
import html
from collections.abc import Callable
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


# --- building them fast (for the rule engine) -------------------------------------------------
#
# The attrs ``__init__`` of a frozen class sets each field through ``object.__setattr__``;
# setting the slots through their descriptors stores the same values for about half the
# cost, which counts when one decision holds a dozen parts. Only for these classes, which
# have no validators, converters or ``__attrs_post_init__`` (so nothing is skipped; a test
# checks it), and with every field given. (Reasons are built so in ``Evaluation.check``.)

Setter = Callable[[object, object], None]
_new = object.__new__


def slot_setters(cls: type, *names: str) -> tuple[Setter, ...]:
    """The slot setters of ``cls``'s fields, which must be exactly ``names``, in order."""
    fields = tuple(field.name for field in attrs.fields(cls))
    if fields != names:  # a field was added or moved: the builders must follow
        raise TypeError(f"{cls.__name__} has the fields {fields}, the builder {names}")
    return tuple(cls.__dict__[name].__set__ for name in names)


_C_NAME, _C_LABEL, _C_AMOUNT, _C_PERIOD = slot_setters(
    Component, "name", "label_zh", "amount", "period"
)


def new_component(name: str, label_zh: str, amount: Decimal, period: Period) -> Component:
    """``Component(name=name, ...)``, built directly."""
    component: Component = _new(Component)
    _C_NAME(component, name)
    _C_LABEL(component, label_zh)
    _C_AMOUNT(component, amount)
    _C_PERIOD(component, period)
    return component


_DL_DUE, _DL_EN, _DL_ZH, _DL_CITATION = slot_setters(
    Deadline, "due", "message_en", "message_zh", "citation"
)


def new_deadline(
    due: dt.date, message_en: str, message_zh: str, citation: Citation | None
) -> Deadline:
    """``Deadline(due=due, ...)``, built directly."""
    deadline: Deadline = _new(Deadline)
    _DL_DUE(deadline, due)
    _DL_EN(deadline, message_en)
    _DL_ZH(deadline, message_zh)
    _DL_CITATION(deadline, citation)
    return deadline


(
    _D_RULE,
    _D_SUBJECT,
    _D_ON,
    _D_ELIGIBLE,
    _D_AMOUNT,
    _D_MONTHLY,
    _D_COMPONENTS,
    _D_REASONS,
    _D_PARAMETERS,
    _D_MISSING,
    _D_DEADLINES,
    _D_STALE,
) = slot_setters(
    Decision,
    "rule",
    "subject",
    "on",
    "eligible",
    "amount",
    "monthly",
    "components",
    "reasons",
    "parameters",
    "missing",
    "deadlines",
    "stale",
)


def new_decision(
    rule: str,
    subject: str,
    on: dt.date,
    eligible: bool | None,
    amount: Decimal | None,
    monthly: Decimal | None,
    components: tuple[Component, ...],
    reasons: tuple[Reason, ...],
    parameters: tuple[ParameterUse, ...],
    missing: tuple[str, ...],
    deadlines: tuple[Deadline, ...],
    stale: bool,
) -> Decision:
    """``Decision(rule=rule, ...)``, built directly (every field, in order)."""
    decision: Decision = _new(Decision)
    _D_RULE(decision, rule)
    _D_SUBJECT(decision, subject)
    _D_ON(decision, on)
    _D_ELIGIBLE(decision, eligible)
    _D_AMOUNT(decision, amount)
    _D_MONTHLY(decision, monthly)
    _D_COMPONENTS(decision, components)
    _D_REASONS(decision, reasons)
    _D_PARAMETERS(decision, parameters)
    _D_MISSING(decision, missing)
    _D_DEADLINES(decision, deadlines)
    _D_STALE(decision, stale)
    return decision
