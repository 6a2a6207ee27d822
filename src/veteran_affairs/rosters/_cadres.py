"""The village-cadre register (村"两委"成员名册, 兵支书) ⇄ ``VillageCadre`` (private engine).

One row per person and post: the identity number, the village-level unit (所在村（社区）: a
12-digit code, as villages are not in the bundled data), the post (两委职务: 村党组织书记,
村(居)委会主任, 书记主任一肩挑, 两委委员 and their short forms), whether the person is a
veteran (是否退役军人, 是/否), and the term (任职时间; 离任时间 blank while serving). A person
may hold several posts, in several villages or terms: a row repeats only when person,
village, post and first day are all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from veteran_affairs.casework.villages import VillageCadre
from veteran_affairs.identity import DivisionCode
from veteran_affairs.rosters import _casework_cells as vocab
from veteran_affairs.rosters._cells import YES_NO
from veteran_affairs.rosters._parsing import (
    Check,
    FieldParser,
    Row,
    Spec,
    attribute_check,
    choice,
    date,
    record,
    resident_id,
)
from veteran_affairs.rosters._roster_columns import RosterKind
from veteran_affairs.rosters._writing import RowCell, id_cell


def _parsers(within: DivisionCode | None) -> dict[str, FieldParser]:
    return {
        "person": resident_id,
        "village": vocab.unit_parser(within),
        "role": choice(vocab.CADRE_ROLES),
        "is_veteran": choice(YES_NO),
        "term_from": date,
        "term_to": date,
    }


_CHECKS: dict[str, Check] = {"village": attribute_check(attrs.fields_dict(VillageCadre)["village"])}


def _assemble(row: Row) -> VillageCadre | None:
    if row.errors:
        return None
    values = row.values
    return record(
        row,
        {"village": "village", "term_from/term_to": "term_to"},
        VillageCadre,
        person=values["person"],
        village=values["village"],
        role=values["role"],
        term_from=values["term_from"],
        term_to=values.get("term_to"),
        is_veteran=values["is_veteran"],
    )


def _key(values: Mapping[str, Any]) -> str | None:
    person: Any = values.get("person")
    village: Any = values.get("village")
    role: Any = values.get("role")
    since: Any = values.get("term_from")
    if person is None or village is None or role is None or since is None:
        return None
    return f"{person.unmasked}/{village.value}/{role.value}/{since.isoformat()}"


VILLAGE_CADRES = Spec(
    kind=RosterKind.VILLAGE_CADRES,
    parsers=_parsers,
    checks=_CHECKS,
    assemble=_assemble,
    key=_key,
    duplicate=(
        "the same person, village, post and first day are already in row {row}",
        "与第{row}行为同一人同一村同一职务同一任职时间",
    ),
)


def cells(cadre: VillageCadre, personal: bool) -> dict[str, RowCell]:
    """A cadre's cells by field (read back to an equal cadre)."""
    return {
        "person": id_cell(cadre.person, personal),
        "village": cadre.village.short,
        "role": cadre.role.label_zh,
        "is_veteran": "是" if cadre.is_veteran else "否",
        "term_from": cadre.term_from,
        "term_to": "" if cadre.term_to is None else cadre.term_to,
    }
