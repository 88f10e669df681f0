"""The caseload page: filters and sorting go to the service; a case opens from the list."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from casework import dto
from casework.ui.dialogs.access_reason import AccessReasonDialog
from casework.ui.case_window.window import CaseWindow
from casework.ui.pages.caseload import CaseloadPage
from ui_world import move_case, page_context



def make_page(fx, runner, qtbot, username: str, scope: dto.CaseScope) -> CaseloadPage:
    me = fx.login(username)
    page = CaseloadPage(page_context(fx, me, runner), scope)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown_names(page: CaseloadPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def summaries() -> list[CaseWindow]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, CaseWindow) and w.isVisible()]


def click_row(qtbot, page: CaseloadPage, name: str, *, double: bool) -> None:
    row = shown_names(page).index(name)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:  # QTest sends the double-click alone; a real one follows a press
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_typing_in_the_search_box_narrows_the_list(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    assert len(shown_names(page)) == 8 and page.count_label.text() == "8 cases"
    qtbot.keyClicks(page.search, "mor")
    qtbot.waitUntil(lambda: page.model.query.text == "mor", timeout=2000)  # after the pause
    assert shown_names(page) == ["Morag Henderson"]
    assert page.count_label.text() == "1 case"

    page.search.clear()
    qtbot.waitUntil(lambda: page.model.query.text == "", timeout=2000)
    page.risk_filter.setCurrentText("High")
    assert set(shown_names(page)) == {"Morag Henderson", "Catriona Fraser", "Shona McKay"}
    page.status_filter.setCurrentText("Closed")
    assert shown_names(page) == [] and page.count_label.text() == "No cases match these filters"


def test_clicking_a_column_header_asks_the_service_to_sort(fx, runner, qtbot, monkeypatch):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    asked: list[dto.CaseQuery] = []
    real_page = page.model._cases.page
    monkeypatch.setattr(page.model._cases, "page",
                        lambda query, offset=0, limit=100: asked.append(query) or
                        real_page(query, offset, limit))
    header = page.table.horizontalHeader()
    column = page.model.column_of(dto.CaseSort.PERSON)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    assert [(q.sort, q.descending) for q in asked] == [(dto.CaseSort.PERSON, False)]
    names = shown_names(page)
    surnames = [n.split()[-1] for n in names]
    assert surnames == sorted(surnames, key=str.lower)


def test_double_click_opens_the_case_window(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "sw.one", dto.CaseScope.MINE)
    click_row(qtbot, page, "Morag Henderson", double=True)
    qtbot.waitUntil(lambda: len(summaries()) == 1, timeout=2000)
    dialog = summaries()[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("Morag Henderson — CW-")
    assert dialog.summary_tab.value("CHI number") == "140350 1234"
    assert dialog.summary_tab.value("Named worker") == "Ruaridh Campbell"
    assert dialog.summary_tab.value("Next review").endswith("overdue")
    assert dialog.summary_tab.allocations_table.rowCount() == 1
    assert dialog.summary_tab.notes_title == "Notes (none yet)"


def test_enter_opens_the_selected_case(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    click_row(qtbot, page, "Shona McKay", double=False)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(summaries()) == 1, timeout=2000)
    dialog = summaries()[0]
    qtbot.addWidget(dialog)
    assert dialog.summary_tab.value("Named worker").startswith("Unallocated — waiting 3 days")


def test_a_case_now_in_another_team_asks_for_a_reason(fx, runner, qtbot, monkeypatch):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    move_case(fx, fx.cases["Iain Munro"], "South")  # transferred since the list was read
    asked: list[str] = []
    monkeypatch.setattr(AccessReasonDialog, "ask",
                        classmethod(lambda cls, parent, message: asked.append(message)
                                    or "Covering the duty desk"))
    click_row(qtbot, page, "Iain Munro", double=True)
    qtbot.waitUntil(lambda: len(summaries()) == 1, timeout=2000)
    qtbot.addWidget(summaries()[0])
    assert asked == ["This case belongs to another team: state why you need to open it."]
    assert summaries()[0].summary_tab.value("Team") == "South"


def test_declining_to_give_a_reason_opens_nothing(fx, runner, qtbot, monkeypatch):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    move_case(fx, fx.cases["Iain Munro"], "South")
    monkeypatch.setattr(AccessReasonDialog, "ask", classmethod(lambda cls, parent, message: None))
    click_row(qtbot, page, "Iain Munro", double=True)
    assert summaries() == [] and page.banner.isHidden()


def test_other_refusals_show_the_services_message(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "sw.one", dto.CaseScope.MINE)
    admin = fx.login("admin")
    sw = admin.admin.get_staff(fx.staff["sw.one"])
    admin.admin.set_active(sw.id, sw.row_version, False)
    click_row(qtbot, page, "Alasdair Grant", double=True)
    assert summaries() == []
    assert page.banner.text == "This account is deactivated."


def test_a_change_published_by_a_service_refreshes_the_list(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    admin = fx.login("admin")
    sw = admin.admin.get_staff(fx.staff["sw.two"])
    admin.admin.update_staff(sw.id, sw.row_version, dto.StaffInput(
        sw.username, "Agata Nowak-Smith", sw.role, team_id=sw.team_id, sssc_number=sw.sssc_number,
        sssc_part=sw.sssc_part, sssc_expiry=sw.sssc_expiry, qualified_on=sw.qualified_on))
    worker = page.model.column_of(dto.CaseSort.NAMED_WORKER)
    qtbot.waitUntil(lambda: any(
        page.model.index(r, worker).data() == "Agata Nowak-Smith"
        for r in range(page.model.rowCount())), timeout=2000)


def test_a_manager_of_several_teams_can_narrow_to_one(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "sm.both", dto.CaseScope.UNALLOCATED)
    assert not page.team_filter.isHidden()
    assert [page.team_filter.itemText(i) for i in range(page.team_filter.count())] == [
        "All my teams", "North", "South"]
    assert set(shown_names(page)) == {"Ewan Stewart", "Shona McKay", "Callum Reid"}
    page.team_filter.setCurrentText("South")
    assert shown_names(page) == ["Callum Reid"]


def test_a_leader_of_one_team_gets_no_team_choice(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    assert page.team_filter.isHidden()
