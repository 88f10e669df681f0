"""`TablePage`: a page that lists records in one table, with filters above it, a banner for
what happened and buttons that act on the selected record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from casework.events import Changed
from casework.services import Me
from casework.ui.event_bridge import EventBridge
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.search import SEARCH_DELAY_MS


class TablePage(QWidget):
    """Loading, filtering, showing a refusal, fitting the columns, selecting a record again
    after a reload and opening a dialog on one, for a page around one `PagedTableModel`.

    A subclass builds `model`, `table` and `banner` into its own layout, then calls
    `_start()`. It overrides `query` when it has filters, and `_update_buttons` when
    buttons depend on the selection."""

    # A paged list is sized once, from its first rows, so that later pages do not make the
    # columns jump; a short list that arrives as one page is fitted at every load.
    fit_columns_once: ClassVar[bool] = False
    # Kinds of change (casework.events.Changed.kind) that make this list stale; None: any.
    watches: ClassVar[frozenset[str] | None] = frozenset()

    model: PagedTableModel
    table: QTableView
    banner: MessageBanner

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner = me, runner
        self._select_after_load: str | None = None
        self._sized = False
        self._stale = False
        self.dialog: QDialog | None = None  # while one is open
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)

    def _start(self) -> None:
        """Listen to the model and the table, then load."""
        self.model.page_loaded.connect(self._loaded)
        self.model.failed.connect(self._refused)
        self.model.modelReset.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    # -- keeping up with changes made elsewhere in the app --------------------------------

    def follow(self, events: EventBridge) -> None:
        """Reload when a change this list shows is made elsewhere: at once while the page is
        on screen (keeping the selection), else when it is next shown."""
        events.changed.connect(self._on_changed)

    def _on_changed(self, event: Changed) -> None:
        if self.watches is not None and event.kind not in self.watches:
            return
        if self.isVisible():
            self._reload_keeping_selection()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._reload_keeping_selection()

    def _reload_keeping_selection(self) -> None:
        record = self.selected()
        if record is None:
            self.model.reload()
        else:
            self._reload_selecting(self.model.record_id(record))

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.model.reload()

    def _refused(self, exc: BaseException) -> None:
        show_failure(exc, self.banner, on_reload=self.refresh)

    def _reload_selecting(self, record_id: str) -> None:
        """Load again (a new or renamed record may move) and select `record_id`."""
        self._select_after_load = record_id
        self.model.reload()

    def _loaded(self) -> None:
        if not self.fit_columns_once:
            self.table.resizeColumnsToContents()
        elif not self._sized and self.model.rowCount():
            self._sized = True
            self.table.resizeColumnsToContents()
        if self._select_after_load:
            row = self.model.row_of(self._select_after_load)
            if row is not None:
                self._select_after_load = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            elif self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())  # further down the list
            else:
                self._select_after_load = None
        self._update_buttons()

    # -- filtering -----------------------------------------------------------------------

    def query(self) -> Any:
        """What the filters ask for."""
        return self.model.query

    def apply_filter(self) -> None:
        self._search_timer.stop()
        if self.query() != self.model.query:
            self.model.set_query(self.query())

    def _search_box(self, placeholder: str, name: str) -> QLineEdit:
        """A search box that filters when typing pauses, or at once on Enter."""
        search = QLineEdit(self)
        search.setPlaceholderText(placeholder)
        search.setAccessibleName(name)
        search.setClearButtonEnabled(True)
        search.textChanged.connect(self._search_timer.start)
        search.returnPressed.connect(self.apply_filter)
        return search

    def _filter_bar(self, filters: Sequence[tuple[str, QWidget]],
                    wide: QWidget) -> QHBoxLayout:
        """Each filter after its label (whose mnemonic focuses it); `wide` takes the room."""
        bar = QHBoxLayout()
        for text, widget in filters:
            label = QLabel(text, self)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget, 2 if widget is wide else 0)
        return bar

    # -- acting on the selected record ---------------------------------------------------

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        """Enable the buttons that apply to the selected record (none by default)."""

    def _open(self, dialog: QDialog, on_saved: Callable[..., None]) -> None:
        """Open `dialog` without blocking; `on_saved` hears its `saved` signal."""
        self.banner.clear()
        dialog.saved.connect(on_saved)  # type: ignore[attr-defined]
        open_dialog(dialog, self)
