"""The read-only table the pages list records in, and the buttons that act on them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)


def make_table(model: QAbstractItemModel, name: str, parent: QWidget,
               stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting table that the keyboard can drive (Enter activates).
    Column `stretch` (default: the last) takes the width left over."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    return view


def fitted_table(model: QAbstractItemModel, name: str, parent: QWidget,
                 *stretch: int) -> QTableView:
    """A table whose `stretch` columns (the long text) share the width the others, sized
    to what they show, leave: the short lists fit without scrolling sideways."""
    view = make_table(model, name, parent)
    view.setMinimumHeight(90)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                    if column in stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return view


def button(text: str, parent: QWidget) -> QPushButton:
    """A push button whose accessible name is its text without the mnemonic or ellipsis."""
    b = QPushButton(text, parent)
    b.setAccessibleName(text.replace("&", "").rstrip("…"))
    return b


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """The buttons under a table, from the left."""
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row
