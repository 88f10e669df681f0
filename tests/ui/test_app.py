"""Start-up: opening a workspace (passphrase where no key is stored), and `casework --smoke`
as a separate process."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog

from casework import dto
from casework.ui import startup
from casework.ui.tasks import TaskRunner

from casework.app import start_plan
from casework.ui.startup import (
    DesktopSession,
    Preload,
    StartFailed,
    StartPlan,
    open_or_create,
    read_progress,
    show_progress,
)
from casework.ui.dialogs.login import LoginDialog
from casework.ui.dialogs.passphrase import PassphraseDialog
from ui_world import PASSWORD, WORKSPACE_NAME, build_fixture

PASSPHRASE = "heather on the hill 42"
BACKING_UP = ("Backing up the workspace before upgrading it (on a large workspace this takes "
              "a minute or two; you can sign in meanwhile)…")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def protected(tmp_path) -> Path:
    """A small workspace whose key is a passphrase, so that another process can open it."""
    fx = build_fixture(tmp_path, passphrase=PASSPHRASE)
    fx.ws.close()
    return fx.path


def options(path: Path) -> StartPlan:
    """What the composition root makes of `casework --workspace PATH`."""
    return start_plan(argparse.Namespace(demo=False, workspace=path, smoke=None))


def test_a_missing_workspace_says_how_to_make_one(tmp_path, runner):
    with pytest.raises(StartFailed, match="casework-admin init"):
        open_or_create(options(tmp_path / "none.db"), runner, lambda name, error: None)


def test_a_passphrase_is_asked_again_until_it_opens_the_workspace(protected, runner):
    asked = []
    answers = iter(["not the passphrase", PASSPHRASE])

    def ask(name, error):
        asked.append((name, error))
        return next(answers)

    ws, info = open_or_create(options(protected), runner, ask)
    try:
        assert info.name == WORKSPACE_NAME
        assert ws.info.name == WORKSPACE_NAME
    finally:
        ws.close()
    assert asked == [
        ("casework.db", ""),
        ("casework.db", "That passphrase does not open this workspace. Check it and try again."),
    ]


def test_giving_up_on_the_passphrase_stops_start_up(protected, runner):
    with pytest.raises(StartFailed, match="no passphrase was given"):
        open_or_create(options(protected), runner, lambda name, error: None)


def test_the_passphrase_dialog_asks_again_for_an_empty_one(qtbot):
    dialog = PassphraseDialog("casework.db", error="That passphrase does not open it.")
    qtbot.addWidget(dialog)
    assert dialog.error.text() == "That passphrase does not open it."
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("passphrase") == "Passphrase: type the passphrase"
    assert dialog.result() != PassphraseDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.passphrase_edit, "a loch in the glen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert dialog.passphrase == "a loch in the glen"


def test_the_demo_maker_s_progress_shows_in_whatever_form_it_comes(qtbot):
    dialog = QProgressDialog()
    qtbot.addWidget(dialog)
    show_progress(dialog, (3, 10, "Making cases"))
    assert (dialog.value(), dialog.maximum(), dialog.labelText()) == (3, 10, "Making cases")
    show_progress(dialog, (0.5,))
    assert (dialog.value(), dialog.maximum()) == (50, 100)


def smoke(path: Path, user: str, **env: str) -> subprocess.CompletedProcess:
    # `python -m casework` from this checkout: the installed `casework` script imports the
    # package from wherever it was installed from, which need not be the code under test.
    return subprocess.run(
        [sys.executable, "-m", "casework", "--workspace", str(path), "--smoke", user],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


def test_smoke_signs_in_and_prints_the_milliseconds_to_ready(protected):
    done = smoke(protected, "tl.north", CASEWORK_PASSWORD=PASSWORD, CASEWORK_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 0, done.stderr
    # A whole number of milliseconds, whatever it is: how long start-up may take is for
    # bench/ to measure, not for a test to bound.
    last = done.stdout.strip().splitlines()[-1]
    assert last.isdigit(), done.stdout


def test_smoke_fails_clearly_with_a_wrong_password(protected):
    done = smoke(protected, "tl.north", CASEWORK_PASSWORD="wrong-password",
                 CASEWORK_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 1
    assert "casework --smoke: Wrong username or password." in done.stderr
    assert done.stdout.startswith("sign-in window shown at ")
    assert not any(line.isdigit() for line in done.stdout.splitlines())  # never ready


def test_signing_out_asks_for_the_next_person_and_quitting_ends(fx, runner, qtbot, monkeypatch):
    answers = [fx.login("sw.one"), None]
    asked = []
    monkeypatch.setattr(LoginDialog, "ask", classmethod(
        lambda cls, ws, runner, parent=None, username="": asked.append(username)
        or answers.pop(0)))
    quits = []
    session = DesktopSession(SimpleNamespace(quit=lambda: quits.append(True)), fx.ws, runner)
    assert session.sign_in()
    session.window.sign_out()
    qtbot.waitUntil(lambda: quits == [True], timeout=2000)
    assert asked == ["", "sw.one"]  # the sign-in box offers the last person's username


def test_closing_the_window_quits(fx, runner, qtbot, monkeypatch):
    monkeypatch.setattr(LoginDialog, "ask", classmethod(
        lambda cls, ws, runner, parent=None, username="": fx.login("tl.north")))
    quits = []
    session = DesktopSession(SimpleNamespace(quit=lambda: quits.append(True)), fx.ws, runner)
    assert session.sign_in()
    session.window.close()
    assert quits == [True]


# -- the sign-in window first, the workspace behind it --------------------------------------


@pytest.fixture
def sign_in_windows(monkeypatch) -> list[LoginDialog]:
    """Every sign-in window start-up makes during the test, in order."""
    made: list[LoginDialog] = []
    make = LoginDialog.__init__

    def record(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(LoginDialog, "__init__", record)
    return made


def opening_shown(windows: list[LoginDialog], then) -> bool:
    """Whether the sign-in window is up and shows the opening's first report; if not yet,
    ask again shortly (a timer, so that start-up goes on meanwhile)."""
    if windows and windows[-1].isVisible() and windows[-1].status.isVisible():
        return True
    QTimer.singleShot(10, then)
    return False


@pytest.fixture
def threaded(qapp):
    """The real runner, with its worker thread: the window runs while the workspace opens."""
    r = TaskRunner()
    yield r
    r.shutdown()
    r.deleteLater()


def test_the_sign_in_window_shows_first_and_signs_in_once_the_workspace_is_open(
        fx, threaded, qtbot, sign_in_windows):
    opened_by_now = threading.Event()

    def slow_open(passphrase, *, progress):  # on the worker: an upgrade's backup, say
        progress(dto.OpeningStep.BACKUP, 0.5)
        assert opened_by_now.wait(10)
        return fx.ws

    seen = {}

    def meanwhile():  # while the workspace opens, a person types and presses Sign in
        if not opening_shown(sign_in_windows, meanwhile):
            return
        [dialog] = sign_in_windows
        seen["status"] = (dialog.workspace_label.text(), dialog.status.text(),
                          dialog.progress.value(), dialog.progress.maximum())
        qtbot.keyClicks(dialog.form.username, "sw.one")
        qtbot.keyClicks(dialog.form.password, PASSWORD)
        qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)
        seen["waiting"] = (dialog.form.waiting_for_workspace, dialog.form.button.text())
        opened_by_now.set()

    QTimer.singleShot(0, meanwhile)
    try:
        opened = startup.first_sign_in(replace(options(fx.path), open_workspace=slow_open),
                                       threaded)
        me = opened.dialog.wait()
    finally:
        opened_by_now.set()
    assert seen == {
        "status": ("Opening the workspace…", BACKING_UP, 50, 100),
        "waiting": (True, "Signing in…"),
    }
    assert me is not None and me.staff_id == fx.staff["sw.one"]
    assert opened.dialog.workspace_label.text() == f"Workspace: {WORKSPACE_NAME}"
    assert opened.dialog.status.isHidden()
    opened.preload.wait()
    opened.dialog.deleteLater()


def test_quitting_while_the_workspace_opens_stops_the_work_and_start_up(
        fx, threaded, qtbot, qapp, sign_in_windows):
    quit_pressed = threading.Event()
    went_on = []

    def slow_open(passphrase, *, progress):
        progress(dto.OpeningStep.BACKUP, 0.0)
        assert quit_pressed.wait(10)
        progress(dto.OpeningStep.BACKUP, 0.5)  # the report after quitting stops it here
        went_on.append(True)
        return fx.ws

    def meanwhile():
        if not opening_shown(sign_in_windows, meanwhile):
            return
        [dialog] = sign_in_windows
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
        quit_pressed.set()

    QTimer.singleShot(0, meanwhile)
    try:
        assert startup.run_desktop(replace(options(fx.path), open_workspace=slow_open),
                                   qapp, threaded) == 0
    finally:
        quit_pressed.set()
    assert went_on == []


def test_each_opening_step_is_said_in_words():
    assert read_progress((dto.OpeningStep.BACKUP, 0.25)) == (BACKING_UP, 25, 100)
    assert read_progress((dto.OpeningStep.CHECK, None)) == ("Checking the backup…", 0, 0)
    assert read_progress((dto.OpeningStep.UPGRADE, None)) == (
        "Upgrading the workspace to this version of Casework…", 0, 0)
    assert read_progress(("Making cases", 0.5)) == ("Making cases", 50, 100)


def test_preload_imports_on_a_thread_of_its_own_then_says_so():
    where = []
    preload = Preload(["casework.ui.main_window"],
                      then=lambda: where.append(threading.current_thread()))
    preload.start()
    preload.wait()
    assert len(where) == 1 and where[0] is not threading.main_thread()
    assert "casework.ui.main_window" in sys.modules


def test_the_sign_in_window_needs_no_services_loaded():
    """What start-up imports before the sign-in window shows: Qt and a few small modules;
    the services, the database and the main window come later, behind it."""
    code = ("import sys, casework.app, casework.ui.startup; "
            "print(sorted({m.split('.')[0] if not m.startswith('casework') else m "
            "for m in sys.modules if m.startswith(('sqlalchemy', 'sqlcipher3', 'keyring', "
            "'argon2', 'casework.services', 'casework.models', 'casework.dto', "
            "'casework.ui.main_window', 'casework.synthetic'))}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_smoke_shows_the_sign_in_window_first_and_leaves_the_workspace_closed(protected):
    done = smoke(protected, "tl.north", CASEWORK_PASSWORD=PASSWORD, CASEWORK_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 0, done.stderr
    first, *_, last = done.stdout.strip().splitlines()
    assert first.startswith("sign-in window shown at ") and first.endswith(" ms")
    assert last.isdigit()
    # The process ended at once, but only after the workspace was closed: its write-ahead
    # log was checkpointed into the file and removed, the sign-in's audit event in the file.
    assert not Path(f"{protected}-wal").exists()
    from casework.services import open_workspace

    ws = open_workspace(protected, passphrase=PASSPHRASE)
    try:
        logins = ws.login("admin", PASSWORD).audit.events(dto.AuditQuery(text="login")).rows
    finally:
        ws.close()
    assert [(e.action, e.outcome) for e in logins][1:2] == [("login", "done")]  # the smoke's
