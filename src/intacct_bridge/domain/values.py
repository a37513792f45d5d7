"""Reading an action's amount and date the strict way: Decimal with at most 2 places; a real date.

Both return `(value, None)` or `(None, Reason)` so a whole file or run can be checked
before anything is stored or sent.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from intacct_bridge.domain.model import Reason

CENT = Decimal("0.01")
# Numeric(18, 2): 16 digits before the point.
MAX_AMOUNT = Decimal("9999999999999999.99")


def exact_amount(raw: object) -> tuple[Decimal | None, str | None]:
    """The form check every amount gets (intake and the gate alike): a number with at most 2 places.

    A float or bool is refused (a float has already lost cents); text, int and Decimal are read
    exactly. Missing and zero are the callers' business: intake accepts them, the gate does not.
    """
    if isinstance(raw, bool | float):
        return None, f"amount {raw!r} is a binary number, not an exact amount: write it as text or a Decimal, e.g. 25.00"
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            return None, f"amount {raw!r} is not a number: use digits and a point, e.g. 1234.50"
    else:
        return None, f"amount of type {type(raw).__name__} is not a number: give it as text, e.g. 1234.50"
    if not value.is_finite():
        return None, f"amount {raw!r} is not a finite number, so not a usable amount: enter the real amount"
    if abs(value) > MAX_AMOUNT:
        return None, f"amount {raw!r} is too large, not a usable amount: at most {MAX_AMOUNT}"
    if value != value.quantize(CENT):
        return None, f"amount {raw!r} has more than 2 decimal places: round it to cents"
    return value.quantize(CENT), None


def parse_amount(raw: object) -> tuple[Decimal | None, Reason | None]:
    """A non-zero 2-place Decimal, or the reason it is not one (see `exact_amount`)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, Reason("amount", "amount is missing: enter the action's amount, e.g. 25.00")
    value, problem = exact_amount(raw)
    if value is None:
        return None, Reason("amount", problem or "amount is not a number")
    if value == 0:
        return None, Reason("amount", "amount is zero: enter the real amount or exclude the action from Sage Intacct")
    return value, None


def parse_timestamp(raw: object, zone: ZoneInfo) -> tuple[datetime | None, Reason | None]:
    """An aware datetime from a datetime, a date (midnight in `zone`) or ISO 8601 text."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, Reason("happened_at", "date is missing: enter when the action happened, e.g. 2025-06-30")
    if isinstance(raw, str):
        text = raw.strip()
        try:
            raw = datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
        except ValueError:
            return None, Reason("happened_at", f"date {text!r} is not a date: use YYYY-MM-DD or ISO 8601")
    if isinstance(raw, datetime):
        return (raw if raw.tzinfo is not None else raw.replace(tzinfo=zone)), None
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=zone), None
    return None, Reason("happened_at", f"date of type {type(raw).__name__} is not a date")


def posting_date_of(raw: object, zone: ZoneInfo) -> tuple[date | None, Reason | None]:
    """The calendar date an action happened on, in the workspace's time zone."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw, None
    moment, reason = parse_timestamp(raw, zone)
    if moment is None:
        return None, reason
    return moment.astimezone(zone).date(), None
