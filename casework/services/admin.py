"""Administration: teams, staff (role, team, FTE, supervisor, SSSC registration,
qualification, accreditations), passwords, the reserved-function catalogue."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import backups, passwords
from casework import permissions as perm
from casework.errors import NotFound, ValidationError
from casework.models import (
    ReservedRuleExtension,
    SignInState,
    Staff,
    StaffAccreditation,
    Team,
)
from casework.models.base import new_id
from casework.paths import backups_dir
from casework import dto
from casework.fields import (
    BACKUP_LABEL,
    CODE,
    DISPLAY_NAME,
    RULE_LABEL,
    USERNAME,
    Code,
    Id,
    Limit,
    Many,
    Offset,
    Secret,
    Text,
    Version,
    Whole,
)
from casework.services.base import Service, live_row, load_catalogue, same_version
from casework.services.records import staff_info, team_infos
from casework.text import fold
from casework.vocab import ServiceArea

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SSSC_NUMBER = re.compile(r"^[0-9]{4,10}$")
RULE_CODE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")
# Roles that practise as social workers need a registration to be recorded at all.
_REGISTERED_ROLES = {perm.Role.SOCIAL_WORKER, perm.Role.SENIOR_PRACTITIONER}
_TEAM_ROLES = {perm.Role.SOCIAL_WORKER, perm.Role.SENIOR_PRACTITIONER, perm.Role.TEAM_LEADER,
               perm.Role.PARA_PROFESSIONAL}


TeamName = Annotated[str, Text(DISPLAY_NAME)]

_STALE = ("Someone else changed this record since you opened it; nothing was saved. "
          "Reopen it to see their changes.")


class AdminService(Service):
    # -- teams --------------------------------------------------------------------------

    def teams(self) -> tuple[dto.TeamInfo, ...]:
        with self._read() as s:
            self._require(s, perm.Action.MANAGE_TEAMS)
            return team_infos(s)

    def create_team(self, name: TeamName, service_area: Code,
                    service_manager_id: Id | None = None) -> dto.TeamInfo:
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_TEAMS, entity_type="team")
            name = self._team_fields(s, None, name, service_area, service_manager_id)
            team = Team(id=new_id(), name=name, service_area=service_area,
                        service_manager_id=service_manager_id)
            team.team_id = team.id
            self._touch(team, actor)
            s.add(team)
            s.flush()
            self._ctx.audit(s, actor, "create_team", entity_type="team", entity_id=team.id,
                            detail={"name": name, "service_area": service_area})
            info = team_infos(s, Team.id == team.id)[0]
        self._ctx.publish("team", info.id)
        return info

    def update_team(self, team_id: Id, row_version: Version, *, name: TeamName,
                    service_area: Code, service_manager_id: Id | None) -> dto.TeamInfo:
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_TEAMS, entity_type="team", entity_id=team_id)
            team = live_row(s, Team, team_id, "team")
            same_version(team, row_version, _STALE)
            name = self._team_fields(s, team_id, name, service_area, service_manager_id)
            changes = _apply(team, name=name, service_area=service_area,
                             service_manager_id=service_manager_id)
            self._touch(team, actor)
            self._ctx.audit(s, actor, "update_team", entity_type="team", entity_id=team.id,
                            detail=changes)
            s.flush()
            info = team_infos(s, Team.id == team.id)[0]
        self._ctx.publish("team", team_id)
        return info

    def _team_fields(self, s: Session, team_id: str | None, name: str, service_area: str,
                     manager_id: str | None) -> str:
        problems: dict[str, str] = {}
        name = " ".join((name or "").split())
        if not name:
            problems["name"] = "must not be empty"
        elif (same := _same_team_name(s, name, team_id)) is not None:
            problems["name"] = f"another team is already called {same!r}"
        if service_area not in {a.value for a in ServiceArea}:
            problems["service_area"] = "must be one of " + ", ".join(a.label for a in ServiceArea)
        if manager_id is not None:
            m = s.get(Staff, manager_id)
            if m is None or not m.active or m.role != perm.Role.SERVICE_MANAGER:
                problems["service_manager_id"] = "must be an active service manager"
        if problems:
            raise ValidationError.of(problems)
        return name

    # -- staff --------------------------------------------------------------------------

    def staff_page(self, query: dto.StaffQuery, offset: Offset = 0,
                   limit: Limit = 100) -> dto.Page[dto.StaffInfo]:
        with self._read() as s:
            self._require(s, perm.Action.MANAGE_STAFF)
            stmt = select(Staff).where(Staff.deleted_at.is_(None))
            if not query.include_inactive:
                stmt = stmt.where(Staff.active.is_(True))
            if query.role:
                stmt = stmt.where(Staff.role == query.role)
            if query.team_id:
                stmt = stmt.where(Staff.team_id == query.team_id)
            for word in query.text.split():
                like = f"%{word.lower()}%"
                stmt = stmt.where(func.lower(Staff.display_name).like(like)
                                  | Staff.username.like(like))
            rows = s.scalars(stmt.order_by(Staff.display_name, Staff.id).offset(offset).limit(limit))
            return dto.Page(tuple(staff_info(s, r) for r in rows), offset, limit)

    def staff_by_username(self, username: Annotated[str, Text(USERNAME)]) -> dto.StaffInfo:
        with self._read() as s:
            self._require(s, perm.Action.MANAGE_STAFF, entity_type="staff")
            staff = s.scalar(select(Staff).where(Staff.username == (username or "").strip().lower()))
            if staff is None:
                raise NotFound("member of staff", username)
            return staff_info(s, staff)

    def get_staff(self, staff_id: Id) -> dto.StaffInfo:
        with self._read() as s:
            self._require(s, perm.Action.MANAGE_STAFF, entity_type="staff", entity_id=staff_id)
            return staff_info(s, live_row(s, Staff, staff_id, "staff"))

    def create_staff(self, data: dto.StaffInput, password: Secret) -> dto.StaffInfo:
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_STAFF, entity_type="staff")
            clean = self._staff_fields(s, None, data)
            passwords.check_new_password(password, username=clean["username"])
            accreditations = clean.pop("accreditations")
            staff = Staff(id=new_id(), password_hash=passwords.hash_password(password),
                          must_change_password=True, active=True, **clean)
            self._touch(staff, actor)
            s.add(staff)
            s.flush()
            self._set_accreditations(s, staff, accreditations, actor)
            self._ctx.audit(s, actor, "create_staff", entity_type="staff", entity_id=staff.id,
                            detail=_public(clean) | {"accreditations": sorted(accreditations)})
            info = staff_info(s, staff)
        self._ctx.publish("staff", info.id)
        return info

    def update_staff(self, staff_id: Id, row_version: Version, data: dto.StaffInput) -> dto.StaffInfo:
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_STAFF, entity_type="staff", entity_id=staff_id)
            staff = live_row(s, Staff, staff_id, "staff")
            same_version(staff, row_version, _STALE)
            clean = self._staff_fields(s, staff_id, data)
            accreditations = clean.pop("accreditations")
            changes = _apply(staff, **clean)
            if self._set_accreditations(s, staff, accreditations, actor):
                changes["accreditations"] = sorted(accreditations)
            self._touch(staff, actor)
            self._ctx.audit(s, actor, "update_staff", entity_type="staff", entity_id=staff.id,
                            detail=_public(changes))
            s.flush()
            info = staff_info(s, staff)
        self._ctx.publish("staff", staff_id)
        return info

    def set_active(self, staff_id: Id, row_version: Version, active: bool) -> dto.StaffInfo:
        """Deactivate (or reactivate) an account. A deactivated person cannot sign in; their
        records stay. Nobody may deactivate themselves or the last active administrator."""
        verb = "activate_staff" if active else "deactivate_staff"
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_STAFF, entity_type="staff", entity_id=staff_id)
            staff = live_row(s, Staff, staff_id, "staff")
            same_version(staff, row_version, _STALE)
            if not active:
                if staff.id == actor.id:
                    raise ValidationError("active", "you cannot deactivate your own account")
                if staff.role == perm.Role.ADMINISTRATOR and self._active_admins(s) <= 1:
                    raise ValidationError("active", "the last active administrator must stay active")
            staff.active = active
            self._touch(staff, actor)
            self._ctx.audit(s, actor, verb, entity_type="staff", entity_id=staff.id)
            s.flush()
            info = staff_info(s, staff)
        self._ctx.publish("staff", staff_id)
        return info

    def reset_password(self, staff_id: Id, new_password: Secret) -> dto.StaffInfo:
        """Set a temporary password, unlock the account and ask for a new password at the
        next sign-in."""
        with self._write() as s:
            actor = self._require(s, perm.Action.RESET_PASSWORD, entity_type="staff", entity_id=staff_id)
            staff = live_row(s, Staff, staff_id, "staff")
            passwords.check_new_password(new_password, username=staff.username)
            staff.password_hash = passwords.hash_password(new_password)
            staff.must_change_password = True
            state = s.get(SignInState, staff.id)
            if state is not None:
                state.failed_logins, state.locked_until = 0, None
            self._touch(staff, actor)
            self._ctx.audit(s, actor, "reset_password", entity_type="staff", entity_id=staff.id)
            s.flush()
            info = staff_info(s, staff)
        self._ctx.publish("staff", staff_id)
        return info

    def _active_admins(self, s: Session) -> int:
        return s.scalar(select(func.count()).where(
            Staff.role == perm.Role.ADMINISTRATOR, Staff.active.is_(True),
            Staff.deleted_at.is_(None))) or 0

    def _staff_fields(self, s: Session, staff_id: str | None, d: dto.StaffInput) -> dict[str, Any]:
        """Check every field of a staff record and return the clean values; all problems at
        once, each naming its field."""
        p: dict[str, str] = {}
        today = self._ctx.today()
        username = (d.username or "").strip().lower()
        if not USERNAME_PATTERN.match(username):
            p["username"] = ("must be 2–64 characters: lower-case letters, digits, '.', '_' or "
                             "'-', starting with a letter or digit")
        elif s.scalar(select(Staff.id).where(Staff.username == username,
                                             Staff.id != (staff_id or ""))):
            p["username"] = f"{username!r} is already taken"
        display = (d.display_name or "").strip()
        if not display:
            p["display_name"] = "must not be empty"
        elif len(display) > 120:
            p["display_name"] = "must be at most 120 characters"
        try:
            role = perm.Role(d.role)
        except ValueError:
            p["role"] = "must be one of " + ", ".join(r.label for r in perm.Role)
            role = None
        email = (d.email or "").strip() or None
        if email and ("@" not in email or " " in email):
            p["email"] = "is not an email address"
        if role in _TEAM_ROLES and not d.team_id:
            p["team_id"] = f"a {role.label.lower()} must belong to a team"
        if d.team_id and s.get(Team, d.team_id) is None:
            p["team_id"] = "no such team"
        if not 1 <= d.fte_percent <= 100:
            p["fte_percent"] = "must be between 1 and 100 per cent"
        if d.supervisor_id:
            sup = s.get(Staff, d.supervisor_id)
            if d.supervisor_id == staff_id:
                p["supervisor_id"] = "nobody can supervise themselves"
            elif sup is None or not sup.active:
                p["supervisor_id"] = "must be an active member of staff"
        number = (d.sssc_number or "").strip() or None
        part = d.sssc_part or None
        if number is not None:
            if not SSSC_NUMBER.match(number):
                p["sssc_number"] = "must be 4–10 digits"
            if part not in {x.value for x in perm.RegisterPart}:
                p["sssc_part"] = "choose the part of the register"
            if d.sssc_expiry is None:
                p["sssc_expiry"] = "needed with a registration number"
        elif part or d.sssc_expiry:
            p["sssc_number"] = "needed with a register part or expiry date"
        if role in _REGISTERED_ROLES and number is None:
            p.setdefault("sssc_number", f"a {role.label.lower()} must have an SSSC registration")
        if part == perm.RegisterPart.SOCIAL_WORKER and d.qualified_on is None:
            p["qualified_on"] = "needed for a registered social worker"
        if d.qualified_on and d.qualified_on > today:
            p["qualified_on"] = "must not be in the future"
        accreditations = set()
        for a in d.accreditations:
            try:
                accreditations.add(perm.Accreditation(a).value)
            except ValueError:
                p["accreditations"] = f"unknown accreditation {a!r}"
        if accreditations and part != perm.RegisterPart.SOCIAL_WORKER:
            p["accreditations"] = "only a registered social worker can hold these"
        if p:
            raise ValidationError.of(p)
        return dict(
            username=username, display_name=display, role=role.value, email=email,
            team_id=d.team_id or None, fte_percent=d.fte_percent,
            supervisor_id=d.supervisor_id or None, sssc_number=number,
            sssc_part=part if number else None, sssc_expiry=d.sssc_expiry if number else None,
            qualified_on=d.qualified_on, accreditations=frozenset(accreditations),
        )

    def _set_accreditations(self, s: Session, staff: Staff, kinds: frozenset[str],
                            actor: perm.Actor) -> bool:
        """Make the staff member's current accreditations exactly `kinds`; soft-delete and
        revive rows so the history syncs. Returns whether anything changed."""
        rows = {a.kind: a for a in s.scalars(
            select(StaffAccreditation).where(StaffAccreditation.staff_id == staff.id))}
        changed = False
        for kind, row in rows.items():
            wanted = kind in kinds
            if wanted == (row.deleted_at is None):
                continue
            row.deleted_at = None if wanted else self._ctx.now()
            self._touch(row, actor)
            changed = True
        for kind in kinds - rows.keys():
            row = StaffAccreditation(id=new_id(), staff_id=staff.id, kind=kind,
                                     team_id=staff.team_id, awarded_on=None)
            self._touch(row, actor)
            s.add(row)
            changed = True
        return changed

    # -- backups ------------------------------------------------------------------------

    def backups(self) -> list:
        """The workspace file's backups, newest first (dto.BackupInfo)."""
        with self._read() as s:
            self._require(s, perm.Action.BACKUP_WORKSPACE)
        path = self._workspace_path()
        return backups.list_backups(backups_dir(path))

    def backup_now(self, label: Annotated[str, Text(BACKUP_LABEL)] = "manual") -> Path:
        """A consistent copy of the live workspace, verified before it is listed."""
        with self._write() as s:
            actor = self._require(s, perm.Action.BACKUP_WORKSPACE, entity_type="workspace")
            # Audited first so that the copy holds its own record.
            self._ctx.audit(s, actor, "backup_workspace", entity_type="workspace",
                            detail={"label": label})
        path = self._workspace_path()
        return backups.backup(self._ctx.db.engine, self._ctx.key, backups_dir(path), label=label)

    def _workspace_path(self) -> Path:
        path = self._ctx.db.path
        if path is None:
            raise ValidationError("workspace", "only a workspace file has backups here")
        return path

    # -- reserved-function catalogue ------------------------------------------------------

    def reserved_rules(self) -> tuple[dto.ReservedRuleInfo, ...]:
        with self._read() as s:
            self._require(s, perm.Action.MANAGE_RESERVED_RULES)
            return _rule_infos(load_catalogue(s))

    def add_reserved_rule(self, code: Code, label: Annotated[str, Text(RULE_LABEL)],
                          accreditations: Annotated[frozenset[str], Many(Text(CODE))] = frozenset(),
                          min_pq_months: Annotated[int, Whole(0, 600)] = 0
                          ) -> tuple[dto.ReservedRuleInfo, ...]:
        """Add a reserved function, or strengthen one (a built-in rule can only grow)."""
        with self._write() as s:
            actor = self._require(s, perm.Action.MANAGE_RESERVED_RULES, entity_type="reserved_rule")
            p: dict[str, str] = {}
            code = (code or "").strip().lower()
            if not RULE_CODE.match(code):
                p["code"] = "must be 3–64 lower-case letters, digits or '_', starting with a letter"
            if not (label or "").strip():
                p["label"] = "must not be empty"
            if not 0 <= min_pq_months <= 600:
                p["min_pq_months"] = "must be between 0 and 600 months"
            bad = [a for a in accreditations if a not in {x.value for x in perm.Accreditation}]
            if bad:
                p["accreditations"] = f"unknown accreditation {bad[0]!r}"
            if p:
                raise ValidationError.of(p)
            row = s.scalar(select(ReservedRuleExtension).where(ReservedRuleExtension.code == code))
            if row is None:
                row = ReservedRuleExtension(id=new_id(), code=code)
                s.add(row)
            row.label = label.strip()
            row.accreditations = ",".join(sorted(accreditations))
            row.min_pq_months = min_pq_months
            row.deleted_at = None
            self._touch(row, actor)
            self._ctx.audit(s, actor, "add_reserved_rule", entity_type="reserved_rule",
                            entity_id=row.id, detail={"code": code, "min_pq_months": min_pq_months,
                                                      "accreditations": sorted(accreditations)})
            s.flush()
            rules = _rule_infos(load_catalogue(s))
        self._ctx.publish("reserved_rule", code)
        return rules


def _same_team_name(s: Session, name: str, team_id: str | None) -> str | None:
    """The name of another team (deleted ones too: names stay unique) that reads the same
    as `name` with accents, case and spacing set aside ("Team Łódź", "team lodz"). SQLite
    folds only ASCII case, so the comparison is made here, over a council's few hundred
    teams."""
    def key(text: str) -> str:
        return fold(text) or text.casefold()  # a name of punctuation alone keeps it

    mine = key(name)
    for other_id, other in s.execute(select(Team.id, Team.name)):
        if other_id != team_id and key(other) == mine:
            return other
    return None


def _rule_infos(cat: perm.Catalogue) -> tuple[dto.ReservedRuleInfo, ...]:
    return tuple(
        dto.ReservedRuleInfo(r.code, r.label, tuple(sorted(r.accreditations)), r.min_pq_months,
                             r.builtin)
        for r in cat.rules.values()
    )


def _apply(row: Any, **values: Any) -> dict[str, Any]:
    """Set the given attributes; return {field: new value} for those that changed."""
    changed = {}
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed[name] = value
    return changed


def _public(values: dict[str, Any]) -> dict[str, Any]:
    """What an audit event may say about a change (dates as ISO text)."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()
            if k != "password_hash"}
