"""A small two-team workspace for the UI tests, made through the services (teams, staff)
plus cases inserted directly, since no service creates cases yet.

North (adult and community care): tl.north leads; sw.one and sw.two hold cases; pp.one is a
para-professional; two cases wait unallocated. South (children and families): tl.south leads,
one case held, one waiting. sm.both manages both teams; admin administers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta


from sqlalchemy import update

from casework.models import Allocation, Case, Person, Staff
from casework.models.base import new_id
from casework.secrets import MemoryStore
from casework.services import Workspace, create_workspace, dto
from casework.text import name_key
from casework.timeutil import london_today


PASSWORD = "correct-horse-9"
WORKSPACE_NAME = "Highland test workspace"


@dataclass
class Fixture:
    ws: Workspace
    path: object
    store: MemoryStore
    teams: dict[str, str] = field(default_factory=dict)  # name -> id
    staff: dict[str, str] = field(default_factory=dict)  # username -> id
    cases: dict[str, str] = field(default_factory=dict)  # person name -> case id

    def login(self, username: str):
        return self.ws.login(username, PASSWORD)


def _registration(**more) -> dict:
    return dict(sssc_number="123456", sssc_part="social_worker",
                sssc_expiry=date.today() + timedelta(days=400),
                qualified_on=date(2015, 6, 30), **more)


def add_case(fx: Fixture, team: str, worker: str | None, given: str, family: str, *,
             risk: str = "medium", status: str = "open", band: str | None = "moderate",
             service_area: str = "adult_community_care", review_in_days: int | None = 30,
             waiting_days: int = 0, chi: str | None = None) -> str:
    now = datetime.now(UTC)
    today = london_today()
    person_id, case_id = new_id(), new_id()
    team_id = fx.teams[team]
    worker_id = fx.staff[worker] if worker else None
    with fx.ws.db.write() as s:
        s.add(Person(id=person_id, team_id=team_id, given_name=given, family_name=family,
                     name_key=name_key(given, family),
                     date_of_birth=date(1950, 3, 14), chi=chi, address="1 High Street, Inverness",
                     postcode="IV1 1AA", communication_needs="Hearing aid; face the person",
                     contact_preference="Phone in the morning",
                     what_matters="Staying at home with the dog", updated_at=now))
        s.flush()
        ref = f"CW-{len(fx.cases) + 1:06d}"
        s.add(Case(id=case_id, team_id=team_id, reference=ref, person_id=person_id,
                   service_area=service_area, status=status, eligibility_band=band,
                   risk_level=risk, legal_status="voluntary", named_worker_id=worker_id,
                   unallocated_since=None if worker_id else now - timedelta(days=waiting_days),
                   referred_on=today - timedelta(days=90), opened_on=today - timedelta(days=80),
                   next_review_on=None if review_in_days is None else today + timedelta(days=review_in_days),
                   summary="Support at home after a fall.", updated_at=now))
        s.flush()
        s.add(Allocation(id=new_id(), team_id=team_id, case_id=case_id, worker_id=worker_id,
                         started_at=now - timedelta(days=80), reason="New referral",
                         allocated_by=fx.staff["tl.north" if team == "North" else "tl.south"], updated_at=now))
    fx.cases[f"{given} {family}"] = case_id
    return case_id


def move_case(fx: Fixture, case_id: str, team: str) -> None:
    """Transfer a case to another team behind the UI's back (as a sync would)."""
    with fx.ws.db.write() as s:
        c = s.get(Case, case_id)
        c.team_id = fx.teams[team]
        c.named_worker_id = None
        c.unallocated_since = datetime.now(UTC)


def build_fixture(tmp_path, *, passphrase: str | None = None) -> Fixture:
    """The workspace's key is kept in an in-memory store, or (for another process to
    open it) comes from `passphrase`."""
    store = MemoryStore()
    path = tmp_path / "casework.db"
    ws = create_workspace(path, name=WORKSPACE_NAME, admin_username="admin",
                          admin_password=PASSWORD, credentials=store, passphrase=passphrase)
    fx = Fixture(ws, path, store)
    admin = ws.login("admin", PASSWORD)
    add = admin.admin.create_staff

    fx.staff["admin"] = admin.staff_id
    sm = add(dto.StaffInput("sm.both", "Sandra Douglas", "service_manager",
                            **_registration()), PASSWORD)
    fx.staff["sm.both"] = sm.id
    fx.teams["North"] = admin.admin.create_team("North", "adult_community_care", sm.id).id
    fx.teams["South"] = admin.admin.create_team("South", "children_and_families", sm.id).id
    people = [
        ("tl.north", "Morven MacLeod", "team_leader", "North", True),
        ("sw.one", "Ruaridh Campbell", "social_worker", "North", True),
        ("sw.two", "Agata Nowak", "social_worker", "North", True),
        ("pp.one", "Jamie Kerr", "para_professional", "North", False),
        ("tl.south", "Eilidh Baird", "team_leader", "South", True),
    ]
    for username, name, role, team, registered in people:
        extra = _registration() if registered else {}
        info = add(dto.StaffInput(username, name, role, team_id=fx.teams[team], **extra), PASSWORD)
        fx.staff[username] = info.id
    with ws.db.write() as s:  # as if each had already chosen their own password
        s.execute(update(Staff).values(must_change_password=False))

    add_case(fx, "North", "sw.one", "Morag", "Henderson", risk="high", band="critical",
             review_in_days=-5, chi="1403501234")
    add_case(fx, "North", "sw.one", "Alasdair", "Grant", risk="medium", review_in_days=10)
    add_case(fx, "North", "sw.one", "Fiona", "Baxter", risk="low", status="closed")
    add_case(fx, "North", "sw.one", "Hamish", "Ross", risk="low", band="low",
             service_area="mental_health", review_in_days=60)
    add_case(fx, "North", "sw.two", "Iain", "Munro", risk="low", review_in_days=20)
    add_case(fx, "North", "sw.two", "Catriona", "Fraser", risk="high", review_in_days=3)
    add_case(fx, "North", "tl.north", "Donald", "Mackenzie", review_in_days=45)
    add_case(fx, "North", None, "Ewan", "Stewart", waiting_days=10, review_in_days=None)
    add_case(fx, "North", None, "Shona", "McKay", waiting_days=3, risk="high", review_in_days=None)
    add_case(fx, "South", "tl.south", "Kirsty", "Paterson",
             service_area="children_and_families", review_in_days=14)
    add_case(fx, "South", None, "Callum", "Reid", service_area="children_and_families",
             waiting_days=1, review_in_days=None)
    return fx


def add_filler_cases(fx: Fixture, worker: str, n: int) -> None:
    """Many cases for one worker, to page through."""
    for i in range(n):
        add_case(fx, "North", worker, f"Filler{i:03d}", "Case", review_in_days=i + 100)
