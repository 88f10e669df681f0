"""What every part of a case window is given: the signed-in person's services, the runner,
the event bridge, and the case as the window last read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from casework import dto

if TYPE_CHECKING:
    from casework.services import Me
    from casework.ui.event_bridge import EventBridge
    from casework.ui.tasks import Runner


@dataclass(frozen=True)
class CaseContext:
    me: "Me"
    runner: "Runner"
    events: "EventBridge"
    case_id: str
    # The case summary the window shows now (it is read again after every change).
    summary: Callable[[], dto.CaseSummary]
    today: Callable[[], date]

    def may_record(self) -> bool:
        """Whether the reader may record on this case (details, people, assessments, plan,
        notes), as the service decided when the window last read it."""
        return self.summary().abilities.record

    def concerns_this_case(self, event) -> bool:
        """A `casework.events.Changed` about this case: case-scoped events carry the case id
        first."""
        return bool(event.ids) and event.ids[0] == self.case_id
