"""A message strip above a page's content: what went wrong, or what just happened, with
at most one thing to do about it (such as reloading after a conflict)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)


class Tone(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


# Background, border and text colours with a contrast above 4.5:1 (WCAG AA).
_STYLES = {
    Tone.INFO: ("#e8f0fb", "#6d8fc7", "#173a6b"),
    Tone.SUCCESS: ("#e7f4ea", "#5f9e6e", "#1d4d2a"),
    Tone.WARNING: ("#fff4e0", "#c98a1b", "#5c3b00"),
    Tone.ERROR: ("#fdecea", "#c0463b", "#7a1a12"),
}


class MessageBanner(QFrame):
    """Hidden until it has something to say. The words carry the meaning; the colour only
    repeats it."""

    def __init__(self, parent: QWidget | None = None, *, closable: bool = True):
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        self._close = QToolButton(self)
        self._close.setText(self.tr("Dismiss"))
        self._close.setAccessibleName(self.tr("Dismiss message"))
        self._close.setAutoRaise(True)
        self._close.clicked.connect(self.clear)
        self._close.setVisible(closable)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        # Shown before "Dismiss" but made after it, so Tab reaches "Dismiss" first.
        self.action = QPushButton(self)
        self.action.hide()
        self.action.clicked.connect(self._act)
        layout.insertWidget(layout.count() - 1, self.action)
        self._on_action: Callable[[], None] | None = None
        self.tone: Tone | None = None
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    def show_message(self, text: str, tone: Tone = Tone.INFO) -> None:
        self.tone = tone
        background, border, colour = _STYLES[tone]
        self.setStyleSheet(
            f"#messageBanner {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} #messageBanner QLabel {{ color: {colour}; }}"
        )
        self._label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def offer(self, text: str, action: str, on_action: Callable[[], None],
              tone: Tone = Tone.WARNING) -> None:
        """Show `text` with a button labelled `action` that calls `on_action` (once)."""
        self.show_message(text, tone)
        self._on_action = on_action
        self.action.setText(action)
        self.action.setAccessibleName(action.replace("&", ""))
        self.action.show()

    def clear(self) -> None:
        self.tone = None
        self._label.clear()
        self.setAccessibleName("")
        self._on_action = None
        self.action.hide()
        self.hide()

    def _act(self) -> None:
        on_action = self._on_action
        self.clear()
        if on_action is not None:
            on_action()
