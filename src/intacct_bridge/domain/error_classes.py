"""The error queue's classes: what kind of failure a record met, and the fix that fits it.

Every failed record of every kind gets one class. Transient classes (rate limit,
transient gateway) are retried by later runs with a growing wait and a cap,
then flagged; the others are flagged at once with their own fix, so a closed
period is never "fixed by applying campaigns". Pure rules: no I/O.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum


class ErrorClass(str, Enum):
    VALIDATION = "validation"          # the record is incomplete or wrong (mapping, campaigns, fields)
    CONNECTION = "connection"          # sign-in or the connection to Intacct failed
    PERMISSION = "permission"          # the Web Services user lacks a permission
    RATE_LIMIT = "rate_limit"          # Intacct throttled the company
    CLOSED_PERIOD = "closed_period"    # the date falls in a period closed in Intacct
    DUPLICATE = "duplicate"            # Intacct already holds a record with that number or id
    TRANSIENT = "transient"            # the gateway did not answer properly (5xx, dropped connection)
    BUSINESS_RULE = "business_rule"    # Intacct refused the data for another reason (its message says which)


TRANSIENT_CLASSES = frozenset({ErrorClass.RATE_LIMIT, ErrorClass.TRANSIENT})

LABELS: dict[ErrorClass, str] = {
    ErrorClass.VALIDATION: "Validation and mapping",
    ErrorClass.CONNECTION: "Authentication and connection",
    ErrorClass.PERMISSION: "Permission",
    ErrorClass.RATE_LIMIT: "Rate limit",
    ErrorClass.CLOSED_PERIOD: "Closed period",
    ErrorClass.DUPLICATE: "Duplicate",
    ErrorClass.TRANSIENT: "Transient gateway error",
    ErrorClass.BUSINESS_RULE: "Business rule",
}

FIXES: dict[ErrorClass, str] = {
    ErrorClass.VALIDATION: "Correct the record as each reason says (in your system, or by applying campaigns or "
                           "changing the workspace settings); the next sync checks it again by itself.",
    ErrorClass.CONNECTION: "Test the connection and correct what it names (credentials, sender authorization, "
                           "Web Services subscription, IP filter), then retry.",
    ErrorClass.PERMISSION: "In Sage Intacct, open Company > Admin > Roles and give the Web Services user's role the "
                           "permission Intacct names (Add on the object refused), then retry.",
    ErrorClass.RATE_LIMIT: "Nothing to do: Intacct throttled the company; later runs retry it with a growing wait. "
                           "If it keeps happening, run fewer integrations at once or raise the performance tier.",
    ErrorClass.CLOSED_PERIOD: "The date is in a period closed in Intacct: change the record's date in your system, "
                              "reopen the period in Intacct (General Ledger > Setup > Configuration, 'Books closed "
                              "through'), or turn on posting to the next open period (setting "
                              "closed_period_policy = next_open), then retry.",
    ErrorClass.DUPLICATE: "Intacct already has a record with this number or id: if it is this record, resolve the "
                          "error (ignore it); otherwise give the record a number of its own in your system, then "
                          "retry.",
    ErrorClass.TRANSIENT: "Nothing to do: the gateway did not answer properly; later runs retry it with a growing "
                          "wait. If it keeps failing, check Intacct's status and the endpoint, then retry.",
    ErrorClass.BUSINESS_RULE: "Intacct refused the data: correct what its message names in your system, then retry.",
}

# Later runs retry a transient failure after 5 min, 10, 20, 40..., at most 6 hours apart, and flag it for a
# person after this many attempts.
FIRST_WAIT = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 5


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next automatic attempt after `attempts` transient failures (>= 1)."""
    return exponential(FIRST_WAIT, LONGEST_WAIT, attempts)


def exponential(first: timedelta, longest: timedelta, attempts: int) -> timedelta:
    """`first`, doubled after each failure beyond the first, never more than `longest` (no overflow)."""
    wait = first
    for _ in range(max(attempts - 1, 0)):
        wait *= 2
        if wait >= longest:
            return longest
    return min(wait, longest)


def gives_up(attempts: int) -> bool:
    """After this many transient failures the record is flagged and no longer retried by itself."""
    return attempts >= MAX_ATTEMPTS


# What Intacct's words say when the error type alone does not (its business-rule errors share errornos).
_TEXT_RULES: tuple[tuple[str, ErrorClass], ...] = (
    ("closed period", ErrorClass.CLOSED_PERIOD),
    ("books are closed", ErrorClass.CLOSED_PERIOD),
    ("period is closed", ErrorClass.CLOSED_PERIOD),
    ("already exists", ErrorClass.DUPLICATE),
    ("duplicate", ErrorClass.DUPLICATE),
    ("do not have permission", ErrorClass.PERMISSION),
    ("rate limit", ErrorClass.RATE_LIMIT),
    ("too many concurrent", ErrorClass.RATE_LIMIT),
)


def class_of_text(message: str | None, default: ErrorClass = ErrorClass.BUSINESS_RULE) -> ErrorClass:
    """The class Intacct's message names (a closed period, a duplicate...), else `default`."""
    lowered = (message or "").lower()
    for fragment, error_class in _TEXT_RULES:
        if fragment in lowered:
            return error_class
    return default


def parse_class(value: str) -> ErrorClass:
    """An `ErrorClass` from its name (`closed_period`, `closed-period`, `Closed period`), or ValueError naming them."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    for error_class in ErrorClass:
        if key in (error_class.value, LABELS[error_class].lower().replace(" ", "_")):
            return error_class
    raise ValueError(f"unknown error class {value!r}; the classes are: {', '.join(c.value for c in ErrorClass)}")
