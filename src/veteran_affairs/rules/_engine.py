"""The private engine of ``veteran_affairs.rules``: rules, their evaluation, the rule book."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from veteran_affairs import jurisdictions
from veteran_affairs.errors import (
    InvalidValue,
    ParameterError,
    ParameterMissing,
    ParameterNotInForce,
    UnknownJurisdiction,
    UnknownRule,
    WrongSubject,
)
from veteran_affairs.models import (
    Household,
    PlaqueHousehold,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.models.circumstances import Sanction, SanctionKind
from veteran_affairs.parameters import (
    Citation,
    Parameter,
    ParameterSet,
    ParameterVersion,
    is_plain_value,
    load_parameter_file,
    versions_from_user,
)
from veteran_affairs.rules._decision import (
    Component,
    Deadline,
    Decision,
    ParameterUse,
    Period,
    Reason,
    new_component,
    new_deadline,
    new_decision,
    slot_setters,
)
from veteran_affairs.statutes import PENSIONS_2024, pair

__all__ = ["Change", "ColumnarRule", "Evaluation", "Rule", "RuleBook", "subject_reference"]

Decide = Callable[[Any, "Evaluation"], Decision]
# The columnar twin's function: (book, validated columns, date) -> output arrays (numpy).
DecideColumns = Callable[["RuleBook", Mapping[str, Any], dt.date], dict[str, Any]]


@attrs.frozen(kw_only=True)
class ColumnarRule:
    """The columnar (batch) twin of a rule, registered on its :class:`Rule` (列式计算).

    The twin decides whole columns of numpy arrays at once (``veteran_affairs.rules.batch``);
    it lives in the rule's own module beside the per-subject function and must change with
    it (a property test proves they agree row by row). Importing a rule never imports numpy:
    the twin imports it when called.

    Attributes:
        name: the rule's name.
        reads_by_subject: for each subject type the rule decides on, the input columns the
            rows of that type need (names in ``veteran_affairs.rules.batch.COLUMNS``).
        outputs: the arrays it returns and their numpy dtypes, in order.
        evaluate: the twin itself: ``(book, columns, on) -> arrays``, the columns already
            validated and converted.
    """

    name: str
    reads_by_subject: Mapping[type, tuple[str, ...]]
    outputs: Mapping[str, str]
    evaluate: DecideColumns = attrs.field(eq=False, repr=False)

    @property
    def subjects(self) -> tuple[type, ...]:
        """The subject types the twin decides on, in the rule's order."""
        return tuple(self.reads_by_subject)

    @property
    def reads(self) -> tuple[str, ...]:
        """Every input column the twin may read, over all its subject types."""
        return tuple(dict.fromkeys(n for names in self.reads_by_subject.values() for n in names))


@attrs.frozen(kw_only=True)
class Rule:
    """A rule: its name, labels, the subjects it decides on, its basis, and its function."""

    name: str
    label_zh: str
    label_en: str
    subjects: tuple[type, ...]
    basis: tuple[Citation, ...]
    decide: Decide = attrs.field(eq=False, repr=False)
    columnar: ColumnarRule | None = attrs.field(default=None, eq=False, repr=False)

    def applies_to(self, subject: object) -> bool:
        return isinstance(subject, self.subjects)


def subject_reference(subject: object) -> str:
    """A masked reference to a subject, safe for logs and exports.

    A subject type of a rule may define its own ``subject_reference`` property (masked).
    """
    own = getattr(subject, "subject_reference", None)
    if isinstance(own, str):
        return own
    if isinstance(subject, (Veteran, Survivor, ServingMember)):  # a tuple: faster than a union
        return subject.person.resident_id.masked
    if isinstance(subject, Household):
        return f"household {subject.household_id}"
    if isinstance(subject, PlaqueHousehold):
        return f"household {subject.household.household_id}"
    return type(subject).__name__


_new = object.__new__
_set_code, _set_held, _set_message_en, _set_message_zh, _set_citation = slot_setters(
    Reason, "code", "held", "message_en", "message_zh", "citation"
)

# Lookups a rule book remembers (see ``Evaluation._look_up``): dates of discharge, death or
# assessment make the keys, so the memo is emptied when it reaches this size.
_MAX_LOOKUPS = 1 << 16


class _Default(enum.Enum):
    OUTCOME = "outcome"  # eligibility from the conditions recorded


