"""The Qt half of start-up. casework.app, the composition root, decides where the workspace
is and how it is opened, and hands that over as a StartPlan; this module shows the sign-in
window first and opens the workspace behind it, on the worker, while the person types:
asking a passphrase where no key is stored, making the demo where it is missing, showing how
the backup before an upgrade goes, then signing in and showing the main window. Where there
is no workspace at all it offers to create one. `--smoke` goes the same way with nobody at
the keyboard.

This module and what it imports at the top load no services: the sign-in window is on screen
in about the time a bare Qt window takes. The services come with the workspace (on the
worker), the main window's modules on a thread of their own once it is open (Preload)."""

from __future__ import annotations

import importlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

import casework
from casework.errors import CaseworkError, PassphraseNeeded, WorkspaceKeyError, WorkspaceMissing
from casework.ui import settings
from casework.ui.dialogs.login import LoginDialog
from casework.ui.tasks import Runner, TaskRunner

if TYPE_CHECKING:
    from casework import dto
    from casework.services import Me, Workspace
    from casework.ui.dialogs.new_workspace import CreatedWorkspace
    from casework.ui.main_window import MainWindow

APP_NAME = "Casework"
PASSWORD_ENV = "CASEWORK_PASSWORD"
PASSPHRASE_ENV = "CASEWORK_PASSPHRASE"
SMOKE_TIMEOUT_S = 120
# Imported on the Preload thread while the person types: what the main window is made of.
MAIN_WINDOW_MODULES = ("casework.ui.main_window",)


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class StartPlan:
    """What start-up is given by the composition root. The callables do the slow work and
    run on the worker thread; each may be handed a `progress=` callable to report through.

    - open_workspace(passphrase or None, progress=) -> Workspace: opens (and upgrades) the
      workspace, or raises PassphraseNeeded, WorkspaceKeyError, WorkspaceMissing;
    - create_demo(progress=) -> Workspace: makes the demo workspace where it is missing;
    - keychain_available() -> bool: whether a new workspace's key can go in a keychain;
    - demo_password() -> str: the demo accounts' password (for --smoke);
    - loaded(): everything start-up needs has been imported (run on the Preload thread).
    """

    workspace: Path
    open_workspace: Callable[..., Workspace]
    create_demo: Callable[..., Workspace]
    keychain_available: Callable[[], bool]
    demo_password: Callable[[], str]
    demo: bool = False
    smoke_user: str | None = None
    settings_file: Path | None = None
    loaded: Callable[[], None] = _nothing
    preload: Sequence[str] = field(default=MAIN_WINDOW_MODULES)


class StartFailed(Exception):
    """Start-up cannot go on; the message says why and what to do."""


class WorkspaceNotFound(StartFailed):
    """Nothing at all at the workspace path (not a file that is no workspace), so a person
    at the keyboard may create one there."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path


class StartDeclined(Exception):
    """The person chose not to go on (quit, or created no workspace): quit without a
    complaint."""


def tr(text: str) -> str:
    return QCoreApplication.translate("startup", text)


# -- the application ----------------------------------------------------------------


def make_application(qt_args: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(casework.__version__)
    app.setWindowIcon(_icon())
    font = QFont(app.font())
    if font.pointSizeF() < settings.FONT_POINT_SIZE.value():
        font.setPointSizeF(settings.FONT_POINT_SIZE.value())
        app.setFont(font)
    return app


def _icon() -> QIcon:
    """A plain mark drawn at start: a rounded square with a C."""
    icon = QIcon()
    for size in (16, 32, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor("#1f5f7a"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "C")
        p.end()
        icon.addPixmap(pixmap)
    return icon


def settle() -> None:
    """Let a window just shown reach the screen before the work behind it starts."""
    QCoreApplication.processEvents()


# -- progress ---------------------------------------------------------------------------


def _step_text(step: str) -> str | None:
    """The words for a step that open_workspace reports (dto.OpeningStep, compared by
    value so that the DTOs need not be loaded before the sign-in window shows)."""
    return {
        "backup": tr("Backing up the workspace before upgrading it (on a large workspace "
                     "this takes a minute or two; you can sign in meanwhile)…"),
        "check": tr("Checking the backup…"),
        "upgrade": tr("Upgrading the workspace to this version of Casework…"),
    }.get(str(step))


def read_progress(report: tuple) -> tuple[str | None, int | None, int | None]:
    """What a progress report says, in whatever form it comes: an opening step, a message,
    (done, total) and/or a fraction (None: busy, no measure). Returns (text or None, value,
    maximum), value and maximum None where the report gives no measure either way."""
    texts = [x for x in report if isinstance(x, str)]
    numbers = [x for x in report if isinstance(x, (int, float)) and not isinstance(x, bool)]
    text = None
    if texts:
        text = _step_text(texts[0]) or texts[0]
    if len(numbers) >= 2 and numbers[1] > 0:
        return text, int(numbers[0]), int(numbers[1])
    if len(numbers) == 1 and isinstance(numbers[0], float) and 0 <= numbers[0] <= 1:
        return text, round(numbers[0] * 100), 100
    if None in report:
        return text, 0, 0  # a step with no measure: busy
    return text, None, None


def show_progress(dialog: QProgressDialog, report: tuple) -> None:
    """Show a progress report (see read_progress) in a progress dialog."""
    text, value, maximum = read_progress(report)
    if maximum is not None:
        dialog.setRange(0, maximum)
        dialog.setValue(value or 0)
    if text:
        dialog.setLabelText(text)


def show_progress_in(window: LoginDialog) -> Callable[..., None]:
    """A progress callback that shows reports in the sign-in window's status line."""
    last = {"text": "", "value": 0, "maximum": 0}

    def show(*report: Any) -> None:
        text, value, maximum = read_progress(report)
        if text:
            last["text"] = text
        if maximum is not None:
            last["value"], last["maximum"] = value or 0, maximum
        window.show_status(last["text"], last["value"], last["maximum"])

    return show


