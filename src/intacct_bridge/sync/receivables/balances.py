"""What each customer should owe in Intacct, from the local records alone (for reconciling AR).

A customer's balance is the total of its posted invoices, less the posted payments applied to
them and the posted credit memos. Compared with the TOTALDUE of its invoices in Intacct, any
difference means something was posted twice, lost, or changed there.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.store.models import CreditMemo, Customer, Invoice, Payment, PaymentApplication
from intacct_bridge.store.repositories.receivables import credit_memo_view, invoice_view

POSTED = ActionStatus.POSTED.value


def expected_balances(session: Session, workspace_id: int) -> dict[str, Decimal]:
    """CUSTOMERID → what it owes on the invoices this workspace posted."""
    balances: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for invoice in session.scalars(select(Invoice).where(Invoice.workspace_id == workspace_id,
                                                         Invoice.status == POSTED)):
        balances[invoice.customer.customer_id] += invoice_view(invoice).total
    applied = session.execute(
        select(Customer.customer_id, PaymentApplication.amount)
        .join(Payment, Payment.id == PaymentApplication.payment_id)
        .join(Invoice, Invoice.id == PaymentApplication.invoice_id)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(Payment.workspace_id == workspace_id, Payment.status == POSTED, Invoice.status == POSTED))
    for customer_id, amount in applied:
        balances[customer_id] -= amount
    for memo in session.scalars(select(CreditMemo).where(CreditMemo.workspace_id == workspace_id,
                                                         CreditMemo.status == POSTED, CreditMemo.invoice_id.is_not(None))):
        balances[memo.customer.customer_id] -= credit_memo_view(memo).total
    return dict(balances)
