"""What the window shows instead of its pages while it is locked after idle time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from casework.services import Me, Workspace
from casework.ui.tasks import Runner
from casework.ui.widgets.heading import heading
from casework.ui.widgets.sign_in_form import SignInForm


class LockPanel(QWidget):
    unlocked = Signal(object)  # the Me from signing in again
    sign_out_requested = Signal()

    def __init__(self, workspace: Workspace, runner: Runner, username: str, minutes: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        title = heading(self, self.tr("Casework is locked"), scale=1.5)
        if minutes:
            why = self.tr("Nobody used Casework for {minutes} minutes, so it locked to keep "
                          "case records private.").format(minutes=minutes)
        else:
            why = self.tr("Casework is locked to keep case records private.")
        explanation = QLabel(why + " " + self.tr("Type your password to carry on, or sign "
                                                 "out."), self)
        explanation.setWordWrap(True)
        self.form = SignInForm(workspace, runner, username=username, fixed_username=True,
                               button_text=self.tr("&Unlock"), parent=self)
        self.form.signed_in.connect(self._signed_in)
        self.sign_out_button = QPushButton(self.tr("Sign &out"), self)
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.sign_out_button.setAutoDefault(False)
        self.sign_out_button.clicked.connect(self.sign_out_requested)

        box = QWidget(self)
        box.setFixedWidth(440)
        column = QVBoxLayout(box)
        column.addWidget(title)
        column.addWidget(explanation)
        column.addSpacing(8)
        column.addWidget(self.form)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addStretch(1)
        self.form.add_button(self.sign_out_button)

    def focus_password(self) -> None:
        self.form.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _signed_in(self, me: Me) -> None:
        self.unlocked.emit(me)
