"""Workspaces for the admin page tests, built through the services as an administrator would.

Import the fixtures by name into a test module: `from admin_fixtures import me, runner, ws`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from casework.models import Staff
from casework.secrets import MemoryStore
from casework import dto
from casework.services import create_workspace
from casework.ui.tasks import SyncTaskRunner

ADMIN_PASSWORD = "admin-password-1"
WORKER_PASSWORD = "worker-password-1"


@pytest.fixture
def ws(tmp_path):
    workspace = create_workspace(tmp_path / "ws.db", name="Test council", admin_username="admin",
                                 admin_password=ADMIN_PASSWORD, credentials=MemoryStore())
    yield workspace
    workspace.close()


@pytest.fixture
def me(ws):
    return ws.login("admin", ADMIN_PASSWORD)


@pytest.fixture
def runner(qapp):
    r = SyncTaskRunner()
    yield r
    r.shutdown()


@dataclass(frozen=True)
class World:
    team: dto.TeamInfo
    manager: dto.StaffInfo
    worker: dto.StaffInfo


def social_worker(username: str, name: str, team_id: str, **more) -> dto.StaffInput:
    fields = dict(sssc_number="123456", sssc_part="social_worker",
                  sssc_expiry=date.today() + timedelta(days=365),
                  qualified_on=date.today() - timedelta(days=3 * 365)) | more
    return dto.StaffInput(username=username, display_name=name, role="social_worker",
                          team_id=team_id, **fields)


@pytest.fixture
def world(ws, me) -> World:
    """A service manager, the team they manage, and a registered social worker in it, each
    having chosen their own password."""
    manager = me.admin.create_staff(
        dto.StaffInput(username="morag", display_name="Morag Campbell", role="service_manager"),
        WORKER_PASSWORD)
    team = me.admin.create_team("North Locality", "adult_community_care", manager.id)
    worker = me.admin.create_staff(social_worker("ewan", "Ewan Fraser", team.id), WORKER_PASSWORD)
    with ws.db.write() as s:
        s.execute(update(Staff).values(must_change_password=False))
    manager, worker = me.admin.get_staff(manager.id), me.admin.get_staff(worker.id)
    return World(team=me.admin.teams()[0], manager=manager, worker=worker)
