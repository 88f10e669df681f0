"""Invariants of the permission policy, over any actor, date and catalogue."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from casework.permissions import (
    DEFAULT_CATALOGUE,
    PRACTITIONER_ROLES,
    Accreditation,
    Action,
    Actor,
    CaseRef,
    RegisterPart,
    ReservedRule,
    Role,
    decide_action,
    decide_case_access,
    decide_reserved,
    pq_months,
)

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
teams = st.sampled_from(["north", "south", "east"])


@st.composite
def actors(draw):
    return Actor(
        id=draw(st.sampled_from(["a", "b", "c"])),
        username="u",
        display_name="Person",
        role=draw(st.sampled_from(list(Role))),
        team_id=draw(st.one_of(st.none(), teams)),
        active=draw(st.booleans()),
        sssc_number=draw(st.one_of(st.none(), st.just("1234567"))),
        sssc_part=draw(st.one_of(st.none(), st.sampled_from(list(RegisterPart)))),
        sssc_expiry=draw(st.one_of(st.none(), dates)),
        qualified_on=draw(st.one_of(st.none(), dates)),
        accreditations=frozenset(draw(st.sets(st.sampled_from(list(Accreditation))))),
        managed_team_ids=frozenset(draw(st.sets(teams, max_size=2))),
    )


rules = st.builds(
    ReservedRule,
    code=st.sampled_from(list(DEFAULT_CATALOGUE.rules) + ["extra_one", "extra_two"]),
    label=st.just("An added rule"),
    accreditations=st.frozensets(st.sampled_from(list(Accreditation))),
    min_pq_months=st.integers(0, 120),
)
catalogues = st.lists(rules, max_size=4).map(DEFAULT_CATALOGUE.extended)


@given(actors(), dates, catalogues, st.data())
def test_no_reserved_function_by_an_unqualified_actor(who, today, catalogue, data):
    code = data.draw(st.sampled_from(sorted(catalogue.rules)))
    rule = catalogue.rule(code)
    if decide_reserved(who, code, today=today, catalogue=catalogue):
        assert who.active
        assert who.role in PRACTITIONER_ROLES
        assert who.sssc_part == RegisterPart.SOCIAL_WORKER and who.sssc_number
        assert who.sssc_expiry is not None and who.sssc_expiry >= today
        assert rule.accreditations <= who.accreditations
        assert pq_months(who, today) >= rule.min_pq_months


@given(actors(), dates, st.data())
def test_para_professionals_and_administrators_never_carry_out_reserved_work(who, today, data):
    code = data.draw(st.sampled_from(sorted(DEFAULT_CATALOGUE.rules)))
    if who.role in (Role.PARA_PROFESSIONAL, Role.ADMINISTRATOR):
        assert not decide_reserved(who, code, today=today)


@given(actors(), dates, st.lists(rules, max_size=4), st.data())
def test_extending_the_catalogue_never_permits_more(who, today, extensions, data):
    code = data.draw(st.sampled_from(sorted(DEFAULT_CATALOGUE.rules)))
    extended = DEFAULT_CATALOGUE.extended(extensions)
    if decide_reserved(who, code, today=today, catalogue=extended):
        assert decide_reserved(who, code, today=today)


@given(actors(), dates, st.integers(1, 3650), st.data())
def test_a_registration_past_its_expiry_permits_nothing_reserved(who, today, days, data):
    code = data.draw(st.sampled_from(sorted(DEFAULT_CATALOGUE.rules)))
    if who.sssc_expiry is not None:
        later = who.sssc_expiry + timedelta(days=days)
        assert not decide_reserved(who, code, today=later)


@given(actors(), teams, st.one_of(st.none(), st.sampled_from(["a", "b", "z"])))
def test_case_access_without_a_reason_is_need_to_know(who, team, worker):
    case = CaseRef(team_id=team, named_worker_id=worker)
    if decide_case_access(who, case):
        assert who.active and who.role in PRACTITIONER_ROLES
        assert worker == who.id or team == who.team_id or team in who.managed_team_ids


@given(actors(), st.sampled_from(list(Action)))
def test_decisions_explain_every_refusal(who, action):
    d = decide_action(who, action)
    assert d.allowed or (d.reason != "allowed" and d.message)
