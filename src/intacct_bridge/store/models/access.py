"""Who may use the web app: API tokens (per workspace, or admin), console users and their sessions.

Only hashes are stored. API tokens and session ids are long random strings, so a
SHA-256 digest is enough to make a stolen database useless for signing in; user
passwords are short and human-chosen, so they get argon2 (see `web/access.py`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.types import UTCDateTime


class ApiToken(Base):
    """A bearer token. `workspace_id` None means an admin token (manages workspaces, sees them all)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The first characters of the token, shown in listings so a person can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"ApiToken(id={self.id!r}, prefix={self.prefix!r}, workspace_id={self.workspace_id!r})"


class ConsoleUser(Base):
    """A local administrator of the web console (created with `intacct-bridge user create`)."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A disabled user cannot sign in and its sessions are gone; kept (not deleted) so the audit log still names it.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"ConsoleUser(id={self.id!r}, username={self.username!r})"


class ConsoleSession(Base):
    """A signed-in browser: the cookie holds a random id, the store its digest and the CSRF token."""

    __tablename__ = "console_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"ConsoleSession(user_id={self.user_id!r}, expires_at={self.expires_at!r})"
