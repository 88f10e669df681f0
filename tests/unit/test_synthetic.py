"""The synthetic-data generator: deterministic, the right amounts, valid CHI numbers, an
allocation history that agrees with each case, and demo accounts that sign in with the
registrations and accreditations their stories need."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from casework import permissions as perm
from casework import synthetic
from casework.synthetic.care import records as care_records
from casework.models import AuditEvent, Base
from casework.secrets import MemoryStore, find_key
from casework import dto
from casework.services import create_workspace
from casework.timeutil import LONDON
from casework.vocab import (
    LIVE_STATUSES,
    STATUTORY_ASSESSMENTS,
    AssessmentKind,
    KeyPersonKind,
    LegalStatus,
    NoteType,
    SupportPlanStatus,
)

AS_OF = date(2026, 11, 22)
AS_OF_START = datetime(2026, 11, 22, tzinfo=LONDON).astimezone(UTC)
LIVE = {s.value for s in LIVE_STATUSES}
DATA_TABLES = ("team", "staff", "staff_accreditation", "person", "case_file", "allocation", "case_note",
               *care_records.CARE_TABLES)


PROGRESS: list[tuple[str, float]] = []  # what the module's demo generation reported


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    PROGRESS.clear()
    ws = synthetic.create_demo_workspace(path, credentials=MemoryStore(), as_of=AS_OF,
                                         progress=lambda stage, f: PROGRESS.append((stage, f)))
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def rows(demo):
    """Every generated row, by table, as plain dicts."""
    with demo.db.read() as s:
        return {t: [dict(r._mapping) for r in s.execute(select(_table(t)).order_by(_table(t).c.id))]
                for t in DATA_TABLES}


def _table(name: str):
    return Base.metadata.tables[name]


def _fresh(tmp_path, name: str):
    return create_workspace(tmp_path / name, name="x", admin_username="admin",
                            admin_password=synthetic.DEMO_PASSWORD, demo=True,
                            credentials=MemoryStore())


def _dump(ws) -> dict[str, list[tuple]]:
    """The generated rows, with what legitimately differs between two files made equal: the
    administrator's id (create_workspace makes it) and the password hash (a random salt)."""
    with ws.db.read() as s:
        admin_id = s.scalar(text("SELECT id FROM staff WHERE role = 'administrator'"))
        out = {}
        for t in DATA_TABLES:
            table = _table(t)
            result = s.execute(select(table).where(table.c.id != admin_id).order_by(table.c.id))
            out[t] = [tuple("<admin>" if v == admin_id else "<hash>" if k == "password_hash" else v
                            for k, v in r._mapping.items()) for r in result]
        return out


def _by_id(rows, table):
    return {r["id"]: r for r in rows[table]}


def _live_caseloads(rows) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for c in rows["case_file"]:
        if c["status"] in LIVE and c["named_worker_id"]:
            counts[c["named_worker_id"]] += 1
    return counts


def _staff(rows, username):
    return next(s for s in rows["staff"] if s["username"] == username)


# -- determinism ----------------------------------------------------------------------------


def test_same_seed_and_date_give_identical_rows(tmp_path, demo):
    again = _fresh(tmp_path, "again.db")
    try:
        synthetic.generate(again, synthetic.TEAM, seed=synthetic.DEFAULT_SEED, as_of=AS_OF)
        assert _dump(again) == _dump(demo)
    finally:
        again.close()


def test_another_seed_gives_other_people(tmp_path, rows):
    other = _fresh(tmp_path, "other.db")
    try:
        synthetic.generate(other, synthetic.TEAM, seed=synthetic.DEFAULT_SEED + 1, as_of=AS_OF)
        with other.db.read() as s:
            people = set(s.execute(text("SELECT given_name, family_name, date_of_birth FROM person")).all())
    finally:
        other.close()
    ours = {(p["given_name"], p["family_name"], p["date_of_birth"]) for p in rows["person"]}
    assert len(people & ours) < len(ours) / 20


def test_progress_runs_from_0_to_1_through_the_stages(demo):
    fractions = [f for _, f in PROGRESS]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert len(PROGRESS) >= 5  # enough steps to move a bar
    stages = list(dict.fromkeys(stage for stage, _ in PROGRESS))
    assert {"People and cases", "Care records", "Case notes"} <= set(stages)
    assert stages.index("People and cases") < stages.index("Care records") < stages.index("Case notes")


def test_generate_refuses_a_workspace_that_already_has_data(demo):
    with pytest.raises(ValueError, match="freshly created"):
        synthetic.generate(demo, synthetic.TEAM, as_of=AS_OF)


