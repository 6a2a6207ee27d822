"""义务兵家庭优待金 — the allowance paid to the family of a conscript while the conscript serves.

The law, in plain words:

* The state runs a family allowance for conscripts (义务兵家庭优待金制度); local governments
  set its standard and central finance pays them a fixed subsidy towards it (《兵役法》(2021)
  第五十条, in force 2021-10-01). While a conscript serves, the county-level government of the
  place that approved the enlistment (批准入伍地县级人民政府) pays the allowance to the family
  (《军人抚恤优待条例》(2024) 第四十二条, in force 2024-10-01). The earlier text, (2019)
  第三十三条, had the family receive the allowance or other benefits from the local government
  (当地人民政府), at a standard not below the local average standard of living.
* **Citations are chosen by the evaluation date**: the regulation's 2024 text from 2024-10-01
  and its 2019 text before (dates before 2019-03-02 included, as the other rules do, since the
  conditions read the same); the statute setting up the system and its local standard is
  《兵役法》(2021) 第五十条 from 2021-10-01, and before that date the 2019 regulation's
  第三十三条 alone (the earlier 兵役法 text is not among the bundled law texts). The switches
  change the citation only, never the outcome.

Conditions, in the order they are checked:

1. **A conscript** (义务兵): ``service.personnel_type`` is ``CONSCRIPT``. Officers and NCOs
   (军士) do not qualify. A conscript who becomes an NCO (选改军士) stops receiving the
   allowance from the switch; the service record has no date for the switch and
   :class:`~veteran_affairs.models.ServingMember` carries a single personnel type, so the type
   recorded decides for every date asked about (a member now recorded as an NCO is not
   eligible even for a date in their conscript years). Decide such past dates on a record
   that says ``CONSCRIPT``.
2. **Serving on the date**: enlisted on or before it (``service.enlisted_on`` ≤ date; the day
   of enlistment counts). A :class:`ServingMember` is never discharged; a discharged member is
   a :class:`~veteran_affairs.models.Veteran`, to whom this rule does not apply. The term of
   conscript service is two years (《兵役法》(2021) 第二十六条); a record still showing a
   conscript after that is decided as recorded.
3. **Alive on the date** (the day of death counts as alive): a conscript who died is no
   longer serving; what the family receives then is a survivors' matter, not this allowance.
4. **The paying county** (informative, always recorded): ``enlisted_from`` truncated to county
   level, named with :func:`veteran_affairs.divisions.name_of` where the bundled data knows
   the code, with the 12-digit code beside it. A unit of a prefecture-level city that has no
   counties (东莞, 中山, 儋州, 嘉峪关: codes like ``441900003000``) truncates to the city
   (``441900000000``), which then acts as the county-level government. The 2019 text says "the
   local government" (当地人民政府); it is read as the government of the place of
   enlistment, as the 2024 text says outright. The model records no residence of the family
   (it usually is the place of enlistment), so there is no alternative reading to switch to.

**The amount** is the annual standard (per conscript per year, not per family member) from the
parameter ``conscript_family_allowance.annual_amount``. No national figure exists and none is
bundled: every eligible decision raises :class:`~veteran_affairs.errors.ParameterMissing`
until the user supplies it with :meth:`~veteran_affairs.rules.RuleBook.with_parameters`, in
one of two shapes (either may also be given as dated versions):

* **a plain amount** (``"12000"``): one standard everywhere in the book's jurisdiction;
* **a table keyed by the 12-digit county code** (``{"450312000000": "12000", ...}``): one
  standard per county. A county the table lacks raises ``ParameterMissing`` naming the
  county; the decision's parameter list shows the county's code as the path of the lookup.

The decision's ``amount`` is the amount for the calendar year of the date, and ``monthly`` is
``None``: the allowance is a yearly sum, paid in instalments the county chooses. The
standard's floor in the 2019 text (not below the local average standard of living) is not
checked: the library has no such figure.

Choice where the law leaves it to local rules, overridable by a flag:

* ``conscript_family_allowance.prorate_by_months`` (default 0, the reading here): whether a
  part year of service is paid in part is a local rule, so the annual standard is given as
  it is, and a reason says so. With the flag at 1, the year of enlistment is prorated by
  months (one common local practice): months from the month of enlistment (counted whole)
  through December, ÷ 12, × the standard, rounded as the parameter says (to the fen); every
  later year is a whole year. :func:`months_in_year` gives the months counted. The flag is
  not in the bundled files: supply it in a TOML parameter file layered with
  ``RuleBook.with_parameters(path)``. The part year at discharge is not decided here: the
  discharged member is a ``Veteran``.

Sanctions: the model of a serving member records none (a conscript expelled from the army is
no longer serving), so none are checked.

Worked example (a test standard of 12,000 yuan a year, not law): a conscript who enlisted from
a township of 临桂区 (450312101000) on 2024-09-10 is eligible on 2025-03-01; the family's
allowance is 12,000 yuan a year, paid by 临桂区 (450312000000). Prorated by months, the
enlistment year 2024 counts 4 months (September to December): 4,000 yuan.

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

from veteran_affairs.divisions import contains_code, name_of
from veteran_affairs.errors import ParameterMissing
from veteran_affairs.identity import DivisionCode, DivisionLevel
from veteran_affairs.models import PersonnelType, ServingMember
from veteran_affairs.parameters import Citation
from veteran_affairs.rules._decision import Decision, Period
from veteran_affairs.rules._engine import ColumnarRule, Evaluation, Rule, RuleBook
from veteran_affairs.statutes import PENSIONS_2024, pair

__all__ = ["RULE", "decide", "decide_columns", "months_in_year", "paying_county"]

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

MILITARY_SERVICE_LAW_2021 = dt.date(2021, 10, 1)
"""《兵役法》(2021) in force (its 第六十五条); the law is not among the statutes' series."""
REGULATION_2024 = PENSIONS_2024.in_force

