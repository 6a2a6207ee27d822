"""The batch path of the rules: whole populations as columns of numpy arrays (批量计算).

Every rule has two paths (STYLE.md, "Rules as law"): the per-subject path
(:meth:`RuleBook.evaluate <veteran_affairs.rules.RuleBook.evaluate>`), which explains itself
condition by condition, and the columnar twin, which decides a million people at once over
columns and explains nothing. **Each twin lives in its rule's own module**, beside the
per-subject function it mirrors (``decide_columns`` in ``rules/disability_pension.py``,
``rules/survivor_pension.py`` …), and is registered on the rule
(:attr:`Rule.columnar <veteran_affairs.rules.Rule.columnar>`, a :class:`BatchRule`); this
module is the public face: the column catalogue, :func:`columns_from`, :func:`evaluate_batch`
and :data:`BATCH_RULES`, the rules of :data:`veteran_affairs.rules.RULES` that carry a twin.
Every money rule has one:

* ``disability_pension`` (残疾抚恤金, with the nursing allowance 护理费), on veterans;
* ``one_off_retirement_payment`` (一次性退役金), on veterans;
* ``survivor_pension`` (烈士遗属、因公牺牲军人遗属、病故军人遗属定期抚恤金), on survivors;
* ``living_allowance`` (定期生活补助), on veterans and survivors (烈士老年子女);
* ``conscript_family_allowance`` (义务兵家庭优待金), on serving members.

Property tests (``tests/property/test_batch_agrees.py``) prove that the two paths agree row
by row: eligibility, amounts and components to the fen, staleness, and the errors raised.

This module needs numpy (the ``batch`` extra: ``pip install 'veteran_affairs[batch]'``);
``import veteran_affairs`` and ``import veteran_affairs.rules`` never import it.

Columns
=======

One array per column, all of the same length, one row per subject. Build them from models
with :func:`columns_from`, or directly from a table (a pandas DataFrame, Parquet, a
database extract) following :data:`COLUMNS`, which gives every column's dtype, meaning,
codes and the subject types that carry it. Columns never depend on the evaluation date, so
one set serves every date.

==================================  ==============  =============================================
column                              dtype           meaning and codes
==================================  ==============  =============================================
``subject_kind``                    int8            0 veteran 退役军人, 1 survivor 遗属, 2 serving
                                                    member 现役军人 (:data:`SUBJECT_KINDS`);
                                                    optional: without it, every row is of the
                                                    rule's first subject type
``personnel_type``                  int8            0 officer 军官, 1 NCO 军士, 2 conscript 义务兵
``discharge_mode``                  int8            -1 not recorded; 0 退休, 1 转业, 2 逐月领取退役金,
                                                    3 复员, 4 自主就业, 5 安排工作, 6 供养
``enlisted_on``                     datetime64[D]   enlistment date (入伍)
``discharged_on``                   datetime64[D]   discharge date (退出现役), never NaT
``birth_date``                      datetime64[D]   date of birth (出生日期), never NaT
``died_on``                         datetime64[D]   date of death; NaT while alive
``hukou_type``                      int8            0 rural 农村, 1 urban 城镇
``award_kinds``                     uint16          bit *i* set when the person holds an award of
                                                    kind *i* of :data:`AWARD_KINDS` (0: no award)
``disability_grade``                int8            1 (most severe) … 10; 0 no disability
``disability_nature``               int8            -1 none; 0 因战, 1 因公, 2 因病
``disability_assessed_on``          datetime64[D]   date the grade was approved; NaT none
``mental_disorder``                 bool            assessed for a mental disorder (精神障碍)
``centrally_supported``             int8            集中供养: 1 yes, 0 no, -1 unknown
``combat_participant``              bool            took part in combat (参战)
``test_participant``                bool            took part in tests (参试)
``other_periodic_state_payment``    int8            draws another periodic state payment: 1 yes,
                                                    0 no, -1 unknown
``relation``                        int8            a survivor's relation: 0 parent 父母, 1 spouse
                                                    配偶, 2 child 子女, 3 sibling 兄弟姐妹
``death_category``                  int8            how the member died: 0 烈士, 1 因公牺牲, 2 病故
``deceased_on``                     datetime64[D]   the day the member died, never NaT
``able_to_work``                    int8            有劳动能力: 1 yes, 0 no, -1 unknown
``has_means_of_support``            int8            有生活费来源 (same codes)
``income_below_local_average``      int8            收入低于当地居民平均生活水平 (same codes)
``in_education``                    int8            在校上学 (same codes)
``disabled``                        int8            残疾 (same codes)
``supported_by_deceased``           int8            由该军人生前供养 (same codes)
``has_work_unit``                   int8            有工作单位 (same codes)
``status_category``                 int8            a status held (优抚身份), by
                                                    :data:`STATUS_CATEGORIES`; -1 empty slot
``status_since``                    datetime64[D]   its first day (确认时间)
``status_until``                    datetime64[D]   its last day, inclusive; NaT still held
``cancelled_from``                  datetime64[D]   earliest 死刑 or 无期徒刑 sanction; NaT none
``expelled_from``                   datetime64[D]   earliest 开除军籍; NaT none
``suspended_from``                  datetime64[D]   start of a suspension (有期徒刑, 剥夺政治权利,
                                                    通缉); NaT none
``suspended_until``                 datetime64[D]   its last day (inclusive); NaT open-ended
``enlisted_from``                   int64           a serving member's unit of enlistment
                                                    (入伍地), 12-digit division code
==================================  ==============  =============================================

Which rows carry which columns: veterans the service, disability, award and participation
columns; survivors the relation, death and circumstance columns; serving members
``personnel_type``, ``enlisted_on`` and ``enlisted_from``; everyone ``birth_date``,
``died_on`` and ``hukou_type``; veterans and survivors the status and sanction columns
(:attr:`InputColumn.subjects`). A table may mix subject types when the rule decides each of
them (``living_allowance``: veterans and survivors): the rows of one type may then hold
anything in the columns of another. A rule reads only the columns its rows need
(:attr:`BatchRule.reads_by_subject`); other columns are ignored. Dates may come in any
``datetime64`` unit (pandas gives nanoseconds) and integer codes in any integer dtype; they
are converted.

**Statuses** (``EntitlementStatus``) are kept one per slot: ``status_category``,
``status_since``, ``status_until``, then ``status_category_2`` … for a second one, which
:func:`columns_from` adds when the population needs them (-1 and NaT where a person has
fewer). ``living_allowance`` reads a status as held on the date (from its first day to its
last); ``survivor_pension`` reads the survivor status from the month of its first day.

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
  whole fen (分), 0 where not eligible or where the rule gives none (the per-subject path has
  ``None`` there);
* ``stale`` (bool): the decision used a figure past the date it is confirmed for
  (:attr:`Decision.stale <veteran_affairs.rules.Decision.stale>`; only with a book that
  allows stale figures, or ``allow_stale=True``);
* the rule's components in fen, 0 where the decision has none: ``nursing_allowance_fen``
  (disability pension); ``base_fen``, ``award_bonus_fen``, ``local_supplement_fen`` (one-off
  payment); ``demobilised_in_countryside_fen``, ``discharged_with_illness_fen``,
  ``combat_or_test_veteran_fen``, ``rural_veteran_over_60_fen``, ``elderly_martyr_child_fen``
  (living allowance, monthly); ``allowance_fen`` (conscript family allowance, yearly);
* helpers: ``nursing_allowance_status`` (1 paid, 0 not due, -1 due but undetermined — the
  per-subject decision then lists the fact or parameter in ``missing`` and stays eligible);
  ``counted_months`` (the service the one-off payment counts, in months);
  ``paying_county`` (int64, the 12-digit code of the county that pays a conscript's family
  allowance; 0 where not eligible).

How the batch path matches the per-subject path
===============================================

* **Parameters are resolved once per call**, through the very lookups the per-subject path
  makes (:meth:`Parameter.value_on <veteran_affairs.rules.Parameter.value_on>`, or the rule's
  own reading functions run on a scratch evaluation), into small tables: the disability
  standard as a (nature × grade) table with its monthly twelfth; the nursing allowance per
  (nature or mental disorder × grade); the survivors' standard per (death category × hukou
  type); the living allowance per group (and per year of service for the rural 60+ group);
  the conscript family allowance per paying county; for the one-off payment, one set of
  figures per *epoch* — a stretch of discharge dates over which no parameter changes (cut
  at every version's ``effective_from``, the day after a ``known_until`` and after a
  ``confirmed_through``). Rows then only index the tables.
* **Rounding is identical by construction**: each table cell is computed with the
  per-subject path's own Decimal expression and :meth:`Parameter.round
  <veteran_affairs.rules.Parameter.round>` (half up, to the fen or the yuan as the
  parameter says), then turned into whole fen. No float is involved.
* **Errors**: a lookup that fails raises exactly when the per-subject path would raise for
  some row, and the error is the one it would raise for the *first* such row (same class,
  key and message): each twin records, for every reading of a figure, which rows make it,
  in the order one row makes them. A book without a figure that only some rows need
  therefore still decides a batch in which no row needs it. Rows whose facts settle them
  as not eligible need no figure on either path.
* **Stale figures**: ``evaluate_batch(..., allow_stale=...)`` (or the book's own
  ``allow_stale``) chooses, as for the per-subject path, between the error
  (:class:`~veteran_affairs.errors.ParameterOutOfDate` or
  :class:`~veteran_affairs.errors.ParameterMissing` past a ``known_until``) and the last
  known figure, the row then marked ``stale`` — including figures a decision reads only to
  name an amount (the funeral aid at the date of death) and policy flags.
* **Figures that never raise**: as on the per-subject path, an unknown nursing-allowance
  figure leaves the pension paid without it (``nursing_allowance_status`` -1), and an
  unknown local one-off supplement (一次性经济补助; a book that has the parameter but no
  figure for the discharge date, as Guangxi's bundled book) adds nothing: the row is paid
  the national payment and its bonus, with ``local_supplement_fen`` 0. The batch path does
  not tell that 0 from a book without a supplement; the per-subject decision does (it
  names ``parameter one_off_retirement_payment.local_supplement`` in ``missing``).
* Column problems (a missing column, a wrong dtype, a code out of range, a disability
  without a nature, a status without its start, a unit of enlistment above county level)
  are collected and raised together as one :class:`ExceptionGroup` of
  :class:`~veteran_affairs.errors.InvalidValue`, each with a note naming the rows. A row of
  a subject type the rule does not decide on raises
  :class:`~veteran_affairs.errors.WrongSubject` (before any figure is read: a wrong table,
  not a missing figure).
* **Calendar arithmetic** (the service counted for the one-off payment follows
  ``dateutil.relativedelta``) reads each date's month and day from a small table of the
  days between the earliest and the latest date of the call, instead of casting every row
  to ``datetime64[M]`` (a cast costs tens of times a comparison). The figures are in
  ``docs/benchmarks-rules.md``.

Limitations: the batch path decides and does not explain (use the per-subject path for
one person's reasons, deadlines and the funeral aid after a death); an amount with a part
smaller than a fen (possible only in user-supplied figures) cannot be an integer fen amount
and raises :class:`~veteran_affairs.errors.InvalidAmount` for the rows that would be paid
it. Each twin must change with its rule: the property tests are the guard.

Partitions (Dask, Spark)
========================

:func:`evaluate_batch` is a pure function of the columns, the book and the date, row by row,
so a partitioned table can be mapped partition by partition and the results concatenated:
splitting the rows anywhere changes nothing (when some row makes the call raise, the
partition holding it raises that error; with several such partitions, which error surfaces
first depends on the scheduler). :mod:`veteran_affairs.partitions` does it for pandas, Dask
and Spark; by hand, load the book in the worker, once per process::

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
        "nursing_allowance_fen bigint, nursing_allowance_status tinyint, stale boolean"
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
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as error:  # pragma: no cover - exercised only without numpy
    raise ImportError(
        "veteran_affairs.rules.batch needs numpy; install the 'batch' extra: "
        "pip install 'veteran_affairs[batch]'"
    ) from error

from veteran_affairs.errors import UnknownRule
from veteran_affairs.rules import RULES
from veteran_affairs.rules._batch_engine import (
    AWARD_KINDS,
    COLUMNS,
    DEATH_CATEGORIES,
    DISABILITY_NATURES,
    DISCHARGE_MODES,
    HUKOU_TYPES,
    PERSONNEL_TYPES,
    RELATIONS,
    STATUS_CATEGORIES,
    SUBJECT_KINDS,
    InputColumn,
    columns_from,
    validated,
)
from veteran_affairs.rules._engine import ColumnarRule, RuleBook

__all__ = [
    "AWARD_KINDS",
    "BATCH_RULES",
    "COLUMNS",
    "DEATH_CATEGORIES",
    "DISABILITY_NATURES",
    "DISCHARGE_MODES",
    "HUKOU_TYPES",
    "PERSONNEL_TYPES",
    "RELATIONS",
    "STATUS_CATEGORIES",
    "SUBJECT_KINDS",
    "BatchRule",
    "InputColumn",
    "columns_from",
    "evaluate_batch",
    "rules_for",
]


def __dir__() -> list[str]:
    return __all__


Array = npt.NDArray[Any]

BatchRule = ColumnarRule
"""What the batch path of one rule reads and returns: its columnar twin, as registered on
the rule (:attr:`Rule.columnar <veteran_affairs.rules.Rule.columnar>`)."""

BATCH_RULES: Mapping[str, BatchRule] = MappingProxyType(
    {name: rule.columnar for name, rule in RULES.items() if rule.columnar is not None}
)
"""The rules the batch path covers, by name: every rule of
:data:`veteran_affairs.rules.RULES` that carries a columnar twin."""


def evaluate_batch(
    book: RuleBook,
    rule: str,
    columns: Mapping[str, Any],
    *,
    on: dt.date,
    allow_stale: bool | None = None,
) -> dict[str, Array]:
    """Decide ``rule`` for every row of ``columns`` as of ``on`` (see the module docstring).

    Args:
        book: the rule book (jurisdiction, parameters, stale policy).
        rule: a rule of the book that carries a columnar twin (:data:`BATCH_RULES`).
        columns: equal-length arrays by name (:data:`COLUMNS`); extra columns are ignored.
        on: the evaluation date.
        allow_stale: use the last known figure past its confirmed date and mark the rows
            ``stale`` (``True``), or raise as the per-subject path does (``False``);
            ``None`` (the default): as the book says (:attr:`RuleBook.allow_stale`).

    Returns:
        The arrays of :attr:`BatchRule.outputs`, one row per input row.

    Raises:
        UnknownRule: the book has no such rule, or the rule has no columnar twin.
        WrongSubject: a row is of a subject type the rule does not decide on.
        ExceptionGroup: of :class:`~veteran_affairs.errors.InvalidValue`, one per column
            problem, each with a note naming the rows.
        ParameterError: a figure some row needs is unknown; the error the per-subject path
            raises for the first such row.
    """
    twin = book.rule(rule).columnar
    if twin is None:
        raise UnknownRule(rule, tuple(BATCH_RULES))
    if allow_stale is not None and allow_stale != book.allow_stale:
        book = book.allowing_stale(allow_stale)
    data = validated(twin, columns)
    return twin.evaluate(book, data, on)


def rules_for(columns: Mapping[str, Any], rules: Iterable[str] | None = None) -> tuple[str, ...]:
    """The batch rules (of ``rules``, default :data:`BATCH_RULES`) that can decide ``columns``.

    A rule can when it decides on every subject type present (``subject_kind``; without
    it, every row is taken to be of the rule's first subject type) and every column those
    rows need is there. Codes and dates are not checked: :func:`evaluate_batch` does that.

    >>> import numpy as np
    >>> columns = columns_from([])  # a table of veterans, with no rows
    >>> rules_for(columns)
    ('disability_pension', 'living_allowance', 'one_off_retirement_payment')
    """
    kinds: set[type] | None = None
    if "subject_kind" in columns:
        codes = np.unique(np.asarray(columns["subject_kind"])).tolist()
        kinds = {SUBJECT_KINDS[code] for code in codes if 0 <= code < len(SUBJECT_KINDS)}
    found: list[str] = []
    for name in sorted(BATCH_RULES) if rules is None else rules:
        twin = BATCH_RULES.get(name)
        if twin is None:
            continue
        present = kinds or {twin.subjects[0]}
        if not present <= set(twin.subjects):
            continue
        needed = {column for kind in present for column in twin.reads_by_subject[kind]}
        if needed <= set(columns):
            found.append(name)
    return tuple(found)
