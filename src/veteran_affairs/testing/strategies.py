"""Hypothesis strategies for every public model, valid by construction (测试数据生成).

Each strategy builds its value in the order the validators check it — birth before enlistment
before discharge, an application before its review — and picks only what the models allow
(discharge modes by personnel type, 因病 disability only for conscripts and junior NCOs, a
service centre only at province, city or county level, a sanction ending no earlier than it
began), so nothing is generated only to be thrown away. Keyword arguments take strategies, so a test can narrow what it gets::

    from hypothesis import given, strategies as st

    from veteran_affairs.models import PersonnelType, Veteran
    from veteran_affairs.testing import strategies as vas

    @given(vas.veterans(personnel_types=st.just(PersonnelType.CONSCRIPT)))
    def test_a_conscript_is_settled_as_a_conscript(veteran: Veteran) -> None:
        assert veteran.service.personnel_type is PersonnelType.CONSCRIPT

No generated date lies after the day the strategy was built (``date.today()``), and no
person dies before being born. Installing the
library registers :data:`STRATEGIES` with hypothesis through its ``hypothesis`` entry point,
so ``st.from_type(Veteran)`` works without importing this module.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from veteran_affairs.divisions import bundled, contains_code, name_of, subtree
from veteran_affairs.identity import (
    CountyKind,
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    TownshipKind,
    VillageKind,
    check_character,
)
from veteran_affairs.models import (
    MODEL_CLASSES,
    Activity,
    ActivityKind,
    AssistanceCase,
    Award,
    AwardKind,
    CaseStatus,
    CaseTransition,
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    Division,
    EntitlementCategory,
    EntitlementStatus,
    FiveHaves,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    PlaqueRecoveryReason,
    Relation,
    ReportSubmission,
    Sanction,
    SanctionKind,
    ServiceRecord,
    ServiceStation,
    ServingMember,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.models.assistance import TRANSITIONS
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES

__all__ = [
    "STRATEGIES",
    "activities",
    "amounts",
    "assistance_cases",
    "awards",
    "case_transitions",
    "circumstances",
    "disabilities",
    "division_codes",
    "divisions",
    "entitlement_statuses",
    "five_haves",
    "funding_allocations",
    "households",
    "models",
    "person_names",
    "persons",
    "phones",
    "plaque_disqualifications",
    "plaque_households",
    "plaque_members",
    "plaque_records",
    "register_type_strategies",
    "report_submissions",
    "resident_ids",
    "sanctions",
    "service_records",
    "service_stations",
    "serving_members",
    "survivors",
    "veterans",
]


def __dir__() -> list[str]:
    return __all__


_E = TypeVar("_E", bound=enum.Enum)

_DAY = dt.timedelta(days=1)
_EARLIEST_BIRTH = dt.date(1920, 1, 1)
# Sites and activities are dated from the day 退役军人事务部 was set up (挂牌, 2018-04-16).
_MINISTRY_OPENED = dt.date(2018, 4, 16)
_PLAQUE_POLICY = dt.date(2018, 7, 29)  # 国办发〔2018〕72号
_ASSISTANCE_POLICY = dt.date(2019, 10, 9)  # 退役军人部发〔2019〕62号
_RURAL_OVER_60_ENLISTED = (dt.date(1954, 11, 1), dt.date(2011, 10, 31))  # DOMAIN.md §3
_RURAL_OVER_60_PAID_FROM = dt.date(2011, 8, 1)  # 民发〔2011〕110号
_LONGEST_SERVICE_YEARS = {
    PersonnelType.CONSCRIPT: 3,  # two years, and sometimes a little longer
    PersonnelType.NCO: 30,
    PersonnelType.OFFICER: 35,
}


def _today() -> dt.date:
    return dt.date.today()


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier); 29 February becomes 1 March, as ages do."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _in_order(members: Iterable[_E]) -> tuple[_E, ...]:
    """Enum members in a fixed order (a frozenset's order changes with the hash seed)."""
    return tuple(sorted(members, key=lambda member: str(member.value)))


def _dates(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=low, max_value=high)


# One time in three: "sometimes" (shrinks to False).
_SOMETIMES = st.sampled_from((False, False, True))
# One time in five: "rarely" (shrinks to False).
_RARELY = st.sampled_from((False, False, False, False, True))


# --- identifiers ---------------------------------------------------------------------------

# Each segment below the province: its non-zero values, in its bands, and its width. County
# digits: 01–20 districts, 21–80 counties, 81–99 cities (GB/T 2260); township 001–599; village
# 001–399 (DOMAIN.md §2).
_SEGMENTS = {
    DivisionLevel.CITY: (st.integers(1, 99), 2),
    DivisionLevel.COUNTY: (st.integers(1, 99), 2),
    DivisionLevel.TOWNSHIP: (st.integers(1, 599), 3),
    DivisionLevel.VILLAGE: (st.integers(1, 399), 3),
}


@st.composite
def _synthetic_codes(
    draw: st.DrawFn, level: DivisionLevel, within: DivisionCode | None
) -> DivisionCode:
    if within is None:
        digits = draw(st.sampled_from(_bundled_codes(DivisionLevel.PROVINCE, None))).short
        below = DivisionLevel.PROVINCE
    else:
        digits = within.short
        below = within.level
    for segment in DivisionLevel:
        if below < segment <= level:
            values, width = _SEGMENTS[segment]
            digits += f"{draw(values):0{width}d}"
    return DivisionCode(digits)


@functools.cache
def _bundled_codes(level: DivisionLevel, within: DivisionCode | None) -> tuple[DivisionCode, ...]:
    if within is None:
        units = bundled()
    elif contains_code(within):
        units = subtree(within)
    else:
        return ()
    return tuple(unit.code for unit in units if unit.level == level)


@functools.cache
def _codes_at(level: DivisionLevel, within: DivisionCode | None) -> st.SearchStrategy[DivisionCode]:
    synthetic = _synthetic_codes(level, within)
    known = _bundled_codes(level, within)
    return st.one_of(st.sampled_from(known), synthetic) if known else synthetic


def division_codes(
    *, level: DivisionLevel | None = None, within: DivisionCode | None = None
) -> st.SearchStrategy[DivisionCode]:
    """Valid division codes: bundled ones and synthetic ones (villages are always synthetic).

    Synthetic codes use mainland province codes and keep every segment in its band.

    Args:
        level: only codes of this level; any level (at or below ``within``) if ``None``.
        within: only codes this unit contains (itself included when the levels allow).

    Raises:
        InvalidArgument: ``level`` lies above the level of ``within``.
    """
    if within is not None and not isinstance(within, DivisionCode):
        raise InvalidArgument(f"within={within!r} must be a DivisionCode")
    top = DivisionLevel.PROVINCE if within is None else within.level
    if level is not None and level < top:
        raise InvalidArgument(f"no {level.name} code lies within {within!r}")
    levels = (level,) if level is not None else tuple(each for each in DivisionLevel if each >= top)
    return _division_codes(levels, within)


# Strategies for the default arguments are made once (functools.cache) and shared: hypothesis
# validates a strategy object on its first draw, so strategies built afresh inside every draw of
# a composite would be validated, subtree and all, for every example.
@functools.cache
def _division_codes(
    levels: tuple[DivisionLevel, ...], within: DivisionCode | None
) -> st.SearchStrategy[DivisionCode]:
    # Deferred: the bundled tables are read on the first draw, not when hypothesis starts.
    return st.deferred(lambda: st.one_of([_codes_at(each, within) for each in levels]))


@st.composite
def _resident_ids(
    draw: st.DrawFn,
    address: st.SearchStrategy[DivisionCode],
    birth_dates: st.SearchStrategy[dt.date],
    sexes: st.SearchStrategy[Sex],
) -> ResidentId:
    code = draw(address).value[:6]
    born = draw(birth_dates)
    sex = draw(sexes)
    sequence = 2 * draw(st.integers(0, 499)) + (1 if sex is Sex.MALE else 0)
    body = f"{code}{born.year:04d}{born.month:02d}{born.day:02d}{sequence:03d}"
    return ResidentId(body + check_character(body))


def resident_ids(
    *,
    address: st.SearchStrategy[DivisionCode] | None = None,
    birth_dates: st.SearchStrategy[dt.date] | None = None,
    sexes: st.SearchStrategy[Sex] | None = None,
) -> st.SearchStrategy[ResidentId]:
    """Valid citizen identity numbers (公民身份号码) with a computed check character.

    Args:
        address: where the number was issued; its first 6 digits become the address code.
            Default: county-level codes.
        birth_dates: birth dates (not in the future). Default: 1920-01-01 to today.
        sexes: the sex the sequence number encodes (odd for men). Default: either.
    """
    return _resident_ids(
        division_codes(level=DivisionLevel.COUNTY) if address is None else address,
        _dates(_EARLIEST_BIRTH, _today()) if birth_dates is None else birth_dates,
        st.sampled_from(tuple(Sex)) if sexes is None else sexes,
    )


# --- money, names, phones ------------------------------------------------------------------


def amounts(
    *,
    min_value: str | int | Decimal = "0",
    max_value: str | int | Decimal = "1000000",
    places: int = 2,
) -> st.SearchStrategy[Decimal]:
    """Finite yuan amounts as ``Decimal`` with ``places`` decimal places.

    With the default ``places=2`` every amount is whole fen, as every money field of the
    models requires; the strategies of this module that build models draw them so, and never
    a part of a fen.

    Args:
        min_value: the smallest amount.
        max_value: the largest amount.
        places: decimal places (2: whole fen). More than 2 draws values finer than money —
            parameter figures, rates — which a model's money field refuses.
    """
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


_SURNAMES = (
    *"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦覃蒙莫农甘黎",
    *("欧阳", "司马", "上官", "诸葛"),
)
_GIVEN_NAME_CHARACTERS = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海波宁东林文斌荣德忠福凤琼燕"
)
_PLACE_CHARACTERS = tuple(
    "安平宁华山河江城阳新兴东南西北中桂柳梧贵玉百钦来崇贺池湖清龙凤白石田水源丰"
)
_ETHNICITIES = (
    "汉族",
    "壮族",
    "瑶族",
    "苗族",
    "侗族",
    "仫佬族",
    "毛南族",
    "回族",
    "京族",
    "彝族",
    "水族",
    "仡佬族",
)


