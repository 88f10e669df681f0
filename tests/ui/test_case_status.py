"""Opening a referral, editing a case's details and closing it, through the dialogs the
case window opens: problems under their fields as you type, the band's target date and the
chronology's events said before saving, a conflict that keeps what was typed, and a
statutory closure refused for a lapsed registration — said plainly, nothing typed lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from accessibility import unnamed
from casework.models import AuditEvent, Case, CaseNote
from casework import dto
from casework.timeutil import show_date
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.case_status import CloseCaseDialog, EditCaseDialog, OpenCaseDialog
from ui_world import add_case, add_staff, lapse_registration, page_context, set_legal_status


def window_for(fx, runner, qtbot, username: str, case_name: str) -> CaseWindow:
    me = fx.login(username)
    ctx = page_context(fx, me, runner)
    window = CaseWindow(ctx, me.cases.summary(fx.cases[case_name]))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def opened(qtbot, window: CaseWindow, button, kind):
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(kind)
    assert dialog is not None and dialog.isVisible()
    assert unnamed(dialog) == []
    return dialog


def stored(fx, name: str) -> Case:
    with fx.ws.db.read() as s:
        return s.get(Case, fx.cases[name])


def notes(fx, name: str) -> list[str]:
    with fx.ws.db.read() as s:
        return list(s.scalars(select(CaseNote.subject).where(
            CaseNote.case_id == fx.cases[name]).order_by(CaseNote.occurred_at)))


@pytest.fixture
def confirm(questions):
    """Closing a case asks first; here the answer is yes."""
    questions.expect("Close this case?")
    return questions


# -- opening a referral -------------------------------------------------------------------

def test_a_worker_opens_a_referral_from_its_window(fx, runner, qtbot):
    add_case(fx, "North", None, "Rhona", "Referral", status="referral", band=None)
    window = window_for(fx, runner, qtbot, "sw.one", "Rhona Referral")
    assert not window.edit_button.isHidden()
    dialog = opened(qtbot, window, window.open_button, OpenCaseDialog)
    assert dialog.heading.text().startswith("Rhona Referral — CW-")
    assert dialog.band.currentData() is None
    assert dialog.target.text() == ("Critical and substantial needs have a target: six weeks "
                                    "to personal care.")
    # Saving without a band: the problem under it, and nothing opened.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("eligibility_band") == ("Eligibility band: choose the "
                                                         "eligibility band")
    assert stored(fx, "Rhona Referral").status == "referral"
    dialog.band.setCurrentIndex(dialog.band.findData("substantial"))
    assert dialog.errors.message("eligibility_band") == ""
    today = fx.login("sw.one").today()
    target = show_date(today + timedelta(days=42))
    assert dialog.target.text() == (f"Substantial need: target for personal care {target} "
                                    f"(six weeks from opening).")
    dialog.band.setCurrentIndex(dialog.band.findData("moderate"))
    assert dialog.target.text() == "No target date for a moderate need."
    dialog.band.setCurrentIndex(dialog.band.findData("critical"))
    dialog.risk.setCurrentIndex(dialog.risk.findData("high"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    c = stored(fx, "Rhona Referral")
    assert (c.status, c.eligibility_band, c.risk_level, c.opened_on) == (
        "open", "critical", "high", today)
    assert c.band_target_on == today + timedelta(days=42)
    assert notes(fx, "Rhona Referral") == ["Case opened"]
    # The window read the case again: it is open, and shows its target.
    qtbot.waitUntil(lambda: window.open_button.isHidden(), timeout=2000)
    assert window.summary_tab.value("Status") == "Open"
    assert window.summary_tab.value("Eligibility band") == f"Critical — target {target}"


# -- editing the details ------------------------------------------------------------------

def test_editing_says_what_goes_on_the_chronology_before_saving(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    assert dialog.risk.currentData() == "medium"
    assert dialog.summary_edit.toPlainText() == "Support at home after a fall."
    assert dialog.changes.text() == ("A new risk level or legal status goes on the chronology "
                                     "as a significant event.")
    dialog.risk.setCurrentIndex(dialog.risk.findData("high"))
    dialog.legal.setCurrentIndex(dialog.legal.findData("guardianship_order"))
    assert dialog.changes.text() == (
        "Saving records on the chronology: Risk level raised from medium to high; Legal "
        "status changed from Voluntary to Guardianship order (AWI).")
    dialog.summary_edit.setPlainText("Falls at night; daughter visits daily.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    c = stored(fx, "Alasdair Grant")
    assert (c.risk_level, c.legal_status, c.summary) == (
        "high", "guardianship_order", "Falls at night; daughter visits daily.")
    assert sorted(notes(fx, "Alasdair Grant")) == [
        "Legal status changed from Voluntary to Guardianship order (AWI)",
        "Risk level raised from medium to high"]
    qtbot.waitUntil(lambda: window.summary_tab.value("Risk") == "High", timeout=2000)


def test_an_overlong_summary_is_said_as_you_type(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    dialog.summary_edit.setPlainText("x" * 20_001)
    assert dialog.errors.message("summary") == "Summary: must be at most 20,000 characters"
    dialog.save()
    assert dialog.isVisible() and stored(fx, "Alasdair Grant").summary == (
        "Support at home after a fall.")


def test_a_conflict_keeps_the_changes_and_reloads_the_rest(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    dialog.risk.setCurrentIndex(dialog.risk.findData("low"))
    # Someone else changes the summary meanwhile.
    other = fx.login("tl.north")
    s = other.cases.summary(fx.cases["Alasdair Grant"])
    other.cases.update_details(s.case.id, dto.CaseDetailsInput(
        "medium", s.case.eligibility_band, "voluntary", "Son moved in."), s.row_version)
    dialog.save()
    assert dialog.banner.text.startswith("Someone else changed this case")
    assert dialog.risk.currentData() == "low"
    qtbot.mouseClick(dialog.banner.action, Qt.MouseButton.LeftButton)  # Reload
    assert dialog.summary_edit.toPlainText() == "Son moved in."  # theirs, untouched here
    assert dialog.risk.currentData() == "low"  # mine, kept
    dialog.save()
    c = stored(fx, "Alasdair Grant")
    assert (c.risk_level, c.summary) == ("low", "Son moved in.")


# -- closing ------------------------------------------------------------------------------

def test_a_blank_closing_summary_is_refused_under_the_field(fx, runner, qtbot, confirm):
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.close_case_button, CloseCaseDialog)
    assert dialog.reserved_notice.isHidden()  # a voluntary case: nothing reserved
    qtbot.keyClicks(dialog.closing, "a")
    qtbot.keyClick(dialog.closing, Qt.Key.Key_Backspace)
    message = ("Closing summary: say why the case is closing, what was achieved and how to "
               "seek help again")
    assert dialog.errors.message("closing_summary") == message
    dialog.closing.setPlainText("   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("closing_summary") == message
    assert confirm.titles == [] and stored(fx, "Alasdair Grant").status == "open"

    dialog.closing.setPlainText("Managing at home with his daughter; knows how to call us.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert confirm.titles == ["Close this case?"]
    c = stored(fx, "Alasdair Grant")
    assert (c.status, c.closed_by) == ("closed", fx.staff["sw.one"])
    assert c.closing_summary == "Managing at home with his daughter; knows how to call us."
    qtbot.waitUntil(lambda: window.close_case_button.isHidden(), timeout=2000)
    assert window.edit_button.isHidden() and window.allocate_button.isHidden()


def test_declining_to_confirm_closes_nothing(fx, runner, qtbot, questions):
    questions.expect("Close this case?", False)
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.close_case_button, CloseCaseDialog)
    dialog.closing.setPlainText("Done.")
    dialog.save()
    assert questions.titles == ["Close this case?"]
    assert dialog.isVisible() and stored(fx, "Alasdair Grant").status == "open"
    questions.expect("Close the case file?")  # the summary typed is left unsaved


def test_a_statutory_closure_refused_for_a_lapsed_registration(fx, runner, qtbot, confirm):
    """The registration lapses after the dialog said they qualify: the service refuses,
    the banner says why, and the closing summary stays as typed."""
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North")
    add_case(fx, "North", "sw.three", "Mairi", "Order")
    set_legal_status(fx, "Mairi Order", "compulsory_supervision_order")
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.close_case_button, CloseCaseDialog)
    assert dialog.reserved_notice.text == (
        "This case is under a compulsory supervision order: closing it is reserved to a "
        "registered social worker. You qualify.")
    typed = "Order terminated at the hearing; family supported by the school."
    qtbot.keyClicks(dialog.closing, typed)
    lapse_registration(fx, "sw.three", days_ago=2)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.banner.text.startswith(
        "Closure of a case under a statutory order is reserved to a registered social "
        "worker; Lorna Gray's SSSC registration lapsed on ")
    assert dialog.closing.toPlainText() == typed
    assert not dialog.save_button.isEnabled()
    assert stored(fx, "Mairi Order").status == "open"
    with fx.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")).one()
    assert (ev.action, ev.reason, ev.entity_id) == ("close_case", "registration_lapsed",
                                                    fx.cases["Mairi Order"])
    confirm.expect("Close the case file?")  # the summary typed is left unsaved


def test_a_lapsed_worker_is_told_before_typing_anything(fx, runner, qtbot):
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North",
              registration_lapsed_days=30)
    add_case(fx, "North", "sw.three", "Mairi", "Order")
    set_legal_status(fx, "Mairi Order", "compulsory_supervision_order")
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.close_case_button, CloseCaseDialog)
    assert dialog.reserved_notice.text.startswith(
        "This case is under a compulsory supervision order: you may not close it. Closure of "
        "a case under a statutory order is reserved to a registered social worker; Lorna "
        "Gray's SSSC registration lapsed on ")
    assert not dialog.save_button.isEnabled()
    assert "lapsed" in dialog.save_button.toolTip()


def test_a_team_leader_closes_a_case_under_an_order(fx, runner, qtbot, confirm):
    set_legal_status(fx, "Iain Munro", "compulsory_supervision_order")
    window = window_for(fx, runner, qtbot, "tl.north", "Iain Munro")
    dialog = opened(qtbot, window, window.close_case_button, CloseCaseDialog)
    assert dialog.reserved_notice.text.endswith("You qualify.")
    dialog.closing.setPlainText("Order discharged.")
    dialog.save()
    c = stored(fx, "Iain Munro")
    assert (c.status, c.closed_by) == ("closed", fx.staff["tl.north"])
