"""A note once written never changes: whatever anyone records, corrects or is refused, every
note stays exactly as it was written, none disappears, and each correction points at the
note it corrects, which was the newest version when it was corrected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from casework.errors import PermissionDenied, ValidationError
from casework.models import CaseNote
from casework import dto
from reach import Reach
from service_world import build_world

# sw.north, who writes the first note, most often: only a note's author corrects it.
ACTORS = ("sw.north", "sw.north", "sw.north", "tl.north", "sp.north", "sw.south", "pp.north",
          "sm")
CASES = ("Łukasz Nowak", "Siobhán Ní Bhriain", "Ann Closed", "Iain South")
TYPES = ("visit", "phone", "meeting", "letter", "email", "office", "other", "event")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("notes"))
    yield w
    w.ws.close()


def _snapshot(world) -> dict[str, tuple]:
    columns = CaseNote.__table__.columns
    with world.ws.db.read() as s:
        return {r.id: tuple(getattr(r, c.key) for c in columns)
                for r in s.scalars(select(CaseNote))}


class Notes(RuleBasedStateMachine):
    notes = Bundle("notes")

    def __init__(self, world):
        super().__init__()
        self.world = world
        self.seen = _snapshot(world)

    def _input(self, data, significant: bool) -> dto.NoteInput:
        return dto.NoteInput(
            note_type=data.draw(st.sampled_from(TYPES)),
            occurred_at=self.world.clock() - timedelta(minutes=data.draw(
                st.integers(-30, 60 * 24 * 400))),
            # Any text, or words that pass the checks, so that most calls write something.
            subject=data.draw(st.one_of(st.text(min_size=0, max_size=12),
                                        st.sampled_from(["Visit", "Phone call"]))),
            body=data.draw(st.one_of(st.text(min_size=0, max_size=40),
                                     st.sampled_from(["Saw Łukasz at home.", "No answer."]))),
            significant=significant)

    def _written(self, row: dto.NoteRow) -> None:
        with self.world.ws.db.read() as s:
            n = s.get(CaseNote, row.id)
            self.seen[row.id] = tuple(getattr(n, c.key) for c in CaseNote.__table__.columns)

    @initialize(target=notes)
    def first_note(self):
        me = self.world.login("sw.north")
        row = me.notes.add(self.world.cases["Łukasz Nowak"], dto.NoteInput(
            "visit", self.world.clock(), "First visit", "Met Łukasz at home."))
        self._written(row)
        return row.id

    @rule(target=notes, actor=st.sampled_from(ACTORS), case=st.sampled_from(CASES),
          significant=st.booleans(), data=st.data())
    def add(self, actor, case, significant, data):
        try:
            row = self.world.login(actor).notes.add(self.world.cases[case],
                                                    self._input(data, significant))
        except (PermissionDenied, ValidationError) as e:
            REACH(f"add: {type(e).__name__}")
            return multiple()  # nothing was written
        REACH("add: done")
        self._written(row)
        return row.id

    @rule(target=notes, actor=st.sampled_from(ACTORS), old=notes, data=st.data())
    def correct(self, actor, old, data):
        with self.world.ws.db.read() as s:
            newest = s.scalar(select(CaseNote.id).where(CaseNote.corrects_id == old)) is None
        which = "newest" if newest else "superseded"
        try:
            row = self.world.login(actor).notes.correct(old, self._input(data, False))
        except (PermissionDenied, ValidationError) as e:
            REACH(f"correct {which}: {type(e).__name__}")
            return multiple()
        REACH(f"correct {which}: done")
        assert newest, "a superseded note was corrected"
        assert row.corrects_id == old
        self._written(row)
        return row.id

    @invariant()
    def every_note_is_as_it_was_written(self):
        now = _snapshot(self.world)
        assert set(now) == set(self.seen), "a note appeared or disappeared unseen"
        for note_id, written in self.seen.items():
            assert now[note_id] == written, f"note {note_id} changed"


REACH = Reach()


def test_a_note_once_written_never_changes(world):
    run_state_machine_as_test(
        lambda: Notes(world),
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]))
    REACH.check("add: done", "correct newest: done", "correct superseded: ValidationError")
