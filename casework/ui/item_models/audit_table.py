"""The audit trail, newest first, a page at a time, filtered in SQL by the service."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from casework.services import Me
from casework.dto import AuditEventInfo, AuditQuery
from casework.timeutil import show_datetime
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner

REFUSED_COLOUR = QColor("#a4161a")  # a supplement only: the outcome is in words


class AuditColumn(IntEnum):
    WHEN = 0
    WHO = 1
    ACTION = 2
    OUTCOME = 3
    RECORD = 4
    REASON = 5


def _words(code: str | None) -> str:
    """'reset_password' -> 'Reset password': codes are stable identifiers, not prose."""
    return code.replace("_", " ").capitalize() if code else ""


class AuditTableModel(PagedTableModel):
    EventRole = PagedTableModel.RecordRole

    def __init__(self, me: Me, runner: Runner, query: AuditQuery | None = None,
                 parent: QObject | None = None):
        super().__init__(runner, query or AuditQuery(), parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("When"), self.tr("Who"), self.tr("Action"), self.tr("Outcome"),
                self.tr("Record"), self.tr("Reason"))

    def outcome_label(self, outcome: str) -> str:
        return {"done": self.tr("Done"), "refused": self.tr("Refused"),
                "failed": self.tr("Failed")}.get(outcome, outcome)

    def fetch(self, query: AuditQuery, offset: int, limit: int) -> Sequence[AuditEventInfo]:
        return self._me.audit.events(query, offset, limit).rows

    def cell(self, ev: AuditEventInfo, column: int) -> str:
        match AuditColumn(column):
            case AuditColumn.WHEN:
                return show_datetime(ev.at)
            case AuditColumn.WHO:
                return ev.actor_name
            case AuditColumn.ACTION:
                return _words(ev.action)
            case AuditColumn.OUTCOME:
                return self.outcome_label(ev.outcome)
            case AuditColumn.RECORD:
                if not ev.entity_type:
                    return ""
                # The first block of a UUID is enough to tell records apart on screen;
                # the tooltip and the text filter use the whole id.
                short = (ev.entity_id or "")[:8]
                return f"{_words(ev.entity_type)} {short}".strip()
            case AuditColumn.REASON:
                return _words(ev.reason)

    def tooltip(self, ev: AuditEventInfo, column: int) -> str | None:
        if column == AuditColumn.RECORD and ev.entity_id:
            return ev.entity_id
        if ev.detail and ev.detail != "{}":
            return self.tr("Event #%1: %2").replace("%1", str(ev.seq)).replace("%2", ev.detail)
        return self.tr("Event #%1").replace("%1", str(ev.seq))

    def foreground(self, ev: AuditEventInfo, column: int) -> QColor | None:
        if column == AuditColumn.OUTCOME and ev.outcome != "done":
            return REFUSED_COLOUR
        return None
