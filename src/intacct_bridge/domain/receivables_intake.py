"""Bulk intake of customers, invoices, payments, credit memos, AP bills and AP adjustments: rows → records,
or errors by field.

The same rows as actions (`domain.intake.read_csv` / `read_jsonl`, or the API's objects) and the
same `RowError`s. A document with lines comes either as one JSON object with a nested list
(`lines`, `applications`), or as CSV rows, one per line, with the header fields repeated on
each row and the line's own fields prefixed (`line_sku`, `line_quantity`...; for payments
`invoice_external_id` and `applied_amount`). The rows of one document must be next to each other.

Checks here are about form (a date, a number, an id). Whether a record can be posted is the
gate's business (`domain.receivables_rules`, `domain.payables_rules`); the store resolves customer,
invoice and bill ids. AP documents name their vendor by its Intacct id (`vendor_id`), not a customer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from intacct_bridge.domain.intake import (
    MAX_ID,
    Row,
    RowError,
    normalize_keys,
    optional_amount,
    optional_moment,
    text_value,
)
from intacct_bridge.domain.receivables import InvoiceLineView, RecordKind
from intacct_bridge.domain.values import CENT, MAX_AMOUNT
from intacct_bridge.domain.xml_text import unsafe_problem

ALIASES = {
    "id": "external_id", "customer_id": "customer_external_id", "customer": "customer_external_id",
    "invoice": "invoice_external_id", "invoice_id": "invoice_external_id", "date": "document_date",
    "order_date": "document_date", "invoice_date": "document_date", "memo_date": "document_date",
    "received_on": "document_date", "payment_date": "document_date", "price": "unit_price", "note": "memo",
    "customer_note": "memo", "item": "sku", "item_id": "sku", "account": "gl_account", "class": "class_id",
    "company": "company_name", "discount": "discount_amount", "shipping": "shipping_amount", "tax": "tax_amount",
    "order_number": "number", "invoice_number": "number", "payment_method": "method",
    "vendor": "vendor_id", "vendorid": "vendor_id", "bill": "bill_external_id", "bill_id": "bill_external_id",
    "bill_date": "document_date", "adjustment_date": "document_date", "bill_number": "number", "term": "terms",
}
ADDRESS_PARTS = ("address1", "address2", "city", "state", "zip", "country")
QUANTITY_PLACES = Decimal("0.0001")
MAX_QUANTITY = Decimal("99999999999999")
DIMENSIONS = ("location", "department", "class_id", "warehouse", "custom_value")
DIMENSION_COLUMN = "dimension:"  # a CSV column naming a user-defined dimension: dimension:PROGRAM
CUSTOMER_FIELDS = ("name", "first_name", "last_name", "company_name", "email", "phone")
# What the store's columns hold (characters); longer text is refused at intake, naming the field.
LIMITS = {"name": 300, "first_name": 150, "last_name": 150, "company_name": 300, "email": 300, "phone": 100,
          "number": 100, "terms": 100, "reference": 200, "currency": 3, "shipping_method": 200, "method": 50,
          "deposit_to": 100, "unit": 50, "invoice_external_id": 200, "bill_external_id": 200, "memo": 10_000, "description": 10_000}
ID_LENGTH = 100  # items, accounts, dimension values


@dataclass(frozen=True)
class CustomerRecord:
    line: int
    external_id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    email: str | None = None
    phone: str | None = None
    bill_to: dict[str, str | None] | None = None
    ship_to: dict[str, str | None] | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class LineRecord(InvoiceLineView):
    """An invoice or credit memo line as received, with the source line it came from (credit memo
    lines have no quantity, unit or price)."""

    line: int = 0


@dataclass(frozen=True)
class ApplicationRecord:
    line: int
    invoice_external_id: str
    amount: Decimal | None  # None: the whole payment (only when it pays one invoice)


@dataclass(frozen=True)
class DocumentRecord:
    """An invoice, payment or credit memo as received. `fields` holds the kind's header fields."""

    kind: RecordKind
    line: int
    external_id: str
    customer_external_id: str | None  # None for AP documents: their vendor is `fields["vendor_id"]`
    document_date: date
    fields: dict[str, Any]
    lines: tuple[LineRecord, ...] = ()
    applications: tuple[ApplicationRecord, ...] = ()
    customer: CustomerRecord | None = None  # what the row says of its customer, to create it if unknown
    created_at: datetime | None = None
    source_updated_at: datetime | None = None

    def fingerprint(self) -> str:
        return fingerprint(self.canonical())

    def canonical(self) -> dict[str, Any]:
        """What would be posted, as plain comparable values (see `fingerprint`)."""
        return canonical(self.customer_external_id, self.document_date, self.fields,
                         [vars(line) | {"line": None} for line in self.lines],
                         [(a.invoice_external_id, a.amount) for a in self.applications])


