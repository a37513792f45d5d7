"""`actions import|list|show|tag` and `review list`: getting actions in, looking at them, fixing them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._import import PreviewOption, TemplateFile, import_file, print_outcome, write_template
from intacct_bridge.commands._support import (
    CsvOption,
    JsonOption,
    WorkspaceOption,
    console,
    fail,
    fix_hints,
    money,
    print_json_lines,
    step_hint,
    when,
    workspace_session,
)
from intacct_bridge.domain.remedies import with_fixes
from intacct_bridge.domain.vocabulary import CATEGORY_PREFIX, ActionStatus

if TYPE_CHECKING:  # the store loads when a command runs, not for `--help`
    from intacct_bridge.store.models import Action

actions_app = typer.Typer(help="Import, list and fix actions (donations, memberships, tickets...).",
                          no_args_is_help=True)
review_app = typer.Typer(help="Actions flagged `System Needs Review`, with the reasons.", no_args_is_help=True)


@actions_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or JSON lines.")],
    workspace: WorkspaceOption = None,
    format_: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the extension).")] = None,
    preview: PreviewOption = False,
) -> None:
    """Import actions (all or nothing): new ones are added, known external ids updated.

    Columns: `intacct-bridge actions template`. An unknown column, a missing happened_at or an empty file is
    refused, naming the line and field; the constituent is constituent.external_id and constituent.name
    (constituent_id and constituent_name still work)."""
    from intacct_bridge.store.repositories.intake import import_actions

    result = import_file(file, format_, workspace, import_actions, preview=preview)
    print_outcome(file, result, "action(s)", preview=preview)


@actions_app.command("template")
def template(out: TemplateFile = None) -> None:
    """A CSV template for `actions import`: the header row and one example row to replace."""
    from intacct_bridge.domain.receivables import RecordKind

    write_template(RecordKind.JOURNAL_ENTRY, out)


def _campaign_names(action: Action) -> str:
    return "; ".join(sorted(c.name for c in action.campaigns))


def _action_json(a: Action, flagged: bool) -> dict[str, object]:
    return {
        "id": a.id, "external_id": a.external_id, "type": a.type, "amount": a.amount, "happened_at": a.happened_at,
        "created_at": a.created_at, "constituent": a.constituent.name if a.constituent else None,
        "summary": a.summary, "url": a.url, "status": a.status, "needs_review": flagged,
        "intacct_recordno": a.intacct_recordno, "campaigns": sorted(c.name for c in a.campaigns),
    }


def _actions_table(actions: list[Action], flagged: set[int]) -> Table:
    table = Table("id", "external id", "type", "amount", "happened", "constituent", "status", "campaigns")
    for a in actions:
        status = a.status + (" [red](review)[/]" if a.id in flagged else "")
        happened = a.happened_at.date().isoformat() if a.happened_at else "—"
        table.add_row(str(a.id), a.external_id, a.type, money(a.amount), happened,
                      a.constituent.name if a.constituent else "—", status, _campaign_names(a))
    return table


def _export(workspace, status, type_, flagged, search, happened_from, happened_to, amount_min, amount_max, sort,
            descending) -> None:
    import sys
    from decimal import Decimal, InvalidOperation

    from intacct_bridge.commands.sync import opened
    from intacct_bridge.store.errors import StoreError

    try:
        low, high = (Decimal(v) if v is not None else None for v in (amount_min, amount_max))
    except InvalidOperation:
        fail("--min and --max are amounts, e.g. 100 or 99.50")
    with opened(workspace) as bridge:
        try:
            bridge.export_csv("actions", sys.stdout, sort=sort, descending=descending,
                              q=search or "", status=status.value if status else "", type=type_ or "",
                              review=bool(flagged), date_from=happened_from.date() if happened_from else None,
                              date_to=happened_to.date() if happened_to else None, amount_min=low, amount_max=high)
        except StoreError as exc:
            fail(str(exc))


@actions_app.command("list")
def list_(
    workspace: WorkspaceOption = None,
    status: Annotated[ActionStatus | None, typer.Option(case_sensitive=False, show_default=False)] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only this action type.")] = None,
    campaign: Annotated[str | None, typer.Option(help="Only actions carrying this campaign.")] = None,
    flagged: Annotated[bool | None, typer.Option("--flagged/--not-flagged", show_default=False)] = None,
    search: Annotated[str | None, typer.Option(help="Text in the external id, summary or constituent.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    after: Annotated[int, typer.Option(help="Show actions after this id (next page).")] = 0,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    happened_from: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"],
                                                           help="With --csv: happened on or after this day.")] = None,
    happened_to: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"],
                                                         help="With --csv: happened on or before this day.")] = None,
    amount_min: Annotated[str | None, typer.Option("--min", help="With --csv: amount at least this.")] = None,
    amount_max: Annotated[str | None, typer.Option("--max", help="With --csv: amount at most this.")] = None,
    sort: Annotated[str, typer.Option(help="With --csv: id, external_id, date, type, amount or status.")] = "id",
    descending: Annotated[bool, typer.Option("--desc", help="With --csv: sort the other way.")] = False,
) -> None:
    """List actions, oldest first (--csv: every matching one, with the console's filters and sort)."""
    if as_csv:
        _export(workspace, status, type_, flagged, search, happened_from, happened_to, amount_min, amount_max,
                sort, descending)
        return
    from sqlalchemy import select

    from intacct_bridge.store.models import ReviewFlag
    from intacct_bridge.store.repositories.actions import ActionFilter, list_actions
    from intacct_bridge.store.repositories.campaigns import CampaignResolver

    with workspace_session(workspace) as (_, session, ws):
        campaign_id = CampaignResolver(session, ws.id).resolve(campaign).id if campaign else None
        filters = ActionFilter(status=status, type=type_, campaign_id=campaign_id, flagged=flagged, search=search)
        actions = list(list_actions(session, ws.id, filters, limit=limit, after_id=after))
        ids = [a.id for a in actions]
        flagged_ids = set(session.scalars(select(ReviewFlag.action_id).where(ReviewFlag.action_id.in_(ids))))
        if as_json:
            print_json_lines([_action_json(a, a.id in flagged_ids) for a in actions])
            return
        table = _actions_table(actions, flagged_ids)
    if not actions:
        console.print("No actions match.")
        return
    console.print(table)
    if len(actions) == limit:
        console.print(f"More may follow: --after {actions[-1].id}")


@actions_app.command("show")
def show(
    action: Annotated[str, typer.Argument(help="Action id or external id.")], workspace: WorkspaceOption = None
) -> None:
    """Everything about one action: fields, campaigns, review reasons, and each version written to Intacct."""
    from sqlalchemy import select

    from intacct_bridge.commands._versions import version_rows
    from intacct_bridge.store.models import ReviewFlag
    from intacct_bridge.store.repositories.actions import get_action
    from intacct_bridge.store.repositories.posted_changes import versions

    with workspace_session(workspace) as (_, session, ws):
        a = get_action(session, ws.id, action)
        flag = session.scalar(select(ReviewFlag).where(ReviewFlag.action_id == a.id))
        table = Table("field", "value", show_header=False, title=f"action {a.id} ({a.external_id})")
        for name, value in (
            ("type", a.type), ("amount", money(a.amount)), ("happened", when(a.happened_at)),
            ("created", when(a.created_at)), ("constituent", a.constituent.name if a.constituent else "—"),
            ("summary", a.summary or "—"), ("url", a.url or "—"), ("status", a.status),
            ("posted", when(a.posted_at)), ("Intacct record", a.intacct_recordno or "—"),
            ("last error", a.last_error or "—"),
        ):
            table.add_row(name, value)
        if a.summary_id is not None:
            from intacct_bridge.store.repositories.summaries import get_summary
            held_in = get_summary(session, ws.id, a.summary_id)
            table.add_row("in summary", f"{held_in.id}: {held_in.reference} ({held_in.status}, "
                                        f"{held_in.action_count} actions; `summaries show {held_in.id}`)")
        for c in sorted(a.campaigns, key=lambda c: c.name):
            table.add_row("campaign", f"{c.name} ({c.category.name.removeprefix(CATEGORY_PREFIX)})"
                          + ("" if c.active else " [red]inactive[/]"))
        for reason in with_fixes(flag.reasons if flag else None):
            table.add_row("[red]needs review[/]", f"{reason['message']}\n[dim]fix:[/] {reason['fix']}"
                                                  f"{step_hint(reason)}")
        for label, text in version_rows(versions(session, ws.id, a.id)):
            table.add_row(label, text)
    console.print(table)


@actions_app.command("tag")
def tag(
    actions: Annotated[list[str], typer.Argument(help="Action ids or external ids.")],
    workspace: WorkspaceOption = None,
    add: Annotated[list[str] | None, typer.Option("--add", help="Campaign to add (repeatable).")] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="Campaign to remove (repeatable).")] = None,
) -> None:
    """Add or remove campaigns: how a flagged action is fixed (the next sync clears its flag)."""
    from intacct_bridge.store.repositories.actions import get_action, tag_actions
    from intacct_bridge.store.repositories.campaigns import CampaignResolver

    if not add and not remove:
        fail("say what to change with --add CAMPAIGN and/or --remove CAMPAIGN")
    with workspace_session(workspace, write=True) as (_, session, ws):
        resolver = CampaignResolver(session, ws.id)
        to_add = [resolver.resolve(name) for name in add or []]
        to_remove = [resolver.resolve(name) for name in remove or []]
        found = [get_action(session, ws.id, ref) for ref in actions]
        result = tag_actions(session, ws.id, found, add=to_add, remove=to_remove)
    console.print(f"Changed {len(result.changed)} action(s); {len(result.unchanged)} already as asked.")


