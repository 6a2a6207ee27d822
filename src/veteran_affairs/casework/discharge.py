"""The discharge transition (退役安置过渡): insurance, training, employment and deadlines.

What happens to a veteran between the discharge order and a settled civilian life, as values
and pure rules:

* **The regime** (:class:`Regime`, :func:`regime_for`) is chosen by the discharge date:
  《退役士兵安置条例》(2011) for discharges from 2011-11-01 to 2024-08-31, 《退役军人安置条例》(2024)
  from 2024-09-01 (2024 第九十三条 repealed the 2011 text); earlier discharges fall under texts
  not in the sources. Every limit of the transition is looked up on the discharge date.
* **Insurance continuation** (保险接续, :class:`InsuranceTransfer`): per veteran and scheme
  (:class:`InsuranceScheme`: pension, medical, occupational annuity, unemployment credit, a
  随军未就业 spouse's pension and medical), a state machine from the discharge order to the
  continued relation. No step skips a state; a transfer may stall (接续受阻) at any step and
  resumes where it stalled. 《军人保险法》(2012) 第五条第三款、第十六条、第二十三条、第三十八条第三款;
  《退役军人保障法》(2021) 第十八条、第五十条; 《退役军人安置条例》(2024) 第八十一条. The law says
  "及时" (promptly) and sets no day count; the one counted step is the medical account, 20 天
  after the voucher (SECONDARY, article NOT CONFIRMED).
* **Training** (教育培训): :func:`training_entitlement` says which free-training rule covers
  an enrolment on a date and how many free trainings it allows (:class:`TrainingEntitlement`);
  :class:`TrainingEnrolment` records one course. Under the 2011 regulation training started
  within 1 year of discharge is paid by the government (2011 第二十一条), one course by the
  2010–2018 national policy (GOV); from 2021-01-01 the 保障法 (第三十六条第二款) and from 2024-09-01
  the 2024 regulation (第六十二至六十五条) give free training with no window, and the number is
  NOT CONFIRMED: it must be supplied.
* **Employment** (就业): :class:`EmploymentRecord` (statuses incl. 公益性岗位 and 复职复工) and
  :class:`EmploymentHistory` (one veteran's records, never overlapping).
* **Deadlines** (时限): :func:`discharge_deadlines` gives the veteran's time limits from the
  discharge (报到 30 日, 兵役登记 40/30 日, the 6-month placement, 上岗 after the letter of
  introduction, 入学复学 2 years) and :func:`insurance_deadlines` those of a transfer, as
  :class:`DischargeDeadline` values wrapping a :class:`~veteran_affairs.casework.deadlines.DueDate`
  with its status; all are counted by the one mechanism of
  :mod:`veteran_affairs.casework.deadlines`, from the limits in ``casework/data/discharge.toml``.

>>> import datetime as dt
>>> from veteran_affairs.identity import ResidentId
>>> from veteran_affairs.models import DischargeMode, PersonnelType
>>> record = DischargeRecord(
...     veteran=ResidentId("450312199801010011"), personnel_type=PersonnelType.CONSCRIPT,
...     discharge_mode=DischargeMode.SELF_EMPLOYMENT, discharged_on=dt.date(2024, 9, 10))
>>> [(d.kind.name, d.due_date.due.isoformat()) for d in discharge_deadlines(LimitBook.bundled(), record)]
[('REPORT', '2024-10-10'), ('REPORT_FORFEITURE', '2024-11-09'), ('MILITARY_REGISTRATION', '2024-10-20')]
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from veteran_affairs._validate import (
    check_order,
    in_range,
    instance_of,
    money_amount,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.casework.deadlines import (
    DeadlineStatus,
    DueDate,
    LimitBook,
    due,
)
from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.errors import (
    IllegalTransition,
    InconsistentRecord,
    InvalidValue,
    ParameterError,
    ParameterMissing,
    ParameterNotInForce,
)
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.models import DischargeMode, PersonnelType, Veteran
from veteran_affairs.models.service import ALLOWED_DISCHARGE_MODES
from veteran_affairs.parameters import (
    Citation,
    Parameter,
    SourceGrade,
    is_plain_value,
    parse_parameters,
    versions_from_user,
)
from veteran_affairs.statutes import PLACEMENT, SOLDIER_PLACEMENT_2011, VETERAN_PLACEMENT_2024

__all__ = [
    "DEFAULT_DEADLINE_KINDS",
    "FUNDED_PATH",
    "REGIME_2011_FROM",
    "REGIME_2024_FROM",
    "STATUTE_TRAINING_FROM",
    "DeadlineKind",
    "DischargeDeadline",
    "DischargeFigures",
    "DischargeRecord",
    "EmploymentHistory",
    "EmploymentRecord",
    "EmploymentStatus",
    "InsuranceScheme",
    "InsuranceStatus",
    "InsuranceStep",
    "InsuranceTransfer",
    "Regime",
    "TrainingBasis",
    "TrainingEnrolment",
    "TrainingEntitlement",
    "TrainingKind",
    "discharge_deadlines",
    "insurance_deadlines",
    "insurance_schemes_for",
    "next_follow_up",
    "regime_for",
    "training_entitlement",
]


def __dir__() -> list[str]:
    return __all__


_ONE_DAY = dt.timedelta(days=1)

REGIME_2011_FROM = SOLDIER_PLACEMENT_2011.in_force
"""《退役士兵安置条例》(2011) in force (its 第五十三条; :mod:`veteran_affairs.statutes`)."""

REGIME_2024_FROM = VETERAN_PLACEMENT_2024.in_force
"""《退役军人安置条例》(2024) in force, the 2011 text repealed (2024 第九十三条)."""

STATUTE_TRAINING_FROM = dt.date(2021, 1, 1)
"""《退役军人保障法》 in force (第八十五条): free training with no window (第三十六条第二款)."""

_SAFEGUARDS = "《中华人民共和国退役军人保障法》"
_INSURANCE_LAW = "《中华人民共和国军人保险法》"
_INSURANCE_LAW_FROM = dt.date(2012, 7, 1)


def _law(article: str) -> Citation:
    return Citation(document=_SAFEGUARDS, article=article, effective=STATUTE_TRAINING_FROM)


def _insurance(article: str) -> Citation:
    return Citation(document=_INSURANCE_LAW, article=article, effective=_INSURANCE_LAW_FROM)


_new = VETERAN_PLACEMENT_2024.article


# --- the regime --------------------------------------------------------------------------------


class Regime(enum.Enum):
    """The placement regulation a discharge falls under, by its date (安置政策适用).

    ``BEFORE_2011``: discharged before 2011-11-01, under texts not in the sources (the 1987
    《退役义务兵安置条例》 and others); the library bundles no limit for it.
    """

    BEFORE_2011 = "before-2011"
    SOLDIERS_2011 = "soldiers-2011"
    VETERANS_2024 = "veterans-2024"

    @property
    def label_zh(self) -> str:
        return {
            "before-2011": "2011年11月1日前退役（未收录）",
            "soldiers-2011": "《退役士兵安置条例》(2011)",
            "veterans-2024": "《退役军人安置条例》(2024)",
        }[self.value]

    @property
    def first_day(self) -> dt.date | None:
        """The first discharge date of the regime (``None``: no lower bound)."""
        return {
            "before-2011": None,
            "soldiers-2011": REGIME_2011_FROM,
            "veterans-2024": REGIME_2024_FROM,
        }[self.value]

    @property
    def last_day(self) -> dt.date | None:
        """The last discharge date of the regime (``None``: still in force)."""
        return {
            "before-2011": REGIME_2011_FROM - _ONE_DAY,
            "soldiers-2011": REGIME_2024_FROM - _ONE_DAY,
            "veterans-2024": None,
        }[self.value]

    @property
    def citation(self) -> Citation | None:
        """The regulation, or ``None`` for discharges before 2011-11-01."""
        return {
            "before-2011": None,
            "soldiers-2011": SOLDIER_PLACEMENT_2011.citation,
            "veterans-2024": VETERAN_PLACEMENT_2024.citation,
        }[self.value]

    def covers(self, discharged_on: dt.date) -> bool:
        """Whether a discharge on ``discharged_on`` falls under this regime."""
        first, last = self.first_day, self.last_day
        return (first is None or first <= discharged_on) and (last is None or discharged_on <= last)


_REGIME_OF_TEXT = {
    SOLDIER_PLACEMENT_2011.key: Regime.SOLDIERS_2011,
    VETERAN_PLACEMENT_2024.key: Regime.VETERANS_2024,
}


def regime_for(discharged_on: dt.date) -> Regime:
    """The regime of a discharge on ``discharged_on`` (by the discharge date, not today's).

    >>> regime_for(dt.date(2024, 8, 31)).name, regime_for(dt.date(2024, 9, 1)).name
    ('SOLDIERS_2011', 'VETERANS_2024')
    """
    text = PLACEMENT.in_force(discharged_on)
    return Regime.BEFORE_2011 if text is None else _REGIME_OF_TEXT[text.key]


# --- figures (not time limits) -------------------------------------------------------------------

_DATA_FILE = "discharge.toml"


def _figures_from(document: Mapping[str, Any], source: str) -> dict[str, Parameter]:
    return parse_parameters({"parameter": document.get("figure", ())}, source=source)


@functools.cache
def _bundled_figures() -> Mapping[str, Parameter]:
    entry = resources.files("veteran_affairs") / "casework" / "data" / _DATA_FILE
    document = tomllib.loads(entry.read_text(encoding="utf-8"))
    return MappingProxyType(_figures_from(document, _DATA_FILE))


def _frozen(figures: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    return MappingProxyType(dict(figures))


def _whole_number(key: str, value: Decimal) -> int:
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        raise InvalidValue(key, str(value), "must be a whole number ≥ 0", "应为非负整数")
    return int(value)


@attrs.frozen(kw_only=True, repr=False)
class DischargeFigures:
    """The figures of the transition that are not time limits (过渡期其他参数), by key.

    The ``[[figure]]`` tables of ``casework/data/discharge.toml``: the numbers of free
    trainings. A figure without a value raises
    :class:`~veteran_affairs.errors.ParameterMissing` until supplied with :meth:`with_values`.

    >>> figures = DischargeFigures.bundled()
    >>> figures.count_on("discharge.training_free_uses_2011_window", dt.date(2015, 3, 1))[0]
    1
    >>> figures.with_values({"discharge.training_free_uses_statute": 2}).count_on(
    ...     "discharge.training_free_uses_statute", dt.date(2025, 1, 1))[0]
    2
    """

    figures: Mapping[str, Parameter] = attrs.field(converter=_frozen, eq=False)

    def __repr__(self) -> str:
        return f"<DischargeFigures: {len(self.figures)} figures>"

    @classmethod
    def bundled(cls) -> DischargeFigures:
        """The figures of the library's ``casework/data/discharge.toml``."""
        return cls(figures=_bundled_figures())

    @classmethod
    def load(cls, path: str | Path) -> DischargeFigures:
        """The ``[[figure]]`` tables of a TOML file of the bundled format."""
        path = Path(path)
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise InvalidValue(
                str(path), str(error), "not a valid TOML figure file", "参数文件格式错误"
            ) from None
        return cls(figures=_figures_from(document, path.name))

    def keys(self) -> tuple[str, ...]:
        """The keys of the figures, sorted."""
        return tuple(sorted(self.figures))

    def figure(self, key: str) -> Parameter:
        """The figure called ``key`` (raises :class:`ParameterMissing` if there is none)."""
        try:
            return self.figures[key]
        except KeyError:
            raise ParameterMissing(key, "any date", "no such figure (无此参数)") from None

    def with_values(self, values: Mapping[str, Any]) -> DischargeFigures:
        """A copy with figures supplied or overridden by the user (使用者提供).

        A plain value replaces the figure's history (in force from the beginning of time); a
        version ``{"effective_from": …, "value": …, "citation": …}`` or a list of them is
        merged into it, as :meth:`~veteran_affairs.casework.deadlines.LimitBook.with_values`
        does for limits.
        """
        changed = dict(self.figures)
        for key, raw in values.items():
            figure = self.figure(key)
            versions = versions_from_user(key, raw)
            for version in versions:
                if not isinstance(version.value, Decimal):
                    raise InvalidValue(key, "a table", "must be one number", "应为单个数值")
                _whole_number(key, version.value)
            if is_plain_value(raw):
                changed[key] = attrs.evolve(
                    figure, versions=tuple(versions), confirmed_through=None
                )
            else:
                changed[key] = figure.with_versions(versions, confirmed_through=None)
        return DischargeFigures(figures=changed)

    def count_on(self, key: str, on: dt.date) -> tuple[int, Citation]:
        """The whole number in force on ``on`` and its citation.

        Raises:
            ParameterMissing: no value is known (supply it), or the key is unknown.
            ParameterNotInForce: ``on`` is before the first version.
        """
        figure = self.figure(key)
        try:
            value, version = figure.value_on(on)
        except ParameterMissing as missing:
            if not figure.supply or figure.supply in missing.detail:
                raise
            raise ParameterMissing(key, missing.on, f"{missing.detail}; {figure.supply}") from None
        return _whole_number(key, value), version.citation


def _not_in_force_is_missing(key: str, supply: str, error: ParameterNotInForce) -> ParameterMissing:
    hint = f"; {supply}" if supply else ""
    return ParameterMissing(
        key,
        error.on,
        f"{error.detail}; no value is known for earlier dates (supply it){hint}",
    )


# --- insurance continuation ----------------------------------------------------------------------


class InsuranceStatus(enum.Enum):
    """A step of an insurance transfer (保险关系转移接续环节).

    The order (CASEWORK.md §3.3, from the procedure pages, SECONDARY): the army's finance
    department computes the subsidy once (一次算清), remits the funds by bank to the placement
    area's agency, hands the vouchers (and the remittance receipt) to the veteran and sends
    them to the agency; the agency receives them, opens (or continues) the personal account,
    and the relation is continued. No application by the veteran is needed (GOV, Guangdong).
    """

    ORDER_ISSUED = "order-issued"
    SUBSIDY_COMPUTED = "subsidy-computed"
    FUNDS_REMITTED = "funds-remitted"
    VOUCHERS_ISSUED = "vouchers-issued"
    RECEIVED_BY_AGENCY = "received-by-agency"
    ACCOUNT_OPENED = "account-opened"
    CONTINUED = "continued"
    STALLED = "stalled"

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]


