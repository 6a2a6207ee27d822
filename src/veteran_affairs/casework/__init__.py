"""The bureau's casework (业务工作): petitions, legacy cases, requests, discharge transition, leaders' contact duties, village cadres.

Storage-agnostic models and pure rules, in the same shape as :mod:`veteran_affairs.models` and
:mod:`veteran_affairs.rules`. The statutory facts, with their articles and what is not found,
are summarised in ``docs/casework.md``.
"""

from __future__ import annotations

__all__: list[str] = []


def __dir__() -> list[str]:
    return list(__all__)
