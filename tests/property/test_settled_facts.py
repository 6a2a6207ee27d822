"""Settled facts before figures: a case the facts decide never fails for want of a figure.

For every rule, a subject is generated and then given one fact that settles its case as not
eligible on the date — a sanction that suspends or cancels payments (《军人抚恤优待条例》(2024)
第五十九条), a death before the date, a disability not yet approved, no status for the
group, an officer where the rule is for soldiers, a date before the discharge or the
application, an exclusion. The fact is checked on the subject itself, independently of the
rules. Decided with a rule book in which no figure is known (every parameter without a
version) or every figure is out of date (each version known only until the first day of the
calendar, each latest version confirmed only through it), the decision is "not eligible",
names the fact among its reasons, raises no :class:`~veteran_affairs.errors.ParameterError`
and rests on no figure at all (flags, which read the law, aside).

A figure that only illustrates a reason — the funeral aid named after a death — is read
through the evaluation: with a stale book it is listed among the figures used, marked stale,
and the decision is stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from veteran_affairs.errors import ParameterError
from veteran_affairs.models import (
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    Person,
    PersonnelType,
    Sanction,
    SanctionKind,
    ServiceRecord,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.rules import Decision, Parameter, ParameterVersion, RuleBook
from veteran_affairs.rules.hardship_assistance import HardshipApplication
from veteran_affairs.testing import strategies as vst

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
LATEST = dt.date(2040, 12, 31)  # evaluation dates may lie past today
EARLIEST = dt.date(1937, 1, 1)
EXPULSION_COUNTS_FROM = dt.date(2024, 10, 1)  # 2024 第五十九条; the 2019 text did not list it
PLACEMENT_2011 = dt.date(2011, 11, 1)  # 《退役士兵安置条例》(2011)
PLACEMENT_2024 = dt.date(2024, 9, 1)  # 《退役军人安置条例》(2024)
PLAQUE_POLICY = dt.date(2018, 7, 29)  # 国办发〔2018〕72号
CRIMINAL = (
    SanctionKind.FIXED_TERM_IMPRISONMENT,
    SanctionKind.LIFE_IMPRISONMENT,
    SanctionKind.DEATH_PENALTY,
    SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
)
LIVING_ALLOWANCE_GROUPS = frozenset(
    {
        EntitlementCategory.DISCHARGED_WITH_ILLNESS,
        EntitlementCategory.COMBAT_OR_TEST_VETERAN,
        EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
        EntitlementCategory.RURAL_VETERAN_OVER_60,
        EntitlementCategory.ELDERLY_MARTYR_CHILD,
    }
)


# --- books without figures ------------------------------------------------------------------


def _rebuilt(book: RuleBook, change: Callable[[Parameter], Parameter]) -> RuleBook:
    layer = {parameter.key: change(parameter) for parameter in book.parameters}
    return attrs.evolve(book, parameters=book.parameters.layered(layer))


def _nothing_known(parameter: Parameter) -> Parameter:
    return attrs.evolve(parameter, versions=(), confirmed_through=None)


def _out_of_date(parameter: Parameter) -> Parameter:
    """Every version known only until the first day of the calendar; flags left alone."""
    if parameter.unit == "flag" or not parameter.versions:
        return parameter
    *earlier, latest = parameter.versions
    versions: list[ParameterVersion] = [
        attrs.evolve(version, known_until=dt.date.min) for version in earlier
    ]
    versions.append(attrs.evolve(latest, known_until=None))
    return attrs.evolve(parameter, versions=tuple(versions), confirmed_through=dt.date.min)


BOOKS = {
    f"{jurisdiction}, {name}": _rebuilt(RuleBook.load(jurisdiction), change)
    for jurisdiction in ("national", "guangxi")
    for name, change in (("nothing known", _nothing_known), ("out of date", _out_of_date))
}


def test_the_books_know_no_figure() -> None:
    for name, book in BOOKS.items():
        for parameter in book.parameters:
            if parameter.unit == "flag" and "out of date" in name:
                continue
            for day in (dt.date(2000, 1, 1), dt.date(2021, 1, 6), dt.date(2026, 12, 1)):
                assert not _known(parameter, day), (name, parameter.key, day)


def _known(parameter: Parameter, day: dt.date) -> bool:
    try:
        parameter.version_on(day)
    except Exception:
        return False
    return True


# --- the settling facts ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Settled:
    """A subject whose case ``rule`` must decide as not eligible on ``on``, and why."""

    rule: str
    subject: object
    on: dt.date
    fact: str
    reason: str  # the code of the reason that must fail
    always_named: bool = True  # False: an earlier failed condition may stop the rule first


def _dates(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(first, max(first, last))


def stops(sanction: Sanction, on: dt.date) -> bool:
    """Whether ``sanction`` stops periodic payments on ``on`` (2024 第五十九条; 2019 第五十条)."""
    if on < sanction.since:
        return False
    if sanction.kind is SanctionKind.EXPULSION_FROM_ARMY and on < EXPULSION_COUNTS_FROM:
        return False
    cancels = sanction.kind in (
        SanctionKind.DEATH_PENALTY,
        SanctionKind.LIFE_IMPRISONMENT,
        SanctionKind.EXPULSION_FROM_ARMY,
    )
    return cancels or sanction.until is None or on <= sanction.until


@st.composite
def stopping(
    draw: st.DrawFn, person: Person, first: dt.date, *, cancelling: bool = False
) -> tuple[Sanction, dt.date]:
    """A sanction dated in ``person``'s life from ``first``, and a date it stops payments on."""
    kinds = (
        (
            SanctionKind.DEATH_PENALTY,
            SanctionKind.LIFE_IMPRISONMENT,
            SanctionKind.EXPULSION_FROM_ARMY,
        )
        if cancelling
        else tuple(SanctionKind)
    )
    kind = draw(st.sampled_from(kinds))
    last = TODAY if person.died_on is None else person.died_on
    since = draw(_dates(max(first, person.birth_date + DAY), last))
    until = draw(st.none() | _dates(since, TODAY))
    earliest = (
        since if kind is not SanctionKind.EXPULSION_FROM_ARMY else max(since, EXPULSION_COUNTS_FROM)
    )
    latest = LATEST if until is None or kind.cancels else until
    if earliest > latest:  # a suspension over before expulsion would count: leave it open
        until, latest = None, LATEST
    on = draw(_dates(earliest, latest))
    sanction = Sanction(kind=kind, since=since, until=until)
    assert stops(sanction, on)
    return sanction, on