_STATUS_ZH = {
    InsuranceStatus.ORDER_ISSUED: "退役命令下达",
    InsuranceStatus.SUBSIDY_COMPUTED: "保险补助计算",
    InsuranceStatus.FUNDS_REMITTED: "资金划转",
    InsuranceStatus.VOUCHERS_ISSUED: "转移凭证交付",
    InsuranceStatus.RECEIVED_BY_AGENCY: "经办机构接收",
    InsuranceStatus.ACCOUNT_OPENED: "建立（续接）个人账户",
    InsuranceStatus.CONTINUED: "接续完成",
    InsuranceStatus.STALLED: "接续受阻",
}

FUNDED_PATH: tuple[InsuranceStatus, ...] = (
    InsuranceStatus.ORDER_ISSUED,
    InsuranceStatus.SUBSIDY_COMPUTED,
    InsuranceStatus.FUNDS_REMITTED,
    InsuranceStatus.VOUCHERS_ISSUED,
    InsuranceStatus.RECEIVED_BY_AGENCY,
    InsuranceStatus.ACCOUNT_OPENED,
    InsuranceStatus.CONTINUED,
)
"""The steps of a scheme whose funds move (pension, medical, annuity, a spouse's schemes)."""

_CREDIT_PATH: tuple[InsuranceStatus, ...] = (
    InsuranceStatus.ORDER_ISSUED,
    InsuranceStatus.RECEIVED_BY_AGENCY,
    InsuranceStatus.CONTINUED,
)


