"""AP bills (seed 001 "Purchase invoice → AP bill"): generic `create APBILL`, found by number and vendor.

A bill names its vendor by VENDORID and is checked against Intacct before the gate: a vendor
Intacct does not have, or an AP term it does not know, flags the bill with the fix. Its number
(RECORDID) is unique per vendor in Intacct, so an uncertain outcome is settled by looking the
bill up by (RECORDID, VENDORID); the key kept is its RECORDNO.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import DocumentDates
from intacct_bridge.domain.cancellation import bill_lines_sent, version_number
from intacct_bridge.domain.identifiers import operation_of
from intacct_bridge.domain.posted_lines import document_lines
from intacct_bridge.domain.model import Reason
from intacct_bridge.domain.payables import BillView
from intacct_bridge.domain.payables_payloads import bill_payload
from intacct_bridge.domain.payables_rules import term_reasons, validate_bill
from intacct_bridge.intacct import functions as fn
from intacct_bridge.intacct.lookup import find_pairs
from intacct_bridge.store.database import Store
from intacct_bridge.store.models import Bill
from intacct_bridge.store.repositories.payables import bill_view
from intacct_bridge.sync.document_readback import DocumentReadsBack, DocumentSpec
from intacct_bridge.sync.cancellation_kind import waiting_for_cancellation
from intacct_bridge.sync.kinds import Checked, FindClient, Lookup, Outgoing, RunScope
from intacct_bridge.sync.payables.checked import VendorChecked
from intacct_bridge.sync.payables.vendors import pull_ap_terms


def bill_reference(vendor_id: str, number: str) -> str:
    """What a bill is found by: its vendor and number (each short enough by the rules to fit 100 characters)."""
    return f"{vendor_id}/{number}"


class Bills(DocumentReadsBack, VendorChecked):
    name: ClassVar[str] = "bill"
    label: ClassVar[str] = "bills"
    depends_on: ClassVar[tuple[str, ...]] = ("vendor",)
    model = Bill
    rules = staticmethod(validate_bill)
    to_view = staticmethod(bill_view)
    readback = DocumentSpec("APBILL", "WHENCREATED", "VENDORID", "vendor", "credit", None,  # by (number, vendor)
                            line_containers=("APBILLITEMS",), line_side="debit")
    dates = DocumentDates("WHENCREATED", "DESCRIPTION", "WHENDUE")

    def __init__(self) -> None:
        super().__init__()
        self.known_terms: set[str] | None = None

    def read_more(self, client: FindClient, store: Store, scope: RunScope) -> None:
        self.known_terms = pull_ap_terms(client, store, scope.workspace_id)

    def intacct_reasons(self, view: Any) -> list[Reason]:
        return super().intacct_reasons(view) + term_reasons(view.terms, self.known_terms)

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        waiting = super().waiting_on(session, checked)
        return {**waiting_for_cancellation(session, self.name, [c.record_id for c in checked]), **waiting}

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        """A corrected version goes under the number `<number>-v<n>` (Intacct keeps the cancelled original's)."""
        view: BillView = checked.view
        assert view.vendor_id and view.number, "the rules require both"
        view = replace(view, number=version_number(view.number, view.version))
        payload = bill_payload(view, self.settings)
        return Outgoing(view.id, fn.Create("APBILL", payload, controlid=""),
                        reference=bill_reference(view.vendor_id, view.number), amount=view.total,
                        posting_date=view.bill_date, operation=operation_of(view.version),
                        summary={"vendor": view.vendor_id, "number": view.number, "total": str(view.total),
                                 "version": view.version, "lines": self.readback.summary_lines(payload),
                                 "gl_lines": document_lines(payload), "cancel_lines": bill_lines_sent(payload)})

    def find(self, client: FindClient, lookups: Sequence[Lookup]) -> dict[str, str]:
        """Found by (RECORDID, VENDORID), from the write's summary."""
        wanted = {(str(lookup.summary["number"]), str(lookup.summary["vendor"])): lookup.reference
                  for lookup in lookups if lookup.summary}
        rows = find_pairs(client, "APBILL", "RECORDID", "VENDORID", wanted)
        return {wanted[pair]: str(row["RECORDNO"]) for pair, row in rows.items()}


__all__ = ["Bills", "bill_reference"]