def person_names() -> st.SearchStrategy[str]:
    """Chinese personal names: a surname (single or compound) and one or two characters."""
    return _person_names()


@functools.cache
def _person_names() -> st.SearchStrategy[str]:
    given = st.lists(st.sampled_from(_GIVEN_NAME_CHARACTERS), min_size=1, max_size=2)
    return st.builds(
        lambda surname, chars: surname + "".join(chars), st.sampled_from(_SURNAMES), given
    )


def _digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def phones() -> st.SearchStrategy[str]:
    """Mobile (``13812345678``, ``+86 13812345678``) and landline (``0771-5551234``) numbers."""
    return _phones()


@functools.cache
def _phones() -> st.SearchStrategy[str]:
    mobile = st.builds(
        lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"), _digits(9)
    )
    landline = st.builds(
        lambda area, first, rest: f"{area}-{first}{rest}",
        st.sampled_from(("010", "020", "021", "0771", "0772", "0773", "0775")),
        st.sampled_from("2345678"),
        st.one_of(_digits(6), _digits(7)),
    )
    return st.one_of(mobile, mobile.map(lambda number: f"+86 {number}"), landline)


# --- people --------------------------------------------------------------------------------


@functools.cache
def _hukou_divisions() -> st.SearchStrategy[DivisionCode]:
    return st.one_of(
        [division_codes(level=level) for level in DivisionLevel if level >= DivisionLevel.COUNTY]
    )


@st.composite
def _persons(
    draw: st.DrawFn,
    ids: st.SearchStrategy[ResidentId],
    names: st.SearchStrategy[str],
    hukou_divisions: st.SearchStrategy[DivisionCode],
    hukou_types: st.SearchStrategy[HukouType],
    ethnicities: st.SearchStrategy[str | None],
    phone_numbers: st.SearchStrategy[str | None],
    alive: bool | None,
) -> Person:
    resident_id = draw(ids)
    dead = draw(_SOMETIMES) if alive is None else not alive
    return Person(
        resident_id=resident_id,
        name=draw(names),
        hukou_division=draw(hukou_divisions),
        hukou_type=draw(hukou_types),
        ethnicity=draw(ethnicities),
        phone=draw(phone_numbers),
        died_on=draw(_dates(resident_id.birth_date, _today())) if dead else None,
    )


def persons(
    *,
    resident_ids: st.SearchStrategy[ResidentId] | None = None,
    names: st.SearchStrategy[str] | None = None,
    hukou_divisions: st.SearchStrategy[DivisionCode] | None = None,
    hukou_types: st.SearchStrategy[HukouType] | None = None,
    ethnicities: st.SearchStrategy[str | None] | None = None,
    phones: st.SearchStrategy[str | None] | None = None,
    alive: bool | None = None,
) -> st.SearchStrategy[Person]:
    """People whose sex and birth date agree with their identity number, some of them dead.

    A date of death (``died_on``) lies between the birth date and today, both included.

    Args:
        resident_ids: identity numbers. Default: :func:`resident_ids`.
        names: names. Default: :func:`person_names`.
        hukou_divisions: where the hukou is registered. Default: county, township or village.
        hukou_types: rural or urban. Default: either.
        ethnicities: ethnic group or ``None``. Default: a few groups of Guangxi, or ``None``.
        phones: phone number or ``None``. Default: :func:`phones` or ``None``.
        alive: only living (``True``) or dead (``False``) people; both if ``None`` (about one
            in three dead).
    """
    return _persons(
        _any_resident_ids() if resident_ids is None else resident_ids,
        person_names() if names is None else names,
        _hukou_divisions() if hukou_divisions is None else hukou_divisions,
        st.sampled_from(tuple(HukouType)) if hukou_types is None else hukou_types,
        _any_ethnicities() if ethnicities is None else ethnicities,
        _maybe_phones() if phones is None else phones,
        alive,
    )


@functools.cache
def _any_ethnicities() -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(_ETHNICITIES)


@functools.cache
def _maybe_phones() -> st.SearchStrategy[str | None]:
    return st.none() | _any_phones()


