"""Benchmarks of the rules: the explained per-subject path and the batch path over columns.

Run with ``python benchmarks/bench_rules.py [--n N] [--subjects S] [--repeat R]``. Prints the
machine, then a Markdown table, ready to paste into ``docs/benchmarks-rules.md``. Nothing
here asserts a time: tests never time anything.

What is measured:

* **per subject** — ``book.evaluate("disability_pension", veteran, on=...)`` for ``S``
  disabled veterans (varied grade, nature, support, some sanctions and deaths), each call
  timed on its own: the median and the 90th percentile in µs (goal: median ≤ 20 µs);
  ``columns_from`` on the same veterans, per veteran;
* **batch** — :func:`veteran_affairs.rules.batch.evaluate_batch` for ``N`` synthetic
  persons (columns built directly with numpy from a seeded generator), for
  ``one_off_retirement_payment`` and ``disability_pension``, against a hand-written plain
  numpy version of the same computation on the same columns in the same run (goal: at most
  twice its time). The plain version has its parameters resolved beforehand, validates
  nothing and rounds with integer arithmetic; its results are checked equal to the batch
  path's before anything is reported. Each timing is the best of ``R`` runs.

Every run also checks the per-subject decisions against ``evaluate_batch`` on
``columns_from`` of the same veterans (eligibility, amount and monthly amount to the fen).
``--smoke`` runs it all on 2,000 persons and 200 veterans, once, and prints no timing: the
check ``make test`` runs, so that this script cannot rot.

The figures of the rule book used here are made up (test inputs, not law): the one-off
standard, Guangxi's local supplement and the local wage are not confirmed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

_ROOT = Path(__file__).resolve().parent.parent
# Measure this checkout, not whatever copy of the package is installed.
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.identity import DivisionCode, ResidentId, check_character  # noqa: E402
from veteran_affairs.models import (  # noqa: E402
    Award,
    AwardKind,
    Circumstances,
    Disability,
    DisabilityNature,
    DischargeMode,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    Sanction,
    SanctionKind,
    ServiceRecord,
    Veteran,
)
from veteran_affairs.money import to_fen  # noqa: E402
from veteran_affairs.rules import RuleBook  # noqa: E402
from veteran_affairs.rules.batch import COLUMNS, columns_from, evaluate_batch  # noqa: E402

Array = npt.NDArray[Any]
DISABILITY = "disability_pension"
ONE_OFF = "one_off_retirement_payment"
DISABILITY_ON = dt.date(2021, 1, 6)  # a date of the full 2020-08-01 table
ONE_OFF_ON = dt.date(2026, 1, 6)
NAT = np.datetime64("NaT", "D")
# The codes of the batch columns, read from their catalogue: the position is the code.
DISABILITY_NATURES = tuple(DisabilityNature(v) for v in COLUMNS["disability_nature"].codes)
AWARD_KINDS = tuple(AwardKind(v) for v in COLUMNS["award_kinds"].codes)

# Made-up figures (test inputs, not law).
BOOK = RuleBook.load("guangxi").with_parameters(
    {
        "disability_pension.local_average_monthly_wage": "7000",
        "one_off_retirement_payment.annual_standard": [
            {"effective_from": "2011-11-01", "value": "5000"},
            {"effective_from": "2024-09-01", "value": "6000"},
        ],
        "one_off_retirement_payment.local_supplement": {
            "per_service_year": "1000",
            "fixed": "2000",
        },
    }
)

_COUNTIES = ("450312", "450323", "450325", "450802", "450821", "450881", "451203", "450110")


# --- per subject ----------------------------------------------------------------------------


def disabled_veterans(count: int, seed: int) -> list[Veteran]:
    """Disabled veterans of every nature and grade, some dead or sanctioned (seeded)."""
    rng = random.Random(seed)
    found: list[Veteran] = []
    while len(found) < count:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
        body = f"{rng.choice(_COUNTIES)}{born:%Y%m%d}{rng.randrange(0, 999):03d}"
        enlisted = born + dt.timedelta(days=365 * 18 + rng.randrange(0, 365 * 4))
        discharged = enlisted + dt.timedelta(days=rng.randrange(700, 365 * 12))
        kind = rng.choice((PersonnelType.CONSCRIPT, PersonnelType.NCO, PersonnelType.OFFICER))
        rank = rng.choice(tuple(NcoRank)) if kind is PersonnelType.NCO else None
        mode = {
            PersonnelType.CONSCRIPT: DischargeMode.SELF_EMPLOYMENT,
            PersonnelType.NCO: DischargeMode.RETIREMENT,
            PersonnelType.OFFICER: DischargeMode.CIVILIAN_TRANSFER,
        }[kind]
        illness_allowed = kind is PersonnelType.CONSCRIPT or rank is NcoRank.JUNIOR
        natures = tuple(DisabilityNature) if illness_allowed else DISABILITY_NATURES[:2]
        assessed = enlisted + dt.timedelta(days=rng.randrange(0, 365 * 20))
        died = None
        if rng.random() < 0.1:  # after the discharge: one who died in service is no veteran
            died = max(assessed, discharged) + dt.timedelta(days=rng.randrange(0, 365 * 5))
        sanctions: tuple[Sanction, ...] = ()
        if rng.random() < 0.05:
            since = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
            sanctions = (Sanction(kind=rng.choice(tuple(SanctionKind)), since=since),)
        if max(assessed, died or assessed) > dt.date(2025, 12, 31):
            continue
        found.append(
            Veteran(
                person=Person(
                    resident_id=ResidentId(body + check_character(body)),
                    name="韦建国",
                    hukou_division=DivisionCode(rng.choice(_COUNTIES)),
                    hukou_type=rng.choice(tuple(HukouType)),
                    died_on=died,
                ),
                service=ServiceRecord(
                    enlisted_on=enlisted,
                    discharged_on=discharged,
                    personnel_type=kind,
                    nco_rank=rank,
                    discharge_mode=mode,
                    awards=(Award(kind=AwardKind.THIRD_CLASS_MERIT, awarded_on=enlisted),)
                    if rng.random() < 0.1
                    else (),
                ),
                disability=Disability(
                    grade=rng.randint(1, 10),
                    nature=rng.choice(natures),
                    assessed_on=assessed,
                    mental_disorder=rng.random() < 0.05,
                ),
                circumstances=Circumstances(
                    centrally_supported=rng.choice((None, False, False, True))
                ),
                sanctions=sanctions,
            )
        )
    return found


def per_call_us(work: Callable[[Veteran], object], subjects: Sequence[Veteran]) -> list[float]:
    clock = time.perf_counter_ns
    times: list[float] = []
    for subject in subjects:
        start = clock()
        work(subject)
        times.append((clock() - start) / 1000)
    return times


# --- batch: synthetic columns ---------------------------------------------------------------


def synthetic_columns(n: int, seed: int) -> dict[str, Array]:
    """``n`` persons as batch columns, built directly with numpy (seeded)."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n, p=[0.1, 0.4, 0.5])
    # Modes the type allows: officers 0–3, NCOs 0, 2, 4–6, conscripts 4–6; -1 now and then.
    officer_mode = rng.integers(0, 4, size=n, dtype=np.int8)
    nco_mode = rng.choice(np.array([0, 2, 4, 4, 4, 5, 6], dtype=np.int8), size=n)
    conscript_mode = rng.choice(np.array([4, 4, 4, 5, 6], dtype=np.int8), size=n)
    mode = np.select([kind == 0, kind == 1], [officer_mode, nco_mode], conscript_mode)
    mode = np.where(rng.random(n) < 0.03, -1, mode).astype(np.int8)
    enlisted = np.datetime64("1995-01-01") + rng.integers(0, 27 * 365, size=n)
    length = np.select(
        [kind == 0, kind == 1],
        [rng.integers(8 * 365, 25 * 365, size=n), rng.integers(3 * 365, 16 * 365, size=n)],
        rng.integers(700, 800, size=n),
    )
    discharged = np.minimum(enlisted + length, np.datetime64("2025-12-31"))
    discharged = np.maximum(discharged, enlisted + 1)
    died = np.where(rng.random(n) < 0.03, discharged + rng.integers(0, 3000, size=n), NAT)
    bits = rng.integers(0, len(AWARD_KINDS), size=(n, 2))
    awards = np.where(rng.random(n) < 0.10, 1 << bits[:, 0], 0)
    awards |= np.where(rng.random(n) < 0.02, 1 << bits[:, 1], 0)
    disabled = rng.random(n) < 0.15
    grade = np.where(disabled, rng.integers(1, 11, size=n), 0).astype(np.int8)
    nature = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n, p=[0.2, 0.6, 0.2])
    assessed = enlisted + rng.integers(0, 25 * 365, size=n)
    suspended = rng.random(n) < 0.005
    suspended_from = np.where(
        suspended, np.datetime64("2015-01-01") + rng.integers(0, 3650, size=n), NAT
    )
    open_ended = rng.random(n) < 0.5
    suspended_until = np.where(
        suspended & ~open_ended, suspended_from + rng.integers(0, 1500, size=n), NAT
    )
    cancelled = np.where(
        rng.random(n) < 0.002, np.datetime64("2012-01-01") + rng.integers(0, 4000, size=n), NAT
    )
    expelled = np.where(rng.random(n) < 0.001, discharged - rng.integers(0, 400, size=n), NAT)
    return {
        "personnel_type": kind,
        "discharge_mode": mode,
        "enlisted_on": enlisted.astype("datetime64[D]"),
        "discharged_on": discharged.astype("datetime64[D]"),
        "died_on": died.astype("datetime64[D]"),
        "award_kinds": awards.astype(np.uint16),
        "disability_grade": grade,
        "disability_nature": np.where(disabled, nature, -1).astype(np.int8),
        "disability_assessed_on": np.where(disabled, assessed, NAT).astype("datetime64[D]"),
        "mental_disorder": disabled & (rng.random(n) < 0.05),
        "centrally_supported": rng.choice(
            np.array([-1, 0, 1], dtype=np.int8), size=n, p=[0.3, 0.6, 0.1]
        ),
        "cancelled_from": cancelled.astype("datetime64[D]"),
        "expelled_from": expelled.astype("datetime64[D]"),
        "suspended_from": suspended_from.astype("datetime64[D]"),
        "suspended_until": suspended_until.astype("datetime64[D]"),
    }


