"""The entry points: generate() fills a fresh workspace; create_demo_workspace() and
create_council_workspace() make one and fill it, and remove it again if that fails.

Generation plans staff, people and cases in memory, writes them with their care records,
then streams the notes case by case; it ends with one audit event."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import func, select

from casework import passwords
from casework import permissions as perm
from casework.db import Database
from casework.models import (
    Allocation,
    Assessment,
    AssessmentContribution,
    Case,
    CaseNote,
    KeyPerson,
    OutcomeRating,
    Person,
    PlanAction,
    PlanOutcome,
    PlanReview,
    Staff,
    StaffAccreditation,
    Team,
)
from casework.secrets import CredentialStore, KeyringStore, forget_key
from casework.services.audit import append_event
from casework.services.workspace import Workspace, create_workspace
from casework.synthetic.accounts import DEMO_PASSWORD
from casework.synthetic.cases import number_cases, plan_cases
from casework.synthetic.draws import london_time, new_id
from casework.synthetic.notes import NoteWriter, note_rate
from casework.synthetic.plan import Plan
from casework.synthetic.rows import (
    allocation_rows,
    case_row,
    person_row,
    staff_row,
    synced,
)
from casework.synthetic.scales import COUNCIL, TEAM, Scale
from casework.synthetic.staff import plan_staff, share_cases
from casework.synthetic.writer import Progress, Writer
from casework.timeutil import london_today
from casework.vocab import AssessmentStatus, CaseStatus, KeyPersonKind, NoteType

# Bump whenever the rows made for a given seed and as_of change: the benchmarks reuse a
# council file only while it was made by this version and the same seed.
GENERATOR_VERSION = 3
DEFAULT_SEED = 2006  # the year of Changing Lives
DEMO_WORKSPACE_NAME = "Riverside demo (fictional data)"
COUNCIL_WORKSPACE_NAME = "Council-scale test data (fictional)"
Role = perm.Role


@dataclass(frozen=True)
class GenerationReport:
    scale: str
    seed: int
    as_of: date
    counts: dict[str, int]
    seconds: float


def generate(ws: Workspace, scale: Scale, *, seed: int = DEFAULT_SEED, as_of: date | None = None,
             progress: Progress | None = None) -> GenerationReport:
    """Fill a freshly created workspace with fictional teams, staff, people, cases, allocation
    history and notes. Same seed and as_of, same rows. Ends with one audit event.

    Rows go in over a few transactions; if generation fails, those already committed stay
    (create_demo_workspace and create_council_workspace then remove the whole file)."""
    # The care records load only when data is made: the demo's sign-in imports this package
    # for DEMO_PASSWORD alone.
    from casework.synthetic.care.records import CareRecords

    started = time.perf_counter()
    as_of = as_of or london_today(ws._ctx.clock)
    say = progress or (lambda stage, fraction: None)
    rng = Random(seed)
    admin_id, admin_name = _fresh_workspace_admin(ws.db)

    say("Planning staff and cases", 0.0)
    plan = Plan()
    plan_staff(rng, scale, as_of, plan)
    share_cases(scale, plan)
    plan_cases(rng, as_of, plan)
    number_cases(plan)
    rate = note_rate(plan, scale, as_of)
    care = CareRecords(plan, scale, seed, as_of)
    care.settle_closures()

    # About as many rows as will be written (allocations run ~1.7 a case), for progress only.
    expected = (len(plan.members) * 2 + len(plan.people) + len(plan.cases) * 3 + scale.notes
                + care.expected_rows())
    writer = Writer(ws.db, scale, expected, say)
    try:
        _write_staff(rng, plan, writer, as_of, admin_id)
        writer.stage = "People and cases"
        _write_cases(rng, plan, writer, as_of)
        writer.stage = "Care records"
        care.write(writer)
        care.settle_notes(fixed=sum(2 if c.closed_on else 1 for c in plan.cases))
        writer.stage = "Case notes"
        notes = NoteWriter(rng, as_of, rate, care)
        for c in plan.cases:
            writer.add_all(CaseNote.__table__, notes.notes(c))
        writer.flush()
        writer.commit()
    except BaseException as exc:
        writer.abort(exc)
        raise

    say("Checking", 0.96)
    counts = _counts(ws.db)
    seconds = time.perf_counter() - started
    with ws.db.write() as s:
        append_event(s, ws._ctx.chain, at=ws._ctx.now(), actor_id=admin_id,
                     actor_name=admin_name, action="generate_synthetic_data", entity_type="workspace",
                     detail={"scale": scale.name, "seed": seed, "as_of": as_of.isoformat(),
                             "generator_version": GENERATOR_VERSION, "counts": counts,
                             "seconds": round(seconds, 1)})
    say("Done", 1.0)
    return GenerationReport(scale.name, seed, as_of, counts, seconds)


def _fresh_workspace_admin(db: Database) -> tuple[str, str]:
    """The administrator create_workspace made; refuses a workspace that already has teams
    or staff, so that generating twice cannot mix two data sets."""
    with db.read() as s:
        if s.scalar(select(func.count()).select_from(Team)):
            raise ValueError("synthetic data goes only into a freshly created workspace")
        others = select(func.count()).select_from(Staff).where(Staff.role != Role.ADMINISTRATOR.value)
        if s.scalar(others):
            raise ValueError("synthetic data goes only into a freshly created workspace")
        admin = s.execute(select(Staff.id, Staff.display_name)
                          .where(Staff.role == Role.ADMINISTRATOR.value)
                          .order_by(Staff.updated_at, Staff.id).limit(1)).one()
    return admin.id, admin.display_name


def _write_staff(rng: Random, plan: Plan, writer: Writer, as_of: date, admin_id: str) -> None:
    """Service managers first (teams point at them), then teams, then their staff: team
    leaders before the people they supervise."""
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash shared by every account
    set_up = london_time(as_of - timedelta(days=400), 9 * 60)
    staff, teams, accreditations = Staff.__table__, Team.__table__, StaffAccreditation.__table__
    for loc in plan.localities:
        assert loc.manager is not None
        writer.add(staff, staff_row(loc.manager, password_hash, set_up, admin_id))
    writer.flush()  # teams refer to the managers, members to the teams
    for loc in plan.localities:
        for t in loc.teams:
            writer.add(teams, synced(t.id, t.id, set_up, admin_id) | {
                "name": t.name, "service_area": t.area.value, "service_manager_id": loc.manager.id})
    writer.flush()
    managers = {loc.manager.id for loc in plan.localities if loc.manager}
    for m in plan.members:
        if m.id not in managers:
            writer.add(staff, staff_row(m, password_hash, set_up, admin_id))
    writer.flush()
    for m in plan.members:
        for kind, awarded in m.accreditations:
            writer.add(accreditations, synced(new_id(rng), m.team.id if m.team else None, set_up, admin_id)
                       | {"staff_id": m.id, "kind": kind.value, "awarded_on": awarded})
    writer.flush()


def _write_cases(rng: Random, plan: Plan, writer: Writer, as_of: date) -> None:
    taken_chi: set[str] = set()
    person_rows = {}
    for p in plan.people:
        person_rows[p.id] = person_row(rng, p, taken_chi, p.team.leader.id if p.team.leader else None)
    written: set[str] = set()
    person, case, allocation = Person.__table__, Case.__table__, Allocation.__table__
    for c in plan.cases:  # in reference order; each person goes in with their first case
        if c.person.id not in written:
            writer.add(person, person_rows.pop(c.person.id))
            written.add(c.person.id)
        writer.add(case, case_row(rng, c, as_of))
        writer.add_all(allocation, allocation_rows(rng, c))
    writer.flush()


def _counts(db: Database) -> dict[str, int]:
    live = [s.value for s in CaseStatus if s != CaseStatus.CLOSED]
    with db.read() as s:
        def count(stmt) -> int:
            return s.scalar(stmt) or 0

        return {
            "teams": count(select(func.count()).select_from(Team)),
            "staff": count(select(func.count()).select_from(Staff).where(
                Staff.active.is_(True), Staff.role != Role.ADMINISTRATOR.value)),
            "former_staff": count(select(func.count()).select_from(Staff).where(Staff.active.is_(False))),
            "people": count(select(func.count()).select_from(Person)),
            "cases": count(select(func.count()).select_from(Case)),
            "live_cases": count(select(func.count()).select_from(Case).where(Case.status.in_(live))),
            "unallocated": count(select(func.count()).select_from(Case).where(
                Case.status.in_(live), Case.named_worker_id.is_(None))),
            "allocations": count(select(func.count()).select_from(Allocation)),
            "notes": count(select(func.count()).select_from(CaseNote)),
            "corrections": count(select(func.count()).select_from(CaseNote).where(
                CaseNote.corrects_id.is_not(None))),
            "significant_notes": count(select(func.count()).select_from(CaseNote).where(
                CaseNote.significant.is_(True))),
            "event_notes": count(select(func.count()).select_from(CaseNote).where(
                CaseNote.note_type == NoteType.EVENT.value)),
            "key_people": count(select(func.count()).select_from(KeyPerson)),
            "carers": count(select(func.count()).select_from(KeyPerson).where(KeyPerson.kind.in_(
                [k.value for k in KeyPersonKind if k.is_carer]))),
            "assessments": count(select(func.count()).select_from(Assessment)),
            "assessment_drafts": count(select(func.count()).select_from(Assessment).where(
                Assessment.status == AssessmentStatus.DRAFT.value)),
            "contributions": count(select(func.count()).select_from(AssessmentContribution)),
            "plan_outcomes": count(select(func.count()).select_from(PlanOutcome)),
            "plan_actions": count(select(func.count()).select_from(PlanAction)),
            "plan_reviews": count(select(func.count()).select_from(PlanReview)),
            "outcome_ratings": count(select(func.count()).select_from(OutcomeRating)),
        }


def create_demo_workspace(path: str | Path, *, credentials: CredentialStore | None = None,
                          as_of: date | None = None, progress: Progress | None = None,
                          seed: int = DEFAULT_SEED) -> Workspace:
    """The Riverside demo: two teams, about twenty-five staff, 420 live cases. Fictional
    data, so its key may sit in a file beside it where there is no keychain."""
    return _create(path, TEAM, DEMO_WORKSPACE_NAME, credentials, as_of, progress, seed)


def create_council_workspace(path: str | Path, *, credentials: CredentialStore | None = None,
                             as_of: date | None = None, progress: Progress | None = None,
                             seed: int = DEFAULT_SEED) -> Workspace:
    """A council's worth of fictional data (about 2,000 staff, 150,000 cases) for benchmarks."""
    return _create(path, COUNCIL, COUNCIL_WORKSPACE_NAME, credentials, as_of, progress, seed)


def _create(path: str | Path, scale: Scale, name: str, credentials: CredentialStore | None,
            as_of: date | None, progress: Progress | None, seed: int) -> Workspace:
    ws = create_workspace(path, name=name, admin_username="admin", admin_password=DEMO_PASSWORD,
                          demo=True, credentials=credentials)
    try:
        generate(ws, scale, seed=seed, as_of=as_of, progress=progress)
    except BaseException:
        # A half-filled demo is worse than none: remove it so the next start makes it again.
        ws.close()
        file = Path(path).expanduser().resolve()
        forget_key(credentials or KeyringStore(), file)
        for suffix in ("", "-wal", "-shm"):
            Path(str(file) + suffix).unlink(missing_ok=True)
        raise
    return ws
