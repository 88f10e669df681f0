"""The case window's Notes and chronology tab and the note dialog, driven as a social worker,
a team leader, a para-professional and a reader from another team would."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import shiboken6
from PySide6.QtCore import QDate, QTime, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from casework.models import AuditEvent, CaseNote
from casework import dto
from casework.timeutil import LONDON, show_datetime
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.notes_tab import NotesTab
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.note_editor import NoteEditor
from casework.ui.event_bridge import EventBridge
from casework.ui.item_models.note_table import NoteColumn, NoteTableModel
from accessibility import unnamed
from ui_world import add_many_notes, add_note, move_case, open_case_tab

MORAG = "Morag Henderson"


# -- helpers ------------------------------------------------------------------------------

def open_tab(fx, runner, qtbot, username: str = "sw.one", case: str = MORAG, *,
             reason: str | None = None) -> tuple[CaseWindow, NotesTab]:
    return open_case_tab(fx, runner, qtbot, username, case, "notes_tab", reason=reason)


def subjects(tab: NotesTab) -> list[str]:
    return [tab.model.record(r).note.subject for r in range(tab.model.rowCount())]


def row_of(tab: NotesTab, subject: str, *, corrected: bool | None = None) -> int:
    for r in range(tab.model.rowCount()):
        note = tab.model.record(r).note
        if note.subject == subject and (corrected is None
                                        or (note.corrected_by_id is not None) == corrected):
            return r
    raise AssertionError(f"{subject!r} is not listed")


def markers(tab: NotesTab, row: int) -> str:
    return tab.model.index(row, NoteColumn.MARKERS).data()


def selected_id(tab: NotesTab) -> str | None:
    line = tab.selected()
    return line.id if line else None


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill(qtbot, dialog: NoteEditor, *, note_type: str = "visit", subject: str = "",
         body: str = "", contact: str = "") -> None:
    dialog.note_type.setCurrentIndex(dialog.note_type.findData(note_type))
    if contact:
        qtbot.keyClicks(dialog.contact, contact)
    if subject:
        qtbot.keyClicks(dialog.subject, subject)
    if body:
        qtbot.keyClicks(dialog.body, body)


def closed(dialog: NoteEditor) -> bool:
    """Gone from the screen (and deleted, once Qt gets round to it)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def stored_notes(fx) -> int:
    with fx.ws.db.read() as s:
        return s.scalar(select(func.count()).select_from(CaseNote)) or 0


def spy_pages(monkeypatch, tab: NotesTab) -> list[tuple[dto.NoteQuery, int, int]]:
    """Every page the tab asks the service for: (query, offset, limit)."""
    asked: list[tuple[dto.NoteQuery, int, int]] = []
    notes = tab.ctx.me.notes
    real = notes.page

    def page(case_id, query=dto.NoteQuery(), offset=0, limit=100):
        asked.append((query, offset, limit))
        return real(case_id, query, offset, limit)

    monkeypatch.setattr(notes, "page", page)
    return asked


# -- adding -------------------------------------------------------------------------------

