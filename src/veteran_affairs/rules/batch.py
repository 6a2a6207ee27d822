"""The batch path of the rules: whole populations as columns of numpy arrays (批量计算).

Every rule has two paths (STYLE.md, "Rules as law"): the per-subject path
(:meth:`RuleBook.evaluate <veteran_affairs.rules.RuleBook.evaluate>`), which explains itself
condition by condition, and this one, which decides a million people at once over columns
and explains nothing. A property test (``tests/property/test_batch_agrees.py``) proves that
the two agree row by row: eligibility, amount and monthly amount to the fen, and the errors
raised. Rules covered (:data:`BATCH_RULES`): ``disability_pension`` (残疾抚恤金, with the
nursing allowance 护理费) and ``one_off_retirement_payment`` (一次性退役金).

This module needs numpy (the ``batch`` extra: ``pip install 'veteran_affairs[batch]'``);
``import veteran_affairs`` never imports it.

Columns
=======

One array per column, all of the same length, one row per veteran. Build them from models
with :func:`columns_from`, or directly from a table (a pandas DataFrame, Parquet, a
database extract) following :data:`COLUMNS`, which gives every column's dtype, meaning and
codes. Columns never depend on the evaluation date, so one set serves every date.

==========================  ================  ===============================================
column                      dtype             meaning and codes
==========================  ================  ===============================================
``personnel_type``          int8              0 officer 军官, 1 NCO 军士, 2 conscript 义务兵
``discharge_mode``          int8              -1 not recorded; 0 退休, 1 转业, 2 逐月领取退役金,
                                              3 复员, 4 自主就业, 5 安排工作, 6 供养
``enlisted_on``             datetime64[D]     enlistment date (入伍)
``discharged_on``           datetime64[D]     discharge date (退出现役), never NaT
``died_on``                 datetime64[D]     date of death; NaT while alive
``award_kinds``             uint16            bit *i* set when the person holds an award of
                                              kind *i* of :data:`AWARD_KINDS` (0: no award)
``disability_grade``        int8              1 (most severe) … 10; 0 no disability
``disability_nature``       int8              -1 none; 0 因战, 1 因公, 2 因病
``disability_assessed_on``  datetime64[D]     date the grade was approved; NaT none
``mental_disorder``         bool              assessed for a mental disorder (精神障碍)
``centrally_supported``     int8              集中供养: 1 yes, 0 no, -1 unknown
``cancelled_from``          datetime64[D]     earliest 死刑 or 无期徒刑 sanction; NaT none
``expelled_from``           datetime64[D]     earliest 开除军籍; NaT none
``suspended_from``          datetime64[D]     start of a suspension (有期徒刑, 剥夺政治权利,
                                              通缉); NaT none
``suspended_until``         datetime64[D]     its last day (inclusive); NaT open-ended
==========================  ================  ===============================================

Dates may come in any ``datetime64`` unit (pandas gives nanoseconds) and integer codes in
any integer dtype; they are converted. A rule reads only the columns it needs
(:attr:`BatchRule.reads`); other columns are ignored.

**Sanctions.** The per-subject path stops periodic payments while any sanction is in effect
(:func:`~veteran_affairs.rules._engine.check_sanctions`): a suspending one from ``since`` to
``until``, a cancelling one from ``since`` for good, and 开除军籍 only from 2024-10-01
(the 2019 text did not list it). The columns carry this exactly and without the date: the
earliest cancelling sanction (``cancelled_from``), the earliest expulsion
(``expelled_from``, whose effect the batch path dates itself), and the suspensions merged
into disjoint intervals. One interval fills ``suspended_from``/``suspended_until``; a
person with several disjoint suspensions needs more slots, ``suspended_from_2`` /
``suspended_until_2``, ``…_3`` and so on, which :func:`columns_from` adds when the
population needs them (NaT where a person has fewer). The one-off payment reads only
``expelled_from``: an expulsion on or before the discharge day means there was no lawful
discharge, and no other sanction touches a payment that fell due at discharge.

Outputs
=======

:func:`evaluate_batch` returns a dict of arrays of the input's length (see
:attr:`BatchRule.outputs`):

* ``eligible`` (int8): 1 eligible, 0 not, -1 undetermined (an input is unknown: the
  per-subject decision has ``eligible=None``);
* ``amount_fen`` and ``monthly_fen`` (int64): the decision's ``amount`` and ``monthly`` in
  whole fen (分), 0 where not eligible (the per-subject path has ``None`` there);
* the rule's components in fen (``nursing_allowance_fen``; ``base_fen``,
  ``award_bonus_fen``, ``local_supplement_fen``) and helpers (``nursing_allowance_status``:
  1 paid, 0 not due, -1 due but undetermined — the per-subject decision then lists the
  fact or parameter in ``missing`` and stays eligible; ``counted_months``: the service
  counted, in months).

How the batch path matches the per-subject path
===============================================

* **Parameters are resolved once per call**, through the very lookups the per-subject path
  makes (:meth:`Parameter.value_on <veteran_affairs.rules.Parameter.value_on>`), into small
  tables: the disability standard as a (nature × grade) table with its monthly twelfth; the
  nursing allowance per (nature or mental disorder × grade); for the one-off payment, one
  set of figures per *epoch* — a stretch of discharge dates over which no parameter changes
  (cut at every version's ``effective_from``, the day after a ``known_until`` and after a
  ``confirmed_through``) — with the base, the bonus per award rate and the local
  supplement per counted month. Rows then only index the tables.
* **Rounding is identical by construction**: each table cell is computed with the
  per-subject path's own Decimal expression and :meth:`Parameter.round
  <veteran_affairs.rules.Parameter.round>` (half up, to the fen or the yuan as the
  parameter says), then turned into whole fen. No float is involved.
* **Errors**: a lookup that fails raises exactly when the per-subject path would raise for
  some row, and the error is the one it would raise for the *first* such row (same class,
  key and date): the batch path finds that row and repeats its lookups in the rule's order.
  A book without a figure that only some rows need therefore still decides a batch in which
  no row needs it. Rows whose facts settle them as not eligible — no disability, not yet
  approved, a 因病 grade 7–10, dead, a sanction in effect — need no figure on either path
  (the per-subject path records the facts before it reads the standard).
* **Figures that never raise**: as on the per-subject path, an unknown nursing-allowance
  figure leaves the pension paid without it (``nursing_allowance_status`` -1), and an
  unknown local one-off supplement (一次性经济补助; a book that has the parameter but no
  figure for the discharge date, as Guangxi's bundled book) adds nothing: the row is paid
  the national payment and its bonus, with ``local_supplement_fen`` 0. The batch path does
  not tell that 0 from a book without a supplement; the per-subject decision does (it
  names ``parameter one_off_retirement_payment.local_supplement`` in ``missing``).
* Column problems (a missing column, a wrong dtype, a code out of range, a disability
  without a nature) are collected and raised together as one :class:`ExceptionGroup` of
  :class:`~veteran_affairs.errors.InvalidValue`, each with a note naming the rows.

* **Calendar arithmetic** (the service counted for the one-off payment follows
  ``dateutil.relativedelta``) reads each date's month and day from a small table of the
  days between the earliest and the latest date of the call, instead of casting every row
  to ``datetime64[M]`` (a cast costs tens of times a comparison). The figures are in
  ``docs/benchmarks-rules.md``.

Limitations: the batch path decides and does not explain (use the per-subject path for
one person's reasons, deadlines and the funeral aid after a death); a disability standard
with a part smaller than a fen (possible only in user-supplied figures) cannot be an
integer fen amount and raises :class:`~veteran_affairs.errors.InvalidAmount` for the rows
that would be paid it; the columns carry what the two covered rules read and no more (a
rule added to the batch path may need more, e.g. the hukou type). Each evaluator is the
twin of its rule module and must change with it: the property test is the guard.

Partitions (Dask, Spark)
========================

:func:`evaluate_batch` is a pure function of the columns, the book and the date, row by row,
so a partitioned table can be mapped partition by partition and the results concatenated:
splitting the rows anywhere changes nothing (when some row makes the call raise, the
partition holding it raises that error; with several such partitions, which error surfaces
first depends on the scheduler). A :class:`~veteran_affairs.rules.RuleBook`
does not pickle with the standard library (its tables are read-only mappings), so load it
in the worker, once per process::

    import functools, datetime as dt
    import pandas as pd
    from veteran_affairs.rules import RuleBook
    from veteran_affairs.rules.batch import BATCH_RULES, evaluate_batch

    ON = dt.date(2021, 1, 6)

    @functools.cache
    def book() -> RuleBook:
        return RuleBook.load("guangxi").with_parameters("our-figures.toml")

    def decide(frame: pd.DataFrame) -> pd.DataFrame:
        columns = {name: frame[name].to_numpy() for name in frame.columns}
        result = evaluate_batch(book(), "disability_pension", columns, on=ON)
        return pd.DataFrame(result, index=frame.index)

    # Dask: the output's dtypes are BatchRule.outputs.
    meta = dict(BATCH_RULES["disability_pension"].outputs)
    decisions = veterans_ddf.map_partitions(decide, meta=meta)

    # Spark: mapInPandas hands over an iterator of pandas frames.
    schema = (
        "eligible tinyint, amount_fen bigint, monthly_fen bigint, "
        "nursing_allowance_fen bigint, nursing_allowance_status tinyint"
    )
    decisions = veterans_sdf.mapInPandas(lambda frames: map(decide, frames), schema)

Example (the 2020-08-01 national table; one grade-1 因战 veteran, one without disability):

>>> import datetime as dt
>>> import numpy as np
>>> from veteran_affairs.rules import RuleBook
>>> none = np.datetime64("NaT", "D")
>>> columns = {
...     "disability_grade": np.array([1, 0], dtype=np.int8),
...     "disability_nature": np.array([0, -1], dtype=np.int8),
...     "disability_assessed_on": np.array(["2000-06-01", "NaT"], dtype="datetime64[D]"),
...     "mental_disorder": np.array([False, False]),
...     "centrally_supported": np.array([1, -1], dtype=np.int8),
...     "discharged_on": np.array(["2000-12-01", "2001-12-01"], dtype="datetime64[D]"),
...     "died_on": np.array([none, none]),
...     "cancelled_from": np.array([none, none]),
...     "expelled_from": np.array([none, none]),
...     "suspended_from": np.array([none, none]),
...     "suspended_until": np.array([none, none]),
... }
>>> result = evaluate_batch(
...     RuleBook.load("national"), "disability_pension", columns, on=dt.date(2021, 1, 6)
... )
>>> result["eligible"].tolist(), result["amount_fen"].tolist(), result["monthly_fen"].tolist()
([1, 0], [9697000, 0], [808083, 0])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as error:  # pragma: no cover - exercised only without numpy
    raise ImportError(
        "veteran_affairs.rules.batch needs numpy; install the 'batch' extra: "
        "pip install 'veteran_affairs[batch]'"
    ) from error

from veteran_affairs.errors import (
    InvalidAmount,
    InvalidValue,
    ParameterError,
    UnknownRule,
)
from veteran_affairs.models import (
    AwardKind,
    DisabilityNature,
    DischargeMode,
    PersonnelType,
    Sanction,
    SanctionKind,
    Veteran,
)
from veteran_affairs.money import to_fen
from veteran_affairs.parameters import Parameter, ParameterSet
from veteran_affairs.rules import disability_pension, one_off_retirement_payment
from veteran_affairs.rules._engine import SUSPENSION_2024, RuleBook
from veteran_affairs.rules._placement import REGULATION_2011

__all__ = [
    "AWARD_KINDS",
    "BATCH_RULES",
    "COLUMNS",
    "DISABILITY_NATURES",
    "DISCHARGE_MODES",
    "PERSONNEL_TYPES",
    "BatchRule",
    "InputColumn",
    "columns_from",
    "evaluate_batch",
]


def __dir__() -> list[str]:
    return __all__


Array = npt.NDArray[Any]

# --- codes -----------------------------------------------------------------------------------

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

_SELF_EMPLOYMENT = DISCHARGE_MODES.index(DischargeMode.SELF_EMPLOYMENT)
_OFFICER = PERSONNEL_TYPES.index(PersonnelType.OFFICER)
_ILLNESS = DISABILITY_NATURES.index(DisabilityNature.ILLNESS)
_MENTAL_DISORDER_ROW = len(DISABILITY_NATURES)  # the nursing table's extra row
_GRADES = 10
_SUSPENDING = frozenset(
    {
        SanctionKind.FIXED_TERM_IMPRISONMENT,
        SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
        SanctionKind.WANTED,
    }
)
_DAY = dt.timedelta(days=1)
# 开除军籍 stops payments only under the 2024 text (check_sanctions).
_EXPULSION_STOPS_FROM: dt.date = SUSPENSION_2024.effective or dt.date(2024, 10, 1)
_NAT = np.iinfo(np.int64).min  # how numpy stores NaT
_FIRST_DAY = int(np.datetime64(dt.date.min, "D").astype(np.int64))  # days since 1970-01-01
_LAST_DAY = int(np.datetime64(dt.date.max, "D").astype(np.int64))


# --- the column catalogue --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class InputColumn:
    """One input column of the batch path: name, dtype, meaning, codes (批量数据列).

    Attributes:
        name: the column's name.
        dtype: the numpy dtype it is held in (``"int8"``, ``"datetime64[D]"`` …).
        meaning: what it holds, with the Chinese term.
        codes: for a coded column, the value each code stands for, by position.
        none: what stands for "none" or "unknown" (``"NaT"``, ``"-1"``, ``"0"``), if any.
    """

    name: str
    dtype: str
    meaning: str
    codes: tuple[str, ...] = ()
    none: str = ""


def _catalogue(*columns: InputColumn) -> Mapping[str, InputColumn]:
    return MappingProxyType({column.name: column for column in columns})


COLUMNS: Mapping[str, InputColumn] = _catalogue(
    InputColumn(
        name="personnel_type",
        dtype="int8",
        meaning="personnel type at discharge (人员类别)",
        codes=tuple(t.value for t in PERSONNEL_TYPES),
    ),
    InputColumn(
        name="discharge_mode",
        dtype="int8",
        meaning="how the person was settled (安置方式)",
        codes=tuple(m.value for m in DISCHARGE_MODES),
        none="-1",
    ),
    InputColumn(name="enlisted_on", dtype="datetime64[D]", meaning="enlistment date (入伍时间)"),
    InputColumn(
        name="discharged_on", dtype="datetime64[D]", meaning="discharge date (退出现役时间)"
    ),
    InputColumn(
        name="died_on", dtype="datetime64[D]", meaning="date of death (死亡日期)", none="NaT"
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
        codes=("no", "yes"),
        none="-1",
    ),
    InputColumn(
        name="cancelled_from",
        dtype="datetime64[D]",
        meaning="earliest death sentence or life imprisonment (被判处死刑、无期徒刑)",
        none="NaT",
    ),
    InputColumn(
        name="expelled_from",
        dtype="datetime64[D]",
        meaning="earliest expulsion from the army (被开除军籍)",
        none="NaT",
    ),
    InputColumn(
        name="suspended_from",
        dtype="datetime64[D]",
        meaning="first day of a suspension (有期徒刑、剥夺政治权利、被通缉); more slots: "
        "suspended_from_2, …",
        none="NaT",
    ),
    InputColumn(
        name="suspended_until",
        dtype="datetime64[D]",
        meaning="last day of that suspension, inclusive (NaT: open-ended); more slots: "
        "suspended_until_2, …",
        none="NaT",
    ),
)
"""Every input column, by name."""


@attrs.frozen(kw_only=True)
class BatchRule:
    """What the batch path of one rule reads and returns.

    Attributes:
        name: the rule's name (as in :attr:`RuleBook.rule_names`).
        reads: the input columns it needs (suspension slots beyond the first are optional).
        outputs: the arrays it returns, with their dtypes.
    """

    name: str
    reads: tuple[str, ...]
    outputs: Mapping[str, str]


_SANCTION_COLUMNS = ("cancelled_from", "expelled_from", "suspended_from", "suspended_until")

BATCH_RULES: Mapping[str, BatchRule] = MappingProxyType(
    {
        "disability_pension": BatchRule(
            name="disability_pension",
            reads=(
                "disability_grade",
                "disability_nature",
                "disability_assessed_on",
                "mental_disorder",
                "centrally_supported",
                "discharged_on",
                "died_on",
                *_SANCTION_COLUMNS,
            ),
            outputs=MappingProxyType(
                {
                    "eligible": "int8",
                    "amount_fen": "int64",
                    "monthly_fen": "int64",
                    "nursing_allowance_fen": "int64",
                    "nursing_allowance_status": "int8",
                }
            ),
        ),
        "one_off_retirement_payment": BatchRule(
            name="one_off_retirement_payment",
            reads=(
                "personnel_type",
                "discharge_mode",
                "enlisted_on",
                "discharged_on",
                "died_on",
                "expelled_from",
                "award_kinds",
            ),
            outputs=MappingProxyType(
                {
                    "eligible": "int8",
                    "amount_fen": "int64",
                    "monthly_fen": "int64",
                    "counted_months": "int32",
                    "base_fen": "int64",
                    "award_bonus_fen": "int64",
                    "local_supplement_fen": "int64",
                }
            ),
        ),
    }
)
"""The rules the batch path covers, by name."""


# --- columns from models ---------------------------------------------------------------------


def _merged_suspensions(sanctions: tuple[Sanction, ...]) -> list[tuple[dt.date, dt.date | None]]:
    """The days suspending sanctions cover, as disjoint intervals in order (None: open)."""
    spans = sorted(
        ((s.since, s.until) for s in sanctions if s.kind in _SUSPENDING),
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


def _slot_names(slot: int) -> tuple[str, str]:
    suffix = "" if slot == 1 else f"_{slot}"
    return f"suspended_from{suffix}", f"suspended_until{suffix}"


def columns_from(veterans: Iterable[Veteran]) -> dict[str, Array]:
    """The batch columns (:data:`COLUMNS`) of ``veterans``, in their order.

    The columns do not depend on any date. Suspensions are merged into disjoint intervals;
    when some veteran has more than one, slots ``suspended_from_2`` … are added (NaT where a
    veteran has fewer).
    """
    personnel: list[int] = []
    modes: list[int] = []
    enlisted: list[dt.date] = []
    discharged: list[dt.date | None] = []
    died: list[dt.date | None] = []
    awards: list[int] = []
    grades: list[int] = []
    natures: list[int] = []
    assessed: list[dt.date | None] = []
    mental: list[bool] = []
    central: list[int] = []
    cancelled: list[dt.date | None] = []
    expelled: list[dt.date | None] = []
    suspensions: list[list[tuple[dt.date, dt.date | None]]] = []
    cancelling = frozenset({SanctionKind.DEATH_PENALTY, SanctionKind.LIFE_IMPRISONMENT})
    expulsion = frozenset({SanctionKind.EXPULSION_FROM_ARMY})
    for veteran in veterans:
        service = veteran.service
        personnel.append(PERSONNEL_TYPES.index(service.personnel_type))
        mode = service.discharge_mode
        modes.append(-1 if mode is None else DISCHARGE_MODES.index(mode))
        enlisted.append(service.enlisted_on)
        discharged.append(service.discharged_on)
        died.append(veteran.person.died_on)
        mask = 0
        for award in service.awards:
            mask |= 1 << AWARD_KINDS.index(award.kind)
        awards.append(mask)
        disability = veteran.disability
        grades.append(0 if disability is None else disability.grade)
        natures.append(-1 if disability is None else DISABILITY_NATURES.index(disability.nature))
        assessed.append(None if disability is None else disability.assessed_on)
        mental.append(disability is not None and disability.mental_disorder)
        supported = veteran.circumstances.centrally_supported
        central.append(-1 if supported is None else int(supported))
        cancelled.append(_earliest(veteran.sanctions, cancelling))
        expelled.append(_earliest(veteran.sanctions, expulsion))
        suspensions.append(_merged_suspensions(veteran.sanctions))

    def days(values: list[dt.date | None] | list[dt.date]) -> Array:
        return np.array(values, dtype="datetime64[D]")

    columns: dict[str, Array] = {
        "personnel_type": np.array(personnel, dtype=np.int8),
        "discharge_mode": np.array(modes, dtype=np.int8),
        "enlisted_on": days(enlisted),
        "discharged_on": days(discharged),
        "died_on": days(died),
        "award_kinds": np.array(awards, dtype=np.uint16),
        "disability_grade": np.array(grades, dtype=np.int8),
        "disability_nature": np.array(natures, dtype=np.int8),
        "disability_assessed_on": days(assessed),
        "mental_disorder": np.array(mental, dtype=np.bool_),
        "centrally_supported": np.array(central, dtype=np.int8),
        "cancelled_from": days(cancelled),
        "expelled_from": days(expelled),
    }
    slots = max((len(spans) for spans in suspensions), default=0)
    for slot in range(1, max(slots, 1) + 1):
        starts: list[dt.date | None] = []
        ends: list[dt.date | None] = []
        for spans in suspensions:
            since, until = spans[slot - 1] if slot <= len(spans) else (None, None)
            starts.append(since)
            ends.append(until)
        start_name, end_name = _slot_names(slot)
        columns[start_name] = days(starts)
        columns[end_name] = days(ends)
    return columns


# --- validation ------------------------------------------------------------------------------


class _Problems:
    """InputColumn problems, collected and raised as one group with the rows in notes."""

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


_NO_ROWS = np.empty(0, dtype=np.intp)
_INTEGER_RANGES: Mapping[str, tuple[int, int, type[np.integer[Any]]]] = {
    "personnel_type": (0, len(PERSONNEL_TYPES) - 1, np.int8),
    "discharge_mode": (-1, len(DISCHARGE_MODES) - 1, np.int8),
    "award_kinds": (0, (1 << len(AWARD_KINDS)) - 1, np.uint16),
    "disability_grade": (0, _GRADES, np.int8),
    "disability_nature": (-1, len(DISABILITY_NATURES) - 1, np.int8),
    "centrally_supported": (-1, 1, np.int8),
}


def _column(name: str) -> InputColumn:
    base = name.rsplit("_", 1)[0] if name[-1].isdigit() else name
    return COLUMNS[base]


def _convert(name: str, raw: Any, problems: _Problems) -> Array | None:
    array = np.asarray(raw)
    column = _column(name)
    if array.ndim != 1:
        problems.add(
            name, f"{array.ndim} dimensions", "must be one-dimensional", "应为一维数组", _NO_ROWS
        )
        return None
    if column.dtype == "datetime64[D]":
        if array.dtype.kind != "M":
            problems.add(name, str(array.dtype), "must be datetime64", "应为日期类型", _NO_ROWS)
            return None
        return array.astype("datetime64[D]", copy=False)
    if column.dtype == "bool":
        if array.dtype.kind != "b":
            problems.add(name, str(array.dtype), "must be bool", "应为布尔类型", _NO_ROWS)
            return None
        return array
    if array.dtype.kind not in "iu":
        problems.add(name, str(array.dtype), "must be integer codes", "应为整数代码", _NO_ROWS)
        return None
    low, high, dtype = _INTEGER_RANGES[name]
    if array.size and (int(array.min()) < low or int(array.max()) > high):
        problems.where(
            name,
            (array.astype(np.int64) < low) | (array.astype(np.int64) > high),
            f"codes must lie in {low}..{high}",
            f"代码应在{low}至{high}之间",
        )
    return array.astype(dtype, copy=False)


def _suspension_slots(columns: Mapping[str, Any]) -> list[tuple[str, str]]:
    slots = [_slot_names(1)]
    while _slot_names(len(slots) + 1)[0] in columns:
        slots.append(_slot_names(len(slots) + 1))
    return slots


def _is_nat(days: Array) -> Array:
    missing: Array = days.view(np.int64) == _NAT
    return missing


def _check_service_dates(data: Mapping[str, Array], problems: _Problems) -> None:
    """Discharge (and enlistment) dates: present, within the calendar, in order."""
    usable = True
    for name in ("enlisted_on", "discharged_on"):
        if name not in data or not data[name].size:
            continue
        ints = data[name].view(np.int64)
        if ints.min() == _NAT:
            problems.where(name, ints == _NAT, "a date is needed", "缺少日期")
            usable = False
        elif ints.min() < _FIRST_DAY or ints.max() > _LAST_DAY:
            outside = (ints < _FIRST_DAY) | (ints > _LAST_DAY)
            problems.where(name, outside, "dates lie from 0001-01-01 to 9999-12-31", "日期超出范围")
            usable = False
    if "enlisted_on" in data and usable:
        enlisted, discharged = data["enlisted_on"], data["discharged_on"]
        if (enlisted.view(np.int64) >= discharged.view(np.int64)).any():
            problems.where(
                "enlisted_on",
                enlisted >= discharged,
                "enlistment must come before the discharge",
                "入伍时间应早于退役时间",
            )


def _validated(rule: BatchRule, columns: Mapping[str, Any]) -> dict[str, Array]:
    """The columns ``rule`` reads, converted to their dtypes, or every problem at once.

    Checks run as reductions (a minimum, a maximum, an ``any``); the rows are found only
    when something is wrong.
    """
    problems = _Problems()
    names = list(rule.reads)
    if "suspended_from" in names:
        names += [name for slot in _suspension_slots(columns)[1:] for name in slot]
    data: dict[str, Array] = {}
    for name in names:
        if name not in columns:
            problems.add(
                name, "missing", f"the column is needed by {rule.name}", "缺少该列", _NO_ROWS
            )
            continue
        converted = _convert(name, columns[name], problems)
        if converted is not None:
            data[name] = converted
    lengths = {name: len(array) for name, array in data.items()}
    if len(set(lengths.values())) > 1:
        text = ", ".join(f"{name}={size}" for name, size in lengths.items())
        problems.add(
            "columns", text, "all columns must have the same length", "各列长度应相同", _NO_ROWS
        )
    if len(data) < len(names) or len(set(lengths.values())) > 1:
        problems.raise_if_any()  # the checks across columns need every column, aligned
    _check_service_dates(data, problems)
    if "disability_grade" in data:
        disabled = data["disability_grade"] > 0
        no_nature = disabled & (data["disability_nature"] < 0)
        if no_nature.any():
            problems.where(
                "disability_nature",
                no_nature,
                "a disability needs a nature",
                "有残疾等级须有致残性质",
            )
        undated = disabled & _is_nat(data["disability_assessed_on"])
        if undated.any():
            problems.where(
                "disability_assessed_on",
                undated,
                "a disability needs its approval date",
                "有残疾等级须有评定时间",
            )
    for start, end in _suspension_slots(data) if "suspended_from" in data else ():
        dangling = _is_nat(data[start]) & ~_is_nat(data[end])
        if dangling.any():
            problems.where(end, dangling, "an end without a start", "有结束日期而无开始日期")
        backwards = data[end] < data[start]  # NaT compares False
        if backwards.any():
            problems.where(end, backwards, "ends before it starts", "结束早于开始")
    problems.raise_if_any()
    return data


# --- shared pieces ---------------------------------------------------------------------------


def _as_date(day: Any) -> dt.date:
    value = np.datetime64(day, "D").item()
    assert isinstance(value, dt.date)
    return value


def _first(mask: Array) -> int:
    return int(np.argmax(mask))


def _payments_stopped(data: Mapping[str, Array], on: dt.date) -> Array:
    """Whether a sanction stops periodic payments on ``on`` (as ``check_sanctions``)."""
    day = np.datetime64(on, "D")
    stopped: Array = data["cancelled_from"] <= day  # NaT compares False
    if on >= _EXPULSION_STOPS_FROM:
        stopped |= data["expelled_from"] <= day
    for start, end in _suspension_slots(data):
        stopped |= (data[start] <= day) & (_is_nat(data[end]) | (data[end] >= day))
    return stopped


def _fen(amount: Decimal, field: str) -> int:
    return to_fen(amount, field=field)


# --- disability_pension ----------------------------------------------------------------------


def _disability(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The batch twin of :func:`veteran_affairs.rules.disability_pension.decide`.

    A row's cell in the (nature × grade) tables is ``nature * 11 + grade``; cells of grade 0
    hold zeros, so gathering cell 0 for a row that is not paid gives no amount.
    """
    grade = data["disability_grade"]
    nature = data["disability_nature"]
    day = np.datetime64(on, "D")
    next_month = (np.datetime64(on, "M") + 1).astype("datetime64[D]")
    approved = data["disability_assessed_on"] < next_month  # paid from the month of approval
    pensioned = (nature != _ILLNESS) | (grade <= 6)
    died = data["died_on"]
    alive = _is_nat(died) | (died >= day)
    # Only rows the facts do not settle read the standard (the rule's order): an unknown
    # figure never fails a row that is not eligible anyway. The funeral aid named after a
    # death never fails either, and the batch path does not name it.
    eligible = (grade > 0) & approved & pensioned & alive & ~_payments_stopped(data, on)
    cell = np.maximum(nature, 0).astype(np.intp) * (_GRADES + 1) + grade

    amount = monthly = np.zeros(len(grade), dtype=np.int64)
    if eligible.any():
        # raises ParameterMissing if the book lacks it, as the rule does
        standard = book.parameters[disability_pension.STANDARD]
        tables = _standard_tables(book, standard, on)
        needed = np.bincount(np.where(eligible, cell, 0), minlength=tables.known.size) > 0
        needed[:: _GRADES + 1] = False  # grade 0: no lookup
        if not tables.known.ravel()[needed].all():
            row = _first(eligible & ~tables.known.ravel()[cell])
            standard.value_on(
                on,
                DISABILITY_NATURES[nature[row]].value,
                str(grade[row]),
                allow_stale=book.allow_stale,
            )
            raise AssertionError("unreachable: the lookup above raises")  # pragma: no cover
        if not tables.whole.ravel()[needed].all():
            row = _first(eligible & ~tables.whole.ravel()[cell])
            path = f"{DISABILITY_NATURES[nature[row]].value}/{grade[row]}"
            raise InvalidAmount(
                f"{disability_pension.STANDARD}/{path}",
                "a part smaller than a fen",
                "the batch path pays whole fen; supply the standard in whole fen",
                "批量计算须以分为单位",
            )
        paid = np.where(eligible, cell, 0)
        amount = tables.annual.ravel().take(paid)
        monthly = tables.monthly.ravel().take(paid)
    nursing, status = _nursing(book, data, on, eligible, cell)
    return {
        "eligible": eligible.astype(np.int8),
        "amount_fen": amount,
        "monthly_fen": monthly,
        "nursing_allowance_fen": nursing,
        "nursing_allowance_status": status,
    }