class InsuranceScheme(enum.Enum):
    """An insurance relation continued on discharge (险种).

    * ``PENSION``: 军人退役养老保险 into the basic pension insurance; service years are merged
      with contribution years (《军人保险法》第十五至十七条, 第十六条第二款).
    * ``MEDICAL``: 军人退役医疗保险 into the basic medical insurance; service years count as
      contribution years (第二十二、二十三条).
    * ``OCCUPATIONAL_ANNUITY``: 军人职业年金, for veterans placed in 机关事业单位
      (后财〔2015〕1727号, REPOST; its cut-over at 2014-10-01 is NOT CONFIRMED for all).
    * ``UNEMPLOYMENT``: no funds move; service years are deemed unemployment-insurance years
      (《军人保险法》第四十九条; 2011 第四十八条; 2024 第八十五条, not for those retired or supported).
    * ``SPOUSE_PENSION``, ``SPOUSE_MEDICAL``: a 随军未就业 spouse's insurance, transferred when
      the spouse finds work or the soldier leaves, years merged (《军人保险法》第二十七条;
      《退役军人保障法》第十八条).
    """

    PENSION = "pension"
    MEDICAL = "medical"
    OCCUPATIONAL_ANNUITY = "occupational-annuity"
    UNEMPLOYMENT = "unemployment"
    SPOUSE_PENSION = "spouse-pension"
    SPOUSE_MEDICAL = "spouse-medical"

    @property
    def label_zh(self) -> str:
        return {
            "pension": "养老保险",
            "medical": "医疗保险",
            "occupational-annuity": "职业年金",
            "unemployment": "失业保险（服役年限视同缴费年限）",
            "spouse-pension": "随军未就业配偶养老保险",
            "spouse-medical": "随军未就业配偶医疗保险",
        }[self.value]

    @property
    def path(self) -> tuple[InsuranceStatus, ...]:
        """The steps of this scheme in order (``STALLED`` may come between any two)."""
        return _CREDIT_PATH if self is InsuranceScheme.UNEMPLOYMENT else FUNDED_PATH

    @property
    def funded(self) -> bool:
        """Whether funds move (and a subsidy amount is computed)."""
        return InsuranceStatus.FUNDS_REMITTED in self.path

    @property
    def basis(self) -> Citation:
        """The article that carries the scheme's transfer or credit."""
        if self is InsuranceScheme.OCCUPATIONAL_ANNUITY:
            return Citation(
                document="notice on the military occupational annuity (军人职业年金)",
                number="后财〔2015〕1727号",
                grade=SourceGrade.REPOST,
                url="http://m.yl.bendibao.com/live/1155.shtm",
                note="number from a 榆林本地宝 notice; title not checked; for veterans placed "
                "in 机关事业单位 with a discharge order from 2014-10-01 (NOT CONFIRMED for all)",
            )
        return {
            InsuranceScheme.PENSION: _insurance("第十六条"),
            InsuranceScheme.MEDICAL: _insurance("第二十三条"),
            InsuranceScheme.UNEMPLOYMENT: _insurance("第四十九条"),
            InsuranceScheme.SPOUSE_PENSION: _insurance("第二十七条"),
            InsuranceScheme.SPOUSE_MEDICAL: _insurance("第二十七条"),
        }[self]


def insurance_schemes_for(mode: DischargeMode) -> frozenset[InsuranceScheme]:
    """The veteran's own schemes that a discharge in ``mode`` continues (本人须接续的险种).

    Retirement (退休) is outside the transfer: retired officers and NCOs are covered where
    they settle at the level of retired civil servants (《退役军人安置条例》(2024) 第八十四条;
    《军人保险法》第十九条). Those supported (供养) get no unemployment credit (2024 第八十五条).
    The occupational annuity (placement in 机关事业单位) and a spouse's schemes depend on facts
    the discharge mode does not tell; add them as needed.

    >>> sorted(s.value for s in insurance_schemes_for(DischargeMode.SUPPORT))
    ['medical', 'pension']
    """
    if mode is DischargeMode.RETIREMENT:
        return frozenset()
    if mode is DischargeMode.SUPPORT:
        return frozenset({InsuranceScheme.PENSION, InsuranceScheme.MEDICAL})
    return frozenset(
        {InsuranceScheme.PENSION, InsuranceScheme.MEDICAL, InsuranceScheme.UNEMPLOYMENT}
    )


@attrs.frozen(kw_only=True)
class InsuranceStep:
    """One dated step of a transfer (the first has no ``from_status``)."""

    to_status: InsuranceStatus = attrs.field(validator=instance_of(InsuranceStatus))
    on: dt.date = attrs.field(validator=past_date)
    from_status: InsuranceStatus | None = attrs.field(
        default=None, validator=optional(instance_of(InsuranceStatus))
    )
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))


def _allowed_after(
    scheme: InsuranceScheme, current: InsuranceStatus, stalled_at: InsuranceStatus | None
) -> frozenset[InsuranceStatus]:
    """The states a transfer may move to from ``current``."""
    if current is InsuranceStatus.STALLED:
        assert stalled_at is not None
        return frozenset({stalled_at})
    path = scheme.path
    index = path.index(current)
    if index == len(path) - 1:
        return frozenset()
    return frozenset({path[index + 1], InsuranceStatus.STALLED})


def _walk(
    entity: str, scheme: InsuranceScheme, history: tuple[InsuranceStep, ...]
) -> InsuranceStatus | None:
    """Check ``history`` step by step; the state a stall resumes to (if stalled now)."""
    if not history:
        raise InconsistentRecord(
            "history", "()", "a transfer starts with the discharge order", "缺少退役命令记录"
        )
    first = history[0]
    if first.from_status is not None or first.to_status is not InsuranceStatus.ORDER_ISSUED:
        raise IllegalTransition(
            entity,
            str(first.from_status and first.from_status.value),
            first.to_status.value,
            "a transfer begins with the discharge order",
        )
    stalled_at: InsuranceStatus | None = None
    for index, (before, step) in enumerate(itertools.pairwise(history), start=1):
        if step.from_status is not before.to_status:
            raise InconsistentRecord(
                f"history[{index}].from_status",
                str(step.from_status and step.from_status.value),
                f"must continue from {before.to_status.value}",
                "状态记录不连续",
            )
        current = before.to_status
        if step.to_status not in _allowed_after(scheme, current, stalled_at):
            raise IllegalTransition(entity, current.value, step.to_status.value, _why(scheme))
        if step.on < before.on:
            raise InconsistentRecord(
                f"history[{index}].on",
                step.on.isoformat(),
                f"a step cannot be dated before the previous one ({before.on.isoformat()})",
                "办理日期早于上一步",
            )
        if step.to_status is InsuranceStatus.STALLED:
            stalled_at = current
        elif current is InsuranceStatus.STALLED:
            stalled_at = None
    return stalled_at


def _why(scheme: InsuranceScheme) -> str:
    names = " → ".join(s.value for s in scheme.path)
    return f"the steps of {scheme.value} are {names}, none skipped; a stalled transfer resumes where it stalled"