class Evaluation:
    """What a rule uses while deciding: checks, parameters, missing inputs (a builder).

    Rule functions receive one, record every condition with :meth:`check`, read figures with
    :meth:`param`, and finish with :meth:`decide`.
    """

    __slots__ = (
        "_allow_stale",
        "_components",
        "_deadlines",
        "_failed",
        "_missing",
        "_parameters",
        "_reasons",
        "_stale",
        "_unknown",
        "_uses",
        "on",
        "rule",
        "subject",
    )

    def __init__(
        self,
        rule: Rule,
        subject: object,
        on: dt.date,
        parameters: ParameterSet,
        *,
        allow_stale: bool,
    ) -> None:
        self.rule = rule
        self.subject = subject
        self.on = on
        self._parameters = parameters
        self._allow_stale = allow_stale
        self._reasons: list[Reason] = []
        self._uses: list[ParameterUse] = []
        self._missing: list[str] = []
        self._components: list[Component] = []
        self._deadlines: list[Deadline] = []
        # What the reasons so far add up to, kept as they are recorded (see ``outcome``).
        self._failed = False
        self._unknown = False
        self._stale = False

    def check(
        self,
        code: str,
        held: bool | None,
        message_en: str,
        message_zh: str,
        citation: Citation | None = None,
        *,
        missing: str | None = None,
    ) -> bool | None:
        """Record a condition; ``held=None`` means unknown, and ``missing`` names the input."""
        # Reason(code=code, ...), set field by field (see _decision.slot_setters): this runs
        # a dozen times a decision.
        reason: Reason = _new(Reason)
        _set_code(reason, code)
        _set_held(reason, held)
        _set_message_en(reason, message_en)
        _set_message_zh(reason, message_zh)
        _set_citation(reason, citation)
        self._reasons.append(reason)
        if held is None:
            self._unknown = True
            if missing is not None and missing not in self._missing:
                self._missing.append(missing)
        elif not held:
            self._failed = True
        return held

    def parameter(self, key: str) -> Parameter:
        return self._parameters[key]

    def has_parameter(self, key: str) -> bool:
        """Whether the rule book defines ``key`` at all (a jurisdiction may not)."""
        return key in self._parameters

    def flag(self, key: str, default: bool, *, on: dt.date | None = None) -> bool:
        """A policy flag (1 or 0) in force on the evaluation date, recorded when used.

        Flags record a reading of a text where the law is unclear; the bundled files give the
        library's reading, users override it. ``default`` applies where the book has no
        version in force (the same reading). ``on`` reads it on another date than the
        evaluation date (an application date, say).
        """
        if key not in self._parameters:
            return default
        try:
            return self.param(key, on=on) != 0
        except (ParameterMissing, ParameterNotInForce):
            return default

    @property
    def allow_stale(self) -> bool:
        """Whether lookups past ``confirmed_through`` use the last known value."""
        return self._allow_stale

    def param(self, key: str, *path: str, on: dt.date | None = None) -> Decimal:
        """The value of ``key`` (at ``path`` in a table) on the evaluation date, recorded."""
        day = self.on if on is None else on
        lookups = self._parameters._lookups
        use: ParameterUse | None = lookups.get((key, path, day, self._allow_stale))
        if use is None:
            use = self._look_up(key, path, day)
        self._uses.append(use)
        if use.stale:
            self._stale = True
        return use.value

    def knows(self, key: str, *path: str, on: dt.date | None = None) -> bool:
        """Whether :meth:`param` would find a value, without recording it as used."""
        day = self.on if on is None else on
        if (key, path, day, self._allow_stale) in self._parameters._lookups:
            return True
        try:
            self._look_up(key, path, day)
        except ParameterError:
            return False
        return True

    def _look_up(self, key: str, path: tuple[str, ...], day: dt.date) -> ParameterUse:
        """A lookup not made before with this rule book, remembered by it.

        A rule book never changes, so the same key, cell, date and ``allow_stale`` always
        give the same figure from the same version; a lookup that fails is not remembered.
        """
        parameter = self._parameters[key]
        value, version = parameter.value_on(day, *path, allow_stale=self._allow_stale)
        stale = parameter.is_stale(version, day)
        use = ParameterUse(
            key=key,
            path=path,
            value=value,
            effective_from=version.effective_from,
            citation=version.citation,
            stale=stale,
            confirmed_through=parameter.stale_after(version) if stale else None,
        )
        lookups = self._parameters._lookups
        if len(lookups) >= _MAX_LOOKUPS:
            lookups.clear()
        lookups[key, path, day, self._allow_stale] = use
        return use

    def param_or_none(self, key: str, *path: str, on: dt.date | None = None) -> Decimal | None:
        """Like :meth:`param`, but ``None`` where no value is known for the date.

        For figures that only illustrate a reason (an amount named in a message), where an
        unknown figure must not stop the decision. A value found is recorded as used.
        """
        try:
            return self.param(key, *path, on=on)
        except ParameterError:
            return None

    def component(self, name: str, label_zh: str, amount: Decimal, period: Period) -> None:
        self._components.append(new_component(name, label_zh, amount, period))

    def deadline(
        self, due: dt.date, message_en: str, message_zh: str, citation: Citation | None = None
    ) -> None:
        self._deadlines.append(new_deadline(due, message_en, message_zh, citation))

    @property
    def outcome(self) -> bool | None:
        """All conditions so far: ``False`` if any failed, else ``None`` if any unknown."""
        if self._failed:
            return False
        if self._unknown:
            return None
        return True

    def decide(
        self,
        *,
        eligible: bool | _Default | None = _Default.OUTCOME,
        amount: Decimal | None = None,
        monthly: Decimal | None = None,
    ) -> Decision:
        """The decision: eligibility defaults to :attr:`outcome`; amounts only if eligible."""
        outcome = self.outcome if isinstance(eligible, _Default) else eligible
        paid = outcome is True
        return new_decision(
            self.rule.name,
            subject_reference(self.subject),
            self.on,
            outcome,
            amount if paid else None,
            monthly if paid else None,
            tuple(self._components) if paid else (),
            tuple(self._reasons),
            tuple(self._uses),
            tuple(self._missing),
            tuple(self._deadlines),
            self._stale,
        )


