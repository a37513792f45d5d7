"""Writing and reading the audit log: who (the caller of this request or command), when, what.

Each interface says who is calling once, at its edge (`calling_as`): the console and the REST API
through a middleware that keeps the request's session cookie or bearer token, the CLI with the
operating-system user, the Python API likewise, the scheduler as `schedule`. The service function
that makes a change calls `record` in the same transaction as the change, so a change that rolls
back leaves no entry and no interface can change something without a trace. The caller is resolved
to a name only when an entry is written (reads pay nothing).
"""

from __future__ import annotations

import contextvars
import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from intacct_bridge.store.models import ApiToken, AuditEntry, ConsoleSession, ConsoleUser, utcnow

VIAS = ("console", "api", "cli", "python", "schedule")
TARGET_LIMIT = 300


@dataclass(frozen=True)
class Caller:
    """Who is calling: `via` and either a plain name or a credential digest to resolve when writing."""

    via: str
    name: str | None = None
    session_digest: str | None = None   # a console session (console_sessions.id_hash)
    token_digest: str | None = None     # an API token (api_tokens.token_hash)


_caller: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("intacct_bridge_audit_caller", default=None)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


@contextmanager
def calling_as(caller: Caller) -> Iterator[Caller]:
    token = _caller.set(caller)
    try:
        yield caller
    finally:
        _caller.reset(token)


def set_caller(caller: Caller) -> contextvars.Token[Caller | None]:
    """For a command that is one caller from start to end (the CLI); `reset_caller(token)` when it ends."""
    return _caller.set(caller)


def reset_caller(token: contextvars.Token[Caller | None]) -> None:
    _caller.reset(token)


def current_caller() -> Caller:
    return _caller.get() or Caller("python", os_user())


def _who(session: Session, caller: Caller) -> str:
    if caller.session_digest:
        name = session.scalar(select(ConsoleUser.username).join(ConsoleSession, ConsoleSession.user_id ==
                                                                ConsoleUser.id)
                              .where(ConsoleSession.id_hash == caller.session_digest))
        if name:
            return name
    if caller.token_digest:
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == caller.token_digest))
        if token is not None:
            return f"token {token.id}" + (f" ({token.name})" if token.name else "")
    return caller.name or "unknown"


def record(session: Session, workspace_id: int | None, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, *, now: datetime | None = None) -> AuditEntry:
    """One entry, in the caller's transaction. `detail` holds names and values, never a secret."""
    caller = current_caller()
    entry = AuditEntry(at=now or utcnow(), workspace_id=workspace_id, actor=_who(session, caller)[:200],
                       via=caller.via, action=action, target=(target or None) and target[:TARGET_LIMIT],
                       detail=detail or None)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """Every field narrows the list: a workspace (None: every one), who, what, a time range [since, until)."""

    workspace_id: int | None = None
    actor: str | None = None
    action: str | None = None
    via: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(f: AuditFilter) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    if f.workspace_id is not None:
        query = query.where(AuditEntry.workspace_id == f.workspace_id)
    if f.actor:
        query = query.where(func.lower(AuditEntry.actor).contains(f.actor.strip().lower(), autoescape=True))
    if f.action:
        query = query.where(AuditEntry.action.startswith(f.action.strip(), autoescape=True))
    if f.via:
        query = query.where(AuditEntry.via == f.via)
    if f.since is not None:
        query = query.where(AuditEntry.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEntry.at < f.until)
    return query


def list_entries(session: Session, f: AuditFilter = AuditFilter(), *, limit: int = 100,
                 offset: int = 0) -> Sequence[AuditEntry]:
    """Newest first."""
    return session.scalars(_filtered(f).order_by(AuditEntry.id.desc()).offset(offset).limit(limit)).all()


def count_entries(session: Session, f: AuditFilter = AuditFilter()) -> int:
    return session.scalar(select(func.count()).select_from(_filtered(f).subquery())) or 0


def actions_seen(session: Session) -> list[str]:
    """The kinds of entry present, for a filter's choices."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


SECRET_WORDS = ("password", "secret", "token")


def described(change: Any) -> dict[str, Any]:
    """What a change object (a dataclass or a mapping) sets, as JSON-able text: the fields it names, each
    secret only as "(changed)", never its value."""
    items = change.items() if isinstance(change, dict) else vars(change).items()
    out: dict[str, Any] = {}
    for name, value in items:
        if value is None or value is False or value == {}:
            continue
        if any(word in name for word in SECRET_WORDS):
            out[name] = "(changed)"
        else:
            out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return getattr(value, "value", None) if hasattr(value, "value") else str(value)
