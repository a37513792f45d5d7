"""Where a workspace's webhook may go: tenants choose the URL, so it must not reach inside the deployment.

A URL must be http(s) without userinfo, and every address its host resolves to must be public: loopback,
private, link-local (cloud metadata), multicast and reserved addresses are refused unless the operator
allows them (`INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE`, for tests and closed networks). The check runs when
the URL is saved and again before each delivery; redirects are never followed.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx


class WebhookRefused(ValueError):
    """The webhook URL may not be used; the text says why."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def check_webhook_url(url: str, *, allow_private: bool, resolve: bool = True) -> str:
    """The URL, or `WebhookRefused` naming what is wrong with it."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise WebhookRefused(f"webhook URL {url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise WebhookRefused(f"webhook URL {url!r} must start with https:// (or http://) and name a host")
    if parsed.userinfo:
        raise WebhookRefused("webhook URL must not carry a user name or password: sign with the webhook secret")
    if allow_private or not resolve:
        return url
    try:
        infos = socket.getaddrinfo(parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise WebhookRefused(f"webhook host {parsed.host!r} does not resolve: {exc.strerror}") from None
    for info in infos:
        address = str(info[4][0])
        if not _public(address):
            raise WebhookRefused(
                f"webhook host {parsed.host!r} resolves to {address}, a loopback, private or reserved address: "
                "webhooks go to public addresses only (the operator may allow private ones with "
                "INTACCT_BRIDGE_WEBHOOK_ALLOW_PRIVATE=true)")
    return url
