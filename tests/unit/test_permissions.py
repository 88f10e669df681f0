"""The permission matrix and the reserved-function catalogue, written out as the spec."""

from __future__ import annotations

from datetime import date

import pytest

from casework.permissions import (
    DEFAULT_CATALOGUE,
    GUARDS,
    Accreditation,
    Action,
    Actor,
    CaseRef,
    RegisterPart,
    ReservedFunction,
    ReservedRule,
    Role,
    decide_action,
    decide_allocation,
    decide_assessment_draft,
    caseload_team_ids,
    decide_case_access,
    decide_case_change,
    decide_case_work,
    decide_close,
    decide_draft_change,
    decide_referral_team,
    decide_reserved,
    decide_still_draft,
    decide_team_caseload,
    decide_sign_off,
    sign_off_functions,
    case_change_functions,
    draft_change_functions,
    is_high_risk,
    is_newly_qualified,
    lowers_high_risk,
    pq_months,
)

TODAY = date(2026, 11, 22)
SW, SP, TL, SM, PP, AD = (Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_LEADER,
                          Role.SERVICE_MANAGER, Role.PARA_PROFESSIONAL, Role.ADMINISTRATOR)

# Who may do each ordinary action (the spec, by hand).
MATRIX = {
    Action.VIEW_OWN_CASELOAD: {SW, SP, TL},
    Action.VIEW_TEAM_CASELOAD: {SP, TL, SM},
    Action.VIEW_UNALLOCATED: {SP, TL, SM},
    Action.VIEW_CASE: {SW, SP, TL, SM},
    Action.RECORD_REFERRAL: {SW, SP, TL, SM},
    Action.WORK_ON_CASE: {SW, SP, TL, SM},
    Action.SIGN_OFF_ASSESSMENT: {SW, SP, TL, SM},
    Action.VIEW_OWN_DRAFTS: {SW, SP, TL, SM, PP},
    Action.CLOSE_CASE: {SW, SP, TL, SM},
    Action.ALLOCATE_CASE: {TL, SM},
    Action.MANAGE_TEAMS: {AD},
    Action.MANAGE_STAFF: {AD},
    Action.RESET_PASSWORD: {AD},
    Action.MANAGE_RESERVED_RULES: {AD},
    Action.VIEW_AUDIT: {AD},
    Action.BACKUP_WORKSPACE: {AD},
    Action.RESTORE_WORKSPACE: {AD},
    Action.CHANGE_OWN_PASSWORD: {SW, SP, TL, SM, PP, AD},
}


def actor(role=SW, *, part=RegisterPart.SOCIAL_WORKER, number="1234567",
          expiry=date(2027, 6, 30), qualified=date(2015, 6, 1), accreditations=(),
          team="north", active=True, managed=()):
    return Actor(id=f"{role}-id", username="u", display_name="Alex Doe", role=role,
                 team_id=team, active=active, sssc_number=number, sssc_part=part,
                 sssc_expiry=expiry, qualified_on=qualified,
                 accreditations=frozenset(accreditations), managed_team_ids=frozenset(managed))


def test_matrix_covers_every_action():
    assert set(MATRIX) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_action_matrix(role, action):
    decision = decide_action(actor(role), action)
    assert decision.allowed == (role in MATRIX[action])
    if not decision.allowed:
        assert decision.reason == "role_not_permitted" and decision.message


@pytest.mark.parametrize("action", list(Action))
def test_a_deactivated_account_may_do_nothing(action):
    assert decide_action(actor(AD, active=False), action).reason == "account_inactive"


# (actor, function) -> reason ('allowed' when it may)
MHO = ReservedFunction.MHO_FUNCTION
CP = ReservedFunction.SIGN_OFF_CHILD_PROTECTION_INVESTIGATION
ASP_CO = ReservedFunction.ASP_COUNCIL_OFFICER
CLOSE = ReservedFunction.CLOSE_STATUTORY_CASE
RESERVED_CASES = [
    (actor(SW), CP, "allowed"),
    (actor(TL), CP, "allowed"),  # a team leader who is registered may act
    (actor(SM), CLOSE, "allowed"),
    (actor(PP, part=RegisterPart.SOCIAL_SERVICE_WORKER), CP, "role_not_permitted"),
    (actor(PP), CP, "role_not_permitted"),  # even on the social worker part: the role drafts only
    (actor(AD), CLOSE, "role_not_permitted"),
    (actor(SW, part=RegisterPart.SOCIAL_SERVICE_WORKER), CP, "not_registered"),
    (actor(SW, number=None), CP, "not_registered"),
    (actor(SW, expiry=date(2026, 11, 21)), CP, "registration_lapsed"),
    (actor(TL, expiry=date(2026, 9, 1)), CLOSE, "registration_lapsed"),  # job title does not help
    (actor(SW, expiry=TODAY), CP, "allowed"),  # valid through its expiry day
    (actor(SW, expiry=None), CP, "registration_lapsed"),
    (actor(SW), MHO, "missing_accreditation"),
    (actor(SW, accreditations=[Accreditation.MHO]), MHO, "allowed"),
    (actor(SW, accreditations=[Accreditation.MHO], qualified=date(2025, 1, 1)), MHO,
     "insufficient_experience"),
    (actor(SW, accreditations=[Accreditation.ASP_COUNCIL_OFFICER], qualified=date(2025, 11, 22)),
     ASP_CO, "allowed"),  # exactly twelve months
    (actor(SW, accreditations=[Accreditation.ASP_COUNCIL_OFFICER], qualified=date(2025, 11, 23)),
     ASP_CO, "insufficient_experience"),
    (actor(SW, accreditations=[Accreditation.MHO], active=False), MHO, "account_inactive"),
]


