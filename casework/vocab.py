"""The words case records are made of: service areas, statuses, bands, risk, legal status,
note types. Plain Python so that services, reports and the UI share one vocabulary."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ServiceArea(_Labelled):
    CHILDREN_AND_FAMILIES = "children_and_families"
    ADULT_COMMUNITY_CARE = "adult_community_care"
    JUSTICE = "justice"
    MENTAL_HEALTH = "mental_health"

    @property
    def label(self) -> str:
        return {
            "children_and_families": "Children and families",
            "adult_community_care": "Adult and community care",
            "justice": "Justice",
            "mental_health": "Mental health",
        }[self.value]


class CaseStatus(_Labelled):
    REFERRAL = "referral"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


# Statuses in which a case is live work that needs a named worker or a place in the queue.
LIVE_STATUSES = (CaseStatus.REFERRAL, CaseStatus.OPEN, CaseStatus.CLOSING)


class EligibilityBand(_Labelled):
    """National eligibility bands. Critical and substantial have an indicative six weeks to
    personal care."""

    CRITICAL = "critical"
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    LOW = "low"

    @property
    def rank(self) -> int:
        return ["critical", "substantial", "moderate", "low"].index(self.value)


# The national indicative time to personal care for critical and substantial needs: six weeks.
BAND_TARGET_DAYS = 42
TARGET_BANDS = frozenset({EligibilityBand.CRITICAL, EligibilityBand.SUBSTANTIAL})


def band_target(band: str | None, start: date | None) -> date | None:
    """When the indicative time runs out for a need in `band` assessed on `start`; None for
    a band without one."""
    if start is None or band not in TARGET_BANDS:
        return None
    return start + timedelta(days=BAND_TARGET_DAYS)


class RiskLevel(_Labelled):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ["low", "medium", "high"].index(self.value)


class LegalStatus(_Labelled):
    VOLUNTARY = "voluntary"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    COMPULSORY_SUPERVISION_ORDER = "compulsory_supervision_order"
    GUARDIANSHIP_ORDER = "guardianship_order"
    COMPULSORY_TREATMENT_ORDER = "compulsory_treatment_order"
    COMMUNITY_PAYBACK_ORDER = "community_payback_order"
    PROTECTION_ORDER = "protection_order"

    @property
    def label(self) -> str:
        return {
            "voluntary": "Voluntary",
            "child_protection_plan": "Child protection plan",
            "compulsory_supervision_order": "Compulsory supervision order",
            "guardianship_order": "Guardianship order (AWI)",
            "compulsory_treatment_order": "Compulsory treatment order",
            "community_payback_order": "Community payback order",
            "protection_order": "Adult protection order",
        }[self.value]

    @property
    def statutory_order(self) -> bool:
        """Closing a case under one of these is a reserved function."""
        return self not in (LegalStatus.VOLUNTARY, LegalStatus.CHILD_PROTECTION_PLAN)


class NoteType(_Labelled):
    VISIT = "visit"
    PHONE = "phone"
    MEETING = "meeting"
    LETTER = "letter"
    EMAIL = "email"
    OFFICE = "office"
    OTHER = "other"
    # Written by Casework itself for the chronology: referral received, case opened,
    # allocated, assessment signed off, review held, case closed.
    EVENT = "event"


class KeyPersonKind(_Labelled):
    UNPAID_CARER = "unpaid_carer"
    YOUNG_CARER = "young_carer"
    FAMILY = "family"
    FRIEND = "friend"
    PROFESSIONAL = "professional"
    OTHER = "other"

    @property
    def is_carer(self) -> bool:
        return self in (KeyPersonKind.UNPAID_CARER, KeyPersonKind.YOUNG_CARER)


class SupportPlanStatus(_Labelled):
    """A carer's own plan (adult carer support plan, young carer statement)."""

    NOT_OFFERED = "not_offered"
    OFFERED = "offered"
    IN_PLACE = "in_place"
    DECLINED = "declined"


class AssessmentKind(_Labelled):
    SELF_ASSESSMENT = "self_assessment"
    OUTCOMES_FOCUSED = "outcomes_focused"
    CARERS = "carers"
    RISK = "risk"
    CHILD_PROTECTION_INVESTIGATION = "child_protection_investigation"
    ASP_INQUIRY = "asp_inquiry"
    JUSTICE_REPORT = "justice_report"
    MHO_REPORT = "mho_report"

    @property
    def label(self) -> str:
        return {
            "self_assessment": "Self-assessment",
            "outcomes_focused": "Outcomes-focused assessment",
            "carers": "Carer's assessment",
            "risk": "Risk assessment",
            "child_protection_investigation": "Child protection investigation",
            "asp_inquiry": "Adult support and protection inquiry",
            "justice_report": "Justice social work report",
            "mho_report": "Mental health officer report",
        }[self.value]

    @property
    def statutory(self) -> bool:
        return self in STATUTORY_ASSESSMENTS


STATUTORY_ASSESSMENTS = frozenset({
    AssessmentKind.CHILD_PROTECTION_INVESTIGATION,
    AssessmentKind.ASP_INQUIRY,
    AssessmentKind.JUSTICE_REPORT,
    AssessmentKind.MHO_REPORT,
})


class AssessmentStatus(_Labelled):
    DRAFT = "draft"
    SIGNED_OFF = "signed_off"


class ContributorRole(_Labelled):
    PERSON = "person"  # the person's own view: their self-assessment
    CARER = "carer"
    WORKER = "worker"
    OTHER = "other"  # another agency or professional


class OutcomeRating(_Labelled):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
