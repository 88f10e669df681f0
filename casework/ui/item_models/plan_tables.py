"""A case's plan for table views: its live and ended outcomes, one outcome's actions, the
reviews held and one review's ratings. Every list is short and comes whole from
`me.plans.plan()`.

Dates that matter are said in words as well as colour: an action past its due date says
"overdue by 3 days", so that the colour only repeats it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QColor

from casework import dto
from casework.timeutil import london_today, show_date
from casework.ui import labels
from casework.ui.item_models.case_table import REVIEW_DUE_DAYS, WARNING_COLOUR
from casework.ui.item_models.record_table import one_line
from casework.ui.item_models.rows_table import RowsTableModel
from casework.vocab import OutcomeRating


def rating_words(rating: str | None, score: int | None = None) -> str:
    """'Partly met, 3 of 5' (or the rating alone without a score)."""
    said = labels.vocab(OutcomeRating, rating)
    if score is None:
        return said
    return QCoreApplication.translate("plan", "{rating}, {score} of 5").format(
        rating=said, score=score)


def latest_words(o: dto.OutcomeInfo) -> str:
    r = o.latest_rating
    if r is None:
        return QCoreApplication.translate("plan", "Not yet reviewed")
    return rating_words(r.rating, r.score)


def is_overdue(a: dto.PlanActionInfo, today: date) -> bool:
    return a.done_on is None and a.due_on is not None and a.due_on < today


def due_words(a: dto.PlanActionInfo, today: date) -> str:
    """When an action is due, with how late it is or that it is due today."""
    tr = QCoreApplication.translate
    if a.due_on is None:
        return tr("plan", "No date")
    shown = show_date(a.due_on)
    if a.done_on is not None:
        return shown
    if a.due_on < today:  # as the caseloads say it; how late is in the tooltip
        return tr("plan", "{date} – overdue").format(date=shown)
    if a.due_on == today:
        return tr("plan", "{date} – due today").format(date=shown)
    return shown


def review_due_words(due: date | None, today: date) -> str:
    """When the next review is, as the caseloads judge it: overdue, due (within a
    fortnight), or how far off."""
    tr = QCoreApplication.translate
    if due is None:
        return tr("plan", "Not set")
    days = (due - today).days
    if days < 0:
        return tr("plan", "Overdue by {days}").format(days=labels.days(-days))
    if days == 0:
        return tr("plan", "Due today")
    if days <= REVIEW_DUE_DAYS:
        return tr("plan", "Due in {days}").format(days=labels.days(days))
    return tr("plan", "In {days}").format(days=labels.days(days))


def actions_words(o: dto.OutcomeInfo, today: date) -> str:
    """'2 open, 1 overdue, 1 done', or 'None yet'."""
    tr = QCoreApplication.translate
    if not o.actions:
        return tr("plan", "None yet")
    open_ = [a for a in o.actions if a.done_on is None]
    late = sum(1 for a in open_ if is_overdue(a, today))
    done = len(o.actions) - len(open_)
    parts = []
    if open_:
        parts.append(tr("plan", "{n} open").format(n=len(open_)) if not late else
                     tr("plan", "{n} open, {late} overdue").format(n=len(open_), late=late))
    if done:
        parts.append(tr("plan", "{n} done").format(n=done))
    return ", ".join(parts)


class _DatedModel(RowsTableModel):
    """A table whose words depend on today's date."""

    def __init__(self, today: Callable[[], date] = london_today, parent: QObject | None = None):
        super().__init__(parent)
        self._today = today


# -- outcomes -----------------------------------------------------------------------------

class OutcomeColumn(IntEnum):
    OUTCOME = 0
    LATEST = 1
    ACTIONS = 2


class OutcomeTableModel(_DatedModel):
    """The live outcomes, in plan order: what the person wants, how far the latest review
    found it met, and where its actions stand."""

    def headers(self) -> Sequence[str]:
        return (self.tr("Outcome"), self.tr("Latest rating"),
                self.tr("Actions"))

    def cell(self, o: dto.OutcomeInfo, column: int) -> str:
        match OutcomeColumn(column):
            case OutcomeColumn.OUTCOME:
                return one_line(o.description)
            case OutcomeColumn.LATEST:
                return latest_words(o)
            case OutcomeColumn.ACTIONS:
                return actions_words(o, self._today())

    def tooltip(self, o: dto.OutcomeInfo, column: int) -> str | None:
        if column == OutcomeColumn.OUTCOME:
            return o.description
        if column == OutcomeColumn.LATEST and o.latest_rating is not None:
            return self.tr("At the review on {date}: {comment}").format(
                date=show_date(o.latest_rated_on), comment=o.latest_rating.comment or "")
        return None

    def foreground(self, o: dto.OutcomeInfo, column: int) -> QColor | None:
        late = column == OutcomeColumn.ACTIONS and any(is_overdue(a, self._today())
                                                       for a in o.actions)
        return WARNING_COLOUR if late else None

    def bold(self, o: dto.OutcomeInfo, column: int) -> bool:
        return self.foreground(o, column) is not None


class EndedColumn(IntEnum):
    OUTCOME = 0
    ENDED = 1
    LAST_RATING = 2


