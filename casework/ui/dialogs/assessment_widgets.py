"""What the assessment dialogs share: the drafted sections in the order a worker writes
them, and text boxes and labels that read well."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

# The drafted sections, in the order a worker writes them.
SECTIONS = ("strengths", "needs", "risks", "outcomes_wanted", "analysis")

# Placeholder text dark enough to read (about 5.7:1 on white), still lighter than typing.
PLACEHOLDER_COLOUR = QColor("#666666")


class SectionEdit(QPlainTextEdit):
    """A section of the assessment. It asks for little height, so that five of them fit
    the window and share what is left; a message under one never pushes the rest into a
    scroll of full-height boxes."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 90)


def text_edit(parent: QWidget, placeholder: str = "", *,
               section: bool = False) -> QPlainTextEdit:
    edit = SectionEdit(parent) if section else QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)  # Tab moves on, as everywhere else: no keyboard trap
    edit.setPlaceholderText(placeholder)
    palette = edit.palette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, PLACEHOLDER_COLOUR)
    edit.setPalette(palette)
    return edit


def fit_height(dialog: QDialog) -> None:
    """Rows and messages come and go: the dialog's height follows them rather than squeeze
    a box until its text is clipped."""
    dialog.layout().activate()
    dialog.resize(dialog.width(), dialog.sizeHint().height())


def wrapping_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
