"""Plans as every role: outcomes in order with their actions, reviews that rate every live
outcome (a rating and its score agree), the next review date the caseloads show."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.errors import Conflict, ValidationError
from casework.events import Changed
from casework.models import (
    AuditEvent,
    Case,
    CaseNote,
    OutcomeRating,
    PlanAction,
    PlanOutcome,
    PlanReview,
)
from casework import dto
from casework.services.plans import rating_problem
from refusals import assert_refused
from service_world import TODAY

NOWAK = "Łukasz Nowak"


def refusals(world) -> list[tuple[str, str]]:
    with world.ws.db.read() as s:
        return [(e.action, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused").order_by(AuditEvent.seq))]


def count(world, model) -> int:
    with world.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def case_version(world, name: str = NOWAK) -> int:
    with world.ws.db.read() as s:
        return s.get(Case, world.cases[name]).row_version


@pytest.fixture
def events(world):
    seen: list[Changed] = []
    world.ws.bus.subscribe(seen.append)
    return seen


@pytest.fixture
def planned(world):
    """Łukasz Nowak's plan: two outcomes, the first with two actions."""
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    home = me.plans.add_outcome(cid, "Stay living at home with the dog")
    club = me.plans.add_outcome(cid, "Get back to the Tuesday lunch club")
    me.plans.add_action(home.id, dto.ActionInput(
        "Arrange evening visits", owner_staff_id=world.staff["pp.north"].id,
        due_on=TODAY + timedelta(days=7)))
    me.plans.add_action(home.id, dto.ActionInput("Ask about a key safe", owner_name="Ola Nowak"))
    return me, cid, home, club


def review(plan: dto.PlanInfo, *ratings, held=TODAY, next_in=90, summary="Going well.",
           ) -> dto.ReviewInput:
    return dto.ReviewInput(
        held_on=held, summary=summary,
        ratings=tuple(dto.RatingInput(o.id, r, score, comment)
                      for o, (r, score, comment) in zip(plan.outcomes, ratings)),
        next_review_on=held + timedelta(days=next_in))


# -- outcomes and actions ---------------------------------------------------------------

def test_the_plan_lists_outcomes_in_order_with_their_actions(world, events, planned):
    me, cid, home, club = planned
    plan = me.plans.plan(cid)
    assert [o.description for o in plan.outcomes] == [
        "Stay living at home with the dog", "Get back to the Tuesday lunch club"]
    assert [o.position for o in plan.outcomes] == [1, 2]
    visits, safe = plan.outcomes[0].actions
    assert (visits.description, visits.owner_name, visits.owner_staff_id) == (
        "Arrange evening visits", "Pp North", world.staff["pp.north"].id)
    assert (safe.owner_name, safe.owner_staff_id, safe.due_on) == ("Ola Nowak", None, None)
    assert plan.outcomes[1].actions == () and plan.outcomes[0].latest_rating is None
    assert plan.reviews == () and plan.ended_outcomes == ()
    assert plan.next_review_on == TODAY + timedelta(days=10) and plan.case_reference == "CW-000002"
    assert Changed("plan", (cid, home.id)) in events
    with world.ws.db.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.outcome == "done",
                                                            AuditEvent.actor_name == "Sw North"))
        assert [a for a in actions if a != "login"] == ["add_outcome", "add_outcome", "add_plan_action",
                                 "add_plan_action"]


def test_outcomes_are_edited_and_ended_with_locking(world, planned):
    me, cid, home, club = planned
    edited = me.plans.update_outcome(club.id, "Lunch club on Tuesdays and Fridays",
                                     club.row_version)
    assert edited.description == "Lunch club on Tuesdays and Fridays"
    with pytest.raises(Conflict):
        me.plans.update_outcome(club.id, "Stale", club.row_version)
    ended = me.plans.end_outcome(club.id, edited.row_version)
    assert ended.ended_on == TODAY
    plan = me.plans.plan(cid)
    assert [o.id for o in plan.outcomes] == [home.id]
    assert [o.id for o in plan.ended_outcomes] == [club.id]
    with pytest.raises(ValidationError) as e:
        me.plans.end_outcome(club.id, ended.row_version)
    assert set(e.value.problems) == {"ended_on"}
    with pytest.raises(ValidationError):
        me.plans.update_outcome(club.id, "Changed after it ended", ended.row_version)
    with pytest.raises(ValidationError) as e:
        me.plans.add_action(club.id, dto.ActionInput("Too late", owner_name="Anyone"))
    assert set(e.value.problems) == {"outcome_id"}
    with pytest.raises(ValidationError) as e:
        me.plans.add_outcome(cid, "   ")
    assert set(e.value.problems) == {"description"}


