"""Delivering queued notifications: email over SMTP, webhooks as signed JSON; retried with backoff.

`deliver_pending(store, operator, box)` sends every notification that is due, each in its own short
transaction, and records the attempt (status, attempts, last error) on the row, which is also the
delivery log. A failure waits 30 s, 1 min, 2 min... (at most an hour) before the next attempt; after
`MAX_ATTEMPTS` the row is `failed`. It is a plain function: the process that ran a sync calls it
afterwards, and a worker can call it on a timer. Nothing here runs inside a sync.
"""

from __future__ import annotations

import json
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import select, update

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.error_classes import exponential
from intacct_bridge.notifications import events
from intacct_bridge.notifications.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from intacct_bridge.notifications.targets import WebhookRefused, check_webhook_url
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Notification, utcnow
from intacct_bridge.store.repositories.notifications import (
    DELIVERED, EMAIL, FAILED, PENDING, WEBHOOK, webhook_secret,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
BATCH = 100
# How long a claimed notification is left to its sender before another process may try it (a crash mid-send).
LEASE = timedelta(minutes=5)


class DeliveryFailed(Exception):
    """One attempt failed; the text (never a secret) goes to the delivery log."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass
class DeliveryTotals:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "retrying": self.retrying, "failed": self.failed}


def retry_wait(attempts: int) -> timedelta:
    """How long a notification waits after its `attempts`-th failure."""
    return exponential(FIRST_WAIT, LONGEST_WAIT, attempts)


def deliver_pending(store: Store, operator: OperatorSettings, box: SecretBox | None = None, *,
                    workspace_id: int | None = None, now: datetime | None = None,
                    clock: Callable[[], datetime] = utcnow) -> DeliveryTotals:
    """Send every due notification (of one workspace, or all); returns what became of them."""
    box = box or SecretBox.from_settings(operator)
    totals = DeliveryTotals()
    due_by = now or clock()
    after = 0
    while True:
        with store.session() as session:
            query = select(Notification.id).where(Notification.status == PENDING,
                                                  Notification.next_attempt_at <= due_by, Notification.id > after)
            if workspace_id is not None:
                query = query.where(Notification.workspace_id == workspace_id)
            ids = list(session.scalars(query.order_by(Notification.id).limit(BATCH)))
        if not ids:
            return totals
        after = ids[-1]
        for notification_id in ids:
            _deliver_one(store, operator, box, notification_id, now, clock, totals)


def _claim(store: Store, notification_id: int, due_by: datetime, lease_until: datetime) -> bool:
    """Take the row for one attempt (its next attempt moved past the lease), unless another process has.

    Several `serve` processes or workers may deliver at once; only the one whose UPDATE matched sends it.
    """
    with store.write_session() as session:
        claimed = session.execute(update(Notification).where(
            Notification.id == notification_id, Notification.status == PENDING,
            Notification.next_attempt_at <= due_by).values(next_attempt_at=lease_until))
        return claimed.rowcount == 1


def _deliver_one(store: Store, operator: OperatorSettings, box: SecretBox, notification_id: int,
                 now: datetime | None, clock: Callable[[], datetime], totals: DeliveryTotals) -> None:
    due_by = now or clock()
    if not _claim(store, notification_id, due_by, due_by + LEASE):
        return
    with store.session() as session:
        row = session.get(Notification, notification_id)
        assert row is not None
        channel, payload, target, workspace_id = row.channel, dict(row.payload), row.target, row.workspace_id
        secret = webhook_secret(session, workspace_id, box) if channel == WEBHOOK else None
    status_code = None
    try:
        if channel == EMAIL:
            send_email(operator, [t.strip() for t in target.split(",") if t.strip()], payload)
        else:
            if secret is None:
                raise DeliveryFailed("the workspace has no webhook secret any more")
            status_code = send_webhook(operator, target, secret.get_secret_value(), notification_id, payload)
        error = None
    except DeliveryFailed as exc:
        error, status_code = str(exc), exc.status_code
    when = now or clock()
    with store.write_session() as session:
        row = session.get(Notification, notification_id)
        if row is None:
            return
        row.attempts += 1
        row.last_status_code = status_code
        if error is None:
            row.status, row.delivered_at, row.last_error = DELIVERED, when, None
            totals.delivered += 1
        elif row.attempts >= MAX_ATTEMPTS:
            row.status, row.last_error = FAILED, error
            totals.failed += 1
        else:
            row.last_error, row.next_attempt_at = error, when + retry_wait(row.attempts)
            totals.retrying += 1
    if error is not None:
        log.warning("notification %s (%s to %s) attempt failed: %s", notification_id, channel,
                    "recipients" if channel == EMAIL else "webhook", error)


def send_email(operator: OperatorSettings, recipients: list[str], payload: dict[str, Any]) -> None:
    """One email to the workspace's recipients through the operator's SMTP server."""
    if not operator.smtp_host:
        raise DeliveryFailed("no SMTP server is configured (INTACCT_BRIDGE_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = operator.smtp_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = events.subject(payload)
    message.set_content(events.body(payload))
    try:
        with smtplib.SMTP(operator.smtp_host, operator.smtp_port, timeout=operator.smtp_timeout) as smtp:
            if operator.smtp_starttls:
                smtp.starttls()
            if operator.smtp_user and operator.smtp_password is not None:
                smtp.login(operator.smtp_user, operator.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"SMTP {operator.smtp_host}:{operator.smtp_port}: {type(exc).__name__}: {exc}") from None


def send_webhook(operator: OperatorSettings, url: str, secret: str, delivery_id: int,
                 payload: dict[str, Any]) -> int:
    """POST the signed JSON body; a 2xx answer is delivered, anything else (redirects included) a failure."""
    try:
        check_webhook_url(url, allow_private=operator.webhook_allow_private)
    except WebhookRefused as exc:
        raise DeliveryFailed(str(exc)) from None
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "intacct-bridge",
               SIGNATURE_HEADER: signature(secret, int(time.time()), body),
               EVENT_HEADER: str(payload.get("event", "")), DELIVERY_HEADER: str(delivery_id)}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=operator.webhook_timeout,
                              follow_redirects=False)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"webhook request failed: {type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"webhook answered HTTP {response.status_code}", response.status_code)
    return response.status_code


def deliver_quietly(store: Store, operator: OperatorSettings, workspace_id: int | None = None) -> DeliveryTotals | None:
    """Deliver what is due after a run; a failure here is logged, never raised into the caller's run."""
    try:
        return deliver_pending(store, operator, workspace_id=workspace_id)
    except Exception:
        log.exception("delivering notifications failed")
        return None
