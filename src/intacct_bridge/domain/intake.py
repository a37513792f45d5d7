"""Bulk intake of actions: one row (from CSV or JSON lines) → an `ActionRecord`, or its errors by field.

Checks here are about form (is this a number, a date, an id, text Intacct can carry, text
that fits its field?). Whether an action can be posted is the validation gate's business: a
row may carry no amount, a zero amount or no campaigns and still be imported; the gate flags
it for review. Campaign names are resolved against the store by the caller.

`FIELD_LIMITS` is the one table of how long each text field may be, shared by the CSV and
JSON-lines readers, the REST API's schemas and the store's columns. Every text field is
also checked against what XML 1.0 can carry (`xml_text`), under the workspace's policy.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from intacct_bridge.domain.values import exact_amount, parse_timestamp
from intacct_bridge.domain.xml_text import TextPolicy, admit_text

# Characters each text field may hold (after surrounding blanks are removed): the store's
# column sizes, and the API's caps where the column has none (summary).
FIELD_LIMITS = {
    "external_id": 200,
    "type": 100,
    "summary": 2000,
    "url": 2000,
    "constituent_id": 200,
    "constituent_name": 300,
    "email": 300,
    "campaigns": 400,  # each campaign name
}
MAX_ID = FIELD_LIMITS["external_id"]
# Free text, where a workspace may choose to replace characters XML cannot carry; the rest are
# identifiers, refused (a replaced identifier would match nothing).
REPLACEABLE = frozenset({"summary", "constituent_name"})
# The csv module refuses fields over 131,072 characters by default, with an exception that names
# neither line nor field. Reading allows far more, so each field is measured against its own
# limit above and reported by line and field; only a field beyond this is an unreadable row.
CSV_FIELD_LIMIT = 1 << 24
# The constituent is `constituent.external_id` and `constituent.name` everywhere: dotted CSV columns, a nested
# JSON object (JSON lines and the REST API). The flat `constituent_id` / `constituent_name` columns of earlier
# versions, a nested `id`, and a `constituent` column (its name) still work as aliases.
ALIASES = {
    "id": "external_id",
    "action_id": "external_id",
    "action_type": "type",
    "date": "happened_at",
    "constituent": "constituent_name",
    "constituent.name": "constituent_name",
    "constituent.external_id": "constituent_id",
    "constituent.id": "constituent_id",
    "tags": "campaigns",
}
CAMPAIGN_SEPARATORS = (";", "|")


@dataclass(frozen=True)
class RowError:
    """One problem of one record: its line (CSV, JSON lines) or index (API), the field, and why.

    `external_id` names the record too when its own id could be read.
    """

    line: int
    field: str
    message: str
    external_id: str | None = None

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


def key_name(key: Any) -> str:
    """A column or JSON key as the readers compare it: trimmed, lower case, blanks and dashes as underscores."""
    return str(key).strip().lower().replace(" ", "_").replace("-", "_")


def normalize_keys(row: Mapping[str, Any], aliases: Mapping[str, str] = ALIASES) -> dict[str, Any]:
    """Lower-case, trimmed keys with common aliases mapped (for actions: id, date, constituent, tags)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = key_name(key)
        out[aliases.get(name, name)] = value
    constituent = out.get("constituent_name")
    if isinstance(constituent, Mapping):  # JSON: {"constituent": {"external_id": ..., "name": ...}} (or "id")
        out["constituent_id"] = (out.get("constituent_id") or constituent.get("external_id")
                                 or constituent.get("id"))
        out["constituent_name"] = constituent.get("name")
    return out


