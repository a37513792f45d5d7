"""The Python API's error queue and notifications (mixed into `api.Bridge`).

    bridge.errors(classes=["closed_period"])             # ErrorItem list, filtered by class and record kind
    bridge.retry_errors(ids=[3, 4])                      # or classes=[...]: the next run sends them again
    bridge.resolve_errors(ids=[5], reason="posted by hand in Intacct")
    bridge.set_notifications(email_recipients=["ap@example.org"], webhook_url=..., webhook_secret=...)
    bridge.deliver_notifications()                       # send what is due (after a run it happens by itself)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import SecretStr

from intacct_bridge.crypto import SecretBox
from intacct_bridge.domain.error_classes import ErrorClass, parse_class
from intacct_bridge.notifications.delivery import DeliveryTotals, deliver_pending
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.store.repositories import error_queue
from intacct_bridge.store.repositories import notifications as notification_store
from intacct_bridge.store.repositories.actions import day_range
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.sync.registry import kind_of


def selection(ids: Sequence[int] | None = None, classes: Sequence[str | ErrorClass] = (),
              kinds: Sequence[str] = ()) -> error_queue.Selection:
    """A bulk selection from the words every interface takes (class names, kind names or their plurals)."""
    return error_queue.Selection(list(ids) if ids else None,
                                 [c if isinstance(c, ErrorClass) else parse_class(c) for c in classes],
                                 [kind_of(k) for k in kinds])


class ErrorQueueAndNotifications:
    """Methods of `Bridge` over its workspace's error queue and notifications."""

    store: Store
    workspace_id: int
    operator: OperatorSettings

    def errors(self, *, classes: Sequence[str | ErrorClass] = (), kinds: Sequence[str] = (),
               state: str = error_queue.OPEN, limit: int = 100, after: int = 0, date_from: date | None = None,
               date_to: date | None = None) -> list[error_queue.ErrorItem]:
        """The error queue (open errors by default), in id order; each with its class and fix. `date_from` and
        `date_to`: the workspace's days the error last failed (both included)."""
        chosen = selection(None, classes, kinds)
        with self.store.session() as session:
            updated_from, updated_to = day_range(load_sync_settings(session, self.workspace_id).zone(), date_from,
                                                 date_to)
            return error_queue.list_errors(session, self.workspace_id, classes=chosen.classes,
                                           record_kinds=chosen.record_kinds, state=state, limit=limit,
                                           after_id=after, updated_from=updated_from, updated_to=updated_to)

    def error_counts(self) -> dict[str, int]:
        """Open errors per class."""
        with self.store.session() as session:
            return error_queue.counts_by_class(session, self.workspace_id)

    def retry_errors(self, ids: Sequence[int] | None = None, *, classes: Sequence[str | ErrorClass] = (),
                     kinds: Sequence[str] = ()) -> error_queue.BulkResult:
        """Release errors: the next run sends those records again (`sync()` right after to do it now)."""
        with self.store.write_session() as session:
            return error_queue.retry(session, self.workspace_id, selection(ids, classes, kinds))

    def resolve_errors(self, ids: Sequence[int] | None = None, *, reason: str, by: str = "python-api",
                       classes: Sequence[str | ErrorClass] = (), kinds: Sequence[str] = ()) -> error_queue.BulkResult:
        """Ignore errors with a reason (kept with who and when): no run sends those records until retried."""
        with self.store.write_session() as session:
            return error_queue.resolve(session, self.workspace_id, selection(ids, classes, kinds), reason=reason,
                                       by=by)

    def notifications(self) -> notification_store.NotificationConfig:
        """Where this workspace's notifications go (the webhook secret only as `webhook_secret_set`)."""
        with self.store.session() as session:
            return notification_store.load_config(session, self.workspace_id)

    def set_notifications(self, *, email_recipients: Sequence[str] | None = None, webhook_url: str | None = None,
                          webhook_secret: str | SecretStr | None = None, events: Sequence[str] | None = None,
                          clear_webhook: bool = False) -> notification_store.NotificationConfig:
        """Change recipients, webhook (URL and secret, kept encrypted) or events; None keeps a value."""
        secret = SecretStr(webhook_secret) if isinstance(webhook_secret, str) else webhook_secret
        change = notification_store.NotificationChange(email_recipients, webhook_url, secret, events, clear_webhook)
        with self.store.write_session() as session:
            return notification_store.save_config(session, self.workspace_id, change,
                                                  SecretBox.from_settings(self.operator),
                                                  allow_private=self.operator.webhook_allow_private)

    def deliveries(self, *, status: str | None = None, event: str | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
        """The delivery log, newest first."""
        with self.store.session() as session:
            return [notification_store.delivery_dict(row) for row in notification_store.list_deliveries(
                session, self.workspace_id, status=status, event=event, limit=limit)]

    def deliver_notifications(self) -> DeliveryTotals:
        """Send this workspace's due notifications now (retries follow their backoff)."""
        return deliver_pending(self.store, self.operator, workspace_id=self.workspace_id)