@functools.cache
def _any_resident_ids() -> st.SearchStrategy[ResidentId]:
    return resident_ids()


@functools.cache
def _any_phones() -> st.SearchStrategy[str]:
    return phones()


# --- service -------------------------------------------------------------------------------


@st.composite
def _awards_between(
    draw: st.DrawFn, kinds: st.SearchStrategy[AwardKind], low: dt.date, high: dt.date
) -> Award:
    return Award(kind=draw(kinds), awarded_on=draw(_dates(low, high)), wartime=draw(st.booleans()))


def awards(
    *,
    kinds: st.SearchStrategy[AwardKind] | None = None,
    awarded_on: st.SearchStrategy[dt.date] | None = None,
) -> st.SearchStrategy[Award]:
    """Individual awards (立功受奖).

    Args:
        kinds: award kinds. Default: any.
        awarded_on: dates conferred. Default: 1937-01-01 to today.
    """
    return st.builds(
        Award,
        kind=st.sampled_from(tuple(AwardKind)) if kinds is None else kinds,
        awarded_on=_dates(dt.date(1937, 1, 1), _today()) if awarded_on is None else awarded_on,
        wartime=st.booleans(),
    )


@st.composite
def _service_record(
    draw: st.DrawFn, personnel_type: PersonnelType, enlisted_on: dt.date, discharged: bool
) -> ServiceRecord:
    today = _today()
    discharged_on = None
    discharge_mode = None
    if discharged:
        longest = _add_years(enlisted_on, _LONGEST_SERVICE_YEARS[personnel_type])
        discharged_on = draw(_dates(enlisted_on + _DAY, min(longest, today)))
        modes = _in_order(ALLOWED_DISCHARGE_MODES[personnel_type])
        discharge_mode = draw(st.sampled_from((*modes, None)))
    kinds = st.sampled_from(tuple(AwardKind))
    service_awards = draw(
        st.lists(_awards_between(kinds, enlisted_on, discharged_on or today), max_size=3)
    )
    is_nco = personnel_type is PersonnelType.NCO
    return ServiceRecord(
        enlisted_on=enlisted_on,
        personnel_type=personnel_type,
        discharged_on=discharged_on,
        nco_rank=draw(st.sampled_from(tuple(NcoRank))) if is_nco else None,
        discharge_mode=discharge_mode,
        awards=tuple(service_awards),
        combat_participant=draw(st.booleans()),
        test_participant=draw(st.booleans()),
    )


@st.composite
def _service_records(
    draw: st.DrawFn,
    personnel_types: st.SearchStrategy[PersonnelType],
    enlistment_dates: st.SearchStrategy[dt.date],
    discharged: bool | None,
) -> ServiceRecord:
    personnel_type = draw(personnel_types)
    enlisted_on = draw(enlistment_dates)
    can_be_discharged = enlisted_on < _today()
    if discharged and not can_be_discharged:
        reject()  # only a user-supplied enlistment date of today gets here
    ended = draw(st.booleans()) if discharged is None else discharged
    return draw(_service_record(personnel_type, enlisted_on, ended and can_be_discharged))


def service_records(
    *,
    personnel_types: st.SearchStrategy[PersonnelType] | None = None,
    enlistment_dates: st.SearchStrategy[dt.date] | None = None,
    discharged: bool | None = None,
) -> st.SearchStrategy[ServiceRecord]:
    """Periods of service: NCOs with a rank band, discharge modes the type allows.

    Args:
        personnel_types: officer, NCO or conscript. Default: any.
        enlistment_dates: enlistment dates. Default: 1937-01-01 to yesterday.
        discharged: only discharged (``True``) or serving (``False``) records; both if ``None``.
    """
    return _service_records(
        st.sampled_from(tuple(PersonnelType)) if personnel_types is None else personnel_types,
        _dates(dt.date(1937, 1, 1), _today() - _DAY)
        if enlistment_dates is None
        else enlistment_dates,
        discharged,
    )


def disabilities(
    *,
    grades: st.SearchStrategy[int] | None = None,
    natures: st.SearchStrategy[DisabilityNature] | None = None,
    assessed_on: st.SearchStrategy[dt.date] | None = None,
) -> st.SearchStrategy[Disability]:
    """Assessed disabilities (残疾等级), grade 1 (most severe) to 10.

    Args:
        grades: grades. Default: 1 to 10.
        natures: 因战, 因公 or 因病. Default: any.
        assessed_on: assessment dates. Default: 1937-01-01 to today.
    """
    return st.builds(
        Disability,
        grade=st.integers(1, 10) if grades is None else grades,
        nature=st.sampled_from(tuple(DisabilityNature)) if natures is None else natures,
        assessed_on=_dates(dt.date(1937, 1, 1), _today()) if assessed_on is None else assessed_on,
        mental_disorder=st.booleans(),
    )


def _disability_for(service: ServiceRecord, latest: dt.date) -> st.SearchStrategy[Disability]:
    natures = tuple(DisabilityNature)
    if not service.illness_disability_allowed:
        natures = tuple(n for n in natures if n is not DisabilityNature.ILLNESS)
    return disabilities(
        natures=st.sampled_from(natures),
        assessed_on=_dates(service.enlisted_on, max(service.enlisted_on, latest)),
    )


# --- entitlement statuses ------------------------------------------------------------------


@st.composite
def _status_from(
    draw: st.DrawFn, category: EntitlementCategory, earliest: dt.date, ended: bool | None = None
) -> EntitlementStatus:
    today = _today()
    since = draw(_dates(earliest, today))
    ends = draw(st.sampled_from((False, False, True))) if ended is None else ended
    until = draw(_dates(since, today)) if ends else None
    return EntitlementStatus(category=category, since=since, until=until)


@st.composite
def _entitlement_statuses(
    draw: st.DrawFn,
    categories: st.SearchStrategy[EntitlementCategory],
    earliest: st.SearchStrategy[dt.date],
    ended: bool | None,
) -> EntitlementStatus:
    return draw(_status_from(draw(categories), draw(earliest), ended))


def entitlement_statuses(
    *,
    categories: st.SearchStrategy[EntitlementCategory] | None = None,
    earliest: st.SearchStrategy[dt.date] | None = None,
    ended: bool | None = None,
) -> st.SearchStrategy[EntitlementStatus]:
    """Dated statuses (优抚对象身份), never beginning or ending after today.

    Args:
        categories: categories. Default: any.
        earliest: the earliest day the status may begin. Default: 1920-01-01.
        ended: only ended (``True``) or open (``False``) statuses; both if ``None``.
    """
    return _entitlement_statuses(
        st.sampled_from(tuple(EntitlementCategory)) if categories is None else categories,
        st.just(_EARLIEST_BIRTH) if earliest is None else earliest,
        ended,
    )


