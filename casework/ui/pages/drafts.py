"""Drafts for me: the assessments I was asked to prepare (a para-professional's way in to
an assessment, and nothing else of the case), and those I started myself."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from casework.events import Changed
from casework.ui.dialogs.assessment_editor import AssessmentEditor
from casework.ui.item_models.drafts_table import DraftsTableModel
from casework.ui.page_context import PageContext
from casework.ui.pages.ready import ReadyPage
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.tables import button, make_table


class DraftsPage(ReadyPage):
    """Ready when the first page of drafts has arrived (or failed to)."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._stale = False
        self._sized = False
        self.editor: AssessmentEditor | None = None
        tr = self.tr

        intro = QLabel(tr("Assessments you were asked to prepare, and those you started. "
                          "Open one to write the draft and record contributions; a "
                          "registered social worker signs statutory and high-risk "
                          "assessments off."), self)
        intro.setWordWrap(True)
        self.banner = MessageBanner(self)
        self.model = DraftsTableModel(ctx.me.assessments, ctx.runner, ctx.me.staff_id, self)
        self.table = make_table(self.model, tr("Drafts for me"), self)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(tr("Number of drafts"))
        self.open_button = button(tr("&Open draft…"), self)
        self.open_button.setAccessibleName(tr("Open the selected draft"))
        self.open_button.setEnabled(False)
        hint = QLabel(tr("Double-click a draft or press Enter to open it."), self)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(hint)
        footer.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.open_button.clicked.connect(self.open_selected)
        self.model.total_changed.connect(self._show_count)
        self.model.loaded.connect(self._first_page_arrived)
        self.model.failed.connect(self._load_failed)
        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.model.reload()

    # -- showing --------------------------------------------------------------------------

    def _show_count(self, total: int) -> None:
        if total == 0:
            text = self.tr("No drafts for you to prepare")
        elif total == 1:
            text = self.tr("1 draft")
        else:
            text = self.tr("{n} drafts").format(n=total)
        self.count_label.setText(text)

    def _first_page_arrived(self) -> None:
        self.banner.clear()
        if not self._sized and self.model.rowCount():
            self.table.resizeColumnsToContents()
            self._sized = True
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)  # Enter opens the first at once
        self._become_ready(None)

    def _load_failed(self, exc: BaseException) -> None:
        self.count_label.setText("")
        show_failure(exc, self.banner)
        self._become_ready(str(exc))

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.table.selectionModel().hasSelection())

    # -- opening ----------------------------------------------------------------------------

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        draft = self.model.record(rows[0].row())
        self.banner.clear()
        # The editor needs only the assessment: a drafter may not read the case file.
        self.editor = AssessmentEditor.present(self._ctx.me, self._ctx.runner, draft.id,
                                               self.window())

    # -- keeping up -------------------------------------------------------------------------

    def _on_changed(self, event: Changed) -> None:
        if event.kind != "assessment":
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.refresh()