def _dead(draw: st.DrawFn, person: Person, first: dt.date) -> Person:
    """``person`` dead from ``first`` on (or as generated, when already dead)."""
    if person.died_on is not None:
        return person
    return attrs.evolve(person, died_on=draw(_dates(first, TODAY)))


def _died_before(person: Person, on: dt.date) -> bool:
    return person.died_on is not None and person.died_on < on


@st.composite
def disability_pension(draw: st.DrawFn) -> Settled:
    """残疾抚恤金: sanctioned, dead, not yet approved, or never assessed."""
    veteran = draw(vst.veterans(disabled=True))
    disability = veteran.disability
    assert disability is not None
    assert veteran.service.discharged_on is not None
    month = disability.assessed_on.replace(day=1)
    fact = draw(st.sampled_from(("sanction", "death", "not yet approved", "no disability")))
    rule = "disability_pension"
    if fact == "sanction":
        sanction, on = draw(stopping(veteran.person, month))
        subject = attrs.evolve(veteran, sanctions=(*veteran.sanctions, sanction))
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="sanction")
    if fact == "death":
        first = max(veteran.service.discharged_on, disability.assessed_on)
        person = _dead(draw, veteran.person, first)
        assert person.died_on is not None
        on = draw(_dates(max(person.died_on + DAY, month), LATEST))
        assert _died_before(person, on)
        subject = attrs.evolve(veteran, person=person)
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="person.alive")
    if fact == "not yet approved":
        on = draw(_dates(EARLIEST, month - DAY))
        assert (on.year, on.month) < (disability.assessed_on.year, disability.assessed_on.month)
        return Settled(rule=rule, subject=veteran, on=on, fact=fact, reason="disability.approved")
    on = draw(_dates(veteran.service.discharged_on, LATEST))
    subject = attrs.evolve(veteran, disability=None)
    return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="disability.assessed")


