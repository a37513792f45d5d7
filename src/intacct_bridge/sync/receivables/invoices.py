"""Invoices (seed 003 field map, seed 004): AR invoices, or Order Entry sales invoices (a setting).

An invoice waits for its customer to be posted. It is posted as it stands at posting time, found
again by its reference in EXTERNALID (on ARINVOICE, or on SODOCUMENT for sales invoices), and
keeps Intacct's key: the AR invoice's RECORDNO, or the sales document's DOCID (`<type>-<number>`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from sqlalchemy.orm import Session

from intacct_bridge.domain.cancellation import invoice_lines_sent, version_number
from intacct_bridge.domain.closed_periods import DocumentDates
from intacct_bridge.domain.identifiers import operation_of, version_reference_of
from intacct_bridge.domain.posted_lines import document_lines
from intacct_bridge.domain.receivables import InvoiceMode, InvoiceView
from intacct_bridge.domain.receivables_payloads import invoice_payload
from intacct_bridge.domain.receivables_rules import validate_invoice
from intacct_bridge.intacct.legacy import CreateInvoice, CreateSoTransaction
from intacct_bridge.intacct.lookup import find_records
from intacct_bridge.store.models import Customer, Invoice
from intacct_bridge.store.repositories.receivables import invoice_view
from intacct_bridge.sync.cancellation_kind import waiting_for_cancellation
from intacct_bridge.sync.document_readback import DocumentReadsBack, DocumentSpec
from intacct_bridge.sync.kinds import Checked, FindClient, Lookup, Outgoing, RunScope
from intacct_bridge.sync.receivables.stored import StoredKind, not_posted_parents


class Invoices(DocumentReadsBack, StoredKind):
    name: ClassVar[str] = "invoice"
    label: ClassVar[str] = "invoices"
    depends_on: ClassVar[tuple[str, ...]] = ("customer",)
    model = Invoice
    rules = staticmethod(validate_invoice)
    to_view = staticmethod(invoice_view)
    readback = DocumentSpec("ARINVOICE", "WHENCREATED", "CUSTOMERID", "customer", "debit", "EXTERNALID",
                            line_containers=("invoiceitems", "ARINVOICEITEMS"), line_side="credit")
    # Sales invoices are Order Entry documents (XML only): compared at their header, the total on the customer.
    readback_modes = {InvoiceMode.SALES_INVOICE.value: DocumentSpec(
        "SODOCUMENT", "WHENCREATED", "CUSTVENDID", "customer", "debit", "EXTERNALID", total_field="TOTAL",
        settled_states=frozenset({"", "pending", "closed", "converted", "partially converted", "approved",
                                  "in progress"}))}

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        ids = [c.record_id for c in checked]
        return {**waiting_for_cancellation(session, self.name, ids),
                **not_posted_parents(session, Invoice, Customer, Customer.id == Invoice.customer_id, ids,
                                     lambda c: f"waits for customer {c.external_id!r} to be posted")}

    def document_dates(self) -> DocumentDates:
        text = "message" if self.sales_mode() else "description"
        return DocumentDates("datecreated", text, "datedue")

    def sales_mode(self) -> bool:
        return self.settings.invoice_mode is InvoiceMode.SALES_INVOICE

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        """Version 1 as it always was; a corrected version under its own reference (`-v<n>`), number and
        operation, so it is never taken for the cancelled one."""
        view: InvoiceView = checked.view
        reference = version_reference_of(self.reference(scope, view.id), view.version)
        view = replace(view, number=version_number(view.number, view.version))
        payload = invoice_payload(view, self.settings, reference)
        builder = CreateSoTransaction if self.sales_mode() else CreateInvoice
        summary = {"number": view.number, "customer": view.customer.customer_id if view.customer else None,
                   "total": str(view.total), "mode": self.settings.invoice_mode.value, "version": view.version}
        if not self.sales_mode():
            summary["lines"] = self.readback.summary_lines(payload)   # what reconciliation compares
            summary["cancel_lines"] = invoice_lines_sent(payload)      # what a cancellation takes back
            summary["gl_lines"] = document_lines(payload)              # what was posted, debit and credit
        return Outgoing(view.id, builder(payload, controlid=""), reference=reference, amount=view.total,
                        posting_date=view.invoice_date, summary=summary, operation=operation_of(view.version))

    def lookup_target(self) -> tuple[str, str]:
        return ("SODOCUMENT", "EXTERNALID") if self.sales_mode() else ("ARINVOICE", "EXTERNALID")

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """Found by EXTERNALID; the key kept is what the create answers (RECORDNO, or DOCID for a sales document)."""
        references = [lookup.reference for lookup in lookups]
        if self.sales_mode():
            rows = find_records(client, "SODOCUMENT", "EXTERNALID", references, ["DOCID"])
            return {key: str(row.get("DOCID") or row["RECORDNO"]) for key, row in rows.items()}
        rows = find_records(client, "ARINVOICE", "EXTERNALID", references)
        return {key: str(row["RECORDNO"]) for key, row in rows.items()}
