"""Settings → Order to cash: customer matching, invoice mode, the accounts and items, deposits, gate modes.

The store validates each value (`update_receivables_settings`, whose `Conflict` names what is
allowed); the form adds the checks that span fields (a catch-all strategy needs its customer).
On an error the form comes back with what the user typed, never with the saved values.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from intacct_bridge.domain.receivables import CustomerMatch, DepositMode, GateMode, InvoiceMode, TaxMode
from intacct_bridge.store.errors import StoreError
from intacct_bridge.store.repositories.receivables import update_receivables_settings
from intacct_bridge.web.console.render import State, Ws, page, redirect
from intacct_bridge.web.console.session import Editor, User
from intacct_bridge.web.receivables_queries import settings_values

router = APIRouter(prefix="/w/{ws}/settings/order-to-cash", include_in_schema=False)
Code = Annotated[str, Field(max_length=100)]
Choice = Annotated[str, Field(max_length=32)]
GATES = (("gate_journal_entries", "Journal entries (actions)"), ("gate_customers", "Customers"),
         ("gate_invoices", "Invoices"), ("gate_payments", "Payments"), ("gate_credit_memos", "Credit memos"),
         ("gate_vendors", "Vendors"), ("gate_items", "Items"), ("gate_bills", "AP bills"),
         ("gate_ap_adjustments", "AP adjustments"))
CHOICES = {
    "customer_match": [(CustomerMatch.NAME, "Customer name"), (CustomerMatch.FIRST_LAST, "First and last name"),
                       (CustomerMatch.COMPANY, "Company name"), (CustomerMatch.CATCH_ALL, "One catch-all customer")],
    "invoice_mode": [(InvoiceMode.AR_INVOICE, "AR invoice (Accounts Receivable)"),
                     (InvoiceMode.SALES_INVOICE, "Sales invoice (Order Entry)")],
    "tax_mode": [(TaxMode.LINE, "A tax line (to the tax account or item)"),
                 (TaxMode.AMOUNT, "An amount on the document (sales invoices only)")],
    "deposit_mode": [(DepositMode.UNDEPOSITED, "Undeposited funds account"), (DepositMode.BANK, "A bank account")],
    "gate": [(GateMode.HALT, "Halt: nothing of this kind posts while any is invalid"),
             (GateMode.HOLD, "Hold: the invalid wait for review, the valid post")],
}
PREFIX_LIMIT = 10  # the column's width; a CUSTOMERID is the prefix and the source's id


class ReceivablesForm(BaseModel):
    """What the form sends; text as typed (trimmed on saving), choices checked by the store."""

    customer_match: Choice = ""
    catch_all_customer_id: Code = ""
    customer_id_prefix: Code = ""
    invoice_mode: Choice = ""
    transaction_definition: Code = ""
    revenue_account: Code = ""
    discount_account: Code = ""
    discount_item: Code = ""
    shipping_account: Code = ""
    shipping_item: Code = ""
    tax_mode: Choice = ""
    tax_account: Code = ""
    tax_item: Code = ""
    ar_account: Code = ""
    deposit_mode: Choice = ""
    undeposited_account: Code = ""
    bank_account: Code = ""
    gate_journal_entries: GateMode = GateMode.HALT
    gate_customers: GateMode = GateMode.HOLD
    gate_invoices: GateMode = GateMode.HOLD
    gate_payments: GateMode = GateMode.HOLD
    gate_credit_memos: GateMode = GateMode.HOLD
    gate_vendors: GateMode = GateMode.HOLD
    gate_items: GateMode = GateMode.HOLD
    gate_bills: GateMode = GateMode.HOLD
    gate_ap_adjustments: GateMode = GateMode.HOLD

    def changes(self) -> dict[str, Any]:
        """Column → value to save: text trimmed, an empty optional text is None (not set)."""
        required = {"customer_match", "customer_id_prefix", "invoice_mode", "transaction_definition", "tax_mode",
                    "deposit_mode"}
        values: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            text = value.value if isinstance(value, GateMode) else value.strip()
            values[name] = text if (text or name in required) else None
        return values

    def problems(self) -> list[str]:
        """What spans fields: each problem names the field and the fix."""
        found = []
        if self.customer_match == CustomerMatch.CATCH_ALL and not self.catch_all_customer_id.strip():
            found.append("Catch-all customer: every order goes to one customer, so enter its Intacct CUSTOMERID, "
                         "or choose another matching strategy.")
        if len(self.customer_id_prefix.strip()) > PREFIX_LIMIT:
            found.append(f"CUSTOMERID prefix: at most {PREFIX_LIMIT} characters.")
        if not self.transaction_definition.strip():
            found.append("Transaction definition: enter the Order Entry transaction definition's name, e.g. "
                         "Sales Invoice.")
        if self.tax_mode == TaxMode.AMOUNT and self.invoice_mode == InvoiceMode.AR_INVOICE:
            found.append("Tax: an amount on the document is only possible on sales invoices; choose a tax line for "
                         "AR invoices.")
        if self.deposit_mode == DepositMode.BANK and not self.bank_account.strip():
            found.append("Bank account: payments go to a bank account, so enter its Intacct id, or choose the "
                         "undeposited funds account.")
        return found


def _render(request: Request, user, ws, values: dict[str, Any], *, status_code: int = 200,
            **extra: Any) -> Response:
    return page(request, "console/o2c_settings.html", user=user, workspace=ws, nav="settings", values=values,
                choices=CHOICES, gates=GATES, status_code=status_code, **extra)


@router.get("", response_class=HTMLResponse)
def receivables_settings(request: Request, state: State, user: User, ws: Ws, saved: bool = False) -> Response:
    with state.store.session() as session:
        values = settings_values(session, ws.id)
    return _render(request, user, ws, values, notice="Order-to-cash settings saved." if saved else None)


@router.post("")
def save_receivables_settings(request: Request, state: State, user: Editor, ws: Ws,
                              form: Annotated[ReceivablesForm, Form()]) -> Response:
    typed = form.model_dump(mode="json")
    problems = form.problems()
    if problems:
        return _render(request, user, ws, typed, errors=problems, status_code=422)
    try:
        with state.store.write_session() as session:
            update_receivables_settings(session, ws.id, form.changes())
    except StoreError as error:
        return _render(request, user, ws, typed, errors=[str(error)], status_code=409)
    return redirect(f"{ws.base}/settings/order-to-cash?saved=true")
