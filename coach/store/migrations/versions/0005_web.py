"""The web app: browser sessions (with their CSRF token), one-time sign-in codes, prepared agendas.

Revision ID: 0005_web
Revises: 0004_action_progress
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005_web'
down_revision = '0004_action_progress'
branch_labels = None
depends_on = None

_ROLE = "principal_role IN ('admin', 'manager', 'employee')"


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('principal_role', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(_ROLE, name=op.f('ck_web_sessions_principal_role')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_web_sessions_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_web_sessions'))
    )
    op.create_table('signin_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('principal_role', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(_ROLE, name=op.f('ck_signin_codes_principal_role')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_signin_codes_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_signin_codes'))
    )
    op.create_table('agendas',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_agendas_employee_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agendas'))
    )
    op.create_index(op.f('ix_agendas_employee_id'), 'agendas', ['employee_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_agendas_employee_id'), table_name='agendas')
    op.drop_table('agendas')
    op.drop_table('signin_codes')
    op.drop_table('web_sessions')
