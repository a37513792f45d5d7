"""rest api: which Intacct API a workspace speaks, and its OAuth client (secret and refresh token encrypted)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('connections') as batch:
        batch.add_column(sa.Column('api', sa.String(length=8), server_default='xml', nullable=False))
        batch.add_column(sa.Column('client_id', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('client_secret_encrypted', sa.Text(), nullable=True))
        batch.add_column(sa.Column('refresh_token_encrypted', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('connections') as batch:
        batch.drop_column('refresh_token_encrypted')
        batch.drop_column('client_secret_encrypted')
        batch.drop_column('client_id')
        batch.drop_column('api')
