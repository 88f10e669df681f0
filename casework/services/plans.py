"""Plans: personal outcomes, actions and reviews.

A case's plan is a list of the outcomes the person wants, each with the actions towards it
(who, by when, done). A review rates every live outcome — met, partly met or not met, with a
score from 1 to 5 and a comment — and sets the next review date, which the caseloads show
as due or overdue. Outcomes, not activity counts, are what teams report.

A rating and its score must agree (`dto.RATING_SCORES`): "met" is scored 4 or 5, "partly
met" 2 to 4, "not met" 1 or 2. The bands share their edges so that a borderline judgement
is never refused, while a contradiction ("met", scored 1) always is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from casework import permissions as perm
from casework.errors import ValidationError
from casework.models import Case, OutcomeRating, PlanAction, PlanOutcome, PlanReview, Staff
from casework.models.base import new_id
from casework import dto
from casework.fields import Description, Id, Version
from casework.services.base import Service, live_row, same_version
from casework.timeutil import show_date
from casework.vocab import CaseStatus
from casework.vocab import OutcomeRating as Rating

# Who may own an action as a member of staff: the case team's practitioners and
# para-professionals (anyone else is named in words).
OWNER_ROLES = perm.PRACTITIONER_ROLES | {perm.Role.PARA_PROFESSIONAL}

_STALE = ("Someone else changed this plan since you opened it; nothing was saved. "
          "Reopen it to see their changes.")


def rating_problem(rating: str, score: int) -> str | None:
    """Why a rating and a score contradict each other, or None when they agree."""
    try:
        label = Rating(rating).label.lower()
    except ValueError:
        return "choose met, partly met or not met"
    if not 1 <= score <= 5:
        return "the score must be from 1 to 5"
    low, high = dto.RATING_SCORES[rating]
    if not low <= score <= high:
        return (f"\"{label}\" goes with a score from {low} to {high}; a score of {score} "
                f"says otherwise — change the rating or the score")
    return None


class PlanService(Service):
    # -- reading ------------------------------------------------------------------------

    def plan(self, case_id: Id) -> dto.PlanInfo:
        with self._read() as s:
            _actor, c = self._case_to_read(s, case_id, "view_plan")
            return _plan(s, c)

    def owners(self, case_id: Id) -> tuple[dto.StaffChoice, ...]:
        """The members of staff an action on this case may be given to."""
        with self._read() as s:
            _actor, c = self._case_to_work_on(s, case_id, "update_plan")
            if c.team_id is None:
                return ()
            rows = s.execute(
                select(Staff.id, Staff.display_name, Staff.role)
                .where(Staff.team_id == c.team_id, Staff.active.is_(True),
                       Staff.deleted_at.is_(None),
                       Staff.role.in_([r.value for r in OWNER_ROLES]))
                .order_by(Staff.display_name, Staff.id))
            return tuple(dto.StaffChoice(i, n, perm.Role(r)) for i, n, r in rows)

    # -- outcomes -----------------------------------------------------------------------

    def add_outcome(self, case_id: Id, description: Description) -> dto.OutcomeInfo:
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "add_outcome")
            _live_case(c)
            text = _description(description)
            last = s.scalar(select(func.max(PlanOutcome.position))
                            .where(PlanOutcome.case_id == c.id)) or 0
            o = PlanOutcome(id=new_id(), team_id=c.team_id, case_id=c.id, position=last + 1,
                            description=text)
            self._touch(o, actor)
            s.add(o)
            s.flush()
            self._ctx.audit(s, actor, "add_outcome", entity_type="plan_outcome",
                            entity_id=o.id, detail={"case_id": c.id})
            info = _outcome_info(s, o)
        self._ctx.publish("plan", c.id, o.id)
        return info

    def update_outcome(self, outcome_id: Id, description: Description,
                       expected_version: Version) -> dto.OutcomeInfo:
        with self._write() as s:
            actor, c, o = self._outcome_to_change(s, outcome_id, expected_version, "update_outcome")
            if o.ended_on is not None:
                raise ValidationError("description", "this outcome has ended; it is kept as "
                                      "it was reviewed")
            text = _description(description)
            if text != o.description:
                o.description = text
                self._touch(o, actor)
                self._ctx.audit(s, actor, "update_outcome", entity_type="plan_outcome",
                                entity_id=o.id, detail={"case_id": c.id})
            s.flush()
            info = _outcome_info(s, o)
        self._ctx.publish("plan", c.id, o.id)
        return info

    def end_outcome(self, outcome_id: Id, expected_version: Version) -> dto.OutcomeInfo:
        """End an outcome that was achieved or is no longer wanted; it stays on the record
        with its actions and ratings, and later reviews no longer rate it."""
        with self._write() as s:
            actor, c, o = self._outcome_to_change(s, outcome_id, expected_version, "end_outcome")
            if o.ended_on is not None:
                raise ValidationError("ended_on", f"this outcome ended on {show_date(o.ended_on)}")
            o.ended_on = self._ctx.today()
            self._touch(o, actor)
            self._ctx.audit(s, actor, "end_outcome", entity_type="plan_outcome",
                            entity_id=o.id, detail={"case_id": c.id})
            s.flush()
            info = _outcome_info(s, o)
        self._ctx.publish("plan", c.id, o.id)
        return info

    # -- actions ------------------------------------------------------------------------

    def add_action(self, outcome_id: Id, data: dto.ActionInput) -> dto.PlanActionInfo:
        with self._write() as s:
            o = _outcome(s, outcome_id)
            actor, c = self._case_to_work_on(s, o.case_id, "add_plan_action")
            _live_case(c)
            if o.ended_on is not None:
                raise ValidationError("outcome_id", "this outcome has ended; add actions to a "
                                      "live one")
            clean = self._action_fields(s, c, data, previous_due=None)
            a = PlanAction(id=new_id(), team_id=c.team_id, outcome_id=o.id, done_on=None,
                           **clean)
            self._touch(a, actor)
            s.add(a)
            s.flush()
            self._ctx.audit(s, actor, "add_plan_action", entity_type="plan_action",
                            entity_id=a.id, detail={"case_id": c.id, "outcome_id": o.id})
            info = _action_info(a)
        self._ctx.publish("plan", c.id, a.id)
        return info

    def update_action(self, action_id: Id, data: dto.ActionInput,
                      expected_version: Version) -> dto.PlanActionInfo:
        with self._write() as s:
            actor, c, a = self._action_to_change(s, action_id, expected_version, "update_plan_action")
            if a.done_on is not None:
                raise ValidationError("description", f"this action was done on "
                                      f"{show_date(a.done_on)}; it is kept as it was")
            clean = self._action_fields(s, c, data, previous_due=a.due_on)
            changed = [k for k, v in clean.items() if getattr(a, k) != v]
            for k in changed:
                setattr(a, k, clean[k])
            if changed:
                self._touch(a, actor)
                self._ctx.audit(s, actor, "update_plan_action", entity_type="plan_action",
                                entity_id=a.id, detail={"case_id": c.id, "changed": changed})
            s.flush()
            info = _action_info(a)
        self._ctx.publish("plan", c.id, a.id)
        return info

    def complete_action(self, action_id: Id, done_on: date | None,
                        expected_version: Version) -> dto.PlanActionInfo:
        with self._write() as s:
            actor, c, a = self._action_to_change(s, action_id, expected_version, "complete_plan_action")
            if a.done_on is not None:
                raise ValidationError("done_on", f"already done on {show_date(a.done_on)}")
            if done_on is None:
                raise ValidationError("done_on", "say when it was done")
            if done_on > self._ctx.today():
                raise ValidationError("done_on", "must not be in the future")
            a.done_on = done_on
            self._touch(a, actor)
            self._ctx.audit(s, actor, "complete_plan_action", entity_type="plan_action",
                            entity_id=a.id, detail={"case_id": c.id,
                                                    "done_on": done_on.isoformat()})
            s.flush()
            info = _action_info(a)
        self._ctx.publish("plan", c.id, a.id)
        return info

    # -- reviews ------------------------------------------------------------------------

    def set_next_review(self, case_id: Id, next_review_on: date | None,
                        expected_version: Version) -> dto.PlanInfo:
        """Move the next review date (the caseloads show it as due or overdue)."""
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "set_next_review")
            _live_case(c)
            _same_case_version(c, expected_version)
            if next_review_on is None:
                raise ValidationError("next_review_on", "choose a date")
            if next_review_on < self._ctx.today():
                raise ValidationError("next_review_on", "must not be in the past")
            if next_review_on != c.next_review_on:
                previous = c.next_review_on
                c.next_review_on = next_review_on
                self._touch(c, actor)
                self._ctx.audit(s, actor, "set_next_review", entity_type="case",
                                entity_id=c.id, detail={
                                    "from": previous.isoformat() if previous else None,
                                    "to": next_review_on.isoformat()})
            s.flush()
            info = _plan(s, c)
        self._ctx.publish("plan", c.id)
        return info

    def record_review(self, case_id: Id, data: dto.ReviewInput,
                      expected_version: Version) -> dto.ReviewInfo:
        """Record a review held on a date: every live outcome rated, a summary, and the
        next review date, which becomes the case's."""
        today = self._ctx.today()
        with self._write() as s:
            actor, c = self._case_to_work_on(s, case_id, "record_review")
            _live_case(c)
            _same_case_version(c, expected_version)
            live = {o.id: o for o in s.scalars(
                select(PlanOutcome).where(PlanOutcome.case_id == c.id,
                                          PlanOutcome.ended_on.is_(None),
                                          PlanOutcome.deleted_at.is_(None))
                .order_by(PlanOutcome.position))}
            problems = self._review_problems(s, c, data, live, today)
            if problems:
                raise ValidationError.of(problems)
            review = PlanReview(id=new_id(), team_id=c.team_id, case_id=c.id,
                                held_on=data.held_on, reviewer_id=actor.id,
                                summary=data.summary.strip(),
                                next_review_on=data.next_review_on)
            self._touch(review, actor)
            s.add(review)
            s.flush()
            for r in data.ratings:
                row = OutcomeRating(id=new_id(), team_id=c.team_id, review_id=review.id,
                                    outcome_id=r.outcome_id, rating=r.rating, score=r.score,
                                    comment=r.comment.strip())
                self._touch(row, actor)
                s.add(row)
            c.next_review_on = data.next_review_on
            self._touch(c, actor)
            counts = [(Rating.MET, "met"), (Rating.PARTLY_MET, "partly met"),
                      (Rating.NOT_MET, "not met")]
            said = ", ".join(f"{n} {words}" for rating, words in counts
                             if (n := sum(1 for r in data.ratings if r.rating == rating)))
            note = self._chronology_event(
                s, actor, c, f"Review held: {said}" if said else "Review held",
                f"Held on {show_date(data.held_on)}. {data.summary.strip()}\n\n"
                f"Next review: {show_date(data.next_review_on)}.")
            self._ctx.audit(s, actor, "record_review", entity_type="plan_review",
                            entity_id=review.id, detail={
                                "case_id": c.id, "held_on": data.held_on.isoformat(),
                                "next_review_on": data.next_review_on.isoformat(),
                                "ratings": {r.outcome_id: r.rating for r in data.ratings}})
            s.flush()
            info = _reviews(s, c.id, review_id=review.id)[0]
        self._ctx.publish("plan", c.id, review.id)
        self._ctx.publish("note", c.id, note.id)
        return info

    def _review_problems(self, s: Session, c: Case, d: dto.ReviewInput,
                         live: dict[str, PlanOutcome], today: date) -> dict[str, str]:
        p: dict[str, str] = {}
        if d.held_on is None:
            p["held_on"] = "say when the review was held"
        elif d.held_on > today:
            p["held_on"] = "must not be in the future"
        else:
            last = s.scalar(select(func.max(PlanReview.held_on))
                            .where(PlanReview.case_id == c.id, PlanReview.deleted_at.is_(None)))
            if last is not None and d.held_on < last:
                p["held_on"] = (f"must not be before the last review ({show_date(last)}): "
                                f"the newest review sets the next review date")
        summary = (d.summary or "").strip()
        if not summary:
            p["summary"] = "say what the review concluded"
        if d.next_review_on is None:
            p["next_review_on"] = "choose the date of the next review"
        elif d.held_on is not None and d.next_review_on <= d.held_on:
            p["next_review_on"] = "must be after the review was held"
        elif d.next_review_on < today:
            p["next_review_on"] = "must not be in the past"
        seen: set[str] = set()
        for r in d.ratings:
            key = f"rating:{r.outcome_id}"
            if r.outcome_id not in live:
                p[key] = "is not a live outcome of this plan"
                continue
            if r.outcome_id in seen:
                p[key] = "is rated twice"
                continue
            seen.add(r.outcome_id)
            problem = rating_problem(r.rating, r.score)
            if problem is None and not (r.comment or "").strip():
                problem = "add a comment on how far it was met"
            if problem:
                p[key] = problem
        missing = [o for oid, o in live.items() if oid not in seen]
        for o in missing:
            p.setdefault(f"rating:{o.id}", "rate this outcome: every live outcome is rated "
                                           "at a review")
        if missing:
            p["ratings"] = (f"every live outcome is rated at a review; {len(missing)} "
                            f"{'is' if len(missing) == 1 else 'are'} not")
        return p

    # -- checks -------------------------------------------------------------------------

    def _outcome_to_change(self, s: Session, outcome_id: str, expected_version: int,
                           action: str) -> tuple[perm.Actor, Case, PlanOutcome]:
        """The actor, the case and the outcome, when the actor may change it: on a live
        case, at the version they read (refused and audited as `action`, or stale)."""
        o = _outcome(s, outcome_id)
        actor, c = self._case_to_work_on(s, o.case_id, action)
        _live_case(c)
        same_version(o, expected_version, _STALE)
        return actor, c, o

    def _action_to_change(self, s: Session, action_id: str, expected_version: int,
                          action: str) -> tuple[perm.Actor, Case, PlanAction]:
        """As `_outcome_to_change`, for an action towards one of the case's outcomes."""
        a = _action(s, action_id)
        actor, c = self._case_to_work_on(s, _outcome(s, a.outcome_id).case_id, action)
        _live_case(c)
        same_version(a, expected_version, _STALE)
        return actor, c, a

    def _action_fields(self, s: Session, c: Case, d: dto.ActionInput,
                       previous_due: date | None) -> dict:
        p: dict[str, str] = {}
        text = (d.description or "").strip()
        if not text:
            p["description"] = "say what will be done"
        owner_name = (d.owner_name or "").strip()
        if d.owner_staff_id:
            st = s.get(Staff, d.owner_staff_id)
            if (st is None or not st.active or st.deleted_at is not None
                    or st.team_id != c.team_id or st.role not in OWNER_ROLES):
                p["owner_staff_id"] = "must be an active member of the case's team"
            else:
                owner_name = st.display_name  # kept with the action, as it was then
        elif not owner_name:
            p["owner_name"] = "say who will do it: a member of staff, or someone named"
        # A new due date in the past would be overdue the moment it is saved.
        if d.due_on is not None and d.due_on != previous_due and d.due_on < self._ctx.today():
            p["due_on"] = "must not be in the past"
        if p:
            raise ValidationError.of(p)
        return dict(description=text, owner_staff_id=d.owner_staff_id or None,
                    owner_name=owner_name, due_on=d.due_on)


