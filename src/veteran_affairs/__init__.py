"""veteran_affairs — China's veteran-affairs work in code (退役军人事务).

The top level re-exports the values most code needs: identifiers, money helpers, the
domain models and the root error. Submodules hold the rest: ``rules``, ``hierarchy``,
``cycles``, ``repositories``, ``serialization``, ``divisions`` and, with the ``testing``
extra, ``testing.strategies``.
"""

from veteran_affairs.errors import VeteranAffairsError
from veteran_affairs.identity import (
    DivisionCode,
    DivisionLevel,
    ResidentId,
    Sex,
)
from veteran_affairs.models import (
    Activity,
    ActivityKind,
    AssistanceCase,
    Award,
    AwardKind,
    CaseStatus,
    CaseTransition,
    Circumstances,
    DeathCategory,
    Disability,
    DisabilityNature,
    DischargeMode,
    Division,
    EntitlementCategory,
    EntitlementStatus,
    FiveHaves,
    FundingAllocation,
    FundingSource,
    HardshipCause,
    Household,
    HukouType,
    NcoRank,
    Person,
    PersonnelType,
    PlaqueRecord,
    PlaqueRecoveryReason,
    Relation,
    Sanction,
    SanctionKind,
    ServiceRecord,
    ServiceStation,
    StationKind,
    StationStatus,
    Survivor,
    Veteran,
)
from veteran_affairs.money import round_fen, yuan

__version__ = "0.1.0.dev0"

__all__ = [
    "Activity",
    "ActivityKind",
    "AssistanceCase",
    "Award",
    "AwardKind",
    "CaseStatus",
    "CaseTransition",
    "Circumstances",
    "DeathCategory",
    "Disability",
    "DisabilityNature",
    "DischargeMode",
    "Division",
    "DivisionCode",
    "DivisionLevel",
    "EntitlementCategory",
    "EntitlementStatus",
    "FiveHaves",
    "FundingAllocation",
    "FundingSource",
    "HardshipCause",
    "Household",
    "HukouType",
    "NcoRank",
    "Person",
    "PersonnelType",
    "PlaqueRecord",
    "PlaqueRecoveryReason",
    "Relation",
    "ResidentId",
    "Sanction",
    "SanctionKind",
    "ServiceRecord",
    "ServiceStation",
    "Sex",
    "StationKind",
    "StationStatus",
    "Survivor",
    "Veteran",
    "VeteranAffairsError",
    "__version__",
    "round_fen",
    "yuan",
]


def __dir__() -> list[str]:
    return __all__
