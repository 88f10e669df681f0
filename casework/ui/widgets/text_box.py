"""Text of a few lines, made the same way everywhere."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def text_box(parent: QWidget, placeholder: str = "", *, name: str = "",
             height: int | None = None, min_height: int | None = None,
             max_height: int | None = None) -> QPlainTextEdit:
    """A box for a few lines. Tab moves on from it, as everywhere else: no keyboard trap.
    `height` fixes its height; `min_height` and `max_height` bound it instead."""
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    if name:
        edit.setAccessibleName(name)
    if height is not None:
        edit.setFixedHeight(height)
    if min_height is not None:
        edit.setMinimumHeight(min_height)
    if max_height is not None:
        edit.setMaximumHeight(max_height)
    return edit


def too_long(text: str, limit: int) -> str | None:
    """What the form says of text over its field's limit (a `casework.fields` constant, the
    one the service holds), or None."""
    if len(text) <= limit:
        return None
    return QCoreApplication.translate("Form", "must be at most {n} characters").format(
        n=f"{limit:,}")
