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
from casework import dto
from casework.services import Workspace, create_workspace
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


# -- assessments --------------------------------------------------------------------------

def add_key_person(fx: Fixture, case_name: str, given: str, family: str, *,
                   kind: str = "unpaid_carer", relationship: str = "Daughter") -> str:
    """A key person (a carer, by default) of the case's person, inserted directly."""
    from casework.models import KeyPerson

    with fx.ws.db.write() as s:
        c = s.get(Case, fx.cases[case_name])
        k = KeyPerson(id=new_id(), team_id=c.team_id, person_id=c.person_id, kind=kind,
                      given_name=given, family_name=family, relationship=relationship,
                      updated_at=datetime.now(UTC))
        s.add(k)
    return k.id


def add_staff(fx: Fixture, username: str, name: str, role: str, team: str, *,
              registration_lapsed_days: int | None = None) -> str:
    """Another member of staff, through the admin service; a registered social worker
    unless `role` is a para-professional, their registration lapsed that many days ago
    when `registration_lapsed_days` is given."""
    admin = fx.login("admin")
    extra = {}
    if role != "para_professional":
        extra = _registration()
        if registration_lapsed_days is not None:
            extra["sssc_expiry"] = date.today() - timedelta(days=registration_lapsed_days)
    info = admin.admin.create_staff(dto.StaffInput(username, name, role,
                                                   team_id=fx.teams[team], **extra), PASSWORD)
    with fx.ws.db.write() as s:
        s.execute(update(Staff).where(Staff.id == info.id).values(must_change_password=False))
    fx.staff[username] = info.id
    return info.id


def lapse_registration(fx: Fixture, username: str, days_ago: int = 2) -> None:
    """A registration that lapses behind a signed-in person's back."""
    with fx.ws.db.write() as s:
        s.execute(update(Staff).where(Staff.id == fx.staff[username])
                  .values(sssc_expiry=date.today() - timedelta(days=days_ago)))


# -- notes and chronology -----------------------------------------------------------------

def add_note(fx: Fixture, case_name: str, subject: str, *, author: str = "sw.one",
             note_type: str = "visit", body: str | None = None, hours_ago: float = 24,
             significant: bool = False, contact_with: str | None = None) -> str:
    """A note on the case, inserted directly (an "event" as Casework records one),
    recorded an hour after it happened."""
    from casework.models import CaseNote

    now = datetime.now(UTC)
    occurred = now - timedelta(hours=hours_ago)
    with fx.ws.db.write() as s:
        c = s.get(Case, fx.cases[case_name])
        note = CaseNote(id=new_id(), case_id=c.id, team_id=c.team_id,
                        author_id=fx.staff[author], note_type=note_type, occurred_at=occurred,
                        subject=subject, body=body or f"{subject}: what happened, in full.",
                        significant=significant or note_type == "event",
                        contact_with=contact_with,
                        updated_at=min(occurred + timedelta(hours=1), now),
                        updated_by=fx.staff[author])
        s.add(note)
    return note.id


def add_many_notes(fx: Fixture, case_name: str, n: int, *, author: str = "sw.one") -> None:
    """`n` phone notes on one case, an hour apart, to page through: "Call 000" is the
    oldest."""
    from casework.models import CaseNote

    now = datetime.now(UTC)
    with fx.ws.db.write() as s:
        c = s.get(Case, fx.cases[case_name])
        for i in range(n):
            occurred = now - timedelta(hours=n - i + 1)
            s.add(CaseNote(id=new_id(), case_id=c.id, team_id=c.team_id,
                           author_id=fx.staff[author], note_type="phone", occurred_at=occurred,
                           subject=f"Call {i:03d}", body=f"Phoned about the care package ({i}).",
                           significant=False, updated_at=occurred,
                           updated_by=fx.staff[author]))


# -- plans and reviews --------------------------------------------------------------------

