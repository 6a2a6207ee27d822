"""Legal parameters in time: versions with effective dates, citations and known limits.

A :class:`Parameter` is a figure set by law or notice (a rate, a table by grade and nature, a
threshold) with its history. Looking one up for a date returns the version in force, and fails
loudly when the date lies before the first version (:class:`ParameterNotInForce`), after the
last date the bundled value is known to hold (:class:`ParameterOutOfDate`), or where no value is
known at all (:class:`ParameterMissing`). Figures are never guessed.

Parameter files are TOML (read with the standard library), one per jurisdiction; see
``data/jurisdictions/national/national.toml`` for the format. Values are written as text or integers (never
TOML floats) and become :class:`~decimal.Decimal`.

This module is the one home of the parameter machinery: the rule book
(:mod:`veteran_affairs.rules`, which re-exports the classes) and the casework time limits
(:mod:`veteran_affairs.casework.deadlines`) both read their figures through it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Union

import attrs

from veteran_affairs.errors import (
    InvalidValue,
    ParameterMissing,
    ParameterNotInForce,
    ParameterOutOfDate,
)
from veteran_affairs.money import round_fen, yuan

__all__ = [
    "Citation",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "ParameterVersion",
    "SourceGrade",
    "is_plain_value",
    "load_parameter_file",
    "parse_parameters",
    "versions_from_user",
]


def __dir__() -> list[str]:
    return __all__


ParameterValue = Union[Decimal, "Mapping[str, ParameterValue]"]
"""A scalar, or a table keyed by text (``{"in-combat": {"1": Decimal("96970")}}``)."""

_BEGINNING = dt.date.min


class SourceGrade(enum.Enum):
    """How strong the source of a figure is (来源等级), as ``STANDARDS.md`` grades them.

    * ``GOV``: printed on a government site or in an official newspaper (政府网站、官方报刊);
    * ``REPOST``: a third-party page reproducing a notice or news item (转载);
    * ``SECONDARY``: an explainer or Q&A page, undated or unattributed (二手资料).

    A version whose cells come from several sources takes the weakest grade among them.
    """

    GOV = "GOV"
    REPOST = "REPOST"
    SECONDARY = "SECONDARY"

    @property
    def label_zh(self) -> str:
        return {"GOV": "官方来源", "REPOST": "转载", "SECONDARY": "二手资料"}[self.value]


@attrs.frozen(kw_only=True)
class Citation:
    """Where a rule or figure comes from: document, article, effective date, address.

    Figures from the yearly notices also carry the notice's number (文号) where it is known,
    the grade of the source they were read from (:class:`SourceGrade`) and the line quoted
    there. Citations of statutes carry no grade.

    >>> str(Citation(document="《军人抚恤优待条例》(2024)", article="第二十七条",
    ...              effective=dt.date(2024, 10, 1)))
    '《军人抚恤优待条例》(2024) 第二十七条 (in force 2024-10-01)'
    >>> str(Citation(document="national notice", number="退役军人部发〔2024〕46号",
    ...              grade=SourceGrade.GOV))
    'national notice 退役军人部发〔2024〕46号 [source: GOV]'
    """

    document: str
    article: str | None = None
    effective: dt.date | None = None
    url: str | None = None
    note: str | None = None
    number: str | None = None
    grade: SourceGrade | None = None
    quote: str | None = None

    def __str__(self) -> str:
        text = self.document
        if self.number:
            text += f" {self.number}"
        if self.article:
            text += f" {self.article}"
        if self.effective:
            text += f" (in force {self.effective.isoformat()})"
        if self.grade is not None:
            text += f" [source: {self.grade.value}]"
        return text


def _freeze(value: Any, where: str) -> ParameterValue:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v, f"{where}.{k}") for k, v in value.items()})
    if isinstance(value, float):
        raise InvalidValue(
            where,
            repr(value),
            "write amounts as text or integers, not floats",
            "金额请写成字符串或整数",
        )
    return yuan(value, field=where)


@attrs.frozen(kw_only=True)
class ParameterVersion:
    """One version of a parameter: in force from ``effective_from``.

    ``known_until`` marks a version whose successor is not known: past that date the value is
    unknown (a later rise happened but its amount was not confirmed).
    """

    effective_from: dt.date
    value: ParameterValue = attrs.field(eq=False)
    citation: Citation
    known_until: dt.date | None = None

    def cell(self, key: str, path: tuple[str, ...], on: dt.date) -> Decimal:
        """The scalar at ``path`` in this version's value (raises if absent)."""
        node: ParameterValue = self.value
        for step in path:
            if isinstance(node, Decimal) or step not in node:
                raise ParameterMissing(
                    key,
                    on.isoformat(),
                    f"no value for {'/'.join(path)} in the version in force from "
                    f"{self.effective_from.isoformat()} (未确认该项数值; supply it)",
                )
            node = node[step]
        if not isinstance(node, Decimal):
            raise ParameterMissing(
                key,
                on.isoformat(),
                f"{'/'.join(path) or 'the value'} is a table; a cell is needed",
            )
        return node


