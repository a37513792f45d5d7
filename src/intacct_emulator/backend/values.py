"""Conversion of field values between the wire (text), storage (normalised JSON) and filters.

Storage forms sort and compare correctly as text where that matters: dates are
ISO ``YYYY-MM-DD``, timestamps ``YYYY-MM-DDTHH:MM:SS``; decimals are exact strings.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re

from .catalogue import BOOLEAN, DATE, DECIMAL, ENUM, INTEGER, TIMESTAMP, Field

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


CENT = decimal.Decimal("0.01")  # amounts are kept to cents
MAX_DIGITS_BEFORE_POINT = 15  # amounts up to 999 trillion; keeps every quantize within Decimal's precision


class ValueError_(ValueError):
    """A value that does not fit its field; the message is the user-facing text."""


def parse_date(text: str) -> dt.date:
    """Parse MM/DD/YYYY (the generic functions' format) or ISO YYYY-MM-DD."""
    return parse_timestamp(text).date()


def parse_timestamp(text: str) -> dt.datetime:
    text = text.strip()
    m = _US_DATE.match(text)
    try:
        if m:
            month, day, year, hh, mm, ss = m.groups()
            return dt.datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
        m = _ISO_DATE.match(text)
        if m:
            year, month, day, hh, mm, ss = m.groups()
            return dt.datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        pass
    raise ValueError_(f"'{text}' is not a valid date (expected MM/DD/YYYY)")


def parse_decimal(text: str) -> decimal.Decimal:
    try:
        value = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        raise ValueError_(f"'{text}' is not a valid number") from None
    if not value.is_finite():
        raise ValueError_(f"'{text}' is not a valid number")
    if value.adjusted() >= MAX_DIGITS_BEFORE_POINT:
        raise ValueError_(f"'{text}' is too large")
    return value


def canonical_enum(field: Field, text: str) -> str | None:
    """The valid value ``text`` stands for (exact, alias, or case-insensitive match), or None."""
    if text in field.values:
        return text
    for alias, value in field.aliases:
        if text == alias:
            return value
    folded = text.casefold()
    return next((v for v in field.values if v.casefold() == folded), None)


def to_storage(field: Field, text: str) -> str:
    """Normalise a written value for storage; raises ValueError_ naming the field when it does not fit."""
    text = text.strip()
    if text == "":
        return ""
    try:
        if field.type == DATE:
            return parse_date(text).isoformat()
        if field.type == TIMESTAMP:
            return parse_timestamp(text).isoformat()
        if field.type == DECIMAL:
            return str(parse_decimal(text))
        if field.type == INTEGER:
            return str(int(text))
        if field.type == BOOLEAN:
            if text.lower() not in ("true", "false"):
                raise ValueError_(f"'{text}' is not true or false")
            return text.lower()
    except ValueError as exc:
        raise ValueError_(f"Invalid value for {field.name}: {exc}") from None
    if field.type == ENUM:
        value = canonical_enum(field, text)
        if value is None:
            allowed = ", ".join(field.values)
            raise ValueError_(f"Invalid value '{text}' for {field.name}; valid values are: {allowed}")
        return value
    return text


def to_wire(field: Field | None, stored: object) -> str:
    """Format a stored value the way the gateway prints it (dates MM/DD/YYYY)."""
    if stored is None:
        return ""
    text = str(stored)
    if not text or field is None:
        return text
    if field.type == DATE:
        d = dt.date.fromisoformat(text[:10])
        return f"{d.month:02d}/{d.day:02d}/{d.year:04d}"
    if field.type == TIMESTAMP:
        t = dt.datetime.fromisoformat(text)
        return f"{t.month:02d}/{t.day:02d}/{t.year:04d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return text


def operand(field: Field, text: str) -> str | int | decimal.Decimal:
    """A filter operand in the storage form of its field (enum aliases resolved, dates ISO)."""
    if field.type == ENUM:
        return canonical_enum(field, text) or text
    if field.type in (DATE, TIMESTAMP):
        try:
            stamp = parse_timestamp(text)
        except ValueError_:
            return text
        return stamp.date().isoformat() if field.type == DATE or len(text.strip()) <= 10 else stamp.isoformat()
    if field.type == BOOLEAN:
        return text.lower()
    return text
