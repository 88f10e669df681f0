"""Drafts someone was asked to prepare ("Drafts for me"), a page at a time from
`me.assessments.my_drafts`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Protocol

from PySide6.QtCore import QObject

from casework import dto
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.item_models.paged_table import PAGE_SIZE, PagedTableModel
from casework.ui.tasks import Runner
from casework.vocab import STATUTORY_ASSESSMENTS, AssessmentKind


class DraftLister(Protocol):
    def my_drafts(self, offset: int = 0, limit: int = 100) -> dto.Page[dto.DraftRow]: ...
    def count_my_drafts(self) -> int: ...


class DraftColumn(IntEnum):
    PERSON = 0
    REFERENCE = 1
    KIND = 2
    STARTED = 3
    ASKED_BY = 4


class DraftsTableModel(PagedTableModel):
    DraftRole = PagedTableModel.RecordRole

    def __init__(self, assessments: DraftLister, runner: Runner, me_id: str,
                 parent: QObject | None = None, *, page_size: int = PAGE_SIZE):
        super().__init__(runner, None, parent, page_size=page_size)
        self._assessments = assessments
        self._me_id = me_id

    def headers(self) -> Sequence[str]:
        return (self.tr("Person"), self.tr("Case"), self.tr("Assessment"), self.tr("Started"),
                self.tr("Asked by"))

    def fetch(self, query: None, offset: int, limit: int) -> Sequence[dto.DraftRow]:
        return self._assessments.my_drafts(offset, limit).rows

    def count(self, query: None) -> int:
        return self._assessments.count_my_drafts()

    def cell(self, d: dto.DraftRow, column: int) -> str:
        match DraftColumn(column):
            case DraftColumn.PERSON:
                return d.person_name
            case DraftColumn.REFERENCE:
                return d.case_reference
            case DraftColumn.KIND:
                kind = labels.vocab(AssessmentKind, d.kind)
                if d.kind in STATUTORY_ASSESSMENTS:  # said in words, not only in a tooltip
                    return self.tr("{kind} (statutory)").format(kind=kind)
                return kind
            case DraftColumn.STARTED:
                return show_date(d.started_on)
            case DraftColumn.ASKED_BY:
                return self.tr("You started it") if d.asked_by_id == self._me_id else d.asked_by_name

    def tooltip(self, d: dto.DraftRow, column: int) -> str | None:
        if column == DraftColumn.KIND and d.kind in STATUTORY_ASSESSMENTS:
            return self.tr("Statutory: you may prepare it; a registered social worker signs "
                           "it off")
        return None