def test_a_social_worker_adds_a_visit_note_and_it_appears_at_the_top(fx, runner, qtbot):
    add_note(fx, MORAG, "Phone call with the GP", note_type="phone", hours_ago=48)
    add_note(fx, MORAG, "Letter to Morag", note_type="letter", hours_ago=24)
    window, tab = open_tab(fx, runner, qtbot)
    assert subjects(tab) == ["Letter to Morag", "Phone call with the GP"]
    assert tab.count_label.text() == "2 notes"
    assert tab.actions.add_button.isVisible() and tab.actions.add_button.isEnabled()

    click(qtbot, tab.actions.add_button)
    dialog = tab.actions.dialog
    assert isinstance(dialog, NoteEditor) and dialog.isVisible()
    assert dialog.windowTitle() == "Add a note" and dialog.corrects_label.isHidden()
    # When it happened defaults to now, in UK time.
    assert abs(dialog.when() - datetime.now(UTC)) < timedelta(minutes=2)
    fill(qtbot, dialog, subject="Home visit", contact="Morag and her daughter Ola",
         body="Morag was well; the stair rail is fitted.")
    dialog.significant.setChecked(True)
    click(qtbot, dialog.save_button)

    qtbot.waitUntil(lambda: subjects(tab)[:1] == ["Home visit"], timeout=2000)
    assert tab.actions.dialog is None and closed(dialog)
    assert tab.count_label.text() == "3 notes"
    assert tab.banner.text == "Note recorded."
    assert tab.selected().note.subject == "Home visit"
    assert markers(tab, 0) == "Significant"
    assert tab.model.index(0, NoteColumn.TYPE).data() == "Visit"
    assert tab.model.index(0, NoteColumn.BY).data() == "Ruaridh Campbell"
    assert tab.model.index(0, NoteColumn.WITH).data() == "Morag and her daughter Ola"
    assert tab.reader.subject.text() == "Home visit"
    assert tab.reader.body.toPlainText() == "Morag was well; the stair rail is fitted."
    assert tab.reader.values["contact"].text() == "Morag and her daughter Ola"
    assert "in the chronology" in tab.reader.markers.text()

    row = fx.login("sw.one").notes.page(fx.cases[MORAG]).rows[0]
    assert (row.note_type, row.subject, row.significant, row.author_id) == (
        "visit", "Home visit", True, fx.staff["sw.one"])
    assert abs(row.occurred_at - datetime.now(UTC)) < timedelta(minutes=2)


def test_a_blank_body_is_refused_as_they_type_and_on_save_with_nothing_lost(
        fx, runner, qtbot, questions):
    window, tab = open_tab(fx, runner, qtbot)
    before = stored_notes(fx)
    click(qtbot, tab.actions.add_button)
    dialog = tab.actions.dialog
    qtbot.keyClicks(dialog.subject, "Phone call")
    qtbot.keyClicks(dialog.contact, "Ola")
    qtbot.keyClicks(dialog.body, "x")
    assert dialog.errors.message("body") == ""
    qtbot.keyClick(dialog.body, Qt.Key.Key_Backspace)
    # Under the field, as they type; the type not yet touched says nothing yet.
    assert dialog.errors.message("body") == "What happened: record what happened"
    assert dialog.errors.message("note_type") == ""
    assert dialog.body.accessibleDescription() == "What happened: record what happened"

    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors.message("body") == "What happened: record what happened"
    assert dialog.errors.message("note_type") == "Type: choose what kind of note this is"
    assert stored_notes(fx) == before
    assert (dialog.subject.text(), dialog.contact.text()) == ("Phone call", "Ola")

    # Typing again clears the message; a time in the future is refused the same way.
    qtbot.keyClicks(dialog.body, "She asked for a call back.")
    assert dialog.errors.message("body") == ""
    tomorrow = dialog.occurred.dateTime().addDays(1)
    dialog.occurred.setDateTime(tomorrow)
    assert dialog.errors.message("occurred_at") == "When it happened: must not be in the future"

    # Closing with something typed asks first; saying no keeps it all.
    questions.expect("Close without saving?", False)
    dialog.reject()
    assert questions.titles == ["Close without saving?"] and dialog.isVisible()
    assert dialog.body.toPlainText() == "She asked for a call back."
    questions.expect("Close without saving?", True)
    dialog.reject()
    assert closed(dialog) and stored_notes(fx) == before


