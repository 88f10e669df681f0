"""What the case PDFs are made from, and the PDFs made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from casework.dto.assessments import AssessmentRow
from casework.dto.cases import CaseRow, CaseSummary, PersonInfo
from casework.dto.notes import NoteRow
from casework.dto.plans import PlanInfo


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
