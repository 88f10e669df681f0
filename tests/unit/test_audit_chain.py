"""The keyed audit chain: an intruder with the workspace file and its key, but not the audit
secret, cannot change the trail unseen. Each kind of tampering, the multi-row rewrites
included, is found and named by all three places that verify (the workspace, the command
line with exit status 4, and the administrator's check behind the admin page's Verify)."""

from __future__ import annotations

import json
import secrets

import pytest
from sqlalchemy import text

from audit_tamper import (
    guessed_mac,
    head,
    insert_row,
    kinds,
    own_rows,
    rechain,
    renumber,
    rows,
    sql,
    verified_everywhere,
)
from keychains import keychain
from casework.secrets import KeyringStore, audit_secret_name
from casework.services.audit import GENESIS, legacy_hash
from service_world import build_world

DOORS = {"workspace", "cli", "admin"}


@pytest.fixture
def world(tmp_path):
    """The service world, its keys and audit secret in a keychain (so the command line finds
    them as it would on a desktop)."""
    with keychain() as backend:
        w = build_world(tmp_path, store=KeyringStore())
        w.keychain = backend
        yield w
        w.ws.close()


def found_everywhere(world, capsys, *expected: str, admin: tuple[str, ...] | None = None) -> dict:
    """Each place names `expected`; the administrator's check (which signs in, so writes to
    the tampered trail first) names `admin` if that is given."""
    found = verified_everywhere(world, capsys)
    assert set(found) == DOORS
    for door, seen in kinds(found).items():
        missing = set(admin if door == "admin" and admin is not None else expected) - seen
        assert not missing, f"{door} did not name {missing}: {found[door]}"
    return found


# -- an untouched trail ---------------------------------------------------------------------


def test_an_untouched_chain_verifies_everywhere(world, capsys):
    events = own_rows(world.ws)
    assert len(events) > 10 and events[0]["prev_hash"] == GENESIS
    assert head(world.ws)["keyed_from"] == 1  # keyed from the workspace's first event
    report = world.ws.verify_audit()
    assert report.ok and report.events_checked == len(events) and report.notes == ()
    found = verified_everywhere(world, capsys)
    assert found == {"workspace": [], "cli": [], "admin": []}


def test_no_event_verifies_with_the_unkeyed_formula(world):
    """Whoever knows only the file and the published formula cannot make a valid event."""
    assert all(legacy_hash(r) != r["hash"] for r in own_rows(world.ws))


def test_the_secret_is_never_in_the_workspace_file(world):
    (secret,) = [v for (_, name), v in world.keychain.items.items()
                 if name == audit_secret_name(world.ws.info.workspace_id)]
    with world.ws.db.engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        everything = "".join(
            str(conn.exec_driver_sql(f'SELECT * FROM "{t}"').all()) for (t,) in tables.all())
    assert secret not in everything and len(secret) == 64


def test_the_database_refuses_to_change_or_delete_events(world):
    from sqlalchemy.exc import DatabaseError

    for stmt in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="insert-only"):
            with world.ws.db.engine.begin() as conn:
                conn.exec_driver_sql(stmt)


# -- one row ---------------------------------------------------------------------------------


def test_an_edited_event_is_named(world, capsys):
    victim = own_rows(world.ws)[5]
    sql(world.ws, ("UPDATE audit_event SET actor_name = 'Someone Else' WHERE id = :id",
                   {"id": victim["id"]}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq, p.event_id) for p in report.problems] == [("edited", 6, victim["id"])]
    assert "were changed" in report.problems[0].message
    found_everywhere(world, capsys, "edited")