# --- batch: the hand-written plain numpy version --------------------------------------------


def plain_disability_tables() -> tuple[Array, Array]:
    """The 2020 table in fen and the nursing allowance in fen, by nature × grade."""
    annual = np.zeros((3, 11), dtype=np.int64)
    nursing = np.zeros((3, 11), dtype=np.int64)
    standard = BOOK.parameters["disability_pension.annual_standard"]
    wage_fen = 700000
    for code, nature in enumerate(DISABILITY_NATURES):
        for grade in range(1, 11):
            if nature is DisabilityNature.ILLNESS and grade > 6:
                continue
            value, _ = standard.value_on(DISABILITY_ON, nature.value, str(grade))
            annual[code, grade] = to_fen(value)
        for grade in range(1, 5):
            percent = 30 if nature is DisabilityNature.ILLNESS else 50 if grade <= 2 else 40
            nursing[code, grade] = (wage_fen * percent * 2 + 100) // 200
    return annual, nursing


def plain_disability(c: Mapping[str, Array], annual: Array, nursing: Array) -> dict[str, Array]:
    day = np.datetime64(DISABILITY_ON, "D")
    grade = c["disability_grade"].astype(np.intp)
    nature = np.maximum(c["disability_nature"], 0).astype(np.intp)
    next_month = (np.datetime64(DISABILITY_ON, "M") + 1).astype("datetime64[D]")
    approved = c["disability_assessed_on"] < next_month
    pensioned = (nature != 2) | (grade <= 6)
    alive = np.isnat(c["died_on"]) | (c["died_on"] >= day)
    until = c["suspended_until"]
    stopped = (c["cancelled_from"] <= day) | (
        (c["suspended_from"] <= day) & (np.isnat(until) | (until >= day))
    )
    eligible = (grade > 0) & approved & pensioned & alive & ~stopped
    cell = nature * 11 + grade
    amount = np.where(eligible, annual.ravel()[cell], 0)
    monthly = (amount * 2 + 12) // 24  # a twelfth, half up to the fen
    severe = eligible & (grade <= 4)
    supported = c["centrally_supported"]
    due = severe & (supported == 0)
    status = np.where(due, 1, np.where(severe & (supported < 0), -1, 0)).astype(np.int8)
    return {
        "eligible": eligible.astype(np.int8),
        "amount_fen": amount,
        "monthly_fen": monthly,
        "nursing_allowance_fen": np.where(due, nursing.ravel()[cell], 0),
        "nursing_allowance_status": status,
    }


