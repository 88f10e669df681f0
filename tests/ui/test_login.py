"""The sign-in dialog shows the service's own words when sign-in fails, and keeps what was
typed that is still right."""

from __future__ import annotations

from PySide6.QtCore import Qt

from casework.secrets import MemoryStore
from casework.services import create_workspace
from casework.ui.dialogs.login import LoginDialog
from ui_world import PASSWORD, WORKSPACE_NAME



def open_dialog(fx, runner, qtbot) -> LoginDialog:
    dialog = LoginDialog(fx.ws, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_in(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.form.username.clear()
    qtbot.keyClicks(dialog.form.username, username)
    dialog.form.password.clear()
    qtbot.keyClicks(dialog.form.password, password)


def test_signing_in_returns_the_person(fx, runner, qtbot):
    dialog = open_dialog(fx, runner, qtbot)
    assert dialog.workspace_label.text() == f"Workspace: {WORKSPACE_NAME}"
    assert dialog.demo_label.isHidden()
    type_in(qtbot, dialog, "sw.one", PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)
    assert dialog.me is not None and dialog.me.staff_id == fx.staff["sw.one"]


def test_enter_in_the_password_box_signs_in(fx, runner, qtbot):
    dialog = open_dialog(fx, runner, qtbot)
    type_in(qtbot, dialog, "tl.north", PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.me.staff_id == fx.staff["tl.north"]


def test_a_wrong_password_says_how_many_attempts_are_left(fx, runner, qtbot):
    dialog = open_dialog(fx, runner, qtbot)
    type_in(qtbot, dialog, "sw.one", "not-the-password")
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.me is None
    assert dialog.form.error.text() == (
        "Wrong username or password. 4 more wrong passwords lock the account.")
    assert dialog.form.username.text() == "sw.one"  # kept
    assert dialog.form.password.text() == ""  # cleared, ready for another try
    assert dialog.focusWidget() is dialog.form.password


def test_five_wrong_passwords_lock_the_account_and_say_until_when(fx, runner, qtbot):
    dialog = open_dialog(fx, runner, qtbot)
    for _ in range(5):
        type_in(qtbot, dialog, "sw.two", "not-the-password")
        qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert "now locked for fifteen minutes" in dialog.form.error.text()
    type_in(qtbot, dialog, "sw.two", PASSWORD)  # even the right password, while locked
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.me is None
    assert dialog.form.error.text().startswith("This account is locked after five wrong passwords. "
                                               "Try again after ")
    assert dialog.form.username.text() == "sw.two"


def test_a_deactivated_account_is_told_so(fx, runner, qtbot):
    admin = fx.login("admin")
    staff = admin.admin.get_staff(fx.staff["pp.one"])
    admin.admin.set_active(staff.id, staff.row_version, False)
    dialog = open_dialog(fx, runner, qtbot)
    type_in(qtbot, dialog, "pp.one", PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.form.error.text() == "This account is deactivated. Ask your administrator."


def test_an_empty_password_is_not_sent(fx, runner, qtbot):
    dialog = open_dialog(fx, runner, qtbot)
    type_in(qtbot, dialog, "sw.one", "")
    qtbot.keyClick(dialog.form.username, Qt.Key.Key_Return)  # moves on to the password
    assert dialog.focusWidget() is dialog.form.password and dialog.form.error.isHidden()
    qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)
    assert dialog.form.error.text() == "Type your password."
    assert fx.login("sw.one")  # nothing was counted against the account


def test_a_demo_workspace_is_marked(tmp_path, runner, qtbot):
    ws = create_workspace(tmp_path / "demo.db", name="Demo council", admin_username="admin",
                          admin_password="demo-password-1", demo=True, credentials=MemoryStore())
    try:
        dialog = LoginDialog(ws, runner)
        qtbot.addWidget(dialog)
        assert dialog.demo_label.text() == "DEMO — fictional data"
        assert not dialog.demo_label.isHidden()
        assert "DEMO — fictional data" in dialog.windowTitle()
    finally:
        ws.close()


def test_ask_returns_none_when_the_person_quits(fx, runner, qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(LoginDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert LoginDialog.ask(fx.ws, runner) is None
