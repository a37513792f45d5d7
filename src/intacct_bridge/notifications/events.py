"""What a workspace can be told, and how each notification reads in an email.

Event names are the webhook's `event` field and the `X-Intacct-Bridge-Event` header; they are
stable. `record.posted` goes to webhooks only (one per record: the write-back of Intacct's key).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RUN_HALTED = "run.halted"
RUN_FAILED = "run.failed"
RECORDS_REJECTED = "records.rejected"
REVIEW_DIGEST = "review.digest"
CONNECTION_FAILING = "connection.failing"
RECORD_POSTED = "record.posted"
RECONCILE_DRIFT = "reconcile.drift"

EVENTS: dict[str, str] = {
    RUN_HALTED: "a run halted (records need review; nothing of their kind was posted)",
    RUN_FAILED: "a run failed",
    RECORDS_REJECTED: "Intacct rejected records",
    REVIEW_DIGEST: "records wait for review (at most one digest a day)",
    CONNECTION_FAILING: "the connection to Intacct fails",
    RECORD_POSTED: "a record was posted (webhook only: its Intacct key and link, for write-back)",
    RECONCILE_DRIFT: "a scheduled reconciliation found Intacct holding something else than was posted",
}
EMAIL_EVENTS = frozenset(EVENTS) - {RECORD_POSTED}

# How many records an email or a webhook lists (the error queue has them all).
LISTED = 50


def parse_events(values: list[str] | None) -> list[str] | None:
    """Validated event names (None or empty: every event), or ValueError naming the known ones."""
    if not values:
        return None
    unknown = [v for v in values if v not in EVENTS]
    if unknown:
        raise ValueError(f"unknown event {', '.join(unknown)}; the events are: {', '.join(EVENTS)}")
    return list(dict.fromkeys(values))


def subject(payload: Mapping[str, Any]) -> str:
    """The email's subject: the workspace and what happened."""
    workspace = payload.get("workspace", "?")
    event = payload.get("event")
    if event == RUN_HALTED:
        return f"[intacct-bridge] {workspace}: sync run {payload.get('run_id')} halted"
    if event == RUN_FAILED:
        return f"[intacct-bridge] {workspace}: sync run {payload.get('run_id')} failed"
    if event == RECORDS_REJECTED:
        return f"[intacct-bridge] {workspace}: Intacct rejected {payload.get('count')} records"
    if event == REVIEW_DIGEST:
        return f"[intacct-bridge] {workspace}: {payload.get('count')} records wait for review"
    if event == RECONCILE_DRIFT:
        drifted = sum(int(payload.get(k) or 0) for k in ("missing", "changed", "unrecorded"))
        return f"[intacct-bridge] {workspace}: reconciliation found {drifted} records drifted in Intacct"
    if event == CONNECTION_FAILING:
        return f"[intacct-bridge] {workspace}: the connection to Intacct fails"
    return f"[intacct-bridge] {workspace}: {event}"


def body(payload: Mapping[str, Any]) -> str:
    """The email's plain-text body: what happened, the records concerned with their fix, where to look."""
    lines = [subject(payload).removeprefix("[intacct-bridge] "), ""]
    if payload.get("message"):
        lines += [str(payload["message"]), ""]
    if payload.get("fix"):
        lines += [f"Fix: {payload['fix']}", ""]
    counts = payload.get("by_class") or {}
    if counts:
        lines.append("By class: " + ", ".join(f"{name} {count}" for name, count in counts.items() if count))
        lines.append("")
    for kind, counts in (payload.get("by_kind") or {}).items():
        lines.append(f"- {kind}: {counts.get('missing', 0)} missing, {counts.get('changed', 0)} changed, "
                     f"{counts.get('unrecorded', 0)} unrecorded")
    if payload.get("by_kind"):
        lines.append("")
    if payload.get("link"):
        lines += [f"The report: {payload['link']}", ""]
    for record in payload.get("records") or ():
        lines.append(f"- {record.get('record_kind')} {record.get('external_id') or record.get('record_id')}"
                     f" [{record.get('error_class')}]: {record.get('message')}")
    if payload.get("records"):
        lines.append("")
    if payload.get("event") == RECONCILE_DRIFT:
        lines.append("Run `intacct-bridge reconcile` or open the console's Reconcile page for every difference.")
    else:
        lines.append("See the error queue: `intacct-bridge errors list`, or the console's Errors page.")
    return "\n".join(lines) + "\n"
