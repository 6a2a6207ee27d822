"""The batch rule path over partitions: pandas, Dask and Spark (分区批量计算).

A national population (tens of millions of veterans) does not fit one process; the batch
path of the rules (:mod:`veteran_affairs.rules.batch`) is a pure function of the rows, so a
partitioned table can be decided partition by partition on an existing engine and the
results put side by side. This module is the glue, and only glue: every decision is made by
:func:`~veteran_affairs.rules.batch.evaluate_batch`, the same call the single-process path
makes, so splitting the rows anywhere changes nothing (a property test and a test on a
local Dask cluster check it). Every rule with a columnar twin
(:data:`~veteran_affairs.rules.batch.BATCH_RULES`: the disability pension, the one-off
payment, the survivors' pension, the living allowance, the conscript family allowance) runs
so, on a table of the subjects it decides (veterans, survivors, serving members; a column
``subject_kind`` where they are mixed).

* :func:`evaluate_partition` decides one pandas DataFrame (one partition): one result row
  per input row, same index, the key columns kept, then one column per rule output, named
  ``<rule>__<output>`` (:func:`result_dtypes`).
* :func:`evaluate_dask` maps it over a Dask DataFrame with an explicit ``meta`` (the
  ``dask`` extra: ``pip install 'veteran_affairs[dask]'``).
* Spark: the same function inside ``mapInPandas``, with the schema from
  :func:`spark_schema` (see ``docs/scaling-out-batch.md``; no pyspark dependency here).
* :func:`report_partials` builds a report's partial sums per partition of records and merges
  them by a tree reduction on Dask (:mod:`veteran_affairs.hierarchy.partial`): the report of
  a population that lives in partitions.
* :func:`synthetic_partition` makes one partition of a **synthetic** population (合成数据,
  not real persons) from a seed and the partition's index, so that ten million persons are
  generated where they are decided and never live in one process.

pandas is needed by the partition functions and dask by :func:`evaluate_dask` and
:func:`report_partials`; both are
imported when called, so ``import veteran_affairs.partitions`` needs neither.

>>> import datetime as dt
>>> from veteran_affairs.rules import RuleBook
>>> on = dt.date(2021, 1, 6)
>>> people = synthetic_partition(seed=7, index=0, size=1_000, on=on)
>>> result = evaluate_partition(
...     people, book=RuleBook.load("national"), rules="disability_pension", on=on
... )
>>> len(result), list(result.columns)[:2]
(1000, ['synthetic_id', 'disability_pension__eligible'])
>>> bool((result["disability_pension__eligible"] == 1).any())
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from veteran_affairs.errors import InvalidValue

if TYPE_CHECKING:
    import dask.dataframe as dd
    import numpy.typing as npt
    import pandas as pd
    from dask.delayed import Delayed

    from veteran_affairs.hierarchy.partial import PartialReport
    from veteran_affairs.rules import RuleBook

    Array = npt.NDArray[Any]

__all__ = [
    "SEPARATOR",
    "SYNTHETIC_KEY",
    "evaluate_dask",
    "evaluate_partition",
    "report_partials",
    "result_dtypes",
    "spark_schema",
    "synthetic_partition",
]


def __dir__() -> list[str]:
    return __all__


SEPARATOR = "__"
"""Between the rule's name and the output's in a result column: ``disability_pension__eligible``."""

SYNTHETIC_KEY = "synthetic_id"
"""The key column of a synthetic partition: ``index * 2**32 + row``, unique across partitions."""

_SLOT = re.compile(r"(suspended_(from|until)|status_(category|since|until))_\d+")


def _rule_names(rules: str | Sequence[str]) -> tuple[str, ...]:
    names = (rules,) if isinstance(rules, str) else tuple(rules)
    if not names:
        raise InvalidValue("rules", "()", "name at least one rule", "至少指定一项规则")
    if len(set(names)) != len(names):
        raise InvalidValue("rules", repr(names), "a rule is named twice", "规则重复")
    return names


def result_dtypes(rules: str | Sequence[str]) -> dict[str, str]:
    """The result columns of ``rules`` (without the keys) and their numpy dtypes, in order.

    >>> result_dtypes("disability_pension")["disability_pension__amount_fen"]
    'int64'

    Raises:
        UnknownRule: the batch path does not cover a rule.
        InvalidValue: no rule, or a rule named twice.
    """
    from veteran_affairs.errors import UnknownRule
    from veteran_affairs.rules.batch import BATCH_RULES

    dtypes: dict[str, str] = {}
    for rule in _rule_names(rules):
        if rule not in BATCH_RULES:
            raise UnknownRule(rule, tuple(BATCH_RULES))
        for output, dtype in BATCH_RULES[rule].outputs.items():
            dtypes[f"{rule}{SEPARATOR}{output}"] = dtype
    return dtypes


def _is_input(name: object) -> bool:
    from veteran_affairs.rules.batch import COLUMNS

    return isinstance(name, str) and (name in COLUMNS or _SLOT.fullmatch(name) is not None)


def _keys(frame: pd.DataFrame, keys: Sequence[str] | None) -> list[Any]:
    if keys is None:
        return [name for name in frame.columns if not _is_input(name)]
    missing = [name for name in keys if name not in frame.columns]
    if missing:
        raise InvalidValue("keys", ", ".join(missing), "no such column", "无此列")
    return list(keys)


def evaluate_partition(
    frame: pd.DataFrame,
    *,
    book: RuleBook,
    rules: str | Sequence[str],
    on: dt.date,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Decide ``rules`` for every row of one partition, with the single-process batch path.

    The input columns (:data:`~veteran_affairs.rules.batch.COLUMNS` and their slots
    ``suspended_from_2``, ``status_category_2`` …, dtypes as there or any datetime unit and
    integer width) are handed to :func:`~veteran_affairs.rules.batch.evaluate_batch` as
    numpy arrays, once per rule; each rule reads those its rows need.

    Args:
        frame: one partition: the batch columns, plus key columns (identifiers, divisions).
        book: the rule book.
        rules: a rule of :data:`~veteran_affairs.rules.batch.BATCH_RULES`, or several.
        on: the evaluation date.
        keys: the columns copied to the result, in this order; ``None`` (the default): every
            column that is not a batch input.

    Returns:
        A DataFrame with ``frame``'s index: the keys, then :func:`result_dtypes`.

    Raises:
        UnknownRule, ExceptionGroup, ParameterError: as
            :func:`~veteran_affairs.rules.batch.evaluate_batch`, for this partition's rows
            (row numbers in the notes count from the partition's first row).
        InvalidValue: a key column is missing, or ``rules`` is empty or repeats a rule.
    """
    import pandas as pd

    from veteran_affairs.rules.batch import evaluate_batch

    names = _rule_names(rules)
    kept = _keys(frame, keys)
    columns = {name: frame[name].to_numpy() for name in frame.columns if _is_input(name)}
    parts: dict[Any, Any] = {name: frame[name] for name in kept}
    for rule in names:
        decided = evaluate_batch(book, rule, columns, on=on)
        for output, values in decided.items():
            parts[f"{rule}{SEPARATOR}{output}"] = pd.Series(values, index=frame.index)
    return pd.DataFrame(parts, index=frame.index)


