"""A case window shows changes as they happen without auditing a read nobody made: opening
the file is one audited read; each refresh after a change is not."""

from __future__ import annotations

from sqlalchemy import func, select

from casework import dto
from casework.models import AuditEvent
from test_case_status import window_for


def reads(fx) -> int:
    with fx.ws.db.read() as s:
        return s.scalar(select(func.count()).where(AuditEvent.action == "view_case")) or 0


def test_a_change_shows_in_the_window_with_no_read_audited(fx, runner, qtbot):
    before = reads(fx)
    window = window_for(fx, runner, qtbot, "sw.one", "Alasdair Grant")
    assert reads(fx) == before + 1  # the person opened it
    other = fx.login("tl.north")
    s = other.cases.current(fx.cases["Alasdair Grant"])
    other.cases.update_details(s.case.id, dto.CaseDetailsInput(
        "high", s.case.eligibility_band, "voluntary", "Falls at night."), s.row_version)
    qtbot.waitUntil(lambda: window.summary.case.risk_level == "high", timeout=2000)
    assert window.summary_tab.value("Risk") == "High"
    assert reads(fx) == before + 1
