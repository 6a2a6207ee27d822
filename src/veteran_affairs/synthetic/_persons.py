"""Synthetic people and their plaque households (private engine of ``synthetic``).

People come in *profiles* (a plain veteran, a rural veteran aged 60 or more, a survivor of a
martyr …) whose numbers are fixed shares of the total, apportioned exactly and then shuffled:
so the share of key entitled persons (重点优抚对象) is 18% up to rounding for every seed and
size. Each person gets one household of their own (户), built in the same pass; then
households whose plaque rests on someone not among the people (a martyr who died long ago, a
veteran who died after 2018-07-29) make up the seed's 1.0069 hung plaques per person.

Dates are drawn so that every model invariant and every status condition the rules read
holds: a rural veteran aged 60+ is a conscript who enlisted between 1954-11-01 and
2011-10-31, has a rural hukou and no other periodic payment; a combat veteran's service record
marks combat; a survivor's status begins after the death; and so on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import attrs

from veteran_affairs._draw import (
    DISCHARGE_MODE_SHARES,
    ETHNICITIES,
    GIVEN_NAMES,
    PERSONNEL_TYPE_SHARES,
    SURNAMES,
    IdIssuer,
    apportion,
    below,
    between,
    pick,
    plus_years,
)
from veteran_affairs.identity import DivisionCode, ResidentId, Sex, VillageKind
from veteran_affairs.models.circumstances import Circumstances, Sanction, SanctionKind
from veteran_affairs.models.entitlement import EntitlementCategory, EntitlementStatus
from veteran_affairs.models.household import (
    Household,
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    PlaqueRecoveryReason,
)
from veteran_affairs.models.network import Division
from veteran_affairs.models.people import (
    DeathCategory,
    HukouType,
    Person,
    Relation,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.models.service import (
    Award,
    AwardKind,
    Disability,
    DisabilityNature,
    DischargeMode,
    NcoRank,
    PersonnelType,
    ServiceRecord,
)
from veteran_affairs.rules.disability_pension import NURSING_UP_TO, PENSIONED_UP_TO
from veteran_affairs.rules.retirement_or_support import SUPPORTED_UP_TO
from veteran_affairs.synthetic import _figures

Subject = Veteran | Survivor | ServingMember

_DAY = dt.timedelta(days=1)
_C = EntitlementCategory

# (profile, share of all persons, key entitled). The key shares add up to 0.18 (临桂区).
PROFILES: tuple[tuple[str, float, bool], ...] = (
    ("serving", 0.06, False),
    ("veteran", 0.76, False),
    ("rural-60", 0.09, True),
    ("combat", 0.03, True),
    ("disabled", 0.022, True),
    ("disabled-combat", 0.005, True),
    ("rural-60-combat", 0.005, True),
    ("ill", 0.004, True),
    ("demobilised", 0.001, True),
    ("martyr-survivor", 0.006, True),
    ("duty-death-survivor", 0.004, True),
    ("illness-death-survivor", 0.010, True),
    ("elderly-martyr-child", 0.003, True),
)
KEY_PROFILES = frozenset(name for name, _, key in PROFILES if key)

_HUNG, _TO_HANG, _RECOVER = "hung", "to-hang", "recover"

_CONSCRIPT_2Y = dt.date(1999, 12, 1)  # synthetic: two-year terms from then, three before
_RURAL_60_FROM = dt.date(1954, 11, 1)
_RURAL_60_TO = dt.date(2011, 10, 31)
_RURAL_60_ALLOWANCE = dt.date(2011, 8, 1)  # 民发〔2011〕110号 (DOMAIN.md §4)
_DEMOBILISED_BY = dt.date(1954, 10, 31)
_COMBAT_ENLISTED = (dt.date(1975, 1, 1), dt.date(1988, 12, 31))
_COMBAT_BORN = (dt.date(1955, 1, 1), dt.date(1966, 12, 31))
_FIRST_CAMPAIGN_END = dt.date(2019, 1, 31)  # synthetic: the first round of plaques

# 因病 disabilities are drawn among the grades that carry a pension (1–6).
_ILLNESS_GRADES = range(1, PENSIONED_UP_TO[DisabilityNature.ILLNESS] + 1)
_GRADES_ILLNESS = tuple(zip((0.02, 0.06, 0.14, 0.28, 0.58, 1.0), _ILLNESS_GRADES, strict=True))
_GRADES = tuple(
    zip((0.01, 0.03, 0.06, 0.11, 0.18, 0.28, 0.43, 0.6, 0.8, 1.0), range(1, 11), strict=True)
)
_RELATIONS = ((0.35, Relation.PARENT), (0.75, Relation.SPOUSE), (1.0, Relation.CHILD))
_BASIS_OF_DEATH = {
    DeathCategory.MARTYR: PlaqueBasis.MARTYR,
    DeathCategory.DUTY_DEATH: PlaqueBasis.DUTY_DEATH,
    DeathCategory.ILLNESS_DEATH: PlaqueBasis.ILLNESS_DEATH,
}
_DEATH_OF_PROFILE = {
    "martyr-survivor": DeathCategory.MARTYR,
    "duty-death-survivor": DeathCategory.DUTY_DEATH,
    "illness-death-survivor": DeathCategory.ILLNESS_DEATH,
}

# Shared, immutable facts (one object for many persons keeps a million people small).
_NOTHING_KNOWN = Circumstances()
_RURAL_60_FACTS = Circumstances(other_periodic_state_payment=False)
_DISPERSED = Circumstances(centrally_supported=False)
_NEEDY = Circumstances(
    able_to_work=False, has_means_of_support=False, income_below_local_average=True
)
_NO_WORK_UNIT = Circumstances(has_work_unit=False)


class Village(NamedTuple):
    """A village of the network with what placing a person there needs."""

    code: DivisionCode
    county: str
    community: bool


class Population(NamedTuple):
    """What the people pass hands on to the later passes."""

    people: list[Subject]
    households: list[PlaqueHousehold]
    applicants: list[tuple[ResidentId, DivisionCode]]  # may ask for hardship assistance
    key_by_village: dict[str, list[ResidentId]]  # key entitled persons, for contacts


def villages_from(divisions: Sequence[Division]) -> list[Village]:
    """The villages among ``divisions``, in order."""
    return [
        Village(
            code=d.code,
            county=d.code.value[:6],
            community=d.code.village_kind is VillageKind.RESIDENTS_COMMITTEE,
        )
        for d in divisions
        if d.code.village_kind is not None
    ]


@attrs.define
class _PlaquePlan:
    hung_on: dt.date | None
    certificate: bool
    applied_on: dt.date | None
    disqualified_on: dt.date | None


class _Builder:
    """Builds one person and their household at a time from one random stream."""

    def __init__(self, rng: random.Random, on: dt.date) -> None:
        self.rng = rng
        self.on = on
        self.last = on - _DAY  # events happened before the reference date
        self.issuer = IdIssuer()
        self.households: list[PlaqueHousehold] = []
        self._household_numbers: defaultdict[str, int] = defaultdict(int)

    # --- small draws ---------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=low + below(self.rng, high - low + 1))

    def integer(self, low: int, high: int) -> int:
        return low + below(self.rng, high - low + 1)

    def born(self, oldest: int, youngest: int) -> dt.date:
        """A birth date for an age from ``youngest`` to ``oldest`` on the reference date."""
        return between(
            self.rng, plus_years(self.on, -oldest - 1) + _DAY, plus_years(self.on, -youngest)
        )

    def name(self) -> str:
        rng = self.rng
        return (
            f"合成{SURNAMES[below(rng, len(SURNAMES))]}{GIVEN_NAMES[below(rng, len(GIVEN_NAMES))]}"
        )

    def hukou(self, village: Village) -> HukouType:
        if village.community:
            return HukouType.URBAN if self.chance(0.8) else HukouType.RURAL
        return HukouType.RURAL if self.chance(0.9) else HukouType.URBAN

    def person(
        self, village: Village, born: dt.date, *, male: bool, hukou: HukouType | None = None
    ) -> Person:
        rid = self.issuer.issue(village.county, born, male=male)
        return Person(
            resident_id=rid,
            name=self.name(),
            hukou_division=village.code,
            hukou_type=self.hukou(village) if hukou is None else hukou,
            ethnicity=pick(self.rng, ETHNICITIES),
        )

    def other_id(self, village: Village, born: dt.date, *, male: bool) -> ResidentId:
        """The number of someone who is not among the people (kin, the deceased)."""
        return self.issuer.issue(village.county, born, male=male)

    # --- service -------------------------------------------------------------------------

    def career(
        self,
        born: dt.date,
        ptype: PersonnelType,
        *,
        window: tuple[dt.date, dt.date] | None = None,
        combat: bool = False,
        test: bool = False,
        settled: bool = True,
    ) -> ServiceRecord:
        """A discharged service record of a person born on ``born``.

        ``window`` bounds the enlistment date; ``settled=False`` leaves the discharge mode
        for the caller to set (it may depend on a disability).
        """
        rng = self.rng
        low, high = (
            plus_years(born, 18),
            plus_years(born, 22 if ptype is PersonnelType.OFFICER else 20),
        )
        if window is not None:
            low, high = max(low, window[0]), min(high, window[1])
        high = min(high, self.on - dt.timedelta(days=800))
        low = min(low, high)
        enlisted = between(rng, low, high)
        rank: NcoRank | None = None
        if ptype is PersonnelType.CONSCRIPT:
            years = 2 if enlisted >= _CONSCRIPT_2Y else 3
        elif ptype is PersonnelType.NCO:
            years = self.integer(3, 16)
            rank = NcoRank.JUNIOR if years < 8 else NcoRank.INTERMEDIATE_OR_SENIOR
        else:
            years = self.integer(6, 25)
        fits = max(2, (self.last - enlisted).days // 366)
        if years > fits:  # a career that would end after the reference date is cut short
            years = self.integer(2, fits)
            if rank is not None:
                rank = NcoRank.JUNIOR if years < 8 else NcoRank.INTERMEDIATE_OR_SENIOR
        discharged = min(plus_years(enlisted, years) + self.days(0, 60), self.last)
        mode = pick(rng, DISCHARGE_MODE_SHARES[rank or ptype]) if settled else None
        awards: tuple[Award, ...] = ()
        if self.chance(0.03):
            awards = (
                Award(
                    kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=between(rng, enlisted, discharged)
                ),
            )
        return ServiceRecord(
            enlisted_on=enlisted,
            personnel_type=ptype,
            discharged_on=discharged,
            nco_rank=rank,
            discharge_mode=mode,
            awards=awards,
            combat_participant=combat,
            test_participant=test,
        )

    # --- plaques -------------------------------------------------------------------------

    def plaque_plan(self, since: dt.date, state: str) -> _PlaquePlan:
        """When the household's plaque was hung (if it was), and how it came about."""
        if state == _TO_HANG:
            return _PlaquePlan(
                hung_on=None, certificate=True, applied_on=None, disqualified_on=None
            )
        policy = _figures.PLAQUE_POLICY
        if since < policy:
            hung_on = between(self.rng, policy, min(_FIRST_CAMPAIGN_END, self.last))
        else:
            hung_on = min(since + self.days(7, 120), self.last)
        certificate = self.chance(0.95)
        applied_on = (
            None
            if certificate
            else between(self.rng, max(since, hung_on - dt.timedelta(days=60)), hung_on)
        )
        disqualified_on = None
        if state == _RECOVER:
            earliest = min(max(hung_on, self.on - dt.timedelta(days=730)), self.last)
            disqualified_on = between(self.rng, earliest, self.last)
        return _PlaquePlan(
            hung_on=hung_on,
            certificate=certificate,
            applied_on=applied_on,
            disqualified_on=disqualified_on,
        )

    def household(
        self,
        village: Village,
        head: ResidentId,
        others: tuple[ResidentId, ...],
        member: PlaqueMember,
        plan: _PlaquePlan,
        disqualified: ResidentId | None = None,
    ) -> None:
        number = self._household_numbers[village.code.value] = (
            self._household_numbers[village.code.value] + 1
        )
        record = None if plan.hung_on is None else PlaqueRecord(hung_on=plan.hung_on)
        disqualifications: tuple[PlaqueDisqualification, ...] = ()
        if plan.disqualified_on is not None and disqualified is not None:
            disqualifications = (
                PlaqueDisqualification(
                    resident_id=disqualified,
                    kind=PlaqueRecoveryReason.CRIMINAL_PUNISHMENT,
                    on=plan.disqualified_on,
                ),
            )
        self.households.append(
            PlaqueHousehold(
                household=Household(
                    household_id=f"{village.code.value}-H{number:05d}",
                    hukou_division=village.code,
                    head=head,
                    members=(head, *others),
                    plaque=record,
                ),
                members=(member,),
                disqualifications=disqualifications,
                applied_on=plan.applied_on,
            )
        )

    def spouse_of(self, village: Village, person: Person) -> tuple[ResidentId, ...]:
        """A spouse on the same booklet, for about a third of households."""
        if not self.chance(0.35):
            return ()
        born = min(person.birth_date + self.days(-1500, 2500), plus_years(self.on, -20))
        return (self.other_id(village, born, male=person.sex is Sex.FEMALE),)

    # --- profiles ------------------------------------------------------------------------

    def veteran(
        self,
        village: Village,
        state: str,
        *,
        born: dt.date,
        service: ServiceRecord | None = None,
        ptype: PersonnelType | None = None,
        hukou: HukouType | None = None,
        male: bool | None = None,
        extra: tuple[tuple[EntitlementCategory, dt.date], ...] = (),
        disability: Disability | None = None,
        circumstances: Circumstances = _NOTHING_KNOWN,
    ) -> Veteran:
        person = self.person(
            village, born, male=self.chance(0.95) if male is None else male, hukou=hukou
        )
        if service is None:
            assert ptype is not None
            service = self.career(person.birth_date, ptype)
        discharged = service.discharged_on
        assert discharged is not None
        plan = self.plaque_plan(discharged, state)
        sanctions: tuple[Sanction, ...] = ()
        if plan.disqualified_on is not None:
            sanctions = (
                Sanction(kind=SanctionKind.FIXED_TERM_IMPRISONMENT, since=plan.disqualified_on),
            )
        statuses = (
            EntitlementStatus(category=_C.VETERAN, since=discharged),
            *(EntitlementStatus(category=c, since=since) for c, since in extra),
        )
        veteran = Veteran(
            person=person,
            service=service,
            disability=disability,
            statuses=statuses,
            circumstances=circumstances,
            sanctions=sanctions,
        )
        member = PlaqueMember(
            resident_id=person.resident_id,
            basis=PlaqueBasis.VETERAN,
            since=discharged,
            certificate_holder=plan.certificate,
        )
        self.household(
            village,
            person.resident_id,
            self.spouse_of(village, person),
            member,
            plan,
            person.resident_id,
        )
        return veteran

    def plain_veteran(self, village: Village, state: str) -> Veteran:
        if self.chance(0.8):
            born, hukou = self.born(59, 22), None
        else:  # older veterans in towns: outside the rural allowance
            born, hukou = self.born(90, 60), HukouType.URBAN
        return self.veteran(
            village, state, born=born, ptype=pick(self.rng, PERSONNEL_TYPE_SHARES), hukou=hukou
        )

    def rural_60(self, village: Village, state: str, *, combat: bool = False) -> Veteran:
        rng = self.rng
        if combat:
            born = between(rng, _COMBAT_BORN[0], min(_COMBAT_BORN[1], plus_years(self.on, -60)))
            window = _COMBAT_ENLISTED
        else:
            born = between(
                rng, max(dt.date(1936, 11, 1), plus_years(self.on, -88)), plus_years(self.on, -60)
            )
            window = (_RURAL_60_FROM, _RURAL_60_TO)
        service = self.career(born, PersonnelType.CONSCRIPT, window=window, combat=combat)
        assert service.discharged_on is not None
        sixty = plus_years(born, 60)
        extra = [(_C.RURAL_VETERAN_OVER_60, max(_RURAL_60_ALLOWANCE, sixty, service.discharged_on))]
        if combat:
            extra.insert(0, (_C.COMBAT_OR_TEST_VETERAN, service.discharged_on))
        return self.veteran(
            village,
            state,
            born=born,
            service=service,
            hukou=HukouType.RURAL,
            male=self.chance(0.98),
            extra=tuple(extra),
            circumstances=_RURAL_60_FACTS,
        )

    def combat(self, village: Village, state: str) -> Veteran:
        rng = self.rng
        born = between(rng, *_COMBAT_BORN)
        ptype: PersonnelType = pick(
            rng,
            (
                (0.8, PersonnelType.CONSCRIPT),
                (0.9, PersonnelType.NCO),
                (1.0, PersonnelType.OFFICER),
            ),
        )
        test = self.chance(0.1)
        service = self.career(born, ptype, window=_COMBAT_ENLISTED, combat=not test, test=test)
        assert service.discharged_on is not None
        return self.veteran(
            village,
            state,
            born=born,
            service=service,
            hukou=HukouType.RURAL if self.chance(0.75) else HukouType.URBAN,
            extra=((_C.COMBAT_OR_TEST_VETERAN, service.discharged_on),),
        )

    def disabled(self, village: Village, state: str, *, combat: bool = False) -> Veteran:
        rng = self.rng
        if combat:
            born = between(rng, *_COMBAT_BORN)
            ptype = PersonnelType.CONSCRIPT
        else:
            born = self.born(85, 22)
            ptype = pick(
                rng,
                (
                    (0.5, PersonnelType.CONSCRIPT),
                    (0.85, PersonnelType.NCO),
                    (1.0, PersonnelType.OFFICER),
                ),
            )
        service = self.career(
            born,
            ptype,
            window=_COMBAT_ENLISTED if combat else None,
            combat=combat,
            settled=False,
        )
        enlisted, discharged = service.enlisted_on, service.discharged_on
        assert discharged is not None
        r = rng.random()
        if combat:
            nature = DisabilityNature.IN_COMBAT
        elif service.illness_disability_allowed and r < 0.25:
            nature = DisabilityNature.ILLNESS
        else:
            nature = DisabilityNature.IN_COMBAT if r < 0.4 else DisabilityNature.ON_DUTY
        table = _GRADES_ILLNESS if nature is DisabilityNature.ILLNESS else _GRADES
        grade: int = pick(rng, table)
        after = discharged + dt.timedelta(days=30)
        in_service = combat or self.chance(0.85) or after > self.last - dt.timedelta(days=30)
        if in_service:
            assessed = between(rng, min(enlisted + dt.timedelta(days=90), discharged), discharged)
        else:
            assessed = between(rng, after, self.last - dt.timedelta(days=30))
        disability = Disability(
            grade=grade,
            nature=nature,
            assessed_on=assessed,
            mental_disorder=nature is DisabilityNature.ILLNESS and grade >= 5 and self.chance(0.1),
        )
        if in_service and grade <= SUPPORTED_UP_TO and service.illness_disability_allowed:
            mode = DischargeMode.SUPPORT  # 供养, dispersed (分散供养)
        else:
            mode = pick(rng, DISCHARGE_MODE_SHARES[service.nco_rank or ptype])
        service = attrs.evolve(service, discharge_mode=mode)
        extra = [(_C.DISABLED_SERVICEMEMBER, assessed)]
        if combat:
            extra.append((_C.COMBAT_OR_TEST_VETERAN, discharged))
        return self.veteran(
            village,
            state,
            born=born,
            service=service,
            male=self.chance(0.97),
            extra=tuple(extra),
            disability=disability,
            # Dispersed support is what the nursing allowance of grades 1–4 asks about.
            circumstances=_DISPERSED if grade <= NURSING_UP_TO else _NOTHING_KNOWN,
        )

    def ill(self, village: Village, state: str) -> Veteran:
        born = self.born(85, 30)
        service = self.career(born, PersonnelType.CONSCRIPT)
        assert service.discharged_on is not None
        return self.veteran(
            village,
            state,
            born=born,
            service=service,
            hukou=HukouType.RURAL,
            extra=((_C.DISCHARGED_WITH_ILLNESS, service.discharged_on),),
        )

    def demobilised(self, village: Village, state: str) -> Veteran:
        rng = self.rng
        born = between(rng, dt.date(1925, 1, 1), dt.date(1936, 6, 30))
        enlisted = between(rng, plus_years(born, 16), min(plus_years(born, 21), _DEMOBILISED_BY))
        discharged = plus_years(enlisted, self.integer(2, 6)) + self.days(0, 200)
        # Volunteers of that era: the model's nearest personnel type, no discharge mode.
        service = ServiceRecord(
            enlisted_on=enlisted, personnel_type=PersonnelType.CONSCRIPT, discharged_on=discharged
        )
        return self.veteran(
            village,
            state,
            born=born,
            service=service,
            hukou=HukouType.RURAL,
            male=True,
            extra=((_C.DEMOBILISED_IN_COUNTRYSIDE, discharged),),
        )

    def survivor(self, village: Village, state: str, death: DeathCategory) -> Survivor:
        rng = self.rng
        relation: Relation = pick(rng, _RELATIONS)
        latest_death = self.on - dt.timedelta(days=60)
        if relation is Relation.PARENT:
            born = self.born(95, 45)
            member_born = min(born + self.days(20 * 365, 35 * 365), plus_years(self.on, -19))
            died = between(
                rng,
                plus_years(member_born, 18) + _DAY,
                min(plus_years(member_born, 45), latest_death),
            )
            male = self.chance(0.4)
            facts = _NEEDY
        elif relation is Relation.SPOUSE:
            member_born = self.born(90, 22)
            died = between(
                rng, plus_years(member_born, 20), min(plus_years(member_born, 60), latest_death)
            )
            born = min(member_born + self.days(-1000, 1800), plus_years(self.on, -20))
            male = self.chance(0.03)
            facts = _NEEDY
        else:
            born = self.born(17, 1)
            died = between(rng, born, latest_death)
            member_born = died - self.days(20 * 365, 45 * 365)
            male = self.chance(0.5)
            facts = _NOTHING_KNOWN
        person = self.person(village, born, male=male)
        deceased = self.other_id(village, member_born, male=True)
        since = min(died + self.days(30, 180), self.last)
        survivor = Survivor(
            person=person,
            relation=relation,
            death_category=death,
            deceased_on=died,
            deceased_id=deceased,
            statuses=(EntitlementStatus(category=death.survivor_category, since=since),),
            circumstances=facts,
        )
        self.death_household(
            village, person.resident_id, deceased, _BASIS_OF_DEATH[death], died, state
        )
        return survivor

    def elderly_martyr_child(self, village: Village, state: str) -> Survivor:
        rng = self.rng
        born = self.born(85, 60)
        died = between(rng, born, min(plus_years(born, 16), dt.date(1990, 12, 31)))
        member_born = died - self.days(20 * 365, 40 * 365)
        rural = self.chance(0.8)
        person = self.person(
            village,
            born,
            male=self.chance(0.5),
            hukou=HukouType.RURAL if rural else HukouType.URBAN,
        )
        deceased = self.other_id(village, member_born, male=True)
        survivor = Survivor(
            person=person,
            relation=Relation.CHILD,
            death_category=DeathCategory.MARTYR,
            deceased_on=died,
            deceased_id=deceased,
            statuses=(
                EntitlementStatus(
                    category=_C.ELDERLY_MARTYR_CHILD,
                    since=max(plus_years(person.birth_date, 60), died),
                ),
            ),
            circumstances=_NOTHING_KNOWN if rural else _NO_WORK_UNIT,
        )
        self.death_household(village, person.resident_id, deceased, PlaqueBasis.MARTYR, died, state)
        return survivor

    def death_household(
        self,
        village: Village,
        head: ResidentId,
        deceased: ResidentId,
        basis: PlaqueBasis,
        died: dt.date,
        state: str,
    ) -> None:
        plan = self.plaque_plan(died, state)
        plan.certificate = True  # 烈士证明书 and the like: hung proactively
        plan.applied_on = None
        member = PlaqueMember(
            resident_id=deceased, basis=basis, since=died, died_on=died, certificate_holder=True
        )
        self.household(village, head, (), member, plan)

    def serving(self, village: Village, state: str) -> ServingMember:
        rng = self.rng
        ptype: PersonnelType = pick(
            rng,
            (
                (0.45, PersonnelType.CONSCRIPT),
                (0.9, PersonnelType.NCO),
                (1.0, PersonnelType.OFFICER),
            ),
        )
        rank = None
        if ptype is PersonnelType.CONSCRIPT:
            enlisted = self.on - self.days(30, 700)
        elif ptype is PersonnelType.NCO:
            years = self.integer(2, 20)
            rank = NcoRank.JUNIOR if years < 8 else NcoRank.INTERMEDIATE_OR_SENIOR
            enlisted = plus_years(self.on, -years) - self.days(0, 300)
        else:
            enlisted = plus_years(self.on, -self.integer(4, 25)) - self.days(0, 300)
        born = enlisted - self.days(18 * 365 + 5, 22 * 365)
        person = self.person(village, born, male=self.chance(0.92))
        member = ServingMember(
            person=person,
            service=ServiceRecord(enlisted_on=enlisted, personnel_type=ptype, nco_rank=rank),
            enlisted_from=DivisionCode(village.county),
            statuses=(EntitlementStatus(category=_C.SERVING_MEMBER, since=enlisted),),
        )
        parent_born = min(
            person.birth_date - self.days(20 * 365, 35 * 365), plus_years(self.on, -40)
        )
        parent = self.other_id(village, parent_born, male=self.chance(0.5))
        others: tuple[ResidentId, ...] = ()
        if self.chance(0.5):
            others = (
                self.other_id(
                    village, parent_born + self.days(-900, 900), male=parent.sex is Sex.FEMALE
                ),
            )
        plan = self.plaque_plan(enlisted, state)
        plan.certificate = True
        plan.applied_on = None
        self.household(
            village,
            parent,
            others,
            PlaqueMember(
                resident_id=person.resident_id,
                basis=PlaqueBasis.SERVING_MEMBER,
                since=enlisted,
                certificate_holder=True,
            ),
            plan,
        )
        return member

    def build(self, profile: str, village: Village, state: str) -> Subject:
        if profile == "veteran":
            return self.plain_veteran(village, state)
        if profile == "serving":
            return self.serving(village, state)
        if profile == "rural-60":
            return self.rural_60(village, state)
        if profile == "rural-60-combat":
            return self.rural_60(village, state, combat=True)
        if profile == "combat":
            return self.combat(village, state)
        if profile == "disabled":
            return self.disabled(village, state)
        if profile == "disabled-combat":
            return self.disabled(village, state, combat=True)
        if profile == "ill":
            return self.ill(village, state)
        if profile == "demobilised":
            return self.demobilised(village, state)
        if profile == "elderly-martyr-child":
            return self.elderly_martyr_child(village, state)
        return self.survivor(village, state, _DEATH_OF_PROFILE[profile])

    # --- households without a person among the people ----------------------------------------

    def extra_household(self, village: Village) -> None:
        rng = self.rng
        policy = _figures.PLAQUE_POLICY
        head = self.other_id(village, self.born(90, 30), male=self.chance(0.5))
        if self.chance(0.6):  # a martyr's family (烈属) whose members draw nothing periodic
            born = between(rng, dt.date(1900, 1, 1), dt.date(1960, 12, 31))
            died = between(
                rng, plus_years(born, 18), min(plus_years(born, 45), dt.date(1990, 12, 31))
            )
            member = PlaqueMember(
                resident_id=self.other_id(village, born, male=True),
                basis=PlaqueBasis.MARTYR,
                since=died,
                died_on=died,
                certificate_holder=True,
            )
            hung_on = between(rng, policy, min(_FIRST_CAMPAIGN_END, self.last))
        else:  # a veteran who died after 2018-07-29: the plaque is kept, not replaced
            born = between(rng, dt.date(1930, 1, 1), dt.date(1965, 12, 31))
            discharged = plus_years(born, self.integer(21, 30))
            died = between(rng, policy + _DAY, self.last)
            member = PlaqueMember(
                resident_id=self.other_id(village, born, male=True),
                basis=PlaqueBasis.VETERAN,
                since=discharged,
                died_on=died,
                certificate_holder=True,
            )
            hung_on = between(rng, policy, died)
        self.household(
            village,
            head,
            (),
            member,
            _PlaquePlan(hung_on=hung_on, certificate=True, applied_on=None, disqualified_on=None),
        )


