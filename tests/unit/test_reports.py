"""Case PDFs as every role: the case summary and the chronology, read back with pdftotext
(names with accents exactly, page numbers, the confidentiality footer on every page, entries
in order, corrections marked), fonts embedded, need to know enforced and audited."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from casework.models import AuditEvent, Case, CaseNote, KeyPerson, Person
from casework.models.base import new_id
from casework import dto
from casework.timeutil import show_datetime
from refusals import assert_refused
from service_world import TODAY

SIOBHAN = "Siobhán Ní Bhriain"
HEADER = re.compile(r"No\.\s+Date and\s+Type\s+By\s+What")


# -- reading a PDF back -------------------------------------------------------------------

def pages_of(pdf: dto.PdfDocument, tmp_path) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    path = tmp_path / "read-back.pdf"
    path.write_bytes(pdf.content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fonts_of(pdf: dto.PdfDocument, tmp_path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font the PDF uses."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf.content)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                         text=True).stdout
    rows = out.splitlines()[2:]  # after the heading and its rule
    return [(r.split()[0], r.split()[-5]) for r in rows if r.strip()]


def one_line(text: str) -> str:
    return " ".join(text.split())


def exports(world) -> list[AuditEvent]:
    with world.ws.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "export_case_pdf")
                              .order_by(AuditEvent.seq)))


# -- the case ----------------------------------------------------------------------------

def note(world, me, cid: str, subject: str, body: str, *, significant: bool = True,
         note_type: str = "visit") -> dto.NoteRow:
    world.clock.advance(minutes=30)
    return me.notes.add(cid, dto.NoteInput(note_type=note_type,
                                           occurred_at=world.clock() - timedelta(minutes=10),
                                           subject=subject, body=body,
                                           significant=significant))


@pytest.fixture
def siobhan(world):
    """Siobhán Ní Bhriain's case, recorded in full: her details, her sister and carer
    Máire, her GP, a signed-off assessment, a plan that was reviewed, significant notes
    (one corrected) and Casework's own events."""
    cid = world.cases[SIOBHAN]
    with world.ws.db.write() as s:
        c = s.get(Case, cid)
        s.execute(update(Person).where(Person.id == c.person_id).values(
            chi="0101501234", address="4 Tigh na Mara, Portree", postcode="IV51 9AA",
            phone="01478 612345", communication_needs="Speaks Gaelic at home; uses a hearing loop",
            contact_preference="Phone after ten in the morning",
            what_matters="Staying in her own house near her sister Máire"))
        c.referral_source = "GP practice"
        c.referral_reason = "Two falls at home; her sister is worn out"
        c.band_target_on = TODAY + timedelta(days=20)
        c.summary = "Support at home after two falls."
        for given, family, kind, relationship, plan in (
                ("Máire", "MacDhòmhnaill", "unpaid_carer", "Sister", "in_place"),
                ("Łukasz", "Wiśniewski", "professional", "GP", None)):
            s.add(KeyPerson(id=new_id(), team_id=c.team_id, person_id=c.person_id, kind=kind,
                            given_name=given, family_name=family, relationship=relationship,
                            lives_with_person=kind == "unpaid_carer", support_plan=plan,
                            support_plan_review_on=TODAY + timedelta(days=60) if plan else None,
                            updated_at=world.clock()))
    me = world.login("sw.north")
    world.clock.advance(days=-10)
    home = me.plans.add_outcome(cid, "Stay living at home, near Máire")
    me.plans.add_action(home.id, dto.ActionInput("Fit a community alarm",
                                                 owner_staff_id=world.staff["sw.north"].id,
                                                 due_on=TODAY + timedelta(days=5)))
    me.plans.add_action(home.id, dto.ActionInput("Try the carers' group",
                                                 owner_name="Máire MacDhòmhnaill"))
    first = note(world, me, cid, "First visit to Siobhán", "Siobhán met me with Máire.")
    wrong = note(world, me, cid, "Phone call with Łukasz", "He said Monday.", note_type="phone")
    note(world, me, cid, "Coffee and a chat", "Nothing of note.", significant=False)
    a = me.assessments.start(cid, "outcomes_focused")
    a = me.assessments.update_draft(a.id, dto.AssessmentInput(
        risk_level="medium", needs="Help getting up and dressed",
        outcomes_wanted="To stay at home"), a.row_version)
    a = me.assessments.add_contribution(a.id, dto.ContributionInput(
        "person", "I want to stay here, near Máire.", TODAY - timedelta(days=10)))
    me.assessments.sign_off(a.id, a.row_version)  # an event on the chronology
    world.clock.advance(minutes=30)
    corrected = me.notes.correct(wrong.id, dto.NoteInput(
        note_type="phone", occurred_at=wrong.occurred_at, subject="Phone call with Łukasz",
        body="He said Tuesday, not Monday.", significant=True))
    world.clock.advance(days=10)  # back to TODAY
    plan = me.plans.plan(cid)
    me.plans.record_review(cid, dto.ReviewInput(
        held_on=TODAY, summary="Settling in.", next_review_on=TODAY + timedelta(days=90),
        ratings=(dto.RatingInput(home.id, "partly_met", 3, "Alarm still to come"),)),
        plan.case_row_version)
    return dict(cid=cid, first=first, wrong=wrong, corrected=corrected)


