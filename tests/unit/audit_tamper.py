"""What an intruder with a workspace file and its key (but not the audit secret) can do to
its audit trail, done the way they would: SQL on the file, past the insert-only triggers,
with the hashes recomputed by every formula they could know. And the three places that
verify a trail: Workspace.verify_audit(), `casework-admin verify-audit`, and the admin
page's service (me.audit.verify())."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from sqlalchemy import select, text

from casework import cli
from casework.models import AuditEvent
from casework.services.audit import keyed_message, legacy_hash

TRIGGERS = {
    "audit_event_no_update": "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                             "BEGIN SELECT RAISE(ABORT, 'insert-only table: write a new row "
                             "instead'); END",
    "audit_event_no_delete": "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                             "BEGIN SELECT RAISE(ABORT, 'insert-only table: write a new row "
                             "instead'); END",
}


def rows(ws, device: str | None = None) -> list[dict[str, Any]]:
    table = AuditEvent.__table__
    stmt = select(table).order_by(table.c.device_id, table.c.seq)
    if device is not None:
        stmt = stmt.where(table.c.device_id == device)
    with ws.db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def own_rows(ws) -> list[dict[str, Any]]:
    return rows(ws, ws.info.device_id)


def head(ws) -> dict[str, Any]:
    with ws.db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM audit_head WHERE device_id = :d"),
                                 {"d": ws.info.device_id}).mappings().one())


def sql(ws, *statements: tuple[str, dict] | str, restore_guard: bool = True) -> None:
    """Run statements on the file with the insert-only triggers lifted; put them back after,
    unless `restore_guard` is False (a careless intruder)."""
    with ws.db.engine.begin() as conn:
        for name in TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        for statement in statements:
            stmt, params = (statement, {}) if isinstance(statement, str) else statement
            conn.execute(text(stmt), params)
        if restore_guard:
            for ddl in TRIGGERS.values():
                conn.exec_driver_sql(ddl)


def guessed_mac(values: dict[str, Any], key: bytes) -> str:
    """The intruder's best effort at a keyed MAC: the right formula, a key of their own."""
    return hmac.new(key, keyed_message(values), hashlib.sha256).hexdigest()


def rechain(ws, from_seq: int, *, formula: str = "hmac", device: str | None = None,
            set_head: bool = True) -> None:
    """Recompute `prev_hash` and `hash` of every event from `from_seq` on, as an intruder
    hiding a change would: with the old unkeyed SHA-256 ('sha256'), or HMAC with a key of
    their own ('hmac'); then point `audit_head` at the new last event, its MAC guessed."""
    device = device or ws.info.device_id
    key = secrets.token_bytes(32)
    chain = rows(ws, device)
    prev = next((r["hash"] for r in chain if r["seq"] == from_seq - 1), "0" * 64)
    updates = []
    for r in chain:
        if r["seq"] < from_seq:
            continue
        r["prev_hash"] = prev
        r["hash"] = legacy_hash(r) if formula == "sha256" else guessed_mac(r, key)
        prev = r["hash"]
        updates.append(("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id",
                        {"p": r["prev_hash"], "h": r["hash"], "id": r["id"]}))
    if set_head:
        last = max((r for r in chain), key=lambda r: r["seq"])
        updates.append(("UPDATE audit_head SET seq = :s, hash = :h, mac = :m WHERE device_id = :d",
                        {"s": last["seq"], "h": last["hash"], "m": secrets.token_hex(32),
                         "d": device}))
    sql(ws, *updates)


def insert_row(values: dict[str, Any]) -> tuple[str, dict]:
    cols = ", ".join(values)
    params = ", ".join(f":{c}" for c in values)
    return f"INSERT INTO audit_event ({cols}) VALUES ({params})", {
        **values, "at": values["at"].replace(tzinfo=None)}


def renumber(after: int, by: int) -> list[tuple[str, dict]]:
    """Shift every event after `after` by `by` places (through a free range: seq is unique)."""
    return [("UPDATE audit_event SET seq = seq + 100000 WHERE seq > :a", {"a": after}),
            ("UPDATE audit_event SET seq = seq - 100000 + :by WHERE seq > 100000", {"by": by})]


# -- verifying in every place ----------------------------------------------------------------


def cli_verify(path, capsys) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = cli.main(["verify-audit", "--workspace", str(path)])
    out = capsys.readouterr().out
    return code, [line[2:] for line in out.splitlines() if line.startswith("- [")]


def verified_everywhere(world, capsys) -> dict[str, list[tuple[str, int | None]]]:
    """(kind, seq) of every problem found by each place that verifies: the workspace, the
    command line (its exit status checked here), and the administrator's service. The
    administrator's check runs last: signing in adds an event to the trail."""
    report = world.ws.verify_audit()
    found = {"workspace": [(p.kind, p.seq) for p in report.problems]}
    code, lines = cli_verify(world.path, capsys)
    assert code == (cli.EXIT_TAMPERED if report.problems else 0), lines
    found["cli"] = [(line[1:line.index("]")], None) for line in lines]
    admin = world.login("admin").audit.verify()
    found["admin"] = [(p.kind, p.seq) for p in admin.problems]
    return found


def kinds(found: dict[str, list[tuple[str, int | None]]]) -> dict[str, set[str]]:
    return {door: {k for k, _ in problems} for door, problems in found.items()}


def detail(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(row["detail"])