@attrs.frozen(kw_only=True)
class _StandardTables:
    """The standard by (nature × grade) in fen, its monthly twelfth, what is known."""

    annual: Array
    monthly: Array
    known: Array
    whole: Array  # the annual amount is a whole number of fen


def _standard_tables(book: RuleBook, standard: Parameter, on: dt.date) -> _StandardTables:
    shape = (len(DISABILITY_NATURES), _GRADES + 1)
    annual = np.zeros(shape, dtype=np.int64)
    monthly = np.zeros(shape, dtype=np.int64)
    known = np.zeros(shape, dtype=np.bool_)
    whole = np.ones(shape, dtype=np.bool_)
    for code, nature in enumerate(DISABILITY_NATURES):
        for grade in range(1, _GRADES + 1):
            try:
                value, _ = standard.value_on(
                    on, nature.value, str(grade), allow_stale=book.allow_stale
                )
            except ParameterError:
                continue
            known[code, grade] = True
            monthly[code, grade] = _fen(standard.round(value / 12), standard.key)
            try:
                annual[code, grade] = _fen(value, standard.key)
            except InvalidAmount:
                whole[code, grade] = False
    return _StandardTables(annual=annual, monthly=monthly, known=known, whole=whole)


def _nursing(
    book: RuleBook, data: Mapping[str, Array], on: dt.date, eligible: Array, cell: Array
) -> tuple[Array, Array]:
    """The nursing allowance (护理费) in fen and its status, as ``_nursing_allowance``.

    Its table has a fourth row, for mental disorders at grades 5–6 (from 2024-10-01).
    """
    grade = data["disability_grade"]
    supported = data["centrally_supported"]
    severe = eligible & (grade <= 4)
    if on >= disability_pension.REGULATION_2024:
        after_discharge = data["disability_assessed_on"] > data["discharged_on"]
        certain = severe & after_discharge  # assessed after discharge: no support question
        dispersed = severe & (certain | (supported == 0))
        unknown = severe & ~certain & (supported < 0)
        mental = eligible & (grade >= 5) & (grade <= 6) & data["mental_disorder"] & ~after_discharge
        due = dispersed | mental
        cell = np.where(mental, _MENTAL_DISORDER_ROW * (_GRADES + 1) + grade, cell)
    else:
        due = severe & (supported == 0)
        unknown = severe & (supported < 0)
    if not due.any():
        return np.zeros(len(grade), dtype=np.int64), np.where(unknown, -1, 0).astype(np.int8)
    amounts, statuses = _nursing_table(book, on)
    due_cell = np.where(due, cell, 0)
    status = np.where(unknown, -1, statuses.ravel().take(due_cell)).astype(np.int8)
    return amounts.ravel().take(due_cell), status


