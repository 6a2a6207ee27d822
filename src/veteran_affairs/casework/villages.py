"""Veterans in village committees (兵支书、兵主任): who holds which post, and the shares per unit.

The basis is 《退役军人保障法》(in force 2021-01-01) 第四十三条第三款: localities are to pay
attention to choosing full-time staff of the Party's grassroots organisations, communities and
villages from among outstanding veterans. The terms are media usage without a normative
definition (CASEWORK.md §5.3): a **兵支书** is a veteran who is secretary of the village Party
organisation (村党组织书记), a **兵主任** a veteran who is director of the villagers' (or
residents') committee (村(居)委会主任); the **两委** are these two committees; **一肩挑** is
one person in both posts.

A :class:`VillageCadre` records one person's post in one village-level unit (a 村 or a 社区)
for a term, and whether the person is a veteran. :func:`veteran_cadre_rows` counts, on a day,
per unit of a :class:`~veteran_affairs.hierarchy.DivisionTree` and for its whole subtree
(:data:`VILLAGE_CADRE_COLUMNS`):

* ``villages`` (村(社区)数): the village-level units of the tree, the denominator of the
  village rates. A tree without villages counts none: build it with them
  (``DivisionTree.bundled("45", extra=villages)``);
* ``villages_reported`` (有两委数据的村): villages with at least one cadre serving that day;
* ``secretary_posts`` / ``director_posts`` (有支书的村 / 有主任的村): villages where someone
  serves as secretary / director (一肩挑 counts for both);
* ``veteran_secretary`` (有兵支书的村), ``veteran_director`` (有兵主任的村),
  ``veteran_either`` (有兵支书或兵主任的村) and ``veteran_one_shoulder`` (兵支书一肩挑的村: one
  veteran in both posts);
* ``committee_members`` (两委成员人数) and ``veteran_members`` (两委中退役军人人数): persons
  serving in the 两委 of each village that day (a person counts once per village);
* rates, recomputed from the summed counts: ``veteran_secretary_rate`` (有兵支书村占比 =
  veteran_secretary ÷ villages), ``veteran_director_rate``, ``veteran_either_rate``,
  ``veteran_secretary_share`` (兵支书占支书比例 = veteran_secretary ÷ secretary_posts, the
  measure the ministry's national figure uses) and ``veteran_member_share`` (两委中退役军人占比).

Cadres whose village is not a unit of the tree are counted nowhere (``Report.unplaced``, in
cadres). **No target share exists** (NOT FOUND, CASEWORK.md §5.3): the report states shares and
judges nothing. For comparison only, the ministry said on 2023-07-28 that 兵支书 were 10.5 % of
rural Party secretaries (REPOST; see ``docs/casework-villages.md``); the figure is not bundled.

>>> import datetime as dt
>>> from veteran_affairs.hierarchy import DivisionTree
>>> from veteran_affairs.identity import ResidentId
>>> from veteran_affairs.models import Division
>>> villages = [Division(code=DivisionCode(f"450312100{n:03d}"), name=f"村{n}") for n in (1, 2)]
>>> tree = DivisionTree.bundled("45", extra=villages).restrict("450312")
>>> cadre = VillageCadre(person=ResidentId("450312198001010019"),
...                      village=DivisionCode("450312100001"),
...                      role=CadreRole.SECRETARY_AND_DIRECTOR,
...                      term_from=dt.date(2021, 1, 10), is_veteran=True)
>>> report = veteran_cadre_rows([cadre], on=dt.date(2025, 6, 30), tree=tree)
>>> row = report["450312"]
>>> row["villages"], row["veteran_secretary"], row["veteran_secretary_rate"]
(2, 1, 0.5)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from veteran_affairs._validate import check_order, instance_of, optional
from veteran_affairs.errors import InvalidValue
from veteran_affairs.hierarchy.report import Column, FigureKind, Report, build_report
from veteran_affairs.hierarchy.tree import DivisionTree
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.parameters import Citation

__all__ = [
    "BASIS",
    "VILLAGE_CADRE_COLUMNS",
    "CadreRole",
    "VillageCadre",
    "veteran_cadre_rows",
]


def __dir__() -> list[str]:
    return __all__


BASIS = Citation(
    document="《退役军人保障法》",
    article="第四十三条第三款",
    effective=dt.date(2021, 1, 1),
    note="choose grassroots Party, community and village staff from outstanding veterans; "
    "no target share was found (CASEWORK.md §5.3)",
)
"""The legal basis of choosing village cadres from veterans (选聘村专职工作人员)."""


class CadreRole(enum.Enum):
    """A post in the village 两委 (村(社区)"两委"职务)."""

    SECRETARY = "secretary"  # 村党组织书记（支书）
    DIRECTOR = "director"  # 村(居)民委员会主任
    SECRETARY_AND_DIRECTOR = "secretary-and-director"  # 书记、主任一肩挑
    MEMBER = "member"  # 两委委员

    @property
    def label_zh(self) -> str:
        return _ROLE_ZH[self]

    @property
    def is_secretary(self) -> bool:
        """Whether the post includes the secretary's."""
        return self in (CadreRole.SECRETARY, CadreRole.SECRETARY_AND_DIRECTOR)

    @property
    def is_director(self) -> bool:
        """Whether the post includes the director's."""
        return self in (CadreRole.DIRECTOR, CadreRole.SECRETARY_AND_DIRECTOR)