@st.composite
def survivor_pension(draw: st.DrawFn) -> Settled:
    """定期抚恤金: sanctioned, dead, not approved, or the member not yet dead."""
    survivor = draw(vst.survivors())
    deceased = survivor.deceased_on
    facts = ("sanction", "death", "no approval", "member alive")
    # A member who died on the earliest day judged leaves no day before the death to judge.
    fact = draw(st.sampled_from(facts if deceased > EARLIEST else facts[:3]))
    rule = "survivor_pension"
    if fact == "sanction":
        sanction, on = draw(stopping(survivor.person, deceased))
        subject = attrs.evolve(survivor, sanctions=(*survivor.sanctions, sanction))
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="sanction")
    if fact == "death":
        person = _dead(draw, survivor.person, deceased)
        assert person.died_on is not None
        on = draw(_dates(person.died_on + DAY, LATEST))
        assert _died_before(person, on)
        subject = attrs.evolve(survivor, person=person)
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="person.alive")
    if fact == "no approval":
        wanted = survivor.death_category.survivor_category
        statuses = tuple(s for s in survivor.statuses if s.category is not wanted)
        on = draw(_dates(deceased, LATEST))
        subject = attrs.evolve(survivor, statuses=statuses)
        assert wanted not in subject.categories_on(on)
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="approval")
    on = draw(_dates(EARLIEST, deceased - DAY))
    assert on < deceased
    return Settled(rule=rule, subject=survivor, on=on, fact=fact, reason="member.deceased")


def _combat_veteran(veteran: Veteran) -> Veteran:
    """The same veteran with combat on record and the 参战参试 status since the discharge."""
    discharged = veteran.service.discharged_on
    assert discharged is not None
    status = EntitlementStatus(
        category=EntitlementCategory.COMBAT_OR_TEST_VETERAN, since=discharged
    )
    return attrs.evolve(
        veteran,
        service=attrs.evolve(veteran.service, combat_participant=True),
        statuses=(*veteran.statuses, status),
    )


@st.composite
def living_allowance(draw: st.DrawFn) -> Settled:
    """定期生活补助: no status of a group, or a 参战参试 veteran sanctioned or dead."""
    rule = "living_allowance"
    fact = draw(st.sampled_from(("no status", "sanction", "death")))
    if fact == "no status":
        subject: Veteran | Survivor = draw(st.one_of(vst.veterans(), vst.survivors()))
        statuses = tuple(s for s in subject.statuses if s.category not in LIVING_ALLOWANCE_GROUPS)
        subject = attrs.evolve(subject, statuses=statuses)
        on = draw(_dates(EARLIEST, LATEST))
        assert not subject.categories_on(on) & LIVING_ALLOWANCE_GROUPS
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="status")
    veteran = _combat_veteran(draw(vst.veterans()))
    discharged = veteran.service.discharged_on
    assert discharged is not None
    if fact == "sanction":
        sanction, on = draw(stopping(veteran.person, discharged))
        subject = attrs.evolve(veteran, sanctions=(*veteran.sanctions, sanction))
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="sanction")
    # From 2024-10-01 a death names 6 months of funeral aid, read at the date of death.
    person = _dead(draw, veteran.person, max(discharged, EXPULSION_COUNTS_FROM))
    assert person.died_on is not None
    on = draw(_dates(person.died_on + DAY, LATEST))
    assert _died_before(person, on)
    subject = attrs.evolve(veteran, person=person)
    return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="person.alive")


