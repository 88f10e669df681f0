"""Creating a workspace from inside the app: the dialog (with a keychain, and with none),
its messages as you type and from the service, and start-up where there is no workspace."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from casework.app import start_plan
from casework.errors import ValidationError, WorkspaceKeyError
from casework.secrets import SERVICE, key_name
from casework.services import (
    PassphraseNeeded,
    create_workspace,
    keychain_available,
    open_workspace,
)
from casework.ui import startup
from casework.ui.dialogs import new_workspace
from casework.ui.dialogs.login import LoginDialog
from casework.ui.dialogs.new_workspace import CreatedWorkspace, NewWorkspaceDialog
from casework.ui.tasks import Runner
from accessibility import unnamed
from keychains import keychain

NAME = "North Adult Team"
USERNAME = "Morag.Admin"
PASSWORD = "heather-and-gorse-7"
PASSPHRASE = "a loch in the glen at dawn"


@pytest.fixture(name="keychain")
def keychain_fixture():
    """A computer with a keychain (tests/conftest.py leaves each test with none)."""
    with keychain() as backend:
        yield backend


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "team" / "casework.db"  # its folder does not exist yet either


class HeldRunner(Runner):
    """Holds each call until the test lets it go: the dialog while the workspace is made."""

    def __init__(self):
        super().__init__()
        self.held: list[tuple[int, object]] = []

    def _start(self, job_id, job):
        self.held.append((job_id, job))

    def release(self):
        job_id, job = self.held.pop(0)
        self._deliver(job_id, *self._execute(job))


def open_dialog(qtbot, path, runner, *, keychain=True) -> NewWorkspaceDialog:
    dialog = NewWorkspaceDialog(path, runner, keychain=keychain)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    """Replace what the box holds, key by key, as a person would."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def fill(qtbot, dialog, *, password=PASSWORD, confirm=PASSWORD, passphrase=None,
         confirm_passphrase=None) -> None:
    type_into(qtbot, dialog.name_edit, NAME)
    type_into(qtbot, dialog.username_edit, USERNAME)
    type_into(qtbot, dialog.display_name_edit, "Morag Henderson")
    type_into(qtbot, dialog.password_edit, password)
    type_into(qtbot, dialog.confirm_edit, confirm)
    if passphrase is not None:
        type_into(qtbot, dialog.passphrase_edit, passphrase)
        type_into(qtbot, dialog.passphrase_confirm_edit,
                  passphrase if confirm_passphrase is None else confirm_passphrase)


def typed(dialog) -> dict[str, str]:
    return {key: edit.text() for key, edit in dialog.edits.items()}


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# -- the dialog --------------------------------------------------------------------------


def test_with_a_keychain_enter_creates_the_workspace_and_its_key_goes_there(
        keychain, path, runner, qtbot):
    dialog = open_dialog(qtbot, path, runner)
    assert dialog.passphrase_box.isHidden()
    assert dialog.focusWidget() is dialog.name_edit
    assert dialog.username_edit.text() == "admin"
    assert str(path) in dialog.location.text()
    fill(qtbot, dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)

    ws = dialog.created.workspace
    try:
        assert dialog.created.admin_username == "morag.admin"  # as the service keeps it
        assert ws.info.name == NAME
        ws.login("morag.admin", PASSWORD)
    finally:
        ws.close()
    assert (SERVICE, key_name(path)) in keychain.items
    open_workspace(path).close()  # no passphrase: the key comes from the keychain