# --- suspension and cancellation (cross-cutting) --------------------------------------------

SUSPENSION_2019, SUSPENSION_2024 = pair("pensions.sanctions").citations
"""Suspension and cancellation of entitlements: 《军人抚恤优待条例》 2019 第五十条, 2024 第五十九条
(the concordance in :mod:`veteran_affairs.statutes`)."""
_REGULATION_2024 = PENSIONS_2024.in_force


def sanction_applies(sanction: Sanction, on: dt.date) -> bool:
    """Whether ``sanction`` stops entitlements on ``on`` under the text then in force.

    The 2019 text (第五十条) did not list expulsion from the army; the 2024 text (第五十九条)
    does, from 2024-10-01.
    """
    if not sanction.in_effect_on(on):
        return False
    return on >= _REGULATION_2024 or sanction.kind is not SanctionKind.EXPULSION_FROM_ARMY


def check_sanctions(evaluation: Evaluation, sanctions: tuple[Sanction, ...]) -> bool:
    """Record whether a sanction stops periodic payments on the evaluation date.

    《军人抚恤优待条例》(2024) 第五十九条: payments are suspended (中止) while serving a fixed
    prison term, deprived of political rights or wanted, and cancelled (取消) on a death
    sentence, life imprisonment or expulsion from the army. The 2019 text (第五十条) did not
    list expulsion; before 2024-10-01 an expulsion is therefore not treated as cancelling here.
    Returns whether payments may go ahead.
    """
    on = evaluation.on
    citation = SUSPENSION_2024 if on >= _REGULATION_2024 else SUSPENSION_2019
    for sanction in sanctions:
        if not sanction_applies(sanction, on):
            continue
        effect_en = "cancelled" if sanction.kind.cancels else "suspended"
        effect_zh = "取消" if sanction.kind.cancels else "中止"
        evaluation.check(
            "sanction",
            False,
            f"payments {effect_en}: {sanction.kind.value} since {sanction.since.isoformat()}",
            f"{sanction.kind.label_zh}，{effect_zh}发放",
            citation,
        )
        return False
    evaluation.check(
        "sanction",
        True,
        "no sanction suspends or cancels payments",
        "无中止或取消抚恤优待的情形",
        citation,
    )
    return True


# --- the rule book ---------------------------------------------------------------------------


def bundled_jurisdictions() -> tuple[str, ...]:
    """The names of the jurisdiction profiles that ship with the package, sorted."""
    return tuple(sorted(profile.name for profile in jurisdictions.bundled()))


