"""`RowsTableModel`: a table over a short list of DTOs that a service returns whole (one
case's assessments, a plan's outcomes or reviews). Same hooks and roles as
`PagedTableModel` (both are `RecordTableModel`s), without paging: `set_rows()` shows the
list a service handed back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casework.ui.item_models.record_table import RecordTableModel


class RowsTableModel(RecordTableModel):
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

    def records(self) -> tuple[Any, ...]:
        return tuple(self._rows)

    def refresh_cells(self) -> None:
        """Say again what every cell shows (the words depend on today, say)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, self.columnCount() - 1))
