"""Bulk import of customers, invoices, payments, credit memos, AP bills and AP adjustments: idempotent by
external id, all or nothing.

The same contract as the action import (`store.repositories.intake`): rows are checked a
chunk at a time inside the caller's transaction; once a row is bad, writing stops, checking
goes on, and `ImportRejected` (naming line, field and fix) rolls everything back.

A record not yet posted is updated in place: it is posted as it stands at posting time. One
already posted is compared with what it was: unchanged, the row is a no-op; changed, the row is
refused (a later version turns the change into an adjustment). Master data — customers, vendors,
items — may change after it was posted (the changed fields are sent as an update) but never its
Intacct id (CUSTOMERID, VENDORID, ITEMID): a row changing the id of a record that was created, or
may have been, is refused with the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from intacct_bridge.domain.import_columns import columns_for
from intacct_bridge.domain.intake import Row, RowError, screen_columns
from intacct_bridge.domain.master_data import SPECS, MasterSpec, customer_fingerprint, id_change_reason
from intacct_bridge.domain.master_data_intake import MasterRecord, parse_master
from intacct_bridge.domain.receivables import RecordKind, noun
from intacct_bridge.domain.receivables_intake import (
    HEADER_FIELDS,
    VENDOR_KINDS,
    CustomerRecord,
    Document,
    DocumentRecord,
    LineRecord,
    canonical,
    changed_fields,
    group_documents,
    parse_customer,
    parse_document,
)
from intacct_bridge.domain.vocabulary import UNSETTLED_POSTINGS, ActionStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import (
    ApAdjustment,
    ApAdjustmentLine,
    Bill,
    BillLine,
    CreditMemo,
    CreditMemoLine,
    Customer,
    Invoice,
    InvoiceLine,
    Item,
    Payment,
    PaymentApplication,
    Posting,
    Vendor,
    utcnow,
)
from intacct_bridge.store.repositories.intake import ImportResult, chunks

CHUNK = 500
MODELS: dict[RecordKind, Any] = {RecordKind.CUSTOMER: Customer, RecordKind.INVOICE: Invoice,
                                 RecordKind.PAYMENT: Payment, RecordKind.CREDIT_MEMO: CreditMemo,
                                 RecordKind.VENDOR: Vendor, RecordKind.ITEM: Item,
                                 RecordKind.BILL: Bill, RecordKind.AP_ADJUSTMENT: ApAdjustment}
COLLECTIONS = {RecordKind.CUSTOMER: "customers", RecordKind.INVOICE: "invoices", RecordKind.PAYMENT: "payments",
               RecordKind.CREDIT_MEMO: "credit_memos", RecordKind.VENDOR: "vendors", RecordKind.ITEM: "items",
               RecordKind.BILL: "bills", RecordKind.AP_ADJUSTMENT: "ap_adjustments"}
# Kinds imported one row per record (no lines): customers, and the master data of `domain.master_data`.
FLAT = (RecordKind.CUSTOMER, *SPECS)
DATE_COLUMN = {RecordKind.INVOICE: "invoice_date", RecordKind.PAYMENT: "received_on",
               RecordKind.CREDIT_MEMO: "memo_date", RecordKind.BILL: "bill_date",
               RecordKind.AP_ADJUSTMENT: "adjustment_date"}
LINE_FIELDS = ("line_no", "sku", "gl_account", "description", "quantity", "unit", "unit_price", "amount",
               "location", "department", "class_id", "warehouse", "custom_value", "dimensions")
UNPOSTED = ActionStatus.UNPOSTED.value
CUSTOMERS = Customer.__table__
# Per kind: the table of its children (lines or applications) and the column naming their parent.
CHILDREN: dict[RecordKind, tuple[Any, str]] = {
    RecordKind.INVOICE: (InvoiceLine.__table__, "invoice_id"), RecordKind.PAYMENT: (PaymentApplication.__table__,
                                                                                    "payment_id"),
    RecordKind.CREDIT_MEMO: (CreditMemoLine.__table__, "credit_memo_id"),
    RecordKind.BILL: (BillLine.__table__, "bill_id"), RecordKind.AP_ADJUSTMENT: (ApAdjustmentLine.__table__,
                                                                                 "ap_adjustment_id"),
}
CHILD_MODELS: dict[RecordKind, Any] = {RecordKind.INVOICE: InvoiceLine, RecordKind.PAYMENT: PaymentApplication,
                                       RecordKind.CREDIT_MEMO: CreditMemoLine, RecordKind.BILL: BillLine,
                                       RecordKind.AP_ADJUSTMENT: ApAdjustmentLine}
# A document field naming another document of the workspace: (model, its external id field).
PARENTS = {"invoice_external_id": ("invoice", "invoice_id"), "bill_external_id": ("bill", "bill_id")}
CUSTOMER_COLUMNS = ("name", "first_name", "last_name", "company_name", "email", "phone", "bill_to", "ship_to")


def stored_canonical(kind: RecordKind, record: Any) -> dict[str, Any]:
    """The canonical form (`domain.receivables_intake.canonical`) of a stored document."""
    fields = {}
    for name, _ in HEADER_FIELDS[kind]:
        if name in PARENTS:
            parent = getattr(record, PARENTS[name][0])
            fields[name] = parent.external_id if parent is not None else None
        else:
            fields[name] = getattr(record, name)
    if kind in VENDOR_KINDS:
        fields["vendor_id"] = record.vendor_id
    lines = [{name: getattr(line, name, None) for name in LINE_FIELDS} for line in getattr(record, "lines", [])]
    applications = [(a.invoice.external_id, a.amount) for a in getattr(record, "applications", [])]
    customer = None if kind in VENDOR_KINDS else record.customer.external_id
    return canonical(customer, getattr(record, DATE_COLUMN[kind]), fields, lines, applications)


def posted_as(kind: RecordKind, record: Any) -> str:
    """How the user finds the record in Intacct: its number there, else its record number."""
    if kind is RecordKind.INVOICE:
        return f"invoice {record.intacct_number or record.number or record.intacct_key}"
    return f"{noun(kind)} {getattr(record, 'number', None) or record.intacct_key}"


@dataclass(frozen=True)
class _Checked:
    record: DocumentRecord | CustomerRecord | MasterRecord
    existing: Any | None


class ReceivablesImporter:
    """Imports one kind of record; `feed` raises `ImportRejected` when any row is bad."""

    def __init__(self, session: Session, workspace_id: int, kind: RecordKind, zone: ZoneInfo) -> None:
        self.session, self.workspace_id, self.kind, self.zone = session, workspace_id, kind, zone
        self.model = MODELS[kind]
        self.result = ImportResult()
        self.now = utcnow()
        self.seen: dict[str, int] = {}
        self.bill_numbers: dict[tuple[str, str], tuple[int, str]] = {}  # (vendor, number) → (line, external id)
        self.bill_ids: dict[str, int] = {}  # bills the chunk's AP adjustments name, by external id

    # ---- reading -------------------------------------------------------------------------------

    def _groups(self, rows: Iterable[Row]) -> Iterable[Document | RowError | tuple[int, Any]]:
        rows = screen_columns(rows, columns_for(self.kind))  # an unknown column is an error, never dropped
        if self.kind in FLAT:
            return rows
        return group_documents(self.kind, rows)

    def _parse(self, item: Document | RowError | tuple[int, Any]) -> DocumentRecord | CustomerRecord | MasterRecord | None:
        if isinstance(item, RowError):
            self.result.add_error(item)
            return None
        if isinstance(item, Document):
            parsed: Any = parse_document(self.kind, item, self.zone)
        else:
            line, raw = item
            if isinstance(raw, RowError):
                self.result.add_error(raw)
                return None
            spec = SPECS.get(self.kind)
            parsed = parse_master(spec, line, raw, self.zone) if spec else parse_customer(line, raw, self.zone)
        if isinstance(parsed, list):
            for error in parsed:
                self.result.add_error(error)
            return None
        first = self.seen.setdefault(parsed.external_id, parsed.line)
        if first != parsed.line:
            self.result.add_error(RowError(parsed.line, "external_id", f"{parsed.external_id!r} already appears on "
                                           f"line {first}: import each {noun(self.kind)} once"))
            return None
        return parsed

    def _by_external_id(self, model: Any, external_ids: Iterable[str], *, related: bool = True) -> dict[str, Any]:
        """Rows by external id; `related=False` leaves their lines and customer to load only if touched."""
        wanted = sorted(set(external_ids))
        if not wanted:
            return {}
        query = select(model).where(model.workspace_id == self.workspace_id, model.external_id.in_(wanted))
        rows = self.session.scalars(query if related else query.options(lazyload("*")))
        return {row.external_id: row for row in rows}

    # ---- the import ------------------------------------------------------------------------------

    def feed(self, rows: Iterable[Row]) -> ImportResult:
        try:
            self._feed(rows)
        except IntegrityError:
            raise Conflict(f"another import added some of the same {noun(self.kind)}s or customers at the same "
                           "moment; nothing from this one was imported: import it again") from None
        self.result.reject_if_bad(COLLECTIONS[self.kind])
        return self.result

    def _feed(self, rows: Iterable[Row]) -> None:
        for chunk in chunks(self._groups(rows), CHUNK):
            parsed = [p for item in chunk if (p := self._parse(item)) is not None]
            existing = self._by_external_id(self.model, (p.external_id for p in parsed), related=False)
            checked = [_Checked(p, existing.get(p.external_id)) for p in parsed]
            if self.kind in SPECS:
                self._write_master(SPECS[self.kind], checked)
                continue
            if self.kind is RecordKind.CUSTOMER:
                if not self.result.errors:
                    self._write_customers(checked)
                continue
            references = self._references([c.record for c in checked])  # type: ignore[misc]
            for item in checked:
                self._check_posted(item)
            if not self.result.errors and not self.result.more_errors:
                self._write_documents(checked, references)
                self.session.flush()

    def _write_customers(self, checked: list[_Checked]) -> None:
        for item in checked:
            record: CustomerRecord = item.record  # type: ignore[assignment]
            values = {name: getattr(record, name) for name in CUSTOMER_COLUMNS}
            customer = item.existing
            if customer is None:
                self.session.add(Customer(workspace_id=self.workspace_id, external_id=record.external_id,
                                          created_at=record.created_at or self.now, imported_at=self.now,
                                          updated_at=self.now, fingerprint=customer_fingerprint(values), **values))
                self.result.created += 1
                continue
            changed = {k: v for k, v in values.items() if getattr(customer, k) != v}
            if not changed:
                self.result.unchanged += 1
                continue
            for key, value in changed.items():
                setattr(customer, key, value)
            customer.fingerprint = customer_fingerprint(values)  # a posted customer created by us is updated
            customer.updated_at = self.now
            self.result.updated += 1
        self.session.flush()

    def _write_master(self, spec: MasterSpec, checked: list[_Checked]) -> None:
        """New vendors or items added; known ones brought in line (a posted one whose values changed has its
        changed fields sent as an update at the next sync). An id Intacct has, or may have, never changes."""
        created = self._maybe_created([c.existing for c in checked if c.existing is not None])
        for item in checked:
            record: MasterRecord = item.record  # type: ignore[assignment]
            row = item.existing
            current_id = getattr(row, spec.source_id) if row is not None else None
            if row is not None and current_id != record.intacct_id and row.id in created:
                reason = id_change_reason(spec, record.external_id, current_id, record.intacct_id)
                self.result.add_error(RowError(record.line, reason.field, reason.message, record.external_id))
        if self.result.errors:
            return
        for item in checked:
            record = item.record  # type: ignore[assignment]
            values = {spec.source_id: record.intacct_id, **record.fields}
            values["fingerprint"] = record.fingerprint(spec)
            row = item.existing
            if row is None:
                self.session.add(self.model(workspace_id=self.workspace_id, external_id=record.external_id,
                                            status=UNPOSTED, created_at=record.created_at or self.now,
                                            imported_at=self.now, updated_at=self.now, **values))
                self.result.created += 1
                continue
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if not changed:
                self.result.unchanged += 1
                continue
            for key, value in changed.items():
                setattr(row, key, value)  # posted: a fingerprint unlike the posted one makes it an update
            row.updated_at = self.now
            self.result.updated += 1
        self.session.flush()

    def _maybe_created(self, rows: list[Any]) -> set[int]:
        """Ids of these rows Intacct has, or may have (a write was reserved): their Intacct id is fixed."""
        if not rows:
            return set()
        sent = set(self.session.scalars(select(Posting.record_id).where(
            Posting.workspace_id == self.workspace_id, Posting.record_kind == self.kind.value,
            Posting.record_id.in_([r.id for r in rows]))))
        return sent | {r.id for r in rows if r.intacct_key is not None or r.posted_values is not None}

    def _check_posted(self, item: _Checked) -> None:
        record: DocumentRecord = item.record  # type: ignore[assignment]
        existing = item.existing
        if existing is None or existing.status != ActionStatus.POSTED.value:
            return
        if existing.fingerprint == record.fingerprint():
            return
        changed = changed_fields(stored_canonical(self.kind, existing), record.canonical())
        if not changed:
            return
        # Invoices and bills (posted_changes = reverse): the posted version's cancellation is queued and the row
        # becomes the next version, written below. Otherwise the row is refused with the reason and the fix.
        # (imported here: document_changes reads views through `receivables`, which imports this module)
        from intacct_bridge.store.repositories.document_changes import change_after_posting
        refused = change_after_posting(self.session, self.workspace_id, self.kind.value, existing,
                                       posted_as(self.kind, existing), self.now, changed)
        if refused is not None:
            self.result.add_error(RowError(record.line, changed[0], f"{refused} (changed: {', '.join(changed)})",
                                           record.external_id))

    # ---- references: customers and invoices a document names ----------------------------------------

    def _references(self, records: list[DocumentRecord]) -> dict[str, dict[str, Any]]:
        if self.kind in VENDOR_KINDS:
            return {"customers": {}, "invoices": {}, "bills": self._bill_references(records)}
        customers = self._by_external_id(Customer, (r.customer_external_id for r in records))
        for record in records:
            if record.customer_external_id in customers:
                continue
            if record.customer is not None and any(getattr(record.customer, f) for f in ("name", "first_name",
                                                                                          "last_name",
                                                                                          "company_name")):
                customers[record.customer_external_id] = None  # created on write, from the row's fields
                continue
            self.result.add_error(RowError(record.line, "customer_external_id", f"no customer "
                                           f"{record.customer_external_id!r} in this workspace: import the customer "
                                           "first, or give customer_name on this row"))
        wanted = [a.invoice_external_id for r in records for a in r.applications]
        wanted += [r.fields["invoice_external_id"] for r in records if r.fields.get("invoice_external_id")]
        invoices = self._by_external_id(Invoice, wanted)
        for record in records:
            names = [(f"applications[{i}].invoice_external_id", a.invoice_external_id, a.line)
                     for i, a in enumerate(record.applications)]
            if record.fields.get("invoice_external_id"):
                names.append(("invoice_external_id", record.fields["invoice_external_id"], record.line))
            for field, external_id, line in names:
                if external_id not in invoices:
                    self.result.add_error(RowError(line, field, f"no invoice {external_id!r} in this workspace: "
                                                   "import the invoice first, or correct its id"))
                elif (invoices[external_id].customer.external_id != record.customer_external_id):
                    self.result.add_error(RowError(line, field, f"invoice {external_id!r} belongs to customer "
                                                   f"{invoices[external_id].customer.external_id!r}, not "
                                                   f"{record.customer_external_id!r}"))
        return {"customers": customers, "invoices": invoices, "bills": {}}

    def _bill_references(self, records: list[DocumentRecord]) -> dict[str, Any]:
        """Bills an adjustment names (of its vendor); for bills, a number already used at the vendor."""
        if self.kind is RecordKind.BILL:
            self._check_bill_numbers(records)
            return {}
        bills = self._by_external_id(Bill, (r.fields["bill_external_id"] for r in records
                                            if r.fields.get("bill_external_id")))
        for record in records:
            name = record.fields.get("bill_external_id")
            if not name:
                continue
            if name not in bills:
                self.result.add_error(RowError(record.line, "bill_external_id", f"no bill {name!r} in this "
                                               "workspace: import the bill first, or correct its id"))
            elif bills[name].vendor_id != record.fields["vendor_id"]:
                self.result.add_error(RowError(record.line, "bill_external_id", f"bill {name!r} is from vendor "
                                               f"{bills[name].vendor_id!r}, not {record.fields['vendor_id']!r}: "
                                               "credit a bill of this vendor, or correct the vendor_id"))
        return bills

    def _check_unsettled_bills(self, records: list[DocumentRecord]) -> None:
        """A bill sent whose answer was lost is found again by the vendor and number it was sent with: neither
        may change until a sync has settled it (else it could be posted twice)."""
        existing = self._by_external_id(Bill, (r.external_id for r in records), related=False)
        changed = {bill.id: (record, bill) for record in records if (bill := existing.get(record.external_id))
                   is not None and (bill.vendor_id, bill.number) != (record.fields["vendor_id"],
                                                                    record.fields["number"])}
        if not changed:
            return
        unsettled = set(self.session.scalars(select(Posting.record_id).where(
            Posting.workspace_id == self.workspace_id, Posting.record_kind == RecordKind.BILL.value,
            Posting.record_id.in_(list(changed)), Posting.state.in_(UNSETTLED_POSTINGS))))
        for bill_id in sorted(unsettled):
            record, bill = changed[bill_id]
            field = "vendor_id" if bill.vendor_id != record.fields["vendor_id"] else "number"
            self.result.add_error(RowError(record.line, field, f"bill {record.external_id!r} was sent to Intacct as "
                                           f"{bill.number!r} of vendor {bill.vendor_id!r} and the answer is not in "
                                           "yet: its vendor and number cannot change until a sync settles it; "
                                           "sync, then import the change"))

    def _check_bill_numbers(self, records: list[DocumentRecord]) -> None:
        """Intacct keeps a bill number unique per vendor, and finds a bill by it: two bills may not share one."""
        self._check_unsettled_bills(records)
        for record in records:
            key = (record.fields["vendor_id"], record.fields["number"])
            first = self.bill_numbers.setdefault(key, (record.line, record.external_id))
            if first[1] != record.external_id:
                self.result.add_error(RowError(record.line, "number", f"bill {key[1]!r} of vendor {key[0]!r} is also "
                                               f"on line {first[0]} ({first[1]!r}): give each bill its own number"))
        taken = self.session.execute(select(Bill.external_id, Bill.vendor_id, Bill.number).where(
            Bill.workspace_id == self.workspace_id, Bill.vendor_id.in_({r.fields["vendor_id"] for r in records}),
            Bill.number.in_({r.fields["number"] for r in records}))).all()
        owners = {(row.vendor_id, row.number): row.external_id for row in taken}
        for record in records:
            owner = owners.get((record.fields["vendor_id"], record.fields["number"]))
            if owner is not None and owner != record.external_id:
                self.result.add_error(RowError(record.line, "number", f"vendor {record.fields['vendor_id']!r} "
                                               f"already has bill {record.fields['number']!r} (imported as "
                                               f"{owner!r}): a bill number is unique per vendor; correct the "
                                               "number, or import that bill under its own id"))

    def _create_customers(self, records: list[DocumentRecord], customers: dict[str, Any]) -> dict[str, int]:
        """Customer ids by external id, inserting those the rows introduce (from their customer_* fields)."""
        ids = {external_id: row.id for external_id, row in customers.items() if row is not None}
        missing: dict[str, CustomerRecord] = {}
        for record in records:
            if record.customer_external_id not in ids and record.customer is not None:
                missing.setdefault(record.customer_external_id, record.customer)
        if missing:
            rows = [{"workspace_id": self.workspace_id, "external_id": external_id, "status": UNPOSTED,
                     "created_at": self.now, "imported_at": self.now, "updated_at": self.now, **columns,
                     "fingerprint": customer_fingerprint(columns)}
                    for external_id, given in missing.items()
                    for columns in [{name: getattr(given, name) for name in CUSTOMER_COLUMNS}]]
            inserted = self.session.execute(insert(CUSTOMERS).returning(
                CUSTOMERS.c.id, CUSTOMERS.c.external_id, sort_by_parameter_order=True), rows)
            ids.update({external_id: row_id for row_id, external_id in inserted})
        return ids

    # ---- writing documents -------------------------------------------------------------------------

    def _write_documents(self, checked: list[_Checked], references: dict[str, dict[str, Any]]) -> None:
        """New documents by bulk insert (with their lines), changed unposted ones updated in place."""
        records: list[DocumentRecord] = [c.record for c in checked]  # type: ignore[misc]
        customer_ids = self._create_customers(records, references["customers"])
        invoice_ids = {external_id: row.id for external_id, row in references["invoices"].items()}
        self.bill_ids = {external_id: row.id for external_id, row in references["bills"].items()}
        new: list[tuple[DocumentRecord, dict[str, Any], list[dict[str, Any]]]] = []
        for item in checked:
            record: DocumentRecord = item.record  # type: ignore[assignment]
            existing = item.existing
            if existing is not None and (existing.fingerprint == record.fingerprint()
                                         or existing.status == ActionStatus.POSTED.value):
                self._touch_source_times(existing, record)
                self.result.unchanged += 1  # a posted one with the same content in another form: nothing to do
                continue
            columns, children = self._values(record, customer_ids, invoice_ids)
            if existing is None:
                new.append((record, columns, children))
                continue
            self._update(existing, record, columns, children)
        self._insert(new)

    def _insert(self, new: list[tuple[DocumentRecord, dict[str, Any], list[dict[str, Any]]]]) -> None:
        if not new:
            return
        table = self.model.__table__
        rows = [{**columns, "workspace_id": self.workspace_id, "external_id": record.external_id,
                 "status": UNPOSTED, "created_at": record.created_at or self.now, "imported_at": self.now,
                 "updated_at": self.now} for record, columns, _ in new]
        inserted = self.session.execute(insert(table).returning(table.c.id, table.c.external_id,
                                                                sort_by_parameter_order=True), rows)
        ids = {external_id: row_id for row_id, external_id in inserted}
        child_table, parent_key = CHILDREN[self.kind]
        children = [{**child, parent_key: ids[record.external_id]} for record, _, kids in new for child in kids]
        if children:
            self.session.execute(insert(child_table), children)
        self.result.created += len(new)

    def _update(self, existing: Any, record: DocumentRecord, columns: dict[str, Any],
                children: list[dict[str, Any]]) -> None:
        """An unposted document brought in line with its row: it is posted as it stands then."""
        relation = "applications" if self.kind is RecordKind.PAYMENT else "lines"
        getattr(existing, relation).clear()  # old children go first: (invoice, line_no) and the like are unique
        self.session.flush()
        for key, value in columns.items():
            setattr(existing, key, value)
        child_model = CHILD_MODELS[self.kind]
        setattr(existing, relation, [child_model(**child) for child in children])
        if record.created_at is not None:
            existing.created_at = record.created_at
        existing.updated_at = self.now
        self.result.updated += 1

    def _touch_source_times(self, existing: Any, record: DocumentRecord) -> None:
        if self.kind is RecordKind.INVOICE and record.source_updated_at is not None:
            existing.source_updated_at = record.source_updated_at

    def _values(self, record: DocumentRecord, customer_ids: dict[str, int],
                invoice_ids: dict[str, int]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(the document's columns, its children's columns) for insert or update."""
        columns: dict[str, Any] = {DATE_COLUMN[self.kind]: record.document_date, "fingerprint": record.fingerprint()}
        if record.customer_external_id is not None:
            columns["customer_id"] = customer_ids[record.customer_external_id]
        fields = dict(record.fields)
        if self.kind is RecordKind.AP_ADJUSTMENT:
            bill = fields.pop("bill_external_id", None)
            columns["bill_id"] = self.bill_ids[bill] if bill else None
        if self.kind is RecordKind.INVOICE:
            columns["source_updated_at"] = record.source_updated_at
        if self.kind is RecordKind.CREDIT_MEMO:
            invoice = fields.pop("invoice_external_id", None)
            columns["invoice_id"] = invoice_ids[invoice] if invoice else None
        columns.update(fields)
        if self.kind is RecordKind.PAYMENT:
            return columns, [{"invoice_id": invoice_ids[a.invoice_external_id], "amount": a.amount}
                             for a in record.applications]
        if self.kind is RecordKind.INVOICE:
            return columns, [_line_values(line) for line in record.lines]
        return columns, [{k: v for k, v in _line_values(line).items() if k not in ("quantity", "unit", "unit_price")}
                         for line in record.lines]


def _line_values(line: LineRecord) -> dict[str, Any]:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def import_records(session: Session, workspace_id: int, kind: RecordKind, rows: Iterable[Row],
                   zone: ZoneInfo) -> ImportResult:
    """Import every row of one kind or none: raises `ImportRejected` (roll back!) when any row is bad."""
    return ReceivablesImporter(session, workspace_id, kind, zone).feed(rows)
