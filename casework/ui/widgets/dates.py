"""Date fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


class OptionalDateEdit(QWidget):
    """A date that may be left empty, like a date picker with a check box: unticked, the
    date is greyed out and the value is None."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(self)
        self.check.setAccessibleName(self.tr("%1 recorded").replace("%1", name))
        self.check.setToolTip(self.tr("Tick to record a date"))
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd MMM yyyy")
        self.edit.setDateRange(QDate(1950, 1, 1), QDate(2100, 12, 31))
        self.edit.setAccessibleName(name)
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setDate(QDate(value) if value else QDate.currentDate())
