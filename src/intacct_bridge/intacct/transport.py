"""HTTP to the gateway: httpx, one pool per client, explicit timeouts, gzip.

The only job here is moving bytes and telling the retry policy how far a
failed request got: a failed connect never reached the gateway; a timeout or
a dropped connection after sending may have been processed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from .credentials import ClientConfig
from .errors import ErrorContext, ProtocolError, TransientServerError

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass(frozen=True)
class RawResponse:
    status_code: int
    content_type: str
    content: bytes = field(repr=False)  # a getAPISession answer holds the session id
    retry_after: float | None = None  # seconds, from a Retry-After header given in seconds


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: rare on APIs, and backoff covers it
        return None


def client_options(config: ClientConfig) -> dict:
    """Shared settings of the sync and async httpx clients."""
    return dict(
        timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
        limits=httpx.Limits(max_connections=config.max_concurrency + 2, max_keepalive_connections=config.max_concurrency + 2),
        headers={"Content-Type": "application/xml", "Accept-Encoding": "gzip, deflate", "User-Agent": config.user_agent},
        follow_redirects=False,
    )


def transport_failure(exc: httpx.HTTPError, context: ErrorContext | None) -> TransientServerError:
    """Name the failure without echoing the request (it holds the session id): the URL tried (scheme, host,
    port and path only) and, when the connection failed, why in words (refused, DNS, timeout, TLS)."""
    sent = not isinstance(exc, _NOT_SENT)
    url = _url_tried(exc)
    reason = unreachable_reason(exc) if not sent else None
    if not sent:
        what = f"could not connect to {url or 'the gateway'}: {reason}"
    else:
        what = f"no complete answer from {url or 'the gateway'}: {_answer_failure(exc)}"
    return TransientServerError("http", description=what, request_sent=sent, context=context, url=url,
                                reason=reason)


def _url_tried(exc: httpx.HTTPError) -> str | None:
    try:
        url = exc.request.url
    except RuntimeError:  # raised before a request existed
        return None
    return str(url.copy_with(username=None, password=None, query=None, fragment=None))


def _answer_failure(exc: httpx.HTTPError) -> str:
    """What went wrong after the request went out, in words (never a Python class name)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the answer"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection closed before the answer was complete"
    if isinstance(exc, httpx.NetworkError):
        return "the connection broke during the exchange"
    return "the exchange failed"


def unreachable_reason(exc: httpx.HTTPError) -> str:
    """Why no connection was made, in the words an operator checks them by."""
    text = str(exc).lower()
    if isinstance(exc, httpx.TimeoutException):
        return "timed out (no connection within the connect timeout)"
    if "refused" in text:
        return "connection refused (nothing listens at that host and port)"
    if any(words in text for words in ("name or service not known", "name resolution", "nodename nor servname",
                                       "no address associated", "getaddrinfo", "not known")):
        return "the host name could not be resolved (DNS)"
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "the TLS handshake failed (certificate)"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the URL is not an http:// or https:// address"
    return "the connection failed"


def _raw(response: httpx.Response, context: ErrorContext | None) -> RawResponse:
    if response.is_redirect:
        where = response.headers.get("location", "")[:200]
        raise ProtocolError("http", description=(
            f"the endpoint answered with a redirect (HTTP {response.status_code} to {where or 'nowhere'}); it was not "
            "followed, because the request holds the sender password"), http_status=response.status_code,
            correction="set the endpoint to the gateway's own address (an allowed endpoint), not one that redirects",
            context=context)
    return RawResponse(response.status_code, response.headers.get("content-type", ""), response.content,
                       _retry_after(response.headers.get("retry-after")))


# Redirects are never followed, whatever client is passed in: the body holds the sender password, and a
# redirect's target has not been checked against the allow-list (endpoints.py).  A 3xx is an error answer.


class SyncTransport:
    def __init__(self, config: ClientConfig, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(**client_options(config))

    def post(self, url: str, body: bytes, context: ErrorContext | None = None) -> RawResponse:
        try:
            return _raw(self._client.post(url, content=body, follow_redirects=False), context)
        except httpx.HTTPError as exc:
            raise transport_failure(exc, context) from exc

    def close(self) -> None:
        self._client.close()


class AsyncTransport:
    def __init__(self, config: ClientConfig, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(**client_options(config))

    async def post(self, url: str, body: bytes, context: ErrorContext | None = None) -> RawResponse:
        try:
            return _raw(await self._client.post(url, content=body, follow_redirects=False), context)
        except httpx.HTTPError as exc:
            raise transport_failure(exc, context) from exc

    async def close(self) -> None:
        await self._client.aclose()
