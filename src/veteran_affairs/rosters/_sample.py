"""A generated roster with planted errors, for tests and examples (the engine of :func:`veteran_affairs.rosters.synthetic_roster`).

Everything here is **synthetic** (合成数据): names start with 合成, phone numbers with the
area code 0000 that no exchange has, identity numbers are valid in form only, and every row
says so in its 备注 column.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from veteran_affairs import divisions
from veteran_affairs._draw import (
    DISCHARGE_MODE_SHARES,
    ETHNICITIES,
    GIVEN_NAMES,
    PERSONNEL_TYPE_SHARES,
    SURNAMES,
    IdIssuer,
    between,
    pick,
    plus_years,
)
from veteran_affairs.identity import (
    DivisionCode,
    DivisionLevel,
    ResidentId,
    TownshipKind,
    check_character,
)
from veteran_affairs.models.people import HukouType, Person, Veteran
from veteran_affairs.models.service import (
    Disability,
    DisabilityNature,
    NcoRank,
    PersonnelType,
    ServiceRecord,
)
from veteran_affairs.rosters._roster_columns import ROSTER_HEADER
from veteran_affairs.rosters._rows import roster_cells

NOTE_HEADER = "备注"
NOTE = "合成数据 SYNTHETIC"

# Planted errors, in turn: (kind, the column it lands in).
PLANTED_KINDS: tuple[tuple[str, str], ...] = (
    ("bad-check-character", "公民身份号码"),
    ("birth-date-disagrees", "出生日期"),
    ("unknown-discharge-mode", "退役方式"),
    ("future-date", "退役时间"),
    ("blank-name", "姓名"),
    ("unknown-division", "户籍地"),
    ("duplicate-id", "公民身份号码"),
    ("not-a-date", "入伍时间"),
)
_UNKNOWN_COUNTY = "450399"  # 桂林市 has no county 99
_FUTURE = "2099-06-30"


def _places() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Guangxi township codes (no 类似乡级 units) and county names unique in the data."""
    towns = tuple(
        d.code.short
        for d in divisions.bundled(province="45")
        if d.level is DivisionLevel.TOWNSHIP
        and d.code.township_kind is not TownshipKind.TOWNSHIP_LIKE
    )
    counties = tuple(
        d.name
        for d in divisions.bundled(province="45")
        if d.level is DivisionLevel.COUNTY and len(divisions.find(d.name)) == 1
    )
    return towns, counties


def _veteran(rng: random.Random, issuer: IdIssuer, town: str) -> Veteran:
    kind = pick(rng, PERSONNEL_TYPE_SHARES)
    enlisted = between(rng, dt.date(1970, 1, 1), dt.date(1995, 12, 31))
    born = between(rng, plus_years(enlisted, -22), plus_years(enlisted, -18))
    rank = None
    if kind is PersonnelType.CONSCRIPT:
        years = 2 if enlisted >= dt.date(1999, 12, 1) else 3
        modes = DISCHARGE_MODE_SHARES[kind]
    elif kind is PersonnelType.NCO:
        rank = NcoRank.JUNIOR if rng.random() < 0.6 else NcoRank.INTERMEDIATE_OR_SENIOR
        years = rng.randint(3, 8) if rank is NcoRank.JUNIOR else rng.randint(9, 24)
        modes = DISCHARGE_MODE_SHARES[rank]
    else:
        years = rng.randint(8, 24)
        modes = DISCHARGE_MODE_SHARES[kind]
    discharged = plus_years(enlisted, years) + dt.timedelta(days=rng.randint(0, 200))
    service = ServiceRecord(
        enlisted_on=enlisted,
        personnel_type=kind,
        discharged_on=discharged,
        nco_rank=rank,
        discharge_mode=pick(rng, modes),
    )
    disability = None
    if rng.random() < 0.05:
        nature = (DisabilityNature.IN_COMBAT, DisabilityNature.ON_DUTY)[rng.randint(0, 1)]
        if service.illness_disability_allowed and rng.random() < 0.3:
            nature = DisabilityNature.ILLNESS
        top = 6 if nature is DisabilityNature.ILLNESS else 10
        disability = Disability(
            grade=rng.randint(1, top),
            nature=nature,
            assessed_on=between(rng, enlisted, discharged),
        )
    male = rng.random() < 0.95
    person = Person(
        resident_id=issuer.issue(town[:6], born, male=male),
        name=f"合成{rng.choice(SURNAMES)}{rng.choice(GIVEN_NAMES)}",
        hukou_division=DivisionCode(town),
        hukou_type=HukouType.RURAL if rng.random() < 0.7 else HukouType.URBAN,
        ethnicity=pick(rng, ETHNICITIES),
        phone=None if rng.random() < 0.3 else f"0000-{rng.randint(0, 9_999_999):07d}",
    )
    return Veteran(person=person, service=service, disability=disability)


def synthetic_roster(
    n: int, *, seed: int, errors: int = 0
) -> tuple[tuple[str, ...], list[list[str]], Mapping[int, str]]:
    """Header, rows and planted errors; the public ``synthetic_roster`` documents it."""
    if n < 0 or errors < 0 or errors > max(n - 1, 0):
        raise ValueError(f"n={n}, errors={errors}: need 0 <= errors < n (row 2 is never planted)")
    rng = random.Random(f"veteran_affairs.rosters.synthetic:{seed}")
    towns, counties = _places()
    issuer = IdIssuer()
    header = (*ROSTER_HEADER, NOTE_HEADER)
    rows: list[list[str]] = []
    for index in range(n):
        town = towns[rng.randrange(len(towns))]
        veteran = _veteran(rng, issuer, town)
        cells = roster_cells(veteran, date_form=index % 4)
        place = rng.random()
        if place < 0.1:
            cells[6] = veteran.person.hukou_division.value  # the 12-digit form
        elif place < 0.2:
            name = counties[rng.randrange(len(counties))]
            cells[6] = name  # a county by its name
        rows.append([*cells, NOTE])
    planted = sorted(rng.sample(range(1, n), errors)) if errors else []
    where: dict[int, str] = {}
    for turn, index in enumerate(planted):
        kind, column = PLANTED_KINDS[turn % len(PLANTED_KINDS)]
        _plant(rows, index, kind, set(planted))
        where[index + 2] = column
    return header, rows, where


def _plant(rows: list[list[str]], index: int, kind: str, planted: set[int]) -> None:
    row = rows[index]
    if kind == "bad-check-character":
        number = row[1]
        good = check_character(number[:17])
        row[1] = number[:17] + ("0" if good != "0" else "1")
    elif kind == "birth-date-disagrees":
        born = ResidentId(row[1]).birth_date
        row[3] = (born + dt.timedelta(days=1)).isoformat()
    elif kind == "unknown-discharge-mode":
        row[11] = "自谋职业"
    elif kind == "future-date":
        row[9] = _FUTURE
    elif kind == "blank-name":
        row[0] = ""
    elif kind == "unknown-division":
        row[6] = _UNKNOWN_COUNTY
    elif kind == "duplicate-id":
        source = max(i for i in range(index) if i not in planted)
        row[1], row[2], row[3] = rows[source][1], rows[source][2], rows[source][3]
    else:  # not-a-date
        row[8] = "2015-13-01"