@st.composite
def _veteran_statuses(
    draw: st.DrawFn, person: Person, service: ServiceRecord, disability: Disability | None
) -> tuple[EntitlementStatus, ...]:
    assert service.discharged_on is not None
    discharged_on = service.discharged_on
    statuses = []
    if draw(st.booleans()):
        statuses.append(
            EntitlementStatus(
                category=EntitlementCategory.SERVING_MEMBER,
                since=service.enlisted_on,
                until=discharged_on,
            )
        )
    wanted = [(EntitlementCategory.VETERAN, discharged_on)]
    if disability is not None:
        wanted.append((EntitlementCategory.DISABLED_SERVICEMEMBER, disability.assessed_on))
    if service.combat_participant or service.test_participant:
        wanted.append((EntitlementCategory.COMBAT_OR_TEST_VETERAN, discharged_on))
    first, last = _RURAL_OVER_60_ENLISTED
    sixtieth = max(_add_years(person.birth_date, 60), _RURAL_OVER_60_PAID_FROM)
    if (
        service.personnel_type is not PersonnelType.OFFICER
        and person.hukou_type is HukouType.RURAL
        and first <= service.enlisted_on <= last
        and sixtieth <= _today()
    ):
        wanted.append((EntitlementCategory.RURAL_VETERAN_OVER_60, sixtieth))
    for category, earliest in wanted:
        if draw(st.booleans()):
            statuses.append(draw(_status_from(category, earliest)))
    return tuple(statuses)


# --- circumstances and sanctions -----------------------------------------------------------

_FACT = st.none() | st.booleans()


def circumstances() -> st.SearchStrategy[Circumstances]:
    """Circumstances (生活状况): each fact true, false or unknown (``None``).

    About a quarter are fully assessed (every fact known), as after a home visit; the rest
    mix known and unknown facts.
    """
    return _circumstances()


@functools.cache
def _circumstances() -> st.SearchStrategy[Circumstances]:
    names = attrs.fields_dict(Circumstances)
    known = st.builds(Circumstances, **dict.fromkeys(names, st.booleans()))
    mixed = st.builds(Circumstances, **dict.fromkeys(names, _FACT))
    return st.one_of(known, mixed, mixed, mixed)


@st.composite
def _sanctions(
    draw: st.DrawFn,
    kinds: st.SearchStrategy[SanctionKind],
    since: st.SearchStrategy[dt.date],
    ended: bool | None,
    latest: dt.date | None = None,
) -> Sanction:
    kind = draw(kinds)
    began = draw(since)
    last = _today() if latest is None else latest
    ends = draw(st.booleans()) if ended is None else ended
    # max(): a date after today is refused by Sanction itself, with its own error.
    until = draw(_dates(began, max(began, last))) if ends else None
    return Sanction(kind=kind, since=began, until=until)


def sanctions(
    *,
    kinds: st.SearchStrategy[SanctionKind] | None = None,
    since: st.SearchStrategy[dt.date] | None = None,
    ended: bool | None = None,
) -> st.SearchStrategy[Sanction]:
    """Sanctions (《军人抚恤优待条例》(2024) 第五十九条) ending no earlier than they began.

    No date lies after today. A cancelling sanction (死刑, 无期徒刑, 开除军籍) may carry an end
    date too: the model allows it, and :meth:`~veteran_affairs.models.Sanction.in_effect_on`
    ignores it.

    Args:
        kinds: sanction kinds. Default: any.
        since: the days the sanctions began. Default: 1937-01-01 to today.
        ended: only sanctions with (``True``) or without (``False``) an end date (``until``);
            both if ``None``.
    """
    return _sanctions(
        st.sampled_from(tuple(SanctionKind)) if kinds is None else kinds,
        _dates(dt.date(1937, 1, 1), _today()) if since is None else since,
        ended,
    )


@st.composite
def _sanctions_in_life(draw: st.DrawFn, person: Person) -> tuple[Sanction, ...]:
    """Rarely, one or two sanctions dated after birth and not after death, in date order."""
    first = person.birth_date + _DAY
    last = _today() if person.died_on is None else person.died_on
    if first > last or not draw(_RARELY):
        return ()
    kinds = st.sampled_from(tuple(SanctionKind))
    found = draw(
        st.lists(_sanctions(kinds, _dates(first, last), None, last), min_size=1, max_size=2)
    )
    return tuple(sorted(found, key=lambda sanction: sanction.since))


def _died_after(draw: st.DrawFn, person: Person, day: dt.date) -> Person:
    """Sometimes the same person dead, on ``day`` or later (never after today)."""
    today = _today()
    if day > today or not draw(_SOMETIMES):
        return person
    return attrs.evolve(person, died_on=draw(_dates(day, today)))


# --- veterans and survivors ----------------------------------------------------------------


def _latest_veteran_birth() -> dt.date:
    """The latest birth date that leaves room to enlist at 17 and be discharged by today."""
    last_enlistment = _today() - _DAY
    born = _add_years(last_enlistment, -17)
    while _add_years(born, 17) > last_enlistment:
        born -= _DAY
    return born


@st.composite
def _veterans(
    draw: st.DrawFn,
    people: st.SearchStrategy[Person],
    personnel_types: st.SearchStrategy[PersonnelType],
    disabled: bool | None,
    may_die: bool,
) -> Veteran:
    person = draw(people)
    born = person.birth_date
    last_enlistment = _today() - _DAY
    low = _add_years(born, 17)
    high = min(_add_years(born, 31) - _DAY, last_enlistment)
    if person.died_on is not None:  # a user-supplied dead person enlisted before dying
        high = min(high, person.died_on - _DAY)
    if low > high:  # a user-supplied person too young to have enlisted at 17
        low = born + _DAY
        if low > high:
            reject()
    service = draw(_service_record(draw(personnel_types), draw(_dates(low, high)), True))
    assert service.discharged_on is not None
    if person.died_on is not None and person.died_on < service.discharged_on:
        reject()  # died in service: not a veteran
    if may_die:
        person = _died_after(draw, person, service.discharged_on)
    has_disability = draw(st.sampled_from((False, False, True))) if disabled is None else disabled
    latest = _today() if person.died_on is None else person.died_on
    disability = draw(_disability_for(service, latest)) if has_disability else None
    return Veteran(
        person=person,
        service=service,
        disability=disability,
        statuses=draw(_veteran_statuses(person, service, disability)),
        circumstances=draw(circumstances()),
        sanctions=draw(_sanctions_in_life(person)),
    )


def veterans(
    *,
    persons: st.SearchStrategy[Person] | None = None,
    personnel_types: st.SearchStrategy[PersonnelType] | None = None,
    disabled: bool | None = None,
) -> st.SearchStrategy[Veteran]:
    """Discharged service members (退役军人) who enlisted aged 17–30 and left by today.

    Each has :func:`circumstances` and, rarely, one or two sanctions dated after birth and not
    after death. A disability is assessed between enlistment and death (or today).

    Args:
        persons: the people, used as drawn (a death date among them is kept). Default: people
            born 1920-01-01 or later and old enough to have enlisted at 17 and been discharged
            by today, about one in three of them dead since their discharge.
        personnel_types: officer, NCO or conscript. Default: any.
        disabled: only veterans with (``True``) or without (``False``) a disability; both
            if ``None``. 因病 is chosen only for conscripts and junior NCOs.
    """
    return _veterans(
        _veteran_persons() if persons is None else persons,
        st.sampled_from(tuple(PersonnelType)) if personnel_types is None else personnel_types,
        disabled,
        persons is None,
    )


def _veteran_persons() -> st.SearchStrategy[Person]:
    return _veteran_persons_born_by(_latest_veteran_birth())