@pytest.mark.parametrize("who, function, reason", RESERVED_CASES)
def test_reserved_functions(who, function, reason):
    decision = decide_reserved(who, function, today=TODAY)
    assert decision.reason == reason
    assert decision.allowed == (reason == "allowed")
    if not decision.allowed:
        assert DEFAULT_CATALOGUE.rule(function).label in decision.message or reason == "account_inactive"


def test_a_lapsed_registration_is_named_with_its_date():
    d = decide_reserved(actor(SW, expiry=date(2026, 9, 1)), CP, today=TODAY)
    assert "lapsed on 1 September 2026" in d.message


def test_the_catalogue_is_the_domain_default():
    assert {r.code for r in DEFAULT_CATALOGUE.rules.values()} == set(ReservedFunction)
    assert DEFAULT_CATALOGUE.rule(MHO).min_pq_months == 24
    assert DEFAULT_CATALOGUE.rule(ASP_CO).min_pq_months == 12


def test_extensions_add_and_strengthen_never_weaken():
    cat = DEFAULT_CATALOGUE.extended([
        ReservedRule(MHO, "weaker", frozenset(), 0),
        ReservedRule(CP, "stronger", frozenset(), 60),
        ReservedRule("sign_off_carer_review", "Sign-off of a carer's review", frozenset(), 6),
    ])
    assert cat.rule(MHO).min_pq_months == 24 and cat.rule(MHO).accreditations == {Accreditation.MHO}
    assert cat.rule(CP).min_pq_months == 60
    assert decide_reserved(actor(SW, qualified=date(2022, 1, 1)), CP, today=TODAY,
                           catalogue=cat).reason == "insufficient_experience"
    assert decide_reserved(actor(SW), "sign_off_carer_review", today=TODAY, catalogue=cat)
    with pytest.raises(KeyError):
        DEFAULT_CATALOGUE.rule("sign_off_carer_review")


def test_case_access_by_team_and_named_worker():
    mine = CaseRef(team_id="north", named_worker_id=f"{SW}-id")
    other = CaseRef(team_id="south", named_worker_id="someone")
    assert decide_case_access(actor(SW), mine)
    assert decide_case_access(actor(SW, team="south"), mine)  # named worker, whatever the team
    assert decide_case_access(actor(TL), CaseRef("north", None))
    assert decide_case_access(actor(SW), other).reason == "outside_team_needs_reason"
    assert decide_case_access(actor(SW), other, reason_given=True)
    assert decide_case_access(actor(SM, team=None, managed=["south"]), other)
    assert decide_case_access(actor(PP), mine).reason == "role_not_permitted"
    assert decide_case_access(actor(AD), other, reason_given=True).reason == "role_not_permitted"


def test_allocation_by_leaders_of_the_case_team():
    assert decide_allocation(actor(TL), "north")
    assert decide_allocation(actor(TL), "south").reason == "not_team_manager"
    assert decide_allocation(actor(SM, team=None, managed=["south"]), "south")
    assert decide_allocation(actor(SW), "north").reason == "role_not_permitted"


@pytest.mark.parametrize("qualified, months", [
    (date(2026, 11, 22), 0), (date(2026, 10, 22), 1), (date(2026, 10, 23), 0),
    (date(2024, 11, 22), 24), (date(2024, 11, 23), 23), (date(2027, 1, 1), 0), (None, 0),
])
def test_post_qualifying_months(qualified, months):
    assert pq_months(actor(qualified=qualified), TODAY) == months


def test_newly_qualified_is_the_first_year():
    assert is_newly_qualified(actor(qualified=date(2026, 7, 1)), TODAY)
    assert not is_newly_qualified(actor(qualified=date(2025, 11, 22)), TODAY)
    assert not is_newly_qualified(actor(PP, qualified=None), TODAY)


