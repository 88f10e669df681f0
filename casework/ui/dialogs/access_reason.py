"""Asks why someone needs a case file held by another team. The reason is audited with the
read (need to know: DOMAIN.md, "Records governance")."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from casework.ui.widgets.form import ERROR_STYLE


class AccessReasonDialog(QDialog):
    def __init__(self, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Why do you need this case? — Casework"))
        self.reason = ""
        intro = QLabel(message, self)
        intro.setWordWrap(True)
        note = QLabel(self.tr("Your reason is recorded in the audit trail with your name and "
                              "the time."), self)
        note.setWordWrap(True)
        label = QLabel(self.tr("&Reason:"), self)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setAccessibleName(self.tr("Reason for opening the case"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(90)
        label.setBuddy(self.reason_edit)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.addButton(self.tr("&Open case"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        ok.setAccessibleName(self.tr("Open case"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, note, label, self.reason_edit, self.error, buttons):
            layout.addWidget(w)
        self.setMinimumWidth(440)
        self.reason_edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, message: str) -> str | None:
        """The reason given, or None if the person decided not to open the case."""
        dialog = cls(message, parent)
        try:
            return dialog.reason if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _check(self) -> None:
        text = self.reason_edit.toPlainText().strip()
        if not text:
            self.error.setText(self.tr("Reason: say why you need to open this case."))
            self.error.show()
            self.reason_edit.setFocus()
            return
        self.reason = text
        self.accept()
