"""Decisions as a pandas DataFrame for notebooks (决定明细表; the ``pandas`` extra).

:func:`decisions_frame` turns decisions — a list, or the generator
:meth:`RuleBook.evaluate_many <veteran_affairs.rules.RuleBook.evaluate_many>` returns — into
one table with a row per decision, ready to filter, group, count and plot. Reports over the
division tree have their own :meth:`Report.to_dataframe
<veteran_affairs.hierarchy.Report.to_dataframe>`.

Money keeps its exact value. Each amount comes twice:

* ``amount_fen`` and ``monthly_fen``: whole fen (分) in pandas' nullable ``Int64``. These are
  exact (``amount_fen / 100`` is the decision's ``Decimal``). Sum and compare these, and turn
  a total back into yuan with :func:`~veteran_affairs.money.from_fen`.
* ``amount_yuan`` and ``monthly_yuan``: the same amounts in yuan as ``float64``, for plots and
  quick looks. They are the nearest float to the exact figure, so use them for plots, never
  for a payment list.

An amount the decision does not carry (not eligible, undetermined, or no periodic payment)
is missing (``<NA>``, or ``NaN`` in the float columns), never zero. The library's rules round
amounts to the fen. A user's parameter with a part smaller than a fen could give an amount
that cannot be held in whole fen: then :func:`decisions_frame` raises
:class:`~veteran_affairs.errors.InvalidAmount` and rounds nothing silently.

This module imports pandas, so ``import veteran_affairs.frames`` needs the ``pandas`` extra
(``pip install 'veteran_affairs[pandas]'``). ``import veteran_affairs`` never imports it.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from veteran_affairs.rules import Decision
>>> paid = Decision(rule="disability_pension", subject="450312********0013",
...                 on=dt.date(2021, 1, 6), eligible=True,
...                 amount=Decimal("12330"), monthly=Decimal("1027.50"))
>>> frame = decisions_frame([paid])
>>> frame.loc[0, ["rule", "eligible", "amount_fen", "monthly_fen", "monthly_yuan"]].to_dict()
{'rule': 'disability_pension', 'eligible': True, 'amount_fen': 1233000, 'monthly_fen': 102750, 'monthly_yuan': 1027.5}
>>> list(decisions_frame([paid], labels="zh").columns[:5])
['规则', '对象', '判定日期', '是否符合', '判定（英文）']
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

try:
    import pandas as pd
except ImportError as error:  # pragma: no cover - exercised only without pandas
    raise ImportError(
        "veteran_affairs.frames needs pandas; install the 'pandas' extra: "
        "pip install 'veteran_affairs[pandas]'"
    ) from error

from veteran_affairs.errors import InvalidValue
from veteran_affairs.money import to_fen
from veteran_affairs.rules import Decision

__all__ = ["COLUMNS", "decisions_frame"]


def __dir__() -> list[str]:
    return __all__


COLUMNS = MappingProxyType(
    {
        "rule": "规则",
        "subject": "对象",
        "on": "判定日期",
        "eligible": "是否符合",
        "outcome": "判定（英文）",
        "outcome_zh": "判定",
        "amount_fen": "金额（分）",
        "monthly_fen": "月发放（分）",
        "amount_yuan": "金额（元）",
        "monthly_yuan": "月发放（元）",
        "stale": "数据过期",
        "missing": "缺少信息",
        "reason_code": "决定理由代码",
        "reason": "决定理由（英文）",
        "reason_zh": "决定理由",
        "basis": "依据",
        "stale_parameters": "过期参数",
    }
)
"""The columns of :func:`decisions_frame`, in order: each English name with its Chinese label.

``labels="zh"`` renames every column by this table and changes no value. The columns:

* ``rule`` (规则): the rule's name, e.g. ``"disability_pension"``.
* ``subject`` (对象): the masked reference the decision carries, never a full ID number.
* ``on`` (判定日期): the date decided for, as ``datetime64[s]``.
* ``eligible`` (是否符合): nullable ``boolean``, ``<NA>`` when an input needed is missing.
* ``outcome`` and ``outcome_zh`` (判定): the outcome in words, in English and in Chinese, as
  :attr:`Decision.outcome <veteran_affairs.rules.Decision.outcome>` and ``outcome_zh`` say it.
