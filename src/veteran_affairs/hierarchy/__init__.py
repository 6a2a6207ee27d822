"""The division tree, the service network and the standard reports over them (层级汇总).

:class:`DivisionTree` (:mod:`~veteran_affairs.hierarchy.tree`) links units by code;
:class:`ServiceNetwork` (:mod:`~veteran_affairs.hierarchy.network_report`) binds centres and stations
to them under a :class:`StationPolicy`; every report is a :class:`Report`
(:mod:`~veteran_affairs.hierarchy.report`) whose rows hold each unit's figures for its whole
subtree. The standard reports are functions of the tree and the records: :func:`population`
(entitled persons by category), :func:`plaques` (glory plaques), :func:`assistance`
(hardship assistance paid) and :func:`compliance_summary` (work routines), beside the
network's coverage and offices; casework has :func:`petitions_report` (信访),
:func:`transfers_report` (保险接续), :func:`baolian_report` (领导包联) and
:func:`registers_report` (the other registers: 历史遗留问题, 诉求, 接待日, 培训, 就业)
(:mod:`~veteran_affairs.hierarchy.casework_report`); :func:`check_consistency` checks the figures units submitted
against the records and against the units below. For a whole province, the population and
plaque reports also run from numpy columns read once (:mod:`~veteran_affairs.hierarchy.columnar`:
:func:`population_columns` then :func:`population_from_columns`, and the same for plaques). The main names are re-exported here.

>>> tree = DivisionTree.bundled("45")
>>> ServiceNetwork(tree, []).coverage().top[0]["required"]
1379
"""

from veteran_affairs.hierarchy.assistance_report import ASSISTANCE_COLUMNS, assistance
from veteran_affairs.hierarchy.casework_report import (
    BAOLIAN_COLUMNS,
    PETITION_COLUMNS,
    REGISTER_COLUMNS,
    TRANSFER_COLUMNS,
    baolian_report,
    petitions_report,
    registers_report,
    transfers_report,
)
from veteran_affairs.hierarchy.columnar import (
    CATEGORY_ORDER,
    PlaqueColumns,
    PopulationColumns,
    plaque_columns,
    plaques_from_columns,
    population_columns,
    population_from_columns,
)
from veteran_affairs.hierarchy.compliance_report import COMPLIANCE_COLUMNS, compliance_summary
from veteran_affairs.hierarchy.consistency import (
    STANDARD_COLUMNS,
    Mismatch,
    MismatchKind,
    check_consistency,
)
from veteran_affairs.hierarchy.network_report import (
    COVERAGE_COLUMNS,
    OFFICE_COLUMNS,
    ServiceNetwork,
    StationPolicy,
)
from veteran_affairs.hierarchy.plaques import PLAQUE_COLUMNS, plaques, plaques_from_statuses
from veteran_affairs.hierarchy.population_report import (
    POPULATION_COLUMNS,
    EntitledPerson,
    population,
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
    "ASSISTANCE_COLUMNS",
    "BAOLIAN_COLUMNS",
    "CATEGORY_ORDER",
    "COMPLIANCE_COLUMNS",
    "COVERAGE_COLUMNS",
    "OFFICE_COLUMNS",
    "PETITION_COLUMNS",
    "PLAQUE_COLUMNS",
    "POPULATION_COLUMNS",
    "REGISTER_COLUMNS",
    "STANDARD_COLUMNS",
    "TRANSFER_COLUMNS",
    "Column",
    "DivisionTree",
    "EntitledPerson",
    "FigureKind",
    "LevelSummary",
    "Mismatch",
    "MismatchKind",
    "PlaqueColumns",
    "PopulationColumns",
    "Report",
    "ReportRow",
    "ServiceNetwork",
    "StationPolicy",
    "assistance",
    "baolian_report",
    "build_report",
    "check_consistency",
    "compliance_summary",
    "petitions_report",
    "plaque_columns",
    "plaques",
    "plaques_from_columns",
    "plaques_from_statuses",
    "population",
    "population_columns",
    "population_from_columns",
    "registers_report",
    "transfers_report",
]


def __dir__() -> list[str]:
    return __all__
