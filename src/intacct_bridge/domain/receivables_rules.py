"""The validation gate for order-to-cash records: every reason one cannot be posted, with the fix.

Each function returns `list[Reason]` (empty: it can be posted) naming the field at fault
(`lines[2].quantity`, `applications[0].invoice`...) in the words a finance admin can act on.
Limits on text are ours where Intacct's are not published; they are chosen so a text that
passes fits the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from intacct_bridge.domain.customer_match import customer_key, display_name
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import (
    UNDEPOSITED,
    CreditMemoView,
    CustomerMatch,
    CustomerView,
    DepositMode,
    InvoiceLineView,
    InvoiceMode,
    InvoiceState,
    InvoiceView,
    PaymentView,
    ReceivablesSettings,
    TaxMode,
    payment_method,
)
from intacct_bridge.domain.text import length_problem, xml_safe_problems
from intacct_bridge.domain.values import CENT

CURRENCY = re.compile(r"^[A-Z]{3}$")
# Chosen limits (bytes) for the texts each kind sends.
NAME_LIMIT = 100
NUMBER_LIMIT = 45
REFERENCE_LIMIT = 100
ID_LIMIT = 100
MEMO_LIMIT = 1000


def text_reasons(fields: Iterable[tuple[str, str | None, int]]) -> list[Reason]:
    """(field, text, limit) → a reason per text Intacct could not take (bad characters, too long)."""
    reasons: list[Reason] = []
    for name, value, limit in fields:
        for problem in xml_safe_problems(value):
            reasons.append(Reason(name, f"{name} {problem}"))
        too_long = length_problem(value, limit)
        if too_long:
            reasons.append(Reason(name, f"{name} {too_long}"))
    return reasons


def _address_texts(prefix: str, customer: CustomerView) -> list[tuple[str, str | None, int]]:
    address = getattr(customer, prefix)
    return [(f"{prefix}.{k}", v, ID_LIMIT) for k, v in address.as_dict().items()]


def validate_customer(customer: CustomerView, settings: ReceivablesSettings) -> list[Reason]:
    """A customer needs what its matching strategy keys on, and a name to be created with."""
    strategy = settings.customer_match
    reasons: list[Reason] = []
    if strategy is CustomerMatch.CATCH_ALL:
        if not settings.catch_all_customer_id:
            reasons.append(Reason("customer_match", "customers go to one catch-all customer, but none is set: "
                                  "set catch_all_customer_id to an Intacct CUSTOMERID"))
    elif customer_key(customer, strategy) is None:
        wanted = {CustomerMatch.NAME: ("name", "the customer's name"),
                  CustomerMatch.FIRST_LAST: ("first_name", "both first_name and last_name"),
                  CustomerMatch.COMPANY: ("company_name", "the company name")}[strategy]
        reasons.append(Reason(wanted[0], f"customers are matched by {strategy.value}, but this one has none: "
                              f"give {wanted[1]}, or change the customer match setting"))
    if strategy is not CustomerMatch.CATCH_ALL and customer.customer_id is None and display_name(customer) is None:
        reasons.append(Reason("name", "a customer created in Intacct needs a name: give a name, company or "
                              "first and last name"))
    reasons += text_reasons([
        ("name", customer.name, NAME_LIMIT), ("first_name", customer.first_name, NAME_LIMIT),
        ("last_name", customer.last_name, NAME_LIMIT), ("company_name", customer.company_name, NAME_LIMIT),
        ("email", customer.email, ID_LIMIT), ("phone", customer.phone, ID_LIMIT),
        *_address_texts("bill_to", customer), *_address_texts("ship_to", customer),
    ])
    return reasons


def _money_reason(name: str, value: Decimal | None, *, required: bool, positive: bool) -> Reason | None:
    if value is None:
        return Reason(name, f"{name} is missing: enter it, e.g. 25.00") if required else None
    if value != value.quantize(CENT):
        return Reason(name, f"{name} {value} has more than 2 decimal places: round it to cents")
    if positive and value <= 0:
        return Reason(name, f"{name} is {value}: it must be more than 0")
    if value < 0:
        return Reason(name, f"{name} is {value}: it cannot be negative")
    return None


def _line_reasons(index: int, line: InvoiceLineView, settings: ReceivablesSettings) -> list[Reason]:
    at = f"lines[{index}]"
    reasons: list[Reason] = []
    if settings.invoice_mode is InvoiceMode.SALES_INVOICE and not line.sku:
        reasons.append(Reason(f"{at}.sku", f"line {line.line_no} has no item: a sales invoice line needs the "
                              "product's SKU (its Intacct item id)"))
    elif not (line.sku or line.gl_account or settings.revenue_account):
        reasons.append(Reason(f"{at}.gl_account", f"line {line.line_no} has neither an item nor a GL account: give "
                              "one, or set a default revenue account in the order-to-cash settings"))
    if line.quantity is None or line.quantity <= 0:
        reasons.append(Reason(f"{at}.quantity", f"line {line.line_no} quantity is {line.quantity}: it must be "
                              "more than 0 (a return is a credit memo)"))
    if line.unit_price is None:
        reasons.append(Reason(f"{at}.unit_price", f"line {line.line_no} has no price: give its unit price"))
    elif line.unit_price < 0:
        reasons.append(Reason(f"{at}.unit_price", f"line {line.line_no} price is {line.unit_price}: it cannot be "
                              "negative (give a discount instead)"))
    if line.quantity is not None and line.unit_price is not None:
        expected = (line.quantity * line.unit_price).quantize(CENT)
        if line.amount is not None and abs(line.amount - expected) > CENT:
            reasons.append(Reason(f"{at}.amount", f"line {line.line_no} amount {line.amount} is not quantity x "
                                  f"price ({line.quantity} x {line.unit_price} = {expected}): correct one of them"))
    reasons += text_reasons([
        (f"{at}.sku", line.sku, ID_LIMIT), (f"{at}.gl_account", line.gl_account, ID_LIMIT),
        (f"{at}.description", line.description, MEMO_LIMIT), (f"{at}.unit", line.unit, ID_LIMIT),
        (f"{at}.location", line.location, ID_LIMIT), (f"{at}.department", line.department, ID_LIMIT),
        (f"{at}.class_id", line.class_id, ID_LIMIT), (f"{at}.warehouse", line.warehouse, ID_LIMIT),
        (f"{at}.custom_value", line.custom_value, ID_LIMIT),
    ])
    return reasons


def _extra_line_reasons(invoice: InvoiceView, settings: ReceivablesSettings) -> list[Reason]:
    """Discount, shipping and tax each need the item (sales invoice) or account (AR invoice) they post to."""
    sales = settings.invoice_mode is InvoiceMode.SALES_INVOICE
    reasons: list[Reason] = []
    for name, amount, item, account in (
        ("discount", invoice.discount_amount, settings.discount_item, settings.discount_account),
        ("shipping", invoice.shipping_amount, settings.shipping_item, settings.shipping_account),
        ("tax", invoice.tax_amount, settings.tax_item, settings.tax_account),
    ):
        problem = _money_reason(f"{name}_amount", amount, required=False, positive=False)
        if problem:
            reasons.append(problem)
            continue
        if not amount:
            continue
        if name == "tax" and settings.tax_mode is TaxMode.AMOUNT:
            if not sales:
                reasons.append(Reason("tax_amount", "tax as an amount is only possible on sales invoices: set "
                                      "tax_mode to line (a tax line to the tax account) for AR invoices"))
            continue
        if sales and not item:
            reasons.append(Reason(f"{name}_amount", f"the invoice has a {name} of {amount}, which a sales invoice "
                                  f"posts as its own line: set the {name} item in the order-to-cash settings"))
        elif not sales and not (account or item and settings.revenue_account):
            reasons.append(Reason(f"{name}_amount", f"the invoice has a {name} of {amount}, which is posted as its "
                                  f"own line: set the {name} GL account in the order-to-cash settings"))
    if invoice.discount_amount and invoice.discount_amount > invoice.lines_total:
        reasons.append(Reason("discount_amount", f"discount {invoice.discount_amount} is more than the lines "
                              f"({invoice.lines_total}): correct the discount"))
    return reasons


def validate_invoice(invoice: InvoiceView, settings: ReceivablesSettings) -> list[Reason]:
    """Everything that keeps an invoice from being posted as settings say (AR or sales invoice)."""
    reasons: list[Reason] = []
    if invoice.customer is None:
        reasons.append(Reason("customer", "the invoice has no customer: give customer_external_id of a customer "
                              "you imported"))
    if invoice.invoice_date is None:
        reasons.append(Reason("invoice_date", "the invoice date is missing: enter the order date, e.g. 2025-06-30"))
    elif invoice.due_date is not None and invoice.due_date < invoice.invoice_date:
        reasons.append(Reason("due_date", f"due date {invoice.due_date} is before the invoice date "
                              f"{invoice.invoice_date}: correct one of them"))
    if invoice.currency is not None and not CURRENCY.match(invoice.currency):
        reasons.append(Reason("currency", f"currency {invoice.currency!r} is not a 3-letter ISO code such as USD"))
    if not invoice.lines:
        reasons.append(Reason("lines", "the invoice has no lines: add at least one product or service line"))
    for index, line in enumerate(invoice.lines):
        reasons += _line_reasons(index, line, settings)
    reasons += _extra_line_reasons(invoice, settings)
    if invoice.lines and not reasons and invoice.total <= 0:
        reasons.append(Reason("lines", f"the invoice total is {invoice.total}: an invoice must be more than 0 "
                              "(record a credit memo for a refund)"))
    reasons += text_reasons([
        ("number", invoice.number, NUMBER_LIMIT), ("reference", invoice.reference, REFERENCE_LIMIT),
        ("memo", invoice.memo, MEMO_LIMIT), ("terms", invoice.terms, ID_LIMIT),
        ("shipping_method", invoice.shipping_method, ID_LIMIT), ("warehouse", invoice.warehouse, ID_LIMIT),
        ("location", invoice.location, ID_LIMIT), ("department", invoice.department, ID_LIMIT),
    ])
    return reasons


def _deposit_reasons(payment: PaymentView, settings: ReceivablesSettings) -> list[Reason]:
    target = payment.deposit_to
    if target is None:
        target = UNDEPOSITED if settings.deposit_mode is DepositMode.UNDEPOSITED else settings.bank_account
    if target == UNDEPOSITED and not settings.undeposited_account:
        return [Reason("deposit_to", "payments go to undeposited funds, but no account is set: set the undeposited "
                       "funds GL account in the order-to-cash settings (seed 004)")]
    if target is None:
        return [Reason("deposit_to", "payments go to a bank account, but none is set: set bank_account in the "
                       "order-to-cash settings, or give deposit_to on the payment")]
    return []


def validate_payment(payment: PaymentView, settings: ReceivablesSettings) -> list[Reason]:
    """A payment posts whole or not at all: every application known, open enough, and adding up to it."""
    reasons: list[Reason] = []
    if payment.customer is None:
        reasons.append(Reason("customer", "the payment has no customer: give customer_external_id"))
    if payment.received_on is None:
        reasons.append(Reason("received_on", "the payment date is missing: enter when it was received"))
    amount_problem = _money_reason("amount", payment.amount, required=True, positive=True)
    if amount_problem:
        reasons.append(amount_problem)
    if payment_method(payment.method) is None:
        reasons.append(Reason("method", f"payment method {payment.method!r} is not one Intacct knows: use Printed "
                              "Check, Cash, EFT, Credit Card or Online"))
    if not payment.applications:
        reasons.append(Reason("applications", "the payment is applied to no invoice: say which invoice(s) it pays"))
    applied = Decimal("0.00")
    for index, application in enumerate(payment.applications):
        reasons += _application_reasons(index, application, payment)
        applied += application.amount or 0
    if payment.amount is not None and payment.applications and not amount_problem:
        if applied > payment.amount:
            reasons.append(Reason("applications", f"the applications add up to {applied}, more than the payment "
                                  f"({payment.amount}): reduce them to the amount received"))
        elif applied < payment.amount:
            reasons.append(Reason("amount", f"the payment ({payment.amount}) is larger than what it pays ({applied}): "
                                  f"apply the remaining {payment.amount - applied} to another open invoice, or "
                                  "record it in Intacct as an advance; it is not posted in part"))
    reasons += _deposit_reasons(payment, settings)
    reasons += text_reasons([("reference", payment.reference, REFERENCE_LIMIT), ("memo", payment.memo, MEMO_LIMIT),
                             ("deposit_to", payment.deposit_to, ID_LIMIT)])
    return reasons


def _application_reasons(index: int, application, payment: PaymentView) -> list[Reason]:
    at = f"applications[{index}]"
    reasons: list[Reason] = []
    problem = _money_reason(f"{at}.amount", application.amount, required=True, positive=True)
    if problem:
        reasons.append(problem)
    invoice = application.invoice
    if invoice is None:
        return reasons + [Reason(f"{at}.invoice", f"no invoice {application.invoice_external_id!r} was imported: "
                                 "import the invoice first, or correct the invoice id")]
    if payment.customer is not None and invoice.customer is not None and invoice.customer.id != payment.customer.id:
        reasons.append(Reason(f"{at}.invoice", f"invoice {invoice.external_id!r} belongs to another customer "
                              f"({invoice.customer.external_id!r}): apply the payment to this customer's invoices"))
    if application.invoice_state is InvoiceState.PAID:
        reasons.append(Reason(f"{at}.invoice", f"invoice {invoice.external_id!r} is already paid in Intacct: the "
                              "payment may be a duplicate; apply it to an open invoice or refund it"))
    elif (application.invoice_total_due is not None and application.amount is not None
          and application.amount > application.invoice_total_due):
        reasons.append(Reason(f"{at}.amount", f"{application.amount} is more than invoice "
                              f"{invoice.external_id!r} still owes ({application.invoice_total_due}): apply at most "
                              "that, and the rest to another invoice"))
    elif application.amount is not None and not problem and application.amount > invoice.total:
        reasons.append(Reason(f"{at}.amount", f"{application.amount} is more than invoice "
                              f"{invoice.external_id!r} totals ({invoice.total}): apply at most that"))
    return reasons


def credit_total_reasons(what: str, total: Decimal, has_lines: bool,
                         credited: tuple[str, str, Decimal] | None) -> list[Reason]:
    """A credit (memo or AP adjustment) totals more than 0, and at most the (noun, id, total) it credits."""
    reasons: list[Reason] = []
    if has_lines and total <= 0:
        reasons.append(Reason("lines", f"{what} totals {total}: it must be more than 0"))
    if credited is not None and total > credited[2]:
        noun, external_id, limit = credited
        reasons.append(Reason("lines", f"{what} ({total}) is more than {noun} {external_id!r} ({limit}): credit at "
                              f"most the {noun}'s total"))
    return reasons


def validate_credit_memo(memo: CreditMemoView, settings: ReceivablesSettings) -> list[Reason]:
    """Lines with an account (or item and a revenue account) and a positive total within the invoice's."""
    reasons: list[Reason] = []
    if memo.customer is None:
        reasons.append(Reason("customer", "the credit memo has no customer: give customer_external_id"))
    if memo.memo_date is None:
        reasons.append(Reason("memo_date", "the credit memo date is missing: enter it, e.g. 2025-07-15"))
    if memo.invoice_external_id and memo.invoice is None:
        reasons.append(Reason("invoice", f"no invoice {memo.invoice_external_id!r} was imported: import it first, "
                              "or leave the invoice out for a credit not tied to one"))
    if not memo.lines:
        reasons.append(Reason("lines", "the credit memo has no lines: add what is credited"))
    for index, line in enumerate(memo.lines):
        at = f"lines[{index}]"
        if not (line.gl_account or (line.sku and settings.revenue_account)):
            reasons.append(Reason(f"{at}.gl_account", f"line {line.line_no} has no GL account: give one (or an item "
                                  "and a default revenue account in the settings)"))
        problem = _money_reason(f"{at}.amount", line.amount, required=True, positive=True)
        if problem:
            reasons.append(problem)
        reasons += text_reasons([(f"{at}.description", line.description, MEMO_LIMIT),
                                 (f"{at}.gl_account", line.gl_account, ID_LIMIT), (f"{at}.sku", line.sku, ID_LIMIT)])
    credited = ("invoice", memo.invoice.external_id, memo.invoice.total) if memo.invoice is not None else None
    reasons += credit_total_reasons("the credit memo", memo.total, bool(memo.lines), credited)
    if (memo.invoice is not None and memo.customer is not None and memo.invoice.customer is not None
            and memo.invoice.customer.id != memo.customer.id):
        reasons.append(Reason("invoice", f"invoice {memo.invoice.external_id!r} belongs to another customer: credit "
                              "this customer's invoice"))
    reasons += text_reasons([("number", memo.number, NUMBER_LIMIT), ("memo", memo.memo, MEMO_LIMIT)])
    return reasons
