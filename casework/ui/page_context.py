"""What a page (and a dialog a page opens) needs from its surroundings: the workspace, the
signed-in person's services, the task runner, the event bridge, what to do after a restore,
and how to open a case file.

The main window builds it. It lives apart from the pages and from the case window, so that
a page opens a case without importing the case window, and the case window is handed the
same context without importing the pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from casework.services import Me, Workspace
    from casework.ui.event_bridge import EventBridge
    from casework.ui.tasks import Runner

OnError = Callable[[BaseException], None]


class CaseOpener(Protocol):
    """Opens a case file in its window, or brings the window forward when it is open
    (casework.ui.case_window.opener.open_case in the app)."""

    def __call__(self, ctx: PageContext, case_id: str, parent: QWidget,
                 on_error: OnError | None = None, *, reason: str | None = None) -> None: ...


@dataclass(frozen=True)
class PageContext:
    workspace: Workspace
    me: Me
    runner: Runner
    events: EventBridge
    # After a restore the old workspace is closed: the window hands over the new one and
    # everyone signs in again.
    workspace_restored: Callable[[Workspace], None]
    case_opener: CaseOpener

    def open_case(self, case_id: str, parent: QWidget, on_error: OnError | None = None, *,
                  reason: str | None = None) -> None:
        """Show the case in its window; `reason` is the one stated for a case outside the
        reader's team. A refusal goes to `on_error` (raised when there is none)."""
        self.case_opener(self, case_id, parent, on_error, reason=reason)
