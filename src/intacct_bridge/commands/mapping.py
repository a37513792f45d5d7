"""`mapping ...`: mapping rules (conditions → campaign), skip-export rules and the description template.

Conditions are written as words: `--if "amount gt 1000"`, `--if "type equals ticket"`,
`--if "amount between 10 and 20"`, `--if "constituent starts_with Acme"`; several join with `--join and|or`.
The defaults by action type stay under `settings set --default`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, fail, workspace_session

mapping_app = typer.Typer(help="Mapping rules, skip-export rules and the description template.",
                          no_args_is_help=True)

IfOption = Annotated[list[str], typer.Option("--if", help="FIELD OPERATOR VALUE, e.g. 'amount gt 1000' "
                                                          "(repeatable). Fields: type, amount, date, constituent, "
                                                          "external_id, summary, url, campaign.")]
JoinOption = Annotated[str, typer.Option("--join", help="and: every condition; or: any one.")]


def _parts(conditions: list[str]) -> list[dict[str, str | None]]:
    from intacct_bridge.domain.conditions import ConditionError, condition_words

    try:
        return [condition_words(text) for text in conditions]
    except ConditionError as error:
        fail(f"--if: {error}")


def _target(text: str) -> tuple[str, str, str]:
    """`account:CR=4400` → (dimension, side, value id)."""
    key, _, value = text.partition("=")
    dimension, _, side = key.partition(":")
    if not (dimension.strip() and side.strip() and value.strip()):
        fail(f"--then {text!r}: write DIMENSION:SIDE=VALUE, e.g. account:CR=4400")
    return dimension.strip(), side.strip(), value.strip()


@mapping_app.command("rules")
def rules(workspace: WorkspaceOption = None) -> None:
    """List the mapping rules in the order they are tried (explicit campaigns win; type defaults come after)."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace) as (_, session, ws):
        found = export_rules.campaign_rules(session, ws.id)
    if not found:
        console.print("No mapping rules. Add one with `intacct-bridge mapping add-rule --if ... --then ...`.")
        return
    table = Table("#", "id", "rule")
    for position, rule in enumerate(found, 1):
        table.add_row(str(position), str(rule.id), rule.describe())
    console.print(table)


@mapping_app.command("add-rule")
def add_rule(
    conditions: IfOption,
    then: Annotated[str, typer.Option("--then", help="DIMENSION:SIDE=VALUE, e.g. account:CR=4400 (a pulled, "
                                                     "active value).")],
    join: JoinOption = "and",
    workspace: WorkspaceOption = None,
) -> None:
    """Add a rule filling a campaign slot the action leaves empty (tried after the existing rules)."""
    from intacct_bridge.store.repositories import export_rules

    dimension, side, value_id = _target(then)
    with workspace_session(workspace, write=True) as (_, session, ws):
        rule = export_rules.add_campaign_rule(session, ws.id, _parts(conditions), dimension=dimension, side=side,
                                              value_id=value_id, join=join)
    console.print(f"Rule {rule.id} added: {rule.describe()}", highlight=False)


@mapping_app.command("move-rule")
def move_rule(rule_id: int, up: Annotated[bool, typer.Option("--up/--down")] = True,
              workspace: WorkspaceOption = None) -> None:
    """Move a mapping rule one place up (tried earlier) or down."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace, write=True) as (_, session, ws):
        export_rules.move_rule(session, ws.id, rule_id, up)
    console.print(f"Rule {rule_id} moved {'up' if up else 'down'}.")


@mapping_app.command("remove-rule")
def remove_rule(rule_id: int, workspace: WorkspaceOption = None) -> None:
    """Remove a mapping rule."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace, write=True) as (_, session, ws):
        export_rules.remove_rule(session, ws.id, rule_id)
    console.print(f"Rule {rule_id} removed.")


@mapping_app.command("skip-rules")
def skip_rules(workspace: WorkspaceOption = None) -> None:
    """List the skip-export rules: an action matching an active one is not exported (the run log says which)."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace) as (_, session, ws):
        found = export_rules.skip_rules(session, ws.id)
    if not found:
        console.print("No skip-export rules. Add one with `intacct-bridge mapping add-skip NAME --if ...`.")
        return
    table = Table("id", "rule", "active")
    for rule in found:
        table.add_row(str(rule.id), rule.describe(), "yes" if rule.active else "paused")
    console.print(table)


@mapping_app.command("add-skip")
def add_skip(name: Annotated[str, typer.Argument(help="Why, e.g. 'Test orders'.")], conditions: IfOption,
             join: JoinOption = "and", workspace: WorkspaceOption = None) -> None:
    """Add a skip-export rule: matching actions are not exported while it is active."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace, write=True) as (_, session, ws):
        rule = export_rules.add_skip_rule(session, ws.id, name, _parts(conditions), join=join)
    console.print(f"Skip rule {rule.id} added: {rule.describe()}", highlight=False)


@mapping_app.command("pause-skip")
def pause_skip(rule_id: int, resume: Annotated[bool, typer.Option("--resume", help="Make it active again.")] = False,
               workspace: WorkspaceOption = None) -> None:
    """Pause a skip-export rule (the next run exports what it skipped), or `--resume` it."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace, write=True) as (_, session, ws):
        rule = export_rules.set_skip_rule_active(session, ws.id, rule_id, resume)
    console.print(f"Skip rule {rule.id} {'active' if rule.active else 'paused: the next run exports what it skipped'}.")


@mapping_app.command("remove-skip")
def remove_skip(rule_id: int, workspace: WorkspaceOption = None) -> None:
    """Remove a skip-export rule (the next run exports what it skipped)."""
    from intacct_bridge.store.repositories import export_rules

    with workspace_session(workspace, write=True) as (_, session, ws):
        export_rules.remove_rule(session, ws.id, rule_id, skip=True)
    console.print(f"Skip rule {rule_id} removed.")


@mapping_app.command("template")
def template(
    set_: Annotated[str | None, typer.Option("--set", help="e.g. '{type} {external_id} · {constituent}'.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Back to summary, constituent name and link.")] = False,
    action: Annotated[str | None, typer.Option("--action", help="Preview on this action (external id).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Show, set or clear the journal entry's description template, with a preview on an action."""
    from intacct_bridge.domain.description_template import PLACEHOLDERS
    from intacct_bridge.store.repositories import export_rules
    from intacct_bridge.sync.description_preview import preview

    with workspace_session(workspace, write=set_ is not None or clear) as (_, session, ws):
        if set_ is not None or clear:
            export_rules.set_description_template(session, ws.id, None if clear else set_)
        current = export_rules.description_template(session, ws.id)
        shown = preview(session, ws.id, current, action)
    if shown.error:
        fail(shown.error)
    console.print(f"Template: {current or '(none: summary | constituent | link)'}", highlight=False)
    source = "a sample action" if shown.sample else f"action {shown.external_id}"
    console.print(f"Preview on {source}: {shown.title}", highlight=False)
    console.print("Placeholders: " + ", ".join("{" + name + "}" for name in PLACEHOLDERS), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(mapping_app, name="mapping")
