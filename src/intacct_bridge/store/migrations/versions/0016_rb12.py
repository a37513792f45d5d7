"""scheduled reconciliation: the workspace's reconcile_schedule (off, daily at reconcile_time, after_sync) and
the reconciliations it ran (reconcile_runs)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        batch.add_column(sa.Column('reconcile_schedule', sa.String(length=16), nullable=False, server_default='off'))
        batch.add_column(sa.Column('reconcile_time', sa.Time(), nullable=True))
    op.create_table(
        'reconcile_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('trigger', sa.String(length=16), nullable=False),
        sa.Column('slot_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sync_run_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('drift', sa.Boolean(), nullable=True),
        sa.Column('summary', sa.JSON(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'],
                                name=op.f('fk_reconcile_runs_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reconcile_runs')),
        sa.UniqueConstraint('workspace_id', 'slot_at', name=op.f('uq_reconcile_runs_workspace_id_slot_at')),
    )
    op.create_index(op.f('ix_reconcile_runs_workspace_id'), 'reconcile_runs', ['workspace_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_reconcile_runs_workspace_id'), table_name='reconcile_runs')
    op.drop_table('reconcile_runs')
    with op.batch_alter_table('workspace_settings') as batch:
        batch.drop_column('reconcile_time')
        batch.drop_column('reconcile_schedule')
