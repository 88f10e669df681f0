"""The reserved-function catalogue page and its add-or-strengthen dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from admin_fixtures import me, runner, ws  # noqa: F401 (fixtures)
from casework.ui.pages.admin_reserved import ReservedRulesPage, RuleColumn, RuleDialog



@pytest.fixture
def page(qtbot, me, runner):
    p = ReservedRulesPage(me, runner)
    qtbot.addWidget(p)
    p.show()
    return p


def row_of(page, code):
    row = page.model.row_of(code)
    assert row is not None, code
    return [page.model.data(page.model.index(row, c)) for c in range(page.model.columnCount())]


def test_catalogue_model_shows_the_built_in_rules(qtmodeltester, page):
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 10  # the built-in catalogue
    assert row_of(page, "mho_function") == [
        "Mental Health Officer functions", "Mental Health Officer", "24 months", "Built in"]
    assert row_of(page, "sign_off_asp_inquiry")[1:3] == ["None beyond registration", "None"]


def test_add_a_new_reserved_function(qtbot, page, me):
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, RuleDialog) and dialog.function.currentData() is None
    qtbot.keyClicks(dialog.code, "sign_off_secure_care")
    qtbot.keyClicks(dialog.label, "Sign-off of a secure care authorisation")
    qtbot.keyClick(dialog.accreditations["mho"], Qt.Key.Key_Space)
    dialog.months.setValue(6)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert row_of(page, "sign_off_secure_care") == [
        "Sign-off of a secure care authorisation", "Mental Health Officer", "6 months", "Added"]
    assert page.selected().code == "sign_off_secure_care"
    assert "sign_off_secure_care" in {r.code for r in me.admin.reserved_rules()}


def test_a_bad_code_is_shown_beside_it_and_kept(qtbot, page):
    page.add()
    dialog = page.dialog
    qtbot.keyClicks(dialog.code, "Bad code!")
    qtbot.keyClicks(dialog.label, "Something")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors.message("code").startswith("Code: must be 3–64 lower-case letters")
    assert dialog.code.text() == "Bad code!" and dialog.label.text() == "Something"
    assert page.model.rowCount() == 10  # the built-in catalogue


def test_strengthening_starts_from_the_current_rule_and_cannot_weaken_it(qtbot, page):
    page.table.selectRow(page.model.row_of("mho_function"))
    page.add()
    dialog = page.dialog
    assert dialog.function.currentData() == "mho_function"
    assert dialog.code.isReadOnly() and dialog.label.isReadOnly()
    mho, asp = dialog.accreditations["mho"], dialog.accreditations["asp_council_officer"]
    assert mho.isChecked() and not mho.isEnabled()
    assert not asp.isChecked() and asp.isEnabled()
    assert dialog.months.minimum() == 24

    qtbot.keyClick(asp, Qt.Key.Key_Space)
    dialog.months.setValue(36)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert row_of(page, "mho_function") == [
        "Mental Health Officer functions", "ASP council officer, Mental Health Officer",
        "36 months", "Built in"]
    assert page.model.data(page.model.index(page.model.row_of("mho_function"),
                                            RuleColumn.SOURCE)) == "Built in"
