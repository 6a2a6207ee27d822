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

Columnar twin: :func:`decide_columns` decides whole columns of numpy arrays at once (批量计算,
registered as ``RULE.columnar``; ``veteran_affairs.rules.batch`` documents its columns and
outputs). It lives here so that it changes with :func:`decide`; property tests prove
that the two agree row by row, errors and stale figures included.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
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
from veteran_affairs.parameters import Citation, ParameterSet
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import (
    SUSPENSION_2019,
    SUSPENSION_2024,
    ColumnarRule,
    Evaluation,
    Rule,
    RuleBook,
)
from veteran_affairs.rules._placement import (
    REGULATION_2011,
    REGULATION_2024,
    new_article,
    old_article,
)
from veteran_affairs.statutes import PENSIONS_2024, pair

__all__ = ["RULE", "counted_months", "decide", "decide_columns"]

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

_SUSPENSION_SWITCH = PENSIONS_2024.in_force
REPORT_DAYS = 30
WAIVER_GRACE_DAYS = 30
_REPORT_PERIOD = dt.timedelta(days=REPORT_DAYS)
_WAIVER_GRACE = dt.timedelta(days=WAIVER_GRACE_DAYS)

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
        # The matching articles of the two texts come from the concordance (statutes.toml).
        on = discharged_on
        self.name = "2024" if on >= REGULATION_2024 else "2011"
        self.definition = pair("placement.definition").cite(on)
        self.self_employed = pair("placement.self_employment").cite(on)
        self.payment = pair("placement.one_off_payment").cite(on)
        self.bonus = pair("placement.one_off_bonus").cite(on)
        self.local = pair("placement.local_subsidy").cite(on)
        self.reporting = pair("placement.report_or_forfeit").cite(on)
        self.scope = pair("placement.in_force").cite(on)


# The two regimes, built once: their citations are the same for every decision.
_REGIME_2011 = _Regime(REGULATION_2011)
_REGIME_2024 = _Regime(REGULATION_2024)


def _regime(discharged_on: dt.date) -> _Regime:
    return _REGIME_2024 if discharged_on >= REGULATION_2024 else _REGIME_2011


