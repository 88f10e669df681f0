"""The keyed audit trail of a workspace on PostgreSQL (the team hub): its secret is kept in
the keychain of the computer that created it, or derived from a passphrase, never in the
database; tampering through SQL is found as on a file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from casework.audit_vault import AuditSecretMissing
from casework.models.audit import AuditKeyParams
from casework.secrets import MemoryStore, audit_secret_name
from casework.services import create_workspace, open_workspace

ADMIN_PASSWORD = "admin-password-1"
PASSPHRASE = "the hub's audit passphrase"


def url_of(pg_engine) -> str:
    return pg_engine.url.render_as_string(hide_password=False)


def test_a_hub_keeps_its_audit_secret_in_the_keychain_and_verifies(pg_engine):
    store = MemoryStore()
    ws = create_workspace(url_of(pg_engine), name="Hub", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, credentials=store)
    try:
        secret = store.get(audit_secret_name(ws.info.workspace_id))
        assert secret and len(secret) == 64
        with ws.db.engine.connect() as conn:
            dumped = str(conn.execute(text("SELECT * FROM audit_event")).all())
            dumped += str(conn.execute(text("SELECT * FROM audit_head")).all())
        assert secret not in dumped
        admin = ws.login("admin", ADMIN_PASSWORD)
        admin.admin.create_team("North Adult Team", "adult_community_care")
        assert ws.verify_audit().ok and ws.verify_audit().notes == ()
    finally:
        ws.close()
    ws = open_workspace(url_of(pg_engine), credentials=store)
    try:
        assert ws.verify_audit().ok
    finally:
        ws.close()


def test_a_hub_without_a_keychain_or_passphrase_is_not_created(pg_engine):
    with pytest.raises(AuditSecretMissing, match="no keychain"):
        create_workspace(url_of(pg_engine), name="Hub", admin_username="admin",
                         admin_password=ADMIN_PASSWORD, credentials=MemoryStore(available=False))


def test_a_hub_may_derive_its_secret_from_a_passphrase(pg_engine):
    no_keychain = MemoryStore(available=False)
    ws = create_workspace(url_of(pg_engine), name="Hub", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, passphrase=PASSPHRASE,
                          credentials=no_keychain)
    try:
        with ws.db.read() as s:
            assert s.get(AuditKeyParams, 1).kdf.startswith("argon2id$")
        ws.login("admin", ADMIN_PASSWORD)
    finally:
        ws.close()
    with pytest.raises(AuditSecretMissing, match="give the passphrase"):
        open_workspace(url_of(pg_engine), credentials=no_keychain)
    ws = open_workspace(url_of(pg_engine), passphrase=PASSPHRASE, credentials=no_keychain)
    try:
        assert ws.verify_audit().ok
    finally:
        ws.close()


def test_tampering_on_the_hub_is_named_and_wrong_types_verify(pg_engine):
    store = MemoryStore()
    ws = create_workspace(url_of(pg_engine), name="Hub", admin_username="admin",
                          admin_password=ADMIN_PASSWORD, credentials=store)
    try:
        admin = ws.login("admin", ADMIN_PASSWORD)
        team = admin.admin.create_team("North Adult Team", "adult_community_care")
        from casework import dto

        admin.admin.create_staff(dto.StaffInput(username="pp.one", display_name="Para One",
                                                role="para_professional", team_id=team.id),
                                 "temporary-pass-1")
        ws.login("pp.one", "temporary-pass-1")
        with ws.db.write() as s:  # values of the wrong types: PostgreSQL refuses an integer
            ws._ctx.audit(s, None, "manage_teams", outcome="refused", actor_name="Para One",
                          reason="role_not_permitted", entity_type="team", entity_id=5,
                          detail={"on": date(2026, 1, 2), "amount": Decimal("1.50"),
                                  "nul": "a\x00b"})
        assert ws.verify_audit().ok
        with ws.db.engine.begin() as conn:
            last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar()
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_insert_only")
            conn.execute(text("DELETE FROM audit_event WHERE seq > :s"), {"s": last - 2})
            keep = conn.execute(text("SELECT hash FROM audit_event WHERE seq = :s"),
                                {"s": last - 2}).scalar()
            conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"),
                         {"s": last - 2, "h": keep})
            conn.exec_driver_sql("ALTER TABLE audit_event ENABLE TRIGGER audit_event_insert_only")
        report = ws.verify_audit()
        assert {p.kind for p in report.problems} == {"deleted", "head_rewritten"}
    finally:
        ws.close()
