"""Creating and editing a member of staff, resetting a password, and confirming a
deactivation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.passwords import MIN_LENGTH
from casework.permissions import Accreditation, RegisterPart, Role
from casework.services import Me
from casework.dto import StaffInfo, StaffInput, StaffQuery, TeamInfo
from casework.ui import labels
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.dates import OptionalDateEdit
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors, save_cancel
from casework.ui.widgets.form_dialog import FormDialog


def all_staff(me: Me, query: StaffQuery) -> tuple[StaffInfo, ...]:
    """Every page of a staff query (for choosing a person from a list)."""
    rows: list[StaffInfo] = []
    while True:
        page = me.admin.staff_page(query, len(rows), 200)
        rows.extend(page.rows)
        if page.exhausted:
            return tuple(rows)


def _choices(me: Me) -> tuple[tuple[TeamInfo, ...], tuple[StaffInfo, ...]]:
    return me.admin.teams(), all_staff(me, StaffQuery())


def _password_problems(password: str, confirm: str) -> dict[str, str]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("StaffEditor", text)

    problems = {}
    if len(password) < MIN_LENGTH:
        problems["password"] = tr("must be at least %1 characters long").replace(
            "%1", str(MIN_LENGTH))
    if confirm != password:
        problems["confirm"] = tr("the two passwords are not the same")
    return problems


class StaffEditor(FormDialog):
    """A new member of staff (with a first password, to change at first sign-in), or an
    existing one. Stays open with everything typed until the service accepts it; `saved`
    carries the StaffInfo the service returned."""

    def __init__(self, me: Me, runner: Runner, staff: StaffInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._staff = staff
        self._ready = False
        self.setWindowTitle(self.tr("New member of staff") if staff is None
                            else self.tr("Edit %1").replace("%1", staff.display_name))
        self._build()
        self._load_choices()

    def _build(self) -> None:
        tr = self.tr
        self.username = QLineEdit(self)
        self.username.setMaxLength(fields.USERNAME)
        self.display_name = QLineEdit(self)
        self.display_name.setMaxLength(fields.DISPLAY_NAME)
        self.email = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.setPlaceholderText(tr("Choose a role"))
        for role in Role:
            self.role.addItem(labels.role(role), role.value)
        self.role.setCurrentIndex(-1)
        self.team = QComboBox(self)
        self.fte = QSpinBox(self)
        self.fte.setRange(1, 100)
        self.fte.setValue(100)
        self.fte.setSuffix("%")
        self.supervisor = QComboBox(self)
        # Only a new account gets a first password; an existing one is reset on its own.
        self.password: QLineEdit | None = None
        self.confirm: QLineEdit | None = None

        add = self.errors.add_row
        account = QGroupBox(tr("Account"), self)
        form = QFormLayout(account)
        add(form, "username", tr("&Username:"), self.username)
        add(form, "display_name", tr("&Display name:"), self.display_name)
        add(form, "email", tr("&Email:"), self.email)
        add(form, "role", tr("&Role:"), self.role)
        add(form, "team_id", tr("&Team:"), self.team)
        add(form, "fte_percent", tr("&FTE:"), self.fte)
        add(form, "supervisor_id", tr("Su&pervisor:"), self.supervisor)
        if self._staff is None:
            self.password = QLineEdit(self)
            self.password.setEchoMode(QLineEdit.EchoMode.Password)
            self.confirm = QLineEdit(self)
            self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
            add(form, "password", tr("Pass&word:"), self.password)
            add(form, "confirm", tr("C&onfirm password:"), self.confirm)
            hint = QLabel(tr("They choose their own password when they first sign in."),
                          account)
            hint.setWordWrap(True)
            form.addRow(hint)

        self.sssc_number = QLineEdit(self)
        self.sssc_number.setMaxLength(10)
        self.sssc_part = QComboBox(self)
        self.sssc_part.addItem(tr("Not registered"), None)
        for part in RegisterPart:
            self.sssc_part.addItem(labels.vocab(RegisterPart, part), part.value)
        self.sssc_expiry = OptionalDateEdit(tr("SSSC expiry date"), self)
        self.qualified_on = OptionalDateEdit(tr("Qualification date"), self)
        self.accreditations = {
            Accreditation.MHO: QCheckBox(tr("&Mental Health Officer"), self),
            Accreditation.ASP_COUNCIL_OFFICER: QCheckBox(tr("ASP counc&il officer"), self),
        }
        held = QWidget(self)
        held_layout = QVBoxLayout(held)
        held_layout.setContentsMargins(0, 0, 0, 0)
        for kind, box in self.accreditations.items():
            box.setAccessibleName(labels.vocab(Accreditation, kind))
            held_layout.addWidget(box)
        held.setFocusProxy(self.accreditations[Accreditation.MHO])

        registration = QGroupBox(tr("Registration and qualifications"), self)
        form = QFormLayout(registration)
        add(form, "sssc_number", tr("SSSC &number:"), self.sssc_number)
        add(form, "sssc_part", tr("Register p&art:"), self.sssc_part)
        add(form, "sssc_expiry", tr("SSSC e&xpiry:"), self.sssc_expiry)
        add(form, "qualified_on", tr("&Qualified on:"), self.qualified_on)
        add(form, "accreditations", tr("Accreditations:"), held)
        self.fte.setAccessibleName(tr("FTE per cent"))

        self.buttons, self.save_button = save_cancel(self)
        self.save_button.setEnabled(False)  # until the team and staff lists have arrived

        columns = QHBoxLayout()
        columns.addWidget(account, 1)
        columns.addWidget(registration, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(880)  # two columns, each wide enough for a one-line problem

        for name, edit in (("username", self.username), ("display_name", self.display_name),
                           ("password", self.password), ("confirm", self.confirm)):
            if edit is not None:
                edit.textEdited.connect(lambda _text, n=name: self._edited(n))
        self.role.activated.connect(lambda _i: self._edited("role"))

    # -- loading -------------------------------------------------------------------------

    def _load_choices(self) -> None:
        self.banner.show_message(self.tr("Loading teams and staff…"))
        self._runner.run(_choices, self._me, on_done=self._fill_choices,
                         on_error=self._failed, owner=self)

    def _fill_choices(self, choices: tuple[tuple[TeamInfo, ...], tuple[StaffInfo, ...]]) -> None:
        teams, staff = choices
        self.banner.clear()
        self.team.clear()
        self.team.addItem(self.tr("No team"), None)
        for team in teams:
            self.team.addItem(team.name, team.id)
        self.supervisor.clear()
        self.supervisor.addItem(self.tr("No supervisor"), None)
        own_id = self._staff.id if self._staff else None
        for person in staff:
            if person.id != own_id:
                self.supervisor.addItem(f"{person.display_name} ({labels.role(person.role)})",
                                        person.id)
        if self._staff is not None:
            self._fill(self._staff)
        self._ready = True
        self.save_button.setEnabled(True)

    def _fill(self, s: StaffInfo) -> None:
        self.username.setText(s.username)
        self.display_name.setText(s.display_name)
        self.email.setText(s.email or "")
        self.role.setCurrentIndex(self.role.findData(s.role.value))
        _select(self.team, s.team_id, s.team_name or "")
        _select(self.supervisor, s.supervisor_id,
                self.tr("%1 (deactivated)").replace("%1", s.supervisor_name or ""))
        self.fte.setValue(s.fte_percent)
        self.sssc_number.setText(s.sssc_number or "")
        self.sssc_part.setCurrentIndex(
            self.sssc_part.findData(s.sssc_part.value if s.sssc_part else None))
        self.sssc_expiry.set_value(s.sssc_expiry)
        self.qualified_on.set_value(s.qualified_on)
        for kind, box in self.accreditations.items():
            box.setChecked(kind in s.accreditations)

    # -- checking and saving -------------------------------------------------------------

    def _local_problems(self) -> dict[str, str]:
        """The obvious problems, checked as they type; the service checks everything."""
        tr = self.tr
        problems = {}
        if not self.username.text().strip():
            problems["username"] = tr("enter a username")
        if not self.display_name.text().strip():
            problems["display_name"] = tr("enter the name colleagues know them by")
        if self.role.currentIndex() < 0:
            problems["role"] = tr("choose a role")
        if self.password is not None and self.confirm is not None:
            problems |= _password_problems(self.password.text(), self.confirm.text())
        return problems

    def data(self) -> StaffInput:
        return StaffInput(
            username=self.username.text().strip(),
            display_name=self.display_name.text().strip(),
            role=self.role.currentData() or "",
            team_id=self.team.currentData(),
            email=self.email.text().strip() or None,
            fte_percent=self.fte.value(),
            supervisor_id=self.supervisor.currentData(),
            sssc_number=self.sssc_number.text().strip() or None,
            sssc_part=self.sssc_part.currentData(),
            sssc_expiry=self.sssc_expiry.value(),
            qualified_on=self.qualified_on.value(),
            accreditations=frozenset(k.value for k, box in self.accreditations.items()
                                     if box.isChecked()),
        )

    def _can_save(self) -> bool:
        return self._ready

    def _request(self) -> tuple:
        admin = self._me.admin
        if self._staff is None:
            assert self.password is not None  # a new account always has the fields
            return admin.create_staff, self.data(), self.password.text()
        return admin.update_staff, self._staff.id, self._staff.row_version, self.data()

    def _conflict_reload(self) -> Callable[[], None]:
        return self._reload

    def _reload(self) -> None:
        """After a conflict, and only when asked: show the other person's version."""
        assert self._staff is not None
        self._runner.run(self._me.admin.get_staff, self._staff.id, on_done=self._reloaded,
                         on_error=self._failed, owner=self)

    def _reloaded(self, info: StaffInfo) -> None:
        self._staff = info
        self.errors.clear()
        self._fill(info)
        self.banner.show_message(self.tr("This shows the latest saved version. Make your "
                                         "changes again and save."))


