"""Assessments, their contributions, sign-off and drafts someone was asked to prepare."""

from __future__ import annotations

from typing import Annotated

from casework import fields as f
from dataclasses import dataclass
from datetime import date, datetime

from casework.permissions import Role


@dataclass(frozen=True)
class StaffChoice:
    """A member of staff someone may name: who prepares a draft, who owns an action."""

    id: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class KeyPersonChoice:
    """One of the person's key people, as an assessment names them (a carer it is about,
    a carer who contributes)."""

    id: str
    name: str
    kind: str  # vocab.KeyPersonKind
    relationship: str
    is_carer: bool


@dataclass(frozen=True)
class AssessmentStartOptions:
    """What starting an assessment on a case may name."""

    case_id: str
    carers: tuple[KeyPersonChoice, ...]
    drafters: tuple[StaffChoice, ...]


@dataclass(frozen=True)
class AssessmentRow:
    id: str
    case_id: str
    kind: str  # vocab.AssessmentKind
    status: str  # vocab.AssessmentStatus
    risk_level: str | None  # the assessed risk
    started_on: date
    created_by_name: str
    drafter_id: str | None
    drafter_name: str | None
    carer_name: str | None
    signed_off_by_name: str | None
    signed_off_at: datetime | None
    row_version: int


@dataclass(frozen=True)
class ContributionInfo:
    id: str
    contributor: str  # vocab.ContributorRole
    name: str
    key_person_id: str | None
    staff_id: str | None
    contribution: str
    given_on: date | None  # None is refused in words
    row_version: int


@dataclass(frozen=True)
class AssessmentDetail:
    """An assessment with what preparing it needs: the person's name, the case reference,
    the person's key people (to name a carer who contributes) — and nothing else of the
    case, since a para-professional asked to draft it sees only this."""

    id: str
    case_id: str
    case_reference: str
    person_name: str
    case_risk_level: str
    kind: str
    status: str
    started_on: date
    carer_id: str | None
    carer_name: str | None
    risk_level: str | None
    strengths: str | None
    needs: str | None
    risks: str | None
    outcomes_wanted: str | None
    analysis: str | None
    created_by_id: str
    created_by_name: str
    drafter_id: str | None
    drafter_name: str | None
    signed_off_by_id: str | None
    signed_off_by_name: str | None
    signed_off_at: datetime | None
    contributions: tuple[ContributionInfo, ...]
    key_people: tuple[KeyPersonChoice, ...]
    row_version: int

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class AssessmentInput:
    """The drafted sections. Blank text is stored as nothing."""

    risk_level: f.Code | None = None
    strengths: f.LongText | None = None
    needs: f.LongText | None = None
    risks: f.LongText | None = None
    outcomes_wanted: f.LongText | None = None
    analysis: f.LongText | None = None


@dataclass(frozen=True)
class ContributionInput:
    """Who contributed and what they said, in their words. A blank name is filled in for
    the person, the worker recording it, or the key person named."""

    contributor: f.Code  # vocab.ContributorRole
    contribution: f.LongText
    given_on: date
    name: Annotated[str, f.Text(f.CONTRIBUTOR)] = ""
    key_person_id: f.Id | None = None


@dataclass(frozen=True)
class SignOffResult:
    assessment: AssessmentDetail
    reserved_functions: tuple[str, ...]  # the reserved functions the sign-off carried out
    case_risk_level: str
    # The assessed risk is above the case's recorded risk: the case was left as it is, for
    # the named worker to review.
    risk_above_case: bool


@dataclass(frozen=True)
class DraftRow:
    """An assessment someone was asked to prepare, on the "Drafts for me" list."""

    id: str
    case_id: str
    case_reference: str
    person_name: str
    kind: str
    started_on: date
    asked_by_id: str
    asked_by_name: str
    row_version: int
