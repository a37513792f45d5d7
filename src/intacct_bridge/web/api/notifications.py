"""A workspace's notifications over REST: recipients, webhook (its secret write-only), events, delivery log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, SecretStr

from intacct_bridge.notifications.delivery import deliver_pending
from intacct_bridge.notifications.events import EVENTS
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.web.api.deps import ReadSession, State, WorkspaceId

router = APIRouter(prefix="/workspaces/{workspace}", tags=["notifications"])


class NotificationsOut(BaseModel):
    email_recipients: list[str]
    webhook_url: str | None
    webhook_secret_set: bool = Field(description="The secret itself is never returned")
    events: list[str] | None = Field(description="null: every event (" + ", ".join(EVENTS) + ")")


class NotificationsIn(BaseModel):
    """Fields left out keep their value; `clear_webhook` removes the webhook and its secret."""

    email_recipients: list[Annotated[str, Field(max_length=320)]] | None = Field(default=None, max_length=50)
    webhook_url: Annotated[str, Field(max_length=2000)] | None = None
    webhook_secret: SecretStr | None = Field(default=None, description="At least 16 characters; kept encrypted")
    events: list[Annotated[str, Field(max_length=32)]] | None = Field(default=None, max_length=10,
                                                                       description="[] for every event")
    clear_webhook: bool = False


class DeliveryOut(BaseModel):
    id: int
    event: str
    channel: str
    target: str
    status: str
    attempts: int
    run_id: int | None
    last_error: str | None
    last_status_code: int | None
    created_at: str
    next_attempt_at: str | None
    delivered_at: str | None


class DeliveredOut(BaseModel):
    delivered: int
    retrying: int
    failed: int


@router.get("/notifications", summary="Where the workspace's notifications go")
def get_notifications(workspace_id: WorkspaceId, session: ReadSession) -> NotificationsOut:
    return NotificationsOut(**notification_store.load_config(session, workspace_id).as_dict())


@router.put("/notifications", summary="Change recipients, webhook or events (a refused webhook URL is 409)")
def put_notifications(body: NotificationsIn, workspace_id: WorkspaceId, state: State) -> NotificationsOut:
    change = notification_store.NotificationChange(body.email_recipients, body.webhook_url, body.webhook_secret,
                                                   body.events, body.clear_webhook)
    with state.store.write_session() as session:
        config = notification_store.save_config(session, workspace_id, change,
                                                state.box,
                                                allow_private=state.operator.webhook_allow_private)
    return NotificationsOut(**config.as_dict())


@router.get("/notifications/deliveries", summary="The delivery log, newest first")
def deliveries(workspace_id: WorkspaceId, session: ReadSession,
               status: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")] = None,
               event: Annotated[str | None, Query(max_length=32)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[DeliveryOut]:
    rows: list[dict[str, Any]] = [notification_store.delivery_dict(r) for r in notification_store.list_deliveries(
        session, workspace_id, status=status, event=event, limit=limit)]
    return [DeliveryOut(**row) for row in rows]


@router.post("/notifications/deliver", summary="Send the workspace's due notifications now")
def deliver(workspace_id: WorkspaceId, state: State) -> DeliveredOut:
    return DeliveredOut(**deliver_pending(state.store, state.operator, workspace_id=workspace_id).as_dict())
