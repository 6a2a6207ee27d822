"""The five-level report from a store: load the records, build every report, combine them.

Used by ``demo`` and ``report``. Villages (村级) are not in the bundled divisions: the units
below the townships are taken from the store's records (stations first, for their names; then
persons, households, cases, activities and casework records), named after their station
(``…村`` from ``…村退役军人服务站``) or, without one, by their code.

The casework reports (:data:`CASEWORK_KINDS`: petitions, insurance transfers, 包联, village
cadres, and the other registers — legacy cases, requests, reception days, training,
employment) read the store's casework records (:class:`Casework`) and its stations only, so
that ``report --kind petitions`` does not decide the rules of every household first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from veteran_affairs.casework.discharge import (
    EmploymentRecord,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition
from veteran_affairs.casework.requests import Request
from veteran_affairs.casework.villages import VillageCadre, veteran_cadre_rows
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
    baolian_report,
    build_report,
    compliance_summary,
    petitions_report,
    plaques_from_statuses,
    population,
    transfers_report,
)
from veteran_affairs.hierarchy.casework_report import registers_report
from veteran_affairs.hierarchy.report import Column, FigureKind
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import (
    Activity,
    AssistanceCase,
    Division,
    PlaqueHousehold,
    ServiceStation,
)
from veteran_affairs.repositories import PersonRecord, Store, UnitOfWork
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.glory_plaque import statuses

if TYPE_CHECKING:
    from veteran_affairs.cycles import Cycle
    from veteran_affairs.jurisdictions import Jurisdiction

_STATION_WORD = "退役军人服务"


@attrs.frozen(kw_only=True)
class Casework:
    """The casework records of a store that the casework reports read (业务工作记录)."""

    petitions: tuple[Petition, ...] = ()
    transfers: tuple[InsuranceTransfer, ...] = ()
    assignments: tuple[ContactAssignment, ...] = ()
    talks: tuple[BaolianTalk, ...] = ()
    cadres: tuple[VillageCadre, ...] = ()
    legacy_cases: tuple[LegacyCase, ...] = ()
    requests: tuple[Request, ...] = ()
    sessions: tuple[ReceptionSession, ...] = ()
    enrolments: tuple[TrainingEnrolment, ...] = ()
    employment: tuple[EmploymentRecord, ...] = ()

    def __len__(self) -> int:
        return sum(len(records) for records in attrs.astuple(self, recurse=False))

    def codes(self) -> Iterator[DivisionCode]:
        """The units the records name (for the village units of the tree)."""
        for petition in self.petitions:
            yield petition.received_by
            yield petition.unit
        yield from (t.destination for t in self.transfers if t.destination is not None)
        yield from (a.area for a in self.assignments)
        yield from (c.village for c in self.cadres)
        yield from (c.responsible_unit for c in self.legacy_cases)
        for request in self.requests:
            yield request.contact.unit
            if request.handler is not None:
                yield request.handler
        yield from (s.unit for s in self.sessions)
        yield from (e.unit for e in self.enrolments if e.unit is not None)
        yield from (r.unit for r in self.employment if r.unit is not None)


def read_casework(work: UnitOfWork, progress: Progress) -> Casework:
    """The store's petitions, insurance transfers, 包联 assignments and talks, village cadres,
    legacy cases, requests, reception days, training enrolments and employment records."""
    return Casework(
        petitions=tuple(progress.count("reading petitions", work.records(Petition).find())),
        transfers=tuple(
            progress.count("reading insurance transfers", work.records(InsuranceTransfer).find())
        ),
        assignments=tuple(
            progress.count("reading 包联 assignments", work.records(ContactAssignment).find())
        ),
        talks=tuple(progress.count("reading 包联 talks", work.records(BaolianTalk).find())),
        cadres=tuple(progress.count("reading village cadres", work.records(VillageCadre).find())),
        legacy_cases=tuple(progress.count("reading legacy cases", work.records(LegacyCase).find())),
        requests=tuple(progress.count("reading requests", work.records(Request).find())),
        sessions=tuple(
            progress.count("reading reception days", work.records(ReceptionSession).find())
        ),
        enrolments=tuple(
            progress.count("reading training enrolments", work.records(TrainingEnrolment).find())
        ),
        employment=tuple(
            progress.count("reading employment records", work.records(EmploymentRecord).find())
        ),
    )


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
    casework: Casework = Casework()


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


def _tree(
    province: str, jurisdiction: Jurisdiction | None, extra: Iterable[Division] = ()
) -> DivisionTree:
    """The province's bundled units (or the ``jurisdiction``'s tree) with ``extra`` units."""
    if jurisdiction is None:
        return DivisionTree.bundled(province, extra=extra)
    return jurisdiction.tree(extra=extra)


def load_dataset(
    store: Store,
    *,
    province: str,
    progress: Progress,
    casework: bool = False,
    jurisdiction: Jurisdiction | None = None,
) -> Dataset:
    """Read every record of ``store`` (within its scope) and build the tree they lie in; with
    ``casework``, its casework records too. The tree is the ``jurisdiction``'s, else the
    bundled units of ``province``."""
    with store.unit_of_work(actor="veteran-affairs") as work:
        stations = tuple(progress.count("reading stations", work.stations.find()))
        people = tuple(progress.count("reading persons", work.persons.find()))
        households = tuple(progress.count("reading households", work.households.find()))
        cases = tuple(progress.count("reading cases", work.cases.find()))
        activities = tuple(progress.count("reading activities", work.activities.find()))
        records = read_casework(work, progress) if casework else Casework()
    bundled = _tree(province, jurisdiction)
    codes: list[DivisionCode] = [s.division for s in stations]
    codes.extend(p.person.hukou_division for p in people)
    codes.extend(h.household.hukou_division for h in households)
    codes.extend(c.division for c in cases)
    codes.extend(a.unit for a in activities)
    codes.extend(records.codes())
    villages, outside = _village_units(stations, codes, bundled)
    tree = _tree(province, jurisdiction, villages)
    return Dataset(
        tree=tree,
        people=people,
        households=households,
        stations=stations,
        cases=cases,
        activities=activities,
        outside=outside,
        casework=records,
    )


def load_casework(
    store: Store, *, province: str, progress: Progress, jurisdiction: Jurisdiction | None = None
) -> Dataset:
    """The store's stations and casework records (no persons, households, cases or
    activities), with the tree they lie in: what the casework reports need."""
    with store.unit_of_work(actor="veteran-affairs") as work:
        stations = tuple(progress.count("reading stations", work.stations.find()))
        records = read_casework(work, progress)
    bundled = _tree(province, jurisdiction)
    codes = [s.division for s in stations]
    codes.extend(records.codes())
    villages, outside = _village_units(stations, codes, bundled)
    return Dataset(
        tree=_tree(province, jurisdiction, villages),
        people=(),
        households=(),
        stations=stations,
        cases=(),
        activities=(),
        outside=outside,
        casework=records,
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
"""The standard reports, built together by :func:`build_reports`."""

CASEWORK_KINDS = ("petitions", "transfers", "baolian", "villages", "registers")
"""The casework reports, built by :func:`build_casework_reports` from the casework records."""

_SUMMED_KINDS = ("petitions", "transfers", "baolian", "villages")
"""The casework reports :func:`casework_summary` takes its figures (and notes) from."""

ALL_REPORT_KINDS = (*REPORT_KINDS, *CASEWORK_KINDS)
"""Every kind ``report --kind`` takes."""

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


def _picked(
    reports: dict[str, Report],
    picks: Sequence[tuple[str, str, Column]],
    columns: Sequence[Column],
) -> dict[str, list[object]]:
    """Own figures per unit for ``columns``, each count taken from the report and key ``picks``
    name for it (rates are left to be recomputed)."""
    where = {column.key: (kind, key) for kind, key, column in picks}
    own: dict[str, list[object]] = {}
    for position, column in enumerate(columns):
        if column.kind is FigureKind.RATE:
            continue
        kind, key = where[column.key]
        source = reports[kind]
        index = source.keys.index(key)
        for code, values in source.own.items():
            vector = own.get(code)
            if vector is None:
                vector = own[code] = [0] * len(columns)
            value = values[index]
            vector[position] = 0 if value is None else value
    return own


def summary_report(tree: DivisionTree, reports: dict[str, Report], *, as_of: str) -> Report:
    """One row per unit with the headline figures of every report, rates recomputed."""
    return build_report(
        tree,
        _picked(reports, _SUMMARY, SUMMARY_COLUMNS),  # type: ignore[arg-type]
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


# The casework summary's counts: (report, key in it, summary column), labels kept short.
_CASEWORK: tuple[tuple[str, str, Column], ...] = (
    ("petitions", "received", Column(key="petitions", label="petitions", label_zh="信访登记")),
    ("petitions", "open", Column(key="petitions_open", label="open", label_zh="在办")),
    ("petitions", "answered", Column(key="answered", label="answered", label_zh="已答复")),
    (
        "petitions",
        "answered_on_time",
        Column(key="answered_on_time", label="on time", label_zh="按期答复"),
    ),
    ("petitions", "answered_late", Column(key="answered_late", label="late", label_zh="逾期答复")),
    ("petitions", "overdue", Column(key="overdue", label="overdue", label_zh="逾期未办")),
    ("transfers", "transfers", Column(key="transfers", label="transfers", label_zh="保险接续")),
    ("transfers", "pending", Column(key="pending", label="pending", label_zh="未完成接续")),
    ("transfers", "stalled", Column(key="stalled", label="stalled", label_zh="接续受阻")),
    ("baolian", "quarters", Column(key="quarters", label="包联 quarters", label_zh="包联季度")),
    ("baolian", "with_talk", Column(key="with_talk", label="with a talk", label_zh="有座谈")),
    ("baolian", "due", Column(key="due", label="checked", label_zh="应考核")),
    ("baolian", "met", Column(key="met", label="met", label_zh="已完成")),
    ("villages", "villages", Column(key="villages", label="villages", label_zh="村数")),
    (
        "villages",
        "veteran_secretary",
        Column(key="veteran_secretary", label="veteran secretary", label_zh="兵支书村"),
    ),
    (
        "villages",
        "veteran_director",
        Column(key="veteran_director", label="veteran director", label_zh="兵主任村"),
    ),
)
_CASEWORK_RATES = (
    Column(
        key="on_time_rate",
        label="answered on time",
        label_zh="按期答复率",
        kind=_RATE,
        numerator="answered_on_time",
        denominator="answered",
    ),
    Column(
        key="talk_rate",
        label="quarters with a talk",
        label_zh="有座谈占比",
        kind=_RATE,
        numerator="with_talk",
        denominator="quarters",
    ),
    Column(
        key="met_rate",
        label="包联 met",
        label_zh="包联完成率",
        kind=_RATE,
        numerator="met",
        denominator="due",
    ),
    Column(
        key="secretary_rate",
        label="villages with a veteran secretary",
        label_zh="兵支书村占比",
        kind=_RATE,
        numerator="veteran_secretary",
        denominator="villages",
    ),
    Column(
        key="director_rate",
        label="villages with a veteran director",
        label_zh="兵主任村占比",
        kind=_RATE,
        numerator="veteran_director",
        denominator="villages",
    ),
)
CASEWORK_SUMMARY_COLUMNS = (
    *(column for _, _, column in _CASEWORK[:6]), _CASEWORK_RATES[0],
    *(column for _, _, column in _CASEWORK[6:9]),
    *(column for _, _, column in _CASEWORK[9:13]), _CASEWORK_RATES[1], _CASEWORK_RATES[2],
    *(column for _, _, column in _CASEWORK[13:]), _CASEWORK_RATES[3], _CASEWORK_RATES[4],
)  # fmt: skip
"""The casework summary's columns: petitions, insurance transfers, 包联, 兵支书."""

