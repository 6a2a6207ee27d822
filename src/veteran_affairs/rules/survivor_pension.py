"""定期抚恤金 — the periodic pension of the three survivor groups (三属).

The law, in plain words:

* The survivors of a martyr (烈士), of a member who died on duty (因公牺牲) or of one who died
  of illness (病故) draw a periodic pension when they are in need (《军人抚恤优待条例》(2024)
  第十九条; before 2024-10-01 (2019) 第十六条, with the same three conditions):

  - a parent (or the person who raised the member, 抚养人) or the spouse: unable to work and
    without means of support, or living on an income below the local average standard;
  - a child: under 18, or 18 and over and without means of support because still in
    education or disabled;
  - a brother or sister: under 18, or 18 and over and without means of support because still
    in education — in both cases supported by the member while alive.

  "Under 18" means not yet 18 on the date: the 18th birthday is the first day at 18 (someone
  born on 29 February turns 18 on 1 March, :meth:`~veteran_affairs.models.Person.age_on`).
* The county pays from the month it approved the pension (2024 第十九条). The survivor status
  recorded for the person (``Survivor.statuses``: 烈士遗属, 因公牺牲军人遗属 or 病故军人遗属) is
  read as that approval: it must be held in the month of the date (a status beginning on any
  day of that month counts, one that ended before the date does not). The three conditions
  are checked as well: the status alone does not pay.
* The standard is national, per person per year, by the member's death category (parameter
  ``survivor_pension.annual_standard``, keys ``martyr``, ``duty-death``, ``illness-death``;
  2024 第十九条第二款, 2019 第十七条). The monthly payment is the annual standard divided by 12,
  rounded as the parameter says (to the fen). Before 2016-10-01 urban and rural standards
  differed: a user-supplied version may give a category's value as a table keyed by hukou
  type (``{"martyr": {"urban": ..., "rural": ...}}``) and the cell of the survivor's own hukou
  type (``person.hukou_type``) is used; the decision's parameter list shows the path taken.
* Payments stop while a sanction suspends them and end when one cancels them (2024 第五十九条;
  2019 第五十条, which did not cancel on expulsion from the army).
* When a survivor drawing the pension dies, 6 more months of the pension drawn are paid as
  funeral aid (2024 第二十二条; 2019 第十九条). The decision for a date after the death is not
  eligible and names that amount: 6 × the monthly payment at the standard in force on the day
  of death. The day of death itself still counts as alive. If that standard is not known, the
  reason says so instead of failing: the decision itself (not eligible) does not depend on it.
* A decision that is already not eligible does not look the standard up, so it never fails
  for want of a figure; an eligible or undetermined one does, loudly. Likewise an unknown
  circumstance is named as missing only while it could change the outcome: a survivor who
  is not approved, not alive or sanctioned is not asked for more (the decision is undetermined
  exactly when something is missing).

Dates before 2024-10-01 are decided and cited under the 2019 text, as the engine cites its
sanctions article, dates before 2019-03-02 included (the conditions read the same).

Choices where the text is open to reading, each with a flag parameter that overrides it. The
flags are bundled in ``data/jurisdictions/national/national.toml`` with value ``1`` (the reading below) for
every date. Override with ``0`` through
``RuleBook.with_parameters({"survivor_pension.require_approval": "0"})`` and the like:

* ``survivor_pension.require_approval`` — the recorded survivor status is required (1). With
  0 it is only informative and a survivor who meets the conditions is eligible without it.
* ``survivor_pension.low_income_alone_qualifies`` — for parents and spouses, "unable to work
  and without means of support, *or* with an income below the local average" is read as two
  alternatives, so a low income qualifies on its own (1). With 0 the low income counts only
  for someone also unable to work.
* ``survivor_pension.sibling_under_18_needs_support`` — "supported by the member" applies to
  brothers and sisters under 18 too (1). With 0 it applies only to those aged 18 and over.

Not modelled (the model has no fact for it): 2024 第十八条 pays 烈士褒扬金 and the one-off
pension to brothers and sisters only where there is no parent, spouse or child; it is not
applied to the periodic pension, whose own conditions (第十九条(三)) name brothers and sisters
directly. 2024 第二十条 (new in 2024) keeps paying a spouse who remarries and goes on caring for
the member's parents or the brothers and sisters the member supported; remarriage is not
recorded, so a spouse is decided on 第十九条(一) alone. Local top-ups (第二十一条) are outside
this rule.

Worked examples (the national standards; each version's source and grade in
``docs/parameters.md``): from 2019-08-01 烈属 27,980 yuan a year, 2,331.67 a month;
因公牺牲军人遗属 24,040 (2,003.33); 病故军人遗属 22,610 (1,884.17). 烈属 / 因公牺牲 / 病故 from
2016-10-01 21,030 / 18,050 / 16,980; from 2017-10-01 23,130 / 19,860 / 18,680; from
2018-08-01 25,440 / 21,850 / 20,550; from 2021-08-01 33,860 / 29,080 / 27,360; from 2022-08-01
36,910 / 31,410 / 29,280. The 2020-08-01 amounts are not confirmed: the 2019 standard is known
only until 2020-07-31, so a date from 2020-08-01 to 2021-07-31 raises ParameterMissing. The
bundled standard is confirmed through 2023-07-31; a later date raises ParameterOutOfDate
unless the book allows stale figures.

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

from veteran_affairs.errors import ParameterError
from veteran_affairs.models import Circumstances, EntitlementStatus, Relation, Survivor
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision
from veteran_affairs.rules._engine import ColumnarRule, Evaluation, Rule, RuleBook, check_sanctions
from veteran_affairs.statutes import PENSIONS_2019, PENSIONS_2024, FuneralAid, pair

__all__ = ["FUNERAL_AID", "RULE", "decide", "decide_columns"]

if TYPE_CHECKING:
    import numpy.typing as npt

    from veteran_affairs.rules._batch_engine import Lookups as _Lookups

    Array = npt.NDArray[Any]

REGULATION_2024 = PENSIONS_2024.in_force
ART_18_2024 = PENSIONS_2024.article("第十八条")
ART_19_2024 = PENSIONS_2024.article("第十九条")
ART_20_2024 = PENSIONS_2024.article("第二十条")
ART_16_2019 = PENSIONS_2019.article("第十六条")
ART_17_2019 = PENSIONS_2019.article("第十七条")

FUNERAL_AID = FuneralAid(
    benefit="survivor_pension", months=6, grants=pair("pensions.survivor_funeral_aid").citations
)
"""6 more months of the pension drawn are paid after a survivor's death (丧葬补助): 2019 第十九条
(增发6个月), 2024 第二十二条 (继续发放6个月). The rule names the amount; the payment schedule
pays it."""
ART_19_2019, ART_22_2024 = FUNERAL_AID.grants

STANDARD = "survivor_pension.annual_standard"
REQUIRE_APPROVAL = "survivor_pension.require_approval"
LOW_INCOME_ALONE = "survivor_pension.low_income_alone_qualifies"
SIBLING_UNDER_18_SUPPORT = "survivor_pension.sibling_under_18_needs_support"
ADULT_AGE = 18

# A three-valued fact: its value (None: unknown) and the inputs it still waits for.
_Tri = tuple[bool | None, tuple[str, ...]]

_FACTS = {
    "able_to_work": ("able to work", "有劳动能力"),
    "has_means_of_support": ("has means of support", "有生活费来源"),
    "income_below_local_average": (
        "income below the local average standard of living",
        "收入水平低于当地居民平均生活水平",
    ),
    "in_education": ("in education", "在校上学"),
    "disabled": ("disabled", "残疾"),
    "supported_by_deceased": ("supported by the member while alive", "由该军人生前供养"),
}


def _known(value: bool) -> _Tri:
    return value, ()


def _fact(circumstances: Circumstances, name: str, *, negate: bool = False) -> _Tri:
    value: bool | None = getattr(circumstances, name)
    if value is None:
        return None, (f"circumstances.{name}",)
    return (not value if negate else value), ()


def _all(*terms: _Tri) -> _Tri:
    """Kleene conjunction: false if any term is false, unknown if any is unknown."""
    if any(value is False for value, _ in terms):
        return False, ()
    return _combine(terms, done=True)


def _any(*terms: _Tri) -> _Tri:
    """Kleene disjunction: true if any term is true, unknown if any is unknown."""
    if any(value is True for value, _ in terms):
        return True, ()
    return _combine(terms, done=False)


def _combine(terms: tuple[_Tri, ...], *, done: bool) -> _Tri:
    waiting = tuple(
        dict.fromkeys(name for value, names in terms if value is None for name in names)
    )
    return (None, waiting) if waiting else (done, ())


def _record(
    evaluation: Evaluation,
    code: str,
    fact: _Tri,
    message_en: str,
    message_zh: str,
    citation: Citation,
) -> bool | None:
    """Record a condition; when unknown, one more reason per input it waits for.

    The inputs are named as missing only while they could still change the outcome: once
    another condition has failed, they are listed as not needed.
    """
    held, waiting = fact
    needed = evaluation.outcome is not False
    evaluation.check(code, held, message_en, message_zh, citation)
    for name in waiting:
        en, zh = _FACTS[name.removeprefix("circumstances.")]
        evaluation.check(
            f"input.{name}",
            None,
            f"not known whether {en}" + ("" if needed else " (not needed: already not eligible)"),
            f"未知是否{zh}" + ("" if needed else "（已不符合条件，无需补充）"),
            citation,
            missing=name if needed else None,
        )
    return held


def _approval(survivor: Survivor, on: dt.date) -> EntitlementStatus | None:
    """The survivor status held in the month of ``on`` (paid from the month of approval)."""
    wanted = survivor.death_category.survivor_category
    for status in survivor.statuses:
        if status.category is not wanted:
            continue
        started = (status.since.year, status.since.month) <= (on.year, on.month)
        if started and (status.until is None or on <= status.until):
            return status
    return None


def _needs(
    evaluation: Evaluation, survivor: Survivor, citation: Citation, *, age: int
) -> bool | None:
    """Record the condition of the survivor's relation (第十九条 / 2019 第十六条)."""
    facts = survivor.circumstances
    relation = survivor.relation
    under_18 = age < ADULT_AGE
    if relation in (Relation.PARENT, Relation.SPOUSE):
        no_capacity = _all(
            _fact(facts, "able_to_work", negate=True),
            _fact(facts, "has_means_of_support", negate=True),
        )
        low_income = _fact(facts, "income_below_local_average")
        if evaluation.flag(LOW_INCOME_ALONE, True):
            need = _any(no_capacity, low_income)
            en = "unable to work and without means of support, or an income below the local average"
            zh = "无劳动能力且无生活费来源，或收入水平低于当地居民平均生活水平"
        else:
            need = _all(
                _fact(facts, "able_to_work", negate=True),
                _any(_fact(facts, "has_means_of_support", negate=True), low_income),
            )
            en = (
                "unable to work, and without means of support or with an income below the "
                "local average"
            )
            zh = "无劳动能力，且无生活费来源或收入水平低于当地居民平均生活水平"
        return _record(
            evaluation,
            "need.parent_or_spouse",
            need,
            f"{relation.value}: {en}",
            f"{relation.label_zh}：{zh}",
            citation,
        )
    no_means = _fact(facts, "has_means_of_support", negate=True)
    if relation is Relation.CHILD:
        need = _any(
            _known(under_18),
            _all(_any(_fact(facts, "in_education"), _fact(facts, "disabled")), no_means),
        )
        return _record(
            evaluation,
            "need.child",
            need,
            f"child aged {age}: under 18, or without means of support because in education "
            "or disabled",
            f"子女{age}周岁：未满18周岁，或因上学、残疾无生活费来源",
            citation,
        )
    supported = _fact(facts, "supported_by_deceased")
    if evaluation.flag(SIBLING_UNDER_18_SUPPORT, True):
        need = _all(_any(_known(under_18), _all(_fact(facts, "in_education"), no_means)), supported)
        en = "under 18, or without means of support because in education; supported by the member"
        zh = "未满18周岁，或因上学无生活费来源；且由该军人生前供养"
    else:
        need = _any(_known(under_18), _all(_fact(facts, "in_education"), no_means, supported))
        en = (
            "under 18, or without means of support because in education and supported by the member"
        )
        zh = "未满18周岁，或因上学无生活费来源且由该军人生前供养"
    return _record(
        evaluation,
        "need.sibling",
        need,
        f"sibling aged {age}: {en}",
        f"兄弟姐妹{age}周岁：{zh}",
        citation,
    )