def canonical(customer: str | None, on: date, fields: Mapping[str, Any], lines: list[Mapping[str, Any]],
              applications: list[tuple[str, Decimal | None]]) -> dict[str, Any]:
    """The one comparable form of a document, built the same way from a row and from the store."""
    def plain(value: Any) -> Any:
        return None if value is None else str(value.normalize() if isinstance(value, Decimal) else value)

    return {
        "customer": customer, "date": on.isoformat(),
        **{k: plain(v) for k, v in sorted(fields.items())},
        "lines": [{k: plain(v) for k, v in sorted(line.items()) if k != "line"} for line in lines],
        "applications": sorted((i, plain(a)) for i, a in applications),
    }


def fingerprint(value: Mapping[str, Any]) -> str:
    """A stable hash of a canonical document: equal content, equal fingerprint, on any machine."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


class FieldErrors:
    """Collects the errors of one document, each naming its line and field."""

    def __init__(self) -> None:
        self.found: list[RowError] = []

    def add(self, line: int, name: str, message: str) -> None:
        self.found.append(RowError(line, name, message))


def parse_date(value: Any) -> tuple[date | None, str | None]:
    """A calendar date from a date, a datetime (its own date) or text (YYYY-MM-DD or ISO 8601)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = str(value).strip()
    try:
        return (datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)), None
    except ValueError:
        return None, f"{text!r} is not a date: use YYYY-MM-DD"


