"""The sign-in dialog: which workspace this is (and whether it is the fictional demo), then
username and password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from casework import dto
from casework.services import Me, Workspace
from casework.ui.tasks import Runner
from casework.ui.widgets.heading import heading
from casework.ui.widgets.sign_in_form import SignInForm

DEMO_STYLE = ("background: #fff4e0; color: #5c3b00; border: 1px solid #c98a1b;"
              " border-radius: 4px; padding: 4px 8px; font-weight: bold;")


class LoginDialog(QDialog):
    def __init__(self, workspace: Workspace, runner: Runner, parent: QWidget | None = None,
                 *, username: str = ""):
        super().__init__(parent)
        self.me: Me | None = None
        self.setWindowTitle(self.tr("Sign in — Casework"))

        title = heading(self, self.tr("Casework"), scale=1.6)
        self.workspace_label = QLabel(self)
        self.workspace_label.setAccessibleName(self.tr("Workspace"))
        self.workspace_label.setWordWrap(True)
        self.demo_label = QLabel(self.tr("DEMO — fictional data"), self)
        self.demo_label.setStyleSheet(DEMO_STYLE)
        self.demo_label.setAccessibleName(self.tr("Demo workspace: all the data is fictional"))
        self.demo_label.hide()

        self.form = SignInForm(workspace, runner, username=username, parent=self)
        self.form.signed_in.connect(self._signed_in)

        quit_button = QPushButton(self.tr("&Quit"), self)
        quit_button.setAccessibleName(self.tr("Quit"))
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        self.form.add_button(quit_button)
        self.form.setMinimumWidth(380)

        layout = QVBoxLayout(self)
        # The dialog takes the size its contents ask for, so a sign-in problem shown under
        # the fields makes it taller instead of squeezing them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(title)
        layout.addWidget(self.workspace_label)
        layout.addWidget(self.demo_label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(8)
        layout.addWidget(self.form)
        runner.run(lambda: workspace.info, on_done=self._show_workspace, owner=self)
        self.form.focus_first_empty()

    @classmethod
    def ask(cls, workspace: Workspace, runner: Runner, parent: QWidget | None = None,
            username: str = "") -> Me | None:
        """Sign someone in; None when they quit instead."""
        dialog = cls(workspace, runner, parent, username=username)
        try:
            return dialog.me if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _show_workspace(self, info: dto.WorkspaceInfo) -> None:
        self.workspace_label.setText(self.tr("Workspace: {name}").format(name=info.name))
        self.workspace_label.setToolTip(info.location)
        self.demo_label.setVisible(info.is_demo)
        if info.is_demo:
            self.setWindowTitle(self.tr("Sign in — Casework — DEMO — fictional data"))

    def _signed_in(self, me: Me) -> None:
        self.me = me
        self.accept()