def test_a_refused_save_shows_in_the_banner_and_keeps_everything_typed(fx, runner, qtbot,
                                                                      questions):
    window, tab = open_tab(fx, runner, qtbot)
    click(qtbot, tab.actions.add_button)
    dialog = tab.actions.dialog
    fill(qtbot, dialog, subject="Home visit", body="Saw Morag at home.")
    move_case(fx, fx.cases[MORAG], "South")  # transferred meanwhile, as a sync would
    before = stored_notes(fx)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.banner.text == "Only the case's own team may record on it."
    assert (dialog.subject.text(), dialog.body.toPlainText()) == ("Home visit",
                                                                  "Saw Morag at home.")
    assert dialog.save_button.isEnabled()
    assert stored_notes(fx) == before
    with fx.ws.db.read() as s:
        refusal = s.scalars(select(AuditEvent).where(AuditEvent.action == "add_note")).one()
    assert (refusal.outcome, refusal.reason) == ("refused", "outside_team")
    questions.expect("Close the case file?")  # what was typed is left unsaved


def test_when_it_happened_is_typed_in_uk_time_in_summer_as_in_winter(fx, runner, qtbot):
    me = fx.login("sw.one")
    dialog = NoteEditor(me, runner, fx.cases[MORAG])
    qtbot.addWidget(dialog)
    dialog.occurred.setDate(QDate(2025, 7, 1))
    dialog.occurred.setTime(QTime(13, 0))  # British Summer Time: 12:00 UTC
    assert dialog.occurred.text() == "01 Jul 2025  13:00"
    assert dialog.when() == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    fill(qtbot, dialog, subject="Summer visit", body="Saw Morag in the garden.")
    recorded = []
    dialog.saved.connect(recorded.append)
    dialog.save()
    assert recorded[0].occurred_at == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert show_datetime(recorded[0].occurred_at) == "01 Jul 2025 13:00"

    winter = NoteEditor(me, runner, fx.cases[MORAG], correcting=recorded[0])
    qtbot.addWidget(winter)
    assert winter.occurred.text() == "01 Jul 2025  13:00"  # shown as it was typed
    winter.occurred.setDate(QDate(2025, 12, 1))
    assert winter.when() == datetime(2025, 12, 1, 13, 0, tzinfo=UTC)  # GMT in winter


# -- correcting ---------------------------------------------------------------------------

def test_correcting_a_note_keeps_both_marked_and_the_reading_pane_links_them(
        fx, runner, qtbot):
    me = fx.login("sw.one")
    cid = fx.cases[MORAG]
    happened = datetime.now(UTC) - timedelta(days=3)
    original = me.notes.add(cid, dto.NoteInput(
        "visit", happened, "Review visit", "Morag fell on Tuesday.", True, "Morag and Ola"))
    add_note(fx, MORAG, "Call from the surgery", note_type="phone", hours_ago=24 * 5)
    window, tab = open_tab(fx, runner, qtbot)
    tab.table.selectRow(row_of(tab, "Review visit"))
    assert tab.actions.correct_button.isEnabled()

    click(qtbot, tab.actions.correct_button)
    dialog = tab.actions.dialog
    assert dialog.windowTitle() == "Correct a note"
    assert "“Review visit”" in dialog.corrects_label.text()
    assert "The original stays on the record" in dialog.corrects_label.text()
    assert dialog.note_type.currentData() == "visit"
    assert dialog.when() == happened.astimezone(LONDON).replace(second=0, microsecond=0)
    assert (dialog.subject.text(), dialog.contact.text()) == ("Review visit", "Morag and Ola")
    assert dialog.body.toPlainText() == "Morag fell on Tuesday."
    assert dialog.significant.isChecked()
    dialog.body.selectAll()
    qtbot.keyClicks(dialog.body, "Morag fell on Monday night, not Tuesday.")
    click(qtbot, dialog.save_button)

    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=2000)
    old_row = row_of(tab, "Review visit", corrected=True)
    new_row = row_of(tab, "Review visit", corrected=False)
    when = show_datetime(happened)
    assert markers(tab, old_row) == f"Significant · Corrected — see the note of {when}"
    assert markers(tab, new_row) == f"Significant · Correction of the note of {when}"
    assert tab.banner.text == "Correction recorded; the original stays on the record."
    # The original is as it was written.
    assert me.notes.get(original.id).body == "Morag fell on Tuesday."
    correction = tab.selected()
    assert correction.note.corrects_id == original.id
    assert tab.reader.body.toPlainText() == "Morag fell on Monday night, not Tuesday."
    assert "correction of the note of" in tab.reader.markers.text()

    # The reading pane goes from one to the other.
    assert tab.reader.to_original.isVisible() and not tab.reader.to_correction.isVisible()
    click(qtbot, tab.reader.to_original)
    assert selected_id(tab) == original.id
    assert tab.reader.body.toPlainText() == "Morag fell on Tuesday."
    assert "Corrected by Ruaridh Campbell" in tab.reader.markers.text()
    assert tab.reader.to_correction.isVisible() and not tab.reader.to_original.isVisible()
    click(qtbot, tab.reader.to_correction)
    assert selected_id(tab) == correction.id