* ``amount_fen`` (金额，分) and ``monthly_fen`` (月发放，分): exact whole fen, ``Int64``. The
  amount is the annual standard (年标准) of a periodic payment, or the total of a one-off one.
* ``amount_yuan`` and ``monthly_yuan``: the same in yuan as ``float64``, for plotting.
* ``stale`` (数据过期): whether a figure was used past the date it is confirmed for.
* ``missing`` (缺少信息): the missing inputs joined by ``"; "`` (empty when none).
* ``reason_code``, ``reason`` and ``reason_zh`` (决定理由): the deciding reason, its code and
  its message in English and in Chinese:
  :attr:`Decision.deciding_reason <veteran_affairs.rules.Decision.deciding_reason>`, the first
  condition checked whose result matches the outcome — the first that failed (not eligible),
  the first whose input is unknown (undetermined), or the first that held (eligible: the basis
  of the entitlement). It is ``<NA>`` when no condition matches.
* ``basis`` (依据): the citation of that condition (``<NA>`` when it cites nothing).
* ``stale_parameters`` (过期参数): the figures used past their confirmed date, each named once
  with its cell and joined by ``"; "`` (empty when none).
"""

_DTYPES = {
    "on": "datetime64[s]",
    "eligible": "boolean",
    "amount_fen": "Int64",
    "monthly_fen": "Int64",
    "amount_yuan": "float64",
    "monthly_yuan": "float64",
    "stale": "bool",
}
"""The dtype of each column that is not text (text columns are pandas' nullable ``string``)."""


def _fen(amount: Decimal | None, what: str, index: int, decision: Decision) -> int | None:
    if amount is None:
        return None
    return to_fen(amount, field=f"{what} of decision {index} ({decision.rule}, {decision.subject})")


def decisions_frame(
    decisions: Iterable[Decision], *, labels: Literal["en", "zh"] = "en"
) -> pd.DataFrame:
    """One row per decision, in the order given, as a :class:`pandas.DataFrame` (决定明细).

    The decisions may come from a generator such as :meth:`RuleBook.evaluate_many
    <veteran_affairs.rules.RuleBook.evaluate_many>`. They are read once and only their
    columns are kept, so the reasons and parameters of each decision are not held in memory.
    :data:`COLUMNS` lists the columns and their dtypes. Amounts are exact whole fen
    (``amount_fen``, ``monthly_fen``, ``Int64``) beside float yuan for plotting
    (``amount_yuan``, ``monthly_yuan``).

    Args:
        decisions: the decisions, any iterable.
        labels: ``"en"`` for the English column names, ``"zh"`` for the Chinese labels
            (规则, 对象, 判定 …). Only the names change, never the values.

    Raises:
        InvalidAmount: an amount has a part smaller than a fen. The error names the decision
            by its position, rule and masked subject.
        InvalidValue: ``labels`` is neither ``"en"`` nor ``"zh"``.
    """
    if labels not in ("en", "zh"):
        raise InvalidValue("labels", labels, "expected 'en' or 'zh'", "应为 'en' 或 'zh'")
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    add = {name: values.append for name, values in columns.items()}
    for index, decision in enumerate(decisions):
        deciding = decision.deciding_reason
        amount = _fen(decision.amount, "amount", index, decision)
        monthly = _fen(decision.monthly, "monthly", index, decision)
        add["rule"](decision.rule)
        add["subject"](decision.subject)
        add["on"](decision.on)
        add["eligible"](decision.eligible)
        add["outcome"](decision.outcome)
        add["outcome_zh"](decision.outcome_zh)
        add["amount_fen"](amount)
        add["monthly_fen"](monthly)
        add["amount_yuan"](None if amount is None else amount / 100)
        add["monthly_yuan"](None if monthly is None else monthly / 100)
        add["stale"](decision.stale)
        add["missing"]("; ".join(decision.missing))
        add["reason_code"](None if deciding is None else deciding.code)
        add["reason"](None if deciding is None else deciding.message_en)
        add["reason_zh"](None if deciding is None else deciding.message_zh)
        add["basis"](
            None if deciding is None or deciding.citation is None else str(deciding.citation)
        )
        add["stale_parameters"](
            "; ".join(dict.fromkeys(use.name for use in decision.stale_parameters))
        )
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=_DTYPES.get(name, "string"))
            for name, values in columns.items()
        }
    )
    return frame.rename(columns=COLUMNS) if labels == "zh" else frame