def test_a_failed_generation_leaves_no_demo_file_or_key(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic.generator, "generate", broken)
    store, path = MemoryStore(), tmp_path / "demo.db"
    with pytest.raises(RuntimeError):
        synthetic.create_demo_workspace(path, credentials=store, as_of=AS_OF)
    assert not path.exists()
    assert find_key(store, path) is None


# -- amounts --------------------------------------------------------------------------------


def test_team_scale_counts(rows):
    teams = {t["name"]: t["service_area"] for t in rows["team"]}
    assert teams == {"Riverside Adult Team": "adult_community_care",
                     "Riverside Children and Families Team": "children_and_families"}
    active = [s for s in rows["staff"] if s["active"] and s["role"] != "administrator"]
    assert 18 <= len(active) <= 25
    cases = rows["case_file"]
    assert sum(c["status"] in LIVE for c in cases) == synthetic.TEAM.live_cases
    assert 200 <= sum(c["status"] == "closed" for c in cases) <= 400
    assert len(rows["person"]) < len(cases)  # some people have had earlier episodes
    assert 10_000 <= len(rows["case_note"]) <= 14_000
    assert sorted({c["reference"] for c in cases}) == [f"CW-{n:06d}" for n in range(1, len(cases) + 1)]


def test_social_workers_hold_15_to_25_cases_and_newly_qualified_fewer(rows):
    loads = _live_caseloads(rows)
    for s in rows["staff"]:
        if s["role"] not in ("social_worker", "senior_practitioner") or not s["active"]:
            continue
        newly = s["qualified_on"] > date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
        if newly:
            assert 1 <= loads[s["id"]] < 15, s["username"]
        else:
            assert 15 <= loads[s["id"]] <= 25, s["username"]
    assert loads[_staff(rows, "sw.nowak")["id"]] < 15
    assert 6 <= loads[_staff(rows, "tl.macleod")["id"]] <= 10
    for s in rows["staff"]:
        if s["role"] == "para_professional" or not s["active"]:
            assert loads[s["id"]] == 0, s["username"]


def test_some_cases_wait_unallocated_between_1_and_60_days(rows):
    waiting = [c for c in rows["case_file"] if c["status"] in LIVE and c["named_worker_id"] is None]
    assert waiting
    for c in waiting:
        days = (AS_OF - c["unallocated_since"].date()).days
        assert 1 <= days <= 61, c["reference"]  # 61: a London morning can be the UTC day before
    assert {c["team_id"] for c in waiting} == {t["id"] for t in rows["team"]}


# -- people ---------------------------------------------------------------------------------


def _chi_ok(chi: str, dob: date) -> bool:
    """An independent check: DDMMYY of the birth date, and the modulus-11 check digit."""
    if len(chi) != 10 or not chi.isdigit() or chi[:6] != dob.strftime("%d%m%y"):
        return False
    remainder = sum(int(d) * w for d, w in zip(chi[:9], range(10, 1, -1))) % 11
    check = 11 - remainder
    return check != 10 and int(chi[9]) == (0 if check == 11 else check)


def test_every_chi_is_valid_and_unique(rows):
    people = rows["person"]
    assert all(_chi_ok(p["chi"], p["date_of_birth"]) for p in people)
    assert len({p["chi"] for p in people}) == len(people)
    # The ninth digit gives the sex: both appear.
    assert {int(p["chi"][8]) % 2 for p in people} == {0, 1}


def test_the_chi_checks_agree_on_worked_examples():
    born = date(1945, 1, 1)
    # 0·10 + 1·9 + 0·8 + 1·7 + 4·6 + 5·5 + 1·4 + 2·3 + 3·2 = 81; 81 mod 11 = 4; 11 − 4 = 7
    assert _chi_ok("0101451237", born) and synthetic.chi_check_digit("010145123") == 7
    assert not _chi_ok("0101451236", born)  # wrong check digit
    assert not _chi_ok("0101451237", date(1945, 1, 2))  # birth date disagrees
    # A remainder of 0 gives 11, written 0; a remainder of 1 gives 10: no valid number.
    assert _chi_ok("0101450060", born) and synthetic.chi_check_digit("010145006") == 0
    assert synthetic.chi_check_digit("010145001") is None
    assert not any(_chi_ok(f"010145001{d}", born) for d in range(10))


def test_names_include_accents_and_gaelic_irish_and_polish_forms(rows):
    names = {p["given_name"] for p in rows["person"]} | {p["family_name"] for p in rows["person"]}
    assert any(any(ch in n for ch in "áéíóúàèìòùłśżźćńąę") for n in names)
    assert any(n.startswith(("Ní ", "Nic", "Ó ", "Mac")) for n in names)


