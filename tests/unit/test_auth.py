"""Signing in: wrong passwords, lockout after five, deactivated accounts; all audited."""

from __future__ import annotations

import pytest

from casework.errors import AuthenticationFailed
from casework.models import AuditEvent
from sqlalchemy import select

from refusals import assert_refused
from service_world import PASSWORD


def _audit(world, action):
    with world.ws.db.read() as s:
        return s.execute(select(AuditEvent.outcome, AuditEvent.reason, AuditEvent.actor_name)
                         .where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def test_sign_in_returns_services_bound_to_the_person(world):
    me = world.login("sw.north")
    assert me.actor.username == "sw.north"
    assert ("done", None, "Sw North") in _audit(world, "login")


def test_username_is_case_and_space_insensitive(world):
    assert world.ws.login("  SW.North ", PASSWORD).actor.username == "sw.north"


def test_wrong_password_says_so_and_counts_down(world):
    with pytest.raises(AuthenticationFailed) as e:
        world.ws.login("sw.north", "not-the-password")
    assert e.value.reason == "bad_credentials"
    assert "Wrong username or password" in str(e.value)
    assert "4 more wrong passwords" in str(e.value)
    assert ("refused", "bad_credentials", "Sw North") in _audit(world, "login")


def test_unknown_user_gets_the_same_message_and_is_audited(world):
    with pytest.raises(AuthenticationFailed) as e:
        world.ws.login("nobody", "whatever-it-is")
    assert str(e.value) == "Wrong username or password."
    assert ("refused", "unknown_user", "nobody") in _audit(world, "login")


def test_five_failures_lock_for_fifteen_minutes(world):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            world.ws.login("sw.north", "wrong-password")
    with pytest.raises(AuthenticationFailed) as e:
        world.ws.login("sw.north", PASSWORD)  # the right password does not help while locked
    assert e.value.reason == "account_locked"
    assert "locked" in str(e.value)
    assert [o for o, *_ in _audit(world, "account_locked")] == ["done"]
    world.clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationFailed):
        world.ws.login("sw.north", PASSWORD)
    world.clock.advance(seconds=2)
    assert world.ws.login("sw.north", PASSWORD).actor.username == "sw.north"


def test_a_success_resets_the_count(world):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            world.ws.login("sw.north", "wrong-password")
    world.login("sw.north")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            world.ws.login("sw.north", "wrong-password")
    world.login("sw.north")  # not locked: the count started again


def test_lockout_survives_reopening_the_workspace(world):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            world.ws.login("sw.north", "wrong-password")
    world.reopen()
    with pytest.raises(AuthenticationFailed) as e:
        world.login("sw.north")
    assert e.value.reason == "account_locked"


def test_reset_password_unlocks(world):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            world.ws.login("sw.north", "wrong-password")
    world.login("admin").admin.reset_password(world.staff["sw.north"].id, "temporary-pass-9")
    me = world.ws.login("sw.north", "temporary-pass-9")
    assert me.account.profile().must_change_password


def test_a_temporary_password_allows_nothing_but_choosing_ones_own(world):
    """The administrator knows a password they set, so it cannot be used to act as the
    person: only to choose a new one."""
    from casework import dto

    world.login("admin").admin.reset_password(world.staff["sw.north"].id, "temporary-pass-9")
    me = world.ws.login("sw.north", "temporary-pass-9")
    assert me.capabilities.actions == {"change_own_password"} and not me.capabilities.reserved
    for attempt, action in ((lambda: me.cases.page(dto.CaseQuery()), "view_own_caseload"),
                            (lambda: me.cases.summary(world.cases["Siobhán Ní Bhriain"]),
                             "view_case")):
        assert_refused(world, me, attempt, action, "password_change_required")
    assert {s.reason for s in me.account.reserved_functions()} == {"password_change_required"}
    me.account.change_password("temporary-pass-9", "my-own-password-1")
    assert me.refresh_capabilities().actions >= {"view_own_caseload", "view_case"}
    assert len(me.cases.page(dto.CaseQuery()).rows) == 2


def test_deactivated_account_cannot_sign_in(world):
    admin = world.login("admin")
    s = world.staff["sw.north"]
    admin.admin.set_active(s.id, s.row_version, False)
    with pytest.raises(AuthenticationFailed) as e:
        world.login("sw.north")
    assert e.value.reason == "account_inactive"
    assert ("refused", "account_inactive", "Sw North") in _audit(world, "login")


def test_deactivation_takes_effect_for_a_signed_in_person(world):
    me = world.login("sw.north")
    admin = world.login("admin")
    s = world.staff["sw.north"]
    admin.admin.set_active(s.id, s.row_version, False)
    from casework import dto

    assert_refused(world, me, lambda: me.cases.page(dto.CaseQuery()), "view_own_caseload",
                   "account_inactive")
