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
from inspections.models.notifications import (
    MANDATORY_CATEGORIES,
    Category,
    EmailChoice,
    ExportJob,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from inspections.models.onestop import OneStopDossier, OneStopImport
from inspections.models.org import Group, OrgUnit, RoleKind, UserRole
from inspections.models.people import Invitation, Profile, display_name
from inspections.models.record import (
    InspectionRecord,
    RecordCounter,
    Representative,
    Signature,
    TeamMember,
)
from inspections.models.rounds import (
    Assignment,
    RankingSnapshot,
    RankingSnapshotRow,
    Round,
    UnitResult,
)
from inspections.models.surveys import SurveyBurst, SurveyPoint, SurveyResponse
from inspections.models.tokens import ApiToken
from inspections.models.years import (
    ProposalDecision,
    PublishedYearFrozen,
    YearPolicy,
    YearResult,
)

__all__ = [
    "MANDATORY_CATEGORIES",
    "ActionResponse",
    "Answer",
    "AnswerType",
    "ApiToken",
    "Assignment",
    "Category",
    "ClassificationLevel",
    "Commitment",
    "CorrectiveAction",
    "Criterion",
    "EmailChoice",
    "EmulationModel",
    "Event",
    "EvidenceKind",
    "EvidencePhoto",
    "ExportJob",
    "Group",
    "Inspection",
    "InspectionRecord",
    "InspectionRevision",
    "Invitation",
    "ModelVersion",
    "Notification",
    "NotificationPreference",
    "OneStopDossier",
    "OneStopImport",
    "OrgUnit",
    "OutgoingEmail",
    "Profile",
    "ProposalDecision",
    "PublishedVersionFrozen",
    "PublishedYearFrozen",
    "RankingSnapshot",
    "RankingSnapshotRow",
    "RecordCounter",
    "Representative",
    "RoleKind",
    "Round",
    "Section",
    "Signature",
    "SurveyBurst",
    "SurveyPoint",
    "SurveyResponse",
    "TeamMember",
    "UnitResult",
    "UserRole",
    "YearPolicy",
    "YearResult",
    "display_name",
]