@functools.cache
def _veteran_persons_born_by(latest: dt.date) -> st.SearchStrategy[Person]:
    births = _dates(_EARLIEST_BIRTH, latest)
    return persons(resident_ids=resident_ids(birth_dates=births), alive=True)


@st.composite
def _survivors(
    draw: st.DrawFn,
    people: st.SearchStrategy[Person],
    relations: st.SearchStrategy[Relation],
    death_categories: st.SearchStrategy[DeathCategory],
    may_die: bool,
) -> Survivor:
    person = draw(people)
    relation = draw(relations)
    death = draw(death_categories)
    today = _today()
    # A survivor drawn already dead outlived the member: the member died first.
    deceased_on = draw(_dates(person.birth_date, person.died_on or today))
    if may_die:
        person = _died_after(draw, person, deceased_on)
    deceased_id = None
    if draw(st.booleans()):
        births = _dates(_add_years(deceased_on, -60), _add_years(deceased_on, -17))
        deceased_id = draw(resident_ids(birth_dates=births))
        if deceased_id == person.resident_id:
            deceased_id = None
    statuses = []
    if draw(st.booleans()):
        statuses.append(draw(_status_from(death.survivor_category, deceased_on)))
    sixtieth = max(_add_years(person.birth_date, 60), deceased_on)
    if (
        death is DeathCategory.MARTYR
        and relation is Relation.CHILD
        and sixtieth <= today
        and draw(st.booleans())
    ):
        statuses.append(draw(_status_from(EntitlementCategory.ELDERLY_MARTYR_CHILD, sixtieth)))
    return Survivor(
        person=person,
        relation=relation,
        death_category=death,
        deceased_on=deceased_on,
        deceased_id=deceased_id,
        statuses=tuple(statuses),
        circumstances=draw(circumstances()),
        sanctions=draw(_sanctions_in_life(person)),
    )


def survivors(
    *,
    persons: st.SearchStrategy[Person] | None = None,
    relations: st.SearchStrategy[Relation] | None = None,
    death_categories: st.SearchStrategy[DeathCategory] | None = None,
) -> st.SearchStrategy[Survivor]:
    """Survivors (遗属) holding only the survivor status their member's death gives rise to.

    Each has :func:`circumstances` and, rarely, one or two sanctions dated after birth and not
    after death.

    Args:
        persons: the survivors, used as drawn (a death date among them is kept). Default:
            :func:`persons`, about one in three of them dead, never before the member.
        relations: relation to the deceased. Default: any.
        death_categories: 烈士, 因公牺牲 or 病故. Default: any.
    """
    return _survivors(
        _living_persons() if persons is None else persons,
        st.sampled_from(tuple(Relation)) if relations is None else relations,
        st.sampled_from(tuple(DeathCategory)) if death_categories is None else death_categories,
        persons is None,
    )


@functools.cache
def _living_persons() -> st.SearchStrategy[Person]:
    return persons(alive=True)


# --- households and plaques ----------------------------------------------------------------


@st.composite
def _plaque_records(
    draw: st.DrawFn, hung_on: st.SearchStrategy[dt.date], recovered: bool | None
) -> PlaqueRecord:
    hung = draw(hung_on)
    taken_back = draw(st.sampled_from((False, False, True))) if recovered is None else recovered
    if not taken_back:
        return PlaqueRecord(hung_on=hung)
    return PlaqueRecord(
        hung_on=hung,
        recovered_on=draw(_dates(hung, max(hung, _today()))),
        recovery_reason=draw(st.sampled_from(tuple(PlaqueRecoveryReason))),
    )


def plaque_records(
    *, hung_on: st.SearchStrategy[dt.date] | None = None, recovered: bool | None = None
) -> st.SearchStrategy[PlaqueRecord]:
    """Glory plaques (光荣牌) hung since the 2018 policy, some taken back with a reason.

    Args:
        hung_on: the days plaques were hung. Default: 2018-07-29 to today.
        recovered: only recovered (``True``) or hanging (``False``) plaques; both if ``None``.
    """
    return _plaque_records(
        _dates(_PLAQUE_POLICY, _today()) if hung_on is None else hung_on, recovered
    )


@st.composite
def _households(
    draw: st.DrawFn,
    member_ids: st.SearchStrategy[ResidentId],
    hukou_divisions: st.SearchStrategy[DivisionCode],
    plaques: st.SearchStrategy[PlaqueRecord | None],
) -> Household:
    division = draw(hukou_divisions)
    members = draw(st.lists(member_ids, min_size=1, max_size=6, unique=True))
    return Household(
        household_id=f"{division.short}-{draw(st.integers(1, 999_999)):06d}",
        hukou_division=division,
        head=draw(st.sampled_from(members)),
        members=tuple(members),
        plaque=draw(plaques),
    )


def households(
    *,
    member_ids: st.SearchStrategy[ResidentId] | None = None,
    hukou_divisions: st.SearchStrategy[DivisionCode] | None = None,
    plaques: st.SearchStrategy[PlaqueRecord | None] | None = None,
) -> st.SearchStrategy[Household]:
    """Households (户) of one to six distinct members, the head among them.

    Args:
        member_ids: identity numbers of members. Default: :func:`resident_ids`.
        hukou_divisions: where the household is registered. Default: county, township or
            village.
        plaques: the plaque record or ``None``. Default: :func:`plaque_records` or ``None``.
    """
    return _households(
        _any_resident_ids() if member_ids is None else member_ids,
        _hukou_divisions() if hukou_divisions is None else hukou_divisions,
        st.none() | plaque_records() if plaques is None else plaques,
    )


# --- serving members and plaque households --------------------------------------------------


@st.composite
def _serving_members(
    draw: st.DrawFn, personnel_types: st.SearchStrategy[PersonnelType]
) -> ServingMember:
    today = _today()
    latest_birth = _add_years(today, -17) - _DAY
    person = draw(
        persons(
            resident_ids=resident_ids(birth_dates=_dates(_add_years(today, -60), latest_birth)),
            alive=True,
        )
    )
    earliest = _add_years(person.birth_date, 17)
    enlisted = draw(_dates(earliest, min(_add_years(person.birth_date, 30), today)))
    kind = draw(personnel_types)
    rank = draw(st.sampled_from(tuple(NcoRank))) if kind is PersonnelType.NCO else None
    county = draw(division_codes(level=DivisionLevel.COUNTY))
    return ServingMember(
        person=person,
        service=ServiceRecord(enlisted_on=enlisted, personnel_type=kind, nco_rank=rank),
        enlisted_from=county,
    )


def serving_members(
    *, personnel_types: st.SearchStrategy[PersonnelType] | None = None
) -> st.SearchStrategy[ServingMember]:
    """Members in active service (现役军人), enlisted aged 17–30, with their county of enlistment.

    Args:
        personnel_types: officer, NCO or conscript. Default: any.
    """
    return _serving_members(
        st.sampled_from(tuple(PersonnelType)) if personnel_types is None else personnel_types
    )


_DEATH_BASES = (PlaqueBasis.MARTYR, PlaqueBasis.DUTY_DEATH, PlaqueBasis.ILLNESS_DEATH)


