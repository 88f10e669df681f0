"""Assessments as every role: drafting (by the case's team, or by whoever was asked to
prepare the draft), contributions in the contributor's words, and sign-off — reserved for
statutory kinds and high risk, refused plainly and audited, never half-written."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.errors import Conflict, NotFound, ValidationError
from casework.events import Changed
from casework.models import (
    Assessment,
    AssessmentContribution,
    AuditEvent,
    Case,
    CaseNote,
    KeyPerson,
)
from casework.models.base import new_id
from casework import dto
from refusals import assert_refused
from service_world import TODAY

COMPLETE = dto.AssessmentInput(risk_level="medium", strengths="Close to her daughter.",
                               needs="Help with meals and medication.",
                               risks="Falls at night.", outcomes_wanted="Stay at home.",
                               analysis="Care at home is sustainable with support.")


# -- helpers ------------------------------------------------------------------------------

def case_id(world, name: str = "Łukasz Nowak") -> str:
    return world.cases[name]


def add_key_person(world, case_name: str, given: str, family: str,
                   kind: str = "unpaid_carer") -> str:
    """A key person of the case's person (the people service is another part's)."""
    with world.ws.db.write() as s:
        c = s.get(Case, world.cases[case_name])
        k = KeyPerson(id=new_id(), team_id=c.team_id, person_id=c.person_id, kind=kind,
                      given_name=given, family_name=family, relationship="Daughter",
                      updated_at=world.clock())
        s.add(k)
    return k.id


def refusals(world) -> list[tuple[str, str]]:
    with world.ws.db.read() as s:
        return [(e.action, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused").order_by(AuditEvent.seq))]


def last_refusal(world) -> AuditEvent:
    with world.ws.db.read() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")
                         .order_by(AuditEvent.seq.desc())).first()


def count(world, model) -> int:
    with world.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def stored(world, assessment_id: str) -> Assessment:
    with world.ws.db.read() as s:
        return s.get(Assessment, assessment_id)


def ready_to_sign(me, assessment: dto.AssessmentDetail,
                  data: dto.AssessmentInput = COMPLETE) -> dto.AssessmentDetail:
    """A draft with every section and the person's own contribution."""
    detail = me.assessments.update_draft(assessment.id, data, assessment.row_version)
    return me.assessments.add_contribution(detail.id, dto.ContributionInput(
        "person", "I want to stay in my own home with the dog.", TODAY))


def started(world, username: str = "sw.north", kind: str = "outcomes_focused",
            case: str = "Łukasz Nowak", **kw) -> dto.AssessmentDetail:
    return world.login(username).assessments.start(world.cases[case], kind, **kw)


@pytest.fixture
def events(world):
    seen: list[Changed] = []
    world.ws.bus.subscribe(seen.append)
    return seen


# -- starting and listing -----------------------------------------------------------------

def test_a_social_worker_starts_a_draft_on_their_own_case(world, events):
    me = world.login("sw.north")
    a = me.assessments.start(case_id(world), "outcomes_focused")
    assert a.is_draft and a.kind == "outcomes_focused" and a.started_on == TODAY
    assert a.person_name == "Łukasz Nowak" and a.case_reference == "CW-000002"
    # Nobody else asked: whoever starts it prepares it.
    assert a.drafter_id == world.staff["sw.north"].id and a.created_by_name == "Sw North"
    rows = me.assessments.list(case_id(world))
    assert [(r.id, r.status, r.drafter_name) for r in rows] == [(a.id, "draft", "Sw North")]
    assert Changed("assessment", (case_id(world), a.id)) in events
    with world.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "start_assessment")).one()
    assert ev.outcome == "done" and ev.entity_id == a.id