def _nursing_table(book: RuleBook, on: dt.date) -> tuple[Array, Array]:
    """The allowance per (nature or mental disorder × grade) in fen, and the status to report
    where it is due: 1 paid, -1 undetermined (a parameter is unknown on the date)."""
    shape = (len(DISABILITY_NATURES) + 1, _GRADES + 1)
    table = np.zeros(shape, dtype=np.int64)
    status = np.full(shape, -1, dtype=np.int8)
    status[:, 0] = 0  # cell 0: not due
    parameters = book.parameters
    keys = [
        (code, nature.value, grade)
        for code, nature in enumerate(DISABILITY_NATURES)
        for grade in range(1, 5)
    ] + [(_MENTAL_DISORDER_ROW, "mental-disorder", grade) for grade in (5, 6)]
    for code, name, grade in keys:
        try:
            rate, _ = parameters[disability_pension.NURSING_RATE].value_on(
                on, name, str(grade), allow_stale=book.allow_stale
            )
            wage, _ = parameters[disability_pension.LOCAL_WAGE].value_on(
                on, allow_stale=book.allow_stale
            )
        except ParameterError:
            continue  # the rule reports the parameter missing and pays no allowance
        rounded = parameters[disability_pension.LOCAL_WAGE].round(rate * wage)
        table[code, grade] = _fen(rounded, disability_pension.LOCAL_WAGE)
        status[code, grade] = 1
    return table, status


