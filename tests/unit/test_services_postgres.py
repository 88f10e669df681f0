"""The same services on a team PostgreSQL: the contract does not depend on the database."""

from __future__ import annotations

from datetime import date

import pytest

from casework.errors import AuthenticationFailed
from casework import dto
from casework.secrets import MemoryStore
from casework.services import create_workspace, open_workspace
from refusals import assert_refused


def test_workspace_on_postgresql(pg_engine):
    url = pg_engine.url.render_as_string(hide_password=False)
    store = MemoryStore()  # this computer's keychain: it keeps the hub's audit secret
    ws = create_workspace(url, name="Hub", admin_username="admin", admin_password="admin-password-1",
                          credentials=store)
    admin = ws.login("admin", "admin-password-1")
    team = admin.admin.create_team("North Adult Team", "adult_community_care")
    sw = admin.admin.create_staff(dto.StaffInput(
        username="sw.north", display_name="Siobhán Ní Bhriain", role="social_worker",
        team_id=team.id, sssc_number="1234567", sssc_part="social_worker",
        sssc_expiry=date(2030, 1, 1), qualified_on=date(2015, 1, 1),
        accreditations=frozenset({"mho"})), "correct-horse-1")
    ws.close()

    ws = open_workspace(url, credentials=store)  # a second start migrates nothing
    try:
        _sign_in_and_work(ws, sw.id)
    finally:
        ws.close()


def _sign_in_and_work(ws, sw_id: str) -> None:
    assert ws.info.name == "Hub" and "admin-password" not in ws.info.location
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            ws.login("sw.north", "wrong-password")
    with pytest.raises(AuthenticationFailed) as e:
        ws.login("sw.north", "correct-horse-1")
    assert e.value.reason == "account_locked"
    admin = ws.login("admin", "admin-password-1")
    admin.admin.reset_password(sw_id, "temporary-pass-1")
    me = ws.login("sw.north", "temporary-pass-1")
    assert not me.can("mho_function")  # not until they choose their own password
    me.account.change_password("temporary-pass-1", "my-own-password-1")
    assert me.refresh_capabilities() and me.can("mho_function")
    assert me.cases.page(dto.CaseQuery()).rows == ()
    assert_refused(ws, me, lambda: me.admin.teams(), "manage_teams", "role_not_permitted")
    report = ws.verify_audit()
    assert report.ok and report.events_checked > 10


