"""multi-entity AP: the entity a bill or an AP adjustment posts at; user-defined dimensions on document lines

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('bills', 'ap_adjustments')
LINE_TABLES = ('invoice_lines', 'credit_memo_lines', 'bill_lines', 'ap_adjustment_lines')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('entity', sa.String(length=100), nullable=True))
    for table in LINE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('dimensions', sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in LINE_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('dimensions')
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('entity')