def test_a_superseded_note_or_an_event_is_not_offered_for_correction(fx, runner, qtbot):
    me = fx.login("sw.one")
    cid = fx.cases[MORAG]
    first = me.notes.add(cid, dto.NoteInput("phone", datetime.now(UTC) - timedelta(hours=5),
                                            "Call", "Wrong number noted."))
    me.notes.correct(first.id, dto.NoteInput("phone", first.occurred_at, "Call",
                                             "Right number noted."))
    add_note(fx, MORAG, "Case allocated to Ruaridh Campbell", note_type="event",
             author="tl.north", hours_ago=100)
    window, tab = open_tab(fx, runner, qtbot)

    tab.table.selectRow(row_of(tab, "Call", corrected=True))
    assert not tab.actions.correct_button.isEnabled()
    assert "corrected already" in tab.actions.correct_button.toolTip()
    tab.actions.correct_selected()  # asked anyway (a shortcut, a stale list): refused in the banner
    assert tab.actions.dialog is None
    assert tab.banner.text == "This note has been corrected already: correct the newest version."

    tab.table.selectRow(row_of(tab, "Case allocated to Ruaridh Campbell"))
    assert markers(tab, row_of(tab, "Case allocated to Ruaridh Campbell")) == "Event"
    assert not tab.actions.correct_button.isEnabled()
    tab.actions.correct_selected()
    assert tab.actions.dialog is None and "cannot be corrected" in tab.banner.text

    tab.table.selectRow(row_of(tab, "Call", corrected=False))
    assert tab.actions.correct_button.isEnabled()


def test_a_colleagues_note_is_corrected_by_its_author_or_a_leader_only(fx, runner, qtbot):
    add_note(fx, MORAG, "Visit by Ruaridh", author="sw.one", hours_ago=30)
    window, tab = open_tab(fx, runner, qtbot, "sw.two")
    tab.table.selectRow(0)
    click(qtbot, tab.actions.correct_button)
    assert tab.actions.dialog is None
    assert tab.banner.text.startswith("Only the note's author, or a leader of the case's team")

    window, lead = open_tab(fx, runner, qtbot, "tl.north")
    lead.table.selectRow(0)
    click(qtbot, lead.actions.correct_button)
    dialog = lead.actions.dialog
    assert isinstance(dialog, NoteEditor) and dialog.correcting.subject == "Visit by Ruaridh"


def test_a_note_corrected_meanwhile_is_found_before_anything_is_typed(fx, runner, qtbot):
    note_id = add_note(fx, MORAG, "Visit", hours_ago=30)
    window, tab = open_tab(fx, runner, qtbot)
    tab.table.selectRow(0)
    # Someone else corrects it; the tab has not heard yet.
    lead = fx.login("tl.north")
    old = lead.notes.get(note_id)
    lead.notes.correct(note_id, dto.NoteInput("visit", old.occurred_at, "Visit", "Better."))
    tab.actions.correct_selected()
    assert tab.actions.dialog is None
    assert "corrected since the list was shown" in tab.banner.text
    qtbot.waitUntil(lambda: tab.selected() is not None
                    and tab.selected().note.corrects_id == note_id, timeout=2000)


