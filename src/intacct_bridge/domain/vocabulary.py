"""The words of the journal-entry sync (seed 000): sides, dimensions, modes, category and system names.

Enums are `StrEnum`s so their values are what the store writes and what the CLI accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    """Which journal line a campaign feeds: the credit (CR) or the debit (DR) line."""

    CR = "CR"
    DR = "DR"

    @property
    def other(self) -> Side:
        return Side.DR if self is Side.CR else Side.CR


class Dimension(StrEnum):
    """What an Intacct-backed campaign category stands for."""

    ACCOUNT = "account"
    LOCATION = "location"
    DEPARTMENT = "department"
    CLASS = "class"
    CUSTOM = "custom"
    # GL-line dimensions of issue 10 (seed 002 "project cost tracking"; customers, vendors, employees, items)
    PROJECT = "project"
    CUSTOMER = "customer"
    VENDOR = "vendor"
    EMPLOYEE = "employee"
    ITEM = "item"
    # Not a GL-line value: the entity a record posts to at the entity level (`[Sage Intacct] Entities`, no side)
    ENTITY = "entity"


class DimensionMode(StrEnum):
    """Per-dimension rule (SPEC §2): campaigns created and required, optional, or ignored entirely."""

    REQUIRE = "require"
    AVAILABLE = "available"
    EXCLUDE = "exclude"


class PostingMode(StrEnum):
    """Individual posts at each action's date; Batching posts the whole run at the run's start date."""

    INDIVIDUAL = "individual"
    BATCHING = "batching"


class ActionStatus(StrEnum):
    """Where an action stands with Intacct. Exclusion is a campaign tag, not a status."""

    UNPOSTED = "unposted"
    POSTED = "posted"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"    # deleted at the source after posting: its entry is reversed, nothing more posts


class PostedChanges(StrEnum):
    """What a change at the source does to an action already posted (the workspace's `posted_changes`)."""

    REFUSE = "refuse"      # the import is refused, naming the record and what changed
    REVERSE = "reverse"    # a reversal of what was posted, then the corrected entry (a delete: the reversal only)


POSTED_CHANGES_HELP = ("A posted action changed or deleted at the source: `refuse` the change (the import names it), "
                       "or `reverse`: post a reversal of what was posted, then the corrected entry (a delete: the "
                       "reversal only); every version is kept and posted once")
REVERSAL_DATE_HELP = "A reversal's date: the `original` entry's date, or the day of the `change`"


RECONCILE_SCHEDULE_HELP = ("Reconcile with Intacct by itself: `off`, `daily` at reconcile_time (HH:MM, the workspace's "
                           "time zone), or `after_sync` (after each sync run); drift sends reconcile.drift")

CLOSED_PERIOD_POLICY_HELP = ("A record dated in a period closed in Intacct: `reject` it (flagged as a closed period), or "
                             "post it on the first day of the `next_open` period, its original date in the entry's "
                             "description and in the run log")


class ClosedPeriodPolicy(StrEnum):
    """What a record dated in a closed Intacct period does (the workspace's `closed_period_policy`)."""

    REJECT = "reject"        # send it as it is: Intacct refuses it, the queue classes it closed_period
    NEXT_OPEN = "next_open"  # post it on the first open day after the books' closed-through date


class ReconcileSchedule(StrEnum):
    """When a workspace reconciles with Intacct by itself (the workspace's `reconcile_schedule`)."""

    OFF = "off"                  # only when someone asks (CLI, API, console, Python)
    DAILY = "daily"              # every day at `reconcile_time`, in the workspace's time zone (`serve`'s scheduler)
    AFTER_SYNC = "after_sync"    # after each sync run that ends succeeded or completed with errors
    #                              (not a dry run, not a one-record sync)


class SummaryPeriod(StrEnum):
    """How much one summary journal entry covers (the workspace's `summary_period`)."""

    DAY = "day"    # one entry per posting day, journal and entity
    RUN = "run"    # one entry per run, journal and entity (dated on the run's day)


SUMMARY_HELP = ("Action types posted as a summary: one journal entry per day (or per run), journal and entity, whose "
                "lines add up the actions by account, side and dimensions; the other types post one entry per action")
SUMMARY_PERIOD_HELP = "What one summary entry covers: a posting `day`, or one `run`"


class ReversalDate(StrEnum):
    """The date a reversal is posted on (the workspace's `reversal_date`)."""

    ORIGINAL = "original"  # the reversed entry's own date
    CHANGE = "change"      # the day the change arrived, in the workspace's time zone


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    HALTED = "halted"
    FAILED = "failed"
    COMPLETED_WITH_ERRORS = "completed_with_errors"


class PostingState(StrEnum):
    """One attempt to post one action: written `pending` before the request leaves."""

    PENDING = "pending"
    SENT = "sent"
    POSTED = "posted"
    FAILED = "failed"
    AMBIGUOUS = "ambiguous"


# Attempts whose fate Intacct has not told yet: the next run looks them up before anything is sent again.
UNSETTLED_POSTINGS = (PostingState.PENDING.value, PostingState.SENT.value, PostingState.AMBIGUOUS.value)


CATEGORY_PREFIX = "[Sage Intacct] "
SYSTEM_CATEGORY = "[System]"
EXCLUDE_CAMPAIGN = "[System] Auto-Generated: Exclude from Sage Intacct"
NEEDS_REVIEW_CAMPAIGN = "System Needs Review"


@dataclass(frozen=True)
class DimensionSpec:
    """How one standard dimension is pulled from Intacct and written on a GLENTRY line."""

    dimension: Dimension
    category_name: str
    intacct_object: str
    id_field: str
    name_field: str
    gl_field: str
    label: str


STANDARD_DIMENSIONS: dict[Dimension, DimensionSpec] = {
    Dimension.ACCOUNT: DimensionSpec(
        Dimension.ACCOUNT, "[Sage Intacct] Accounts", "GLACCOUNT", "ACCOUNTNO", "TITLE", "ACCOUNTNO", "account"
    ),
    Dimension.LOCATION: DimensionSpec(
        Dimension.LOCATION, "[Sage Intacct] Locations", "LOCATION", "LOCATIONID", "NAME", "LOCATION", "location"
    ),
    Dimension.DEPARTMENT: DimensionSpec(
        Dimension.DEPARTMENT,
        "[Sage Intacct] Departments",
        "DEPARTMENT",
        "DEPARTMENTID",
        "TITLE",
        "DEPARTMENT",
        "department",
    ),
    Dimension.CLASS: DimensionSpec(
        Dimension.CLASS, "[Sage Intacct] Classes", "CLASS", "CLASSID", "NAME", "CLASSID", "class"
    ),
    Dimension.PROJECT: DimensionSpec(
        Dimension.PROJECT, "[Sage Intacct] Projects", "PROJECT", "PROJECTID", "NAME", "PROJECTID", "project"
    ),
    Dimension.CUSTOMER: DimensionSpec(
        Dimension.CUSTOMER, "[Sage Intacct] Customers", "CUSTOMER", "CUSTOMERID", "NAME", "CUSTOMERID", "customer"
    ),
    Dimension.VENDOR: DimensionSpec(
        Dimension.VENDOR, "[Sage Intacct] Vendors", "VENDOR", "VENDORID", "NAME", "VENDORID", "vendor"
    ),
    Dimension.EMPLOYEE: DimensionSpec(
        Dimension.EMPLOYEE, "[Sage Intacct] Employees", "EMPLOYEE", "EMPLOYEEID", "PERSONALINFO.CONTACTNAME",
        "EMPLOYEEID", "employee",
    ),
    Dimension.ITEM: DimensionSpec(
        Dimension.ITEM, "[Sage Intacct] Items", "ITEM", "ITEMID", "NAME", "ITEMID", "item"
    ),
}

# The entities of a multi-entity company: one campaign per entity (no side) in this category.
ENTITY_SPEC = DimensionSpec(
    Dimension.ENTITY, "[Sage Intacct] Entities", "LOCATIONENTITY", "LOCATIONID", "NAME", "", "entity"
)

# The dimensions whose mode the workspace chooses (accounts are always required).
MODAL_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension.LOCATION,
    Dimension.DEPARTMENT,
    Dimension.CLASS,
    Dimension.CUSTOM,
    Dimension.PROJECT,
    Dimension.CUSTOMER,
    Dimension.VENDOR,
    Dimension.EMPLOYEE,
    Dimension.ITEM,
)


class PostingLevel(StrEnum):
    """Multi-entity (seed 001): post every record at the top level, or each at its own entity."""

    TOP = "top"
    ENTITY = "entity"


def custom_category_name(label: str) -> str:
    """`[Sage Intacct] <custom field name>` as the seed names it."""
    return f"{CATEGORY_PREFIX}{label}"


def campaign_name(side: Side | None, value_id: str, value_name: str | None) -> str:
    """The name of the CR/DR campaign for one Intacct value, e.g. `CR 4100 - Ticket Revenue`
    (an entity's, without a side: `E100 - Helping Hands East`)."""
    base = f"{side.value} {value_id}" if side is not None else value_id
    return f"{base} - {value_name}" if value_name and value_name != value_id else base