_ROLE_ZH = {
    CadreRole.SECRETARY: "村党组织书记",
    CadreRole.DIRECTOR: "村(居)委会主任",
    CadreRole.SECRETARY_AND_DIRECTOR: "书记主任一肩挑",
    CadreRole.MEMBER: "两委委员",
}


def _village(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    instance_of(DivisionCode)(_instance, attribute, value)
    assert isinstance(value, DivisionCode)
    if value.level is not DivisionLevel.VILLAGE:
        raise InvalidValue(
            attribute.name,
            value.value,
            f"must be a village-level unit (村/社区), not {value.level.name.lower()}",
            "应为村级单位",
        )


def _flag(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not bool:
        raise InvalidValue(
            attribute.name, type(value).__name__, "must be True or False", "应为是或否"
        )


@attrs.frozen(kw_only=True, repr=False)
class VillageCadre:
    """One person's post in one village's 两委 for a term (村"两委"成员).

    ``term_from`` and ``term_to`` are the first and last day in the post (``term_to`` is
    ``None`` while serving); either may be in the future (an election result recorded ahead).
    ``repr`` shows the masked identity number and no date.

    >>> VillageCadre(person=ResidentId("450312198001010019"), village=DivisionCode("450312100001"),
    ...              role=CadreRole.SECRETARY, term_from=dt.date(2021, 1, 10), is_veteran=True)
    VillageCadre(person=ResidentId('450312********0019'), village=450312100001, role=SECRETARY, is_veteran=True)
    """

    person: ResidentId = attrs.field(validator=instance_of(ResidentId))
    village: DivisionCode = attrs.field(validator=_village)
    role: CadreRole = attrs.field(validator=instance_of(CadreRole))
    term_from: dt.date = attrs.field(validator=instance_of(dt.date))
    is_veteran: bool = attrs.field(validator=_flag)
    term_to: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))

    def __attrs_post_init__(self) -> None:
        check_order(self, "term_from", "term_to")

    def __repr__(self) -> str:
        return (
            f"VillageCadre(person={self.person!r}, village={self.village}, "
            f"role={self.role.name}, is_veteran={self.is_veteran})"
        )

    def serving(self, on: dt.date) -> bool:
        """Whether the person holds the post on ``on``."""
        return self.term_from <= on and (self.term_to is None or on <= self.term_to)


def _rate(key: str, label: str, label_zh: str, numerator: str, denominator: str) -> Column:
    return Column(
        key=key,
        label=label,
        label_zh=label_zh,
        kind=FigureKind.RATE,
        numerator=numerator,
        denominator=denominator,
    )


VILLAGE_CADRE_COLUMNS = (
    Column(key="villages", label="villages", label_zh="村(社区)数"),
    Column(key="villages_reported", label="villages with 两委 data", label_zh="有两委数据的村"),
    Column(key="secretary_posts", label="villages with a secretary", label_zh="有支书的村"),
    Column(key="director_posts", label="villages with a director", label_zh="有主任的村"),
    Column(
        key="veteran_secretary", label="villages with a veteran secretary", label_zh="有兵支书的村"
    ),
    Column(
        key="veteran_director", label="villages with a veteran director", label_zh="有兵主任的村"
    ),
    Column(
        key="veteran_either",
        label="villages with a veteran secretary or director",
        label_zh="有兵支书或兵主任的村",
    ),
    Column(
        key="veteran_one_shoulder",
        label="villages with one veteran in both posts",
        label_zh="兵支书一肩挑的村",
    ),
    Column(key="committee_members", label="两委 members", label_zh="两委成员人数"),
    Column(key="veteran_members", label="veterans in the 两委", label_zh="两委中退役军人人数"),
    _rate(
        "veteran_secretary_rate",
        "share of villages with a veteran secretary",
        "有兵支书村占比",
        "veteran_secretary",
        "villages",
    ),
    _rate(
        "veteran_director_rate",
        "share of villages with a veteran director",
        "有兵主任村占比",
        "veteran_director",
        "villages",
    ),
    _rate(
        "veteran_either_rate",
        "share of villages with a veteran secretary or director",
        "有兵支书或兵主任村占比",
        "veteran_either",
        "villages",
    ),
    _rate(
        "veteran_secretary_share",
        "veteran secretaries among secretaries",
        "兵支书占支书比例",
        "veteran_secretary",
        "secretary_posts",
    ),
    _rate(
        "veteran_member_share",
        "veterans among 两委 members",
        "两委中退役军人占比",
        "veteran_members",
        "committee_members",
    ),
)
"""The columns of the village-cadre report (counts, then rates from the summed counts)."""

