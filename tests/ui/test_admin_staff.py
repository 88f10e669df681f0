"""The staff table model and the Staff page with its editor, reset and deactivate dialogs."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel

from admin_fixtures import (  # noqa: F401 (fixtures)
    WORKER_PASSWORD,
    me,
    runner,
    social_worker,
    world,
    ws,
)
from casework.errors import AuthenticationFailed
from casework import dto
from casework.ui.dialogs.staff_editor import ConfirmActive, StaffEditor
from casework.ui.item_models.staff_table import StaffColumn, StaffTableModel
from casework.ui.pages.admin_staff import StaffPage
from casework.ui.tasks import TaskRunner



def cell(model, row, column):
    return model.data(model.index(row, column))


def column_of(model, column, username):
    for row in range(model.rowCount()):
        if cell(model, row, StaffColumn.USERNAME) == username:
            return cell(model, row, column)
    raise AssertionError(f"{username} not in the table")


@pytest.fixture
def page(qtbot, me, runner, world):
    p = StaffPage(me, runner)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def select(page, username):
    model = page.model
    for row in range(model.rowCount()):
        if cell(model, row, StaffColumn.USERNAME) == username:
            page.table.selectRow(row)
            return model.record(row)
    raise AssertionError(f"{username} not in the table")


# -- the model ----------------------------------------------------------------------------

def test_model_pages_and_passes_the_model_tester(qtmodeltester, me, runner, world):
    for i in range(130):
        me.admin.create_staff(dto.StaffInput(username=f"para{i:03}", display_name=f"Para {i:03}",
                                             role="para_professional", team_id=world.team.id),
                              WORKER_PASSWORD)
    model = StaffTableModel(me, runner)
    model.reload()
    assert model.rowCount() == 100 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)

    model.fetchMore(QModelIndex())
    assert model.rowCount() == 133  # 130 + admin, manager, worker
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)

    model.set_query(dto.StaffQuery(text="ewan"))
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0), StaffTableModel.IdRole) == world.worker.id
    assert model.data(model.index(0, 0), StaffTableModel.StaffRole) == world.worker
    qtmodeltester.check(model)


def test_an_answer_to_an_old_filter_is_dropped(qtbot, me, world):
    runner = TaskRunner()  # the real one: answers arrive later, on the GUI thread
    try:
        model = StaffTableModel(me, runner)
        model.reload()
        model.set_query(dto.StaffQuery(text="ewan"))  # while the first page is on its way
        assert model.rowCount() == 0 and model.is_loading
        qtbot.waitUntil(lambda: not model.is_loading)
        assert [model.record(r).username for r in range(model.rowCount())] == ["ewan"]
    finally:
        runner.shutdown()


def test_model_says_lapsed_locked_and_deactivated_in_words(me, runner, ws, world):
    lapsed_on = date.today() - timedelta(days=10)
    lapsed = me.admin.create_staff(
        social_worker("isla", "Isla Reid", world.team.id, sssc_number="765432",
                      sssc_expiry=lapsed_on), WORKER_PASSWORD)
    me.admin.set_active(lapsed.id, lapsed.row_version, False)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            ws.login("ewan", "wrong-password")
    me.admin.reset_password(world.manager.id, "temporary-pass-1")
    model = StaffTableModel(me, runner, dto.StaffQuery(include_inactive=True))
    model.reload()

    registration = column_of(model, StaffColumn.REGISTRATION, "isla")
    assert "765432" in registration and "lapsed" in registration
    assert "expires" in column_of(model, StaffColumn.REGISTRATION, "ewan")
    assert column_of(model, StaffColumn.STATUS, "isla") == "Deactivated"
    assert re.fullmatch(r"Locked until \d\d:\d\d", column_of(model, StaffColumn.STATUS, "ewan"))
    assert column_of(model, StaffColumn.STATUS, "morag") == "Active (temporary password)"
    assert column_of(model, StaffColumn.STATUS, "admin") == "Active"
    assert column_of(model, StaffColumn.ROLE, "morag") == "Service manager"
    assert column_of(model, StaffColumn.REGISTRATION, "morag") == "Not registered"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Name", "Username", "Role", "Team", "FTE", "SSSC registration",
                       "Qualified", "Accreditations", "Status"]


# -- the page and its dialogs ---------------------------------------------------------------

def fill_new_worker(qtbot, editor, world, username="aileen", sssc="234567"):
    qtbot.keyClicks(editor.username, username)
    qtbot.keyClicks(editor.display_name, "Aileen Murray")
    qtbot.keyClicks(editor.email, "aileen.murray@example.org")
    editor.role.setCurrentIndex(editor.role.findData("social_worker"))
    editor.team.setCurrentIndex(editor.team.findData(world.team.id))
    editor.supervisor.setCurrentIndex(editor.supervisor.findData(world.worker.id))
    qtbot.keyClicks(editor.sssc_number, sssc)
    editor.sssc_part.setCurrentIndex(editor.sssc_part.findData("social_worker"))
    editor.sssc_expiry.set_value(date.today() + timedelta(days=400))
    editor.qualified_on.set_value(date(2020, 6, 30))
    qtbot.keyClick(editor.accreditations["asp_council_officer"], Qt.Key.Key_Space)
    qtbot.keyClicks(editor.password, "first-password-1")
    qtbot.keyClicks(editor.confirm, "first-password-1")


def test_creating_a_member_of_staff_lands_in_the_table(qtbot, page, me, ws, world):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.dialog
    assert isinstance(editor, StaffEditor) and editor.isVisible()
    fill_new_worker(qtbot, editor, world)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert page.dialog is None and not editor.isVisible()
    added = page.selected()
    assert added is not None and added.username == "aileen"
    assert column_of(page.model, StaffColumn.TEAM, "aileen") == "North Locality"
    assert column_of(page.model, StaffColumn.ACCREDITATIONS, "aileen") == "ASP council officer"
    assert added.supervisor_id == world.worker.id and added.email == "aileen.murray@example.org"
    assert "Added Aileen Murray" in page.banner.text
    assert ws.login("aileen", "first-password-1").staff_id == added.id


@pytest.mark.parametrize(("username", "sssc", "field", "problem"), [
    ("ewan", "234567", "username", "Username: 'ewan' is already taken"),
    ("aileen", "23ab67", "sssc_number", "SSSC number: must be 4–10 digits"),
])
def test_a_refused_save_names_the_field_and_keeps_what_was_typed(
        qtbot, page, world, username, sssc, field, problem):
    page.new()
    editor = page.dialog
    fill_new_worker(qtbot, editor, world, username=username, sssc=sssc)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert editor.isVisible() and page.dialog is editor
    assert editor.errors.message(field) == problem
    assert editor.findChild(QLabel, f"{field}_error").isVisible()
    assert editor.username.text() == username and editor.sssc_number.text() == sssc
    assert editor.display_name.text() == "Aileen Murray"
    assert editor.password.text() == "first-password-1"
    assert editor.accreditations["asp_council_officer"].isChecked()
    assert editor.team.currentData() == world.team.id
    assert page.model.row_of(world.worker.id) is not None  # nothing else changed
    assert page.model.rowCount() == 3


def test_obvious_problems_show_as_you_type_and_block_the_save(qtbot, page, me):
    page.new()
    editor = page.dialog
    qtbot.keyClicks(editor.password, "short")
    assert editor.errors.message("password") == "Password: must be at least 10 characters long"
    qtbot.keyClicks(editor.password, "-but-longer")
    assert editor.errors.message("password") == ""
    qtbot.keyClicks(editor.confirm, "different-one")
    assert editor.errors.message("confirm") == (
        "Confirm password: the two passwords are not the same")
    qtbot.keyClicks(editor.display_name, "X")
    qtbot.keyClick(editor.display_name, Qt.Key.Key_Backspace)
    assert editor.errors.message("display_name") != ""
    # Typing on elsewhere keeps the focus there, though an earlier field shows a problem.
    editor.password.setFocus()
    qtbot.waitUntil(editor.password.hasFocus)
    qtbot.keyClick(editor.password, Qt.Key.Key_Backspace)
    assert editor.password.hasFocus() and editor.errors.message("display_name")

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.errors.message("username") and editor.errors.message("role")
    assert len(me.admin.staff_page(dto.StaffQuery()).rows) == 3


def test_editing_keeps_typed_values_on_a_conflict_and_reloads_on_request(qtbot, page, me, world):
    select(page, "ewan")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    editor = page.dialog
    assert editor.username.text() == "ewan" and editor.sssc_number.text() == "123456"
    assert editor.password is None  # passwords are reset on their own, not edited
    # Someone else saves first.
    me.admin.update_staff(world.worker.id, world.worker.row_version,
                          social_worker("ewan", "Ewan J Fraser", world.team.id, fte_percent=60))
    editor.display_name.clear()
    qtbot.keyClicks(editor.display_name, "Ewan Fraser-Smith")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert editor.isVisible()
    assert "Someone else changed this record" in editor.banner.text
    assert editor.display_name.text() == "Ewan Fraser-Smith"
    qtbot.mouseClick(editor.banner.action, Qt.MouseButton.LeftButton)
    assert editor.display_name.text() == "Ewan J Fraser" and editor.fte.value() == 60

    editor.display_name.clear()
    qtbot.keyClicks(editor.display_name, "Ewan Fraser-Smith")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert column_of(page.model, StaffColumn.NAME, "ewan") == "Ewan Fraser-Smith"
    assert column_of(page.model, StaffColumn.FTE, "ewan") == "60%"


def test_double_click_opens_the_editor(qtbot, page):
    row = 1
    rect = page.table.visualRect(page.model.index(row, 0))
    # A real double-click starts with a press; the view only acts on the row it saw pressed.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(page.dialog, StaffEditor)
    assert page.dialog.username.text() == page.model.record(row).username


def test_reset_password(qtbot, page, ws, world):
    select(page, "ewan")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.keyClicks(dialog.password, "temporary-pass-9")
    qtbot.keyClicks(dialog.confirm, "temporary-pass-0")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors.message("confirm")

    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "temporary-pass-9")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert column_of(page.model, StaffColumn.STATUS, "ewan") == "Active (temporary password)"
    assert "must change it" in page.banner.text
    with pytest.raises(AuthenticationFailed):
        ws.login("ewan", WORKER_PASSWORD)
    ws.login("ewan", "temporary-pass-9")


def test_deactivate_asks_first_and_reactivate_undoes_it(qtbot, page, me, ws, world, monkeypatch):
    asked = []
    answer = [False]

    def ask(cls, parent, staff, active):
        asked.append((staff.username, active))
        return answer[0]

    monkeypatch.setattr(ConfirmActive, "ask", classmethod(ask))
    select(page, "ewan")
    assert page.active_button.text() == "&Deactivate…"

    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert asked == [("ewan", False)]
    assert column_of(page.model, StaffColumn.STATUS, "ewan").startswith("Active")

    answer[0] = True
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert column_of(page.model, StaffColumn.STATUS, "ewan") == "Deactivated"
    assert page.active_button.text() == "Re&activate…"
    assert not page.reset_button.isEnabled()
    with pytest.raises(AuthenticationFailed):
        ws.login("ewan", WORKER_PASSWORD)

    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == ("ewan", True)
    assert column_of(page.model, StaffColumn.STATUS, "ewan").startswith("Active")
    ws.login("ewan", WORKER_PASSWORD)


def test_nobody_can_deactivate_themselves_from_the_page(page):
    select(page, "admin")
    assert not page.active_button.isEnabled()
    assert page.edit_button.isEnabled()


def test_filters_narrow_the_table(qtbot, page, me, world):
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.search, "ewa")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.record(0).username == "ewan"
    page.search.clear()
    page.apply_filter()
    page.role.setCurrentIndex(page.role.findData("service_manager"))
    assert [page.model.record(r).username for r in range(page.model.rowCount())] == ["morag"]
    page.role.setCurrentIndex(0)
    page.team.setCurrentIndex(page.team.findData(world.team.id))
    assert [page.model.record(r).username for r in range(page.model.rowCount())] == ["ewan"]

    page.team.setCurrentIndex(0)
    me.admin.set_active(world.worker.id, world.worker.row_version, False)
    page.refresh()
    assert page.model.row_of(world.worker.id) is None
    qtbot.mouseClick(page.show_inactive, Qt.MouseButton.LeftButton)
    assert page.model.row_of(world.worker.id) is not None


def test_a_refused_list_says_why(qtbot, ws, runner, world):
    """The window lists the page only for administrators; if the role changed since
    sign-in, the service refuses and the page says so instead of showing an empty table."""
    worker = ws.login("ewan", WORKER_PASSWORD)
    p = StaffPage(worker, runner)
    qtbot.addWidget(p)
    assert p.model.rowCount() == 0
    assert p.banner.text == "A social worker may not manage staff."
