"""The synthetic-data generator: deterministic, the right amounts, valid CHI numbers, an
allocation history that agrees with each case, and demo accounts that sign in with the
registrations and accreditations their stories need."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from casework import permissions as perm
from casework import synthetic
from casework.models import AuditEvent, Base
from casework.secrets import MemoryStore, find_key
from casework.services import create_workspace, dto
from casework.timeutil import LONDON
from casework.vocab import LIVE_STATUSES, LegalStatus, NoteType

AS_OF = date(2026, 11, 22)
AS_OF_START = datetime(2026, 11, 22, tzinfo=LONDON).astimezone(UTC)
LIVE = {s.value for s in LIVE_STATUSES}
DATA_TABLES = ("team", "staff", "staff_accreditation", "person", "case_file", "allocation", "case_note")


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
    assert {"People and cases", "Case notes"} <= set(stages)


def test_generate_refuses_a_workspace_that_already_has_data(demo):
    with pytest.raises(ValueError, match="freshly created"):
        synthetic.generate(demo, synthetic.TEAM, as_of=AS_OF)


def test_a_failed_generation_leaves_no_demo_file_or_key(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic, "generate", broken)
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
    significant = sum(n["significant"] for n in notes.values())
    assert 0 < significant < len(notes) / 5
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
