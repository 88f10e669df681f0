"""No reserved function is ever carried out by an unqualified actor — through the service.

One workspace is built for the module; each example rewrites the stored facts of one member
of staff (role, team, register part, expiry around today, qualification date,
accreditations), starts a complete draft of some kind and assessed risk, and asks that
member of staff to sign it off. A sign-off succeeds only if every reserved function it
carries out is allowed for them, and exactly when the policy says so; a refused one is
audited once and leaves everything as it was (tests/unit/refusals.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from casework import permissions as perm
from casework.models import (
    Allocation,
    Assessment,
    AssessmentContribution,
    Case,
    Person,
    Staff,
    StaffAccreditation,
    Team,
)
from casework.models.base import new_id
from casework.secrets import MemoryStore
from casework import dto
from casework.services import create_workspace
from casework.text import name_key
from casework.vocab import AssessmentKind, RiskLevel
from refusals import assert_refused

TODAY = date(2026, 11, 22)
PASSWORD = "correct-horse-1"
SUBJECT = "subject"


class Clock:
    def __call__(self) -> datetime:
        return datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A team with one case, and the member of staff whose facts each example rewrites."""
    path = tmp_path_factory.mktemp("sign-off") / "casework.db"
    ws = create_workspace(path, name="Sign-off", admin_username="admin",
                          admin_password=PASSWORD, credentials=MemoryStore(), clock=Clock())
    admin = ws.login("admin", PASSWORD)
    team = admin.admin.create_team("North", "adult_community_care")
    other = admin.admin.create_team("South", "adult_community_care")
    worker = admin.admin.create_staff(dto.StaffInput(
        "sw.named", "Named Worker", "social_worker", team_id=team.id, sssc_number="123456",
        sssc_part="social_worker", sssc_expiry=TODAY + timedelta(days=300),
        qualified_on=date(2010, 1, 1)), PASSWORD)
    subject = admin.admin.create_staff(dto.StaffInput(
        SUBJECT, "Subject Person", "social_worker", team_id=team.id, sssc_number="654321",
        sssc_part="social_worker", sssc_expiry=TODAY + timedelta(days=300),
        qualified_on=date(2010, 1, 1)), PASSWORD)
    now = Clock()()
    with ws.db.write() as s:
        s.execute(update(Staff).values(must_change_password=False))
        person = Person(id=new_id(), team_id=team.id, given_name="Ann", family_name="Example",
                        name_key=name_key("Ann", "Example"), updated_at=now)
        s.add(person)
        s.flush()
        case = Case(id=new_id(), team_id=team.id, reference="CW-000001", person_id=person.id,
                    service_area="adult_community_care", status="open", risk_level="medium",
                    legal_status="voluntary", named_worker_id=worker.id,
                    referred_on=TODAY - timedelta(days=30), updated_at=now)
        s.add(case)
        s.flush()
        s.add(Allocation(id=new_id(), team_id=team.id, case_id=case.id, worker_id=worker.id,
                         started_at=now, reason="New referral", updated_at=now))
    me = ws.login(SUBJECT, PASSWORD)
    yield dict(ws=ws, me=me, team=team.id, other=other.id, case=case.id, worker=worker.id,
               subject=subject.id)
    ws.close()


def offsets(*around: int, low: int = -4000) -> st.SearchStrategy[int]:
    """Days either side of the boundaries that matter, and anything else."""
    return st.one_of(st.sampled_from(around), st.integers(low, 8000))


def mostly(common, *rare) -> st.SearchStrategy:
    """`common` three times in four: enough examples reach the reserved checks."""
    return st.sampled_from([common, common, common, *rare])


@st.composite
def facts(draw):
    role = draw(st.one_of(st.sampled_from(sorted(perm.PRACTITIONER_ROLES)),
                          st.sampled_from(list(perm.Role))))
    registered = draw(mostly(True, False))
    return dict(
        role=role,
        # Team members act on the case's team; a service manager manages it (or not).
        team=draw(mostly("case", "other", None)),
        manages=draw(mostly(True, False)),
        active=draw(mostly(True, False)),
        sssc_number="7654321" if registered else None,
        sssc_part=draw(mostly(perm.RegisterPart.SOCIAL_WORKER,
                              perm.RegisterPart.SOCIAL_SERVICE_WORKER)) if registered else None,
        sssc_expiry=(TODAY + timedelta(days=draw(offsets(-1, 0, 1, 30, 400, 700, low=-400))))
        if registered and draw(mostly(True, False)) else None,
        qualified_on=(TODAY - timedelta(days=draw(offsets(0, 365, 729, 730, 731, 3650, low=0))))
        if draw(mostly(True, False)) else None,
        accreditations=draw(st.frozensets(st.sampled_from(list(perm.Accreditation)))),
    )