# -- opening the workspace --------------------------------------------------------------


def open_or_create(plan: StartPlan, runner: Runner,
                   ask_passphrase: Callable[[str, str], str | None],
                   on_progress: Callable[..., None] | None = None,
                   cancelled: threading.Event | None = None) -> tuple[Workspace, dto.WorkspaceInfo]:
    """The workspace to sign in to, and what it is. `ask_passphrase(file name, why the last
    failed)` gives the passphrase where no key is stored (None gives up). `on_progress`
    hears the demo being made or the backup before an upgrade; once `cancelled` is set, the
    backup's next report stops it (StartDeclined), leaving the file as it was."""
    report = on_progress or (lambda *_: None)

    def reporting(progress: Callable[..., None]) -> Callable[..., None]:
        def check_then_report(*args: Any) -> None:  # on the worker
            if cancelled is not None and cancelled.is_set():
                raise StartDeclined
            progress(*args)
        return check_then_report

    if plan.demo and not plan.workspace.exists():
        # Never stopped half-way (a demo cut short would be opened next time as it is):
        # quitting meanwhile ends start-up once it is made.
        def make_demo(progress: Callable[..., None]) -> tuple[Workspace, dto.WorkspaceInfo]:
            ws = plan.create_demo(progress=progress)
            return ws, ws.info  # read on the worker too: the sign-in window shows it

        report(tr("Creating the demo workspace…"), 0.0)
        return runner.call(make_demo, on_progress=report)

    def open_with(passphrase: str | None, progress: Callable[..., None]
                  ) -> tuple[Workspace, dto.WorkspaceInfo]:
        ws = plan.open_workspace(passphrase, progress=reporting(progress))
        return ws, ws.info

    passphrase: str | None = None
    error = ""
    while True:
        try:
            return runner.call(open_with, passphrase, on_progress=report)
        except WorkspaceMissing as exc:
            if not plan.workspace.exists():
                raise WorkspaceNotFound(plan.workspace, str(exc)) from None
            raise StartFailed(str(exc)) from None
        except PassphraseNeeded:
            pass
        except WorkspaceKeyError:
            if passphrase is None:
                raise
            error = tr("That passphrase does not open this workspace. Check it and try again.")
        passphrase = ask_passphrase(plan.workspace.name, error)
        if passphrase is None:
            raise StartFailed(tr("The workspace was not opened: no passphrase was given."))


def offer_to_create(plan: StartPlan, runner: Runner) -> CreatedWorkspace | None:
    """Ask whether to create the missing workspace, then create it (None: not created)."""
    from casework.ui.dialogs.new_workspace import NewWorkspaceDialog

    if not NewWorkspaceDialog.offer(plan.workspace):
        return None
    # Asked before the dialog opens, so that it shows the passphrase fields from the start
    # rather than after a first failed try; on the worker, as a keychain may be slow to wake.
    keychain = runner.call(plan.keychain_available)
    return NewWorkspaceDialog.ask(plan.workspace, runner, keychain=keychain)


class Preload:
    """Imports the main window's modules on a thread of its own while the person types (or
    their password is checked, which leaves the interpreter free): by the time they have
    signed in, building the window costs no imports. Started only once the workspace is
    open, so that it never imports a module the worker is importing at the same time.
    `then()` runs on that thread when it is done."""

    def __init__(self, modules: Sequence[str], then: Callable[[], None] = _nothing):
        self._modules = tuple(modules)
        self._then = then
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="casework-preload",
                                            daemon=True)
            self._thread.start()

    def wait(self) -> None:
        """Until the imports are done (at once if they were never started)."""
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            for name in self._modules:
                importlib.import_module(name)
        except Exception:  # noqa: BLE001 (the GUI thread's own import will raise it again)
            pass
        finally:
            self._then()


