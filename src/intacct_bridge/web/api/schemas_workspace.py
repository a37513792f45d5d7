"""Request and response bodies for workspaces, tokens, the connection, settings, runs and status.

The connection's password is write-only: `ConnectionIn` takes it as a `SecretStr`
(so it never shows in a repr or a log line) and no response model has a field for it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, StringConstraints

from intacct_bridge.domain.sync_settings import MAX_EVERY_HOURS
from intacct_bridge.domain.vocabulary import (
    CLOSED_PERIOD_POLICY_HELP,
    RECONCILE_SCHEDULE_HELP,
    POSTED_CHANGES_HELP,
    REVERSAL_DATE_HELP,
    SUMMARY_HELP,
    SUMMARY_PERIOD_HELP,
    Dimension,
    DimensionMode,
    PostedChanges,
    PostingLevel,
    PostingMode,
    ClosedPeriodPolicy,
    ReconcileSchedule,
    ReversalDate,
    RunStatus,
    SummaryPeriod,
    Side,
)
from intacct_bridge.domain.xml_text import CONTROL_CHARACTERS_HELP, TextPolicy
from intacct_bridge.web.api.types import Strict, Url, text


class WorkspaceIn(Strict):
    name: text(200, 1)  # type: ignore[valid-type]
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")] | None = None


class WorkspaceOut(BaseModel):
    id: int
    name: str
    slug: str
    created_at: datetime
    last_sync_at: datetime | None


class TokenIn(Strict):
    name: text(200) = ""  # type: ignore[valid-type]


class TokenCreated(BaseModel):
    id: int
    name: str
    workspace: str | None
    token: str = Field(description="Shown once: store it now; only its hash is kept.")


class ConnectionIn(Strict):
    company_id: text(100, 1)  # type: ignore[valid-type]
    user_id: text(100, 1)  # type: ignore[valid-type]
    password: Annotated[SecretStr, Field(min_length=1, max_length=500, description="Write-only: never returned.")]
    entity_id: text(100) | None = None  # type: ignore[valid-type]
    endpoint: Url | None = Field(default=None, description=(
        "The gateway URL (default: the operator's). Only endpoints the operator allows "
        "(INTACCT_BRIDGE_ALLOWED_ENDPOINTS) are accepted, and only an admin token may change it."))


class RestConnectionIn(Strict):
    """The REST API's OAuth client (from the Sage App Registry) and the Web Services user it acts for."""

    company_id: text(100, 1) | None = None  # type: ignore[valid-type]
    user_id: text(100, 1) | None = None  # type: ignore[valid-type]
    entity_id: text(100) | None = None  # type: ignore[valid-type]
    client_id: text(200, 1)  # type: ignore[valid-type]
    client_secret: Annotated[SecretStr | None, Field(default=None, max_length=500, description=(
        "Write-only: never returned. Omit it to keep the stored one (same client id)."))]
    use_rest: bool = Field(default=True, description="Also switch the workspace to the REST API.")


class ApiIn(Strict):
    api: Literal["xml", "rest"] = Field(description="Which Intacct API the workspace speaks.")


class ConnectionOut(BaseModel):
    connected: bool
    company_id: str | None = None
    user_id: str | None = None
    entity_id: str | None = None
    endpoint: str | None = None
    password_set: bool = False
    api: str = "xml"
    client_id: str | None = None
    client_secret_set: bool = False
    connected_with_intacct: bool = Field(default=False, description=(
        "A refresh token from Connect with Sage Intacct is stored (never returned)."))
    last_test_at: datetime | None = None
    last_test_ok: bool | None = None
    last_test_message: str | None = None


class CheckOut(BaseModel):
    name: str
    ok: bool
    detail: str = ""
    problem: str | None = None
    fix: str | None = None
    intacct_message: str | None = None


class ConnectionTestOut(BaseModel):
    ok: bool
    summary: str
    checks: list[CheckOut]


