"""A workspace's notification settings, its outbox of notifications and their delivery log.

The webhook secret is stored as a Fernet token (`crypto.SecretBox`) and never read back out of this
module except by delivery; `NotificationConfig` says only whether one is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.crypto import SecretBox
from intacct_bridge.notifications.events import EMAIL_EVENTS, parse_events
from intacct_bridge.notifications.targets import WebhookRefused, check_webhook_url
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.models import Notification, NotificationSettingsRow, utcnow
from intacct_bridge.store.repositories import audit

EMAIL, WEBHOOK = "email", "webhook"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
MIN_SECRET = 16


class NotificationRefused(Conflict):
    """Settings that cannot be saved (a webhook URL not allowed, a short secret, a bad address)."""


@dataclass(frozen=True)
class NotificationConfig:
    """What a workspace is told and where; never the secret itself."""

    email_recipients: list[str]
    webhook_url: str | None
    webhook_secret_set: bool
    events: list[str] | None          # None: every event

    def wants(self, event: str) -> bool:
        return self.events is None or event in self.events

    def channels(self, event: str) -> list[tuple[str, str]]:
        """(channel, target) pairs this event goes to."""
        if not self.wants(event):
            return []
        out = []
        if self.email_recipients and event in EMAIL_EVENTS:
            out.append((EMAIL, ", ".join(self.email_recipients)))
        if self.webhook_url:
            out.append((WEBHOOK, self.webhook_url))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"email_recipients": self.email_recipients, "webhook_url": self.webhook_url,
                "webhook_secret_set": self.webhook_secret_set, "events": self.events}


@dataclass(frozen=True)
class NotificationChange:
    """A change to the settings; a field left None keeps its value (`clear_webhook` removes the webhook)."""

    email_recipients: Sequence[str] | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    events: Sequence[str] | None = None
    clear_webhook: bool = False


def load_config(session: Session, workspace_id: int) -> NotificationConfig:
    row = session.get(NotificationSettingsRow, workspace_id)
    if row is None:
        return NotificationConfig([], None, False, None)
    return NotificationConfig(list(row.email_recipients or []), row.webhook_url,
                              bool(row.webhook_secret_encrypted), row.events)


def _recipients(values: Sequence[str]) -> list[str]:
    out = []
    for value in values:
        address = value.strip()
        if not address:
            continue
        local, at, domain = address.rpartition("@")
        if not at or not local or "." not in domain or any(c.isspace() or c in "<>,;" for c in address):
            raise NotificationRefused(f"email recipient {address!r} is not an address like name@example.org")
        out.append(address)
    return list(dict.fromkeys(out))


def save_config(session: Session, workspace_id: int, change: NotificationChange, box: SecretBox, *,
                allow_private: bool) -> NotificationConfig:
    """Apply `change`; a webhook needs a secret of at least 16 characters (kept encrypted)."""
    row = session.get(NotificationSettingsRow, workspace_id)
    if row is None:
        row = NotificationSettingsRow(workspace_id=workspace_id, email_recipients=[])
        session.add(row)
    if change.email_recipients is not None:
        row.email_recipients = _recipients(change.email_recipients)
    if change.events is not None:
        try:
            row.events = parse_events(list(change.events))
        except ValueError as exc:
            raise NotificationRefused(str(exc)) from None
    if change.clear_webhook:
        row.webhook_url = row.webhook_secret_encrypted = None
    if change.webhook_url is not None and change.webhook_url.strip():
        try:
            row.webhook_url = check_webhook_url(change.webhook_url.strip(), allow_private=allow_private)
        except WebhookRefused as exc:
            raise NotificationRefused(str(exc)) from None
    if change.webhook_secret is not None:
        secret = change.webhook_secret.get_secret_value()
        if len(secret) < MIN_SECRET:
            raise NotificationRefused(f"the webhook secret must have at least {MIN_SECRET} characters")
        row.webhook_secret_encrypted = box.encrypt(secret)
    if row.webhook_url and not row.webhook_secret_encrypted:
        raise NotificationRefused("a webhook needs a secret (at least 16 characters) to sign its bodies")
    session.flush()
    audit.record(session, workspace_id, "settings.changed", "notification settings", audit.described(change))
    return load_config(session, workspace_id)


def webhook_secret(session: Session, workspace_id: int, box: SecretBox) -> SecretStr | None:
    """The secret that signs this workspace's webhooks (delivery only)."""
    row = session.get(NotificationSettingsRow, workspace_id)
    if row is None or not row.webhook_secret_encrypted:
        return None
    return box.decrypt(row.webhook_secret_encrypted)


def enqueue(session: Session, workspace_id: int, config: NotificationConfig, event: str, payload: dict[str, Any],
            *, dedupe_key: str, run_id: int | None, now: datetime | None = None) -> int:
    """Queue `event` on every channel the workspace wants it on (once per dedupe key); returns how many rows."""
    added = 0
    when = now or utcnow()
    for channel, target in config.channels(event):
        seen = session.scalar(select(Notification.id).where(
            Notification.workspace_id == workspace_id, Notification.channel == channel,
            Notification.dedupe_key == dedupe_key))
        if seen is not None:
            continue
        session.add(Notification(workspace_id=workspace_id, event=event, channel=channel, target=target,
                                 payload=payload, dedupe_key=dedupe_key, run_id=run_id, status=PENDING,
                                 attempts=0, next_attempt_at=when, created_at=when))
        added += 1
    return added


def list_deliveries(session: Session, workspace_id: int, *, status: str | None = None, event: str | None = None,
                    limit: int = 100, before_id: int | None = None) -> list[Notification]:
    """The delivery log, newest first."""
    query = select(Notification).where(Notification.workspace_id == workspace_id)
    if status:
        query = query.where(Notification.status == status)
    if event:
        query = query.where(Notification.event == event)
    if before_id:
        query = query.where(Notification.id < before_id)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def get_delivery(session: Session, workspace_id: int, delivery_id: int) -> Notification:
    row = session.get(Notification, delivery_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound(f"there is no notification {delivery_id} in this workspace")
    return row


def delivery_dict(row: Notification) -> dict[str, Any]:
    """A delivery log row as JSON (what the CLI, the API and the Python API show)."""
    return {"id": row.id, "event": row.event, "channel": row.channel, "target": row.target, "status": row.status,
            "attempts": row.attempts, "run_id": row.run_id, "last_error": row.last_error,
            "last_status_code": row.last_status_code, "created_at": row.created_at.isoformat(),
            "next_attempt_at": row.next_attempt_at.isoformat() if row.status == PENDING else None,
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None}
