"""What a run needs to know about its workspace, read once at its start.

Settings become the domain's `SyncSettings`; the connection becomes the
client's `Credentials` (the password decrypted only here, into a `Credentials`
whose repr hides it), with the sender id and password of the deployment.

Every client of the product is built here, and always with the operator's
allow-list of endpoints: a workspace endpoint outside it (saved before the list
existed, or written into the database by hand) stops here with the fix, and the
client itself refuses any request outside it (including the endpoint a
getAPISession answer names). Every client also takes its company's shared slots
(`workers.limiter`): across processes when a broker's Redis is configured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.sync_settings import SyncSettings

from intacct_bridge.intacct.client import IntacctClient
from intacct_bridge.intacct.concurrency import SharedGate
from intacct_bridge.intacct.credentials import ClientConfig, Credentials
from intacct_bridge.intacct.endpoints import EndpointNotAllowedError
from intacct_bridge.intacct.oauth import RestCredentials
from intacct_bridge.intacct.rest_client import RestClient
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.models import Connection, Workspace
from intacct_bridge.store.repositories.connections import ConnectionDetails, load_connection, save_refresh_token
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.workers.limiter import company_gate

ClientFactory = Callable[[], "IntacctClient | RestClient"]


class NotConfigured(Exception):
    """The workspace lacks something a run needs (a connection, a sender id); the text says what."""


@dataclass(frozen=True)
class WorkspaceContext:
    workspace_id: int
    uid: str
    slug: str
    last_sync_at: datetime | None
    settings: SyncSettings
    user_id: str | None
    company_id: str | None


def load_context(store: Store, workspace_id: int) -> WorkspaceContext:
    with store.session() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise NotConfigured(f"no workspace with id {workspace_id}")
        connection = session.get(Connection, workspace_id)
        return WorkspaceContext(
            workspace_id=workspace.id,
            uid=workspace.uid,
            slug=workspace.slug,
            last_sync_at=workspace.last_sync_at,
            settings=load_sync_settings(session, workspace_id),
            user_id=connection.user_id if connection else None,
            company_id=connection.company_id if connection else None,
        )


def _details(store: Store, workspace_id: int, operator: OperatorSettings) -> ConnectionDetails:
    with store.session() as session:
        try:
            return load_connection(session, workspace_id, SecretBox.from_settings(operator))
        except NotFound as exc:
            raise NotConfigured(str(exc)) from None


def api_of(store: Store, workspace_id: int, operator: OperatorSettings | None = None) -> str:
    """Which API the workspace speaks ("xml" or "rest")."""
    return _details(store, workspace_id, operator or OperatorSettings()).api


def credentials_for(store: Store, workspace_id: int, operator: OperatorSettings) -> tuple[Credentials, str]:
    """The workspace's Intacct sign-in and endpoint; raises NotConfigured with the missing piece."""
    if not operator.sender_id or operator.sender_password is None:
        raise NotConfigured(
            "no Web Services sender: set INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD in the operator configuration"
        )
    details = _details(store, workspace_id, operator)
    credentials = Credentials(
        sender_id=operator.sender_id,
        sender_password=operator.sender_password.get_secret_value(),
        company_id=details.company_id,
        user_id=details.user_id,
        user_password=details.password.get_secret_value(),
        entity_id=details.entity_id,
    )
    endpoint = details.endpoint or operator.default_endpoint
    try:
        operator.endpoint_policy().check(endpoint)
    except EndpointNotAllowedError as refused:
        raise NotConfigured(
            f"the workspace's Intacct endpoint is not allowed: {refused}. Nothing was sent. Set the workspace's "
            "endpoint to an allowed one (or empty for the default), or have the operator add it to "
            "INTACCT_BRIDGE_ALLOWED_ENDPOINTS") from None
    return credentials, endpoint


def rest_credentials_for(store: Store, workspace_id: int, operator: OperatorSettings) -> tuple[RestCredentials, str]:
    """The workspace's OAuth client and user for the REST API, and its base URL (checked against the allow-list)."""
    details = _details(store, workspace_id, operator)
    if not details.client_id or details.client_secret is None:
        raise NotConfigured("the workspace speaks the REST API but has no OAuth client: save its client id and "
                            "secret (`intacct-bridge connect-rest`, or Connect with Sage Intacct in the console)")
    credentials = RestCredentials(details.client_id, details.client_secret.get_secret_value(), details.company_id,
                                  details.user_id, details.entity_id,
                                  details.refresh_token.get_secret_value() if details.refresh_token else None)
    base = operator.default_rest_endpoint
    try:
        operator.endpoint_policy().check(base)
    except EndpointNotAllowedError as refused:
        raise NotConfigured(f"the REST API's base URL is not allowed: {refused}. Nothing was sent. Have the operator "
                            "add it to INTACCT_BRIDGE_ALLOWED_ENDPOINTS") from None
    return credentials, base


def check_configured(store: Store, workspace_id: int, operator: OperatorSettings) -> None:
    """Fail fast (NotConfigured, with the fix) when the workspace cannot sign in on its API."""
    if api_of(store, workspace_id, operator) == "rest":
        rest_credentials_for(store, workspace_id, operator)
    else:
        credentials_for(store, workspace_id, operator)


def _gate(operator: OperatorSettings, company_id: str, settings: ClientConfig) -> SharedGate:
    """The company's slot shared with other processes: one limit for both wires, as Intacct counts them."""
    return company_gate(operator, company_id, settings.max_concurrency, settings.timeout + settings.connect_timeout)


def client_factory(store: Store, workspace_id: int, operator: OperatorSettings | None = None,
                   **config: object) -> ClientFactory:
    """A factory of clients signed in as the workspace, on its API (XML or REST); `config` overrides ClientConfig fields.

    The endpoint and the allow-list are not among them: they come from the workspace and the operator.
    """
    operator = operator or OperatorSettings()
    for name in ("endpoint", "allowed_endpoints"):
        if name in config:
            raise TypeError(f"{name!r} is not a client option: it comes from the workspace and the operator settings")

    def keep_refresh_token(token: str) -> None:
        with store.write_session() as session:
            save_refresh_token(session, workspace_id, SecretBox.from_settings(operator), SecretStr(token))

    def make() -> IntacctClient | RestClient:
        allowed = operator.endpoint_policy().entries
        if api_of(store, workspace_id, operator) == "rest":
            rest, base = rest_credentials_for(store, workspace_id, operator)
            settings = ClientConfig(endpoint=base, allowed_endpoints=allowed, **config)  # type: ignore[arg-type]
            return RestClient(rest, settings, gate=_gate(operator, rest.company_id, settings),
                              on_refresh=keep_refresh_token)
        credentials, endpoint = credentials_for(store, workspace_id, operator)
        settings = ClientConfig(endpoint=endpoint, allowed_endpoints=allowed, **config)  # type: ignore[arg-type]
        return IntacctClient(credentials, settings, gate=_gate(operator, credentials.company_id, settings))

    return make
