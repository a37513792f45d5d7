"""outbox: postings, run items and review flags name a record of any kind, not only an action

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Every kind of record the product writes to Intacct (journal entries, customers, invoices,
payments...) goes through one outbox, so `postings`, `run_items` and `review_flags` name their
record as (`record_kind`, `record_id`); `action_id` stays, filled for journal entries only.
Existing rows are journal entries: `record_id` takes their `action_id`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOURNAL_ENTRY = 'journal_entry'


def _record_columns(batch_op) -> None:
    batch_op.add_column(sa.Column('record_kind', sa.String(length=32), nullable=False,
                                  server_default=JOURNAL_ENTRY))
    batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))


def upgrade() -> None:
    with op.batch_alter_table('postings', schema=None) as batch_op:
        _record_columns(batch_op)
        batch_op.add_column(sa.Column('operation', sa.String(length=64), nullable=False, server_default='create'))
    op.execute('UPDATE postings SET record_id = action_id')
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.alter_column('record_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('action_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('record_kind', existing_type=sa.String(length=32), server_default=None)
        batch_op.alter_column('operation', existing_type=sa.String(length=64), server_default=None)
        batch_op.drop_constraint('uq_postings_action_id_generation', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_postings_workspace_id_record_kind_record_id_generation'),
                                          ['workspace_id', 'record_kind', 'record_id', 'generation'])
        batch_op.create_index('ix_postings_record', ['record_kind', 'record_id'], unique=False)

    with op.batch_alter_table('run_items', schema=None) as batch_op:
        _record_columns(batch_op)
    op.execute('UPDATE run_items SET record_id = action_id')
    with op.batch_alter_table('run_items', schema=None) as batch_op:
        batch_op.alter_column('record_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('action_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('record_kind', existing_type=sa.String(length=32), server_default=None)
        batch_op.drop_constraint('uq_run_items_run_id_action_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_run_items_run_id_record_kind_record_id'),
                                          ['run_id', 'record_kind', 'record_id'])

    # review_flags changes its primary key (action_id -> id): rebuild it and copy the flags over.
    op.drop_index('ix_review_flags_workspace_id', table_name='review_flags')
    op.rename_table('review_flags', 'review_flags_old')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE review_flags_old RENAME CONSTRAINT pk_review_flags TO pk_review_flags_old')
    op.create_table('review_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_review_flags_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['sync_runs.id'], name=op.f('fk_review_flags_run_id_sync_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_review_flags_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_flags')),
    sa.UniqueConstraint('action_id', name=op.f('uq_review_flags_action_id')),
    sa.UniqueConstraint('workspace_id', 'record_kind', 'record_id', name=op.f('uq_review_flags_workspace_id_record_kind_record_id'))
    )
    op.create_index('ix_review_flags_workspace_id', 'review_flags', ['workspace_id'], unique=False)
    op.execute(
        "INSERT INTO review_flags (record_kind, record_id, action_id, workspace_id, run_id, kind, reasons, "
        "created_at, updated_at) SELECT 'journal_entry', action_id, action_id, workspace_id, run_id, kind, reasons, "
        "created_at, updated_at FROM review_flags_old ORDER BY action_id"
    )
    op.drop_table('review_flags_old')


def downgrade() -> None:
    raise NotImplementedError("the outbox migration is one-way: restore a backup to go back")
