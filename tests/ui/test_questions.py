"""A question nobody expected fails the test with its words, and never hangs the run:
neither when asked during the test nor when asked as the test's windows close."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

INNER = '''
from PySide6.QtWidgets import QMessageBox, QWidget

from casework.ui.widgets.confirm import Confirm


OPEN = []  # the windows a test leaves open, as the app's own registry of them would


class AsksOnClosing(QWidget):
    """As a case window does when typing is left unsaved in one of its forms."""

    def closeEvent(self, event):
        if Confirm.ask(self, "Close the case file?", "What you typed is not saved.",
                       "Close without saving"):
            event.accept()
        else:
            event.ignore()


def test_expected_and_answered(questions, qtbot):
    questions.expect("Remove Dr Abernethy?", False)
    assert Confirm.ask(None, "Remove Dr Abernethy?", "No longer listed.", "Remove") is False
    questions.expect("Remove Dr Abernethy?", True)
    assert Confirm.ask(None, "Remove Dr Abernethy?", "No longer listed.", "Remove") is True
    assert questions.titles == ["Remove Dr Abernethy?"] * 2


def test_asked_unexpectedly(qtbot):
    Confirm.ask(None, "End this outcome?", "Later reviews will no longer rate it.", "End")


def test_asked_as_the_windows_close(qtbot):
    window = AsksOnClosing()
    OPEN.append(window)
    qtbot.addWidget(window)
    window.show()


def test_a_box_of_its_own(qtbot):
    box = QMessageBox(QMessageBox.Icon.Warning, "Restore?", "The workspace will be replaced.")
    box.exec()


def test_the_next_test_runs_as_usual(questions, qtbot):
    assert not OPEN[0].isVisible()  # answered, the window closed: nothing waits
    window = AsksOnClosing()
    OPEN.append(window)
    qtbot.addWidget(window)
    window.show()
    questions.expect("Close the case file?")
'''


def test_an_unexpected_question_fails_the_test_with_its_words(pytester, monkeypatch):
    root = HERE.parents[1]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), str(HERE)]))
    pytester.makeconftest("from questions import questions  # noqa: F401\n")
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly",
                                           timeout=120)
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("errors")) == (5, 3), result.stdout.str()
    errors = [line for line in result.stdout.lines if line.startswith("ERROR ")]
    assert [e.split("::")[1].split(" ")[0] for e in errors] == [
        "test_asked_unexpectedly", "test_asked_as_the_windows_close", "test_a_box_of_its_own"]
    out = result.stdout.str()
    assert "'End this outcome?' (Later reviews will no longer rate it.)" in out
    assert "'Close the case file?' (What you typed is not saved.)" in out
    assert "'Restore?' (The workspace will be replaced.)" in out