def test_ages_fit_the_service_area(rows):
    people = _by_id(rows, "person")
    for c in rows["case_file"]:
        dob = people[c["person_id"]]["date_of_birth"]
        end = c["closed_on"] or AS_OF
        age_at_end = end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))
        assert dob <= c["referred_on"]
        if c["service_area"] == "children_and_families":
            assert 0 <= age_at_end <= 17, c["reference"]
        else:
            assert age_at_end >= 18, c["reference"]


def test_a_person_belongs_to_the_team_of_their_cases(rows):
    people = _by_id(rows, "person")
    assert all(people[c["person_id"]]["team_id"] == c["team_id"] for c in rows["case_file"])


# -- cases and their history ----------------------------------------------------------------

_ORDERS_BY_AREA = {
    "children_and_families": {LegalStatus.VOLUNTARY, LegalStatus.CHILD_PROTECTION_PLAN,
                              LegalStatus.COMPULSORY_SUPERVISION_ORDER},
    "adult_community_care": {LegalStatus.VOLUNTARY, LegalStatus.GUARDIANSHIP_ORDER,
                             LegalStatus.PROTECTION_ORDER},
}


def test_legal_status_fits_the_service_area(rows):
    for c in rows["case_file"]:
        assert c["legal_status"] in _ORDERS_BY_AREA[c["service_area"]], c["reference"]
        if c["status"] == "referral":
            assert c["legal_status"] == LegalStatus.VOLUNTARY
    assert any(LegalStatus(c["legal_status"]).statutory_order for c in rows["case_file"])


def test_some_live_reviews_are_overdue(rows):
    live = [c for c in rows["case_file"] if c["status"] in ("open", "closing")]
    overdue = [c for c in live if c["next_review_on"] < AS_OF]
    assert 0 < len(overdue) < len(live) / 2


def test_named_worker_is_the_worker_of_the_latest_allocation(rows):
    history = defaultdict(list)
    for a in rows["allocation"]:
        history[a["case_id"]].append(a)
    staff = _by_id(rows, "staff")
    for c in rows["case_file"]:
        allocations = sorted(history[c["id"]], key=lambda a: a["started_at"])
        assert allocations, c["reference"]
        latest = allocations[-1]
        assert len(allocations) == 1 or allocations[-2]["started_at"] < latest["started_at"]
        assert c["named_worker_id"] == latest["worker_id"], c["reference"]
        if c["named_worker_id"] is None:
            assert c["status"] in LIVE
            assert c["unallocated_since"] == latest["started_at"], c["reference"]
        else:
            assert c["unallocated_since"] is None
        for before, after in zip(allocations, allocations[1:]):
            assert before["worker_id"] != after["worker_id"], c["reference"]
        for a in allocations:
            assert a["started_at"] < AS_OF_START
            if a["worker_id"] is not None:
                worker = staff[a["worker_id"]]
                assert worker["team_id"] == c["team_id"]
                assert perm.Role(worker["role"]) in perm.CASE_HOLDING_ROLES


def test_history_has_reallocations_and_spells_in_the_queue(rows):
    per_case = defaultdict(list)
    for a in sorted(rows["allocation"], key=lambda a: a["started_at"]):
        per_case[a["case_id"]].append(a)
    reallocated = [rows_ for rows_ in per_case.values() if len(rows_) > 1]
    assert len(reallocated) > 50
    assert any(r["worker_id"] is None for rows_ in reallocated for r in rows_[1:-1])
    assert len({a["reason"] for a in rows["allocation"]}) > 10


def test_newly_qualified_workers_hold_nothing_from_before_they_qualified(rows):
    nowak = _staff(rows, "sw.nowak")
    held = [a for a in rows["allocation"] if a["worker_id"] == nowak["id"]]
    assert held
    assert all(a["started_at"].date() >= nowak["qualified_on"] for a in held)


def test_notes_are_typed_dated_within_their_case_and_corrections_point_back(rows):
    cases = _by_id(rows, "case_file")
    notes = _by_id(rows, "case_note")
    types = {t.value for t in NoteType}
    first_allocation: dict[str, datetime] = {}
    for a in rows["allocation"]:
        at = a["started_at"]
        first_allocation[a["case_id"]] = min(first_allocation.get(a["case_id"], at), at)
    for n in notes.values():
        assert n["note_type"] in types
        assert first_allocation[n["case_id"]] <= n["occurred_at"] < AS_OF_START
        assert n["subject"] and n["body"]
    corrections = [n for n in notes.values() if n["corrects_id"]]
    assert corrections
    for n in corrections:
        original = notes[n["corrects_id"]]
        assert original["case_id"] == n["case_id"]
        assert original["occurred_at"] < n["occurred_at"]
    ordinary = [n for n in notes.values() if n["note_type"] != NoteType.EVENT]
    significant = sum(n["significant"] for n in ordinary)
    assert 0 < significant < len(ordinary) / 5
    assert {n["case_id"] for n in notes.values()} == set(cases)  # every case has notes


