"""edits and deletes after posting for invoices and bills: versions and cancelling adjustments

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('invoices', 'bills')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'document_cancellations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('record_kind', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('original_reference', sa.String(length=100), nullable=False),
        sa.Column('original_key', sa.String(length=100), nullable=True),
        sa.Column('original', sa.JSON(), nullable=False),
        sa.Column('cancel_date', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=16), server_default='unposted', nullable=False),
        sa.Column('intacct_key', sa.String(length=100), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('record_kind', 'record_id', 'version'),
    )
    op.create_index('ix_document_cancellations_workspace_status', 'document_cancellations',
                    ['workspace_id', 'status'])


def downgrade() -> None:
    op.drop_index('ix_document_cancellations_workspace_status', table_name='document_cancellations')
    op.drop_table('document_cancellations')
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
