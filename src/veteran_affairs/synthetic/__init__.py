"""A deterministic, Guangxi-shaped **synthetic** dataset (合成数据, not real persons).

:func:`generate_guangxi` builds a :class:`SyntheticRegion`: the real region with its 14
cities, 111 counties and township units from the bundled division data, a synthetic village
layer, a centre or station for every unit that must have one (17,624 in all, as in the seed
article on Guangxi of early 2021), people, their glory-plaque households, a year of hardship
assistance cases, a year of work activities and the bureau's casework (petitions, insurance
transfers, discharge records, training enrolments and employment spells, 包联 assignments and
talks, reception sessions, village cadres, legacy cases, contact requests).
Everything is made up — names are marked 合成, identity numbers are valid in form only — and
everything passes the models' validators.

The same arguments give the same region, to the last field: all draws come from
:class:`random.Random` generators seeded from ``seed``; nothing reads the clock or the global
generator. The village layer does not depend on the seed. Each unit's station and routine
meetings, 包联 assignments and talks, reception days and village cadres are drawn from a stream
of the unit's own, so for a given seed those of a subtree (``within``) are exactly those of the whole region
inside it; the people of a subtree, and their petitions, transfers, discharge records, courses,
employment spells, legacy cases and requests, are drawn for that subtree alone. The casework is drawn after everything else, from streams
of its own: the other records are the same with ``casework=False``.

See ``docs/synthetic-data.md`` for the figures, their sources and the timings.

>>> region = generate_guangxi(persons=40, seed=7, within="450312")
>>> region
SyntheticRegion(SYNTHETIC 合成数据, seed=7, on=2021-01-06, within=450312000000, divisions=184, stations=184, people=40, households=41, cases=1, activities=3,293, casework=334)
>>> from veteran_affairs.models import StationKind
>>> sum(1 for s in region.stations if s.kind is not StationKind.EXTENSION)  # 1 + 11 + 172
184
>>> region.people[0].person.name[:2]
'合成'
>>> region == generate_guangxi(persons=40, seed=7, within="450312")
True
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TypeAlias

import attrs

from veteran_affairs._clock import not_in_future
from veteran_affairs._draw import unit_rng
from veteran_affairs._validate import instance_of, optional, tuple_of
from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    InsuranceTransfer,
    TrainingEnrolment,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition
from veteran_affairs.casework.requests import Request
from veteran_affairs.casework.villages import VillageCadre
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models.activity import Activity
from veteran_affairs.models.assistance import AssistanceCase
from veteran_affairs.models.household import PlaqueHousehold
from veteran_affairs.models.network import Division, ServiceStation
from veteran_affairs.models.people import ServingMember, Survivor, Veteran
from veteran_affairs.synthetic import (
    _assistance_cases,
    _casework_records,
    _figures,
    _persons,
    _routine_activities,
    _service_points,
)

__all__ = ["LABEL", "CaseworkRecord", "SyntheticRegion", "generate_guangxi"]


def __dir__() -> list[str]:
    return __all__


CaseworkRecord: TypeAlias = (
    Petition
    | InsuranceTransfer
    | DischargeRecord
    | TrainingEnrolment
    | EmploymentRecord
    | ContactAssignment
    | BaolianTalk
    | ReceptionSession
    | VillageCadre
    | LegacyCase
    | Request
)
"""A casework record of a synthetic region (:attr:`SyntheticRegion.casework`)."""

LABEL = "SYNTHETIC 合成数据 — generated, not real persons (非真实人员)"
"""What every synthetic dataset says it is, for reports and demo output."""


def _short_label() -> str:
    return LABEL.split(" —", 1)[0]


@attrs.frozen(kw_only=True, repr=False)
class SyntheticRegion:
    """A generated Guangxi-shaped region: network, people, plaques, cases and activities.

    Build it with :func:`generate_guangxi`; the fields record the arguments and hold the
    values, each a tuple in a deterministic order (divisions and stations by code).

    Attributes:
        seed: the seed every draw derives from.
        on: the reference date: statuses, sanctions and plaques are as of this day.
        persons: the number of people.
        within: the root of the subtree generated, or ``None`` for the whole region.
        activity_year: the year of the assistance cases and the activities.
        divisions: bundled units (levels 1–4, 类似乡级 included) and synthetic villages.
        stations: one built centre or station per unit that must have one (none for 类似乡级
            units and their subtree), plus extension stations (拓展型).
        people: veterans, survivors (三属 and elderly children of martyrs) and serving members.
        households: one plaque household per person, plus households whose plaque rests on
            someone not among the people (martyrs, veterans who died after 2018-07-29).
        cases: hardship assistance cases with incidents in ``activity_year``.
        activities: the routine meetings and contacts of ``activity_year``.
        petitions: petitions (信访) received in ``activity_year``, as they stand on ``on``.
        transfers: insurance transfers (保险接续) of the veterans discharged in the year
            before ``on``, one per scheme.
        discharges: a discharge record (退役安置过渡登记) for each of those veterans, its
            ``unit`` the county of the veteran's hukou.
        enrolments: the courses (参加培训记录) some of them enrolled in, ``unit`` set likewise.
        employment: their employment spells (就业情况记录), ``unit`` set likewise.
        assignments: 包联 assignments: a region leader per city, a city leader per county.
        talks: their quarterly talks (季座谈) from ``activity_year`` to ``on``, a few missed.
        sessions: reception days held (领导接待日): one a month at most county-level units in
            ``activity_year``, on a working day, some opening requests.
        cadres: the 两委 heads of every village serving on ``on``, some of them veterans.
        legacy_cases: a few historical legacy cases (历史遗留问题).
        requests: contact requests (诉求) of ``activity_year``; some became legacy cases.

    The casework fields are empty when the region was generated with ``casework=False``.
    """

    seed: int = attrs.field(validator=instance_of(int))
    on: dt.date = attrs.field(validator=instance_of(dt.date))
    persons: int = attrs.field(validator=instance_of(int))
    within: DivisionCode | None = attrs.field(validator=optional(instance_of(DivisionCode)))
    activity_year: int = attrs.field(validator=instance_of(int))
    divisions: tuple[Division, ...] = attrs.field(validator=tuple_of(Division))
    stations: tuple[ServiceStation, ...] = attrs.field(validator=tuple_of(ServiceStation))
    people: tuple[Veteran | Survivor | ServingMember, ...] = attrs.field(
        validator=tuple_of(Veteran, Survivor, ServingMember)
    )
    households: tuple[PlaqueHousehold, ...] = attrs.field(validator=tuple_of(PlaqueHousehold))
    cases: tuple[AssistanceCase, ...] = attrs.field(validator=tuple_of(AssistanceCase))
    activities: tuple[Activity, ...] = attrs.field(validator=tuple_of(Activity))
    petitions: tuple[Petition, ...] = attrs.field(default=(), validator=tuple_of(Petition))
    transfers: tuple[InsuranceTransfer, ...] = attrs.field(
        default=(), validator=tuple_of(InsuranceTransfer)
    )
    assignments: tuple[ContactAssignment, ...] = attrs.field(
        default=(), validator=tuple_of(ContactAssignment)
    )
    talks: tuple[BaolianTalk, ...] = attrs.field(default=(), validator=tuple_of(BaolianTalk))
    sessions: tuple[ReceptionSession, ...] = attrs.field(
        default=(), validator=tuple_of(ReceptionSession)
    )
    discharges: tuple[DischargeRecord, ...] = attrs.field(
        default=(), validator=tuple_of(DischargeRecord)
    )
    enrolments: tuple[TrainingEnrolment, ...] = attrs.field(
        default=(), validator=tuple_of(TrainingEnrolment)
    )
    employment: tuple[EmploymentRecord, ...] = attrs.field(
        default=(), validator=tuple_of(EmploymentRecord)
    )
    cadres: tuple[VillageCadre, ...] = attrs.field(default=(), validator=tuple_of(VillageCadre))
    legacy_cases: tuple[LegacyCase, ...] = attrs.field(default=(), validator=tuple_of(LegacyCase))
    requests: tuple[Request, ...] = attrs.field(default=(), validator=tuple_of(Request))

    def __attrs_post_init__(self) -> None:
        if len(self.people) != self.persons:
            raise InconsistentRecord(
                "persons/people",
                f"{self.persons}/{len(self.people)}",
                "the number of persons must match the people held",
                "人数与人员记录数不符",
            )

    @property
    def casework(self) -> tuple[tuple[str, tuple[CaseworkRecord, ...]], ...]:
        """The casework records by kind (the store's record kind names), in a fixed order."""
        return (
            ("petition", self.petitions),
            ("insurance-transfer", self.transfers),
            ("discharge-record", self.discharges),
            ("training-enrolment", self.enrolments),
            ("employment-record", self.employment),
            ("contact-assignment", self.assignments),
            ("baolian-talk", self.talks),
            ("reception-session", self.sessions),
            ("village-cadre", self.cadres),
            ("legacy-case", self.legacy_cases),
            ("contact-request", self.requests),
        )

    @property
    def label(self) -> str:
        """Says the data are synthetic (合成数据), not real persons: show it with any output."""
        return LABEL

    def __repr__(self) -> str:
        return (
            f"SyntheticRegion({_short_label()}, seed={self.seed}, on={self.on.isoformat()}, "
            f"within={self.within}, divisions={len(self.divisions):,}, "
            f"stations={len(self.stations):,}, people={len(self.people):,}, "
            f"households={len(self.households):,}, cases={len(self.cases):,}, "
            f"activities={len(self.activities):,}, "
            f"casework={sum(len(records) for _, records in self.casework):,})"
        )


def _check_arguments(persons: int, seed: int, on: dt.date, activity_year: int) -> None:
    if type(persons) is not int or persons < 0:
        raise InvalidValue("persons", repr(persons), "must be an integer ≥ 0", "须为非负整数")
    if type(seed) is not int:
        raise InvalidValue("seed", type(seed).__name__, "must be an integer", "须为整数")
    if type(on) is not dt.date:
        raise InvalidValue("on", type(on).__name__, "must be a date", "须为日期")
    if not not_in_future(on):
        raise InvalidValue("on", on.isoformat(), "lies in the future", "晚于今天")
    if (
        type(activity_year) is not int
        or activity_year < _figures.EARLIEST_ACTIVITY_YEAR
        or activity_year >= on.year
    ):
        raise InvalidValue(
            "activity_year",
            repr(activity_year),
            f"must be a whole year from {_figures.EARLIEST_ACTIVITY_YEAR} that ended before "
            f"on ({on.isoformat()})",
            "须为2019年起、参照日期之前已结束的年度",
        )


def generate_guangxi(
    *,
    persons: int = 2_000,
    seed: int = 2021,
    on: dt.date = dt.date(2021, 1, 6),
    within: DivisionCode | str | None = None,
    activity_year: int = 2020,
    casework: bool = True,
) -> SyntheticRegion:
    """Generate a synthetic Guangxi (or one subtree of it), deterministically.

    Args:
        persons: how many people (``persons = 1_000_000`` is the seed's scale; the default
            keeps tests fast). Households, assistance cases and amounts scale with it.
        seed: every draw derives from it; the same arguments give an equal region.
        on: the reference date, not after today: statuses, sanctions and plaques are as of
            this day, and every event lies before it.
        within: a unit code (e.g. ``"450312"`` 临桂区, a township, or a synthetic village) to
            generate only its subtree, rooted at it; ``None`` for the whole region.
        activity_year: the year of the cases and activities: from 2019 (the network was set
            up in 2018–2019) and ended before ``on``, so ``on`` is in 2020 or later.
        casework: whether to generate the casework records (petitions, insurance transfers,
            discharge records, courses, employment, 包联, reception days, village cadres,
            legacy cases, requests); they come after, and change nothing
            of, the other records.

    Returns:
        The region, labelled synthetic (:attr:`SyntheticRegion.label`).

    Raises:
        InvalidValue: an argument out of range, ``within`` outside Guangxi, or persons to
            place in a subtree without villages (a 类似乡级 unit).
        InvalidDivisionCode: ``within`` is not a division code.
        UnknownDivision: ``within`` is not a unit of the bundled data or of the village layer.
        CalendarDataMissing: ``activity_year`` is not covered by the bundled working-day
            calendar.
    """
    _check_arguments(persons, seed, on, activity_year)
    root = _service_points.resolve_within(within)
    divisions = _service_points.network_divisions(root)
    villages = _persons.villages_from(divisions)
    if persons and not villages:
        raise InvalidValue(
            "within",
            str(root),
            "has no village-level units to place persons in (类似乡级 units have none)",
            "该区划下无村级单位，无法安置人员",
        )

    span = _service_points.established_span(activity_year, on)
    stations: list[ServiceStation] = []
    activities: list[Activity] = []
    for unit in divisions:
        if not _service_points.requires_station(unit.code):
            continue
        rng = unit_rng(seed, unit.code.value)
        station = _service_points.station_for(unit, rng, span)
        stations.append(station)
        activities.extend(
            _routine_activities.meetings(unit.code, station.staff, rng, activity_year)
        )
    stations.extend(_service_points.extension_stations(seed, root, span))
    stations.sort(key=lambda s: (s.division.value, s.station_id))

    rng = random.Random(seed)
    population = _persons.build_population(rng, villages, persons, on)
    cases = _assistance_cases.build_cases(rng, population.applicants, persons, activity_year, on)
    activities.extend(_routine_activities.contacts(rng, population.key_by_village, activity_year))
    if casework:
        work = _casework_records.build_casework(
            seed, divisions, population.people, persons, on, activity_year
        )
    else:
        work = _casework_records.Casework.empty()

    return SyntheticRegion(
        seed=seed,
        on=on,
        persons=persons,
        within=root,
        activity_year=activity_year,
        divisions=divisions,
        stations=tuple(stations),
        people=tuple(population.people),
        households=tuple(population.households),
        cases=tuple(cases),
        activities=tuple(activities),
        petitions=tuple(work.petitions),
        transfers=tuple(work.transfers),
        assignments=tuple(work.assignments),
        talks=tuple(work.talks),
        sessions=tuple(work.sessions),
        discharges=tuple(work.discharges),
        enrolments=tuple(work.enrolments),
        employment=tuple(work.employment),
        cadres=tuple(work.cadres),
        legacy_cases=tuple(work.legacy_cases),
        requests=tuple(work.requests),
    )
