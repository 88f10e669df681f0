"""What a read needs to stay cheap: a token that changes with every change to staff, their
accreditations or teams (so that services keep the actors they have loaded until it does),
and an index of case-file openings (so that "did this person open this case today" is one
seek, however many times the case was opened).

The token is written by triggers in the database itself, in the transaction that makes the
change, whoever makes it: this app, another process on the same file, a sync.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 20:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables an actor is read from (casework.services.base.actor_from).
ACTOR_TABLES = ("staff", "staff_accreditation", "team")
CASE_OPENED = "action = 'view_case' AND outcome = 'done'"


def upgrade() -> None:
    op.create_table(
        'staff_epoch',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_epoch')),
    )
    if op.get_bind().dialect.name == "sqlite":
        new_token = "lower(hex(randomblob(16)))"
        op.execute(f"INSERT INTO staff_epoch (id, token) VALUES (1, {new_token})")
        for table in ACTOR_TABLES:
            for verb in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_{verb.lower()}_new_staff_epoch AFTER {verb} ON "
                    f"{table} BEGIN UPDATE staff_epoch SET token = {new_token} "
                    f"WHERE id = 1; END"
                )
    else:
        op.execute("INSERT INTO staff_epoch (id, token) VALUES (1, gen_random_uuid()::text)")
        op.execute(
            "CREATE FUNCTION casework_new_staff_epoch() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN UPDATE staff_epoch SET token = gen_random_uuid()::text WHERE id = 1; "
            "RETURN NULL; END $$"
        )
        for table in ACTOR_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_new_staff_epoch AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION casework_new_staff_epoch()"
            )
    # A plain CREATE INDEX: the table is not rebuilt, so its insert-only triggers stay.
    op.create_index('ix_audit_event_case_views', 'audit_event',
                    ['entity_id', 'actor_id', 'at'], unique=False,
                    sqlite_where=sa.text(CASE_OPENED), postgresql_where=sa.text(CASE_OPENED))


def downgrade() -> None:
    op.drop_index('ix_audit_event_case_views', table_name='audit_event')
    if op.get_bind().dialect.name == "sqlite":
        for table in ACTOR_TABLES:
            for verb in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{verb}_new_staff_epoch")
    else:
        for table in ACTOR_TABLES:
            op.execute(f"DROP TRIGGER {table}_new_staff_epoch ON {table}")
        op.execute("DROP FUNCTION casework_new_staff_epoch()")
    op.drop_table('staff_epoch')
