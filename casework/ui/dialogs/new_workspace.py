"""Creating a workspace from inside the app, for an administrator starting Casework where
there is none yet: its name, the first administrator, and — on a computer with no keychain
to keep the workspace key in — the passphrase that will lock it instead.

`casework-admin init` does the same from a script; both go through `create_workspace`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from casework.errors import ValidationError
from casework.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from casework.passwords import MIN_PASSPHRASE_LENGTH
from casework.services import PassphraseNeeded, Workspace, create_workspace
from casework.ui.tasks import Runner
from casework.ui.widgets.form import ERROR_STYLE, FieldErrors

DEFAULT_ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class CreatedWorkspace:
    """A new, open workspace and the username of its first administrator (who signs in
    next, so the sign-in box can offer it)."""

    workspace: Workspace
    admin_username: str


class NewWorkspaceDialog(QDialog):
    """Asks for what `create_workspace` needs and creates the workspace through the runner.
    `keychain=False` (this computer has none) adds the passphrase the workspace will be
    locked with."""

    def __init__(self, path: Path, runner: Runner, *, keychain: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.created: CreatedWorkspace | None = None
        self._runner = runner
        self._busy = False
        self._touched: set[str] = set()  # fields typed in: only these are checked as you type
        self._service_problems: dict[str, str] = {}  # from the last try, until the field changes
        self.setWindowTitle(self.tr("Create a workspace — Casework"))

        intro = QLabel(self.tr("There is no Casework workspace here yet:"), self)
        intro.setWordWrap(True)
        self.location = QLabel(str(self.path), self)
        self.location.setAccessibleName(self.tr("Workspace location"))
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        self.location.setStyleSheet("font-weight: bold;")
        what = QLabel(self.tr(
            "Create one now: a new, empty workspace with its first administrator, who signs "
            "in next to add teams and staff."), self)
        what.setWordWrap(True)

        self.messages = FieldErrors()
        path_error = self.messages.add("path", self.tr("Location"), self.location)

        self.name_edit = self._line_edit(self.tr("Workspace name"))
        self.name_edit.setPlaceholderText(self.tr("the team or area, e.g. North Adult Team"))
        self.username_edit = self._line_edit(self.tr("Administrator's username"),
                                             DEFAULT_ADMIN_USERNAME)
        self.display_name_edit = self._line_edit(self.tr("Administrator's full name"))
        # Left blank, the service names the account "Administrator": the grey text says so.
        self.display_name_edit.setPlaceholderText(self.tr("Administrator"))
        self.password_edit = self._line_edit(self.tr("Administrator's password"), secret=True)
        self.confirm_edit = self._line_edit(self.tr("Confirm the administrator's password"),
                                            secret=True)
        self.passphrase_edit = self._line_edit(self.tr("Workspace passphrase"), secret=True)
        self.passphrase_confirm_edit = self._line_edit(
            self.tr("Confirm the workspace passphrase"), secret=True)
        # By the service's field names (and the two confirmations), in the order shown.
        self.edits: dict[str, QLineEdit] = {
            "name": self.name_edit,
            "admin_username": self.username_edit,
            "admin_display_name": self.display_name_edit,
            "admin_password": self.password_edit,
            "confirm_password": self.confirm_edit,
            "passphrase": self.passphrase_edit,
            "confirm_passphrase": self.passphrase_confirm_edit,
        }

        self.workspace_box = QGroupBox(self.tr("Workspace"), self)
        workspace_form = QFormLayout(self.workspace_box)
        self.messages.add_row(workspace_form, "name", self.tr("&Name:"), self.name_edit)

        self.admin_box = QGroupBox(self.tr("First administrator"), self)
        admin_form = QFormLayout(self.admin_box)
        self.messages.add_row(admin_form, "admin_username", self.tr("&Username:"),
                              self.username_edit)
        self.messages.add_row(admin_form, "admin_display_name", self.tr("&Full name:"),
                              self.display_name_edit)
        self.messages.add_row(admin_form, "admin_password", self.tr("&Password:"),
                              self.password_edit)
        self.messages.add_row(admin_form, "confirm_password", self.tr("&Confirm password:"),
                              self.confirm_edit)

        self.passphrase_box = QGroupBox(self.tr("Workspace passphrase"), self)
        why = QLabel(self.tr(
            "This computer has no keychain where Casework could keep the key to the "
            "workspace, so the workspace is locked with a passphrase instead. Casework will "
            "ask for it at every start. It cannot be recovered if it is lost — not even by "
            "an administrator — so keep it somewhere safe, away from this computer."),
            self.passphrase_box)
        why.setWordWrap(True)
        # The explanation above the form, not in a row of it: a form row spanning both
        # columns gets the height of one line and clips the wrapped text.
        passphrase_column = QVBoxLayout(self.passphrase_box)
        passphrase_column.addWidget(why)
        passphrase_form = QFormLayout()
        passphrase_column.addLayout(passphrase_form)
        self.messages.add_row(passphrase_form, "passphrase", self.tr("Pa&ssphrase:"),
                              self.passphrase_edit)
        self.messages.add_row(passphrase_form, "confirm_passphrase",
                              self.tr("Confir&m passphrase:"), self.passphrase_confirm_edit)
        self.passphrase_box.setVisible(not keychain)

        self.show_box = QCheckBox(self.tr("Sho&w the passwords as I type"), self)
        self.show_box.setAccessibleName(self.tr("Show the passwords and passphrase as I type"))
        self.show_box.toggled.connect(self._show_secrets)

        # What names no field: a keychain that went away, a disk that refused the file.
        self.problem = QLabel(self)
        self.problem.setObjectName("newWorkspaceProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setAccessibleName(self.tr("Problem creating the workspace"))
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self._create_text = self.tr("C&reate workspace")
        self.create_button = buttons.addButton(self._create_text,
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setAccessibleName(self.tr("Create workspace"))
        self.create_button.setDefault(True)  # Enter in any box creates
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.location)
        layout.addWidget(path_error)
        layout.addWidget(what)
        layout.addSpacing(6)
        layout.addWidget(self.workspace_box)
        layout.addWidget(self.admin_box)
        layout.addWidget(self.passphrase_box)
        layout.addWidget(self.show_box)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        # The dialog takes the size its contents ask for, and grows and shrinks with what
        # it shows (the passphrase, messages). A resizable window would not do: a window
        # sizes itself without asking how tall its wrapped text must be at its width, and
        # on a small screen it clips the passphrase explanation.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        # Room to see what is typed, in characters so that it follows the font size.
        for edit in self.edits.values():
            edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 36)

        for key, edit in self.edits.items():
            edit.textEdited.connect(partial(self._edited, key))
        self.name_edit.setFocus()

    @classmethod
    def offer(cls, path: Path, parent: QWidget | None = None) -> bool:
        """Ask whether to create the missing workspace at `path`: True for Create…, False
        for Quit."""
        box, create = cls.offer_box(path, parent)
        try:
            box.exec()
            return box.clickedButton() is create
        finally:
            box.deleteLater()

    @classmethod
    def offer_box(cls, path: Path, parent: QWidget | None = None) -> tuple[QMessageBox, QWidget]:
        """The question `offer` asks, and its Create… button."""
        # The path on a line of its own: wrapped into a sentence, it breaks at a slash and
        # reads as two names.
        question = _tr("There is no Casework workspace at\n{path}\n\nCreate one now?").format(
            path=path)
        box = QMessageBox(QMessageBox.Icon.Question, _tr("Casework"), question,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(_tr(
            "An administrator can create a new, empty workspace here. To open a workspace "
            "kept somewhere else, quit and start Casework with --workspace and its path."))
        create = box.addButton(_tr("&Create…"), QMessageBox.ButtonRole.AcceptRole)
        create.setAccessibleName(_tr("Create a workspace"))
        quit_button = box.addButton(_tr("&Quit"), QMessageBox.ButtonRole.RejectRole)
        quit_button.setAccessibleName(_tr("Quit"))
        box.setDefaultButton(create)
        box.setEscapeButton(quit_button)
        return box, create

    @classmethod
    def ask(cls, path: Path, runner: Runner, parent: QWidget | None = None, *,
            keychain: bool = True) -> CreatedWorkspace | None:
        """Create the workspace at `path`; None when the person cancels (nothing is made)."""
        dialog = cls(path, runner, keychain=keychain, parent=parent)
        try:
            return dialog.created if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _line_edit(self, accessible_name: str, text: str = "", *,
                   secret: bool = False) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setAccessibleName(accessible_name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    # -- checking ----------------------------------------------------------------------

    @property
    def needs_passphrase(self) -> bool:
        return not self.passphrase_box.isHidden()

    def problems(self, *, finished: bool) -> dict[str, str]:
        """What is wrong with what has been typed, by field. While a confirmation is still
        being typed (`finished` False) a beginning of the original is not yet a mismatch."""
        found: dict[str, str] = {}
        if not self.name_edit.text().strip():
            found["name"] = self.tr("must not be empty")
        if not self.username_edit.text().strip():
            found["admin_username"] = self.tr("must not be empty")
        secrets = [("admin_password", "confirm_password", PASSWORD_MIN_LENGTH,
                    self.tr("does not match the password"))]
        if self.needs_passphrase:
            secrets.append(("passphrase", "confirm_passphrase", MIN_PASSPHRASE_LENGTH,
                            self.tr("does not match the passphrase")))
        for key, confirm_key, min_length, mismatch in secrets:
            text = self.edits[key].text()
            again = self.edits[confirm_key].text()
            if len(text) < min_length:
                found[key] = self.tr("must be at least {n} characters long").format(n=min_length)
            if again != text and (finished or not text.startswith(again)):
                found[confirm_key] = mismatch
        return found

    def _edited(self, key: str, _text: str = "") -> None:
        self._touched.add(key)
        self._service_problems.pop(key, None)
        self._refresh(self.problems(finished=False))

    def _refresh(self, problems: dict[str, str]) -> None:
        """Show the problems of the fields typed in (and what the service said of fields
        not changed since); leave the others quiet and the focus where it is."""
        for key in self.edits:
            problem = problems.get(key, "") if key in self._touched else ""
            self.messages.set(key, problem or self._service_problems.get(key, ""))
        self.messages.set("path", self._service_problems.get("path", ""))

    # -- creating ----------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy:
            return  # already on its way
        self._touched.update(self.edits)
        self._service_problems.clear()
        self.problem.hide()
        problems = self.problems(finished=True)
        if problems:
            self._refresh(problems)
            self._focus_first(problems)
            return
        self._set_busy(True)
        self._runner.run(
            partial(create_workspace, self.path,
                    name=self.name_edit.text(),
                    admin_username=self.username_edit.text(),
                    admin_password=self.password_edit.text(),
                    admin_display_name=self.display_name_edit.text(),
                    passphrase=self.passphrase_edit.text() if self.needs_passphrase else None),
            on_done=self._created, on_error=self._failed, owner=self)

    def _created(self, ws: Workspace) -> None:
        self._set_busy(False)
        # The service keeps usernames trimmed and in lower case; sign-in offers it so.
        self.created = CreatedWorkspace(ws, self.username_edit.text().strip().lower())
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PassphraseNeeded):
            # The keychain went away (or refused) after this dialog opened: lock the
            # workspace with a passphrase instead, keeping everything typed.
            self.passphrase_box.show()
            self._show_problem(self.tr(
                "This computer's keychain could not keep the workspace key. Choose a "
                "workspace passphrase instead, then create the workspace again."))
            self.passphrase_edit.setFocus()
        elif isinstance(exc, ValidationError):
            self._service_problems = dict(exc.problems)
            self._refresh({})
            others = {k: p for k, p in exc.problems.items() if k not in self.messages}
            if others:
                self._show_problem("; ".join(f"{k}: {p}" for k, p in others.items()))
            self._focus_first(exc.problems)
        else:
            self._show_problem(self.tr("The workspace could not be created: {error}").format(
                error=exc))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _focus_first(self, problems: dict[str, str]) -> None:
        for key in self.edits:  # in the order they appear
            if key in problems:
                self.edits[key].setFocus()
                return

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for edit in self.edits.values():
            edit.setEnabled(not busy)
        self.show_box.setEnabled(not busy)
        self.create_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.create_button.setText(self.tr("Creating…") if busy else self._create_text)

    def reject(self) -> None:
        # Escape or the window's close button while the workspace is being made would
        # leave a workspace open that nobody holds; wait for the answer instead.
        if not self._busy:
            super().reject()

    def _show_secrets(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.password_edit, self.confirm_edit, self.passphrase_edit,
                     self.passphrase_confirm_edit):
            edit.setEchoMode(mode)


def _tr(text: str) -> str:
    # The class methods have no `self.tr`; the context is the one `self.tr` uses here.
    return QCoreApplication.translate("NewWorkspaceDialog", text)