@attrs.frozen(kw_only=True)
class Parameter:
    """A legal figure with its history (参数).

    Attributes:
        key: dotted name, ``"<rule>.<figure>"``.
        label_zh, label_en: what it is.
        unit: e.g. ``"CNY/year"``, ``"CNY/month"``, ``"ratio"``.
        versions: in order of ``effective_from``; may be empty (nothing bundled).
        confirmed_through: the last date the latest version is known to be in force; ``None``
            when the user supplied it (the user vouches for it) or when it has no end.
        supply: what a user must supply when no value is known.
        rounding: how amounts derived from it are rounded: ``"fen"`` (分, the default) or
            ``"yuan"`` (元), half up in both cases.
    """

    key: str
    label_zh: str
    label_en: str
    unit: str
    versions: tuple[ParameterVersion, ...] = ()
    confirmed_through: dt.date | None = None
    supply: str = ""
    basis: Citation | None = None
    rounding: str = "fen"

    def __attrs_post_init__(self) -> None:
        if self.rounding not in ("fen", "yuan"):
            raise InvalidValue(
                f"{self.key}.rounding", self.rounding, "must be 'fen' or 'yuan'", "应为fen或yuan"
            )
        dates = [v.effective_from for v in self.versions]
        if dates != sorted(set(dates)):
            raise InvalidValue(
                f"{self.key}.versions",
                ", ".join(d.isoformat() for d in dates),
                "versions must have distinct effective dates in order",
                "各版本生效日期须不同且按顺序排列",
            )

    def stale_after(self, version: ParameterVersion) -> dt.date | None:
        """The last date ``version``'s value is confirmed for, if it has such a limit.

        That is the version's ``known_until`` (a successor came whose amount is not known)
        or, for the latest version, the parameter's ``confirmed_through``.
        """
        if version.known_until is not None:
            return version.known_until
        if version is self.versions[-1]:
            return self.confirmed_through
        return None

    def is_stale(self, version: ParameterVersion, on: dt.date) -> bool:
        """Whether using ``version`` on ``on`` goes past the date it is confirmed for."""
        limit = self.stale_after(version)
        return limit is not None and on > limit

    def version_on(self, on: dt.date, *, allow_stale: bool = False) -> ParameterVersion:
        """The version in force on ``on``.

        Raises:
            ParameterMissing: nothing is known (no version, or a gap after ``known_until``).
            ParameterNotInForce: ``on`` is before the first version.
            ParameterOutOfDate: ``on`` is after ``confirmed_through`` and stale values were
                not allowed.
        """
        when = on.isoformat()
        if not self.versions:
            hint = f": {self.supply}" if self.supply else ""
            raise ParameterMissing(
                self.key, when, f"no value is bundled; supply it (须由使用者提供){hint}"
            )
        if on < self.versions[0].effective_from:
            first = self.versions[0].effective_from.isoformat()
            raise ParameterNotInForce(
                self.key, when, f"the first known version takes effect on {first} (尚未施行)"
            )
        chosen = self.versions[0]
        for version in self.versions[1:]:
            if version.effective_from > on:
                break
            chosen = version
        if chosen.known_until is not None and on > chosen.known_until and not allow_stale:
            raise ParameterMissing(
                self.key,
                when,
                f"the version from {chosen.effective_from.isoformat()} is known to hold only "
                f"until {chosen.known_until.isoformat()}; the next amount is not confirmed "
                f"(后续标准未确认; supply it)",
            )
        latest = chosen is self.versions[-1]
        if (
            latest
            and self.confirmed_through is not None
            and on > self.confirmed_through
            and not allow_stale
        ):
            raise ParameterOutOfDate(
                self.key,
                when,
                f"the bundled value is confirmed only through "
                f"{self.confirmed_through.isoformat()} (数据仅确认至该日); supply a newer version "
                f"(RuleBook.load(..., parameters=FILE) or with_parameters; --parameters FILE "
                f"on the command line), or allow stale values (allow_stale=True; "
                f"--allow-stale)",
            )
        return chosen

    def value_on(
        self, on: dt.date, *path: str, allow_stale: bool = False
    ) -> tuple[Decimal, ParameterVersion]:
        """The scalar at ``path`` on ``on``, with the version it came from."""
        version = self.version_on(on, allow_stale=allow_stale)
        return version.cell(self.key, path, on), version

    def round(self, amount: Decimal) -> Decimal:
        """Round an amount derived from this parameter as it says (half up)."""
        if self.rounding == "yuan":
            return round_fen(amount).quantize(Decimal(1), rounding=decimal.ROUND_HALF_UP)
        return round_fen(amount)

    def with_versions(
        self, versions: Iterable[ParameterVersion], *, confirmed_through: dt.date | None
    ) -> Parameter:
        """A copy with ``versions`` merged in (same effective date: the new one wins)."""
        by_date = {v.effective_from: v for v in self.versions}
        by_date.update({v.effective_from: v for v in versions})
        return attrs.evolve(
            self,
            versions=tuple(by_date[d] for d in sorted(by_date)),
            confirmed_through=confirmed_through,
        )


