"""People as the registers hold them (人员): a natural person (人员基本信息), veterans (退役军人),
survivors of deceased service members (遗属) and serving members (现役军人)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import instance_of, optional, past_date, text, tuple_of
from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.identity import (
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    mask_name,
    mask_phone,
)
from veteran_affairs.models.circumstances import Circumstances, Sanction
from veteran_affairs.models.entitlement import EntitlementCategory, EntitlementStatus
from veteran_affairs.models.service import Disability, DisabilityNature, ServiceRecord

__all__ = [
    "DeathCategory",
    "HukouType",
    "Person",
    "Relation",
    "ServingMember",
    "Survivor",
    "Veteran",
]


class HukouType(enum.Enum):
    """Household registration type (户口性质)."""

    RURAL = "rural"  # 农村（农业）户口
    URBAN = "urban"  # 城镇（非农业）户口

    @property
    def label_zh(self) -> str:
        return {"rural": "农村户口", "urban": "城镇户口"}[self.value]


_phone_text = text(max_length=20, personal=True)
_PHONE_CHARACTERS = frozenset("0123456789+- ")


def _phone(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    _phone_text(_instance, attribute, value)
    if not _PHONE_CHARACTERS.issuperset(value) or sum(c.isdigit() for c in value) < 5:
        raise InvalidValue(
            attribute.name, mask_phone(value), "not a phone number", "不是有效的电话号码"
        )


def _id_of(person: Person) -> ResidentId:
    """The ID a default is derived from (defaults run before validators, so check here)."""
    rid = person.resident_id
    if not isinstance(rid, ResidentId):
        raise InvalidValue(
            "resident_id", type(rid).__name__, "must be ResidentId", "类型应为 ResidentId"
        )
    return rid


@attrs.frozen(kw_only=True, repr=False)
class Person:
    """A person: identity number, name, sex, birth date, ethnicity and household registration.

    ``sex`` and ``birth_date`` default to what the identity number says and, when given, must
    agree with it. ``repr()`` masks the ID and the name and shows neither the birth date nor
    the phone number: the masked digits of the ID are the birth date (``docs/privacy.md``).

    Raises:
        InconsistentRecord: sex or birth date contradicting the identity number.
        InvalidValue: a blank or over-long name, a wrong type.

    >>> p = Person(resident_id=ResidentId("11010519491231002X"), name="李秀英",
    ...            hukou_division=DivisionCode("110105"), hukou_type=HukouType.URBAN)
    >>> p
    Person(resident_id=ResidentId('110105********002X'), name='李**', sex=FEMALE, hukou_division=110105000000)
    >>> p.age_on(dt.date(2021, 1, 6))
    71
    """

    resident_id: ResidentId = attrs.field(validator=instance_of(ResidentId))
    name: str = attrs.field(validator=text(max_length=64, personal=True))
    hukou_division: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    hukou_type: HukouType = attrs.field(validator=instance_of(HukouType))
    sex: Sex = attrs.field(validator=instance_of(Sex))
    birth_date: dt.date = attrs.field(validator=instance_of(dt.date))
    ethnicity: str | None = attrs.field(default=None, validator=optional(text(max_length=32)))
    phone: str | None = attrs.field(default=None, validator=_phone)
    died_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))

    @sex.default
    def _sex_from_id(self) -> Sex:
        return _id_of(self).sex

    @birth_date.default
    def _birth_date_from_id(self) -> dt.date:
        return _id_of(self).birth_date

    def __attrs_post_init__(self) -> None:
        if self.sex is not self.resident_id.sex:
            raise InconsistentRecord(
                "sex/resident_id",
                f"{self.sex.value}/{self.resident_id.masked}",
                "sex does not match the identity number",
                "性别与身份证号码不符",
            )
        if self.birth_date != self.resident_id.birth_date:
            raise InconsistentRecord(
                "birth_date/resident_id",
                f"{self.birth_date.isoformat()}/{self.resident_id.masked}",
                "birth date does not match the identity number",
                "出生日期与身份证号码不符",
            )
        if self.died_on is not None and self.died_on < self.birth_date:
            raise InconsistentRecord(
                "birth_date/died_on",
                f"{self.birth_date.isoformat()}/{self.died_on.isoformat()}",
                "death cannot precede birth",
                "死亡日期早于出生日期",
            )

    def alive_on(self, on: dt.date) -> bool:
        """Born on or before ``on`` and not dead by then (the day of death counts as alive)."""
        return self.birth_date <= on and (self.died_on is None or on <= self.died_on)

    def age_on(self, on: dt.date) -> int:
        """Age in whole years on ``on`` (周岁); someone born on 29 February ages on 1 March."""
        born = self.birth_date
        before_birthday = (on.month, on.day) < (born.month, born.day)
        return on.year - born.year - before_birthday

    def __repr__(self) -> str:
        # No birth date, not even its year: beside the masked ID it would give the number back
        # (an age in a decision and the year can pin the birthday to a few days).
        return (
            f"Person(resident_id={self.resident_id!r}, name={mask_name(self.name)!r}, "
            f"sex={self.sex.name}, hukou_division={self.hukou_division})"
        )


# The circumstances of a record that knows none of them, shared (an immutable value).
_NOTHING_KNOWN = Circumstances()


def _check_statuses(person: Person, statuses: tuple[EntitlementStatus, ...]) -> None:
    for index, status in enumerate(statuses):
        if status.since < person.birth_date:
            raise InconsistentRecord(
                f"statuses[{index}].since/person.birth_date",
                f"{status.since.isoformat()}/{person.birth_date.isoformat()}",
                "a status cannot begin before the person was born",
                "优抚身份起始日期早于出生日期",
            )


def _active(statuses: tuple[EntitlementStatus, ...], on: dt.date) -> frozenset[EntitlementCategory]:
    return frozenset(s.category for s in statuses if s.active_on(on))


def _categories(statuses: tuple[EntitlementStatus, ...]) -> tuple[str, ...]:
    """The categories of ``statuses`` for a ``repr()``: without their dates, each once.

    A person's ``repr()`` shows no dates: a status can begin on a birthday (60周岁), and a
    birthday beside the masked ID gives the number back (``docs/privacy.md``).
    """
    return tuple(dict.fromkeys(s.category.value for s in statuses))


@attrs.frozen(kw_only=True, repr=False)
class Veteran:
    """A lawfully discharged officer, NCO or conscript (退役军人, 《退役军人保障法》(2020) 第二条).

    Invariants (each raises :class:`~veteran_affairs.errors.InconsistentRecord`): the service
    record is discharged; enlistment comes after birth; a disability is assessed on or after
    enlistment and 因病 only for conscripts and junior NCOs (《军人抚恤优待条例》(2024) 第二十五条);
    no status begins before birth; a death date is not before the discharge (one who died in
    service is not a veteran).

    ``repr()`` masks as :class:`Person` does and shows no dates.
    """

    person: Person = attrs.field(validator=instance_of(Person))
    service: ServiceRecord = attrs.field(validator=instance_of(ServiceRecord))
    disability: Disability | None = attrs.field(
        default=None, validator=optional(instance_of(Disability))
    )
    statuses: tuple[EntitlementStatus, ...] = attrs.field(
        default=(), validator=tuple_of(EntitlementStatus)
    )
    circumstances: Circumstances = attrs.field(
        default=_NOTHING_KNOWN, validator=instance_of(Circumstances)
    )
    sanctions: tuple[Sanction, ...] = attrs.field(default=(), validator=tuple_of(Sanction))

    def __attrs_post_init__(self) -> None:
        service = self.service
        if service.discharged_on is None:
            raise InconsistentRecord(
                "service.discharged_on",
                "None",
                "a veteran has a discharge date",
                "退役军人须有退役时间",
            )
        if service.enlisted_on <= self.person.birth_date:
            raise InconsistentRecord(
                "service.enlisted_on/person.birth_date",
                f"{service.enlisted_on.isoformat()}/{self.person.birth_date.isoformat()}",
                "enlistment must come after birth",
                "入伍时间应晚于出生日期",
            )
        died = self.person.died_on
        if died is not None and died < service.discharged_on:
            raise InconsistentRecord(
                "person.died_on/service.discharged_on",
                f"{died.isoformat()}/{service.discharged_on.isoformat()}",
                "a member who died before discharge died in service: not a veteran",
                "退役前死亡属于现役期间死亡，不是退役军人",
            )
        disability = self.disability
        if disability is not None:
            if disability.assessed_on < service.enlisted_on:
                raise InconsistentRecord(
                    "disability.assessed_on/service.enlisted_on",
                    f"{disability.assessed_on.isoformat()}/{service.enlisted_on.isoformat()}",
                    "a disability is assessed on or after enlistment",
                    "残疾评定时间应不早于入伍时间",
                )
            if (
                disability.nature is DisabilityNature.ILLNESS
                and not service.illness_disability_allowed
            ):
                raise InconsistentRecord(
                    "disability.nature/service.personnel_type",
                    f"{disability.nature.value}/{service.personnel_type.value}",
                    "因病 disability applies only to conscripts and junior NCOs",
                    "因病致残仅适用于义务兵和初级军士",
                )
        if self.statuses:
            _check_statuses(self.person, self.statuses)

    @property
    def resident_id(self) -> ResidentId:
        return self.person.resident_id

    def categories_on(self, on: dt.date) -> frozenset[EntitlementCategory]:
        """The categories whose status is held on ``on``."""
        return _active(self.statuses, on)

    def __repr__(self) -> str:
        service, disability = self.service, self.disability
        return (
            f"Veteran(person={self.person!r}, personnel_type={service.personnel_type.name}, "
            f"disability_grade={None if disability is None else disability.grade}, "
            f"categories={_categories(self.statuses)!r}, sanctions={len(self.sanctions)})"
        )


class Relation(enum.Enum):
    """A survivor's relation to the deceased service member (与牺牲/病故军人关系).

    《军人抚恤优待条例》(2024) 第十八条 sets who the survivors are: parents (or those who
    raised the member, 抚养人), spouse and children; only where there are none, brothers and
    sisters under 18, or over 18 without means of support whom the member supported.
    """

    PARENT = "parent"  # 父母（抚养人）
    SPOUSE = "spouse"  # 配偶
    CHILD = "child"  # 子女
    SIBLING = "sibling"  # 兄弟姐妹（未满18周岁，或由军人生前供养）

    @property
    def label_zh(self) -> str:
        return {
            "parent": "父母（抚养人）",
            "spouse": "配偶",
            "child": "子女",
            "sibling": "兄弟姐妹",
        }[self.value]


class DeathCategory(enum.Enum):
    """How the service member died, which decides the survivor group (三属)."""

    MARTYR = "martyr"  # 烈士
    DUTY_DEATH = "duty-death"  # 因公牺牲
    ILLNESS_DEATH = "illness-death"  # 病故

    @property
    def label_zh(self) -> str:
        return {"martyr": "烈士", "duty-death": "因公牺牲军人", "illness-death": "病故军人"}[
            self.value
        ]

    @property
    def survivor_category(self) -> EntitlementCategory:
        """The survivor status this death gives rise to."""
        return _SURVIVOR_OF[self]


_SURVIVOR_OF = {
    DeathCategory.MARTYR: EntitlementCategory.MARTYR_SURVIVOR,
    DeathCategory.DUTY_DEATH: EntitlementCategory.DUTY_DEATH_SURVIVOR,
    DeathCategory.ILLNESS_DEATH: EntitlementCategory.ILLNESS_DEATH_SURVIVOR,
}


@attrs.frozen(kw_only=True, repr=False)
class Survivor:
    """A survivor (遗属) of a martyr, a member who died on duty, or one who died of illness.

    Invariants: a survivor status held must be the one the death gives rise to (a martyr's
    survivor is not recorded as 病故军人遗属) and cannot begin before the death; no status
    begins before birth; the survivor's own death, if recorded, is not before the member's.

    ``repr()`` masks as :class:`Person` does and shows no dates.
    """

    person: Person = attrs.field(validator=instance_of(Person))
    relation: Relation = attrs.field(validator=instance_of(Relation))
    death_category: DeathCategory = attrs.field(validator=instance_of(DeathCategory))
    deceased_on: dt.date = attrs.field(validator=past_date)
    deceased_id: ResidentId | None = attrs.field(
        default=None, validator=optional(instance_of(ResidentId))
    )
    statuses: tuple[EntitlementStatus, ...] = attrs.field(
        default=(), validator=tuple_of(EntitlementStatus)
    )
    circumstances: Circumstances = attrs.field(
        default=_NOTHING_KNOWN, validator=instance_of(Circumstances)
    )
    sanctions: tuple[Sanction, ...] = attrs.field(default=(), validator=tuple_of(Sanction))

    def __attrs_post_init__(self) -> None:
        _check_statuses(self.person, self.statuses)
        died = self.person.died_on
        if died is not None and died < self.deceased_on:
            raise InconsistentRecord(
                "person.died_on/deceased_on",
                f"{died.isoformat()}/{self.deceased_on.isoformat()}",
                "a person who died before the member is not the member's survivor",
                "早于军人去世的人不是其遗属",
            )
        expected = self.death_category.survivor_category
        for index, status in enumerate(self.statuses):
            if not status.category.survivor:
                continue
            if status.category is not expected:
                raise InconsistentRecord(
                    f"statuses[{index}].category/death_category",
                    f"{status.category.value}/{self.death_category.value}",
                    f"the survivor of a {self.death_category.value} holds {expected.value}",
                    f"{self.death_category.label_zh}遗属应为{expected.label_zh}",
                )
            if status.since < self.deceased_on:
                raise InconsistentRecord(
                    f"statuses[{index}].since/deceased_on",
                    f"{status.since.isoformat()}/{self.deceased_on.isoformat()}",
                    "a survivor status cannot begin before the death",
                    "遗属身份起始日期早于牺牲/病故日期",
                )
        if self.deceased_id is not None and self.deceased_id == self.person.resident_id:
            raise InconsistentRecord(
                "deceased_id/person.resident_id",
                self.deceased_id.masked,
                "the survivor cannot be the deceased",
                "遗属与牺牲/病故军人不能为同一人",
            )

    @property
    def resident_id(self) -> ResidentId:
        return self.person.resident_id

    def categories_on(self, on: dt.date) -> frozenset[EntitlementCategory]:
        """The categories whose status is held on ``on``."""
        return _active(self.statuses, on)

    def __repr__(self) -> str:
        return (
            f"Survivor(person={self.person!r}, relation={self.relation.name}, "
            f"death_category={self.death_category.name}, deceased_id={self.deceased_id!r}, "
            f"categories={_categories(self.statuses)!r}, sanctions={len(self.sanctions)})"
        )


@attrs.frozen(kw_only=True, repr=False)
class ServingMember:
    """A member in active service (现役军人), with the unit they enlisted from (入伍地).

    ``enlisted_from`` is the county-level (or lower) unit where the member enlisted: the county
    that pays a conscript's family allowance (义务兵家庭优待金, 《兵役法》(2021) 第五十条).
    Invariants: the service record is not discharged; enlistment comes after birth; the unit
    of enlistment is at county level or below.

    ``repr()`` masks as :class:`Person` does and shows no dates.
    """

    person: Person = attrs.field(validator=instance_of(Person))
    service: ServiceRecord = attrs.field(validator=instance_of(ServiceRecord))
    enlisted_from: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    statuses: tuple[EntitlementStatus, ...] = attrs.field(
        default=(), validator=tuple_of(EntitlementStatus)
    )

    def __attrs_post_init__(self) -> None:
        if self.service.discharged_on is not None:
            raise InconsistentRecord(
                "service.discharged_on",
                self.service.discharged_on.isoformat(),
                "a serving member has no discharge date (use Veteran)",
                "现役军人无退役时间",
            )
        if self.service.enlisted_on <= self.person.birth_date:
            raise InconsistentRecord(
                "service.enlisted_on/person.birth_date",
                f"{self.service.enlisted_on.isoformat()}/{self.person.birth_date.isoformat()}",
                "enlistment must come after birth",
                "入伍时间应晚于出生日期",
            )
        if self.enlisted_from.level < DivisionLevel.COUNTY:
            raise InconsistentRecord(
                "enlisted_from",
                str(self.enlisted_from),
                "the unit of enlistment is a county or a unit within one",
                "入伍地应为县级或以下单位",
            )
        _check_statuses(self.person, self.statuses)

    @property
    def resident_id(self) -> ResidentId:
        return self.person.resident_id

    def categories_on(self, on: dt.date) -> frozenset[EntitlementCategory]:
        """The categories whose status is held on ``on``."""
        return _active(self.statuses, on)

    def __repr__(self) -> str:
        return (
            f"ServingMember(person={self.person!r}, "
            f"personnel_type={self.service.personnel_type.name}, "
            f"enlisted_from={self.enlisted_from}, categories={_categories(self.statuses)!r})"
        )