def parse_quantity(value: Any) -> tuple[Decimal | None, str | None]:
    """A quantity: a finite number with at most 4 decimal places (never a binary float)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool | float):
        return None, f"quantity {value!r} is a binary number: write it as text or a Decimal, e.g. 2 or 1.5"
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"quantity {value!r} is not a number, e.g. 2 or 1.5"
    if not number.is_finite() or abs(number) > MAX_QUANTITY:
        return None, f"quantity {value!r} is not a usable number"
    if number != number.quantize(QUANTITY_PLACES):
        return None, f"quantity {value!r} has more than 4 decimal places"
    return number, None


class FieldReader:
    """Reads one row's (or line's) fields into typed values, noting every problem by field."""

    def __init__(self, errors: FieldErrors, line: int, row: Mapping[str, Any], prefix: str = "") -> None:
        self.errors, self.line, self.row, self.prefix = errors, line, row, prefix

    def text(self, name: str, limit: int | None = None, key: str | None = None) -> str | None:
        limit = limit or LIMITS.get(name.removeprefix("customer_"), ID_LENGTH)
        value = text_value(self.row.get(key or name))
        if value is not None and len(value) > limit:
            self.errors.add(self.line, self.prefix + name, f"longer than {limit} characters")
        unsafe = unsafe_problem(value) if value is not None else None
        if unsafe:  # refused here, before it is stored: it could never be sent
            self.errors.add(self.line, self.prefix + name, f"{unsafe}: remove it in your source system")
        return value

    def dimensions(self) -> dict[str, str] | None:
        """User-defined dimension values by Intacct object: a `dimensions` mapping (JSON, REST, Python) or
        `dimension:<object>` columns (CSV). Sorted by object, so equal content compares equal."""
        given = self.row.get("dimensions")
        if given is not None and not isinstance(given, Mapping):
            self.errors.add(self.line, self.prefix + "dimensions", 'give an object by dimension, e.g. {"PROGRAM": '
                            '"P-10"}, or dimension:PROGRAM columns')
            given = None
        pairs = {**(given or {}), **{key.removeprefix(DIMENSION_COLUMN): value for key, value in self.row.items()
                                     if key.startswith(DIMENSION_COLUMN)}}
        values = {}
        for name, value in pairs.items():
            object_name = str(name).strip().upper()
            reader = FieldReader(self.errors, self.line, {object_name: value}, f"{self.prefix}dimensions.")
            text = reader.text(object_name, ID_LENGTH)
            if text is not None:
                values[object_name] = text
        return dict(sorted(values.items())) or None

    def _typed(self, name: str, parsed: tuple[Any, str | None]) -> Any:
        value, problem = parsed
        if problem:
            self.errors.add(self.line, self.prefix + name, problem)
        return value

    def money(self, name: str, key: str | None = None) -> Decimal | None:
        return self._typed(name, optional_amount(self.row.get(key or name)))

    def quantity(self, name: str, key: str | None = None) -> Decimal | None:
        return self._typed(name, parse_quantity(self.row.get(key or name)))

    def date(self, name: str, key: str | None = None) -> date | None:
        return self._typed(name, parse_date(self.row.get(key or name)))

    def moment(self, name: str, zone: ZoneInfo) -> datetime | None:
        return self._typed(name, optional_moment(self.row.get(name), zone))

    def required(self, name: str, what: str) -> str | None:
        value = self.text(name, MAX_ID)
        if value is None:
            self.errors.add(self.line, self.prefix + name, f"missing: {what}")
        return value


def _address(row: Mapping[str, Any], name: str) -> dict[str, str | None] | None:
    """An address from a nested object (JSON) or `bill_to_city`-style columns (CSV); None when empty."""
    nested = row.get(name)
    source = nested if isinstance(nested, Mapping) else {p: row.get(f"{name}_{p}") for p in ADDRESS_PARTS}
    address = {p: text_value(source.get(p)) for p in ADDRESS_PARTS}
    return address if any(address.values()) else None


def parse_customer(line: int, raw: Mapping[str, Any], zone: ZoneInfo,
                   prefix: str = "") -> CustomerRecord | list[RowError]:
    """A customer row; with `prefix="customer_"` the customer fields an invoice or payment row carries."""
    row = normalize_keys(raw, ALIASES)
    errors = FieldErrors()
    read = FieldReader(errors, line, row)
    key = "customer_external_id" if prefix else "external_id"
    external_id = read.required(key, "the customer's id in your system")
    values = {f: read.text(prefix + f) for f in CUSTOMER_FIELDS}
    created_at = read.moment("created_at", zone) if not prefix else None
    if errors.found:
        return errors.found
    return CustomerRecord(line, external_id, **values, bill_to=_address(row, "bill_to"),  # type: ignore[arg-type]
                          ship_to=_address(row, "ship_to"), created_at=created_at)


def _line(errors: FieldErrors, line: int, index: int, raw: Mapping[str, Any], kind: RecordKind) -> LineRecord:
    row = normalize_keys(raw, ALIASES)
    read = FieldReader(errors, line, row, f"lines[{index}].")
    values: dict[str, Any] = {name: read.text(name) for name in ("sku", "gl_account", *DIMENSIONS)}
    values["description"] = read.text("description")
    values["amount"] = read.money("amount")
    values["dimensions"] = read.dimensions()
    if kind is RecordKind.INVOICE:
        values.update(quantity=read.quantity("quantity"), unit=read.text("unit"),
                      unit_price=read.money("unit_price"))
        if values["quantity"] is None and values["unit_price"] is not None:
            values["quantity"] = Decimal(1)
        if values["amount"] is None and values["quantity"] is not None and values["unit_price"] is not None:
            amount = (values["quantity"] * values["unit_price"]).quantize(CENT)
            if abs(amount) > MAX_AMOUNT:
                errors.add(line, f"lines[{index}].quantity", f"quantity x price is {amount}, more than an amount can "
                           f"be (at most {MAX_AMOUNT}): check both")
            else:
                values["amount"] = amount
    line_no = row.get("line_no")
    return LineRecord(int(line_no) if str(line_no or "").isdigit() else index + 1, **values, line=line)


def _application(errors: FieldErrors, line: int, index: int, raw: Mapping[str, Any]) -> ApplicationRecord | None:
    row = normalize_keys(raw, ALIASES)
    read = FieldReader(errors, line, row, f"applications[{index}].")
    invoice = read.required("invoice_external_id", "the id of the invoice this pays")
    amount = read.money("amount", key="amount" if "amount" in row else "applied_amount")
    return ApplicationRecord(line, invoice, amount) if invoice else None


HEADER_FIELDS: dict[RecordKind, tuple[tuple[str, str], ...]] = {
    # (field, type): text, money, date
    RecordKind.INVOICE: (
        ("number", "text"), ("due_date", "date"), ("terms", "text"), ("reference", "text"), ("memo", "text"),
        ("currency", "text"), ("discount_amount", "money"), ("shipping_amount", "money"),
        ("shipping_method", "text"), ("tax_amount", "money"), ("warehouse", "text"), ("location", "text"),
        ("department", "text"), ("entity", "text"),
    ),
    RecordKind.PAYMENT: (("amount", "money"), ("method", "text"), ("reference", "text"), ("deposit_to", "text"),
                         ("memo", "text"), ("entity", "text")),
    RecordKind.CREDIT_MEMO: (("number", "text"), ("invoice_external_id", "text"), ("memo", "text"),
                             ("entity", "text")),
    RecordKind.BILL: (("number", "text"), ("due_date", "date"), ("terms", "text"), ("reference", "text"),
                      ("memo", "text"), ("currency", "text"), ("entity", "text")),
    RecordKind.AP_ADJUSTMENT: (("number", "text"), ("bill_external_id", "text"), ("memo", "text"),
                               ("entity", "text")),
}
NESTED = {RecordKind.INVOICE: "lines", RecordKind.CREDIT_MEMO: "lines", RecordKind.PAYMENT: "applications",
          RecordKind.BILL: "lines", RecordKind.AP_ADJUSTMENT: "lines"}
# Documents of a vendor (by its Intacct id) rather than of a customer; what their lines' amounts are.
VENDOR_KINDS = (RecordKind.BILL, RecordKind.AP_ADJUSTMENT)
LINE_AMOUNTS = {RecordKind.CREDIT_MEMO: "the amount credited, e.g. 25.00", RecordKind.BILL: "the line's amount, "
                "e.g. 125.00", RecordKind.AP_ADJUSTMENT: "the amount credited, e.g. 25.00"}


def parse_document(kind: RecordKind, group: Document, zone: ZoneInfo) -> DocumentRecord | list[RowError]:
    """An invoice, payment, credit memo, bill or AP adjustment (header row + its lines) checked for form."""
    header = _flat_customer(normalize_keys(group.header, ALIASES))
    errors = FieldErrors()
    read = FieldReader(errors, group.line, header)
    external_id = read.required("external_id", f"every {kind.value.replace('_', ' ')} needs its id in your system")
    by_vendor = kind in VENDOR_KINDS
    customer_id = None if by_vendor else read.required("customer_external_id", "the id of the customer in your system")
    vendor_id = read.required("vendor_id", "the vendor's id in Sage Intacct (VENDORID)") if by_vendor else None
    on = read.date("document_date")
    if on is None and not any(e.field == "document_date" for e in errors.found):
        errors.add(group.line, "document_date", "missing: the document's date, e.g. 2025-06-30")
    fields: dict[str, Any] = {}
    for name, kind_of in HEADER_FIELDS[kind]:
        fields[name] = {"text": read.text, "money": read.money, "date": read.date}[kind_of](name)
    if fields.get("currency"):
        fields["currency"] = fields["currency"].upper()
    if by_vendor:
        fields["vendor_id"] = vendor_id
    if kind is RecordKind.BILL and fields["number"] is None and not any(e.field == "number" for e in errors.found):
        errors.add(group.line, "number", "missing: the vendor's invoice number (the bill number)")
    created_at, updated_at = read.moment("created_at", zone), read.moment("updated_at", zone)
    lines: list[LineRecord] = []
    applications: list[ApplicationRecord] = []
    for index, (line, item) in enumerate(group.items):
        if kind is RecordKind.PAYMENT:
            application = _application(errors, line, index, item)
            if application:
                applications.append(application)
        else:
            lines.append(_line(errors, line, index, item, kind))
    if kind is RecordKind.PAYMENT:
        applications = _whole_payment(errors, group.line, applications, fields.get("amount"))
    if kind in LINE_AMOUNTS and any(line.amount is None for line in lines):
        for index, line in enumerate(lines):
            field = f"lines[{index}].amount"
            if line.amount is None and not any(e.field == field for e in errors.found):  # not also for a bad one
                errors.add(line.line, field, f"missing: {LINE_AMOUNTS[kind]}")
    customer = None if by_vendor else parse_customer(group.line, header, zone, prefix="customer_")
    if isinstance(customer, list):  # the customer fields the row carries are wrong: say so, never drop them
        errors.found.extend(customer)
    if errors.found:
        return errors.found
    return DocumentRecord(kind, group.line, external_id, customer_id, on, fields,  # type: ignore[arg-type]
                          tuple(lines), tuple(applications),
                          customer if isinstance(customer, CustomerRecord) else None, created_at, updated_at)


def _flat_customer(header: dict[str, Any]) -> dict[str, Any]:
    """JSON's nested `"customer": {"external_id": ..., "name": ...}` as the flat `customer_*` fields of CSV."""
    nested = header.get("customer_external_id")
    if not isinstance(nested, Mapping):
        return header
    inner = normalize_keys(nested, ALIASES)
    header["customer_external_id"] = inner.get("external_id")
    for name in CUSTOMER_FIELDS:
        header.setdefault(f"customer_{name}", inner.get(name))
    for name in ("bill_to", "ship_to"):
        if name in inner:
            header.setdefault(name, inner[name])
    return header