@st.composite
def key_entitled(draw: st.DrawFn) -> Settled:
    """重点优抚对象: no key category, dead, or cancelled by a sanction."""
    rule = "key_entitled"
    subject: Veteran | Survivor = draw(st.one_of(vst.veterans(), vst.survivors()))
    fact = draw(st.sampled_from(("no category", "death", "cancelled")))
    if isinstance(subject, Veteran):
        assert subject.service.discharged_on is not None
        first = subject.service.discharged_on
    else:
        first = subject.deceased_on  # a survivor does not die before the member
    if fact == "no category":
        subject = attrs.evolve(subject, statuses=())
        return Settled(
            rule=rule,
            subject=subject,
            on=draw(_dates(EARLIEST, LATEST)),
            fact=fact,
            reason="key_category",
        )
    if fact == "death":
        person = _dead(draw, subject.person, first)
        assert person.died_on is not None
        on = draw(_dates(person.died_on + DAY, LATEST))
        subject = attrs.evolve(subject, person=person)
        return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="person.alive")
    sanction, on = draw(stopping(subject.person, first, cancelling=True))
    subject = attrs.evolve(subject, sanctions=(*subject.sanctions, sanction))
    return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="sanction.cancelled")


@st.composite
def glory_plaque(draw: st.DrawFn) -> Settled:
    """光荣牌: a date before the plaque measures took effect."""
    household = draw(vst.plaque_households())
    on = draw(_dates(EARLIEST, PLAQUE_POLICY - DAY))
    return Settled(
        rule="glory_plaque",
        subject=household,
        on=on,
        fact="before 2018-07-29",
        reason="policy.in_force",
    )


def _born(first: dt.date, last: dt.date) -> st.SearchStrategy[Person]:
    return vst.persons(resident_ids=vst.resident_ids(birth_dates=st.dates(first, last)), alive=True)


def _discharged(veteran: Veteran) -> dt.date:
    discharged = veteran.service.discharged_on
    assert discharged is not None
    return discharged


SOLDIERS = st.sampled_from((PersonnelType.NCO, PersonnelType.CONSCRIPT))
VETERANS_BY_FACT: dict[str, st.SearchStrategy[Veteran]] = {
    "before discharge": vst.veterans(),
    "expelled": vst.veterans(),
    "officer": vst.veterans(personnel_types=st.just(PersonnelType.OFFICER)),
    "early discharge": vst.veterans(
        persons=_born(dt.date(1920, 1, 1), dt.date(1960, 12, 31))
    ).filter(lambda veteran: _discharged(veteran) < PLACEMENT_2011),
    # Soldiers placed under the 2011 or the 2024 regulation, discharged before today.
    "prosecuted after the discharge": vst.veterans(
        persons=_born(dt.date(1985, 1, 1), dt.date(2006, 12, 31)), personnel_types=SOLDIERS
    ).filter(lambda veteran: PLACEMENT_2011 <= _discharged(veteran) < TODAY),
    # Soldiers placed under the 2024 regulation (discharge moved, below).
    "criminally punished (2024)": vst.veterans(
        persons=_born(dt.date(1985, 1, 1), dt.date(2006, 12, 31)), personnel_types=SOLDIERS
    ),
}


def _discharged_later(veteran: Veteran, day: dt.date) -> Veteran:
    """The same veteran discharged on ``day`` instead (later), alive at least until then."""
    person = veteran.person
    if person.died_on is not None and person.died_on < day:
        person = attrs.evolve(person, died_on=None)
    service = attrs.evolve(veteran.service, discharged_on=day)
    return attrs.evolve(veteran, person=person, service=service)


def _lawful(veteran: Veteran) -> bool:
    """No expulsion on or before the discharge (rarely generated; it stops the rule first)."""
    return not any(
        s.kind is SanctionKind.EXPULSION_FROM_ARMY and s.since <= _discharged(veteran)
        for s in veteran.sanctions
    )