def _load_set(profile: jurisdictions.Jurisdiction) -> ParameterSet:
    """The parameters of ``profile``, layered on its parents' (read once per version of the
    files; immutable)."""
    chain = tuple(
        (j.name, j.parent, None, 0)
        if j.parameters is None
        else (j.name, j.parent, str(j.parameters), 0 if j.bundled else _stamp(j.parameters))
        for j in profile.chain
    )
    return _layered(chain)


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns


@functools.lru_cache(maxsize=32)
def _layered(chain: tuple[tuple[str, str | None, str | None, int], ...]) -> ParameterSet:
    *outer, (name, parent, path, _) = chain
    parameters: dict[str, Parameter] = {}
    if path is not None:
        header, parameters = load_parameter_file(path)
        for key, expected in (("jurisdiction", name), ("extends", parent)):
            if key in header and header[key] != expected:
                raise UnknownJurisdiction(
                    name,
                    problem=f"{path}: {key} = {header[key]!r}, but the profile's manifest "
                    f"says {expected!r}",
                )
    if outer:
        return _layered(tuple(outer)).layered(parameters, jurisdiction=name)
    return ParameterSet(jurisdiction=name, parameters=MappingProxyType(parameters))


def _confirmed_after(current: Parameter, added: Sequence[ParameterVersion]) -> dt.date | None:
    """The confirmed limit once ``added`` versions are merged into ``current``.

    A user version that becomes the latest is vouched for by the user: no limit applies. One
    that only corrects or fills the history leaves the bundled limit on the latest version.
    """
    if not current.versions or not added:
        return None
    latest = current.versions[-1].effective_from
    if any(version.effective_from >= latest for version in added):
        return None
    return current.confirmed_through


@attrs.frozen(kw_only=True)
class Change:
    """What differs for one subject and rule between two rule books (a what-if)."""

    subject: str
    rule: str
    before: Decision
    after: Decision

    @property
    def amount_delta(self) -> Decimal | None:
        if self.before.amount is None or self.after.amount is None:
            return None
        return self.after.amount - self.before.amount


