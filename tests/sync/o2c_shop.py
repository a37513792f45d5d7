"""A generated shop for the order-to-cash exactly-once tests, and the check of Intacct's receivables against it.

`generate_shop(seed, records)` makes customers, orders, payments and credit memos as the Python API
imports them, with the cases that break exactly-once: customers Intacct already has (matched by name),
new customers imported once and named by many orders, new customers that only exist on their orders'
rows (two orders of the same one), two source customers with the same name (one key, so one customer
in Intacct), partial and full payments, one payment across two invoices, credit memos on paid-down
invoices. Payments and credit memos never take an invoice below zero, whatever order they post in.

`assert_receivables_match` reads the emulator's ledger and compares it, record by record and field by
field, with the local records: one CUSTOMER per matched key, one ARINVOICE per order, one ARPYMT per
payment applied where it should be, one ARADJUSTMENT per credit memo, and every customer's balance.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from intacct_bridge.api import Bridge
from intacct_bridge.domain.customer_match import customer_key, display_name
from intacct_bridge.domain.identifiers import record_reference
from intacct_bridge.domain.receivables import CREATED_BY_US, CustomerMatch
from intacct_bridge.domain.receivables_payloads import ar_invoice, credit_memo_payload
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import CreditMemo, Customer, Invoice, Payment, Workspace
from intacct_bridge.store.repositories.receivables import (
    credit_memo_view,
    customer_view,
    invoice_view,
    load_receivables_settings,
    payment_view,
)
from intacct_emulator.harness import RunningEmulator

COMPANY = "helping-hands"
SETTINGS = {"revenue_account": "4600", "undeposited_account": "1100", "shipping_account": "4500",
            "discount_account": "4600", "tax_account": "2600"}
# Customers the emulator's demo company holds: source customers of these names are matched, not created.
IN_INTACCT = ("Jane Alvarez", "Maple Street Grocers", "Tom O'Brien")
ACCOUNTS = ("4500", "4600")
CENT = Decimal("0.01")


@dataclass
class Shop:
    """The records to import, as the Python API takes them."""

    customers: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    credit_memos: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Source records: customers (imported or named on orders), orders, payments, credit memos."""
        inline = {i["customer"]["external_id"] for i in self.invoices if isinstance(i["customer"], dict)}
        return len(self.customers) + len(inline) + len(self.invoices) + len(self.payments) + len(self.credit_memos)

    def load(self, bridge: Bridge) -> None:
        bridge.import_customers(self.customers)
        bridge.import_invoices(self.invoices)
        bridge.import_payments(self.payments)
        bridge.import_credit_memos(self.credit_memos)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)


