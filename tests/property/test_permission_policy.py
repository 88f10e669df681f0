"""Invariants of the permission policy, over any actor, date and catalogue.

The actors are drawn around the lines that matter (registration expiring today, tomorrow or
yesterday; qualified just under or just over the months a rule needs), mostly qualified, so
that most examples are permitted and a refusal comes from one fact at a time. Each test
asserts on every example, permitted or refused, and names which it was with `event`; the
boundary cases are always tried with `@example`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from casework.permissions import (
    DEFAULT_CATALOGUE,
    PRACTITIONER_ROLES,
    Accreditation,
    Action,
    Actor,
    CaseRef,
    RegisterPart,
    ReservedFunction,
    ReservedRule,
    Role,
    decide_action,
    decide_case_access,
    decide_reserved,
    pq_months,
)

TODAY = date(2026, 11, 22)
dates = st.one_of(st.just(TODAY), st.dates(min_value=date(1990, 1, 1),
                                           max_value=date(2040, 12, 31)))
teams = st.sampled_from(["north", "south", "east"])
MHO = ReservedFunction.MHO_FUNCTION.value
CLOSE_STATUTORY = ReservedFunction.CLOSE_STATUTORY_CASE.value


def days_around(*boundaries: int, low: int, high: int) -> st.SearchStrategy[int]:
    """The boundaries and a day either side of each, or anything between low and high."""
    near = sorted({b + d for b in boundaries for d in (-1, 0, 1)})
    return st.one_of(st.sampled_from(near), st.integers(low, high))


# The facts reserved work needs; an actor is drawn with none, one or two of them failing.
FACTS = ("active", "own_password", "role", "register", "expiry", "accreditations",
         "experience")


@st.composite
def actors(draw, today: date, roles: st.SearchStrategy[Role] | None = None) -> Actor:
    """Someone qualified for every reserved function on `today` but for the facts drawn to
    fail (about half the time none). Failing values include the boundaries, which may turn
    out to be enough: registration ending on `today`, 12 or 24 months qualified to the day."""
    failing = draw(st.one_of(st.just(frozenset()),
                             st.frozensets(st.sampled_from(FACTS), min_size=1, max_size=2)))
    role = draw(roles if roles is not None else (
        st.sampled_from(list(Role)) if "role" in failing
        else st.sampled_from(sorted(PRACTITIONER_ROLES))))
    if "register" in failing:
        number, part = draw(st.sampled_from([
            ("1234567", RegisterPart.SOCIAL_SERVICE_WORKER), ("1234567", None),
            (None, RegisterPart.SOCIAL_WORKER), ("", RegisterPart.SOCIAL_WORKER)]))
    else:
        number, part = "1234567", RegisterPart.SOCIAL_WORKER
    if "expiry" in failing:
        expiry = draw(st.one_of(st.none(), days_around(0, low=-800, high=-1).map(
            lambda d: today + timedelta(days=d))))
    else:
        expiry = today + timedelta(days=draw(days_around(0, 30, low=0, high=1200)))
    if "experience" in failing:
        qualified_on = draw(st.one_of(st.none(), days_around(0, 365, 730, low=-30, high=3650)
                                      .map(lambda d: today - timedelta(days=d))))
    else:  # past what the built-in rules ask (24 months), and many added ones
        qualified_on = today - timedelta(days=draw(st.integers(731, 9000)))
    return Actor(
        id=draw(st.sampled_from(["a", "b", "c"])),
        username="u",
        display_name="Person",
        role=role,
        team_id=draw(st.one_of(teams, st.none())),
        active="active" not in failing,
        sssc_number=number,
        sssc_part=part,
        sssc_expiry=expiry,
        qualified_on=qualified_on,
        accreditations=frozenset(draw(st.sets(st.sampled_from(list(Accreditation)))))
        if "accreditations" in failing else frozenset(Accreditation),
        managed_team_ids=frozenset(draw(st.sets(teams, max_size=2))),
        password_change_required="own_password" in failing,
    )


def qualified(**more) -> Actor:
    """A social worker on the register to TODAY, accredited for everything, qualified ten
    years: permitted every built-in reserved function, until `more` says otherwise."""
    return replace(Actor(
        id="a", username="u", display_name="Person", role=Role.SOCIAL_WORKER, team_id="north",
        sssc_number="1234567", sssc_part=RegisterPart.SOCIAL_WORKER, sssc_expiry=TODAY,
        qualified_on=date(2016, 11, 22), accreditations=frozenset(Accreditation)), **more)


def unmet(who: Actor, rule: ReservedRule, today: date) -> set[str]:
    """What `who` lacks for `rule` on `today`, by the reason a refusal would give."""
    lacking = {
        "account_inactive": not who.active,
        "password_change_required": who.password_change_required,
        "role_not_permitted": who.role not in PRACTITIONER_ROLES,
        "not_registered": who.sssc_part != RegisterPart.SOCIAL_WORKER or not who.sssc_number,
        "registration_lapsed": who.sssc_expiry is None or who.sssc_expiry < today,
        "missing_accreditation": not rule.accreditations <= who.accreditations,
        "insufficient_experience": pq_months(who, today) < rule.min_pq_months,
    }
    return {reason for reason, missing in lacking.items() if missing}


rules = st.builds(
    ReservedRule,
    code=st.sampled_from(list(DEFAULT_CATALOGUE.rules) + ["extra_one", "extra_two"]),
    label=st.just("An added rule"),
    accreditations=st.frozensets(st.sampled_from(list(Accreditation))),
    min_pq_months=st.one_of(st.sampled_from([0, 12, 24]), st.integers(0, 400)),
)
catalogues = st.lists(rules, max_size=4).map(DEFAULT_CATALOGUE.extended)
codes = st.sampled_from(sorted(DEFAULT_CATALOGUE.rules))
# A built-in function and added rules, mostly for that function, so that they bite.
extended_functions = codes.flatmap(lambda code: st.tuples(st.just(code), st.lists(
    rules.flatmap(lambda r: st.sampled_from([replace(r, code=code), r])), max_size=4)))


def situations(roles: st.SearchStrategy[Role] | None = None) -> st.SearchStrategy:
    """(actor, today): a day, and someone drawn around its lines."""
    return dates.flatmap(lambda today: st.tuples(actors(today, roles), st.just(today)))


@given(situations(), catalogues, st.sampled_from(sorted(DEFAULT_CATALOGUE.rules)
                                               + ["extra_one", "extra_two"]))
# Registration ending today still counts, yesterday it does not; the MHO function's 24
# months met to the day, and a day short.
@example((qualified(), TODAY), DEFAULT_CATALOGUE, CLOSE_STATUTORY)
@example((qualified(sssc_expiry=TODAY - timedelta(days=1)), TODAY), DEFAULT_CATALOGUE,
         CLOSE_STATUTORY)
@example((qualified(qualified_on=date(2024, 11, 22)), TODAY), DEFAULT_CATALOGUE, MHO)
@example((qualified(qualified_on=date(2024, 11, 23)), TODAY), DEFAULT_CATALOGUE, MHO)
@example((qualified(accreditations=frozenset()), TODAY), DEFAULT_CATALOGUE, MHO)
@example((qualified(sssc_part=RegisterPart.SOCIAL_SERVICE_WORKER), TODAY), DEFAULT_CATALOGUE,
         CLOSE_STATUTORY)
@example((qualified(), TODAY), DEFAULT_CATALOGUE.extended(
    [ReservedRule("extra_one", "An added rule", min_pq_months=121)]), "extra_one")
def test_no_reserved_function_by_an_unqualified_actor(situation, catalogue, code):
    """Permitted only with every requirement met; a refusal names one that is not."""
    who, today = situation
    assume(code in catalogue.rules)  # an added function, when the catalogue has it
    decision = decide_reserved(who, code, today=today, catalogue=catalogue)
    lacking = unmet(who, catalogue.rule(code), today)
    event("permitted" if decision else f"refused: {decision.reason}")
    if decision:
        assert not lacking, f"permitted {code} lacking {lacking}"
    else:
        assert decision.reason in lacking, (decision.reason, lacking)


@given(situations(st.sampled_from([Role.PARA_PROFESSIONAL, Role.ADMINISTRATOR])), codes)
@example((qualified(role=Role.PARA_PROFESSIONAL), TODAY), MHO)
@example((qualified(role=Role.ADMINISTRATOR), TODAY), CLOSE_STATUTORY)
def test_para_professionals_and_administrators_never_carry_out_reserved_work(situation, code):
    """Even with every other requirement met: registered, accredited, experienced."""
    who, today = situation
    decision = decide_reserved(who, code, today=today)
    event(f"refused: {decision.reason}")
    assert not decision
    assert decision.reason in unmet(who, DEFAULT_CATALOGUE.rule(code), today)


@given(situations(), extended_functions)
# Nothing added for the function: the same decision; a rule that asks one month more than
# the actor has: refused where the built-in one permits.
@example((qualified(), TODAY), (MHO, []))
@example((qualified(qualified_on=date(2024, 11, 22)), TODAY),
         (MHO, [ReservedRule(MHO, "Stricter", min_pq_months=25)]))
@example((qualified(accreditations=frozenset()), TODAY),
         (CLOSE_STATUTORY, [ReservedRule(CLOSE_STATUTORY, "Stricter",
                                         accreditations=frozenset({Accreditation.MHO}))]))
def test_extending_the_catalogue_never_permits_more(situation, function):
    who, today = situation
    code, extensions = function
    extended = DEFAULT_CATALOGUE.extended(extensions)
    built_in, in_force = DEFAULT_CATALOGUE.rule(code), extended.rule(code)
    assert in_force.builtin and in_force.accreditations >= built_in.accreditations
    assert in_force.min_pq_months >= built_in.min_pq_months
    before = decide_reserved(who, code, today=today)
    after = decide_reserved(who, code, today=today, catalogue=extended)
    event(("permitted" if before else "refused") + " by the built-in rule, "
          + ("permitted" if after else "refused") + " by the extended one")
    assert before or not after, f"the extension permits {code}, which the built-in refuses"
    if before and not after:
        assert after.reason in {"missing_accreditation", "insufficient_experience"}


@given(situations(), dates, st.integers(1, 3650), codes)
@example((qualified(), TODAY), TODAY, 1, CLOSE_STATUTORY)  # the day after it ends
def test_a_registration_past_its_expiry_permits_nothing_reserved(situation, expiry, days, code):
    who, _ = situation
    who = replace(who, sssc_expiry=expiry)
    later = who.sssc_expiry + timedelta(days=days)
    decision = decide_reserved(who, code, today=later)
    event(f"refused: {decision.reason}")
    assert not decision
    # Only an earlier reason can come first: the expiry itself is always reason enough.
    assert decide_reserved(qualified(sssc_expiry=who.sssc_expiry), code,
                           today=later).reason == "registration_lapsed"


@given(actors(TODAY), teams, st.one_of(st.none(), st.sampled_from(["a", "b", "z"])))
@example(qualified(), "south", "a")  # the named worker, in another team
@example(qualified(), "north", None)  # the team's own queue
@example(qualified(), "south", None)  # another team's: a reason is needed
@example(qualified(role=Role.SERVICE_MANAGER, team_id=None,
                   managed_team_ids=frozenset({"south"})), "south", None)
def test_case_access_without_a_reason_is_need_to_know(who, team, worker):
    case = CaseRef(team_id=team, named_worker_id=worker)
    decision = decide_case_access(who, case)
    knows = worker == who.id or team == who.team_id or team in who.managed_team_ids
    event("allowed" if decision else f"refused: {decision.reason}")
    if decision:
        assert who.active and who.role in PRACTITIONER_ROLES
        assert not who.password_change_required
        assert knows
    elif decision.reason == "outside_team_needs_reason":
        assert not knows
        assert decide_case_access(who, case, reason_given=True)
    else:
        assert decision == decide_action(who, Action.VIEW_CASE)


@given(actors(TODAY), st.sampled_from(list(Action)))
def test_decisions_explain_every_refusal(who, action):
    d = decide_action(who, action)
    event("allowed" if d else f"refused: {d.reason}")
    assert d.allowed or (d.reason != "allowed" and d.message)
