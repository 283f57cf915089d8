"""Progress of each action of a stored development map: status, evidence, when and by whom.

Revision ID: 0004_action_progress
Revises: 0003_refinement_jobs
Create Date: 2026-12-10
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004_action_progress'
down_revision = '0003_refinement_jobs'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('map_action_progress',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('action_index', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'dropped')",
                       name=op.f('ck_map_action_progress_status')),
    sa.CheckConstraint('action_index >= 0', name=op.f('ck_map_action_progress_action_index')),
    sa.ForeignKeyConstraint(['map_id'], ['development_maps.id'],
                            name=op.f('fk_map_action_progress_map_id_development_maps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_map_action_progress')),
    sa.UniqueConstraint('map_id', 'action_index', name=op.f('uq_map_action_progress_map_id'))
    )


def downgrade() -> None:
    op.drop_table('map_action_progress')
