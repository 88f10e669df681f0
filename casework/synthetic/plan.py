"""The plan: everything but the notes, in memory. Generation plans first (so that case
references can be numbered in referral order), writes the plan, then streams the notes case
by case."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from casework import permissions as perm
from casework.synthetic.draws import london_time
from casework.vocab import (
    CaseStatus,
    EligibilityBand,
    LegalStatus,
    RiskLevel,
    ServiceArea,
)

Award = tuple[perm.Accreditation, date]  # an accreditation and when it was awarded


@dataclass(eq=False)
class Member:
    id: str
    username: str
    display_name: str
    role: perm.Role
    team: TeamPlan | None
    fte: int = 100
    supervisor_id: str | None = None
    sssc_number: str | None = None
    sssc_part: perm.RegisterPart | None = None
    sssc_expiry: date | None = None
    qualified_on: date | None = None
    accreditations: tuple[Award, ...] = ()
    caseload: int = 0
    joined: date | None = None  # None: in the team for as long as the data goes back
    left: date | None = None  # a former worker: deactivated on this day

    def holds_at(self, day: date) -> bool:
        return (self.joined is None or day >= self.joined) and (self.left is None or day < self.left)


@dataclass(eq=False)
class TeamPlan:
    id: str
    name: str
    area: ServiceArea
    locality: Locality
    leader: Member | None = None
    holders: list[Member] = field(default_factory=list)  # case-holding, active
    formers: list[Member] = field(default_factory=list)
    paras: list[Member] = field(default_factory=list)
    live: int = 0
    queue: int = 0
    closed: int = 0
    people: int = 0

    @property
    def capacity(self) -> int:
        return sum(m.caseload for m in self.holders)

    def everyone(self) -> Iterator[Member]:
        yield from self.holders
        yield from self.paras
        yield from self.formers


@dataclass(eq=False)
class Locality:
    name: str
    postcode_area: str
    districts: tuple[int, ...]
    manager: Member | None = None
    teams: list[TeamPlan] = field(default_factory=list)


@dataclass(eq=False)
class AllocationRow:
    at: datetime
    worker: Member | None
    reason: str


@dataclass(eq=False)
class CasePlan:
    id: str
    team: TeamPlan
    person: PersonPlan
    status: CaseStatus
    referred_on: date
    opened_on: date | None
    closed_on: date | None
    rows: list[AllocationRow] = field(default_factory=list)
    reference: str = ""
    risk: RiskLevel = RiskLevel.LOW
    band: EligibilityBand | None = None
    legal: LegalStatus = LegalStatus.VOLUNTARY
    next_review_on: date | None = None
    referral: tuple[str, str] = ("", "")  # who referred, and why (chosen with the case row)
    closing_summary: str | None = None  # closed cases (the care records settle these two)
    closed_by: Member | None = None

    @property
    def start(self) -> datetime:
        return self.rows[0].at

    def end(self, as_of: date) -> datetime:
        """When recording on the case stops: its closure, or the working day before as_of."""
        if self.closed_on is not None:
            return london_time(self.closed_on, 16 * 60)
        return london_time(as_of - timedelta(days=1), 17 * 60)

    def holder(self, at: datetime) -> Member | None:
        """The named worker at `at`, if still in the team then."""
        i = bisect.bisect_right([r.at for r in self.rows], at) - 1
        worker = self.rows[max(i, 0)].worker
        return worker if worker is not None and worker.holds_at(at.date()) else None


@dataclass(eq=False)
class PersonPlan:
    id: str
    team: TeamPlan
    female: bool
    given: str
    family: str
    episodes: list[CasePlan] = field(default_factory=list)  # oldest first
    date_of_birth: date | None = None


class Plan:
    def __init__(self) -> None:
        self.localities: list[Locality] = []
        self.members: list[Member] = []  # in insert order: supervisors before the supervised
        self.people: list[PersonPlan] = []
        self.cases: list[CasePlan] = []

    @property
    def teams(self) -> Iterator[TeamPlan]:
        for loc in self.localities:
            yield from loc.teams