@attrs.frozen(kw_only=True, repr=False)
class InsuranceTransfer:
    """The continuation of one insurance relation of one veteran (保险关系转移接续).

    Invariants: the history starts with the discharge order and every step is allowed (the
    next state of the scheme's path, a stall, or the resumption of a stall at the state it
    stalled in), dated no earlier than the one before; an ``amount`` (the subsidy or funds
    transferred, 元) only for a funded scheme once the subsidy is computed; an
    ``application_on`` (the veteran's transfer-in application, a local procedure) only for the
    pension schemes and not before the order.

    ``repr()`` shows the masked number and no dates.

    >>> t = InsuranceTransfer.start(veteran=ResidentId("450312199801010011"),
    ...     scheme=InsuranceScheme.MEDICAL, on=dt.date(2024, 9, 10))
    >>> t = t.advance(on=dt.date(2024, 9, 12)).advance(on=dt.date(2024, 9, 20))
    >>> t.status.label_zh
    '资金划转'
    >>> t.stall(on=dt.date(2024, 10, 8), note="voucher lost").resume(on=dt.date(2024, 10, 20)).status.name
    'FUNDS_REMITTED'
    """

    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    scheme: InsuranceScheme = attrs.field(validator=instance_of(InsuranceScheme))
    history: tuple[InsuranceStep, ...] = attrs.field(validator=tuple_of(InsuranceStep))
    destination: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )
    amount: Decimal | None = attrs.field(default=None, validator=optional(money_amount))
    application_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    _stalled_at: InsuranceStatus | None = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_stalled_at", _walk(self._entity, self.scheme, self.history))
        if self.amount is not None and not (
            self.scheme.funded and self.reached(InsuranceStatus.SUBSIDY_COMPUTED)
        ):
            raise InconsistentRecord(
                "amount/history",
                str(self.amount),
                "an amount goes with a funded scheme once the subsidy is computed",
                "仅在计算保险补助后记录金额",
            )
        if self.application_on is not None:
            if self.scheme not in (InsuranceScheme.PENSION, InsuranceScheme.SPOUSE_PENSION):
                raise InconsistentRecord(
                    "application_on/scheme",
                    self.scheme.value,
                    "a transfer-in application is recorded for the pension schemes only",
                    "转移接续申请仅适用于养老保险",
                )
            if self.application_on < self.history[0].on:
                raise InconsistentRecord(
                    "application_on/history[0].on",
                    self.application_on.isoformat(),
                    "the application cannot precede the discharge order",
                    "申请日期早于退役命令",
                )

    @property
    def _entity(self) -> str:
        return f"{self.scheme.value} transfer of {self.veteran.masked}"

    def __repr__(self) -> str:
        return (
            f"InsuranceTransfer(veteran={self.veteran!r}, scheme={self.scheme.name}, "
            f"status={self.status.name}, steps={len(self.history)})"
        )

    # --- reading -------------------------------------------------------------------------

    @property
    def status(self) -> InsuranceStatus:
        return self.history[-1].to_status

    @property
    def stalled_at(self) -> InsuranceStatus | None:
        """The state a stalled transfer stalled in (and resumes to); ``None`` if not stalled."""
        return self._stalled_at

    @property
    def continued(self) -> bool:
        """Whether the relation is continued (the final state)."""
        return self.status is InsuranceStatus.CONTINUED

    @property
    def allowed(self) -> frozenset[InsuranceStatus]:
        """The states the next step may go to."""
        return _allowed_after(self.scheme, self.status, self._stalled_at)

    def reached(self, status: InsuranceStatus) -> bool:
        """Whether the history has been in ``status``."""
        return any(step.to_status is status for step in self.history)

    def reached_on(self, status: InsuranceStatus) -> dt.date | None:
        """The first day the transfer entered ``status`` (``None`` if never)."""
        return next((step.on for step in self.history if step.to_status is status), None)

    def status_on(self, on: dt.date) -> InsuranceStatus | None:
        """The state on ``on`` (``None`` before the order)."""
        current = None
        for step in self.history:
            if step.on > on:
                break
            current = step.to_status
        return current

    # --- steps ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        *,
        veteran: ResidentId,
        scheme: InsuranceScheme,
        on: dt.date,
        destination: DivisionCode | None = None,
        note: str | None = None,
    ) -> InsuranceTransfer:
        """A transfer opened by the discharge order (退役命令) dated ``on``."""
        return cls(
            veteran=veteran,
            scheme=scheme,
            destination=destination,
            history=(InsuranceStep(to_status=InsuranceStatus.ORDER_ISSUED, on=on, note=note),),
        )

    def to(
        self,
        status: InsuranceStatus,
        *,
        on: dt.date,
        note: str | None = None,
        amount: Decimal | None = None,
    ) -> InsuranceTransfer:
        """One step to ``status``; raises :class:`IllegalTransition` if it is not allowed.

        ``amount`` (元) may be given with the subsidy computation or a later funded step.
        """
        current = self.status
        if status not in self.allowed:
            raise IllegalTransition(self._entity, current.value, status.value, _why(self.scheme))
        step = InsuranceStep(from_status=current, to_status=status, on=on, note=note)
        return attrs.evolve(
            self,
            history=(*self.history, step),
            amount=self.amount if amount is None else amount,
        )

    def advance(
        self, *, on: dt.date, note: str | None = None, amount: Decimal | None = None
    ) -> InsuranceTransfer:
        """The next step of the scheme's path (after a stall: resume first)."""
        current = self.status
        path = self.scheme.path
        if current is InsuranceStatus.STALLED or current is path[-1]:
            raise IllegalTransition(
                self._entity,
                current.value,
                "next",
                "a stalled transfer resumes first" if current is InsuranceStatus.STALLED else "",
            )
        return self.to(path[path.index(current) + 1], on=on, note=note, amount=amount)

    def stall(self, *, on: dt.date, note: str | None = None) -> InsuranceTransfer:
        """The transfer is stuck (接续受阻): funds missing, voucher lost, agency refusing…"""
        return self.to(InsuranceStatus.STALLED, on=on, note=note)

    def resume(self, *, on: dt.date, note: str | None = None) -> InsuranceTransfer:
        """A stalled transfer goes on from the state it stalled in."""
        if self._stalled_at is None:
            raise IllegalTransition(
                self._entity, self.status.value, "resume", "only a stalled transfer resumes"
            )
        return self.to(self._stalled_at, on=on, note=note)

    def applied(self, *, on: dt.date) -> InsuranceTransfer:
        """Record the veteran's transfer-in application (转移接续申请, a local procedure)."""
        return attrs.evolve(self, application_on=on)


# --- training ------------------------------------------------------------------------------------


class TrainingKind(enum.Enum):
    """Kinds of training and study after discharge (教育培训类别).

    Only vocational education and skills training count against the free trainings
    (2011 第二十一条; 《退役军人保障法》第三十六条第二款).
    """

    ADAPTIVE = "adaptive"  # 适应性培训, 2024 第六十二条
    VOCATIONAL_EDUCATION = "vocational-education"  # 职业教育
    SKILLS = "skills"  # 职业技能培训
    ACADEMIC = "academic"  # 学历教育（学历提升）, 保障法 第三十二、三十四条
    SPECIALIST = "specialist"  # 专业培训 / 专项学习培训, 2024 第六十二条第二款、第六十三条

    @property
    def label_zh(self) -> str:
        return {
            "adaptive": "适应性培训",
            "vocational-education": "职业教育",
            "skills": "职业技能培训",
            "academic": "学历教育",
            "specialist": "专业培训",
        }[self.value]

    @property
    def counted(self) -> bool:
        """Whether a free course of this kind counts against the free trainings."""
        return self in (TrainingKind.VOCATIONAL_EDUCATION, TrainingKind.SKILLS)


