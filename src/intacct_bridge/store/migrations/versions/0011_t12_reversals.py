"""reversals: versions of posted actions, the reversals of what was posted, and the workspace's choice

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspace_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("posted_changes", sa.String(length=16), nullable=False, server_default="refuse"))
        batch_op.add_column(sa.Column("reversal_date", sa.String(length=16), nullable=False,
                                      server_default="original"))
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "journal_reversals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("original_reference", sa.String(length=100), nullable=False),
        sa.Column("original_recordno", sa.String(length=100), nullable=True),
        sa.Column("original", sa.JSON(), nullable=False),
        sa.Column("reversal_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="unposted"),
        sa.Column("intacct_recordno", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("action_id", "version"),
    )
    op.create_index("ix_journal_reversals_workspace_status", "journal_reversals", ["workspace_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_journal_reversals_workspace_status", table_name="journal_reversals")
    op.drop_table("journal_reversals")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("workspace_settings", schema=None) as batch_op:
        batch_op.drop_column("reversal_date")
        batch_op.drop_column("posted_changes")
