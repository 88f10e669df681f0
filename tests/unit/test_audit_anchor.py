"""The chain's head kept outside the file: where it and the audit secret live, how it
follows the file through crashes, two writers and restores, and what it catches."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from audit_tamper import head, own_rows, sql
from killed_writer import kill_mid_write
from keychains import keychain
from casework import backups
from casework.audit_vault import AuditSecretMissing, AuditVault, anchor_file
from casework.errors import ValidationError
from casework.models.audit import AuditKeyParams
from casework.paths import backups_dir
from casework.secrets import (
    MemoryStore,
    audit_anchor_name,
    audit_secret_name,
    demo_audit_anchor_file,
    demo_audit_secret_file,
    location_of,
)
from casework.services import create_workspace, open_workspace
from casework.services import audit_seal

PASSPHRASE = "a passphrase of some length"
ADMIN_PASSWORD = "admin-password-1"


def anchor(ws):
    return ws._ctx.chain.vault.anchor()


def in_step(ws) -> bool:
    a, h = anchor(ws), head(ws)
    return (a.seq, a.mac, a.keyed_from) == (h["seq"], h["hash"], h["keyed_from"])


# -- where the secret and the head live ---------------------------------------------------------


def test_with_a_keychain_both_live_in_it(tmp_path):
    with keychain() as backend:
        path = tmp_path / "ws.db"
        ws = create_workspace(path, name="W", admin_username="admin",
                              admin_password=ADMIN_PASSWORD)
        names = {name for _, name in backend.items}
        assert audit_secret_name(ws.info.workspace_id) in names
        assert audit_anchor_name(location_of(path)) in names
        assert not demo_audit_secret_file(path).exists() and not anchor_file(location_of(path)).exists()
        assert ws._ctx.chain.vault.kind == "keychain" and in_step(ws)
        with ws.db.read() as s:
            assert s.get(AuditKeyParams, 1) is None  # nothing about the secret in the file
        ws.close()
        ws = open_workspace(path)
        assert ws.verify_audit().ok and ws.verify_audit().notes == ()
        ws.close()


def test_with_a_passphrase_the_secret_is_derived_and_the_head_kept_in_the_data_folder(tmp_path):
    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="W", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, passphrase=PASSPHRASE)
    with ws.db.read() as s:
        params = s.get(AuditKeyParams, 1).kdf
    assert params.startswith("argon2id$v=19$") and PASSPHRASE not in params
    assert ws._ctx.chain.vault.kind == "passphrase"
    assert anchor_file(location_of(path)).exists() and in_step(ws)
    ws.login("admin", ADMIN_PASSWORD)
    ws.close()
    ws = open_workspace(path, passphrase=PASSPHRASE)
    assert ws.verify_audit().ok and in_step(ws)
    ws.close()


def test_the_demo_without_a_keychain_keeps_both_beside_its_key_file(tmp_path):
    path = tmp_path / "demo.db"
    ws = create_workspace(path, name="Demo", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, demo=True)
    secret, outside = demo_audit_secret_file(path), demo_audit_anchor_file(path)
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert outside.exists() and ws._ctx.chain.vault.kind == "demo file"
    ws.close()
    ws = open_workspace(path)
    assert ws.verify_audit().ok and in_step(ws)
    ws.close()


def test_a_keychain_that_lost_the_secret_does_not_open_the_workspace(tmp_path):
    store = MemoryStore()
    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="W", admin_username="admin", admin_password=ADMIN_PASSWORD,
                          credentials=store)
    workspace_id = ws.info.workspace_id
    ws.close()
    store.delete(audit_secret_name(workspace_id))
    with pytest.raises(AuditSecretMissing, match="audit secret is not in this computer's keychain"):
        open_workspace(path, credentials=store)


def test_another_secret_verifies_nothing(tmp_path):
    store = MemoryStore()
    path = tmp_path / "ws.db"
    ws = create_workspace(path, name="W", admin_username="admin", admin_password=ADMIN_PASSWORD,
                          credentials=store)
    workspace_id = ws.info.workspace_id
    ws.close()
    store.set(audit_secret_name(workspace_id), "ab" * 32)
    ws = open_workspace(path, credentials=store)
    report = ws.verify_audit()
    assert {"rewritten", "head_rewritten", "anchor_damaged"} <= {p.kind for p in report.problems}
    ws.close()


# -- what the outside head catches ----------------------------------------------------------------


def test_a_removed_outside_head_is_named(world):
    world.store.delete(audit_anchor_name(location_of(world.path)))
    world.reopen()  # opening does not make it again: that would hide what was done
    report = world.ws.verify_audit()
    assert [p.kind for p in report.problems] == ["anchor_missing"]
    world.login("admin").admin.create_team("Later", "justice")
    assert [p.kind for p in world.ws.verify_audit().problems] == ["anchor_missing"]


def test_a_changed_outside_head_is_named(world):
    name = audit_anchor_name(location_of(world.path))
    record = json.loads(world.store.get(name))
    world.store.set(name, json.dumps({**record, "seq": record["seq"] - 3}))
    report = world.ws.verify_audit()
    assert [p.kind for p in report.problems] == ["anchor_damaged"]
    assert "does not carry this trail's MAC" in report.problems[0].message


def test_another_workspaces_outside_head_is_named(world, tmp_path):
    other = create_workspace(tmp_path / "other.db", name="Other", admin_username="admin",
                             admin_password=ADMIN_PASSWORD, credentials=world.store)
    other.close()
    ours = audit_anchor_name(location_of(world.path))
    theirs = world.store.get(audit_anchor_name(location_of(tmp_path / "other.db")))
    world.store.set(ours, theirs)
    assert "anchor_damaged" in {p.kind for p in world.ws.verify_audit().problems}


def test_the_file_swapped_for_an_older_copy_is_named(world, tmp_path):
    """The whole file put back to an older copy of itself: every event in it carries a
    valid MAC and its head row is whole; only the head kept outside can tell."""
    world.ws.close()
    shutil.copyfile(world.path, tmp_path / "older.db")
    world.reopen()
    world.login("admin").admin.create_team("Made after the copy", "justice")
    newest = head(world.ws)["seq"]
    world.ws.close()
    shutil.copyfile(tmp_path / "older.db", world.path)
    world.reopen()
    report = world.ws.verify_audit()
    assert [p.kind for p in report.problems] == ["deleted"]
    assert f"had reached #{newest}" in report.problems[0].message


# -- crashes, lag and two writers ------------------------------------------------------------------


def test_a_lagging_outside_head_is_not_tampering_and_catches_up_on_open(world, monkeypatch):
    """Casework stopping between a commit and moving the outside head leaves it behind:
    the events after it carry valid MACs, so that is a note, not a problem."""
    before = anchor(world.ws)
    monkeypatch.setattr(AuditVault, "advance", lambda self, *a: None)  # as if killed each time
    admin = world.login("admin")
    for i in range(3):
        admin.admin.create_team(f"Lagging {i}", "justice")
    report = world.ws.verify_audit()
    assert report.ok and len(report.notes) == 1
    assert "came after the head last recorded outside the file" in report.notes[0]
    assert anchor(world.ws) == before
    monkeypatch.undo()
    world.reopen()
    assert in_step(world.ws) and world.ws.verify_audit().notes == ()


def test_truncating_below_a_lagging_head_is_still_found(world, monkeypatch):
    anchored = anchor(world.ws).seq
    monkeypatch.setattr(AuditVault, "advance", lambda self, *a: None)
    admin = world.login("admin")
    for i in range(3):
        admin.admin.create_team(f"Lagging {i}", "justice")
    keep = anchored - 2
    kept = next(r for r in own_rows(world.ws) if r["seq"] == keep)
    sql(world.ws, ("DELETE FROM audit_event WHERE seq > :s", {"s": keep}),
        ("UPDATE audit_head SET seq = :s, hash = :h WHERE device_id = :d",
         {"s": keep, "h": kept["hash"], "d": kept["device_id"]}))
    assert "deleted" in {p.kind for p in world.ws.verify_audit().problems}


WRITER = """
import sys
from casework.services import open_workspace

