"""`settings show|set`: the workspace's sync choices (modes, custom field, posting, journal, dates, schedule)."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

import typer
from rich.table import Table

from intacct_bridge.commands._support import WorkspaceOption, console, err_console, fail, when, workspace_session
from intacct_bridge.domain.sync_settings import MAX_EVERY_HOURS, MappingRule
from intacct_bridge.domain.vocabulary import (
    MODAL_DIMENSIONS,
    CLOSED_PERIOD_POLICY_HELP,
    RECONCILE_SCHEDULE_HELP,
    POSTED_CHANGES_HELP,
    REVERSAL_DATE_HELP,
    SUMMARY_HELP,
    SUMMARY_PERIOD_HELP,
    SummaryPeriod,
    Dimension,
    DimensionMode,
    PostedChanges,
    PostingLevel,
    PostingMode,
    ClosedPeriodPolicy,
    ReconcileSchedule,
    ReversalDate,
    Side,
)
from intacct_bridge.domain.xml_text import CONTROL_CHARACTERS_HELP, TextPolicy

settings_app = typer.Typer(help="Show or change a workspace's sync settings.", no_args_is_help=True)

ModeOption = Annotated[DimensionMode | None, typer.Option(case_sensitive=False, show_default=False)]
DEFAULT_HELP = "TYPE:DIMENSION:SIDE=VALUE, e.g. ticket:account:CR=4100 (repeatable)."


def parse_rule(text: str, *, option: str = "--default", with_value: bool = True) -> MappingRule:
    """`ticket:account:CR=4100` → MappingRule (`ticket:account:CR` for --remove-default); errors name the option."""
    form = "TYPE:DIMENSION:SIDE=VALUE, e.g. ticket:account:CR=4100" if with_value else (
        "TYPE:DIMENSION:SIDE, e.g. ticket:account:DR")
    key, _, value = text.partition("=") if with_value else (text, "", "")
    parts = key.split(":")
    if len(parts) != 3 or (with_value and not value.strip()):
        fail(f"{option} {text!r}: write {form}")
    action_type, dimension, side = (p.strip() for p in parts)
    try:
        return MappingRule(action_type, Dimension(dimension.lower()), Side(side.upper()), value.strip())
    except ValueError:
        dims = ", ".join(d.value for d in Dimension)
        fail(f"{option} {text!r}: the dimension is one of {dims} and the side CR or DR")


def _parse_time(text: str, option: str = "--schedule") -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r}: write a time of day as HH:MM, e.g. 02:30")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--start-date {text!r}: write a date as YYYY-MM-DD")


@settings_app.command("show")
def show(workspace: WorkspaceOption = None) -> None:
    """Print the workspace's connection (never the password) and sync settings."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.models import Connection
    from intacct_bridge.store.repositories.settings import load_sync_settings

    operator = OperatorSettings()
    default_endpoint = operator.default_endpoint
    with workspace_session(workspace) as (_, session, ws):
        settings = load_sync_settings(session, ws.id)
        connection = session.get(Connection, ws.id)
        table = Table("setting", "value", title=f"{ws.name} ({ws.slug})", show_header=False)
        if connection is None:
            table.add_row("connection", "not connected: run `intacct-bridge connect`")
        else:
            table.add_row("company id", connection.company_id)
            table.add_row("user id", connection.user_id)
            table.add_row("password", "stored, encrypted")
            table.add_row("entity", connection.entity_id or "top level")
            table.add_row("endpoint", connection.endpoint or f"{default_endpoint} (default)")
            table.add_row("api", connection.api + (" (REST base " + operator.default_rest_endpoint + ")"
                                                   if connection.api == "rest" else " (the XML gateway)"))
            if connection.client_id:
                table.add_row("OAuth client", f"{connection.client_id}, secret stored, encrypted"
                              + ("; connected with Sage Intacct" if connection.refresh_token_encrypted else ""))
            table.add_row("allowed endpoints", ", ".join(operator.endpoint_policy().entries)
                          + " (the operator's INTACCT_BRIDGE_ALLOWED_ENDPOINTS and INTACCT_ENDPOINT)")
            tested = "never" if connection.last_test_at is None else (
                f"{'ok' if connection.last_test_ok else 'failed'} at {when(connection.last_test_at)}"
            )
            table.add_row("last test", tested)
        table.add_row("account", "require (always)")
        for dimension in MODAL_DIMENSIONS:
            table.add_row(dimension.value, settings.mode(dimension).value)
        field = settings.custom_field
        table.add_row("custom field", f"{field.label} (object {field.object_name}, line field {field.gl_field})"
                      if field else "none")
        for udd in settings.user_dimensions:
            table.add_row("user dimension", f"{udd.label}: {udd.mode.value} (object {udd.object_name}, line field "
                                            f"{udd.gl_field})")
        table.add_row("posting mode", settings.posting_mode.value)
        table.add_row("posting level", settings.posting_level.value)
        table.add_row("default entity", settings.default_entity or "none")
        table.add_row("journal", settings.journal)
        table.add_row("start date", when(settings.start_date))
        schedule = "off"
        if settings.schedule_time:
            schedule = f"{settings.schedule_time.strftime('%H:%M')} {settings.timezone}"
        elif settings.schedule_every_hours:
            schedule = f"every {settings.schedule_every_hours} hours ({settings.timezone})"
        table.add_row("schedule", schedule)
        if schedule != "off":
            from intacct_bridge.schedule.slots import next_slot
            from intacct_bridge.store.models import utcnow

            upcoming = next_slot(settings.schedule_time, settings.schedule_every_hours, settings.timezone, utcnow())
            table.add_row("next scheduled sync", when(upcoming))
        table.add_row("time zone", settings.timezone)
        table.add_row("control characters", settings.text_policy.value)
        table.add_row("posted changes", settings.posted_changes.value)
        table.add_row("reversal date", settings.reversal_date.value)
        table.add_row("closed periods", settings.closed_period_policy.value)
        reconciling = settings.reconcile_schedule.value
        if settings.reconcile_schedule is ReconcileSchedule.DAILY and settings.reconcile_time:
            reconciling = f"daily at {settings.reconcile_time.strftime('%H:%M')} {settings.timezone}"
        table.add_row("reconcile", reconciling)
        table.add_row("summary posting", (f"{', '.join(sorted(settings.summary_types))} "
                                          f"(one entry per {settings.summary_period.value})")
                      if settings.summary_types else "off (one entry per action)")
        table.add_row("last sync", when(ws.last_sync_at))
        for rule in settings.mapping_rules:
            table.add_row("default", f"{rule.action_type}: {rule.dimension.value} {rule.side.value} = {rule.value_id}")
    console.print(table)


