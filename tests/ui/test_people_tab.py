"""The case window's people tab: the person's details and their key people and carers —
carers first, with their own support plan — added, edited and removed through the real
dialogs; and its table model checked by qtmodeltester."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from casework import dto
from casework.timeutil import london_today, show_date
from casework.ui.dialogs.person_editor import KeyPersonEditor, PersonEditor, parse_date
from casework.ui.item_models.key_people_table import KeyPeopleColumn, KeyPeopleTableModel
from accessibility import unnamed
from ui_world import open_case_tab

GP = dto.KeyPersonInput("professional", "Dr", "Abernethy", "GP", phone="01463 000000")


def people_tab(fx, runner, qtbot, username: str = "sw.one", case: str = "Morag Henderson",
               reason: str | None = None):
    return open_case_tab(fx, runner, qtbot, username, case, "people_tab", reason=reason)


def cells(tab, column: KeyPeopleColumn) -> list[str]:
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def test_the_person_s_details_show_when_the_tab_is_first_shown(fx, runner, qtbot):
    window, tab = people_tab(fx, runner, qtbot)
    assert tab.value("Name") == "Morag Henderson"
    assert tab.value("Date of birth").startswith("14 Mar 1950 (age ")
    assert tab.value("CHI number") == "140350 1234"
    assert tab.value("Address") == "1 High Street, Inverness, IV1 1AA"
    assert tab.value("Phone") == "Not recorded"
    assert tab.value("What matters to them") == "Staying at home with the dog"
    assert tab.empty.isVisible() and tab.model.rowCount() == 0


def test_a_social_worker_adds_a_carer_who_comes_first(fx, runner, qtbot):
    fx.login("sw.one").people.add_key_person(fx.cases["Morag Henderson"], GP)
    window, tab = people_tab(fx, runner, qtbot)
    assert cells(tab, KeyPeopleColumn.NAME) == ["Dr Abernethy"]
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    assert isinstance(editor, KeyPersonEditor) and editor.isVisible()
    assert editor.plan_box.isHidden() is False  # an unpaid carer is the first choice
    assert unnamed(editor) == []
    # Saving with nothing typed says what is missing, under each field.
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.errors.message("family_name") == "Family name: enter their name"
    assert editor.errors.message("relationship").startswith("Relationship: say who they are")

    editor.kind.setCurrentIndex(editor.kind.findData("unpaid_carer"))
    qtbot.keyClicks(editor.given_name, "Elspeth")
    qtbot.keyClicks(editor.family_name, "Henderson")
    assert editor.errors.message("family_name") == ""
    qtbot.keyClicks(editor.relationship, "Daughter")
    qtbot.keyClicks(editor.phone, "07700 900321")
    editor.lives_with.setFocus()
    qtbot.keyClick(editor.lives_with, Qt.Key.Key_Space)
    editor.support_plan.setCurrentIndex(editor.support_plan.findData("in_place"))
    assert editor.review_on.isEnabled()
    review = london_today() + timedelta(days=90)
    editor.review_on.setDate(QDate(review))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=2000)
    assert cells(tab, KeyPeopleColumn.NAME) == ["Elspeth Henderson", "Dr Abernethy"]
    assert cells(tab, KeyPeopleColumn.KIND) == ["Unpaid carer", "Professional"]
    assert cells(tab, KeyPeopleColumn.LIVES_WITH) == ["Yes", "No"]
    assert cells(tab, KeyPeopleColumn.SUPPORT_PLAN) == ["Adult carer support plan: in place", ""]
    assert cells(tab, KeyPeopleColumn.REVIEW) == [show_date(review), ""]
    assert tab.selected().name == "Elspeth Henderson"  # the one just saved
    assert tab.banner.text == "Elspeth Henderson saved."


def test_a_young_carer_has_a_young_carer_statement(fx, runner, qtbot):
    window, tab = people_tab(fx, runner, qtbot)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    editor.kind.setCurrentIndex(editor.kind.findData("young_carer"))
    assert editor.plan_box.title() == "Their own plan: Young carer statement"
    editor.kind.setCurrentIndex(editor.kind.findData("friend"))
    assert editor.plan_box.isHidden()
    editor.kind.setCurrentIndex(editor.kind.findData("young_carer"))
    qtbot.keyClicks(editor.given_name, "Callum")
    qtbot.keyClicks(editor.relationship, "Grandson")
    qtbot.keyClicks(editor.date_of_birth, "01/09/1990")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    # The service knows the rule: a young carer is under 18 (or 18 and at school).
    assert editor.isVisible()
    assert editor.errors.message("kind").startswith("Who they are: a young carer is under 18")
    editor.date_of_birth.clear()
    qtbot.keyClicks(editor.date_of_birth, "01/09/2012")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=2000)
    assert cells(tab, KeyPeopleColumn.SUPPORT_PLAN) == ["Young carer statement: not offered"]


def test_a_key_person_is_edited_and_removed(fx, runner, qtbot, questions):
    fx.login("sw.one").people.add_key_person(fx.cases["Morag Henderson"], GP)
    window, tab = people_tab(fx, runner, qtbot)
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    assert editor.windowTitle() == "Edit Dr Abernethy"
    editor.relationship.selectAll()
    qtbot.keyClicks(editor.relationship, "GP, Riverside Surgery")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cells(tab, KeyPeopleColumn.RELATIONSHIP) == ["GP, Riverside Surgery"],
                    timeout=2000)
    questions.expect("Remove Dr Abernethy?")
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=2000)
    assert questions.titles == ["Remove Dr Abernethy?"] and tab.empty.isVisible()


def test_a_stale_edit_offers_to_reload(fx, runner, qtbot):
    me = fx.login("sw.one")
    gp = me.people.add_key_person(fx.cases["Morag Henderson"], GP)
    window, tab = people_tab(fx, runner, qtbot)
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    me.people.update_key_person(fx.cases["Morag Henderson"], gp.id, dto.KeyPersonInput(
        "professional", "Dr", "Abernethy", "Consultant"), gp.row_version)
    qtbot.keyClicks(editor.phone, "1")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text.startswith("Someone else changed this key person")
    assert editor.phone.text() == "01463 0000001"  # kept until the worker chooses
    qtbot.mouseClick(editor.banner.action, Qt.MouseButton.LeftButton)
    assert editor.relationship.text() == "Consultant"


def test_the_person_s_details_are_edited_with_the_chi_checked_as_typed(fx, runner, qtbot):
    window, tab = people_tab(fx, runner, qtbot)
    qtbot.mouseClick(tab.edit_person_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    assert isinstance(editor, PersonEditor) and unnamed(editor) == []
    assert editor.chi.text() == "1403501234"  # on file before the check: left as it is
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # nothing changed: fine
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=2000)

    qtbot.mouseClick(tab.edit_person_button, Qt.MouseButton.LeftButton)
    editor = tab.dialog
    editor.chi.selectAll()
    qtbot.keyClicks(editor.chi, "140350123")
    assert editor.errors.message("chi") == "CHI number: must be 10 digits; this has 9"
    qtbot.keyClicks(editor.chi, "8")
    assert editor.errors.message("chi") == ""
    editor.date_of_birth.selectAll()
    qtbot.keyClicks(editor.date_of_birth, "15/03/1950")
    assert editor.errors.message("chi") == (
        "CHI number: its first six digits (140350) give the date of birth 14 March 1950, but "
        "the date of birth is 15 March 1950")
    editor.date_of_birth.selectAll()
    qtbot.keyClicks(editor.date_of_birth, "14 Mar 1950")
    assert editor.errors.message("chi") == ""
    editor.address.selectAll()
    qtbot.keyClicks(editor.address, "Flat 3, 12 Culduthel Road, Inverness")
    qtbot.keyClicks(editor.communication_needs, " Prefers large print.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.value("CHI number") == "140350 1238", timeout=2000)
    assert tab.value("Address") == "Flat 3, 12 Culduthel Road, Inverness, IV1 1AA"
    # The window reads the case again: its summary agrees.
    qtbot.waitUntil(lambda: window.summary_tab.value("CHI number") == "140350 1238",
                    timeout=2000)


def test_another_team_reading_with_a_reason_is_offered_no_change_and_refused_one(
        fx, runner, qtbot):
    window, tab = people_tab(fx, runner, qtbot, "tl.south", reason="Covering the duty desk")
    assert tab.value("Name") == "Morag Henderson"
    assert all(b.isHidden() for b in (tab.add_button, tab.edit_button, tab.remove_button,
                                      tab.edit_person_button))
    # Had the window offered it anyway, the service refuses and keeps what was typed.
    tab.add_key_person()
    editor = tab.dialog
    qtbot.keyClicks(editor.family_name, "Henderson")
    qtbot.keyClicks(editor.relationship, "Son")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.banner.text == "Only the case's own team may record on it."
    assert editor.family_name.text() == "Henderson"


def test_a_closed_case_s_people_are_read_only(fx, runner, qtbot):
    window, tab = people_tab(fx, runner, qtbot, case="Fiona Baxter")
    assert not tab.add_button.isEnabled() and not tab.edit_person_button.isEnabled()
    assert tab.add_button.toolTip() == "The case is closed."


def test_dates_are_read_as_people_type_them():
    assert parse_date("14/03/1950") == parse_date("14.3.1950") == parse_date("14 Mar 1950") \
        == parse_date("14031950") == parse_date("1950-03-14") == date(1950, 3, 14)
    assert parse_date("  ") is None
    for text, problem in (("14/03/50", "write the year in full, such as 1950"),
                          ("31/04/1950", "is not a real date"),
                          ("yesterday", "write it as day/month/year, such as 14/03/1950")):
        try:
            parse_date(text)
        except ValueError as e:
            assert str(e) == problem
        else:
            raise AssertionError(f"{text!r} was taken as a date")


def _info(**kw) -> dto.KeyPersonInfo:
    base = dict(id="k1", person_id="p1", kind="unpaid_carer", is_carer=True,
                given_name="Elspeth", family_name="Henderson", relationship="Daughter",
                phone=None, email=None, address=None, date_of_birth=None,
                lives_with_person=True, support_plan="in_place",
                support_plan_review_on=date(2026, 1, 1), notes=None, row_version=1)
    return dto.KeyPersonInfo(**{**base, **kw})


def test_the_table_model_passes_the_model_tester(qtmodeltester):
    model = KeyPeopleTableModel(today=lambda: date(2026, 6, 1))
    model.set_rows([
        _info(),
        _info(id="k2", kind="young_carer", given_name="Callum", support_plan="offered",
              support_plan_review_on=None, lives_with_person=False),
        _info(id="k3", kind="professional", is_carer=False, given_name="Dr",
              family_name="Abernethy", relationship="GP", support_plan=None,
              support_plan_review_on=None, lives_with_person=False, phone="01463 000000"),
    ])
    qtmodeltester.check(model)
    assert model.columnCount() == 7 and model.rowCount() == 3
    overdue = model.index(0, KeyPeopleColumn.REVIEW)
    assert overdue.data() == "01 Jan 2026 – overdue"
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, KeyPeopleColumn.SUPPORT_PLAN).data() == \
        "Young carer statement: offered"
    assert model.index(2, KeyPeopleColumn.SUPPORT_PLAN).data() == ""
    assert model.index(2, KeyPeopleColumn.PHONE).data() == "01463 000000"
    assert model.index(2, KeyPeopleColumn.NAME).data(KeyPeopleTableModel.IdRole) == "k3"