def test_an_edit_of_the_newest_event_is_named(world, capsys):
    last = own_rows(world.ws)[-1]
    sql(world.ws, ("UPDATE audit_event SET reason = 'nothing to see' WHERE id = :id",
                   {"id": last["id"]}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("edited", last["seq"])]
    found_everywhere(world, capsys, "edited")


def test_a_deleted_event_is_named(world, capsys):
    victim = own_rows(world.ws)[5]
    sql(world.ws, ("DELETE FROM audit_event WHERE id = :id", {"id": victim["id"]}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("deleted", 6)]
    assert "#6 is missing" in report.problems[0].message
    found_everywhere(world, capsys, "deleted")


# -- rewrites of many rows -------------------------------------------------------------------


@pytest.mark.parametrize("formula", ["hmac", "sha256"])
def test_an_edit_with_every_later_hash_recomputed_is_named(world, capsys, formula):
    """The attack the unkeyed chain could not see: change #6, recompute every hash after
    it and the head. Without the secret the recomputed MACs are wrong from #6 on, and the
    head kept outside the file no longer matches."""
    events = own_rows(world.ws)
    sql(world.ws, ("UPDATE audit_event SET actor_name = 'Someone Else' WHERE seq = 6", {}))
    rechain(world.ws, 6, formula=formula)
    report = world.ws.verify_audit()
    named = {(p.kind, p.seq) for p in report.problems}
    assert ("rewritten", 6) in named
    assert ("anchor_mismatch", events[-1]["seq"]) in named
    assert ("head_rewritten", events[-1]["seq"]) in named
    message = next(p.message for p in report.problems if p.kind == "rewritten")
    assert f"#6–#{events[-1]['seq']}" in message
    found_everywhere(world, capsys, "rewritten", "anchor_mismatch")


def test_deleting_the_newest_events_and_rewriting_the_head_is_found(world, capsys):
    events = own_rows(world.ws)
    last, keep = events[-1], events[-3]
    sql(world.ws, ("DELETE FROM audit_event WHERE seq > :s", {"s": keep["seq"]}),
        ("UPDATE audit_head SET seq = :s, hash = :h WHERE device_id = :d",
         {"s": keep["seq"], "h": keep["hash"], "d": keep["device_id"]}))
    report = world.ws.verify_audit()
    named = {p.kind for p in report.problems}
    assert named == {"deleted", "head_rewritten"}
    deleted = next(p for p in report.problems if p.kind == "deleted")
    assert f"#{keep['seq'] + 1}–#{last['seq']} are missing from the end" in deleted.message
    assert "recorded outside the file" in deleted.message
    # The administrator's sign-in wrote over the gap (the file's head said to): the events
    # now at those places are not the ones recorded outside, and the head was changed.
    found_everywhere(world, capsys, "deleted", "head_rewritten",
                     admin=("anchor_mismatch", "head_rewritten"))
    assert {p.kind for p in world.ws.verify_audit().problems} == {"anchor_mismatch",
                                                                  "head_rewritten"}


def test_the_head_put_back_from_an_older_copy_is_still_found(world, capsys, tmp_path):
    """The intruder keeps an old copy of the file; later they cut the chain back to it and
    put that copy's head row (with its valid MAC) back. The file is consistent in itself;
    only the head kept outside it can tell."""
    old_head = head(world.ws)
    world.login("admin").admin.create_team("Made later", "justice")
    sql(world.ws, ("DELETE FROM audit_event WHERE seq > :s", {"s": old_head["seq"]}),
        ("UPDATE audit_head SET seq = :seq, hash = :hash, mac = :mac WHERE device_id = :d",
         {**old_head, "d": old_head["device_id"]}))
    report = world.ws.verify_audit()
    assert [p.kind for p in report.problems] == ["deleted"]
    found_everywhere(world, capsys, "deleted")


def test_continuing_past_a_truncation_never_moves_the_outside_head_over_it(world, capsys):
    events = own_rows(world.ws)
    keep = events[-4]
    sql(world.ws, ("DELETE FROM audit_event WHERE seq > :s", {"s": keep["seq"]}),
        ("UPDATE audit_head SET seq = :s, hash = :h WHERE device_id = :d",
         {"s": keep["seq"], "h": keep["hash"], "d": keep["device_id"]}))
    world.reopen()
    admin = world.login("admin")
    for i in range(6):  # well past where the chain had reached
        admin.admin.create_team(f"Later {i}", "justice")
    report = world.ws.verify_audit()
    assert "anchor_mismatch" in {p.kind for p in report.problems}
    found_everywhere(world, capsys, "anchor_mismatch")


def test_rewriting_only_the_head_row_is_named(world, capsys):
    h = head(world.ws)
    sql(world.ws, ("UPDATE audit_head SET seq = :s WHERE device_id = :d",
                   {"s": h["seq"] - 2, "d": h["device_id"]}))
    report = world.ws.verify_audit()
    assert {p.kind for p in report.problems} == {"head_rewritten", "inserted"}
    found_everywhere(world, capsys, "head_rewritten")


def test_reordered_events_are_named(world, capsys):
    events = own_rows(world.ws)
    a, b = events[4], events[5]
    sql(world.ws, *[("UPDATE audit_event SET seq = :s WHERE id = :id", p) for p in (
        {"s": 100000, "id": a["id"]}, {"s": a["seq"], "id": b["id"]}, {"s": b["seq"], "id": a["id"]})])
    report = world.ws.verify_audit()
    assert [(p.kind, p.event_id) for p in report.problems] == [
        ("reordered", b["id"]), ("reordered", a["id"])]
    assert f"was written as event #{b['seq']}" in report.problems[0].message
    found_everywhere(world, capsys, "reordered")


def test_events_moved_in_time_are_named_as_edited(world, capsys):
    """Reordering by timestamp (what the trail is shown by) changes `at`, which is MAC'd."""
    from datetime import timedelta

    events = own_rows(world.ws)
    earlier = events[8]["at"].replace(tzinfo=None) - timedelta(days=3)
    sql(world.ws, ("UPDATE audit_event SET at = :at WHERE id = :id",
                   {"at": earlier, "id": events[8]["id"]}))
    report = world.ws.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("edited", 9)]
    found_everywhere(world, capsys, "edited")


def test_an_inserted_event_is_named(world, capsys):
    """A forged event after #5, with a MAC made with a key of the intruder's own, and the
    later events renumbered to make room: the forgery is named, and so is the renumbering."""
    events = own_rows(world.ws)
    fifth = events[4]
    forged = {**fifth, "id": "forged-event", "seq": 6, "actor_id": None,
              "actor_name": "Intruder", "action": "login", "detail": "{}",
              "prev_hash": fifth["hash"]}
    forged["hash"] = guessed_mac(forged, secrets.token_bytes(32))
    sql(world.ws, *renumber(5, 1), insert_row(forged))
    assert len(own_rows(world.ws)) == len(events) + 1
    report = world.ws.verify_audit()
    named = {(p.kind, p.event_id) for p in report.problems}
    assert ("inserted", "forged-event") in named
    assert "reordered" in {p.kind for p in report.problems}
    assert "deleted" not in {p.kind for p in report.problems}
    found_everywhere(world, capsys, "inserted")


def test_an_event_added_at_the_end_is_named(world, capsys):
    last = own_rows(world.ws)[-1]
    forged = {**last, "id": "forged-last", "seq": last["seq"] + 1, "actor_name": "Intruder",
              "prev_hash": last["hash"]}
    forged["hash"] = guessed_mac(forged, secrets.token_bytes(32))
    sql(world.ws, insert_row(forged),
        ("UPDATE audit_head SET seq = :s, hash = :h WHERE device_id = :d",
         {"s": forged["seq"], "h": forged["hash"], "d": last["device_id"]}))
    report = world.ws.verify_audit()
    assert ("inserted", "forged-last") in {(p.kind, p.event_id) for p in report.problems}
    found_everywhere(world, capsys, "inserted")


def test_a_deletion_hidden_by_renumbering_is_named(world, capsys):
    events = own_rows(world.ws)
    sql(world.ws, ("DELETE FROM audit_event WHERE id = :id", {"id": events[5]["id"]}),
        *renumber(6, -1))
    report = world.ws.verify_audit()
    named = [(p.kind, p.seq) for p in report.problems]
    assert ("deleted", 6) in named and "reordered" in {k for k, _ in named}
    assert "renumbered to hide the gap" in next(p.message for p in report.problems
                                                if p.kind == "deleted")
    found_everywhere(world, capsys, "deleted", "reordered")


def test_a_whole_forged_device_chain_with_its_own_head_is_named(world, capsys):
    """Another device's chain, made from scratch with a head row of its own: it could pass
    for events synced from another laptop, but Casework did not write it."""
    template = own_rows(world.ws)[3]
    prev, statements = GENESIS, []
    key = secrets.token_bytes(32)
    for seq in range(1, 6):
        ev = {**template, "id": f"forged-{seq}", "device_id": "other-laptop", "seq": seq,
              "actor_name": "Nobody", "prev_hash": prev}
        ev["hash"] = guessed_mac(ev, key)
        prev = ev["hash"]
        statements.append(insert_row(ev))
    statements.append(("INSERT INTO audit_head (device_id, seq, hash, keyed_from, mac) "
                       "VALUES ('other-laptop', 5, :h, 1, :m)",
                       {"h": prev, "m": secrets.token_hex(32)}))
    sql(world.ws, *statements)
    report = world.ws.verify_audit()
    assert [(p.kind, p.device_id) for p in report.problems] == [("forged_chain", "other-laptop")]
    assert report.devices == 2
    found_everywhere(world, capsys, "forged_chain")


def test_a_forged_unkeyed_device_chain_is_named(world, capsys):
    """The same, made with the old unkeyed formula (which an intruder can compute)."""
    template = own_rows(world.ws)[3]
    prev, statements = GENESIS, []
    for seq in range(1, 4):
        ev = {**template, "id": f"old-style-{seq}", "device_id": "old-laptop", "seq": seq,
              "prev_hash": prev}
        ev["hash"] = legacy_hash(ev)
        prev = ev["hash"]
        statements.append(insert_row(ev))
    statements.append(("INSERT INTO audit_head (device_id, seq, hash) VALUES ('old-laptop', 3, :h)",
                       {"h": prev}))
    sql(world.ws, *statements)
    report = world.ws.verify_audit()
    assert [(p.kind, p.device_id) for p in report.problems] == [("forged_chain", "old-laptop")]
    found_everywhere(world, capsys, "forged_chain")


@pytest.mark.parametrize("guard", ["left lifted", "put back"])
def test_dropping_the_trigger_and_rewriting_the_trail_is_named(world, capsys, guard):
    """Lift the insert-only trigger, rewrite every event (here: every actor renamed) and
    recompute the whole chain and its head with the old formula. Putting the trigger back
    hides only that it was lifted."""
    events = own_rows(world.ws)
    sql(world.ws, ("UPDATE audit_event SET actor_name = 'Nobody'", {}),
        restore_guard=guard == "put back")
    rechain(world.ws, 1, formula="sha256")
    if guard == "left lifted":
        with world.ws.db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    report = world.ws.verify_audit()
    named = {(p.kind, p.seq) for p in report.problems}
    assert ("rewritten", 1) in named and ("anchor_mismatch", events[-1]["seq"]) in named
    assert (("guard_removed", None) in named) == (guard == "left lifted")
    expected = ["rewritten", "anchor_mismatch"] + (["guard_removed"] if guard == "left lifted" else [])
    found_everywhere(world, capsys, *expected)


def test_an_event_replaced_from_another_copy_is_named(world, capsys, tmp_path):
    """An authentic event taken from an older copy (its MAC is valid) put in place of the
    one written since at that number."""
    import shutil

    world.ws.close()
    shutil.copyfile(world.path, tmp_path / "older-copy.db")
    world.reopen()
    admin = world.login("admin")  # the copy's next event would be a different one
    admin.admin.create_team("After the copy", "justice")
    from casework.services import open_workspace

    older = open_workspace(tmp_path / "older-copy.db", key=world.ws.key,
                           credentials=KeyringStore(), clock=world.clock)
    older.login("admin", "admin-password-1")  # written at the same number in the copy
    copy_event = own_rows(older)[-1]
    older.close()
    live = {r["seq"]: r for r in own_rows(world.ws)}[copy_event["seq"]]
    assert live["hash"] != copy_event["hash"]
    sql(world.ws, ("DELETE FROM audit_event WHERE id = :id", {"id": live["id"]}),
        insert_row(copy_event))
    report = world.ws.verify_audit()
    assert ("broken_link", copy_event["seq"] + 1) in {(p.kind, p.seq) for p in report.problems}
    found_everywhere(world, capsys, "broken_link")


# -- what verification itself records ---------------------------------------------------------


def test_refusals_are_in_the_chain(world):
    from casework import dto
    from refusals import assert_refused

    pp = world.login("pp.north")
    assert_refused(world, pp, lambda: pp.cases.page(dto.CaseQuery()), "view_own_caseload",
                   "role_not_permitted")
    last = own_rows(world.ws)[-1]
    assert (last["action"], last["outcome"], last["reason"]) == (
        "view_own_caseload", "refused", "role_not_permitted")
    assert world.ws.verify_audit().ok


def test_verification_by_an_administrator_is_itself_audited(world):
    report = world.login("admin").audit.verify()
    assert report.ok
    last = own_rows(world.ws)[-1]
    assert last["action"] == "verify_audit"
    assert json.loads(last["detail"])["problems"] == 0


def test_rows_of_every_device_are_counted(world):
    with world.ws.db.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM audit_event")).scalar()
    assert world.ws.verify_audit().events_checked == total == len(rows(world.ws))


# -- the command line with a passphrase -------------------------------------------------------


def test_verify_audit_asks_for_the_passphrase_and_finds_a_truncation(tmp_path, capsys,
                                                                     monkeypatch):
    """Where there is no keychain the passphrase gives the audit secret too; verify-audit
    already asks for it. A truncation is exit status 4."""
    from audit_tamper import cli_verify
    from casework import cli
    from casework.services import create_workspace, open_workspace

    path, passphrase = tmp_path / "ws.db", "a passphrase of some length"
    ws = create_workspace(path, name="W", admin_username="admin",
                          admin_password="admin-password-1", passphrase=passphrase)
    admin = ws.login("admin", "admin-password-1")
    for i in range(3):
        admin.admin.create_team(f"Team {i}", "justice")
    ws.close()
    monkeypatch.setenv("CASEWORK_PASSPHRASE", passphrase)
    assert cli_verify(path, capsys) == (0, [])
    ws = open_workspace(path, passphrase=passphrase)
    keep = own_rows(ws)[-3]
    sql(ws, ("DELETE FROM audit_event WHERE seq > :s", {"s": keep["seq"]}),
        ("UPDATE audit_head SET seq = :s, hash = :h WHERE device_id = :d",
         {"s": keep["seq"], "h": keep["hash"], "d": keep["device_id"]}))
    ws.close()
    code, problems = cli_verify(path, capsys)
    assert code == cli.EXIT_TAMPERED
    assert any(p.startswith("[deleted]") and "missing from the end" in p for p in problems)
    monkeypatch.setenv("CASEWORK_PASSPHRASE", "not the passphrase")
    assert cli.main(["verify-audit", "--workspace", str(path)]) == cli.EXIT_ERROR


def test_verify_audit_without_the_secret_says_so(world, capsys):
    from casework import cli

    del world.keychain.items[("Casework", audit_secret_name(world.ws.info.workspace_id))]
    assert cli.main(["verify-audit", "--workspace", str(world.path)]) == cli.EXIT_ERROR
    assert "audit secret is not in this computer's keychain" in capsys.readouterr().err
