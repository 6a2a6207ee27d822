"""残疾抚恤金 — the disability pension of discharged disabled service members, with 护理费.

The law, in plain words:

* A disabled service member whose disability was assessed 因战 (in combat) or 因公 (on duty)
  at grades 1–10 draws a pension; one assessed 因病 (illness) only at grades 1–6, and 因病 is
  assessed only for conscripts and junior NCOs (《军人抚恤优待条例》(2024) 第二十五、二十七条;
  (2019) 第二十一、二十三条). The model refuses 因病 for anyone else.
* The pension is paid from the month the grade was approved (2024 第二十七条; the 2019 text has
  no such clause, and the same rule is applied to earlier dates as a choice), at the national
  standard for the nature and grade (第三十一条; amounts from the yearly notices). The monthly
  payment is the annual standard divided by 12, rounded to the fen.
* A nursing allowance (护理费) is paid on top, as a share of the local previous-year average
  monthly wage of urban employees, to veterans of grades 1–4 supported dispersedly when they
  left the service (or assessed or raised to grades 1–4 after discharge), and — from
  2024-10-01 — to those assessed at grades 5–6 for a mental disorder while serving (2024
  第三十四条; 2019 第三十条 had only the first three rates and dispersed grade 1–4 veterans).
* Payments stop while a sanction suspends them and end when one cancels them (2024 第五十九条).
* After a disabled veteran dies of illness, 12 more months of the pension are paid to the
  survivors as funeral aid (2024 第三十二条; 2019 第二十八条); the decision for a date after the
  death is not eligible and names that amount — 12 × the monthly payment (rounded to the fen)
  at the standard in force on the day of death — where the pension was being drawn then (no
  sanction in effect) and that standard is known. That standard is read through the
  evaluation (listed among the figures used, marked stale where it is); an unknown one leaves
  the amount out of the reason instead of failing.
* Facts before figures: every condition of fact (assessed, approved, pensioned, alive, no
  sanction) is recorded first, and a decision they settle as not eligible reads no standard
  and no nursing figure, so it never fails for want of one. An eligible decision needs the
  standard and raises, loudly, where it is not known.

Example (the 2020-08-01 national table, DOMAIN.md §4): grade 1 因战 is 96,970 yuan a year,
8,080.83 a month.

Columnar twin: :func:`decide_columns` decides whole columns of numpy arrays at once (批量计算,
registered as ``RULE.columnar``; ``veteran_affairs.rules.batch`` documents its columns and
outputs). It lives here so that it changes with :func:`decide`; property tests prove
that the two agree row by row, errors and stale figures included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from veteran_affairs.errors import InvalidAmount, ParameterError
from veteran_affairs.models import Disability, DisabilityNature, Veteran
from veteran_affairs.parameters import Parameter
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import (
    ColumnarRule,
    Evaluation,
    Rule,
    RuleBook,
    check_sanctions,
)
from veteran_affairs.statutes import PENSIONS_2024, FuneralAid, pair

__all__ = [
    "FUNERAL_AID",
    "MENTAL_DISORDER_NURSING_GRADES",
    "NURSING_UP_TO",
    "PENSIONED_UP_TO",
    "RULE",
    "decide",
    "decide_columns",
    "pensioned",
]

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

REGULATION_2024 = PENSIONS_2024.in_force
ART_23_2019, ART_27_2024 = pair("pensions.disability_grades").citations
APPROVAL_MONTH_BEFORE_2024 = PENSIONS_2024.article(
    "第二十七条",
    note="the 2019 text has no such clause; the 2024 rule (from the month of approval) is "
    "applied to earlier dates too, as a documented choice",
)
ART_31_2024 = PENSIONS_2024.article("第三十一条")
ART_30_2019, ART_34_2024 = pair("pensions.nursing_allowance").citations

FUNERAL_AID = FuneralAid(
    benefit="disability_pension", months=12, grants=pair("pensions.disability_death").citations
)
"""12 more months of the pension after a disabled veteran dies of illness (丧葬补助): 2019
第二十八条第二款 (增发12个月), 2024 第三十二条第二款 (继续发放12个月). The cause of death is not
recorded: the rule names the amount "if the death was from illness"; the schedule pays it."""
ART_28_2019, ART_32_2024 = FUNERAL_AID.grants

PENSIONED_UP_TO: Mapping[DisabilityNature, int] = MappingProxyType(
    {DisabilityNature.IN_COMBAT: 10, DisabilityNature.ON_DUTY: 10, DisabilityNature.ILLNESS: 6}
)
"""The last grade that carries a pension, by nature (享受抚恤的等级): 因战 and 因公 grades 1–10,
因病 grades 1–6 (2024 第二十七条第二款; 2019 第二十三条第二款, the same). The one statement of it:
the rule, its columnar twin and the payment schedule read this table."""
NURSING_UP_TO = 4
"""Grades 1 to this one draw the nursing allowance (护理费) when supported dispersedly (2024
第三十四条; 2019 第三十条)."""
MENTAL_DISORDER_NURSING_GRADES = frozenset({5, 6})
"""From 2024-10-01, grades 5–6 assessed for a mental disorder while serving also draw it (2024
第三十四条第一款(四), new in that text)."""

STANDARD = "disability_pension.annual_standard"
NURSING_RATE = "disability_pension.nursing_allowance_rate"
LOCAL_WAGE = "disability_pension.local_average_monthly_wage"


def pensioned(disability: Disability) -> bool:
    """Whether a disability's nature and grade carry a pension (:data:`PENSIONED_UP_TO`).

    >>> from veteran_affairs.models import Disability, DisabilityNature
    >>> def grade(n, nature):
    ...     return Disability(grade=n, nature=nature, assessed_on=dt.date(2020, 1, 1))
    >>> pensioned(grade(6, DisabilityNature.ILLNESS)), pensioned(grade(7, DisabilityNature.ILLNESS))
    (True, False)
    >>> pensioned(grade(10, DisabilityNature.ON_DUTY))
    True
    """
    return disability.grade <= PENSIONED_UP_TO[disability.nature]


def _nursing_allowance(evaluation: Evaluation, veteran: Veteran) -> None:
    """Add the nursing allowance (护理费) as a monthly component where it is due."""
    disability = veteran.disability
    assert disability is not None
    on = evaluation.on
    regime_2024 = on >= REGULATION_2024
    citation = ART_34_2024 if regime_2024 else ART_30_2019
    discharged = veteran.service.discharged_on
    assert discharged is not None
    after_discharge = disability.assessed_on > discharged
    key: tuple[str, str] | None = None
    if disability.grade <= NURSING_UP_TO:
        dispersed = veteran.circumstances.centrally_supported
        if after_discharge and regime_2024:
            held: bool | None = True
        else:
            held = None if dispersed is None else not dispersed
        evaluation.check(
            "nursing.dispersed",
            held,
            "grade 1–4 and supported dispersedly on leaving the service (or assessed after)",
            "一级至四级且退出现役时分散供养（或退役后补办、调整为一级至四级）",
            citation,
            missing="circumstances.centrally_supported",
        )
        if held:
            key = (disability.nature.value, str(disability.grade))
    elif (
        disability.grade in MENTAL_DISORDER_NURSING_GRADES
        and disability.mental_disorder
        and regime_2024
    ):
        during_service = not after_discharge
        evaluation.check(
            "nursing.mental_disorder",
            during_service,
            "grade 5–6 for a mental disorder assessed while serving",
            "服现役期间因患精神障碍评定为五级至六级",
            citation,
        )
        if during_service:
            key = ("mental-disorder", str(disability.grade))
    if key is None:
        return
    try:
        rate = evaluation.param(NURSING_RATE, *key)
        wage = evaluation.param(LOCAL_WAGE)
    except ParameterError as error:
        evaluation.check(
            "nursing.parameters",
            None,
            f"nursing allowance due, but {error.key} is not known for the date",
            f"应发护理费，但缺少参数 {error.key}",
            citation,
            missing=f"parameter {error.key}",
        )
        return
    amount = evaluation.parameter(LOCAL_WAGE).round(rate * wage)
    evaluation.component("nursing_allowance", "护理费", amount, Period.MONTH)


def _funeral_aid(
    evaluation: Evaluation, veteran: Veteran, died: dt.date, cell: tuple[str, str]
) -> None:
    """Name the 12 months paid as funeral aid after the veteran's death, where they were drawn.

    The amount is only named: the decision (not eligible) does not depend on it, so an
    unknown standard at the date of death leaves it out instead of failing.
    """
    if any(sanction.in_effect_on(died) for sanction in veteran.sanctions):
        return  # nothing was being paid at the death
    citation = FUNERAL_AID.citation(died)
    assert citation is not None  # both texts grant it
    annual = evaluation.param_or_none(STANDARD, *cell, on=died)
    if annual is None:
        aid_en = aid_zh = ""  # the standard at the date of death is not known
    else:
        aid = evaluation.parameter(STANDARD).round(annual / 12) * FUNERAL_AID.months
        aid_en, aid_zh = f": {aid} yuan", f"：{aid}元"
    evaluation.check(
        "funeral_aid",
        True,
        f"{FUNERAL_AID.months} more months of pension are paid to the survivors as funeral "
        f"aid if the death was from illness{aid_en}",
        f"因病死亡的，继续发放{FUNERAL_AID.months}个月残疾抚恤金作为丧葬补助{aid_zh}",
        citation,
    )


def decide(veteran: Veteran, evaluation: Evaluation) -> Decision:
    """Whether ``veteran`` draws a disability pension on the evaluation date, and how much."""
    on = evaluation.on
    disability = veteran.disability
    basis = ART_27_2024 if on >= REGULATION_2024 else ART_23_2019
    if not evaluation.check(
        "disability.assessed",
        disability is not None,
        "has an assessed disability grade",
        "已评定残疾等级",
        basis,
    ):
        return evaluation.decide()
    assert disability is not None
    assessed = disability.assessed_on
    approved = (on.year, on.month) >= (assessed.year, assessed.month)
    evaluation.check(
        "disability.approved",
        approved,
        f"paid from the month of approval ({assessed.year}-{assessed.month:02d})",
        f"自批准当月（{assessed.year}年{assessed.month:02d}月）起发给",
        ART_27_2024 if on >= REGULATION_2024 else APPROVAL_MONTH_BEFORE_2024,
    )
    has_pension = pensioned(disability)
    evaluation.check(
        "disability.grade_pensioned",
        has_pension,
        f"grade {disability.grade} {disability.nature.value}: 因战/因公 1–10 and 因病 1–6 "
        "are pensioned",
        f"{disability.nature.label_zh}{disability.grade}级：因战因公一至十级、因病一至六级享受抚恤",
        basis,
    )
    died = veteran.person.died_on
    alive = died is None or on <= died
    evaluation.check(
        "person.alive",
        alive,
        "alive on the date" if alive else f"died on {died}",
        "在世" if alive else f"已于{died}去世",
    )
    check_sanctions(evaluation, veteran.sanctions)
    if not (approved and has_pension):
        return evaluation.decide()
    cell = (disability.nature.value, str(disability.grade))
    if not alive:
        assert died is not None
        _funeral_aid(evaluation, veteran, died, cell)
    if evaluation.outcome is False:
        return evaluation.decide()  # settled by the facts: no figure is read
    annual = evaluation.param(STANDARD, *cell)
    monthly = evaluation.parameter(STANDARD).round(annual / 12)
    # Eligible now; an unknown nursing allowance leaves the pension due (it is named missing).
    eligible = evaluation.outcome
    _nursing_allowance(evaluation, veteran)
    return evaluation.decide(eligible=eligible, amount=annual, monthly=monthly)


# --- the columnar twin (批量计算) -------------------------------------------------------------

COLUMNAR_READS = (
    "disability_grade",
    "disability_nature",
    "disability_assessed_on",
    "mental_disorder",
    "centrally_supported",
    "discharged_on",
    "died_on",
    "cancelled_from",
    "expelled_from",
    "suspended_from",
    "suspended_until",
)
COLUMNAR_OUTPUTS: Mapping[str, str] = MappingProxyType(
    {
        "eligible": "int8",
        "amount_fen": "int64",
        "monthly_fen": "int64",
        "nursing_allowance_fen": "int64",
        "nursing_allowance_status": "int8",
        "stale": "bool",
    }
)


def decide_columns(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The columnar twin of :func:`decide`: every row of ``data`` at once (批量计算).

    The same decision as :func:`decide` for each veteran: eligibility, the annual standard and
    its monthly twelfth, the nursing allowance and whether it is undetermined, errors and
    staleness (``veteran_affairs.rules.batch`` documents the columns and outputs). A row's
    cell in the (nature × grade) tables is ``nature * 11 + grade``; cells of grade 0 hold
    zeros, so gathering cell 0 for a row that is not paid gives no amount.
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    grade = data["disability_grade"]
    nature = data["disability_nature"]
    natures = engine.DISABILITY_NATURES
    day = np.datetime64(on, "D")
    next_month = (np.datetime64(on, "M") + 1).astype("datetime64[D]")
    approved = data["disability_assessed_on"] < next_month  # paid from the month of approval
    pensioned = np.ones(len(grade), dtype=np.bool_)
    for code, kind in enumerate(natures):  # a comparison per nature with fewer grades
        if PENSIONED_UP_TO[kind] < engine.GRADES:
            pensioned &= (nature != code) | (grade <= PENSIONED_UP_TO[kind])
    died = data["died_on"]
    alive = engine.is_nat(died) | (died >= day)
    # Only rows the facts do not settle read the standard (the rule's order): an unknown
    # figure never fails a row that is not eligible anyway. The funeral aid named after a
    # death never fails either, and the batch path does not name it.
    facts = (grade > 0) & approved & pensioned
    eligible = facts & alive & ~engine.payments_stopped(data, on)
    cell = np.maximum(nature, 0).astype(np.intp) * (engine.GRADES + 1) + grade

    size = len(grade)
    amount = monthly = np.zeros(size, dtype=np.int64)
    stale = np.zeros(size, dtype=np.bool_)
    standard = book.parameters[STANDARD] if eligible.any() else None  # raises as the rule
    if standard is not None:
        tables = _standard_tables(book, standard, on)
        needed = np.bincount(np.where(eligible, cell, 0), minlength=tables.known.size) > 0
        needed[:: engine.GRADES + 1] = False  # grade 0: no lookup
        if not tables.known.ravel()[needed].all():
            row = engine.first(eligible & ~tables.known.ravel()[cell])
            standard.value_on(
                on, natures[nature[row]].value, str(grade[row]), allow_stale=book.allow_stale
            )
            raise AssertionError("unreachable: the lookup above raises")  # pragma: no cover
        if not tables.whole.ravel()[needed].all():
            row = engine.first(eligible & ~tables.whole.ravel()[cell])
            path = f"{natures[nature[row]].value}/{grade[row]}"
            raise InvalidAmount(
                f"{STANDARD}/{path}",
                "a part smaller than a fen",
                "the batch path pays whole fen; supply the standard in whole fen",
                "批量计算须以分为单位",
            )
        paid = np.where(eligible, cell, 0)
        amount = tables.annual.ravel().take(paid)
        monthly = tables.monthly.ravel().take(paid)
        if book.allow_stale:
            stale = eligible & tables.stale.ravel().take(cell)
    nursing, status, nursing_stale = _nursing_columns(book, data, on, eligible, cell)
    if book.allow_stale:
        stale |= nursing_stale | _funeral_aid_stale(book, data, facts & ~alive, cell)
    return {
        "eligible": eligible.astype(np.int8),
        "amount_fen": amount,
        "monthly_fen": monthly,
        "nursing_allowance_fen": nursing,
        "nursing_allowance_status": status,
        "stale": stale,
    }


@attrs.frozen(kw_only=True)
class _StandardTables:
    """The standard by (nature × grade) in fen, its monthly twelfth, what is known."""

    annual: Array
    monthly: Array
    known: Array
    whole: Array  # the annual amount is a whole number of fen
    stale: Array  # the figure is past its confirmed date (a book allowing stale figures)


def _standard_tables(book: RuleBook, standard: Parameter, on: dt.date) -> _StandardTables:
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    shape = (len(engine.DISABILITY_NATURES), engine.GRADES + 1)
    annual = np.zeros(shape, dtype=np.int64)
    monthly = np.zeros(shape, dtype=np.int64)
    known = np.zeros(shape, dtype=np.bool_)
    whole = np.ones(shape, dtype=np.bool_)
    stale = np.zeros(shape, dtype=np.bool_)
    for code, nature in enumerate(engine.DISABILITY_NATURES):
        for grade in range(1, engine.GRADES + 1):
            try:
                value, version = standard.value_on(
                    on, nature.value, str(grade), allow_stale=book.allow_stale
                )
            except ParameterError:
                continue
            known[code, grade] = True
            stale[code, grade] = standard.is_stale(version, on)
            monthly[code, grade] = engine.fen(standard.round(value / 12), standard.key)
            try:
                annual[code, grade] = engine.fen(value, standard.key)
            except InvalidAmount:
                whole[code, grade] = False
    return _StandardTables(annual=annual, monthly=monthly, known=known, whole=whole, stale=stale)


def _nursing_columns(
    book: RuleBook, data: Mapping[str, Array], on: dt.date, eligible: Array, cell: Array
) -> tuple[Array, Array, Array]:
    """The nursing allowance (护理费) in fen, its status and staleness, as ``_nursing_allowance``.

    Its table has a fourth row, for mental disorders at grades 5–6 (from 2024-10-01).
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    grade = data["disability_grade"]
    supported = data["centrally_supported"]
    severe = eligible & (grade <= NURSING_UP_TO)
    mental_row = len(engine.DISABILITY_NATURES) * (engine.GRADES + 1)
    if on >= REGULATION_2024:
        after_discharge = data["disability_assessed_on"] > data["discharged_on"]
        certain = severe & after_discharge  # assessed after discharge: no support question
        dispersed = severe & (certain | (supported == 0))
        unknown = severe & ~certain & (supported < 0)
        mental = (
            eligible
            & np.isin(grade, sorted(MENTAL_DISORDER_NURSING_GRADES))
            & data["mental_disorder"]
            & ~after_discharge
        )
        due = dispersed | mental
        cell = np.where(mental, mental_row + grade, cell)
    else:
        due = severe & (supported == 0)
        unknown = severe & (supported < 0)
    size = len(grade)
    if not due.any():
        none = np.zeros(size, dtype=np.int64)
        return none, np.where(unknown, -1, 0).astype(np.int8), np.zeros(size, dtype=np.bool_)
    amounts, statuses, stale = _nursing_table(book, on)
    due_cell = np.where(due, cell, 0)
    status = np.where(unknown, -1, statuses.ravel().take(due_cell)).astype(np.int8)
    return amounts.ravel().take(due_cell), status, due & stale.ravel().take(due_cell)


