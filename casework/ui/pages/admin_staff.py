"""Staff: find people, add them, change their details, reset a password, deactivate or
reactivate an account."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QVBoxLayout, QWidget

from casework.permissions import Action, Role
from casework.services import Me
from casework.dto import StaffInfo, StaffQuery
from casework.ui import labels
from casework.ui.dialogs.staff_editor import ConfirmActive, ResetPasswordDialog, StaffEditor
from casework.ui.item_models.staff_table import StaffTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.table_page import TablePage
from casework.ui.widgets.tables import button, button_row, make_table


class StaffPage(TablePage):
    watches = frozenset({"staff", "team"})
    fit_columns_once = True

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self.model = StaffTableModel(me, runner, parent=self)
        self._build()
        self._start()

    def title(self) -> str:
        return self.tr("Staff")

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.search = self._search_box(tr("Name or username"), tr("Search staff"))
        self.role = QComboBox(self)
        self.role.setAccessibleName(tr("Role filter"))
        self.role.addItem(tr("All roles"), None)
        for role in Role:
            self.role.addItem(labels.role(role), role.value)
        self.team = QComboBox(self)
        self.team.setAccessibleName(tr("Team filter"))
        self.team.addItem(tr("All teams"), None)
        self.team.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_inactive = QCheckBox(tr("S&how deactivated"), self)
        self.show_inactive.setAccessibleName(tr("Show deactivated accounts"))

        filters = self._filter_bar(((tr("&Search:"), self.search), (tr("R&ole:"), self.role),
                                    (tr("&Team:"), self.team)), wide=self.search)
        filters.addWidget(self.show_inactive)

        self.table = make_table(self.model, tr("Staff"), self)
        self.banner = MessageBanner(self)
        self.new_button = button(tr("&New…"), self)
        self.edit_button = button(tr("&Edit…"), self)
        self.reset_button = button(tr("Reset &password…"), self)
        self.active_button = button(tr("&Deactivate…"), self)
        self.reset_button.setVisible(self._me.can(Action.RESET_PASSWORD))
        actions = button_row(self.new_button, self.edit_button, self.reset_button,
                             self.active_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addLayout(actions)

        self.role.currentIndexChanged.connect(self.apply_filter)
        self.team.currentIndexChanged.connect(self.apply_filter)
        self.show_inactive.toggled.connect(self.apply_filter)
        self.table.activated.connect(lambda _index: self.edit())  # Enter or double-click
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.banner.clear()
        self._runner.run(self._me.admin.teams, on_done=self._fill_teams,
                         on_error=self._refused, owner=self)
        super().refresh()

    def _fill_teams(self, teams: tuple) -> None:
        current = self.team.currentData()
        self.team.blockSignals(True)  # refilling is not a change of filter
        self.team.clear()
        self.team.addItem(self.tr("All teams"), None)
        for team in teams:
            self.team.addItem(team.name, team.id)
        self.team.setCurrentIndex(max(self.team.findData(current), 0))
        self.team.blockSignals(False)
        if self.team.currentData() != current:
            self.apply_filter()  # the team filtered on has gone

    def query(self) -> StaffQuery:
        return StaffQuery(text=self.search.text().strip(), role=self.role.currentData(),
                          team_id=self.team.currentData(),
                          include_inactive=self.show_inactive.isChecked())

    # -- acting --------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        s = self.selected()
        self.edit_button.setEnabled(s is not None)
        self.reset_button.setEnabled(s is not None and s.active)
        self.active_button.setEnabled(s is not None and s.id != self._me.staff_id)
        inactive = s is not None and not s.active
        text = self.tr("Re&activate…") if inactive else self.tr("&Deactivate…")
        self.active_button.setText(text)
        self.active_button.setAccessibleName(text.replace("&", "").rstrip("…"))

    def new(self) -> None:
        self._open(StaffEditor(self._me, self._runner, None, self), self._added)

    def edit(self) -> None:
        s = self.selected()
        if s is not None:
            self._open(StaffEditor(self._me, self._runner, s, self), self._changed)

    def reset_password(self) -> None:
        s = self.selected()
        if s is not None and s.active:
            self._open(ResetPasswordDialog(self._me, self._runner, s, self), self._password_reset)

    def toggle_active(self) -> None:
        s = self.selected()
        if s is None or not ConfirmActive.ask(self, s, not s.active):
            return
        self._runner.run(self._me.admin.set_active, s.id, s.row_version, not s.active,
                         on_done=self._active_changed, owner=self,
                         on_error=self._refused)

    def _added(self, info: StaffInfo) -> None:
        self.banner.show_message(self.tr("Added %1. They must choose a new password when they "
                                         "first sign in.").replace("%1", info.display_name),
                                 Tone.SUCCESS)
        self._reload_selecting(info.id)

    def _changed(self, info: StaffInfo) -> None:
        self.model.replace(info)
        self.banner.show_message(self.tr("Saved %1.").replace("%1", info.display_name),
                                 Tone.SUCCESS)

    def _active_changed(self, info: StaffInfo) -> None:
        self.model.replace(info)
        if info.active:
            text = self.tr("%1 is active again and can sign in.")
        else:
            text = self.tr("%1 is deactivated and can no longer sign in.")
        self.banner.show_message(text.replace("%1", info.display_name), Tone.SUCCESS)

    def _password_reset(self, info: StaffInfo) -> None:
        self.model.replace(info)
        text = self.tr("The password for %1 is reset. They must change it when they next "
                       "sign in.")
        self.banner.show_message(text.replace("%1", info.display_name), Tone.SUCCESS)
