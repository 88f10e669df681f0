"""`CaseTab`: what every tab of a case window that reads its own part of the case does to
stay current.

A tab reads its part when it is first shown, not when the window opens (a worker may never
look at it). Afterwards a service's change event about this case, of a kind the tab shows,
reads it again: at once while the tab is in view, several changes in a row giving one read;
or the next time it is shown. The window calls `summary_changed()` whenever it read the case
again (it may have closed, or moved team), so that the tab offers what the reader may do.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from casework.events import Changed
from casework.ui.case_window.context import CaseContext
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.feedback import show_failure


class CaseTab(QWidget):
    """A subclass names the change kinds it shows in `WATCHES`, builds its widgets (a
    `banner` among them), reads its part in `_load()`, and says in `_update_buttons()` what
    the reader may do now. `refresh()` reads again at any time."""

    # Kinds of `casework.events.Changed` about this case that alter what the tab shows.
    WATCHES: frozenset[str] = frozenset()
    banner: MessageBanner  # where a failed read is said


    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.is_loaded = False  # the first read arrived, or failed
        self._stale = True  # read when next shown
        self._reload_pending = False
        ctx.events.changed.connect(self._on_changed)

    # -- what a subclass says ---------------------------------------------------------------

    def _load(self) -> None:
        """Ask the service for the tab's part of the case."""
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _shown_again(self) -> None:
        """Shown with nothing new to read."""

    # -- reading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.refresh()
        else:
            self._shown_again()

    def refresh(self) -> None:
        self._stale = False
        self._reload_pending = False
        self._load()

    def _refresh_soon(self) -> None:
        """Read again once the changes made in a row are all in: one read for them all."""
        if not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self, self.refresh)

    def _failed(self, exc: BaseException) -> None:
        show_failure(exc, self.banner)
        self.is_loaded = True

    def _on_changed(self, event: Changed) -> None:
        if event.kind not in self.WATCHES or not self.ctx.concerns_this_case(event):
            return
        if not self.isVisible():
            self._stale = True
        else:
            self._refresh_soon()

    def summary_changed(self) -> None:
        """The window read the case again: it may have closed or moved team."""
        self._update_buttons()
