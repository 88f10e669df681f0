"""Caseload rows for a table view, fetched a page at a time from `me.cases`.

Filtering and sorting happen in SQL: `set_query()` and `sort()` start again from the first
page with a new `CaseQuery`; scrolling down asks for the next page through `fetchMore()`.
Every fetch goes through the TaskRunner, and an answer to an older query is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from casework.events import Changed
from casework.services import dto
from casework.timeutil import london_today, show_date
from casework.ui import labels
from casework.ui.tasks import Runner
from casework.vocab import CaseStatus, EligibilityBand, RiskLevel, ServiceArea

CaseRole = Qt.ItemDataRole.UserRole + 1  # the dto.CaseRow of the row
IdRole = Qt.ItemDataRole.UserRole + 2  # the case id

PAGE_SIZE = 100
# Dark enough to read on white and on the alternate row colour (contrast above 4.5:1).
WARNING_COLOUR = QColor("#a33a00")
# Kinds of change that can alter which cases a caseload lists, or what a row shows.
_CASE_KINDS = frozenset({"case", "person", "allocation", "team"})

_Index = QModelIndex | QPersistentModelIndex


class CaseLister(Protocol):
    """What the model needs of `me.cases`."""

    def page(self, query: dto.CaseQuery, offset: int = 0, limit: int = 100) -> dto.Page[dto.CaseRow]: ...
    def count(self, query: dto.CaseQuery) -> int: ...


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # English; translated in headerData
    sort: dto.CaseSort


_CONTEXT = "CaseTableModel"
PERSON = Column("person", QT_TRANSLATE_NOOP(_CONTEXT, "Person"), dto.CaseSort.PERSON)
REFERENCE = Column("reference", QT_TRANSLATE_NOOP(_CONTEXT, "Reference"), dto.CaseSort.REFERENCE)
SERVICE_AREA = Column("service_area", QT_TRANSLATE_NOOP(_CONTEXT, "Service area"),
                      dto.CaseSort.SERVICE_AREA)
STATUS = Column("status", QT_TRANSLATE_NOOP(_CONTEXT, "Status"), dto.CaseSort.STATUS)
RISK = Column("risk", QT_TRANSLATE_NOOP(_CONTEXT, "Risk"), dto.CaseSort.RISK)
BAND = Column("band", QT_TRANSLATE_NOOP(_CONTEXT, "Eligibility band"), dto.CaseSort.BAND)
NEXT_REVIEW = Column("next_review", QT_TRANSLATE_NOOP(_CONTEXT, "Next review"),
                     dto.CaseSort.NEXT_REVIEW)
NAMED_WORKER = Column("named_worker", QT_TRANSLATE_NOOP(_CONTEXT, "Named worker"),
                      dto.CaseSort.NAMED_WORKER)
WAITING = Column("waiting", QT_TRANSLATE_NOOP(_CONTEXT, "Waiting"), dto.CaseSort.WAITING)

_COMMON = (PERSON, REFERENCE, SERVICE_AREA, STATUS, RISK, BAND, NEXT_REVIEW)


def columns_for(scope: dto.CaseScope) -> tuple[Column, ...]:
    """My caseload leaves out the named worker (always the reader); the unallocated queue
    shows, early in the row, how long each case has waited instead."""
    if scope == dto.CaseScope.MINE:
        return _COMMON
    if scope == dto.CaseScope.UNALLOCATED:
        return (PERSON, REFERENCE, WAITING, *_COMMON[2:])
    return (*_COMMON, NAMED_WORKER)


def _first_page(cases: CaseLister, query: dto.CaseQuery, limit: int):
    """The first page and the total in one trip to the worker, so the two agree."""
    return cases.page(query, 0, limit), cases.count(query)


class CaseTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    total_changed = Signal(int)
    loaded = Signal()  # the first page of the current query has arrived
    failed = Signal(object)  # the service refused or failed; the page shows why

    def __init__(
        self,
        cases: CaseLister,
        runner: Runner,
        query: dto.CaseQuery | None = None,
        *,
        today: Callable[[], date] = london_today,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._cases = cases
        self._runner = runner
        self._today = today
        self._page_size = page_size
        self._query = query or dto.CaseQuery()
        self._columns = columns_for(self._query.scope)
        self._rows: list[dto.CaseRow] = []
        self._total: int | None = None
        self._exhausted = False
        self._fetching = False
        self._generation = 0  # bumped on every reset; older answers are dropped

    # -- the query --------------------------------------------------------------------

    @property
    def query(self) -> dto.CaseQuery:
        return self._query

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def total(self) -> int | None:
        """How many cases match the query (None until the first page has arrived)."""
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._fetching

    def set_query(self, query: dto.CaseQuery) -> None:
        """Show the cases matching `query`, starting again from its first page."""
        self.beginResetModel()
        self._query = query
        self._columns = columns_for(query.scope)
        self._rows = []
        self._total = None
        self._exhausted = False
        # Already fetching while views hear of the reset: one that asks for more rows in
        # answer must not start a second first page.
        self._fetching = True
        self._generation += 1
        self.endResetModel()
        self.loading_changed.emit(True)
        self._start_fetch(first=True)

    def reload(self) -> None:
        self.set_query(self._query)

    def column_of(self, sort: dto.CaseSort) -> int:
        for i, c in enumerate(self._columns):
            if c.sort == sort:
                return i
        return -1

    def affected_by(self, event: Changed) -> bool:
        """Whether a change may alter what this model shows."""
        if event.kind in _CASE_KINDS:
            return True
        if event.kind == "staff":
            shown = {r.named_worker_id for r in self._rows}
            return any(i in shown for i in event.ids)
        return False

    def row_at(self, row: int) -> dto.CaseRow:
        return self._rows[row]

    # -- fetching ---------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._fetch(first=self._total is None)

    def _fetch(self, *, first: bool) -> None:
        self._set_fetching(True)
        self._start_fetch(first=first)

    def _start_fetch(self, *, first: bool) -> None:
        gen = self._generation
        if first:
            self._runner.run(_first_page, self._cases, self._query, self._page_size,
                             on_done=partial(self._first_arrived, gen),
                             on_error=partial(self._fetch_failed, gen), owner=self)
        else:
            self._runner.run(self._cases.page, self._query, len(self._rows), self._page_size,
                             on_done=partial(self._page_arrived, gen),
                             on_error=partial(self._fetch_failed, gen), owner=self)

    def _first_arrived(self, gen: int, result: tuple[dto.Page[dto.CaseRow], int]) -> None:
        if gen != self._generation:
            return
        page, total = result
        self._total = total
        self.total_changed.emit(total)
        self._page_arrived(gen, page)
        self.loaded.emit()

    def _page_arrived(self, gen: int, page: dto.Page[dto.CaseRow]) -> None:
        if gen != self._generation:
            return
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._exhausted = page.exhausted
        self._set_fetching(False)

    def _fetch_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._exhausted = True  # no retry loop from the view; reload() starts again
        self._set_fetching(False)
        self.failed.emit(exc)

    def _set_fetching(self, fetching: bool) -> None:
        if fetching != self._fetching:
            self._fetching = fetching
            self.loading_changed.emit(fetching)

    # -- the table --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return QCoreApplication.translate(_CONTEXT, self._columns[section].title)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == CaseRole:
            return row
        if role == IdRole:
            return row.id
        key = self._columns[index.column()].key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "next_review" and self._overdue(row):
            return QBrush(WARNING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and key in ("risk", "next_review"):
            if (key == "risk" and row.risk_level == RiskLevel.HIGH) or (
                key == "next_review" and self._overdue(row)
            ):
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "waiting":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the service for the rows in a new order: sorting is done in SQL."""
        if not 0 <= column < len(self._columns):
            return
        query = replace(self._query, sort=self._columns[column].sort,
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self.set_query(query)

    # -- what a cell says --------------------------------------------------------------

    def _overdue(self, row: dto.CaseRow) -> bool:
        return row.next_review_on is not None and row.next_review_on < self._today()

    def _waiting_days(self, row: dto.CaseRow) -> int | None:
        if row.unallocated_since is None:
            return None
        return max(0, (self._today() - labels.london_date(row.unallocated_since)).days)

    def _text(self, row: dto.CaseRow, key: str) -> str:
        tr = partial(QCoreApplication.translate, _CONTEXT)
        match key:
            case "person":
                return row.person_name
            case "reference":
                return row.reference
            case "service_area":
                return labels.vocab(ServiceArea, row.service_area)
            case "status":
                return labels.vocab(CaseStatus, row.status)
            case "risk":
                return labels.vocab(RiskLevel, row.risk_level)
            case "band":
                return labels.vocab(EligibilityBand, row.eligibility_band) or "—"
            case "next_review":
                if row.next_review_on is None:
                    return tr("Not set")
                shown = show_date(row.next_review_on)
                # The word, not only the colour, says it is overdue.
                return tr("{date} – overdue").format(date=shown) if self._overdue(row) else shown
            case "named_worker":
                return row.named_worker_name or tr("Unallocated")
            case "waiting":
                waited = self._waiting_days(row)
                return "" if waited is None else labels.days(waited)
        return ""

    def _tooltip(self, row: dto.CaseRow, key: str) -> str | None:
        tr = partial(QCoreApplication.translate, _CONTEXT)
        if key == "next_review" and self._overdue(row):
            late = (self._today() - row.next_review_on).days  # type: ignore[operator]
            return tr("Review overdue by {days}").format(days=labels.days(late))
        if key == "person":
            return tr("{person} — {team}").format(person=row.person_name, team=row.team_name)
        if key == "waiting" and row.unallocated_since is not None:
            return tr("In the unallocated queue since {date}").format(
                date=show_date(labels.london_date(row.unallocated_since)))
        return None
