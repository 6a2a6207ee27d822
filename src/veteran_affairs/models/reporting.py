"""Figures a unit submitted for a statistical report (报表报送).

Units report their figures upward each period (报表): the station coverage, plaques, entitled
persons, assistance paid, routine compliance. A :class:`ReportSubmission` is one unit's
submitted figures for one report and period, as it was sent — to be checked against the
figures computed from the records and against the units below
(:func:`veteran_affairs.hierarchy.check_consistency`).

>>> import datetime as dt
>>> from decimal import Decimal
>>> s = ReportSubmission(unit=DivisionCode("450312"), kind="assistance", period="2020Q3",
...                      figures={"cases": 12, "amount": Decimal("48000.00")},
...                      submitted_on=dt.date(2020, 10, 9))
>>> s.figures
SubmittedFigures({'amount': Decimal('48000.00'), 'cases': 12})
>>> s.figures["cases"], s.figures.get("persons")
(12, None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, TypeAlias, cast

import attrs

from veteran_affairs._validate import instance_of, past_date, text
from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode

__all__ = ["ReportSubmission", "SubmittedFigure", "SubmittedFigures"]


def __dir__() -> list[str]:
    return __all__


SubmittedFigure: TypeAlias = int | Decimal
"""A submitted figure: a count (``int``) or an amount, area or rate (``Decimal``)."""

_KEY_TEXT = text(max_length=64)


def _check_key(index: int, key: object) -> None:
    """Keys are short non-blank text; the validator wants something with a ``name``."""
    field = cast("attrs.Attribute[Any]", SimpleNamespace(name=f"figures[{index}]"))
    _KEY_TEXT(None, field, key)


def _check_pair(index: int, pair: object) -> tuple[str, SubmittedFigure]:
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        raise InvalidValue(
            f"figures[{index}]",
            type(pair).__name__,
            "must be a (key, figure) pair",
            "应为(指标, 数值)对",
        )
    key, figure = pair
    _check_key(index, key)
    name = f"figures[{key}]"
    if isinstance(figure, bool) or not isinstance(figure, int | Decimal):
        raise InvalidValue(
            name, type(figure).__name__, "must be an int or a Decimal", "应为整数或Decimal"
        )
    if isinstance(figure, Decimal) and not figure.is_finite():
        raise InvalidValue(name, str(figure), "must be a finite number", "应为有限数")
    if figure < 0:
        raise InvalidValue(name, str(figure), "must be ≥ 0", "应≥0")
    return key, figure


class SubmittedFigures(Mapping[str, SubmittedFigure]):
    """Submitted figures by key: an immutable, hashable mapping kept sorted by key (报送指标).

    Built from a mapping or from (key, figure) pairs; equal to any mapping with the same
    items, whatever their order.

    Raises:
        InvalidValue: a blank or over-long key, a key given twice, a figure that is not an
            ``int`` or a finite ``Decimal`` (a ``float`` or ``bool`` is refused), or negative.

    >>> SubmittedFigures([("persons", 3), ("amount", Decimal("9.50"))])
    SubmittedFigures({'amount': Decimal('9.50'), 'persons': 3})
    """

    __slots__ = ("_figures",)

    _figures: dict[str, SubmittedFigure]

    def __init__(
        self,
        figures: Mapping[str, SubmittedFigure] | Iterable[tuple[str, SubmittedFigure]] = (),
    ) -> None:
        given: object = figures  # checked here, whatever the annotation promises
        if isinstance(given, Mapping):
            pairs: list[Any] = list(given.items())
        elif isinstance(given, Iterable) and not isinstance(given, str | bytes):
            pairs = list(given)
        else:
            raise InvalidValue(
                "figures",
                type(given).__name__,
                "must be a mapping or (key, figure) pairs",
                "应为映射或(指标, 数值)对",
            )
        checked = [_check_pair(index, pair) for index, pair in enumerate(pairs)]
        by_key = dict(sorted(checked, key=lambda pair: pair[0]))
        if len(by_key) != len(checked):
            keys = [key for key, _ in checked]
            twice = next(key for key in keys if keys.count(key) > 1)
            raise InvalidValue("figures", twice, "a figure is given twice", "指标重复")
        object.__setattr__(self, "_figures", by_key)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("SubmittedFigures is immutable")

    def __getitem__(self, key: str) -> SubmittedFigure:
        return self._figures[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def __hash__(self) -> int:
        return hash(frozenset(self._figures.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._figures == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"SubmittedFigures({self._figures!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (SubmittedFigures, (self._figures,))


def _as_figures(value: Any) -> SubmittedFigures:
    return value if isinstance(value, SubmittedFigures) else SubmittedFigures(value)


@attrs.frozen(kw_only=True)
class ReportSubmission:
    """One unit's submitted figures for one report and period (报送数据).

    Attributes:
        unit: the submitting unit.
        kind: the report's kind, as :attr:`veteran_affairs.hierarchy.Report.kind` names it
            (``"population"``, ``"plaques"``, ``"assistance"`` …).
        period: the period or date the figures are for: the ``as_of`` of the matching report
            (``"2020Q3"`` for a flow, ``"2021-01-06"`` for a stock).
        figures: by key, the report's column keys: counts are ``int``, amounts, areas and
            rates ``Decimal``, none negative. Given as a mapping or as (key, figure) pairs and
            kept as :class:`SubmittedFigures` (immutable, sorted by key).
        submitted_on: the day the figures were submitted.

    Raises:
        InvalidValue: a bad unit, kind, period or date, or bad figures (see
            :class:`SubmittedFigures`).
    """

    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    kind: str = attrs.field(validator=text(max_length=64))
    period: str = attrs.field(validator=text(max_length=32))
    figures: Mapping[str, SubmittedFigure] = attrs.field(
        converter=_as_figures, validator=instance_of(SubmittedFigures)
    )
    submitted_on: dt.date = attrs.field(validator=past_date)
