"""The audit trail: check that the keyed chain is intact (with the audit secret and the head
kept outside the file), and read the events, newest first, filtered by words and by outcome."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from casework.services import Me
from casework.services.audit import AuditProblem, AuditReport
from casework.dto import AuditQuery
from casework.ui.item_models.audit_table import AuditTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.table_page import TablePage
from casework.ui.widgets.tables import button, make_table

OUTCOMES = ("done", "refused", "failed")
PROBLEMS_MAX_HEIGHT = 160
BROKEN_STYLE = "color: #a4161a; font-weight: bold;"  # repeats what the words say


class AuditPage(TablePage):
    watches = None  # every change is audited
    fit_columns_once = True

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self.model = AuditTableModel(me, runner, parent=self)
        self._build()
        self._start()

    def title(self) -> str:
        return self.tr("Audit trail")

    def _build(self) -> None:
        tr = self.tr
        self.verify_button = button(tr("&Verify audit chain"), self)
        self.verify_button.setToolTip(tr("Check that no event has been changed, inserted or "
                                         "deleted since it was written."))
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # no steps to count: a moving bar while the check runs
        self.busy.setAccessibleName(tr("Checking the audit chain"))
        self.busy.setMaximumWidth(200)
        self.busy.hide()
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setAccessibleName(tr("Audit chain result"))
        self.problems = QListWidget(self)
        self.problems.setAccessibleName(tr("Audit chain problems"))
        self.problems.setWordWrap(True)
        self.problems.hide()
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_button)
        verify_row.addWidget(self.busy)
        verify_row.addWidget(self.result, 1)

        self.search = self._search_box(tr("Action, person or record id"),
                                       tr("Search the audit trail"))
        self.outcome = QComboBox(self)
        self.outcome.setAccessibleName(tr("Outcome filter"))
        self.outcome.addItem(tr("Any outcome"), None)
        for outcome in OUTCOMES:
            self.outcome.addItem(self.model.outcome_label(outcome), outcome)
        filters = self._filter_bar(((tr("&Search:"), self.search),
                                    (tr("&Outcome:"), self.outcome)), wide=self.search)

        self.table = make_table(self.model, tr("Audit events"), self)
        self.banner = MessageBanner(self)
        layout = QVBoxLayout(self)
        layout.addLayout(verify_row)
        layout.addWidget(self.problems)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)

        self.outcome.currentIndexChanged.connect(self.apply_filter)
        self.verify_button.clicked.connect(self.verify)

    def refresh(self) -> None:
        self.banner.clear()
        super().refresh()

    def query(self) -> AuditQuery:
        return AuditQuery(text=self.search.text().strip(), outcome=self.outcome.currentData())

    # -- verifying -----------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.busy.show()
        self.result.setText(self.tr("Checking every event in the chain…"))
        self.problems.clear()
        self.problems.hide()
        self._runner.run(self._me.audit.verify, on_done=self._verified,
                         on_error=self._verify_failed, owner=self)

    def _verified(self, report: AuditReport) -> None:
        self._idle()
        self.result.setStyleSheet("")
        if report.ok:
            self.result.setText(self.tr("Chain intact: %1 events checked.")
                                .replace("%1", f"{report.events_checked:,}"))
            if report.notes:  # what was checked less than fully, in words
                self.result.setText(self.result.text() + "\n" + "\n".join(report.notes))
        else:
            found = (self.tr("1 problem") if len(report.problems) == 1 else
                     self.tr("%1 problems").replace("%1", str(len(report.problems))))
            self.result.setText(
                self.tr("The chain is broken: %1 found in %2 events checked. Keep this "
                        "workspace file as it is and tell your information governance lead.")
                .replace("%1", found).replace("%2", f"{report.events_checked:,}"))
            self.result.setStyleSheet(BROKEN_STYLE)
            for problem in report.problems:
                self.problems.addItem(f"{self._kind(problem)}: {problem.message}")
            self.problems.show()
            self.problems.setCurrentRow(0)
            # As tall as the problems need, up to a few lines; the events stay in view.
            rows = sum(self.problems.sizeHintForRow(r) for r in range(self.problems.count()))
            self.problems.setFixedHeight(min(PROBLEMS_MAX_HEIGHT,
                                             rows + 2 * self.problems.frameWidth() + 8))
        # The check is itself on the record.
        self.model.reload()

    def _verify_failed(self, exc: BaseException) -> None:
        self._idle()
        self.result.clear()
        show_failure(exc, self.banner)

    def _idle(self) -> None:
        self.busy.hide()
        self.verify_button.setEnabled(True)

    def _kind(self, problem: AuditProblem) -> str:
        return {
            "edited": self.tr("Edited"),
            "inserted": self.tr("Inserted"),
            "deleted": self.tr("Deleted"),
            "reordered": self.tr("Reordered"),
            "rewritten": self.tr("Rewritten"),
            "forged_chain": self.tr("Forged chain"),
            "broken_link": self.tr("Broken link"),
            "head_mismatch": self.tr("Chain head mismatch"),
            "head_rewritten": self.tr("Chain head rewritten"),
            "anchor_mismatch": self.tr("Outside record disagrees"),
            "anchor_missing": self.tr("Outside record missing"),
            "anchor_damaged": self.tr("Outside record changed"),
            "guard_removed": self.tr("Guard removed"),
        }.get(problem.kind, problem.kind)
