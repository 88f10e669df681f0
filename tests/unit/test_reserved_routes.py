"""No two-step route round a reserved function, as every role.

A worker whose registration lapsed may not take a compulsory treatment order off a case's
record and then close it as an ordinary case, nor lower a colleague's high-risk draft to
medium and then sign it off: ending (or replacing) a statutory order and lowering a risk
assessed as high are reserved functions themselves, for the case's recorded risk as for an
assessment's. Each refusal says why, is audited once, and leaves nothing written; an
administrator's stronger rule for closure or high-risk sign-off applies to the way round it.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from casework import permissions as perm
from casework.models import Allocation, Assessment, AssessmentContribution, AuditEvent, Case, CaseNote
from casework import dto
from refusals import assert_refused
from service_world import TODAY, add_case

ORDER = "compulsory_treatment_order"
LAPSED_MESSAGE = "Sw Lapsed's SSSC registration lapsed on 23 September 2026."


# -- helpers ------------------------------------------------------------------------------

def snapshot(world) -> tuple:
    """Every row a case or assessment change could write, and the audit events that record
    something done."""
    def rows(s, model):
        columns = [c.key for c in model.__table__.columns]
        return sorted(tuple(str(getattr(r, k)) for k in columns) for r in s.scalars(select(model)))
    with world.ws.db.read() as s:
        return (rows(s, Case), rows(s, Assessment), rows(s, AssessmentContribution),
                rows(s, Allocation), rows(s, CaseNote),
                s.scalar(select(func.count()).where(AuditEvent.outcome == "done")))


def refusals(world) -> list[AuditEvent]:
    with world.ws.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")
                              .order_by(AuditEvent.seq)))


def refusal_detail(world) -> dict:
    return json.loads(refusals(world)[-1].detail)


def case_row(world, case_id: str) -> Case:
    with world.ws.db.read() as s:
        return s.get(Case, case_id)


def details(world, case_id: str, **changes) -> dto.CaseDetailsInput:
    c = case_row(world, case_id)
    return replace(dto.CaseDetailsInput(risk_level=c.risk_level, legal_status=c.legal_status,
                                        eligibility_band=c.eligibility_band,
                                        summary=c.summary or ""), **changes)


def update(world, me, case_id: str, **changes) -> dto.CaseSummary:
    return me.cases.update_details(case_id, details(world, case_id, **changes),
                                   case_row(world, case_id).row_version)


def order_case(world, worker: str = "sw.lapsed", legal: str = ORDER, risk: str = "medium",
               name: str = "Order") -> str:
    return add_case(world, team="north", worker=worker, name=("Rory", name), legal=legal,
                    risk=risk)


def high_draft(world, by: str = "sw.north", drafter: str | None = None,
               kind: str = "outcomes_focused") -> dto.AssessmentDetail:
    """A colleague's draft on a case of sw.lapsed's, with everything sign-off needs and the
    risk assessed as high."""
    cid = world.cases.get("Rory Order") or order_case(world, legal="voluntary")
    me = world.login(by)
    a = me.assessments.start(cid, kind, drafter_id=world.staff[drafter].id if drafter else None)
    a = me.assessments.update_draft(a.id, dto.AssessmentInput(
        risk_level="high", needs="Meals.", outcomes_wanted="Stay at home.",
        risks="Falls at night; has left the gas on twice."), a.row_version)
    return me.assessments.add_contribution(a.id, dto.ContributionInput(
        "person", "I want to stay at home.", TODAY))


def draft_input(d: dto.AssessmentDetail, **changes) -> dto.AssessmentInput:
    return replace(dto.AssessmentInput(risk_level=d.risk_level, strengths=d.strengths,
                                       needs=d.needs, risks=d.risks,
                                       outcomes_wanted=d.outcomes_wanted, analysis=d.analysis),
                   **changes)


# -- ending a statutory order on the record -------------------------------------------------

def test_a_lapsed_worker_may_not_end_the_order_and_then_close_the_case(world):
    cid = order_case(world)
    me = world.login("sw.lapsed")
    e = assert_refused(world, me, lambda: update(world, me, cid, legal_status="voluntary"),
                       "update_case_details", "registration_lapsed")
    assert str(e) == ("Ending or replacing a statutory order on a case's record is reserved "
                      "to a registered social worker; " + LAPSED_MESSAGE)
    assert refusal_detail(world) == {"reserved_functions": ["end_statutory_order"],
                                     "message": str(e)}
    # The second step is still the reserved one: the order is on the record.
    assert_refused(world, me, lambda: me.cases.close(cid, "Order revoked.",
                                                     case_row(world, cid).row_version),
                   "close_case", "registration_lapsed")


def test_replacing_one_order_with_another_is_ending_it(world):
    cid = order_case(world)
    me = world.login("sw.lapsed")
    assert_refused(world, me, lambda: update(world, me, cid, legal_status="guardianship_order"),
                   "update_case_details", "registration_lapsed")


def test_recording_a_new_order_or_other_details_under_one_is_ordinary(world):
    me = world.login("sw.lapsed")
    voluntary = order_case(world, legal="voluntary", name="Voluntary")
    assert update(world, me, voluntary, legal_status=ORDER).case.legal_status == ORDER
    under = order_case(world)
    changed = update(world, me, under, summary="Visits weekly.", eligibility_band="critical")
    assert changed.case.legal_status == ORDER


@pytest.mark.parametrize("username", ["sw.north", "sw.nq", "sp.north", "tl.north", "sm"])
def test_a_registered_member_of_the_team_ends_an_order_on_the_record(world, username):
    cid = order_case(world)
    changed = update(world, world.login(username), cid, legal_status="voluntary")
    assert changed.case.legal_status == "voluntary"
    with world.ws.db.read() as s:
        done = s.scalars(select(AuditEvent).where(AuditEvent.action == "update_case_details")
                         .order_by(AuditEvent.seq.desc())).first()
    assert json.loads(done.detail)["reserved_functions"] == ["end_statutory_order"]
    # Then closing it is an ordinary closure, for its named worker.
    closed = world.login("sw.lapsed").cases.close(cid, "Order revoked by the tribunal.",
                                                  case_row(world, cid).row_version)
    assert closed.case.status == "closed"


@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("sw.south", "outside_team"),
    ("tl.south", "outside_team"),
    ("admin", "role_not_permitted"),
])
def test_others_are_refused_as_for_any_change_to_the_case(world, username, reason):
    cid = order_case(world)
    me = world.login(username)
    assert_refused(world, me, lambda: update(world, me, cid, legal_status="voluntary"),
                   "update_case_details", reason)


def test_an_unknown_legal_status_counts_as_an_order(world):
    cid = order_case(world, legal="interim_order_from_a_newer_version")
    me = world.login("sw.lapsed")
    assert_refused(world, me, lambda: update(world, me, cid, legal_status="voluntary"),
                   "update_case_details", "registration_lapsed")


# -- lowering a case's recorded risk from high ----------------------------------------------

@pytest.mark.parametrize("lower", ["medium", "low"])
def test_a_lapsed_worker_may_not_lower_a_case_s_high_risk(world, lower):
    cid = order_case(world, legal="voluntary", risk="high")
    me = world.login("sw.lapsed")
    e = assert_refused(world, me, lambda: update(world, me, cid, risk_level=lower),
                       "update_case_details", "registration_lapsed")
    assert str(e).startswith("Lowering a risk assessed as high (a case's or an assessment's) "
                             "is reserved to a registered social worker")
    assert refusal_detail(world)["reserved_functions"] == ["lower_high_risk"]


def test_raising_a_risk_or_keeping_it_high_is_ordinary(world):
    me = world.login("sw.lapsed")
    cid = order_case(world, legal="voluntary", risk="low")
    assert update(world, me, cid, risk_level="high").case.risk_level == "high"
    assert update(world, me, cid, summary="Seen today.").case.risk_level == "high"


def test_both_at_once_name_both_functions(world):
    cid = order_case(world, risk="high")
    me = world.login("sw.north")
    update(world, me, cid, legal_status="voluntary", risk_level="low")
    with world.ws.db.read() as s:
        done = s.scalars(select(AuditEvent).where(AuditEvent.action == "update_case_details")
                         .order_by(AuditEvent.seq.desc())).first()
    assert json.loads(done.detail)["reserved_functions"] == ["end_statutory_order",
                                                             "lower_high_risk"]


def test_opening_a_referral_may_not_lower_its_high_risk(world):
    cid = add_case(world, team="north", worker="sw.lapsed", name=("Hana", "Referral"),
                   status="referral", risk="high")
    opening = dto.OpenCaseInput(service_area="adult_community_care", eligibility_band="moderate",
                                risk_level="medium", legal_status="voluntary", opened_on=TODAY)
    me = world.login("sw.lapsed")
    assert_refused(world, me, lambda: me.cases.open_case(cid, opening,
                                                         case_row(world, cid).row_version),
                   "open_case", "registration_lapsed")
    # Opened at the risk it was referred with, it opens.
    opened = me.cases.open_case(cid, replace(opening, risk_level="high"),
                                case_row(world, cid).row_version)
    assert opened.case.status == "open"


# -- lowering an assessment's risk from high ------------------------------------------------

@pytest.mark.parametrize("lower", ["medium", "low", None])
def test_a_lapsed_worker_may_not_lower_a_colleague_s_high_risk_draft(world, lower):
    d = high_draft(world)
    me = world.login("sw.lapsed")
    e = assert_refused(world, me, lambda: me.assessments.update_draft(
        d.id, draft_input(d, risk_level=lower), d.row_version),
        "update_assessment", "registration_lapsed")
    assert LAPSED_MESSAGE in str(e)
    assert refusal_detail(world)["reserved_functions"] == ["lower_high_risk"]
    # The second step stays reserved: the draft is still assessed as high.
    assert_refused(world, me, lambda: me.assessments.sign_off(d.id, d.row_version),
                   "sign_off_assessment", "registration_lapsed")


def test_the_para_professional_preparing_it_may_not_lower_it_either(world):
    d = high_draft(world, drafter="pp.north")
    me = world.login("pp.north")
    e = assert_refused(world, me, lambda: me.assessments.update_draft(
        d.id, draft_input(d, risk_level="medium"), d.row_version),
        "update_assessment", "role_not_permitted")
    assert "may prepare a draft but not carry it out" in str(e)
    # Everything else of the draft is theirs to write.
    written = me.assessments.update_draft(d.id, draft_input(d, analysis="Needs a review."),
                                          d.row_version)
    assert (written.risk_level, written.analysis) == ("high", "Needs a review.")


@pytest.mark.parametrize("username", ["sw.north", "sw.nq", "tl.north", "sm"])
def test_a_registered_member_of_the_team_lowers_a_high_draft(world, username):
    d = high_draft(world)
    lowered = world.login(username).assessments.update_draft(
        d.id, draft_input(d, risk_level="medium"), d.row_version)
    assert lowered.risk_level == "medium"


def test_raising_a_draft_s_risk_to_high_is_ordinary(world):
    d = high_draft(world)
    me = world.login("sw.north")
    d = me.assessments.update_draft(d.id, draft_input(d, risk_level="low"), d.row_version)
    raised = world.login("sw.lapsed").assessments.update_draft(
        d.id, draft_input(d, risk_level="high"), d.row_version)
    assert raised.risk_level == "high"


# -- an administrator's stronger rule reaches the way round it ------------------------------

def test_a_stronger_closure_rule_applies_to_ending_the_order(world):
    admin = world.login("admin").admin
    rules = {r.code: r for r in admin.add_reserved_rule(
        "close_statutory_case", "Closure of a case under a statutory order",
        min_pq_months=12)}
    # The catalogue lists what is enforced: the way round needs what closure needs.
    assert rules["end_statutory_order"].min_pq_months == 12
    cid = order_case(world, worker="sw.nq")  # qualified in July 2026: four months
    me = world.login("sw.nq")
    assert_refused(world, me, lambda: update(world, me, cid, legal_status="voluntary"),
                   "update_case_details", "insufficient_experience")
    assert update(world, world.login("sw.north"), cid,
                  legal_status="voluntary").case.legal_status == "voluntary"


def test_a_stronger_high_risk_rule_applies_to_lowering_a_risk(world):
    admin = world.login("admin").admin
    rules = {r.code: r for r in admin.add_reserved_rule(
        "sign_off_high_risk_assessment", "Sign-off of a high-risk assessment",
        frozenset({"mho"}))}
    assert rules["lower_high_risk"].accreditations == ("mho",)
    d = high_draft(world)
    me = world.login("sw.north")
    assert_refused(world, me, lambda: me.assessments.update_draft(
        d.id, draft_input(d, risk_level="medium"), d.row_version),
        "update_assessment", "missing_accreditation")
    cid = order_case(world, worker="sw.north", legal="voluntary", risk="high", name="High")
    assert_refused(world, me, lambda: update(world, me, cid, risk_level="low"),
                   "update_case_details", "missing_accreditation")
    assert world.login("sw.mho").assessments.update_draft(
        d.id, draft_input(d, risk_level="medium"), d.row_version).risk_level == "medium"


def test_an_extension_can_never_make_the_guards_weaker(world):
    admin = world.login("admin").admin
    admin.add_reserved_rule("close_statutory_case", "Closure", min_pq_months=24)
    rules = {r.code: r for r in admin.add_reserved_rule(
        "end_statutory_order", "Ending an order", min_pq_months=0)}
    assert rules["end_statutory_order"].min_pq_months == 24
    assert rules["end_statutory_order"].label == ("Ending or replacing a statutory order on "
                                                  "a case's record")
    standing = {s.code: s for s in world.login("sw.nq").account.reserved_functions()}
    assert not standing[perm.ReservedFunction.END_STATUTORY_ORDER].allowed
