"""A team's case-holding workers with their weighted caseloads against capacity, for the
allocation dialog. The list is short (one team) and comes whole from the service."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QColor

from casework import dto
from casework.ui import labels
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.rows_table import RowsTableModel

WorkerRole = RowsTableModel.RecordRole  # the dto.WorkerLoad of the row
IdRole = RowsTableModel.IdRole  # the worker's staff id


def show_load(value: float) -> str:
    """A weighted number of cases as people write it: 2.25, 1.5, 20."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def load_words(load: float, capacity: float) -> str:
    """How a load stands against a capacity, in words (the colour only repeats them)."""
    tr = QCoreApplication.translate
    if capacity <= 0:
        return tr("workload", "No capacity") if load <= 0 else tr(
            "workload", "Over capacity: no hours for cases")
    if load > capacity:
        return tr("workload", "Over capacity by {n}").format(n=show_load(load - capacity))
    if load == capacity:
        return tr("workload", "At capacity")
    return tr("workload", "Within capacity ({percent}%)").format(
        percent=round(100 * load / capacity))


class WorkloadColumn(IntEnum):
    WORKER = 0
    ROLE = 1
    HOURS = 2
    CASES = 3
    LOAD = 4
    CAPACITY = 5
    STANDING = 6


class WorkloadTableModel(RowsTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.named_worker_id: str | None = None  # who holds the case now, said in the row

    def set_named_worker(self, staff_id: str | None) -> None:
        self.named_worker_id = staff_id
        self.refresh_cells()

    def record_id(self, w: dto.WorkerLoad) -> str:
        return w.staff_id

    def headers(self) -> Sequence[str]:
        return (self.tr("Worker"), self.tr("Role"), self.tr("Hours"), self.tr("Cases"),
                self.tr("Weighted load"), self.tr("Capacity"), self.tr("Load now"))

    def cell(self, w: dto.WorkerLoad, column: int) -> str:
        match WorkloadColumn(column):
            case WorkloadColumn.WORKER:
                if w.staff_id == self.named_worker_id:
                    return self.tr("{name} (named worker now)").format(name=w.display_name)
                return w.display_name
            case WorkloadColumn.ROLE:
                role = labels.role(w.role)
                return self.tr("{role}, newly qualified").format(role=role) \
                    if w.newly_qualified else role
            case WorkloadColumn.HOURS:
                return self.tr("{n}%").format(n=w.fte_percent)
            case WorkloadColumn.CASES:
                return str(w.cases)
            case WorkloadColumn.LOAD:
                return show_load(w.load)
            case WorkloadColumn.CAPACITY:
                return show_load(w.capacity)
            case WorkloadColumn.STANDING:
                return load_words(w.load, w.capacity)

    def tooltip(self, w: dto.WorkerLoad, column: int) -> str | None:
        if column == WorkloadColumn.CAPACITY and w.newly_qualified:
            return self.tr("A protected caseload in the supported first year after "
                           "qualifying: three-quarters of the full figure")
        if column == WorkloadColumn.LOAD:
            return self.tr("{cases} live cases, weighted by risk and legal status").format(
                cases=w.cases)
        return None

    def right_aligned(self, column: int) -> bool:
        return column in (WorkloadColumn.HOURS, WorkloadColumn.CASES, WorkloadColumn.LOAD,
                          WorkloadColumn.CAPACITY)

    def bold(self, w: dto.WorkerLoad, column: int) -> bool:
        return column == WorkloadColumn.STANDING and w.load >= w.capacity

    def foreground(self, w: dto.WorkerLoad, column: int) -> QColor | None:
        if column == WorkloadColumn.STANDING and w.over_capacity:
            return WARNING_COLOUR
        return None
