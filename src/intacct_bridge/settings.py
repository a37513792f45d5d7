"""Operator configuration (the deployment, not one workspace): environment and `.env`.

`INTACCT_BRIDGE_*` lines configure the service; the sender id and password belong to the
deployment and come from `INTACCT_SENDER_ID` / `INTACCT_SENDER_PASSWORD`; `INTACCT_ENDPOINT`
is the endpoint a workspace uses unless it sets its own.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    def resolved_data_dir(self) -> Path:
        """Where the SQLite file and the key file live; created on demand, readable by its owner only (0700)."""
        return private_dir(self.data_dir or Path(platformdirs.user_data_dir(APP_NAME)))

    def resolved_database_url(self) -> str:
        """`INTACCT_BRIDGE_DATABASE_URL`, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'intacct-bridge.db'}"
