"""Synthetic work activities of one year (工作活动, private engine of ``synthetic``).

Every unit with a centre or station holds the Guangxi routines of
:data:`~veteran_affairs.cycles.routines.GUANGXI_PRESET` — 月调度 monthly, 季座谈 quarterly,
半年培训 half-yearly, and at centres (levels 1–3) 领导接待日 on the 15th moved to the next
working day — on working days of the Guangxi calendar (bundled for 2017–2025; 2020 has no
壮族三月三 day off, the holiday having been cancelled), or of the national one for a year whose
三月三 notice is not bundled, such as 2026. A small share is missed or (for the
reception day) held late, so compliance is high but not 100%. Villages with key entitled
persons visit them at home before 八一 and 春节 and call them each quarter, with the persons
listed as contacts.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping, Sequence

from veteran_affairs._draw import between
from veteran_affairs.cycles.calendar import WorkCalendar, calendar_for
from veteran_affairs.cycles.routines import spring_festival_holiday_start
from veteran_affairs.identity import DivisionCode, DivisionLevel, ResidentId
from veteran_affairs.models.activity import Activity, ActivityKind

# Synthetic shares of occasions missed (and, for the reception day, held late).
MISSED = {"dispatch": 0.02, "symposium": 0.03, "training": 0.02, "reception": 0.02}
RECEPTION_LATE = 0.06
VISIT_LATE, VISIT_MISSED = 0.07, 0.03
CONTACT_MISSED = 0.05
_LEAD_DAYS = 30  # the preset's visits count in the 30 days before the festival


def working_calendar(year: int) -> WorkCalendar:
    """Guangxi's calendar where its 三月三 notice for ``year`` is bundled, else the national one.

    The 三月三 days are never guessed (see :func:`~veteran_affairs.cycles.calendar.calendar_for`):
    for a year without the Guangxi notice the meetings follow the national calendar alone.
    """
    guangxi = calendar_for("45")
    return guangxi if guangxi.covers(year) else calendar_for()


@functools.cache
def _workdays(year: int) -> tuple[tuple[dt.date, ...], ...]:
    """The working days of each month of ``year`` (index 0 is January)."""
    calendar = working_calendar(year)
    months: list[tuple[dt.date, ...]] = []
    for month in range(1, 13):
        day = dt.date(year, month, 1)
        days: list[dt.date] = []
        while day.month == month:
            if calendar.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        months.append(tuple(days))
    return tuple(months)


@functools.cache
def _reception_due(year: int) -> tuple[dt.date, ...]:
    calendar = working_calendar(year)
    return tuple(calendar.next_workday(dt.date(year, month, 15)) for month in range(1, 13))


def meetings(unit: DivisionCode, staff: int, rng: random.Random, year: int) -> list[Activity]:
    """The routine meetings of one unit in ``year``, drawn from the unit's own stream.

    Draws use ``rng.random()`` directly (an index is ``int(random() * n)``): a third of the
    cost of ``choice`` and ``randint`` for the 300,000 meetings of the full network.
    """
    workdays = _workdays(year)
    random_ = rng.random
    out: list[Activity] = []
    append = out.append
    code = unit.value

    def held(
        kind: ActivityKind, tag: str, number: int, pool: Sequence[dt.date], people: int
    ) -> None:
        append(
            Activity(
                activity_id=f"{code}-{tag}-{number:02d}",
                kind=kind,
                unit=unit,
                held_on=pool[int(random_() * len(pool))],
                participants=people,
            )
        )

    for month in range(12):
        if random_() >= MISSED["dispatch"]:
            held(
                ActivityKind.DISPATCH_MEETING,
                "DM",
                month + 1,
                workdays[month],
                staff + int(random_() * 7),
            )
    for quarter in range(4):
        if random_() >= MISSED["symposium"]:
            pool = workdays[3 * quarter] + workdays[3 * quarter + 1] + workdays[3 * quarter + 2]
            held(ActivityKind.SYMPOSIUM, "SY", quarter + 1, pool, 6 + int(random_() * 15))
    for half in range(2):
        if random_() >= MISSED["training"]:
            pool = sum(workdays[6 * half : 6 * half + 6], ())
            held(ActivityKind.TRAINING, "TR", half + 1, pool, 8 + int(random_() * 33))
    if unit.level <= DivisionLevel.COUNTY:
        dues = _reception_due(year)
        for month in range(12):
            r = random_()
            if r < MISSED["reception"]:
                continue
            days: Sequence[dt.date] = (dues[month],)
            if r < MISSED["reception"] + RECEPTION_LATE:  # late, on a later working day
                days = [d for d in workdays[month] if d > dues[month]] or days
            held(ActivityKind.RECEPTION_DAY, "RD", month + 1, days, 1 + int(random_() * 8))
    return out


def contacts(
    rng: random.Random, key_by_village: Mapping[str, Sequence[ResidentId]], year: int
) -> list[Activity]:
    """Home visits before 八一 and 春节 and quarterly calls to the key persons of each village."""
    army_day = dt.date(year, 8, 1)
    spring = spring_festival_holiday_start(year)
    windows = (
        ("AV", army_day - dt.timedelta(days=_LEAD_DAYS), army_day - dt.timedelta(days=1)),
        (
            "SV",
            max(dt.date(year, 1, 1), spring - dt.timedelta(days=_LEAD_DAYS)),
            spring - dt.timedelta(days=1),
        ),
    )
    late = {
        "AV": (army_day, dt.date(year, 12, 31)),
        "SV": (spring + dt.timedelta(days=7), dt.date(year, 6, 30)),
    }
    quarters = [(dt.date(year, m, 1), dt.date(year, m + 2, 28)) for m in (1, 4, 7, 10)]
    out: list[Activity] = []
    for code in sorted(key_by_village):
        persons = tuple(key_by_village[code])
        unit = DivisionCode(code)
        for tag, first, last in windows:
            r = rng.random()
            if r < VISIT_MISSED:
                continue
            day = (
                between(rng, *late[tag])
                if r < VISIT_MISSED + VISIT_LATE
                else between(rng, first, last)
            )
            out.append(
                Activity(
                    activity_id=f"{code}-{tag}-01",
                    kind=ActivityKind.HOME_VISIT,
                    unit=unit,
                    held_on=day,
                    contacts=persons,
                    participants=len(persons) + rng.randint(1, 2),
                )
            )
        for number, (first, last) in enumerate(quarters, start=1):
            if rng.random() < CONTACT_MISSED:
                continue
            out.append(
                Activity(
                    activity_id=f"{code}-PC-{number:02d}",
                    kind=ActivityKind.PHONE_CONTACT,
                    unit=unit,
                    held_on=between(rng, first, last),
                    contacts=persons,
                )
            )
    return out