AMOUNT = "conscript_family_allowance.annual_amount"
PRORATE = "conscript_family_allowance.prorate_by_months"

ART_50_LAW = Citation(
    document="《兵役法》(2021)", article="第五十条", effective=MILITARY_SERVICE_LAW_2021
)
ART_33_2019, ART_42_2024 = pair("pensions.family_allowance").citations
"""The county pays the family: 《军人抚恤优待条例》 2019 第三十三条, 2024 第四十二条 (the
concordance in :mod:`veteran_affairs.statutes`)."""


def paying_county(member: ServingMember) -> DivisionCode:
    """The county-level unit that pays: ``enlisted_from`` truncated to county level.

    A unit of a prefecture-level city without counties truncates to the city itself.

    >>> str(DivisionCode("450312101000").truncate(DivisionLevel.COUNTY))
    '450312000000'
    >>> str(DivisionCode("441900003000").truncate(DivisionLevel.COUNTY))
    '441900000000'
    """
    return member.enlisted_from.truncate(DivisionLevel.COUNTY)


def months_in_year(enlisted_on: dt.date, year: int) -> int:
    """Months of ``year`` served by someone still serving at its end, the first month whole.

    >>> months_in_year(dt.date(2024, 9, 10), 2024), months_in_year(dt.date(2024, 9, 10), 2025)
    (4, 12)
    >>> months_in_year(dt.date(2024, 12, 31), 2024), months_in_year(dt.date(2024, 1, 1), 2023)
    (1, 0)
    """
    if year < enlisted_on.year:
        return 0
    if year > enlisted_on.year:
        return 12
    return 13 - enlisted_on.month


def _county_name(county: DivisionCode) -> tuple[str, str]:
    """The county as text in English and Chinese: its name where bundled, and its code."""
    if contains_code(county):
        name = name_of(county)
        return f"{name} ({county})", f"{name}（{county}）"
    return f"county {county}", f"县级单位{county}"


def _standard(evaluation: Evaluation, county: DivisionCode) -> tuple[Decimal, bool]:
    """The annual standard for ``county``, and whether it came from a table by county."""
    on = evaluation.on
    # Only the shape is read here; evaluation.param enforces staleness on the lookup itself.
    version = evaluation.parameter(AMOUNT).version_on(on, allow_stale=True)
    if not isinstance(version.value, Mapping):
        return evaluation.param(AMOUNT), False
    code = county.value
    if code not in version.value:
        where_en, _ = _county_name(county)
        since = version.effective_from
        dated = "" if since == dt.date.min else f" in force from {since.isoformat()}"
        raise ParameterMissing(
            AMOUNT,
            on.isoformat(),
            f"the table of standards by county{dated} has no entry for {where_en} "
            f"(未提供该县标准; supply it, keyed by the 12-digit county code {code})",
        )
    return evaluation.param(AMOUNT, code), True


