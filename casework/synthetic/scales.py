"""How much synthetic data to make: the demo team's worth, or a council's for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from casework.vocab import ServiceArea

ADULT = ServiceArea.ADULT_COMMUNITY_CARE
CHILDREN = ServiceArea.CHILDREN_AND_FAMILIES
JUSTICE = ServiceArea.JUSTICE
MENTAL_HEALTH = ServiceArea.MENTAL_HEALTH


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
