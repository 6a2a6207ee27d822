"""Hypothesis strategies for the casework records (业务工作测试数据), valid by construction.

Every record of :mod:`veteran_affairs.casework` is built the way an office would build it: a
petition, a legacy case, a contact request or an insurance transfer by walking the steps its
state machine allows from the first, so a generated history never skips a state; dates come
in order and never after the day the strategy was drawn. Keyword arguments narrow what a
strategy gives, as in :mod:`veteran_affairs.testing.strategies`::

    from hypothesis import given

    from veteran_affairs.casework.petitions import Petition
    from veteran_affairs.testing import casework_strategies as vcs

    @given(vcs.petitions())
    def test_a_petition_reads_back_its_own_status(petition: Petition) -> None:
        assert petition.status is petition.steps[-1].status

:data:`CASEWORK_STRATEGIES` maps each casework record class to its strategy; installing the
library registers them with ``st.from_type`` through the hypothesis entry point, as it does
the models'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st

from veteran_affairs.casework.discharge import (
    DischargeRecord,
    EmploymentHistory,
    EmploymentRecord,
    InsuranceTransfer,
    TrainingEnrolment,
    TrainingEntitlement,
)
from veteran_affairs.casework.leaders import BaolianTalk, ContactAssignment, ReceptionSession
from veteran_affairs.casework.legacy import LegacyCase
from veteran_affairs.casework.petitions import Petition
from veteran_affairs.casework.requests import Contact, Request
from veteran_affairs.casework.villages import VillageCadre
from veteran_affairs.testing._casework_registers import (
    contact_assignments,
    contact_requests,
    contacts,
    legacy_cases,
    milestones,
    talks_for,
    village_cadres,
)
from veteran_affairs.testing._discharge_strategies import (
    discharge_dates,
    discharge_records,
    employment_histories,
    employment_records,
    insurance_transfers,
    training_enrolments,
    training_entitlements,
)
from veteran_affairs.testing._petition_strategies import (
    due_dates,
    petition_dates,
    petition_steps,
    petitions,
    received_petitions,
)
from veteran_affairs.testing.strategies import division_codes

__all__ = [
    "CASEWORK_STRATEGIES",
    "baolian_talks",
    "casework_records",
    "contact_assignments",
    "contact_requests",
    "contacts",
    "discharge_dates",
    "discharge_records",
    "due_dates",
    "employment_histories",
    "employment_records",
    "insurance_transfers",
    "legacy_cases",
    "milestones",
    "petition_dates",
    "petition_steps",
    "petitions",
    "received_petitions",
    "reception_sessions",
    "talks_for",
    "training_enrolments",
    "training_entitlements",
    "village_cadres",
]


def __dir__() -> list[str]:
    return list(__all__)


def baolian_talks() -> st.SearchStrategy[BaolianTalk]:
    """One 包联 talk, held for a generated assignment while it was in force."""
    return (
        contact_assignments()
        .flatmap(lambda assignment: talks_for(assignment, max_size=1))
        .filter(bool)
        .map(lambda talks: talks[0])
    )


@st.composite
def reception_sessions(draw: st.DrawFn) -> ReceptionSession:
    """A reception day held (领导接待日) by a unit, with its visitors and the requests opened."""
    opened = st.lists(st.from_regex(r"SQ-[0-9]{1,4}", fullmatch=True), max_size=3, unique=True)
    return ReceptionSession(
        session_id=draw(st.from_regex(r"JD-[0-9]{1,6}", fullmatch=True)),
        unit=draw(division_codes()),
        leader=draw(st.sampled_from(("局长", "副局长", "站长"))),
        held_on=draw(st.dates(dt.date(2018, 4, 16), dt.date.today())),
        visitors=draw(st.integers(0, 40)),
        requests=tuple(draw(opened)),
    )


CASEWORK_STRATEGIES: Mapping[type, st.SearchStrategy[Any]] = MappingProxyType(
    {
        BaolianTalk: baolian_talks(),
        Contact: contacts(),
        ContactAssignment: contact_assignments(),
        DischargeRecord: discharge_records(),
        EmploymentHistory: employment_histories(),
        EmploymentRecord: employment_records(),
        InsuranceTransfer: insurance_transfers(),
        LegacyCase: legacy_cases(),
        Petition: petitions(),
        ReceptionSession: reception_sessions(),
        Request: contact_requests(),
        TrainingEnrolment: training_enrolments(),
        TrainingEntitlement: training_entitlements(),
        VillageCadre: village_cadres(),
    }
)
"""A strategy for every casework record class (what the hypothesis entry point registers)."""


def casework_records() -> st.SearchStrategy[Any]:
    """Any casework record: one of :data:`CASEWORK_STRATEGIES`."""
    return st.one_of(list(CASEWORK_STRATEGIES.values()))
