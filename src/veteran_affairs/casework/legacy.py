"""The register of historical legacy cases (历史遗留问题台账): a register, not a rule.

**No normative rule exists.** No statute, government page or public code consulted defines a
legacy case, a register of them or a procedure for tracking them (CASEWORK.md §2, §7: NOT
FOUND). What the law gives is a general duty: 《退役军人保障法》(2021-01-01) 第七十一条 charges
the veterans departments of county level and up with pushing forward the solution of the
problems in veterans' protection work (推进解决退役军人保障工作中存在的问题). This module is
therefore a register with a working order of steps: it records, it never decides.

* **What a case records**: its category (:class:`LegacyCategory`, a working classification,
  not law), the regime it arose under (:class:`OriginRegime`: a case stays under the regime
  that decided it) and when, the topic, the responsible unit (责任单位) and owner (责任人),
  the persons concerned, the milestones of the plan (:class:`Milestone`), the reviews held
  and its dated steps.
* **Its steps** (:data:`TRANSITIONS`) follow the suggested model of CASEWORK.md §6:
  identified (发现登记) → verified (核实) → plan agreed (化解方案确定) → resolved (化解办结),
  with three other endings: unfounded (经核实不属实) as the outcome of verification, and
  referred to the competent body (移交) or unresolvable (暂无法化解) once the facts are
  verified. No step skips a state: a case is resolved only under an agreed plan, and referred
  or declared unresolvable only once verified. A step the state does not allow raises
  :class:`~veteran_affairs.errors.IllegalTransition`.
* **Reviews** (定期检视) fall due from a cadence **the user supplies**: no review interval is
  sourced (CASEWORK.md §6–7), so the time limit :data:`REVIEW_INTERVAL`
  (``legacy.review_interval``) ships without a value and :meth:`LegacyCase.review_due`
  raises :class:`~veteran_affairs.errors.ParameterMissing` until it is supplied. It is counted
  by the one deadline mechanism of :mod:`veteran_affairs.casework.deadlines`.
* **Closure criteria** are the user's too: resolving does not require every milestone done;
  :meth:`LegacyCase.open_milestones` lists what is left.

>>> import datetime as dt
>>> from veteran_affairs.identity import DivisionCode
>>> case = LegacyCase.identify(
...     case_id="LC-2025-001", category=LegacyCategory.SOCIAL_INSURANCE,
...     regime=OriginRegime.SOLDIER_PLACEMENT_2011, origin_on=dt.date(2015, 12, 1),
...     topic="两保接续 after a 2015 discharge", responsible_unit=DivisionCode("450312"),
...     owner="county-bureau-deputy", on=dt.date(2025, 3, 3), actor="station-01")
>>> case = case.verify(on=dt.date(2025, 3, 20), actor="county-01")
>>> case.status.label_zh
'已核实'
>>> case.resolve(on=dt.date(2025, 4, 1), actor="county-01")
Traceback (most recent call last):
...
veteran_affairs.errors.IllegalTransition: legacy case LC-2025-001: cannot go from 'verified' to 'resolved' (不允许的状态变更): a case is resolved only under an agreed plan
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from veteran_affairs._validate import (
    check_history,
    instance_of,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.casework.deadlines import (
    DayCount,
    DeadlineStatus,
    DueDate,
    LimitBook,
    TimeLimit,
    due,
)
from veteran_affairs.cycles.calendar import WorkCalendar
from veteran_affairs.errors import IllegalTransition, InconsistentRecord, InvalidValue
from veteran_affairs.identity import DivisionCode, ResidentId
from veteran_affairs.parameters import Citation, Parameter
from veteran_affairs.statutes import PLACEMENT, SOLDIER_PLACEMENT_2011, VETERAN_PLACEMENT_2024

__all__ = [
    "LIMITS",
    "REVIEW_INTERVAL",
    "STATUS_RANK",
    "TRANSITIONS",
    "LegacyCase",
    "LegacyCategory",
    "LegacyFlag",
    "LegacyStatus",
    "LegacyStep",
    "Milestone",
    "MilestoneStatus",
    "OriginRegime",
    "soldier_placement_regime",
]


def __dir__() -> list[str]:
    return __all__


_ONE_DAY = dt.timedelta(days=1)

_DUTY = Citation(
    document="《退役军人保障法》",
    article="第七十一条",
    effective=dt.date(2021, 1, 1),
    note="a general duty to push forward the solution of problems; no register or "
    "procedure for legacy cases was found (CASEWORK.md §2)",
)


# --- classification ------------------------------------------------------------------------


class LegacyCategory(enum.Enum):
    """What a legacy case is about (问题类别): a working classification, **not law**.

    The categories follow the topics CASEWORK.md §2 and §1.7 report from practice (安置遗留
    人员待遇落实, "两保"接续, transitional groups); no national list exists.
    """

    PLACEMENT = "placement"  # 安置待遇落实
    SOCIAL_INSURANCE = "social-insurance"  # 社会保险接续（养老、医疗）
    BENEFITS = "benefits"  # 抚恤优待待遇
    TRAINING_EMPLOYMENT = "training-employment"  # 教育培训与就业
    RECORDS = "records"  # 身份与档案认定
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return _CATEGORY_ZH[self]


_CATEGORY_ZH = {
    LegacyCategory.PLACEMENT: "安置待遇落实",
    LegacyCategory.SOCIAL_INSURANCE: "社会保险接续",
    LegacyCategory.BENEFITS: "抚恤优待待遇",
    LegacyCategory.TRAINING_EMPLOYMENT: "教育培训与就业",
    LegacyCategory.RECORDS: "身份与档案认定",
    LegacyCategory.OTHER: "其他",
}


class OriginRegime(enum.Enum):
    """The regime a case arose under (政策时段): it stays under the regime that decided it.

    * ``BEFORE_2011``: the rules the 2011 条例 repealed on 2011-11-01 (《退伍义务兵安置条例》
      of 1987 and the 1999 士官 暂行办法; 《退役士兵安置条例》(2011) 第五十三条第二款).
    * ``SOLDIER_PLACEMENT_2011``: 《退役士兵安置条例》(2011), in force 2011-11-01 to 2024-08-31.
    * ``VETERAN_PLACEMENT_2024``: 《退役军人安置条例》(2024), in force from 2024-09-01, which
      repealed the 2011 条例 the same day (第九十三条).
    * ``SELF_CHOSEN_EMPLOYMENT``: placements by 自主择业, whose benefits follow the rules of the
      State Council and the Central Military Commission (《退役军人保障法》第八十四条第二款;
      《退役军人安置条例》第九十二条第三款).
    * ``UNCONVERTED_NCO``: 士官 who were not converted to the new ranks after the soldier-system
      reform, placed by reference to the 2024 条例 (《退役军人安置条例》第九十一条第三款).
    * ``OTHER``: any other regime; say which in the topic.
    """

    BEFORE_2011 = "before-2011"
    SOLDIER_PLACEMENT_2011 = "soldier-placement-2011"
    VETERAN_PLACEMENT_2024 = "veteran-placement-2024"
    SELF_CHOSEN_EMPLOYMENT = "self-chosen-employment"
    UNCONVERTED_NCO = "unconverted-nco"
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return _REGIME_ZH[self]

    @property
    def citation(self) -> Citation | None:
        """The text that sets the regime (``None`` for ``OTHER``)."""
        return _REGIME_BASIS.get(self)

    @property
    def in_force(self) -> tuple[dt.date | None, dt.date | None] | None:
        """First and last day the regime's text was in force (``None`` end: still in force);
        ``None`` for the regimes that are groups rather than periods."""
        return _REGIME_SPAN.get(self)


_REGIME_ZH = {
    OriginRegime.BEFORE_2011: "2011年11月1日前安置规定",
    OriginRegime.SOLDIER_PLACEMENT_2011: "《退役士兵安置条例》(2011)",
    OriginRegime.VETERAN_PLACEMENT_2024: "《退役军人安置条例》(2024)",
    OriginRegime.SELF_CHOSEN_EMPLOYMENT: "自主择业",
    OriginRegime.UNCONVERTED_NCO: "未进行军衔转换士官",
    OriginRegime.OTHER: "其他",
}

# The texts and their dates are veteran_affairs.statutes' (one home for them).
_REGIME_BASIS = {
    OriginRegime.BEFORE_2011: SOLDIER_PLACEMENT_2011.article(
        "第五十三条第二款",
        note="repealed the 1987 退伍义务兵安置条例 and the 1999 士官 暂行办法",
    ),
    OriginRegime.SOLDIER_PLACEMENT_2011: SOLDIER_PLACEMENT_2011.citation,
    OriginRegime.VETERAN_PLACEMENT_2024: VETERAN_PLACEMENT_2024.citation,
    OriginRegime.SELF_CHOSEN_EMPLOYMENT: Citation(
        document="《退役军人保障法》",
        article="第八十四条第二款; 《退役军人安置条例》第九十二条第三款",
        effective=dt.date(2021, 1, 1),
    ),
    OriginRegime.UNCONVERTED_NCO: VETERAN_PLACEMENT_2024.article("第九十一条第三款"),
}

_REGIME_OF_TEXT = {
    SOLDIER_PLACEMENT_2011.key: OriginRegime.SOLDIER_PLACEMENT_2011,
    VETERAN_PLACEMENT_2024.key: OriginRegime.VETERAN_PLACEMENT_2024,
}
_REGIME_SPAN: dict[OriginRegime, tuple[dt.date | None, dt.date | None]] = {
    OriginRegime.BEFORE_2011: (None, SOLDIER_PLACEMENT_2011.in_force - _ONE_DAY),
    OriginRegime.SOLDIER_PLACEMENT_2011: (
        SOLDIER_PLACEMENT_2011.in_force,
        SOLDIER_PLACEMENT_2011.until,
    ),
    OriginRegime.VETERAN_PLACEMENT_2024: (
        VETERAN_PLACEMENT_2024.in_force,
        VETERAN_PLACEMENT_2024.until,
    ),
}


def soldier_placement_regime(discharged_on: dt.date) -> OriginRegime:
    """The soldier-placement regime in force on a discharge date (退役时适用的安置条例).

    Before 2011-11-01 the earlier rules; to 2024-08-31 the 2011 条例; from 2024-09-01 the
    2024 条例 (《退役士兵安置条例》(2011) 第五十三条; 《退役军人安置条例》(2024) 第九十三条).
    This is the default reading only: a soldier who enlisted before 2011-11-01 and left after
    it could choose the rules of his enlistment (2011 条例 第五十三条第三款), so record the
    regime actually applied.

    >>> soldier_placement_regime(dt.date(2024, 8, 31)).value
    'soldier-placement-2011'
    >>> soldier_placement_regime(dt.date(2024, 9, 1)).value
    'veteran-placement-2024'
    """
    if not isinstance(discharged_on, dt.date):
        raise InvalidValue(
            "discharged_on", type(discharged_on).__name__, "must be a date", "应为日期"
        )
    text = PLACEMENT.in_force(discharged_on)
    return OriginRegime.BEFORE_2011 if text is None else _REGIME_OF_TEXT[text.key]


# --- parameters ----------------------------------------------------------------------------

REVIEW_INTERVAL = TimeLimit(
    key="legacy.review_interval",
    count=DayCount.CALENDAR_DAY,
    parameter=Parameter(
        key="legacy.review_interval",
        label_zh="历史遗留问题定期检视间隔",
        label_en="days from the last step or review of an open legacy case to the next review",
        unit=DayCount.CALENDAR_DAY.value,
        supply="supply the review interval in days from your own work plan "
        '(LimitBook.with_values({"legacy.review_interval": 30})); no national or Guangxi '
        "cadence was found (CASEWORK.md §2, §7)",
        basis=_DUTY,
    ),
)
"""The review cadence of open cases (定期检视间隔), in 日: **shipped without a value**.