@st.composite
def _plaque_members(
    draw: st.DrawFn, ids: st.SearchStrategy[ResidentId], bases: st.SearchStrategy[PlaqueBasis]
) -> PlaqueMember:
    basis = draw(bases)
    since = draw(_dates(dt.date(1950, 1, 1), _today()))
    if basis in _DEATH_BASES:
        died: dt.date | None = since
    else:
        died = draw(st.none() | _dates(since, _today()))
    return PlaqueMember(
        resident_id=draw(ids),
        basis=basis,
        since=since,
        died_on=died,
        certificate_holder=draw(_FACT),
    )


def plaque_members(
    *,
    resident_ids: st.SearchStrategy[ResidentId] | None = None,
    bases: st.SearchStrategy[PlaqueBasis] | None = None,
) -> st.SearchStrategy[PlaqueMember]:
    """People who make a household eligible for a glory plaque, on each basis.

    Args:
        resident_ids: their identity numbers. Default: any.
        bases: 现役军人, 烈士, 因公牺牲军人, 病故军人 or 退役军人. Default: any.
    """
    return _plaque_members(
        _any_resident_ids() if resident_ids is None else resident_ids,
        st.sampled_from(tuple(PlaqueBasis)) if bases is None else bases,
    )


@st.composite
def _plaque_disqualifications(
    draw: st.DrawFn, ids: st.SearchStrategy[ResidentId]
) -> PlaqueDisqualification:
    kind = draw(
        st.sampled_from(
            tuple(
                k for k in PlaqueRecoveryReason if k is not PlaqueRecoveryReason.NO_LONGER_ELIGIBLE
            )
        )
    )
    on = draw(_dates(_PLAQUE_POLICY, _today()))
    lifted = None
    if kind is PlaqueRecoveryReason.PUBLIC_SECURITY_PENALTY:
        lifted = draw(st.none() | _dates(on, _today()))
    return PlaqueDisqualification(resident_id=draw(ids), kind=kind, on=on, lifted_on=lifted)


def plaque_disqualifications(
    *, resident_ids: st.SearchStrategy[ResidentId] | None = None
) -> st.SearchStrategy[PlaqueDisqualification]:
    """Conduct that takes a plaque away; only public-security penalties are sometimes lifted.

    Args:
        resident_ids: whose conduct. Default: any.
    """
    return _plaque_disqualifications(_any_resident_ids() if resident_ids is None else resident_ids)


@st.composite
def _plaque_households(
    draw: st.DrawFn, households_: st.SearchStrategy[Household]
) -> PlaqueHousehold:
    household = draw(households_)
    on_booklet = st.sampled_from(household.members)
    ids = on_booklet | _any_resident_ids()
    members = draw(
        st.lists(plaque_members(resident_ids=ids), max_size=4, unique_by=lambda m: m.resident_id)
    )
    disqualified = draw(
        st.lists(plaque_disqualifications(resident_ids=on_booklet), max_size=2)
        if draw(st.integers(0, 4)) == 0
        else st.just([])
    )
    applied = draw(st.none() | _dates(_PLAQUE_POLICY, _today()))
    return PlaqueHousehold(
        household=household,
        members=tuple(members),
        disqualifications=tuple(disqualified),
        applied_on=applied,
    )


_all_households = households  # the parameter below shadows the name


def plaque_households(
    *, households: st.SearchStrategy[Household] | None = None
) -> st.SearchStrategy[PlaqueHousehold]:
    """Households with the members who make them eligible and, rarely, a disqualification.

    Args:
        households: the households. Default: :func:`households`.
    """
    return _plaque_households(_all_households() if households is None else households)


# --- divisions and the service network -----------------------------------------------------

_COUNTY_SUFFIX = {
    CountyKind.DISTRICT: ("区",),
    CountyKind.COUNTY: ("县", "自治县"),
    CountyKind.COUNTY_LEVEL_CITY: ("市",),
}
_TOWNSHIP_SUFFIX = {
    TownshipKind.SUBDISTRICT: ("街道",),
    TownshipKind.TOWN: ("镇",),
    TownshipKind.TOWNSHIP: ("乡", "瑶族乡", "苗族乡"),
    TownshipKind.TOWNSHIP_LIKE: ("经济开发区", "农场", "林场", "工业园区"),
}
_VILLAGE_SUFFIX = {
    VillageKind.RESIDENTS_COMMITTEE: ("社区居委会", "居委会"),
    VillageKind.VILLAGERS_COMMITTEE: ("村委会",),
}


def _suffixes(code: DivisionCode) -> tuple[str, ...]:
    level = code.level
    if level is DivisionLevel.PROVINCE:
        return ("省", "自治区")
    if level is DivisionLevel.CITY:
        return ("市", "地区", "自治州")
    if level is DivisionLevel.COUNTY:
        county = code.county_kind
        return ("县",) if county is None else _COUNTY_SUFFIX[county]
    if level is DivisionLevel.TOWNSHIP:
        township = code.township_kind
        return ("乡",) if township is None else _TOWNSHIP_SUFFIX[township]
    village = code.village_kind
    return ("村委会",) if village is None else _VILLAGE_SUFFIX[village]


@st.composite
def _division_names(draw: st.DrawFn, code: DivisionCode) -> str:
    """The bundled name of a bundled unit; otherwise a made-up name that fits its kind."""
    if contains_code(code):
        return name_of(code)
    stem = "".join(draw(st.lists(st.sampled_from(_PLACE_CHARACTERS), min_size=1, max_size=3)))
    return stem + draw(st.sampled_from(_suffixes(code)))


@st.composite
def _divisions(draw: st.DrawFn, codes: st.SearchStrategy[DivisionCode]) -> Division:
    code = draw(codes)
    return Division(code=code, name=draw(_division_names(code)))


def divisions(
    *, codes: st.SearchStrategy[DivisionCode] | None = None
) -> st.SearchStrategy[Division]:
    """Administrative units (行政区划) with bundled names, or made-up names of the right kind.

    Args:
        codes: the units' codes. Default: :func:`division_codes`.
    """
    return _divisions(division_codes() if codes is None else codes)


def five_haves() -> st.SearchStrategy[FiveHaves]:
    """Any combination of the "五有" standard (有机构、有编制、有人员、有经费、有保障)."""
    return st.builds(
        FiveHaves,
        institution=st.booleans(),
        establishment=st.booleans(),
        personnel=st.booleans(),
        funding=st.booleans(),
        support=st.booleans(),
    )


_CENTRE_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)


@st.composite
def _service_stations(
    draw: st.DrawFn,
    units: st.SearchStrategy[DivisionCode],
    statuses: st.SearchStrategy[StationStatus],
) -> ServiceStation:
    division = draw(units)
    usual = StationKind.CENTRE if division.level in _CENTRE_LEVELS else StationKind.STATION
    kind = draw(st.sampled_from((usual, usual, usual, StationKind.EXTENSION)))
    status = draw(statuses)
    today = _today()
    established_on = None
    if status is not StationStatus.PLANNED:
        established_on = draw(_dates(_MINISTRY_OPENED, today))
    closed_on = None
    if status is StationStatus.CLOSED:
        assert established_on is not None
        closed_on = draw(_dates(established_on, today))
    place = draw(_division_names(division))
    label = {
        StationKind.CENTRE: "退役军人服务中心",
        StationKind.STATION: "退役军人服务站",
        StationKind.EXTENSION: "拓展型退役军人服务站",
    }[kind]
    return ServiceStation(
        station_id=f"{division.value}-{draw(st.integers(1, 99)):02d}",
        division=division,
        kind=kind,
        name=draw(st.sampled_from((place + label, None))),
        status=status,
        established_on=established_on,
        closed_on=closed_on,
        office_area_m2=draw(st.none() | amounts(max_value="5000", places=1)),
        staff=draw(st.integers(0, 60)),
        five_haves=draw(five_haves()),
    )