def _whole_payment(errors: FieldErrors, line: int, applications: list[ApplicationRecord],
                   amount: Decimal | None) -> list[ApplicationRecord]:
    """An application without an amount takes the whole payment, which only works when it is the only one."""
    seen: set[str] = set()
    for application in applications:
        if application.invoice_external_id in seen:
            errors.add(application.line, "applications", f"invoice {application.invoice_external_id!r} is paid "
                       "twice by this payment: give one application per invoice, with the total applied to it")
        seen.add(application.invoice_external_id)
    if any(a.amount is None for a in applications):
        if len(applications) > 1:
            errors.add(line, "applications", "when a payment pays several invoices, give each one's amount")
        elif amount is not None:
            return [ApplicationRecord(applications[0].line, applications[0].invoice_external_id, amount)]
    if amount is None:
        errors.add(line, "amount", "missing: the amount received, e.g. 125.00")
    return applications


@dataclass
class Document:
    """The rows of one document: its first row (header) and its lines as (source line, fields)."""

    line: int
    external_id: str | None
    header: Mapping[str, Any]
    items: list[tuple[int, Mapping[str, Any]]] = field(default_factory=list)
    flat: bool = True  # CSV-style: its items came as prefixed columns, so the next row may add more


def _split(row: Mapping[str, Any], nested: str,
           prefix: str) -> tuple[dict[str, Any], list[Mapping[str, Any]], bool]:
    """(header fields, items, flat) of one row: a nested list (JSON), or the prefixed columns (CSV) as one item."""
    normal = normalize_keys(row, ALIASES)
    items = normal.pop(nested, None)
    if isinstance(items, list):
        return normal, items, False
    if items is not None:
        return normal, [items], False
    own = {k[len(prefix):]: v for k, v in normal.items() if k.startswith(prefix)}
    header = {k: v for k, v in normal.items() if not k.startswith(prefix)}
    return header, ([own] if any(text_value(v) for v in own.values() if not isinstance(v, Mapping)) else []), True


