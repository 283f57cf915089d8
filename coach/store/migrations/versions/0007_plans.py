"""Versions of development maps: a re-planned map points at the map it replaces, with its version and reason.

Revision ID: 0007_plans
Revises: 0006_rhythm
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_plans'
down_revision = '0006_rhythm'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('map_versions',
    sa.Column('map_id', sa.String(length=36), nullable=False),
    sa.Column('previous_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint('version >= 2', name=op.f('ck_map_versions_version')),
    sa.ForeignKeyConstraint(['map_id'], ['development_maps.id'], name=op.f('fk_map_versions_map_id_development_maps'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_id'], ['development_maps.id'],
                            name=op.f('fk_map_versions_previous_id_development_maps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('map_id', name=op.f('pk_map_versions')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_map_versions_previous_id'))
    )


def downgrade() -> None:
    op.drop_table('map_versions')
