"""A case's assessments, and one assessment's contributions, for table views. Both lists
are short and come whole from `me.assessments`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from casework import dto
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.record_table import one_line
from casework.ui.item_models.rows_table import RowsTableModel
from casework.vocab import (
    STATUTORY_ASSESSMENTS,
    AssessmentKind,
    AssessmentStatus,
    ContributorRole,
    RiskLevel,
)

AssessmentRole = RowsTableModel.RecordRole
IdRole = RowsTableModel.IdRole


# A contribution's words in one table cell: enough to recognise it; the whole of it is in
# the tooltip and the dialog.
CELL_CHARS = 400


def contributor_label(role: str, *, short: bool = False) -> str:
    """Who contributed, as a worker would say it; `short` for a table column."""
    tr = QCoreApplication.translate
    if short:
        return {
            ContributorRole.PERSON: tr("contributors", "The person"),
            ContributorRole.CARER: tr("contributors", "Carer"),
            ContributorRole.WORKER: tr("contributors", "Worker"),
            ContributorRole.OTHER: tr("contributors", "Another agency"),
        }.get(role, role)  # type: ignore[call-overload]
    return {
        ContributorRole.PERSON: tr("contributors", "The person (their own view)"),
        ContributorRole.CARER: tr("contributors", "Carer"),
        ContributorRole.WORKER: tr("contributors", "Worker"),
        ContributorRole.OTHER: tr("contributors", "Another agency or professional"),
    }.get(role, role)  # type: ignore[call-overload]


class AssessmentColumn(IntEnum):
    KIND = 0
    STATUS = 1
    RISK = 2
    STARTED = 3
    DRAFTER = 4
    SIGNED_OFF = 5


class AssessmentTableModel(RowsTableModel):
    def headers(self) -> Sequence[str]:
        return (self.tr("Assessment"), self.tr("Status"), self.tr("Assessed risk"),
                self.tr("Started"), self.tr("Prepared by"), self.tr("Signed off"))

    def cell(self, a: dto.AssessmentRow, column: int) -> str:
        match AssessmentColumn(column):
            case AssessmentColumn.KIND:
                kind = labels.vocab(AssessmentKind, a.kind)
                if a.carer_name:
                    return self.tr("{kind}: {carer}").format(kind=kind, carer=a.carer_name)
                return kind
            case AssessmentColumn.STATUS:
                return labels.vocab(AssessmentStatus, a.status)
            case AssessmentColumn.RISK:
                return labels.vocab(RiskLevel, a.risk_level) or self.tr("Not yet assessed")
            case AssessmentColumn.STARTED:
                return self.tr("{date} by {name}").format(date=show_date(a.started_on),
                                                         name=a.created_by_name)
            case AssessmentColumn.DRAFTER:
                return a.drafter_name or ""
            case AssessmentColumn.SIGNED_OFF:
                if a.signed_off_by_name is None:
                    return self.tr("Not yet")
                return self.tr("{name}, {date}").format(
                    name=a.signed_off_by_name,
                    date=show_date(labels.london_date(a.signed_off_at)) if a.signed_off_at else "")

    def tooltip(self, a: dto.AssessmentRow, column: int) -> str | None:
        if column == AssessmentColumn.KIND and a.kind in STATUTORY_ASSESSMENTS:
            return self.tr("Statutory: a registered social worker signs it off")
        return None

    def bold(self, a: dto.AssessmentRow, column: int) -> bool:
        return column == AssessmentColumn.RISK and a.risk_level == RiskLevel.HIGH

    def foreground(self, a: dto.AssessmentRow, column: int) -> QColor | None:
        if column == AssessmentColumn.RISK and a.risk_level == RiskLevel.HIGH:
            return WARNING_COLOUR
        return None


class ContributionColumn(IntEnum):
    WHO = 0
    ROLE = 1
    GIVEN = 2
    WORDS = 3


class ContributionTableModel(RowsTableModel):
    def headers(self) -> Sequence[str]:
        return (self.tr("Who"), self.tr("As"), self.tr("Given"), self.tr("In their words"))

    def cell(self, c: dto.ContributionInfo, column: int) -> str:
        match ContributionColumn(column):
            case ContributionColumn.WHO:
                return c.name
            case ContributionColumn.ROLE:
                return contributor_label(c.contributor, short=True)
            case ContributionColumn.GIVEN:
                return show_date(c.given_on)
            case ContributionColumn.WORDS:
                return one_line(c.contribution, CELL_CHARS)

    def tooltip(self, c: dto.ContributionInfo, column: int) -> str | None:
        if column == ContributionColumn.WORDS:
            return c.contribution
        if column == ContributionColumn.ROLE:
            return contributor_label(c.contributor)
        return None
