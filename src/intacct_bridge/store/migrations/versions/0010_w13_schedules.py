"""schedules: every N hours, and one claim row per (workspace, slot) so a slot fires once

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        batch.add_column(sa.Column('schedule_every_hours', sa.Integer(), nullable=True))
    op.create_table('schedule_slots',
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('slot_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_schedule_slots_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workspace_id', 'slot_at', name=op.f('pk_schedule_slots'))
    )


def downgrade() -> None:
    op.drop_table('schedule_slots')
    with op.batch_alter_table('workspace_settings') as batch:
        batch.drop_column('schedule_every_hours')
