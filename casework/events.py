"""Plain domain events and a small bus. Services publish after commit; the UI's event bridge
re-emits them as Qt signals on the GUI thread. No Qt here."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Changed:
    """Records of `kind` ('case', 'staff', 'team', 'audit', ...) changed; `ids` says which."""

    kind: str
    ids: tuple[str, ...] = ()


Listener = Callable[[Changed], None]


class Bus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: Changed) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)