def test_every_synced_column_is_filled(rows):
    for table in DATA_TABLES:
        for r in rows[table]:
            assert r["row_version"] == 1 and r["updated_at"] is not None and r["deleted_at"] is None
            if table != "staff" or r["role"] not in ("administrator", "service_manager"):
                assert r["team_id"] is not None, table


def test_one_audit_event_records_the_generation(demo):
    with demo.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "generate_synthetic_data")).all()
    assert len(events) == 1
    detail = json.loads(events[0].detail)
    assert detail["scale"] == "team" and detail["counts"]["live_cases"] == synthetic.TEAM.live_cases
    assert events[0].actor_name == "Administrator"
    assert demo.verify_audit().ok


# -- care records ---------------------------------------------------------------------------


def _day(at: datetime) -> date:
    return at.astimezone(LONDON).date()


def _history(rows) -> dict[str, list[dict]]:
    per_case = defaultdict(list)
    for a in sorted(rows["allocation"], key=lambda a: a["started_at"]):
        per_case[a["case_id"]].append(a)
    return per_case


def _named_worker_at(history, case_id: str, at: datetime) -> str | None:
    current = None
    for a in history[case_id]:
        if a["started_at"] <= at:
            current = a["worker_id"]
    return current


def _actor_on(rows, staff_id: str, day: date) -> perm.Actor:
    """The policy's view of a member of staff on `day`, from the stored rows alone: the
    accreditations awarded by then, and in post unless they had left (a former worker's row
    was last changed when they left)."""
    s = _by_id(rows, "staff")[staff_id]
    awarded = frozenset(perm.Accreditation(a["kind"]) for a in rows["staff_accreditation"]
                        if a["staff_id"] == staff_id and a["awarded_on"] <= day)
    role = perm.Role(s["role"])
    return perm.Actor(
        id=s["id"], username=s["username"], display_name=s["display_name"], role=role,
        team_id=s["team_id"], active=s["active"] or day < _day(s["updated_at"]),
        sssc_number=s["sssc_number"], sssc_part=perm.RegisterPart(s["sssc_part"]),
        sssc_expiry=s["sssc_expiry"], qualified_on=s["qualified_on"], accreditations=awarded,
        managed_team_ids=frozenset({s["team_id"]}) if role == perm.Role.TEAM_LEADER else frozenset())


def test_team_scale_care_record_counts(rows):
    assert 900 <= len(rows["key_person"]) <= 1_500
    assert 900 <= len(rows["assessment"]) <= 1_800
    assert 2_000 <= len(rows["assessment_contribution"]) <= 4_500
    assert 1_000 <= len(rows["plan_outcome"]) <= 2_000
    assert 1_500 <= len(rows["plan_action"]) <= 4_000
    assert 600 <= len(rows["plan_review"]) <= 1_600
    assert 1_500 <= len(rows["outcome_rating"]) <= 4_000
    events = sum(n["note_type"] == NoteType.EVENT for n in rows["case_note"])
    assert 3_000 <= events <= 5_500  # and the notes as a whole stay near the scale's 11,000


def test_every_sign_off_was_by_someone_the_policy_qualified_that_day(rows):
    cases, staff, history = _by_id(rows, "case_file"), _by_id(rows, "staff"), _history(rows)
    signed = [a for a in rows["assessment"] if a["status"] == "signed_off"]
    assert len(signed) > len(rows["assessment"]) / 2
    for a in signed:
        case, signer, day = cases[a["case_id"]], staff[a["signed_off_by"]], _day(a["signed_off_at"])
        assert signer["team_id"] == case["team_id"], case["reference"]
        assert signer["role"] != perm.Role.PARA_PROFESSIONAL
        assert signer["qualified_on"] <= day <= signer["sssc_expiry"], (case["reference"], signer["username"])
        assert a["started_on"] <= day < AS_OF
        assert case["closed_on"] is None or day <= case["closed_on"]
        actor = _actor_on(rows, signer["id"], day)
        assert actor.active, (case["reference"], signer["username"])
        ref = perm.CaseRef(case["team_id"], _named_worker_at(history, case["id"], a["signed_off_at"]))
        decision = perm.decide_sign_off(actor, ref, a["kind"], a["risk_level"], today=day)
        assert decision.allowed, (case["reference"], a["kind"], signer["username"], decision.message)
    kinds = {a["kind"] for a in signed}
    assert {AssessmentKind.CHILD_PROTECTION_INVESTIGATION, AssessmentKind.ASP_INQUIRY,
            AssessmentKind.MHO_REPORT, AssessmentKind.OUTCOMES_FOCUSED, AssessmentKind.SELF_ASSESSMENT,
            AssessmentKind.CARERS, AssessmentKind.RISK} <= kinds
    assert any(a["risk_level"] == "high" for a in signed)


