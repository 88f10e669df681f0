"""Opening a workspace: missing files, the schema upgrade on start and the backup before it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect

from casework import backups, migrations
from casework.paths import backups_dir
from casework.secrets import MemoryStore
from casework import dto
from casework.services import WorkspaceMissing, create_workspace, open_workspace

NEXT_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("later_feature", sa.Column("id", sa.String(36), primary_key=True))


def downgrade():
    op.drop_table("later_feature")
'''


@pytest.fixture
def store():
    return MemoryStore()


def test_a_missing_file_is_explained(tmp_path, store):
    with pytest.raises(WorkspaceMissing, match="casework-admin init"):
        open_workspace(tmp_path / "nothing.db", credentials=store)
    assert not (tmp_path / "nothing.db").exists()


def test_an_existing_file_is_not_overwritten(tmp_path, store):
    path = tmp_path / "ws.db"
    create_workspace(path, name="A", admin_username="admin", admin_password="admin-password-1",
                     credentials=store).close()
    from casework.errors import ValidationError

    with pytest.raises(ValidationError) as e:
        create_workspace(path, name="B", admin_username="admin",
                         admin_password="admin-password-1", credentials=store)
    assert e.value.field == "path"
    ws = open_workspace(path, credentials=store)
    assert ws.info.name == "A"
    ws.close()


def test_the_declared_head_is_alembics_head():
    assert migrations.HEAD == migrations.head_revision()


def test_a_start_at_head_does_not_load_alembic(tmp_path, store):
    """Nearly every start finds the file current; Alembic costs about 0.12 s to import."""
    import subprocess
    import sys

    path = tmp_path / "ws.db"
    create_workspace(path, name="A", admin_username="admin", admin_password="admin-password-1",
                     passphrase="a long enough passphrase").close()
    code = ("import sys; from casework.services import open_workspace; "
            f"ws = open_workspace({str(path)!r}, passphrase='a long enough passphrase'); "
            "ws.close(); print(sorted(m for m in sys.modules if m.startswith('alembic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_opening_at_head_changes_nothing_and_makes_no_backup(tmp_path, store):
    path = tmp_path / "ws.db"
    create_workspace(path, name="A", admin_username="admin", admin_password="admin-password-1",
                     credentials=store).close()
    open_workspace(path, credentials=store).close()
    assert backups.list_backups(backups_dir(path)) == []


def test_a_newer_schema_is_applied_on_start_after_a_backup(tmp_path, store, monkeypatch):
    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="Before", admin_username="admin",
                          admin_password="admin-password-1", credentials=store)
    ws.login("admin", "admin-password-1").admin.create_team("North Adult Team", "adult_community_care")
    ws.close()
    old_head = migrations.head_revision()

    # A release with one more migration than the file has.
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(migrations.__file__).resolve().parent.parent / "migrations", scripts)
    (scripts / "versions" / "9999_later_feature.py").write_text(NEXT_REVISION.format(head=old_head))
    monkeypatch.setattr(migrations, "_script_location", lambda: scripts)
    monkeypatch.setattr(migrations, "HEAD", migrations.head_revision())  # as a release would

    ws = open_workspace(path, credentials=store)
    assert migrations.current_revision(ws.db.engine) == "9999"
    assert "later_feature" in inspect(ws.db.engine).get_table_names()
    assert ws.login("admin", "admin-password-1").admin.teams()[0].name == "North Adult Team"
    ws.close()

    (made,) = backups.list_backups(backups_dir(path))
    assert made.label == f"before-upgrade-{old_head}"
    assert backups.verify_backup(made.path, ws.key) == "ok"
    monkeypatch.undo()
    old = open_workspace(made.path, key=ws.key, credentials=store)  # the file as it was
    assert migrations.current_revision(old.db.engine) == old_head
    old.close()


def test_the_upgrade_says_how_its_backup_goes(tmp_path, store, monkeypatch):
    path = tmp_path / "ws.db"
    create_workspace(path, name="Before", admin_username="admin",
                     admin_password="admin-password-1", credentials=store).close()
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(migrations.__file__).resolve().parent.parent / "migrations", scripts)
    (scripts / "versions" / "9999_later_feature.py").write_text(
        NEXT_REVISION.format(head=migrations.head_revision()))
    monkeypatch.setattr(migrations, "_script_location", lambda: scripts)
    monkeypatch.setattr(migrations, "HEAD", migrations.head_revision())
    monkeypatch.setattr(backups, "STEP_PAGES", 4)
    heard = []

    open_workspace(path, credentials=store,
                   on_progress=lambda step, fraction: heard.append((step, fraction))).close()

    steps = [step for step, _ in heard]
    assert steps[0] == dto.OpeningStep.BACKUP and steps[-2:] == [
        dto.OpeningStep.CHECK, dto.OpeningStep.UPGRADE]
    fractions = [f for step, f in heard if step == dto.OpeningStep.BACKUP]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) > 2


def test_opening_at_head_reports_nothing(tmp_path, store):
    path = tmp_path / "ws.db"
    create_workspace(path, name="A", admin_username="admin", admin_password="admin-password-1",
                     credentials=store).close()
    heard = []
    open_workspace(path, credentials=store, on_progress=lambda *report: heard.append(report)).close()
    assert heard == []


def test_a_demo_whose_key_sits_beside_it_opens_without_loading_keyring(tmp_path):
    """keyring costs ~50 ms to import: the demo's key file is read first, so the keychain
    is never woken for it."""
    import subprocess
    import sys

    path = tmp_path / "demo.db"
    create_workspace(path, name="Demo", admin_username="admin",
                     admin_password="admin-password-1", demo=True,
                     credentials=MemoryStore(available=False)).close()
    assert path.with_name("demo.db.key").exists()
    code = ("import sys; from casework.services import open_workspace; "
            f"ws = open_workspace({str(path)!r}); ws.close(); "
            "print(sorted(m for m in sys.modules if m.startswith('keyring')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


REBUILD_REFERENCED_TABLE = '''
from alembic import op
import sqlalchemy as sa

revision = "9998"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite alters by rebuilding the table; staff, cases and others point at team.
    with op.batch_alter_table("team", recreate="always") as batch:
        batch.add_column(sa.Column("office", sa.String(80), nullable=True))


def downgrade():
    with op.batch_alter_table("team") as batch:
        batch.drop_column("office")
'''


def test_a_migration_may_rebuild_a_table_others_refer_to(tmp_path, store, monkeypatch):
    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="W", admin_username="admin",
                          admin_password="admin-password-1", credentials=store)
    admin = ws.login("admin", "admin-password-1").admin
    team = admin.create_team("North Adult Team", "adult_community_care")
    admin.create_staff(dto.StaffInput(username="pp.one", display_name="Para One",
                                      role="para_professional", team_id=team.id), "a-long-password")
    ws.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(Path(migrations.__file__).resolve().parent.parent / "migrations", scripts)
    (scripts / "versions" / "9998_rebuild_team.py").write_text(
        REBUILD_REFERENCED_TABLE.format(head=migrations.head_revision()))
    monkeypatch.setattr(migrations, "_script_location", lambda: scripts)
    monkeypatch.setattr(migrations, "HEAD", migrations.head_revision())  # as a release would
    ws = open_workspace(path, credentials=store)
    assert "office" in {c["name"] for c in inspect(ws.db.engine).get_columns("team")}
    with ws.db.engine.connect() as conn:  # enforcement is back on for everyone after
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert ws.db.integrity_check() == "ok"
    ws.close()


def test_restore_is_recorded_in_both_chains_and_refuses_a_bad_backup(tmp_path, store):
    from casework.errors import ValidationError
    from casework.models import AuditEvent
    from refusals import assert_refused
    from sqlalchemy import select

    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="W", admin_username="admin",
                          admin_password="admin-password-1", credentials=store)
    admin = ws.login("admin", "admin-password-1")
    made = admin.admin.backup_now("weekly")
    team = admin.admin.create_team("Made After", "justice")
    admin.admin.create_staff(dto.StaffInput(username="pp.one", display_name="Para One",
                                            role="para_professional", team_id=team.id),
                             "a-long-password")
    pp = ws.login("pp.one", "a-long-password")
    pp.account.change_password("a-long-password", "pp-own-password-1")
    assert_refused(ws, pp, lambda: ws.restore(pp, made), "restore_workspace",
                   "role_not_permitted")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a workspace at all" * 100)
    with pytest.raises(ValidationError) as e:
        ws.restore(admin, junk)
    assert e.value.field == "backup"
    assert ws.login("admin", "admin-password-1").admin.teams()  # still open and working

    restored = ws.restore(admin, made)
    try:
        with restored.db.read() as s:
            last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert (last.action, last.actor_name) == ("restored_from_backup", "Administrator")
        assert [t.name for t in restored.login("admin", "admin-password-1").admin.teams()] == []
        assert restored.verify_audit().ok
    finally:
        restored.close()
    before = [b for b in backups.list_backups(backups_dir(path)) if b.label == "before-restore"]
    kept = open_workspace(before[0].path, key=restored.key, credentials=store)
    with kept.db.read() as s:
        outcomes = s.scalars(select(AuditEvent.outcome).where(
            AuditEvent.action == "restore_workspace").order_by(AuditEvent.seq)).all()
    kept.close()
    assert outcomes == ["refused", "done"]  # the para-professional; then the administrator
