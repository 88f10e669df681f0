"""The plan tab's outcomes: those the person wants, in plan order (the ended ones folded
away below, kept for the record), and the actions towards the one selected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QTableView, QToolButton, QVBoxLayout, QWidget

from casework import dto
from casework.timeutil import show_date
from casework.ui.item_models.plan_tables import (
    ActionTableModel,
    EndedOutcomeTableModel,
    OutcomeTableModel,
    latest_words,
)
from casework.ui.widgets.tables import button, button_row, fitted_table


class OutcomesBox(QGroupBox):
    """The live outcomes and, folded away, the ended ones; `picked` when the outcome whose
    actions show changes (in either list)."""

    picked = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.setTitle(tr("Outcomes the person wants"))
        self._restoring = False
        self.model = OutcomeTableModel(today, self)
        self.table = fitted_table(self.model, tr("Outcomes"), self, 0)
        self.empty = QLabel(tr("No outcomes yet: add what the person wants to achieve, in "
                               "their own words."), self)
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.add_button = button(tr("Add o&utcome…"), self)
        self.edit_button = button(tr("Edit &wording…"), self)
        self.edit_button.setAccessibleName(tr("Edit the selected outcome"))
        self.end_button = button(tr("End ou&tcome"), self)
        self.end_button.setAccessibleName(tr("End the selected outcome"))
        self.end_button.setToolTip(tr("Achieved, or no longer wanted: it stays on the record, "
                                      "and later reviews no longer rate it"))
        # Ended outcomes, folded away until asked for: kept for the record.
        self.ended_toggle = QToolButton(self)
        self.ended_toggle.setCheckable(True)
        self.ended_toggle.setAutoRaise(True)
        self.ended_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.ended_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.ended_toggle.setAccessibleName(tr("Show ended outcomes"))
        self.ended_model = EndedOutcomeTableModel(self)
        self.ended_table = fitted_table(self.ended_model, tr("Ended outcomes"), self, 0)
        self.ended_table.hide()
        self.ended_toggle.toggled.connect(self._toggle_ended)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 3)
        box.addWidget(self.empty)
        row = button_row(self.add_button, self.edit_button, self.end_button)
        row.addWidget(self.ended_toggle)
        box.addLayout(row)
        box.addWidget(self.ended_table, 2)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self._picked(self.table, self.ended_table))
        self.ended_table.selectionModel().selectionChanged.connect(
            lambda *_: self._picked(self.ended_table, self.table))

    def show_plan(self, plan: dto.PlanInfo) -> None:
        self.model.set_rows(plan.outcomes)
        self.empty.setVisible(not plan.outcomes)
        self.ended_model.set_rows(plan.ended_outcomes)
        self.ended_toggle.setText(self.tr("Ended outcomes ({n})").format(
            n=len(plan.ended_outcomes)))
        self.ended_toggle.setVisible(bool(plan.ended_outcomes))
        if not plan.ended_outcomes:
            self.ended_toggle.setChecked(False)

    def selected(self) -> tuple[dto.OutcomeInfo | None, bool]:
        """The outcome whose actions show, and whether it is live."""
        for table, model, live in ((self.table, self.model, True),
                                   (self.ended_table, self.ended_model, False)):
            rows = table.selectionModel().selectedRows()
            if rows:
                return model.record(rows[0].row()), live
        return None, True

    def select(self, outcome_id: str | None, ended_id: str | None) -> None:
        """Select that outcome again (opening the ended list for an ended one); otherwise
        the first. Says nothing of it: the caller shows the outcome next."""
        ended_row = self.ended_model.row_of(ended_id) if ended_id else None
        outcome_row = self.model.row_of(outcome_id) if outcome_id else None
        self._restoring = True
        try:
            self.table.clearSelection()
            self.ended_table.clearSelection()
            if ended_row is not None and outcome_row is None:
                self.ended_toggle.setChecked(True)
                self.ended_table.selectRow(ended_row)
            elif self.model.rowCount():
                self.table.selectRow(outcome_row or 0)
        finally:
            self._restoring = False

    def _picked(self, table: QTableView, other: QTableView) -> None:
        """An outcome chosen in one list (live or ended) is the one whose actions show."""
        if self._restoring:
            return
        if table.selectionModel().hasSelection() and other.selectionModel().hasSelection():
            other.selectionModel().clearSelection()
            return  # clearing the other list calls back here
        self.picked.emit()

    def _toggle_ended(self, shown: bool) -> None:
        self.ended_table.setVisible(shown)
        self.ended_toggle.setArrowType(Qt.ArrowType.DownArrow if shown
                                       else Qt.ArrowType.RightArrow)
        self.ended_toggle.setAccessibleName(self.tr("Hide ended outcomes") if shown
                                            else self.tr("Show ended outcomes"))
        if not shown:
            self.ended_table.clearSelection()


class ActionsBox(QGroupBox):
    """The selected outcome, in the person's words with its latest rating, and the actions
    towards it (who, by when, done)."""

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.setTitle(tr("Actions towards the selected outcome"))
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(tr("The selected outcome"))
        self.model = ActionTableModel(today, self)
        self.table = fitted_table(self.model, tr("Actions"), self, 0)
        self.add_button = button(tr("A&dd action…"), self)
        self.edit_button = button(tr("Edit act&ion…"), self)
        self.edit_button.setAccessibleName(tr("Edit the selected action"))
        self.done_button = button(tr("Mar&k done…"), self)
        self.done_button.setAccessibleName(tr("Mark the selected action done"))
        box = QVBoxLayout(self)
        box.addWidget(self.detail)
        box.addWidget(self.table, 1)
        box.addLayout(button_row(self.add_button, self.edit_button, self.done_button))

    def selected(self) -> dto.PlanActionInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def show_outcome(self, outcome: dto.OutcomeInfo | None, live: bool, *,
                     keep: str | None, any_outcomes: bool) -> None:
        """`outcome`'s actions, selecting the action `keep` again if it is among them."""
        tr = self.tr
        if outcome is None:
            self.model.set_rows(())
            self.detail.setText(tr("Choose an outcome to see its actions.") if any_outcomes
                                else tr("Once an outcome is added, its actions show here."))
            return
        self.model.set_rows(outcome.actions)
        if outcome.latest_rating is not None:
            rated = tr("At the review on {date}: {rating}. {comment}").format(
                date=show_date(outcome.latest_rated_on), rating=latest_words(outcome),
                comment=outcome.latest_rating.comment or "").strip()
        else:
            rated = tr("Not yet reviewed.")
        ended = ("" if live else tr(" Ended on {date}; kept for the record.").format(
            date=show_date(outcome.ended_on)))
        self.detail.setText(f"“{outcome.description}”\n{rated}{ended}")
        if not outcome.actions:
            self.detail.setText(self.detail.text() + "\n" + tr("No actions yet."))
        row = self.model.row_of(keep) if keep else None
        if row is not None:
            self.table.selectRow(row)
