"""Reading a case again to refresh what a window shows is not a new read of the case file:
`cases.current` is not audited as one, while opening the file (`cases.summary`) always is.
Anyone who may not read the case is still refused, and that is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.models import AuditEvent
from refusals import assert_refused

NOWAK = "Łukasz Nowak"  # sw.north's, North


def events(world, **where) -> int:
    with world.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).filter_by(**where)) or 0


@pytest.mark.parametrize("username", ["sw.north", "sw.lapsed", "tl.north", "sm"])
def test_a_refresh_is_not_audited_as_a_read(world, username):
    me = world.login(username)
    opened = me.cases.summary(world.cases[NOWAK])
    reads = events(world, action="view_case")
    again = me.cases.current(world.cases[NOWAK])
    assert again == opened
    assert events(world, action="view_case") == reads
    me.cases.summary(world.cases[NOWAK])  # opening it again is a read the person made
    assert events(world, action="view_case") == reads + 1


def test_another_team_reads_again_on_the_reason_they_gave_today(world):
    me = world.login("sw.south")
    assert_refused(world, me, lambda: me.cases.current(world.cases[NOWAK]), "view_case",
                   "outside_team_needs_reason", entity_id=world.cases[NOWAK])
    assert events(world, action="view_case", outcome="refused") == 1
    me.cases.summary(world.cases[NOWAK], reason="Covering the duty desk")
    reads = events(world, action="view_case")
    assert me.cases.current(world.cases[NOWAK]).case.id == world.cases[NOWAK]
    assert events(world, action="view_case") == reads


@pytest.mark.parametrize("username, reason", [("pp.north", "role_not_permitted"),
                                              ("admin", "role_not_permitted")])
def test_those_who_may_not_read_it_are_refused_and_audited(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.cases.current(world.cases[NOWAK]), "view_case",
                   reason, entity_id=world.cases[NOWAK])
    assert events(world, action="view_case", outcome="refused", reason=reason) == 1
