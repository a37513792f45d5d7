"""OAuth 2.0 for the REST API (reference §1), with authlib: who the REST client speaks for, and its tokens.

Two ways in: the client-credentials grant for a Web Services user (`username` =
`user@company`, `|entity` appended for an entity), or a refresh token from the
"Connect with Sage Intacct" authorization-code flow (PKCE). An access token is
renewed a margin before it expires, and once more whenever the API refuses it
(401); a rotated refresh token is handed to `on_refresh` so the caller can store
it (encrypted). No secret or token is ever part of a repr, a log line or an error.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():  # authlib 1.9 announces a move to "httpx2" on import; httpx is what we use
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

from .errors import ErrorContext, IntacctError, SignInError
from .rest_answers import token_error
from .transport import transport_failure

TOKEN_PATH = "/oauth2/token"
AUTHORIZE_PATH = "/oauth2/authorize"


@dataclass(frozen=True)
class RestCredentials:
    """The OAuth client (the app) and the company user it acts for; optionally a refresh token instead."""

    client_id: str
    client_secret: str = field(repr=False)
    company_id: str = ""
    user_id: str = ""
    entity_id: str | None = None
    refresh_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"RestCredentials(client_id={self.client_id!r}, client_secret='***', company_id={self.company_id!r}, "
                f"user_id={self.user_id!r}, entity_id={self.entity_id!r}, "
                f"refresh_token={'***' if self.refresh_token else None})")

    __str__ = __repr__

    @property
    def username(self) -> str:
        """`user@company`, the client-credentials grant's username (the entity rides in a header)."""
        return f"{self.user_id}@{self.company_id}"


@dataclass
class Token:
    access_token: str = field(repr=False)
    expires_at: float                 # time.monotonic() seconds
    refresh_token: str | None = field(default=None, repr=False)

    def usable(self, now: float, margin: float) -> bool:
        return now + margin < self.expires_at


class TokenSource:
    """One access token for a client, fetched and renewed with authlib; thread-safe, fetched once when many wait."""

    def __init__(self, credentials: RestCredentials, base_url: str, http: httpx.Client, *,
                 context: ErrorContext, margin: float = 60.0,
                 on_refresh: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.credentials = credentials
        self.token_url = base_url.rstrip("/") + TOKEN_PATH
        self.context = context
        self.margin = margin
        self.on_refresh = on_refresh
        self.clock = clock
        self.fetched = 0
        self._refresh_token = credentials.refresh_token
        self._token: Token | None = None
        self._lock = threading.Lock()
        self._oauth = OAuth2Client(credentials.client_id, credentials.client_secret,
                                   token_endpoint_auth_method="client_secret_post", timeout=http.timeout)
        self._oauth.register_compliance_hook("access_token_response", self._check_answer)
        self._oauth.register_compliance_hook("refresh_token_response", self._check_answer)

    def token(self, stale: str | None = None) -> str:
        """A usable access token; `stale` is one the API just refused (renewed even if not yet expired)."""
        with self._lock:
            token = self._token
            if token is None or token.access_token == stale or not token.usable(self.clock(), self.margin):
                self._token = token = self._fetch()
            return token.access_token

    def close(self) -> None:
        self._oauth.close()

    def _fetch(self) -> Token:
        started = self.clock()
        try:
            if self._refresh_token:
                answer = self._oauth.refresh_token(self.token_url, refresh_token=self._refresh_token)
            else:
                answer = self._oauth.fetch_token(self.token_url, grant_type="client_credentials",
                                                 username=self.credentials.username)
        except IntacctError:
            raise
        except httpx.HTTPError as exc:
            raise transport_failure(exc, self.context) from exc
        except Exception as exc:  # authlib's own errors: an OAuth `error` field, a non-JSON answer
            raise SignInError("authentication", description=f"the token endpoint refused the request ({exc})",
                              context=self.context) from None
        self.fetched += 1
        rotated = answer.get("refresh_token")
        if self._refresh_token and rotated and rotated != self._refresh_token:
            self._refresh_token = rotated
            if self.on_refresh is not None:
                self.on_refresh(rotated)
        return Token(answer["access_token"], started + float(answer.get("expires_in") or 3600), rotated)

    def _check_answer(self, response: httpx.Response) -> httpx.Response:
        """Intacct's refusals are `ia::error` bodies (not OAuth `error` fields): name them before authlib reads them."""
        if response.status_code >= 400:
            try:
                body: Any = response.json()
            except ValueError:
                body = None
            raise token_error(response.status_code, body, self.context)
        return response


@dataclass(frozen=True)
class AuthorizationRequest:
    """The start of "Connect with Sage Intacct": where to send the browser, and what to keep until it returns."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


def authorization_request(base_url: str, client_id: str, redirect_uri: str) -> AuthorizationRequest:
    """An authorization-code request with a fresh `state` and a PKCE S256 challenge (scope offline_access)."""
    state, verifier = generate_token(32), generate_token(64)
    with OAuth2Client(client_id, redirect_uri=redirect_uri, scope="offline_access",
                      code_challenge_method="S256") as oauth:
        url, _ = oauth.create_authorization_url(base_url.rstrip("/") + AUTHORIZE_PATH, state=state,
                                                code_verifier=verifier)
    return AuthorizationRequest(url, state, verifier)


def exchange_code(base_url: str, client_id: str, client_secret: str, redirect_uri: str, code: str,
                  code_verifier: str, context: ErrorContext | None = None) -> dict[str, Any]:
    """Trade the authorization code for tokens (the refresh token is what the workspace keeps)."""
    context = context or ErrorContext(client_id)
    with OAuth2Client(client_id, client_secret, redirect_uri=redirect_uri,
                      token_endpoint_auth_method="client_secret_post") as oauth:
        def check(response: httpx.Response) -> httpx.Response:
            if response.status_code >= 400:
                try:
                    body: Any = response.json()
                except ValueError:
                    body = None
                raise token_error(response.status_code, body, context)
            return response
        oauth.register_compliance_hook("access_token_response", check)
        try:
            return dict(oauth.fetch_token(base_url.rstrip("/") + TOKEN_PATH, grant_type="authorization_code",
                                          code=code, code_verifier=code_verifier))
        except httpx.HTTPError as exc:
            raise transport_failure(exc, context) from exc
