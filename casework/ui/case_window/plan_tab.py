"""A case's plan: the outcomes the person wants, in their words, with the actions towards
each (who, by when, done); the next review date; and the reviews held, each rating how far
every live outcome was met. Outcomes, not activity counts, are what teams report.

Recording on the plan is for the case's own team while the case is live; anyone else who
may read the case (a reason stated when opening it) reads the plan without the buttons. The
services still decide each change."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casework import dto
from casework.timeutil import show_date
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.tab import CaseTab
from casework.ui.dialogs.plan_editor import (
    ActionDialog,
    DoneDialog,
    NextReviewDialog,
    OutcomeDialog,
)
from casework.ui.dialogs.review_editor import ReviewDialog
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.plan_tables import (
    ActionTableModel,
    EndedOutcomeTableModel,
    OutcomeTableModel,
    RatingColumn,
    RatingTableModel,
    ReviewColumn,
    ReviewTableModel,
    latest_words,
    review_due_words,
)
from casework.ui.item_models.rows_table import RowsTableModel
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button, button_row, make_table
from casework.vocab import CaseStatus

NOTICE_STYLE = "color: #173a6b;"  # as the banner's information text: above 4.5:1


class PlanTab(CaseTab):
    WATCHES = frozenset({"plan", "case"})

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.plan: dto.PlanInfo | None = None
        self.may_record = False
        # What to select again after a reload (or a record just saved).
        self._keep: dict[str, str | None] = {"outcome": None, "ended": None, "action": None,
                                             "review": None}
        self._restoring = False
        self.dialog: QDialog | None = None  # while one is open
        self._build()
        self._show_buttons()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        today = self.ctx.today
        self.banner = MessageBanner(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()

        # The next review, where a worker looks first.
        review_box = QGroupBox(tr("Next review"), self)
        self.next_review_label = heading(review_box, scale=1.4)
        self.next_review_label.setAccessibleName(tr("Next review date"))
        self.next_review_words = QLabel(review_box)
        bold = QFont(self.next_review_words.font())
        bold.setBold(True)
        self.next_review_words.setFont(bold)
        self.next_review_words.setAccessibleName(tr("When the next review is due"))
        self.last_review_label = QLabel(review_box)
        self.last_review_label.setAccessibleName(tr("Last review"))
        self.change_date_button = button(tr("Chan&ge date…"), review_box)
        self.change_date_button.setAccessibleName(tr("Change the next review date"))
        self.record_review_button = button(tr("&Record review…"), review_box)
        dates = QVBoxLayout()
        when = QHBoxLayout()
        when.addWidget(self.next_review_label)
        when.addSpacing(12)
        when.addWidget(self.next_review_words)
        when.addStretch(1)
        dates.addLayout(when)
        dates.addWidget(self.last_review_label)
        review_row = QHBoxLayout(review_box)
        review_row.addLayout(dates, 1)
        review_row.addWidget(self.change_date_button, 0, Qt.AlignmentFlag.AlignVCenter)
        review_row.addWidget(self.record_review_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # Outcomes, in plan order.
        outcomes_box = QGroupBox(tr("Outcomes the person wants"), self)
        self.outcomes_model = OutcomeTableModel(today, self)
        self.outcomes_table = self._table(self.outcomes_model, tr("Outcomes"), outcomes_box, 0)
        self.outcomes_empty = QLabel(tr("No outcomes yet: add what the person wants to "
                                        "achieve, in their own words."), outcomes_box)
        self.outcomes_empty.setWordWrap(True)
        self.outcomes_empty.hide()
        self.add_outcome_button = button(tr("Add o&utcome…"), outcomes_box)
        self.edit_outcome_button = button(tr("Edit &wording…"), outcomes_box)
        self.edit_outcome_button.setAccessibleName(tr("Edit the selected outcome"))
        self.end_outcome_button = button(tr("End ou&tcome"), outcomes_box)
        self.end_outcome_button.setAccessibleName(tr("End the selected outcome"))
        self.end_outcome_button.setToolTip(tr("Achieved, or no longer wanted: it stays on the "
                                              "record, and later reviews no longer rate it"))
        self.outcomes_box = outcomes_box

        # The selected outcome's actions.
        self.actions_box = QGroupBox(tr("Actions towards the selected outcome"), self)
        self.outcome_detail = QLabel(self.actions_box)
        self.outcome_detail.setWordWrap(True)
        self.outcome_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome_detail.setAccessibleName(tr("The selected outcome"))
        self.actions_model = ActionTableModel(today, self)
        self.actions_table = self._table(self.actions_model, tr("Actions"), self.actions_box, 0)
        self.add_action_button = button(tr("A&dd action…"), self.actions_box)
        self.edit_action_button = button(tr("Edit act&ion…"), self.actions_box)
        self.edit_action_button.setAccessibleName(tr("Edit the selected action"))
        self.done_button = button(tr("Mar&k done…"), self.actions_box)
        self.done_button.setAccessibleName(tr("Mark the selected action done"))
        box = QVBoxLayout(self.actions_box)
        box.addWidget(self.outcome_detail)
        box.addWidget(self.actions_table, 1)
        box.addLayout(button_row(self.add_action_button, self.edit_action_button,
                                 self.done_button))

        # Ended outcomes, folded away until asked for: kept for the record.
        self.ended_toggle = QToolButton(outcomes_box)
        self.ended_toggle.setCheckable(True)
        self.ended_toggle.setAutoRaise(True)
        self.ended_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.ended_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.ended_toggle.setAccessibleName(tr("Show ended outcomes"))
        self.ended_model = EndedOutcomeTableModel(self)
        self.ended_table = self._table(self.ended_model, tr("Ended outcomes"), outcomes_box, 0)
        self.ended_table.hide()
        self.ended_toggle.toggled.connect(self._toggle_ended)
        box = QVBoxLayout(outcomes_box)
        box.addWidget(self.outcomes_table, 3)
        box.addWidget(self.outcomes_empty)
        row = button_row(self.add_outcome_button, self.edit_outcome_button,
                         self.end_outcome_button)
        row.addWidget(self.ended_toggle)
        box.addLayout(row)
        box.addWidget(self.ended_table, 2)

        # Reviews, newest first, and what the selected one found.
        reviews_box = QGroupBox(tr("Reviews"), self)
        self.reviews_model = ReviewTableModel(self)
        self.reviews_table = self._table(self.reviews_model, tr("Reviews"), reviews_box,
                                         ReviewColumn.REVIEWER)
        self.reviews_empty = QLabel(tr("No reviews yet. A review rates how far each outcome "
                                       "is met and sets the next review date."), reviews_box)
        self.reviews_empty.setWordWrap(True)
        self.reviews_empty.hide()
        box = QVBoxLayout(reviews_box)
        box.addWidget(self.reviews_table, 1)
        box.addWidget(self.reviews_empty)
        self.review_box = QGroupBox(tr("At the selected review"), self)
        self.review_detail = QLabel(self.review_box)
        self.review_detail.setWordWrap(True)
        self.review_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_detail.setAccessibleName(tr("The selected review"))
        self.ratings_model = RatingTableModel(self)
        self.ratings_table = self._table(self.ratings_model, tr("Ratings at the selected review"),
                                         self.review_box, RatingColumn.OUTCOME,
                                         RatingColumn.COMMENT)
        box = QVBoxLayout(self.review_box)
        box.addWidget(self.review_detail)
        box.addWidget(self.ratings_table, 1)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(outcomes_box, 1)
        column.addWidget(self.actions_box, 1)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(reviews_box, 1)
        column.addWidget(self.review_box, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(review_box)
        layout.addWidget(self.splitter, 1)

        self.change_date_button.clicked.connect(self.change_date)
        self.record_review_button.clicked.connect(self.record_review)
        self.add_outcome_button.clicked.connect(self.add_outcome)
        self.edit_outcome_button.clicked.connect(self.edit_outcome)
        self.end_outcome_button.clicked.connect(self.end_outcome)
        self.add_action_button.clicked.connect(self.add_action)
        self.edit_action_button.clicked.connect(self.edit_action)
        self.done_button.clicked.connect(self.mark_done)
        self.outcomes_table.activated.connect(lambda _i: self.edit_outcome())
        self.actions_table.activated.connect(lambda _i: self.edit_action())
        self.outcomes_table.selectionModel().selectionChanged.connect(
            lambda *_: self._outcome_picked(self.outcomes_table, self.ended_table))
        self.ended_table.selectionModel().selectionChanged.connect(
            lambda *_: self._outcome_picked(self.ended_table, self.outcomes_table))
        self.actions_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self.reviews_table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_review())

    def _table(self, model: RowsTableModel, name: str, parent: QWidget,
               *stretch: int) -> QTableView:
        """A table whose `stretch` columns (the long text) share the width the others, sized
        to what they show, leave: the short lists fit without scrolling sideways."""
        view = make_table(model, name, parent)
        view.setMinimumHeight(90)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                        if column in stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        return view

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        self._remember()
        self.ctx.runner.run(self.ctx.me.plans.plan, self.ctx.case_id, on_done=self._arrived,
                            on_error=self._failed, owner=self)

    def _arrived(self, plan: dto.PlanInfo) -> None:
        self.banner.clear()
        self.plan = plan
        self._show_next_review(plan)

        self.outcomes_model.set_rows(plan.outcomes)
        self.outcomes_empty.setVisible(not plan.outcomes)
        self.ended_model.set_rows(plan.ended_outcomes)
        self.ended_toggle.setText(self.tr("Ended outcomes ({n})").format(
            n=len(plan.ended_outcomes)))
        self.ended_toggle.setVisible(bool(plan.ended_outcomes))
        if not plan.ended_outcomes:
            self.ended_toggle.setChecked(False)
        self.reviews_model.set_rows(plan.reviews)
        self.reviews_empty.setVisible(not plan.reviews)
        self._restore()
        self.is_loaded = True
        self.summary_changed()

    def summary_changed(self) -> None:
        """Who may record here, as the service decided when the window last read the case
        (it may have closed, or moved team, since)."""
        closed = CaseStatus.CLOSED in (self.ctx.summary().case.status,
                                       self.plan.case_status if self.plan else None)
        works_here = self.ctx.may_record()
        self.may_record = self.plan is not None and works_here and not closed
        if closed:
            self.notice.setText(self.tr("The case is closed: its plan is kept as it was."))
        elif not works_here:
            self.notice.setText(self.tr("You are reading this plan: only the case's own team "
                                        "records on it."))
        self.notice.setVisible(self.plan is not None and not self.may_record)
        self._show_buttons()

    # -- showing --------------------------------------------------------------------------

    def _show_next_review(self, plan: dto.PlanInfo) -> None:
        tr = self.tr
        due = plan.next_review_on
        today = self.ctx.today()
        if due is None:
            self.next_review_label.setText(tr("Not set"))
            words = tr("Record a review, or choose a date.")
        else:
            self.next_review_label.setText(show_date(due))
            words = review_due_words(due, today)
        style = f"color: {WARNING_COLOUR.name()};" if due is not None and due < today else ""
        self.next_review_words.setText(words)
        self.next_review_words.setStyleSheet(style)
        self.next_review_label.setStyleSheet(style)
        if plan.reviews:
            last = plan.reviews[0]
            self.last_review_label.setText(tr("Last review: {date}, by {name}.").format(
                date=show_date(last.held_on), name=last.reviewer_name))
        else:
            self.last_review_label.setText(tr("No review has been recorded yet."))

    def _outcome_picked(self, table: QTableView, other: QTableView) -> None:
        """An outcome chosen in one list (live or ended) is the one whose actions show."""
        if self._restoring:
            return
        if table.selectionModel().hasSelection() and other.selectionModel().hasSelection():
            other.selectionModel().clearSelection()
            return  # clearing the other list calls back here
        self._show_outcome()

    def _show_outcome(self) -> None:
        tr = self.tr
        outcome, live = self.selected_outcome()
        keep = self._keep["action"] or (self.selected_action().id if self.selected_action()
                                        else None)
        self._keep["action"] = None
        if outcome is None:
            self.actions_model.set_rows(())
            self.outcome_detail.setText(tr("Choose an outcome to see its actions.")
                                        if self.outcomes_model.rowCount() else
                                        tr("Once an outcome is added, its actions show here."))
        else:
            self.actions_model.set_rows(outcome.actions)
            if outcome.latest_rating is not None:
                rated = tr("At the review on {date}: {rating}. {comment}").format(
                    date=show_date(outcome.latest_rated_on), rating=latest_words(outcome),
                    comment=outcome.latest_rating.comment or "").strip()
            else:
                rated = tr("Not yet reviewed.")
            ended = ("" if live else tr(" Ended on {date}; kept for the record.").format(
                date=show_date(outcome.ended_on)))
            self.outcome_detail.setText(f"“{outcome.description}”\n{rated}{ended}")
            if not outcome.actions:
                self.outcome_detail.setText(self.outcome_detail.text() + "\n" + tr(
                    "No actions yet."))
            row = self.actions_model.row_of(keep) if keep else None
            if row is not None:
                self.actions_table.selectRow(row)
        self._update_buttons()

    def _show_review(self) -> None:
        tr = self.tr
        review = self.selected_review()
        if review is None:
            self.ratings_model.set_rows(())
            self.review_detail.setText(tr("Choose a review to see how it rated each outcome.")
                                       if self.reviews_model.rowCount() else
                                       tr("Each review's ratings will show here."))
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
        self.review_detail.setText("\n".join(lines))

    def _remember(self) -> None:
        """What is selected now, unless a record just saved is to be selected instead."""
        keep = self._keep
        outcome, live = self.selected_outcome()
        if outcome is not None and not (keep["outcome"] or keep["ended"]):
            keep["outcome" if live else "ended"] = outcome.id
        action = self.selected_action()
        if action is not None and not keep["action"]:
            keep["action"] = action.id
        review = self.selected_review()
        if review is not None and not keep["review"]:
            keep["review"] = review.id

    def _restore(self) -> None:
        """Select again what was selected (or what was just saved); otherwise the first
        outcome and the newest review."""
        keep = self._keep
        ended_row = self.ended_model.row_of(keep["ended"]) if keep["ended"] else None
        outcome_row = self.outcomes_model.row_of(keep["outcome"]) if keep["outcome"] else None
        self._restoring = True
        try:
            self.outcomes_table.clearSelection()
            self.ended_table.clearSelection()
            if ended_row is not None and outcome_row is None:
                self.ended_toggle.setChecked(True)
                self.ended_table.selectRow(ended_row)
            elif self.outcomes_model.rowCount():
                self.outcomes_table.selectRow(outcome_row or 0)
        finally:
            self._restoring = False
        keep["outcome"] = keep["ended"] = None
        self._show_outcome()
        review_row = self.reviews_model.row_of(keep["review"]) if keep["review"] else None
        keep["review"] = None
        if self.reviews_model.rowCount():
            # The current index too, so that the keyboard starts from the selected row.
            self.reviews_table.selectionModel().setCurrentIndex(
                self.reviews_model.index(review_row or 0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show_review()

    def _toggle_ended(self, shown: bool) -> None:
        self.ended_table.setVisible(shown)
        self.ended_toggle.setArrowType(Qt.ArrowType.DownArrow if shown
                                       else Qt.ArrowType.RightArrow)
        self.ended_toggle.setAccessibleName(self.tr("Hide ended outcomes") if shown
                                            else self.tr("Show ended outcomes"))
        if not shown:
            self.ended_table.clearSelection()

    # -- what is selected -------------------------------------------------------------------

    def selected_outcome(self) -> tuple[dto.OutcomeInfo | None, bool]:
        """The outcome whose actions show, and whether it is live."""
        for table, model, live in ((self.outcomes_table, self.outcomes_model, True),
                                   (self.ended_table, self.ended_model, False)):
            rows = table.selectionModel().selectedRows()
            if rows:
                return model.record(rows[0].row()), live
        return None, True

    def selected_action(self) -> dto.PlanActionInfo | None:
        rows = self.actions_table.selectionModel().selectedRows()
        return self.actions_model.record(rows[0].row()) if rows else None

    def selected_review(self) -> dto.ReviewInfo | None:
        rows = self.reviews_table.selectionModel().selectedRows()
        return self.reviews_model.record(rows[0].row()) if rows else None

    def _show_buttons(self) -> None:
        for b in (self.change_date_button, self.record_review_button, self.add_outcome_button,
                  self.edit_outcome_button, self.end_outcome_button, self.add_action_button,
                  self.edit_action_button, self.done_button):
            b.setVisible(self.may_record)
        self._update_buttons()

    def _update_buttons(self) -> None:
        outcome, live = self.selected_outcome()
        action = self.selected_action()
        on_live = self.may_record and outcome is not None and live
        open_action = on_live and action is not None and action.done_on is None
        self.change_date_button.setEnabled(self.may_record)
        self.record_review_button.setEnabled(self.may_record)
        self.add_outcome_button.setEnabled(self.may_record)
        self.edit_outcome_button.setEnabled(on_live)
        self.end_outcome_button.setEnabled(on_live)
        self.add_action_button.setEnabled(on_live)
        self.edit_action_button.setEnabled(open_action)
        self.done_button.setEnabled(open_action)

    # -- acting -----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, keep: str | None = None) -> None:
        """Open a plan dialog over the case window; what it saves is selected once the plan
        is read again (the service's change event reads it)."""
        self.banner.clear()
        if keep is not None:
            dialog.saved.connect(lambda info: self._keep.__setitem__(keep, info.id))
        open_dialog(dialog, self)

    def add_outcome(self) -> None:
        if self.may_record:
            self._open(OutcomeDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id,
                                     parent=self), "outcome")

    def edit_outcome(self) -> None:
        outcome, live = self.selected_outcome()
        if self.may_record and outcome is not None and live:
            self._open(OutcomeDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id, outcome,
                                     parent=self), "outcome")

    def end_outcome(self) -> None:
        outcome, live = self.selected_outcome()
        if not (self.may_record and outcome is not None and live):
            return
        tr = self.tr
        if not Confirm.ask(self, tr("End this outcome?"),
                           tr("“{outcome}” will stay on the record with its actions and "
                              "ratings; later reviews will no longer rate it.").format(
                                  outcome=outcome.description), tr("End outcome")):
            return
        self.banner.clear()
        self.ctx.runner.run(self.ctx.me.plans.end_outcome, outcome.id, outcome.row_version,
                            on_done=self._ended, on_error=self._refused, owner=self)

    def _ended(self, info: dto.OutcomeInfo) -> None:
        self.banner.show_message(self.tr("Outcome ended; it is kept under Ended outcomes."),
                                 Tone.SUCCESS)

    def add_action(self) -> None:
        outcome, live = self.selected_outcome()
        if self.may_record and outcome is not None and live:
            self._keep["outcome"] = outcome.id
            self._open(ActionDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id, outcome,
                                    parent=self), "action")

    def edit_action(self) -> None:
        outcome, live = self.selected_outcome()
        action = self.selected_action()
        if (self.may_record and outcome is not None and live and action is not None
                and action.done_on is None):
            self._open(ActionDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id, outcome,
                                    action, parent=self), "action")

    def mark_done(self) -> None:
        action = self.selected_action()
        outcome, live = self.selected_outcome()
        if self.may_record and live and action is not None and action.done_on is None:
            self._open(DoneDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id, action,
                                  parent=self), "action")

    def change_date(self) -> None:
        if self.may_record and self.plan is not None:
            self._open(NextReviewDialog(self.ctx.me, self.ctx.runner, self.plan, parent=self))

    def record_review(self) -> None:
        if self.may_record and self.plan is not None:
            person = self.ctx.summary().person.full_name
            self._open(ReviewDialog(self.ctx.me, self.ctx.runner, self.plan, person,
                                    parent=self), "review")

    def _refused(self, exc: BaseException) -> None:
        show_failure(exc, self.banner, on_reload=self.refresh)