@review_app.command("list")
def review_list(
    workspace: WorkspaceOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    after: Annotated[int, typer.Option(help="Show flagged actions after this id (next page).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Flagged actions and what to fix in each."""
    from intacct_bridge.store.repositories.actions import count_review, list_review

    with workspace_session(workspace) as (_, session, ws):
        items = list(list_review(session, ws.id, limit=limit, after_id=after))
        if as_json:
            print_json_lines([{**_action_json(i.action, True), "flag": i.flag.kind,
                                "reasons": with_fixes(i.flag.reasons)}
                              for i in items])
            return
        total = count_review(session, ws.id)
        table = Table("id", "external id", "type", "amount", "flag", "what is wrong", "how to fix it")
        kinds: set[str] = set()
        steps: set[str] = set()
        for item in items:
            a = item.action
            reasons = with_fixes(item.flag.reasons)
            kinds |= {r["remedy"] for r in reasons}
            steps |= {r["step"] for r in reasons}
            table.add_row(str(a.id), a.external_id, a.type, money(a.amount), item.flag.kind,
                          "\n".join(f"{r['field']}: {r['message']}" for r in reasons),
                          "\n".join(dict.fromkeys(r["fix"] for r in reasons)))
    if not items:
        console.print("Nothing needs review.")
        return
    console.print(table)
    console.print(f"{total} action(s) need review.")
    for hint in fix_hints(kinds, steps):
        console.print(hint)


def register(app: typer.Typer) -> None:
    app.add_typer(actions_app, name="actions")
    app.add_typer(review_app, name="review")