def test_mho_reports_are_signed_only_by_an_mho_with_two_years_practice(rows):
    signed = [a for a in rows["assessment"]
              if a["kind"] == AssessmentKind.MHO_REPORT and a["status"] == "signed_off"]
    assert signed
    for a in signed:
        day = _day(a["signed_off_at"])
        actor = _actor_on(rows, a["signed_off_by"], day)
        assert perm.Accreditation.MHO in actor.accreditations and perm.pq_months(actor, day) >= 24
        assert a["created_by"] == a["signed_off_by"]  # the MHO prepares the report too
    assert _staff(rows, "sw.nibhriain")["id"] in {a["signed_off_by"] for a in signed}


def test_a_lapsed_registration_signs_nothing_after_it_lapsed(rows):
    reid = _staff(rows, "sw.reid")
    assert reid["sssc_expiry"] < AS_OF
    for a in rows["assessment"]:
        if a["signed_off_by"] == reid["id"]:
            assert _day(a["signed_off_at"]) <= reid["sssc_expiry"]
    # His cases still move on: a colleague signs, or the assessment waits as a draft.
    his = {c["id"] for c in rows["case_file"] if c["named_worker_id"] == reid["id"]}
    assert any(a["case_id"] in his for a in rows["assessment"])


def test_drafts_in_hand_for_para_professionals_and_workers(rows):
    cases = _by_id(rows, "case_file")
    drafts = [a for a in rows["assessment"] if a["status"] == "draft"]
    for a in drafts:
        assert a["signed_off_by"] is None and a["signed_off_at"] is None
    for username in ("pp.kerr", "pp.singh"):
        pp = _staff(rows, username)
        theirs = [a for a in drafts if a["drafter_id"] == pp["id"]]
        assert len(theirs) >= 2, username
        for a in theirs:
            case = cases[a["case_id"]]
            assert case["status"] in LIVE and case["team_id"] == pp["team_id"]
            assert a["created_by"] == case["named_worker_id"]  # the worker who asked
            assert 0 < (AS_OF - a["started_on"]).days <= 60
    for username in ("sw.campbell", "sw.nowak"):
        me = _staff(rows, username)
        assert any(a["created_by"] == me["id"] and a["drafter_id"] is None for a in drafts), username
    paras = {s["id"] for s in rows["staff"] if s["role"] == perm.Role.PARA_PROFESSIONAL}
    assert {a["drafter_id"] for a in rows["assessment"] if a["drafter_id"]} <= paras
    recent_live = [a for a in drafts if cases[a["case_id"]]["status"] in LIVE
                   and (AS_OF - a["started_on"]).days <= 60]
    assert len(recent_live) >= 20


def test_assessments_are_participative_and_fit_the_service_area(rows):
    cases, keys = _by_id(rows, "case_file"), _by_id(rows, "key_person")
    contributions = defaultdict(list)
    for x in rows["assessment_contribution"]:
        contributions[x["assessment_id"]].append(x)
    for a in rows["assessment"]:
        case = cases[a["case_id"]]
        kind, area, legal = AssessmentKind(a["kind"]), case["service_area"], LegalStatus(case["legal_status"])
        assert case["status"] != "referral" and case["referred_on"] <= a["started_on"] < AS_OF
        assert a["strengths"] and a["needs"] and a["risks"] and a["outcomes_wanted"] and a["analysis"]
        assert contributions[a["id"]], kind
        for x in contributions[a["id"]]:
            assert x["name"] and x["contribution"] and a["started_on"] <= x["given_on"] < AS_OF
            if x["contributor"] == "carer":
                assert keys[x["key_person_id"]]["person_id"] == case["person_id"]
            if x["contributor"] == "worker":
                assert x["staff_id"]
        if kind == AssessmentKind.SELF_ASSESSMENT:  # in the person's own words
            assert any(x["contributor"] == "person" for x in contributions[a["id"]])
        if kind == AssessmentKind.CHILD_PROTECTION_INVESTIGATION:
            assert area == "children_and_families" and legal in (
                LegalStatus.CHILD_PROTECTION_PLAN, LegalStatus.COMPULSORY_SUPERVISION_ORDER)
        if kind == AssessmentKind.ASP_INQUIRY:
            assert area in ("adult_community_care", "mental_health")
        if kind == AssessmentKind.MHO_REPORT:
            assert legal in (LegalStatus.GUARDIANSHIP_ORDER, LegalStatus.COMPULSORY_TREATMENT_ORDER)
        if kind == AssessmentKind.JUSTICE_REPORT:
            assert area == "justice"
    investigated = {a["case_id"] for a in rows["assessment"]
                    if a["kind"] == AssessmentKind.CHILD_PROTECTION_INVESTIGATION}
    on_plans = [c for c in rows["case_file"] if c["legal_status"] == LegalStatus.CHILD_PROTECTION_PLAN
                and c["status"] in ("open", "closing")]
    assert on_plans and all(c["id"] in investigated for c in on_plans)
    assert any(a["kind"] in STATUTORY_ASSESSMENTS and a["status"] == "draft" for a in rows["assessment"])