def build_population(
    rng: random.Random, villages: Sequence[Village], persons: int, on: dt.date
) -> Population:
    """``persons`` people spread over ``villages``, with their households and the extras."""
    builder = _Builder(rng, on)
    if persons == 0:
        return Population([], [], [], {})
    if not villages:
        raise ValueError("no village to place persons in")
    counts = apportion(persons, [share for _, share, _ in PROFILES])
    profiles = [
        name for (name, _, _), count in zip(PROFILES, counts, strict=True) for _ in range(count)
    ]
    rng.shuffle(profiles)
    states = [_HUNG] * persons
    recover = round(persons * _figures.RECOVER_SHARE)
    plain = [i for i, p in enumerate(profiles) if p == "veteran"][:recover]
    for i in plain:
        states[i] = _RECOVER
    open_ = [i for i, s in enumerate(states) if s == _HUNG]
    for i in rng.sample(open_, min(len(open_), round(persons * _figures.TO_HANG_SHARE))):
        states[i] = _TO_HANG

    people: list[Subject] = []
    applicants: list[tuple[ResidentId, DivisionCode]] = []
    key_by_village: defaultdict[str, list[ResidentId]] = defaultdict(list)
    n_villages = len(villages)
    for profile, state in zip(profiles, states, strict=True):
        village = villages[below(rng, n_villages)]
        subject = builder.build(profile, village, state)
        people.append(subject)
        rid = subject.person.resident_id
        if profile in KEY_PROFILES:
            key_by_village[village.code.value].append(rid)
        if profile != "serving" and profile != "elderly-martyr-child":
            applicants.append((rid, village.code))

    hung_target = (persons * _figures.PLAQUES_HUNG_PER_MILLION + 500_000) // 1_000_000
    hung_linked = sum(1 for s in states if s != _TO_HANG)
    for _ in range(hung_target - hung_linked):
        builder.extra_household(villages[below(rng, n_villages)])
    return Population(people, builder.households, applicants, dict(key_by_village))
