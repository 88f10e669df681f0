"""Planning the people and their cases: one live case for each place on a caseload or in
a queue, closed episodes before them, each with its allocation history, legal status, risk,
band and review date; birth dates that fit every episode; references in referral order."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from casework.synthetic.accounts import DEMO_ACCOUNTS
from casework.synthetic.draws import (
    london_time,
    new_id,
    office_between,
    office_time,
    person_name,
    weighted,
    years_before,
)
from casework.synthetic.plan import (
    AllocationRow,
    CasePlan,
    Member,
    PersonPlan,
    Plan,
    TeamPlan,
)
from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.synthetic.words import (
    REASON_FIRST,
    REASON_FROM_QUEUE,
    REASON_REALLOCATE,
    REASON_REFERRAL_QUEUED,
    REASON_TO_QUEUE,
    REASON_TO_QUEUE_LEFT,
    REASON_WORKER_LEFT,
)
from casework.vocab import CaseStatus, EligibilityBand, LegalStatus, RiskLevel

_AGE = {  # (youngest, oldest, mode) at the end of involvement
    CHILDREN: (0, 17, 9),
    ADULT: (18, 99, 82),
    MENTAL_HEALTH: (18, 90, 42),
    JUSTICE: (16, 75, 29),
}


def plan_cases(rng: Random, as_of: date, plan: Plan) -> None:
    for team in plan.teams:
        finals: list[Member | None] = [m for m in team.holders for _ in range(m.caseload)]
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


def _new_person(rng: Random, team: TeamPlan) -> PersonPlan:
    female = rng.random() < _SHARE_FEMALE[team.area]
    given, family = person_name(rng, female)
    while f"{given} {family}" in _DEMO_NAMES:  # a client named like a demo worker confuses
        given, family = person_name(rng, female)
    return PersonPlan(new_id(rng), team, female, given, family)


def _live_case(rng: Random, as_of: date, team: TeamPlan, person: PersonPlan,
               final: Member | None) -> CasePlan:
    """A case that is live today, held by `final` or (None) waiting 1–60 days in the queue."""
    c = CasePlan(new_id(rng), team, person, CaseStatus.OPEN, as_of, None, None)
    if final is None:
        waited = rng.randint(1, 60)
        waiting_since = as_of - timedelta(days=waited)
        if rng.random() < 0.75:  # a new referral that nobody has picked up yet
            c.status, c.referred_on = CaseStatus.REFERRAL, waiting_since
            queued_at = office_time(rng, waiting_since)
            c.rows = [AllocationRow(queued_at, None, rng.choice(REASON_REFERRAL_QUEUED))]
        else:  # an open case whose worker left or went on leave
            _open_dates(rng, as_of, c, min_days=waited + 21)
            queued_at = office_time(rng, waiting_since)
            _history(rng, c, team, london_time(c.opened_on or c.referred_on, 9 * 60 + 30), queued_at, None)
    else:
        c.status = weighted(rng, ((CaseStatus.REFERRAL, 8), (CaseStatus.OPEN, 82), (CaseStatus.CLOSING, 10)))
        if c.status == CaseStatus.REFERRAL:
            c.referred_on = as_of - timedelta(days=rng.randint(2, 45))
        else:
            _open_dates(rng, as_of, c, min_days=14)
        start = office_time(rng, c.opened_on or c.referred_on)
        _history(rng, c, team, start, london_time(as_of - timedelta(days=1), 17 * 60), final)
    _case_facts(rng, as_of, c)
    return c


def _open_dates(rng: Random, as_of: date, c: CasePlan, *, min_days: int) -> None:
    # Most involvement is months long; some (children on orders, guardianship) runs years.
    days = min(min_days + int(rng.expovariate(1 / 420)), 8 * 365)
    c.opened_on = as_of - timedelta(days=days)
    c.referred_on = c.opened_on - timedelta(days=rng.randint(0, 28))


def _closed_case(rng: Random, as_of: date, team: TeamPlan, person: PersonPlan,
                 before: CasePlan | None) -> CasePlan:
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
    c = CasePlan(new_id(rng), team, person, CaseStatus.CLOSED, referred_on, opened_on, closed_on)
    holders = [m for m in team.holders + team.formers if m.holds_at(closed_on)] or [team.leader]
    final = rng.choice(holders)
    assert final is not None
    start = office_time(rng, opened_on)
    _history(rng, c, team, start, london_time(closed_on, 12 * 60), final)
    _case_facts(rng, as_of, c)
    return c


def _history(rng: Random, c: CasePlan, team: TeamPlan, start: datetime, end: datetime,
             final: Member | None) -> None:
    """Allocation rows from `start` to the final one (`final`, or the queue when None):
    the first allocation when the case opened, then perhaps reallocations and spells in the
    queue. Each row lasts until the next; nobody holds a case before joining or after leaving."""
    changes = weighted(rng, ((0, 55), (1, 28), (2, 12), (3, 5)))
    if final is None:
        changes = max(changes, 1)  # somebody held it before it went back to the queue
    earliest_final = start
    if final is not None and final.joined is not None:
        earliest_final = max(start, london_time(final.joined, 9 * 60))
        if earliest_final > start:
            changes = max(changes, 1)
    if final is None:
        final_at = end
    elif changes == 0:
        final_at = start
    else:
        final_at = office_between(rng, earliest_final, end)
    if final_at <= start and changes:
        changes, final_at = 0, start
    # Distinct instants, so that the final row is the one latest in time.
    middle = sorted({office_between(rng, start, final_at) for _ in range(changes - 1)})
    times = [start, *middle][:changes] + [final_at]
    changes = len(times) - 1
    workers: list[Member | None] = []
    for i, at in enumerate(times[:-1]):
        previous = workers[-1] if workers else "none"
        following = final if i == changes - 1 else "none"
        workers.append(_earlier_worker(rng, team, at.date(), previous, following))
    workers.append(final)
    previous: Member | None | str = "none"
    for at, worker in zip(times, workers):
        c.rows.append(AllocationRow(at, worker, _reason(rng, previous, worker, at.date())))
        previous = worker


def _earlier_worker(rng: Random, team: TeamPlan, day: date, previous: Member | None | str,
                    following: Member | None | str) -> Member | None:
    """Who held the case from `day`: any worker in the team then, different from the rows
    either side; sometimes nobody (a spell in the queue, never two in a row)."""
    if previous is not None and following is not None and rng.random() < 0.12:
        return None
    choices = [m for m in team.holders + team.formers
               if m.holds_at(day) and m is not previous and m is not following]
    return rng.choice(choices) if choices else None


def _reason(rng: Random, previous: Member | None | str, worker: Member | None, day: date) -> str:
    if previous == "none":
        return rng.choice(REASON_FIRST if worker else REASON_REFERRAL_QUEUED)
    left = isinstance(previous, Member) and previous.left is not None and previous.left <= day
    if worker is None:
        return rng.choice(REASON_TO_QUEUE_LEFT if left else REASON_TO_QUEUE)
    if previous is None:
        return rng.choice(REASON_FROM_QUEUE)
    if left:
        return rng.choice(REASON_WORKER_LEFT)
    if worker.joined is not None:  # only newly qualified workers have a joining date
        return "Reallocated to a newly qualified worker as part of a protected caseload"
    return rng.choice(REASON_REALLOCATE)


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


def _case_facts(rng: Random, as_of: date, c: CasePlan) -> None:
    """Legal status fitting the service area (orders come after assessment, so not on a new
    referral), risk that follows it, a band once assessed (adults only), a review date."""
    area = c.team.area
    assessed = c.status != CaseStatus.REFERRAL
    c.legal = weighted(rng, _LEGAL[area]) if assessed else LegalStatus.VOLUNTARY
    if c.legal in (LegalStatus.CHILD_PROTECTION_PLAN, LegalStatus.PROTECTION_ORDER):
        c.risk = weighted(rng, ((RiskLevel.HIGH, 60), (RiskLevel.MEDIUM, 40)))
    elif c.legal != LegalStatus.VOLUNTARY:
        c.risk = weighted(rng, ((RiskLevel.HIGH, 25), (RiskLevel.MEDIUM, 50), (RiskLevel.LOW, 25)))
    else:
        c.risk = weighted(rng, ((RiskLevel.HIGH, 10), (RiskLevel.MEDIUM, 35), (RiskLevel.LOW, 55)))
    if area in (ADULT, MENTAL_HEALTH) and assessed:
        c.band = weighted(rng, _BAND)
    if c.status == CaseStatus.REFERRAL:
        c.next_review_on = c.referred_on + timedelta(days=28)  # screening due
    elif c.status != CaseStatus.CLOSED:
        overdue = rng.random() < 0.14
        c.next_review_on = as_of + timedelta(days=-rng.randint(1, 60) if overdue else rng.randint(0, 182))


def _date_of_birth(rng: Random, as_of: date, p: PersonPlan) -> None:
    """A birth date that keeps the person's age inside the service area's range for every
    episode, then the CHI number that encodes it."""
    youngest, oldest, mode = _AGE[p.team.area]
    first = p.episodes[0].referred_on
    last = max(e.closed_on or as_of for e in p.episodes)
    latest_dob = years_before(first, youngest)
    earliest_dob = years_before(last, oldest + 1) + timedelta(days=1)
    age = int(rng.triangular(youngest, oldest + 1, mode))
    dob = years_before(last, age) - timedelta(days=rng.randrange(365))
    p.date_of_birth = min(max(dob, earliest_dob), latest_dob)


def number_cases(plan: Plan) -> None:
    """References in referral order, as a council's case numbers run."""
    plan.cases.sort(key=lambda c: (c.referred_on, c.start, c.id))
    for n, c in enumerate(plan.cases, 1):
        c.reference = f"CW-{n:06d}"