@st.composite
def _placement(draw: st.DrawFn, rule: str, facts: tuple[str, ...]) -> Settled:
    """A placement case settled by one of ``facts`` (the gates, unless named otherwise)."""
    fact = draw(st.sampled_from(facts))
    veteran = draw(VETERANS_BY_FACT[fact])
    if fact == "criminally punished (2024)" and _discharged(veteran) < PLACEMENT_2024:
        veteran = _discharged_later(veteran, draw(_dates(PLACEMENT_2024, TODAY)))
    service = veteran.service
    discharged = _discharged(veteran)
    # The placement rules stop at a discharge before 2011-11-01 (the regulations' scope); the
    # one-off payment records every condition all the same.
    named = discharged >= PLACEMENT_2011 or rule == "one_off_retirement_payment"
    if fact == "before discharge":
        on = draw(_dates(EARLIEST, discharged - DAY))
        return Settled(
            rule=rule,
            subject=veteran,
            on=on,
            fact=fact,
            reason="service.discharged",
            always_named=named,
        )
    on = draw(_dates(discharged, LATEST))
    if fact == "expelled":
        since = draw(_dates(veteran.person.birth_date + DAY, discharged))
        expelled = Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=since)
        subject = attrs.evolve(veteran, sanctions=(*veteran.sanctions, expelled))
        return Settled(
            rule=rule,
            subject=subject,
            on=on,
            fact=fact,
            reason="service.lawful_discharge",
            always_named=named,
        )
    if fact == "officer":
        assert service.personnel_type is PersonnelType.OFFICER
        return Settled(
            rule=rule,
            subject=veteran,
            on=on,
            fact=fact,
            reason="service.personnel_type",
            always_named=named,
        )
    if fact == "early discharge":
        assert discharged < PLACEMENT_2011
        return Settled(
            rule=rule, subject=veteran, on=on, fact=fact, reason="service.discharge_regime"
        )
    kind = draw(st.sampled_from(CRIMINAL))
    if fact == "prosecuted after the discharge":
        since = draw(_dates(discharged + DAY, TODAY))
        reason = "placement.not_cancelled"
    else:
        since = draw(_dates(veteran.person.birth_date + DAY, discharged))
        reason = "exclusion.criminally_punished"
    sanction = Sanction(kind=kind, since=since, until=draw(st.none() | _dates(since, TODAY)))
    subject = attrs.evolve(veteran, sanctions=(*veteran.sanctions, sanction))
    on = draw(_dates(max(since, discharged), LATEST))
    assert (
        (discharged < since <= on) if reason == "placement.not_cancelled" else since <= discharged
    )
    return Settled(
        rule=rule, subject=subject, on=on, fact=fact, reason=reason, always_named=_lawful(veteran)
    )


GATES = ("before discharge", "expelled", "officer", "early discharge")


@st.composite
def one_off_retirement_payment(draw: st.DrawFn) -> Settled:
    """一次性退役金: the placement gates, or a discharge mode other than self-employment."""
    rule = "one_off_retirement_payment"
    if draw(st.booleans()):
        return draw(_placement(rule, GATES))
    veteran = draw(vst.veterans())
    service = veteran.service
    others = sorted(
        ALLOWED_DISCHARGE_MODES[service.personnel_type] - {DischargeMode.SELF_EMPLOYMENT},
        key=lambda mode: mode.value,
    )
    mode = draw(st.sampled_from(others))
    subject = attrs.evolve(veteran, service=attrs.evolve(service, discharge_mode=mode))
    on = draw(_dates(_discharged(veteran), LATEST))
    return Settled(
        rule=rule, subject=subject, on=on, fact="not self-employed", reason="service.discharge_mode"
    )


