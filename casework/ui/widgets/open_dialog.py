"""Opening a dialog over a window without waiting for it."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)


def open_dialog(dialog: D, owner: QObject | None = None) -> D:
    """Open `dialog` (the code goes on; the window under it waits), to be deleted once it
    closes. With `owner`, the dialog is `owner.dialog` while it is open."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if owner is not None:
        dialog.finished.connect(lambda _result: setattr(owner, "dialog", None))
        setattr(owner, "dialog", dialog)
    dialog.open()
    return dialog
