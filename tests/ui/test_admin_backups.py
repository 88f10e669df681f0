"""The Backups page: backing up now and restoring a backup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from admin_fixtures import (  # noqa: F401 (fixtures)
    ADMIN_PASSWORD,
    WORKER_PASSWORD,
    me,
    runner,
    world,
    ws,
)
from casework import dto
from casework.services import Workspace
from casework.ui.pages.admin_backups import BackupColumn, BackupsPage, ConfirmRestore



@pytest.fixture
def restored():
    """Workspaces handed to on_restored, closed after the test."""
    opened: list[Workspace] = []
    yield opened
    for workspace in opened:
        workspace.close()


@pytest.fixture
def page(qtbot, me, runner, ws, world, restored):
    p = BackupsPage(me, runner, workspace=ws, on_restored=restored.append)
    qtbot.addWidget(p)
    p.show()
    return p


def test_back_up_now_adds_a_row(qtbot, qtmodeltester, page):
    assert page.model.rowCount() == 0
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    backup = page.selected()
    assert backup is not None and backup.path.exists() and backup.label == "manual"
    assert page.model.data(page.model.index(0, BackupColumn.LABEL)) == "By an administrator"
    assert page.model.data(page.model.index(0, BackupColumn.SIZE)).endswith(" kB")
    assert backup.path.name in page.banner.text
    qtmodeltester.check(page.model)

    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 2
    assert page.selected().path != backup.path  # the newest, selected, at the top
    assert page.table.selectionModel().selectedRows()[0].row() == 0


def test_backup_labels_say_why_each_was_made(page):
    label = page.model.label
    assert label("manual-2") == "By an administrator"  # two within one second
    assert label("before-restore") == "Automatically, before a restore"
    assert label("before-upgrade-0001") == "Automatically, before an upgrade from version 0001"
    assert label("nightly") == "nightly"


def test_restore_asks_then_hands_over_the_reopened_workspace(qtbot, page, me, restored,
                                                              monkeypatch):
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    # Recorded after the backup: gone once it is restored.
    me.admin.create_staff(dto.StaffInput(username="late", display_name="Late Starter",
                                         role="administrator"), WORKER_PASSWORD)
    answers = iter([False, True])
    asked = []

    def ask(cls, parent, when):
        asked.append(when)
        return next(answers)

    monkeypatch.setattr(ConfirmRestore, "ask", classmethod(ask))
    page.table.selectRow(0)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and restored == []

    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and len(restored) == 1
    new_ws = restored[0]
    assert isinstance(new_ws, Workspace)
    new_me = new_ws.login("admin", ADMIN_PASSWORD)
    usernames = {s.username for s in new_me.admin.staff_page(dto.StaffQuery()).rows}
    assert usernames == {"admin", "morag", "ewan"}
    labels = [b.label for b in new_me.admin.backups()]
    assert "before-restore" in labels and "manual" in labels
    assert "sign in again" in page.banner.text
    assert not page.isEnabled()  # this page belongs to the workspace that was replaced


def test_restore_is_offered_only_with_a_workspace_to_reopen(qtbot, me, runner):
    p = BackupsPage(me, runner)
    qtbot.addWidget(p)
    assert p.restore_button.isHidden()
    assert not p.backup_button.isHidden()
