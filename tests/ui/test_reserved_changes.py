"""Reserved changes said before the person tries: ending or replacing a statutory order on
the record and lowering a high risk, in the dialogs that edit a case and open a referral.
A worker who may not is told why before choosing, the change is named under its field and
nothing is asked of the service; one who may is told so; a registration that lapses while
the dialog is open is refused by the service, said in words, audited, and nothing typed is
lost."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from casework import dto
from casework.models import Assessment, AuditEvent
from casework.ui.dialogs import assessment_editor
from casework.ui.dialogs.assessment_editor import AssessmentEditor
from casework.ui.dialogs.case_status import EditCaseDialog, OpenCaseDialog
from test_case_status import opened, stored, window_for
from ui_world import add_case, add_staff, lapse_registration, set_legal_status

LAPSED = "Lorna Gray's SSSC registration lapsed on "


def refused(fx) -> list[tuple[str, str]]:
    with fx.ws.db.read() as s:
        return [(e.action, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused"))]


def lapsed_worker_case(fx, legal: str = "compulsory_treatment_order", risk: str = "medium",
                       status: str = "open") -> None:
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North",
              registration_lapsed_days=30)
    add_case(fx, "North", "sw.three", "Mairi", "Order", risk=risk, status=status,
             band=None if status == "referral" else "moderate")
    set_legal_status(fx, "Mairi Order", legal)


def test_a_lapsed_worker_is_told_before_ending_an_order(fx, runner, qtbot):
    lapsed_worker_case(fx)
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    qtbot.waitUntil(lambda: dialog.reserved_changes.isVisible(), timeout=2000)
    assert dialog.reserved_changes.text.startswith(
        "On this case, ending or replacing the compulsory treatment order on the record is "
        "reserved to a registered social worker. You may not: Ending or replacing a "
        "statutory order on a case's record is reserved to a registered social worker; "
        + LAPSED)
    dialog.legal.setCurrentIndex(dialog.legal.findData("voluntary"))
    assert dialog.errors.message("legal_status") == (
        "Legal status: you may not end or replace the order on the record (see above)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert stored(fx, "Mairi Order").legal_status == "compulsory_treatment_order"
    # Put back, the rest of the details save as usual.
    dialog.legal.setCurrentIndex(dialog.legal.findData("compulsory_treatment_order"))
    assert dialog.errors.message("legal_status") == ""
    dialog.summary_edit.setPlainText("Weekly visits under the order.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert stored(fx, "Mairi Order").summary == "Weekly visits under the order."


def test_a_lapsed_worker_is_told_before_lowering_a_high_risk(fx, runner, qtbot):
    lapsed_worker_case(fx, legal="voluntary", risk="high")
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    qtbot.waitUntil(lambda: dialog.reserved_changes.isVisible(), timeout=2000)
    assert dialog.reserved_changes.text.startswith(
        "On this case, lowering its high risk is reserved to a registered social worker. "
        "You may not: Lowering a risk assessed as high")
    dialog.risk.setCurrentIndex(dialog.risk.findData("medium"))
    assert dialog.errors.message("risk_level") == (
        "Risk level: you may not lower a high risk (see above)")
    dialog.save()
    assert dialog.isVisible() and stored(fx, "Mairi Order").risk_level == "high"


def test_a_registered_worker_is_told_they_qualify_and_ends_the_order(fx, runner, qtbot):
    add_case(fx, "North", "sw.one", "Mairi", "Order", risk="high")
    set_legal_status(fx, "Mairi Order", "compulsory_treatment_order")
    window = window_for(fx, runner, qtbot, "sw.one", "Mairi Order")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    qtbot.waitUntil(lambda: dialog.reserved_changes.isVisible(), timeout=2000)
    assert dialog.reserved_changes.text == (
        "On this case, ending or replacing the compulsory treatment order on the record and "
        "lowering its high risk are reserved to a registered social worker. You qualify.")
    dialog.legal.setCurrentIndex(dialog.legal.findData("voluntary"))
    dialog.risk.setCurrentIndex(dialog.risk.findData("medium"))
    assert dialog.errors.message("legal_status") == dialog.errors.message("risk_level") == ""
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    c = stored(fx, "Mairi Order")
    assert (c.legal_status, c.risk_level) == ("voluntary", "medium")


def test_a_voluntary_case_at_medium_risk_says_nothing_reserved(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    assert dialog.reserved_changes.isHidden() and dialog.standings is None


def test_a_registration_that_lapses_meanwhile_is_refused_in_words(fx, runner, qtbot):
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North")
    add_case(fx, "North", "sw.three", "Mairi", "Order")
    set_legal_status(fx, "Mairi Order", "compulsory_treatment_order")
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.edit_button, EditCaseDialog)
    qtbot.waitUntil(lambda: dialog.reserved_changes.text.endswith("You qualify."),
                    timeout=2000)
    dialog.legal.setCurrentIndex(dialog.legal.findData("voluntary"))
    dialog.summary_edit.setPlainText("Order revoked by the tribunal.")
    lapse_registration(fx, "sw.three", days_ago=2)
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.banner.text), timeout=2000)
    assert dialog.banner.text.startswith(
        "Ending or replacing a statutory order on a case's record is reserved to a "
        "registered social worker; " + LAPSED)
    assert dialog.isVisible() and dialog.legal.currentData() == "voluntary"
    assert dialog.summary_edit.toPlainText() == "Order revoked by the tribunal."
    assert stored(fx, "Mairi Order").legal_status == "compulsory_treatment_order"
    assert refused(fx) == [("update_case_details", "registration_lapsed")]


def test_opening_a_referral_lower_than_referred_is_said_first(fx, runner, qtbot):
    lapsed_worker_case(fx, legal="voluntary", risk="high", status="referral")
    window = window_for(fx, runner, qtbot, "sw.three", "Mairi Order")
    dialog = opened(qtbot, window, window.open_button, OpenCaseDialog)
    qtbot.waitUntil(lambda: dialog.reserved_changes.isVisible(), timeout=2000)
    dialog.band.setCurrentIndex(dialog.band.findData("moderate"))
    dialog.risk.setCurrentIndex(dialog.risk.findData("low"))
    assert dialog.errors.message("risk_level") == (
        "Risk level: you may not lower a high risk (see above)")
    dialog.save()
    assert dialog.isVisible() and stored(fx, "Mairi Order").status == "referral"
    dialog.risk.setCurrentIndex(dialog.risk.findData("high"))
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert stored(fx, "Mairi Order").status == "open"


# -- the assessment editor: lowering a draft assessed as high -------------------------------

def high_draft(fx, drafter: str | None = None) -> str:
    sw = fx.login("sw.one")
    a = sw.assessments.start(fx.cases["Alasdair Grant"], "outcomes_focused",
                             drafter_id=fx.staff[drafter] if drafter else None)
    a = sw.assessments.update_draft(a.id, dto.AssessmentInput(
        risk_level="high", needs="Meals.", outcomes_wanted="Stay at home."), a.row_version)
    sw.assessments.add_contribution(a.id, dto.ContributionInput(
        "person", "I want to stay at home.", date.today()))
    return a.id


@pytest.fixture
def editors(qtbot, questions):
    """Editors left open are closed before the workspace goes, what was typed discarded."""
    yield
    questions.expect("Close without saving?")
    for editor in list(assessment_editor._open_editors.values()):
        editor.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def editor_for(fx, runner, qtbot, username: str, assessment_id: str) -> AssessmentEditor:
    editor = AssessmentEditor.present(fx.login(username), runner, assessment_id)
    qtbot.waitUntil(lambda: editor.is_loaded)
    return editor


def test_a_lapsed_worker_is_told_before_lowering_a_colleague_s_high_draft(
        fx, runner, qtbot, editors):
    a = high_draft(fx)
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North",
              registration_lapsed_days=30)
    editor = editor_for(fx, runner, qtbot, "sw.three", a)
    assert editor.risk_rule.isVisible()
    assert editor.risk_rule.text().startswith(
        "Assessed as high: you may not lower it. Lowering a risk assessed as high (a case's "
        "or an assessment's) is reserved to a registered social worker; " + LAPSED)
    editor.risk.setCurrentIndex(editor.risk.findData("medium"))
    assert editor.errors.message("risk_level") == (
        "Assessed risk: you may not lower a risk assessed as high (see below)")
    assert not editor.sign_off_button.isEnabled()
    # Back at high they still could not sign it off (a high-risk sign-off is reserved too).
    assert editor.sign_off_rule.text().startswith("Lowering a risk assessed as high")
    assert editor.sign_off_rule.text().endswith("You may still prepare the draft.")
    editor.sections["analysis"].setPlainText("Much improved since the new carers.")
    editor.save_draft()  # said, not asked of the service
    assert refused(fx) == []
    with fx.ws.db.read() as s:
        assert s.get(Assessment, a).risk_level == "high"
    editor.risk.setCurrentIndex(editor.risk.findData("high"))
    assert editor.errors.message("risk_level") == ""
    editor.save_draft()
    assert editor.banner.text == "Draft saved."
    with fx.ws.db.read() as s:
        assert s.get(Assessment, a).analysis == "Much improved since the new carers."


def test_the_para_professional_preparing_it_is_told_too(fx, runner, qtbot, editors):
    a = high_draft(fx, drafter="pp.one")
    editor = editor_for(fx, runner, qtbot, "pp.one", a)
    assert "a para-professional may prepare a draft but not carry it out" in (
        editor.risk_rule.text())
    editor.risk.setCurrentIndex(editor.risk.findData("low"))
    assert editor.errors.message("risk_level") != ""


def test_a_registered_worker_lowers_it_and_signs_off_in_one_step(fx, runner, qtbot, editors,
                                                                 questions):
    a = high_draft(fx)
    editor = editor_for(fx, runner, qtbot, "sw.one", a)
    assert editor.risk_rule.text() == ("Assessed as high: lowering it is reserved to a "
                                       "registered social worker. You qualify.")
    editor.risk.setCurrentIndex(editor.risk.findData("medium"))
    assert editor.errors.message("risk_level") == "" and editor.sign_off_button.isEnabled()
    questions.expect("Sign off this assessment?")
    editor.sign_off()
    assert editor.banner.text == "Signed off."
    with fx.ws.db.read() as s:
        stored = s.get(Assessment, a)
    assert (stored.status, stored.risk_level) == ("signed_off", "medium")


def test_a_lowering_refused_by_the_service_keeps_nothing_and_the_typing(
        fx, runner, qtbot, editors, questions):
    """The registration lapses while the editor is open: the one sign-off call is refused,
    nothing of it kept, everything typed still on screen."""
    a = high_draft(fx)
    add_staff(fx, "sw.three", "Lorna Gray", "social_worker", "North")
    editor = editor_for(fx, runner, qtbot, "sw.three", a)
    editor.risk.setCurrentIndex(editor.risk.findData("medium"))
    editor.sections["analysis"].setPlainText("Risk reduced by the new carers.")
    lapse_registration(fx, "sw.three")
    questions.expect("Sign off this assessment?")
    editor.sign_off()
    assert editor.banner.text.startswith("Lowering a risk assessed as high")
    assert editor.banner.text.endswith("Nothing was saved: what you typed is still here.")
    assert editor.risk.currentData() == "medium"
    assert editor.sections["analysis"].toPlainText() == "Risk reduced by the new carers."
    with fx.ws.db.read() as s:
        stored = s.get(Assessment, a)
    assert (stored.status, stored.risk_level, stored.analysis) == ("draft", "high", None)
    assert refused(fx) == [("sign_off_assessment", "registration_lapsed")]


def test_one_who_may_sign_off_at_high_but_not_lower_it_is_told_to_put_it_back(
        fx, runner, qtbot, editors):
    a = high_draft(fx)
    # An administrator's rule: lowering a high risk needs long experience (sw.one has 11
    # years, short of it); signing off a high risk does not.
    fx.login("admin").admin.add_reserved_rule("lower_high_risk", "Lowering", min_pq_months=200)
    editor = editor_for(fx, runner, qtbot, "sw.one", a)
    assert editor.sign_off_button.isEnabled()
    editor.risk.setCurrentIndex(editor.risk.findData("medium"))
    assert not editor.sign_off_button.isEnabled()
    assert editor.sign_off_rule.text().endswith("Put the assessed risk back to high to sign "
                                                "it off.")
    editor.risk.setCurrentIndex(editor.risk.findData("high"))
    assert editor.sign_off_button.isEnabled()
