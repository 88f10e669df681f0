"""Backups of the workspace file: the list, "Back up now", and restoring one (after which
everyone signs in again, to the restored workspace)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
import re
from pathlib import Path

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from casework import dto
from casework.permissions import Action
from casework.services import Me, Workspace
from casework.timeutil import show_datetime
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.table_page import TablePage
from casework.ui.widgets.tables import button, button_row, make_table


class BackupColumn(IntEnum):
    WHEN = 0
    LABEL = 1
    SIZE = 2


class BackupTableModel(PagedTableModel):
    """The workspace's backups, newest first (a folder's worth: one page)."""

    def __init__(self, me: Me, runner: Runner, parent: QObject | None = None):
        super().__init__(runner, None, parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("When"), self.tr("Made"), self.tr("Size"))

    def fetch(self, query: None, offset: int, limit: int) -> Sequence[dto.BackupInfo]:
        return self._me.admin.backups()[offset:offset + limit]

    def record_id(self, record: dto.BackupInfo) -> str:
        return str(record.path)

    def cell(self, b: dto.BackupInfo, column: int) -> str:
        match BackupColumn(column):
            case BackupColumn.WHEN:
                return show_datetime(b.created_at)
            case BackupColumn.LABEL:
                return self.label(b.label)
            case BackupColumn.SIZE:
                # "kB" and "MB" rather than "KiB": what most people recognise.
                return QLocale().formattedDataSize(
                    b.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)

    def tooltip(self, b: dto.BackupInfo, column: int) -> str | None:
        return str(b.path)

    def right_aligned(self, column: int) -> bool:
        return column == BackupColumn.SIZE

    def label(self, label: str) -> str:
        """Why the backup was made, from the label in its file name (which may end in "-2"
        and so on, for two made within one second)."""
        if re.fullmatch(r"manual(-\d+)?", label):
            return self.tr("By an administrator")
        if re.fullmatch(r"before-restore(-\d+)?", label):
            return self.tr("Automatically, before a restore")
        if label.startswith("before-upgrade-"):
            return self.tr("Automatically, before an upgrade from version %1").replace(
                "%1", label.removeprefix("before-upgrade-"))
        return label


class ConfirmRestore:
    """Asks before a restore replaces the workspace. Tests replace `ask`."""

    @classmethod
    def ask(cls, parent: QWidget, when: str) -> bool:
        tr = parent.tr
        box = QMessageBox(
            QMessageBox.Icon.Warning, tr("Restore the backup from %1?").replace("%1", when),
            tr("The workspace will be replaced by the backup from %1. Anything recorded since "
               "then will no longer be in it (the current workspace is kept as a "
               "'before restore' backup).\n\nEveryone using this workspace will be signed out "
               "and will need to sign in again.").replace("%1", when),
            parent=parent)
        restore = box.addButton(tr("Restore and sign everyone out"),
                                QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore


class BackupsPage(TablePage):

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None, *,
                 workspace: Workspace | None = None,
                 on_restored: Callable[[Workspace], None] | None = None):
        super().__init__(me, runner, parent)
        self._workspace, self._on_restored = workspace, on_restored
        tr = self.tr
        self.model = BackupTableModel(me, runner, self)
        intro = QLabel(tr("Backups are encrypted copies of this workspace, kept in a "
                          "'backups' folder beside it. One is also made before every "
                          "upgrade and before every restore."), self)
        intro.setWordWrap(True)
        self.table = make_table(self.model, tr("Backups"), self, stretch=BackupColumn.LABEL)
        self.banner = MessageBanner(self)
        self.backup_button = button(tr("&Back up now"), self)
        self.restore_button = button(tr("&Restore…"), self)
        # Restoring needs the workspace object (to reopen it) as well as the permission.
        self.restore_button.setVisible(workspace is not None
                                       and me.can(Action.RESTORE_WORKSPACE))
        actions = button_row(self.backup_button, self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addLayout(actions)

        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore)
        self._start()

    def title(self) -> str:
        return self.tr("Backups")

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def backup_now(self) -> None:
        self.banner.show_message(self.tr("Backing up…"))
        self.backup_button.setEnabled(False)
        self._runner.run(self._me.admin.backup_now, on_done=self._backed_up,
                         on_error=self._failed, owner=self)

    def _backed_up(self, path: Path) -> None:
        self.backup_button.setEnabled(True)
        self.banner.show_message(self.tr("Backed up and checked: %1").replace("%1", path.name),
                                 Tone.SUCCESS)
        self._reload_selecting(str(path))

    def restore(self) -> None:
        backup = self.selected()
        if backup is None or self._workspace is None:
            return
        if not ConfirmRestore.ask(self, show_datetime(backup.created_at)):
            return
        self.banner.show_message(self.tr("Restoring…"))
        self.setEnabled(False)  # the workspace is about to close under this page
        self._runner.run(self._workspace.restore, self._me, backup.path,
                         on_done=self._restored, on_error=self._failed, owner=self)

    def _restored(self, workspace: Workspace) -> None:
        self.banner.show_message(self.tr("Restored. Everyone must sign in again."), Tone.SUCCESS)
        if self._on_restored is not None:
            self._on_restored(workspace)

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.backup_button.setEnabled(True)
        show_failure(exc, self.banner, on_reload=self.refresh)
