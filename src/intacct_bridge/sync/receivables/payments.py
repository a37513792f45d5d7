"""Payments (seed 004): applied to the invoice(s) they pay, deposited to undeposited funds or a bank.

A payment waits until every invoice it pays is posted; it then goes out as one ARPYMT applying
each part to the AR invoice's RECORDNO, whole or not at all. Its reference travels in DOCNUMBER.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import DocumentDates
from intacct_bridge.domain.posted_lines import document_lines
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import PaymentView
from intacct_bridge.domain.receivables_payloads import payment_payload
from intacct_bridge.domain.receivables_rules import validate_payment
from intacct_bridge.domain.vocabulary import ActionStatus
from intacct_bridge.intacct import functions as fn
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Invoice, Payment, PaymentApplication
from intacct_bridge.store.repositories.receivables import payment_view
from intacct_bridge.sync.document_readback import DocumentReadsBack, DocumentSpec
from intacct_bridge.sync.kinds import BuildError, Checked, FindClient, Outgoing, RunScope
from intacct_bridge.sync.receivables.invoice_keys import resolve_invoice_keys
from intacct_bridge.sync.receivables.stored import StoredKind


class Payments(DocumentReadsBack, StoredKind):
    name: ClassVar[str] = "payment"
    label: ClassVar[str] = "payments"
    depends_on: ClassVar[tuple[str, ...]] = ("invoice",)
    model = Payment
    rules = staticmethod(validate_payment)
    to_view = staticmethod(payment_view)
    readback = DocumentSpec("ARPYMT", "RECEIPTDATE", "CUSTOMERID", "customer", "credit", "DOCNUMBER",
                            total_key="amount", line_containers=("ARPYMTDETAILS",), line_side="credit",
                            line_fields={"account_fields": ("RECORDKEY",), "amount_fields": ("TRX_PAYMENTAMOUNT",),
                                         "account_prefix": "invoice "})
    dates = DocumentDates("RECEIPTDATE", "DESCRIPTION")

    def __init__(self) -> None:
        super().__init__()
        self._invoice_keys: dict[int, str] = {}

    def read_intacct(self, client: FindClient, store: Store, scope: RunScope, dry_run: bool) -> int:
        """Learn the AR RECORDNO of every posted invoice a waiting payment applies to."""
        with store.session() as session:
            ids = set(session.scalars(
                select(PaymentApplication.invoice_id).join(Payment, Payment.id == PaymentApplication.payment_id)
                .where(self.candidate_filter(scope))))
        self._invoice_keys = resolve_invoice_keys(client, store, ids, read_numbers=False) if ids else {}
        return len(self._invoice_keys)

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        rows = session.execute(
            select(PaymentApplication.payment_id, Invoice.external_id)
            .join(Invoice, Invoice.id == PaymentApplication.invoice_id)
            .where(PaymentApplication.payment_id.in_([c.record_id for c in checked]),
                   Invoice.status != ActionStatus.POSTED.value)
        ).all()
        waiting: dict[int, str] = {}
        for payment_id, invoice in rows:
            waiting.setdefault(payment_id, f"waits for invoice {invoice!r} to be posted")
        return waiting

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: PaymentView = checked.view
        keys = {}
        for application in view.applications:
            invoice = application.invoice
            key = self._invoice_keys.get(invoice.id) if invoice is not None else None
            if key is None:
                raise BuildError([Reason("applications", f"invoice {application.invoice_external_id!r} is posted but "
                                         "was not found in Sage Intacct: check it there, then sync again")])
            keys[application.invoice_external_id] = key
        reference = self.reference(scope, view.id)
        payload = payment_payload(view, self.settings, reference, keys)
        return Outgoing(view.id, fn.Create("ARPYMT", payload, controlid=""), reference=reference, amount=view.amount,
                        posting_date=view.received_on,
                        summary={"amount": str(view.amount), "applied": {k: v for k, v in keys.items()},
                                 "customer": view.customer.customer_id if view.customer else None,
                                 "lines": self.readback.summary_lines(payload), "gl_lines": document_lines(payload)})

    def lookup_target(self) -> tuple[str, str]:
        return ("ARPYMT", "DOCNUMBER")
