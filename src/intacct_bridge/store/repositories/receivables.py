"""Reading order-to-cash records (lists, one by id), their settings, and their rows as the rules see them.

The `*_view` functions turn stored rows into `domain.receivables` values, so validation and
payload building never touch the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from functools import partial
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from intacct_bridge.domain.entities import ReferenceGate
from intacct_bridge.domain.receivables import (
    GATE_COLUMNS,
    Address,
    ApplicationView,
    CreditMemoLineView,
    CreditMemoView,
    CustomerMatch,
    CustomerView,
    DepositMode,
    GateMode,
    InvoiceLineView,
    InvoiceMode,
    InvoiceState,
    InvoiceView,
    PaymentView,
    ReceivablesSettings,
    RecordKind,
    TaxMode,
)
from intacct_bridge.domain.master_data import ITEM, VENDOR, MasterSpec, MasterView, validate_master
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.payables_rules import validate_ap_adjustment, validate_bill
from intacct_bridge.domain.receivables_rules import (
    validate_credit_memo,
    validate_customer,
    validate_invoice,
    validate_payment,
)
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.errors import Conflict
from intacct_bridge.store.models import (
    CreditMemo,
    Customer,
    Invoice,
    Payment,
    ReceivablesSettingsRow,
)
from intacct_bridge.store.refs import find_by_ref
from intacct_bridge.store.repositories import audit
from intacct_bridge.store.repositories.payables import ap_adjustment_view, bill_view
from intacct_bridge.store.repositories import reference
from intacct_bridge.store.repositories.receivables_intake import MODELS, noun
from intacct_bridge.store.repositories.settings import load_sync_settings

SEARCHED = {RecordKind.CUSTOMER: ("external_id", "name", "company_name", "email", "customer_id"),
            RecordKind.INVOICE: ("external_id", "number", "reference"),
            RecordKind.PAYMENT: ("external_id", "reference"),
            RecordKind.CREDIT_MEMO: ("external_id", "number"),
            RecordKind.VENDOR: ("external_id", "vendor_id", "name", "email"),
            RecordKind.ITEM: ("external_id", "item_id", "name"),
            RecordKind.BILL: ("external_id", "number", "vendor_id", "reference"),
            RecordKind.AP_ADJUSTMENT: ("external_id", "number", "vendor_id")}
ENUMS: dict[str, type[StrEnum]] = {
    "customer_match": CustomerMatch, "invoice_mode": InvoiceMode, "tax_mode": TaxMode, "deposit_mode": DepositMode,
    **{column: GateMode for column in GATE_COLUMNS.values()},
}


def list_records(session: Session, workspace_id: int, kind: RecordKind, *, status: ActionStatus | None = None,
                 search: str | None = None, limit: int = 100, after_id: int = 0) -> list[Any]:
    """One page of a kind's records, oldest first (keyset by id)."""
    model = MODELS[kind]
    query = select(model).where(model.workspace_id == workspace_id, model.id > after_id)
    if status is not None:
        query = query.where(model.status == status.value)
    if search:
        needle = search.strip().lower()
        query = query.where(or_(*(func.lower(getattr(model, name)).contains(needle, autoescape=True)
                                  for name in SEARCHED[kind])))
    return list(session.scalars(query.order_by(model.id).limit(limit)))


def get_record(session: Session, workspace_id: int, kind: RecordKind, ref: str | int) -> Any:
    """One record by id or external id (`store.refs.find_by_ref`)."""
    return find_by_ref(session, MODELS[kind], workspace_id, ref, noun(kind))


def assign_customer_id(customer: Customer, customer_id: str, matched_by: str) -> None:
    """Give a customer its Intacct CUSTOMERID, once: a different id later is a `Conflict` (the model refuses it)."""
    if customer.customer_id not in (None, customer_id):
        raise Conflict(f"customer {customer.external_id!r} is already {customer.customer_id!r} in Sage Intacct")
    customer.customer_id = customer_id
    customer.matched_by = customer.matched_by or matched_by


# ---- settings ----------------------------------------------------------------------------------------

def receivables_settings_row(session: Session, workspace_id: int) -> ReceivablesSettingsRow:
    row = session.get(ReceivablesSettingsRow, workspace_id)
    if row is None:
        row = ReceivablesSettingsRow(workspace_id=workspace_id)
        session.add(row)
        session.flush()
    return row


