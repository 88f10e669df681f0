"""The Qt half of start-up (casework.app holds the rest): the QApplication, opening the
workspace (asking a passphrase where no key is stored, making the demo where it is
missing, offering to create a real one where there is none), signing in, the main window;
and the same without a person for --smoke."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

import casework
from casework import paths
from casework.errors import CaseworkError, WorkspaceKeyError
from casework.secrets import KeychainUnavailable, KeyringStore, key_name
from casework.services import PassphraseNeeded, Workspace, WorkspaceMissing, open_workspace
from casework.ui.dialogs.login import LoginDialog
from casework.ui.dialogs.new_workspace import CreatedWorkspace, NewWorkspaceDialog
from casework.ui.dialogs.passphrase import PassphraseDialog
from casework.ui.main_window import MainWindow
from casework.ui.settings import FONT_POINT_SIZE
from casework.ui.tasks import Runner, TaskRunner
from casework.ui.widgets.sign_in_form import sign_in

PASSWORD_ENV = "CASEWORK_PASSWORD"
PASSPHRASE_ENV = "CASEWORK_PASSPHRASE"
SMOKE_TIMEOUT_S = 120


class StartFailed(Exception):
    """Start-up cannot go on; the message says why and what to do."""


class WorkspaceNotFound(StartFailed):
    """Nothing at all at the workspace path (not a file that is no workspace), so a person
    at the keyboard may create one there."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path


class StartDeclined(Exception):
    """The person chose not to go on (no workspace created): quit without a complaint."""


def tr(text: str) -> str:
    return QCoreApplication.translate("startup", text)


# -- the application ----------------------------------------------------------------