class SettingsOut(BaseModel):
    modes: dict[Dimension, DimensionMode]
    custom_object: str | None
    custom_gl_field: str | None
    custom_label: str | None
    posting_mode: PostingMode
    journal: str
    start_date: date | None
    schedule_time: time | None
    schedule_every_hours: int | None = None
    timezone: str
    control_characters: TextPolicy = Field(description=CONTROL_CHARACTERS_HELP)
    posted_changes: PostedChanges = Field(description=POSTED_CHANGES_HELP)
    reversal_date: ReversalDate = Field(description=REVERSAL_DATE_HELP)
    closed_period_policy: ClosedPeriodPolicy = Field(description=CLOSED_PERIOD_POLICY_HELP)
    posting_level: PostingLevel = Field(description="Multi-entity: post at the top level or each record's entity.")
    default_entity: str | None = Field(description="The entity of records naming none (one pulled from Intacct).")
    reconcile_schedule: ReconcileSchedule = Field(default=ReconcileSchedule.OFF, description=RECONCILE_SCHEDULE_HELP)
    reconcile_time: time | None = Field(default=None, description="The daily reconciliation's time (local)")
    summary_action_types: list[str] = Field(default_factory=list, description=SUMMARY_HELP)
    summary_period: SummaryPeriod = Field(default=SummaryPeriod.DAY, description=SUMMARY_PERIOD_HELP)
    warning: str | None = Field(default=None, description="Set when this change moved the posting level: the "
                                                          "records not posted yet will take the new level.")


class SettingsPatch(Strict):
    """Only the fields sent change; `null` clears the start date, the schedule or the custom field."""

    location_mode: DimensionMode | None = None
    department_mode: DimensionMode | None = None
    class_mode: DimensionMode | None = None
    custom_mode: DimensionMode | None = None
    project_mode: DimensionMode | None = None
    customer_mode: DimensionMode | None = None
    vendor_mode: DimensionMode | None = None
    employee_mode: DimensionMode | None = None
    item_mode: DimensionMode | None = None
    custom_object: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")] | None = None
    custom_gl_field: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")] | None = None
    custom_label: text(100, 1) | None = None  # type: ignore[valid-type]
    posting_mode: PostingMode | None = None
    journal: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    start_date: date | None = None
    schedule_time: time | None = None
    schedule_every_hours: Annotated[int, Field(ge=1, le=MAX_EVERY_HOURS)] | None = Field(
        default=None, description="Sync every N hours (on the local clock when N divides 24) instead of nightly.")
    timezone: text(64, 1) | None = None  # type: ignore[valid-type]
    control_characters: TextPolicy | None = Field(default=None, description=CONTROL_CHARACTERS_HELP)
    posted_changes: PostedChanges | None = Field(default=None, description=POSTED_CHANGES_HELP)
    reversal_date: ReversalDate | None = Field(default=None, description=REVERSAL_DATE_HELP)
    closed_period_policy: ClosedPeriodPolicy | None = Field(default=None, description=CLOSED_PERIOD_POLICY_HELP)
    posting_level: PostingLevel | None = None
    default_entity: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,100}$")] | None = Field(
        default=None, description="An entity pulled from Intacct (`GET .../reference/entities`); null clears it.")
    reconcile_schedule: ReconcileSchedule | None = Field(default=None, description=RECONCILE_SCHEDULE_HELP)
    reconcile_time: time | None = Field(default=None, description="The daily reconciliation's time (local), HH:MM")
    summary_action_types: Annotated[list[text(100, 1)], Field(max_length=100)] | None = Field(  # type: ignore[valid-type]
        default=None, description=SUMMARY_HELP + " (the whole list; [] posts every type in detail)")
    summary_period: SummaryPeriod | None = Field(default=None, description=SUMMARY_PERIOD_HELP)


class EntityOut(BaseModel):
    """An entity of the company as pulled, with how many values of each object it owns."""

    entity_id: str
    name: str | None
    status: str
    owned: dict[str, int]


class ReferenceValueOut(BaseModel):
    """A value pulled from Intacct (an entity, journal, AR term, tax detail, location...) and its owner."""

    object_name: str
    value_id: str
    name: str | None
    status: str
    owner_entity: str | None = Field(description="The entity it belongs to; null: the top level (every entity).")


class EntityDetailOut(EntityOut):
    values: list[ReferenceValueOut]


class ReferencePullOut(BaseModel):
    counts: dict[str, int] = Field(description="Values seen per Intacct object (LOCATIONENTITY, GLJOURNAL...).")
    campaigns_created: int


class UserDimensionIn(Strict):
    """A user-defined dimension beyond the custom field (up to 20): its mode, line field and name."""

    mode: DimensionMode = DimensionMode.AVAILABLE
    gl_field: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")] | None = Field(
        default=None, description="Default: GLDIM<OBJECT>.")
    label: text(100, 1) | None = Field(default=None, description="The category is `[Sage Intacct] <label>`.")  # type: ignore[valid-type]


class UserDimensionOut(BaseModel):
    object_name: str
    gl_field: str
    label: str
    mode: DimensionMode
    category: str


