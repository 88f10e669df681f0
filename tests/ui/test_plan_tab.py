"""The case window's plan tab and its dialogs, driven as a social worker would: outcomes in the
person's words, actions owned by the team or by someone named, a review that rates every
live outcome (a rating and a score that contradict each other are flagged as they are
chosen), and the next review date the caseloads show."""

from __future__ import annotations

from datetime import timedelta
from operator import attrgetter

from PySide6.QtCore import QDate, Qt

from accessibility import unnamed
from casework.timeutil import show_date
from casework.ui.case_window.plan_tab import PlanTab
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.plan_editor import SOMEONE_ELSE, ActionDialog, OutcomeDialog
from casework.ui.dialogs.review_editor import ReviewDialog
from casework.ui.item_models.plan_tables import (
    ActionColumn,
    OutcomeColumn,
    ReviewColumn,
)
from ui_world import build_plan, close_case_directly, open_case_tab

GRANT = "Alasdair Grant"  # sw.one's, in North; next review in 10 days
CONTRADICTION = ("\"met\" goes with a score from 4 to 5; a score of 1 says otherwise — change "
                 "the rating or the score")
EDIT_BUTTONS = ("next_review.change_button", "next_review.record_button", "outcomes.add_button",
                "outcomes.edit_button", "outcomes.end_button", "actions.add_button",
                "actions.edit_button", "actions.done_button")


def open_plan(fx, runner, qtbot, username: str = "sw.one", case: str = GRANT, *,
              reason: str | None = None) -> tuple[CaseWindow, PlanTab]:
    return open_case_tab(fx, runner, qtbot, username, case, "plan_tab", reason=reason)


def texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def visible_buttons(tab: PlanTab) -> list[str]:
    return [name for name in EDIT_BUTTONS if not attrgetter(name)(tab).isHidden()]


def add_outcome(qtbot, tab: PlanTab, words: str) -> None:
    tab.outcomes.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OutcomeDialog)
    qtbot.keyClicks(dialog.description, words)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: words in texts(tab.outcomes.model, OutcomeColumn.OUTCOME),
                    timeout=2000)
    assert tab.dialog is None


def add_action(qtbot, tab: PlanTab, words: str, *, staff: str | None = None,
               named: str | None = None, due: QDate | None = None) -> None:
    tab.actions.add_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ActionDialog)
    qtbot.keyClicks(dialog.description, words)
    dialog.owner.setCurrentIndex(dialog.owner.findData(staff if staff else SOMEONE_ELSE))
    if named:
        qtbot.keyClicks(dialog.owner_name, named)
    if due is not None:
        dialog.due.check.setChecked(True)
        dialog.due.edit.setDate(due)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: words in texts(tab.actions.model, ActionColumn.ACTION),
                    timeout=2000)


# -- building a plan and reviewing it -----------------------------------------------------

