"""定期生活补助 — the periodic living allowances of five groups of veterans and martyrs' children.

The law, in plain words:

* The state pays a periodic living allowance, per month, to qualifying veterans who took
  part in combat (参战), veterans who came home ill (带病回乡), rural former soldiers aged 60
  and over (年满60周岁农村籍退役士兵), those who enlisted on or before 1954-10-31 and were
  approved to leave the service (在乡复员军人), and martyrs' children aged 60 and over living in
  the countryside or in towns without a work unit (烈士老年子女) (《军人抚恤优待条例》(2024)
  第六十二条). Veterans who took part in tests (参试: nuclear, missile and satellite tests) are
  treated like combat veterans (第六十一条第二款), hence one group 参战参试退役人员.
* Before 2024-10-01 the regulation (cited here as its 2019 text) named only two of these
  groups: 复员军人 in hardship get a fixed periodic allowance (2019 第四十四条; a 复员军人 is one
  who enlisted on or before 1954-10-31, 第五十三条), and it defined 带病回乡退伍军人 (ill while
  serving, below the level of a disability grade, discharged with an army hospital
  certificate, 第五十三条). The allowances of 参战参试 veterans and of martyrs' elderly children
  rested on national notices of 民政部 and 财政部 (cited without a number: not verified here);
  the rural 60+ allowance on 民发〔2011〕110号 (in force 2011-08-01) throughout.
* Each group is decided on two things: the status recorded for the group (an
  ``EntitlementStatus`` held on the date, which stands for the county's approval and for the
  facts the model does not hold), and the facts the model does hold:

  - 带病回乡 (``DISCHARGED_WITH_ILLNESS``): no disability grade assessed while serving (the
    definition excludes those who reached a grade).
  - 参战参试 (``COMBAT_OR_TEST_VETERAN``): the service record marks combat or test
    participation.
  - 在乡复员军人 (``DEMOBILISED_IN_COUNTRYSIDE``): enlisted on or before 1954-10-31. The amount
    depends on when: to 1945-09-02 (``anti-japanese-war``), 1945-09-03 … 1949-09-30
    (``liberation-war``), 1949-10-01 … 1954-10-31 (``post-1949``); parameter
    ``living_allowance.demobilised_monthly_standard``, with no bundled values (the amounts are
    not confirmed): ParameterMissing until supplied.
  - 60周岁以上农村籍退役士兵 (``RURAL_VETERAN_OVER_60``), 民发〔2011〕110号: the allowance exists
    from 2011-08-01; enlisted 1954-11-01 … 2011-10-31 (both included: from conscription's
    introduction to the eve of 《退役士兵安置条例》); rural hukou (``person.hukou_type``); aged
    60 or more on the date (the 60th birthday counts); a soldier — a conscript or an NCO, not
    an officer (退役士兵, DOMAIN.md §3); and no other periodic state payment
    (``circumstances.other_periodic_state_payment``; unknown → reported missing).
  - 烈士老年子女 (``ELDERLY_MARTYR_CHILD``, on a ``Survivor``): the child of a martyr, aged 60 or
    more on the date, living in the countryside (rural hukou) or in a town without a work unit.
* Amounts, per person per month: ``living_allowance.monthly_standard`` keyed
  ``discharged-with-illness``, ``combat-or-test-veteran``, ``elderly-martyr-child``; for the
  rural 60+ allowance a rate per year of conscript service (a part year counting as a whole
  year) × the years: ``living_allowance.rural_over_60_annual_rate`` × years ÷ 12 from the
  first version of that per-year rate (2023-08-01), ``living_allowance.rural_over_60_rate``
  × years before it (below). The decision gives each group's allowance as a monthly
  component; ``monthly`` is their sum and ``amount`` (the annual figure) 12 × monthly.
* Payments stop while a sanction suspends them and end when one cancels them (2024 第五十九条;
  2019 第五十条, which did not cancel on expulsion from the army).
* When a 参战参试 veteran drawing the allowance dies, 6 more months of it are paid as funeral
  aid (2024 第六十二条第二款, for deaths from 2024-10-01; the 2019 text had no such provision).
  "Drawing" is read as: the status held, participation on record and no sanction in effect
  on the day of death. The decision for a date after the death is not eligible and names
  that amount in a reason: 6 × the standard in force on the day of death (for an earlier
  death a reason says that none is due). If that standard is not known, the reason says so
  instead of failing: the decision (not eligible) does not depend on it. The other groups
  have no funeral aid.

The rural 60+ rate. 民发〔2011〕110号 and the yearly notices to 2022 state it per year of
service per *month* (10 yuan from 2011-08-01, 35 from 2018-08-01, 40 from 2019-08-01,
DOMAIN.md §4; 45 from 2020-08-01, known only until 2021-07-31 as the 2021 figure is not
confirmed; 54 from 2022-08-01): ``living_allowance.rural_over_60_rate``, unit ``CNY/month
per service year``, the monthly amount being rate × years. From 2023-08-01 the national
standard is stated per year of service per *year* (688 yuan from 2023-08-01, 720 from
2024-08-01): ``living_allowance.rural_over_60_annual_rate``, unit ``CNY/year per service
year``, the monthly amount being annual rate × years ÷ 12, rounded as that parameter says
(to the fen, half up). Which statement applies is chosen by date: from the first version of
the per-year parameter (where the book has it and it has versions), the per-year one;
before it, the per-month one, whose last version (54) is known only until 2023-07-31. A user
supplies a newer standard in the unit of the statement in force: a per-year figure as a
version of the per-year parameter, never divided by hand.

Years of service are counted from ``service.enlisted_on`` to ``service.discharged_on``:
whole years from anniversary to anniversary, and any days left over count as one more year
(2 years and 1 month → 3 years; exactly 2 years → 2).

Choices where the law is open to reading, each documented and, where it is a choice, with a
flag parameter that overrides it. The flags are bundled in ``data/jurisdictions/national/national.toml`` with
the reading below; override with ``0`` or ``1`` through
``RuleBook.with_parameters({"living_allowance.groups_add_up": "0"})`` and the like:

* ``living_allowance.groups_add_up`` (default 1). 第六十二条 lists the groups without saying
  that one excludes another, so a person in several groups draws each allowance, and
  ``monthly`` is their sum. With 0, only the highest is paid (a component for it alone; a
  reason names the others).
* ``living_allowance.rural_over_60_nco_service_counts`` (default 0). 民发〔2011〕110号 counts
  years of *conscript* service (每服一年义务兵役). For a conscript that is the whole service
  record; for an NCO (志愿兵/士官) the record does not say when conscript service ended, so the
  amount is unknown and reported missing (``service.conscript_years``). With 1, an NCO's
  whole service counts.
* Not a flag, because it follows from the notice's own condition: the rural 60+ allowance
  is not due while another allowance of this rule is due on the same date (that allowance
  is itself a periodic state payment), whatever ``other_periodic_state_payment`` says. The
  two older-soldier groups (在乡复员军人 and rural 60+) cannot meet, their enlistment windows
  being disjoint.
* "Rural" is read from the current hukou type. 民发〔2011〕110号 means the hukou taken on
  discharge (including those later moved to an urban hukou but never given work or a
  pension); where that differs, the status recorded and the hukou type must say so.
* 烈士老年子女 "living in the countryside" is read as a rural hukou. For an urban hukou the
  fact ``circumstances.has_work_unit`` (有工作单位) decides; when it is unknown it is reported
  missing and the decision is undetermined. The
  2024 text adds "already 18 when the state set up the periodic pension" — the recorded
  status stands for it, as for 在乡复员军人's approval, 2019 第四十四条's hardship and 带病回乡's
  hospital certificate.
* A Veteran holding an ``ELDERLY_MARTYR_CHILD`` status is not decided here: that group is
  decided on the ``Survivor`` record, which knows the relation and the death.
* Inputs are asked for only when they could change the outcome: once a group fails on a
  known fact, its unknown facts are not reported (and none are once the person is dead or a
  sanction stops payment).
* A decision the facts already settle as not eligible — no status for any group, dead, a
  sanction in effect, or every group held failing on a known fact — reads no standard, so
  it never fails for want of a figure; an eligible or undetermined one does, loudly.

Worked examples (national standards; every version's source in docs/parameters.md): from
2019-08-01 带病回乡 600 a month (7,200 a year), 参战参试 650, 烈士老年子女 490; from 2018-08-01
550 / 600 / 440; from 2020-08-01 650 / 700 / 540. Later versions hold only the groups whose
national figure is confirmed (带病回乡 700 from 2021-08-01 and 819 from 2024-08-01; 参战参试 800
and 烈士老年子女 645 from 2022-08-01, 840 and 690 from 2023-08-01): a group its version lacks
raises ParameterMissing until supplied. Rural 60+ on 2019-08-01 with 2 years and 1 month of
conscript service: 3 × 40 = 120 a month; with exactly 2 years: 80; on 2011-08-01 the rate was
10. The rate is not confirmed after 2012-09-30 and before 2018-08-01, nor from 2021-08-01 to
2022-07-31 (ParameterMissing). From 2024-08-01 the same 3 years give 720 × 3 ÷ 12 = 180 a month
(from 2023-08-01: 688 × 3 ÷ 12 = 172); exactly 2 years from 2023-08-01 give 688 × 2 ÷ 12 =
114.67.

Columnar twin: :func:`decide_columns` decides whole columns of numpy arrays at once (批量计算,
registered as ``RULE.columnar``; ``veteran_affairs.rules.batch`` documents its columns and
outputs). It lives here so that it changes with :func:`decide`; property tests prove
that the two agree row by row, errors and stale figures included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from veteran_affairs.models import (
    DeathCategory,
    EntitlementCategory,
    HukouType,
    PersonnelType,
    Relation,
    Survivor,
    Veteran,
)
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import ColumnarRule, Evaluation, Rule, RuleBook, check_sanctions
from veteran_affairs.statutes import PENSIONS_2019, PENSIONS_2024, FuneralAid

__all__ = [
    "FUNERAL_AID",
    "RULE",
    "decide",
    "decide_columns",
    "enlistment_period",
    "service_years",
]

if TYPE_CHECKING:
    import numpy.typing as npt

    from veteran_affairs.rules._batch_engine import Lookups as _Lookups

    Array = npt.NDArray[Any]

REGULATION_2024 = PENSIONS_2024.in_force
ART_61_2024 = PENSIONS_2024.article("第六十一条")
ART_62_2024 = PENSIONS_2024.article("第六十二条")
ART_2_2019 = PENSIONS_2019.article("第二条")
ART_44_2019 = PENSIONS_2019.article("第四十四条")
ART_53_2019 = PENSIONS_2019.article("第五十三条")
RURAL_NOTICE = Citation(
    document="民发〔2011〕110号",
    effective=dt.date(2011, 8, 1),
    note="民政部、财政部《关于给部分农村籍退役士兵发放老年生活补助的通知》",
)
NATIONAL_NOTICES = Citation(
    document="民政部、财政部 national notices on periodic living allowances",
    note="the 2019 text of 《军人抚恤优待条例》 has no article on this allowance; the notices' "
    "numbers are not verified here",
)

STANDARD = "living_allowance.monthly_standard"
DEMOBILISED_STANDARD = "living_allowance.demobilised_monthly_standard"
RURAL_RATE = "living_allowance.rural_over_60_rate"
RURAL_ANNUAL_RATE = "living_allowance.rural_over_60_annual_rate"
GROUPS_ADD_UP = "living_allowance.groups_add_up"
NCO_SERVICE_COUNTS = "living_allowance.rural_over_60_nco_service_counts"

_COMBAT_COMPONENT = "combat_or_test_veteran"
FUNERAL_AID = FuneralAid(
    benefit="living_allowance",
    months=6,
    grants=(PENSIONS_2024.article("第六十二条第二款"),),
    since=REGULATION_2024,
    component=_COMBAT_COMPONENT,
)
"""6 more months of the 参战参试 allowance after the veteran's death (丧葬补助), for deaths from
2024-10-01 (2024 第六十二条第二款, new in that text: the 2019 text has no such provision). The
rule names the amount; the payment schedule pays it."""
OLD_AGE = 60
LAST_DEMOBILISED_ENLISTMENT = dt.date(1954, 10, 31)
RURAL_ENLISTED = (dt.date(1954, 11, 1), dt.date(2011, 10, 31))
RURAL_PAID_FROM = dt.date(2011, 8, 1)
_ENLISTMENT_PERIODS = (
    (dt.date(1945, 9, 2), "anti-japanese-war", "抗日战争时期"),
    (dt.date(1949, 9, 30), "liberation-war", "解放战争时期"),
    (LAST_DEMOBILISED_ENLISTMENT, "post-1949", "新中国成立后"),
)


def _anniversary(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 1 March, as ages do."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def service_years(enlisted: dt.date, discharged: dt.date) -> int:
    """Years of service, a part year counting as a whole one (不满一年的按一年计算).

    Whole years run from anniversary to anniversary; any day beyond the last whole year
    adds one year.

    >>> service_years(dt.date(1976, 3, 1), dt.date(1978, 4, 1))
    3
    >>> service_years(dt.date(1976, 3, 1), dt.date(1978, 3, 1))
    2
    """
    whole = discharged.year - enlisted.year
    if _anniversary(enlisted, whole) > discharged:
        whole -= 1
    return whole + (_anniversary(enlisted, whole) < discharged)


def enlistment_period(enlisted: dt.date) -> str | None:
    """The key of a 在乡复员军人's enlistment period, ``None`` after 1954-10-31.

    >>> enlistment_period(dt.date(1945, 9, 2)), enlistment_period(dt.date(1945, 9, 3))
    ('anti-japanese-war', 'liberation-war')
    """
    for last, key, _ in _ENLISTMENT_PERIODS:
        if enlisted <= last:
            return key
    return None


def _period_zh(key: str) -> str:
    return next(zh for _, k, zh in _ENLISTMENT_PERIODS if k == key)


# A group's result: whether it is due (None: unknown) and its monthly amount when due.
_Result = tuple[bool | None, Decimal | None]


def _standard(evaluation: Evaluation, cell: str) -> Decimal:
    return evaluation.parameter(STANDARD).round(evaluation.param(STANDARD, cell))


def _discharged_with_illness(
    veteran: Veteran, evaluation: Evaluation, _others_due: bool
) -> _Result:
    citation = ART_62_2024 if evaluation.on >= REGULATION_2024 else ART_53_2019
    disability = veteran.disability
    discharged = veteran.service.discharged_on
    assert discharged is not None
    graded = disability is not None and disability.assessed_on <= discharged
    if not evaluation.check(
        "discharged_with_illness.no_grade_in_service",
        not graded,
        "no disability grade assessed while serving (ill, below the level of a grade)",
        "服现役期间未评定残疾等级（患病尚未达到评定残疾等级条件）",
        citation,
    ):
        return False, None
    return True, _standard(evaluation, "discharged-with-illness")


def _combat_or_test(veteran: Veteran, evaluation: Evaluation, _others_due: bool) -> _Result:
    regime_2024 = evaluation.on >= REGULATION_2024
    service = veteran.service
    combat, test = service.combat_participant, service.test_participant
    if regime_2024:
        citation = ART_61_2024 if test and not combat else ART_62_2024
    else:
        citation = NATIONAL_NOTICES
    what_en = " and ".join(w for w, on in (("combat", combat), ("tests", test)) if on) or "neither"
    what_zh = "、".join(w for w, on in (("参战", combat), ("参试", test)) if on) or "均无"
    if not evaluation.check(
        "combat_or_test.participated",
        combat or test,
        f"took part in combat or in tests (service record: {what_en})",
        f"服役期间参战或参试（服役记录：{what_zh}）",
        citation,
    ):
        return False, None
    return True, _standard(evaluation, "combat-or-test-veteran")


def _demobilised(veteran: Veteran, evaluation: Evaluation, _others_due: bool) -> _Result:
    regime_2024 = evaluation.on >= REGULATION_2024
    enlisted = veteran.service.enlisted_on
    period = enlistment_period(enlisted)
    if not evaluation.check(
        "demobilised.enlisted_by_1954_10_31",
        period is not None,
        f"enlisted on or before 1954-10-31 (enlisted {enlisted})",
        f"1954年10月31日之前入伍（{enlisted}入伍）",
        ART_62_2024 if regime_2024 else ART_53_2019,
    ):
        return False, None
    assert period is not None
    evaluation.check(
        "demobilised.enlistment_period",
        True,
        f"standard of those who enlisted in the {period} period",
        f"按{_period_zh(period)}入伍人员标准",
        ART_62_2024 if regime_2024 else ART_44_2019,
    )
    amount = evaluation.param(DEMOBILISED_STANDARD, period)
    return True, evaluation.parameter(DEMOBILISED_STANDARD).round(amount)


def _rural_over_60(veteran: Veteran, evaluation: Evaluation, others_due: bool) -> _Result:
    on = evaluation.on
    person, service = veteran.person, veteran.service
    in_force = on >= RURAL_PAID_FROM
    first, last = RURAL_ENLISTED
    enlisted = service.enlisted_on
    age = person.age_on(on)
    soldier = service.personnel_type is not PersonnelType.OFFICER
    known: list[tuple[str, bool, str, str]] = [
        (
            "in_force",
            in_force,
            "the allowance is paid from 2011-08-01",
            "自2011年8月1日起发放",
        ),
        (
            "enlisted",
            first <= enlisted <= last,
            f"enlisted 1954-11-01 … 2011-10-31 (enlisted {enlisted})",
            f"1954年11月1日至2011年10月31日期间入伍（{enlisted}入伍）",
        ),
        (
            "rural_hukou",
            person.hukou_type is HukouType.RURAL,
            f"rural hukou ({person.hukou_type.value})",
            f"农村籍（{person.hukou_type.label_zh}）",
        ),
        ("age", age >= OLD_AGE, f"aged 60 or over (aged {age})", f"年满60周岁（{age}周岁）"),
        (
            "soldier",
            soldier,
            f"a former soldier, not an officer ({service.personnel_type.value})",
            f"退役士兵，非军官（{service.personnel_type.label_zh}）",
        ),
    ]
    for code, held, message_en, message_zh in known:
        if not evaluation.check(
            f"rural_over_60.{code}", held, message_en, message_zh, RURAL_NOTICE
        ):
            return False, None
    fact = veteran.circumstances.other_periodic_state_payment
    if others_due:
        none_other: bool | None = False
        en = "no other periodic state payment: another allowance of this rule is due"
        zh = "未享受国家其他定期抚恤补助：已享受本项其他定期生活补助"
    else:
        none_other = None if fact is None else not fact
        state = {None: "not known", True: "draws one", False: "draws none"}[fact]
        state_zh = {None: "未知", True: "已享受", False: "未享受"}[fact]
        en = f"no other periodic state payment ({state})"
        zh = f"未享受国家其他定期抚恤补助（{state_zh}）"
    if (
        evaluation.check(
            "rural_over_60.no_other_payment",
            none_other,
            en,
            zh,
            RURAL_NOTICE,
            missing="circumstances.other_periodic_state_payment",
        )
        is False
    ):
        return False, None
    discharged = service.discharged_on
    assert discharged is not None
    years = service_years(enlisted, discharged)
    if service.personnel_type is PersonnelType.CONSCRIPT:
        counted: bool | None = True
        en = f"{years} years of conscript service (a part year counts as a whole year)"
        zh = f"服义务兵役{years}年（不满一年的按一年计算）"
    elif evaluation.flag(NCO_SERVICE_COUNTS, False):
        counted = True
        en = f"{years} years of service, an NCO's whole service counted (policy flag)"
        zh = f"服役{years}年（按政策参数计算军士全部服役年限）"
    else:
        counted = None
        en = "years of conscript service of an NCO: not recorded"
        zh = "军士服义务兵役年限：未记录"
    evaluation.check(
        "rural_over_60.service_years",
        counted,
        en,
        zh,
        RURAL_NOTICE,
        missing="service.conscript_years",
    )
    if none_other is None or counted is None:
        return None, None
    return True, _rural_monthly(evaluation, years)


def _rural_monthly(evaluation: Evaluation, years: int) -> Decimal:
    """The rural 60+ allowance per month for ``years`` of service.

    From the first version of ``living_allowance.rural_over_60_annual_rate`` (2023-08-01 in
    the bundled book) the standard is per year of service per *year*: annual rate × years ÷
    12, rounded as that parameter says. Before it, and in a book without that parameter, the
    monthly rate × years.
    """
    if evaluation.has_parameter(RURAL_ANNUAL_RATE):
        annual = evaluation.parameter(RURAL_ANNUAL_RATE)
        # Only the first version's date is read here: it chooses the statement in force.
        if annual.versions and evaluation.on >= annual.versions[0].effective_from:
            rate = evaluation.param(RURAL_ANNUAL_RATE)
            return annual.round(rate * years / 12)
    rate = evaluation.param(RURAL_RATE)
    return evaluation.parameter(RURAL_RATE).round(rate * years)


def _elderly_martyr_child(survivor: Survivor, evaluation: Evaluation, _others_due: bool) -> _Result:
    on = evaluation.on
    citation = ART_62_2024 if on >= REGULATION_2024 else NATIONAL_NOTICES
    person = survivor.person
    age = person.age_on(on)
    relation, death = survivor.relation, survivor.death_category
    child = relation is Relation.CHILD and death is DeathCategory.MARTYR
    if not evaluation.check(
        "elderly_martyr_child.child_of_martyr",
        child,
        f"a martyr's child ({relation.value} of a {death.value})",
        f"烈士子女（{death.label_zh}的{relation.label_zh}）",
        citation,
    ):
        return False, None
    if not evaluation.check(
        "elderly_martyr_child.age",
        age >= OLD_AGE,
        f"aged 60 or over (aged {age})",
        f"年满60周岁（{age}周岁）",
        citation,
    ):
        return False, None
    rural = person.hukou_type is HukouType.RURAL
    work_unit = survivor.circumstances.has_work_unit
    if rural:
        where: bool | None = True
        en, zh = "lives in the countryside (rural hukou)", "居住在农村（农村户口）"
    elif work_unit is None:
        where = None
        en = "urban hukou: not known whether without a work unit"
        zh = "城镇户口：未知是否无工作单位"
    else:
        where = not work_unit
        en = "urban hukou, " + ("has a work unit" if work_unit else "without a work unit")
        zh = "城镇户口，" + ("有工作单位" if work_unit else "无工作单位")
    evaluation.check(
        "elderly_martyr_child.residence",
        where,
        en,
        zh,
        citation,
        missing="circumstances.has_work_unit",
    )
    if not where:  # unknown: undetermined; a town resident with a work unit: not in the group
        return where, None
    return True, _standard(evaluation, "elderly-martyr-child")


@attrs.frozen(kw_only=True)
class _Group:
    category: EntitlementCategory
    component: str
    # Each takes the subject of its kind (Veteran or Survivor), the evaluation, and whether
    # another group's allowance is already due.
    decide: Callable[[Any, Evaluation, bool], _Result] = attrs.field(eq=False)


_VETERAN_GROUPS = (
    _Group(
        category=EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE,
        component="demobilised_in_countryside",
        decide=_demobilised,
    ),
    _Group(
        category=EntitlementCategory.DISCHARGED_WITH_ILLNESS,
        component="discharged_with_illness",
        decide=_discharged_with_illness,
    ),
    _Group(
        category=EntitlementCategory.COMBAT_OR_TEST_VETERAN,
        component=_COMBAT_COMPONENT,
        decide=_combat_or_test,
    ),
    # Last: it is not due while another allowance is.
    _Group(
        category=EntitlementCategory.RURAL_VETERAN_OVER_60,
        component="rural_veteran_over_60",
        decide=_rural_over_60,
    ),
)
_SURVIVOR_GROUPS = (
    _Group(
        category=EntitlementCategory.ELDERLY_MARTYR_CHILD,
        component="elderly_martyr_child",
        decide=_elderly_martyr_child,
    ),
)


def _funeral_aid(evaluation: Evaluation, veteran: Veteran, died: dt.date) -> None:
    """Name the 6 months of a 参战参试 allowance paid as funeral aid after death."""
    service = veteran.service
    drawing = (
        EntitlementCategory.COMBAT_OR_TEST_VETERAN in veteran.categories_on(died)
        and (service.combat_participant or service.test_participant)
        and not any(s.in_effect_on(died) for s in veteran.sanctions)
    )
    if not drawing:
        return
    months, (citation,), since = FUNERAL_AID.months, FUNERAL_AID.grants, REGULATION_2024
    if FUNERAL_AID.citation(died) is None:
        evaluation.check(
            "funeral_aid",
            False,
            f"died on {died}: the 2019 text has no funeral aid for this allowance "
            f"({months} months are paid for deaths from {since})",
            f"于{died}去世：2019年条例未规定该补助的丧葬补助"
            f"（{since.year}年{since.month}月{since.day}日起去世的发放{months}个月）",
            citation,
        )
        return
    # The amount is only named: the decision (not eligible) does not depend on it.
    standard = evaluation.param_or_none(STANDARD, "combat-or-test-veteran", on=died)
    if standard is None:
        amount_en = f"the amount is not known (supply the standard in force on {died})"
        amount_zh = f"金额未知（{died}适用的标准未确认，请提供）"
    else:
        aid = evaluation.parameter(STANDARD).round(standard) * months
        amount_en, amount_zh = f"{aid} yuan", f"{aid}元"
    evaluation.check(
        "funeral_aid",
        True,
        f"drew the 参战参试 allowance when they died on {died}: {months} more "
        f"months of it are paid as funeral aid: {amount_en}",
        f"去世（{died}）时享受参战参试定期生活补助，继续发放{months}个月作为丧葬补助：{amount_zh}",
        citation,
    )


def decide(subject: Veteran | Survivor, evaluation: Evaluation) -> Decision:
    """The periodic living allowances ``subject`` draws on the evaluation date, per group."""
    on = evaluation.on
    regime_2024 = on >= REGULATION_2024
    groups = _VETERAN_GROUPS if isinstance(subject, Veteran) else _SURVIVOR_GROUPS
    categories = subject.categories_on(on)
    held = [g for g in groups if g.category in categories]
    names_en = ", ".join(g.category.value for g in held) or "none"
    names_zh = "、".join(g.category.label_zh for g in held) or "无"
    evaluation.check(
        "status",
        bool(held),
        f"holds on the date a status with a periodic living allowance: {names_en}",
        f"当日持有享受定期生活补助的身份：{names_zh}",
        ART_62_2024 if regime_2024 else ART_2_2019,
    )
    person = subject.person
    died = person.died_on
    alive = person.alive_on(on)
    born = person.birth_date <= on
    evaluation.check(
        "person.alive",
        alive,
        "alive on the date" if alive else ("not yet born" if not born else f"died on {died}"),
        "在世" if alive else ("尚未出生" if not born else f"已于{died}去世"),
    )
    payable = check_sanctions(evaluation, subject.sanctions)
    if died is not None and on > died and isinstance(subject, Veteran):
        _funeral_aid(evaluation, subject, died)
    if not (held and alive and payable):
        return evaluation.decide(eligible=False)

    due: list[tuple[_Group, Decimal]] = []
    undetermined = False
    for group in held:
        result, monthly = group.decide(subject, evaluation, bool(due))
        if result is True:
            assert monthly is not None
            due.append((group, monthly))
        elif result is None:
            undetermined = True
    if not due:
        return evaluation.decide(eligible=None if undetermined else False)

    paid = due
    if len(due) > 1:
        add_up = evaluation.flag(GROUPS_ADD_UP, True)
        if add_up:
            en = "the allowances of several groups add up"
            zh = "多项定期生活补助叠加发放"
        else:
            paid = [max(due, key=lambda item: item[1])]
            forgone = ", ".join(g.category.value for g, _ in due if g is not paid[0][0])
            forgone_zh = "、".join(g.category.label_zh for g, _ in due if g is not paid[0][0])
            en = f"only the highest allowance is paid (policy flag); not paid: {forgone}"
            zh = f"按就高原则发放一项（政策参数）；不发放：{forgone_zh}"
        evaluation.check("combination", True, en, zh, ART_62_2024 if regime_2024 else None)
    for group, monthly in paid:
        evaluation.component(group.component, group.category.label_zh, monthly, Period.MONTH)
    total = sum((monthly for _, monthly in paid), Decimal(0))
    return evaluation.decide(eligible=True, amount=total * 12, monthly=total)


# --- the columnar twin (批量计算) -------------------------------------------------------------

_PERSON_READS = (
    "birth_date",
    "died_on",
    "status_category",
    "status_since",
    "status_until",
    "cancelled_from",
    "expelled_from",
    "suspended_from",
    "suspended_until",
)
COLUMNAR_READS: Mapping[type, tuple[str, ...]] = MappingProxyType(
    {
        Veteran: (
            *_PERSON_READS,
            "hukou_type",
            "personnel_type",
            "enlisted_on",
            "discharged_on",
            "disability_assessed_on",
            "combat_participant",
            "test_participant",
            "other_periodic_state_payment",
        ),
        Survivor: (*_PERSON_READS, "hukou_type", "relation", "death_category", "has_work_unit"),
    }
)
COLUMNAR_OUTPUTS: Mapping[str, str] = MappingProxyType(
    {
        "eligible": "int8",
        "amount_fen": "int64",
        "monthly_fen": "int64",
        **{f"{group.component}_fen": "int64" for group in (*_VETERAN_GROUPS, *_SURVIVOR_GROUPS)},
        "stale": "bool",
    }
)
_NAME = "living_allowance"


def _demobilised_reading(period: str) -> Callable[[Evaluation], Decimal]:
    def reading(evaluation: Evaluation) -> Decimal:
        amount = evaluation.param(DEMOBILISED_STANDARD, period)
        return evaluation.parameter(DEMOBILISED_STANDARD).round(amount)

    return reading


def _standard_reading(cell: str) -> Callable[[Evaluation], Decimal]:
    return lambda evaluation: _standard(evaluation, cell)


def _rural_reading(years: int) -> Callable[[Evaluation], Decimal]:
    return lambda evaluation: _rural_monthly(evaluation, years)


def _funeral_reading(evaluation: Evaluation) -> Decimal | None:
    return evaluation.param_or_none(STANDARD, "combat-or-test-veteran", on=evaluation.on)


@attrs.frozen(kw_only=True)
class _Due:
    """One group over the rows: which are due, and each row's figure (``figures[cell]``)."""

    group: _Group
    due: Array
    cell: Array | None
    figures: list[Any]  # Figure[Decimal]: the group's monthly amounts