LINE_PREFIX = {RecordKind.INVOICE: "line_", RecordKind.CREDIT_MEMO: "line_", RecordKind.PAYMENT: "applied_",
               RecordKind.BILL: "line_", RecordKind.AP_ADJUSTMENT: "line_"}
PAYMENT_ITEM_KEYS = ("invoice_external_id", "applied_amount")


def group_documents(kind: RecordKind, rows: Iterable[Row]) -> Iterator[Document | RowError]:
    """Documents from rows: one row with nested items, or consecutive CSV rows sharing an external id."""
    nested, prefix = NESTED[kind], LINE_PREFIX[kind]
    current: Document | None = None
    seen: dict[str, int] = {}
    for line, raw in rows:
        if isinstance(raw, RowError):
            yield raw
            continue
        flat_payment = kind is RecordKind.PAYMENT and nested not in normalize_keys(raw, ALIASES)
        header, items, flat = _split(_payment_row(raw) if flat_payment else raw, nested, prefix)
        flat = flat or flat_payment
        external_id = text_value(header.get("external_id"))
        if (current is not None and flat and current.flat and external_id is not None
                and external_id == current.external_id):
            for name, value in header.items():
                if text_value(value) and text_value(current.header.get(name)) != text_value(value):
                    yield RowError(line, name, f"differs from line {current.line} of the same "
                                   f"{kind.value.replace('_', ' ')}: repeat the same header fields on each row")
            current.items += [(line, item) for item in items]
            continue
        if current is not None:
            yield current
        if external_id is not None and external_id in seen:
            yield RowError(line, "external_id", f"{external_id!r} already appears on line {seen[external_id]}: "
                           "keep the rows of one document together and import each document once")
            current = None
            continue
        if external_id is not None:
            seen[external_id] = line
        current = Document(line, external_id, header, [(line, item) for item in items], flat)
    if current is not None:
        yield current


def _payment_row(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV payment row: `invoice_external_id` and `applied_amount` are its application."""
    row = normalize_keys(raw, ALIASES)
    application = {k: row.pop(k) for k in PAYMENT_ITEM_KEYS if k in row}
    if any(text_value(v) for v in application.values()):
        row["applications"] = [application]
    return row
