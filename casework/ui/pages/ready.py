"""`ReadyPage`: a page that says when its first data has arrived, for the window (start-up
waits for the first page's)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class ReadyPage(QWidget):
    """`ready` is emitted once, when the first read arrives or fails; `load_error` then says
    why it failed (None when it worked)."""

    ready = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.is_ready = False
        self.load_error: str | None = None

    def _become_ready(self, error: str | None) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.load_error = error
            self.ready.emit()
