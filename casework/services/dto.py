"""Frozen data handed out by services: to the UI, the CLI, reports, tests and other threads.
Never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from casework.permissions import Accreditation, RegisterPart, Role
from casework.vocab import LIVE_STATUSES

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    offset: int
    limit: int

    @property
    def exhausted(self) -> bool:
        """No rows beyond this page."""
        return len(self.rows) < self.limit


@dataclass(frozen=True)
class WorkspaceInfo:
    workspace_id: str
    name: str
    is_demo: bool
    device_id: str
    location: str  # a file path, or a database URL without its password


@dataclass(frozen=True)
class TeamInfo:
    id: str
    name: str
    service_area: str
    service_manager_id: str | None
    service_manager_name: str | None
    staff_count: int
    live_cases: int
    row_version: int


@dataclass(frozen=True)
class StaffInfo:
    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    team_id: str | None
    team_name: str | None
    fte_percent: int
    supervisor_id: str | None
    supervisor_name: str | None
    sssc_number: str | None
    sssc_part: RegisterPart | None
    sssc_expiry: date | None
    qualified_on: date | None
    accreditations: tuple[Accreditation, ...]
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool
    row_version: int


@dataclass(frozen=True)
class StaffInput:
    """What an administrator fills in for a member of staff. Validated by the service."""

    username: str
    display_name: str
    role: str
    team_id: str | None = None
    email: str | None = None
    fte_percent: int = 100
    supervisor_id: str | None = None
    sssc_number: str | None = None
    sssc_part: str | None = None
    sssc_expiry: date | None = None
    qualified_on: date | None = None
    accreditations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StaffQuery:
    text: str = ""
    role: str | None = None
    team_id: str | None = None
    include_inactive: bool = False


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
    text: str = ""  # name, case reference or CHI
    statuses: tuple[str, ...] = tuple(s.value for s in LIVE_STATUSES)
    risk_levels: tuple[str, ...] = ()
    service_areas: tuple[str, ...] = ()
    team_id: str | None = None  # narrows a service manager's teams to one
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
class AuditEventInfo:
    id: str
    seq: int
    at: datetime
    actor_name: str
    action: str
    outcome: str
    entity_type: str | None
    entity_id: str | None
    reason: str | None
    detail: str


@dataclass(frozen=True)
class AuditQuery:
    text: str = ""  # action, actor name or entity id
    outcome: str | None = None  # done | refused | failed


@dataclass(frozen=True)
class ReservedRuleInfo:
    code: str
    label: str
    accreditations: tuple[Accreditation, ...]
    min_pq_months: int
    builtin: bool


@dataclass(frozen=True)
class ReservedStanding:
    """Whether a person may carry out one reserved function today, and if not, why."""

    code: str
    label: str
    allowed: bool
    reason: str
    message: str


@dataclass(frozen=True)
class Capabilities:
    """What the signed-in person may do, for the UI to decide what to show."""

    actions: frozenset[str] = field(default_factory=frozenset)
    reserved: frozenset[str] = field(default_factory=frozenset)


# -- people and referrals --


@dataclass(frozen=True)
class PersonInput:
    """A person's details as a worker types them. Blank text is stored as nothing; a CHI
    number may be typed with spaces."""

    given_name: str
    family_name: str
    date_of_birth: date | None = None
    chi: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    communication_needs: str | None = None
    contact_preference: str | None = None
    what_matters: str | None = None


@dataclass(frozen=True)
class LiveCaseMatch:
    """A live case of a possible duplicate. Of a team the actor neither belongs to nor
    manages, only the team is said: no case content."""

    team_id: str
    team_name: str
    in_my_teams: bool
    reference: str | None = None
    status: str | None = None  # vocab.CaseStatus
    named_worker_name: str | None = None


@dataclass(frozen=True)
class PersonMatch:
    """Someone already recorded who may be the person being referred: what is needed to
    recognise them, and why they matched."""

    person_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    chi: str | None
    same_chi: bool
    same_name_and_birth: bool
    live_cases: tuple[LiveCaseMatch, ...]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class ReferralTeam:
    id: str
    name: str
    service_area: str  # vocab.ServiceArea: a new case's default


@dataclass(frozen=True)
class ReferralOptions:
    """Where the actor may record a referral. A service manager chooses one of the teams
    they manage; everyone else records in their own team."""

    teams: tuple[ReferralTeam, ...]
    choose_team: bool
    default_team_id: str | None


@dataclass(frozen=True)
class ReferralInput:
    """A referral: who referred and why, for an existing person (`person_id`) or a new one
    (`person`). A new person who shares a name and date of birth with someone already
    recorded needs `new_person_confirmed`: the worker saw the matches and says this is
    someone else."""

    referral_source: str
    referral_reason: str
    referred_on: date
    risk_level: str  # vocab.RiskLevel
    person_id: str | None = None
    person: PersonInput | None = None
    new_person_confirmed: bool = False
    service_area: str | None = None  # None: the team's own
    team_id: str | None = None  # None: the actor's own team


@dataclass(frozen=True)
class ReferralResult:
    case_id: str
    case_reference: str
    person_id: str
    person_name: str
    person_created: bool
    team_id: str
    team_name: str
    service_area: str


@dataclass(frozen=True)
class KeyPersonInfo:
    """Someone who matters in the person's life. A carer (unpaid or young) is a partner in
    care, and may have their own support plan (Carers (Scotland) Act 2016)."""

    id: str
    person_id: str
    kind: str  # vocab.KeyPersonKind
    is_carer: bool
    given_name: str
    family_name: str
    relationship: str
    phone: str | None
    email: str | None
    address: str | None
    date_of_birth: date | None
    lives_with_person: bool
    support_plan: str | None  # vocab.SupportPlanStatus, for a carer
    support_plan_review_on: date | None
    notes: str | None
    row_version: int

    @property
    def name(self) -> str:
        return " ".join(n for n in (self.given_name, self.family_name) if n)


@dataclass(frozen=True)
class KeyPersonInput:
    kind: str  # vocab.KeyPersonKind
    given_name: str
    family_name: str
    relationship: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    date_of_birth: date | None = None
    lives_with_person: bool = False
    # A carer's own plan; a carer with none recorded has not been offered one.
    support_plan: str | None = None
    support_plan_review_on: date | None = None  # only for a plan in place
    notes: str | None = None


@dataclass(frozen=True)
class CasePeople:
    """The person on a case and the people around them, carers first."""

    case_id: str
    case_status: str
    person: PersonInfo
    person_row_version: int  # what update_person expects
    key_people: tuple[KeyPersonInfo, ...]


# -- allocation and workload --

@dataclass(frozen=True)
class OpenCaseInput:
    """What opening a referral as a case records; the band's target date follows from it."""

    service_area: str  # vocab.ServiceArea
    eligibility_band: str  # vocab.EligibilityBand
    risk_level: str  # vocab.RiskLevel
    legal_status: str  # vocab.LegalStatus
    opened_on: date


