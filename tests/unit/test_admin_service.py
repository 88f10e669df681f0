"""Administration through the services, as every role: what an administrator can do, what
everyone else is refused (audited), and validation that names fields and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from casework.errors import Conflict, ValidationError
from casework.models import AuditEvent, Staff, Team
from casework import dto
from refusals import assert_refused
from service_world import STAFF

NON_ADMINS = [u for u, (role, *_) in STAFF.items() if role != "administrator"]


def _counts(world):
    with world.ws.db.read() as s:
        return (s.scalar(select(func.count()).select_from(Staff)),
                s.scalar(select(func.count()).select_from(Team)))


def _refusals(world, action):
    with world.ws.db.read() as s:
        return s.execute(select(AuditEvent.actor_name, AuditEvent.reason)
                         .where(AuditEvent.action == action, AuditEvent.outcome == "refused")).all()


def _new_staff(**over):
    base = dict(username="new.worker", display_name="New Worker", role="social_worker",
                team_id=None, sssc_number="7654321", sssc_part="social_worker",
                sssc_expiry=date(2027, 6, 30), qualified_on=date(2020, 6, 1))
    base.update(over)
    return dto.StaffInput(**base)


@pytest.mark.parametrize("username", NON_ADMINS)
def test_only_administrators_manage_staff_and_teams(world, username):
    me = world.login(username)
    calls = {
        "manage_teams": [lambda: me.admin.teams(),
                         lambda: me.admin.create_team("X Team", "justice")],
        "manage_staff": [lambda: me.admin.staff_page(dto.StaffQuery()),
                         lambda: me.admin.create_staff(_new_staff(team_id=world.teams["north"].id),
                                                       "a-long-password"),
                         lambda: me.admin.set_active(world.staff["sw.north"].id, 1, False)],
        "reset_password": [lambda: me.admin.reset_password(world.staff["sw.north"].id,
                                                           "another-password")],
        "manage_reserved_rules": [lambda: me.admin.add_reserved_rule("new_rule", "New rule")],
        "view_audit": [lambda: me.audit.verify(), lambda: me.audit.events(dto.AuditQuery())],
        "backup_workspace": [lambda: me.admin.backup_now()],
    }
    for action, fns in calls.items():
        for fn in fns:
            assert_refused(world, me, fn, action, "role_not_permitted")
        assert len(_refusals(world, action)) == len(fns)


def test_administrator_creates_edits_and_deactivates_staff(world):
    admin = world.login("admin")
    north = world.teams["north"].id
    info = admin.admin.create_staff(
        _new_staff(team_id=north, supervisor_id=world.staff["tl.north"].id,
                   accreditations=frozenset({"mho"}), fte_percent=60), "a-long-password")
    assert (info.team_name, info.fte_percent, info.supervisor_name) == ("North Adult Team", 60, "Tl North")
    assert [a.value for a in info.accreditations] == ["mho"]
    assert info.must_change_password
    edited = admin.admin.update_staff(info.id, info.row_version,
                                      _new_staff(team_id=north, display_name="Renamed Worker",
                                                 accreditations=frozenset()))
    assert edited.display_name == "Renamed Worker" and edited.accreditations == ()
    assert edited.row_version == info.row_version + 1
    gone = admin.admin.set_active(edited.id, edited.row_version, False)
    assert not gone.active
    assert gone.id not in {s.id for s in admin.admin.staff_page(dto.StaffQuery()).rows}
    assert gone.id in {s.id for s in admin.admin.staff_page(dto.StaffQuery(include_inactive=True)).rows}
    with world.ws.db.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == info.id)).all()
    assert actions == ["create_staff", "update_staff", "deactivate_staff"]


def test_validation_names_every_field_and_writes_nothing(world):
    admin = world.login("admin")
    before = _counts(world)
    with pytest.raises(ValidationError) as e:
        admin.admin.create_staff(
            dto.StaffInput(username="Bad Name", display_name=" ", role="social_worker",
                           sssc_number="12ab", sssc_part="social_worker", fte_percent=0,
                           qualified_on=date(2030, 1, 1)),
            "a-long-password")
    assert set(e.value.problems) >= {"username", "display_name", "team_id", "fte_percent",
                                     "sssc_number", "sssc_expiry", "qualified_on"}
    assert "4–10 digits" in e.value.problems["sssc_number"]
    assert _counts(world) == before


@pytest.mark.parametrize("over, field", [
    (dict(username="sw.north"), "username"),
    (dict(role="boss"), "role"),
    (dict(sssc_number=None, sssc_part=None, sssc_expiry=None), "sssc_number"),
    (dict(sssc_part="social_service_worker", accreditations=frozenset({"mho"})), "accreditations"),
    (dict(accreditations=frozenset({"wizard"})), "accreditations"),
    (dict(email="not-an-address"), "email"),
    (dict(supervisor_id="no-such-person"), "supervisor_id"),
    (dict(team_id="no-such-team"), "team_id"),
])
def test_each_bad_field_is_named(world, over, field):
    admin = world.login("admin")
    data = _new_staff(team_id=world.teams["north"].id)
    data = dto.StaffInput(**{**data.__dict__, **over})
    with pytest.raises(ValidationError) as e:
        admin.admin.create_staff(data, "a-long-password")
    assert field in e.value.problems


def test_short_password_is_refused_and_nothing_written(world):
    admin = world.login("admin")
    before = _counts(world)
    with pytest.raises(ValidationError) as e:
        admin.admin.create_staff(_new_staff(team_id=world.teams["north"].id), "short")
    assert e.value.field == "password"
    assert _counts(world) == before


def test_stale_edit_is_a_conflict_and_changes_nothing(world):
    admin = world.login("admin")
    s = world.staff["sw.north"]
    admin.admin.update_staff(s.id, s.row_version, _new_staff(
        username=s.username, display_name="First Edit", team_id=s.team_id))
    with pytest.raises(Conflict):
        admin.admin.update_staff(s.id, s.row_version, _new_staff(
            username=s.username, display_name="Second Edit", team_id=s.team_id))
    assert admin.admin.get_staff(s.id).display_name == "First Edit"


def test_nobody_deactivates_themselves_or_the_last_administrator(world):
    admin = world.login("admin")
    me_info = admin.account.profile()
    with pytest.raises(ValidationError, match="your own account"):
        admin.admin.set_active(me_info.id, me_info.row_version, False)
    other = world.staff["admin2"]
    admin.admin.set_active(other.id, other.row_version, False)
    admin2 = admin.admin.get_staff(other.id)
    admin.admin.set_active(admin2.id, admin2.row_version, True)  # back, then try the other way
    second = world.ws.login("admin2", "correct-horse-1")
    second.admin.set_active(me_info.id, me_info.row_version, False)
    me_now = second.admin.get_staff(me_info.id)
    admin2 = second.admin.get_staff(other.id)
    with pytest.raises(ValidationError, match="your own"):
        second.admin.set_active(admin2.id, admin2.row_version, False)
    assert not me_now.active


def test_teams_are_created_and_validated(world):
    admin = world.login("admin")
    team = admin.admin.create_team("Justice Team", "justice", world.staff["sm"].id)
    assert (team.service_manager_name, team.staff_count, team.live_cases) == ("Sm", 0, 0)
    with pytest.raises(ValidationError) as e:
        admin.admin.create_team("justice team", "space", world.staff["sw.north"].id)
    assert set(e.value.problems) == {"name", "service_area", "service_manager_id"}
    north = next(t for t in admin.admin.teams() if t.name == "North Adult Team")
    assert north.live_cases == 4 and north.staff_count == 7


def test_reserved_rules_only_grow(world):
    admin = world.login("admin")
    rules = {r.code: r for r in admin.admin.reserved_rules()}
    assert rules["mho_function"].min_pq_months == 24 and rules["mho_function"].builtin
    rules = {r.code: r for r in admin.admin.add_reserved_rule("mho_function", "weaker", min_pq_months=6)}
    assert rules["mho_function"].min_pq_months == 24  # an extension never weakens a built-in rule
    rules = {r.code: r for r in admin.admin.add_reserved_rule(
        "sign_off_carer_review", "Sign-off of a carer's review", frozenset(), 36)}
    assert rules["sign_off_carer_review"].min_pq_months == 36
    assert not rules["sign_off_carer_review"].builtin
    assert world.login("sw.north").can("sign_off_carer_review")  # qualified 2016
    assert not world.login("sw.nq").can("sign_off_carer_review")  # qualified July 2026
    assert not world.login("pp.north").can("sign_off_carer_review")


def test_account_password_change(world):
    me = world.login("sw.north")
    with pytest.raises(ValidationError) as e:
        me.account.change_password("wrong-current", "a-new-password-1")
    assert e.value.field == "current_password"
    with pytest.raises(ValidationError) as e:
        me.account.change_password("correct-horse-1", "short")
    assert e.value.field == "new_password"
    me.account.change_password("correct-horse-1", "a-new-password-1")
    world.ws.login("sw.north", "a-new-password-1")


@pytest.mark.parametrize("username, allowed, reasons", [
    ("sw.north", {"sign_off_asp_inquiry", "asp_council_officer"}, {"missing_accreditation"}),
    ("sw.mho", {"mho_function"}, {"missing_accreditation"}),
    ("sw.lapsed", set(), {"registration_lapsed"}),
    ("sw.nq", {"sign_off_child_protection_investigation"}, {"missing_accreditation"}),
    ("pp.north", set(), {"role_not_permitted"}),
])
def test_each_person_sees_their_standing_for_reserved_functions(world, username, allowed, reasons):
    standings = {s.code: s for s in world.login(username).account.reserved_functions()}
    assert len(standings) == 10  # the built-in catalogue
    assert allowed <= {c for c, s in standings.items() if s.allowed}
    assert reasons <= {s.reason for s in standings.values() if not s.allowed}
    assert all(s.message for s in standings.values() if not s.allowed)
