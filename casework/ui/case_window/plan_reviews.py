"""The plan tab's reviews: the next review (when it is due, and the last one held), the
reviews held, newest first, and how the selected review rated each outcome."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from casework import dto
from casework.timeutil import show_date
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.plan_tables import (
    RatingColumn,
    RatingTableModel,
    ReviewColumn,
    ReviewTableModel,
    review_due_words,
)
from casework.ui.widgets.heading import heading
from casework.ui.widgets.tables import button, fitted_table


class NextReviewBox(QGroupBox):
    """Where a worker looks first: when the next review is due (overdue in the warning
    colour), the last review held, and the buttons to change the date or record a review."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.setTitle(tr("Next review"))
        self.date_label = heading(self, scale=1.4)
        self.date_label.setAccessibleName(tr("Next review date"))
        self.words = QLabel(self)
        bold = QFont(self.words.font())
        bold.setBold(True)
        self.words.setFont(bold)
        self.words.setAccessibleName(tr("When the next review is due"))
        self.last_review = QLabel(self)
        self.last_review.setAccessibleName(tr("Last review"))
        self.change_button = button(tr("Chan&ge date…"), self)
        self.change_button.setAccessibleName(tr("Change the next review date"))
        self.record_button = button(tr("&Record review…"), self)
        dates = QVBoxLayout()
        when = QHBoxLayout()
        when.addWidget(self.date_label)
        when.addSpacing(12)
        when.addWidget(self.words)
        when.addStretch(1)
        dates.addLayout(when)
        dates.addWidget(self.last_review)
        row = QHBoxLayout(self)
        row.addLayout(dates, 1)
        row.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_plan(self, plan: dto.PlanInfo, today: date) -> None:
        tr = self.tr
        due = plan.next_review_on
        if due is None:
            self.date_label.setText(tr("Not set"))
            words = tr("Record a review, or choose a date.")
        else:
            self.date_label.setText(show_date(due))
            words = review_due_words(due, today)
        style = f"color: {WARNING_COLOUR.name()};" if due is not None and due < today else ""
        self.words.setText(words)
        self.words.setStyleSheet(style)
        self.date_label.setStyleSheet(style)
        if plan.reviews:
            last = plan.reviews[0]
            self.last_review.setText(tr("Last review: {date}, by {name}.").format(
                date=show_date(last.held_on), name=last.reviewer_name))
        else:
            self.last_review.setText(tr("No review has been recorded yet."))


class ReviewsBox(QGroupBox):
    """The reviews held, newest first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.setTitle(tr("Reviews"))
        self.model = ReviewTableModel(self)
        self.table = fitted_table(self.model, tr("Reviews"), self, ReviewColumn.REVIEWER)
        self.empty = QLabel(tr("No reviews yet. A review rates how far each outcome is met "
                               "and sets the next review date."), self)
        self.empty.setWordWrap(True)
        self.empty.hide()
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addWidget(self.empty)

    def show_plan(self, plan: dto.PlanInfo) -> None:
        self.model.set_rows(plan.reviews)
        self.empty.setVisible(not plan.reviews)

    def selected(self) -> dto.ReviewInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select(self, review_id: str | None) -> None:
        """Select that review again, or the newest."""
        row = self.model.row_of(review_id) if review_id else None
        if self.model.rowCount():
            # The current index too, so that the keyboard starts from the selected row.
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row or 0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)


class ReviewBox(QGroupBox):
    """What the selected review found: when, by whom, its summary, and its ratings."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.setTitle(tr("At the selected review"))
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(tr("The selected review"))
        self.ratings_model = RatingTableModel(self)
        self.ratings_table = fitted_table(self.ratings_model, tr("Ratings at the selected review"),
                                          self, RatingColumn.OUTCOME, RatingColumn.COMMENT)
        box = QVBoxLayout(self)
        box.addWidget(self.detail)
        box.addWidget(self.ratings_table, 1)

    def show_review(self, review: dto.ReviewInfo | None, *, any_reviews: bool) -> None:
        tr = self.tr
        if review is None:
            self.ratings_model.set_rows(())
            self.detail.setText(tr("Choose a review to see how it rated each outcome.")
                                if any_reviews else tr("Each review's ratings will show here."))
            return
        self.ratings_model.set_rows(review.ratings)
        lines = [tr("Held on {date} by {name}.").format(date=show_date(review.held_on),
                                                        name=review.reviewer_name)]
        if review.summary:
            lines.append(review.summary)
        if review.next_review_on:
            lines.append(tr("Next review set for {date}.").format(
                date=show_date(review.next_review_on)))
        if not review.ratings:
            lines.append(tr("No outcomes were live to rate."))
        self.detail.setText("\n".join(lines))