def load_receivables_settings(session: Session, workspace_id: int) -> ReceivablesSettings:
    """The workspace's order-to-cash choices (defaults until changed)."""
    return _settings_of(receivables_settings_row(session, workspace_id))


def stored_receivables_settings(session: Session, workspace_id: int) -> ReceivablesSettings:
    """The same, read only: the defaults when the workspace never changed any (no row is written; a sync
    reads settings inside read sessions)."""
    row = session.get(ReceivablesSettingsRow, workspace_id)
    return ReceivablesSettings() if row is None else _settings_of(row)


def _settings_of(row: ReceivablesSettingsRow) -> ReceivablesSettings:
    values: dict[str, Any] = {}
    for spec in dataclass_fields(ReceivablesSettings):
        if hasattr(row, spec.name):
            value = getattr(row, spec.name)
            values[spec.name] = ENUMS[spec.name](value) if spec.name in ENUMS else value  # type: ignore[call-arg]
    values["gates"] = {kind: GateMode(getattr(row, column)) for kind, column in GATE_COLUMNS.items()}
    return ReceivablesSettings(**values)


def update_receivables_settings(session: Session, workspace_id: int, changes: Mapping[str, Any]) -> ReceivablesSettings:
    """Change some settings; an unknown name or value is a `Conflict` naming what is allowed."""
    row = receivables_settings_row(session, workspace_id)
    table = ReceivablesSettingsRow.__table__
    columns = {c.name for c in table.columns} - {"workspace_id", "updated_at"}
    for name, value in changes.items():
        if name not in columns:
            raise Conflict(f"no order-to-cash setting {name!r}: use one of {', '.join(sorted(columns))}")
        if value is None and not table.columns[name].nullable:
            raise Conflict(f"{name} cannot be empty")
        if name in ENUMS and value is not None:
            allowed = [member.value for member in ENUMS[name]]
            if str(value) not in allowed:
                raise Conflict(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
            value = str(value)
        setattr(row, name, value)
    session.flush()
    audit.record(session, workspace_id, "settings.changed", "order-to-cash settings", audit.described(dict(changes)))
    return load_receivables_settings(session, workspace_id)


# ---- rows as the rules see them ----------------------------------------------------------------------

def _address(value: Mapping[str, Any] | None) -> Address:
    return Address(**{k: v for k, v in (value or {}).items() if k in Address.__dataclass_fields__})


def customer_view(customer: Customer) -> CustomerView:
    return CustomerView(
        id=customer.id, external_id=customer.external_id, name=customer.name, first_name=customer.first_name,
        last_name=customer.last_name, company_name=customer.company_name, email=customer.email,
        phone=customer.phone, bill_to=_address(customer.bill_to), ship_to=_address(customer.ship_to),
        customer_id=customer.customer_id, posted_name=customer.posted_name, posted_values=customer.posted_values,
    )


def invoice_view(invoice: Invoice) -> InvoiceView:
    lines = tuple(InvoiceLineView(
        line_no=line.line_no, sku=line.sku, gl_account=line.gl_account, description=line.description,
        quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount,
        location=line.location, department=line.department, class_id=line.class_id, warehouse=line.warehouse,
        custom_value=line.custom_value, dimensions=line.dimensions) for line in invoice.lines)
    return InvoiceView(
        id=invoice.id, external_id=invoice.external_id, customer=customer_view(invoice.customer),
        invoice_date=invoice.invoice_date, lines=lines, number=invoice.number, due_date=invoice.due_date,
        terms=invoice.terms, reference=invoice.reference, memo=invoice.memo, currency=invoice.currency,
        discount_amount=invoice.discount_amount, shipping_amount=invoice.shipping_amount,
        shipping_method=invoice.shipping_method, tax_amount=invoice.tax_amount, warehouse=invoice.warehouse,
        location=invoice.location, department=invoice.department, entity=invoice.entity,
        intacct_key=invoice.intacct_key, intacct_number=invoice.intacct_number, version=invoice.version or 1,
    )


def payment_view(payment: Payment) -> PaymentView:
    applications = tuple(ApplicationView(
        invoice_external_id=a.invoice.external_id, amount=a.amount, invoice=invoice_view(a.invoice),
        invoice_state=InvoiceState(a.invoice.intacct_state) if a.invoice.intacct_state else None,
        invoice_total_due=a.invoice.intacct_total_due) for a in payment.applications)
    return PaymentView(
        id=payment.id, external_id=payment.external_id, customer=customer_view(payment.customer),
        received_on=payment.received_on, amount=payment.amount, applications=applications, method=payment.method,
        reference=payment.reference, deposit_to=payment.deposit_to, memo=payment.memo, entity=payment.entity,
    )


def credit_memo_view(memo: CreditMemo) -> CreditMemoView:
    lines = tuple(CreditMemoLineView(
        line_no=line.line_no, amount=line.amount, gl_account=line.gl_account, sku=line.sku,
        description=line.description, location=line.location, department=line.department, class_id=line.class_id,
        warehouse=line.warehouse, custom_value=line.custom_value, dimensions=line.dimensions) for line in memo.lines)
    invoice = invoice_view(memo.invoice) if memo.invoice is not None else None
    return CreditMemoView(
        id=memo.id, external_id=memo.external_id, customer=customer_view(memo.customer), memo_date=memo.memo_date,
        lines=lines, invoice=invoice, invoice_external_id=memo.invoice.external_id if memo.invoice else None,
        number=memo.number, memo=memo.memo, entity=memo.entity,
    )


def master_view(spec: MasterSpec, row: Any) -> MasterView:
    """A vendor or item as the rules see it; `posted_id` is the id Intacct has it under once created."""
    created = row.posted_values is not None
    return MasterView(spec.kind, row.id, row.external_id, getattr(row, spec.source_id),
                      {f.name: getattr(row, f.name) for f in spec.fields}, row.posted_values,
                      row.intacct_key if created else None, row.name)


VIEWS = {RecordKind.CUSTOMER: customer_view, RecordKind.INVOICE: invoice_view, RecordKind.PAYMENT: payment_view,
         RecordKind.CREDIT_MEMO: credit_memo_view, RecordKind.VENDOR: partial(master_view, VENDOR),
         RecordKind.ITEM: partial(master_view, ITEM), RecordKind.BILL: bill_view,
         RecordKind.AP_ADJUSTMENT: ap_adjustment_view}


def views(kind: RecordKind, rows: Sequence[Any]) -> list[Any]:
    """Stored rows of one kind as the rules see them."""
    return [VIEWS[kind](row) for row in rows]


RULES = {RecordKind.CUSTOMER: validate_customer, RecordKind.INVOICE: validate_invoice,
         RecordKind.PAYMENT: validate_payment, RecordKind.CREDIT_MEMO: validate_credit_memo,
         RecordKind.VENDOR: validate_master, RecordKind.ITEM: validate_master,
         RecordKind.BILL: validate_bill, RecordKind.AP_ADJUSTMENT: validate_ap_adjustment}


@dataclass(frozen=True)
class RecordChecks:
    """What "can it be posted as it stands" reads, once per page: the settings and the entity rules."""

    settings: ReceivablesSettings
    reference_gate: ReferenceGate | None = None

    def problems(self, kind: RecordKind, row: Any) -> list[Reason]:
        return problems(kind, row, self.settings, self.reference_gate)


def record_checks(session: Session, workspace_id: int) -> RecordChecks:
    sync_settings = load_sync_settings(session, workspace_id)
    return RecordChecks(load_receivables_settings(session, workspace_id),
                        reference.reference_gate(session, workspace_id, sync_settings))


MASTER_DATA = frozenset({RecordKind.CUSTOMER, RecordKind.VENDOR, RecordKind.ITEM})
AP_KINDS = frozenset({RecordKind.BILL, RecordKind.AP_ADJUSTMENT})  # their terms are AP terms


def problems(kind: RecordKind, row: Any, settings: ReceivablesSettings,
             reference_gate: ReferenceGate | None = None) -> list[Reason]:
    """Why this record cannot be posted as it stands (empty: it can), from the gate's own rules; with
    `reference_gate` (`reference.reference_gate`), also a value of another entity than the record's."""
    view = VIEWS[kind](row)
    found = RULES[kind](view, settings)
    if reference_gate is not None and kind not in MASTER_DATA:  # master data is written at the top level
        found = [*found, *reference_gate.record_reasons(view, ar_terms=kind not in AP_KINDS)]
    return found
