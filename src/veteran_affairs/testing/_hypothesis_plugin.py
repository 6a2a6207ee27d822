"""Hypothesis entry point: registers a strategy for every public model type."""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Called by hypothesis at start-up (entry point group ``hypothesis``)."""
    from veteran_affairs.testing import strategies

    strategies.register_type_strategies()