def plain_bonus_percent() -> tuple[Array, Array]:
    """The bonus percentage of the highest award, for every set of awards, 2011 and 2024."""
    rates = BOOK.parameters["one_off_retirement_payment.award_bonus_rate"].versions
    tables = []
    for version in rates:
        value = version.value
        assert isinstance(value, Mapping)
        best = np.zeros(1 << len(AWARD_KINDS), dtype=np.int64)
        for bit, kind in enumerate(AWARD_KINDS):
            rate = value.get(kind.value)
            if isinstance(rate, Decimal):
                held = (np.arange(best.size) >> bit) & 1 == 1
                best[held] = np.maximum(best[held], int(rate * 100))
        tables.append(best)
    return tables[0], tables[1]


def months_by_casting(enlisted: Array, discharged: Array) -> tuple[Array, Array]:
    """relativedelta's whole months and days, with numpy's datetime64[M] casts per row."""
    first = enlisted.astype("datetime64[M]")
    last = discharged.astype("datetime64[M]")
    day = (enlisted - first.astype("datetime64[D]")).astype(np.int64)
    start = last.astype("datetime64[D]")
    length = ((last + 1).astype("datetime64[D]") - start).astype(np.int64)
    back = (start + np.minimum(day, length - 1) > discharged).astype(np.int64)
    month = last - back.astype("timedelta64[M]")
    start = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - start).astype(np.int64)
    days = (discharged - (start + np.minimum(day, length - 1))).astype(np.int64)
    return (month - first).astype(np.int64), days