No cadence is sourced (CASEWORK.md §2, §6–7: NOT FOUND), so counting it raises
:class:`~veteran_affairs.errors.ParameterMissing` naming ``legacy.review_interval`` until you
supply one with :meth:`LimitBook.with_values <veteran_affairs.casework.deadlines.LimitBook.with_values>`.
It is counted like every casework limit (:func:`~veteran_affairs.casework.deadlines.due`):
the start day not counted, a last day on a rest day moved to the next working day when a
calendar is given (民法典 第二百零一、二百零三条).
"""

LIMITS = LimitBook(limits={REVIEW_INTERVAL.key: REVIEW_INTERVAL})
"""The time limits of this register (only :data:`REVIEW_INTERVAL`, without a value).

Layer it on the bundled limits and supply the value:
``LimitBook.bundled().layered(LIMITS).with_values({"legacy.review_interval": 30})``.
"""


# --- states ---------------------------------------------------------------------------------


class LegacyStatus(enum.Enum):
    """States of a legacy case (办理状态)."""

    IDENTIFIED = "identified"  # 发现登记
    VERIFIED = "verified"  # 已核实
    PLAN_AGREED = "plan-agreed"  # 化解方案已确定
    RESOLVED = "resolved"  # 已化解
    REFERRED = "referred"  # 已移交有权处理的部门
    UNRESOLVABLE = "unresolvable"  # 暂无法化解
    UNFOUNDED = "unfounded"  # 经核实不属实

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def final(self) -> bool:
        """No step leads out of a final state."""
        return not TRANSITIONS[self]


_STATUS_ZH = {
    LegacyStatus.IDENTIFIED: "发现登记",
    LegacyStatus.VERIFIED: "已核实",
    LegacyStatus.PLAN_AGREED: "化解方案已确定",
    LegacyStatus.RESOLVED: "已化解",
    LegacyStatus.REFERRED: "已移交",
    LegacyStatus.UNRESOLVABLE: "暂无法化解",
    LegacyStatus.UNFOUNDED: "经核实不属实",
}

TRANSITIONS: dict[LegacyStatus, frozenset[LegacyStatus]] = {
    LegacyStatus.IDENTIFIED: frozenset({LegacyStatus.VERIFIED, LegacyStatus.UNFOUNDED}),
    LegacyStatus.VERIFIED: frozenset(
        {LegacyStatus.PLAN_AGREED, LegacyStatus.REFERRED, LegacyStatus.UNRESOLVABLE}
    ),
    LegacyStatus.PLAN_AGREED: frozenset(
        {LegacyStatus.RESOLVED, LegacyStatus.REFERRED, LegacyStatus.UNRESOLVABLE}
    ),
    LegacyStatus.RESOLVED: frozenset(),
    LegacyStatus.REFERRED: frozenset(),
    LegacyStatus.UNRESOLVABLE: frozenset(),
    LegacyStatus.UNFOUNDED: frozenset(),
}
"""The allowed steps: state → the states it may move to."""

STATUS_RANK: dict[LegacyStatus, int] = {
    LegacyStatus.IDENTIFIED: 0,
    LegacyStatus.VERIFIED: 1,
    LegacyStatus.UNFOUNDED: 1,
    LegacyStatus.PLAN_AGREED: 2,
    LegacyStatus.REFERRED: 2,
    LegacyStatus.UNRESOLVABLE: 2,
    LegacyStatus.RESOLVED: 3,
}
"""How far along the main line (identified, verified, plan agreed, resolved) a state lies.

