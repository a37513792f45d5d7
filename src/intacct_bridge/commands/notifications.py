"""`notifications`: who hears about a workspace's runs (email recipients, a signed webhook), and the delivery log.

    intacct-bridge notifications set --email ap@example.org --webhook https://erp.example.org/hooks --secret-stdin
    intacct-bridge notifications show
    intacct-bridge notifications log --status failed
    intacct-bridge notifications deliver          # send what is due now (a run does it by itself afterwards)
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import JsonOption, WorkspaceOption, console, fail, print_json_lines
from intacct_bridge.commands.sync import opened
from intacct_bridge.notifications.events import EVENTS

notifications_app = typer.Typer(help="Email and webhook notifications of a workspace, and their delivery log.",
                                no_args_is_help=True)


@notifications_app.command("show")
def show(workspace: WorkspaceOption = None, as_json: JsonOption = False) -> None:
    """Recipients, webhook and events (the webhook secret is never shown: only whether one is set)."""
    with opened(workspace) as bridge:
        config = bridge.notifications()
    if as_json:
        print_json_lines([config.as_dict()])
        return
    console.print(f"Email: {', '.join(config.email_recipients) or '(none)'}", highlight=False)
    console.print(f"Webhook: {config.webhook_url or '(none)'}"
                  + (" (secret set)" if config.webhook_secret_set else ""), highlight=False)
    console.print(f"Events: {', '.join(config.events) if config.events else 'all'}", highlight=False)


@notifications_app.command("set")
def set_notifications(
    workspace: WorkspaceOption = None,
    email: Annotated[list[str] | None, typer.Option("--email", help="A recipient (repeatable; replaces the list).")] = None,
    no_email: Annotated[bool, typer.Option("--no-email", help="Send no email.")] = False,
    webhook: Annotated[str | None, typer.Option("--webhook", help="The webhook URL (https).")] = None,
    secret_stdin: Annotated[bool, typer.Option("--secret-stdin", help="Read the webhook secret from standard input "
                                                                      "(at least 16 characters).")] = False,
    clear_webhook: Annotated[bool, typer.Option("--clear-webhook", help="Remove the webhook and its secret.")] = False,
    event: Annotated[list[str] | None, typer.Option("--event", help="Only these events (repeatable): "
                                                    + ", ".join(EVENTS) + ".")] = None,
    all_events: Annotated[bool, typer.Option("--all-events", help="Every event (the default).")] = False,
) -> None:
    """Change where notifications go; what is not given stays as it is."""
    secret = sys.stdin.readline().rstrip("\r\n") if secret_stdin else None  # never on the command line
    recipients = [] if no_email else email
    events = [] if all_events else event
    with opened(workspace) as bridge:
        config = bridge.set_notifications(email_recipients=recipients, webhook_url=webhook, webhook_secret=secret,
                                          events=events, clear_webhook=clear_webhook)
    console.print(f"Saved: email to {', '.join(config.email_recipients) or 'nobody'}; webhook "
                  f"{config.webhook_url or 'none'}; events {', '.join(config.events) if config.events else 'all'}.",
                  highlight=False)


@notifications_app.command("log")
def log(
    workspace: WorkspaceOption = None,
    status: Annotated[str | None, typer.Option(help="pending, delivered or failed.")] = None,
    event: Annotated[str | None, typer.Option(help="Only this event.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Every notification queued, with its attempts, status and last error."""
    with opened(workspace) as bridge:
        rows = bridge.deliveries(status=status, event=event, limit=limit)
    if as_json:
        print_json_lines(rows)
        return
    if not rows:
        console.print("No notifications yet.")
        return
    table = Table("id", "event", "channel", "status", "tries", "queued", "last error")
    for row in rows:
        table.add_row(str(row["id"]), row["event"], row["channel"], row["status"], str(row["attempts"]),
                      row["created_at"][:16].replace("T", " "), row["last_error"] or "")
    console.print(table)


@notifications_app.command("deliver")
def deliver(workspace: WorkspaceOption = None) -> None:
    """Send the notifications that are due now (failed attempts wait for their backoff)."""
    with opened(workspace) as bridge:
        totals = bridge.deliver_notifications()
    console.print(f"Delivered {totals.delivered}; {totals.retrying} to retry later; {totals.failed} gave up.")
    if totals.retrying or totals.failed:
        fail("some notifications could not be delivered: see `intacct-bridge notifications log`")


def register(app: typer.Typer) -> None:
    app.add_typer(notifications_app, name="notifications")
