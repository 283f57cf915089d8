"""Initial schema: people, api_tokens, notes, commitments, commitment_events, development_maps.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('manager_id', sa.String(length=64), nullable=True),
    sa.Column('role_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['people.id'], name=op.f('fk_people_manager_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    op.create_index(op.f('ix_people_manager_id'), 'people', ['manager_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('principal_role', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("principal_role = 'admin' OR person_id IS NOT NULL", name=op.f('ck_api_tokens_person_required')),
    sa.CheckConstraint("principal_role IN ('admin', 'manager', 'employee')", name=op.f('ck_api_tokens_principal_role')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_api_tokens_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('development_maps',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_development_maps_employee_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_maps'))
    )
    op.create_index(op.f('ix_development_maps_employee_id'), 'development_maps', ['employee_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('summary_json', sa.JSON(none_as_null=True), nullable=True),
    sa.CheckConstraint("status IN ('received', 'summarized', 'failed')", name=op.f('ck_notes_status')),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_notes_employee_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
    sa.UniqueConstraint('author_id', 'idempotency_key', name='uq_notes_author_key')
    )
    op.create_index(op.f('ix_notes_employee_id'), 'notes', ['employee_id'], unique=False)

    op.create_table('commitments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('note_id', sa.String(length=36), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('success_indicator', sa.Text(), nullable=True),
    sa.Column('competency_ids', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done', 'dropped')", name=op.f('ck_commitments_status')),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], name=op.f('fk_commitments_employee_id_people')),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_commitments_note_id_notes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    op.create_index(op.f('ix_commitments_employee_id'), 'commitments', ['employee_id'], unique=False)
    op.create_index(op.f('ix_commitments_note_id'), 'commitments', ['note_id'], unique=False)

    op.create_table('commitment_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('commitment_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('by_person_id', sa.String(length=64), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_events_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_events'))
    )
    op.create_index(op.f('ix_commitment_events_commitment_id'), 'commitment_events', ['commitment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_commitment_events_commitment_id'), table_name='commitment_events')
    op.drop_table('commitment_events')
    op.drop_index(op.f('ix_commitments_note_id'), table_name='commitments')
    op.drop_index(op.f('ix_commitments_employee_id'), table_name='commitments')
    op.drop_table('commitments')
    op.drop_index(op.f('ix_notes_employee_id'), table_name='notes')
    op.drop_table('notes')
    op.drop_index(op.f('ix_development_maps_employee_id'), table_name='development_maps')
    op.drop_table('development_maps')
    op.drop_table('api_tokens')
    op.drop_index(op.f('ix_people_manager_id'), table_name='people')
    op.drop_table('people')
