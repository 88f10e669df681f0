"""Keyed audit chain: where each device's chain starts being keyed (HMAC) and a MAC over
its head row; the KDF settings of an audit secret derived from a passphrase.

Nothing is rewritten here: the events already in the file keep their SHA-256 chain, and
the app seals that history when it first opens the file with its audit secret (see
casework/services/audit_seal.py). Columns are added with plain ALTER TABLE ... ADD COLUMN,
so no table is rebuilt and the insert-only triggers on audit_event stay as they are.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 09:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('audit_head', sa.Column('keyed_from', sa.Integer(), nullable=True))
    op.add_column('audit_head', sa.Column('mac', sa.String(length=64), nullable=True))
    op.create_table('audit_key_params',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kdf', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_key_params'))
    )


def downgrade() -> None:
    op.drop_table('audit_key_params')
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
        batch_op.drop_column('keyed_from')
