"""`PagedTableModel`: the one paging mechanism of the UI's tables. Rows come through the
TaskRunner a page at a time as the view scrolls; a subclass says what to fetch and what
each cell shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from casework.ui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# A screen reader asks for the accessible text first: it is the display text.
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class PagedTableModel(QAbstractTableModel):
    """Rows fetched through the TaskRunner, `page_size` at a time, as the view scrolls.

    A fetch that is still on its way when the query changes is dropped on arrival (the
    generation counter), so a slow old answer never lands in a new list."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2

    loaded = Signal()  # the first page of the current query arrived
    page_loaded = Signal()  # a page arrived, the first one too
    loading_changed = Signal(bool)
    total_changed = Signal(int)  # with the first page, when the subclass counts
    failed = Signal(object)  # the exception a fetch raised

    def __init__(self, runner: Runner, query: Any, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._runner = runner
        self._query = query
        self._page_size = page_size
        self._rows: list[Any] = []
        self._ids: set[str] = set()
        self._total: int | None = None
        self._headers: tuple[str, ...] | None = None  # headers(), kept until the query changes
        self._exhausted = False
        self._loading = False
        self._generation = 0

    # -- what a subclass says ------------------------------------------------------------

    def headers(self) -> Sequence[str]:
        """The column titles; asked again only when the query changes."""
        raise NotImplementedError

    def fetch(self, query: Any, offset: int, limit: int) -> Sequence[Any]:
        """Runs on the worker thread: call services only."""
        raise NotImplementedError

    def count(self, query: Any) -> int | None:
        """Runs on the worker thread with the first page: how many records match in all
        (None: not counted)."""
        return None

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

    # -- loading -------------------------------------------------------------------------

    @property
    def query(self) -> Any:
        return self._query

    @property
    def total(self) -> int | None:
        """How many records match the query (None until the first page, or not counted)."""
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._loading

    def set_query(self, query: Any) -> None:
        """Show the records matching `query`, starting again from its first page."""
        self._generation += 1
        self.beginResetModel()
        # Inside the reset: a subclass's columns may depend on the query.
        self._query = query
        self._headers = None
        self._rows, self._ids, self._total = [], set(), None
        # Already loading while views hear of the reset: one that asks for more rows in
        # answer must not start a second first page.
        self._exhausted, self._loading = False, True
        self.endResetModel()
        self.loading_changed.emit(True)
        self._request()

    def reload(self) -> None:
        self.set_query(self._query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 (Qt API)
        if self.canFetchMore(parent):
            self._set_loading(True)
            self._request()

    def _request(self) -> None:
        generation, offset = self._generation, len(self._rows)
        self._runner.run(
            self._fetch_page, self._query, offset, self._page_size,
            on_done=lambda page: self._arrived(generation, offset, page),
            on_error=lambda exc: self._fetch_failed(generation, exc),
            owner=self,
        )

    def _fetch_page(self, query: Any, offset: int,
                    limit: int) -> tuple[Sequence[Any], int | None]:
        # The first page and the total in one trip to the worker, so that the two agree.
        return self.fetch(query, offset, limit), (self.count(query) if offset == 0 else None)

    def _arrived(self, generation: int, offset: int,
                 page: tuple[Sequence[Any], int | None]) -> None:
        if generation != self._generation:
            return
        rows, total = page
        if total is not None:
            self._total = total
            self.total_changed.emit(total)
        # Offset paging can repeat a row when one was added meanwhile; show it once.
        fresh = [r for r in rows if self.record_id(r) not in self._ids]
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh)
            self._ids.update(self.record_id(r) for r in fresh)
            self.endInsertRows()
        # Still "loading" while the rows go in, so that no view fetches during the insert.
        self._exhausted = len(rows) < self._page_size
        self._set_loading(False)
        if offset == 0:
            self.loaded.emit()
        self.page_loaded.emit()

    def _fetch_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        # Stop here rather than let the view ask again and again; reload() tries again.
        self._exhausted = True
        self._set_loading(False)
        self.failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- records -------------------------------------------------------------------------

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: str) -> int | None:
        for row, record in enumerate(self._rows):
            if self.record_id(record) == record_id:
                return row
        return None

    def replace(self, record: Any) -> None:
        """Show a record a service returned after a change, in place."""
        row = self.row_of(self.record_id(record))
        if row is None:
            return
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

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