@pytest.mark.parametrize("username", ["sw.north", "sp.north", "tl.north", "sm", "sw.lapsed"])
def test_the_case_team_and_its_managers_may_start_and_read(world, username):
    me = world.login(username)
    a = me.assessments.start(case_id(world), "risk")
    assert [r.id for r in me.assessments.list(case_id(world))] == [a.id]
    assert me.assessments.get(a.id).kind == "risk"


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("admin2", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("tl.south", "outside_team"),
])
def test_others_may_not_start_one_refused_and_audited(world, username, reason):
    me = world.login(username)
    assert_refused(world, me, lambda: me.assessments.start(case_id(world), "outcomes_focused"),
                   "start_assessment", reason, entity_id=case_id(world))
    assert count(world, Assessment) == 0


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("sw.south", "outside_team_needs_reason"),
])
def test_others_may_not_list_or_open_a_case_s_assessments(world, username, reason):
    a = started(world)
    me = world.login(username)
    assert_refused(world, me, lambda: me.assessments.list(case_id(world)), "view_assessments",
                   reason)
    assert_refused(world, me, lambda: me.assessments.get(a.id), "view_assessment", reason)


def test_a_reason_stated_when_opening_the_case_lets_another_team_read_not_write(world):
    a = started(world)
    south = world.login("sw.south")
    south.cases.summary(case_id(world), reason="Duty cover for North this week")
    assert [r.id for r in south.assessments.list(case_id(world))] == [a.id]
    assert south.assessments.get(a.id).id == a.id
    assert_refused(world, south, lambda: south.assessments.update_draft(
        a.id, COMPLETE, a.row_version), "update_assessment", "outside_team")
    assert stored(world, a.id).needs is None


def test_starting_checks_kind_carer_drafter_and_case(world):
    me = world.login("sw.north")
    carer = add_key_person(world, "Łukasz Nowak", "Ola", "Nowak")
    friend = add_key_person(world, "Łukasz Nowak", "Tom", "Friend", kind="friend")
    elsewhere = add_key_person(world, "Morag Baird", "Ina", "Baird")
    cid = case_id(world)
    cases = [
        (dict(kind="nonsense"), {"kind"}),
        (dict(kind="carers"), {"carer_id"}),
        (dict(kind="carers", carer_id=friend), {"carer_id"}),
        (dict(kind="carers", carer_id=elsewhere), {"carer_id"}),
        (dict(kind="risk", carer_id=carer), {"carer_id"}),
        (dict(kind="risk", drafter_id=world.staff["sw.south"].id), {"drafter_id"}),
        (dict(kind="risk", drafter_id=world.staff["admin2"].id), {"drafter_id"}),
        (dict(kind="risk", drafter_id=world.staff["sm"].id), {"drafter_id"}),  # no team
    ]
    for kw, fields in cases:
        with pytest.raises(ValidationError) as e:
            me.assessments.start(cid, **kw)
        assert set(e.value.problems) == fields, kw
    with pytest.raises(ValidationError) as e:
        me.assessments.start(world.cases["Ann Closed"], "risk")
    assert set(e.value.problems) == {"case"}
    assert count(world, Assessment) == 0
    a = me.assessments.start(cid, "carers", carer_id=carer)
    assert a.carer_name == "Ola Nowak"
    assert me.assessments.list(cid)[0].carer_name == "Ola Nowak"


def test_start_options_offer_the_person_s_carers_and_the_team_s_drafters(world):
    add_key_person(world, "Łukasz Nowak", "Ola", "Nowak")
    add_key_person(world, "Łukasz Nowak", "Tom", "Friend", kind="friend")
    add_key_person(world, "Łukasz Nowak", "Zofia", "Nowak", kind="young_carer")
    options = world.login("sw.north").assessments.start_options(case_id(world))
    assert [c.name for c in options.carers] == ["Ola Nowak", "Zofia Nowak"]
    drafters = {d.display_name for d in options.drafters}
    assert "Pp North" in drafters and "Sw South" not in drafters and "Sm" not in drafters
    pp = world.login("pp.north")
    assert_refused(world, pp, lambda: pp.assessments.start_options(case_id(world)),
                   "start_assessment", "role_not_permitted")


# -- drafting -----------------------------------------------------------------------------

