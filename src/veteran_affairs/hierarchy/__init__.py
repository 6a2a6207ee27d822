"""The division tree, the service network and the standard reports over them (层级汇总).

:class:`DivisionTree` (:mod:`~veteran_affairs.hierarchy.tree`) links units by code;
:class:`ServiceNetwork` (:mod:`~veteran_affairs.hierarchy.network`) binds centres and stations
to them under a :class:`StationPolicy`; every report is a :class:`Report`
(:mod:`~veteran_affairs.hierarchy.report`) whose rows hold each unit's figures for its whole
subtree. The main names are re-exported here.

>>> tree = DivisionTree.bundled("45")
>>> ServiceNetwork(tree, []).coverage().top[0]["required"]
1379
"""

from veteran_affairs.hierarchy.network import (
    COVERAGE_COLUMNS,
    OFFICE_COLUMNS,
    ServiceNetwork,
    StationPolicy,
)
from veteran_affairs.hierarchy.report import (
    Column,
    FigureKind,
    LevelSummary,
    Report,
    ReportRow,
    build_report,
)
from veteran_affairs.hierarchy.tree import DivisionTree

__all__ = [
    "COVERAGE_COLUMNS",
    "OFFICE_COLUMNS",
    "Column",
    "DivisionTree",
    "FigureKind",
    "LevelSummary",
    "Report",
    "ReportRow",
    "ServiceNetwork",
    "StationPolicy",
    "build_report",
]


def __dir__() -> list[str]:
    return __all__