def arranged_employment() -> st.SearchStrategy[Settled]:
    """安排工作: the gates, an exclusion (2024), or a prosecution after the discharge."""
    facts = (*GATES, "prosecuted after the discharge", "criminally punished (2024)")
    return _placement("arranged_employment", facts)


def retirement_or_support() -> st.SearchStrategy[Settled]:
    """退休 / 供养: the placement gates."""
    return _placement("retirement_or_support", GATES)


@st.composite
def hardship_assistance(draw: st.DrawFn) -> Settled:
    """困难帮扶援助: before the application, or ordinary assistance known not considered."""
    rule = "hardship_assistance"
    applicant: Veteran | Survivor = draw(st.one_of(vst.veterans(), vst.survivors()))
    case = draw(vst.assistance_cases(applicants=st.just(applicant.resident_id)))
    fact = draw(st.sampled_from(("before the application", "ordinary assistance first")))
    if fact == "before the application":
        application = HardshipApplication(case=case, applicant=applicant)
        on = draw(_dates(EARLIEST, case.applied_on - DAY))
        return Settled(rule=rule, subject=application, on=on, fact=fact, reason="application")
    application = HardshipApplication(
        case=case, applicant=applicant, ordinary_assistance_considered=False
    )
    on = draw(_dates(case.applied_on, LATEST))
    return Settled(
        rule=rule,
        subject=application,
        on=on,
        fact=fact,
        reason="ordinary_assistance",
        always_named=False,  # checked last: an earlier failed condition stops the rule first
    )


@st.composite
def conscript_family_allowance(draw: st.DrawFn) -> Settled:
    """义务兵家庭优待金: not a conscript, not yet enlisted, or dead."""
    rule = "conscript_family_allowance"
    member: ServingMember = draw(vst.serving_members())
    service: ServiceRecord = member.service
    fact = draw(st.sampled_from(("not a conscript", "not yet enlisted", "death")))
    if fact == "not a conscript":
        if service.personnel_type is PersonnelType.CONSCRIPT:
            member = draw(
                vst.serving_members(
                    personnel_types=st.sampled_from((PersonnelType.NCO, PersonnelType.OFFICER))
                )
            )
        assert member.service.personnel_type is not PersonnelType.CONSCRIPT
        on = draw(_dates(member.service.enlisted_on, LATEST))
        return Settled(rule=rule, subject=member, on=on, fact=fact, reason="service.personnel_type")
    if fact == "not yet enlisted":
        on = draw(_dates(EARLIEST, service.enlisted_on - DAY))
        return Settled(rule=rule, subject=member, on=on, fact=fact, reason="service.serving")
    person = _dead(draw, member.person, service.enlisted_on)
    assert person.died_on is not None
    on = draw(_dates(person.died_on + DAY, LATEST))
    subject = attrs.evolve(member, person=person)
    return Settled(rule=rule, subject=subject, on=on, fact=fact, reason="person.alive")


CASES = {
    "disability_pension": disability_pension(),
    "survivor_pension": survivor_pension(),
    "living_allowance": living_allowance(),
    "one_off_retirement_payment": one_off_retirement_payment(),
    "key_entitled": key_entitled(),
    "glory_plaque": glory_plaque(),
    "arranged_employment": arranged_employment(),
    "retirement_or_support": retirement_or_support(),
    "hardship_assistance": hardship_assistance(),
    "conscript_family_allowance": conscript_family_allowance(),
}


def test_every_rule_has_settled_cases() -> None:
    assert set(RuleBook.load("national").rule_names) == set(CASES)


# --- the law ---------------------------------------------------------------------------------


def _assert_settled(case: Settled, decision: Decision, book: RuleBook) -> None:
    failed = [r.code for r in decision.reasons if r.held is False]
    note(f"{case.fact}: reasons failed {failed}, figures {[u.key for u in decision.parameters]}")
    assert decision.eligible is False
    assert (None, None, ()) == (decision.amount, decision.monthly, decision.components)
    assert failed, "a decision settled by the facts names the fact that failed"
    named = [r.held for r in decision.reasons if r.code == case.reason]
    if case.always_named or named:
        assert False in named
    if not case.always_named:
        event(f"{case.fact}: {'named' if named else 'an earlier condition failed first'}")
    figures = [u.key for u in decision.parameters if book.parameters[u.key].unit != "flag"]
    assert [] == figures


