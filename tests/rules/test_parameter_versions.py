"""The bundled national standards, version by version, against an independent transcription.

``scenarios/parameter_versions.toml`` transcribes the disability pension (残疾抚恤金) and the
survivors' periodic pension (三属定期抚恤金) tables of ``STANDARDS.md`` and ``DOMAIN.md`` §4,
without reading the bundled parameter files. Every cell of every version is decided by the
rule itself, through both bundled books, on the version's first day, a day in between and its
last day (the eve of the next version); unknown cells must raise
:class:`~veteran_affairs.errors.ParameterMissing`, never yield an amount; the edges (before the
first version, past ``confirmed_through``, with and without ``allow_stale``) are checked the
same way. A typo on either side fails a test named after the version, cell and date.
"""

from __future__ import annotations

import datetime as dt
import decimal
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs
import pytest

from tests.rules.builders import SCENARIO_DIR, scenarios
from tests.rules.test_disability_pension import veteran
from tests.rules.test_survivor_pension import survivor
from veteran_affairs import errors
from veteran_affairs.errors import (
    ParameterError,
    ParameterMissing,
    ParameterNotInForce,
    ParameterOutOfDate,
)
from veteran_affairs.models import Survivor, Veteran
from veteran_affairs.rules import Decision, RuleBook

D = dt.date
DAY = dt.timedelta(days=1)
TABLES: Final = tomllib.loads((SCENARIO_DIR / "parameter_versions.toml").read_text("utf-8"))
SCENARIOS = scenarios("parameter_versions")

BOOK_NAMES = ("national", "guangxi")
BOOKS = {name: RuleBook.load(name) for name in BOOK_NAMES}
STALE_BOOKS = {name: RuleBook.load(name, allow_stale=True) for name in BOOK_NAMES}

NATURES = ("in-combat", "on-duty", "illness")  # the columns of the disability table
GRADES = tuple(str(grade) for grade in range(1, 11))
DEATHS = ("martyr", "duty-death", "illness-death")  # the columns of the survivors' table
UNKNOWN = "?"  # not confirmed: ParameterMissing
NOT_PENSIONED = "-"  # 因病 grades 7–10: not eligible, nothing looked up

NEEDY = {"able_to_work": False, "has_means_of_support": False}


# --- the transcribed tables ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Version:
    """One row of a transcribed table: its cells, ``None`` where the figure is not confirmed.

    ``bundled`` is false for a gap: the previous version is known only until the day before.
    """

    effective_from: dt.date
    cells: Mapping[str, Decimal | None]
    bundled: bool = True


@attrs.frozen(kw_only=True)
class Standard:
    """A transcribed parameter: the rule deciding on it, its versions, its confirmed limit."""

    rule: str
    key: str
    versions: tuple[Version, ...]
    confirmed_through: dt.date
    not_pensioned: frozenset[str] = frozenset()


def _cell(raw: Any, where: str) -> Decimal | None:
    if raw == UNKNOWN:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
        raise AssertionError(f"{where}: {raw!r} is not an amount, {UNKNOWN!r} or {NOT_PENSIONED!r}")
    return Decimal(raw)


def _disability() -> Standard:
    raw = TABLES["disability_pension"]
    versions = []
    not_pensioned: set[str] = set()
    for row in raw["version"]:
        cells: dict[str, Decimal | None] = {}
        for grade in GRADES:
            assert len(NATURES) == len(row[grade]), f"{row['effective_from']} grade {grade}"
            for nature, value in zip(NATURES, row[grade], strict=True):
                cell = f"{nature}/{grade}"
                if value == NOT_PENSIONED:
                    not_pensioned.add(cell)
                else:
                    cells[cell] = _cell(value, f"{row['effective_from']} {cell}")
        versions.append(Version(effective_from=D.fromisoformat(row["effective_from"]), cells=cells))
    return Standard(
        rule="disability_pension",
        key=raw["key"],
        versions=tuple(versions),
        confirmed_through=D.fromisoformat(raw["confirmed_through"]),
        not_pensioned=frozenset(not_pensioned),
    )


def _survivors() -> Standard:
    raw = TABLES["survivor_pension"]
    versions = tuple(
        Version(
            effective_from=D.fromisoformat(row["effective_from"]),
            cells={
                death: _cell(value, f"{row['effective_from']} {death}")
                for death, value in zip(DEATHS, row["standard"], strict=True)
            },
            bundled=row.get("bundled", True),
        )
        for row in raw["version"]
    )
    return Standard(
        rule="survivor_pension",
        key=raw["key"],
        versions=versions,
        confirmed_through=D.fromisoformat(raw["confirmed_through"]),
    )


DISABILITY = _disability()
SURVIVORS = _survivors()


