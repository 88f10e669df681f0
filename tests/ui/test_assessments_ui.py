"""The assessments UI driven with real widgets: the case window's Assessments tab, the start
dialog, the editor with its contributions and sign-off, and "Drafts for me". A social
worker drafts and signs off; a para-professional asked to prepare a statutory draft edits
it but is refused sign-off, and so is a social worker whose registration lapsed; the
refusals are shown plainly and audited, and nothing typed is lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from accessibility import unnamed
from casework.models import Assessment, AuditEvent
from casework import dto
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs import assessment_editor
from casework.ui.dialogs.assessment_editor import AssessmentEditor
from casework.ui.dialogs.assessment_start import StartAssessmentDialog
from casework.ui.dialogs.contribution_editor import ContributionDialog
from casework.ui.item_models.assessment_table import (
    AssessmentTableModel,
    ContributionTableModel,
)
from casework.ui.item_models.drafts_table import DraftsTableModel
from casework.ui.page_context import PageContext
from casework.ui.pages.drafts import DraftsPage
from ui_world import add_key_person, add_staff, lapse_registration, page_context

MORAG = "Morag Henderson"


# -- fixtures and helpers -----------------------------------------------------------------

@pytest.fixture(autouse=True)
def close_editors(qtbot, questions):
    """Editors are top-level windows that delete themselves on closing: close what a test
    left open before the workspace goes, discarding what was left typed in them."""
    yield
    questions.expect("Close without saving?")
    for editor in list(assessment_editor._open_editors.values()):
        editor.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def page_ctx(fx, runner, me) -> PageContext:
    return page_context(fx, me, runner)


def case_window(fx, runner, qtbot, username: str, case: str = MORAG) -> CaseWindow:
    me = fx.login(username)
    window = CaseWindow(page_ctx(fx, runner, me), me.cases.summary(fx.cases[case]))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.assessments_tab)
    qtbot.waitUntil(lambda: window.assessments_tab.is_loaded)
    return window


def open_editor(fx, runner, qtbot, username: str, assessment_id: str) -> AssessmentEditor:
    editor = AssessmentEditor.present(fx.login(username), runner, assessment_id)
    qtbot.waitUntil(lambda: editor.is_loaded)
    assert editor.banner.isHidden(), editor.banner.text
    return editor


def type_into(qtbot, editor: AssessmentEditor, **sections: str) -> None:
    for key, text in sections.items():
        qtbot.keyClicks(editor.sections[key], text)


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def add_contribution(qtbot, editor: AssessmentEditor, words: str, contributor: str = "person",
                     **fields) -> None:
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert isinstance(dialog, ContributionDialog)
    choose(dialog.contributor, contributor)
    if "key_person_id" in fields:
        choose(dialog.key_person, fields["key_person_id"])
    if "name" in fields:
        qtbot.keyClicks(dialog.name, fields["name"])
    qtbot.keyClicks(dialog.words, words)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.errors.message("contribution") or dialog.banner.text


def typed(editor: AssessmentEditor) -> dict[str, str]:
    return {k: e.toPlainText() for k, e in editor.sections.items()}


def audit(fx, entity_id: str, outcome: str = "refused") -> list[tuple[str, str | None]]:
    with fx.ws.db.read() as s:
        return [(e.action, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == entity_id,
                                     AuditEvent.outcome == outcome)
            .order_by(AuditEvent.seq))]


def column_texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


COMPLETE = dict(needs="Help with meals and medication.",
                outcomes_wanted="To stay at home with the dog.")


# -- a social worker ----------------------------------------------------------------------

def test_a_social_worker_starts_drafts_and_signs_off_from_the_tab(fx, runner, qtbot,
                                                                  questions):
    window = case_window(fx, runner, qtbot, "sw.one")
    tab = window.assessments_tab
    assert tab.model.rowCount() == 0 and not tab.empty.isHidden()

    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    start = tab.dialog
    assert isinstance(start, StartAssessmentDialog) and start.save_button.isEnabled()
    choose(start.kind, "outcomes_focused")
    assert not start.carer.isVisibleTo(start)  # only a carer's assessment names a carer
    assert start.drafter.currentText() == "Me (Ruaridh Campbell)"
    qtbot.mouseClick(start.save_button, Qt.MouseButton.LeftButton)

    editor = tab.editor
    assert editor is not None and editor.isVisible() and editor.is_loaded
    assert editor.heading.text().startswith("Outcomes-focused assessment — Morag Henderson")
    assert editor.status_label.text().startswith("Draft, started ")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert tab.selected().id == editor.detail.id and tab.empty.isHidden()

    # The sections, then the draft saved.
    type_into(qtbot, editor, strengths="Close to her daughter.", **COMPLETE)
    choose(editor.risk, "medium")
    assert editor.is_dirty
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text == "Draft saved." and not editor.is_dirty
    saved = fx.login("sw.one").assessments.get(editor.detail.id)
    assert (saved.strengths, saved.needs, saved.risk_level) == (
        "Close to her daughter.", COMPLETE["needs"], "medium")
    assert "at least one contribution" in editor.missing.text()

    # A contribution in the person's own words: blank words are refused as they are typed.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert isinstance(dialog, ContributionDialog)
    assert dialog.contributor.currentData() == "person"
    assert dialog.name.placeholderText() == "Morag Henderson"
    assert dialog.name_hint.text() == "Left blank, it is recorded as Morag Henderson."
    qtbot.keyClicks(dialog.words, "I")
    assert dialog.errors.message("contribution") == ""
    qtbot.keyClick(dialog.words, Qt.Key.Key_Backspace)
    assert dialog.errors.message("contribution") == (
        "In their words: record what they said, in their words")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused: nothing was sent
    assert editor.contributions_model.rowCount() == 0
    qtbot.keyClicks(dialog.words, "I want to stay in my own home with Bess.")
    assert dialog.errors.message("contribution") == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert column_texts(editor.contributions_model, 0) == ["Morag Henderson"]
    assert column_texts(editor.contributions_model, 1) == ["The person"]
    assert editor.no_contributions.isHidden()

    # Another one, removed again: asked first, and kept when the answer is no.
    add_contribution(qtbot, editor, "Morag manages most days with prompting.", "worker")
    assert column_texts(editor.contributions_model, 0) == ["Morag Henderson", "Ruaridh Campbell"]
    editor.contributions.selectRow(1)
    questions.expect("Remove this contribution?", False)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert questions.titles == ["Remove this contribution?"]
    assert editor.contributions_model.rowCount() == 2
    questions.expect("Remove this contribution?", True)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert column_texts(editor.contributions_model, 0) == ["Morag Henderson"]
    assert audit(fx, editor.detail.id, "done")[-1] == ("remove_assessment_contribution", None)

    # Signed off: asked first, then read-only for good.
    assert editor.sign_off_allowed and editor.sign_off_button.isEnabled()
    assert editor.sign_off_rule.text().endswith("You may sign it off.")
    assert editor.missing.text() == "Everything sign-off needs is recorded."
    questions.expect("Sign off this assessment?")
    qtbot.mouseClick(editor.sign_off_button, Qt.MouseButton.LeftButton)
    assert questions.titles == ["Remove this contribution?"] * 2 + ["Sign off this assessment?"]
    assert editor.banner.text == "Signed off."
    assert not editor.detail.is_draft
    assert all(e.isReadOnly() for e in editor.sections.values())
    assert editor.sections["risks"].placeholderText() == "Not recorded."
    assert editor.risk.isHidden() and editor.risk_value.text() == "Medium"
    for b in (editor.save_button, editor.add_button, editor.remove_button):
        assert b.isHidden()
    assert editor.sign_off_box.isHidden()
    assert editor.status_label.text().startswith("Signed off by Ruaridh Campbell on ")
    assert not editor.is_dirty
    qtbot.waitUntil(lambda: tab.model.index(0, 1).data() == "Signed off")
    assert tab.model.index(0, 5).data().startswith("Ruaridh Campbell, ")


def test_the_tab_lists_newest_first_and_opens_the_selected_one(fx, runner, qtbot):
    sw = fx.login("sw.one")
    first = sw.assessments.start(fx.cases[MORAG], "risk")
    second = sw.assessments.start(fx.cases[MORAG], "asp_inquiry", drafter_id=fx.staff["pp.one"])
    window = case_window(fx, runner, qtbot, "sw.one")
    tab = window.assessments_tab
    assert column_texts(tab.model, 0) == ["Adult support and protection inquiry",
                                          "Risk assessment"]
    assert column_texts(tab.model, 4) == ["Jamie Kerr", "Ruaridh Campbell"]
    assert column_texts(tab.model, 2) == ["Not yet assessed"] * 2
    assert tab.selected().id == second.id and tab.open_button.isEnabled()
    tab.table.selectRow(1)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.detail.id == first.id and editor.parent() is window
    tab.open_selected()  # open already: the same editor comes forward
    assert tab.editor is editor

    closed = case_window(fx, runner, qtbot, "sw.one", "Fiona Baxter")
    assert not closed.assessments_tab.start_button.isEnabled()
    assert closed.assessments_tab.start_button.toolTip() == "The case is closed."


def test_a_carer_s_assessment_needs_the_carer_chosen_and_their_own_words(fx, runner, qtbot,
                                                                        questions):
    carer = add_key_person(fx, MORAG, "Elspeth", "Henderson")
    gp = add_key_person(fx, MORAG, "Iain", "MacRae", kind="professional", relationship="GP")
    window = case_window(fx, runner, qtbot, "sw.one")
    tab = window.assessments_tab
    tab.start()
    start = tab.dialog
    choose(start.kind, "carers")
    assert start.carer.isVisibleTo(start)
    assert start.carer.currentText() == "Choose the carer"
    assert [start.carer.itemText(i) for i in range(start.carer.count())] == [
        "Choose the carer", "Elspeth Henderson (Daughter)"]  # the GP is no carer
    qtbot.mouseClick(start.save_button, Qt.MouseButton.LeftButton)
    assert start.errors.message("carer_id") == (
        "About the carer: choose the carer the assessment is about")
    assert fx.login("sw.one").assessments.list(fx.cases[MORAG]) == ()
    choose(start.carer, carer)
    assert start.errors.message("carer_id") == ""  # put right: the message goes at once
    qtbot.mouseClick(start.save_button, Qt.MouseButton.LeftButton)

    editor = tab.editor
    assert editor.heading.text().startswith("Carer's assessment: Elspeth Henderson — ")
    type_into(qtbot, editor, **COMPLETE)
    choose(editor.risk, "low")
    # The person's view alone is not the carer's own.
    add_contribution(qtbot, editor, "Elspeth does everything for me.", "person")
    assert editor.missing.text() == (
        "Still needed before sign-off: Elspeth Henderson's own contribution, as the carer.")
    questions.expect("Sign off this assessment?")  # once it is complete, below
    editor.sign_off()
    assert "Sign off this assessment?" not in questions.titles  # incomplete: not asked
    assert editor.banner.text == ("Still needed before sign-off: Elspeth Henderson's own "
                                  "contribution, as the carer.")
    assert editor.errors.message("contributions") == "Contributions: needed before sign-off"
    assert editor.detail.is_draft

    # The carer's own contribution: the carer is offered first, and named for a blank name.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert dialog.contributor.currentData() == "carer"
    assert dialog.key_person.currentData() == carer
    assert gp not in [dialog.key_person.itemData(i) for i in range(dialog.key_person.count())]
    assert dialog.name.placeholderText() == "Elspeth Henderson"
    qtbot.keyClicks(dialog.words, "I am tired; I need a break once a week.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert column_texts(editor.contributions_model, 0) == ["Morag Henderson", "Elspeth Henderson"]
    assert editor.missing.text() == "Everything sign-off needs is recorded."
    assert editor.errors.message("contributions") == ""
    editor.sign_off()
    assert editor.banner.text == "Signed off." and not editor.detail.is_draft


def test_another_agency_must_be_named_as_it_is_typed(fx, runner, qtbot):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    editor.add_contribution()
    dialog = editor.dialog
    choose(dialog.contributor, "other")
    assert dialog.name.placeholderText() == "Their name, and the agency they speak for"
    assert dialog.errors.message("name") == ""  # not touched yet
    qtbot.keyClicks(dialog.name, "x")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Backspace)
    assert dialog.errors.message("name") == "Name: say who contributed"
    qtbot.keyClicks(dialog.name, "PC Ross, Police Scotland")
    assert dialog.errors.message("name") == ""
    qtbot.keyClicks(dialog.words, "Two calls to the house this month.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert column_texts(editor.contributions_model, 0) == ["PC Ross, Police Scotland"]
    assert column_texts(editor.contributions_model, 1) == ["Another agency"]

    # Edited: the dialog comes back with what was recorded, and a cleared name is refused.
    editor.contributions.selectRow(0)
    qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert dialog.windowTitle() == "Edit a contribution"
    assert dialog.name.text() == "PC Ross, Police Scotland"
    assert dialog.words.toPlainText() == "Two calls to the house this month."
    dialog.name.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors.message("name") == "Name: say who contributed"
    assert dialog.words.toPlainText() == "Two calls to the house this month."
    qtbot.keyClicks(dialog.name, "PC Ross")
    qtbot.keyClicks(dialog.words, " Both at night.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert column_texts(editor.contributions_model, 0) == ["PC Ross"]
    assert column_texts(editor.contributions_model, 3) == [
        "Two calls to the house this month. Both at night."]


def test_a_section_too_long_is_named_as_it_is_typed(fx, runner, qtbot):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    editor.sections["analysis"].setPlainText("x" * 20_001)
    assert editor.errors.message("analysis") == "Analysis: must be at most 20,000 characters"
    assert editor.errors.message("needs") == ""
    editor.sections["analysis"].moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor.sections["analysis"], Qt.Key.Key_Backspace)
    assert editor.errors.message("analysis") == ""


# -- a para-professional asked to prepare a statutory draft -------------------------------

def test_a_para_professional_prepares_a_statutory_draft_but_may_not_sign_it_off(
        fx, runner, qtbot, questions):
    sw = fx.login("sw.one")
    a = sw.assessments.start(fx.cases[MORAG], "asp_inquiry", drafter_id=fx.staff["pp.one"])
    pp = fx.login("pp.one")
    page = DraftsPage(page_ctx(fx, runner, pp))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.is_ready)
    assert page.load_error is None and page.count_label.text() == "1 draft"
    assert [page.model.index(0, c).data() for c in range(5)][:3] == [
        "Morag Henderson", "CW-000001", "Adult support and protection inquiry (statutory)"]
    assert page.model.index(0, 4).data() == "Ruaridh Campbell"
    assert page.open_button.isEnabled()  # the first draft is selected: Enter opens it
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    qtbot.waitUntil(lambda: editor.is_loaded)
    assert editor.banner.isHidden(), editor.banner.text
    assert editor.status_label.text().endswith("who asked Jamie Kerr to prepare it.")

    # Edits and saves the draft, and records a contribution.
    type_into(qtbot, editor, strengths="A neighbour looks in daily.", **COMPLETE)
    choose(editor.risk, "medium")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text == "Draft saved."
    add_contribution(qtbot, editor, "My nephew takes my pension.", "person")
    stored = sw.assessments.get(a.id)
    assert stored.needs == COMPLETE["needs"] and len(stored.contributions) == 1

    # Sign-off: disabled, with the reason in words beside it.
    assert not editor.sign_off_button.isEnabled() and not editor.sign_off_allowed
    reason = ("Signing this off is reserved to a registered social worker (an adult support "
              "and protection inquiry). You may prepare the draft, not sign it off.")
    assert editor.sign_off_rule.text() == reason
    assert editor.sign_off_button.toolTip() == reason
    assert editor.sign_off_button.accessibleDescription() == reason
    assert editor.missing.text() == ("Everything sign-off needs is recorded: tell Ruaridh "
                                     "Campbell it is ready.")

    # Asked anyway: the service refuses, the banner says so, nothing typed is lost.
    type_into(qtbot, editor, analysis="Financial harm is likely.")
    before = typed(editor)
    editor.sign_off()
    assert "Sign off this assessment?" not in questions.titles  # refused: not asked
    assert editor.banner.tone == "error"
    assert editor.banner.text == (
        "Sign-off of an adult support and protection inquiry is reserved to a registered "
        "social worker; a para-professional may prepare a draft but not carry it out. "
        "Nothing was saved: what you typed is still here.")
    assert typed(editor) == before and editor.detail.is_draft and editor.is_dirty
    assert not editor.sign_off_button.isEnabled()
    assert audit(fx, a.id) == [("sign_off_assessment", "role_not_permitted")]
    # Saving and signing off were one act: refused, neither was kept.
    stored = sw.assessments.get(a.id)
    assert stored.is_draft and stored.analysis is None
    # Saved when they choose to save it.
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text == "Draft saved."
    assert sw.assessments.get(a.id).analysis == "Financial harm is likely."


def test_a_para_professional_refused_with_nothing_saved_keeps_the_typing(fx, runner, qtbot,
                                                                         questions):
    sw = fx.login("sw.one")
    a = sw.assessments.start(fx.cases[MORAG], "child_protection_investigation",
                             drafter_id=fx.staff["pp.one"])
    editor = open_editor(fx, runner, qtbot, "pp.one", a.id)
    editor.sign_off()  # nothing typed, nothing to save: the service answers at once
    assert "Sign off this assessment?" not in questions.titles  # refused: not asked
    assert editor.banner.text == (
        "Sign-off of a child protection investigation is reserved to a registered social "
        "worker; a para-professional may prepare a draft but not carry it out.")
    assert audit(fx, a.id) == [("sign_off_assessment", "role_not_permitted")]


def test_drafts_for_me_lists_only_my_drafts_and_enter_opens_one(fx, runner, qtbot):
    sw = fx.login("sw.one")
    mine = sw.assessments.start(fx.cases[MORAG], "asp_inquiry", drafter_id=fx.staff["pp.one"])
    sw.assessments.start(fx.cases[MORAG], "risk")  # sw.one prepares this one
    page = DraftsPage(page_ctx(fx, runner, fx.login("pp.one")))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.is_ready)
    assert page.model.rowCount() == 1 and page.model.record(0).id == mine.id
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.editor is not None and page.editor.detail.id == mine.id


# -- a lapsed registration, a high assessed risk ------------------------------------------

def test_a_lapsed_registration_is_refused_sign_off_of_a_child_protection_investigation(
        fx, runner, qtbot, questions):
    add_staff(fx, "sw.south", "Lewis Morrison", "social_worker", "South",
              registration_lapsed_days=30)
    window = case_window(fx, runner, qtbot, "sw.south", "Kirsty Paterson")
    tab = window.assessments_tab
    tab.start()
    choose(tab.dialog.kind, "child_protection_investigation")
    assert tab.dialog.hint.text().startswith("A statutory assessment")
    qtbot.mouseClick(tab.dialog.save_button, Qt.MouseButton.LeftButton)  # may draft
    editor = tab.editor
    type_into(qtbot, editor, **COMPLETE)
    choose(editor.risk, "medium")
    add_contribution(qtbot, editor, "Kirsty says she feels safe at her gran's.", "person")

    assert not editor.sign_off_button.isEnabled()
    assert editor.sign_off_rule.text().startswith(
        "Sign-off of a child protection investigation is reserved to a registered social "
        "worker; Lewis Morrison's SSSC registration lapsed on ")
    assert editor.sign_off_rule.text().endswith("You may still prepare the draft.")
    before = typed(editor)
    editor.sign_off()
    assert "Sign off this assessment?" not in questions.titles  # refused: not asked
    assert editor.banner.text.startswith(
        "Sign-off of a child protection investigation is reserved to a registered social "
        "worker; Lewis Morrison's SSSC registration lapsed on ")
    assert typed(editor) == before and editor.detail.is_draft
    assert audit(fx, editor.detail.id) == [("sign_off_assessment", "registration_lapsed")]
    questions.expect("Close the case file?")  # the typing kept on screen is not saved


def test_a_registration_that_lapses_while_the_editor_is_open_is_refused_by_the_service(
        fx, runner, qtbot, questions):
    a = fx.login("tl.south").assessments.start(fx.cases["Kirsty Paterson"],
                                               "child_protection_investigation")
    editor = open_editor(fx, runner, qtbot, "tl.south", a.id)
    assert editor.sign_off_rule.text().endswith("You may sign it off.")
    lapse_registration(fx, "tl.south")
    type_into(qtbot, editor, **COMPLETE)
    choose(editor.risk, "medium")
    add_contribution(qtbot, editor, "I want to stay with my gran.", "person")
    assert editor.sign_off_button.isEnabled()  # as things stood when it opened
    before = typed(editor)
    questions.expect("Sign off this assessment?")
    qtbot.mouseClick(editor.sign_off_button, Qt.MouseButton.LeftButton)
    assert "Eilidh Baird's SSSC registration lapsed on " in editor.banner.text
    assert editor.banner.text.endswith("Nothing was saved: what you typed is still here.")
    assert typed(editor) == before and editor.detail.is_draft
    with fx.ws.db.read() as s:
        assert s.get(Assessment, a.id).needs is None  # nothing kept
    # The service's answer now stands beside the button, which it disables.
    assert not editor.sign_off_button.isEnabled()
    assert "registration lapsed" in editor.sign_off_rule.text()
    assert audit(fx, a.id) == [("sign_off_assessment", "registration_lapsed")]


def test_a_high_assessed_risk_makes_sign_off_reserved(fx, runner, qtbot, questions):
    add_staff(fx, "sw.lapsed", "Niamh Gillies", "social_worker", "North",
              registration_lapsed_days=10)
    a = fx.login("sw.one").assessments.start(fx.cases["Alasdair Grant"], "outcomes_focused")
    lapsed = open_editor(fx, runner, qtbot, "sw.lapsed", a.id)
    choose(lapsed.risk, "medium")
    assert lapsed.sign_off_button.isEnabled()  # an ordinary sign-off: any practitioner's
    assert lapsed.sign_off_rule.text() == (
        "A social worker, senior practitioner or team leader of the case's team signs this "
        "off. You may sign it off.")
    choose(lapsed.risk, "high")
    assert not lapsed.sign_off_button.isEnabled()
    assert lapsed.sign_off_rule.text().startswith(
        "Sign-off of a high-risk assessment is reserved to a registered social worker; "
        "Niamh Gillies's SSSC registration lapsed on ")
    type_into(qtbot, lapsed, **COMPLETE)
    add_contribution(qtbot, lapsed, "I want to get back to the bowling club.", "person")
    questions.expect("Sign off this assessment?")  # of the qualified worker, below
    lapsed.sign_off()
    assert "Sign off this assessment?" not in questions.titles  # refused: not asked
    assert lapsed.banner.text.startswith("Sign-off of a high-risk assessment is reserved")
    assert audit(fx, a.id) == [("sign_off_assessment", "registration_lapsed")]
    assert lapsed.detail.is_draft and lapsed.detail.risk_level is None  # nothing kept
    # Raising the risk is theirs to save; signing it off at high is not.
    qtbot.mouseClick(lapsed.save_button, Qt.MouseButton.LeftButton)
    assert lapsed.banner.text == "Draft saved." and lapsed.detail.risk_level == "high"
    lapsed.close()

    # A registered social worker may; the case's lower recorded risk is pointed out.
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    assert editor.risk.currentData() == "high"
    assert editor.sign_off_rule.text() == (
        "Signing this off is reserved to a registered social worker (a high assessed risk). "
        "You may sign it off.")
    editor.sign_off()
    assert editor.banner.tone == "warning"
    assert editor.banner.text == (
        "Signed off. The assessed risk (high) is above the case's recorded risk (medium); "
        "the case was not changed — review its risk level.")


# -- conflicts and closing ----------------------------------------------------------------

def test_a_stale_version_offers_reload_and_keeps_the_typing_until_then(fx, runner, qtbot):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    other = fx.login("sw.two")  # another session saves first
    other.assessments.update_draft(a.id, dto.AssessmentInput(needs="Agata's words."),
                                   a.row_version)
    # A contribution added since does not make the sections on screen current.
    add_contribution(qtbot, editor, "I do not want to move.", "person")
    type_into(qtbot, editor, needs="My words.", risks="Falls at night.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text.startswith("Someone else changed this assessment")
    assert not editor.banner.action.isHidden() and editor.banner.action.text() == "&Reload"
    assert typed(editor)["needs"] == "My words." and editor.is_dirty
    assert other.assessments.get(a.id).needs == "Agata's words."

    qtbot.mouseClick(editor.banner.action, Qt.MouseButton.LeftButton)
    assert typed(editor)["needs"] == "Agata's words." and typed(editor)["risks"] == ""
    assert editor.banner.text.startswith("This shows the latest saved version.")
    assert not editor.is_dirty
    type_into(qtbot, editor, risks="Falls at night.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text == "Draft saved."


def test_closing_with_unsaved_changes_asks_first(fx, runner, qtbot, questions):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    editor.close()  # nothing typed: no question
    assert questions.asked == [] and not editor.isVisible()

    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    type_into(qtbot, editor, needs="Half a thought")
    questions.expect("Close without saving?", False)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert questions.titles == ["Close without saving?"]
    assert editor.isVisible() and typed(editor)["needs"] == "Half a thought"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Escape asks the same
    assert questions.titles == ["Close without saving?"] * 2 and editor.isVisible()
    questions.expect("Close without saving?", True)
    editor.close()
    assert not editor.isVisible()


def test_dismissed_behind_a_lock_an_editor_hides_and_keeps_the_typing(fx, runner, qtbot,
                                                                       questions):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    me = fx.login("sw.one")
    editor = AssessmentEditor.present(me, runner, a.id)
    type_into(qtbot, editor, needs="Half a thought")
    editor.dismiss()  # as the main window does when it locks: no question on top of a lock
    assert questions.asked == questions.unexpected == [] and not editor.isVisible()
    again = AssessmentEditor.present(me, runner, a.id)
    assert again is editor and again.isVisible()
    assert typed(again)["needs"] == "Half a thought"


# -- models and names ---------------------------------------------------------------------

def test_the_assessment_models_pass_the_model_tester(fx, runner, qtbot, qtmodeltester):
    add_key_person(fx, MORAG, "Elspeth", "Henderson")
    sw = fx.login("sw.one")
    case = fx.cases[MORAG]
    carer = sw.assessments.start_options(case).carers[0]
    a = sw.assessments.start(case, "outcomes_focused")
    a = sw.assessments.update_draft(a.id, dto.AssessmentInput(
        risk_level="high", needs="Meals.", outcomes_wanted="Stay at home."), a.row_version)
    a = sw.assessments.add_contribution(a.id, dto.ContributionInput(
        "person", "I want to stay at home. " * 40, sw.today()))
    a = sw.assessments.add_contribution(a.id, dto.ContributionInput(
        "carer", "I need a break.", sw.today(), key_person_id=carer.id))
    sw.assessments.sign_off(a.id, a.row_version)
    sw.assessments.start(case, "carers", carer_id=carer.id)
    sw.assessments.start(case, "asp_inquiry", drafter_id=fx.staff["pp.one"])

    rows = AssessmentTableModel()
    rows.set_rows(sw.assessments.list(case))
    assert rows.rowCount() == 3
    qtmodeltester.check(rows)
    assert "Carer's assessment: Elspeth Henderson" in column_texts(rows, 0)
    high = column_texts(rows, 2).index("High")
    assert rows.index(high, 2).data(Qt.ItemDataRole.FontRole).bold()

    contributions = ContributionTableModel()
    contributions.set_rows(sw.assessments.get(a.id).contributions)
    assert contributions.rowCount() == 2
    qtmodeltester.check(contributions)
    words = contributions.index(0, 3)
    assert words.data().endswith("…") and len(words.data()) <= 401
    assert words.data(Qt.ItemDataRole.ToolTipRole) == ("I want to stay at home. " * 40).strip()

    pp = fx.login("pp.one")
    drafts = DraftsTableModel(pp.assessments, runner, pp.staff_id)
    drafts.reload()
    assert drafts.rowCount() == 1
    qtmodeltester.check(drafts)
    mine = DraftsTableModel(sw.assessments, runner, sw.staff_id)
    mine.reload()
    assert column_texts(mine, 4) == ["You started it"]  # the carer's, not the others
    qtmodeltester.check(mine)


def test_the_editor_dialogs_and_drafts_page_name_their_controls(fx, runner, qtbot):
    add_key_person(fx, MORAG, "Elspeth", "Henderson")
    sw = fx.login("sw.one")
    a = sw.assessments.start(fx.cases[MORAG], "asp_inquiry", drafter_id=fx.staff["pp.one"])
    a = sw.assessments.add_contribution(a.id, dto.ContributionInput(
        "person", "I want to stay at home.", sw.today()))

    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    editor.contributions.selectRow(0)
    assert unnamed(editor) == []
    editor.add_contribution()
    assert unnamed(editor.dialog) == []
    start = StartAssessmentDialog(sw, runner, fx.cases[MORAG])
    qtbot.addWidget(start)
    start.show()
    choose(start.kind, "carers")
    assert unnamed(start) == []

    pp_editor = open_editor(fx, runner, qtbot, "pp.one", a.id)
    assert unnamed(pp_editor) == []
    page = DraftsPage(page_ctx(fx, runner, fx.login("pp.one")))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.is_ready)
    assert unnamed(page) == []

    sw.assessments.update_draft(a.id, dto.AssessmentInput(risk_level="low", **COMPLETE),
                                a.row_version)
    sw.assessments.sign_off(a.id, sw.assessments.get(a.id).row_version)
    signed = open_editor(fx, runner, qtbot, "sw.two", a.id)
    assert unnamed(signed) == []


def test_tab_moves_through_the_sections_in_the_order_they_are_written(fx, runner, qtbot):
    a = fx.login("sw.one").assessments.start(fx.cases[MORAG], "risk")
    editor = open_editor(fx, runner, qtbot, "sw.one", a.id)
    qtbot.waitExposed(editor)
    order, widget = [], editor.sections["strengths"]
    while len(order) < 9:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                and widget.isEnabled()):
            order.append(widget)
        widget = widget.nextInFocusChain()
    s = editor.sections
    assert order[:6] == [s["strengths"], s["needs"], s["risks"], editor.risk,
                         s["outcomes_wanted"], s["analysis"]]
    assert order[6:9] == [editor.contributions, editor.add_button, editor.sign_off_button]