An ending sits at the rank of the step it can follow soonest: unfounded ends verification,
referral and 'unresolvable' need verified facts. Every allowed step raises the rank by at
most one: no step skips a state."""

_WHY = {
    LegacyStatus.RESOLVED: "a case is resolved only under an agreed plan",
    LegacyStatus.PLAN_AGREED: "a plan is agreed only on verified facts",
    LegacyStatus.REFERRED: "a case is referred only once its facts are verified",
    LegacyStatus.UNRESOLVABLE: "a case is declared unresolvable only once its facts are verified",
    LegacyStatus.UNFOUNDED: "only verification can find a case unfounded",
    LegacyStatus.VERIFIED: "a case is verified once, after it is identified",
    LegacyStatus.IDENTIFIED: "a case is identified once, when it is registered",
}


@attrs.frozen(kw_only=True)
class LegacyStep:
    """One dated step of a case, with who took it (the first step has no ``from_status``)."""

    to_status: LegacyStatus = attrs.field(validator=instance_of(LegacyStatus))
    on: dt.date = attrs.field(validator=past_date)
    actor: str = attrs.field(validator=text(max_length=100))
    from_status: LegacyStatus | None = attrs.field(
        default=None, validator=optional(instance_of(LegacyStatus))
    )
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))


# --- milestones ----------------------------------------------------------------------------


class MilestoneStatus(enum.Enum):
    """Where a milestone stands on a date (节点状态)."""

    OPEN = "open"  # 未到期
    DONE = "done"  # 按期完成
    DONE_LATE = "done-late"  # 逾期完成
    OVERDUE = "overdue"  # 逾期未完成

    @property
    def label_zh(self) -> str:
        return {
            MilestoneStatus.OPEN: "未到期",
            MilestoneStatus.DONE: "按期完成",
            MilestoneStatus.DONE_LATE: "逾期完成",
            MilestoneStatus.OVERDUE: "逾期未完成",
        }[self]


@attrs.frozen(kw_only=True)
class Milestone:
    """A step of the plan with the date it is due (化解节点): the plan's date, not a rule.

    ``target_on`` may lie in the future; ``done_on`` may not. A milestone is due by the end of
    its target day: overdue from the next day while not done.

    >>> m = Milestone(key="m1", title="核对档案", target_on=dt.date(2025, 4, 30))
    >>> m.status(dt.date(2025, 4, 30)).label_zh, m.status(dt.date(2025, 5, 1)).label_zh
    ('未到期', '逾期未完成')
    """

    key: str = attrs.field(validator=text(max_length=64))
    title: str = attrs.field(validator=text(max_length=500))
    target_on: dt.date = attrs.field(validator=instance_of(dt.date))
    done_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))

    def done_by(self, on: dt.date) -> bool:
        """Whether it was done on or before ``on``."""
        return self.done_on is not None and self.done_on <= on

    def status(self, on: dt.date) -> MilestoneStatus:
        """Its status as known on ``on`` (a completion after ``on`` is not yet known)."""
        if self.done_by(on):
            assert self.done_on is not None
            return (
                MilestoneStatus.DONE
                if self.done_on <= self.target_on
                else (MilestoneStatus.DONE_LATE)
            )
        return MilestoneStatus.OVERDUE if on > self.target_on else MilestoneStatus.OPEN


class LegacyFlag(enum.Enum):
    """What is overdue on an open case (逾期提示)."""

    REVIEW_OVERDUE = "review-overdue"  # 定期检视逾期
    MILESTONE_OVERDUE = "milestone-overdue"  # 化解节点逾期

    @property
    def label_zh(self) -> str:
        return {
            LegacyFlag.REVIEW_OVERDUE: "定期检视逾期",
            LegacyFlag.MILESTONE_OVERDUE: "化解节点逾期",
        }[self]


# --- the case ------------------------------------------------------------------------------


def _check_history(case: LegacyCase) -> None:
    check_history(
        f"legacy case {case.case_id}",
        case.history,
        first=LegacyStatus.IDENTIFIED,
        transitions=TRANSITIONS,
        missing=("a case starts when it is identified", "缺少发现登记记录"),
        begins="a case begins when it is identified",
        why=_WHY,
    )


def _review_dates(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    tuple_of(dt.date)(instance, attribute, value)
    for day in value:
        past_date(instance, attribute, day)
    if list(value) != sorted(set(value)):
        raise InvalidValue(
            attribute.name, f"{len(value)} dates", "must be distinct and in order", "须按日期排列"
        )


@attrs.frozen(kw_only=True, repr=False)
class LegacyCase:
    """One historical legacy case in the register (历史遗留问题) and what happened to it.

    Attributes:
        case_id: the register's number.
        category: what it is about (a working classification).
        regime: the regime it arose under; ``origin_on`` when it arose (a discharge, a
            placement decision), if known: it must lie in the regime's period when the regime
            is one.
        topic: what the matter is, in a line.
        responsible_unit: the unit answerable for it (责任单位).
        owner: who answers for it there (责任人): a post or staff code rather than a name.
        subjects: the persons concerned, each once (none for a group matter not yet listed).
        history: the dated steps, starting with its identification.
        milestones: the steps of the plan with their dates, each key once; a milestone is
            done no earlier than the case was identified.
        reviews: the dates it was reviewed (定期检视), distinct, in order, none before it was
            identified nor after it was closed.
        source_request: the request it came from (:class:`~veteran_affairs.casework.requests.Request`
            id), if any.
        referred_to: the body it was referred to: set by the referral, and only then.

    Invariants: the history starts with the identification and every step is an allowed
    transition dated no earlier than the one before. ``repr`` shows no person and no date.
    """

    case_id: str = attrs.field(validator=text(max_length=64))
    category: LegacyCategory = attrs.field(validator=instance_of(LegacyCategory))
    regime: OriginRegime = attrs.field(validator=instance_of(OriginRegime))
    topic: str = attrs.field(validator=text(max_length=500))
    responsible_unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    owner: str = attrs.field(validator=text(max_length=100))
    history: tuple[LegacyStep, ...] = attrs.field(validator=tuple_of(LegacyStep))
    origin_on: dt.date | None = attrs.field(default=None, validator=optional(past_date))
    subjects: tuple[ResidentId, ...] = attrs.field(default=(), validator=tuple_of(ResidentId))
    milestones: tuple[Milestone, ...] = attrs.field(default=(), validator=tuple_of(Milestone))
    reviews: tuple[dt.date, ...] = attrs.field(default=(), validator=_review_dates)
    source_request: str | None = attrs.field(default=None, validator=optional(text(max_length=64)))
    referred_to: str | None = attrs.field(default=None, validator=optional(text(max_length=200)))

    def __attrs_post_init__(self) -> None:
        _check_history(self)
        identified = self.identified_on
        span = self.regime.in_force
        if self.origin_on is not None and span is not None:
            first, last = span
            if (first is not None and self.origin_on < first) or (
                last is not None and self.origin_on > last
            ):
                raise InconsistentRecord(
                    "regime/origin_on",
                    f"{self.regime.value}/{self.origin_on.isoformat()}",
                    "the case arose outside the period of the regime given",
                    "发生日期不在所列政策时段内",
                )
        if self.origin_on is not None and self.origin_on > identified:
            raise InconsistentRecord(
                "origin_on/history[0].on",
                f"{self.origin_on.isoformat()}/{identified.isoformat()}",
                "a case cannot be identified before it arose",
                "登记日期早于问题发生日期",
            )
        if len(set(self.subjects)) != len(self.subjects):
            raise InconsistentRecord(
                "subjects", f"{len(self.subjects)} persons", "a person is listed twice", "人员重复"
            )
        keys = [m.key for m in self.milestones]
        if len(set(keys)) != len(keys):
            raise InconsistentRecord(
                "milestones", ", ".join(keys), "a milestone key is used twice", "节点编号重复"
            )
        for index, milestone in enumerate(self.milestones):
            if milestone.target_on < identified:
                raise InconsistentRecord(
                    f"milestones[{index}].target_on",
                    milestone.target_on.isoformat(),
                    "due before the case was identified",
                    "节点期限早于登记日期",
                )
            if milestone.done_on is not None and milestone.done_on < identified:
                raise InconsistentRecord(
                    f"milestones[{index}].done_on",
                    milestone.done_on.isoformat(),
                    "done before the case was identified",
                    "节点完成日期早于登记日期",
                )
        if self.reviews and self.reviews[0] < identified:
            raise InconsistentRecord(
                "reviews",
                self.reviews[0].isoformat(),
                "a review before the case was identified",
                "检视日期早于登记日期",
            )
        closed = self.closed_on
        if self.reviews and closed is not None and self.reviews[-1] > closed:
            raise InconsistentRecord(
                "reviews",
                self.reviews[-1].isoformat(),
                f"a review after the case was closed ({closed.isoformat()})",
                "检视日期晚于结案日期",
            )
        if (self.status is LegacyStatus.REFERRED) != (self.referred_to is not None):
            raise InconsistentRecord(
                "referred_to/status",
                f"{self.referred_to}/{self.status.value}",
                "the body referred to is given with the referral, and only then",
                "移交单位仅在移交时填写",
            )

    def __repr__(self) -> str:
        return (
            f"LegacyCase(case_id={self.case_id!r}, category={self.category.name}, "
            f"regime={self.regime.name}, responsible_unit={self.responsible_unit}, "
            f"status={self.status.name}, subjects={len(self.subjects)}, "
            f"milestones={len(self.milestones)})"
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def status(self) -> LegacyStatus:
        return self.history[-1].to_status

    @property
    def identified_on(self) -> dt.date:
        return self.history[0].on

    @property
    def closed_on(self) -> dt.date | None:
        """The date of its final step, if it has reached one."""
        last = self.history[-1]
        return last.on if last.to_status.final else None

    def status_on(self, on: dt.date) -> LegacyStatus | None:
        """The state on ``on`` (``None`` before it was identified)."""
        current = None
        for step in self.history:
            if step.on > on:
                break
            current = step.to_status
        return current

    def is_open(self, on: dt.date) -> bool:
        """Whether it was identified and not closed on ``on``."""
        status = self.status_on(on)
        return status is not None and not status.final

    def last_touched(self, on: dt.date) -> dt.date | None:
        """The latest step or review on or before ``on`` (``None`` before identification)."""
        days = [s.on for s in self.history if s.on <= on] + [r for r in self.reviews if r <= on]
        return max(days) if days else None

    def open_milestones(self, on: dt.date) -> tuple[Milestone, ...]:
        """The milestones not done by ``on``."""
        return tuple(m for m in self.milestones if not m.done_by(on))

    def overdue_milestones(self, on: dt.date) -> tuple[Milestone, ...]:
        """The milestones past their target day and not done by ``on``."""
        return tuple(m for m in self.milestones if m.status(on) is MilestoneStatus.OVERDUE)

    def review_due(
        self, book: LimitBook, *, on: dt.date, calendar: WorkCalendar | None = None
    ) -> DueDate | None:
        """When the next review falls due, as known on ``on`` (下次检视期限).

        The limit ``legacy.review_interval`` of ``book`` (:data:`REVIEW_INTERVAL`: **yours to
        supply**) runs from the last step or review on or before ``on``. ``None`` when the
        case is not open on ``on``. ``.status(on=on)`` of the result is ``OVERDUE`` from the
        day after the due date.

        Raises:
            ParameterMissing: ``book`` has no value for ``legacy.review_interval``.
        """
        if not self.is_open(on):
            return None
        last = self.last_touched(on)
        assert last is not None
        return due(book, REVIEW_INTERVAL.key, last, calendar=calendar, on=on)

    def flags(
        self,
        on: dt.date,
        *,
        book: LimitBook | None = None,
        calendar: WorkCalendar | None = None,
    ) -> frozenset[LegacyFlag]:
        """What is overdue on ``on`` for an open case (nothing for a closed one).

        ``MILESTONE_OVERDUE`` when a milestone is past its target day and not done;
        ``REVIEW_OVERDUE`` when a ``book`` is given and the review is past due
        (:meth:`review_due`).

        Raises:
            ParameterMissing: a ``book`` without a value for ``legacy.review_interval``.
        """
        if not self.is_open(on):
            return frozenset()
        found: set[LegacyFlag] = set()
        if self.overdue_milestones(on):
            found.add(LegacyFlag.MILESTONE_OVERDUE)
        if book is not None:
            review = self.review_due(book, on=on, calendar=calendar)
            if review is not None and review.status(on=on) is DeadlineStatus.OVERDUE:
                found.add(LegacyFlag.REVIEW_OVERDUE)
        return frozenset(found)

    # --- steps -----------------------------------------------------------------------------

    @classmethod
    def identify(
        cls,
        *,
        case_id: str,
        category: LegacyCategory,
        regime: OriginRegime,
        topic: str,
        responsible_unit: DivisionCode,
        owner: str,
        on: dt.date,
        actor: str,
        origin_on: dt.date | None = None,
        subjects: tuple[ResidentId, ...] = (),
        source_request: str | None = None,
        note: str | None = None,
    ) -> LegacyCase:
        """Register a case (发现登记)."""
        return cls(
            case_id=case_id,
            category=category,
            regime=regime,
            topic=topic,
            responsible_unit=responsible_unit,
            owner=owner,
            origin_on=origin_on,
            subjects=subjects,
            source_request=source_request,
            history=(LegacyStep(to_status=LegacyStatus.IDENTIFIED, on=on, actor=actor, note=note),),
        )

    def advance(
        self,
        to: LegacyStatus,
        *,
        on: dt.date,
        actor: str,
        note: str | None = None,
        milestones: tuple[Milestone, ...] | None = None,
        referred_to: str | None = None,
    ) -> LegacyCase:
        """Take one step to ``to``; raises :class:`IllegalTransition` if it is not allowed."""
        current = self.status
        if to not in TRANSITIONS[current]:
            raise IllegalTransition(
                f"legacy case {self.case_id}", current.value, to.value, _WHY[to]
            )
        step = LegacyStep(from_status=current, to_status=to, on=on, actor=actor, note=note)
        return attrs.evolve(
            self,
            history=(*self.history, step),
            milestones=self.milestones if milestones is None else milestones,
            referred_to=referred_to,
        )

    def verify(self, *, on: dt.date, actor: str, note: str | None = None) -> LegacyCase:
        """The facts are verified (核实)."""
        return self.advance(LegacyStatus.VERIFIED, on=on, actor=actor, note=note)

    def agree_plan(
        self,
        *,
        on: dt.date,
        actor: str,
        milestones: tuple[Milestone, ...] = (),
        note: str | None = None,
    ) -> LegacyCase:
        """A plan is agreed, with its milestones (化解方案确定)."""
        return self.advance(
            LegacyStatus.PLAN_AGREED,
            on=on,
            actor=actor,
            note=note,
            milestones=(*self.milestones, *milestones),
        )

    def resolve(self, *, on: dt.date, actor: str, note: str | None = None) -> LegacyCase:
        """Resolved under the plan (化解办结)."""
        return self.advance(LegacyStatus.RESOLVED, on=on, actor=actor, note=note)

    def refer(self, *, to: str, on: dt.date, actor: str, note: str | None = None) -> LegacyCase:
        """Referred to the competent body (移交), e.g. in writing to the body with power to
        handle it (《军人保险法》第四十四条第二款) or, for a problem tied to service at
        hand-over, the unit of origin (《退役军人保障法》第十九条)."""
        return self.advance(LegacyStatus.REFERRED, on=on, actor=actor, note=note, referred_to=to)

    def declare_unresolvable(
        self, *, on: dt.date, actor: str, note: str | None = None
    ) -> LegacyCase:
        """No solution is possible under the rules now in force (暂无法化解)."""
        return self.advance(LegacyStatus.UNRESOLVABLE, on=on, actor=actor, note=note)

    def find_unfounded(self, *, on: dt.date, actor: str, note: str | None = None) -> LegacyCase:
        """Verification found nothing to solve (经核实不属实)."""
        return self.advance(LegacyStatus.UNFOUNDED, on=on, actor=actor, note=note)

    def record_review(self, *, on: dt.date) -> LegacyCase:
        """A review was held (定期检视); only while the case is open."""
        if not self.is_open(on):
            status = self.status_on(on)
            raise IllegalTransition(
                f"legacy case {self.case_id}",
                "not identified" if status is None else status.value,
                "review",
                "only an open case is reviewed",
            )
        return attrs.evolve(self, reviews=tuple(sorted({*self.reviews, on})))

    def complete_milestone(self, key: str, *, on: dt.date) -> LegacyCase:
        """Mark the milestone ``key`` done on ``on``."""
        found = [m for m in self.milestones if m.key == key]
        if not found:
            raise InvalidValue("key", key, "no milestone with this key", "无此节点")
        if found[0].done_on is not None:
            raise InconsistentRecord(
                "milestones.done_on", key, "the milestone is already done", "节点已完成"
            )
        return attrs.evolve(
            self,
            milestones=tuple(
                attrs.evolve(m, done_on=on) if m.key == key else m for m in self.milestones
            ),
        )
