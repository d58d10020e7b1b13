"""The domain model. Split by subject: the organisation, the catalogue, rounds and inspections."""

from inspections.models.audit import Event
from inspections.models.catalogue import (
    AnswerType,
    ClassificationLevel,
    Criterion,
    EmulationModel,
    EvidenceKind,
    ModelVersion,
    PublishedVersionFrozen,
    Section,
)
from inspections.models.evidence import (
    ActionResponse,
    Commitment,
    CorrectiveAction,
    EvidencePhoto,
)
from inspections.models.inspection import Answer, Inspection, InspectionRevision
from inspections.models.org import Group, OrgUnit, RoleKind, UserRole
from inspections.models.people import Invitation, Profile, display_name
from inspections.models.record import (
    InspectionRecord,
    RecordCounter,
    Representative,
    Signature,
    TeamMember,
)
from inspections.models.rounds import Assignment, RankingSnapshot, Round, UnitResult
from inspections.models.tokens import ApiToken

__all__ = [
    "ActionResponse",
    "Answer",
    "AnswerType",
    "ApiToken",
    "Assignment",
    "ClassificationLevel",
    "Commitment",
    "CorrectiveAction",
    "Criterion",
    "EmulationModel",
    "Event",
    "EvidenceKind",
    "EvidencePhoto",
    "Group",
    "Inspection",
    "InspectionRecord",
    "InspectionRevision",
    "Invitation",
    "ModelVersion",
    "OrgUnit",
    "Profile",
    "PublishedVersionFrozen",
    "RankingSnapshot",
    "RecordCounter",
    "Representative",
    "RoleKind",
    "Round",
    "Section",
    "Signature",
    "TeamMember",
    "UnitResult",
    "UserRole",
    "display_name",
]