@pytest.mark.parametrize("rule", sorted(CASES))
@given(data=st.data(), name=st.sampled_from(sorted(BOOKS)))
def test_a_case_settled_by_the_facts_needs_no_figure(
    rule: str, data: st.DataObject, name: str
) -> None:
    case = data.draw(CASES[rule])
    book = BOOKS[name]
    event(case.fact)

    decision = book.evaluate(case.rule, case.subject, on=case.on)  # raises no ParameterError

    _assert_settled(case, decision, book)


RECENT = dt.date(2021, 8, 1)  # the bundled tables are complete for most years from here
STALE_BOOK = BOOKS["guangxi, out of date"].allowing_stale()


@st.composite
def recent_deaths(draw: st.DrawFn) -> tuple[Settled, tuple[str, ...], dt.date]:
    """A disabled veteran or a survivor who died from 2021-08-01 with no sanction, decided
    later: the funeral aid names the standard of the day of death. With its path and the day.
    """
    if draw(st.booleans()):
        veteran = draw(vst.veterans(disabled=True))
        disability = veteran.disability
        assert disability is not None
        died = draw(_dates(max(RECENT, _discharged(veteran), disability.assessed_on), TODAY))
        person = attrs.evolve(veteran.person, died_on=died)
        subject: Veteran | Survivor = attrs.evolve(veteran, person=person, sanctions=())
        rule = "disability_pension"
        path: tuple[str, ...] = (disability.nature.value, str(disability.grade))
        if disability.nature.value == "illness" and disability.grade > 6:
            path = ()  # not pensioned: no funeral aid is named
    else:
        survivor = draw(vst.survivors())
        died = draw(_dates(max(RECENT, survivor.deceased_on), TODAY))
        person = attrs.evolve(survivor.person, died_on=died)
        subject = attrs.evolve(survivor, person=person, sanctions=())
        rule, path = "survivor_pension", (survivor.death_category.value,)
    on = draw(_dates(died + DAY, LATEST))
    case = Settled(rule=rule, subject=subject, on=on, fact="death", reason="person.alive")
    return case, path, died


def _known_stale(key: str, path: tuple[str, ...], day: dt.date) -> dt.date | None:
    """The version of ``key`` a stale lookup of ``path`` finds on ``day``, if any."""
    if not path:
        return None
    try:
        _, version = STALE_BOOK.parameters[key].value_on(day, *path, allow_stale=True)
    except ParameterError:
        return None
    return version.effective_from


@given(recent_deaths())
def test_a_stale_funeral_aid_figure_is_named_and_marks_the_decision_stale(
    found: tuple[Settled, tuple[str, ...], dt.date],
) -> None:
    case, path, died = found
    key = f"{case.rule}.annual_standard"
    version = _known_stale(key, path, died)

    decision = STALE_BOOK.evaluate(case.rule, case.subject, on=case.on)

    assert decision.eligible is False
    assert False in [r.held for r in decision.reasons if r.code == case.reason]
    aid = [r.message_en for r in decision.reasons if r.code == "funeral_aid"]
    assert len(aid) == (1 if path else 0)  # a 因病 grade 7–10 is not pensioned: none named
    assert all(message.endswith("yuan") is (version is not None) for message in aid)
    expected = [] if version is None else [(key, version, True)]
    figures = [u for u in decision.parameters if STALE_BOOK.parameters[u.key].unit != "flag"]
    assert expected == [(u.key, u.effective_from, u.stale) for u in figures]
    assert decision.stale is (version is not None)
    event("a stale figure named" if version is not None else "no figure known at the death")