def test_a_social_worker_builds_a_plan_and_records_a_review(fx, runner, qtbot):
    window, tab = open_plan(fx, runner, qtbot)
    me = tab.ctx.me
    today = me.today()
    cid = fx.cases[GRANT]
    assert tab.next_review.date_label.text() == show_date(today + timedelta(days=10))
    assert tab.next_review.words.text() == "Due in 10 days"
    assert not tab.outcomes.empty.isHidden() and not tab.reviews.empty.isHidden()
    assert visible_buttons(tab) == list(EDIT_BUTTONS)
    assert not tab.outcomes.edit_button.isEnabled() and not tab.actions.add_button.isEnabled()

    add_outcome(qtbot, tab, "Stay living at home with the dog")
    add_outcome(qtbot, tab, "Get back to the Tuesday lunch club")
    assert texts(tab.outcomes.model, OutcomeColumn.LATEST) == ["Not yet reviewed"] * 2
    # The outcome just added is the one selected.
    assert tab.selected_outcome()[0].description == "Get back to the Tuesday lunch club"
    tab.outcomes.table.selectRow(0)
    assert "Stay living at home with the dog" in tab.actions.detail.text()

    add_action(qtbot, tab, "Arrange evening visits", staff=fx.staff["pp.one"],
               due=QDate(today + timedelta(days=7)))
    add_action(qtbot, tab, "Walk the dog on Saturdays", named="Ishbel Grant (daughter)")
    assert texts(tab.actions.model, ActionColumn.OWNER) == ["Jamie Kerr",
                                                            "Ishbel Grant (daughter)"]
    assert texts(tab.actions.model, ActionColumn.DUE) == [
        show_date(today + timedelta(days=7)), "No date"]
    assert texts(tab.outcomes.model, OutcomeColumn.ACTIONS)[0] == "2 open"

    # Marking the carer's action done.
    tab.actions.table.selectRow(1)
    assert tab.selected_action().description == "Walk the dog on Saturdays"
    tab.actions.done_button.click()
    done = tab.dialog
    assert done.done_on.maximumDate() == QDate(today)  # not a day still to come
    done.save_button.click()
    qtbot.waitUntil(lambda: show_date(today) in texts(tab.actions.model, ActionColumn.DONE),
                    timeout=2000)
    assert texts(tab.outcomes.model, OutcomeColumn.ACTIONS)[0] == "1 open, 1 done"
    tab.actions.table.selectRow(texts(tab.actions.model, ActionColumn.DONE).index(
        show_date(today)))
    assert not tab.actions.done_button.isEnabled() and not tab.actions.edit_button.isEnabled()

    # The review: "met" scored 1 is flagged under that outcome as soon as both are chosen.
    tab.next_review.record_button.click()
    review = tab.dialog
    assert isinstance(review, ReviewDialog)
    assert review.next_review_on.date() == QDate(today).addMonths(3)
    first, second = review.row(1), review.row(2)
    first.rating.setCurrentIndex(first.rating.findData("met"))
    assert review.errors.message(first.key) == ""  # no score yet: nothing to contradict
    first.score.setCurrentIndex(first.score.findData(1))
    assert review.errors.message(first.key) == f"Outcome 1: {CONTRADICTION}"
    assert review.errors.message(second.key) == ""  # not touched yet
    qtbot.keyClicks(first.comment, "Visits in place since March")
    qtbot.keyClicks(review.summary, "Going well at home; lunch club still to try.")

    # Saving is refused: the contradiction stays, the unrated outcome says so, nothing lost.
    review.save_button.click()
    assert tab.dialog is review and review.isVisible()
    assert review.errors.message(first.key) == f"Outcome 1: {CONTRADICTION}"
    assert review.errors.message(second.key) == (
        "Outcome 2: rate this outcome: every live outcome is rated at a review")
    assert review.errors.message("ratings").startswith("Ratings: every live outcome is rated")
    assert first.value() == ("met", 1, "Visits in place since March")
    assert review.summary.toPlainText() == "Going well at home; lunch club still to try."
    assert me.plans.plan(cid).reviews == ()

    first.score.setCurrentIndex(first.score.findData(5))
    assert review.errors.message(first.key) == ""
    second.rating.setCurrentIndex(second.rating.findData("partly_met"))
    second.score.setCurrentIndex(second.score.findData(3))
    qtbot.keyClicks(second.comment, "Went once with her daughter")
    assert review.errors.message(second.key) == "" and review.errors.message("ratings") == ""
    review.save_button.click()
    qtbot.waitUntil(lambda: tab.reviews.model.rowCount() == 1, timeout=2000)
    assert tab.dialog is None

    next_on = QDate(today).addMonths(3).toPython()
    assert tab.next_review.date_label.text() == show_date(next_on)
    assert tab.next_review.words.text().startswith("In ")
    assert texts(tab.outcomes.model, OutcomeColumn.LATEST) == ["Met, 5 of 5",
                                                               "Partly met, 3 of 5"]
    assert [tab.reviews.model.index(0, c).data() for c in ReviewColumn] == [
        show_date(today), "Ruaridh Campbell", "1", "1", "0"]
    tab.reviews.table.selectRow(0)
    assert "Going well at home; lunch club still to try." in tab.review.detail.text()
    assert texts(tab.review.ratings_model, 1) == ["Met, 5 of 5", "Partly met, 3 of 5"]
    assert tab.next_review.last_review.text() == (
        f"Last review: {show_date(today)}, by Ruaridh Campbell.")
    assert me.cases.summary(cid).case.next_review_on == next_on


