"""The care-records stage, as the generator drives it:

    care = CareRecords(plan, scale, seed, as_of)
    care.settle_closures()     # closing summary and who closed: case rows carry them
    ...                        # staff, people, cases, allocations
    care.write(writer)         # the "Care records" stage
    care.settle_notes(fixed)   # how many ordinary notes make room for the events written
    ...                        # notes: care.keep_note(), care.contact_with(...)

Sign-offs and closures ask the real policy on the day (signing.DayPolicy)."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from casework.models import (
    Assessment,
    AssessmentContribution,
    CaseNote,
    KeyPerson,
    OutcomeRating,
    PlanAction,
    PlanOutcome,
    PlanReview,
)
from casework.synthetic.care.assessments import Assessments
from casework.synthetic.care.context import CareContext
from casework.synthetic.care.people import Key, KeyPeople
from casework.synthetic.care.plans import Plans
from casework.synthetic.care.signing import DayPolicy
from casework.synthetic.care.words import CONTACT_WITH
from casework.synthetic.notes import CORRECTION_SHARE
from casework.synthetic.plan import CasePlan, Plan
from casework.synthetic.scales import Scale
from casework.synthetic.words import CLOSING
from casework.synthetic.writer import Writer
from casework.vocab import CaseStatus, NoteType

# Closed this long before as_of, a case keeps only the assessment that opened it.
OLD_CLOSED_DAYS = 3 * 365
# The tables the care records fill, parents first.
CARE_TABLES = ("key_person", "assessment", "assessment_contribution", "plan_outcome", "plan_action",
               "plan_review", "outcome_rating")


class CareRecords:
    def __init__(self, plan: Plan, scale: Scale, seed: int, as_of: date):
        self.scale, self.seed = scale, seed
        self.ctx = CareContext(plan, seed, as_of)
        self.note_rng = Random(f"{seed}:notes")  # which notes stay, and who contacts were with
        self.keep_share = 1.0
        self.policy = DayPolicy()
        self.key_people = KeyPeople(self.ctx)
        self.assessments = Assessments(self.ctx, self.policy)
        self.plans = Plans(self.ctx)

    # -- before the case rows ------------------------------------------------------------

    def settle_closures(self) -> None:
        """Closed cases: a closing summary, and who closed them (the final holder, or the team
        leader where closing under an order needed someone the final holder was not)."""
        rng = Random(f"{self.seed}:closing")
        for c in self.ctx.plan.cases:
            if c.closed_on is None:
                continue
            c.closing_summary = rng.choice(CLOSING).format(name=c.person.given)
            final, leader = c.rows[-1].worker, c.team.leader
            c.closed_by = next((m for m in (final, leader)
                                if m is not None and self.policy.may_close(m, c)), final or leader)

    def expected_rows(self) -> int:
        """About how many rows write() adds, for progress only."""
        plan = self.ctx.plan
        live = sum(c.status in (CaseStatus.OPEN, CaseStatus.CLOSING) for c in plan.cases)
        return len(plan.people) * 2 + live * 22 + (len(plan.cases) - live) * 5

    # -- the stage ---------------------------------------------------------------------------

    def write(self, writer: Writer) -> None:
        writer.order(KeyPerson.__table__, Assessment.__table__, AssessmentContribution.__table__,
                     PlanOutcome.__table__, PlanAction.__table__, PlanReview.__table__,
                     OutcomeRating.__table__, CaseNote.__table__)
        self.assessments.choose_drafts()
        self.ctx.writer = writer
        for p in self.ctx.plan.people:
            keys = self.key_people.draw(p)
            for c in p.episodes:
                self._case(c, keys)
        writer.flush()

    def settle_notes(self, fixed: int) -> None:
        """Share of ordinary notes to keep so that notes and events together come out near
        the scale's target (`fixed`: the referral and closing notes every case has)."""
        ordinary = self.scale.notes - fixed * (1 + CORRECTION_SHARE)
        events = self.ctx.events
        self.keep_share = max(0.0, 1 - events / ordinary) if ordinary > 0 else 1.0

    # -- for the notes stage ---------------------------------------------------------------

    def keep_note(self) -> bool:
        return self.note_rng.random() < self.keep_share

    def contact_with(self, c: CasePlan, note_type: NoteType, subject: str, opening: str) -> str | None:
        """Who a visit or phone call was with, from what the note says."""
        if note_type not in (NoteType.VISIT, NoteType.PHONE):
            return None
        name = c.person.given
        said = CONTACT_WITH.get(subject) or CONTACT_WITH.get(opening)
        companion = self.key_people.companions.get(c.person.id)
        if said == "family":
            if companion:
                given, relation = companion
                return f"{given}, {name}'s {relation}"
            return f"{name}'s family"
        if said:
            return said.format(name=name)
        if note_type == NoteType.VISIT and companion and self.note_rng.random() < 0.5:
            given, relation = companion
            her = "her" if c.person.female else "his"
            return f"{name} and {her} {relation} {given}"
        return name

    # -- one case --------------------------------------------------------------------------

    def _case(self, c: CasePlan, keys: list[Key]) -> None:
        self._allocation_events(c)
        if c.status == CaseStatus.REFERRAL or c.opened_on is None:
            return
        last_day, as_of = self.ctx.last_day, self.ctx.as_of
        last = min(c.closed_on, last_day) if c.closed_on else last_day
        first = c.start.date()
        old = c.closed_on is not None and (as_of - c.closed_on).days > OLD_CLOSED_DAYS
        outcomes = self.plans.outcome_texts(c)
        assessments = self.assessments.plan_for(c, keys, first, last, old)
        plan_start = last
        for a in assessments:
            signer = self.assessments.write(c, a, keys, outcomes, last)
            if a is assessments[0]:
                plan_start = a.signed if signer and a.signed else min(a.started + timedelta(days=14), last)
                plan_start = max(plan_start, first)
        if old:
            return
        self.plans.write(c, keys, outcomes, plan_start, last)

    def _allocation_events(self, c: CasePlan) -> None:
        leader = c.team.leader
        assert leader is not None
        for i, r in enumerate(c.rows):
            if r.worker is not None:
                subject = f"Allocated to {r.worker.display_name}"
            elif i == 0:
                subject = "Waiting in the unallocated queue"
            else:
                subject = "Returned to the unallocated queue"
            self.ctx.event(c, leader, r.at, subject, r.reason)
