"""Casework records: key people and carers, assessments with contributions, plan outcomes
with actions and reviews that rate them; referral and closing details on cases; who a contact
was with on notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:39:17.869846
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('key_person',
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('relationship', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('lives_with_person', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('support_plan', sa.String(length=16), nullable=True),
    sa.Column('support_plan_review_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_key_person_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_person'))
    )
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_person_team_id'), ['team_id'], unique=False)

    op.create_table('assessment',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('carer_id', sa.String(length=36), nullable=True),
    sa.Column('risk_level', sa.String(length=16), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('needs', sa.Text(), nullable=True),
    sa.Column('risks', sa.Text(), nullable=True),
    sa.Column('outcomes_wanted', sa.Text(), nullable=True),
    sa.Column('analysis', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('drafter_id', sa.String(length=36), nullable=True),
    sa.Column('signed_off_by', sa.String(length=36), nullable=True),
    sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['carer_id'], ['key_person.id'], name=op.f('fk_assessment_carer_id_key_person')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_assessment_case_id_case_file')),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_assessment_created_by_staff')),
    sa.ForeignKeyConstraint(['drafter_id'], ['staff.id'], name=op.f('fk_assessment_drafter_id_staff')),
    sa.ForeignKeyConstraint(['signed_off_by'], ['staff.id'], name=op.f('fk_assessment_signed_off_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_case_started', ['case_id', 'started_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_drafter_id'), ['drafter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_team_id'), ['team_id'], unique=False)

    op.create_table('plan_outcome',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_plan_outcome_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_outcome'))
    )
    with op.batch_alter_table('plan_outcome', schema=None) as batch_op:
        batch_op.create_index('ix_plan_outcome_case_position', ['case_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_outcome_team_id'), ['team_id'], unique=False)

    op.create_table('plan_review',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('reviewer_id', sa.String(length=36), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_plan_review_case_id_case_file')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['staff.id'], name=op.f('fk_plan_review_reviewer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review'))
    )
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.create_index('ix_plan_review_case_held', ['case_id', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_review_team_id'), ['team_id'], unique=False)

    op.create_table('assessment_contribution',
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('contributor', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key_person_id', sa.String(length=36), nullable=True),
    sa.Column('staff_id', sa.String(length=36), nullable=True),
    sa.Column('contribution', sa.Text(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_contribution_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['key_person_id'], ['key_person.id'], name=op.f('fk_assessment_contribution_key_person_id_key_person')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_assessment_contribution_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_contribution'))
    )
    with op.batch_alter_table('assessment_contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_contribution_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_contribution_team_id'), ['team_id'], unique=False)

    op.create_table('outcome_rating',
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('outcome_id', sa.String(length=36), nullable=False),
    sa.Column('rating', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['outcome_id'], ['plan_outcome.id'], name=op.f('fk_outcome_rating_outcome_id_plan_outcome')),
    sa.ForeignKeyConstraint(['review_id'], ['plan_review.id'], name=op.f('fk_outcome_rating_review_id_plan_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_rating'))
    )
    with op.batch_alter_table('outcome_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_rating_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_rating_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_rating_team_id'), ['team_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('outcome_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_staff_id', sa.String(length=36), nullable=True),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['outcome_id'], ['plan_outcome.id'], name=op.f('fk_plan_action_outcome_id_plan_outcome')),
    sa.ForeignKeyConstraint(['owner_staff_id'], ['staff.id'], name=op.f('fk_plan_action_owner_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_action_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('band_target_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('referral_source', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('referral_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closing_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_file_closed_by_staff'), 'staff', ['closed_by'], ['id'])

    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_with', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('case_note', schema=None) as batch_op:
        batch_op.drop_column('contact_with')

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_file_closed_by_staff'), type_='foreignkey')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closing_summary')
        batch_op.drop_column('referral_reason')
        batch_op.drop_column('referral_source')
        batch_op.drop_column('band_target_on')

    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_team_id'))
        batch_op.drop_index(batch_op.f('ix_plan_action_outcome_id'))

    op.drop_table('plan_action')
    with op.batch_alter_table('outcome_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_rating_team_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_rating_review_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_rating_outcome_id'))

    op.drop_table('outcome_rating')
    with op.batch_alter_table('assessment_contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_contribution_team_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_contribution_assessment_id'))

    op.drop_table('assessment_contribution')
    with op.batch_alter_table('plan_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_review_team_id'))
        batch_op.drop_index('ix_plan_review_case_held')

    op.drop_table('plan_review')
    with op.batch_alter_table('plan_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_outcome_team_id'))
        batch_op.drop_index('ix_plan_outcome_case_position')

    op.drop_table('plan_outcome')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_team_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_drafter_id'))
        batch_op.drop_index('ix_assessment_case_started')

    op.drop_table('assessment')
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_key_person_person_id'))

    op.drop_table('key_person')
