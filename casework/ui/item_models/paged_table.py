"""`PagedTableModel`: the one paging mechanism of the UI's tables. Rows come through the
TaskRunner a page at a time as the view scrolls; a subclass says what to fetch and what
each cell shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal

from casework.ui.item_models.record_table import Index, RecordTableModel
from casework.ui.tasks import Runner

PAGE_SIZE = 100


class PagedTableModel(RecordTableModel):
    """Rows fetched through the TaskRunner, `page_size` at a time, as the view scrolls.

    A fetch that is still on its way when the query changes is dropped on arrival (the
    generation counter), so a slow old answer never lands in a new list. What the cells
    show is said in `RecordTableModel`'s hooks."""

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
        self._ids: set[str] = set()
        self._total: int | None = None
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

    def replace(self, record: Any) -> None:
        """Show a record a service returned after a change, in place."""
        row = self.row_of(self.record_id(record))
        if row is None:
            return
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