def _service_years_columns(enlisted: Array, discharged: Array) -> Array:
    """:func:`service_years` of each row: whole years, a part year counting as one more.

    A part year is left when the enlistment's day of the year (29 February counting as
    1 March in a year without it, as its anniversaries do) comes before the discharge's.
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    table = engine.Calendar(enlisted, discharged)
    year_e, month_e, day_e = table.year_month_day(enlisted)
    year_d, month_d, day_d = table.year_month_day(discharged)
    leap = (year_d % 4 == 0) & ((year_d % 100 != 0) | (year_d % 400 == 0))
    start = np.where((month_e == 2) & (day_e == 29) & ~leap, 301, month_e * 100 + day_e)
    years: Array = year_d - year_e + (start < month_d * 100 + day_d)
    return years


def _veteran_groups(
    book: RuleBook,
    data: Mapping[str, Array],
    on: dt.date,
    base: Array,
    held: Mapping[EntitlementCategory, Array],
    lookups: _Lookups,
) -> tuple[list[_Due], Array]:
    """The veteran groups in the rule's order (the rural one last), and the undetermined rows."""
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    size = len(base)
    groups = {group.category: group for group in _VETERAN_GROUPS}
    result: list[_Due] = []

    enlisted = data["enlisted_on"]
    last_days = np.array([last for last, _, _ in _ENLISTMENT_PERIODS], dtype="datetime64[D]")
    period = np.searchsorted(last_days, enlisted, side="left")  # len(last_days): none
    due = base & held[EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE] & (period < len(last_days))
    figures = []
    if due.any():
        figures = [
            engine.read(book, _NAME, on, _demobilised_reading(k)) for _, k, _ in _ENLISTMENT_PERIODS
        ]
        lookups.add(due, figures, period)
    result.append(
        _Due(
            group=groups[EntitlementCategory.DEMOBILISED_IN_COUNTRYSIDE],
            due=due,
            cell=period,
            figures=figures,
        )
    )

    graded = data["disability_assessed_on"] <= data["discharged_on"]  # NaT compares False
    due = base & held[EntitlementCategory.DISCHARGED_WITH_ILLNESS] & ~graded
    figure = engine.read(book, _NAME, on, _standard_reading("discharged-with-illness"))
    lookups.add(due, figure)
    result.append(
        _Due(
            group=groups[EntitlementCategory.DISCHARGED_WITH_ILLNESS],
            due=due,
            cell=None,
            figures=[figure],
        )
    )

    took_part = data["combat_participant"] | data["test_participant"]
    due = base & held[EntitlementCategory.COMBAT_OR_TEST_VETERAN] & took_part
    figure = engine.read(book, _NAME, on, _standard_reading("combat-or-test-veteran"))
    lookups.add(due, figure)
    result.append(
        _Due(
            group=groups[EntitlementCategory.COMBAT_OR_TEST_VETERAN],
            due=due,
            cell=None,
            figures=[figure],
        )
    )

    # 60周岁以上农村籍退役士兵: the facts on record, then no other periodic state payment (none
    # while another allowance of this rule is due), then the years of conscript service.
    first, last = RURAL_ENLISTED
    officer = engine.PERSONNEL_TYPES.index(PersonnelType.OFFICER)
    conscript = data["personnel_type"] == engine.PERSONNEL_TYPES.index(PersonnelType.CONSCRIPT)
    reached = base & held[EntitlementCategory.RURAL_VETERAN_OVER_60] & (on >= RURAL_PAID_FROM)
    reached &= (enlisted >= np.datetime64(first, "D")) & (enlisted <= np.datetime64(last, "D"))
    reached &= data["hukou_type"] == engine.HUKOU_TYPES.index(HukouType.RURAL)
    reached &= data["birth_date"] <= engine.cutoff_birth(on, OLD_AGE)
    reached &= data["personnel_type"] != officer
    others = result[0].due | result[1].due | result[2].due
    none_other = np.where(
        others, engine.FALSE, engine.tri_not(engine.tri(data["other_periodic_state_payment"]))
    )
    reached &= none_other != engine.FALSE
    flag = engine.read(book, _NAME, on, lambda e: e.flag(NCO_SERVICE_COUNTS, False))
    lookups.add(reached & ~conscript, flag)
    counted = conscript | (flag.value is True)
    due = reached & (none_other == engine.TRUE) & counted
    undetermined = reached & ~due
    rows = np.flatnonzero(due)
    years = np.zeros(size, dtype=np.intp)
    figures = []
    if rows.size:
        years[rows] = _service_years_columns(enlisted[rows], data["discharged_on"][rows])
        found = np.unique(years[rows])
        figures = [engine.Figure()] * (int(found.max()) + 1)
        for count in found.tolist():
            figures[count] = engine.read(book, _NAME, on, _rural_reading(count))
        lookups.add(due, figures, years)
    result.append(
        _Due(
            group=groups[EntitlementCategory.RURAL_VETERAN_OVER_60],
            due=due,
            cell=years,
            figures=figures,
        )
    )
    return result, undetermined


