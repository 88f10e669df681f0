"""The workspace, teams, staff, the audit trail and the reserved-function rules as administrators see them."""

from __future__ import annotations

from typing import Annotated

from casework import fields as f
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from casework.permissions import Accreditation, RegisterPart, Role


@dataclass(frozen=True)
class WorkspaceInfo:
    workspace_id: str
    name: str
    is_demo: bool
    device_id: str
    location: str  # a file path, or a database URL without its password


class OpeningStep(StrEnum):
    """The slow steps of opening a workspace that needs upgrading, as open_workspace reports
    them: the backup copied, the backup checked, then the upgrade itself."""

    BACKUP = "backup"
    CHECK = "check"
    UPGRADE = "upgrade"


@dataclass(frozen=True)
class BackupInfo:
    """One backup of the workspace file (casework.backups makes and lists them)."""

    path: Path
    created_at: datetime  # UTC, from the file name
    label: str
    size: int


@dataclass(frozen=True)
class TeamInfo:
    id: str
    name: str
    service_area: str
    service_manager_id: str | None
    service_manager_name: str | None
    staff_count: int
    live_cases: int
    row_version: int


@dataclass(frozen=True)
class StaffInfo:
    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    team_id: str | None
    team_name: str | None
    fte_percent: int
    supervisor_id: str | None
    supervisor_name: str | None
    sssc_number: str | None
    sssc_part: RegisterPart | None
    sssc_expiry: date | None
    qualified_on: date | None
    accreditations: tuple[Accreditation, ...]
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool
    row_version: int


@dataclass(frozen=True)
class StaffInput:
    """What an administrator fills in for a member of staff. Validated by the service."""

    username: Annotated[str, f.Text(f.USERNAME)]
    display_name: Annotated[str, f.Text(f.DISPLAY_NAME)]
    role: f.Code
    team_id: f.Id | None = None
    email: Annotated[str | None, f.Text(f.EMAIL)] = None
    fte_percent: Annotated[int, f.Whole(0, 1_000)] = 100
    supervisor_id: f.Id | None = None
    sssc_number: Annotated[str | None, f.Text(f.SSSC_NUMBER)] = None
    sssc_part: f.Code | None = None
    sssc_expiry: date | None = None
    qualified_on: date | None = None
    accreditations: Annotated[frozenset[str], f.Many(f.Text(f.CODE))] = frozenset()


@dataclass(frozen=True)
class StaffQuery:
    text: f.Search = ""
    role: f.Code | None = None
    team_id: f.Id | None = None
    include_inactive: bool = False


@dataclass(frozen=True)
class AuditEventInfo:
    id: str
    seq: int
    at: datetime
    actor_name: str
    action: str
    outcome: str
    entity_type: str | None
    entity_id: str | None
    reason: str | None
    detail: str


@dataclass(frozen=True)
class AuditQuery:
    text: f.Search = ""  # action, actor name or entity id
    outcome: f.Code | None = None  # done | refused | failed


@dataclass(frozen=True)
class ReservedRuleInfo:
    code: str
    label: str
    accreditations: tuple[Accreditation, ...]
    min_pq_months: int
    builtin: bool


@dataclass(frozen=True)
class ReservedStanding:
    """Whether a person may carry out one reserved function today, and if not, why."""

    code: str
    label: str
    allowed: bool
    reason: str
    message: str


@dataclass(frozen=True)
class Capabilities:
    """What the signed-in person may do, for the UI to decide what to show."""

    actions: frozenset[str] = field(default_factory=frozenset)
    reserved: frozenset[str] = field(default_factory=frozenset)
