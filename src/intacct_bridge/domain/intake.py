"""Bulk intake of actions: one row (from CSV or JSON lines) → an `ActionRecord`, or its errors by field.

Checks here are about form (is this a number, a date, an id?). Whether an action can be
posted is the validation gate's business: a row may carry no amount, a zero amount or no
campaigns and still be imported; the gate flags it for review. Campaign names are resolved
against the store by the caller.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from intacct_bridge.domain.values import exact_amount, parse_timestamp

MAX_ID = 200
ALIASES = {
    "id": "external_id",
    "action_id": "external_id",
    "action_type": "type",
    "date": "happened_at",
    "constituent": "constituent_name",
    "tags": "campaigns",
}
CAMPAIGN_SEPARATORS = (";", "|")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class ActionRecord:
    """One action as received; `line` is where it came from, for error reports."""

    line: int
    external_id: str
    type: str
    amount: Decimal | None
    happened_at: datetime | None
    created_at: datetime | None
    summary: str | None = None
    url: str | None = None
    constituent_id: str | None = None
    constituent_name: str | None = None
    campaigns: tuple[str, ...] = field(default_factory=tuple)


def text_value(value: Any) -> str | None:
    """A cell or JSON value as trimmed text; None when blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def normalize_keys(row: Mapping[str, Any], aliases: Mapping[str, str] = ALIASES) -> dict[str, Any]:
    """Lower-case, trimmed keys with common aliases mapped (for actions: id, date, constituent, tags)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key).strip().lower().replace(" ", "_").replace("-", "_")
        out[aliases.get(name, name)] = value
    constituent = out.get("constituent_name")
    if isinstance(constituent, Mapping):  # JSON: {"constituent": {"id": ..., "name": ...}}
        out["constituent_id"] = out.get("constituent_id") or constituent.get("id")
        out["constituent_name"] = constituent.get("name")
    return out


def optional_amount(value: Any) -> tuple[Decimal | None, str | None]:
    """Missing or zero is accepted (the gate flags it); a non-number or sub-cent amount is not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    return exact_amount(value)


def optional_moment(value: Any, zone: ZoneInfo) -> tuple[datetime | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    moment, reason = parse_timestamp(value, zone)
    return moment, (reason.message if reason else None)


def _campaigns(value: Any) -> tuple[tuple[str, ...], str | None]:
    if value is None:
        return (), None
    if isinstance(value, str):
        parts = [value]
        for separator in CAMPAIGN_SEPARATORS:
            parts = [piece for part in parts for piece in part.split(separator)]
        return tuple(p.strip() for p in parts if p.strip()), None
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip()), None
    return (), "campaigns must be names: a list of strings, or one string separated by ';'"


def parse_row(line: int, raw: Mapping[str, Any], zone: ZoneInfo) -> ActionRecord | list[RowError]:
    """Check one row's form; return the record or every error in it."""
    row = normalize_keys(raw)
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(line, name, message))

    external_id, kind = text_value(row.get("external_id")), text_value(row.get("type"))
    if external_id is None:
        fail("external_id", "missing: every action needs the id it has in your system")
    elif len(external_id) > MAX_ID:
        fail("external_id", f"longer than {MAX_ID} characters")
    if kind is None:
        fail("type", "missing: e.g. donation, membership, ticket")
    amount, problem = optional_amount(row.get("amount"))
    if problem:
        fail("amount", problem)
    happened_at, problem = optional_moment(row.get("happened_at"), zone)
    if problem:
        fail("happened_at", problem)
    created_at, problem = optional_moment(row.get("created_at"), zone)
    if problem:
        fail("created_at", problem)
    url = text_value(row.get("url"))
    if url and not url.startswith(("http://", "https://")):
        fail("url", f"{url!r} is not a web address starting with http:// or https://")
    campaigns, problem = _campaigns(row.get("campaigns"))
    if problem:
        fail("campaigns", problem)
    if errors:
        return errors
    return ActionRecord(
        line=line,
        external_id=external_id,  # type: ignore[arg-type]
        type=kind.lower(),  # type: ignore[union-attr]
        amount=amount,
        happened_at=happened_at,
        created_at=created_at,
        summary=text_value(row.get("summary")),
        url=url,
        constituent_id=text_value(row.get("constituent_id")),
        constituent_name=text_value(row.get("constituent_name")),
        campaigns=campaigns,
    )


class RowChecker:
    """Checks the rows of one file in order: each row's form, and that no external id comes twice."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.first_line: dict[str, int] = {}

    def check(self, line: int, raw: Mapping[str, Any] | RowError) -> ActionRecord | list[RowError]:
        if isinstance(raw, RowError):
            return [raw]
        parsed = parse_row(line, raw, self.zone)
        if isinstance(parsed, list):
            return parsed
        first = self.first_line.setdefault(parsed.external_id, line)
        if first != line:
            return [RowError(line, "external_id", f"{parsed.external_id!r} already appears on line {first}")]
        return parsed


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str, Any] | RowError]], zone: ZoneInfo
) -> tuple[list[ActionRecord], list[RowError]]:
    """All records and all errors of a (small) file, without touching the store: a dry check."""
    checker = RowChecker(zone)
    records: list[ActionRecord] = []
    errors: list[RowError] = []
    for line, raw in rows:
        checked = checker.check(line, raw)
        if isinstance(checked, list):
            errors.extend(checked)
        else:
            records.append(checked)
    return records, errors


Row = tuple[int, Mapping[str, Any] | RowError]


FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


def format_of(file_name: str, given: str | None = None) -> str | None:
    """csv or jsonl: as given, else from the file's extension; None when it cannot be told."""
    chosen = given or FORMATS.get("." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "")
    return chosen if chosen in ("csv", "jsonl") else None


def read_rows(lines: Iterable[str], file_format: str) -> Iterator[Row]:
    """Rows of a CSV or JSON-lines text."""
    return read_csv(lines) if file_format == "csv" else read_jsonl(lines)


def read_csv(lines: Iterable[str]) -> Iterator[Row]:
    """(line number, row) per data row of CSV text with a header row; line numbers count the header."""
    reader = csv.DictReader(lines)
    if not reader.fieldnames:
        return
    for row in reader:
        if None in row:  # more cells than header columns
            yield reader.line_num, RowError(reader.line_num, "(row)", "more values than the header has columns")
            continue
        if any(v and v.strip() for v in row.values()):
            yield reader.line_num, row


def read_jsonl(lines: Iterable[str]) -> Iterator[Row]:
    """(line number, object) per non-blank line; numbers are read as Decimal, never float."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as error:
            yield number, RowError(number, "(line)", f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(value, dict):
            yield number, RowError(number, "(line)", "each line must be one JSON object")
            continue
        yield number, value