@attrs.frozen(kw_only=True)
class ParameterSet:
    """The parameters of a jurisdiction, by key; layers stack without copying the rest."""

    jurisdiction: str
    parameters: Mapping[str, Parameter] = attrs.field(eq=False)
    # The rule engine's memo of lookups made through this set (key, cell, date → the figure
    # used). A set never changes, so a lookup's result never does; each set has its own.
    _lookups: dict[tuple[Any, ...], Any] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def __getstate__(self) -> dict[str, Any]:
        """The set without its memo: a copy or a pickled set (Dask) starts with none."""
        return {"jurisdiction": self.jurisdiction, "parameters": self.parameters}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_lookups", {})

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise ParameterMissing(
                key, "any date", "no such parameter in this rule book (无此参数)"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self.parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters[k] for k in sorted(self.parameters))

    def layered(
        self, layer: Mapping[str, Parameter], jurisdiction: str | None = None
    ) -> ParameterSet:
        """A new set where ``layer`` replaces parameters of the same key and adds new ones."""
        merged = dict(self.parameters)
        merged.update(layer)
        return ParameterSet(
            jurisdiction=jurisdiction or self.jurisdiction, parameters=MappingProxyType(merged)
        )


# --- reading parameter files ---------------------------------------------------------------


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise InvalidValue(where, repr(value), "must be a date (YYYY-MM-DD)", "应为日期")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValue(where, value, "must be a date (YYYY-MM-DD)", "应为日期") from None
    return value


def _citation(raw: Any, where: str) -> Citation:
    if isinstance(raw, Citation):
        return raw
    if isinstance(raw, str):
        return Citation(document=raw)
    if not isinstance(raw, Mapping) or "document" not in raw:
        raise InvalidValue(where, repr(raw), "a citation needs at least a document", "须注明出处")
    unknown = sorted(set(raw) - _CITATION_FIELDS)
    if unknown:
        raise InvalidValue(
            f"{where}.{unknown[0]}",
            repr(raw[unknown[0]]),
            f"not a citation field (known: {', '.join(sorted(_CITATION_FIELDS))})",
            "不是出处的字段",
        )
    effective = raw.get("effective")
    grade = raw.get("grade")
    if grade is not None and grade not in _GRADES:
        raise InvalidValue(
            f"{where}.grade",
            repr(grade),
            f"must be one of {', '.join(_GRADES)}",
            "来源等级应为 GOV、REPOST 或 SECONDARY",
        )
    return Citation(
        document=str(raw["document"]),
        article=raw.get("article"),
        effective=_date(effective, f"{where}.effective") if effective else None,
        url=raw.get("url"),
        note=raw.get("note"),
        number=raw.get("number"),
        grade=None if grade is None else SourceGrade(grade),
        quote=raw.get("quote"),
    )