def test_carers_assessments_are_about_a_carer_of_the_person(rows):
    cases, keys = _by_id(rows, "case_file"), _by_id(rows, "key_person")
    carers = [a for a in rows["assessment"] if a["kind"] == AssessmentKind.CARERS]
    assert carers
    for a in carers:
        carer = keys[a["carer_id"]]
        assert carer["person_id"] == cases[a["case_id"]]["person_id"]
        assert KeyPersonKind(carer["kind"]).is_carer
    assert all(a["carer_id"] is None for a in rows["assessment"] if a["kind"] != AssessmentKind.CARERS)


def test_key_people_include_carers_with_support_plans_and_young_carers(rows):
    people = _by_id(rows, "person")
    keys = rows["key_person"]
    assert {k["kind"] for k in keys} >= {"unpaid_carer", "young_carer", "family", "professional"}
    for k in keys:
        assert people[k["person_id"]]["team_id"] == k["team_id"]
        assert k["given_name"] and k["family_name"] and k["relationship"]
        if not KeyPersonKind(k["kind"]).is_carer:
            assert k["support_plan"] is None and k["support_plan_review_on"] is None
        elif k["support_plan_review_on"] is not None:
            assert k["support_plan"] == SupportPlanStatus.IN_PLACE
        if k["kind"] == "young_carer":
            assert k["date_of_birth"] is not None
    adult_carers = [k for k in keys if k["kind"] == "unpaid_carer"]
    offered_or_in_place = [k for k in adult_carers if k["support_plan"] in ("offered", "in_place")]
    assert len(offered_or_in_place) > len(adult_carers) / 2


def test_every_live_case_past_referral_has_a_plan_of_one_to_four_outcomes(rows):
    positions = defaultdict(list)
    for o in rows["plan_outcome"]:
        positions[o["case_id"]].append(o["position"])
        assert o["description"].startswith(("To ", "For ", "Not "))  # in the person's words
    for c in rows["case_file"]:
        if c["status"] in ("open", "closing"):
            assert 1 <= len(positions[c["id"]]) <= 4, c["reference"]
        elif c["status"] == "referral":
            assert not positions[c["id"]]
        assert sorted(positions[c["id"]]) == list(range(1, len(positions[c["id"]]) + 1))


def test_old_closed_cases_keep_a_lighter_record(rows):
    cutoff = AS_OF - timedelta(days=care_records.OLD_CLOSED_DAYS)
    assessments = Counter(a["case_id"] for a in rows["assessment"])
    outcomes = Counter(o["case_id"] for o in rows["plan_outcome"])
    old = [c for c in rows["case_file"] if c["closed_on"] and c["closed_on"] < cutoff]
    assert old
    assert all(assessments[c["id"]] <= 1 and outcomes[c["id"]] == 0 for c in old)


def test_actions_have_owners_and_due_dates_some_done_some_overdue(rows):
    cases, outcomes, staff = _by_id(rows, "case_file"), _by_id(rows, "plan_outcome"), _by_id(rows, "staff")
    live = []
    for a in rows["plan_action"]:
        case = cases[outcomes[a["outcome_id"]]["case_id"]]
        assert a["description"] and a["owner_name"] and a["due_on"]
        assert a["done_on"] is None or a["done_on"] < AS_OF
        if a["owner_staff_id"]:
            owner = staff[a["owner_staff_id"]]
            assert owner["display_name"] == a["owner_name"] and owner["team_id"] == case["team_id"]
        if case["status"] in LIVE:
            live.append(a)
    overdue = [a for a in live if a["done_on"] is None and a["due_on"] < AS_OF]
    done = [a for a in live if a["done_on"] is not None]
    assert overdue and done and len(overdue) < len(live) / 3
    paras = {s["id"] for s in rows["staff"] if s["role"] == perm.Role.PARA_PROFESSIONAL}
    assert any(a["owner_staff_id"] in paras for a in rows["plan_action"])
    assert any(a["owner_staff_id"] is None for a in rows["plan_action"])  # the person, a carer, a provider