def _cell(evaluation: Evaluation, survivor: Survivor, on: dt.date) -> tuple[str, ...]:
    """The path to the survivor's standard: the category, and the hukou type where split."""
    return _path(evaluation, survivor.death_category.value, survivor.person.hukou_type.value, on)


def _path(evaluation: Evaluation, category: str, hukou: str, on: dt.date) -> tuple[str, ...]:
    """The path to the standard of ``category``, and the hukou type where split (both paths)."""
    # Only the shape is read here; evaluation.param enforces staleness on the lookup itself.
    version = evaluation.parameter(STANDARD).version_on(on, allow_stale=True)
    value = version.value
    if isinstance(value, Mapping) and isinstance(value.get(category), Mapping):
        return (category, hukou)
    return (category,)


def _funeral_aid(evaluation: Evaluation, survivor: Survivor, died: dt.date) -> None:
    """Name the 6 months paid as funeral aid after the survivor's death."""
    if died < survivor.deceased_on:
        return
    drawing = _approval(survivor, died) is not None
    citation = FUNERAL_AID.citation(died)
    assert citation is not None  # both texts grant it
    try:
        annual = evaluation.param(STANDARD, *_cell(evaluation, survivor, died), on=died)
    except ParameterError as error:
        amount_en = f"the amount is not known ({error}); supply the standard in force on {died}"
        amount_zh = f"金额未知（{died}适用的标准未确认，请提供）"
    else:
        aid = evaluation.parameter(STANDARD).round(annual / 12) * FUNERAL_AID.months
        amount_en = f"{aid} yuan"
        amount_zh = f"{aid}元"
    if drawing:
        lead_en = f"drew the pension when they died on {died}: "
        lead_zh = f"去世（{died}）时享受定期抚恤金，"
    else:
        lead_en = f"died on {died}; if they drew the pension then, "
        lead_zh = f"于{died}去世；如去世时享受定期抚恤金，"
    evaluation.check(
        "funeral_aid",
        True,
        f"{lead_en}{FUNERAL_AID.months} more months of it are paid as funeral aid: {amount_en}",
        f"{lead_zh}继续发放{FUNERAL_AID.months}个月作为丧葬补助：{amount_zh}",
        citation,
    )


