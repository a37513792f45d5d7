"""AP bills and AP adjustments: bulk upsert by external id (all or nothing), list, get; the AP terms.

The routes are the order-to-cash ones (`web.api.receivables.kind_routes`): the same importer as
CSV and JSON-lines files, so an API client gets the same checks and messages, by record index.
"""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter

from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.store.models import ApAdjustment, Bill
from intacct_bridge.store.repositories.payables import ap_terms
from intacct_bridge.store.repositories.receivables import RecordChecks
from intacct_bridge.web.api.convert import money
from intacct_bridge.web.api.deps import ReadSession, WorkspaceId
from intacct_bridge.web.api.receivables import kind_routes, line_out, outbox_fields
from intacct_bridge.web.api.schemas_payables import ApAdjustmentBulk, ApAdjustmentOut, BillBulk, BillOut

router = APIRouter(prefix="/workspaces/{workspace}", tags=["AP"])


def _total(lines: list) -> str:
    return money(sum((line.amount for line in lines), Decimal("0.00"))) or "0.00"


def bill_out(bill: Bill, checks: RecordChecks) -> BillOut:
    return BillOut(
        **outbox_fields(RecordKind.BILL, bill, checks), vendor_id=bill.vendor_id, bill_date=bill.bill_date,
        number=bill.number, due_date=bill.due_date, terms=bill.terms, reference=bill.reference, memo=bill.memo,
        currency=bill.currency, entity=bill.entity, total=_total(bill.lines), lines=[line_out(line) for line in bill.lines],
    )


def ap_adjustment_out(adjustment: ApAdjustment, checks: RecordChecks) -> ApAdjustmentOut:
    return ApAdjustmentOut(
        **outbox_fields(RecordKind.AP_ADJUSTMENT, adjustment, checks), vendor_id=adjustment.vendor_id,
        adjustment_date=adjustment.adjustment_date,
        bill_external_id=adjustment.bill.external_id if adjustment.bill else None, number=adjustment.number,
        memo=adjustment.memo, entity=adjustment.entity, total=_total(adjustment.lines),
        lines=[line_out(line) for line in adjustment.lines],
    )


kind_routes(RecordKind.BILL, "/bills", BillBulk, BillOut, bill_out, "AP bills with their lines", on=router)
kind_routes(RecordKind.AP_ADJUSTMENT, "/ap-adjustments", ApAdjustmentBulk, ApAdjustmentOut, ap_adjustment_out,
            "AP adjustments (vendor credit memos) with their lines", on=router)


@router.get("/ap-terms", summary="The active AP terms last pulled from Intacct (what a bill's terms may name)")
def list_ap_terms(workspace_id: WorkspaceId, session: ReadSession) -> list[str]:
    return ap_terms(session, workspace_id)