@dataclass
class Opened:
    """The first sign-in window on screen, the workspace open behind it, and the main
    window's modules loading."""

    dialog: LoginDialog
    ws: Workspace
    preload: Preload


def open_behind(plan: StartPlan, runner: Runner, dialog: LoginDialog,
                ask_passphrase: Callable[[str, str], str | None]) -> Opened:
    """Open the workspace on the worker while `dialog` (on screen) takes the person's name
    and password: its status line shows what opening reports, and quitting it stops a
    backup under way. Then hand the workspace to the dialog, which signs in at once if Sign
    in was pressed meanwhile, and start loading the main window."""
    cancelled = threading.Event()
    dialog.finished.connect(lambda _result: cancelled.set())
    if dialog.finished_by_person:  # quit before anything began
        raise StartDeclined
    ws, info = open_or_create(plan, runner, ask_passphrase, show_progress_in(dialog), cancelled)
    preload = Preload(plan.preload, plan.loaded)
    preload.start()
    dialog.set_workspace(ws, info)
    return Opened(dialog, ws, preload)


def main_window(ws: Workspace, me: Me, runner: Runner, preload: Preload | None) -> MainWindow:
    if preload is not None:
        preload.wait()
    from casework.ui.main_window import MainWindow

    return MainWindow(ws, me, runner)


# -- with a person at the keyboard -------------------------------------------------------


class DesktopSession:
    """Sign in, show the window; after signing out, sign in again; quit when the window
    closes otherwise."""

    def __init__(self, app: QApplication, ws: Workspace, runner: Runner, username: str = "",
                 preload: Preload | None = None):
        self.app, self.ws, self.runner = app, ws, runner
        self.window: MainWindow | None = None
        self._username = username  # offered in the sign-in box
        self._signing_out = False
        self._preload = preload

    def sign_in(self, dialog: LoginDialog | None = None) -> bool:
        """Sign someone in (through `dialog` when start-up has one on screen already) and
        show their window; False when they quit instead."""
        if dialog is not None:
            me = dialog.wait()
            dialog.deleteLater()
        else:
            me = LoginDialog.ask(self.ws, self.runner, username=self._username)
        if me is None:
            return False
        window = main_window(self.ws, me, self.runner, self._preload)
        window.signed_out.connect(self._signed_out)
        window.workspace_replaced.connect(self._workspace_replaced)
        window.closed.connect(self._closed)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window = window
        window.show()
        return True

    def _signed_out(self) -> None:
        self._signing_out = True
        if self.window is not None and self.window.profile is not None:
            self._username = self.window.profile.username

    def _workspace_replaced(self, new_ws: Workspace) -> None:
        self.ws = new_ws

    def _closed(self) -> None:
        self.window = None
        if self._signing_out:
            self._signing_out = False
            # After the window has gone: the sign-in dialog runs its own event loop.
            QTimer.singleShot(0, self._sign_in_again)
        else:
            self.app.quit()

    def _sign_in_again(self) -> None:
        if not self.sign_in():
            self.app.quit()


def first_sign_in(plan: StartPlan, runner: Runner) -> Opened:
    """The sign-in window, on screen at once, and the workspace opened behind it; where
    there is no workspace at all, the offer to create one first. StartDeclined when the
    person quits instead."""
    if not plan.demo and not plan.workspace.exists():
        created = offer_to_create(plan, runner)
        if created is None:
            raise StartDeclined
        dialog = LoginDialog(created.workspace, runner, username=created.admin_username)
        preload = Preload(plan.preload, plan.loaded)
        preload.start()
        dialog.show()
        return Opened(dialog, created.workspace, preload)
    dialog = LoginDialog(None, runner)
    dialog.show()
    settle()
    try:
        opened = open_behind(plan, runner, dialog,
                             lambda name, error: ask_passphrase(name, error, dialog))
    except BaseException:
        dialog.deleteLater()
        raise
    if dialog.finished_by_person:  # quit while the workspace was opening
        dialog.deleteLater()
        opened.ws.close()
        raise StartDeclined
    return opened


def run_desktop(plan: StartPlan, app: QApplication, runner: Runner) -> int:
    try:
        opened = first_sign_in(plan, runner)
    except StartDeclined:
        return 0
    except (StartFailed, CaseworkError) as exc:
        QMessageBox.critical(None, tr("Casework"), str(exc))
        return 2
    session = DesktopSession(app, opened.ws, runner, preload=opened.preload)
    try:
        if not session.sign_in(opened.dialog):
            return 0
        app.setQuitOnLastWindowClosed(False)  # between sign-out and sign-in no window shows
        return app.exec()
    finally:
        finish_work(runner)
        session.ws.close()