def test_ending_an_outcome_moves_it_to_the_ended_list(fx, runner, qtbot, questions):
    questions.expect("End this outcome?")
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    assert tab.outcomes.ended_toggle.text() == "Ended outcomes (1)"
    assert tab.outcomes.ended_table.isHidden()
    tab.outcomes.table.selectRow(1)
    club = tab.selected_outcome()[0]
    tab.outcomes.end_button.click()
    assert questions.titles == ["End this outcome?"]
    qtbot.waitUntil(lambda: tab.outcomes.ended_model.rowCount() == 2, timeout=2000)
    assert club.description not in texts(tab.outcomes.model, OutcomeColumn.OUTCOME)
    assert club.description in texts(tab.outcomes.ended_model, 0)
    assert tab.outcomes.ended_toggle.text() == "Ended outcomes (2)"

    # Opened, the ended list shows; choosing one shows its actions, which no longer change.
    tab.outcomes.ended_toggle.click()
    assert not tab.outcomes.ended_table.isHidden()
    tab.outcomes.ended_table.selectRow(texts(tab.outcomes.ended_model, 0).index(club.description))
    assert not tab.outcomes.table.selectionModel().hasSelection()
    assert texts(tab.actions.model, ActionColumn.ACTION) == [
        "Book community transport for Tuesdays"]
    assert "kept for the record" in tab.actions.detail.text()
    assert not tab.actions.add_button.isEnabled() and not tab.outcomes.end_button.isEnabled()
    # A review no longer rates it.
    tab.next_review.record_button.click()
    assert [r.outcome.description for r in tab.dialog.live_rows()] == texts(
        tab.outcomes.model, OutcomeColumn.OUTCOME)


def test_overdue_dates_are_said_in_words(fx, runner, qtbot):
    ids = build_plan(fx, "Morag Henderson")
    window, tab = open_plan(fx, runner, qtbot, case="Morag Henderson")
    # build_plan's last review set the next date five days on: move it behind, as time would.
    from casework.models import Case

    with fx.ws.db.write() as s:
        s.get(Case, fx.cases["Morag Henderson"]).next_review_on = tab.ctx.today() - timedelta(
            days=5)
    tab.refresh()
    assert tab.next_review.words.text() == "Overdue by 5 days"
    tab.outcomes.table.selectRow(0)
    row = tab.actions.model.row_of(ids["rail"])
    due = tab.actions.model.index(row, ActionColumn.DUE)
    assert due.data().endswith("– overdue")
    assert due.data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 3 days"  # how late
    assert texts(tab.outcomes.model, OutcomeColumn.ACTIONS)[0] == "3 open, 1 overdue"


# -- who may record -------------------------------------------------------------------------

def test_a_closed_case_shows_its_plan_without_editing_buttons(fx, runner, qtbot):
    build_plan(fx, GRANT)
    close_case_directly(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    assert tab.outcomes.model.rowCount() == 3 and tab.reviews.model.rowCount() == 2
    assert visible_buttons(tab) == []
    assert tab.notice.text() == "The case is closed: its plan is kept as it was."


def test_a_reader_from_another_team_sees_the_plan_but_no_buttons(fx, runner, qtbot):
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot, "tl.south",
                            reason="Covering the duty desk for North")
    assert tab.banner.isHidden()
    assert tab.outcomes.model.rowCount() == 3 and tab.reviews.model.rowCount() == 2
    assert texts(tab.review.ratings_model, 1) == ["Met, 4 of 5", "Partly met, 3 of 5",
                                           "Partly met, 3 of 5"]
    assert visible_buttons(tab) == []
    assert not tab.notice.isHidden() and "only the case's own team" in tab.notice.text()