def decide(member: ServingMember, evaluation: Evaluation) -> Decision:
    """Whether the family of ``member`` receives the allowance on the date, and how much."""
    on = evaluation.on
    regulation = ART_42_2024 if on >= REGULATION_2024 else ART_33_2019
    system = ART_50_LAW if on >= MILITARY_SERVICE_LAW_2021 else ART_33_2019
    service = member.service
    kind = service.personnel_type
    if kind is PersonnelType.CONSCRIPT:
        kind_en = "a conscript (义务兵)"
        kind_zh = "义务兵"
    elif kind is PersonnelType.NCO:
        kind_en = (
            "an NCO, not a conscript: the allowance stops when a conscript becomes an NCO; "
            "the record has no date for the switch, so the type recorded decides every date"
        )
        kind_zh = (
            "军士，非义务兵：义务兵选改军士后不再发给；记录中无选改日期，按现记录的人员类别认定"
        )
    else:
        kind_en = f"a {kind.value}, not a conscript"
        kind_zh = f"{kind.label_zh}，非义务兵"
    evaluation.check(
        "service.personnel_type",
        kind is PersonnelType.CONSCRIPT,
        f"the member is {kind_en}",
        f"本人为{kind_zh}",
        regulation,
    )
    enlisted = service.enlisted_on
    serving = enlisted <= on
    evaluation.check(
        "service.serving",
        serving,
        f"in active service on the date (enlisted on {enlisted.isoformat()})"
        if serving
        else f"not yet enlisted on the date (enlists on {enlisted.isoformat()})",
        f"当日服现役（{enlisted.isoformat()}入伍）"
        if serving
        else f"当日尚未入伍（{enlisted.isoformat()}入伍）",
        regulation,
    )
    died = member.person.died_on
    alive = died is None or on <= died
    evaluation.check(
        "person.alive",
        alive,
        "alive on the date" if alive else f"died on {died}: no longer serving",
        "在世" if alive else f"已于{died}去世，不再服现役",
        regulation,
    )
    county = paying_county(member)
    where_en, where_zh = _county_name(county)
    if on >= REGULATION_2024:
        payer_en = "the county-level government of the place that approved the enlistment"
        payer_zh = "批准入伍地县级人民政府"
    else:
        payer_en = "the local government (read as that of the place of enlistment)"
        payer_zh = "当地人民政府（按入伍地理解）"
    evaluation.check(
        "paying_county",
        True,
        f"paid by {payer_en}: {where_en}, enlisted from {member.enlisted_from}",
        f"由{payer_zh}发给：{where_zh}，入伍地{member.enlisted_from}",
        regulation,
    )
    if evaluation.outcome is not True:
        return evaluation.decide()

    annual, by_county = _standard(evaluation, county)
    scope_en = f"the standard set for {where_en}" if by_county else "the standard set locally"
    scope_zh = f"{where_zh}的标准" if by_county else "地方规定的标准"
    floor_en = floor_zh = ""
    if on < REGULATION_2024:
        floor_en = " (the 2019 floor, the local average standard of living, is not checked)"
        floor_zh = "（2019年条例所定不低于当地平均生活水平，未核对）"
    evaluation.check(
        "standard",
        True,
        f"{scope_en}: {annual} yuan a year{floor_en}",
        f"{scope_zh}：每年{annual}元{floor_zh}",
        system,
    )
    amount = annual
    if evaluation.flag(PRORATE, False):
        months = months_in_year(enlisted, on.year)
        amount = evaluation.parameter(AMOUNT).round(annual * months / 12)
        evaluation.check(
            "proration",
            True,
            f"prorated by months served in {on.year}: {months}/12 × {annual} = {amount} yuan "
            "(local rule chosen by the flag)",
            f"按{on.year}年服役月数折算：{months}/12×{annual}＝{amount}元（地方规定，由参数选择）",
            system,
        )
    else:
        evaluation.check(
            "proration",
            True,
            "the annual standard, not prorated: payment for part years is a local rule "
            f"(set {PRORATE} to 1 to prorate the year of enlistment by months)",
            f"按年标准发给，不折算：不满一年如何发给由地方规定（参数{PRORATE}设为1则按月折算入伍当年）",
            system,
        )
    evaluation.component("allowance", "义务兵家庭优待金", amount, Period.YEAR)
    return evaluation.decide(amount=amount)


# --- the columnar twin (批量计算) -------------------------------------------------------------

