"""Stock levels per item and warehouse, as pulled from Intacct (what a shop pushes to its selling channels)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from intacct_bridge.store.models import StockLevel
from intacct_bridge.web.api.deps import ReadSession, State, WorkspaceId
from intacct_bridge.web.api.schemas_workspace import StockLevelOut, StockPullOut

router = APIRouter(prefix="/workspaces/{workspace}", tags=["stock"])


@router.get("/stock", summary="Quantity on hand per item and warehouse, as last pulled")
def list_stock(workspace_id: WorkspaceId, session: ReadSession,
               item: Annotated[str | None, Query(max_length=100, description="Only this item id (SKU).")] = None,
               warehouse: Annotated[str | None, Query(max_length=100, description="Only this warehouse.")] = None,
               ) -> list[StockLevelOut]:
    query = select(StockLevel).where(StockLevel.workspace_id == workspace_id)
    if item:
        query = query.where(StockLevel.item_id == item)
    if warehouse:
        query = query.where(StockLevel.warehouse_id == warehouse)
    return [StockLevelOut(item_id=s.item_id, warehouse_id=s.warehouse_id, on_hand=f"{s.on_hand.normalize():f}",
                          modified_at=s.modified_at, pulled_at=s.pulled_at)
            for s in session.scalars(query.order_by(StockLevel.item_id, StockLevel.warehouse_id))]


@router.post("/stock/pull", summary="Read quantity on hand from Intacct now")
def pull_stock_now(workspace_id: WorkspaceId, state: State) -> StockPullOut:
    pulled = state.runner.pull_stock(workspace_id)
    return StockPullOut(levels=pulled.levels, changed=pulled.changed)
