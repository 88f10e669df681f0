"""Composition root and `main()` of the `casework` command: options -> QApplication ->
workspace (key, passphrase or demo) -> sign-in -> main window. `casework --smoke USER` does
the same without a person at the keyboard and prints how long it took to be ready.

This module stays free of Qt, as everything outside casework/ui must; the Qt half of
start-up is casework.ui.startup."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from casework import paths


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


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a check needs no screen
    from casework.ui.startup import run

    return run(args, qt_args, ms_since_process_start)
