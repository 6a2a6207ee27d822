"""The anchor: the same two rules in OpenFisca, side by side with the library, in one run.

Run with ``python benchmarks/bench_openfisca.py [--persons N] [--sample K] [--repeat R]``
(the project's environment). Prints the machine, the versions and a Markdown table ready for
the section "Side by side with OpenFisca" of ``docs/benchmarks.md``. Nothing here asserts a
time: tests never time anything.

**The anchor.** OpenFisca (openfisca-core 46) is the reference rules-as-code engine. It is
not a dependency of the library: on first use this script creates a separate virtual
environment, ``.venv-anchor/`` at the root of the checkout (ignored by git), and installs
``openfisca-core`` there with pip; later runs reuse it (``--anchor-python`` points at another
interpreter that has it). The OpenFisca side runs in a child process of that interpreter.

**The system.** :func:`build_system` writes an OpenFisca ``TaxBenefitSystem`` in code: one
entity (the person), the batch columns as input variables, and, as formulas over them, the
two rules the batch path covers, as their rule modules decide them —

* 残疾抚恤金 with 护理费 (``veteran_affairs.rules.disability_pension``): eligibility, the
  annual standard, the monthly twelfth and the nursing allowance, with dated formulas for
  what 《军人抚恤优待条例》(2024) changed from 2024-10-01 (第三十四条: the allowance for grades
  1–4 assessed after discharge and for grade 5–6 mental disorders; 第五十九条: expulsion from
  the army stops payments, which 2019 第五十条 did not say);
* 一次性退役金 (``veteran_affairs.rules.one_off_retirement_payment``): who is paid (NCOs and
  conscripts settled by 自主就业, discharged from 2011-11-01 when 《退役士兵安置条例》(2011)
  came into force, alive and not expelled at discharge), the service counted as
  ``relativedelta`` counts it with part years rounded, the standard and the bonus rate of the
  highest award **in force on the discharge date** (one lookup per parameter version, rows
  picked by their discharge date), all in whole fen with half-up rounding.

Its parameters are not copied: the driver exports the library's own figures (``RuleBook``'s
national book, every version with its dates and citation) and the child builds OpenFisca's
parameter tree from them; a cell a version lacks, or a figure past its confirmed date, has
no value there, so OpenFisca fails where the library would. The national book bundles no
one-off standard and no local wage (both are supplied by the user, see
``docs/parameters.md``): the figures below are **test inputs, not law** (5,000 and 6,000 yuan
per year of service before and from 2024-09-01, a local wage of 7,000 yuan a month).

**The population**: ``N`` synthetic persons (SYNTHETIC 合成数据,
:func:`veteran_affairs.partitions.synthetic_partition`, seed 2021, on 2025-01-06, a date of
the full 2024-08-01 disability table), the same columns for both. Every output (eligibility,
amounts in fen) of OpenFisca's vectorised simulation is checked equal to
:func:`~veteran_affairs.rules.batch.evaluate_batch`'s for every person before anything is
printed, and every single-person result equal to the library's explained decision.

What is timed, in one run (best of ``R`` for the whole-population rows):

* (a) **OpenFisca, idiomatic and vectorised**: a simulation of ``N`` persons, its inputs set
  from arrays, both rules calculated (the inputs are recoded for OpenFisca before the clock:
  codes shifted to enum indices, "none" dates to 9999-12-31);
* (b) **the library's batch path**, ``evaluate_batch`` for both rules on the same columns;
* (c) **one person**, for each rule: OpenFisca's one simulation per person
  (``SimulationBuilder.build_from_entities`` and the rule's variables) against
  ``RuleBook.evaluate``, the library's explained decision, the mean over ``K`` persons the rule
  is about (the disabled; NCOs and conscripts discharged from 2011-11-01), timed as the best
  of ``--repeat`` passes after a first pass over them (the first warms the caches of both);
* (d) a **bare numpy** version of the same formulas (the child's own arithmetic, parameters
  resolved beforehand, nothing validated), checked equal too.

``--smoke`` runs it all on 5,000 persons and 20 a rule, once, and prints no timing (the check
``make test`` runs, so that this script cannot rot). When the anchor environment cannot be
made (no network), the script exits with status 3 and says why.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

_ROOT = Path(__file__).resolve().parent.parent
ANCHOR = _ROOT / ".venv-anchor"
ANCHOR_REQUIREMENT = "openfisca-core>=46,<47"
NO_ANCHOR = 3  # exit status: the anchor environment could not be made

Array = npt.NDArray[Any]

SEED = 2021
ON = dt.date(2025, 1, 6)  # a date of the full 2024-08-01 disability table
PARTITION = 500_000  # rows generated at a time
DISABILITY = "disability_pension"
ONE_OFF = "one_off_retirement_payment"
RULES = (DISABILITY, ONE_OFF)
# Each compared output: the batch path's name and the OpenFisca variable that holds it.
OUTPUTS: Mapping[str, Mapping[str, str]] = {
    DISABILITY: {
        "eligible": "disability_pension_eligible",
        "amount_fen": "disability_pension",
        "monthly_fen": "disability_pension_monthly",
        "nursing_allowance_fen": "nursing_allowance",
    },
    ONE_OFF: {
        "eligible": "one_off_eligibility",
        "amount_fen": "one_off_retirement_payment",
    },
}
# Test inputs, not law: the national book bundles neither figure (the user supplies them).
SUPPLIED: Mapping[str, Any] = {
    "disability_pension.local_average_monthly_wage": "7000",
    "one_off_retirement_payment.annual_standard": [
        {"effective_from": "2011-11-01", "value": "5000"},
        {"effective_from": "2024-09-01", "value": "6000"},
    ],
}
EXPORTED = (
    "disability_pension.annual_standard",
    "disability_pension.nursing_allowance_rate",
    "disability_pension.local_average_monthly_wage",
    "one_off_retirement_payment.annual_standard",
    "one_off_retirement_payment.award_bonus_rate",
    "one_off_retirement_payment.round_part_years",
)

# Dates the law fixes (the formulas' own, not parameters of the library):
# 《退役士兵安置条例》(2011) in force 2011-11-01: the one-off payment covers discharges from then.
REGULATION_2011 = "2011-11-01"
# 《军人抚恤优待条例》(2024) in force 2024-10-01: 第三十四条 (nursing allowance) and 第五十九条
# (sanctions) read differently from then; the OpenFisca formulas are dated by it.
PENSION_REGULATION_2024 = "2024-10-01"
NEVER = np.datetime64("9999-12-31", "D")  # OpenFisca's dates have no NaT: "none" or "open"

# The enums of the OpenFisca system, in the order of the batch codes (index = code + shift).
PERSONNEL = ("officer", "nco", "conscript")  # codes 0..2
MODES = (  # codes -1..6
    "not_recorded",
    "retirement",
    "civilian_transfer",
    "monthly_payment",
    "demobilisation",
    "self_employment",
    "arranged_employment",
    "support",
)
NATURES = ("none", "in_combat", "on_duty", "illness")  # codes -1..2
SUPPORT = ("unknown", "dispersed", "central")  # codes -1..1
DATE_INPUTS = (
    "enlisted_on",
    "discharged_on",
    "died_on",
    "disability_assessed_on",
    "cancelled_from",
    "expelled_from",
    "suspended_from",
    "suspended_until",
)


# --- arithmetic shared by the OpenFisca formulas and the bare numpy version -----------------


def half_up(numerator: Array, denominator: int) -> Array:
    """``numerator / denominator`` rounded half up, in integers (amounts in fen, ≥ 0)."""
    result: Array = (numerator.astype(np.int64) * 2 + denominator) // (2 * denominator)
    return result


def service_span(enlisted: Array, discharged: Array) -> tuple[Array, Array]:
    """Whole calendar months and remaining days from enlistment to discharge, as
    ``dateutil.relativedelta`` counts them (a day past the end of a shorter month becomes
    its last day)."""
    first = enlisted.astype("datetime64[M]")
    last = discharged.astype("datetime64[M]")
    day = (enlisted - first.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month

    def landing(month: Array) -> Array:
        start = month.astype("datetime64[D]")
        length = ((month + 1).astype("datetime64[D]") - start).astype(np.int64)
        return start + np.minimum(day, length - 1)

    back = landing(last) > discharged
    month = last - back.astype("timedelta64[M]")
    days = (discharged - landing(month)).astype(np.int64)
    return (month - first).astype(np.int64), days


def counted_months(months: Array, days: Array, rounded: Array) -> Array:
    """The service counted: part years as none, half a year or a year; or exact months."""
    rest = months % 12
    half = (rest < 6) | ((rest == 6) & (days == 0))
    part = np.where((rest == 0) & (days == 0), 0, np.where(half, 6, 12))
    counted: Array = np.where(rounded, months - rest + part, months + (days > 0))
    return counted


# --- the OpenFisca system (child process) ---------------------------------------------------


def build_system(exported: Mapping[str, Any]) -> Any:
    """An OpenFisca ``TaxBenefitSystem`` with the two rules, over the library's figures."""
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    person_entity = build_entity(
        key="person", plural="persons", label="a discharged service member", is_person=True
    )

    class PersonnelType(Enum):
        officer = "军官"
        nco = "军士"
        conscript = "义务兵"

    class DischargeMode(Enum):
        not_recorded = "未登记"
        retirement = "退休"
        civilian_transfer = "转业"
        monthly_payment = "逐月领取退役金"
        demobilisation = "复员"
        self_employment = "自主就业"
        arranged_employment = "安排工作"
        support = "供养"

    class DisabilityNature(Enum):
        none = "无"
        in_combat = "因战"
        on_duty = "因公"
        illness = "因病"

    class Support(Enum):
        unknown = "不详"
        dispersed = "分散供养"
        central = "集中供养"

    for enum, names in (
        (PersonnelType, PERSONNEL),
        (DischargeMode, MODES),
        (DisabilityNature, NATURES),
        (Support, SUPPORT),
    ):
        if [member.name for member in enum] != list(names):
            raise AssertionError(f"{enum.__name__}: not in the order of the batch codes")

    def fact(name: str, value_type: Any, label: str, **extra: Any) -> type:
        attributes = {
            "value_type": value_type,
            "entity": person_entity,
            "definition_period": DateUnit.ETERNITY,
            "label": label,
            **extra,
        }
        if value_type is dt.date:
            attributes.setdefault("default_value", dt.date(9999, 12, 31))
        return type(name, (Variable,), attributes)

    inputs = [
        fact(
            "personnel_type",
            Enum,
            "人员类别",
            possible_values=PersonnelType,
            default_value=PersonnelType.officer,
        ),
        fact(
            "discharge_mode",
            Enum,
            "安置方式",
            possible_values=DischargeMode,
            default_value=DischargeMode.not_recorded,
        ),
        fact("enlisted_on", dt.date, "入伍时间"),
        fact("discharged_on", dt.date, "退出现役时间"),
        fact("died_on", dt.date, "死亡日期 (9999-12-31: alive)"),
        fact("award_kinds", int, "立功受奖: bit i for the batch path's award kind i"),
        fact("disability_grade", int, "残疾等级 (0: none)"),
        fact(
            "disability_nature",
            Enum,
            "致残性质",
            possible_values=DisabilityNature,
            default_value=DisabilityNature.none,
        ),
        fact("disability_assessed_on", dt.date, "评定残疾等级时间"),
        fact("mental_disorder", bool, "精神障碍"),
        fact(
            "centrally_supported",
            Enum,
            "集中供养",
            possible_values=Support,
            default_value=Support.unknown,
        ),
        fact("cancelled_from", dt.date, "被判处死刑、无期徒刑"),
        fact("expelled_from", dt.date, "被开除军籍"),
        fact("suspended_from", dt.date, "中止: 有期徒刑、剥夺政治权利、被通缉"),
        fact("suspended_until", dt.date, "中止 until (inclusive; 9999-12-31: open)"),
    ]

    # OpenFisca's idiom: one class per variable, named in snake case; a formula takes the
    # population, the period and the parameters (no ``self``), and is chosen by date.

    def day_of(period: Any) -> Array:
        return np.datetime64(period.start.date, "D")

    class disability_pension_approved(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "paid from the month the grade was approved (2024 第二十七条)"

        def formula(person, period, parameters):
            next_month = (np.datetime64(period.start.date, "M") + 1).astype("datetime64[D]")
            return person("disability_assessed_on", period) < next_month

    class disability_pension_grade_pensioned(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "因战/因公 grades 1–10, 因病 grades 1–6 (2024 第二十五、二十七条)"

        def formula(person, period, parameters):
            grade = person("disability_grade", period)
            illness = person("disability_nature", period) == DisabilityNature.illness
            return (grade > 0) & (~illness | (grade <= 6))

    class alive(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "alive on the day (the day of death counts)"

        def formula(person, period, parameters):
            return person("died_on", period) >= day_of(period)

    class payments_stopped(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "a sanction suspends or cancels periodic payments (2019 第五十条; 2024 第五十九条)"

        def formula(person, period, parameters):
            day = day_of(period)
            suspended = (person("suspended_from", period) <= day) & (
                person("suspended_until", period) >= day
            )
            return (person("cancelled_from", period) <= day) | suspended

        def formula_2024_10_01(person, period, parameters):
            day = day_of(period)
            suspended = (person("suspended_from", period) <= day) & (
                person("suspended_until", period) >= day
            )
            cancelled = (person("cancelled_from", period) <= day) | (
                person("expelled_from", period) <= day
            )
            return cancelled | suspended

    class disability_pension_eligible(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "draws the disability pension (残疾抚恤金)"

        def formula(person, period, parameters):
            return (
                person("disability_pension_grade_pensioned", period)
                * person("disability_pension_approved", period)
                * person("alive", period)
                * not_(person("payments_stopped", period))
            )

    def not_(values: Array) -> Array:
        return np.logical_not(values)

    def cell_keys(person: Any, period: Any, paid: Array) -> tuple[Array, Array]:
        """(nature, grade) keys of the tables; rows not paid read a cell that exists."""
        nature = person("disability_nature", period).decode_to_str()
        grade = person("disability_grade", period)
        return (
            np.where(paid, nature, "in_combat"),
            np.where(paid, grade, 1).astype(str),
        )

    class disability_pension(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "残疾抚恤金, annual standard in fen (2024 第三十一条)"

        def formula(person, period, parameters):
            paid = person("disability_pension_eligible", period)
            nature, grade = cell_keys(person, period, paid)
            table = parameters(period).disability_pension.annual_standard
            yuan = table[nature][grade]
            return np.where(paid, np.round(yuan * 100).astype(np.int64), 0)

    class disability_pension_monthly(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "the monthly payment: a twelfth of the annual standard, to the fen"

        def formula(person, period, parameters):
            return half_up(person("disability_pension", period), 12)

    class nursing_allowance_due(Variable):
        value_type = bool
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "护理费 due: grades 1–4 supported dispersedly (2019 第三十条)"

        def formula(person, period, parameters):
            severe = person("disability_pension_eligible", period) * (
                person("disability_grade", period) <= 4
            )
            dispersed = person("centrally_supported", period) == Support.dispersed
            return severe * dispersed

        def formula_2024_10_01(person, period, parameters):
            # 2024 第三十四条: also grades 1–4 assessed after discharge, and grades 5–6 for a
            # mental disorder assessed while serving.
            eligible = person("disability_pension_eligible", period)
            grade = person("disability_grade", period)
            after = person("disability_assessed_on", period) > person("discharged_on", period)
            dispersed = person("centrally_supported", period) == Support.dispersed
            severe = eligible * (grade <= 4) * (after + dispersed)
            mental = (
                eligible
                * (grade >= 5)
                * (grade <= 6)
                * person("mental_disorder", period)
                * not_(after)
            )
            return severe + mental

    class nursing_allowance(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "护理费 in fen a month: a share of the local average monthly wage"

        def formula(person, period, parameters):
            due = person("nursing_allowance_due", period)
            grade = person("disability_grade", period)
            mental = due * (grade >= 5)
            nature, key = cell_keys(person, period, due)
            row = np.where(mental, "mental_disorder", nature)
            node = parameters(period).disability_pension
            percent = np.round(node.nursing_allowance_rate[row][key] * 100).astype(np.int64)
            wage = round(node.local_average_monthly_wage * 100)
            return np.where(due, half_up(wage * percent, 100), 0)

    def at_discharge(person: Any, period: Any, read: Callable[[Any], Any], key: str) -> Array:
        """``read(parameters)`` as in force on each row's discharge date.

        One lookup per version of the parameter ``key`` that some row was discharged under;
        rows discharged before its first version take the first (the rule refuses them).
        """
        discharged = person("discharged_on", period)
        days = [np.datetime64(start, "D") for start in starts[key]]
        result = np.zeros(discharged.shape, dtype=np.int64)
        for index, start in enumerate(starts[key]):
            rows = discharged >= days[index] if index else np.ones(discharged.shape, bool)
            if index + 1 < len(days):
                rows &= discharged < days[index + 1]
            if rows.any():
                result = np.where(rows, read(parameters_of(start)), result)
        return result

    class one_off_eligibility(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "一次性退役金: 1 paid, 0 not, -1 undetermined (settlement not recorded)"

        def formula(person, period, parameters):
            discharged = person("discharged_on", period)
            mode = person("discharge_mode", period)
            recorded = mode != DischargeMode.not_recorded
            refused = (
                (discharged < np.datetime64(REGULATION_2011, "D"))
                + (person("personnel_type", period) == PersonnelType.officer)
                + (recorded * (mode != DischargeMode.self_employment))
                + (discharged > day_of(period))
                + (person("died_on", period) < discharged)
                + (person("expelled_from", period) <= discharged)
            )
            return np.where(refused, 0, np.where(recorded, 1, -1))

    class one_off_counted_months(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "service counted, in months (2011 第二十条: part years rounded)"

        def formula(person, period, parameters):
            months, days = service_span(
                person("enlisted_on", period), person("discharged_on", period)
            )
            rounded = at_discharge(
                person,
                period,
                lambda p: p.one_off_retirement_payment.round_part_years == 1,
                "one_off_retirement_payment.round_part_years",
            )
            return counted_months(months, days, rounded)

    class one_off_retirement_payment(Variable):
        value_type = int
        entity = person_entity
        definition_period = DateUnit.DAY
        label = "一次性退役金 in fen, with the bonus for the highest award (2011 第二十条; 2024 第二十二条)"

        def formula(person, period, parameters):
            paid = person("one_off_eligibility", period) == 1
            counted = person("one_off_counted_months", period)
            standard = at_discharge(
                person,
                period,
                lambda p: round(p.one_off_retirement_payment.annual_standard * 100),
                "one_off_retirement_payment.annual_standard",
            )
            awards = person("award_kinds", period)

            def best_percent(p: Any) -> Array:
                rates = p.one_off_retirement_payment.award_bonus_rate
                best = np.zeros(awards.shape, dtype=np.int64)
                for bit, kind in enumerate(award_kinds):
                    held = (awards >> bit) & 1 == 1
                    best = np.where(held, np.maximum(best, round(rates[kind] * 100)), best)
                return best

            percent = at_discharge(
                person, period, best_percent, "one_off_retirement_payment.award_bonus_rate"
            )
            base = half_up(standard * counted, 12)
            bonus = half_up(base * percent, 100)
            return np.where(paid, base + bonus, 0)

    root = ParameterNode("root", data=openfisca_parameters(exported["parameters"]))
    award_kinds = [identifier(name) for name in exported["award_kinds"]]
    starts = {key: version_starts(spec) for key, spec in exported["parameters"].items()}
    system = TaxBenefitSystem([person_entity])
    system.parameters = root

    def parameters_of(start: str) -> Any:
        return system.get_parameters_at_instant(start)

    system.add_variables(
        *inputs,
        disability_pension_approved,
        disability_pension_grade_pensioned,
        alive,
        payments_stopped,
        disability_pension_eligible,
        disability_pension,
        disability_pension_monthly,
        nursing_allowance_due,
        nursing_allowance,
        one_off_eligibility,
        one_off_counted_months,
        one_off_retirement_payment,
    )
    return system


def identifier(name: str) -> str:
    """A library key (``in-combat``) as an OpenFisca parameter name (``in_combat``)."""
    return name.replace("-", "_")


def version_starts(spec: Mapping[str, Any]) -> list[str]:
    """Every date on which a lookup of an exported parameter may change."""
    days = {version["from"] for version in spec["versions"]}
    days |= {version["until"] for version in spec["versions"] if version["until"]}
    return sorted(days)


def leaves(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """The cells of a (nested) parameter value, by path."""
    if isinstance(value, Mapping):
        found: dict[tuple[str, ...], str] = {}
        for key, inner in value.items():
            found.update(leaves(inner, (*path, identifier(key))))
        return found
    return {path: value}


def openfisca_parameters(exported: Mapping[str, Any]) -> dict[str, Any]:
    """OpenFisca's parameter data (as its YAML files hold it) from the library's versions.

    Every cell is a parameter with its values by date; a version that lacks a cell, and the
    day after a figure's last known or confirmed date, give it no value (``null``), so a
    lookup there fails as the library's does.
    """
    root: dict[str, Any] = {}
    for key, spec in exported.items():
        cells: dict[tuple[str, ...], dict[str, Any]] = {}
        versions = spec["versions"]
        paths = {path for version in versions for path in leaves(version["value"])}
        for version in versions:
            found = leaves(version["value"])
            for path in paths:
                value = found.get(path)
                values = cells.setdefault(path, {})
                values[version["from"]] = {"value": None if value is None else float(value)}
                if version["until"] and version["until"] not in values:
                    values[version["until"]] = {"value": None}
        # OpenFisca indexes a table by arrays only when every row has the same cells: a cell
        # no version has (因病 grades 7–10, which are not pensioned) is 0 there, never read.
        if paths and all(len(path) == 2 for path in paths):
            rows, columns = {path[0] for path in paths}, {path[1] for path in paths}
            for path in itertools.product(rows, columns):
                cells.setdefault(path, {versions[0]["from"]: {"value": 0.0}})
        node = root
        for part in key.split("."):
            node = node.setdefault(part, {})
        node["description"] = spec["label"]
        for path, values in cells.items():
            leaf = node
            for part in path:
                leaf = leaf.setdefault(part, {})
            leaf.update(
                {
                    "values": dict(sorted(values.items(), reverse=True)),
                    "metadata": {"reference": spec["reference"], "unit": spec["unit"]},
                }
            )
    return root


# --- the OpenFisca side, in its own environment (child process) -----------------------------


def openfisca_inputs(columns: Mapping[str, Array]) -> dict[str, Array]:
    """The batch columns recoded for the OpenFisca system: enum indices, no NaT."""
    shifted = {"discharge_mode": 1, "disability_nature": 1, "centrally_supported": 1}
    inputs: dict[str, Array] = {}
    for name, values in columns.items():
        if name in DATE_INPUTS:
            inputs[name] = np.where(np.isnat(values), NEVER, values)
        elif name in shifted:
            inputs[name] = values.astype(np.int16) + shifted[name]
        elif name == "personnel_type":
            inputs[name] = values.astype(np.int16)
        elif name == "award_kinds":
            inputs[name] = values.astype(np.int32)
        else:
            inputs[name] = values
    return inputs


def one_person(inputs: Mapping[str, Array], row: int) -> dict[str, Any]:
    """One person's inputs as OpenFisca's ``build_from_entities`` takes them."""
    names = {
        "personnel_type": PERSONNEL,
        "discharge_mode": MODES,
        "disability_nature": NATURES,
        "centrally_supported": SUPPORT,
    }
    facts: dict[str, Any] = {}
    for name, values in inputs.items():
        value = values[row]
        if name in names:
            facts[name] = names[name][int(value)]
        elif name in DATE_INPUTS:
            facts[name] = str(value)
        elif values.dtype == np.bool_:
            facts[name] = bool(value)
        else:
            facts[name] = int(value)
    return {"persons": {"p": {name: {"ETERNITY": value} for name, value in facts.items()}}}


def anchor_child(folder: Path) -> None:
    """Build the system, simulate, time; write the results beside the inputs."""
    from openfisca_core.simulations import SimulationBuilder

    spec = json.loads((folder / "anchor.json").read_text())
    with np.load(folder / "columns.npz") as data:
        inputs = openfisca_inputs({name: data[name] for name in data.files})
    size = len(inputs["discharged_on"])
    on, repeat = spec["on"], spec["repeat"]
    system = build_system(spec)

    def simulate() -> tuple[dict[str, Array], float]:
        simulation = SimulationBuilder().build_default_simulation(system, count=size)
        for name, values in inputs.items():
            simulation.set_input(name, "eternity", values)
        start = time.perf_counter()
        found = {
            f"{rule}:{output}": np.asarray(simulation.calculate(variable, on))
            for rule in RULES
            for output, variable in OUTPUTS[rule].items()
        }
        return found, time.perf_counter() - start

    whole = calculate = float("inf")
    results: dict[str, Array] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        results, calculated = simulate()
        whole = min(whole, time.perf_counter() - start)
        calculate = min(calculate, calculated)
    timings = {"vectorised_s": whole, "calculate_s": calculate}

    builder = SimulationBuilder
    for rule in RULES:
        rows = spec["sample"][rule]
        people = [one_person(inputs, row) for row in rows]
        variables = list(OUTPUTS[rule].values())

        def decide(person: dict[str, Any], variables: list[str] = variables) -> list[int]:
            simulation = builder().build_from_entities(system, person)
            return [int(simulation.calculate(variable, on)[0]) for variable in variables]

        for person in people:  # a first pass warms the caches; the next `repeat` are timed
            decide(person)
        best = float("inf")
        found: list[list[int]] = []
        for _ in range(repeat):
            start = time.perf_counter()
            found = [decide(person) for person in people]
            best = min(best, time.perf_counter() - start)
        timings[f"{rule}:one_s"] = best / max(len(people), 1)
        table = np.array(found, dtype=np.int64).reshape(len(people), len(variables))
        for index, output in enumerate(OUTPUTS[rule]):
            results[f"one:{rule}:{output}"] = table[:, index]
    np.savez(folder / "results.npz", **results)
    versions = {
        "python": platform.python_version(),
        "openfisca-core": importlib.metadata.version("openfisca-core"),
        "numpy": np.__version__,
    }
    (folder / "timings.json").write_text(json.dumps({"timings": timings, "versions": versions}))


# --- the library's side (the project's environment) -----------------------------------------


class AnchorUnavailable(Exception):
    """The anchor environment could not be made (the message says why)."""


def ensure_anchor(folder: Path) -> Path:
    """The Python of the anchor environment, created with OpenFisca on first use."""
    python = folder / "bin" / "python"
    stamp = folder / ".anchor-installed"
    if python.exists() and stamp.exists() and stamp.read_text() == ANCHOR_REQUIREMENT:
        return python
    progress(f"creating {folder} with {ANCHOR_REQUIREMENT} (once)")
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(folder)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            ANCHOR_REQUIREMENT,
        ],
    )
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AnchorUnavailable(f"{' '.join(step)}: {error}") from None
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            raise AnchorUnavailable(f"{' '.join(step)} failed ({done.returncode}):\n{tail}")
    stamp.write_text(ANCHOR_REQUIREMENT)
    return python


def population(size: int) -> dict[str, Array]:
    """``size`` synthetic persons as the batch columns the two rules read (dates in days)."""
    from veteran_affairs.partitions import synthetic_partition
    from veteran_affairs.rules.batch import BATCH_RULES, COLUMNS

    frames = []
    for index, first in enumerate(range(0, size, PARTITION)):
        frames.append(synthetic_partition(SEED, index, min(PARTITION, size - first), ON))
    columns: dict[str, Array] = {}
    for name in dict.fromkeys(name for rule in RULES for name in BATCH_RULES[rule].reads):
        values = np.concatenate([frame[name].to_numpy() for frame in frames])
        columns[name] = values.astype(COLUMNS[name].dtype)
    return columns


def export(book: Any) -> dict[str, Any]:
    """The library's figures for the anchor: every version, its dates and its citation."""
    from veteran_affairs.rules.batch import COLUMNS

    day = dt.timedelta(days=1)
    awards = COLUMNS["award_kinds"].codes
    exported: dict[str, Any] = {}
    for key in EXPORTED:
        parameter = book.parameters[key]
        versions = []
        for version in parameter.versions:
            limit = parameter.stale_after(version)
            value = version.value
            if key.endswith("award_bonus_rate"):  # an award not listed earns no bonus
                value = {kind: value.get(kind, Decimal(0)) for kind in awards}
            versions.append(
                {
                    "from": version.effective_from.isoformat(),
                    "until": None
                    if limit is None or book.allow_stale
                    else (limit + day).isoformat(),
                    "value": plain(value),
                    "citation": str(version.citation),
                }
            )
        exported[key] = {
            "label": f"{parameter.label_zh} ({parameter.label_en})",
            "unit": parameter.unit,
            "reference": [version["citation"] for version in versions],
            "versions": versions,
        }
    return {"parameters": exported, "award_kinds": list(awards)}


def plain(value: Any) -> Any:
    """A parameter value with its Decimals as text (JSON)."""
    if isinstance(value, Mapping):
        return {key: plain(inner) for key, inner in value.items()}
    return str(value)


def check_codes() -> None:
    """The enums of the OpenFisca system follow the batch path's codes (position = code)."""
    from veteran_affairs.rules.batch import COLUMNS

    for name, names, shift in (
        ("personnel_type", PERSONNEL, 0),
        ("discharge_mode", MODES, 1),
        ("disability_nature", NATURES, 1),
    ):
        if [identifier(code) for code in COLUMNS[name].codes] != list(names[shift:]):
            raise SystemExit(f"the codes of {name} changed: {COLUMNS[name].codes}")
    if COLUMNS["centrally_supported"].codes != ("no", "yes"):
        raise SystemExit("the codes of centrally_supported changed")


def pick(columns: Mapping[str, Array], count: int) -> tuple[dict[str, list[int]], int]:
    """The first ``count`` persons each rule is about whose row is a valid model.

    Returns the rows by rule and how many rows were passed over because the models refuse
    them (the synthetic generator settles some pre-2011 conscripts by 复员, which
    ``ServiceRecord`` does not allow).
    """
    from veteran_affairs.errors import VeteranAffairsError

    disabled = columns["disability_grade"] > 0
    soldiers = (columns["personnel_type"] != 0) & (
        columns["discharged_on"] >= np.datetime64(REGULATION_2011, "D")
    )
    chosen: dict[str, list[int]] = {}
    refused = 0
    for rule, candidates in ((DISABILITY, disabled), (ONE_OFF, soldiers)):
        chosen[rule] = []
        for row in np.flatnonzero(candidates).tolist():
            if len(chosen[rule]) == count:
                break
            try:
                veteran_of(columns, row)
            except VeteranAffairsError:
                refused += 1
                continue
            chosen[rule].append(row)
    return chosen, refused


def veteran_of(columns: Mapping[str, Array], row: int) -> Any:
    """The model of one synthetic row (a made-up identity; the facts of the row)."""
    from veteran_affairs.identity import DivisionCode, ResidentId, check_character
    from veteran_affairs.models import (
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
    from veteran_affairs.rules.batch import COLUMNS

    def day(name: str) -> dt.date | None:
        value = columns[name][row]
        return None if np.isnat(value) else value.astype(dt.date)

    enlisted, discharged = day("enlisted_on"), day("discharged_on")
    assert enlisted is not None
    assert discharged is not None
    born = enlisted - dt.timedelta(days=18 * 365 + row % 700)
    body = f"450312{born:%Y%m%d}{row % 1000:03d}"
    kind = PersonnelType(COLUMNS["personnel_type"].codes[columns["personnel_type"][row]])
    mode = int(columns["discharge_mode"][row])
    grade = int(columns["disability_grade"][row])
    nature = int(columns["disability_nature"][row])
    illness = nature >= 0 and COLUMNS["disability_nature"].codes[nature] == "illness"
    rank = None
    if kind is PersonnelType.NCO:
        senior = (discharged - enlisted).days > 8 * 365 and not illness
        rank = NcoRank.INTERMEDIATE_OR_SENIOR if senior else NcoRank.JUNIOR
    mask = int(columns["award_kinds"][row])
    awards = tuple(
        Award(kind=AwardKind(code), awarded_on=enlisted)
        for bit, code in enumerate(COLUMNS["award_kinds"].codes)
        if mask >> bit & 1
    )
    sanctions = []
    if (since := day("cancelled_from")) is not None:
        sanctions.append(Sanction(kind=SanctionKind.LIFE_IMPRISONMENT, since=since))
    if (since := day("expelled_from")) is not None:
        sanctions.append(Sanction(kind=SanctionKind.EXPULSION_FROM_ARMY, since=since))
    if (since := day("suspended_from")) is not None:
        sanctions.append(
            Sanction(
                kind=SanctionKind.FIXED_TERM_IMPRISONMENT,
                since=since,
                until=day("suspended_until"),
            )
        )
    supported = int(columns["centrally_supported"][row])
    assessed = day("disability_assessed_on")
    return Veteran(
        person=Person(
            resident_id=ResidentId(body + check_character(body)),
            name="合成人员",
            hukou_division=DivisionCode("450312"),
            hukou_type=HukouType.RURAL,
            died_on=day("died_on"),
        ),
        service=ServiceRecord(
            enlisted_on=enlisted,
            personnel_type=kind,
            discharged_on=discharged,
            nco_rank=rank,
            discharge_mode=None
            if mode < 0
            else DischargeMode(COLUMNS["discharge_mode"].codes[mode]),
            awards=awards,
        ),
        disability=None
        if grade == 0 or assessed is None
        else Disability(
            grade=grade,
            nature=DisabilityNature(COLUMNS["disability_nature"].codes[nature]),
            assessed_on=assessed,
            mental_disorder=bool(columns["mental_disorder"][row]),
        ),
        circumstances=Circumstances(centrally_supported=None if supported < 0 else bool(supported)),
        sanctions=tuple(sanctions),
    )


def same_rows(columns: Mapping[str, Array], rows: Sequence[int], veterans: Sequence[Any]) -> None:
    """``columns_from`` of the models gives back the rows they were made from."""
    from veteran_affairs.rules.batch import columns_from

    again = columns_from(veterans)
    for name, values in columns.items():
        if not np.array_equal(as_int(values[list(rows)]), as_int(again[name])):
            raise SystemExit(f"the models of the sample do not give back column {name}")


def as_int(values: Array) -> Array:
    if values.dtype.kind == "M":
        result: Array = values.astype("datetime64[D]").view(np.int64)
        return result
    return values.astype(np.int64)


def outcome(rule: str, decision: Any) -> list[int]:
    """A per-subject decision as the compared outputs (in fen; 0 where not eligible)."""
    from veteran_affairs.money import to_fen

    eligible = {True: 1, False: 0, None: -1}[decision.eligible]
    paid = decision.eligible is True

    def fen(amount: Decimal | None) -> int:
        return to_fen(amount) if paid and amount is not None else 0

    found = {"eligible": eligible, "amount_fen": fen(decision.amount)}
    if rule == DISABILITY:
        nursing = [c.amount for c in decision.components if c.name == "nursing_allowance"]
        found["monthly_fen"] = fen(decision.monthly)
        found["nursing_allowance_fen"] = fen(nursing[0] if nursing else None)
    return [found[output] for output in OUTPUTS[rule]]


def bare_tables(book: Any, starts: Sequence[str]) -> dict[str, Any]:
    """The figures of the bare numpy version, resolved beforehand (fen, whole percents)."""
    from veteran_affairs.errors import ParameterError
    from veteran_affairs.rules.batch import COLUMNS

    kinds = COLUMNS["award_kinds"].codes
    parameters = book.parameters
    stale = book.allow_stale
    annual = np.zeros((len(NATURES), 11), dtype=np.int64)
    nursing = np.zeros((len(NATURES) + 1, 11), dtype=np.int64)
    wage, _ = parameters["disability_pension.local_average_monthly_wage"].value_on(
        ON, allow_stale=stale
    )
    wage_fen = int(wage * 100)
    for index, nature in enumerate(("in-combat", "on-duty", "illness"), start=1):
        for grade in range(1, 11):
            try:
                value, _ = parameters["disability_pension.annual_standard"].value_on(
                    ON, nature, str(grade), allow_stale=stale
                )
                annual[index, grade] = int(value * 100)
            except ParameterError:
                pass  # never paid (因病 7–10): the batch path would raise for a row needing it
    rates = parameters["disability_pension.nursing_allowance_rate"].version_on(ON).value
    for index, nature in enumerate(("in-combat", "on-duty", "illness", "mental-disorder"), 1):
        for grade, rate in rates.get(nature, {}).items():
            nursing[index, int(grade)] = int(half_up(np.array(wage_fen * int(rate * 100)), 100))
    standards, rounding, percents = [], [], []
    for start in starts:
        on = dt.date.fromisoformat(start)
        standard, _ = parameters["one_off_retirement_payment.annual_standard"].value_on(on)
        flag, _ = parameters["one_off_retirement_payment.round_part_years"].value_on(on)
        table = parameters["one_off_retirement_payment.award_bonus_rate"].version_on(on).value
        best = np.zeros(1 << len(kinds), dtype=np.int64)
        sets = np.arange(best.size)
        for bit, kind in enumerate(kinds):
            held = (sets >> bit) & 1 == 1
            best[held] = np.maximum(best[held], int(table.get(kind, 0) * 100))
        standards.append(int(standard * 100))
        rounding.append(flag == 1)
        percents.append(best)
    return {
        "annual": annual,
        "nursing": nursing,
        "starts": np.array(starts, dtype="datetime64[D]"),
        "standard": np.array(standards, dtype=np.int64),
        "rounded": np.array(rounding),
        "percent": np.stack(percents),
    }


def bare_numpy(inputs: Mapping[str, Array], tables: Mapping[str, Any]) -> dict[str, Array]:
    """(d) The same formulas in plain numpy on the recoded inputs, nothing checked."""
    day = np.datetime64(ON, "D")
    grade = inputs["disability_grade"].astype(np.int64)
    nature = inputs["disability_nature"].astype(np.int64)
    next_month = (np.datetime64(ON, "M") + 1).astype("datetime64[D]")
    approved = inputs["disability_assessed_on"] < next_month
    pensioned = (grade > 0) & ((nature != 3) | (grade <= 6))
    stopped = (inputs["cancelled_from"] <= day) | (
        (inputs["suspended_from"] <= day) & (inputs["suspended_until"] >= day)
    )
    regime_2024 = day >= np.datetime64(PENSION_REGULATION_2024, "D")
    if regime_2024:
        stopped |= inputs["expelled_from"] <= day
    eligible = pensioned & approved & (inputs["died_on"] >= day) & ~stopped
    cell = np.where(eligible, nature * 11 + grade, 0)
    annual = tables["annual"].ravel().take(cell)
    severe = eligible & (grade <= 4)
    dispersed = inputs["centrally_supported"] == 1
    if regime_2024:
        after = inputs["disability_assessed_on"] > inputs["discharged_on"]
        mental = eligible & (grade >= 5) & (grade <= 6) & inputs["mental_disorder"] & ~after
        due = (severe & (after | dispersed)) | mental
        cell = np.where(mental, 4 * 11 + grade, cell)
    else:
        due = severe & dispersed
    found = {
        f"{DISABILITY}:eligible": eligible.astype(np.int64),
        f"{DISABILITY}:amount_fen": annual,
        f"{DISABILITY}:monthly_fen": half_up(annual, 12),
        f"{DISABILITY}:nursing_allowance_fen": tables["nursing"]
        .ravel()
        .take(np.where(due, cell, 0)),
    }
    discharged = inputs["discharged_on"]
    mode = inputs["discharge_mode"]
    refused = (
        (discharged < np.datetime64(REGULATION_2011, "D"))
        | (inputs["personnel_type"] == 0)
        | ((mode != 0) & (mode != MODES.index("self_employment")))
        | (discharged > day)
        | (inputs["died_on"] < discharged)
        | (inputs["expelled_from"] <= discharged)
    )
    paid = np.where(refused, 0, np.where(mode == 0, -1, 1))
    epoch = np.maximum(np.searchsorted(tables["starts"], discharged, side="right") - 1, 0)
    months, days = service_span(inputs["enlisted_on"], discharged)
    counted = counted_months(months, days, tables["rounded"].take(epoch))
    base = half_up(tables["standard"].take(epoch) * counted, 12)
    percent = tables["percent"][epoch, inputs["award_kinds"]]
    found[f"{ONE_OFF}:eligible"] = paid
    found[f"{ONE_OFF}:amount_fen"] = np.where(paid == 1, base + half_up(base * percent, 100), 0)
    return found


# --- the run ---------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def compare(label: str, ours: Mapping[str, Array], theirs: Mapping[str, Array]) -> None:
    """Every output equal for every person, or stop and show the first differences."""
    for name, values in ours.items():
        left, right = values.astype(np.int64), theirs[name].astype(np.int64)
        wrong = np.flatnonzero(left != right)
        if wrong.size:
            shown = ", ".join(f"row {i}: {left[i]} vs {right[i]}" for i in wrong[:3])
            raise SystemExit(f"{label}: {name} differs for {wrong.size:,} persons ({shown})")


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The library side by side with OpenFisca.")
    parser.add_argument("--persons", type=int, default=1_000_000, help="synthetic persons")
    parser.add_argument("--sample", type=int, default=300, help="persons decided one by one")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--anchor-python", type=Path, help="a Python that has openfisca-core")
    parser.add_argument(
        "--smoke", action="store_true", help="5,000 persons, 20 one by one, once; no timing"
    )
    parser.add_argument("--anchor-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.anchor_child is not None:
        anchor_child(args.anchor_child)
        return 0
    size, count, repeat = max(args.persons, 10), max(args.sample, 1), max(args.repeat, 1)
    if args.smoke:
        size, count, repeat = 5_000, 20, 1
    try:
        python = args.anchor_python or ensure_anchor(ANCHOR)
    except AnchorUnavailable as error:
        print(f"the anchor environment could not be made: {error}", file=sys.stderr)
        return NO_ANCHOR
    return run(python, size, count, repeat, smoke=args.smoke, command=argv)


def run(python: Path, size: int, count: int, repeat: int, *, smoke: bool, command: Any) -> int:
    sys.path.insert(0, str(_ROOT / "src"))  # measure this checkout
    from veteran_affairs.rules import RuleBook
    from veteran_affairs.rules.batch import evaluate_batch

    started_load = load()
    check_codes()
    book = RuleBook.load("national").with_parameters(dict(SUPPLIED))
    if "one_off_retirement_payment.local_supplement" in book.parameters:
        raise SystemExit("the anchor does not model a local one-off supplement")
    progress(f"{size:,} synthetic persons")
    columns = population(size)
    exported = export(book)
    sample, refused = pick(columns, count)

    progress("the library: batch path")
    batch_s, batch = best_of(
        repeat,
        lambda: {rule: evaluate_batch(book, rule, columns, on=ON) for rule in RULES},
    )
    ours = {f"{rule}:{output}": batch[rule][output] for rule in RULES for output in OUTPUTS[rule]}
    progress("the library: one person at a time")
    one: dict[str, float] = {}
    decided: dict[str, Array] = {}
    for rule in RULES:
        rows = sample[rule]
        veterans = [veteran_of(columns, row) for row in rows]
        same_rows(columns, rows, veterans)
        for veteran in veterans:  # a first pass warms the caches; the next `repeat` are timed
            book.evaluate(rule, veteran, on=ON)
        seconds, decisions = best_of(
            repeat,
            lambda rule=rule, veterans=veterans: [book.evaluate(rule, v, on=ON) for v in veterans],
        )
        one[rule] = seconds / len(veterans)
        table = np.array([outcome(rule, d) for d in decisions], dtype=np.int64)
        for index, output in enumerate(OUTPUTS[rule]):
            decided[f"{rule}:{output}"] = table.reshape(len(rows), -1)[:, index]
            if not np.array_equal(decided[f"{rule}:{output}"], ours[f"{rule}:{output}"][rows]):
                raise SystemExit(f"{rule}: one by one and the batch path differ on {output}")

    progress("bare numpy")
    inputs = openfisca_inputs(columns)
    starts = sorted(
        {
            start
            for key in EXPORTED
            if key.startswith("one_off")
            for start in version_starts(exported["parameters"][key])
        }
    )
    tables = bare_tables(book, starts)
    bare_s, bare = best_of(repeat, lambda: bare_numpy(inputs, tables))
    compare("bare numpy against the batch path", bare, ours)

    progress("OpenFisca (in the anchor environment)")
    with tempfile.TemporaryDirectory(prefix="va-anchor-") as name:
        folder = Path(name)
        np.savez(folder / "columns.npz", **columns)
        spec = {**exported, "on": ON.isoformat(), "repeat": repeat, "sample": sample}
        (folder / "anchor.json").write_text(json.dumps(spec))
        done = subprocess.run(
            [str(python), __file__, "--anchor-child", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"the OpenFisca side failed:\n{done.stdout}{done.stderr}")
        with np.load(folder / "results.npz") as data:
            theirs = {name: data[name] for name in data.files}
        report = json.loads((folder / "timings.json").read_text())
    compare("OpenFisca against the batch path", ours, theirs)
    compare(
        "OpenFisca one by one against the library's decisions",
        decided,
        {name: theirs[f"one:{name}"] for name in decided},
    )
    if smoke:
        print(
            f"bench_openfisca smoke: {size:,} persons, {count} a rule one by one: OpenFisca, "
            "the batch path, the explained decisions and bare numpy agree to the fen"
        )
        return 0
    print_report(
        size=size,
        count=count,
        repeat=repeat,
        ours=ours,
        timings={
            "batch_s": batch_s,
            "bare_s": bare_s,
            **{f"{rule}:one_s": seconds for rule, seconds in one.items()},
        },
        anchor=report,
        loads=(started_load, load()),
        sample=sample,
        refused=refused,
        command=command,
    )
    return 0


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:,.1f}×"


def verdict(value: float, goal: float) -> str:
    return f"≥ {goal:g}×: met" if value >= goal else f"≥ {goal:g}×: **not met**"


def print_report(
    *,
    size: int,
    count: int,
    repeat: int,
    ours: Mapping[str, Array],
    timings: Mapping[str, float],
    anchor: Mapping[str, Any],
    loads: tuple[str, str],
    sample: Mapping[str, Sequence[int]],
    refused: int,
    command: Any,
) -> None:
    theirs, versions = anchor["timings"], anchor["versions"]
    openfisca = f"OpenFisca {versions['openfisca-core']}"
    arguments = " ".join(command) if command else " ".join(sys.argv[1:])
    print("## Side by side with OpenFisca\n")
    print(f"- date: {dt.date.today().isoformat()}")
    print(f"- command: `{' '.join(['python benchmarks/bench_openfisca.py', arguments]).strip()}`")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(
        f"- machine: {cpu_model()}, {os.cpu_count()} logical cores ({affinity} usable), "
        f"{memory_gib()}; {platform.system()} {platform.machine()}"
    )
    print(f"- load average (1, 5, 15 min): {loads[0]} at the start, {loads[1]} at the end")
    print(
        f"- library: veteran_affairs {importlib.metadata.version('veteran_affairs')}, "
        f"Python {platform.python_version()}, numpy {np.__version__}; anchor: openfisca-core "
        f"{versions['openfisca-core']}, Python {versions['python']}, numpy {versions['numpy']}"
    )
    eligible = {rule: int((ours[f"{rule}:eligible"] == 1).sum()) for rule in RULES}
    print(
        f"- {size:,} synthetic persons (seed {SEED}) on {ON.isoformat()}; eligible: "
        f"{DISABILITY} {eligible[DISABILITY]:,}, {ONE_OFF} {eligible[ONE_OFF]:,}; every "
        "output equal to the fen for every person (OpenFisca, batch path, bare numpy), and "
        "for the persons decided one by one\n"
    )
    both = theirs["vectorised_s"] / timings["batch_s"]
    print(f"| what | veteran_affairs | {openfisca} | ratio | goal |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(
        f"| both rules, {size:,} persons: `evaluate_batch` / a vectorised simulation "
        f"(best of {repeat}) | {timings['batch_s'] * 1e3:,.0f} ms | "
        f"{theirs['vectorised_s'] * 1e3:,.0f} ms | {both:,.1f}× | {verdict(both, 20)} |"
    )
    print(
        f"| the same, OpenFisca's `calculate` alone (simulation built, inputs set) | | "
        f"{theirs['calculate_s'] * 1e3:,.0f} ms | "
        f"{ratio(theirs['calculate_s'], timings['batch_s'])} | |"
    )
    print(
        f"| bare numpy of the same formulas (figures resolved beforehand, nothing checked) "
        f"| {timings['bare_s'] * 1e3:,.0f} ms | | the library takes "
        f"{ratio(timings['batch_s'], timings['bare_s'])} as long | |"
    )
    for rule, who in ((DISABILITY, "disabled persons"), (ONE_OFF, "NCOs and conscripts")):
        mine, other = timings[f"{rule}:one_s"], theirs[f"{rule}:one_s"]
        print(
            f"| one person, `{rule}`: `RuleBook.evaluate` (explained) / one simulation per "
            f"person, mean of {len(sample[rule])} {who} | {mine * 1e6:,.1f} µs | "
            f"{other * 1e6:,.0f} µs | {other / mine:,.1f}× | {verdict(other / mine, 30)} |"
        )

    print(
        '\nNotes: the figures are the national book\'s (RuleBook.load("national")), with two '
        "test inputs the book does not bundle (not law): the one-off standard (5,000 yuan a "
        "year of service, 6,000 from 2024-09-01) and the local average wage (7,000 yuan a "
        "month). The whole population is compared, with no row left out. The vectorised "
        "simulation is timed from building it to the last `calculate` (inputs recoded for "
        "OpenFisca beforehand); `evaluate_batch` from the columns to the outputs, checks "
        "included. One by one, OpenFisca builds a simulation per person and calculates the "
        "rule's outputs; the library builds an explained `Decision` (reasons, citations, "
        "figures used); both are timed as the best of `--repeat` passes after a first pass over the sample. The one-by-one sample is the first persons each rule is about whose "
        f"row is a valid model ({refused:,} passed over, refused by the models). Bare numpy "
        "is the OpenFisca system's own arithmetic without OpenFisca (the service counted "
        "with a datetime64[M] cast per row), checked equal, nothing validated. One run on a "
        "shared machine: see the load average."
    )


if __name__ == "__main__":
    raise SystemExit(main())