# -- refusals, conflicts and unsaved typing -------------------------------------------------

def test_a_refusal_shows_in_the_dialog_and_keeps_what_was_typed(fx, runner, qtbot, questions):
    window, tab = open_plan(fx, runner, qtbot)
    tab.outcomes.add_button.click()
    dialog = tab.dialog
    dialog.save_button.click()  # nothing typed: said under the field, not sent
    assert dialog.errors.message("description") == (
        "Outcome: say what the person wants to achieve")
    qtbot.keyClicks(dialog.description, "See my grandchildren every week")
    assert dialog.errors.message("description") == ""  # checked again as it is typed
    close_case_directly(fx, GRANT)  # closed meanwhile, elsewhere
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.banner.text == "Case: the case is closed; its plan is kept as it was"
    assert dialog.description.toPlainText() == "See my grandchildren every week"
    questions.expect("Close the case file?")  # what was typed is left unsaved


def test_a_review_of_a_case_changed_meanwhile_offers_to_reload(fx, runner, qtbot):
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    me = tab.ctx.me
    cid = fx.cases[GRANT]
    tab.next_review.record_button.click()
    review = tab.dialog
    for n, (rating, score) in enumerate((("met", 5), ("partly_met", 3), ("not_met", 2)), 1):
        row = review.row(n)
        row.rating.setCurrentIndex(row.rating.findData(rating))
        row.score.setCurrentIndex(row.score.findData(score))
        qtbot.keyClicks(row.comment, f"Comment {n}")
    qtbot.keyClicks(review.summary, "Third review.")
    # Someone else moves the next review date while this is open.
    other = fx.login("tl.north")
    plan = other.plans.plan(cid)
    other.plans.set_next_review(cid, me.today() + timedelta(days=20), plan.case_row_version)
    review.save_button.click()
    assert review.isVisible() and review.banner.action.isVisibleTo(review)
    assert "Someone else changed this case" in review.banner.text
    assert review.row(3).value() == ("not_met", 2, "Comment 3")
    review.banner.action.click()  # Reload
    assert review.row(3).value() == ("not_met", 2, "Comment 3")  # still there
    review.save_button.click()
    qtbot.waitUntil(lambda: tab.reviews.model.rowCount() == 3, timeout=2000)
    assert me.plans.plan(cid).reviews[0].summary == "Third review."


def test_an_outcome_added_meanwhile_is_offered_for_rating_after_a_reload(fx, runner, qtbot):
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    cid = fx.cases[GRANT]
    tab.next_review.record_button.click()
    review = tab.dialog
    for n in (1, 2, 3):
        row = review.row(n)
        row.rating.setCurrentIndex(row.rating.findData("partly_met"))
        row.score.setCurrentIndex(row.score.findData(3))
        qtbot.keyClicks(row.comment, f"Comment {n}")
    qtbot.keyClicks(review.summary, "Steady.")
    # A colleague adds an outcome while the review is being written (the case itself does
    # not change, so only the ratings tell).
    fx.login("sw.two").plans.add_outcome(cid, "Learn to use the tablet to call my sister")
    review.save_button.click()
    assert review.isVisible() and "outcomes changed" in review.banner.text
    review.banner.action.click()  # Reload
    assert len(review.live_rows()) == 4 and review.row(1).value() == (
        "partly_met", 3, "Comment 1")
    new = review.row(4)
    assert new.outcome.description == "Learn to use the tablet to call my sister"
    new.rating.setCurrentIndex(new.rating.findData("not_met"))
    new.score.setCurrentIndex(new.score.findData(1))
    qtbot.keyClicks(new.comment, "Not started")
    review.save_button.click()
    qtbot.waitUntil(lambda: tab.reviews.model.rowCount() == 3, timeout=2000)
    assert [r.rating for r in tab.plan.reviews[0].ratings] == ["partly_met"] * 3 + ["not_met"]