# -- reading the plan ---------------------------------------------------------------------

# The plan's reads, built once (column rows, not ORM objects: the plan tab reads them all).
_OUTCOMES = (
    select(PlanOutcome.id, PlanOutcome.position, PlanOutcome.description, PlanOutcome.ended_on,
           PlanOutcome.row_version)
    .where(PlanOutcome.case_id == bindparam("case_id"), PlanOutcome.deleted_at.is_(None))
    .order_by(PlanOutcome.position, PlanOutcome.id)
)
_ACTIONS = (
    select(PlanAction.id, PlanAction.outcome_id, PlanAction.description,
           PlanAction.owner_staff_id, PlanAction.owner_name, PlanAction.due_on,
           PlanAction.done_on, PlanAction.row_version)
    .where(PlanAction.outcome_id.in_(bindparam("outcome_ids", expanding=True)),
           PlanAction.deleted_at.is_(None))
    # Open actions first, soonest due first; done ones after.
    .order_by(PlanAction.done_on.is_not(None), PlanAction.due_on.is_(None),
              PlanAction.due_on, PlanAction.done_on, PlanAction.id)
)
_REVIEWS = (
    select(PlanReview.id, PlanReview.held_on, PlanReview.reviewer_id, Staff.display_name,
           PlanReview.summary, PlanReview.next_review_on)
    .join(Staff, Staff.id == PlanReview.reviewer_id)
    .where(PlanReview.case_id == bindparam("case_id"), PlanReview.deleted_at.is_(None))
    .order_by(PlanReview.held_on.desc(), PlanReview.updated_at.desc(), PlanReview.id)
)
_ONE_REVIEW = _REVIEWS.where(PlanReview.id == bindparam("review_id"))
_RATINGS = (
    select(OutcomeRating.review_id, OutcomeRating.outcome_id, PlanOutcome.description,
           OutcomeRating.rating, OutcomeRating.score, OutcomeRating.comment)
    .join(PlanOutcome, PlanOutcome.id == OutcomeRating.outcome_id)
    .where(OutcomeRating.review_id.in_(bindparam("review_ids", expanding=True)),
           OutcomeRating.deleted_at.is_(None))
    .order_by(PlanOutcome.position, PlanOutcome.id)
)