COLUMNAR_READS = ("personnel_type", "enlisted_on", "died_on", "enlisted_from")
COLUMNAR_OUTPUTS: Mapping[str, str] = MappingProxyType(
    {
        "eligible": "int8",
        "amount_fen": "int64",
        "monthly_fen": "int64",
        "allowance_fen": "int64",
        "paying_county": "int64",
        "stale": "bool",
    }
)
_NAME = "conscript_family_allowance"
_COUNTY = 1_000_000  # a 12-digit code's last six digits: below county level


def _standard_reading(county: int) -> Callable[[Evaluation], tuple[Decimal, bool]]:
    return lambda evaluation: _standard(evaluation, DivisionCode(f"{county:012d}"))


def decide_columns(book: RuleBook, data: Mapping[str, Array], on: dt.date) -> dict[str, Array]:
    """The columnar twin of :func:`decide`: every row of ``data`` at once (批量计算).

    Eligibility as :func:`decide` records it (a conscript, serving, alive); the standard is
    read once per paying county (``enlisted_from`` truncated to county level, as
    :func:`paying_county`), with the same lookups and errors, and prorated by
    :func:`months_in_year` where the flag says so (``veteran_affairs.rules.batch`` documents
    the columns and outputs).
    """
    import numpy as np

    from veteran_affairs.rules import _batch_engine as engine

    kind = data["personnel_type"]
    size = len(kind)
    day = np.datetime64(on, "D")
    died = data["died_on"]
    conscript = kind == engine.PERSONNEL_TYPES.index(PersonnelType.CONSCRIPT)
    eligible = conscript & (data["enlisted_on"] <= day) & (engine.is_nat(died) | (died >= day))
    county = np.where(eligible, data["enlisted_from"] // _COUNTY * _COUNTY, 0)
    amount = np.zeros(size, dtype=np.int64)
    lookups = engine.Lookups(size)
    if eligible.any():
        counties, inverse = np.unique(county[eligible], return_inverse=True)
        cell = np.zeros(size, dtype=np.intp)
        cell[eligible] = inverse
        figures = [engine.read(book, _NAME, on, _standard_reading(c)) for c in counties.tolist()]
        lookups.add(eligible, figures, cell)
        prorate = engine.read(book, _NAME, on, lambda e: e.flag(PRORATE, False))
        lookups.add(eligible, prorate)
        lookups.raise_first()
        annual = [figure.value[0] for figure in figures if figure.value is not None]
        months = np.full(size, 12, dtype=np.intp)
        if prorate.value:
            # months_in_year for the year of the date: 13 - the month of enlistment in the
            # year of enlistment, 12 after it (the rows are serving, so never before it).
            enlisted = data["enlisted_on"][eligible]
            this_year = enlisted >= np.datetime64(dt.date(on.year, 1, 1), "D")
            month = enlisted.astype("datetime64[M]").astype(np.int64) % 12 + 1
            months[eligible] = np.where(this_year, 13 - month, 12)
        pairs, position = np.unique(cell[eligible] * 13 + months[eligible], return_inverse=True)
        parameter = book.parameters[AMOUNT]
        amounts: list[Decimal | None] = []
        for pair in pairs.tolist():
            standard, count = annual[pair // 13], pair % 13
            amounts.append(parameter.round(standard * count / 12) if prorate.value else standard)
        fen, wrong = engine.fen_table(amounts, AMOUNT, [""] * len(amounts))
        places = np.zeros(size, dtype=np.intp)
        places[eligible] = position
        fractions = engine.Lookups(size)
        fractions.add(eligible, [engine.Figure(error=error) for error in wrong], places)
        fractions.raise_first()
        amount = np.where(eligible, fen.take(places), 0)
    return {
        "eligible": eligible.astype(np.int8),
        "amount_fen": amount,
        "monthly_fen": np.zeros(size, dtype=np.int64),
        "allowance_fen": amount.copy(),
        "paying_county": county.astype(np.int64),
        "stale": lookups.stale(),
    }


RULE = Rule(
    name="conscript_family_allowance",
    label_zh="义务兵家庭优待金",
    label_en="conscript family allowance",
    subjects=(ServingMember,),
    basis=(ART_50_LAW, ART_42_2024, ART_33_2019),
    decide=decide,
    columnar=ColumnarRule(
        name="conscript_family_allowance",
        reads_by_subject=MappingProxyType({ServingMember: COLUMNAR_READS}),
        outputs=COLUMNAR_OUTPUTS,
        evaluate=decide_columns,
    ),
)
