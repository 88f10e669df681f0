"""Start-up: opening a workspace (passphrase where no key is stored), and `casework --smoke`
as a separate process."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from casework.app import start_plan
from casework.ui.startup import (
    DesktopSession,
    StartFailed,
    StartPlan,
    open_or_create,
    show_progress,
)
from casework.ui.dialogs.login import LoginDialog
from casework.ui.dialogs.passphrase import PassphraseDialog
from ui_world import PASSWORD, WORKSPACE_NAME, build_fixture

PASSPHRASE = "heather on the hill 42"
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
    script = shutil.which("casework", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "casework"]
    return subprocess.run(
        [*command, "--workspace", str(path), "--smoke", user],
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
    assert done.stdout == ""


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
