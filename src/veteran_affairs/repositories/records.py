"""Record kinds (记录类型): any attrs record, stored by every store after one registration.

Besides its six aggregates, a store keeps *records of registered kinds*: the casework
records of :mod:`veteran_affairs.casework` (信访件, 历史遗留问题, 诉求, …) and any attrs class
of your own. A :class:`RecordKind` names the kind and says where a record's key and
division are; :func:`register_record_kind` registers it (once per process, before use), and
every unit of work then offers its repository::

    register_record_kind(RecordKind("petition", Petition, key="petition_id", division="division"))

    with store.unit_of_work(actor="county-clerk") as uow:
        uow.records(Petition).add(petition)          # version 1
        found = uow.records(Petition).read("XF-1")   # the value and its version
        uow.commit()

The repository (:class:`~veteran_affairs.repositories.protocols.RecordRepository`) behaves as
the others do: optimistic versions (:class:`~veteran_affairs.repositories.ConcurrencyError`),
:class:`~veteran_affairs.repositories.AlreadyExists` and
:class:`~veteran_affairs.repositories.NotFound`, an audit entry per committed change (its
``entity`` is the kind's name), scoping by the record's division with the same policy as for
persons (:class:`~veteran_affairs.repositories.HeldOutsideScope`), and ``bulk_add`` takes
records among the other values. ``find(within=..., where=...)`` streams the kind's records in
key order (``where`` is a function of the record, run in Python); ``count`` counts them.

How each store keeps them: the memory store keeps the values; the SQLite and PostgreSQL
stores keep one table, ``casework_records (kind, key, division, version, document)``, whose
``document`` is the JSON of ``veteran_affairs.serialization.make_converter().unstructure``
of the record, structured back on reading (the round trip gives an equal value).

>>> import attrs
>>> from veteran_affairs.identity import DivisionCode
>>> @attrs.frozen(kw_only=True)
... class Visit:
...     visit_id: str
...     unit: DivisionCode
>>> kind = RecordKind("visit", Visit, key="visit_id", division="unit")
>>> visit = Visit(visit_id="V-1", unit=DivisionCode("450312"))
>>> kind.key_of(visit), kind.division_of(visit).value
('V-1', '450312000000')
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from veteran_affairs.errors import InvalidValue
from veteran_affairs.identity import DivisionCode
from veteran_affairs.repositories._aggregates import (
    BY_ENTITY,
    BY_TYPE,
    RECORD_AGGREGATES,
    RECORD_BY_TYPE,
    Aggregate,
    record_matches,
)
from veteran_affairs.repositories._store_errors import UnknownRecordKind

__all__ = [
    "BUILT_IN_RECORD_KINDS",
    "RecordKind",
    "UnknownRecordKind",
    "record_kind",
    "record_kinds",
    "register_record_kind",
]


def __dir__() -> list[str]:
    return __all__


T = TypeVar("T")

_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_NAME_MAX = 40
_KEY_MAX = 200
# Control characters (Cc) and lone surrogates (Cs): no key holds them (PostgreSQL text
# cannot hold NUL, and no UTF-8 encoder takes a lone surrogate).
_NOT_IN_KEYS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _check_name(_: object, __: attrs.Attribute[str], name: object) -> None:
    if not isinstance(name, str) or len(name) > _NAME_MAX or not _NAME.fullmatch(name):
        raise InvalidValue(
            "name",
            name,
            f"a kind's name is lower-case ASCII words joined by - or _, at most {_NAME_MAX} "
            "characters (petition, legacy-case)",
            "记录类型名称应为小写英文单词",
        )
    if name in BY_ENTITY:
        raise InvalidValue(
            "name", name, "is the name of one of the store's own aggregates", "与内置实体重名"
        )


def _check_class(_: object, __: attrs.Attribute[type], cls: object) -> None:
    if not isinstance(cls, type) or not attrs.has(cls):
        raise InvalidValue(
            "cls",
            getattr(cls, "__name__", type(cls).__name__),
            "must be an attrs class",
            "应为 attrs 类",
        )
    if cls in BY_TYPE:
        raise InvalidValue(
            "cls",
            cls.__name__,
            "is stored by one of the store's own aggregates",
            "已由内置实体存储",
        )


def _check_place(instance: Any, attribute: attrs.Attribute[Any], where: object) -> None:
    """``key`` and ``division``: a function of the record, or the name of its attribute."""
    if callable(where):
        return
    cls = instance.cls
    if not isinstance(where, str) or not (where in attrs.fields_dict(cls) or hasattr(cls, where)):
        raise InvalidValue(
            attribute.name,
            where if isinstance(where, str) else type(where).__name__,
            f"must be a function of the record or the name of an attribute of {cls.__name__}",
            "应为函数或属性名",
        )


@attrs.frozen
class RecordKind(Generic[T]):
    """A kind of record a store can keep (记录类型): its name, class, key and division.

    Args:
        name: the kind's stable name, stored with every record and written to the audit
            log as the entity (``"petition"``); lower-case ASCII words joined by ``-`` or
            ``_``, not the name of a built-in aggregate (``"person"``, ``"case"`` …).
            Never rename a kind whose records are stored.
        cls: the attrs class of the records (exactly this class: not a subclass).
        key: the attribute holding the record's key (text), or a function of the record
            returning it. Keys are unique within the kind, nationally (like a case number).
        division: the attribute holding the :class:`~veteran_affairs.identity.DivisionCode`
            the record belongs to (what scoping and ``within`` look at), or a function of
            the record returning it.
        personal_key: the key is personal data (an identity number): error messages and
            the audit log's ``repr`` mask it.
    """

    name: str = attrs.field(validator=_check_name)
    cls: type[T] = attrs.field(validator=_check_class)
    key: str | Callable[[T], str] = attrs.field(kw_only=True, validator=_check_place)
    division: str | Callable[[T], DivisionCode] = attrs.field(kw_only=True, validator=_check_place)
    personal_key: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )

    def key_of(self, record: T) -> str:
        """The record's key: non-blank text of at most 200 characters, no control characters.

        Raises:
            InvalidValue: the key is not such text (the value shown masked).
        """
        key = getattr(record, self.key) if isinstance(self.key, str) else self.key(record)
        if (
            not isinstance(key, str)
            or not key.strip()
            or len(key) > _KEY_MAX
            or _NOT_IN_KEYS.search(key) is not None
        ):
            raise InvalidValue(
                "key",
                key if isinstance(key, str) else type(key).__name__,
                f"a record's key is non-blank text of at most {_KEY_MAX} characters without "
                "control characters",
                "记录键应为不含控制字符的非空文本",
            )
        return key

    def division_of(self, record: T) -> DivisionCode:
        """The unit the record belongs to.

        Raises:
            InvalidValue: it is not a DivisionCode.
        """
        if isinstance(self.division, str):
            division = getattr(record, self.division)
        else:
            division = self.division(record)
        if not isinstance(division, DivisionCode):
            field = self.division if isinstance(self.division, str) else "division"
            raise InvalidValue(
                field,
                type(division).__name__,
                f"a stored {self.name} needs the DivisionCode that scopes it",
                f"存储的{self.name}须有所属行政区划代码",
            )
        return division


_LOCK = threading.Lock()
_KINDS: dict[str, RecordKind[Any]] = {}


def register_record_kind(kind: RecordKind[T]) -> RecordKind[T]:
    """Register ``kind`` so that every store keeps its records; returns the registered kind.

    Registering a kind equal to one already registered does nothing (and returns that one),
    so a module may register its kinds when it is imported. Registration is per process
    and thread-safe; do it before a store is asked for records of the kind.

    Raises:
        InvalidValue: another kind has the name, or the class is registered under another
            name.
    """
    if not isinstance(kind, RecordKind):
        raise TypeError(f"register_record_kind() takes a RecordKind, not {type(kind).__name__}")
    with _LOCK:
        named = _KINDS.get(kind.name)
        if named is not None and named == kind:
            found: RecordKind[T] = named
            return found
        if named is not None:
            raise InvalidValue(
                "name",
                kind.name,
                f"is already the name of the kind of {named.cls.__name__}",
                "记录类型名称已被注册",
            )
        holder = RECORD_BY_TYPE.get(kind.cls)
        if holder is not None:
            raise InvalidValue(
                "cls",
                kind.cls.__name__,
                f"is already registered as the kind {holder.entity!r}",
                "该类已注册为其他记录类型",
            )
        aggregate = Aggregate(
            entity=kind.name,
            types=(kind.cls,),
            key=kind.key_of,
            division=kind.division_of,
            matches=record_matches,
            record=True,
            personal_key=kind.personal_key,
        )
        _KINDS[kind.name] = kind
        RECORD_AGGREGATES[kind.name] = aggregate
        RECORD_BY_TYPE[kind.cls] = aggregate
    return kind


def record_kind(of: type | str) -> RecordKind[Any]:
    """The registered kind of a class, or of a kind's name.

    Raises:
        UnknownRecordKind: none is registered (named by the class name, or the name given).
    """
    if isinstance(of, str):
        found = _KINDS.get(of)
    else:
        holder = RECORD_BY_TYPE.get(of)
        found = None if holder is None else _KINDS.get(holder.entity)
    if found is None:
        raise UnknownRecordKind(of if isinstance(of, str) else getattr(of, "__name__", "?"))
    return found


def record_kinds() -> tuple[RecordKind[Any], ...]:
    """Every registered kind, in the order registered (the built-in kinds first)."""
    with _LOCK:
        return tuple(_KINDS.values())


def _built_in_kinds() -> tuple[RecordKind[Any], ...]:
    # Imported here: the casework models know nothing of stores, and this module is imported
    # by the stores.
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

    def petition_unit(petition: Petition) -> DivisionCode:
        return petition.unit

    def request_unit(request: Request) -> DivisionCode:
        return request.contact.unit

    def transfer_key(transfer: InsuranceTransfer) -> str:
        return f"{transfer.veteran.unmasked}/{transfer.scheme.value}"

    def discharge_key(record: DischargeRecord) -> str:
        return record.veteran.unmasked

    def cadre_key(cadre: VillageCadre) -> str:
        since = cadre.term_from.isoformat()
        return f"{cadre.village.value}/{cadre.role.value}/{since}/{cadre.person.unmasked}"

    return (
        RecordKind("petition", Petition, key="petition_id", division=petition_unit),
        RecordKind("legacy-case", LegacyCase, key="case_id", division="responsible_unit"),
        RecordKind("contact-request", Request, key="request_id", division=request_unit),
        RecordKind(
            "insurance-transfer",
            InsuranceTransfer,
            key=transfer_key,
            division="destination",
            personal_key=True,
        ),
        RecordKind("training-enrolment", TrainingEnrolment, key="enrolment_id", division="unit"),
        RecordKind("employment-record", EmploymentRecord, key="record_id", division="unit"),
        RecordKind(
            "discharge-record",
            DischargeRecord,
            key=discharge_key,
            division="unit",
            personal_key=True,
        ),
        RecordKind("contact-assignment", ContactAssignment, key="assignment_id", division="area"),
        RecordKind("baolian-talk", BaolianTalk, key="talk_id", division="area"),
        RecordKind("reception-session", ReceptionSession, key="session_id", division="unit"),
        RecordKind(
            "village-cadre", VillageCadre, key=cadre_key, division="village", personal_key=True
        ),
    )


BUILT_IN_RECORD_KINDS: tuple[RecordKind[Any], ...] = _built_in_kinds()
"""The library's own record kinds (the casework records), registered when this module is
imported.