def test_with_no_keychain_a_passphrase_is_required_and_only_it_opens_the_workspace(
        path, runner, qtbot):
    dialog = open_dialog(qtbot, path, runner, keychain=False)
    assert not dialog.passphrase_box.isHidden()
    fill(qtbot, dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.messages.message("passphrase") == (
        "Passphrase: must be at least 12 characters long")
    assert dialog.focusWidget() is dialog.passphrase_edit
    assert dialog.created is None and not path.exists()

    type_into(qtbot, dialog.passphrase_edit, PASSPHRASE)
    type_into(qtbot, dialog.passphrase_confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    dialog.created.workspace.close()

    with pytest.raises(PassphraseNeeded):
        open_workspace(path)
    with pytest.raises(WorkspaceKeyError):
        open_workspace(path, passphrase="not the passphrase at all")
    ws = open_workspace(path, passphrase=PASSPHRASE)
    try:
        assert ws.info.name == NAME
        ws.login("morag.admin", PASSWORD)
    finally:
        ws.close()


def test_problems_show_beside_their_fields_as_you_type_and_the_cursor_stays(
        path, runner, qtbot):
    dialog = open_dialog(qtbot, path, runner, keychain=False)
    assert {key: dialog.messages.message(key) for key in dialog.edits} == dict.fromkeys(
        dialog.edits, "")  # nothing typed, nothing to complain of

    type_into(qtbot, dialog.name_edit, "x")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Backspace)
    assert dialog.messages.message("name") == "Name: must not be empty"
    assert dialog.messages.message("admin_password") == ""  # not typed in yet

    type_into(qtbot, dialog.password_edit, "short")
    assert dialog.messages.message("admin_password") == (
        "Password: must be at least 10 characters long")
    assert dialog.focusWidget() is dialog.password_edit  # not pulled back to the name

    type_into(qtbot, dialog.confirm_edit, "sho")  # still on its way: no complaint yet
    assert dialog.messages.message("confirm_password") == ""
    qtbot.keyClicks(dialog.confirm_edit, "x")
    assert dialog.messages.message("confirm_password") == (
        "Confirm password: does not match the password")
    assert dialog.focusWidget() is dialog.confirm_edit

    type_into(qtbot, dialog.passphrase_edit, PASSPHRASE)
    type_into(qtbot, dialog.passphrase_confirm_edit, "a loch in the glen at dusk")
    assert dialog.messages.message("passphrase") == ""
    assert dialog.messages.message("confirm_passphrase") == (
        "Confirm passphrase: does not match the passphrase")
    assert dialog.messages.message("admin_username") == ""  # never touched

    type_into(qtbot, dialog.name_edit, NAME)
    type_into(qtbot, dialog.password_edit, PASSWORD)
    assert dialog.messages.message("name") == ""
    assert dialog.messages.message("admin_password") == ""
    assert dialog.password_edit.accessibleDescription() == ""
    assert dialog.confirm_edit.accessibleDescription() == (
        "Confirm password: does not match the password")  # said when the box gets focus


def test_the_service_s_problems_show_beside_their_fields_and_keep_what_was_typed(
        path, runner, qtbot):
    dialog = open_dialog(qtbot, path, runner, keychain=False)
    # A password the same as the username passes the dialog's checks but not the
    # service's; and someone else puts a file where the workspace was to go.
    fill(qtbot, dialog, password="morag.admin", confirm="morag.admin", passphrase=PASSPHRASE)
    path.parent.mkdir()
    path.write_text("not mine")
    before = typed(dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.created is None and dialog.isVisible()
    assert dialog.messages.message("admin_password") == (
        "Password: must not be the same as the username")
    assert dialog.messages.message("path") == f"Location: {path} already exists"
    assert typed(dialog) == before
    assert dialog.focusWidget() is dialog.password_edit
    assert path.read_text() == "not mine"

    # Changing a field clears what the service said of it, and only of it.
    type_into(qtbot, dialog.password_edit, PASSWORD)
    assert dialog.messages.message("admin_password") == ""
    assert dialog.messages.message("path") == f"Location: {path} already exists"


def test_every_field_the_service_names_has_its_place(path, runner, qtbot, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError.of({"name": "is taken", "admin_username": "has a space",
                                  "admin_password": "is too common", "path": "is read-only",
                                  "colour": "is not a field here"})

    monkeypatch.setattr(new_workspace, "create_workspace", refuse)
    dialog = open_dialog(qtbot, path, runner)
    fill(qtbot, dialog)
    before = typed(dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert [dialog.messages.message(k) for k in ("name", "admin_username", "admin_password",
                                                  "path")] == [
        "Name: is taken", "Username: has a space", "Password: is too common",
        "Location: is read-only"]
    assert dialog.problem.text() == "colour: is not a field here"
    assert typed(dialog) == before
    assert dialog.focusWidget() is dialog.name_edit


def test_a_keychain_that_refuses_the_key_brings_up_the_passphrase(path, runner, qtbot):
    # The dialog was told of a keychain, but keyring has only its fail backend.
    dialog = open_dialog(qtbot, path, runner, keychain=True)
    fill(qtbot, dialog)
    before = typed(dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.passphrase_box.isHidden()
    assert "keychain could not keep the workspace key" in dialog.problem.text()
    assert typed(dialog) == before
    assert not path.exists()

    type_into(qtbot, dialog.passphrase_edit, PASSPHRASE)
    type_into(qtbot, dialog.passphrase_confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    dialog.created.workspace.close()
    open_workspace(path, passphrase=PASSPHRASE).close()


def test_creating_runs_through_the_runner_and_cannot_be_cancelled_halfway(
        keychain, path, qtbot):
    runner = HeldRunner()
    dialog = open_dialog(qtbot, path, runner)
    fill(qtbot, dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert len(runner.held) == 1 and not path.exists()  # nothing made on the GUI thread
    assert dialog.create_button.text() == "Creating…"
    assert not dialog.create_button.isEnabled() and not dialog.name_edit.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # a workspace being made is not left open for nobody

    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        runner.release()
    dialog.created.workspace.close()


def test_escape_cancels_and_leaves_nothing_behind(keychain, path, runner, qtbot):
    before = files_under(path.parents[1])
    dialog = open_dialog(qtbot, path, runner)
    fill(qtbot, dialog)
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Escape)
    assert dialog.created is None
    assert files_under(path.parents[1]) == before
    assert keychain.items == {}


@pytest.mark.parametrize("has_keychain", [True, False])
def test_every_control_is_named_and_tab_reaches_every_field_in_order(
        has_keychain, path, runner, qtbot):
    dialog = open_dialog(qtbot, path, runner, keychain=has_keychain)
    assert unnamed(dialog) == []
    fields = [dialog.name_edit, dialog.username_edit, dialog.display_name_edit,
              dialog.password_edit, dialog.confirm_edit]
    if not has_keychain:
        fields += [dialog.passphrase_edit, dialog.passphrase_confirm_edit]
    expected = [*fields, dialog.show_box]
    order: list[QWidget] = []
    widget = dialog.name_edit
    while len(order) < len(expected) + 2:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            order.append(widget)
        widget = widget.nextInFocusChain()
    assert order[:len(expected)] == expected
    assert set(order[len(expected):]) == {dialog.create_button, dialog.cancel_button}


def test_the_question_names_the_place_and_its_buttons(path, qtbot):
    box, create = NewWorkspaceDialog.offer_box(path)
    qtbot.addWidget(box)
    box.show()
    assert str(path) in box.text() and box.text().endswith("Create one now?")
    assert unnamed(box) == []
    assert box.defaultButton() is create
    assert box.escapeButton().text() == "&Quit"


# -- start-up ------------------------------------------------------------------------------


def options(path: Path, smoke: str | None = None) -> startup.StartPlan:
    """What the composition root makes of `casework --workspace PATH [--smoke USER]`."""
    return start_plan(argparse.Namespace(demo=False, workspace=path, smoke=smoke))


@pytest.fixture
def no_complaints(monkeypatch):
    complaints = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text, *more: complaints.append(text)))
    return complaints


@pytest.mark.parametrize("has_keychain", [True, False])
def test_start_up_offers_to_create_a_missing_workspace_then_signs_in_its_administrator(
        has_keychain, request, path, runner, qapp, monkeypatch, no_complaints):
    if has_keychain:
        request.getfixturevalue("keychain")
    offered, made, signing_in = [], [], []

    def create(cls, where, runner, parent=None, *, keychain=True):
        made.append((where, keychain))
        ws = create_workspace(where, name=NAME, admin_username=USERNAME,
                              admin_password=PASSWORD,
                              passphrase=None if keychain else PASSPHRASE)
        return CreatedWorkspace(ws, "morag.admin")

    def sign_in(dialog):  # and quits there: no one signed in
        signing_in.append((dialog.workspace_label.text(), dialog.form.username.text()))

    monkeypatch.setattr(NewWorkspaceDialog, "offer", classmethod(
        lambda cls, where, parent=None: offered.append(where) or True))
    monkeypatch.setattr(NewWorkspaceDialog, "ask", classmethod(create))
    monkeypatch.setattr(LoginDialog, "wait", sign_in)

    assert startup.run_desktop(options(path), qapp, runner) == 0
    assert offered == [path]
    assert made == [(path, has_keychain)]  # the passphrase is asked for only with no keychain
    assert signing_in == [(f"Workspace: {NAME}", "morag.admin")]
    assert no_complaints == []


@pytest.mark.parametrize("creates", [False, True], ids=["quit", "cancel the dialog"])
def test_declining_to_create_quits_quietly_and_leaves_no_file(
        creates, path, runner, qapp, monkeypatch, no_complaints):
    dialogs = []
    monkeypatch.setattr(NewWorkspaceDialog, "offer", classmethod(
        lambda cls, where, parent=None: creates))
    monkeypatch.setattr(NewWorkspaceDialog, "ask", classmethod(
        lambda cls, where, runner, parent=None, *, keychain=True: dialogs.append(where)))
    monkeypatch.setattr(LoginDialog, "wait", lambda self: pytest.fail("no workspace to sign in to"))

    assert startup.run_desktop(options(path), qapp, runner) == 0
    assert dialogs == ([path] if creates else [])
    assert no_complaints == []
    assert files_under(path.parents[1]) == []


def test_smoke_never_offers_and_says_how_to_make_a_workspace(path, runner, monkeypatch, capsys):
    monkeypatch.setattr(NewWorkspaceDialog, "offer", classmethod(
        lambda cls, *args, **kwargs: pytest.fail("--smoke has nobody to ask")))
    assert startup.run_smoke(options(path, smoke="admin"), runner, lambda: 0) == 1
    assert f"casework --smoke: There is no workspace at {path}. Create one with " \
           "'casework-admin init'." in capsys.readouterr().err


def test_keychain_available_asks_the_credential_store(path, request):
    assert keychain_available(path) is False  # keyring's fail backend
    request.getfixturevalue("keychain")
    assert keychain_available(path) is True
