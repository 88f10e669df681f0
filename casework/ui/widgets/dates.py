"""Date fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

EARLIEST = date(1950, 1, 1)
LATEST = date(2100, 12, 31)


def date_edit(parent: QWidget, name: str = "", value: date | None = None, *,
              earliest: date | None = None, latest: date | None = None) -> QDateEdit:
    """A date typed or picked from a calendar, shown as "14 Mar 2025", between `earliest`
    and `latest` (by default 1950 to 2100)."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setDateRange(QDate(earliest or EARLIEST), QDate(latest or LATEST))
    if value is not None:
        edit.setDate(QDate(value))
    if name:
        edit.setAccessibleName(name)
    return edit


class OptionalDateEdit(QWidget):
    """A date that may be left empty, like a date picker with a check box: unticked, the
    date is greyed out and the value is None."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(self)
        self.check.setAccessibleName(self.tr("%1 recorded").replace("%1", name))
        self.check.setToolTip(self.tr("Tick to record a date"))
        self.edit = date_edit(self, name, QDate.currentDate().toPython())
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