@attrs.frozen(kw_only=True, repr=False)
class TrainingEnrolment:
    """One course a veteran enrolled in (参加培训记录).

    ``free`` says the government bore the cost (免费); ``certified`` that the veteran passed
    and received the certificate (保障法 第三十六条第二款; 2011 第二十一条). Invariants: completed
    no earlier than enrolled; a certificate only once completed. ``repr()`` shows no dates.
    """

    enrolment_id: str = attrs.field(validator=text(max_length=64))
    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    unit: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )  # the office handling the veteran (安置地退役军人事务部门): a store scopes by it
    kind: TrainingKind = attrs.field(validator=instance_of(TrainingKind))
    enrolled_on: dt.date = attrs.field(validator=past_date)
    free: bool = attrs.field(default=True, validator=instance_of(bool))
    provider: str | None = attrs.field(default=None, validator=optional(text(max_length=200)))
    completed_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    certified: bool = attrs.field(default=False, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        check_order(self, "enrolled_on", "completed_on")
        if self.certified and self.completed_on is None:
            raise InconsistentRecord(
                "certified/completed_on",
                "True/None",
                "a certificate comes with completion",
                "未结业不能取得证书",
            )

    def __repr__(self) -> str:
        return (
            f"TrainingEnrolment(enrolment_id={self.enrolment_id!r}, veteran={self.veteran!r}, "
            f"kind={self.kind.name}, free={self.free}, completed={self.completed_on is not None})"
        )


class TrainingBasis(enum.Enum):
    """Which rule makes a training free (免费培训依据).

    * ``WINDOW_2011``: started within 1 year of a 2011-regime discharge, paid by the
      government (2011 第二十一条); one course under the 2010–2018 national policy (GOV).
    * ``POLICY_2011``: later, before 2021: 「按照国家相关政策执行」 (2011 第二十一条); the 2018
      《意见》 opened free training to any time (REPOST); the number is NOT FOUND.
    * ``STATUTE``: from 2021-01-01 (and for every 2024-regime discharge): free vocational
      education and skills training with no window (保障法 第三十六条第二款; 2024
      第六十二至六十五条); the number is NOT CONFIRMED.
    """

    WINDOW_2011 = "window-2011"
    POLICY_2011 = "policy-2011"
    STATUTE = "statute"

    @property
    def label_zh(self) -> str:
        return {
            "window-2011": "退役1年内政府承担费用（2011年条例）",
            "policy-2011": "退役1年后按国家相关政策",
            "statute": "保障法及2024年条例免费培训",
        }[self.value]

    @property
    def figure(self) -> str:
        """The key of the figure with its number of free trainings."""
        return {
            "window-2011": "discharge.training_free_uses_2011_window",
            "policy-2011": "discharge.training_free_uses_after_window",
            "statute": "discharge.training_free_uses_statute",
        }[self.value]


_TRAINING_WINDOW = "discharge.training_free_window_2011"


@attrs.frozen(kw_only=True, repr=False)
class TrainingEntitlement:
    """A veteran's free trainings under one rule (免费培训资格), and those used.

    Attributes:
        veteran: whose.
        regime: the regime of the discharge.
        basis: the rule (:class:`TrainingBasis`).
        opens_on, closes_on: the days a course must start within (``closes_on`` ``None``:
            no window).
        max_free_uses: how many free courses the rule allows.
        citation: where the number comes from.
        used: the free courses charged to it (vocational education or skills training).

    Invariants: every used course is this veteran's, free, of a counted kind, started within
    the window; never more than ``max_free_uses`` (:meth:`use` refuses one more with
    :class:`~veteran_affairs.errors.InconsistentRecord`). ``repr()`` shows no dates.
    """

    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    regime: Regime = attrs.field(validator=instance_of(Regime))
    basis: TrainingBasis = attrs.field(validator=instance_of(TrainingBasis))
    opens_on: dt.date = attrs.field(validator=instance_of(dt.date))
    closes_on: dt.date | None = attrs.field(validator=optional(instance_of(dt.date)))
    max_free_uses: int = attrs.field(validator=in_range(0, 1000))
    citation: Citation = attrs.field(validator=instance_of(Citation))
    used: tuple[TrainingEnrolment, ...] = attrs.field(
        default=(), validator=tuple_of(TrainingEnrolment)
    )

    def __attrs_post_init__(self) -> None:
        check_order(self, "opens_on", "closes_on")
        for index, course in enumerate(self.used):
            self._check_course(course, f"used[{index}]")
        if len(self.used) > self.max_free_uses:
            raise InconsistentRecord(
                "used/max_free_uses",
                f"{len(self.used)}/{self.max_free_uses}",
                "more free trainings used than the rule allows",
                "已用免费培训次数超过规定",
            )
        ids = [course.enrolment_id for course in self.used]
        if len(set(ids)) != len(ids):
            raise InconsistentRecord(
                "used", f"{len(ids)} courses", "a course is charged twice", "同一培训重复计次"
            )

    def _check_course(self, course: TrainingEnrolment, where: str) -> None:
        if course.veteran != self.veteran:
            raise InconsistentRecord(
                f"{where}.veteran", course.veteran.masked, "another veteran's course", "非本人培训"
            )
        if not (course.free and course.kind.counted):
            raise InconsistentRecord(
                f"{where}.kind/free",
                f"{course.kind.value}/{course.free}",
                "only free vocational education or skills training is counted",
                "仅免费职业教育、技能培训计次",
            )
        if not self.covers(course.enrolled_on):
            raise InconsistentRecord(
                f"{where}.enrolled_on",
                course.enrolled_on.isoformat(),
                "the course starts outside the rule's window",
                "培训开始日期不在免费期限内",
            )

    def __repr__(self) -> str:
        return (
            f"TrainingEntitlement(veteran={self.veteran!r}, regime={self.regime.name}, "
            f"basis={self.basis.name}, used={len(self.used)}, "
            f"max_free_uses={self.max_free_uses})"
        )

    @property
    def remaining(self) -> int:
        """Free courses left."""
        return self.max_free_uses - len(self.used)

    def covers(self, day: dt.date) -> bool:
        """Whether a course starting on ``day`` falls within the window."""
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def use(self, course: TrainingEnrolment) -> TrainingEntitlement:
        """Charge a free course; raises :class:`InconsistentRecord` when none is left."""
        self._check_course(course, "course")
        if self.remaining <= 0:
            raise InconsistentRecord(
                "used/max_free_uses",
                f"{len(self.used) + 1}/{self.max_free_uses}",
                "no free training is left under this rule",
                "免费培训次数已用完",
            )
        return attrs.evolve(self, used=(*self.used, course))


def training_entitlement(
    limits: LimitBook,
    figures: DischargeFigures,
    *,
    veteran: ResidentId,
    discharged_on: dt.date,
    on: dt.date,
    calendar: WorkCalendar | None = None,
) -> TrainingEntitlement:
    """The free-training rule that covers a course starting on ``on`` (免费培训资格).

    * A 2011-regime discharge, ``on`` within ``discharge.training_free_window_2011`` (12
      months, 2011 第二十一条; the last day rolls to a working day with ``calendar``):
      :attr:`TrainingBasis.WINDOW_2011`, ``discharge.training_free_uses_2011_window`` courses.
    * Otherwise, ``on`` from 2021-01-01: :attr:`TrainingBasis.STATUTE`, no window, opening on
      the later of the discharge, the day after a 2011 window and 2021-01-01;
      ``discharge.training_free_uses_statute`` courses (NOT CONFIRMED: supply it).
    * Otherwise (a 2011-regime discharge, after the window, before 2021):
      :attr:`TrainingBasis.POLICY_2011` to 2020-12-31, ``discharge.training_free_uses_after_window``
      (NOT FOUND: supply it).

    A discharge before 2011-11-01 with a course before 2021 has no bundled rule: the window
    and the number raise :class:`~veteran_affairs.errors.ParameterMissing` until versions for
    such discharges are supplied.

    Raises:
        InvalidValue: ``on`` is before the discharge.
        ParameterMissing: the window or the number is not known: supply it with
            ``LimitBook.with_values`` or :meth:`DischargeFigures.with_values`.

    >>> rid = ResidentId("450312199801010011")
    >>> e = training_entitlement(LimitBook.bundled(), DischargeFigures.bundled(), veteran=rid,
    ...     discharged_on=dt.date(2019, 9, 5), on=dt.date(2020, 3, 2))
    >>> e.basis.name, e.closes_on, e.max_free_uses
    ('WINDOW_2011', datetime.date(2020, 9, 5), 1)
    """
    if on < discharged_on:
        raise InvalidValue(
            "on", on.isoformat(), "a course cannot start before the discharge", "培训早于退役"
        )
    regime = regime_for(discharged_on)
    opens_on = discharged_on
    if regime is Regime.SOLDIERS_2011 or (
        regime is Regime.BEFORE_2011 and on < STATUTE_TRAINING_FROM
    ):
        # Before 2011-11-01 the window and the number are not in force: ParameterMissing,
        # until the user supplies versions for earlier discharges.
        window_end = _counted(
            limits, _TRAINING_WINDOW, discharged_on, on=discharged_on, calendar=calendar
        ).due
        if on <= window_end:
            return _entitled(
                figures, veteran, regime, TrainingBasis.WINDOW_2011, discharged_on, window_end
            )
        opens_on = window_end + _ONE_DAY
        if on < STATUTE_TRAINING_FROM:
            return _entitled(
                figures,
                veteran,
                regime,
                TrainingBasis.POLICY_2011,
                opens_on,
                STATUTE_TRAINING_FROM - _ONE_DAY,
                lookup=discharged_on,
            )
    return _entitled(
        figures,
        veteran,
        regime,
        TrainingBasis.STATUTE,
        max(opens_on, STATUTE_TRAINING_FROM),
        None,
        lookup=on,
    )


def _entitled(
    figures: DischargeFigures,
    veteran: ResidentId,
    regime: Regime,
    basis: TrainingBasis,
    opens_on: dt.date,
    closes_on: dt.date | None,
    *,
    lookup: dt.date | None = None,
) -> TrainingEntitlement:
    when = opens_on if lookup is None else lookup
    try:
        count, citation = figures.count_on(basis.figure, when)
    except ParameterNotInForce as error:
        raise _not_in_force_is_missing(
            basis.figure, figures.figure(basis.figure).supply, error
        ) from None
    return TrainingEntitlement(
        veteran=veteran,
        regime=regime,
        basis=basis,
        opens_on=opens_on,
        closes_on=closes_on,
        max_free_uses=count,
        citation=citation,
    )


# --- employment ----------------------------------------------------------------------------------


class EmploymentStatus(enum.Enum):
    """A veteran's employment situation (就业状态).

    * ``AWAITING_PLACEMENT``: waiting for an arranged job (待安排工作, 2024 第七十五条第一款);
    * ``PLACED``: on post in an arranged job (安排工作上岗, 2024 第三十一、三十二条; 2011 第三十六条);
    * ``EMPLOYED``: employed by an employer of their own finding (自主就业);
    * ``PUBLIC_SERVICE``: recruited as a civil servant or by a public institution
      (录用、聘用, 保障法 第四十二、四十三条);
    * ``SELF_EMPLOYED``: running a business (自主创业、个体经营, 保障法 第四十五、四十六条);
    * ``PUBLIC_WELFARE_POST``: in a public-welfare post after employment difficulty
      (公益性岗位, 2024 第六十七条第二款);
    * ``REINSTATED``: back in the pre-enlistment job (复职复工, 保障法 第四十二条; 2024 第六十九条);
    * ``JOB_SEEKING``: registered as a job seeker, may draw unemployment benefit
      (求职登记, 保障法 第四十一条第三款; 2024 第八十五条);
    * ``IN_EDUCATION``: studying (入学、复学, 保障法 第三十五条).
    """

    AWAITING_PLACEMENT = "awaiting-placement"
    PLACED = "placed"
    EMPLOYED = "employed"
    PUBLIC_SERVICE = "public-service"
    SELF_EMPLOYED = "self-employed"
    PUBLIC_WELFARE_POST = "public-welfare-post"
    REINSTATED = "reinstated"
    JOB_SEEKING = "job-seeking"
    IN_EDUCATION = "in-education"

    @property
    def label_zh(self) -> str:
        return {
            "awaiting-placement": "待安排工作",
            "placed": "安排工作上岗",
            "employed": "就业",
            "public-service": "录用为公务员或事业单位人员",
            "self-employed": "自主创业",
            "public-welfare-post": "公益性岗位",
            "reinstated": "复职复工",
            "job-seeking": "求职登记（失业）",
            "in-education": "入学、复学",
        }[self.value]

    @property
    def working(self) -> bool:
        """Whether the veteran is in work."""
        return self not in (
            EmploymentStatus.AWAITING_PLACEMENT,
            EmploymentStatus.JOB_SEEKING,
            EmploymentStatus.IN_EDUCATION,
        )

    @property
    def has_employer(self) -> bool:
        """Whether an employer and a contract may be recorded."""
        return self in (
            EmploymentStatus.PLACED,
            EmploymentStatus.EMPLOYED,
            EmploymentStatus.PUBLIC_SERVICE,
            EmploymentStatus.PUBLIC_WELFARE_POST,
            EmploymentStatus.REINSTATED,
        )

    @property
    def basis(self) -> Citation | None:
        """The article the status rests on (``None`` for plain employment)."""
        return {
            "awaiting-placement": _new("第七十五条第一款"),
            "placed": _new("第三十一条第二款"),
            "employed": None,
            "public-service": _law("第四十二条"),
            "self-employed": _law("第四十五条"),
            "public-welfare-post": _new("第六十七条第二款"),
            "reinstated": _law("第四十二条"),
            "job-seeking": _law("第四十一条第三款"),
            "in-education": _law("第三十五条"),
        }[self.value]


@attrs.frozen(kw_only=True, repr=False)
class EmploymentRecord:
    """One spell of a veteran's employment situation (就业情况记录).

    ``contract_years`` is the term of the labour or appointment contract (arranged jobs need at
    least 3 years: 2011 第三十六条, 2024 第三十二条; the model records, it does not judge);
    ``open_ended`` marks a contract without fixed term (无固定期限). ``difficulty`` marks a
    veteran found to be in employment difficulty (就业困难, 2024 第六十七条第二款).

    Invariants: ends no earlier than it starts; an employer and a contract only for statuses
    with an employer; a contract has a term or is open-ended, not both. ``repr()`` shows no
    dates.
    """

    record_id: str = attrs.field(validator=text(max_length=64))
    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    unit: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )  # the office handling the veteran (安置地退役军人事务部门): a store scopes by it
    status: EmploymentStatus = attrs.field(validator=instance_of(EmploymentStatus))
    started_on: dt.date = attrs.field(validator=past_date)
    ended_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    employer: str | None = attrs.field(default=None, validator=optional(text(max_length=200)))
    contract_years: int | None = attrs.field(default=None, validator=optional(in_range(1, 50)))
    open_ended: bool = attrs.field(default=False, validator=instance_of(bool))
    difficulty: bool = attrs.field(default=False, validator=instance_of(bool))

    def __attrs_post_init__(self) -> None:
        check_order(self, "started_on", "ended_on")
        contract = self.contract_years is not None or self.open_ended
        if (self.employer is not None or contract) and not self.status.has_employer:
            raise InconsistentRecord(
                "status/employer",
                self.status.value,
                f"{self.status.value} has no employer or contract",
                f"{self.status.label_zh}不登记用人单位或合同",
            )
        if self.contract_years is not None and self.open_ended:
            raise InconsistentRecord(
                "contract_years/open_ended",
                f"{self.contract_years}/True",
                "a contract has a fixed term or none, not both",
                "合同不能既有固定期限又无固定期限",
            )

    def __repr__(self) -> str:
        return (
            f"EmploymentRecord(record_id={self.record_id!r}, veteran={self.veteran!r}, "
            f"status={self.status.name}, open={self.ended_on is None})"
        )

    def covers(self, day: dt.date) -> bool:
        """Whether the spell includes ``day``."""
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