def _survivor_group(
    book: RuleBook,
    data: Mapping[str, Array],
    on: dt.date,
    base: Array,
    held: Mapping[EntitlementCategory, Array],
    lookups: _Lookups,
) -> tuple[_Due, Array]:
    """The 烈士老年子女 group, and its undetermined rows."""
    from veteran_affairs.rules import _batch_engine as engine

    child = data["relation"] == engine.RELATIONS.index(Relation.CHILD)
    martyr = data["death_category"] == engine.DEATH_CATEGORIES.index(DeathCategory.MARTYR)
    reached = base & held[EntitlementCategory.ELDERLY_MARTYR_CHILD] & child & martyr
    reached &= data["birth_date"] <= engine.cutoff_birth(on, OLD_AGE)
    rural = data["hukou_type"] == engine.HUKOU_TYPES.index(HukouType.RURAL)
    work_unit = data["has_work_unit"]
    due = reached & (rural | (work_unit == 0))
    figure = engine.read(book, _NAME, on, _standard_reading("elderly-martyr-child"))
    lookups.add(due, figure)
    group = _SURVIVOR_GROUPS[0]
    return _Due(group=group, due=due, cell=None, figures=[figure]), reached & ~rural & (
        work_unit < 0
    )


def _funeral_aid_rows(data: Mapping[str, Array], on: dt.date, veteran: Array) -> Array:
    """The veterans whose decision names the 参战参试 funeral aid's figure (see _funeral_aid)."""
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    died = data["died_on"]
    combat = engine.STATUS_CATEGORIES.index(EntitlementCategory.COMBAT_OR_TEST_VETERAN)
    rows = veteran & ~engine.is_nat(died) & (died < np.datetime64(on, "D"))
    if FUNERAL_AID.since is not None:
        rows &= died >= np.datetime64(FUNERAL_AID.since, "D")
    rows &= data["combat_participant"] | data["test_participant"]
    rows &= engine.status_held_each(data, combat, died) & ~engine.sanctioned_on(data, died)
    return rows