def add_many_entries(world, case_id: str, n: int) -> None:
    """`n` significant notes, an hour apart, inserted directly."""
    author = world.staff["sw.north"].id
    start = world.clock() - timedelta(hours=n + 1)
    with world.ws.db.write() as s:
        team = s.get(Case, case_id).team_id
        for i in range(n):
            at = start + timedelta(hours=i)
            s.add(CaseNote(id=new_id(), case_id=case_id, team_id=team, author_id=author,
                           note_type="visit", occurred_at=at, subject=f"Entry {i + 1:03d}",
                           body=f"Visit {i + 1} to Siobhán Ní Bhriain. " * (1 + i % 4),
                           significant=True, updated_at=at, updated_by=author))


# -- what both PDFs share -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["summary", "chronology"])
def test_every_page_is_numbered_and_says_it_is_sensitive(world, siobhan, tmp_path, kind):
    me = world.login("sw.north")
    add_many_entries(world, siobhan["cid"], 60)  # several pages either way
    pdf = (me.reports.case_summary_pdf if kind == "summary" else me.reports.chronology_pdf)(
        siobhan["cid"])
    pages = pages_of(pdf, tmp_path)
    n = len(pages)
    assert n == pdf.page_count and n > 1
    assert "Page 1 of" in pages[0] and f"Page 1 of {n}" in pages[0]
    assert f"Page {n} of {n}" in pages[-1]
    made = show_datetime(world.clock())
    for i, text in enumerate(pages, start=1):
        flat = one_line(text)
        assert f"Page {i} of {n}" in flat
        flat = one_line(flat.replace(f"Page {i} of {n}", ""))
        assert ("OFFICIAL-SENSITIVE: personal data about Siobhán Ní Bhriain. Do not leave "
                "unattended or share beyond those who need it.") in flat
        assert f"made by Sw North on {made} (UK time)" in flat
    title = "Case summary" if kind == "summary" else "Chronology"
    assert one_line(pages[0]).startswith(f"{title}: Siobhán Ní Bhriain, CW-000001")


@pytest.mark.parametrize("kind", ["summary", "chronology"])
def test_fonts_are_embedded_so_accents_print_anywhere(world, siobhan, tmp_path, kind):
    me = world.login("sw.north")
    pdf = (me.reports.case_summary_pdf if kind == "summary" else me.reports.chronology_pdf)(
        siobhan["cid"])
    fonts = fonts_of(pdf, tmp_path)
    assert fonts and all(emb == "yes" for _name, emb in fonts), fonts
    names = {name.split("+")[-1] for name, _emb in fonts}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= names
    assert not names - {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique",
                        "DejaVuSans-BoldOblique"}
    text = " ".join(pages_of(pdf, tmp_path))
    for name in ("Siobhán", "Ní Bhriain", "Łukasz", "Máire"):
        assert name in text


# -- the case summary ---------------------------------------------------------------------

def test_the_case_summary_holds_the_person_the_case_and_the_work(world, siobhan, tmp_path):
    pdf = world.login("sw.north").reports.case_summary_pdf(siobhan["cid"])
    assert pdf.kind == dto.PdfKind.SUMMARY and pdf.case_id == siobhan["cid"]
    assert pdf.file_name == "CW-000001 case summary 2026-11-22.pdf"
    assert pdf.content.startswith(b"%PDF-")
    text = "\n".join(pages_of(pdf, tmp_path))
    flat = one_line(text)
    for expected in (
        # the person
        "Siobhán Ní Bhriain", "01 Jan 1950 (age 76)", "010150 1234",
        "4 Tigh na Mara, Portree, IV51 9AA", "Phone after ten in the morning",
        "Speaks Gaelic at home; uses a hearing loop",
        "Staying in her own house near her sister Máire",
        # the case
        "CW-000001", "North Adult Team", "Adult and community care", "Open", "High",
        "Substantial: target for personal care 12 Dec 2026", "Voluntary",
        "by GP practice", "Two falls at home; her sister is worn out",
        "Opened 02 Nov 2026", "Next review 20 Feb 2027", "Named worker Sw North",
        "Support at home after two falls.",
        # allocation history
        "Allocation history", "Referral allocated",
        # key people and carers
        "MacDhòmhnaill", "Wiśniewski", "(unpaid carer)", "(professional)", "In place",
        # assessments
        "Outcomes-focused assessment", "Signed off", "Medium",
        # the plan, rated at the review
        "Stay living at home, near Máire", "Latest rating: Partly met, 3 of 5",
        "Alarm still to come", "Fit a community alarm", "Try the carers' group",
        # the latest chronology entries, Casework's events among them
        "Most recent chronology entries", "Outcomes-focused assessment signed off by Sw North",
        "First visit to Siobhán",
    ):
        assert expected in flat, expected
    assert "Coffee and a chat" not in flat  # not significant: not in the chronology
    assert "Closing summary" not in flat  # a case still open


