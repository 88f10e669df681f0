"""Deterministic synthetic data for the demo, tests and benchmarks. No Qt.

    ws = create_demo_workspace(path)                # the Riverside demo (TEAM scale)
    ws = create_council_workspace(path)             # a council's worth, for benchmarks
    report = generate(ws, TEAM, seed=7, as_of=date(2026, 11, 22))

Everything is drawn from one `random.Random(seed)` and every date counts back from `as_of`,
so the same seed and as_of give the same rows (only the administrator, made by
create_workspace, differs between files). Every person, case, allocation and note is fictional.
Care records (key people and carers, assessments, plans, reviews, the chronology's events) come
from casework.synthetic_care, drawn from Randoms of their own so that adding them left the rows
above as they were.

Council scale (150,000 cases, 2,000,000 notes) must build in minutes on a small laptop, so:
rows go in through SQLAlchemy Core `insert()` executemany in large batches inside a few
transactions (no ORM unit of work), every synthetic account shares one argon2 hash of
DEMO_PASSWORD, and note text is assembled from short templates.
"""

from __future__ import annotations

import bisect
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from sqlalchemy import Table, func, insert, select

from casework import passwords
from casework import permissions as perm
from casework.chi import chi_check_digit
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
from casework.text import fold, name_key
from casework.timeutil import LONDON, london_today
from casework.vocab import (
    AssessmentStatus,
    CaseStatus,
    EligibilityBand,
    KeyPersonKind,
    LegalStatus,
    NoteType,
    RiskLevel,
    ServiceArea,
    band_target,
)

# Bump whenever the rows made for a given seed and as_of change: the benchmarks reuse a
# council file only while it was made by this version and the same seed.
GENERATOR_VERSION = 3
DEFAULT_SEED = 2006  # the year of Changing Lives
DEMO_PASSWORD = "casework-demo"
DEMO_WORKSPACE_NAME = "Riverside demo (fictional data)"
COUNCIL_WORKSPACE_NAME = "Council-scale test data (fictional)"

Progress = Callable[[str, float], None]
ADULT = ServiceArea.ADULT_COMMUNITY_CARE
CHILDREN = ServiceArea.CHILDREN_AND_FAMILIES
JUSTICE = ServiceArea.JUSTICE
MENTAL_HEALTH = ServiceArea.MENTAL_HEALTH
Role = perm.Role