def test_the_draft_is_saved_blank_sections_as_nothing_with_locking(world, events):
    me = world.login("sw.north")
    a = started(world)
    saved = me.assessments.update_draft(
        a.id, dto.AssessmentInput(risk_level="low", needs="  Meals.  ", strengths="   "),
        a.row_version)
    assert saved.needs == "Meals." and saved.strengths is None and saved.risk_level == "low"
    assert saved.row_version > a.row_version
    assert Changed("assessment", (case_id(world), a.id)) in events
    with pytest.raises(Conflict):
        me.assessments.update_draft(a.id, COMPLETE, a.row_version)  # the old version
    assert stored(world, a.id).needs == "Meals."
    with pytest.raises(ValidationError) as e:
        me.assessments.update_draft(a.id, dto.AssessmentInput(risk_level="extreme",
                                                              needs="x" * 20_001),
                                    saved.row_version)
    # Too long for any field: refused at the boundary, before the risk is looked at.
    assert set(e.value.problems) == {"needs"}
    with pytest.raises(ValidationError) as e:
        me.assessments.update_draft(a.id, dto.AssessmentInput(risk_level="extreme",
                                                              needs="x" * 20_000),
                                    saved.row_version)
    assert set(e.value.problems) == {"risk_level"}
    with world.ws.db.read() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "update_assessment")).one()
    # Which sections changed, never what they say: administrators read the audit trail.
    assert json.loads(ev.detail) == {"changed": ["risk_level", "needs"]}


def test_a_para_professional_asked_to_draft_prepares_that_draft_alone(world):
    carer = add_key_person(world, "Łukasz Nowak", "Ola", "Nowak")
    a = started(world, "tl.north", drafter_id=world.staff["pp.north"].id)
    other = started(world, "sw.north", kind="risk")
    pp = world.login("pp.north")
    seen = pp.assessments.get(a.id)
    # What the draft needs: the person's name, the case reference, the key people.
    assert (seen.person_name, seen.case_reference) == ("Łukasz Nowak", "CW-000002")
    assert [k.id for k in seen.key_people] == [carer]
    assert seen.drafter_name == "Pp North" and seen.created_by_name == "Tl North"
    saved = pp.assessments.update_draft(a.id, COMPLETE, seen.row_version)
    saved = pp.assessments.add_contribution(a.id, dto.ContributionInput(
        "carer", "He manages in the day; nights are hard.", TODAY, key_person_id=carer))
    assert saved.contributions[0].name == "Ola Nowak"
    # Nothing else of the case: not its list, not another assessment, not the plan.
    for call, action in [
        (lambda: pp.assessments.list(case_id(world)), "view_assessments"),
        (lambda: pp.assessments.get(other.id), "view_assessment"),
        (lambda: pp.assessments.update_draft(other.id, COMPLETE, other.row_version),
         "update_assessment"),
        (lambda: pp.plans.plan(case_id(world)), "view_plan"),
        (lambda: pp.cases.summary(case_id(world)), "view_case"),
    ]:
        assert_refused(world, pp, call, action, "role_not_permitted")
    assert stored(world, other.id).needs is None


def test_a_para_professional_never_signs_off_refusal_audited_with_its_message(world):
    a = started(world, "sw.north", drafter_id=world.staff["pp.north"].id)
    pp = world.login("pp.north")
    ready = ready_to_sign(pp, pp.assessments.get(a.id))
    e = assert_refused(world, pp, lambda: pp.assessments.sign_off(a.id, ready.row_version),
                       "sign_off_assessment", "role_not_permitted", entity_id=a.id)
    assert str(e) == ("A para-professional may draft an assessment; a social worker "
                      "signs it off.")
    assert json.loads(last_refusal(world).detail)["message"] == str(e)
    row = stored(world, a.id)
    assert row.status == "draft" and row.signed_off_by is None
    assert count(world, CaseNote) == 0


def test_a_para_professional_is_refused_a_statutory_sign_off_as_a_reserved_function(world):
    a = started(world, "sw.north", kind="asp_inquiry", drafter_id=world.staff["pp.north"].id)
    pp = world.login("pp.north")
    ready = ready_to_sign(pp, pp.assessments.get(a.id))
    e = assert_refused(world, pp, lambda: pp.assessments.sign_off(a.id, ready.row_version),
                       "sign_off_assessment", "role_not_permitted", entity_id=a.id)
    assert "reserved to a registered social worker" in str(e)
    assert stored(world, a.id).status == "draft"