@settings_app.command("set")
def set_(
    workspace: WorkspaceOption = None,
    location: ModeOption = None,
    department: ModeOption = None,
    class_: Annotated[DimensionMode | None, typer.Option("--class", case_sensitive=False, show_default=False)] = None,
    custom: ModeOption = None,
    project: ModeOption = None,
    customer: ModeOption = None,
    vendor: ModeOption = None,
    employee: ModeOption = None,
    item: ModeOption = None,
    custom_field: Annotated[str | None, typer.Option(help="Intacct object of the custom field/UDD, e.g. FUND.")] = None,
    custom_gl_field: Annotated[str | None, typer.Option(help="Its GL line field, e.g. GLDIMFUND.")] = None,
    custom_label: Annotated[str | None, typer.Option(help="Its label, used in the category name, e.g. Fund.")] = None,
    no_custom_field: Annotated[bool, typer.Option("--no-custom-field", help="Forget the custom field.")] = False,
    posting_mode: Annotated[PostingMode | None, typer.Option(case_sensitive=False, show_default=False)] = None,
    journal: Annotated[str | None, typer.Option(help="Journal symbol, e.g. GJ.")] = None,
    start_date: Annotated[str | None, typer.Option(help="Never send actions created before this date.")] = None,
    no_start_date: Annotated[bool, typer.Option("--no-start-date")] = False,
    schedule: Annotated[str | None, typer.Option(help="Nightly sync time HH:MM (in --timezone).")] = None,
    every_hours: Annotated[int | None, typer.Option(
        "--every-hours", min=1, max=MAX_EVERY_HOURS, help="Sync every N hours instead of nightly.")] = None,
    no_schedule: Annotated[bool, typer.Option("--no-schedule")] = False,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone, e.g. America/New_York.")] = None,
    control_characters: Annotated[TextPolicy | None, typer.Option(
        case_sensitive=False, show_default=False, help=CONTROL_CHARACTERS_HELP)] = None,
    posted_changes: Annotated[PostedChanges | None, typer.Option(
        case_sensitive=False, show_default=False, help=POSTED_CHANGES_HELP)] = None,
    reversal_date: Annotated[ReversalDate | None, typer.Option(
        case_sensitive=False, show_default=False, help=REVERSAL_DATE_HELP)] = None,
    closed_period_policy: Annotated[ClosedPeriodPolicy | None, typer.Option(
        case_sensitive=False, show_default=False, help=CLOSED_PERIOD_POLICY_HELP)] = None,
    posting_level: Annotated[PostingLevel | None, typer.Option(
        case_sensitive=False, show_default=False, help="Multi-entity: post at the top level or each record's entity.")] = None,
    default_entity: Annotated[str | None, typer.Option(help="Entity of records naming none (one pulled).")] = None,
    no_default_entity: Annotated[bool, typer.Option("--no-default-entity")] = False,
    reconcile: Annotated[ReconcileSchedule | None, typer.Option(
        "--reconcile", case_sensitive=False, show_default=False, help=RECONCILE_SCHEDULE_HELP)] = None,
    reconcile_at: Annotated[str | None, typer.Option(
        "--reconcile-at", help="The daily reconciliation's time HH:MM (in --timezone).")] = None,
    summary_types: Annotated[str | None, typer.Option(
        "--summary-types", help=SUMMARY_HELP + " (comma separated; empty: every type in detail)")] = None,
    summary_period: Annotated[SummaryPeriod | None, typer.Option(
        case_sensitive=False, show_default=False, help=SUMMARY_PERIOD_HELP)] = None,
    endpoint: Annotated[str | None, typer.Option(
        help="XML gateway URL; empty for the default. Must be allowed by INTACCT_BRIDGE_ALLOWED_ENDPOINTS.")] = None,
    api: Annotated[str | None, typer.Option(
        help="Which Intacct API to speak: xml (the gateway) or rest (needs `connect-rest` first).")] = None,
    default: Annotated[list[str] | None, typer.Option("--default", help=DEFAULT_HELP)] = None,
    remove_default: Annotated[list[str] | None, typer.Option("--remove-default", help="TYPE:DIMENSION:SIDE")] = None,
) -> None:
    """Change settings; anything not given stays as it is."""
    from intacct_bridge.settings import OperatorSettings
    from intacct_bridge.store.repositories.connections import set_api, set_endpoint
    from intacct_bridge.store.repositories.reference import level_change_warning
    from intacct_bridge.store.repositories.settings import (
        SettingsChange,
        remove_mapping_default,
        set_mapping_default,
        update_settings,
    )

    modes = {d: m for d, m in ((Dimension.LOCATION, location), (Dimension.DEPARTMENT, department),
                               (Dimension.CLASS, class_), (Dimension.CUSTOM, custom), (Dimension.PROJECT, project),
                               (Dimension.CUSTOMER, customer), (Dimension.VENDOR, vendor),
                               (Dimension.EMPLOYEE, employee), (Dimension.ITEM, item)) if m is not None}
    change = SettingsChange(
        modes=modes or None, custom_object=custom_field, custom_gl_field=custom_gl_field, custom_label=custom_label,
        clear_custom_field=no_custom_field, posting_mode=posting_mode, journal=journal,
        start_date=_parse_date(start_date) if start_date else None, clear_start_date=no_start_date,
        schedule_time=_parse_time(schedule) if schedule else None, clear_schedule=no_schedule, timezone=timezone,
        schedule_every_hours=every_hours,
        control_characters=control_characters, posted_changes=posted_changes, reversal_date=reversal_date,
        closed_period_policy=closed_period_policy, posting_level=posting_level, default_entity=default_entity, clear_default_entity=no_default_entity,
        reconcile_schedule=reconcile, reconcile_time=_parse_time(reconcile_at, "--reconcile-at") if reconcile_at else None,
        summary_action_types=None if summary_types is None else [t for t in summary_types.split(",") if t.strip()],
        summary_period=summary_period,
    )
    rules = [parse_rule(text) for text in default or []]
    removals = [parse_rule(text, option="--remove-default", with_value=False) for text in remove_default or []]
    with workspace_session(workspace, write=True) as (_, session, ws):
        if endpoint is not None:
            set_endpoint(session, ws.id, endpoint.strip() or None, OperatorSettings().endpoint_policy())
        if api is not None:
            set_api(session, ws.id, api)
        for rule in removals:
            remove_mapping_default(session, ws.id, rule.action_type, rule.dimension, rule.side)
        for rule in rules:
            set_mapping_default(session, ws.id, rule)
        warning = level_change_warning(session, ws.id, posting_level) if posting_level is not None else None
        update_settings(session, ws.id, change)
        if warning:
            err_console.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
        console.print(f"Settings of [bold]{ws.name}[/] saved.")


