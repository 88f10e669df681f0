"""What every actor-bound service shares: the workspace context, the actor as the database
knows them now, permission checks that audit every refusal, and audited writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from casework import permissions as perm
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.events import Bus, Changed
from casework.secrets import WorkspaceKey
from casework.models import AuditEvent, Case, CaseNote, ReservedRuleExtension, Staff, StaffAccreditation, Team
from casework.models.audit import CASE_OPENED
from casework.services.audit import AuditChain, append_event
from casework.services.checked import check_public_methods
from casework.timeutil import LONDON, Clock, london_today


T = TypeVar("T")


class ActorCache:
    """The actors loaded so far, each with the staff token read in the same transaction.
    The token changes, in the transaction that makes the change, with every change to a
    staff record, an accreditation or a team (models.StaffEpoch), so an actor whose token
    still matches is exactly what loading them again would give: a deactivation, a new role
    or a lapsed registration takes effect on the very next call, from whichever connection,
    process or sync it came. Reading the token is one small query; loading an actor is two
    or three, and most of a short read's time."""

    def __init__(self) -> None:
        self._actors: dict[str, tuple[str, perm.Actor]] = {}

    def actor(self, session: Session, staff_id: str) -> perm.Actor:
        token = staff_token(session)
        cached = self._actors.get(staff_id)
        if cached is not None and token is not None and cached[0] == token:
            return cached[1]
        actor = load_actor(session, staff_id)
        if token is not None:  # read first: an actor is never older than its token
            self._actors[staff_id] = (token, actor)
        return actor


_TOKEN = "SELECT token FROM staff_epoch WHERE id = 1"


