"""The case notes: a referral note, ordinary notes spread over each case's involvement
(now and then a correction of the one just written), a closing note. They stream case by
case after everything else is written, as the bulk of the rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from random import Random
from typing import Any, Protocol

from casework.synthetic.draws import new_id, office_time, weighted
from casework.synthetic.plan import CasePlan, Member, Plan
from casework.synthetic.rows import synced
from casework.synthetic.scales import Scale
from casework.synthetic.words import (
    AREA_SUBJECTS,
    CLOSING,
    CORRECTIONS,
    MIDDLES,
    NOTE_ACTIONS,
    OPENINGS,
    SIGNIFICANT,
    SUBJECTS,
)
from casework.timeutil import LONDON
from casework.vocab import NoteType

CORRECTION_SHARE = 0.015
SIGNIFICANT_SHARE = 0.05
_NOTE_TYPES = ((NoteType.VISIT, 30), (NoteType.PHONE, 30), (NoteType.MEETING, 12),
               (NoteType.EMAIL, 10), (NoteType.LETTER, 6), (NoteType.OFFICE, 8), (NoteType.OTHER, 4))


def note_rate(plan: Plan, scale: Scale, as_of: date) -> float:
    """Notes per day of involvement that make the total come out near scale.notes: every case
    has its referral note (and a closed one its closing note), the rest spread over time."""
    fixed = sum(2 if c.closed_on else 1 for c in plan.cases)
    days = sum(max((c.end(as_of) - c.start).days, 0) for c in plan.cases)
    wanted = scale.notes / (1 + CORRECTION_SHARE) - fixed
    return max(wanted, 0) / max(days, 1)


class NoteChoices(Protocol):
    """What the notes ask of the care records: which ordinary notes stay (to make room for
    the events those wrote), and who a visit or call was with. They draw from a Random of
    their own, so the notes that stay are exactly those this stream always made."""

    def keep_note(self) -> bool: ...

    def contact_with(self, c: CasePlan, note_type: NoteType, subject: str,
                     opening: str) -> str | None: ...


class NoteWriter:
    def __init__(self, rng: Random, as_of: date, rate: float, care: NoteChoices):
        self.rng, self.as_of, self.rate, self.care = rng, as_of, rate, care

    def notes(self, c: CasePlan) -> Iterator[dict[str, Any]]:
        """The referral note, notes spread over the involvement, the closing note; now and
        then a correction of the note just written, pointing at it."""
        rng = self.rng
        start, end = c.start, c.end(self.as_of)
        span_days = max((end.date() - start.date()).days, 0)
        n = round(span_days * self.rate * rng.uniform(0.5, 1.5))
        times = sorted(office_time(rng, start.date() + timedelta(days=rng.randint(0, span_days)))
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

    def _row(self, c: CasePlan, author: Member, note_type: NoteType, at: datetime, subject: str,
             body: str, significant: bool = False, corrects: str | None = None) -> dict[str, Any]:
        return synced(new_id(self.rng), c.team.id, at, author.id) | {
            "case_id": c.id, "author_id": author.id, "note_type": note_type.value,
            "occurred_at": at, "subject": subject[:200], "body": body,
            "significant": significant, "contact_with": None, "corrects_id": corrects,
        }

    def _referral(self, c: CasePlan) -> dict[str, Any]:
        """The chronology's first event. (The draw that once chose a contact type stays, so
        that the notes after it are as they were.)"""
        source, reason = c.referral
        body = f"Referral received from {source}. {reason}"
        author = c.holder(c.start) or c.team.leader
        assert author is not None
        self.rng.choice((NoteType.PHONE, NoteType.EMAIL, NoteType.OFFICE))
        return self._row(c, author, NoteType.EVENT, c.start, f"Referral received from {source}", body,
                         significant=True)

    def _closing(self, c: CasePlan, at: datetime) -> dict[str, Any]:
        """The chronology's last event: who closed the case, with the case's closing summary.
        (The draw that once chose the text stays, as for the referral.)"""
        author = c.closed_by or c.holder(at) or c.team.leader
        assert author is not None
        drawn = self.rng.choice(CLOSING).format(name=c.person.given)
        body = f"Closed by {author.display_name}. {c.closing_summary or drawn}"
        return self._row(c, author, NoteType.EVENT, at, "Case closed", body, significant=True)

    def _note(self, c: CasePlan, at: datetime) -> dict[str, Any]:
        rng, area, team = self.rng, c.team.area, c.team
        name = c.person.given
        author = c.holder(at)
        roll = rng.random()
        if team.paras and roll < 0.15:  # para-professionals record directed visits and calls
            author, note_type = rng.choice(team.paras), rng.choice((NoteType.VISIT, NoteType.PHONE))
        elif author is None or roll < 0.2:  # duty cover, or the team leader's own involvement
            author, note_type = team.leader, rng.choice((NoteType.MEETING, NoteType.OFFICE, NoteType.PHONE))
        else:
            note_type = weighted(rng, _NOTE_TYPES)
        assert author is not None
        if rng.random() < SIGNIFICANT_SHARE:
            subject, significant = rng.choice(SIGNIFICANT[area]), True
        else:
            subject = rng.choice(SUBJECTS[note_type] + AREA_SUBJECTS[area].get(note_type, ()))
            significant = False
        middle = " ".join(rng.sample(MIDDLES[area], rng.randint(1, 2)))
        opening = rng.choice(OPENINGS[note_type])
        body = f"{opening} {middle} {rng.choice(NOTE_ACTIONS)}"
        row = self._row(c, author, note_type, at, subject.format(name=name), body.format(name=name),
                        significant)
        row["contact_with"] = self.care.contact_with(c, note_type, subject, opening)
        return row

    def _correction(self, c: CasePlan, note: dict[str, Any], end: datetime) -> dict[str, Any]:
        rng = self.rng
        # Within three days, but never after the case's last day (nor after as_of).
        at = min(note["occurred_at"] + timedelta(minutes=rng.randint(20, 3 * 24 * 60)), end)
        day = note["occurred_at"].astimezone(LONDON)
        author = next(m for m in c.team.everyone() if m.id == note["author_id"])
        return self._row(c, author, NoteType.OTHER, at, f"Correction to the entry of {day:%d/%m/%Y}",
                         rng.choice(CORRECTIONS).format(day=f"{day:%d %B %Y}"), corrects=note["id"])