def decide(survivor: Survivor, evaluation: Evaluation) -> Decision:
    """Whether ``survivor`` draws a periodic pension on the evaluation date, and how much."""
    on = evaluation.on
    regime_2024 = on >= REGULATION_2024
    basis = ART_19_2024 if regime_2024 else ART_16_2019
    category = survivor.death_category
    deceased = survivor.deceased_on
    evaluation.check(
        "member.deceased",
        on >= deceased,
        f"the member ({category.label_zh}) died on {deceased}, on or before the date",
        f"{category.label_zh}于{deceased}牺牲/病故，不晚于当日",
        basis,
    )
    person = survivor.person
    approval = _approval(survivor, on)
    required = evaluation.flag(REQUIRE_APPROVAL, True)
    status_zh = category.survivor_category.label_zh
    evaluation.check(
        "approval",
        approval is not None or not required,
        (
            f"approved as {category.survivor_category.value} since {approval.since} "
            "(paid from the month of approval)"
            if approval is not None
            else f"no {category.survivor_category.value} status held in the month of the date"
        )
        + ("" if required else " (informative only: approval not required)"),
        (
            f"已确认为{status_zh}（{approval.since}起，自确认当月起发给）"
            if approval is not None
            else f"当月未持有{status_zh}身份"
        )
        + ("" if required else "（仅供参考：不以确认为条件）"),
        basis,
    )
    died = person.died_on
    born = person.birth_date <= on
    alive = person.alive_on(on)
    evaluation.check(
        "person.alive",
        alive,
        "alive on the date" if alive else ("not yet born" if not born else f"died on {died}"),
        "在世" if alive else ("尚未出生" if not born else f"已于{died}去世"),
    )
    check_sanctions(evaluation, survivor.sanctions)
    _needs(evaluation, survivor, basis, age=person.age_on(on))
    if died is not None and on > died:
        _funeral_aid(evaluation, survivor, died)
        return evaluation.decide(eligible=False)
    eligible = evaluation.outcome
    if eligible is False:
        return evaluation.decide(eligible=False)
    annual = evaluation.param(STANDARD, *_cell(evaluation, survivor, on))
    monthly = evaluation.parameter(STANDARD).round(annual / 12)
    return evaluation.decide(eligible=eligible, amount=annual, monthly=monthly)


