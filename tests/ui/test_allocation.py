"""Allocating through the real dialog: from the Unallocated page, the team leader picks a
worker, sees what the case would make their weighted caseload before confirming, gives a
reason, and the case leaves the queue. Over capacity is said in words and asked about; a
refusal or a conflict keeps the choice and the reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from accessibility import unnamed
from casework.models import Allocation, AuditEvent, Case
from casework import dto
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.allocation import AllocationDialog
from casework.ui.item_models.workload_table import WorkloadColumn, WorkloadTableModel
from casework.ui.pages.caseload import CaseloadPage
from ui_world import page_context, set_hours


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


def click_case(qtbot, page: CaseloadPage, name: str) -> None:
    row = shown_names(page).index(name)
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_worker(qtbot, dialog: AllocationDialog, name: str) -> None:
    row = next(r for r in range(dialog.model.rowCount())
               if dialog.model.index(r, WorkloadColumn.WORKER).data() == name)
    rect = dialog.table.visualRect(dialog.model.index(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def open_dialog(qtbot, page: CaseloadPage, name: str) -> AllocationDialog:
    click_case(qtbot, page, name)
    assert page.allocate_button.isEnabled()
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, AllocationDialog)
    qtbot.waitExposed(dialog)
    return dialog


def stored(fx, name: str) -> Case:
    with fx.ws.db.read() as s:
        return s.get(Case, fx.cases[name])


def test_a_team_leader_allocates_from_the_unallocated_page(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    assert page.allocate_button.isVisible() and not page.allocate_button.isEnabled()
    assert page.allocate_button.text() == "&Allocate…"
    dialog = open_dialog(qtbot, page, "Ewan Stewart")
    assert dialog.heading.text() == "Ewan Stewart — CW-000008"
    assert dialog.current.text().startswith("Unallocated: in North's queue since ")
    assert dialog.weight.text() == "This case counts as 1 (medium risk, voluntary)."
    # The team's case holders, with their weighted caseloads (the para-professional holds
    # none): Ruaridh 1.5 + 1 + 0.75 (Fiona's case is closed), Agata 0.75 + 1.5, Morven 1.
    rows = {dialog.model.record(r).display_name: [
        dialog.model.index(r, c).data() for c in WorkloadColumn]
        for r in range(dialog.model.rowCount())}
    assert rows == {
        "Agata Nowak": ["Agata Nowak", "Social worker", "100%", "2", "2.25", "20",
                        "Within capacity (11%)"],
        "Morven MacLeod": ["Morven MacLeod", "Team leader", "100%", "1", "1", "20",
                           "Within capacity (5%)"],
        "Ruaridh Campbell": ["Ruaridh Campbell", "Social worker", "100%", "3", "3.25", "20",
                             "Within capacity (16%)"],
    }
    assert dialog.preview_label.text() == ("Choose a worker to see what this case would make "
                                           "their caseload.")

    click_worker(qtbot, dialog, "Ruaridh Campbell")
    # Before confirming: the load now and what this case would make it.
    assert dialog.preview_label.text() == (
        "Ruaridh Campbell now carries 3.25 of a capacity of 20. With this case: 4.25 of 20 — "
        "within capacity (21%).")
    assert not dialog.preview_label.font().bold()
    qtbot.keyClicks(dialog.reason, "Knows the family from before")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == AllocationDialog.DialogCode.Accepted
    c = stored(fx, "Ewan Stewart")
    assert c.named_worker_id == fx.staff["sw.one"] and c.unallocated_since is None
    with fx.ws.db.read() as s:
        latest = s.scalars(select(Allocation).where(Allocation.case_id == c.id)
                           .order_by(Allocation.started_at.desc())).first()
    assert (latest.worker_id, latest.reason, latest.allocated_by) == (
        fx.staff["sw.one"], "Knows the family from before", fx.staff["tl.north"])
    # The list heard the allocation and reloaded: the case has left the queue.
    qtbot.waitUntil(lambda: shown_names(page) == ["Shona McKay"], timeout=2000)
    assert page.count_label.text() == "1 case"


def test_over_capacity_is_said_in_words_and_asked_about(fx, runner, qtbot, questions):
    set_hours(fx, "sw.one", 20)  # a fifth of 20: a capacity of 4
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    dialog = open_dialog(qtbot, page, "Ewan Stewart")
    click_worker(qtbot, dialog, "Ruaridh Campbell")
    assert dialog.preview_label.text() == (
        "Over capacity: Ruaridh Campbell now carries 3.25 of a capacity of 4. With this case: "
        "4.25 of 4 — over capacity by 0.25.")
    assert dialog.preview_label.font().bold()
    assert dialog.preview.over_capacity_after and dialog.preview.load_after == 4.25

    questions.expect("Allocate beyond capacity?", False)
    dialog.reason.setPlainText("Continuity")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [q.text for q in questions.asked] == [
        "Ruaridh Campbell would carry 4.25 against a capacity of 4."]
    assert dialog.isVisible() and stored(fx, "Ewan Stewart").named_worker_id is None
    questions.expect("Allocate beyond capacity?", True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert stored(fx, "Ewan Stewart").named_worker_id == fx.staff["sw.one"]
    with fx.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "allocate_case")).one()
    assert '"over_capacity": true' in ev.detail


def test_choosing_someone_within_capacity_asks_nothing(fx, runner, qtbot, questions):
    # No question is expected: one asked fails the test (tests/ui/conftest.py).
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    dialog = open_dialog(qtbot, page, "Shona McKay")
    assert dialog.weight.text() == "This case counts as 1.5 (high risk, voluntary)."
    click_worker(qtbot, dialog, "Agata Nowak")
    assert "With this case: 3.75 of 20" in dialog.preview_label.text()
    dialog.reason.setPlainText("Has room")
    dialog.save()
    assert stored(fx, "Shona McKay").named_worker_id == fx.staff["sw.two"]
    assert questions.asked == questions.unexpected == []


def test_problems_show_under_their_fields_as_you_type(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    dialog = open_dialog(qtbot, page, "Morag Henderson")
    assert dialog.current.text() == ("Named worker now: Ruaridh Campbell. Choosing someone "
                                      "else reallocates the case.")
    assert dialog.errors.message("reason") == ""  # nothing touched yet
    qtbot.keyClicks(dialog.reason, "x")
    assert dialog.errors.message("reason") == ""
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Backspace)
    assert dialog.errors.message("reason") == "Reason: say why the named worker changes"
    click_worker(qtbot, dialog, "Ruaridh Campbell (named worker now)")
    assert dialog.errors.message("worker_id") == ("Worker: Ruaridh Campbell is already the "
                                                  "named worker")
    assert dialog.preview_label.text().startswith("Ruaridh Campbell holds this case already")
    dialog.save()
    assert dialog.isVisible() and stored(fx, "Morag Henderson").named_worker_id == fx.staff[
        "sw.one"]
    click_worker(qtbot, dialog, "Agata Nowak")
    assert dialog.errors.message("worker_id") == ""


def test_a_conflict_keeps_the_choice_and_the_reason(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    dialog = open_dialog(qtbot, page, "Ewan Stewart")
    click_worker(qtbot, dialog, "Agata Nowak")
    dialog.reason.setPlainText("Agata covers that village")
    # Someone else allocates it meanwhile.
    other = fx.login("sm.both")
    version = other.cases.allocation_options(fx.cases["Ewan Stewart"]).row_version
    other.cases.allocate(fx.cases["Ewan Stewart"], fx.staff["tl.north"], "Duty", version)
    dialog.save()
    assert dialog.isVisible()
    assert dialog.banner.text.startswith("Someone else changed this case")
    assert dialog.reason.toPlainText() == "Agata covers that village"
    assert dialog.selected_worker().display_name == "Agata Nowak"
    qtbot.mouseClick(dialog.banner.action, Qt.MouseButton.LeftButton)  # Reload
    assert dialog.current.text().startswith("Named worker now: Morven MacLeod")
    assert dialog.selected_worker().display_name == "Agata Nowak"
    assert dialog.reason.toPlainText() == "Agata covers that village"
    dialog.save()
    assert stored(fx, "Ewan Stewart").named_worker_id == fx.staff["sw.two"]


def test_a_case_goes_back_to_the_queue_with_a_reason(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    dialog = open_dialog(qtbot, page, "Iain Munro")
    assert dialog.queue_button.isVisible()
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("reason") == "Reason: say why the named worker changes"
    assert dialog.errors.message("worker_id") == ""
    qtbot.keyClicks(dialog.reason, "Agata starts maternity leave")
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    c = stored(fx, "Iain Munro")
    assert c.named_worker_id is None and c.unallocated_since is not None
    queue = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    assert "Iain Munro" in shown_names(queue)
    # A case in the queue has no one to take it from.
    assert not open_dialog(qtbot, queue, "Iain Munro").queue_button.isVisible()


def test_a_refusal_shows_in_the_banner_and_keeps_what_was_typed(fx, runner, qtbot):
    page = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.UNALLOCATED)
    dialog = open_dialog(qtbot, page, "Ewan Stewart")
    click_worker(qtbot, dialog, "Agata Nowak")
    dialog.reason.setPlainText("Has room")
    admin = fx.login("admin")
    me = admin.admin.get_staff(fx.staff["tl.north"])
    admin.admin.set_active(me.id, me.row_version, False)  # deactivated since sign-in
    dialog.save()
    assert dialog.banner.text == "This account is deactivated."
    assert dialog.reason.toPlainText() == "Has room" and dialog.save_button.isEnabled()
    assert stored(fx, "Ewan Stewart").named_worker_id is None


def test_who_sees_the_allocate_button(fx, runner, qtbot):
    sm = make_page(fx, runner, qtbot, "sm.both", dto.CaseScope.TEAM)
    assert sm.allocate_button.isVisible()
    mine = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.MINE)
    assert not mine.allocate_button.isVisible()
    # A closed case is listed when asked for, but is not allocated.
    team = make_page(fx, runner, qtbot, "tl.north", dto.CaseScope.TEAM)
    team.status_filter.setCurrentText("Closed")
    click_case(qtbot, team, "Fiona Baxter")
    assert team.open_button.isEnabled() and not team.allocate_button.isEnabled()
    assert team.allocate_button.toolTip() == "A closed case is not allocated."


def test_the_case_window_opens_the_same_dialog(fx, runner, qtbot):
    me = fx.login("tl.north")
    ctx = page_context(fx, me, runner)
    window = CaseWindow(ctx, me.cases.summary(fx.cases["Shona McKay"]))
    qtbot.addWidget(window)
    window.show()
    assert window.allocate_button.isVisible()
    qtbot.mouseClick(window.allocate_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AllocationDialog)
    assert dialog is not None and dialog.isVisible()
    assert unnamed(dialog) == []
    click_worker(qtbot, dialog, "Morven MacLeod")
    dialog.reason.setPlainText("Team leader holds it for now")
    dialog.save()
    # The window heard the change and read the case again.
    qtbot.waitUntil(lambda: "Named worker: Morven MacLeod" in window.subheading.text(),
                    timeout=2000)
    assert window.summary_tab.allocations_table.rowCount() == 2


def test_the_workload_model_passes_the_model_tester(fx, qtmodeltester):
    me = fx.login("tl.north")
    options = me.cases.allocation_options(fx.cases["Ewan Stewart"])
    model = WorkloadTableModel()
    model.set_named_worker(fx.staff["sw.two"])
    model.set_rows(options.workers)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == len(WorkloadColumn)
    row = model.row_of(fx.staff["sw.two"])
    assert model.index(row, WorkloadColumn.WORKER).data() == "Agata Nowak (named worker now)"
    assert model.index(row, 0).data(WorkloadTableModel.IdRole) == fx.staff["sw.two"]
    # Set again with the same workers: the cells refresh and the rows stay.
    model.set_rows(options.workers)
    qtmodeltester.check(model)
    QApplication.processEvents()


@pytest.mark.parametrize("username, reason, shown", [
    ("sw.one", None, {"edit", "close"}),  # the named worker
    ("sw.two", None, {"edit"}),  # a colleague records, but does not close or allocate
    ("tl.north", None, {"edit", "allocate", "close"}),
    ("tl.south", "Covering the duty desk", set()),  # reads with a reason, changes nothing
])
def test_the_case_window_offers_what_the_service_says_its_reader_may_do(
        fx, runner, qtbot, username, reason, shown):
    me = fx.login(username)
    ctx = page_context(fx, me, runner)
    window = CaseWindow(ctx, me.cases.summary(fx.cases["Alasdair Grant"], reason=reason))
    qtbot.addWidget(window)
    window.show()
    buttons = {"open": window.open_button, "edit": window.edit_button,
               "allocate": window.allocate_button, "close": window.close_case_button}
    assert {key for key, b in buttons.items() if b.isVisible()} == shown