def store(world, f: dict) -> perm.Actor:
    """Write the facts to the subject's record; return the actor they describe, built
    here rather than read back, so that the check does not lean on the service."""
    team_id = {"case": world["team"], "other": world["other"], None: None}[f["team"]]
    sid = world["subject"]
    now = Clock()()
    with world["ws"].db.write() as s:
        s.execute(update(Staff).where(Staff.id == sid).values(
            role=f["role"].value, team_id=team_id, active=f["active"],
            sssc_number=f["sssc_number"],
            sssc_part=f["sssc_part"].value if f["sssc_part"] else None,
            sssc_expiry=f["sssc_expiry"], qualified_on=f["qualified_on"]))
        s.execute(delete(StaffAccreditation).where(StaffAccreditation.staff_id == sid))
        for a in f["accreditations"]:
            s.add(StaffAccreditation(id=new_id(), staff_id=sid, kind=a.value, updated_at=now))
        managed = f["role"] == perm.Role.SERVICE_MANAGER and f["manages"]
        s.execute(update(Team).where(Team.id == world["team"]).values(
            service_manager_id=sid if managed else None))
    if f["role"] == perm.Role.SERVICE_MANAGER:
        managed_ids = frozenset({world["team"]}) if f["manages"] else frozenset()
    elif f["role"] == perm.Role.TEAM_LEADER and team_id:
        managed_ids = frozenset({team_id})
    else:
        managed_ids = frozenset()
    return perm.Actor(
        id=sid, username=SUBJECT, display_name="Subject Person", role=f["role"],
        team_id=team_id, active=f["active"], sssc_number=f["sssc_number"],
        sssc_part=f["sssc_part"], sssc_expiry=f["sssc_expiry"],
        qualified_on=f["qualified_on"], accreditations=f["accreditations"],
        managed_team_ids=managed_ids)


def complete_draft(world, kind: str, risk: str) -> Assessment:
    now = Clock()()
    with world["ws"].db.write() as s:
        a = Assessment(id=new_id(), team_id=world["team"], case_id=world["case"], kind=kind,
                       status="draft", started_on=TODAY, risk_level=risk,
                       carer_id=None, needs="Meals.", outcomes_wanted="Stay at home.",
                       created_by=world["worker"], drafter_id=world["worker"], updated_at=now)
        s.add(a)
        s.flush()
        s.add(AssessmentContribution(id=new_id(), team_id=world["team"], assessment_id=a.id,
                                     contributor="person", name="Ann Example",
                                     contribution="I manage.", given_on=TODAY, updated_at=now))
    return a


# The carer's assessment needs a carer it is about; the other kinds are what matters here.
KINDS = [k.value for k in AssessmentKind if k != AssessmentKind.CARERS]


def registered(**more) -> dict:
    """A registered social worker in the case's team, qualified ten years, then `more`."""
    return dict(role=perm.Role.SOCIAL_WORKER, team="case", manages=False, active=True,
                sssc_number="7654321", sssc_part=perm.RegisterPart.SOCIAL_WORKER,
                sssc_expiry=TODAY, qualified_on=TODAY - timedelta(days=3650),
                accreditations=frozenset()) | more


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts(), st.sampled_from(KINDS), st.sampled_from([r.value for r in RiskLevel]))
# The boundaries, always tried: expiry today (still registered) and yesterday, an MHO
# without accreditation, and an accredited MHO a day short of 24 months.
@example(registered(), "child_protection_investigation", "high")
@example(registered(sssc_expiry=TODAY - timedelta(days=1)), "justice_report", "low")
@example(registered(), "mho_report", "low")
@example(registered(accreditations=frozenset({perm.Accreditation.MHO}),
                    qualified_on=date(2024, 11, 23)), "mho_report", "low")
@example(registered(accreditations=frozenset({perm.Accreditation.MHO}),
                    qualified_on=date(2024, 11, 22)), "mho_report", "high")
@example(registered(role=perm.Role.PARA_PROFESSIONAL), "outcomes_focused", "low")
def test_no_reserved_sign_off_by_an_unqualified_actor(world, f, kind, risk):
    actor = store(world, f)
    a = complete_draft(world, kind, risk)
    functions = perm.sign_off_functions(kind, risk)
    policy = perm.decide_sign_off(actor, perm.CaseRef(world["team"], world["worker"]), kind,
                                  risk, today=TODAY)
    me = world["me"]
    if not policy:
        # Refused for the policy's reason, audited once, and nothing written: the draft
        # stays as it was.
        event(f"refused: {policy.reason}")
        assert_refused(world["ws"], me, lambda: me.assessments.sign_off(a.id, a.row_version),
                       "sign_off_assessment", policy.reason, entity_id=a.id)
        return
    result = me.assessments.sign_off(a.id, a.row_version)
    event("signed off" + (" (reserved)" if functions else ""))
    # Signed off: every reserved function it carried out was open to this actor.
    assert policy, policy.message
    assert result.reserved_functions == tuple(str(fn) for fn in functions)
    for fn in functions:
        assert perm.decide_reserved(actor, fn, today=TODAY)
        assert actor.sssc_part == perm.RegisterPart.SOCIAL_WORKER
        assert actor.sssc_expiry is not None and actor.sssc_expiry >= TODAY
    assert actor.active and actor.role in perm.PRACTITIONER_ROLES
    if kind == AssessmentKind.MHO_REPORT:
        assert perm.Accreditation.MHO in actor.accreditations
        assert perm.pq_months(actor, TODAY) >= 24