# --- one_off_retirement_payment --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _OneOffFigures:
    """The one-off payment's figures for one discharge date (one epoch)."""

    rounded: bool
    standard: Decimal
    rates: tuple[Decimal | None, ...] | None  # by AWARD_KINDS; None: not looked up
    per_year: Decimal | None  # None: no local supplement, or none known (adds nothing)
    fixed: Decimal | None


def _one_off_figures(
    parameters: ParameterSet, day: dt.date, *, allow_stale: bool, awards: bool
) -> _OneOffFigures:
    """Every lookup the rule makes for a discharge on ``day``, in the rule's order.

    Raises what the per-subject path raises for such a person (with awards or not). The local
    supplement never raises: where the book has it but no figure is known for ``day``, the
    rule decides on the national payment alone, and so do these figures (both ``None``).
    """
    rule = one_off_retirement_payment
    flag, _ = parameters[rule.ROUND_PART_YEARS].value_on(day, allow_stale=allow_stale)
    if flag not in (0, 1):
        raise InvalidValue(
            rule.ROUND_PART_YEARS,
            str(flag),
            "must be 1 (round part years) or 0 (exact months)",
            "应为1或0",
        )
    standard, _ = parameters[rule.STANDARD].value_on(day, allow_stale=allow_stale)
    rates: tuple[Decimal | None, ...] | None = None
    if awards:
        version = parameters[rule.BONUS_RATE].version_on(day, allow_stale=allow_stale)
        table = version.value if isinstance(version.value, Mapping) else {}
        found = [table.get(kind.value) for kind in AWARD_KINDS]
        rates = tuple(rate if isinstance(rate, Decimal) else None for rate in found)
    per_year: Decimal | None = None
    fixed: Decimal | None = None
    if rule.LOCAL_SUPPLEMENT in parameters:
        supplement = parameters[rule.LOCAL_SUPPLEMENT]
        try:
            per_year, _ = supplement.value_on(day, "per_service_year", allow_stale=allow_stale)
            fixed, _ = supplement.value_on(day, "fixed", allow_stale=allow_stale)
        except ParameterError:
            per_year = fixed = None  # unknown: the rule leaves it out and names it missing
    return _OneOffFigures(
        rounded=flag == 1, standard=standard, rates=rates, per_year=per_year, fixed=fixed
    )