def test_recording_on_a_case_is_for_its_team_and_never_by_a_reason():
    mine = CaseRef(team_id="north", named_worker_id=f"{SW}-id")
    other = CaseRef(team_id="south", named_worker_id="someone")
    assert decide_case_work(actor(SW), mine)
    assert decide_case_work(actor(SW, team="south"), mine)  # the named worker
    assert decide_case_work(actor(SP), CaseRef("north", None))
    assert decide_case_work(actor(SM, team=None, managed=["south"]), other)
    assert decide_case_work(actor(SW), other).reason == "outside_team"
    assert decide_case_work(actor(PP), mine).reason == "role_not_permitted"
    assert decide_case_work(actor(AD), mine).reason == "role_not_permitted"


def test_whoever_is_asked_to_draft_may_work_on_that_draft_alone():
    case = CaseRef(team_id="north", named_worker_id="someone")
    pp = actor(PP, part=RegisterPart.SOCIAL_SERVICE_WORKER)
    assert decide_assessment_draft(pp, case, drafter_id=pp.id)
    assert decide_assessment_draft(pp, case, drafter_id="another").reason == "role_not_permitted"
    assert decide_assessment_draft(pp, case, drafter_id=None).reason == "role_not_permitted"
    assert decide_assessment_draft(actor(PP, active=False), case, f"{PP}-id").reason == "account_inactive"
    assert decide_assessment_draft(actor(SW, team="south"), case, None).reason == "outside_team"


@pytest.mark.parametrize("kind, risk, functions", [
    ("outcomes_focused", "medium", ()),
    ("risk", "high", (ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT,)),
    ("child_protection_investigation", "low", (CP,)),
    ("asp_inquiry", None, (ReservedFunction.SIGN_OFF_ASP_INQUIRY,)),
    ("justice_report", "medium", (ReservedFunction.SIGN_OFF_JUSTICE_REPORT,)),
    ("mho_report", "high", (MHO, ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT)),
])
def test_which_sign_offs_are_reserved(kind, risk, functions):
    assert sign_off_functions(kind, risk) == functions


def test_sign_off_needs_every_reserved_function_it_carries_out():
    case = CaseRef(team_id="north", named_worker_id=None)
    today = dict(today=TODAY)
    assert decide_sign_off(actor(SW), case, "outcomes_focused", "low", **today)
    assert decide_sign_off(actor(SW), case, "child_protection_investigation", "high", **today)
    lapsed = actor(SW, expiry=date(2026, 9, 1))
    assert decide_sign_off(lapsed, case, "risk", "high", **today).reason == "registration_lapsed"
    assert decide_sign_off(lapsed, case, "risk", "medium", **today)  # nothing reserved
    assert decide_sign_off(actor(SW), case, "mho_report", "low", **today).reason == \
        "missing_accreditation"
    pp = decide_sign_off(actor(PP), case, "outcomes_focused", "low", **today)
    assert pp.reason == "role_not_permitted" and "signs it off" in pp.message
    assert decide_sign_off(actor(PP), case, "asp_inquiry", "low", **today).reason == \
        "role_not_permitted"
    assert decide_sign_off(actor(SW, team="south"), case, "risk", "low", **today).reason == \
        "outside_team"


def test_closing_under_a_statutory_order_is_reserved():
    mine = CaseRef(team_id="north", named_worker_id=f"{SW}-id")
    today = dict(today=TODAY)
    assert decide_close(actor(SW), mine, False, **today)
    assert decide_close(actor(SW), mine, True, **today)
    assert decide_close(actor(SW, expiry=date(2026, 1, 1)), mine, True, **today).reason == \
        "registration_lapsed"
    assert decide_close(actor(SW, expiry=date(2026, 1, 1)), mine, False, **today)
    assert decide_close(actor(TL, managed=["north"]), CaseRef("north", "x"), True, **today)
    assert decide_close(actor(SP), CaseRef("north", "x"), False, **today).reason == \
        "not_named_worker"
    assert decide_close(actor(PP), mine, False, **today).reason == "role_not_permitted"


# -- no two-step route round a reserved function -------------------------------------------

END = ReservedFunction.END_STATUTORY_ORDER
LOWER = ReservedFunction.LOWER_HIGH_RISK
HIGH = ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT


@pytest.mark.parametrize("before, after, lowers", [
    ("high", "medium", True), ("high", "low", True), ("high", None, True),
    ("high", "high", False), ("medium", "low", False), (None, "low", False),
    ("low", "high", False),
    ("severe", "medium", True),  # a level this version does not know counts as high
    ("severe", "high", False),
])
def test_lowering_a_high_risk(before, after, lowers):
    assert is_high_risk(before) == (before in ("high", "severe"))
    assert lowers_high_risk(before, after) == lowers
    assert draft_change_functions(before, after) == ((LOWER,) if lowers else ())


