"""Workers' weighted loads and what an allocation would do to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from casework.permissions import Role


@dataclass(frozen=True)
class WorkerLoad:
    """A case-holding worker's weighted caseload against their capacity (casework.weighting)."""

    staff_id: str
    display_name: str
    role: Role
    fte_percent: int
    newly_qualified: bool
    cases: int  # live cases they are the named worker of
    load: float  # the weighted total
    capacity: float

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class AllocationOptions:
    """What allocating one case offers: the case as it stands and its team's case-holding
    workers with their loads."""

    case_id: str
    case_reference: str
    person_name: str
    team_id: str
    team_name: str
    service_area: str
    status: str
    risk_level: str
    legal_status: str
    named_worker_id: str | None
    named_worker_name: str | None
    unallocated_since: datetime | None
    case_weight: float
    workers: tuple[WorkerLoad, ...]
    row_version: int  # what allocate and return_to_queue expect


@dataclass(frozen=True)
class AllocationPreview:
    """What allocating a case would do to one worker's load."""

    case_id: str
    case_weight: float
    worker: WorkerLoad  # as they are now
    holds_case: bool  # already the named worker: allocating would change nothing
    load_after: float

    @property
    def load_before(self) -> float:
        return self.worker.load

    @property
    def capacity(self) -> float:
        return self.worker.capacity

    @property
    def over_capacity_after(self) -> bool:
        return self.load_after > self.worker.capacity