# --- the columnar twin (批量计算) -------------------------------------------------------------

COLUMNAR_READS = (
    "relation",
    "death_category",
    "deceased_on",
    "birth_date",
    "died_on",
    "hukou_type",
    "able_to_work",
    "has_means_of_support",
    "income_below_local_average",
    "in_education",
    "disabled",
    "supported_by_deceased",
    "status_category",
    "status_since",
    "status_until",
    "cancelled_from",
    "expelled_from",
    "suspended_from",
    "suspended_until",
)
COLUMNAR_OUTPUTS: Mapping[str, str] = MappingProxyType(
    {"eligible": "int8", "amount_fen": "int64", "monthly_fen": "int64", "stale": "bool"}
)
_NAME = "survivor_pension"


def _standard_reading(category: str, hukou: str) -> Callable[[Evaluation], tuple[Decimal, Decimal]]:
    """The per-subject path's reading of the standard for a category and hukou type."""

    def reading(evaluation: Evaluation) -> tuple[Decimal, Decimal]:
        annual = evaluation.param(STANDARD, *_path(evaluation, category, hukou, evaluation.on))
        return annual, evaluation.parameter(STANDARD).round(annual / 12)

    return reading


def _funeral_reading(category: str, hukou: str) -> Callable[[Evaluation], bool]:
    """The funeral aid's reading of the standard on the day of death (it never fails)."""

    def reading(evaluation: Evaluation) -> bool:
        died = evaluation.on
        try:
            evaluation.param(STANDARD, *_path(evaluation, category, hukou, died), on=died)
        except ParameterError:
            return False
        return True

    return reading


