"""Username, password and a Sign in button: used by the sign-in dialog and the idle lock.

At start-up the form is on screen before the workspace is open (casework.ui.startup): a
person may type and press Sign in at once, and the form signs them in as soon as the
workspace arrives (`set_workspace`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.errors import CaseworkError
from casework.ui.tasks import Runner
from casework.ui.widgets.form import ERROR_STYLE

if TYPE_CHECKING:  # not imported at run time: the form shows before the services are loaded
    from casework.services import Me, Workspace


def sign_in(workspace: Workspace, username: str, password: str) -> Me:
    """On the worker: sign in, and read what the person may do while still off the GUI
    thread (the window asks `me.can()` as it builds)."""
    me = workspace.login(username, password)
    me.capabilities  # noqa: B018 (cached on the object)
    return me


class SignInForm(QWidget):
    signed_in = Signal(object)  # the Me of the person who signed in
    failed = Signal(str)  # what went wrong with a sign-in, as shown under the fields

    def __init__(
        self,
        workspace: Workspace | None,
        runner: Runner,
        *,
        username: str = "",
        fixed_username: bool = False,
        button_text: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._workspace = workspace
        self._runner = runner
        self._button_text = button_text or self.tr("&Sign in")
        self._pending: tuple[str, str] | None = None  # sent once the workspace is open

        self.username = QLineEdit(username, self)
        self.username.setAccessibleName(self.tr("Username"))
        self.username.setReadOnly(fixed_username)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # As long as the service takes: a pasted page of text is cut, not sent.
        self.username.setMaxLength(fields.USERNAME)
        self.password.setMaxLength(fields.PASSWORD)
        self.password.setAccessibleName(self.tr("Password"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        user_label = QLabel(self.tr("&Username:"), self)
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Password:"), self)
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(password_label, self.password)

        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(self.tr("Sign-in problem"))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.button = QPushButton(self._button_text, self)
        self.button.setAccessibleName(self.tr("Sign in"))
        self.button.setAutoDefault(True)

        # Sign in sits at the right of a row that a host may add buttons to (add_button).
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(self._buttons)

        self.button.clicked.connect(self.submit)
        # Enter in either box is handled here and goes no further: a dialog would also
        # press its default button for the same key, signing in twice.
        self.username.installEventFilter(self)
        self.password.installEventFilter(self)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.button)

    @property
    def waiting_for_workspace(self) -> bool:
        return self._pending is not None

    def set_workspace(self, workspace: Workspace) -> None:
        """The workspace to sign in to, now that it is open: a Sign in already pressed goes
        ahead."""
        self._workspace = workspace
        if self._pending is not None:
            username, password = self._pending
            self._pending = None
            self._send(username, password)

    def add_button(self, button: QPushButton) -> None:
        """Put another button (the dialog's Quit, say) just before Sign in."""
        self._buttons.insertWidget(self._buttons.count() - 1, button)
        self.setTabOrder(self.button, button)

    def focus_first_empty(self) -> None:
        editor = self.password if self.username.text().strip() else self.username
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def submit(self) -> None:
        if not self.button.isEnabled():
            return  # a sign-in is already on its way
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.show_error(self.tr("Type your username."))
            self.username.setFocus()
            return
        if not password:
            self.show_error(self.tr("Type your password."))
            self.password.setFocus()
            return
        self._set_waiting(True)
        if self._workspace is None:
            self._pending = (username, password)
        else:
            self._send(username, password)

    def _send(self, username: str, password: str) -> None:
        self._runner.run(sign_in, self._workspace, username, password,
                         on_done=self._done, on_error=self._failed, owner=self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if watched is self.username:
                self._username_entered()
                return True
            if watched is self.password:
                self.submit()
                return True
        return super().eventFilter(watched, event)

    def _username_entered(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    def _done(self, me: Me) -> None:
        self._set_waiting(False)
        self.password.clear()
        self.show_error("")
        self.signed_in.emit(me)

    def _failed(self, exc: BaseException) -> None:
        self._set_waiting(False)
        if isinstance(exc, CaseworkError):
            message = str(exc)  # the service's words: attempts left, locked until when
        else:
            message = self.tr("Signing in failed unexpectedly: {error}").format(error=exc)
        self.show_error(message)
        self.password.clear()
        self.password.setFocus()
        self.failed.emit(message)

    def _set_waiting(self, waiting: bool) -> None:
        self.username.setEnabled(not waiting)
        self.password.setEnabled(not waiting)
        self.button.setEnabled(not waiting)
        self.button.setText(self.tr("Signing in…") if waiting else self._button_text)
