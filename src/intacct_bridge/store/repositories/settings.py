"""A workspace's sync settings: read as the domain's `SyncSettings`, changed field by field with checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.sync_settings import (
    MAX_EVERY_HOURS,
    MAX_USER_DIMENSIONS,
    CustomField,
    MappingRule,
    SyncSettings,
)
from intacct_bridge.domain.vocabulary import (
    MODAL_DIMENSIONS,
    Dimension,
    DimensionMode,
    PostedChanges,
    PostingLevel,
    PostingMode,
    ClosedPeriodPolicy,
    ReconcileSchedule,
    ReversalDate,
    SummaryPeriod,
    Side,
)
from intacct_bridge.domain.xml_text import TextPolicy, unsafe_problem
from intacct_bridge.store.errors import Conflict, NotFound
from intacct_bridge.store.repositories import audit
from intacct_bridge.store.models import MappingDefault, UserDimension, WorkspaceSettings
from intacct_bridge.store.repositories import export_rules, reference

# Intacct object and field names are XML element names: keep them to what is safe there.
INTACCT_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,99}")
# A journal symbol as Intacct shows it under General Ledger > Journals (GJ, ADJ, SJ-2): no spaces or punctuation.
JOURNAL_SYMBOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")


def settings_row(session: Session, workspace_id: int) -> WorkspaceSettings:
    row = session.get(WorkspaceSettings, workspace_id)
    if row is None:
        row = WorkspaceSettings(workspace_id=workspace_id)
        session.add(row)
        session.flush()
    return row


def _custom_field(row: WorkspaceSettings) -> CustomField | None:
    if not row.custom_object:
        return None
    return CustomField(
        object_name=row.custom_object,
        gl_field=row.custom_gl_field or f"GLDIM{row.custom_object}",
        label=row.custom_label or row.custom_object.title(),
    )


def user_dimensions(session: Session, workspace_id: int) -> tuple[CustomField, ...]:
    rows = session.scalars(select(UserDimension).where(UserDimension.workspace_id == workspace_id)
                           .order_by(UserDimension.id))
    return tuple(CustomField(r.object_name, r.gl_field, r.label, DimensionMode(r.mode)) for r in rows)


def set_user_dimension(session: Session, workspace_id: int, object_name: str, *, gl_field: str | None = None,
                       label: str | None = None, mode: DimensionMode = DimensionMode.AVAILABLE) -> CustomField:
    """Add or change a user-defined dimension beyond the custom field (seed 001: up to 20); its campaigns go in
    `[Sage Intacct] <label>` at the next pull. Refused with the fix when it cannot work."""
    obj = object_name.strip().upper()
    if not INTACCT_NAME.fullmatch(obj):
        raise Conflict(f"{object_name!r} is not an Intacct object name: letters, digits and _, e.g. PROGRAM")
    row = settings_row(session, workspace_id)
    if obj == row.custom_object:
        raise Conflict(f"{obj} is the workspace's custom field already: change it with `settings set --custom`")
    field = (gl_field or f"GLDIM{obj}").strip().upper()
    if not INTACCT_NAME.fullmatch(field):
        raise Conflict(f"{gl_field!r} is not a GL line field name, e.g. GLDIM{obj}")
    name = " ".join((label or obj.title()).split())
    _sendable("label", name)
    existing = {u.object_name: u for u in session.scalars(
        select(UserDimension).where(UserDimension.workspace_id == workspace_id))}
    taken = [u for o, u in existing.items() if o != obj and (u.gl_field == field or u.label.casefold() == name.casefold())]
    if taken:
        raise Conflict(f"{taken[0].object_name} already uses the line field or name of {obj}: give {obj} its own")
    if obj not in existing and len(existing) >= MAX_USER_DIMENSIONS:
        raise Conflict(f"a workspace has at most {MAX_USER_DIMENSIONS} user-defined dimensions: remove one first")
    row_udd = existing.get(obj) or UserDimension(workspace_id=workspace_id, object_name=obj)
    row_udd.gl_field, row_udd.label, row_udd.mode = field, name, DimensionMode(mode).value
    session.add(row_udd)
    session.flush()
    return CustomField(obj, field, name, DimensionMode(mode))


def remove_user_dimension(session: Session, workspace_id: int, object_name: str) -> None:
    """Forget a user-defined dimension (its campaigns stay, no longer counted)."""
    result = session.execute(delete(UserDimension).where(UserDimension.workspace_id == workspace_id,
                                                         UserDimension.object_name == object_name.strip().upper()))
    if not result.rowcount:
        raise NotFound(f"no user-defined dimension {object_name!r} in this workspace")


def mapping_rules(session: Session, workspace_id: int) -> tuple[MappingRule, ...]:
    rows = session.scalars(
        select(MappingDefault).where(MappingDefault.workspace_id == workspace_id).order_by(MappingDefault.id)
    )
    return tuple(MappingRule(r.action_type, Dimension(r.dimension), Side(r.side), r.value_id) for r in rows)


def load_sync_settings(session: Session, workspace_id: int) -> SyncSettings:
    """Everything the rules need to know about a workspace's choices."""
    row = settings_row(session, workspace_id)
    return SyncSettings(
        modes={d: DimensionMode(getattr(row, f"{d.value}_mode")) for d in MODAL_DIMENSIONS},
        custom_field=_custom_field(row),
        posting_mode=PostingMode(row.posting_mode),
        journal=row.journal,
        start_date=row.start_date,
        schedule_time=row.schedule_time,
        schedule_every_hours=row.schedule_every_hours,
        timezone=row.timezone,
        mapping_rules=mapping_rules(session, workspace_id),
        text_policy=TextPolicy(row.control_characters),
        posted_changes=PostedChanges(row.posted_changes),
        reversal_date=ReversalDate(row.reversal_date),
        closed_period_policy=ClosedPeriodPolicy(row.closed_period_policy),
        user_dimensions=user_dimensions(session, workspace_id),
        posting_level=PostingLevel(row.posting_level),
        default_entity=row.default_entity,
        reconcile_schedule=ReconcileSchedule(row.reconcile_schedule),
        reconcile_time=row.reconcile_time,
        summary_types=frozenset(row.summary_action_types or ()),
        summary_period=SummaryPeriod(row.summary_period),
        campaign_rules=export_rules.campaign_rules(session, workspace_id),
        skip_rules=export_rules.skip_rules(session, workspace_id),
        description_template=row.description_template,
    )


