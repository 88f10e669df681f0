"""Text columns hold text: bytes that reached a text column before input was checked at the
service boundary become the text they spell (a byte that is not UTF-8 becomes U+FFFD), and a
person's folded name key longer than its column is cut to fit. Nothing else changes.

SQLite keeps whatever type a value arrives as, so a script that sent bytes left values
that made every later read of that record fail; PostgreSQL never took them. The history
tables' insert-only triggers are set aside for the repair and put back as they were. The
audit trail is not touched: no event could be written with bytes in it, and rewriting one
would break its chain.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 21:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME_KEY = 201  # casework.fields.NAME_KEY when this was written
_NOT_REPAIRED = {"audit_event", "audit_head", "alembic_version"}


def upgrade() -> None:
    bind = op.get_bind()
    op.execute(sa.text(f"UPDATE person SET name_key = substr(name_key, 1, {NAME_KEY}) "
                       f"WHERE length(name_key) > {NAME_KEY}"))
    if bind.dialect.name != "sqlite":
        return
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        if table in _NOT_REPAIRED:
            continue
        columns = [c["name"] for c in inspector.get_columns(table)
                   if isinstance(c["type"], sa.String)]
        blobs = " OR ".join(f'typeof("{c}") = \'blob\'' for c in columns)
        if not columns or not bind.execute(sa.text(
                f'SELECT 1 FROM "{table}" WHERE {blobs} LIMIT 1')).first():
            continue
        triggers = bind.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table}).all()
        for name, _sql in triggers:
            op.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for c in columns:
            found = bind.execute(sa.text(
                f'SELECT rowid, "{c}" FROM "{table}" WHERE typeof("{c}") = \'blob\'')).all()
            for rowid, value in found:
                # Read as UTF-8; a byte that is not becomes U+FFFD, so every read succeeds.
                bind.execute(sa.text(f'UPDATE "{table}" SET "{c}" = :v WHERE rowid = :r'),
                             {"v": bytes(value).decode("utf-8", "replace"), "r": rowid})
        for _name, sql in triggers:
            op.execute(sa.text(sql))


def downgrade() -> None:
    pass  # the repaired values are what the records always meant to hold