ws = open_workspace(sys.argv[1], passphrase=sys.stdin.readline().rstrip("\\n"))
admin = ws.login("admin", "admin-password-1")
n = 0
while True:
    n += 1
    admin.admin.create_team(f"Team {n}", "justice")  # the team and its audit event, one commit
    print(n, flush=True)
"""


def test_a_killed_writer_leaves_a_whole_file_and_a_trail_that_verifies(tmp_path):
    path = tmp_path / "ws.db"
    create_workspace(path, name="W", admin_username="admin", admin_password=ADMIN_PASSWORD,
                     passphrase=PASSPHRASE).close()
    # Killed inside its next transaction, or just after it.
    reported = kill_mid_write(WRITER, [str(path)], PASSPHRASE, commits=12, watchdog_seconds=60)

    ws = open_workspace(path, passphrase=PASSPHRASE)
    try:
        assert ws.db.integrity_check() == "ok"
        with ws.db.read() as s:
            teams = set(s.execute(text("SELECT name FROM team")).scalars())
            created = s.execute(text("SELECT count(*) FROM audit_event WHERE action = 'create_team'")).scalar()
        assert {f"Team {n}" for n in range(1, reported + 1)} <= teams, "a committed write was lost"
        assert created == len(teams), "a team without its audit event, or the other way round"
        report = ws.verify_audit()
        assert report.ok, report.problems  # a head left behind by the kill is only a note
        assert in_step(ws)  # and opening again brought it up to date
    finally:
        ws.close()


def test_two_connections_writing_keep_one_chain_and_one_head(world):
    second = open_workspace(world.path, credentials=world.store, clock=world.clock)
    try:
        first_admin, second_admin = world.login("admin"), second.login("admin", ADMIN_PASSWORD)
        for i in range(4):  # taking turns
            first_admin.admin.create_team(f"First {i}", "justice")
            second_admin.admin.create_team(f"Second {i}", "justice")
        errors: list[BaseException] = []

        def write(me, prefix):
            try:
                for i in range(15):
                    me.admin.create_team(f"{prefix} {i}", "justice")
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(m, p))
                   for m, p in ((first_admin, "A"), (second_admin, "B"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        seqs = [r["seq"] for r in own_rows(world.ws)]
        assert seqs == list(range(1, len(seqs) + 1))
        assert world.ws.verify_audit().ok and second.verify_audit().ok
        assert world.ws.verify_audit().notes == ()  # the outside head is at the file's head
        assert in_step(world.ws)
    finally:
        second.close()


# -- backups and restores -----------------------------------------------------------------------


def test_a_backup_verifies_as_a_copy(world):
    admin = world.login("admin")
    made = admin.admin.backup_now("weekly")
    admin.admin.create_team("After the backup", "justice")
    copy = open_workspace(made, key=world.ws.key, credentials=world.store, clock=world.clock)
    try:
        report = copy.verify_audit()
        assert report.ok and len(report.notes) == 1 and "a backup or a copy" in report.notes[0]
    finally:
        copy.close()
    assert world.ws.verify_audit().ok


def test_after_a_restore_the_file_and_its_outside_head_agree(world):
    admin = world.login("admin")
    made = admin.admin.backup_now("weekly")
    for i in range(3):
        admin.admin.create_team(f"Lost in the restore {i}", "justice")
    world.ws = world.ws.restore(admin, made)
    report = world.ws.verify_audit()
    assert report.ok and report.notes == () and in_step(world.ws)
    last = own_rows(world.ws)[-1]
    assert last["action"] == "restored_from_backup"
    replaced = json.loads(last["detail"])["replaced_head"]
    world.login("admin").admin.create_team("After the restore", "justice")
    assert world.ws.verify_audit().ok and in_step(world.ws)
    # The file as it was before the restore keeps its own chain, which verifies as a copy.
    (before,) = [b for b in backups.list_backups(backups_dir(world.path))
                 if b.label == "before-restore"]
    kept = open_workspace(before.path, key=world.ws.key, credentials=world.store)
    try:
        assert kept.verify_audit().ok
        old_last = own_rows(kept)[-1]
        # The restored trail names the head it replaced: the old file's last event.
        assert old_last["action"] == "restore_workspace"
        assert replaced == {"seq": old_last["seq"], "mac": old_last["hash"]}
    finally:
        kept.close()


def test_a_backup_with_a_tampered_trail_is_not_restored(world):
    admin = world.login("admin")
    made = admin.admin.backup_now("weekly")
    copy = open_workspace(made, key=world.ws.key, credentials=world.store)
    sql(copy, ("UPDATE audit_event SET actor_name = 'Nobody' WHERE seq = 3", {}))
    copy.close()
    before = head(world.ws)["seq"]
    with pytest.raises(ValidationError) as refused:
        world.ws.restore(admin, made)
    assert refused.value.field == "backup" and "audit trail was altered" in refused.value.problem
    last = own_rows(world.ws)[-1]
    assert (last["action"], last["outcome"], last["reason"]) == (
        "restore_workspace", "refused", "backup_trail_broken")
    assert last["seq"] == before + 1  # the refusal, and nothing else, was written
    assert world.ws.verify_audit().ok
    assert {t.name for t in admin.admin.teams()} == {"North Adult Team", "South Adult Team"}


def test_a_backup_of_another_workspace_is_not_restored(world, tmp_path):
    other = create_workspace(tmp_path / "other.db", name="Other", admin_username="admin",
                             admin_password=ADMIN_PASSWORD, credentials=world.store)
    made = other.login("admin", ADMIN_PASSWORD).admin.backup_now("weekly")
    other.close()
    shutil.copyfile(made, tmp_path / "theirs.db")
    from casework.db import connect_sqlcipher

    # Re-keyed with ours, as an intruder holding both keys could.
    conn = connect_sqlcipher(tmp_path / "theirs.db", other.key)
    conn.execute(f"PRAGMA rekey = \"x'{world.ws.key.raw_hex}'\"")
    conn.close()
    with pytest.raises(ValidationError, match="a backup of another workspace"):
        world.ws.restore(world.login("admin"), tmp_path / "theirs.db")


def test_a_restore_interrupted_after_the_swap_is_finished_by_the_next_open(world):
    """Killed between replacing the file and recording the restore: the outside head was
    marked with the backup's head first, so the next open knows the file for that backup."""
    admin = world.login("admin")
    made = admin.admin.backup_now("weekly")
    admin.admin.create_team("Lost in the restore", "justice")
    chain = world.ws._ctx.chain
    _, backup_head = audit_seal.check_backup(Path(made), world.ws.key, chain)
    audit_seal.prepare_restore(chain, backup_head)
    world.ws.close()
    backups.restore(made, world.path, world.ws.key)  # ...and the process stops here
    world.reopen()
    report = world.ws.verify_audit()
    assert report.ok and in_step(world.ws), (report.problems, report.notes)
    assert anchor(world.ws).restoring is None


def test_a_restore_interrupted_before_the_swap_leaves_the_workspace_as_it_was(world):
    admin = world.login("admin")
    made = admin.admin.backup_now("weekly")
    admin.admin.create_team("Kept", "justice")
    chain = world.ws._ctx.chain
    _, backup_head = audit_seal.check_backup(Path(made), world.ws.key, chain)
    audit_seal.prepare_restore(chain, backup_head)  # ...and the process stops here
    world.reopen()
    assert world.ws.verify_audit().ok and in_step(world.ws)
    assert anchor(world.ws).restoring is None


def test_the_audit_secret_never_shows_in_logs(world):
    vault = world.ws._ctx.chain.vault
    shown = repr(vault) + repr(world.ws._ctx.chain) + repr(world.ws._ctx)
    assert vault.secret.hex() not in shown and "keychain" in repr(vault)
