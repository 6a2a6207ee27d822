"""安排工作 — whether a discharged NCO or conscript qualifies to be given a job by the government.

The law, in plain words:

* **The regime is chosen by the discharge date** (``service.discharged_on``), as for the
  one-off payment: discharges from 2011-11-01 to 2024-08-31 follow 《退役士兵安置条例》(2011),
  discharges from 2024-09-01 follow 《退役军人安置条例》(2024) (which repealed the 2011 text,
  2024 第九十三条). Every parameter is looked up on the discharge date. A discharge before
  2011-11-01 is "not eligible under these regulations": the decision says why and reads no
  parameter (the 2011 option of 第五十三条 for soldiers enlisted under the old rules is not
  modelled).
* **Who**: NCOs (军士, called 士官 before 2024) and conscripts (义务兵) (2011 第二条、第二十九条;
  2024 第二条、第二十五条). Officers are placed under other articles: not eligible here.
* **Conditions, any one of** (2011 第二十九条; 2024 第二十五条):

  - (一) an NCO with at least ``arranged_employment.nco_service_years`` (12) full years of
    service, counted in calendar terms from ``enlisted_on`` to ``discharged_on``
    (``dateutil.relativedelta``: 2008-09-01 → 2020-09-01 is 12 years, → 2020-08-31 is 11);
  - awards held during the service (``service.awards``):

    * 2011 (二): peacetime 二等功 or higher, wartime (``Award.wartime``) 三等功 or higher.
      "Higher" is read on the old scale 三等功 < 二等功 < 一等功 < 荣誉称号; an award kind of the
      newer system found on a 2011-era record is placed on it as follows (a documented
      choice): a 勋章 is above every 功 (it qualifies); a 一/二/三等战功 is a wartime award of
      that class (it qualifies whatever ``wartime`` says); a 四等战功 and the 表彰 kinds are
      not on the 2011 scale and do not qualify.
    * 2024 (二) a 勋章 or 荣誉称号; (三) a 三等战功 or higher (二等战功, 一等战功) or a 二等功 or
      higher (一等功): "以上" is read within each series (一等功 > 二等功; 一等战功 > 二等战功 >
      三等战功), so a 三等功 and a 四等战功 do not qualify; (四) a 一级表彰. The commendations
      are a series of their own: (四) names only the first grade, so a 二级表彰 does not
      qualify (even though 第二十二条 ranks it beside 一等功 for the bonus). ``wartime``
      plays no part under 2024.

  - 因战 disability graded 5 to 8 (2011 (三); 2024 (五)): ``veteran.disability`` with nature
    因战 and grade 5–8 (grades 1–4 lead to support or retirement, see
    ``retirement_or_support``). ``disability=None`` means no disability was assessed. The
    grade is the one recorded; a grade assessed after the discharge date is taken as the
    grade at discharge (the model keeps one assessment) — flag
    ``arranged_employment.count_disability_assessed_after_discharge`` (default 1; with 0 such
    an assessment does not count);
  - a martyr's child (烈士子女; 2011 (四); 2024 (六)): ``circumstances.martyr_child``; unknown
    (``None``) is reported missing while it could change the outcome.

* **Exclusions.** 2024 第三十五条: a soldier is not placed by arranged employment who was
  (一) expelled from the Communist Party (``circumstances.expelled_from_party``), (二) ever
  criminally punished (``circumstances.criminally_punished``; a criminal sanction — fixed-term
  or life imprisonment, death penalty, deprivation of political rights — dated on or before
  the discharge answers it as true whatever the circumstance says), or (三) unfit for it for
  other reasons the law gives, such as forced discharge (``circumstances
  .unfit_for_arranged_work``). The 2011 text has no exclusion at discharge: its exclusion
  article is 第四十条, which waives the treatment of a soldier who refuses the job offered
  without good reason and cancels it for one prosecuted while waiting for a job (第五十一条
  adds cancellation for fraud). The 2024 facts are therefore not read for 2011 discharges.
  Both texts cancel the treatment on prosecution while waiting (2011 第四十条; 2024 第三十四条):
  the placement date is not recorded, so a criminal sanction dated after the discharge and on
  or before the evaluation date is read as falling within the waiting period and the
  decision is not eligible — flag ``arranged_employment.later_prosecution_cancels`` (default
  1; with 0 such sanctions are disregarded). A refusal or fraud is not recorded and not
  decided.
* **Unknown exclusions** (2024): an unknown exclusion makes an otherwise eligible decision
  undetermined and names the input — flag ``arranged_employment.unknown_exclusion_blocks``
  (default 1; with 0 an unknown exclusion is presumed absent and the reason says so). An
  unknown exclusion is not asked for when the decision is already not eligible.
* **The recorded discharge mode** does not decide eligibility: the decision answers "does
  this veteran meet the conditions for arranged employment", and both texts let a soldier who
  does choose self-employment instead (2011 第二十九条第三款; 2024 第二十条第二款). A reason
  names the mode chosen; an unrecorded mode is not missing.
* **Other routes in 2024 第二十五条** (second and third paragraphs): an NCO entitled to the
  monthly retirement payment may choose arranged employment instead — the conditions of that
  payment are set by departmental rules (第十九条) not in the model, so this route is not
  decided; an intermediate or senior NCO disabled 因战 grade 5–6 may give up retirement for a
  job — already covered by 因战 5–8.
* **Time limits**, on an eligible decision whose recorded mode is arranged employment or is
  not recorded (for another mode they do not apply, and the reason says so):

  - the placement county's government places the soldier within
    ``arranged_employment.placement_months`` (6) months of receiving them (2011 第三十五条;
    2024 第三十一条第二款). The reception date is not recorded: the deadline is counted from
    the discharge date (``discharged_on`` + 6 calendar months) and says so;
  - the employer puts the soldier on post within ``arranged_employment.onboarding_days`` (30)
    days of the letter of introduction (2024 第七十五条第二款; 2011 第三十六条 said one month,
    no parameter is bundled for it). The letter's date is not in the model: this is a reason,
    not a dated deadline;
  - while the employer delays, not for the soldier's own reasons, it pays a monthly living
    allowance of at least ``arranged_employment.delay_pay_ratio`` (80 %) of the average pay
    of comparable staff, from the month of the letter (2011 第三十八条; 2024 第七十五条第二款),
    a reason quoting the ratio; and while waiting for a job the local government pays a
    monthly allowance — the local monthly minimum wage under 2024 第七十五条第一款, at least
    the local minimum living standard under 2011 第三十五条第二款 (local figures: named, not
    computed).

* **Evaluation date**: the conditions are those at discharge. A date before the discharge is
  not eligible ("not yet discharged"); any later date gives the same decision, except for a
  later prosecution (above). A death before the discharge date means there was no discharge
  to settle; an expulsion from the army (开除军籍) on or before it means no lawful discharge
  (2011 第二条; 2024 第二条). Other sanctions under 《军人抚恤优待条例》 stop 抚恤 payments, not
  this placement.
* **Figures a settled case does not need.** A case the gates settle (an officer, an early
  discharge, a date before the discharge, a death before it, an expulsion) reads no
  parameter. One that an exclusion or a cancellation settles reads the service-years
  threshold only to state condition (一): where it is not known for the discharge date,
  that condition is left unknown (and not asked for) instead of failing the decision. The
  time limits are read only for an eligible decision.

The decision has no amount: it is a qualification, with reasons and deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from veteran_affairs.models import (
    AwardKind,
    DisabilityNature,
    DischargeMode,
    PersonnelType,
    SanctionKind,
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

__all__ = ["RULE", "decide", "full_years"]


NCO_SERVICE_YEARS = "arranged_employment.nco_service_years"
PLACEMENT_MONTHS = "arranged_employment.placement_months"
ONBOARDING_DAYS = "arranged_employment.onboarding_days"
DELAY_PAY_RATIO = "arranged_employment.delay_pay_ratio"
UNKNOWN_EXCLUSION_BLOCKS = "arranged_employment.unknown_exclusion_blocks"
LATER_PROSECUTION_CANCELS = "arranged_employment.later_prosecution_cancels"
LATER_ASSESSMENT_COUNTS = "arranged_employment.count_disability_assessed_after_discharge"


CRIMINAL_SANCTIONS = frozenset(
    {
        SanctionKind.FIXED_TERM_IMPRISONMENT,
        SanctionKind.LIFE_IMPRISONMENT,
        SanctionKind.DEATH_PENALTY,
        SanctionKind.DEPRIVATION_OF_POLITICAL_RIGHTS,
    }
)
"""Sanctions that are criminal punishments (刑罚): each counts as 受过刑事处罚."""

_COMBAT_MERITS = frozenset(
    {
        AwardKind.FIRST_CLASS_COMBAT_MERIT,
        AwardKind.SECOND_CLASS_COMBAT_MERIT,
        AwardKind.THIRD_CLASS_COMBAT_MERIT,
    }
)
PEACETIME_AWARDS_2011 = frozenset(
    {
        AwardKind.MEDAL,
        AwardKind.HONORARY_TITLE,
        AwardKind.FIRST_CLASS_MERIT,
        AwardKind.SECOND_CLASS_MERIT,
    }
    | _COMBAT_MERITS
)
"""2011 第二十九条(二): awards that qualify whenever conferred (二等功 or higher)."""
WARTIME_AWARDS_2011 = PEACETIME_AWARDS_2011 | {AwardKind.THIRD_CLASS_MERIT}
"""2011 第二十九条(二): awards that qualify when conferred in wartime (三等功 or higher)."""
HONOURS_2024 = frozenset({AwardKind.MEDAL, AwardKind.HONORARY_TITLE})
"""2024 第二十五条(二): 勋章, 荣誉称号."""
MERITS_2024 = _COMBAT_MERITS | {AwardKind.FIRST_CLASS_MERIT, AwardKind.SECOND_CLASS_MERIT}
"""2024 第二十五条(三): 三等战功 or higher, 二等功 or higher."""
COMMENDATIONS_2024 = frozenset({AwardKind.FIRST_GRADE_COMMENDATION})
"""2024 第二十五条(四): 一级表彰."""


class _Regime:
    """The citations of one regulation, chosen by the discharge date."""

    __slots__ = (
        "cancel",
        "choice",
        "conditions",
        "definition",
        "delay",
        "exclusions",
        "name",
        "onboarding",
        "placement",
        "scope",
        "waiting",
    )

    def __init__(self, discharged_on: dt.date) -> None:
        # The matching articles of the two texts come from the concordance (statutes.toml).
        on = discharged_on
        self.name = "2024" if on >= REGULATION_2024 else "2011"
        self.definition = pair("placement.definition").cite(on)
        self.conditions = pair("placement.arranged_conditions").cite(on)
        # 2024 第三十五条 (who is not given a job) is new; under 2011 the rule cites 第四十条.
        self.exclusions = (
            new_article("第三十五条") if on >= REGULATION_2024 else old_article("第四十条")
        )
        self.cancel = pair("placement.arranged_forfeit").cite(on)
        self.choice = pair("placement.arranged_choice").cite(on)
        self.placement = pair("placement.arranged_deadline").cite(on)
        self.onboarding = pair("placement.arranged_on_post").cite(on)
        self.delay = pair("placement.arranged_delay_pay").cite(on)
        self.waiting = pair("placement.arranged_waiting").cite(on)
        self.scope = pair("placement.in_force").cite(on)


def _all(values: Iterable[bool | None]) -> bool | None:
    """Kleene conjunction: false if any is false, unknown if any is unknown."""
    seen = list(values)
    if False in seen:
        return False
    return None if None in seen else True


def full_years(enlisted_on: dt.date, discharged_on: dt.date) -> int:
    """Whole years of service in calendar terms (满N年).

    >>> full_years(dt.date(2008, 9, 1), dt.date(2020, 9, 1))
    12
    >>> full_years(dt.date(2008, 9, 1), dt.date(2020, 8, 31))
    11
    """
    return relativedelta(discharged_on, enlisted_on).years


def _gates(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> bool:
    """Record who the regulations cover; all known, so a plain yes or no."""
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
    evaluation.check(
        "service.personnel_type",
        kind is not PersonnelType.OFFICER,
        f"an NCO or a conscript (here: {kind.value})",
        f"退役军士（士官）或义务兵（本人：{kind.label_zh}）",
        regime.conditions,
    )
    check_discharge(evaluation, veteran, regime.conditions, regime.definition)
    return evaluation.outcome is True


def _service_term(
    veteran: Veteran, evaluation: Evaluation, regime: _Regime, *, settled: bool = False
) -> Term:
    """Condition (一); ``settled``: an exclusion or a cancellation already decides the case.

    A settled case does not need the threshold: an unknown one leaves the condition unknown
    (and not asked for) instead of failing the decision.
    """
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None
    article = "(一)"
    if service.personnel_type is not PersonnelType.NCO:
        return Term(
            "condition.nco_service_years",
            False,
            f"{article} the service-years condition is for NCOs (here: "
            f"{service.personnel_type.value})",
            f"{article}服现役年限条件仅适用于军士（士官）（本人：{service.personnel_type.label_zh}）",
            regime.conditions,
        )
    if settled:
        needed = evaluation.param_or_none(NCO_SERVICE_YEARS, on=discharged_on)
    else:
        needed = evaluation.param(NCO_SERVICE_YEARS, on=discharged_on)
    years = full_years(service.enlisted_on, discharged_on)
    span = f"{service.enlisted_on.isoformat()} → {discharged_on.isoformat()}"
    if needed is None:
        return Term(
            "condition.nco_service_years",
            None,
            f"{article} an NCO with the full years of service the law requires (here: "
            f"{years}, {span}; the threshold is not known for {discharged_on.isoformat()})",
            f"{article}军士（士官）服现役满规定年限（本人：满{years}年，{span}；"
            f"{discharged_on.isoformat()}适用的年限未确认）",
            regime.conditions,
        )
    return Term(
        "condition.nco_service_years",
        years >= needed,
        f"{article} an NCO with at least {needed} full years of service (here: {years}, {span})",
        f"{article}军士（士官）服现役满{needed}年（本人：满{years}年，{span}）",
        regime.conditions,
    )


def _award_terms(veteran: Veteran, regime: _Regime) -> list[Term]:
    awards = veteran.service.awards
    if regime.name == "2011":
        found = [
            a
            for a in awards
            if a.kind in (WARTIME_AWARDS_2011 if a.wartime else PEACETIME_AWARDS_2011)
        ]
        names_en = ", ".join(f"{a.kind.value}{' (wartime)' if a.wartime else ''}" for a in found)
        names_zh = "、".join(f"{'战时' if a.wartime else '平时'}{a.kind.label_zh}" for a in found)
        return [
            Term(
                "condition.award",
                bool(found),
                "(二) a peacetime 二等功 or higher, or a wartime 三等功 or higher"
                + (f" (here: {names_en})" if found else " (none held)"),
                "(二)服现役期间平时荣获二等功以上或战时荣获三等功以上奖励"
                + (f"（本人：{names_zh}）" if found else "（无）"),
                regime.conditions,
            )
        ]
    terms = []
    for code, article, kinds, en, zh in (
        ("condition.honour", "(二)", HONOURS_2024, "a 勋章 or 荣誉称号", "获得勋章、荣誉称号"),
        (
            "condition.merit",
            "(三)",
            MERITS_2024,
            "a 三等战功 or higher, or a 二等功 or higher",
            "荣获三等战功、二等功以上奖励",
        ),
        ("condition.commendation", "(四)", COMMENDATIONS_2024, "a 一级表彰", "获得一级表彰"),
    ):
        held_kinds = sorted({a.kind for a in awards if a.kind in kinds}, key=lambda k: k.value)
        terms.append(
            Term(
                code,
                bool(held_kinds),
                f"{article} {en}"
                + (
                    f" (here: {', '.join(k.value for k in held_kinds)})"
                    if held_kinds
                    else " (none held)"
                ),
                f"{article}服现役期间个人{zh}"
                + (
                    f"（本人：{'、'.join(k.label_zh for k in held_kinds)}）"
                    if held_kinds
                    else "（无）"
                ),
                regime.conditions,
            )
        )
    return terms


def _disability_term(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> Term:
    article = "(三)" if regime.name == "2011" else "(五)"
    en = f"{article} disabled in combat (因战), graded 5 to 8"
    zh = f"{article}因战致残被评定为5级至8级残疾等级"
    disability = veteran.disability
    if disability is None:
        return Term(
            "condition.combat_disability",
            False,
            f"{en} (no disability assessed)",
            f"{zh}（未评定残疾）",
            regime.conditions,
        )
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    here_en = f"here: {disability.nature.value} grade {disability.grade}"
    here_zh = f"本人：{disability.nature.label_zh}{disability.grade}级"
    if disability.assessed_on > discharged_on:
        if not evaluation.flag(LATER_ASSESSMENT_COUNTS, True):
            return Term(
                "condition.combat_disability",
                False,
                f"{en} ({here_en}, assessed on {disability.assessed_on} after the discharge: "
                "not counted)",
                f"{zh}（{here_zh}，于{disability.assessed_on}退役后评定，不予计入）",
                regime.conditions,
            )
        here_en += (
            f", assessed on {disability.assessed_on} after the discharge: taken as at discharge"
        )
        here_zh += f"，于{disability.assessed_on}退役后评定，视为退役时等级"
    held = disability.nature is DisabilityNature.IN_COMBAT and 5 <= disability.grade <= 8
    return Term(
        "condition.combat_disability",
        held,
        f"{en} ({here_en})",
        f"{zh}（{here_zh}）",
        regime.conditions,
    )


def _martyr_child_term(veteran: Veteran, regime: _Regime) -> Term:
    article = "(四)" if regime.name == "2011" else "(六)"
    known = veteran.circumstances.martyr_child
    if known is None:
        return Term(
            "condition.martyr_child",
            None,
            f"{article} a martyr's child (not known)",
            f"{article}是烈士子女（未知）",
            regime.conditions,
            "circumstances.martyr_child",
        )
    return Term(
        "condition.martyr_child",
        known,
        f"{article} a martyr's child" + ("" if known else " (not one)"),
        f"{article}是烈士子女" + ("" if known else "（不是）"),
        regime.conditions,
    )


def _exclusion_terms(veteran: Veteran, regime: _Regime) -> list[Term]:
    """2024 第三十五条, each recorded as the condition that the exclusion is absent."""
    if regime.name == "2011":
        return [
            Term(
                "exclusion.none_at_discharge",
                True,
                "the 2011 regulation excludes nobody at discharge (expulsion from the Party and "
                "past criminal punishment are 2024 exclusions); it cancels the treatment only "
                "for refusal or prosecution while waiting",
                "《退役士兵安置条例》(2011)未规定退役时不予安排工作的情形，仅规定拒不服从安排"
                "或待安排工作期间被追究刑事责任的处理",
                regime.exclusions,
            )
        ]
    facts = veteran.circumstances
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    criminal = [
        s for s in veteran.sanctions if s.kind in CRIMINAL_SANCTIONS and s.since <= discharged_on
    ]
    terms = [
        _fact_term(
            "exclusion.expelled_from_party",
            facts.expelled_from_party,
            "(一) not expelled from the Communist Party",
            "(一)未被开除中国共产党党籍",
            "circumstances.expelled_from_party",
            regime,
        )
    ]
    if criminal:
        first = criminal[0]
        terms.append(
            Term(
                "exclusion.criminally_punished",
                False,
                f"(二) never criminally punished (here: {first.kind.value} since {first.since})",
                f"(二)未受过刑事处罚（本人：{first.since}起{first.kind.label_zh}）",
                regime.exclusions,
            )
        )
    else:
        terms.append(
            _fact_term(
                "exclusion.criminally_punished",
                facts.criminally_punished,
                "(二) never criminally punished",
                "(二)未受过刑事处罚",
                "circumstances.criminally_punished",
                regime,
            )
        )
    terms.append(
        _fact_term(
            "exclusion.unfit_for_arranged_work",
            facts.unfit_for_arranged_work,
            "(三) no other reason in law, such as forced discharge, makes a job unsuitable",
            "(三)无因被强制退役等原因不宜以安排工作方式安置的情形",
            "circumstances.unfit_for_arranged_work",
            regime,
        )
    )
    return terms


def _fact_term(code: str, fact: bool | None, en: str, zh: str, name: str, regime: _Regime) -> Term:
    """An exclusion read from a circumstance: held when the exclusion is absent."""
    if fact is None:
        return Term(code, None, f"{en} (not known)", f"{zh}（未知）", regime.exclusions, name)
    return Term(
        code,
        not fact,
        en + ("" if not fact else ": it applies"),
        zh + ("" if not fact else "：不符合"),
        regime.exclusions,
    )


def _presume_absent(terms: list[Term], evaluation: Evaluation) -> list[Term]:
    """With the flag at 0, unknown exclusions are presumed absent (said in the reason)."""
    if all(t.held is not None for t in terms) or evaluation.flag(UNKNOWN_EXCLUSION_BLOCKS, True):
        return terms
    return [
        t
        if t.held is not None
        else t._replace(
            held=True,
            message_en=t.message_en + f": presumed absent ({UNKNOWN_EXCLUSION_BLOCKS} = 0)",
            message_zh=t.message_zh + "：推定不存在",
            missing=None,
        )
        for t in terms
    ]


def _cancellation_term(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> Term:
    """2011 第四十条 / 2024 第三十四条: prosecution while waiting cancels the treatment."""
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    later = [
        s
        for s in veteran.sanctions
        if s.kind in CRIMINAL_SANCTIONS and discharged_on < s.since <= evaluation.on
    ]
    if not later:
        return Term(
            "placement.not_cancelled",
            True,
            "no criminal prosecution recorded after the discharge (it would cancel the "
            "treatment while waiting for a job)",
            "退役后无被追究刑事责任的记录（待安排工作期间被追究刑事责任的，取消安排工作待遇）",
            regime.cancel,
        )
    first = later[0]
    cancels = evaluation.flag(LATER_PROSECUTION_CANCELS, True)
    return Term(
        "placement.not_cancelled",
        not cancels,
        f"{first.kind.value} since {first.since}, after the discharge: "
        + (
            "read as prosecution while waiting for a job (the placement date is not "
            "recorded), which cancels the treatment"
            if cancels
            else f"disregarded ({LATER_PROSECUTION_CANCELS} = 0)"
        ),
        f"退役后于{first.since}{first.kind.label_zh}："
        + ("视为待安排工作期间被追究刑事责任，取消安排工作待遇" if cancels else "不予考虑"),
        regime.cancel,
    )


def _record(evaluation: Evaluation, terms: list[Term], *, ask: bool) -> None:
    for term in terms:
        needed = ask or term.held is not None
        evaluation.check(
            term.code,
            term.held,
            term.message_en + ("" if needed else " — not needed: decided without it"),
            term.message_zh + ("" if needed else "（无需补充）"),
            term.citation,
            missing=term.missing if ask and term.held is None else None,
        )


def _mode_and_time_limits(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> None:
    """The chosen mode, and on a placement by arranged employment, its time limits."""
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None
    mode = service.discharge_mode
    if mode is not None and mode is not DischargeMode.ARRANGED_EMPLOYMENT:
        evaluation.check(
            "service.discharge_mode",
            True,
            f"qualifies, but the record shows {mode.value} chosen: the placement time limits "
            "do not apply",
            f"符合安排工作条件，记录的安置方式为{mode.label_zh}，不适用安排工作的时限",
            regime.choice,
        )
        return
    evaluation.check(
        "service.discharge_mode",
        True,
        "settled by arranged employment"
        if mode is not None
        else "discharge mode not recorded: the time limits apply if settled by arranged employment",
        "以安排工作方式安置"
        if mode is not None
        else "安置方式未登记：如以安排工作方式安置，适用以下时限",
        regime.choice,
    )
    months = int(evaluation.param(PLACEMENT_MONTHS, on=discharged_on))
    due = discharged_on + relativedelta(months=months)
    evaluation.deadline(
        due,
        f"the placement county's government places the soldier in a job within {months} months "
        "of receiving them (the reception date is not recorded: counted from the discharge "
        f"date, {discharged_on.isoformat()})",
        f"安置地人民政府应在接收后{months}个月内完成安排工作（接收日期未登记，自退役日期"
        f"{discharged_on.isoformat()}起算）",
        regime.placement,
    )
    if regime.name == "2024":
        days = evaluation.param(ONBOARDING_DAYS, on=discharged_on)
        evaluation.check(
            "placement.onboarding",
            True,
            f"the employer puts the soldier on post within {days} days of the letter of "
            "introduction (the letter's date is not recorded)",
            f"接收安置单位应在安排工作介绍信开具{days}日内安排上岗（介绍信日期未登记）",
            regime.onboarding,
        )
    else:
        evaluation.check(
            "placement.onboarding",
            True,
            "the employer puts the soldier on post within one month of the letter of "
            "introduction (the letter's date is not recorded)",
            "接收单位应在介绍信开出1个月内安排上岗（介绍信日期未登记）",
            regime.onboarding,
        )
    ratio = evaluation.param(DELAY_PAY_RATIO, on=discharged_on)
    percent = format(ratio * 100, "f").rstrip("0").rstrip(".")
    evaluation.check(
        "placement.delay_pay",
        True,
        f"while the employer delays (not for the soldier's own reasons) it pays monthly at "
        f"least {percent}% of the average pay of comparable staff, from the month of the letter",
        f"非因本人原因未按规定安排上岗的，接收单位自介绍信开具当月起按不低于本单位同等条件人员"
        f"平均工资{percent}%的标准逐月发放生活费",
        regime.delay,
    )
    if regime.name == "2024":
        en = "while waiting for a job, the local government pays monthly the local minimum wage"
        zh = "待安排工作期间，安置地人民政府按当地月最低工资标准逐月发放生活补助"
    else:
        en = (
            "while waiting for a job, the local government pays a monthly allowance of at least "
            "the local minimum living standard"
        )
        zh = "待安排工作期间，安置地人民政府按不低于当地最低生活水平的标准按月发给生活补助费"
    evaluation.check("placement.waiting_allowance", True, en, zh, regime.waiting)


def decide(veteran: Veteran, evaluation: Evaluation) -> Decision:
    """Whether ``veteran`` meets the conditions of arranged employment, with its time limits."""
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    regime = _Regime(discharged_on)
    if not _gates(veteran, evaluation, regime):
        return evaluation.decide(eligible=False)

    # The exclusions and the cancellation first: when they settle the case, the conditions'
    # thresholds are not needed (recorded in the usual order all the same).
    exclusions = _exclusion_terms(veteran, regime)
    cancellation = _cancellation_term(veteran, evaluation, regime)
    settled = cancellation.held is False or any(t.held is False for t in exclusions)
    conditions = [
        _service_term(veteran, evaluation, regime, settled=settled),
        *_award_terms(veteran, regime),
        _disability_term(veteran, evaluation, regime),
        _martyr_child_term(veteran, regime),
    ]
    qualifies = any_of(t.held for t in conditions)
    not_excluded = _all(t.held for t in exclusions)
    if not_excluded is None and qualifies is not False and cancellation.held is not False:
        exclusions = _presume_absent(exclusions, evaluation)
        not_excluded = _all(t.held for t in exclusions)
    eligible = _all((qualifies, not_excluded, cancellation.held))

    undetermined = eligible is None
    _record(evaluation, conditions, ask=undetermined and qualifies is None)
    met = [t.code.removeprefix("condition.") for t in conditions if t.held]
    evaluation.check(
        "qualifying_condition",
        qualifies,
        (
            "meets at least one condition: " + ", ".join(met)
            if qualifies
            else "meets none of the conditions"
            if qualifies is False
            else "meets none of the known conditions; one is not known"
        ),
        "符合安排工作条件之一"
        if qualifies
        else "不符合安排工作条件"
        if qualifies is False
        else "已知条件均不符合，尚有未知条件",
        regime.conditions,
    )
    _record(evaluation, exclusions, ask=undetermined and not_excluded is None)
    _record(evaluation, [cancellation], ask=False)
    if eligible is True:
        _mode_and_time_limits(veteran, evaluation, regime)
    return evaluation.decide(eligible=eligible)


RULE = Rule(
    name="arranged_employment",
    label_zh="安排工作",
    label_en="arranged employment",
    subjects=(Veteran,),
    basis=(
        new_article("第二十五条"),
        new_article("第三十一条"),
        new_article("第三十四条"),
        new_article("第三十五条"),
        new_article("第七十五条"),
        old_article("第二十九条"),
        old_article("第三十五条"),
        old_article("第三十六条"),
        old_article("第三十八条"),
        old_article("第四十条"),
    ),
    decide=decide,
)