def evaluate_dask(
    ddf: dd.DataFrame,
    *,
    book: RuleBook,
    rules: str | Sequence[str],
    on: dt.date,
    keys: Sequence[str] | None = None,
) -> dd.DataFrame:
    """Decide ``rules`` for every row of a Dask DataFrame, partition by partition (lazy).

    :func:`evaluate_partition` mapped over ``ddf`` with ``map_partitions`` and an explicit
    ``meta``: the result's columns are known without computing anything, and the divisions
    are kept. The book travels to the workers once, as one task of the graph (the standard
    :mod:`pickle` cannot carry a book, Dask's cloudpickle can).

    The meta is made by deciding an empty frame with ``ddf``'s dtypes, so a missing input
    column, a wrong dtype or an unknown rule raises here, before any work is scheduled.

    Args:
        ddf: the batch columns (and key columns), partitioned.
        book, rules, on, keys: as :func:`evaluate_partition`.

    Returns:
        A Dask DataFrame: the keys, then :func:`result_dtypes`.
    """
    import pandas as pd
    from dask.delayed import delayed

    names = _rule_names(rules)
    empty = pd.DataFrame(
        {name: pd.Series(dtype=dtype) for name, dtype in ddf.dtypes.items()},
        index=pd.Index([], dtype=ddf.index.dtype, name=ddf.index.name),
    )
    kept = _keys(empty, keys)
    meta = evaluate_partition(empty, book=book, rules=names, on=on, keys=kept)
    result: dd.DataFrame = ddf.map_partitions(  # type: ignore[no-untyped-call]
        _evaluate_shipped,
        delayed(book, pure=True),
        rules=names,
        on=on,
        keys=kept,
        meta=meta,
    )
    return result


