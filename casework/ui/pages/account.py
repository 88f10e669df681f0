"""My account: who Casework thinks I am (role, team, registration, accreditations), and
changing my password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casework.errors import CaseworkError, ValidationError
from casework.events import Changed
from casework.passwords import MIN_LENGTH
from casework.permissions import Actor, is_newly_qualified
from casework import dto
from casework.timeutil import show_date, show_datetime
from casework.ui import labels
from casework.ui.page_context import PageContext
from casework.ui.pages.ready import ReadyPage
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.form import FieldErrors

EXPIRY_WARNING_DAYS = 90  # the SSSC asks for renewal well before the date


class AccountPage(ReadyPage):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.profile: dto.StaffInfo | None = None

        self.banner = MessageBanner(self)
        self.profile_box = QGroupBox(self.tr("Profile"), self)
        self._profile_form = QFormLayout(self.profile_box)
        self._profile_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._values: dict[str, QLabel] = {}

        password_box = QGroupBox(self.tr("Change password"), self)
        self.current_password = self._password_edit()
        self.new_password = self._password_edit()
        self.confirm_password = self._password_edit()
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, "current_password", self.tr("C&urrent password:"),
                            self.current_password)
        self.errors.add_row(form, "new_password", self.tr("&New password:"), self.new_password)
        self.errors.add_row(form, "confirm_password", self.tr("Con&firm new password:"),
                            self.confirm_password)
        hint = QLabel(self.tr("At least {n} characters, and not your username. A phrase of a "
                              "few words is easier to remember than a jumble.").format(n=MIN_LENGTH),
                      password_box)
        hint.setWordWrap(True)
        self.change_button = QPushButton(self.tr("&Change password"), password_box)
        self.change_button.setAccessibleName(self.tr("Change password"))
        self.change_button.clicked.connect(self.change_password)
        for edit in (self.current_password, self.new_password, self.confirm_password):
            edit.returnPressed.connect(self.change_password)
        password_layout = QVBoxLayout(password_box)
        password_layout.addWidget(hint)
        password_layout.addLayout(form)
        password_layout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignRight)

        # What the reserved-function rules say about this person today, so that nobody learns
        # of a lapsed registration only when a sign-off is refused.
        self.reserved_box = QGroupBox(self.tr("Reserved functions"), self)
        self.reserved_table = QTableWidget(0, 2, self.reserved_box)
        self.reserved_table.setAccessibleName(self.tr("Reserved functions open to you"))
        self.reserved_table.setHorizontalHeaderLabels([self.tr("Function"), self.tr("You?")])
        self.reserved_table.verticalHeader().hide()
        self.reserved_table.setWordWrap(False)
        self.reserved_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reserved_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(self.reserved_box).addWidget(self.reserved_table)

        left = QVBoxLayout()
        left.addWidget(self.profile_box)
        left.addWidget(self.reserved_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(password_box, 2, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(columns)
        layout.addStretch(1)

        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self._ctx.runner.run(self._ctx.me.account.profile, on_done=self._show_profile,
                             on_error=self._profile_failed, owner=self)
        self._ctx.runner.run(self._ctx.me.account.reserved_functions,
                             on_done=self._show_reserved, on_error=self._profile_failed,
                             owner=self)

    def _show_reserved(self, standings: tuple[dto.ReservedStanding, ...]) -> None:
        """One row a function: yes, or no with a short reason (the policy's full sentence in
        the tooltip)."""
        t = self.reserved_table
        t.setRowCount(len(standings))
        self.reserved_rows: dict[str, int] = {}
        for row, st in enumerate(standings):
            answer = self.tr("Yes") if st.allowed else self.tr("No — {why}").format(
                why=self._short_reason(st.reason))
            for col, text in enumerate((st.label, answer)):
                item = QTableWidgetItem(text)
                item.setToolTip(st.message or text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                t.setItem(row, col, item)
            self.reserved_rows[st.code] = row
        t.resizeColumnToContents(1)
        t.setFixedHeight(t.horizontalHeader().height() + sum(
            t.rowHeight(r) for r in range(t.rowCount())) + 2 * t.frameWidth())

    def reserved_answer(self, code: str) -> str:
        return self.reserved_table.item(self.reserved_rows[code], 1).text()

    def _short_reason(self, reason: str) -> str:
        return {
            "registration_lapsed": self.tr("registration lapsed"),
            "not_registered": self.tr("not on the social worker register"),
            "missing_accreditation": self.tr("needs an accreditation"),
            "insufficient_experience": self.tr("needs more post-qualifying experience"),
            "role_not_permitted": self.tr("not open to your role"),
            "account_inactive": self.tr("account deactivated"),
            "password_change_required": self.tr("new password needed"),
        }.get(reason, reason.replace("_", " "))

    # -- profile ----------------------------------------------------------------------

    def _show_profile(self, p: dto.StaffInfo) -> None:
        self.profile = p
        today = self._ctx.me.today()  # the workspace's clock, as the services decide by
        while self._profile_form.rowCount():
            self._profile_form.removeRow(0)
        self._values.clear()
        none = self.tr("None")
        self._row(self.tr("Name"), p.display_name)
        self._row(self.tr("Username"), p.username)
        self._row(self.tr("Role"), labels.role(p.role))
        self._row(self.tr("Team"), p.team_name or none)
        self._row(self.tr("Supervisor"), p.supervisor_name or none)
        self._row(self.tr("Working hours"), self.tr("{n}% of full time").format(n=p.fte_percent))
        self._row(self.tr("Email"), p.email or none)
        if p.sssc_number:
            part = p.sssc_part.label if p.sssc_part else ""
            self._row(self.tr("SSSC registration"),
                      self.tr("{number} ({part} part of the register)").format(
                          number=p.sssc_number, part=part))
            self._row(self.tr("Registration expires"), self._expiry(p.sssc_expiry, today))
        else:
            self._row(self.tr("SSSC registration"), self.tr("Not registered"))
        if p.qualified_on:
            qualified = show_date(p.qualified_on)
            actor = Actor(p.id, p.username, p.display_name, p.role, p.team_id,
                          qualified_on=p.qualified_on)
            if is_newly_qualified(actor, today):
                qualified = self.tr("{date} — newly qualified (supported first year)").format(
                    date=qualified)
            self._row(self.tr("Qualified"), qualified)
        self._row(self.tr("Accreditations"),
                  ", ".join(a.label for a in p.accreditations) or none)
        self._row(self.tr("Last signed in"), show_datetime(p.last_login_at) or self.tr("Never"))
        if p.must_change_password:
            self.banner.show_message(
                self.tr("Your password was set by an administrator. Choose your own password "
                        "below; your pages open once you have."), Tone.WARNING)
            self.current_password.setFocus()
        self._become_ready(None)

    def _expiry(self, expiry, today) -> str:
        if expiry is None:
            return self.tr("Not recorded")
        shown = show_date(expiry)
        left = (expiry - today).days
        if left < 0:
            return self.tr("{date} — lapsed: reserved functions are not open to you").format(
                date=shown)
        if left <= EXPIRY_WARNING_DAYS:
            return self.tr("{date} — renew soon ({days} left)").format(
                date=shown, days=labels.days(left))
        return shown

    def _row(self, caption: str, value: str) -> None:
        shown = QLabel(value, self.profile_box)
        shown.setWordWrap(True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setAccessibleName(caption)
        self._profile_form.addRow(QLabel(caption + ":", self.profile_box), shown)
        self._values[caption] = shown

    def value(self, caption: str) -> str:
        return self._values[caption].text()

    def _profile_failed(self, exc: BaseException) -> None:
        self.banner.show_message(str(exc), Tone.ERROR)
        self._become_ready(str(exc))

    def _on_changed(self, event: Changed) -> None:
        if event.kind == "staff" and self._ctx.me.staff_id in event.ids:
            self.refresh()

    # -- password ---------------------------------------------------------------------

    def change_password(self) -> None:
        if not self.change_button.isEnabled():
            return
        self.banner.clear()
        current = self.current_password.text()
        new = self.new_password.text()
        problems = {}
        if not current:
            problems["current_password"] = self.tr("type your current password")
        if not new:
            problems["new_password"] = self.tr("type a new password")
        elif new != self.confirm_password.text():
            problems["confirm_password"] = self.tr("does not match the new password")
        if problems:
            self.errors.show(problems)
            return
        self.errors.clear()
        self.change_button.setEnabled(False)
        self._ctx.runner.run(self._ctx.me.account.change_password, current, new,
                             on_done=self._password_changed, on_error=self._password_refused,
                             owner=self)

    def _password_changed(self, _result: None) -> None:
        self.change_button.setEnabled(True)
        for edit in (self.current_password, self.new_password, self.confirm_password):
            edit.clear()
        self.banner.show_message(self.tr("Your password has been changed."), Tone.SUCCESS)

    def _password_refused(self, exc: BaseException) -> None:
        self.change_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            others = self.errors.show(exc.problems)
            if others:
                self.banner.show_message("\n".join(others), Tone.ERROR)
            if "current_password" in exc.problems:
                self.current_password.clear()
        elif isinstance(exc, CaseworkError):
            self.banner.show_message(str(exc), Tone.ERROR)
        else:
            self.banner.show_message(
                self.tr("The password could not be changed: {error}").format(error=exc), Tone.ERROR)

    def _password_edit(self) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit
