"""master data out: vendors, non-stock items, customers' update tracking, their gates

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('item_type', sa.String(length=40), nullable=True),
    sa.Column('description', sa.String(length=1000), nullable=True),
    sa.Column('base_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('standard_cost', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('taxable', sa.Boolean(), nullable=True),
    sa.Column('income_account', sa.String(length=100), nullable=True),
    sa.Column('expense_account', sa.String(length=100), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('posted_values', sa.JSON(), nullable=True),
    sa.Column('posted_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('intacct_key', sa.String(length=100), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_items_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('workspace_id', 'external_id', name=op.f('uq_items_workspace_id_external_id'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_items_workspace_status', ['workspace_id', 'status'], unique=False)

    op.create_table('vendors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('vendor_id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('company_name', sa.String(length=300), nullable=True),
    sa.Column('tax_id', sa.String(length=100), nullable=True),
    sa.Column('terms', sa.String(length=100), nullable=True),
    sa.Column('vendor_type', sa.String(length=100), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('posted_values', sa.JSON(), nullable=True),
    sa.Column('posted_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=100), nullable=True),
    sa.Column('address1', sa.String(length=300), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('zip', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('intacct_key', sa.String(length=100), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_vendors_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendors')),
    sa.UniqueConstraint('workspace_id', 'external_id', name=op.f('uq_vendors_workspace_id_external_id'))
    )
    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendors_vendor_id'), ['vendor_id'], unique=False)
        batch_op.create_index('ix_vendors_workspace_status', ['workspace_id', 'status'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('posted_values', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('posted_fingerprint', sa.String(length=64), nullable=True))

    with op.batch_alter_table('o2c_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate_vendors', sa.String(length=8), nullable=False, server_default='hold'))
        batch_op.add_column(sa.Column('gate_items', sa.String(length=8), nullable=False, server_default='hold'))



def downgrade() -> None:
    with op.batch_alter_table('o2c_settings', schema=None) as batch_op:
        batch_op.drop_column('gate_items')
        batch_op.drop_column('gate_vendors')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('posted_fingerprint')
        batch_op.drop_column('posted_values')
        batch_op.drop_column('fingerprint')

    with op.batch_alter_table('vendors', schema=None) as batch_op:
        batch_op.drop_index('ix_vendors_workspace_status')
        batch_op.drop_index(batch_op.f('ix_vendors_vendor_id'))

    op.drop_table('vendors')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_workspace_status')
        batch_op.drop_index(batch_op.f('ix_items_item_id'))

    op.drop_table('items')
