"""Screenshots of the sign-in dialog, the caseload pages, a case summary and My account,
offscreen, for looking at by eye.

    .venv/bin/python scripts/screenshots.py [out_dir]

Builds the Riverside demo workspace (fictional data) in a temporary CASEWORK_HOME, signs in
as the team leader tl.macleod, and saves PNGs into `screenshots/` (or `out_dir`): the main
window at 1280×800, the dialogs at their own size.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CASEWORK_FAST_PASSWORD_HASH"] = "1"  # fictional accounts: cheap hashing will do
os.environ["CASEWORK_HOME"] = tempfile.mkdtemp(prefix="casework-screenshots-")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from casework import paths  # noqa: E402
from casework import dto  # noqa: E402
from casework.ui.startup import make_application, show_progress_in  # noqa: E402
from casework.synthetic import DEMO_PASSWORD, create_demo_workspace  # noqa: E402
from casework.ui.case_window.window import CaseWindow  # noqa: E402
from casework.ui.dialogs.login import LoginDialog  # noqa: E402
from casework.ui.main_window import MainWindow  # noqa: E402
from casework.ui.tasks import SyncTaskRunner  # noqa: E402

USER = "tl.macleod"
SIZE = (1280, 800)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str, app: QApplication) -> None:
    settle(app)
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = make_application([])
    runner = SyncTaskRunner()
    ws = create_demo_workspace(paths.demo_workspace())
    try:
        login = LoginDialog(ws, runner, username=USER)
        login.show()
        save(login, out, "login", app)
        login.form.password.setText("not the password")
        login.form.submit()
        save(login, out, "login_wrong_password", app)
        login.close()

        # At start-up the sign-in window shows before the workspace is open, saying what
        # opening does (here: the backup before an upgrade), and takes a sign-in meanwhile.
        opening = LoginDialog(None, runner)
        opening.show()
        save(opening, out, "login_opening", app)
        show = show_progress_in(opening)
        show(dto.OpeningStep.BACKUP, 0.37)
        save(opening, out, "login_upgrade_backup", app)
        opening.form.username.setText(USER)
        opening.form.password.setText(DEMO_PASSWORD)
        opening.form.submit()
        show(dto.OpeningStep.CHECK, None)
        save(opening, out, "login_upgrade_check_signing_in", app)
        opening.set_workspace(ws)
        opening.close()

        me = ws.login(USER, DEMO_PASSWORD)
        window = MainWindow(ws, me, runner)
        window.resize(*SIZE)
        window.show()
        save(window, out, "my_caseload", app)
        for key in ("team_caseload", "unallocated", "account"):
            window.show_page(key)
            save(window, out, key, app)

        team = window.show_page("team_caseload")
        team.table.setCurrentIndex(team.model.index(0, 0))
        team.open_case(team.model.index(0, 0))
        settle(app)
        summary = next(w for w in QApplication.topLevelWidgets()
                       if isinstance(w, CaseWindow) and w.isVisible())
        summary.resize(*SIZE)
        save(summary, out, "case_summary", app)
        summary.close()

        window.lock()
        save(window, out, "locked", app)
        window.close()
    finally:
        runner.shutdown()
        ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
