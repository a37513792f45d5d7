"""closed periods: the workspace's closed_period_policy (reject, or post on the next open day)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        batch.add_column(sa.Column('closed_period_policy', sa.String(length=16), nullable=False,
                                   server_default='reject'))


def downgrade() -> None:
    with op.batch_alter_table('workspace_settings') as batch:
        batch.drop_column('closed_period_policy')
