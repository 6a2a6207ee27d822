"""Domain models: immutable, keyword-only attrs values validated on creation (领域模型).

Every class here is ``@attrs.frozen(kw_only=True)``: an invalid value cannot exist, and a
"change" is a new value (``attrs.evolve``). Validation errors are
:class:`~veteran_affairs.errors.InvalidValue` (one field) or
:class:`~veteran_affairs.errors.InconsistentRecord` (fields contradicting one another), both
``ValueError``; they name the field(s) and mask personal data.
"""

from veteran_affairs.models.activity import Activity, ActivityKind
from veteran_affairs.models.assistance import (
    AssistanceCase,
    CaseStatus,
    CaseTransition,
    FundingAllocation,
    FundingSource,
    HardshipCause,
)
from veteran_affairs.models.circumstances import Circumstances, Sanction, SanctionKind
from veteran_affairs.models.entitlement import EntitlementCategory, EntitlementStatus
from veteran_affairs.models.household import (
    Household,
    PlaqueBasis,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    PlaqueRecoveryReason,
)
from veteran_affairs.models.network import (
    Division,
    FiveHaves,
    ServiceStation,
    StationKind,
    StationStatus,
)
from veteran_affairs.models.people import (
    DeathCategory,
    HukouType,
    Person,
    Relation,
    ServingMember,
    Survivor,
    Veteran,
)
from veteran_affairs.models.reporting import ReportSubmission
from veteran_affairs.models.service import (
    Award,
    AwardKind,
    Disability,
    DisabilityNature,
    DischargeMode,
    NcoRank,
    PersonnelType,
    ServiceRecord,
)

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
    "PlaqueBasis",
    "PlaqueDisqualification",
    "PlaqueHousehold",
    "PlaqueMember",
    "PlaqueRecord",
    "PlaqueRecoveryReason",
    "Relation",
    "ReportSubmission",
    "Sanction",
    "SanctionKind",
    "ServiceRecord",
    "ServiceStation",
    "ServingMember",
    "StationKind",
    "StationStatus",
    "Survivor",
    "Veteran",
]

MODEL_CLASSES: tuple[type, ...] = (
    Activity,
    AssistanceCase,
    Award,
    CaseTransition,
    Circumstances,
    Disability,
    Division,
    EntitlementStatus,
    FiveHaves,
    FundingAllocation,
    Household,
    Person,
    PlaqueDisqualification,
    PlaqueHousehold,
    PlaqueMember,
    PlaqueRecord,
    ReportSubmission,
    Sanction,
    ServiceRecord,
    ServiceStation,
    ServingMember,
    Survivor,
    Veteran,
)
"""Every public model class (for converters, strategies and tests that cover them all)."""


def __dir__() -> list[str]:
    return __all__