def summary_types(session: Session, workspace_id: int) -> frozenset[str]:
    """The action types posted as summaries (lower case), read without the rest of the settings."""
    return frozenset(settings_row(session, workspace_id).summary_action_types or ())


def action_types(values: list[str]) -> list[str]:
    """Action types as the setting keeps them: trimmed, lower case, once each, sorted."""
    cleaned = sorted({" ".join(v.split()).lower() for v in values if v and v.strip()})
    for value in cleaned:
        if len(value) > 100:
            raise Conflict(f"the action type {value[:40]!r}... is longer than 100 characters")
    return cleaned


def text_policy(session: Session, workspace_id: int) -> TextPolicy:
    """What intake does with text XML 1.0 cannot carry (the `control_characters` setting)."""
    return TextPolicy(settings_row(session, workspace_id).control_characters)


def _sendable(what: str, text: str) -> str:
    """`text` if it can go into a request to Intacct; else `Conflict` naming the setting and character."""
    problem = unsafe_problem(text)
    if problem:
        raise Conflict(f"{what}: {problem}")
    return text


@dataclass
class SettingsChange:
    """What `settings set` or the console changes; None leaves a field as it is."""

    modes: dict[Dimension, DimensionMode] | None = None
    custom_object: str | None = None
    custom_gl_field: str | None = None
    custom_label: str | None = None
    clear_custom_field: bool = False
    posting_mode: PostingMode | None = None
    journal: str | None = None
    start_date: date | None = None
    clear_start_date: bool = False
    schedule_time: time | None = None
    schedule_every_hours: int | None = None
    clear_schedule: bool = False
    timezone: str | None = None
    control_characters: TextPolicy | None = None
    posted_changes: PostedChanges | None = None
    reversal_date: ReversalDate | None = None
    closed_period_policy: ClosedPeriodPolicy | None = None
    posting_level: PostingLevel | None = None
    default_entity: str | None = None
    clear_default_entity: bool = False
    reconcile_schedule: ReconcileSchedule | None = None
    reconcile_time: time | None = None       # the daily reconciliation's time (given alone: keeps the schedule)
    summary_action_types: list[str] | None = None   # replaces the list ([] = every type in detail)
    summary_period: SummaryPeriod | None = None