def test_a_closed_case_takes_no_new_notes_but_a_note_may_be_corrected(fx, runner, qtbot):
    add_note(fx, "Fiona Baxter", "Closing visit", hours_ago=50)
    window, tab = open_tab(fx, runner, qtbot, case="Fiona Baxter")
    assert tab.actions.add_button.isVisible() and not tab.actions.add_button.isEnabled()
    assert "closed" in tab.actions.recording_hint.text()
    tab.table.selectRow(0)
    click(qtbot, tab.actions.correct_button)
    dialog = tab.actions.dialog
    dialog.body.selectAll()
    qtbot.keyClicks(dialog.body, "Closing visit: Fiona moved to her son's.")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=2000)


# -- filtering and paging ------------------------------------------------------------------

def test_the_chronology_is_significant_notes_and_events_oldest_first(fx, runner, qtbot,
                                                                     monkeypatch):
    add_note(fx, MORAG, "Referral received", note_type="event", author="tl.north",
             hours_ago=200)
    add_note(fx, MORAG, "First visit", significant=True, hours_ago=150)
    add_note(fx, MORAG, "Routine call", note_type="phone", hours_ago=100)
    add_note(fx, MORAG, "Case conference", note_type="meeting", significant=True, hours_ago=50)
    window, tab = open_tab(fx, runner, qtbot)
    asked = spy_pages(monkeypatch, tab)
    assert subjects(tab) == ["Case conference", "Routine call", "First visit",
                             "Referral received"]

    click(qtbot, tab.chronology_button)
    assert asked[-1] == (dto.CHRONOLOGY, 0, 100)
    assert subjects(tab) == ["Referral received", "First visit", "Case conference"]
    assert tab.count_label.text() == "3 entries in the chronology"
    assert "oldest first" in tab.order_label.text()
    assert [markers(tab, r) for r in range(3)] == ["Event", "Significant", "Significant"]

    click(qtbot, tab.all_button)
    assert asked[-1] == (dto.NoteQuery(), 0, 100)
    assert tab.count_label.text() == "4 notes"


def test_the_type_filter_and_the_word_search_narrow_the_list_in_the_query(
        fx, runner, qtbot, monkeypatch):
    add_note(fx, MORAG, "Stair rail fitted", note_type="visit", hours_ago=90)
    add_note(fx, MORAG, "Call about the stair rail", note_type="phone", hours_ago=60)
    add_note(fx, MORAG, "Call from the pharmacy", note_type="phone", hours_ago=30,
             body="Prescription ready.")
    window, tab = open_tab(fx, runner, qtbot)
    asked = spy_pages(monkeypatch, tab)

    tab.type_filter.setCurrentIndex(tab.type_filter.findText("Phone"))
    assert asked[-1][0] == dto.NoteQuery(note_types=("phone",))
    assert subjects(tab) == ["Call from the pharmacy", "Call about the stair rail"]
    assert tab.count_label.text() == "2 notes"

    qtbot.keyClicks(tab.search, "stair")
    qtbot.waitUntil(lambda: tab.model.query.text == "stair", timeout=2000)  # after the pause
    assert asked[-1][0] == dto.NoteQuery(note_types=("phone",), text="stair")
    assert subjects(tab) == ["Call about the stair rail"]
    assert tab.count_label.text() == "1 note"

    tab.type_filter.setCurrentIndex(tab.type_filter.findText("Letter"))
    assert subjects(tab) == [] and tab.count_label.text() == "No notes match these filters."
    assert tab.reader.subject.text() == "No notes match these filters."

    tab.search.clear()
    tab.type_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: tab.model.query == dto.NoteQuery(), timeout=2000)
    assert len(subjects(tab)) == 3