@dataclass(frozen=True)
class CaseDetailsInput:
    """A live case's details as its workers keep them up to date. Blank text is nothing."""

    risk_level: str
    eligibility_band: str | None
    legal_status: str
    summary: str = ""


@dataclass(frozen=True)
class WorkerLoad:
    """A case-holding worker's weighted caseload against their capacity (casework.weighting)."""

    staff_id: str
    display_name: str
    role: Role
    fte_percent: int
    newly_qualified: bool
    cases: int  # live cases they are the named worker of
    load: float  # the weighted total
    capacity: float

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class AllocationOptions:
    """What allocating one case offers: the case as it stands and its team's case-holding
    workers with their loads."""

    case_id: str
    case_reference: str
    person_name: str
    team_id: str
    team_name: str
    service_area: str
    status: str
    risk_level: str
    legal_status: str
    named_worker_id: str | None
    named_worker_name: str | None
    unallocated_since: datetime | None
    case_weight: float
    workers: tuple[WorkerLoad, ...]
    row_version: int  # what allocate and return_to_queue expect


@dataclass(frozen=True)
class AllocationPreview:
    """What allocating a case would do to one worker's load."""

    case_id: str
    case_weight: float
    worker: WorkerLoad  # as they are now
    holds_case: bool  # already the named worker: allocating would change nothing
    load_after: float

    @property
    def load_before(self) -> float:
        return self.worker.load

    @property
    def capacity(self) -> float:
        return self.worker.capacity

    @property
    def over_capacity_after(self) -> bool:
        return self.load_after > self.worker.capacity


# -- assessments --


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
    given_on: date
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

    risk_level: str | None = None
    strengths: str | None = None
    needs: str | None = None
    risks: str | None = None
    outcomes_wanted: str | None = None
    analysis: str | None = None


@dataclass(frozen=True)
class ContributionInput:
    """Who contributed and what they said, in their words. A blank name is filled in for
    the person, the worker recording it, or the key person named."""

    contributor: str  # vocab.ContributorRole
    contribution: str
    given_on: date
    name: str = ""
    key_person_id: str | None = None


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


# -- plans and reviews --

# How a rating and its 1-5 score agree: the score says how far, the rating says it in
# words, and the two may not contradict ("met" scored 1 is refused). Neighbouring ratings
# share a boundary score.
RATING_SCORES: dict[str, tuple[int, int]] = {
    "met": (4, 5),
    "partly_met": (2, 4),
    "not_met": (1, 2),
}


@dataclass(frozen=True)
class PlanActionInfo:
    id: str
    outcome_id: str
    description: str
    owner_staff_id: str | None
    owner_name: str
    due_on: date | None
    done_on: date | None
    row_version: int


@dataclass(frozen=True)
class RatingInfo:
    outcome_id: str
    outcome_description: str
    rating: str  # vocab.OutcomeRating
    score: int  # 1 (not at all) to 5 (fully)
    comment: str | None


