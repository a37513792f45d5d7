"""The order-to-cash payloads as Intacct takes them: posted over HTTP to the emulator and read back."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

from intacct_bridge.domain.customer_match import new_customer_id
from intacct_bridge.domain.receivables import (
    Address,
    ApplicationView,
    CustomerView,
    InvoiceLineView,
    InvoiceMode,
    InvoiceView,
    PaymentView,
    ReceivablesSettings,
)
from intacct_bridge.domain.receivables_payloads import (
    REFERENCE_FIELDS,
    customer_create,
    customer_rename,
    invoice_payload,
    payment_payload,
)
from intacct_bridge.intacct import functions as fn, query as q
from intacct_bridge.intacct.legacy import CreateInvoice, CreateSoTransaction

D = Decimal
SETTINGS = ReceivablesSettings(revenue_account="4600", shipping_account="4800", discount_account="4800",
                               tax_account="2600", ar_account="1200", undeposited_account="1100")


def _one(client, object_name: str, field: str, value: str, fields: list[str]) -> dict:
    rows = list(client.iter_query(object_name, fields, filter=q.eq(field, value)))
    assert len(rows) == 1, rows
    return rows[0]


def test_customer_ar_invoice_and_payment_are_accepted_and_found_by_reference(client):
    tag = uuid.uuid4().hex[:6]
    customer = CustomerView(1, f"shop-{tag}", f"Ada {tag}", email="ada@example.org",
                            bill_to=Address("1 Main St", city="Springfield", zip="12345"))
    customer_id = new_customer_id(customer.external_id)
    client.execute(fn.Create("CUSTOMER", customer_create(customer, customer_id, "1200")))
    client.execute(fn.Update("CUSTOMER", customer_rename(customer_id, f"Ada King {tag}")))
    stored = _one(client, "CUSTOMER", "CUSTOMERID", customer_id, ["NAME", "DISPLAYCONTACT.EMAIL1"])
    assert stored["NAME"] == f"Ada King {tag}"

    ours = replace(customer, customer_id=customer_id)
    invoice = InvoiceView(
        7, "o-1", ours, date.today(), (InvoiceLineView(1, sku="TSHIRT", quantity=D("2"), unit_price=D("20.00")),
                                       InvoiceLineView(2, gl_account="4500", quantity=D("1"), unit_price=D("5.00"),
                                                       amount=D("5.00"))),
        reference="#1001", memo="Leave at the door", discount_amount=D("3.00"), shipping_amount=D("4.00"),
        tax_amount=D("2.00"))
    reference = f"ib-{tag}-inv7"
    key = client.execute(CreateInvoice(invoice_payload(invoice, SETTINGS, reference))).key
    obj, field = REFERENCE_FIELDS[("invoice", InvoiceMode.AR_INVOICE)]
    found = _one(client, obj, field, reference, ["RECORDNO", "TOTALDUE", "CUSTOMERID"])
    assert found["RECORDNO"] == str(key) and D(found["TOTALDUE"]) == invoice.total == D("48.00")

    payment = PaymentView(5, "p-1", ours, date.today(), D("48.00"),
                          (ApplicationView("o-1", D("48.00"), invoice),), method="Credit Card", reference="AUTH-9")
    pay_reference = f"ib-{tag}-pay5"
    client.execute(fn.Create("ARPYMT", payment_payload(payment, SETTINGS, pay_reference, {"o-1": str(key)})))
    obj, field = REFERENCE_FIELDS[("payment", None)]
    assert _one(client, obj, field, pay_reference, ["RECORDNO"])["RECORDNO"]
    assert D(_one(client, "ARINVOICE", "RECORDNO", str(key), ["TOTALDUE"])["TOTALDUE"]) == 0


def test_sales_invoice_payload_is_accepted(client):
    tag = uuid.uuid4().hex[:6]
    customer = CustomerView(1, "x", "Jane", customer_id="CUST-0003")
    invoice = InvoiceView(8, "o-2", customer, date.today(),
                          (InvoiceLineView(1, sku="MEMB-IND", quantity=D("1"), unit_price=D("50.00")),),
                          reference="#1002")
    settings = replace(SETTINGS, invoice_mode=InvoiceMode.SALES_INVOICE)
    reference = f"ib-{tag}-inv8"
    client.execute(CreateSoTransaction(invoice_payload(invoice, settings, reference)))
    obj, field = REFERENCE_FIELDS[("invoice", InvoiceMode.SALES_INVOICE)]
    assert _one(client, obj, field, reference, ["DOCID"])["DOCID"].startswith("Sales Invoice-")