def months_by_lookup(enlisted: Array, discharged: Array) -> tuple[Array, Array]:
    """The same, casting only a table of the days in range and looking rows up in it."""
    first = min(enlisted.min(), discharged.min())
    span = np.arange(first, max(enlisted.max(), discharged.max()) + 1, dtype="datetime64[D]")
    span_months = span.astype("datetime64[M]")
    month_of = span_months.astype(np.int32)
    day_of = (span - span_months.astype("datetime64[D]")).astype(np.int32)
    base = int(month_of[0]) - 1
    edges = np.arange(base, int(month_of[-1]) + 2).astype("datetime64[M]")
    length_of = np.diff(edges.astype("datetime64[D]")).astype(np.int32)
    start, end = (enlisted - first).view(np.int64), (discharged - first).view(np.int64)
    day, end_day = day_of.take(start), day_of.take(end)
    last = month_of.take(end)
    length = length_of.take(last - base)
    previous = length_of.take(last - 1 - base)
    back = np.minimum(day, length - 1) > end_day
    days = np.where(
        back,
        end_day + previous - np.minimum(day, previous - 1),
        end_day - np.minimum(day, length - 1),
    )
    return last - month_of.take(start) - back, days


def plain_one_off(
    c: Mapping[str, Array],
    old: Array,
    new: Array,
    months_of: Callable[[Array, Array], tuple[Array, Array]] = months_by_lookup,
) -> dict[str, Array]:
    discharged = c["discharged_on"]
    died = c["died_on"]
    mode = c["discharge_mode"]
    refused = (
        (discharged < np.datetime64("2011-11-01"))
        | (c["personnel_type"] == 0)
        | ((mode >= 0) & (mode != 4))
        | (discharged > np.datetime64(ONE_OFF_ON, "D"))
        | (died < discharged)
        | (c["expelled_from"] <= discharged)
    )
    paid = ~refused & (mode >= 0)
    months, days = months_of(c["enlisted_on"], discharged)
    # Part years (the bundled rule): none, up to exactly half a year, more.
    rest = months % 12
    part = np.where(
        (rest == 0) & (days == 0), 0, np.where((rest < 6) | ((rest == 6) & (days == 0)), 6, 12)
    )
    counted = np.where(paid, months - rest + part, 0)
    regime_2024 = discharged >= np.datetime64("2024-09-01")
    standard = np.where(regime_2024, 600000, 500000)
    base = (standard * counted * 2 + 12) // 24  # a twelfth per month, half up to the fen
    percent = np.where(regime_2024, new[c["award_kinds"]], old[c["award_kinds"]])
    bonus = (base * percent * 2 + 100) // 200
    supplement = np.where(paid, (100000 * counted * 2 + 12) // 24 + 200000, 0)
    return {
        "eligible": np.where(refused, 0, np.where(mode < 0, -1, 1)).astype(np.int8),
        "amount_fen": base + bonus + supplement,
        "monthly_fen": np.zeros(len(mode), dtype=np.int64),
        "counted_months": counted.astype(np.int32),
        "base_fen": base,
        "award_bonus_fen": bonus,
        "local_supplement_fen": supplement,
    }


def fen(amount: Decimal | None) -> int:
    return 0 if amount is None else to_fen(amount)


def agree_one_by_one(subjects: Sequence[Veteran], decisions: Sequence[Any]) -> None:
    """The per-subject decisions equal the batch path's on ``columns_from`` of the same."""
    batch = evaluate_batch(BOOK, DISABILITY, columns_from(subjects), on=DISABILITY_ON)
    for row, decision in enumerate(decisions):
        eligible = {True: 1, False: 0, None: -1}[decision.eligible]
        mine = (eligible, fen(decision.amount), fen(decision.monthly))
        if decision.eligible is not True:
            mine = (eligible, 0, 0)
        theirs = tuple(int(batch[name][row]) for name in ("eligible", "amount_fen", "monthly_fen"))
        if mine != theirs:
            raise SystemExit(f"veteran {row}: per subject {mine}, batch {theirs}")


def best_of(work: Callable[[], dict[str, Array]], repeat: int) -> tuple[float, dict[str, Array]]:
    best = float("inf")
    result: dict[str, Array] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def same(left: Mapping[str, Array], right: Mapping[str, Array], label: str) -> None:
    """Every output of the plain version (``right``) equal to the batch path's (``left``)."""
    for name in right:
        if not np.array_equal(left[name], right[name]):
            raise SystemExit(f"{label}: the plain version disagrees on {name}")


# --- report ---------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the rules, both paths.")
    parser.add_argument("--n", type=int, default=1_000_000, help="persons in the batch")
    parser.add_argument(
        "--subjects", type=int, default=20_000, help="veterans decided one at a time"
    )
    parser.add_argument("--repeat", type=int, default=5, help="best of this many batch runs")
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 persons, 200 veterans, once; no timing"
    )
    args = parser.parse_args(argv)
    n, count, repeat = max(args.n, 10), max(args.subjects, 10), max(args.repeat, 1)
    if args.smoke:
        n, count, repeat = 2_000, 200, 1

    progress(f"building {count:,} veterans")
    subjects = disabled_veterans(count, seed=2021)
    for subject in subjects[:200]:  # warm up caches before the clock starts
        BOOK.evaluate(DISABILITY, subject, on=DISABILITY_ON)
    progress("per-subject decisions")
    calls = per_call_us(lambda v: BOOK.evaluate(DISABILITY, v, on=DISABILITY_ON), subjects)
    decisions = [BOOK.evaluate(DISABILITY, v, on=DISABILITY_ON) for v in subjects]
    eligible = sum(decision.eligible is True for decision in decisions)
    agree_one_by_one(subjects, decisions)
    start = time.perf_counter()
    columns_from(subjects)
    from_models = (time.perf_counter() - start) / count * 1e6

    progress(f"building {n:,} synthetic persons")
    columns = synthetic_columns(n, seed=2021)
    annual, nursing = plain_disability_tables()
    old, new = plain_bonus_percent()
    plain_versions: list[tuple[str, dt.date, Callable[[], dict[str, Array]]]] = [
        (ONE_OFF, ONE_OFF_ON, lambda: plain_one_off(columns, old, new)),
        (DISABILITY, DISABILITY_ON, lambda: plain_disability(columns, annual, nursing)),
    ]
    rows: list[tuple[str, float, float]] = []
    for rule, on, plain in plain_versions:
        progress(f"batch {rule}")

        def ours_now(rule: str = rule, on: dt.date = on) -> dict[str, Array]:
            return evaluate_batch(BOOK, rule, columns, on=on)

        ours, result = best_of(ours_now, repeat)
        theirs, reference = best_of(plain, repeat)
        same(result, reference, rule)
        rows.append((rule, ours, theirs))
    progress("plain one-off payment with datetime64[M] casts per row")
    casting, reference = best_of(
        lambda: plain_one_off(columns, old, new, months_by_casting), repeat
    )
    same(reference, plain_one_off(columns, old, new), "casting")
    if args.smoke:
        print(
            f"bench_rules smoke: {count:,} veterans one by one and in batch, {n:,} persons "
            "in batch and in plain numpy: the same decisions"
        )
        return 0

    print(f"## Rule benchmarks (N = {n:,}, S = {count:,})\n")
    print(f"- date: {dt.date.today().isoformat()}")
    print(f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores")
    print(
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}; numpy {_version('numpy')}, "
        f"attrs {_version('attrs')}"
    )
    print(
        f"- command: `python benchmarks/bench_rules.py --n {n} --subjects {count} "
        f"--repeat {repeat}`; batch rows are the best of {repeat} runs\n"
    )
    print("| benchmark | items | result | goal |")
    print("| --- | ---: | ---: | --- |")
    print(
        f'| per subject: `book.evaluate("disability_pension", v, on=...)`, disabled veterans '
        f"({eligible:,} eligible) | {count:,} | median {statistics.median(calls):.1f} µs, "
        f"p90 {statistics.quantiles(calls, n=10)[-1]:.1f} µs | median ≤ 20 µs |"
    )
    print(f"| `columns_from(veterans)` | {count:,} | {from_models:.1f} µs per veteran | |")
    total_ours = total_theirs = 0.0
    for rule, ours, theirs in rows:
        total_ours += ours
        total_theirs += theirs
        print(
            f"| batch `{rule}`: `evaluate_batch` / plain numpy | {n:,} | "
            f"{ours * 1e3:,.0f} ms / {theirs * 1e3:,.0f} ms = {ours / theirs:.2f}× | ≤ 2× |"
        )
    print(
        f"| (plain numpy one-off payment, casting every row to datetime64[M] instead) | {n:,} "
        f"| {casting * 1e3:,.0f} ms | |"
    )
    print(
        f"| batch, both rules | {n:,} | {total_ours * 1e3:,.0f} ms / "
        f"{total_theirs * 1e3:,.0f} ms = {total_ours / total_theirs:.2f}× "
        f"({total_ours / n * 1e9:,.0f} ns per person) | ≤ 2× |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
