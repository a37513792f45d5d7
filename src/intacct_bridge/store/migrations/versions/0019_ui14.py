"""the audit log; console users can be disabled; a dry run keeps what each record would send; list indexes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The console's sorted lists and the type filter (bench/actions_list.py: 10,000 actions).
INDEXES = {"ix_actions_workspace_amount": ["workspace_id", "amount", "id"],
           "ix_actions_workspace_happened": ["workspace_id", "happened_at", "id"],
           "ix_actions_workspace_type": ["workspace_id", "type"]}


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_log_workspace_at", "audit_log", ["workspace_id", "at"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("run_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preview", sa.JSON(), nullable=True))
    for name, columns in INDEXES.items():
        op.create_index(name, "actions", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="actions")
    with op.batch_alter_table("run_items", schema=None) as batch_op:
        batch_op.drop_column("preview")
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_workspace_at", table_name="audit_log")
    op.drop_table("audit_log")