class EndedOutcomeTableModel(RowsTableModel):
    """Outcomes that ended (achieved, or no longer wanted), kept for the record."""

    def headers(self) -> Sequence[str]:
        return (self.tr("Outcome"), self.tr("Ended"), self.tr("Last rating"))

    def cell(self, o: dto.OutcomeInfo, column: int) -> str:
        match EndedColumn(column):
            case EndedColumn.OUTCOME:
                return one_line(o.description)
            case EndedColumn.ENDED:
                return show_date(o.ended_on)
            case EndedColumn.LAST_RATING:
                return latest_words(o)

    def tooltip(self, o: dto.OutcomeInfo, column: int) -> str | None:
        return o.description if column == EndedColumn.OUTCOME else None


# -- actions ------------------------------------------------------------------------------

class ActionColumn(IntEnum):
    ACTION = 0
    OWNER = 1
    DUE = 2
    DONE = 3


class ActionTableModel(_DatedModel):
    """One outcome's actions: open ones first, soonest due first (as the service orders
    them), then those done."""

    def headers(self) -> Sequence[str]:
        return (self.tr("Action"), self.tr("Who"), self.tr("Due"), self.tr("Done"))

    def cell(self, a: dto.PlanActionInfo, column: int) -> str:
        match ActionColumn(column):
            case ActionColumn.ACTION:
                return one_line(a.description)
            case ActionColumn.OWNER:
                return a.owner_name
            case ActionColumn.DUE:
                return due_words(a, self._today())
            case ActionColumn.DONE:
                return show_date(a.done_on) if a.done_on else self.tr("Not yet")

    def tooltip(self, a: dto.PlanActionInfo, column: int) -> str | None:
        if column == ActionColumn.ACTION:
            return a.description
        if column == ActionColumn.DUE and is_overdue(a, self._today()):
            return self.tr("Overdue by {days}").format(
                days=labels.days((self._today() - a.due_on).days))  # type: ignore[operator]
        if column == ActionColumn.OWNER:
            return (self.tr("A member of the case's team") if a.owner_staff_id
                    else self.tr("Someone named in words, not a member of staff"))
        return None

    def foreground(self, a: dto.PlanActionInfo, column: int) -> QColor | None:
        late = column == ActionColumn.DUE and is_overdue(a, self._today())
        return WARNING_COLOUR if late else None

    def bold(self, a: dto.PlanActionInfo, column: int) -> bool:
        return self.foreground(a, column) is not None


# -- reviews ------------------------------------------------------------------------------

class ReviewColumn(IntEnum):
    HELD = 0
    REVIEWER = 1
    MET = 2
    PARTLY_MET = 3
    NOT_MET = 4


_COUNTED = {ReviewColumn.MET: OutcomeRating.MET, ReviewColumn.PARTLY_MET: OutcomeRating.PARTLY_MET,
            ReviewColumn.NOT_MET: OutcomeRating.NOT_MET}


class ReviewTableModel(RowsTableModel):
    """The reviews held, newest first, with how many outcomes each found met, partly met
    and not met. A review's summary is read whole beside the list, not squeezed into it."""

    def headers(self) -> Sequence[str]:
        return (self.tr("Held on"), self.tr("Reviewer"), self.tr("Met"), self.tr("Partly"),
                self.tr("Not met"))

    def cell(self, r: dto.ReviewInfo, column: int) -> str:
        c = ReviewColumn(column)
        if c in _COUNTED:
            return str(r.count(_COUNTED[c]))
        match c:
            case ReviewColumn.HELD:
                return show_date(r.held_on)
            case ReviewColumn.REVIEWER:
                return r.reviewer_name
        return ""

    def tooltip(self, r: dto.ReviewInfo, column: int) -> str | None:
        c = ReviewColumn(column)
        if c == ReviewColumn.REVIEWER:
            return r.summary
        if c in _COUNTED:
            return self.tr("Outcomes rated “{rating}” at this review").format(
                rating=labels.vocab(OutcomeRating, _COUNTED[c]).lower())
        return None

    def right_aligned(self, column: int) -> bool:
        return column in _COUNTED


class RatingColumn(IntEnum):
    OUTCOME = 0
    RATING = 1
    COMMENT = 2


class RatingTableModel(RowsTableModel):
    """How one review rated each outcome."""

    def headers(self) -> Sequence[str]:
        return (self.tr("Outcome"), self.tr("Rating"), self.tr("Comment"))

    def record_id(self, r: dto.RatingInfo) -> str:
        return r.outcome_id

    def cell(self, r: dto.RatingInfo, column: int) -> str:
        match RatingColumn(column):
            case RatingColumn.OUTCOME:
                return one_line(r.outcome_description)
            case RatingColumn.RATING:
                return rating_words(r.rating, r.score)
            case RatingColumn.COMMENT:
                return one_line(r.comment)

    def tooltip(self, r: dto.RatingInfo, column: int) -> str | None:
        if column == RatingColumn.OUTCOME:
            return r.outcome_description
        if column == RatingColumn.COMMENT:
            return r.comment
        return None
