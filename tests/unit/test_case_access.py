"""Caseloads and case files as every role: scopes, filters and sorting in SQL, paging,
need-to-know, and every read of a case file audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.errors import NotFound, ValidationError
from casework.models import AuditEvent
from casework import dto
from refusals import assert_refused
from service_world import add_case

LIVE_NORTH = {"Siobhán Ní Bhriain", "Łukasz Nowak", "Morag Baird", "Euan Waiting"}


def _names(page):
    return [r.person_name for r in page.rows]


def test_my_caseload_is_my_live_cases(world):
    me = world.login("sw.north")
    rows = me.cases.page(dto.CaseQuery()).rows
    assert {r.person_name for r in rows} == {"Siobhán Ní Bhriain", "Łukasz Nowak"}
    assert all(r.named_worker_name == "Sw North" for r in rows)
    closed = me.cases.page(dto.CaseQuery(statuses=("closed",))).rows
    assert _names(dto.Page(closed, 0, 100)) == ["Ann Closed"]


@pytest.mark.parametrize("username, scope, reason", [
    ("pp.north", dto.CaseScope.MINE, "role_not_permitted"),
    ("admin", dto.CaseScope.MINE, "role_not_permitted"),
    ("sm", dto.CaseScope.MINE, "role_not_permitted"),
    ("sw.north", dto.CaseScope.TEAM, "role_not_permitted"),
    ("sw.north", dto.CaseScope.UNALLOCATED, "role_not_permitted"),
    ("pp.north", dto.CaseScope.TEAM, "role_not_permitted"),
    ("admin", dto.CaseScope.UNALLOCATED, "role_not_permitted"),
])
def test_lists_refused_by_role_and_audited(world, username, scope, reason):
    me = world.login(username)
    action = {dto.CaseScope.MINE: "view_own_caseload", dto.CaseScope.TEAM: "view_team_caseload",
              dto.CaseScope.UNALLOCATED: "view_unallocated"}[scope]
    assert_refused(world, me, lambda: me.cases.page(dto.CaseQuery(scope=scope)), action, reason)
    with world.ws.db.read() as s:
        refused = s.scalars(select(AuditEvent.reason).where(AuditEvent.outcome == "refused")).all()
    assert refused == [reason]


def test_team_leader_sees_team_and_queue_only_of_own_team(world):
    tl = world.login("tl.north")
    assert set(_names(tl.cases.page(dto.CaseQuery(scope=dto.CaseScope.TEAM)))) == LIVE_NORTH
    queue = tl.cases.page(dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED)).rows
    assert [r.person_name for r in queue] == ["Euan Waiting"]
    assert queue[0].named_worker_id is None and queue[0].unallocated_since is not None
    assert_refused(world, tl, lambda: tl.cases.page(dto.CaseQuery(
        scope=dto.CaseScope.TEAM, team_id=world.teams["south"].id)), "view_team_caseload",
        "not_team_member")


def test_service_manager_sees_every_team_they_oversee(world):
    sm = world.login("sm")
    names = set(_names(sm.cases.page(dto.CaseQuery(scope=dto.CaseScope.TEAM))))
    assert names == LIVE_NORTH | {"Iain South", "Kirsty Queue"}
    south = sm.cases.page(dto.CaseQuery(scope=dto.CaseScope.TEAM, team_id=world.teams["south"].id))
    assert set(_names(south)) == {"Iain South", "Kirsty Queue"}
    assert {t.name for t in sm.cases.visible_teams()} == {"North Adult Team", "South Adult Team"}


def test_filters_run_in_sql(world):
    tl = world.login("tl.north")
    q = dto.CaseQuery(scope=dto.CaseScope.TEAM)
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, risk_levels=("high",)))) == ["Siobhán Ní Bhriain"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="ní bhr"))) == ["Siobhán Ní Bhriain"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="Łuk Now"))) == ["Łukasz Nowak"]
    # typed without accents, or in another case, still found
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="siobhan"))) == ["Siobhán Ní Bhriain"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="LUKASZ"))) == ["Łukasz Nowak"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="bhriain ni"))) == ["Siobhán Ní Bhriain"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="hriain"))) == []  # word starts only
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="CW-000004"))) == ["Morag Baird"]
    assert _names(tl.cases.page(dto.CaseQuery(scope=q.scope, text="100%_"))) == []
    assert tl.cases.count(dto.CaseQuery(scope=q.scope, statuses=("referral",))) == 1


@pytest.mark.parametrize("sort, descending, expected", [
    (dto.CaseSort.PERSON, False, ["Morag Baird", "Siobhán Ní Bhriain", "Łukasz Nowak", "Euan Waiting"]),
    (dto.CaseSort.RISK, False, ["Siobhán Ní Bhriain"]),
    (dto.CaseSort.NEXT_REVIEW, False, ["Siobhán Ní Bhriain", "Łukasz Nowak", "Morag Baird"]),
    (dto.CaseSort.NAMED_WORKER, True, ["Euan Waiting"]),
])
def test_sorting(world, sort, descending, expected):
    tl = world.login("tl.north")
    names = _names(tl.cases.page(dto.CaseQuery(scope=dto.CaseScope.TEAM, sort=sort,
                                               descending=descending)))
    assert names[: len(expected)] == expected


def test_paging_is_stable_and_complete(world):
    for i in range(25):
        add_case(world, team="north", worker="sw.north", name=("Test", f"Person{i:02d}"))
    me = world.login("sw.north")
    q = dto.CaseQuery(sort=dto.CaseSort.PERSON)
    seen, offset = [], 0
    while True:
        page = me.cases.page(q, offset, 10)
        seen += [r.id for r in page.rows]
        offset += 10
        if page.exhausted:
            break
    assert len(seen) == len(set(seen)) == me.cases.count(q) == 27
    with pytest.raises(ValidationError):
        me.cases.page(q, 0, 0)
    with pytest.raises(ValidationError):
        me.cases.page(q, -1, 10)


def test_named_worker_and_team_open_a_case_and_the_read_is_audited(world):
    case_id = world.cases["Siobhán Ní Bhriain"]
    for username in ("sw.north", "sw.mho", "tl.north", "sp.north", "sm"):
        summary = world.login(username).cases.summary(case_id)
        assert summary.person.full_name == "Siobhán Ní Bhriain"
        assert summary.case.named_worker_name == "Sw North"
        assert [a.worker_name for a in summary.allocations] == ["Sw North"]
    with world.ws.db.read() as s:
        reads = s.scalars(select(AuditEvent.actor_name).where(
            AuditEvent.action == "view_case", AuditEvent.entity_id == case_id)).all()
    assert reads == ["Sw North", "Sw Mho", "Tl North", "Sp North", "Sm"]


@pytest.mark.parametrize("username", ["pp.north", "admin"])
def test_para_professionals_and_administrators_cannot_open_case_files(world, username):
    me = world.login(username)
    case_id = world.cases["Siobhán Ní Bhriain"]
    assert_refused(world, me, lambda: me.cases.summary(case_id), "view_case",
                   "role_not_permitted", entity_id=case_id)


def test_another_teams_case_needs_a_reason_which_is_audited(world):
    me = world.login("sw.south")
    case_id = world.cases["Siobhán Ní Bhriain"]
    assert_refused(world, me, lambda: me.cases.summary(case_id), "view_case",
                   "outside_team_needs_reason", entity_id=case_id)
    assert_refused(world, me, lambda: me.cases.summary(case_id, reason="   "), "view_case",
                   "outside_team_needs_reason", entity_id=case_id)
    summary = me.cases.summary(case_id, reason="Duty cover: the person phoned the south office")
    assert summary.case.reference == "CW-000001"
    with world.ws.db.read() as s:
        events = s.execute(select(AuditEvent.outcome, AuditEvent.reason, AuditEvent.detail).where(
            AuditEvent.action == "view_case", AuditEvent.entity_id == case_id)).all()
    assert [e[:2] for e in events] == [("refused", "outside_team_needs_reason")] * 2 + [("done", None)]
    assert "Duty cover" in events[-1][2]


def test_unknown_case_is_not_found(world):
    with pytest.raises(NotFound):
        world.login("sw.north").cases.summary("no-such-case")


@pytest.mark.parametrize("username, reason, record, allocate, close", [
    ("sw.north", None, True, False, True),  # the named worker
    ("sp.north", None, True, False, False),  # a colleague in the team
    ("tl.north", None, True, True, True),  # leads the team
    ("sm", None, True, True, True),  # manages it
    ("sw.lapsed", None, True, False, False),  # recording is not a reserved function
    ("sw.south", "Duty cover for North", False, False, False),  # reads with a reason only
    ("tl.south", "Duty cover for North", False, False, False),
])
def test_a_case_file_says_what_its_reader_may_do_to_it(world, username, reason, record,
                                                       allocate, close):
    summary = world.login(username).cases.summary(world.cases["Łukasz Nowak"], reason=reason)
    assert summary.abilities == dto.CaseAbilities(record=record, allocate=allocate, close=close)
