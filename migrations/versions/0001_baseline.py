"""Baseline: workspace, teams and staff (with sign-in state), people and cases, allocation history, case notes,
the audit chain. Case notes, allocations and audit events are insert-only (triggers).

Revision ID: 0001
Revises:
Create Date: 2026-11-22 03:19:07.119110
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INSERT_ONLY_MESSAGE = "insert-only table: write a new row instead"


def _team_manager_fk() -> list[sa.ForeignKeyConstraint]:
    if op.get_bind().dialect.name != "sqlite":
        return []
    return [sa.ForeignKeyConstraint(['service_manager_id'], ['staff.id'],
                                    name=op.f('fk_team_service_manager_id_staff'))]


def _insert_only(*tables: str) -> None:
    """Refuse UPDATE and DELETE on history tables, in the database itself."""
    if op.get_bind().dialect.name == "sqlite":
        for t in tables:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{verb.lower()} BEFORE {verb} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{INSERT_ONLY_MESSAGE}'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION casework_insert_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{INSERT_ONLY_MESSAGE}'; END $$"
    )
    for t in tables:
        op.execute(
            f"CREATE TRIGGER {t}_insert_only BEFORE UPDATE OR DELETE ON {t} "
            "FOR EACH ROW EXECUTE FUNCTION casework_insert_only()"
        )


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=True),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('device_id', 'seq', name=op.f('uq_audit_event_device_id'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_entity_id'), ['entity_id'], unique=False)

    op.create_table('audit_head',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_audit_head'))
    )
    op.create_table('person',
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=201), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('chi', sa.String(length=10), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('communication_needs', sa.Text(), nullable=True),
    sa.Column('contact_preference', sa.String(length=200), nullable=True),
    sa.Column('what_matters', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_chi'), ['chi'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_team_id'), ['team_id'], unique=False)

    op.create_table('reserved_rule',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('accreditations', sa.String(length=200), nullable=False),
    sa.Column('min_pq_months', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reserved_rule')),
    sa.UniqueConstraint('code', name=op.f('uq_reserved_rule_code'))
    )
    with op.batch_alter_table('reserved_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reserved_rule_team_id'), ['team_id'], unique=False)

    op.create_table('team',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('service_area', sa.String(length=40), nullable=False),
    sa.Column('service_manager_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    *_team_manager_fk(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('name', name=op.f('uq_team_name'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_team_id'), ['team_id'], unique=False)

    op.create_table('workspace_info',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace_info'))
    )
    op.create_table('staff',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('fte_percent', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.String(length=36), nullable=True),
    sa.Column('sssc_number', sa.String(length=20), nullable=True),
    sa.Column('sssc_part', sa.String(length=32), nullable=True),
    sa.Column('sssc_expiry', sa.Date(), nullable=True),
    sa.Column('qualified_on', sa.Date(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['supervisor_id'], ['staff.id'], name=op.f('fk_staff_supervisor_id_staff')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_staff_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_team_id'), ['team_id'], unique=False)

    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(op.f('fk_team_service_manager_id_staff'), 'team', 'staff',
                              ['service_manager_id'], ['id'])

    op.create_table('sign_in_state',
    sa.Column('staff_id', sa.String(length=36), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_sign_in_state_staff_id_staff')),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_sign_in_state'))
    )
    op.create_table('case_file',
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('service_area', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('eligibility_band', sa.String(length=16), nullable=True),
    sa.Column('risk_level', sa.String(length=16), nullable=False),
    sa.Column('legal_status', sa.String(length=40), nullable=False),
    sa.Column('named_worker_id', sa.String(length=36), nullable=True),
    sa.Column('unallocated_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['named_worker_id'], ['staff.id'], name=op.f('fk_case_file_named_worker_id_staff')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_case_file_person_id_person')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_case_file_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_file_reference'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_case_file_team_status', ['team_id', 'status'], unique=False)
        batch_op.create_index('ix_case_file_team_unallocated', ['team_id', 'unallocated_since'], unique=False)
        batch_op.create_index('ix_case_file_worker_status', ['named_worker_id', 'status'], unique=False)

    op.create_table('staff_accreditation',
    sa.Column('staff_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_accreditation_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_accreditation')),
    sa.UniqueConstraint('staff_id', 'kind', name=op.f('uq_staff_accreditation_staff_id'))
    )
    with op.batch_alter_table('staff_accreditation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_accreditation_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_accreditation_team_id'), ['team_id'], unique=False)

    op.create_table('allocation',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('worker_id', sa.String(length=36), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('allocated_by', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['allocated_by'], ['staff.id'], name=op.f('fk_allocation_allocated_by_staff')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_allocation_case_id_case_file')),
    sa.ForeignKeyConstraint(['worker_id'], ['staff.id'], name=op.f('fk_allocation_worker_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index('ix_allocation_case_started', ['case_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_worker_id'), ['worker_id'], unique=False)

    op.create_table('case_note',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('note_type', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('significant', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('corrects_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], name=op.f('fk_case_note_author_id_staff')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_note_case_id_case_file')),
    sa.ForeignKeyConstraint(['corrects_id'], ['case_note.id'], name=op.f('fk_case_note_corrects_id_case_note')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.create_index('ix_case_note_case_occurred', ['case_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_note_team_id'), ['team_id'], unique=False)

    _insert_only('case_note', 'allocation', 'audit_event')


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_team_service_manager_id_staff'), 'team', type_='foreignkey')
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_note_team_id'))
        batch_op.drop_index('ix_case_note_case_occurred')

    op.drop_table('case_note')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_worker_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_team_id'))
        batch_op.drop_index('ix_allocation_case_started')

    op.drop_table('allocation')
    with op.batch_alter_table('staff_accreditation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_accreditation_team_id'))
        batch_op.drop_index(batch_op.f('ix_staff_accreditation_staff_id'))

    op.drop_table('staff_accreditation')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_worker_status')
        batch_op.drop_index('ix_case_file_team_unallocated')
        batch_op.drop_index('ix_case_file_team_status')
        batch_op.drop_index(batch_op.f('ix_case_file_team_id'))
        batch_op.drop_index(batch_op.f('ix_case_file_person_id'))

    op.drop_table('case_file')
    op.drop_table('sign_in_state')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_team_id'))

    op.drop_table('staff')
    op.drop_table('workspace_info')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_team_id'))

    op.drop_table('team')
    with op.batch_alter_table('reserved_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reserved_rule_team_id'))

    op.drop_table('reserved_rule')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_person_name_key'))
        batch_op.drop_index(batch_op.f('ix_person_chi'))

    op.drop_table('person')
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION casework_insert_only()")
