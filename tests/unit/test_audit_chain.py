"""The audit chain finds and names an edited, an inserted and a deleted event, the newest
included. Tampering is done as an intruder would: on the file, past the triggers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from casework.models import AuditEvent
from casework.services.audit import GENESIS, event_hash


def _events(world):
    with world.ws.db.read() as s:
        return s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def _raw(world, *statements):
    """Change the file directly, as someone with the key and a SQLite shell would."""
    with world.ws.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
        for stmt, params in statements:
            conn.execute(text(stmt), params)


def test_an_untouched_chain_verifies(world):
    report = world.ws.verify_audit()
    assert report.ok and report.events_checked == len(_events(world)) > 10
    assert _events(world)[0].prev_hash == GENESIS


def test_the_database_refuses_to_change_or_delete_events(world):
    from sqlalchemy.exc import DatabaseError

    for stmt in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="insert-only"):
            with world.ws.db.engine.begin() as conn:
                conn.exec_driver_sql(stmt)


def test_an_edited_event_is_named(world):
    victim = _events(world)[5]
    _raw(world, ("UPDATE audit_event SET actor_name = 'Someone Else' WHERE id = :id", {"id": victim.id}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq, p.event_id) for p in report.problems] == [("edited", 6, victim.id)]
    assert "were changed" in report.problems[0].message


def test_a_deleted_event_is_named(world):
    victim = _events(world)[5]
    _raw(world, ("DELETE FROM audit_event WHERE id = :id", {"id": victim.id}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("deleted", 7)]
    assert "#6 is missing" in report.problems[0].message


def test_deleting_the_newest_events_is_found(world):
    last = _events(world)[-1]
    _raw(world, ("DELETE FROM audit_event WHERE seq >= :seq", {"seq": last.seq - 1}))
    report = world.ws.verify_audit()
    assert [p.kind for p in report.problems] == ["deleted"]
    assert f"#{last.seq - 1}–#{last.seq} is missing" in report.problems[0].message


def test_an_inserted_event_is_named(world):
    """An intruder inserts a forged event after #5 with a valid-looking hash and renumbers
    the later events to make room: the forged event is named."""
    events = _events(world)
    fifth = events[4]
    forged = AuditEvent(id="forged-event", device_id=fifth.device_id, seq=6, at=fifth.at,
                        actor_id=None, actor_name="Intruder", action="login", outcome="done",
                        entity_type=None, entity_id=None, reason=None, detail="{}",
                        prev_hash=fifth.hash)
    forged.hash = event_hash(forged)
    n = len(events)
    shifts = [("UPDATE audit_event SET seq = seq + 1000 WHERE seq > 5", {}),
              ("UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000", {})]
    insert = ("INSERT INTO audit_event (id, device_id, seq, at, actor_id, actor_name, action, "
              "outcome, entity_type, entity_id, reason, detail, prev_hash, hash) VALUES "
              "(:id, :device_id, 6, :at, NULL, 'Intruder', 'login', 'done', NULL, NULL, NULL, "
              "'{}', :prev, :hash)",
              {"id": forged.id, "device_id": fifth.device_id,
               "at": fifth.at.replace(tzinfo=None), "prev": fifth.hash, "hash": forged.hash})
    _raw(world, *shifts, insert)
    assert len(_events(world)) == n + 1
    report = world.ws.verify_audit()
    kinds = {(p.kind, p.event_id) for p in report.problems}
    assert ("inserted", "forged-event") in kinds


def test_refusals_are_in_the_chain(world):
    from casework import dto
    from refusals import assert_refused

    pp = world.login("pp.north")
    assert_refused(world, pp, lambda: pp.cases.page(dto.CaseQuery()), "view_own_caseload",
                   "role_not_permitted")
    last = _events(world)[-1]
    assert (last.action, last.outcome, last.reason) == ("view_own_caseload", "refused",
                                                        "role_not_permitted")
    assert world.ws.verify_audit().ok


def test_verification_by_an_administrator_is_itself_audited(world):
    report = world.login("admin").audit.verify()
    assert report.ok
    last = _events(world)[-1]
    assert last.action == "verify_audit"
    assert json.loads(last.detail)["problems"] == 0
