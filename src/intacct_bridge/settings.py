"""Operator configuration (the deployment, not one workspace): environment and `.env`.

`INTACCT_BRIDGE_*` lines configure the service; the sender id and password belong to the
deployment and come from `INTACCT_SENDER_ID` / `INTACCT_SENDER_PASSWORD`; `INTACCT_ENDPOINT`
is the endpoint a workspace uses unless it sets its own.

Every request carries the sender password, so the endpoints a workspace may use are the
operator's choice: `INTACCT_BRIDGE_ALLOWED_ENDPOINTS` (comma-separated origins or URL
prefixes; default Intacct's gateway host only) plus `INTACCT_ENDPOINT` itself.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from intacct_bridge.intacct.endpoints import DEFAULT_ALLOWED, DEFAULT_REST_BASE, EndpointNotAllowedError, EndpointPolicy
from intacct_bridge.private_files import private_dir

APP_NAME = "intacct-bridge"
DEFAULT_ENDPOINT = "https://api.intacct.com/ia/xml/xmlgw.phtml"


class OperatorSettings(BaseSettings):
    """Read once per process with `OperatorSettings()`; secrets are `SecretStr` and never printed."""

    model_config = SettingsConfigDict(
        env_prefix="INTACCT_BRIDGE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str | None = None
    data_dir: Path | None = None
    secret_key: SecretStr | None = None
    workspace: str | None = None
    log_level: str = "INFO"
    sender_id: str | None = Field(
        default=None, validation_alias=AliasChoices("INTACCT_SENDER_ID", "INTACCT_BRIDGE_SENDER_ID")
    )
    sender_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("INTACCT_SENDER_PASSWORD", "INTACCT_BRIDGE_SENDER_PASSWORD"),
    )
    default_endpoint: str = Field(
        default=DEFAULT_ENDPOINT,
        validation_alias=AliasChoices("INTACCT_ENDPOINT", "INTACCT_BRIDGE_DEFAULT_ENDPOINT"),
    )
    default_rest_endpoint: str = Field(
        default=DEFAULT_REST_BASE,
        validation_alias=AliasChoices("INTACCT_REST_BASE_URL", "INTACCT_BRIDGE_DEFAULT_REST_ENDPOINT"),
        description="The REST API's base URL (workspaces with api = rest); always allowed, like INTACCT_ENDPOINT.",
    )
    oauth_redirect_uri: str | None = Field(default=None, description=(
        "Where Sage Intacct sends the browser back after Connect with Sage Intacct; register it with the app in "
        "the Sage App Registry. Default: this console's /intacct/callback."))

    broker_url: str | None = Field(
        default=None,
        description="Redis URL (redis://127.0.0.1:6379/0) of the Dramatiq broker: runs are queued for "
                    "`intacct-bridge worker` processes, and every process shares each company's request slots "
                    "through it. Unset: runs go in-process, as in a single-process deployment.",
    )
    broker_namespace: str = Field(default="intacct-bridge",
                                  description="Prefix of every Redis key of this deployment (queues, limiter slots).")
    broker_heartbeat_ms: int = Field(
        default=60_000, ge=1000,
        description="A worker silent this long is taken for dead; its unacknowledged runs are queued again.")
    broker_maintenance_chance: int = Field(
        default=1000, ge=1, le=1_000_000,
        description="Per million broker commands, how many also look for dead workers' messages to queue again.")

    allowed_endpoints: str = Field(
        default=",".join(DEFAULT_ALLOWED),
        description="Comma-separated origins or URL prefixes the sender password may be sent to "
                    "(e.g. https://api.intacct.com,http://127.0.0.1:8111); INTACCT_ENDPOINT is always allowed.",
    )

    # Notifications (email over SMTP; webhooks): the deployment's mail server, and where webhooks may go.
    smtp_host: str | None = Field(default=None, description="SMTP server for notification emails (none: no email)")
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "intacct-bridge@localhost"
    smtp_starttls: bool = True
    smtp_timeout: float = 10.0
    webhook_timeout: float = 10.0
    webhook_allow_private: bool = Field(
        default=False,
        description="Let workspaces send webhooks to loopback and private addresses (tests, closed networks)",
    )
    console_url: str | None = Field(
        default=None,
        description="The console's public address (e.g. https://bridge.example.org), for links in notifications; "
                    "unset: they carry the path alone",
    )
    record_url_template: str = Field(
        default="https://www.intacct.com/ia/acct/ui.phtml?.object={object}&.recordno={recordno}",
        description="The link to a record in Intacct sent with the `record.posted` webhook ({object}, "
                    "{recordno}); ours: the public sources document no deep-link form",
    )

    @field_validator("allowed_endpoints", "default_endpoint", "default_rest_endpoint")
    @classmethod
    def _usable_endpoints(cls, value: str) -> str:
        """A malformed entry stops the process at start-up, naming it, rather than at the first sync."""
        try:
            EndpointPolicy.parse(value)
        except EndpointNotAllowedError as exc:
            raise ValueError(f"{exc} (fix INTACCT_BRIDGE_ALLOWED_ENDPOINTS or INTACCT_ENDPOINT)") from None
        return value

    def endpoint_policy(self) -> EndpointPolicy:
        """Where this deployment may send the sender password: the allowed endpoints and the default endpoint."""
        return EndpointPolicy.parse(self.allowed_endpoints, self.default_endpoint, self.default_rest_endpoint)

    def resolved_data_dir(self) -> Path:
        """Where the SQLite file and the key file live; created on demand, readable by its owner only (0700)."""
        return private_dir(self.data_dir or Path(platformdirs.user_data_dir(APP_NAME)))

    def resolved_database_url(self) -> str:
        """`INTACCT_BRIDGE_DATABASE_URL`, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'intacct-bridge.db'}"
