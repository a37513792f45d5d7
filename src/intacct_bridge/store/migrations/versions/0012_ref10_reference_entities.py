"""reference data and multi-entity: owning entity of pulled values, posting level and entity, more dimension modes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_MODES = ('project_mode', 'customer_mode', 'vendor_mode', 'employee_mode', 'item_mode')


def upgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        for name in NEW_MODES:
            batch.add_column(sa.Column(name, sa.String(length=16), nullable=False, server_default='exclude'))
        batch.add_column(sa.Column('posting_level', sa.String(length=16), nullable=False, server_default='top'))
        batch.add_column(sa.Column('default_entity', sa.String(length=100), nullable=True))
    with op.batch_alter_table('intacct_values') as batch:
        batch.add_column(sa.Column('owner_entity', sa.String(length=100), nullable=True))
    with op.batch_alter_table('postings') as batch:
        batch.add_column(sa.Column('entity_id', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('posting_level', sa.String(length=16), nullable=True))
    for table in ('payments', 'credit_memos'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('entity', sa.String(length=100), nullable=True))
    op.create_table('user_dimensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('object_name', sa.String(length=100), nullable=False),
    sa.Column('gl_field', sa.String(length=100), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_user_dimensions_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_dimensions')),
    sa.UniqueConstraint('workspace_id', 'object_name', name=op.f('uq_user_dimensions_workspace_id_object_name'))
    )


def downgrade() -> None:
    op.drop_table('user_dimensions')
    for table in ('payments', 'credit_memos'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('entity')
    with op.batch_alter_table('postings') as batch:
        batch.drop_column('posting_level')
        batch.drop_column('entity_id')
    with op.batch_alter_table('intacct_values') as batch:
        batch.drop_column('owner_entity')
    with op.batch_alter_table('workspace_settings') as batch:
        batch.drop_column('default_entity')
        batch.drop_column('posting_level')
        for name in reversed(NEW_MODES):
            batch.drop_column(name)
