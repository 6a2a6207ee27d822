"""A natural person as the registers hold them (人员基本信息)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs.errors import InconsistentRecord, InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId, Sex, mask_name, mask_phone
from veteran_affairs.models._validate import instance_of, optional, past_date, text

__all__ = ["HukouType", "Person"]


class HukouType(enum.Enum):
    """Household registration type (户口性质)."""

    RURAL = "rural"  # 农村（农业）户口
    URBAN = "urban"  # 城镇（非农业）户口

    @property
    def label_zh(self) -> str:
        return {"rural": "农村户口", "urban": "城镇户口"}[self.value]


def _phone(_instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    text(max_length=20, personal=True)(_instance, attribute, value)
    allowed = set("0123456789+- ")
    if not set(value) <= allowed or sum(c.isdigit() for c in value) < 5:
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