def test_reviews_rate_their_own_cases_outcomes_and_set_the_next_review(rows):
    cases, outcomes, reviews = _by_id(rows, "case_file"), _by_id(rows, "plan_outcome"), _by_id(rows, "plan_review")
    rated = Counter()
    for r in rows["outcome_rating"]:
        review, outcome = reviews[r["review_id"]], outcomes[r["outcome_id"]]
        assert outcome["case_id"] == review["case_id"]
        low, high = {"met": (4, 5), "partly_met": (2, 4), "not_met": (1, 2)}[r["rating"]]
        assert low <= r["score"] <= high
        assert outcome["ended_on"] is None or outcome["ended_on"] >= review["held_on"]
        rated[r["review_id"]] += 1
    assert {r["rating"] for r in rows["outcome_rating"]} == {"met", "partly_met", "not_met"}
    by_case = defaultdict(list)
    for r in reviews.values():
        case = cases[r["case_id"]]
        assert rated[r["id"]] >= 1
        assert case["opened_on"] <= r["held_on"] < AS_OF
        assert case["closed_on"] is None or r["held_on"] <= case["closed_on"]
        by_case[r["case_id"]].append(r)
    for case_id, held in by_case.items():
        held.sort(key=lambda r: r["held_on"])
        assert held[-1]["next_review_on"] == cases[case_id]["next_review_on"], cases[case_id]["reference"]
        assert all((b["held_on"] - a["held_on"]).days >= 60 for a, b in zip(held, held[1:]))
    open_cases = [c for c in rows["case_file"] if c["status"] in ("open", "closing")]
    assert sum(c["id"] in by_case for c in open_cases) > len(open_cases) / 2


def test_the_chronology_records_referral_allocations_sign_offs_reviews_and_closure(rows):
    events = defaultdict(list)
    for n in rows["case_note"]:
        if n["note_type"] == NoteType.EVENT:
            assert n["significant"] and n["contact_with"] is None
            events[n["case_id"]].append(n)
    allocations = Counter(a["case_id"] for a in rows["allocation"])
    signed = Counter(a["case_id"] for a in rows["assessment"] if a["status"] == "signed_off")
    reviews = Counter(r["case_id"] for r in rows["plan_review"])
    for c in rows["case_file"]:
        subjects = [n["subject"] for n in events[c["id"]]]
        assert sum(s == f"Referral received from {c['referral_source']}" for s in subjects) == 1
        assert sum(s.startswith(("Allocated to ", "Waiting in the unallocated", "Returned to the unallocated"))
                   for s in subjects) == allocations[c["id"]]
        assert sum(s.endswith(" signed off") for s in subjects) == signed[c["id"]]
        assert sum(s == "Review held" for s in subjects) == reviews[c["id"]]
        closed = [n for n in events[c["id"]] if n["subject"] == "Case closed"]
        if c["status"] == "closed":
            assert len(closed) == 1 and closed[0]["author_id"] == c["closed_by"]
            assert c["closing_summary"] in closed[0]["body"]
        else:
            assert not closed


def test_cases_keep_referral_band_target_and_closing_details(rows):
    history, staff = _history(rows), _by_id(rows, "staff")
    for c in rows["case_file"]:
        assert c["referral_source"] and c["referral_reason"]
        if c["eligibility_band"] in ("critical", "substantial"):
            assert c["band_target_on"] == c["opened_on"] + timedelta(days=42), c["reference"]
        else:
            assert c["band_target_on"] is None
        if c["status"] == "closed":
            closer = staff[c["closed_by"]]
            assert c["closing_summary"] and closer["team_id"] == c["team_id"]
            assert c["closed_by"] == history[c["id"]][-1]["worker_id"] or closer["role"] == "team_leader"
        else:
            assert c["closing_summary"] is None and c["closed_by"] is None
    assert any(c["band_target_on"] for c in rows["case_file"])


def test_visits_and_calls_say_who_they_were_with(rows):
    for n in rows["case_note"]:
        if n["note_type"] in (NoteType.VISIT, NoteType.PHONE):
            assert n["contact_with"], n["subject"]
        else:
            assert n["contact_with"] is None
    contacts = {n["contact_with"] for n in rows["case_note"] if n["contact_with"]}
    assert "GP practice" in contacts
    assert any(" and her " in c or " and his " in c for c in contacts)


# -- the demo accounts ----------------------------------------------------------------------


