"""Staff: find people, add them, change their details, reset a password, deactivate or
reactivate an account. The admin pages' shared table set-up lives here too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casework.permissions import Action, Role
from casework.services import Me
from casework.services.dto import StaffInfo, StaffQuery
from casework.ui import labels
from casework.ui.dialogs.staff_editor import (
    ActionBanner,
    ConfirmActive,
    ResetPasswordDialog,
    StaffEditor,
    show_failure,
)
from casework.ui.item_models.staff_table import StaffTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import Tone

SEARCH_DELAY_MS = 300  # wait for a pause in typing before asking the database


def make_table(model: QAbstractItemModel, name: str, parent: QWidget,
               stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting table that the keyboard can drive (Enter activates).
    Column `stretch` (default: the last) takes the width left over."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    return view


def button(text: str, parent: QWidget) -> QPushButton:
    b = QPushButton(text, parent)
    b.setAccessibleName(text.replace("&", "").rstrip("…"))
    return b


class StaffPage(QWidget):
    required_action = Action.MANAGE_STAFF

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner = me, runner
        self._select_after_load: str | None = None
        self._sized = False
        self.model = StaffTableModel(me, runner, parent=self)
        self.dialog: StaffEditor | ResetPasswordDialog | None = None  # while one is open
        self._build()
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._refused)
        self.model.modelReset.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.refresh()

    def title(self) -> str:
        return self.tr("Staff")

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Name or username"))
        self.search.setAccessibleName(tr("Search staff"))
        self.search.setClearButtonEnabled(True)
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

        filters = QHBoxLayout()
        for text, widget in ((tr("&Search:"), self.search), (tr("R&ole:"), self.role),
                             (tr("&Team:"), self.team)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.search else 0)
        filters.addWidget(self.show_inactive)

        self.table = make_table(self.model, tr("Staff"), self)
        self.banner = ActionBanner(self)
        self.new_button = button(tr("&New…"), self)
        self.edit_button = button(tr("&Edit…"), self)
        self.reset_button = button(tr("Reset &password…"), self)
        self.active_button = button(tr("&Deactivate…"), self)
        self.reset_button.setVisible(self._me.can(Action.RESET_PASSWORD))
        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.reset_button, self.active_button):
            actions.addWidget(b)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addLayout(actions)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.role.currentIndexChanged.connect(self.apply_filter)
        self.team.currentIndexChanged.connect(self.apply_filter)
        self.show_inactive.toggled.connect(self.apply_filter)
        self.table.activated.connect(lambda _index: self.edit())  # Enter or double-click
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.banner.clear()
        self._runner.run(self._me.admin.teams, on_done=self._fill_teams,
                         on_error=self._refused, owner=self)
        self.model.reload()

    def _refused(self, exc: BaseException) -> None:
        show_failure(exc, self.banner, on_reload=self.refresh)

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

    def apply_filter(self) -> None:
        self._search_timer.stop()
        if self.query() != self.model.query:
            self.model.set_query(self.query())

    def _loaded(self) -> None:
        if not self._sized and self.model.rowCount():
            self._sized = True
            self.table.resizeColumnsToContents()
        if self._select_after_load:
            row = self.model.row_of(self._select_after_load)
            if row is not None:
                self._select_after_load = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            elif self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())  # further down the list
            else:
                self._select_after_load = None
        self._update_buttons()

    # -- acting --------------------------------------------------------------------------

    def selected(self) -> StaffInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

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

    def _open(self, dialog: StaffEditor | ResetPasswordDialog,
              on_saved: Callable[[StaffInfo], None]) -> None:
        self.banner.clear()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(on_saved)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

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
        self._select_after_load = info.id
        self.model.reload()

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
