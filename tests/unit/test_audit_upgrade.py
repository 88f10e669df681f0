"""Workspaces from earlier releases: their unkeyed SHA-256 trail is verified and sealed when
this release first opens them with the audit secret; the trail says so, with what was
found, and the history before the seal cannot be rewritten afterwards."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from audit_tamper import head, own_rows, sql
from casework import backups, migrations, passwords
from casework.db import make_engine
from casework.models.audit import AuditKeyParams
from casework.paths import backups_dir
from casework.secrets import MemoryStore, WorkspaceKey
from casework.services import open_workspace
from casework.services.audit import GENESIS, SEAL_ACTION, legacy_hash

LEGACY = "0005"  # the last revision before the trail was keyed
ADMIN_PASSWORD = "admin-password-1"
T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
DEVICE = "d-legacy"


def make_legacy_workspace(path, key: WorkspaceKey, *, events: int = 8,
                          integer_entity_at: int | None = 4, damage=None) -> list[dict]:
    """A workspace file as an earlier release left it: schema at 0003, an administrator,
    and an unkeyed chain hashed the way that release did, including its fault of hashing an
    integer it was handed for an id stored as text. `damage(rows)` may alter the rows
    before they are written (damage done before the upgrade)."""
    engine = make_engine(path, key)
    migrations.upgrade(engine, LEGACY)
    admin_id = "s-admin"
    rows, prev = [], GENESIS
    for seq in range(1, events + 1):
        row = {"id": f"e-{seq}", "device_id": DEVICE, "seq": seq,
               "at": T0 + timedelta(minutes=seq), "actor_id": admin_id,
               "actor_name": "Administrator", "action": "login", "outcome": "done",
               "entity_type": "staff", "entity_id": admin_id, "reason": None,
               "detail": json.dumps({"n": seq}, sort_keys=True), "prev_hash": prev}
        types = None
        if seq == integer_entity_at:
            row.update(action="manage_teams", outcome="refused", reason="role_not_permitted",
                       entity_type="team", entity_id="5")
            types = {"entity_id": 5}  # what that release hashed
        row["hash"] = legacy_hash(row, types=types)
        prev = row["hash"]
        rows.append(row)
    if damage:
        damage(rows)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workspace_info (id, workspace_id, name, is_demo, device_id,"
                          " created_at) VALUES (1, 'w-legacy', 'Old', 0, :d, :t)"),
                     {"d": DEVICE, "t": T0.replace(tzinfo=None)})
        conn.execute(text(
            "INSERT INTO staff (id, username, display_name, role, fte_percent, password_hash, "
            "must_change_password, active, row_version, updated_at) VALUES "
            "(:id, 'admin', 'Administrator', 'administrator', 100, :pw, 0, 1, 1, :t)"),
            {"id": admin_id, "pw": passwords.hash_password(ADMIN_PASSWORD),
             "t": T0.replace(tzinfo=None)})
        for row in rows:
            conn.execute(text(
                "INSERT INTO audit_event (id, device_id, seq, at, actor_id, actor_name, action, "
                "outcome, entity_type, entity_id, reason, detail, prev_hash, hash) VALUES (:id, "
                ":device_id, :seq, :at, :actor_id, :actor_name, :action, :outcome, :entity_type, "
                ":entity_id, :reason, :detail, :prev_hash, :hash)"),
                {**row, "at": row["at"].replace(tzinfo=None)})
        conn.execute(text("INSERT INTO audit_head (device_id, seq, hash) VALUES (:d, :s, :h)"),
                     {"d": DEVICE, "s": rows[-1]["seq"], "h": rows[-1]["hash"]})
    engine.dispose()
    return rows


@pytest.fixture
def key():
    return WorkspaceKey.new_raw()


@pytest.fixture
def store():
    return MemoryStore()


def open_legacy(path, key, store):
    return open_workspace(path, key=key, credentials=store)


def test_a_legacy_trail_is_verified_sealed_and_then_verifies(tmp_path, key, store):
    path = tmp_path / "old.db"
    legacy = make_legacy_workspace(path, key)
    ws = open_legacy(path, key, store)
    try:
        chain = own_rows(ws)
        # Nothing written before the seal was changed by it.
        assert [{k: r[k] for k in legacy[0]} for r in chain[:len(legacy)]] == legacy
        seal = chain[len(legacy)]
        assert (seal["seq"], seal["action"], seal["actor_name"]) == (
            len(legacy) + 1, SEAL_ACTION, "Casework")
        assert seal["prev_hash"] == legacy[-1]["hash"]  # the seal covers the old head
        found = json.loads(seal["detail"])
        assert found["legacy_events"] == len(legacy) and found["problems"] == 0
        assert found["legacy_head"] == {"seq": len(legacy), "hash": legacy[-1]["hash"]}
        assert "hashed with a number where text is stored" in found["notes"][0]
        assert head(ws)["keyed_from"] == len(legacy) + 1
        report = ws.verify_audit()
        assert report.ok, report.problems
        assert any("hashed with a number" in n for n in report.notes)
        ws.login("admin", ADMIN_PASSWORD).admin.create_team("After the upgrade", "justice")
        assert ws.verify_audit().ok
    finally:
        ws.close()
    # The upgrade kept the file as it was, and a second start does not seal again.
    (before,) = backups.list_backups(backups_dir(path))
    assert before.label == f"before-upgrade-{LEGACY}"
    ws = open_legacy(path, key, store)
    try:
        assert [r["action"] for r in own_rows(ws)].count(SEAL_ACTION) == 1
        assert ws.verify_audit().ok
    finally:
        ws.close()


def test_the_history_before_the_seal_cannot_be_rewritten(tmp_path, key, store):
    """An intruder can still compute the old formula: change legacy event #2 and recompute
    the legacy chain to the seal. The seal's MAC covers the old head, so it no longer fits."""
    path = tmp_path / "old.db"
    make_legacy_workspace(path, key)
    ws = open_legacy(path, key, store)
    try:
        sealed_at = head(ws)["keyed_from"]
        rows = own_rows(ws)
        prev, updates = rows[0]["hash"], []
        for r in rows[1:sealed_at - 1]:
            r["actor_name"] = "Someone Else" if r["seq"] == 2 else r["actor_name"]
            r["prev_hash"] = prev
            r["hash"] = legacy_hash(r)
            prev = r["hash"]
            updates.append(("UPDATE audit_event SET actor_name = :a, prev_hash = :p, hash = :h "
                            "WHERE id = :id", {"a": r["actor_name"], "p": r["prev_hash"],
                                               "h": r["hash"], "id": r["id"]}))
        sql(ws, *updates)
        report = ws.verify_audit()
        assert [(p.kind, p.seq) for p in report.problems] == [("rewritten", sealed_at)]
        assert "changed after it was sealed" in report.problems[0].message
    finally:
        ws.close()


