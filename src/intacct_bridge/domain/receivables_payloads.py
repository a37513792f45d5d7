"""What each order-to-cash record becomes in Intacct: the fields of its create (or update) function.

Plain dicts, in the schema's order, that the client's builders write as XML: lower-case legacy
fields for `create_invoice`, `create_sotransaction` and `create_aradjustment` (dates as `date`,
written as year/month/day), upper-case generic fields for `ARPYMT` and `CUSTOMER`. Amounts
are Decimals. Each payload carries the record's stable reference (see `REFERENCE_FIELDS`) in a
field Intacct can be queried on, so the outbox can find a record whose answer was lost.

Build payloads only from records `domain.receivables_rules` found valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from intacct_bridge.domain.line_dimensions import line_gl_fields
from intacct_bridge.domain.customer_match import display_name
from intacct_bridge.domain.receivables import (
    UNDEPOSITED,
    Address,
    CreditMemoView,
    CustomerView,
    DepositMode,
    InvoiceLineView,
    InvoiceMode,
    InvoiceView,
    PaymentView,
    ReceivablesSettings,
    RecordKind,
    TaxMode,
    payment_method,
)

# (Intacct object, field) holding each kind's reference; query it to settle an uncertain outcome.
REFERENCE_FIELDS: dict[tuple[RecordKind, InvoiceMode | None], tuple[str, str]] = {
    (RecordKind.CUSTOMER, None): ("CUSTOMER", "CUSTOMERID"),
    (RecordKind.INVOICE, InvoiceMode.AR_INVOICE): ("ARINVOICE", "EXTERNALID"),
    (RecordKind.INVOICE, InvoiceMode.SALES_INVOICE): ("SODOCUMENT", "EXTERNALID"),
    (RecordKind.PAYMENT, None): ("ARPYMT", "DOCNUMBER"),
    (RecordKind.CREDIT_MEMO, None): ("ARADJUSTMENT", "EXTERNALID"),
}
# The Intacct function each kind is created with.
FUNCTIONS = {
    (RecordKind.CUSTOMER, None): "create CUSTOMER",
    (RecordKind.INVOICE, InvoiceMode.AR_INVOICE): "create_invoice",
    (RecordKind.INVOICE, InvoiceMode.SALES_INVOICE): "create_sotransaction",
    (RecordKind.PAYMENT, None): "create ARPYMT",
    (RecordKind.CREDIT_MEMO, None): "create_aradjustment",
}
_ADDRESS_FIELDS = (("address1", "ADDRESS1"), ("address2", "ADDRESS2"), ("city", "CITY"), ("state", "STATE"),
                   ("zip", "ZIP"), ("country", "COUNTRY"))


def present_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields that have a value: an empty element would set a field to blank in Intacct."""
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def _mail_address(address: Address) -> dict[str, Any]:
    return present_fields({tag: getattr(address, name) for name, tag in _ADDRESS_FIELDS})


def customer_create(customer: CustomerView, customer_id: str, ar_account: str | None = None) -> dict[str, Any]:
    """Generic `create CUSTOMER`: the id we chose (`new_customer_id`), the name, the contact, its AR account."""
    name = display_name(customer)
    contact = present_fields({
        "PRINTAS": name, "COMPANYNAME": customer.company_name, "FIRSTNAME": customer.first_name,
        "LASTNAME": customer.last_name, "PHONE1": customer.phone, "EMAIL1": customer.email,
        "MAILADDRESS": _mail_address(customer.bill_to),
    })
    return present_fields({"CUSTOMERID": customer_id, "NAME": name, "DISPLAYCONTACT": contact, "ARACCOUNT": ar_account})


def customer_rename(customer_id: str, name: str) -> dict[str, Any]:
    """Generic `update CUSTOMER`: a rename changes the name only, never the id (seed 003)."""
    return {"CUSTOMERID": customer_id, "NAME": name}