def test_a_para_professional_not_asked_sees_and_edits_nothing(world):
    a = started(world)
    pp = world.login("pp.north")
    for call, action in [
        (lambda: pp.assessments.get(a.id), "view_assessment"),
        (lambda: pp.assessments.update_draft(a.id, COMPLETE, a.row_version), "update_assessment"),
        (lambda: pp.assessments.add_contribution(a.id, dto.ContributionInput(
            "worker", "Seen today.", TODAY)), "add_assessment_contribution"),
        (lambda: pp.assessments.sign_off(a.id, a.row_version), "sign_off_assessment"),
    ]:
        assert_refused(world, pp, call, action, "role_not_permitted")
    assert stored(world, a.id).needs is None and count(world, AssessmentContribution) == 0


def test_the_drafter_loses_the_draft_once_it_is_signed_off(world):
    a = started(world, "sw.north", drafter_id=world.staff["pp.north"].id)
    pp = world.login("pp.north")
    ready = ready_to_sign(pp, pp.assessments.get(a.id))
    world.login("sw.north").assessments.sign_off(a.id, ready.row_version)
    assert_refused(world, pp, lambda: pp.assessments.get(a.id), "view_assessment",
                   "role_not_permitted")
    assert pp.assessments.my_drafts().rows == ()


# -- contributions ------------------------------------------------------------------------

def test_contributions_say_who_in_their_words(world, events):
    carer = add_key_person(world, "Łukasz Nowak", "Ola", "Nowak")
    me = world.login("sw.north")
    a = started(world)
    add = me.assessments.add_contribution
    add(a.id, dto.ContributionInput("person", "I want to stay home.", TODAY))
    add(a.id, dto.ContributionInput("worker", "Managing well with support.", TODAY))
    add(a.id, dto.ContributionInput("carer", "Nights are hard.", TODAY - timedelta(days=2),
                                    key_person_id=carer))
    d = add(a.id, dto.ContributionInput("other", "No concerns from the GP.", TODAY,
                                        name="Dr Khan, Riverside Surgery"))
    by = {c.contributor: c for c in d.contributions}
    assert by["person"].name == "Łukasz Nowak"  # a blank name is the person's
    assert by["worker"].name == "Sw North" and by["worker"].staff_id == world.staff["sw.north"].id
    assert by["carer"].name == "Ola Nowak" and by["carer"].key_person_id == carer
    assert by["other"].name == "Dr Khan, Riverside Surgery"
    assert d.contributions[0].contributor == "carer"  # in the order given
    assert Changed("assessment", (case_id(world), a.id)) in events

    worker = by["worker"]
    d = me.assessments.update_contribution(worker.id, dto.ContributionInput(
        "worker", "Managing well; review in March.", TODAY), worker.row_version)
    assert {c.contribution for c in d.contributions} >= {"Managing well; review in March."}
    with pytest.raises(Conflict):
        me.assessments.update_contribution(worker.id, dto.ContributionInput(
            "worker", "Stale.", TODAY), worker.row_version)
    current = next(c for c in d.contributions if c.id == worker.id)
    with pytest.raises(Conflict):
        me.assessments.remove_contribution(worker.id, worker.row_version)
    d = me.assessments.remove_contribution(worker.id, current.row_version)
    assert worker.id not in {c.id for c in d.contributions}
    with pytest.raises(NotFound):
        me.assessments.remove_contribution(worker.id, current.row_version + 1)


