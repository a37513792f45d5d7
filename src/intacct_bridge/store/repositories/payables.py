"""AP rows as the rules see them (`domain.payables` values), and the AP terms pulled from Intacct.

The lists, the one-record reads, the settings and the import of bills and adjustments are the
order-to-cash ones (`store.repositories.receivables`, `receivables_intake`), which know these
kinds too; this module holds only what is AP's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intacct_bridge.domain.payables import AmountLineView, ApAdjustmentView, BillView
from intacct_bridge.store.models import ApAdjustment, ApAdjustmentLine, Bill, BillLine, IntacctValue

AP_TERM = "APTERM"  # intacct_values.object_name of the pulled AP terms


def _lines(rows: Iterable[BillLine | ApAdjustmentLine]) -> tuple[AmountLineView, ...]:
    return tuple(AmountLineView(
        line_no=line.line_no, amount=line.amount, gl_account=line.gl_account, sku=line.sku,
        description=line.description, location=line.location, department=line.department,
        class_id=line.class_id, warehouse=line.warehouse, custom_value=line.custom_value, dimensions=line.dimensions) for line in rows)


def bill_view(bill: Bill) -> BillView:
    return BillView(
        id=bill.id, external_id=bill.external_id, vendor_id=bill.vendor_id, bill_date=bill.bill_date,
        lines=_lines(bill.lines), number=bill.number, due_date=bill.due_date, terms=bill.terms,
        reference=bill.reference, memo=bill.memo, currency=bill.currency, entity=bill.entity,
        intacct_key=bill.intacct_key, version=bill.version or 1,
    )


def ap_adjustment_view(adjustment: ApAdjustment) -> ApAdjustmentView:
    bill = bill_view(adjustment.bill) if adjustment.bill is not None else None
    return ApAdjustmentView(
        id=adjustment.id, external_id=adjustment.external_id, vendor_id=adjustment.vendor_id,
        adjustment_date=adjustment.adjustment_date, lines=_lines(adjustment.lines), bill=bill,
        bill_external_id=bill.external_id if bill else None, bill_number=bill.number if bill else None,
        number=adjustment.number, memo=adjustment.memo, entity=adjustment.entity,
    )


# ---- AP terms pulled from Intacct -------------------------------------------------------------------

def save_ap_terms(session: Session, workspace_id: int, terms: Iterable[tuple[str, str]], seen_at: datetime) -> int:
    """Keep Intacct's AP terms (name, status) as last seen; a term no longer there is marked inactive."""
    given = dict(terms)
    rows = {row.value_id: row for row in session.scalars(select(IntacctValue).where(
        IntacctValue.workspace_id == workspace_id, IntacctValue.object_name == AP_TERM))}
    for name, status in given.items():
        row = rows.get(name)
        if row is None:
            session.add(IntacctValue(workspace_id=workspace_id, object_name=AP_TERM, value_id=name, name=name,
                                     status=status, last_seen_at=seen_at))
        else:
            row.status, row.last_seen_at = status, seen_at
    for name, row in rows.items():
        if name not in given:
            row.status = "inactive"
    session.flush()
    return len(given)


def ap_terms(session: Session, workspace_id: int, *, active_only: bool = True) -> list[str]:
    """The AP term names last pulled from Intacct (what a bill's terms may name), sorted."""
    query = select(IntacctValue.value_id).where(IntacctValue.workspace_id == workspace_id,
                                                IntacctValue.object_name == AP_TERM)
    if active_only:
        query = query.where(IntacctValue.status == "active")
    return sorted(session.scalars(query))