def _plan(s: Session, c: Case) -> dto.PlanInfo:
    reviews = _reviews(s, c.id)
    latest: dict[str, tuple[dto.RatingInfo, date]] = {}
    for review in reversed(reviews):  # oldest first: later reviews overwrite
        for r in review.ratings:
            latest[r.outcome_id] = (r, review.held_on)
    outcomes = s.connection().execute(_OUTCOMES, {"case_id": c.id}).all()
    actions = _actions_by_outcome(s, [o[0] for o in outcomes])
    infos = [dto.OutcomeInfo(o_id, position, description, ended_on, actions.get(o_id, ()),
                             *(latest.get(o_id) or (None, None)), row_version)
             for o_id, position, description, ended_on, row_version in outcomes]
    ended = sorted((o for o in infos if o.ended_on is not None),
                   key=lambda o: (o.ended_on, o.position), reverse=True)
    return dto.PlanInfo(
        case_id=c.id, case_reference=c.reference, case_status=c.status,
        outcomes=tuple(o for o in infos if o.ended_on is None), ended_outcomes=tuple(ended),
        reviews=reviews, next_review_on=c.next_review_on, case_row_version=c.row_version)


def _actions_by_outcome(s: Session, outcome_ids: list[str]) -> dict[str, tuple]:
    grouped: dict[str, list[dto.PlanActionInfo]] = {}
    if not outcome_ids:
        return {}
    s.flush()  # read on the connection: let it see what this session has pending
    for row in s.connection().execute(_ACTIONS, {"outcome_ids": outcome_ids}).all():
        grouped.setdefault(row[1], []).append(dto.PlanActionInfo(*row))
    return {k: tuple(v) for k, v in grouped.items()}