def _apply_custom_field(row: WorkspaceSettings, change: SettingsChange) -> None:
    if change.clear_custom_field:
        row.custom_object = row.custom_gl_field = row.custom_label = None
        row.custom_mode = DimensionMode.EXCLUDE.value
        return
    if change.custom_object:
        obj = change.custom_object.strip().upper()
        if not INTACCT_NAME.fullmatch(obj):
            raise Conflict(f"{change.custom_object!r} is not an Intacct object name: letters, digits and _, e.g. FUND")
        if obj != row.custom_object:
            # A new field: forget the old line field and label unless given again.
            row.custom_gl_field, row.custom_label = None, None
        row.custom_object = obj
    if change.custom_gl_field:
        gl_field = change.custom_gl_field.strip().upper()
        if not INTACCT_NAME.fullmatch(gl_field):
            raise Conflict(f"{change.custom_gl_field!r} is not a GL line field name, e.g. GLDIMFUND")
        row.custom_gl_field = gl_field
    if change.custom_label:
        row.custom_label = " ".join(change.custom_label.split())
    if row.custom_object:
        row.custom_gl_field = row.custom_gl_field or f"GLDIM{row.custom_object}"
        row.custom_label = row.custom_label or row.custom_object.title()


def _apply_entity_level(session: Session, row: WorkspaceSettings, change: SettingsChange) -> None:
    """Posting level and default entity; the entity must be one pulled from Intacct."""
    if change.posting_level is not None:
        row.posting_level = PostingLevel(change.posting_level).value
    if change.clear_default_entity:
        row.default_entity = None
    elif change.default_entity is not None:
        row.default_entity = reference.check_pulled(session, row.workspace_id, reference.ENTITIES,
                                                    change.default_entity.strip(), must_be_pulled=True)


