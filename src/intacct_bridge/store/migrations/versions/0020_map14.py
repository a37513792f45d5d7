"""mapping rules, skip-export rules, the description template, dimension values to create (issue 14)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'campaign_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('join', sa.String(length=3), nullable=False),
        sa.Column('conditions', sa.JSON(), nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('side', sa.String(length=2), nullable=False),
        sa.Column('value_id', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_campaign_rules_workspace_id'), 'campaign_rules', ['workspace_id'], unique=False)
    op.create_table(
        'skip_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('join', sa.String(length=3), nullable=False),
        sa.Column('conditions', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_skip_rules_workspace_id'), 'skip_rules', ['workspace_id'], unique=False)
    op.create_table(
        'dimension_values',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=200), nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('category_name', sa.String(length=300), nullable=False),
        sa.Column('object_name', sa.String(length=100), nullable=False),
        sa.Column('id_field', sa.String(length=100), nullable=False),
        sa.Column('name_field', sa.String(length=100), nullable=False),
        sa.Column('value_id', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('intacct_key', sa.String(length=100), nullable=True),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workspace_id', 'external_id', name=op.f('uq_dimension_values_workspace_id_external_id')),
    )
    op.create_index('ix_dimension_values_workspace_status', 'dimension_values', ['workspace_id', 'status'],
                    unique=False)
    with op.batch_alter_table('workspace_settings') as batch:
        batch.add_column(sa.Column('description_template', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        batch.drop_column('description_template')
    op.drop_index('ix_dimension_values_workspace_status', table_name='dimension_values')
    op.drop_table('dimension_values')
    op.drop_index(op.f('ix_skip_rules_workspace_id'), table_name='skip_rules')
    op.drop_table('skip_rules')
    op.drop_index(op.f('ix_campaign_rules_workspace_id'), table_name='campaign_rules')
    op.drop_table('campaign_rules')
