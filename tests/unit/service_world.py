"""A small world for service tests: two teams, one member of staff in every role (and the
registration cases that matter), and a few cases, built through the services where they
exist and inserted directly where the service comes in a later issue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from casework.models import Allocation, Case, Person, Staff
from casework.models.base import new_id
from casework.text import name_key
from casework.secrets import MemoryStore
from casework.services import Me, Workspace, create_workspace, open_workspace
from casework import dto

PASSWORD = "correct-horse-1"
ADMIN_PASSWORD = "admin-password-1"
TODAY = date(2026, 11, 22)


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


@dataclass
class World:
    ws: Workspace
    clock: FakeClock
    store: MemoryStore
    path: object
    teams: dict[str, dto.TeamInfo] = field(default_factory=dict)
    staff: dict[str, dto.StaffInfo] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)

    def login(self, username: str) -> Me:
        return self.ws.login(username, ADMIN_PASSWORD if username == "admin" else PASSWORD)

    def reopen(self) -> Workspace:
        self.ws.close()
        self.ws = open_workspace(self.path, credentials=self.store, clock=self.clock)
        return self.ws


STAFF = {
    # username: (role, team, sssc part, expiry offset days, qualified, accreditations)
    "tl.north": ("team_leader", "north", "social_worker", 400, date(2008, 6, 1), ()),
    "sw.north": ("social_worker", "north", "social_worker", 300, date(2016, 6, 1), ("asp_council_officer",)),
    "sw.mho": ("social_worker", "north", "social_worker", 300, date(2012, 6, 1), ("mho",)),
    "sw.nq": ("social_worker", "north", "social_worker", 700, date(2026, 7, 1), ()),
    "sw.lapsed": ("social_worker", "north", "social_worker", -60, date(2014, 6, 1), ()),
    "sp.north": ("senior_practitioner", "north", "social_worker", 300, date(2010, 6, 1), ()),
    "pp.north": ("para_professional", "north", "social_service_worker", 300, None, ()),
    "sw.south": ("social_worker", "south", "social_worker", 300, date(2015, 6, 1), ()),
    "tl.south": ("team_leader", "south", "social_worker", 300, date(2009, 6, 1), ()),
    "sm": ("service_manager", None, "social_worker", 300, date(2001, 6, 1), ()),
    "admin2": ("administrator", None, None, None, None, ()),
}


def build_world(tmp_path, store=None) -> World:
    clock = FakeClock(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    store = store if store is not None else MemoryStore()
    path = tmp_path / "casework.db"
    ws = create_workspace(path, name="Test workspace", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, credentials=store, clock=clock)
    world = World(ws, clock, store, path)
    admin = ws.login("admin", ADMIN_PASSWORD)
    world.teams["north"] = admin.admin.create_team("North Adult Team", "adult_community_care")
    world.teams["south"] = admin.admin.create_team("South Adult Team", "adult_community_care")
    for username, (role, team, part, expiry, qualified, accs) in STAFF.items():
        info = admin.admin.create_staff(
            dto.StaffInput(
                username=username, display_name=username.replace(".", " ").title(), role=role,
                team_id=world.teams[team].id if team else None,
                sssc_number="1234567" if part else None, sssc_part=part,
                sssc_expiry=TODAY + timedelta(days=expiry) if part else None,
                qualified_on=qualified, accreditations=frozenset(accs),
            ),
            PASSWORD,
        )
        world.staff[username] = info
    chose_own_passwords(ws)
    for key in ("north", "south"):
        t = world.teams[key]
        world.teams[key] = admin.admin.update_team(t.id, t.row_version, name=t.name,
                                                   service_area=t.service_area,
                                                   service_manager_id=world.staff["sm"].id)
    _add_cases(world)
    return world


def chose_own_passwords(ws: Workspace) -> None:
    """As if everyone had already replaced the temporary password an administrator set."""
    with ws.db.write() as s:
        s.execute(update(Staff).values(must_change_password=False))


def add_case(world: World, *, team: str, worker: str | None, name: tuple[str, str],
             risk: str = "medium", status: str = "open", review: date | None = None,
             legal: str = "voluntary") -> str:
    """Insert a case with its allocation history (the referral service comes later)."""
    now = world.clock()
    team_id = world.teams[team].id
    worker_id = world.staff[worker].id if worker else None
    with world.ws.db.write() as s:
        person = Person(id=new_id(), team_id=team_id, given_name=name[0], family_name=name[1],
                        name_key=name_key(*name),
                        date_of_birth=date(1950, 1, 1), updated_at=now)
        s.add(person)
        s.flush()  # no ORM relationships: the person must exist before its case
        case = Case(
            id=new_id(), team_id=team_id, reference=f"CW-{len(world.cases) + 1:06d}",
            person_id=person.id, service_area="adult_community_care", status=status,
            eligibility_band="substantial", risk_level=risk, legal_status=legal,
            named_worker_id=worker_id, unallocated_since=None if worker_id else now,
            referred_on=TODAY - timedelta(days=30), opened_on=TODAY - timedelta(days=20),
            next_review_on=review, updated_at=now,
        )
        s.add(case)
        s.flush()
        s.add(Allocation(id=new_id(), team_id=team_id, case_id=case.id, worker_id=worker_id,
                         started_at=now, reason="Referral allocated", updated_at=now))
    world.cases[f"{name[0]} {name[1]}"] = case.id
    return case.id


def _add_cases(world: World) -> None:
    add_case(world, team="north", worker="sw.north", name=("Siobhán", "Ní Bhriain"), risk="high",
             review=TODAY - timedelta(days=3))
    add_case(world, team="north", worker="sw.north", name=("Łukasz", "Nowak"), risk="low",
             review=TODAY + timedelta(days=10))
    add_case(world, team="north", worker="sw.north", name=("Ann", "Closed"), status="closed")
    add_case(world, team="north", worker="sw.mho", name=("Morag", "Baird"), risk="medium",
             legal="compulsory_treatment_order", review=TODAY + timedelta(days=40))
    add_case(world, team="north", worker=None, name=("Euan", "Waiting"), status="referral")
    add_case(world, team="south", worker="sw.south", name=("Iain", "South"))
    add_case(world, team="south", worker=None, name=("Kirsty", "Queue"), status="referral")