def make_application(qt_args: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    app.setApplicationVersion(casework.__version__)
    app.setWindowIcon(_icon())
    font = QFont(app.font())
    if font.pointSizeF() < FONT_POINT_SIZE.value():
        font.setPointSizeF(FONT_POINT_SIZE.value())
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


# -- opening the workspace --------------------------------------------------------------


def workspace_path(args: argparse.Namespace) -> Path:
    if args.demo:
        return paths.demo_workspace()
    return Path(args.workspace).expanduser() if args.workspace else paths.default_workspace()


def open_or_create(args: argparse.Namespace, runner: Runner,
                   ask_passphrase: Callable[[str, str], str | None],
                   on_demo_progress: Callable[..., None] | None = None) -> Workspace:
    """The workspace to sign in to. `ask_passphrase(file name, why the last failed)` gives
    the passphrase where no key is stored (None gives up)."""
    path = workspace_path(args)
    if args.demo and not path.exists():
        return create_demo(path, runner, on_demo_progress)
    passphrase: str | None = None
    error = ""
    while True:
        try:
            return runner.call(partial(open_workspace, path, passphrase=passphrase))
        except WorkspaceMissing as exc:
            if not path.exists():
                raise WorkspaceNotFound(path, str(exc)) from None
            raise StartFailed(str(exc)) from None
        except PassphraseNeeded:
            pass
        except WorkspaceKeyError:
            if passphrase is None:
                raise
            error = tr("That passphrase does not open this workspace. Check it and try again.")
        passphrase = ask_passphrase(path.name, error)
        if passphrase is None:
            raise StartFailed(tr("The workspace was not opened: no passphrase was given."))


def open_or_offer_to_create(args: argparse.Namespace, runner: Runner,
                            ask_passphrase: Callable[[str, str], str | None],
                            on_demo_progress: Callable[..., None] | None = None,
                            ) -> tuple[Workspace, str]:
    """With a person at the keyboard: as open_or_create, but where there is no workspace
    they may create one. Returns the workspace and the username to offer at sign-in (the
    new administrator's, else ''). Raises StartDeclined when they would rather not."""
    try:
        return open_or_create(args, runner, ask_passphrase, on_demo_progress), ""
    except WorkspaceNotFound as missing:
        # (The demo never gets here: open_or_create makes it when it is missing.)
        path = missing.path
    created = offer_to_create(path, runner)  # outside the handler: its errors are its own
    if created is None:
        raise StartDeclined
    return created.workspace, created.admin_username


def offer_to_create(path: Path, runner: Runner) -> CreatedWorkspace | None:
    """Ask whether to create the missing workspace, then create it (None: not created)."""
    if not NewWorkspaceDialog.offer(path):
        return None
    # Asked before the dialog opens, so that it shows the passphrase fields from the start
    # rather than after a first failed try; on the worker, as a keychain may be slow to wake.
    keychain = runner.call(keychain_available, path)
    return NewWorkspaceDialog.ask(path, runner, keychain=keychain)


def keychain_available(path: Path) -> bool:
    """Whether this computer has a keychain to keep the key of a workspace at `path`: asked
    of the same credential store that create_workspace keeps the key in, so the answer
    matches what creating will meet."""
    try:
        KeyringStore().get(key_name(path))
    except KeychainUnavailable:
        return False
    return True


def create_demo(path: Path, runner: Runner, on_progress: Callable[..., None] | None) -> Workspace:
    from casework import synthetic

    # The runner hands the function a `progress=` callable that reports to `on_progress`.
    return runner.call(synthetic.create_demo_workspace, path,
                       on_progress=on_progress or (lambda *_: None))


def demo_password() -> str:
    from casework.synthetic import DEMO_PASSWORD

    return DEMO_PASSWORD


# -- with a person at the keyboard -------------------------------------------------------


class DesktopSession:
    """Sign in, show the window; after signing out, sign in again; quit when the window
    closes otherwise."""

    def __init__(self, app: QApplication, ws: Workspace, runner: Runner, username: str = ""):
        self.app, self.ws, self.runner = app, ws, runner
        self.window: MainWindow | None = None
        self._username = username  # offered in the sign-in box
        self._signing_out = False

    def sign_in(self) -> bool:
        me = LoginDialog.ask(self.ws, self.runner, username=self._username)
        if me is None:
            return False
        window = MainWindow(self.ws, me, self.runner)
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


def run_desktop(args: argparse.Namespace, app: QApplication, runner: Runner) -> int:
    progress: QProgressDialog | None = None

    def demo_progress(*report: object) -> None:
        nonlocal progress
        if progress is None:
            progress = QProgressDialog(tr("Creating the demo workspace…"), "", 0, 0)
            progress.setCancelButton(None)
            progress.setWindowTitle(tr("Casework"))
            progress.setMinimumDuration(0)
            progress.setWindowModality(Qt.WindowModality.ApplicationModal)
            progress.show()
        show_progress(progress, report)

    try:
        if args.demo and not workspace_path(args).exists():
            demo_progress()
        ws, username = open_or_offer_to_create(
            args, runner, lambda name, error: PassphraseDialog.ask_to_open(name, error=error),
            demo_progress)
    except StartDeclined:
        return 0
    except (StartFailed, CaseworkError) as exc:
        QMessageBox.critical(None, tr("Casework"), str(exc))
        return 2
    finally:
        if progress is not None:
            progress.close()
    try:
        session = DesktopSession(app, ws, runner, username)
        if not session.sign_in():
            return 0
        app.setQuitOnLastWindowClosed(False)  # between sign-out and sign-in no window shows
        return app.exec()
    finally:
        runner.shutdown()
        ws.close()


def show_progress(dialog: QProgressDialog, report: tuple) -> None:
    """Show whatever the demo maker reports: (done, total), a fraction, and/or a message."""
    numbers = [x for x in report if isinstance(x, (int, float)) and not isinstance(x, bool)]
    texts = [x for x in report if isinstance(x, str)]
    if len(numbers) >= 2 and numbers[1] > 0:
        dialog.setRange(0, int(numbers[1]))
        dialog.setValue(int(numbers[0]))
    elif len(numbers) == 1 and isinstance(numbers[0], float) and 0 <= numbers[0] <= 1:
        dialog.setRange(0, 100)
        dialog.setValue(round(numbers[0] * 100))
    if texts:
        dialog.setLabelText(texts[0])


# -- without one: --smoke ----------------------------------------------------------------


def run_smoke(args: argparse.Namespace, runner: Runner,
              elapsed_ms: Callable[[], int]) -> int:
    ws: Workspace | None = None
    window: MainWindow | None = None
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

        ws = open_or_create(args, runner, passphrase_from_env)
        info = runner.call(lambda: ws.info)
        password = os.environ.get(PASSWORD_ENV) or (demo_password() if info.is_demo else "")
        if not password:
            raise StartFailed(tr("set ${env} to the password of {user}.").format(
                env=PASSWORD_ENV, user=args.smoke))
        me = runner.call(sign_in, ws, args.smoke, password)
        window = MainWindow(ws, me, runner)
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
        runner.shutdown()
        if ws is not None:
            ws.close()
    print(ready_ms, flush=True)
    return 0


def run(args: argparse.Namespace, qt_args: list[str], elapsed_ms: Callable[[], int]) -> int:
    app = make_application(qt_args)
    runner = TaskRunner(app)
    try:
        if args.smoke:
            return run_smoke(args, runner, elapsed_ms)
        return run_desktop(args, app, runner)
    finally:
        runner.shutdown()  # no call may still run when the process ends