_KEYS = tuple(c.key for c in VILLAGE_CADRE_COLUMNS)
_AT = {key: i for i, key in enumerate(_KEYS)}


def veteran_cadre_rows(
    cadres: Iterable[VillageCadre],
    *,
    on: dt.date,
    tree: DivisionTree,
) -> Report:
    """兵支书 and 兵主任 per unit on ``on``, for every unit of ``tree`` and its subtree.

    Args:
        cadres: the posts, in any order; those not held on ``on`` are skipped. A person
            listed twice for one village counts once there.
        on: the day the figures are for (a stock: 时点数).
        tree: the units; its village-level units are the denominator of the village rates.

    Returns:
        A report of kind ``"village-cadres"`` with :data:`VILLAGE_CADRE_COLUMNS`;
        ``report.at_level(DivisionLevel.CITY)`` gives the cities under the region's line.
        ``unplaced`` counts the serving cadres whose village is not a unit of the tree.
    """
    if not isinstance(on, dt.date):
        raise InvalidValue("on", type(on).__name__, "must be a date", "应为日期")
    # Per village code: who serves, as secretary, as director, and whether a veteran.
    members: dict[str, dict[str, bool]] = {}
    secretaries: dict[str, set[str]] = {}
    directors: dict[str, set[str]] = {}
    known = {d.code.value for d in tree.level(DivisionLevel.VILLAGE)}
    unplaced = read = serving = 0
    for cadre in cadres:
        read += 1
        if not cadre.serving(on):
            continue
        serving += 1
        village = cadre.village.value
        if village not in known:
            unplaced += 1
            continue
        person = cadre.person.unmasked
        people = members.setdefault(village, {})
        people[person] = people.get(person, False) or cadre.is_veteran
        if cadre.role.is_secretary:
            secretaries.setdefault(village, set()).add(person)
        if cadre.role.is_director:
            directors.setdefault(village, set()).add(person)
    own: dict[str, list[int | Decimal]] = {}
    for village in known:
        vector: list[int | Decimal] = [0] * len(_KEYS)
        vector[_AT["villages"]] = 1
        people = members.get(village, {})
        secs = secretaries.get(village, set())
        dirs = directors.get(village, set())
        veteran = {p for p, flag in people.items() if flag}
        has_sec = bool(secs & veteran)
        has_dir = bool(dirs & veteran)
        vector[_AT["villages_reported"]] = int(bool(people))
        vector[_AT["secretary_posts"]] = int(bool(secs))
        vector[_AT["director_posts"]] = int(bool(dirs))
        vector[_AT["veteran_secretary"]] = int(has_sec)
        vector[_AT["veteran_director"]] = int(has_dir)
        vector[_AT["veteran_either"]] = int(has_sec or has_dir)
        vector[_AT["veteran_one_shoulder"]] = int(bool(secs & dirs & veteran))
        vector[_AT["committee_members"]] = len(people)
        vector[_AT["veteran_members"]] = len(veteran)
        own[village] = vector
    notes = [
        (
            f"cadres serving on {on.isoformat()} (时点数): {serving} of {read} read; "
            f"{unplaced} in villages outside the tree counted nowhere (不在区划树内的村不计)"
        ),
        (
            "a village counts in the rates' denominator whether or not its 两委 were reported "
            "(villages_reported says how many were)"
        ),
        f"basis: {BASIS}; no target share exists (未见全国目标比例)",
    ]
    return build_report(
        tree,
        own,
        kind="village-cadres",
        title="Veterans in village committees",
        title_zh="兵支书、兵主任统计",
        columns=VILLAGE_CADRE_COLUMNS,
        as_of=on,
        notes=notes,
        unplaced=unplaced,
    )
