from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework import fields
from casework.models.base import ID, Base, Synced


class PlanOutcome(Synced, Base):
    """A personal outcome in the case's plan, in the person's words where possible."""

    __tablename__ = "plan_outcome"
    __table_args__ = (Index("ix_plan_outcome_case_position", "case_id", "position"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    # Ended when achieved or no longer wanted; kept for the record and the reviews.
    ended_on: Mapped[date | None]


class PlanAction(Synced, Base):
    """What will be done towards an outcome, by whom and by when."""

    __tablename__ = "plan_action"

    outcome_id: Mapped[str] = mapped_column(ID, ForeignKey("plan_outcome.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    # A member of staff, or someone else named in words (the person, a carer, a provider).
    owner_staff_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    owner_name: Mapped[str] = mapped_column(String(fields.CONTRIBUTOR))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]


class PlanReview(Synced, Base):
    """A review of the plan, held on a date, that rates each outcome and sets the next one."""

    __tablename__ = "plan_review"
    __table_args__ = (Index("ix_plan_review_case_held", "case_id", "held_on"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"))
    held_on: Mapped[date]
    reviewer_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    summary: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None]


class OutcomeRating(Synced, Base):
    """How far one outcome was met at one review: met / partly met / not met, and 1-5."""

    __tablename__ = "outcome_rating"

    review_id: Mapped[str] = mapped_column(ID, ForeignKey("plan_review.id"), index=True)
    outcome_id: Mapped[str] = mapped_column(ID, ForeignKey("plan_outcome.id"), index=True)
    rating: Mapped[str] = mapped_column(String(16))  # vocab.OutcomeRating
    score: Mapped[int] = mapped_column(Integer)  # 1 (not at all) to 5 (fully)
    comment: Mapped[str | None] = mapped_column(Text)
