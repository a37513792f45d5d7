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

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.sync_settings import SyncSettings
from intacct_bridge.intacct.client import IntacctClient
from intacct_bridge.intacct.credentials import ClientConfig, Credentials
from intacct_bridge.intacct.endpoints import EndpointNotAllowedError
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.errors import NotFound
from intacct_bridge.store.models import Connection, Workspace
from intacct_bridge.store.repositories.connections import load_connection
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.workers.limiter import company_gate

ClientFactory = Callable[[], IntacctClient]


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


def credentials_for(store: Store, workspace_id: int, operator: OperatorSettings) -> tuple[Credentials, str]:
    """The workspace's Intacct sign-in and endpoint; raises NotConfigured with the missing piece."""
    if not operator.sender_id or operator.sender_password is None:
        raise NotConfigured(
            "no Web Services sender: set INTACCT_SENDER_ID and INTACCT_SENDER_PASSWORD in the operator configuration"
        )
    with store.session() as session:
        try:
            details = load_connection(session, workspace_id, SecretBox.from_settings(operator))
        except NotFound as exc:
            raise NotConfigured(str(exc)) from None
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


def client_factory(store: Store, workspace_id: int, operator: OperatorSettings | None = None,
                   **config: object) -> ClientFactory:
    """A factory of clients signed in as the workspace; `config` overrides ClientConfig fields.

    The endpoint and the allow-list are not among them: they come from the workspace and the operator.
    """
    operator = operator or OperatorSettings()
    for name in ("endpoint", "allowed_endpoints"):
        if name in config:
            raise TypeError(f"{name!r} is not a client option: it comes from the workspace and the operator settings")

    def make() -> IntacctClient:
        credentials, endpoint = credentials_for(store, workspace_id, operator)
        allowed = operator.endpoint_policy().entries
        settings = ClientConfig(endpoint=endpoint, allowed_endpoints=allowed, **config)  # type: ignore[arg-type]
        gate = company_gate(operator, credentials.company_id, settings.max_concurrency,
                            settings.timeout + settings.connect_timeout)
        return IntacctClient(credentials, settings, gate=gate)

    return make
