"""Plans: the outcomes a person wants, actions towards each (owned by the worker, a
para-professional, the person, their carer or a provider), and the reviews that rate each
outcome, at the intervals the service area or the legal status sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from casework.models import OutcomeRating, PlanAction, PlanOutcome, PlanReview
from casework.synthetic.care.context import CareContext
from casework.synthetic.care.people import Key, wording
from casework.synthetic.care.words import (
    OUTCOMES,
    PLAN_ACTIONS,
    PROGRESS,
    RATING_COMMENTS,
    REVIEW_NAME,
    REVIEW_NAME_BY_LEGAL,
    REVIEW_PLACES,
)
from casework.synthetic.draws import new_id, weighted
from casework.synthetic.plan import CasePlan
from casework.synthetic.rows import synced
from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.vocab import KeyPersonKind, LegalStatus
from casework.vocab import OutcomeRating as Rating

MAX_REVIEWS = 8
# Who owns a plan action, weighted by service area.
_OWNERS = {
    ADULT: (("worker", 35), ("para", 15), ("person", 15), ("carer", 15), ("provider", 20)),
    CHILDREN: (("worker", 35), ("para", 10), ("person", 10), ("carer", 25), ("provider", 20)),
    JUSTICE: (("worker", 40), ("para", 5), ("person", 40), ("carer", 0), ("provider", 15)),
    MENTAL_HEALTH: (("worker", 30), ("para", 10), ("person", 25), ("carer", 10), ("provider", 25)),
}
# Review intervals in days, the usual first: six-monthly for adults and mental health,
# three-monthly for child protection and justice orders.
_INTERVALS = {ADULT: (182, 91, 365), CHILDREN: (182, 91), JUSTICE: (91, 182), MENTAL_HEALTH: (182, 91, 365)}
_INTERVALS_BY_LEGAL = {LegalStatus.CHILD_PROTECTION_PLAN: (91, 182),
                       LegalStatus.COMPULSORY_TREATMENT_ORDER: (182, 91)}


@dataclass(eq=False, slots=True)
class _Outcome:
    id: str
    text: str
    progress: float
    ended: date | None = None


class Plans:
    def __init__(self, ctx: CareContext):
        self.ctx = ctx

    def outcome_texts(self, c: CasePlan) -> list[str]:
        rng, area = self.ctx.rng, c.team.area
        n = weighted(rng, ((1, 15), (2, 35), (3, 35), (4, 15)))
        texts = rng.sample(OUTCOMES[area], n)
        if area == CHILDREN and c.legal == LegalStatus.CHILD_PROTECTION_PLAN and "To feel safe at home" not in texts:
            texts[0] = "To feel safe at home"
        return texts

    def write(self, c: CasePlan, keys: list[Key], texts: list[str], start: date, last: date) -> None:
        rng, team = self.ctx.rng, c.team
        start = min(max(start, c.start.date()), last)
        outcomes = [_Outcome(new_id(rng), t, rng.uniform(0.05, 0.5)) for t in texts]
        reviews = self._review_days(c, start, last)
        # Ratings first (they decide which outcomes ended), then the rows parents first.
        ratings: list[list[tuple[_Outcome, Rating, int, str]]] = []
        for i, (held, _next) in enumerate(reviews):
            final = c.closed_on is not None and i == len(reviews) - 1
            rated = []
            for o in outcomes:
                if o.ended is not None:
                    continue
                o.progress = min(1.0, max(0.0, o.progress + rng.uniform(-0.1, 0.35) + (0.2 if final else 0)))
                rating, score = _rate(rng, o.progress)
                rated.append((o, rating, score, rng.choice(RATING_COMMENTS[rating]).format(name=c.person.given)))
            ratings.append(rated)
            still_open = sum(o.ended is None for o in outcomes)
            for o, rating, _, _ in rated:
                if (rating == Rating.MET and not final and i < len(reviews) - 1 and still_open > 1
                        and rng.random() < 0.3):
                    o.ended, still_open = held, still_open - 1
        if c.closed_on is not None:
            for o in outcomes:
                o.ended = o.ended or c.closed_on
        by = self.ctx.holder(c, start) or team.leader
        assert by is not None
        created = self.ctx.when(c, start)
        for pos, o in enumerate(outcomes, 1):
            self.ctx.add(PlanOutcome, synced(o.id, team.id, created, by.id) | {
                "case_id": c.id, "position": pos, "description": o.text, "ended_on": o.ended})
        for o in outcomes:
            days = [start] + [d for d, _ in reviews if o.ended is None or d <= o.ended]
            self._actions(c, o, keys, days, last)
        for (held, nxt), rated in zip(reviews, ratings):
            self._review(c, held, nxt, rated, keys)

    def _review_days(self, c: CasePlan, start: date, last: date) -> list[tuple[date, date | None]]:
        """(held on, next review) pairs, oldest first. A live case's latest review set the
        case's next review date; a closed case's last review was just before it closed."""
        rng = self.ctx.rng
        intervals = _INTERVALS_BY_LEGAL.get(c.legal) or _INTERVALS[c.team.area]
        earliest = start + timedelta(days=28)
        if c.closed_on is None:
            nxt = c.next_review_on
            assert nxt is not None
            interval = next((i for i in intervals if earliest <= nxt - timedelta(days=i) <= last), None)
            if interval is None:
                return []  # no review yet: the next one is the first
            days = [(nxt - timedelta(days=interval), nxt)]
        else:
            interval = intervals[0]
            held = max(c.closed_on - timedelta(days=rng.randint(0, 14)), start + timedelta(days=1))
            if held > last:
                return []
            days = [(held, None)]
        while len(days) < MAX_REVIEWS:
            held = days[0][0] - timedelta(days=interval + rng.randint(-10, 21))
            if held < earliest:
                break
            days.insert(0, (held, held + timedelta(days=interval)))
        return days

    def _actions(self, c: CasePlan, o: _Outcome, keys: list[Key], set_days: list[date], last: date) -> None:
        rng, area, team = self.ctx.rng, c.team.area, c.team
        carer = next((k for k in keys if k.kind != KeyPersonKind.PROFESSIONAL and (k.carer or k.lives_with)), None)
        fmt = wording(c, carer, None)
        assert c.person.date_of_birth is not None
        age = (set_days[0] - c.person.date_of_birth).days // 365
        for _ in range(weighted(rng, ((1, 45), (2, 40), (3, 15)))):
            owner = weighted(rng, _OWNERS[area])
            if owner == "person" and area == CHILDREN and age < 8:
                owner = "carer"
            if (owner == "para" and not team.paras) or (owner == "carer" and carer is None):
                owner = "worker"
            set_on = set_days[-1] if len(set_days) > 1 and rng.random() < 0.4 else rng.choice(set_days)
            staff_id = None
            if owner == "provider":
                owner_name, text = rng.choice(PLAN_ACTIONS[area]["provider"])
            else:
                text = rng.choice(PLAN_ACTIONS[area][owner])
                if owner == "worker":
                    m = self.ctx.holder(c, set_on) or team.leader
                    assert m is not None
                    staff_id, owner_name = m.id, m.display_name
                elif owner == "para":
                    m = rng.choice(team.paras)
                    staff_id, owner_name = m.id, m.display_name
                elif owner == "carer":
                    assert carer is not None
                    owner_name = carer.owner
                else:
                    owner_name = c.person.given
            due = set_on + timedelta(days=rng.randint(14, 120))
            done = None
            if due <= last and (c.closed_on is not None or rng.random() < 0.75):
                if c.closed_on is None or rng.random() < 0.88:
                    done = min(max(due + timedelta(days=rng.randint(-14, 10)), set_on), last)
            elif due > last and rng.random() < 0.15 and set_on < last:
                done = set_on + timedelta(days=rng.randint(1, (last - set_on).days))
            if o.ended is not None and done is None and c.closed_on is None:
                done = min(o.ended, last)
            by = self.ctx.holder(c, set_on) or team.leader
            assert by is not None
            self.ctx.add(PlanAction, synced(new_id(rng), team.id, self.ctx.when(c, done or set_on), by.id) | {
                "outcome_id": o.id, "description": text.format(**fmt), "owner_staff_id": staff_id,
                "owner_name": owner_name[:200], "due_on": due, "done_on": done,
            })

    def _review(self, c: CasePlan, held: date, nxt: date | None,
                rated: list[tuple[_Outcome, Rating, int, str]], keys: list[Key]) -> None:
        rng, team, name = self.ctx.rng, c.team, c.person.given
        reviewer = self.ctx.holder(c, held) or team.leader
        assert reviewer is not None
        at = self.ctx.when(c, held)
        overall = _overall([r for _, r, _, _ in rated])
        carer = next((k for k in keys if k.carer), None)
        with_whom = f"{name} and {carer.given} ({carer.relation})" if carer and rng.random() < 0.6 else name
        meeting = REVIEW_NAME_BY_LEGAL.get(c.legal) or REVIEW_NAME[team.area]
        summary = (f"{meeting} with {with_whom}, {rng.choice(REVIEW_PLACES)}. "
                   f"{PROGRESS[overall].format(name=name)}")
        if nxt is None:
            summary += " Final review: involvement is ending."
        rid = new_id(rng)
        self.ctx.add(PlanReview, synced(rid, team.id, at, reviewer.id) | {
            "case_id": c.id, "held_on": held, "reviewer_id": reviewer.id, "summary": summary,
            "next_review_on": nxt})
        for o, rating, score, comment in rated:
            self.ctx.add(OutcomeRating, synced(new_id(rng), team.id, at, reviewer.id) | {
                "review_id": rid, "outcome_id": o.id, "rating": rating.value, "score": score,
                "comment": comment})
        met = sum(r == Rating.MET for _, r, _, _ in rated)
        body = f"{meeting} held by {reviewer.display_name}: {met} of {len(rated)} outcomes met."
        body += f" Next review {nxt.day} {nxt:%B %Y}." if nxt else " Final review before closing."
        self.ctx.event(c, reviewer, at, "Review held", body)


def _rate(rng: Random, progress: float) -> tuple[Rating, int]:
    """A rating and a score that agree: met 4–5, partly met 2–4, not met 1–2."""
    if progress >= 0.7:
        return Rating.MET, 5 if progress >= 0.88 else 4
    if progress >= 0.3:
        return Rating.PARTLY_MET, min(4, 2 + int((progress - 0.3) / 0.4 * 3))
    return Rating.NOT_MET, 1 if progress < 0.15 else 2


def _overall(ratings: Sequence[Rating]) -> Rating:
    if not ratings:
        return Rating.PARTLY_MET
    met = sum(r == Rating.MET for r in ratings)
    not_met = sum(r == Rating.NOT_MET for r in ratings)
    if met * 2 > len(ratings):
        return Rating.MET
    return Rating.NOT_MET if not_met * 2 > len(ratings) else Rating.PARTLY_MET
