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
"""

from __future__ import annotations

import datetime as dt

from veteran_affairs.errors import ParameterError
from veteran_affairs.models import DisabilityNature, Veteran
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import Evaluation, Rule, check_sanctions

__all__ = ["RULE", "decide"]

REGULATION_2024 = dt.date(2024, 10, 1)
ART_27_2024 = Citation(
    document="《军人抚恤优待条例》(2024)", article="第二十七条", effective=REGULATION_2024
)
ART_23_2019 = Citation(
    document="《军人抚恤优待条例》(2019)", article="第二十三条", effective=dt.date(2019, 3, 2)
)
APPROVAL_MONTH_BEFORE_2024 = Citation(
    document="《军人抚恤优待条例》(2024)",
    article="第二十七条",
    effective=REGULATION_2024,
    note="the 2019 text has no such clause; the 2024 rule (from the month of approval) is "
    "applied to earlier dates too, as a documented choice",
)
ART_31_2024 = Citation(
    document="《军人抚恤优待条例》(2024)", article="第三十一条", effective=REGULATION_2024
)
ART_32_2024 = Citation(
    document="《军人抚恤优待条例》(2024)", article="第三十二条", effective=REGULATION_2024
)
ART_28_2019 = Citation(
    document="《军人抚恤优待条例》(2019)", article="第二十八条", effective=dt.date(2019, 3, 2)
)
ART_34_2024 = Citation(
    document="《军人抚恤优待条例》(2024)", article="第三十四条", effective=REGULATION_2024
)
ART_30_2019 = Citation(
    document="《军人抚恤优待条例》(2019)", article="第三十条", effective=dt.date(2019, 3, 2)
)

STANDARD = "disability_pension.annual_standard"
NURSING_RATE = "disability_pension.nursing_allowance_rate"
LOCAL_WAGE = "disability_pension.local_average_monthly_wage"
FUNERAL_AID_MONTHS = 12


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
    if disability.grade <= 4:
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
    elif disability.grade <= 6 and disability.mental_disorder and regime_2024:
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
    citation = ART_32_2024 if died >= REGULATION_2024 else ART_28_2019
    annual = evaluation.param_or_none(STANDARD, *cell, on=died)
    if annual is None:
        aid_en = aid_zh = ""  # the standard at the date of death is not known
    else:
        aid = evaluation.parameter(STANDARD).round(annual / 12) * FUNERAL_AID_MONTHS
        aid_en, aid_zh = f": {aid} yuan", f"：{aid}元"
    evaluation.check(
        "funeral_aid",
        True,
        f"{FUNERAL_AID_MONTHS} more months of pension are paid to the survivors as funeral "
        f"aid if the death was from illness{aid_en}",
        f"因病死亡的，继续发放{FUNERAL_AID_MONTHS}个月残疾抚恤金作为丧葬补助{aid_zh}",
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
    illness = disability.nature is DisabilityNature.ILLNESS
    pensioned = disability.grade <= 6 if illness else True
    evaluation.check(
        "disability.grade_pensioned",
        pensioned,
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
    if not (approved and pensioned):
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


RULE = Rule(
    name="disability_pension",
    label_zh="残疾抚恤金",
    label_en="disability pension",
    subjects=(Veteran,),
    basis=(ART_27_2024, ART_31_2024, ART_34_2024, ART_23_2019),
    decide=decide,
)