def custom_line_fields(line: Any, settings: ReceivablesSettings) -> dict[str, Any] | None:
    """A legacy line's custom field and user-defined dimensions (`domain.line_dimensions`), if any."""
    fields = line_gl_fields(line, settings.custom_line_field, settings.user_dimensions)
    if not fields:
        return None
    return {"customfield": [{"customfieldname": name, "customfieldvalue": value} for name, value in fields.items()]}


def _line_memo(line: InvoiceLineView) -> str | None:
    if line.description:
        return line.description
    if line.sku:
        return f"{line.sku}: {line.quantity.normalize() if line.quantity else ''} x {line.unit_price}"
    return None


def _extra_lines(invoice: InvoiceView, settings: ReceivablesSettings) -> list[tuple[str, Decimal, str | None, str | None]]:
    """(label, signed amount, item, account) for discount, shipping and tax lines, in that order."""
    extras = []
    if invoice.discount_amount:
        extras.append(("Discount", -invoice.discount_amount, settings.discount_item, settings.discount_account))
    if invoice.shipping_amount:
        label = f"Shipping: {invoice.shipping_method}" if invoice.shipping_method else "Shipping"
        extras.append((label, invoice.shipping_amount, settings.shipping_item, settings.shipping_account))
    if invoice.tax_amount and settings.tax_mode is TaxMode.LINE:
        extras.append(("Tax", invoice.tax_amount, settings.tax_item, settings.tax_account))
    return extras


def ar_invoice(invoice: InvoiceView, settings: ReceivablesSettings, reference: str) -> dict[str, Any]:
    """Legacy `create_invoice`. No number: Intacct gives its next. No due date or terms: due on the invoice date.

    Each line's offset account is the configured AR account (seed 004), when one is set.
    """
    assert invoice.customer is not None and invoice.customer.customer_id is not None, "post the customer first"
    items = []
    for line in invoice.lines:
        items.append(present_fields({
            "glaccountno": line.gl_account or settings.revenue_account,
            "offsetglaccountno": settings.ar_account, "amount": line.effective_amount, "memo": _line_memo(line), "locationid": line.location or invoice.location,
            "departmentid": line.department or invoice.department,
            "customfields": custom_line_fields(line, settings), "itemid": line.sku,
            "classid": line.class_id, "warehouseid": line.warehouse or invoice.warehouse,
        }))
    for label, amount, item, account in _extra_lines(invoice, settings):
        items.append(present_fields({"glaccountno": account or settings.revenue_account,
                               "offsetglaccountno": settings.ar_account, "amount": amount, "memo": label,
                               "locationid": invoice.location, "departmentid": invoice.department, "itemid": item}))
    due = invoice.due_date or (None if invoice.terms else invoice.invoice_date)
    return present_fields({
        "customerid": invoice.customer.customer_id, "datecreated": invoice.invoice_date, "datedue": due,
        "termname": invoice.terms, "invoiceno": invoice.number, "ponumber": invoice.reference,
        "description": invoice.memo, "externalid": reference, "currency": invoice.currency,
        "invoiceitems": {"lineitem": items},
    })


def sales_invoice(invoice: InvoiceView, settings: ReceivablesSettings, reference: str) -> dict[str, Any]:
    """Legacy `create_sotransaction` of the configured transaction definition (e.g. "Sales Invoice").

    Discount, shipping and (line-mode) tax are lines of their configured items at quantity 1;
    amount-mode tax is a document subtotal.
    """
    assert invoice.customer is not None and invoice.customer.customer_id is not None, "post the customer first"
    items = []
    for line in invoice.lines:
        items.append(present_fields({
            "itemid": line.sku, "itemdesc": line.description, "warehouseid": line.warehouse or invoice.warehouse,
            "quantity": line.quantity, "unit": line.unit, "price": line.unit_price,
            "locationid": line.location or invoice.location, "departmentid": line.department or invoice.department,
            "customfields": custom_line_fields(line, settings), "classid": line.class_id,
        }))
    for label, amount, item, _ in _extra_lines(invoice, settings):
        items.append(present_fields({"itemid": item, "itemdesc": label, "quantity": Decimal(1), "price": amount,
                               "locationid": invoice.location, "departmentid": invoice.department}))
    subtotals = None
    if invoice.tax_amount and settings.tax_mode is TaxMode.AMOUNT:
        subtotals = {"subtotal": [{"description": "Tax", "total": invoice.tax_amount}]}
    return present_fields({
        "transactiontype": settings.transaction_definition, "datecreated": invoice.invoice_date,
        "customerid": invoice.customer.customer_id, "documentno": invoice.number,
        "referenceno": invoice.reference, "termname": invoice.terms, "datedue": invoice.due_date,
        "message": invoice.memo, "shippingmethod": invoice.shipping_method, "externalid": reference,
        "currency": invoice.currency, "sotransitems": {"sotransitem": items}, "subtotals": subtotals,
    })