# --- the cases the tables imply -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Case:
    """One decision to check: the cell, the date, and what the rule must answer.

    ``amount`` with ``effective_from`` (the version the figure comes from) when a figure is
    paid; ``error`` otherwise. ``stale`` when the figure is used past its confirmed date.
    """

    cell: str
    on: dt.date
    when: str
    allow_stale: bool = False
    amount: Decimal | None = None
    effective_from: dt.date | None = None
    stale_since: dt.date | None = None
    error: type[ParameterError] | None = None

    @property
    def id(self) -> str:
        stale = "-allow_stale" if self.allow_stale else ""
        return f"{self.cell}-{self.on.isoformat()}-{self.when}{stale}"


def _days(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    middle = first + (last - first) // 2
    return [(first, "first day"), (middle, "in between"), (last, "last day")]


def cases(standard: Standard) -> Iterator[Case]:
    """Every cell of every version on three days of its span, and the edges around them."""
    versions = standard.versions
    cells = list(versions[0].cells)
    ends = [v.effective_from - DAY for v in versions[1:]] + [standard.confirmed_through]
    last_bundled: Version | None = None
    for version, last in zip(versions, ends, strict=True):
        for on, when in _days(version.effective_from, last):
            for cell in cells:
                figure = version.cells[cell]
                if version.bundled:
                    yield Case(
                        cell=cell,
                        on=on,
                        when=f"{when} of {version.effective_from.isoformat()}",
                        amount=figure,
                        effective_from=version.effective_from if figure is not None else None,
                        error=None if figure is not None else ParameterMissing,
                    )
                    continue
                assert last_bundled is not None
                gap = f"{when} of the unknown {version.effective_from.isoformat()} rise"
                yield Case(cell=cell, on=on, when=gap, error=ParameterMissing)
                known = last_bundled.cells[cell]
                yield Case(
                    cell=cell,
                    on=on,
                    when=gap,
                    allow_stale=True,
                    amount=known,
                    effective_from=last_bundled.effective_from if known is not None else None,
                    stale_since=version.effective_from - DAY if known is not None else None,
                    error=None if known is not None else ParameterMissing,
                )
        if version.bundled:
            last_bundled = version
    first = versions[0].effective_from
    assert last_bundled is versions[-1]
    latest = versions[-1]
    after = standard.confirmed_through + DAY
    for cell in cells:
        yield Case(
            cell=cell, on=first - DAY, when="eve of the first version", error=ParameterNotInForce
        )
        for on, when in (
            (after, "day after confirmed_through"),
            (after.replace(year=after.year + 1), "a year later"),
        ):
            yield Case(cell=cell, on=on, when=when, error=ParameterOutOfDate)
            figure = latest.cells[cell]
            yield Case(
                cell=cell,
                on=on,
                when=when,
                allow_stale=True,
                amount=figure,
                effective_from=latest.effective_from if figure is not None else None,
                stale_since=standard.confirmed_through if figure is not None else None,
                error=None if figure is not None else ParameterMissing,
            )


def monthly(annual: Decimal) -> Decimal:
    """The annual standard / 12, rounded half up to the fen (an independent computation)."""
    return (annual / 12).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def disabled_veteran(cell: str) -> Veteran:
    """A discharged conscript, assessed in 2000 at ``nature/grade``, alive, never sanctioned.

    Centrally supported (集中供养), so no nursing allowance — and none of its parameters — is
    involved.
    """
    nature, grade = cell.split("/")
    return veteran(grade=int(grade), nature=nature, centrally_supported=True)


def survivor_in_need(death: str) -> Survivor:
    """A parent of a member who died in 2010, approved since 2010, unable to work, no means."""
    return survivor(death=death, circumstances=NEEDY)


def subject_for(rule: str, cell: str) -> Veteran | Survivor:
    return disabled_veteran(cell) if rule == "disability_pension" else survivor_in_need(cell)


def params(standard: Standard) -> list[Any]:
    return [
        pytest.param(book, case, id=f"{book}-{case.id}")
        for case in cases(standard)
        for book in BOOK_NAMES
    ]


def check(standard: Standard, book_name: str, case: Case) -> None:
    book = (STALE_BOOKS if case.allow_stale else BOOKS)[book_name]
    subject = subject_for(standard.rule, case.cell)

    if case.error is not None:
        with pytest.raises(case.error) as raised:
            book.evaluate(standard.rule, subject, on=case.on)
        assert (standard.key, case.on.isoformat()) == (raised.value.key, raised.value.on)
        return
    decision = book.evaluate(standard.rule, subject, on=case.on)

    assert case.amount is not None
    uses = [use for use in decision.parameters if use.key == standard.key]
    assert (True, case.amount, monthly(case.amount), ()) == (
        decision.eligible,
        decision.amount,
        decision.monthly,
        decision.missing,
    )
    assert [(tuple(case.cell.split("/")), case.amount, case.effective_from)] == [
        (use.path, use.value, use.effective_from) for use in uses
    ]
    stale = case.stale_since is not None
    assert (stale, [standard.key] if stale else []) == (
        decision.stale,
        [use.key for use in decision.stale_parameters],
    )
    assert [case.stale_since] == [use.confirmed_through for use in uses]


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize(("book", "case"), params(DISABILITY))
def test_disability_standard_by_version(book: str, case: Case) -> None:
    check(DISABILITY, book, case)


@pytest.mark.parametrize(("book", "case"), params(SURVIVORS))
def test_survivor_standard_by_version(book: str, case: Case) -> None:
    check(SURVIVORS, book, case)


NOT_PENSIONED_DAYS = sorted(
    {v.effective_from for v in DISABILITY.versions}
    | {DISABILITY.versions[0].effective_from - DAY, DISABILITY.confirmed_through + DAY}
)


@pytest.mark.parametrize("on", NOT_PENSIONED_DAYS, ids=str)
@pytest.mark.parametrize("cell", sorted(DISABILITY.not_pensioned))
def test_illness_grades_7_to_10_are_not_pensioned_and_look_nothing_up(
    cell: str, on: dt.date
) -> None:
    decision = BOOKS["national"].evaluate("disability_pension", disabled_veteran(cell), on=on)

    assert (False, None, None) == (decision.eligible, decision.amount, decision.monthly)
    assert [] == [use for use in decision.parameters if use.key == DISABILITY.key]


def _decide(scenario: Mapping[str, Any]) -> Decision:
    books = STALE_BOOKS if scenario.get("allow_stale", False) else BOOKS
    book = books[scenario.get("book", "national")]
    rule = scenario["rule"]
    cell = (
        f"{scenario['nature']}/{scenario['grade']}"
        if rule == "disability_pension"
        else scenario["death"]
    )
    return book.evaluate(rule, subject_for(rule, cell), on=D.fromisoformat(scenario["on"]))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    if "error" in scenario:
        with pytest.raises(getattr(errors, scenario["error"])):
            _decide(scenario)
        return
    decision = _decide(scenario)

    expected_amount = Decimal(scenario["amount"]) if "amount" in scenario else None
    expected_monthly = Decimal(scenario["monthly"]) if "monthly" in scenario else None
    stale: Sequence[str] = scenario.get("stale", ())
    assert (scenario["eligible"], expected_amount, expected_monthly, bool(stale), list(stale)) == (
        decision.eligible,
        decision.amount,
        decision.monthly,
        decision.stale,
        [use.key for use in decision.stale_parameters],
    )


# --- the transcription itself ---------------------------------------------------------------


def _unknown(standard: Standard, effective_from: str) -> list[str]:
    version = next(
        v for v in standard.versions if v.effective_from == D.fromisoformat(effective_from)
    )
    return sorted(cell for cell, figure in version.cells.items() if figure is None)


def test_the_transcription_has_the_shape_of_the_sources() -> None:
    illness_7_to_10 = {f"illness/{grade}" for grade in range(7, 11)}
    full = {"2017-10-01", "2020-08-01", "2021-08-01", "2022-08-01", "2024-08-01"}
    grade_1_only = {"2015-10-01", "2016-10-01", "2018-08-01", "2019-08-01"}

    assert illness_7_to_10 == DISABILITY.not_pensioned
    assert full == {
        v.effective_from.isoformat()
        for v in DISABILITY.versions
        if not _unknown(DISABILITY, v.effective_from.isoformat())
    }
    for version in grade_1_only:
        assert ["illness/1", "in-combat/1", "on-duty/1"] == sorted(
            set(DISABILITY.versions[0].cells) - set(_unknown(DISABILITY, version))
        )
    # 2023: 26 pensioned cells, 2 confirmed (the brief's 28 unknown cells count the 4 因病 7–10
    # cells, which are not pensioned at all); 2025: 4 confirmed, 22 unknown.
    assert 24 == len(_unknown(DISABILITY, "2023-08-01"))
    assert 22 == len(_unknown(DISABILITY, "2025-08-01"))
    assert ["in-combat/1", "on-duty/10"] == sorted(
        set(DISABILITY.versions[0].cells) - set(_unknown(DISABILITY, "2023-08-01"))
    )
    assert [False] == [v.bundled for v in SURVIVORS.versions if not all(v.cells.values())]


def test_the_cases_cover_every_version_boundary() -> None:
    boundaries = {v.effective_from for v in DISABILITY.versions[1:]}
    days = {case.on for case in cases(DISABILITY)}

    assert {b - DAY for b in boundaries} | boundaries <= days
    assert {D(2026, 7, 31), D(2026, 8, 1)} <= days