def test_actions_are_checked_updated_and_completed(world, planned):
    me, cid, home, _club = planned
    add = me.plans.add_action
    for data, fields in [
        (dto.ActionInput("", owner_name="Ola"), {"description"}),
        (dto.ActionInput("Call", owner_name="  "), {"owner_name"}),
        (dto.ActionInput("Call", owner_staff_id=world.staff["sw.south"].id), {"owner_staff_id"}),
        (dto.ActionInput("Call", owner_staff_id=world.staff["admin2"].id), {"owner_staff_id"}),
        (dto.ActionInput("Call", owner_name="Ola", due_on=TODAY - timedelta(days=1)), {"due_on"}),
    ]:
        with pytest.raises(ValidationError) as e:
            add(home.id, data)
        assert set(e.value.problems) == fields, data
    assert count(world, PlanAction) == 2
    action = add(home.id, dto.ActionInput("Book OT visit", owner_staff_id=world.staff["sw.north"].id,
                                          due_on=TODAY + timedelta(days=3)))
    world.clock.advance(days=5)  # now overdue; keeping the same due date is not refused
    moved = me.plans.update_action(action.id, dto.ActionInput(
        "Book OT home visit", owner_staff_id=world.staff["sw.north"].id,
        due_on=action.due_on), action.row_version)
    assert moved.description == "Book OT home visit"
    with pytest.raises(Conflict):
        me.plans.complete_action(action.id, TODAY, action.row_version)
    with pytest.raises(ValidationError) as e:
        me.plans.complete_action(action.id, TODAY + timedelta(days=30), moved.row_version)
    assert set(e.value.problems) == {"done_on"}
    done = me.plans.complete_action(action.id, TODAY + timedelta(days=4), moved.row_version)
    assert done.done_on == TODAY + timedelta(days=4)
    with pytest.raises(ValidationError):
        me.plans.complete_action(action.id, TODAY, done.row_version)
    with pytest.raises(ValidationError):
        me.plans.update_action(action.id, dto.ActionInput("x", owner_name="y"), done.row_version)
    # Open actions first, soonest due first; done ones after.
    assert [a.description for a in me.plans.plan(cid).outcomes[0].actions] == [
        "Arrange evening visits", "Ask about a key safe", "Book OT home visit"]


def test_owners_are_the_case_team_s_staff(world):
    owners = world.login("sw.north").plans.owners(world.cases[NOWAK])
    names = {o.display_name for o in owners}
    assert {"Sw North", "Pp North", "Tl North"} <= names
    assert "Sw South" not in names and "Sm" not in names and "Admin2" not in names


# -- roles --------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["sw.north", "sp.north", "tl.north", "sm", "sw.lapsed"])
def test_the_case_team_and_its_managers_work_on_the_plan(world, username):
    me = world.login(username)
    cid = world.cases[NOWAK]
    o = me.plans.add_outcome(cid, "Walk to the shop")
    me.plans.add_action(o.id, dto.ActionInput("Physio referral", owner_name="GP"))
    plan = me.plans.plan(cid)
    assert [x.description for x in plan.outcomes] == ["Walk to the shop"]
    me.plans.record_review(cid, review(plan, ("partly_met", 3, "Halfway there")),
                           plan.case_row_version)


@pytest.mark.parametrize("username, reason, read_reason", [
    ("pp.north", "role_not_permitted", "role_not_permitted"),
    ("admin", "role_not_permitted", "role_not_permitted"),
    ("admin2", "role_not_permitted", "role_not_permitted"),
    ("sw.south", "outside_team", "outside_team_needs_reason"),
    ("tl.south", "outside_team", "outside_team_needs_reason"),
])
def test_others_are_refused_every_plan_change_audited_nothing_written(
        world, planned, username, reason, read_reason):
    _me, cid, home, club = planned
    plan = world.login("sw.north").plans.plan(cid)
    visits = plan.outcomes[0].actions[0]
    before = [count(world, m) for m in (PlanOutcome, PlanAction, PlanReview, OutcomeRating,
                                       CaseNote)], case_version(world)
    other = world.login(username)
    calls = [
        ("view_plan", read_reason, lambda: other.plans.plan(cid)),
        ("add_outcome", reason, lambda: other.plans.add_outcome(cid, "More")),
        ("update_outcome", reason,
         lambda: other.plans.update_outcome(club.id, "Changed", club.row_version)),
        ("end_outcome", reason, lambda: other.plans.end_outcome(club.id, club.row_version)),
        ("add_plan_action", reason,
         lambda: other.plans.add_action(home.id, dto.ActionInput("x", owner_name="y"))),
        ("update_plan_action", reason, lambda: other.plans.update_action(
            visits.id, dto.ActionInput("x", owner_name="y"), visits.row_version)),
        ("complete_plan_action", reason,
         lambda: other.plans.complete_action(visits.id, TODAY, visits.row_version)),
        ("set_next_review", reason, lambda: other.plans.set_next_review(
            cid, TODAY + timedelta(days=5), plan.case_row_version)),
        ("record_review", reason, lambda: other.plans.record_review(
            cid, review(plan, ("met", 5, "Yes"), ("met", 4, "Yes")), plan.case_row_version)),
    ]
    for action_name, expected, call in calls:
        assert_refused(world, other, call, action_name, expected)
    assert refusals(world) == [(a, r) for a, r, _ in calls]
    after = [count(world, m) for m in (PlanOutcome, PlanAction, PlanReview, OutcomeRating,
                                      CaseNote)], case_version(world)
    assert after == before