def _evaluate_shipped(
    frame: pd.DataFrame,
    book: RuleBook,
    *,
    rules: tuple[str, ...],
    on: dt.date,
    keys: list[str],
) -> pd.DataFrame:
    return evaluate_partition(frame, book=book, rules=rules, on=on, keys=keys)


def report_partials(
    partitions: Iterable[Any],
    make: Callable[..., PartialReport],
    *shared: Any,
    split_every: int = 8,
    **options: Any,
) -> Delayed:
    """A report's partial sums, one task per partition, merged by a tree reduction (lazy).

    Each partition becomes ``make(partition, *shared, **options)`` — a function returning
    the partition's :class:`~veteran_affairs.hierarchy.partial.PartialReport`, e.g. the
    :func:`~veteran_affairs.hierarchy.partial.partial_of` of
    :func:`~veteran_affairs.hierarchy.population_report` on the partition's records — and the
    partials are merged ``split_every`` at a time, level by level, on the workers, so the
    client receives one partial. :func:`~veteran_affairs.hierarchy.partial.finish` it with
    the tree. The ``shared`` values (the tree, a rule book) travel to the workers once each,
    as tasks of the graph; ``options`` are sent with every task (keep them small).

    Which records a partition must keep together is in
    :mod:`veteran_affairs.hierarchy.partial` (a person's records, for the person counts).

    Args:
        partitions: the partitions: lists of records, or Dask ``Delayed`` values that load
            them (``delayed(load)(path)``, ``bag.to_delayed()``) so that they are read where
            they are counted.
        make: the partial of one partition.
        shared: values handed to every call after the partition.
        split_every: how many partials one merge task takes (2 or more).
        options: keyword arguments of every call.

    Returns:
        A ``dask.delayed`` value of the merged partial: ``.compute()`` it.

    Raises:
        InvalidValue: no partition, or ``split_every`` below 2.
    """
    from dask.delayed import delayed

    from veteran_affairs.hierarchy.partial import merge

    if split_every < 2:
        raise InvalidValue("split_every", str(split_every), "must be 2 or more", "至少为2")
    shipped = [delayed(value, pure=True) for value in shared]
    level = [delayed(make)(partition, *shipped, **options) for partition in partitions]
    if not level:
        raise InvalidValue("partitions", "()", "no partition to report on", "没有分区")
    while len(level) > 1:
        level = [
            delayed(merge)(level[start : start + split_every])
            for start in range(0, len(level), split_every)
        ]
    result: Delayed = level[0]
    return result


_SPARK_TYPES: Mapping[str, str] = {
    "bool": "boolean",
    "int8": "tinyint",
    "int16": "smallint",
    "int32": "int",
    "int64": "bigint",
    "uint16": "int",
    "float32": "float",
    "float64": "double",
    "str": "string",
    "string": "string",
    "object": "string",
}


