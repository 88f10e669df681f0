"""A case's assessments: what was assessed, its status and assessed risk, who prepared it
and who signed it off. Start one, or open one to prepare, read or sign it off."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from casework import dto
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.tab import CaseTab
from casework.ui.dialogs.assessment_editor import AssessmentEditor
from casework.ui.dialogs.assessment_start import StartAssessmentDialog
from casework.ui.item_models.assessment_table import AssessmentTableModel
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button, button_row, make_table
from casework.vocab import LIVE_STATUSES


class AssessmentsTab(CaseTab):
    WATCHES = frozenset({"assessment", "case"})

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self._select_after_load: str | None = None
        self.dialog: StartAssessmentDialog | None = None
        self.editor: AssessmentEditor | None = None
        tr = self.tr

        self.banner = MessageBanner(self)
        self.intro = QLabel(tr("Assessments are participative: the person's own view, carers' "
                               "and other agencies' are recorded as contributions, in their "
                               "words."), self)
        self.intro.setWordWrap(True)
        self.model = AssessmentTableModel(self)
        self.table = make_table(self.model, tr("Assessments"), self)
        self.empty = QLabel(tr("No assessments yet."), self)
        self.empty.setAccessibleName(tr("No assessments yet"))
        self.empty.hide()
        self.start_button = button(tr("&Start assessment…"), self)
        self.open_button = button(tr("O&pen…"), self)
        self.open_button.setAccessibleName(tr("Open the selected assessment"))
        self.open_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(button_row(self.start_button, self.open_button))

        self.start_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        self.ctx.runner.run(self.ctx.me.assessments.list, self.ctx.case_id,
                            on_done=self._arrived, on_error=self._failed, owner=self)

    def _arrived(self, rows: tuple[dto.AssessmentRow, ...]) -> None:
        self.banner.clear()
        selected = self._select_after_load or (self.selected().id if self.selected() else None)
        self._select_after_load = None
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not rows)
        row = self.model.row_of(selected) if selected is not None else None
        if row is None and rows:
            row = 0  # the newest, so that Enter opens it at once
        if row is not None:
            self.table.selectRow(row)
        self.is_loaded = True
        self._update_buttons()

    # -- acting -----------------------------------------------------------------------------

    def selected(self) -> dto.AssessmentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.start_button.setVisible(self.ctx.may_record())
        self.open_button.setEnabled(self.selected() is not None)
        live = self.ctx.summary().case.status in LIVE_STATUSES
        self.start_button.setEnabled(live)
        self.start_button.setToolTip("" if live else self.tr("The case is closed."))

    def start(self) -> None:
        self.banner.clear()
        dialog = StartAssessmentDialog(self.ctx.me, self.ctx.runner, self.ctx.case_id, self)
        dialog.saved.connect(self._started)
        open_dialog(dialog, self)

    def _started(self, detail: dto.AssessmentDetail) -> None:
        self._select_after_load = detail.id
        self.open(detail.id)

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open(row.id)

    def open(self, assessment_id: str) -> None:
        self.editor = AssessmentEditor.present(self.ctx.me, self.ctx.runner, assessment_id,
                                               self.window())
