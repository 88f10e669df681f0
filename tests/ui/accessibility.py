"""The check the accessibility tests share: which controls a screen reader could not name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QPlainTextEdit)
# A table's corner button, a combo box's list, a spin box's line edit, a tab bar's scroll
# arrows: parts of a control named as a whole.
COMPOUND = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)


def part_of_compound(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    """Controls under `root` without an accessible name; those hidden on purpose (a
    banner's action until it is offered) are named when they are shown."""
    found = []
    for widget in root.findChildren(QWidget):
        if (not isinstance(widget, CONTROLS) or widget.isHidden()
                or part_of_compound(widget, root)):
            continue
        if not widget.accessibleName().strip():
            found.append(f"{type(widget).__name__} {widget.objectName()!r} "
                         f"{getattr(widget, 'text', lambda: '')()!r}")
    return found
