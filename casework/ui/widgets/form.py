"""Labelled form rows whose problems show under the field they name, and a form's Save and
Cancel buttons.

A service's `ValidationError.problems` maps field names to what is wrong; `FieldErrors`
puts each message under its field ("New password: must be at least 10 characters long"),
so that a person never has to guess which box a message is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #a4161a;"  # dark red: above 4.5:1 on the window background


@dataclass
class _Field:
    title: str
    widget: QWidget
    error: QLabel


def plain(label: str) -> str:
    """A label without its mnemonic marker and colon: 'New &password:' -> 'New password'."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(": ")


class FieldErrors:
    def __init__(self) -> None:
        self._fields: dict[str, _Field] = {}

    def add(self, key: str, title: str, widget: QWidget) -> QLabel:
        """Register `widget` under `key`; returns the (hidden) message label, for a caller
        that lays it out itself."""
        if not widget.accessibleName():
            widget.setAccessibleName(title)
        error = QLabel()
        error.setObjectName(f"{key}_error")
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        self._fields[key] = _Field(title, widget, error)
        return error

    def add_row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> QLabel:
        """Add `label` (with its mnemonic) and `widget` to `form`, with room for an error
        under the widget. Returns the label."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.add(key, plain(label), widget))
        form.addRow(caption, cell)
        return caption

    def __contains__(self, key: str) -> bool:
        return key in self._fields

    def set(self, key: str, problem: str) -> None:
        """Show `problem` under one field ('' hides its message); the others stay as they
        are, for checks that run as the person types."""
        field = self._fields[key]
        message = f"{field.title}: {problem}" if problem else ""
        field.error.setText(message)
        field.error.setVisible(bool(message))
        # A screen reader says the problem when the field gets the focus.
        field.widget.setAccessibleDescription(message)

    def show(self, problems: dict[str, str], *, focus: bool = True) -> list[str]:
        """Show each problem under its field and, with `focus` (which suits a refused save),
        focus the first such field; while someone types, the focus stays where they are.
        Returns the messages for problems that name no field of this form (for a banner)."""
        self.clear()
        others: list[str] = []
        first: QWidget | None = None
        for key, problem in problems.items():
            field = self._fields.get(key)
            if field is None:
                others.append(f"{key.replace('_', ' ').capitalize()}: {problem}")
                continue
            message = f"{field.title}: {problem}"
            field.error.setText(message)
            field.error.show()
            field.widget.setAccessibleDescription(message)
            first = first or field.widget
        if focus and first is not None:
            first.setFocus()
        return others

    def message(self, key: str) -> str:
        """The message shown under a field ('' when none)."""
        field = self._fields[key]
        return field.error.text() if not field.error.isHidden() else ""

    def clear(self) -> None:
        for field in self._fields.values():
            field.error.clear()
            field.error.hide()
            field.widget.setAccessibleDescription("")


def save_cancel(dialog: QDialog,
                save_text: str | None = None) -> tuple[QDialogButtonBox, QPushButton]:
    """Save (or `save_text`) and Cancel, wired to `dialog.save` and `reject`."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    if save_text is None:
        save = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        save.setAccessibleName(dialog.tr("Save"))
    else:
        save = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        save.setAccessibleName(save_text.replace("&", ""))
    save.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(dialog.tr("Cancel"))
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons, save
