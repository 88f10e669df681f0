"""A caseload: my cases, my team's, or the team's unallocated queue. One page class for the
three scopes; the service decides what each person may list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casework.events import Changed
from casework.permissions import Action
from casework import dto
from casework.ui import labels
from casework.ui.item_models.case_table import CaseRole, CaseTableModel, IdRole
from casework.ui.page_context import PageContext
from casework.ui.pages.ready import ReadyPage
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.search import filter_as_typed
from casework.ui.widgets.tables import make_table
from casework.vocab import LIVE_STATUSES, CaseStatus, RiskLevel, ServiceArea

_DEFAULT_SORT = {
    dto.CaseScope.MINE: dto.CaseSort.NEXT_REVIEW,
    dto.CaseScope.TEAM: dto.CaseSort.NEXT_REVIEW,
    dto.CaseScope.UNALLOCATED: dto.CaseSort.WAITING,  # longest wait first
}


class CaseloadPage(ReadyPage):
    """Ready when the first page of cases has arrived (or failed to)."""

    def __init__(self, ctx: PageContext, scope: dto.CaseScope, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.scope = scope
        self._stale = False
        self._sized = False

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name, case reference or CHI number"))
        self.search.setAccessibleName(self.tr("Find cases"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        search_label = QLabel(self.tr("&Find:"), self)
        search_label.setBuddy(self.search)

        self.status_filter = self._combo(self.tr("Status filter"), [
            (self.tr("Live cases"), tuple(s.value for s in LIVE_STATUSES)),
            *((labels.vocab(CaseStatus, s), (s.value,)) for s in CaseStatus),
            (self.tr("All, with closed"), ()),
        ])
        status_label = QLabel(self.tr("S&tatus:"), self)
        status_label.setBuddy(self.status_filter)
        self.risk_filter = self._combo(self.tr("Risk filter"), [
            (self.tr("Any risk"), ()),
            *((labels.vocab(RiskLevel, r), (r.value,)) for r in reversed(RiskLevel)),
        ])
        risk_label = QLabel(self.tr("&Risk:"), self)
        risk_label.setBuddy(self.risk_filter)
        self.area_filter = self._combo(self.tr("Service area filter"), [
            (self.tr("Any service area"), ()),
            *((labels.vocab(ServiceArea, a), (a.value,)) for a in ServiceArea),
        ])
        # Alt+C: Alt+A is the Allocate button's on the team's pages.
        area_label = QLabel(self.tr("Servi&ce area:"), self)
        area_label.setBuddy(self.area_filter)
        self.team_filter = self._combo(self.tr("Team filter"), [(self.tr("All my teams"), None)])
        self.team_label = QLabel(self.tr("T&eam:"), self)
        self.team_label.setBuddy(self.team_filter)
        self.team_filter.hide()
        self.team_label.hide()

        bar = QHBoxLayout()
        for w in (search_label, self.search, status_label, self.status_filter, risk_label,
                  self.risk_filter, area_label, self.area_filter, self.team_label,
                  self.team_filter):
            bar.addWidget(w)
        bar.addStretch(1)

        self.banner = MessageBanner(self)

        self.model = CaseTableModel(ctx.me.cases, ctx.runner,
                                    dto.CaseQuery(scope=scope, sort=_DEFAULT_SORT[scope]),
                                    parent=self)
        self.table = make_table(self.model, self._table_name(), self)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        # The header shows the query's order before sorting is switched on, so that
        # switching it on does not ask for a sort the query already has.
        header.setSortIndicator(self.model.column_of(self.model.query.sort),
                                self._qt_order(self.model.query.descending))
        self.table.setSortingEnabled(True)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of cases"))
        self.open_button = QPushButton(self.tr("&Open case"), self)
        self.open_button.setAccessibleName(self.tr("Open the selected case"))
        self.open_button.setEnabled(False)
        # The team's lists offer allocation to those who may allocate (the service decides
        # again, for the case's own team).
        self.allocate_button = QPushButton(self.tr("&Allocate…"), self)
        self.allocate_button.setAccessibleName(self.tr("Allocate the selected case"))
        self.allocate_button.setEnabled(False)
        self.allocate_button.setVisible(scope != dto.CaseScope.MINE
                                        and ctx.me.can(Action.ALLOCATE_CASE))
        self.dialog: QWidget | None = None  # the allocation dialog, while it is open
        hint = QLabel(self.tr("Double-click a case or press Enter to open it."), self)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(hint)
        footer.addWidget(self.open_button)
        footer.addWidget(self.allocate_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        for first, second in [(self.search, self.status_filter),
                              (self.status_filter, self.risk_filter),
                              (self.risk_filter, self.area_filter),
                              (self.area_filter, self.team_filter),
                              (self.team_filter, self.table),
                              (self.table, self.open_button),
                              (self.open_button, self.allocate_button)]:
            QWidget.setTabOrder(first, second)

        self._debounce = filter_as_typed(self.search, self.apply_filters)
        for combo in (self.status_filter, self.risk_filter, self.area_filter, self.team_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)

        self.model.total_changed.connect(self._show_count)
        self.model.loading_changed.connect(self._show_loading)
        self.model.loaded.connect(self._first_page_arrived)
        self.model.failed.connect(self._load_failed)
        self.table.activated.connect(self.open_case)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._current_changed(current))
        self.model.modelReset.connect(lambda: self._current_changed(self.table.currentIndex()))
        self.open_button.clicked.connect(
            lambda: self.open_case(self.table.currentIndex()))
        self.allocate_button.clicked.connect(self.allocate_selected)
        ctx.events.changed.connect(self._on_changed)

        if scope != dto.CaseScope.MINE:
            ctx.runner.run(ctx.me.cases.visible_teams, on_done=self._teams_arrived, owner=self)
        self.model.reload()

    # -- the query --------------------------------------------------------------------

    def apply_filters(self) -> None:
        """Ask again with what the filter bar says now (keeping the current order)."""
        self._debounce.stop()
        query = replace(
            self.model.query,
            text=self.search.text().strip(),
            # Qt hands a stored tuple back as a list; the query wants tuples.
            statuses=tuple(self.status_filter.currentData() or ()),
            risk_levels=tuple(self.risk_filter.currentData() or ()),
            service_areas=tuple(self.area_filter.currentData() or ()),
            team_id=self.team_filter.currentData(),
        )
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        self._stale = False
        self.model.reload()

    # -- opening a case ---------------------------------------------------------------

    def open_case(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self._request_summary(index.data(IdRole), None)

    def _request_summary(self, case_id: str, reason: str | None) -> None:
        self.banner.clear()
        self._ctx.open_case(case_id, self, self._open_failed, reason=reason)

    def _open_failed(self, exc: BaseException) -> None:
        self.banner.show_message(str(exc), Tone.ERROR)

    # -- allocating a case ------------------------------------------------------------

    def _current_changed(self, current: QModelIndex) -> None:
        self.open_button.setEnabled(current.isValid())
        row: dto.CaseRow | None = current.data(CaseRole) if current.isValid() else None
        live = row is not None and row.status in {s.value for s in LIVE_STATUSES}
        self.allocate_button.setEnabled(live)
        self.allocate_button.setToolTip(
            "" if live or row is None else self.tr("A closed case is not allocated."))

    def allocate_selected(self) -> None:
        """Allocate the selected case: the dialog shows the team's workers and what the case
        would do to each one's caseload; the list reloads when the allocation is made."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.allocate_button.isVisible():
            return
        from casework.ui.dialogs.allocation import open_allocation

        self.banner.clear()
        dialog = open_allocation(self._ctx.me, self._ctx.runner, index.data(IdRole), self)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog

    # -- showing what arrived ---------------------------------------------------------

    def _teams_arrived(self, teams: tuple[dto.TeamInfo, ...]) -> None:
        if len(teams) < 2:
            return
        self.team_filter.blockSignals(True)
        for team in teams:
            self.team_filter.addItem(team.name, team.id)
        self.team_filter.blockSignals(False)
        self.team_filter.show()
        self.team_label.show()

    def _show_loading(self, loading: bool) -> None:
        if loading and self.model.total is None:
            self.count_label.setText(self.tr("Loading cases…"))

    def _show_count(self, total: int) -> None:
        if total == 0:
            filtered = self.model.query != replace(
                self.model.query, text="", statuses=tuple(s.value for s in LIVE_STATUSES),
                risk_levels=(), service_areas=(), team_id=None)
            text = (self.tr("No cases match these filters") if filtered
                    else self.tr("No cases"))
        elif total == 1:
            text = self.tr("1 case")
        else:
            text = self.tr("{n} cases").format(n=total)
        self.count_label.setText(text)

    def _first_page_arrived(self) -> None:
        self.banner.clear()
        if not self._sized and self.model.rowCount():
            # Once, from the first rows: later pages must not make the columns jump.
            self.table.resizeColumnsToContents()
            self._sized = True
        self._become_ready(None)

    def _load_failed(self, exc: BaseException) -> None:
        self.count_label.setText("")
        self.banner.show_message(str(exc), Tone.ERROR)
        self._become_ready(str(exc))

    # -- keeping up with changes ------------------------------------------------------

    def _on_changed(self, event: Changed) -> None:
        if not self.model.affected_by(event):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # reloaded when next shown

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- helpers ----------------------------------------------------------------------

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, data in items:
            combo.addItem(text, data)
        return combo

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _table_name(self) -> str:
        return {
            dto.CaseScope.MINE: self.tr("My cases"),
            dto.CaseScope.TEAM: self.tr("Team cases"),
            dto.CaseScope.UNALLOCATED: self.tr("Unallocated cases"),
        }[self.scope]

    @staticmethod
    def _qt_order(descending: bool) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