CASEWORK_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "petitions and insurance transfers (信访、保险接续)",
        (
            "petitions",
            "petitions_open",
            "answered_on_time",
            "answered_late",
            "overdue",
            "on_time_rate",
            "transfers",
            "pending",
            "stalled",
        ),
    ),
    (
        "包联 and 兵支书 (领导包联、兵支书)",
        (
            "quarters",
            "talk_rate",
            "due",
            "met_rate",
            "villages",
            "veteran_secretary",
            "secretary_rate",
            "director_rate",
        ),
    ),
)
"""The casework summary's columns in two parts, each table fitting a 120-column terminal."""


def casework_summary(tree: DivisionTree, reports: dict[str, Report], *, as_of: str) -> Report:
    """One row per unit with the headline figures of four casework reports (petitions,
    transfers, 包联, village cadres), rates recomputed from the summed counts (the demo's
    casework tables)."""
    return build_report(
        tree,
        _picked(reports, _CASEWORK, CASEWORK_SUMMARY_COLUMNS),  # type: ignore[arg-type]
        kind="casework",
        title="Casework summary",
        title_zh="业务工作汇总",
        columns=CASEWORK_SUMMARY_COLUMNS,
        as_of=as_of,
        notes=tuple(note for kind in _SUMMED_KINDS for note in reports[kind].notes),
    )


