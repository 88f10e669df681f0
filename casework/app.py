"""Composition root and `main()` of the `casework` command: options -> where the workspace
is and how it is opened (a StartPlan) -> the sign-in window, on screen at once, with the
workspace opened behind it -> the main window. `casework --smoke USER` does the same without
a person at the keyboard and prints when the sign-in window was on screen and, last, how long
it took to be ready.

This module stays free of Qt, as everything outside casework/ui must; the Qt half of
start-up is casework.ui.startup. What the UI may not reach itself is wired here: the paths,
the services that open and create workspaces (and ask the keychain), the demo maker. Each is
imported only when the plan's callable runs, on the worker, after the sign-in window shows."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from casework import paths

if TYPE_CHECKING:
    from casework.services import Workspace
    from casework.ui.startup import StartPlan


def _process_age_s() -> float:
    """Seconds since this process started, from /proc where there is one (so that the
    interpreter's own start-up counts); elsewhere 0 here, counting from this import."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


_AGE_AT_IMPORT = _process_age_s()
_IMPORTED_AT = time.perf_counter()


def ms_since_process_start() -> int:
    return round((_AGE_AT_IMPORT + time.perf_counter() - _IMPORTED_AT) * 1000)


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="casework", description="Casework desktop application")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--demo", action="store_true",
                       help="open the demo workspace (fictional data), creating it if missing")
    where.add_argument("--workspace", metavar="PATH", type=Path,
                       help=f"the workspace file (default: {paths.default_workspace()})")
    parser.add_argument("--smoke", metavar="USER",
                        help="sign in as USER (password from $CASEWORK_PASSWORD, or the demo "
                             "password), wait for the first page, print the milliseconds from "
                             "process start to ready, and exit")
    # Whatever argparse does not know is left for Qt (-style, -platform ...).
    return parser.parse_known_args(list(argv))


def workspace_path(args: argparse.Namespace) -> Path:
    if args.demo:
        return paths.demo_workspace()
    return Path(args.workspace).expanduser() if args.workspace else paths.default_workspace()


def start_plan(args: argparse.Namespace) -> StartPlan:
    """What start-up needs from outside the UI, for these options."""
    from casework.ui.startup import StartPlan

    path = workspace_path(args)
    return StartPlan(
        workspace=path,
        open_workspace=partial(_open_workspace, path),
        create_demo=partial(_create_demo, path),
        keychain_available=partial(_keychain_available, path),
        demo_password=_demo_password,
        demo=bool(args.demo),
        smoke_user=args.smoke,
        settings_file=paths.settings_file(),
        loaded=_loaded,
    )


def _open_workspace(path: Path, passphrase: str | None, *,
                    progress: Callable[..., None]) -> Workspace:
    from casework.services import open_workspace

    return open_workspace(path, passphrase=passphrase, on_progress=progress)


def _create_demo(path: Path, *, progress: Callable[..., None]) -> Workspace:
    from casework import synthetic

    return synthetic.create_demo_workspace(path, progress=progress)


def _keychain_available(path: Path) -> bool:
    from casework.services import keychain_available

    return keychain_available(path)


def _demo_password() -> str:
    from casework.synthetic import DEMO_PASSWORD

    return DEMO_PASSWORD


def _loaded() -> None:
    """Everything start-up imports is loaded: what it made lives as long as the process, so
    it is frozen out of the collector's sight (gc.freeze), and collecting starts again.
    Only where main() turned the collector off: a test's process keeps its own."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """The `casework` command. Called without `argv` (as the program), it ends the process
    as soon as start-up returns: by then the workspace is closed, every call to it finished
    and its write-ahead log checkpointed, and tearing down the rest (Qt's objects, every
    module) would take ~180 ms to free what the system frees anyway."""
    # Start-up makes a great many objects that live as long as the process (modules,
    # classes, the ORM's mappings): collecting while they are made only costs time (about
    # 0.1 s here). _loaded turns the collector back on once they are all there.
    gc.disable()
    try:
        args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
        if args.smoke and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a check needs no screen
        from casework.ui.startup import run

        code = run(start_plan(args), qt_args, ms_since_process_start)
    finally:
        gc.enable()
    if argv is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
