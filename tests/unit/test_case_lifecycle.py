"""A case's life as every role: a referral opened (its band's target date), details kept up
to date (risk and legal status on the chronology), allocation and reallocation with the
history insert-only, a return to the team's queue, and closing — under a statutory order a
reserved function. Every refusal audited, nothing half-written, stale versions refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DatabaseError

from casework.errors import Conflict, NotFound, ValidationError
from casework.events import Changed
from casework.models import Allocation, AuditEvent, Case, CaseNote
from casework import dto
from refusals import assert_refused
from service_world import TODAY, add_case

WAITING = "Euan Waiting"  # a North referral in the queue
NOWAK = "Łukasz Nowak"  # sw.north's, low risk, voluntary
SIOBHAN = "Siobhán Ní Bhriain"  # sw.north's, high risk
BAIRD = "Morag Baird"  # sw.mho's, under a compulsory treatment order
CLOSED = "Ann Closed"
OPENING = dto.OpenCaseInput(service_area="adult_community_care", eligibility_band="critical",
                            risk_level="high", legal_status="voluntary", opened_on=TODAY)


# -- helpers ------------------------------------------------------------------------------

def snapshot(world) -> tuple:
    """Everything a lifecycle call could write: every case row, every allocation row, the
    notes, and the audit events that record something done."""
    columns = [c.key for c in Case.__table__.columns]
    with world.ws.db.read() as s:
        cases = {c.id: tuple(getattr(c, k) for k in columns) for c in s.scalars(select(Case))}
        allocations = sorted((a.id, a.case_id, a.worker_id, a.started_at, a.reason,
                              a.allocated_by, a.row_version)
                             for a in s.scalars(select(Allocation)))
        notes = s.scalar(select(func.count()).select_from(CaseNote))
        done = s.scalar(select(func.count()).where(AuditEvent.outcome == "done"))
    return cases, allocations, notes, done


def last_event(world, action: str) -> AuditEvent:
    with world.ws.db.read() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                         .order_by(AuditEvent.seq.desc())).first()


def stored(world, name: str) -> Case:
    with world.ws.db.read() as s:
        return s.get(Case, world.cases[name])


def version(world, name: str) -> int:
    return stored(world, name).row_version


def history(world, name: str) -> list[tuple[str | None, str]]:
    """The allocation rows of a case, oldest first: (worker id, reason)."""
    with world.ws.db.read() as s:
        return [(a.worker_id, a.reason) for a in s.scalars(
            select(Allocation).where(Allocation.case_id == world.cases[name])
            .order_by(Allocation.started_at))]


def chronology(world, name: str) -> list[tuple[str, str, bool]]:
    with world.ws.db.read() as s:
        return [(n.subject, n.note_type, n.significant) for n in s.scalars(
            select(CaseNote).where(CaseNote.case_id == world.cases[name])
            .order_by(CaseNote.occurred_at, CaseNote.subject))]


def sid(world, username: str) -> str:
    return world.staff[username].id


def assert_invalid(world, call, *fields: str) -> ValidationError:
    before = snapshot(world)
    with pytest.raises(ValidationError) as e:
        call()
    assert set(e.value.problems) == set(fields), e.value.problems
    assert snapshot(world) == before
    return e.value


@pytest.fixture
def events(world):
    seen: list[Changed] = []
    world.ws.bus.subscribe(seen.append)
    return seen


# -- opening a referral -------------------------------------------------------------------

def test_a_team_member_opens_a_referral_with_a_six_week_target(world, events):
    me = world.login("sw.north")
    cid = world.cases[WAITING]
    opened = me.cases.open_case(cid, OPENING, version(world, WAITING))
    assert opened.case.status == "open" and opened.opened_on == TODAY
    assert (opened.case.eligibility_band, opened.case.risk_level) == ("critical", "high")
    assert opened.band_target_on == TODAY + timedelta(days=42)
    # Opening does not allocate: the case still waits in the queue.
    assert opened.case.named_worker_id is None and opened.case.unallocated_since is not None
    assert chronology(world, WAITING) == [("Case opened", "event", True)]
    with world.ws.db.read() as s:
        body = s.scalars(select(CaseNote.body).where(CaseNote.case_id == cid)).one()
    assert "target for personal care 03 Jan 2027" in body and "Risk: high." in body
    ev = last_event(world, "open_case")
    assert (ev.outcome, ev.entity_type, ev.entity_id) == ("done", "case", cid)
    detail = json.loads(ev.detail)
    assert detail["changed"] == ["band_target_on", "eligibility_band", "opened_on",
                                 "risk_level"]
    assert Changed("case", (cid,)) in events
    assert any(e.kind == "note" and e.ids[0] == cid for e in events)


@pytest.mark.parametrize("band, target", [("critical", 42), ("substantial", 42),
                                          ("moderate", None), ("low", None)])
def test_only_critical_and_substantial_bands_have_a_target(world, band, target):
    me = world.login("tl.north")
    opened_on = TODAY - timedelta(days=5)
    opened = me.cases.open_case(world.cases[WAITING], dto.OpenCaseInput(
        "adult_community_care", band, "low", "voluntary", opened_on), version(world, WAITING))
    assert opened.band_target_on == (opened_on + timedelta(days=target) if target else None)


@pytest.mark.parametrize("username", ["sp.north", "tl.north", "sm", "sw.nq", "sw.lapsed"])
def test_the_team_and_its_managers_may_open_a_referral(world, username):
    # Opening is recording on the case, not a reserved function: a lapsed registration
    # does not stop it.
    opened = world.login(username).cases.open_case(world.cases[WAITING], OPENING,
                                                   version(world, WAITING))
    assert opened.case.status == "open"


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("tl.south", "outside_team"),
])
def test_others_may_not_open_a_referral(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.cases.open_case(world.cases[WAITING], OPENING,
                                                         version(world, WAITING)),
                   "open_case", reason)


def test_opening_checks_what_it_records(world):
    me = world.login("sw.north")
    cid, v = world.cases[WAITING], version(world, WAITING)
    e = assert_invalid(world, lambda: me.cases.open_case(cid, dto.OpenCaseInput(
        "", "", "", "", None), v),
        "service_area", "eligibility_band", "risk_level", "legal_status", "opened_on")
    assert e.problems["eligibility_band"] == "choose the eligibility band"
    assert_invalid(world, lambda: me.cases.open_case(cid, dto.OpenCaseInput(
        "adult_community_care", "urgent", "extreme", "voluntary", TODAY), v),
        "eligibility_band", "risk_level")
    e = assert_invalid(world, lambda: me.cases.open_case(
        cid, replace(OPENING, opened_on=TODAY + timedelta(days=1)), v), "opened_on")
    assert e.problems["opened_on"] == "must not be in the future"
    # The referral came 30 days ago.
    e = assert_invalid(world, lambda: me.cases.open_case(
        cid, replace(OPENING, opened_on=TODAY - timedelta(days=31)), v), "opened_on")
    assert "before the referral" in e.problems["opened_on"]


def test_only_a_referral_is_opened(world):
    me = world.login("sw.north")
    e = assert_invalid(world, lambda: me.cases.open_case(world.cases[NOWAK], OPENING,
                                                         version(world, NOWAK)), "status")
    assert e.problems["status"] == "the case is open; only a referral is opened"
    assert_invalid(world, lambda: me.cases.open_case(world.cases[CLOSED], OPENING,
                                                     version(world, CLOSED)), "status")


def test_opening_a_referral_someone_changed_meanwhile_is_a_conflict(world):
    me = world.login("sw.north")
    stale = version(world, WAITING)
    world.login("tl.north").cases.update_details(world.cases[WAITING], dto.CaseDetailsInput(
        "high", "substantial", "voluntary", "Urgent."), stale)
    before = snapshot(world)
    with pytest.raises(Conflict):
        me.cases.open_case(world.cases[WAITING], OPENING, stale)
    assert snapshot(world) == before


def test_an_unknown_case_is_not_found(world):
    me = world.login("sw.north")
    with pytest.raises(NotFound):
        me.cases.open_case("no-such-case", OPENING, 1)


# -- editing the details ------------------------------------------------------------------

def test_a_new_risk_level_or_legal_status_goes_on_the_chronology(world, events):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    updated = me.cases.update_details(cid, dto.CaseDetailsInput(
        "high", "substantial", "guardianship_order", "  Falls at night; son abroad.  "),
        version(world, NOWAK))
    assert (updated.case.risk_level, updated.case.legal_status) == ("high", "guardianship_order")
    assert updated.summary == "Falls at night; son abroad."
    assert chronology(world, NOWAK) == [
        ("Legal status changed from Voluntary to Guardianship order (AWI)", "event", True),
        ("Risk level raised from low to high", "event", True)]
    ev = last_event(world, "update_case_details")
    detail = json.loads(ev.detail)
    assert detail["changed"] == ["legal_status", "risk_level", "summary"]
    # Field names, never what the case says.
    assert "Falls" not in ev.detail and "high" not in ev.detail
    assert Changed("case", (cid,)) in events

    world.clock.advance(minutes=5)
    me.cases.update_details(cid, dto.CaseDetailsInput("medium", "substantial",
                                                      "guardianship_order", "Settled."),
                            updated.row_version)
    assert chronology(world, NOWAK)[-1] == ("Risk level lowered from high to medium",
                                            "event", True)


def test_a_new_band_or_summary_alone_is_no_chronology_event(world):
    me = world.login("sw.north")
    me.cases.update_details(world.cases[NOWAK], dto.CaseDetailsInput(
        "low", "moderate", "voluntary", "Managing well."), version(world, NOWAK))
    assert chronology(world, NOWAK) == []
    assert json.loads(last_event(world, "update_case_details").detail)["changed"] == [
        "eligibility_band", "summary"]


def test_saving_unchanged_details_writes_nothing(world):
    me = world.login("sw.north")
    c = stored(world, NOWAK)
    before = snapshot(world)
    same = me.cases.update_details(c.id, dto.CaseDetailsInput(
        c.risk_level, c.eligibility_band, c.legal_status, c.summary or ""), c.row_version)
    assert same.row_version == c.row_version
    assert snapshot(world) == before


def test_the_band_target_follows_the_band(world):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]

    def details(band):
        return dto.CaseDetailsInput("low", band, "voluntary", "")

    moderate = me.cases.update_details(cid, details("moderate"), version(world, NOWAK))
    assert moderate.band_target_on is None
    # The need becomes critical today: six weeks from today.
    critical = me.cases.update_details(cid, details("critical"), moderate.row_version)
    assert critical.band_target_on == TODAY + timedelta(days=42)
    world.clock.advance(days=10)
    # Still critical or substantial: the six weeks already running are kept.
    substantial = me.cases.update_details(cid, details("substantial"), critical.row_version)
    assert substantial.band_target_on == TODAY + timedelta(days=42)
    assert me.cases.update_details(cid, details(None), substantial.row_version).band_target_on is None
    # A referral gets its target when it is opened.
    referral = me.cases.update_details(world.cases[WAITING], details("critical"),
                                       version(world, WAITING))
    assert referral.band_target_on is None


@pytest.mark.parametrize("username", ["sp.north", "tl.north", "sm", "sw.mho"])
def test_the_team_and_its_managers_may_edit_details(world, username):
    updated = world.login(username).cases.update_details(
        world.cases[NOWAK], dto.CaseDetailsInput("medium", "substantial", "voluntary", ""),
        version(world, NOWAK))
    assert updated.case.risk_level == "medium"


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("tl.south", "outside_team"),
])
def test_others_may_not_edit_details(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.cases.update_details(
        world.cases[NOWAK], dto.CaseDetailsInput("high", None, "voluntary", ""),
        version(world, NOWAK)), "update_case_details", reason)


def test_details_are_checked_and_locked(world):
    me = world.login("sw.north")
    cid, v = world.cases[NOWAK], version(world, NOWAK)
    # What no field may hold is refused at the boundary, before the choices are looked at.
    e = assert_invalid(world, lambda: me.cases.update_details(cid, dto.CaseDetailsInput(
        "", "huge", "banished", "x" * 20_001), v), "summary")
    assert e.problems["summary"] == "must be at most 20,000 characters; this has 20,001"
    assert_invalid(world, lambda: me.cases.update_details(cid, dto.CaseDetailsInput(
        "", "huge", "banished", "x" * 20_000), v),
        "risk_level", "eligibility_band", "legal_status")
    assert_invalid(world, lambda: me.cases.update_details(
        world.cases[CLOSED], dto.CaseDetailsInput("low", None, "voluntary", ""),
        version(world, CLOSED)), "status")
    me.cases.update_details(cid, dto.CaseDetailsInput("medium", None, "voluntary", ""), v)
    before = snapshot(world)
    with pytest.raises(Conflict):
        me.cases.update_details(cid, dto.CaseDetailsInput("high", None, "voluntary", ""), v)
    assert snapshot(world) == before


# -- allocation ---------------------------------------------------------------------------

def test_a_team_leader_allocates_a_referral_from_the_queue(world, events):
    me = world.login("tl.north")
    cid = world.cases[WAITING]
    before_rows = snapshot(world)[1]
    allocated = me.cases.allocate(cid, sid(world, "sw.nq"), "  Has room on her caseload ",
                                  version(world, WAITING))
    assert allocated.case.named_worker_id == sid(world, "sw.nq")
    assert allocated.case.named_worker_name == "Sw Nq"
    assert allocated.case.unallocated_since is None
    latest = allocated.allocations[0]
    assert (latest.worker_name, latest.reason, latest.allocated_by_name, latest.ended_at) == (
        "Sw Nq", "Has room on her caseload", "Tl North", None)
    # The queue row it ends is still there, unchanged, now with an end.
    assert set(before_rows) <= set(snapshot(world)[1])
    assert allocated.allocations[1].worker_id is None
    assert allocated.allocations[1].ended_at == latest.started_at
    assert history(world, WAITING) == [(None, "Referral allocated"),
                                       (sid(world, "sw.nq"), "Has room on her caseload")]
    assert chronology(world, WAITING) == [("Allocated to Sw Nq", "event", True)]
    ev = last_event(world, "allocate_case")
    detail = json.loads(ev.detail)
    assert (ev.outcome, ev.entity_id) == ("done", cid)
    assert detail["worker_id"] == sid(world, "sw.nq") and detail["previous_worker_id"] is None
    assert (detail["load_after"], detail["capacity"], detail["over_capacity"]) == (1.0, 15.0,
                                                                                   False)
    assert "room" not in ev.detail  # the reason is case content
    assert events[0] == Changed("allocation", (cid, detail["allocation_id"]))
    assert Changed("case", (cid,)) in events
    # It has left the queue.
    queue = me.cases.page(dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED))
    assert cid not in [r.id for r in queue.rows]


def test_reallocation_keeps_the_history_and_says_from_whom(world):
    me = world.login("tl.north")
    cid = world.cases[NOWAK]
    first = me.cases.allocate(cid, sid(world, "sp.north"), "Needs a senior", version(world, NOWAK))
    second = me.cases.allocate(cid, sid(world, "sw.north"), "Back to the worker she knows",
                               first.row_version)
    assert history(world, NOWAK) == [
        (sid(world, "sw.north"), "Referral allocated"),
        (sid(world, "sp.north"), "Needs a senior"),
        (sid(world, "sw.north"), "Back to the worker she knows")]
    assert [a.worker_name for a in second.allocations] == ["Sw North", "Sp North", "Sw North"]
    # Each row begins after the one before, though the clock did not move.
    starts = [a.started_at for a in reversed(second.allocations)]
    assert starts == sorted(starts) and len(set(starts)) == 3
    assert {s for s, _t, _sig in chronology(world, NOWAK)} == {
        "Reallocated from Sw North to Sp North", "Reallocated from Sp North to Sw North"}
    assert json.loads(last_event(world, "allocate_case").detail)["previous_worker_id"] == sid(
        world, "sp.north")


def test_the_history_is_insert_only(world):
    before = snapshot(world)[1]
    with pytest.raises(DatabaseError, match="insert-only table"):
        with world.ws.db.write() as s:
            s.execute(update(Allocation).values(reason="rewritten"))
    with pytest.raises(DatabaseError, match="insert-only table"):
        with world.ws.db.write() as s:
            s.execute(Allocation.__table__.delete())
    assert snapshot(world)[1] == before


@pytest.mark.parametrize("username, worker", [("sm", "sw.mho"), ("tl.north", "tl.north")])
def test_a_service_manager_allocates_and_a_team_leader_may_hold_a_case(world, username, worker):
    allocated = world.login(username).cases.allocate(world.cases[WAITING], sid(world, worker),
                                                     "Allocation meeting", version(world, WAITING))
    assert allocated.case.named_worker_id == sid(world, worker)


@pytest.mark.parametrize("username, reason", [
    ("sw.north", "role_not_permitted"),
    ("sp.north", "role_not_permitted"),
    ("pp.north", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
    ("tl.south", "not_team_manager"),
])
def test_only_leaders_of_the_case_s_team_allocate(world, username, reason):
    me = world.login(username)
    e = assert_refused(world, me, lambda: me.cases.allocate(
        world.cases[WAITING], sid(world, "sw.nq"), "Please", version(world, WAITING)),
        "allocate_case", reason)
    assert str(e) and "allocate" in str(e).lower()
    assert_refused(world, me, lambda: me.cases.return_to_queue(
        world.cases[NOWAK], "Please", version(world, NOWAK)), "return_case_to_queue", reason)
    assert_refused(world, me, lambda: me.cases.allocation_options(world.cases[WAITING]),
                   "view_team_workload", reason)


@pytest.mark.parametrize("worker, problem", [
    ("sw.south", "must be an active social worker, senior practitioner or team leader of "
                 "the case's team"),
    ("pp.north", "must be an active social worker, senior practitioner or team leader of "
                 "the case's team"),
    ("sm", "must be an active social worker, senior practitioner or team leader of the "
           "case's team"),
    ("admin2", "must be an active social worker, senior practitioner or team leader of "
               "the case's team"),
    ("sw.north", "Sw North is already the named worker"),
])
def test_the_worker_must_be_a_case_holder_of_the_team(world, worker, problem):
    me = world.login("tl.north")
    e = assert_invalid(world, lambda: me.cases.allocate(world.cases[NOWAK], sid(world, worker),
                                                        "Reason", version(world, NOWAK)),
                       "worker_id")
    assert e.problems["worker_id"] == problem


def test_an_inactive_worker_or_none_at_all_is_refused_as_input(world):
    me = world.login("tl.north")
    admin = world.login("admin")
    info = world.staff["sp.north"]
    admin.admin.set_active(info.id, admin.admin.get_staff(info.id).row_version, False)
    e = assert_invalid(world, lambda: me.cases.allocate(world.cases[WAITING], info.id, "R",
                                                        version(world, WAITING)), "worker_id")
    assert "active" in e.problems["worker_id"]
    e = assert_invalid(world, lambda: me.cases.allocate(world.cases[WAITING], "", "  ",
                                                        version(world, WAITING)),
                       "worker_id", "reason")
    assert e.problems == {"worker_id": "choose who will be the named worker",
                          "reason": "say why the named worker changes"}
    assert_invalid(world, lambda: me.cases.allocate(world.cases[WAITING], "nobody", "R",
                                                    version(world, WAITING)), "worker_id")


def test_a_closed_case_is_not_allocated_and_a_stale_one_conflicts(world):
    me = world.login("tl.north")
    assert_invalid(world, lambda: me.cases.allocate(world.cases[CLOSED], sid(world, "sw.nq"),
                                                    "R", version(world, CLOSED)), "status")
    assert_invalid(world, lambda: me.cases.return_to_queue(world.cases[CLOSED], "R",
                                                           version(world, CLOSED)), "status")
    stale = version(world, NOWAK)
    me.cases.update_details(world.cases[NOWAK], dto.CaseDetailsInput(
        "medium", None, "voluntary", ""), stale)
    before = snapshot(world)
    with pytest.raises(Conflict):
        me.cases.allocate(world.cases[NOWAK], sid(world, "sw.nq"), "R", stale)
    with pytest.raises(Conflict):
        me.cases.return_to_queue(world.cases[NOWAK], "R", stale)
    assert snapshot(world) == before


def test_returning_a_case_to_the_queue(world, events):
    me = world.login("tl.north")
    cid = world.cases[NOWAK]
    world.clock.advance(hours=1)
    back = me.cases.return_to_queue(cid, "Worker on long-term leave", version(world, NOWAK))
    assert back.case.named_worker_id is None
    assert back.case.unallocated_since == world.clock()
    assert back.allocations[0].worker_id is None
    assert back.allocations[0].reason == "Worker on long-term leave"
    assert history(world, NOWAK)[-1] == (None, "Worker on long-term leave")
    assert chronology(world, NOWAK) == [
        ("Returned to the team's unallocated queue from Sw North", "event", True)]
    ev = last_event(world, "return_case_to_queue")
    assert json.loads(ev.detail)["previous_worker_id"] == sid(world, "sw.north")
    assert events[0].kind == "allocation" and events[0].ids[0] == cid
    queue = me.cases.page(dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED))
    assert cid in [r.id for r in queue.rows]
    # Already there: nothing to do, said under the field.
    e = assert_invalid(world, lambda: me.cases.return_to_queue(cid, "Again", back.row_version),
                       "worker_id")
    assert "already in the team's unallocated queue" in e.problems["worker_id"]
    assert_invalid(world, lambda: me.cases.return_to_queue(world.cases[SIOBHAN], "",
                                                           version(world, SIOBHAN)), "reason")


def test_allocation_options_list_the_team_s_case_holders(world):
    options = world.login("tl.north").cases.allocation_options(world.cases[SIOBHAN])
    assert (options.case_reference, options.person_name, options.team_name) == (
        "CW-000001", "Siobhán Ní Bhriain", "North Adult Team")
    assert options.named_worker_name == "Sw North" and options.case_weight == 1.5
    assert [w.display_name for w in options.workers] == [
        "Sp North", "Sw Lapsed", "Sw Mho", "Sw North", "Sw Nq", "Tl North"]
    assert options.row_version == version(world, SIOBHAN)


# -- closing ------------------------------------------------------------------------------

def test_the_named_worker_closes_a_case_with_a_summary(world, events):
    me = world.login("sw.north")
    cid = world.cases[NOWAK]
    closed = me.cases.close(cid, "  Living well at home; knows how to call us.  ",
                            version(world, NOWAK))
    assert closed.case.status == "closed" and closed.closed_on == TODAY
    assert closed.closing_summary == "Living well at home; knows how to call us."
    c = stored(world, NOWAK)
    assert c.closed_by == sid(world, "sw.north") and c.unallocated_since is None
    assert chronology(world, NOWAK) == [("Case closed", "event", True)]
    ev = last_event(world, "close_case")
    assert json.loads(ev.detail)["statutory_order"] is False
    assert json.loads(ev.detail)["reserved_function"] is None
    assert "Living" not in ev.detail
    assert Changed("case", (cid,)) in events
    e = assert_invalid(world, lambda: me.cases.close(cid, "Again", closed.row_version), "status")
    assert "closed on 22 Nov 2026" in e.problems["status"]


def test_a_blank_closing_summary_is_refused_under_its_field(world):
    me = world.login("sw.north")
    e = assert_invalid(world, lambda: me.cases.close(world.cases[NOWAK], "   ",
                                                     version(world, NOWAK)), "closing_summary")
    assert e.field == "closing_summary"
    assert_invalid(world, lambda: me.cases.close(world.cases[NOWAK], "x" * 20_001,
                                                 version(world, NOWAK)), "closing_summary")


@pytest.mark.parametrize("username", ["tl.north", "sm"])
def test_a_leader_of_the_team_may_close_any_of_its_cases(world, username):
    # The referral in the queue has no named worker: a leader closes it.
    closed = world.login(username).cases.close(world.cases[WAITING], "No further action.",
                                               version(world, WAITING))
    assert closed.case.status == "closed" and closed.case.unallocated_since is None


@pytest.mark.parametrize("username, reason", [
    ("sp.north", "not_named_worker"),
    ("sw.mho", "not_named_worker"),
    ("sw.south", "not_named_worker"),
    ("tl.south", "not_named_worker"),
    ("pp.north", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
])
def test_others_may_not_close(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.cases.close(world.cases[NOWAK], "Done.",
                                                     version(world, NOWAK)),
                   "close_case", reason)


@pytest.mark.parametrize("username", ["sw.mho", "tl.north", "sm"])
def test_a_registered_social_worker_closes_a_case_under_an_order(world, username):
    closed = world.login(username).cases.close(world.cases[BAIRD], "Order revoked by the "
                                               "tribunal.", version(world, BAIRD))
    assert closed.case.status == "closed"
    detail = json.loads(last_event(world, "close_case").detail)
    assert detail == {"statutory_order": True, "note_id": detail["note_id"],
                      "reserved_function": "close_statutory_case"}


def test_a_lapsed_registration_may_not_close_a_case_under_an_order(world):
    cid = add_case(world, team="north", worker="sw.lapsed", name=("Rory", "Order"),
                   legal="compulsory_supervision_order")
    me = world.login("sw.lapsed")
    e = assert_refused(world, me, lambda: me.cases.close(cid, "Order ended.",
                                                         version(world, "Rory Order")),
                       "close_case", "registration_lapsed")
    assert str(e) == ("Closure of a case under a statutory order is reserved to a registered "
                      "social worker; Sw Lapsed's SSSC registration lapsed on 23 September "
                      "2026.")
    refusal = last_event(world, "close_case")
    assert (refusal.outcome, refusal.entity_id) == ("refused", cid)
    assert json.loads(refusal.detail)["statutory_order"] is True
    # A voluntary case of their own is no reserved function: they close it.
    own = add_case(world, team="north", worker="sw.lapsed", name=("Jean", "Voluntary"))
    assert me.cases.close(own, "Support ended.", version(world, "Jean Voluntary")).case.status == "closed"


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("sp.north", "not_named_worker"),  # registered, but not the case's named worker
])
def test_the_reserved_check_comes_with_the_ordinary_one(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.cases.close(world.cases[BAIRD], "Done.",
                                                     version(world, BAIRD)),
                   "close_case", reason)


def test_an_administrator_s_stronger_rule_applies_to_statutory_closure(world):
    world.login("admin").admin.add_reserved_rule(
        "close_statutory_case", "Closure of a case under a statutory order",
        frozenset({"mho"}))
    me = world.login("tl.north")
    assert_refused(world, me, lambda: me.cases.close(world.cases[BAIRD], "Done.",
                                                     version(world, BAIRD)),
                   "close_case", "missing_accreditation")
    assert world.login("sw.mho").cases.close(world.cases[BAIRD], "Done.",
                                             version(world, BAIRD)).case.status == "closed"


def test_closing_a_case_someone_changed_meanwhile_is_a_conflict(world):
    me = world.login("sw.north")
    stale = version(world, NOWAK)
    sp = world.login("sp.north")
    world.login("tl.north").cases.allocate(world.cases[NOWAK], sid(world, "sp.north"),
                                           "Cover", stale)
    assert_refused(world, me, lambda: me.cases.close(world.cases[NOWAK], "Done.", stale),
                   "close_case", "not_named_worker")  # no longer the named worker
    before = snapshot(world)
    with pytest.raises(Conflict):  # the new named worker, with what sw.north had open
        sp.cases.close(world.cases[NOWAK], "Done.", stale)
    assert snapshot(world) == before


def test_no_audit_event_holds_case_content(world):
    tl = world.login("tl.north")
    cid = world.cases[WAITING]
    s = tl.cases.open_case(cid, OPENING, version(world, WAITING))
    s = tl.cases.update_details(cid, dto.CaseDetailsInput("medium", "critical", "voluntary",
                                                          "SECRET-SUMMARY"), s.row_version)
    s = tl.cases.allocate(cid, sid(world, "sw.north"), "SECRET-REASON", s.row_version)
    s = tl.cases.return_to_queue(cid, "SECRET-RETURN", s.row_version)
    tl.cases.close(cid, "SECRET-CLOSING", s.row_version)
    with world.ws.db.read() as session:
        details = [e.detail or "" for e in session.scalars(select(AuditEvent))]
    assert len(details) > 5 and not [d for d in details if "SECRET" in d]