def test_a_case_with_350_notes_pages_as_the_view_scrolls(fx, runner, qtbot, monkeypatch):
    add_many_notes(fx, MORAG, 350)
    window, tab = open_tab(fx, runner, qtbot)
    asked = spy_pages(monkeypatch, tab)
    assert tab.model.rowCount() == 100  # the first page only
    assert tab.count_label.text() == "350 notes"
    assert subjects(tab)[0] == "Call 349"

    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 200, timeout=2000)
    assert [(offset, limit) for _q, offset, limit in asked] == [(100, 100)]
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 300, timeout=2000)
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 350, timeout=2000)
    assert [offset for _q, offset, _l in asked] == [100, 200, 300]
    assert not tab.model.canFetchMore()
    assert subjects(tab)[-1] == "Call 000"


def test_a_link_fetches_further_pages_and_drops_filters_that_hide_its_note(
        fx, runner, qtbot):
    add_many_notes(fx, MORAG, 250)
    me = fx.login("sw.one")
    oldest = me.notes.page(fx.cases[MORAG], dto.NoteQuery(newest_first=False), 0, 1).rows[0]
    # Corrected today with the right date: the correction heads the list, the original is
    # on the third page.
    correction = me.notes.correct(oldest.id, dto.NoteInput(
        "phone", datetime.now(UTC) - timedelta(minutes=10), "Call 000", "Phoned today.",
        significant=True))
    window, tab = open_tab(fx, runner, qtbot)
    assert tab.model.rowCount() == 100 and selected_id(tab) == correction.id
    click(qtbot, tab.reader.to_original)
    assert selected_id(tab) == oldest.id
    assert tab.model.rowCount() == 251  # fetched the pages up to it, no further

    # In the chronology, the correction is listed (significant), the original is not.
    click(qtbot, tab.chronology_button)
    assert subjects(tab) == ["Call 000"]
    click(qtbot, tab.reader.to_original)
    assert selected_id(tab) == oldest.id
    assert tab.all_button.isChecked() and tab.model.query == dto.NoteQuery()
    assert tab.banner.text == "The filters hid that note, so all notes are shown now."


# -- keeping up ---------------------------------------------------------------------------

def test_the_list_reloads_on_a_change_to_the_case_keeping_the_selection(fx, runner, qtbot):
    add_note(fx, MORAG, "Older", hours_ago=60)
    add_note(fx, MORAG, "Newer", hours_ago=30)
    window, tab = open_tab(fx, runner, qtbot)
    tab.table.selectRow(row_of(tab, "Older"))
    older = selected_id(tab)
    fx.login("tl.north").notes.add(fx.cases[MORAG], dto.NoteInput(
        "meeting", datetime.now(UTC) - timedelta(hours=1), "Team meeting", "Discussed."))
    qtbot.waitUntil(lambda: subjects(tab) == ["Team meeting", "Newer", "Older"], timeout=2000)
    assert selected_id(tab) == older
    assert tab.count_label.text() == "3 notes"

    # Another case's notes do not concern this one.
    pages = []
    tab.model.loaded.connect(lambda: pages.append(1))
    fx.login("sw.one").notes.add(fx.cases["Alasdair Grant"], dto.NoteInput(
        "phone", datetime.now(UTC) - timedelta(hours=1), "Elsewhere", "Not here."))
    QApplication.processEvents()
    QApplication.processEvents()
    assert pages == [] and "Elsewhere" not in subjects(tab)


# -- who may record -------------------------------------------------------------------------