def _breakpoints(parameters: Iterable[Parameter]) -> Array:
    """Every day on which a lookup of these parameters may change its result."""
    days: set[dt.date] = set()
    for parameter in parameters:
        ends = [v.known_until for v in parameter.versions if v.known_until is not None]
        if parameter.confirmed_through is not None:
            ends.append(parameter.confirmed_through)
        days.update(v.effective_from for v in parameter.versions)
        days.update(end + _DAY for end in ends if end < dt.date.max)
    return np.array(sorted(days), dtype="datetime64[D]")


class _Calendar:
    """Calendar fields of every day from the earliest date to the latest one, as tables.

    Rows look their fields up by their offset from the first day, instead of each being
    cast to a month (numpy's datetime casts cost tens of times a comparison).
    """

    def __init__(self, *columns: Array) -> None:
        first = min(column.min() for column in columns)
        last = max(column.max() for column in columns)
        self.days = np.arange(first, last + 1, dtype="datetime64[D]")
        months = self.days.astype("datetime64[M]")
        self.first = first
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


def _counted(months: Array, days: Array, rounded: Array) -> Array:
    """The counted months (``counted_months`` of the rule), rounding part years or not."""
    rest = months % 12
    part_day = days > 0
    over_half = (rest > 6) | ((rest == 6) & part_day)
    some = (rest > 0) | part_day
    rounded_up = months - rest + np.where(over_half, 12, np.where(some, 6, 0))
    return np.where(rounded, rounded_up, months + part_day)