def test_core_casework_on_postgresql(pg_engine):
    """A case's whole life on the hub: referral with a duplicate check, opening, allocation
    with the weighted load, key people, notes and a correction found by words, a plan
    reviewed, an assessment signed off, both PDFs, and a statutory closure."""
    from datetime import UTC, datetime, timedelta

    from casework.chi import chi_check_digit

    url = pg_engine.url.render_as_string(hide_password=False)
    ws = create_workspace(url, name="Hub", admin_username="admin", admin_password="admin-password-1",
                          credentials=MemoryStore())
    try:
        admin = ws.login("admin", "admin-password-1")
        team = admin.admin.create_team("North Adult Team", "adult_community_care")
        registered = dict(team_id=team.id, sssc_number="1234567", sssc_part="social_worker",
                          sssc_expiry=date(2030, 1, 1), qualified_on=date(2012, 1, 1))
        for username, name, role in (("tl.north", "Fiona MacLeod", "team_leader"),
                                     ("sw.north", "Siobhán Ní Bhriain", "social_worker")):
            info = admin.admin.create_staff(dto.StaffInput(username, name, role, **registered),
                                            "temporary-pass-1")
            me = ws.login(username, "temporary-pass-1")
            me.account.change_password("temporary-pass-1", "my-own-password-1")
        tl = ws.login("tl.north", "my-own-password-1")
        sw = ws.login("sw.north", "my-own-password-1")
        today = sw.today()
        first_nine = next(f"030350{n:03d}" for n in range(1000)
                          if chi_check_digit(f"030350{n:03d}") is not None)
        chi = first_nine + str(chi_check_digit(first_nine))

        person = dto.PersonInput("Łukasz", "Nowak", date(1950, 3, 3), chi)
        referral = sw.people.record_referral(dto.ReferralInput(
            "GP", "Falls at home", today, "medium", person=person))
        assert [m.chi for m in sw.people.find_duplicates(chi=chi)] == [chi]
        cid = referral.case_id
        opened = tl.cases.open_case(cid, dto.OpenCaseInput(
            "adult_community_care", "substantial", "high", "guardianship_order",
            today), tl.cases.summary(cid).row_version)
        loads = {w.display_name: w for w in tl.workload.team(team.id)}
        assert loads["Siobhán Ní Bhriain"].cases == 0
        preview = tl.workload.preview(cid, info.id)
        assert preview.load_after == 2.0  # high risk 1.5, under an order 0.5
        tl.cases.allocate(cid, info.id, "Knows the family", opened.row_version)
        assert [r.id for r in sw.cases.page(dto.CaseQuery()).rows] == [cid]

        sw.people.add_key_person(cid, dto.KeyPersonInput(
            "unpaid_carer", "Ola", "Nowak", "Daughter", support_plan="offered"))
        when = datetime.now(UTC) - timedelta(hours=2)
        note = sw.notes.add(cid, dto.NoteInput("visit", when, "Home visit", "Saw Łukasz at 50%"))
        fixed = sw.notes.correct(note.id, dto.NoteInput("visit", when, "Home visit",
                                                        "Saw Łukasz; he is well."))
        rows = {r.id: r for r in sw.notes.page(cid).rows}
        assert rows[note.id].corrected_by_id == fixed.id
        assert [r.id for r in sw.notes.page(cid, dto.NoteQuery(text="50%")).rows] == [note.id]

        outcome = sw.plans.add_outcome(cid, "Stay at home")
        plan = sw.plans.plan(cid)
        sw.plans.record_review(cid, dto.ReviewInput(
            today, "Going well.", (dto.RatingInput(outcome.id, "met", 5, "Well."),),
            today + timedelta(days=90)), plan.case_row_version)

        a = sw.assessments.start(cid, "outcomes_focused")
        a = sw.assessments.update_draft(a.id, dto.AssessmentInput(
            risk_level="high", needs="Meals", outcomes_wanted="Stay at home"), a.row_version)
        a = sw.assessments.add_contribution(a.id, dto.ContributionInput(
            "person", "I want to stay at home.", today))
        assert sw.assessments.sign_off(a.id, a.row_version).reserved_functions == (
            "sign_off_high_risk_assessment",)

        assert sw.reports.case_summary_pdf(cid).content.startswith(b"%PDF")
        assert sw.reports.chronology_pdf(cid).page_count >= 1
        closed = sw.cases.close(cid, "Settled at home with her daughter's support.",
                                sw.cases.summary(cid).row_version)
        assert closed.case.status == "closed"
        assert ws.verify_audit().ok
    finally:
        ws.close()


def test_a_deactivation_through_another_workspace_is_seen_on_postgresql(pg_engine):
    """The staff token's triggers on the hub: a change made through one Workspace reaches
    the very next call of someone signed in through another."""
    url = pg_engine.url.render_as_string(hide_password=False)
    store = MemoryStore()  # this computer's keychain: it keeps the hub's audit secret
    ws = create_workspace(url, name="Hub", admin_username="admin", admin_password="admin-password-1",
                          credentials=store)
    other = open_workspace(url, credentials=store)
    try:
        admin = other.login("admin", "admin-password-1")
        team = admin.admin.create_team("North Adult Team", "adult_community_care")
        info = admin.admin.create_staff(dto.StaffInput(
            username="sw.north", display_name="Siobhán Ní Bhriain", role="social_worker",
            team_id=team.id, sssc_number="1234567", sssc_part="social_worker",
            sssc_expiry=date(2030, 1, 1), qualified_on=date(2015, 1, 1)), "temporary-pass-1")
        me = ws.login("sw.north", "temporary-pass-1")
        me.account.change_password("temporary-pass-1", "my-own-password-1")
        assert me.cases.page(dto.CaseQuery()).rows == ()
        info = admin.admin.get_staff(info.id)
        admin.admin.set_active(info.id, info.row_version, False)
        assert_refused(ws, me, lambda: me.cases.page(dto.CaseQuery()), "view_own_caseload",
                       "account_inactive")
    finally:
        other.close()
        ws.close()
