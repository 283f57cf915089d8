"""Opportunities and mentors: employees' interest in opportunities, and mentor profiles from the people file.

Revision ID: 0008_opportunities
Revises: 0007_plans
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_opportunities'
down_revision = '0007_plans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('opportunity_interests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('opportunity_id', sa.String(length=64), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_opportunity_interests_employee_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_interests')),
    sa.UniqueConstraint('opportunity_id', 'employee_id', name=op.f('uq_opportunity_interests_opportunity_id'))
    )
    op.create_index(op.f('ix_opportunity_interests_employee_id'), 'opportunity_interests', ['employee_id'],
                    unique=False)
    op.create_table('mentors',
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_mentors_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_mentors'))
    )


def downgrade() -> None:
    op.drop_table('mentors')
    op.drop_index(op.f('ix_opportunity_interests_employee_id'), table_name='opportunity_interests')
    op.drop_table('opportunity_interests')
