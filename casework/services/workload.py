"""Weighted caseloads against capacity, for allocation.

The rule (weights by risk and legal status, capacity by service area, hours and a newly
qualified worker's protected first year) is `casework.weighting`'s; here it becomes SQL:
one SUM over a CASE expression, grouped by worker, so that no case row is ever loaded to
count it. Reading a team's workload is for those who may allocate its cases.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from casework import permissions as perm
from casework import weighting
from casework.errors import NotFound, ValidationError
from casework.models import Case, Staff, Team
from casework import dto
from casework.fields import Id
from casework.services.base import Service
from casework.vocab import LIVE_STATUSES

_LIVE = [s.value for s in LIVE_STATUSES]
_CASE_HOLDING = [r.value for r in perm.CASE_HOLDING_ROLES]

# A case's weight in quarters, as SQL (casework.weighting.case_quarters).
CASE_QUARTERS = (
    case(weighting.RISK_QUARTERS, value=Case.risk_level,
         else_=weighting.UNKNOWN_RISK_QUARTERS)
    + case((Case.legal_status == weighting.VOLUNTARY, 0), else_=weighting.LEGAL_QUARTERS)
)


def newly_qualified(s: Staff, today: date) -> bool:
    """The policy's own test, asked of the facts it reads (a qualification date)."""
    return perm.is_newly_qualified(
        perm.Actor(id=s.id, username=s.username, display_name=s.display_name,
                   role=perm.Role(s.role), team_id=s.team_id, qualified_on=s.qualified_on),
        today)


# Built once, with the team (and the one worker) as parameters.
_LOADS = (
    # A worker with no live case still has a row from the outer join: it weighs 0.
    select(Staff, func.count(Case.id),
           func.coalesce(func.sum(case((Case.id.is_(None), 0), else_=CASE_QUARTERS)), 0))
    .outerjoin(Case, and_(Case.named_worker_id == Staff.id, Case.status.in_(_LIVE),
                          Case.deleted_at.is_(None)))
    .where(Staff.team_id == bindparam("team_id"), Staff.active.is_(True),
           Staff.deleted_at.is_(None), Staff.role.in_(_CASE_HOLDING))
    .group_by(Staff.id)
    .order_by(Staff.display_name, Staff.id)
)
_LOAD_OF_ONE = _LOADS.where(Staff.id == bindparam("worker_id"))


def worker_loads(session: Session, team: Team, today: date,
                 worker_id: str | None = None) -> tuple[dto.WorkerLoad, ...]:
    """The team's active case-holding staff (or the one of them given), each with the live
    cases they hold (in any team) weighted and summed in SQL, by name."""
    rows = session.execute(_LOADS if worker_id is None else _LOAD_OF_ONE,
                           {"team_id": team.id, "worker_id": worker_id})
    loads = []
    for st, count, quarters in rows:
        nq = newly_qualified(st, today)
        loads.append(dto.WorkerLoad(
            staff_id=st.id, display_name=st.display_name, role=perm.Role(st.role),
            fte_percent=st.fte_percent, newly_qualified=nq, cases=count,
            load=quarters / weighting.QUARTERS,
            capacity=weighting.capacity(team.service_area, st.fte_percent, nq)))
    return tuple(loads)


def allocatable(session: Session, team: Team, worker_id: str | None,
                today: date) -> dto.WorkerLoad | None:
    """The worker's load when they may be named worker of the team's cases, else None."""
    if not worker_id:
        return None
    found = worker_loads(session, team, today, worker_id)
    return found[0] if found else None


NOT_ALLOCATABLE = "must be an active social worker, senior practitioner or team leader of the case's team"


class WorkloadService(Service):
    def team(self, team_id: Id) -> tuple[dto.WorkerLoad, ...]:
        """The team's case-holding workers with their weighted loads and capacities."""
        with self._read() as s:
            actor = self._actor(s)
            t = _team(s, team_id)
            self._check(actor, "view_team_workload", perm.decide_allocation(actor, t.id),
                        entity_type="team", entity_id=t.id)
            return worker_loads(s, t, self._ctx.today())

    def preview(self, case_id: Id, worker_id: Id) -> dto.AllocationPreview:
        """What allocating the case to the worker would make their load."""
        with self._read() as s:
            actor = self._actor(s)
            c = self._case(s, case_id)
            self._check(actor, "view_team_workload",
                        perm.decide_allocation(actor, c.team_id or ""),
                        entity_type="case", entity_id=c.id)
            t = _team(s, c.team_id)
            worker = allocatable(s, t, worker_id, self._ctx.today())
            if worker is None:
                raise ValidationError("worker_id", NOT_ALLOCATABLE)
            return preview_of(c, worker)


def preview_of(c: Case, worker: dto.WorkerLoad) -> dto.AllocationPreview:
    weight = weighting.case_weight(c.risk_level, c.legal_status)
    holds = c.named_worker_id == worker.staff_id and c.status in _LIVE
    return dto.AllocationPreview(case_id=c.id, case_weight=weight, worker=worker,
                                 holds_case=holds,
                                 load_after=worker.load if holds else worker.load + weight)


def _team(s: Session, team_id: str | None) -> Team:
    t = s.get(Team, team_id) if team_id else None
    if t is None or t.deleted_at is not None:
        raise NotFound("team", team_id)
    return t
