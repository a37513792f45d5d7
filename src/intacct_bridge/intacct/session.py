"""API sessions: one per entity, with the gateway's sliding timeout tracked.

`getAPISession` answers a session id and the endpoint to use from then on;
every response's authentication block pushes `sessiontimeout` forward.  A
session is renewed shortly before that moment, and once more whenever the
gateway calls it invalid.  The session id never appears in a repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .errors import ErrorContext, ProtocolError
from .responses import AuthInfo, Response


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Session:
    session_id: str = field(repr=False)
    endpoint: str
    entity_id: str | None
    expires_at: datetime | None = None

    def touch(self, auth: AuthInfo | None) -> None:
        """Slide the expiry to what the gateway just projected."""
        if auth is not None and auth.session_timeout is not None:
            self.expires_at = auth.session_timeout

    def usable(self, now: datetime, margin: float) -> bool:
        return self.expires_at is None or now + timedelta(seconds=margin) < self.expires_at


def session_from(response: Response, default_endpoint: str, context: ErrorContext | None = None) -> Session:
    """Read `<data><api><sessionid/><endpoint/><locationid/></api></data>` from a getAPISession answer."""
    result = response.results[0] if response.results else None
    if result is not None and not result.ok:
        raise result.error(context)
    api = result.records[0] if result is not None and result.records else {}
    session_id = api.get("sessionid") if isinstance(api, dict) else None
    if not session_id:
        raise ProtocolError("result", description="getAPISession answered without a session id", context=context)
    session = Session(session_id, api.get("endpoint") or default_endpoint, api.get("locationid") or None)
    session.touch(response.auth)
    return session


class SessionStore:
    """The current session of each entity (None = the login's own level)."""

    def __init__(self) -> None:
        self._sessions: dict[str | None, Session] = {}

    def get(self, entity_id: str | None, *, now: datetime, margin: float, stale: Session | None = None) -> Session | None:
        """The session to use, or None when a new one is needed (missing, expiring, or the one that failed)."""
        session = self._sessions.get(entity_id)
        if session is None or session is stale or not session.usable(now, margin):
            return None
        return session

    def put(self, entity_id: str | None, session: Session) -> None:
        self._sessions[entity_id] = session
