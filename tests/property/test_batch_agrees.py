"""One rule, two paths: the batch path agrees with the per-subject path, row by row.

For generated populations and dates, :func:`~veteran_affairs.rules.batch.evaluate_batch`
gives the same eligibility, amount and monthly amount (in fen), components and staleness as
:meth:`RuleBook.evaluate` for each veteran in turn — or raises the same error (class and
message) the per-subject path raises for the first veteran that makes it raise
(``tests/property/batch_agreement.py``). Results do not depend on how the rows are
partitioned. This file holds the two veteran rules (the disability pension and the one-off
payment); ``test_batch_agrees_<rule>.py`` beside it the survivors' pension, the living
allowance and the conscript family allowance.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from hypothesis import event, given
from hypothesis import strategies as st

from tests.property.batch_agreement import actual, agree, expected
from veteran_affairs.models import DischargeMode, PersonnelType, Sanction, SanctionKind, Veteran
from veteran_affairs.rules import RuleBook
from veteran_affairs.rules.batch import (
    DISCHARGE_MODES,
    PERSONNEL_TYPES,
    columns_from,
    evaluate_batch,
)
from veteran_affairs.rules.one_off_retirement_payment import counted_months
from veteran_affairs.testing import strategies as vst

Arrays = dict[str, npt.NDArray[Any]]
DISABILITY = "disability_pension"
ONE_OFF = "one_off_retirement_payment"
WAGE = "disability_pension.local_average_monthly_wage"
TODAY = dt.date.today()

NATIONAL = RuleBook.load("national")
# Test inputs, not law: the local wage is not bundled.
WITH_WAGE = NATIONAL.with_parameters({WAGE: "7123.45"})
STALE_WITH_WAGE = WITH_WAGE.allowing_stale()
# Every cell of the disability table is known on these dates: the 2020-08-01 table, in force
# until the 2021 table replaces it.
CONFIRMED = st.dates(min_value=dt.date(2020, 8, 1), max_value=dt.date(2021, 7, 31))


@st.composite
def sanctioned(draw: st.DrawFn, people: st.SearchStrategy[Veteran]) -> Veteran:
    """A veteran, sometimes with one or two more sanctions around the evaluation dates."""
    veteran = draw(people)
    extra = draw(
        st.one_of(
            st.just([]),
            st.lists(vst.sanctions(since=st.dates(dt.date(2019, 1, 1), TODAY)), max_size=2),
        )
    )
    return attrs.evolve(veteran, sanctions=veteran.sanctions + tuple(extra))


def born(first: dt.date, last: dt.date) -> st.SearchStrategy[Any]:
    """Living people born between ``first`` and ``last``."""
    return vst.persons(resident_ids=vst.resident_ids(birth_dates=st.dates(first, last)), alive=True)


@st.composite
def self_employed(draw: st.DrawFn) -> Veteran:
    """NCOs and conscripts discharged after 2011, most of them settled by self-employment."""
    veteran = draw(
        vst.veterans(
            persons=born(dt.date(1982, 1, 1), dt.date(2000, 1, 1)),
            personnel_types=st.sampled_from((PersonnelType.CONSCRIPT, PersonnelType.NCO)),
        )
    )
    if draw(st.booleans()):
        return veteran
    service = attrs.evolve(veteran.service, discharge_mode=DischargeMode.SELF_EMPLOYMENT)
    return attrs.evolve(veteran, service=service)


# Living disabled veterans (most of them assessed before the evaluation dates), and anyone.
DISABLED = vst.veterans(persons=born(dt.date(1940, 1, 1), dt.date(1985, 12, 31)), disabled=True)
POPULATIONS = st.lists(sanctioned(st.one_of(DISABLED, vst.veterans())), max_size=8)
ONE_OFF_POPULATIONS = st.lists(st.one_of(self_employed(), vst.veterans()), max_size=8)
ONE_OFF_DATES = st.one_of(st.just(TODAY), st.dates(dt.date(2008, 1, 1), TODAY))


@given(POPULATIONS, CONFIRMED)
def test_disability_decisions_agree_in_the_confirmed_window(
    subjects: list[Veteran], on: dt.date
) -> None:
    agree(WITH_WAGE, DISABILITY, subjects, on)


@given(POPULATIONS, st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2022, 12, 31)))
def test_disability_decisions_and_errors_agree_around_the_confirmed_window(
    subjects: list[Veteran], on: dt.date
) -> None:
    # Full tables from 2017-10-01 to 2018-07-31 and from 2020-08-01, grade 1 only before
    # 2017-10-01 and from 2018-08-01 to 2020-07-31: the errors for unknown cells agree too.
    agree(NATIONAL, DISABILITY, subjects, on)


@given(POPULATIONS, st.dates(min_value=dt.date(2019, 3, 2), max_value=TODAY))
def test_disability_decisions_agree_under_both_regulations_with_stale_figures(
    subjects: list[Veteran], on: dt.date
) -> None:
    # From 2024-10-01: expulsion cancels, mental-disorder nursing, no support question after
    # discharge.
    agree(STALE_WITH_WAGE, DISABILITY, subjects, on)


# Past the confirmed limit of the bundled disability standard (2026-07-31 when written).
LATE = st.dates(min_value=dt.date(2026, 8, 1), max_value=dt.date(2030, 12, 31))
STOPPING = {
    "suspended": (
        SanctionKind.FIXED_TERM_IMPRISONMENT,
        SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
        SanctionKind.WANTED,
    ),
    "cancelled": (SanctionKind.DEATH_PENALTY, SanctionKind.LIFE_IMPRISONMENT),
}


@st.composite
def settled_on(draw: st.DrawFn, on: dt.date) -> Veteran:
    """A disabled veteran whose pension the facts stop on ``on``: a sanction, or death."""
    veteran = draw(DISABLED)
    discharged = veteran.service.discharged_on
    assert discharged is not None
    if discharged < min(on, TODAY) and draw(st.booleans()):
        died = draw(st.dates(discharged, min(on - dt.timedelta(days=1), TODAY)))
        dead = attrs.evolve(veteran, person=attrs.evolve(veteran.person, died_on=died))
        assert died < on
        return dead
    kinds = STOPPING[draw(st.sampled_from(sorted(STOPPING)))]
    since = draw(st.dates(dt.date(2019, 1, 1), min(on, TODAY)))
    sanction = Sanction(kind=draw(st.sampled_from(kinds)), since=since)
    assert sanction.in_effect_on(on)
    return attrs.evolve(veteran, sanctions=(*veteran.sanctions, sanction))


@given(st.data(), LATE, st.sampled_from(("national", "guangxi")), st.booleans())
def test_disability_rows_the_facts_settle_raise_on_neither_path(
    data: st.DataObject, on: dt.date, jurisdiction: str, add_any: bool
) -> None:
    subjects = data.draw(st.lists(settled_on(on), min_size=1, max_size=6))
    if add_any:  # perhaps a row that needs the standard: then both paths raise alike
        subjects.insert(data.draw(st.integers(0, len(subjects))), data.draw(DISABLED))
    book = RuleBook.load(jurisdiction)

    agree(book, DISABILITY, subjects, on)
    if not add_any:
        assert not isinstance(expected(book, DISABILITY, subjects, on), tuple)


ONE_OFF_STANDARD = "one_off_retirement_payment.annual_standard"
LOCAL_SUPPLEMENT = "one_off_retirement_payment.local_supplement"


BONUS_2011 = NATIONAL.parameters["one_off_retirement_payment.award_bonus_rate"].versions[0]
SINCE_2011 = st.dates(dt.date(2012, 1, 1), dt.date(2025, 12, 31))


SUPPLEMENTS = ("unknown", "always", "from 2020", "with a gap", "fixed part only")


def local_supplement(draw: st.DrawFn, kind: str) -> dict[str, Any] | None:
    """Made-up Guangxi supplement figures (test inputs, not law), or None for unknown.

    Unknown (none bundled), known on every date, only from 2020, known only until a date, or
    a table without its fixed part: every kind but "always" leaves some discharges without a
    figure, which both paths must decide on the national payment alone.
    """
    if kind == "unknown":
        return None
    value = {
        "per_service_year": str(draw(vst.amounts(min_value="0.01", max_value="3000"))),
        "fixed": str(draw(vst.amounts(max_value="10000", places=1))),
    }
    if kind == "fixed part only":
        del value["fixed"]
    version: dict[str, Any] = {
        "effective_from": "2020-01-01" if kind == "from 2020" else "2011-11-01",
        "value": value,
    }
    if kind == "with a gap":
        version["known_until"] = draw(SINCE_2011).isoformat()
    return version


@st.composite
def one_off_books(
    draw: st.DrawFn, jurisdictions: tuple[str, ...] = ("national", "guangxi")
) -> RuleBook:
    """National or Guangxi books with made-up figures (test inputs, not law).

    Sometimes with gaps (``known_until``) in the standard or the 2011 bonus table, a change of
    standard on any day, or a part-year flag that is neither 0 nor 1, so that the epochs of
    the batch path and the errors of the first failing row get exercised. Guangxi books have
    a local supplement known on every date, on some dates only, or on none (none is bundled),
    and some books allow stale figures (a supplement past its ``known_until`` is then used).
    """
    jurisdiction = draw(st.sampled_from(jurisdictions))
    amounts = vst.amounts(min_value="1000", max_value="20000", places=3)
    first: dict[str, Any] = {"effective_from": "2011-11-01", "value": str(draw(amounts))}
    gap = draw(st.one_of(st.none(), SINCE_2011))
    if gap is not None:
        first["known_until"] = gap.isoformat()
    second = {"effective_from": draw(SINCE_2011).isoformat(), "value": str(draw(amounts))}
    if gap is not None and second["effective_from"] <= first["known_until"]:
        del first["known_until"]
    flag = draw(st.sampled_from(("0", "1", "0", "1", "2")))
    supplied: dict[str, Any] = {
        ONE_OFF_STANDARD: [first, second],
        "one_off_retirement_payment.round_part_years": [
            {"effective_from": draw(SINCE_2011).isoformat(), "value": flag}
        ],
    }
    bonus_gap = draw(st.one_of(st.none(), st.dates(dt.date(2012, 1, 1), dt.date(2024, 8, 30))))
    if bonus_gap is not None:
        supplied["one_off_retirement_payment.award_bonus_rate"] = {
            "effective_from": "2011-11-01",
            "value": BONUS_2011.value,
            "known_until": bonus_gap.isoformat(),
        }
    if jurisdiction == "guangxi":
        kind = draw(st.sampled_from(SUPPLEMENTS))
        event(f"guangxi supplement {kind}")
        supplement = local_supplement(draw, kind)
        if supplement is not None:
            supplied[LOCAL_SUPPLEMENT] = supplement
    book = RuleBook.load(jurisdiction).with_parameters(supplied)
    return book.allowing_stale() if draw(st.booleans()) else book


@given(ONE_OFF_POPULATIONS, one_off_books(), ONE_OFF_DATES)
def test_one_off_payments_agree(subjects: list[Veteran], book: RuleBook, on: dt.date) -> None:
    agree(book, ONE_OFF, subjects, on)


@given(ONE_OFF_POPULATIONS, one_off_books(("guangxi",)), ONE_OFF_DATES)
def test_one_off_payments_agree_whether_the_local_supplement_is_known_or_not(
    subjects: list[Veteran], book: RuleBook, on: dt.date
) -> None:
    agree(book, ONE_OFF, subjects, on)


@given(ONE_OFF_POPULATIONS, ONE_OFF_DATES, st.booleans())
def test_without_a_local_supplement_figure_guangxi_pays_what_the_national_book_pays(
    subjects: list[Veteran], on: dt.date, stale: bool
) -> None:
    standard = {ONE_OFF_STANDARD: "4500"}  # a test input, not law
    guangxi = RuleBook.load("guangxi", allow_stale=stale).with_parameters(standard)
    national = RuleBook.load("national", allow_stale=stale).with_parameters(standard)

    agree(guangxi, ONE_OFF, subjects, on)
    assert actual(national, ONE_OFF, subjects, on) == actual(guangxi, ONE_OFF, subjects, on)


@given(ONE_OFF_POPULATIONS, st.sampled_from(("national", "guangxi")), ONE_OFF_DATES)
def test_one_off_errors_agree_with_the_bundled_books(
    subjects: list[Veteran], jurisdiction: str, on: dt.date
) -> None:
    book = RuleBook.load(jurisdiction)  # no standard bundled: payable rows raise

    agree(book, ONE_OFF, subjects, on)


@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
            st.integers(1, 20 * 366),
        ),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_counted_months_agree_with_the_rule(
    spans: list[tuple[dt.date, int]], rounded: bool
) -> None:
    enlisted = np.array([start for start, _ in spans], dtype="datetime64[D]")
    discharged = enlisted + np.array([days for _, days in spans])
    size = len(spans)
    columns = {
        "personnel_type": np.full(size, PERSONNEL_TYPES.index(PersonnelType.CONSCRIPT), np.int8),
        "discharge_mode": np.full(
            size, DISCHARGE_MODES.index(DischargeMode.SELF_EMPLOYMENT), np.int8
        ),
        "enlisted_on": enlisted,
        "discharged_on": discharged,
        "died_on": np.full(size, np.datetime64("NaT"), dtype="datetime64[D]"),
        "expelled_from": np.full(size, np.datetime64("NaT"), dtype="datetime64[D]"),
        "award_kinds": np.zeros(size, dtype=np.uint16),
    }
    book = NATIONAL.with_parameters(  # test inputs, not law
        {ONE_OFF_STANDARD: "12", "one_off_retirement_payment.round_part_years": int(rounded)}
    )
    payable = discharged >= np.datetime64("2011-11-01")

    result = evaluate_batch(book, ONE_OFF, columns, on=dt.date(2099, 1, 1))

    expected = [
        counted_months(start, start + dt.timedelta(days=days), round_part_years=rounded)
        if paid
        else 0
        for (start, days), paid in zip(spans, payable.tolist(), strict=True)
    ]
    assert expected == result["counted_months"].tolist()


def concatenated(
    book: RuleBook, rule: str, columns: Arrays, cuts: list[int], on: dt.date
) -> Arrays:
    bounds = [0, *sorted(cuts), len(next(iter(columns.values())))]
    parts = [
        evaluate_batch(book, rule, {k: v[a:b] for k, v in columns.items()}, on=on)
        for a, b in itertools.pairwise(bounds)
    ]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


@given(
    st.lists(st.one_of(sanctioned(DISABLED), self_employed(), vst.veterans()), max_size=10),
    CONFIRMED,
    st.lists(st.integers(0, 10), max_size=3),
    st.data(),
)
def test_results_do_not_depend_on_how_the_rows_are_partitioned(
    subjects: list[Veteran], on: dt.date, cuts: list[int], data: st.DataObject
) -> None:
    cuts = [min(cut, len(subjects)) for cut in cuts]
    columns = columns_from(subjects)
    book = data.draw(one_off_books()).with_parameters({WAGE: "7123.45"})  # test input

    for rule in (DISABILITY, ONE_OFF):
        if isinstance(actual(book, rule, subjects, on), tuple):
            continue  # the whole batch raises; the partition holding the row raises the same
        whole = evaluate_batch(book, rule, columns, on=on)
        parts = concatenated(book, rule, columns, cuts, on)
        assert {k: v.tolist() for k, v in whole.items()} == {
            k: v.tolist() for k, v in parts.items()
        }
        assert {k: v.dtype for k, v in whole.items()} == {k: v.dtype for k, v in parts.items()}


@st.composite
def dead_disabled(draw: st.DrawFn) -> Veteran:
    """A disabled veteran who died after the discharge (the funeral aid names a figure)."""
    veteran = draw(DISABLED)
    discharged = veteran.service.discharged_on
    assert discharged is not None
    died = draw(st.dates(discharged, max(discharged, TODAY)))
    return attrs.evolve(veteran, person=attrs.evolve(veteran.person, died_on=died))


# A full table known only until a day before 2015-10-01 (test inputs, not law: the 2020-08-01
# amounts): a death after that day and before the next version names a stale figure.
FULL_TABLE = {
    nature: {str(grade): str(amount) for grade, amount in enumerate(amounts, start=1)}
    for nature, amounts in {
        "in-combat": (96970, 87750, 77000, 63110, 49290, 38510, 29270, 18480, 15350, 10780),
        "on-duty": (93910, 83140, 72360, 56970, 43100, 36440, 26200, 16920, 12330, 9220),
        "illness": (90830, 80030, 67770, 52350, 40030, 30780),
    }.items()
}


@given(
    st.lists(st.one_of(dead_disabled(), DISABLED), max_size=8),
    st.dates(dt.date(2019, 3, 2), TODAY),
    st.dates(dt.date(2001, 1, 1), dt.date(2015, 9, 30)),
)
def test_a_stale_figure_named_by_the_funeral_aid_marks_the_row_stale_on_both_paths(
    subjects: list[Veteran], on: dt.date, until: dt.date
) -> None:
    version = {"effective_from": "2000-01-01", "value": FULL_TABLE, "known_until": str(until)}
    book = STALE_WITH_WAGE.with_parameters({"disability_pension.annual_standard": version})

    agree(book, DISABILITY, subjects, on)
