"""Customers, invoices, payments, credit memos, vendors and items: bulk upsert by external id (all or nothing),
list, get.

The bodies go through the same importer as CSV and JSON-lines files, so an API client gets
the same checks and the same messages; a refused record is named by its index in the list.
"""

# No `from __future__ import annotations`: `kind_routes` annotates its routes with the models it is given.

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from intacct_bridge.domain.master_data import SPECS
from intacct_bridge.domain.receivables import GATE_COLUMNS, ReceivablesSettings, RecordKind, noun
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.models import CreditMemo, Customer, Invoice, Payment, Vendor, utcnow
from intacct_bridge.store.repositories.document_changes import delete_document, document_versions
from intacct_bridge.store.repositories.intake import ImportResult
from intacct_bridge.store.repositories.receivables import (
    get_record,
    invoice_view,
    list_records,
    RecordChecks,
    load_receivables_settings,
    record_checks,
    update_receivables_settings,
)
from intacct_bridge.store.repositories.receivables_intake import import_records
from intacct_bridge.store.repositories.settings import load_sync_settings
from intacct_bridge.web.api.bulk import PreviewFlag, run_bulk
from intacct_bridge.web.api.convert import money
from intacct_bridge.web.api.deps import PathId, ReadSession, WorkspaceId, WriteSession
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_receivables import (
    ApplicationOut,
    CreditMemoBulk,
    CreditMemoOut,
    CustomerBulk,
    CustomerOut,
    CustomerRefOut,
    DeletedOut,
    DocumentIn,
    InvoiceBulk,
    InvoiceOut,
    LineOut,
    PaymentBulk,
    PaymentOut,
    ReceivablesSettingsIn,
    ReceivablesSettingsOut,
    VersionOut,
)
from intacct_bridge.web.api.schemas_master_data import ItemBulk, ItemOut, VendorBulk, VendorOut
from intacct_bridge.web.api.schemas_records import Page, Reason, UpsertResult

router = APIRouter(prefix="/workspaces/{workspace}", tags=["order to cash"])
Search = Annotated[str | None, Query(max_length=200, description="In the external id, name, number or reference.")]


def _row(record: BaseModel) -> dict[str, Any]:
    """A request body as the importer's row: a document's customer details travel under `customer`."""
    row = record.model_dump(exclude_none=True)
    if isinstance(record, DocumentIn):
        row["customer"] = {"external_id": row.pop("customer_external_id"), **row.pop("customer", {})}
    return row


def _upsert(session: Session, workspace_id: int, kind: RecordKind, collection: str, records: Sequence[BaseModel],
            preview: bool) -> UpsertResult:
    zone = load_sync_settings(session, workspace_id).zone()

    def importer(pairs: list[tuple[int, BaseModel]]) -> ImportResult:
        return import_records(session, workspace_id, kind, ((i, _row(r)) for i, r in pairs), zone)

    result = run_bulk(session, collection, records, importer, preview=preview)
    return UpsertResult(created=result.created, updated=result.updated, unchanged=result.unchanged)


def outbox_fields(kind: RecordKind, row: Any, checks: RecordChecks) -> dict[str, Any]:
    """What every kind's answer starts with: where it stands with Intacct, and its problems."""
    return {
        "id": row.id, "external_id": row.external_id, "status": row.status, "intacct_key": row.intacct_key,
        "posted_at": row.posted_at, "last_error": row.last_error, "created_at": row.created_at,
        "updated_at": row.updated_at,
        "problems": [Reason(**r.as_dict()) for r in checks.problems(kind, row)],
    }


def _customer_ref(customer: Customer) -> CustomerRefOut:
    return CustomerRefOut(id=customer.id, external_id=customer.external_id, name=customer.name,
                          customer_id=customer.customer_id)


def line_out(line: Any) -> LineOut:
    quantity = getattr(line, "quantity", None)
    return LineOut(
        line_no=line.line_no, sku=line.sku, gl_account=line.gl_account, description=line.description,
        quantity=None if quantity is None else str(quantity.normalize()), unit=getattr(line, "unit", None),
        unit_price=money(getattr(line, "unit_price", None)), amount=money(line.amount), location=line.location,
        department=line.department, class_id=line.class_id, warehouse=line.warehouse, custom_value=line.custom_value,
        dimensions=line.dimensions,
    )


def customer_out(customer: Customer, checks: RecordChecks) -> CustomerOut:
    return CustomerOut(
        **outbox_fields(RecordKind.CUSTOMER, customer, checks), name=customer.name, first_name=customer.first_name,
        last_name=customer.last_name, company_name=customer.company_name, email=customer.email,
        phone=customer.phone, bill_to=customer.bill_to, ship_to=customer.ship_to, customer_id=customer.customer_id,
        matched_by=customer.matched_by,
    )


