"""Caseloads, case files, and what opening and updating a case records."""

from __future__ import annotations

from casework import fields as f
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from casework.vocab import LIVE_STATUSES


class CaseScope(StrEnum):
    MINE = "mine"  # cases where I am the named worker
    TEAM = "team"  # my team's cases (or the teams a service manager oversees)
    UNALLOCATED = "unallocated"  # the team's queue: live cases with no named worker


class CaseSort(StrEnum):
    PERSON = "person"
    REFERENCE = "reference"
    SERVICE_AREA = "service_area"
    STATUS = "status"
    RISK = "risk"
    BAND = "band"
    NEXT_REVIEW = "next_review"
    NAMED_WORKER = "named_worker"
    WAITING = "waiting"


@dataclass(frozen=True)
class CaseQuery:
    scope: CaseScope = CaseScope.MINE
    text: f.Search = ""  # name, case reference or CHI
    statuses: f.Codes = tuple(s.value for s in LIVE_STATUSES)
    risk_levels: f.Codes = ()
    service_areas: f.Codes = ()
    team_id: f.Id | None = None  # narrows a service manager's teams to one
    sort: CaseSort = CaseSort.NEXT_REVIEW
    descending: bool = False


@dataclass(frozen=True)
class CaseRow:
    id: str
    reference: str
    person_id: str
    person_name: str
    service_area: str
    status: str
    risk_level: str
    eligibility_band: str | None
    legal_status: str
    next_review_on: date | None
    named_worker_id: str | None
    named_worker_name: str | None
    team_id: str
    team_name: str
    unallocated_since: datetime | None
    referred_on: date


@dataclass(frozen=True)
class AllocationEntry:
    worker_id: str | None
    worker_name: str | None  # None: in the team's unallocated queue
    started_at: datetime
    ended_at: datetime | None
    reason: str
    allocated_by_name: str | None


@dataclass(frozen=True)
class NoteEntry:
    id: str
    note_type: str
    occurred_at: datetime
    subject: str
    author_name: str
    significant: bool
    corrects_id: str | None


@dataclass(frozen=True)
class PersonInfo:
    id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    chi: str | None
    address: str | None
    postcode: str | None
    phone: str | None
    communication_needs: str | None
    contact_preference: str | None
    what_matters: str | None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class CaseAbilities:
    """What the reader may do to this case, as the policy decides it for them when they read
    it: the case window shows or hides its controls by this; the services decide again on
    every call."""

    record: bool = False  # details, people, assessments, plan, notes
    allocate: bool = False
    # Close it as its named worker or a leader of its team; under a statutory order the
    # closure is also a reserved function, which the closing dialog explains.
    close: bool = False


@dataclass(frozen=True)
class CaseSummary:
    case: CaseRow
    person: PersonInfo
    opened_on: date | None
    closed_on: date | None
    summary: str | None
    allocations: tuple[AllocationEntry, ...]
    recent_notes: tuple[NoteEntry, ...]
    note_count: int
    row_version: int
    band_target_on: date | None = None
    referral_source: str | None = None
    referral_reason: str | None = None
    closing_summary: str | None = None
    abilities: CaseAbilities = CaseAbilities()


@dataclass(frozen=True)
class OpenCaseInput:
    """What opening a referral as a case records; the band's target date follows from it."""

    service_area: f.Code  # vocab.ServiceArea
    eligibility_band: f.Code  # vocab.EligibilityBand
    risk_level: f.Code  # vocab.RiskLevel
    legal_status: f.Code  # vocab.LegalStatus
    opened_on: date | None  # None is refused in words


@dataclass(frozen=True)
class CaseDetailsInput:
    """A live case's details as its workers keep them up to date. Blank text is nothing."""

    risk_level: f.Code
    eligibility_band: f.Code | None
    legal_status: f.Code
    summary: f.LongText = ""