def _needs_columns(
    book: RuleBook, data: Mapping[str, Array], on: dt.date, lookups: _Lookups
) -> Array:
    """The condition of each survivor's relation, three-valued, as :func:`_needs` decides it."""
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    relation = data["relation"]
    codes = engine.RELATIONS
    under_18 = engine.known(data["birth_date"] > engine.cutoff_birth(on, ADULT_AGE))
    able, means, low, education, disabled, supported = (
        engine.tri(data[name])
        for name in (
            "able_to_work",
            "has_means_of_support",
            "income_below_local_average",
            "in_education",
            "disabled",
            "supported_by_deceased",
        )
    )
    no_means = engine.tri_not(means)
    parent_or_spouse = (relation == codes.index(Relation.PARENT)) | (
        relation == codes.index(Relation.SPOUSE)
    )
    low_alone = engine.read(book, _NAME, on, lambda e: e.flag(LOW_INCOME_ALONE, True))
    lookups.add(parent_or_spouse, low_alone)
    if low_alone.value is not False:
        adult = engine.tri_or(engine.tri_and(engine.tri_not(able), no_means), low)
    else:
        adult = engine.tri_and(engine.tri_not(able), engine.tri_or(no_means, low))
    child = engine.tri_or(under_18, engine.tri_and(engine.tri_or(education, disabled), no_means))
    sibling = relation == codes.index(Relation.SIBLING)
    support = engine.read(book, _NAME, on, lambda e: e.flag(SIBLING_UNDER_18_SUPPORT, True))
    lookups.add(sibling, support)
    if support.value is not False:
        brother = engine.tri_and(
            engine.tri_or(under_18, engine.tri_and(education, no_means)), supported
        )
    else:
        brother = engine.tri_or(under_18, engine.tri_and(education, no_means, supported))
    need: Array = np.where(
        parent_or_spouse, adult, np.where(relation == codes.index(Relation.CHILD), child, brother)
    )
    return need


