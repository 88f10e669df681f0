"""Screenshots of the administrator's pages, offscreen, for looking at by eye.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_admin.py [out_dir]

Builds a throwaway workspace of fictional staff in a temporary folder, opens each admin page
at 1280×800 and saves `admin_*.png` into `screenshots/` (or `out_dir`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CASEWORK_FAST_PASSWORD_HASH"] = "1"  # fictional accounts: cheap hashing will do

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from casework.errors import AuthenticationFailed, PermissionDenied  # noqa: E402
from casework.secrets import MemoryStore  # noqa: E402
from casework import dto  # noqa: E402
from casework.services import create_workspace
from casework.ui.pages.admin_audit import AuditPage  # noqa: E402
from casework.ui.pages.admin_backups import BackupsPage  # noqa: E402
from casework.ui.pages.admin_reserved import ReservedRulesPage  # noqa: E402
from casework.ui.pages.admin_staff import StaffPage  # noqa: E402
from casework.ui.pages.admin_teams import TeamsPage  # noqa: E402
from casework.ui.tasks import SyncTaskRunner  # noqa: E402

PASSWORD = "fictional-pass-1"
SIZE = (1280, 800)


def registered(years_ago: float, expires_in_days: int, number: str, **more) -> dict:
    return dict(sssc_number=number, sssc_part="social_worker",
                sssc_expiry=date.today() + timedelta(days=expires_in_days),
                qualified_on=date.today() - timedelta(days=int(years_ago * 365)), **more)


def populate(ws, me) -> None:
    add = me.admin.create_staff
    sm1 = add(dto.StaffInput("s.douglas", "Sandra Douglas", "service_manager",
                             **registered(20, 300, "100234")), PASSWORD)
    sm2 = add(dto.StaffInput("k.macrae", "Kenneth MacRae", "service_manager"), PASSWORD)
    north = me.admin.create_team("North Locality", "adult_community_care", sm1.id)
    south = me.admin.create_team("South Children and Families", "children_and_families", sm2.id)
    justice = me.admin.create_team("Justice Social Work", "justice", sm2.id)
    me.admin.create_team("Mental Health Officers", "mental_health", None)
    people = [
        ("m.macleod", "Morven MacLeod", "team_leader", north, registered(12, 200, "204561")),
        ("r.campbell", "Ruaridh Campbell", "social_worker", north,
         registered(4, 400, "318842", accreditations=frozenset({"asp_council_officer"}))),
        ("a.nowak", "Agata Nowak", "senior_practitioner", north,
         registered(9, 90, "299310", accreditations=frozenset({"mho", "asp_council_officer"}))),
        ("j.kerr", "Jamie Kerr", "para_professional", north, {}),
        ("e.baird", "Eilidh Baird", "team_leader", south, registered(15, 500, "150077")),
        ("c.ni-bhriain", "Caoimhe Ní Bhriain", "social_worker", south,
         registered(0.5, 700, "412205", fte_percent=80)),
        ("d.stewart", "Douglas Stewart", "social_worker", south, registered(6, -12, "276613")),
        ("f.grant", "Fiona Grant", "social_worker", justice, registered(3, 250, "355120")),
        ("l.reid", "Lachlan Reid", "para_professional", justice, {"fte_percent": 50}),
    ]
    made = {}
    for username, name, role, team, extra in people:
        made[username] = add(dto.StaffInput(username, name, role, team_id=team.id, **extra),
                             PASSWORD)
    gone = made["l.reid"]
    me.admin.set_active(gone.id, gone.row_version, False)
    for _ in range(5):  # Jamie forgets his password: the account locks
        try:
            ws.login("j.kerr", "not-the-password")
        except AuthenticationFailed:
            pass
    worker = ws.login("f.grant", PASSWORD)
    try:
        worker.admin.teams()
    except PermissionDenied:
        pass
    me.admin.add_reserved_rule("sign_off_secure_care", "Sign-off of a secure care authorisation",
                               frozenset({"mho"}), 6)
    me.admin.backup_now()
    me.admin.backup_now()


def grab(widget: QWidget, path: Path, size: tuple[int, int] | None = SIZE) -> None:
    if size:
        widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CASEWORK_HOME"] = tmp
        ws = create_workspace(Path(tmp) / "screens.db", name="Screenshot council",
                              admin_username="admin", admin_password=PASSWORD,
                              credentials=MemoryStore())
        try:
            me = ws.login("admin", PASSWORD)
            populate(ws, me)
            runner = SyncTaskRunner()
            shoot(app, ws, me, runner, out)
            runner.shutdown()
        finally:
            ws.close()


def shoot(app: QApplication, ws, me, runner, out: Path) -> None:
    staff = StaffPage(me, runner)
    staff.show_inactive.setChecked(True)
    staff.table.selectRow(staff.model.row_of(
        me.admin.staff_page(dto.StaffQuery(text="nowak")).rows[0].id))
    grab(staff, out / "admin_staff.png")

    staff.new()
    editor = staff.dialog
    editor.username.setText("r.campbell")
    editor.display_name.setText("Rhona Campbell")
    editor.email.setText("rhona.campbell@example.org")
    editor.role.setCurrentIndex(editor.role.findData("social_worker"))
    editor.team.setCurrentIndex(1)
    editor.sssc_number.setText("41A9")
    editor.sssc_part.setCurrentIndex(editor.sssc_part.findData("social_worker"))
    editor.sssc_expiry.set_value(date.today() + timedelta(days=365))
    editor.qualified_on.set_value(date(2021, 6, 30))
    editor.password.setText("first-password-1")
    editor.confirm.setText("first-password-1")
    editor.save()
    grab(editor, out / "admin_staff_editor_error.png", None)
    editor.reject()

    grab(TeamsPage(me, runner), out / "admin_teams.png")

    audit = AuditPage(me, runner)
    audit.verify()
    grab(audit, out / "admin_audit.png")

    raw = ws.db.engine.raw_connection()  # a throwaway workspace: show what tampering looks like
    try:
        raw.execute("DROP TRIGGER audit_event_no_update")
        raw.execute("UPDATE audit_event SET actor_name = 'Someone Else' WHERE seq = 3")
        raw.commit()
    finally:
        raw.close()
    audit.verify()
    grab(audit, out / "admin_audit_broken.png")

    backups = BackupsPage(me, runner, workspace=ws)
    backups.table.selectRow(0)
    grab(backups, out / "admin_backups.png")

    reserved = ReservedRulesPage(me, runner)
    grab(reserved, out / "admin_reserved.png")
    app.processEvents()


if __name__ == "__main__":
    main()