# -- reviews ------------------------------------------------------------------------------

def test_a_review_rates_every_live_outcome_and_sets_the_next_date(world, planned, events):
    me, cid, home, club = planned
    plan = me.plans.plan(cid)
    held = TODAY - timedelta(days=2)
    info = me.plans.record_review(cid, review(
        plan, ("met", 5, "Visits in place"), ("partly_met", 3, "Went once"), held=held,
        next_in=92, summary="Good progress."), plan.case_row_version)
    assert (info.held_on, info.reviewer_name, info.summary) == (held, "Sw North", "Good progress.")
    assert [(r.outcome_description, r.rating, r.score) for r in info.ratings] == [
        ("Stay living at home with the dog", "met", 5),
        ("Get back to the Tuesday lunch club", "partly_met", 3)]
    assert info.count("met") == 1 and info.count("not_met") == 0
    plan = me.plans.plan(cid)
    assert plan.next_review_on == held + timedelta(days=92)
    assert [r.id for r in plan.reviews] == [info.id]
    assert plan.outcomes[0].latest_rating.rating == "met"
    assert plan.outcomes[0].latest_rated_on == held
    with world.ws.db.read() as s:
        note = s.scalars(select(CaseNote)).one()
        assert s.get(Case, cid).next_review_on == held + timedelta(days=92)
    assert note.subject == "Review held: 1 met, 1 partly met"
    assert note.note_type == "event" and note.significant
    assert Changed("plan", (cid, info.id)) in events
    assert Changed("note", (cid, note.id)) in events

    # A later review becomes each outcome's latest rating; the history keeps both.
    world.clock.advance(days=30)
    later = me.plans.record_review(cid, review(
        plan, ("met", 4, "Still fine"), ("not_met", 1, "Stopped going"),
        held=TODAY + timedelta(days=30)), plan.case_row_version)
    plan = me.plans.plan(cid)
    assert [r.id for r in plan.reviews] == [later.id, info.id]
    assert plan.outcomes[1].latest_rating.rating == "not_met"


def test_the_caseload_shows_the_date_a_review_set(world, planned):
    me, cid, *_ = planned
    plan = me.plans.plan(cid)
    me.plans.record_review(cid, review(plan, ("met", 5, "a"), ("met", 4, "b"), next_in=40),
                           plan.case_row_version)
    row = next(r for r in me.cases.page(dto.CaseQuery()).rows if r.id == cid)
    assert row.next_review_on == TODAY + timedelta(days=40)


def test_a_review_that_leaves_an_outcome_unrated_is_refused(world, planned):
    me, cid, home, club = planned
    plan = me.plans.plan(cid)
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, review(plan, ("met", 5, "Fine")), plan.case_row_version)
    assert e.value.problems["ratings"] == "every live outcome is rated at a review; 1 is not"
    assert f"rating:{club.id}" in e.value.problems
    assert count(world, PlanReview) == 0 and count(world, CaseNote) == 0


def test_review_dates_summary_and_comments_are_checked_together(world, planned):
    me, cid, home, club = planned
    plan = me.plans.plan(cid)
    bad = dto.ReviewInput(
        held_on=TODAY + timedelta(days=1), summary=" ",
        ratings=(dto.RatingInput(home.id, "met", 1, "Contradiction"),
                 dto.RatingInput(club.id, "partly_met", 3, "  ")),
        next_review_on=TODAY)
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, bad, plan.case_row_version)
    assert set(e.value.problems) == {"held_on", "summary", "next_review_on",
                                     f"rating:{home.id}", f"rating:{club.id}"}
    assert e.value.problems[f"rating:{home.id}"] == (
        "\"met\" goes with a score from 4 to 5; a score of 1 says otherwise — change the "
        "rating or the score")
    assert e.value.problems[f"rating:{club.id}"] == "add a comment on how far it was met"
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, review(plan, ("met", 5, "a"), ("met", 5, "b"),
                                           next_in=-1), plan.case_row_version)
    assert set(e.value.problems) == {"next_review_on"}