@settings_app.command("dimension")
def dimension(
    object_name: Annotated[str, typer.Argument(metavar="OBJECT", help="The user-defined dimension's object, e.g. PROGRAM.")],
    mode: Annotated[DimensionMode, typer.Option(case_sensitive=False)] = DimensionMode.AVAILABLE,
    gl_field: Annotated[str | None, typer.Option(help="Its GL line field (default GLDIM<OBJECT>).")] = None,
    label: Annotated[str | None, typer.Option(help="Its name: the category is `[Sage Intacct] <name>`.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Forget it (its campaigns stay, not counted).")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Add, change or remove a user-defined dimension beyond the custom field (up to 20), with its own mode."""
    from intacct_bridge.store.repositories.settings import remove_user_dimension, set_user_dimension

    with workspace_session(workspace, write=True) as (_, session, ws):
        if remove:
            remove_user_dimension(session, ws.id, object_name)
            console.print(f"{object_name.upper()} removed.")
            return
        udd = set_user_dimension(session, ws.id, object_name, gl_field=gl_field, label=label, mode=mode)
        console.print(f"{udd.label} ({udd.object_name}, line field {udd.gl_field}): {udd.mode.value}; its campaigns "
                      f"come into {udd.category_name} with the next pull.")


def register(app: typer.Typer) -> None:
    app.add_typer(settings_app, name="settings")
