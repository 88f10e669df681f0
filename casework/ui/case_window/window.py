"""A case file in its own window, beside the lists: a worker may keep two cases open.

The header says whose case it is and offers what may be done to the case as a whole; the
tabs hold its parts. The window reads the case again (an audited read) whenever a service
says this case changed, so every tab and the header agree."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from casework.events import Changed
from casework import dto
from casework.ui import labels
from casework.ui.case_window.assessments_tab import AssessmentsTab
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.notes_tab import NotesTab
from casework.ui.case_window.people_tab import PeopleTab
from casework.ui.case_window.plan_tab import PlanTab
from casework.ui.case_window.summary_tab import SummaryTab
from casework.ui.page_context import PageContext
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.heading import heading
from casework.vocab import LIVE_STATUSES, CaseStatus, ServiceArea

# Changes that alter what the header or the summary tab shows.
_SUMMARY_KINDS = frozenset({"case", "note", "assessment", "plan", "key_person", "person"})


class CaseWindow(QWidget):
    def __init__(self, page_ctx: PageContext, summary: dto.CaseSummary, *,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._page_ctx = page_ctx
        self._summary = summary
        self._reload_pending = False
        self._closing_now = False
        self.ctx = CaseContext(
            me=page_ctx.me, runner=page_ctx.runner, events=page_ctx.events,
            case_id=summary.case.id, summary=lambda: self._summary,
            today=page_ctx.me.today,
        )
        self.setAccessibleName(self.tr("Case file"))

        self.heading = heading(self, scale=1.5)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName(self.tr("Person"))
        self.subheading = QLabel(self)
        self.subheading.setAccessibleName(self.tr("Case"))
        self.subheading.setWordWrap(True)

        self.open_button = self._button(self.tr("&Open case…"), self._open_case)
        self.edit_button = self._button(self.tr("&Edit details…"), self._edit_case)
        self.allocate_button = self._button(self.tr("&Allocate…"), self._allocate)
        self.close_case_button = self._button(self.tr("Close &case…"), self._close_case)
        self.summary_pdf_button = self._button(self.tr("Case summary &PDF…"),
                                               lambda: self._pdf("summary"))
        self.chronology_pdf_button = self._button(self.tr("C&hronology PDF…"),
                                                  lambda: self._pdf("chronology"))
        actions = QHBoxLayout()
        for b in (self.open_button, self.edit_button, self.allocate_button,
                  self.close_case_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.summary_pdf_button)
        actions.addWidget(self.chronology_pdf_button)

        self.banner = MessageBanner(self)

        self.summary_tab = SummaryTab(summary, self, today=page_ctx.me.today)
        self.people_tab = PeopleTab(self.ctx, self)
        self.assessments_tab = AssessmentsTab(self.ctx, self)
        self.plan_tab = PlanTab(self.ctx, self)
        self.notes_tab = NotesTab(self.ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Parts of the case file"))
        self.tabs.addTab(self.summary_tab, self.tr("&Summary"))
        self.tabs.addTab(self.people_tab, self.tr("Pe&ople and carers"))
        self.tabs.addTab(self.assessments_tab, self.tr("Assess&ments"))
        self.tabs.addTab(self.plan_tab, self.tr("P&lan and outcomes"))
        self.tabs.addTab(self.notes_tab, self.tr("&Notes and chronology"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        page_ctx.events.changed.connect(self._on_changed)
        self._show_header(summary)
        self.resize(1120, 800)

    # -- what the case is now ----------------------------------------------------------

    @property
    def summary(self) -> dto.CaseSummary:
        return self._summary

    def _show_header(self, s: dto.CaseSummary) -> None:
        c = s.case
        self.setWindowTitle(self.tr("{person} — {reference} — Casework").format(
            person=s.person.full_name, reference=c.reference))
        self.heading.setText(s.person.full_name)
        worker = (self.tr("Named worker: {name}").format(name=c.named_worker_name)
                  if c.named_worker_name else self.tr("Unallocated: in the team's queue"))
        if c.status == CaseStatus.CLOSED:
            worker = self.tr("Closed")
        self.subheading.setText(" · ".join(x for x in (
            c.reference, labels.vocab(ServiceArea, c.service_area), c.team_name,
            labels.vocab(CaseStatus, c.status), worker) if x))
        live = c.status in LIVE_STATUSES
        may = s.abilities  # as the service decided for this reader and this case
        self.open_button.setVisible(may.record and c.status == CaseStatus.REFERRAL)
        self.edit_button.setVisible(may.record and live)
        self.allocate_button.setVisible(may.allocate and live)
        self.close_case_button.setVisible(may.close and live)

    def _on_changed(self, event: Changed) -> None:
        if event.kind in _SUMMARY_KINDS and self.ctx.concerns_this_case(event):
            if not self._reload_pending:  # several changes in a row: one read
                self._reload_pending = True
                QTimer.singleShot(0, self, self.reload)

    def reload(self) -> None:
        self._reload_pending = False
        # What the window shows, read again after a change: the person's own read was
        # audited when they opened the file.
        self._page_ctx.runner.run(self._page_ctx.me.cases.current, self.ctx.case_id,
                                  on_done=self._summary_arrived, on_error=self._reload_failed,
                                  owner=self)

    def _summary_arrived(self, summary: dto.CaseSummary) -> None:
        self._summary = summary
        self._show_header(summary)
        self.summary_tab.show_summary(summary)
        # A case that closed, or moved team, changes what each tab offers.
        for tab in (self.people_tab, self.assessments_tab, self.plan_tab, self.notes_tab):
            tab.summary_changed()

    def _reload_failed(self, exc: BaseException) -> None:
        self.banner.show_message(str(exc), Tone.ERROR)

    # -- actions on the whole case -----------------------------------------------------

    def _button(self, text: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.setAccessibleName(text.replace("&", "").rstrip("…"))
        b.clicked.connect(slot)
        return b

    def _open_case(self) -> None:
        from casework.ui.dialogs import case_status

        case_status.open_case(self.ctx, self)

    def _edit_case(self) -> None:
        from casework.ui.dialogs import case_status

        case_status.edit_case(self.ctx, self)

    def _close_case(self) -> None:
        from casework.ui.dialogs import case_status

        case_status.close_case(self.ctx, self)

    def _allocate(self) -> None:
        from casework.ui.dialogs import allocation

        allocation.allocate(self.ctx, self)

    def _pdf(self, kind: str) -> None:
        from casework.ui.dialogs import pdf_preview

        pdf_preview.preview_case_pdf(self.ctx, kind, self)

    def close_now(self) -> None:
        """Close without asking (the window locks, the person signs out): open forms are
        dismissed with what was typed in them."""
        self._closing_now = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        unsaved = [d for d in self.findChildren(QDialog)
                   if d.isVisible() and getattr(d, "is_dirty", False)]
        if unsaved and not self._closing_now and not Confirm.ask(
                self, self.tr("Close the case file?"),
                self.tr("What you typed in an open form of this case file is not saved and "
                        "will be lost.") if len(unsaved) == 1 else
                self.tr("What you typed in {n} open forms of this case file is not saved and "
                        "will be lost.").format(n=len(unsaved)),
                self.tr("Close without saving")):
            event.ignore()
            return
        self._page_ctx.events.changed.disconnect(self._on_changed)
        super().closeEvent(event)