def generate_shop(seed: int, records: int) -> Shop:
    """About `records` source records: ~8% customers, ~47% orders, ~33% payments, ~12% credit memos."""
    rng = random.Random(seed)
    shop = Shop()
    orders = max(4, records * 47 // 100)
    imported = max(4, records * 6 // 100)
    names: dict[str, str] = {}
    for n in range(imported):
        external_id = f"cust-{seed}-{n}"
        if n < len(IN_INTACCT):
            name = IN_INTACCT[n]
        elif n % 10 == 4:
            name = names[f"cust-{seed}-{n - 1}"]     # a second source customer with the same name: one key
        else:
            name = f"Customer {seed}-{n} {rng.choice(('Ltd', 'LLC', 'Co'))}"
        names[external_id] = name
        shop.customers.append({"external_id": external_id, "name": name, "email": f"c{n}@shop{seed}.example",
                               "phone": f"555-{n:04d}",
                               "bill_to": {"address1": f"{n} Market St", "city": "Springfield", "country": "US"}})
    inline = max(2, records * 2 // 100)
    guests = [(f"guest-{seed}-{n}", f"Guest {seed}-{n} Buyer") for n in range(inline)]
    guests += [(f"guest-{seed}-{inline}", guests[0][1])]  # a guest with another id and the same name
    owed: dict[str, Decimal] = {}
    owner: dict[str, str] = {}
    start = date(2026, 11, 1)
    for n in range(orders):
        external_id = f"ord-{seed}-{n}"
        if n % 4 == 0:   # every fourth order names its (new) customer on its own row; each guest orders 2+ times
            guest_id, guest_name = guests[(n // 4) % len(guests)]
            customer: Any = {"external_id": guest_id, "name": guest_name}
            customer_id = guest_id
        else:
            customer_id = shop.customers[rng.randrange(len(shop.customers))]["external_id"]
            customer = customer_id
        lines = [{"gl_account": rng.choice(ACCOUNTS), "quantity": str(rng.randint(1, 3)),
                  "price": str(_money(rng, 5, 80)), "description": f"Item {k} of order {n}"}
                 for k in range(rng.randint(1, 3))]
        invoice: dict[str, Any] = {"external_id": external_id, "customer": customer,
                                   "date": (start + timedelta(days=n % 20)).isoformat(),
                                   "due_date": (start + timedelta(days=30 + n % 20)).isoformat(), "lines": lines}
        lines_total = sum(Decimal(line["quantity"]) * Decimal(line["price"]) for line in lines)
        total = lines_total
        if n % 5 == 1:
            invoice["shipping"], total = "4.95", total + Decimal("4.95")
        if n % 7 == 2:
            invoice["discount"], total = "3.00", total - Decimal("3.00")
        if n % 3 == 0:
            tax = (lines_total * Decimal("0.05")).quantize(CENT)
            invoice["tax"], total = str(tax), total + tax
        shop.invoices.append(invoice)
        owed[external_id], owner[external_id] = total.quantize(CENT), customer_id
    _pay(rng, shop, owed, owner, records * 33 // 100, seed)
    _credit(rng, shop, owed, owner, records * 12 // 100, seed)
    return shop


def _pay(rng: random.Random, shop: Shop, owed: dict[str, Decimal], owner: dict[str, str], count: int,
         seed: int) -> None:
    """Full, partial, and across two invoices of one customer; never more than an invoice still owes."""
    by_customer: dict[str, list[str]] = defaultdict(list)
    for invoice_id, customer_id in owner.items():
        by_customer[customer_id].append(invoice_id)
    invoices = list(owed)
    rng.shuffle(invoices)
    for n in range(count):
        first = invoices[n % len(invoices)]
        if owed[first] < Decimal("2.00"):
            continue
        applications = []
        if n % 6 == 0:   # one payment across two invoices of the same customer
            sibling = next((i for i in by_customer[owner[first]] if i != first and owed[i] >= Decimal("2.00")), None)
            for invoice_id in (first, sibling):
                if invoice_id is not None:
                    applications.append((invoice_id, (owed[invoice_id] / 2).quantize(CENT)))
        elif n % 3 == 0:
            applications.append((first, owed[first]))                       # in full
        else:
            applications.append((first, (owed[first] * Decimal("0.4")).quantize(CENT)))   # in part
        for invoice_id, amount in applications:
            owed[invoice_id] -= amount
        amount = sum((a for _, a in applications), Decimal("0.00"))
        shop.payments.append({
            "external_id": f"pay-{seed}-{n}", "customer": owner[first], "date": "2026-11-25", "amount": str(amount),
            "method": rng.choice(("check", "card", "cash", "eft")),
            "applications": [{"invoice": i, "amount": str(a)} for i, a in applications]})


def _credit(rng: random.Random, shop: Shop, owed: dict[str, Decimal], owner: dict[str, str], count: int,
            seed: int) -> None:
    candidates = [i for i, due in owed.items() if due >= Decimal("2.00")]
    rng.shuffle(candidates)
    for n, invoice_id in enumerate(candidates[:count]):
        amount = min(owed[invoice_id], _money(rng, 1, 10))
        owed[invoice_id] -= amount
        shop.credit_memos.append({"external_id": f"cm-{seed}-{n}", "customer": owner[invoice_id], "date": "2026-11-27",
                                  "invoice": invoice_id, "lines": [{"gl_account": rng.choice(ACCOUNTS),
                                                                    "amount": str(amount), "description": "Refund"}]})


# ---- the emulator's ledger against the local records ---------------------------------------------------------


def _by(rows: list[dict[str, Any]], key: str, prefix: str) -> dict[str, dict[str, Any]]:
    """Rows of ours by a key field, failing on the first key held twice."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        value = row.get(key) or ""
        if not value.startswith(prefix):
            continue
        assert value not in found, f"Intacct holds {key} {value!r} twice"
        found[value] = row
    return found


def _money_text(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}"


def assert_receivables_match(emu: RunningEmulator, store: Store, workspace_id: int, shop: Shop) -> None:
    """Everything posted once, field by field as the domain builds it, and each customer's balance equal."""
    with store.session() as session:
        uid = session.get(Workspace, workspace_id).uid
        settings = load_receivables_settings(session, workspace_id)
        customers = list(session.scalars(select(Customer).where(Customer.workspace_id == workspace_id)))
        invoices = list(session.scalars(select(Invoice).where(Invoice.workspace_id == workspace_id)))
        payments = list(session.scalars(select(Payment).where(Payment.workspace_id == workspace_id)))
        memos = list(session.scalars(select(CreditMemo).where(CreditMemo.workspace_id == workspace_id)))
        customer_views = {c.id: customer_view(c) for c in customers}
        invoice_views = {i.id: invoice_view(i) for i in invoices}
        payment_views = [payment_view(p) for p in payments]
        memo_views = [credit_memo_view(m) for m in memos]
        keys = {i.id: (i.intacct_key, i.intacct_number) for i in invoices}
        recordnos = {("payment", p.id): p.intacct_key for p in payments}
        recordnos |= {("credit_memo", m.id): m.intacct_key for m in memos}
    for rows, expected in ((customers, shop.size - len(shop.invoices) - len(shop.payments) - len(shop.credit_memos)),
                           (invoices, len(shop.invoices)), (payments, len(shop.payments)),
                           (memos, len(shop.credit_memos))):
        assert len(rows) == expected, f"{len(rows)} {type(rows[0]).__name__} rows imported, expected {expected}"
        unposted = [r.external_id for r in rows if r.status != ActionStatus.POSTED.value]
        assert not unposted, f"not posted: {unposted[:10]}"
    prefix = f"ib-{uid}-"
    _assert_customers(emu, customers, customer_views)
    ar_invoices = _by(emu.admin.ledger(COMPANY, "ARINVOICE"), "EXTERNALID", prefix)
    assert len(ar_invoices) == len(invoices), f"{len(ar_invoices)} AR invoices in Intacct for {len(invoices)} orders"
    for view in invoice_views.values():
        reference = record_reference(uid, "invoice", view.id)
        got, want = ar_invoices[reference], ar_invoice(view, settings, reference)
        recordno, number = keys[view.id]
        assert got["RECORDNO"] == recordno
        assert number in (None, got["RECORDID"])  # its number is read back when a payment or credit memo needs it
        assert got["CUSTOMERID"] == want["customerid"]
        assert (got["WHENCREATED"], got["WHENDUE"]) == (want["datecreated"].isoformat(), want["datedue"].isoformat())
        assert got["TOTALENTERED"] == _money_text(view.total)
        for got_line, want_line in zip(got["ARINVOICEITEMS"], want["invoiceitems"]["lineitem"], strict=True):
            assert (got_line["ACCOUNTNO"], got_line["AMOUNT"], got_line.get("ENTRYDESCRIPTION", "")) == (
                want_line["glaccountno"], _money_text(want_line["amount"]), want_line.get("memo", ""))
    ar_payments = _by(emu.admin.ledger(COMPANY, "ARPYMT"), "DOCNUMBER", prefix)
    assert len(ar_payments) == len(payment_views), f"{len(ar_payments)} payments in Intacct, {len(payment_views)} here"
    for payment in payment_views:
        got = ar_payments[record_reference(uid, "payment", payment.id)]
        assert got["RECORDNO"] == recordnos["payment", payment.id]
        assert (got["CUSTOMERID"], got["RECEIPTDATE"], got["TOTALENTERED"]) == (
            payment.customer.customer_id, payment.received_on.isoformat(), _money_text(payment.amount))
        applied = [(d["RECORDKEY"], d["TRX_PAYMENTAMOUNT"]) for d in got["ARPYMTDETAILS"]]
        assert applied == [(keys[a.invoice.id][0], _money_text(a.amount)) for a in payment.applications]
    adjustments = _by(emu.admin.ledger(COMPANY, "ARADJUSTMENT"), "EXTERNALID", prefix)
    assert len(adjustments) == len(memo_views), f"{len(adjustments)} AR adjustments in Intacct, {len(memo_views)} here"
    for memo in memo_views:
        reference = record_reference(uid, "credit_memo", memo.id)
        got, want = adjustments[reference], credit_memo_payload(memo, settings, reference)
        assert got["RECORDNO"] == recordnos["credit_memo", memo.id]
        assert (got["CUSTOMERID"], got["DOCNUMBER"], got["INVOICEKEY"]) == (
            want["customerid"], want["invoiceno"], keys[memo.invoice.id][0])
        assert got["TOTALENTERED"] == _money_text(-memo.total)
    _assert_balances(ar_invoices.values(), invoice_views.values(), payment_views, memo_views)


def _assert_customers(emu: RunningEmulator, customers: list[Customer], views: dict[int, Any]) -> None:
    """One CUSTOMER in Intacct per matched key: created ones once, with their contact; matched ones reused."""
    in_intacct = emu.admin.ledger(COMPANY, "CUSTOMER")
    by_id = {row["CUSTOMERID"]: row for row in in_intacct}
    names = Counter(row["NAME"].casefold() for row in in_intacct)
    for customer in customers:
        view = views[customer.id]
        key = customer_key(view, CustomerMatch.NAME)
        assert names[key] == 1, f"{names[key]} customers named {customer.name!r} in Intacct, expected one"
        row = by_id[customer.customer_id]
        assert row["NAME"].casefold() == key
        if customer.matched_by == CREATED_BY_US:
            assert row["DISPLAYCONTACT.EMAIL1"] == (customer.email or "")
            assert row["DISPLAYCONTACT.PRINTAS"] == display_name(view)


def _assert_balances(ar_invoices, invoices, payments, memos) -> None:
    """Per CUSTOMERID: local invoice totals − payments − credit memos == Intacct's TOTALDUE of its invoices."""
    local: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for invoice in invoices:
        local[invoice.customer.customer_id] += invoice.total
    for payment in payments:
        local[payment.customer.customer_id] -= payment.amount
    for memo in memos:
        local[memo.customer.customer_id] -= memo.total
    remote: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row in ar_invoices:
        remote[row["CUSTOMERID"]] += Decimal(row["TOTALDUE"])
    assert dict(remote) == dict(local)