def ask_passphrase(name: str, error: str, parent: LoginDialog) -> str | None:
    from casework.ui.dialogs.passphrase import PassphraseDialog

    return PassphraseDialog.ask_to_open(name, parent=parent, error=error)


def finish_work(runner: Runner) -> None:
    """Drop the calls not yet started and wait for the one running, however long it takes
    (a write commits, a backup finishes), before the workspace closes and the process ends
    (casework.app ends it at once: nothing else would wait)."""
    if isinstance(runner, TaskRunner):
        runner.shutdown(timeout_ms=-1)
    else:
        runner.shutdown()


# -- without one: --smoke ----------------------------------------------------------------


def wait_for_sign_in(dialog: LoginDialog) -> Me:
    """Until the sign-in pressed in `dialog` is through; StartFailed with the form's
    message when it fails."""
    failures: list[str] = []
    if dialog.me is None:
        loop = QEventLoop()
        dialog.form.signed_in.connect(loop.quit)
        dialog.form.failed.connect(lambda message: (failures.append(message), loop.quit()))
        if dialog.form.error.isHidden() or not dialog.form.error.text():
            loop.exec()
        else:
            failures.append(dialog.form.error.text())
    if dialog.me is None:
        raise StartFailed(failures[0] if failures else dialog.form.error.text())
    return dialog.me


def run_smoke(plan: StartPlan, runner: Runner, elapsed_ms: Callable[[], int]) -> int:
    """As a person would, with nobody there: the sign-in window, the username and password
    typed (the password from $CASEWORK_PASSWORD, or the demo's), Sign in, the main window
    with its first page loaded. Prints when the sign-in window was on screen, then (the last
    line) the milliseconds from process start to ready."""
    ws: Workspace | None = None
    window: MainWindow | None = None
    dialog: LoginDialog | None = None
    try:
        def passphrase_from_env(name: str, error: str) -> str | None:
            if error:
                raise StartFailed(tr("${env} does not open {name}.").format(
                    env=PASSPHRASE_ENV, name=name))
            value = os.environ.get(PASSPHRASE_ENV)
            if not value:
                raise StartFailed(tr("{name} is protected by a passphrase: set ${env}.").format(
                    name=name, env=PASSPHRASE_ENV))
            return value

        dialog = LoginDialog(None, runner, username=plan.smoke_user or "")
        dialog.show()
        settle()
        print(f"sign-in window shown at {elapsed_ms()} ms", flush=True)  # read by bench/
        password = os.environ.get(PASSWORD_ENV, "")
        if password:  # signs in the moment the workspace is open
            dialog.form.password.setText(password)
            dialog.form.submit()
        opened = open_behind(plan, runner, dialog, passphrase_from_env)
        ws = opened.ws
        if not password:
            info = runner.call(lambda: ws.info)
            if not info.is_demo:
                raise StartFailed(tr("set ${env} to the password of {user}.").format(
                    env=PASSWORD_ENV, user=plan.smoke_user))
            dialog.form.password.setText(runner.call(plan.demo_password))
            dialog.form.submit()
        me = wait_for_sign_in(dialog)
        window = main_window(ws, me, runner, opened.preload)
        window.show()
        if not window.is_ready:
            loop = QEventLoop()
            window.ready.connect(loop.quit)
            QTimer.singleShot(SMOKE_TIMEOUT_S * 1000, loop.quit)
            loop.exec()
        if not window.is_ready:
            raise StartFailed(tr("the first page did not load within {n} s.").format(
                n=SMOKE_TIMEOUT_S))
        error = getattr(window.first_page, "load_error", None)
        if error:
            raise StartFailed(tr("the first page failed to load: {error}").format(error=error))
        ready_ms = elapsed_ms()
    except (StartFailed, CaseworkError) as exc:
        print(f"casework --smoke: {exc}", file=sys.stderr)
        return 1
    finally:
        if window is not None:
            window.close()
        if dialog is not None:
            dialog.deleteLater()
        finish_work(runner)
        if ws is not None:
            ws.close()
    print(ready_ms, flush=True)
    return 0


def run(plan: StartPlan, qt_args: list[str], elapsed_ms: Callable[[], int]) -> int:
    """Start-up from the plan; returns the exit status once the workspace is closed (every
    call finished, the write-ahead log checkpointed), so that the caller may end the
    process at once."""
    settings.use_file(plan.settings_file)
    app = make_application(qt_args)
    runner = TaskRunner(app)
    try:
        if plan.smoke_user:
            return run_smoke(plan, runner, elapsed_ms)
        return run_desktop(plan, app, runner)
    finally:
        finish_work(runner)  # no call may still run when the process ends
