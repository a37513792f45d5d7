"""API tokens, console users and console sessions: creating them and checking what a request presents.

Tokens and session ids are 256-bit random strings handed out once; only their SHA-256
digest is stored, so the database alone signs nobody in. Passwords are hashed with
argon2 (argon2-cffi's defaults), and a failed sign-in costs the same time whether or
not the user exists, so a login form does not reveal user names. Only a test suite lowers
argon2's cost, in its own process, through `use_password_hasher` (no setting of the
deployment can).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import ApiToken, ConsoleSession, ConsoleUser, utcnow
from intacct_bridge.store.repositories import audit

TOKEN_PREFIX = "ib_"
SESSION_LIFETIME = timedelta(hours=12)
# A token's last use is written at most this often (a write per request would serialize SQLite readers).
LAST_USED_RESOLUTION = timedelta(minutes=1)
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,150}$")
MIN_PASSWORD = 10

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both paths cost one argon2 verification.

    Made on first sign-in, not at import: every CLI command (``--help`` included) imports this module.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with `hasher` from now on in this process (tests: argon2's lowest cost).

    The unknown-user hash is remade with it, so a failed sign-in still costs what a good one does.
    """
    global _hasher
    _hasher = hasher
    _dummy_hash.cache_clear()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling the API: one workspace's token, or an admin token (workspace_id None)."""

    token_id: int
    workspace_id: int | None

    @property
    def is_admin(self) -> bool:
        return self.workspace_id is None

    def may_see(self, workspace_id: int) -> bool:
        return self.is_admin or self.workspace_id == workspace_id


def create_token(session: Session, workspace_id: int | None, name: str = "") -> tuple[str, ApiToken]:
    """A new token (the plaintext is returned once, never stored) for a workspace, or an admin one."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        workspace_id=workspace_id,
        name=" ".join(name.split())[:200] or ("admin" if workspace_id is None else "workspace"),
        prefix=plaintext[:10],
        token_hash=digest(plaintext),
    )
    session.add(row)
    session.flush()
    audit.record(session, workspace_id, "token.created", f"token {row.id} ({row.name})",
                 {"token_id": row.id, "scope": "admin" if workspace_id is None else "workspace", "starts_with": row.prefix})
    return plaintext, row


@dataclass(frozen=True)
class TokenMatch:
    principal: Principal
    stale: bool  # its last use is old enough to be written again


def authenticate_token(session: Session, plaintext: str) -> TokenMatch | None:
    """The principal a bearer token stands for, or None if unknown or revoked. Reads only."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(plaintext)))
    if row is None or row.revoked_at is not None:
        return None
    stale = row.last_used_at is None or utcnow() - row.last_used_at > LAST_USED_RESOLUTION
    return TokenMatch(Principal(row.id, row.workspace_id), stale)


def revoke_token(session: Session, token_id: int, workspace_id: int | None) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.workspace_id != workspace_id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record(session, workspace_id, "token.revoked", f"token {row.id} ({row.name})", {"token_id": row.id})
    return True


def create_user(session: Session, username: str, password: str) -> ConsoleUser:
    """A console administrator; refuses a taken name or a short password."""
    username = username.strip()
    if not USERNAME.match(username):
        raise Conflict("a user name is 1-150 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise Conflict(f"the password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(ConsoleUser.id).where(ConsoleUser.username == username)) is not None:
        raise Conflict(f"a user named {username!r} already exists")
    user = ConsoleUser(username=username, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    audit.record(session, None, "user.created", username)
    return user


def set_password(session: Session, username: str, password: str) -> ConsoleUser | None:
    if len(password) < MIN_PASSWORD:
        raise Conflict(f"the password must have at least {MIN_PASSWORD} characters")
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username.strip()))
    if user is not None:
        user.password_hash = _hasher.hash(password)
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        user.disabled_at = None  # a new password is how a disabled user comes back
        audit.record(session, None, "user.password_set", user.username)
    return user


def disable_user(session: Session, username: str, *, acting_user_id: int | None = None) -> ConsoleUser | None:
    """Stop a user signing in and end its sessions (kept, not deleted, so the audit log still names it).

    A user cannot disable itself (nobody would be left to undo it from the console), nor the last active one.
    """
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username.strip()))
    if user is None:
        return None
    if user.id == acting_user_id:
        raise Conflict("you cannot disable yourself: sign in as another user to do it")
    if user.disabled_at is None:
        others = session.scalar(select(ConsoleUser.id).where(ConsoleUser.id != user.id,
                                                             ConsoleUser.disabled_at.is_(None)).limit(1))
        if others is None:
            raise Conflict(f"{user.username!r} is the last active user: create another one first")
        user.disabled_at = utcnow()
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        audit.record(session, None, "user.disabled", user.username)
    return user


def verify_user(session: Session, username: str, password: str) -> ConsoleUser | None:
    """The user if the password is right; None otherwise (same cost either way)."""
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username.strip()))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    csrf_token: str


def open_session(session: Session, user: ConsoleUser) -> str:
    """A new console session for `user`; returns the cookie value (a fresh id: no fixation)."""
    now = utcnow()
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    cookie = secrets.token_urlsafe(32)
    session.add(ConsoleSession(id_hash=digest(cookie), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                               created_at=now, expires_at=now + SESSION_LIFETIME))
    session.flush()
    return cookie


def find_session(session: Session, cookie: str, now: datetime | None = None) -> SignedIn | None:
    if not cookie or len(cookie) > 200:
        return None
    row = session.get(ConsoleSession, digest(cookie))
    if row is None or row.expires_at <= (now or utcnow()):
        return None
    user = session.get(ConsoleUser, row.user_id)
    return SignedIn(user.id, user.username, row.csrf_token) if user and user.disabled_at is None else None


def close_session(session: Session, cookie: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == digest(cookie)))
