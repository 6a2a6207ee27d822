"""Benchmarks of the foundation: models, converter, identity numbers, division codes.

Run with ``make bench`` or ``python benchmarks/bench_foundation.py [--n N]``. Prints the
machine, then a Markdown table of timings and one of memory, ready to paste into
``docs/benchmarks.md``. Nothing here asserts a time: tests never time anything.

What is measured (``--n`` scales every part; the default is a province, one million):

* constructing ``N`` veterans — ``Person`` + ``ServiceRecord`` + ``Veteran`` — from inputs made
  beforehand (identity numbers, codes, dates), so the clock sees construction and validation
  only; then, in a second pass under :mod:`tracemalloc`, the memory of holding them;
* the converter of :mod:`veteran_affairs.serialization`: unstructure and structure per veteran
  (``N / 10`` veterans), with and without detailed validation;
* ``ResidentId`` creation (validation) per number, ``N`` distinct numbers;
* ``DivisionCode`` creation per code, ``N`` codes of 6, 9 and 12 digits.

``--smoke`` runs every part on 200 items, once, without the memory pass, checks the results
(distinct identity numbers, every veteran built, the converter's round trip, the levels of the
codes) and prints no timing: the check ``make test`` runs so that this script cannot rot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.metadata
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import cattrs

_ROOT = Path(__file__).resolve().parent.parent
# Measure this checkout, not whatever copy of the package is installed.
sys.path.insert(0, str(_ROOT / "src"))

from veteran_affairs.identity import (  # noqa: E402
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
    check_character,
)
from veteran_affairs.models import (  # noqa: E402
    Disability,
    DisabilityNature,
    DischargeMode,
    EntitlementCategory,
    EntitlementStatus,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    ServiceRecord,
    Veteran,
)

MB = 1024 * 1024

# Real Guangxi county-level codes (临桂区, 灵川县, 兴安县, 港北区, 平南县, 桂平市, 宜州区, 武鸣区).
_COUNTIES = ("450312", "450323", "450325", "450802", "450821", "450881", "451203", "450110")
_NAMES = ("韦建国", "黄秀兰", "覃志强", "莫丽华", "蒙卫东", "李秀英", "陆海军", "梁红梅")
_STRIDE = 3659  # a prime: steps through every birth date of the span before repeating


@attrs.frozen(kw_only=True)
class VeteranInputs:
    """Everything one veteran is built from, made before the clock starts."""

    resident_id: ResidentId
    name: str
    hukou_division: DivisionCode
    hukou_type: HukouType
    enlisted_on: dt.date
    discharged_on: dt.date
    personnel_type: PersonnelType
    nco_rank: NcoRank | None
    discharge_mode: DischargeMode


@attrs.frozen(kw_only=True)
class Row:
    """One line of the timing table."""

    name: str
    count: int
    seconds: float
    note: str = ""

    @property
    def per_item_us(self) -> float:
        return self.seconds / self.count * 1e6


# --- inputs ---------------------------------------------------------------------------------


def resident_id_texts(count: int) -> list[str]:
    """``count`` distinct, valid 18-character numbers, born 1940–1985, both sexes.

    Number ``i`` takes its county from ``i``, its birth date from ``i // 8`` (spread over the
    whole span by a stride prime to its length) and its sequence number from what is left, so
    no two are alike.
    """
    first = dt.date(1940, 1, 1)
    span = (dt.date(1985, 12, 31) - first).days + 1
    per_sequence = len(_COUNTIES) * span
    if count > per_sequence * 999:
        raise ValueError(f"at most {per_sequence * 999:,} distinct numbers")
    texts: list[str] = []
    for index in range(count):
        county = _COUNTIES[index % len(_COUNTIES)]
        born = first + dt.timedelta(days=(index // len(_COUNTIES)) * _STRIDE % span)
        sequence = 1 + index // per_sequence
        body = f"{county}{born:%Y%m%d}{sequence:03d}"
        texts.append(body + check_character(body))
    return texts


_SERVICE_SHAPES: tuple[tuple[PersonnelType, NcoRank | None, DischargeMode, int], ...] = (
    (PersonnelType.CONSCRIPT, None, DischargeMode.SELF_EMPLOYMENT, 2),
    (PersonnelType.NCO, NcoRank.JUNIOR, DischargeMode.SELF_EMPLOYMENT, 5),
    (PersonnelType.NCO, NcoRank.INTERMEDIATE_OR_SENIOR, DischargeMode.ARRANGED_EMPLOYMENT, 12),
    (PersonnelType.OFFICER, None, DischargeMode.CIVILIAN_TRANSFER, 16),
)


def veteran_inputs(ids: Sequence[ResidentId]) -> list[VeteranInputs]:
    """Inputs for one veteran per identity number, in four service shapes."""
    hukou = [DivisionCode(county) for county in _COUNTIES]
    made: list[VeteranInputs] = []
    for index, rid in enumerate(ids):
        kind, rank, mode, years = _SERVICE_SHAPES[index % len(_SERVICE_SHAPES)]
        born = rid.birth_date
        enlisted = dt.date(born.year + 18, 9 if index % 2 else 12, 1)
        made.append(
            VeteranInputs(
                resident_id=rid,
                name=_NAMES[index % len(_NAMES)],
                hukou_division=hukou[index % len(hukou)],
                hukou_type=HukouType.RURAL if index % 3 else HukouType.URBAN,
                enlisted_on=enlisted,
                discharged_on=dt.date(enlisted.year + years, enlisted.month, 1),
                personnel_type=kind,
                nco_rank=rank,
                discharge_mode=mode,
            )
        )
    return made


def build_veterans(inputs: Iterable[VeteranInputs]) -> list[Veteran]:
    """The code under test for (a): one Person, ServiceRecord and Veteran per input."""
    return [
        Veteran(
            person=Person(
                resident_id=i.resident_id,
                name=i.name,
                hukou_division=i.hukou_division,
                hukou_type=i.hukou_type,
            ),
            service=ServiceRecord(
                enlisted_on=i.enlisted_on,
                personnel_type=i.personnel_type,
                nco_rank=i.nco_rank,
                discharged_on=i.discharged_on,
                discharge_mode=i.discharge_mode,
            ),
        )
        for i in inputs
    ]


def enrich(veterans: Sequence[Veteran]) -> list[Veteran]:
    """Every fourth veteran disabled on duty, with the matching status: fuller documents."""
    out: list[Veteran] = []
    for index, veteran in enumerate(veterans):
        if index % 4 == 3:
            assessed = veteran.service.discharged_on or veteran.service.enlisted_on
            veteran = attrs.evolve(
                veteran,
                disability=Disability(
                    grade=1 + index % 10, nature=DisabilityNature.ON_DUTY, assessed_on=assessed
                ),
                statuses=(
                    EntitlementStatus(
                        category=EntitlementCategory.DISABLED_SERVICEMEMBER, since=assessed
                    ),
                ),
            )
        out.append(veteran)
    return out


def by_hand(doc: dict[str, Any]) -> Veteran:
    """A veteran from the converter's plain form, without cattrs: the floor for (b).

    Parses the same texts and builds the same models with the same validators, but checks
    nothing the models do not check themselves (no key or type checks, no error collection).
    """
    p, s, d = doc["person"], doc["service"], doc["disability"]
    day = dt.date.fromisoformat
    return Veteran(
        person=Person(
            resident_id=ResidentId(p["resident_id"]),
            name=p["name"],
            hukou_division=DivisionCode(p["hukou_division"]),
            hukou_type=HukouType(p["hukou_type"]),
            sex=Sex(p["sex"]),
            birth_date=day(p["birth_date"]),
            ethnicity=p["ethnicity"],
            phone=p["phone"],
        ),
        service=ServiceRecord(
            enlisted_on=day(s["enlisted_on"]),
            personnel_type=PersonnelType(s["personnel_type"]),
            discharged_on=day(s["discharged_on"]) if s["discharged_on"] else None,
            nco_rank=NcoRank(s["nco_rank"]) if s["nco_rank"] else None,
            discharge_mode=DischargeMode(s["discharge_mode"]) if s["discharge_mode"] else None,
            awards=(),
            combat_participant=s["combat_participant"],
            test_participant=s["test_participant"],
        ),
        disability=None
        if d is None
        else Disability(
            grade=d["grade"],
            nature=DisabilityNature(d["nature"]),
            assessed_on=day(d["assessed_on"]),
            mental_disorder=d["mental_disorder"],
        ),
        statuses=tuple(
            EntitlementStatus(
                category=EntitlementCategory(x["category"]),
                since=day(x["since"]),
                until=day(x["until"]) if x["until"] else None,
            )
            for x in doc["statuses"]
        ),
    )


# --- measuring ------------------------------------------------------------------------------


def clock(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs of ``work`` and the result of the last run."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        result = None  # let the previous result go before the next run
        gc.collect()
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def traced(work: Callable[[], Any]) -> tuple[int, int, Any]:
    """Memory (bytes) still held by ``work``'s result, peak during it, and the result."""
    gc.collect()
    tracemalloc.start()
    try:
        result = work()
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return held, peak, result


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


