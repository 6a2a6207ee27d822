"""Hardship assistance cases (困难帮扶援助) and their approval workflow.

退役军人部发〔2019〕62号 (in force 2019-10-09) sets the procedure: personal application
(个人申请) → review by the township or subdistrict (乡镇(街道)审核) → approval by the county
(县级审批) → publication (公示) → payment (发放); one approval per incident (一事一批).

The workflow is an explicit state machine. A case is a value: each step returns a new case
with one more dated :class:`CaseTransition` in its history, and a step the current state does
not allow raises :class:`~veteran_affairs.errors.IllegalTransition`.

>>> case = AssistanceCase.apply(
...     case_id="GX-2020-0001", applicant=ResidentId("11010519491231002X"),
...     division=DivisionCode("450312"), cause=HardshipCause.SUDDEN_EVENT,
...     incident_on=dt.date(2020, 6, 1), on=dt.date(2020, 6, 3), actor="applicant")
>>> case = case.review(on=dt.date(2020, 6, 5), actor="township-01")
>>> case.status.label_zh
'乡镇审核'
>>> case.pay(on=dt.date(2020, 6, 6), actor="county-01")
Traceback (most recent call last):
...
veteran_affairs.errors.IllegalTransition: assistance case GX-2020-0001: cannot go from 'township-reviewed' to 'paid' (不允许的状态变更)
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from veteran_affairs._validate import (
    check_history,
    instance_of,
    money_amount,
    optional,
    past_date,
    text,
    tuple_of,
)
from veteran_affairs.errors import IllegalTransition, InconsistentRecord
from veteran_affairs.identity import DivisionCode, ResidentId

__all__ = [
    "TRANSITIONS",
    "AssistanceCase",
    "CaseStatus",
    "CaseTransition",
    "FundingAllocation",
    "FundingSource",
    "HardshipCause",
]


class HardshipCause(enum.Enum):
    """The five triggers of 退役军人部发〔2019〕62号 (帮扶援助情形)."""

    DISABILITY_OR_ILLNESS = "disability-or-illness"  # 因公致残或重大疾病，医疗费用负担加重
    LONG_UNEMPLOYMENT = "long-unemployment"  # 长期失业
    OLD_INJURY_RELAPSE = "old-injury-relapse"  # 旧伤复发
    SUDDEN_EVENT = (
        "sudden-event"  # 突发事件（火灾、水灾、交通事故、重大疾病、人身伤害、见义勇为等）
    )
    OTHER = "other"  # 其他特殊原因

    @property
    def label_zh(self) -> str:
        return {
            "disability-or-illness": "残疾或重大疾病致医疗负担加重",
            "long-unemployment": "长期失业",
            "old-injury-relapse": "旧伤复发",
            "sudden-event": "突发事件",
            "other": "其他特殊原因",
        }[self.value]


class FundingSource(enum.Enum):
    """Where the money for a case comes from (资金来源)."""

    BUDGET = "budget"  # 财政预算
    CARE_FOUNDATION = "care-foundation"  # 退役军人关爱基金会
    DONATION = "donation"  # 社会捐赠
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return {
            "budget": "财政预算",
            "care-foundation": "关爱基金",
            "donation": "社会捐赠",
            "other": "其他",
        }[self.value]


class CaseStatus(enum.Enum):
    """States of an assistance case."""

    APPLIED = "applied"  # 申请
    TOWNSHIP_REVIEWED = "township-reviewed"  # 乡镇审核
    COUNTY_APPROVED = "county-approved"  # 县级审批
    PUBLICISED = "publicised"  # 公示
    PAID = "paid"  # 发放
    REJECTED = "rejected"  # 不予批准
    WITHDRAWN = "withdrawn"  # 撤回

    @property
    def label_zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def final(self) -> bool:
        """No step leads out of a final state."""
        return not TRANSITIONS[self]


_STATUS_ZH = {
    CaseStatus.APPLIED: "申请",
    CaseStatus.TOWNSHIP_REVIEWED: "乡镇审核",
    CaseStatus.COUNTY_APPROVED: "县级审批",
    CaseStatus.PUBLICISED: "公示",
    CaseStatus.PAID: "发放",
    CaseStatus.REJECTED: "不予批准",
    CaseStatus.WITHDRAWN: "撤回",
}

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.APPLIED: frozenset(
        {CaseStatus.TOWNSHIP_REVIEWED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.TOWNSHIP_REVIEWED: frozenset(
        {CaseStatus.COUNTY_APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.COUNTY_APPROVED: frozenset({CaseStatus.PUBLICISED, CaseStatus.WITHDRAWN}),
    # An objection raised during publication can still lead to rejection.
    CaseStatus.PUBLICISED: frozenset({CaseStatus.PAID, CaseStatus.REJECTED}),
    CaseStatus.PAID: frozenset(),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}
"""The allowed steps: state → the states it may move to."""


@attrs.frozen(kw_only=True)
class CaseTransition:
    """One dated step of a case, with who took it (the first step has no ``from_status``)."""

    to_status: CaseStatus = attrs.field(validator=instance_of(CaseStatus))
    on: dt.date = attrs.field(validator=past_date)
    actor: str = attrs.field(validator=text(max_length=100))
    from_status: CaseStatus | None = attrs.field(
        default=None, validator=optional(instance_of(CaseStatus))
    )
    note: str | None = attrs.field(default=None, validator=optional(text(max_length=2000)))


@attrs.frozen(kw_only=True)
class FundingAllocation:
    """An amount of a case paid from one source (资金来源及金额)."""

    source: FundingSource = attrs.field(validator=instance_of(FundingSource))
    amount: Decimal = attrs.field(validator=money_amount)


def _check_history(case: AssistanceCase) -> None:
    check_history(
        f"assistance case {case.case_id}",
        case.history,
        first=CaseStatus.APPLIED,
        transitions=TRANSITIONS,
        missing=("a case starts with its application", "缺少申请记录"),
        begins="a case begins with its application",
    )


@attrs.frozen(kw_only=True)
class AssistanceCase:
    """One application for hardship assistance and everything that happened to it.

    Invariants: the history starts with the application and every step is an allowed
    transition dated no earlier than the one before; the application is not dated before the
    incident; an approved amount exists from county approval on, and funding allocations
    never exceed it.
    """

    case_id: str = attrs.field(validator=text(max_length=64))
    applicant: ResidentId = attrs.field(validator=instance_of(ResidentId))
    division: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    cause: HardshipCause = attrs.field(validator=instance_of(HardshipCause))
    incident_on: dt.date = attrs.field(validator=past_date)
    history: tuple[CaseTransition, ...] = attrs.field(validator=tuple_of(CaseTransition))
    requested_amount: Decimal | None = attrs.field(default=None, validator=optional(money_amount))
    approved_amount: Decimal | None = attrs.field(default=None, validator=optional(money_amount))
    funding: tuple[FundingAllocation, ...] = attrs.field(
        default=(), validator=tuple_of(FundingAllocation)
    )

    def __attrs_post_init__(self) -> None:
        _check_history(self)
        if self.applied_on < self.incident_on:
            raise InconsistentRecord(
                "incident_on/history[0].on",
                f"{self.incident_on.isoformat()}/{self.applied_on.isoformat()}",
                "the application cannot precede the incident",
                "申请日期早于事发日期",
            )
        approved = any(step.to_status is CaseStatus.COUNTY_APPROVED for step in self.history)
        if approved != (self.approved_amount is not None):
            raise InconsistentRecord(
                "approved_amount/history",
                str(self.approved_amount),
                "an approved amount goes with county approval, and only with it",
                "审批金额仅在县级审批后存在",
            )
        funded = sum((f.amount for f in self.funding), Decimal(0))
        if self.funding and (self.approved_amount is None or funded > self.approved_amount):
            raise InconsistentRecord(
                "funding/approved_amount",
                f"{funded}/{self.approved_amount}",
                "funding cannot exceed the approved amount",
                "资金来源合计超过审批金额",
            )

    # --- reading ---------------------------------------------------------------------------

    @property
    def status(self) -> CaseStatus:
        return self.history[-1].to_status

    @property
    def applied_on(self) -> dt.date:
        return self.history[0].on

    @property
    def paid_on(self) -> dt.date | None:
        last = self.history[-1]
        return last.on if last.to_status is CaseStatus.PAID else None

    def status_on(self, on: dt.date) -> CaseStatus | None:
        """The state on ``on`` (``None`` before the application)."""
        current = None
        for step in self.history:
            if step.on > on:
                break
            current = step.to_status
        return current

    # --- steps -----------------------------------------------------------------------------

    @classmethod
    def apply(
        cls,
        *,
        case_id: str,
        applicant: ResidentId,
        division: DivisionCode,
        cause: HardshipCause,
        incident_on: dt.date,
        on: dt.date,
        actor: str,
        requested_amount: Decimal | None = None,
        note: str | None = None,
    ) -> AssistanceCase:
        """Open a case with its application (个人申请)."""
        return cls(
            case_id=case_id,
            applicant=applicant,
            division=division,
            cause=cause,
            incident_on=incident_on,
            requested_amount=requested_amount,
            history=(CaseTransition(to_status=CaseStatus.APPLIED, on=on, actor=actor, note=note),),
        )

    def advance(
        self,
        to: CaseStatus,
        *,
        on: dt.date,
        actor: str,
        note: str | None = None,
        approved_amount: Decimal | None = None,
        funding: tuple[FundingAllocation, ...] | None = None,
    ) -> AssistanceCase:
        """Take one step to ``to``; raises :class:`IllegalTransition` if it is not allowed."""
        current = self.status
        if to not in TRANSITIONS[current]:
            raise IllegalTransition(f"assistance case {self.case_id}", current.value, to.value)
        if (to is CaseStatus.COUNTY_APPROVED) != (approved_amount is not None):
            raise InconsistentRecord(
                "approved_amount",
                str(approved_amount),
                "county approval, and only it, sets the approved amount",
                "仅县级审批时确定金额",
            )
        step = CaseTransition(from_status=current, to_status=to, on=on, actor=actor, note=note)
        return attrs.evolve(
            self,
            history=(*self.history, step),
            approved_amount=self.approved_amount if approved_amount is None else approved_amount,
            funding=self.funding if funding is None else funding,
        )

    def review(self, *, on: dt.date, actor: str, note: str | None = None) -> AssistanceCase:
        """Township or subdistrict review passed (乡镇(街道)审核)."""
        return self.advance(CaseStatus.TOWNSHIP_REVIEWED, on=on, actor=actor, note=note)

    def approve(
        self,
        *,
        on: dt.date,
        actor: str,
        amount: Decimal,
        funding: tuple[FundingAllocation, ...] = (),
        note: str | None = None,
    ) -> AssistanceCase:
        """County approval with the amount granted and its funding sources (县级审批)."""
        return self.advance(
            CaseStatus.COUNTY_APPROVED,
            on=on,
            actor=actor,
            note=note,
            approved_amount=amount,
            funding=funding,
        )

    def publicise(self, *, on: dt.date, actor: str, note: str | None = None) -> AssistanceCase:
        """Publication of the approval (公示)."""
        return self.advance(CaseStatus.PUBLICISED, on=on, actor=actor, note=note)

    def pay(self, *, on: dt.date, actor: str, note: str | None = None) -> AssistanceCase:
        """Payment made (发放)."""
        return self.advance(CaseStatus.PAID, on=on, actor=actor, note=note)

    def reject(self, *, on: dt.date, actor: str, note: str | None = None) -> AssistanceCase:
        """Not approved (不予批准)."""
        return self.advance(CaseStatus.REJECTED, on=on, actor=actor, note=note)

    def withdraw(self, *, on: dt.date, actor: str, note: str | None = None) -> AssistanceCase:
        """Withdrawn by the applicant (撤回)."""
        return self.advance(CaseStatus.WITHDRAWN, on=on, actor=actor, note=note)
