"""summary posting: journal_summaries, actions.summary_id, the workspace's summarized types and period

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspace_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary_action_types", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("summary_period", sa.String(length=8), nullable=False, server_default="day"))
    op.create_table(
        "journal_summaries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("journal", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=True),
        sa.Column("period_key", sa.String(length=40), nullable=False),
        sa.Column("posting_date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action_count", sa.Integer(), nullable=False),
        sa.Column("debit_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("credit_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False, server_default="unposted"),
        sa.Column("intacct_recordno", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("workspace_id", "reference"),
    )
    op.create_index("ix_journal_summaries_workspace_status", "journal_summaries", ["workspace_id", "status"])
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_actions_summary_id", "journal_summaries", ["summary_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_index("ix_actions_summary_id", ["summary_id"])


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_summary_id")
        batch_op.drop_constraint("fk_actions_summary_id", type_="foreignkey")
        batch_op.drop_column("summary_id")
    op.drop_index("ix_journal_summaries_workspace_status", table_name="journal_summaries")
    op.drop_table("journal_summaries")
    with op.batch_alter_table("workspace_settings", schema=None) as batch_op:
        batch_op.drop_column("summary_period")
        batch_op.drop_column("summary_action_types")