def decide_columns(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The columnar twin of :func:`decide`: every row of ``data`` at once (批量计算).

    Veterans and survivors may share a table (``subject_kind``). Each group is decided as its
    per-subject function decides it, in the same order (the rural 60+ group last, not due
    while another is); ``monthly`` is the sum of the groups paid (or the highest, by the
    flag ``living_allowance.groups_add_up``), ``amount`` 12 times it; each group's monthly
    amount is its own output. Errors and staleness are the per-subject path's, row by row
    (``veteran_affairs.rules.batch`` documents the columns and outputs).
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    kind = data["subject_kind"]
    size = len(kind)
    veteran = kind == engine.code_of(Veteran)
    survivor = kind == engine.code_of(Survivor)
    day = np.datetime64(on, "D")
    lookups = engine.Lookups(size)
    categories = [g.category for g in (*_VETERAN_GROUPS, *_SURVIVOR_GROUPS)]
    held = {
        category: engine.status_held(data, engine.STATUS_CATEGORIES.index(category), on)
        & (survivor if category is EntitlementCategory.ELDERLY_MARTYR_CHILD else veteran)
        for category in categories
    }
    died = data["died_on"]
    alive = (data["birth_date"] <= day) & (engine.is_nat(died) | (died >= day))
    base = alive & ~engine.payments_stopped(data, on)
    base &= np.logical_or.reduce([held[category] for category in categories])

    if book.allow_stale and veteran.any():
        rows = _funeral_aid_rows(data, on, veteran)
        if rows.any():
            engine.in_calendar(np.where(rows, died, np.datetime64("NaT", "D")), "died_on")
            parameters = [book.parameters[STANDARD]] if STANDARD in book.parameters else []
            epoch, days = engine.by_day(parameters, died, rows)
            table: list[engine.Figure[Any]] = [engine.Figure()] * (int(epoch[rows].max()) + 1)
            for index, when in days:
                table[index] = engine.read(book, _NAME, when, _funeral_reading)
            lookups.add(rows, table, epoch)

    dues: list[_Due] = []
    undetermined = np.zeros(size, dtype=np.bool_)
    if (base & veteran).any():
        found, unknown = _veteran_groups(book, data, on, base & veteran, held, lookups)
        dues += found
        undetermined |= unknown
    if (base & survivor).any():
        group, unknown = _survivor_group(book, data, on, base & survivor, held, lookups)
        dues.append(group)
        undetermined |= unknown
    count = np.zeros(size, dtype=np.int8)
    for item in dues:
        count += item.due
    several = count > 1
    add_up = engine.read(book, _NAME, on, lambda e: e.flag(GROUPS_ADD_UP, True))
    lookups.add(several, add_up)
    lookups.raise_first()

    result: dict[str, Array] = {
        "eligible": np.where(count > 0, 1, np.where(undetermined, -1, 0)).astype(np.int8),
        **{
            name: np.zeros(size, dtype=np.int64)
            for name in COLUMNAR_OUTPUTS
            if name.endswith("_fen")
        },
    }
    best = np.full(size, -1, dtype=np.int64)  # the highest monthly amount due, in fen
    for item in dues:
        if not item.due.any():
            continue  # its output stays 0
        amounts = [f.value if f.value is not None else None for f in item.figures]
        table_fen, _ = engine.fen_table(amounts, STANDARD, [""] * len(amounts))
        cell = (
            np.zeros(size, dtype=np.intp) if item.cell is None else np.where(item.due, item.cell, 0)
        )
        monthly = np.where(item.due, table_fen.take(cell), 0)
        result[f"{item.group.component}_fen"] = monthly
        best = np.maximum(best, np.where(item.due, monthly, -1))
    if several.any() and add_up.value is False:
        # Only the highest is paid: the first group, in the rule's order, with the highest.
        taken = np.zeros(size, dtype=np.bool_)
        for item in dues:
            name = f"{item.group.component}_fen"
            keep = ~several | (item.due & ~taken & (result[name] == best))
            taken |= several & keep & item.due
            result[name] = np.where(keep, result[name], 0)
    total = np.zeros(size, dtype=np.int64)
    for item in dues:
        total += result[f"{item.group.component}_fen"]
    result["monthly_fen"] = total
    result["amount_fen"] = total * 12
    result["stale"] = lookups.stale()
    return result


RULE = Rule(
    name="living_allowance",
    label_zh="定期生活补助",
    label_en="periodic living allowance",
    subjects=(Veteran, Survivor),
    basis=(ART_62_2024, ART_61_2024, ART_44_2019, ART_53_2019, RURAL_NOTICE),
    decide=decide,
    columnar=ColumnarRule(
        name="living_allowance",
        reads_by_subject=COLUMNAR_READS,
        outputs=COLUMNAR_OUTPUTS,
        evaluate=decide_columns,
    ),
)