def _outcome_info(s: Session, o: PlanOutcome, actions: tuple | None = None,
                  latest: tuple[dto.RatingInfo, date] | None = None) -> dto.OutcomeInfo:
    if actions is None:
        actions = _actions_by_outcome(s, [o.id]).get(o.id, ())
        latest = _latest_rating(s, o)
    rating, rated_on = latest if latest else (None, None)
    return dto.OutcomeInfo(o.id, o.position, o.description, o.ended_on, actions, rating,
                           rated_on, o.row_version)


def _latest_rating(s: Session, o: PlanOutcome) -> tuple[dto.RatingInfo, date] | None:
    row = s.execute(
        select(OutcomeRating.rating, OutcomeRating.score, OutcomeRating.comment,
               PlanReview.held_on)
        .join(PlanReview, PlanReview.id == OutcomeRating.review_id)
        .where(OutcomeRating.outcome_id == o.id, OutcomeRating.deleted_at.is_(None),
               PlanReview.deleted_at.is_(None))
        .order_by(PlanReview.held_on.desc(), PlanReview.updated_at.desc())
        .limit(1)).first()
    if row is None:
        return None
    return dto.RatingInfo(o.id, o.description, row[0], row[1], row[2]), row[3]


def _reviews(s: Session, case_id: str, review_id: str | None = None) -> tuple[dto.ReviewInfo, ...]:
    s.flush()  # read on the connection: let it see what this session has pending
    run = s.connection().execute
    reviews = (run(_REVIEWS, {"case_id": case_id}) if review_id is None else
               run(_ONE_REVIEW, {"case_id": case_id, "review_id": review_id})).all()
    ratings: dict[str, list[dto.RatingInfo]] = {}
    if reviews:
        for review, *rating in run(_RATINGS, {"review_ids": [r[0] for r in reviews]}).all():
            ratings.setdefault(review, []).append(dto.RatingInfo(*rating))
    return tuple(dto.ReviewInfo(*r, tuple(ratings.get(r[0], ()))) for r in reviews)


def _action_info(a: PlanAction) -> dto.PlanActionInfo:
    return dto.PlanActionInfo(a.id, a.outcome_id, a.description, a.owner_staff_id,
                              a.owner_name, a.due_on, a.done_on, a.row_version)


# -- small rules --------------------------------------------------------------------------

def _outcome(s: Session, outcome_id: str) -> PlanOutcome:
    return live_row(s, PlanOutcome, outcome_id, "outcome")


def _action(s: Session, action_id: str) -> PlanAction:
    return live_row(s, PlanAction, action_id, "action")


def _live_case(c: Case) -> None:
    if c.status == CaseStatus.CLOSED:
        raise ValidationError("case", "the case is closed; its plan is kept as it was")


def _description(description: str) -> str:
    text = (description or "").strip()
    if not text:
        raise ValidationError("description", "say what the person wants to achieve")
    return text



def _same_case_version(c: Case, expected: int) -> None:
    same_version(c, expected, "Someone else changed this case since you opened it; nothing "
                 "was saved. Reload the plan and try again.")
