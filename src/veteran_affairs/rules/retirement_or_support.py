"""退休 / 供养 — whether a discharged NCO retires, or an NCO or conscript is supported for life.

The law, in plain words:

* **The regime is chosen by the discharge date** (``service.discharged_on``): discharges from
  2011-11-01 to 2024-08-31 follow 《退役士兵安置条例》(2011) 第四十一至四十三条, discharges from
  2024-09-01 《退役军人安置条例》(2024) 第三十六、三十八条 (2024 第九十三条 repealed the 2011
  text). Parameters are looked up on the discharge date. A discharge before 2011-11-01 is
  "not eligible under these regulations" and reads no parameter.
* **Retirement** (退休; 2011 第四十一条, 2024 第三十六条): an intermediate or senior NCO
  (中级以上军士, 士官 in 2011; ``service.nco_rank``) retires when any one of these holds:

  - (一) aged at least ``retirement_or_support.retirement_age`` (55) on the discharge date
    (2024 says "at discharge"; the 2011 text says only "年满55周岁" and is read the same way,
    since the placement is decided at discharge), by :meth:`Person.age_on
    <veteran_affairs.models.Person.age_on>`;
  - (二) at least ``retirement_or_support.retirement_service_years`` (30) full years of
    service, counted in calendar terms from ``enlisted_on`` to ``discharged_on``;
  - (三) disabled in combat or on duty (因战、因公) and graded 1 to 6;
  - (四) a certified loss of work capacity (``circumstances.certified_work_incapacity``): in
    2024 a serious illness with a medical assessment that the person has basically lost the
    capacity to work; in 2011 a loss through illness certified by an army hospital and
    confirmed by the health department of a unit at army level or above. Unknown (``None``)
    is reported missing while it could change the outcome.

* **Support for life** (供养; 2011 第四十二、四十三条, 2024 第三十八条): a conscript or a junior
  NCO (初级军士) graded 1 to 4, of any nature (因战、因公、因病), is supported by the state for
  life. An intermediate or senior NCO disabled 因战 or 因公 and graded 1 to 4 retires under
  (三) and **may choose support instead** (本人自愿放弃退休安置的，可以选择由国家供养).
* **Officers** are placed under other articles (退休 of officers: 2024 第十二条 and the
  officers' rules): not decided here, not eligible, and the reason says so.
* **What the decision says.** ``eligible`` is ``True`` when retirement or support applies;
  the decision has no amount and no components. Which one is read from two reasons:
  ``retirement`` and ``support``, each held (``True``) when that placement applies. Both held
  means retirement with the option of support. :func:`placement_kind` returns
  ``"retirement"``, ``"support"``, ``"retirement-or-support"`` or ``None`` (not eligible or
  undetermined). The recorded discharge mode does not decide the outcome (a reason names it):
  the rule answers "does the law place this veteran by retirement or support".
* **Disability**: ``veteran.disability`` (``None``: no disability assessed). The model keeps
  one assessment; one dated after the discharge is taken as the grade at discharge — flag
  ``retirement_or_support.count_disability_assessed_after_discharge`` (default 1; with 0 it
  does not count).
* An intermediate or senior NCO disabled 因战 and graded 5 or 6 may give up retirement for
  arranged employment (2011 第四十一条第三款; 2024 第二十五条第三款): stated as a reason. A
  conscript or junior NCO graded 5–6 for a mental disorder may be treated in hospital (2024
  第二十四条): not decided here.
* **Evaluation date**: the conditions are those at discharge; a date before the discharge is
  not eligible ("not yet discharged"), any later date gives the same decision. A death before
  the discharge date, or an expulsion from the army (开除军籍) on or before it, means there was
  no lawful discharge to settle (2011 第二条; 2024 第二条). Sanctions under
  《军人抚恤优待条例》 concern 抚恤 payments, not this placement.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from veteran_affairs.errors import InvalidValue
from veteran_affairs.models import (
    DisabilityNature,
    NcoRank,
    PersonnelType,
    Veteran,
)
from veteran_affairs.rules._decision import Decision
from veteran_affairs.rules._engine import Evaluation, Rule
from veteran_affairs.rules._placement import (
    REGULATION_2011,
    REGULATION_2024,
    Term,
    any_of,
    check_discharge,
    new_article,
    old_article,
)
from veteran_affairs.statutes import pair

__all__ = ["RETIREMENT", "RETIREMENT_OR_SUPPORT", "RULE", "SUPPORT", "decide", "placement_kind"]


RETIREMENT_AGE = "retirement_or_support.retirement_age"
RETIREMENT_SERVICE_YEARS = "retirement_or_support.retirement_service_years"
LATER_ASSESSMENT_COUNTS = "retirement_or_support.count_disability_assessed_after_discharge"

RETIREMENT = "retirement"
"""Placed by retirement (退休)."""
SUPPORT = "support"
"""Supported by the state for life (国家供养终身)."""
RETIREMENT_OR_SUPPORT = "retirement-or-support"
"""Retirement, or support if the veteran chooses it (本人自愿放弃退休安置的，可以选择供养)."""

_DUTY_NATURES = frozenset({DisabilityNature.IN_COMBAT, DisabilityNature.ON_DUTY})
SUPPORTED_UP_TO = 4
"""Grades 1 to this one are supported for life (国家供养终身): any conscript or junior NCO so
graded, and an intermediate or senior NCO disabled in combat or on duty who chooses it (2011
第四十二、四十三条; 2024 第三十八条)."""


class _Regime:
    """The citations of one regulation, chosen by the discharge date."""

    __slots__ = (
        "arranged",
        "definition",
        "name",
        "retirement",
        "scope",
        "senior_support",
        "support",
    )

    def __init__(self, discharged_on: dt.date) -> None:
        # The matching articles of the two texts come from the concordance (statutes.toml).
        on = discharged_on
        self.name = "2024" if on >= REGULATION_2024 else "2011"
        self.definition = pair("placement.definition").cite(on)
        self.retirement = pair("placement.retirement").cite(on)
        self.support = pair("placement.support").cite(on)
        self.senior_support = pair("placement.senior_support").cite(on)
        self.arranged = pair("placement.retirement_to_arranged").cite(on)
        self.scope = pair("placement.in_force").cite(on)


def _gates(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> bool:
    """Record who these articles cover; all known, so a plain yes or no."""
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None  # a Veteran always has one
    when = discharged_on.isoformat()
    covered = discharged_on >= REGULATION_2011
    if regime.name == "2024":
        scope_en = f"discharged on {when}: the 2024 regulation applies (discharges from 2024-09-01)"
        scope_zh = f"于{when}退出现役，适用《退役军人安置条例》(2024)"
    elif covered:
        scope_en = (
            f"discharged on {when}: the 2011 regulation applies "
            "(discharges 2011-11-01 to 2024-08-31)"
        )
        scope_zh = f"于{when}退出现役，适用《退役士兵安置条例》(2011)"
    else:
        scope_en = (
            f"discharged on {when}, before 2011-11-01: not eligible under these regulations "
            "(settled under the rules then in force, not modelled)"
        )
        scope_zh = f"于{when}退出现役，早于2011年11月1日，不适用本规则所依据的条例"
    evaluation.check("service.discharge_regime", covered, scope_en, scope_zh, regime.scope)
    if not covered:
        return False
    kind = service.personnel_type
    officer = kind is PersonnelType.OFFICER
    evaluation.check(
        "service.personnel_type",
        not officer,
        "an NCO or a conscript"
        + (
            " (here: officer — officers retire or are placed under other articles, not decided "
            "here)"
            if officer
            else f" (here: {kind.value})"
        ),
        "退役军士（士官）或义务兵"
        + ("（本人：军官，其安置不适用本条）" if officer else f"（本人：{kind.label_zh}）"),
        regime.retirement,
    )
    check_discharge(evaluation, veteran, regime.retirement, regime.definition)
    return evaluation.outcome is True


def _grade(veteran: Veteran, evaluation: Evaluation) -> tuple[int | None, str, str]:
    """The disability grade that counts (None: none), and how it reads in the reasons."""
    disability = veteran.disability
    if disability is None:
        return None, "no disability assessed", "未评定残疾"
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    en = f"{disability.nature.value} grade {disability.grade}"
    zh = f"{disability.nature.label_zh}{disability.grade}级"
    if disability.assessed_on > discharged_on:
        assessed = disability.assessed_on.isoformat()
        if not evaluation.flag(LATER_ASSESSMENT_COUNTS, True):
            return (
                None,
                f"{en}, assessed on {assessed} after the discharge: not counted",
                f"{zh}，于{assessed}退役后评定，不予计入",
            )
        en += f", assessed on {assessed} after the discharge: taken as at discharge"
        zh += f"，于{assessed}退役后评定，视为退役时等级"
    return disability.grade, en, zh


def _retirement_terms(
    veteran: Veteran,
    evaluation: Evaluation,
    regime: _Regime,
    grade: int | None,
    here: tuple[str, str],
) -> list[Term]:
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None
    age_needed = evaluation.param(RETIREMENT_AGE, on=discharged_on)
    age = veteran.person.age_on(discharged_on)
    years_needed = evaluation.param(RETIREMENT_SERVICE_YEARS, on=discharged_on)
    years = relativedelta(discharged_on, service.enlisted_on).years
    nature = veteran.disability.nature if veteran.disability is not None else None
    duty_grade = grade is not None and nature in _DUTY_NATURES and grade <= 6
    facts = veteran.circumstances.certified_work_incapacity
    if regime.name == "2024":
        incapacity_en = (
            "(四) a serious illness and a medical assessment of basic loss of work capacity"
        )
        incapacity_zh = "(四)患有严重疾病且经医学鉴定基本丧失工作能力"
    else:
        incapacity_en = (
            "(四) a basic loss of work capacity through illness, certified by an army hospital "
            "and confirmed by the health department of a unit at army level or above"
        )
        incapacity_zh = "(四)经军队医院证明和军级以上单位卫生部门审核确认因病基本丧失工作能力"
    span = f"{service.enlisted_on.isoformat()} → {discharged_on.isoformat()}"
    return [
        Term(
            "retirement.age",
            age >= age_needed,
            f"(一) aged at least {age_needed} at discharge (here: {age})",
            f"(一)退出现役时年满{age_needed}周岁（本人：{age}周岁）",
            regime.retirement,
        ),
        Term(
            "retirement.service_years",
            years >= years_needed,
            f"(二) at least {years_needed} full years of service (here: {years}, {span})",
            f"(二)服现役满{years_needed}年（本人：满{years}年，{span}）",
            regime.retirement,
        ),
        Term(
            "retirement.disability",
            duty_grade,
            f"(三) disabled in combat or on duty, graded 1 to 6 (here: {here[0]})",
            f"(三)因战、因公致残被评定为1级至6级残疾等级（本人：{here[1]}）",
            regime.retirement,
        ),
        Term(
            "retirement.work_incapacity",
            facts,
            incapacity_en + (" (not known)" if facts is None else "" if facts else " (no)"),
            incapacity_zh + ("（未知）" if facts is None else "" if facts else "（否）"),
            regime.retirement,
            "circumstances.certified_work_incapacity",
        ),
    ]


def decide(veteran: Veteran, evaluation: Evaluation) -> Decision:
    """Whether ``veteran`` is placed by retirement or support; which one is in the reasons."""
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None
    regime = _Regime(discharged_on)
    if not _gates(veteran, evaluation, regime):
        return evaluation.decide(eligible=False)

    grade, here_en, here_zh = _grade(veteran, evaluation)
    nature = veteran.disability.nature if veteran.disability is not None else None
    senior = service.nco_rank is NcoRank.INTERMEDIATE_OR_SENIOR
    rank = (
        (service.nco_rank.value, service.nco_rank.label_zh)
        if service.nco_rank is not None
        else (service.personnel_type.value, service.personnel_type.label_zh)
    )
    if senior:
        terms = _retirement_terms(veteran, evaluation, regime, grade, (here_en, here_zh))
        retires = any_of(t.held for t in terms)
        support = grade is not None and nature in _DUTY_NATURES and grade <= SUPPORTED_UP_TO
        eligible = any_of((retires, support))
        for term in terms:
            needed = eligible is None or term.held is not None
            evaluation.check(
                term.code,
                term.held,
                term.message_en + ("" if needed else " — not needed: decided without it"),
                term.message_zh + ("" if needed else "（无需补充）"),
                term.citation,
                missing=term.missing if eligible is None and term.held is None else None,
            )
        evaluation.check(
            RETIREMENT,
            retires,
            "retires: an intermediate or senior NCO meeting at least one condition"
            if retires
            else "does not retire: an intermediate or senior NCO meeting none of the conditions"
            if retires is False
            else "retirement undetermined: an intermediate or senior NCO, a condition not known",
            "作退休安置"
            if retires
            else "不符合退休条件"
            if retires is False
            else "退休条件尚无法确定",
            regime.retirement,
        )
        evaluation.check(
            SUPPORT,
            support,
            f"may choose support for life instead of retirement: disabled in combat or on duty, "
            f"graded 1 to 4 (here: {here_en})"
            if support
            else f"no choice of support: that needs a combat or duty disability graded 1 to 4 "
            f"(here: {here_en})",
            f"因战、因公致残1级至4级，本人自愿放弃退休安置的，可以选择由国家供养终身（本人：{here_zh}）"
            if support
            else f"不符合选择供养的条件（须因战、因公致残1级至4级；本人：{here_zh}）",
            regime.senior_support,
        )
        if nature is DisabilityNature.IN_COMBAT and grade is not None and 5 <= grade <= 6:
            evaluation.check(
                "option.arranged_employment",
                True,
                "may give up retirement and choose arranged employment (disabled in combat, "
                "graded 5 or 6)",
                "因战致残5级至6级，本人自愿放弃退休安置的，可以选择安排工作",
                regime.arranged,
            )
    else:
        support = grade is not None and grade <= SUPPORTED_UP_TO
        eligible = support
        evaluation.check(
            RETIREMENT,
            False,
            f"retirement is for intermediate or senior NCOs (here: {rank[0]})",
            f"退休安置适用于中级以上军士（士官）（本人：{rank[1]}）",
            regime.retirement,
        )
        evaluation.check(
            SUPPORT,
            support,
            f"a conscript or junior NCO graded 1 to 4, of any nature, is supported for life "
            f"(here: {here_en})",
            f"被评定为1级至4级残疾等级的义务兵和初级军士（士官），由国家供养终身（本人：{here_zh}）",
            regime.support,
        )
    mode = service.discharge_mode
    if eligible:
        evaluation.check(
            "service.discharge_mode",
            True,
            "recorded discharge mode: "
            + ("not recorded" if mode is None else mode.value)
            + " (the placement the law gives is decided here, not the mode recorded)",
            "记录的安置方式：" + ("未登记" if mode is None else mode.label_zh),
            regime.retirement if senior else regime.support,
        )
    return evaluation.decide(eligible=eligible)


def placement_kind(decision: Decision) -> str | None:
    """Which placement a ``retirement_or_support`` decision gives.

    Returns :data:`RETIREMENT` (``"retirement"``), :data:`SUPPORT` (``"support"``),
    :data:`RETIREMENT_OR_SUPPORT` (``"retirement-or-support"``: retirement, or support if the
    veteran chooses it) or ``None`` when the decision is not eligible or undetermined.

    Raises:
        InvalidValue: the decision is of another rule.
    """
    if decision.rule != RULE.name:
        raise InvalidValue(
            "decision.rule",
            decision.rule,
            f"placement_kind reads {RULE.name} decisions only",
            "仅适用于退休、供养的决定",
        )
    if decision.eligible is not True:
        return None
    held = {r.code for r in decision.reasons if r.held is True and r.code in (RETIREMENT, SUPPORT)}
    if held == {RETIREMENT, SUPPORT}:
        return RETIREMENT_OR_SUPPORT
    if held == {RETIREMENT}:
        return RETIREMENT
    if held == {SUPPORT}:
        return SUPPORT
    return None


RULE = Rule(
    name="retirement_or_support",
    label_zh="退休、供养",
    label_en="retirement or support for life",
    subjects=(Veteran,),
    basis=(
        new_article("第三十六条"),
        new_article("第三十八条"),
        old_article("第四十一条"),
        old_article("第四十二条"),
        old_article("第四十三条"),
    ),
    decide=decide,
)
