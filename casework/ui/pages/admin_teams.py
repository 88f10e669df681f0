"""Teams: their service area, the service manager who oversees them, how many staff and
live cases each has; adding a team and changing one."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.permissions import Role
from casework.services import Me
from casework.dto import StaffInfo, StaffQuery, TeamInfo
from casework.ui import labels
from casework.ui.dialogs.staff_editor import all_staff
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors, save_cancel
from casework.ui.widgets.table_page import TablePage
from casework.ui.widgets.tables import button, button_row, make_table
from casework.vocab import ServiceArea


class TeamColumn(IntEnum):
    NAME = 0
    SERVICE_AREA = 1
    SERVICE_MANAGER = 2
    STAFF = 3
    LIVE_CASES = 4


class TeamTableModel(PagedTableModel):
    """Every team; a council has tens, so they come as one page."""

    def __init__(self, me: Me, runner: Runner, parent: QObject | None = None):
        super().__init__(runner, None, parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("Name"), self.tr("Service area"), self.tr("Service manager"),
                self.tr("Staff"), self.tr("Live cases"))

    def fetch(self, query: None, offset: int, limit: int) -> Sequence[TeamInfo]:
        return self._me.admin.teams()[offset:offset + limit]

    def cell(self, t: TeamInfo, column: int) -> str:
        match TeamColumn(column):
            case TeamColumn.NAME:
                return t.name
            case TeamColumn.SERVICE_AREA:
                return labels.vocab(ServiceArea, t.service_area)
            case TeamColumn.SERVICE_MANAGER:
                return t.service_manager_name or self.tr("None")
            case TeamColumn.STAFF:
                return str(t.staff_count)
            case TeamColumn.LIVE_CASES:
                return str(t.live_cases)

    def right_aligned(self, column: int) -> bool:
        return column in (TeamColumn.STAFF, TeamColumn.LIVE_CASES)


def _managers(me: Me) -> tuple[StaffInfo, ...]:
    return all_staff(me, StaffQuery(role=Role.SERVICE_MANAGER.value))


class TeamDialog(QDialog):
    """A new team, or a change to one. Stays open with what was typed until it saves."""

    saved = Signal(object)  # TeamInfo

    def __init__(self, me: Me, runner: Runner, team: TeamInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner, self._team = me, runner, team
        tr = self.tr
        self.setWindowTitle(tr("New team") if team is None
                            else tr("Edit %1").replace("%1", team.name))
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.name = QLineEdit(self)
        self.name.setMaxLength(fields.DISPLAY_NAME)
        self.service_area = QComboBox(self)
        self.service_area.setPlaceholderText(tr("Choose a service area"))
        for area in ServiceArea:
            self.service_area.addItem(labels.vocab(ServiceArea, area), area.value)
        self.service_area.setCurrentIndex(-1)
        self.manager = QComboBox(self)
        form = QFormLayout()
        self.errors.add_row(form, "name", tr("&Name:"), self.name)
        self.errors.add_row(form, "service_area", tr("Service &area:"), self.service_area)
        self.errors.add_row(form, "service_manager_id", tr("Service &manager:"), self.manager)
        self.buttons, self.save_button = save_cancel(self)
        self.save_button.setEnabled(False)  # until the managers have arrived
        self.name.textEdited.connect(self._check_name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        if team is not None:
            self._fill(team)
        runner.run(_managers, me, on_done=self._fill_managers,
                   on_error=lambda exc: show_failure(exc, self.banner), owner=self)

    def _fill(self, team: TeamInfo) -> None:
        self.name.setText(team.name)
        self.service_area.setCurrentIndex(self.service_area.findData(team.service_area))

    def _fill_managers(self, managers: tuple[StaffInfo, ...]) -> None:
        current = self._team.service_manager_id if self._team else None
        self.manager.clear()
        self.manager.addItem(self.tr("None"), None)
        for m in managers:
            self.manager.addItem(m.display_name, m.id)
        index = self.manager.findData(current)
        if index < 0 and current is not None:
            # No longer an active service manager: shown as it is; saving asks for another.
            self.manager.addItem(self.tr("%1 (no longer a service manager)").replace(
                "%1", self._team.service_manager_name or ""), current)
            index = self.manager.count() - 1
        self.manager.setCurrentIndex(max(index, 0))
        self.save_button.setEnabled(True)

    def _check_name(self) -> None:
        self.errors.show({} if self.name.text().strip() else {"name": self.tr("enter a name")},
                         focus=False)

    def save(self) -> None:
        problems = {}
        if not self.name.text().strip():
            problems["name"] = self.tr("enter a name")
        if self.service_area.currentIndex() < 0:
            problems["service_area"] = self.tr("choose a service area")
        if problems:
            self.errors.show(problems)
            return
        self.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)
        admin = self._me.admin
        fields = (self.name.text(), self.service_area.currentData(), self.manager.currentData())
        if self._team is None:
            self._runner.run(admin.create_team, *fields, on_done=self._saved,
                             on_error=self._failed, owner=self)
        else:
            self._runner.run(self._update, self._team.id, self._team.row_version, *fields,
                             on_done=self._saved, on_error=self._failed, owner=self)

    def _update(self, team_id: str, row_version: int, name: str, area: str,
                manager_id: str | None) -> TeamInfo:
        return self._me.admin.update_team(team_id, row_version, name=name, service_area=area,
                                          service_manager_id=manager_id)

    def _saved(self, team: TeamInfo) -> None:
        self.saved.emit(team)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.banner, self.errors, on_reload=self._reload)

    def _reload(self) -> None:
        self._runner.run(self._me.admin.teams, on_done=self._reloaded,
                         on_error=self._failed, owner=self)

    def _reloaded(self, teams: tuple[TeamInfo, ...]) -> None:
        team = next((t for t in teams if self._team and t.id == self._team.id), None)
        if team is None:
            self.banner.show_message(self.tr("This team no longer exists."), Tone.ERROR)
            return
        self._team = team
        self.errors.clear()
        self._fill(team)
        self.manager.setCurrentIndex(max(self.manager.findData(team.service_manager_id), 0))
        self.banner.show_message(self.tr("This shows the latest saved version. Make your changes "
                                      "again and save."))


class TeamsPage(TablePage):
    watches = frozenset({"team", "staff"})

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        tr = self.tr
        self.model = TeamTableModel(me, runner, self)
        self.table = make_table(self.model, tr("Teams"), self, stretch=TeamColumn.NAME)
        self.banner = MessageBanner(self)
        self.new_button = button(tr("&New team…"), self)
        self.edit_button = button(tr("&Edit team…"), self)
        actions = button_row(self.new_button, self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addLayout(actions)

        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.table.activated.connect(lambda _index: self.edit())
        self._start()

    def title(self) -> str:
        return self.tr("Teams")

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)

    def new(self) -> None:
        self._open(TeamDialog(self._me, self._runner, None, self), self._saved)

    def edit(self) -> None:
        team = self.selected()
        if team is not None:
            self._open(TeamDialog(self._me, self._runner, team, self), self._saved)

    def _saved(self, team: TeamInfo) -> None:
        self.banner.show_message(self.tr("Saved %1.").replace("%1", team.name), Tone.SUCCESS)
        # Teams are listed by name, so a new or renamed team may move: reload and reselect.
        self._reload_selecting(team.id)
