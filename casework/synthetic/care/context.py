"""What the parts of the care stage share: the plan, the day everything counts back from,
one Random (all parts draw from it in turn, so the rows come out as they always did), the
writer, and the count of chronology events written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from casework.models import CaseNote
from casework.synthetic.draws import london_time, new_id, office_time
from casework.synthetic.plan import CasePlan, Member, Plan
from casework.synthetic.rows import synced
from casework.synthetic.writer import Writer
from casework.vocab import NoteType


class CareContext:
    def __init__(self, plan: Plan, seed: int, as_of: date):
        self.plan, self.as_of = plan, as_of
        self.rng = Random(f"{seed}:care")
        self.last_day = as_of - timedelta(days=1)
        self.writer: Writer | None = None  # given when the stage starts writing
        self.events = 0

    def add(self, model: Any, row: dict[str, Any]) -> None:
        assert self.writer is not None
        self.writer.add(model.__table__, row)

    def event(self, c: CasePlan, author: Member, at: datetime, subject: str, body: str) -> None:
        """One of the chronology's event notes (an allocation, a sign-off, a review)."""
        self.events += 1
        self.add(CaseNote, synced(new_id(self.rng), c.team.id, at, author.id) | {
            "case_id": c.id, "author_id": author.id, "note_type": NoteType.EVENT.value,
            "occurred_at": at, "subject": subject[:200], "body": body, "significant": True,
            "contact_with": None, "corrects_id": None,
        })

    @staticmethod
    def holder(c: CasePlan, day: date) -> Member | None:
        """The named worker at midday on `day`, if still in the team then."""
        return c.holder(london_time(day, 12 * 60))

    def when(self, c: CasePlan, day: date) -> datetime:
        """An office-hours time on `day`, kept after the case's first allocation and before
        it stopped (its closure, or the end of the working day before as_of)."""
        at = office_time(self.rng, day)
        return min(max(at, c.start + timedelta(minutes=5)), c.end(self.as_of))
