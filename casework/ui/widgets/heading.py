"""Headings: a label in bold, larger than the text around it."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


def heading(parent: QWidget, text: str = "", *, scale: float = 1.3) -> QLabel:
    """A bold label `scale` times the size of the text around it."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label
