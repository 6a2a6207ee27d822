"""Drawing helpers of the synthetic generators (the population and the sample roster): dates,
shares, names, identity numbers (private; shared by ``synthetic`` and ``rosters``).

Everything random takes an explicit :class:`random.Random`; nothing here reads the clock or
the global generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

from veteran_affairs.identity import ResidentId, check_character
from veteran_affairs.models.service import DischargeMode, NcoRank, PersonnelType


def unit_rng(seed: int, key: str) -> random.Random:
    """A generator of its own for one unit (or other key), derived from the seed.

    Seeding with text hashes it (SHA-512), so the stream is the same in every process and
    does not depend on ``PYTHONHASHSEED``; a unit's draws do not depend on which other units
    are generated, so a subtree is the restriction of the whole.
    """
    return random.Random(f"veteran_affairs.synthetic:{seed}:{key}")


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder).

    Ties in the remainders go to the earlier item, so the split is deterministic.

    >>> apportion(10, [1, 1, 1])
    [4, 3, 3]
    >>> apportion(0, [2, 1])
    [0, 0]
    """
    if total < 0:
        raise ValueError(f"total={total}: must be >= 0")
    if not weights:
        if total:
            raise ValueError("cannot apportion a positive total over no items")
        return []
    whole = float(sum(weights))
    if whole <= 0:
        raise ValueError("weights must have a positive sum")
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def below(rng: random.Random, n: int) -> int:
    """An integer from 0 to ``n - 1``, uniformly enough for synthetic data.

    ``int(random() * n)`` is a third of the cost of ``randrange``; its bias (at most
    ``n / 2**53``) is far below anything these data could show.
    """
    return int(rng.random() * n)


def between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from ``first`` to ``last``, both included, uniformly."""
    low, high = first.toordinal(), last.toordinal()
    if high < low:
        raise ValueError(f"empty span {first} … {last}")
    return dt.date.fromordinal(low + int(rng.random() * (high - low + 1)))


def plus_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


T = TypeVar("T")


def pick(rng: random.Random, table: Sequence[tuple[float, T]]) -> T:
    """One value of ``table`` (pairs of cumulative probability and value, the last 1.0)."""
    r = rng.random()
    for bound, value in table:
        if r < bound:
            return value
    return table[-1][1]


class IdIssuer:
    """Issues distinct, valid identity numbers (GB 11643) for synthetic persons.

    The address code is the county's; the sequence counts up per county, birth date and sex
    (odd for men, even for women). Should a day's 500 numbers of one sex run out, the birth
    date moves one day earlier (never later, so an age only grows).

    >>> issuer = IdIssuer()
    >>> a = issuer.issue("450312", dt.date(1970, 1, 1), male=True)
    >>> b = issuer.issue("450312", dt.date(1970, 1, 1), male=True)
    >>> a.unmasked[14:17], b.unmasked[14:17], b.sex.value
    ('001', '003', 'male')
    """

    __slots__ = ("_next",)

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def issue(self, county: str, born: dt.date, *, male: bool) -> ResidentId:
        while True:
            stamp = f"{born.year:04d}{born.month:02d}{born.day:02d}"
            key = f"{county}{stamp}{int(male)}"
            sequence = self._next.get(key, 1 if male else 2)
            if sequence <= 999:
                break
            born -= dt.timedelta(days=1)
        self._next[key] = sequence + 2
        body = f"{county}{stamp}{sequence:03d}"
        return ResidentId(body + check_character(body))


# Synthetic draws: names are marked 合成 and built from common Guangxi surnames.
SURNAMES = "韦黄李陈梁莫覃蒙刘潘罗杨张王周谢农廖"
GIVEN_NAMES = (
    "明",
    "华",
    "强",
    "军",
    "平",
    "建国",
    "秀英",
    "丽",
    "志勇",
    "海",
    "文",
    "红",
    "桂芳",
    "永",
)
ETHNICITIES = (
    (0.6, "汉族"),
    (0.92, "壮族"),
    (0.96, "瑶族"),
    (0.975, "苗族"),
    (0.99, "侗族"),
    (1.0, "仫佬族"),
)

# Synthetic shares (合成数据): the mix of personnel types and discharge modes drawn.
DISCHARGE_MODE_SHARES: dict[PersonnelType | NcoRank, tuple[tuple[float, DischargeMode], ...]] = {
    PersonnelType.CONSCRIPT: (
        (0.8, DischargeMode.SELF_EMPLOYMENT),
        (1.0, DischargeMode.ARRANGED_EMPLOYMENT),
    ),
    NcoRank.JUNIOR: (
        (0.85, DischargeMode.SELF_EMPLOYMENT),
        (1.0, DischargeMode.ARRANGED_EMPLOYMENT),
    ),
    NcoRank.INTERMEDIATE_OR_SENIOR: (
        (0.5, DischargeMode.SELF_EMPLOYMENT),
        (0.8, DischargeMode.ARRANGED_EMPLOYMENT),
        (0.9, DischargeMode.MONTHLY_PAYMENT),
        (1.0, DischargeMode.RETIREMENT),
    ),
    PersonnelType.OFFICER: (
        (0.5, DischargeMode.CIVILIAN_TRANSFER),
        (0.7, DischargeMode.DEMOBILISATION),
        (0.8, DischargeMode.MONTHLY_PAYMENT),
        (1.0, DischargeMode.RETIREMENT),
    ),
}
PERSONNEL_TYPE_SHARES = (
    (0.6, PersonnelType.CONSCRIPT),
    (0.9, PersonnelType.NCO),
    (1.0, PersonnelType.OFFICER),
)
