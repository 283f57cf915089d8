"""Reflections before a session, the cadence of each manager-employee pair, and webhook deliveries.

Revision ID: 0006_rhythm
Revises: 0005_web
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_rhythm'
down_revision = '0005_web'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reflections',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_reflections_employee_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections'))
    )
    op.create_index(op.f('ix_reflections_employee_id'), 'reflections', ['employee_id'], unique=False)
    op.create_table('cadences',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('manager_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('every_days', sa.Integer(), nullable=True),
    sa.Column('anchor', sa.Date(), nullable=False),
    sa.Column('next_session', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('quarterly', 'twice-a-year', 'custom')", name=op.f('ck_cadences_kind')),
    sa.CheckConstraint("kind != 'custom' OR (every_days BETWEEN 14 AND 366)", name=op.f('ck_cadences_every_days')),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_cadences_employee_id_people'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['manager_id'], ['people.id'], name=op.f('fk_cadences_manager_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadences')),
    sa.UniqueConstraint('employee_id', name=op.f('uq_cadences_employee_id'))
    )
    op.create_index(op.f('ix_cadences_manager_id'), 'cadences', ['manager_id'], unique=False)
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('commitment_id', sa.String(length=36), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('last_attempt_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('sending', 'delivered', 'failed')", name=op.f('ck_webhook_deliveries_status')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'],
                            name=op.f('fk_webhook_deliveries_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('event', 'commitment_id', 'due', name=op.f('uq_webhook_deliveries_event'))
    )


def downgrade() -> None:
    op.drop_table('webhook_deliveries')
    op.drop_index(op.f('ix_cadences_manager_id'), table_name='cadences')
    op.drop_table('cadences')
    op.drop_index(op.f('ix_reflections_employee_id'), table_name='reflections')
    op.drop_table('reflections')
