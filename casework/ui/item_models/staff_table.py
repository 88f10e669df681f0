"""Staff for the administrator's table, a page of 100 at a time, filtered in SQL.

`PagedTableModel` is the paging base the admin tables share (the audit trail, and the short
lists of teams, backups and reserved functions, which arrive as one page)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from casework.permissions import Accreditation, RegisterPart
from casework.services import Me
from casework.services.dto import StaffInfo, StaffQuery
from casework.timeutil import as_utc, london_today, show_date, show_datetime, show_time, utcnow
from casework.ui import labels
from casework.ui.tasks import Runner

Index = QModelIndex | QPersistentModelIndex
LAPSED_COLOUR = QColor("#a4161a")  # a supplement only: the word "lapsed" is in the text


class PagedTableModel(QAbstractTableModel):
    """Rows fetched through the TaskRunner, `PAGE_SIZE` at a time, as the view scrolls.

    A fetch that is still on its way when the query changes is dropped on arrival (the
    generation counter), so a slow old answer never lands in a new list."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2
    PAGE_SIZE: ClassVar[int] = 100

    loaded = Signal()  # a page arrived
    failed = Signal(object)  # the exception a fetch raised

    def __init__(self, runner: Runner, query: Any, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._query = query
        self._rows: list[Any] = []
        self._ids: set[str] = set()
        self._exhausted = False
        self._loading = False
        self._generation = 0

    # -- what a subclass says ------------------------------------------------------------

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def fetch(self, query: Any, offset: int, limit: int) -> Sequence[Any]:
        """Runs on the worker thread: call services only."""
        raise NotImplementedError

    def cell(self, record: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, record: Any, column: int) -> str | None:
        return None

    def foreground(self, record: Any, column: int) -> QColor | None:
        return None

    def record_id(self, record: Any) -> str:
        return record.id

    # -- loading -------------------------------------------------------------------------

    @property
    def query(self) -> Any:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, query: Any) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows, self._ids = [], set()
        # Already "loading": views (and the model tester) that react to the reset must not
        # fetch the first page a second time.
        self._exhausted, self._loading = False, True
        self.endResetModel()
        self._request()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 (Qt API)
        if self.canFetchMore(parent):
            self._request()

    def _request(self) -> None:
        self._loading = True
        generation = self._generation
        self._runner.run(
            self.fetch, self._query, len(self._rows), self.PAGE_SIZE,
            on_done=lambda rows: self._arrived(generation, rows),
            on_error=lambda exc: self._fetch_failed(generation, exc),
            owner=self,
        )

    def _arrived(self, generation: int, rows: Sequence[Any]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < self.PAGE_SIZE
        # Offset paging can repeat a row when one was added meanwhile; show it once.
        fresh = [r for r in rows if self.record_id(r) not in self._ids]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self._ids.update(self.record_id(r) for r in fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _fetch_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        # Stop here rather than let the view ask again and again; reload() tries again.
        self._loading, self._exhausted = False, True
        self.failed.emit(exc)

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
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < self.columnCount()):
            return self.headers()[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(record, column)
        if role == self.IdRole:
            return self.record_id(record)
        if role == self.RecordRole:
            return record
        return None

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802 (Qt API)
        return super().roleNames() | {self.IdRole: b"id", self.RecordRole: b"record"}


class StaffColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLE = 2
    TEAM = 3
    FTE = 4
    REGISTRATION = 5
    QUALIFIED = 6
    ACCREDITATIONS = 7
    STATUS = 8


class StaffTableModel(PagedTableModel):
    StaffRole = PagedTableModel.RecordRole

    def __init__(self, me: Me, runner: Runner, query: StaffQuery | None = None,
                 parent: QObject | None = None):
        super().__init__(runner, query or StaffQuery(), parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("Name"), self.tr("Username"), self.tr("Role"), self.tr("Team"),
                self.tr("FTE"), self.tr("SSSC registration"), self.tr("Qualified"),
                self.tr("Accreditations"), self.tr("Status"))

    def fetch(self, query: StaffQuery, offset: int, limit: int) -> Sequence[StaffInfo]:
        return self._me.admin.staff_page(query, offset, limit).rows

    def cell(self, s: StaffInfo, column: int) -> str:
        match StaffColumn(column):
            case StaffColumn.NAME:
                return s.display_name
            case StaffColumn.USERNAME:
                return s.username
            case StaffColumn.ROLE:
                return labels.role(s.role)
            case StaffColumn.TEAM:
                return s.team_name or ""
            case StaffColumn.FTE:
                return f"{s.fte_percent}%"
            case StaffColumn.REGISTRATION:
                return self._registration(s)
            case StaffColumn.QUALIFIED:
                return show_date(s.qualified_on)
            case StaffColumn.ACCREDITATIONS:
                return ", ".join(labels.vocab(Accreditation, a) for a in s.accreditations)
            case StaffColumn.STATUS:
                return self._status(s)

    def tooltip(self, s: StaffInfo, column: int) -> str | None:
        if column == StaffColumn.REGISTRATION and s.sssc_part:
            part = labels.vocab(RegisterPart, s.sssc_part)
            return self.tr("%1 part of the SSSC register").replace("%1", part)
        if column == StaffColumn.STATUS and s.last_login_at:
            return self.tr("Last signed in %1").replace("%1", show_datetime(s.last_login_at))
        return None

    def foreground(self, s: StaffInfo, column: int) -> QColor | None:
        if column == StaffColumn.REGISTRATION and _lapsed(s):
            return LAPSED_COLOUR
        return None

    def _registration(self, s: StaffInfo) -> str:
        if not s.sssc_number:
            return self.tr("Not registered")
        if s.sssc_expiry is None:
            return s.sssc_number
        text = self.tr("%1, lapsed %2") if _lapsed(s) else self.tr("%1, expires %2")
        return text.replace("%1", s.sssc_number).replace("%2", show_date(s.sssc_expiry))

    def _status(self, s: StaffInfo) -> str:
        if not s.active:
            return self.tr("Deactivated")
        if s.locked_until is not None and as_utc(s.locked_until) > utcnow():
            # A lock lasts minutes: the time is enough.
            return self.tr("Locked until %1").replace("%1", show_time(s.locked_until))
        if s.must_change_password:
            return self.tr("Active (temporary password)")
        return self.tr("Active")


def _lapsed(s: StaffInfo) -> bool:
    return s.sssc_expiry is not None and s.sssc_expiry < london_today()