def _nursing_table(book: RuleBook, on: dt.date) -> tuple[Array, Array, Array]:
    """The allowance per (nature or mental disorder × grade) in fen, the status to report
    where it is due (1 paid, -1 undetermined: a parameter is unknown on the date), and
    whether the figures read were stale (the rate is read, and recorded, before the wage)."""
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    natures = engine.DISABILITY_NATURES
    shape = (len(natures) + 1, engine.GRADES + 1)
    table = np.zeros(shape, dtype=np.int64)
    status = np.full(shape, -1, dtype=np.int8)
    status[:, 0] = 0  # cell 0: not due
    stale = np.zeros(shape, dtype=np.bool_)
    parameters = book.parameters
    keys = [
        (code, nature.value, grade)
        for code, nature in enumerate(natures)
        for grade in range(1, NURSING_UP_TO + 1)
    ] + [(len(natures), "mental-disorder", g) for g in sorted(MENTAL_DISORDER_NURSING_GRADES)]
    wage: tuple[Decimal, bool] | None = None
    try:
        local = parameters[LOCAL_WAGE]
        value, version = local.value_on(on, allow_stale=book.allow_stale)
        wage = (value, local.is_stale(version, on))
    except ParameterError:
        pass
    for code, name, grade in keys:
        try:
            rates = parameters[NURSING_RATE]
            rate, version = rates.value_on(on, name, str(grade), allow_stale=book.allow_stale)
        except ParameterError:
            continue  # the rule reports the parameter missing and pays no allowance
        stale[code, grade] = rates.is_stale(version, on)
        if wage is None:
            continue
        stale[code, grade] |= wage[1]
        rounded = parameters[LOCAL_WAGE].round(rate * wage[0])
        table[code, grade] = engine.fen(rounded, LOCAL_WAGE)
        status[code, grade] = 1
    return table, status, stale