@pytest.mark.parametrize("account", synthetic.DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_demo_account_signs_in_with_its_role(demo, account):
    me = demo.login(account.username, synthetic.DEMO_PASSWORD)
    actor = me.actor
    assert (actor.role, actor.display_name) == (account.role, account.display_name)


def _actor(demo, username):
    return demo.login(username, synthetic.DEMO_PASSWORD).actor


def test_a_lapsed_registration_refuses_reserved_functions(demo):
    reid = _actor(demo, "sw.reid")
    assert reid.sssc_expiry < AS_OF
    decision = perm.decide_reserved(reid, perm.ReservedFunction.SIGN_OFF_ASP_INQUIRY, today=AS_OF)
    assert (decision.allowed, decision.reason) == (False, "registration_lapsed")


def test_the_mho_may_and_the_newly_qualified_worker_may_not(demo):
    mho = _actor(demo, "sw.nibhriain")
    assert perm.decide_reserved(mho, perm.ReservedFunction.MHO_FUNCTION, today=AS_OF)
    nowak = _actor(demo, "sw.nowak")
    assert perm.is_newly_qualified(nowak, AS_OF) and 3 <= perm.pq_months(nowak, AS_OF) <= 5
    assert not perm.decide_reserved(nowak, perm.ReservedFunction.MHO_FUNCTION, today=AS_OF)
    # Even with the award he would lack the two years' experience.
    awarded = dataclasses.replace(nowak, accreditations=frozenset({perm.Accreditation.MHO}))
    decision = perm.decide_reserved(awarded, perm.ReservedFunction.MHO_FUNCTION, today=AS_OF)
    assert decision.reason == "insufficient_experience"


def test_asp_council_officer_and_team_leader_act_on_registration(demo):
    campbell = _actor(demo, "sw.campbell")
    assert perm.decide_reserved(campbell, perm.ReservedFunction.ASP_COUNCIL_OFFICER, today=AS_OF)
    macleod = _actor(demo, "tl.macleod")
    assert perm.decide_reserved(macleod, perm.ReservedFunction.SIGN_OFF_ASP_INQUIRY, today=AS_OF)


def test_a_para_professional_never_carries_out_reserved_work(demo):
    kerr = _actor(demo, "pp.kerr")
    assert kerr.sssc_part == perm.RegisterPart.SOCIAL_SERVICE_WORKER
    for function in perm.ReservedFunction:
        assert perm.decide_reserved(kerr, function, today=AS_OF).reason == "role_not_permitted"


def test_supervision_lines_and_the_service_manager(rows):
    douglas = _staff(rows, "sm.douglas")
    assert {t["service_manager_id"] for t in rows["team"]} == {douglas["id"]}
    leader_of = {s["team_id"]: s for s in rows["staff"] if s["role"] == "team_leader"}
    assert {s["username"] for s in leader_of.values()} == {"tl.macleod", "tl.baird"}
    for s in rows["staff"]:
        if s["role"] == "team_leader":
            assert s["supervisor_id"] == douglas["id"]
        elif s["team_id"] is not None:
            assert s["supervisor_id"] == leader_of[s["team_id"]]["id"], s["username"]
        if s["role"] != "administrator":
            assert s["sssc_number"] and s["sssc_expiry"]


def test_team_leader_sees_her_caseload_and_queue_through_the_services(demo, rows):
    me = demo.login("tl.macleod", synthetic.DEMO_PASSWORD)
    team_id = me.actor.team_id
    live_in_team = [c for c in rows["case_file"] if c["team_id"] == team_id and c["status"] in LIVE]
    team = dto.CaseQuery(scope=dto.CaseScope.TEAM)
    assert me.cases.count(team) == len(live_in_team)
    page = me.cases.page(team, 0, 100)
    assert len(page.rows) == 100 and {r.team_name for r in page.rows} == {"Riverside Adult Team"}

    queue = dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED, sort=dto.CaseSort.WAITING)
    waiting = me.cases.page(queue, 0, 500).rows
    assert len(waiting) == sum(c["named_worker_id"] is None for c in live_in_team) > 0
    assert all(r.named_worker_id is None for r in waiting)
    assert [r.unallocated_since for r in waiting] == sorted(r.unallocated_since for r in waiting)

    mine = me.cases.page(dto.CaseQuery(scope=dto.CaseScope.MINE), 0, 100).rows
    assert len(mine) == _live_caseloads(rows)[me.staff_id]
    assert {r.named_worker_name for r in mine} == {"Fiona MacLeod"}


def test_the_demo_keeps_no_password_to_change(demo):
    me = demo.login("sw.campbell", synthetic.DEMO_PASSWORD)
    assert not me.account.profile().must_change_password
