"""The Teams page: the table, and creating and editing a team through its dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from admin_fixtures import (  # noqa: F401 (fixtures)
    WORKER_PASSWORD,
    me,
    runner,
    world,
    ws,
)
from casework import dto
from casework.ui.pages.admin_teams import TeamDialog, TeamsPage, TeamTableModel



@pytest.fixture
def page(qtbot, me, runner, world):
    p = TeamsPage(me, runner)
    qtbot.addWidget(p)
    p.show()
    return p


def rows(model):
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_team_model_passes_the_model_tester(qtmodeltester, me, runner, world):
    model = TeamTableModel(me, runner)
    model.reload()
    qtmodeltester.check(model)
    assert rows(model) == [["North Locality", "Adult and community care", "Morag Campbell",
                            "1", "0"]]


def test_new_team_through_the_dialog(qtbot, page, me, world):
    second = me.admin.create_staff(dto.StaffInput(username="calum", display_name="Calum Ross",
                                                  role="service_manager"), WORKER_PASSWORD)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, TeamDialog)
    assert [dialog.manager.itemText(i) for i in range(dialog.manager.count())] == [
        "None", "Calum Ross", "Morag Campbell"]
    qtbot.keyClicks(dialog.name, "Justice Team East")
    dialog.service_area.setCurrentIndex(dialog.service_area.findData("justice"))
    dialog.manager.setCurrentIndex(dialog.manager.findData(second.id))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert rows(page.model)[0] == ["Justice Team East", "Justice", "Calum Ross", "0", "0"]
    assert page.selected().name == "Justice Team East"


def test_duplicate_name_is_shown_beside_the_name_and_kept(qtbot, page):
    page.new()
    dialog = page.dialog
    qtbot.keyClicks(dialog.name, "north locality")
    dialog.service_area.setCurrentIndex(dialog.service_area.findData("justice"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    # The team already recorded is named as it is written.
    assert dialog.errors.message("name") == "Name: another team is already called 'North Locality'"
    assert dialog.name.text() == "north locality"
    assert dialog.service_area.currentData() == "justice"
    assert page.model.rowCount() == 1


def test_edit_a_team_and_conflict_offers_reload(qtbot, page, me, world):
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog.name.text() == "North Locality"
    assert dialog.manager.currentData() == world.manager.id
    me.admin.update_team(world.team.id, world.team.row_version, name="North",
                         service_area="adult_community_care", service_manager_id=None)

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "North and West")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Someone else changed" in dialog.banner.text
    assert dialog.name.text() == "North and West"
    qtbot.mouseClick(dialog.banner.action, Qt.MouseButton.LeftButton)
    assert dialog.name.text() == "North" and dialog.manager.currentData() is None

    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "North and West")
    dialog.service_area.setCurrentIndex(dialog.service_area.findData("mental_health"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert rows(page.model) == [["North and West", "Mental health", "None", "1", "0"]]
