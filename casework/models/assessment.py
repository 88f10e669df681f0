from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base, Synced


class Assessment(Synced, Base):
    """A participative assessment. Drafted by anyone the case (or a drafting request) lets in;
    signed off by a practitioner, and for statutory kinds or high risk only by someone the
    reserved-function catalogue qualifies. Signed off, it no longer changes."""

    __tablename__ = "assessment"
    __table_args__ = (Index("ix_assessment_case_started", "case_id", "started_on"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(40))  # vocab.AssessmentKind
    status: Mapped[str] = mapped_column(String(16))  # vocab.AssessmentStatus
    started_on: Mapped[date]
    # For a carer's assessment: the carer it is about.
    carer_id: Mapped[str | None] = mapped_column(ID, ForeignKey("key_person.id"))
    risk_level: Mapped[str | None] = mapped_column(String(16))  # the assessed risk
    strengths: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    risks: Mapped[str | None] = mapped_column(Text)
    outcomes_wanted: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[str | None] = mapped_column(Text)  # the worker's analysis and view
    created_by: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    # Someone asked to prepare the draft (a para-professional may be): they may open and edit
    # this assessment, and only this, while it is a draft.
    drafter_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"), index=True)
    signed_off_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    signed_off_at: Mapped[datetime | None]


class AssessmentContribution(Synced, Base):
    """Who contributed and what they said: the person's self-assessment, a carer's view, the
    worker's, another agency's. Recorded as such, in their words."""

    __tablename__ = "assessment_contribution"

    assessment_id: Mapped[str] = mapped_column(ID, ForeignKey("assessment.id"), index=True)
    contributor: Mapped[str] = mapped_column(String(16))  # vocab.ContributorRole
    name: Mapped[str] = mapped_column(String(fields.CONTRIBUTOR))
    key_person_id: Mapped[str | None] = mapped_column(ID, ForeignKey("key_person.id"))
    staff_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    contribution: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date]