def decide_columns(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The columnar twin of :func:`decide`: every row of ``data`` at once (批量计算).

    The same decision as :func:`decide` for each survivor — eligibility (undetermined where
    an unknown circumstance could still change it), the annual standard and its monthly
    twelfth, errors and staleness, policy flags and the funeral aid's figure included
    (``veteran_affairs.rules.batch`` documents the columns and outputs).
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    size = len(data["deceased_on"])
    day = np.datetime64(on, "D")
    lookups = engine.Lookups(size)
    required = engine.read(book, _NAME, on, lambda e: e.flag(REQUIRE_APPROVAL, True))
    lookups.add(np.ones(size, dtype=np.bool_), required)
    category = data["death_category"]
    wanted = np.array(
        [engine.STATUS_CATEGORIES.index(c.survivor_category) for c in engine.DEATH_CATEGORIES],
        dtype=np.int8,
    ).take(category)
    approved = engine.status_held(data, wanted, on, from_month=True)
    if required.value is False:
        approved = np.ones(size, dtype=np.bool_)  # informative only
    died = data["died_on"]
    alive = (data["birth_date"] <= day) & (engine.is_nat(died) | (died >= day))
    facts = (data["deceased_on"] <= day) & approved & alive & ~engine.payments_stopped(data, on)
    need = _needs_columns(book, data, on, lookups)
    eligible = np.where(
        facts & (need != engine.FALSE), np.where(need == engine.UNKNOWN, -1, 1), 0
    ).astype(np.int8)

    # Undetermined rows read the standard too (the rule's order), paid rows are paid it.
    reading = eligible != 0
    cell = category.astype(np.intp) * len(engine.HUKOU_TYPES) + data["hukou_type"]
    cells = [(c.value, h.value) for c in engine.DEATH_CATEGORIES for h in engine.HUKOU_TYPES]
    amount = monthly = np.zeros(size, dtype=np.int64)
    if reading.any():
        figures = [engine.read(book, _NAME, on, _standard_reading(*pair)) for pair in cells]
        lookups.add(reading, figures, cell)
    if book.allow_stale:
        dead = ~engine.is_nat(died) & (died < day) & (died >= data["deceased_on"])
        if dead.any():
            engine.in_calendar(np.where(dead, died, np.datetime64("NaT", "D")), "died_on")
            parameters = [book.parameters[STANDARD]] if STANDARD in book.parameters else []
            epoch, days = engine.by_day(parameters, died, dead)
            table: list[engine.Figure[Any]] = [engine.Figure()] * (
                (int(epoch[dead].max()) + 1) * len(cells)
            )
            for index, when in days:
                for position, pair in enumerate(cells):
                    table[index * len(cells) + position] = engine.read(
                        book, _NAME, when, _funeral_reading(*pair)
                    )
            lookups.add(dead, table, np.where(dead, epoch * len(cells) + cell, 0))
    lookups.raise_first()
    if reading.any():
        paid = eligible == 1
        annual = [f.value[0] if f.value is not None else None for f in figures]
        annual_fen, wrong = engine.fen_table(annual, STANDARD, ["/".join(p) for p in cells])
        fractions = engine.Lookups(size)
        fractions.add(paid, [engine.Figure(error=error) for error in wrong], cell)
        fractions.raise_first()
        twelfths = [f.value[1] if f.value is not None else None for f in figures]
        monthly_fen, _ = engine.fen_table(twelfths, STANDARD, [""] * len(cells))
        amount = np.where(paid, annual_fen.take(cell), 0)
        monthly = np.where(paid, monthly_fen.take(cell), 0)
    return {
        "eligible": eligible,
        "amount_fen": amount,
        "monthly_fen": monthly,
        "stale": lookups.stale(),
    }


RULE = Rule(
    name="survivor_pension",
    label_zh="烈士遗属、因公牺牲军人遗属、病故军人遗属定期抚恤金",
    label_en="survivors' periodic pension",
    subjects=(Survivor,),
    basis=(
        ART_18_2024,
        ART_19_2024,
        ART_20_2024,
        ART_22_2024,
        ART_16_2019,
        ART_17_2019,
        ART_19_2019,
    ),
    decide=decide,
    columnar=ColumnarRule(
        name="survivor_pension",
        reads_by_subject=MappingProxyType({Survivor: COLUMNAR_READS}),
        outputs=COLUMNAR_OUTPUTS,
        evaluate=decide_columns,
    ),
)
