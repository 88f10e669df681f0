"""The UI tells the date by the workspace's clock, as the services decide by it, not by the
machine's: My account and the staff table say a registration lapsed, and an account is
locked, on the day and at the time the services do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admin_fixtures import WORKER_PASSWORD, me, runner, social_worker, world, ws  # noqa: F401
from casework.errors import AuthenticationFailed
from casework.timeutil import utcnow
from casework.ui.item_models.staff_table import StaffColumn, StaffTableModel
from casework.ui.pages.account import AccountPage
from test_admin_staff import column_of
from ui_world import page_context


def move_clock(workspace, days: float) -> None:
    """The workspace's clock that many days from the machine's."""
    workspace._ctx.clock = lambda: utcnow() + timedelta(days=days)


def test_my_account_says_lapsed_by_the_workspace_s_date(fx, runner, qtbot):  # noqa: F811
    me = fx.login("sw.one")  # registered for another 400 days by the machine's date
    move_clock(fx.ws, 401)
    page = AccountPage(page_context(fx, me, runner))
    qtbot.addWidget(page)
    page.show()
    assert page.is_ready
    assert "lapsed" in page.value("Registration expires")


def test_the_staff_table_says_lapsed_and_locked_by_the_workspace_s_clock(
        me, runner, ws, world):  # noqa: F811
    me.admin.create_staff(social_worker("isla", "Isla Reid", world.team.id,
                                        sssc_number="765432"), WORKER_PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            ws.login("ewan", "wrong-password")
    model = StaffTableModel(me, runner)
    model.reload()
    assert "expires" in column_of(model, StaffColumn.REGISTRATION, "isla")
    assert column_of(model, StaffColumn.STATUS, "ewan").startswith("Locked until")
    move_clock(ws, 2000)  # past every expiry, and every lock
    model.reload()
    assert "lapsed" in column_of(model, StaffColumn.REGISTRATION, "isla")
    assert column_of(model, StaffColumn.STATUS, "ewan") == "Active"