def test_an_edit_of_a_legacy_event_after_the_seal_is_named(tmp_path, key, store):
    path = tmp_path / "old.db"
    make_legacy_workspace(path, key)
    ws = open_legacy(path, key, store)
    try:
        sql(ws, ("UPDATE audit_event SET reason = 'x' WHERE seq = 2", {}))
        assert [(p.kind, p.seq) for p in ws.verify_audit().problems] == [("edited", 2)]
    finally:
        ws.close()


def test_damage_found_when_sealing_is_recorded_and_reported_from_then_on(tmp_path, key, store):
    def edit_third(rows):
        rows[2]["actor_name"] = "Changed before the upgrade"

    path = tmp_path / "old.db"
    make_legacy_workspace(path, key, damage=edit_third)
    ws = open_legacy(path, key, store)
    try:
        seal = next(r for r in own_rows(ws) if r["action"] == SEAL_ACTION)
        found = json.loads(seal["detail"])
        assert found["problems"] == 1
        assert [(f["kind"], f["seq"]) for f in found["found"]] == [("edited", 3)]
        report = ws.verify_audit()
        assert [(p.kind, p.seq) for p in report.problems] == [("edited", 3)]
        assert "Already found when the trail was sealed on 2026-" in report.problems[0].message
    finally:
        ws.close()


