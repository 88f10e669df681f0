"""Caseload rows for a table view, fetched a page at a time from `me.cases`.

Filtering and sorting happen in SQL: `set_query()` and `sort()` start again from the first
page with a new `CaseQuery`; scrolling down asks for the next page through `fetchMore()`.
The paging (through the TaskRunner, dropping answers to an older query) is `PagedTableModel`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from casework.events import Changed
from casework import dto
from casework.timeutil import london_today, show_date
from casework.ui import labels
from casework.ui.item_models.paged_table import PAGE_SIZE, PagedTableModel
from casework.ui.tasks import Runner
from casework.vocab import CaseStatus, EligibilityBand, RiskLevel, ServiceArea

CaseRole = PagedTableModel.RecordRole  # the dto.CaseRow of the row
IdRole = PagedTableModel.IdRole  # the case id

# Dark enough to read on white and on the alternate row colour (contrast above 4.5:1).
WARNING_COLOUR = QColor("#a33a00")
# Kinds of change that can alter which cases a caseload lists, or what a row shows.
_CASE_KINDS = frozenset({"case", "person", "allocation", "team", "plan"})
REVIEW_DUE_DAYS = 14  # a review this close is shown as due


class CaseLister(Protocol):
    """What the model needs of `me.cases`."""

    def page(self, query: dto.CaseQuery, offset: int = 0, limit: int = 100) -> dto.Page[dto.CaseRow]: ...
    def count(self, query: dto.CaseQuery) -> int: ...


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # English; translated in headers()
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


class CaseTableModel(PagedTableModel):
    """The cases matching a `CaseQuery`, counted with the first page; the columns follow
    the query's scope."""

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
        super().__init__(runner, query or dto.CaseQuery(), parent, page_size=page_size)
        self._cases = cases
        self._today = today

    @property
    def columns(self) -> tuple[Column, ...]:
        return columns_for(self._query.scope)

    def column_of(self, sort: dto.CaseSort) -> int:
        for i, c in enumerate(self.columns):
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the service for the rows in a new order: sorting is done in SQL."""
        if not 0 <= column < self.columnCount():
            return
        query = replace(self._query, sort=self.columns[column].sort,
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self.set_query(query)

    # -- PagedTableModel ---------------------------------------------------------------

    def headers(self) -> tuple[str, ...]:
        return tuple(QCoreApplication.translate(_CONTEXT, c.title) for c in self.columns)

    def fetch(self, query: dto.CaseQuery, offset: int, limit: int) -> Sequence[dto.CaseRow]:
        return self._cases.page(query, offset, limit).rows

    def count(self, query: dto.CaseQuery) -> int:
        return self._cases.count(query)

    def cell(self, row: dto.CaseRow, column: int) -> str:
        return self._text(row, self.columns[column].key)

    def tooltip(self, row: dto.CaseRow, column: int) -> str | None:
        return self._tooltip(row, self.columns[column].key)

    def foreground(self, row: dto.CaseRow, column: int) -> QColor | None:
        overdue = self.columns[column].key == "next_review" and self._overdue(row)
        return WARNING_COLOUR if overdue else None

    def bold(self, row: dto.CaseRow, column: int) -> bool:
        key = self.columns[column].key
        return ((key == "risk" and row.risk_level == RiskLevel.HIGH)
                or (key == "next_review" and (self._overdue(row) or self._due_soon(row))))

    def right_aligned(self, column: int) -> bool:
        return self.columns[column].key == "waiting"

    # -- what a cell says --------------------------------------------------------------

    def _overdue(self, row: dto.CaseRow) -> bool:
        return row.next_review_on is not None and row.next_review_on < self._today()

    def _due_soon(self, row: dto.CaseRow) -> bool:
        """A review within the next fortnight: time to arrange it."""
        if row.next_review_on is None:
            return False
        days = (row.next_review_on - self._today()).days
        return 0 <= days <= REVIEW_DUE_DAYS

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
                if self._overdue(row):
                    return tr("{date} – overdue").format(date=shown)
                return tr("{date} – due").format(date=shown) if self._due_soon(row) else shown
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
        if key == "next_review" and self._due_soon(row):
            left = (row.next_review_on - self._today()).days  # type: ignore[operator]
            return (tr("Review due today") if left == 0
                    else tr("Review due in {days}").format(days=labels.days(left)))
        if key == "person":
            return tr("{person} — {team}").format(person=row.person_name, team=row.team_name)
        if key == "waiting" and row.unallocated_since is not None:
            return tr("In the unallocated queue since {date}").format(
                date=show_date(labels.london_date(row.unallocated_since)))
        return None
