"""Opening a case file from anywhere (a list, a new referral): read it through the service,
ask for a reason when need to know requires one, and show it in its window — or bring the
window forward when it is open already."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QWidget

from casework.errors import PermissionDenied
from casework import dto
from casework.ui.dialogs.access_reason import AccessReasonDialog
from casework.ui.page_context import PageContext

OUTSIDE_TEAM = "outside_team_needs_reason"

# Case id -> its open window. A window removes itself when it is destroyed.
_open_windows: dict[str, QWidget] = {}


def open_case(ctx: PageContext, case_id: str, parent: QWidget,
              on_error: Callable[[BaseException], None] | None = None, *,
              reason: str | None = None) -> None:
    existing = _open_windows.get(case_id)
    if existing is not None:
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return
    ctx.runner.run(partial(ctx.me.cases.summary, case_id, reason=reason),
                   on_done=partial(_show, ctx, parent),
                   on_error=partial(_refused, ctx, case_id, parent, on_error),
                   owner=parent)


def _show(ctx: PageContext, parent: QWidget, summary: dto.CaseSummary) -> None:
    from casework.ui.case_window.window import CaseWindow

    case_id = summary.case.id
    window = CaseWindow(ctx, summary, parent=parent.window())
    _open_windows[case_id] = window
    window.destroyed.connect(lambda *_: _open_windows.pop(case_id, None))
    window.show()
    window.raise_()
    window.activateWindow()


def _refused(ctx: PageContext, case_id: str, parent: QWidget,
             on_error: Callable[[BaseException], None] | None, exc: BaseException) -> None:
    if isinstance(exc, PermissionDenied) and exc.reason == OUTSIDE_TEAM:
        reason = AccessReasonDialog.ask(parent, str(exc))
        if reason:
            open_case(ctx, case_id, parent, on_error, reason=reason)
        return
    if on_error is None:
        raise exc
    on_error(exc)