def test_a_contribution_names_a_key_person_of_this_person_and_a_real_carer(world):
    friend = add_key_person(world, "Łukasz Nowak", "Tom", "Friend", kind="friend")
    elsewhere = add_key_person(world, "Morag Baird", "Ina", "Baird")
    me = world.login("sw.north")
    a = started(world)
    for data, fields in [
        (dto.ContributionInput("carer", "x", TODAY, key_person_id=friend), {"key_person_id"}),
        (dto.ContributionInput("other", "x", TODAY, key_person_id=elsewhere),
         {"key_person_id", "name"}),
        (dto.ContributionInput("person", "x", TODAY, key_person_id=friend), {"key_person_id"}),
        (dto.ContributionInput("carer", "", TODAY), {"name", "contribution"}),
        (dto.ContributionInput("neighbour", "x", TODAY + timedelta(days=1)),
         {"contributor", "name", "given_on"}),
    ]:
        with pytest.raises(ValidationError) as e:
            me.assessments.add_contribution(a.id, data)
        assert set(e.value.problems) == fields, data
    assert count(world, AssessmentContribution) == 0
    d = me.assessments.add_contribution(a.id, dto.ContributionInput(
        "other", "He helps with shopping.", TODAY, key_person_id=friend))
    assert d.contributions[0].name == "Tom Friend"


# -- sign-off -----------------------------------------------------------------------------

def test_sign_off_names_everything_still_missing(world):
    me = world.login("sw.north")
    a = started(world)
    with pytest.raises(ValidationError) as e:
        me.assessments.sign_off(a.id, a.row_version)
    assert set(e.value.problems) == {"needs", "outcomes_wanted", "risk_level", "contributions"}
    assert stored(world, a.id).status == "draft"


def test_a_self_assessment_needs_the_person_s_own_words(world):
    me = world.login("sw.north")
    a = started(world, kind="self_assessment")
    d = me.assessments.update_draft(a.id, COMPLETE, a.row_version)
    d = me.assessments.add_contribution(a.id, dto.ContributionInput("worker", "Agreed.", TODAY))
    with pytest.raises(ValidationError) as e:
        me.assessments.sign_off(a.id, d.row_version)
    assert e.value.problems == {"contributions": "a self-assessment needs the person's own "
                                                 "contribution, in their words"}
    me.assessments.add_contribution(a.id, dto.ContributionInput("person", "I cope.", TODAY))
    assert me.assessments.sign_off(a.id, d.row_version).assessment.status == "signed_off"


def test_a_carer_s_assessment_needs_that_carer_s_own_words(world):
    ola = add_key_person(world, "Łukasz Nowak", "Ola", "Nowak")
    zofia = add_key_person(world, "Łukasz Nowak", "Zofia", "Nowak", kind="young_carer")
    me = world.login("sw.north")
    a = started(world, kind="carers", carer_id=ola)
    d = me.assessments.update_draft(a.id, COMPLETE, a.row_version)
    me.assessments.add_contribution(a.id, dto.ContributionInput("person", "She helps.", TODAY))
    me.assessments.add_contribution(a.id, dto.ContributionInput(
        "carer", "I help too.", TODAY, key_person_id=zofia))
    with pytest.raises(ValidationError) as e:
        me.assessments.sign_off(a.id, d.row_version)
    assert e.value.problems["contributions"] == (
        "a carer's assessment needs Ola Nowak's own contribution, recorded as the carer's")
    me.assessments.add_contribution(a.id, dto.ContributionInput(
        "carer", "I am exhausted.", TODAY, key_person_id=ola))
    assert me.assessments.sign_off(a.id, d.row_version).assessment.status == "signed_off"


def test_signing_off_records_who_and_when_and_the_chronology(world, events):
    me = world.login("sw.north")
    a = ready_to_sign(me, started(world, kind="risk", case="Morag Baird"))  # medium, as assessed
    result = me.assessments.sign_off(a.id, a.row_version)
    d = result.assessment
    assert d.status == "signed_off" and d.signed_off_by_name == "Sw North"
    assert d.signed_off_at == world.clock()
    assert result.reserved_functions == () and not result.risk_above_case
    with world.ws.db.read() as s:
        note = s.scalars(select(CaseNote)).one()
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "sign_off_assessment")).one()
    assert note.subject == "Risk assessment signed off by Sw North"
    cid = world.cases["Morag Baird"]
    assert note.note_type == "event" and note.significant and note.case_id == cid
    assert ev.outcome == "done" and json.loads(ev.detail)["risk_level"] == "medium"
    assert Changed("assessment", (cid, a.id)) in events
    assert Changed("note", (cid, note.id)) in events
    row = me.assessments.list(cid)[0]
    assert (row.status, row.signed_off_by_name) == ("signed_off", "Sw North")