@attrs.frozen(kw_only=True, repr=False)
class EmploymentHistory:
    """One veteran's employment records, in order and never overlapping (就业台账).

    Invariants: every record is the veteran's; each starts after the one before has ended (a
    record still open must be the last); ids are unique. ``repr()`` shows no dates.
    """

    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    records: tuple[EmploymentRecord, ...] = attrs.field(
        default=(), validator=tuple_of(EmploymentRecord)
    )

    def __attrs_post_init__(self) -> None:
        for index, record in enumerate(self.records):
            if record.veteran != self.veteran:
                raise InconsistentRecord(
                    f"records[{index}].veteran",
                    record.veteran.masked,
                    "another veteran's record",
                    "非本人记录",
                )
        for index, (before, after) in enumerate(itertools.pairwise(self.records), start=1):
            if before.ended_on is None or after.started_on <= before.ended_on:
                raise InconsistentRecord(
                    f"records[{index}].started_on",
                    after.started_on.isoformat(),
                    "records must follow one another without overlapping",
                    "就业记录时间重叠",
                )
        ids = [r.record_id for r in self.records]
        if len(set(ids)) != len(ids):
            raise InconsistentRecord(
                "records", f"{len(ids)} records", "a record id is used twice", "记录编号重复"
            )

    def __repr__(self) -> str:
        current = self.current
        return (
            f"EmploymentHistory(veteran={self.veteran!r}, records={len(self.records)}, "
            f"current={None if current is None else current.status.name})"
        )

    @property
    def current(self) -> EmploymentRecord | None:
        """The open record, if the last one is open."""
        last = self.records[-1] if self.records else None
        return last if last is not None and last.ended_on is None else None

    def on(self, day: dt.date) -> EmploymentRecord | None:
        """The record covering ``day`` (``None`` in a gap)."""
        return next((r for r in self.records if r.covers(day)), None)

    def add(self, record: EmploymentRecord) -> EmploymentHistory:
        """A history with ``record`` appended (the open record must be closed first)."""
        return attrs.evolve(self, records=(*self.records, record))


# --- deadlines -----------------------------------------------------------------------------------


class DeadlineKind(enum.Enum):
    """A time limit of the transition (过渡期时限), with the key of its limit."""

    REPORT = "report"
    REPORT_FORFEITURE = "report-forfeiture"
    MILITARY_REGISTRATION = "military-registration"
    PLACEMENT = "placement"
    ON_POST = "on-post"
    SCHOOL_ENTRY = "school-entry"
    ADAPTIVE_TRAINING = "adaptive-training"
    MEDICAL_ACCOUNT = "medical-account"
    PENSION_TRANSFER_IN = "pension-transfer-in"

    @property
    def label_zh(self) -> str:
        return {
            "report": "报到",
            "report-forfeiture": "逾期报到视为放弃安置待遇",
            "military-registration": "兵役登记信息变更",
            "placement": "完成安排工作",
            "on-post": "安排上岗",
            "school-entry": "入学、复学",
            "adaptive-training": "适应性培训",
            "medical-account": "建立医疗保险个人账户",
            "pension-transfer-in": "养老保险转移接续申请办理",
        }[self.value]


DEFAULT_DEADLINE_KINDS: frozenset[DeadlineKind] = frozenset(DeadlineKind) - {
    DeadlineKind.ADAPTIVE_TRAINING,
    DeadlineKind.MEDICAL_ACCOUNT,
    DeadlineKind.PENSION_TRANSFER_IN,
}
"""The kinds :func:`discharge_deadlines` counts unless told otherwise (the insurance kinds
come from :func:`insurance_deadlines`; adaptive training has no value unless supplied)."""


@attrs.frozen(kw_only=True)
class DischargeDeadline:
    """One time limit of a veteran's transition: what, when due, and when it was done.

    ``due_date`` is the :class:`~veteran_affairs.casework.deadlines.DueDate` counted by
    :func:`~veteran_affairs.casework.deadlines.due`; ``done_on`` the day the step was done.
    A missed limit is only reported: for :attr:`DeadlineKind.REPORT_FORFEITURE`, a report made
    after the due date (``LATE``) or none by then (``OVERDUE``) counts as giving up the
    placement treatment **unless there was good reason** (无正当理由), which the library does
    not judge.
    """

    kind: DeadlineKind = attrs.field(validator=instance_of(DeadlineKind))
    due_date: DueDate = attrs.field(validator=instance_of(DueDate))
    done_on: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))

    @property
    def key(self) -> str:
        return self.due_date.key

    @property
    def due(self) -> dt.date:
        """The last day in time."""
        return self.due_date.due

    def status(self, *, on: dt.date) -> DeadlineStatus:
        """Where the limit stands on ``on`` (pending, met, overdue or late)."""
        return self.due_date.status(on=on, done_on=self.done_on)


