"""The workspace passphrase, typed at each start on computers with no keychain to keep
the workspace key in."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from casework.ui.widgets.form import ERROR_STYLE, FieldErrors


class PassphraseDialog(QDialog):
    """Asks for the passphrase of an existing workspace (choosing one is part of
    NewWorkspaceDialog)."""

    def __init__(self, workspace_name: str, *, error: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.passphrase = ""
        self.setWindowTitle(self.tr("Workspace passphrase — Casework"))
        explanation = QLabel(self.tr(
            "This computer has no keychain where Casework could keep the key to the "
            "workspace “{name}”, so the workspace is locked with a passphrase instead. "
            "Type the passphrase chosen when the workspace was created."
        ).format(name=workspace_name), self)
        explanation.setWordWrap(True)

        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_box = QCheckBox(self.tr("S&how what I type"), self)
        self.show_box.setAccessibleName(self.tr("Show the passphrase as I type"))
        self.show_box.toggled.connect(self._show_text)

        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, "passphrase", self.tr("&Passphrase:"), self.passphrase_edit)
        form.addRow("", self.show_box)

        self.error = QLabel(error, self)
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(bool(error))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        ok_text = self.tr("&Open workspace")
        self.ok_button = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.passphrase_edit.setFocus()

    @classmethod
    def ask_to_open(cls, workspace_name: str, parent: QWidget | None = None,
                    error: str = "") -> str | None:
        """The passphrase of an existing workspace; None if the person gives up. `error`
        says why the last one did not open it."""
        dialog = cls(workspace_name, error=error, parent=parent)
        try:
            return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _show_text(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)

    def _check(self) -> None:
        text = self.passphrase_edit.text()
        problems: dict[str, str] = {}
        if not text:
            problems["passphrase"] = self.tr("type the passphrase")
        if problems:
            self.errors.show(problems)
            return
        self.passphrase = text
        self.accept()
