"""The audit table model and the Audit page: verifying the chain and filtering events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from admin_fixtures import me, runner, world, ws  # noqa: F401 (fixtures)
from casework.errors import PermissionDenied
from casework import dto
from casework.ui.item_models.audit_table import AuditColumn, AuditTableModel
from casework.ui.pages.admin_audit import AuditPage



@pytest.fixture
def page(qtbot, me, runner, world):
    p = AuditPage(me, runner)
    qtbot.addWidget(p)
    p.show()
    return p


def event_count(me) -> int:
    """Every event of the trail, read a page at a time as the services allow."""
    total, offset = 0, 0
    while rows := me.audit.events(dto.AuditQuery(), offset, 500).rows:
        total, offset = total + len(rows), offset + 500
    return total


def column(model, col):
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_audit_model_pages_newest_first_and_passes_the_model_tester(qtmodeltester, me, runner,
                                                                     world):
    for i in range(110):
        me.admin.update_team(world.team.id, me.admin.teams()[0].row_version,
                             name=f"North {i}", service_area="adult_community_care",
                             service_manager_id=None)
    model = AuditTableModel(me, runner)
    model.reload()
    assert model.rowCount() == 100 and model.canFetchMore(QModelIndex())
    first = model.data(model.index(0, 0), AuditTableModel.EventRole)
    assert first.action == "update_team" and first.seq == max(
        e.seq for e in me.audit.events(dto.AuditQuery(), 0, 500).rows)
    qtmodeltester.check(model)

    model.fetchMore(QModelIndex())
    qtmodeltester.check(model)
    total = event_count(me)
    assert model.rowCount() == total > 100
    seqs = [model.data(model.index(r, 0), AuditTableModel.EventRole).seq
            for r in range(model.rowCount())]
    assert seqs == sorted(seqs, reverse=True)

    model.set_query(dto.AuditQuery(text="create_staff"))
    qtmodeltester.check(model)
    assert column(model, AuditColumn.ACTION) == ["Create staff", "Create staff"]
    assert column(model, AuditColumn.WHO) == ["Administrator", "Administrator"]
    assert all(r.startswith("Staff ") for r in column(model, AuditColumn.RECORD))


def test_times_are_shown_in_london_time(me, runner):
    summer = dto.AuditEventInfo(id="e1", seq=7, at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
                                actor_name="Administrator", action="reset_password",
                                outcome="done", entity_type="staff", entity_id="abcdef12-3456",
                                reason=None, detail="{}")
    model = AuditTableModel(me, runner)
    assert model.cell(summer, AuditColumn.WHEN) == "01 Jul 2026 13:00"  # BST
    assert model.cell(summer, AuditColumn.RECORD) == "Staff abcdef12"
    assert model.tooltip(summer, AuditColumn.RECORD) == "abcdef12-3456"


def test_refusals_filter_by_outcome(qtbot, page, ws, world):
    worker_me = ws.login("ewan", "worker-password-1")
    with pytest.raises(PermissionDenied):
        worker_me.admin.teams()
    page.outcome.setCurrentIndex(page.outcome.findData("refused"))
    model = page.model
    assert model.rowCount() == 1
    assert column(model, AuditColumn.OUTCOME) == ["Refused"]
    assert column(model, AuditColumn.WHO) == ["Ewan Fraser"]
    assert column(model, AuditColumn.REASON) == ["Role not permitted"]

    page.outcome.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "create_team")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert column(model, AuditColumn.ACTION) == ["Create team"]


def test_verify_an_intact_chain(qtbot, page, me):
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    checked = event_count(me) - 1  # less the check itself
    assert page.result.text() == f"Chain intact: {checked} events checked."
    assert page.problems.isHidden()
    assert page.busy.isHidden() and page.verify_button.isEnabled()
    assert page.model.data(page.model.index(0, AuditColumn.ACTION)) == "Verify audit"


def test_verify_finds_an_event_edited_behind_casework(qtbot, page, ws):
    raw = ws.db.engine.raw_connection()
    try:
        raw.execute("DROP TRIGGER audit_event_no_update")
        raw.execute("UPDATE audit_event SET actor_name = 'Someone Else' WHERE seq = 2")
        raw.commit()
    finally:
        raw.close()

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.result.text().startswith("The chain is broken: 2 problems found")
    assert page.problems.isVisible() and page.problems.count() == 2
    text = page.problems.item(0).text()
    assert text.startswith("Edited: The contents of event #2")
    assert "by Someone Else" in text
    # Lifting the insert-only trigger is itself named.
    assert page.problems.item(1).text().startswith("Guard removed: ")


def test_verify_names_newest_events_deleted_behind_a_rewritten_head(qtbot, page, ws):
    """The rewrite the unkeyed chain could not see: the newest events deleted and the head
    row rewritten to match. The head kept outside the file still names it."""
    raw = ws.db.engine.raw_connection()
    try:
        last, = raw.execute("SELECT max(seq) FROM audit_event").fetchone()
        keep, = raw.execute("SELECT hash FROM audit_event WHERE seq = ?", (last - 2,)).fetchone()
        raw.execute("DROP TRIGGER audit_event_no_delete")
        raw.execute("DELETE FROM audit_event WHERE seq > ?", (last - 2,))
        raw.execute("UPDATE audit_head SET seq = ?, hash = ?", (last - 2, keep))
        raw.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN "
                    "SELECT RAISE(ABORT, 'insert-only table: write a new row instead'); END")
        raw.commit()
    finally:
        raw.close()

    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.result.text().startswith("The chain is broken: 2 problems found")
    texts = [page.problems.item(r).text() for r in range(page.problems.count())]
    assert texts[0].startswith("Chain head rewritten: ")
    assert texts[1].startswith(f"Deleted: Events #{last - 1}–#{last} are missing from the end")
