"""一次性退役金 — the one-off retirement payment of self-employed discharged NCOs and conscripts.

The law, in plain words:

* NCOs (军士, called 士官 before 2024) and conscripts (义务兵) who leave the service to find their
  own employment (自主就业) receive a one-off retirement payment according to their years of
  service (《退役士兵安置条例》(2011) 第十九、二十条; 《退役军人安置条例》(2024) 第二十、二十一条).
  Officers and every other discharge mode get none from this rule. The discharge mode is taken
  from the record: the rule does not re-decide whether the person could have been placed
  otherwise (both texts let those who qualify for a job choose self-employment: 2011
  第二十九条, 2024 第二十条).
* **The regime is chosen by the discharge date** (``service.discharged_on``, the day discharge
  was approved), not by the evaluation date: discharges from 2011-11-01 to 2024-08-31 follow
  the 2011 regulation, discharges from 2024-09-01 the 2024 one (which repealed the 2011 text,
  2024 第九十三条). Every parameter is looked up on the discharge date. Discharges before
  2011-11-01 were settled under earlier rules that this library does not model: the decision
  is "not eligible" under this rule, says why, and reads no parameter (the bundled ones begin
  on 2011-11-01). The 2011 option for soldiers enlisted before 2011-11-01 and discharged
  after it to be settled under the old rules (2011 第五十三条) is not modelled.
* **Counting service** (2011 第二十条 second paragraph). Service runs from ``enlisted_on`` to
  ``discharged_on`` in calendar terms (``dateutil.relativedelta``; the discharge day is not
  added, so 2018-09-01 → 2020-09-01 is exactly 2 years; a month from the 31st ends on the
  last day of a shorter month, so 2020-08-31 → 2021-02-28 is exactly 6 months). Whole years
  count as they are; with the parameter ``one_off_retirement_payment.round_part_years`` at 1
  (bundled), the rest counts as nothing when there is none, as half a year when it is more
  than nothing and at most exactly 6 months, and as a whole year when it is more than
  6 months (6 months and a day). The 2024 text does not restate the part-year rule; keeping
  the 2011 one is a documented choice of the bundled parameter. With the parameter at 0 (a
  user override), service counts in exact months: whole calendar months, and a remaining part
  month of any days counts as one more month (按实际月数，不足一个月的按一个月计算); the
  counted years are then months / 12, which never exceed the rounded count.
* **The amount** is the counted years × ``one_off_retirement_payment.annual_standard``, the
  national standard per year of service (set by notice; nothing is bundled, so the rule
  raises :class:`~veteran_affairs.errors.ParameterMissing` until a user supplies it), rounded
  half up to the fen.
* **Award bonus** (2011 第二十条 third paragraph; 2024 第二十二条): the payment is raised by a
  percentage for the single highest individual award held (several awards never add up),
  from ``one_off_retirement_payment.award_bonus_rate`` in force on the discharge date. 2011:
  荣誉称号 or 一等功 15%, 二等功 10%, 三等功 5%; 2024: 勋章/荣誉称号 25%, 一等战功/一级表彰 20%,
  二等战功/一等功/二级表彰 15%, 三等战功/二等功 10%, 四等战功/三等功 5%. An award the regime does
  not list (e.g. a 勋章 under 2011) gives no bonus. The bonus is a share of the base payment
  only, not of a local supplement, and is rounded to the fen on its own. The wartime flag
  of an award plays no part here.
* **二级表彰 (2024)** counts only where it was approved to carry the related treatment
  (经批准享受相关待遇). The ``Award`` model records no such approval, so this rule counts every
  二级表彰 and says so in the decision. To count none, supply an ``award_bonus_rate`` table
  without ``second-grade-commendation``.
* **Local supplement** (2011 第十九条; 2024 第二十三条): a province may add a one-off economic
  supplement (一次性经济补助) by its own formula. Where the rule book has the parameter
  ``one_off_retirement_payment.local_supplement`` (Guangxi), it is a table
  ``{per_service_year, fixed}`` and the supplement is per_service_year × the counted years +
  fixed, rounded to the fen, as its own component. The supplement is optional (可以) and paid
  by the local government, apart from the centrally funded payment: where the book has the
  parameter but no figure is known for the discharge date (Guangxi's are not confirmed and
  none are bundled; or no supplied version covers the date, or the figure is past its
  confirmed date and stale figures are not allowed), the case is still decided on the
  national payment. Eligibility is what the facts say, the amount is the base plus the bonus
  without a supplement, and the reason ``local_supplement`` (unknown) says it is not
  included and names the parameter in ``missing``. The national standard, the payment
  itself, is never skipped so.
* **Tax**: the one-off payment (and under 2011 the local supplement) is free of individual
  income tax (2011 第十九条). The 2024 regulation is silent; the exemption then rests on the
  national tax rules (《中华人民共和国个人所得税法》(2018) 第四条 exempts 退役金). This is
  recorded as a reason; the rule computes no tax.
* **Reporting** (2011 第十三、十七条; 2024 第五十一条): the soldier reports to the placement
  county within 30 days of the day discharge was approved (the first day not counted, so
  the deadline is ``discharged_on`` + 30 days); being late without good reason by more than
  30 days is treated as giving up the placement benefits (视为放弃安置待遇). The decision
  carries this as a deadline, and names the last day before the waiver (``discharged_on`` +
  60 days, reading "不按照规定时间报到超过30日" as lateness of more than 30 days). Whether the
  soldier reported is not recorded in the model, so the waiver is not decided here; a day
  falling on a rest day is not moved (no working-day calendar is used).
* **Evaluation date**: the payment falls due once, at discharge. A decision for a date before
  the discharge is not eligible ("not yet due"); for the discharge date or any later date it
  is the same decision. A death after the discharge does not undo a payment that fell due at
  it (whether an unpaid sum passes to heirs is outside this rule); a death before the
  discharge date means there was no discharge to settle.
* **Sanctions** under 《军人抚恤优待条例》 (2024 第五十九条; 2019 第五十条) suspend or cancel
  periodic 抚恤 payments; they do not touch a one-off placement payment that fell due at
  discharge, and the decision says so. An expulsion from the army (开除军籍) dated on or before
  the discharge date is different: the person then did not leave by a lawful discharge
  (依法退出现役, 2011 第二条; 2024 第二条) and is not eligible.

Worked example (a test standard of 5,000 yuan a year, not law): a conscript serving
2018-09-01 → 2021-03-02 (2 years, 6 months and a day) counts 3 years: 15,000 yuan; with a
二等功 a 10% bonus of 1,500 yuan, 16,500 in all. With the Guangxi book and no supplement
figure, the same 16,500, with the supplement named missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from veteran_affairs.errors import InvalidValue, ParameterError
from veteran_affairs.models import (
    Award,
    AwardKind,
    DischargeMode,
    PersonnelType,
    SanctionKind,
    Veteran,
)
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import SUSPENSION_2019, SUSPENSION_2024, Evaluation, Rule
from veteran_affairs.rules._placement import (
    REGULATION_2011,
    REGULATION_2024,
    new_article,
    old_article,
)

__all__ = ["RULE", "counted_months", "decide"]

_SUSPENSION_SWITCH = dt.date(2024, 10, 1)
REPORT_DAYS = 30
WAIVER_GRACE_DAYS = 30

STANDARD = "one_off_retirement_payment.annual_standard"
BONUS_RATE = "one_off_retirement_payment.award_bonus_rate"
ROUND_PART_YEARS = "one_off_retirement_payment.round_part_years"
LOCAL_SUPPLEMENT = "one_off_retirement_payment.local_supplement"


TAX_LAW = Citation(
    document="《中华人民共和国个人所得税法》(2018)",
    article="第四条",
    effective=dt.date(2019, 1, 1),
    note="第一款第六项: 军人的转业费、复员费、退役金 are exempt; not among the bundled law texts",
)


class _Regime:
    """The citations of one regulation, chosen by the discharge date."""

    __slots__ = (
        "bonus",
        "definition",
        "local",
        "name",
        "payment",
        "reporting",
        "scope",
        "self_employed",
    )

    def __init__(self, discharged_on: dt.date) -> None:
        if discharged_on >= REGULATION_2024:
            self.name = "2024"
            self.definition = new_article("第二条")
            self.self_employed = new_article("第二十、二十一条")
            self.payment = new_article("第二十一条")
            self.bonus = new_article("第二十二条")
            self.local = new_article("第二十三条")
            self.reporting = new_article("第五十一条")
            self.scope = new_article("第九十三条")
        else:
            self.name = "2011"
            self.definition = old_article("第二条")
            self.self_employed = old_article("第十八、十九条")
            self.payment = old_article("第二十条")
            self.bonus = old_article("第二十条")
            self.local = old_article("第十九条")
            self.reporting = old_article("第十三、十七条")
            self.scope = old_article("第五十三条")


def counted_months(enlisted_on: dt.date, discharged_on: dt.date, *, round_part_years: bool) -> int:
    """The service that counts, in months (a year is 12, half a year 6).

    With ``round_part_years`` (《退役士兵安置条例》(2011) 第二十条), whole years count as they
    are and the rest counts 0 (none), 6 (up to exactly 6 months) or 12 (more than 6 months);
    without, whole months count and a remaining part month counts as one more month.

    >>> D = dt.date
    >>> counted_months(D(2018, 9, 1), D(2020, 9, 1), round_part_years=True)
    24
    >>> counted_months(D(2018, 9, 1), D(2021, 3, 1), round_part_years=True)
    30
    >>> counted_months(D(2018, 9, 1), D(2021, 3, 2), round_part_years=True)
    36
    >>> counted_months(D(2018, 9, 1), D(2021, 3, 2), round_part_years=False)
    31
    """
    span = relativedelta(discharged_on, enlisted_on)
    whole = 12 * span.years
    if round_part_years:
        if span.months == 0 and span.days == 0:
            return whole
        if span.months < 6 or (span.months == 6 and span.days == 0):
            return whole + 6
        return whole + 12
    return whole + span.months + (1 if span.days else 0)


def _percent(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros: ``Decimal("0.150")`` → ``"15%"``."""
    text = format(rate * 100, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def _years_text(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest == 0:
        return str(years)
    if rest == 6:
        return f"{years}.5"
    return f"{years} {rest}/12"


def _span_text(enlisted_on: dt.date, discharged_on: dt.date) -> tuple[str, str]:
    span = relativedelta(discharged_on, enlisted_on)

    def unit(count: int, name: str) -> str:
        return f"{count} {name}" + ("" if count == 1 else "s")

    return (
        f"{unit(span.years, 'year')} {unit(span.months, 'month')} {unit(span.days, 'day')}",
        f"{span.years}年{span.months}个月{span.days}天",
    )


def _check_eligibility(veteran: Veteran, evaluation: Evaluation, regime: _Regime) -> None:
    """Record who may receive the payment, and when it falls due.

    An unrecorded discharge mode is reported missing only when it is all that stands between
    the veteran and a decision (an officer, say, is not eligible whatever the mode).
    """
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None  # a Veteran always has one
    kind = service.personnel_type
    on = evaluation.on
    died = veteran.person.died_on
    alive = died is None or died >= discharged_on
    expelled = [
        s
        for s in veteran.sanctions
        if s.kind is SanctionKind.EXPULSION_FROM_ARMY and s.since <= discharged_on
    ]
    covered = discharged_on >= REGULATION_2011
    decided_otherwise = (
        not covered
        or kind is PersonnelType.OFFICER
        or on < discharged_on
        or not alive
        or bool(expelled)
    )
    when = discharged_on.isoformat()
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
            f"discharged on {when}, before 2011-11-01: settled under the rules then in force, "
            "which this rule does not model"
        )
        scope_zh = f"于{when}退出现役，早于2011年11月1日，按当时规定安置（本规则不涵盖）"
    evaluation.check("service.discharge_regime", covered, scope_en, scope_zh, regime.scope)
    evaluation.check(
        "service.personnel_type",
        kind is not PersonnelType.OFFICER,
        f"an NCO or a conscript (here: {kind.value})",
        f"退役军士（士官）或义务兵（本人：{kind.label_zh}）",
        regime.definition,
    )
    mode = service.discharge_mode
    evaluation.check(
        "service.discharge_mode",
        None if mode is None else mode is DischargeMode.SELF_EMPLOYMENT,
        "settled by self-employment ("
        + ("discharge mode not recorded" if mode is None else f"here: {mode.value}")
        + ")",
        "以自主就业方式安置（"
        + ("安置方式未登记" if mode is None else f"本人：{mode.label_zh}")
        + "）",
        regime.self_employed,
        missing=None if decided_otherwise else "service.discharge_mode",
    )
    evaluation.check(
        "service.discharged",
        on >= discharged_on,
        f"due once, on discharge ({discharged_on.isoformat()})",
        f"于退出现役时（{discharged_on.isoformat()}）一次性发给",
        regime.payment,
    )
    evaluation.check(
        "person.alive_at_discharge",
        alive,
        "alive when discharged (a later death does not undo the payment)"
        if alive
        else f"died on {died} before the discharge date",
        "退出现役时在世（此后死亡不影响已到期的一次性退役金）" if alive else f"于{died}退役前死亡",
        regime.payment,
    )
    if expelled:
        since = expelled[0].since.isoformat()
        evaluation.check(
            "service.lawful_discharge",
            False,
            f"expelled from the army on {since}: not a lawful discharge",
            f"于{since}被开除军籍，不属依法退出现役",
            regime.definition,
        )
    elif veteran.sanctions:
        citation = SUSPENSION_2024 if on >= _SUSPENSION_SWITCH else SUSPENSION_2019
        evaluation.check(
            "sanction",
            True,
            "sanctions stop periodic 抚恤 payments, not a one-off payment due at discharge",
            "中止或取消抚恤优待的情形不影响退役时已到期的一次性退役金",
            citation,
        )


def _highest_award(
    awards: tuple[Award, ...], table: Mapping[str, object]
) -> tuple[Award | None, list[Award]]:
    """The award with the highest listed rate (earliest on a tie), and the unlisted ones."""
    listed = [a for a in awards if isinstance(table.get(a.kind.value), Decimal)]
    unlisted = [a for a in awards if a not in listed]
    best: Award | None = None
    for award in sorted(listed, key=lambda a: a.awarded_on):
        rate = table[award.kind.value]
        assert isinstance(rate, Decimal)
        if best is None:
            best = award
            continue
        top = table[best.kind.value]
        assert isinstance(top, Decimal)
        if rate > top:
            best = award
    return best, unlisted


def _bonus(
    veteran: Veteran, evaluation: Evaluation, regime: _Regime, base: Decimal
) -> Decimal | None:
    """The bonus for the highest award (None when no award counts), recorded as a reason."""
    awards = veteran.service.awards
    if not awards:
        return None
    discharged_on = veteran.service.discharged_on
    assert discharged_on is not None
    version = evaluation.parameter(BONUS_RATE).version_on(
        discharged_on, allow_stale=evaluation.allow_stale
    )
    table = version.value if isinstance(version.value, Mapping) else {}
    best, unlisted = _highest_award(awards, table)
    if best is None:
        names_en = ", ".join(sorted({a.kind.value for a in unlisted}))
        names_zh = "、".join(sorted({a.kind.label_zh for a in unlisted}))
        evaluation.check(
            "award.bonus",
            True,
            f"no bonus: {names_en} not listed in the {regime.name} regulation",
            f"{names_zh}不在该条例增发范围内，不增发",
            regime.bonus,
        )
        return None
    rate = evaluation.param(BONUS_RATE, best.kind.value, on=discharged_on)
    bonus = evaluation.parameter(STANDARD).round(base * rate)
    caveat_en = caveat_zh = ""
    if regime.name == "2024" and best.kind is AwardKind.SECOND_GRADE_COMMENDATION:
        caveat_en = "; counted as approved to carry the related treatment (not recorded)"
        caveat_zh = "；视为经批准享受相关待遇（记录中无此项）"
    if unlisted:
        caveat_en += "; not listed, no bonus: " + ", ".join(
            sorted({a.kind.value for a in unlisted})
        )
        caveat_zh += (
            "；" + "、".join(sorted({a.kind.label_zh for a in unlisted})) + "不在增发范围内"
        )
    evaluation.check(
        "award.bonus",
        True,
        f"highest award {best.kind.value} ({best.awarded_on.isoformat()}): "
        f"bonus {_percent(rate)} = {bonus} yuan{caveat_en}",
        f"最高奖励为{best.kind.label_zh}（{best.awarded_on.isoformat()}），"
        f"增发{_percent(rate)}，计{bonus}元{caveat_zh}",
        regime.bonus,
    )
    return bonus


def _local_supplement(
    evaluation: Evaluation, regime: _Regime, discharged_on: dt.date, months: int
) -> Decimal | None:
    """The local one-off supplement (一次性经济补助), where the book has one and it is known.

    ``None`` when the book has no such parameter, or when it has one with no figure known for
    the discharge date: the supplement is then recorded as unknown, not included in the
    amount, and the parameter named missing (the national payment is decided without it,
    2011 第十九条; 2024 第二十三条). Both cells are looked up before either is read through the
    evaluation, so a figure the amount does not use is not listed among those used.
    """
    if not evaluation.has_parameter(LOCAL_SUPPLEMENT):
        return None  # no local supplement in this rule book
    parameter = evaluation.parameter(LOCAL_SUPPLEMENT)
    try:
        for cell in ("per_service_year", "fixed"):
            parameter.value_on(discharged_on, cell, allow_stale=evaluation.allow_stale)
    except ParameterError:
        when = discharged_on.isoformat()
        evaluation.check(
            "local_supplement",
            None,
            f"local one-off supplement not known for a discharge on {when}: "
            "not included in the amount",
            f"地方一次性经济补助（{when}退出现役）的标准未知，未计入金额",
            regime.local,
            missing=f"parameter {LOCAL_SUPPLEMENT}",
        )
        return None
    per_year = evaluation.param(LOCAL_SUPPLEMENT, "per_service_year", on=discharged_on)
    fixed = evaluation.param(LOCAL_SUPPLEMENT, "fixed", on=discharged_on)
    amount = parameter.round(per_year * months / 12 + fixed)
    evaluation.check(
        "local_supplement",
        True,
        f"local one-off supplement: {per_year} × {_years_text(months)} years + {fixed} "
        f"= {amount} yuan",
        f"地方一次性经济补助：{per_year}×{_years_text(months)}年+{fixed}＝{amount}元",
        regime.local,
    )
    return amount


def _counting_rule(evaluation: Evaluation, discharged_on: dt.date) -> bool:
    flag = evaluation.param(ROUND_PART_YEARS, on=discharged_on)
    if flag not in (0, 1):
        raise InvalidValue(
            ROUND_PART_YEARS,
            str(flag),
            "must be 1 (round part years) or 0 (exact months)",
            "应为1或0",
        )
    return flag == 1


def decide(veteran: Veteran, evaluation: Evaluation) -> Decision:
    """Whether ``veteran`` receives a one-off retirement payment, and how much in all."""
    service = veteran.service
    discharged_on = service.discharged_on
    assert discharged_on is not None
    regime = _Regime(discharged_on)
    _check_eligibility(veteran, evaluation, regime)
    if service.discharge_mode is DischargeMode.SELF_EMPLOYMENT and discharged_on >= REGULATION_2011:
        due = discharged_on + dt.timedelta(days=REPORT_DAYS)
        last = due + dt.timedelta(days=WAIVER_GRACE_DAYS)
        evaluation.deadline(
            due,
            f"report to the placement county's veterans affairs department within {REPORT_DAYS} "
            f"days of discharge approval; without good reason, not having reported by "
            f"{last.isoformat()} (more than {WAIVER_GRACE_DAYS} days late) is treated as giving "
            "up the placement benefits",
            f"自被批准退出现役之日起{REPORT_DAYS}日内到安置地退役军人工作主管部门报到；无正当理由"
            f"至{last.isoformat()}仍未报到（超过规定时间{WAIVER_GRACE_DAYS}日）的，视为放弃安置待遇",
            regime.reporting,
        )
    if evaluation.outcome is not True:
        return evaluation.decide()

    rounded = _counting_rule(evaluation, discharged_on)
    months = counted_months(service.enlisted_on, discharged_on, round_part_years=rounded)
    span_en, span_zh = _span_text(service.enlisted_on, discharged_on)
    how_en = "part years rounded" if rounded else "exact months"
    how_zh = "不满一年部分按半年或一年计" if rounded else "按实际月数计"
    evaluation.check(
        "service.counted",
        True,
        f"service {span_en} ({service.enlisted_on.isoformat()} → {discharged_on.isoformat()}) "
        f"counts as {_years_text(months)} years ({how_en})",
        f"服现役{span_zh}，计{_years_text(months)}年（{how_zh}）",
        regime.payment,
    )
    standard = evaluation.param(STANDARD, on=discharged_on)
    base = evaluation.parameter(STANDARD).round(standard * months / 12)
    evaluation.component("base", "一次性退役金", base, Period.ONCE)
    total = base
    bonus = _bonus(veteran, evaluation, regime, base)
    if bonus is not None:
        evaluation.component("award_bonus", "立功受奖增发", bonus, Period.ONCE)
        total += bonus
    # Eligible now; an unknown local supplement leaves the payment due (it is named missing).
    eligible = evaluation.outcome
    supplement = _local_supplement(evaluation, regime, discharged_on, months)
    if supplement is not None:
        evaluation.component("local_supplement", "一次性经济补助", supplement, Period.ONCE)
        total += supplement
    if regime.name == "2011":
        evaluation.check(
            "tax_exempt",
            True,
            "the one-off payment and the local supplement are free of individual income tax",
            "一次性退役金和一次性经济补助免征个人所得税",
            regime.local,
        )
    else:
        evaluation.check(
            "tax_exempt",
            True,
            "free of individual income tax under the national tax rules (the 2024 "
            "regulation is silent)",
            "按照国家税收规定免征个人所得税（2024年条例未作规定）",
            TAX_LAW,
        )
    return evaluation.decide(eligible=eligible, amount=total)


RULE = Rule(
    name="one_off_retirement_payment",
    label_zh="一次性退役金",
    label_en="one-off retirement payment",
    subjects=(Veteran,),
    basis=(
        new_article("第二十一条"),
        new_article("第二十二条"),
        new_article("第二十三条"),
        new_article("第五十一条"),
        old_article("第十九条"),
        old_article("第二十条"),
        old_article("第十三、十七条"),
    ),
    decide=decide,
)