def staff_token(session: Session) -> str | None:
    """The staff token as this transaction sees it (None in a database without one, where
    nothing is kept). Sent on the driver's own cursor, in the session's transaction: it runs
    on every call, where SQLAlchemy's handling of a statement costs more than the query."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(_TOKEN)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


@dataclass
class Context:
    """The open workspace as services see it."""

    db: Database
    clock: Clock
    device_id: str
    bus: Bus
    key: WorkspaceKey | None = None  # for backups of a workspace file
    actors: ActorCache = field(default_factory=ActorCache)
    chain: AuditChain | None = None  # the keyed audit chain every event is appended to

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return london_today(self.clock)

    def audit(self, session: Session, actor: perm.Actor | None, action: str, **fields: Any) -> None:
        assert self.chain is not None, "a workspace context always has its audit chain"
        append_event(
            session,
            self.chain,
            device_id=self.device_id,
            at=self.now(),
            actor_id=actor.id if actor else None,
            actor_name=actor.display_name if actor else fields.pop("actor_name", "system"),
            action=action,
            **fields,
        )

    def publish(self, kind: str, *ids: str) -> None:
        self.bus.publish(Changed(kind, tuple(ids)))


def load_actor(session: Session, staff_id: str) -> perm.Actor:
    """The actor as stored now: a deactivation or a lapsed registration takes effect at once."""
    s = session.get(Staff, staff_id)
    if s is None:
        raise NotFound("staff", staff_id)
    return actor_from(session, s)


def actor_from(session: Session, s: Staff) -> perm.Actor:
    accreditations = session.scalars(
        select(StaffAccreditation.kind).where(
            StaffAccreditation.staff_id == s.id, StaffAccreditation.deleted_at.is_(None)
        )
    )
    role = perm.Role(s.role)
    if role == perm.Role.SERVICE_MANAGER:
        managed = frozenset(
            session.scalars(
                select(Team.id).where(Team.service_manager_id == s.id, Team.deleted_at.is_(None))
            )
        )
    elif role == perm.Role.TEAM_LEADER and s.team_id:
        managed = frozenset({s.team_id})
    else:
        managed = frozenset()
    return perm.Actor(
        id=s.id,
        username=s.username,
        display_name=s.display_name,
        role=role,
        team_id=s.team_id,
        active=s.active and s.deleted_at is None,
        sssc_number=s.sssc_number,
        sssc_part=perm.RegisterPart(s.sssc_part) if s.sssc_part else None,
        sssc_expiry=s.sssc_expiry,
        qualified_on=s.qualified_on,
        accreditations=frozenset(perm.Accreditation(a) for a in accreditations),
        managed_team_ids=managed,
        password_change_required=s.must_change_password,
    )


def load_catalogue(session: Session) -> perm.Catalogue:
    extensions = [
        perm.ReservedRule(
            code=r.code,
            label=r.label,
            accreditations=frozenset(
                perm.Accreditation(a) for a in r.accreditations.split(",") if a
            ),
            min_pq_months=r.min_pq_months,
        )
        for r in session.scalars(
            select(ReservedRuleExtension).where(ReservedRuleExtension.deleted_at.is_(None))
        )
    ]
    return perm.DEFAULT_CATALOGUE.extended(extensions)


class _Refused(Exception):
    """Raised inside a transaction; turned into an audited PermissionDenied after it ends."""

    def __init__(self, actor: perm.Actor, action: str, decision: perm.Decision, fields: dict):
        self.actor, self.action, self.decision, self.fields = actor, action, decision, fields


def check(actor: perm.Actor, action: str, decision: perm.Decision, **fields: Any) -> None:
    """Refuse `action` when `decision` does: inside `refusals_audited`, the transaction is
    rolled back and the refusal audited (with `fields`) in one of its own."""
    if not decision:
        raise _Refused(actor, action, decision, fields)


@contextmanager
def refusals_audited(ctx: Context) -> Iterator[None]:
    """The one way a refusal is audited and raised: whatever the block wrote is rolled back
    (its transaction closes first), then the refusal is written in a transaction of its own
    and raised as PermissionDenied. The services' `_read()`/`_write()` use it; so does
    anything else that refuses (a workspace restore)."""
    try:
        yield
    except _Refused as r:
        with ctx.db.write() as session:
            ctx.audit(session, r.actor, r.action, outcome="refused", reason=r.decision.reason,
                      **r.fields)
        raise PermissionDenied(r.action, r.decision.reason, r.decision.message) from None


class Service:
    """Base of the services bound to one signed-in member of staff. Each public method runs
    in one transaction from `_read()` or `_write()`, checks permission before it touches
    anything, and so leaves nothing half-written when it refuses or fails."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check_public_methods(cls)  # every input checked against its declared fields first

    def __init__(self, ctx: Context, actor_id: str):
        self._ctx = ctx
        self._actor_id = actor_id

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with refusals_audited(self._ctx):
            with self._ctx.db.read() as session:
                yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with refusals_audited(self._ctx):
            with self._ctx.db.write() as session:
                yield session

    def _actor(self, session: Session) -> perm.Actor:
        return self._ctx.actors.actor(session, self._actor_id)

    def _check(self, actor: perm.Actor, action: str, decision: perm.Decision, **fields: Any) -> None:
        check(actor, action, decision, **fields)

    def _require(self, session: Session, action: perm.Action, **fields: Any) -> perm.Actor:
        actor = self._actor(session)
        self._check(actor, action.value, perm.decide_action(actor, action), **fields)
        return actor

    def _touch(self, row: Any, actor: perm.Actor) -> None:
        row.updated_at = self._ctx.now()
        row.updated_by = actor.id

    # -- cases --------------------------------------------------------------------------

    def _case(self, s: Session, case_id: str) -> Case:
        return live_row(s, Case, case_id, "case")

    def _case_to_work_on(self, s: Session, case_id: str, action: str) -> tuple[perm.Actor, Case]:
        """The actor and the case, when the actor may record on it (refused and audited
        as `action` otherwise)."""
        actor = self._actor(s)
        c = self._case(s, case_id)
        self._check(actor, action, perm.decide_case_work(actor, case_ref(c)),
                    entity_type="case", entity_id=c.id)
        return actor, c

    def _case_to_read(self, s: Session, case_id: str, action: str) -> tuple[perm.Actor, Case]:
        """The actor and the case, when need to know lets the actor read it without a
        stated reason (a reason is given once, when the case file is opened)."""
        actor = self._actor(s)
        c = self._case(s, case_id)
        decision = perm.decide_case_access(actor, case_ref(c), reason_given=False)
        if not decision and self._reason_given(s, actor, c):  # asked only when it matters
            decision = perm.ALLOW
        self._check(actor, action, decision, entity_type="case", entity_id=c.id)
        return actor, c

    def _reason_given(self, s: Session, actor: perm.Actor, c: Case) -> bool:
        """Whether the actor stated a reason when opening this case file today: the window's
        other tabs then read it on the strength of that audited reason. One seek in the index
        of case-file openings, however often the case was opened."""
        start = datetime.combine(self._ctx.today(), time(), tzinfo=LONDON)
        return s.connection().execute(
            _OPENED_SINCE, {"case_id": c.id, "actor_id": actor.id, "since": start}
        ).first() is not None

    def _chronology_event(self, s: Session, actor: perm.Actor, c: Case, subject: str,
                          body: str = "") -> CaseNote:
        """Record a significant event on the case's chronology, written by Casework on the
        actor's behalf (referral, opening, allocation, sign-off, review, closing)."""
        note = CaseNote(case_id=c.id, author_id=actor.id, note_type="event",
                        occurred_at=self._ctx.now(), subject=subject, body=body,
                        significant=True, team_id=c.team_id)
        self._touch(note, actor)
        s.add(note)
        return note


# The actor's successful openings of a case file since a moment (ix_audit_event_case_views).
_OPENED_SINCE = (
    select(AuditEvent.entity_id)  # in the index: the seek needs no row of the table
    .where(AuditEvent.entity_id == bindparam("case_id"),
           AuditEvent.actor_id == bindparam("actor_id"), AuditEvent.at >= bindparam("since"),
           text(CASE_OPENED))
    .limit(1)
)

def live_row(s: Session, model: type[T], ident: str, kind: str) -> T:
    """The row with this id, unless it is missing or soft-deleted (NotFound, naming `kind`)."""
    row = s.get(model, ident)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(kind, ident)
    return row


def same_version(row: Any, expected: int, stale: str) -> None:
    """Optimistic locking: `stale` says, in the record's own words, that someone else saved
    first and nothing was written."""
    if row.row_version != expected:
        raise Conflict(stale)


def case_ref(c: Case) -> perm.CaseRef:
    return perm.CaseRef(c.team_id or "", c.named_worker_id)