def test_a_closed_case_s_summary_gives_its_closing_summary(world, tmp_path):
    cid = world.cases["Ann Closed"]
    with world.ws.db.write() as s:
        c = s.get(Case, cid)
        c.closed_on, c.closing_summary = TODAY, "Ann is settled; she knows to phone the team."
    pdf = world.login("sw.north").reports.case_summary_pdf(cid)
    flat = one_line(" ".join(pages_of(pdf, tmp_path)))
    assert "Closing summary Ann is settled; she knows to phone the team." in flat
    assert "Closed 22 Nov 2026" in flat
    # Nothing recorded yet reads as such, not as an empty table.
    assert "Key people and carers None recorded." in flat


# -- the chronology -----------------------------------------------------------------------

def test_the_chronology_lists_every_significant_entry_oldest_first(world, siobhan, tmp_path):
    me = world.login("sw.north")
    pdf = me.reports.chronology_pdf(siobhan["cid"])
    assert pdf.file_name == "CW-000001 chronology 2026-11-22.pdf"
    text = "\n".join(pages_of(pdf, tmp_path))
    flat = one_line(text)
    expected = [e for e in me.notes.page(siobhan["cid"], dto.CHRONOLOGY).rows]
    assert len(expected) == 5  # three notes (one corrected), a sign-off, a review
    # Each entry by its subject's first words (a long one wraps in its column).
    positions = [flat.index(" ".join(e.subject.split()[:3])) for e in expected]
    assert positions == sorted(positions)
    assert "Coffee and a chat" not in flat
    assert f"{len(expected)} entries, oldest first" in flat
    # Dates and times in Europe/London (GMT in November), each entry's author beside it.
    day, clock = show_datetime(siobhan["first"].occurred_at).rsplit(" ", 1)
    assert re.search(rf"1\s+{day}\s+Visit\s+Sw North\s+First visit to Siobhán\s*\n\s+{clock}\b",
                     text)


def test_a_corrected_entry_stays_and_says_which_entry_corrects_it(world, siobhan, tmp_path):
    me = world.login("sw.north")
    flat = one_line("\n".join(pages_of(me.reports.chronology_pdf(siobhan["cid"]), tmp_path)))
    rows = me.notes.page(siobhan["cid"], dto.CHRONOLOGY).rows
    number = {r.id: i for i, r in enumerate(rows, start=1)}
    wrong, corrected = number[siobhan["wrong"].id], number[siobhan["corrected"].id]
    assert "He said Monday." in flat and "He said Tuesday, not Monday." in flat  # both stay
    assert f"Corrected by entry {corrected}" in flat
    assert "Both are kept on the record." in flat
    assert f"Corrects entry {wrong}" in flat
    assert "Corrected" in flat  # in the entry's type column


def test_a_correction_outside_the_chronology_is_still_named(world, siobhan, tmp_path):
    me = world.login("sw.north")
    world.clock.advance(minutes=5)
    me.notes.correct(siobhan["first"].id, dto.NoteInput(
        note_type="visit", occurred_at=siobhan["first"].occurred_at,
        subject="First visit: the date", body="It was the Wednesday.", significant=False))
    flat = one_line(" ".join(pages_of(me.reports.chronology_pdf(siobhan["cid"]), tmp_path)))
    assert ("Corrected by the note “First visit: the date” recorded "
            f"{show_datetime(world.clock())} by Sw North, not in the chronology: see the case "
            "notes.") in flat
    assert "It was the Wednesday." not in flat


def test_a_long_chronology_runs_over_pages_with_its_header_on_each(world, tmp_path):
    cid = world.cases[SIOBHAN]
    add_many_entries(world, cid, 400)
    pdf = world.login("sw.north").reports.chronology_pdf(cid)
    pages = pages_of(pdf, tmp_path)
    assert len(pages) == pdf.page_count > 10
    assert all(HEADER.search(p) for p in pages)
    seen = [int(m) for m in re.findall(r"Entry (\d{3})", "\n".join(pages))]
    assert seen == list(range(1, 401))