def machine_notes() -> list[str]:
    return [
        f"- date: {dt.date.today().isoformat()}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores",
        (
            f"- Python {platform.python_version()} ({platform.python_implementation()}), "
            f"{platform.system()} {platform.machine()}"
        ),
        f"- attrs {_version('attrs')}, cattrs {_version('cattrs')}",
    ]


# --- the benchmarks -------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def bench_resident_ids(n: int, repeat: int) -> tuple[Row, list[ResidentId]]:
    """(c) ``ResidentId`` creation per number; returns the numbers for (a)."""
    progress(f"{n:,} identity numbers")
    texts = resident_id_texts(n)

    def work() -> list[ResidentId]:
        return [ResidentId(text) for text in texts]

    seconds, ids = clock(work, repeat)
    row = Row(
        name="`ResidentId(text)`: normalise and validate",
        count=n,
        seconds=seconds,
        note="distinct numbers; includes the address-code and birth-date checks",
    )
    return row, ids


def bench_division_codes(n: int, repeat: int) -> list[Row]:
    """(d) ``DivisionCode`` creation per code, and reading the level back."""
    progress(f"{n:,} division codes")
    suffixes = ("", "101", "101203")
    texts = [_COUNTIES[i % len(_COUNTIES)] + suffixes[i % len(suffixes)] for i in range(n)]

    def build() -> list[DivisionCode]:
        return [DivisionCode(text) for text in texts]

    seconds, codes = clock(build, repeat)

    def levels() -> list[DivisionLevel]:
        return [code.level for code in codes]

    level_seconds, _ = clock(levels, repeat)
    return [
        Row(
            name="`DivisionCode(text)`",
            count=n,
            seconds=seconds,
            note="6, 9 and 12 digits in turn",
        ),
        Row(name="`DivisionCode.level`", count=n, seconds=level_seconds),
    ]


