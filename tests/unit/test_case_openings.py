"""A reason stated when opening another team's case file lets its reader open the window's
other tabs that day, and only that reader, only that day. Whether they did is answered from
the index of case-file openings in one seek, however often the file has been opened."""

from __future__ import annotations

from casework import dto
from casework.services.base import _OPENED_SINCE
from refusals import assert_refused

REASON = "Duty cover: the person phoned the south office"


def notes_of(me, case_id: str) -> tuple:
    return me.notes.page(case_id, dto.NoteQuery(), 0, 100).rows


def test_a_stated_reason_opens_the_other_tabs_for_the_rest_of_that_day(world):
    case_id = world.cases["Łukasz Nowak"]  # North's
    south = world.login("sw.south")
    assert_refused(world, south, lambda: notes_of(south, case_id), "view_notes",
                   "outside_team_needs_reason", entity_id=case_id)

    south.cases.summary(case_id, reason=REASON)
    world.clock.advance(hours=8)
    notes_of(south, case_id)
    south.assessments.list(case_id)

    world.clock.advance(hours=6)  # past midnight in London
    assert_refused(world, south, lambda: notes_of(south, case_id), "view_notes",
                   "outside_team_needs_reason", entity_id=case_id)


def test_only_the_reader_who_stated_the_reason_reads_on_it(world):
    case_id = world.cases["Łukasz Nowak"]
    world.login("sm").cases.summary(case_id, reason=REASON)  # a service manager's opening
    tl = world.login("tl.south")
    assert_refused(world, tl, lambda: notes_of(tl, case_id), "view_notes",
                   "outside_team_needs_reason", entity_id=case_id)


def test_a_refused_opening_lets_nobody_read(world):
    case_id = world.cases["Łukasz Nowak"]
    south = world.login("sw.south")
    assert_refused(world, south, lambda: south.cases.summary(case_id), "view_case",
                   "outside_team_needs_reason", entity_id=case_id)  # no reason stated
    assert_refused(world, south, lambda: notes_of(south, case_id), "view_notes",
                   "outside_team_needs_reason", entity_id=case_id)


def test_whether_a_case_was_opened_today_is_one_seek_in_the_openings_index(world):
    case_id = world.cases["Łukasz Nowak"]
    tl = world.login("tl.north")
    for _ in range(30):
        tl.cases.summary(case_id)
    engine = world.ws.db.engine
    sql = str(_OPENED_SINCE.compile(engine))
    with engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}", (case_id, world.staff["sw.south"].id,
                                          "2026-11-22 00:00:00.000000", 1, 0))]
    seek = ("SEARCH audit_event USING COVERING INDEX ix_audit_event_case_views "
            "(entity_id=? AND actor_id=? AND at>?)")
    assert plan == [seek]