def spark_schema(rules: str | Sequence[str], keys: Mapping[str, str] | None = None) -> str:
    """The Spark DDL schema of :func:`evaluate_partition`'s result, for ``mapInPandas``.

    Args:
        rules: as :func:`evaluate_partition`.
        keys: the key columns and their numpy or pandas dtypes (``"int64"``, ``"str"``), in
            the result's order.

    >>> spark_schema("one_off_retirement_payment", {"person_id": "str"})[:62]
    'person_id string, one_off_retirement_payment__eligible tinyint'

    Raises:
        InvalidValue: a key's dtype has no Spark type here.
    """
    fields: list[str] = []
    for name, dtype in [*(keys or {}).items(), *result_dtypes(rules).items()]:
        if str(dtype) not in _SPARK_TYPES:
            known = ", ".join(_SPARK_TYPES)
            raise InvalidValue(name, str(dtype), f"dtype not one of {known}", "无对应Spark类型")
        fields.append(f"{name} {_SPARK_TYPES[str(dtype)]}")
    return ", ".join(fields)


# --- synthetic partitions ---------------------------------------------------------------------

# Shares and ranges of the synthetic population (SYNTHETIC 合成数据: plausible, not statistics).
_TYPE_SHARES = (0.08, 0.42, 0.50)  # officer 军官, NCO 军士, conscript 义务兵
_MODE_SHARES: Mapping[str, tuple[tuple[int, ...], tuple[float, ...]]] = {
    # codes of veteran_affairs.rules.batch.DISCHARGE_MODES and their shares. Every code is one
    # that ServiceRecord accepts for the type (models.ALLOWED_DISCHARGE_MODES, 保障法 (2020)
    # 第21–23条): 复员 is an officer's mode only; a conscript was never settled by it (the
    # 1987 text for conscripts is 《退伍义务兵安置条例》, 退伍 not 复员, and 复员军人 of the
    # 2019 条例 第五十三条 enlisted on or before 1954-10-31, before every synthetic enlistment).
    # Before 2011-11-01 the soldiers' settlements are written in the model's words: a
    # conscript's return home or an NCO's 复员 as 自主就业, an NCO's 转业 as 安排工作.
    "officer": ((0, 1, 2, 3), (0.15, 0.60, 0.15, 0.10)),
    "nco_before": ((4, 5), (0.60, 0.40)),
    "nco_after": ((0, 2, 4, 5, 6), (0.07, 0.03, 0.70, 0.18, 0.02)),
    "conscript_before": ((4, 5), (0.90, 0.10)),
    "conscript_after": ((4, 5, 6), (0.90, 0.08, 0.02)),
}
_UNRECORDED_MODE = 0.02
_DISABLED = 0.06
_GRADE_WEIGHTS = (1, 1, 2, 3, 4, 6, 9, 14, 22, 38)  # grades 1 … 10: the milder, the commoner
_AWARD_SHARES = (  # by bit of veteran_affairs.rules.batch.AWARD_KINDS
    0.0005,  # 勋章
    0.0001,  # 荣誉称号
    0.0002,  # 一等战功
    0.001,  # 二等战功
    0.004,  # 三等战功
    0.006,  # 四等战功
    0.0005,  # 一等功
    0.008,  # 二等功
    0.07,  # 三等功
    0.002,  # 一级表彰
    0.01,  # 二级表彰
)
_COMBAT_AWARD_BITS = (2, 3, 4, 5)