def test_a_para_professional_sees_no_add_button_and_the_refusal_in_the_banner(
        fx, runner, qtbot):
    add_note(fx, MORAG, "Visit", hours_ago=10)
    me = fx.login("pp.one")
    # A tab given a case file as the service would describe it to them: nothing to record.
    summary = replace(fx.login("sw.one").cases.summary(fx.cases[MORAG]),
                      abilities=dto.CaseAbilities())
    ctx = CaseContext(me=me, runner=runner, events=EventBridge(fx.ws.bus),
                      case_id=summary.case.id, summary=lambda: summary, today=me.today)
    tab = NotesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.is_loaded, timeout=2000)
    assert tab.actions.add_button.isHidden() and tab.actions.correct_button.isHidden()
    assert tab.model.rowCount() == 0
    assert tab.banner.text == "A para-professional may not view case."
    tab.actions.add_note()
    assert tab.actions.dialog is None
    assert tab.banner.text == "Only the case's own team records notes on it."


def test_a_reader_from_another_team_sees_no_add_button_and_a_refused_add_is_shown(
        fx, runner, qtbot):
    add_note(fx, MORAG, "Visit", hours_ago=10)
    window, tab = open_tab(fx, runner, qtbot, "tl.south", reason="Covering a joint visit")
    assert subjects(tab) == ["Visit"]  # read on the strength of the stated reason
    assert tab.actions.add_button.isHidden() and tab.actions.correct_button.isHidden()
    assert "only its own team records" in tab.actions.recording_hint.text()
    tab.actions.add_note()
    assert tab.actions.dialog is None
    assert tab.banner.text == "Only the case's own team records notes on it."

    # Had the dialog been open, the service would refuse it, keeping what was typed.
    dialog = NoteEditor(tab.ctx.me, runner, fx.cases[MORAG], parent=tab)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog, subject="Joint visit", body="Saw Morag with the North team.")
    before = stored_notes(fx)
    dialog.save()
    assert dialog.banner.text == "Only the case's own team may record on it."
    assert dialog.body.toPlainText() == "Saw Morag with the North team."
    assert stored_notes(fx) == before


# -- the model and accessibility -----------------------------------------------------------

def test_the_note_table_model_passes_the_model_tester(fx, runner, qtbot, qtmodeltester):
    me = fx.login("sw.one")
    cid = fx.cases[MORAG]
    first = me.notes.add(cid, dto.NoteInput("visit", datetime.now(UTC) - timedelta(hours=3),
                                            "Visit", "Words.", True, "Morag"))
    me.notes.correct(first.id, dto.NoteInput("visit", first.occurred_at, "Visit",
                                             "Better words.", True, "Morag"))
    add_note(fx, MORAG, "Referral received", note_type="event", hours_ago=90)
    model = NoteTableModel(me.notes, runner, cid, dto.NoteQuery(), page_size=2)
    model.reload()
    assert model.rowCount() == 2 and model.canFetchMore()
    qtmodeltester.check(model)
    model.fetchMore()
    assert model.rowCount() == 3
    assert model.headerData(NoteColumn.MARKERS, Qt.Orientation.Horizontal) == \
        "Significance and corrections"
    qtmodeltester.check(model)


def test_every_control_of_the_tab_and_the_dialog_has_a_name(fx, runner, qtbot):
    me = fx.login("sw.one")
    first = me.notes.add(fx.cases[MORAG], dto.NoteInput(
        "visit", datetime.now(UTC) - timedelta(hours=3), "Visit", "Words."))
    me.notes.correct(first.id, dto.NoteInput("visit", first.occurred_at, "Visit", "Better."))
    window, tab = open_tab(fx, runner, qtbot)
    tab.table.selectRow(row_of(tab, "Visit", corrected=True))
    assert tab.reader.to_correction.isVisible()
    assert unnamed(tab) == []
    click(qtbot, tab.actions.add_button)
    assert unnamed(tab.actions.dialog) == []
    tab.actions.dialog._done = True  # nothing typed worth asking about
    tab.actions.dialog.reject()
    tab.table.selectRow(row_of(tab, "Visit", corrected=False))
    click(qtbot, tab.actions.correct_button)
    assert tab.actions.dialog.corrects_label.isVisible()
    assert unnamed(tab.actions.dialog) == []
