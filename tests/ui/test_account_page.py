"""My account: the profile as the service holds it; password changes with problems shown
under the field they concern."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from casework.errors import AuthenticationFailed
from casework.ui.pages.account import AccountPage
from ui_world import PASSWORD, page_context



@pytest.fixture
def page(fx, runner, qtbot) -> AccountPage:
    me = fx.login("sw.one")
    account = AccountPage(page_context(fx, me, runner))
    qtbot.addWidget(account)
    account.show()
    return account


def fill(qtbot, page: AccountPage, current: str, new: str, confirm: str | None = None) -> None:
    for edit, text in ((page.current_password, current), (page.new_password, new),
                       (page.confirm_password, new if confirm is None else confirm)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)


def test_the_profile_shows_role_team_and_registration(page):
    assert page.is_ready
    assert page.value("Name") == "Ruaridh Campbell"
    assert page.value("Role") == "Social worker"
    assert page.value("Team") == "North"
    assert page.value("SSSC registration") == "123456 (Social worker part of the register)"
    assert "lapsed" not in page.value("Registration expires")
    assert page.value("Accreditations") == "None"
    assert page.banner.text == ""  # their own password: nothing to ask of them


def test_a_short_new_password_is_refused_under_its_field(page, qtbot):
    fill(qtbot, page, PASSWORD, "short1")
    assert page.errors.message("new_password") == (
        "New password: must be at least 10 characters long")
    assert page.errors.message("current_password") == ""


def test_a_wrong_current_password_is_named(page, qtbot):
    fill(qtbot, page, "not-my-password", "a-much-better-passphrase")
    assert page.errors.message("current_password") == (
        "Current password: is not your current password")
    assert page.current_password.text() == ""


def test_a_mismatched_confirmation_is_caught_before_asking(page, qtbot):
    fill(qtbot, page, PASSWORD, "a-much-better-passphrase", "a-much-better-passphrasf")
    assert page.errors.message("confirm_password") == (
        "Confirm new password: does not match the new password")


def test_changing_the_password_works_and_says_so(fx, page, qtbot):
    fill(qtbot, page, PASSWORD, "a-much-better-passphrase")
    assert page.banner.text == "Your password has been changed."
    assert page.errors.message("new_password") == ""
    assert page.new_password.text() == ""
    fx.ws.login("sw.one", "a-much-better-passphrase")
    with pytest.raises(AuthenticationFailed):
        fx.ws.login("sw.one", PASSWORD)


def test_the_page_says_which_reserved_functions_are_mine(fx, runner, qtbot):
    from casework.ui.pages.account import AccountPage

    me = fx.login("pp.one")
    page = AccountPage(page_context(fx, me, runner))
    qtbot.addWidget(page)
    assert len(page.reserved_rows) == 10  # the built-in catalogue
    answers = {code: page.reserved_answer(code) for code in page.reserved_rows}
    assert set(answers.values()) == {"No — not open to your role"}
    row = page.reserved_rows["sign_off_child_protection_investigation"]
    assert "prepare a draft" in page.reserved_table.item(row, 1).toolTip()


def test_a_temporary_password_opens_only_my_account_until_changed(fx, runner, qtbot):
    from casework.ui.main_window import MainWindow

    admin = fx.login("admin")
    admin.admin.reset_password(fx.staff["sw.one"], "temporary-pass-1")
    me = fx.ws.login("sw.one", "temporary-pass-1")
    window = MainWindow(fx.ws, me, runner)
    qtbot.addWidget(window)
    assert window.page_titles == ["My account"]
    account = window.current_page()
    assert "set by an administrator" in account.banner.text and window.banner.text == ""
    fill(qtbot, account, "temporary-pass-1", "my-own-password-1")
    qtbot.waitUntil(lambda: window.page_titles == ["My caseload", "Drafts for me", "My account"],
                    timeout=2000)
    assert window.heading.text() == "My account"  # they stay where they were
    assert account.banner.text == "Your password has been changed."
    window.show_page("my_caseload")
    qtbot.waitUntil(lambda: window.first_page.model.rowCount() == 3, timeout=2000)