@pytest.mark.parametrize("under_order, legal_changes, risk_before, risk_after, functions", [
    (True, True, "low", "low", (END,)),  # an order ended or replaced
    (True, False, "low", "low", ()),  # kept: other details change
    (False, True, "low", "low", ()),  # voluntary to an order: closing gets stricter
    (False, False, "high", "medium", (LOWER,)),
    (True, True, "high", None, (END, LOWER)),
])
def test_which_case_changes_are_reserved(under_order, legal_changes, risk_before, risk_after,
                                         functions):
    assert case_change_functions(under_order=under_order, legal_status_changes=legal_changes,
                                 risk_before=risk_before, risk_after=risk_after) == functions


def test_a_change_needs_the_case_first_and_then_every_reserved_function():
    case = CaseRef(team_id="north", named_worker_id=None)
    lapsed = actor(SW, expiry=date(2026, 9, 1))
    assert decide_case_change(actor(SW), case, (END, LOWER), today=TODAY)
    assert decide_case_change(lapsed, case, (), today=TODAY)
    assert decide_case_change(lapsed, case, (END,), today=TODAY).reason == "registration_lapsed"
    assert decide_case_change(actor(SW, team="south"), case, (END,),
                              today=TODAY).reason == "outside_team"
    pp = actor(PP, part=RegisterPart.SOCIAL_SERVICE_WORKER)
    assert decide_draft_change(pp, case, pp.id, (), today=TODAY)
    refused = decide_draft_change(pp, case, pp.id, (LOWER,), today=TODAY)
    assert refused.reason == "role_not_permitted" and "prepare a draft" in refused.message


def test_the_way_round_a_function_needs_what_that_function_needs():
    # Built in, each guard needs a current registration and nothing more.
    assert set(GUARDS) == {END, LOWER}
    for code in (END, LOWER):
        rule = DEFAULT_CATALOGUE.rule(code)
        assert (rule.accreditations, rule.min_pq_months, rule.builtin) == (frozenset(), 0, True)
    stronger = DEFAULT_CATALOGUE.extended([
        ReservedRule(CLOSE, "x", min_pq_months=12),
        ReservedRule(HIGH, "y", accreditations=frozenset({Accreditation.MHO})),
    ])
    assert stronger.rule(END).min_pq_months == 12
    assert stronger.rule(LOWER).accreditations == {Accreditation.MHO}
    assert stronger.rule(END).label == DEFAULT_CATALOGUE.rule(END).label
    newly = actor(SW, qualified=date(2026, 6, 1))
    assert decide_reserved(newly, END, today=TODAY)
    assert decide_reserved(newly, END, today=TODAY,
                           catalogue=stronger).reason == "insufficient_experience"
    # Strengthening a guard itself leaves the guarded function as it was.
    own = DEFAULT_CATALOGUE.extended([ReservedRule(END, "z", min_pq_months=36)])
    assert own.rule(END).min_pq_months == 36 and own.rule(CLOSE).min_pq_months == 0


# -- decisions the services used to make themselves ----------------------------------------

def test_which_teams_a_caseload_may_be_listed_for():
    tl = actor(TL, managed=["north"])
    assert caseload_team_ids(tl) == {"north"}
    assert caseload_team_ids(actor(SM, team=None, managed=["north", "south"])) == {"north", "south"}
    listing = Action.VIEW_TEAM_CASELOAD
    assert decide_team_caseload(tl, listing, None) and decide_team_caseload(tl, listing, "north")
    assert decide_team_caseload(tl, listing, "south").reason == "not_team_member"
    assert decide_team_caseload(actor(SW), listing, "north").reason == "role_not_permitted"


@pytest.mark.parametrize("who, team, reason", [
    (actor(SW), "north", "allowed"),
    (actor(SW), "south", "not_team_member"),
    (actor(SW, team=None), None, "no_team"),
    (actor(SM, team=None, managed=["north"]), "north", "allowed"),
    (actor(SM, team=None, managed=["north"]), "south", "not_team_manager"),
    (actor(PP), "north", "role_not_permitted"),
])
def test_which_team_a_referral_may_go_to(who, team, reason):
    assert decide_referral_team(who, team).reason == reason


def test_a_signed_off_assessment_never_changes():
    assert decide_still_draft(True)
    d = decide_still_draft(False, signed_off_by="Ann Gray", signed_off_on="1 December 2026")
    assert d.reason == "assessment_signed_off"
    assert d.message.startswith("This assessment was signed off by Ann Gray on 1 December 2026")
