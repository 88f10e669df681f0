"""After idle time the window hides every record until the same person signs in again."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from casework.ui.case_window.window import CaseWindow
from casework.ui.main_window import MainWindow
from ui_world import PASSWORD



def make_window(fx, runner, qtbot) -> MainWindow:
    window = MainWindow(fx.ws, fx.login("sw.one"), runner, idle_minutes=15)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_idle_time_locks_the_window_and_the_password_unlocks_it(fx, runner, qtbot):
    window = make_window(fx, runner, qtbot)
    assert window.idle.interval_ms == 15 * 60_000
    window.idle.set_interval_ms(50)
    case_file = CaseWindow(window.ctx, window.me.cases.summary(fx.cases["Morag Henderson"]),
                           parent=window)
    case_file.show()
    question = QDialog(case_file)
    question.show()
    closed = []
    case_file.destroyed.connect(lambda: closed.append(True))
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.outer.currentWidget() is window.lock_panel
    # An open case file and its dialogs do not stay on screen (the dialog may be gone
    # already, with the case file it belongs to).
    assert not shiboken6.isValid(question) or not question.isVisible()
    qtbot.waitUntil(lambda: closed == [True], timeout=2000)
    assert not window.refresh_action.isEnabled()
    form = window.lock_panel.form
    assert form.username.text() == "sw.one" and form.username.isReadOnly()

    qtbot.keyClicks(form.password, "wrong-password")
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert window.locked and form.error.text().startswith("Wrong username or password.")

    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert not window.locked and window.outer.currentWidget() is window.content
    assert window.refresh_action.isEnabled()


def test_signing_out_from_the_lock(fx, runner, qtbot):
    window = make_window(fx, runner, qtbot)
    window.lock()
    with qtbot.waitSignal(window.signed_out, timeout=2000):
        qtbot.mouseClick(window.lock_panel.sign_out_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_using_the_window_keeps_it_unlocked(fx, runner, qtbot):
    window = make_window(fx, runner, qtbot)
    window.idle.set_interval_ms(300)
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert not window.locked


def _typing_in_a_note(fx, window):
    """A case file open on its notes tab with a note half typed in the note dialog."""
    case_file = CaseWindow(window.ctx, window.me.cases.summary(fx.cases["Morag Henderson"]),
                           parent=window)
    case_file.show()
    case_file.tabs.setCurrentWidget(case_file.notes_tab)
    case_file.notes_tab.actions.add_note()
    dialog = case_file.notes_tab.actions.dialog
    dialog.body.setPlainText("Saw Morag at home; she")
    assert dialog.is_dirty
    return case_file, dialog


def test_the_lock_asks_nothing_and_leaves_no_form_on_screen(fx, runner, qtbot, questions):
    window = make_window(fx, runner, qtbot)
    case_file, dialog = _typing_in_a_note(fx, window)
    closed = []
    case_file.destroyed.connect(lambda: closed.append(True))
    window.lock()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: closed == [True], timeout=2000)
    # A question would wait on top of the lock: none was expected, none was asked.
    assert questions.asked == questions.unexpected == []


def test_closing_a_case_file_with_unsaved_typing_asks_first(fx, runner, qtbot, questions):
    window = make_window(fx, runner, qtbot)
    case_file, dialog = _typing_in_a_note(fx, window)
    questions.expect("Close the case file?", False)
    case_file.close()
    assert [(q.title, q.text) for q in questions.asked] == [(
        "Close the case file?",
        "What you typed in an open form of this case file is not saved and will be lost.")]
    assert case_file.isVisible() and dialog.isVisible()
    dialog.body.setPlainText("Saw Morag at home; she was well.")
    questions.expect("Close the case file?", True)
    case_file.close()
    assert not case_file.isVisible()