def test_closing_a_dialog_with_unsaved_typing_asks_first(fx, runner, qtbot, questions):
    window, tab = open_plan(fx, runner, qtbot)
    questions.expect("Close without saving?", False)
    tab.outcomes.add_button.click()
    dialog = tab.dialog
    dialog.reject()  # nothing typed: closes without asking
    assert questions.titles == [] and tab.dialog is None
    tab.outcomes.add_button.click()
    dialog = tab.dialog
    qtbot.keyClicks(dialog.description, "Go to the football")
    dialog.reject()
    assert questions.titles == ["Close without saving?"] and dialog.isVisible()
    assert dialog.description.toPlainText() == "Go to the football"
    questions.expect("Close without saving?", True)
    dialog.reject()
    assert questions.titles == ["Close without saving?"] * 2
    assert not dialog.isVisible() and tab.outcomes.model.rowCount() == 0


def test_the_action_dialog_checks_as_it_is_filled_in(fx, runner, qtbot, questions):
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    tab.outcomes.table.selectRow(0)
    tab.actions.add_button.click()
    dialog = tab.dialog
    assert dialog.owner.itemText(0) == "Choose who will do it"
    owners = [dialog.owner.itemText(i) for i in range(dialog.owner.count())]
    assert "Jamie Kerr (Para-professional)" in owners and "Eilidh Baird (Team leader)" not in owners
    assert not dialog.owner_name.isVisible()  # asked only for someone else
    dialog.save_button.click()
    assert dialog.errors.message("description") == "Action: say what will be done"
    assert dialog.errors.message("owner_staff_id").startswith("Who: say who will do it")
    dialog.owner.setCurrentIndex(dialog.owner.findData(SOMEONE_ELSE))
    assert dialog.owner_name.isVisible()
    assert dialog.errors.message("owner_staff_id") == ""
    dialog.due.check.setChecked(True)
    dialog.due.edit.setDate(QDate(tab.ctx.today() - timedelta(days=1)))
    assert dialog.errors.message("due_on") == "Due: must not be in the past"
    questions.expect("Close the case file?")  # what was filled in is left unsaved


# -- models and names -----------------------------------------------------------------------

def test_each_plan_model_passes_the_model_tester(fx, runner, qtbot, qtmodeltester):
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    tab.outcomes.table.selectRow(0)
    tab.outcomes.ended_toggle.click()
    models = (tab.outcomes.model, tab.outcomes.ended_model, tab.actions.model, tab.reviews.model,
              tab.review.ratings_model)
    assert all(m.rowCount() for m in models)
    for model in models:
        qtmodeltester.check(model)


def test_the_tab_and_its_dialogs_name_their_controls(fx, runner, qtbot, questions):
    questions.expect("Close without saving?")  # the action dialog, its owner changed
    build_plan(fx, GRANT)
    window, tab = open_plan(fx, runner, qtbot)
    tab.outcomes.ended_toggle.click()
    assert unnamed(tab) == []
    tab.outcomes.table.selectRow(0)
    tab.actions.table.selectRow(0)
    for b in ("outcomes.add_button", "outcomes.edit_button", "actions.add_button",
              "actions.edit_button", "actions.done_button", "next_review.change_button",
              "next_review.record_button"):
        attrgetter(b)(tab).click()
        dialog = tab.dialog
        if isinstance(dialog, ActionDialog):  # with the name field showing too
            dialog.owner.setCurrentIndex(dialog.owner.findData(SOMEONE_ELSE))
        assert unnamed(dialog) == [], type(dialog).__name__
        dialog.reject()
        assert tab.dialog is None
