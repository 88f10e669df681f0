"""Question boxes in UI tests: none is expected unless the test says so.

The `questions` fixture is autouse for every UI test (tests/ui/conftest.py imports it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QMessageBox

from casework.ui.widgets.confirm import Confirm


@dataclass(frozen=True)
class Question:
    title: str
    text: str
    verb: str


class Questions:
    """Stands in for every question box in a UI test. A box on the offscreen platform
    waits for a click nobody gives, so the run would hang; and answering every question
    yes would let a question nobody meant to ask pass unseen. So no question is expected
    unless the test says so: `questions.expect(title, answer)` expects the question with
    that title, from then on and as often as it comes, and answers it (say it again to
    change the answer); `asked` lists the expected questions asked, in order.

    Any other question fails the test with its words when the test ends. It is answered
    yes meanwhile, not raised where it is asked: it is often asked from a window's
    closeEvent as the test's windows close, where an exception is lost to Qt and breaks
    pytest-qt's teardown; answered yes, the windows close as before."""

    def __init__(self) -> None:
        self.asked: list[Question] = []
        self.unexpected: list[Question] = []
        self._answers: dict[str, bool] = {}

    def expect(self, title: str, answer: bool = True) -> None:
        self._answers[title] = answer

    @property
    def titles(self) -> list[str]:
        return [q.title for q in self.asked]

    def ask(self, parent, title: str, text: str, verb: str) -> bool:
        question = Question(title, text, verb)
        if title not in self._answers:
            self.unexpected.append(question)
            return True
        self.asked.append(question)
        return self._answers[title]

    def box(self, box: QMessageBox) -> int:
        """A message box shown modally outside Confirm, never expected: as if closed."""
        self.unexpected.append(Question(box.windowTitle(), box.text(), ""))
        return int(QMessageBox.DialogCode.Rejected)


@pytest.fixture(autouse=True)
def questions(monkeypatch) -> Questions:
    """Every question a test's windows ask goes here (see Questions). Set up before
    `qtbot`, so that it outlasts qtbot's closing of the windows at the test's end."""
    asked = Questions()
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *args: asked.ask(*args)))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.box(box))
    yield asked
    if asked.unexpected:
        pytest.fail("asked without the test expecting it: " + "; ".join(
            f"{q.title!r} ({q.text})" for q in asked.unexpected), pytrace=False)
