"""Services keep the actors they load, and a change to a member of staff reaches the very next
call: a deactivation, an expired registration or a removed accreditation, made through
another Workspace on the same file, by another connection in plain SQL, or inside a
transaction that was rolled back (which must leave nothing behind)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from casework import dto
from casework.db import connect_sqlcipher
from casework.models import Case, Staff
from casework.services import open_workspace
from casework.services.base import Service
from refusals import assert_refused
from service_world import ADMIN_PASSWORD, TODAY

CTO_CASE = "Morag Baird"  # sw.mho's, under a compulsory treatment order: closing is reserved


@pytest.fixture
def elsewhere(world):
    """The administrator, signed in through a second Workspace open on the same file."""
    other = open_workspace(world.path, credentials=world.store, clock=world.clock)
    yield other.login("admin", ADMIN_PASSWORD)
    other.close()


def staff_input(info: dto.StaffInfo, **changes) -> dto.StaffInput:
    values = dict(username=info.username, display_name=info.display_name, role=info.role.value,
                  team_id=info.team_id, fte_percent=info.fte_percent,
                  supervisor_id=info.supervisor_id, sssc_number=info.sssc_number,
                  sssc_part=info.sssc_part.value if info.sssc_part else None,
                  sssc_expiry=info.sssc_expiry, qualified_on=info.qualified_on,
                  accreditations=frozenset(a.value for a in info.accreditations))
    return dto.StaffInput(**(values | changes))


def closing_the_cto_case(me, world):
    """The call that closes sw.mho's case under an order (read first: its version)."""
    case_id = world.cases[CTO_CASE]
    version = me.cases.summary(case_id).row_version
    return lambda: me.cases.close(case_id, "Order ended; the person is settled at home.",
                                  version)


def case_status(world, name: str) -> str:
    with world.ws.db.read() as s:
        return s.scalar(select(Case.status).where(Case.id == world.cases[name]))


def staff_statements(world, fn) -> list[str]:
    """The statements `fn` sends that read the staff or accreditation tables."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    engine = world.ws.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [s for s in seen if "FROM staff" in s and "staff.id = ?" in s
            or "FROM staff_accreditation" in s]


def test_an_actor_is_not_loaded_again_while_nothing_about_staff_changes(world):
    me = world.login("sw.north")
    query = dto.CaseQuery(scope=dto.CaseScope.MINE)
    assert staff_statements(world, lambda: me.cases.page(query)) == []
    world.login("sw.south").cases.page(query)  # someone else's sign-in changes nothing
    assert staff_statements(world, lambda: me.cases.page(query)) == []


def test_a_deactivation_elsewhere_refuses_the_very_next_call(world, elsewhere):
    me = world.login("sw.north")
    query = dto.CaseQuery(scope=dto.CaseScope.MINE)
    assert len(me.cases.page(query).rows) == 2
    info = elsewhere.admin.get_staff(world.staff["sw.north"].id)
    elsewhere.admin.set_active(info.id, info.row_version, False)

    assert_refused(world, me, lambda: me.cases.page(query), "view_own_caseload",
                   "account_inactive")


def test_an_expired_registration_elsewhere_takes_effect_on_the_very_next_call(world, elsewhere):
    me = world.login("sw.mho")
    close = closing_the_cto_case(me, world)
    info = elsewhere.admin.get_staff(world.staff["sw.mho"].id)
    elsewhere.admin.update_staff(info.id, info.row_version,
                                 staff_input(info, sssc_expiry=TODAY - timedelta(days=1)))

    assert_refused(world, me, close, "close_case", "registration_lapsed",
                   entity_id=world.cases[CTO_CASE])
    assert case_status(world, CTO_CASE) == "open"


def test_a_removed_accreditation_elsewhere_takes_effect_on_the_very_next_call(world, elsewhere):
    # Closing under an order needs MHO accreditation here, which sw.mho holds.
    world.login("admin").admin.add_reserved_rule(
        "close_statutory_case", "Closure of a case under a statutory order", frozenset({"mho"}))
    me = world.login("sw.mho")
    close = closing_the_cto_case(me, world)
    info = elsewhere.admin.get_staff(world.staff["sw.mho"].id)
    elsewhere.admin.update_staff(info.id, info.row_version,
                                 staff_input(info, accreditations=frozenset()))

    assert_refused(world, me, close, "close_case", "missing_accreditation",
                   entity_id=world.cases[CTO_CASE])
    assert case_status(world, CTO_CASE) == "open"


def test_with_nothing_changed_the_same_closure_goes_ahead(world):
    """The control for the two tests above: the refusals come from the changes."""
    world.login("admin").admin.add_reserved_rule(
        "close_statutory_case", "Closure of a case under a statutory order", frozenset({"mho"}))
    me = world.login("sw.mho")
    assert closing_the_cto_case(me, world)().case.status == "closed"


def test_a_change_in_plain_sql_from_another_connection_is_seen(world):
    """As a sync or another program would write it: no service of this workspace knows."""
    me = world.login("tl.north")
    query = dto.CaseQuery(scope=dto.CaseScope.TEAM)
    assert me.cases.page(query).rows
    conn = connect_sqlcipher(world.path, world.ws.key)
    try:
        conn.execute("UPDATE staff SET role = 'social_worker' WHERE id = ?",
                     (world.staff["tl.north"].id,))
    finally:
        conn.close()

    assert_refused(world, me, lambda: me.cases.page(dto.CaseQuery(
        scope=dto.CaseScope.UNALLOCATED)), "view_unallocated", "role_not_permitted")


def test_a_team_handed_to_another_manager_is_seen(world, elsewhere):
    me = world.login("sm")
    south = world.teams["south"]
    query = dto.CaseQuery(scope=dto.CaseScope.TEAM, team_id=south.id)
    assert me.cases.page(query).rows
    team = next(t for t in elsewhere.admin.teams() if t.id == south.id)
    elsewhere.admin.update_team(team.id, team.row_version, name=team.name,
                                service_area=team.service_area, service_manager_id=None)

    assert_refused(world, me, lambda: me.cases.page(query), "view_team_caseload",
                   "not_team_member")


def test_an_actor_seen_inside_a_rolled_back_transaction_is_not_kept(world):
    """A deactivation read back inside its own transaction, then rolled back: a later,
    unrelated change to staff must not make that version of the actor current."""
    me = world.login("sw.north")
    query = dto.CaseQuery(scope=dto.CaseScope.MINE)
    staff_id = world.staff["sw.north"].id

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        with world.ws.db.write() as s:
            s.execute(update(Staff).where(Staff.id == staff_id).values(active=False))
            assert not Service(world.ws._ctx, staff_id)._actor(s).active
            raise Abandoned
    with world.ws.db.write() as s:  # something else about staff changes, and commits
        s.execute(update(Staff).where(Staff.id == world.staff["sw.south"].id)
                  .values(display_name="Sw South Renamed"))

    assert len(me.cases.page(query).rows) == 2
