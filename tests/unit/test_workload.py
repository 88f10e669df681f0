"""Weighted workload: the rule (casework.weighting) checked against hand-computed figures,
the loads summed in SQL per worker, capacity scaled by hours with a newly qualified
worker's protected cap, the allocation preview, and who may read a team's workload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from casework import weighting
from casework.errors import NotFound, ValidationError
from casework.models import AuditEvent, Case, Staff
from refusals import assert_refused
from service_world import TODAY, add_case

NOWAK = "Łukasz Nowak"
WAITING = "Euan Waiting"


def loads(me, world, team: str = "north") -> dict[str, tuple[int, float, float]]:
    """username-like display name -> (cases, load, capacity)."""
    return {w.display_name: (w.cases, w.load, w.capacity)
            for w in me.workload.team(world.teams[team].id)}


def set_staff(world, username: str, **values) -> None:
    with world.ws.db.write() as s:
        s.execute(update(Staff).where(Staff.id == world.staff[username].id).values(**values))


def set_case(world, name: str, **values) -> None:
    with world.ws.db.write() as s:
        s.execute(update(Case).where(Case.id == world.cases[name]).values(**values))


def refusals(world) -> list[tuple[str, str, str | None]]:
    with world.ws.db.read() as s:
        return [(e.action, e.reason, e.entity_type) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused").order_by(AuditEvent.seq))]


# -- the rule -----------------------------------------------------------------------------

@pytest.mark.parametrize("risk, legal, weight", [
    ("medium", "voluntary", 1.0),
    ("low", "voluntary", 0.75),
    ("high", "voluntary", 1.5),
    ("low", "child_protection_plan", 1.25),
    ("medium", "compulsory_supervision_order", 1.5),
    ("high", "compulsory_treatment_order", 2.0),
    # Values this version does not know: medium risk, and an order.
    ("extreme", "voluntary", 1.0),
    ("high", "some_new_order", 2.0),
])
def test_each_case_is_weighted_by_risk_and_legal_status(risk, legal, weight):
    assert weighting.case_weight(risk, legal) == weight
    assert weighting.case_quarters(risk, legal) == weight * 4


@pytest.mark.parametrize("area, fte, nq, capacity", [
    ("children_and_families", 100, False, 15.0),
    ("adult_community_care", 100, False, 20.0),
    ("justice", 100, False, 20.0),
    ("mental_health", 100, False, 20.0),
    ("adult_community_care", 50, False, 10.0),
    ("children_and_families", 60, False, 9.0),
    # The newly qualified worker's protected first year: three-quarters, then hours.
    ("adult_community_care", 100, True, 15.0),
    ("children_and_families", 100, True, 11.25),
    ("adult_community_care", 60, True, 9.0),
    ("children_and_families", 0, True, 0.0),
])
def test_capacity_follows_setting_the_bar_hours_and_the_first_year(area, fte, nq, capacity):
    assert weighting.capacity(area, fte, nq) == pytest.approx(capacity)


# -- a team's loads -----------------------------------------------------------------------

def test_the_team_s_case_holders_with_their_weighted_loads(world):
    # North: sw.north holds Siobhán (high, 1.5) and Łukasz (low, 0.75) — and Ann, closed,
    # who no longer counts; sw.mho holds Morag (medium under an order, 1 + 0.5).
    me = world.login("tl.north")
    assert loads(me, world) == {
        "Sp North": (0, 0.0, 20.0),
        "Sw Lapsed": (0, 0.0, 20.0),
        "Sw Mho": (1, 1.5, 20.0),
        "Sw North": (2, 2.25, 20.0),
        "Sw Nq": (0, 0.0, 15.0),  # newly qualified: the protected cap
        "Tl North": (0, 0.0, 20.0),
    }
    nq = {w.display_name: w for w in me.workload.team(world.teams["north"].id)}["Sw Nq"]
    assert nq.newly_qualified and nq.fte_percent == 100 and not nq.over_capacity


def test_every_live_case_counts_wherever_it_is_held_and_nothing_else_does(world):
    add_case(world, team="north", worker="sw.north", name=("Ada", "Order"), risk="high",
             legal="compulsory_supervision_order")  # 2.0
    add_case(world, team="north", worker="sw.north", name=("Bea", "Referral"),
             status="referral")  # 1.0
    add_case(world, team="north", worker="sw.north", name=("Cat", "Closing"), risk="low",
             status="closing")  # 0.75
    add_case(world, team="south", worker="sw.north", name=("Dee", "Elsewhere"))  # 1.0
    add_case(world, team="north", worker="sw.north", name=("Eve", "Closed"), status="closed")
    add_case(world, team="north", worker="sw.north", name=("Fay", "Deleted"))
    set_case(world, "Fay Deleted", deleted_at=world.clock())
    me = world.login("tl.north")
    # 1.5 + 0.75 (as before) + 2.0 + 1.0 + 0.75 + 1.0
    assert loads(me, world)["Sw North"] == (6, 7.0, 20.0)


def test_hours_scale_capacity_and_the_first_year_is_protected(world):
    set_staff(world, "sw.north", fte_percent=50)
    set_staff(world, "sw.nq", fte_percent=60)
    me = world.login("tl.north")
    shown = loads(me, world)
    assert shown["Sw North"] == (2, 2.25, 10.0)
    assert shown["Sw Nq"] == (0, 0.0, 9.0)
    # A year after qualifying the protection ends: the full figure, by hours.
    set_staff(world, "sw.nq", qualified_on=TODAY - timedelta(days=366))
    assert loads(me, world)["Sw Nq"] == (0, 0.0, 12.0)


def test_a_children_and_families_team_carries_fifteen(world):
    admin = world.login("admin")
    south = world.teams["south"]
    admin.admin.update_team(south.id, south.row_version, name=south.name,
                            service_area="children_and_families",
                            service_manager_id=world.staff["sm"].id)
    shown = loads(world.login("tl.south"), world, "south")
    assert shown == {"Sw South": (1, 1.0, 15.0), "Tl South": (0, 0.0, 15.0)}


def test_only_active_case_holders_are_listed(world):
    set_staff(world, "sp.north", active=False)
    shown = loads(world.login("tl.north"), world)
    assert "Sp North" not in shown and "Pp North" not in shown


def test_loads_are_summed_in_sql_not_by_reading_every_case(world):
    me = world.login("tl.north")
    statements: list[str] = []
    engine = world.ws.db.engine

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        me.workload.team(world.teams["north"].id)
        few = len(statements)
        for i in range(40):
            add_case(world, team="north", worker="sw.mho", name=(f"Many{i:02d}", "Cases"))
        statements.clear()
        shown = {w.display_name: w for w in me.workload.team(world.teams["north"].id)}
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == few
    assert any("sum(" in s.lower() and "group by" in s.lower() for s in statements)
    assert (shown["Sw Mho"].cases, shown["Sw Mho"].load) == (41, 41.5)
    assert shown["Sw Mho"].over_capacity


# -- the preview --------------------------------------------------------------------------

def test_the_preview_says_what_a_case_would_make_the_load(world):
    me = world.login("tl.north")
    p = me.workload.preview(world.cases[WAITING], world.staff["sw.north"].id)
    assert (p.case_weight, p.load_before, p.load_after, p.capacity) == (1.0, 2.25, 3.25, 20.0)
    assert not p.holds_case and not p.over_capacity_after
    # The worker who holds it already: nothing would change.
    held = me.workload.preview(world.cases[NOWAK], world.staff["sw.north"].id)
    assert held.holds_case and held.load_after == held.load_before == 2.25


def test_the_preview_says_when_a_case_would_take_a_worker_over_capacity(world):
    # 10% of the newly qualified cap of 15 is 1.5: a medium case fits exactly, and a
    # second would not.
    set_staff(world, "sw.nq", fte_percent=10)
    me = world.login("tl.north")
    p = me.workload.preview(world.cases[WAITING], world.staff["sw.nq"].id)
    assert (p.load_before, p.load_after, p.capacity, p.over_capacity_after) == (0.0, 1.0, 1.5,
                                                                                 False)
    add_case(world, team="north", worker="sw.nq", name=("Gil", "Held"), risk="low")
    p = me.workload.preview(world.cases[WAITING], world.staff["sw.nq"].id)
    assert (p.load_before, p.load_after, p.over_capacity_after) == (0.75, 1.75, True)
    assert not p.worker.over_capacity


@pytest.mark.parametrize("worker", ["sw.south", "pp.north", "sm", "admin2"])
def test_a_preview_is_only_for_the_team_s_case_holders(world, worker):
    me = world.login("tl.north")
    with pytest.raises(ValidationError) as e:
        me.workload.preview(world.cases[WAITING], world.staff[worker].id)
    assert set(e.value.problems) == {"worker_id"}


def test_unknown_cases_and_teams_are_not_found(world):
    me = world.login("tl.north")
    with pytest.raises(NotFound):
        me.workload.preview("no-such-case", world.staff["sw.north"].id)
    with pytest.raises(NotFound):
        me.workload.team("no-such-team")


# -- who may read it ----------------------------------------------------------------------

@pytest.mark.parametrize("username, team", [("tl.north", "north"), ("sm", "north"),
                                            ("sm", "south"), ("tl.south", "south")])
def test_leaders_read_the_workload_of_the_teams_they_allocate_for(world, username, team):
    assert world.login(username).workload.team(world.teams[team].id)


@pytest.mark.parametrize("username, reason", [
    ("tl.south", "not_team_manager"),
    ("sw.north", "role_not_permitted"),
    ("sp.north", "role_not_permitted"),
    ("pp.north", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
])
def test_others_may_not_read_a_team_s_workload(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.workload.team(world.teams["north"].id),
                   "view_team_workload", reason, entity_id=world.teams["north"].id)
    assert_refused(world, me, lambda: me.workload.preview(world.cases[WAITING],
                                                          world.staff["sw.north"].id),
                   "view_team_workload", reason, entity_id=world.cases[WAITING])
    assert refusals(world) == [("view_team_workload", reason, "team"),
                               ("view_team_workload", reason, "case")]
