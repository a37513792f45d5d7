"""Which gateway URLs may receive the sender password: an allow-list, matched on the parsed URL.

Every request to the gateway carries the sender id and sender password of the
deployment, so where requests may go is the operator's decision, never a
tenant's.  An allow-list entry is an http(s) origin (scheme, host, port),
optionally with a path prefix: `https://api.intacct.com`,
`http://127.0.0.1:8111/ia/xml/xmlgw.phtml`; a host `*.example.com` stands for
every subdomain of example.com (not example.com itself).

A URL is matched on what httpx will connect to (the same parser that sends the
request), never on a string prefix: `https://api.intacct.com.attacker.net`,
`https://api.intacct.com@evil/` and `http://0` all fail.  A URL carrying a user
name or password is refused outright.  Hosts are compared literally (after
IDNA and case normalisation), so `127.1` or `2130706433` is not `127.0.0.1`:
list the exact address the operator means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

#: What a deployment allows when its operator lists nothing: Intacct's XML gateway host.
DEFAULT_ALLOWED = ("https://api.intacct.com",)
#: The REST API's base URL (same host: the default allow-list covers it).
DEFAULT_REST_BASE = "https://api.intacct.com/ia/api/v1"
#: Every Intacct host, as the official SDKs' host check has it: what a bare client (no list given) lets
#: a getAPISession answer move it to.
INTACCT_HOSTS = "https://*.intacct.com"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WILDCARD = "*."


class EndpointNotAllowedError(ValueError):
    """A URL outside the allow-list, or an entry of the list that is not a usable origin; the text says why."""


def shown(url: str) -> str:
    """`url` fit for a message: any user name or password in it replaced by `***`, and at most 200 characters."""
    split = urlsplit(url.strip())
    if "@" in split.netloc:
        url = split._replace(netloc="***@" + split.netloc.rsplit("@", 1)[1]).geturl()
    return url.strip()[:200]


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA), lower case
    port: int
    path: str


def _target(url: str) -> _Target:
    """Where httpx would send a request for `url`; refuses anything that is not a plain http(s) URL."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, UnicodeError) as exc:
        raise EndpointNotAllowedError(f"{shown(url)!r} is not a valid URL ({exc})") from None
    if parsed.scheme not in _DEFAULT_PORTS:
        raise EndpointNotAllowedError(f"{shown(url)!r} is not an http(s) URL")
    if parsed.userinfo:
        raise EndpointNotAllowedError("an endpoint URL may not carry a user name or password (`user@host`)")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise EndpointNotAllowedError(f"{shown(url)!r} names no host")
    return _Target(parsed.scheme, host, parsed.port or _DEFAULT_PORTS[parsed.scheme], parsed.path or "/")


@dataclass(frozen=True)
class _Rule:
    scheme: str
    host: str  # without the "*." of a wildcard
    port: int
    path: str  # "/" = any path
    subdomains: bool
    text: str

    def matches(self, target: _Target) -> bool:
        if (target.scheme, target.port) != (self.scheme, self.port):
            return False
        if self.subdomains:
            if not target.host.endswith("." + self.host):
                return False
        elif target.host != self.host:
            return False
        prefix = self.path.rstrip("/")
        return not prefix or target.path == prefix or target.path.startswith(prefix + "/")


def _rule(entry: str) -> _Rule:
    text = entry.strip()
    split = urlsplit(text)
    subdomains = split.netloc.startswith(_WILDCARD)
    try:  # a wildcard's rest is parsed as a concrete host; the rule then covers its subdomains only
        target = _target(text.replace(_WILDCARD, "", 1) if subdomains else text)
    except EndpointNotAllowedError as exc:
        raise EndpointNotAllowedError(f"allowed endpoint {shown(entry)!r}: {exc}") from None
    if split.query or split.fragment:
        raise EndpointNotAllowedError(f"allowed endpoint {shown(entry)!r}: give an origin or a path, "
                                      "without ?query or #fragment")
    if subdomains and "." not in target.host:
        raise EndpointNotAllowedError(f"allowed endpoint {shown(entry)!r}: a wildcard needs a domain with a dot, "
                                      "e.g. *.intacct.com")
    if "*" in target.host:
        raise EndpointNotAllowedError(f"allowed endpoint {shown(entry)!r}: '*' may only start the host, "
                                      "as in *.intacct.com")
    return _Rule(target.scheme, target.host, target.port, target.path, subdomains, text)


class EndpointPolicy:
    """The allow-list; `check(url)` is the one guard every request and every saved endpoint goes through."""

    def __init__(self, entries: Iterable[str]) -> None:
        self._rules = tuple(_rule(e) for e in entries if e and e.strip())

    @classmethod
    def parse(cls, text: str, *also: str | None) -> "EndpointPolicy":
        """From a comma-separated list (`INTACCT_BRIDGE_ALLOWED_ENDPOINTS`) plus single entries (None skipped)."""
        return cls([*text.split(","), *(a for a in also if a)])

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(r.text for r in self._rules)

    def allows(self, url: str) -> bool:
        try:
            self.check(url)
        except EndpointNotAllowedError:
            return False
        return True

    def check(self, url: str) -> str:
        """`url` unchanged when a request may go there; EndpointNotAllowedError saying why otherwise."""
        target = _target(url)
        if not any(rule.matches(target) for rule in self._rules):
            allowed = ", ".join(self.entries) or "nothing"
            raise EndpointNotAllowedError(f"{shown(url)} is not an allowed Intacct endpoint (allowed: {allowed})")
        return url

    def __repr__(self) -> str:
        return f"EndpointPolicy({list(self.entries)!r})"


def same_endpoint(a: str | None, b: str | None) -> bool:
    """Whether two URLs name the same endpoint once normalised (case, default port, dot segments)."""
    if a is None or b is None:
        return a is b
    try:
        return httpx.URL(a.strip()) == httpx.URL(b.strip())
    except (httpx.InvalidURL, TypeError, UnicodeError):
        return a.strip() == b.strip()