def service_stations(
    *,
    divisions: st.SearchStrategy[DivisionCode] | None = None,
    statuses: st.SearchStrategy[StationStatus] | None = None,
) -> st.SearchStrategy[ServiceStation]:
    """Service centres at levels 1–3, stations at levels 4–5, and some extension stations.

    Sites that have opened carry an establishment date (2018-04-16 or later); closed ones a
    closing date not before it.

    Args:
        divisions: the units the sites belong to. Default: :func:`division_codes`.
        statuses: life-cycle statuses. Default: any.
    """
    return _service_stations(
        division_codes() if divisions is None else divisions,
        st.sampled_from(tuple(StationStatus)) if statuses is None else statuses,
    )


# --- assistance cases ----------------------------------------------------------------------

_ACTORS = {
    CaseStatus.APPLIED: ("applicant",),
    CaseStatus.TOWNSHIP_REVIEWED: ("township",),
    CaseStatus.COUNTY_APPROVED: ("county",),
    CaseStatus.PUBLICISED: ("county",),
    CaseStatus.PAID: ("county",),
    CaseStatus.REJECTED: ("township", "county"),
    CaseStatus.WITHDRAWN: ("applicant",),
}
# The usual way through a case, which random paths take more often than the others.
_FORWARD = {
    CaseStatus.APPLIED: CaseStatus.TOWNSHIP_REVIEWED,
    CaseStatus.TOWNSHIP_REVIEWED: CaseStatus.COUNTY_APPROVED,
    CaseStatus.COUNTY_APPROVED: CaseStatus.PUBLICISED,
    CaseStatus.PUBLICISED: CaseStatus.PAID,
}
_STEPS = (
    (None, CaseStatus.APPLIED),
    *((before, after) for before in CaseStatus for after in _in_order(TRANSITIONS[before])),
)


@functools.cache
def _actors(to_status: CaseStatus) -> st.SearchStrategy[str]:
    """Who takes a step: the applicant, or a numbered township or county officer."""
    return st.builds(
        lambda role, number: role if role == "applicant" else f"{role}-{number:02d}",
        st.sampled_from(_ACTORS[to_status]),
        st.integers(1, 99),
    )


_NOTES = st.none() | st.sampled_from(("材料齐全", "已入户核实", "经公示无异议", "申请人主动撤回"))


@st.composite
def _case_transitions(draw: st.DrawFn, on: st.SearchStrategy[dt.date]) -> CaseTransition:
    before, after = draw(st.sampled_from(_STEPS))
    return CaseTransition(
        to_status=after,
        on=draw(on),
        actor=draw(_actors(after)),
        from_status=before,
        note=draw(_NOTES),
    )


def case_transitions(
    *, on: st.SearchStrategy[dt.date] | None = None
) -> st.SearchStrategy[CaseTransition]:
    """Single steps of a case: an application, or a step ``TRANSITIONS`` allows.

    Args:
        on: the days of the steps. Default: 2019-10-09 to today.
    """
    return _case_transitions(_dates(_ASSISTANCE_POLICY, _today()) if on is None else on)


def funding_allocations(
    *,
    sources: st.SearchStrategy[FundingSource] | None = None,
    amounts: st.SearchStrategy[Decimal] | None = None,
) -> st.SearchStrategy[FundingAllocation]:
    """Amounts paid from one source (资金来源).

    Args:
        sources: funding sources. Default: any.
        amounts: amounts. Default: 0 to 100,000 yuan in fen.
    """
    return st.builds(
        FundingAllocation,
        source=st.sampled_from(tuple(FundingSource)) if sources is None else sources,
        amount=_case_amounts() if amounts is None else amounts,
    )


def _case_amounts() -> st.SearchStrategy[Decimal]:
    return amounts(max_value="100000")


@st.composite
def _funding_within(draw: st.DrawFn, approved: Decimal) -> tuple[FundingAllocation, ...]:
    sources = draw(st.lists(st.sampled_from(tuple(FundingSource)), unique=True, max_size=3))
    left = approved
    funding = []
    for source in sources:
        amount = draw(amounts(max_value=left))
        left -= amount
        funding.append(FundingAllocation(source=source, amount=amount))
    return tuple(funding)


@st.composite
def _assistance_cases(
    draw: st.DrawFn,
    applicants: st.SearchStrategy[ResidentId],
    units: st.SearchStrategy[DivisionCode],
    causes: st.SearchStrategy[HardshipCause],
) -> AssistanceCase:
    today = _today()
    division = draw(units)
    incident_on = draw(_dates(_ASSISTANCE_POLICY, today))
    applied_on = draw(_dates(incident_on, min(incident_on + dt.timedelta(days=365), today)))
    case = AssistanceCase.apply(
        case_id=f"{division.short[:6]}-{applied_on.year}-{draw(st.integers(1, 9999)):04d}",
        applicant=draw(applicants),
        division=division,
        cause=draw(causes),
        incident_on=incident_on,
        on=applied_on,
        actor=draw(_actors(CaseStatus.APPLIED)),
        requested_amount=draw(st.none() | _case_amounts()),
        note=draw(_NOTES),
    )
    while not case.status.final:
        current = case.status
        others = tuple(s for s in _in_order(TRANSITIONS[current]) if s is not _FORWARD.get(current))
        forward = (_FORWARD[current],) * 4 if current in _FORWARD else ()
        step = draw(st.sampled_from((None, *forward, *others)))
        if step is None:
            break
        last = case.history[-1].on
        on = draw(_dates(last, min(last + dt.timedelta(days=60), today)))
        actor = draw(_actors(step))
        note = draw(_NOTES)
        if step is CaseStatus.COUNTY_APPROVED:
            amount = draw(_case_amounts())
            funding = draw(_funding_within(amount))
            case = case.approve(on=on, actor=actor, amount=amount, funding=funding, note=note)
        else:
            case = case.advance(step, on=on, actor=actor, note=note)
    return case


def assistance_cases(
    *,
    applicants: st.SearchStrategy[ResidentId] | None = None,
    divisions: st.SearchStrategy[DivisionCode] | None = None,
    causes: st.SearchStrategy[HardshipCause] | None = None,
) -> st.SearchStrategy[AssistanceCase]:
    """Hardship assistance cases (困难帮扶援助) taken along a random allowed path.

    The case is opened with ``AssistanceCase.apply`` and moved with its own ``advance`` and
    ``approve``: steps are dated in order, and funding never exceeds the approved amount.

    Args:
        applicants: applicants' identity numbers. Default: :func:`resident_ids`.
        divisions: where the case is handled. Default: county or township codes.
        causes: hardship causes. Default: any.
    """
    return _assistance_cases(
        _any_resident_ids() if applicants is None else applicants,
        st.one_of(
            division_codes(level=DivisionLevel.COUNTY), division_codes(level=DivisionLevel.TOWNSHIP)
        )
        if divisions is None
        else divisions,
        st.sampled_from(tuple(HardshipCause)) if causes is None else causes,
    )


