"""Who the client signs in as, and how it behaves on the wire.

Secrets are kept out of `repr()` on purpose: these objects end up in logs,
tracebacks and debugger output.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from .endpoints import INTACCT_HOSTS, EndpointPolicy

DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"


@dataclass(frozen=True)
class Credentials:
    """Sender (the integration) plus company user, and optionally the entity to work in."""

    sender_id: str
    sender_password: str = field(repr=False)
    company_id: str = ""
    user_id: str = ""
    user_password: str = field(repr=False, default="")
    entity_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"Credentials(sender_id={self.sender_id!r}, sender_password='***', company_id={self.company_id!r}, "
            f"user_id={self.user_id!r}, user_password='***', entity_id={self.entity_id!r})"
        )

    __str__ = __repr__

    def for_entity(self, entity_id: str | None) -> "Credentials":
        """The same sign-in, opened at another entity (None = top level)."""
        return replace(self, entity_id=entity_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Credentials":
        """Read the `INTACCT_*` lines (the emulator's and the operator's settings use the same names)."""
        return cls(
            sender_id=env["INTACCT_SENDER_ID"],
            sender_password=env["INTACCT_SENDER_PASSWORD"],
            company_id=env["INTACCT_COMPANY_ID"],
            user_id=env["INTACCT_USER_ID"],
            user_password=env["INTACCT_USER_PASSWORD"],
            entity_id=env.get("INTACCT_ENTITY_ID") or None,
        )


@dataclass(frozen=True)
class ClientConfig:
    """Tuning knobs.  Defaults suit a real company on performance tier 1 (2 concurrent requests)."""

    endpoint: str = DEFAULT_ENDPOINT
    batch_size: int = 100            # functions per request
    max_concurrency: int = 2         # per company; the adaptive limiter never goes above it
    timeout: float = 30.0            # read timeout, seconds
    connect_timeout: float = 10.0
    max_retries: int = 5
    backoff_base: float = 0.5        # seconds; full jitter over base * 2**attempt
    backoff_max: float = 30.0
    throttle_pause: float = 1.0      # minimum pause for everyone after a 429 / GW-0010
    increase_after: int = 20         # successes (at the current limit) before the limit rises by one
    session_renew_margin: float = 60.0  # renew a session this many seconds before it is due to expire
    dtd_version: str = "3.0"
    user_agent: str = "intacct-bridge"
    # Where requests (each holds the sender password) may go; see endpoints.py.  None: the endpoint
    # above and any https Intacct host (*.intacct.com, the SDKs' check).  A tuple: only these, so the
    # endpoint above must match one too (the product always passes the operator's list).
    allowed_endpoints: tuple[str, ...] | None = None
    # REST only: "composite" (up to 10 writes a request, each with its own Idempotency-Key, the default) or
    # "batch" (one request of up to batch_size records of one object, one key derived from their controlids).
    rest_writes: str = "composite"

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.max_concurrency < 1:
            raise ValueError("batch_size and max_concurrency must be at least 1")
        if self.max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        if self.rest_writes not in ("composite", "batch"):
            raise ValueError("rest_writes is 'composite' or 'batch'")
        if isinstance(self.allowed_endpoints, str):
            raise ValueError("allowed_endpoints is a tuple of URLs, not one string")
        self.endpoint_policy()  # a malformed entry fails here, not at the first request

    def endpoint_policy(self) -> EndpointPolicy:
        """The allow-list every request of a client with this configuration is checked against."""
        if self.allowed_endpoints is None:
            return EndpointPolicy([self.endpoint, INTACCT_HOSTS])
        return EndpointPolicy(self.allowed_endpoints)
