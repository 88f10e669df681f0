"""A case's plan: the outcomes the person wants, in their words, with the actions towards
each (who, by when, done); the next review date; and the reviews held, each rating how far
every live outcome was met. Outcomes, not activity counts, are what teams report.

The tab reads the plan and records on it; what it shows is in plan_outcomes (the outcomes
and the selected one's actions) and plan_reviews (the next review, the reviews held and the
selected one's ratings). Recording on the plan is for the case's own team while the case is
live; anyone else who may read the case (a reason stated when opening it) reads the plan
without the buttons. The services still decide each change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from casework import dto
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.plan_outcomes import ActionsBox, OutcomesBox
from casework.ui.case_window.plan_reviews import NextReviewBox, ReviewBox, ReviewsBox
from casework.ui.case_window.tab import CaseTab
from casework.ui.dialogs.plan_editor import (
    ActionDialog,
    DoneDialog,
    NextReviewDialog,
    OutcomeDialog,
)
from casework.ui.dialogs.review_editor import ReviewDialog
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.open_dialog import open_dialog
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
        self.dialog: QDialog | None = None  # while one is open
        self._build()
        self._show_buttons()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        today = self.ctx.today
        self.banner = MessageBanner(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        self.next_review = NextReviewBox(self)
        self.outcomes = OutcomesBox(today, self)
        self.actions = ActionsBox(today, self)
        self.reviews = ReviewsBox(self)
        self.review = ReviewBox(self)
        # The ended outcomes, folded away for the record, come after the live outcome's
        # actions: Tab goes through the work in hand first.
        QWidget.setTabOrder(self.actions.done_button, self.outcomes.ended_toggle)
        QWidget.setTabOrder(self.outcomes.ended_toggle, self.outcomes.ended_table)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.outcomes, 1)
        column.addWidget(self.actions, 1)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reviews, 1)
        column.addWidget(self.review, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.next_review)
        layout.addWidget(self.splitter, 1)

        self.next_review.change_button.clicked.connect(self.change_date)
        self.next_review.record_button.clicked.connect(self.record_review)
        self.outcomes.add_button.clicked.connect(self.add_outcome)
        self.outcomes.edit_button.clicked.connect(self.edit_outcome)
        self.outcomes.end_button.clicked.connect(self.end_outcome)
        self.actions.add_button.clicked.connect(self.add_action)
        self.actions.edit_button.clicked.connect(self.edit_action)
        self.actions.done_button.clicked.connect(self.mark_done)
        self.outcomes.table.activated.connect(lambda _i: self.edit_outcome())
        self.actions.table.activated.connect(lambda _i: self.edit_action())
        self.outcomes.picked.connect(self._show_outcome)
        self.actions.table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self.reviews.table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_review())

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        self._remember()
        self.ctx.runner.run(self.ctx.me.plans.plan, self.ctx.case_id, on_done=self._arrived,
                            on_error=self._failed, owner=self)

    def _arrived(self, plan: dto.PlanInfo) -> None:
        self.banner.clear()
        self.plan = plan
        self.next_review.show_plan(plan, self.ctx.today())
        self.outcomes.show_plan(plan)
        self.reviews.show_plan(plan)
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

    def _show_outcome(self) -> None:
        outcome, live = self.selected_outcome()
        action = self.selected_action()
        keep = self._keep["action"] or (action.id if action else None)
        self._keep["action"] = None
        self.actions.show_outcome(outcome, live, keep=keep,
                                  any_outcomes=bool(self.outcomes.model.rowCount()))
        self._update_buttons()

    def _show_review(self) -> None:
        self.review.show_review(self.selected_review(),
                                any_reviews=bool(self.reviews.model.rowCount()))

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
        self.outcomes.select(keep["outcome"], keep["ended"])
        keep["outcome"] = keep["ended"] = None
        self._show_outcome()
        review, keep["review"] = keep["review"], None
        self.reviews.select(review)
        self._show_review()

    # -- what is selected -------------------------------------------------------------------

    def selected_outcome(self) -> tuple[dto.OutcomeInfo | None, bool]:
        """The outcome whose actions show, and whether it is live."""
        return self.outcomes.selected()

    def selected_action(self) -> dto.PlanActionInfo | None:
        return self.actions.selected()

    def selected_review(self) -> dto.ReviewInfo | None:
        return self.reviews.selected()

    def _show_buttons(self) -> None:
        for b in self._recording_buttons():
            b.setVisible(self.may_record)
        self._update_buttons()

    def _recording_buttons(self) -> tuple[QPushButton, ...]:
        return (self.next_review.change_button, self.next_review.record_button,
                self.outcomes.add_button, self.outcomes.edit_button, self.outcomes.end_button,
                self.actions.add_button, self.actions.edit_button, self.actions.done_button)

    def _update_buttons(self) -> None:
        outcome, live = self.selected_outcome()
        action = self.selected_action()
        on_live = self.may_record and outcome is not None and live
        open_action = on_live and action is not None and action.done_on is None
        self.next_review.change_button.setEnabled(self.may_record)
        self.next_review.record_button.setEnabled(self.may_record)
        self.outcomes.add_button.setEnabled(self.may_record)
        self.outcomes.edit_button.setEnabled(on_live)
        self.outcomes.end_button.setEnabled(on_live)
        self.actions.add_button.setEnabled(on_live)
        self.actions.edit_button.setEnabled(open_action)
        self.actions.done_button.setEnabled(open_action)

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