def _counted(
    book: LimitBook,
    key: str,
    start: dt.date,
    *,
    on: dt.date,
    calendar: WorkCalendar | None,
) -> DueDate:
    """:func:`due`, where a date before the first version is a missing value (supply it)."""
    try:
        return due(book, key, start, calendar=calendar, on=on)
    except ParameterNotInForce as error:
        raise _not_in_force_is_missing(key, book.limit(key).parameter.supply, error) from None


_SOLDIERS = frozenset({PersonnelType.NCO, PersonnelType.CONSCRIPT})
_FORFEITURE_MODES_2024 = frozenset(
    {
        DischargeMode.MONTHLY_PAYMENT,
        DischargeMode.ARRANGED_EMPLOYMENT,
        DischargeMode.SUPPORT,
        DischargeMode.SELF_EMPLOYMENT,
    }
)
_EVENTS = (
    "reported_on",
    "registered_on",
    "settlement_fixed_on",
    "received_on",
    "placed_on",
    "letter_on",
    "on_post_on",
    "school_entered_on",
    "adaptive_trained_on",
)
_ARRANGED_ONLY = ("received_on", "placed_on", "letter_on", "on_post_on")


@attrs.frozen(kw_only=True, repr=False)
class DischargeRecord:
    """The dated events of one veteran's transition (退役安置过渡登记).

    Attributes:
        veteran, personnel_type, discharge_mode: who and how settled.
        discharged_on: the day of discharge (退出现役之日).
        approved_on: the day the discharge was approved (被批准退出现役之日), from which a
            self-employed soldier's 30 日 run, if it is earlier than ``discharged_on``.
        report_by: the time set for reporting (规定时间) in the notice, for soldiers settled
            otherwise than by self-employment.
        reported_on: reported to the placement county's veterans department (报到).
        settlement_fixed_on: an officer's placement location settled (确定安置地).
        registered_on: military-service registration updated (兵役登记信息变更).
        received_on, placed_on, letter_on, on_post_on: arranged employment: received by the
            placement county (接收), job arranged (完成安排), letter of introduction issued
            (介绍信开具), on post (上岗).
        school_place_reserved, school_entered_on: admitted to or enrolled at a university
            before enlisting (保留入学资格或学籍), and the day of entry or return.
        adaptive_trained_on: adaptive training completed.

    Invariants: the mode is one the personnel type allows; approval no later than discharge;
    every event on or after the approval; placed after received and on post after the letter;
    the arranged-employment events only for that mode; a settlement date only for officers;
    ``report_by`` only for soldiers not self-employed (whose 30 日 are statutory); a school
    entry only with a reserved place. ``repr()`` shows the masked number and no dates.
    """

    veteran: ResidentId = attrs.field(validator=instance_of(ResidentId))
    unit: DivisionCode | None = attrs.field(
        default=None, validator=optional(instance_of(DivisionCode))
    )  # the office handling the veteran (安置地退役军人事务部门): a store scopes by it
    personnel_type: PersonnelType = attrs.field(validator=instance_of(PersonnelType))
    discharge_mode: DischargeMode = attrs.field(validator=instance_of(DischargeMode))
    discharged_on: dt.date = attrs.field(validator=past_date)
    approved_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    report_by: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))
    reported_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    settlement_fixed_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    registered_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    received_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    placed_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    letter_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    on_post_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    school_place_reserved: bool = attrs.field(default=False, validator=instance_of(bool))
    school_entered_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    adaptive_trained_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))

    def __attrs_post_init__(self) -> None:
        pair = f"{self.personnel_type.value}/{self.discharge_mode.value}"
        if self.discharge_mode not in ALLOWED_DISCHARGE_MODES[self.personnel_type]:
            raise InconsistentRecord(
                "personnel_type/discharge_mode",
                pair,
                f"{self.personnel_type.label_zh} cannot be settled by "
                f"{self.discharge_mode.label_zh}",
                f"{self.personnel_type.label_zh}不适用{self.discharge_mode.label_zh}安置方式",
            )
        check_order(self, "approved_on", "discharged_on")
        for name in (*_EVENTS, "report_by"):
            if name == "settlement_fixed_on":
                continue  # an officer's placement location may be settled before the order
            value = getattr(self, name)
            if value is not None and value < self.start_on:
                raise InconsistentRecord(
                    f"{name}/approved_on",
                    value.isoformat(),
                    f"{name} cannot precede the discharge approval",
                    "日期早于批准退出现役",
                )
        check_order(self, "received_on", "placed_on")
        check_order(self, "letter_on", "on_post_on")
        self._check_applicability(pair)

    def _check_applicability(self, pair: str) -> None:
        arranged = self.discharge_mode is DischargeMode.ARRANGED_EMPLOYMENT
        for name in _ARRANGED_ONLY:
            if getattr(self, name) is not None and not arranged:
                raise InconsistentRecord(
                    f"{name}/discharge_mode",
                    pair,
                    "only for arranged employment",
                    "仅适用于安排工作",
                )
        if (
            self.settlement_fixed_on is not None
            and self.personnel_type is not PersonnelType.OFFICER
        ):
            raise InconsistentRecord(
                "settlement_fixed_on/personnel_type",
                pair,
                "the settlement date starts an officer's registration limit only",
                "确定安置地之日仅适用于军官",
            )
        if self.report_by is not None and (
            self.personnel_type not in _SOLDIERS
            or self.discharge_mode is DischargeMode.SELF_EMPLOYMENT
        ):
            raise InconsistentRecord(
                "report_by/discharge_mode",
                pair,
                "a set reporting time is recorded for soldiers not self-employed (the "
                "self-employed report within the statutory limit)",
                "规定报到时间仅适用于非自主就业的退役士兵",
            )
        if self.school_entered_on is not None and not self.school_place_reserved:
            raise InconsistentRecord(
                "school_entered_on/school_place_reserved",
                "False",
                "a school entry needs a reserved place",
                "未保留入学资格或学籍",
            )

    def __repr__(self) -> str:
        return (
            f"DischargeRecord(veteran={self.veteran!r}, "
            f"personnel_type={self.personnel_type.name}, "
            f"discharge_mode={self.discharge_mode.name}, regime={self.regime.name})"
        )

    @classmethod
    def from_veteran(
        cls, veteran: Veteran, *, discharge_mode: DischargeMode | None = None, **events: Any
    ) -> DischargeRecord:
        """A record from a :class:`~veteran_affairs.models.Veteran`'s service record.

        Raises:
            InconsistentRecord: neither the service record nor ``discharge_mode`` gives a mode.
        """
        service = veteran.service
        mode = discharge_mode or service.discharge_mode
        if mode is None:
            raise InconsistentRecord(
                "service.discharge_mode",
                "None",
                "the discharge mode is needed",
                "须有安置方式",
            )
        assert service.discharged_on is not None  # a Veteran is discharged
        return cls(
            veteran=veteran.resident_id,
            personnel_type=service.personnel_type,
            discharge_mode=mode,
            discharged_on=service.discharged_on,
            **events,
        )

    @property
    def start_on(self) -> dt.date:
        """The approval of the discharge (or the discharge, if no approval date is given)."""
        return self.approved_on or self.discharged_on

    @property
    def regime(self) -> Regime:
        return regime_for(self.discharged_on)

    @property
    def soldier(self) -> bool:
        """Whether an NCO or a conscript (士兵)."""
        return self.personnel_type in _SOLDIERS

    @property
    def self_employed_soldier(self) -> bool:
        """Whether a soldier settled by self-employment (自主就业), who reports within 30 日."""
        return self.soldier and self.discharge_mode is DischargeMode.SELF_EMPLOYMENT

    @property
    def forfeiture_applies(self) -> bool:
        """Whether late reporting can forfeit the placement treatment.

        2011 第十七条: every discharged soldier; 2024 第五十一条第二款: NCOs settled by monthly
        payment, arranged employment, support or self-employment, and conscripts settled by
        arranged employment, support or self-employment (not retirement; not officers).
        """
        if not self.soldier:
            return False
        if self.regime is Regime.VETERANS_2024:
            return self.discharge_mode in _FORFEITURE_MODES_2024
        return True