def invoice_out(invoice: Invoice, checks: RecordChecks) -> InvoiceOut:
    return InvoiceOut(
        **outbox_fields(RecordKind.INVOICE, invoice, checks), customer=_customer_ref(invoice.customer),
        number=invoice.number, invoice_date=invoice.invoice_date, due_date=invoice.due_date, terms=invoice.terms,
        reference=invoice.reference, memo=invoice.memo, currency=invoice.currency,
        discount_amount=money(invoice.discount_amount), shipping_amount=money(invoice.shipping_amount),
        shipping_method=invoice.shipping_method, tax_amount=money(invoice.tax_amount),
        total=money(invoice_view(invoice).total) or "0.00", lines=[line_out(line) for line in invoice.lines],
        intacct_number=invoice.intacct_number, intacct_state=invoice.intacct_state,
        intacct_total_due=money(invoice.intacct_total_due), intacct_total_paid=money(invoice.intacct_total_paid),
    )


def payment_out(payment: Payment, checks: RecordChecks) -> PaymentOut:
    return PaymentOut(
        **outbox_fields(RecordKind.PAYMENT, payment, checks), customer=_customer_ref(payment.customer),
        received_on=payment.received_on, amount=money(payment.amount) or "0.00", method=payment.method,
        reference=payment.reference, deposit_to=payment.deposit_to, memo=payment.memo,
        applications=[ApplicationOut(invoice_id=a.invoice_id, invoice_external_id=a.invoice.external_id,
                                     amount=money(a.amount) or "0.00") for a in payment.applications],
    )


def credit_memo_out(memo: CreditMemo, checks: RecordChecks) -> CreditMemoOut:
    total = sum((line.amount for line in memo.lines), Decimal("0.00"))
    return CreditMemoOut(
        **outbox_fields(RecordKind.CREDIT_MEMO, memo, checks), customer=_customer_ref(memo.customer),
        memo_date=memo.memo_date, invoice_external_id=memo.invoice.external_id if memo.invoice else None,
        number=memo.number, memo=memo.memo, total=money(total) or "0.00", lines=[line_out(line) for line in memo.lines],
    )


def master_out(row: Any, checks: RecordChecks) -> Any:
    """A vendor or item: its source fields, where it stands, and whether changes wait to be sent."""
    spec = SPECS[RecordKind.VENDOR if isinstance(row, Vendor) else RecordKind.ITEM]
    out_model = VendorOut if spec.kind is RecordKind.VENDOR else ItemOut
    fields = {f.name: getattr(row, f.name) for f in spec.fields}
    fields.update({k: money(v) for k, v in fields.items() if k in ("base_price", "standard_cost")})
    return out_model(**outbox_fields(spec.kind, row, checks), **fields, **{spec.source_id: getattr(row, spec.source_id)},
                     changes_to_send=row.posted_fingerprint is not None and row.fingerprint != row.posted_fingerprint,
                     posted_values=row.posted_values)


def _list(session: Session, workspace_id: int, kind: RecordKind, out: Callable[[Any, RecordChecks], Any],
          limit: int, cursor: str | None, status: ActionStatus | None, search: str | None) -> dict[str, Any]:
    rows = list_records(session, workspace_id, kind, status=status, search=search, limit=limit,
                        after_id=decode_cursor(cursor) or 0)
    checks = record_checks(session, workspace_id)
    return {"items": [out(row, checks) for row in rows], "next_cursor": next_cursor([r.id for r in rows], limit)}


def _get(session: Session, workspace_id: int, kind: RecordKind, record_id: int,
         out: Callable[[Any, RecordChecks], Any]) -> Any:
    return out(get_record(session, workspace_id, kind, record_id), record_checks(session, workspace_id))