def _compliance_rows(
    data: Dataset,
    span: tuple[dt.date, dt.date],
    as_of: dt.date,
    calendar: WorkCalendar,
    preset: Mapping[str, Cycle],
) -> Iterator[ComplianceRow]:
    units = [d.code for d in data.tree]
    for cycle in preset.values():
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
    jurisdiction: Jurisdiction | None = None,
) -> Reports:
    """Every standard report of ``data`` as of ``on``; flows (assistance, routines) for ``year``.

    Routines (the ``jurisdiction``'s preset, Guangxi's without one) are checked on the
    province's calendar (the ``jurisdiction``'s) with the user's ``holidays`` files; where
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
    preset = GUANGXI_PRESET if jurisdiction is None else jurisdiction.routine_preset()
    own = casework_calendars(province, holidays, jurisdiction)[0]
    try:
        rows = list(_compliance_rows(data, span, as_of, own, preset))
    except CalendarDataMissing as missing:
        try:
            national = calendar_for(holidays=holidays)
            rows = list(_compliance_rows(data, span, as_of, national, preset))
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


def casework_calendars(
    province: str, holidays: Sequence[HolidayFile] = (), jurisdiction: Jurisdiction | None = None
) -> tuple[WorkCalendar, ...]:
    """The calendars casework limits are counted on: the province's (the ``jurisdiction``'s),
    then the national one for years the province's data lack (each with the user's holiday
    files)."""
    own = (
        calendar_for(province, holidays=holidays)
        if jurisdiction is None
        else jurisdiction.calendar(holidays=holidays)
    )
    return (own, calendar_for(holidays=holidays))


def build_casework_reports(
    data: Dataset,
    *,
    on: dt.date,
    year: int,
    province: str,
    holidays: Sequence[HolidayFile] = (),
    talks_per_quarter: int | None = None,
    kinds: Sequence[str] = CASEWORK_KINDS,
    jurisdiction: Jurisdiction | None = None,
) -> dict[str, Report]:
    """The casework reports of ``data`` (those of ``kinds``): petitions registered in ``year``
    and 包联 quarters of ``year``, as of ``on``; transfers and village cadres on ``on``; the
    other registers (``registers``): legacy cases and employment on ``on``, requests, reception
    days and training enrolments of ``year`` by ``on``.

    Limits are counted on :func:`casework_calendars` (of the ``jurisdiction``, else of
    ``province``); ``talks_per_quarter`` is the user's
    包联 cadence (default: the bundled one, in force from 2021-02-03).
    """
    records = data.casework
    period = Year(year=year)
    calendars = casework_calendars(province, holidays, jurisdiction)
    built: dict[str, Report] = {}
    if "petitions" in kinds:
        built["petitions"] = petitions_report(
            data.tree, records.petitions, on=on, period=period, calendar=calendars
        )
    if "transfers" in kinds:
        built["transfers"] = transfers_report(
            data.tree, records.transfers, on=on, calendar=calendars
        )
    if "baolian" in kinds:
        built["baolian"] = baolian_report(
            data.tree,
            records.assignments,
            records.talks,
            period=period,
            as_of=on,
            talks_per_quarter=talks_per_quarter,
        )
    if "villages" in kinds:
        built["villages"] = veteran_cadre_rows(records.cadres, on=on, tree=data.tree)
    if "registers" in kinds:
        built["registers"] = registers_report(
            data.tree,
            on=on,
            period=period,
            legacy_cases=records.legacy_cases,
            requests=records.requests,
            sessions=records.sessions,
            enrolments=records.enrolments,
            employment=records.employment,
        )
    return built


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
    if not (data.people or data.stations or data.households or len(data.casework)):
        raise CommandError(
            "the store holds no persons, stations or households (存储中没有数据): "
            "import a roster or run `veteran-affairs demo` first"
        )
