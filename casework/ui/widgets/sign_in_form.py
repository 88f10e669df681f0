"""Username, password and a Sign in button: used by the sign-in dialog and the idle lock."""

from __future__ import annotations

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

from casework.errors import CaseworkError
from casework.services import Me, Workspace
from casework.ui.tasks import Runner
from casework.ui.widgets.form import ERROR_STYLE


def sign_in(workspace: Workspace, username: str, password: str) -> Me:
    """On the worker: sign in, and read what the person may do while still off the GUI
    thread (the window asks `me.can()` as it builds)."""
    me = workspace.login(username, password)
    me.capabilities  # noqa: B018 (cached on the object)
    return me


class SignInForm(QWidget):
    signed_in = Signal(object)  # the Me of the person who signed in

    def __init__(
        self,
        workspace: Workspace,
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

        self.username = QLineEdit(username, self)
        self.username.setAccessibleName(self.tr("Username"))
        self.username.setReadOnly(fixed_username)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
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

    def _set_waiting(self, waiting: bool) -> None:
        self.username.setEnabled(not waiting)
        self.password.setEnabled(not waiting)
        self.button.setEnabled(not waiting)
        self.button.setText(self.tr("Signing in…") if waiting else self._button_text)
