"""The request flow, written once for both the sync and the async client.

Each flow is a generator that *yields effects* (post these bytes, sleep, get
me a session) and receives their outcomes; the sync client performs them with
blocking calls, the async client with awaits.  So sign-in, retries, session
renewal and the exactly-once rules exist in one place only (the "sans-I/O"
style of h11 and httpcore).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Sequence, TypeVar

from .credentials import ClientConfig, Credentials
from .endpoints import EndpointNotAllowedError
from .envelope import LoginAuth, SessionAuth, build_request
from .errors import (
    AmbiguousOutcome,
    ErrorContext,
    ErrorDetail,
    FunctionError,
    IntacctError,
    DuplicateControlId,
    EndpointNotAllowed,
    RateLimited,
    SessionInvalid,
)
from .functions import Function, GetAPISession
from .responses import Response, Result, parse_response
from .retry import RetryPolicy
from .session import Session, session_from
from .usage import UsageStats

T = TypeVar("T")
log = logging.getLogger("intacct_bridge.intacct")


@dataclass(frozen=True)
class Post:
    """Send `body` to `url` within a concurrency slot; answer a RawResponse or throw a transport error.

    The body holds the sender password and a session id or user password: never in a repr.
    """

    url: str
    body: bytes = field(repr=False)
    context: ErrorContext | None = None  # who is asking, for the transport's own errors


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class NeedSession:
    """A usable session for `entity_id`; `stale` is one the gateway just refused."""

    entity_id: str | None
    stale: Session | None = None


Effect = Post | Sleep | NeedSession
Flow = Generator[Effect, Any, T]


def check_controlids(functions: Sequence[Function]) -> None:
    seen: set[str] = set()
    for fn in functions:
        if fn.controlid in seen:
            raise ValueError(f"control ID {fn.controlid!r} appears twice; results are matched by it")
        seen.add(fn.controlid)


class Protocol:
    def __init__(self, credentials: Credentials, config: ClientConfig, usage: UsageStats, policy: RetryPolicy) -> None:
        self.credentials = credentials
        self.config = config
        self.usage = usage
        self.policy = policy
        self.endpoints = config.endpoint_policy()

    def credentials_for(self, entity_id: str | None) -> Credentials:
        return self.credentials if entity_id == self.credentials.entity_id else self.credentials.for_entity(entity_id)

    def context(self, entity_id: str | None) -> ErrorContext:
        c = self.credentials
        return ErrorContext(c.sender_id, c.company_id, c.user_id, entity_id)

    def allowed(self, url: str, context: ErrorContext, why: str = "") -> str:
        """`url` if a request may go there (the allow-list); EndpointNotAllowed otherwise, before anything is sent."""
        try:
            return self.endpoints.check(url)
        except EndpointNotAllowedError as refused:
            raise EndpointNotAllowed(url, f"{refused}{why}", context=context) from None

    # --- flows -------------------------------------------------------------------------------

    def login(self, entity_id: str | None) -> Flow[Session]:
        """Sign in with the user's password and trade it for an API session (getAPISession, alone)."""
        creds = self.credentials_for(entity_id)
        fn = GetAPISession()
        body = build_request(creds, LoginAuth(creds), [fn], uniqueid=False, dtd_version=self.config.dtd_version)
        response, _ = yield from self._attempts(lambda _s: body, [fn], uniqueid=False, entity_id=entity_id, login=True)
        self.usage.add(session_logins=1)
        context = self.context(entity_id)
        session = session_from(response, self.config.endpoint, context)
        self.allowed(session.endpoint, context, "; the gateway's getAPISession answer named it for the session")
        return session

    def send(self, functions: Sequence[Function], *, uniqueid: bool, transaction: bool,
             entity_id: str | None) -> Flow[list[Result | FunctionError]]:
        """One request with these functions; results in the functions' order."""
        check_controlids(functions)
        creds = self.credentials_for(entity_id)

        def body(session: Session) -> bytes:
            return build_request(creds, SessionAuth(session.session_id), functions, uniqueid=uniqueid,
                                 transaction=transaction, dtd_version=self.config.dtd_version)

        response, maybe_applied = yield from self._attempts(body, functions, uniqueid=uniqueid, entity_id=entity_id)
        results = match_results(functions, response, maybe_applied)
        self.usage.count_results(functions, results)
        context = self.context(entity_id)
        return [r if r.ok else r.error(context) for r in results]

    def _attempts(self, make_body: Callable[[Session | None], bytes], functions: Sequence[Function], *,
                  uniqueid: bool, entity_id: str | None, login: bool = False) -> Flow[tuple[Response, bool]]:
        """Post until there is a response; returns it and whether writes may have been applied before."""
        has_writes = any(f.is_write for f in functions)
        context = self.context(entity_id)
        attempt = renewals = 0
        maybe_applied = False
        session: Session | None = None if login else (yield NeedSession(entity_id))
        while True:
            url = self.allowed(session.endpoint if session is not None else self.config.endpoint, context)
            try:
                raw = yield Post(url, make_body(session), context)
                try:
                    response = parse_response(raw.content, raw.status_code, raw.content_type, context)
                except IntacctError as err:
                    err.retry_after = raw.retry_after
                    raise
            except SessionInvalid as err:
                # Nothing ran: renew and resend (the first renewal is free, later ones spend retries).
                if login or renewals > self.policy.max_retries:
                    self._raise_final(err, functions, maybe_applied, uniqueid)
                renewals += 1
                log.info("The API session for %s was refused; signing in again", context.entity_id or "the company")
                if renewals > 1:
                    self.usage.add(retries=1)
                session = yield NeedSession(entity_id, session)
                continue
            except IntacctError as err:
                if isinstance(err, RateLimited):
                    self.usage.add(throttled=1)
                decision = self.policy.decide(err, attempt, has_writes=has_writes, uniqueid=uniqueid)
                maybe_applied = maybe_applied or decision.ambiguous
                if not decision.retry:
                    self._raise_final(err, functions, maybe_applied, uniqueid)
                attempt += 1
                self.usage.add(retries=1)
                log.warning("Retry %d/%d of a request with %d function(s) in %.2fs%s: %s", attempt,
                            self.policy.max_retries, len(functions), decision.delay,
                            " (its writes may already be applied; resending with the same control IDs)"
                            if decision.ambiguous else "", err)
                self.usage.add(backoff_seconds=decision.delay)
                yield Sleep(decision.delay)
                continue
            if session is not None:
                session.touch(response.auth)
            return response, maybe_applied

    @staticmethod
    def _raise_final(err: IntacctError, functions: Sequence[Function], maybe_applied: bool, uniqueid: bool) -> None:
        """Give up: the error itself, or AmbiguousOutcome when an earlier send may have applied writes."""
        if not maybe_applied:
            raise err
        raise AmbiguousOutcome([f.controlid for f in functions if f.is_write], err, uniqueid=uniqueid) from err


def match_results(functions: Sequence[Function], response: Response, maybe_applied: bool) -> list[Result]:
    """Pair each function with its result by controlid; a duplicate after our own resend means applied."""
    by_id = response.by_controlid()
    out: list[Result] = []
    for fn in functions:
        result = by_id.get(fn.controlid)
        if result is None:
            missing = ErrorDetail("missing", "The gateway returned no result for this function", correction=(
                "send it again with the same control ID (with uniqueid a write is not applied twice), "
                "or look the record up by its natural key"))
            result = Result("failure", fn.name, fn.controlid, errors=[missing])
        elif maybe_applied and fn.is_write and not result.ok and isinstance(result.error(), DuplicateControlId):
            result = Result("success", result.function, fn.controlid, errors=result.errors, already_applied=True)
        out.append(result)
    return out
