"""The five-level report from a store: load the records, build every report, combine them.

Used by ``demo`` and ``report``. Villages (村级) are not in the bundled divisions: the units
below the townships are taken from the store's records (stations first, for their names; then
persons, households, cases and activities), named after their station (``…村`` from
``…村退役军人服务站``) or, without one, by their code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs

from veteran_affairs.cli._common import CommandError, Progress
from veteran_affairs.cycles import (
    GUANGXI_PRESET,
    CalendarDataMissing,
    ComplianceRow,
    HolidayFile,
    WorkCalendar,
    Year,
    calendar_for,
    compliance,
)
from veteran_affairs.hierarchy import (
    DivisionTree,
    Report,
    ServiceNetwork,
    assistance,
    build_report,
    compliance_summary,
    plaques_from_statuses,
    population,
)
from veteran_affairs.hierarchy.report import Column, FigureKind
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import (
    Activity,
    AssistanceCase,
    Division,
    PlaqueHousehold,
    ServiceStation,
)
from veteran_affairs.repositories import PersonRecord, Store
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.glory_plaque import statuses

_STATION_WORD = "退役军人服务"


@attrs.frozen(kw_only=True)
class Dataset:
    """Every record of a store, with the division tree they hang on."""

    tree: DivisionTree
    people: tuple[PersonRecord, ...]
    households: tuple[PlaqueHousehold, ...]
    stations: tuple[ServiceStation, ...]
    cases: tuple[AssistanceCase, ...]
    activities: tuple[Activity, ...]
    outside: int  # village units under no bundled township (their records are unplaced)


def _village_units(
    stations: Sequence[ServiceStation], codes: Iterable[DivisionCode], known: DivisionTree
) -> tuple[list[Division], int]:
    names: dict[str, str] = {}
    for station in stations:
        code = station.division
        if code.level is DivisionLevel.VILLAGE and code.value not in names and station.name:
            names[code.value] = station.name.split(_STATION_WORD, 1)[0] or station.name
    units: dict[str, Division] = {}
    outside = 0
    for village in codes:
        if village.level is not DivisionLevel.VILLAGE:
            continue
        if village.value in units:
            continue
        if village.parent is None or village.parent not in known:
            outside += 1
            continue
        name = names.get(village.value) or f"村级单位 {village.value}"
        units[village.value] = Division(code=village, name=name)
    return list(units.values()), outside


def load_dataset(store: Store, *, province: str, progress: Progress) -> Dataset:
    """Read every record of ``store`` (within its scope) and build the tree they lie in."""
    with store.unit_of_work(actor="veteran-affairs") as work:
        stations = tuple(progress.count("reading stations", work.stations.find()))
        people = tuple(progress.count("reading persons", work.persons.find()))
        households = tuple(progress.count("reading households", work.households.find()))
        cases = tuple(progress.count("reading cases", work.cases.find()))
        activities = tuple(progress.count("reading activities", work.activities.find()))
    bundled = DivisionTree.bundled(province)
    codes: list[DivisionCode] = [s.division for s in stations]
    codes.extend(p.person.hukou_division for p in people)
    codes.extend(h.household.hukou_division for h in households)
    codes.extend(c.division for c in cases)
    codes.extend(a.unit for a in activities)
    villages, outside = _village_units(stations, codes, bundled)
    tree = DivisionTree.bundled(province, extra=villages)
    return Dataset(
        tree=tree,
        people=people,
        households=households,
        stations=stations,
        cases=cases,
        activities=activities,
        outside=outside,
    )


@attrs.frozen(kw_only=True)
class Reports:
    """The standard reports of one dataset, and the summary that combines them."""

    coverage: Report
    offices: Report
    plaques: Report
    population: Report
    assistance: Report
    compliance: Report
    summary: Report
    notes: tuple[str, ...]

    def by_kind(self) -> dict[str, Report]:
        return {
            "summary": self.summary,
            "coverage": self.coverage,
            "offices": self.offices,
            "plaques": self.plaques,
            "population": self.population,
            "assistance": self.assistance,
            "compliance": self.compliance,
        }


REPORT_KINDS = (
    "summary",
    "coverage",
    "offices",
    "plaques",
    "population",
    "assistance",
    "compliance",
)

# The summary's columns: (report, key in it, summary column).
_RATE = FigureKind.RATE
_SUMMARY: tuple[tuple[str, str, Column], ...] = (
    (
        "coverage",
        "required",
        Column(key="stations_required", label="stations required", label_zh="应建站数"),
    ),
    ("coverage", "built", Column(key="stations_built", label="built", label_zh="已建站数")),
    (
        "plaques",
        "eligible",
        Column(key="plaques_eligible", label="plaque households", label_zh="应挂户数"),
    ),
    (
        "plaques",
        "hung_eligible",
        Column(key="plaques_hung", label="plaques hung", label_zh="应挂已挂户数"),
    ),
    (
        "population",
        "persons",
        Column(key="persons", label="entitled persons", label_zh="优抚对象人数"),
    ),
    (
        "population",
        "key_entitled",
        Column(key="key_entitled", label="key entitled", label_zh="重点优抚对象人数"),
    ),
    (
        "assistance",
        "person_times",
        Column(key="assisted", label="assisted (person-times)", label_zh="帮扶人次"),
    ),
    (
        "assistance",
        "amount",
        Column(
            key="assistance_amount",
            label="assistance paid",
            label_zh="帮扶金额",
            kind=FigureKind.MONEY,
        ),
    ),
    ("compliance", "due", Column(key="routines_due", label="routines due", label_zh="应完成次数")),
    (
        "compliance",
        "on_time",
        Column(key="routines_on_time", label="on time", label_zh="按时完成次数"),
    ),
)
_SUMMARY_RATES = (
    Column(
        key="station_rate",
        label="station coverage",
        label_zh="应建尽建率",
        kind=_RATE,
        numerator="stations_built",
        denominator="stations_required",
    ),
    Column(
        key="plaque_rate",
        label="plaque coverage",
        label_zh="应挂尽挂率",
        kind=_RATE,
        numerator="plaques_hung",
        denominator="plaques_eligible",
    ),
    Column(
        key="on_time_rate",
        label="routines on time",
        label_zh="按时完成率",
        kind=_RATE,
        numerator="routines_on_time",
        denominator="routines_due",
    ),
)
SUMMARY_COLUMNS = (
    _SUMMARY[0][2], _SUMMARY[1][2], _SUMMARY_RATES[0],
    _SUMMARY[2][2], _SUMMARY[3][2], _SUMMARY_RATES[1],
    _SUMMARY[4][2], _SUMMARY[5][2],
    _SUMMARY[6][2], _SUMMARY[7][2],
    _SUMMARY[8][2], _SUMMARY[9][2], _SUMMARY_RATES[2],
)  # fmt: skip


def summary_report(tree: DivisionTree, reports: dict[str, Report], *, as_of: str) -> Report:
    """One row per unit with the headline figures of every report, rates recomputed."""
    picks = {column.key: (kind, key) for kind, key, column in _SUMMARY}
    own: dict[str, list[object]] = {}
    for position, column in enumerate(SUMMARY_COLUMNS):
        if column.kind is FigureKind.RATE:
            continue
        kind, key = picks[column.key]
        source = reports[kind]
        index = source.keys.index(key)
        for code, values in source.own.items():
            vector = own.get(code)
            if vector is None:
                vector = own[code] = [0] * len(SUMMARY_COLUMNS)
            value = values[index]
            vector[position] = 0 if value is None else value
    return build_report(
        tree,
        own,  # type: ignore[arg-type]
        kind="summary",
        title="Five-level summary",
        title_zh="五级汇总",
        columns=SUMMARY_COLUMNS,
        as_of=as_of,
        notes=(
            "stations: 应建尽建; plaques: 应挂尽挂 (glory_plaque rule); persons counted once each",
            "assistance: paid in the year; routines: the Guangxi preset's checked routines",
        ),
    )


def _compliance_rows(
    data: Dataset, span: tuple[dt.date, dt.date], as_of: dt.date, calendar: WorkCalendar
) -> Iterator[ComplianceRow]:
    units = [d.code for d in data.tree]
    for cycle in GUANGXI_PRESET.values():
        if cycle.kinds:
            yield from compliance(cycle, data.activities, units, span, as_of, calendar)


def build_reports(
    data: Dataset,
    *,
    book: RuleBook,
    on: dt.date,
    year: int,
    province: str,
    progress: Progress,
    holidays: Sequence[HolidayFile] = (),
) -> Reports:
    """Every standard report of ``data`` as of ``on``; flows (assistance, routines) for ``year``.

    Routines are checked on the province's calendar with the user's ``holidays`` files; where
    that lacks a year, on the national calendar (with a note), and if that lacks one too they
    are not checked (with a note).
    """
    notes: list[str] = []
    network = ServiceNetwork(data.tree, data.stations)
    progress.step("coverage and offices")
    coverage = network.coverage(as_of=on)
    offices = network.offices(as_of=on)
    progress.step("glory plaques (glory_plaque rule for every household)")
    decided = statuses(book, progress.count("plaque households", data.households), on=on)
    plaque_report = plaques_from_statuses(data.tree, decided, on=on)
    progress.step("population")
    people = population(data.tree, data.people, on=on)
    progress.step("assistance")
    helped = assistance(data.tree, data.cases, period=Year(year=year))
    progress.step("routines")
    period = Year(year=year)
    span = (period.start, period.end)
    as_of = max(on, period.end)
    rows: list[ComplianceRow] = []
    try:
        rows = list(_compliance_rows(data, span, as_of, calendar_for(province, holidays=holidays)))
    except CalendarDataMissing as missing:
        try:
            rows = list(_compliance_rows(data, span, as_of, calendar_for(holidays=holidays)))
            notes.append(
                f"routines: national calendar used ({missing}; a holiday file with the "
                f"notice for {missing.year} can be given with --holidays FILE)"
            )
        except CalendarDataMissing as national:
            notes.append(
                f"routines: not checked, all figures 0 ({national}; 例行工作未核查; a holiday "
                f"file with the notice for {national.year} can be given with --holidays FILE)"
            )
    routines = compliance_summary(data.tree, rows, as_of=as_of)
    progress.done()
    reports = {
        "coverage": coverage,
        "plaques": plaque_report,
        "population": people,
        "assistance": helped,
        "compliance": routines,
    }
    if data.outside:
        notes.append(
            f"{data.outside} village unit(s) lie under no bundled township of {province}: "
            "their records are counted nowhere (不在行政区划树内)"
        )
    return Reports(
        coverage=coverage,
        offices=offices,
        plaques=plaque_report,
        population=people,
        assistance=helped,
        compliance=routines,
        summary=summary_report(data.tree, reports, as_of=on.isoformat()),
        notes=tuple(notes),
    )


SUMMARY_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "stations and plaques (站点与光荣牌)",
        (
            "stations_required",
            "stations_built",
            "station_rate",
            "plaques_eligible",
            "plaques_hung",
            "plaque_rate",
        ),
    ),
    (
        "persons, assistance, routines (人员、帮扶、例行工作)",
        (
            "persons",
            "key_entitled",
            "assisted",
            "assistance_amount",
            "routines_due",
            "routines_on_time",
            "on_time_rate",
        ),
    ),
)
"""The summary's columns in two parts, so that each table fits a 120-column terminal."""


