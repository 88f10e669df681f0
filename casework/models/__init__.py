"""ORM models, one module per aggregate. No business rules and no Qt here."""

from casework.models.assessment import Assessment, AssessmentContribution
from casework.models.audit import AuditEvent, AuditHead
from casework.models.base import Base
from casework.models.case import Allocation, Case, CaseNote, Person
from casework.models.people import KeyPerson
from casework.models.plan import OutcomeRating, PlanAction, PlanOutcome, PlanReview
from casework.models.staff import (
    ReservedRuleExtension,
    SignInState,
    Staff,
    StaffAccreditation,
    StaffEpoch,
    Team,
)
from casework.models.workspace import WorkspaceInfo

__all__ = [
    "Assessment",
    "AssessmentContribution",
    "KeyPerson",
    "OutcomeRating",
    "PlanAction",
    "PlanOutcome",
    "PlanReview",
    "Allocation",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Case",
    "CaseNote",
    "Person",
    "ReservedRuleExtension",
    "SignInState",
    "Staff",
    "StaffAccreditation",
    "StaffEpoch",
    "Team",
    "WorkspaceInfo",
]
