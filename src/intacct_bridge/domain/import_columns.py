"""The columns each kind of import reads, and the CSV template (header and example row) of each.

One declaration per kind serves the check that refuses unknown columns (`domain.intake.screen_columns`,
run by every importer whatever the path: CLI, console, REST API, Python API) and the template a user
downloads, so the template always imports and a misspelt column is always named.
"""

from __future__ import annotations

import csv
import io

from intacct_bridge.domain import receivables_intake as documents
from intacct_bridge.domain.intake import ACTION_COLUMNS, Columns
from intacct_bridge.domain.master_data import SPECS, MasterSpec
from intacct_bridge.domain.master_data_intake import ALIASES as MASTER_ALIASES
from intacct_bridge.domain.receivables import RecordKind

ADDRESS = Columns(frozenset(documents.ADDRESS_PARTS), template=documents.ADDRESS_PARTS)
ANY = None  # a family of columns whose names are the user's own (dimension:PROGRAM)
CUSTOMER_INNER = Columns(frozenset(("external_id", *documents.CUSTOMER_FIELDS)), aliases=documents.ALIASES,
                         nested={"bill_to": ADDRESS, "ship_to": ADDRESS},
                         prefixes={"bill_to_": ADDRESS, "ship_to_": ADDRESS})
CUSTOMER = Columns(
    frozenset(("external_id", *documents.CUSTOMER_FIELDS, "created_at")), aliases=documents.ALIASES,
    nested={"bill_to": ADDRESS, "ship_to": ADDRESS}, prefixes={"bill_to_": ADDRESS, "ship_to_": ADDRESS},
    template=("external_id", "name", "first_name", "last_name", "company_name", "email", "phone",
              "bill_to_address1", "bill_to_city", "bill_to_state", "bill_to_zip", "bill_to_country"),
    example=("CUST-1001", "Ada Lovelace", "Ada", "Lovelace", "", "ada@example.org", "+1 555 0100",
             "1 Main Street", "Springfield", "IL", "62701", "United States"),
)
LINE = Columns(
    frozenset(("line_no", "sku", "gl_account", *documents.DIMENSIONS, "description", "amount", "quantity", "unit",
               "unit_price")),
    aliases=documents.ALIASES, prefixes={documents.DIMENSION_COLUMN: ANY}, nested={"dimensions": ANY},
    template=("sku", "description", "quantity", "unit_price", "amount", "gl_account"),
)
APPLICATION = Columns(frozenset(("invoice_external_id", "amount", "applied_amount")), aliases=documents.ALIASES,
                      template=("invoice_external_id", "amount"))
# Per kind of document: the template's header fields and example values (lines follow, prefixed).
DOCUMENT_TEMPLATES: dict[RecordKind, tuple[tuple[str, str], ...]] = {
    RecordKind.INVOICE: (("external_id", "INV-1001"), ("customer_external_id", "CUST-1001"),
                         ("customer_name", "Ada Lovelace"), ("document_date", "2025-06-30"),
                         ("due_date", "2025-07-30"), ("memo", "June order"), ("line_sku", "TEE-M"),
                         ("line_description", "T-shirt, medium"), ("line_quantity", "2"),
                         ("line_unit_price", "25.00")),
    RecordKind.PAYMENT: (("external_id", "PAY-1001"), ("customer_external_id", "CUST-1001"),
                         ("document_date", "2025-07-05"), ("amount", "50.00"), ("method", "Credit Card"),
                         ("invoice_external_id", "INV-1001"), ("applied_amount", "50.00")),
    RecordKind.CREDIT_MEMO: (("external_id", "CM-1001"), ("customer_external_id", "CUST-1001"),
                             ("document_date", "2025-07-10"), ("invoice_external_id", "INV-1001"),
                             ("memo", "Returned one T-shirt"), ("line_sku", "TEE-M"), ("line_amount", "25.00")),
    RecordKind.BILL: (("external_id", "BILL-1001"), ("vendor_id", "V-100"), ("number", "SUP-4471"),
                      ("document_date", "2025-06-30"), ("due_date", "2025-07-30"), ("memo", "Office supplies"),
                      ("line_gl_account", "6100"), ("line_description", "Paper"), ("line_amount", "125.00")),
    RecordKind.AP_ADJUSTMENT: (("external_id", "APADJ-1001"), ("vendor_id", "V-100"),
                               ("document_date", "2025-07-10"), ("bill_external_id", "BILL-1001"),
                               ("memo", "Damaged paper credited"), ("line_gl_account", "6100"),
                               ("line_amount", "25.00")),
}
MASTER_EXAMPLES = {
    RecordKind.VENDOR: {"external_id": "SUP-1", "vendor_id": "V-100", "name": "Paper & Co", "company_name":
                        "Paper & Co Ltd", "email": "billing@paper.example", "terms": "Net 30", "currency": "USD"},
    RecordKind.ITEM: {"external_id": "SKU-TEE-M", "item_id": "TEE-M", "name": "T-shirt, medium",
                      "base_price": "25.00", "taxable": "true"},
}


def document_columns(kind: RecordKind) -> Columns:
    """An invoice, payment, credit memo, bill or AP adjustment: header fields, and its lines or applications
    as a nested list (JSON) or as prefixed columns repeated on each row (CSV)."""
    header = {"external_id", "document_date", "created_at", "updated_at",
              *(name for name, _ in documents.HEADER_FIELDS[kind])}
    prefixes: dict[str, Columns | None] = {}
    nested: dict[str, Columns | None] = {}
    if kind in documents.VENDOR_KINDS:
        header.add("vendor_id")
    else:
        header.add("customer_external_id")
        prefixes |= {"customer_": CUSTOMER_INNER, "bill_to_": ADDRESS, "ship_to_": ADDRESS}
        nested |= {"customer_external_id": CUSTOMER_INNER, "bill_to": ADDRESS, "ship_to": ADDRESS}
    items = APPLICATION if kind is RecordKind.PAYMENT else LINE
    if kind is RecordKind.PAYMENT:
        header |= set(documents.PAYMENT_ITEM_KEYS)
    prefixes[documents.LINE_PREFIX[kind]] = items
    nested[documents.NESTED[kind]] = items
    template, example = zip(*DOCUMENT_TEMPLATES[kind], strict=True)
    return Columns(frozenset(header), aliases=documents.ALIASES, prefixes=prefixes, nested=nested,
                   template=template, example=example)


def master_columns(spec: MasterSpec) -> Columns:
    """A vendor or item: its external id, its Intacct id and the fields its spec sends."""
    fields = ("external_id", spec.source_id, *(f.name for f in spec.fields))
    examples = MASTER_EXAMPLES[spec.kind]
    template = tuple(name for name in fields if name in examples)
    return Columns(frozenset((*fields, "created_at")), aliases=MASTER_ALIASES, template=template,
                   example=tuple(examples[name] for name in template))


def columns_for(kind: RecordKind) -> Columns:
    """The columns of one kind's import (journal entries: the actions)."""
    if kind is RecordKind.JOURNAL_ENTRY:
        return ACTION_COLUMNS
    if kind is RecordKind.CUSTOMER:
        return CUSTOMER
    if kind in SPECS:
        return master_columns(SPECS[kind])
    return document_columns(kind)


def template_csv(kind: RecordKind) -> str:
    """The CSV template of one kind: its header row and one example row (replace it with your own)."""
    columns = columns_for(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns.template)
    writer.writerow(columns.example)
    return out.getvalue()