def test_rated_twice_or_an_ended_outcome_is_refused(world, planned):
    me, cid, home, club = planned
    plan = me.plans.plan(cid)
    twice = dto.ReviewInput(TODAY, "x", (dto.RatingInput(home.id, "met", 5, "a"),
                                         dto.RatingInput(home.id, "met", 5, "a"),
                                         dto.RatingInput(club.id, "met", 5, "a")),
                            TODAY + timedelta(days=30))
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, twice, plan.case_row_version)
    assert e.value.problems == {f"rating:{home.id}": "is rated twice"}
    ended = me.plans.end_outcome(club.id, club.row_version)
    plan = me.plans.plan(cid)
    stale = dto.ReviewInput(TODAY, "x", (dto.RatingInput(home.id, "met", 5, "a"),
                                         dto.RatingInput(ended.id, "met", 5, "a")),
                            TODAY + timedelta(days=30))
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, stale, plan.case_row_version)
    assert e.value.problems == {f"rating:{club.id}": "is not a live outcome of this plan"}


def test_a_review_before_the_last_one_is_refused(world, planned):
    me, cid, *_ = planned
    plan = me.plans.plan(cid)
    me.plans.record_review(cid, review(plan, ("met", 5, "a"), ("met", 5, "b")),
                           plan.case_row_version)
    plan = me.plans.plan(cid)
    with pytest.raises(ValidationError) as e:
        me.plans.record_review(cid, review(plan, ("met", 5, "a"), ("met", 5, "b"),
                                           held=TODAY - timedelta(days=1)),
                               plan.case_row_version)
    assert set(e.value.problems) == {"held_on"}


def test_a_review_of_a_case_changed_meanwhile_is_a_conflict(world, planned):
    me, cid, *_ = planned
    plan = me.plans.plan(cid)
    me.plans.set_next_review(cid, TODAY + timedelta(days=20), plan.case_row_version)
    with pytest.raises(Conflict):
        me.plans.record_review(cid, review(plan, ("met", 5, "a"), ("met", 5, "b")),
                               plan.case_row_version)
    assert count(world, PlanReview) == 0


def test_setting_the_next_review_date(world, planned, events):
    me, cid, *_ = planned
    plan = me.plans.plan(cid)
    with pytest.raises(ValidationError):
        me.plans.set_next_review(cid, TODAY - timedelta(days=1), plan.case_row_version)
    moved = me.plans.set_next_review(cid, TODAY + timedelta(days=21), plan.case_row_version)
    assert moved.next_review_on == TODAY + timedelta(days=21)
    assert moved.case_row_version > plan.case_row_version
    assert Changed("plan", (cid,)) in events
    with world.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "set_next_review")).one()
    assert json.loads(ev.detail)["to"] == (TODAY + timedelta(days=21)).isoformat()
    with pytest.raises(Conflict):
        me.plans.set_next_review(cid, TODAY + timedelta(days=30), plan.case_row_version)


def test_a_closed_case_s_plan_is_kept_as_it_was(world):
    me = world.login("sw.north")
    cid = world.cases["Ann Closed"]
    with pytest.raises(ValidationError) as e:
        me.plans.add_outcome(cid, "Anything")
    assert set(e.value.problems) == {"case"}
    assert me.plans.plan(cid).outcomes == ()


def test_a_plan_with_no_outcomes_may_still_be_reviewed(world):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    plan = me.plans.plan(cid)
    info = me.plans.record_review(cid, review(plan, summary="Nothing to rate yet."),
                                  plan.case_row_version)
    assert info.ratings == ()
    with world.ws.db.read() as s:
        assert s.scalars(select(CaseNote.subject)).one() == "Review held"


@pytest.mark.parametrize("rating, good, bad", [
    ("met", (4, 5), (1, 2, 3)),
    ("partly_met", (2, 3, 4), (1, 5)),
    ("not_met", (1, 2), (3, 4, 5)),
])
def test_a_rating_and_its_score_agree(rating, good, bad):
    assert all(rating_problem(rating, s) is None for s in good)
    assert all(rating_problem(rating, s) for s in bad)
    assert rating_problem(rating, 0) == "the score must be from 1 to 5"
    assert rating_problem("excellent", 5) == "choose met, partly met or not met"