@dataclass(frozen=True)
class Columns:
    """The columns (CSV) or keys (JSON) one kind of record may carry; any other is refused, never dropped.

    `fields` are the names the reader knows (after `key_name` and `aliases`); `prefixes` families of flat
    columns, each checked by what follows the prefix against its own columns (`line_sku` → a line's `sku`;
    None: any name, as in `dimension:PROGRAM`); `nested` the objects or lists of objects a JSON record may
    hold. `template` is the header row of the kind's CSV template and `example` its example row.
    """

    fields: frozenset[str]
    aliases: Mapping[str, str] = field(default_factory=dict)
    prefixes: Mapping[str, Columns | None] = field(default_factory=dict)
    nested: Mapping[str, Columns | None] = field(default_factory=dict)
    template: tuple[str, ...] = ()
    example: tuple[str, ...] = ()

    def knows(self, key: Any) -> bool:
        name = self.aliases.get(key_name(key), key_name(key))
        if name in self.fields or name in self.nested:
            return True
        return any(name.startswith(prefix) and (inner is None or inner.knows(name[len(prefix):]))
                   for prefix, inner in self.prefixes.items())

    def unknown(self, row: Mapping[Any, Any], path: str = "") -> Iterator[str]:
        """The keys of `row` (dotted with `path` inside nested objects) that no reader would use.

        A blank column heading over blank cells (a trailing comma in a spreadsheet's export) is not a column."""
        for key, value in row.items():
            if key is None or (not str(key).strip() and not text_value(value)):
                continue
            name = self.aliases.get(key_name(key), key_name(key))
            inner = self.nested.get(name)
            if inner is not None and isinstance(value, Mapping):
                yield from inner.unknown(value, f"{path}{key}.")
            elif inner is not None and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, Mapping):
                        yield from inner.unknown(item, f"{path}{key}[{index}].")
            elif not self.knows(key):
                yield f"{path}{key}"

    def names(self) -> list[str]:
        """Every name a column may have, the template's first (the candidates of a "did you mean")."""
        flat = [prefix + name for prefix, inner in self.prefixes.items() if inner for name in inner.names()]
        return list(dict.fromkeys([*self.template, *sorted(self.fields), *flat, *sorted(self.aliases)]))

    def suggestion(self, column: str) -> str | None:
        """The known column a misspelt one most likely means (difflib's closest, when close enough)."""
        if "[" not in column:  # a flat column (a dotted CSV one too): compared whole
            close = difflib.get_close_matches(key_name(column), self.names(), n=1, cutoff=0.7)
            if close:
                return close[0]
        *outer, last = column.split(".")
        scope: Columns | None = self
        for part in outer:
            scope = scope.nested.get(scope.aliases.get(key_name(part.split("[")[0]), key_name(part.split("[")[0])))
            if scope is None:
                return None
        close = difflib.get_close_matches(key_name(last), scope.names(), n=1, cutoff=0.7)
        return close[0] if close else None


def unknown_column_error(line: int, column: str, columns: Columns) -> RowError:
    """The error naming a column no reader uses, with the likely spelling and the fix."""
    guess = columns.suggestion(column)
    hint = f"did you mean {guess!r}? " if guess else ""
    known = ", ".join(columns.template or sorted(columns.fields))
    return RowError(line, column, f"unknown column: {hint}Rename it or remove it (nothing in it would be imported); "
                                  f"the columns are {known}")


def screen_columns(rows: Iterable[Row], columns: Columns) -> Iterator[Row]:
    """The rows, each unknown column reported (once, where it first appears) before the row that has it.

    The row itself still follows, so its other problems are reported in the same pass; the error alone
    makes the import refuse the whole file.
    """
    reported: set[str] = set()
    for line, raw in rows:
        if not isinstance(raw, RowError):
            for column in columns.unknown(raw):
                if column not in reported:
                    reported.add(column)
                    yield line, unknown_column_error(line, column, columns)
        yield line, raw


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
        names = tuple(p.strip() for p in parts if p.strip())
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        names = tuple(v.strip() for v in value if v.strip())
    else:
        return (), "campaigns must be names: a list of strings, or one string separated by ';'"
    for name in names:
        problem = text_problem("campaigns", name, TextPolicy.REFUSE)[1]
        if problem:
            return (), f"campaign {name[:50]!r}: {problem}"
    return names, None


def text_problem(name: str, text: str | None, policy: TextPolicy) -> tuple[str | None, str | None]:
    """A text field as it will be stored, and the problem with it (too long for its field, or
    holding a character XML cannot carry): the one check every intake path applies."""
    if text is None:
        return None, None
    limit = FIELD_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        return text, f"{len(text):,} characters, longer than the {limit:,} this field may hold: shorten it"
    return admit_text(text, policy, replaceable=name in REPLACEABLE)


def parse_row(
    line: int, raw: Mapping[str, Any], zone: ZoneInfo, policy: TextPolicy = TextPolicy.REFUSE
) -> ActionRecord | list[RowError]:
    """Check one row's form; return the record or every error in it."""
    row = normalize_keys(raw)
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(line, name, message))

    def text(name: str) -> str | None:
        value, problem = text_problem(name, text_value(row.get(name)), policy)
        if problem:
            fail(name, problem)
        return value

    external_id, kind = text("external_id"), text("type")
    if external_id is None:
        fail("external_id", "missing: every action needs the id it has in your system")
    if kind is None:
        fail("type", "missing: e.g. donation, membership, ticket")
    amount, problem = optional_amount(row.get("amount"))
    if problem:
        fail("amount", problem)
    happened_at, problem = optional_moment(row.get("happened_at"), zone)
    if problem:
        fail("happened_at", problem)
    elif happened_at is None:  # refused here, not at the sync: the entry's date comes from it
        fail("happened_at", "missing: when the action happened, e.g. 2025-06-30 or 2025-06-30T14:00:00Z "
                            "(its entry is dated by it); fill it in and import again")
    created_at, problem = optional_moment(row.get("created_at"), zone)
    if problem:
        fail("created_at", problem)
    summary, url = text("summary"), text("url")
    if url and not url.startswith(("http://", "https://")):
        fail("url", f"{url[:100]!r} is not a web address starting with http:// or https://")
    constituent_id, constituent_name = text("constituent_id"), text("constituent_name")
    campaigns, problem = _campaigns(row.get("campaigns"))
    if problem:
        fail("campaigns", problem)
    if errors:
        named = external_id if external_id and not any(e.field == "external_id" for e in errors) else None
        return [RowError(e.line, e.field, e.message, named) for e in errors]
    return ActionRecord(
        line=line,
        external_id=external_id,  # type: ignore[arg-type]
        type=kind.lower(),  # type: ignore[union-attr]
        amount=amount,
        happened_at=happened_at,
        created_at=created_at,
        summary=summary,
        url=url,
        constituent_id=constituent_id,
        constituent_name=constituent_name,
        campaigns=campaigns,
    )


