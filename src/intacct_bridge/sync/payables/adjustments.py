"""AP adjustments (seed 001 "credit memo → AP adjustment"): legacy `create_apadjustment`.

A vendor credit memo for a bill waits until that bill is posted, then names it by its number
(the bill's RECORDID). Its reference travels in EXTERNALID, which finds it after a lost answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy.orm import Session

from intacct_bridge.domain.closed_periods import DocumentDates
from intacct_bridge.domain.posted_lines import document_lines
from intacct_bridge.domain.payables import ApAdjustmentView
from intacct_bridge.domain.payables_payloads import ap_adjustment_payload
from intacct_bridge.domain.payables_rules import validate_ap_adjustment
from intacct_bridge.intacct.legacy import CreateApAdjustment
from intacct_bridge.store.models import ApAdjustment, Bill
from intacct_bridge.store.repositories.payables import ap_adjustment_view
from intacct_bridge.sync.document_readback import DocumentReadsBack, DocumentSpec
from intacct_bridge.sync.kinds import Checked, Outgoing, RunScope
from intacct_bridge.sync.payables.checked import VendorChecked
from intacct_bridge.sync.receivables.stored import not_posted_parents


class ApAdjustments(DocumentReadsBack, VendorChecked):
    name: ClassVar[str] = "ap_adjustment"
    label: ClassVar[str] = "ap adjustments"
    depends_on: ClassVar[tuple[str, ...]] = ("bill",)
    model = ApAdjustment
    rules = staticmethod(validate_ap_adjustment)
    to_view = staticmethod(ap_adjustment_view)
    readback = DocumentSpec("APADJUSTMENT", "WHENCREATED", "VENDORID", "vendor", "debit", "EXTERNALID",
                            line_containers=("apadjustmentitems", "APADJUSTMENTITEMS"), line_side="credit")
    dates = DocumentDates("datecreated", "description")

    def waiting_on(self, session: Session, checked: Sequence[Checked]) -> dict[int, str]:
        waiting = super().waiting_on(session, checked)  # a vendor of the workspace's own not posted yet
        return {**not_posted_parents(session, ApAdjustment, Bill, Bill.id == ApAdjustment.bill_id,
                                     [c.record_id for c in checked],
                                     lambda bill: f"waits for bill {bill.external_id!r} to be posted"), **waiting}

    def write(self, checked: Checked, scope: RunScope) -> Outgoing:
        view: ApAdjustmentView = checked.view
        reference = self.reference(scope, view.id)
        payload = ap_adjustment_payload(view, self.settings, reference)
        return Outgoing(view.id, CreateApAdjustment(payload, controlid=""), reference=reference, amount=view.total,
                        posting_date=view.adjustment_date,
                        summary={"total": str(view.total), "bill": view.bill_number, "vendor": view.vendor_id,
                                 "lines": self.readback.summary_lines(payload), "gl_lines": document_lines(payload)})

    def lookup_target(self) -> tuple[str, str]:
        return ("APADJUSTMENT", "EXTERNALID")


__all__ = ["ApAdjustments"]