def test_an_entry_longer_than_a_page_is_cut_into_rows_that_say_they_continue(world, tmp_path):
    me = world.login("sw.north")
    cid = world.cases[SIOBHAN]
    body = "\n".join(f"Line {i:03d} of what Siobhán said." for i in range(1, 301))
    row = me.notes.add(cid, dto.NoteInput("meeting", world.clock() - timedelta(hours=1),
                                          "Long meeting", body, significant=True))
    # Neither many short lines nor long ones alone: a page's worth all the same.
    mixed = "\n".join(f"Part {i:02d}. " + "She talked about the farm at Sligachan. " * 3
                      for i in range(1, 31))
    me.notes.add(cid, dto.NoteInput("visit", world.clock(), "Long visit", mixed,
                                    significant=True))
    pages = pages_of(me.reports.chronology_pdf(cid), tmp_path)
    text = "\n".join(pages)
    assert len(pages) >= 4 and text.count("continued") >= 3
    assert [int(n) for n in re.findall(r"Line (\d{3}) of", text)] == list(range(1, 301))
    assert [int(n) for n in re.findall(r"Part (\d{2})\.", text)] == list(range(1, 31))
    assert row.subject in text and "Long visit" in text


# -- need to know, audit ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["summary", "chronology"])
@pytest.mark.parametrize("username, reason", [
    ("pp.north", "role_not_permitted"),
    ("admin", "role_not_permitted"),
    ("sw.south", "outside_team_needs_reason"),
])
def test_those_without_need_to_know_are_refused_and_it_is_audited(world, siobhan, username,
                                                                   reason, kind):
    me = world.login(username)
    make = me.reports.case_summary_pdf if kind == "summary" else me.reports.chronology_pdf
    assert_refused(world, me, lambda: make(siobhan["cid"]), "export_case_pdf", reason,
                   entity_id=siobhan["cid"])
    assert [(ev.outcome, ev.reason, ev.entity_id) for ev in exports(world)] == [
        ("refused", reason, siobhan["cid"])]


@pytest.mark.parametrize("kind", ["summary", "chronology"])
def test_an_export_is_audited_by_kind_and_case_never_content(world, siobhan, kind):
    me = world.login("sw.north")
    make = me.reports.case_summary_pdf if kind == "summary" else me.reports.chronology_pdf
    make(siobhan["cid"])
    [ev] = exports(world)
    assert (ev.outcome, ev.actor_id, ev.entity_type, ev.entity_id) == (
        "done", world.staff["sw.north"].id, "case", siobhan["cid"])
    assert json.loads(ev.detail) == {"kind": kind, "case_id": siobhan["cid"]}
    assert "Siobhán" not in ev.detail and "Máire" not in ev.detail


def test_another_team_s_reader_who_stated_a_reason_may_export(world, siobhan, tmp_path):
    south = world.login("sw.south")
    south.cases.summary(siobhan["cid"], reason="Out of hours: Máire phoned the south office")
    pdf = south.reports.chronology_pdf(siobhan["cid"])
    assert "made by Sw South" in one_line(pages_of(pdf, tmp_path)[0])
    assert [ev.outcome for ev in exports(world)] == ["done"]


def test_the_service_manager_may_export_without_a_reason(world, siobhan):
    assert world.login("sm").reports.case_summary_pdf(siobhan["cid"]).page_count >= 1


# -- progress -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["summary", "chronology"])
def test_progress_rises_as_rows_are_laid_out_and_ends_at_one(world, siobhan, kind):
    add_many_entries(world, siobhan["cid"], 120)
    me = world.login("sw.north")
    seen: list[float] = []
    make = me.reports.case_summary_pdf if kind == "summary" else me.reports.chronology_pdf
    make(siobhan["cid"], progress=seen.append)
    assert len(seen) > 5
    assert all(0 <= a < b <= 1 for a, b in zip(seen, seen[1:])), seen
    assert seen[-1] == 1.0


def test_a_pdf_made_without_progress_is_the_same_document(world, siobhan, tmp_path):
    me = world.login("sw.north")
    quiet = me.reports.chronology_pdf(siobhan["cid"])
    told = me.reports.chronology_pdf(siobhan["cid"], progress=lambda f: None)
    assert pages_of(quiet, tmp_path) == pages_of(told, tmp_path)
    assert date.fromisoformat(quiet.file_name.split()[-1].removesuffix(".pdf")) == TODAY
