"""The validation gate for AP bills and adjustments: every reason one cannot be posted, with the fix.

`validate_bill` / `validate_ap_adjustment` are pure over the record and the settings, like the
order-to-cash rules. What only Intacct can tell (does the vendor exist, is the AP term known) is
read once per run by the kind and checked by `vendor_reasons` and `term_reasons`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.next_steps import ADD_VENDOR
from intacct_bridge.domain.payables import AmountLineView, ApAdjustmentView, BillView
from intacct_bridge.domain.receivables import ReceivablesSettings
from intacct_bridge.domain.receivables_rules import (
    CURRENCY,
    ID_LIMIT,
    MEMO_LIMIT,
    NUMBER_LIMIT,
    REFERENCE_LIMIT,
    _money_reason,
    credit_total_reasons,
    text_reasons,
)

VENDOR_ID_LIMIT = 20  # Intacct's VENDORID


def _line_reasons(lines: tuple[AmountLineView, ...], *, item_allowed: bool) -> list[Reason]:
    reasons: list[Reason] = []
    for index, line in enumerate(lines):
        at = f"lines[{index}]"
        if not (line.gl_account or (item_allowed and line.sku)):
            needs = "a GL account or an item" if item_allowed else "a GL account"
            reasons.append(Reason(f"{at}.gl_account", f"line {line.line_no} has no account: give it {needs}"))
        problem = _money_reason(f"{at}.amount", line.amount, required=True, positive=True)
        if problem:
            reasons.append(problem)
        reasons += text_reasons([
            (f"{at}.gl_account", line.gl_account, ID_LIMIT), (f"{at}.sku", line.sku, ID_LIMIT),
            (f"{at}.description", line.description, MEMO_LIMIT), (f"{at}.location", line.location, ID_LIMIT),
            (f"{at}.department", line.department, ID_LIMIT), (f"{at}.class_id", line.class_id, ID_LIMIT),
            (f"{at}.warehouse", line.warehouse, ID_LIMIT), (f"{at}.custom_value", line.custom_value, ID_LIMIT),
        ])
    return reasons


def validate_bill(bill: BillView, settings: ReceivablesSettings) -> list[Reason]:
    """A bill needs its vendor, number, date, a due date or AP term, and lines that total more than 0."""
    reasons: list[Reason] = []
    if not bill.vendor_id:
        reasons.append(Reason("vendor_id", "the bill has no vendor: give vendor_id, the vendor's id in Intacct"))
    if not bill.number:
        reasons.append(Reason("number", "the bill has no number: give the vendor's invoice number"))
    if bill.bill_date is None:
        reasons.append(Reason("bill_date", "the bill date is missing: enter it, e.g. 2025-06-30"))
    elif bill.due_date is not None and bill.due_date < bill.bill_date:
        reasons.append(Reason("due_date", f"due date {bill.due_date} is before the bill date {bill.bill_date}: "
                              "correct one of them"))
    if bill.due_date is None and not bill.terms:
        reasons.append(Reason("due_date", "the bill has neither a due date nor AP terms: give due_date, or terms "
                              "naming an AP term in Intacct (e.g. Net 30)"))
    if bill.currency is not None and not CURRENCY.match(bill.currency):
        reasons.append(Reason("currency", f"currency {bill.currency!r} is not a 3-letter ISO code such as USD"))
    if not bill.lines:
        reasons.append(Reason("lines", "the bill has no lines: add what was bought"))
    reasons += _line_reasons(bill.lines, item_allowed=True)
    reasons += text_reasons([
        ("vendor_id", bill.vendor_id, VENDOR_ID_LIMIT), ("number", bill.number, NUMBER_LIMIT),
        ("terms", bill.terms, ID_LIMIT), ("reference", bill.reference, REFERENCE_LIMIT),
        ("memo", bill.memo, MEMO_LIMIT),
    ])
    return reasons


def validate_ap_adjustment(adjustment: ApAdjustmentView, settings: ReceivablesSettings) -> list[Reason]:
    """A vendor credit: lines to GL accounts, a positive total within its bill's, the bill of the same vendor."""
    reasons: list[Reason] = []
    if not adjustment.vendor_id:
        reasons.append(Reason("vendor_id", "the adjustment has no vendor: give vendor_id, the vendor's id in Intacct"))
    if adjustment.adjustment_date is None:
        reasons.append(Reason("adjustment_date", "the adjustment date is missing: enter it, e.g. 2025-07-15"))
    if adjustment.bill_external_id and adjustment.bill is None:
        reasons.append(Reason("bill", f"no bill {adjustment.bill_external_id!r} was imported: import it first, or "
                              "leave the bill out for a credit not tied to one"))
    bill = adjustment.bill
    if bill is not None and bill.vendor_id != adjustment.vendor_id:
        reasons.append(Reason("bill", f"bill {bill.external_id!r} is from vendor {bill.vendor_id!r}, not "
                              f"{adjustment.vendor_id!r}: credit a bill of this vendor"))
    if not adjustment.lines:
        reasons.append(Reason("lines", "the adjustment has no lines: add what is credited"))
    reasons += _line_reasons(adjustment.lines, item_allowed=False)
    credited = ("bill", bill.external_id, bill.total) if bill is not None else None
    reasons += credit_total_reasons("the adjustment", adjustment.total, bool(adjustment.lines), credited)
    reasons += text_reasons([("vendor_id", adjustment.vendor_id, VENDOR_ID_LIMIT),
                             ("number", adjustment.number, NUMBER_LIMIT), ("memo", adjustment.memo, MEMO_LIMIT)])
    return reasons


def vendor_reasons(vendor_id: str | None, known_vendors: Collection[str]) -> list[Reason]:
    """The vendor a bill or adjustment names must exist in Intacct (`known_vendors`: the ids found there)."""
    if not vendor_id or vendor_id in known_vendors:
        return []
    return [Reason("vendor_id", f"vendor {vendor_id!r} not found in Intacct: {ADD_VENDOR}, or "
                   "correct the vendor id")]


def term_reasons(terms: str | None, known_terms: Collection[str] | None) -> list[Reason]:
    """A bill's AP term must be an active one of Intacct's (`known_terms`; None: not read, nothing said)."""
    if not terms or known_terms is None or terms in known_terms:
        return []
    offered = ", ".join(sorted(known_terms)[:8]) or "none are set up"
    return [Reason("terms", f"AP term {terms!r} not found in Intacct (active AP terms: {offered}): use one of "
                   "them, or give a due date instead")]


def standing_intacct_reasons(flagged: Sequence[Mapping[str, str]], view: Any) -> list[Reason]:
    """Of a flag's reasons only Intacct could tell (vendor, AP term), those the record still gives: the same
    vendor or term is named as when it was flagged (the next sync asks Intacct again)."""
    standing: list[Reason] = []
    for reason in flagged:
        field, message = reason.get("field"), reason.get("message", "")
        if field == "vendor_id" and vendor_reasons(view.vendor_id, ()) == [Reason(field, message)]:
            standing.append(Reason(field, message))
        terms = getattr(view, "terms", None)
        if field == "terms" and terms and message.startswith(f"AP term {terms!r} not found in Intacct"):
            standing.append(Reason(field, message))
    return standing
