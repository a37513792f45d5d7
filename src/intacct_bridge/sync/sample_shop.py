"""A small shop's order-to-cash data, for `intacct-bridge demo`, the tests and the benchmarks (seeds 003, 004).

Deterministic for a seed: a few customers (some already in the demo company, matched by name; some
new, created), a few dozen orders with discounts, shipping and tax, full and partial payments, one
payment across two invoices, a credit memo, and one order that cannot be posted (its due date is
before its date), so the hold-mode gate keeps it back while the rest post. Plain dicts, in the
shapes `Bridge.import_*` takes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
# Demo-company customers (matched by name) and new ones (created by the sync).
KNOWN = [("shop-c1", "Jane Alvarez"), ("shop-c2", "Tom O'Brien"), ("shop-c3", "Maple Street Grocers")]
NEW = [("shop-c4", "Ada Lovelace", "ada@example.org"), ("shop-c5", "Grace Hopper", "grace@example.org"),
       ("shop-c6", "Katherine Johnson", "katherine@example.org")]
# (sku, description, unit price, revenue account) from the demo company's items.
PRODUCTS = [("TSHIRT", "Helping Hands T-Shirt", Decimal("20.00"), "4600"),
            ("MUG", "Coffee Mug", Decimal("12.50"), "4600"),
            ("TOTE", "Canvas Tote Bag", Decimal("15.00"), "4600"),
            ("MEMB-IND", "Individual Membership", Decimal("50.00"), "4300"),
            ("TIX-GALA", "Annual Gala Ticket", Decimal("150.00"), "4400")]
# The order-to-cash settings the shop runs with (demo company accounts).
SHOP_SETTINGS = {"revenue_account": "4600", "undeposited_account": "1100", "shipping_account": "4500",
                 "discount_account": "4600", "tax_account": "2600"}
INVALID_ORDER = "shop-o-bad"


@dataclass
class ShopData:
    customers: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    credit_memos: list[dict[str, Any]] = field(default_factory=list)

    def total_of(self, external_id: str) -> Decimal:
        """An order's total as the customer owes it: lines − discount + shipping + tax."""
        invoice = next(i for i in self.invoices if i["external_id"] == external_id)
        lines = sum(Decimal(line["quantity"]) * Decimal(line["price"]) for line in invoice["lines"])
        extras = (Decimal(invoice.get("shipping", "0")) + Decimal(invoice.get("tax", "0"))
                  - Decimal(invoice.get("discount", "0")))
        return (lines + extras).quantize(CENT)


def generate(seed: int = 7, orders: int = 30, start: date = date(2026, 11, 2)) -> ShopData:
    """The shop's customers, orders, payments and one credit memo (the same for the same seed)."""
    rng = random.Random(seed)
    data = ShopData()
    data.customers += [{"external_id": ext, "name": name} for ext, name in KNOWN]
    data.customers += [{"external_id": ext, "name": name, "email": email, "phone": f"555-01{n:02d}",
                        "bill_to": {"address1": f"{n} Market Street", "city": "Springfield", "country": "US"}}
                       for n, (ext, name, email) in enumerate(NEW, start=1)]
    who = [c["external_id"] for c in data.customers]
    for n in range(1, orders + 1):
        day = start + timedelta(days=n % 20)
        lines = []
        for sku, description, price, account in rng.sample(PRODUCTS, rng.randint(1, 3)):
            lines.append({"sku": sku, "description": description, "quantity": str(rng.randint(1, 3)),
                          "price": str(price), "gl_account": account})
        order: dict[str, Any] = {"external_id": f"shop-o{n:03d}", "customer": who[n % len(who)],
                                 "date": day.isoformat(), "due_date": (day + timedelta(days=30)).isoformat(),
                                 "reference": f"#{1000 + n}", "lines": lines}
        if n % 3 == 0:
            order["shipping"] = "5.00"
        if n % 4 == 0:
            order["discount"] = "2.00"
        if n % 5 == 0:
            order["tax"] = "1.50"
        data.invoices.append(order)
    bad_day = start + timedelta(days=3)
    data.invoices.append({"external_id": INVALID_ORDER, "customer": who[0], "date": bad_day.isoformat(),
                          "due_date": (bad_day - timedelta(days=1)).isoformat(),
                          "lines": [{"sku": "MUG", "quantity": "1", "price": "12.50", "gl_account": "4600"}]})
    _payments(data)
    first = data.invoices[2]  # an unpaid order
    data.credit_memos.append({"external_id": "shop-cm1", "customer": first["customer"], "invoice": first["external_id"],
                              "date": (date.fromisoformat(first["date"]) + timedelta(days=2)).isoformat(),
                              "memo": "Damaged mug: credit", "lines": [{"gl_account": "4600", "amount": "5.00",
                                                                         "description": "Goodwill credit"}]})
    return data


def _payments(data: ShopData) -> None:
    """Every other order paid in full, every fifth in part, and one payment across two orders."""
    for n, order in enumerate(data.invoices[:-1], start=1):
        total = data.total_of(order["external_id"])
        paid_on = (date.fromisoformat(order["date"]) + timedelta(days=7)).isoformat()
        if n in (7, 9):
            continue  # paid together below
        if n % 2 == 0:
            amount = total
        elif n % 5 == 0:
            amount = (total / 2).quantize(CENT)
        else:
            continue
        data.payments.append({"external_id": f"shop-p{n:03d}", "customer": order["customer"], "date": paid_on,
                              "amount": str(amount), "method": "card" if n % 4 else "check",
                              "applications": [{"invoice": order["external_id"], "amount": str(amount)}]})
    pair = [data.invoices[6], data.invoices[8]]
    if pair[0]["customer"] != pair[1]["customer"]:
        pair[1]["customer"] = pair[0]["customer"]
    amounts = [data.total_of(o["external_id"]) for o in pair]
    data.payments.append({"external_id": "shop-p-two", "customer": pair[0]["customer"],
                          "date": pair[1]["date"], "amount": str(sum(amounts)), "method": "check",
                          "applications": [{"invoice": o["external_id"], "amount": str(a)}
                                           for o, a in zip(pair, amounts, strict=True)]})