def _one_off(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The batch twin of :func:`veteran_affairs.rules.one_off_retirement_payment.decide`."""
    rule = one_off_retirement_payment
    size = len(data["discharged_on"])
    discharged = data["discharged_on"]
    mode = data["discharge_mode"]
    died = data["died_on"]
    refused = (
        (discharged < np.datetime64(REGULATION_2011, "D"))  # earlier rules, not modelled
        | (data["personnel_type"] == _OFFICER)
        | ((mode >= 0) & (mode != _SELF_EMPLOYMENT))
        | (discharged > np.datetime64(on, "D"))
        | (died < discharged)  # NaT compares False
        | (data["expelled_from"] <= discharged)
    )
    eligible = np.where(refused, 0, np.where(mode < 0, -1, 1)).astype(np.int8)
    paid = eligible == 1
    zeros = np.zeros(size, dtype=np.int64)
    result: dict[str, Array] = {
        "eligible": eligible,
        "amount_fen": zeros,
        "monthly_fen": zeros.copy(),
        "counted_months": np.zeros(size, dtype=np.int32),
        "base_fen": zeros.copy(),
        "award_bonus_fen": zeros.copy(),
        "local_supplement_fen": zeros.copy(),
    }
    if not paid.any():
        return result

    parameters = book.parameters
    keys = (rule.ROUND_PART_YEARS, rule.STANDARD, rule.BONUS_RATE, rule.LOCAL_SUPPLEMENT)
    breakpoints = _breakpoints(parameters[key] for key in keys if key in parameters)
    calendar = _Calendar(data["enlisted_on"], discharged)
    epochs = np.searchsorted(breakpoints, calendar.days, side="right")
    epoch = epochs.take(calendar.offset(discharged))
    present = np.flatnonzero(np.bincount(np.where(paid, epoch, 0), minlength=len(breakpoints) + 1))
    if not (paid & (epoch == 0)).any():
        present = present[present > 0]
    awarded = data["award_kinds"] != 0
    core_fails = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    bonus_fails = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    figures: dict[int, _OneOffFigures] = {}
    for index in present.tolist():
        day = _as_date(breakpoints[index - 1] if index else discharged[_first(paid & (epoch == 0))])
        try:
            _one_off_figures(parameters, day, allow_stale=book.allow_stale, awards=False)
        except (ParameterError, InvalidValue):
            core_fails[index] = True
            continue
        try:
            figures[index] = _one_off_figures(
                parameters, day, allow_stale=book.allow_stale, awards=True
            )
        except (ParameterError, InvalidValue):
            bonus_fails[index] = True
            figures[index] = _one_off_figures(
                parameters, day, allow_stale=book.allow_stale, awards=False
            )
    failing = paid & (core_fails[epoch] | (awarded & bonus_fails[epoch]))
    if (core_fails.any() or bonus_fails.any()) and failing.any():
        row = _first(failing)
        _one_off_figures(
            parameters,
            _as_date(discharged[row]),
            allow_stale=book.allow_stale,
            awards=bool(awarded[row]),
        )
        raise AssertionError("unreachable: the lookups above raise")  # pragma: no cover

    rounded_by_epoch = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    for index, found in figures.items():
        rounded_by_epoch[index] = found.rounded
    months, days = calendar.service(data["enlisted_on"], discharged)
    counted = np.where(paid, _counted(months, days, rounded_by_epoch.take(epoch)), 0)
    tables = _one_off_tables(parameters, figures, counted, len(breakpoints) + 1)
    # Rows not paid count 0 months, whose cells hold zeros: one gather per amount.
    cell = epoch * tables.months + counted
    rank = tables.rank.ravel().take(epoch * (1 << len(AWARD_KINDS)) + data["award_kinds"])
    base = tables.base.ravel().take(cell)
    bonus = tables.bonus.ravel().take(cell * tables.ranks + rank)
    supplement = tables.supplement.ravel().take(cell)
    result.update(
        amount_fen=base + bonus + supplement,
        counted_months=counted.astype(np.int32),
        base_fen=base,
        award_bonus_fen=bonus,
        local_supplement_fen=supplement,
    )
    return result


@attrs.frozen(kw_only=True)
class _OneOffTables:
    """Fen amounts by (epoch, counted months[, award rate rank]); ranks index ``rates``."""

    months: int
    ranks: int
    base: Array  # (epochs, months)
    bonus: Array  # (epochs, months, ranks): rank 0 is "no listed award"
    supplement: Array  # (epochs, months)
    rank: Array  # (epochs, 2 ** len(AWARD_KINDS)): the rank of a set of awards


def _one_off_tables(
    parameters: ParameterSet,
    figures: Mapping[int, _OneOffFigures],
    counted: Array,
    epochs: int,
) -> _OneOffTables:
    rule = one_off_retirement_payment
    width = int(counted.max()) + 1
    used = np.flatnonzero(np.bincount(counted, minlength=width)[1:]) + 1  # 0: not paid
    rates = sorted(
        {rate for found in figures.values() for rate in (found.rates or ()) if rate is not None}
    )
    ranks = len(rates) + 1
    standard = parameters[rule.STANDARD]
    base = np.zeros((epochs, width), dtype=np.int64)
    bonus = np.zeros((epochs, width, ranks), dtype=np.int64)
    supplement = np.zeros((epochs, width), dtype=np.int64)
    rank = np.zeros((epochs, 1 << len(AWARD_KINDS)), dtype=np.intp)
    sets = np.arange(1 << len(AWARD_KINDS))
    for index, found in figures.items():
        for months in used.tolist():
            amount = standard.round(found.standard * months / 12)
            base[index, months] = _fen(amount, rule.STANDARD)
            for position, rate in enumerate(rates, start=1):
                bonus[index, months, position] = _fen(standard.round(amount * rate), rule.STANDARD)
            if found.per_year is not None and found.fixed is not None:
                local = parameters[rule.LOCAL_SUPPLEMENT]
                extra = local.round(found.per_year * months / 12 + found.fixed)
                supplement[index, months] = _fen(extra, rule.LOCAL_SUPPLEMENT)
        for bit, listed in enumerate(found.rates or ()):
            if listed is not None:  # the highest listed rate among the awards held counts
                held = (sets >> bit) & 1 == 1
                rank[index, held] = np.maximum(rank[index, held], rates.index(listed) + 1)
    return _OneOffTables(
        months=width, ranks=ranks, base=base, bonus=bonus, supplement=supplement, rank=rank
    )


# --- the entry point -------------------------------------------------------------------------

_Evaluator = Callable[[RuleBook, Mapping[str, Array], dt.date], dict[str, Array]]
_EVALUATORS: Mapping[str, _Evaluator] = MappingProxyType(
    {"disability_pension": _disability, "one_off_retirement_payment": _one_off}
)


def evaluate_batch(
    book: RuleBook, rule: str, columns: Mapping[str, Any], *, on: dt.date
) -> dict[str, Array]:
    """Decide ``rule`` for every row of ``columns`` as of ``on`` (see the module docstring).

    Args:
        book: the rule book (jurisdiction, parameters, stale policy).
        rule: a rule of :data:`BATCH_RULES`.
        columns: equal-length arrays by name (:data:`COLUMNS`); extra columns are ignored.
        on: the evaluation date.

    Returns:
        The arrays of :attr:`BatchRule.outputs`, one row per input row.

    Raises:
        UnknownRule: the book has no such rule, or the batch path does not cover it.
        ExceptionGroup: of :class:`~veteran_affairs.errors.InvalidValue`, one per column
            problem, each with a note naming the rows.
        ParameterError: a figure some row needs is unknown; the error the per-subject path
            raises for the first such row.
    """
    book.rule(rule)
    if rule not in _EVALUATORS:
        raise UnknownRule(rule, tuple(BATCH_RULES))
    data = _validated(BATCH_RULES[rule], columns)
    return _EVALUATORS[rule](book, data, on)