def discharge_deadlines(
    book: LimitBook,
    record: DischargeRecord,
    *,
    calendar: WorkCalendar | None = None,
    kinds: Iterable[DeadlineKind] | None = None,
    skip_unknown: bool = False,
) -> tuple[DischargeDeadline, ...]:
    """A veteran's time limits from the discharge (退役后各项时限), in :class:`DeadlineKind` order.

    Each limit is looked up on the discharge date (its regime), counted from its starting
    event by :func:`~veteran_affairs.casework.deadlines.due` (start day not counted; with a
    ``calendar``, a last day on a rest day moves to the next working day, 民法典 第二百零三条);
    a limit whose starting event is not recorded is not counted yet.

    * ``REPORT``: a self-employed NCO or conscript reports within
      ``discharge.report_self_employment`` (30 日) of the approval (2011 第十三条第一款; 2024
      第五十一条第二款).
    * ``REPORT_FORFEITURE``: reporting more than ``discharge.report_forfeiture`` (30 日) after
      the time set (the REPORT due date, or ``report_by``) counts as giving up the placement
      treatment, absent good reason (2011 第十七条; 2024 第五十一条第二款; see
      :attr:`DischargeRecord.forfeiture_applies`).
    * ``MILITARY_REGISTRATION``: a soldier within ``discharge.military_registration_soldier``
      (40 日) of discharge; an officer within ``discharge.military_registration_officer``
      (30 日) of the placement location being settled (兵役法 (2021) 第十七条).
    * ``PLACEMENT``: an arranged job within ``discharge.placement`` (6 个月) of being received
      (2011 第三十五条; 2024 第三十一条第二款).
    * ``ON_POST``: on post within 1 个月 (``discharge.on_post_2011``, 2011 第三十六条) or 30 日
      (``discharge.on_post_2024``, 2024 第七十五条第二款) of the letter of introduction.
    * ``SCHOOL_ENTRY``: with a reserved place, entry or return within ``discharge.school_entry``
      (24 个月) of discharge (2011 第二十八条第二款; 保障法 第三十五条).
    * ``ADAPTIVE_TRAINING`` (only if asked for in ``kinds``): ``discharge.adaptive_training``
      from reporting; no national value (NOT FOUND), so it must be supplied.

    Args:
        kinds: the kinds wanted (default :data:`DEFAULT_DEADLINE_KINDS`: all but
            ``ADAPTIVE_TRAINING``; the insurance kinds are counted by
            :func:`insurance_deadlines`, not here).
        skip_unknown: leave out a limit with no known value instead of raising.

    Raises:
        ParameterMissing: a limit has no value for the discharge date (supply it with
            ``LimitBook.with_values``), unless ``skip_unknown``.
        CalendarDataMissing: ``calendar`` lacks a year the count passes through.
    """
    wanted = DEFAULT_DEADLINE_KINDS if kinds is None else frozenset(kinds)
    found: list[DischargeDeadline] = []

    def count(kind: DeadlineKind, key: str, start: dt.date, done: dt.date | None) -> DueDate | None:
        try:
            due_date = _counted(
                book, key, start, on=_lookup(kind, record, start), calendar=calendar
            )
        except ParameterError:
            if skip_unknown:
                return None
            raise
        if kind in wanted:
            found.append(DischargeDeadline(kind=kind, due_date=due_date, done_on=done))
        return due_date

    if record.self_employed_soldier and wanted & {
        DeadlineKind.REPORT,
        DeadlineKind.REPORT_FORFEITURE,
    }:
        report = count(
            DeadlineKind.REPORT,
            "discharge.report_self_employment",
            record.start_on,
            record.reported_on,
        )
        if report is not None and record.forfeiture_applies:
            count(
                DeadlineKind.REPORT_FORFEITURE,
                "discharge.report_forfeiture",
                report.due,
                record.reported_on,
            )
    for kind, key, start, done in _plan(record, wanted):
        count(kind, key, start, done)
    order = list(DeadlineKind)
    return tuple(sorted(found, key=lambda d: order.index(d.kind)))


def _lookup(kind: DeadlineKind, record: DischargeRecord, start: dt.date) -> dt.date:
    """The date a limit's version is chosen for: the discharge, except 兵役法's own date."""
    if kind is DeadlineKind.MILITARY_REGISTRATION:
        return start
    return record.discharged_on


def _plan(
    record: DischargeRecord, wanted: frozenset[DeadlineKind]
) -> list[tuple[DeadlineKind, str, dt.date, dt.date | None]]:
    """(kind, limit key, start, done) for every limit whose start is recorded."""
    plan: list[tuple[DeadlineKind, str, dt.date, dt.date | None]] = []
    if (
        DeadlineKind.REPORT_FORFEITURE in wanted
        and record.report_by is not None
        and record.forfeiture_applies
    ):
        plan.append(
            (
                DeadlineKind.REPORT_FORFEITURE,
                "discharge.report_forfeiture",
                record.report_by,
                record.reported_on,
            )
        )
    if DeadlineKind.MILITARY_REGISTRATION in wanted:
        if record.soldier:
            plan.append(
                (
                    DeadlineKind.MILITARY_REGISTRATION,
                    "discharge.military_registration_soldier",
                    record.discharged_on,
                    record.registered_on,
                )
            )
        elif record.settlement_fixed_on is not None:
            plan.append(
                (
                    DeadlineKind.MILITARY_REGISTRATION,
                    "discharge.military_registration_officer",
                    record.settlement_fixed_on,
                    record.registered_on,
                )
            )
    if DeadlineKind.PLACEMENT in wanted and record.received_on is not None:
        plan.append(
            (DeadlineKind.PLACEMENT, "discharge.placement", record.received_on, record.placed_on)
        )
    if DeadlineKind.ON_POST in wanted and record.letter_on is not None:
        key = (
            "discharge.on_post_2024"
            if record.regime is Regime.VETERANS_2024
            else "discharge.on_post_2011"
        )
        plan.append((DeadlineKind.ON_POST, key, record.letter_on, record.on_post_on))
    if DeadlineKind.SCHOOL_ENTRY in wanted and record.school_place_reserved:
        plan.append(
            (
                DeadlineKind.SCHOOL_ENTRY,
                "discharge.school_entry",
                record.discharged_on,
                record.school_entered_on,
            )
        )
    if DeadlineKind.ADAPTIVE_TRAINING in wanted and record.reported_on is not None:
        plan.append(
            (
                DeadlineKind.ADAPTIVE_TRAINING,
                "discharge.adaptive_training",
                record.reported_on,
                record.adaptive_trained_on,
            )
        )
    return plan


def insurance_deadlines(
    book: LimitBook,
    transfer: InsuranceTransfer,
    *,
    calendar: WorkCalendar | None = None,
) -> tuple[DischargeDeadline, ...]:
    """The counted time limits of an insurance transfer.

    * ``MEDICAL_ACCOUNT`` (medical scheme, once the agency has received the voucher): the
      account is opened within ``discharge.medical_account_opening`` (20 天) of receipt
      (国办发〔1999〕100号, SECONDARY, article NOT CONFIRMED); done when ``ACCOUNT_OPENED``.
    * ``PENSION_TRANSFER_IN`` (a pension scheme with an application recorded):
      ``discharge.pension_transfer_in_application`` 工作日 from the application, done when
      ``CONTINUED``; a local procedure with no national value: supply it (and a calendar).

    The law sets no other count: the army and the agency act "及时" (保障法 第十八条; 军人保险法
    第三十八条第三款; 2024 第八十一条).

    Raises:
        ParameterMissing: the transfer-in limit has not been supplied.
        CalendarRequired: the transfer-in limit counts working days and no calendar is given.
    """
    found: list[DischargeDeadline] = []
    received = transfer.reached_on(InsuranceStatus.RECEIVED_BY_AGENCY)
    if transfer.scheme is InsuranceScheme.MEDICAL and received is not None:
        due_date = _counted(
            book, "discharge.medical_account_opening", received, on=received, calendar=calendar
        )
        found.append(
            DischargeDeadline(
                kind=DeadlineKind.MEDICAL_ACCOUNT,
                due_date=due_date,
                done_on=transfer.reached_on(InsuranceStatus.ACCOUNT_OPENED),
            )
        )
    applied = transfer.application_on
    if applied is not None:
        due_date = _counted(
            book,
            "discharge.pension_transfer_in_application",
            applied,
            on=applied,
            calendar=calendar,
        )
        found.append(
            DischargeDeadline(
                kind=DeadlineKind.PENSION_TRANSFER_IN,
                due_date=due_date,
                done_on=transfer.reached_on(InsuranceStatus.CONTINUED),
            )
        )
    return tuple(found)


def next_follow_up(
    book: LimitBook, last_contact_on: dt.date, *, calendar: WorkCalendar | None = None
) -> DueDate:
    """When the next employment follow-up (就业跟踪回访) falls due after ``last_contact_on``.

    No statute sets the cadence (NOT FOUND; the hook is 2024 第六十七条第二款), so
    ``discharge.employment_follow_up`` must be supplied (``LimitBook.with_values``).

    Raises:
        ParameterMissing: the cadence has not been supplied.
    """
    return _counted(
        book,
        "discharge.employment_follow_up",
        last_contact_on,
        on=last_contact_on,
        calendar=calendar,
    )
