"""The sign-in dialog: which workspace this is (and whether it is the fictional demo), then
username and password.

At start-up it is the first window, shown before the workspace is open (casework.ui.startup):
until `set_workspace` it says so, its status line shows what opening reports (making the
demo, the backup before an upgrade), and a Sign in pressed meanwhile waits for the workspace.
So this module imports nothing that loads the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casework.ui.tasks import Runner
from casework.ui.widgets.heading import heading
from casework.ui.widgets.sign_in_form import SignInForm

if TYPE_CHECKING:
    from casework import dto
    from casework.services import Me, Workspace

DEMO_STYLE = ("background: #fff4e0; color: #5c3b00; border: 1px solid #c98a1b;"
              " border-radius: 4px; padding: 4px 8px; font-weight: bold;")


class LoginDialog(QDialog):
    def __init__(self, workspace: Workspace | None, runner: Runner,
                 parent: QWidget | None = None, *, username: str = ""):
        super().__init__(parent)
        self.me: Me | None = None
        self.runner = runner
        self.finished_by_person = False  # Quit, Escape or the window closed
        self.setWindowTitle(self.tr("Sign in — Casework"))

        title = heading(self, self.tr("Casework"), scale=1.6)
        self.workspace_label = QLabel(self)
        self.workspace_label.setAccessibleName(self.tr("Workspace"))
        self.workspace_label.setWordWrap(True)
        self.demo_label = QLabel(self.tr("DEMO — fictional data"), self)
        self.demo_label.setStyleSheet(DEMO_STYLE)
        self.demo_label.setAccessibleName(self.tr("Demo workspace: all the data is fictional"))
        self.demo_label.hide()

        # What opening the workspace is doing, while it takes long enough to say.
        self.status = QLabel(self)
        self.status.setObjectName("openingStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Opening the workspace"))
        self.status.hide()
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("How far opening the workspace has got"))
        self.progress.setTextVisible(False)
        self.progress.hide()

        self.form = SignInForm(workspace, runner, username=username, parent=self)
        self.form.signed_in.connect(self._signed_in)

        self.quit_button = QPushButton(self.tr("&Quit"), self)
        self.quit_button.setAccessibleName(self.tr("Quit"))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.form.add_button(self.quit_button)
        self.form.setMinimumWidth(380)

        layout = QVBoxLayout(self)
        # The dialog takes the size its contents ask for, so a sign-in problem shown under
        # the fields makes it taller instead of squeezing them.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(title)
        layout.addWidget(self.workspace_label)
        layout.addWidget(self.demo_label, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addSpacing(8)
        layout.addWidget(self.form)
        self.finished.connect(self._finished)
        if workspace is not None:
            self.set_workspace(workspace)
        else:
            self.workspace_label.setText(self.tr("Opening the workspace…"))
        self.form.focus_first_empty()

    @classmethod
    def ask(cls, workspace: Workspace, runner: Runner, parent: QWidget | None = None,
            username: str = "") -> Me | None:
        """Sign someone in; None when they quit instead."""
        dialog = cls(workspace, runner, parent, username=username)
        try:
            return dialog.wait()
        finally:
            dialog.deleteLater()

    def wait(self) -> Me | None:
        """Until someone has signed in (their Me) or the person quits (None); at once if
        either has happened already."""
        if self.me is None and not self.finished_by_person:
            self.exec()
        return self.me

    def set_workspace(self, workspace: Workspace, info: dto.WorkspaceInfo | None = None) -> None:
        """The workspace is open: say which it is, and sign in to it (at once, if Sign in
        was pressed while it opened)."""
        self.show_status("")
        if info is None:
            self.runner.run(lambda: workspace.info, on_done=self._show_workspace, owner=self)
        else:
            self._show_workspace(info)
        self.form.set_workspace(workspace)

    def show_status(self, text: str, value: int = 0, maximum: int = 0) -> None:
        """Say what opening is doing (nothing: hide the line), with how far it has got when
        `maximum` is above 0, else as busy."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.progress.setRange(0, maximum)
        self.progress.setValue(value)
        self.progress.setVisible(bool(text))

    def _show_workspace(self, info: dto.WorkspaceInfo) -> None:
        self.workspace_label.setText(self.tr("Workspace: {name}").format(name=info.name))
        self.workspace_label.setToolTip(info.location)
        self.demo_label.setVisible(info.is_demo)
        if info.is_demo:
            self.setWindowTitle(self.tr("Sign in — Casework — DEMO — fictional data"))

    def _signed_in(self, me: Me) -> None:
        self.me = me
        self.accept()

    def _finished(self, _result: int) -> None:
        self.finished_by_person = self.me is None