def level_summary_text(
    report: Report, *, parts: Sequence[tuple[str, Sequence[str]]] | None = None
) -> str:
    """The summary's figures per level (按层级), under the whole network's total line (合计).

    The total line is the report's top row — the root's figures for its whole subtree, as
    the report already holds them — and each level's line adds up its units' own figures,
    so the five level lines add up to the total line. With ``parts`` (labels and column
    keys, e.g. :data:`SUMMARY_PARTS`) one table per part, else one with every column.
    """
    from veteran_affairs.cli._common import table

    tops = report.top
    names = "、".join(f"{top.name} {top.code.short}" for top in tops)
    title = f"五级汇总 by level (按层级), {names}"
    chosen = [("", report.keys)] if parts is None else list(parts)
    by_level = report.by_level()
    units = {top.code.value: len(report.subtree(top.code)) for top in tops}
    shown_tops = [report.shown(top) for top in tops]
    shown_levels = [report.shown(summary) for summary in by_level]
    tables = []
    for n, (label, keys) in enumerate(chosen, 1):
        columns = [report.columns[report.keys.index(key)] for key in keys]
        rows = [
            [
                "合计 total" if len(tops) == 1 else f"合计 {top.code.short}",
                f"{units[top.code.value]:,}",
                *(shown[key] for key in keys),
            ]
            for top, shown in zip(tops, shown_tops, strict=True)
        ]
        rows.extend(
            [
                f"{int(summary.level)} {summary.level.label_zh}",
                f"{summary.units:,}",
                *(shown[key] for key in keys),
            ]
            for summary, shown in zip(by_level, shown_levels, strict=True)
        )
        header = ["层级 level", "units", *(c.label_zh for c in columns)]
        heading = title if parts is None else f"{title} — part {n}/{len(chosen)}: {label}"
        tables.append(heading + "\n" + table(header, rows, right=frozenset(range(1, len(header)))))
    tables[-1] += (
        "\n* 合计 total: the whole network (the root's row); a level: its units' own figures "
        "(各级本级); the levels add up to 合计"
    )
    return "\n\n".join(tables)


def summary_parts_text(report: Report, *, what: str) -> str:
    """A view of the summary report as text in :data:`SUMMARY_PARTS`, the notes once at the
    end; ``what`` names the view in each part's title, briefly (e.g. ``"各设区市"``)."""
    parts = []
    for n, (label, keys) in enumerate(SUMMARY_PARTS, 1):
        last = n == len(SUMMARY_PARTS)
        title, _, rest = report.to_text(labels="zh", columns=keys, notes=last).partition("\n")
        parts.append(f"{title}, {what} — part {n}/{len(SUMMARY_PARTS)}: {label}\n{rest}")
    return "\n\n".join(parts)


def require_rows(data: Dataset) -> None:
    """Refuse an empty store: there is nothing to report on."""
    if not (data.people or data.stations or data.households):
        raise CommandError(
            "the store holds no persons, stations or households (存储中没有数据): "
            "import a roster or run `veteran-affairs demo` first"
        )