_CITATION_FIELDS = frozenset(
    ("document", "article", "effective", "url", "note", "number", "grade", "quote")
)
_GRADES = tuple(grade.value for grade in SourceGrade)


def _version(raw: Any, where: str, default_citation: Citation | None) -> ParameterVersion:
    if isinstance(raw, ParameterVersion):
        return raw
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise InvalidValue(where, repr(raw), "a version needs a value", "版本须有数值")
    known_until = raw.get("known_until")
    citation = raw.get("citation")
    if citation is None and default_citation is None:
        raise InvalidValue(where, "no citation", "every version cites its source", "须注明出处")
    return ParameterVersion(
        effective_from=_date(raw.get("effective_from", _BEGINNING), f"{where}.effective_from"),
        value=_freeze(raw["value"], f"{where}.value"),
        citation=_citation(citation, f"{where}.citation")
        if citation is not None
        else default_citation,  # type: ignore[arg-type]
        known_until=_date(known_until, f"{where}.known_until") if known_until else None,
    )


def parse_parameters(document: Mapping[str, Any], *, source: str) -> dict[str, Parameter]:
    """Parameters from a parsed parameter file (see ``data/jurisdictions/national/national.toml``)."""
    parameters: dict[str, Parameter] = {}
    for index, raw in enumerate(document.get("parameter", ())):
        where = f"{source}: parameter[{index}]"
        try:
            key = raw["key"]
            basis = _citation(raw["basis"], f"{where}.basis") if "basis" in raw else None
            versions = tuple(
                _version(v, f"{where}.version[{i}]", None)
                for i, v in enumerate(raw.get("version", ()))
            )
            confirmed = raw.get("confirmed_through")
            parameters[key] = Parameter(
                key=key,
                label_zh=raw["label_zh"],
                label_en=raw["label_en"],
                unit=raw["unit"],
                versions=versions,
                confirmed_through=_date(confirmed, f"{where}.confirmed_through")
                if confirmed
                else None,
                supply=raw.get("supply", ""),
                basis=basis,
                rounding=raw.get("rounding", "fen"),
            )
        except KeyError as missing:
            raise InvalidValue(
                where, str(missing), "required field missing", "缺少必填项"
            ) from None
    return parameters


def load_parameter_file(path: Path | str) -> tuple[dict[str, Any], dict[str, Parameter]]:
    """The header (jurisdiction, extends, …) and the parameters of a TOML parameter file."""
    path = Path(path)
    with path.open("rb") as handle:
        try:
            document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise InvalidValue(
                str(path), str(error), "not a valid TOML parameter file", "参数文件格式错误"
            ) from None
    header = {k: v for k, v in document.items() if k != "parameter"}
    return header, parse_parameters(document, source=path.name)


def is_plain_value(raw: Any) -> bool:
    """Whether user input is a value rather than a version or a list of versions."""
    if isinstance(raw, ParameterVersion | list | tuple):
        return False
    return not (isinstance(raw, Mapping) and "value" in raw)


def versions_from_user(key: str, raw: Any) -> list[ParameterVersion]:
    """User-supplied versions of ``key``: a plain value, a version, or a list of versions.

    A plain value (text, integer, ``Decimal`` or a table) is one version in force from the
    beginning of time (the caller replaces the history with it). Mappings with ``effective_from`` and ``value`` are versions. The user
    vouches for what they supply, so no ``confirmed_through`` applies unless given.
    """
    user = Citation(document="user-supplied (使用者提供)")
    where = f"parameters[{key!r}]"
    if isinstance(raw, ParameterVersion):
        return [raw]
    if isinstance(raw, Mapping) and "value" in raw:
        raw = [raw]
    if isinstance(raw, list | tuple):
        return [_version(item, f"{where}[{i}]", user) for i, item in enumerate(raw)]
    return [ParameterVersion(effective_from=_BEGINNING, value=_freeze(raw, where), citation=user)]
