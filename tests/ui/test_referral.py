"""Recording a referral through the real dialog, from the main window: the CHI number is
checked as it is typed, people already recorded are shown before anyone new is made, and
the new case opens in its window."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from casework.models import Person
from casework.timeutil import london_today
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.referral import ReferralDialog
from casework.ui.main_window import MainWindow
from accessibility import unnamed
from ui_world import add_case


def window_for(fx, runner, qtbot, username: str) -> MainWindow:
    window = MainWindow(fx.ws, fx.login(username), runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_dialog(window: MainWindow, qtbot) -> ReferralDialog:
    qtbot.mouseClick(window.referral_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ReferralDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=2000)  # its teams arrived
    return dialog


def case_windows() -> list[CaseWindow]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, CaseWindow) and w.isVisible()]


def people(fx) -> int:
    with fx.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(Person))


def describe_referral(qtbot, dialog: ReferralDialog, risk: str = "High") -> None:
    qtbot.keyClicks(dialog.source, "Her daughter, by phone")
    qtbot.keyClicks(dialog.reason, "Has stopped eating since her husband died.")
    dialog.risk.setCurrentText(risk)


def click_match(qtbot, dialog: ReferralDialog, row: int) -> None:
    rect = dialog.match_list.visualItemRect(dialog.match_list.item(row))
    qtbot.mouseClick(dialog.match_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_social_worker_refers_someone_already_recorded(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one")
    dialog = open_dialog(window, qtbot)
    assert dialog.team_caption.isHidden()  # their own team: nothing to choose
    assert dialog.service_area.currentText() == "Adult and community care"

    qtbot.keyClicks(dialog.given_name, "morag")
    qtbot.keyClicks(dialog.family_name, "HENDERSON")
    qtbot.keyClicks(dialog.date_of_birth, "14/03/1950")
    qtbot.keyClicks(dialog.chi, "14035")
    # Said under the field while typing, and again as the number changes.
    assert dialog.errors.message("chi") == "CHI number: must be 10 digits; this has 5"
    qtbot.keyClicks(dialog.chi, "01239")
    assert dialog.errors.message("chi") == (
        "CHI number: the last digit (the check digit) does not agree with the other nine: "
        "check each digit")
    dialog.chi.selectAll()
    qtbot.keyClicks(dialog.chi, "150350 1238")
    assert dialog.errors.message("chi") == (
        "CHI number: its first six digits (150350) give the date of birth 15 March 1950, but "
        "the date of birth is 14 March 1950")

    # The same folded name and date of birth: Morag Henderson is offered.
    qtbot.waitUntil(dialog.match_box.isVisible, timeout=2000)
    assert dialog.match_list.count() == 1
    text = dialog.match_list.item(0).text()
    assert text.startswith("Morag Henderson · born 14 Mar 1950 · CHI 140350 1234\n")
    assert "Same name and date of birth" in text
    assert "live case CW-000001 in North (Ruaridh Campbell)" in text
    assert unnamed(dialog) == []  # a screen reader can name every control, matches too
    click_match(qtbot, dialog, 0)
    assert dialog.picked().full_name == "Morag Henderson"
    assert dialog.errors.message("chi") == ""  # her record is used, not what was typed
    assert not dialog.address.isEnabled()
    assert dialog.choice.text().startswith("The referral will be a new case for Morag Henderson")

    describe_referral(qtbot, dialog)
    before = people(fx)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(case_windows()) == 1, timeout=2000)
    case = case_windows()[0]
    qtbot.addWidget(case)
    assert people(fx) == before
    assert case.windowTitle() == "Morag Henderson — CW-000012 — Casework"
    assert case.summary.case.status == "referral" and case.summary.case.risk_level == "high"
    assert case.summary_tab.value("Named worker").startswith("Unallocated")
    assert case.summary_tab.value("Referred").endswith("by Her daughter, by phone")
    assert [a.reason for a in case.summary.allocations] == ["Referral received"]
    assert case.summary.recent_notes[0].subject == "Referral received from Her daughter, by phone"


def test_a_new_person_who_shares_a_name_and_birth_is_confirmed_as_someone_new(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one")
    dialog = open_dialog(window, qtbot)
    qtbot.keyClicks(dialog.given_name, "Morag")
    qtbot.keyClicks(dialog.family_name, "Henderson")
    qtbot.keyClicks(dialog.date_of_birth, "14.3.1950")
    qtbot.keyClicks(dialog.postcode, "iv2 4ab")
    qtbot.waitUntil(dialog.match_box.isVisible, timeout=2000)
    describe_referral(qtbot, dialog, risk="Medium")
    before = people(fx)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors.message("person_id") == (
        "Possible matches: pick the person if they are one of these, or tick “None of these”")
    dialog.someone_new.setFocus()
    qtbot.keyClick(dialog.someone_new, Qt.Key.Key_Space)
    assert dialog.choice.text() == "A new person will be recorded."
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(case_windows()) == 1, timeout=2000)
    qtbot.addWidget(case_windows()[0])
    assert people(fx) == before + 1
    person = case_windows()[0].summary.person
    assert (person.full_name, person.postcode) == ("Morag Henderson", "IV2 4AB")


def test_a_chi_number_already_on_file_is_shown_and_cannot_be_a_new_person(fx, runner, qtbot):
    add_case(fx, "South", None, "Kirsteen", "Mac an t-Saoir", chi="1403501238",
             service_area="children_and_families")
    window = window_for(fx, runner, qtbot, "sw.one")
    dialog = open_dialog(window, qtbot)
    qtbot.keyClicks(dialog.given_name, "Kirsty")
    qtbot.keyClicks(dialog.family_name, "McIntyre")
    qtbot.keyClicks(dialog.date_of_birth, "14/03/1950")
    qtbot.keyClicks(dialog.chi, "1403501238")
    qtbot.waitUntil(dialog.match_box.isVisible, timeout=2000)
    text = dialog.match_list.item(0).text()
    # Another team's person: enough to recognise them, nothing of their case.
    assert text == ("Kirsteen Mac an t-Saoir · born 14 Mar 1950 · CHI 140350 1238\n"
                    "Same CHI number · live case held by South")
    assert dialog.errors.message("chi") == (
        "CHI number: belongs to Kirsteen Mac an t-Saoir, who is already recorded: pick them "
        "below")
    assert not dialog.someone_new.isEnabled()
    describe_referral(qtbot, dialog)
    before = people(fx)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and people(fx) == before and case_windows() == []


def test_what_the_service_refuses_shows_under_its_field(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one")
    dialog = open_dialog(window, qtbot)
    qtbot.keyClicks(dialog.given_name, "Iona")
    qtbot.keyClicks(dialog.family_name, "Gillies")
    qtbot.keyClicks(dialog.postcode, "Ullapool")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # First what the form knows: the referral's own fields.
    assert dialog.errors.message("referral_source").startswith("Referred by: say who referred")
    assert dialog.errors.message("risk_level") == "Initial risk: choose an initial risk level"
    describe_referral(qtbot, dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("postcode") == "Postcode: must be a UK postcode, such as IV1 1AA"
    assert dialog.source.text() == "Her daughter, by phone"  # nothing typed is lost
    assert case_windows() == []


def test_a_service_manager_chooses_the_team(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sm.both")
    dialog = open_dialog(window, qtbot)
    assert not dialog.team_caption.isHidden()
    assert [dialog.team.itemText(i) for i in range(dialog.team.count())] == [
        "Choose one of your teams", "North", "South"]
    dialog.team.setCurrentText("South")
    assert dialog.service_area.currentText() == "Children and families"
    assert "South's unallocated queue" in dialog.queue_note.text()


def test_only_those_who_record_referrals_are_offered_one(fx, runner, qtbot):
    for username in ("pp.one", "admin"):
        window = window_for(fx, runner, qtbot, username)
        assert not window.referral_button.isVisibleTo(window)
        assert not window.referral_action.isVisible()
    window = window_for(fx, runner, qtbot, "tl.north")
    assert window.referral_action.isVisible() and window.referral_button.isVisible()
    assert window.referral_action.shortcut().toString() == "Ctrl+N"
    assert window.referral_action.text() == "&New referral…"
    window.lock()
    assert not window.referral_action.isEnabled() and not window.referral_button.isEnabled()
    window.referral_action.trigger()
    assert window.findChild(ReferralDialog) is None
    window._unlocked(window.me)
    assert window.referral_button.isEnabled()
    window.referral_action.trigger()
    assert window.findChild(ReferralDialog) is not None


def test_a_referral_in_the_future_cannot_be_dated(fx, runner, qtbot):
    window = window_for(fx, runner, qtbot, "sw.one")
    dialog = open_dialog(window, qtbot)
    assert dialog.referred_on.maximumDate().toPython() == london_today()
    assert dialog.referred_on.date().toPython() == london_today()
    dialog.referred_on.setDate(dialog.referred_on.date().addDays(1))
    assert dialog.referred_on.date().toPython() < london_today() + timedelta(days=1)