| kind | class | key | scoped by |
| --- | --- | --- | --- |
| ``petition`` | :class:`~veteran_affairs.casework.petitions.Petition` | ``petition_id`` | the unit handling it (``Petition.unit``) |
| ``legacy-case`` | :class:`~veteran_affairs.casework.legacy.LegacyCase` | ``case_id`` | ``responsible_unit`` |
| ``contact-request`` | :class:`~veteran_affairs.casework.requests.Request` | ``request_id`` | the contact's unit |
| ``insurance-transfer`` | :class:`~veteran_affairs.casework.discharge.InsuranceTransfer` | identity number / scheme (personal) | ``destination``, which a stored transfer must name |
| ``training-enrolment`` | :class:`~veteran_affairs.casework.discharge.TrainingEnrolment` | ``enrolment_id`` | ``unit``, which a stored enrolment must name |
| ``employment-record`` | :class:`~veteran_affairs.casework.discharge.EmploymentRecord` | ``record_id`` | ``unit`` (required to store) |
| ``discharge-record`` | :class:`~veteran_affairs.casework.discharge.DischargeRecord` | the identity number (personal) | ``unit`` (required to store) |
| ``contact-assignment`` | :class:`~veteran_affairs.casework.leaders.ContactAssignment` | ``assignment_id`` | ``area`` |
| ``baolian-talk`` | :class:`~veteran_affairs.casework.leaders.BaolianTalk` | ``talk_id`` | ``area`` |
| ``reception-session`` | :class:`~veteran_affairs.casework.leaders.ReceptionSession` | ``session_id`` | ``unit`` |
| ``village-cadre`` | :class:`~veteran_affairs.casework.villages.VillageCadre` | village / role / term start / identity number (personal) | ``village`` |

A record whose scoping unit is missing (a transfer without ``destination``, an enrolment
without ``unit``) cannot be stored: ``add`` raises ``InvalidValue`` naming the field.
"""

for _kind in BUILT_IN_RECORD_KINDS:
    register_record_kind(_kind)