def kind_routes(kind: RecordKind, path: str, bulk: type[BaseModel], out_model: type[BaseModel],
                out: Callable[[Any, RecordChecks], Any], what: str, on: APIRouter = router) -> None:
    """The three routes every kind has: bulk upsert, list (cursor), get by id. One definition for all kinds
    (the AP kinds' too, on their own router: `web.api.payables`)."""
    collection = path.strip("/").replace("-", "_")

    def bulk_upsert(body: bulk, workspace_id: WorkspaceId, session: WriteSession,  # type: ignore[valid-type]
                    preview: PreviewFlag = False) -> UpsertResult:
        return _upsert(session, workspace_id, kind, collection, getattr(body, collection), preview)

    def list_page(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
                  status: ActionStatus | None = None, search: Search = None) -> Page[out_model]:  # type: ignore[valid-type]
        return Page[out_model](**_list(session, workspace_id, kind, out, limit, cursor, status, search))  # type: ignore[valid-type]

    def get_one(record_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> out_model:  # type: ignore[valid-type]
        answer = _get(session, workspace_id, kind, record_id, out)
        answer.versions = [VersionOut(**v) for v in document_versions(session, workspace_id, kind.value, record_id)]
        return answer

    def delete_one(record_id: PathId, workspace_id: WorkspaceId, session: WriteSession) -> DeletedOut:
        return _delete(session, workspace_id, kind, record_id)

    def versions(record_id: PathId, workspace_id: WorkspaceId, session: ReadSession) -> list[VersionOut]:
        row = get_record(session, workspace_id, kind, record_id)
        return [VersionOut(**v) for v in document_versions(session, workspace_id, kind.value, row.id)]

    name = kind.value
    on.add_api_route(f"{path}/bulk", bulk_upsert, methods=["POST"], name=f"bulk_{name}s",
                     summary=f"Upsert up to 10,000 {what} by external id, all or nothing (idempotent)",
                     description="Every problem of every record is answered at once (422, by index and field), "
                                 "whatever its kind; `?preview=true` checks them all and writes nothing.")
    on.add_api_route(path, list_page, methods=["GET"], name=f"list_{name}s", summary=f"List {what}")
    on.add_api_route(f"{path}/{{record_id}}", get_one, methods=["GET"], name=f"get_{name}",
                     summary=f"One of the {what}, with why it cannot be posted if it cannot, and every version "
                             "written to Intacct")
    on.add_api_route(f"{path}/{{record_id}}/versions", versions, methods=["GET"], name=f"{name}_versions",
                     summary=f"Every write of one of the {what} to Intacct, in order: each version and each "
                             "adjustment that cancelled one, with its Intacct key and state")
    if kind not in MASTER_KINDS:
        on.add_api_route(f"{path}/{{record_id}}", delete_one, methods=["DELETE"], name=f"delete_{name}",
                         summary=f"Delete one of the {what} at the source: never sent, deleted; posted, cancelled in "
                                 "Intacct by an adjustment at the next sync (posted_changes = reverse; else 409 "
                                 "with the reason)")


MASTER_KINDS = (RecordKind.CUSTOMER, *SPECS)


def _delete(session: Session, workspace_id: int, kind: RecordKind, record_id: int) -> DeletedOut:
    row = get_record(session, workspace_id, kind, record_id)
    cancellation = delete_document(session, workspace_id, kind.value, row, utcnow())
    if cancellation is not None:
        return DeletedOut(outcome="cancellation_queued", cancellation_id=cancellation.id,
                          message=f"{noun(kind)} {row.external_id!r}: the cancellation of version "
                                  f"{cancellation.version} is posted at the next sync")
    if inspect(row).deleted or inspect(row).was_deleted:
        return DeletedOut(outcome="deleted", message=f"{noun(kind)} {row.external_id!r} was never sent: deleted")
    return DeletedOut(outcome="withdrawn", message=f"{noun(kind)} {row.external_id!r}: its waiting version is "
                                                   "withdrawn (the earlier version's cancellation stands)")


kind_routes(RecordKind.CUSTOMER, "/customers", CustomerBulk, CustomerOut, customer_out, "customers")
kind_routes(RecordKind.INVOICE, "/invoices", InvoiceBulk, InvoiceOut, invoice_out, "invoices with their lines")
kind_routes(RecordKind.PAYMENT, "/payments", PaymentBulk, PaymentOut, payment_out, "payments with their applications")
kind_routes(RecordKind.CREDIT_MEMO, "/credit-memos", CreditMemoBulk, CreditMemoOut, credit_memo_out,
        "credit memos with their lines")
kind_routes(RecordKind.VENDOR, "/vendors", VendorBulk, VendorOut, master_out,
        "vendors (created at the top level, then updated field by field; the VENDORID never changes)")
kind_routes(RecordKind.ITEM, "/items", ItemBulk, ItemOut, master_out,
        "non-stock items (created at the top level, then updated field by field; the ITEMID never changes)")


def settings_out(settings: ReceivablesSettings) -> ReceivablesSettingsOut:
    values = {name: getattr(settings, name) for name in ReceivablesSettingsOut.model_fields if name != "gates"}
    gates = {GATE_COLUMNS[kind].removeprefix("gate_"): mode.value for kind, mode in settings.gates.items()}
    return ReceivablesSettingsOut(**values, gates=gates)


@router.get("/o2c-settings", summary="Order-to-cash settings: customer matching, invoice mode, accounts, gates")
def get_receivables_settings(workspace_id: WorkspaceId, session: WriteSession) -> ReceivablesSettingsOut:
    return settings_out(load_receivables_settings(session, workspace_id))


@router.patch("/o2c-settings", summary="Change order-to-cash settings (fields left out keep their value)")
def patch_receivables_settings(body: ReceivablesSettingsIn, workspace_id: WorkspaceId,
                               session: WriteSession) -> ReceivablesSettingsOut:
    changes = body.model_dump(exclude_unset=True)
    return settings_out(update_receivables_settings(session, workspace_id, changes))
