"""Refinement jobs: the LLM's background refinement of a summary, with its status and result.

Revision ID: 0003_refinement_jobs
Revises: 0001 (the lead re-chains it after 0002)
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003_refinement_jobs'
down_revision = '0002_security_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('refinement_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('note_id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('summary_json', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_refinement_jobs_status')),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_refinement_jobs_note_id_notes'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refinement_jobs'))
    )
    op.create_index(op.f('ix_refinement_jobs_note_id'), 'refinement_jobs', ['note_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_refinement_jobs_note_id'), table_name='refinement_jobs')
    op.drop_table('refinement_jobs')