def test_a_signed_off_assessment_never_changes(world):
    me = world.login("sw.north")
    a = ready_to_sign(me, started(world))
    d = me.assessments.sign_off(a.id, a.row_version).assessment
    contribution = d.contributions[0]
    before = count(world, AssessmentContribution), stored(world, a.id).row_version
    for call, action in [
        (lambda: me.assessments.update_draft(a.id, COMPLETE, d.row_version), "update_assessment"),
        (lambda: me.assessments.add_contribution(a.id, dto.ContributionInput(
            "worker", "Late.", TODAY)), "add_assessment_contribution"),
        (lambda: me.assessments.update_contribution(contribution.id, dto.ContributionInput(
            "person", "Changed.", TODAY), contribution.row_version),
         "update_assessment_contribution"),
        (lambda: me.assessments.remove_contribution(contribution.id, contribution.row_version),
         "remove_assessment_contribution"),
        (lambda: me.assessments.sign_off(a.id, d.row_version), "sign_off_assessment"),
    ]:
        e = assert_refused(world, me, call, action, "assessment_signed_off")
        assert str(e).startswith("This assessment was signed off by Sw North on 22 Nov 2026")
    assert (count(world, AssessmentContribution), stored(world, a.id).row_version) == before


def test_a_stale_sign_off_is_a_conflict(world):
    me = world.login("sw.north")
    a = ready_to_sign(me, started(world))
    with pytest.raises(Conflict):
        me.assessments.sign_off(a.id, a.row_version - 1)
    assert stored(world, a.id).status == "draft"


def test_high_assessed_risk_above_the_case_s_is_said_not_changed(world):
    me = world.login("sw.north")
    high = dto.AssessmentInput(**{**COMPLETE.__dict__, "risk_level": "high"})
    a = ready_to_sign(me, started(world), high)  # Łukasz Nowak's case is low risk
    result = me.assessments.sign_off(a.id, a.row_version)
    assert result.risk_above_case and result.case_risk_level == "low"
    assert result.reserved_functions == ("sign_off_high_risk_assessment",)
    with world.ws.db.read() as s:
        assert s.get(Case, case_id(world)).risk_level == "low"
        note = s.scalars(select(CaseNote)).one()
    assert "above the case's recorded risk (low)" in note.body


@pytest.mark.parametrize("username, kind, risk", [
    ("sw.north", "asp_inquiry", "medium"),
    ("sw.north", "child_protection_investigation", "high"),
    ("sp.north", "justice_report", "low"),
    ("tl.north", "child_protection_investigation", "medium"),  # a registered team leader
    ("sm", "asp_inquiry", "high"),  # manages the team, registered
    ("sw.mho", "mho_report", "medium"),
    ("sw.nq", "asp_inquiry", "high"),  # no experience rule for these
    ("sw.lapsed", "outcomes_focused", "medium"),  # nothing reserved in this one
])
def test_qualified_practitioners_sign_off_reserved_kinds(world, username, kind, risk):
    me = world.login(username)
    data = dto.AssessmentInput(**{**COMPLETE.__dict__, "risk_level": risk})
    a = ready_to_sign(me, started(world, username, kind=kind), data)
    result = me.assessments.sign_off(a.id, a.row_version)
    assert result.assessment.status == "signed_off"
    assert result.assessment.signed_off_by_id == world.staff[username].id
    assert refusals(world) == []


