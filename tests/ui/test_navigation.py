"""The main window lists the pages a person's role allows, and says who and where they are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from casework.secrets import MemoryStore
from casework.services import create_workspace
from casework.ui.main_window import MainWindow


CASELOADS = {"My caseload", "Team caseload", "Unallocated"}


def window_for(fx, runner, qtbot, username: str) -> MainWindow:
    window = MainWindow(fx.ws, fx.login(username), runner)
    qtbot.addWidget(window)
    return window


def test_a_social_worker_sees_their_caseload_drafts_and_account(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one")
    assert window.page_titles == ["My caseload", "Drafts for me", "My account"]
    assert window.heading.text() == "My caseload"
    qtbot.waitUntil(lambda: window.is_ready, timeout=2000)
    assert window.first_page.model.rowCount() == 3  # sw.one's live cases


def test_a_team_leader_also_sees_the_team_caseload_and_the_queue(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "tl.north")
    assert window.page_titles == ["My caseload", "Team caseload", "Unallocated",
                                  "Drafts for me", "My account"]


def test_a_para_professional_sees_the_drafts_asked_of_them_and_their_account(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "pp.one")
    assert window.page_titles == ["Drafts for me", "My account"]
    assert not CASELOADS & set(window.page_titles)


def test_an_administrator_sees_administration_and_no_caseload(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "admin")
    assert window.page_titles == ["Staff", "Teams", "Reserved functions", "Audit trail",
                                  "Backups", "My account"]
    assert not CASELOADS & set(window.page_titles)
    for spec in window.specs:  # every listed page builds and shows, none is a placeholder
        page = window.show_page(spec.key)
        assert page.isVisibleTo(window) or not window.isVisible()
        assert page.findChildren(QWidget)


def test_the_title_and_status_bar_say_who_and_where(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "tl.north")
    assert window.windowTitle() == "Casework — Highland test workspace — Morven MacLeod"
    assert window.identity_label.text() == "Signed in as Morven MacLeod — Team leader, North"


def test_pages_are_reached_from_the_keyboard(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "tl.north")
    window.show()
    qtbot.waitExposed(window)
    window.go_actions[2].trigger()  # Ctrl+3
    assert window.heading.text() == "Unallocated"
    assert [a.shortcut().toString() for a in window.go_actions] == [
        "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5"]
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.heading.text() == "Drafts for me"


def test_a_demo_workspace_says_so_in_the_title(tmp_path, runner, qtbot):
    ws = create_workspace(tmp_path / "demo.db", name="Demo council", admin_username="admin",
                          admin_password="demo-password-1", demo=True, credentials=MemoryStore())
    try:
        window = MainWindow(ws, ws.login("admin", "demo-password-1"), runner)
        qtbot.addWidget(window)
        assert window.windowTitle() == (
            "Casework — Demo council — Administrator — DEMO — fictional data")
    finally:
        ws.close()


def test_administrator_pages_keep_up_with_each_other(fx, runner, qtbot):
    """A member of staff added on one page shows in the Teams page's count without F5."""
    from casework import dto

    window = window_for(fx, runner, qtbot, "admin")
    window.show()
    teams = window.show_page("teams")
    north = teams.model.row_of(fx.teams["North"])
    staff_column = next(i for i, h in enumerate(teams.model.headers()) if h == "Staff")
    before = teams.model.data(teams.model.index(north, staff_column))
    window.show_page("staff")  # Teams is now hidden: it reloads when shown again
    window.me.admin.create_staff(dto.StaffInput(
        username="pp.new", display_name="New Para", role="para_professional",
        team_id=fx.teams["North"]), "a-long-password-1")
    window.show_page("teams")
    qtbot.waitUntil(lambda: teams.model.data(teams.model.index(
        teams.model.row_of(fx.teams["North"]), staff_column)) == str(int(before) + 1),
        timeout=2000)
    audit = window.show_page("audit")
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=2000)
    newest = audit.model.record(0)
    assert newest.action == "create_staff"
