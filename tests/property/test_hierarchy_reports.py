"""Laws of the standard reports and of the consistency check, over random trees and records.

Every report: each parent's additive figure is its own part plus its children's; rates lie in
[0, 1] and equal the summed numerator over the summed denominator; the order of the records
changes nothing; a subtree of the report equals the report built on that subtree alone.
Population and assistance count each person once. The consistency check finds every planted
mismatch and nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs
from hypothesis import given
from hypothesis import strategies as st

from veteran_affairs.cycles import (
    ComplianceRow,
    ComplianceStatus,
    HalfYear,
    Month,
    Period,
    Quarter,
    Year,
)
from veteran_affairs.hierarchy import (
    PLAQUE_COLUMNS,
    Column,
    DivisionTree,
    FigureKind,
    Mismatch,
    MismatchKind,
    Report,
    assistance,
    build_report,
    check_consistency,
    compliance_summary,
    plaques,
    plaques_from_statuses,
    population,
)
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.models import (
    AssistanceCase,
    Division,
    EntitlementCategory,
    EntitlementStatus,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    PlaqueHousehold,
    ReportSubmission,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.glory_plaque import PlaqueStatus, statuses
from veteran_affairs.testing import strategies as vas

T = TypeVar("T")
D = dt.date
TODAY = dt.date.today()
COUNTIES = ("450312", "450802", "450102")  # 临桂区, 港北区, 兴宁区
OUTSIDE = DivisionCode("440106")  # 天河区, Guangzhou: in no tree drawn here
_BUNDLED = DivisionTree.bundled("45")
NATIONAL = RuleBook.load("national")
People = Veteran | Survivor | ServingMember


@st.composite
def trees(draw: st.DrawFn) -> DivisionTree:
    """A county of the bundled data with a few synthetic villages."""
    county = draw(st.sampled_from(COUNTIES))
    units = list(_BUNDLED.subtree(county))
    townships = [d for d in units if d.code.level is DivisionLevel.TOWNSHIP]
    for township in draw(st.lists(st.sampled_from(townships), max_size=4, unique=True)):
        numbers = draw(st.sets(st.integers(1, 399), min_size=1, max_size=3))
        units.extend(
            Division(code=DivisionCode(township.code.value[:9] + f"{n:03d}"), name=f"合成村{n}")
            for n in numbers
        )
    return DivisionTree(units, root=county)


def places(tree: DivisionTree) -> st.SearchStrategy[DivisionCode]:
    """Where records are registered: mostly units of the tree, some below it, a few outside."""
    (root,) = tree.roots
    return st.one_of(
        st.sampled_from([d.code for d in tree]),
        st.sampled_from([d.code for d in tree]),
        vas.division_codes(level=DivisionLevel.VILLAGE, within=root.code),
        st.just(OUTSIDE),
    )


def at(record: T, code: DivisionCode) -> T:
    """``record`` moved to the hukou unit ``code``."""
    person = record.person  # type: ignore[attr-defined]
    return attrs.evolve(record, person=attrs.evolve(person, hukou_division=code))  # type: ignore[misc]


def records(tree: DivisionTree) -> st.SearchStrategy[People]:
    """Veterans, survivors and serving members (these with their status), registered around
    the tree."""
    serving = vas.serving_members().map(
        lambda m: attrs.evolve(
            m,
            statuses=(
                EntitlementStatus(
                    category=EntitlementCategory.SERVING_MEMBER, since=m.service.enlisted_on
                ),
            ),
        )
    )
    kinds: st.SearchStrategy[People] = st.one_of(vas.veterans(), vas.survivors(), serving)
    return st.tuples(kinds, places(tree)).map(lambda pair: at(*pair))


def once_each(items: list[T], key: Callable[[T], object]) -> list[T]:
    """``items`` without repeated keys, the first kept.

    Lists are made unique here rather than with ``unique_by``: a retried draw makes hypothesis
    print the strategy, and the library's strategies print at about 100 kB, which hypothesis
    warns about (an error under ``filterwarnings = error``).
    """
    kept: dict[object, T] = {}
    for item in items:
        kept.setdefault(key(item), item)
    return list(kept.values())


def people(tree: DivisionTree) -> st.SearchStrategy[list[People]]:
    """Records of distinct persons."""
    return st.lists(records(tree), max_size=8).map(
        lambda found: once_each(found, lambda r: r.person.resident_id)
    )


def num(value: object) -> int | Decimal:
    """An additive figure (a count or an amount), typed as one."""
    assert isinstance(value, int | Decimal)
    return value


def additive(report: Report) -> list[tuple[int, Column]]:
    return [(i, c) for i, c in enumerate(report.columns) if c.kind is not FigureKind.RATE]


def assert_parent_is_own_plus_children(report: Report, tree: DivisionTree) -> None:
    for row in report:
        own = report.own.get(row.code.value)
        children = [report[child.code] for child in tree.children(row.code)]
        for i, column in additive(report):
            parts = [num(child.values[i]) for child in children]
            expected = sum(parts, num(0 if own is None else own[i]))
            assert expected == row.values[i], (row.code, column.key)


def assert_rates_are_summed_parts(report: Report) -> None:
    for row in report:
        for column in report.columns:
            if column.kind is not FigureKind.RATE:
                continue
            assert column.numerator is not None
            assert column.denominator is not None
            value = row[column.key]
            numerator, denominator = row[column.numerator], row[column.denominator]
            if not denominator:
                assert value is None
            else:
                assert isinstance(value, float)
                assert 0.0 <= value <= 1.0
                assert float(numerator) / float(denominator) == value  # type: ignore[arg-type]


def assert_subtree_is_the_restricted_report(
    report: Report,
    tree: DivisionTree,
    code: DivisionCode,
    build: Callable[[DivisionTree], Report],
) -> None:
    alone = build(tree.restrict(code))
    part = report.subtree(code)

    assert alone.rows == part.rows
    assert alone.own == part.own


def inside(code: DivisionCode, unit: DivisionCode) -> bool:
    return code.contains(unit)


# --- population ------------------------------------------------------------------------------

report_dates = st.dates(D(1990, 1, 1), TODAY)


@given(st.data())
def test_population_laws(data: st.DataObject) -> None:
    tree = data.draw(trees())
    records = data.draw(people(tree))
    on = data.draw(report_dates)

    report = population(tree, records, on=on)

    assert_parent_is_own_plus_children(report, tree)
    assert_rates_are_summed_parts(report)
    assert report == population(tree, data.draw(st.permutations(records)), on=on)
    code = data.draw(st.sampled_from([d.code for d in tree]))
    assert_subtree_is_the_restricted_report(
        report,
        tree,
        code,
        lambda sub: population(
            sub, [r for r in records if inside(code, r.person.hukou_division)], on=on
        ),
    )


@given(st.data())
def test_a_person_counts_once_in_the_totals_and_once_per_category_held(
    data: st.DataObject,
) -> None:
    tree = data.draw(trees())
    records = data.draw(people(tree))
    on = data.draw(report_dates)

    report = population(tree, records, on=on)

    counted = [
        r
        for r in records
        if tree.locate(r.person.hukou_division) is not None
        and (r.person.died_on is None or on <= r.person.died_on)
        and r.categories_on(on)
    ]
    (top,) = report.top
    assert len(counted) == top["persons"]
    assert (
        sum(any(c.key_entitled for c in r.categories_on(on)) for r in counted)
        == top["key_entitled"]
    )
    for category in EntitlementCategory:
        assert sum(category in r.categories_on(on) for r in counted) == top[category.value]
    outside = [r for r in records if tree.locate(r.person.hukou_division) is None]
    assert report.unplaced <= len(outside)


@given(st.data())
def test_merging_records_changes_nothing_when_each_person_has_one(data: st.DataObject) -> None:
    tree = data.draw(trees())
    records_ = data.draw(people(tree))
    on = data.draw(report_dates)

    merged = population(tree, records_, on=on, merge_records=True)

    assert merged.rows == population(tree, records_, on=on, merge_records=False).rows
    assert_parent_is_own_plus_children(merged, tree)


@given(st.data())
def test_two_records_of_one_person_merge_into_one(data: st.DataObject) -> None:
    tree = data.draw(trees())
    record = data.draw(records(tree))
    on = data.draw(report_dates)
    again = attrs.evolve(record, statuses=(*record.statuses, *record.statuses))

    assert (
        population(tree, [record], on=on, merge_records=False).rows
        == population(tree, [record, again], on=on).rows
    )


# --- plaques ---------------------------------------------------------------------------------


@st.composite
def plaque_statuses(draw: st.DrawFn, tree: DivisionTree) -> list[PlaqueStatus]:
    where = places(tree)
    found = []
    for number in range(draw(st.integers(0, 12))):
        eligible = draw(st.sampled_from((True, False, None)))
        hung = draw(st.booleans())
        found.append(
            PlaqueStatus(
                household_id=f"H{number}",
                division=draw(where),
                eligible=eligible,
                hung=hung,
                to_recover=hung and eligible is False and draw(st.booleans()),
            )
        )
    return found


@given(st.data())
def test_plaque_report_laws(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found = data.draw(plaque_statuses(tree))
    on = D(2022, 3, 1)

    report = plaques_from_statuses(tree, found, on=on)

    assert_parent_is_own_plus_children(report, tree)
    assert_rates_are_summed_parts(report)
    assert report == plaques_from_statuses(tree, data.draw(st.permutations(found)), on=on)
    (top,) = report.top
    placed = [s for s in found if tree.locate(s.division) is not None]
    assert (len(placed), len(found) - len(placed)) == (top["households"], report.unplaced)
    assert sum(s.to_hang for s in placed) == top["to_hang"]
    assert num(top["eligible"]) == num(top["hung_eligible"]) + num(top["to_hang"])
    code = data.draw(st.sampled_from([d.code for d in tree]))
    assert_subtree_is_the_restricted_report(
        report,
        tree,
        code,
        lambda sub: plaques_from_statuses(
            sub, [s for s in found if inside(code, s.division)], on=on
        ),
    )


@given(st.data())
def test_deciding_households_gives_the_report_of_their_statuses(data: st.DataObject) -> None:
    tree = data.draw(trees())
    households = data.draw(
        st.lists(
            vas.plaque_households(households=vas.households(hukou_divisions=places(tree))),
            max_size=5,
        )
    )
    on = data.draw(st.dates(D(2018, 7, 29), TODAY))

    decided: list[PlaqueHousehold] = households
    assert plaques_from_statuses(tree, list(statuses(NATIONAL, decided, on=on)), on=on) == plaques(
        tree, decided, book=NATIONAL, on=on
    )


# --- assistance ------------------------------------------------------------------------------


def containing(day: dt.date) -> st.SearchStrategy[Period]:
    kinds: tuple[type[Period], ...] = (Month, Quarter, HalfYear, Year)
    return st.sampled_from([kind.containing(day) for kind in kinds])


@st.composite
def paid_cases(
    draw: st.DrawFn,
    applicants: st.SearchStrategy[ResidentId],
    units: st.SearchStrategy[DivisionCode],
    number: int,
) -> AssistanceCase:
    """A case paid in 2020, part of its amount funded by one source."""
    paid_on = draw(st.dates(D(2020, 1, 1), D(2020, 12, 31)))
    amount = draw(vas.amounts(max_value="20000"))
    share = draw(vas.amounts(max_value=amount))
    case = AssistanceCase.apply(
        case_id=f"P{number:04d}",
        applicant=draw(applicants),
        division=draw(units),
        cause=draw(st.sampled_from(tuple(HardshipCause))),
        incident_on=D(2019, 12, 1),
        on=D(2019, 12, 2),
        actor="applicant",
    )
    funding = (FundingAllocation(source=draw(st.sampled_from(tuple(FundingSource))), amount=share),)
    case = case.review(on=D(2019, 12, 3), actor="township-01")
    case = case.approve(on=D(2019, 12, 4), actor="county-01", amount=amount, funding=funding)
    case = case.publicise(on=D(2019, 12, 5), actor="county-01")
    return case.pay(on=paid_on, actor="county-01")


@st.composite
def case_lists(draw: st.DrawFn, tree: DivisionTree) -> tuple[list[AssistanceCase], Period]:
    """Cases of one or two applicants — some in any state, some paid in 2020 — and a period."""
    applicants = st.sampled_from(draw(st.lists(vas.resident_ids(), min_size=1, max_size=2)))
    units = places(tree)
    found = once_each(
        draw(st.lists(vas.assistance_cases(applicants=applicants, divisions=units), max_size=4)),
        lambda c: c.case_id,
    )
    found += [draw(paid_cases(applicants, units, n)) for n in range(draw(st.integers(0, 5)))]
    found = draw(st.permutations(found))
    day = draw(st.dates(D(2020, 1, 1), D(2020, 12, 31)) | st.dates(D(2019, 10, 9), TODAY))
    return found, draw(containing(day))


@given(st.data())
def test_assistance_laws(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found, period = data.draw(case_lists(tree))

    report = assistance(tree, found, period=period)

    assert_parent_is_own_plus_children(report, tree)
    assert report == assistance(tree, data.draw(st.permutations(found)), period=period)
    code = data.draw(st.sampled_from([d.code for d in tree]))
    within = [c for c in found if inside(code, c.division)]
    alone = assistance(tree.restrict(code), within, period=period)
    part = report.subtree(code)
    # Every figure but the persons: a person is counted at the unit of their first case, which
    # may lie outside the subtree; alone, the subtree counts them at their first case inside it.
    persons = {i for i, c in enumerate(report.columns) if c.key.startswith("persons")}
    for mine, theirs in zip(part.rows, alone.rows, strict=True):
        assert mine.code == theirs.code
        assert [v for i, v in enumerate(mine.values) if i not in persons] == [
            v for i, v in enumerate(theirs.values) if i not in persons
        ]
    top = alone.rows[0]
    for i in persons:
        assert num(part.rows[0].values[i]) <= num(top.values[i])
    outside = {c.applicant for c in found if not inside(code, c.division)}
    if not outside & {c.applicant for c in within}:  # nobody helped both inside and outside
        assert alone.rows == part.rows


@given(st.data())
def test_assistance_counts_each_person_once_and_every_paid_yuan(data: st.DataObject) -> None:
    tree = data.draw(trees())
    found, period = data.draw(case_lists(tree))

    (top,) = assistance(tree, found, period=period).top

    first = D(period.start.year, 1, 1)
    for suffix, start in (("", period.start), ("_ytd", first)):
        paid = [
            c
            for c in found
            if c.paid_on is not None
            and start <= c.paid_on <= period.end
            and tree.locate(c.division) is not None
        ]
        assert len(paid) == top[f"cases{suffix}"] == top[f"person_times{suffix}"]
        assert len({c.applicant for c in paid}) == top[f"persons{suffix}"]
        total = sum((c.approved_amount or Decimal(0) for c in paid), Decimal(0))
        assert total == top[f"amount{suffix}"]
        assert total == sum(
            (num(top[f"funded_{s.value.replace('-', '_')}{suffix}"]) for s in FundingSource),
            num(top[f"funded_unstated{suffix}"]),
        )


# --- compliance ------------------------------------------------------------------------------

AS_OF = D(2025, 7, 1)


@st.composite
def compliance_rows(draw: st.DrawFn, tree: DivisionTree) -> list[ComplianceRow]:
    where = places(tree)
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        state = draw(st.sampled_from(tuple(ComplianceStatus)))
        held = (
            draw(st.dates(D(2025, 6, 1), AS_OF))
            if state in (ComplianceStatus.ON_TIME, ComplianceStatus.LATE)
            else None
        )
        rows.append(
            ComplianceRow(
                cycle=draw(st.sampled_from(("dispatch-meeting", "symposium"))),
                unit=draw(where),
                period=Month.parse("2025-06"),
                due=D(2025, 6, 30),
                status=state,
                held_on=held,
            )
        )
    return rows


@given(st.data())
def test_compliance_laws(data: st.DataObject) -> None:
    tree = data.draw(trees())
    rows = data.draw(compliance_rows(tree))
    cycle = data.draw(st.none() | st.just("symposium"))

    report = compliance_summary(tree, rows, as_of=AS_OF, cycle=cycle)

    assert_parent_is_own_plus_children(report, tree)
    assert_rates_are_summed_parts(report)
    assert report == compliance_summary(
        tree, data.draw(st.permutations(rows)), as_of=AS_OF, cycle=cycle
    )
    (top,) = report.top
    counted = [r for r in rows if cycle in (None, r.cycle) and tree.locate(r.unit) is not None]
    assert len(counted) == num(top["due"]) + num(top["not_yet_due"])
    assert top["due"] == num(top["on_time"]) + num(top["late"]) + num(top["missed"])
    code = data.draw(st.sampled_from([d.code for d in tree]))
    assert_subtree_is_the_restricted_report(
        report,
        tree,
        code,
        lambda sub: compliance_summary(
            sub, [r for r in rows if inside(code, r.unit)], as_of=AS_OF, cycle=cycle
        ),
    )


# --- consistency: planted mismatches ---------------------------------------------------------

LOCAL = (
    Column(key="a", label="a", label_zh="甲"),
    Column(key="b", label="b", label_zh="乙"),
    Column(key="m", label="m", label_zh="金额", kind=FigureKind.MONEY),
    Column(key="r", label="r", label_zh="率", kind=FigureKind.RATE, numerator="a", denominator="b"),
)
SUBMITTED = D(2021, 1, 8)


def submissions_of(report: Report) -> dict[str, ReportSubmission]:
    return {
        row.code.value: ReportSubmission(
            unit=row.code,
            kind=report.kind,
            period=report.as_of,
            figures={
                c.key: v
                for c, v in zip(report.columns, row.values, strict=True)
                if c.kind is not FigureKind.RATE
            },
            submitted_on=SUBMITTED,
        )
        for row in report
    }


@st.composite
def own_figures(
    draw: st.DrawFn, tree: DivisionTree, columns: Sequence[Column], *, leaves_only: bool
) -> dict[str, list[int | Decimal]]:
    """Random own figures, at every unit or (for a check without records) at leaves only."""
    values: dict[FigureKind, st.SearchStrategy[int | Decimal]] = {
        FigureKind.COUNT: st.integers(0, 50),
        FigureKind.MONEY: vas.amounts(max_value="1000"),
        FigureKind.RATE: st.just(0),
    }
    own: dict[str, list[int | Decimal]] = {}
    for division in tree:
        if leaves_only and tree.children(division.code):
            continue
        if draw(st.booleans()):
            own[division.code.value] = [draw(values[c.kind]) for c in columns]
    return own


@st.composite
def plantings(
    draw: st.DrawFn, tree: DivisionTree, keys: Sequence[str]
) -> tuple[dict[str, tuple[str, int]], set[str]]:
    """Changed figures (no unit changed together with its parent; positive changes only, so
    they never cancel out) and units that do not submit."""
    codes = [d.code.value for d in tree]
    changed: dict[str, tuple[str, int]] = {}
    for code in draw(st.lists(st.sampled_from(codes), max_size=4, unique=True)):
        parent = tree.parent_code(code)
        if parent in changed or any(tree.parent_code(c) == code for c in changed):
            continue
        changed[code] = (draw(st.sampled_from(keys)), draw(st.integers(1, 5)))
    dropped = set(draw(st.lists(st.sampled_from(codes), max_size=3))) - set(changed)
    return changed, dropped


def plant(
    true: dict[str, ReportSubmission], changed: dict[str, tuple[str, int]], dropped: set[str]
) -> list[ReportSubmission]:
    sent = []
    for code, submission in true.items():
        if code in dropped:
            continue
        if code in changed:
            key, delta = changed[code]
            figures = dict(submission.figures)
            figures[key] = figures[key] + delta
            submission = attrs.evolve(submission, figures=figures)
        sent.append(submission)
    return sent


def expected_mismatches(
    report: Report,
    tree: DivisionTree,
    changed: dict[str, tuple[str, int]],
    dropped: set[str],
    *,
    with_records: bool,
) -> set[Mismatch]:
    def delta(code: str, key: str) -> int:
        return changed[code][1] if code in changed and changed[code][0] == key else 0

    make = functools.partial(Mismatch, report=report.kind, period=report.as_of)
    keys = [c.key for _, c in additive(report)]
    out: set[Mismatch] = set()
    if with_records:
        for code, (key, d) in changed.items():
            true = num(report[code][key])
            out.add(
                make(
                    kind=MismatchKind.RECORDS,
                    unit=DivisionCode(code),
                    figure=key,
                    submitted=true + d,
                    expected=true,
                )
            )
    for division in tree:
        code = division.code.value
        children = [c.code.value for c in tree.children(division.code)]
        if code in dropped or not children:
            continue
        absent = [c for c in children if c in dropped]
        for child in absent:
            out.add(make(kind=MismatchKind.MISSING, unit=DivisionCode(child), parent=division.code))
        if absent:
            continue
        for key in keys:
            moved = sum(delta(c, key) for c in children)
            if delta(code, key) or moved:
                true = num(report[code][key])
                out.add(
                    make(
                        kind=MismatchKind.CHILDREN,
                        unit=division.code,
                        figure=key,
                        submitted=true + delta(code, key),
                        expected=true + moved,
                    )
                )
    return out


@given(st.data())
def test_every_planted_mismatch_is_found_and_nothing_else(data: st.DataObject) -> None:
    tree = data.draw(trees())
    own = data.draw(own_figures(tree, LOCAL, leaves_only=False))
    report = build_report(
        tree, own, kind="local-form", title="local", title_zh="地方", columns=LOCAL, as_of="2021Q4"
    )
    changed, dropped = data.draw(plantings(tree, ["a", "b", "m"]))
    sent = plant(submissions_of(report), changed, dropped)

    found = check_consistency(data.draw(st.permutations(sent)), tree=tree, computed=report)

    assert len(set(found)) == len(found)
    assert expected_mismatches(report, tree, changed, dropped, with_records=True) == set(found)


@given(st.data())
def test_without_records_parents_are_checked_against_their_children_alone(
    data: st.DataObject,
) -> None:
    tree = data.draw(trees())
    own = data.draw(own_figures(tree, PLAQUE_COLUMNS, leaves_only=True))
    report = build_report(
        tree,
        own,
        kind="plaques",
        title="plaques",
        title_zh="光荣牌",
        columns=PLAQUE_COLUMNS,
        as_of="2022-03-01",
    )
    changed, dropped = data.draw(plantings(tree, ["households", "eligible"]))
    sent = plant(submissions_of(report), changed, dropped)

    found = check_consistency(sent, tree=tree)

    assert expected_mismatches(report, tree, changed, dropped, with_records=False) == set(found)
