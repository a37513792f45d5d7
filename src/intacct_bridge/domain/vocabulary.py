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
}

# The dimensions whose mode the workspace chooses (accounts are always required).
MODAL_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension.LOCATION,
    Dimension.DEPARTMENT,
    Dimension.CLASS,
    Dimension.CUSTOM,
)


def custom_category_name(label: str) -> str:
    """`[Sage Intacct] <custom field name>` as the seed names it."""
    return f"{CATEGORY_PREFIX}{label}"


def campaign_name(side: Side, value_id: str, value_name: str | None) -> str:
    """The name of the CR/DR campaign for one Intacct value, e.g. `CR 4100 - Ticket Revenue`."""
    base = f"{side.value} {value_id}"
    return f"{base} - {value_name}" if value_name and value_name != value_id else base
