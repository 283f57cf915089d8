"""Security and drafts: token expiry and last use, request hashes, summary confirmation, commitment review.

Revision ID: 0002_security_drafts
Revises: 0001
Create Date: 2025-06-01
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002_security_drafts'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('notes') as batch:
        batch.add_column(sa.Column('request_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('participants', sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('confirmed_by', sa.String(length=64), nullable=True))
    with op.batch_alter_table('commitments') as batch:
        # Commitments stored before drafts existed were tracked: they stay confirmed.
        batch.add_column(sa.Column('review', sa.String(length=16), server_default='confirmed', nullable=False))
        batch.add_column(sa.Column('created_by', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('owner_role', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('proposed', sa.JSON(none_as_null=True), nullable=True))
        batch.create_check_constraint(op.f('ck_commitments_review'), "review IN ('proposed', 'confirmed', 'rejected')")
    with op.batch_alter_table('commitment_events') as batch:
        batch.add_column(sa.Column('changes', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('commitment_events') as batch:
        batch.drop_column('changes')
    with op.batch_alter_table('commitments') as batch:
        batch.drop_constraint(op.f('ck_commitments_review'), type_='check')
        batch.drop_column('proposed')
        batch.drop_column('owner_role')
        batch.drop_column('created_by')
        batch.drop_column('review')
    with op.batch_alter_table('notes') as batch:
        batch.drop_column('confirmed_by')
        batch.drop_column('confirmed_at')
        batch.drop_column('participants')
        batch.drop_column('request_hash')
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('last_used_at')
        batch.drop_column('expires_at')
