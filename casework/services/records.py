"""Rows turned into the DTOs several services hand out (one query shape each)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from casework import permissions as perm
from casework.models import Case, SignInState, Staff, StaffAccreditation, Team
from casework import dto
from casework.vocab import LIVE_STATUSES


_manager = aliased(Staff, name="manager")  # built once: an alias costs more than the query
_TEAMS = (
    select(Team.id, Team.name, Team.service_area, Team.service_manager_id,
           _manager.display_name,
           select(func.count()).where(Staff.team_id == Team.id, Staff.active.is_(True))
           .correlate(Team).scalar_subquery(),
           select(func.count())
           .where(Case.team_id == Team.id, Case.status.in_([s.value for s in LIVE_STATUSES]),
                  Case.deleted_at.is_(None))
           .correlate(Team).scalar_subquery(),
           Team.row_version)
    .outerjoin(_manager, _manager.id == Team.service_manager_id)
    .where(Team.deleted_at.is_(None))
    .order_by(Team.name)
)


def team_infos(s: Session, where: ColumnElement[bool] | None = None) -> tuple[dto.TeamInfo, ...]:
    stmt = _TEAMS if where is None else _TEAMS.where(where)
    return tuple(dto.TeamInfo(*r) for r in s.execute(stmt))


def staff_info(s: Session, staff: Staff) -> dto.StaffInfo:
    team = s.get(Team, staff.team_id) if staff.team_id else None
    sup = s.get(Staff, staff.supervisor_id) if staff.supervisor_id else None
    accreditations = s.scalars(
        select(StaffAccreditation.kind)
        .where(StaffAccreditation.staff_id == staff.id, StaffAccreditation.deleted_at.is_(None))
        .order_by(StaffAccreditation.kind)
    )
    state = s.get(SignInState, staff.id)
    return dto.StaffInfo(
        id=staff.id, username=staff.username, display_name=staff.display_name,
        email=staff.email, role=perm.Role(staff.role), team_id=staff.team_id,
        team_name=team.name if team else None, fte_percent=staff.fte_percent,
        supervisor_id=staff.supervisor_id, supervisor_name=sup.display_name if sup else None,
        sssc_number=staff.sssc_number,
        sssc_part=perm.RegisterPart(staff.sssc_part) if staff.sssc_part else None,
        sssc_expiry=staff.sssc_expiry, qualified_on=staff.qualified_on,
        accreditations=tuple(perm.Accreditation(a) for a in accreditations),
        active=staff.active, locked_until=state.locked_until if state else None,
        last_login_at=state.last_login_at if state else None,
        must_change_password=staff.must_change_password,
        row_version=staff.row_version,
    )
