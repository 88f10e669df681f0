"""Index case notes by the note they correct: listing a case's notes asks, for each one,
whether a later note corrects it, which without this index read every note in the file.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain CREATE INDEX: the table is not rebuilt, so its insert-only triggers stay.
    op.create_index(op.f('ix_case_note_corrects_id'), 'case_note', ['corrects_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_case_note_corrects_id'), table_name='case_note')