# -- scales -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How much to make. Each locality has one team per service area; team sizes are drawn
    from the ranges (the named demo accounts come on top of them)."""

    name: str
    localities: int
    service_areas: tuple[ServiceArea, ...]
    social_workers: tuple[int, int]
    senior_practitioners: tuple[int, int]
    para_professionals: tuple[int, int]
    former_workers: int  # per team: left, but still named in older allocation history
    live_cases: int  # referral, open or closing; what the caseloads cannot hold waits in queues
    cases: int  # live and closed
    people: int
    notes: int  # about this many, corrections included
    batch_rows: int = 10_000  # rows per executemany
    commit_rows: int = 250_000  # rows per transaction: keeps the WAL small, transactions few


TEAM = Scale(
    name="team", localities=1, service_areas=(ADULT, CHILDREN),
    # Sized so that most live cases have a named worker at Setting the Bar caseloads and about
    # a fifth wait in the queues, as in a team under ordinary pressure.
    social_workers=(6, 6), senior_practitioners=(1, 1), para_professionals=(0, 1),
    former_workers=1, live_cases=420, cases=720, people=600, notes=11_000, batch_rows=5_000,
)
COUNCIL = Scale(
    name="council", localities=30, service_areas=(ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH),
    social_workers=(9, 12), senior_practitioners=(1, 2), para_professionals=(2, 4),
    former_workers=1, live_cases=36_000, cases=150_000, people=100_000, notes=2_000_000,
)


# -- the named demo accounts ---------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: perm.Role
    shows: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Administrator", Role.ADMINISTRATOR,
                "Teams, staff, passwords and reserved-function rules; no case content."),
    DemoAccount("tl.macleod", "Fiona MacLeod", Role.TEAM_LEADER,
                "Team leader of Riverside Adult Team: the team's caseload, its unallocated "
                "queue and allocation; holds about 8 cases herself."),
    DemoAccount("sw.campbell", "Ewan Campbell", Role.SOCIAL_WORKER,
                "A full adult caseload; registered, qualified 2016, accredited ASP council officer."),
    DemoAccount("sw.nowak", "Łukasz Nowak", Role.SOCIAL_WORKER,
                "Newly qualified (about four months): a small protected caseload; too little "
                "experience for MHO or ASP council officer work."),
    DemoAccount("sw.nibhriain", "Siobhán Ní Bhriain", Role.SOCIAL_WORKER,
                "Mental Health Officer (qualified 2012): may carry out MHO functions."),
    DemoAccount("sw.reid", "Alan Reid", Role.SOCIAL_WORKER,
                "SSSC registration lapsed about two months ago: holds cases but every reserved "
                "function is refused."),
    DemoAccount("pp.kerr", "Jamie Kerr", Role.PARA_PROFESSIONAL,
                "Para-professional (SSSC social service worker part): directed tasks only; "
                "never reserved work."),
    DemoAccount("pp.singh", "Priya Singh", Role.PARA_PROFESSIONAL,
                "Para-professional, part time, in the adult team."),
    DemoAccount("sm.douglas", "Helen Douglas", Role.SERVICE_MANAGER,
                "Service manager of both Riverside teams: sees across them."),
    DemoAccount("tl.baird", "Morag Baird", Role.TEAM_LEADER,
                "Team leader of Riverside Children and Families Team."),
)

DEMO_LOCALITY = "Riverside"


_Award = tuple[perm.Accreditation, date]  # an accreditation and when it was awarded


@dataclass(frozen=True)
class _NamedDetail:
    """What the demo needs of each named account beyond DEMO_ACCOUNTS, dates relative to as_of
    where the story depends on them (a registration that lapsed two months ago stays lapsed)."""

    area: ServiceArea | None  # the Riverside team they belong to; None for the service manager
    qualified: date | None = None
    qualified_months_ago: int | None = None
    lapsed_days_ago: int | None = None
    accreditations: tuple[_Award, ...] = ()
    fte: int = 100
    caseload: int | None = None


_NAMED_DETAILS: dict[str, _NamedDetail] = {
    "tl.macleod": _NamedDetail(ADULT, qualified=date(2008, 6, 27), caseload=8),
    "sw.campbell": _NamedDetail(
        ADULT, qualified=date(2016, 6, 24),
        accreditations=((perm.Accreditation.ASP_COUNCIL_OFFICER, date(2018, 3, 9)),)),
    "sw.nowak": _NamedDetail(ADULT, qualified_months_ago=4, caseload=8),
    "sw.nibhriain": _NamedDetail(
        ADULT, qualified=date(2012, 6, 29), fte=80,
        accreditations=((perm.Accreditation.MHO, date(2015, 5, 15)),)),
    "sw.reid": _NamedDetail(ADULT, qualified=date(2004, 6, 25), lapsed_days_ago=61),
    "pp.kerr": _NamedDetail(ADULT),
    "pp.singh": _NamedDetail(ADULT, fte=60),
    "sm.douglas": _NamedDetail(None, qualified=date(1997, 6, 27)),
    "tl.baird": _NamedDetail(CHILDREN, qualified=date(2006, 6, 30), caseload=7),
}


@dataclass(frozen=True)
class GenerationReport:
    scale: str
    seed: int
    as_of: date
    counts: dict[str, int]
    seconds: float


# -- the plan -----------------------------------------------------------------------------
# Generation first plans everything but the notes in memory (so that case references can be
# numbered in referral order), writes it, then streams the notes case by case.


@dataclass(eq=False)
class _Member:
    id: str
    username: str
    display_name: str
    role: perm.Role
    team: "_Team | None"
    fte: int = 100
    supervisor_id: str | None = None
    sssc_number: str | None = None
    sssc_part: perm.RegisterPart | None = None
    sssc_expiry: date | None = None
    qualified_on: date | None = None
    accreditations: tuple[_Award, ...] = ()
    caseload: int = 0
    joined: date | None = None  # None: in the team for as long as the data goes back
    left: date | None = None  # a former worker: deactivated on this day

    def holds_at(self, day: date) -> bool:
        return (self.joined is None or day >= self.joined) and (self.left is None or day < self.left)


@dataclass(eq=False)
class _Team:
    id: str
    name: str
    area: ServiceArea
    locality: "_Locality"
    leader: _Member | None = None
    holders: list[_Member] = field(default_factory=list)  # case-holding, active
    formers: list[_Member] = field(default_factory=list)
    paras: list[_Member] = field(default_factory=list)
    live: int = 0
    queue: int = 0
    closed: int = 0
    people: int = 0

    @property
    def capacity(self) -> int:
        return sum(m.caseload for m in self.holders)


@dataclass(eq=False)
class _Locality:
    name: str
    postcode_area: str
    districts: tuple[int, ...]
    manager: _Member | None = None
    teams: list[_Team] = field(default_factory=list)


@dataclass(eq=False)
class _AllocationRow:
    at: datetime
    worker: _Member | None
    reason: str


@dataclass(eq=False)
class _CasePlan:
    id: str
    team: _Team
    person: "_PersonPlan"
    status: CaseStatus
    referred_on: date
    opened_on: date | None
    closed_on: date | None
    rows: list[_AllocationRow] = field(default_factory=list)
    reference: str = ""
    risk: RiskLevel = RiskLevel.LOW
    band: EligibilityBand | None = None
    legal: LegalStatus = LegalStatus.VOLUNTARY
    next_review_on: date | None = None
    referral: tuple[str, str] = ("", "")  # who referred, and why (chosen with the case row)
    closing_summary: str | None = None  # closed cases (synthetic_care settles these two)
    closed_by: _Member | None = None

    @property
    def start(self) -> datetime:
        return self.rows[0].at

    def end(self, as_of: date) -> datetime:
        """When recording on the case stops: its closure, or the working day before as_of."""
        if self.closed_on is not None:
            return _at(self.closed_on, 16 * 60)
        return _at(as_of - timedelta(days=1), 17 * 60)


@dataclass(eq=False)
class _PersonPlan:
    id: str
    team: _Team
    female: bool
    given: str
    family: str
    episodes: list[_CasePlan] = field(default_factory=list)  # oldest first
    date_of_birth: date | None = None


class _Plan:
    def __init__(self) -> None:
        self.localities: list[_Locality] = []
        self.members: list[_Member] = []  # in insert order: supervisors before the supervised
        self.people: list[_PersonPlan] = []
        self.cases: list[_CasePlan] = []

    @property
    def teams(self) -> Iterator[_Team]:
        for loc in self.localities:
            yield from loc.teams


# -- small helpers ------------------------------------------------------------------------


def _uuid(rng: Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _at(day: date, minute: int) -> datetime:
    """A London wall-clock time on `day`, as the UTC instant it is stored as."""
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=LONDON)
    return local.astimezone(UTC)


def _office_time(rng: Random, day: date) -> datetime:
    return _at(day, rng.randrange(8 * 60 + 30, 17 * 60 + 30))


def _office_between(rng: Random, after: datetime, before: datetime) -> datetime:
    """An office-hours minute strictly between two instants (or their midpoint, for a window
    too short to hold one)."""
    days = max((before.date() - after.date()).days, 0)
    for _ in range(4):
        at = _office_time(rng, after.date() + timedelta(days=rng.randint(0, days)))
        if after < at < before:
            return at
    return after + (before - after) / 2


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, 28))


def _weighted(rng: Random, table: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` shared in proportion to `weights`, exactly (largest remainders)."""
    whole = sum(weights) or 1
    raw = [total * w / whole for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _chi(rng: Random, dob: date, female: bool, taken: set[str]) -> str:
    """DDMMYY, two serial digits, a sex digit (even for female), a check digit."""
    while True:
        sex = rng.randrange(0, 10, 2) if female else rng.randrange(1, 10, 2)
        first_nine = f"{dob:%d%m%y}{rng.randrange(100):02d}{sex}"
        check = chi_check_digit(first_nine)
        if check is not None and (chi := first_nine + str(check)) not in taken:
            taken.add(chi)
            return chi


def _username(prefix: str, family: str, taken: set[str]) -> str:
    base = f"{prefix}.{fold(family).replace(' ', '')}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _person_name(rng: Random, female: bool) -> tuple[str, str]:
    given = rng.choice(_FEMALE if female else _MALE)
    family = rng.choice(_FAMILY)
    if isinstance(family, tuple):  # Gaelic, Irish and Polish surnames change with sex
        family = family[1] if female else family[0]
    return given, family


# -- staff and teams ----------------------------------------------------------------------


class _StaffFactory:
    """Makes members of staff with unique usernames and SSSC numbers."""

    def __init__(self, rng: Random, as_of: date):
        self.rng = rng
        self.as_of = as_of
        self.usernames: set[str] = {a.username for a in DEMO_ACCOUNTS}
        self.sssc_numbers: set[str] = set()

    def sssc_number(self) -> str:
        while (n := f"{self.rng.randrange(1_000_000, 10_000_000)}") in self.sssc_numbers:
            pass
        self.sssc_numbers.add(n)
        return n

    def expiry(self) -> date:
        # Registrations renew every five years; a few come up for renewal within weeks.
        return self.as_of + timedelta(days=self.rng.randrange(20, 5 * 365))

    def generated(self, role: perm.Role, team: _Team | None, *, newly_qualified: bool = False) -> _Member:
        rng, as_of = self.rng, self.as_of
        female = rng.random() < 0.78  # the social care workforce is mostly women
        given, family = _person_name(rng, female)
        prefix = {Role.SOCIAL_WORKER: "sw", Role.SENIOR_PRACTITIONER: "sp", Role.TEAM_LEADER: "tl",
                  Role.SERVICE_MANAGER: "sm", Role.PARA_PROFESSIONAL: "pp"}[role]
        m = _Member(_uuid(rng), _username(prefix, family, self.usernames), f"{given} {family}",
                    role, team, fte=100 if rng.random() < 0.85 else rng.choice((50, 60, 80, 90)))
        if role == Role.PARA_PROFESSIONAL:
            m.sssc_part = perm.RegisterPart.SOCIAL_SERVICE_WORKER
        else:
            m.sssc_part = perm.RegisterPart.SOCIAL_WORKER
            if newly_qualified:
                m.qualified_on = as_of - timedelta(days=rng.randrange(30, 330))
                m.joined = m.qualified_on + timedelta(days=rng.randrange(0, 30))
            else:
                years = {Role.SOCIAL_WORKER: (2, 22), Role.SENIOR_PRACTITIONER: (7, 25),
                         Role.TEAM_LEADER: (10, 28), Role.SERVICE_MANAGER: (15, 32)}[role]
                m.qualified_on = as_of - timedelta(days=rng.randrange(years[0] * 365, years[1] * 365))
            m.accreditations = self._accreditations(m, team.area if team else None)
        m.sssc_number = self.sssc_number()
        m.sssc_expiry = self.expiry()
        return m

    def _accreditations(self, m: _Member, area: ServiceArea | None) -> tuple[_Award, ...]:
        """MHO needs two years' practice and ASP council officer one, so only experienced
        workers hold them; each is commoner in the teams that use it."""
        rng, pq_years = self.rng, (self.as_of - m.qualified_on).days / 365 if m.qualified_on else 0
        held = []
        mho = {MENTAL_HEALTH: 0.4, ADULT: 0.08}.get(area, 0.02)
        asp = {ADULT: 0.45, MENTAL_HEALTH: 0.2}.get(area, 0.05)
        if pq_years >= 3 and rng.random() < mho:
            held.append((perm.Accreditation.MHO, self._awarded(m, 2, pq_years)))
        if pq_years >= 2 and rng.random() < asp:
            held.append((perm.Accreditation.ASP_COUNCIL_OFFICER, self._awarded(m, 1, pq_years)))
        return tuple(held)

    def _awarded(self, m: _Member, after_years: int, pq_years: float) -> date:
        assert m.qualified_on is not None
        span = max(1, int((pq_years - after_years) * 365))
        return m.qualified_on + timedelta(days=after_years * 365 + self.rng.randrange(span))

    def named(self, account: DemoAccount, team: _Team | None) -> _Member:
        d = _NAMED_DETAILS[account.username]
        m = _Member(_uuid(self.rng), account.username, account.display_name, account.role, team,
                    fte=d.fte, accreditations=d.accreditations)
        self.usernames.add(account.username)
        if account.role == Role.PARA_PROFESSIONAL:
            m.sssc_part = perm.RegisterPart.SOCIAL_SERVICE_WORKER
        else:
            m.sssc_part = perm.RegisterPart.SOCIAL_WORKER
            m.qualified_on = d.qualified or _months_before(self.as_of, d.qualified_months_ago or 0)
            if d.qualified_months_ago is not None:  # newly qualified: joined when qualified
                m.joined = m.qualified_on
        m.sssc_number = self.sssc_number()
        m.sssc_expiry = (self.as_of - timedelta(days=d.lapsed_days_ago) if d.lapsed_days_ago
                         else self.expiry())
        return m


def _caseload(rng: Random, m: _Member, area: ServiceArea, as_of: date) -> int:
    """Cases held as named worker. Setting the Bar: about 15 in children and families, 20–25
    in adult and justice teams; newly qualified workers get a protected caseload."""
    d = _NAMED_DETAILS.get(m.username)
    if d is not None and d.caseload is not None:
        return d.caseload
    if m.role == Role.TEAM_LEADER:
        return rng.randint(5, 8)
    if m.qualified_on is not None and m.qualified_on > _months_before(as_of, perm.NEWLY_QUALIFIED_MONTHS):
        return rng.randint(6, 10)
    low, high = (15, 17) if area == CHILDREN else (20, 25)
    # Part-time workers hold fewer, but never below the range's floor.
    return max(low, round(rng.randint(low, high) * m.fte / 100))


def _plan_staff(rng: Random, scale: Scale, as_of: date, plan: _Plan) -> None:
    factory = _StaffFactory(rng, as_of)
    named = {a.username: a for a in DEMO_ACCOUNTS}
    names = _LOCALITIES[: scale.localities]
    if len(names) < scale.localities:
        raise ValueError(f"at most {len(_LOCALITIES)} localities")
    for i, loc_name in enumerate(names):
        area_code = _POSTCODE_AREAS[i % len(_POSTCODE_AREAS)]
        loc = _Locality(loc_name, area_code, tuple(rng.sample(range(1, 60), 3)))
        demo = loc_name == DEMO_LOCALITY
        loc.manager = (factory.named(named["sm.douglas"], None) if demo
                       else factory.generated(Role.SERVICE_MANAGER, None))
        plan.members.append(loc.manager)
        for area in scale.service_areas:
            team = _Team(_uuid(rng), f"{loc_name} {_TEAM_SUFFIX[area]}", area, loc)
            loc.teams.append(team)
            _staff_team(rng, scale, as_of, factory, plan, team, demo)
        plan.localities.append(loc)


def _staff_team(rng: Random, scale: Scale, as_of: date, factory: _StaffFactory, plan: _Plan,
                team: _Team, demo: bool) -> None:
    """A team leader supervised by the service manager; practitioners and para-professionals
    supervised by the team leader; a former worker or two who left this past year."""
    named = [a for a in DEMO_ACCOUNTS if demo and _named_area(a) == team.area]
    leader_account = next((a for a in named if a.role == Role.TEAM_LEADER), None)
    leader = (factory.named(leader_account, team) if leader_account
              else factory.generated(Role.TEAM_LEADER, team))
    assert team.locality.manager is not None
    leader.supervisor_id = team.locality.manager.id
    team.leader = leader
    members = [leader]
    members += [factory.named(a, team) for a in named if a.role != Role.TEAM_LEADER]
    for _ in range(rng.randint(*scale.senior_practitioners)):
        members.append(factory.generated(Role.SENIOR_PRACTITIONER, team))
    for _ in range(rng.randint(*scale.social_workers)):
        members.append(factory.generated(Role.SOCIAL_WORKER, team, newly_qualified=rng.random() < 0.08))
    for _ in range(rng.randint(*scale.para_professionals)):
        members.append(factory.generated(Role.PARA_PROFESSIONAL, team))
    for m in members:
        if m is not leader:
            m.supervisor_id = leader.id
        if m.role in perm.CASE_HOLDING_ROLES:
            m.caseload = _caseload(rng, m, team.area, as_of)
            team.holders.append(m)
        else:
            team.paras.append(m)
    for _ in range(scale.former_workers):
        former = factory.generated(Role.SOCIAL_WORKER, team)
        former.supervisor_id = leader.id
        former.left = as_of - timedelta(days=rng.randrange(30, 400))
        team.formers.append(former)
        members.append(former)
    plan.members.extend(members)


def _named_area(a: DemoAccount) -> ServiceArea | None:
    d = _NAMED_DETAILS.get(a.username)
    return d.area if d else None


def _share_cases(scale: Scale, plan: _Plan) -> None:
    """Live cases fill every caseload; the rest wait in the teams' queues, shared by capacity.
    Closed cases and people are shared in proportion to live work."""
    teams = list(plan.teams)
    capacity = sum(t.capacity for t in teams)
    if capacity > scale.live_cases:
        raise ValueError(f"{scale.name}: caseloads hold {capacity} cases, more than the "
                         f"{scale.live_cases} live cases")
    queues = _split(scale.live_cases - capacity, [t.capacity for t in teams])
    closed = _split(scale.cases - scale.live_cases, [t.capacity + q for t, q in zip(teams, queues)])
    people = _split(scale.people, [t.capacity + q for t, q in zip(teams, queues)])
    for t, q, c, p in zip(teams, queues, closed, people):
        t.queue, t.live, t.closed = q, t.capacity + q, c
        # Everyone with a live case is a person; so is everyone with a closed one, up to the
        # number of closed cases (the rest of those are earlier episodes of the same people).
        t.people = min(max(p, t.live), t.live + c)


# -- people, cases, allocation history ----------------------------------------------------


_AGE = {  # (youngest, oldest, mode) at the end of involvement
    CHILDREN: (0, 17, 9),
    ADULT: (18, 99, 82),
    MENTAL_HEALTH: (18, 90, 42),
    JUSTICE: (16, 75, 29),
}


def _plan_cases(rng: Random, as_of: date, plan: _Plan, taken_chi: set[str]) -> None:
    for team in plan.teams:
        finals: list[_Member | None] = [m for m in team.holders for _ in range(m.caseload)]
        finals += [None] * team.queue
        people = [_new_person(rng, team) for _ in range(team.people)]
        # One live case each for the first people; closed-only people follow.
        for person, final in zip(people, finals):
            person.episodes.append(_live_case(rng, as_of, team, person, final))
        closed_only = people[len(finals):]
        for person in closed_only:
            person.episodes.append(_closed_case(rng, as_of, team, person, None))
        for _ in range(team.closed - len(closed_only)):  # earlier episodes of the same people
            person = rng.choice(people)
            person.episodes.insert(0, _closed_case(rng, as_of, team, person, person.episodes[0]))
        for person in people:
            _date_of_birth(rng, as_of, person)
            plan.people.append(person)
            plan.cases.extend(person.episodes)


_DEMO_NAMES = frozenset(a.display_name for a in DEMO_ACCOUNTS)
_SHARE_FEMALE = {CHILDREN: 0.5, ADULT: 0.6, JUSTICE: 0.2, MENTAL_HEALTH: 0.5}


def _new_person(rng: Random, team: _Team) -> _PersonPlan:
    female = rng.random() < _SHARE_FEMALE[team.area]
    given, family = _person_name(rng, female)
    while f"{given} {family}" in _DEMO_NAMES:  # a client named like a demo worker confuses
        given, family = _person_name(rng, female)
    return _PersonPlan(_uuid(rng), team, female, given, family)


def _live_case(rng: Random, as_of: date, team: _Team, person: _PersonPlan,
               final: _Member | None) -> _CasePlan:
    """A case that is live today, held by `final` or (None) waiting 1–60 days in the queue."""
    c = _CasePlan(_uuid(rng), team, person, CaseStatus.OPEN, as_of, None, None)
    if final is None:
        waited = rng.randint(1, 60)
        waiting_since = as_of - timedelta(days=waited)
        if rng.random() < 0.75:  # a new referral that nobody has picked up yet
            c.status, c.referred_on = CaseStatus.REFERRAL, waiting_since
            queued_at = _office_time(rng, waiting_since)
            c.rows = [_AllocationRow(queued_at, None, rng.choice(_REASON_REFERRAL_QUEUED))]
        else:  # an open case whose worker left or went on leave
            _open_dates(rng, as_of, c, min_days=waited + 21)
            queued_at = _office_time(rng, waiting_since)
            _history(rng, c, team, _at(c.opened_on or c.referred_on, 9 * 60 + 30), queued_at, None)
    else:
        c.status = _weighted(rng, ((CaseStatus.REFERRAL, 8), (CaseStatus.OPEN, 82), (CaseStatus.CLOSING, 10)))
        if c.status == CaseStatus.REFERRAL:
            c.referred_on = as_of - timedelta(days=rng.randint(2, 45))
        else:
            _open_dates(rng, as_of, c, min_days=14)
        start = _office_time(rng, c.opened_on or c.referred_on)
        _history(rng, c, team, start, _at(as_of - timedelta(days=1), 17 * 60), final)
    _case_facts(rng, as_of, c)
    return c


def _open_dates(rng: Random, as_of: date, c: _CasePlan, *, min_days: int) -> None:
    # Most involvement is months long; some (children on orders, guardianship) runs years.
    days = min(min_days + int(rng.expovariate(1 / 420)), 8 * 365)
    c.opened_on = as_of - timedelta(days=days)
    c.referred_on = c.opened_on - timedelta(days=rng.randint(0, 28))


def _closed_case(rng: Random, as_of: date, team: _Team, person: _PersonPlan,
                 before: _CasePlan | None) -> _CasePlan:
    """A closed episode: the person's only one, or one that ended before `before` began."""
    latest = (before.referred_on - timedelta(days=14 + int(rng.expovariate(1 / 500)))
              if before else as_of - timedelta(days=1 + int(rng.expovariate(1 / 700))))
    earliest_allowed = as_of - timedelta(days=12 * 365)
    closed_on = max(latest, earliest_allowed + timedelta(days=60))
    if before is not None:
        closed_on = min(closed_on, before.referred_on - timedelta(days=1))
    duration = 7 + int(rng.expovariate(1 / 260))
    opened_on = max(closed_on - timedelta(days=duration), earliest_allowed)
    opened_on = min(opened_on, closed_on - timedelta(days=1))
    referred_on = opened_on - timedelta(days=rng.randint(0, 21))
    c = _CasePlan(_uuid(rng), team, person, CaseStatus.CLOSED, referred_on, opened_on, closed_on)
    holders = [m for m in team.holders + team.formers if m.holds_at(closed_on)] or [team.leader]
    final = rng.choice(holders)
    assert final is not None
    start = _office_time(rng, opened_on)
    _history(rng, c, team, start, _at(closed_on, 12 * 60), final)
    _case_facts(rng, as_of, c)
    return c


def _history(rng: Random, c: _CasePlan, team: _Team, start: datetime, end: datetime,
             final: _Member | None) -> None:
    """Allocation rows from `start` to the final one (`final`, or the queue when None):
    the first allocation when the case opened, then perhaps reallocations and spells in the
    queue. Each row lasts until the next; nobody holds a case before joining or after leaving."""
    changes = _weighted(rng, ((0, 55), (1, 28), (2, 12), (3, 5)))
    if final is None:
        changes = max(changes, 1)  # somebody held it before it went back to the queue
    earliest_final = start
    if final is not None and final.joined is not None:
        earliest_final = max(start, _at(final.joined, 9 * 60))
        if earliest_final > start:
            changes = max(changes, 1)
    if final is None:
        final_at = end
    elif changes == 0:
        final_at = start
    else:
        final_at = _office_between(rng, earliest_final, end)
    if final_at <= start and changes:
        changes, final_at = 0, start
    # Distinct instants, so that the final row is the one latest in time.
    middle = sorted({_office_between(rng, start, final_at) for _ in range(changes - 1)})
    times = [start, *middle][:changes] + [final_at]
    changes = len(times) - 1
    workers: list[_Member | None] = []
    for i, at in enumerate(times[:-1]):
        previous = workers[-1] if workers else "none"
        following = final if i == changes - 1 else "none"
        workers.append(_earlier_worker(rng, team, at.date(), previous, following))
    workers.append(final)
    previous: _Member | None | str = "none"
    for at, worker in zip(times, workers):
        c.rows.append(_AllocationRow(at, worker, _reason(rng, previous, worker, at.date())))
        previous = worker


def _earlier_worker(rng: Random, team: _Team, day: date, previous: _Member | None | str,
                    following: _Member | None | str) -> _Member | None:
    """Who held the case from `day`: any worker in the team then, different from the rows
    either side; sometimes nobody (a spell in the queue, never two in a row)."""
    if previous is not None and following is not None and rng.random() < 0.12:
        return None
    choices = [m for m in team.holders + team.formers
               if m.holds_at(day) and m is not previous and m is not following]
    return rng.choice(choices) if choices else None


def _reason(rng: Random, previous: _Member | None | str, worker: _Member | None, day: date) -> str:
    if previous == "none":
        return rng.choice(_REASON_FIRST if worker else _REASON_REFERRAL_QUEUED)
    left = isinstance(previous, _Member) and previous.left is not None and previous.left <= day
    if worker is None:
        return rng.choice(_REASON_TO_QUEUE_LEFT if left else _REASON_TO_QUEUE)
    if previous is None:
        return rng.choice(_REASON_FROM_QUEUE)
    if left:
        return rng.choice(_REASON_WORKER_LEFT)
    if worker.joined is not None:  # only newly qualified workers have a joining date
        return "Reallocated to a newly qualified worker as part of a protected caseload"
    return rng.choice(_REASON_REALLOCATE)


_LEGAL = {
    CHILDREN: ((LegalStatus.VOLUNTARY, 55), (LegalStatus.CHILD_PROTECTION_PLAN, 20),
               (LegalStatus.COMPULSORY_SUPERVISION_ORDER, 25)),
    ADULT: ((LegalStatus.VOLUNTARY, 85), (LegalStatus.GUARDIANSHIP_ORDER, 10),
            (LegalStatus.PROTECTION_ORDER, 5)),
    MENTAL_HEALTH: ((LegalStatus.VOLUNTARY, 62), (LegalStatus.COMPULSORY_TREATMENT_ORDER, 28),
                    (LegalStatus.GUARDIANSHIP_ORDER, 10)),
    JUSTICE: ((LegalStatus.COMMUNITY_PAYBACK_ORDER, 72), (LegalStatus.VOLUNTARY, 28)),
}
_BAND = ((EligibilityBand.CRITICAL, 10), (EligibilityBand.SUBSTANTIAL, 35),
         (EligibilityBand.MODERATE, 35), (EligibilityBand.LOW, 20))


def _case_facts(rng: Random, as_of: date, c: _CasePlan) -> None:
    """Legal status fitting the service area (orders come after assessment, so not on a new
    referral), risk that follows it, a band once assessed (adults only), a review date."""
    area = c.team.area
    assessed = c.status != CaseStatus.REFERRAL
    c.legal = _weighted(rng, _LEGAL[area]) if assessed else LegalStatus.VOLUNTARY
    if c.legal in (LegalStatus.CHILD_PROTECTION_PLAN, LegalStatus.PROTECTION_ORDER):
        c.risk = _weighted(rng, ((RiskLevel.HIGH, 60), (RiskLevel.MEDIUM, 40)))
    elif c.legal != LegalStatus.VOLUNTARY:
        c.risk = _weighted(rng, ((RiskLevel.HIGH, 25), (RiskLevel.MEDIUM, 50), (RiskLevel.LOW, 25)))
    else:
        c.risk = _weighted(rng, ((RiskLevel.HIGH, 10), (RiskLevel.MEDIUM, 35), (RiskLevel.LOW, 55)))
    if area in (ADULT, MENTAL_HEALTH) and assessed:
        c.band = _weighted(rng, _BAND)
    if c.status == CaseStatus.REFERRAL:
        c.next_review_on = c.referred_on + timedelta(days=28)  # screening due
    elif c.status != CaseStatus.CLOSED:
        overdue = rng.random() < 0.14
        c.next_review_on = as_of + timedelta(days=-rng.randint(1, 60) if overdue else rng.randint(0, 182))


def _date_of_birth(rng: Random, as_of: date, p: _PersonPlan) -> None:
    """A birth date that keeps the person's age inside the service area's range for every
    episode, then the CHI number that encodes it."""
    youngest, oldest, mode = _AGE[p.team.area]
    first = p.episodes[0].referred_on
    last = max(e.closed_on or as_of for e in p.episodes)
    latest_dob = _years_before(first, youngest)
    earliest_dob = _years_before(last, oldest + 1) + timedelta(days=1)
    age = int(rng.triangular(youngest, oldest + 1, mode))
    dob = _years_before(last, age) - timedelta(days=rng.randrange(365))
    p.date_of_birth = min(max(dob, earliest_dob), latest_dob)


def _number_cases(plan: _Plan) -> None:
    """References in referral order, as a council's case numbers run."""
    plan.cases.sort(key=lambda c: (c.referred_on, c.start, c.id))
    for n, c in enumerate(plan.cases, 1):
        c.reference = f"CW-{n:06d}"


# -- rows ---------------------------------------------------------------------------------


def _synced(row_id: str, team_id: str | None, at: datetime, by: str | None) -> dict[str, Any]:
    return {"id": row_id, "team_id": team_id, "row_version": 1, "updated_at": at,
            "updated_by": by, "deleted_at": None}


def _staff_row(m: _Member, password_hash: str, at: datetime, admin_id: str) -> dict[str, Any]:
    team_id = m.team.id if m.team else None
    return _synced(m.id, team_id, _at(m.left, 10 * 60) if m.left else at, admin_id) | {
        "username": m.username, "display_name": m.display_name,
        "email": f"{m.username}@council.example", "role": m.role.value, "team_id": team_id,
        "fte_percent": m.fte, "supervisor_id": m.supervisor_id, "sssc_number": m.sssc_number,
        "sssc_part": m.sssc_part.value if m.sssc_part else None, "sssc_expiry": m.sssc_expiry,
        "qualified_on": m.qualified_on, "password_hash": password_hash,
        "must_change_password": False, "active": m.left is None,
    }


def _person_row(rng: Random, p: _PersonPlan, taken_chi: set[str], by: str | None) -> dict[str, Any]:
    loc = p.team.locality
    assert p.date_of_birth is not None
    number = rng.randint(1, 180)
    street = rng.choice(_STREETS)
    line = f"{number} {street}"
    if rng.random() < 0.35:  # a tenement flat, numbered by floor and door
        line = f"Flat {rng.randint(0, 3)}/{rng.randint(1, 3)}, {line}"
    postcode = (f"{loc.postcode_area}{rng.choice(loc.districts)} "
                f"{rng.randint(1, 9)}{rng.choice(_INWARD)}{rng.choice(_INWARD)}")
    first = p.episodes[0]
    return _synced(p.id, p.team.id, first.start, by) | {
        "given_name": p.given, "family_name": p.family, "name_key": name_key(p.given, p.family),
        "date_of_birth": p.date_of_birth, "chi": _chi(rng, p.date_of_birth, p.female, taken_chi),
        "address": f"{line}, {loc.name}", "postcode": postcode,
        "phone": (f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.7
                  else f"0141 496 {rng.randrange(10000):04d}"),  # Ofcom's numbers for fiction
        "communication_needs": rng.choice(_COMMUNICATION) if rng.random() < 0.18 else None,
        "contact_preference": rng.choice(_CONTACT),
        "what_matters": rng.choice(_WHAT_MATTERS[p.team.area]),
    }


def _case_row(rng: Random, c: _CasePlan, as_of: date) -> dict[str, Any]:
    team, last = c.team, c.rows[-1]
    leader_id = team.leader.id if team.leader else None
    updated = max(last.at, _at(c.closed_on, 16 * 60)) if c.closed_on else last.at
    age = _age(c.person.date_of_birth, c.closed_on or as_of)
    name = c.person.given
    source = rng.choice(_REFERRAL_SOURCES[team.area])
    c.referral = (source, rng.choice(_REFERRAL_REASONS[team.area]).format(name=name))
    summary = (f"New referral from {source}: {c.referral[1]}" if c.status == CaseStatus.REFERRAL
               else rng.choice(_SUMMARIES[team.area]).format(name=name, age=age))
    return _synced(c.id, team.id, updated, leader_id) | {
        "reference": c.reference, "person_id": c.person.id, "service_area": team.area.value,
        "status": c.status.value, "eligibility_band": c.band.value if c.band else None,
        "risk_level": c.risk.value, "legal_status": c.legal.value,
        "named_worker_id": last.worker.id if last.worker else None,
        "unallocated_since": last.at if last.worker is None and c.status != CaseStatus.CLOSED else None,
        "referred_on": c.referred_on, "opened_on": c.opened_on, "closed_on": c.closed_on,
        "next_review_on": c.next_review_on,
        "summary": summary,
        "band_target_on": band_target(c.band, c.opened_on),
        "referral_source": source, "referral_reason": c.referral[1],
        "closing_summary": c.closing_summary, "closed_by": c.closed_by.id if c.closed_by else None,
    }


def _age(dob: date | None, on: date) -> int:
    assert dob is not None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _allocation_rows(rng: Random, c: _CasePlan) -> Iterator[dict[str, Any]]:
    team = c.team
    by = team.leader.id if team.leader else None
    for r in c.rows:
        yield _synced(_uuid(rng), team.id, r.at, by) | {
            "case_id": c.id, "worker_id": r.worker.id if r.worker else None,
            "started_at": r.at, "reason": r.reason, "allocated_by": by,
        }


# -- notes --------------------------------------------------------------------------------

CORRECTION_SHARE = 0.015
GENERATION_CACHE_KIB = 512 * 1024
SIGNIFICANT_SHARE = 0.05
_NOTE_TYPES = ((NoteType.VISIT, 30), (NoteType.PHONE, 30), (NoteType.MEETING, 12),
               (NoteType.EMAIL, 10), (NoteType.LETTER, 6), (NoteType.OFFICE, 8), (NoteType.OTHER, 4))


def _note_rate(plan: _Plan, scale: Scale, as_of: date) -> float:
    """Notes per day of involvement that make the total come out near scale.notes: every case
    has its referral note (and a closed one its closing note), the rest spread over time."""
    fixed = sum(2 if c.closed_on else 1 for c in plan.cases)
    days = sum(max((c.end(as_of) - c.start).days, 0) for c in plan.cases)
    wanted = scale.notes / (1 + CORRECTION_SHARE) - fixed
    return max(wanted, 0) / max(days, 1)


class _NoteWriter:
    """`care` (a synthetic_care.CareRecords) decides which ordinary notes stay, to make room
    for the events it wrote, and who visits and calls were with; it draws from its own Random,
    so the notes that stay are exactly those this stream always made."""

    def __init__(self, rng: Random, as_of: date, rate: float, care: Any):
        self.rng, self.as_of, self.rate, self.care = rng, as_of, rate, care

    def notes(self, c: _CasePlan) -> Iterator[dict[str, Any]]:
        """The referral note, notes spread over the involvement, the closing note; now and
        then a correction of the note just written, pointing at it."""
        rng = self.rng
        start, end = c.start, c.end(self.as_of)
        span_days = max((end.date() - start.date()).days, 0)
        n = round(span_days * self.rate * rng.uniform(0.5, 1.5))
        times = sorted(_office_time(rng, start.date() + timedelta(days=rng.randint(0, span_days)))
                       for _ in range(n))
        times = [t for t in times if start < t < end]
        yield self._referral(c)
        for at in times:
            note = self._note(c, at)
            kept = self.care.keep_note()
            if kept:
                yield note
            if rng.random() < CORRECTION_SHARE:
                correction = self._correction(c, note, end)
                if kept:
                    yield correction
        if c.closed_on is not None:
            yield self._closing(c, end)

    def _row(self, c: _CasePlan, author: _Member, note_type: NoteType, at: datetime, subject: str,
             body: str, significant: bool = False, corrects: str | None = None) -> dict[str, Any]:
        return _synced(_uuid(self.rng), c.team.id, at, author.id) | {
            "case_id": c.id, "author_id": author.id, "note_type": note_type.value,
            "occurred_at": at, "subject": subject[:200], "body": body,
            "significant": significant, "contact_with": None, "corrects_id": corrects,
        }

    def _referral(self, c: _CasePlan) -> dict[str, Any]:
        """The chronology's first event. (The draw that once chose a contact type stays, so
        that the notes after it are as they were.)"""
        source, reason = c.referral
        body = f"Referral received from {source}. {reason}"
        author = self._holder(c, c.start) or c.team.leader
        assert author is not None
        self.rng.choice((NoteType.PHONE, NoteType.EMAIL, NoteType.OFFICE))
        return self._row(c, author, NoteType.EVENT, c.start, f"Referral received from {source}", body,
                         significant=True)

    def _closing(self, c: _CasePlan, at: datetime) -> dict[str, Any]:
        """The chronology's last event: who closed the case, with the case's closing summary.
        (The draw that once chose the text stays, as for the referral.)"""
        author = c.closed_by or self._holder(c, at) or c.team.leader
        assert author is not None
        drawn = self.rng.choice(_CLOSING).format(name=c.person.given)
        body = f"Closed by {author.display_name}. {c.closing_summary or drawn}"
        return self._row(c, author, NoteType.EVENT, at, "Case closed", body, significant=True)

    def _note(self, c: _CasePlan, at: datetime) -> dict[str, Any]:
        rng, area, team = self.rng, c.team.area, c.team
        name = c.person.given
        author = self._holder(c, at)
        roll = rng.random()
        if team.paras and roll < 0.15:  # para-professionals record directed visits and calls
            author, note_type = rng.choice(team.paras), rng.choice((NoteType.VISIT, NoteType.PHONE))
        elif author is None or roll < 0.2:  # duty cover, or the team leader's own involvement
            author, note_type = team.leader, rng.choice((NoteType.MEETING, NoteType.OFFICE, NoteType.PHONE))
        else:
            note_type = _weighted(rng, _NOTE_TYPES)
        assert author is not None
        if rng.random() < SIGNIFICANT_SHARE:
            subject, significant = rng.choice(_SIGNIFICANT[area]), True
        else:
            subject = rng.choice(_SUBJECTS[note_type] + _AREA_SUBJECTS[area].get(note_type, ()))
            significant = False
        middle = " ".join(rng.sample(_MIDDLES[area], rng.randint(1, 2)))
        opening = rng.choice(_OPENINGS[note_type])
        body = f"{opening} {middle} {rng.choice(_ACTIONS)}"
        row = self._row(c, author, note_type, at, subject.format(name=name), body.format(name=name),
                        significant)
        row["contact_with"] = self.care.contact_with(c, note_type, subject, opening)
        return row

    def _correction(self, c: _CasePlan, note: dict[str, Any], end: datetime) -> dict[str, Any]:
        rng = self.rng
        # Within three days, but never after the case's last day (nor after as_of).
        at = min(note["occurred_at"] + timedelta(minutes=rng.randint(20, 3 * 24 * 60)), end)
        day = note["occurred_at"].astimezone(LONDON)
        author = next(m for m in _everyone(c.team) if m.id == note["author_id"])
        return self._row(c, author, NoteType.OTHER, at, f"Correction to the entry of {day:%d/%m/%Y}",
                         rng.choice(_CORRECTIONS).format(day=f"{day:%d %B %Y}"), corrects=note["id"])

    def _holder(self, c: _CasePlan, at: datetime) -> _Member | None:
        """The named worker at `at`, if still in the team then."""
        i = bisect.bisect_right([r.at for r in c.rows], at) - 1
        worker = c.rows[max(i, 0)].worker
        return worker if worker is not None and worker.holds_at(at.date()) else None


def _everyone(team: _Team) -> Iterator[_Member]:
    yield from team.holders
    yield from team.paras
    yield from team.formers


# -- writing ------------------------------------------------------------------------------


class _Writer:
    """Buffers rows per table and inserts them with executemany, parents first (foreign keys
    are checked row by row). Commits every `commit_rows` rows: few transactions, a small WAL."""

    def __init__(self, db: Database, scale: Scale, expected_rows: int, progress: Progress):
        self.db, self.scale = db, scale
        self.expected = max(expected_rows, 1)
        self.progress = progress
        self.stage = "Staff and teams"
        self.buffers: dict[Table, list[dict[str, Any]]] = {}
        self.buffered = self.written = self.in_transaction = 0
        self.counts: dict[str, int] = {}
        self._stack = ExitStack()
        self._session = None

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.buffers.setdefault(table, []).append(row)
        self.buffered += 1
        if self.buffered >= self.scale.batch_rows:
            self.flush()

    def order(self, *tables: Table) -> None:
        """Tables about to be filled, parents first: each flush inserts in this order."""
        for table in tables:
            self.buffers.setdefault(table, [])

    def add_all(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(table, row)

    def flush(self) -> None:
        if not self.buffered:
            return
        session = self.session()
        for table, rows in self.buffers.items():  # insertion order: parents were added first
            if rows:
                session.execute(insert(table), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                rows.clear()
        self.written += self.buffered
        self.in_transaction += self.buffered
        self.buffered = 0
        # Planning took the first 5%; checking and the audit event take the last few.
        self.progress(self.stage, 0.05 + 0.9 * min(self.written / self.expected, 1.0))
        if self.in_transaction >= self.scale.commit_rows:
            self.commit()

    def session(self):
        if self._session is None:
            self._session = self._stack.enter_context(self.db.write())
            if self.db.is_sqlite:
                self._widen_cache(self._session.connection())
        return self._session

    def _widen_cache(self, conn) -> None:
        """Random UUID keys scatter inserts over every page of each index; once the indexes
        outgrow the connection's page cache each insert rereads (and decrypts) pages. A larger
        cache while generating, given back before the connection returns to the pool."""
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size = -{GENERATION_CACHE_KIB}")
        self._stack.callback(conn.exec_driver_sql, f"PRAGMA cache_size = {int(before)}")

    def commit(self) -> None:
        self._stack.close()
        self._session, self.in_transaction = None, 0

    def abort(self, exc: BaseException) -> None:
        """Roll back the open transaction; those already committed stay."""
        self.buffers.clear()
        self._stack.__exit__(type(exc), exc, exc.__traceback__)
        self._session = None


# -- the public entry points ----------------------------------------------------------------


def generate(ws: Workspace, scale: Scale, *, seed: int = DEFAULT_SEED, as_of: date | None = None,
             progress: Progress | None = None) -> GenerationReport:
    """Fill a freshly created workspace with fictional teams, staff, people, cases, allocation
    history and notes. Same seed and as_of, same rows. Ends with one audit event.

    Rows go in over a few transactions; if generation fails, those already committed stay
    (create_demo_workspace and create_council_workspace then remove the whole file)."""
    from casework.synthetic_care import CareRecords  # it builds on this module's plan

    started = time.perf_counter()
    as_of = as_of or london_today(ws._ctx.clock)
    say = progress or (lambda stage, fraction: None)
    rng = Random(seed)
    admin_id, admin_name = _fresh_workspace_admin(ws.db)

    say("Planning staff and cases", 0.0)
    plan = _Plan()
    _plan_staff(rng, scale, as_of, plan)
    _share_cases(scale, plan)
    taken_chi: set[str] = set()
    _plan_cases(rng, as_of, plan, taken_chi)
    _number_cases(plan)
    rate = _note_rate(plan, scale, as_of)
    care = CareRecords(plan, scale, seed, as_of)
    care.settle_closures()

    # About as many rows as will be written (allocations run ~1.7 a case), for progress only.
    expected = (len(plan.members) * 2 + len(plan.people) + len(plan.cases) * 3 + scale.notes
                + care.expected_rows())
    writer = _Writer(ws.db, scale, expected, say)
    try:
        _write_staff(rng, plan, writer, as_of, admin_id)
        writer.stage = "People and cases"
        _write_cases(rng, plan, writer, as_of, taken_chi)
        writer.stage = "Care records"
        care.write(writer)
        care.settle_notes(fixed=sum(2 if c.closed_on else 1 for c in plan.cases))
        writer.stage = "Case notes"
        notes = _NoteWriter(rng, as_of, rate, care)
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
        append_event(s, device_id=ws._ctx.device_id, at=ws._ctx.now(), actor_id=admin_id,
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


def _write_staff(rng: Random, plan: _Plan, writer: _Writer, as_of: date, admin_id: str) -> None:
    """Service managers first (teams point at them), then teams, then their staff: team
    leaders before the people they supervise."""
    password_hash = passwords.hash_password(DEMO_PASSWORD)  # one hash shared by every account
    set_up = _at(as_of - timedelta(days=400), 9 * 60)
    staff, teams, accreditations = Staff.__table__, Team.__table__, StaffAccreditation.__table__
    for loc in plan.localities:
        assert loc.manager is not None
        writer.add(staff, _staff_row(loc.manager, password_hash, set_up, admin_id))
    writer.flush()  # teams refer to the managers, members to the teams
    for loc in plan.localities:
        for t in loc.teams:
            writer.add(teams, _synced(t.id, t.id, set_up, admin_id) | {
                "name": t.name, "service_area": t.area.value, "service_manager_id": loc.manager.id})
    writer.flush()
    managers = {loc.manager.id for loc in plan.localities if loc.manager}
    for m in plan.members:
        if m.id not in managers:
            writer.add(staff, _staff_row(m, password_hash, set_up, admin_id))
    writer.flush()
    for m in plan.members:
        for kind, awarded in m.accreditations:
            writer.add(accreditations, _synced(_uuid(rng), m.team.id if m.team else None, set_up, admin_id)
                       | {"staff_id": m.id, "kind": kind.value, "awarded_on": awarded})
    writer.flush()


def _write_cases(rng: Random, plan: _Plan, writer: _Writer, as_of: date, taken_chi: set[str]) -> None:
    person_rows = {}
    for p in plan.people:
        person_rows[p.id] = _person_row(rng, p, taken_chi, p.team.leader.id if p.team.leader else None)
    written: set[str] = set()
    person, case, allocation = Person.__table__, Case.__table__, Allocation.__table__
    for c in plan.cases:  # in reference order; each person goes in with their first case
        if c.person.id not in written:
            writer.add(person, person_rows.pop(c.person.id))
            written.add(c.person.id)
        writer.add(case, _case_row(rng, c, as_of))
        writer.add_all(allocation, _allocation_rows(rng, c))
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


# -- words ----------------------------------------------------------------------------------

_LOCALITIES = (
    "Riverside", "Kirkton", "Braeside", "Glenview", "Ashgrove", "Burnside", "Westerton",
    "Northfield", "Eastwood", "Lochview", "Millbrae", "Castlehill", "Southbank", "Kingsmeadow",
    "Hillhead", "Townhead", "Broomfield", "Craigend", "Lochend", "Abbeyhill", "Fernbrae",
    "Strathmore", "Muirhouse", "Greenlaw", "Dalmuir", "Inchview", "Larchfield", "Rosebank",
    "Thornlie", "Woodside", "Balgray", "Cairnhill",
)
_TEAM_SUFFIX = {
    ADULT: "Adult Team",
    CHILDREN: "Children and Families Team",
    JUSTICE: "Justice Social Work Team",
    MENTAL_HEALTH: "Community Mental Health Team",
}
_POSTCODE_AREAS = ("G", "PA", "EH", "KA", "ML", "FK", "DD", "AB", "KY", "IV", "PH", "DG")
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode's inward part may use

_FEMALE = (
    "Siobhán", "Mairi", "Màiri", "Eilidh", "Catriona", "Fiona", "Kirsty", "Morag", "Isla", "Ailsa",
    "Aoife", "Niamh", "Róisín", "Sinéad", "Caoimhe", "Gráinne", "Orla", "Agnieszka", "Małgorzata",
    "Zofia", "Katarzyna", "Ewa", "Zuzanna", "Joanna", "Emma", "Olivia", "Sophie", "Chloe", "Lucy",
    "Amy", "Rachel", "Heather", "Lorna", "Shona", "Morven", "Peigi", "Ciorstaidh", "Sìne", "Priya",
    "Aisha", "Fatima", "Zara", "Jean", "Margaret", "Agnes", "Elizabeth", "Helen", "Janet", "Isobel",
    "Christina", "Annie", "Mhairi", "Iona", "Freya", "Skye", "Grace", "Ellie", "Ava", "Amelia",
    "Sofia", "Hannah", "Ruby", "Ayesha", "Amira", "Chiamaka", "Nadia",
)
_MALE = (
    "Ewan", "Calum", "Ruaridh", "Hamish", "Angus", "Lachlan", "Alasdair", "Murdo", "Iain", "Seumas",
    "Dòmhnall", "Tormod", "Pádraig", "Seán", "Ciarán", "Oisín", "Darragh", "Łukasz", "Piotr",
    "Wojciech", "Krzysztof", "Paweł", "Tomasz", "Jakub", "Mateusz", "Kacper", "Szymon", "Jamie",
    "Liam", "Jack", "Noah", "Lewis", "Finlay", "Callum", "Kyle", "Ryan", "Craig", "Stuart",
    "Gordon", "Robert", "James", "John", "William", "David", "Thomas", "Andrew", "Alan", "Kenneth",
    "Graham", "Mohammed", "Imran", "Arjun", "Ravi", "Fionnlagh", "Niall", "Conor", "Aidan", "Euan",
    "Rory", "Archie", "Harris", "Oliver", "Leo", "Tariq", "Emeka",
)
# Plain strings serve either sex; (male, female) pairs are surnames that change with it.
_FAMILY: tuple[str | tuple[str, str], ...] = (
    "Campbell", "MacDonald", "Stewart", "Robertson", "Thomson", "Anderson", "Scott", "Murray",
    "MacLeod", "Reid", "Smith", "Brown", "Wilson", "Paterson", "Fraser", "Ross", "Mackenzie",
    "Morrison", "Kerr", "Douglas", "Baird", "Hamilton", "Graham", "Johnston", "Gray", "Watson",
    "Ferguson", "Duncan", "Hunter", "Kennedy", "Walker", "Young", "Mitchell", "Crawford", "Cameron",
    "Henderson", "Gillies", "MacInnes", "Caimbeul", "Moireach", "Dewar", "Nowak", "Wójcik",
    "Singh", "Khan", "Ahmed", "Ali", "Hussain", "Patel", "Murphy", "Kelly", "O'Neill", "O'Brien",
    "Byrne", "Gallagher", "Quinn", "Doherty", "McLaughlin", "McGregor", "McAllister", "Sinclair",
    "Sutherland", "Munro", "Boyle", "Docherty", "Reilly", "Okafor", "Kowalczyk",
    ("MacLeòid", "NicLeòid"), ("MacDhòmhnaill", "NicDhòmhnaill"),
    ("Ó Súilleabháin", "Ní Shúilleabháin"),
    ("Ó Briain", "Ní Bhriain"), ("Ó Dónaill", "Ní Dhónaill"), ("Ó Conaill", "Ní Chonaill"),
    ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Kamiński", "Kamińska"), ("Dąbrowski", "Dąbrowska"),
)
_STREETS = (
    "Burnside Road", "Kirk Street", "Station Road", "Glebe Crescent", "Main Street",
    "Church Street", "Mill Lane", "Loch Road", "Meadow View", "Ashgrove Avenue", "Braeside Drive",
    "Castle Wynd", "Victoria Road", "High Street", "Bank Street", "Rowan Court", "Thistle Place",
    "Heather Gardens", "Caledonia Street", "Wallace Terrace", "Bruce Avenue", "Birch Grove",
    "Quarry Road", "Marine Parade", "School Brae", "Tweed Crescent", "Clyde Street",
)
_COMMUNICATION = (
    "Uses British Sign Language: book a BSL interpreter for every visit.",
    "Polish speaker: prefers a Polish interpreter for meetings.",
    "Gaelic is her first language; happy to speak English on the phone.",
    "Hearing loss: face him when speaking, and confirm plans in writing.",
    "Easy read letters, please.",
    "Sight loss: large print (18 point) or a phone call rather than letters.",
    "Communicates with Makaton and a picture board; the keyworker can help.",
    "Needs an Arabic interpreter.",
    "Dementia: short sentences, one question at a time, and a family member present if possible.",
)
_CONTACT = (
    "Phone in the morning.", "Text first, then call.", "Letters to the home address.",
    "Through the daughter, who is the main carer.", "Email is best.",
    "Phone the landline; no mobile.", "Via the keyworker at the supported accommodation.",
    "Do not leave voicemails: shared phone.",
)
_WHAT_MATTERS = {
    ADULT: ("Staying in my own home.", "Getting out to the day centre on Tuesdays.",
            "Seeing my grandchildren.", "Keeping my dog.", "Not being a burden on my daughter.",
            "Getting back to the church choir.", "Being able to wash and dress without a rush."),
    CHILDREN: ("Staying at the same school as my friends.", "Seeing my dad every weekend.",
               "Mum getting better.", "Football on Saturdays.", "Having my own room.",
               "Not having to keep telling my story to new people."),
    JUSTICE: ("Keeping my flat.", "Getting a job.", "Seeing my kids.", "Staying off the drink.",
              "Finishing my college course.", "Getting away from the people I used to run about with."),
    MENTAL_HEALTH: ("Getting my sleep back.", "Staying out of hospital.", "Going back to work part time.",
                    "Being listened to.", "Seeing my sister.", "Walking the hills again."),
}
_SUMMARIES = {
    ADULT: ("{name} ({age}) lives alone after two falls this year; daughter visits daily.",
            "{name} ({age}) has early dementia; husband is the main carer and is tired.",
            "{name} ({age}) was discharged from hospital with a care at home package under review.",
            "{name} ({age}) has a learning disability and lives in supported accommodation.",
            "{name} ({age}) has a progressive neurological condition; equipment and adaptations in place."),
    CHILDREN: ("{name} ({age}) lives with mum and two siblings; concerns about neglect.",
               "{name} ({age}) is looked after at home; school attendance is the main worry.",
               "{name} ({age}) lives with a grandparent as a kinship carer.",
               "{name} ({age}): domestic abuse in the household; safety planning with mum.",
               "{name} ({age}) is a young carer for a parent with a long-term illness."),
    JUSTICE: ("{name} ({age}) is on a community payback order with unpaid work and supervision.",
              "{name} ({age}) is due for release; throughcare planning under way.",
              "{name} ({age}): report requested by the sheriff court.",
              "{name} ({age}) is on a structured deferred sentence."),
    MENTAL_HEALTH: ("{name} ({age}) has a long history of psychosis and is well on a depot.",
                    "{name} ({age}) was recently detained; community treatment planning.",
                    "{name} ({age}) lives alone with severe depression; isolated since losing work.",
                    "{name} ({age}) has bipolar disorder; relapse signature agreed with the family."),
}
_REASON_FIRST = ("Allocated at the allocation meeting", "Allocated for assessment",
                 "Allocated on opening the case", "Allocated by the team leader at screening")
_REASON_REFERRAL_QUEUED = ("New referral: awaiting allocation",
                           "Referral screened: waiting for a worker",
                           "Referral received: in the team's unallocated queue")
_REASON_REALLOCATE = ("Caseload rebalancing across the team",
                      "The person asked for a change of worker",
                      "Worker on long-term leave: case reallocated",
                      "Moved to a worker with the right experience for the risks",
                      "Worker changed teams within the service")
_REASON_WORKER_LEFT = ("Previous worker left the team", "Previous worker retired",
                       "Previous worker moved to another council")
_REASON_TO_QUEUE = ("Worker on long-term sick leave: case in the unallocated queue",
                    "Worker's caseload too high: case returned to the queue",
                    "Worker on maternity leave: awaiting reallocation")
_REASON_TO_QUEUE_LEFT = ("Worker left the team: awaiting reallocation",)
_REASON_FROM_QUEUE = ("Allocated from the unallocated queue",
                      "Allocated at the weekly allocation meeting")

_REFERRAL_SOURCES = {
    ADULT: ("the GP", "the hospital discharge team", "a daughter", "a neighbour",
            "the housing association", "Police Scotland (concern report)", "the district nurse"),
    CHILDREN: ("the school", "the health visitor", "Police Scotland (concern report)",
               "the Scottish Children's Reporter Administration", "the GP", "a parent"),
    JUSTICE: ("the sheriff court (report request)", "the Scottish Prison Service",
              "the procurator fiscal", "the sheriff court (order imposed)"),
    MENTAL_HEALTH: ("the GP", "the psychiatric ward", "the community mental health nurse",
                    "Police Scotland", "NHS 24"),
}
_REFERRAL_REASONS = {
    ADULT: ("{name} is struggling with personal care since a fall.",
            "{name}'s carer can no longer manage alone.",
            "Concern that {name} is being financially exploited by an acquaintance.",
            "{name} is ready for discharge but needs care at home first."),
    CHILDREN: ("{name} has come to school hungry several times this month.",
               "Police attended a domestic incident; {name} was in the house.",
               "{name}'s attendance has fallen below 60%.",
               "Mum asked for help: {name}'s behaviour at home is hard to manage."),
    JUSTICE: ("Criminal justice social work report requested for sentencing.",
              "Community payback order with supervision imposed today.",
              "{name} is due for release in eight weeks: throughcare requested."),
    MENTAL_HEALTH: ("{name} is more unwell and not taking medication.",
                    "{name} was detained over the weekend; MHO involvement needed.",
                    "{name} is isolated and the GP is worried about risk of self-harm."),
}
_SUBJECTS: dict[NoteType, tuple[str, ...]] = {
    NoteType.VISIT: ("Home visit", "Planned home visit", "Unannounced visit", "Visit with an interpreter"),
    NoteType.PHONE: ("Phone call with {name}", "Phone call from the GP", "Call to housing",
                     "Call with the family", "Missed call returned"),
    NoteType.MEETING: ("Review meeting", "Multi-agency meeting", "Planning meeting with {name}"),
    NoteType.LETTER: ("Letter to {name}: review date", "Letter to {name}: what we agreed",
                      "Letter to the GP about {name}"),
    NoteType.EMAIL: ("Email with the provider", "Email with occupational therapy",
                     "Email with health colleagues", "Email from {name}'s solicitor"),
    NoteType.OFFICE: ("Case recording update", "Chronology updated", "Discussed in supervision",
                      "Duty contact"),
    NoteType.OTHER: ("Text messages with {name}", "Contact attempt: no reply"),
}
_AREA_SUBJECTS: dict[ServiceArea, dict[NoteType, tuple[str, ...]]] = {
    ADULT: {NoteType.VISIT: ("Joint visit with the district nurse", "Visit at the day centre"),
            NoteType.MEETING: ("Hospital discharge planning meeting", "Care at home review")},
    CHILDREN: {NoteType.VISIT: ("Visit to see {name} at school", "Statutory visit", "Contact visit"),
               NoteType.MEETING: ("Child's plan meeting", "Core group meeting", "Looked after review")},
    JUSTICE: {NoteType.VISIT: ("Home visit (order supervision)", "Prison visit"),
              NoteType.MEETING: ("Case management meeting", "Unpaid work review")},
    MENTAL_HEALTH: {NoteType.VISIT: ("Joint visit with the CPN", "Visit to the ward"),
                    NoteType.MEETING: ("Care programme approach review", "Ward round")},
}
_SIGNIFICANT = {
    ADULT: ("Adult support and protection inquiry", "Admitted to hospital after a fall",
            "Guardianship application lodged", "Large-scale investigation: care home"),
    CHILDREN: ("Child protection case conference", "Children's hearing decision",
               "Inter-agency referral discussion", "{name} placed with kinship carer"),
    JUSTICE: ("Breach of order reported to court", "Report submitted to the sheriff court",
              "Arrested: new charges"),
    MENTAL_HEALTH: ("Emergency detention", "Short-term detention certificate granted",
                    "Compulsory treatment order granted", "Crisis: out-of-hours contact"),
}
_OPENINGS: dict[NoteType, tuple[str, ...]] = {
    NoteType.VISIT: ("Visited {name} at home as planned.", "Called at the house; {name} was in and happy to talk.",
                     "Joint visit; {name} was expecting us.", "Visited; {name} answered after a few minutes."),
    NoteType.PHONE: ("Spoke with {name} on the phone.", "Phoned {name}; no answer at first, called back within the hour.",
                     "Call from the family about {name}.", "Phoned the GP practice about {name}."),
    NoteType.MEETING: ("Meeting with {name} and the people involved.", "Attended the multi-agency meeting about {name}.",
                       "Met {name} at the office."),
    NoteType.LETTER: ("Wrote to confirm what was agreed with {name}.", "Letter sent; a copy is on file."),
    NoteType.EMAIL: ("Emails about {name} saved to the file.", "Email exchange about {name}'s support."),
    NoteType.OFFICE: ("Reviewed the file and updated the chronology.", "Discussed {name}'s situation at supervision."),
    NoteType.OTHER: ("Several text messages with {name} to arrange the next visit.", "Tried to reach {name}; left a card."),
}
_MIDDLES = {
    ADULT: ("{name} says the morning carers arrive late and would like a set time.",
            "We went through the outcomes in the plan: staying at home safely and getting out more.",
            "The daughter is finding caring harder; offered an adult carer support plan.",
            "Some weight loss noticed; will ask the GP to review.",
            "Went through the self-directed support options; {name} is thinking about a direct payment.",
            "The house was warm and tidy; fridge stocked.",
            "{name} has had no falls since the community alarm was fitted."),
    CHILDREN: ("{name} was at home with mum; the house was warm and there was food in.",
               "School reports attendance is up this term.",
               "Spoke with {name} alone; says things are better at home.",
               "Contact with dad went ahead and was positive.",
               "The kinship carer asked for help with nursery costs.",
               "Mum has started the parenting group and says it helps.",
               "{name} was quiet and did not want to talk today."),
    JUSTICE: ("{name} attended as required and is completing unpaid work hours.",
              "Discussed the offending behaviour programme; attending weekly.",
              "Housing is still unsettled; referral made to homelessness services.",
              "{name} has been sober for six weeks and is proud of it.",
              "Talked through the conditions of the order again."),
    MENTAL_HEALTH: ("{name} is taking medication and sleeping better.",
                    "The CPN reports mood lower this week.",
                    "Talked about what helps when things get difficult; crisis plan updated.",
                    "{name} has been going to the walking group.",
                    "{name}'s sister is worried and would like to be kept informed, with consent."),
}
_ACTIONS = ("Next visit booked in two weeks.", "Will update the team leader at supervision.",
            "Actions added to the plan.", "No further action today.", "Will write to confirm.",
            "Follow-up call arranged with the GP.", "Review date confirmed.")
_CLOSING = ("Involvement ended: the outcomes in the plan were met. {name} knows how to get in touch "
            "again through the duty team.",
            "Case closed after the review. {name}'s informal supports are in place; the family have "
            "the duty number.",
            "{name} moved out of the area; records shared with the new council with consent. Case closed.")
_CORRECTIONS = ("The visit recorded on {day} took place at the day centre, not at home.",
                "The entry of {day} named the wrong GP practice; it is the health centre on the high street.",
                "The time in the entry of {day} was wrong: the call was in the afternoon.",
                "The entry of {day} gave the wrong name for the carer; she is the niece, not the daughter.")
