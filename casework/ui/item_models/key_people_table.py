"""The person's key people and carers for a table view: a short list that comes whole from
`me.people`, carers first. A carer's own support plan (adult carer support plan or young
carer statement) shows with its review date, overdue in bold."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QColor

from casework import dto
from casework.timeutil import london_today, show_date
from casework.ui import labels
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.ui.item_models.rows_table import RowsTableModel
from casework.vocab import KeyPersonKind, SupportPlanStatus

KeyPersonRole = RowsTableModel.RecordRole  # the dto.KeyPersonInfo of the row
IdRole = RowsTableModel.IdRole


def plan_name(kind: str) -> str:
    """What the Carers (Scotland) Act 2016 calls a carer's own plan."""
    tr = QCoreApplication.translate
    if kind == KeyPersonKind.YOUNG_CARER:
        return tr("carers", "Young carer statement")
    return tr("carers", "Adult carer support plan")


class KeyPeopleColumn(IntEnum):
    NAME = 0
    KIND = 1
    RELATIONSHIP = 2
    LIVES_WITH = 3
    SUPPORT_PLAN = 4
    REVIEW = 5
    PHONE = 6


class KeyPeopleTableModel(RowsTableModel):
    def __init__(self, parent: QObject | None = None, *,
                 today: Callable[[], date] = london_today):
        super().__init__(parent)
        self._today = today

    def headers(self) -> Sequence[str]:
        return (self.tr("Name"), self.tr("Who"), self.tr("Relationship"),
                self.tr("Lives with them"), self.tr("Own support plan"),
                self.tr("Plan review"), self.tr("Phone"))

    def cell(self, k: dto.KeyPersonInfo, column: int) -> str:
        match KeyPeopleColumn(column):
            case KeyPeopleColumn.NAME:
                return k.name
            case KeyPeopleColumn.KIND:
                return labels.vocab(KeyPersonKind, k.kind)
            case KeyPeopleColumn.RELATIONSHIP:
                return k.relationship
            case KeyPeopleColumn.LIVES_WITH:
                return self.tr("Yes") if k.lives_with_person else self.tr("No")
            case KeyPeopleColumn.SUPPORT_PLAN:
                if not k.is_carer:
                    return ""
                status = labels.vocab(SupportPlanStatus, k.support_plan or "not_offered")
                return self.tr("{plan}: {status}").format(plan=plan_name(k.kind),
                                                          status=status.lower())
            case KeyPeopleColumn.REVIEW:
                if k.support_plan_review_on is None:
                    return ""
                when = show_date(k.support_plan_review_on)
                return self.tr("{date} – overdue").format(date=when) if self._overdue(k) else when
            case KeyPeopleColumn.PHONE:
                return k.phone or ""

    def tooltip(self, k: dto.KeyPersonInfo, column: int) -> str | None:
        if column == KeyPeopleColumn.NAME and k.is_carer:
            return self.tr("A carer: a partner in care, with their own support plan")
        if (column == KeyPeopleColumn.SUPPORT_PLAN
                and k.support_plan == SupportPlanStatus.NOT_OFFERED):
            return self.tr("Every carer has a right to their own plan: offer one")
        return None

    def bold(self, k: dto.KeyPersonInfo, column: int) -> bool:
        return column == KeyPeopleColumn.REVIEW and self._overdue(k)

    def foreground(self, k: dto.KeyPersonInfo, column: int) -> QColor | None:
        return WARNING_COLOUR if self.bold(k, column) else None

    def _overdue(self, k: dto.KeyPersonInfo) -> bool:
        return (k.support_plan_review_on is not None
                and k.support_plan == SupportPlanStatus.IN_PLACE
                and k.support_plan_review_on < self._today())