def build_plan(fx: Fixture, case_name: str, *, worker: str = "sw.one") -> dict[str, str]:
    """A plan as it stands after a few weeks, made through the services: three live outcomes
    (the first with three actions, one of them overdue), one ended outcome, and two reviews,
    40 and 10 days ago. Returns ids by name: home, club, money, garden, rail (the overdue
    action), visits, gp, transport."""
    from casework.models import PlanAction

    me = fx.login(worker)
    cid = fx.cases[case_name]
    today = me.today()
    p = me.plans
    ids = {}
    for key, text in (("home", "Stay living at home with my dog Bess, and manage the stairs"),
                      ("club", "Get back to the Tuesday lunch club and see my friends"),
                      ("money", "Sort out my own money again without my son doing it"),
                      ("garden", "Keep the garden tidy")):
        ids[key] = p.add_outcome(cid, text).id
    for key, outcome, data in (
            ("visits", "home", dto.ActionInput("Arrange evening visits from the provider",
                                               owner_staff_id=fx.staff["pp.one"],
                                               due_on=today + timedelta(days=7))),
            ("rail", "home", dto.ActionInput("Fit a second stair rail",
                                             owner_name="Care and Repair",
                                             due_on=today + timedelta(days=2))),
            ("gp", "home", dto.ActionInput("Ask the GP about a falls clinic",
                                           owner_name="Mr Grant (the person)")),
            ("transport", "club", dto.ActionInput("Book community transport for Tuesdays",
                                                  owner_name="Ishbel Grant (daughter, carer)",
                                                  due_on=today + timedelta(days=14)))):
        ids[key] = p.add_action(ids[outcome], data).id
    with fx.ws.db.write() as s:  # three days late: a due date the service would not take now
        s.get(PlanAction, ids["rail"]).due_on = today - timedelta(days=3)

    def rate(plan, *ratings):
        return tuple(dto.RatingInput(o.id, r, score, comment)
                     for o, (r, score, comment) in zip(plan.outcomes, ratings))

    plan = p.plan(cid)
    p.record_review(cid, dto.ReviewInput(
        today - timedelta(days=40), "First review with Mr Grant and his daughter.",
        rate(plan, ("partly_met", 3, "Managing with visits"), ("not_met", 1, "Not been yet"),
             ("partly_met", 2, "Son still helps"), ("met", 5, "A neighbour helps")),
        today + timedelta(days=30)), plan.case_row_version)
    garden = next(o for o in p.plan(cid).outcomes if o.id == ids["garden"])
    p.end_outcome(garden.id, garden.row_version)
    plan = p.plan(cid)
    p.record_review(cid, dto.ReviewInput(
        today - timedelta(days=10), "Good progress: visits in place, transport booked.",
        rate(plan, ("met", 4, "Visits working well"), ("partly_met", 3, "Went twice"),
             ("partly_met", 3, "Pays some bills himself")),
        today + timedelta(days=5)), plan.case_row_version)
    return ids


def close_case_directly(fx: Fixture, case_name: str) -> None:
    """Close a case behind the UI's back (as another worker or a sync would)."""
    with fx.ws.db.write() as s:
        c = s.get(Case, fx.cases[case_name])
        c.status = "closed"


# -- allocation and the case's status ------------------------------------------------------

def set_hours(fx: Fixture, username: str, fte_percent: int) -> None:
    """A member of staff's hours, as a share of full time (their capacity follows)."""
    with fx.ws.db.write() as s:
        s.execute(update(Staff).where(Staff.id == fx.staff[username])
                  .values(fte_percent=fte_percent))


def set_legal_status(fx: Fixture, case_name: str, legal_status: str) -> None:
    """A case's legal status, set directly (a statutory order, say)."""
    with fx.ws.db.write() as s:
        s.get(Case, fx.cases[case_name]).legal_status = legal_status


# -- case windows -------------------------------------------------------------------------

def page_context(fx: Fixture, me, runner):
    """What the main window gives a page or a case window, for `me`, with the real case
    opener (a restore only closes the workspace here)."""
    from casework.ui.case_window import opener
    from casework.ui.event_bridge import EventBridge
    from casework.ui.page_context import PageContext

    return PageContext(fx.ws, me, runner, EventBridge(fx.ws.bus), lambda ws: None, opener.open_case)


def open_case_tab(fx: Fixture, runner, qtbot, username: str, case_name: str, tab: str, *,
                  reason: str | None = None):
    """A real case window opened as `username` (with a stated `reason` for another team's
    case), shown on its `tab` ("people_tab", "plan_tab", "notes_tab", ...) once that tab has
    loaded. Returns the window and the tab."""
    from casework.ui.case_window.window import CaseWindow

    me = fx.login(username)
    window = CaseWindow(page_context(fx, me, runner),
                        me.cases.summary(fx.cases[case_name], reason=reason))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shown = getattr(window, tab)
    window.tabs.setCurrentWidget(shown)
    qtbot.waitUntil(lambda: shown.is_loaded, timeout=2000)
    return window, shown