def _calendar_span(start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """``relativedelta(end, start)`` as (years, months, days), computed directly.

    The same calendar arithmetic as ``dateutil``: whole months are counted by moving
    ``start`` forward month by month (a day past the end of a shorter month becomes its last
    day), the days are what remains. An ``end`` before ``start`` is left to ``dateutil``.
    """
    if end < start:
        span = relativedelta(end, start)
        return span.years, span.months, span.days
    months = (end.year - start.year) * 12 + end.month - start.month
    moved = _add_months(start, months)
    if moved > end:
        months -= 1
        moved = _add_months(start, months)
    return months // 12, months % 12, (end - moved).days


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:  # every month has it
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
    span = _calendar_span(enlisted_on, discharged_on)
    return _months_counted(span, round_part_years=round_part_years)


def _months_counted(span: tuple[int, int, int], *, round_part_years: bool) -> int:
    """:func:`counted_months` of a service lasting ``span`` (years, months, days)."""
    years, months, days = span
    whole = 12 * years
    if round_part_years:
        if months == 0 and days == 0:
            return whole
        if months < 6 or (months == 6 and days == 0):
            return whole + 6
        return whole + 12
    return whole + months + (1 if days else 0)


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


def _span_text(span: tuple[int, int, int]) -> tuple[str, str]:
    years, months, days = span
    return (
        f"{_unit(years, 'year')} {_unit(months, 'month')} {_unit(days, 'day')}",
        f"{years}年{months}个月{days}天",
    )


def _unit(count: int, name: str) -> str:
    return f"{count} {name}" if count == 1 else f"{count} {name}s"


# The conditions' messages that turn on one fact, formatted once.
_KIND_TEXTS = {
    kind: (
        f"an NCO or a conscript (here: {kind.value})",
        f"退役军士（士官）或义务兵（本人：{kind.label_zh}）",
    )
    for kind in PersonnelType
}
_MODE_TEXTS: dict[DischargeMode | None, tuple[str, str]] = {
    mode: (
        "settled by self-employment ("
        + ("discharge mode not recorded" if mode is None else f"here: {mode.value}")
        + ")",
        "以自主就业方式安置（"
        + ("安置方式未登记" if mode is None else f"本人：{mode.label_zh}")
        + "）",
    )
    for mode in (*DischargeMode, None)
}


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
    expelled = (
        [
            s
            for s in veteran.sanctions
            if s.kind is SanctionKind.EXPULSION_FROM_ARMY and s.since <= discharged_on
        ]
        if veteran.sanctions
        else None
    )
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
    kind_en, kind_zh = _KIND_TEXTS[kind]
    evaluation.check(
        "service.personnel_type",
        kind is not PersonnelType.OFFICER,
        kind_en,
        kind_zh,
        regime.definition,
    )
    mode = service.discharge_mode
    mode_en, mode_zh = _MODE_TEXTS[mode]
    evaluation.check(
        "service.discharge_mode",
        None if mode is None else mode is DischargeMode.SELF_EMPLOYMENT,
        mode_en,
        mode_zh,
        regime.self_employed,
        missing=None if decided_otherwise else "service.discharge_mode",
    )
    evaluation.check(
        "service.discharged",
        on >= discharged_on,
        f"due once, on discharge ({when})",
        f"于退出现役时（{when}）一次性发给",
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
    listed: list[tuple[Award, Decimal]] = []
    unlisted: list[Award] = []
    for award in awards:
        rate = table.get(award.kind.value)
        if isinstance(rate, Decimal):
            listed.append((award, rate))
        else:
            unlisted.append(award)
    best: Award | None = None
    top = Decimal(0)
    for award, rate in sorted(listed, key=lambda listing: listing[0].awarded_on):
        if best is None or rate > top:
            best, top = award, rate
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
    awarded, percent, bonus_text = best.awarded_on.isoformat(), _percent(rate), str(bonus)
    evaluation.check(
        "award.bonus",
        True,
        f"highest award {best.kind.value} ({awarded}): "
        f"bonus {percent} = {bonus_text} yuan{caveat_en}",
        f"最高奖励为{best.kind.label_zh}（{awarded}），增发{percent}，计{bonus_text}元{caveat_zh}",
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
    if not (
        evaluation.knows(LOCAL_SUPPLEMENT, "per_service_year", on=discharged_on)
        and evaluation.knows(LOCAL_SUPPLEMENT, "fixed", on=discharged_on)
    ):
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
    amount = evaluation.parameter(LOCAL_SUPPLEMENT).round(per_year * months / 12 + fixed)
    # Each figure as text once, for both messages (str() is what formatting a Decimal gives).
    per_year_text, fixed_text, amount_text = str(per_year), str(fixed), str(amount)
    years = _years_text(months)
    evaluation.check(
        "local_supplement",
        True,
        f"local one-off supplement: {per_year_text} × {years} years + {fixed_text} "
        f"= {amount_text} yuan",
        f"地方一次性经济补助：{per_year_text}×{years}年+{fixed_text}＝{amount_text}元",
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
    regime = _regime(discharged_on)
    _check_eligibility(veteran, evaluation, regime)
    if service.discharge_mode is DischargeMode.SELF_EMPLOYMENT and discharged_on >= REGULATION_2011:
        due = discharged_on + _REPORT_PERIOD
        last = (due + _WAIVER_GRACE).isoformat()
        evaluation.deadline(
            due,
            f"report to the placement county's veterans affairs department within {REPORT_DAYS} "
            f"days of discharge approval; without good reason, not having reported by "
            f"{last} (more than {WAIVER_GRACE_DAYS} days late) is treated as giving "
            "up the placement benefits",
            f"自被批准退出现役之日起{REPORT_DAYS}日内到安置地退役军人工作主管部门报到；无正当理由"
            f"至{last}仍未报到（超过规定时间{WAIVER_GRACE_DAYS}日）的，视为放弃安置待遇",
            regime.reporting,
        )
    if evaluation.outcome is not True:
        return evaluation.decide()

    rounded = _counting_rule(evaluation, discharged_on)
    span = _calendar_span(service.enlisted_on, discharged_on)
    months = _months_counted(span, round_part_years=rounded)
    span_en, span_zh = _span_text(span)
    how_en = "part years rounded" if rounded else "exact months"
    how_zh = "不满一年部分按半年或一年计" if rounded else "按实际月数计"
    years = _years_text(months)
    evaluation.check(
        "service.counted",
        True,
        f"service {span_en} ({service.enlisted_on.isoformat()} → {discharged_on.isoformat()}) "
        f"counts as {years} years ({how_en})",
        f"服现役{span_zh}，计{years}年（{how_zh}）",
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


# --- the columnar twin (批量计算) -------------------------------------------------------------

COLUMNAR_READS = (
    "personnel_type",
    "discharge_mode",
    "enlisted_on",
    "discharged_on",
    "died_on",
    "expelled_from",
    "award_kinds",
)
COLUMNAR_OUTPUTS: Mapping[str, str] = MappingProxyType(
    {
        "eligible": "int8",
        "amount_fen": "int64",
        "monthly_fen": "int64",
        "counted_months": "int32",
        "base_fen": "int64",
        "award_bonus_fen": "int64",
        "local_supplement_fen": "int64",
        "stale": "bool",
    }
)


@attrs.frozen(kw_only=True)
class _Figures:
    """The one-off payment's figures for one discharge date (one epoch), and their staleness."""

    rounded: bool
    standard: Decimal
    rates: tuple[Decimal | None, ...] | None  # by AWARD_KINDS; None: not looked up
    per_year: Decimal | None  # None: no local supplement, or none known (adds nothing)
    fixed: Decimal | None
    stale: bool  # the counting flag or the standard
    stale_bonus: bool
    stale_supplement: bool


def _figures(
    parameters: ParameterSet, day: dt.date, *, allow_stale: bool, awards: bool
) -> _Figures:
    """Every lookup the rule makes for a discharge on ``day``, in the rule's order.

    Raises what the per-subject path raises for such a person (with awards or not). The local
    supplement never raises: where the book has it but no figure is known for ``day``, the
    rule decides on the national payment alone, and so do these figures (both ``None``).
    """
    from veteran_affairs.rules import _batch_engine as engine

    flag, flag_version = parameters[ROUND_PART_YEARS].value_on(day, allow_stale=allow_stale)
    if flag not in (0, 1):
        raise InvalidValue(
            ROUND_PART_YEARS,
            str(flag),
            "must be 1 (round part years) or 0 (exact months)",
            "应为1或0",
        )
    standard, version = parameters[STANDARD].value_on(day, allow_stale=allow_stale)
    stale = parameters[ROUND_PART_YEARS].is_stale(flag_version, day) or parameters[
        STANDARD
    ].is_stale(version, day)
    rates: tuple[Decimal | None, ...] | None = None
    stale_bonus = False
    if awards:
        bonus = parameters[BONUS_RATE]
        version = bonus.version_on(day, allow_stale=allow_stale)
        table = version.value if isinstance(version.value, Mapping) else {}
        found = [table.get(kind.value) for kind in engine.AWARD_KINDS]
        rates = tuple(rate if isinstance(rate, Decimal) else None for rate in found)
        stale_bonus = bonus.is_stale(version, day)
    per_year: Decimal | None = None
    fixed: Decimal | None = None
    stale_supplement = False
    if LOCAL_SUPPLEMENT in parameters:
        supplement = parameters[LOCAL_SUPPLEMENT]
        try:
            per_year, version = supplement.value_on(
                day, "per_service_year", allow_stale=allow_stale
            )
            fixed, _ = supplement.value_on(day, "fixed", allow_stale=allow_stale)
            stale_supplement = supplement.is_stale(version, day)
        except ParameterError:
            per_year = fixed = None  # unknown: the rule leaves it out and names it missing
    return _Figures(
        rounded=flag == 1,
        standard=standard,
        rates=rates,
        per_year=per_year,
        fixed=fixed,
        stale=stale,
        stale_bonus=stale_bonus,
        stale_supplement=stale_supplement,
    )


def _counted(months: Array, days: Array, rounded: Array) -> Array:
    """The counted months (:func:`counted_months`), rounding part years or not."""
    import numpy as np

    rest = months % 12
    part_day = days > 0
    over_half = (rest > 6) | ((rest == 6) & part_day)
    some = (rest > 0) | part_day
    rounded_up = months - rest + np.where(over_half, 12, np.where(some, 6, 0))
    counted: Array = np.where(rounded, rounded_up, months + part_day)
    return counted


def decide_columns(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The columnar twin of :func:`decide`: every row of ``data`` at once (批量计算).

    Figures are read once per *epoch* — a stretch of discharge dates over which no parameter
    changes — with the same lookups, in the same order, as the per-subject path; an error is
    the one the first failing row raises (``veteran_affairs.rules.batch`` documents the
    columns and outputs).
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    size = len(data["discharged_on"])
    discharged = data["discharged_on"]
    mode = data["discharge_mode"]
    died = data["died_on"]
    self_employed = engine.DISCHARGE_MODES.index(DischargeMode.SELF_EMPLOYMENT)
    refused = (
        (discharged < np.datetime64(REGULATION_2011, "D"))  # earlier rules, not modelled
        | (data["personnel_type"] == engine.PERSONNEL_TYPES.index(PersonnelType.OFFICER))
        | ((mode >= 0) & (mode != self_employed))
        | (discharged > np.datetime64(on, "D"))
        | (died < discharged)  # NaT compares False
        | (data["expelled_from"] <= discharged)
    )
    eligible = np.where(refused, 0, np.where(mode < 0, -1, 1)).astype(np.int8)
    paid = eligible == 1
    zeros = np.zeros(size, dtype=np.int64)
    result: dict[str, Array] = {
        "eligible": eligible,
        "amount_fen": zeros,
        "monthly_fen": zeros.copy(),
        "counted_months": np.zeros(size, dtype=np.int32),
        "base_fen": zeros.copy(),
        "award_bonus_fen": zeros.copy(),
        "local_supplement_fen": zeros.copy(),
        "stale": np.zeros(size, dtype=np.bool_),
    }
    if not paid.any():
        return result

    # The figures and amounts concern the paid rows only: work on them alone.
    rows = np.flatnonzero(paid)
    subset = rows.size < size
    discharged = discharged.take(rows) if subset else discharged
    enlisted = data["enlisted_on"].take(rows) if subset else data["enlisted_on"]
    awards = data["award_kinds"].take(rows) if subset else data["award_kinds"]

    parameters = book.parameters
    keys = (ROUND_PART_YEARS, STANDARD, BONUS_RATE, LOCAL_SUPPLEMENT)
    breakpoints = engine.breakpoints(parameters[key] for key in keys if key in parameters)
    table = engine.Calendar(enlisted, discharged)
    epochs = np.searchsorted(breakpoints, table.days, side="right")
    epoch = epochs.take(table.offset(discharged))
    present = np.flatnonzero(np.bincount(epoch, minlength=len(breakpoints) + 1))
    awarded = awards != 0
    core_fails = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    bonus_fails = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    figures: dict[int, _Figures] = {}
    for index in present.tolist():
        if index:
            day = engine.as_date(breakpoints[index - 1])
        else:  # before every breakpoint: the first such row's own day
            day = engine.as_date(discharged[engine.first(epoch == 0)])
        try:
            _figures(parameters, day, allow_stale=book.allow_stale, awards=False)
        except (ParameterError, InvalidValue):
            core_fails[index] = True
            continue
        try:
            figures[index] = _figures(parameters, day, allow_stale=book.allow_stale, awards=True)
        except (ParameterError, InvalidValue):
            bonus_fails[index] = True
            figures[index] = _figures(parameters, day, allow_stale=book.allow_stale, awards=False)
    if core_fails.any() or bonus_fails.any():
        failing = core_fails[epoch] | (awarded & bonus_fails[epoch])
        if failing.any():
            row = engine.first(failing)  # the first failing row: rows keep their order
            _figures(
                parameters,
                engine.as_date(discharged[row]),
                allow_stale=book.allow_stale,
                awards=bool(awarded[row]),
            )
            raise AssertionError("unreachable: the lookups above raise")  # pragma: no cover

    rounded_by_epoch = np.zeros(len(breakpoints) + 1, dtype=np.bool_)
    for index, found in figures.items():
        rounded_by_epoch[index] = found.rounded
    months, days = table.service(enlisted, discharged)
    counted = _counted(months, days, rounded_by_epoch.take(epoch))
    tables = _tables(parameters, figures, counted, len(breakpoints) + 1)
    cell = epoch * tables.months + counted
    rank = tables.rank.ravel().take(epoch * (1 << len(engine.AWARD_KINDS)) + awards)
    base = tables.base.ravel().take(cell)
    bonus = tables.bonus.ravel().take(cell * tables.ranks + rank)
    supplement = tables.supplement.ravel().take(cell)
    found_arrays = {
        "amount_fen": base + bonus + supplement,
        "counted_months": counted.astype(np.int32),
        "base_fen": base,
        "award_bonus_fen": bonus,
        "local_supplement_fen": supplement,
    }
    if book.allow_stale:
        stale = np.zeros((3, len(breakpoints) + 1), dtype=np.bool_)
        for index, found in figures.items():
            known = found.per_year is not None and found.fixed is not None
            stale[:, index] = (found.stale, found.stale_bonus, known and found.stale_supplement)
        # The bonus rate is read (and recorded) only for a listed award; the supplement only
        # where it is known.
        found_arrays["stale"] = (
            stale[0].take(epoch) | ((rank > 0) & stale[1].take(epoch)) | stale[2].take(epoch)
        )
    for name, values in found_arrays.items():
        if subset:
            result[name][rows] = values
        else:
            result[name] = values.astype(result[name].dtype, copy=False)
    return result


@attrs.frozen(kw_only=True)
class _Tables:
    """Fen amounts by (epoch, counted months[, award rate rank]); ranks index ``rates``."""

    months: int
    ranks: int
    base: Array  # (epochs, months)
    bonus: Array  # (epochs, months, ranks): rank 0 is "no listed award"
    supplement: Array  # (epochs, months)
    rank: Array  # (epochs, 2 ** len(AWARD_KINDS)): the rank of a set of awards


def _tables(
    parameters: ParameterSet,
    figures: Mapping[int, _Figures],
    counted: Array,
    epochs: int,
) -> _Tables:
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    width = int(counted.max()) + 1
    used = np.flatnonzero(np.bincount(counted, minlength=width)[1:]) + 1  # 0: not paid
    rates = sorted(
        {rate for found in figures.values() for rate in (found.rates or ()) if rate is not None}
    )
    ranks = len(rates) + 1
    standard = parameters[STANDARD]
    kinds = len(engine.AWARD_KINDS)
    base = np.zeros((epochs, width), dtype=np.int64)
    bonus = np.zeros((epochs, width, ranks), dtype=np.int64)
    supplement = np.zeros((epochs, width), dtype=np.int64)
    rank = np.zeros((epochs, 1 << kinds), dtype=np.intp)
    sets = np.arange(1 << kinds)
    for index, found in figures.items():
        for months in used.tolist():
            amount = standard.round(found.standard * months / 12)
            base[index, months] = engine.fen(amount, STANDARD)
            for position, rate in enumerate(rates, start=1):
                bonus[index, months, position] = engine.fen(standard.round(amount * rate), STANDARD)
            if found.per_year is not None and found.fixed is not None:
                local = parameters[LOCAL_SUPPLEMENT]
                extra = local.round(found.per_year * months / 12 + found.fixed)
                supplement[index, months] = engine.fen(extra, LOCAL_SUPPLEMENT)
        for bit, listed in enumerate(found.rates or ()):
            if listed is not None:  # the highest listed rate among the awards held counts
                held = (sets >> bit) & 1 == 1
                rank[index, held] = np.maximum(rank[index, held], rates.index(listed) + 1)
    return _Tables(
        months=width, ranks=ranks, base=base, bonus=bonus, supplement=supplement, rank=rank
    )


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
    columnar=ColumnarRule(
        name="one_off_retirement_payment",
        reads_by_subject=MappingProxyType({Veteran: COLUMNAR_READS}),
        outputs=COLUMNAR_OUTPUTS,
        evaluate=decide_columns,
    ),
)
