"""`RowsTableModel`: a table over a short list of DTOs that a service returns whole (one
case's assessments, a plan's outcomes or reviews). Same hooks and roles as
`PagedTableModel`, without paging: `set_rows()` shows the list a service handed back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

Index = QModelIndex | QPersistentModelIndex

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class RowsTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Any] = []
        self._headers: tuple[str, ...] | None = None

    # -- what a subclass says ------------------------------------------------------------

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def cell(self, record: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, record: Any, column: int) -> str | None:
        return None

    def foreground(self, record: Any, column: int) -> QColor | None:
        return None

    def bold(self, record: Any, column: int) -> bool:
        return False

    def right_aligned(self, column: int) -> bool:
        return False

    def record_id(self, record: Any) -> str:
        return record.id

    # -- rows ----------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show these rows. When the same records come back (a reload after a change), only
        their cells are refreshed, so a view keeps its selection and scroll position."""
        rows = list(rows)
        same = [self.record_id(r) for r in rows] == [self.record_id(r) for r in self._rows]
        if same and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> tuple[Any, ...]:
        return tuple(self._rows)

    def row_of(self, record_id: str) -> int | None:
        for row, record in enumerate(self._rows):
            if self.record_id(record) == record_id:
                return row
        return None

    def refresh_cells(self) -> None:
        """Say again what every cell shows (the words depend on today, say)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, self.columnCount() - 1))

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._header_texts())

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role in _TEXT_ROLES
                and 0 <= section < self.columnCount()):
            return self._header_texts()[section]
        return None

    def _header_texts(self) -> tuple[str, ...]:
        if self._headers is None:
            self._headers = tuple(self.headers())
        return self._headers

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], index.column()
        if role in _TEXT_ROLES:
            return self.cell(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self.foreground(record, column)
            return None if colour is None else QBrush(colour)
        if role == Qt.ItemDataRole.FontRole and self.bold(record, column):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and self.right_aligned(column):
            return _RIGHT
        if role == self.IdRole:
            return self.record_id(record)
        if role == self.RecordRole:
            return record
        return None

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802 (Qt API)
        return super().roleNames() | {self.IdRole: b"id", self.RecordRole: b"record"}
