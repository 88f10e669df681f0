"""Starting an assessment: which kind, about which carer (for a carer's assessment), and
who prepares the draft. A statutory kind says first that a registered social worker signs it
off."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from casework import dto
from casework.services import Me
from casework.ui import labels
from casework.ui.dialogs.assessment_widgets import fit_height
from casework.ui.tasks import Runner
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.vocab import AssessmentKind


class StartAssessmentDialog(FormDialog):
    """Which kind, about which carer (for a carer's assessment), and who prepares it.
    `saved` carries the dto.AssessmentDetail started."""

    def __init__(self, me: Me, runner: Runner, case_id: str, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self._ready = False
        self._carers: tuple[dto.KeyPersonChoice, ...] = ()
        tr = self.tr
        self.setWindowTitle(tr("Start an assessment"))
        self.kind = QComboBox(self)
        for kind in AssessmentKind:
            self.kind.addItem(labels.vocab(AssessmentKind, kind), kind.value)
        self.carer = QComboBox(self)
        self.drafter = QComboBox(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(tr("About this kind of assessment"))
        self.form = QFormLayout()
        self.errors.add_row(self.form, "kind", tr("&Kind of assessment:"), self.kind)
        self._carer_caption = self.errors.add_row(self.form, "carer_id", tr("&About the carer:"),
                                                  self.carer)
        self.errors.add_row(self.form, "drafter_id", tr("&Prepared by:"), self.drafter)
        self.buttons, self.save_button = save_cancel(self, tr("&Start"))
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.carer.currentIndexChanged.connect(self._carer_changed)
        self._kind_changed()
        self.banner.show_message(tr("Loading the person's carers and the team…"))
        runner.run(me.assessments.start_options, case_id, on_done=self._options_arrived,
                   on_error=self._failed, owner=self)

    def _options_arrived(self, options: dto.AssessmentStartOptions) -> None:
        tr = self.tr
        self.banner.clear()
        self._carers = options.carers
        self.carer.blockSignals(True)
        self.carer.clear()
        if options.carers:
            self.carer.addItem(tr("Choose the carer"), None)
            for c in options.carers:
                self.carer.addItem(tr("{name} ({relationship})").format(
                    name=c.name, relationship=c.relationship), c.id)
        else:
            self.carer.addItem(tr("No carers are recorded for this person"), None)
        self.carer.blockSignals(False)
        self.drafter.clear()
        mine = next((d.display_name for d in options.drafters if d.id == self._me.staff_id), None)
        self.drafter.addItem(tr("Me ({name})").format(name=mine) if mine else tr("Me"), None)
        for d in options.drafters:
            if d.id != self._me.staff_id:
                self.drafter.addItem(tr("{name} ({role})").format(
                    name=d.display_name, role=labels.role(d.role)), d.id)
        self._ready = True
        self.save_button.setEnabled(True)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = AssessmentKind(self.kind.currentData())
        carers = kind == AssessmentKind.CARERS
        # Only a carer's assessment is about a carer: the row is there only then.
        self.form.setRowVisible(self._carer_caption, carers)
        self.errors.set("carer_id", "")
        if kind.statutory:
            self.hint.setText(self.tr("A statutory assessment: anyone in the team may prepare "
                                      "it, a para-professional included; a registered social "
                                      "worker signs it off."))
        elif carers:
            self.hint.setText(self.tr("A carer's assessment is about one carer and needs "
                                      "their own view, recorded as the carer's contribution."))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        fit_height(self)

    def _carer_changed(self) -> None:
        if self.errors.message("carer_id") and self.carer.currentData() is not None:
            self.errors.set("carer_id", "")
            fit_height(self)

    def _carer_id(self) -> str | None:
        kind = self.kind.currentData()
        return self.carer.currentData() if kind == AssessmentKind.CARERS else None

    def _can_save(self) -> bool:
        return self._ready

    def _local_problems(self) -> dict[str, str]:
        if self.kind.currentData() == AssessmentKind.CARERS and self._carer_id() is None:
            return {"carer_id": self.tr("choose the carer the assessment is about")
                    if self._carers else
                    self.tr("no carers are recorded for this person; add the carer on "
                            "People and carers first")}
        return {}

    def _refuse(self, problems: dict[str, str]) -> None:
        super()._refuse(problems)
        fit_height(self)

    def _request(self) -> tuple:
        return (self._me.assessments.start, self._case_id, self.kind.currentData(),
                self._carer_id(), self.drafter.currentData())

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        fit_height(self)
