"""The private engine of the columnar (batch) path: codes, columns, validation, shared pieces.

Each rule's columnar twin lives in the rule's own module (``rules/disability_pension.py`` …)
and is registered on its :class:`~veteran_affairs.rules.Rule` as a
:class:`~veteran_affairs.rules._engine.ColumnarRule`; :mod:`veteran_affairs.rules.batch` is
the public face. What the twins share lives here, once: the codes of the coded columns, the
column catalogue and :func:`columns_from`, the validation that collects every column problem,
the sanction and status columns, the calendar table, the parameter epochs, and the record of
the figures a twin reads (:class:`Lookups`), which repeats the per-subject path's errors and
staleness row by row.

This module imports numpy; the rule modules import it only inside their twins, so
``import veteran_affairs.rules`` never needs numpy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from veteran_affairs.errors import (
    InvalidAmount,
    InvalidDivisionCode,
    InvalidValue,
    VeteranAffairsError,
    WrongSubject,
)
from veteran_affairs.identity import DivisionCode
from veteran_affairs.models import (
    AwardKind,
    DeathCategory,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    HukouType,
    PersonnelType,
    Relation,
    Sanction,
    SanctionKind,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.models.circumstances import Circumstances
from veteran_affairs.money import to_fen
from veteran_affairs.parameters import Parameter
from veteran_affairs.rules._engine import ColumnarRule, Evaluation
from veteran_affairs.statutes import PENSIONS_2024

if TYPE_CHECKING:
    from veteran_affairs.rules._engine import RuleBook

Array = npt.NDArray[Any]
T = TypeVar("T")

# --- codes -----------------------------------------------------------------------------------

SUBJECT_KINDS: tuple[type, ...] = (Veteran, Survivor, ServingMember)
"""``subject_kind`` codes: the position in this tuple."""

PERSONNEL_TYPES: tuple[PersonnelType, ...] = (
    PersonnelType.OFFICER,
    PersonnelType.NCO,
    PersonnelType.CONSCRIPT,
)
"""``personnel_type`` codes: the position in this tuple."""

DISCHARGE_MODES: tuple[DischargeMode, ...] = (
    DischargeMode.RETIREMENT,
    DischargeMode.CIVILIAN_TRANSFER,
    DischargeMode.MONTHLY_PAYMENT,
    DischargeMode.DEMOBILISATION,
    DischargeMode.SELF_EMPLOYMENT,
    DischargeMode.ARRANGED_EMPLOYMENT,
    DischargeMode.SUPPORT,
)
"""``discharge_mode`` codes: the position in this tuple; -1 when not recorded."""

DISABILITY_NATURES: tuple[DisabilityNature, ...] = (
    DisabilityNature.IN_COMBAT,
    DisabilityNature.ON_DUTY,
    DisabilityNature.ILLNESS,
)
"""``disability_nature`` codes: the position in this tuple; -1 without a disability."""

AWARD_KINDS: tuple[AwardKind, ...] = (
    AwardKind.MEDAL,
    AwardKind.HONORARY_TITLE,
    AwardKind.FIRST_CLASS_COMBAT_MERIT,
    AwardKind.SECOND_CLASS_COMBAT_MERIT,
    AwardKind.THIRD_CLASS_COMBAT_MERIT,
    AwardKind.FOURTH_CLASS_COMBAT_MERIT,
    AwardKind.FIRST_CLASS_MERIT,
    AwardKind.SECOND_CLASS_MERIT,
    AwardKind.THIRD_CLASS_MERIT,
    AwardKind.FIRST_GRADE_COMMENDATION,
    AwardKind.SECOND_GRADE_COMMENDATION,
)
"""``award_kinds`` bits: bit *i* (value ``1 << i``) stands for ``AWARD_KINDS[i]``."""

HUKOU_TYPES: tuple[HukouType, ...] = (HukouType.RURAL, HukouType.URBAN)
"""``hukou_type`` codes: the position in this tuple."""

RELATIONS: tuple[Relation, ...] = (
    Relation.PARENT,
    Relation.SPOUSE,
    Relation.CHILD,
    Relation.SIBLING,
)
"""``relation`` codes (a survivor's relation to the deceased): the position in this tuple."""

DEATH_CATEGORIES: tuple[DeathCategory, ...] = (
    DeathCategory.MARTYR,
    DeathCategory.DUTY_DEATH,
    DeathCategory.ILLNESS_DEATH,
)
"""``death_category`` codes (how the member died): the position in this tuple."""

STATUS_CATEGORIES: tuple[EntitlementCategory, ...] = (
    EntitlementCategory.SERVING_MEMBER,
    EntitlementCategory.DISABLED_SERVICEMEMBER,
    EntitlementCategory.MARTYR_SURVIVOR,
    EntitlementCategory.DUTY_DEATH_SURVIVOR,
    EntitlementCategory.ILLNESS_DEATH_SURVIVOR,
    EntitlementCategory.MILITARY_FAMILY,
    EntitlementCategory.VETERAN,
    EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
    EntitlementCategory.DISCHARGED_WITH_ILLNESS,
    EntitlementCategory.COMBAT_OR_TEST_VETERAN,
    EntitlementCategory.RURAL_VETERAN_OVER_60,
    EntitlementCategory.ELDERLY_MARTYR_CHILD,
)
"""``status_category`` codes: the position in this tuple; -1 for an empty slot."""

GRADES = 10
NAT = np.iinfo(np.int64).min  # how numpy stores NaT
FIRST_DAY = int(np.datetime64(dt.date.min, "D").astype(np.int64))  # days since 1970-01-01
LAST_DAY = int(np.datetime64(dt.date.max, "D").astype(np.int64))
DAY = dt.timedelta(days=1)
# 开除军籍 stops payments only under the 2024 text (check_sanctions): 《军人抚恤优待条例》(2024)
# 第五十九条, from the day that text came into force.
EXPULSION_STOPS_FROM: dt.date = PENSIONS_2024.in_force
SUSPENDING = frozenset(
    {
        SanctionKind.FIXED_TERM_IMPRISONMENT,
        SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
        SanctionKind.WANTED,
    }
)
_CANCELLING = frozenset({SanctionKind.DEATH_PENALTY, SanctionKind.LIFE_IMPRISONMENT})
_EXPULSION = frozenset({SanctionKind.EXPULSION_FROM_ARMY})


def code_of(kind: type) -> int:
    """The ``subject_kind`` code of a subject type."""
    return SUBJECT_KINDS.index(kind)


# --- the column catalogue --------------------------------------------------------------------

_V, _S, _M = ("Veteran",), ("Survivor",), ("ServingMember",)
_PEOPLE = ("Veteran", "Survivor", "ServingMember")
_TRI = ("no", "yes")  # the codes of a three-valued fact: 0 no, 1 yes, -1 unknown


@attrs.frozen(kw_only=True)
class InputColumn:
    """One input column of the batch path: name, dtype, meaning, codes (批量数据列).

    Attributes:
        name: the column's name.
        dtype: the numpy dtype it is held in (``"int8"``, ``"datetime64[D]"`` …).
        meaning: what it holds, with the Chinese term.
        codes: for a coded column, the value each code stands for, by position.
        none: what stands for "none" or "unknown" (``"NaT"``, ``"-1"``, ``"0"``), if any.
        subjects: the subject types whose rows carry it (``"Veteran"``, ``"Survivor"``,
            ``"ServingMember"``); in a table mixing types, the rows of other types may hold
            anything there.
    """

    name: str
    dtype: str
    meaning: str
    codes: tuple[str, ...] = ()
    none: str = ""
    subjects: tuple[str, ...] = _V


def _catalogue(*columns: InputColumn) -> Mapping[str, InputColumn]:
    return MappingProxyType({column.name: column for column in columns})


def _fact(name: str, meaning: str, subjects: tuple[str, ...] = _S) -> InputColumn:
    return InputColumn(
        name=name,
        dtype="int8",
        meaning=f"{meaning}: 1 yes, 0 no, -1 unknown",
        codes=_TRI,
        none="-1",
        subjects=subjects,
    )


COLUMNS: Mapping[str, InputColumn] = _catalogue(
    InputColumn(
        name="subject_kind",
        dtype="int8",
        meaning="the type of subject of the row (对象类型); optional: without it every row "
        "is of the rule's first subject type",
        codes=tuple(kind.__name__ for kind in SUBJECT_KINDS),
        subjects=_PEOPLE,
    ),
    InputColumn(
        name="personnel_type",
        dtype="int8",
        meaning="personnel type (人员类别), at discharge for a veteran",
        codes=tuple(t.value for t in PERSONNEL_TYPES),
        subjects=("Veteran", "ServingMember"),
    ),
    InputColumn(
        name="discharge_mode",
        dtype="int8",
        meaning="how the person was settled (安置方式)",
        codes=tuple(m.value for m in DISCHARGE_MODES),
        none="-1",
    ),
    InputColumn(
        name="enlisted_on",
        dtype="datetime64[D]",
        meaning="enlistment date (入伍时间)",
        subjects=("Veteran", "ServingMember"),
    ),
    InputColumn(
        name="discharged_on", dtype="datetime64[D]", meaning="discharge date (退出现役时间)"
    ),
    InputColumn(
        name="birth_date",
        dtype="datetime64[D]",
        meaning="date of birth (出生日期)",
        subjects=_PEOPLE,
    ),
    InputColumn(
        name="died_on",
        dtype="datetime64[D]",
        meaning="date of death (死亡日期)",
        none="NaT",
        subjects=_PEOPLE,
    ),
    InputColumn(
        name="hukou_type",
        dtype="int8",
        meaning="household registration type (户口性质)",
        codes=tuple(h.value for h in HUKOU_TYPES),
        subjects=_PEOPLE,
    ),
    InputColumn(
        name="award_kinds",
        dtype="uint16",
        meaning="award kinds held (立功受奖), bit i for AWARD_KINDS[i]",
        codes=tuple(k.value for k in AWARD_KINDS),
        none="0",
    ),
    InputColumn(
        name="disability_grade",
        dtype="int8",
        meaning="disability grade 1 (most severe) to 10 (残疾等级)",
        none="0",
    ),
    InputColumn(
        name="disability_nature",
        dtype="int8",
        meaning="nature of the disability (致残性质)",
        codes=tuple(n.value for n in DISABILITY_NATURES),
        none="-1",
    ),
    InputColumn(
        name="disability_assessed_on",
        dtype="datetime64[D]",
        meaning="date the disability grade was approved (评定残疾等级时间)",
        none="NaT",
    ),
    InputColumn(
        name="mental_disorder",
        dtype="bool",
        meaning="disability assessed for a mental disorder (精神障碍)",
    ),
    InputColumn(
        name="centrally_supported",
        dtype="int8",
        meaning="supported centrally (集中供养): 1 yes, 0 no",
        codes=_TRI,
        none="-1",
    ),
    InputColumn(
        name="combat_participant",
        dtype="bool",
        meaning="took part in combat while serving (参战)",
    ),
    InputColumn(
        name="test_participant",
        dtype="bool",
        meaning="took part in nuclear, missile or satellite tests while serving (参试)",
    ),
    _fact(
        "other_periodic_state_payment",
        "draws another periodic state payment (领取国家其他定期待遇)",
        _V,
    ),
    InputColumn(
        name="relation",
        dtype="int8",
        meaning="a survivor's relation to the deceased member (与牺牲/病故军人关系)",
        codes=tuple(r.value for r in RELATIONS),
        subjects=_S,
    ),
    InputColumn(
        name="death_category",
        dtype="int8",
        meaning="how the member died (烈士、因公牺牲、病故)",
        codes=tuple(c.value for c in DEATH_CATEGORIES),
        subjects=_S,
    ),
    InputColumn(
        name="deceased_on",
        dtype="datetime64[D]",
        meaning="the date the member died (牺牲/病故日期)",
        subjects=_S,
    ),
    _fact("able_to_work", "able to work (有劳动能力)"),
    _fact("has_means_of_support", "has means of support (有生活费来源)"),
    _fact(
        "income_below_local_average",
        "income below the local average standard of living (收入水平低于当地居民平均生活水平)",
    ),
    _fact("in_education", "in education (在校上学)"),
    _fact("disabled", "disabled (残疾)"),
    _fact("supported_by_deceased", "supported by the member while alive (由该军人生前供养)"),
    _fact("has_work_unit", "has a work unit (有工作单位)"),
    InputColumn(
        name="status_category",
        dtype="int8",
        meaning="the category of a status held (优抚身份), by STATUS_CATEGORIES; more slots: "
        "status_category_2, …",
        codes=tuple(c.value for c in STATUS_CATEGORIES),
        none="-1",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="status_since",
        dtype="datetime64[D]",
        meaning="the first day that status is held (确认时间); more slots: status_since_2, …",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="status_until",
        dtype="datetime64[D]",
        meaning="its last day, inclusive (NaT: still held); more slots: status_until_2, …",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="cancelled_from",
        dtype="datetime64[D]",
        meaning="earliest death sentence or life imprisonment (被判处死刑、无期徒刑)",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="expelled_from",
        dtype="datetime64[D]",
        meaning="earliest expulsion from the army (被开除军籍)",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="suspended_from",
        dtype="datetime64[D]",
        meaning="first day of a suspension (有期徒刑、剥夺政治权利、被通缉); more slots: "
        "suspended_from_2, …",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="suspended_until",
        dtype="datetime64[D]",
        meaning="last day of that suspension, inclusive (NaT: open-ended); more slots: "
        "suspended_until_2, …",
        none="NaT",
        subjects=("Veteran", "Survivor"),
    ),
    InputColumn(
        name="enlisted_from",
        dtype="int64",
        meaning="the 12-digit code of the unit a serving member enlisted from (入伍地)",
        subjects=_M,
    ),
)
"""Every input column, by name."""

SANCTION_COLUMNS = ("cancelled_from", "expelled_from", "suspended_from", "suspended_until")
STATUS_COLUMNS = ("status_category", "status_since", "status_until")
_SLOTTED = {
    "suspended_from": ("suspended_from", "suspended_until"),
    "status_category": STATUS_COLUMNS,
}


def slot_names(names: tuple[str, ...], slot: int) -> tuple[str, ...]:
    """The names of slot ``slot`` (1, 2, …) of a group of slotted columns."""
    suffix = "" if slot == 1 else f"_{slot}"
    return tuple(f"{name}{suffix}" for name in names)


def slots(columns: Mapping[str, Any], names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The slots of a group present in ``columns``: the first one, and ``_2`` … while found."""
    found = [slot_names(names, 1)]
    while slot_names(names, len(found) + 1)[0] in columns:
        found.append(slot_names(names, len(found) + 1))
    return found


def base_name(name: str) -> str:
    """The catalogue name of a column: ``suspended_from_2`` → ``suspended_from``."""
    if name[-1].isdigit() and "_" in name:
        base, _, number = name.rpartition("_")
        if number.isdigit() and base in COLUMNS:
            return base
    return name


# --- columns from models ---------------------------------------------------------------------


def _merged_suspensions(sanctions: tuple[Sanction, ...]) -> list[tuple[dt.date, dt.date | None]]:
    """The days suspending sanctions cover, as disjoint intervals in order (None: open)."""
    spans = sorted(
        ((s.since, s.until) for s in sanctions if s.kind in SUSPENDING),
        key=lambda span: span[0],
    )
    merged: list[tuple[dt.date, dt.date | None]] = []
    for since, until in spans:
        if merged:
            start, end = merged[-1]
            if end is None:
                continue  # an open suspension covers everything after it
            if (since - end).days <= 1:  # overlapping or back to back
                merged[-1] = (start, None if until is None else max(end, until))
                continue
        merged.append((since, until))
    return merged


def _earliest(sanctions: tuple[Sanction, ...], kinds: frozenset[SanctionKind]) -> dt.date | None:
    days = [s.since for s in sanctions if s.kind in kinds]
    return min(days) if days else None


def _tri(value: bool | None) -> int:
    return -1 if value is None else int(value)


_SURVIVOR_FACTS = (
    "able_to_work",
    "has_means_of_support",
    "income_below_local_average",
    "in_education",
    "disabled",
    "supported_by_deceased",
    "has_work_unit",
)


def _row(subject: object) -> dict[str, Any]:
    """One subject's values, by column (statuses and suspensions as lists, slotted later)."""
    row: dict[str, Any] = {"subject_kind": SUBJECT_KINDS.index(type(subject))}
    if isinstance(subject, Veteran | Survivor | ServingMember):
        person = subject.person
        row.update(
            birth_date=person.birth_date,
            died_on=person.died_on,
            hukou_type=HUKOU_TYPES.index(person.hukou_type),
        )
    if isinstance(subject, Veteran | ServingMember):
        service = subject.service
        row.update(
            personnel_type=PERSONNEL_TYPES.index(service.personnel_type),
            enlisted_on=service.enlisted_on,
        )
    if isinstance(subject, Veteran | Survivor):
        sanctions = subject.sanctions
        row.update(
            cancelled_from=_earliest(sanctions, _CANCELLING),
            expelled_from=_earliest(sanctions, _EXPULSION),
            suspensions=_merged_suspensions(sanctions),
            statuses=[
                (STATUS_CATEGORIES.index(s.category), s.since, s.until) for s in subject.statuses
            ],
        )
    if isinstance(subject, Veteran):
        service = subject.service
        mode = service.discharge_mode
        mask = 0
        for award in service.awards:
            mask |= 1 << AWARD_KINDS.index(award.kind)
        disability = subject.disability
        circumstances: Circumstances = subject.circumstances
        row.update(
            discharge_mode=-1 if mode is None else DISCHARGE_MODES.index(mode),
            discharged_on=service.discharged_on,
            award_kinds=mask,
            disability_grade=0 if disability is None else disability.grade,
            disability_nature=-1
            if disability is None
            else DISABILITY_NATURES.index(disability.nature),
            disability_assessed_on=None if disability is None else disability.assessed_on,
            mental_disorder=disability is not None and disability.mental_disorder,
            centrally_supported=_tri(circumstances.centrally_supported),
            combat_participant=service.combat_participant,
            test_participant=service.test_participant,
            other_periodic_state_payment=_tri(circumstances.other_periodic_state_payment),
        )
    elif isinstance(subject, Survivor):
        row.update(
            relation=RELATIONS.index(subject.relation),
            death_category=DEATH_CATEGORIES.index(subject.death_category),
            deceased_on=subject.deceased_on,
            **{name: _tri(getattr(subject.circumstances, name)) for name in _SURVIVOR_FACTS},
        )
    elif isinstance(subject, ServingMember):
        row["enlisted_from"] = int(subject.enlisted_from.value)
    else:
        raise InvalidValue(
            "subjects",
            type(subject).__name__,
            "the batch path takes veterans, survivors and serving members",
            "批量计算仅支持退役军人、遗属和现役军人",
        )
    return row


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _days(values: Iterable[dt.date | None]) -> Array:
    """Dates (``None``: NaT) as ``datetime64[D]``, by their ordinals (20 times faster than
    letting numpy convert ``date`` objects)."""
    ordinals = [NAT if day is None else day.toordinal() - _EPOCH for day in values]
    days: Array = np.array(ordinals, dtype=np.int64).view("datetime64[D]")
    return days


def _fill(column: InputColumn) -> Any:
    """What a row of a subject type that lacks ``column`` holds there."""
    if column.dtype == "datetime64[D]":
        return None
    if column.dtype == "bool":
        return False
    return int(column.none) if column.none else -1 if column.dtype != "uint16" else 0


def columns_from(
    subjects: Iterable[Veteran | Survivor | ServingMember], *, types: Iterable[type] = ()
) -> dict[str, Array]:
    """The batch columns (:data:`COLUMNS`) of ``subjects``, in their order.

    Veterans, survivors and serving members each have their columns (``InputColumn.subjects``);
    the result holds ``subject_kind`` and the columns of the subject types present and of
    ``types`` (of veterans when there is neither: name the type of an empty population), a
    row of one type holding the column's "none" value in the columns of another. The columns
    do not depend on any date. Suspensions are merged into disjoint intervals and statuses
    kept one per slot; when some subject has more than one, slots ``suspended_from_2`` …,
    ``status_category_2`` … are added (empty where a subject has fewer).
    """
    rows = [_row(subject) for subject in subjects]
    kinds = {SUBJECT_KINDS[row["subject_kind"]].__name__ for row in rows}
    kinds |= {kind.__name__ for kind in types}
    kinds = kinds or {"Veteran"}
    columns: dict[str, Array] = {}
    slotted = {name for group in _SLOTTED.values() for name in group}
    for name, column in COLUMNS.items():
        if name in slotted or not kinds.intersection(column.subjects):
            continue
        fill = _fill(column)
        values = [row.get(name, fill) for row in rows]
        if column.dtype == "datetime64[D]":
            columns[name] = _days(values)
        else:
            columns[name] = np.array(values, dtype=column.dtype)
    if kinds.intersection(COLUMNS["suspended_from"].subjects):
        spans = [row.get("suspensions", []) for row in rows]
        for slot in range(1, max([1, *map(len, spans)]) + 1):
            start, end = slot_names(_SLOTTED["suspended_from"], slot)
            picked = [span[slot - 1] if slot <= len(span) else (None, None) for span in spans]
            columns[start] = _days(p[0] for p in picked)
            columns[end] = _days(p[1] for p in picked)
    if kinds.intersection(COLUMNS["status_category"].subjects):
        held = [row.get("statuses", []) for row in rows]
        for slot in range(1, max([1, *map(len, held)]) + 1):
            category, since, until = slot_names(STATUS_COLUMNS, slot)
            held_slot: list[tuple[Any, ...]] = [
                h[slot - 1] if slot <= len(h) else (-1, None, None) for h in held
            ]
            columns[category] = np.array([p[0] for p in held_slot], dtype=np.int8)
            columns[since] = _days(p[1] for p in held_slot)
            columns[until] = _days(p[2] for p in held_slot)
    return columns


# --- validation ------------------------------------------------------------------------------


class Problems:
    """Column problems, collected and raised as one group with the rows in notes."""

    def __init__(self) -> None:
        self.errors: list[InvalidValue] = []

    def add(self, field: str, value: str, reason: str, reason_zh: str, rows: Array) -> None:
        error = InvalidValue(field, value, reason, reason_zh)
        if rows.size:
            shown = ", ".join(str(int(row)) for row in rows[:10])
            more = f" and {rows.size - 10} more" if rows.size > 10 else ""
            error.add_note(f"rows {shown}{more} (行号从0起)")
        self.errors.append(error)

    def where(self, field: str, bad: Array, reason: str, reason_zh: str) -> None:
        if bad.any():
            rows = np.flatnonzero(bad)
            self.add(field, f"{rows.size} rows", reason, reason_zh, rows)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ExceptionGroup("the batch columns are invalid (批量数据列无效)", self.errors)


NO_ROWS = np.empty(0, dtype=np.intp)
_INTEGER_RANGES: Mapping[str, tuple[int, int, type[np.integer[Any]]]] = {
    "subject_kind": (0, len(SUBJECT_KINDS) - 1, np.int8),
    "personnel_type": (0, len(PERSONNEL_TYPES) - 1, np.int8),
    "discharge_mode": (-1, len(DISCHARGE_MODES) - 1, np.int8),
    "award_kinds": (0, (1 << len(AWARD_KINDS)) - 1, np.uint16),
    "disability_grade": (0, GRADES, np.int8),
    "disability_nature": (-1, len(DISABILITY_NATURES) - 1, np.int8),
    "centrally_supported": (-1, 1, np.int8),
    "hukou_type": (0, len(HUKOU_TYPES) - 1, np.int8),
    "relation": (0, len(RELATIONS) - 1, np.int8),
    "death_category": (0, len(DEATH_CATEGORIES) - 1, np.int8),
    "status_category": (-1, len(STATUS_CATEGORIES) - 1, np.int8),
    "enlisted_from": (100_000_000_000, 999_999_999_999, np.int64),
    "other_periodic_state_payment": (-1, 1, np.int8),
    **dict.fromkeys(_SURVIVOR_FACTS, (-1, 1, np.int8)),
}
_REQUIRED_DATES = ("enlisted_on", "discharged_on", "birth_date", "deceased_on")


def _masked(bad: Array, rows: Array | None) -> Array:
    return bad if rows is None else bad & rows


def _convert(name: str, raw: Any, problems: Problems, rows: Array | None) -> Array | None:
    """``raw`` as the column's dtype; codes out of range (on ``rows``) are problems."""
    array = np.asarray(raw)
    column = COLUMNS[base_name(name)]
    if array.ndim != 1:
        problems.add(
            name, f"{array.ndim} dimensions", "must be one-dimensional", "应为一维数组", NO_ROWS
        )
        return None
    if column.dtype == "datetime64[D]":
        if array.dtype.kind != "M":
            problems.add(name, str(array.dtype), "must be datetime64", "应为日期类型", NO_ROWS)
            return None
        return array.astype("datetime64[D]", copy=False)
    if column.dtype == "bool":
        if array.dtype.kind != "b":
            problems.add(name, str(array.dtype), "must be bool", "应为布尔类型", NO_ROWS)
            return None
        return array
    if array.dtype.kind not in "iu":
        problems.add(name, str(array.dtype), "must be integer codes", "应为整数代码", NO_ROWS)
        return None
    low, high, dtype = _INTEGER_RANGES[base_name(name)]
    if array.size and (int(array.min()) < low or int(array.max()) > high):
        wide = array.astype(np.int64)
        bad = _masked((wide < low) | (wide > high), rows)
        if bad.any():
            problems.where(
                name, bad, f"codes must lie in {low}..{high}", f"代码应在{low}至{high}之间"
            )
        array = np.where(bad, 0, array)  # converted only where the codes are sound
    return array.astype(dtype, copy=False)


def is_nat(days: Array) -> Array:
    missing: Array = days.view(np.int64) == NAT
    return missing


def _check_dates(
    data: Mapping[str, Array], rows: Mapping[str, Array | None], problems: Problems
) -> None:
    """Dates a row needs are present and within the calendar; enlistment precedes discharge.

    Other dates are checked against the calendar where a twin turns them into ``date``
    values (see :func:`in_calendar`).
    """
    usable = True
    for name in _REQUIRED_DATES:
        if name not in data or not data[name].size:
            continue
        ints = data[name].view(np.int64)
        mask = rows.get(name)
        low = ints.min() if mask is None else ints[mask].min(initial=LAST_DAY)
        if low == NAT:
            bad = _masked(ints == NAT, mask)
            problems.where(name, bad, "a date is needed", "缺少日期")
            usable = False
        high = ints.max() if mask is None else ints[mask].max(initial=FIRST_DAY)
        if (low != NAT and low < FIRST_DAY) or high > LAST_DAY:
            outside = _masked((ints != NAT) & ((ints < FIRST_DAY) | (ints > LAST_DAY)), mask)
            problems.where(name, outside, "dates lie from 0001-01-01 to 9999-12-31", "日期超出范围")
            usable = False
    if "enlisted_on" in data and "discharged_on" in data and usable:
        enlisted, discharged = data["enlisted_on"], data["discharged_on"]
        wrong = enlisted.view(np.int64) >= discharged.view(np.int64)
        if wrong.any():
            problems.where(
                "enlisted_on",
                _masked(wrong, rows.get("discharged_on")),
                "enlistment must come before the discharge",
                "入伍时间应早于退役时间",
            )


def _check_disability(data: Mapping[str, Array], rows: Array | None, problems: Problems) -> None:
    disabled = _masked(data["disability_grade"] > 0, rows)
    no_nature = disabled & (data["disability_nature"] < 0)
    if no_nature.any():
        problems.where(
            "disability_nature", no_nature, "a disability needs a nature", "有残疾等级须有致残性质"
        )
    undated = disabled & is_nat(data["disability_assessed_on"])
    if undated.any():
        problems.where(
            "disability_assessed_on",
            undated,
            "a disability needs its approval date",
            "有残疾等级须有评定时间",
        )


def _check_slots(
    data: Mapping[str, Array], rows: Mapping[str, Array | None], problems: Problems
) -> None:
    if "suspended_from" in data:
        mask = rows["suspended_from"]
        for start, end in slots(data, _SLOTTED["suspended_from"]):
            dangling = _masked(is_nat(data[start]) & ~is_nat(data[end]), mask)
            if dangling.any():
                problems.where(end, dangling, "an end without a start", "有结束日期而无开始日期")
            backwards = _masked(data[end] < data[start], mask)  # NaT compares False
            if backwards.any():
                problems.where(end, backwards, "ends before it starts", "结束早于开始")
    if "status_category" in data:
        mask = rows["status_category"]
        for category, since, until in slots(data, STATUS_COLUMNS):
            undated = _masked((data[category] >= 0) & is_nat(data[since]), mask)
            if undated.any():
                problems.where(since, undated, "a status needs its start", "优抚身份缺少起始日期")
            backwards = _masked(data[until] < data[since], mask)
            if backwards.any():
                problems.where(until, backwards, "ends before it starts", "结束早于开始")


def _check_units(data: Mapping[str, Array], rows: Array | None, problems: Problems) -> None:
    """The units of enlistment: valid codes at county level or below (as ServingMember)."""
    codes = data["enlisted_from"] if rows is None else data["enlisted_from"][rows]
    bad: list[int] = []
    for value in np.unique(codes).tolist():
        try:
            code = DivisionCode(f"{value:012d}")
        except InvalidDivisionCode:
            bad.append(value)
            continue
        if code.level.digits < 6:  # above county level
            bad.append(value)
    if bad:
        wrong = _masked(np.isin(data["enlisted_from"], bad), rows)
        problems.where(
            "enlisted_from",
            wrong,
            "must be a valid division code at county level or below",
            "应为县级及以下有效行政区划代码",
        )


def validated(twin: ColumnarRule, columns: Mapping[str, Any]) -> dict[str, Array]:
    """The columns ``twin`` reads, converted to their dtypes, or every problem at once.

    Which columns are needed depends on the subject types present (``subject_kind``;
    without it, every row is of the twin's first type). A row of a type the rule does not
    decide on raises :class:`~veteran_affairs.errors.WrongSubject` for the first such row.
    Checks run as reductions (a minimum, a maximum, an ``any``); the rows are found only
    when something is wrong. A twin deciding several types also gets ``subject_kind``.
    """
    problems = Problems()
    kinds: Array | None = None
    present: list[type] = [twin.subjects[0]]
    if "subject_kind" in columns:
        kinds = _convert("subject_kind", columns["subject_kind"], problems, None)
        problems.raise_if_any()
        assert kinds is not None
        counts = np.bincount(kinds, minlength=len(SUBJECT_KINDS))
        present = [kind for kind, count in zip(SUBJECT_KINDS, counts, strict=True) if count]
        strange = [kind for kind in present if kind not in twin.subjects]
        if strange:
            codes = [code_of(kind) for kind in strange]
            row = first(np.isin(kinds, codes))
            expected = " or ".join(kind.__name__ for kind in twin.subjects)
            raise WrongSubject(twin.name, SUBJECT_KINDS[kinds[row]].__name__, expected)
        present = present or [twin.subjects[0]]
    names = [n for n in twin.reads if any(n in twin.reads_by_subject[k] for k in present)]
    rows: dict[str, Array | None] = dict.fromkeys(names)
    if kinds is not None and len(present) > 1:
        for name in names:
            readers = [k for k in present if name in twin.reads_by_subject[k]]
            if len(readers) < len(present):
                rows[name] = np.isin(kinds, [code_of(k) for k in readers])
    for first_name, group in _SLOTTED.items():
        if first_name in rows:
            for more in slots(columns, group)[1:]:
                rows.update(dict.fromkeys(more, rows[first_name]))
    data: dict[str, Array] = {}
    for name, mask in rows.items():
        if name not in columns:
            problems.add(
                name, "missing", f"the column is needed by {twin.name}", "缺少该列", NO_ROWS
            )
            continue
        converted = _convert(name, columns[name], problems, mask)
        if converted is not None:
            data[name] = converted
    lengths = {name: len(array) for name, array in data.items()}
    if kinds is not None:
        lengths["subject_kind"] = len(kinds)
    if len(set(lengths.values())) > 1:
        text = ", ".join(f"{name}={size}" for name, size in lengths.items())
        problems.add(
            "columns", text, "all columns must have the same length", "各列长度应相同", NO_ROWS
        )
    if len(data) < len(rows) or len(set(lengths.values())) > 1:
        problems.raise_if_any()  # the checks across columns need every column, aligned
    _check_dates(data, rows, problems)
    if "disability_grade" in data:
        _check_disability(data, rows["disability_grade"], problems)
    _check_slots(data, rows, problems)
    if "enlisted_from" in data and data["enlisted_from"].size:
        _check_units(data, rows["enlisted_from"], problems)
    problems.raise_if_any()
    if len(twin.subjects) > 1:
        size = len(next(iter(data.values()))) if data else 0
        data["subject_kind"] = (
            np.full(size, code_of(twin.subjects[0]), dtype=np.int8) if kinds is None else kinds
        )
    return data


def in_calendar(days: Array, name: str) -> None:
    """Raise one group naming the rows whose dates lie outside ``date``'s range (NaT aside)."""
    ints = days.view(np.int64)
    outside = (ints != NAT) & ((ints < FIRST_DAY) | (ints > LAST_DAY))
    if outside.any():
        problems = Problems()
        problems.where(name, outside, "dates lie from 0001-01-01 to 9999-12-31", "日期超出范围")
        problems.raise_if_any()


# --- shared pieces ---------------------------------------------------------------------------


def as_date(day: Any) -> dt.date:
    value = np.datetime64(day, "D").item()
    assert isinstance(value, dt.date)
    return value


def first(mask: Array) -> int:
    return int(np.argmax(mask))


def fen(amount: Decimal, field: str) -> int:
    return to_fen(amount, field=field)


def payments_stopped(data: Mapping[str, Array], on: dt.date) -> Array:
    """Whether a sanction stops periodic payments on ``on`` (as ``check_sanctions``).

    Sanctions are rare: the rows with any sanction date are found first (one cheap
    comparison per column), and only they are compared with the date.
    """
    day = np.datetime64(on, "D")
    expelled = on >= EXPULSION_STOPS_FROM
    suspensions = slots(data, _SLOTTED["suspended_from"])
    starts = ["cancelled_from", *(["expelled_from"] if expelled else [])]
    starts += [start for start, _ in suspensions]
    size = len(data["cancelled_from"])
    marked = data[starts[0]].view(np.int64) != NAT
    for name in starts[1:]:
        marked |= data[name].view(np.int64) != NAT
    rows = np.flatnonzero(marked)
    if rows.size > size // 8:  # many sanctions: compare every row
        rows = np.arange(size)
    cut = {name: data[name].take(rows) for name in (*starts, *(end for _, end in suspensions))}
    found: Array = cut["cancelled_from"] <= day  # NaT compares False
    if expelled:
        found |= cut["expelled_from"] <= day
    for start, end in suspensions:
        found |= (cut[start] <= day) & (is_nat(cut[end]) | (cut[end] >= day))
    if rows.size == size:
        return found
    stopped = np.zeros(size, dtype=np.bool_)
    stopped[rows] = found
    return stopped


def sanctioned_on(data: Mapping[str, Array], days: Array) -> Array:
    """Whether any sanction is in effect on each row's own day (``Sanction.in_effect_on``).

    Unlike :func:`payments_stopped`, an expulsion counts on every date: this is the fact
    "a sanction was in effect", used for what was being paid at a death.
    """
    stopped: Array = (data["cancelled_from"] <= days) | (data["expelled_from"] <= days)
    for start, end in slots(data, _SLOTTED["suspended_from"]):
        stopped |= (data[start] <= days) & (is_nat(data[end]) | (data[end] >= days))
    return stopped


def status_held(
    data: Mapping[str, Array],
    category: int | Array,
    on: dt.date,
    *,
    from_month: bool = False,
) -> Array:
    """Whether a status of ``category`` (a code, or one per row) is held on ``on``.

    ``EntitlementStatus.active_on``: from ``since`` to ``until`` inclusive. With
    ``from_month``, a status counts from the first day of the month of its ``since``
    (paid from the month of approval).
    """
    day = np.datetime64(on, "D")
    start = (np.datetime64(on, "M") + 1).astype("datetime64[D]") if from_month else day + 1
    held: Array | None = None
    for name, since, until in slots(data, STATUS_COLUMNS):
        this = (data[name] == category) & (data[since] < start)
        this &= is_nat(data[until]) | (data[until] >= day)
        held = this if held is None else held | this
    assert held is not None
    return held


def status_held_each(data: Mapping[str, Array], category: int, days: Array) -> Array:
    """Whether a status of ``category`` is held on each row's own day (NaT: not held)."""
    held: Array | None = None
    for name, since, until in slots(data, STATUS_COLUMNS):
        this = (data[name] == category) & (data[since] <= days)
        this &= is_nat(data[until]) | (data[until] >= days)
        held = this if held is None else held | this
    assert held is not None
    return held


def cutoff_birth(on: dt.date, age: int) -> np.datetime64:
    """The last birth date of someone aged ``age`` or more on ``on`` (``Person.age_on``).

    A birthday on 29 February falls on 1 March in other years, so on 28 February of a
    year without one, those born on 29 February are not yet a year older.
    """
    year = on.year - age
    try:
        last = dt.date(year, on.month, on.day)
    except ValueError:  # on is 29 February, and that year has none
        last = dt.date(year, 2, 28)
    return np.datetime64(last, "D")


# Three-valued facts as small integers: 0 false, 1 unknown, 2 true. Kleene's "and" is the
# minimum, "or" the maximum and "not" 2 − x, as the per-subject path combines facts.
FALSE, UNKNOWN, TRUE = 0, 1, 2


def tri(column: Array) -> Array:
    """A fact column (1 yes, 0 no, -1 unknown) as three-valued codes."""
    values: Array = np.where(column < 0, UNKNOWN, column * 2).astype(np.int8)
    return values


def known(mask: Array) -> Array:
    """A fact that is known, as three-valued codes."""
    values: Array = np.where(mask, TRUE, FALSE).astype(np.int8)
    return values


def tri_not(value: Array) -> Array:
    result: Array = (TRUE - value).astype(np.int8)
    return result


def tri_and(*values: Array) -> Array:
    result: Array = np.minimum.reduce(values)
    return result


def tri_or(*values: Array) -> Array:
    result: Array = np.maximum.reduce(values)
    return result


def breakpoints(parameters: Iterable[Parameter]) -> Array:
    """Every day on which a lookup of these parameters may change its result."""
    days: set[dt.date] = set()
    for parameter in parameters:
        ends = [v.known_until for v in parameter.versions if v.known_until is not None]
        if parameter.confirmed_through is not None:
            ends.append(parameter.confirmed_through)
        days.update(v.effective_from for v in parameter.versions)
        days.update(end + DAY for end in ends if end < dt.date.max)
    return np.array(sorted(days), dtype="datetime64[D]")


class Calendar:
    """Calendar fields of every day from the earliest date to the latest one, as tables.

    Rows look their fields up by their offset from the first day, instead of each being
    cast to a month (numpy's datetime casts cost tens of times a comparison).
    """

    def __init__(self, *columns: Array) -> None:
        first_day = min(column.min() for column in columns)
        last = max(column.max() for column in columns)
        self.days = np.arange(first_day, last + 1, dtype="datetime64[D]")
        months = self.days.astype("datetime64[M]")
        self.first = first_day
        # int32 is plenty (months since 1970-01, days of a month) and halves the traffic.
        self.month = months.astype(np.int32)
        self.day = (self.days - months.astype("datetime64[D]")).astype(np.int32)  # 0-based
        self.month_before = int(self.month[0]) - 1
        edges = np.arange(self.month_before, int(self.month[-1]) + 2).astype("datetime64[M]")
        self.length = np.diff(edges.astype("datetime64[D]")).astype(np.int32)

    def offset(self, dates: Array) -> Array:
        offsets: Array = (dates - self.first).view(np.int64)
        return offsets

    def service(self, enlisted: Array, discharged: Array) -> tuple[Array, Array]:
        """Whole calendar months and remaining days, as ``relativedelta`` counts them.

        The months are the most whole months that, added to the enlistment date (a day past
        the end of a shorter month becoming its last day), do not pass the discharge date;
        the days are what is left.
        """
        start, end = self.offset(enlisted), self.offset(discharged)
        first_month, start_day = self.month.take(start), self.day.take(start)
        last_month, end_day = self.month.take(end), self.day.take(end)
        length = self.length.take(last_month - self.month_before)
        landing = np.minimum(start_day, length - 1)  # the same day in the discharge month
        overshoot = landing > end_day
        previous = self.length.take(last_month - 1 - self.month_before)
        days = np.where(
            overshoot, end_day + previous - np.minimum(start_day, previous - 1), end_day - landing
        )
        return last_month - first_month - overshoot, days

    def year_month_day(self, dates: Array) -> tuple[Array, Array, Array]:
        """The calendar year, month (1–12) and day (1–31) of each date."""
        offsets = self.offset(dates)
        months = self.month.take(offsets)
        return months // 12 + 1970, months % 12 + 1, self.day.take(offsets) + 1


# --- the figures a twin reads ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Figure(Generic[T]):
    """What one reading of the rule's figures gave: a value, or the error it raised.

    ``stale``: the reading used a figure past the date it is confirmed for (a book that
    allows stale figures), as :attr:`Decision.stale <veteran_affairs.rules.Decision.stale>`.
    """

    value: T | None = None
    error: VeteranAffairsError | None = None
    stale: bool = False


def read(book: RuleBook, rule: str, on: dt.date, reading: Callable[[Evaluation], T]) -> Figure[T]:
    """Run ``reading`` — the per-subject path's own lookups — on a scratch evaluation.

    The error it raises and whether it used a stale figure are exactly what a decision making
    the same lookups would raise or record: the twin repeats them, it does not imitate them.
    """
    evaluation = Evaluation(
        book.rule(rule), None, on, book.parameters, allow_stale=book.allow_stale
    )
    try:
        value = reading(evaluation)
    except VeteranAffairsError as error:
        return Figure(error=error)
    return Figure(value=value, stale=evaluation.decide(eligible=None).stale)


@attrs.frozen(kw_only=True)
class _Step:
    rows: Array  # the rows that make this reading (if every earlier reading succeeded)
    cell: Array | None  # each row's figure, or None for one figure
    figures: tuple[Figure[Any], ...]
    failed: Array  # by figure
    stale: Array  # by figure


class Lookups:
    """The readings of a twin, in the order one row makes them: errors and staleness.

    A row raises the error of the first reading it makes that fails; a batch raises what the
    first such row raises, as the per-subject path deciding the rows in order does. A row
    is stale when a reading it makes used a stale figure.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._steps: list[_Step] = []

    def add(
        self, rows: Array, figures: Figure[Any] | Sequence[Figure[Any]], cell: Array | None = None
    ) -> None:
        """A reading made by ``rows``: one figure, or one per cell (``cell``: each row's)."""
        many = (figures,) if isinstance(figures, Figure) else tuple(figures)
        failed = np.array([f.error is not None for f in many], dtype=np.bool_)
        stale = np.array([f.stale for f in many], dtype=np.bool_)
        if rows.any():
            if cell is not None:
                cell = np.where(rows, cell, 0)  # rows that make no reading have no cell
            self._steps.append(
                _Step(rows=rows, cell=cell, figures=many, failed=failed, stale=stale)
            )

    def _hits(self, step: _Step, table: Array) -> Array:
        if step.cell is None:
            hit: Array = step.rows if table[0] else np.zeros(self.size, dtype=np.bool_)
            return hit
        found: Array = step.rows & table.take(step.cell)
        return found

    def raise_first(self) -> None:
        """Raise what the first row that meets a failing reading raises, if any does."""
        row = self.size
        for step in self._steps:
            if step.failed.any():
                bad = self._hits(step, step.failed)
                if bad.any():
                    row = min(row, first(bad))
        if row == self.size:
            return
        for step in self._steps:
            index = 0 if step.cell is None else int(step.cell[row])
            if step.rows[row] and step.failed[index]:
                error = step.figures[index].error
                assert error is not None
                raise error

    def stale(self) -> Array:
        """Whether each row made a reading that used a stale figure."""
        stale = np.zeros(self.size, dtype=np.bool_)
        for step in self._steps:
            if step.stale.any():
                stale |= self._hits(step, step.stale)
        return stale


def by_day(
    parameters: Iterable[Parameter], days: Array, rows: Array
) -> tuple[Array, list[tuple[int, dt.date]]]:
    """Each row's *epoch* — a stretch of days over which no lookup of ``parameters`` changes
    (cut at every version's ``effective_from``, the day after a ``known_until`` and after a
    ``confirmed_through``) — and a day of each epoch met by ``rows``.

    A reading on that day gives what it gives on any day of the epoch but the date in an
    error message (repeat the reading on the row's own day to raise).
    """
    cuts = breakpoints(parameters)
    epoch = np.searchsorted(cuts, days, side="right")
    met = np.flatnonzero(np.bincount(epoch[rows], minlength=len(cuts) + 1))
    chosen: list[tuple[int, dt.date]] = []
    for index in met.tolist():
        day = cuts[index - 1] if index else days[first(rows & (epoch == 0))]
        chosen.append((index, as_date(day)))
    return epoch, chosen


def fen_table(
    amounts: Sequence[Decimal | None], key: str, paths: Sequence[str]
) -> tuple[Array, list[InvalidAmount | None]]:
    """Amounts in whole fen (0 where unknown), and for each the error paying it raises.

    The batch path pays whole fen: an amount with a part smaller than a fen (possible only
    in user-supplied figures) raises :class:`~veteran_affairs.errors.InvalidAmount` for the
    rows that would be paid it.
    """
    table = np.zeros(len(amounts), dtype=np.int64)
    errors: list[InvalidAmount | None] = []
    for index, amount in enumerate(amounts):
        errors.append(None)
        if amount is None:
            continue
        try:
            table[index] = fen(amount, key)
        except InvalidAmount:
            errors[-1] = InvalidAmount(
                f"{key}/{paths[index]}" if paths[index] else key,
                "a part smaller than a fen",
                "the batch path pays whole fen; supply the standard in whole fen",
                "批量计算须以分为单位",
            )
    return table, errors