def _funeral_aid_stale(
    book: RuleBook, data: Mapping[str, Array], dead: Array, cell: Array
) -> Array:
    """Whether the standard the funeral aid names (read on the day of death) was stale.

    ``dead``: rows whose facts lead to the funeral aid (pensioned, approved, dead before the
    date); those with a sanction in effect on the day of death read nothing.
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    died = data["died_on"]
    rows = dead & ~engine.sanctioned_on(data, died)
    stale = np.zeros(len(died), dtype=np.bool_)
    if not rows.any() or STANDARD not in book.parameters:
        return stale
    standard = book.parameters[STANDARD]
    engine.in_calendar(np.where(rows, died, np.datetime64("NaT", "D")), "died_on")
    epoch, days = engine.by_day([standard], died, rows)
    width = len(engine.DISABILITY_NATURES) * (engine.GRADES + 1)
    table = np.zeros((int(epoch.max()) + 1, width), dtype=np.bool_)
    for index, when in days:
        for code, nature in enumerate(engine.DISABILITY_NATURES):
            for grade in range(1, engine.GRADES + 1):
                try:
                    _, version = standard.value_on(when, nature.value, str(grade), allow_stale=True)
                except ParameterError:
                    continue
                table[index, code * (engine.GRADES + 1) + grade] = standard.is_stale(version, when)
    found: Array = rows & table.ravel().take(np.where(rows, epoch * width + cell, 0))
    return found


RULE = Rule(
    name="disability_pension",
    label_zh="残疾抚恤金",
    label_en="disability pension",
    subjects=(Veteran,),
    basis=(ART_27_2024, ART_31_2024, ART_34_2024, ART_23_2019),
    decide=decide,
    columnar=ColumnarRule(
        name="disability_pension",
        reads_by_subject=MappingProxyType({Veteran: COLUMNAR_READS}),
        outputs=COLUMNAR_OUTPUTS,
        evaluate=decide_columns,
    ),
)