def bench_construction(ids: Sequence[ResidentId]) -> tuple[list[Row], list[Veteran]]:
    """(a) Constructing one veteran per number; returns a tenth of them for (b)."""
    n = len(ids)
    progress(f"inputs for {n:,} veterans")
    inputs = veteran_inputs(ids)

    def work() -> list[Veteran]:
        return build_veterans(inputs)

    progress(f"constructing {n:,} veterans")
    gc.collect()
    seconds, veterans = clock(work, 1)
    sample = enrich(veterans[: max(n // 10, 1)])
    del veterans
    gc.collect()
    gc.disable()
    try:
        seconds_no_gc, _ = clock(work, 1)
    finally:
        gc.enable()
    rows = [
        Row(
            name="construct `Person` + `ServiceRecord` + `Veteran`",
            count=n,
            seconds=seconds,
            note="validators included; cyclic GC on (the default)",
        ),
        Row(
            name="the same, cyclic GC off",
            count=n,
            seconds=seconds_no_gc,
            note="to show the collector's share",
        ),
    ]
    return rows, sample


def bench_memory(n: int) -> tuple[int, int]:
    """(a) Bytes held by ``n`` veterans built from text, and the peak while building them."""
    progress(f"memory of {n:,} veterans with their identity numbers (tracemalloc, slower)")

    def work() -> list[Veteran]:
        return build_veterans(veteran_inputs([ResidentId(t) for t in resident_id_texts(n)]))

    held, peak, _ = traced(work)
    return held, peak


def bench_converter(sample: Sequence[Veteran], repeat: int) -> list[Row]:
    """(b) The converter: unstructure and structure per veteran, with and without detail."""
    from veteran_affairs.serialization import make_converter

    progress(f"converter on {len(sample):,} veterans")
    rows: list[Row] = []
    for detailed in (True, False):
        # One converter at a time, its documents gone before the next: same heap for both.
        rows += _converter_rows(make_converter(detailed_validation=detailed), sample, repeat)
    return rows


def _converter_rows(
    converter: cattrs.Converter, sample: Sequence[Veteran], repeat: int
) -> list[Row]:
    label = "detailed validation" if converter.detailed_validation else "detailed validation off"
    converter.structure(converter.unstructure(sample[0]), Veteran)  # build the hooks first

    def unstructure() -> list[Any]:
        return [converter.unstructure(v) for v in sample]

    unstructure_seconds, documents = clock(unstructure, repeat)

    def structure() -> list[Veteran]:
        return [converter.structure(doc, Veteran) for doc in documents]

    structure_seconds, back = clock(structure, repeat)
    if back != list(sample):
        raise SystemExit("a round trip through the converter changed a veteran")
    rows = []
    if converter.detailed_validation:

        def manual() -> list[Veteran]:
            return [by_hand(doc) for doc in documents]

        manual_seconds, again = clock(manual, repeat)
        if again != back:
            raise SystemExit("building by hand gave another veteran than the converter")
        rows.append(
            Row(
                name="the same plain data built by hand, without cattrs",
                count=len(sample),
                seconds=manual_seconds,
                note="the floor: parsing and model validation only",
            )
        )
    return [
        Row(
            name=f"converter `unstructure(veteran)` ({label})",
            count=len(sample),
            seconds=unstructure_seconds,
            note="a quarter with a disability and a status",
        ),
        Row(
            name=f"converter `structure(data, Veteran)` ({label})",
            count=len(sample),
            seconds=structure_seconds,
            note="goal ≤ 15 µs" if converter.detailed_validation else "",
        ),
        *rows,
    ]


def report(n: int, repeat: int, rows: Sequence[Row], memory: tuple[int, int] | None) -> None:
    print(f"## Foundation benchmarks (N = {n:,})\n")
    print(*machine_notes(), sep="\n")
    print(
        f"- command: `python benchmarks/bench_foundation.py --n {n} --repeat {repeat}`; "
        f"per-item rows are the best of {repeat} runs, construction is one run\n"
    )
    print("| benchmark | items | total (s) | per item (µs) | notes |")
    print("| --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row.name} | {row.count:,} | {row.seconds:.2f} | {row.per_item_us:.2f} | "
            f"{row.note} |"
        )
    if memory is not None:
        held, peak = memory
        print("\n| memory (tracemalloc) | veterans | held (MB) | peak (MB) | held per veteran |")
        print("| --- | ---: | ---: | ---: | ---: |")
        print(
            f"| `Person` + `ServiceRecord` + `Veteran`, with their `ResidentId`s and dates "
            f"| {n:,} | {held / MB:,.0f} | {peak / MB:,.0f} | {held / n:,.0f} B |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmarks of models, converter, identity numbers and division codes."
    )
    parser.add_argument(
        "--n",
        type=int,
        default=1_000_000,
        help="veterans to construct, numbers and codes to validate (default 1,000,000); "
        "the converter runs on N/10 veterans",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of this many runs for per-item timings"
    )
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the tracemalloc pass (saves time)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="200 items, once, checked; prints no timing"
    )
    args = parser.parse_args(argv)
    n: int = 200 if args.smoke else max(args.n, 10)
    repeat: int = 1 if args.smoke else max(args.repeat, 1)

    id_row, ids = bench_resident_ids(n, repeat)
    if len(set(ids)) != n:
        raise SystemExit(f"expected {n} distinct identity numbers, got {len(set(ids))}")
    rows = [id_row, *bench_division_codes(n, repeat)]
    construction_rows, sample = bench_construction(ids)
    if len(sample) != max(n // 10, 1) or any(
        v.resident_id != i for v, i in zip(sample, ids[: len(sample)], strict=True)
    ):
        raise SystemExit("the veterans built are not one per identity number, in order")
    rows[:0] = construction_rows
    del ids
    try:
        rows[2:2] = bench_converter(sample, repeat)  # checks the round trip itself
    except ImportError:
        print("veteran_affairs.serialization is not available: converter skipped\n")
    del sample
    if args.smoke:
        levels = [DivisionCode(_COUNTIES[0] + suffix).level for suffix in ("", "101", "101203")]
        if levels != [DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE]:
            raise SystemExit(f"division levels read back wrong: {levels}")
        print(f"bench_foundation smoke: {n} identity numbers, veterans and codes checked")
        return 0
    memory = None if args.no_memory else bench_memory(n)
    report(n, repeat, rows, memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
