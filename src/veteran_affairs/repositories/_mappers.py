"""Rows ↔ records for the SQL stores (private engine of ``sqlite``, ``postgres``, ``_sql_core``).

Each :class:`Table` knows one aggregate's SQL: its columns, the rows of its child tables,
the ``SELECT`` that reads a record back in one statement, and the ``WHERE`` clauses of its
queries. Records are built straight from column values — persons, ``ServiceStation``,
``PlaqueHousehold``, ``AssistanceCase`` with its history and funding, ``Activity`` and
``ReportSubmission`` — without an intermediate dictionary and without cattrs.

Persons: everything a query or a report filters on — identity, name, sex, birth date, hukou,
death, and the entitlement statuses (a child table) — is a column. The nested parts no query
looks at (a veteran's service record with its awards, disability, circumstances and
sanctions; a survivor's relation, the death and the deceased's number; a serving member's
service and unit of enlistment) stay one compact column, ``detail``, written by a
hand-written codec: nested JSON arrays of field values in a fixed order (see
``person_detail``), never dictionaries. Schema version 3 moved ``detail`` from the cattrs
documents of version 2 to this codec.

Reading back, persons are built with :func:`trusted` constructors: the rows were validated
on their way in, so the attrs validators, converters and ``__attrs_post_init__`` checks are
not run again (and no process-wide switch such as ``attrs.validators.disabled()`` is
touched, so this is safe with threads). Division codes read back are shared (they are few
and immutable). The other aggregates are built with their validating constructors.

Submitted report figures are a child table with a type column (``int`` or ``decimal``) and
the figure's exact text: neither a 30-digit count nor ``Decimal("48000.00")`` loses a digit
or its exponent, and nothing pretends to know which figures are money.

Child collections are read back in the parent's ``SELECT`` with ``json_group_array`` (one
statement, so one consistent snapshot without holding a transaction): those are JSON
arrays of column values, ordered here by ``position``.

Records of registered kinds (``records``) are not split into columns: every kind shares one
table, ``casework_records``, whose statements (``RECORD_*``, :func:`record_where`) are here
too; the record itself is one JSON document.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

from veteran_affairs.errors import InvalidAmount
from veteran_affairs.identity import DivisionCode, ResidentId, Sex
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    Award,
    AwardKind,
    CaseStatus,
    CaseTransition,
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
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
from veteran_affairs.models.people import DeathCategory, Relation
from veteran_affairs.repositories._aggregates import (
    ACTIVITIES,
    CASES,
    HOUSEHOLDS,
    PERSONS,
    REPORTS,
    STATIONS,
    Aggregate,
    Criteria,
    bounds,
    converter,
    utc,
)

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
Rows = list[tuple[Any, ...]]

_date = dt.date.fromisoformat

_FEN = Decimal("0.01")


# Dates are written as ISO text, several per person (birth, service, statuses), and
# ``date.isoformat()`` goes through printf-style formatting (about 0.3 µs a call). A
# population has few distinct dates (about 55,000 days in 150 years), so the text of each is
# remembered: a lookup costs about a third. The table is emptied when it reaches
# _ISO_DAYS_MAX entries, so it never holds more than that.
_ISO_DAYS: dict[dt.date, str] = {}
_ISO_DAYS_MAX = 100_000


def _iso(day: dt.date) -> str:
    """``day.isoformat()`` (remembered, see above)."""
    text = _ISO_DAYS.get(day)
    if text is None:
        if len(_ISO_DAYS) >= _ISO_DAYS_MAX:
            _ISO_DAYS.clear()
        text = _ISO_DAYS[day] = day.isoformat()
    return text


def _day(value: dt.date | None) -> str | None:
    return None if value is None else _iso(value)


def _opt_day(text: str | None) -> dt.date | None:
    return None if text is None else _date(text)


def _members(cls: type[E]) -> Callable[[str], E]:
    """A fast lookup of an enum member by value (``Enum(value)`` is slow)."""
    return {member.value: member for member in cls}.__getitem__


def fen(amount: Decimal | None, field: str) -> int | None:
    """Yuan as whole fen (分); an amount with a fraction of a fen is refused."""
    if amount is None:
        return None
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(
            field, str(amount), "the store keeps whole fen (2 decimal places)", "金额须精确到分"
        )
    return int(scaled)


def yuan(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _ordered(document: str | None) -> list[list[Any]]:
    """The rows of a ``json_group_array`` of ``json_array(position, …)``, in position order."""
    if not document or document == "[]":  # most records have no child rows: nothing to parse
        return []
    rows: list[list[Any]] = json.loads(document)
    rows.sort(key=lambda row: int(row[0]))
    return [row for row in rows if row[0] is not None]


def _children(table: str, parent: str, columns: str) -> str:
    return (
        f"(SELECT json_group_array(json_array(position, {columns})) FROM {table} "
        f"WHERE {table}.{parent} = t.{parent})"
    )


@attrs.frozen(kw_only=True)
class Table:
    """How one aggregate is stored: the main table, its children and its queries."""

    aggregate: Aggregate
    name: str
    key: str
    division: str
    columns: tuple[str, ...]
    children: tuple[str, ...]
    select: str
    row: Callable[[Any], tuple[Any, ...]]
    child_rows: Callable[[Any], list[tuple[str, Rows]]]
    record: Callable[[Sequence[Any]], Any]
    where: Callable[[Criteria], tuple[list[str], list[Any]]]
    order: str = ""
    """``ORDER BY`` of ``find`` (default: the key column)."""

    @property
    def order_by(self) -> str:
        return self.order or f"t.{self.key}"

    @property
    def insert(self) -> str:
        names = ", ".join((*self.columns, "version"))
        marks = ", ".join("?" * (len(self.columns) + 1))
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks})"

    @property
    def insert_new(self) -> str:
        """The ``INSERT`` of a new record: its row (:attr:`row`), at version 1."""
        names = ", ".join((*self.columns, "version"))
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks}, 1)"

    @property
    def key_at(self) -> int:
        """Where the key is in :attr:`row`."""
        return self.columns.index(self.key)

    @property
    def division_at(self) -> int:
        """Where the division code (the scope's column) is in :attr:`row`."""
        return self.columns.index(self.division)

    def clauses(self, scope: DivisionCode | None, criteria: Criteria) -> tuple[str, list[Any]]:
        """``WHERE …`` (or nothing) for the scope and the criteria, with its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for unit in (scope, criteria.within):
            if unit is not None:
                clauses.append(f"t.{self.division} BETWEEN ? AND ?")
                params.extend(bounds(unit))
        more, more_params = self.where(criteria)
        clauses.extend(more)
        params.extend(more_params)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _insert(table: str, columns: str) -> str:
    names = columns.split(", ")
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})"


# --- persons ---------------------------------------------------------------------------------

_PERSON_KIND = {Veteran: "veteran", Survivor: "survivor", ServingMember: "serving-member"}
_PERSON_CLASS: dict[str, type[Veteran | Survivor | ServingMember]] = {
    v: k for k, v in _PERSON_KIND.items()
}
_SEX = _members(Sex)
_HUKOU = _members(HukouType)
_CATEGORY = _members(EntitlementCategory)
_PERSONNEL = _members(PersonnelType)
_NCO = _members(NcoRank)
_DISCHARGE = _members(DischargeMode)
_AWARD = _members(AwardKind)
_NATURE = _members(DisabilityNature)
_SANCTION = _members(SanctionKind)
_RELATION = _members(Relation)
_DEATH = _members(DeathCategory)
_STATUS_INSERT = _insert("person_statuses", "resident_id, position, category, since, until")
_FACTS = tuple(f.name for f in attrs.fields(Circumstances))
_UNKNOWN = Circumstances()
_facts_of = operator.attrgetter(*_FACTS)
_UNKNOWN_FACTS = _facts_of(_UNKNOWN)


def trusted(cls: type[T]) -> Callable[..., T]:
    """A constructor of the attrs class ``cls`` for values the store itself validated.

    It sets the fields (positionally, in declaration order) through their slots: no
    validator, converter or ``__attrs_post_init__`` runs and no global switch is touched
    (``attrs.validators.disabled()`` would be process-wide, so unsafe with threads). Use it
    only for rows read back from the store: every value was validated on its way in.
    """
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cast("type[Any]", cls))
    setters = tuple(cls.__dict__[f.name].__set__ for f in fields)
    new = object.__new__

    def build(*values: Any) -> T:
        made: T = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(made, value)
        return made

    build.__name__ = f"trusted_{cls.__name__}"
    return build


_new_person = trusted(Person)
_new_veteran = trusted(Veteran)
_new_survivor = trusted(Survivor)
_new_serving = trusted(ServingMember)
_new_service = trusted(ServiceRecord)
_new_status = trusted(EntitlementStatus)
_new_award = trusted(Award)
_new_disability = trusted(Disability)
_new_circumstances = trusted(Circumstances)
_new_sanction = trusted(Sanction)
_new_code = trusted(DivisionCode)
_new_id = trusted(ResidentId)
_CODES: dict[str, DivisionCode] = {}


def division_code(text: str) -> DivisionCode:
    """The stored 12-digit ``text`` as a DivisionCode, shared (codes are few, and immutable)."""
    found = _CODES.get(text)
    if found is None:
        if len(_CODES) > 100_000:
            _CODES.clear()
        found = _CODES[text] = _new_code(text)
    return found


def resident_id_of(text: str) -> ResidentId:
    """A stored (so already checked) 18-character identity number as a ResidentId."""
    return _new_id(text, dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14])))


# The detail codec: each nested part of a person is a JSON array of its fields in a fixed
# order (never a dictionary), written as JSON text (below) and read with json.loads. The arrays:
#   veteran        [1, service, disability, circumstances, sanctions]
#   survivor       [1, relation, death_category, deceased_on, deceased_id, circumstances,
#                   sanctions]
#   serving member [1, service, enlisted_from]
#   service        [enlisted_on, personnel_type, discharged_on, nco_rank, discharge_mode,
#                   [[award kind, awarded_on, wartime], ...], combat_participant,
#                   test_participant]
#   disability     null or [grade, nature, assessed_on, mental_disorder]
#   circumstances  null when every fact is unknown, else the 14 facts in declaration order
#   sanctions      [[kind, since, until], ...]
# The leading 1 is the codec's format, so a later change can tell old documents from new.
DETAIL_FORMAT = 1


def _service_of(doc: list[Any]) -> ServiceRecord:
    enlisted, personnel, discharged, nco, mode, awards, combat, test = doc
    return _new_service(
        _date(enlisted),
        _PERSONNEL(personnel),
        _opt_day(discharged),
        None if nco is None else _NCO(nco),
        None if mode is None else _DISCHARGE(mode),
        tuple(_new_award(_AWARD(kind), _date(on), wartime) for kind, on, wartime in awards),
        combat,
        test,
    )


def _circumstances_of(doc: list[Any] | None) -> Circumstances:
    if doc is None:
        return _UNKNOWN
    return _new_circumstances(*doc)


def _sanctions_of(doc: list[Any]) -> tuple[Sanction, ...]:
    return tuple(
        _new_sanction(_SANCTION(kind), _date(since), _opt_day(until)) for kind, since, until in doc
    )


# Writing is on the path of every bulk import, so the detail is formatted as JSON text
# directly, without building lists for the json module (about three times faster at a
# million persons). Every value in it is an ISO date, an enum value, a bool, an int or
# null: none needs escaping, which :func:`_plain_values` checks of every enum used here when
# the module loads, and a test checks that the text equals what ``json.dumps`` writes.
# Enum values are read from ``_value_`` (the attribute behind ``.value``, a documented enum
# name, read without the descriptor).
_LITERAL: dict[bool | None, str] = {None: "null", True: "true", False: "false"}


def _plain_values(*enums: type[enum.Enum]) -> None:
    """Refuse, at import, an enum whose value would need escaping inside a JSON string."""
    for cls in enums:
        for member in cls:
            text = member.value
            if not isinstance(text, str) or any(c in '"\\' or c < " " for c in text):
                raise AssertionError(f"{cls.__name__}.{member.name} cannot be written unescaped")


DETAIL_ENUMS: tuple[type[enum.Enum], ...] = (
    PersonnelType,
    NcoRank,
    DischargeMode,
    AwardKind,
    DisabilityNature,
    SanctionKind,
    Relation,
    DeathCategory,
)
"""The enums whose values the detail codec writes inside JSON strings."""
_plain_values(*DETAIL_ENUMS)


def _opt_date(day: dt.date | None) -> str:
    return "null" if day is None else f'"{_iso(day)}"'


def _opt_enum(member: enum.Enum | None) -> str:
    return "null" if member is None else f'"{member._value_}"'


def _service_text(s: ServiceRecord) -> str:
    awards = s.awards
    listed = (
        ",".join(
            f'["{a.kind._value_}","{_iso(a.awarded_on)}",{_LITERAL[a.wartime]}]' for a in awards
        )
        if awards
        else ""
    )
    return (
        f'["{_iso(s.enlisted_on)}","{s.personnel_type._value_}",'
        f"{_opt_date(s.discharged_on)},{_opt_enum(s.nco_rank)},{_opt_enum(s.discharge_mode)},"
        f"[{listed}],{_LITERAL[s.combat_participant]},{_LITERAL[s.test_participant]}]"
    )


def _circumstances_text(c: Circumstances) -> str:
    facts = _facts_of(c)
    if facts == _UNKNOWN_FACTS:
        return "null"
    return f"[{','.join([_LITERAL[fact] for fact in facts])}]"


def _sanctions_text(sanctions: tuple[Sanction, ...]) -> str:
    if not sanctions:
        return "[]"
    listed = ",".join(
        f'["{s.kind._value_}","{_iso(s.since)}",{_opt_date(s.until)}]' for s in sanctions
    )
    return f"[{listed}]"


def person_detail(value: Veteran | Survivor | ServingMember) -> str:
    """The JSON array of the parts of a person that have no column (see the codec above)."""
    if type(value) is Veteran:
        d = value.disability
        disability = (
            "null"
            if d is None
            else f'[{int(d.grade)},"{d.nature._value_}","{_iso(d.assessed_on)}",'
            f"{_LITERAL[d.mental_disorder]}]"
        )
        return (
            f"[{DETAIL_FORMAT},{_service_text(value.service)},{disability},"
            f"{_circumstances_text(value.circumstances)},{_sanctions_text(value.sanctions)}]"
        )
    if type(value) is Survivor:
        deceased = value.deceased_id
        return (
            f'[{DETAIL_FORMAT},"{value.relation._value_}","{value.death_category._value_}",'
            f'"{_iso(value.deceased_on)}",'
            f"{'null' if deceased is None else chr(34) + deceased.unmasked + chr(34)},"
            f"{_circumstances_text(value.circumstances)},{_sanctions_text(value.sanctions)}]"
        )
    assert type(value) is ServingMember
    return f'[{DETAIL_FORMAT},{_service_text(value.service)},"{value.enlisted_from.value}"]'


def _person_row(value: Veteran | Survivor | ServingMember) -> tuple[Any, ...]:
    p = value.person
    died = p.died_on
    return (
        p.resident_id.unmasked,
        _PERSON_KIND[type(value)],
        p.name,
        p.sex._value_,
        _iso(p.birth_date),
        p.hukou_division.value,
        p.hukou_type._value_,
        p.ethnicity,
        p.phone,
        None if died is None else _iso(died),
        person_detail(value),
    )


def _person_children(value: Veteran | Survivor | ServingMember) -> list[tuple[str, Rows]]:
    statuses = value.statuses
    if not statuses:
        return []
    key = value.person.resident_id.unmasked
    if len(statuses) == 1:  # most persons: no comprehension
        (s,) = statuses
        return [(_STATUS_INSERT, [(key, 0, s.category._value_, _iso(s.since), _day(s.until))])]
    rows = [
        (key, position, s.category._value_, _iso(s.since), _day(s.until))
        for position, s in enumerate(statuses)
    ]
    return [(_STATUS_INSERT, rows)]


def _statuses_of(document: str | None) -> tuple[EntitlementStatus, ...]:
    if not document or document == "[]":
        return ()
    rows: list[list[Any]] = json.loads(document)
    if len(rows) > 1:
        rows.sort(key=lambda row: int(row[0]))
    return tuple(
        _new_status(_CATEGORY(c), _date(since), None if until is None else _date(until))
        for position, c, since, until in rows
        if position is not None
    )


def _person_record(row: Sequence[Any]) -> Veteran | Survivor | ServingMember:
    """A person from its row, built with the trusted constructors (the row was validated)."""
    (rid, kind, name, sex, born, hukou, hukou_type, ethnicity, phone, died, detail) = row[:11]
    person = _new_person(
        resident_id_of(rid),
        name,
        division_code(hukou),
        _HUKOU(hukou_type),
        _SEX(sex),
        _date(born),
        ethnicity,
        phone,
        None if died is None else _date(died),
    )
    statuses = _statuses_of(row[12])
    doc = json.loads(detail)
    if kind == "veteran":
        _, service, d, circumstances, sanctions = doc
        disability = None if d is None else _new_disability(d[0], _NATURE(d[1]), _date(d[2]), d[3])
        return _new_veteran(
            person,
            _service_of(service),
            disability,
            statuses,
            _circumstances_of(circumstances),
            _sanctions_of(sanctions),
        )
    if kind == "survivor":
        _, relation, death, deceased_on, deceased_id, circumstances, sanctions = doc
        return _new_survivor(
            person,
            _RELATION(relation),
            _DEATH(death),
            _date(deceased_on),
            None if deceased_id is None else resident_id_of(deceased_id),
            statuses,
            _circumstances_of(circumstances),
            _sanctions_of(sanctions),
        )
    _, service, enlisted_from = doc
    return _new_serving(person, _service_of(service), division_code(enlisted_from), statuses)


def legacy_detail_to_current(kind: str, document: str) -> str:
    """A ``detail`` written by schema version 2 (cattrs dictionaries) in the current codec.

    Used once, by the migration to schema version 3; the slow converter is fine there.
    """
    cls = _PERSON_CLASS[kind]
    attrs.resolve_types(cls)
    old = json.loads(document)
    structure = converter().structure
    parts = {
        f.name: structure(old[f.name], f.type)
        for f in attrs.fields(cls)
        if f.name not in ("person", "statuses") and f.name in old
    }
    # A placeholder person and no statuses: only the detail fields are re-encoded.
    return person_detail(_new_detail_holder(cls, parts))


def _new_detail_holder(cls: type[Any], parts: dict[str, Any]) -> Any:
    holder = object.__new__(cls)
    for name, value in parts.items():
        cls.__dict__[name].__set__(holder, value)
    return holder


def _person_where(c: Criteria) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if c.person_kind is not None:
        clauses.append("t.kind = ?")
        params.append(_PERSON_KIND.get(c.person_kind, "?"))
    if c.category is not None:
        assert c.on is not None
        on = _iso(c.on)
        clauses.append(
            "t.resident_id IN (SELECT resident_id FROM person_statuses WHERE category = ? "
            "AND since <= ? AND (until IS NULL OR until >= ?))"
        )
        params.extend((c.category.value, on, on))
    return clauses, params


_PERSON_COLUMNS = (
    "resident_id",
    "kind",
    "name",
    "sex",
    "birth_date",
    "hukou_division",
    "hukou_type",
    "ethnicity",
    "phone",
    "died_on",
    "detail",
)
PERSON_TABLE = Table(
    aggregate=PERSONS,
    name="persons",
    key="resident_id",
    division="hukou_division",
    columns=_PERSON_COLUMNS,
    children=("person_statuses",),
    select=(
        f"SELECT {', '.join('t.' + c for c in _PERSON_COLUMNS)}, t.version, "
        f"{_children('person_statuses', 'resident_id', 'category, since, until')} "
        "FROM persons AS t"
    ),
    row=_person_row,
    child_rows=_person_children,
    record=_person_record,
    where=_person_where,
)
PERSON_SUMMARY_SELECT = (
    "SELECT t.resident_id, t.kind, t.name, t.hukou_division, t.birth_date, t.died_on, "
    "t.version FROM persons AS t"
)

# --- households ------------------------------------------------------------------------------

_BASIS = _members(PlaqueBasis)
_REASON = _members(PlaqueRecoveryReason)
_MEMBER_INSERT = _insert("household_members", "household_id, position, resident_id")
_PLAQUE_MEMBER_INSERT = _insert(
    "plaque_members",
    "household_id, position, resident_id, basis, since, died_on, certificate_holder",
)
_DISQUALIFICATION_INSERT = _insert(
    "plaque_disqualifications", "household_id, position, resident_id, kind, on_date, lifted_on"
)


def _household_row(value: PlaqueHousehold) -> tuple[Any, ...]:
    h = value.household
    plaque = h.plaque
    return (
        h.household_id,
        h.hukou_division.value,
        h.head.unmasked,
        None if plaque is None else _iso(plaque.hung_on),
        None if plaque is None else _day(plaque.recovered_on),
        None if plaque is None or plaque.recovery_reason is None else plaque.recovery_reason.value,
        _day(value.applied_on),
    )


def _household_children(value: PlaqueHousehold) -> list[tuple[str, Rows]]:
    key = value.household.household_id
    members = [(key, i, rid.unmasked) for i, rid in enumerate(value.household.members)]
    plaque_members = [
        (
            key,
            i,
            m.resident_id.unmasked,
            m.basis.value,
            _iso(m.since),
            _day(m.died_on),
            m.certificate_holder,
        )
        for i, m in enumerate(value.members)
    ]
    disqualifications = [
        (key, i, d.resident_id.unmasked, d.kind.value, _iso(d.on), _day(d.lifted_on))
        for i, d in enumerate(value.disqualifications)
    ]
    found: list[tuple[str, Rows]] = [
        (_MEMBER_INSERT, members),
        (_PLAQUE_MEMBER_INSERT, plaque_members),
        (_DISQUALIFICATION_INSERT, disqualifications),
    ]
    return [(sql, rows) for sql, rows in found if rows]


def _household_record(row: Sequence[Any]) -> PlaqueHousehold:
    (key, division, head, hung, recovered, reason, applied, _version) = row[:8]
    plaque = None
    if hung is not None:
        plaque = PlaqueRecord(
            hung_on=_date(hung),
            recovered_on=_opt_day(recovered),
            recovery_reason=None if reason is None else _REASON(reason),
        )
    household = Household(
        household_id=key,
        hukou_division=division_code(division),
        head=ResidentId(head),
        members=tuple(ResidentId(rid) for _, rid in _ordered(row[8])),
        plaque=plaque,
    )
    members = tuple(
        PlaqueMember(
            resident_id=ResidentId(rid),
            basis=_BASIS(basis),
            since=_date(since),
            died_on=_opt_day(died),
            certificate_holder=None if holder is None else bool(holder),
        )
        for _, rid, basis, since, died, holder in _ordered(row[9])
    )
    disqualifications = tuple(
        PlaqueDisqualification(
            resident_id=ResidentId(rid),
            kind=_REASON(kind),
            on=_date(on),
            lifted_on=_opt_day(lifted),
        )
        for _, rid, kind, on, lifted in _ordered(row[10])
    )
    return PlaqueHousehold(
        household=household,
        members=members,
        disqualifications=disqualifications,
        applied_on=_opt_day(applied),
    )


def _household_where(c: Criteria) -> tuple[list[str], list[Any]]:
    if c.plaque_on is None:
        return [], []
    on = _iso(c.plaque_on)
    return (
        [
            "t.plaque_hung_on <= ?",
            "(t.plaque_recovered_on IS NULL OR t.plaque_recovered_on > ?)",
        ],
        [on, on],
    )


_HOUSEHOLD_COLUMNS = (
    "household_id",
    "hukou_division",
    "head",
    "plaque_hung_on",
    "plaque_recovered_on",
    "plaque_recovery_reason",
    "applied_on",
)
HOUSEHOLD_TABLE = Table(
    aggregate=HOUSEHOLDS,
    name="households",
    key="household_id",
    division="hukou_division",
    columns=_HOUSEHOLD_COLUMNS,
    children=("household_members", "plaque_members", "plaque_disqualifications"),
    select=(
        f"SELECT {', '.join('t.' + c for c in _HOUSEHOLD_COLUMNS)}, t.version, "
        f"{_children('household_members', 'household_id', 'resident_id')}, "
        f"{_children('plaque_members', 'household_id', 'resident_id, basis, since, died_on, certificate_holder')}, "
        f"{_children('plaque_disqualifications', 'household_id', 'resident_id, kind, on_date, lifted_on')} "
        "FROM households AS t"
    ),
    row=_household_row,
    child_rows=_household_children,
    record=_household_record,
    where=_household_where,
)

# --- stations --------------------------------------------------------------------------------

_STATION_KIND = _members(StationKind)
_STATION_STATUS = _members(StationStatus)


def _station_row(value: ServiceStation) -> tuple[Any, ...]:
    five = value.five_haves
    return (
        value.station_id,
        value.division.value,
        value.kind.value,
        value.name,
        value.status.value,
        _day(value.established_on),
        _day(value.closed_on),
        None if value.office_area_m2 is None else str(value.office_area_m2),
        value.staff,
        five.institution,
        five.establishment,
        five.personnel,
        five.funding,
        five.support,
    )


def _station_record(row: Sequence[Any]) -> ServiceStation:
    (key, division, kind, name, status, established, closed, area, staff) = row[:9]
    institution, establishment, personnel, funding, support = (bool(b) for b in row[9:14])
    return ServiceStation(
        station_id=key,
        division=division_code(division),
        kind=_STATION_KIND(kind),
        name=name,
        status=_STATION_STATUS(status),
        established_on=_opt_day(established),
        closed_on=_opt_day(closed),
        office_area_m2=None if area is None else Decimal(area),
        staff=staff,
        five_haves=FiveHaves(
            institution=institution,
            establishment=establishment,
            personnel=personnel,
            funding=funding,
            support=support,
        ),
    )


def _station_where(c: Criteria) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if c.kind is not None:
        clauses.append("t.kind = ?")
        params.append(c.kind.value)
    if c.status is not None:
        clauses.append("t.status = ?")
        params.append(c.status.value)
    return clauses, params


_STATION_COLUMNS = (
    "station_id",
    "division",
    "kind",
    "name",
    "status",
    "established_on",
    "closed_on",
    "office_area_m2",
    "staff",
    "has_institution",
    "has_establishment",
    "has_personnel",
    "has_funding",
    "has_support",
)
STATION_TABLE = Table(
    aggregate=STATIONS,
    name="stations",
    key="station_id",
    division="division",
    columns=_STATION_COLUMNS,
    children=(),
    select=f"SELECT {', '.join('t.' + c for c in _STATION_COLUMNS)}, t.version FROM stations AS t",
    row=_station_row,
    child_rows=lambda _: [],
    record=_station_record,
    where=_station_where,
)

# --- assistance cases ------------------------------------------------------------------------

_CAUSE = _members(HardshipCause)
_CASE_STATUS = _members(CaseStatus)
_SOURCE = _members(FundingSource)
_HISTORY_INSERT = _insert(
    "case_history", "case_id, position, from_status, to_status, on_date, actor, note"
)
_FUNDING_INSERT = _insert("case_funding", "case_id, position, source, amount_fen")


def _case_row(value: AssistanceCase) -> tuple[Any, ...]:
    return (
        value.case_id,
        value.applicant.unmasked,
        value.division.value,
        value.cause.value,
        _iso(value.incident_on),
        value.status.value,
        _iso(value.applied_on),
        fen(value.requested_amount, "requested_amount"),
        fen(value.approved_amount, "approved_amount"),
    )


def _case_children(value: AssistanceCase) -> list[tuple[str, Rows]]:
    key = value.case_id
    history = [
        (
            key,
            i,
            None if s.from_status is None else s.from_status.value,
            s.to_status.value,
            _iso(s.on),
            s.actor,
            s.note,
        )
        for i, s in enumerate(value.history)
    ]
    funding = [
        (key, i, f.source.value, fen(f.amount, f"funding[{i}].amount"))
        for i, f in enumerate(value.funding)
    ]
    return [
        (sql, rows)
        for sql, rows in ((_HISTORY_INSERT, history), (_FUNDING_INSERT, funding))
        if rows
    ]


def _case_record(row: Sequence[Any]) -> AssistanceCase:
    (key, applicant, division, cause, incident, _status, _applied, requested, approved) = row[:9]
    history = tuple(
        CaseTransition(
            from_status=None if before is None else _CASE_STATUS(before),
            to_status=_CASE_STATUS(after),
            on=_date(on),
            actor=actor,
            note=note,
        )
        for _, before, after, on, actor, note in _ordered(row[10])
    )
    funding = tuple(
        FundingAllocation(source=_SOURCE(source), amount=Decimal(amount).scaleb(-2))
        for _, source, amount in _ordered(row[11])
    )
    return AssistanceCase(
        case_id=key,
        applicant=ResidentId(applicant),
        division=division_code(division),
        cause=_CAUSE(cause),
        incident_on=_date(incident),
        history=history,
        requested_amount=yuan(requested),
        approved_amount=yuan(approved),
        funding=funding,
    )


def _case_where(c: Criteria) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if c.status is not None:
        clauses.append("t.status = ?")
        params.append(c.status.value)
    if c.between is not None:
        clauses.append("t.incident_on BETWEEN ? AND ?")
        params.extend(day.isoformat() for day in c.between)
    return clauses, params


_CASE_COLUMNS = (
    "case_id",
    "applicant",
    "division",
    "cause",
    "incident_on",
    "status",
    "applied_on",
    "requested_fen",
    "approved_fen",
)
CASE_TABLE = Table(
    aggregate=CASES,
    name="cases",
    key="case_id",
    division="division",
    columns=_CASE_COLUMNS,
    children=("case_history", "case_funding"),
    select=(
        f"SELECT {', '.join('t.' + c for c in _CASE_COLUMNS)}, t.version, "
        f"{_children('case_history', 'case_id', 'from_status, to_status, on_date, actor, note')}, "
        f"{_children('case_funding', 'case_id', 'source, amount_fen')} "
        "FROM cases AS t"
    ),
    row=_case_row,
    child_rows=_case_children,
    record=_case_record,
    where=_case_where,
)

# --- activities ------------------------------------------------------------------------------

_ACTIVITY_KIND = _members(ActivityKind)
_CONTACT_INSERT = _insert("activity_contacts", "activity_id, position, resident_id")


def _activity_row(value: Activity) -> tuple[Any, ...]:
    return (
        value.activity_id,
        value.kind.value,
        value.unit.value,
        _iso(value.held_on),
        value.participants,
        value.topic,
        value.for_period,
    )


def _activity_children(value: Activity) -> list[tuple[str, Rows]]:
    rows = [(value.activity_id, i, rid.unmasked) for i, rid in enumerate(value.contacts)]
    return [(_CONTACT_INSERT, rows)] if rows else []


_new_activity = trusted(Activity)


def _activity_record(row: Sequence[Any]) -> Activity:
    # A province's routines are hundreds of thousands of activities, read back whole by every
    # report: they were validated on their way in, so they are rebuilt without validators.
    (key, kind, unit, held, participants, topic, for_period) = row[:7]
    return _new_activity(
        key,
        _ACTIVITY_KIND(kind),
        division_code(unit),
        _date(held),
        tuple(resident_id_of(rid) for _, rid in _ordered(row[8])),
        participants,
        topic,
        for_period,
    )


def _activity_where(c: Criteria) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if c.kind is not None:
        clauses.append("t.kind = ?")
        params.append(c.kind.value)
    if c.between is not None:
        clauses.append("t.held_on BETWEEN ? AND ?")
        params.extend(day.isoformat() for day in c.between)
    if c.for_period is not None:
        clauses.append("t.for_period = ?")
        params.append(c.for_period)
    return clauses, params


_ACTIVITY_COLUMNS = (
    "activity_id",
    "kind",
    "unit",
    "held_on",
    "participants",
    "topic",
    "for_period",
)
ACTIVITY_TABLE = Table(
    aggregate=ACTIVITIES,
    name="activities",
    key="activity_id",
    division="unit",
    columns=_ACTIVITY_COLUMNS,
    children=("activity_contacts",),
    select=(
        f"SELECT {', '.join('t.' + c for c in _ACTIVITY_COLUMNS)}, t.version, "
        f"{_children('activity_contacts', 'activity_id', 'resident_id')} "
        "FROM activities AS t"
    ),
    row=_activity_row,
    child_rows=_activity_children,
    record=_activity_record,
    where=_activity_where,
)


# --- report submissions ----------------------------------------------------------------------

_FIGURE_INSERT = _insert("report_figures", "submission_key, position, figure_key, type, figure")


def _report_row(value: ReportSubmission) -> tuple[Any, ...]:
    return (
        REPORTS.key(value),
        value.unit.value,
        value.kind,
        value.period,
        _iso(value.submitted_on),
    )


def _report_children(value: ReportSubmission) -> list[tuple[str, Rows]]:
    key = REPORTS.key(value)
    rows = [
        (key, i, name, "int" if type(figure) is int else "decimal", str(figure))
        for i, (name, figure) in enumerate(value.figures.items())
    ]
    return [(_FIGURE_INSERT, rows)] if rows else []


def _figure(kind: str, text: str) -> int | Decimal:
    return int(text) if kind == "int" else Decimal(text)


def _report_record(row: Sequence[Any]) -> ReportSubmission:
    (_key, unit, kind, period, submitted_on) = row[:5]
    return ReportSubmission(
        unit=division_code(unit),
        kind=kind,
        period=period,
        figures=[(name, _figure(t, figure)) for _, name, t, figure in _ordered(row[6])],
        submitted_on=_date(submitted_on),
    )


def _report_where(c: Criteria) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if c.report_kind is not None:
        clauses.append("t.kind = ?")
        params.append(c.report_kind)
    if c.period is not None:
        clauses.append("t.period = ?")
        params.append(c.period)
    if c.between is not None:
        clauses.append("t.submitted_on BETWEEN ? AND ?")
        params.extend(day.isoformat() for day in c.between)
    return clauses, params


_REPORT_COLUMNS = ("submission_key", "unit", "kind", "period", "submitted_on")
REPORT_TABLE = Table(
    aggregate=REPORTS,
    name="report_submissions",
    key="submission_key",
    division="unit",
    columns=_REPORT_COLUMNS,
    children=("report_figures",),
    select=(
        f"SELECT {', '.join('t.' + c for c in _REPORT_COLUMNS)}, t.version, "
        f"{_children('report_figures', 'submission_key', 'figure_key, type, figure')} "
        "FROM report_submissions AS t"
    ),
    row=_report_row,
    child_rows=_report_children,
    record=_report_record,
    where=_report_where,
    order="t.unit, t.kind, t.period",
)

TABLES: dict[str, Table] = {
    t.aggregate.entity: t
    for t in (
        PERSON_TABLE,
        HOUSEHOLD_TABLE,
        STATION_TABLE,
        CASE_TABLE,
        ACTIVITY_TABLE,
        REPORT_TABLE,
    )
}


# --- records of registered kinds ---------------------------------------------------------------
# One table for every kind (``records``): the kind, the key, the 12-digit division, the version
# and the record's JSON document, which the store neither splits into columns nor reads
# except to structure it back.

RECORD_TABLE = "casework_records"
RECORD_SELECT = "SELECT t.document, t.version, t.division FROM casework_records AS t"
"""A stored record: its document, version and division (in that order)."""
RECORD_INSERT_NEW = (
    "INSERT INTO casework_records (kind, key, division, version, document) VALUES (?, ?, ?, 1, ?)"
)
"""A bulk import's new record, at version 1: ``(kind, key, division, document)``."""
RECORD_UPDATE = (
    "UPDATE casework_records AS t SET division = ?, version = ?, document = ? "
    "WHERE t.kind = ? AND t.key = ? AND t.version = ?"
)
RECORD_DELETE = "DELETE FROM casework_records AS t WHERE t.kind = ? AND t.key = ? AND t.version = ?"
RECORD_LIVE = (
    "SELECT t.document FROM casework_records AS t WHERE t.kind = ? AND t.key = ? AND t.version = 1"
)


def record_where(
    kind: str, scope: DivisionCode | None, within: DivisionCode | None = None
) -> tuple[str, list[Any]]:
    """`` WHERE t.kind = ?`` and the subtrees of the scope and ``within``, with parameters."""
    clauses = ["t.kind = ?"]
    params: list[Any] = [kind]
    for unit in (scope, within):
        if unit is not None:
            clauses.append("t.division BETWEEN ? AND ?")
            params.extend(bounds(unit))
    return " WHERE " + " AND ".join(clauses), params


def audit_where(
    scope: DivisionCode | None,
    entity: str | None,
    key: object,
    actor: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    *,
    mark: str = "?",
    moment: Callable[[dt.datetime], object] = lambda t: t.isoformat(),
) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause and parameters of an audit-log query, for any SQL store.

    ``mark`` is the driver's placeholder (``?`` for sqlite3, ``%s`` for psycopg) and
    ``moment`` turns a UTC time into the parameter the driver stores (ISO text by default).
    """
    clauses: list[str] = []
    params: list[Any] = []
    if scope is not None:
        clauses.append(f"a.division BETWEEN {mark} AND {mark}")
        params.extend(bounds(scope))
    if entity is not None:
        clauses.append(f"a.entity = {mark}")
        params.append(entity)
    if key is not None:
        clauses.append(f"a.key = {mark}")
        params.append(str(getattr(key, "unmasked", key)))
    if actor is not None:
        clauses.append(f"a.actor = {mark}")
        params.append(actor)
    if since is not None:
        clauses.append(f"a.at >= {mark}")
        params.append(moment(utc(since)))
    if until is not None:
        clauses.append(f"a.at <= {mark}")
        params.append(moment(utc(until)))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
