"""The one place where the services' plain events become Qt signals.

Services publish `casework.events.Changed` after they commit, on whatever thread ran them
(usually the TaskRunner's worker). The bridge re-emits each event on the GUI thread, so that
a page can refresh itself with an ordinary slot.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from casework.events import Bus, Changed


class EventBridge(QObject):
    changed = Signal(object)  # a casework.events.Changed, on the GUI thread

    _relay = Signal(object)

    def __init__(self, bus: Bus, parent: QObject | None = None):
        super().__init__(parent)
        # Queued even when published on the GUI thread: a listener then runs after the
        # service call that published has returned, never inside it.
        self._relay.connect(self._emit, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._on_event)
        unsubscribe = self._unsubscribe
        # Holds no reference to self: the bus must not call a deleted object.
        self.destroyed.connect(lambda *_: unsubscribe())

    def detach(self) -> None:
        """Stop listening (when the workspace closes or the person signs out)."""
        self._unsubscribe()

    def _on_event(self, event: Changed) -> None:  # any thread
        self._relay.emit(event)

    @Slot(object)
    def _emit(self, event: Changed) -> None:
        self.changed.emit(event)
