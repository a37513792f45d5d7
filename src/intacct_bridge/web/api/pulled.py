"""What Intacct holds, pulled back: stock per item and warehouse, and AR invoices that exist only in Intacct."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from intacct_bridge.web.api.deps import ReadSession, State, WorkspaceId
from intacct_bridge.store.repositories.pulled_receivables import list_intacct_only_invoices, list_stock
from intacct_bridge.web.api.convert import money
from intacct_bridge.web.api.pagination import Cursor, Limit, decode_cursor, next_cursor
from intacct_bridge.web.api.schemas_records import Page
from intacct_bridge.web.api.schemas_workspace import IntacctInvoiceOut, StockLevelOut, StockPullOut

router = APIRouter(prefix="/workspaces/{workspace}", tags=["pulled from Intacct"])


@router.get("/stock", summary="Quantity on hand per item and warehouse, as last pulled")
def stock_levels(workspace_id: WorkspaceId, session: ReadSession,
               item: Annotated[str | None, Query(max_length=100, description="Only this item id (SKU).")] = None,
               warehouse: Annotated[str | None, Query(max_length=100, description="Only this warehouse.")] = None,
               ) -> list[StockLevelOut]:
    return [StockLevelOut(item_id=s.item_id, warehouse_id=s.warehouse_id, on_hand=f"{s.on_hand.normalize():f}",
                          modified_at=s.modified_at, pulled_at=s.pulled_at)
            for s in list_stock(session, workspace_id, item_id=item, warehouse_id=warehouse, limit=None)]


@router.post("/stock/pull", summary="Read quantity on hand from Intacct now")
def pull_stock_now(workspace_id: WorkspaceId, state: State) -> StockPullOut:
    pulled = state.runner.pull_stock(workspace_id)
    return StockPullOut(levels=pulled.levels, changed=pulled.changed)


@router.get("/intacct-invoices", summary="AR invoices that exist only in Intacct (what a payment portal collects on)")
def intacct_only(workspace_id: WorkspaceId, session: ReadSession, limit: Limit = 100, cursor: Cursor = None,
                 open_only: Annotated[bool, Query(description="Only those with something still due.")] = False,
                 ) -> Page[IntacctInvoiceOut]:
    rows = list_intacct_only_invoices(session, workspace_id, open_only=open_only, limit=limit,
                                      after_id=decode_cursor(cursor) or 0)
    items = [IntacctInvoiceOut(recordno=r.recordno, number=r.number, customer_id=r.customer_id,
                               invoice_date=r.invoice_date, due_date=r.due_date, total=money(r.total),
                               total_due=money(r.total_due), state=r.state, modified_at=r.modified_at)
             for r in rows]
    return Page[IntacctInvoiceOut](items=items, next_cursor=next_cursor([r.id for r in rows], limit))