def test_newest_legacy_events_deleted_before_the_upgrade_stay_reported(tmp_path, key, store):
    """Events cut from the end of the unkeyed chain (its head row left saying #8): the seal
    covers the head it found, so the gap stays in the chain, reported for good."""
    def cut_two(rows):
        del rows[-2:]

    path = tmp_path / "old.db"
    make_legacy_workspace(path, key, events=10, damage=cut_two)
    engine = make_engine(path, key)
    with engine.begin() as conn:  # the head row as it was before the cut
        conn.execute(text("UPDATE audit_head SET seq = 10, hash = :h"), {"h": "f" * 64})
    engine.dispose()
    ws = open_legacy(path, key, store)
    try:
        seal = next(r for r in own_rows(ws) if r["action"] == SEAL_ACTION)
        assert [(f["kind"], f["seq"]) for f in json.loads(seal["detail"])["found"]] == [
            ("deleted", 9)]
        report = ws.verify_audit()
        assert [(p.kind, p.seq) for p in report.problems] == [("deleted", 9)]
        assert "Already found when the trail was sealed" in report.problems[0].message
    finally:
        ws.close()


def test_a_keyed_file_replaced_by_its_unkeyed_former_self_is_recorded(tmp_path, key, store):
    """The intruder puts back the file as it was before the upgrade (the backup the upgrade
    made, say), so that the trail looks as if it had never been keyed. Opening it seals it
    again, but the head kept outside says it was keyed already: the seal records that."""
    path = tmp_path / "old.db"
    make_legacy_workspace(path, key)
    ws = open_legacy(path, key, store)
    ws.login("admin", ADMIN_PASSWORD).admin.create_team("Lost", "justice")
    ws.close()
    (before,) = backups.list_backups(backups_dir(path))
    shutil.copyfile(before.path, path)
    ws = open_legacy(path, key, store)
    try:
        report = ws.verify_audit()
        assert [p.kind for p in report.problems] == ["anchor_mismatch"]
        assert "already keyed" in report.problems[0].message
        assert "When Casework sealed the trail" in report.problems[0].message
    finally:
        ws.close()


def test_restoring_a_backup_from_before_the_upgrade_seals_it_as_the_workspace(tmp_path, key,
                                                                               store):
    path = tmp_path / "old.db"
    make_legacy_workspace(path, key)
    ws = open_legacy(path, key, store)
    admin = ws.login("admin", ADMIN_PASSWORD)
    admin.admin.create_team("Made after the upgrade", "justice")
    (before,) = backups.list_backups(backups_dir(path))
    restored = ws.restore(admin, before.path)
    try:
        report = restored.verify_audit()
        assert report.ok and report.problems == (), report.problems
        actions = [r["action"] for r in own_rows(restored)]
        assert actions[-2:] == [SEAL_ACTION, "restored_from_backup"]
        assert restored.login("admin", ADMIN_PASSWORD).admin.teams() == ()
    finally:
        restored.close()


def test_a_legacy_passphrase_workspace_derives_its_secret_from_then_on(tmp_path):
    path = tmp_path / "old.db"
    passphrase = "an old passphrase here"
    make_legacy_workspace(path, WorkspaceKey.from_passphrase(passphrase))
    ws = open_workspace(path, passphrase=passphrase)
    try:
        with ws.db.read() as s:
            assert s.get(AuditKeyParams, 1).kdf.startswith("argon2id$")
        assert ws.verify_audit().ok
    finally:
        ws.close()
    ws = open_workspace(path, passphrase=passphrase)
    try:
        assert ws.verify_audit().ok
        assert [r["action"] for r in own_rows(ws)].count(SEAL_ACTION) == 1
    finally:
        ws.close()


def test_the_migration_keeps_the_legacy_rows_and_adds_only_empty_columns(tmp_path, key):
    path = tmp_path / "old.db"
    legacy = make_legacy_workspace(path, key)
    engine = make_engine(path, key)
    try:
        migrations.upgrade(engine)
        assert migrations.current_revision(engine) == migrations.HEAD
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT id, seq, prev_hash, hash FROM audit_event "
                                     "ORDER BY seq")).all()
            heads = conn.execute(text("SELECT device_id, seq, hash, keyed_from, mac "
                                      "FROM audit_head")).all()
            triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'audit_event'")).scalars().all()
        assert kept == [(r["id"], r["seq"], r["prev_hash"], r["hash"]) for r in legacy]
        assert heads == [(DEVICE, len(legacy), legacy[-1]["hash"], None, None)]
        assert sorted(triggers) == ["audit_event_no_delete", "audit_event_no_update"]
    finally:
        engine.dispose()
