"""The audit trail's tables. How the chain is keyed, sealed and checked is in
casework/services/audit.py; these are only the rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import ID, Base, new_id

# The successful openings of case files, the only events `case_views` indexes: a query
# uses that index only when it says the same, in these words (constants, not parameters).
CASE_OPENED = "action = 'view_case' AND outcome = 'done'"


class AuditEvent(Base):
    """Insert-only, chained per device. For an event at or after its chain's `keyed_from`,
    `hash` is an HMAC over every stored field and `prev_hash` (the MAC of the event before);
    older events, written before the chain was keyed, carry a plain SHA-256 there."""

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        # Whether someone opened a case file today is one seek, however often it was opened.
        Index("ix_audit_event_case_views", "entity_id", "actor_id", "at",
              sqlite_where=text(CASE_OPENED), postgresql_where=text(CASE_OPENED)),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    device_id: Mapped[str] = mapped_column(ID)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(ID, index=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(ID, index=True)
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last event of each device's chain, inside the file. Appends lock this row.
    `keyed_from` is the first keyed event (1 for a chain keyed from the start, the seal
    event for one that began unkeyed; NULL for a chain not yet keyed); `mac` seals the row
    itself. The same head is also kept outside the file (casework/audit_vault.py)."""

    __tablename__ = "audit_head"

    device_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    keyed_from: Mapped[int | None] = mapped_column(Integer)
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditKeyParams(Base):
    """One row, only where the audit secret is derived from a passphrase: the KDF, its
    costs and salt (never the secret). Its absence means the secret is kept in a keychain."""

    __tablename__ = "audit_key_params"

    id: Mapped[int] = mapped_column(primary_key=True)
    kdf: Mapped[str] = mapped_column(String(200))
