"""The same services on a team PostgreSQL: the contract does not depend on the database."""

from __future__ import annotations

from datetime import date

import pytest

from casework.errors import AuthenticationFailed, PermissionDenied
from casework.services import create_workspace, dto, open_workspace


def test_workspace_on_postgresql(pg_engine):
    url = pg_engine.url.render_as_string(hide_password=False)
    ws = create_workspace(url, name="Hub", admin_username="admin", admin_password="admin-password-1")
    admin = ws.login("admin", "admin-password-1")
    team = admin.admin.create_team("North Adult Team", "adult_community_care")
    sw = admin.admin.create_staff(dto.StaffInput(
        username="sw.north", display_name="Siobhán Ní Bhriain", role="social_worker",
        team_id=team.id, sssc_number="1234567", sssc_part="social_worker",
        sssc_expiry=date(2030, 1, 1), qualified_on=date(2015, 1, 1),
        accreditations=frozenset({"mho"})), "correct-horse-1")
    ws.close()

    ws = open_workspace(url)  # a second start migrates nothing and opens the same data
    try:
        _sign_in_and_work(ws, sw.id)
    finally:
        ws.close()


def _sign_in_and_work(ws, sw_id: str) -> None:
    assert ws.info.name == "Hub" and "admin-password" not in ws.info.location
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            ws.login("sw.north", "wrong-password")
    with pytest.raises(AuthenticationFailed) as e:
        ws.login("sw.north", "correct-horse-1")
    assert e.value.reason == "account_locked"
    admin = ws.login("admin", "admin-password-1")
    admin.admin.reset_password(sw_id, "temporary-pass-1")
    me = ws.login("sw.north", "temporary-pass-1")
    assert not me.can("mho_function")  # not until they choose their own password
    me.account.change_password("temporary-pass-1", "my-own-password-1")
    assert me.refresh_capabilities() and me.can("mho_function")
    assert me.cases.page(dto.CaseQuery()).rows == ()
    with pytest.raises(PermissionDenied):
        me.admin.teams()
    report = ws.verify_audit()
    assert report.ok and report.events_checked > 10
