"""Planning the staff: a service manager per locality, one team per service area with its
leader, practitioners, para-professionals and a former worker or two, and the caseload each
holds; then how the live and closed cases and the people are shared among the teams."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from random import Random

from casework import permissions as perm
from casework.synthetic.accounts import (
    DEMO_ACCOUNTS,
    DEMO_LOCALITY,
    NAMED_DETAILS,
    DemoAccount,
    named_area,
)
from casework.synthetic.draws import months_before, new_id, person_name
from casework.synthetic.plan import Award, Locality, Member, Plan, TeamPlan
from casework.synthetic.scales import ADULT, CHILDREN, MENTAL_HEALTH, Scale
from casework.synthetic.words import LOCALITIES, POSTCODE_AREAS, TEAM_SUFFIX
from casework.text import fold
from casework.vocab import ServiceArea

Role = perm.Role


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` shared in proportion to `weights`, exactly (largest remainders)."""
    whole = sum(weights) or 1
    raw = [total * w / whole for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _username(prefix: str, family: str, taken: set[str]) -> str:
    base = f"{prefix}.{fold(family).replace(' ', '')}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


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

    def generated(self, role: perm.Role, team: TeamPlan | None, *, newly_qualified: bool = False) -> Member:
        rng, as_of = self.rng, self.as_of
        female = rng.random() < 0.78  # the social care workforce is mostly women
        given, family = person_name(rng, female)
        prefix = {Role.SOCIAL_WORKER: "sw", Role.SENIOR_PRACTITIONER: "sp", Role.TEAM_LEADER: "tl",
                  Role.SERVICE_MANAGER: "sm", Role.PARA_PROFESSIONAL: "pp"}[role]
        m = Member(new_id(rng), _username(prefix, family, self.usernames), f"{given} {family}",
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

    def _accreditations(self, m: Member, area: ServiceArea | None) -> tuple[Award, ...]:
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

    def _awarded(self, m: Member, after_years: int, pq_years: float) -> date:
        assert m.qualified_on is not None
        span = max(1, int((pq_years - after_years) * 365))
        return m.qualified_on + timedelta(days=after_years * 365 + self.rng.randrange(span))

    def named(self, account: DemoAccount, team: TeamPlan | None) -> Member:
        d = NAMED_DETAILS[account.username]
        m = Member(new_id(self.rng), account.username, account.display_name, account.role, team,
                   fte=d.fte, accreditations=d.accreditations)
        self.usernames.add(account.username)
        if account.role == Role.PARA_PROFESSIONAL:
            m.sssc_part = perm.RegisterPart.SOCIAL_SERVICE_WORKER
        else:
            m.sssc_part = perm.RegisterPart.SOCIAL_WORKER
            m.qualified_on = d.qualified or months_before(self.as_of, d.qualified_months_ago or 0)
            if d.qualified_months_ago is not None:  # newly qualified: joined when qualified
                m.joined = m.qualified_on
        m.sssc_number = self.sssc_number()
        m.sssc_expiry = (self.as_of - timedelta(days=d.lapsed_days_ago) if d.lapsed_days_ago
                         else self.expiry())
        return m


def _caseload(rng: Random, m: Member, area: ServiceArea, as_of: date) -> int:
    """Cases held as named worker. Setting the Bar: about 15 in children and families, 20–25
    in adult and justice teams; newly qualified workers get a protected caseload."""
    d = NAMED_DETAILS.get(m.username)
    if d is not None and d.caseload is not None:
        return d.caseload
    if m.role == Role.TEAM_LEADER:
        return rng.randint(5, 8)
    if m.qualified_on is not None and m.qualified_on > months_before(as_of, perm.NEWLY_QUALIFIED_MONTHS):
        return rng.randint(6, 10)
    low, high = (15, 17) if area == CHILDREN else (20, 25)
    # Part-time workers hold fewer, but never below the range's floor.
    return max(low, round(rng.randint(low, high) * m.fte / 100))


def plan_staff(rng: Random, scale: Scale, as_of: date, plan: Plan) -> None:
    factory = _StaffFactory(rng, as_of)
    named = {a.username: a for a in DEMO_ACCOUNTS}
    names = LOCALITIES[: scale.localities]
    if len(names) < scale.localities:
        raise ValueError(f"at most {len(LOCALITIES)} localities")
    for i, loc_name in enumerate(names):
        area_code = POSTCODE_AREAS[i % len(POSTCODE_AREAS)]
        loc = Locality(loc_name, area_code, tuple(rng.sample(range(1, 60), 3)))
        demo = loc_name == DEMO_LOCALITY
        loc.manager = (factory.named(named["sm.douglas"], None) if demo
                       else factory.generated(Role.SERVICE_MANAGER, None))
        plan.members.append(loc.manager)
        for area in scale.service_areas:
            team = TeamPlan(new_id(rng), f"{loc_name} {TEAM_SUFFIX[area]}", area, loc)
            loc.teams.append(team)
            _staff_team(rng, scale, as_of, factory, plan, team, demo)
        plan.localities.append(loc)


def _staff_team(rng: Random, scale: Scale, as_of: date, factory: _StaffFactory, plan: Plan,
                team: TeamPlan, demo: bool) -> None:
    """A team leader supervised by the service manager; practitioners and para-professionals
    supervised by the team leader; a former worker or two who left this past year."""
    named = [a for a in DEMO_ACCOUNTS if demo and named_area(a) == team.area]
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


def share_cases(scale: Scale, plan: Plan) -> None:
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