def invoice_payload(invoice: InvoiceView, settings: ReceivablesSettings, reference: str) -> dict[str, Any]:
    """The invoice as the workspace posts invoices: an AR invoice or an Order Entry sales invoice."""
    if settings.invoice_mode is InvoiceMode.SALES_INVOICE:
        return sales_invoice(invoice, settings, reference)
    return ar_invoice(invoice, settings, reference)


def payment_payload(payment: PaymentView, settings: ReceivablesSettings, reference: str,
                    invoice_keys: Mapping[str, str]) -> dict[str, Any]:
    """Generic `create ARPYMT` applied to its invoices; `invoice_keys` maps invoice external id → RECORDNO.

    The reference goes in DOCNUMBER; the source's own reference (check number...) in DESCRIPTION.
    """
    assert payment.customer is not None and payment.customer.customer_id is not None, "post the customer first"
    target = payment.deposit_to
    if target is None and settings.deposit_mode is DepositMode.UNDEPOSITED:
        target = UNDEPOSITED
    deposit = ({"UNDEPOSITEDACCOUNTNO": settings.undeposited_account} if target == UNDEPOSITED
               else {"FINANCIALENTITY": target or settings.bank_account})
    details = [{"RECORDKEY": invoice_keys[a.invoice_external_id], "TRX_PAYMENTAMOUNT": a.amount}
               for a in payment.applications]
    description = " ".join(p for p in (payment.reference, payment.memo) if p) or None
    return present_fields({
        "PAYMENTMETHOD": payment_method(payment.method), "CUSTOMERID": payment.customer.customer_id,
        "RECEIPTDATE": payment.received_on, **deposit, "DOCNUMBER": reference, "DESCRIPTION": description,
        "ARPYMTDETAILS": {"ARPYMTDETAIL": details},
    })


def credit_memo_payload(memo: CreditMemoView, settings: ReceivablesSettings, reference: str) -> dict[str, Any]:
    """Legacy `create_aradjustment`: a credit is an adjustment whose lines are negative, naming its invoice.

    `invoiceno` is the invoice's number in Intacct (its RECORDID), which the credit is applied to.
    """
    assert memo.customer is not None and memo.customer.customer_id is not None, "post the customer first"
    items = [present_fields({
        "glaccountno": line.gl_account or settings.revenue_account, "offsetglaccountno": settings.ar_account,
        "amount": -line.amount,  # type: ignore[operator]
        "memo": line.description, "locationid": line.location, "departmentid": line.department,
        "customfields": custom_line_fields(line, settings), "itemid": line.sku,
        "classid": line.class_id, "warehouseid": line.warehouse,
    }) for line in memo.lines]
    invoice_number = None
    if memo.invoice is not None:
        invoice_number = memo.invoice.intacct_number or memo.invoice.number
    return present_fields({
        "customerid": memo.customer.customer_id, "datecreated": memo.memo_date, "adjustmentno": memo.number,
        "invoiceno": invoice_number, "description": memo.memo, "externalid": reference,
        "aradjustmentitems": {"lineitem": items},
    })
