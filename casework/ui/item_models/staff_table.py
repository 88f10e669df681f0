"""Staff for the administrator's table, a page of 100 at a time, filtered in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from casework.permissions import Accreditation, RegisterPart
from casework.services import Me
from casework.dto import StaffInfo, StaffQuery
from casework.timeutil import as_utc, show_date, show_datetime, show_time
from casework.ui import labels
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner

LAPSED_COLOUR = QColor("#a4161a")  # a supplement only: the word "lapsed" is in the text


class StaffColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLE = 2
    TEAM = 3
    FTE = 4
    REGISTRATION = 5
    QUALIFIED = 6
    ACCREDITATIONS = 7
    STATUS = 8


class StaffTableModel(PagedTableModel):
    StaffRole = PagedTableModel.RecordRole

    def __init__(self, me: Me, runner: Runner, query: StaffQuery | None = None,
                 parent: QObject | None = None):
        super().__init__(runner, query or StaffQuery(), parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("Name"), self.tr("Username"), self.tr("Role"), self.tr("Team"),
                self.tr("FTE"), self.tr("SSSC registration"), self.tr("Qualified"),
                self.tr("Accreditations"), self.tr("Status"))

    def fetch(self, query: StaffQuery, offset: int, limit: int) -> Sequence[StaffInfo]:
        return self._me.admin.staff_page(query, offset, limit).rows

    def cell(self, s: StaffInfo, column: int) -> str:
        match StaffColumn(column):
            case StaffColumn.NAME:
                return s.display_name
            case StaffColumn.USERNAME:
                return s.username
            case StaffColumn.ROLE:
                return labels.role(s.role)
            case StaffColumn.TEAM:
                return s.team_name or ""
            case StaffColumn.FTE:
                return f"{s.fte_percent}%"
            case StaffColumn.REGISTRATION:
                return self._registration(s)
            case StaffColumn.QUALIFIED:
                return show_date(s.qualified_on)
            case StaffColumn.ACCREDITATIONS:
                return ", ".join(labels.vocab(Accreditation, a) for a in s.accreditations)
            case StaffColumn.STATUS:
                return self._status(s)

    def tooltip(self, s: StaffInfo, column: int) -> str | None:
        if column == StaffColumn.REGISTRATION and s.sssc_part:
            part = labels.vocab(RegisterPart, s.sssc_part)
            return self.tr("%1 part of the SSSC register").replace("%1", part)
        if column == StaffColumn.STATUS and s.last_login_at:
            return self.tr("Last signed in %1").replace("%1", show_datetime(s.last_login_at))
        return None

    def foreground(self, s: StaffInfo, column: int) -> QColor | None:
        if column == StaffColumn.REGISTRATION and _lapsed(s, self._me.today()):
            return LAPSED_COLOUR
        return None

    def _registration(self, s: StaffInfo) -> str:
        if not s.sssc_number:
            return self.tr("Not registered")
        if s.sssc_expiry is None:
            return s.sssc_number
        text = (self.tr("%1, lapsed %2") if _lapsed(s, self._me.today())
                else self.tr("%1, expires %2"))
        return text.replace("%1", s.sssc_number).replace("%2", show_date(s.sssc_expiry))

    def _status(self, s: StaffInfo) -> str:
        if not s.active:
            return self.tr("Deactivated")
        if s.locked_until is not None and as_utc(s.locked_until) > self._me.now():
            # A lock lasts minutes: the time is enough.
            return self.tr("Locked until %1").replace("%1", show_time(s.locked_until))
        if s.must_change_password:
            return self.tr("Active (temporary password)")
        return self.tr("Active")


def _lapsed(s: StaffInfo, today: date) -> bool:
    """By the workspace's own clock (the services'), not the machine's."""
    return s.sssc_expiry is not None and s.sssc_expiry < today
