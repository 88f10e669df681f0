"""Plans of personal outcomes, their actions, and reviews that rate them."""

from __future__ import annotations

from typing import Annotated

from casework import fields as f
from dataclasses import dataclass
from datetime import date

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
    held_on: date | None  # None is refused in words
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

    description: f.Description
    owner_staff_id: f.Id | None = None
    owner_name: Annotated[str | None, f.Text(f.CONTRIBUTOR)] = None
    due_on: date | None = None


@dataclass(frozen=True)
class RatingInput:
    outcome_id: f.Id
    rating: f.Code  # vocab.OutcomeRating
    score: Annotated[int, f.Whole(0, 100)]  # the rule is 1 to 5 (RATING_SCORES)
    comment: Annotated[str, f.Text(f.COMMENT, multiline=True)]

    def problem_key(self) -> str:
        """Where a problem with this rating is shown: beside its outcome."""
        return f"rating:{self.outcome_id}"


@dataclass(frozen=True)
class ReviewInput:
    held_on: date
    summary: f.LongText
    ratings: Annotated[tuple[RatingInput, ...], f.Many(f.Opaque(), max_items=f.ROWS)]
    next_review_on: date | None