def _apply_schedule(row: WorkspaceSettings, change: SettingsChange) -> None:
    if change.timezone is not None:
        try:
            ZoneInfo(change.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise Conflict(f"unknown time zone {change.timezone!r}: use an IANA name like America/New_York") from None
        row.timezone = change.timezone
    if change.schedule_time is not None and change.schedule_every_hours is not None:
        raise Conflict("a schedule is a nightly time or every N hours, not both: give one of them")
    if change.schedule_time is not None:  # one kind of schedule replaces the other
        row.schedule_time, row.schedule_every_hours = change.schedule_time, None
    elif change.schedule_every_hours is not None:
        if not 1 <= change.schedule_every_hours <= MAX_EVERY_HOURS:
            raise Conflict(f"every {change.schedule_every_hours} hours: give 1 to {MAX_EVERY_HOURS} hours")
        row.schedule_every_hours, row.schedule_time = change.schedule_every_hours, None
    elif change.clear_schedule:
        row.schedule_time = row.schedule_every_hours = None


def _apply_reconcile_schedule(row: WorkspaceSettings, change: SettingsChange) -> None:
    """When the workspace reconciles by itself; a daily reconciliation needs its time."""
    if change.reconcile_time is not None:
        row.reconcile_time = change.reconcile_time
    if change.reconcile_schedule is not None:
        row.reconcile_schedule = ReconcileSchedule(change.reconcile_schedule).value
    if row.reconcile_schedule == ReconcileSchedule.DAILY.value and row.reconcile_time is None:
        raise Conflict("a daily reconciliation needs a time: give reconcile_time as HH:MM (the workspace's "
                       "time zone)")


def update_settings(session: Session, workspace_id: int, change: SettingsChange) -> SyncSettings:
    """Apply a change; refuse one that leaves settings no run could work with."""
    row = settings_row(session, workspace_id)
    for dimension, mode in (change.modes or {}).items():
        if dimension not in MODAL_DIMENSIONS:
            modal = ", ".join(d.value for d in MODAL_DIMENSIONS)
            raise Conflict(f"{dimension.value} has no mode: accounts are always required; the dimensions with a "
                           f"mode are {modal}")
        setattr(row, f"{dimension.value}_mode", mode.value)
    _apply_custom_field(row, change)
    if change.posting_mode is not None:
        row.posting_mode = change.posting_mode.value
    if change.journal is not None:
        if not change.journal.strip():
            raise Conflict("the journal symbol cannot be empty, e.g. GJ")
        row.journal = _sendable("journal", reference.check_pulled(session, workspace_id, reference.JOURNALS,
                                                                   change.journal.strip()))
        if not JOURNAL_SYMBOL.fullmatch(row.journal):  # none pulled yet: at least the shape of a symbol
            raise Conflict(f"the journal {row.journal[:40]!r} is not a journal symbol: enter the symbol shown in "
                           "Sage Intacct under General Ledger > Journals (letters and digits, e.g. GJ)")
    _apply_entity_level(session, row, change)
    if change.control_characters is not None:
        row.control_characters = TextPolicy(change.control_characters).value
    if change.posted_changes is not None:
        row.posted_changes = PostedChanges(change.posted_changes).value
    if change.reversal_date is not None:
        row.reversal_date = ReversalDate(change.reversal_date).value
    if change.closed_period_policy is not None:
        row.closed_period_policy = ClosedPeriodPolicy(change.closed_period_policy).value
    if change.summary_action_types is not None:
        row.summary_action_types = action_types(change.summary_action_types)
    if change.summary_period is not None:
        row.summary_period = SummaryPeriod(change.summary_period).value
    if change.clear_start_date:
        row.start_date = None
    elif change.start_date is not None:
        row.start_date = change.start_date
    _apply_schedule(row, change)
    _apply_reconcile_schedule(row, change)
    session.flush()
    settings = load_sync_settings(session, workspace_id)
    problems = settings.problems()
    if problems:
        raise Conflict("; ".join(p.message for p in problems))
    audit.record(session, workspace_id, "settings.changed", "sync settings", audit.described(change))
    return settings


def set_mapping_default(session: Session, workspace_id: int, rule: MappingRule) -> None:
    """Add or replace the default for (action type, dimension, side)."""
    if not rule.action_type.strip() or not rule.value_id.strip():
        raise Conflict("a default needs an action type and an Intacct value id")
    value_id = _sendable(f"default for {rule.action_type!r}", rule.value_id.strip())
    existing = session.scalar(
        select(MappingDefault).where(
            MappingDefault.workspace_id == workspace_id,
            MappingDefault.action_type == rule.action_type.strip().lower(),
            MappingDefault.dimension == rule.dimension.value,
            MappingDefault.side == rule.side.value,
        )
    )
    if existing is None:
        existing = MappingDefault(
            workspace_id=workspace_id,
            action_type=rule.action_type.strip().lower(),
            dimension=rule.dimension.value,
            side=rule.side.value,
        )
        session.add(existing)
    existing.value_id = value_id
    session.flush()


def remove_mapping_default(
    session: Session, workspace_id: int, action_type: str, dimension: Dimension, side: Side
) -> None:
    result = session.execute(
        delete(MappingDefault).where(
            MappingDefault.workspace_id == workspace_id,
            MappingDefault.action_type == action_type.strip().lower(),
            MappingDefault.dimension == dimension.value,
            MappingDefault.side == side.value,
        )
    )
    if result.rowcount == 0:
        raise NotFound(f"no default for {action_type!r} {dimension.value} {side.value}")
