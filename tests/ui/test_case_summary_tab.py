"""The case window's summary tab: the latest notes say in words which are significant and
which correct an earlier note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casework import dto
from casework.ui.case_window.window import CaseWindow
from ui_world import add_note, page_context

MORAG = "Morag Henderson"


def test_recent_notes_mark_significance_and_corrections_in_words(fx, runner, qtbot):
    first = add_note(fx, MORAG, "Home visit", hours_ago=30)
    add_note(fx, MORAG, "Strategy meeting", note_type="meeting", significant=True, hours_ago=20)
    me = fx.login("sw.one")
    me.notes.correct(first, dto.NoteInput("visit", datetime.now(UTC) - timedelta(hours=10),
                                          "Home visit", "Seen on Wednesday, not Tuesday."))
    ctx = page_context(fx, me, runner)
    window = CaseWindow(ctx, me.cases.summary(fx.cases[MORAG]))
    qtbot.addWidget(window)
    table = window.summary_tab.notes_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["When", "Type", "By", "Significance and corrections", "Subject"]
    rows = [[table.item(r, c).text() for c in (3, 4)] for r in range(table.rowCount())]
    assert rows == [["Correction", "Home visit"], ["Significant", "Strategy meeting"],
                    ["", "Home visit"]]
