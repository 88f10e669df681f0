"""A search box that filters a list as the person types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit

SEARCH_DELAY_MS = 300  # wait for a pause in typing before asking the database


def filter_as_typed(search: QLineEdit, apply: Callable[[], None]) -> QTimer:
    """Call `apply` when typing in `search` pauses, or at once on Enter; emptied with its
    clear button (no edit, so no pause to wait for), the box lists everything again.
    Returns the timer, for `apply` to stop when it runs early."""
    timer = QTimer(search)
    timer.setSingleShot(True)
    timer.setInterval(SEARCH_DELAY_MS)
    timer.timeout.connect(apply)
    search.textEdited.connect(lambda _text: timer.start())
    search.returnPressed.connect(apply)
    search.textChanged.connect(lambda text: None if text else timer.start())
    return timer
