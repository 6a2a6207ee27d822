"""Entitled persons by category (优抚对象人数统计): a stock report at one date.

:func:`population` counts, for every unit of a :class:`~veteran_affairs.hierarchy.tree.DivisionTree`
and its whole subtree, the persons who hold an entitlement status (优抚对象身份,
:class:`~veteran_affairs.models.EntitlementStatus`) on a date: in all (``persons``), the key
entitled among them (重点优抚对象, ``key_entitled``: holding at least one category with periodic
payments, 《军人抚恤优待条例》(2024) 第二条), and per :class:`~veteran_affairs.models.EntitlementCategory`.

Counting rules (DOMAIN.md §3 and §6: persons are a stock, counted at the reporting date):

* A person is counted **once in the totals and once per category they hold**, however many
  statuses they hold; the category columns therefore add up to more than ``persons`` when
  people hold several categories.
* One person may have several records (a :class:`~veteran_affairs.models.Veteran` who is also
  a martyr's :class:`~veteran_affairs.models.Survivor`): by default the records of one identity
  number are merged, their categories together (they must agree on the hukou unit).
  ``merge_records=False`` is the fast path for data with one record per person (each record
  counted as one person); it skips the one pass over the identity numbers that finds the
  repeated ones (only their records are merged record by record).
* A person is placed at their hukou unit (``person.hukou_division``): the unit itself if the
  tree has it, else its nearest ancestor in the tree (a village missing from the data counts at
  its township). A hukou outside the tree is counted nowhere but in ``Report.unplaced``.
* A person dead on the date (died before it; the day of death counts as alive), or holding no
  category on it, is left out; the notes say how many.

Persons are filed by the set of categories they hold (a bit mask) and counted per unit with
``collections.Counter``, so each distinct (unit, categories) pair is expanded into columns
once: linear in persons, plus units × columns.

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import DivisionCode, ResidentId, check_character
>>> from veteran_affairs.models import (EntitlementCategory, EntitlementStatus, HukouType,
...     Person, DeathCategory, Relation, Survivor)
>>> body = "45031219500101002"
>>> widow = Person(resident_id=ResidentId(body + check_character(body)), name="（合成）",
...                hukou_division=DivisionCode("450312100000"), hukou_type=HukouType.RURAL)
>>> survivor = Survivor(person=widow, relation=Relation.SPOUSE,
...     death_category=DeathCategory.MARTYR, deceased_on=dt.date(1979, 2, 20),
...     statuses=(EntitlementStatus(category=EntitlementCategory.MARTYR_SURVIVOR,
...                                 since=dt.date(1979, 3, 1)),))
>>> report = population(DivisionTree.bundled("45").restrict("450312"), [survivor],
...                     on=dt.date(2021, 1, 6))
>>> row = report["450312"]
>>> row["persons"], row["key_entitled"], row["martyr-survivor"], row["veteran"]
(1, 1, 1, 0)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import attrgetter, not_
from typing import TypeAlias

from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.hierarchy._rollup import Placer, Vector, roll_up
from veteran_affairs.hierarchy.report import Column, Report, _assemble
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.models.entitlement import KEY_ENTITLED_CATEGORIES, EntitlementCategory
from veteran_affairs.models.people import ServingMember, Survivor, Veteran

__all__ = ["POPULATION_COLUMNS", "EntitledPerson", "population"]


def __dir__() -> list[str]:
    return __all__


EntitledPerson: TypeAlias = Veteran | Survivor | ServingMember
"""A record that holds entitlement statuses: a veteran, a survivor or a serving member."""

_CATEGORIES = tuple(EntitlementCategory)
_BIT = {category: 1 << i for i, category in enumerate(_CATEGORIES)}
_KEY_MASK = sum(_BIT[c] for c in KEY_ENTITLED_CATEGORIES)
_FIXED = 2  # persons, key_entitled: the category columns follow

POPULATION_COLUMNS = (
    Column(key="persons", label="entitled persons", label_zh="优抚对象人数"),
    Column(key="key_entitled", label="key entitled", label_zh="重点优抚对象人数"),
    *(
        Column(key=c.value, label=c.value.replace("-", " "), label_zh=c.label_zh)
        for c in _CATEGORIES
    ),
)
"""The columns of the population report: ``persons``, ``key_entitled``, then one per
:class:`~veteran_affairs.models.EntitlementCategory` (key: the category's value)."""


def _positions(mask: int) -> tuple[int, ...]:
    """The columns a set of categories (a bit mask) adds one to."""
    out = [0]
    if mask & _KEY_MASK:
        out.append(1)
    out.extend(_FIXED + i for i in range(len(_CATEGORIES)) if mask >> i & 1)
    return tuple(out)


# Keyed by the members' ids: Enum.__hash__ runs in Python, id() does not (members are
# singletons), and this lookup runs once per status of a million persons.
_BIT_BY_ID = {id(category): value for category, value in _BIT.items()}


def _categories(record: EntitledPerson, on: dt.date) -> int:
    """The categories ``record`` holds on ``on``, as a bit mask."""
    mask = 0
    for status in record.statuses:
        if status.since <= on and (status.until is None or on <= status.until):
            mask |= _BIT_BY_ID[id(status.category)]
    return mask


_Read: TypeAlias = tuple[dict[int, list[str]], int, int]
"""Hukou unit codes by set of categories (a bit mask); records read; persons dead."""


def _each_record(people: Iterable[EntitledPerson], on: dt.date) -> _Read:
    """Each living record as one person, its hukou unit filed under its categories."""
    bit = _BIT_BY_ID
    by_mask: dict[int, list[str]] = {}
    get = by_mask.get
    records = dead = 0
    for record in people:  # the hot loop: _categories inlined
        records += 1
        person = record.person
        died = person.died_on
        if died is not None and died < on:
            dead += 1
            continue
        mask = 0
        for status in record.statuses:
            until = status.until
            if status.since <= on and (until is None or on <= until):
                mask |= bit[id(status.category)]
        codes = get(mask)
        if codes is None:
            codes = by_mask[mask] = []
        codes.append(person.hukou_division.value)
    return by_mask, records, dead


def _each_person(people: Iterable[EntitledPerson], on: dt.date) -> _Read:
    """As :func:`_each_record`, the records of one identity number merged into one person."""
    merged: dict[str, tuple[str, int]] = {}
    dead: set[str] = set()
    records = 0
    for record in people:
        records += 1
        person = record.person
        rid = person.resident_id.unmasked
        died = person.died_on
        if died is not None and died < on:
            dead.add(rid)
            continue
        code = person.hukou_division.value
        mask = _categories(record, on)
        known = merged.get(rid)
        if known is not None:
            if known[0] != code:
                raise InconsistentRecord(
                    "person.hukou_division",
                    f"{person.resident_id.masked}: {known[0]}/{code}",
                    "two records of one person give different hukou units",
                    "同一人员的两条记录户籍地不一致",
                )
            mask |= known[1]
        merged[rid] = (code, mask)
    for rid in dead.intersection(merged):
        del merged[rid]  # alive in one record, dead in another: dead
    by_mask: dict[int, list[str]] = {}
    for code, mask in merged.values():
        by_mask.setdefault(mask, []).append(code)
    return by_mask, records, len(dead)


_RID = attrgetter("person.resident_id._value")  # ResidentId.unmasked without the property call


def _merged(people: Iterable[EntitledPerson], on: dt.date) -> _Read:
    """As :func:`_each_person`, the work done per record only where an identity number repeats.

    The identity numbers are read in one pass at C speed and counted: the records of numbers
    seen once are read as :func:`_each_record` reads them (one record, one person), and only
    the records of repeated numbers go through :func:`_each_person`'s merging, in input order
    (so the same inconsistent record is reported first). The result is the same.
    """
    records = people if isinstance(people, list | tuple) else list(people)
    rids = list(map(_RID, records))
    if len(set(rids)) == len(rids):  # the common case: each person given once
        return _each_record(records, on)
    repeated = {rid for rid, count in Counter(rids).items() if count > 1}
    flags = list(map(repeated.__contains__, rids))
    by_mask, single, dead = _each_record(compress(records, map(not_, flags)), on)
    by_mask_repeated, repeated_records, repeated_dead = _each_person(compress(records, flags), on)
    for mask, codes in by_mask_repeated.items():
        by_mask.setdefault(mask, []).extend(codes)
    return by_mask, single + repeated_records, dead + repeated_dead


def population(
    tree: DivisionTree,
    people: Iterable[EntitledPerson],
    *,
    on: dt.date,
    merge_records: bool = True,
) -> Report:
    """Entitled persons by category and key-entitled status on ``on``, per unit (优抚对象统计).

    Args:
        tree: the units to report on.
        people: veterans, survivors and serving members, in any order.
        on: the reporting date (a stock: statuses held on that day).
        merge_records: merge the records of one identity number into one person (a veteran
            who is also a martyr's survivor) — the default, so that a person is counted once
            in the totals whatever the input. ``False`` is the fast path when each person is
            given once, with all their statuses: each record is one person, and the pass
            over identity numbers is skipped.

    Returns:
        A report of kind ``"population"`` with :data:`POPULATION_COLUMNS`.

    Raises:
        InconsistentRecord: with ``merge_records``, two records of one person registered at
            different hukou units.
    """
    read = _merged if merge_records else _each_record
    by_mask, records, dead = read(people, on)
    place = Placer(tree)
    width = len(POPULATION_COLUMNS)
    own: dict[str, Vector] = {}
    unplaced = without = 0
    # Counted per (unit, categories) pair at C speed; each distinct pair is expanded once.
    for mask, codes in by_mask.items():
        if not mask:
            without += len(codes)
            continue
        columns = _positions(mask)
        for code, count in Counter(codes).items():
            unit = place(code)
            if unit is None:
                unplaced += count
                continue
            vector = own.get(unit)
            if vector is None:
                vector = own[unit] = [0] * width
            for i in columns:
                vector[i] += count
    return _report(
        tree,
        own,
        on=on,
        records=records,
        persons=sum(map(len, by_mask.values())) + dead,
        dead=dead,
        without=without,
        merged=merge_records,
        unplaced=unplaced,
    )


def _report(
    tree: DivisionTree,
    own: dict[str, Vector],
    *,
    on: dt.date,
    records: int,
    persons: int,
    dead: int,
    without: int,
    merged: bool,
    unplaced: int,
    totals: Sequence[Sequence[int]] | None = None,
) -> Report:
    """The report of persons counted per unit (``own``), with the notes on what was read.

    ``totals``: the subtree totals when already summed (the columnar path), else summed here.
    """
    notes = [
        (
            "each person is counted once in the totals and once per category held "
            "(每人在合计中计一次，在所持每一类别中各计一次)"
        ),
        (
            f"{records} record(s) of {persons} person(s) read (按身份证号合并)"
            if merged
            else f"{records} record(s) read, each one person (每条记录计一人)"
        ),
        f"{dead} person(s) dead on {on.isoformat()} left out (已去世，不计)",
        f"{without} person(s) holding no category on {on.isoformat()} left out (无优抚身份，不计)",
    ]
    return _assemble(
        tree,
        own,
        roll_up(tree, own, len(POPULATION_COLUMNS)) if totals is None else totals,
        kind="population",
        title="Entitled persons by category",
        title_zh="优抚对象人数",
        columns=POPULATION_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=unplaced,
    )