class RowChecker:
    """Checks the rows of one file in order: each row's form, and that no external id comes twice."""

    def __init__(self, zone: ZoneInfo, policy: TextPolicy = TextPolicy.REFUSE) -> None:
        self.zone = zone
        self.policy = policy
        self.first_line: dict[str, int] = {}

    def check(self, line: int, raw: Mapping[str, Any] | RowError) -> ActionRecord | list[RowError]:
        if isinstance(raw, RowError):
            return [raw]
        parsed = parse_row(line, raw, self.zone, self.policy)
        if isinstance(parsed, list):
            return parsed
        first = self.first_line.setdefault(parsed.external_id, line)
        if first != line:
            return [RowError(line, "external_id", f"{parsed.external_id!r} already appears on line {first}",
                             parsed.external_id)]
        return parsed


def parse_rows(
    rows: Iterable[tuple[int, Mapping[str, Any] | RowError]], zone: ZoneInfo, policy: TextPolicy = TextPolicy.REFUSE
) -> tuple[list[ActionRecord], list[RowError]]:
    """All records and all errors of a (small) file, without touching the store: a dry check."""
    checker = RowChecker(zone, policy)
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

ACTION_COLUMNS = Columns(
    fields=frozenset(("external_id", "type", "amount", "happened_at", "created_at", "summary", "url",
                      "constituent_id", "constituent_name", "campaigns")),
    aliases=ALIASES,
    nested={"constituent_name": Columns(frozenset(("external_id", "name")), aliases={"id": "external_id"},
                                        template=("external_id", "name"))},
    template=("external_id", "type", "amount", "happened_at", "summary", "url", "constituent.external_id",
              "constituent.name", "campaigns", "created_at"),
    example=("D-1001", "donation", "125.00", "2025-06-30T14:00:00Z", "Spring appeal gift",
             "https://crm.example.org/gifts/D-1001", "C-501", "Ada Lovelace", "Spring Appeal", ""),
)


FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


def format_of(file_name: str, given: str | None = None) -> str | None:
    """csv or jsonl: as given, else from the file's extension; None when it cannot be told."""
    chosen = given or FORMATS.get("." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "")
    return chosen if chosen in ("csv", "jsonl") else None


def read_rows(lines: Iterable[str], file_format: str) -> Iterator[Row]:
    """Rows of a CSV or JSON-lines text."""
    return read_csv(lines) if file_format == "csv" else read_jsonl(lines)


NO_ROWS = "nothing to import: the file is empty or holds only its header row"


def read_csv(lines: Iterable[str]) -> Iterator[Row]:
    """(line number, row) per data row of CSV text with a header row; line numbers count the header.

    A file without a data row is an error (line 1); so is a row the csv module cannot read,
    after which reading stops.
    """
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))  # process-wide; only ever raised
    reader = csv.DictReader(lines)
    rows = 0
    try:
        if not reader.fieldnames:
            yield 1, RowError(1, "(file)", NO_ROWS)
            return
        for row in reader:
            if None in row:  # more cells than header columns
                yield reader.line_num, RowError(reader.line_num, "(row)", "more values than the header has columns")
                rows += 1
                continue
            if any(v and v.strip() for v in row.values()):
                rows += 1
                yield reader.line_num, row
    except csv.Error as error:
        line = reader.line_num + 1  # the record being read when it failed
        longest = f"; no field may hold more than {max(FIELD_LIMITS.values()):,} characters" * (
            "field limit" in str(error))
        yield line, RowError(line, "(row)", f"not readable as CSV: {error}{longest}")
        return
    if not rows:
        yield 1, RowError(1, "(file)", NO_ROWS)


def read_jsonl(lines: Iterable[str]) -> Iterator[Row]:
    """(line number, object) per non-blank line; numbers are read as Decimal, never float.

    A file without any line is an error (line 1).
    """
    seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        seen = True
        try:
            value = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as error:
            yield number, RowError(number, "(line)", f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(value, dict):
            yield number, RowError(number, "(line)", "each line must be one JSON object")
            continue
        yield number, value
    if not seen:
        yield 1, RowError(1, "(file)", NO_ROWS)