@attrs.frozen(kw_only=True)
class RuleBook:
    """Rules and the parameters of one jurisdiction, immutable (规则手册).

    >>> book = RuleBook.load("guangxi")
    >>> book.jurisdiction, "disability_pension" in book.rule_names
    ('guangxi', True)
    """

    jurisdiction: str
    parameters: ParameterSet = attrs.field(repr=False)
    rules: Mapping[str, Rule] = attrs.field(eq=False, repr=False)
    allow_stale: bool = False

    @classmethod
    def load(
        cls,
        jurisdiction: str | Path | jurisdictions.Jurisdiction = "national",
        *,
        allow_stale: bool = False,
        parameters: Path | str | Sequence[Path | str] | None = None,
    ) -> RuleBook:
        """The book of ``jurisdiction`` (``"national"``, ``"guangxi"``, …).

        ``jurisdiction`` is a profile's name or folder, as
        :meth:`Jurisdiction.load <veteran_affairs.jurisdictions.Jurisdiction.load>` takes
        it (a name is looked up on the search path, then among the bundled profiles), or a
        loaded profile. A provincial book layers its file on the national one. ``parameters`` names one or
        more of the user's own parameter files (the TOML format of the bundled ones, see
        ``docs/parameters.md``), layered in order on top, as :meth:`with_parameters` does:
        local figures (a province's supplement, 优待金, the local wage) and newer national
        versions. ``allow_stale`` lets lookups past a parameter's ``confirmed_through`` date,
        or past a version's ``known_until``, use the last known value instead of raising
        :class:`~veteran_affairs.errors.ParameterOutOfDate` /
        :class:`~veteran_affairs.errors.ParameterMissing`; decisions made so are marked
        :attr:`Decision.stale <veteran_affairs.rules.Decision.stale>` and name each such
        figure.
        """
        from veteran_affairs.rules import RULES

        profile = (
            jurisdiction
            if isinstance(jurisdiction, jurisdictions.Jurisdiction)
            else jurisdictions.Jurisdiction.load(jurisdiction)
        )
        book = cls(
            jurisdiction=profile.name,
            parameters=_load_set(profile),
            rules=RULES,
            allow_stale=allow_stale,
        )
        files = [parameters] if isinstance(parameters, Path | str) else parameters or ()
        for path in files:
            book = book.with_parameters(Path(path))
        return book

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(self.rules)

    def with_parameters(self, overrides: Mapping[str, Any] | Path | str) -> RuleBook:
        """A new book with user-supplied parameter values layered on this one's.

        ``overrides`` is a mapping or the path of a TOML parameter file. In a mapping each key
        names a parameter and its value is either a plain value (text, int, ``Decimal`` or a
        table), which replaces the whole history (a what-if: "use this figure on every
        date"), or a version (``{"effective_from": ..., "value": ..., "citation": ...}``) or a
        list of them, merged into the existing history (the same effective date replaces). A
        file's versions are merged the same way, and a file may define new parameters. The
        user vouches for what they supply: no ``confirmed_through`` limit applies to it.
        """
        if isinstance(overrides, Path | str):
            _, parameters = load_parameter_file(overrides)
            layer: dict[str, Parameter] = {}
            for key, parameter in parameters.items():
                if key in self.parameters:
                    current = self.parameters[key]
                    confirmed = parameter.confirmed_through or _confirmed_after(
                        current, parameter.versions
                    )
                    layer[key] = current.with_versions(
                        parameter.versions, confirmed_through=confirmed
                    )
                else:
                    layer[key] = parameter
        else:
            layer = {}
            for key, raw in overrides.items():
                if key not in self.parameters:
                    raise InvalidValue(
                        "parameters",
                        key,
                        "no such parameter; define new ones in a TOML file",
                        "无此参数",
                    )
                versions = versions_from_user(key, raw)
                current = self.parameters[key]
                if is_plain_value(raw):
                    current = attrs.evolve(current, versions=())
                layer[key] = current.with_versions(
                    versions, confirmed_through=_confirmed_after(current, versions)
                )
        return attrs.evolve(self, parameters=self.parameters.layered(layer))

    def allowing_stale(self, allow: bool = True) -> RuleBook:
        """The same book, using last known values past ``confirmed_through`` (or not)."""
        return attrs.evolve(self, allow_stale=allow)

    def rule(self, name: str) -> Rule:
        try:
            return self.rules[name]
        except KeyError:
            raise UnknownRule(name, self.rule_names) from None

    def evaluate(self, rule: str, subject: object, *, on: dt.date) -> Decision:
        """Decide ``rule`` for ``subject`` as of ``on``.

        Raises:
            UnknownRule: no such rule.
            WrongSubject: the rule does not decide on this kind of subject.
            ParameterError: a figure the rule needs is not known for ``on``.
        """
        chosen = self.rule(rule)
        if not chosen.applies_to(subject):
            raise WrongSubject(
                rule, type(subject).__name__, " or ".join(t.__name__ for t in chosen.subjects)
            )
        evaluation = Evaluation(chosen, subject, on, self.parameters, allow_stale=self.allow_stale)
        return chosen.decide(subject, evaluation)

    def evaluate_all(self, subject: object, *, on: dt.date) -> tuple[Decision, ...]:
        """Every rule that decides on this kind of subject."""
        return tuple(
            self.evaluate(name, subject, on=on)
            for name, rule in self.rules.items()
            if rule.applies_to(subject)
        )

    def evaluate_many(
        self,
        subjects: Iterable[object],
        rules: Sequence[str] | None = None,
        *,
        on: dt.date,
    ) -> Iterator[Decision]:
        """Decisions for a population, streamed one subject at a time.

        With ``rules`` given, each applies to the subjects it decides on (others are skipped);
        without, every applicable rule. Nothing is held beyond the current subject.
        """
        chosen = [self.rule(name) for name in rules] if rules is not None else None
        for subject in subjects:
            names = (
                [r.name for r in chosen if r.applies_to(subject)]
                if chosen is not None
                else [n for n, r in self.rules.items() if r.applies_to(subject)]
            )
            for name in names:
                yield self.evaluate(name, subject, on=on)

    def compare(
        self,
        other: RuleBook,
        subjects: Iterable[object],
        *,
        on: dt.date,
        rules: Sequence[str] | None = None,
    ) -> Iterator[Change]:
        """What changes for whom when going from ``other`` (before) to this book (after).

        Yields a :class:`Change` for each subject and rule whose eligibility, amount, monthly
        payment or components differ; the same book compared with itself yields nothing.
        """
        for subject in subjects:
            after = list(self.evaluate_many([subject], rules, on=on))
            before = list(other.evaluate_many([subject], rules, on=on))
            for old, new in zip(before, after, strict=True):
                if (old.eligible, old.amount, old.monthly, old.components) != (
                    new.eligible,
                    new.amount,
                    new.monthly,
                    new.components,
                ):
                    yield Change(subject=new.subject, rule=new.rule, before=old, after=new)