# --- activities ----------------------------------------------------------------------------


def _period_key(day: dt.date, shape: str) -> str:
    """The key of the month, quarter, half-year or year containing ``day``."""
    if shape == "month":
        return f"{day:%Y-%m}"
    if shape == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if shape == "half-year":
        return f"{day.year}H{(day.month - 1) // 6 + 1}"
    return f"{day.year}"


@st.composite
def _activities(
    draw: st.DrawFn,
    kinds: st.SearchStrategy[ActivityKind],
    units: st.SearchStrategy[DivisionCode],
    contact_ids: st.SearchStrategy[ResidentId],
) -> Activity:
    unit = draw(units)
    held_on = draw(_dates(_MINISTRY_OPENED, _today()))
    contacts = tuple(draw(st.lists(contact_ids, max_size=5, unique=True)))
    counted = draw(st.none() | st.integers(len(contacts), len(contacts) + 200))
    extra = {} if counted is None else {"participants": counted}
    for_period = None
    if draw(st.booleans()):
        # The period it is for: the one it was held in, or one up to a year earlier (a report).
        reference = held_on - dt.timedelta(days=draw(st.integers(0, 366)))
        shape = draw(st.sampled_from(("month", "quarter", "half-year", "year")))
        for_period = _period_key(reference, shape)
    return Activity(
        activity_id=f"{unit.short}-{held_on:%Y%m%d}-{draw(st.integers(1, 99)):02d}",
        kind=draw(kinds),
        unit=unit,
        held_on=held_on,
        contacts=contacts,
        topic=draw(
            st.none() | st.sampled_from(("春节走访慰问", "八一座谈", "政策宣讲", "业务培训"))
        ),
        for_period=for_period,
        **extra,
    )


def activities(
    *,
    kinds: st.SearchStrategy[ActivityKind] | None = None,
    units: st.SearchStrategy[DivisionCode] | None = None,
    contact_ids: st.SearchStrategy[ResidentId] | None = None,
) -> st.SearchStrategy[Activity]:
    """Work activities (工作活动), each contact listed once, never fewer participants.

    About half name the period they are for (``for_period``): the month, quarter, half-year
    or year of their date or of a day up to a year before it.

    Args:
        kinds: activity kinds. Default: any.
        units: the units holding them. Default: :func:`division_codes`.
        contact_ids: identity numbers of persons contacted. Default: :func:`resident_ids`.
    """
    return _activities(
        st.sampled_from(tuple(ActivityKind)) if kinds is None else kinds,
        division_codes() if units is None else units,
        _any_resident_ids() if contact_ids is None else contact_ids,
    )


# --- every model ---------------------------------------------------------------------------

STRATEGIES: Mapping[type, st.SearchStrategy[Any]] = MappingProxyType(
    {
        Activity: activities(),
        AssistanceCase: assistance_cases(),
        Award: awards(),
        CaseTransition: case_transitions(),
        Circumstances: circumstances(),
        Disability: disabilities(),
        Division: divisions(),
        EntitlementStatus: entitlement_statuses(),
        FiveHaves: five_haves(),
        FundingAllocation: funding_allocations(),
        Household: households(),
        Person: persons(),
        PlaqueDisqualification: plaque_disqualifications(),
        PlaqueHousehold: plaque_households(),
        PlaqueMember: plaque_members(),
        PlaqueRecord: plaque_records(),
        ReportSubmission: st.deferred(lambda: report_submissions()),  # defined below
        Sanction: sanctions(),
        ServiceRecord: service_records(),
        ServiceStation: service_stations(),
        ServingMember: serving_members(),
        Survivor: survivors(),
        Veteran: veterans(),
        DivisionCode: division_codes(),
        ResidentId: resident_ids(),
    }
)
"""A strategy for every class in ``veteran_affairs.models.MODEL_CLASSES``, and for
``DivisionCode`` and ``ResidentId``: what :func:`register_type_strategies` registers."""


def models() -> st.SearchStrategy[Any]:
    """Any public model value: one of the strategies for ``MODEL_CLASSES``."""
    return st.one_of([STRATEGIES[model] for model in MODEL_CLASSES])


def register_type_strategies() -> None:
    """Register :data:`STRATEGIES` with :func:`hypothesis.strategies.from_type`.

    Not needed with the ``testing`` extra installed: the library's ``hypothesis`` entry point
    registers deferred strategies for the same types when hypothesis is imported. Call it
    where entry points are disabled (``HYPOTHESIS_NO_PLUGINS``).
    """
    for model, strategy in STRATEGIES.items():
        st.register_type_strategy(model, strategy)


# --- submitted report figures --------------------------------------------------------------

_REPORT_KINDS = (
    "station-coverage",
    "offices",
    "plaques",
    "population",
    "assistance",
    "activity-compliance",
)
_FIGURE_KEYS = (
    "persons",
    "key_entitled",
    "veteran",
    "households",
    "eligible",
    "hung",
    "cases",
    "amount",
    "required",
    "built",
    "office_area_m2",
    "on_time",
    "rate",
)


def _period_keys(day: dt.date) -> st.SearchStrategy[str]:
    """The keys of the periods containing ``day`` (month, quarter, half-year, year) or the day."""
    return st.sampled_from(
        (
            f"{day.year:04d}-{day.month:02d}",
            f"{day.year:04d}Q{(day.month - 1) // 3 + 1}",
            f"{day.year:04d}H{1 if day.month <= 6 else 2}",
            f"{day.year:04d}",
            day.isoformat(),
        )
    )


@st.composite
def _report_submissions(
    draw: st.DrawFn, units: st.SearchStrategy[DivisionCode], kinds: st.SearchStrategy[str]
) -> ReportSubmission:
    submitted_on = draw(_dates(_MINISTRY_OPENED, _today()))
    keys = draw(st.lists(st.sampled_from(_FIGURE_KEYS), unique=True, max_size=6))
    figure = st.integers(0, 10**7) | amounts(max_value="100000000")
    return ReportSubmission(
        unit=draw(units),
        kind=draw(kinds),
        period=draw(_period_keys(draw(_dates(_MINISTRY_OPENED, submitted_on)))),
        figures={key: draw(figure) for key in keys},
        submitted_on=submitted_on,
    )


def report_submissions(
    *,
    units: st.SearchStrategy[DivisionCode] | None = None,
    kinds: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ReportSubmission]:
    """Figures a unit submitted for a report (报表报送): counts and amounts under column keys.

    The period is a month, quarter, half-year or year key, or a date, no later than the day
    of submission; figures are ``int`` counts or ``Decimal`` amounts, none negative.

    Args:
        units: the submitting units. Default: :func:`division_codes`.
        kinds: the report kinds. Default: the standard reports' kinds.
    """
    return _report_submissions(
        division_codes() if units is None else units,
        st.sampled_from(_REPORT_KINDS) if kinds is None else kinds,
    )
