"""Credit memos and adjustments (seeds 001, 004): AR adjustments naming the invoice they credit.

A credit memo for an invoice waits until that invoice is posted, then names it by its number in
Intacct (RECORDID, read back when Intacct numbered it). Its reference travels in EXTERNALID.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import DocumentDates
from intacct_bridge.domain.posted_lines import document_lines
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.receivables import CreditMemoView
from intacct_bridge.domain.receivables_payloads import credit_memo_payload
from intacct_bridge.domain.receivables_rules import validate_credit_memo
from intacct_bridge.intacct.legacy import CreateArAdjustment
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import CreditMemo, Invoice
from intacct_bridge.store.repositories.receivables import credit_memo_view
from intacct_bridge.sync.document_readback import DocumentReadsBack, DocumentSpec
from intacct_bridge.sync.kinds import BuildError, Checked, FindClient, Outgoing, RunScope
from intacct_bridge.sync.receivables.invoice_keys import resolve_invoice_keys
from intacct_bridge.sync.receivables.stored import StoredKind, not_posted_parents


class CreditMemos(DocumentReadsBack, StoredKind):
    name: ClassVar[str] = "credit_memo"
    label: ClassVar[str] = "credit memos"
    depends_on: ClassVar[tuple[str, ...]] = ("invoice",)
    model = CreditMemo
    rules = staticmethod(validate_credit_memo)
    to_view = staticmethod(credit_memo_view)
    readback = DocumentSpec("ARADJUSTMENT", "WHENCREATED", "CUSTOMERID", "customer", "credit", "EXTERNALID",
                            line_containers=("aradjustmentitems", "ARADJUSTMENTITEMS"), line_side="debit")
    dates = DocumentDates("datecreated", "description")

    def read_intacct(self, client: FindClient, store: Store, scope: RunScope, dry_run: bool) -> int:
        """Read back the number Intacct gave each posted invoice a waiting credit memo names."""
        with store.session() as session:
            ids = set(session.scalars(select(CreditMemo.invoice_id).where(
                self.candidate_filter(scope), CreditMemo.invoice_id.is_not(None))))
            ids -= set(session.scalars(select(Invoice.id).where(Invoice.id.in_(ids),
                                                                Invoice.intacct_number.is_not(None))))
        return len(resolve_invoice_keys(client, store, ids)) if ids else 0

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        return not_posted_parents(session, CreditMemo, Invoice, Invoice.id == CreditMemo.invoice_id,
                                  [c.record_id for c in checked],
                                  lambda invoice: f"waits for invoice {invoice.external_id!r} to be posted")

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: CreditMemoView = checked.view
        invoice = view.invoice
        if invoice is not None and not (invoice.intacct_number or invoice.number):
            # Without the number the adjustment would post applied to no invoice: its balance would not move.
            raise BuildError([Reason("invoice", f"invoice {invoice.external_id!r} is posted but its number was not "
                                     "found in Sage Intacct: check the invoice there, then sync again")])
        reference = self.reference(scope, view.id)
        payload = credit_memo_payload(view, self.settings, reference)
        return Outgoing(view.id, CreateArAdjustment(payload, controlid=""), reference=reference, amount=view.total,
                        posting_date=view.memo_date,
                        summary={"total": str(view.total), "invoice": payload.get("invoiceno"),
                                 "customer": view.customer.customer_id if view.customer else None,
                                 "lines": self.readback.summary_lines(payload), "gl_lines": document_lines(payload)})

    def lookup_target(self) -> tuple[str, str]:
        return ("ARADJUSTMENT", "EXTERNALID")


__all__ = ["CreditMemos"]