class MappingDefaultIn(Strict):
    action_type: text(100, 1)  # type: ignore[valid-type]
    dimension: Dimension
    side: Side
    value_id: text(100, 1)  # type: ignore[valid-type]


class MappingDefaultOut(BaseModel):
    action_type: str
    dimension: Dimension
    side: Side
    value_id: str


RecordKindName = Literal["journal_entry", "journal_summary", "customer", "invoice", "payment", "credit_memo", "vendor",
                         "item", "bill", "ap_adjustment", "dimension_value"]


class StockLevelOut(BaseModel):
    item_id: str
    warehouse_id: str
    on_hand: str = Field(description="Quantity on hand, as a decimal string.")
    modified_at: datetime | None = Field(description="When this quantity last changed (as seen by our pulls).")
    pulled_at: datetime


class IntacctInvoiceOut(BaseModel):
    recordno: str
    number: str | None
    customer_id: str | None
    invoice_date: date | None
    due_date: date | None
    total: str | None = Field(description="Decimal string.")
    total_due: str | None = Field(description="What is still due, as a decimal string.")
    state: str | None = Field(description="open, partly_paid or paid.")
    modified_at: datetime | None


class StockPullOut(BaseModel):
    levels: int
    changed: int


class RunRequest(Strict):
    dry_run: bool = False
    kinds: list[RecordKindName] | None = Field(
        default=None, description="Only these record kinds, posted in dependency order (default: every kind).")


class RunStarted(BaseModel):
    """`run_id` is null when the run is queued and no worker has opened it yet: `status_url` lists the runs."""

    run_id: int | None
    status_url: str
    queued: bool = False


class RunOut(BaseModel):
    id: int
    status: RunStatus
    dry_run: bool
    trigger: str
    only_action_id: int | None
    started_at: datetime
    finished_at: datetime | None
    candidates: int
    invalid: int
    posted: int = Field(description="Entries now in Intacct from this run, those found already there included.")
    already_posted: int = Field(0, description="Of `posted`, those found already in Intacct after a lost answer "
                                               "(the run looked them up by reference instead of posting again).")
    posted_summary: str = Field("", description='`posted` in words, e.g. "3 (1 found already in Intacct after a '
                                                'lost answer)".')
    failed: int
    api_transactions: int
    message: str | None
    details: dict[str, Any] | None
    progress: ProgressOut | None = None


class ProgressOut(BaseModel):
    phase: str
    done: int
    total: int | None


class RunItemOut(BaseModel):
    action_id: int
    external_id: str
    outcome: str
    message: str | None


class SummaryPreviewLineOut(BaseModel):
    account: str
    side: str
    amount: Decimal
    dimensions: dict[str, str]
    actions: list[str]


class SummaryPreviewHoldOut(BaseModel):
    action_id: int
    external_id: str
    version: int
    amount: Decimal


class SummaryPreviewOut(BaseModel):
    """A summary entry a dry run assembled in memory (never saved): what a real run would post."""

    reference: str
    journal: str
    entity: str | None
    period: str
    posting_date: date
    description: str
    debit_total: Decimal
    credit_total: Decimal
    action_count: int
    lines: list[SummaryPreviewLineOut]
    holds: list[SummaryPreviewHoldOut] = Field(description="The actions it would hold (at most 200 are kept).")


class RunDetail(RunOut):
    items: list[RunItemOut]
    next_cursor: str | None
    summaries: list[SummaryPreviewOut] = Field(
        default_factory=list, description="A dry run's summary entries: what would be posted, lines and actions.")


class ReviewOut(BaseModel):
    action_id: int
    external_id: str
    summary: str | None
    amount: str | None
    kind: str
    reasons: list[dict[str, str]]


class ReceivablesPullOut(BaseModel):
    invoices: int = Field(description="AR invoices Intacct reported as new or changed since the last pull.")
    matched: int = Field(description="... of which are this workspace's (state and balance updated).")
    only_in_intacct: int = Field(description="... of which exist only in Intacct.")
    payments: int = Field(description="AR payments recorded in Intacct since the last pull.")


class PullOut(BaseModel):
    values: int
    created: int
    deactivated: int
    streams: int
    receivables: ReceivablesPullOut | None = Field(default=None, description="For an order-to-cash workspace.")


class StatusOut(BaseModel):
    workspace: str
    connected: bool
    company_id: str | None
    last_test_ok: bool | None
    last_test_message: str | None
    last_sync_at: datetime | None
    last_run: RunOut | None
    running: str | None
    actions: dict[str, int]
    needs_review: int


RunOut.model_rebuild()