@dataclass(frozen=True)
class OutcomeInfo:
    id: str
    position: int
    description: str
    ended_on: date | None
    actions: tuple[PlanActionInfo, ...]
    latest_rating: RatingInfo | None
    latest_rated_on: date | None  # when the latest rating was given (its review's date)
    row_version: int


@dataclass(frozen=True)
class ReviewInfo:
    id: str
    held_on: date
    reviewer_id: str
    reviewer_name: str
    summary: str | None
    next_review_on: date | None
    ratings: tuple[RatingInfo, ...]

    def count(self, rating: str) -> int:
        return sum(1 for r in self.ratings if r.rating == rating)


@dataclass(frozen=True)
class PlanInfo:
    case_id: str
    case_reference: str
    case_status: str
    outcomes: tuple[OutcomeInfo, ...]  # live, in plan order
    ended_outcomes: tuple[OutcomeInfo, ...]  # most recently ended first
    reviews: tuple[ReviewInfo, ...]  # newest first
    next_review_on: date | None
    case_row_version: int  # what set_next_review and record_review expect


@dataclass(frozen=True)
class ActionInput:
    """An action towards an outcome: owned by a member of staff, or by someone named in
    words (the person, a carer, a provider)."""

    description: str
    owner_staff_id: str | None = None
    owner_name: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class RatingInput:
    outcome_id: str
    rating: str  # vocab.OutcomeRating
    score: int
    comment: str


@dataclass(frozen=True)
class ReviewInput:
    held_on: date
    summary: str
    ratings: tuple[RatingInput, ...]
    next_review_on: date


# -- notes and chronology --


@dataclass(frozen=True)
class NoteQuery:
    """Which of a case's notes to list. The chronology is the significant ones, oldest
    first."""

    significant_only: bool = False
    note_types: tuple[str, ...] = ()  # vocab.NoteType values; () for every type
    text: str = ""  # words in the subject or the body
    newest_first: bool = True


CHRONOLOGY = NoteQuery(significant_only=True, newest_first=False)


@dataclass(frozen=True)
class NoteRow:
    """A case note or contact as written. Notes never change: `corrects_id` points at the
    note this one corrects, `corrected_by_id` at the later note that corrects this one."""

    id: str
    case_id: str
    note_type: str  # vocab.NoteType
    occurred_at: datetime
    recorded_at: datetime
    subject: str
    body: str
    author_id: str
    author_name: str
    significant: bool
    contact_with: str | None
    corrects_id: str | None
    corrected_by_id: str | None

    @property
    def is_event(self) -> bool:
        """Written by Casework when something happened (referral, allocation, sign-off…)."""
        return self.note_type == "event"


@dataclass(frozen=True)
class NoteInput:
    """A note as a worker writes it. `occurred_at` is when the contact or event happened
    (timezone-aware); it is recorded now."""

    note_type: str  # vocab.NoteType, other than "event"
    occurred_at: datetime
    subject: str
    body: str
    significant: bool = False
    contact_with: str | None = None


# -- reports --


class PdfKind(StrEnum):
    SUMMARY = "summary"  # the case summary
    CHRONOLOGY = "chronology"


@dataclass(frozen=True)
class PdfDocument:
    """A PDF made for a case, held in memory: the person decides whether and where to save
    it."""

    kind: PdfKind
    case_id: str
    content: bytes
    file_name: str  # suggested: the case reference, the kind and the date, no personal data
    page_count: int


@dataclass(frozen=True)
class ReportStamp:
    """Who made a PDF and when (UTC), as every page of it says."""

    made_by: str
    made_at: datetime


@dataclass(frozen=True)
class ReportKeyPerson:
    """One of the person's key people as the case summary lists them."""

    name: str
    relationship: str
    kind: str  # vocab.KeyPersonKind
    is_carer: bool
    lives_with_person: bool
    phone: str | None
    support_plan: str | None  # vocab.SupportPlanStatus, for a carer
    support_plan_review_on: date | None


@dataclass(frozen=True)
class CaseSummaryReport:
    """What the case summary PDF is made from."""

    summary: CaseSummary
    key_people: tuple[ReportKeyPerson, ...]  # carers first
    assessments: tuple[AssessmentRow, ...]  # newest first
    plan: PlanInfo
    recent_chronology: tuple[NoteRow, ...]  # the latest significant entries, oldest first
    chronology_count: int  # how many entries the whole chronology has
    stamp: ReportStamp


@dataclass(frozen=True)
class ChronologyReport:
    """What the chronology PDF is made from."""

    case: CaseRow
    person: PersonInfo
    entries: tuple[NoteRow, ...]  # significant notes and Casework's events, oldest first
    # Notes outside the chronology that correct an entry or that an entry corrects, so that
    # each side of a correction can name the other.
    related: tuple[NoteRow, ...]
    stamp: ReportStamp
