"""Work activities of the service network (工作活动): meetings, visits, contacts, reports.

The routines (月调度, 季座谈, 半年培训, 领导接待日, contact and care "三个常态化") are configuration,
not law (DOMAIN.md §1); an :class:`Activity` records that one took place. Statistical reports
(统计报表报送) and the yearly confirmation of periodic payments (定期待遇年度确认,
《军人抚恤优待条例》(2024) 第八条第二款) are recorded the same way, with the period they are for.

>>> import datetime as dt
>>> from veteran_affairs.identity import DivisionCode
>>> report = Activity(activity_id="R-2025-03", kind=ActivityKind.STATISTICAL_REPORT,
...                   unit=DivisionCode("450312"), held_on=dt.date(2025, 5, 6),
...                   for_period="2025-03")
>>> report.kind.label_zh, report.for_period
('统计报表报送', '2025-03')
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from veteran_affairs._validate import (
    in_range,
    instance_of,
    optional,
    past_date,
    period_key,
    text,
    tuple_of,
)
from veteran_affairs.errors import InconsistentRecord
from veteran_affairs.identity import DivisionCode, ResidentId

__all__ = ["Activity", "ActivityKind"]


class ActivityKind(enum.Enum):
    """Kinds of work activity and contact channel."""

    DISPATCH_MEETING = "dispatch-meeting"  # 月调度会
    SYMPOSIUM = "symposium"  # 座谈会（季座谈）
    TRAINING = "training"  # 培训（半年培训）
    RECEPTION_DAY = "reception-day"  # 领导接待日
    HOME_VISIT = "home-visit"  # 上门走访
    PHONE_CONTACT = "phone-contact"  # 电话沟通
    COUNTER_RECEPTION = "counter-reception"  # 窗口接待
    STATISTICAL_REPORT = "statistical-report"  # 统计报表报送
    PAYMENT_CONFIRMATION = "payment-confirmation"  # 定期待遇年度确认

    @property
    def label_zh(self) -> str:
        return _KIND_ZH[self]


_KIND_ZH = {
    ActivityKind.DISPATCH_MEETING: "月调度会",
    ActivityKind.SYMPOSIUM: "座谈会",
    ActivityKind.TRAINING: "培训",
    ActivityKind.RECEPTION_DAY: "领导接待日",
    ActivityKind.HOME_VISIT: "上门走访",
    ActivityKind.PHONE_CONTACT: "电话沟通",
    ActivityKind.COUNTER_RECEPTION: "窗口接待",
    ActivityKind.STATISTICAL_REPORT: "统计报表报送",
    ActivityKind.PAYMENT_CONFIRMATION: "定期待遇年度确认",
}


@attrs.frozen(kw_only=True)
class Activity:
    """One activity held by a unit on a date.

    ``contacts`` lists the entitled persons met, visited or called, when they are known (each
    once); ``participants`` counts everyone who took part and defaults to the contacts listed.

    ``for_period`` is the key of the reporting period the activity is for (``"2025-03"``,
    ``"2025Q1"``, ``"2025H1"``, ``"2025"``), when it says so: a statistical report submitted in
    May for March, the payment confirmation for 2025. Only the key's shape and year
    (1900–2200) are checked here. Compliance counts such an activity for the occasion of that
    period only (:func:`veteran_affairs.cycles.routines.compliance`); without it, an
    activity counts by its date.
    """

    activity_id: str = attrs.field(validator=text(max_length=64))
    kind: ActivityKind = attrs.field(validator=instance_of(ActivityKind))
    unit: DivisionCode = attrs.field(validator=instance_of(DivisionCode))
    held_on: dt.date = attrs.field(validator=past_date)
    contacts: tuple[ResidentId, ...] = attrs.field(default=(), validator=tuple_of(ResidentId))
    participants: int = attrs.field(validator=in_range(0, 1_000_000))
    topic: str | None = attrs.field(default=None, validator=optional(text(max_length=500)))
    for_period: str | None = attrs.field(default=None, validator=optional(period_key))

    @participants.default
    def _participants_from_contacts(self) -> int:
        # Defaults run before validators: a non-tuple is left for the contacts validator.
        contacts: object = self.contacts
        return len(contacts) if isinstance(contacts, tuple) else 0

    def __attrs_post_init__(self) -> None:
        if len(set(self.contacts)) != len(self.contacts):
            raise InconsistentRecord(
                "contacts", f"{len(self.contacts)} contacts", "a person is listed twice", "人员重复"
            )
        if self.participants < len(self.contacts):
            raise InconsistentRecord(
                "participants/contacts",
                f"{self.participants}/{len(self.contacts)}",
                "fewer participants than persons contacted",
                "参与人数少于联系人员数",
            )
