"""Hypothesis entry point: ``st.from_type`` knows every public model type.

Hypothesis calls :func:`_hypothesis_setup_hook` while ``import hypothesis`` is still running,
which may itself be happening inside ``import veteran_affairs.testing.strategies``. So the hook
registers deferred strategies and touches the strategies module only when a value is first
drawn, by which time every import has finished.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _strategy_for(cls: type) -> Callable[[], Any]:
    """A definition for ``st.deferred`` (it wants a function): the strategy for ``cls``."""

    def definition() -> Any:
        from veteran_affairs.testing.strategies import STRATEGIES

        return STRATEGIES[cls]

    return definition


def _hypothesis_setup_hook() -> None:
    """Register a deferred strategy for every model class, ``ResidentId`` and ``DivisionCode``."""
    from hypothesis import strategies as st

    from veteran_affairs.identity import DivisionCode, ResidentId
    from veteran_affairs.models import MODEL_CLASSES

    for cls in (*MODEL_CLASSES, DivisionCode, ResidentId):
        st.register_type_strategy(cls, st.deferred(_strategy_for(cls)))
    for cls in _casework_classes():
        st.register_type_strategy(cls, st.deferred(_casework_strategy_for(cls)))


def _casework_classes() -> tuple[type, ...]:
    """The casework record classes (:data:`veteran_affairs.testing.casework_strategies.CASEWORK_STRATEGIES`)."""
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

    return (
        BaolianTalk,
        Contact,
        ContactAssignment,
        DischargeRecord,
        EmploymentHistory,
        EmploymentRecord,
        InsuranceTransfer,
        LegacyCase,
        Petition,
        ReceptionSession,
        Request,
        TrainingEnrolment,
        TrainingEntitlement,
        VillageCadre,
    )


def _casework_strategy_for(cls: type) -> Callable[[], Any]:
    def definition() -> Any:
        from veteran_affairs.testing.casework_strategies import CASEWORK_STRATEGIES

        return CASEWORK_STRATEGIES[cls]

    return definition