def _select(combo: QComboBox, value: str | None, missing_label: str) -> None:
    """Select `value`, adding it when it is not among the choices (a deactivated
    supervisor, say), so that the form shows the record as it is."""
    index = combo.findData(value)
    if index < 0 and value is not None:
        combo.addItem(missing_label, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


class ResetPasswordDialog(QDialog):
    """A temporary password that the person must change at their next sign-in."""

    saved = Signal(object)  # StaffInfo

    def __init__(self, me: Me, runner: Runner, staff: StaffInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner, self._staff = me, runner, staff
        tr = self.tr
        self.setWindowTitle(tr("Reset password for %1").replace("%1", staff.display_name))
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        intro = QLabel(tr("Choose a temporary password for %1 and give it to them in person. "
                          "They must change it when they next sign in. Resetting also "
                          "unlocks the account.").replace("%1", staff.display_name), self)
        intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        self.errors.add_row(form, "password", tr("&Temporary password:"), self.password)
        self.errors.add_row(form, "confirm", tr("C&onfirm:"), self.confirm)
        self.buttons, self.save_button = save_cancel(self, tr("&Reset password"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.password.textEdited.connect(self._check_as_typed)
        self.confirm.textEdited.connect(self._check_as_typed)
        self.setMinimumWidth(480)

    def _check_as_typed(self) -> None:
        problems = _password_problems(self.password.text(), self.confirm.text())
        if not self.confirm.text():
            problems.pop("confirm", None)  # not typed yet
        self.errors.show(problems, focus=False)

    def save(self) -> None:
        problems = _password_problems(self.password.text(), self.confirm.text())
        if problems:
            self.errors.show(problems)
            return
        self.errors.clear()
        self.save_button.setEnabled(False)
        self._runner.run(self._me.admin.reset_password, self._staff.id, self.password.text(),
                         on_done=self._saved, on_error=self._failed, owner=self)

    def _saved(self, info: StaffInfo) -> None:
        self.saved.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.banner, self.errors)


class ConfirmActive:
    """Asks before an account is deactivated or reactivated. Tests replace `ask`."""

    @classmethod
    def ask(cls, parent: QWidget, staff: StaffInfo, active: bool) -> bool:
        tr = parent.tr
        if active:
            title = tr("Reactivate %1?")
            text = tr("%1 will be able to sign in again with their current password.")
            verb = tr("Reactivate")
        else:
            title = tr("Deactivate %1?")
            text = tr("%1 will no longer be able to sign in. Their records, cases and history "
                      "stay as they are; you can reactivate the account later.")
            verb = tr("Deactivate")
        name = staff.display_name
        return Confirm.ask(parent, title.replace("%1", name), text.replace("%1", name), verb)
