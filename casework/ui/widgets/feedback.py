"""Showing what a service refused: under the fields it names, or in the banner."""

from __future__ import annotations

from collections.abc import Callable

from casework.errors import CaseworkError, Conflict, ValidationError
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.form import FieldErrors


def show_failure(exc: BaseException, banner: MessageBanner, errors: FieldErrors | None = None,
                 on_reload: Callable[[], None] | None = None) -> None:
    """Show what a service refused: under the fields it names where the form has them,
    otherwise in the banner. A conflict offers to reload."""
    tr = banner.tr
    if isinstance(exc, ValidationError):
        banner.clear()
        others = errors.show(exc.problems) if errors is not None else [
            f"{field.replace('_', ' ').capitalize()}: {problem}"
            for field, problem in exc.problems.items()]
        if others:
            banner.show_message("\n".join(others), Tone.ERROR)
    elif isinstance(exc, Conflict) and on_reload is not None:
        banner.offer(str(exc), tr("&Reload"), on_reload)
    elif isinstance(exc, CaseworkError):
        banner.show_message(str(exc), Tone.ERROR)
    else:
        # A bug, not a refusal: say so, then let it surface.
        banner.show_message(tr("Something went wrong: %1").replace("%1", str(exc)), Tone.ERROR)
        raise exc
