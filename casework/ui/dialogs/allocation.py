"""Allocating a case: choosing its named worker from the team, seeing first what the case
would do to their weighted caseload, and saying why; or returning it to the team's queue.

The loads come from the service, weighed by `casework.weighting`; the dialog says in words
(the colour only repeats it) whether the worker would go over capacity, and asks once more
before allocating beyond it. A refusal or a conflict keeps the choice and the reason typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework import weighting
from casework import dto
from casework.services import Me
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.case_window.context import CaseContext
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.workload_table import WorkloadTableModel, load_words, show_load
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button, make_table
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import LegalStatus, RiskLevel, ServiceArea



class AllocationDialog(FormDialog):
    """Allocate or reallocate one case, or return it to its team's queue. `saved` carries
    the dto.CaseSummary after the change."""

    def __init__(self, me: Me, runner: Runner, case_id: str, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self.options: dto.AllocationOptions | None = None
        self.preview: dto.AllocationPreview | None = None
        tr = self.tr
        self.setWindowTitle(tr("Allocate a case"))
        self.setAccessibleName(self.windowTitle())

        self.heading = heading(self)
        self.heading.setAccessibleName(tr("Case"))
        self.current = self._text(tr("Who holds the case now"))
        self.weight = self._text(tr("What this case counts for"))

        self.model = WorkloadTableModel(self)
        self.table = make_table(self.model, tr("Workers and their weighted caseloads"), self)
        self.table.setMinimumHeight(180)
        workers_label = QLabel(tr("&Workers in the team:"), self)
        workers_label.setBuddy(self.table)
        worker_error = self.errors.add("worker_id", tr("Worker"), self.table)

        self.preview_label = self._text(tr("What this case would make the worker's caseload"))
        self.preview_label.setObjectName("previewLabel")
        self.reason = text_box(self, tr("Why this worker, or why the case goes back to the "
                                        "queue"), height=80)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors.add_row(form, "reason", tr("&Reason:"), self.reason)
        self.rule = self._text(tr("How caseloads are weighed"))
        self.rule.setStyleSheet("color: #454545;")

        self.buttons, self.save_button = save_cancel(self, tr("&Allocate"))
        self.queue_button = button(tr("Return to the &queue"), self)
        self.queue_button.setAccessibleName(tr("Return the case to the team's unallocated queue"))
        self.buttons.addButton(self.queue_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.queue_button.clicked.connect(self.return_to_queue)
        self.queue_button.hide()
        self.save_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.current)
        layout.addWidget(self.weight)
        layout.addWidget(workers_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(worker_error)
        layout.addWidget(self.preview_label)
        layout.addLayout(form)
        layout.addWidget(self.rule)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(760)
        self.resize(900, 600)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._worker_changed())
        self.reason.textChanged.connect(lambda: self._edited("reason"))
        self.banner.show_message(tr("Loading the team's caseloads…"))
        self._load()

    def _text(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label

    # -- what the service offers -----------------------------------------------------------

    def _load(self) -> None:
        self._runner.run(self._me.cases.allocation_options, self._case_id,
                         on_done=self._options_arrived, on_error=self._load_failed, owner=self)

    def reload(self) -> None:
        """After a conflict: the case and the loads as they are now; the choice of worker
        and the reason stay as typed."""
        self.banner.clear()
        self._load()

    def _options_arrived(self, options: dto.AllocationOptions) -> None:
        tr = self.tr
        selected = self.selected_worker()
        self.options = options
        self.banner.clear()
        self.setWindowTitle(tr("Allocate {person} — {reference}").format(
            person=options.person_name, reference=options.case_reference))
        self.heading.setText(tr("{person} — {reference}").format(
            person=options.person_name, reference=options.case_reference))
        if options.named_worker_name:
            self.current.setText(tr("Named worker now: {name}. Choosing someone else "
                                    "reallocates the case.").format(
                name=options.named_worker_name))
        else:
            since = ""
            if options.unallocated_since is not None:
                day = labels.london_date(options.unallocated_since)
                since = tr(" since {date} ({days})").format(
                    date=show_date(day),
                    days=labels.days(max(0, (self._me.today() - day).days)))
            self.current.setText(tr("Unallocated: in {team}'s queue{since}, with the team "
                                    "leader accountable.").format(team=options.team_name,
                                                                  since=since))
        risk = labels.vocab(RiskLevel, options.risk_level).lower()
        if options.legal_status == LegalStatus.VOLUNTARY:
            why = tr("{risk} risk, voluntary").format(risk=risk)
        else:
            why = tr("{risk} risk, under {legal}").format(
                risk=risk, legal=labels.vocab(LegalStatus, options.legal_status).lower())
        self.weight.setText(tr("This case counts as {weight} ({why}).").format(
            weight=show_load(options.case_weight), why=why))
        self.rule.setText(self._rule_text(options))
        self.model.set_named_worker(options.named_worker_id)
        self.model.set_rows(options.workers)
        self.table.resizeColumnsToContents()
        self.queue_button.setVisible(options.named_worker_id is not None)
        self.save_button.setEnabled(True)
        if not options.workers:
            self.banner.show_message(tr("{team} has no active social workers, senior "
                                        "practitioners or team leaders to allocate to.")
                                     .format(team=options.team_name), Tone.WARNING)
        if selected is not None and self.model.row_of(selected.staff_id) is not None:
            self.select_worker(selected.staff_id)  # the preview is asked for again
        else:
            self._worker_changed()

    def _rule_text(self, options: dto.AllocationOptions) -> str:
        tr = self.tr
        q = weighting.QUARTERS
        risk = weighting.RISK_QUARTERS
        cases = weighting.FULL_TIME_CASES.get(options.service_area,
                                              weighting.UNKNOWN_AREA_CASES)
        return tr(
            "How caseloads are weighed: a medium-risk voluntary case counts {medium}, a "
            "low-risk one {low} and a high-risk one {high}, with {legal} more under a "
            "statutory order or a child protection plan. Capacity is {cases} weighted cases "
            "for a full-time worker in {area} (Setting the Bar, Social Work Scotland, 2022), "
            "in proportion to their hours, and three-quarters of that in a newly qualified "
            "worker's first year.").format(
                medium=show_load(risk[RiskLevel.MEDIUM] / q),
                low=show_load(risk[RiskLevel.LOW] / q), high=show_load(risk[RiskLevel.HIGH] / q),
                legal=show_load(weighting.LEGAL_QUARTERS / q), cases=cases,
                area=labels.vocab(ServiceArea, options.service_area).lower())

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(exc, self.banner, self.errors)

    # -- choosing a worker -----------------------------------------------------------------

    def selected_worker(self) -> dto.WorkerLoad | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_worker(self, staff_id: str) -> None:
        row = self.model.row_of(staff_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _worker_changed(self) -> None:
        self.preview = None
        worker = self.selected_worker()
        if worker is None:
            self._show_preview()
            return
        self._touched.add("worker_id")
        self._show_touched_problems()
        self.preview_label.setText(self.tr("Working out {name}'s caseload with this case…")
                                   .format(name=worker.display_name))
        self._runner.run(self._me.workload.preview, self._case_id, worker.staff_id,
                         on_done=self._preview_arrived, on_error=self._preview_failed,
                         owner=self)

    def _preview_arrived(self, preview: dto.AllocationPreview) -> None:
        worker = self.selected_worker()
        if worker is None or worker.staff_id != preview.worker.staff_id:
            return  # the choice moved on while this was worked out
        self.preview = preview
        self._show_preview()

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_label.setText("")
        show_failure(exc, self.banner, self.errors)

    def _show_preview(self) -> None:
        tr = self.tr
        p = self.preview
        label = self.preview_label
        over = p is not None and not p.holds_case and p.over_capacity_after
        if p is None:
            text = tr("Choose a worker to see what this case would make their caseload.")
        elif p.holds_case:
            text = tr("{name} holds this case already: {load} against a capacity of "
                      "{capacity}. Choose someone else to reallocate it.").format(
                name=p.worker.display_name, load=show_load(p.load_before),
                capacity=show_load(p.capacity))
        else:
            text = tr("{name} now carries {before} of a capacity of {capacity}. With this "
                      "case: {after} of {capacity} — {standing}.").format(
                name=p.worker.display_name, before=show_load(p.load_before),
                capacity=show_load(p.capacity), after=show_load(p.load_after),
                standing=load_words(p.load_after, p.capacity).lower())
            if over:
                text = tr("Over capacity: {text}").format(text=text)
        label.setText(text)
        font = QFont(label.font())
        font.setBold(over)
        label.setFont(font)
        label.setStyleSheet(f"#previewLabel {{ color: {WARNING_COLOUR.name()}; }}" if over else "")

    # -- checking and saving ---------------------------------------------------------------

    def _problems(self, *, allocating: bool) -> dict[str, str]:
        tr = self.tr
        problems: dict[str, str] = {}
        reason = self.reason.toPlainText().strip()
        if not reason:
            problems["reason"] = tr("say why the named worker changes")
        elif (problem := too_long(reason, fields.REASON)):
            problems["reason"] = problem
        if allocating:
            worker = self.selected_worker()
            if worker is None:
                problems["worker_id"] = tr("choose who will be the named worker")
            elif self.options is not None and worker.staff_id == self.options.named_worker_id:
                problems["worker_id"] = tr("{name} is already the named worker").format(
                    name=worker.display_name)
        return problems

    def _local_problems(self) -> dict[str, str]:
        return self._problems(allocating=True)

    def _can_save(self) -> bool:
        return self.options is not None

    def _confirmed(self) -> bool:
        """Asked once more when the preview says the case takes the worker over
        capacity."""
        tr = self.tr
        worker = self.selected_worker()
        assert worker is not None
        p = self.preview
        return p is None or not p.over_capacity_after or Confirm.ask(
            self, tr("Allocate beyond capacity?"),
            tr("{name} would carry {after} against a capacity of {capacity}.").format(
                name=worker.display_name, after=show_load(p.load_after),
                capacity=show_load(p.capacity)),
            tr("Allocate anyway"))

    def _request(self) -> tuple:
        """Allocate to the chosen worker."""
        assert self.options is not None
        worker = self.selected_worker()
        assert worker is not None
        return (self._me.cases.allocate, self._case_id, worker.staff_id,
                self.reason.toPlainText().strip(), self.options.row_version)

    def return_to_queue(self) -> None:
        if self._busy or not self._can_save():
            return
        assert self.options is not None
        problems = self._problems(allocating=False)
        self.errors.set("worker_id", "")
        if problems:
            self._refuse(problems)
            return
        self._start_saving()
        self._runner.run(self._me.cases.return_to_queue, self._case_id,
                         self.reason.toPlainText().strip(), self.options.row_version,
                         on_done=self._saved, on_error=self._failed, owner=self)

    def _start_saving(self) -> None:
        super()._start_saving()
        self.queue_button.setEnabled(False)

    def _save_ended(self) -> None:
        self.queue_button.setEnabled(True)
        super()._save_ended()

    def _conflict_reload(self) -> Callable[[], None]:
        return self.reload


def open_allocation(me: Me, runner: Runner, case_id: str, parent: QWidget) -> AllocationDialog:
    """Open the dialog beside `parent` (a case window, a caseload page)."""
    return open_dialog(AllocationDialog(me, runner, case_id, parent))


def allocate(ctx: CaseContext, parent: QWidget) -> AllocationDialog:
    """From a case window."""
    return open_allocation(ctx.me, ctx.runner, ctx.case_id, parent)

