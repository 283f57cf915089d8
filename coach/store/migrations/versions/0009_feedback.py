"""Feedback as evidence: each piece of feedback linked to a competency level, with its words as the citation.

Revision ID: 0009_feedback
Revises: 0008_opportunities
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_feedback'
down_revision = '0008_opportunities'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_evidence',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('competency_id', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('polarity', sa.String(length=8), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level >= 1 AND level <= 5', name=op.f('ck_feedback_evidence_level')),
    sa.CheckConstraint("polarity IN ('for', 'against')", name=op.f('ck_feedback_evidence_polarity')),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_feedback_evidence_employee_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_evidence'))
    )
    op.create_index(op.f('ix_feedback_evidence_employee_id'), 'feedback_evidence', ['employee_id'], unique=False)
    op.create_index(op.f('ix_feedback_evidence_source'), 'feedback_evidence', ['source'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_feedback_evidence_source'), table_name='feedback_evidence')
    op.drop_index(op.f('ix_feedback_evidence_employee_id'), table_name='feedback_evidence')
    op.drop_table('feedback_evidence')
