"""`RecordTableModel`: a read-only table with one record (a DTO) a row, and what its cells,
headers and roles show. The two ways rows arrive build on it: `RowsTableModel` (a short
list a service returns whole) and `PagedTableModel` (a page at a time, as the view
scrolls); a table says what it shows once, in the hooks below, whichever it is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

Index = QModelIndex | QPersistentModelIndex

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# A screen reader asks for the accessible text first: it is the display text.
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
# Text in one table cell: enough to recognise it; the whole of it is in the tooltip.
CELL_CHARS = 300


def one_line(text: str | None, limit: int = CELL_CHARS) -> str:
    """A long text for one cell: on one line, cut at `limit` characters."""
    words = " ".join((text or "").split())
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


class RecordTableModel(QAbstractTableModel):
    """The rows are `self._rows`, filled by the subclass that says how they arrive."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[Any] = []
        self._headers: tuple[str, ...] | None = None  # headers(), until told to ask again

    # -- what a subclass says ------------------------------------------------------------

    def headers(self) -> Sequence[str]:
        """The column titles."""
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
        """Numbers line up on the right."""
        return False

    def record_id(self, record: Any) -> str:
        return record.id

    # -- records -------------------------------------------------------------------------

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: str) -> int | None:
        for row, record in enumerate(self._rows):
            if self.record_id(record) == record_id:
                return row
        return None

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
        # Views ask for the column count on every index(): build the headers once.
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
