"""The bureau's casework (业务工作): petitions, legacy cases, requests, discharge transition, leaders' contact duties, village cadres.

Storage-agnostic models and pure rules, in the same shape as :mod:`veteran_affairs.models` and
:mod:`veteran_affairs.rules`; every store keeps the records (:mod:`veteran_affairs.repositories.records`).

* :mod:`~veteran_affairs.casework.deadlines` — the one deadline mechanism: cited, dated time
  limits on the calendar-day, working-day or month clock (``LimitBook``, ``due``).
* :mod:`~veteran_affairs.casework.petitions` — 信访/权益维护 cases and their limits.
* :mod:`~veteran_affairs.casework.legacy` — the register of historical legacy cases (历史遗留问题).
* :mod:`~veteran_affairs.casework.requests` — requests opened by a visit, a call or a counter
  reception, with follow-up and closure.
* :mod:`~veteran_affairs.casework.discharge` — insurance continuation, training and employment
  after discharge, and the deadlines counted from discharge.
* :mod:`~veteran_affairs.casework.leaders` — 领导接待日 and 领导包联 (quarterly talks).
* :mod:`~veteran_affairs.casework.villages` — veterans in village committees (兵支书、兵主任).

The statutory facts behind them, with articles and what is not found, are on the pages
``casework-petitions``, ``casework-discharge``, ``casework-contacts`` and ``casework-villages``.
"""

from __future__ import annotations

from veteran_affairs.casework.deadlines import (
    DayCount,
    DeadlineStatus,
    DueDate,
    LimitBook,
    TimeLimit,
    due,
)
from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentRecord,
    InsuranceStatus,
    InsuranceTransfer,
    TrainingEnrolment,
    TrainingEntitlement,
    discharge_deadlines,
    training_entitlement,
)
from veteran_affairs.casework.leaders import (
    BaolianTalk,
    ContactAssignment,
    ReceptionDayRule,
    ReceptionSession,
    baolian_compliance,
)
from veteran_affairs.casework.legacy import LegacyCase, LegacyStatus
from veteran_affairs.casework.petitions import Petition, PetitionStatus
from veteran_affairs.casework.requests import Contact, Request, RequestStatus
from veteran_affairs.casework.villages import CadreRole, VillageCadre, veteran_cadre_rows

__all__ = [
    "BaolianTalk",
    "CadreRole",
    "Contact",
    "ContactAssignment",
    "DayCount",
    "DeadlineStatus",
    "DischargeRecord",
    "DueDate",
    "EmploymentRecord",
    "InsuranceStatus",
    "InsuranceTransfer",
    "LegacyCase",
    "LegacyStatus",
    "LimitBook",
    "Petition",
    "PetitionStatus",
    "ReceptionDayRule",
    "ReceptionSession",
    "Request",
    "RequestStatus",
    "TimeLimit",
    "TrainingEnrolment",
    "TrainingEntitlement",
    "VillageCadre",
    "baolian_compliance",
    "discharge_deadlines",
    "due",
    "training_entitlement",
    "veteran_cadre_rows",
]


def __dir__() -> list[str]:
    return list(__all__)