@pytest.mark.parametrize("username, kind, risk, reason", [
    ("sw.lapsed", "asp_inquiry", "low", "registration_lapsed"),
    ("sw.lapsed", "risk", "high", "registration_lapsed"),
    ("sw.north", "mho_report", "low", "missing_accreditation"),
    ("tl.north", "mho_report", "low", "missing_accreditation"),
    ("sw.south", "asp_inquiry", "low", "outside_team"),
    ("sw.south", "outcomes_focused", "low", "outside_team"),
    ("tl.south", "risk", "high", "outside_team"),
    ("admin", "outcomes_focused", "low", "role_not_permitted"),
    ("admin", "justice_report", "low", "role_not_permitted"),
])
def test_unqualified_or_outside_sign_offs_are_refused_audited_and_unwritten(
        world, username, kind, risk, reason):
    me = world.login("sw.north")
    data = dto.AssessmentInput(**{**COMPLETE.__dict__, "risk_level": risk})
    a = ready_to_sign(me, started(world, kind=kind), data)
    other = world.login(username)
    e = assert_refused(world, other, lambda: other.assessments.sign_off(a.id, a.row_version),
                       "sign_off_assessment", reason, entity_id=a.id)
    ev = last_refusal(world)
    assert ev.entity_type == "assessment" and json.loads(ev.detail)["message"] == str(e)
    row = stored(world, a.id)
    assert (row.status, row.signed_off_by, row.row_version) == ("draft", None, a.row_version)
    assert count(world, CaseNote) == 0


def test_too_little_experience_for_an_mho_report_is_refused(world):
    admin = world.login("admin")
    nq = world.staff["sw.nq"]
    admin.admin.update_staff(nq.id, nq.row_version, dto.StaffInput(
        username=nq.username, display_name=nq.display_name, role=nq.role.value,
        team_id=nq.team_id, sssc_number=nq.sssc_number, sssc_part=nq.sssc_part.value,
        sssc_expiry=nq.sssc_expiry, qualified_on=nq.qualified_on,
        accreditations=frozenset({"mho"})))
    me = world.login("sw.nq")
    a = ready_to_sign(me, started(world, "sw.nq", kind="mho_report"))
    e = assert_refused(world, me, lambda: me.assessments.sign_off(a.id, a.row_version),
                       "sign_off_assessment", "insufficient_experience", entity_id=a.id)
    assert "at least 24 months" in str(e)
    assert stored(world, a.id).status == "draft"


def test_a_registration_that_lapses_after_sign_in_is_refused_at_once(world):
    me = world.login("sw.north")
    a = ready_to_sign(me, started(world, kind="justice_report"))
    world.clock.advance(days=301)  # sw.north's registration expires in 300 days
    assert_refused(world, me, lambda: me.assessments.sign_off(a.id, a.row_version),
                   "sign_off_assessment", "registration_lapsed", entity_id=a.id)
    assert stored(world, a.id).status == "draft"


# -- drafts for me ------------------------------------------------------------------------

def test_drafts_for_me_lists_what_i_was_asked_to_prepare(world):
    pp_id = world.staff["pp.north"].id
    first = started(world, "tl.north", drafter_id=pp_id)
    world.clock.advance(days=1)
    second = started(world, "sw.mho", kind="mho_report", case="Morag Baird", drafter_id=pp_id)
    started(world, "sw.north", kind="risk")  # someone else's
    pp = world.login("pp.north")
    page = pp.assessments.my_drafts()
    assert [(r.id, r.person_name, r.case_reference, r.kind, r.asked_by_name)
            for r in page.rows] == [
        (first.id, "Łukasz Nowak", "CW-000002", "outcomes_focused", "Tl North"),
        (second.id, "Morag Baird", "CW-000004", "mho_report", "Sw Mho"),
    ]
    assert page.rows[1].started_on == TODAY + timedelta(days=1)
    assert pp.assessments.count_my_drafts() == 2
    assert [r.id for r in pp.assessments.my_drafts(1, 1).rows] == [second.id]
    # A social worker's own drafts are theirs to find too.
    assert len(world.login("sw.north").assessments.my_drafts().rows) == 1
    with pytest.raises(ValidationError):
        pp.assessments.my_drafts(0, 0)
    admin = world.login("admin")
    assert_refused(world, admin, lambda: admin.assessments.my_drafts(), "view_own_drafts",
                   "role_not_permitted")


def test_a_deactivated_drafter_is_refused(world):
    a = started(world, "sw.north", drafter_id=world.staff["pp.north"].id)
    pp = world.login("pp.north")
    admin = world.login("admin")
    info = world.staff["pp.north"]
    admin.admin.set_active(info.id, info.row_version, False)
    assert_refused(world, pp, lambda: pp.assessments.update_draft(a.id, COMPLETE, a.row_version),
                   "update_assessment", "account_inactive")
