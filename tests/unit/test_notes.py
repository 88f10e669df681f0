"""Case notes as every role: typed, dated, authored; never edited or deleted — a correction
is a new note pointing at the one it corrects, and both stay listed; significant notes and
Casework's own events make the chronology."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from casework.errors import NotFound, ValidationError
from casework.events import Changed
from casework.models import AuditEvent, CaseNote
from casework import dto
from refusals import assert_refused

NOWAK = "Łukasz Nowak"


def visit(world, subject="Home visit", body="Saw Łukasz at home; he was well.", *,
          minutes_ago=60, **kw) -> dto.NoteInput:
    return dto.NoteInput(note_type=kw.pop("note_type", "visit"),
                         occurred_at=world.clock() - timedelta(minutes=minutes_ago),
                         subject=subject, body=body, **kw)


def refusals(world) -> list[tuple[str, str]]:
    with world.ws.db.read() as s:
        return [(e.action, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused").order_by(AuditEvent.seq))]


def note_count(world) -> int:
    with world.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(CaseNote)) or 0


def stored(world, note_id: str) -> dict:
    with world.ws.db.read() as s:
        n = s.get(CaseNote, note_id)
        return {c.key: getattr(n, c.key) for c in CaseNote.__table__.columns}


@pytest.fixture
def events(world):
    seen: list[Changed] = []
    world.ws.bus.subscribe(seen.append)
    return seen


# -- writing ------------------------------------------------------------------------------

def test_the_named_worker_records_a_visit(world, events):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    row = me.notes.add(cid, visit(world, contact_with="Łukasz and his daughter Ola"))
    assert (row.note_type, row.subject, row.author_name) == ("visit", "Home visit", "Sw North")
    assert row.occurred_at == world.clock() - timedelta(minutes=60)
    assert row.recorded_at == world.clock()
    assert row.contact_with == "Łukasz and his daughter Ola"
    assert not row.significant and row.corrects_id is None and row.corrected_by_id is None
    assert me.notes.page(cid).rows == (row,)
    assert Changed("note", (cid, row.id)) in events
    with world.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "add_note")).one()
    # The administrator reads the audit trail: ids and kinds, never what was written.
    assert ev.outcome == "done" and ev.entity_id == row.id
    assert json.loads(ev.detail) == {"case_id": cid, "note_type": "visit", "significant": False}
    assert "Łukasz" not in ev.detail


@pytest.mark.parametrize("username", ["sw.north", "sp.north", "tl.north", "sm", "sw.lapsed",
                                      "sw.nq"])
def test_the_case_team_and_its_managers_may_record(world, username):
    row = world.login(username).notes.add(world.cases[NOWAK], visit(world))
    assert row.author_id == world.staff[username].id


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("tl.south", "outside_team"),
])
def test_others_may_not_record_refused_and_audited(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.notes.add(world.cases[NOWAK], visit(world)),
                   "add_note", reason, entity_id=world.cases[NOWAK])
    assert refusals(world) == [("add_note", reason)]


def test_a_reason_to_read_another_team_s_case_does_not_let_them_write(world):
    south = world.login("sw.south")
    cid = world.cases[NOWAK]
    world.login("sw.north").notes.add(cid, visit(world))
    south.cases.summary(cid, reason="Out of hours: the person phoned the south office")
    assert len(south.notes.page(cid).rows) == 1
    assert_refused(world, south, lambda: south.notes.add(cid, visit(world)), "add_note",
                   "outside_team", entity_id=cid)


def test_bad_input_is_named_field_by_field_and_nothing_is_written(world):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    before = note_count(world)
    with pytest.raises(ValidationError) as e:
        me.notes.add(cid, dto.NoteInput(note_type="event", occurred_at=world.clock()
                                        + timedelta(hours=2), subject="  ", body=""))
    assert set(e.value.problems) == {"note_type", "occurred_at", "subject", "body"}
    assert e.value.problems["occurred_at"] == "must not be in the future"
    with pytest.raises(ValidationError) as e:
        me.notes.add(cid, visit(world, subject="x" * 201, contact_with="y" * 201))
    assert set(e.value.problems) == {"subject", "contact_with"}
    with pytest.raises(ValidationError) as e:
        me.notes.add(world.cases["Ann Closed"], visit(world))
    assert set(e.value.problems) == {"case"}
    assert note_count(world) == before
    # A few minutes ahead of this clock is another device's clock, not a mistake.
    assert me.notes.add(cid, visit(world, minutes_ago=-3)).subject == "Home visit"


def test_whitespace_is_tidied_and_blank_contact_is_nothing(world):
    row = world.login("sw.north").notes.add(
        world.cases[NOWAK], visit(world, subject="  Phone   call ", body="\n Spoke. \n",
                                  note_type="phone", contact_with="   "))
    assert (row.subject, row.body, row.contact_with) == ("Phone call", "Spoke.", None)


def test_the_database_refuses_to_change_or_delete_a_note(world):
    row = world.login("sw.north").notes.add(world.cases[NOWAK], visit(world))
    for statement in ("UPDATE case_note SET body = 'changed' WHERE id = :id",
                      "DELETE FROM case_note WHERE id = :id"):
        with pytest.raises(DatabaseError):
            with world.ws.db.write() as s:
                s.execute(text(statement), {"id": row.id})
    assert stored(world, row.id)["body"] == "Saw Łukasz at home; he was well."


# -- corrections --------------------------------------------------------------------------

def test_a_correction_is_a_new_note_and_both_stay(world, events):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    first = me.notes.add(cid, visit(world, body="Saw him on Tuesday."))
    before = stored(world, first.id)
    world.clock.advance(hours=1)
    fixed = me.notes.correct(first.id, visit(world, body="Saw him on Wednesday, not Tuesday."))
    assert fixed.corrects_id == first.id and fixed.id != first.id
    assert stored(world, first.id) == before  # the original is exactly as it was
    rows = {r.id: r for r in me.notes.page(cid).rows}
    assert set(rows) == {first.id, fixed.id}
    assert rows[first.id].corrected_by_id == fixed.id
    assert rows[first.id].body == "Saw him on Tuesday."
    assert me.notes.get(first.id).corrected_by_id == fixed.id
    assert Changed("note", (cid, fixed.id, first.id)) in events
    with world.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "correct_note")).one()
    assert json.loads(ev.detail) == {"case_id": cid, "corrects_id": first.id}


def test_only_the_newest_version_is_corrected(world):
    me = world.login("sw.north")
    first = me.notes.add(world.cases[NOWAK], visit(world))
    second = me.notes.correct(first.id, visit(world, body="Corrected once."))
    with pytest.raises(ValidationError) as e:
        me.notes.correct(first.id, visit(world, body="Corrected again."))
    assert "correct the newest version" in e.value.problems["corrects_id"]
    third = me.notes.correct(second.id, visit(world, body="Corrected twice."))
    assert third.corrects_id == second.id
    assert me.notes.get(second.id).corrected_by_id == third.id


def test_casework_s_own_events_are_not_corrected(world):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    plan = me.plans.plan(cid)
    me.plans.set_next_review(cid, world.clock().date() + timedelta(days=30),
                             plan.case_row_version)
    outcome = me.plans.add_outcome(cid, "Stay at home")
    me.plans.record_review(cid, dto.ReviewInput(
        held_on=world.clock().date(), summary="Going well.",
        ratings=(dto.RatingInput(outcome.id, "met", 5, "Managing well."),),
        next_review_on=world.clock().date() + timedelta(days=90)),
        me.plans.plan(cid).case_row_version)
    event = next(r for r in me.notes.page(cid).rows if r.is_event)
    with pytest.raises(ValidationError) as e:
        me.notes.correct(event.id, visit(world))
    assert set(e.value.problems) == {"corrects_id"}


@pytest.mark.parametrize("username, allowed", [
    ("sw.north", True),  # the author
    ("tl.north", True),  # leads the team
    ("sm", True),  # manages it
    ("sp.north", False),  # a colleague writes a note of their own
    ("sw.mho", False),
])
def test_who_may_correct(world, username, allowed):
    first = world.login("sw.north").notes.add(world.cases[NOWAK], visit(world))
    me = world.login(username)
    if allowed:
        assert me.notes.correct(first.id, visit(world, body="Put right.")).corrects_id == first.id
        return
    assert_refused(world, me, lambda: me.notes.correct(first.id, visit(world, body="Put right.")),
                   "correct_note", "not_note_author", entity_id=first.id)
    assert refusals(world) == [("correct_note", "not_note_author")]


def test_a_closed_case_may_still_be_put_right(world):
    me = world.login("sw.north")
    cid = world.cases["Ann Closed"]
    with world.ws.db.write() as s:
        s.add(CaseNote(case_id=cid, author_id=world.staff["sw.north"].id, note_type="visit",
                       occurred_at=world.clock(), subject="Last visit", body="Wrong date.",
                       team_id=world.teams["north"].id, updated_at=world.clock()))
    (old,) = me.notes.page(cid).rows
    assert me.notes.correct(old.id, visit(world, body="Right date.")).corrects_id == old.id


def test_a_missing_note_is_not_found(world):
    with pytest.raises(NotFound):
        world.login("sw.north").notes.correct("no-such-note", visit(world))


# -- reading ------------------------------------------------------------------------------

@pytest.fixture
def several(world):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    made = [
        me.notes.add(cid, visit(world, "Visit about meals", "Meals on wheels.", minutes_ago=300)),
        me.notes.add(cid, visit(world, "Phoned GP", "GP agrees.", minutes_ago=200,
                                note_type="phone", significant=True)),
        me.notes.add(cid, visit(world, "Strategy meeting", "Risk 50% lower_than before.",
                                minutes_ago=100, note_type="meeting", significant=True)),
    ]
    return me, cid, made


def test_newest_first_by_default_and_the_chronology_oldest_first(several):
    me, cid, (meals, gp, meeting) = several
    assert [r.id for r in me.notes.page(cid).rows] == [meeting.id, gp.id, meals.id]
    assert me.notes.count(cid) == 3
    assert [r.id for r in me.notes.page(cid, dto.CHRONOLOGY).rows] == [gp.id, meeting.id]
    assert me.notes.count(cid, dto.CHRONOLOGY) == 2


def test_filters_by_type_and_words_in_sql(several):
    me, cid, (meals, gp, meeting) = several
    phone = dto.NoteQuery(note_types=("phone",))
    assert [r.id for r in me.notes.page(cid, phone).rows] == [gp.id]
    assert [r.id for r in me.notes.page(cid, dto.NoteQuery(text="MEALS")).rows] == [meals.id]
    # Words each match; LIKE's wildcards are taken literally.
    assert [r.id for r in me.notes.page(cid, dto.NoteQuery(text="50% lower_")).rows] == [
        meeting.id]
    assert me.notes.page(cid, dto.NoteQuery(text="5_%")).rows == ()
    assert me.notes.count(cid, dto.NoteQuery(text="gp agrees")) == 1


def test_pages_are_bounded_and_continue(several):
    me, cid, made = several
    first, second = me.notes.page(cid, limit=2), me.notes.page(cid, offset=2, limit=2)
    assert len(first.rows) == 2 and not first.exhausted
    assert len(second.rows) == 1 and second.exhausted
    for offset, limit, field in ((0, 0, "limit"), (0, 501, "limit"), (-1, 10, "offset")):
        with pytest.raises(ValidationError) as e:
            me.notes.page(cid, offset=offset, limit=limit)
        assert e.value.field == field


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("sw.south", "outside_team_needs_reason"),
])
def test_others_may_not_read_the_notes(several, world, username, reason):
    _me, cid, made = several
    me = world.login(username)
    for call in (lambda: me.notes.page(cid), lambda: me.notes.get(made[0].id),
                 lambda: me.notes.count(cid)):
        assert_refused(world, me, call, "view_notes", reason)
    assert refusals(world) == [("view_notes", reason)] * 3
