"""A message strip above a page's content: what went wrong, or what just happened."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


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

    def clear(self) -> None:
        self.tone = None
        self._label.clear()
        self.setAccessibleName("")
        self.hide()