def synthetic_partition(seed: int, index: int, size: int, on: dt.date) -> pd.DataFrame:
    """One partition of a **synthetic** veteran population as batch columns (合成数据).

    Test and benchmark data, not statistics and not legal: the shares below are plausible
    made-up figures. Partition ``index`` of seed ``seed`` is drawn from its own numpy
    stream (``SeedSequence([seed, index])``), so the same arguments give the same rows in
    any process, and partitions can be generated where they are decided. Every row passes
    the batch path's checks, and every row makes a valid
    :class:`~veteran_affairs.models.Veteran` (a property test builds them as the benchmarks do).

    The population, everyone discharged before ``on``:

    * type (``personnel_type``): 8% officers, 42% NCOs, 50% conscripts; enlisted uniformly
      from 1955-01-01 to two years before ``on``; service of 2 years for conscripts (3 before
      1999), 3–16 years for NCOs, 8–30 years for officers, cut at the day before ``on``;
    * settlement (``discharge_mode``): by type and by discharge before or after 2011-11-01,
      when 《退役士兵安置条例》(2011) came into force (第五十三条): officers 转业 60%,
      退休 and 逐月领取退役金 15% each, 复员 10%; conscripts 自主就业 90%; NCOs 自主就业
      60% before, 70% after. Always a mode the models accept for the type: 复员 only for
      officers, and a soldier discharged before 2011 under the older texts recorded in
      today's words (a conscript's return home or an NCO's 复员 as 自主就业, an NCO's 转业 as
      安排工作); 2% not recorded;
    * deaths: a share growing with the years since enlistment (about 5% of those enlisted
      36 years before ``on``, 85% of those enlisted 71 years before), dated after discharge;
    * disability: 6%, grades weighted towards the mild (grade 10 the commonest, 1 the
      rarest), nature 因战 for 35% of those enlisted 1960–1989 (5% otherwise), 因病 (grades 1–6
      only) for 30% of conscripts and NCOs of up to 8 years, 因公 for the rest; approved in
      service for 80%, after discharge (up to 10 years, before ``on``) for 20%; 4% assessed
      for a mental disorder; 集中供养 for 15% of grades 1–4, unknown for 10–15%;
    * awards: each kind independently, from 三等功 (7%) down to 荣誉称号 (0.01%), 战功 only
      for those enlisted 1960–1989;
    * sanctions: 0.02% a death sentence or life imprisonment after discharge, 0.1% expelled
      on the discharge day, 0.3% a suspension after discharge (half open-ended, half of up
      to five years); one suspension slot.

    Args:
        seed: the population's seed (0 or more).
        index: the partition's number (0 or more).
        size: rows in the partition (0 gives an empty frame with the right dtypes).
        on: the reference date: every date lies before it (but the end of a suspension),
            and no event after a death.

    Returns:
        A pandas DataFrame with the key :data:`SYNTHETIC_KEY` (int64) and the veteran columns
        of :data:`~veteran_affairs.rules.batch.COLUMNS` that ``disability_pension`` and
        ``one_off_retirement_payment`` read (numpy dtypes as listed there), in the
        catalogue's order, with a RangeIndex.

    Raises:
        InvalidValue: a negative seed, index or size, or a size of 2**32 or more.
    """
    import numpy as np
    import pandas as pd

    from veteran_affairs.models import DisabilityNature
    from veteran_affairs.rules.disability_pension import NURSING_UP_TO, PENSIONED_UP_TO
    from veteran_affairs.statutes import SOLDIER_PLACEMENT_2011

    for field, value in (("seed", seed), ("index", index), ("size", size)):
        if value < 0:
            raise InvalidValue(field, str(value), "must be 0 or more", "不能为负数")
    if size >= 1 << 32:
        raise InvalidValue("size", str(size), "must be below 2**32", "应小于2的32次方")
    rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
    n = size
    day = np.datetime64(on, "D")
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")

    def uniform_days(low: Any, high: Any) -> Array:
        """A day in [low, high] for each row (arrays or scalars, high ≥ low)."""
        span = (np.asarray(high) - np.asarray(low)).astype(np.int64) + 1
        return np.asarray(low + (rng.random(n) * span).astype(np.int64), dtype="datetime64[D]")

    kind = rng.choice(np.arange(3, dtype=np.int8), size=n, p=_TYPE_SHARES)
    officer, nco, conscript = kind == 0, kind == 1, kind == 2
    enlisted = uniform_days(np.datetime64("1955-01-01", "D"), day - 730)
    conscript_days = np.where(
        enlisted < np.datetime64("1999-01-01"),
        rng.integers(1000, 1100, n),
        rng.integers(700, 760, n),
    )
    length = np.select(
        [officer, nco],
        [rng.integers(8 * 365, 30 * 365, n), rng.integers(3 * 365, 16 * 365, n)],
        conscript_days,
    )
    discharged = np.minimum(enlisted + length, day - 1)

    before = discharged < np.datetime64(SOLDIER_PLACEMENT_2011.in_force, "D")
    mode = np.zeros(n, dtype=np.int8)
    for name, rows in (
        ("officer", officer),
        ("nco_before", nco & before),
        ("nco_after", nco & ~before),
        ("conscript_before", conscript & before),
        ("conscript_after", conscript & ~before),
    ):
        codes, shares = _MODE_SHARES[name]
        drawn = rng.choice(np.array(codes, dtype=np.int8), size=n, p=shares)
        mode = np.where(rows, drawn, mode)
    mode = np.where(rng.random(n) < _UNRECORDED_MODE, -1, mode).astype(np.int8)

    years = (day - enlisted).astype(np.int64) / 365.25
    dead = rng.random(n) < 0.85 * np.clip((years - 25) / 46, 0, 1) ** 2
    died = np.where(dead, uniform_days(discharged, np.maximum(discharged, day - 1)), nat)

    war_time = (enlisted >= np.datetime64("1960-01-01")) & (enlisted < np.datetime64("1990-01-01"))
    awards = np.zeros(n, dtype=np.uint16)
    for bit, share in enumerate(_AWARD_SHARES):
        held = rng.random(n) < share
        if bit in _COMBAT_AWARD_BITS:
            held &= war_time
        awards |= np.where(held, np.uint16(1 << bit), np.uint16(0))

    disabled = rng.random(n) < _DISABLED
    junior = conscript | (nco & (length <= 8 * 365))
    draw = rng.random(n)
    combat_share = np.where(war_time, 0.35, 0.05)
    nature = np.where(
        draw < combat_share, 0, np.where(junior & (draw > 0.7), 2, 1)
    )  # 因战, 因病, 因公
    weights = np.array(_GRADE_WEIGHTS, dtype=np.float64)
    grade = rng.choice(np.arange(1, 11, dtype=np.int8), size=n, p=weights / weights.sum())
    last = PENSIONED_UP_TO[DisabilityNature.ILLNESS]  # 因病: grades 1–6 only
    mild_illness = rng.choice(
        np.arange(1, last + 1, dtype=np.int8), size=n, p=weights[:last] / weights[:last].sum()
    )
    grade = np.where(nature == 2, mild_illness, grade)
    grade = np.where(disabled, grade, 0).astype(np.int8)
    nature = np.where(disabled, nature, -1).astype(np.int8)
    in_service = uniform_days(enlisted, discharged)
    last_alive = np.where(dead, died, day - 1)  # later events stop at the death
    after = uniform_days(discharged, np.minimum(discharged + 3652, last_alive))
    assessed = np.where(rng.random(n) < 0.8, in_service, after)
    assessed = np.where(disabled, assessed, nat)
    mental = disabled & (rng.random(n) < 0.04)
    draw = rng.random(n)
    severe = disabled & (grade <= NURSING_UP_TO)
    supported = np.where(
        severe,
        np.where(draw < 0.15, 1, np.where(draw < 0.25, -1, 0)),
        np.where(draw < 0.15, -1, 0),
    ).astype(np.int8)

    after_discharge = uniform_days(discharged, last_alive)
    cancelled = np.where(rng.random(n) < 0.0002, after_discharge, nat)
    expelled = np.where(rng.random(n) < 0.001, discharged, nat)
    suspended = rng.random(n) < 0.003
    suspended_from = np.where(suspended, uniform_days(discharged, last_alive), nat)
    closed = suspended & (rng.random(n) < 0.5)
    suspended_until = np.where(closed, suspended_from + rng.integers(0, 5 * 365, n), nat)

    first = np.int64(index) << 32
    return pd.DataFrame(
        {
            SYNTHETIC_KEY: first + np.arange(n, dtype=np.int64),
            "personnel_type": kind,
            "discharge_mode": mode,
            "enlisted_on": enlisted,
            "discharged_on": discharged,
            "died_on": died,
            "award_kinds": awards,
            "disability_grade": grade,
            "disability_nature": nature,
            "disability_assessed_on": assessed,
            "mental_disorder": mental,
            "centrally_supported": supported,
            "cancelled_from": cancelled,
            "expelled_from": expelled,
            "suspended_from": suspended_from,
            "suspended_until": suspended_until,
        }
    )
